//! `fencheng run`: compute, print totals, write outputs atomically.

use super::read_cells;
use crate::cli::Inputs;
use crate::engine::compute;
use crate::error::Error;
use crate::output::{atomic, settlement, summary, totals};
use std::path::Path;

pub fn run(inputs: &Inputs, out: Option<&Path>, format: totals::Format) -> Result<String, Error> {
    if inputs.records.is_empty() {
        return Err(Error::Usage("run needs at least one --records FILE".into()));
    }
    let model = crate::config::load(&inputs.config)?;
    let (cells, _files) = read_cells(&model, inputs, 100)?;
    let outcome = compute(&model, &cells)?;
    if let Some(dir) = out {
        let files = [
            (
                "summary.csv",
                summary::render(&model, &outcome).into_bytes(),
            ),
            (
                "settlement.csv",
                settlement::render(&model, &outcome).into_bytes(),
            ),
        ];
        atomic::write_all(dir, &files)?;
    }
    Ok(totals::render(&model, &outcome, format, cells.records))
}
