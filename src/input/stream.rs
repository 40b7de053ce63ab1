//! The fast path for large CSV files: streamed in blocks, hashed while read, parsed on
//! every core, in constant memory.
//!
//! A province's parks produce millions of records a year and the split is re-run many
//! times, so reading must be limited by the disk, not by us. The reader thread reads
//! 1 MiB blocks cut at line ends, feeds them to SHA-256 (the manifest's hash comes from
//! the same pass) and hands them to worker threads, which check rows with the same
//! `Rows` code as the general reader and sum them into their own cells; the cells are
//! merged exactly at the end. Memory is a few blocks in flight plus the cells.
//!
//! It takes the files offices export: UTF-8, GB18030 (decoded by the workers, block by
//! block) or UTF-16 with its byte order mark (decoded as read), separated by commas,
//! tabs or semicolons, CRLF, quoted fields (blocks are cut at a line end outside quotes;
//! a record with quotes is split by `csv-core` as the general reader splits it),
//! Chinese names (a line that is not ASCII goes through the general row check).
//! On a bare `\r`, a NUL byte or bytes of neither encoding it gives up and the caller
//! reads the file with the general reader (`records::read_records`), which is the
//! reference for every rule of SPEC §7 and says where the bytes are wrong.
//!
//! `blocks` cuts and hashes; this module runs the workers over the blocks (`pipeline`:
//! in order out, whatever order they finish in) and turns each block into rows.

use super::Record;
pub use super::blocks::Fallback;
use super::blocks::{Block, BlockText, Blocks, Progress};
use super::fastrow::{BareCr, Lines, Split, Sums, each_line, each_line_quoted};
use super::profile::Plan;
use super::records::Rows;
use super::sink::{Fields, Render, Sink};
use crate::diag::{Diag, Problems};
use crate::model::Model;
use crate::period::Granularity;
use std::borrow::Cow;
use std::path::Path;

/// Block size: large enough for fast reads, small enough for constant memory.
const BLOCK: usize = 1 << 20;

/// A block's text as the workers read it: UTF-8, or GB18030 bytes whose lines are cut
/// as they stand and decoded only where they are read (`gb18030`: the delimiters,
/// quotes and line ends are never part of a GB18030 character, so every cut is a
/// character boundary in either).
#[derive(Clone, Copy)]
enum Text<'b> {
    Utf8(&'b str),
    Gb18030(&'b [u8]),
}

impl<'b> Text<'b> {
    fn bytes(self) -> &'b [u8] {
        match self {
            Text::Utf8(t) => t.as_bytes(),
            Text::Gb18030(b) => b,
        }
    }

    /// Bytes `s..e` (cut at line ends or delimiters) as text.
    fn get(self, s: usize, e: usize) -> Cow<'b, str> {
        match self {
            Text::Utf8(t) => Cow::Borrowed(t.get(s..e).unwrap_or_default()),
            Text::Gb18030(b) => super::gb18030::decode(b.get(s..e).unwrap_or_default()),
        }
    }
}

