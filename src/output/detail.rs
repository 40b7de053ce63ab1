//! `detail.csv`: one line per record and party with the exact, unrounded share.
//!
//! `line,period,zone,entity,metric,amount,party,ratio,exact_share,rule,agreement,file`
//! (`file`: the records file as given, so that two files' line 2 are told apart).
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
use super::text::{
    Num, Piece, fraction_text, push_decimal, push_fixed, push_fraction, push_period, put_from, trim,
};
use crate::engine::cells::{CellKey, Cells};
use crate::engine::{CellResult, Outcome};
use crate::input::Record;
use crate::input::sink::Fields;
use crate::model::Model;
use crate::num::{Ratio, exact_text, format_scaled, ri};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::ToPrimitive;
use num_traits::{One, Zero};
use rustc_hash::FxHashMap;
use std::io::Write;

pub const HEADER: &str =
    "line,period,zone,entity,metric,amount,party,ratio,exact_share,rule,agreement,file\n";

/// A record's exact share per unit of its amount, in the cheapest exact form: most
/// ratios are short decimals (0.5 × 0.6 × 0.01 = 0.003), some are fractions (1/3).
/// Millions of detail lines are written, so BigRational is the last resort.
enum Factor {
    /// value = m / 10^s, |m| < 2^60
    Decimal(i64, u32),
    /// value = p / q, q > 0, both below 2^60
    Fraction(i64, i64),
    Big(Ratio),
}

impl Factor {
    fn of(r: &Ratio) -> Factor {
        let (p, q) = (r.numer(), r.denom());
        let mut d = q.clone();
        let (two, five) = (BigInt::from(2), BigInt::from(5));
        let mut s = 0u32;
        // q = 2^a 5^b → value = p · 10^max(a,b) / q / 10^max(a,b).
        while d.is_multiple_of(&two) || d.is_multiple_of(&five) {
            if d.is_multiple_of(&two) {
                d /= &two;
            }
            if d.is_multiple_of(&five) {
                d /= &five;
            }
            s += 1;
        }
        if d == BigInt::from(1) {
            let m = p * num_traits::pow(BigInt::from(10), s as usize) / q;
            if let Some(mi) = m.to_i64().filter(|v| v.unsigned_abs() < 1u64 << 60) {
                return Factor::Decimal(mi, s);
            }
        }
        match (p.to_i64(), q.to_i64()) {
            (Some(pi), Some(qi)) if pi.unsigned_abs() < 1u64 << 60 && qi < 1i64 << 60 => {
                Factor::Fraction(pi, qi)
            }
            _ => Factor::Big(r.clone()),
        }
    }

    /// Append the exact text of units × factor to `out`: what `times` writes, without
    /// allocating in the common cases (this runs for every detail line).
    fn push_times(&self, out: &mut Vec<u8>, units: i128) {
        // 64-bit arithmetic: every amount below 2^63 units, which is nearly all.
        if let Ok(u) = i64::try_from(units) {
            match self {
                Factor::Decimal(m, s) => {
                    if let Some(v) = u.checked_mul(*m) {
                        push_decimal(out, v.into(), *s);
                        return;
                    }
                }
                Factor::Fraction(p, q) => {
                    if push_fraction(out, u, *p, *q) {
                        return;
                    }
                }
                Factor::Big(_) => {}
            }
        }
        out.extend_from_slice(self.times(units).as_bytes());
    }

    fn times(&self, units: i128) -> String {
        match self {
            Factor::Decimal(m, s) => match units.checked_mul((*m).into()) {
                Some(v) => trim(format_scaled(v, *s)),
                None => exact_text(
                    &(ri(units)
                        * Ratio::new(
                            BigInt::from(*m),
                            num_traits::pow(BigInt::from(10), *s as usize),
                        )),
                ),
            },
            Factor::Fraction(p, q) => match units.checked_mul((*p).into()) {
                Some(n) => fraction_text(n, (*q).into()),
                None => exact_text(&(ri(units) * Ratio::new(BigInt::from(*p), BigInt::from(*q)))),
            },
            Factor::Big(r) => exact_text(&(ri(units) * r)),
        }
    }
}

/// One party's lines of a cell: everything but the record's fields and share.
struct PartyLine {
    /// `,party,ratio,` as written.
    head: Piece,
    /// The party and its ratio, as values (the workbook's detail sheet).
    party: String,
    ratio: String,
    /// The exact share per unit of the record's amount.
    factor: Factor,
}

struct CellLines {
    /// In the order the lines are written (by party id).
    parties: Vec<PartyLine>,
    /// `,rule,agreement\n`: the end of every line of the cell.
    tail: Piece,
    /// The rule and agreement ids, as values.
    rule: String,
    agreement: String,
}

