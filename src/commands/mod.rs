//! Orchestration of the commands: load, read, compute, write. No arithmetic here.

pub mod check;
pub mod explain;
pub mod init;
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
