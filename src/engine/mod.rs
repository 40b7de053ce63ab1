//! The engine: cells → allocations, exact and free of I/O.
//!
//! `compute` walks the cells in period order (so year-to-date state flows forward),
//! removes the central part, asks the rule for exact shares, rounds them by largest
//! remainder and checks the conservation invariant on every cell and every metric.

pub mod allocate;
pub mod cells;
pub mod formula;
pub mod rules;

use crate::diag::Diag;
use crate::input::period::Period;
use crate::model::{Anchor, CENTRAL, Model, RuleKind};
use crate::num::{Ratio, ri};
use allocate::{PartyAlloc, central_part, largest_remainder, times};
use cells::{CellKey, Cells};
use rules::RuleCtx;
use std::collections::{BTreeMap, HashMap};

/// A rule failed on a cell, or an invariant broke.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{}", crate::diag::render(.0, 0))]
    Cells(Vec<Diag>),
    #[error("invariant broken: {0}")]
    Invariant(String),
}

/// Year-to-date figures of a cell (SPEC §4.4).
#[derive(Debug, Clone)]
pub struct YtdTrace {
    pub y_prev: i128,
    pub y: i128,
    pub prev: Vec<(String, i128)>,
    /// A(YTD_m), with its rounding steps.
    pub alloc: Vec<PartyAlloc>,
}

/// The result of one cell.
#[derive(Debug, Clone)]
pub struct CellResult {
    pub key: CellKey,
    pub total: i128,
    pub records: u64,
    pub year: Option<u32>,
    /// The central share in force, if any, and the central part in units.
    pub central_ratio: Option<Ratio>,
    pub central: i128,
    /// Shareable amount T = total − central.
    pub t: i128,
    /// The ratios used (proportional rules), for traces.
    pub ratios: Option<Vec<(String, Ratio)>>,
    /// Largest-remainder allocation of T (proportional rules).
    pub alloc: Vec<PartyAlloc>,
    pub ytd: Option<YtdTrace>,
    /// The figures of this cell, one per party named (sorted; `central` not included).
    pub shares: Vec<(String, i128)>,
}

/// All results of a run, in cell order.
#[derive(Debug, Default)]
pub struct Outcome {
    pub cells: Vec<CellResult>,
}

type YtdKey = (usize, usize, usize, usize, u32, i32);
/// (zone, metric, agreement, rule, calendar year).
type FormulaYtdKey = (usize, usize, usize, usize, i32);