/// What the byte path is given of a row: a line and where its fields are, or an
/// export's row whose six fields its profile found (`profile::map_fields`: byte ranges
/// of the block, or of the text given with them that the profile rewrote).
enum Quick<'s> {
    Line(&'s Split),
    Fields(super::profile::Fields, &'s str),
}

/// Feed every line of a block to `rows`, trying `quick` first; false when reading must
/// stop (a bad header); `BareCr` when the block (`cr`: it holds a `\r`) has a `\r`
/// that ends no CRLF line.
fn lines(
    rows: &mut Rows<'_, '_>,
    text: Text<'_>,
    first_line: u64,
    cr: bool,
    profiled: bool,
    mut quick: impl FnMut(&mut Rows<'_, '_>, u64, &str, Quick<'_>) -> bool,
) -> Result<bool, BareCr> {
    let bytes = text.bytes();
    // The byte paths take ASCII lines (no byte order mark, no Unicode blank to trim);
    // a pure-ASCII block needs no check per line. A GB18030 block's lines are read
    // through a profile (`exported_quick`) or the general way.
    let utf8 = match text {
        Text::Utf8(t) => Some(t),
        Text::Gb18030(_) => None,
    };
    let all_ascii = utf8.is_some() && bytes.is_ascii();
    let any_quote = memchr::memchr(b'"', bytes).is_some();
    let mut line = first_line;
    // A quoted record that goes on over more lines: its first line and start.
    let mut open: Option<(u64, usize)> = None;
    let delim = rows.delim;
    let mut scratch = Scratch::default();
    // Through a profile only `exported_quick` reads the cuts: there they skip the
    // delimiters inside quotes, so that a quoted amount is one field.
    let cut_quoted = profiled && rows.model.input.profile.is_some();
    let mut each = |split: &Split| {
        let this = line;
        line += 1;
        let (start, end) = (split.start(), split.end);
        if let Some((at, from)) = open {
            if quotes(&bytes[from..end]) % 2 == 1 {
                return true;
            }
            open = None;
            return quoted(rows, at, &text.get(from, end));
        }
        let raw = &bytes[start..end];
        if profiled
            && rows.export.is_some()
            && exported_quick(rows, &mut scratch, this, text, split, &mut quick)
        {
            return true;
        }
        if any_quote && memchr::memchr(b'"', raw).is_some() {
            if quotes(raw) % 2 == 1 {
                open = Some((this, start));
                return true;
            }
            return quoted(rows, this, &text.get(start, end));
        }
        utf8.is_some_and(|t| {
            (all_ascii || raw.is_ascii()) && quick(rows, this, t, Quick::Line(split))
        }) || {
            // The general row check: headers, blank lines and every kind of mistake,
            // with its messages. The delimiter and '\n' are ASCII, so every cut is a
            // char boundary.
            let line = text.get(start, end);
            let fields: Vec<&str> = line.split(char::from(delim)).map(str::trim_ascii).collect();
            rows.row(this, &fields)
        }
    };
    let go_on = if cut_quoted {
        each_line_quoted(bytes, delim, cr, &mut each)?
    } else {
        each_line(bytes, delim, cr, &mut each)?
    };
    Ok(match open {
        // Blocks are cut outside quotes: only the file's last record can be left open.
        Some((at, from)) if go_on => quoted(rows, at, &text.get(from, bytes.len())),
        _ => go_on,
    })
}

/// At most this many fields in an export's row take `exported_quick`.
const EXPORT_FIELDS: usize = 64;

/// The cells of an export's line that its profile reads, as byte ranges (in the block)
/// without the blanks around them, put in their slots (`profile::Plan`): a field
/// quoted whole without its quotes, a CRLF line's `\r` left out. The line was cut by
/// `each_line_quoted`, so a quoted field is one cut. The line must have the header's
/// width (Excel's trailing empty cells aside). `None` for a line with any other quote
/// (a quote written twice, a quote inside a field, one not closed on this line),
/// another width or more fields than `EXPORT_FIELDS`: csv-core's business. A UTF-8
/// line's cells are taken without the blanks around them; a GB18030 line's as they
/// stand (`gb18030_cells` trims what it reads).
fn export_cells(
    text: Text<'_>,
    split: &Split,
    delim: u8,
    h: &super::profile::Header,
    got: &mut [(u32, u32); Plan::SLOTS],
) -> Option<()> {
    let b = text.bytes();
    #[inline(always)]
    fn trim(text: Text<'_>, s: usize, e: usize) -> (u32, u32) {
        match text {
            Text::Utf8(t) => trimmed(t, s, e),
            Text::Gb18030(_) => (s as u32, e as u32),
        }
    }
    let blank = |s: usize, e: usize| match text {
        Text::Utf8(t) => t.get(s..e).is_some_and(|v| v.trim().is_empty()),
        // ASCII blanks only (a GB18030 cell of other blanks goes the general way).
        Text::Gb18030(b) => {
            (b.get(s..e)).is_some_and(|v| v.iter().all(|&c| matches!(c, b'\t'..=b'\r' | b' ')))
        }
    };
    let (start, mut end) = (split.start(), split.end);
    if end > start && b[end - 1] == b'\r' {
        end -= 1;
    }
    let plan = &h.plan;
    if plan.slot.len() != h.width {
        return None;
    }
    let mut column = 0;
    let mut put = |s: usize, e: usize| -> Option<()> {
        match plan.slot.get(column) {
            Some(&k) if k != Plan::UNUSED => *got.get_mut(usize::from(k))? = trim(text, s, e),
            Some(_) => {}
            // Past the header's width only blank cells (Excel's trailing ones).
            None => {
                if !blank(s, e) {
                    return None;
                }
            }
        }
        column += 1;
        Some(())
    };
    let Some(n) = split.fields() else {
        wide_export_cells(b, start, end, delim, &mut put)?;
        return (column >= h.width).then_some(());
    };
    let range = |k: usize| {
        let (s, e) = split.field(k);
        (s, e.min(end))
    };
    // Counted by the scan that cut the line.
    let quotes = split.quotes;
    if n == h.width {
        // The usual line: as many cells as the header. Every quote must be one of the
        // pairs around a whole cell (a quoted name nobody reads counts too: the scan
        // that cut the line says whether one is not, `Split::stray`, and an odd count
        // is a record going on over lines); then only the cells the profile reads are
        // looked at.
        if quotes != 0 && (split.stray || quotes % 2 == 1) {
            return None;
        }
        for &(c, k) in &plan.used {
            let (mut s, mut e) = range(c);
            if quotes != 0 && b.get(s) == Some(&b'"') {
                (s, e) = (s + 1, e - 1);
            }
            *got.get_mut(usize::from(k))? = trim(text, s, e);
        }
        return Some(());
    }
    let mut seen = 0;
    for k in 0..n {
        let (s, e) = range(k);
        if quotes != 0 && b.get(s) == Some(&b'"') {
            // Quoted whole: it ends with the closing quote.
            if e < s + 2 || b[e - 1] != b'"' {
                return None;
            }
            put(s + 1, e - 1)?;
            seen += 2;
        } else {
            put(s, e)?;
        }
    }
    // Every quote was one of the pairs around a whole field.
    (seen == quotes && column >= h.width).then_some(())
}

/// `text[s..e]` without the blanks around it, as a range: on bytes (a row's cells are
/// ASCII nearly always), `trim`'s way where an end is a blank or not ASCII.
#[inline(always)]
fn trimmed(text: &str, s: usize, e: usize) -> (u32, u32) {
    let b = text.as_bytes();
    let odd = |x: Option<&u8>| x.is_some_and(|&x| x <= b' ' || x >= 0x80);
    if !odd(b.get(s)) && (e <= s || !odd(b.get(e - 1))) {
        return (s as u32, e as u32);
    }
    // (Cells are cut at ASCII bytes, so their ends are char boundaries; were one not,
    // the cell reads as empty and the row goes the general way.)
    let Some(v) = text.get(s..e) else {
        return (s as u32, s as u32);
    };
    // A Chinese name begins and ends with a character that is no blank: look at those
    // two before trimming (U+3000, the ideographic space, is one to trim).
    let blank = |c: Option<char>| c.is_some_and(char::is_whitespace);
    if !blank(v.chars().next()) && !blank(v.chars().next_back()) {
        return (s as u32, e as u32);
    }
    let v = v.trim();
    let from = v.as_ptr() as usize - text.as_ptr() as usize;
    (from as u32, (from + v.len()) as u32)
}

/// `export_cells` for a line of more fields than `each_line` splits: each cell found
/// by scanning for the delimiter and quotes, given to `put`.
fn wide_export_cells(
    b: &[u8],
    start: usize,
    end: usize,
    delim: u8,
    put: &mut impl FnMut(usize, usize) -> Option<()>,
) -> Option<()> {
    let (mut from, mut at) = (start, start);
    let mut cells = 0;
    loop {
        // The next delimiter or quote; a quote jumps to its closing one (a quote
        // written twice inside is caught below: the field then holds a quote).
        let cut = match memchr::memchr2(delim, b'"', &b[at..end]) {
            Some(k) if b[at + k] == b'"' => {
                let k2 = memchr::memchr(b'"', &b[at + k + 1..end])?;
                at += k + k2 + 2;
                continue;
            }
            Some(k) => at + k,
            None => end,
        };
        let f = &b[from..cut];
        // A field quoted whole, with no quote inside: its inner text (from + 1 ..
        // cut − 1, only where the field holds both quotes).
        let quoted = f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"';
        if quoted && memchr::memchr(b'"', &f[1..f.len() - 1]).is_none() {
            put(from + 1, cut - 1)?;
        } else if memchr::memchr(b'"', f).is_some() {
            return None;
        } else {
            put(from, cut)?;
        }
        cells += 1;
        if cells > EXPORT_FIELDS {
            return None;
        }
        if cut == end {
            return Some(());
        }
        from = cut + 1;
        at = from;
    }
}

/// What `exported_quick` reuses from row to row of a block: the cells' ranges and
/// the text a profile rewrote.
#[derive(Default)]
struct Scratch {
    cells: super::profile::Cells,
    row: String,
    /// A GB18030 row's cells that its profile reads, as UTF-8.
    read: Vec<u8>,
}

/// A row of an export through a profile, on the byte path: the cells its profile reads
/// found (a field quoted whole, `"1,234.56"`, is taken without its quotes; any other
/// quote sends the row to csv-core), mapped by `profile::map_fields` (ranges of the
/// block, and of what the profile rewrote) and summed by `quick` like a row of a
/// plain file. False, and nothing done, for anything else: the row then goes the
/// general way, which reports it.
fn exported_quick(
    rows: &mut Rows<'_, '_>,
    scratch: &mut Scratch,
    line_no: u64,
    text: Text<'_>,
    split: &Split,
    quick: &mut impl FnMut(&mut Rows<'_, '_>, u64, &str, Quick<'_>) -> bool,
) -> bool {
    let Some(p) = rows.model.input.profile.as_ref() else {
        return false;
    };
    let Some(h) = rows.export.as_ref() else {
        return false;
    };
    // Every slot is written (a line of the header's width visits every column).
    let Scratch { cells, row, read } = scratch;
    let text = match text {
        Text::Utf8(t) => {
            if export_cells(text, split, rows.delim, h, &mut cells.ranges).is_none() {
                return false;
            }
            t
        }
        Text::Gb18030(b) => {
            // Cut as they stand; each cell read is then made text, and trimmed, by
            // `gb18030_cells`.
            if export_cells(text, split, rows.delim, h, &mut cells.ranges).is_none() {
                return false;
            }
            gb18030_cells(b, &h.plan, cells, read);
            let Ok(t) = std::str::from_utf8(read) else {
                return false;
            };
            t
        }
    };
    let Some(fields) = super::profile::map_fields(p, h, text, cells, &rows.model.entities, row)
    else {
        return false;
    };
    quick(rows, line_no, text, Quick::Fields(fields, row))
}

/// The cells of a GB18030 line that its profile reads (`cells`: ranges of `b`, blanks
/// around them included) as UTF-8 in `out`, without the blanks around them; `cells`
/// then holds ranges of `out`. An ASCII cell is copied, a cell whose bytes are one of
/// the profile's texts (`gb18030::Known`) is marked as that text, any other is decoded.
fn gb18030_cells(b: &[u8], plan: &Plan, cells: &mut super::profile::Cells, out: &mut Vec<u8>) {
    out.clear();
    cells.known = 0;
    for &(_, k) in &plan.used {
        let k = usize::from(k) % Plan::SLOTS;
        let (s, e) = cells.ranges[k];
        let v = b.get(s as usize..e as usize).unwrap_or_default();
        let from = out.len();
        let visible = |x: Option<&u8>| x.is_some_and(|&x| x > b' ' && x < 0x80);
        if visible(v.first()) && visible(v.last()) && v.is_ascii() {
            out.extend_from_slice(v);
        } else if let Some(i) = plan.known.find(v) {
            cells.known |= 1 << k;
            cells.index[k] = i;
        } else {
            out.extend_from_slice(super::gb18030::decode(v).trim().as_bytes());
        }
        cells.ranges[k] = (from as u32, out.len() as u32);
    }
}

fn quotes(b: &[u8]) -> usize {
    memchr::memchr_iter(b'"', b).count()
}

/// A record with quotes (RFC 4180: a field may hold commas, quotes written twice and
/// line ends), split as the general reader splits it, starting on line `at`.
fn quoted(rows: &mut Rows<'_, '_>, at: u64, text: &str) -> bool {
    thread_local! {
        /// One parser per thread and delimiter, reused: an export quotes nearly every
        /// amount ("1,234.56"), and building a parser per row would cost more than
        /// the row.
        static PARSER: std::cell::RefCell<Option<(u8, super::text::Records)>> =
            const { std::cell::RefCell::new(None) };
    }
    let mut records = PARSER
        .with(|p| p.borrow_mut().take())
        .filter(|(d, _)| *d == rows.delim)
        .map_or_else(|| super::text::Records::new(rows.delim), |(_, r)| r);
    records.restart();
    let mut go_on = true;
    let res = records.feed(text, true, &mut |rec| {
        let fields: Vec<&str> = rec.fields.iter().map(String::as_str).collect();
        go_on = rows.row(at + rec.line - 1, &fields);
        go_on
    });
    let delim = rows.delim;
    PARSER.with(|p| *p.borrow_mut() = Some((delim, records)));
    if let Err(super::text::TextError::Unclosed(l)) = res {
        let shown = rows.shown.clone();
        rows.problems.push(Diag::new(
            &shown,
            (at + l - 1) as usize,
            "",
            crate::msg!("E0207"),
        ));
        return false;
    }
    go_on
}

/// What a worker does with each row.
enum Job<'r, S> {
    /// Sum records into cells (the plain run).
    Sum,
    /// Turn each record into output bytes (detail.csv).
    Render(&'r dyn Render<S>),
}

// By hand: a derive would ask `S: Copy`, and a job only borrows.
impl<S> Clone for Job<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<S> Copy for Job<'_, S> {}

/// What each worker keeps: its cells, its sums by raw key, its problems and the
/// run's granularity (already fixed when the pipeline starts).
struct Worker<'a, S> {
    cells: S,
    sums: Sums<S>,
    lines: Lines<S>,
    problems: Problems,
    granularity: Option<(Granularity, String)>,
    rows: RowsSetup<'a>,
    /// Why the file goes to the general reader after all (a block was not GB18030, a
    /// bare carriage return), if it does.
    failed: Option<&'static str>,
    /// Rows a profile skipped and dropped in this worker's blocks.
    tally: super::profile::Tally,
}

/// What every worker needs to check rows the way `Rows` does.
#[derive(Clone)]
struct RowsSetup<'a> {
    model: &'a Model,
    file: usize,
    shown: String,
    cols: Option<[Option<usize>; 6]>,
    width: usize,
    /// The delimiter: forced, or the one the first block's header uses most (as the
    /// general reader decides it).
    delim: Option<u8>,
    /// Through a profile: the export's header, once the first worker found it.
    export: Option<super::profile::Header>,
}

impl<'a, S: Sink> Worker<'a, S> {
    fn new(
        rows: RowsSetup<'a>,
        granularity: Option<(Granularity, String)>,
        limit: usize,
    ) -> Worker<'a, S> {
        Worker {
            cells: S::default(),
            sums: Sums::default(),
            lines: Lines::default(),
            problems: Problems::new(limit),
            granularity,
            rows,
            failed: None,
            tally: Default::default(),
        }
    }

    /// A worker for the pipeline, set up like this one after the header phase.
    fn sibling(&self) -> Worker<'a, S> {
        Worker::new(
            self.rows.clone(),
            self.granularity.clone(),
            self.problems.limit,
        )
    }

    /// Do `job` on every row of `block`; the rendered bytes go to `out`. False when
    /// reading must stop (a bad header).
    fn run(&mut self, job: Job<'_, S>, block: &Block, out: &mut Vec<u8>) -> bool {
        let mut decoded: Option<Cow<'_, str>> = None;
        let text = match &block.text {
            BlockText::Utf8(t) => Text::Utf8(t.as_str()),
            BlockText::Gb18030(raw) => {
                // (The standard library's check: vectorized, many times faster.)
                let read = if raw.is_ascii() {
                    // ASCII reads alike in both encodings (and is checked again as
                    // UTF-8, as a plain file's blocks are).
                    std::str::from_utf8(raw).ok().map(Text::Utf8)
                } else if matches!(job, Job::Sum) && self.rows.model.input.profile.is_some() {
                    // Summed through a profile, a block is read on its bytes once they
                    // are known to be GB18030 (`gb18030`).
                    super::gb18030::valid(raw).then_some(Text::Gb18030(raw))
                } else {
                    (encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(raw))
                        .map(|t| Text::Utf8(&*decoded.insert(t)))
                };
                let Some(text) = read else {
                    // Not GB18030 after all: the general reader finds the offset and
                    // says it.
                    self.failed = Some("not GB18030");
                    return true;
                };
                text
            }
        };
        let Worker {
            cells,
            sums,
            lines: by_key,
            problems,
            granularity,
            rows: setup,
            ..
        } = self;
        let model = setup.model;
        let delim = *setup.delim.get_or_insert_with(|| {
            // Through a profile, the header's delimiter, not the title line's.
            let header = model.input.profile.as_ref().map_or(1, |p| p.header);
            model.input.delimiter.unwrap_or_else(|| {
                super::records::sniff_header_delimiter(&text.get(0, text.bytes().len()), header)
            })
        });
        // Rows of either path render into `out`, one row at a time.
        let out = std::cell::RefCell::new(out);
        let mut sink = |r: &Record<'_>| match job {
            Job::Sum => cells.add(model, r),
            Job::Render(render) => {
                if let Some(cell) = render.cell(cells, r)? {
                    let out = &mut **out.borrow_mut();
                    render.lines(out, cell, r.line, r.units, Fields::Record(r));
                }
                Ok(())
            }
        };
        let mut rows = Rows {
            model,
            file: setup.file,
            shown: setup.shown.clone(),
            cols: setup.cols,
            width: setup.width,
            granularity,
            problems,
            sink: &mut sink,
            delim,
            export: setup.export.clone(),
            tally: Default::default(),
        };
        let go_on = match job {
            // Through a profile, summing takes the byte path too; detail.csv keeps
            // the general one.
            Job::Sum => lines(
                &mut rows,
                text,
                block.line,
                block.cr,
                true,
                |rows, n, text, row| match row {
                    Quick::Line(split) => sums.quick(rows, n, text, split),
                    Quick::Fields(fields, mapped) => {
                        let t = super::fastrow::Texts {
                            block: text,
                            mapped,
                        };
                        sums.quick_fields(rows, n, t, fields)
                    }
                },
            ),
            Job::Render(render) => lines(
                &mut rows,
                text,
                block.line,
                block.cr,
                false,
                |rows, n, text, row| match row {
                    Quick::Line(split) => {
                        let out = &mut **out.borrow_mut();
                        by_key.quick(rows, render, out, n, text, split)
                    }
                    Quick::Fields(..) => false,
                },
            ),
        };
        setup.cols = rows.cols;
        setup.width = rows.width;
        setup.export = rows.export.take();
        self.tally.merge(std::mem::take(&mut rows.tally));
        match go_on {
            Ok(go_on) => go_on,
            Err(BareCr) => {
                // The general reader says where.
                self.failed = Some("bare carriage returns");
                true
            }
        }
    }

    /// Everything this worker summed, in its cells.
    fn cells(self) -> Result<S, Fallback> {
        let mut cells = self
            .sums
            .finish()
            .map_err(|m| Fallback::Io(std::io::Error::other(m)))?;
        cells
            .merge(self.cells)
            .map_err(|m| Fallback::Io(std::io::Error::other(m)))?;
        Ok(cells)
    }
}

