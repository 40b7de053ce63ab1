//! Command-line definitions. Help text lives here, once.

use crate::input::Encoding;
use crate::output::totals::Format;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// Configuration: a TOML file or a directory of *.toml files (merged).
    #[arg(long, value_name = "PATH")]
    pub config: PathBuf,
    /// Records CSV (period, zone, entity, metric, amount[, entity_start]); repeatable,
    /// the records of all files are summed together.
    #[arg(long = "records", value_name = "FILE")]
    pub records: Vec<PathBuf>,
    /// Text encoding of the record files (default: UTF-8, else GB18030).
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
    /// Deductions CSV (period, zone, metric, amount[, entity, reason]): amounts paid out
    /// of a zone's local part before its parties share it (奖补、返还、征收成本).
    /// Repeatable.
    #[arg(long = "deductions", value_name = "FILE")]
    pub deductions: Vec<PathBuf>,
    /// Delimiter of the CSV files (default: the one of , tab ; used most in the header).
    #[arg(long, value_enum)]
    pub delimiter: Option<Delimiter>,
    /// Entities CSV (entity[, entity_start, origin, tags]): start dates (投产日期),
    /// where enterprises came from (迁出地) and their tags, for rules with applies_to.
    #[arg(long = "entities", value_name = "FILE")]
    pub entities: Option<PathBuf>,
}

/// A CSV delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

