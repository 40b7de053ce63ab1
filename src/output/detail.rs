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
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::ToPrimitive;
use num_traits::{One, Zero};
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::io::Write;

pub const HEADER: &str =
    "line,period,zone,entity,metric,amount,party,ratio,exact_share,rule,agreement\n";

/// A record's exact share per unit of its amount, in the cheapest exact form: most
/// ratios are short decimals (0.5 × 0.6 × 0.01 = 0.003), some are fractions (1/3).
/// Millions of detail lines are written, so BigRational is the last resort.
enum Factor {
    /// value = m / 10^s
    Decimal(i128, u32),
    /// value = p / q, q > 0
    Fraction(i128, i128),
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
            if let Some(mi) = m.to_i128().filter(|v| v.unsigned_abs() < 1u128 << 60) {
                return Factor::Decimal(mi, s);
            }
        }
        match (p.to_i128(), q.to_i128()) {
            (Some(pi), Some(qi)) if pi.unsigned_abs() < 1u128 << 60 && qi < 1i128 << 60 => {
                Factor::Fraction(pi, qi)
            }
            _ => Factor::Big(r.clone()),
        }
    }

    /// Exact text of units × factor, as `num::exact_text` would write it.
    /// Append the exact text of units × factor to `out`.
    fn push_times(&self, out: &mut Vec<u8>, units: i128) {
        if let Factor::Decimal(m, s) = self
            && let Some(v) = units.checked_mul(*m)
        {
            push_decimal(out, v, *s);
            return;
        }
        out.extend_from_slice(self.times(units).as_bytes());
    }

    fn times(&self, units: i128) -> String {
        match self {
            Factor::Decimal(m, s) => match units.checked_mul(*m) {
                Some(v) => trim(format_scaled(v, *s)),
                None => exact_text(
                    &(ri(units)
                        * Ratio::new(
                            BigInt::from(*m),
                            num_traits::pow(BigInt::from(10), *s as usize),
                        )),
                ),
            },
            Factor::Fraction(p, q) => match units.checked_mul(*p) {
                Some(n) => fraction_text(n, *q),
                None => exact_text(&(ri(units) * Ratio::new(BigInt::from(*p), BigInt::from(*q)))),
            },
            Factor::Big(r) => exact_text(&(ri(units) * r)),
        }
    }
}

/// v / 10^s as the shortest exact decimal (`trim(format_scaled(v, s))`), without
/// allocating: this runs for every detail line.
fn push_decimal(out: &mut Vec<u8>, v: i128, s: u32) {
    let mut digits = [0u8; 40];
    let mut n = v.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let d = &digits[i..];
    let s = s as usize;
    // Integer and fraction parts, the fraction padded with leading zeros.
    let (int, frac): (&[u8], Vec<u8>) = if d.len() > s {
        (&d[..d.len() - s], d[d.len() - s..].to_vec())
    } else {
        (b"0", [vec![b'0'; s - d.len()], d.to_vec()].concat())
    };
    let frac_len = frac.iter().rposition(|c| *c != b'0').map_or(0, |p| p + 1);
    if v < 0 && !(int == b"0" && frac_len == 0) {
        out.push(b'-');
    }
    out.extend_from_slice(int);
    if frac_len > 0 {
        out.push(b'.');
        out.extend_from_slice(&frac[..frac_len]);
    }
}

/// n/q in lowest terms as `num::exact_text` writes it: a decimal when it terminates.
fn fraction_text(n: i128, q: i128) -> String {
    let g = n.unsigned_abs().gcd(&q.unsigned_abs()) as i128;
    let (n, q) = if g > 1 { (n / g, q / g) } else { (n, q) };
    if q == 1 {
        return n.to_string();
    }
    let (mut d, mut s, mut scale) = (q, 0u32, 1i128);
    while d % 2 == 0 || d % 5 == 0 {
        if d % 2 == 0 {
            d /= 2;
        }
        if d % 5 == 0 {
            d /= 5;
        }
        s += 1;
        scale *= 10;
    }
    match (d, n.checked_mul(scale)) {
        (1, Some(v)) => trim(format_scaled(v / q, s)),
        (1, None) => exact_text(&Ratio::new(BigInt::from(n), BigInt::from(q))),
        _ => format!("{n}/{q}"),
    }
}

/// `12.3400` → `12.34`, `5.00` → `5`, `-0.0` → `0`.
fn trim(s: String) -> String {
    if !s.contains('.') {
        return s;
    }
    let t = s.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" || t.is_empty() {
        "0".into()
    } else {
        t.to_string()
    }
}

