//! `compare` and `sweep`: what each region gets under other ratios, phases and bases.
//!
//! Both recompute the whole run exactly for every variant; nothing is interpolated.
//! The sweep grid is built from exact decimals (A + k·S), so 0.3 is 0.3 and never
//! 0.30000000000000004, and `--target` refines between two grid points by bisection on
//! exact decimals.

use super::{load_negotiated, parse_sets, read_cells};
use crate::cli::{Inputs, Overrides};
use crate::config::overlay::{self, SetOp};
use crate::diag::Diag;
use crate::engine::{Outcome, compute};
use crate::error::Error;
use crate::model::{MetricKind, Model};
use crate::num::{format_scaled, parse_scaled, ri, round_half_away};
use crate::output::summary;
use crate::output::totals::{Format, table};
use num_traits::ToPrimitive;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Key = (String, String, String);
/// Totals per (zone, metric, party): (units, metric index).
type Totals = BTreeMap<Key, (i128, usize)>;

/// Totals over the run per (zone, metric, party): (units, metric index).
fn totals(model: &Model, outcome: &Outcome) -> BTreeMap<Key, (i128, usize)> {
    let mut out: BTreeMap<Key, (i128, usize)> = BTreeMap::new();
    for ((_, z, m, p), (u, mi)) in summary::rows(model, outcome) {
        out.entry((z, m, p)).or_insert((0, mi)).0 += u;
    }
    out
}

fn outcome(model: &Model, inputs: &Inputs) -> Result<Outcome, Error> {
    let mut model = model.clone();
    let (cells, _) = read_cells(&mut model, inputs, 100)?;
    Ok(compute(&model, &cells)?)
}

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
    format: Format,
) -> Result<String, Error> {
    let sets = parse_sets(&overrides.set)?;
    if scenarios.is_empty() && sets.is_empty() {
        return Err(Error::Usage(
            "compare needs at least one --scenario FILE or --set PATH=VALUE".into(),
        ));
    }
    let (signed, _, _) = load_negotiated(&inputs.config, &[], &[], false)?;
    let base = totals(&signed, &outcome(&signed, inputs)?);
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
        columns.push((name, totals(&model, &outcome(&model, inputs)?), violations));
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
            let mut head = vec![
                "zone".to_string(),
                "metric".into(),
                "party".into(),
                "baseline".into(),
            ];
            let mut right = vec![false, false, false, true];
            for n in &names {
                head.extend([n.clone(), format!("Δ {n}"), format!("Δ% {n}")]);
                right.extend([true, true, true]);
            }
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut f = vec![
                        r.key.0.clone(),
                        r.key.1.clone(),
                        r.key.2.clone(),
                        format_scaled(r.base, r.decimals),
                    ];
                    for v in &r.values {
                        let d = v - r.base;
                        let pct = percent(d, r.base);
                        f.extend([
                            format_scaled(*v, r.decimals),
                            format_scaled(d, r.decimals),
                            if pct.is_empty() {
                                String::new()
                            } else {
                                format!("{pct}%")
                            },
                        ]);
                    }
                    f
                })
                .collect();
            let h: Vec<&str> = head.iter().map(String::as_str).collect();
            let mut s = table(&h, &body, &right);
            for n in &notes {
                s.push_str(&format!("note: {n}\n"));
            }
            Ok(s)
        }
    }
}

/// The exact grid of a sweep.
#[derive(Debug, Clone)]
pub struct Grid {
    pub vary: String,
    pub from: String,
    pub to: String,
    pub step: String,
}

/// Decimals used to refine a target by bisection.
pub const TARGET_DECIMALS: u32 = 6;

struct Point {
    value: i128,
    totals: Vec<i128>,
    outside: Vec<String>,
}

struct Sweeper<'a> {
    inputs: &'a Inputs,
    signed: &'a Model,
    base: &'a Model,
    vary: &'a str,
    scope: (Option<String>, BTreeSet<usize>),
    parties: Vec<String>,
    decimals: u32,
}

