//! fencheng (分成): exact inter-regional revenue sharing.
//!
//! Data flows one way: `input` (records) and `config` (TOML) → `model` (validated) →
//! `engine` (pure: cells, rules, allocation, year-to-date) → `output` (CSV, totals) →
//! `commands` / `cli`. The engine does no I/O, so every rule is testable on values.

pub mod cli;
pub mod commands;
pub mod config;
pub mod diag;
pub mod engine;
pub mod error;
pub mod input;
pub mod model;
pub mod num;
pub mod output;

use cli::{Cli, Command};
use error::Error;

/// Run a parsed command line; returns what to print on stdout.
pub fn execute(cli: &Cli) -> Result<String, Error> {
    match &cli.command {
        Command::Run {
            inputs,
            out,
            format,
        } => commands::run::run(inputs, out.as_deref(), *format),
        Command::Check { inputs, limit } => commands::check::check(inputs, *limit),
    }
}
