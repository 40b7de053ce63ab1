//! `settlement.csv`: what the collecting region (the zone's host) owes the others.
//!
//! Only `tax` metrics are money. For each cell the host owes every other non-central
//! party its share; flows between the same two parties in one period are netted
//! across zones and metrics, and only the positive direction is written.

use super::csvtext::cell;
use crate::engine::Outcome;
use crate::model::{CENTRAL, MetricKind, Model};
use crate::num::format_scaled;
use std::collections::BTreeMap;

/// A netted settlement row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub period: String,
    pub payer: String,
    pub payee: String,
    /// Scaled integer at `decimals` places.
    pub amount: i128,
    pub decimals: u32,
}

pub fn transfers(model: &Model, outcome: &Outcome) -> Vec<Transfer> {
    let scale = model
        .metrics
        .iter()
        .filter(|m| m.kind == MetricKind::Tax)
        .map(|m| m.quantum.decimals)
        .max()
        .unwrap_or(0);
    // (period, a, b) with a < b → (net a→b at `scale`, decimals of contributing metrics)
    let mut net: BTreeMap<(String, String, String), (i128, u32)> = BTreeMap::new();
    for c in &outcome.cells {
        let metric = &model.metrics[c.key.metric];
        if metric.kind != MetricKind::Tax {
            continue;
        }
        let host = &model.zones[c.key.zone].host;
        let factor = metric.quantum.scaled * 10i128.pow(scale - metric.quantum.decimals);
        for (party, units) in &c.shares {
            if party == host || party == CENTRAL {
                continue;
            }
            let v = units * factor;
            let (a, b, signed) = if host < party {
                (host, party, v)
            } else {
                (party, host, -v)
            };
            let e = net
                .entry((c.key.period.to_string(), a.clone(), b.clone()))
                .or_insert((0, 0));
            e.0 += signed;
            e.1 = e.1.max(metric.quantum.decimals);
        }
    }
    let mut out: Vec<Transfer> = net
        .into_iter()
        .filter(|(_, (v, _))| *v != 0)
        .map(|((period, a, b), (v, d))| {
            let (payer, payee) = if v > 0 { (a, b) } else { (b, a) };
            Transfer {
                period,
                payer,
                payee,
                amount: v.abs() / 10i128.pow(scale - d),
                decimals: d,
            }
        })
        .collect();
    out.sort_by(|x, y| (&x.period, &x.payer, &x.payee).cmp(&(&y.period, &y.payer, &y.payee)));
    out
}

pub fn render(model: &Model, outcome: &Outcome) -> String {
    let mut s = String::from("period,payer,payee,amount\n");
    for t in transfers(model, outcome) {
        s.push_str(&format!(
            "{},{},{},{}\n",
            cell(&t.period),
            cell(&t.payer),
            cell(&t.payee),
            format_scaled(t.amount, t.decimals)
        ));
    }
    s
}
