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
use crate::engine::cells::{CellKey, Cells};
use crate::engine::{CellResult, Outcome};
use crate::input::Record;
use crate::input::period::{Granularity, Period};
use crate::input::stream::{Fields, Render};
use crate::model::{CENTRAL, Model};
use crate::num::{Ratio, exact_text, format_scaled, ri};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::ToPrimitive;
use num_traits::{One, Zero};
use rustc_hash::FxHashMap;
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

    /// Append the exact text of units × factor to `out`: what `times` writes, without
    /// allocating in the common cases (this runs for every detail line).
    fn push_times(&self, out: &mut Vec<u8>, units: i128) {
        match self {
            Factor::Decimal(m, s) => {
                if let Some(v) = units.checked_mul(*m) {
                    push_decimal(out, v, *s);
                    return;
                }
            }
            Factor::Fraction(p, q) => {
                if push_fraction(out, units, *p, *q) {
                    return;
                }
            }
            Factor::Big(_) => {}
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

/// The decimal digits of `n`, written at the end of `buf`. Values that fit 64 bits
/// (nearly all) avoid 128-bit division.
fn digits(buf: &mut [u8; 40], n: u128) -> &[u8] {
    let mut i = buf.len();
    match u64::try_from(n) {
        Ok(mut m) => loop {
            i -= 1;
            buf[i] = b'0' + (m % 10) as u8;
            m /= 10;
            if m == 0 {
                break;
            }
        },
        Err(_) => {
            let mut m = n;
            loop {
                i -= 1;
                buf[i] = b'0' + (m % 10) as u8;
                m /= 10;
                if m == 0 {
                    break;
                }
            }
        }
    }
    &buf[i..]
}

/// v / 10^s as the shortest exact decimal (`trim(format_scaled(v, s))`), without
/// allocating: this runs for every detail line.
fn push_decimal(out: &mut Vec<u8>, v: i128, s: u32) {
    let mut buf = [0u8; 40];
    let d = digits(&mut buf, v.unsigned_abs());
    let s = s as usize;
    // Integer part, then the fraction: zeros the digits do not reach, then digits.
    let (int, lead, frac): (&[u8], usize, &[u8]) = if d.len() > s {
        (&d[..d.len() - s], 0, &d[d.len() - s..])
    } else {
        (b"0", s - d.len(), d)
    };
    let frac = &frac[..frac.iter().rposition(|c| *c != b'0').map_or(0, |p| p + 1)];
    if v < 0 && !(int == b"0" && frac.is_empty()) {
        out.push(b'-');
    }
    out.extend_from_slice(int);
    if !frac.is_empty() {
        out.push(b'.');
        out.extend(std::iter::repeat_n(b'0', lead));
        out.extend_from_slice(frac);
    }
}

/// v / 10^d with exactly d decimals (`format_scaled`), without allocating.
fn push_fixed(out: &mut Vec<u8>, v: i128, d: u32) {
    let mut buf = [0u8; 40];
    let digits = digits(&mut buf, v.unsigned_abs());
    let d = d as usize;
    if v < 0 {
        out.push(b'-');
    }
    if digits.len() > d {
        out.extend_from_slice(&digits[..digits.len() - d]);
        if d > 0 {
            out.push(b'.');
            out.extend_from_slice(&digits[digits.len() - d..]);
        }
    } else {
        out.push(b'0');
        out.push(b'.');
        out.extend(std::iter::repeat_n(b'0', d - digits.len()));
        out.extend_from_slice(digits);
    }
}

/// Greatest common divisor: binary (shifts and subtractions, no division), the
/// smaller and the difference chosen without a branch, since whether u < v is a
/// coin toss the predictor would lose on every line.
fn gcd(mut u: u64, mut v: u64) -> u64 {
    if u == 0 || v == 0 {
        return u | v;
    }
    let shift = (u | v).trailing_zeros();
    u >>= u.trailing_zeros();
    v >>= v.trailing_zeros();
    // Both odd: their difference is even and not zero while they differ.
    while u != v {
        let d = u.abs_diff(v);
        u = u.min(v);
        v = d >> d.trailing_zeros();
    }
    u << shift
}

/// `fraction_text(units · p, q)` appended to `out` in 64-bit arithmetic, for p/q in
/// lowest terms; false (nothing written) when the numbers are too large for it.
fn push_fraction(out: &mut Vec<u8>, units: i128, p: i128, q: i128) -> bool {
    let (Ok(u), Ok(q)) = (u64::try_from(units.unsigned_abs()), u64::try_from(q)) else {
        return false;
    };
    if q == 0 {
        return false;
    }
    // p/q is in lowest terms (a `Ratio`), so gcd(units · p, q) = gcd(units, q): the
    // smaller numbers make the gcd about twice as quick.
    let g = gcd(u, q);
    let Some(n) = i128::from(u / g).checked_mul(p) else {
        return false;
    };
    let Ok(a) = u64::try_from(n.unsigned_abs()) else {
        return false;
    };
    let q = q / g;
    let neg = (units < 0) != (p < 0) && a != 0;
    // q = 2^twos · 5^fives · rest: a terminating decimal when rest = 1.
    let twos = q.trailing_zeros();
    let (mut rest, mut fives) = (q >> twos, 0u32);
    while rest % 5 == 0 {
        rest /= 5;
        fives += 1;
    }
    if rest == 1 {
        // a/q = a · (10^s / q) / 10^s with s = max(twos, fives).
        let s = twos.max(fives);
        let Some(v) = 10i128
            .checked_pow(s)
            .and_then(|p| i128::from(a).checked_mul(p / i128::from(q)))
        else {
            return false;
        };
        push_decimal(out, if neg { -v } else { v }, s);
        return true;
    }
    let mut buf = [0u8; 40];
    if neg {
        out.push(b'-');
    }
    out.extend_from_slice(digits(&mut buf, u128::from(a)));
    out.push(b'/');
    out.extend_from_slice(digits(&mut buf, u128::from(q)));
    true
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

/// One party's lines of a cell: everything but the record's fields and share.
struct PartyLine {
    /// `,party,ratio,` as written.
    head: Vec<u8>,
    /// The exact share per unit of the record's amount.
    factor: Factor,
}

struct CellLines {
    /// In the order the lines are written (by party id).
    parties: Vec<PartyLine>,
    /// `,rule,agreement\n`: the end of every line of the cell.
    tail: Vec<u8>,
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
        parties: parties
            .into_iter()
            .map(|(party, ratio, factor)| PartyLine {
                head: format!(",{},{ratio},", cell(&party)).into_bytes(),
                factor,
            })
            .collect(),
        tail: format!(",{},{}\n", ag.rules[c.key.rule].id, ag.id).into_bytes(),
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
    pub fn new(model: &'a Model, outcome: &Outcome) -> Detail<'a> {
        let cells = outcome.cells.iter().map(|c| lines_of(model, c)).collect();
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
        let start = out.len();
        let mut num = [0u8; 40];
        out.extend_from_slice(digits(&mut num, u128::from(line)));
        out.push(b',');
        match fields {
            Fields::Raw { text, entity } => {
                out.extend_from_slice(&text[..entity.start]);
                push_text(out, &text[entity.clone()]);
                out.extend_from_slice(&text[entity.end..]);
            }
            Fields::Record(r) => self.push_fields(out, r),
        }
        let prefix_end = out.len();
        for (i, p) in cl.parties.iter().enumerate() {
            if i > 0 {
                out.extend_from_within(start..prefix_end);
            }
            out.extend_from_slice(&p.head);
            p.factor.push_times(out, units);
            out.extend_from_slice(&cl.tail);
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
        let Some(cell) = self.cell_of(key) else {
            return Ok(());
        };
        let mut buf = Vec::with_capacity(256);
        self.rows += self.render(&mut buf, cell, r.line, r.units, Fields::Record(r));
        w.write_all(&buf)
    }
}

impl Render for Detail<'_> {
    fn cell(&self, cells: &mut Cells, r: &Record<'_>) -> Result<Option<u32>, String> {
        Ok(self.cell_of(&cells.locate(self.model, r)?))
    }

    fn verbatim(&self, r: &Record<'_>, period: &[u8], zone: &[u8], metric: &[u8]) -> bool {
        let mut p = Vec::with_capacity(8);
        push_period(&mut p, r.period);
        p == period
            && self.zones[r.zone].as_bytes() == zone
            && self.metrics[r.metric].as_bytes() == metric
    }

    fn lines(&self, out: &mut Vec<u8>, cell: u32, line: u64, units: i128, fields: Fields<'_>) {
        self.render(out, cell, line, units, fields);
    }
}

/// A period as `Period`'s `Display` writes it, without the formatting machinery.
fn push_period(out: &mut Vec<u8>, p: Period) {
    if !(0..=9999).contains(&p.year) {
        out.extend_from_slice(p.to_string().as_bytes());
        return;
    }
    let y = p.year as u32;
    out.extend_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
    ]);
    match p.granularity {
        Granularity::Month => out.extend_from_slice(&[
            b'-',
            b'0' + (p.index / 10 % 10) as u8,
            b'0' + (p.index % 10) as u8,
        ]),
        Granularity::Quarter => out.extend_from_slice(&[b'-', b'Q', b'0' + (p.index % 10) as u8]),
        Granularity::Year => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The 64-bit fraction writer gives `fraction_text`'s bytes: lowest terms,
        /// decimals when they terminate, signs.
        #[test]
        fn fraction_bytes_match_the_string_formatting(
            units in proptest::num::i64::ANY,
            p in -(1i64 << 40)..(1i64 << 40),
            q in 1i64..(1i64 << 40),
            small in -2000i64..2000,
            den in proptest::sample::select(vec![1i64, 2, 3, 4, 5, 8, 10, 12, 40, 125, 625, 1000, 7 * 1024]),
        ) {
            for (units, p, q) in [(units, p, q), (small, 1, den), (small, 3, den)] {
                // p/q in lowest terms, as a Ratio gives it.
                let g = (p.unsigned_abs()).gcd(&q.unsigned_abs()).max(1) as i64;
                let (p, q) = (i128::from(p / g), i128::from(q / g));
                let units = i128::from(units);
                let mut out = Vec::new();
                if push_fraction(&mut out, units, p, q) {
                    proptest::prop_assert_eq!(
                        String::from_utf8(out).unwrap(),
                        fraction_text(units * p, q)
                    );
                }
            }
        }
    }

    #[test]
    fn gcd_by_hand_and_against_num_integer() {
        assert_eq!(gcd(0, 0), 0);
        assert_eq!(gcd(0, 12), 12);
        assert_eq!(gcd(12, 0), 12);
        assert_eq!(gcd(12, 18), 6);
        assert_eq!(gcd(17, 5), 1);
        assert_eq!(gcd(1 << 40, 1 << 12), 1 << 12);
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let (a, b) = (x >> (x % 40), (x.rotate_left(29)) >> (x % 23));
            assert_eq!(gcd(a, b), a.gcd(&b), "{a} {b}");
        }
    }

    #[test]
    fn periods_are_written_as_displayed() {
        for text in ["2025-01", "2025-12", "0999-Q4", "2024-Q1", "2030", "0001"] {
            let p = Period::parse(text).unwrap();
            let mut out = Vec::new();
            push_period(&mut out, p);
            assert_eq!(String::from_utf8(out).unwrap(), p.to_string());
        }
    }

    #[test]
    fn fractions_by_hand() {
        let text = |units, p, q| {
            let mut out = Vec::new();
            assert!(push_fraction(&mut out, units, p, q));
            String::from_utf8(out).unwrap()
        };
        // 6 × 1/4 = 3/2 = 1.5; -1 × 1/3 stays a fraction; 0 × 2/7 = 0; 10 × 1/5 = 2;
        // -7 × 1/8 = -0.875; 14 × 2/21 = 28/21 = 4/3; 3 × -2/9 = -2/3.
        assert_eq!(text(6, 1, 4), "1.5");
        assert_eq!(text(-1, 1, 3), "-1/3");
        assert_eq!(text(0, 2, 7), "0");
        assert_eq!(text(10, 1, 5), "2");
        assert_eq!(text(-7, 1, 8), "-0.875");
        assert_eq!(text(14, 2, 21), "4/3");
        assert_eq!(text(3, -2, 9), "-2/3");
    }

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
            i128::from(u64::MAX) + 1,
            -(i128::from(u64::MAX) * 1000),
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
