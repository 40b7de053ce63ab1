//! The files and the report of a closing of the books (SPEC §9.1): `summary.csv` of a
//! period (the truth's rows), `adjustments.csv`, `settlement.csv` (§5 netting, with
//! the adjustments in the first new closing) and what `close` prints.

use crate::engine::books::{Adjustment, Figures};
use crate::model::Model;
use crate::msg;
use crate::output::{settlement, summary};
use crate::period::Period;

/// `summary.csv` of period `p`: the truth's rows of `p`, as `run` writes them.
pub fn summary_of(model: &Model, truth: &Figures, p: Period) -> String {
    let mut s = String::from("period,zone,metric,party,amount\n");
    for ((q, z, m, party), (u, mi)) in
        truth.range((p, String::new(), String::new(), String::new())..)
    {
        if *q != p {
            break;
        }
        s.push_str(&format!(
            "{q},{},{},{},{}\n",
            crate::output::csvtext::cell(z),
            crate::output::csvtext::cell(m),
            crate::output::csvtext::cell(party),
            summary::amount(model, *mi, *u)
        ));
    }
    s
}

/// `adjustments.csv`: period,adjusts,zone,metric,party,amount.
pub fn adjustments_of(
    model: &Model,
    adjustments: &[Adjustment],
    p: Period,
    with_rows: bool,
) -> String {
    let mut s = String::from("period,adjusts,zone,metric,party,amount\n");
    if with_rows {
        for a in adjustments {
            s.push_str(&format!(
                "{p},{},{},{},{},{}\n",
                a.adjusts,
                crate::output::csvtext::cell(&a.zone),
                crate::output::csvtext::cell(&a.metric),
                crate::output::csvtext::cell(&a.party),
                summary::amount(model, a.metric_index, a.units)
            ));
        }
    }
    s
}

/// `settlement.csv` of `p`: §5 netting of its summary rows and of its adjustments.
pub fn settlement_of(
    model: &Model,
    truth: &Figures,
    adjustments: &[Adjustment],
    p: Period,
    with_adjustments: bool,
) -> String {
    let label = p.to_string();
    let zone = |z: &str| {
        model
            .zone_index
            .get(z)
            .copied()
            .filter(|&i| model.zones[i].id == z)
    };
    let mut flows = Vec::new();
    for ((q, z, _, party), (u, m)) in truth {
        if *q == p
            && let Some(zi) = zone(z)
        {
            flows.push((label.clone(), zi, *m, party.as_str(), *u));
        }
    }
    if with_adjustments {
        for a in adjustments {
            if let Some(zi) = zone(&a.zone) {
                flows.push((label.clone(), zi, a.metric_index, a.party.as_str(), a.units));
            }
        }
    }
    settlement::render_transfers(&settlement::net(model, flows))
}

/// What `close` prints: the periods closed and the adjustments booked.
pub fn report(
    model: &Model,
    closes: &[Period],
    truth: &Figures,
    adjustments: &[Adjustment],
) -> String {
    let mut s = String::new();
    for (i, p) in closes.iter().enumerate() {
        let rows = truth.keys().filter(|k| k.0 == *p).count();
        s.push_str(&msg!("E0425", period = p, rows = rows).text);
        if i == 0 {
            s.push_str(&msg!("E0426", rows = adjustments.len()).text);
        }
        s.push('\n');
    }
    for a in adjustments {
        s.push_str(&format!(
            "  adjusts {} {} {} {}: {}\n",
            a.adjusts,
            a.zone,
            a.metric,
            a.party,
            summary::amount(model, a.metric_index, a.units)
        ));
    }
    s
}
