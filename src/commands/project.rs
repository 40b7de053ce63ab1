//! `fencheng project`: what each side gets over the agreement's life under assumed
//! growth (SPEC §3 rules, applied to projected records; see `engine::project` for what
//! the estimate assumes). The base records are read once; every scenario is computed
//! from the same projected records.

use super::{load_negotiated, parse_sets, read_side};
use crate::cli::{Inputs, Overrides};
use crate::diag::{Diag, Problems};
use crate::engine::cells::Cells;
use crate::engine::project::{Growth, grow, present_value, shift};
use crate::engine::{Outcome, compute};
use crate::error::Error;
use crate::input::{Deduction, Record, read_records};
use crate::model::{CENTRAL, DEDUCTION, Model};
use crate::msg;
use crate::num::{Ratio, parse_ratio, round_half_away, to_i128};
use crate::output::summary;
use crate::output::totals::{Format, table};
use crate::period::Period;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A base record, kept (the projection repeats it once per year).
#[derive(Debug, Clone)]
pub struct Base {
    pub file: usize,
    pub line: u64,
    pub period: Period,
    pub zone: usize,
    pub metric: usize,
    pub entity: String,
    pub units: i128,
    pub entity_start: Option<NaiveDate>,
    pub class: u32,
}

/// What `project` is asked.
pub struct Request<'a> {
    pub inputs: &'a Inputs,
    pub overrides: &'a Overrides,
    pub scenarios: &'a [PathBuf],
    /// `--growth 0.06`, `--growth gaozhu=0.05`, `--growth gaozhu.vat=0.08`.
    pub growth: &'a [String],
    /// `--growth-file F`: `year,zone,metric,total`.
    pub growth_file: Option<&'a Path>,
    pub to: Option<i32>,
    pub discount: Option<&'a str>,
    pub grow_deductions: bool,
    pub levels: bool,
    pub filter: Filter<'a>,
}

/// `--zone`, `--metric`, `--party`: which rows are shown.
#[derive(Default, Clone, Copy)]
pub struct Filter<'a> {
    pub zone: Option<&'a str>,
    pub metric: Option<&'a str>,
    pub party: Option<&'a str>,
}

impl Filter<'_> {
    pub fn keeps(&self, model: &Model, zone: &str, metric: &str, party: &str) -> bool {
        let is = |want: Option<&str>, id: &str, by: &dyn Fn(&str) -> Option<usize>| {
            want.is_none_or(|w| w == id || by(w).is_some_and(|i| by(id) == Some(i)))
        };
        is(self.zone, zone, &|k| model.zone(k))
            && is(self.metric, metric, &|k| model.metric(k))
            && self
                .party
                .is_none_or(|p| p == party || model.party_name(party) == p)
    }
}

/// The projection of one model: per (year, zone, metric, party) units, and notes.
pub struct Projection {
    pub model: Model,
    pub outcome: Outcome,
    pub rows: BTreeMap<(i32, String, String, String), (i128, usize)>,
    pub notes: Vec<String>,
}

/// Base records, deductions and the years: read once for every scenario.
pub struct Prepared {
    pub records: Vec<Base>,
    pub deductions: Vec<Deduction>,
    pub base_year: i32,
    pub to: i32,
    pub entities: crate::model::Entities,
    pub watch: rustc_hash::FxHashSet<String>,
}

fn usage(m: String) -> Error {
    Error::Usage(m)
}

