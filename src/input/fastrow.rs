//! Rows on bytes: the per-row work of the streaming reader, without building strings.
//!
//! Millions of rows pass through here, so each costs one scan that finds both its
//! field separators and its end, and a plain run sums amounts per distinct *raw key*
//! (the bytes of period, zone, metric and entity start): a record's cell is a function
//! of those four, so the period, the names and the date are checked and resolved once
//! per distinct key, not once per row. Anything unusual (a doubt, a mistake, a long
//! name) returns `false` and the row goes to `Rows::row`, the reference, which says
//! what is wrong; so every message comes from one place.

use super::Record;
use super::amount::{fast_units_bytes, is_canonical};
use super::masks::{bits_of, separators};
use super::records::Rows;
use super::sink::{Fields, Render, Sink};
use crate::diag::Diag;
use crate::model::lookup_packed;
use rustc_hash::FxHashMap;

/// At most this many fields take the byte path; wider rows take `Rows::row`.
const MAX_FIELDS: usize = 16;

/// One line of a block: where it ends and where its fields start.
pub(crate) struct Split {
    /// Offset of the line's `\n` (or the block's end).
    pub end: usize,
    /// Offsets of each field's first byte; `cuts[0]` is the line's start and the
    /// entry after the last field is `end + 1`.
    cuts: [u32; MAX_FIELDS + 1],
    /// Number of fields, or 0 when there were more than `MAX_FIELDS`.
    n: usize,
    /// Quotes on the line (counted by `each_line_quoted` only).
    pub quotes: u32,
    /// A quote on the line neither opens a field nor closes one — `ab"c`, `"a"b`, a
    /// quote written twice — (found by `each_line_quoted` only): its fields are not
    /// each quoted whole or not at all, and csv-core may cut them otherwise.
    pub stray: bool,
}

impl Split {
    /// Offset of the line's first byte.
    pub fn start(&self) -> usize {
        self.cuts[0] as usize
    }

    /// Number of fields, `None` when there are more than the byte path takes.
    pub(crate) fn fields(&self) -> Option<usize> {
        (self.n != 0).then_some(self.n)
    }

    /// Field `k` (< `fields()`) as a byte range of the block, blanks included.
    pub(crate) fn field(&self, k: usize) -> (usize, usize) {
        (self.cuts[k] as usize, self.cuts[k + 1] as usize - 1)
    }
}

/// A `\r` not followed by `\n` (a bare carriage return: old Mac line ends) was found:
/// the file goes to the general reader, which says where.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BareCr;

/// Bit i of the result is the parity of bits 0..=i of `q`: set from an opening quote
/// up to (not including) its closing one.
#[inline(always)]
fn prefix_xor(mut q: u64) -> u64 {
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q ^= q << 8;
    q ^= q << 16;
    q ^= q << 32;
    q
}

/// Call `f` with every line of `b` (the last one may lack its '\n'), its fields cut at
/// `delim`, until it returns false; returns false then. Separators are found 64 bytes
/// at a time as bit masks and taken in order, so each costs a few instructions however
/// the bytes fall. `cr`: `b` holds a `\r` somewhere; each must be followed by `\n`
/// (CRLF), or the scan stops with `BareCr` — looked for in the same masks, on the
/// workers, rather than in a pass of its own on the reading thread.
#[inline]
pub(crate) fn each_line(
    b: &[u8],
    delim: u8,
    cr: bool,
    f: impl FnMut(&Split) -> bool,
) -> Result<bool, BareCr> {
    // Comma files, nearly all of them, get the loop with the comma a constant, inlined
    // where it is used; tab and semicolon files, and CRLF files, a copy of their own,
    // kept out of line so that the hot loop stays as small as it was.
    if delim == b',' && !cr {
        lines_of::<false, false>(b, b',', f)
    } else {
        lines_other::<false>(b, delim, cr, f)
    }
}

/// `each_line` that does not cut at a delimiter inside quotes: a field quoted whole,
/// `"1,234.56"`, is one field (its quotes included). For an export read through a
/// profile, which quotes nearly every amount. A line end is a line end wherever it
/// is: a record that goes on over lines is the caller's to join (and csv-core's to
/// split), and the quotes' parity carries on over it, as the record does.
#[inline]
pub(crate) fn each_line_quoted(
    b: &[u8],
    delim: u8,
    cr: bool,
    f: impl FnMut(&Split) -> bool,
) -> Result<bool, BareCr> {
    lines_other::<true>(b, delim, cr, f)
}

/// `lines_of` for each kind of line end, out of line.
#[inline(never)]
fn lines_other<const QUOTED: bool>(
    b: &[u8],
    delim: u8,
    cr: bool,
    f: impl FnMut(&Split) -> bool,
) -> Result<bool, BareCr> {
    if cr {
        lines_of::<QUOTED, true>(b, delim, f)
    } else {
        lines_of::<QUOTED, false>(b, delim, f)
    }
}

