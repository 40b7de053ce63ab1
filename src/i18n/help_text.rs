//! The Chinese of every `--help` text (`help.rs`), keyed by its English: the texts
//! of `cli.rs` and the exit codes of `commands::man`. A unit test fails when a text has
//! no entry here or an entry no text.

pub const HELP: &[(&str, &str)] = &[
    (
        "A condition on one party's total, \"PARTY>=AMOUNT\" or \"PARTY<=AMOUNT\" (PARTY=AMOUNT means >=): the boundary value in [from, to], found on the grid and refined by bisection to 6 decimals; says where the condition holds nowhere or everywhere, and lists every crossing when the totals are not monotone. JSON: \"boundary\" (decimal string or null) and \"holds\" (\"nowhere\", \"everywhere\" or \"between\")",
        "对某一方合计的条件，\"PARTY>=AMOUNT\" 或 \"PARTY<=AMOUNT\"（PARTY=AMOUNT 表示 >=）：在 [from, to] 内的临界值，先在网格上找到，再用二分法精确到 6 位小数；条件处处不成立或处处成立时会说明，合计不单调时列出每个交点。JSON：\"boundary\"（十进制字符串或 null）和 \"holds\"（\"nowhere\"、\"everywhere\" 或 \"between\"）",
    ),
    (
        "A provisional figure against the books (SPEC §9.2): what `close` would book for these records — the new periods and the adjustments — without touching the books",
        "对照账簿的预估数（SPEC §9.2）：这些记录若执行 close 将记入的内容——新期间和调整——但不改动账簿",
    ),
    (
        "Against the books: the cell's booked figure, the truth known now (every booked file of the year and the records given), the adjustment, and the late records that caused it",
        "对照账簿：该单元已记账的数、现在所知的真实数（该年所有已记账文件和所给记录）、调整额，以及造成调整的迟到记录",
    ),
    (
        "Also close this period when it has no line (after the latest closed period, and not before any new line's period); required when only late lines come",
        "即使该期间没有任何记录也关闭它（须在最近已关闭期间之后，且不早于任何新记录的期间）；只有迟到记录时必须给出",
    ),
    (
        "Also print each page to PDF with headless Chromium",
        "同时用无头 Chromium 把每页打印为 PDF",
    ),
    (
        "Also write an Excel workbook (sheets summary, settlement and, with --detail, detail; amounts as numbers, names beside ids)",
        "同时写出 Excel 工作簿（工作表 summary、settlement，以及配合 --detail 的 detail；金额为数字，名称在编号旁）",
    ),
    (
        "Also write detail.csv: one line per record and party with the exact, unrounded share (needs --out)",
        "同时写出 detail.csv：每条记录、每一方一行，含精确未舍入的份额（需要 --out）",
    ),
    (
        "Baseline against scenarios, side by side: per zone, metric and party the baseline total, each scenario's, and the differences (absolute and %). With --set, the overrides form one more column",
        "基准与各情景并排对比：按园区、指标和参与方列出基准合计、各情景合计及差额（绝对值和百分比）。配合 --set 时，覆盖值另成一列",
    ),
    (
        "Close new periods into the books, once, and book late lines (所属期 earlier than the latest closed period) as adjustments in the first new closing (SPEC §9). Files already booked are refused; the books change only if everything succeeds",
        "把新期间关账记入账簿，每期一次；所属期早于最近已关闭期间的记录，作为调整记入第一个新关账（SPEC §9）。已记账的文件会被拒绝；只有全部成功账簿才会改变",
    ),
    (
        "Compute even if a ratio moves outside its rule's policy band (`band`)",
        "即使某比例超出其规则的政策区间（band）也照常计算",
    ),
    (
        "Compute every share, print each party's totals per metric, and with --out write summary.csv and settlement.csv (atomically: all or nothing)",
        "计算全部分成，打印各方每个指标的合计；配合 --out 写出 summary.csv 和 settlement.csv（原子写入：要么全部，要么没有）",
    ),
    (
        "Configuration: a TOML file or a directory of *.toml files (merged). Required, except by the books' commands, which use the latest closing's copy without it",
        "配置：一个 TOML 文件，或由多个 *.toml 文件组成的目录（合并）。必须给出，账簿命令除外：未给出时沿用最近一次结账的副本",
    ),
    (
        "Control totals: a CSV `period,zone,metric,party,amount`; every row must equal the computed summary, or the run fails (exit 1) and writes nothing",
        "控制数：CSV 文件 `period,zone,metric,party,amount`；每行都必须等于计算出的汇总，否则运行失败（退出码 1）且不写任何文件",
    ),
    (
        "Deductions CSV (period, zone, metric, amount[, entity, reason]): amounts paid out of a zone's local part before its parties share it (奖补、返还、征收成本). Repeatable",
        "扣除项 CSV（period, zone, metric, amount[, entity, reason]）：在各方分享之前从园区地方留成中支出的金额（奖补、返还、征收成本）。可重复",
    ),
    (
        "Delimiter of the CSV files (default: the one of , tab ; used most in the header)",
        "CSV 文件的分隔符（默认：表头中 , 制表符 ; 里出现最多的那个）",
    ),
    (
        "Directory for summary.csv and settlement.csv (created if missing; other files in it are left alone). Without it nothing is written to disk",
        "summary.csv 和 settlement.csv 的输出目录（不存在则创建；其中其他文件不受影响）。不给则不写任何文件",
    ),
    (
        "Directory to create the files in (existing files are never overwritten)",
        "创建文件的目录（已有文件绝不覆盖）",
    ),
    (
        "Discount rate for the present value (exact, rounded once at the end)",
        "计算现值的折现率（精确计算，只在最后舍入一次）",
    ),
    (
        "Draw each party's total against the value as an SVG line chart",
        "把各方合计随参数值的变化画成 SVG 折线图",
    ),
    (
        "Draw each party's yearly figure as an SVG line chart",
        "把各方每年的数画成 SVG 折线图",
    ),
    (
        "Entities CSV (entity[, entity_start, origin, tags]): start dates (投产日期), where enterprises came from (迁出地) and their tags, for rules with applies_to",
        "企业 CSV（entity[, entity_start, origin, tags]）：投产日期、企业迁出地及其标签，供带 applies_to 的规则使用",
    ),
    ("First value", "起始值"),
    (
        "Grow the deductions like the records (default: the base year's, every year)",
        "扣除项也像记录一样增长（默认：每年都用基年的扣除项）",
    ),
    ("How the totals are printed", "合计的打印方式"),
    (
        "Language of tables, workbooks and error headings: zh or en (default: from LC_ALL, LC_MESSAGES, LANG). CSV outputs are the same in both",
        "表格、工作簿和错误标题的语言：zh 或 en（默认取自 LC_ALL、LC_MESSAGES、LANG）。CSV 输出两种语言相同",
    ),
    (
        "Last value (included if on the grid)",
        "终止值（在网格上则包含）",
    ),
    (
        "Last year for --over life (project's --to; here --to ends the grid)",
        "--over life 的最后一年（即 project 的 --to；这里 --to 是网格终点）",
    ),
    (
        "Last year of the projection (default: the end of the longest agreement in force; ten years for an open-ended one)",
        "推算的最后一年（默认：有效协议中最长者的结束年；无期限协议按十年计）",
    ),
    ("Metric id (or alias)", "指标编号（或别名）"),
    (
        "One line per closing: period, records, input total per metric, adjustments booked, and whether its manifest chains to the previous closing's",
        "每个关账一行：期间、记录数、每个指标的输入合计、记入的调整，以及其清单是否与上一关账的清单相链接",
    ),
    (
        "Only the cell holding this entity's records (e.g. its schedule phase)",
        "只看包含该企业记录的单元（例如它所处的阶段）",
    ),
    (
        "Only these periods in stdout, summary.csv, settlement.csv and detail.csv (repeatable); year-to-date totals still use every record given",
        "标准输出、summary.csv、settlement.csv 和 detail.csv 中只含这些期间（可重复）；年累计仍使用所给的全部记录",
    ),
    (
        "Only this metric (id or name)",
        "只看这个指标（编号或名称）",
    ),
    ("Only this party", "只看这个参与方"),
    ("Only this zone (id or name)", "只看这个园区（编号或名称）"),
    (
        "Over the agreement's life: every base record grown by an assumed yearly rate and moved forward a year at a time to --to, then shared by the normal engine; per party and year, over the horizon, and with --discount the present value. An estimate: see README (\"Trying a counter-offer over the agreement's life\")",
        "覆盖协议全期：每条基数记录按假定的年增长率增长并逐年前移到 --to，再由同一引擎分成；按参与方和年份、全期合计，配合 --discount 给出现值。这是估算：见 README（\"Trying a counter-offer over the agreement's life\"）",
    ),
    (
        "Override one value: PATH=VALUE, PATH dotted as in TOML, array elements by id or 1-based index, e.g. zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba=0.65. Setting one ratio rescales the others of its table exactly. Repeatable",
        "覆盖一个值：PATH=VALUE，PATH 按 TOML 的点号路径书写，数组元素用编号或从 1 起的序号，例如 zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba=0.65。设定一个比例会把同表的其他比例精确地按比例调整。可重复",
    ),
    (
        "Per year and pair of parties: owed (the year's settlements and adjustments), paid (the payments file: date,payer,payee,amount[,reference]) and outstanding",
        "按年份和每对参与方：应付（该年的结算和调整）、已付（付款文件：date,payer,payee,amount[,reference]）和未付",
    ),
    (
        "Per-party totals for each value of one parameter (exact decimal grid; the other ratios of its table rescaled), and with --target the value at which a party first reaches an amount",
        "一个参数取每个值时各方的合计（精确的十进制网格；同表其他比例按比例调整），配合 --target 给出某方首次达到某金额时的参数值",
    ),
    (
        "Period of the cell (YYYY-MM, YYYY-Qn or YYYY)",
        "单元的期间（YYYY-MM、YYYY-Qn 或 YYYY）",
    ),
    (
        "Port on 127.0.0.1 (0: a free one); the URL is the first line on stdout",
        "127.0.0.1 上的端口（0：任选一个空闲端口）；网址是标准输出的第一行",
    ),
    (
        "Print a shell completion script (bash, zsh, fish, ...) to stdout",
        "把 shell 补全脚本（bash、zsh、fish 等）打印到标准输出",
    ),
    (
        "Print help (see a summary with '-h')",
        "显示帮助（用 '-h' 看摘要）",
    ),
    (
        "Print help (see more with '--help')",
        "显示帮助（用 '--help' 看更多）",
    ),
    ("Print help", "显示帮助"),
    (
        "Print the manual page (roff) to stdout (`fencheng man > fencheng.1`), or with --dir write one page per subcommand there (fencheng-run.1, fencheng-close.1, …)",
        "把手册页（roff）打印到标准输出（`fencheng man > fencheng.1`），或配合 --dir 在该目录为每个子命令写一页（fencheng-run.1、fencheng-close.1……）",
    ),
    (
        "Print this message or the help of the given subcommand(s)",
        "显示本帮助或所给子命令的帮助",
    ),
    ("Print version", "显示版本"),
    (
        "Read the books: status, verify, reopen the latest closing, balance of payments",
        "查看账簿：状态、核验、重开最近的关账、付款余额",
    ),
    (
        "Records CSV (period, zone, entity, metric, amount[, entity_start]); repeatable, the records of all files are summed together",
        "记录 CSV（period, zone, entity, metric, amount[, entity_start]）；可重复，所有文件的记录合在一起计算",
    ),
    (
        "Replay a past run from DIR/manifest.json: re-hash every input, recompute with the recorded options and compare every output byte for byte. Exit 0 if identical, 3 on any difference (each one printed: which file, and for CSV the first line)",
        "根据 DIR/manifest.json 重放一次过去的运行：重新计算每个输入的哈希，用记录的选项重新计算，并逐字节比较每个输出。完全相同退出码 0，有任何差异为 3（逐一打印：哪个文件，CSV 还给出第一处不同的行）",
    ),
    (
        "Replay every closing from the closings before it, its own inputs and its copy of the configuration; exit 0 only if every byte and every link of the chain holds, 3 otherwise (naming the closing, the file and the first differing line)",
        "用之前的关账、其自身的输入及其配置副本重放每个关账；只有每个字节和链条的每一环都成立才退出码 0，否则为 3（指出关账、文件和第一处不同的行）",
    ),
    (
        "Scenario file (config fragment replacing metrics/agreements/rules by id)",
        "情景文件（按编号替换指标、协议、规则的配置片段）",
    ),
    (
        "Scenario file applied before the sweep",
        "扫描之前应用的情景文件",
    ),
    (
        "Scenario file applied over the configuration (as for run), so that a negotiated figure can be traced. Repeatable",
        "叠加在配置上的情景文件（同 run），以便追溯谈判中的数字。可重复",
    ),
    (
        "Scenario file: a config fragment whose metrics, agreements and rules replace those with the same ids. Repeatable (applied in order)",
        "情景文件：一个配置片段，其中的指标、协议和规则替换编号相同者。可重复（按顺序应用）",
    ),
    (
        "Scenario files, each computed on the same projected records, side by side",
        "情景文件，每个都在同一批推算记录上计算，并排显示",
    ),
    (
        "Show the statutory levels (central, the province) and deductions too",
        "同时显示法定级次（中央、省）和扣除项",
    ),
    (
        "Show the statutory levels (central, the province) too",
        "同时显示法定级次（中央、省）",
    ),
    (
        "Start the CSV outputs with a UTF-8 byte order mark, so Excel opens them as UTF-8 (Chinese names display correctly)",
        "CSV 输出以 UTF-8 字节顺序标记开头，使 Excel 按 UTF-8 打开（中文名称正常显示）",
    ),
    ("Step of the grid", "网格步长"),
    (
        "Stop listing record problems after this many (the rest are counted)",
        "列出这么多条记录问题后停止（其余只计数）",
    ),
    (
        "Text encoding of the record files (default: UTF-8, else GB18030)",
        "记录文件的文本编码（默认：UTF-8，否则 GB18030）",
    ),
    (
        "The --out directory of the run to verify",
        "要核验的那次运行的 --out 目录",
    ),
    (
        "The books directory: one sub-directory per closed period",
        "账簿目录：每个已关闭期间一个子目录",
    ),
    (
        "The full trace of one cell: records summed (file:line), agreement version in force and why, its cite, rule and phase, central part and its rounding, exact shares, and who received each leftover unit and why",
        "一个单元的完整追溯：所合计的记录（文件:行）、生效的协议版本及原因、条款出处、规则和阶段、中央部分及其舍入、精确份额，以及每个余数单位给了谁、为什么",
    ),
    (
        "The negotiation workbench in the browser: a page on 127.0.0.1 where each ratio is a slider, with the figures of the records and over the agreement's life for up to three offers, computed exactly by the same engine (see README)",
        "浏览器中的谈判工作台：127.0.0.1 上的页面，每个比例是一个滑块，最多三个方案的当期数和协议全期数，由同一引擎精确计算（见 README）",
    ),
    (
        "The path to vary (as for --set)",
        "要变动的路径（同 --set）",
    ),
    (
        "The settlement statement both sides sign and seal (税收分成结算单): one print-ready HTML page per period, payer and payee of DIR's settlement.csv (DIR: a run's --out directory or a closing of the books), named PERIOD_PAYER_PAYEE.html, with the total in capital numerals (人民币大写) and the manifest's SHA-256 as reference",
        "双方签字盖章的税收分成结算单：DIR 的 settlement.csv（DIR：一次运行的 --out 目录或账簿中的一个关账）每个期间、付款方和收款方一页可打印的 HTML，命名为 PERIOD_PAYER_PAYEE.html，合计附人民币大写，以清单的 SHA-256 为参考号",
    ),
    (
        "The table on stdout grouped by zone, period, metric or party, with a total per group and metric (people's tables; --format csv and json are unchanged)",
        "标准输出的表格按园区、期间、指标或参与方分组，每组每个指标一个合计（供人阅读的表格；--format csv 和 json 不变）",
    ),
    (
        "Undo the latest closing: it is moved (never deleted) to DIR/.reopened/P-<first 8 hex of its manifest hash>/",
        "撤销最近的关账：把它移到（绝不删除）DIR/.reopened/P-<其清单哈希的前 8 位十六进制>/",
    ),
    (
        "Validate the configuration (and records, deductions, entities and quota files, if given) and report every problem found, each with file and line; exit 1 if there is any",
        "校验配置（以及所给的记录、扣除、企业和指标文件），报告发现的每个问题，各带文件和行号；有任何问题则退出码 1",
    ),
    (
        "Quota allocation files (year,party,metric,amount[,reference]) to check against the configuration, as `quota` reads them (SPEC §13.2)",
        "要按配置校验的下达指标文件（year,party,metric,amount[,reference]），与 `quota` 的读法相同（SPEC §13.2）",
    ),
    (
        "Quota transfer files (date,metric,from,to,amount[,price,entity,reference,reason]) to check likewise",
        "同样要校验的指标转移文件（date,metric,from,to,amount[,price,entity,reference,reason]）",
    ),
    (
        "Where the pages go (default: DIR/statements/)",
        "页面存放位置（默认：DIR/statements/）",
    ),
    (
        "Write a working starter configuration (parties, metrics with central shares, one zone, every key explained) and a records file that `run` accepts at once",
        "写出一份可直接使用的入门配置（参与方、带中央分成比例的指标、一个园区，每个键都有说明）和一份 run 可直接接受的记录文件",
    ),
    (
        "Write the projected records' summary.csv and settlement.csv, as run would",
        "像 run 一样写出推算记录的 summary.csv 和 settlement.csv",
    ),
    (
        "Yearly growth: a rate for every zone and metric (0.06), or for one zone (gaozhu=0.05) or one zone and metric (gaozhu.vat=0.08). Repeatable; default 0",
        "年增长率：对所有园区和指标的一个比率（0.06），或对某园区（gaozhu=0.05）、某园区某指标（gaozhu.vat=0.08）。可重复；默认 0",
    ),
    (
        "Yearly totals per zone and metric (year,zone,metric,total): the factor of a year is its total over the base year's",
        "每个园区和指标的年度合计（year,zone,metric,total）：某年的系数是其合计除以基年合计",
    ),
    ("Zone id (or alias)", "园区编号（或别名）"),
    (
        "fencheng (分成): inter-regional revenue sharing for enclave parks and cooperation zones",
        "fencheng（分成）：飞地园区和合作园区的跨区域收益分成",
    ),
    (
        "fencheng (分成): inter-regional revenue sharing for enclave parks and cooperation zones.\n\nSplits tax revenue, output statistics (统计分算) and quotas (用地/能耗指标) produced in a zone between the regions that built it, by the formulas of their agreements, with exact decimal arithmetic: every figure is reproducible and not one cent is created or lost.",
        "fencheng（分成）：飞地园区和合作园区的跨区域收益分成。\n\n把园区产生的税收、产值统计（统计分算）和指标（用地/能耗指标）按协议公式在共建地区之间分成，全程精确十进制运算：每个数字都可复现，不多出也不丢失一分钱。",
    ),
    (
        "run: totals of the records given; life: over the agreement's life, with project's options (--growth, --growth-file, --grow-deductions) and --until",
        "run：所给记录的合计；life：覆盖协议全期，使用 project 的选项（--growth、--growth-file、--grow-deductions）和 --until",
    ),
    (
        "table: text for people; json: the same trace as a versioned document",
        "table：供人阅读的文本；json：同一追溯的版本化文档",
    ),
    (
        "table: text; json: {\"identical\": ..., \"differences\": [...]}",
        "table：文本；json：{\"identical\": ..., \"differences\": [...]}",
    ),
    (
        "table: text; json: {\"ok\": ..., \"problems\": [{file, line, field, message}]}",
        "table：文本；json：{\"ok\": ..., \"problems\": [{file, line, field, message}]}",
    ),
    (
        "table; csv: year,zone,metric,party,amount (a column per scenario after it)",
        "table；csv：year,zone,metric,party,amount（其后每个情景一列）",
    ),
    (
        "0 ok; 1 invalid configuration or data, an output that cannot be written, or a broken invariant; 2 usage error",
        "0 成功；1 配置或数据有误、输出无法写入或不变量被破坏；2 用法错误",
    ),
    (
        "0 closed; 1 invalid data, a file already booked, or books that cannot be read or written (the books are unchanged); 2 usage error",
        "0 已关账；1 数据有误、文件已记账，或账簿无法读写（账簿不变）；2 用法错误",
    ),
    (
        "0 ok (verify: every closing replays byte for byte); 1 invalid books or payments; 2 usage error; 3 verify found a difference",
        "0 成功（verify：每个关账都逐字节重放一致）；1 账簿或付款有误；2 用法错误；3 核验发现差异",
    ),
    (
        "0 no problem; 1 problems found (all of them are listed); 2 usage error",
        "0 没有问题；1 发现问题（全部列出）；2 用法错误",
    ),
    (
        "0 ok; 1 invalid configuration or data; 2 usage error (an unknown zone, metric or entity)",
        "0 成功；1 配置或数据有误；2 用法错误（未知的园区、指标或企业）",
    ),
    (
        "0 every input and output identical to the manifest; 3 a difference (each one printed); 2 usage error",
        "0 每个输入和输出都与清单一致；3 有差异（逐一打印）；2 用法错误",
    ),
    (
        "0 ok; 1 invalid configuration, scenario or data; 2 usage error",
        "0 成功；1 配置、情景或数据有误；2 用法错误",
    ),
    (
        "0 ok; 1 invalid configuration or data; 2 usage error",
        "0 成功；1 配置或数据有误；2 用法错误",
    ),
    (
        "0 written; 1 a file cannot be written (existing files are never overwritten)",
        "0 已写出；1 文件无法写入（已有文件绝不覆盖）",
    ),
    ("0 ok", "0 成功"),
    (
        "0 ok; 1 invalid configuration or data, or an output that cannot be written; 2 usage error; 3 verify found a difference",
        "0 成功；1 配置或数据有误，或输出无法写入；2 用法错误；3 核验发现差异",
    ),
    (
        "Quota accounts (指标账户, SPEC §13): per year, quota metric and region, what was allotted, moved in and out, used (its share, as run computes it, less exempt entities) and the headroom; a warning for each account over quota",
        "指标账户（SPEC §13）：按年度、指标类指标和地区列出下达指标、转入、转出、使用（即 run 计算的该地区分成份额，减去单列企业部分）和余量；每个超指标账户给出警告",
    ),
    (
        "Allocations CSV (year, party, metric, amount[, reference]): what each region was allotted for the year (下达指标). Repeatable",
        "下达指标 CSV（年度、地区、指标、数量[、文号]）：各地区当年获下达的指标。可重复",
    ),
    (
        "Transfers CSV (date, metric, from, to, amount[, price, entity, reference, reason]): quota moved between regions (伴随转移, purchases, swaps). Repeatable",
        "指标转移 CSV（日期、指标、转出方、转入方、数量[、单价、企业、文号、事由]）：地区之间转移的指标（伴随转移、购买、置换）。可重复",
    ),
    ("Only this year", "只计算该年度"),
    (
        "Exit 1 when any account is over quota (the files are still written)",
        "任一账户超指标时以 1 退出（文件照常写出）",
    ),
    (
        "Write quota.csv, quota-transfers.csv, quota-settlement.csv and manifest.json here",
        "把 quota.csv、quota-transfers.csv、quota-settlement.csv 和 manifest.json 写到此目录",
    ),
    (
        "Output format of the printed accounts",
        "打印账户的输出格式",
    ),
    (
        "The configuration, entities file or profile in use moves figures already booked (an amended agreement, 补充协议): book the differences as adjustments and record this reason in the closing's manifest (SPEC §15)",
        "当前使用的配置、企业名录或导入模板改变了已记账的数字（协议修订，补充协议）：把差额作为调整记账，并在该结账的 manifest 中记录此原因（SPEC §15）",
    ),
    (
        "Read the tax system's export through an import profile and write what was read as plain records (period, zone, entity, metric, amount[, entity_start], source = FILE:LINE of the export), in the export's order (SPEC §12). No configuration: zone and metric are written as the profile maps them, or as read",
        "通过导入模板读取税务系统的导出文件，并把读到的内容按普通记录写出（期间、园区、企业、指标、金额[、投产日期]、source = 导出文件:行号），顺序与导出文件相同（SPEC §12）。不需要配置：园区和指标按模板对照写出，没有对照表的照原文写出",
    ),
    (
        "Entities CSV with a zone column, for a profile whose zone is { from = \"entities\" }",
        "含园区（zone）列的企业名录 CSV，用于 zone = { from = \"entities\" } 的导入模板",
    ),
    (
        "Import profile (TOML) describing the export (SPEC §12)",
        "描述导出文件格式的导入模板（TOML，SPEC §12）",
    ),
    (
        "Import profile (TOML): read every records file as the tax system exports it — title lines, its own column names, tax names, thousands separators, refunds in brackets, 合计 rows (SPEC §12)",
        "导入模板（TOML）：按税务系统导出的原样读取每个记录文件——标题行、自有列名、税种名称、千位分隔符、括号表示的退税、合计行（SPEC §12）",
    ),
    (
        "Text encoding of the export (default: UTF-8, else GB18030)",
        "导出文件的文本编码（默认：UTF-8，否则 GB18030）",
    ),
    (
        "The export (CSV, GB18030 or UTF-8, or a workbook); repeatable",
        "导出文件（CSV，GB18030 或 UTF-8，或工作簿）；可重复",
    ),
    (
        "The records file to write (never one of the inputs)",
        "要写出的记录文件（绝不能是输入文件之一）",
    ),
    (
        "Allocations CSV, as for quota (--quota). Repeatable",
        "下达指标 CSV，同 quota 命令（--quota）。可重复",
    ),
    (
        "One quota account (SPEC §13): with --year, --metric, --party, --allocations and --transfers, each allocation and transfer line, the share per zone and period, the exempt part and the headroom",
        "一个指标账户（SPEC §13）：配合 --year、--metric、--party、--allocations 和 --transfers，列出每条下达和转移记录、按园区和期间的分成份额、单列部分和余量",
    ),
    (
        "The party of the quota account (--quota)",
        "指标账户的地区（--quota）",
    ),
    (
        "The year of the quota account (--quota)",
        "指标账户的年度（--quota）",
    ),
    (
        "The zone's obligations due in the year of --period (SPEC §14): the year's share against the guaranteed amount, or base × rate",
        "该园区在 --period 所在年度应付的约定款项（SPEC §14）：全年分成与保底金额的对比，或本金 × 回报率",
    ),
    (
        "Transfers CSV, as for quota (--quota). Repeatable",
        "指标转移 CSV，同 quota 命令（--quota）。可重复",
    ),
    (
        "Also write profile.toml: a commented import profile for the tax system's 税收入库明细 export (SPEC §12)",
        "同时写出 profile.toml：税务系统“税收入库明细”导出文件的导入模板，附说明（SPEC §12）",
    ),
    (
        "Draw each quota metric's accounts as an SVG chart in this directory (quota-METRIC.svg): allotted and received against used, per region and year, accounts over quota in red",
        "在此目录中为每个指标画出账户的 SVG 图（quota-指标.svg）：各地区逐年的下达与转入对比使用，超指标的账户标红",
    ),
    (
        "Allocations CSV, as for quota: each offer also shows every region's quota accounts and a chart per quota metric. Repeatable",
        "下达指标 CSV，同 quota 命令：每个方案同时显示各地区的指标账户和每个指标的图。可重复",
    ),
    (
        "Transfers CSV, as for quota. Repeatable",
        "指标转移 CSV，同 quota 命令。可重复",
    ),
    // The help of values clap lists under "Possible values".
    ("Aligned columns for people", "对齐的表格，供人阅读"),
    ("The agreement's life, projected", "协议全期（推算）"),
    ("The records given", "所给记录的期间"),
    (
        "UTF-8 if the bytes are valid UTF-8, GB18030 otherwise",
        "字节是有效 UTF-8 时按 UTF-8，否则按 GB18030",
    ),
];
