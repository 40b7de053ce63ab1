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

/// What a base record's cell depends on: records that agree on all of it are
/// projected together (their amounts still grown and rounded one by one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseKey {
    pub file: usize,
    pub period: Period,
    pub zone: usize,
    pub metric: usize,
    /// Kept only when the entity decides the cell (`Model::needs_entity`).
    pub entity: String,
    pub entity_start: Option<NaiveDate>,
    pub class: u32,
}

/// A base record, kept (the projection repeats it once per year): its key in
/// `Prepared::keys`, its line and amount. 32 bytes, whatever the entity's name.
#[derive(Debug, Clone, Copy)]
pub struct BaseLine {
    pub key: u32,
    pub line: u64,
    pub units: i128,
}

/// Base records, deductions and the years: read once for every scenario.
pub struct Prepared {
    pub keys: Vec<BaseKey>,
    /// In file order.
    pub records: Vec<BaseLine>,
    pub deductions: Deductions,
    pub base_year: i32,
    pub to: i32,
    pub entities: crate::model::Entities,
    pub watch: rustc_hash::FxHashSet<String>,
}

/// Distinct base keys, numbered in the order met.
#[derive(Default)]
struct Registry {
    index: rustc_hash::FxHashMap<BaseKey, u32>,
    keys: Vec<BaseKey>,
}

impl Registry {
    fn id(&mut self, keep_entity: bool, r: &crate::input::Record<'_>) -> Option<u32> {
        let key = BaseKey {
            file: r.file,
            period: r.period,
            zone: r.zone,
            metric: r.metric,
            entity: if keep_entity {
                r.entity.to_string()
            } else {
                String::new()
            },
            entity_start: r.entity_start,
            class: r.class,
        };
        if let Some(&i) = self.index.get(&key) {
            return Some(i);
        }
        let i = u32::try_from(self.keys.len()).ok()?;
        self.keys.push(key.clone());
        self.index.insert(key, i);
        Some(i)
    }
}

/// The streaming reader's view of base records: each record becomes its key's number,
/// its line and amount (28 bytes, in file order), written by the workers in parallel.
struct BaseRender {
    registry: std::sync::Mutex<Registry>,
    keep_entity: bool,
}

const BASE_BYTES: usize = 4 + 8 + 16;

impl crate::input::sink::Render<crate::engine::cells::Cells> for BaseRender {
    fn cell(
        &self,
        _: &mut crate::engine::cells::Cells,
        r: &crate::input::Record<'_>,
    ) -> Result<Option<u32>, crate::i18n::Msg> {
        let mut reg = self
            .registry
            .lock()
            .map_err(|_| msg!("E0501", file = "", reason = "a worker failed"))?;
        reg.id(self.keep_entity, r)
            .map(Some)
            .ok_or_else(|| msg!("E0239"))
    }
    fn verbatim(&self, _: &crate::input::Record<'_>, _: &[u8], _: &[u8], _: &[u8]) -> bool {
        false
    }
    fn lines(
        &self,
        out: &mut Vec<u8>,
        cell: u32,
        line: u64,
        units: i128,
        _: crate::input::sink::Fields<'_>,
    ) {
        out.extend_from_slice(&cell.to_le_bytes());
        out.extend_from_slice(&line.to_le_bytes());
        out.extend_from_slice(&units.to_le_bytes());
    }
    fn most_lines(&self) -> usize {
        1
    }
}

fn base_lines(bytes: &[u8], offset: u32, out: &mut Vec<BaseLine>) {
    for c in bytes.chunks_exact(BASE_BYTES) {
        let (k, rest) = c.split_at(4);
        let (l, u) = rest.split_at(8);
        out.push(BaseLine {
            key: u32::from_le_bytes(k.try_into().unwrap_or_default()) + offset,
            line: u64::from_le_bytes(l.try_into().unwrap_or_default()),
            units: i128::from_le_bytes(u.try_into().unwrap_or_default()),
        });
    }
}