/// Read the base records (and deductions, entities) once.
pub fn prepare(model: &mut Model, inputs: &Inputs, to: Option<i32>) -> Result<Prepared, Error> {
    if inputs.records.is_empty() {
        return Err(usage(msg!("E0641").text));
    }
    let mut problems = Problems::new(100);
    let mut side = Vec::new();
    let deductions = read_side(model, inputs, &mut problems, &mut side)?;
    let mut records = Vec::new();
    let mut granularity = None;
    for (i, path) in inputs.records.iter().enumerate() {
        read_records(
            path,
            i,
            model,
            inputs.encoding,
            &mut granularity,
            &mut problems,
            &mut |r| {
                records.push(Base {
                    file: r.file,
                    line: r.line,
                    period: r.period,
                    zone: r.zone,
                    metric: r.metric,
                    entity: r.entity.to_string(),
                    units: r.units,
                    entity_start: r.entity_start,
                    class: r.class,
                });
                Ok(())
            },
        )?;
    }
    if !problems.is_empty() {
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    let Some(base_year) = records.iter().map(|r| r.period.year).max() else {
        return Err(usage(msg!("E0642").text));
    };
    // Default horizon: the end of the longest agreement in force in the base year; an
    // open-ended one counts as ten years.
    let first = NaiveDate::from_ymd_opt(base_year, 12, 31).unwrap_or_default();
    let ends: Vec<Option<i32>> = model
        .zones
        .iter()
        .flat_map(|z| z.agreements.iter())
        .filter(|a| a.covers(first))
        .map(|a| a.to.map(|t| chrono::Datelike::year(&t)))
        .collect();
    let default_to = if ends.iter().any(Option::is_none) || ends.is_empty() {
        base_year + 9
    } else {
        ends.iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(base_year + 9)
    };
    let to = to.unwrap_or(default_to);
    if to < base_year || to > base_year + 100 {
        return Err(usage(msg!("E0643", to = to, base = base_year).text));
    }
    Ok(Prepared {
        records,
        deductions,
        base_year,
        to,
        entities: model.entities.clone(),
        watch: model.watch.clone(),
    })
}

/// Parse `--growth` (a rate, `zone=rate` or `zone.metric=rate`) and `--growth-file`.
pub fn growth(model: &Model, specs: &[String], file: Option<&Path>) -> Result<Growth, Error> {
    let mut g = Growth::default();
    for spec in specs {
        let rate = |t: &str| {
            parse_ratio(t.trim()).map_err(|e| usage(msg!("E0644", spec = spec, reason = e).text))
        };
        match spec.split_once('=') {
            None => g.default = rate(spec)?,
            Some((key, v)) => {
                let v = rate(v)?;
                let (z, m) = match key.split_once('.') {
                    Some((z, m)) => (z, Some(m)),
                    None => (key, None),
                };
                let zi = model.zone(z.trim()).ok_or_else(|| {
                    usage(
                        msg!(
                            "E0645",
                            spec = spec,
                            zone = z,
                            hint = crate::suggest::hint(z, model.zone_index.keys())
                        )
                        .text,
                    )
                })?;
                match m {
                    None => {
                        g.by_zone.insert(zi, v);
                    }
                    Some(m) => {
                        let mi = model.metric(m.trim()).ok_or_else(|| {
                            usage(
                                msg!(
                                    "E0646",
                                    spec = spec,
                                    metric = m,
                                    hint = crate::suggest::hint(m, model.metric_index.keys())
                                )
                                .text,
                            )
                        })?;
                        g.by_cell.insert((zi, mi), v);
                    }
                }
            }
        }
    }
    if let Some(path) = file {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| {
            Error::RecordsIo(crate::input::RecordsError::Io {
                path: shown.clone(),
                source,
            })
        })?;
        let cols = [
            crate::input::table::Column {
                name: "year",
                alias: "年度",
                required: true,
            },
            crate::input::table::Column {
                name: "zone",
                alias: "园区",
                required: true,
            },
            crate::input::table::Column {
                name: "metric",
                alias: "指标",
                required: true,
            },
            crate::input::table::Column {
                name: "total",
                alias: "合计",
                required: true,
            },
        ];
        let t = crate::input::table::read(&shown, &bytes, crate::input::Encoding::Auto, &cols)
            .map_err(|d| Error::Records(d, 0))?;
        let mut diags = Vec::new();
        for (line, v) in t.rows {
            let at = |f: &str, m: String| Diag::new(&shown, line as usize, f, m);
            let year = v[0].parse::<i32>().ok().filter(|y| (1..10000).contains(y));
            let zone = model.zone(&v[1]);
            let metric = model.metric(&v[2]);
            let total = parse_ratio(&v[3]).ok();
            match (year, zone, metric, total) {
                (Some(y), Some(z), Some(m), Some(t)) => {
                    g.totals.entry((z, m)).or_default().insert(y, t);
                }
                _ => diags.push(at("", msg!("E0647", found = v.join(",")).text)),
            }
        }
        if !diags.is_empty() {
            return Err(Error::Records(diags, 0));
        }
    }
    Ok(g)
}