/// The rest of a file on `threads` workers: the reader (this thread) hashes and cuts
/// blocks, each worker turns a block into an output with `work`, and `consume` gets the
/// outputs in file order. Returns the workers' final states.
fn pipeline<'a, O: Send, S: Sink>(
    blocks: &mut Blocks,
    path: &Path,
    threads: usize,
    setup: &Worker<'a, S>,
    work: &(dyn Fn(&mut Worker<'a, S>, &Block) -> O + Sync),
    consume: &mut dyn FnMut(O),
    gave_up: &std::sync::atomic::AtomicBool,
) -> Result<Vec<Worker<'a, S>>, Fallback> {
    use std::sync::{Arc, Mutex, mpsc};
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(u64, Block)>(threads * 2);
        let (done_tx, done_rx) = mpsc::channel::<(u64, O, Block)>();
        let rx = Arc::new(Mutex::new(rx));
        let mut handles = Vec::new();
        for _ in 0..threads {
            let rx = rx.clone();
            let done_tx = done_tx.clone();
            let mut w = setup.sibling();
            handles.push(scope.spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => break,
                    };
                    let Ok((seq, block)) = next else { break };
                    let o = work(&mut w, &block);
                    if done_tx.send((seq, o, block)).is_err() {
                        break;
                    }
                }
                w
            }));
        }
        drop(done_tx);
        let mut pending = std::collections::BTreeMap::new();
        let mut next_out = 0u64;
        let mut deliver = |pending: &mut std::collections::BTreeMap<u64, O>, next_out: &mut u64| {
            while let Some(o) = pending.remove(next_out) {
                consume(o);
                *next_out += 1;
            }
        };
        let mut seq = 0u64;
        let mut outcome = Ok(());
        let mut progress = Progress::new(path);
        loop {
            // A worker found the file is for the general reader: no more to read.
            if gave_up.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            match blocks.next() {
                Ok(Some(b)) => {
                    if tx.send((seq, b)).is_err() {
                        break;
                    }
                    seq += 1;
                    progress.update(blocks.size);
                }
                Ok(None) => break,
                Err(f) => {
                    outcome = Err(f);
                    break;
                }
            }
            while let Ok((s, o, b)) = done_rx.try_recv() {
                pending.insert(s, o);
                blocks.recycle(b);
            }
            deliver(&mut pending, &mut next_out);
        }
        drop(tx);
        while let Ok((s, o, _)) = done_rx.recv() {
            pending.insert(s, o);
            deliver(&mut pending, &mut next_out);
        }
        let workers: Vec<Worker<'a, S>> =
            handles.into_iter().filter_map(|h| h.join().ok()).collect();
        outcome.map(|()| workers)
    })
}

