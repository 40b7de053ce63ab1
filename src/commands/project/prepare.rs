//! The base of a projection, read once for every scenario: the records of the base
//! year (and earlier years of the agreement), the deductions, the horizon, and the
//! growth asked for (`--growth`, `--growth-file`).

use super::super::read_side;
use crate::cli::Inputs;
use crate::diag::{Diag, Problems};
use crate::engine::project::Growth;
use crate::error::Error;
use crate::input::Deductions;
use crate::model::Model;
use crate::msg;
use crate::num::parse_ratio;
use crate::period::Period;
use chrono::NaiveDate;
use std::path::Path;

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

/// Base records, deductions and the years: read once for every scenario.
pub struct Prepared {
    pub records: Vec<Base>,
    pub deductions: Deductions,
    pub base_year: i32,
    pub to: i32,
    pub entities: crate::model::Entities,
    pub watch: rustc_hash::FxHashSet<String>,
}

pub(super) fn usage(m: crate::i18n::Msg) -> Error {
    Error::Usage(m)
}

/// Read the base records (and deductions, entities) once.
pub fn prepare(model: &mut Model, inputs: &Inputs, to: Option<i32>) -> Result<Prepared, Error> {
    if inputs.records.is_empty() {
        return Err(usage(msg!("E0641")));
    }
    let mut problems = Problems::new(100);
    let mut side = Vec::new();
    let deductions = read_side(model, inputs, &mut problems, &mut side)?;
    let mut records = Vec::new();
    // The entity decides a record's cell only with an entities file or a deduction
    // that names it (`needs_entity`); otherwise it is not kept (a string per record).
    let keep_entity = model.needs_entity;
    super::super::read::each_record(model, inputs, &mut problems, &mut |r| {
        records.push(Base {
            file: r.file,
            line: r.line,
            period: r.period,
            zone: r.zone,
            metric: r.metric,
            entity: if keep_entity {
                r.entity.to_string()
            } else {
                String::new()
            },
            units: r.units,
            entity_start: r.entity_start,
            class: r.class,
        });
        Ok(())
    })?;
    if !problems.is_empty() {
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    let Some(base_year) = records.iter().map(|r| r.period.year).max() else {
        return Err(usage(msg!("E0642")));
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
        return Err(usage(msg!("E0643", to = to, base = base_year)));
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
            crate::num::rate(t).map_err(|e| usage(msg!("E0644", spec = spec, reason = e)))
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
                    usage(msg!(
                        "E0645",
                        spec = spec,
                        zone = z,
                        hint = crate::suggest::hint(z, model.zone_index.keys())
                    ))
                })?;
                match m {
                    None => {
                        g.by_zone.insert(zi, v);
                    }
                    Some(m) => {
                        let mi = model.metric(m.trim()).ok_or_else(|| {
                            usage(msg!(
                                "E0646",
                                spec = spec,
                                metric = m,
                                hint = crate::suggest::hint(m, model.metric_index.keys())
                            ))
                        })?;
                        g.by_cell.insert((zi, mi), v);
                    }
                }
            }
        }
    }
    if let Some(path) = file {
        let shown = crate::pathtext::show(path);
        let bytes = crate::commands::read::read_whole(path)?;
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
