//! What each command is asked: one clap `Args` struct per subcommand, help text written
//! once. `RunArgs` is also what a run's manifest records (`manifest::Options` wraps it),
//! so the options a run was given and the options `verify` and the books replay are one
//! definition.
//!
//! A leaf: it imports nothing of the crate, so `input` (the encoding), `output` (the
//! format) and `manifest` can all use its types without a cycle.

use clap::{Parser, Subcommand};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Text encoding of a record file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-8 if the bytes are valid UTF-8, GB18030 otherwise.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[value(name = "utf-8")]
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "gb18030")]
    Gb18030,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    Csv,
    Json,
}

/// What `run --by` groups the table by (SPEC §10 "tables for people").
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Zone,
    Period,
    Metric,
    Party,
}

/// fencheng (分成): inter-regional revenue sharing for enclave parks and cooperation zones.
///
/// Splits tax revenue, output statistics (统计分算) and quotas (用地/能耗指标) produced in a
/// zone between the regions that built it, by the formulas of their agreements, with
/// exact decimal arithmetic: every figure is reproducible and not one cent is created
/// or lost.
#[derive(Debug, Parser)]
#[command(name = "fencheng", version, about, long_about)]
pub struct Cli {
    /// Language of tables, workbooks and error headings: zh or en (default: from
    /// LC_ALL, LC_MESSAGES, LANG). CSV outputs are the same in both.
    #[arg(long, global = true, value_name = "zh|en")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by the commands that read a configuration and records.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args, Serialize, Deserialize)]
pub struct Inputs {
    /// Configuration: a TOML file or a directory of *.toml files (merged). Required,
    /// except by the books' commands, which use the latest closing's copy without it.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "",
        hide_default_value = true,
        value_parser = clap::builder::TypedValueParser::map(clap::builder::OsStringValueParser::new(), PathBuf::from)
    )]
    #[serde(with = "crate::pathtext::one")]
    pub config: PathBuf,
    /// Records CSV (period, zone, entity, metric, amount[, entity_start]); repeatable,
    /// the records of all files are summed together.
    #[arg(long = "records", value_name = "FILE")]
    #[serde(with = "crate::pathtext::many")]
    pub records: Vec<PathBuf>,
    /// Text encoding of the record files (default: UTF-8, else GB18030).
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
    /// Deductions CSV (period, zone, metric, amount[, entity, reason]): amounts paid out
    /// of a zone's local part before its parties share it (奖补、返还、征收成本).
    /// Repeatable.
    #[arg(long = "deductions", value_name = "FILE")]
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "crate::pathtext::many"
    )]
    pub deductions: Vec<PathBuf>,
    /// Delimiter of the CSV files (default: the one of , tab ; used most in the header).
    #[arg(long, value_enum)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<Delimiter>,
    /// Entities CSV (entity[, entity_start, origin, tags]): start dates (投产日期),
    /// where enterprises came from (迁出地) and their tags, for rules with applies_to.
    #[arg(long = "entities", value_name = "FILE")]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::pathtext::maybe"
    )]
    pub entities: Option<PathBuf>,
    /// Import profile (TOML): read every records file as the tax system exports it —
    /// title lines, its own column names, tax names, thousands separators, refunds in
    /// brackets, 合计 rows (SPEC §12)
    #[arg(long = "profile", value_name = "FILE")]
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::pathtext::maybe"
    )]
    pub profile: Option<PathBuf>,
}

impl Inputs {
    /// The same configuration and reading options, with no records or deductions
    /// (for a command that gathers the files itself: the books' replay, explain).
    pub fn without_files(&self) -> Inputs {
        Inputs {
            config: self.config.clone(),
            records: Vec::new(),
            encoding: self.encoding,
            deductions: Vec::new(),
            delimiter: self.delimiter,
            entities: self.entities.clone(),
            profile: self.profile.clone(),
        }
    }
}

/// A CSV delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }
}

/// Which rows a negotiation command shows.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// Only this zone (id or name).
    #[arg(long)]
    pub zone: Option<String>,
    /// Only this metric (id or name).
    #[arg(long)]
    pub metric: Option<String>,
    /// Only this party.
    #[arg(long)]
    pub party: Option<String>,
}

