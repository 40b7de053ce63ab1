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

use cli::{Cli, Command};
use error::Error;

/// A command that needs `--config` and was not given one: every command but those of
/// the books, which fall back on the latest closing's copy (SPEC §15).
pub fn needs_config(cli: &Cli) -> bool {
    let needs = match &cli.command {
        Command::Run(a) if a.books.is_none() => Some(&a.inputs),
        Command::Explain(a) if a.books.is_none() => Some(&a.inputs),
        Command::Serve(a) => Some(&a.inputs),
        Command::Project(a) => Some(&a.inputs),
        Command::Compare(a) => Some(&a.inputs),
        Command::Sweep(a) => Some(&a.inputs),
        Command::Check(a) => Some(&a.inputs),
        Command::Quota(a) => Some(&a.inputs),
        _ => None,
    };
    needs.is_some_and(|i| i.config.as_os_str().is_empty())
}

/// Run a parsed command line; returns what to print on stdout.
pub fn execute(cli: &Cli) -> Result<String, Error> {
    if needs_config(cli) {
        return Err(Error::Usage(crate::msg!("E0699")));
    }
    match &cli.command {
        Command::Run(a) => match &a.books {
            Some(dir) => commands::close::provisional(&a.inputs, dir, &a.period, a.out.as_deref()),
            None => commands::run::run(a),
        },
        Command::Explain(a) => commands::explain::explain(a),
        Command::Verify(a) => commands::verify::verify_as(&a.dir, a.format),
        Command::Close(a) => {
            commands::close::close(&a.inputs, &a.books, a.period.as_deref(), a.amend.as_deref())
        }
        Command::Books(a) => commands::books::books(&a.command),
        Command::Statement(a) => commands::statement::statement(&a.dir, a.to.as_deref(), a.pdf),
        Command::Serve(a) => commands::serve::serve(a, cli.lang.as_deref()),
        Command::Project(a) => commands::project::run(a),
        Command::Compare(a) => commands::negotiate::compare(a),
        Command::Sweep(a) => commands::sweep::sweep(a),
        Command::Check(a) => commands::check::check(&a.inputs, a.limit, a.format),
        Command::Quota(a) => commands::quota::quota(a),
        Command::Import(a) => commands::import::import(a),
        Command::Init(a) => commands::init::init(&a.dir, a.profile),
        Command::Completions(a) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(a.shell, &mut cmd, "fencheng", &mut buf);
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
        Command::Man(a) => commands::man::man(a.dir.as_deref()),
    }
}
