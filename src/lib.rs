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
pub mod formula;
pub mod i18n;
pub mod input;
pub mod ledger;
pub mod manifest;
pub mod model;
pub mod num;
pub mod output;
pub mod pathtext;
pub mod period;
pub mod suggest;

/// Run a parsed command line (`commands::execute`), and whether it lacks `--config`.
pub use commands::{execute, needs_config};