/// A whole file through `job`: the header and the rows up to the first record (which
/// fixes the run's granularity) on this thread, so that workers check rows exactly as
/// the general reader would, then the rest on `threads` workers. Rendered bytes go to
/// `out` in file order. On success the run's granularity and the rows' problems (in
/// line order) are added to the caller's; returns every worker (the first one first),
/// whether a bad header stopped the reading, and the blocks (for the file's hash).
#[allow(clippy::too_many_arguments)]
fn stream<'a, S: Sink>(
    path: &Path,
    encoding: super::Encoding,
    file: usize,
    model: &'a Model,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    threads: usize,
    block: usize,
    job: Job<'_, S>,
    buffers: &Buffers,
    out: &mut dyn FnMut(Vec<u8>) -> std::io::Result<()>,
) -> Result<(Vec<Worker<'a, S>>, bool, Blocks), Fallback> {
    let mut blocks = Blocks::open(path, block, encoding).map_err(Fallback::Io)?;
    let setup = RowsSetup {
        model,
        file,
        shown: crate::pathtext::show(path),
        cols: None,
        width: 0,
        delim: None,
        export: None,
    };
    let mut first = Worker::new(setup, granularity.clone(), problems.limit);
    let mut buf = Vec::new();
    let mut stopped = false;
    while first.rows.cols.is_none() || first.granularity.is_none() {
        let Some(block) = blocks.next()? else { break };
        buf.clear();
        stopped = !first.run(job, &block, &mut buf);
        if !buf.is_empty() {
            out(std::mem::take(&mut buf)).map_err(Fallback::Io)?;
        }
        if stopped {
            break;
        }
    }
    let mut workers = Vec::new();
    if !stopped && first.rows.cols.is_some() {
        // Once a worker found the file is for the general reader, the blocks in
        // flight are not parsed and no more are read.
        let gave_up = std::sync::atomic::AtomicBool::new(first.failed.is_some());
        let work = |w: &mut Worker<'a, S>, block: &Block| -> Vec<u8> {
            use std::sync::atomic::Ordering::Relaxed;
            let mut buf = Vec::new();
            if gave_up.load(Relaxed) {
                return buf;
            }
            if let Job::Render(_) = job {
                // Detail lines are a few times longer than records.
                buf = buffers.take();
                buf.reserve(block.text.len() * 6);
            }
            w.run(job, block, &mut buf);
            if w.failed.is_some() {
                gave_up.store(true, Relaxed);
            }
            buf
        };
        let mut write_err: Option<std::io::Error> = None;
        let mut consume = |buf: Vec<u8>| {
            if write_err.is_none()
                && !buf.is_empty()
                && let Err(e) = out(buf)
            {
                write_err = Some(e);
            }
        };
        workers = pipeline(
            &mut blocks,
            path,
            threads,
            &first,
            &work,
            &mut consume,
            &gave_up,
        )?;
        if let Some(e) = write_err {
            return Err(Fallback::Io(e));
        }
    }
    if let Some(why) = first
        .failed
        .or_else(|| workers.iter().find_map(|w| w.failed))
    {
        return Err(Fallback::NotPlain(why));
    }
    // Everything read: now the caller's state learns what the workers found.
    granularity.clone_from(&first.granularity);
    workers.insert(0, first);
    collect_problems(&mut workers, problems);
    let mut tally = super::profile::Tally::default();
    for w in &mut workers {
        tally.merge(std::mem::take(&mut w.tally));
    }
    problems
        .notes
        .extend(tally.note(&crate::pathtext::show(path)));
    Ok((workers, stopped, blocks))
}

