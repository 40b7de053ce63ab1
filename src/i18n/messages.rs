//! Every problem message, by stable code: (code, English, Chinese). `{name}` is filled
//! by the `msg!` macro (`name = value` arguments). Codes never change meaning; a retired code is not
//! reused. Ranges: E00 general, E01 configuration, E02 records and other input files,
//! E03 computation, E04 books, E05 outputs and files, E06 commands, E08 configuration
//! (continued: E01 is full), E09 commands (continued: E06 is full), W warnings.
//!
//! The Chinese is written as a finance officer writes: 期间、园区、指标、金额、企业、地区,
//! "第 N 行" where a line is meant; ids, numbers and quoted values stay as they are.

/// Whether `code` is in the catalogue: `msg!` asserts it at compile time, so a message
/// of an unknown code does not build.
pub const fn known(code: &str) -> bool {
    index(code).is_some()
}

/// Whether the English template of `code` has the placeholder `{name}`: `msg!` asserts
/// it for each argument at compile time, so an argument the text does not show (a
/// misspelt name) does not build.
pub const fn takes(code: &str, name: &str) -> bool {
    let Some(i) = index(code) else {
        return false;
    };
    let t = MESSAGES[i].1.as_bytes();
    let n = name.as_bytes();
    let mut at = 0;
    while at + n.len() + 2 <= t.len() {
        if t[at] == b'{' && t[at + n.len() + 1] == b'}' {
            let mut k = 0;
            while k < n.len() && t[at + 1 + k] == n[k] {
                k += 1;
            }
            if k == n.len() {
                return true;
            }
        }
        at += 1;
    }
    false
}

