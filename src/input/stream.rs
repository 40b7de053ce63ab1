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
//! The fast path handles plain UTF-8 CSV: no quotes, no bare `\r`, no NUL. On meeting
//! anything else it gives up and the caller reads the file with the general reader
//! (`records::read_records`), which is the reference for every rule of SPEC §7.

use super::Record;
use super::period::Granularity;
use super::records::Rows;
use crate::diag::{Diag, Problems};
use crate::engine::cells::Cells;
use crate::model::Model;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Block size: large enough for fast reads, small enough for constant memory.
const BLOCK: usize = 1 << 20;

/// Why the fast path gave up on a file.
#[derive(Debug)]
pub enum Fallback {
    NotPlain(&'static str),
    Io(std::io::Error),
}

/// A progress bar on stderr, only when stderr is a terminal and only once the file has
/// taken more than a second: scripts and quick runs see nothing.
struct Progress {
    started: std::time::Instant,
    total: u64,
    label: String,
    bar: Option<indicatif::ProgressBar>,
    enabled: bool,
}

impl Progress {
    fn new(path: &Path) -> Progress {
        use std::io::IsTerminal;
        let total = std::fs::metadata(path).map_or(0, |m| m.len());
        Progress {
            started: std::time::Instant::now(),
            total,
            label: path.display().to_string(),
            bar: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    fn update(&mut self, done: u64) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() > std::time::Duration::from_secs(1) {
            let bar = indicatif::ProgressBar::new(self.total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} {bar:40} {bytes}/{total_bytes} ({eta})",
            ) {
                bar.set_style(style);
            }
            bar.set_message(self.label.clone());
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_position(done);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// A block of complete lines and the physical line number of its first line.
struct Block {
    /// Validated once, when read.
    text: String,
    line: u64,
}

struct Blocks {
    block: usize,
    file: std::fs::File,
    carry: Vec<u8>,
    hasher: Sha256,
    next_line: u64,
    first: bool,
    eof: bool,
    pub size: u64,
}

impl Blocks {
    fn open(path: &Path, block: usize) -> std::io::Result<Blocks> {
        Ok(Blocks {
            block: block.max(16),
            file: std::fs::File::open(path)?,
            carry: Vec::new(),
            hasher: Sha256::new(),
            next_line: 1,
            first: true,
            eof: false,
            size: 0,
        })
    }

    /// The next block of whole lines, checked for what the fast path cannot take.
    fn next(&mut self) -> Result<Option<Block>, Fallback> {
        if self.eof && self.carry.is_empty() {
            return Ok(None);
        }
        let mut buf = std::mem::take(&mut self.carry);
        let start = buf.len();
        if !self.eof {
            // `take` + `read_to_end` fills spare capacity without zeroing it first.
            buf.reserve(self.block);
            let n = (&mut self.file)
                .take(self.block as u64)
                .read_to_end(&mut buf)
                .map_err(Fallback::Io)?;
            if n < self.block {
                self.eof = true;
            }
            self.hasher.update(&buf[start..]);
            self.size += n as u64;
        }
        if self.first {
            self.first = false;
            if buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
            }
        }
        // Cut after the last line end; the rest waits for the next block.
        if !self.eof {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => self.carry = buf.split_off(i + 1),
                None if buf.is_empty() => {}
                None => {
                    // A line longer than a block: keep reading into it.
                    self.carry = buf;
                    return self.next();
                }
            }
        }
        if memchr::memchr3(b'"', 0, b'\r', &buf).is_some() {
            if memchr::memchr2(b'"', 0, &buf).is_some() {
                return Err(Fallback::NotPlain("quotes or NUL bytes"));
            }
            // CRLF is fine; a bare CR (old Mac line ends) is not.
            if memchr::memchr_iter(b'\r', &buf).any(|i| buf.get(i + 1) != Some(&b'\n')) {
                return Err(Fallback::NotPlain("bare carriage returns"));
            }
        }
        let line = self.next_line;
        self.next_line += memchr::memchr_iter(b'\n', &buf).count() as u64;
        let text = String::from_utf8(buf).map_err(|_| Fallback::NotPlain("not UTF-8"))?;
        Ok(Some(Block { text, line }))
    }

    fn sha256(self) -> String {
        self.hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Feed every line of a block to `rows`; false when reading must stop. One pass over
/// the bytes finds both field and line ends (fields are short, so a plain loop beats
/// searching for each separator).
fn lines(rows: &mut Rows<'_, '_>, block: &Block) -> bool {
    let text = block.text.as_str();
    let bytes = text.as_bytes();
    // A pure-ASCII block cannot hold a byte order mark: skip that check per row.
    rows.ascii = bytes.is_ascii();
    let mut line = block.line;
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        if !(rows.ascii && quick_row(rows, line, text, start, end)) {
            // The general row check: headers, blank lines and every kind of mistake,
            // with its messages. ',' and '\n' are ASCII, so every cut is a char boundary.
            let fields: Vec<&str> = text[start..end].split(',').map(str::trim_ascii).collect();
            if !rows.row(line, &fields) {
                return false;
            }
        }
        line += 1;
        start = end + 1;
    }
    true
}

/// The common row on bytes, without building a list of fields: a well-formed data row
/// of an ASCII block whose names are short. Anything else (or any doubt) returns false
/// and the row goes to `Rows::row`, the reference, which explains what is wrong.
fn quick_row(rows: &mut Rows<'_, '_>, line: u64, text: &str, start: usize, end: usize) -> bool {
    let Some(cols) = rows.cols else { return false };
    let Some((g, _)) = rows.granularity.as_ref() else {
        return false;
    };
    let model = rows.model;
    if model.zone_small.is_empty() || model.metric_small.is_empty() {
        return false;
    }
    let b = &text.as_bytes()[start..end];
    if b.len() > usize::from(u16::MAX) {
        return false;
    }
    // Small enough to be cleared in registers, not by a call to memset.
    let mut cuts = [0u16; 16];
    let mut n = 1;
    // Commas eight bytes at a time (SWAR): exact per-byte zero test of b ^ ','.
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const COMMAS: u64 = 0x2C2C_2C2C_2C2C_2C2C;
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        let x = u64::from_le_bytes(w) ^ COMMAS;
        let mut hits = !(((x & LOW7) + LOW7) | x | LOW7);
        while hits != 0 {
            if n == cuts.len() {
                return false;
            }
            cuts[n] = (i + (hits.trailing_zeros() / 8) as usize + 1) as u16;
            n += 1;
            hits &= hits - 1;
        }
        i += 8;
    }
    for (j, &c) in b[i..].iter().enumerate() {
        if c == b',' {
            if n == cuts.len() {
                return false;
            }
            cuts[n] = (i + j + 1) as u16;
            n += 1;
        }
    }
    if n != rows.width {
        return false;
    }
    // Field k as bytes of the line, trimmed; `span` gives its position for the one
    // field needed as text (the entity: commas are ASCII, so char boundaries).
    let span = |k: usize| -> (usize, usize) {
        let (mut s, mut e) = (
            usize::from(cuts[k]),
            if k + 1 < n {
                usize::from(cuts[k + 1]) - 1
            } else {
                b.len()
            },
        );
        while s < e && b[s].is_ascii_whitespace() {
            s += 1;
        }
        while e > s && b[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        (s, e)
    };
    let col = |i: usize| {
        cols[i].map(|k| {
            let (s, e) = span(k);
            &b[s..e]
        })
    };
    let (Some(p), Some(z), Some(e), Some(m), Some(a)) = (col(0), col(1), col(2), col(3), col(4))
    else {
        return false;
    };
    if e.is_empty() {
        return false;
    }
    let Some(period) = super::period::Period::parse_bytes(p) else {
        return false;
    };
    if period.granularity != *g {
        return false;
    }
    let (Some(zone), Some(metric)) = (
        crate::model::pack(z).and_then(|k| crate::model::lookup_packed(&model.zone_small, k)),
        crate::model::pack(m).and_then(|k| crate::model::lookup_packed(&model.metric_small, k)),
    ) else {
        return false;
    };
    let Some(units) = super::amount::fast_units_bytes(a, &model.metrics[metric].quantum) else {
        return false;
    };
    let entity_start = match col(5) {
        None | Some(b"") => None,
        Some(d) => match super::period::parse_date_bytes(d) {
            Some(d) => Some(d),
            None => return false,
        },
    };
    let Some(k) = cols[2] else { return false };
    let (es, ee) = span(k);
    let entity = &text[start + es..start + ee];
    let r = Record {
        file: rows.file,
        line,
        period,
        zone,
        metric,
        entity,
        units,
        entity_start,
    };
    if let Err(msg) = (rows.sink)(&r) {
        rows.problems
            .push(Diag::new(&rows.shown, line as usize, "", msg));
    }
    true
}

/// What each worker keeps: its resolver (cells), its problems and the run's
/// granularity (already fixed when the workers start).
struct Worker<'a> {
    cells: Cells,
    problems: Problems,
    granularity: Option<(Granularity, String)>,
    rows: RowsSetup<'a>,
}

/// What every worker needs to check rows the way `Rows` does.
#[derive(Clone)]
struct RowsSetup<'a> {
    model: &'a Model,
    file: usize,
    shown: String,
    cols: Option<[Option<usize>; 6]>,
    width: usize,
}

impl<'a> Worker<'a> {
    fn new(
        rows: RowsSetup<'a>,
        granularity: Option<(Granularity, String)>,
        limit: usize,
    ) -> Worker<'a> {
        Worker {
            cells: Cells::default(),
            problems: Problems::new(limit),
            granularity,
            rows,
        }
    }