#[inline(always)]
fn lines_of<const QUOTED: bool, const CR: bool>(
    b: &[u8],
    delim: u8,
    mut f: impl FnMut(&Split) -> bool,
) -> Result<bool, BareCr> {
    let mut line = Split {
        end: 0,
        cuts: [0; MAX_FIELDS + 1],
        n: 1,
        quotes: 0,
        stray: false,
    };
    let mut base = 0;
    // All ones while inside quotes at the end of the chunk before (blocks start outside).
    let mut inside = 0u64;
    // Bit 0 set when the chunk before ended with a `\r`.
    let mut pending_cr = 0u64;
    // Bit 0 set when the chunk before ended with a separator (a block starts a line),
    // and when it ended with a closing quote.
    let mut sep_before = 1u64;
    let mut pending_close = 0u64;
    while base < b.len() {
        let mut chunk = [0u8; 64];
        let (mut commas, mut newlines) = match b.get(base..base + 64) {
            Some(c) => {
                chunk.copy_from_slice(c);
                separators(&chunk, delim)
            }
            None => {
                // The tail, padded with zeros (no separator, quote or `\r`).
                chunk[..b.len() - base].copy_from_slice(&b[base..]);
                separators(&chunk, delim)
            }
        };
        let r = if CR { bits_of(&chunk, b'\r') } else { 0 };
        if CR {
            // A `\r` at bit i needs a `\n` at bit i + 1 (the one ending the chunk
            // before, at this chunk's bit 0); the tail's padding is no `\n`.
            if (pending_cr & !newlines) | (r & !(newlines >> 1) & !(1 << 63)) != 0 {
                return Err(BareCr);
            }
            pending_cr = r >> 63;
        }
        // `quotes`: the quotes of this chunk not yet counted to a line; `stray`, those
        // of them that are stray.
        let mut quotes = 0u64;
        let mut stray = 0u64;
        if QUOTED {
            quotes = bits_of(&chunk, b'"');
            let quoted = prefix_xor(quotes) ^ inside;
            inside = ((quoted as i64) >> 63) as u64;
            commas &= !quoted;
            // A quote that opens (the bits of `quoted` start at it) must be a field's
            // first byte; one that closes, its last: followed by a separator, the
            // `\r` of a CRLF, or the block's end (a quote on the chunk's last byte is
            // judged by the next chunk's first).
            let seps = commas | newlines;
            let starts = (seps << 1) | sep_before;
            sep_before = seps >> 63;
            let mut ends = (seps | r) >> 1;
            let len = b.len() - base;
            if len < 64 {
                ends |= 1 << (len - 1);
            }
            if pending_close & !(seps | r) != 0 {
                stray |= 1;
            }
            let close = quotes & !quoted;
            pending_close = close >> 63;
            stray |= (quotes & quoted & !starts) | (close & !ends & !(1 << 63));
        }
        loop {
            let seps = commas | newlines;
            if seps == 0 {
                break;
            }
            let bit = seps & seps.wrapping_neg();
            let at = base + seps.trailing_zeros() as usize;
            if newlines & bit != 0 {
                newlines &= !bit;
                line.end = at;
                if line.n != 0 {
                    line.cuts[line.n] = (at + 1) as u32;
                }
                if QUOTED {
                    let before = quotes & (bit - 1);
                    line.quotes += before.count_ones();
                    quotes &= !before;
                    line.stray |= stray & (bit - 1) != 0;
                    stray &= !(bit - 1);
                }
                if !f(&line) {
                    return Ok(false);
                }
                line.cuts[0] = (at + 1) as u32;
                line.n = 1;
                line.quotes = 0;
                line.stray = false;
            } else {
                commas &= !bit;
                if line.n != 0 {
                    if line.n == MAX_FIELDS {
                        line.n = 0;
                    } else {
                        line.cuts[line.n] = (at + 1) as u32;
                        line.n += 1;
                    }
                }
            }
        }
        if QUOTED {
            line.quotes += quotes.count_ones();
            line.stray |= stray != 0;
        }
        base += 64;
    }
    // A `\r` that ends the text is followed by nothing.
    if CR && pending_cr != 0 {
        return Err(BareCr);
    }
    if (line.cuts[0] as usize) < b.len() {
        line.end = b.len();
        if line.n != 0 {
            line.cuts[line.n] = (b.len() + 1) as u32;
        }
        return Ok(f(&line));
    }
    Ok(true)
}

/// The six columns of a well-formed row as trimmed byte ranges of the block (or, for
/// a field an import profile rewrote, of the text it was rewritten into).
pub(crate) struct Raw {
    /// (start, end) per column of SPEC §3; `entity_start` may be absent (0, 0).
    spans: [(usize, usize); 6],
    /// Whether one of the first five fields had blanks around it.
    trimmed: bool,
    /// Bit i set: field i is a range of `Texts::mapped`, not of the block.
    mapped: u8,
    /// The amount as an export writes it (thousands separators, a refund in
    /// brackets, as the profile allows): read by `export_units`.
    export: Option<(bool, bool)>,
}