/// How the records grow over the agreement's life (`project`, `sweep --over life`).
#[derive(Debug, clap::Args)]
pub struct GrowthArgs {
    /// Yearly growth: a rate for every zone and metric (0.06), or for one zone
    /// (gaozhu=0.05) or one zone and metric (gaozhu.vat=0.08). Repeatable; default 0.
    #[arg(long, value_name = "RATE")]
    pub growth: Vec<String>,
    /// Yearly totals per zone and metric (year,zone,metric,total): the factor of a
    /// year is its total over the base year's.
    #[arg(long, value_name = "FILE")]
    pub growth_file: Option<PathBuf>,
    /// Grow the deductions like the records (default: the base year's, every year).
    #[arg(long)]
    pub grow_deductions: bool,
}

/// What a sweep totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Over {
    /// The records given.
    Run,
    /// The agreement's life, projected.
    Life,
}

/// Options that change the agreement being computed (negotiation).
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args, Serialize, Deserialize)]
pub struct Overrides {
    /// Override one value: PATH=VALUE, PATH dotted as in TOML, array elements by id or
    /// 1-based index, e.g. zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba=0.65.
    /// Setting one ratio rescales the others of its table exactly. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    #[serde(default)]
    pub set: Vec<String>,
    /// Compute even if a ratio moves outside its rule's policy band (`band`).
    #[arg(long)]
    #[serde(default)]
    pub allow_outside_band: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute every share, print each party's totals per metric, and with --out write
    /// summary.csv and settlement.csv (atomically: all or nothing).
    #[command(
        override_usage = "fencheng run --config PATH --records FILE [--records FILE]... [OPTIONS]"
    )]
    Run(RunArgs),
    /// Close new periods into the books, once, and book late lines (所属期 earlier than
    /// the latest closed period) as adjustments in the first new closing (SPEC §9).
    /// Files already booked are refused; the books change only if everything succeeds.
    #[command(
        override_usage = "fencheng close [--config PATH] --books DIR --records FILE... [--deductions FILE...] [--entities FILE] [--period P] [--amend REASON]"
    )]
    Close(CloseArgs),
    /// Read the books: status, verify, reopen the latest closing, balance of payments.
    Books(BooksArgs),
    /// The full trace of one cell: records summed (file:line), agreement version in force
    /// and why, its cite, rule and phase, central part and its rounding, exact shares,
    /// and who received each leftover unit and why.
    Explain(ExplainArgs),
    /// Replay a past run from DIR/manifest.json: re-hash every input, recompute with the
    /// recorded options and compare every output byte for byte. Exit 0 if identical,
    /// 3 on any difference (each one printed: which file, and for CSV the first line).
    Verify(VerifyArgs),
    /// Write a working starter configuration (parties, metrics with central shares, one
    /// zone, every key explained) and a records file that `run` accepts at once.
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, ...) to stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout (`fencheng man > fencheng.1`), or with
    /// --dir write one page per subcommand there (fencheng-run.1, fencheng-close.1, …).
    Man(ManArgs),
    /// Baseline against scenarios, side by side: per zone, metric and party the
    /// baseline total, each scenario's, and the differences (absolute and %). With
    /// --set, the overrides form one more column.
    Compare(CompareArgs),
    /// Per-party totals for each value of one parameter (exact decimal grid; the other
    /// ratios of its table rescaled), and with --target the value at which a party
    /// first reaches an amount.
    Sweep(SweepArgs),
    /// Over the agreement's life: every base record grown by an assumed yearly rate and
    /// moved forward a year at a time to --to, then shared by the normal engine; per
    /// party and year, over the horizon, and with --discount the present value. An
    /// estimate: see README ("Trying a counter-offer over the agreement's life").
    Project(ProjectArgs),
    /// The negotiation workbench in the browser: a page on 127.0.0.1 where each ratio is a
    /// slider, with the figures of the records and over the agreement's life for up to
    /// three offers, computed exactly by the same engine (see README).
    Serve(ServeArgs),
    /// The settlement statement both sides sign and seal (税收分成结算单): one print-ready
    /// HTML page per period, payer and payee of DIR's settlement.csv (DIR: a run's --out
    /// directory or a closing of the books), named PERIOD_PAYER_PAYEE.html, with the
    /// total in capital numerals (人民币大写) and the manifest's SHA-256 as reference.
    Statement(StatementArgs),
    /// Validate the configuration (and records, deductions, entities and quota files,
    /// if given) and report every problem found, each with file and line; exit 1 if
    /// there is any.
    Check(CheckArgs),
    /// Quota accounts (指标账户, SPEC §13): per year, quota metric and region, what was
    /// allotted, moved in and out, used (its share, as run computes it, less exempt
    /// entities) and the headroom; a warning for each account over quota.
    #[command(
        override_usage = "fencheng quota --config PATH --records FILE... --allocations FILE... [--transfers FILE...] [--entities FILE] [--year Y] [--out DIR]"
    )]
    Quota(QuotaArgs),
    /// Read the tax system's export through an import profile and write what was read
    /// as plain records (period, zone, entity, metric, amount[, entity_start], source =
    /// FILE:LINE of the export), in the export's order (SPEC §12). No configuration:
    /// zone and metric are written as the profile maps them, or as read.
    #[command(
        override_usage = "fencheng import --profile FILE --records FILE... [--entities FILE] --to OUT.csv"
    )]
    Import(ImportArgs),
}

