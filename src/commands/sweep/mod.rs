//! `fencheng sweep`: each party's totals for every value of one parameter, and the
//! answer to a negotiator's question — "the highest aba ratio that keeps chengdu at or
//! above 2,700,000" — found exactly on the grid, then by bisection to 6 decimals.
//!
//! The grid is built from exact decimals (A + k·S, so 0.3 is 0.3); the records are read
//! once (`evaluate`); over the agreement's life (`--over life`) every value is shared
//! on the projected records.

mod answer;
mod grid;

use super::evaluate::Evaluator;
use super::project::{growth, is_level};
use super::{load_negotiated, parse_sets};
use crate::cli::{Over, SweepArgs};
use crate::error::Error;
use crate::msg;
use crate::num::parse_scaled;
use answer::answer;
pub use answer::{Condition, TARGET_DECIMALS};
use grid::{Sweeper, dec, scope, scope_text};

/// `fencheng sweep`.
pub fn sweep(req: &SweepArgs) -> Result<String, Error> {
    let format = req.format;
    let sets = parse_sets(&req.overrides.set)?;
    // The sweep itself may leave the band; rows outside are marked, not refused.
    let (signed, base, _) = load_negotiated(&req.inputs.config, &req.scenarios, &sets, true)?;
    let grid = req;
    let d = dec(&grid.from, "--from")?
        .1
        .max(dec(&grid.to, "--to")?.1)
        .max(dec(&grid.step, "--step")?.1);
    let scaled = |text: &str, what: &str| {
        parse_scaled(text, d)
            .map_err(|e| Error::Usage(msg!("E0655", what = what, text = text, reason = e)))
    };
    let from = scaled(&grid.from, "--from")?;
    let to = scaled(&grid.to, "--to")?;
    let step = scaled(&grid.step, "--step")?;
    if step <= 0 || to < from {
        return Err(Error::Usage(msg!("E0669")));
    }
    if (to - from) / step > 10_000 {
        return Err(Error::Usage(msg!("E0670")));
    }
    let cond = req.target.as_deref().map(Condition::parse).transpose()?;
    let life = if req.over == Over::Life {
        Some((
            growth(&base, &req.growth.growth, req.growth.growth_file.as_deref())?,
            req.until,
            req.growth.grow_deductions,
        ))
    } else {
        None
    };
    let scope = scope(&base, &grid.vary, &req.filter);
    let eval = Evaluator::new(base, &req.inputs, life)?;
    let decimals = scope
        .1
        .iter()
        .map(|m| eval.base.metrics[*m].quantum.decimals)
        .max()
        .unwrap_or(2);
    let probe = Sweeper {
        eval: &eval,
        signed: &signed,
        vary: &grid.vary,
        scope: scope.clone(),
        parties: Vec::new(),
        decimals,
    };
    // Parties: everyone with a row in the scope at the first value; the statutory
    // levels only when asked; the target's party always.
    let first = probe.model_at(from, d)?;
    let mut parties: Vec<String> = eval
        .totals(&first)?
        .into_iter()
        .filter(|((z, m, p), (_, mi))| {
            probe.in_scope(z, *mi)
                && (req.levels || !is_level(&first, z, m, p))
                && (req.filter.party.as_deref().is_none_or(|f| f == p)
                    || cond.as_ref().is_some_and(|c| c.party == *p))
        })
        .map(|((_, _, p), _)| p)
        .collect();
    parties.sort();
    parties.dedup();
    let sw = Sweeper { parties, ..probe };
    let mut points = Vec::new();
    let mut v = from;
    while v <= to {
        points.push(sw.point(v, d)?);
        v += step;
    }
    let ans = match &cond {
        Some(c) => Some(answer(&sw, &points, c, d)?),
        None => None,
    };
    let view = crate::output::sweep::View {
        model: &eval.base,
        vary: &grid.vary,
        over: eval.over(),
        scope: scope_text(&eval.base, &sw.scope),
        zone: sw.scope.0.as_deref(),
        metrics: &sw.scope.1,
        parties: &sw.parties,
        points: points
            .iter()
            .map(|p| (p.value, p.totals.clone(), p.outside.clone()))
            .collect(),
        d,
        decimals,
        target: cond
            .as_ref()
            .map(|c| (c.party.as_str(), c.at_least, c.amount.as_str())),
        answer: ans.as_ref(),
    };
    if let Some(path) = req.chart.as_deref() {
        crate::output::chart::write(path, &view.chart())?;
    }
    Ok(view.render(format))
}
