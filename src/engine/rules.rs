//! The rule kinds (SPEC §3): from a cell's context to exact shares.
//!
//! Proportional rules (`fixed`, `schedule`, `weighted`, `formula`) yield ratios r_i and
//! the exact shares n·r_i. Year-to-date rules (`base_increment`, `tiered`, and any rule
//! with `floor`/`cap`) yield exact shares of the year-to-date total directly. Everything
//! is in units of the metric's quantum and exact; rounding is `allocate`'s job.

use super::allocate::{pro_rata, times};
use crate::formula::Env;
use crate::model::{Base, FormulaPart, Metric, Rule, RuleKind, Shares};
use crate::msg;
use crate::num::{Ratio, ratio_text, ri};
use crate::period::Period;
use num_traits::{One, Signed, Zero};

/// What a rule may look at for one cell.
pub struct RuleCtx<'a> {
    pub rule: &'a Rule,
    pub metric: &'a Metric,
    pub host: &'a str,
    pub period: Period,
    /// Schedule phase index or formula year index (see `CellKey::sub`).
    pub sub: u32,
    pub year: Option<u32>,
    /// The cell's shareable amount T, in units.
    pub t_units: i128,
    /// Σ T of the earlier periods of the same year (formula `ytd`), in units.
    pub ytd_units: i128,
}

impl RuleCtx<'_> {
    fn to_money(&self, units: i128) -> Ratio {
        ri(units) * &self.metric.quantum.value
    }
    fn to_units(&self, money: &Ratio) -> Ratio {
        money / &self.metric.quantum.value
    }
}

/// The ratios of a proportional rule (or of the proportional core of a rule with
/// modifiers). `base_increment` and `tiered` have none.
pub fn ratios(ctx: &RuleCtx<'_>) -> Result<Option<Shares>, crate::i18n::Msg> {
    Ok(Some(match &ctx.rule.kind {
        RuleKind::Fixed { shares } => shares.clone(),
        RuleKind::Schedule { phases, .. } => phases
            .get(ctx.sub as usize)
            .ok_or_else(|| crate::msg!("E0333"))?
            .shares
            .clone(),
        RuleKind::Weighted { ratios, .. } => ratios.clone(),
        RuleKind::Formula { parts, .. } => formula_ratios(ctx, parts)?,
        RuleKind::BaseIncrement { .. } | RuleKind::Tiered { .. } => return Ok(None),
    }))
}