/// One line of the detail as values, for the workbook's detail sheet: the same line
/// as detail.csv's, each field typed rather than written out.
pub struct DetailRow<'r> {
    pub line: u64,
    pub period: crate::period::Period,
    pub zone: &'r str,
    pub entity: &'r str,
    pub metric: &'r str,
    /// The record's amount, exact: scaled units and their decimals.
    pub amount: (i128, u32),
    pub party: &'r str,
    pub ratio: &'r str,
    pub exact_share: String,
    pub rule: &'r str,
    pub agreement: &'r str,
    /// The records file as given.
    pub file: &'r str,
}

/// detail.csv's column names, in order.
pub fn columns() -> impl Iterator<Item = &'static str> {
    HEADER.trim_end().split(',')
}

/// Renders detail lines for records, given the computed cells.
pub struct Detail<'a> {
    model: &'a Model,
    /// The cells with lines, and their index by key.
    cells: Vec<CellLines>,
    index: FxHashMap<CellKey, u32>,
    /// Zone and metric ids as written in a CSV cell.
    zones: Vec<String>,
    metrics: Vec<String>,
    /// The records files as given, as written in a CSV cell, ending each line; and the
    /// one being read (files are read one after the other).
    files: Vec<String>,
    file: std::sync::atomic::AtomicUsize,
    pub rows: u64,
}

fn lines_of(model: &Model, outcome: &Outcome, c: &CellResult) -> CellLines {
    // A pool's component is shared by its pool cell: its records take the pool's
    // ratios, on what is left after the component's own levels.
    let sharer = c.pooled_in.and_then(|k| outcome.cell(&k)).unwrap_or(c);
    let zone = &model.zones[c.key.zone];
    let ag = &zone.agreements[c.key.agreement];
    let kept: Ratio = c.levels.iter().map(|l| l.ratio.clone()).sum();
    let rest = Ratio::one() - &kept;
    let q = &model.metrics[c.key.metric].quantum.value;
    let mut parties: Vec<(String, String, Factor)> = sharer
        .shares
        .iter()
        .map(|(p, units)| {
            let ratio = match &sharer.ratios {
                Some(rs) => rs
                    .iter()
                    .find(|(q, _)| q == p)
                    .map_or_else(Ratio::zero, |(_, r)| r.clone()),
                None if sharer.t != 0 => ri(*units) / ri(sharer.t),
                None => Ratio::zero(),
            };
            (
                p.clone(),
                exact_text(&ratio),
                Factor::of(&(q * &rest * &ratio)),
            )
        })
        .collect();
    for l in &c.levels {
        parties.push((
            l.party.clone(),
            exact_text(&l.ratio),
            Factor::of(&(q * &l.ratio)),
        ));
    }
    parties.sort_by(|a, b| a.0.cmp(&b.0));
    CellLines {
        parties: parties
            .into_iter()
            .map(|(party, ratio, factor)| PartyLine {
                head: Piece::new(format!(",{},{ratio},", cell(&party)).as_bytes()),
                party,
                ratio,
                factor,
            })
            .collect(),
        // Ids are validated, and written as every other text cell all the same.
        tail: Piece::new(
            format!(",{},{},", cell(&ag.rules[c.key.rule].id), cell(&ag.id)).as_bytes(),
        ),
        rule: ag.rules[c.key.rule].id.clone(),
        agreement: ag.id.clone(),
    }
}

/// A text as `cell` writes it; most entities are plain ids and are copied as they are.
fn push_text(out: &mut Vec<u8>, text: &[u8]) {
    let plain = !matches!(text.first(), Some(b'=' | b'+' | b'-' | b'@'))
        && !text
            .iter()
            .any(|c| matches!(c, b',' | b'"' | b'\n' | b'\r'));
    if plain {
        out.extend_from_slice(text);
    } else {
        match std::str::from_utf8(text) {
            Ok(t) => out.extend_from_slice(cell(t).as_bytes()),
            Err(_) => out.extend_from_slice(text),
        }
    }
}

