//! `fencheng check`: every problem in the configuration and the records, at once.

use super::read_cells;
use crate::cli::Inputs;
use crate::engine::compute;
use crate::error::Error;

pub fn check(inputs: &Inputs, limit: usize) -> Result<String, Error> {
    let model = crate::config::load(&inputs.config)?;
    let mut report = format!(
        "configuration OK: {} parties, {} metrics, {} zones, {} agreement versions\n",
        model.parties.len(),
        model.metrics.len(),
        model.zones.len(),
        model
            .zones
            .iter()
            .map(|z| z.agreements.len())
            .sum::<usize>()
    );
    if !inputs.records.is_empty() {
        let (cells, files) = read_cells(&model, inputs, limit)?;
        // Rules can still fail on a cell (a formula out of [0, 1]), so compute too.
        compute(&model, &cells)?;
        report.push_str(&format!(
            "records OK: {} records in {} files, {} cells\n",
            cells.records,
            files.len(),
            cells.map.len()
        ));
    }
    Ok(report)
}
