//! One model shared over the projected years: every base record grown to each year
//! of the horizon (exactly, rounded once), placed in its cell and shared.

use super::prepare::{Prepared, usage};
use crate::diag::Diag;
use crate::engine::cells::Cells;
use crate::engine::project::{Factor, Growth, grow, shift};
use crate::engine::{Outcome, compute};
use crate::error::Error;
use crate::input::{Deduction, Deductions, Record};
use crate::model::{CENTRAL, DEDUCTION, Model};
use crate::msg;
use crate::output::summary;
use crate::period::Period;
use std::collections::BTreeMap;

/// The projection of one model: per (year, zone, metric, party) units, and notes.
pub struct Projection {
    pub model: Model,
    pub outcome: Outcome,
    pub rows: BTreeMap<(i32, String, String, String), (i128, usize)>,
    pub notes: Vec<String>,
    /// The zone of each note (the notes are sentences in the reader's language).
    pub noted_zones: Vec<usize>,
}

/// The base records' keys in the order first met, and their amounts grouped by key:
/// key `order[g]` has `units[starts[g]..starts[g + 1]]`, in file order.
fn by_key(p: &Prepared) -> (Vec<u32>, Vec<usize>, Vec<i128>) {
    let mut group = vec![u32::MAX; p.keys.len()];
    let mut order = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    for r in &p.records {
        let g = &mut group[r.key as usize];
        if *g == u32::MAX {
            *g = order.len() as u32;
            order.push(r.key);
            counts.push(0);
        }
        counts[*g as usize] += 1;
    }
    let mut starts = Vec::with_capacity(counts.len() + 1);
    let mut at = 0;
    for c in &counts {
        starts.push(at);
        at += c;
    }
    starts.push(at);
    let mut next = starts.clone();
    let mut units = vec![0i128; p.records.len()];
    for r in &p.records {
        let g = group[r.key as usize] as usize;
        units[next[g]] = r.units;
        next[g] += 1;
    }
    (order, starts, units)
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
    model.needs_entity = !p.entities.is_empty() || !p.watch.is_empty();
    model.watch = p.watch.clone();
    let mut cells = Cells::default();
    let mut diags = Vec::new();
    let mut ended: BTreeMap<usize, Period> = BTreeMap::new();
    let years = (p.to - p.base_year) as u32;
    // Per (zone, metric): the factor of each year, found once; per (zone, period):
    // whether an agreement is in force each year. A record then costs two lookups and
    // a multiplication per year.
    let mut factors: rustc_hash::FxHashMap<(usize, usize), Vec<Option<Factor>>> =
        Default::default();
    let mut in_force: rustc_hash::FxHashMap<(usize, Period), Vec<bool>> = Default::default();
    let shown = |f: usize| format!("records file {}", f + 1);
    // The factor of (zone, metric) in year k, found once.
    let mut factor_of = |zone: usize, metric: usize, k: u32| -> Result<Factor, Error> {
        let yearly = factors
            .entry((zone, metric))
            .or_insert_with(|| vec![None; years as usize + 1]);
        match &yearly[k as usize] {
            Some(f) => Ok(f.clone()),
            None => {
                let f = growth.factor(zone, metric, p.base_year, k).map_err(|m| {
                    usage(msg!(
                        "E0648",
                        zone = model.zones[zone].id,
                        metric = model.metrics[metric].id,
                        reason = m
                    ))
                })?;
                Ok(yearly[k as usize].insert(Factor::new(f)).clone())
            }
        }
    };
    let mut open_of = |zone: usize, period: Period| -> Vec<bool> {
        in_force
            .entry((zone, period))
            .or_insert_with(|| {
                (0..=years)
                    .map(|k| model.zones[zone].agreement_for(shift(period, k)).is_ok())
                    .collect()
            })
            .clone()
    };
    // Per key of base records (in the order first met): each year's cell found once,
    // each record's amount grown and rounded on its own, the key's sum added at once.
    // Not when a record must be watched for a deduction (`Cells::add`), and not once a
    // record finds no cell: the record-by-record pass below then names each one.
    let direct = model.watch.is_empty() && model.input.without_tag.is_none();
    let mut grouped = direct;
    if direct {
        let (order, starts, units) = by_key(p);
        'keys: for (g, &key) in order.iter().enumerate() {
            let b = &p.keys[key as usize];
            let last = if b.period.year == p.base_year {
                years
            } else {
                0
            };
            let open = open_of(b.zone, b.period);
            let its = &units[starts[g]..starts[g + 1]];
            for k in 0..=last {
                let period = shift(b.period, k);
                if !open[k as usize] {
                    ended.entry(b.zone).or_insert(period);
                    continue;
                }
                let factor = factor_of(b.zone, b.metric, k)?;
                let mut total: i128 = 0;
                for &u in its {
                    let grown = factor.grow(u).ok_or_else(|| usage(msg!("E0649")))?;
                    total = total
                        .checked_add(grown)
                        .ok_or_else(|| usage(msg!("E0649")))?;
                }
                let rec = Record {
                    file: b.file,
                    line: 0,
                    period,
                    zone: b.zone,
                    metric: b.metric,
                    entity: &b.entity,
                    units: total,
                    entity_start: b.entity_start,
                    class: b.class,
                };
                let added = cells.target(&model, &rec).and_then(|(slot, year)| {
                    cells.add_bulk(slot, year, b.metric, total, its.len() as u64)
                });
                if added.is_err() {
                    grouped = false;
                    break 'keys;
                }
            }
        }
        if !grouped {
            cells = Cells::default();
            ended.clear();
        }
    }
    if !grouped {
        for r in &p.records {
            let b = &p.keys[r.key as usize];
            let last = if b.period.year == p.base_year {
                years
            } else {
                0
            };
            let open = open_of(b.zone, b.period);
            for k in 0..=last {
                let period = shift(b.period, k);
                if !open[k as usize] {
                    // The agreement has ended (or not begun): nothing to share that year.
                    ended.entry(b.zone).or_insert(period);
                    continue;
                }
                let factor = factor_of(b.zone, b.metric, k)?;
                let units = factor.grow(r.units).ok_or_else(|| usage(msg!("E0649")))?;
                let rec = Record {
                    file: b.file,
                    line: r.line,
                    period,
                    zone: b.zone,
                    metric: b.metric,
                    entity: &b.entity,
                    units,
                    entity_start: b.entity_start,
                    class: b.class,
                };
                let added = if direct {
                    cells
                        .target(&model, &rec)
                        .and_then(|(slot, year)| cells.add_bulk(slot, year, b.metric, units, 1))
                } else {
                    cells.add(&model, &rec)
                };
                if let Err(m) = added {
                    diags.push(Diag::new(
                        &shown(b.file),
                        r.line as usize,
                        "",
                        msg!("E0650", period = period, reason = m),
                    ));
                }
            }
        }
    }
    let mut lines = Deductions::default();
    for (d, _) in p
        .deductions
        .iter()
        .filter(|(d, _)| d.period.year == p.base_year)
    {
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
            if lines.push(Deduction { period, units, ..d }).is_none() {
                return Err(Error::Records(
                    vec![Diag::new(d.file, d.line as usize, "", msg!("E0239"))],
                    0,
                ));
            }
        }
    }
    diags.extend(cells.place_deductions(&model, lines, None));
    if !diags.is_empty() {
        diags.truncate(100);
        return Err(Error::Records(diags, 0));
    }
    let outcome = compute(&model, &cells)?;
    let mut rows = BTreeMap::new();
    for (
        crate::ledger::FigureKey {
            period,
            zone: z,
            metric: m,
            party,
        },
        (u, mi),
    ) in summary::rows(&model, &outcome)
    {
        let year = period.year;
        rows.entry((year, z, m, party)).or_insert((0, mi)).0 += u;
    }
    // Obligations (SPEC §14) in each party's figures, under a label of their own.
    if let Some((mi, by)) = crate::engine::obligations::by_party(
        &model,
        &crate::engine::obligations::postings(&outcome.obligations),
    ) {
        for ((year, z, party), u) in by {
            rows.entry((
                year,
                model.zones[z].id.clone(),
                crate::engine::obligations::LABEL.to_string(),
                party,
            ))
            .or_insert((0, mi))
            .0 += u;
        }
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
        noted_zones: ended.keys().copied().collect(),
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
