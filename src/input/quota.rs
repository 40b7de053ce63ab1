//! Quota files (SPEC §13.1): `--allocations` (what a region was allotted for a year,
//! 下达指标) and `--transfers` (quota moved between regions: with a relocated
//! enterprise, by purchase, by swap). Small tables, read whole like deductions; every
//! bad line is reported with its file, line and field.

use super::amount::parse_units;
use super::records::{Encoding, lookup_metric};
use super::table::{self, Column};
use crate::diag::{Diag, Msg};
use crate::model::{CENTRAL, DEDUCTION, MetricKind, Model};
use crate::msg;
use chrono::NaiveDate;

/// One allocation line.
#[derive(Debug, Clone)]
pub struct Allocation {
    pub file: String,
    pub line: u64,
    pub year: i32,
    pub party: String,
    pub metric: usize,
    pub units: i128,
    pub reference: String,
}

/// One transfer line.
#[derive(Debug, Clone)]
pub struct Transfer {
    pub file: String,
    pub line: u64,
    pub date: NaiveDate,
    pub metric: usize,
    pub from: String,
    pub to: String,
    pub units: i128,
    /// 元 per unit, in cents (at most 2 decimals), when the line is a purchase.
    pub price: Option<i128>,
    pub entity: String,
    pub reference: String,
    pub reason: String,
}

const fn col(name: &'static str, alias: &'static str, required: bool) -> Column {
    Column {
        name,
        alias,
        required,
    }
}

const ALLOCATIONS: [Column; 5] = [
    col("year", "年度", true),
    col("party", "地区", true),
    col("metric", "指标", true),
    col("amount", "数量", true),
    col("reference", "文号", false),
];

const TRANSFERS: [Column; 9] = [
    col("date", "日期", true),
    col("metric", "指标", true),
    col("from", "转出方", true),
    col("to", "转入方", true),
    col("amount", "数量", true),
    col("price", "单价", false),
    col("entity", "企业", false),
    col("reference", "文号", false),
    col("reason", "事由", false),
];

/// A region named by id or name: a declared party, never `central`, a level party or
/// `deduction`.
fn party(model: &Model, text: &str) -> Result<String, Msg> {
    let found = model
        .parties
        .iter()
        .find(|p| p.id == text || p.name == text)
        .map(|p| p.id.clone());
    let level = model
        .metrics
        .iter()
        .any(|m| m.levels.parties().contains(&text))
        || model
            .zones
            .iter()
            .any(|z| z.levels.values().any(|l| l.parties().contains(&text)));
    match found {
        _ if text == CENTRAL || text == DEDUCTION || level => Err(msg!("E0191", party = text)),
        Some(id) => Ok(id),
        None => Err(msg!(
            "E0138",
            party = text,
            hint = crate::suggest::hint(text, model.parties.iter().map(|p| &p.id))
        )),
    }
}

/// A quota metric named by id, name or alias.
fn quota_metric(model: &Model, text: &str) -> Result<usize, Msg> {
    let m = lookup_metric(model, text)?;
    if model.metrics[m].kind != MetricKind::Quota {
        return Err(msg!("E0250", metric = model.metrics[m].id));
    }
    Ok(m)
}

/// An amount of quota metric `m` in its quantum's units, at least `min` units, else
/// `below` (allocations may be 0, transfers move more than 0).
fn amount(model: &Model, m: usize, text: &str, min: i128, below: Msg) -> Result<i128, Msg> {
    match parse_units(text, &model.metrics[m].quantum)? {
        u if u < min => Err(below),
        u => Ok(u),
    }
}

/// A year: `2025` or `2025年`.
fn year(text: &str) -> Option<i32> {
    let t = text.strip_suffix('年').unwrap_or(text);
    (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
        .filter(|&y| y >= 1)
}

/// Read one allocations file; every bad line is reported.
pub fn read_allocations(
    shown: &str,
    bytes: &[u8],
    encoding: Encoding,
    model: &Model,
    out: &mut Vec<Allocation>,
) -> Vec<Diag> {
    let t = match table::read(shown, bytes, encoding, &ALLOCATIONS) {
        Ok(t) => t,
        Err(d) => return d,
    };
    let mut problems = Vec::new();
    for (line, v) in t.rows {
        let mut bad = false;
        let mut report = |field: &str, m: Msg| {
            problems.push(Diag::new(shown, line as usize, field, m));
            bad = true;
        };
        let y = year(&v[0]);
        if y.is_none() {
            report("year", msg!("E0251", text = v[0]));
        }
        let p = party(model, &v[1]).map_err(|m| report("party", m)).ok();
        let m = quota_metric(model, &v[2])
            .map_err(|m| report("metric", m))
            .ok();
        let units = m.and_then(|m| {
            amount(model, m, &v[3], 0, msg!("E0152", text = v[3]))
                .map_err(|e| report("amount", e))
                .ok()
        });
        if let (false, Some(year), Some(party), Some(metric), Some(units)) = (bad, y, p, m, units) {
            out.push(Allocation {
                file: shown.to_string(),
                line,
                year,
                party,
                metric,
                units,
                reference: v[4].clone(),
            });
        }
    }
    problems
}

/// Read one transfers file; every bad line is reported.
pub fn read_transfers(
    shown: &str,
    bytes: &[u8],
    encoding: Encoding,
    model: &Model,
    out: &mut Vec<Transfer>,
) -> Vec<Diag> {
    let t = match table::read(shown, bytes, encoding, &TRANSFERS) {
        Ok(t) => t,
        Err(d) => return d,
    };
    let mut problems = Vec::new();
    for (line, v) in t.rows {
        let mut bad = false;
        let mut report = |field: &str, m: Msg| {
            problems.push(Diag::new(shown, line as usize, field, m));
            bad = true;
        };
        let date = crate::period::parse_date(&v[0]);
        if date.is_none() {
            report("date", msg!("E0217", text = v[0]));
        }
        let m = quota_metric(model, &v[1])
            .map_err(|m| report("metric", m))
            .ok();
        let from = party(model, &v[2]).map_err(|m| report("from", m)).ok();
        let to = party(model, &v[3]).map_err(|m| report("to", m)).ok();
        if let (Some(a), Some(b)) = (&from, &to)
            && a == b
        {
            report("to", msg!("E0252", party = a));
        }
        let units = m.and_then(|m| {
            amount(model, m, &v[4], 1, msg!("E0253", text = v[4]))
                .map_err(|e| report("amount", e))
                .ok()
        });
        let price = if v[5].is_empty() {
            Some(None)
        } else {
            match crate::num::parse_scaled(&v[5], 2) {
                Ok(c) if c >= 0 => Some(Some(c)),
                _ => {
                    report("price", msg!("E0254", text = v[5]));
                    None
                }
            }
        };
        if let (false, Some(date), Some(metric), Some(from), Some(to), Some(units), Some(price)) =
            (bad, date, m, from, to, units, price)
        {
            out.push(Transfer {
                file: shown.to_string(),
                line,
                date,
                metric,
                from,
                to,
                units,
                price,
                entity: v[6].clone(),
                reference: v[7].clone(),
                reason: v[8].clone(),
            });
        }
    }
    problems
}
