//! The workbench's sliders: each negotiable figure of a zone's agreements (a ratio, a
//! floor, a cap, a base) with its signed value and its policy band.

#![allow(clippy::result_large_err)]

use super::*;
use crate::model::{Model, RuleKind};
use serde_json::{Value, json};

/// The words a group of values is shown under: the agreement's cite (or its id), the
/// rule and the part of it — "第三条 · tax · 第1阶段（5年）" — never the TOML path.
fn label(a: &crate::model::Agreement, rule: &str, part: String) -> String {
    let ag = a
        .cite
        .clone()
        .unwrap_or_else(|| crate::i18n::tf("wb.agreement", &[("id", a.id.clone())]));
    format!("{ag} · {rule} · {part}")
}

/// Every value the page may move, with its current value in `model`. A table of one
/// party (its share is 1 whatever is set) is shown, not offered (`single`).
pub(super) fn params(model: &Model, zone: usize) -> Vec<Value> {
    use crate::i18n::{t, tf};
    let z = &model.zones[zone];
    let mut out = Vec::new();
    for a in &z.agreements {
        for r in &a.rules {
            let base = format!("zone.{}.agreement.{}.rule.{}", z.id, a.id, r.id);
            let table = |path: String,
                         group: String,
                         part: String,
                         shares: &[(String, crate::num::Ratio)],
                         kind: &str|
             -> Vec<Value> {
                let label = label(a, &r.id, part);
                let single = shares.len() == 1;
                shares
                    .iter()
                    .map(|(p, v)| json!({"path": format!("{path}.{p}"), "group": group, "label": label, "single": single, "party": p, "name": model.party_name(p), "kind": kind, "value": crate::num::ratio_text(v), "agreement": a.id, "rule": r.id}))
                    .collect()
            };
            match &r.kind {
                RuleKind::Fixed { shares } => out.extend(table(
                    format!("{base}.shares"),
                    format!("{base}.shares"),
                    t("wb.shares").to_string(),
                    shares,
                    "ratio",
                )),
                RuleKind::Schedule { phases, .. } => {
                    for (i, ph) in phases.iter().enumerate() {
                        let n = (i + 1).to_string();
                        let part = match ph.years {
                            Some(y) => tf("wb.phase", &[("n", n), ("years", y.to_string())]),
                            None => tf("wb.phase_rest", &[("n", n)]),
                        };
                        out.extend(table(
                            format!("{base}.phases.{}.shares", i + 1),
                            format!("{base}.phases.{}", i + 1),
                            part.clone(),
                            &ph.shares,
                            "ratio",
                        ));
                        if let Some(y) = ph.years {
                            out.push(json!({"path": format!("{base}.phases.{}.years", i + 1), "group": format!("{base}.phases.{}", i + 1), "label": label(a, &r.id, part), "kind": "years", "value": y.to_string(), "agreement": a.id, "rule": r.id}));
                        }
                    }
                }
                RuleKind::BaseIncrement {
                    shares, base: b, ..
                } => {
                    out.extend(table(
                        format!("{base}.shares"),
                        format!("{base}.shares"),
                        t("wb.increment").to_string(),
                        shares,
                        "ratio",
                    ));
                    // The base (基数): one number box, or one per year when the
                    // agreement gives a base for each year.
                    let base_label = label(a, &r.id, t("wb.base").to_string());
                    match b {
                        crate::model::Base::Plain(v) => {
                            out.push(json!({"path": format!("{base}.base"), "group": format!("{base}.base"), "label": base_label, "kind": "amount", "value": crate::num::exact_text(v), "agreement": a.id, "rule": r.id}));
                        }
                        crate::model::Base::PerYear(years) => {
                            for (y, v) in years {
                                out.push(json!({"path": format!("{base}.base.{y}"), "group": format!("{base}.base"), "label": base_label, "kind": "amount", "year": y, "value": crate::num::exact_text(v), "agreement": a.id, "rule": r.id}));
                            }
                        }
                    }
                }
                RuleKind::Weighted { weights, .. } => out.extend(table(
                    format!("{base}.weights"),
                    format!("{base}.weights"),
                    t("wb.weights").to_string(),
                    weights,
                    "weight",
                )),
                RuleKind::Tiered { tiers } => {
                    for (i, tr) in tiers.iter().enumerate() {
                        out.extend(table(
                            format!("{base}.tiers.{}.shares", i + 1),
                            format!("{base}.tiers.{}", i + 1),
                            tf("wb.tier", &[("n", (i + 1).to_string())]),
                            &tr.shares,
                            "ratio",
                        ));
                    }
                }
                RuleKind::Formula { .. } => {}
            }
            for (kind, list) in [("floor", &r.floor), ("cap", &r.cap)] {
                let label = label(a, &r.id, t(&format!("wb.{kind}")).to_string());
                for (p, v) in list {
                    out.push(json!({"path": format!("{base}.{kind}.{p}"), "group": format!("{base}.{kind}"), "label": label, "party": p, "name": model.party_name(p), "kind": kind, "value": crate::num::exact_text(v), "agreement": a.id, "rule": r.id}));
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
        let group = format!("{} {} → {}", o.cite, o.payer, o.payee);
        out.push(json!({"path": path, "group": group, "label": group, "kind": kind, "value": value, "agreement": "", "rule": ""}));
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