/// The arguments of `fencheng import`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// Import profile (TOML) describing the export (SPEC §12)
    #[arg(long, value_name = "FILE")]
    pub profile: PathBuf,
    /// The export (CSV, GB18030 or UTF-8, or a workbook); repeatable
    #[arg(long = "records", value_name = "FILE", required = true)]
    pub records: Vec<PathBuf>,
    /// Entities CSV with a zone column, for a profile whose zone is { from = "entities" }
    #[arg(long = "entities", value_name = "FILE")]
    pub entities: Option<PathBuf>,
    /// Text encoding of the export (default: UTF-8, else GB18030)
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
    /// The records file to write (never one of the inputs)
    #[arg(long, value_name = "OUT.csv")]
    pub to: PathBuf,
}

/// The arguments of `fencheng quota`; with `--out`, what its manifest records.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args, Serialize, Deserialize)]
pub struct QuotaArgs {
    #[command(flatten)]
    #[serde(flatten)]
    pub inputs: Inputs,
    /// Allocations CSV (year, party, metric, amount[, reference]): what each region was
    /// allotted for the year (下达指标). Repeatable
    #[arg(long = "allocations", value_name = "FILE", required = true)]
    #[serde(with = "crate::pathtext::many")]
    pub allocations: Vec<PathBuf>,
    /// Transfers CSV (date, metric, from, to, amount[, price, entity, reference,
    /// reason]): quota moved between regions (伴随转移, purchases, swaps). Repeatable
    #[arg(long = "transfers", value_name = "FILE")]
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "crate::pathtext::many"
    )]
    pub transfers: Vec<PathBuf>,
    /// Only this year
    #[arg(long, value_name = "Y")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Exit 1 when any account is over quota (the files are still written)
    #[arg(long)]
    #[serde(default)]
    pub strict: bool,
    /// Write quota.csv, quota-transfers.csv, quota-settlement.csv and manifest.json here
    #[arg(long, value_name = "DIR")]
    #[serde(skip)]
    pub out: Option<PathBuf>,
    /// Draw each quota metric's accounts as an SVG chart in this directory
    /// (quota-METRIC.svg): allotted and received against used, per region and year,
    /// accounts over quota in red
    #[arg(long, value_name = "DIR")]
    #[serde(skip)]
    pub chart: Option<PathBuf>,
    /// Output format of the printed accounts
    #[arg(long, value_enum, default_value_t = Format::Table)]
    #[serde(skip)]
    pub format: Format,
}