impl Sweeper<'_> {
    /// Totals of the scope's parties at `value` (scaled at `d` decimals).
    fn point(&self, value: i128, d: u32) -> Result<Point, Error> {
        let mut model = self.base.clone();
        let op = SetOp {
            path: self.vary.to_string(),
            value: format_scaled(value, d),
        };
        overlay::apply(&mut model, &op).map_err(|m| {
            Error::Config(crate::config::ConfigError(vec![Diag::new(
                "--vary", 0, "", m,
            )]))
        })?;
        let outside = overlay::band_violations(self.signed, &model);
        let out = outcome(&model, self.inputs)?;
        let mut totals = vec![0i128; self.parties.len()];
        for ((_, z, _, p), (u, mi)) in summary::rows(&model, &out) {
            if self.scope.0.as_ref().is_some_and(|sz| *sz != z) || !self.scope.1.contains(&mi) {
                continue;
            }
            let q = &model.metrics[mi].quantum;
            if let Some(i) = self.parties.iter().position(|x| *x == p) {
                totals[i] += u * q.scaled * 10i128.pow(self.decimals - q.decimals);
            }
        }
        Ok(Point {
            value,
            totals,
            outside,
        })
    }
}

fn dec(text: &str, what: &str) -> Result<(i128, u32), Error> {
    let (_, _, frac) = crate::num::split_decimal(text)
        .map_err(|e| Error::Usage(format!("{what} '{text}': {e}")))?;
    let d = frac.len() as u32;
    Ok((
        parse_scaled(text, d).map_err(|e| Error::Usage(format!("{what} '{text}': {e}")))?,
        d,
    ))
}

#[allow(clippy::too_many_arguments)]
pub fn sweep(
    inputs: &Inputs,
    overrides: &Overrides,
    scenarios: &[PathBuf],
    grid: &Grid,
    target: Option<&str>,
    chart: Option<&Path>,
    format: Format,
) -> Result<String, Error> {
    let sets = parse_sets(&overrides.set)?;
    // The sweep itself may leave the band; rows outside are marked, not refused.
    let (signed, base, _) = load_negotiated(&inputs.config, scenarios, &sets, true)?;
    let d = dec(&grid.from, "--from")?
        .1
        .max(dec(&grid.to, "--to")?.1)
        .max(dec(&grid.step, "--step")?.1);
    let from = parse_scaled(&grid.from, d).map_err(|e| Error::Usage(format!("--from: {e}")))?;
    let to = parse_scaled(&grid.to, d).map_err(|e| Error::Usage(format!("--to: {e}")))?;
    let step = parse_scaled(&grid.step, d).map_err(|e| Error::Usage(format!("--step: {e}")))?;
    if step <= 0 || to < from {
        return Err(Error::Usage(
            "--step must be positive and --to not below --from".into(),
        ));
    }
    if (to - from) / step > 10_000 {
        return Err(Error::Usage(
            "more than 10000 grid values; use a larger --step".into(),
        ));
    }
    // Scope: the zone and metrics of the varied rule, else every zone's tax metrics.
    let seg: Vec<&str> = grid.vary.split('.').collect();
    let scope = match seg.as_slice() {
        ["zone", z, "agreement", a, "rule", r, ..] => {
            let zone = base.zones.iter().find(|x| x.id == *z);
            let rule = zone
                .and_then(|zz| zz.agreements.iter().find(|x| x.id == *a))
                .and_then(|ag| ag.rules.iter().find(|x| x.id == *r));
            let ms: BTreeSet<usize> = rule
                .map(|r| r.metrics.iter().copied().collect())
                .unwrap_or_default();
            let tax: BTreeSet<usize> = ms
                .iter()
                .copied()
                .filter(|m| base.metrics[*m].kind == MetricKind::Tax)
                .collect();
            (Some(z.to_string()), if tax.is_empty() { ms } else { tax })
        }
        _ => (
            None,
            (0..base.metrics.len())
                .filter(|m| base.metrics[*m].kind == MetricKind::Tax)
                .collect(),
        ),
    };
    let decimals = scope
        .1
        .iter()
        .map(|m| base.metrics[*m].quantum.decimals)
        .max()
        .unwrap_or(2);
    let probe = Sweeper {
        inputs,
        signed: &signed,
        base: &base,
        vary: &grid.vary,
        scope: scope.clone(),
        parties: Vec::new(),
        decimals,
    };
    // Parties: everyone with a row in the scope at the first value.
    let first_model = {
        let mut m = base.clone();
        overlay::apply(
            &mut m,
            &SetOp {
                path: grid.vary.clone(),
                value: format_scaled(from, d),
            },
        )
        .map_err(|e| {
            Error::Config(crate::config::ConfigError(vec![Diag::new(
                "--vary", 0, "", e,
            )]))
        })?;
        m
    };
    let first_out = outcome(&first_model, inputs)?;
    let mut parties: Vec<String> = summary::rows(&first_model, &first_out)
        .into_iter()
        .filter(|((_, z, _, _), (_, mi))| {
            scope.0.as_ref().is_none_or(|sz| sz == z) && scope.1.contains(mi)
        })
        .map(|((_, _, _, p), _)| p)
        .collect();
    parties.sort();
    parties.dedup();
    let sweeper = Sweeper { parties, ..probe };
    let mut points = Vec::new();
    let mut v = from;
    while v <= to {
        points.push(sweeper.point(v, d)?);
        v += step;
    }
    let target_line = match target {
        None => None,
        Some(t) => Some(find_target(&sweeper, &points, t, d)?),
    };
    if let Some(path) = chart {
        // The target amount as a horizontal line, the value found as a vertical one.
        let target_y = target
            .and_then(|t| t.split_once('='))
            .and_then(|(_, a)| a.trim().parse::<f64>().ok());
        draw(
            path,
            &sweeper,
            &points,
            d,
            target_line.as_ref().map(|t| t.1),
            target_y,
        )?;
    }
    let amount = |u: i128| format_scaled(u, decimals);
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = points
                .iter()
                .map(|p| {
                    let t: serde_json::Map<String, serde_json::Value> =
                        sweeper.parties.iter().zip(&p.totals).map(|(n, u)| (n.clone(), serde_json::Value::String(amount(*u)))).collect();
                    serde_json::json!({"value": format_scaled(p.value, d), "totals": t, "outside_band": p.outside})
                })
                .collect();
            let doc = serde_json::json!({"vary": grid.vary, "rows": rows, "target": target_line.as_ref().map(|t| t.0.clone())});
            Ok(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n")
        }
        Format::Csv => {
            let mut s = format!("value,{},outside_band\n", sweeper.parties.join(","));
            for p in &points {
                let t: Vec<String> = p.totals.iter().map(|u| amount(*u)).collect();
                s.push_str(&format!(
                    "{},{},{}\n",
                    format_scaled(p.value, d),
                    t.join(","),
                    !p.outside.is_empty()
                ));
            }
            Ok(s)
        }
        Format::Table => {
            let mut head = vec!["value".to_string()];
            head.extend(sweeper.parties.iter().cloned());
            head.push("band".into());
            let body: Vec<Vec<String>> = points
                .iter()
                .map(|p| {
                    let mut f = vec![format_scaled(p.value, d)];
                    f.extend(p.totals.iter().map(|u| amount(*u)));
                    f.push(if p.outside.is_empty() {
                        String::new()
                    } else {
                        "OUTSIDE".into()
                    });
                    f
                })
                .collect();
            let h: Vec<&str> = head.iter().map(String::as_str).collect();
            let mut right = vec![true; head.len()];
            right[head.len() - 1] = false;
            let mut s = format!("{} (totals of {}):\n", grid.vary, scope_text(&base, &scope));
            s.push_str(&table(&h, &body, &right));
            if let Some((line, _)) = target_line {
                s.push_str(&line);
                s.push('\n');
            }
            Ok(s)
        }
    }
}