/// The workers' problems in line order.
fn collect_problems<S>(workers: &mut [Worker<'_, S>], problems: &mut Problems) {
    let mut diags: Vec<Diag> = Vec::new();
    let mut omitted = 0;
    for w in workers.iter_mut() {
        diags.append(&mut w.problems.diags);
        omitted += w.problems.omitted;
    }
    diags.sort_by_key(|d| d.line);
    for d in diags {
        problems.push(d);
    }
    problems.omitted += omitted;
}

/// Output buffers handed round between the workers and whoever consumes their output:
/// a fresh buffer per block costs page faults, and copies each time it grows.
#[derive(Default)]
pub struct Buffers(std::sync::Mutex<Vec<Vec<u8>>>);

impl Buffers {
    /// An empty buffer, with the capacity of one used before when there is one.
    pub fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_default()
    }

    /// A consumed buffer, for a later block.
    pub fn give(&self, mut buf: Vec<u8>) {
        buf.clear();
        if let Ok(mut v) = self.0.lock()
            && v.len() < 16
        {
            v.push(buf);
        }
    }
}

/// What a streamed file gave.
pub struct Streamed {
    pub sha256: String,
    pub records: u64,
}

/// Read a plain CSV file into `cells` using `threads` workers. On `Err(Fallback)`
/// nothing was added to `cells`, `problems` or `granularity`.
#[allow(clippy::too_many_arguments)]
pub fn read_parallel<S: Sink>(
    path: &Path,
    encoding: super::Encoding,
    file: usize,
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    cells: &mut S,
    threads: usize,
) -> Result<Streamed, Fallback> {
    read_parallel_blocks(
        path,
        encoding,
        file,
        model,
        granularity,
        problems,
        cells,
        threads,
        BLOCK,
    )
}

