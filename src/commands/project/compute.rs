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

/// A record's cell in one year (slot and year index), or why it has none.
type Target = Result<(usize, Option<u32>), crate::i18n::Msg>;

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
    let shown = |f: usize| {
        p.records
            .iter()
            .find(|r| r.file == f)
            .map_or(String::new(), |_| format!("records file {}", f + 1))
    };
    // Per projection key: each year's cell (or why none), found once for all records
    // of that key. Not when a record must be watched for a deduction (`Cells::add`).
    let direct = model.watch.is_empty() && model.input.without_tag.is_none();
    let mut targets: rustc_hash::FxHashMap<u128, Vec<Option<Target>>> = Default::default();
    for r in &p.records {
        let last = if r.period.year == p.base_year {
            years
        } else {
            0
        };
        let base = Record {
            file: r.file,
            line: r.line,
            period: r.period,
            zone: r.zone,
            metric: r.metric,
            entity: &r.entity,
            units: r.units,
            entity_start: r.entity_start,
            class: r.class,
        };
        let pk = if direct {
            Some(cells.projection_key(&model, &base))
        } else {
            None
        };
        let open = in_force.entry((r.zone, r.period)).or_insert_with(|| {
            (0..=years)
                .map(|k| {
                    model.zones[r.zone]
                        .agreement_for(shift(r.period, k))
                        .is_ok()
                })
                .collect()
        });
        // Filled as years are met: a growth file need not cover a year no record
        // reaches (an agreement that has ended).
        let yearly = factors
            .entry((r.zone, r.metric))
            .or_insert_with(|| vec![None; years as usize + 1]);
        for k in 0..=last {
            let period = shift(r.period, k);
            if !open[k as usize] {
                // The agreement has ended (or not begun): nothing to share that year.
                ended.entry(r.zone).or_insert(period);
                continue;
            }
            let factor = match &mut yearly[k as usize] {
                Some(f) => &*f,
                slot => {
                    let f = growth
                        .factor(r.zone, r.metric, p.base_year, k)
                        .map_err(|m| {
                            usage(msg!(
                                "E0648",
                                zone = model.zones[r.zone].id,
                                metric = model.metrics[r.metric].id,
                                reason = m
                            ))
                        })?;
                    &*slot.insert(Factor::new(f))
                }
            };
            let units = factor.grow(r.units).ok_or_else(|| usage(msg!("E0649")))?;
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
            let added = match pk {
                Some(pk) => {
                    let per_year = targets
                        .entry(pk)
                        .or_insert_with(|| vec![None; years as usize + 1]);
                    let t = per_year[k as usize]
                        .get_or_insert_with(|| cells.target(&model, &rec))
                        .clone();
                    t.and_then(|(slot, year)| cells.add_bulk(slot, year, r.metric, units, 1))
                }
                None => cells.add(&model, &rec),
            };
            if let Err(m) = added {
                diags.push(Diag::new(
                    &shown(r.file),
                    r.line as usize,
                    "",
                    msg!("E0650", period = period, reason = m),
                ));
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
    for ((period, z, m, party), (u, mi)) in summary::rows(&model, &outcome) {
        let year = period
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(0);
        rows.entry((year, z, m, party)).or_insert((0, mi)).0 += u;
    }
    // Obligations (SPEC §14) in each party's figures, under a label of their own.
    if let Some((mi, by)) = crate::engine::obligations::by_party(&model, &outcome.obligations) {
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
