//! Each step the engine recorded, in words: the year-to-date split, a level's exact
//! part and its rounding, the caps and floors that bind, and what decided each leftover
//! unit of the largest remainder.

use super::*;
use crate::engine::CellResult;
use crate::engine::allocate::{PartyAlloc, Won};
use crate::engine::rules::Split;
use crate::model::{Model, RuleKind};
use crate::num::{Ratio, exact_text, format_scaled, ratio_text, ri};

/// One sentence on how a year-to-date rule turned YTD into exact shares: the
/// engine's record of the split (`Split`), in money, with the rule's terms.
pub fn ytd_method(
    rule: &crate::model::Rule,
    split: &Split,
    q: &crate::model::Quantum,
    year: i32,
) -> String {
    let money = |units: &Ratio| exact_text(&(units * &q.value));
    let terms = |shares: &[(String, Ratio)]| -> String {
        shares
            .iter()
            .map(|(p, r)| format!("{p} {}", ratio_text(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    match (&rule.kind, split) {
        (RuleKind::BaseIncrement { base_owner, .. }, Split::BaseNegative) => {
            parts.push(crate::i18n::tr(
                "YTD is negative, so all of it goes to the base owner {}",
                &[&base_owner],
            ));
        }
        (
            RuleKind::BaseIncrement {
                base_owner, shares, ..
            },
            Split::Base {
                base,
                kept,
                increment,
            },
        ) => parts.push(crate::i18n::tr("base for {} = {}: the base owner {} keeps min(YTD, base) = {}; the increment max(YTD − base, 0) = {} is split {}", &[&year, &money(base), &base_owner, &money(kept), &money(increment), &terms(shares)])),
        (RuleKind::Tiered { tiers }, Split::Tiers { portions }) => {
            let t: Vec<String> = tiers
                .iter()
                .map(|t| match &t.upto {
                    Some(u) => crate::i18n::tr("up to {}: {}", &[&exact_text(u), &terms(&t.shares)]),
                    None => crate::i18n::tr("above: {}", &[&terms(&t.shares)]),
                })
                .collect();
            parts.push(crate::i18n::tr(
                "progressive brackets on YTD ({})",
                &[&t.join("; ")],
            ));
            let p: Vec<String> = portions.iter().map(money).collect();
            parts.push(crate::i18n::tr("YTD in each bracket: {}", &[&p.join(", ")]));
        }
        _ => parts.push(crate::i18n::tr(
            "the rule's {} shares of YTD",
            &[&rule.kind.name()],
        )),
    }
    if !rule.cap.is_empty() {
        parts.push(crate::i18n::tr("then caps: a party above its cap is cut to it and the excess goes to the uncapped parties in proportion", &[]));
    }
    if !rule.floor.is_empty() {
        parts.push(crate::i18n::tr("then floors: a party below min(floor, YTD) is raised to it from the parties without a floor, in proportion", &[]));
    }
    parts.join("; ")
}

/// A level of a cell as a trace: the exact part the engine rounded, and its rounding.
pub fn level_part(model: &Model, c: &CellResult, l: &crate::engine::Level) -> CentralTrace {
    let q = &model.metrics[c.key.metric].quantum;
    let money = |units: i128| format_scaled(units * q.scaled, q.decimals);
    let exact = exact_text(&(&l.exact * &q.value));
    CentralTrace {
        party: l.party.clone(),
        ratio: ratio_text(&l.ratio),
        exact: exact.clone(),
        rounded: money(l.units),
        rounding: crate::i18n::tr(
            "round half away from zero ({} × {} = {} → {})",
            &[
                &money(c.total),
                &ratio_text(&l.ratio),
                &exact,
                &money(l.units),
            ],
        ),
    }
}

/// A level of a cell as a trace, under its party.
pub fn level_trace(model: &Model, c: &CellResult, l: &crate::engine::Level) -> LevelTrace {
    LevelTrace {
        party: l.party.clone(),
        part: level_part(model, c, l),
    }
}

/// The floors and caps that bind at a year-to-date total, as the engine recorded them:
/// "qingchuan raised to its floor 5000000; the top-up 4120000.00 taken from guangyuan".
pub fn binding(
    rule: &crate::model::Rule,
    y: &crate::engine::YtdTrace,
    money: &dyn Fn(&Ratio) -> String,
) -> Vec<String> {
    let Some(m) = &y.modifiers else {
        return Vec::new();
    };
    let get = |v: &[(String, Ratio)], p: &str| {
        v.iter()
            .find(|(q, _)| q == p)
            .map_or_else(Ratio::default, |(_, r)| r.clone())
    };
    let fin: Vec<(String, Ratio)> = y
        .alloc
        .iter()
        .map(|a| (a.party.clone(), a.exact.clone()))
        .collect();
    let zero = Ratio::default();
    let mut out = Vec::new();
    let others = |from: &[(String, Ratio)], to: &[(String, Ratio)], sign: bool| -> String {
        let mut parts = Vec::new();
        for (p, a) in from {
            let d = get(to, p) - a;
            if (sign && d < zero) || (!sign && d > zero) {
                let d = if d < zero { -d } else { d };
                parts.push(format!("{p} {}", money(&d)));
            }
        }
        parts.join(", ")
    };
    for (p, cap) in &rule.cap {
        let (b, c) = (get(&m.before, p), get(&m.after_cap, p));
        if c < b {
            out.push(crate::i18n::tr(
                "{} cut to its cap {}; the excess {} given to {}",
                &[
                    &p,
                    &exact_text(cap),
                    &money(&(&b - &c)),
                    &others(&m.before, &m.after_cap, false),
                ],
            ));
        }
    }
    for (p, floor) in &rule.floor {
        let (c, f) = (get(&m.after_cap, p), get(&fin, p));
        if f > c {
            out.push(crate::i18n::tr(
                "{} raised to its floor {}; the top-up {} taken from {}",
                &[
                    &p,
                    &exact_text(floor),
                    &money(&(&f - &c)),
                    &others(&m.after_cap, &fin, true),
                ],
            ));
        }
    }
    out
}

/// The largest-remainder table, with the reason each leftover unit went where it did.
pub fn alloc_rows(
    alloc: &[PartyAlloc],
    n: i128,
    ratios: Option<&[(String, Ratio)]>,
    money: &dyn Fn(i128) -> String,
) -> Vec<AllocRow> {
    let ratio_of = |a: &PartyAlloc| -> Ratio {
        match ratios {
            Some(rs) => rs
                .iter()
                .find(|(p, _)| *p == a.party)
                .map_or_else(|| ri(0), |(_, r)| r.clone()),
            None if n != 0 => &a.exact / ri(n),
            None => ri(0),
        }
    };
    // Why each leftover unit went where it did is the engine's record of its ordering.
    alloc
        .iter()
        .map(|a| {
            let why = a.won.as_ref().map(|w| match w {
                Won::Everyone => crate::i18n::tr("every party receives a leftover unit", &[]),
                Won::Fraction { mine, over, theirs } => crate::i18n::tr(
                    "larger fractional part ({} > {} of {})",
                    &[&exact_text(mine), &exact_text(theirs), over],
                ),
                Won::Share { over, fraction } => crate::i18n::tr(
                    "fractional part ties with {} ({}); larger ratio wins",
                    &[over, &exact_text(fraction)],
                ),
                Won::Id { over } => crate::i18n::tr(
                    "fractional part and ratio tie with {}; '{}' sorts first",
                    &[over, &a.party],
                ),
            });
            AllocRow {
                party: a.party.clone(),
                ratio: ratio_text(&ratio_of(a)),
                exact_units: exact_text(&a.exact),
                whole_units: a.floor.to_string(),
                leftover: a.leftover,
                why,
                units: a.units.to_string(),
                amount: money(a.units),
            }
        })
        .collect()
}
