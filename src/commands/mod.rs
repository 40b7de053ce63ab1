//! Orchestration of the commands: load, read, compute, write. No arithmetic here.

pub mod books;
pub mod check;
pub mod close;
pub mod evaluate;
pub mod explain;
mod explain_more;
pub mod import;
pub mod init;
pub mod man;
pub mod negotiate;
pub mod project;
pub mod quota;
pub mod run;
pub mod serve;
pub mod statement;
pub mod sweep;
pub mod verify;

mod read;

use crate::error::Error;
use crate::model::Model;
pub use read::read_cells;
pub(crate) use read::{read_side, read_whole};

use crate::cli::{Cli, Command};

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
            Some(dir) => self::close::provisional(&a.inputs, dir, &a.period, a.out.as_deref()),
            None => self::run::run(a),
        },
        Command::Explain(a) => self::explain::explain(a),
        Command::Verify(a) => self::verify::verify_as(&a.dir, a.format),
        Command::Close(a) => {
            self::close::close(&a.inputs, &a.books, a.period.as_deref(), a.amend.as_deref())
        }
        Command::Books(a) => self::books::books(&a.command),
        Command::Statement(a) => self::statement::statement(&a.dir, a.to.as_deref(), a.pdf),
        Command::Serve(a) => self::serve::serve(a, cli.lang.as_deref()),
        Command::Project(a) => self::project::run(a),
        Command::Compare(a) => self::negotiate::compare(a),
        Command::Sweep(a) => self::sweep::sweep(a),
        Command::Check(a) => self::check::check(a),
        Command::Quota(a) => self::quota::quota(a),
        Command::Import(a) => self::import::import(a),
        Command::Init(a) => self::init::init(&a.dir, a.profile),
        Command::Completions(a) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut buf = Vec::new();
            clap_complete::generate(a.shell, &mut cmd, "fencheng", &mut buf);
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
        Command::Man(a) => self::man::man(a.dir.as_deref()),
    }
}

/// A record file that was read: its SHA-256 (from the same pass that read it).
pub struct ReadFile {
    pub path: String,
    pub sha256: String,
    /// Records read from the file.
    pub rows: u64,
    /// Read by the streaming fast path (plain UTF-8 CSV), so a second pass may stream too.
    pub streamed: bool,
    /// `records`, `deductions` or `entities`.
    pub role: &'static str,
}

/// Worker threads for the streaming reader: the machine's cores.
pub fn threads() -> usize {
    std::env::var("FENCHENG_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, 16)
}

/// Load the signed configuration and the negotiated one (scenarios, then `--set`), and
/// refuse ratios outside a rule's policy band unless `allow_outside_band`.
pub fn load_negotiated(
    config: &std::path::Path,
    scenarios: &[std::path::PathBuf],
    sets: &[crate::config::overlay::SetOp],
    allow_outside_band: bool,
) -> Result<(Model, Model, Vec<String>), Error> {
    use crate::config::{ConfigError, overlay};
    use crate::diag::Diag;
    let signed = crate::config::load(config)?;
    if scenarios.is_empty() && sets.is_empty() {
        return Ok((signed.clone(), signed, Vec::new()));
    }
    let mut model = crate::config::load::load_with(config, scenarios)?;
    for op in sets {
        overlay::apply(&mut model, op)
            .map_err(|m| Error::Config(ConfigError(vec![Diag::new("--set", 0, "", m)])))?;
    }
    let violations = overlay::band_violations(&signed, &model);
    if !violations.is_empty() && !allow_outside_band {
        let diags = violations
            .iter()
            .map(|v| Diag::new("band", 0, "", v.clone()))
            .collect();
        return Err(Error::Config(ConfigError(diags)));
    }
    Ok((
        signed,
        model,
        violations.into_iter().map(|m| m.text).collect(),
    ))
}

/// Write `summary.csv` and `settlement.csv` of an outcome into `dir`, atomically.
pub fn write_pair(
    dir: &std::path::Path,
    model: &Model,
    outcome: &crate::engine::Outcome,
) -> Result<(), Error> {
    let mut tx = crate::output::atomic::Transaction::new(dir)?;
    tx.write(
        "summary.csv",
        crate::output::summary::render(model, outcome).as_bytes(),
    )?;
    tx.write(
        "settlement.csv",
        crate::output::settlement::render(model, outcome).as_bytes(),
    )?;
    tx.commit()?;
    Ok(())
}

/// Parse every `--set`.
pub fn parse_sets(sets: &[String]) -> Result<Vec<crate::config::overlay::SetOp>, Error> {
    sets.iter()
        .map(|s| crate::config::overlay::SetOp::parse(s).map_err(Error::Usage))
        .collect()
}

/// `--expect FILE`: read the expected figures and compare them with the computed
/// summary; returns the file's bytes (for the manifest).
pub fn check_expected(
    model: &Model,
    outcome: &crate::engine::Outcome,
    path: &std::path::Path,
) -> Result<Vec<u8>, Error> {
    let file = crate::input::expect::read(path, model)?;
    if file.unreadable {
        return Err(Error::Records(file.problems, 0));
    }
    let mut diags = file.problems;
    let shown = crate::pathtext::show(path);
    diags.extend(crate::output::summary::against(
        model, outcome, &shown, &file.rows,
    ));
    if diags.is_empty() {
        Ok(file.bytes)
    } else {
        diags.sort();
        Err(Error::Expect(diags))
    }
}
