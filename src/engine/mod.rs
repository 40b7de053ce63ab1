//! The engine: cells → allocations, exact and free of I/O.
//!
//! `compute` first gathers the cells a rule shares (`gather`: the statutory levels kept
//! on each record cell, pool components handed to their pool, deductions), then walks
//! them in period order — so that year-to-date state (`ytd`) flows forward — asks the
//! rule for exact shares (`rules`), rounds them by largest remainder (`allocate`) and
//! checks the conservation invariant on every cell and every metric. Every step it
//! takes is kept in the results (levels' exact parts, the year-to-date split, what a
//! cap or floor moved, what decided each leftover unit): `explain` renders that record.

pub mod accounts;
pub mod allocate;
pub mod books;
pub mod cells;
mod gather;
pub mod obligations;
pub mod project;
pub mod rules;
pub mod settle;
pub mod sweep;
mod ytd;

use crate::diag::Diag;
use crate::model::{CENTRAL, DEDUCTION, Model, RuleKind};
use crate::msg;
use crate::num::{Ratio, ri};
use crate::period::Period;
use allocate::{PartyAlloc, largest_remainder, times};
use cells::{CellKey, Cells};
use rules::RuleCtx;
use std::collections::BTreeMap;

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
    /// How the rule divided YTD_m (base kept and increment, bracket portions).
    pub split: rules::Split,
    /// What the cap and floor steps moved at YTD_m, when the rule has them.
    pub modifiers: Option<rules::Modifiers>,
}

/// A statutory part of a cell (SPEC §8.1): round½↑(total × ratio), on its own.
#[derive(Debug, Clone)]
pub struct Level {
    pub party: String,
    pub ratio: Ratio,
    /// total × ratio, exact, in units: what was rounded.
    pub exact: Ratio,
    pub units: i128,
}

/// The result of one cell.
#[derive(Debug, Clone)]
pub struct CellResult {
    pub key: CellKey,
    /// Σ amounts of the cell's records (for a pool cell: Σ of its components' T).
    pub total: i128,
    pub records: u64,
    pub year: Option<u32>,
    /// The levels in force (`central` among them), each rounded on its own; empty
    /// when none is in force. Every one gets a row, 0 included.
    pub levels: Vec<Level>,
    /// D, the sum of the cell's deduction lines, when it has at least one.
    pub deduction: Option<i128>,
    /// Indices of those lines in the run's deductions.
    pub deduction_lines: Vec<usize>,
    /// Shareable amount T = total − Σ levels − D (for a pool's component: the part it
    /// gives the pool).
    pub t: i128,
    /// The ratios used (proportional rules), for traces.
    pub ratios: Option<Vec<(String, Ratio)>>,
    /// Largest-remainder allocation of T (proportional rules).
    pub alloc: Vec<PartyAlloc>,
    pub ytd: Option<YtdTrace>,
    /// The figures of this cell, one per party named (sorted; levels not included).
    pub shares: Vec<(String, i128)>,
    /// For a component of a pool: the pool cell that shares its T (it has no shares).
    pub pooled_in: Option<CellKey>,
    /// For a pool cell: its component cells.
    pub components: Vec<CellKey>,
}

impl CellResult {
    /// Σ of the level parts.
    pub fn kept(&self) -> i128 {
        self.levels.iter().map(|l| l.units).sum()
    }

    /// The central part and its ratio, if `central` is a level in force.
    pub fn central(&self) -> Option<&Level> {
        self.levels.iter().find(|l| l.party == CENTRAL)
    }
}

/// All results of a run, in cell order.
#[derive(Debug, Default)]
pub struct Outcome {
    pub cells: Vec<CellResult>,
    /// What guarantees and returns make due (SPEC §14), in zone and obligation order.
    pub obligations: Vec<obligations::Due>,
}

impl Outcome {
    /// The result of the cell with `key`.
    pub fn cell(&self, key: &CellKey) -> Option<&CellResult> {
        self.cells
            .binary_search_by(|c| c.key.cmp(key))
            .ok()
            .map(|i| &self.cells[i])
    }
}