fn scope_text(model: &Model, scope: &(Option<String>, BTreeSet<usize>)) -> String {
    let ms: Vec<&str> = scope
        .1
        .iter()
        .map(|m| model.metrics[*m].id.as_str())
        .collect();
    match &scope.0 {
        Some(z) => format!("zone {z}, metrics {}", ms.join(", ")),
        None => format!("all zones, tax metrics {}", ms.join(", ")),
    }
}

/// The first grid value where the party reaches the amount, refined by bisection on
/// exact decimals between it and the grid value before. Returns (report, value).
fn find_target(
    sw: &Sweeper<'_>,
    points: &[Point],
    spec: &str,
    d: u32,
) -> Result<(String, f64), Error> {
    let (party, amt) = spec
        .split_once('=')
        .ok_or_else(|| Error::Usage(format!("--target '{spec}': expected PARTY=AMOUNT")))?;
    let pi = sw.parties.iter().position(|p| p == party).ok_or_else(|| {
        Error::Usage(format!(
            "--target: '{party}' has no total in this sweep (parties: {}){}",
            sw.parties.join(", "),
            crate::suggest::hint(party, sw.parties.iter())
        ))
    })?;
    let want = parse_scaled(amt, sw.decimals)
        .map_err(|e| Error::Usage(format!("--target amount '{amt}': {e}")))?;
    let Some(hit) = points.iter().position(|p| p.totals[pi] >= want) else {
        let last = points.last().map_or(0, |p| p.value);
        return Ok((
            format!(
                "target: {party} never reaches {amt} between {} and {} (best {})",
                format_scaled(points[0].value, d),
                format_scaled(last, d),
                format_scaled(
                    points.iter().map(|p| p.totals[pi]).max().unwrap_or(0),
                    sw.decimals
                )
            ),
            f64::NAN,
        ));
    };
    let grid_value = format_scaled(points[hit].value, d);
    if hit == 0 {
        return Ok((
            format!("target: {party} reaches {amt} already at the first value {grid_value}"),
            to_f64(points[0].value, d),
        ));
    }
    // Bisection at TARGET_DECIMALS (or the grid's own decimals if finer).
    let fd = TARGET_DECIMALS.max(d);
    let up = 10i128.pow(fd - d);
    let (mut lo, mut hi) = (points[hit - 1].value * up, points[hit].value * up);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let p = sw.point(mid, fd)?;
        if p.totals[pi] >= want {
            hi = mid
        } else {
            lo = mid
        }
    }
    let exact = format_scaled(hi, fd);
    let reached = sw.point(hi, fd)?.totals[pi];
    Ok((
        format!(
            "target: {party} first reaches {amt} at {exact} (on the grid: {grid_value}; refined by bisection to {fd} decimals; {party} then gets {})",
            format_scaled(reached, sw.decimals)
        ),
        to_f64(hi, fd),
    ))
}

