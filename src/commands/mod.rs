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

/// The record files read, with their bytes (for hashing).
pub struct ReadFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// Records read from the file.
    pub rows: u64,
}

/// Read every record file into cells; all bad lines are collected (up to `limit`).
pub fn read_cells(
    model: &Model,
    inputs: &Inputs,
    limit: usize,
) -> Result<(Cells, Vec<ReadFile>), Error> {
    let mut cells = Cells::default();
    let mut problems = Problems::new(limit);
    let mut granularity = None;
    let mut files = Vec::new();
    for (i, path) in inputs.records.iter().enumerate() {
        let before = cells.records;
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
            bytes,
            rows: cells.records - before,
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