/// Compute every cell.
pub fn compute(model: &Model, cells: &Cells) -> Result<Outcome, EngineError> {
    let mut out = Outcome::default();
    let mut errors = Vec::new();
    // (zone, metric, agreement, rule, year) → (period, Σ T before it, Σ T including it)
    let mut formula_ytd: HashMap<FormulaYtdKey, (Period, i128, i128)> = HashMap::new();
    let mut ytd_state: HashMap<YtdKey, (i128, Vec<(String, i128)>)> = HashMap::new();
    for (key, acc) in cells.sorted() {
        let zone = &model.zones[key.zone];
        let metric = &model.metrics[key.metric];
        let ag = &zone.agreements[key.agreement];
        let rule = &ag.rules[key.rule];
        let central_ratio = metric.central_share.at(key.period.first_day()).cloned();
        let central = central_ratio
            .as_ref()
            .map_or(0, |c| central_part(acc.total, c));
        let t = acc.total - central;
        let fk = (
            key.zone,
            key.metric,
            key.agreement,
            key.rule,
            key.period.year,
        );
        let e = formula_ytd.entry(fk).or_insert((key.period, 0, 0));
        if e.0 != key.period {
            *e = (key.period, e.2, e.2);
        }
        let ytd_before = e.1;
        e.2 += t;
        let ctx = RuleCtx {
            rule,
            metric,
            host: &zone.host,
            period: key.period,
            sub: key.sub,
            year: acc
                .year
                .or(if matches!(rule.kind, RuleKind::Formula { .. }) {
                    Some(key.sub)
                } else {
                    None
                }),
            t_units: t,
            ytd_units: ytd_before,
        };
        let where_ = || {
            format!(
                "cell {} zone {} metric {} (agreement {}, rule {})",
                key.period, zone.id, metric.id, ag.id, rule.id
            )
        };
        let fail = |m: String| Diag::new(&rule.loc.file, rule.loc.line, &where_(), m);
        let mut result = CellResult {
            key: *key,
            total: acc.total,
            records: acc.records,
            year: acc.year,
            central_ratio,
            central,
            t,
            ratios: None,
            alloc: Vec::new(),
            ytd: None,
            shares: Vec::new(),
        };
        let phase = if matches!(rule.kind, RuleKind::Schedule { .. }) {
            key.sub as usize
        } else {
            0
        };
        let mut named = rule.named_parties(phase);
        if rule.is_ytd() {
            let entity = rule.anchor() == Some(Anchor::EntityStart);
            let yk = (
                key.zone,
                key.metric,
                key.agreement,
                key.rule,
                if entity { key.sub } else { 0 },
                key.period.year,
            );
            let (y_prev, prev) = ytd_state.get(&yk).cloned().unwrap_or_default();
            let y = y_prev + t;
            let exact = match rules::ytd_shares(&ctx, y) {
                Ok(e) => e,
                Err(m) => {
                    errors.push(fail(m));
                    continue;
                }
            };
            let alloc = match largest_remainder(y, &exact) {
                Ok(a) => a,
                Err(m) => {
                    errors.push(fail(m));
                    continue;
                }
            };
            let now: Vec<(String, i128)> =
                alloc.iter().map(|a| (a.party.clone(), a.units)).collect();
            for (p, _) in now.iter().chain(prev.iter()) {
                if !named.contains(p) {
                    named.push(p.clone());
                }
            }
            named.sort();
            let get = |v: &[(String, i128)], p: &str| {
                v.iter().find(|(q, _)| q == p).map_or(0, |(_, u)| *u)
            };
            result.shares = named
                .iter()
                .map(|p| (p.clone(), get(&now, p) - get(&prev, p)))
                .collect();
            result.ytd = Some(YtdTrace {
                y_prev,
                y,
                prev: prev.clone(),
                alloc,
            });
            ytd_state.insert(yk, (y, now));
        } else {
            let ratios = match rules::ratios(&ctx) {
                Ok(r) => r.unwrap_or_default(),
                Err(m) => {
                    errors.push(fail(m));
                    continue;
                }
            };
            let exact: Vec<(String, Ratio)> = ratios
                .iter()
                .map(|(p, r)| (p.clone(), times(t, r)))
                .collect();
            let alloc = match largest_remainder(t, &exact) {
                Ok(a) => a,
                Err(m) => {
                    errors.push(fail(m));
                    continue;
                }
            };
            result.shares = named
                .iter()
                .map(|p| {
                    (
                        p.clone(),
                        alloc.iter().find(|a| &a.party == p).map_or(0, |a| a.units),
                    )
                })
                .collect();
            result.ratios = Some(ratios);
            result.alloc = alloc;
        }
        let sum: i128 = result.shares.iter().map(|(_, u)| u).sum::<i128>() + central;
        if sum != acc.total {
            return Err(EngineError::Invariant(format!(
                "{}: shares add up to {sum} units but the records add up to {}",
                where_(),
                acc.total
            )));
        }
        out.cells.push(result);
    }
    if !errors.is_empty() {
        return Err(EngineError::Cells(errors));
    }
    check_metric_totals(model, cells, &out)?;
    Ok(out)
}

/// Σ allocated per metric (central included) must equal Σ input per metric, which the
/// reader summed independently of the cells.
fn check_metric_totals(model: &Model, cells: &Cells, out: &Outcome) -> Result<(), EngineError> {
    let mut allocated: BTreeMap<usize, i128> = BTreeMap::new();
    for c in &out.cells {
        *allocated.entry(c.key.metric).or_default() +=
            c.central + c.shares.iter().map(|(_, u)| u).sum::<i128>();
    }
    for (m, input) in &cells.input_by_metric() {
        let got = allocated.get(m).copied().unwrap_or(0);
        if got != *input {
            return Err(EngineError::Invariant(format!(
                "metric {}: {got} units allocated but {input} units read",
                model.metrics[*m].id
            )));
        }
    }
    Ok(())
}

/// The summary figure rows of a cell, `central` included when a central share is in
/// force (SPEC §7).
pub fn cell_rows(c: &CellResult) -> Vec<(String, i128)> {
    let mut rows = c.shares.clone();
    if c.central_ratio.is_some() {
        rows.push((CENTRAL.to_string(), c.central));
    }
    rows
}

/// Exact n · r for a rational, exposed for traces.
pub fn exact_share(n: i128, r: &Ratio) -> Ratio {
    ri(n) * r
}