const fn index(code: &str) -> Option<usize> {
    let c = code.as_bytes();
    let mut i = 0;
    while i < MESSAGES.len() {
        let m = MESSAGES[i].0.as_bytes();
        if m.len() == c.len() {
            let mut k = 0;
            while k < c.len() && m[k] == c[k] {
                k += 1;
            }
            if k == c.len() {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

pub const MESSAGES: &[(&str, &str, &str)] = &[
    // --- general -------------------------------------------------------------------
    (
        "E0001",
        "... and {count} more problems of the same kind",
        "……另有 {count} 个同类问题",
    ),
    ("E0002", "; did you mean '{name}'?", "；是否应为 '{name}'？"),
    (
        "E0006",
        "'{code}' is not a message code of fencheng: codes look like E0214 (E00 general, E01 configuration, E02 records and input files, E03 computation, E04 books, E05 outputs and files, E06 commands, E07 formulas, W warnings)",
        "'{code}' 不是 fencheng 的消息代码：代码形如 E0214（E00 通用，E01 配置，E02 记录与输入文件，E03 计算，E04 账簿，E05 输出与文件，E06 命令，E07 公式，W 警告）",
    ),
    (
        "E0007",
        "No longer explanation of {code} yet: the message, with the file, line and field it names, says what is wrong and what to write instead.",
        "{code} 暂无详细说明：消息本身连同所指明的文件、行号和字段，说明了问题所在以及应如何填写。",
    ),
    (
        "E0003",
        "empty value, expected a decimal number",
        "值为空，应为十进制数",
    ),
    (
        "E0004",
        "not a plain decimal number, expected digits with an optional leading '-' and '.' (no exponent, '+', '_' or thousands separator)",
        "不是普通十进制数，应为数字，可带前导 '-' 和小数点 '.'（不能用科学计数法、'+'、'_' 或千位分隔符）",
    ),
    (
        "E0005",
        "too many decimals, expected at most {max}",
        "小数位数过多，最多 {max} 位",
    ),
    // --- records and other input files --------------------------------------------
    (
        "E0201",
        "this is an Excel workbook (.xls/.xlsx), not a CSV text file: give it with its own extension (book.xls, book.xlsx), or save it from Excel as CSV",
        "这是 Excel 工作簿（.xls/.xlsx），不是 CSV 文本文件：请以其本来的扩展名提供（如 book.xls、book.xlsx），或在 Excel 中另存为 CSV",
    ),
    (
        "E0202",
        "not valid UTF-16 after its byte order mark",
        "字节顺序标记（BOM）之后的内容不是有效的 UTF-16 文本",
    ),
    (
        "E0203",
        "not valid {encoding}: bad byte sequence at byte offset {offset}",
        "不是有效的 {encoding} 文本：第 {offset} 字节处的字节序列无效",
    ),
    ("E0204", "not valid GB18030", "不是有效的 GB18030 文本"),
    (
        "E0205",
        "neither UTF-8 nor GB18030: first bad byte sequence at byte offset {offset}",
        "既不是 UTF-8 也不是 GB18030 文本：第一个无效字节序列在第 {offset} 字节处",
    ),
    (
        "E0206",
        "the file contains NUL bytes; it is not a text CSV file",
        "文件含有 NUL 字节，不是文本 CSV 文件",
    ),
    (
        "E0207",
        "a quote (\") opened here is never closed",
        "此处开始的引号（\"）没有闭合",
    ),
    (
        "E0208",
        "the file is empty; expected a header row with {columns}",
        "文件为空；第一行应为表头，包含 {columns}",
    ),
    (
        "E0209",
        "{found} fields, expected {expected} as in the header",
        "本行有 {found} 个字段，表头有 {expected} 个",
    ),
    (
        "E0210",
        "{found} fields, expected {expected} as in the header; an amount such as 1,234.50 written without quotes splits into two fields: remove the thousands separator (1234.50)",
        "本行有 {found} 个字段，表头有 {expected} 个；未加引号的 1,234.50 这类金额会被拆成两个字段：请去掉千位分隔符（写作 1234.50）",
    ),
    (
        "E0211",
        "a byte order mark (BOM) in the middle of the file: were two files joined? Remove it or pass the files as separate --records",
        "文件中间出现字节顺序标记（BOM）：是否把两个文件拼接在了一起？请删除它，或把两个文件分别用 --records 提供",
    ),
    (
        "E0250",
        "'{metric}' is not a quota metric: only kind = \"quota\" metrics have allotments and transfers",
        "'{metric}' 不是指标类（quota）指标：只有 kind = \"quota\" 的指标才有下达指标和指标转移",
    ),
    (
        "E0251",
        "'{text}' is not a year, expected YYYY",
        "'{text}' 不是年度，应为 YYYY（如 2025 或 2025年）",
    ),
    (
        "E0252",
        "quota cannot move from '{party}' to itself",
        "指标不能由 '{party}' 转给自己",
    ),
    (
        "E0253",
        "'{text}': a transfer moves an amount greater than 0",
        "'{text}'：转移数量须大于 0",
    ),
    (
        "E0254",
        "'{text}' is not a price: 元 per unit, ≥ 0, at most 2 decimals",
        "'{text}' 不是单价：每单位元数，≥ 0，最多 2 位小数",
    ),
    (
        "E0255",
        "'{metric}' has quota accounts: a deduction cannot name it",
        "'{metric}' 设有指标账户：扣除记录不能针对该指标",
    ),
    (
        "E0256",
        "'{metric}' has quota accounts: it may not have levels, be a pool or a pool's component",
        "'{metric}' 设有指标账户：不能设预算级次，也不能是合并口径或其组成部分",
    ),
    (
        "E0260",
        "header is the line of the export's header, 1 or more; found {text}",
        "header 是导出文件表头所在的行号，须 ≥ 1；实际为 {text}",
    ),
    (
        "E0261",
        "period_of_date is \"month\", \"quarter\" or \"year\", not '{text}'",
        "period_of_date 应为 \"month\"、\"quarter\" 或 \"year\"，不能是 '{text}'",
    ),
    (
        "E0262",
        "the profile has no [profile.columns] table",
        "导入模板缺少 [profile.columns] 表",
    ),
    (
        "E0263",
        "'{field}' is not a field of a record (period, zone, entity, metric, amount, entity_start){hint}",
        "'{field}' 不是记录的字段（period、zone、entity、metric、amount、entity_start）{hint}",
    ),
    (
        "E0264",
        "a column is the source column's header text, or for zone: { from = \"entities\" }",
        "列应写源文件的表头文字；zone 还可写 { from = \"entities\" }",
    ),
    (
        "E0265",
        "the source column '{column}' is already mapped to {other}: one column maps to one field",
        "源列 '{column}' 已对应字段 {other}：一列只能对应一个字段",
    ),
    (
        "E0266",
        "no source column for the required field {field}",
        "必需字段 {field} 没有对应的源列",
    ),
    (
        "E0267",
        "a [profile.values.zone] table cannot go with zone = { from = \"entities\" }",
        "zone = { from = \"entities\" } 时不能再有 [profile.values.zone] 表",
    ),
    (
        "E0268",
        "a skip needs exactly one of equals = [...] or prefix = \"...\"",
        "skip 须且只能有 equals = [...] 或 prefix = \"...\" 之一",
    ),
    (
        "E0269",
        "the export has no column '{column}' (named by the profile at {profile}){hint}",
        "导出文件没有 '{column}' 列（导入模板 {profile} 指定）{hint}",
    ),
    (
        "E0270",
        "the export's header has the column '{column}' more than once",
        "导出文件表头中 '{column}' 列出现多次",
    ),
    (
        "E0271",
        "'{text}' in column '{column}' is not listed in the profile's values table{hint}",
        "'{column}' 列中的 '{text}' 未列入导入模板的 values 对照表{hint}",
    ),
    (
        "E0272",
        "'{text}' is not a date (period_of_date takes the period from a date)",
        "'{text}' 不是日期（period_of_date 从日期取期间）",
    ),
    (
        "E0273",
        "'{text}': a '-' inside the brackets; a refund is written (1,234.00) or -1234.00",
        "'{text}'：括号内不能再有 '-'；退税写作 (1,234.00) 或 -1234.00",
    ),
    (
        "E0274",
        "'{text}' has a thousands separator in the wrong place (expected groups of three: 1,234,567.89)",
        "'{text}' 的千位分隔符位置不对（应每三位一组：1,234,567.89）",
    ),
    (
        "E0275",
        "the profile {profile} takes the zone from the entities file: give --entities FILE",
        "导入模板 {profile} 从企业名录取园区：请给出 --entities 文件",
    ),
    (
        "E0276",
        "the entity '{entity}' has no zone in {file} (its zone column)",
        "企业 '{entity}' 在 {file} 中没有园区（zone 列）",
    ),
    (
        "E0277",
        "no header found at or after line {line} (the profile's header)",
        "在第 {line} 行（导入模板的 header）及以后没有找到表头",
    ),
    (
        "E0278",
        "{rows} records written to {to}",
        "已写出 {rows} 条记录到 {to}",
    ),
    (
        "E0279",
        "this looks like a total row (合计/小计/总计), not a record: delete it, or read the export through a profile (--profile) whose [[profile.skip]] drops it",
        "这一行看起来是合计行（合计/小计/总计），不是记录：请删除它，或通过导入模板（--profile）读取导出文件，用 [[profile.skip]] 跳过它",
    ),
    (
        "E0281",
        "'{text}' is a date, not a period (YYYY-MM): write the period, or read the export through a profile (--profile) with period_of_date = \"month\"",
        "'{text}' 是日期，不是期间（YYYY-MM）：请写期间，或通过导入模板（--profile）读取并设 period_of_date = \"month\"",
    ),
    (
        "E0212",
        "'{text}' is not a period, expected YYYY-MM, YYYY-Qn or YYYY",
        "'{text}' 不是期间，应为 YYYY-MM、YYYY-Qn 或 YYYY（也可写 2025年1月、2025年第1季度）",
    ),
    (
        "E0213",
        "'{text}' is not {granularity} like the first record of the run ({first}); one granularity per run",
        "'{text}' 与本次计算的第一条记录（{first}）不同，不是{granularity}期间；一次计算只能用一种期间粒度",
    ),
    (
        "E0214",
        "'{text}' is not a zone of the configuration{hint}",
        "'{text}' 不是配置中的园区{hint}",
    ),
    (
        "E0215",
        "'{text}' is not a metric of the configuration{hint}",
        "'{text}' 不是配置中的指标{hint}",
    ),
    (
        "E0216",
        "empty, expected the enterprise's id",
        "为空，应填写企业代码",
    ),
    (
        "E0217",
        "'{text}' is not a date, expected YYYY-MM-DD",
        "'{text}' 不是日期，应为 YYYY-MM-DD（也可写 2014/4/1 或 2014年4月1日）",
    ),
    (
        "E0218",
        "'{text}' differs from the start date {date} of entity '{entity}' in {at}; one enterprise has one 投产日期",
        "'{text}' 与 {at} 中企业 '{entity}' 的投产日期 {date} 不一致；一个企业只有一个投产日期",
    ),
    (
        "E0219",
        "'{text}' is a pool (a total of other metrics); records name its components, e.g. '{component}'",
        "'{text}' 是合并指标（其他指标之和）；记录应填写其组成指标，例如 '{component}'",
    ),
    (
        "E0220",
        "column '{column}' appears twice",
        "列 '{column}' 出现了两次",
    ),
    (
        "E0221",
        "missing required column(s): {columns}; the header must name period, zone, entity, metric and amount",
        "缺少必需的列：{columns}；表头须包含期间、园区、企业、指标、金额（period, zone, entity, metric, amount）",
    ),
    (
        "E0222",
        "cannot read the file: {reason}",
        "无法读取文件：{reason}",
    ),
    (
        "E0231",
        "; it has full-width digits (全角数字): write '{plain}'",
        "；其中有全角数字：请写作 '{plain}'",
    ),
    (
        "E0232",
        "; remove the thousands separator: write '{plain}' (or read the tax system's export through a profile, --profile, with thousands = true)",
        "；请去掉千位分隔符：写作 '{plain}'（或通过导入模板 --profile 读取税务系统的导出文件，并设 thousands = true）",
    ),
    (
        "E0233",
        "; write the number alone, without ¥ or 元",
        "；只写数字，不要带 ¥ 或“元”",
    ),
    (
        "E0234",
        "'{text}' has more decimals than the metric's quantum {quantum} allows (at most {max})",
        "'{text}' 的小数位数超过了该指标计量单位 {quantum} 的允许范围（最多 {max} 位）",
    ),
    (
        "E0235",
        "'': empty value, expected a decimal number",
        "'': 金额为空，应为十进制数",
    ),
    (
        "E0236",
        "'{text}': not a plain decimal number, expected digits with an optional leading '-' and '.' (no exponent, '+', '_' or thousands separator){hint}",
        "'{text}': 不是普通十进制数，应为数字，可带前导 '-' 和小数点 '.'（不能用科学计数法、'+'、'_' 或千位分隔符）{hint}",
    ),
    (
        "E0237",
        "'{text}' is too large: amounts must be below 10^15 in absolute value",
        "'{text}' 过大：金额的绝对值须小于 10^15",
    ),
    (
        "E0238",
        "'{text}' is not a multiple of the metric's quantum {quantum}",
        "'{text}' 不是该指标计量单位 {quantum} 的整数倍",
    ),
    (
        "E0240",
        "'{id}' is listed twice (first at line {first}); one line per enterprise",
        "'{id}' 出现了两次（第一次在第 {first} 行）；每个企业只写一行",
    ),
    (
        "E0241",
        "'{party}' is not a declared party{hint}",
        "'{party}' 不是已声明的地区{hint}",
    ),
    (
        "E0242",
        "'{tag}' is not a tag, expected words of lower-case letters, digits, '_' or '-' separated by ';' (e.g. stock;referral)",
        "'{tag}' 不是有效标签：标签由小写字母、数字、'_' 或 '-' 组成，多个标签用 ';' 分隔（如 stock;referral）",
    ),
    (
        "E0239",
        "the file is too large to hold in one run (over 4 billion lines, or 4 GiB of ids or reasons); split it",
        "文件过大，一次运行无法容纳（超过 40 亿行，或编号、事由合计超过 4 GiB）；请拆分",
    ),
    // --- computation ------------------------------------------------------------------
    (
        "E0301",
        "{period} ends before the anchor date {anchor}",
        "期间 {period} 在起算日 {anchor} 之前就已结束",
    ),
    (
        "E0302",
        "year {year} is after the last phase of rule '{rule}' (which ends after year {end})",
        "第 {year} 年已超出规则 '{rule}' 的最后一个阶段（该阶段到第 {end} 年结束）",
    ),
    (
        "E0303",
        "metric '{metric}' has no rule in agreement '{agreement}' of zone '{zone}' that applies here",
        "园区 '{zone}' 的协议 '{agreement}' 中没有适用于此处的指标 '{metric}' 分成规则",
    ),
    (
        "E0304",
        "'{metric}' is a pool that no rule of agreement '{agreement}' of zone '{zone}' shares; deduct from the metric the rule shares",
        "'{metric}' 是合并指标，但园区 '{zone}' 的协议 '{agreement}' 中没有规则对它分成；请从规则实际分成的指标中扣减",
    ),
    (
        "E0305",
        "'{metric}' is pooled in '{pool}' in zone '{zone}' (rule '{rule}'): deduct from the pool '{pool}'",
        "在园区 '{zone}'（规则 '{rule}'）中，'{metric}' 并入了合并指标 '{pool}'：请从 '{pool}' 中扣减",
    ),
    (
        "E0306",
        "entity: empty, rule '{rule}' of zone '{zone}' counts phases from each enterprise's start date, so a deduction names the enterprise whose cell it reduces",
        "entity: 为空；园区 '{zone}' 的规则 '{rule}' 按各企业投产日期划分阶段，因此扣减须写明所扣减的企业",
    ),
    (
        "E0307",
        "entity '{entity}' has records in two phases of rule '{rule}' in {period} (its 投产日期 differs between records); the deduction cannot choose one",
        "企业 '{entity}' 在 {period} 的记录落在规则 '{rule}' 的两个阶段（各记录的投产日期不一致）；无法确定扣减哪一个",
    ),
    (
        "E0308",
        "entity '{entity}' has no record of '{metric}' in zone '{zone}' in {period}; a deduction for rule '{rule}' reduces that enterprise's cell",
        "企业 '{entity}' 在 {period} 没有园区 '{zone}' 指标 '{metric}' 的记录；规则 '{rule}' 的扣减只能扣减该企业的分成单元",
    ),
    (
        "E0309",
        "metric '{metric}' has no rule in agreement '{agreement}' of zone '{zone}'",
        "园区 '{zone}' 的协议 '{agreement}' 中没有指标 '{metric}' 的分成规则",
    ),
    ("E0310", "the cell total overflows", "分成单元合计溢出"),
    ("E0311", "the metric total overflows", "指标合计溢出"),
    (
        "E0312",
        "no rule of agreement '{agreement}' of zone '{zone}' applies to entity '{entity}' for metric '{metric}': every rule has an applies_to it does not match (its tags and origin in the entities file); add a rule without applies_to",
        "园区 '{zone}' 的协议 '{agreement}' 中没有规则适用于企业 '{entity}' 的指标 '{metric}'：每条规则的 applies_to 都与它（企业文件中的标签和来源地）不符；请增加一条不带 applies_to 的规则",
    ),
    (
        "E0313",
        "entity_start: empty, rule '{rule}' of zone '{zone}' counts phases from each enterprise's start date (投产日期); expected YYYY-MM-DD",
        "entity_start: 为空；园区 '{zone}' 的规则 '{rule}' 按各企业投产日期划分阶段，应填写 YYYY-MM-DD",
    ),
    (
        "E0314",
        "zone '{zone}' has no agreement in force in {period} ({first} to {last}); versions: {versions}",
        "园区 '{zone}' 在 {period}（{first} 至 {last}）没有有效的协议；协议版本：{versions}",
    ),
    (
        "E0315",
        "the agreement of zone '{zone}' changes inside {period} ({first} to {last}); use periods that do not straddle a version change (versions: {versions})",
        "园区 '{zone}' 的协议在 {period}（{first} 至 {last}）期间内变更；请使用不跨越版本变更的期间（协议版本：{versions}）",
    ),
    (
        "E0316",
        "cell {period} zone {zone} metric {metric}: {what} at this record, its running total in file order passes ±1.7·10^38 units of the quantum {quantum}; amounts this large need a coarser quantum",
        "分成单元 {period} 园区 {zone} 指标 {metric}：{what}，按文件顺序累计到本条记录时超过计量单位 {quantum} 的 ±1.7·10^38 倍；如此大的金额需要更粗的计量单位",
    ),
    // --- books ----------------------------------------------------------------------
    (
        "E0401",
        "{found} fields, expected {expected}",
        "本行有 {found} 个字段，应为 {expected} 个",
    ),
    ("E0402", "'{text}' is not a period", "'{text}' 不是期间"),
    (
        "E0403",
        "metric '{metric}' of the books is not in the configuration any more",
        "账簿中的指标 '{metric}' 已不在配置中",
    ),
    // --- outputs and files ------------------------------------------------------------
    (
        "E0501",
        "cannot write {file}: {reason}",
        "无法写入 {file}：{reason}",
    ),
    // --- configuration -------------------------------------------------------
    (
        "E0101",
        "'set' belongs in a scenario file (--scenario), not in the configuration",
        "'set' 只能写在情景文件（--scenario）中，不能写在配置里",
    ),
    (
        "E0102",
        "'{col}' is not a column of the records{hint}, expected one of {names}",
        "'{col}' 不是记录文件的列{hint}，应为以下之一：{names}",
    ),
    (
        "E0103",
        "defined twice (first at {first})",
        "重复定义（第一次在 {first}）",
    ),
    ("E0104", "'{text}': {reason}", "'{text}'：{reason}"),
    (
        "E0105",
        "'{text}' is not a date, expected YYYY-MM-DD",
        "'{text}' 不是日期，应为 YYYY-MM-DD",
    ),
    (
        "E0106",
        "missing, expected an id such as \"chengdu\"",
        "缺少，应填写代码，例如 \"chengdu\"",
    ),
    (
        "E0107",
        "'{text}' is not a valid id, expected lower-case letters, digits, '_' or '-'",
        "'{text}' 不是有效代码，只能使用小写字母、数字、'_' 或 '-'",
    ),
    (
        "E0108",
        "'central' is reserved for the state's statutory part and must not be declared",
        "'central' 专指中央法定分成部分，不能声明为地区",
    ),
    (
        "E0109",
        "'deduction' is reserved for the row of amounts deducted before sharing and must not be declared",
        "'deduction' 专指分成前扣减金额所在的行，不能声明为地区",
    ),
    (
        "E0110",
        "duplicate party '{party}' (first declared at {first})",
        "地区 '{party}' 重复声明（第一次在 {first}）",
    ),
    (
        "E0111",
        "{what} '{name}' is already used by metric '{other}'",
        "{what} '{name}' 已被指标 '{other}' 使用",
    ),
    (
        "E0112",
        "{what} '{name}' is already used by zone '{other}'",
        "{what} '{name}' 已被园区 '{other}' 使用",
    ),
    (
        "E0113",
        "'{text}' is not a valid metric id, expected lower-case letters, digits, '_' or '-'",
        "'{text}' 不是有效的指标代码，只能使用小写字母、数字、'_' 或 '-'",
    ),
    (
        "E0114",
        "'{text}' is not a metric kind, expected tax, statistic or quota",
        "'{text}' 不是指标类别，应为 tax（税收）、statistic（统计）或 quota（指标额度）",
    ),
    (
        "E0115",
        "missing, expected tax, statistic or quota",
        "缺少，应为 tax（税收）、statistic（统计）或 quota（指标额度）",
    ),
    (
        "E0116",
        "missing, expected the rounding unit as a string, e.g. \"0.01\"",
        "缺少，应以字符串写出舍入单位，例如 \"0.01\"",
    ),
    (
        "E0117",
        "'{text}' must be a positive decimal with at most 18 decimals, e.g. \"0.01\"",
        "'{text}' 须为正的十进制数，最多 18 位小数，例如 \"0.01\"",
    ),
    (
        "E0118",
        "both central_share and levels are given; central_share = c is the shorthand for levels = { central = c }: keep one",
        "同时给出了 central_share 和 levels；central_share = c 是 levels = { central = c } 的简写：请只保留一个",
    ),
    (
        "E0119",
        "assessment = \"dual\" is for statistic metrics (考核口径); this metric is not a statistic",
        "assessment = \"dual\"（考核口径）只适用于统计指标；该指标不是统计指标",
    ),
    (
        "E0120",
        "'{text}' is not an assessment view, expected \"dual\"",
        "'{text}' 不是考核口径，应为 \"dual\"",
    ),
    (
        "E0121",
        "the central share must be between 0 and 1",
        "中央分成比例须在 0 与 1 之间",
    ),
    (
        "E0122",
        "two entries have the same 'from' date",
        "两个条目的 'from' 日期相同",
    ),
    (
        "E0123",
        "empty table, expected at least one level, e.g. { central = \"0.5\" }",
        "表为空，应至少有一个法定级次，例如 { central = \"0.5\" }",
    ),
    (
        "E0124",
        "'deduction' is reserved for the deductions row and cannot be a level",
        "'deduction' 专指扣减行，不能作为法定级次",
    ),
    (
        "E0125",
        "'{party}' is not a declared party (a level is 'central' or a declared party such as the province){hint}",
        "'{party}' 不是已声明的地区（法定级次应为 'central' 或已声明的地区，如省级）{hint}",
    ),
    (
        "E0126",
        "'{text}' must be a ratio between 0 and 1",
        "'{text}' 须为 0 到 1 之间的比例",
    ),
    (
        "E0127",
        "the levels sum to {sum}, more than 1: they are parts of the cell total",
        "各法定级次之和为 {sum}，超过 1：它们是分成单元合计的组成部分",
    ),
    (
        "E0128",
        "a pool has no levels or central_share of its own: its components keep theirs",
        "合并指标本身没有 levels 或 central_share：其组成指标各自保留自己的法定级次",
    ),
    (
        "E0129",
        "empty list, expected the metrics pooled, e.g. [\"vat\", \"cit\"]",
        "列表为空，应列出合并的指标，例如 [\"vat\", \"cit\"]",
    ),
    (
        "E0130",
        "'{metric}' is not a declared metric{hint}",
        "'{metric}' 不是已声明的指标{hint}",
    ),
    (
        "E0131",
        "a pool cannot contain itself",
        "合并指标不能包含自身",
    ),
    (
        "E0132",
        "'{metric}' is itself a pool; pools do not nest",
        "'{metric}' 本身是合并指标；合并指标不能嵌套",
    ),
    (
        "E0133",
        "'{metric}' is a {kind} metric but the pool is {pool}; a pool's components share its kind",
        "'{metric}' 是 {kind} 类指标，而合并指标是 {pool} 类；组成指标须与合并指标同类",
    ),
    (
        "E0134",
        "'{metric}' has quantum {quantum} but the pool has {pool}; a pool's components share its quantum",
        "'{metric}' 的计量单位是 {quantum}，而合并指标是 {pool}；组成指标须与合并指标的计量单位相同",
    ),
    (
        "E0135",
        "'{metric}' is already in pool '{pool}'; a metric is in at most one pool",
        "'{metric}' 已在合并指标 '{pool}' 中；一个指标最多属于一个合并指标",
    ),
    (
        "E0136",
        "'{text}' is not a valid zone id, expected lower-case letters, digits, '_' or '-'",
        "'{text}' 不是有效的园区代码，只能使用小写字母、数字、'_' 或 '-'",
    ),
    (
        "E0137",
        "missing, expected the id of the party that collects (属地征管)",
        "缺少，应填写属地征管地区的代码",
    ),
    (
        "E0138",
        "'{party}' is not a declared party{hint}",
        "'{party}' 不是已声明的地区{hint}",
    ),
    (
        "E0139",
        "duplicate agreement id '{id}'",
        "协议版本代码 '{id}' 重复",
    ),
    (
        "E0140",
        "the zone has no agreement; expected at least one [[zone.<id>.agreement]]",
        "该园区没有协议；应至少有一个 [[zone.<id>.agreement]]",
    ),
    (
        "E0141",
        "version '{id}' (from {from}) overlaps version '{other}' ({start} to {end})",
        "版本 '{id}'（自 {from} 起）与版本 '{other}'（{start} 至 {end}）重叠",
    ),
    (
        "E0142",
        "'{metric}' is a pool: a pool has no levels, its components keep theirs",
        "'{metric}' 是合并指标：合并指标没有法定级次，其组成指标各自保留",
    ),
    (
        "E0143",
        "'{party}' takes a statutory level of metric '{metric}' and is also named by this rule; a level party is never a party of the rule that shares the rest",
        "'{party}' 已取得指标 '{metric}' 的法定级次，又被本规则列为分成方；法定级次的地区不能参与剩余部分的分成",
    ),
    (
        "E0144",
        "missing, expected a version id such as \"2021\"",
        "缺少，应填写版本代码，例如 \"2021\"",
    ),
    (
        "E0145",
        "'{text}' is not a valid agreement id, expected lower-case letters, digits, '_' or '-' (e.g. \"2021\")",
        "'{text}' 不是有效的协议代码，只能使用小写字母、数字、'_' 或 '-'（例如 \"2021\"）",
    ),
    (
        "E0146",
        "missing, expected the date the version comes into force (YYYY-MM-DD)",
        "缺少，应填写该版本的生效日期（YYYY-MM-DD）",
    ),
    (
        "E0147",
        "ends ({end}) before it starts ({start})",
        "结束日期（{end}）早于开始日期（{start}）",
    ),
    ("E0148", "duplicate rule id '{id}'", "规则代码 '{id}' 重复"),
    (
        "E0149",
        "metric '{metric}' is already shared by rule '{rule}' of this agreement; a metric appears in at most one rule without applies_to (a pool counts for its components)",
        "指标 '{metric}' 已由本协议的规则 '{rule}' 分成；一个指标最多出现在一条不带 applies_to 的规则中（合并指标计入其组成指标）",
    ),
    (
        "E0150",
        "'{metric}' is a component of pool '{pool}', which rule '{rule}' of this agreement shares; a component is shared either in its pool or on its own",
        "'{metric}' 是合并指标 '{pool}' 的组成部分，而本协议的规则 '{rule}' 已对 '{pool}' 分成；组成指标要么随合并指标分成，要么单独分成",
    ),
    (
        "E0151",
        "empty table, expected at least one party",
        "表为空，应至少有一个地区",
    ),
    (
        "E0152",
        "'{text}' is negative, expected a value ≥ 0",
        "'{text}' 为负数，应 ≥ 0",
    ),
    (
        "E0153",
        "ratios sum to {sum}, expected exactly 1",
        "各方比例之和为 {sum}，应恰好为 1",
    ),
    (
        "E0154",
        "missing, expected a rule id such as \"tax\"",
        "缺少，应填写规则代码，例如 \"tax\"",
    ),
    (
        "E0155",
        "'{text}' is not a valid rule id, expected lower-case letters, digits, '_' or '-' (e.g. \"tax\")",
        "'{text}' 不是有效的规则代码，只能使用小写字母、数字、'_' 或 '-'（例如 \"tax\"）",
    ),
    (
        "E0156",
        "missing, expected a list of metric ids",
        "缺少，应为指标代码列表",
    ),
    (
        "E0157",
        "empty list, expected at least one metric id",
        "列表为空，应至少有一个指标代码",
    ),
    (
        "E0158",
        "names pool '{pool}' and its component '{metric}'; the pool already shares it",
        "同时列出了合并指标 '{pool}' 及其组成指标 '{metric}'；合并指标已包含它",
    ),
    (
        "E0159",
        "'{text}' is not a tag, expected one word of lower-case letters, digits, '_' or '-', e.g. \"stock\"",
        "'{text}' 不是有效标签，应为由小写字母、数字、'_' 或 '-' 组成的一个词，例如 \"stock\"",
    ),
    (
        "E0160",
        "unknown key '{key}'{hint}, expected tag or origin",
        "未知的键 '{key}'{hint}，应为 tag 或 origin",
    ),
    (
        "E0161",
        "expected exactly one key, tag or origin: { tag = \"stock\" } or { origin = \"linshui\" }",
        "应恰好有一个键 tag 或 origin：{ tag = \"stock\" } 或 { origin = \"linshui\" }",
    ),
    (
        "E0162",
        "missing for this rule kind",
        "该规则类别必须有此项",
    ),
    (
        "E0163",
        "'{text}' is not an anchor, expected \"agreement\" or \"entity_start\"",
        "'{text}' 不是起算点，应为 \"agreement\"（协议生效日）或 \"entity_start\"（企业投产日期）",
    ),
    (
        "E0164",
        "missing, expected fixed, schedule, base_increment, tiered, weighted or formula",
        "缺少，应为 fixed、schedule、base_increment、tiered、weighted 或 formula",
    ),
    (
        "E0165",
        "empty, expected at least one phase",
        "为空，应至少有一个阶段",
    ),
    (
        "E0166",
        "{text} is not a number of years ≥ 1",
        "{text} 不是 ≥ 1 的年数",
    ),
    (
        "E0167",
        "missing; only the last phase may be open-ended",
        "缺少；只有最后一个阶段可以不写年数",
    ),
    ("E0168", "missing", "缺少"),
    (
        "E0169",
        "'{text}' is negative, expected an amount ≥ 0",
        "'{text}' 为负数，金额应 ≥ 0",
    ),
    (
        "E0170",
        "'{text}' is not a year, expected keys such as \"2025\"",
        "'{text}' 不是年份，键应为 \"2025\" 这样的年份",
    ),
    (
        "E0171",
        "empty, expected at least one tier",
        "为空，应至少有一档",
    ),
    (
        "E0172",
        "tier limits must increase and be above 0",
        "各档上限须大于 0 且逐档递增",
    ),
    (
        "E0173",
        "the last tier must be open-ended (no 'upto')",
        "最后一档不能有上限（不写 'upto'）",
    ),
    (
        "E0174",
        "missing; only the last tier may omit 'upto'",
        "缺少；只有最后一档可以不写 'upto'",
    ),
    (
        "E0175",
        "the weights sum to 0, expected a positive total",
        "权重之和为 0，应为正数",
    ),
    (
        "E0176",
        "uses 'year' but the rule has no anchor; add anchor = \"agreement\" or \"entity_start\"",
        "使用了 'year'，但该规则没有起算点；请加上 anchor = \"agreement\" 或 \"entity_start\"",
    ),
    (
        "E0177",
        "more than one party is 'rest'; at most one may be",
        "不止一个地区取 'rest'；最多只能有一个",
    ),
    (
        "E0178",
        "'{text}' is not a rule kind, expected fixed, schedule, base_increment, tiered, weighted or formula",
        "'{text}' 不是规则类别，应为 fixed、schedule、base_increment、tiered、weighted 或 formula",
    ),
    (
        "E0179",
        "a {kind} rule has no anchor",
        "{kind} 类规则没有起算点",
    ),
    (
        "E0180",
        "'{party}' is not a party of this rule",
        "'{party}' 不是本规则的分成方",
    ),
    (
        "E0181",
        "a {kind} rule takes no top-level 'shares'",
        "{kind} 类规则不使用顶层的 'shares'",
    ),
    (
        "E0182",
        "a band is a ratio between 0 and 1, e.g. \"0.20\"",
        "浮动区间（band）是 0 到 1 之间的比例，例如 \"0.20\"",
    ),
    ("E0183", "{reason}", "TOML 格式有误：{reason}"),
    (
        "E0184",
        "unknown key `{key}`; did you mean `{name}`? (expected one of {known})",
        "未知的键 `{key}`；是否应为 `{name}`？（可用的键：{known}）",
    ),
    (
        "E0185",
        "unknown key `{key}`, expected one of {known}",
        "未知的键 `{key}`，可用的键：{known}",
    ),
    (
        "E0186",
        "TOML float {value} is not exact; write decimals as strings, e.g. \"{value}\"",
        "TOML 浮点数 {value} 不精确；十进制数请写成字符串，例如 \"{value}\"",
    ),
    (
        "E0801",
        "a {kind} rule takes no '{field}' (a field of {owners} rules)",
        "{kind} 类规则不使用 '{field}'（这是 {owners} 类规则的字段）",
    ),
    // --- formulas ------------------------------------------------------------------
    (
        "E0701",
        "column {column}: {message}",
        "第 {column} 列：{message}",
    ),
    (
        "E0702",
        "expected digits after the decimal point",
        "小数点后应有数字",
    ),
    (
        "E0703",
        "a number may not be followed by letters (no exponents or units)",
        "数字后面不能紧跟字母（不能用科学计数法或单位）",
    ),
    (
        "E0704",
        "unexpected character '{char}'",
        "意外的字符 '{char}'",
    ),
    (
        "E0705",
        "{what} expects a number, found a truth value",
        "{what}需要数值，这里却是真假值",
    ),
    (
        "E0706",
        "{what} expects a truth value (a comparison), found a number",
        "{what}需要真假值（比较式），这里却是数值",
    ),
    (
        "E0707",
        "comparisons do not chain; write 'a < b and b < c'",
        "比较不能连写；请写成 'a < b and b < c'",
    ),
    ("E0708", "{name}() needs arguments", "{name}() 需要参数"),
    (
        "E0709",
        "expected ',' or ')' in the arguments of {name}() opened at column {column}",
        "第 {column} 列开始的 {name}() 的参数中应为 ',' 或 ')'",
    ),
    (
        "E0710",
        "expected ')' to close the '(' at column {column}",
        "缺少 ')' 来闭合第 {column} 列的 '('",
    ),
    (
        "E0711",
        "if() takes 3 arguments (condition, then, else), found {found}",
        "if() 需要 3 个参数（条件, 成立时, 不成立时），这里有 {found} 个",
    ),
    (
        "E0712",
        "both branches of if() must be of the same kind (two numbers or two truth values)",
        "if() 的两个分支须为同一类（都是数值或都是真假值）",
    ),
    (
        "E0713",
        "unknown function '{name}', expected if, min or max",
        "未知的函数 '{name}'，可用 if、min 或 max",
    ),
    (
        "E0714",
        "'{name}' needs a value before/after it",
        "'{name}' 前后需要有值",
    ),
    (
        "E0715",
        "'{name}' is a function: write {name}(...)",
        "'{name}' 是函数：请写成 {name}(...)",
    ),
    (
        "E0716",
        "unknown name '{name}', expected year, month, amount or ytd",
        "未知的名称 '{name}'，可用 year、month、amount 或 ytd",
    ),
    (
        "E0717",
        "the expression ends too early, expected a value",
        "表达式提前结束，此处应有一个值",
    ),
    (
        "E0718",
        "unexpected '{token}', expected a value",
        "意外的 '{token}'，此处应有一个值",
    ),
    (
        "E0719",
        "empty expression, expected a ratio such as 0.6 or if(year <= 5, 0.7, 0.5)",
        "表达式为空，应为比例，例如 0.6 或 if(year <= 5, 0.7, 0.5)",
    ),
    (
        "E0720",
        "unexpected text after the end of the expression",
        "表达式结束后还有多余内容",
    ),
    (
        "E0721",
        "the expression is a truth value; a share must be a number",
        "表达式的结果是真假值；分成比例须为数值",
    ),
    (
        "E0722",
        "the expression is a truth value",
        "表达式的结果是真假值",
    ),
    (
        "E0723",
        "a number where a truth value was expected",
        "此处应为真假值，却是数值",
    ),
    (
        "E0724",
        "division by zero at column {column}",
        "第 {column} 列除以零",
    ),
    // --- --set (overlay) -----------------------------------------------------
    (
        "E0601",
        "--set '{text}': expected PATH=VALUE, e.g. zone.cheng-a.agreement.2021.rule.tax.shares.aba=0.65",
        "--set '{text}'：应为 路径=值，例如 zone.cheng-a.agreement.2021.rule.tax.shares.aba=0.65",
    ),
    (
        "E0602",
        "{what}: '{text}': {reason}",
        "{what}：'{text}'：{reason}",
    ),
    (
        "E0603",
        "{what}: '{text}' is not a ratio between 0 and 1",
        "{what}：'{text}' 不是 0 到 1 之间的比例",
    ),
    (
        "E0604",
        "{what}: '{text}' is negative, expected an amount ≥ 0",
        "{what}：'{text}' 为负数，金额应 ≥ 0",
    ),
    (
        "E0605",
        "{what}: '{party}' is not a party of this table (parties: {parties})",
        "{what}：'{party}' 不在此表中（表中地区：{parties}）",
    ),
    (
        "E0606",
        "{what}: the other ratios are all 0, so setting {party} to {value} cannot keep the sum at 1",
        "{what}：其他比例都是 0，把 {party} 设为 {value} 无法保持比例之和为 1",
    ),
    (
        "E0607",
        "{what}: {party} is the only party; its ratio must stay 1",
        "{what}：{party} 是唯一的分成方，其比例只能为 1",
    ),
    (
        "E0608",
        "{what}: '{party}' has no entry here",
        "{what}：此处没有 '{party}' 的条目",
    ),
    (
        "E0609",
        "{what}: '{text}' is not an element (1 to {len})",
        "{what}：'{text}' 不是有效序号（1 到 {len}）",
    ),
    ("E0610", " (expected one of {keys})", "（可用：{keys}）"),
    (
        "E0611",
        "{op}: no key '{key}' {place}{hint}",
        "{op}：{place}没有键 '{key}'{hint}",
    ),
    ("E0612", "unknown metric", "未知的指标"),
    (
        "E0613",
        "applies_to takes tag or origin",
        "applies_to 只能是 tag 或 origin",
    ),
    (
        "E0614",
        "rule '{rule}' applies to every other enterprise; a rule without applies_to cannot be given one here (use a scenario that adds the rule)",
        "规则 '{rule}' 适用于其余所有企业；不能在此给不带 applies_to 的规则加上 applies_to（请用增加该规则的情景文件）",
    ),
    ("E0615", "unknown path", "未知的路径"),
    ("E0616", "unknown zone", "未知的园区"),
    (
        "E0617",
        "{what}: '{text}' is not a number of years ≥ 1",
        "{what}：'{text}' 不是 ≥ 1 的年数",
    ),
    ("E0618", "'{text}' is not a year", "'{text}' 不是年份"),
    (
        "E0619",
        "this base is one amount for every year; set `base` itself",
        "该基数对每年都是同一个金额；请直接设置 `base`",
    ),
    ("E0620", "the last tier has no limit", "最后一档没有上限"),
    (
        "E0621",
        "tier limits must increase and be above 0",
        "各档上限须大于 0 且逐档递增",
    ),
    ("E0622", "the weights would sum to 0", "权重之和将为 0"),
    (
        "E0623",
        "'{party}' is not a party of this formula",
        "'{party}' 不是此公式的分成方",
    ),
    (
        "E0624",
        "the levels would sum to {sum}, more than 1",
        "各法定级次之和将为 {sum}，超过 1",
    ),
    (
        "E0187",
        "not valid UTF-8 (byte offset {offset}); save the configuration as UTF-8",
        "不是有效的 UTF-8 文本（第 {offset} 字节）；请将配置文件保存为 UTF-8 编码",
    ),
    (
        "E0188",
        "cannot open the configuration: {reason}",
        "无法打开配置：{reason}",
    ),
    (
        "E0189",
        "cannot list the directory: {reason}",
        "无法列出目录内容：{reason}",
    ),
    (
        "E0190",
        "the directory holds no *.toml file",
        "该目录中没有 *.toml 文件",
    ),
    (
        "E0191",
        "'{party}' cannot pay or receive an obligation: central, deduction and level parties are not regions",
        "'{party}' 不能支付或收取约定款项：central、deduction 及预算级次方不是地区",
    ),
    ("E0192", "required here", "此处必须填写"),
    (
        "E0193",
        "the payer '{party}' is also the one paid; an obligation is owed to another region",
        "支付方 '{party}' 与收款方相同；约定款项须由一个地区付给另一个地区",
    ),
    (
        "E0194",
        "'{metric}' is not a declared tax metric or pool",
        "'{metric}' 不是已声明的税收指标或合并口径",
    ),
    (
        "E0195",
        "no rule of this zone shares '{metric}'",
        "该园区没有分成 '{metric}' 的规则",
    ),
    (
        "E0196",
        "'{party}' is not a party of the rule that shares this metric in the zone",
        "'{party}' 不是该园区分成此指标之规则的一方",
    ),
    (
        "E0197",
        "'{text}' is not a multiple of the metric's quantum {quantum}",
        "'{text}' 不是该指标计量单位 {quantum} 的整数倍",
    ),
    (
        "E0198",
        "only a quota metric has exempt entities",
        "只有指标类（quota）指标才能设置单列（exempt）企业",
    ),
    (
        "E0199",
        "expected exempt = { tag = \"…\" }",
        "应写为 exempt = { tag = \"…\" }",
    ),
    (
        "E0404",
        "--period {period} is not after the latest closed period {mark}; a closed period is never reopened by close (books reopen undoes the latest closing)",
        "--period {period} 不晚于最近已结账的期间 {mark}；close 不会重开已结账期间（books reopen 可撤销最近一次结账）",
    ),
    (
        "E0405",
        "a new line belongs to {last}, after --period {period}: close {last} too, or leave its lines for a later closing",
        "有新记录属于 {last}，晚于 --period {period}：请把 {last} 一并结账，或把这些记录留待以后结账",
    ),
    (
        "E0406",
        "nothing to close: no new line, and no --period",
        "没有可结账的内容：既没有新记录，也没有给出 --period",
    ),
    (
        "E0407",
        "every line belongs to a period already closed (at or before {mark}): give --period P to book the adjustments in a new closing P",
        "所有记录都属于已结账的期间（{mark} 及以前）：请用 --period P 把调整计入新的结账期间 P",
    ),
    (
        "E0317",
        "share of '{party}' = {source}: {reason}",
        "'{party}' 的比例 = {source}：{reason}",
    ),
    (
        "E0318",
        "share of '{party}' = {source} gives {value}, outside [0, 1]",
        "'{party}' 的比例 = {source} 算得 {value}，不在 [0, 1] 之内",
    ),
    (
        "E0319",
        "the shares other than 'rest' ({party}) add up to {sum}, more than 1",
        "除 'rest'（{party}）以外的比例之和为 {sum}，超过 1",
    ),
    (
        "E0320",
        "the shares add up to {sum}, expected exactly 1",
        "各方比例之和为 {sum}，应恰好为 1",
    ),
    (
        "E0321",
        "rule '{rule}' has no base for {year}; add \"{year}\" = \"...\" to its base",
        "规则 '{rule}' 没有 {year} 年的基数；请在其 base 中加上 \"{year}\" = \"...\"",
    ),
    (
        "E0322",
        "the growth file has no total for {year}, the base year",
        "增长文件中没有基年 {year} 的合计",
    ),
    (
        "E0323",
        "the growth file has no total for {year}",
        "增长文件中没有 {year} 年的合计",
    ),
    (
        "E0324",
        "the growth file's total for {year} is 0: no factor can follow from it",
        "增长文件中 {year} 年的合计为 0：无法据此算出增长系数",
    ),
    (
        "E0325",
        "cell {period} zone {zone} metric {metric} (agreement {agreement}, rule {rule})",
        "分成单元 {period} 园区 {zone} 指标 {metric}（协议 {agreement}，规则 {rule}）",
    ),
    (
        "E0326",
        "{cell}: shares add up to {sum} units but the records add up to {total}",
        "{cell}：各方份额合计 {sum} 个单位，而记录合计 {total} 个单位",
    ),
    (
        "E0327",
        "metric {metric}: {got} units allocated but none read",
        "指标 {metric}：分配了 {got} 个单位，但没有读入任何记录",
    ),
    (
        "E0328",
        "metric {metric}: {got} units allocated but {input} units read",
        "指标 {metric}：分配了 {got} 个单位，但读入的是 {input} 个单位",
    ),
    (
        "E0408",
        "cannot read the books directory: {reason}",
        "无法读取账簿目录：{reason}",
    ),
    (
        "E0409",
        "{why}: {dir} is not a books directory, or holds something else; nothing was changed",
        "{why}：{dir} 不是账簿目录，或其中有别的内容；未做任何改动",
    ),
    (
        "E0410",
        "not a closing (closings are named by their period, e.g. 2025-01)",
        "不是结账目录（结账目录以期间命名，例如 2025-01）",
    ),
    ("E0411", "no manifest.json", "没有 manifest.json"),
    (
        "E0412",
        "the closing's manifest cannot be read: {reason}",
        "无法读取该结账的清单（manifest）：{reason}",
    ),
    (
        "E0413",
        "its manifest.json is not that of a closing of this period",
        "其 manifest.json 不是本期间结账的清单",
    ),
    (
        "E0414",
        "the books are {granularity} (first closing {first}), but this closing is not",
        "账簿按{granularity}结账（第一次结账为 {first}），而此次结账不是",
    ),
    (
        "E0415",
        "cannot read the booked figures: {reason}",
        "无法读取已入账的数字：{reason}",
    ),
    (
        "E0243",
        "not a readable workbook: {reason}",
        "无法读取的工作簿：{reason}",
    ),
    (
        "E0244",
        "no sheet '{sheet}' in the workbook; sheets: {sheets}",
        "工作簿中没有工作表 '{sheet}'；现有工作表：{sheets}",
    ),
    ("E0245", "the workbook has no sheet", "工作簿中没有工作表"),
    (
        "E0246",
        "sheet '{sheet}': {reason}",
        "工作表 '{sheet}'：{reason}",
    ),
    (
        "E0247",
        "missing required column(s): {columns}",
        "缺少必需的列：{columns}",
    ),
    ("E0248", "malformed CSV: {reason}", "CSV 格式有误：{reason}"),
    (
        "E0329",
        "invariant broken: {detail}",
        "内部校验未通过：{detail}",
    ),
    (
        "E0502",
        "cannot write the output: {reason}",
        "无法写入输出：{reason}",
    ),
    (
        "E0503",
        "cannot write the workbook: {reason}",
        "无法写入工作簿：{reason}",
    ),
    (
        "E0504",
        "detail has more than {max} lines, more than a sheet holds; use detail.csv",
        "明细超过 {max} 行，超出一个工作表的容量；请使用 detail.csv",
    ),
    (
        "E0505",
        "a directory is in the way of this output file; nothing was written",
        "输出文件的位置上已有一个同名目录；未写入任何文件",
    ),
    // --- commands ------------------------------------------------------------
    (
        "E0699",
        "--config PATH is required",
        "必须给出 --config PATH（配置文件或目录）",
    ),
    (
        "E0685",
        "{path} is one of this command's inputs: an output never overwrites an input",
        "{path} 是本命令的输入文件：输出绝不覆盖输入",
    ),
    (
        "E0524",
        "settlement row {period} {payer} → {payee}: not a period and two parties of the configuration; the directory was altered",
        "结算行 {period} {payer} → {payee}：期间或地区不是配置中的；该目录已被改动",
    ),
    (
        "E0686",
        "--xlsx {path} is another output of this run: give the workbook a name of its own",
        "--xlsx {path} 是本次运行的另一个输出文件：请给工作簿另起文件名",
    ),
    (
        "E0687",
        "'{text}' is out of range: a yearly rate is above -1 (−100 %) and at most 10 (1,000 %)",
        "'{text}' 超出范围：年增长率或折现率须大于 -1（−100%），且不超过 10（1,000%）",
    ),
    (
        "E0688",
        "explain --quota needs --year Y, --metric M and --party P (and the --allocations and --transfers of the account)",
        "explain --quota 需要 --year、--metric 和 --party（以及该账户的 --allocations 与 --transfers）",
    ),
    (
        "E0689",
        "no quota account {year} {metric} for '{party}' in these files",
        "这些文件中没有 '{party}' {year}年 {metric} 的指标账户",
    ),
    (
        "E0625",
        "run needs at least one --records FILE",
        "run 至少需要一个 --records 文件",
    ),
    (
        "E0626",
        "--detail writes detail.csv and needs --out DIR",
        "--detail 会写出 detail.csv，需要同时给出 --out 目录",
    ),
    (
        "W0004",
        "warning: {year} {metric}: '{party}' is over quota by {short}",
        "警告：{year}年 {metric}：'{party}' 超指标 {short}",
    ),
    (
        "E0334",
        "the quota accounts do not balance: {what}",
        "指标账户不平衡：{what}",
    ),
    (
        "W0005",
        "no {what} given: using the latest closing's copy {copy}",
        "未给出 {what}：沿用最近一次结账的副本 {copy}",
    ),
    (
        "W0006",
        "{count} rows skipped ({reasons})",
        "跳过 {count} 行（{reasons}）",
    ),
    (
        "W0007",
        "{count} rows dropped ({reasons})",
        "舍弃 {count} 行（{reasons}）",
    ),
    (
        "E0335",
        "the formula of '{party}' ({source}) gives a ratio of {digits} digits: an agreement's ratio is a short decimal; write the formula more simply",
        "'{party}' 的公式（{source}）得出 {digits} 位数字的比例：协议中的比例应是简短的小数；请简化公式",
    ),
    (
        "W0008",
        "the last close was interrupted between its periods: {periods} put in place first, so that it is whole",
        "上一次结账在各期间之间被中断：已先补齐 {periods}，使其完整",
    ),
    (
        "W0001",
        "warning: zone {zone} metric {metric}: year-to-date starts at {period}: feed the whole year or use --books",
        "警告：园区 {zone} 指标 {metric}：年累计从 {period} 开始：请提供全年数据，或使用 --books",
    ),
    (
        "E0627",
        "--period '{text}' is not a period (YYYY-MM, YYYY-Qn or YYYY)",
        "--period '{text}' 不是期间（YYYY-MM、YYYY-Qn 或 YYYY）",
    ),
    (
        "E0628",
        "the file changed while it was read{why}; run again",
        "文件在读取过程中被改动{why}；请重新运行",
    ),
    (
        "E0629",
        "expected the columns period, zone, metric, party, amount",
        "应有以下列：period, zone, metric, party, amount（期间、园区、指标、地区、金额）",
    ),
    (
        "E0630",
        "expected {expected}, computed {computed} (difference {difference})",
        "控制数 {expected}，计算结果 {computed}（差额 {difference}）",
    ),
    (
        "E0631",
        "expected {expected}, computed nothing: no summary row {row}",
        "控制数 {expected}，但没有计算结果：汇总中没有 {row} 这一行",
    ),
    // --- books (commands) ----------------------------------------------------
    (
        "E0416",
        "this file (SHA-256 {sha}) is already booked by closing {closing} of {books}; a booked file is never booked again (corrections come in a new file)",
        "该文件（SHA-256 {sha}）已由账簿 {books} 的 {closing} 结账入账；已入账的文件不能再次入账（更正请用新文件）",
    ),
    (
        "E0417",
        "the books are {granularity} (first closing {first}), but a new line belongs to {period}; one granularity per books",
        "账簿按{granularity}结账（第一次结账为 {first}），但有新记录属于 {period}；一套账簿只能用一种期间粒度",
    ),
    (
        "E0418",
        "--period {period}: the books are {granularity} (first closing {first})",
        "--period {period}：账簿按{granularity}结账（第一次结账为 {first}）",
    ),
    (
        "E0419",
        "booked by closing {closing} but missing; the books need every booked file, unchanged",
        "已由 {closing} 结账入账，但文件不见了；账簿需要每个已入账的文件，且不得改动",
    ),
    (
        "E0420",
        "changed since closing {closing} booked it (SHA-256 {then} then, {now} now); a booked file must never change: corrections come in a new file",
        "自 {closing} 结账入账后已被改动（当时 SHA-256 {then}，现在 {now}）；已入账的文件不得改动：更正请用新文件",
    ),
    (
        "E0421",
        "{books}: another fencheng close (or books reopen) is working on these books; wait for it to finish and run again",
        "{books}：另一个 fencheng close（或 books reopen）正在处理这套账簿；请等它完成后再运行",
    ),
    (
        "E0422",
        "close needs --records FILE (or --deductions FILE, or --period P)",
        "close 需要 --records 文件（或 --deductions 文件，或 --period P）",
    ),
    (
        "E0423",
        "run --books takes at most one --period (the period close would also close)",
        "run --books 最多只能有一个 --period（即 close 也会结账的期间）",
    ),
    (
        "E0424",
        "provisional (the books are not changed):",
        "预结果（账簿未改动）：",
    ),
    (
        "E0442",
        "close needs --config PATH: the books have no closing whose copy it could use",
        "close 需要 --config PATH：账簿中还没有可沿用其配置副本的结账",
    ),
    (
        "E0443",
        "refused: the standing inputs in use ({changed}) would change figures already booked. If the agreement was amended (补充协议), close again with --amend \"REASON\" to book the differences as adjustments; otherwise give the files the books were closed with (or leave them out: the latest closing's copies are used). The books are unchanged",
        "已拒绝：当前使用的常设输入（{changed}）会改变已记账的数字。若协议已修订（补充协议），请加 --amend \"原因\" 重新结账，差额将作为调整记账；否则请使用结账时的文件（或不给出，将沿用最近一次结账的副本）。账簿未作改动",
    ),
    ("E0444", "changed: {key}", "已改动：{key}"),
    (
        "E0445",
        "{period} {zone} {metric} {party}: booked {booked}, now {now}",
        "{period} {zone} {metric} {party}：已记账 {booked}，现为 {now}",
    ),
    (
        "E0446",
        "--amend needs a reason, e.g. --amend \"补充协议 2025-06 第二条\"",
        "--amend 须写明原因，例如 --amend \"补充协议 2025-06 第二条\"",
    ),
    (
        "E0447",
        "a closing's manifest names a file outside the closing: these books were altered by hand; nothing is read from there",
        "结账清单指向结账目录之外的文件：账簿已被手工改动；不会读取该处文件",
    ),
    (
        "E0448",
        "changed since it was booked (its SHA-256 differs from the closing's manifest): books built on it would turn a hand edit into a payment. Run books verify; restore the file from a copy, or books reopen the closings from this one",
        "自记账后已被改动（SHA-256 与结账清单不符）：在其上继续记账会把手工改动变成支付。请运行 books verify；从备份恢复该文件，或从此次结账起 books reopen",
    ),
    (
        "E0449",
        "the books do not verify; nothing was built on them",
        "账簿未通过校验；未在其上做任何操作",
    ),
    (
        "E0450",
        "a payment from '{party}' to itself",
        "'{party}' 付款给自己",
    ),
    (
        "E0451",
        "the last close on these books was interrupted between its periods; the next fencheng close on them completes it first",
        "上一次结账在各期间之间被中断；下一次对该账簿执行 fencheng close 时会先将其补齐",
    ),
    (
        "E0452",
        "a link where the books keep their own file: refused, so that nothing is written outside the books",
        "账簿自用文件的位置是一个链接：已拒绝，以免写到账簿之外",
    ),
    (
        "E0454",
        "the close that made this closing also closed {period}, which is not in the books: the command did not finish, and these books hold lines of a period they do not show",
        "生成此结账的结账命令还结了 {period}，但账簿中没有该期间：命令未完成，账簿中含有未显示期间的记录",
    ),
    (
        "E0453",
        "would close {period}: {rows} summary rows",
        "将结账 {period}（预结果）：汇总 {rows} 行",
    ),
    (
        "E0425",
        "closed {period}: {rows} summary rows",
        "已结账 {period}：汇总 {rows} 行",
    ),
    ("E0426", ", {rows} adjustment rows", "，调整 {rows} 行"),
    (
        "E0427",
        "{books}: no such books directory",
        "{books}：账簿目录不存在",
    ),
    (
        "E0428",
        "the chain is broken (its 'previous' is not the SHA-256 of the previous closing's manifest.json, or the manifest was altered)",
        "链条断开（其 'previous' 不是上一次结账 manifest.json 的 SHA-256，或清单被改动过）",
    ),
    (
        "E0429",
        "changed since closing {closing} chained to it",
        "在 {closing} 结账链接到它之后被改动过",
    ),
    (
        "E0430",
        "the copy differs from the one the closing used",
        "该副本与结账时使用的不同",
    ),
    ("E0431", "missing", "文件缺失"),
    (
        "E0432",
        "changed since closing {closing} booked it (a booked file must never change)",
        "自 {closing} 结账入账后已被改动（已入账的文件不得改动）",
    ),
    (
        "E0433",
        "booked by closing {closing} but cannot be read: {reason}",
        "已由 {closing} 结账入账，但无法读取：{reason}",
    ),
    (
        "E0434",
        "cannot be replayed: {reason}",
        "无法重算：{reason}",
    ),
    ("E0435", "differs from its replay", "与重算结果不一致"),
    (
        "E0436",
        "verified: every closing ({count}) replays byte for byte, and the chain holds",
        "复核通过：{count} 次结账逐字节重算一致，链条完整",
    ),
    (
        "E0437",
        "{books}: the books have no closing",
        "{books}：账簿中还没有结账",
    ),
    (
        "E0438",
        "only the latest closing ({last}) can be reopened, not {period}: reopen the later ones first",
        "只能重开最近一次结账（{last}），不能重开 {period}：请先重开其后的结账",
    ),
    (
        "E0439",
        "reopened {period}: moved to {to}",
        "已重开 {period}：原结账移至 {to}",
    ),
    (
        "E0440",
        "'{party}' is not a party of the books' configuration{hint}",
        "'{party}' 不是账簿配置中的地区{hint}",
    ),
    (
        "E0441",
        "'{text}' is not an amount, expected a decimal such as 12345.67",
        "'{text}' 不是金额，应为 12345.67 这样的十进制数",
    ),
    // --- verify --------------------------------------------------------------
    (
        "E0506",
        "not a fencheng manifest ({reason}); it was altered or is not ours",
        "不是 fencheng 的清单（{reason}）；它被改动过，或不是本工具生成的",
    ),
    (
        "E0507",
        "altered: its content no longer matches its self_sha256",
        "已被改动：内容与其 self_sha256 不符",
    ),
    (
        "E0508",
        "missing ({role} file named in the manifest): {reason}",
        "文件缺失（清单中列出的{role}文件）：{reason}",
    ),
    (
        "E0509",
        "differs from the manifest ({role} file; SHA-256 {sha}, recorded {recorded})",
        "与清单不符（{role}文件；SHA-256 为 {sha}，清单记录为 {recorded}）",
    ),
    (
        "E0510",
        "a configuration file that the manifest does not name",
        "清单中没有列出的配置文件",
    ),
    (
        "E0511",
        "does not match the manifest (SHA-256 recorded {recorded}): changed since the run wrote it, or the run did not finish. Keep this directory as it is (it is the evidence); to see the figures as they should be, run the manifest's command again with another --out",
        "与清单不符（记录的 SHA-256 为 {recorded}）：写出后被改动，或那次运行没有完成。请原样保留此目录（它是证据）；如需查看应有的数字，请用另一个 --out 目录重新运行清单中的命令",
    ),
    (
        "E0512",
        "cannot create a scratch directory: {reason}",
        "无法创建临时目录：{reason}",
    ),
    (
        "E0513",
        "the recomputation failed where the recorded run succeeded:",
        "原记录的运行成功，而重算失败：",
    ),
    (
        "E0514",
        "the workbook differs from its recomputation",
        "工作簿与重算结果不一致",
    ),
    (
        "E0515",
        "its outputs, control totals or counts differ from the recomputation",
        "其输出、控制总数或计数与重算结果不一致",
    ),
    (
        "E0516",
        "the recomputation wrote no manifest",
        "重算没有写出清单",
    ),
    (
        "E0517",
        "verified: {inputs} inputs and {outputs} outputs identical to the manifest ({records} records, {cells} cells)",
        "复核通过：{inputs} 个输入和 {outputs} 个输出与清单一致（{records} 条记录，{cells} 个分成单元）",
    ),
    (
        "E0518",
        "differs at line {line}: recomputed {recomputed}, found {found}",
        "第 {line} 行不一致：重算为 {recomputed}，文件中为 {found}",
    ),
    (
        "E0632",
        "{path}: already exists; init never overwrites a file",
        "{path}：已存在；init 从不覆盖文件",
    ),
    (
        "E0633",
        "wrote {dir}/config.toml and {dir}/records.csv; try:\n  fencheng run --config {dir}/config.toml --records {dir}/records.csv",
        "已写出 {dir}/config.toml 和 {dir}/records.csv；可以试试：\n  fencheng run --config {dir}/config.toml --records {dir}/records.csv",
    ),
    (
        "E0008",
        "wrote {dir}/config.toml, {dir}/records.csv and {dir}/profile.toml (an import profile to adjust to your export); try:\n  fencheng run --config {dir}/config.toml --records {dir}/records.csv",
        "已写出 {dir}/config.toml、{dir}/records.csv 和 {dir}/profile.toml（导入模板，按你们的导出文件修改）；可以试试：\n  fencheng run --config {dir}/config.toml --records {dir}/records.csv",
    ),
    (
        "E0249",
        "this file has the same content (SHA-256 {sha}) as --{role} {first}; a file given twice would be counted twice",
        "该文件与 --{role} {first} 内容相同（SHA-256 {sha}）；同一文件给两次会被重复计算",
    ),
    (
        "E0634",
        "compare needs at least one --scenario FILE or --set PATH=VALUE",
        "compare 至少需要一个 --scenario 文件或 --set 路径=值",
    ),
    (
        "E0519",
        "cannot write to standard output: {reason}",
        "无法写入标准输出：{reason}",
    ),
    (
        "E0635",
        "explain prints a trace: --format table (text) or json, not csv",
        "explain 输出的是计算过程：请用 --format table（文本）或 json，不能用 csv",
    ),
    (
        "E0636",
        "over the agreement's life, {from}–{to} (projected from {from})",
        "协议全期 {from}–{to}（以 {from} 为基年推算）",
    ),
    (
        "E0637",
        "over the records given ({years}; --over life for the agreement's life)",
        "所给记录期间（{years}；--over life 可看协议全期）",
    ),
    ("E0638", "over the records given", "所给记录期间"),
    (
        "E0639",
        "configuration OK: {parties} parties, {metrics} metrics, {zones} zones, {versions} agreement versions",
        "配置无误：{parties} 个地区，{metrics} 个指标，{zones} 个园区，{versions} 个协议版本",
    ),
    (
        "E0640",
        "records OK: {records} in {files}, {cells}",
        "记录无误：{files}共 {records}，{cells}",
    ),
    // --- projection and negotiation ------------------------------------------
    (
        "E0641",
        "project needs at least one --records FILE (the base year)",
        "project 至少需要一个 --records 文件（基年数据）",
    ),
    (
        "E0642",
        "the records are empty: project needs a base year of records",
        "记录为空：project 需要一个基年的记录",
    ),
    (
        "E0643",
        "--to {to}: the horizon runs from the base year {base} up to 100 years on",
        "--to {to}：推算期从基年 {base} 起，最长 100 年",
    ),
    (
        "E0644",
        "--growth '{spec}': {reason}; expected a rate such as 0.06",
        "--growth '{spec}'：{reason}；应为 0.06 这样的增长率",
    ),
    (
        "E0645",
        "--growth '{spec}': '{zone}' is not a zone{hint}",
        "--growth '{spec}'：'{zone}' 不是园区{hint}",
    ),
    (
        "E0646",
        "--growth '{spec}': '{metric}' is not a metric{hint}",
        "--growth '{spec}'：'{metric}' 不是指标{hint}",
    ),
    (
        "E0647",
        "expected year,zone,metric,total with a known zone and metric and a decimal total, found '{found}'",
        "应为 year,zone,metric,total（年份、已知园区、已知指标、十进制合计），实际为 '{found}'",
    ),
    (
        "E0648",
        "--growth: zone {zone} metric {metric}: {reason}",
        "--growth：园区 {zone} 指标 {metric}：{reason}",
    ),
    ("E0649", "a projected amount overflows", "推算金额溢出"),
    (
        "E0650",
        "projected to {period}: {reason}",
        "推算到 {period}：{reason}",
    ),
    (
        "W0002",
        "zone {zone}: no agreement in force from {from}: those years are not shared",
        "园区 {zone}：自 {from} 起没有有效协议：这些年份不参与分成",
    ),
    (
        "E0651",
        "--discount '{text}': {reason}; expected a rate such as 0.03",
        "--discount '{text}'：{reason}；应为 0.03 这样的折现率",
    ),
    (
        "E0652",
        "Projection {from}–{to} from the {from} records (an estimate: each record × (1 + growth)^k, rounded once; see README)",
        "{from}–{to} 推算，以 {from} 年记录为基础（估算：每条记录 × (1 + 增长率)^k，只舍入一次；见 README）",
    ),
    (
        "E0653",
        "Totals over {from}–{to}, side by side:",
        "{from}–{to} 合计，并列比较：",
    ),
    (
        "E0654",
        "--target '{spec}': expected PARTY>=AMOUNT or PARTY<=AMOUNT, e.g. \"chengdu>=2700000\"",
        "--target '{spec}'：应为 地区>=金额 或 地区<=金额，例如 \"chengdu>=2700000\"",
    ),
    (
        "E0655",
        "{what} '{text}': {reason}",
        "{what} '{text}'：{reason}",
    ),
    (
        "E0656",
        "zone {zone} ({name}), metrics {metrics}",
        "园区 {zone}（{name}），指标 {metrics}",
    ),
    (
        "E0657",
        "all zones, metrics {metrics}",
        "全部园区，指标 {metrics}",
    ),
    (
        "E0658",
        "--target: '{party}' has no total in this sweep (parties: {parties}){hint}",
        "--target：'{party}' 在此次扫描中没有合计（地区：{parties}）{hint}",
    ),
    (
        "E0659",
        "target: {target} holds everywhere in {range} (totals {over})",
        "目标：{target} 在 {range} 内处处成立（合计口径：{over}）",
    ),
    (
        "E0660",
        "target: {target} holds nowhere in {range} ({party} ranges from {low} to {high}; totals {over})",
        "目标：{target} 在 {range} 内处处不成立（{party} 的范围为 {low} 至 {high}；合计口径：{over}）",
    ),
    (
        "E0661",
        "{party} then gets {amount}; between the grid values {low} and {high}",
        "此时 {party} 得到 {amount}；位于网格值 {low} 与 {high} 之间",
    ),
    ("E0662", "holds from {value}", "自 {value} 起成立"),
    ("E0663", "holds up to {value}", "到 {value} 为止成立"),
    (
        "E0664",
        "holds from {value} on, the lowest value at which it holds",
        "自 {value} 起成立，这是使其成立的最小值",
    ),
    (
        "E0665",
        "holds up to {value}, the highest value at which it holds",
        "到 {value} 为止成立，这是使其成立的最大值",
    ),
    (
        "E0666",
        "target: {target} {how}; {detail} (refined by bisection to {decimals} decimals; totals {over})",
        "目标：{target} {how}；{detail}（二分法精确到 {decimals} 位小数；合计口径：{over}）",
    ),
    (
        "E0667",
        "target: {target}: the totals are not monotone in the parameter; the condition changes {count} times: {list} (totals {over})",
        "目标：{target}：合计随参数不是单调变化；条件变化了 {count} 次：{list}（合计口径：{over}）",
    ),
    ("E0668", "{head} ({detail})", "{head}（{detail}）"),
    (
        "E0669",
        "--step must be positive and --to not below --from",
        "--step 须为正数，且 --to 不能小于 --from",
    ),
    (
        "E0670",
        "more than 10000 grid values; use a larger --step",
        "网格值超过 10000 个；请用更大的 --step",
    ),
    (
        "E0671",
        "--entity '{entity}': no record of this entity in {period} zone {zone} metric {metric}{hint}",
        "--entity '{entity}'：{period} 园区 {zone} 指标 {metric} 中没有该企业的记录{hint}",
    ),
    (
        "E0672",
        "no records for {period} zone {zone} metric {metric}: nothing to explain",
        "{period} 园区 {zone} 指标 {metric} 没有记录：无可解释的内容",
    ),
    // --- statement -----------------------------------------------------------
    (
        "E0520",
        "settlement {period} {payer} → {payee}: {amount} is not an amount in yuan and fen",
        "结算 {period} {payer} → {payee}：{amount} 不是以元、分表示的金额",
    ),
    (
        "E0521",
        "settlement {period} {payer} → {payee} is {amount} but its lines add up to {sum}: the directory's files do not belong together",
        "结算 {period} {payer} → {payee} 为 {amount}，但明细合计为 {sum}：该目录中的文件不属于同一次计算",
    ),
    (
        "E0522",
        "--pdf needs Chromium (Debian package chromium); the HTML pages print as they are from any browser",
        "--pdf 需要 Chromium（Debian 软件包 chromium）；HTML 页面本身可在任何浏览器中直接打印",
    ),
    (
        "W0003",
        "{dir}: another fencheng run is writing into this directory; waiting for it to finish…",
        "{dir}：另一个 fencheng run 正在写入此目录；正在等待它完成……",
    ),
    (
        "E0523",
        "another fencheng run has been writing into it for {seconds} s; run again when it has finished (nothing was written)",
        "另一个 fencheng run 已写入该目录 {seconds} 秒仍未完成；请在它完成后再运行（本次未写入任何文件）",
    ),
    // --- workbench -----------------------------------------------------------
    (
        "E0673",
        "cannot start the server: {reason}",
        "无法启动服务：{reason}",
    ),
    (
        "E0674",
        "cannot listen on 127.0.0.1:{port}: {reason}",
        "无法监听 127.0.0.1:{port}：{reason}",
    ),
    (
        "E0675",
        "the server stopped: {reason}",
        "服务已停止：{reason}",
    ),
    (
        "E0725",
        "'year' needs the rule to have an anchor",
        "使用 'year' 需要规则有起算点",
    ),
    (
        "E0726",
        "nested more than {max} deep (parentheses, signs or 'not'): write the formula more simply",
        "嵌套超过 {max} 层（括号、正负号或 'not'）：请简化公式",
    ),
    (
        "E0727",
        "the formula has {count} parts, more than the {max} a formula may have",
        "公式有 {count} 个部分，超过上限 {max}",
    ),
    (
        "E0676",
        "{value} is {moved} from the signed {signed}, outside the band ±{band}",
        "{value} 与已签协议的 {signed} 相差 {moved}，超出浮动区间 ±{band}",
    ),
    ("E0677", "the computation failed", "计算失败"),
    (
        "E0678",
        "at most {max} values per offer",
        "每个方案最多 {max} 个取值",
    ),
    (
        "E0679",
        "at most {max} offers beside the baseline",
        "除已签协议外最多 {max} 个方案",
    ),
    (
        "E0680",
        "an offer's name has at most {max} characters",
        "方案名称最多 {max} 个字符",
    ),
    (
        "E0681",
        "this server answers only requests to 127.0.0.1 at its own port",
        "本服务只响应发往 127.0.0.1 本端口的请求",
    ),
    (
        "E0682",
        "requests from another origin are refused",
        "拒绝来自其他来源的请求",
    ),
    (
        "E0683",
        "not a valid request: {reason}",
        "请求无效：{reason}",
    ),
    ("E0684", "no such page", "没有这个页面"),
    (
        "E0698",
        "{file} changed since the workbench started: its figures are of the file as it was then. Restart fencheng serve to work on the file as it is now",
        "{file} 在工作台启动后已被改动：页面上的数字来自启动时的文件。请重新启动 fencheng serve 以使用现在的文件",
    ),
    (
        "W0010",
        "warning: {year}: payments from '{payer}' to '{payee}', who owe each other nothing in the books: another budget line, or the wrong party?",
        "警告：{year}年：'{payer}' 向 '{payee}' 付款，但账簿中双方互不欠款：是否属于其他预算科目，或付错了对象？",
    ),
    (
        "W0009",
        "the page that asked for a computation went away: stopped with {done} of {total} offers computed",
        "请求计算的页面已关闭：已停止（{total} 个方案中已算 {done} 个）",
    ),
    // --- commands (continued) -------------------------------------------------
    (
        "E0901",
        "quota files OK: {allocations}, {transfers}",
        "指标文件无误：{allocations}，{transfers}",
    ),
    // --- the command line (clap's usage errors, in Chinese) -------------------
    (
        "E0690",
        "unknown option '{arg}'{hint}",
        "未知的选项 '{arg}'{hint}",
    ),
    (
        "E0691",
        "unknown command '{command}'{hint}",
        "未知的命令 '{command}'{hint}",
    ),
    ("E0692", "missing: {args}", "缺少必需的参数：{args}"),
    (
        "E0693",
        "'{value}' is not a value of {arg} (one of: {valid})",
        "'{value}' 不是 {arg} 可取的值（可取：{valid}）",
    ),
    (
        "E0694",
        "'{value}' is not a valid value of {arg}",
        "'{value}' 不是 {arg} 的有效值",
    ),
    (
        "E0695",
        "{arg} cannot be given with {other}",
        "{arg} 不能与 {other} 同时使用",
    ),
    (
        "E0696",
        "a command is needed (run, close, explain, …)",
        "需要一个命令（run、close、explain……）",
    ),
    (
        "E0697",
        "For more, run with '--help'.",
        "更多说明请加 '--help' 运行。",
    ),
    (
        "E0330",
        "internal: exact shares sum to {sum} but the cell has {units} units",
        "内部错误：精确份额之和为 {sum}，而分成单元有 {units} 个单位",
    ),
    (
        "E0331",
        "internal: share does not fit",
        "内部错误：份额超出可表示范围",
    ),
    (
        "E0332",
        "internal: {left} leftover units for {parties} parties",
        "内部错误：{parties} 个分成方有 {left} 个余数单位",
    ),
    (
        "E0333",
        "internal: phase out of range",
        "内部错误：阶段超出范围",
    ),
];
