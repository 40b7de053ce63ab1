//! `fencheng sweep`: each party's totals for every value of one parameter, and the
//! answer to a negotiator's question — "the highest aba ratio that keeps chengdu at or
//! above 2,700,000" — found exactly on the grid, then by bisection to 6 decimals.
//!
//! The grid is built from exact decimals (A + k·S, so 0.3 is 0.3); the records are read
//! once (`evaluate`); over the agreement's life (`--over life`) every value is shared
//! on the projected records.

use super::evaluate::{Evaluator, Totals};
use super::project::{Filter, growth, is_level};
use super::{load_negotiated, parse_sets};
use crate::cli::{Inputs, Overrides};
use crate::config::overlay::{self, SetOp};
use crate::diag::Diag;
use crate::error::Error;
use crate::model::{MetricKind, Model};
use crate::msg;
use crate::num::{format_scaled, parse_scaled};
use crate::output::chart::{Chart, Series, thousands};
use crate::output::totals::{Format, table};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The exact grid of a sweep.
#[derive(Debug, Clone)]
pub struct Grid {
    pub vary: String,
    pub from: String,
    pub to: String,
    pub step: String,
}

/// Decimals a boundary is refined to by bisection.
pub const TARGET_DECIMALS: u32 = 6;

/// What `sweep` is asked.
pub struct Request<'a> {
    pub inputs: &'a Inputs,
    pub overrides: &'a Overrides,
    pub scenarios: &'a [PathBuf],
    pub grid: Grid,
    pub target: Option<&'a str>,
    pub chart: Option<&'a Path>,
    /// `--over life` and the projection's options.
    pub life: bool,
    pub growth: &'a [String],
    pub growth_file: Option<&'a Path>,
    pub to: Option<i32>,
    pub grow_deductions: bool,
    pub filter: Filter<'a>,
    pub levels: bool,
}

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
        let bad = || Error::Usage(msg!("E0654", spec = spec).text);
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

/// Where a condition holds on the grid, refined: the JSON answer's `holds` and
/// `boundary`, and each change of the condition when the totals are not monotone.
#[derive(Debug, Clone)]
pub struct Answer {
    /// "nowhere", "everywhere" or "between".
    pub holds: &'static str,
    /// The boundary value (decimal text) when there is exactly one.
    pub boundary: Option<String>,
    /// (value, holds above it): every change, refined.
    pub crossings: Vec<(String, bool)>,
    pub text: String,
    /// For the chart: the boundary as a float.
    pub mark: Option<f64>,
}

struct Point {
    value: i128,
    totals: Vec<i128>,
    outside: Vec<String>,
}

struct Sweeper<'a, 'e> {
    eval: &'e Evaluator<'a>,
    signed: &'e Model,
    vary: &'e str,
    scope: (Option<String>, BTreeSet<usize>),
    parties: Vec<String>,
    /// Every total is scaled to these decimals.
    decimals: u32,
}

impl Sweeper<'_, '_> {
    fn model_at(&self, value: i128, d: u32) -> Result<Model, Error> {
        let mut model = self.eval.variant(self.eval.base.clone());
        let op = SetOp {
            path: self.vary.to_string(),
            value: format_scaled(value, d),
        };
        overlay::apply(&mut model, &op).map_err(|m| {
            Error::Config(crate::config::ConfigError(vec![Diag::new(
                "--vary", 0, "", m,
            )]))
        })?;
        Ok(model)
    }

    fn in_scope(&self, z: &str, mi: usize) -> bool {
        self.scope.0.as_ref().is_none_or(|sz| sz == z) && self.scope.1.contains(&mi)
    }

    fn point(&self, value: i128, d: u32) -> Result<Point, Error> {
        let model = self.model_at(value, d)?;
        let outside = overlay::band_violations(self.signed, &model);
        let totals: Totals = self.eval.totals(&model)?;
        let mut out = vec![0i128; self.parties.len()];
        for ((z, _, p), (u, mi)) in &totals {
            if !self.in_scope(z, *mi) {
                continue;
            }
            let q = &model.metrics[*mi].quantum;
            if let Some(i) = self.parties.iter().position(|x| x == p) {
                out[i] += u * q.scaled * 10i128.pow(self.decimals - q.decimals);
            }
        }
        Ok(Point {
            value,
            totals: out,
            outside,
        })
    }
}

fn dec(text: &str, what: &str) -> Result<(i128, u32), Error> {
    let (_, _, frac) = crate::num::split_decimal(text)
        .map_err(|e| Error::Usage(msg!("E0655", what = what, text = text, reason = e).text))?;
    let d = frac.len() as u32;
    Ok((
        parse_scaled(text, d)
            .map_err(|e| Error::Usage(msg!("E0655", what = what, text = text, reason = e).text))?,
        d,
    ))
}