    /// Check the rows of `block`, handing each record to `sink` with the worker's cells.
    fn run(
        &mut self,
        block: &Block,
        sink: &mut dyn FnMut(&mut Cells, &Record<'_>) -> Result<(), String>,
    ) {
        let cells = &mut self.cells;
        let mut s = |r: &Record<'_>| sink(cells, r);
        let mut rows = Rows {
            model: self.rows.model,
            file: self.rows.file,
            shown: self.rows.shown.clone(),
            cols: self.rows.cols,
            width: self.rows.width,
            granularity: &mut self.granularity,
            problems: &mut self.problems,
            sink: &mut s,
            ascii: false,
        };
        lines(&mut rows, block);
    }
}

/// The rest of a file on `threads` workers: the reader (this thread) hashes and cuts
/// blocks, each worker turns a block into an output with `work`, and `consume` gets the
/// outputs in file order. Returns the workers' final states.
fn pipeline<'a, O: Send>(
    blocks: &mut Blocks,
    path: &Path,
    threads: usize,
    setup: Worker<'a>,
    work: &(dyn Fn(&mut Worker<'a>, &Block) -> O + Sync),
    consume: &mut dyn FnMut(O),
) -> Result<Vec<Worker<'a>>, Fallback> {
    use std::sync::{Arc, Mutex, mpsc};
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(u64, Block)>(threads * 2);
        let (done_tx, done_rx) = mpsc::channel::<(u64, O)>();
        let rx = Arc::new(Mutex::new(rx));
        let mut handles = Vec::new();
        for _ in 0..threads {
            let rx = rx.clone();
            let done_tx = done_tx.clone();
            let mut w = Worker::new(
                setup.rows.clone(),
                setup.granularity.clone(),
                setup.problems.limit,
            );
            handles.push(scope.spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => break,
                    };
                    let Ok((seq, block)) = next else { break };
                    if done_tx.send((seq, work(&mut w, &block))).is_err() {
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
            while let Ok((s, o)) = done_rx.try_recv() {
                pending.insert(s, o);
            }
            deliver(&mut pending, &mut next_out);
        }
        drop(tx);
        while let Ok((s, o)) = done_rx.recv() {
            pending.insert(s, o);
            deliver(&mut pending, &mut next_out);
        }
        let workers: Vec<Worker<'a>> = handles.into_iter().filter_map(|h| h.join().ok()).collect();
        outcome.map(|()| workers)
    })
}