/// Where a row's fields are: the block, and what a profile rewrote (a mapped value,
/// a period from a date) for a row of an export; empty for a plain file's row.
#[derive(Clone, Copy)]
pub(crate) struct Texts<'t> {
    pub block: &'t str,
    pub mapped: &'t str,
}

impl<'t> Texts<'t> {
    #[inline(always)]
    fn of(&self, raw: &Raw, i: usize) -> &'t str {
        if raw.mapped & (1 << i) != 0 {
            self.mapped
        } else {
            self.block
        }
    }
}

/// Field `k` of `line` without the blanks around it (and whether there were any).
/// Field k is cuts[k] .. cuts[k + 1] - 1 (`each_line` sets the entry after the last
/// field); a field that starts and ends with a visible byte needs no trim.
#[inline(always)]
fn field(b: &[u8], line: &Split, k: usize, trimmed: &mut bool) -> (usize, usize) {
    let (s, e) = (line.cuts[k] as usize, line.cuts[k + 1] as usize - 1);
    match (b.get(s), b.get(e.wrapping_sub(1))) {
        (Some(&x), Some(&y)) if s < e && x > b' ' && y > b' ' => (s, e),
        _ => {
            let f = b.get(s..e).unwrap_or_default();
            let t = f.trim_ascii_start();
            let start = s + (f.len() - t.len());
            let end = start + t.trim_ascii_end().len();
            *trimmed |= (start, end) != (s, e);
            (start, end)
        }
    }
}

impl Raw {
    /// The fields of `line` when it has the header's width, its five required columns
    /// are present and the model's names are short enough for the byte path; `None`
    /// otherwise.
    #[inline(always)]
    fn of(rows: &Rows<'_, '_>, b: &[u8], line: &Split) -> Option<Raw> {
        let cols = rows.cols.as_ref()?;
        if line.n != rows.width || line.n == 0 {
            return None;
        }
        // Names are looked up packed (`model::pack_names`): only when all are short.
        if rows.model.zone_small.is_empty() || rows.model.metric_small.is_empty() {
            return None;
        }
        let mut trimmed = false;
        let mut span = |k: usize| field(b, line, k, &mut trimmed);
        let mut spans = [(0, 0); 6];
        if let [Some(0), Some(1), Some(2), Some(3), Some(4), last] = *cols {
            // The usual order, spelled out so that the compiler unrolls it.
            for (k, slot) in spans[..5].iter_mut().enumerate() {
                *slot = span(k);
            }
            // Blanks around the entity start (a CRLF line's `\r`) do not keep the
            // five fields before it from being copied.
            if let Some(k) = last {
                spans[5] = field(b, line, k, &mut false);
            }
        } else {
            for (c, slot) in cols.iter().zip(spans.iter_mut()) {
                if let Some(k) = c {
                    *slot = span(*k);
                }
            }
        }
        // period, zone, entity, metric and amount must be there and non-empty.
        if spans[..5].iter().any(|(s, e)| s == e) {
            return None;
        }
        Some(Raw {
            spans,
            trimmed,
            mapped: 0,
            export: None,
        })
    }

    /// A plain file's row: every field is in the block.
    fn get<'b>(&self, b: &'b [u8], i: usize) -> &'b [u8] {
        &b[self.spans[i].0..self.spans[i].1]
    }

    /// Field `i`'s text, wherever it is.
    #[inline(always)]
    fn text<'t>(&self, t: Texts<'t>, i: usize) -> &'t [u8] {
        let (s, e) = self.spans[i];
        &t.of(self, i).as_bytes()[s..e]
    }

    /// Field `i` packed (`word16`), wherever it is.
    #[inline(always)]
    fn word(&self, t: Texts<'_>, i: usize) -> Option<u128> {
        word16(t.of(self, i).as_bytes(), self.spans[i])
    }

    /// The amount as units of `q`.
    #[inline(always)]
    fn units(&self, t: Texts<'_>, q: &crate::model::Quantum) -> Option<i128> {
        let b = self.text(t, 4);
        match self.export {
            None => fast_units_bytes(b, q),
            Some((thousands, parens)) => super::amount::export_units(b, q, thousands, parens),
        }
    }

    /// The row as a `Record` when its period has the run's granularity and its entity
    /// start is a date (or empty); `None` sends the row to `Rows::row`.
    fn record<'t>(
        &self,
        rows: &Rows<'_, '_>,
        t: Texts<'t>,
        line: u64,
        (zone, metric, units): (usize, usize, i128),
    ) -> Option<Record<'t>> {
        let (g, _) = rows.granularity.as_ref()?;
        let period = crate::period::Period::parse_bytes(self.text(t, 0))?;
        if period.granularity != *g {
            return None;
        }
        let entity_start = match self.text(t, 5) {
            b"" => None,
            d => Some(crate::period::parse_date_bytes(d)?),
        };
        let (es, ee) = self.spans[2];
        Some(Record {
            file: rows.file,
            line,
            period,
            zone,
            metric,
            entity: t.of(self, 2).get(es..ee)?,
            units,
            entity_start,
            class: 0,
        })
    }
}