/// The arguments of `fencheng run`, and what its manifest records under `options`:
/// everything that decides the files written. What only changes stdout or where the
/// files go (`--out`, `--by`, `--format`) and `--books` (a provisional run writes no
/// manifest) are not recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args, Serialize, Deserialize)]
pub struct RunArgs {
    #[command(flatten)]
    #[serde(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    #[serde(flatten)]
    pub overrides: Overrides,
    /// Scenario file: a config fragment whose metrics, agreements and rules replace
    /// those with the same ids. Repeatable (applied in order).
    #[arg(long = "scenario", value_name = "FILE")]
    #[serde(default, with = "crate::pathtext::many")]
    pub scenarios: Vec<PathBuf>,
    /// Directory for summary.csv and settlement.csv (created if missing; other files
    /// in it are left alone). Without it nothing is written to disk.
    #[arg(long, value_name = "DIR")]
    #[serde(skip)]
    pub out: Option<PathBuf>,
    /// Also write detail.csv: one line per record and party with the exact,
    /// unrounded share (needs --out).
    #[arg(long)]
    pub detail: bool,
    /// Control totals: a CSV `period,zone,metric,party,amount`; every row must equal
    /// the computed summary, or the run fails (exit 1) and writes nothing.
    #[arg(long, value_name = "FILE")]
    #[serde(default, with = "crate::pathtext::maybe")]
    pub expect: Option<PathBuf>,
    /// Start the CSV outputs with a UTF-8 byte order mark, so Excel opens them as
    /// UTF-8 (Chinese names display correctly).
    #[arg(long)]
    #[serde(default)]
    pub bom: bool,
    /// Also write an Excel workbook (sheets summary, settlement and, with --detail,
    /// detail; amounts as numbers, names beside ids).
    #[arg(long, value_name = "FILE")]
    #[serde(default, with = "crate::pathtext::maybe")]
    pub xlsx: Option<PathBuf>,
    /// Only these periods in stdout, summary.csv, settlement.csv and detail.csv
    /// (repeatable); year-to-date totals still use every record given.
    #[arg(long = "period", value_name = "P")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub period: Vec<String>,
    /// The table on stdout grouped by zone, period, metric or party, with a total per
    /// group and metric (people's tables; --format csv and json are unchanged).
    #[arg(long, value_enum)]
    #[serde(skip)]
    pub by: Option<By>,
    /// A provisional figure against the books (SPEC §9.2): what `close` would book
    /// for these records — the new periods and the adjustments — without touching
    /// the books.
    #[arg(long, value_name = "DIR")]
    #[serde(skip)]
    pub books: Option<PathBuf>,
    /// How the totals are printed.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    #[serde(skip)]
    pub format: Format,
}

/// The arguments of `fencheng close`.
#[derive(Debug, clap::Args)]
pub struct CloseArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The books directory: one sub-directory per closed period.
    #[arg(long, value_name = "DIR")]
    pub books: PathBuf,
    /// Also close this period when it has no line (after the latest closed period,
    /// and not before any new line's period); required when only late lines come.
    #[arg(long, value_name = "P")]
    pub period: Option<String>,
    /// The configuration, entities file or profile in use moves figures already
    /// booked (an amended agreement, 补充协议): book the differences as adjustments and
    /// record this reason in the closing's manifest (SPEC §15)
    #[arg(long, value_name = "REASON")]
    pub amend: Option<String>,
}

/// The arguments of `fencheng books`.
#[derive(Debug, clap::Args)]
pub struct BooksArgs {
    #[command(subcommand)]
    pub command: BooksCommand,
}

/// The arguments of `fencheng explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub overrides: Overrides,
    /// Scenario file applied over the configuration (as for run), so that a
    /// negotiated figure can be traced. Repeatable.
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenarios: Vec<PathBuf>,
    /// Period of the cell (YYYY-MM, YYYY-Qn or YYYY).
    #[arg(
        long,
        required_unless_present = "quota",
        default_value = "",
        hide_default_value = true
    )]
    pub period: String,
    /// Zone id (or alias).
    #[arg(
        long,
        required_unless_present = "quota",
        default_value = "",
        hide_default_value = true
    )]
    pub zone: String,
    /// Metric id (or alias).
    #[arg(
        long,
        required_unless_present = "obligations",
        default_value = "",
        hide_default_value = true
    )]
    pub metric: String,
    /// The zone's obligations due in the year of --period (SPEC §14): the year's share
    /// against the guaranteed amount, or base × rate.
    #[arg(long, conflicts_with = "quota")]
    pub obligations: bool,
    /// One quota account (SPEC §13): with --year, --metric, --party, --allocations and
    /// --transfers, each allocation and transfer line, the share per zone and period,
    /// the exempt part and the headroom.
    #[arg(long)]
    pub quota: bool,
    /// The year of the quota account (--quota).
    #[arg(long, requires = "quota")]
    pub year: Option<i32>,
    /// The party of the quota account (--quota).
    #[arg(long, requires = "quota")]
    pub party: Option<String>,
    /// Allocations CSV, as for quota (--quota). Repeatable.
    #[arg(long = "allocations", value_name = "FILE", requires = "quota")]
    pub allocations: Vec<PathBuf>,
    /// Transfers CSV, as for quota (--quota). Repeatable.
    #[arg(long = "transfers", value_name = "FILE", requires = "quota")]
    pub transfers: Vec<PathBuf>,
    /// Only the cell holding this entity's records (e.g. its schedule phase).
    #[arg(long)]
    pub entity: Option<String>,
    /// Against the books: the cell's booked figure, the truth known now (every
    /// booked file of the year and the records given), the adjustment, and the late
    /// records that caused it.
    #[arg(long, value_name = "DIR")]
    pub books: Option<PathBuf>,
    /// table: text for people; json: the same trace as a versioned document.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The arguments of `fencheng verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The --out directory of the run to verify.
    pub dir: PathBuf,
    /// table: text; json: {"identical": ..., "differences": [...]}.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The arguments of `fencheng init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Directory to create the files in (existing files are never overwritten).
    pub dir: PathBuf,
    /// Also write profile.toml: a commented import profile for the tax system's
    /// 税收入库明细 export (SPEC §12)
    #[arg(long)]
    pub profile: bool,
}