impl<'a> Detail<'a> {
    /// The file whose records are rendered next (its index among `files`).
    pub fn reading(&self, file: usize) {
        self.file.store(file, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn new(model: &'a Model, outcome: &Outcome, files: &[String]) -> Detail<'a> {
        let cells = outcome
            .cells
            .iter()
            .map(|c| lines_of(model, outcome, c))
            .collect();
        let index = outcome
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key, i as u32))
            .collect();
        Detail {
            model,
            cells,
            index,
            zones: model
                .zones
                .iter()
                .map(|z| cell(&z.id).into_owned())
                .collect(),
            metrics: model
                .metrics
                .iter()
                .map(|m| cell(&m.id).into_owned())
                .collect(),
            files: files.iter().map(|f| format!("{}\n", cell(f))).collect(),
            file: std::sync::atomic::AtomicUsize::new(0),
            rows: 0,
        }
    }

    /// The cell of `key`, if it has lines.
    pub fn cell_of(&self, key: &CellKey) -> Option<u32> {
        self.index.get(key).copied()
    }

    /// `period,zone,entity,metric,amount` of a record.
    fn push_fields(&self, out: &mut Vec<u8>, r: &Record<'_>) {
        let q = &self.model.metrics[r.metric].quantum;
        push_period(out, r.period);
        out.push(b',');
        out.extend_from_slice(self.zones[r.zone].as_bytes());
        out.push(b',');
        push_text(out, r.entity.as_bytes());
        out.push(b',');
        out.extend_from_slice(self.metrics[r.metric].as_bytes());
        out.push(b',');
        push_fixed(out, r.units * q.scaled, q.decimals);
    }

    /// Append the lines of one record of `cell` to `out`; returns how many. Built by
    /// hand (no `format!` per line): detail.csv has millions of lines. The record's
    /// part of a line is written once and copied for the other parties.
    pub fn render(
        &self,
        out: &mut Vec<u8>,
        cell: u32,
        line: u64,
        units: i128,
        fields: Fields<'_>,
    ) -> u64 {
        let Some(cl) = self.cells.get(cell as usize) else {
            return 0;
        };
        let file = self
            .files
            .get(self.file.load(std::sync::atomic::Ordering::Relaxed))
            .map_or("\n", String::as_str);
        // Room for the lines, so that the copies below never reallocate midway.
        out.reserve(cl.parties.len() * 256);
        let start = out.len();
        let mut num = Num::default();
        num.byte(b',');
        num.digits(line);
        num.append_to(out);
        match fields {
            Fields::Raw {
                block,
                fields,
                entity,
            } => {
                if matches!(block.get(entity.start), Some(b'=' | b'+' | b'-' | b'@')) {
                    out.extend_from_slice(&block[fields.start..entity.start]);
                    push_text(out, &block[entity.clone()]);
                    out.extend_from_slice(&block[entity.end..fields.end]);
                } else {
                    put_from(out, block, fields.start, fields.len());
                }
            }
            Fields::Record(r) => self.push_fields(out, r),
        }
        let prefix_len = out.len() - start;
        for (i, p) in cl.parties.iter().enumerate() {
            if i > 0 {
                // The first line is longer than the record's part: copy it in one go.
                let mut chunk = [0u8; 64];
                match out.get(start..start + 64) {
                    Some(c) if prefix_len <= 64 => {
                        chunk.copy_from_slice(c);
                        super::text::put(out, &chunk, prefix_len);
                    }
                    _ => out.extend_from_within(start..start + prefix_len),
                }
            }
            p.head.put(out);
            p.factor.push_times(out, units);
            cl.tail.put(out);
            out.extend_from_slice(file.as_bytes());
        }
        cl.parties.len() as u64
    }

    /// The lines of one record of cell `key` (read from file `file` as given), as
    /// values, in detail.csv's order; stops at `emit`'s first error.
    pub fn rows<E>(
        &self,
        r: &Record<'_>,
        key: &CellKey,
        file: &str,
        emit: &mut dyn FnMut(DetailRow<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let Some(cl) = self.cell_of(key).and_then(|c| self.cells.get(c as usize)) else {
            return Ok(());
        };
        let model = self.model;
        let q = &model.metrics[r.metric].quantum;
        for p in &cl.parties {
            emit(DetailRow {
                line: r.line,
                period: r.period,
                zone: &model.zones[r.zone].id,
                entity: r.entity,
                metric: &model.metrics[r.metric].id,
                amount: (r.units * q.scaled, q.decimals),
                party: &p.party,
                ratio: &p.ratio,
                exact_share: p.factor.times(r.units),
                rule: &cl.rule,
                agreement: &cl.agreement,
                file,
            })?;
        }
        Ok(())
    }

    /// Write the lines of one record of cell `key`.
    pub fn write(
        &mut self,
        w: &mut impl Write,
        r: &Record<'_>,
        key: &CellKey,
    ) -> std::io::Result<()> {
        let Some(cell) = self.cell_of(key) else {
            return Ok(());
        };
        let mut buf = Vec::with_capacity(256);
        self.rows += self.render(&mut buf, cell, r.line, r.units, Fields::Record(r));
        w.write_all(&buf)
    }
}

/// What `input`'s readers ask of a renderer (`input::sink::Render`, implemented in
/// `commands::run` by delegating here, so that `output` implements no trait of `input`).
impl Detail<'_> {
    pub fn cell(&self, cells: &mut Cells, r: &Record<'_>) -> Result<Option<u32>, crate::diag::Msg> {
        Ok(self.cell_of(&cells.locate(self.model, r)?))
    }

    pub fn verbatim(&self, r: &Record<'_>, period: &[u8], zone: &[u8], metric: &[u8]) -> bool {
        let mut p = Vec::with_capacity(8);
        push_period(&mut p, r.period);
        p == period
            && self.zones[r.zone].as_bytes() == zone
            && self.metrics[r.metric].as_bytes() == metric
    }

    pub fn lines(&self, out: &mut Vec<u8>, cell: u32, line: u64, units: i128, fields: Fields<'_>) {
        self.render(out, cell, line, units, fields);
    }

    pub fn most_lines(&self) -> usize {
        self.cells
            .iter()
            .map(|c| c.parties.len())
            .max()
            .unwrap_or(0)
    }
}