/// Low-n-bytes masks of a u128 (a table: a variable 128-bit shift costs a dozen
/// instructions).
const LOW_BYTES: [u128; 16] = {
    let mut t = [0u128; 16];
    let mut i = 1;
    while i < 16 {
        t[i] = (t[i - 1] << 8) | 0xFF;
        i += 1;
    }
    t
};

/// `b[s..e]` (at most 15 bytes) with its length in the top byte: `model::pack`'s
/// layout. Loaded as one word when the block has 16 bytes from `s` on; copying the
/// bytes into a buffer and loading that would stall on store forwarding.
#[inline(always)]
fn word16(b: &[u8], (s, e): (usize, usize)) -> Option<u128> {
    let len = e - s;
    if len > 15 {
        return None;
    }
    let v = match b.get(s..s + 16) {
        Some(w) => {
            let mut a = [0u8; 16];
            a.copy_from_slice(w);
            u128::from_le_bytes(a) & LOW_BYTES[len]
        }
        None => b[s..e]
            .iter()
            .rev()
            .fold(0u128, |acc, &c| acc << 8 | u128::from(c)),
    };
    Some(v | (len as u128) << 120)
}

/// Start dates already found valid, by their packed bytes (a direct-mapped cache: a
/// file has a few thousand distinct dates and each is parsed about once).
#[derive(Default)]
pub(crate) struct Dates(Vec<u128>);

impl Dates {
    const BITS: u32 = 10;
    fn slot(w: u128) -> usize {
        (((w as u64) ^ ((w >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::BITS))
            as usize
    }
    #[inline(always)]
    fn valid(&self, w: u128) -> bool {
        self.0.get(Self::slot(w)) == Some(&w)
    }
    fn remember(&mut self, w: u128) {
        if self.0.is_empty() {
            // An empty slot holds 0, the word of an empty field, which is never asked.
            self.0 = vec![0; 1 << Self::BITS];
        }
        let i = Self::slot(w);
        self.0[i] = w;
    }
}

/// The packed word of an empty field (length 0).
const EMPTY_WORD: u128 = 0;

/// The start-date word of a key that holds a year index instead of a date: no packed
/// ASCII text has the top bit set.
const YEAR_MARK: u128 = 1 << 127;

/// `cells::year_index(start, period)` on the row's bytes — the same whole years, with
/// the same rule for a 29 February anchor (the 28th in a year without one) — or `None`
/// where that would fail or the texts are not a date and a period.
fn year_index_bytes(date: &[u8], period: &[u8]) -> Option<u32> {
    let num = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |a, &c| {
            c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
        })
    };
    let dim = |y: i32, m: u32| -> u32 {
        match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    };
    if date.len() != 10 || date[4] != b'-' || date[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(&date[..4])? as i32, num(&date[5..7])?, num(&date[8..])?);
    if !(1..=12).contains(&m) || d == 0 || d > dim(y, m) {
        return None;
    }
    let py = num(period.get(..4)?)? as i32;
    let (first_month, last_month) = match period {
        [_, _, _, _] => (1, 12),
        [_, _, _, _, b'-', b'Q', q] => {
            let q = num(&[*q])?;
            if !(1..=4).contains(&q) {
                return None;
            }
            (3 * q - 2, 3 * q)
        }
        [_, _, _, _, b'-', _, _] => {
            let mm = num(&period[5..])?;
            if !(1..=12).contains(&mm) {
                return None;
            }
            (mm, mm)
        }
        _ => return None,
    };
    crate::period::whole_years(
        (y, m, d),
        (py, first_month, 1),
        (py, last_month, dim(py, last_month)),
    )
}

/// What decides a row's cell, as bytes: period (with its length in the top byte),
/// zone, metric and entity start, each packed as `word16` does. The names are
/// resolved once per distinct key (`names`), not per row.
type Key = (u64, u128, u128, u128);

/// A row on the byte path: its fields and its raw key; `None` sends it to
/// `Rows::row`.
#[inline(always)]
fn parse(rows: &Rows<'_, '_>, dates: &mut Dates, t: Texts<'_>, line: &Split) -> Option<(Raw, Key)> {
    // The raw key leaves the entity out: when a record's cell depends on its entity,
    // every row takes `Rows::row`.
    // Through a profile a line is never a plain row: every row is mapped first
    // (`Rows::exported`, or on the byte path `stream::exported_quick`, which hands its
    // fields to `Sums::quick_fields`).
    if rows.model.needs_entity || rows.model.input.profile.is_some() {
        return None;
    }
    let raw = Raw::of(rows, t.block.as_bytes(), line)?;
    key_of(rows, dates, t, raw)
}

