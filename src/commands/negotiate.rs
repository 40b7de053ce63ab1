//! `compare`: what each region gets under other ratios, phases and bases, side by
//! side with the signed agreement. Every variant is computed exactly on the records
//! read once (`evaluate`); nothing is interpolated.

use super::{load_negotiated, parse_sets};
use crate::cli::{Inputs, Overrides};
use crate::config::overlay::SetOp;
use crate::error::Error;
use crate::num::{format_scaled, ri, round_half_away};
use crate::output::totals::{Format, table};
use num_traits::ToPrimitive;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

type Key = (String, String, String);
/// Totals per (zone, metric, party): (units, metric index).
type Totals = BTreeMap<Key, (i128, usize)>;

/// (diff × 100 / base) to 2 decimals, half away from zero; empty when base is 0.
fn percent(diff: i128, base: i128) -> String {
    if base == 0 {
        return String::new();
    }
    let r = ri(diff) * ri(10000) / ri(base);
    format_scaled(round_half_away(&r).to_i128().unwrap_or(0), 2)
}

pub fn compare(
    inputs: &Inputs,
    overrides: &Overrides,
    scenarios: &[PathBuf],
    filter: &super::project::Filter<'_>,
    format: Format,
) -> Result<String, Error> {
    let sets = parse_sets(&overrides.set)?;
    if scenarios.is_empty() && sets.is_empty() {
        return Err(Error::Usage(crate::msg!("E0634").text));
    }
    let (signed, _, _) = load_negotiated(&inputs.config, &[], &[], false)?;
    // The records are read once; each variant is computed on the same cells.
    let eval = super::evaluate::Evaluator::new(signed.clone(), inputs, None)?;
    let keep = |t: Totals| -> Totals {
        t.into_iter()
            .filter(|((z, m, p), _)| filter.keeps(&signed, z, m, p))
            .collect()
    };
    let base = keep(eval.totals(&eval.base)?);
    let mut columns: Vec<(String, Totals, Vec<String>)> = Vec::new();
    let mut variants: Vec<(String, Vec<PathBuf>, Vec<SetOp>)> = scenarios
        .iter()
        .map(|p| {
            (
                p.file_stem()
                    .map_or("scenario".into(), |s| s.to_string_lossy().into_owned()),
                vec![p.clone()],
                Vec::new(),
            )
        })
        .collect();
    if !sets.is_empty() {
        variants.push(("set".into(), Vec::new(), sets));
    }
    for (name, scen, sets) in variants {
        let (_, model, violations) =
            load_negotiated(&inputs.config, &scen, &sets, overrides.allow_outside_band)?;
        let model = eval.variant(model);
        columns.push((name, keep(eval.totals(&model)?), violations));
    }
    let metric_of = |m: usize| &signed.metrics[m];
    let mut keys: BTreeSet<Key> = base.keys().cloned().collect();
    for (_, t, _) in &columns {
        keys.extend(t.keys().cloned());
    }
    // Rows, with a total row after each (zone, metric) group.
    struct Row {
        key: Key,
        decimals: u32,
        base: i128,
        values: Vec<i128>,
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut group: Option<(String, String)> = None;
    let mut acc: Option<Row> = None;
    let scale_of = |k: &Key| -> (i128, u32) {
        let m = base
            .get(k)
            .map(|x| x.1)
            .or_else(|| columns.iter().find_map(|(_, t, _)| t.get(k).map(|x| x.1)))
            .unwrap_or(0);
        let q = &metric_of(m).quantum;
        (q.scaled, q.decimals)
    };
    for k in &keys {
        let g = (k.0.clone(), k.1.clone());
        if group.as_ref() != Some(&g) {
            if let Some(t) = acc.take() {
                rows.push(t);
            }
            group = Some(g.clone());
        }
        let (scaled, decimals) = scale_of(k);
        let get = |t: &BTreeMap<Key, (i128, usize)>| t.get(k).map_or(0, |x| x.0) * scaled;
        let row = Row {
            key: k.clone(),
            decimals,
            base: get(&base),
            values: columns.iter().map(|(_, t, _)| get(t)).collect(),
        };
        let total = acc.get_or_insert_with(|| Row {
            key: (g.0.clone(), g.1.clone(), "(total)".into()),
            decimals,
            base: 0,
            values: vec![0; columns.len()],
        });
        total.base += row.base;
        for (a, v) in total.values.iter_mut().zip(&row.values) {
            *a += v;
        }
        rows.push(row);
    }
    if let Some(t) = acc.take() {
        rows.push(t);
    }
    let names: Vec<String> = columns.iter().map(|(n, _, _)| n.clone()).collect();
    let notes: Vec<String> = columns
        .iter()
        .flat_map(|(n, _, v)| v.iter().map(move |x| format!("{n}: outside band: {x}")))
        .collect();
    match format {
        Format::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    let sc: Vec<serde_json::Value> = names
                        .iter()
                        .zip(&r.values)
                        .map(|(n, v)| serde_json::json!({"scenario": n, "amount": format_scaled(*v, r.decimals), "difference": format_scaled(v - r.base, r.decimals), "percent": percent(v - r.base, r.base)}))
                        .collect();
                    serde_json::json!({"zone": r.key.0, "metric": r.key.1, "party": r.key.2, "baseline": format_scaled(r.base, r.decimals), "scenarios": sc})
                })
                .collect();
            let doc =
                serde_json::json!({"scenarios": names, "rows": list, "band_violations": notes});
            Ok(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n")
        }
        Format::Csv => {
            let mut head = vec![
                "zone".to_string(),
                "metric".into(),
                "party".into(),
                "baseline".into(),
            ];
            for n in &names {
                head.extend([n.clone(), format!("{n}_diff"), format!("{n}_pct")]);
            }
            let mut s = head.join(",") + "\n";
            for r in &rows {
                let mut f = vec![
                    r.key.0.clone(),
                    r.key.1.clone(),
                    r.key.2.clone(),
                    format_scaled(r.base, r.decimals),
                ];
                for v in &r.values {
                    f.extend([
                        format_scaled(*v, r.decimals),
                        format_scaled(v - r.base, r.decimals),
                        percent(v - r.base, r.base),
                    ]);
                }
                s.push_str(
                    &(f.iter()
                        .map(|x| crate::output::csvtext::cell(x))
                        .collect::<Vec<_>>()
                        .join(",")
                        + "\n"),
                );
            }
            Ok(s)
        }
        Format::Table => {
            // Names beside ids; with more than one scenario, one line per scenario, so
            // that the table fits a terminal however many are compared.
            let party = |p: &str| {
                if p == "(total)" {
                    p.to_string()
                } else {
                    format!("{p} {}", signed.party_name(p))
                }
            };
            let pct = |d: i128, b: i128| {
                let p = percent(d, b);
                if p.is_empty() { p } else { format!("{p}%") }
            };
            let mut s = String::new();
            if names.len() == 1 {
                let n = &names[0];
                let head = ["zone", "metric", "party", "baseline", n.as_str(), "Δ", "Δ%"];
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        let v = r.values[0];
                        vec![
                            r.key.0.clone(),
                            r.key.1.clone(),
                            party(&r.key.2),
                            format_scaled(r.base, r.decimals),
                            format_scaled(v, r.decimals),
                            format_scaled(v - r.base, r.decimals),
                            pct(v - r.base, r.base),
                        ]
                    })
                    .collect();
                s.push_str(&table(
                    &head,
                    &body,
                    &[false, false, false, true, true, true, true],
                ));
            } else {
                let head = [
                    "zone",
                    "metric",
                    "party",
                    "variant",
                    "total",
                    "Δ baseline",
                    "Δ%",
                ];
                let mut body: Vec<Vec<String>> = Vec::new();
                for r in &rows {
                    body.push(vec![
                        r.key.0.clone(),
                        r.key.1.clone(),
                        party(&r.key.2),
                        "baseline".into(),
                        format_scaled(r.base, r.decimals),
                        String::new(),
                        String::new(),
                    ]);
                    for (n, v) in names.iter().zip(&r.values) {
                        body.push(vec![
                            String::new(),
                            String::new(),
                            String::new(),
                            n.clone(),
                            format_scaled(*v, r.decimals),
                            format_scaled(v - r.base, r.decimals),
                            pct(v - r.base, r.base),
                        ]);
                    }
                }
                s.push_str(&table(
                    &head,
                    &body,
                    &[false, false, false, false, true, true, true],
                ));
            }
            for n in &notes {
                s.push_str(&format!("note: {n}\n"));
            }
            Ok(s)
        }
    }
}