/// The zone and metrics a sweep totals: `--zone`/`--metric`, else those of the varied
/// rule (its tax metrics), else every zone's tax metrics.
fn scope(base: &Model, vary: &str, filter: &Filter<'_>) -> (Option<String>, BTreeSet<usize>) {
    let seg: Vec<&str> = vary.split('.').collect();
    let tax = |ms: BTreeSet<usize>| -> BTreeSet<usize> {
        let t: BTreeSet<usize> = ms
            .iter()
            .copied()
            .filter(|m| base.metrics[*m].kind == MetricKind::Tax)
            .collect();
        if t.is_empty() { ms } else { t }
    };
    let (mut zone, mut metrics) = match seg.as_slice() {
        ["zone", z, "agreement", a, "rule", r, ..] => {
            let rule = base
                .zones
                .iter()
                .find(|x| x.id == *z)
                .and_then(|zz| zz.agreements.iter().find(|x| x.id == *a))
                .and_then(|ag| ag.rules.iter().find(|x| x.id == *r));
            let ms: BTreeSet<usize> = rule
                .map(|r| r.metrics.iter().copied().collect())
                .unwrap_or_default();
            (Some(z.to_string()), tax(ms))
        }
        ["zone", z, ..] => (Some(z.to_string()), tax((0..base.metrics.len()).collect())),
        _ => (None, tax((0..base.metrics.len()).collect())),
    };
    if let Some(z) = filter.zone.and_then(|z| base.zone(z)) {
        zone = Some(base.zones[z].id.clone());
    }
    if let Some(m) = filter.metric.and_then(|m| base.metric(m)) {
        metrics = [m].into();
    }
    (zone, metrics)
}

fn scope_text(model: &Model, scope: &(Option<String>, BTreeSet<usize>)) -> String {
    let ms: Vec<&str> = scope
        .1
        .iter()
        .map(|m| model.metrics[*m].id.as_str())
        .collect();
    match &scope.0 {
        Some(z) => {
            let name = model
                .zone(z)
                .map_or(z.as_str(), |i| model.zones[i].name.as_str());
            msg!("E0656", zone = z, name = name, metrics = ms.join(", ")).text
        }
        None => msg!("E0657", metrics = ms.join(", ")).text,
    }
}

/// Refine between two grid values where the condition changes: the last value where
/// it holds (when it stops holding) or the first (when it starts), to TARGET_DECIMALS.
fn refine(
    sw: &Sweeper<'_, '_>,
    pi: usize,
    holds: &dyn Fn(i128) -> bool,
    lo: i128,
    hi: i128,
    d: u32,
) -> Result<(i128, u32, bool), Error> {
    let fd = TARGET_DECIMALS.max(d);
    let up = 10i128.pow(fd - d);
    let (mut a, mut b) = (lo * up, hi * up);
    let starts = !holds(sw.point(a, fd)?.totals[pi]);
    while b - a > 1 {
        let mid = a + (b - a) / 2;
        if holds(sw.point(mid, fd)?.totals[pi]) == starts {
            b = mid;
        } else {
            a = mid;
        }
    }
    // `starts`: false at a, true at b → the first value where it holds is b.
    Ok(if starts {
        (b, fd, true)
    } else {
        (a, fd, false)
    })
}

