//! `summary.csv`: period, zone, metric, party, amount (SPEC §5, §7).

use super::csvtext::Table;
use crate::engine::Outcome;
use crate::ledger::{FigureKey, Figures};
use crate::model::Model;
use crate::num::format_scaled;

/// The engine's postings summed per (period, zone, metric, party) → (units, metric
/// index): several cells of one period (schedule phases) add up into one row.
pub fn rows(model: &Model, outcome: &Outcome) -> Figures {
    let mut out = Figures::new();
    for p in outcome.postings() {
        let (crate::ledger::Account::Metric(m), Some(zone)) = (p.account, p.zone) else {
            // Obligations are money apart from the metrics: obligations.csv.
            continue;
        };
        let key = FigureKey {
            period: p.period,
            zone: model.zones[zone].id.clone(),
            metric: model.metrics[m].id.clone(),
            party: p.party,
        };
        out.entry(key).or_insert((0, m)).0 += p.units;
    }
    out
}

/// Amount text of `units` of metric `m`.
pub fn amount(model: &Model, m: usize, units: i128) -> String {
    let q = &model.metrics[m].quantum;
    format_scaled(units * q.scaled, q.decimals)
}

pub fn render(model: &Model, outcome: &Outcome) -> String {
    render_rows(model, rows(model, outcome))
}

/// `period,zone,metric,party,amount` rows as a file (summary.csv, assessment.csv).
pub fn render_rows(model: &Model, rows: Figures) -> String {
    let mut s = Table::new("period,zone,metric,party,amount");
    for (k, (units, m)) in rows {
        s.line([
            &k.period.to_string(),
            &k.zone,
            &k.metric,
            &k.party,
            &amount(model, m, units),
        ]);
    }
    s.finish()
}

/// `--expect`: every expected figure must equal the computed summary row; each
/// mismatch (or missing row) is reported at its line of `shown`.
pub fn against(
    model: &Model,
    outcome: &Outcome,
    shown: &str,
    expected: &[crate::input::expect::Expected],
) -> Vec<crate::diag::Diag> {
    use crate::diag::Diag;
    let rows = rows(model, outcome);
    let mut out = Vec::new();
    for e in expected {
        let m = e.metric;
        // The period as the expectations file wrote it: only the canonical text finds
        // its row (`2025-1` is not `2025-01`).
        let found = crate::period::Period::parse(&e.period)
            .filter(|p| p.to_string() == e.period)
            .and_then(|period| {
                rows.get(&FigureKey {
                    period,
                    zone: e.zone.clone(),
                    metric: model.metrics[m].id.clone(),
                    party: e.party.clone(),
                })
            });
        let fmt = |u: i128| amount(model, m, u);
        match found {
            Some((computed, _)) if *computed == e.units => {}
            Some((computed, _)) => out.push(Diag::new(
                shown,
                e.line,
                "",
                crate::msg!(
                    "E0630",
                    expected = fmt(e.units),
                    computed = fmt(*computed),
                    difference = fmt(computed - e.units)
                ),
            )),
            None => out.push(Diag::new(
                shown,
                e.line,
                "",
                crate::msg!(
                    "E0631",
                    expected = fmt(e.units),
                    row = format!(
                        "{} {} {} {}",
                        e.period, e.zone, model.metrics[m].id, e.party
                    )
                ),
            )),
        }
    }
    out
}