/// Every base record, in file order: the streaming reader on every core where it can
/// (as `run` reads), the general reader otherwise.
fn read_base(
    model: &Model,
    inputs: &Inputs,
    problems: &mut Problems,
) -> Result<(Vec<BaseKey>, Vec<BaseLine>), Error> {
    use crate::input::stream;
    let keep_entity = model.needs_entity;
    let mut keys: Vec<BaseKey> = Vec::new();
    let mut records: Vec<BaseLine> = Vec::new();
    let mut granularity = None;
    for (i, path) in inputs.records.iter().enumerate() {
        let offset = u32::try_from(keys.len()).map_err(|_| usage(msg!("E0239")))?;
        let titles_plain = model
            .input
            .profile
            .as_ref()
            .is_none_or(|p| crate::input::profile::titles_unquoted(path, p.header));
        if titles_plain && crate::input::route::streams(path) {
            let render = BaseRender {
                registry: Default::default(),
                keep_entity,
            };
            let before = records.len();
            let mut g = granularity.clone();
            let mut found = Problems::new(problems.limit);
            let buffers = stream::Buffers::default();
            let read = stream::map_ordered(
                path,
                inputs.encoding,
                i,
                model,
                &mut g,
                &mut found,
                super::super::threads(),
                &render,
                &buffers,
                &mut |b| {
                    base_lines(&b, offset, &mut records);
                    buffers.give(b);
                    Ok(())
                },
            );
            match read {
                Ok(_) => {
                    granularity = g;
                    found.diags.into_iter().for_each(|d| problems.push(d));
                    problems.omitted += found.omitted;
                    problems.notes.extend(found.notes);
                    let reg = render.registry.into_inner().unwrap_or_default();
                    keys.extend(reg.keys);
                    continue;
                }
                Err(stream::Fallback::Io(e)) if !path.exists() => {
                    return Err(Error::RecordsIo(crate::input::RecordsError::Io {
                        path: crate::pathtext::show(path),
                        source: e,
                    }));
                }
                // Anything the streaming reader leaves to the general one: start again.
                Err(_) => records.truncate(before),
            }
        }
        let mut reg = Registry::default();
        let mut failed = None;
        crate::input::read_records(
            path,
            i,
            model,
            inputs.encoding,
            &mut granularity,
            problems,
            &mut |r| {
                let Some(key) = reg.id(keep_entity, r) else {
                    failed = Some(msg!("E0239"));
                    return Err(msg!("E0239"));
                };
                records.push(BaseLine {
                    key: key + offset,
                    line: r.line,
                    units: r.units,
                });
                Ok(())
            },
        )?;
        if let Some(m) = failed {
            return Err(usage(m));
        }
        keys.extend(reg.keys);
    }
    for n in &problems.notes {
        eprintln!("{n}");
    }
    Ok((keys, records))
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
    let (keys, records) = read_base(model, inputs, &mut problems)?;
    if !problems.is_empty() {
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    let Some(base_year) = records
        .iter()
        .filter_map(|r| keys.get(r.key as usize))
        .map(|k| k.period.year)
        .max()
    else {
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
        keys,
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
            let at = |f: &str, m: crate::i18n::Msg| Diag::new(&shown, line as usize, f, m);
            let year = v[0].parse::<i32>().ok().filter(|y| (1..10000).contains(y));
            let zone = model.zone(&v[1]);
            let metric = model.metric(&v[2]);
            let total = parse_ratio(&v[3]).ok();
            match (year, zone, metric, total) {
                (Some(y), Some(z), Some(m), Some(t)) => {
                    g.totals.entry((z, m)).or_default().insert(y, t);
                }
                _ => diags.push(at("", msg!("E0647", found = v.join(",")))),
            }
        }
        if !diags.is_empty() {
            return Err(Error::Records(diags, 0));
        }
    }
    Ok(g)
}