/// The arguments of `fencheng completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

/// The arguments of `fencheng man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The arguments of `fencheng compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub overrides: Overrides,
    /// Scenario file (config fragment replacing metrics/agreements/rules by id).
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The arguments of `fencheng sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub overrides: Overrides,
    /// Scenario file applied before the sweep.
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenarios: Vec<PathBuf>,
    /// The path to vary (as for --set).
    #[arg(long)]
    pub vary: String,
    /// First value.
    #[arg(long)]
    pub from: String,
    /// Last value (included if on the grid).
    #[arg(long)]
    pub to: String,
    /// Step of the grid.
    #[arg(long)]
    pub step: String,
    /// A condition on one party's total, "PARTY>=AMOUNT" or "PARTY<=AMOUNT"
    /// (PARTY=AMOUNT means >=): the boundary value in [from, to], found on the grid
    /// and refined by bisection to 6 decimals; says where the condition holds
    /// nowhere or everywhere, and lists every crossing when the totals are not
    /// monotone. JSON: "boundary" (decimal string or null) and "holds"
    /// ("nowhere", "everywhere" or "between").
    #[arg(long, value_name = "CONDITION")]
    pub target: Option<String>,
    /// Draw each party's total against the value as an SVG line chart.
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
    /// run: totals of the records given; life: over the agreement's life, with
    /// project's options (--growth, --growth-file, --grow-deductions) and --until.
    #[arg(long, value_enum, default_value_t = Over::Run)]
    pub over: Over,
    #[command(flatten)]
    pub growth: GrowthArgs,
    /// Last year for --over life (project's --to; here --to ends the grid).
    #[arg(long = "until", value_name = "YEAR")]
    pub until: Option<i32>,
    /// Show the statutory levels (central, the province) too.
    #[arg(long)]
    pub levels: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The arguments of `fencheng project`.
#[derive(Debug, clap::Args)]
pub struct ProjectArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub overrides: Overrides,
    /// Scenario files, each computed on the same projected records, side by side.
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub growth: GrowthArgs,
    /// Last year of the projection (default: the end of the longest agreement in
    /// force; ten years for an open-ended one).
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,
    /// Discount rate for the present value (exact, rounded once at the end).
    #[arg(long, value_name = "RATE")]
    pub discount: Option<String>,
    /// Show the statutory levels (central, the province) and deductions too.
    #[arg(long)]
    pub levels: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Write the projected records' summary.csv and settlement.csv, as run would.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Draw each party's yearly figure as an SVG line chart.
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
    /// table; csv: year,zone,metric,party,amount (a column per scenario after it).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The arguments of `fencheng serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Port on 127.0.0.1 (0: a free one); the URL is the first line on stdout.
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// Allocations CSV, as for quota: each offer also shows every region's quota
    /// accounts and a chart per quota metric. Repeatable
    #[arg(long = "allocations", value_name = "FILE")]
    pub allocations: Vec<PathBuf>,
    /// Transfers CSV, as for quota. Repeatable
    #[arg(long = "transfers", value_name = "FILE")]
    pub transfers: Vec<PathBuf>,
}

/// The arguments of `fencheng statement`.
#[derive(Debug, clap::Args)]
pub struct StatementArgs {
    pub dir: PathBuf,
    /// Where the pages go (default: DIR/statements/).
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
    /// Also print each page to PDF with headless Chromium.
    #[arg(long)]
    pub pdf: bool,
}

/// The arguments of `fencheng check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Stop listing record problems after this many (the rest are counted).
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// table: text; json: {"ok": ..., "problems": [{file, line, field, message}]}.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Quota allocation files (year,party,metric,amount[,reference]) to check against
    /// the configuration, as `quota` reads them (SPEC §13.2).
    #[arg(long = "allocations", value_name = "FILE", num_args = 1..)]
    pub allocations: Vec<PathBuf>,
    /// Quota transfer files (date,metric,from,to,amount[,price,entity,reference,reason])
    /// to check likewise.
    #[arg(long = "transfers", value_name = "FILE", num_args = 1..)]
    pub transfers: Vec<PathBuf>,
}

