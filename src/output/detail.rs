//! `detail.csv`: one line per record and party with the exact, unrounded share.
//!
//! `line,period,zone,entity,metric,amount,party,ratio,exact_share,rule,agreement`.
//! For a party, `ratio` is its ratio of T (for year-to-date rules the cell's effective
//! ratio: its share of the month divided by T) and `exact_share` = amount × (1 − c) ×
//! ratio; for `central`, `ratio` is the central share c and `exact_share` = amount × c.
//! So each record's lines add up to its amount exactly, and per cell and party the sum
//! of exact shares differs from the rounded summary by the rounding alone. Exact values
//! are decimals when they terminate, fractions `p/q` otherwise.
//!
//! Lines are written while the records are read a second time, so the detail never
//! holds all records in memory.

use super::csvtext::cell;
use crate::engine::cells::CellKey;
use crate::engine::{CellResult, Outcome};
use crate::input::Record;
use crate::model::{CENTRAL, Model};
use crate::num::{Ratio, exact_text, format_scaled, ri};
use num_traits::{One, Zero};
use std::collections::HashMap;
use std::io::Write;

pub const HEADER: &str =
    "line,period,zone,entity,metric,amount,party,ratio,exact_share,rule,agreement\n";

struct CellLines {
    /// (party, ratio text, factor applied to the record's amount)
    parties: Vec<(String, String, Ratio)>,
    rule: String,
    agreement: String,
}

/// Renders detail lines for records, given the computed cells.
pub struct Detail<'a> {
    model: &'a Model,
    cells: HashMap<CellKey, CellLines>,
    pub rows: u64,
}

fn lines_of(model: &Model, c: &CellResult) -> CellLines {
    let zone = &model.zones[c.key.zone];
    let ag = &zone.agreements[c.key.agreement];
    let central = c.central_ratio.clone().unwrap_or_else(Ratio::zero);
    let rest = Ratio::one() - &central;
    let mut parties: Vec<(String, String, Ratio)> = c
        .shares
        .iter()
        .map(|(p, units)| {
            let ratio = match &c.ratios {
                Some(rs) => rs
                    .iter()
                    .find(|(q, _)| q == p)
                    .map_or_else(Ratio::zero, |(_, r)| r.clone()),
                None if c.t != 0 => ri(*units) / ri(c.t),
                None => Ratio::zero(),
            };
            (p.clone(), exact_text(&ratio), &rest * &ratio)
        })
        .collect();
    if let Some(cr) = &c.central_ratio {
        parties.push((CENTRAL.to_string(), exact_text(cr), cr.clone()));
    }
    parties.sort_by(|a, b| a.0.cmp(&b.0));
    CellLines {
        parties,
        rule: ag.rules[c.key.rule].id.clone(),
        agreement: ag.id.clone(),
    }
}

impl<'a> Detail<'a> {
    pub fn new(model: &'a Model, outcome: &Outcome) -> Detail<'a> {
        let cells = outcome
            .cells
            .iter()
            .map(|c| (c.key, lines_of(model, c)))
            .collect();
        Detail {
            model,
            cells,
            rows: 0,
        }
    }

    /// Write the lines of one record of cell `key`.
    pub fn write(
        &mut self,
        w: &mut impl Write,
        r: &Record<'_>,
        key: &CellKey,
    ) -> std::io::Result<()> {
        let Some(cl) = self.cells.get(key) else {
            return Ok(());
        };
        let m = &self.model.metrics[r.metric];
        let amount_text = format_scaled(r.units * m.quantum.scaled, m.quantum.decimals);
        let amount = ri(r.units) * &m.quantum.value;
        let prefix = format!(
            "{},{},{},{},{},{}",
            r.line,
            r.period,
            cell(&self.model.zones[r.zone].id),
            cell(r.entity),
            cell(&m.id),
            amount_text
        );
        for (party, ratio, factor) in &cl.parties {
            writeln!(
                w,
                "{prefix},{},{ratio},{},{},{}",
                cell(party),
                exact_text(&(&amount * factor)),
                cell(&cl.rule),
                cell(&cl.agreement)
            )?;
            self.rows += 1;
        }
        Ok(())
    }
}