/// Share the projected years with `model`.
pub fn project(
    model: &Model,
    p: &Prepared,
    growth: &Growth,
    grow_deductions: bool,
) -> Result<Projection, Error> {
    let mut model = model.clone();
    model.entities = p.entities.clone();
    model.needs_entity = !p.entities.by_id.is_empty() || !p.watch.is_empty();
    model.watch = p.watch.clone();
    let mut cells = Cells::default();
    let mut diags = Vec::new();
    let mut ended: BTreeMap<usize, Period> = BTreeMap::new();
    let years = (p.to - p.base_year) as u32;
    let mut factors: BTreeMap<(usize, usize, u32), Ratio> = BTreeMap::new();
    let shown = |f: usize| {
        p.records
            .iter()
            .find(|r| r.file == f)
            .map_or(String::new(), |_| format!("records file {}", f + 1))
    };
    for r in &p.records {
        let ks = if r.period.year == p.base_year {
            0..=years
        } else {
            0..=0
        };
        for k in ks {
            let period = shift(r.period, k);
            if model.zones[r.zone].agreement_for(period).is_err() {
                // The agreement has ended (or not begun): nothing to share that year.
                ended.entry(r.zone).or_insert(period);
                continue;
            }
            let key = (r.zone, r.metric, k);
            let factor = match factors.entry(key) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    let f = growth
                        .factor(r.zone, r.metric, p.base_year, k)
                        .map_err(|m| {
                            usage(
                                msg!(
                                    "E0648",
                                    zone = model.zones[r.zone].id,
                                    metric = model.metrics[r.metric].id,
                                    reason = m
                                )
                                .text,
                            )
                        })?;
                    e.insert(f)
                }
            };
            let units = grow(r.units, factor).ok_or_else(|| usage(msg!("E0649").text))?;
            let rec = Record {
                file: r.file,
                line: r.line,
                period,
                zone: r.zone,
                metric: r.metric,
                entity: &r.entity,
                units,
                entity_start: r.entity_start,
                class: r.class,
            };
            if let Err(m) = cells.add(&model, &rec) {
                diags.push(Diag::new(
                    &shown(r.file),
                    r.line as usize,
                    "",
                    msg!("E0650", period = period, reason = m),
                ));
            }
        }
    }
    let mut lines = Vec::new();
    for d in p.deductions.iter().filter(|d| d.period.year == p.base_year) {
        for k in 0..=years {
            let period = shift(d.period, k);
            if model.zones[d.zone].agreement_for(period).is_err() {
                continue;
            }
            let units = if grow_deductions {
                let f = growth
                    .factor(d.zone, d.metric, p.base_year, k)
                    .map_err(usage)?;
                grow(d.units, &f).unwrap_or(d.units)
            } else {
                d.units
            };
            lines.push(Deduction {
                period,
                units,
                ..d.clone()
            });
        }
    }
    diags.extend(cells.place_deductions(&model, lines, None));
    if !diags.is_empty() {
        diags.truncate(100);
        return Err(Error::Records(diags, 0));
    }
    let outcome = compute(&model, &cells)?;
    let mut rows = BTreeMap::new();
    for ((period, z, m, party), (u, mi)) in summary::rows(&model, &outcome) {
        let year = period
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(0);
        rows.entry((year, z, m, party)).or_insert((0, mi)).0 += u;
    }
    let notes = ended
        .iter()
        .map(|(z, from)| msg!("W0002", zone = model.zones[*z].id, from = from).text)
        .collect();
    Ok(Projection {
        model,
        outcome,
        rows,
        notes,
    })
}

/// Whether a party is a statutory level or the deduction row (left out unless asked).
pub fn is_level(model: &Model, zone: &str, metric: &str, party: &str) -> bool {
    if party == CENTRAL || party == DEDUCTION {
        return true;
    }
    match (model.zone(zone), model.metric(metric)) {
        (Some(z), Some(m)) => model.zones[z]
            .levels_of(m, &model.metrics[m])
            .parties()
            .contains(&party),
        _ => false,
    }
}