/// `fencheng books …`.
#[derive(Debug, Subcommand)]
pub enum BooksCommand {
    /// One line per closing: period, records, input total per metric, adjustments
    /// booked, and whether its manifest chains to the previous closing's.
    Status(BooksDir),
    /// Replay every closing from the closings before it, its own inputs and its copy of
    /// the configuration; exit 0 only if every byte and every link of the chain holds,
    /// 3 otherwise (naming the closing, the file and the first differing line).
    Verify(BooksDir),
    /// Undo the latest closing: it is moved (never deleted) to
    /// DIR/.reopened/P-<first 8 hex of its manifest hash>/.
    Reopen(ReopenArgs),
    /// Per year and pair of parties: owed (the year's settlements and adjustments), paid
    /// (the payments file: date,payer,payee,amount[,reference]) and outstanding.
    Balance(BalanceArgs),
}

/// The books directory `books status` and `books verify` read.
#[derive(Debug, clap::Args)]
pub struct BooksDir {
    pub dir: PathBuf,
}

/// The arguments of `fencheng books reopen`.
#[derive(Debug, clap::Args)]
pub struct ReopenArgs {
    pub dir: PathBuf,
    pub period: String,
}

/// The arguments of `fencheng books balance`.
#[derive(Debug, clap::Args)]
pub struct BalanceArgs {
    pub dir: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub payments: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// (subcommand, example, exit codes) of every page.
const PAGES: [(&str, &str, &str); 10] = [
    (
        "run",
        "fencheng run --config config --records samples/records-2025.csv --out out",
        "0 ok; 1 invalid configuration or data, an output that cannot be written, or a broken invariant; 2 usage error",
    ),
    (
        "close",
        "fencheng close --config config --books books --records samples/monthly/records-2025-01.csv",
        "0 closed; 1 invalid data, a file already booked, or books that cannot be read or written (the books are unchanged); 2 usage error",
    ),
    (
        "books",
        "fencheng books verify books",
        "0 ok (verify: every closing replays byte for byte); 1 invalid books or payments; 2 usage error; 3 verify found a difference",
    ),
    (
        "check",
        "fencheng check --config config --records samples/records-2025.csv",
        "0 no problem; 1 problems found (all of them are listed); 2 usage error",
    ),
    (
        "explain",
        "fencheng explain --config config --records samples/records-2025.csv --period 2025-07 --zone cheng-a --metric vat",
        "0 ok; 1 invalid configuration or data; 2 usage error (an unknown zone, metric or entity)",
    ),
    (
        "verify",
        "fencheng verify out",
        "0 every input and output identical to the manifest; 3 a difference (each one printed); 2 usage error",
    ),
    (
        "compare",
        "fencheng compare --config config --records samples/records-2025.csv --scenario samples/scenario-55-45.toml",
        "0 ok; 1 invalid configuration, scenario or data; 2 usage error",
    ),
    (
        "sweep",
        "fencheng sweep --config config --records samples/records-2025.csv --vary zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba --from 0.5 --to 0.7 --step 0.05",
        "0 ok; 1 invalid configuration or data; 2 usage error",
    ),
    (
        "init",
        "fencheng init my-zone",
        "0 written; 1 a file cannot be written (existing files are never overwritten)",
    ),
    (
        "completions",
        "fencheng completions bash > /etc/bash_completion.d/fencheng",
        "0 ok",
    ),
];

/// The command line with each subcommand's example and exit codes (for `--help` and
/// the manual alike).
pub fn with_pages(cmd: clap::Command) -> clap::Command {
    let mut cmd = cmd.after_help(
        "Example:\n  fencheng run --config config --records samples/records-2025.csv --out out\n\nExit codes: 0 ok; 1 invalid configuration or data, or an output that cannot be written; 2 usage error; 3 verify found a difference.\n\nSee fencheng-run(1), fencheng-close(1), fencheng-books(1), fencheng-check(1), fencheng-explain(1), fencheng-verify(1), fencheng-compare(1), fencheng-sweep(1).",
    );
    for (name, example, codes) in PAGES {
        cmd = cmd.mut_subcommand(name, |s| {
            s.after_help(format!("Example:\n  {example}\n\nExit codes: {codes}."))
        });
    }
    cmd
}