fn answer(
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
            Error::Usage(
                msg!(
                    "E0658",
                    party = cond.party,
                    parties = sw.parties.join(", "),
                    hint = crate::suggest::hint(&cond.party, sw.parties.iter())
                )
                .text,
            )
        })?;
    let want = parse_scaled(&cond.amount, sw.decimals).map_err(|e| {
        Error::Usage(msg!("E0655", what = "--target", text = cond.amount, reason = e).text)
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
    for i in 0..flags.len() - 1 {
        if flags[i] != flags[i + 1] {
            let (v, fd, starts) = refine(sw, pi, &holds, points[i].value, points[i + 1].value, d)?;
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

/// `fencheng sweep`.
pub fn sweep(req: &Request<'_>, format: Format) -> Result<String, Error> {
    let sets = parse_sets(&req.overrides.set)?;
    // The sweep itself may leave the band; rows outside are marked, not refused.
    let (signed, base, _) = load_negotiated(&req.inputs.config, req.scenarios, &sets, true)?;
    let grid = &req.grid;
    let d = dec(&grid.from, "--from")?
        .1
        .max(dec(&grid.to, "--to")?.1)
        .max(dec(&grid.step, "--step")?.1);
    let scaled = |text: &str, what: &str| {
        parse_scaled(text, d)
            .map_err(|e| Error::Usage(msg!("E0655", what = what, text = text, reason = e).text))
    };
    let from = scaled(&grid.from, "--from")?;
    let to = scaled(&grid.to, "--to")?;
    let step = scaled(&grid.step, "--step")?;
    if step <= 0 || to < from {
        return Err(Error::Usage(msg!("E0669").text));
    }
    if (to - from) / step > 10_000 {
        return Err(Error::Usage(msg!("E0670").text));
    }
    let cond = req.target.map(Condition::parse).transpose()?;
    let life = if req.life {
        Some((
            growth(&base, req.growth, req.growth_file)?,
            req.to,
            req.grow_deductions,
        ))
    } else {
        None
    };
    let scope = scope(&base, &grid.vary, &req.filter);
    let eval = Evaluator::new(base, req.inputs, life)?;
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
                && (req.filter.party.is_none_or(|f| f == p)
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
    let model = &eval.base;
    if let Some(path) = req.chart {
        let zone_name = sw
            .scope
            .0
            .as_ref()
            .and_then(|z| model.zone(z))
            .map_or("all zones".to_string(), |i| model.zones[i].name.clone());
        let rule = grid.vary.split('.').collect::<Vec<_>>();
        let rule_id = rule
            .iter()
            .position(|s| *s == "rule")
            .and_then(|i| rule.get(i + 1))
            .copied()
            .unwrap_or("");
        let unit = sw
            .scope
            .1
            .iter()
            .map(|m| model.metrics[*m].unit.clone())
            .filter(|u| !u.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(" / ");
        let to_f = |u: i128, dd: u32| format_scaled(u, dd).parse::<f64>().unwrap_or(0.0);
        let chart = Chart {
            title: format!(
                "{zone_name} · rule {rule_id}: each party's total against {}",
                rule.iter()
                    .position(|s| *s == "rule")
                    .map_or(grid.vary.clone(), |i| rule[(i + 2).min(rule.len())..]
                        .join("."))
            ),
            x_label: format!("{} ({})", grid.vary, eval.over()),
            xs: points
                .iter()
                .map(|p| (to_f(p.value, d), format_scaled(p.value, d)))
                .collect(),
            unit,
            series: sw
                .parties
                .iter()
                .enumerate()
                .map(|(i, p)| Series {
                    id: p.clone(),
                    label: format!("{} {p}", model.party_name(p)),
                    values: points
                        .iter()
                        .map(|pt| to_f(pt.totals[i], sw.decimals))
                        .collect(),
                })
                .collect(),
            target: cond.as_ref().map(|c| {
                (
                    c.amount.parse::<f64>().unwrap_or(0.0),
                    format!(
                        "{} {} {}",
                        c.party,
                        if c.at_least { "≥" } else { "≤" },
                        thousands(c.amount.parse::<f64>().unwrap_or(0.0))
                    ),
                )
            }),
            mark: ans
                .as_ref()
                .and_then(|a| a.mark.map(|m| (m, format!("{m}")))),
            model: Some(model),
        };
        crate::output::chart::write(path, &chart)?;
    }
    let amount = |u: i128| format_scaled(u, decimals);
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = points
                .iter()
                .map(|p| {
                    let t: serde_json::Map<String, serde_json::Value> = sw.parties.iter().zip(&p.totals).map(|(n, u)| (n.clone(), serde_json::Value::String(amount(*u)))).collect();
                    serde_json::json!({"value": format_scaled(p.value, d), "totals": t, "outside_band": p.outside})
                })
                .collect();
            let mut doc = serde_json::json!({"vary": grid.vary, "over": eval.over(), "rows": rows, "target": ans.as_ref().map(|a| a.text.clone())});
            if let Some(a) = &ans {
                doc["boundary"] = a
                    .boundary
                    .clone()
                    .map_or(serde_json::Value::Null, serde_json::Value::String);
                doc["holds"] = serde_json::Value::String(a.holds.into());
                doc["crossings"] = serde_json::json!(
                    a.crossings
                        .iter()
                        .map(|(v, starts)| serde_json::json!({"value": v, "holds_above": starts}))
                        .collect::<Vec<_>>()
                );
            }
            Ok(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n")
        }
        Format::Csv => {
            let mut s = format!("value,{},outside_band\n", sw.parties.join(","));
            for p in &points {
                let t: Vec<String> = p.totals.iter().map(|u| amount(*u)).collect();
                s.push_str(&format!(
                    "{},{},{}\n",
                    format_scaled(p.value, d),
                    t.join(","),
                    !p.outside.is_empty()
                ));
            }
            Ok(s)
        }
        Format::Table => {
            let mut head = vec!["value".to_string()];
            head.extend(sw.parties.iter().cloned());
            head.push("band".into());
            let body: Vec<Vec<String>> = points
                .iter()
                .map(|p| {
                    let mut f = vec![format_scaled(p.value, d)];
                    f.extend(p.totals.iter().map(|u| amount(*u)));
                    f.push(if p.outside.is_empty() {
                        String::new()
                    } else {
                        "OUTSIDE".into()
                    });
                    f
                })
                .collect();
            let h: Vec<&str> = head.iter().map(String::as_str).collect();
            let mut right = vec![true; head.len()];
            right[head.len() - 1] = false;
            let mut s = format!(
                "{} (totals of {}, {}):\n",
                grid.vary,
                scope_text(model, &sw.scope),
                eval.over()
            );
            let names: Vec<String> = sw
                .parties
                .iter()
                .map(|p| format!("{p} {}", model.party_name(p)))
                .collect();
            s.push_str(&format!("parties: {}\n", names.join(", ")));
            s.push_str(&table(&h, &body, &right));
            if let Some(a) = ans {
                s.push_str(&a.text);
                s.push('\n');
            }
            Ok(s)
        }
    }
}
