//! `compare`: what each region gets under other ratios, phases and bases, side by
//! side with the signed agreement. Every variant is computed exactly on the records
//! read once (`evaluate`); nothing is interpolated.

use super::{load_negotiated, parse_sets};
use crate::cli::CompareArgs;
use crate::config::overlay::SetOp;
use crate::error::Error;
use crate::output::compare::Row;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

type Key = (String, String, String);
/// Totals per (zone, metric, party): (units, metric index).
type Totals = BTreeMap<Key, (i128, usize)>;

pub fn compare(args: &CompareArgs) -> Result<String, Error> {
    let (inputs, overrides, scenarios, filter, format) = (
        &args.inputs,
        &args.overrides,
        &args.scenarios,
        &args.filter,
        args.format,
    );
    let sets = parse_sets(&overrides.set)?;
    if scenarios.is_empty() && sets.is_empty() {
        return Err(Error::Usage(crate::msg!("E0634")));
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
    Ok(crate::output::compare::render(
        &signed, &names, &rows, &notes, format,
    ))
}
