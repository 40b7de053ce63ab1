//! The workbench's sliders: each negotiable figure of a zone's agreements (a ratio, a
//! floor, a cap, a base) with its signed value and its policy band.

#![allow(clippy::result_large_err)]

use super::*;
use crate::model::{Model, RuleKind};
use serde_json::{Value, json};

/// Every value the page may move, with its current value in `model`.
pub(super) fn params(model: &Model, zone: usize) -> Vec<Value> {
    let z = &model.zones[zone];
    let mut out = Vec::new();
    for a in &z.agreements {
        for r in &a.rules {
            let base = format!("zone.{}.agreement.{}.rule.{}", z.id, a.id, r.id);
            let table = |path: String,
                         group: String,
                         shares: &[(String, crate::num::Ratio)],
                         kind: &str|
             -> Vec<Value> {
                shares
                    .iter()
                    .map(|(p, v)| json!({"path": format!("{path}.{p}"), "group": group, "party": p, "name": model.party_name(p), "kind": kind, "value": crate::num::ratio_text(v), "agreement": a.id, "rule": r.id}))
                    .collect()
            };
            match &r.kind {
                RuleKind::Fixed { shares } => out.extend(table(
                    format!("{base}.shares"),
                    format!("{base}.shares"),
                    shares,
                    "ratio",
                )),
                RuleKind::Schedule { phases, .. } => {
                    for (i, ph) in phases.iter().enumerate() {
                        out.extend(table(
                            format!("{base}.phases.{}.shares", i + 1),
                            format!("{base}.phases.{}", i + 1),
                            &ph.shares,
                            "ratio",
                        ));
                        if let Some(y) = ph.years {
                            out.push(json!({"path": format!("{base}.phases.{}.years", i + 1), "group": format!("{base}.phases.{}", i + 1), "kind": "years", "value": y.to_string(), "agreement": a.id, "rule": r.id}));
                        }
                    }
                }
                RuleKind::BaseIncrement {
                    shares, base: b, ..
                } => {
                    out.extend(table(
                        format!("{base}.shares"),
                        format!("{base}.shares"),
                        shares,
                        "ratio",
                    ));
                    if let crate::model::Base::Plain(v) = b {
                        out.push(json!({"path": format!("{base}.base"), "group": base, "kind": "amount", "value": crate::num::exact_text(v), "agreement": a.id, "rule": r.id}));
                    }
                }
                RuleKind::Weighted { weights, .. } => out.extend(table(
                    format!("{base}.weights"),
                    format!("{base}.weights"),
                    weights,
                    "weight",
                )),
                RuleKind::Tiered { tiers } => {
                    for (i, t) in tiers.iter().enumerate() {
                        out.extend(table(
                            format!("{base}.tiers.{}.shares", i + 1),
                            format!("{base}.tiers.{}", i + 1),
                            &t.shares,
                            "ratio",
                        ));
                    }
                }
                RuleKind::Formula { .. } => {}
            }
            for (label, list) in [("floor", &r.floor), ("cap", &r.cap)] {
                for (p, v) in list {
                    out.push(json!({"path": format!("{base}.{label}.{p}"), "group": format!("{base}.{label}"), "party": p, "name": model.party_name(p), "kind": label, "value": crate::num::exact_text(v), "agreement": a.id, "rule": r.id}));
                }
            }
        }
    }
    // Obligations (SPEC §14): a number box each, the guaranteed amount or the rate.
    let (mut g, mut n) = (0, 0);
    for o in &z.obligations {
        let (path, kind, value) = match &o.terms {
            crate::model::Terms::Guarantee { amount, .. } => {
                g += 1;
                (
                    format!("zone.{}.guarantee.{g}.amount", z.id),
                    "guarantee",
                    crate::num::exact_text(amount),
                )
            }
            crate::model::Terms::Return { rate, .. } => {
                n += 1;
                (
                    format!("zone.{}.return.{n}.rate", z.id),
                    "return_rate",
                    crate::num::ratio_text(rate),
                )
            }
        };
        out.push(json!({"path": path, "group": format!("{} {} → {}", o.cite, o.payer, o.payee), "kind": kind, "value": value, "agreement": "", "rule": ""}));
    }
    out
}

pub(super) fn model_doc(app: &App) -> Value {
    let m = &app.eval.base;
    let zones: Vec<Value> = m
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            json!({"id": z.id, "name": z.name, "host": z.host,
                "agreements": z.agreements.iter().map(|a| json!({"id": a.id, "from": a.from.to_string(), "to": a.to.map(|t| t.to_string()), "cite": a.cite})).collect::<Vec<_>>(),
                "params": params(m, i)})
        })
        .collect();
    json!({"lang": app.lang, "zones": zones, "base_year": app.prepared.base_year, "to": app.prepared.to,
        "metrics": m.metrics.iter().map(|x| json!({"id": x.id, "name": x.name, "unit": x.unit})).collect::<Vec<_>>(),
        // Distinct periods first, then their text: not a string per record.
        "periods": app.prepared.keys.iter().map(|k| k.period).collect::<std::collections::BTreeSet<_>>().iter().map(|p| p.to_string()).collect::<std::collections::BTreeSet<_>>()})
}
