//! The language of what people read: table headers, workbook titles, the headings of
//! error reports. `--lang zh|en` chooses; by default `zh` when `LC_ALL`, `LC_MESSAGES`
//! or `LANG` (the first that is set, in that order) starts with `zh` (SPEC §10). CSV
//! headers, ids, numbers, `file:line:` prefixes, JSON keys and exit codes never change.
//!
//! Texts live in catalogues, keyed; a test fails if a key lacks either language. Problem
//! messages are in `messages.rs`, each with a stable code (`E0201`) that `--format json`
//! carries; code builds them with `msg!("E0214", text = t, hint = h)`, which renders the text in the
//! process's language at once (the language is fixed before any command runs).

use std::fmt;
use std::sync::OnceLock;

/// A message: its stable code (`E0201`; empty for a text not yet in the catalogue) and
/// its text, already rendered in the process's language by `msg!`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Msg {
    pub code: &'static str,
    pub text: String,
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for Msg {}

impl Msg {
    /// The same message after a prefix that locates it (`--zone `, a path): the code
    /// stays the message's.
    pub fn prefixed(self, prefix: impl fmt::Display) -> Msg {
        Msg {
            code: self.code,
            text: format!("{prefix}{}", self.text),
        }
    }
}

impl From<Msg> for String {
    fn from(m: Msg) -> String {
        m.text
    }
}

pub mod clap;
pub mod explanations;
pub mod help;
mod help_text;
pub mod messages;
mod trace;
pub use messages::MESSAGES;
pub use trace::TRACE;

/// A problem message in the process's language: `msg!("E0214", text = t, hint = h)`
/// gives a `diag::Msg` with the code and the text of the catalogue entry, every
/// `{name}` filled with the argument of that name.
#[macro_export]
macro_rules! msg {
    ($code:literal $(, $k:ident = $v:expr)* $(,)?) => {{
        // Checked when the program is built: the code exists, and its text shows every
        // argument given.
        const {
            assert!($crate::i18n::messages::known($code), concat!("unknown message code ", $code));
            $(assert!(
                $crate::i18n::messages::takes($code, stringify!($k)),
                concat!("message ", $code, " has no {{", stringify!($k), "}}")
            );)*
        };
        $crate::i18n::Msg {
            code: $code,
            text: $crate::i18n::render(
                $code,
                &[$((stringify!($k), ::std::string::ToString::to_string(&$v))),*],
            ),
        }
    }};
}

