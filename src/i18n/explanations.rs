//! `fencheng help CODE`: the long explanation of a message a user can meet, as
//! `rustc --explain` gives — what it means, the habit behind it (most come from a
//! spreadsheet), how to fix it, and where the contract says so. (code, English,
//! Chinese); every code here is in the catalogue (a unit test says so).

pub const EXPLANATIONS: &[(&str, &str, &str)] = &[
    (
        "E0004",
        "An amount is not a plain decimal number.

Amounts are exact decimals: digits, an optional leading '-' and one '.'. Anything
else is refused rather than guessed: 1,234.50 (a thousands separator), 1.2E+05 (Excel's
scientific format for a wide number in a narrow column), +5.00, ¥100, (100.00) as a
refund, full-width digits (１２３).

Fix: in Excel, format the amount column as Number with 2 decimals and no separator
before saving as CSV; or read the tax system's export as it comes through an import
profile (--profile) with thousands = true and parens = true.

SPEC §2.1 (amount), §7.1, §12 (profiles).",
        "金额不是普通十进制数。

金额按精确十进制读取：数字、可选的前导 '-' 和一个小数点 '.'。其他写法一律拒绝，不作猜测：
1,234.50（千位分隔符）、1.2E+05（Excel 在列宽不够时显示的科学计数法）、+5.00、¥100、
用括号 (100.00) 表示退库、全角数字（１２３）。

处理：在 Excel 中把金额列设为“数值”、两位小数、不使用千位分隔符后再另存为 CSV；或者用导入模板
（--profile，thousands = true、parens = true）直接读取税务系统的导出文件。

SPEC §2.1（金额）、§7.1、§12（导入模板）。",
    ),
    (
        "E0005",
        "An amount has more decimals than its metric's quantum.

Each metric has a quantum (0.01 for money, 0.001 for 吨标准煤 …): an amount with more
decimals than that is refused, never rounded — rounding an input would create or lose
money the tool could not account for. The usual cause is a formula cell (=A2*0.7) saved
with its full precision.

Fix: round the column in the spreadsheet to the metric's decimals (ROUND(x, 2)) before
saving, or check whether the metric's quantum in the configuration is right.

SPEC §2.1, §3 (quantum), §7.1.",
        "金额的小数位数超过了该指标的最小单位。

每个指标都有最小单位（金额 0.01，吨标准煤 0.001 ……）：小数位更多的金额直接拒绝，从不四舍五入——
对输入取整会凭空产生或丢失无法说明来源的金额。常见原因是公式单元格（=A2*0.7）按完整精度保存。

处理：保存前在表格中把该列取整到指标的小数位（ROUND(x, 2)），或检查配置中该指标的 quantum 是否正确。

SPEC §2.1、§3（quantum）、§7.1。",
    ),
    (
        "E0201",
        "A spreadsheet was given under a text name (a .csv that is really a workbook).

Excel and WPS keep the workbook format when a file is renamed, or when \"Save\" is used
on a workbook opened from a .csv. The reader sees a workbook where text was promised.

Fix: give the file with its own extension (book.xlsx, book.xls, book.ods — workbooks are
read directly, the first sheet or book.xlsx:Sheet), or use \"Save As\" → CSV UTF-8.

SPEC §10.",
        "以文本文件名给出的其实是表格工作簿（扩展名为 .csv，内容却是工作簿）。

Excel、WPS 在改名或对从 .csv 打开的工作簿直接“保存”时会保留工作簿格式。读取时本应是文本，
看到的却是工作簿。

处理：以工作簿本来的扩展名给出（book.xlsx、book.xls、book.ods——可直接读取，默认第一个工作表，
或写作 book.xlsx:工作表名），或用“另存为”→“CSV UTF-8”。

SPEC §10。",
    ),
    (
        "E0205",
        "The file is neither UTF-8 nor GB18030.

Without --encoding the reader takes UTF-8 when the whole file is valid UTF-8, GB18030
otherwise. A file that is neither is usually two files joined (one UTF-8, one saved by
Excel on Chinese Windows), or a binary file given as records.

Fix: open the file in a text editor at the byte offset given and re-save it as UTF-8;
pass joined files as separate --records; or give --encoding explicitly.

SPEC §10 (encodings).",
        "文件既不是 UTF-8 也不是 GB18030 编码。

未指定 --encoding 时，整个文件都是合法 UTF-8 则按 UTF-8 读取，否则按 GB18030。两者都不是时，
通常是把两个文件拼在了一起（一个 UTF-8，一个由中文 Windows 下的 Excel 保存），或把二进制文件当作记录文件。

处理：在文本编辑器中定位到提示的字节位置，另存为 UTF-8；拼接的文件请分别用 --records 给出；或显式指定 --encoding。

SPEC §10（编码）。",
    ),
    (
        "E0207",
        "A quote opened on this line is never closed.

In CSV a field may be quoted (\"成都, 某某公司\"); a quote that is not closed makes every
following line part of that one field — the reader refuses the file rather than lose
those lines. It usually comes from a name typed with a single \" (a width 12\" pipe) or a
file cut off in the middle.

Fix: close the quote, or write a quote inside a quoted field twice (\"\"); if the file
was cut off, export it again.

SPEC §2.1, §7.1.",
        "此行开始的引号一直没有闭合。

CSV 中字段可以用引号括起（\"成都, 某某公司\"）；未闭合的引号会把后面所有行都并入这一个字段——
为免丢失这些行，整个文件被拒绝。常见原因是名称里输入了单个 \"（如 12\" 管材），或文件在中途被截断。

处理：补上闭合引号，或在引号字段内把引号写两次（\"\"）；若文件被截断，请重新导出。

SPEC §2.1、§7.1。",
    ),
    (
        "E0210",
        "A row has more fields than the header.

The header names the columns; a row with more fields than that has a delimiter inside a
value. Most often an amount written 1,234.50 without quotes: the comma splits it into
1 and 234.50, and reading on would take 1 as the amount.

Fix: remove the thousands separators (1234.50), or quote the value (\"1,234.50\"), or read
the tax system's export through a profile with thousands = true.

SPEC §2.1, §7.1.",
        "此行的字段数多于表头。

表头给出列数；字段更多说明某个值里含有分隔符。最常见的是金额写成 1,234.50 且没有加引号：
逗号把它拆成 1 和 234.50，若继续读取会把 1 当作金额。

处理：去掉千位分隔符（1234.50），或给该值加引号（\"1,234.50\"），或用 thousands = true 的导入模板读取税务系统导出文件。

SPEC §2.1、§7.1。",
    ),
    (
        "E0213",
        "A record's period is not of the run's granularity.

One run shares periods of one granularity: months (2025-03), quarters (2025-Q1) or years
(2025) — the first record fixes it. A file mixing them would add a quarter to a month.
It usually happens when a quarterly file is given beside monthly ones.

Fix: give files of one granularity per run, or convert the odd file.

SPEC §2.1 (period), §7.1.",
        "记录的期间粒度与本次计算不一致。

一次计算只处理同一种粒度的期间：月（2025-03）、季（2025-Q1）或年（2025），由第一条记录决定。
混在一起会把季度金额加到月份上。常见于把季度文件和月度文件一起给出。

处理：每次计算只给同一粒度的文件，或先转换那个不同粒度的文件。

SPEC §2.1（期间）、§7.1。",
    ),
    (
        "E0214",
        "A record names a zone the configuration does not have.

Zones are named by their id (cheng-a) or by an alias listed under the zone in the
configuration (成阿园区). A name typed another way — a space, a full-width letter, the
park's old name, the collecting tax office instead of the park — is not guessed: the
record would be shared by the wrong agreement or by none. The message suggests the
closest id when there is one.

Fix: correct the name in the records, or add the spelling as an alias of the zone
(aliases = [\"成阿工业园区\"]); for a tax export naming tax offices, map them to zones in
an import profile ([profile.values.zone]).

SPEC §2.1 (zone), §3 (zones), §12.",
        "记录中的园区在配置中不存在。

园区用其 id（cheng-a）或配置中该园区列出的别名（成阿园区）来指明。写法不同——多了空格、全角字母、
园区旧名、写成了主管税务所而不是园区——都不会被猜测：否则记录会按错误的协议分成，或无协议可用。
若有相近的 id，提示中会给出。

处理：改正记录中的名称，或把这种写法加为该园区的别名（aliases = [\"成阿工业园区\"]）；
若税务导出文件写的是税务所，请在导入模板中把税务所对应到园区（[profile.values.zone]）。

SPEC §2.1（园区）、§3（园区）、§12。",
    ),
    (
        "E0215",
        "A record names a metric the configuration does not have.

Metrics are named by id (vat) or by an alias of the metric (增值税). A tax the
agreement does not share (印花税) is not a metric: such lines do not belong in the
records, or an import profile maps them to \"-\" to drop them.

Fix: correct the name, add an alias to the metric, or drop the tax in the profile.

SPEC §2.1 (metric), §3 (metrics), §12.",
        "记录中的指标在配置中不存在。

指标用 id（vat）或其别名（增值税）指明。协议不分成的税种（印花税）不是指标：这些行不应出现在记录中，
或在导入模板中把它映射为 \"-\" 予以剔除。

处理：改正名称、为该指标增加别名，或在导入模板中剔除该税种。

SPEC §2.1（指标）、§3（指标）、§12。",
    ),
    (
        "E0217",
        "A date is not a date.

Start dates (投产日期) are written YYYY-MM-DD; the spellings Excel and offices use —
2014/4/1, 2014年4月1日, 2014-4-1, a date cell of a workbook — are read too. What is
refused is a date that does not exist (2025-02-30) or text that is not a date.

Fix: correct the date; in a spreadsheet format the column as a date.

SPEC §2.1 (entity_start), §10.",
        "日期不是有效日期。

投产日期写作 YYYY-MM-DD；Excel 和办公习惯中的写法——2014/4/1、2014年4月1日、2014-4-1、
工作簿中的日期单元格——也能读取。被拒绝的是不存在的日期（2025-02-30）或不是日期的文字。

处理：改正日期；在表格中把该列设为日期格式。

SPEC §2.1（entity_start）、§10。",
    ),
    (
        "E0279",
        "A total row (合计/小计/总计) was read as a record.

Exports and hand-made sheets end with totals; read as a record, a total would count every
amount twice.

Fix: delete the row, or read the export through an import profile whose [[profile.skip]]
drops rows whose first column says 合计 (fencheng init --profile writes one).

SPEC §7.1, §12 (skip).",
        "把合计行（合计/小计/总计）当成了记录。

导出文件和手工表格末尾常有合计行；若当作记录读取，所有金额都会被计算两次。

处理：删除该行，或用导入模板读取，在 [[profile.skip]] 中剔除第一列为“合计”的行（fencheng init --profile 会生成模板）。

SPEC §7.1、§12（skip）。",
    ),
    (
        "E0281",
        "A period column holds a date.

Records name the period the tax belongs to (2025-03), not a day. The tax system's export
has the first day of the tax period (税款所属期起: 2025-03-01) instead.

Fix: write the period, or read the export through a profile with period_of_date =
\"month\" (the period of the date).

SPEC §2.1 (period), §12.",
        "期间列中是日期。

记录写的是税款所属期间（2025-03），不是某一天。税务系统导出的是税款所属期起（2025-03-01）。

处理：写成期间，或用 period_of_date = \"month\" 的导入模板读取（取日期所在的期间）。

SPEC §2.1（期间）、§12。",
    ),
    (
        "E0443",
        "A close would change figures already booked.

A closing is a statement both sides signed. When the configuration, entities or profile
in use differ from those the booked periods were closed with so that booked figures
would move, close refuses: an edited ratio must not silently rewrite closed months.

Fix: if the agreement was amended (补充协议), close with --amend \"REASON\": the
differences are booked as adjustments of this closing and the manifest records why; if
not, use the configuration the books were closed with (close without --config takes the
latest closing's copy).

SPEC §9, §15 (amendments).",
        "结账会改变已记账的金额。

每次结账都是双方签认的结算单。当前使用的配置、企业清单或导入模板与已结账期间所用的不同，
且会使已记账金额变动时，结账被拒绝：修改比例不能悄悄改写已结账的月份。

处理：若协议已签补充协议，用 --amend \"原因\" 结账：差额作为本期调整入账，清单中记录原因；
若没有，请使用账簿结账时的配置（不带 --config 结账时使用最近一次结账保存的副本）。

SPEC §9、§15（协议变更）。",
    ),
    (
        "E0448",
        "A file of a closing changed after it was booked.

Each closing records the SHA-256 of every file it wrote and read. A file that no longer
matches was edited by hand (or damaged): building on it would turn the edit into a
payment, so close, run --books, books balance and statement refuse.

Fix: run books verify to see every difference; restore the file from a copy (a closing
is evidence: keep the altered one aside for the audit); if the closing itself was wrong,
books reopen from that closing and close again.

SPEC §9.1, §16.",
        "结账中的文件在记账后被改动。

每次结账都记录了它写出和读取的每个文件的 SHA-256。不再相符的文件是被手工修改（或损坏）了：
在其上继续操作会把改动变成支付，所以 close、run --books、books balance 和 statement 都会拒绝。

处理：运行 books verify 查看全部差异；从备份恢复该文件（结账是证据：把被改动的文件另存备查）；
若该次结账本身有误，用 books reopen 从该次结账起重开，再重新结账。

SPEC §9.1、§16。",
    ),
];

/// The long explanation of `code` in the process's language, or `None`.
pub fn of(code: &str) -> Option<&'static str> {
    EXPLANATIONS
        .iter()
        .find(|(c, _, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, en, zh)| {
            if super::lang() == super::Lang::Zh {
                *zh
            } else {
                *en
            }
        })
}