/// For the chart only: plotting coordinates are floats.
fn to_f64(v: i128, d: u32) -> f64 {
    format_scaled(v, d).parse().unwrap_or(0.0)
}

fn draw(
    path: &Path,
    sw: &Sweeper<'_>,
    points: &[Point],
    d: u32,
    target_x: Option<f64>,
    target_y: Option<f64>,
) -> Result<(), Error> {
    use plotters::prelude::*;
    let fail = |e: String| {
        Error::Output(crate::output::atomic::OutputError {
            path: path.display().to_string(),
            source: std::io::Error::other(e),
        })
    };
    let xs: Vec<f64> = points.iter().map(|p| to_f64(p.value, d)).collect();
    let ys: Vec<Vec<f64>> = (0..sw.parties.len())
        .map(|i| {
            points
                .iter()
                .map(|p| to_f64(p.totals[i], sw.decimals))
                .collect()
        })
        .collect();
    let (xmin, xmax) = (
        xs.first().copied().unwrap_or(0.0),
        xs.last()
            .copied()
            .unwrap_or(1.0)
            .max(xs.first().copied().unwrap_or(0.0) + 1e-9),
    );
    let all: Vec<f64> = ys.iter().flatten().copied().collect();
    let ymin = all.iter().copied().fold(f64::INFINITY, f64::min).min(0.0);
    let ymax = all
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .max(ymin + 1.0);
    // Drawn into a temporary file beside the target and renamed at the end, so a failed
    // sweep never leaves half a chart under the final name.
    let mut tx = crate::output::atomic::Transaction::new(Path::new(""))?;
    let tmp = tx.reserve(path);
    let root = SVGBackend::new(&tmp, (900, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(format!("fencheng sweep: {}", sw.vary), ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(90)
        .build_cartesian_2d(xmin..xmax, ymin..ymax * 1.05)
        .map_err(|e| fail(e.to_string()))?;
    chart
        .configure_mesh()
        .x_desc("value")
        .y_desc("total")
        .draw()
        .map_err(|e| fail(e.to_string()))?;
    for (i, party) in sw.parties.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(
                xs.iter().copied().zip(ys[i].iter().copied()),
                color.stroke_width(2),
            ))
            .map_err(|e| fail(e.to_string()))?
            .label(party.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    if let Some(tx) = target_x.filter(|x| x.is_finite()) {
        chart
            .draw_series(LineSeries::new(
                vec![(tx, ymin), (tx, ymax)],
                BLACK.stroke_width(1),
            ))
            .map_err(|e| fail(e.to_string()))?
            .label("target reached")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    }
    if let Some(ty) = target_y.filter(|y| y.is_finite()) {
        chart
            .draw_series(LineSeries::new(
                vec![(xmin, ty), (xmax, ty)],
                BLACK.mix(0.5).stroke_width(1),
            ))
            .map_err(|e| fail(e.to_string()))?
            .label("target")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.5)));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()
        .map_err(|e| fail(e.to_string()))?;
    root.present().map_err(|e| fail(e.to_string()))?;
    drop(chart);
    drop(root);
    tx.commit()?;
    Ok(())
}
