//! The sentences and table words of the reports people read (`explain`'s trace, the
//! tables of `sweep`, `compare` and `project`) in Chinese, gettext-style: (English
//! template, Chinese). `{}` are
//! filled in order; `{0}`, `{1}`, … take an argument by position where Chinese orders
//! the sentence otherwise. Ids, amounts and formulas stay as they are.

pub const TRACE: &[(&str, &str)] = &[
    (
        "YTD is negative, so all of it goes to the base owner {}",
        "年累计为负，全部归基数所有方 {}",
    ),
    (
        "base for {} = {}: the base owner {} keeps min(YTD, base) = {}; the increment max(YTD − base, 0) = {} is split {}",
        "{0} 年基数 = {1}：基数所有方 {2} 保留 min(年累计, 基数) = {3}；增量 max(年累计 − 基数, 0) = {4} 按 {5} 分成",
    ),
    ("above: {}", "以上：{}"),
    ("progressive brackets on YTD ({})", "对年累计分档累进（{}）"),
    ("YTD in each bracket: {}", "各档内的年累计：{}"),
    (
        "the rule's {} shares of YTD",
        "本规则对年累计的 {} 分成比例",
    ),
    (
        "round half away from zero ({} × {} = {} → {})",
        "四舍五入（{} × {} = {} → {}）",
    ),
    (
        "rule '{}' (applies_to {}): the records' entities match it in the entities file ({}), and it is the first such rule in file order",
        "规则 '{}'（applies_to {}）：记录的企业在企业文件（{}）中与之相符，且它是文件中第一条这样的规则",
    ),
    (
        "rule '{}' (no applies_to): the records' entities match no applies_to of the other rules",
        "规则 '{}'（无 applies_to）：记录的企业与其他规则的 applies_to 均不相符",
    ),
    ("rule '{}'", "规则 '{}'"),
    (
        "{} cut to its cap {}; the excess {} given to {}",
        "{} 被削减到其封顶 {}；超出部分 {} 分给 {}",
    ),
    (
        "{} raised to its floor {}; the top-up {} taken from {}",
        "{} 被补足到其保底 {}；补足部分 {} 取自 {}",
    ),
    (
        "year {} from {}: {} ≤ day < {}",
        "自 {1} 起第 {0} 年：{2} ≤ 日期 < {3}",
    ),
    (
        "version {} is in force from {}{}; the period {} ({} to {}) lies inside it{}",
        "版本 {} 自 {} 起生效{}；期间 {}（{} 至 {}）在其有效期内{}",
    ),
    (" with no end date", "，无截止日期"),
    (" to {}", " 至 {}"),
    (" (versions of the zone: {})", "（该园区的协议版本：{}）"),
    ("{} from {}", "{} 自 {} 起"),
    ("years {}–{}", "第 {}–{} 年"),
    ("years {} onward", "第 {} 年起"),
    ("phase {} of {} ({}): {}", "第 {} 阶段（共 {} 个，{}）：{}"),
    (
        "the year-to-date total {} ({} units)",
        "年累计合计 {}（{} 个单位）",
    ),
    ("T = {} ({} units)", "T = {}（{} 个单位）"),
    (
        "every party receives a leftover unit",
        "每一方都分得一个余数单位",
    ),
    (
        "larger fractional part ({} > {} of {})",
        "小数部分较大（{} > {} 的 {}）",
    ),
    (
        "fractional part ties with {} ({}); larger ratio wins",
        "小数部分与 {} 相同（{}）；比例较大者得",
    ),
    (
        "fractional part and ratio tie with {}; '{}' sorts first",
        "小数部分和比例都与 {} 相同；'{}' 排序在前",
    ),
    (
        "Cell {} ({}) · zone {} ({}) · metric {} ({}, {}, quantum {} {})",
        "分成单元 {}（{}）· 园区 {}（{}）· 指标 {}（{}，{}，计量单位 {} {}）",
    ),
    (
        "Host (collects and pays the others): {} ({})",
        "属地征管方（征收并向其他各方支付）：{}（{}）",
    ),
    ("\nAgreement {} — {}", "\n协议 {} — {}"),
    ("  why: {}", "  依据：{}"),
    ("  cite: {}", "  条款：{}"),
    ("Rule {} ({}{}) — {}", "规则 {}（{}{}）— {}"),
    (", year-to-date", "，按年累计"),
    ("floor", "保底"),
    ("cap", "封顶"),
    ("  {} (annual): {}", "  {}（年度）：{}"),
    ("\n── Cell {} of {}{}", "\n── 分成单元 {0}/{1}{2}"),
    ("  year index {}", "  年序号 {}"),
    ("  Records summed ({}):", "  汇总的记录（{} 条）："),
    ("  Cell total: {}", "  分成单元合计：{}"),
    ("  No central share in force.", "  无中央分成。"),
    (
        "  Central share {} in force: central = {}",
        "  中央分成比例 {}：中央 = {}",
    ),
    (
        "  Level {} {} in force: {} = {}",
        "  法定级次 {} {}：{} = {}",
    ),
    (
        "  Component {} ({} records): total {}",
        "  组成指标 {}（{} 条记录）：合计 {}",
    ),
    ("    level {} {}: {}", "    法定级次 {} {}：{}"),
    ("    gives the pool {}", "    并入合并指标 {}"),
    (
        "  Deductions before sharing: D = {}",
        "  分成前扣减：D = {}",
    ),
    (
        "  Shareable T = {} ({} units of {})",
        "  可分成额 T = {}（{} 个 {} 单位）",
    ),
    ("  Method: {}", "  方法：{}"),
    ("  Binds: {}", "  生效的限额：{}"),
    (
        "  Year to date: YTD before = {}, YTD = {}; A(YTD before) = {}",
        "  年累计：此前年累计 = {}，年累计 = {}；A(此前年累计) = {}",
    ),
    ("nothing yet", "尚无"),
    ("  Largest remainder on {}:", "  对 {} 按最大余数法分配："),
    ("party", "地区"),
    ("ratio", "比例"),
    ("exact units", "精确单位数"),
    ("whole units", "整数单位"),
    ("leftover", "余数"),
    ("amount", "金额"),
    ("  Leftover units: {}", "  余数单位：{}"),
    ("    1 unit to {}: {}", "    1 个单位给 {}：{}"),
    (
        "  A(YTD) = {}; this period = A(YTD) − A(YTD before):",
        "  A(年累计) = {}；本期 = A(年累计) − A(此前年累计)：",
    ),
    ("  This cell:", "  本分成单元："),
    ("\nSummary rows of {} {} {}:", "\n{} {} {} 的汇总行："),
    ("\nAgainst the books ({}):", "\n与账簿对照（{}）："),
    (
        "the period was never closed: nothing booked",
        "该期间从未结账：无入账数",
    ),
    ("booked", "已入账"),
    ("truth", "应得"),
    ("adjustment", "调整"),
    ("late lines", "迟到记录"),
    ("amendment", "协议修订"),
    (
        "  Of each adjustment, the late lines' part and the amendment's (the standing inputs in use moved the booked lines' figure):",
        "  各项调整中，迟到记录的部分与协议修订的部分（当前使用的常设输入改变了已记账记录的数字）：",
    ),
    (
        "  Late records (arrived after the closing):",
        "  迟到的记录（结账后才到）：",
    ),
    (
        "then caps: a party above its cap is cut to it and the excess goes to the uncapped parties in proportion",
        "再按封顶：超过封顶的一方削减到封顶，超出部分按比例分给未封顶的各方",
    ),
    (
        "then floors: a party below min(floor, YTD) is raised to it from the parties without a floor, in proportion",
        "再按保底：低于 min(保底, 年累计) 的一方补足，差额按比例取自无保底的各方",
    ),
    ("up to {}: {}", "至 {}：{}"),
    ("{} to {}", "{} 至 {}"),
    (
        "closing {}, with every adjustment booked for it since",
        "{} 的结账，及其后为该期间入账的全部调整",
    ),
    ("value", "取值"),
    ("band", "浮动区间"),
    ("OUTSIDE", "超出"),
    ("{} (totals of {}, {}):\n", "{}（{}的合计，{}）：\n"),
    ("parties: {}\n", "地区：{}\n"),
    ("(total)", "（合计）"),
    ("zone", "园区"),
    ("metric", "指标"),
    ("baseline", "已签协议"),
    ("variant", "方案"),
    ("total", "合计"),
    ("Δ baseline", "与已签协议之差"),
    ("note: {}\n", "注：{}\n"),
    ("year", "年份"),
    ("PV {}", "现值 {}"),
];
