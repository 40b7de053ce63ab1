//! Settlement (SPEC §5, §8.1, §14): what the collecting region (the zone's host) owes the
//! others, netted. A rule of the contract, so it lives in the engine; `output::settlement`
//! only writes it.
//!
//! Only `tax` metrics are money. For each cell the host owes every other party of the
//! rule's allocation its share (level parties and `deduction` are never settled); flows
//! between the same two parties in one period are netted across zones and metrics, with
//! the obligations of the period, and only the positive direction is kept.

use crate::engine::Outcome;
use crate::engine::obligations::Money;
use crate::model::{CENTRAL, DEDUCTION, MetricKind, Model};
use crate::period::Period;
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

/// A party's figure that may be settled: a share of a tax metric in a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow<'a> {
    pub period: Period,
    pub zone: usize,
    pub metric: usize,
    pub party: &'a str,
    /// Units of the metric's quantum.
    pub units: i128,
}

/// Money one named party owes another in a period, apart from any cell (an
/// obligation, SPEC §14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Direct {
    pub period: Period,
    pub payer: String,
    pub payee: String,
    pub money: Money,
}

/// The obligation postings as direct flows (their payee's side).
pub fn obligation_flows(postings: &[crate::ledger::Posting]) -> Vec<Direct> {
    postings
        .iter()
        .filter_map(|p| {
            let (payer, payee, money) = crate::engine::obligations::owed(p)?;
            Some(Direct {
                period: p.period,
                payer: payer.to_string(),
                payee: payee.to_string(),
                money,
            })
        })
        .collect()
}

/// The settlement of an outcome: the parties' shares under the rules (postings of
/// cause `Rule`), netted with the obligations.
pub fn transfers(model: &Model, outcome: &Outcome) -> Vec<Transfer> {
    use crate::ledger::{Account, Cause};
    let postings = outcome.postings();
    let flows = postings.iter().filter_map(|p| {
        let (Account::Metric(m), Some(zone)) = (p.account, p.zone) else {
            return None;
        };
        matches!(p.cause, Cause::Rule { .. }).then_some(Flow {
            period: p.period,
            zone,
            metric: m,
            party: p.party.as_str(),
            units: p.units,
        })
    });
    net_with(model, flows, obligation_flows(&postings))
}

/// Net flows into transfers (SPEC §5, §8.1): for `tax` metrics the host owes each
/// other party of the rule's allocation its figure; level parties and `deduction` are
/// never settled; flows of one pair in one period are netted over zones and metrics.
pub fn net<'a>(model: &Model, flows: impl IntoIterator<Item = Flow<'a>>) -> Vec<Transfer> {
    net_with(model, flows, Vec::new())
}

/// `net`, with money owed directly between two parties netted in as well (SPEC §14:
/// obligations are netted with the tax flows of the same period and pair).
pub fn net_with<'a>(
    model: &Model,
    flows: impl IntoIterator<Item = Flow<'a>>,
    direct: Vec<Direct>,
) -> Vec<Transfer> {
    let scale = model
        .metrics
        .iter()
        .filter(|m| m.kind == MetricKind::Tax)
        .map(|m| m.quantum.decimals)
        .chain(direct.iter().map(|d| d.money.decimals))
        .max()
        .unwrap_or(0);
    // (period, a, b) with a < b → (net a→b at `scale`, decimals of contributing metrics)
    let mut net: BTreeMap<(Period, String, String), (i128, u32)> = BTreeMap::new();
    for Flow {
        period,
        zone,
        metric: m,
        party,
        units,
    } in flows
    {
        let metric = &model.metrics[m];
        if metric.kind != MetricKind::Tax {
            continue;
        }
        let z = &model.zones[zone];
        let host = &z.host;
        if party == host.as_str()
            || party == CENTRAL
            || party == DEDUCTION
            || z.levels_of(m, metric).parties().contains(&party)
        {
            continue;
        }
        let factor = metric.quantum.scaled * 10i128.pow(scale - metric.quantum.decimals);
        let v = units * factor;
        let (a, b, signed) = if host.as_str() < party {
            (host.as_str(), party, v)
        } else {
            (party, host.as_str(), -v)
        };
        let e = net
            .entry((period, a.to_string(), b.to_string()))
            .or_insert((0, 0));
        e.0 += signed;
        e.1 = e.1.max(metric.quantum.decimals);
    }
    for Direct {
        period,
        payer,
        payee,
        money,
    } in direct
    {
        let v = money.at(scale);
        let (a, b, signed) = if payer < payee {
            (payer, payee, v)
        } else {
            (payee, payer, -v)
        };
        let e = net.entry((period, a, b)).or_insert((0, 0));
        e.0 += signed;
        e.1 = e.1.max(money.decimals);
    }
    let mut out: Vec<Transfer> = net
        .into_iter()
        .filter(|(_, (v, _))| *v != 0)
        .map(|((period, a, b), (v, d))| {
            let (payer, payee) = if v > 0 { (a, b) } else { (b, a) };
            Transfer {
                period: period.to_string(),
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
