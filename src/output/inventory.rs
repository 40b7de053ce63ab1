//! What a manifest lists of a run: every input with its SHA-256 (and, for records, its
//! rows) and the control totals per metric (Σ input, Σ allocated).

use crate::engine::Outcome;
use crate::engine::cells::Cells;
use crate::manifest::{ControlTotal, InputFile, sha256_hex};
use crate::model::Model;
use crate::output::summary;
use std::collections::BTreeMap;

/// The config files, the records read (as `ReadFile`s) and the files they reference.
pub fn input_files(
    model: &Model,
    read: Vec<InputFile>,
    referenced: Vec<InputFile>,
) -> Vec<InputFile> {
    let mut out: Vec<InputFile> = model
        .files
        .iter()
        .map(|f| InputFile {
            path: f.path.clone(),
            sha256: sha256_hex(&f.bytes),
            rows: None,
            role: "config".into(),
        })
        .collect();
    out.extend(read);
    out.extend(referenced);
    out
}

/// Σ input and Σ allocated per metric, which agree: a pooled metric's allocated part is
/// its levels plus what it hands the pool, and each pool (vat_cit) is listed with what
/// its metrics handed it as input and its shares and deductions as allocated.
pub fn control_totals(model: &Model, cells: &Cells, outcome: &Outcome) -> Vec<ControlTotal> {
    let mut allocated: BTreeMap<usize, i128> = BTreeMap::new();
    let mut input: BTreeMap<usize, i128> = cells.input_by_metric().into_iter().collect();
    for c in &outcome.cells {
        let rows: i128 = crate::engine::cell_rows(c).iter().map(|(_, u)| u).sum();
        *allocated.entry(c.key.metric).or_default() += rows;
        if let Some(pool) = &c.pooled_in {
            *allocated.entry(c.key.metric).or_default() += c.t;
            *input.entry(pool.metric).or_default() += c.t;
        }
    }
    let mut out: Vec<ControlTotal> = input
        .iter()
        .map(|(m, input)| ControlTotal {
            metric: model.metrics[*m].id.clone(),
            unit: model.metrics[*m].unit.clone(),
            input: summary::amount(model, *m, *input),
            allocated: summary::amount(model, *m, allocated.get(m).copied().unwrap_or(0)),
        })
        .collect();
    out.sort_by(|a, b| a.metric.cmp(&b.metric));
    out
}
