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
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute every share, print each party's totals per metric, and with --out write
    /// summary.csv and settlement.csv (atomically: all or nothing).
    Run {
        #[command(flatten)]
        inputs: Inputs,
        /// Directory for summary.csv and settlement.csv (created if missing; other files
        /// in it are left alone). Without it nothing is written to disk.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// How the totals are printed.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Validate the configuration (and records, if given) and report every problem
    /// found, each with file and line; exit 1 if there is any.
    Check {
        #[command(flatten)]
        inputs: Inputs,
        /// Stop listing record problems after this many (the rest are counted).
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}