struct CellLines {
    /// (party, ratio text, exact share per unit of the record's amount)
    parties: Vec<(String, String, Factor)>,
    rule: String,
    agreement: String,
}

/// Renders detail lines for records, given the computed cells.
pub struct Detail<'a> {
    model: &'a Model,
    cells: FxHashMap<CellKey, CellLines>,
    pub rows: u64,
}

fn lines_of(model: &Model, c: &CellResult) -> CellLines {
    let zone = &model.zones[c.key.zone];
    let ag = &zone.agreements[c.key.agreement];
    let central = c.central_ratio.clone().unwrap_or_else(Ratio::zero);
    let rest = Ratio::one() - &central;
    let q = &model.metrics[c.key.metric].quantum.value;
    let mut parties: Vec<(String, String, Factor)> = c
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
            (
                p.clone(),
                exact_text(&ratio),
                Factor::of(&(q * &rest * &ratio)),
            )
        })
        .collect();
    if let Some(cr) = &c.central_ratio {
        parties.push((CENTRAL.to_string(), exact_text(cr), Factor::of(&(q * cr))));
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

    /// Append the lines of one record of cell `key` to `out`; returns how many.
    /// Built by hand (no `format!` per line): detail.csv has millions of lines.
    pub fn render(&self, out: &mut Vec<u8>, r: &Record<'_>, key: &CellKey) -> u64 {
        let Some(cl) = self.cells.get(key) else {
            return 0;
        };
        let m = &self.model.metrics[r.metric];
        let start = out.len();
        let mut num = itoa_buf();
        out.extend_from_slice(fmt_u64(&mut num, r.line));
        out.push(b',');
        let _ = write!(VecWriter(out), "{}", r.period);
        let q = &m.quantum;
        for text in [
            cell(&self.model.zones[r.zone].id),
            cell(r.entity),
            cell(&m.id),
        ] {
            out.push(b',');
            out.extend_from_slice(text.as_bytes());
        }
        out.push(b',');
        push_fixed(out, r.units * q.scaled, q.decimals);
        let prefix_end = out.len();
        for (i, (party, ratio, factor)) in cl.parties.iter().enumerate() {
            if i > 0 {
                out.extend_from_within(start..prefix_end);
            }
            out.push(b',');
            out.extend_from_slice(cell(party).as_bytes());
            out.push(b',');
            out.extend_from_slice(ratio.as_bytes());
            out.push(b',');
            factor.push_times(out, r.units);
            out.push(b',');
            out.extend_from_slice(cl.rule.as_bytes());
            out.push(b',');
            out.extend_from_slice(cl.agreement.as_bytes());
            out.push(b'\n');
        }
        cl.parties.len() as u64
    }

    /// Write the lines of one record of cell `key`.
    pub fn write(
        &mut self,
        w: &mut impl Write,
        r: &Record<'_>,
        key: &CellKey,
    ) -> std::io::Result<()> {
        let mut buf = Vec::with_capacity(256);
        self.rows += self.render(&mut buf, r, key);
        w.write_all(&buf)
    }
}

/// v / 10^d with exactly d decimals (`format_scaled`), without allocating.
fn push_fixed(out: &mut Vec<u8>, v: i128, d: u32) {
    let start = out.len();
    push_decimal(out, v, 0);
    if d == 0 {
        return;
    }
    // push_decimal wrote the integer v; re-place the point d digits from the end.
    let neg = out[start] == b'-';
    let digits_start = start + usize::from(neg);
    let len = out.len() - digits_start;
    let d = d as usize;
    if len <= d {
        let pad = d + 1 - len;
        out.splice(digits_start..digits_start, std::iter::repeat_n(b'0', pad));
    }
    let at = out.len() - d;
    out.insert(at, b'.');
    if neg && out[digits_start..].iter().all(|c| *c == b'0' || *c == b'.') {
        out.remove(start);
    }
}

struct VecWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

fn fmt_u64(buf: &mut [u8; 20], mut v: u64) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &buf[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_formatting_matches_the_string_formatting() {
        for v in [
            0i128,
            1,
            -1,
            5,
            -5,
            10,
            123456,
            -123456,
            100,
            -100,
            99999999999999999,
        ] {
            for d in 0..5u32 {
                let mut out = Vec::new();
                push_decimal(&mut out, v, d);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    trim(format_scaled(v, d)),
                    "{v} {d}"
                );
                let mut out = Vec::new();
                push_fixed(&mut out, v, d);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    format_scaled(v, d),
                    "{v} {d}"
                );
            }
        }
    }
}