/// The workers' problems in line order.
fn collect_problems(workers: &mut [Worker<'_>], problems: &mut Problems) {
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

/// What a streamed file gave.
pub struct Streamed {
    pub sha256: String,
    pub records: u64,
}

/// Read a plain CSV file into `cells` using `threads` workers. On `Err(Fallback)`
/// nothing was added to `cells`, `problems` or `granularity`.
#[allow(clippy::too_many_arguments)]
pub fn read_parallel(
    path: &Path,
    file: usize,
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    cells: &mut Cells,
    threads: usize,
) -> Result<Streamed, Fallback> {
    read_parallel_blocks(
        path,
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
pub fn read_parallel_blocks(
    path: &Path,
    file: usize,
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    cells: &mut Cells,
    threads: usize,
    block: usize,
) -> Result<Streamed, Fallback> {
    let shown = path.display().to_string();
    let mut blocks = Blocks::open(path, block).map_err(Fallback::Io)?;
    let saved_granularity = granularity.clone();
    let mut first_cells = Cells::default();
    let mut first_problems = Problems::new(problems.limit);
    let mut cols = None;
    let mut width = 0;
    let mut stopped = false;
    // Sequentially until the header is read and the run's granularity is known, so that
    // the workers check rows exactly as the general reader would.
    while cols.is_none() || granularity.is_none() {
        let Some(block) = blocks
            .next()
            .inspect_err(|_| *granularity = saved_granularity.clone())?
        else {
            break;
        };
        let mut sink = |r: &Record<'_>| first_cells.add(model, r);
        let mut rows = Rows {
            model,
            file,
            shown: shown.clone(),
            cols,
            width,
            granularity,
            problems: &mut first_problems,
            sink: &mut sink,
            ascii: false,
        };
        stopped = !lines(&mut rows, &block);
        cols = rows.cols;
        width = rows.width;
        if stopped {
            break;
        }
    }
    let mut parts: Vec<Worker<'_>> = Vec::new();
    if !stopped && cols.is_some() {
        let setup = Worker::new(
            RowsSetup {
                model,
                file,
                shown: shown.clone(),
                cols,
                width,
            },
            granularity.clone(),
            problems.limit,
        );
        let work = |w: &mut Worker<'_>, block: &Block| {
            w.run(block, &mut |cells: &mut Cells, r: &Record<'_>| {
                cells.add(model, r)
            })
        };
        match pipeline(&mut blocks, path, threads, setup, &work, &mut |()| {}) {
            Ok(ws) => parts = ws,
            Err(f) => {
                *granularity = saved_granularity;
                return Err(f);
            }
        }
    }
    // Everything read: merge into the caller's state.
    let mut records = first_cells.records;
    for d in first_problems.diags {
        problems.push(d);
    }
    problems.omitted += first_problems.omitted;
    cells
        .merge(first_cells)
        .map_err(|m| Fallback::Io(std::io::Error::other(m)))?;
    collect_problems(&mut parts, problems);
    for w in parts {
        records += w.cells.records;
        cells
            .merge(w.cells)
            .map_err(|m| Fallback::Io(std::io::Error::other(m)))?;
    }
    if cols.is_none() && !stopped {
        problems.push(Diag::new(
            &shown,
            0,
            "header",
            "the file is empty; expected a header row with period, zone, entity, metric, amount",
        ));
    }
    Ok(Streamed {
        sha256: blocks.sha256(),
        records,
    })
}

/// How each record turns into output bytes, on a worker: `(resolver, record, out)`.
pub type Render<'a> =
    dyn Fn(&mut Cells, &Record<'_>, &mut Vec<u8>) -> Result<(), String> + Sync + 'a;

/// Stream a plain CSV file through `render` on `threads` workers and hand the output
/// of each block to `out` in file order (detail.csv is written this way: as fast as
/// the cores allow, in the same bytes as a sequential pass).
#[allow(clippy::too_many_arguments)]
pub fn map_ordered(
    path: &Path,
    file: usize,
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    threads: usize,
    render: &Render<'_>,
    out: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> Result<Streamed, Fallback> {
    let shown = path.display().to_string();
    // Output is several times the input: smaller blocks keep what is in flight small.
    let mut blocks = Blocks::open(path, BLOCK / 4).map_err(Fallback::Io)?;
    let mut cols = None;
    let mut width = 0;
    let mut resolver = Cells::default();
    // The header and the first rows on this thread (they fix the granularity).
    while cols.is_none() || granularity.is_none() {
        let Some(block) = blocks.next()? else { break };
        let mut buf = Vec::with_capacity(block.text.len() * 3);
        let mut sink = |r: &Record<'_>| render(&mut resolver, r, &mut buf);
        let mut rows = Rows {
            model,
            file,
            shown: shown.clone(),
            cols,
            width,
            granularity,
            problems,
            sink: &mut sink,
            ascii: false,
        };
        let go_on = lines(&mut rows, &block);
        cols = rows.cols;
        width = rows.width;
        out(&buf).map_err(Fallback::Io)?;
        if !go_on {
            return Ok(Streamed {
                sha256: blocks.sha256(),
                records: 0,
            });
        }
    }
    if cols.is_none() {
        return Ok(Streamed {
            sha256: blocks.sha256(),
            records: 0,
        });
    }
    let setup = Worker::new(
        RowsSetup {
            model,
            file,
            shown: shown.clone(),
            cols,
            width,
        },
        granularity.clone(),
        problems.limit,
    );
    let work = |w: &mut Worker<'_>, block: &Block| -> Vec<u8> {
        let mut buf = Vec::with_capacity(block.text.len() * 3);
        w.run(block, &mut |cells: &mut Cells, r: &Record<'_>| {
            render(cells, r, &mut buf)
        });
        buf
    };
    let mut write_err: Option<std::io::Error> = None;
    let mut consume = |buf: Vec<u8>| {
        if write_err.is_none()
            && let Err(e) = out(&buf)
        {
            write_err = Some(e);
        }
    };
    let mut workers = pipeline(&mut blocks, path, threads, setup, &work, &mut consume)?;
    if let Some(e) = write_err {
        return Err(Fallback::Io(e));
    }
    collect_problems(&mut workers, problems);
    Ok(Streamed {
        sha256: blocks.sha256(),
        records: 0,
    })
}