/// A sentence of `explain`'s trace in the chosen language, gettext-style: the English
/// template is the key (`TRACE`), `{}` are filled in order, and a translation may take
/// them in another order as `{0}`, `{1}`, …. A template missing from the catalogue (the
/// catalogue test forbids it) is used as it is.
pub fn tr(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let text = if lang() == Lang::Zh {
        TRACE
            .iter()
            .find(|(en, _)| *en == template)
            .map_or(template, |(_, zh)| zh)
    } else {
        template
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut next = 0;
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if after[..j].chars().all(|c| c.is_ascii_digit()) => {
                let k = if j == 0 {
                    next += 1;
                    next - 1
                } else {
                    after[..j].parse().unwrap_or(usize::MAX)
                };
                if let Some(a) = args.get(k) {
                    let _ = std::fmt::Write::write_fmt(&mut out, format_args!("{a}"));
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The system's reason for an I/O failure, in the chosen language for the kinds a
/// person meets (a missing file, no permission, a full disk); else the system's words.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if lang() != Lang::Zh {
        return e.to_string();
    }
    match e.kind() {
        K::NotFound => "文件或目录不存在".into(),
        K::PermissionDenied => "没有访问权限".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::StorageFull => "磁盘已满".into(),
        K::IsADirectory => "这是一个目录，不是文件".into(),
        K::NotADirectory => "路径中有一项不是目录".into(),
        _ => e.to_string(),
    }
}

/// The text of message `code` with its placeholders filled. An unknown code (which the
/// catalogue test forbids) renders as the code and its arguments, never a panic.
pub fn render(code: &str, args: &[(&str, String)]) -> String {
    let Some(&(_, en, zh)) = MESSAGES.iter().find(|(c, _, _)| *c == code) else {
        let list: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        return format!("{code} {}", list.join(" "));
    };
    let mut s = if lang() == Lang::Zh { zh } else { en }.to_string();
    for (name, v) in args {
        s = s.replace(&format!("{{{name}}}"), v);
    }
    s
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

static LANG: OnceLock<Lang> = OnceLock::new();

/// The language asked for, else the locale's.
pub fn detect(arg: Option<&str>) -> Lang {
    match arg {
        Some(a) if a.starts_with("zh") => Lang::Zh,
        Some(_) => Lang::En,
        None => {
            let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
            if env.is_some_and(|v| v.starts_with("zh")) {
                Lang::Zh
            } else {
                Lang::En
            }
        }
    }
}

/// Fix the language for the process (once; later calls change nothing).
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

pub fn lang() -> Lang {
    *LANG.get_or_init(|| detect(None))
}

/// (key, English, Chinese).
const CATALOGUE: &[(&str, &str, &str)] = &[
    ("table.metric", "metric", "指标"),
    ("table.party", "party", "地区"),
    ("table.name", "name", "名称"),
    ("table.amount", "amount", "金额"),
    ("table.total", "total", "合计"),
    (
        "table.footer",
        "{records} records in {cells} cells",
        "共 {records} 条记录，{cells} 个分成单元",
    ),
    ("error", "error", "错误"),
    ("usage", "Usage: ", "用法："),
    ("heading.config", "invalid configuration:", "配置有误："),
    ("heading.records", "invalid records:", "数据有误："),
    ("heading.books", "invalid books:", "账簿有误："),
    (
        "books.late",
        "late lines (earlier periods, booked as adjustments): {totals}",
        "补录记录（所属期较早，作为调整入账）：{totals}",
    ),
    (
        "heading.expect",
        "control totals do not match:",
        "控制总数不符：",
    ),
    (
        "heading.amend",
        "figures already booked would change:",
        "已记账的数字将会改变：",
    ),
    (
        "heading.differs",
        "verify found a difference:",
        "复核发现差异：",
    ),
    ("granularity.month", "monthly (YYYY-MM)", "按月（YYYY-MM）"),
    (
        "granularity.quarter",
        "quarterly (YYYY-Qn)",
        "按季（YYYY-Qn）",
    ),
    ("granularity.year", "annual (YYYY)", "按年（YYYY）"),
    ("versions.none", "none", "无"),
    ("word.name", "name", "名称"),
    ("end_of_file", "(end of file)", "（文件结束）"),
    (
        "books.status_header",
        "period    records  late  adjustments  chain  input total per metric",
        "期间      记录数   补录  调整行数     链条   各指标输入合计",
    ),
    ("books.none", "(no closing yet)", "（尚无结账）"),
    ("books.obligation", "obligation", "约定款项"),
    ("books.adjusts", "adjusts", "调整"),
    ("books.chain_ok", "ok", "完好"),
    ("books.chain_broken", "BROKEN", "断开"),
    (
        "statement.written",
        "statements written: {count}, in {dir}",
        "共 {count} 份结算单，在 {dir}",
    ),
    (
        "books.obligation_adjusts",
        "adjusts obligation",
        "调整约定款项",
    ),
    ("kind.guarantee", "guarantee", "保底补足"),
    (
        "obligations.name",
        "obligations: guarantees and fixed returns, received − paid",
        "约定款项：保底补足与固定回报（收入 − 支付）",
    ),
    ("kind.return", "return", "固定回报"),
    (
        "books.amendment",
        "amendment booked ({changed}): {reason}",
        "已记入协议修订（{changed}）：{reason}",
    ),
    ("set.top", "at the top", "顶层"),
    ("set.under", "under {prefix}", "{prefix} 之下"),
    ("set.level", "a level", "法定级次"),
    ("formula.comparison", "a comparison", "比较式"),
    ("formula.condition", "the condition of if()", "if() 的条件"),
    ("word.alias", "alias", "别名"),
    ("open_end", "open end", "长期"),
    ("versions.from", "{id} from {from}", "{id} 自 {from} 起"),
    ("sheet.summary", "summary", "分成汇总"),
    ("sheet.settlement", "settlement", "结算"),
    ("sheet.detail", "detail", "明细"),
    ("col.period", "period", "期间"),
    ("col.zone", "zone", "园区"),
    ("col.zone_name", "zone_name", "园区名称"),
    ("col.metric", "metric", "指标"),
    ("col.metric_name", "metric_name", "指标名称"),
    ("col.party", "party", "地区"),
    ("col.party_name", "party_name", "地区名称"),
    ("col.amount", "amount", "金额"),
    ("col.unit", "unit", "单位"),
    ("col.line", "line", "行号"),
    ("col.entity", "entity", "企业"),
    ("col.ratio", "ratio", "比例"),
    ("col.exact_share", "exact_share", "精确分成"),
    ("col.rule", "rule", "规则"),
    ("col.agreement", "agreement", "协议"),
    ("col.file", "file", "文件"),
    ("unit.yuan", "yuan", "元"),
    ("col.payer", "payer", "付款方"),
    ("col.payer_name", "payer_name", "付款方名称"),
    ("col.payee", "payee", "收款方"),
    ("col.payee_name", "payee_name", "收款方名称"),
    ("quota.party", "party", "地区"),
    (
        "explain.obligations",
        "Obligations of zone {zone} ({name}) in {year} (SPEC §14)",
        "园区 {zone}（{name}）{year}年的约定款项（SPEC §14）",
    ),
    (
        "explain.guarantee",
        "  {payee}'s share of {metric} over the year: {share}; guaranteed {amount}\n  due = max(0, {amount} − {share}) = {due}, paid by {payer}, booked in {period}",
        "  {payee} 当年 {metric} 分成合计：{share}；保底 {amount}\n  应补足 = max(0, {amount} − {share}) = {due}，由 {payer} 支付，记入 {period}",
    ),
    (
        "explain.return",
        "  base × rate = {base} × {rate} = {exact} → half away from zero to 0.01: {due}\n  paid by {payer} to {payee}, booked in {period}",
        "  本金 × 回报率 = {base} × {rate} = {exact} → 四舍五入到 0.01：{due}\n  由 {payer} 付给 {payee}，记入 {period}",
    ),
    (
        "explain.not_covered",
        "  nothing due for {year}: from/until do not cover the whole year (never pro rata)",
        "  {year}年无应付：from/until 未覆盖全年（不按比例折算）",
    ),
    (
        "explain.not_reached",
        "  nothing due for {year} yet: the lines do not reach the period that ends the year",
        "  {year}年暂无应付：记录尚未到达该年最后一个期间",
    ),
    (
        "explain.no_shortfall",
        "  nothing due for {year}: the share reaches the guaranteed amount",
        "  {year}年无应付：分成已达到保底金额",
    ),
    (
        "explain.no_obligations",
        "The zone has no guarantee or return.",
        "该园区没有保底或固定回报约定。",
    ),
    (
        "explain.quota",
        "Quota account {year} {metric} of {party} (in {unit}, SPEC §13)",
        "{year}年 {metric} 指标账户：{party}（单位：{unit}，SPEC §13）",
    ),
    (
        "explain.quota_share",
        "share (what run writes), per period and zone",
        "分成份额（即 run 写出的数），按期间和园区",
    ),
    (
        "explain.quota_end",
        "\nexempt (major projects counted apart): {exempt}\nused = share − exempt = {used}\nheadroom = {allocated} + {in} − {out} − {used} = {headroom}",
        "\n单列（重大项目）：{exempt}\n使用 = 分成 − 单列 = {used}\n余量 = {allocated} + {in} − {out} − {used} = {headroom}",
    ),
    ("quota.allocated", "allocated", "下达指标"),
    ("quota.in", "transferred in", "转入"),
    ("quota.out", "transferred out", "转出"),
    ("quota.used", "used", "使用"),
    ("quota.exempt", "exempt", "单列"),
    ("quota.headroom", "headroom", "余量"),
    (
        "quota.block",
        "{year} {metric} ({name}), in {unit}",
        "{year}年 {metric}（{name}），单位：{unit}",
    ),
    ("quota.over_mark", "(over quota)", "（超指标）"),
    (
        "quota.chart.title",
        "{name} ({id}): quota per region and year, in {unit}",
        "{name}（{id}）：各地区逐年指标，单位：{unit}",
    ),
    ("quota.chart.allocated", "allotted", "下达指标"),
    (
        "chart.projection",
        "{zones} · {metrics}: each party's share per year, {from}–{to} (projection)",
        "{zones} · {metrics}：各方逐年分成，{from}–{to}（预测）",
    ),
    ("chart.year", "year", "年度"),
    (
        "man.wrote",
        "wrote {count} pages to {dir}: {names}",
        "已写出 {count} 个手册页到 {dir}：{names}",
    ),
    // The workbench's groups of values, in the agreement's words.
    ("wb.agreement", "agreement {id}", "协议 {id}"),
    ("wb.shares", "shares", "分成比例"),
    (
        "wb.phase",
        "phase {n} ({years} years)",
        "第{n}阶段（{years}年）",
    ),
    (
        "wb.phase_rest",
        "phase {n} (thereafter)",
        "第{n}阶段（此后）",
    ),
    ("wb.tier", "bracket {n}", "第{n}档"),
    ("wb.increment", "shares of the increment", "增量分成比例"),
    ("wb.base", "base", "基数"),
    ("wb.weights", "weights", "权重"),
    ("wb.floor", "floor", "保底"),
    ("wb.cap", "cap", "封顶"),
    // Counted things (`counted`): English "one|many".
    ("count.file", "file|files", "个文件"),
    ("count.record", "record|records", "条记录"),
    ("count.cell", "cell|cells", "个分成单元"),
    (
        "count.allocation",
        "allocation line|allocation lines",
        "行下达指标",
    ),
    (
        "count.transfer",
        "transfer line|transfer lines",
        "行指标转移",
    ),
    // What an input file is, as a manifest lists it (role).
    ("role.config", "config", "配置"),
    ("role.records", "records", "记录"),
    ("role.deductions", "deductions", "扣除项"),
    ("role.entities", "entities", "企业信息"),
    ("role.expect", "expect", "核对"),
    ("role.profile", "profile", "导入模板"),
    ("role.allocations", "allocations", "指标下达"),
    ("role.transfers", "transfers", "指标转移"),
    // The row label of obligations in tables (CSV keeps `obligations`).
    ("obligations.id", "obligations", "约定款项"),
    // The kinds of metric and rule, as explain names them (the TOML keyword in English).
    ("kind.tax", "tax", "税收"),
    ("kind.statistic", "statistic", "统计"),
    ("kind.quota", "quota", "指标"),
    ("kind.fixed", "fixed", "固定比例"),
    ("kind.schedule", "schedule", "分阶段比例"),
    ("kind.base_increment", "base_increment", "基数加增量"),
    ("kind.tiered", "tiered", "分档"),
    ("kind.weighted", "weighted", "按权重"),
    ("kind.formula", "formula", "公式"),
    ("balance.year", "year", "年度"),
    ("balance.payer", "payer", "付款方"),
    ("balance.payee", "payee", "收款方"),
    ("balance.owed", "owed", "应付"),
    ("balance.paid", "paid", "已付"),
    ("balance.outstanding", "outstanding", "未付"),
    (
        "chart.sweep",
        "{zone} · rule {rule}: each party's total against {what}",
        "{zone} · 规则 {rule}：各方合计随 {what} 的变化",
    ),
    ("quota.chart.received", "received", "转入"),
    ("quota.chart.used", "used", "使用"),
    (
        "quota.chart.exempt",
        "exempt (major projects)",
        "单列（重大项目）",
    ),
    (
        "quota.chart.note",
        "left bar: allotted + received (dashed line: after what was given away); right bar: used",
        "左柱：下达 + 转入（虚线：扣除转出后）；右柱：使用",
    ),
    ("quota.chart.available", "available", "可用"),
    ("quota.chart.headroom", "headroom", "余量"),
    ("quota.chart.over", "over quota", "超指标"),
    (
        "quota.swap_rate",
        "swap {reference}: exchange rate {rate}",
        "置换 {reference}：兑换比例 {rate}",
    ),
    (
        "quota.none",
        "no quota account: no allocation or transfer names a metric in these years",
        "没有指标账户：所列年度内没有任何下达指标或转移记录",
    ),
];

/// `fencheng help CODE`: the long explanation of a message code (`explanations`), or
/// its message with a note that there is none yet; `Err` for a code that is not one.
pub fn help_for_code(code: &str) -> Result<String, Msg> {
    let code = code.to_ascii_uppercase();
    let Some(&(_, en, zh)) = MESSAGES.iter().find(|(c, _, _)| *c == code) else {
        return Err(crate::msg!("E0006", code = code));
    };
    if let Some(long) = explanations::of(&code) {
        return Ok(format!("{code}: {long}\n"));
    }
    let short = if lang() == Lang::Zh { zh } else { en };
    Ok(format!(
        "{code}: {short}\n\n{}\n",
        crate::msg!("E0007", code = code).text
    ))
}

/// Whether `text` looks like a message code (E0214, W0003), for `fencheng help CODE`.
pub fn is_code(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5
        && matches!(b[0], b'E' | b'W' | b'e' | b'w')
        && b[1..].iter().all(u8::is_ascii_digit)
}

/// The word for `id` in the family `kind` (`word("role", "records")` → 记录,
/// `word("kind", "schedule")` → 分阶段比例), or `id` itself when the catalogue has none.
pub fn word(kind: &str, id: &str) -> String {
    let key = format!("{kind}.{id}");
    match t(&key) {
        w if w == key => id.to_string(),
        w => w.to_string(),
    }
}

/// A manifest's role of an input file in the reader's language (`records` → 记录).
pub fn role(role: &str) -> String {
    word("role", role)
}

/// "1 file", "2 files"; "1 个文件" — `what` names a `count.` entry of the catalogue,
/// whose English is "one|many".
pub fn counted(n: usize, what: &str) -> String {
    let key = format!("count.{what}");
    let word = t(&key);
    match (lang(), word.split_once('|')) {
        (Lang::En, Some((one, _))) if n == 1 => format!("1 {one}"),
        (Lang::En, Some((_, many))) => format!("{n} {many}"),
        _ => format!("{n} {word}"),
    }
}

/// The text of `key` in the process's language (the key itself if unknown).
pub fn t(key: &str) -> &str {
    CATALOGUE
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or(key, |(_, en, zh)| if lang() == Lang::Zh { zh } else { en })
}

/// `t(key)` with `{name}` placeholders filled.
pub fn tf(key: &str, args: &[(&str, String)]) -> String {
    let mut s = t(key).to_string();
    for (name, v) in args {
        s = s.replace(&format!("{{{name}}}"), v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{CATALOGUE, MESSAGES};
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn every_long_explanation_is_of_a_code_and_in_both_languages() {
        for (code, en, zh) in super::explanations::EXPLANATIONS {
            assert!(MESSAGES.iter().any(|(c, _, _)| c == code), "{code}");
            assert!(en.contains("SPEC §") && zh.contains("SPEC §"), "{code}");
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{code}"
            );
        }
    }

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect()
    }

    /// Every Rust source file under `src/`.
    fn sources() -> Vec<std::path::PathBuf> {
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut out = Vec::new();
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Every `msg!` call in the sources: (file, code, argument names).
    fn calls() -> Vec<(String, String, BTreeSet<String>)> {
        let files = sources();
        let mut found = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let mut rest = text.as_str();
            while let Some(i) = rest.find("msg!(") {
                rest = rest[i + 5..].trim_start();
                let Some(r) = rest.strip_prefix('"') else {
                    continue;
                };
                rest = r;
                let code = rest.split('"').next().unwrap().to_string();
                if code.len() != 5 || !code[1..].chars().all(|c| c.is_ascii_digit()) {
                    continue; // not a call (this test's own text)
                }
                rest = &rest[code.len() + 1..];
                // The arguments: `name = expr` at depth 0 until the closing parenthesis.
                let (mut depth, mut end) = (0i32, rest.len());
                let mut in_str = false;
                let mut prev = ' ';
                for (j, c) in rest.char_indices() {
                    match c {
                        '"' if prev != '\\' => in_str = !in_str,
                        '(' | '[' | '{' if !in_str => depth += 1,
                        ')' | ']' | '}' if !in_str => {
                            if depth == 0 {
                                end = j;
                                break;
                            }
                            depth -= 1;
                        }
                        _ => {}
                    }
                    prev = c;
                }
                let body = &rest[..end];
                let mut args = BTreeSet::new();
                let (mut depth, mut start, mut in_str, mut prev) = (0i32, 0usize, false, ' ');
                let mut parts = Vec::new();
                for (j, c) in body.char_indices() {
                    match c {
                        '"' if prev != '\\' => in_str = !in_str,
                        '(' | '[' | '{' | '|' if !in_str && c != '|' => depth += 1,
                        ')' | ']' | '}' if !in_str => depth -= 1,
                        ',' if !in_str && depth == 0 => {
                            parts.push(&body[start..j]);
                            start = j + 1;
                        }
                        _ => {}
                    }
                    prev = c;
                }
                parts.push(&body[start..]);
                for p in &parts {
                    if let Some((name, _)) = p.split_once('=') {
                        let name = name.trim();
                        if !name.is_empty() {
                            args.insert(name.to_string());
                        }
                    }
                }
                let shown = f.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&f);
                found.push((crate::pathtext::show(shown), code, args));
            }
        }
        found
    }

    /// Every `tr("…")` template of the sources is in `TRACE`, with as many arguments in
    /// Chinese as in English, and every entry of `TRACE` is used.
    #[test]
    fn every_trace_sentence_has_its_chinese() {
        let count = |t: &str| {
            let mut n = 0;
            let mut rest = t;
            while let Some(i) = rest.find('{') {
                let after = &rest[i + 1..];
                if let Some(j) = after.find('}')
                    && after[..j].chars().all(|c| c.is_ascii_digit())
                {
                    n += 1;
                    rest = &after[j + 1..];
                } else {
                    rest = after;
                }
            }
            n
        };
        let mut used = BTreeSet::new();
        {
            for p in sources() {
                if p.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let mut rest = text.as_str();
                while let Some(i) = rest.find("i18n::tr(") {
                    rest = rest[i + 9..].trim_start();
                    let Some(r) = rest.strip_prefix('"') else {
                        continue; // a template in a variable (a table header)
                    };
                    let mut end = 0;
                    let bytes = r.as_bytes();
                    while end < bytes.len()
                        && !(bytes[end] == b'"' && (end == 0 || bytes[end - 1] != b'\\'))
                    {
                        end += 1;
                    }
                    let t = r[..end].replace("\\n", "\n");
                    let Some((en, zh)) = super::TRACE.iter().find(|(en, _)| *en == t) else {
                        panic!("{}: tr({t:?}) has no Chinese in i18n/trace.rs", p.display());
                    };
                    assert_eq!(count(en), count(zh), "{t:?}: arguments differ");
                    used.insert(t);
                    rest = &r[end..];
                }
            }
        }
        // Table headers pass through a variable: they count as used.
        for h in [
            "party",
            "ratio",
            "exact units",
            "whole units",
            "leftover",
            "amount",
            "variant",
            "Δ baseline",
        ] {
            used.insert(h.to_string());
        }
        for (en, zh) in super::TRACE {
            assert!(!zh.is_ascii(), "{en:?}: the Chinese is not Chinese");
            assert!(used.contains(*en), "{en:?} is in TRACE but never used");
        }
    }

    #[test]
    fn every_message_has_a_code_both_texts_and_its_arguments() {
        let mut codes = BTreeMap::new();
        for (code, en, zh) in MESSAGES {
            assert!(
                codes.insert(*code, (en, zh)).is_none(),
                "{code} appears twice"
            );
            assert!(
                code.len() == 5
                    && (code.starts_with('E') || code.starts_with('W'))
                    && code[1..].chars().all(|c| c.is_ascii_digit()),
                "{code}: codes are E or W and four digits"
            );
            assert!(
                !en.trim().is_empty() && !zh.trim().is_empty(),
                "{code} lacks a text"
            );
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)
                    || ('\u{3000}'..='\u{303f}').contains(&c)
                    || ('\u{ff00}'..='\u{ffef}').contains(&c)),
                "{code}: the Chinese text is not Chinese"
            );
            assert_eq!(
                placeholders(en),
                placeholders(zh),
                "{code}: placeholders differ"
            );
        }
        let calls = calls();
        let mut used = BTreeSet::new();
        for (file, code, args) in &calls {
            let Some((en, _)) = codes.get(code.as_str()) else {
                panic!("{file}: msg!(\"{code}\") is not in the catalogue");
            };
            assert_eq!(
                &placeholders(en),
                args,
                "{file}: msg!(\"{code}\") gives other arguments than its text names"
            );
            used.insert(code.as_str());
        }
        for code in codes.keys() {
            assert!(
                used.contains(code),
                "{code} is in the catalogue but never used"
            );
        }
    }

    #[test]
    fn every_key_has_both_languages_once() {
        let mut keys: Vec<&str> = CATALOGUE.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key appears twice");
        for (k, en, zh) in CATALOGUE {
            assert!(
                !en.trim().is_empty() && !zh.trim().is_empty(),
                "{k} lacks a text"
            );
            assert!(
                !zh.is_ascii() || zh == en,
                "{k}: the Chinese text is not Chinese"
            );
            // Placeholders are the same in both.
            let ph = |s: &str| {
                s.split('{')
                    .skip(1)
                    .map(|p| p.split('}').next().unwrap_or("").to_string())
                    .collect::<Vec<_>>()
            };
            assert_eq!(ph(en), ph(zh), "{k}: placeholders differ");
        }
    }
}