/// The raw key of a row whose fields are found.
#[inline(always)]
fn key_of(rows: &Rows<'_, '_>, dates: &mut Dates, t: Texts<'_>, raw: Raw) -> Option<(Raw, Key)> {
    let (Some(period), Some(zone), Some(metric), Some(start)) = (
        raw.word(t, 0),
        raw.word(t, 1),
        raw.word(t, 3),
        raw.word(t, 5),
    ) else {
        return None;
    };
    let period_len = raw.spans[0].1 - raw.spans[0].0;
    if period_len > 7 {
        return None;
    }
    // Where no rule counts from a start date, the date is checked here and left out
    // of the key: otherwise every distinct date would be a key of its own.
    let start = if start != EMPTY_WORD && rows.model.undated_small.contains(&zone) {
        if !dates.valid(start) {
            crate::period::parse_date_bytes(raw.text(t, 5))?;
            dates.remember(start);
        }
        EMPTY_WORD
    } else if start != EMPTY_WORD {
        // A zone whose cells count years from a start date: the cell depends on the
        // date only through its year index, so the key holds the index, computed here
        // by integer arithmetic — thousands of enterprises' dates make a handful of
        // keys, not one key per date. A date the index cannot be taken from (not a
        // date, after the period) goes the general way, which says why.
        YEAR_MARK | u128::from(year_index_bytes(raw.text(t, 5), raw.text(t, 0))?)
    } else {
        start
    };
    Some((
        raw,
        (
            period as u64 | (period_len as u64) << 56,
            zone,
            metric,
            start,
        ),
    ))
}

/// The zone and metric ids of a row whose key is met for the first time.
fn names(rows: &Rows<'_, '_>, key: &Key) -> Option<(usize, usize)> {
    let model = rows.model;
    Some((
        lookup_packed(&model.zone_small, key.1)?,
        lookup_packed(&model.metric_small, key.2).filter(|&m| model.metrics[m].pool.is_empty())?,
    ))
}

/// 2^RECENT_BITS entries of recent keys in `KeyIndex`.
const RECENT_BITS: u32 = 10;

/// Raw keys to small indices. A row's key is most often one of a few hundred, so a
/// direct-mapped cache of recent keys sits in front of the hash map: a multiply and a
/// compare for most rows.
#[derive(Default)]
struct KeyIndex {
    keys: FxHashMap<Key, u32>,
    /// Recent keys by a hash of their bits; the period word of an empty slot is all
    /// ones, which no period (at most 7 bytes) packs to.
    recent: Vec<(Key, u32)>,
}

/// Distinct raw keys a worker remembers at most: they multiply with the entity start
/// dates, and a file of many can hold millions. Past this the sums so far go into
/// the cells and the keys are forgotten, so memory stays flat (a few MB).
const KEY_LIMIT: usize = 1 << 14;

impl KeyIndex {
    /// Forget every key.
    fn clear(&mut self) {
        self.keys.clear();
        self.recent.clear();
    }

    /// The index of `key`; a key met for the first time gets what `first` gives, or
    /// `None` (and is not remembered) when `first` finds the row needs `Rows::row`.
    #[inline(always)]
    fn get(&mut self, key: Key, first: impl FnOnce() -> Option<u32>) -> Option<u32> {
        let fold = |w: u128| (w as u64) ^ ((w >> 64) as u64).rotate_left(32);
        let slot = ((key.0
            ^ fold(key.1).rotate_left(16)
            ^ fold(key.2).rotate_left(32)
            ^ fold(key.3).rotate_left(48))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            >> (64 - RECENT_BITS)) as usize;
        if let Some(&(k, i)) = self.recent.get(slot)
            && k == key
        {
            return Some(i);
        }
        let i = match self.keys.get(&key) {
            Some(&i) => i,
            None => {
                let i = first()?;
                self.keys.insert(key, i);
                i
            }
        };
        if self.recent.is_empty() {
            self.recent = vec![((u64::MAX, 0, 0, 0), 0); 1 << RECENT_BITS];
        }
        if let Some(r) = self.recent.get_mut(slot) {
            *r = (key, i);
        }
        Some(i)
    }
}

/// The sum of one raw key: the cell it goes to (or why none) and what it has summed.
struct Acc {
    target: Result<(usize, Option<u32>), crate::diag::Msg>,
    metric: usize,
    /// Σ units (a sum that would overflow sends its row to `Rows::row`).
    total: i128,
    records: u64,
}

/// Per-worker sums by raw key (see the module's comment), added to cells at the end
/// (or when `KEY_LIMIT` keys have been met).
#[derive(Default)]
pub(crate) struct Sums<S> {
    index: KeyIndex,
    accs: Vec<Acc>,
    /// Where the raw keys' cells are found (and the sums end up).
    cells: S,
    /// Why adding the sums to the cells failed, if it did before the end.
    failed: Option<crate::diag::Msg>,
    dates: Dates,
}

