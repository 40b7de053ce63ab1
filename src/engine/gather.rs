//! The cells a rule shares, before any rule runs: each record cell keeps its statutory
//! levels (SPEC §8.1, each rounded on its own); a pool's components hand what is left to
//! the pool cell (§8.3); deductions reduce their cells, creating one that has no record
//! (§8.2).

use super::allocate::central_part;
use super::cells::{CellKey, Cells};
use super::{CellResult, Level, Outcome};
use crate::model::Model;
use std::collections::BTreeMap;

/// The levels in force for a cell of metric `m` in `zone`, each rounded on its own.
pub(super) fn levels_in_force(model: &Model, key: &CellKey, total: i128) -> Vec<Level> {
    let zone = &model.zones[key.zone];
    let metric = &model.metrics[key.metric];
    zone.levels_of(key.metric, metric)
        .at(key.period.first_day())
        .map(|parts| {
            parts
                .iter()
                .map(|(p, r)| Level {
                    party: p.clone(),
                    ratio: r.clone(),
                    exact: crate::num::ri(total) * r,
                    units: central_part(total, r),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A cell that a rule shares: a record cell, a pool cell, or a cell that only
/// deductions created.
#[derive(Default)]
pub(super) struct Sharing {
    pub total: i128,
    pub records: u64,
    pub year: Option<u32>,
    pub mixed: bool,
    pub levels: Vec<Level>,
    pub deduction: Option<i128>,
    pub lines: Vec<usize>,
    pub components: Vec<CellKey>,
}

/// The shared cells in cell order; the pool components' results go to `out` (they are
/// not shared themselves).
pub(super) fn gather(
    model: &Model,
    cells: &Cells,
    out: &mut Outcome,
) -> BTreeMap<CellKey, Sharing> {
    // 1. Record cells: levels; a pool's components hand their T to the pool cell.
    let mut sharing: BTreeMap<CellKey, Sharing> = BTreeMap::new();
    for (key, acc) in cells.sorted() {
        let rule = &model.zones[key.zone].agreements[key.agreement].rules[key.rule];
        let levels = levels_in_force(model, key, acc.total);
        let kept: i128 = levels.iter().map(|l| l.units).sum();
        let pool = Cells::sharing_metric(model, key.metric, rule);
        if pool == key.metric {
            sharing.insert(
                *key,
                Sharing {
                    total: acc.total,
                    records: acc.records,
                    year: acc.year,
                    mixed: acc.mixed_years,
                    levels,
                    ..Sharing::default()
                },
            );
            continue;
        }
        let pk = CellKey {
            metric: pool,
            ..*key
        };
        let t = acc.total - kept;
        let s = sharing.entry(pk).or_default();
        if s.records == 0 {
            s.year = acc.year;
        } else if s.year != acc.year {
            s.mixed = true;
        }
        s.total += t;
        s.records += acc.records;
        s.components.push(*key);
        out.cells.push(CellResult {
            key: *key,
            total: acc.total,
            records: acc.records,
            year: acc.year,
            levels,
            deduction: None,
            deduction_lines: Vec::new(),
            t,
            ratios: None,
            alloc: Vec::new(),
            ytd: None,
            shares: Vec::new(),
            pooled_in: Some(pk),
            components: Vec::new(),
        });
    }
    // 2. Deductions reduce their cells; a deduction for a cell without records
    //    creates it with total 0 (and its level rows, 0.00).
    for d in &cells.deductions {
        let s = sharing.entry(d.key).or_insert_with(|| Sharing {
            levels: if model.metrics[d.key.metric].pool.is_empty() {
                levels_in_force(model, &d.key, 0)
            } else {
                Vec::new()
            },
            ..Sharing::default()
        });
        s.deduction = Some(s.deduction.unwrap_or(0) + d.units);
        s.lines.push(d.index);
    }
    sharing
}
