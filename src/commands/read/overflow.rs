//! Where an overflowing total happened, in file order, whatever the thread count.

use crate::cli::Inputs;
use crate::diag::Problems;
use crate::engine::cells::Cells;
use crate::model::Model;

/// The record at which a cell's (or a metric's) running total, in file order, first
/// passes what an i128 of units holds.
pub(super) fn first_overflow(model: &Model, inputs: &Inputs) -> Option<crate::diag::Diag> {
    let mut cells = Cells::default();
    let mut problems = Problems::new(1);
    let mut found = false;
    let _ = super::each_record(model, inputs, &mut problems, &mut |r| {
        if found {
            return Ok(());
        }
        let key = cells.locate(model, r)?;
        cells.add(model, r).map_err(|m| {
            found = true;
            crate::msg!(
                "E0316",
                period = key.period,
                zone = model.zones[key.zone].id,
                metric = model.metrics[key.metric].id,
                what = m,
                quantum = model.metrics[key.metric].quantum.text
            )
        })
    });
    problems.diags.into_iter().find(|d| d.code == "E0316")
}