/// Horizon totals per (zone, metric, party).
fn horizon(
    rows: &BTreeMap<(i32, String, String, String), (i128, usize)>,
) -> BTreeMap<(String, String, String), (i128, usize)> {
    let mut out: BTreeMap<(String, String, String), (i128, usize)> = BTreeMap::new();
    for ((_, z, m, p), (u, mi)) in rows {
        out.entry((z.clone(), m.clone(), p.clone()))
            .or_insert((0, *mi))
            .0 += u;
    }
    out
}

/// `fencheng project`.
pub fn run(
    req: &Request<'_>,
    out: Option<&Path>,
    chart: Option<&Path>,
    format: Format,
) -> Result<String, Error> {
    let sets = parse_sets(&req.overrides.set)?;
    let (_, mut base, _) = load_negotiated(
        &req.inputs.config,
        &[],
        &sets,
        req.overrides.allow_outside_band,
    )?;
    let prepared = prepare(&mut base, req.inputs, req.to)?;
    let growth = growth(&base, req.growth, req.growth_file)?;
    let discount = req
        .discount
        .map(|d| parse_ratio(d).map_err(|e| usage(msg!("E0651", text = d, reason = e).text)))
        .transpose()?;
    let mut runs: Vec<(String, Projection)> = vec![(
        "baseline".into(),
        project(&base, &prepared, &growth, req.grow_deductions)?,
    )];
    for s in req.scenarios {
        let (_, m, _) = load_negotiated(
            &req.inputs.config,
            std::slice::from_ref(s),
            &sets,
            req.overrides.allow_outside_band,
        )?;
        let name = s.file_stem().map_or_else(
            || s.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        runs.push((name, project(&m, &prepared, &growth, req.grow_deductions)?));
    }
    let first = &runs[0].1;
    let model = &first.model;
    if let Some(dir) = out {
        super::write_pair(dir, model, &first.outcome)?;
    }
    let shown = |z: &str, m: &str, p: &str| {
        req.filter.keeps(model, z, m, p) && (req.levels || !is_level(model, z, m, p))
    };
    let money = |u: i128, mi: usize| summary::amount(model, mi, u);
    let pv = |rows: &BTreeMap<(i32, String, String, String), (i128, usize)>,
              z: &str,
              m: &str,
              p: &str|
     -> Option<String> {
        let r = discount.as_ref()?;
        let by_year: BTreeMap<i32, i128> = rows
            .iter()
            .filter(|((_, zz, mm, pp), _)| zz == z && mm == m && pp == p)
            .map(|((y, _, _, _), (u, _))| (*y, *u))
            .collect();
        let mi = model.metric(m)?;
        let v = to_i128(&round_half_away(&present_value(
            &by_year,
            prepared.base_year,
            r,
        )))?;
        Some(money(v, mi))
    };
    if let Some(path) = chart {
        crate::output::chart::project_chart(
            path,
            model,
            &first.rows,
            &shown,
            prepared.base_year,
            prepared.to,
        )?;
    }
    let mut text = String::new();
    match format {
        Format::Csv => {
            text.push_str("year,zone,metric,party,amount");
            for (n, _) in &runs[1..] {
                text.push_str(&format!(",{n}"));
            }
            text.push('\n');
            for ((y, z, m, p), (u, mi)) in &first.rows {
                if !req.filter.keeps(model, z, m, p) {
                    continue;
                }
                text.push_str(&format!("{y},{z},{m},{p},{}", money(*u, *mi)));
                for (_, r) in &runs[1..] {
                    let v = r
                        .rows
                        .get(&(*y, z.clone(), m.clone(), p.clone()))
                        .map_or(0, |x| x.0);
                    text.push_str(&format!(",{}", money(v, *mi)));
                }
                text.push('\n');
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = first
                .rows
                .iter()
                .filter(|((_, z, m, p), _)| req.filter.keeps(model, z, m, p))
                .map(|((y, z, m, p), (u, mi))| {
                    let mut o = serde_json::json!({"year": y, "zone": z, "metric": m, "party": p, "amount": money(*u, *mi)});
                    for (n, r) in &runs[1..] {
                        let v = r.rows.get(&(*y, z.clone(), m.clone(), p.clone())).map_or(0, |x| x.0);
                        o[n.as_str()] = serde_json::Value::String(money(v, *mi));
                    }
                    o
                })
                .collect();
            let doc = serde_json::json!({"base_year": prepared.base_year, "to": prepared.to, "rows": rows, "notes": first.notes});
            text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
        }
        Format::Table => {
            text.push_str(&format!(
                "{}\n",
                msg!("E0652", from = prepared.base_year, to = prepared.to)
            ));
            if runs.len() == 1 {
                let mut blocks: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
                for (z, m, p) in first.rows.keys().map(|(_, z, m, p)| (z, m, p)) {
                    if shown(z, m, p) {
                        let e = blocks.entry((z.clone(), m.clone())).or_default();
                        if !e.contains(p) {
                            e.push(p.clone());
                        }
                    }
                }
                for ((z, m), parties) in &blocks {
                    let zi = model.zone(z);
                    let mi = model.metric(m).unwrap_or(0);
                    let metric = &model.metrics[mi];
                    text.push_str(&format!(
                        "\n{} ({z}) · {} ({m}{})\n",
                        zi.map_or(z.as_str(), |i| model.zones[i].name.as_str()),
                        metric.name,
                        if metric.unit.is_empty() {
                            String::new()
                        } else {
                            format!(", {}", metric.unit)
                        }
                    ));
                    let mut head = vec!["year".to_string()];
                    head.extend(
                        parties
                            .iter()
                            .map(|p| format!("{} {p}", model.party_name(p))),
                    );
                    let mut body = Vec::new();
                    let mut sums = vec![0i128; parties.len()];
                    for y in prepared.base_year..=prepared.to {
                        let mut row = vec![y.to_string()];
                        for (i, p) in parties.iter().enumerate() {
                            let v = first
                                .rows
                                .get(&(y, z.clone(), m.clone(), p.clone()))
                                .map_or(0, |x| x.0);
                            sums[i] += v;
                            row.push(money(v, mi));
                        }
                        body.push(row);
                    }
                    let mut total = vec!["total".to_string()];
                    total.extend(sums.iter().map(|v| money(*v, mi)));
                    body.push(total);
                    if let Some(r) = req.discount {
                        let mut row = vec![format!("PV {r}")];
                        row.extend(
                            parties
                                .iter()
                                .map(|p| pv(&first.rows, z, m, p).unwrap_or_default()),
                        );
                        body.push(row);
                    }
                    let h: Vec<&str> = head.iter().map(String::as_str).collect();
                    let mut right = vec![true; h.len()];
                    right[0] = false;
                    text.push_str(&table(&h, &body, &right));
                }
            } else {
                let mut head = vec!["zone".to_string(), "metric".into(), "party".into()];
                for (n, _) in &runs {
                    head.push(n.clone());
                }
                for (n, _) in &runs[1..] {
                    head.push(format!("Δ {n}"));
                }
                let totals: Vec<_> = runs.iter().map(|(_, r)| horizon(&r.rows)).collect();
                let mut keys: BTreeSet<(String, String, String)> = BTreeSet::new();
                for t in &totals {
                    keys.extend(t.keys().cloned());
                }
                let mut body = Vec::new();
                for k in keys.iter().filter(|(z, m, p)| shown(z, m, p)) {
                    let mi = model.metric(&k.1).unwrap_or(0);
                    let vals: Vec<i128> =
                        totals.iter().map(|t| t.get(k).map_or(0, |x| x.0)).collect();
                    let mut row = vec![
                        k.0.clone(),
                        k.1.clone(),
                        format!("{} {}", model.party_name(&k.2), k.2),
                    ];
                    row.extend(vals.iter().map(|v| money(*v, mi)));
                    row.extend(vals[1..].iter().map(|v| money(v - vals[0], mi)));
                    body.push(row);
                }
                text.push_str(&format!(
                    "{}\n",
                    msg!("E0653", from = prepared.base_year, to = prepared.to)
                ));
                let h: Vec<&str> = head.iter().map(String::as_str).collect();
                let mut right = vec![true; h.len()];
                right[..3].fill(false);
                text.push_str(&table(&h, &body, &right));
            }
            for n in &first.notes {
                let zone = n
                    .strip_prefix("zone ")
                    .and_then(|r| r.split(':').next())
                    .unwrap_or("");
                if req
                    .filter
                    .zone
                    .is_none_or(|z| model.zone(z) == model.zone(zone))
                {
                    text.push_str(&format!("note: {n}\n"));
                }
            }
        }
    }
    Ok(text)
}
