//! The language of what people read: table headers, workbook titles, the headings of
//! error reports. `--lang zh|en` chooses; by default `zh` when `LC_ALL`, `LC_MESSAGES`
//! or `LANG` (the first that is set, in that order) starts with `zh` (SPEC §10). CSV
//! headers, ids, numbers, `file:line:` prefixes, JSON keys and exit codes never change.
//!
//! Texts live in one catalogue, keyed; a test fails if a key lacks either language.
//! (Most problem messages are still written in English where they arise: moving them
//! into this catalogue, each with a stable code, is the work that remains.)

use std::sync::OnceLock;

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
    ("heading.config", "invalid configuration:", "配置有误："),
    ("heading.records", "invalid records:", "数据有误："),
    (
        "heading.expect",
        "control totals do not match:",
        "控制总数不符：",
    ),
    (
        "heading.differs",
        "verify found a difference:",
        "复核发现差异：",
    ),
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
    ("col.payer", "payer", "付款方"),
    ("col.payer_name", "payer_name", "付款方名称"),
    ("col.payee", "payee", "收款方"),
    ("col.payee_name", "payee_name", "收款方名称"),
];

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
    use super::CATALOGUE;

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
