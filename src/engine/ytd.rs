//! Year-to-date rules (SPEC §4.4): a month's shares are A(YTD_m) − A(YTD_m−1), the
//! allocation of the year-to-date total less the allocation of the total before it, so
//! that the months of a year add up to the allocation of the year. The state flows
//! forward in cell order: per (zone, metric, agreement, rule, entity phase, year) the
//! total so far and its allocation.

use super::YtdTrace;
use super::allocate::largest_remainder;
use super::cells::CellKey;
use super::rules::{self, RuleCtx};
use crate::i18n::Msg;
use crate::model::Anchor;
use crate::period::Period;
use std::collections::HashMap;

/// (zone, metric, agreement, rule, entity phase or 0, calendar year).
type YtdKey = (usize, usize, usize, usize, u32, i32);

/// The state of every year-to-date rule's cells so far.
#[derive(Default)]
pub(super) struct Ytd {
    state: HashMap<YtdKey, (i128, Vec<(String, i128)>)>,
}

impl Ytd {
    /// The month's shares of the cell `key` of a year-to-date rule whose T is `t`, and
    /// the trace of how they came about; `named` gains every party allocated now or
    /// before.
    pub(super) fn share(
        &mut self,
        ctx: &RuleCtx<'_>,
        key: &CellKey,
        t: i128,
        named: &mut Vec<String>,
    ) -> Result<(Vec<(String, i128)>, YtdTrace), Msg> {
        let entity = ctx.rule.anchor() == Some(Anchor::EntityStart);
        let yk = (
            key.zone,
            key.metric,
            key.agreement,
            key.rule,
            if entity { key.sub } else { 0 },
            key.period.year,
        );
        let (y_prev, prev) = self.state.get(&yk).cloned().unwrap_or_default();
        let y = y_prev + t;
        let (exact, split, modifiers) = rules::ytd_shares_traced(ctx, y)?;
        let alloc = largest_remainder(y, &exact)?;
        let now: Vec<(String, i128)> = alloc.iter().map(|a| (a.party.clone(), a.units)).collect();
        for (p, _) in now.iter().chain(prev.iter()) {
            if !named.contains(p) {
                named.push(p.clone());
            }
        }
        named.sort();
        let get =
            |v: &[(String, i128)], p: &str| v.iter().find(|(q, _)| q == p).map_or(0, |(_, u)| *u);
        let shares = named
            .iter()
            .map(|p| (p.clone(), get(&now, p) - get(&prev, p)))
            .collect();
        let trace = YtdTrace {
            y_prev,
            y,
            prev,
            alloc,
            split,
            modifiers,
        };
        self.state.insert(yk, (y, now));
        Ok((shares, trace))
    }
}

/// (zone, metric, agreement, rule, calendar year).
type RunningKey = (usize, usize, usize, usize, i32);

/// The running total of T per (zone, metric, agreement, rule, calendar year), for the
/// `ytd` of formula rules: the total of the months before the cell's.
#[derive(Default)]
pub(super) struct Running {
    /// → (the latest period, Σ T before it, Σ T including it).
    sums: HashMap<RunningKey, (Period, i128, i128)>,
}

impl Running {
    /// Σ T of the earlier periods of the cell's year; adds the cell's `t`.
    pub(super) fn before(&mut self, key: &CellKey, t: i128) -> i128 {
        let k = (
            key.zone,
            key.metric,
            key.agreement,
            key.rule,
            key.period.year,
        );
        let e = self.sums.entry(k).or_insert((key.period, 0, 0));
        if e.0 != key.period {
            *e = (key.period, e.2, e.2);
        }
        let before = e.1;
        e.2 += t;
        before
    }
}
