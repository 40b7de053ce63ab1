//! `assessment.csv` (考核口径, SPEC §8.5): for a statistic with `assessment = "dual"`,
//! every party of a cell's allocation is credited the cell's whole T — the view in
//! which a relocated enterprise's output counts in full in both regions. The split
//! figures, which add up, stay in `summary.csv`.

use crate::engine::Outcome;
use crate::ledger::{FigureKey, Figures};
use crate::model::Model;

/// Whether any metric asks for the dual view (then the file is written, header-only
/// when it has no rows).
pub fn wanted(model: &Model) -> bool {
    model.metrics.iter().any(|m| m.dual)
}

/// (period, zone, metric, party) → (units, metric index), for dual metrics only.
pub fn rows(model: &Model, outcome: &Outcome) -> Figures {
    let mut out = Figures::new();
    for c in &outcome.cells {
        if !model.metrics[c.key.metric].dual {
            continue;
        }
        for (party, _) in &c.shares {
            let e = out
                .entry(FigureKey {
                    period: c.key.period,
                    zone: model.zones[c.key.zone].id.clone(),
                    metric: model.metrics[c.key.metric].id.clone(),
                    party: party.clone(),
                })
                .or_insert((0, c.key.metric));
            e.0 += c.t;
        }
    }
    out
}

/// The file.
pub fn render(model: &Model, outcome: &Outcome) -> String {
    super::summary::render_rows(model, rows(model, outcome))
}