fn formula_ratios(
    ctx: &RuleCtx<'_>,
    parts: &[(String, FormulaPart)],
) -> Result<Shares, crate::i18n::Msg> {
    /// At most ~150 decimal digits in a formula's ratio.
    const MAX_RATIO_BITS: u64 = 512;
    let env = Env {
        year: ctx.year,
        month: ctx.period.first_month(),
        amount: ctx.to_money(ctx.t_units),
        ytd: ctx.to_money(ctx.ytd_units),
    };
    let mut out = Vec::new();
    let mut sum = Ratio::zero();
    let mut rest = None;
    for (party, part) in parts {
        match part {
            FormulaPart::Rest => rest = Some(party.clone()),
            FormulaPart::Expr { source, expr } => {
                let r = expr
                    .eval(&env)
                    .map_err(|e| msg!("E0317", party = party, source = source, reason = e.0))?;
                // A ratio of hundreds of digits (a product of many tiny factors) would
                // make every exact share that follows cost seconds: refuse it.
                if r.denom().bits() > MAX_RATIO_BITS || r.numer().bits() > MAX_RATIO_BITS {
                    return Err(msg!(
                        "E0335",
                        party = party,
                        source = source,
                        digits = r.denom().to_string().len()
                    ));
                }
                if r.is_negative() || r > Ratio::one() {
                    return Err(msg!(
                        "E0318",
                        party = party,
                        source = source,
                        value = ratio_text(&r)
                    ));
                }
                sum += &r;
                out.push((party.clone(), r));
            }
        }
    }
    match rest {
        Some(p) => {
            let r = Ratio::one() - &sum;
            if r.is_negative() {
                return Err(msg!("E0319", party = p, sum = ratio_text(&sum)));
            }
            out.push((p, r));
        }
        None if sum != Ratio::one() => {
            return Err(msg!("E0320", sum = ratio_text(&sum)));
        }
        None => {}
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Exact shares, in units, of the year-to-date total `y` for a year-to-date rule.
/// What the floor and cap steps did to a year-to-date allocation: the rule's own exact
/// shares, and those after the cap step (the final ones are after the floor step).
#[derive(Debug, Clone)]
pub struct Modifiers {
    pub before: Vec<(String, Ratio)>,
    pub after_cap: Vec<(String, Ratio)>,
}

/// How a year-to-date rule divided YTD before the cap and floor steps, in units (SPEC
/// §4.4): what `explain` shows as the method, recorded where it was computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// base_increment: the year's base, what the base owner kept (min(YTD, base)) and
    /// the increment max(YTD − base, 0) shared by the rule's shares.
    Base {
        base: Ratio,
        kept: Ratio,
        increment: Ratio,
    },
    /// base_increment on a negative YTD: all of it to the base owner.
    BaseNegative,
    /// tiered: YTD's portion in each bracket, lowest first, up to the bracket YTD
    /// reaches (a negative YTD is one portion, at the first bracket's shares).
    Tiers { portions: Vec<Ratio> },
    /// A ratio rule's shares of YTD.
    Ratios,
}

pub fn ytd_shares(ctx: &RuleCtx<'_>, y: i128) -> Result<Vec<(String, Ratio)>, crate::i18n::Msg> {
    ytd_shares_traced(ctx, y).map(|(s, _, _)| s)
}

/// `ytd_shares`, with how YTD was divided and what the cap and floor steps moved (when
/// the rule has them).
pub fn ytd_shares_traced(
    ctx: &RuleCtx<'_>,
    y: i128,
) -> Result<(Shares, Split, Option<Modifiers>), crate::i18n::Msg> {
    let yr = ri(y);
    let mut split = Split::Ratios;
    let mut shares: Vec<(String, Ratio)> = match &ctx.rule.kind {
        RuleKind::BaseIncrement {
            base_owner,
            base,
            shares,
        } => {
            let b = match base {
                Base::Plain(b) => b.clone(),
                Base::PerYear(map) => map
                    .get(&ctx.period.year)
                    .cloned()
                    .ok_or_else(|| msg!("E0321", rule = ctx.rule.id, year = ctx.period.year))?,
            };
            let b = ctx.to_units(&b);
            let mut out: Vec<(String, Ratio)> = shares
                .iter()
                .map(|(p, _)| (p.clone(), Ratio::zero()))
                .collect();
            add(&mut out, base_owner, Ratio::zero());
            if y < 0 {
                add(&mut out, base_owner, yr.clone());
                split = Split::BaseNegative;
            } else {
                let kept = if yr < b { yr.clone() } else { b.clone() };
                add(&mut out, base_owner, kept.clone());
                let inc = &yr - &kept;
                for (p, r) in shares {
                    add(&mut out, p, &inc * r);
                }
                split = Split::Base {
                    base: b,
                    kept,
                    increment: inc,
                };
            }
            out
        }
        RuleKind::Tiered { tiers } => {
            let mut out: Vec<(String, Ratio)> = Vec::new();
            for t in tiers {
                for (p, _) in &t.shares {
                    add(&mut out, p, Ratio::zero());
                }
            }
            let mut portions = Vec::new();
            if y < 0 {
                for (p, r) in &tiers[0].shares {
                    add(&mut out, p, &yr * r);
                }
                portions.push(yr.clone());
            } else {
                let mut lower = Ratio::zero();
                for t in tiers {
                    let upper = t.upto.as_ref().map(|u| ctx.to_units(u));
                    let top = match &upper {
                        Some(u) if *u < yr => u.clone(),
                        _ => yr.clone(),
                    };
                    if top > lower {
                        let portion = &top - &lower;
                        for (p, r) in &t.shares {
                            add(&mut out, p, &portion * r);
                        }
                        portions.push(portion);
                    }
                    match upper {
                        Some(u) => lower = u,
                        None => break,
                    }
                    if lower >= yr {
                        break;
                    }
                }
            }
            split = Split::Tiers { portions };
            out
        }
        _ => {
            let r = ratios(ctx)?.unwrap_or_default();
            r.iter().map(|(p, r)| (p.clone(), times(y, r))).collect()
        }
    };
    shares.sort_by(|a, b| a.0.cmp(&b.0));
    let mut moves = None;
    if y >= 0 && (!ctx.rule.cap.is_empty() || !ctx.rule.floor.is_empty()) {
        let before = shares.clone();
        apply_cap(ctx, &mut shares);
        let after_cap = shares.clone();
        apply_floor(ctx, &mut shares, &yr);
        moves = Some(Modifiers { before, after_cap });
    }
    Ok((shares, split, moves))
}

fn add(out: &mut Vec<(String, Ratio)>, party: &str, v: Ratio) {
    match out.iter_mut().find(|(p, _)| p == party) {
        Some((_, s)) => *s += v,
        None => out.push((party.to_string(), v)),
    }
}

/// Cut parties above their cap and give the excess to the uncapped parties in
/// proportion to their current shares, until no cap is exceeded; if nobody can take
/// it, the host does (SPEC §7).
fn apply_cap(ctx: &RuleCtx<'_>, shares: &mut Vec<(String, Ratio)>) {
    if ctx.rule.cap.is_empty() {
        return;
    }
    let caps: Vec<(String, Ratio)> = ctx
        .rule
        .cap
        .iter()
        .map(|(p, c)| (p.clone(), ctx.to_units(c)))
        .collect();
    let mut capped: Vec<String> = Vec::new();
    loop {
        let mut excess = Ratio::zero();
        for (p, s) in shares.iter_mut() {
            if let Some((_, c)) = caps.iter().find(|(cp, _)| cp == p)
                && *s > *c
            {
                excess += &*s - c;
                *s = c.clone();
                if !capped.contains(p) {
                    capped.push(p.clone());
                }
            }
        }
        if excess.is_zero() {
            return;
        }
        let idx: Vec<usize> = (0..shares.len())
            .filter(|i| !capped.contains(&shares[*i].0))
            .collect();
        let weights: Vec<Ratio> = idx.iter().map(|i| shares[*i].1.clone()).collect();
        if weights.iter().all(Zero::is_zero) {
            add(shares, ctx.host, excess);
            shares.sort_by(|a, b| a.0.cmp(&b.0));
            return;
        }
        for (i, part) in idx.iter().zip(pro_rata(&excess, &weights)) {
            shares[*i].1 += part;
        }
    }
}

/// Raise parties below min(floor, Y) to it: the top-up comes from the parties without a
/// floor in proportion to their shares, then from floored parties above their floors;
/// if the floors together exceed Y, Y is split in proportion to the floors.
fn apply_floor(ctx: &RuleCtx<'_>, shares: &mut [(String, Ratio)], y: &Ratio) {
    if ctx.rule.floor.is_empty() {
        return;
    }
    let floor_of = |p: &str| {
        ctx.rule
            .floor
            .iter()
            .find(|(fp, _)| fp == p)
            .map(|(_, f)| ctx.to_units(f))
    };
    let floors: Vec<Option<Ratio>> = shares.iter().map(|(p, _)| floor_of(p)).collect();
    let total_floor: Ratio = floors.iter().flatten().cloned().sum();
    if total_floor > *y {
        let ws: Vec<Ratio> = floors
            .iter()
            .map(|f| f.clone().unwrap_or_else(Ratio::zero))
            .collect();
        for ((_, s), v) in shares.iter_mut().zip(pro_rata(y, &ws)) {
            *s = v;
        }
        return;
    }
    let mut deficit = Ratio::zero();
    for ((_, s), f) in shares.iter_mut().zip(&floors) {
        if let Some(f) = f
            && *s < *f
        {
            deficit += f - &*s;
            *s = f.clone();
        }
    }
    if deficit.is_zero() {
        return;
    }
    // First source: the parties without a floor.
    let src1: Vec<usize> = (0..shares.len()).filter(|i| floors[*i].is_none()).collect();
    let avail1: Ratio = src1.iter().map(|i| shares[*i].1.clone()).sum();
    let take1 = if avail1 < deficit {
        avail1.clone()
    } else {
        deficit.clone()
    };
    if !take1.is_zero() {
        let ws: Vec<Ratio> = src1.iter().map(|i| shares[*i].1.clone()).collect();
        for (i, part) in src1.iter().zip(pro_rata(&take1, &ws)) {
            shares[*i].1 -= part;
        }
    }
    let rest = deficit - take1;
    if rest.is_zero() {
        return;
    }
    // Second source: floored parties above their floors.
    let src2: Vec<usize> = (0..shares.len())
        .filter(|i| floors[*i].as_ref().is_some_and(|f| shares[*i].1 > *f))
        .collect();
    let ws: Vec<Ratio> = src2
        .iter()
        .map(|i| &shares[*i].1 - floors[*i].clone().unwrap_or_else(Ratio::zero))
        .collect();
    for (i, part) in src2.iter().zip(pro_rata(&rest, &ws)) {
        shares[*i].1 -= part;
    }
}
