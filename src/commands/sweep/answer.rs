//! The answer to a sweep's target (`--target "chengdu>=2700000"`): where the condition
//! holds on the grid, each change refined by bisection (`engine::sweep`), in words.

use super::grid::{Point, Sweeper};
use crate::error::Error;
use crate::msg;
use crate::num::{format_scaled, parse_scaled};
use crate::output::sweep::Answer;

pub use crate::engine::sweep::TARGET_DECIMALS;

/// A condition on a party's total: `chengdu>=2700000`, `aba<=100`; `aba=100` is the
/// older spelling of `aba>=100` ("first reaches").
#[derive(Debug, Clone)]
pub struct Condition {
    pub party: String,
    pub at_least: bool,
    pub amount: String,
}

impl Condition {
    pub fn parse(spec: &str) -> Result<Condition, Error> {
        let bad = || Error::Usage(msg!("E0654", spec = spec));
        let (party, at_least, amount) = if let Some((p, a)) = spec.split_once(">=") {
            (p, true, a)
        } else if let Some((p, a)) = spec.split_once("<=") {
            (p, false, a)
        } else if let Some((p, a)) = spec.split_once('=') {
            (p, true, a)
        } else {
            return Err(bad());
        };
        let (party, amount) = (party.trim(), amount.trim());
        if party.is_empty() || amount.is_empty() {
            return Err(bad());
        }
        Ok(Condition {
            party: party.to_string(),
            at_least,
            amount: amount.to_string(),
        })
    }

    fn text(&self) -> String {
        format!(
            "{} {} {}",
            self.party,
            if self.at_least { "≥" } else { "≤" },
            self.amount
        )
    }
}

pub(super) fn answer(
    sw: &Sweeper<'_, '_>,
    points: &[Point],
    cond: &Condition,
    d: u32,
) -> Result<Answer, Error> {
    let pi = sw
        .parties
        .iter()
        .position(|p| *p == cond.party)
        .ok_or_else(|| {
            Error::Usage(msg!(
                "E0658",
                party = cond.party,
                parties = sw.parties.join(", "),
                hint = crate::suggest::hint(&cond.party, sw.parties.iter())
            ))
        })?;
    let want = parse_scaled(&cond.amount, sw.decimals).map_err(|e| {
        Error::Usage(msg!(
            "E0655",
            what = "--target",
            text = cond.amount,
            reason = e
        ))
    })?;
    let holds = |t: i128| if cond.at_least { t >= want } else { t <= want };
    let flags: Vec<bool> = points.iter().map(|p| holds(p.totals[pi])).collect();
    let range = format!(
        "{}–{}",
        format_scaled(points[0].value, d),
        format_scaled(points.last().map_or(0, |p| p.value), d)
    );
    let over = sw.eval.over();
    if flags.iter().all(|f| *f) {
        return Ok(Answer {
            holds: "everywhere",
            boundary: None,
            crossings: Vec::new(),
            text: msg!("E0659", target = cond.text(), range = range, over = over).text,
            mark: None,
        });
    }
    if flags.iter().all(|f| !*f) {
        let best = points.iter().map(|p| p.totals[pi]).max().unwrap_or(0);
        let worst = points.iter().map(|p| p.totals[pi]).min().unwrap_or(0);
        return Ok(Answer {
            holds: "nowhere",
            boundary: None,
            crossings: Vec::new(),
            text: msg!(
                "E0660",
                target = cond.text(),
                range = range,
                party = cond.party,
                low = format_scaled(worst, sw.decimals),
                high = format_scaled(best, sw.decimals),
                over = over
            )
            .text,
            mark: None,
        });
    }
    let mut crossings = Vec::new();
    let mut words = Vec::new();
    let mut mark = None;
    for i in crate::engine::sweep::changes(&flags) {
        {
            let mut holds_at = |v: i128, fd: u32| -> Result<bool, Error> {
                Ok(holds(sw.point(v, fd)?.totals[pi]))
            };
            let (v, fd, starts) = crate::engine::sweep::bisect(
                points[i].value,
                points[i + 1].value,
                d,
                &mut holds_at,
            )?;
            let at = sw.point(v, fd)?.totals[pi];
            let text = format_scaled(v, fd);
            // What the party gets there, and between which grid values it was found.
            let detail = msg!(
                "E0661",
                party = cond.party,
                amount = format_scaled(at, sw.decimals),
                low = format_scaled(points[i].value, d),
                high = format_scaled(points[i + 1].value, d)
            )
            .text;
            let head = if starts {
                msg!("E0662", value = text)
            } else {
                msg!("E0663", value = text)
            };
            words.push((head.text, detail));
            mark.get_or_insert(text.parse::<f64>().unwrap_or(0.0));
            crossings.push((text, starts));
        }
    }
    let fd = TARGET_DECIMALS.max(d);
    let (boundary, text) = if crossings.len() == 1 {
        let (v, starts) = &crossings[0];
        let how = if *starts {
            msg!("E0664", value = v)
        } else {
            msg!("E0665", value = v)
        };
        (
            Some(v.clone()),
            msg!(
                "E0666",
                target = cond.text(),
                how = how,
                detail = words[0].1,
                decimals = fd,
                over = over
            )
            .text,
        )
    } else {
        (
            None,
            msg!(
                "E0667",
                target = cond.text(),
                count = crossings.len(),
                list = words
                    .iter()
                    .map(|(h, d)| msg!("E0668", head = h, detail = d).text)
                    .collect::<Vec<_>>()
                    .join("; "),
                over = over
            )
            .text,
        )
    };
    Ok(Answer {
        holds: "between",
        boundary,
        crossings,
        text,
        mark,
    })
}
