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
pub mod manifest;
pub mod model;
pub mod num;
pub mod output;
pub mod period;
pub mod suggest;

use cli::{Cli, Command};
use error::Error;

/// Run a parsed command line; returns what to print on stdout.
pub fn execute(cli: &Cli) -> Result<String, Error> {
    match &cli.command {
        Command::Run {
            inputs,
            overrides,
            scenarios,
            out,
            detail,
            expect,
            bom,
            xlsx,
            period,
            by,
            books,
            format,
        } => {
            if let Some(dir) = books {
                return commands::close::provisional(inputs, dir, period, out.as_deref());
            }
            let extras = commands::run::Extras {
                scenarios,
                set: &overrides.set,
                allow_outside_band: overrides.allow_outside_band,
                detail: *detail,
                expect: expect.as_deref(),
                bom: *bom,
                xlsx: xlsx.as_deref(),
                period,
                by: *by,
            };
            commands::run::run(inputs, out.as_deref(), &extras, *format)
        }
        Command::Explain {
            inputs,
            overrides,
            scenarios,
            period,
            zone,
            metric,
            entity,
            books,
            format,
        } => {
            if *format == output::totals::Format::Csv {
                return Err(error::Error::Usage(crate::msg!("E0635").text));
            }
            let target = commands::explain::Target {
                set: overrides.set.clone(),
                allow_outside_band: overrides.allow_outside_band,
                scenarios: scenarios.clone(),
                books: books.clone(),
                period: period.clone(),
                zone: zone.clone(),
                metric: metric.clone(),
                entity: entity.clone(),
            };
            commands::explain::explain(inputs, &target, *format)
        }
        Command::Verify { dir, format } => commands::verify::verify_as(dir, *format),
        Command::Close {
            inputs,
            books,
            period,
        } => commands::close::close(inputs, books, period.as_deref()),
        Command::Books { command } => commands::books::books(command),
        Command::Statement { dir, to, pdf } => {
            commands::statement::statement(dir, to.as_deref(), *pdf)
        }
        Command::Serve { inputs, port } => {
            commands::serve::serve(inputs, *port, cli.lang.as_deref())
        }
        Command::Project {
            inputs,
            overrides,
            scenarios,
            growth,
            growth_file,
            to,
            discount,
            grow_deductions,
            levels,
            zone,
            metric,
            party,
            out,
            chart,
            format,
        } => {
            let req = commands::project::Request {
                inputs,
                overrides,
                scenarios,
                growth,
                growth_file: growth_file.as_deref(),
                to: *to,
                discount: discount.as_deref(),
                grow_deductions: *grow_deductions,
                levels: *levels,
                filter: commands::project::Filter {
                    zone: zone.as_deref(),
                    metric: metric.as_deref(),
                    party: party.as_deref(),
                },
            };
            commands::project::run(&req, out.as_deref(), chart.as_deref(), *format)
        }
        Command::Compare {
            inputs,
            overrides,
            scenarios,
            filter,
            format,
        } => commands::negotiate::compare(inputs, overrides, scenarios, &filter.filter(), *format),
        Command::Sweep {
            inputs,
            overrides,
            scenarios,
            vary,
            from,
            to,
            step,
            target,
            chart,
            over,
            growth,
            growth_file,
            until,
            grow_deductions,
            levels,
            filter,
            format,
        } => {
            let req = commands::sweep::Request {
                inputs,
                overrides,
                scenarios,
                grid: commands::sweep::Grid {
                    vary: vary.clone(),
                    from: from.clone(),
                    to: to.clone(),
                    step: step.clone(),
                },
                target: target.as_deref(),
                chart: chart.as_deref(),
                life: *over == cli::Over::Life,
                growth,
                growth_file: growth_file.as_deref(),
                to: *until,
                grow_deductions: *grow_deductions,
                filter: filter.filter(),
                levels: *levels,
            };
            commands::sweep::sweep(&req, *format)
        }
        Command::Check {
            inputs,
            limit,
            format,
        } => commands::check::check(inputs, *limit, *format),
        Command::Init { dir } => commands::init::init(dir),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "fencheng", &mut buf);
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
        Command::Man { dir } => commands::man::man(dir.as_deref()),
    }
}
