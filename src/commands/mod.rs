//! Orchestration of the commands: load, read, compute, write. No arithmetic here.

pub mod check;
pub mod explain;
pub mod init;
pub mod negotiate;
pub mod run;
pub mod verify;

use crate::cli::Inputs;
use crate::diag::Problems;
use crate::engine::cells::Cells;
use crate::error::Error;
use crate::input::read_records;
use crate::model::Model;

/// A record file that was read: its SHA-256 (from the same pass that read it).
pub struct ReadFile {
    pub path: String,
    pub sha256: String,
    /// Records read from the file.
    pub rows: u64,
    /// Read by the streaming fast path (plain UTF-8 CSV), so a second pass may stream too.
    pub streamed: bool,
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

/// Read every record file into cells; all bad lines are collected (up to `limit`).
/// Plain UTF-8 CSV goes through the streaming parallel reader; anything else (quotes,
/// GB18030, xlsx) through the general reader, which is the reference.
pub fn read_cells(
    model: &Model,
    inputs: &Inputs,
    limit: usize,
) -> Result<(Cells, Vec<ReadFile>), Error> {
    use crate::input::stream;
    let mut cells = Cells::default();
    let mut problems = Problems::new(limit);
    let mut granularity = None;
    let mut files = Vec::new();
    for (i, path) in inputs.records.iter().enumerate() {
        let before = cells.records;
        let plain = !crate::input::xlsx::is_xlsx(&crate::input::xlsx::split_sheet(path).0)
            && inputs.encoding != crate::input::Encoding::Gb18030;
        if plain {
            match stream::read_parallel(
                path,
                i,
                model,
                &mut granularity,
                &mut problems,
                &mut cells,
                threads(),
            ) {
                Ok(s) => {
                    files.push(ReadFile {
                        path: path.display().to_string(),
                        sha256: s.sha256,
                        rows: cells.records - before,
                        streamed: true,
                    });
                    continue;
                }
                Err(stream::Fallback::Io(e)) if !path.exists() => {
                    return Err(Error::RecordsIo(crate::input::RecordsError::Io {
                        path: path.display().to_string(),
                        source: e,
                    }));
                }
                Err(_) => {}
            }
        }
        let bytes = read_records(
            path,
            i,
            model,
            inputs.encoding,
            &mut granularity,
            &mut problems,
            &mut |r| cells.add(model, r),
        )?;
        files.push(ReadFile {
            path: path.display().to_string(),
            sha256: crate::output::manifest::sha256_hex(&bytes),
            rows: cells.records - before,
            streamed: false,
        });
    }
    if !problems.is_empty() {
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    Ok((cells, files))
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
    Ok((signed, model, violations))
}

/// Parse every `--set`.
pub fn parse_sets(sets: &[String]) -> Result<Vec<crate::config::overlay::SetOp>, Error> {
    sets.iter()
        .map(|s| crate::config::overlay::SetOp::parse(s).map_err(Error::Usage))
        .collect()
}