/// Compute every cell.
pub fn compute(model: &Model, cells: &Cells) -> Result<Outcome, EngineError> {
    let mut out = Outcome::default();
    let mut errors = Vec::new();
    let sharing = gather::gather(model, cells, &mut out);
    // 3. The rules, in cell order, so that year-to-date state flows forward.
    // (zone, metric, agreement, rule, year) → (period, Σ T before it, Σ T including it)
    let mut formula_ytd = ytd::Running::default();
    let mut ytd = ytd::Ytd::default();
    for (key, acc) in &sharing {
        let zone = &model.zones[key.zone];
        let metric = &model.metrics[key.metric];
        let ag = &zone.agreements[key.agreement];
        let rule = &ag.rules[key.rule];
        let kept: i128 = acc.levels.iter().map(|l| l.units).sum();
        let t = acc.total - kept - acc.deduction.unwrap_or(0);
        let year = if acc.mixed { None } else { acc.year };
        let ytd_before = formula_ytd.before(key, t);
        let ctx = RuleCtx {
            rule,
            metric,
            host: &zone.host,
            period: key.period,
            sub: key.sub,
            year: year.or(if matches!(rule.kind, RuleKind::Formula { .. }) {
                Some(key.sub)
            } else {
                None
            }),
            t_units: t,
            ytd_units: ytd_before,
        };
        let where_ = || {
            msg!(
                "E0325",
                period = key.period,
                zone = zone.id,
                metric = metric.id,
                agreement = ag.id,
                rule = rule.id
            )
            .text
        };
        let fail = |m: crate::i18n::Msg| Diag::new(&rule.loc.file, rule.loc.line, &where_(), m);
        let mut result = CellResult {
            key: *key,
            total: acc.total,
            records: acc.records,
            year,
            levels: acc.levels.clone(),
            deduction: acc.deduction,
            deduction_lines: acc.lines.clone(),
            t,
            ratios: None,
            alloc: Vec::new(),
            ytd: None,
            shares: Vec::new(),
            pooled_in: None,
            components: acc.components.clone(),
        };
        let phase = if matches!(rule.kind, RuleKind::Schedule { .. }) {
            key.sub as usize
        } else {
            0
        };
        let mut named = rule.named_parties(phase);
        if rule.is_ytd() {
            match ytd.share(&ctx, key, t, &mut named) {
                Ok((shares, trace)) => {
                    result.shares = shares;
                    result.ytd = Some(trace);
                }
                Err(m) => {
                    errors.push(fail(m));
                    continue;
                }
            }
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
        let sum: i128 =
            result.shares.iter().map(|(_, u)| u).sum::<i128>() + kept + acc.deduction.unwrap_or(0);
        if sum != acc.total {
            return Err(EngineError::Invariant(
                msg!("E0326", cell = where_(), sum = sum, total = acc.total).text,
            ));
        }
        out.cells.push(result);
    }
    if !errors.is_empty() {
        return Err(EngineError::Cells(errors));
    }
    out.cells.sort_by_key(|c| c.key);
    check_metric_totals(model, cells, &out)?;
    out.obligations = obligations::due(model, &out);
    Ok(out)
}

/// Σ allocated per metric (central included) must equal Σ input per metric, which the
/// reader summed independently of the cells.
fn check_metric_totals(model: &Model, cells: &Cells, out: &Outcome) -> Result<(), EngineError> {
    // A component counts its levels and the T it gives its pool; a pool cell its
    // rows less what its components gave it, so every metric balances on its own.
    let mut allocated: BTreeMap<usize, i128> = BTreeMap::new();
    for c in &out.cells {
        let rows: i128 = cell_rows(c).iter().map(|(_, u)| u).sum();
        let v = if c.pooled_in.is_some() {
            rows + c.t
        } else if !c.components.is_empty() {
            rows - c.total
        } else {
            rows
        };
        *allocated.entry(c.key.metric).or_default() += v;
    }
    let inputs = cells.input_by_metric();
    for (m, got) in &allocated {
        if !inputs.contains_key(m) && *got != 0 {
            return Err(EngineError::Invariant(
                msg!("E0327", metric = model.metrics[*m].id, got = got).text,
            ));
        }
    }
    for (m, input) in &inputs {
        let got = allocated.get(m).copied().unwrap_or(0);
        if got != *input {
            return Err(EngineError::Invariant(
                msg!(
                    "E0328",
                    metric = model.metrics[*m].id,
                    got = got,
                    input = input
                )
                .text,
            ));
        }
    }
    Ok(())
}

/// The summary figure rows of a cell: the parties, every level in force (SPEC §7,
/// §8.1) and `deduction` when the cell has deduction lines (§8.2).
impl Outcome {
    /// Every figure of the cells as a posting (`ledger`): each party's share under its
    /// rule, each level's part, each cell's deductions — the rows of `summary.csv`,
    /// with why each is there.
    pub fn postings(&self) -> Vec<crate::ledger::Posting> {
        use crate::ledger::{Account, Cause, Posting};
        let mut out = Vec::new();
        for c in &self.cells {
            let k = &c.key;
            let post = |party: &str, units: i128, cause: Cause| Posting {
                period: k.period,
                zone: Some(k.zone),
                account: Account::Metric(k.metric),
                party: party.to_string(),
                units,
                cause,
            };
            for (party, units) in &c.shares {
                out.push(post(
                    party,
                    *units,
                    Cause::Rule {
                        agreement: k.agreement,
                        rule: k.rule,
                        phase: k.sub,
                    },
                ));
            }
            for l in &c.levels {
                out.push(post(&l.party, l.units, Cause::Level));
            }
            if let Some(d) = c.deduction {
                out.push(post(
                    DEDUCTION,
                    d,
                    Cause::Deduction {
                        groups: c.deduction_lines.clone(),
                    },
                ));
            }
        }
        out.extend(obligations::postings(&self.obligations));
        out
    }
}

pub fn cell_rows(c: &CellResult) -> Vec<(String, i128)> {
    let mut rows = c.shares.clone();
    rows.extend(c.levels.iter().map(|l| (l.party.clone(), l.units)));
    if let Some(d) = c.deduction {
        rows.push((DEDUCTION.to_string(), d));
    }
    rows
}

/// Year-to-date rules whose first cell of a year is not in the year's first period
/// (nor in the first period of an agreement that starts later that year): fed a
/// month alone, such a rule would share it as if the year began there (SPEC §9.3).
/// Returns (zone, metric, first period seen), once each.
pub fn ytd_late_starts(model: &Model, outcome: &Outcome) -> Vec<(usize, usize, Period)> {
    let mut first: BTreeMap<(usize, usize, usize, usize, i32), Period> = BTreeMap::new();
    for c in outcome.cells.iter().filter(|c| c.pooled_in.is_none()) {
        let k = &c.key;
        let rule = &model.zones[k.zone].agreements[k.agreement].rules[k.rule];
        if rule.is_ytd() {
            first
                .entry((k.zone, k.metric, k.agreement, k.rule, k.period.year))
                .or_insert(k.period);
        }
    }
    let mut out: Vec<(usize, usize, Period)> = Vec::new();
    for ((zone, metric, agreement, _, _), p) in first {
        let ag = &model.zones[zone].agreements[agreement];
        let starts_here = p.first_day() <= ag.from && ag.from <= p.last_day();
        let year_start = p.first_month() == 1;
        if !year_start && !starts_here && !out.iter().any(|(z, m, _)| *z == zone && *m == metric) {
            out.push((zone, metric, p));
        }
    }
    out
}

/// Exact n · r for a rational, exposed for traces.
pub fn exact_share(n: i128, r: &Ratio) -> Ratio {
    ri(n) * r
}