impl FilterArgs {
    pub fn filter(&self) -> crate::commands::project::Filter<'_> {
        crate::commands::project::Filter {
            zone: self.zone.as_deref(),
            metric: self.metric.as_deref(),
            party: self.party.as_deref(),
        }
    }
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
#[derive(Debug, clap::Args)]
pub struct Overrides {
    /// Override one value: PATH=VALUE, PATH dotted as in TOML, array elements by id or
    /// 1-based index, e.g. zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba=0.65.
    /// Setting one ratio rescales the others of its table exactly. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Compute even if a ratio moves outside its rule's policy band (`band`).
    #[arg(long)]
    pub allow_outside_band: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute every share, print each party's totals per metric, and with --out write
    /// summary.csv and settlement.csv (atomically: all or nothing).
    #[command(
        override_usage = "fencheng run --config PATH --records FILE [--records FILE]... [OPTIONS]"
    )]
    Run {
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        overrides: Overrides,
        /// Scenario file: a config fragment whose metrics, agreements and rules replace
        /// those with the same ids. Repeatable (applied in order).
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Directory for summary.csv and settlement.csv (created if missing; other files
        /// in it are left alone). Without it nothing is written to disk.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Also write detail.csv: one line per record and party with the exact,
        /// unrounded share (needs --out).
        #[arg(long)]
        detail: bool,
        /// Control totals: a CSV `period,zone,metric,party,amount`; every row must equal
        /// the computed summary, or the run fails (exit 1) and writes nothing.
        #[arg(long, value_name = "FILE")]
        expect: Option<PathBuf>,
        /// Start the CSV outputs with a UTF-8 byte order mark, so Excel opens them as
        /// UTF-8 (Chinese names display correctly).
        #[arg(long)]
        bom: bool,
        /// Also write an Excel workbook (sheets summary, settlement and, with --detail,
        /// detail; amounts as numbers, names beside ids).
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        /// Only these periods in stdout, summary.csv, settlement.csv and detail.csv
        /// (repeatable); year-to-date totals still use every record given.
        #[arg(long = "period", value_name = "P")]
        period: Vec<String>,
        /// The table on stdout grouped by zone, period, metric or party, with a total per
        /// group and metric (people's tables; --format csv and json are unchanged).
        #[arg(long, value_enum)]
        by: Option<crate::output::totals::By>,
        /// A provisional figure against the books (SPEC §9.2): what `close` would book
        /// for these records — the new periods and the adjustments — without touching
        /// the books.
        #[arg(long, value_name = "DIR")]
        books: Option<PathBuf>,
        /// How the totals are printed.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Close new periods into the books, once, and book late lines (所属期 earlier than
    /// the latest closed period) as adjustments in the first new closing (SPEC §9).
    /// Files already booked are refused; the books change only if everything succeeds.
    #[command(
        override_usage = "fencheng close --config PATH --books DIR --records FILE... [--deductions FILE...] [--entities FILE] [--period P]"
    )]
    Close {
        #[command(flatten)]
        inputs: Inputs,
        /// The books directory: one sub-directory per closed period.
        #[arg(long, value_name = "DIR")]
        books: PathBuf,
        /// Also close this period when it has no line (after the latest closed period,
        /// and not before any new line's period); required when only late lines come.
        #[arg(long, value_name = "P")]
        period: Option<String>,
    },
    /// Read the books: status, verify, reopen the latest closing, balance of payments.
    Books {
        #[command(subcommand)]
        command: BooksCommand,
    },
    /// The full trace of one cell: records summed (file:line), agreement version in force
    /// and why, its cite, rule and phase, central part and its rounding, exact shares,
    /// and who received each leftover unit and why.
    Explain {
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        overrides: Overrides,
        /// Scenario file applied over the configuration (as for run), so that a
        /// negotiated figure can be traced. Repeatable.
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Period of the cell (YYYY-MM, YYYY-Qn or YYYY).
        #[arg(long)]
        period: String,
        /// Zone id (or alias).
        #[arg(long)]
        zone: String,
        /// Metric id (or alias).
        #[arg(long)]
        metric: String,
        /// Only the cell holding this entity's records (e.g. its schedule phase).
        #[arg(long)]
        entity: Option<String>,
        /// Against the books: the cell's booked figure, the truth known now (every
        /// booked file of the year and the records given), the adjustment, and the late
        /// records that caused it.
        #[arg(long, value_name = "DIR")]
        books: Option<PathBuf>,
        /// table: text for people; json: the same trace as a versioned document.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Replay a past run from DIR/manifest.json: re-hash every input, recompute with the
    /// recorded options and compare every output byte for byte. Exit 0 if identical,
    /// 3 on any difference (each one printed: which file, and for CSV the first line).
    Verify {
        /// The --out directory of the run to verify.
        dir: PathBuf,
        /// table: text; json: {"identical": ..., "differences": [...]}.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Write a working starter configuration (parties, metrics with central shares, one
    /// zone, every key explained) and a records file that `run` accepts at once.
    Init {
        /// Directory to create the files in (existing files are never overwritten).
        dir: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, ...) to stdout.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff) to stdout (`fencheng man > fencheng.1`), or with
    /// --dir write one page per subcommand there (fencheng-run.1, fencheng-close.1, …).
    Man {
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Baseline against scenarios, side by side: per zone, metric and party the
    /// baseline total, each scenario's, and the differences (absolute and %). With
    /// --set, the overrides form one more column.
    Compare {
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        overrides: Overrides,
        /// Scenario file (config fragment replacing metrics/agreements/rules by id).
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Per-party totals for each value of one parameter (exact decimal grid; the other
    /// ratios of its table rescaled), and with --target the value at which a party
    /// first reaches an amount.
    Sweep {
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        overrides: Overrides,
        /// Scenario file applied before the sweep.
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// The path to vary (as for --set).
        #[arg(long)]
        vary: String,
        /// First value.
        #[arg(long)]
        from: String,
        /// Last value (included if on the grid).
        #[arg(long)]
        to: String,
        /// Step of the grid.
        #[arg(long)]
        step: String,
        /// A condition on one party's total, "PARTY>=AMOUNT" or "PARTY<=AMOUNT"
        /// (PARTY=AMOUNT means >=): the boundary value in [from, to], found on the grid
        /// and refined by bisection to 6 decimals; says where the condition holds
        /// nowhere or everywhere, and lists every crossing when the totals are not
        /// monotone. JSON: "boundary" (decimal string or null) and "holds"
        /// ("nowhere", "everywhere" or "between").
        #[arg(long, value_name = "CONDITION")]
        target: Option<String>,
        /// Draw each party's total against the value as an SVG line chart.
        #[arg(long, value_name = "FILE.svg")]
        chart: Option<PathBuf>,
        /// run: totals of the records given; life: over the agreement's life, with
        /// project's options (--growth, --growth-file, --to, --grow-deductions).
        #[arg(long, value_enum, default_value_t = Over::Run)]
        over: Over,
        /// Yearly growth for --over life (as for project). Repeatable.
        #[arg(long, value_name = "RATE")]
        growth: Vec<String>,
        /// Yearly totals per zone and metric for --over life (as for project).
        #[arg(long, value_name = "FILE")]
        growth_file: Option<PathBuf>,
        /// Last year for --over life (as for project).
        #[arg(long = "until", value_name = "YEAR")]
        until: Option<i32>,
        /// Grow the deductions for --over life (as for project).
        #[arg(long)]
        grow_deductions: bool,
        /// Show the statutory levels (central, the province) too.
        #[arg(long)]
        levels: bool,
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Over the agreement's life: every base record grown by an assumed yearly rate and
    /// moved forward a year at a time to --to, then shared by the normal engine; per
    /// party and year, over the horizon, and with --discount the present value. An
    /// estimate: see README ("Trying a counter-offer over the agreement's life").
    Project {
        #[command(flatten)]
        inputs: Inputs,
        #[command(flatten)]
        overrides: Overrides,
        /// Scenario files, each computed on the same projected records, side by side.
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Yearly growth: a rate for every zone and metric (0.06), or for one zone
        /// (gaozhu=0.05) or one zone and metric (gaozhu.vat=0.08). Repeatable; default 0.
        #[arg(long, value_name = "RATE")]
        growth: Vec<String>,
        /// Yearly totals per zone and metric (year,zone,metric,total): the factor of a
        /// year is its total over the base year's.
        #[arg(long, value_name = "FILE")]
        growth_file: Option<PathBuf>,
        /// Last year of the projection (default: the end of the longest agreement in
        /// force; ten years for an open-ended one).
        #[arg(long, value_name = "YEAR")]
        to: Option<i32>,
        /// Discount rate for the present value (exact, rounded once at the end).
        #[arg(long, value_name = "RATE")]
        discount: Option<String>,
        /// Grow the deductions like the records (default: the base year's, every year).
        #[arg(long)]
        grow_deductions: bool,
        /// Show the statutory levels (central, the province) and deductions too.
        #[arg(long)]
        levels: bool,
        /// Only this zone (id or name).
        #[arg(long)]
        zone: Option<String>,
        /// Only this metric (id or name).
        #[arg(long)]
        metric: Option<String>,
        /// Only this party.
        #[arg(long)]
        party: Option<String>,
        /// Write the projected records' summary.csv and settlement.csv, as run would.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Draw each party's yearly figure as an SVG line chart.
        #[arg(long, value_name = "FILE.svg")]
        chart: Option<PathBuf>,
        /// table; csv: year,zone,metric,party,amount (a column per scenario after it).
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// The negotiation workbench in the browser: a page on 127.0.0.1 where each ratio is a
    /// slider, with the figures of the records and over the agreement's life for up to
    /// three offers, computed exactly by the same engine (see README).
    Serve {
        #[command(flatten)]
        inputs: Inputs,
        /// Port on 127.0.0.1 (0: a free one); the URL is the first line on stdout.
        #[arg(long, default_value_t = 8787)]
        port: u16,
    },
    /// The settlement statement both sides sign and seal (税收分成结算单): one print-ready
    /// HTML page per period, payer and payee of DIR's settlement.csv (DIR: a run's --out
    /// directory or a closing of the books), named PERIOD_PAYER_PAYEE.html, with the
    /// total in capital numerals (人民币大写) and the manifest's SHA-256 as reference.
    Statement {
        dir: PathBuf,
        /// Where the pages go (default: DIR/statements/).
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
        /// Also print each page to PDF with headless Chromium.
        #[arg(long)]
        pdf: bool,
    },
    /// Validate the configuration (and records, if given) and report every problem
    /// found, each with file and line; exit 1 if there is any.
    Check {
        #[command(flatten)]
        inputs: Inputs,
        /// Stop listing record problems after this many (the rest are counted).
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// table: text; json: {"ok": ..., "problems": [{file, line, field, message}]}.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// `fencheng books …`.
#[derive(Debug, Subcommand)]
pub enum BooksCommand {
    /// One line per closing: period, records, input total per metric, adjustments
    /// booked, and whether its manifest chains to the previous closing's.
    Status { dir: PathBuf },
    /// Replay every closing from the closings before it, its own inputs and its copy of
    /// the configuration; exit 0 only if every byte and every link of the chain holds,
    /// 3 otherwise (naming the closing, the file and the first differing line).
    Verify { dir: PathBuf },
    /// Undo the latest closing: it is moved (never deleted) to
    /// DIR/.reopened/P-<first 8 hex of its manifest hash>/.
    Reopen { dir: PathBuf, period: String },
    /// Per year and pair of parties: owed (the year's settlements and adjustments), paid
    /// (the payments file: date,payer,payee,amount[,reference]) and outstanding.
    Balance {
        dir: PathBuf,
        #[arg(long, value_name = "FILE")]
        payments: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}