/// `read_parallel` with a chosen block size (tests use tiny blocks to exercise the
/// hand-over between threads).
#[allow(clippy::too_many_arguments)]
pub fn read_parallel_blocks<S: Sink>(
    path: &Path,
    encoding: super::Encoding,
    file: usize,
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    cells: &mut S,
    threads: usize,
    block: usize,
) -> Result<Streamed, Fallback> {
    let (workers, stopped, blocks) = stream(
        path,
        encoding,
        file,
        model,
        granularity,
        problems,
        threads,
        block,
        Job::Sum,
        &Buffers::default(),
        &mut |_| Ok(()),
    )?;
    let header_read = workers.first().is_some_and(|w| w.rows.cols.is_some());
    let mut records = 0;
    for w in workers {
        let c: S = w.cells()?;
        records += c.records();
        cells
            .merge(c)
            .map_err(|m| Fallback::Io(std::io::Error::other(m)))?;
    }
    if !header_read && !stopped {
        problems.push(Diag::new(
            &crate::pathtext::show(path),
            0,
            "header",
            super::records::no_header(model),
        ));
    }
    Ok(Streamed {
        sha256: blocks.sha256(),
        records,
    })
}

/// Stream a plain CSV file through `render` on `threads` workers and hand the output
/// of each block to `out` in file order (detail.csv is written this way: as fast as
/// the cores allow, in the same bytes as a sequential pass). Buffers `out` is done
/// with go back to `buffers`.
#[allow(clippy::too_many_arguments)]
pub fn map_ordered<S: Sink>(
    path: &Path,
    encoding: super::Encoding,
    file: usize,
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    threads: usize,
    render: &dyn Render<S>,
    buffers: &Buffers,
    out: &mut dyn FnMut(Vec<u8>) -> std::io::Result<()>,
) -> Result<Streamed, Fallback> {
    // Output is several times the input (about one input line per output line, with
    // a few lines per record): smaller blocks keep what is in flight near 16 MiB.
    let block = (BLOCK / (render.most_lines() + 1)).max(1 << 14);
    let (_, _, blocks) = stream(
        path,
        encoding,
        file,
        model,
        granularity,
        problems,
        threads,
        block,
        Job::Render(render),
        buffers,
        out,
    )?;
    Ok(Streamed {
        sha256: blocks.sha256(),
        records: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line wider than the block scan splits: cells found by scanning, a field quoted
    /// whole taken without its quotes, an empty first field (at the text's first byte)
    /// and an empty last one kept; any other quote refused.
    #[test]
    fn wide_export_lines_are_cut_like_the_narrow_ones() {
        let line = ",a,\"1,000.00\",,b,c,d,e,f,g,h,i,j,k,l,m,n,o,";
        let mut cells = Vec::new();
        let mut put = |s: usize, e: usize| {
            cells.push((s, e));
            Some(())
        };
        assert_eq!(
            wide_export_cells(line.as_bytes(), 0, line.len(), b',', &mut put),
            Some(())
        );
        let got: Vec<&str> = cells.iter().map(|&(s, e)| &line[s..e]).collect();
        assert_eq!(got[..5], ["", "a", "1,000.00", "", "b"]);
        assert_eq!(got.len(), 19);
        assert_eq!(got[18], "");
        let odd = "a,b\"c,d";
        assert_eq!(
            wide_export_cells(odd.as_bytes(), 0, odd.len(), b',', &mut |_, _| Some(())),
            None
        );
    }
}