impl<S: Sink> Sums<S> {
    /// Sum a well-formed row; `false` when it needs `Rows::row`.
    pub(crate) fn quick(
        &mut self,
        rows: &mut Rows<'_, '_>,
        line_no: u64,
        text: &str,
        line: &Split,
    ) -> bool {
        let t = Texts {
            block: text,
            mapped: "",
        };
        let Some((raw, key)) = parse(rows, &mut self.dates, t, line) else {
            return false;
        };
        self.sum(rows, line_no, t, raw, key)
    }

    /// Sum a row of an export that its profile mapped (`profile::map_fields`): its six
    /// fields are the byte ranges `fields.spans` of the block or of `t.mapped`, already
    /// without blanks around them; `false` when it needs `Rows::row`.
    pub(crate) fn quick_fields(
        &mut self,
        rows: &mut Rows<'_, '_>,
        line_no: u64,
        t: Texts<'_>,
        fields: super::profile::Fields,
    ) -> bool {
        let model = rows.model;
        let Some(p) = model.input.profile.as_ref() else {
            return false;
        };
        // As `Raw::of` asks: names short enough to be looked up packed, the five
        // required fields there.
        if model.needs_entity
            || model.zone_small.is_empty()
            || model.metric_small.is_empty()
            || fields.spans[..5].iter().any(|(s, e)| s >= e)
        {
            return false;
        }
        let raw = Raw {
            spans: fields.spans,
            trimmed: false,
            mapped: fields.mapped,
            export: Some((p.thousands, p.parens)),
        };
        let Some((raw, key)) = key_of(rows, &mut self.dates, t, raw) else {
            return false;
        };
        self.sum(rows, line_no, t, raw, key)
    }

    /// Add a parsed row to its key's sum.
    #[inline(always)]
    fn sum(
        &mut self,
        rows: &mut Rows<'_, '_>,
        line_no: u64,
        t: Texts<'_>,
        raw: Raw,
        key: Key,
    ) -> bool {
        if self.accs.len() >= KEY_LIMIT {
            self.flush();
        }
        let Sums {
            index, accs, cells, ..
        } = self;
        let Some(i) = index.get(key, || {
            // A key met for the first time: resolve its names, check its period and
            // date as `Rows::row` would and find its cell. The units are summed below;
            // a row whose amount needs `Rows::row` must not open a cell here.
            let (zone, metric) = names(rows, &key)?;
            raw.units(t, &rows.model.metrics[metric].quantum)?;
            let r = raw.record(rows, t, line_no, (zone, metric, 0))?;
            accs.push(Acc {
                target: cells.target(rows.model, &r),
                metric,
                total: 0,
                records: 0,
            });
            Some((accs.len() - 1) as u32)
        }) else {
            return false;
        };
        let acc = &mut accs[i as usize];
        let quantum = &rows.model.metrics[acc.metric].quantum;
        let Some(units) = raw.units(t, quantum) else {
            return false;
        };
        match &acc.target {
            Ok(_) => match acc.total.checked_add(units) {
                Some(t) => {
                    acc.total = t;
                    acc.records += 1;
                }
                None => return false,
            },
            Err(msg) => {
                rows.problems
                    .push(Diag::new(&rows.shown, line_no as usize, "", msg.clone()))
            }
        }
        true
    }

    /// Add the sums so far to the cells and forget the keys.
    fn flush(&mut self) {
        for acc in self.accs.drain(..) {
            if let Ok((slot, year)) = acc.target
                && let Err(e) = self
                    .cells
                    .add_bulk(slot, year, acc.metric, acc.total, acc.records)
            {
                self.failed.get_or_insert(e);
            }
        }
        self.index.clear();
    }

    /// Every sum, in cells.
    pub(crate) fn finish(mut self) -> Result<S, crate::diag::Msg> {
        self.flush();
        match self.failed {
            Some(e) => Err(e),
            None => Ok(self.cells),
        }
    }
}

/// What the detail pass knows of one raw key.
struct Target {
    /// The renderer's cell (`None`: no lines), or why the key has none.
    cell: Result<Option<u32>, crate::diag::Msg>,
    /// Whether the period, zone and metric are written as they were read, so that a
    /// row's fields can be copied rather than rebuilt.
    verbatim: bool,
    zone: usize,
    metric: usize,
}

/// Per-worker detail rendering by raw key: a row's cell and whether its fields can be
/// copied are found once per distinct key, as in `Sums`.
#[derive(Default)]
pub(crate) struct Lines<S> {
    index: KeyIndex,
    targets: Vec<Target>,
    cells: S,
    dates: Dates,
}

impl<S: Sink> Lines<S> {
    /// Render a well-formed row into `out`; `false` when it needs `Rows::row`.
    pub(crate) fn quick(
        &mut self,
        rows: &mut Rows<'_, '_>,
        render: &dyn Render<S>,
        out: &mut Vec<u8>,
        line_no: u64,
        text: &str,
        line: &Split,
    ) -> bool {
        let b = text.as_bytes();
        let texts = Texts {
            block: text,
            mapped: "",
        };
        let Some((raw, key)) = parse(rows, &mut self.dates, texts, line) else {
            return false;
        };
        // Period, zone, entity, metric and amount are the file's first five columns.
        let in_order = matches!(
            rows.cols,
            Some([Some(0), Some(1), Some(2), Some(3), Some(4), _])
        );
        if self.targets.len() >= KEY_LIMIT {
            self.targets.clear();
            self.index.clear();
        }
        let Lines {
            index,
            targets,
            cells,
            ..
        } = self;
        let Some(i) = index.get(key, || {
            let (zone, metric) = names(rows, &key)?;
            let r = raw.record(rows, texts, line_no, (zone, metric, 0))?;
            targets.push(Target {
                cell: render.cell(cells, &r),
                verbatim: render.verbatim(&r, raw.get(b, 0), raw.get(b, 1), raw.get(b, 3)),
                zone,
                metric,
            });
            Some((targets.len() - 1) as u32)
        }) else {
            return false;
        };
        let t = &targets[i as usize];
        let quantum = &rows.model.metrics[t.metric].quantum;
        let Some(units) = fast_units_bytes(raw.get(b, 4), quantum) else {
            return false;
        };
        match t.cell {
            Ok(Some(cell)) => {
                // The five fields in order, one comma apart and amount as the output
                // writes it: copied as they are.
                let s = &raw.spans;
                let (first, last) = (s[0].0, s[4].1);
                if t.verbatim
                    && in_order
                    && rows.delim == b','
                    && !raw.trimmed
                    && is_canonical(raw.get(b, 4), quantum.decimals, units)
                {
                    let fields = Fields::Raw {
                        block: b,
                        fields: first..last,
                        entity: s[2].0..s[2].1,
                    };
                    render.lines(out, cell, line_no, units, fields);
                } else {
                    let Some(r) = raw.record(rows, texts, line_no, (t.zone, t.metric, units))
                    else {
                        return false;
                    };
                    render.lines(out, cell, line_no, units, Fields::Record(&r));
                }
            }
            Ok(None) => {}
            Err(ref msg) => {
                rows.problems
                    .push(Diag::new(&rows.shown, line_no as usize, "", msg.clone()))
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A bare carriage return is found wherever it falls against the 64-byte
        /// chunks (texts up to three chunks of `\r`, `\n` and a letter), and a CRLF
        /// text with one `\r` put anywhere.
        #[test]
        fn finds_a_bare_carriage_return_like_a_byte_loop(
            b in proptest::collection::vec(
                proptest::sample::select(vec![b'\r', b'\n', b'a', b'a', b'a']),
                0..200,
            ),
            crlf in proptest::collection::vec(proptest::sample::select(vec!["\r\n", "ab", "a,"]), 0..120),
        ) {
            let slow = |b: &[u8]| (0..b.len()).any(|i| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
            let found = |r: Result<bool, BareCr>| r == Err(BareCr);
            let crlf = crlf.concat().into_bytes();
            let mut texts = vec![b.clone(), crlf.clone()];
            for at in 0..=crlf.len() {
                let mut t = crlf.clone();
                t.insert(at, b'\r');
                texts.push(t);
            }
            for b in &texts {
                proptest::prop_assert_eq!(found(each_line(b, b',', true, |_| true)), slow(b));
                proptest::prop_assert_eq!(found(each_line_quoted(b, b',', true, |_| true)), slow(b));
                proptest::prop_assert_eq!(found(each_line(b, b';', true, |_| true)), slow(b));
            }
        }
    }

    proptest::proptest! {
        /// A line's quotes are stray exactly when its fields are not each quoted whole
        /// (`"…"`) or not at all — judged field by field as `stream::export_cells`
        /// once did — wherever the quotes fall against the 64-byte chunks.
        #[test]
        fn stray_quotes_are_those_of_fields_not_quoted_whole(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["a", "a", ",", "\"", "\"a\"", "\"a,b\"", "\"\"", "\n", "\r\n"]),
                0..40,
            ),
        ) {
            // Shifted by a first line of every length, so that each quote and
            // separator falls on every place of a chunk.
            for shift in 0..64 {
                let text = format!("{}\n{}", "a".repeat(shift), pieces.concat());
                stray_as_fields_say(&text);
            }
        }
    }

    fn stray_as_fields_say(text: &str) {
        let b = text.as_bytes();
        let mut open = false;
        each_line_quoted(b, b',', true, |s| {
            let line_open = open;
            open ^= s.quotes % 2 == 1;
            if line_open || s.quotes % 2 == 1 || s.n == 0 {
                return true;
            }
            let mut end = s.end;
            if end > s.start() && b[end - 1] == b'\r' {
                end -= 1;
            }
            let mut seen = 0;
            let mut whole = true;
            for k in 0..s.n {
                let (a, e) = s.field(k);
                let f = &b[a..e.min(end)];
                if f.first() == Some(&b'"') {
                    whole &= f.len() >= 2 && f[f.len() - 1] == b'"';
                    seen += 2;
                }
            }
            whole &= seen == s.quotes;
            assert_eq!(s.stray, !whole, "{:?}", &text[s.start()..s.end]);
            true
        })
        .ok();
    }

    /// Quotes and cuts of `each_line_quoted`: a delimiter inside quotes does not cut,
    /// the quotes of each line are counted, and their parity carries over a line end
    /// inside quotes (a record that goes on over lines).
    #[test]
    fn quoted_cuts_skip_delimiters_inside_quotes() {
        let text = "a,\"1,234.00\",b\nc,\"x\ny,z\",d\ne,f\n";
        let mut got = Vec::new();
        each_line_quoted(text.as_bytes(), b',', false, |s| {
            let fields: Vec<&str> = (0..s.n)
                .map(|k| {
                    let (a, b) = s.field(k);
                    &text[a..b.min(s.end)]
                })
                .collect();
            got.push((fields, s.quotes));
            true
        })
        .unwrap();
        assert_eq!(got[0], (vec!["a", "\"1,234.00\"", "b"], 2));
        // The record's first line: its quote opens, the comma after it is inside.
        assert_eq!(got[1], (vec!["c", "\"x"], 1));
        assert_eq!(got[2], (vec!["y,z\"", "d"], 1));
        assert_eq!(got[3], (vec!["e", "f"], 0));
        // Wherever the quotes fall against the 64-byte chunks.
        for k in 0..140 {
            let text = format!("{},\"1,2,3\",b\n\"p,q\",r\n", "x".repeat(k));
            let mut lines = Vec::new();
            each_line_quoted(text.as_bytes(), b',', false, |s| {
                lines.push((s.n, s.quotes));
                true
            })
            .unwrap();
            assert_eq!(lines, [(3, 2), (2, 2)], "{k}");
        }
    }

    /// Every line of `text` as its fields (`None` for a line of too many fields).
    fn split(text: &str) -> Vec<Option<Vec<&str>>> {
        let mut out = Vec::new();
        each_line(text.as_bytes(), b',', false, |s| {
            out.push((s.n > 0).then(|| {
                (0..s.n)
                    .map(|k| &text[s.cuts[k] as usize..s.cuts[k + 1] as usize - 1])
                    .collect()
            }));
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn splits_lines_like_str_split_wherever_the_64_byte_chunks_fall() {
        let lines = [
            "a,b",
            "",
            ",",
            "2025-01,z,e,vat,1.00,",
            "0123456,89abcdef,,x",
            "1234567,",
            "a,bb,ccc,dddd,eeeee,ffffff,ggggggg,hhhhhhhh",
        ];
        // Shift everything by 0..70 bytes so that separators land on every offset of
        // a chunk, its first and last byte included; with and without a final '\n'.
        for pad in 0..70 {
            for end in ["", "\n"] {
                let mut all = vec!["x".repeat(pad)];
                all.extend(lines.iter().map(|l| l.to_string()));
                let text = all.join("\n") + end;
                let expect: Vec<Option<Vec<&str>>> = text
                    .strip_suffix('\n')
                    .unwrap_or(&text)
                    .split('\n')
                    .map(|l| Some(l.split(',').collect()))
                    .collect();
                assert_eq!(split(&text), expect, "pad {pad}, end {end:?}");
            }
        }
        assert!(split("").is_empty());
        assert_eq!(split("\n"), vec![Some(vec![""])]);
    }

    #[test]
    fn the_year_index_on_bytes_is_the_engines() {
        use crate::period::year_index;
        use crate::period::{Period, parse_date};
        let dates = [
            "2014-04-01",
            "2019-11-20",
            "2020-02-29",
            "2024-02-29",
            "2025-01-01",
            "2025-03-31",
            "2025-04-01",
            "2025-12-31",
            "2026-01-01",
            "2016-02-29",
            "2023-03-01",
            "2000-02-29",
        ];
        let periods = [
            "2025-01", "2025-02", "2025-03", "2025-04", "2025-Q1", "2025-Q2", "2025", "2028-02",
            "2024-03", "2026", "2020-Q1",
        ];
        for d in dates {
            for p in periods {
                let want = year_index(parse_date(d).unwrap(), Period::parse(p).unwrap()).ok();
                assert_eq!(
                    super::year_index_bytes(d.as_bytes(), p.as_bytes()),
                    want,
                    "{d} {p}"
                );
            }
        }
        for bad in [
            "2025-02-30",
            "2025-13-01",
            "2025-1-01",
            "20250101xx",
            "2025/01/01",
        ] {
            assert_eq!(
                super::year_index_bytes(bad.as_bytes(), b"2025-06"),
                None,
                "{bad}"
            );
        }
    }

    #[test]
    fn more_than_sixteen_fields_are_left_to_the_general_reader() {
        assert_eq!(split(&",".repeat(16)), vec![None]);
        assert_eq!(split(&",".repeat(15)).len(), 1);
        assert_eq!(split(&",".repeat(15))[0].as_ref().map(Vec::len), Some(16));
    }
}
