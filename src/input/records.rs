//! Reading record files.
//!
//! Columns are found by header name in any order (English or the Chinese aliases of
//! SPEC §2.1); unknown columns are ignored. Fields are trimmed, blank lines skipped,
//! and line numbers are physical lines with the header on line 1, so a finance officer
//! can jump straight to the line in a text editor.

use super::amount::parse_units;
use crate::diag::{Diag, Msg, Problems};
use crate::model::Model;
use crate::msg;
use crate::period::{Granularity, Period, parse_date};
use chrono::NaiveDate;
use std::path::Path;

pub use crate::cli::Encoding;

/// One record, referring to the model by index. `entity` borrows from the reader.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub file: usize,
    pub line: u64,
    pub period: Period,
    pub zone: usize,
    pub metric: usize,
    pub entity: &'a str,
    pub units: i128,
    pub entity_start: Option<NaiveDate>,
    /// The entity's class in the entities file (1-based), 0 when it has no line there
    /// or there is no entities file (SPEC §8.4).
    pub class: u32,
}

/// A record file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

const COLUMNS: [(&str, &str); 6] = [
    ("period", "期间"),
    ("zone", "园区"),
    ("entity", "企业"),
    ("metric", "指标"),
    ("amount", "金额"),
    ("entity_start", "投产日期"),
];

/// A records file in which no header was found: empty, or — read through a profile —
/// nothing at or after the profile's header line.
pub(crate) fn no_header(model: &Model) -> Msg {
    match &model.input.profile {
        Some(p) => msg!("E0277", line = p.header),
        None => msg!("E0208", columns = "period, zone, entity, metric, amount"),
    }
}

/// Decode file bytes to text, stripping a UTF-8 BOM.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, Msg> {
    // A workbook saved under a .csv name: say so rather than "not UTF-8".
    not_a_workbook(bytes)?;
    // UTF-16 with a byte order mark ("Unicode text" from Excel).
    for (bom, enc) in [
        (b"\xFF\xFE", encoding_rs::UTF_16LE),
        (b"\xFE\xFF", encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return enc
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|c| c.into_owned())
                .ok_or_else(|| msg!("E0202"));
        }
    }
    let utf8 = || -> Result<String, usize> {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        std::str::from_utf8(b)
            .map(str::to_string)
            .map_err(|e| e.valid_up_to() + (bytes.len() - b.len()))
    };
    let gb = || {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|c| c.into_owned())
    };
    match encoding {
        Encoding::Utf8 => utf8().map_err(|off| msg!("E0203", encoding = "UTF-8", offset = off)),
        Encoding::Gb18030 => gb().ok_or_else(|| msg!("E0204")),
        Encoding::Auto => match utf8() {
            Ok(t) => Ok(t),
            Err(off) => gb().ok_or_else(|| msg!("E0205", offset = off)),
        },
    }
}

/// `sniff_delimiter` of the header on physical line `header` (an export's title lines
/// above it are not looked at); without a profile (`header` 1), of the text as a whole.
pub fn sniff_header_delimiter(text: &str, header: u64) -> u8 {
    if header <= 1 {
        return sniff_delimiter(text);
    }
    let line = text
        .split_inclusive('\n')
        .nth(header.saturating_sub(1) as usize)
        .unwrap_or("");
    sniff_delimiter(line)
}

/// The delimiter of a CSV text: the one of `,` `\t` `;` that occurs most in its first
/// non-empty line outside quotes (a comma when none does).
pub fn sniff_delimiter(text: &str) -> u8 {
    let line = text
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b'\t', b';'][best]
    }
}

/// Read one record file (CSV, or `.xlsx` / `book.xlsx:Sheet`), calling `sink` for each
/// valid record. Problems with a line go into `problems`; `sink` may refuse a record
/// with a message (e.g. no agreement in force), which is reported at the record's
/// line. `granularity` is shared across files so the first record of the run fixes it.
/// Returns the SHA-256 of the file's bytes (from the pass that read them).
pub fn read_records(
    path: &Path,
    file: usize,
    model: &Model,
    encoding: Encoding,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    sink: &mut dyn FnMut(&Record<'_>) -> Result<(), Msg>,
) -> Result<String, RecordsError> {
    let (real, sheet) = super::xlsx::split_sheet(path);
    let shown = crate::pathtext::show(path);
    let io = |source| RecordsError::Io {
        path: shown.clone(),
        source,
    };
    if super::xlsx::is_xlsx(&real) {
        // Workbooks are read whole: their format needs it, and they are small.
        let bytes = std::fs::read(&real).map_err(io)?;
        let source = Source {
            shown: &shown,
            file,
            xlsx: Some(sheet),
            encoding,
        };
        read_bytes(&source, &bytes, model, granularity, problems, sink);
        return Ok(crate::manifest::sha256_hex(&bytes));
    }
    // Text is streamed: decoded, hashed and parsed a block at a time.
    let mut head = [0u8; 4];
    let n = {
        use std::io::Read;
        let mut f = std::fs::File::open(&real).map_err(io)?;
        let mut n = 0;
        while n < 4 {
            match f.read(&mut head[n..]).map_err(io)? {
                0 => break,
                k => n += k,
            }
        }
        n
    };
    let mut rows = Rows::new(model, file, &shown, granularity, problems, sink);
    if let Err(m) = not_a_workbook(&head[..n]) {
        rows.problems.push(Diag::new(&shown, 0, "", m));
        let bytes = std::fs::read(&real).map_err(io)?;
        return Ok(crate::manifest::sha256_hex(&bytes));
    }
    let enc = super::text::encoding_of(&head[..n], encoding, || {
        std::fs::File::open(&real)
            .and_then(super::text::is_utf8)
            .unwrap_or(false)
    });
    let mut decoded = super::text::Decoded::new(std::fs::File::open(&real).map_err(io)?, enc);
    let auto = encoding == Encoding::Auto && enc == encoding_rs::GB18030;
    parse_text(&mut rows, &mut |block| {
        decoded.next_block(block).map_err(|m| match m {
            super::text::DecodeError::Malformed { offset, .. } if auto => {
                msg!("E0205", offset = offset)
            }
            m => m.msg(),
        })
    });
    // The hash is of the whole file, even when reading stopped early.
    let mut rest = String::new();
    while let Ok(true) = decoded.next_block(&mut rest) {
        rest.clear();
    }
    let sha = sha2::Digest::finalize(decoded.hasher);
    Ok(sha.iter().map(|b| format!("{b:02x}")).collect())
}

/// Every row of an export at or below the profile's header, with its physical line
/// (or sheet row): a workbook's sheet, or text decoded whole (an export is read here
/// for `import`, not for the engine). `each` returns false to stop.
pub fn each_export_row(
    p: &crate::model::Profile,
    path: &std::path::Path,
    bytes: &[u8],
    encoding: super::Encoding,
    each: &mut dyn FnMut(u64, &[&str]) -> bool,
) -> Result<(), Msg> {
    if super::xlsx::is_xlsx(path) {
        return super::xlsx::read(bytes, p.sheet.as_deref(), &mut |_, line, fields| {
            line < p.header || each(line, fields)
        });
    }
    let text = decode(bytes, encoding)?;
    let mut r = super::text::Records::new(sniff_header_delimiter(&text, p.header));
    r.skip_before = p.header;
    let res = r.feed(&text, true, &mut |rec| {
        let fields: Vec<&str> = rec.fields.iter().map(String::as_str).collect();
        each(rec.line, &fields)
    });
    match res {
        Ok(_) => Ok(()),
        Err(super::text::TextError::Nul(_)) => Err(msg!("E0206")),
        Err(super::text::TextError::Unclosed(_)) => Err(msg!("E0207")),
    }
}

/// A workbook saved under a text name: say so rather than "not UTF-8".
fn not_a_workbook(head: &[u8]) -> Result<(), Msg> {
    if head.starts_with(b"\xD0\xCF\x11\xE0") || head.starts_with(b"PK\x03\x04") {
        return Err(msg!("E0201"));
    }
    Ok(())
}

/// Records out of text blocks (`next` appends one; false at the end): the one path of
/// every records text, in memory or streamed.
fn parse_text(rows: &mut Rows<'_, '_>, next: &mut dyn FnMut(&mut String) -> Result<bool, Msg>) {
    use super::text::{Records, TextError};
    let shown = rows.shown.clone();
    let mut block = String::new();
    let mut records: Option<Records> = None;
    loop {
        block.clear();
        let more = match next(&mut block) {
            Ok(m) => m,
            Err(m) => {
                rows.problems.push(Diag::new(&shown, 0, "", m));
                return;
            }
        };
        // The delimiter: forced, or the one the header uses most.
        let r = records.get_or_insert_with(|| {
            // Through a profile, the lines above the header are not records: the
            // delimiter is the header's, and those lines are not parsed.
            let header = rows.model.input.profile.as_ref().map_or(1, |p| p.header);
            let mut r = Records::new(
                rows.model
                    .input
                    .delimiter
                    .unwrap_or_else(|| sniff_header_delimiter(&block, header)),
            );
            r.skip_before = header;
            r
        });
        let mut go_on = true;
        let res = r.feed(&block, !more, &mut |rec| {
            let fields: Vec<&str> = rec.fields.iter().map(String::as_str).collect();
            go_on = rows.row(rec.line, &fields);
            go_on
        });
        match res {
            Ok(true) => {}
            Ok(false) => return,
            Err(TextError::Nul(line)) => {
                rows.problems
                    .push(Diag::new(&shown, line as usize, "", msg!("E0206")));
                return;
            }
            Err(TextError::Unclosed(line)) => {
                rows.problems
                    .push(Diag::new(&shown, line as usize, "", msg!("E0207")));
                return;
            }
        }
        if !more {
            break;
        }
    }
    rows.finish();
}

/// Where records come from, for `read_bytes`.
pub struct Source<'a> {
    /// The name used in messages (the path as given).
    pub shown: &'a str,
    /// Index of the file in the run (records carry it).
    pub file: usize,
    /// `Some(sheet)` for a workbook (`None` sheet = the first).
    pub xlsx: Option<Option<String>>,
    pub encoding: Encoding,
}

/// Read records from bytes already in memory: `read_records` without the file system
/// (also the entry point of the records fuzz target).
pub fn read_bytes(
    source: &Source<'_>,
    bytes: &[u8],
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    problems: &mut Problems,
    sink: &mut dyn FnMut(&Record<'_>) -> Result<(), Msg>,
) {
    let shown = source.shown.to_string();
    let file = source.file;
    let encoding = source.encoding;
    let mut rows = Rows::new(model, file, &shown, granularity, problems, sink);
    if let Some(sheet) = &source.xlsx {
        let file_shown = super::xlsx::split_sheet(&crate::pathtext::parse(&shown))
            .0
            .display()
            .to_string();
        match super::xlsx::read(bytes, sheet.as_deref(), &mut |sheet_name, line, fields| {
            rows.shown = format!("{file_shown}:{sheet_name}");
            rows.row(line, fields)
        }) {
            Ok(()) => rows.finish(),
            Err(m) => rows.problems.push(Diag::new(&shown, 0, "", m)),
        }
        return;
    }
    let text = match decode(bytes, encoding) {
        Ok(t) => t,
        Err(m) => {
            rows.problems.push(Diag::new(&shown, 0, "", m));
            return;
        }
    };
    let mut once = Some(text);
    parse_text(&mut rows, &mut |block| match once.take() {
        Some(t) => {
            block.push_str(&t);
            Ok(true)
        }
        None => Ok(false),
    });
}

/// Row-level checks shared by CSV, xlsx and the streaming reader.
pub(crate) struct Rows<'a, 'g> {
    pub(crate) model: &'a Model,
    pub(crate) file: usize,
    pub(crate) shown: String,
    pub(crate) cols: Option<[Option<usize>; 6]>,
    pub(crate) width: usize,
    pub(crate) granularity: &'g mut Option<(Granularity, String)>,
    pub(crate) problems: &'g mut Problems,
    pub(crate) sink: &'g mut dyn FnMut(&Record<'_>) -> Result<(), Msg>,
    /// The field delimiter of the file (`,`, tab or `;`): the byte path copies a run of
    /// fields as they are into detail.csv only when it is a comma.
    pub(crate) delim: u8,
    /// Through a profile (SPEC §12): the export's header, once found.
    pub(crate) export: Option<super::profile::Header>,
    /// Rows the profile skipped and dropped, by reason.
    pub(crate) tally: super::profile::Tally,
}

impl<'a, 'g> Rows<'a, 'g> {
    /// The rows of file `file` (shown as `shown`), before its header.
    pub(crate) fn new(
        model: &'a Model,
        file: usize,
        shown: &str,
        granularity: &'g mut Option<(Granularity, String)>,
        problems: &'g mut Problems,
        sink: &'g mut dyn FnMut(&Record<'_>) -> Result<(), Msg>,
    ) -> Rows<'a, 'g> {
        Rows {
            model,
            file,
            shown: shown.to_string(),
            cols: None,
            width: 0,
            granularity,
            problems,
            sink,
            delim: b',',
            export: None,
            tally: Default::default(),
        }
    }

    pub(crate) fn finish(&mut self) {
        if let Some(note) = self.tally.note(&self.shown) {
            self.problems.notes.push(note);
        }
        if self.cols.is_none() {
            self.problems
                .push(Diag::new(&self.shown, 0, "header", no_header(self.model)));
        }
    }

    /// Check one row; returns false when reading must stop (a bad header).
    pub(crate) fn row(&mut self, line: u64, fields: &[&str]) -> bool {
        match &self.model.input.profile {
            Some(p) => self.exported(p, line, fields),
            None => self.plain(line, fields),
        }
    }

    /// A row of an export read through a profile (SPEC §12, §16): lines above the
    /// header are not records; the header finds the profile's columns; each data row
    /// is mapped to the six §2.1 fields and checked as a plain row, at its own line.
    fn exported(&mut self, p: &'a super::profile::Profile, line: u64, fields: &[&str]) -> bool {
        use super::profile::{Mapped, header, map};
        let l = line as usize;
        if line < p.header {
            return true;
        }
        let Some(h) = &self.export else {
            if fields.iter().all(|f| f.trim().is_empty()) {
                return true;
            }
            match header(p, fields) {
                Ok(h) => {
                    self.export = Some(h);
                    self.cols = Some([Some(0), Some(1), Some(2), Some(3), Some(4), Some(5)]);
                    self.width = 6;
                    return true;
                }
                Err(ms) => {
                    for m in ms {
                        self.problems.push(Diag::new(&self.shown, l, "header", m));
                    }
                    return false;
                }
            }
        };
        // A blank line is no row, whichever reader split it.
        if fields.iter().all(|f| f.trim().is_empty()) {
            return true;
        }
        let fields = if fields.len() > h.width && fields[h.width..].iter().all(|f| f.is_empty()) {
            &fields[..h.width]
        } else {
            fields
        };
        if fields.len() != h.width {
            let m = msg!("E0209", found = fields.len(), expected = h.width);
            self.problems.push(Diag::new(&self.shown, l, "", m));
            return true;
        }
        match map(p, h, fields) {
            Mapped::Blank => true,
            Mapped::Skipped(why) => {
                *self.tally.skipped.entry(why).or_default() += 1;
                true
            }
            Mapped::Dropped(why) => {
                *self.tally.dropped.entry(why).or_default() += 1;
                true
            }
            Mapped::Bad(list) => {
                for (field, m) in list {
                    self.problems.push(Diag::new(&self.shown, l, field, m));
                }
                true
            }
            Mapped::Row(mut six) => {
                if p.zone_from_entities {
                    let ents = &self.model.entities;
                    match ents.get(&six[2]).and_then(|e| ents.zone_of(e)) {
                        Some(z) => six[1] = z.to_string(),
                        _ => {
                            let m = if self.model.entities.file.is_empty() {
                                msg!("E0275", profile = p.path)
                            } else {
                                msg!("E0276", entity = six[2], file = self.model.entities.file)
                            };
                            self.problems.push(Diag::new(&self.shown, l, "zone", m));
                            return true;
                        }
                    }
                }
                let refs: Vec<&str> = six.iter().map(String::as_str).collect();
                self.plain(line, &refs)
            }
        }
    }

    /// A row of a plain records file (or one a profile mapped).
    fn plain(&mut self, line: u64, fields: &[&str]) -> bool {
        if fields.iter().all(|f| f.is_empty()) {
            return true;
        }
        // A total row of an export (合计、小计、总计): say what it is and how to drop it.
        if self.cols.is_some()
            && self.model.input.profile.is_none()
            && fields
                .iter()
                .map(|f| f.trim())
                .find(|f| !f.is_empty())
                .is_some_and(|f| ["合计", "小计", "总计"].iter().any(|t| f.starts_with(t)))
        {
            let m = msg!("E0279");
            self.problems
                .push(Diag::new(&self.shown, line as usize, "", m));
            return true;
        }
        let l = line as usize;
        let shown: &str = &self.shown;
        let Some(idx) = self.cols else {
            match header(fields, &self.model.input.columns) {
                Ok(c) => {
                    self.cols = Some(c);
                    // Excel leaves empty columns after the last one: they do not count.
                    self.width =
                        fields.len() - fields.iter().rev().take_while(|f| f.is_empty()).count();
                }
                Err(m) => {
                    self.problems.push(Diag::new(shown, l, "header", m));
                    return false;
                }
            }
            return true;
        };
        // Empty fields after the header's last column are Excel's trailing empty
        // columns: they can be ignored.
        let fields =
            if fields.len() > self.width && fields[self.width..].iter().all(|f| f.is_empty()) {
                &fields[..self.width]
            } else {
                fields
            };
        if fields.len() != self.width {
            let extra = fields.len() > self.width;
            let msg = if extra && fields.len() == self.width + 1 {
                msg!("E0210", found = fields.len(), expected = self.width)
            } else {
                msg!("E0209", found = fields.len(), expected = self.width)
            };
            self.problems.push(Diag::new(shown, l, "", msg));
            return true;
        }
        if let Some(i) = fields
            .iter()
            .position(|f| !f.is_ascii() && f.contains('\u{feff}'))
        {
            let msg = msg!("E0211");
            self.problems.push(Diag::new(
                shown,
                l,
                idx.iter()
                    .position(|c| *c == Some(i))
                    .map_or("", |k| COLUMNS[k].0),
                msg,
            ));
            return true;
        }
        let model = self.model;
        let get = |i: usize| idx[i].map_or("", |c| fields.get(c).copied().unwrap_or(""));
        let mut bad = false;
        let problems = &mut *self.problems;
        let mut report = |field: &str, msg: Msg| {
            problems.push(Diag::new(shown, l, field, msg));
            bad = true;
        };
        let profiled = model.input.profile.is_some();
        let period = run_period(get(0), self.granularity, || format!("{shown}:{l}"))
            .map_err(|m| {
                // A date where a period goes: the export's 入库日期 (SPEC §12).
                let m = if m.code == "E0212" && !profiled && parse_date(get(0)).is_some() {
                    msg!("E0281", text = get(0))
                } else {
                    m
                };
                report("period", m)
            })
            .ok();
        let zone = lookup_zone(model, get(1))
            .map_err(|m| report("zone", m))
            .ok();
        let entity = get(2);
        if entity.is_empty() {
            report("entity", msg!("E0216"));
        }
        let mtext = get(3);
        let metric = lookup_metric(model, mtext)
            .map_err(|m| report("metric", m))
            .ok();
        let units = match metric {
            Some(m) => match parse_units(get(4), &model.metrics[m].quantum) {
                Ok(u) => Some(u),
                Err(msg) => {
                    report("amount", msg);
                    None
                }
            },
            None => None,
        };
        let stext = get(5);
        let entity_start = if stext.is_empty() {
            None
        } else {
            let d = parse_date(stext);
            if d.is_none() {
                report("entity_start", msg!("E0217", text = stext));
            }
            d
        };
        // The entities file gives the start date a record leaves empty, and the class
        // that `applies_to` looks at; both dates given must agree (as dates).
        let mut entity_start = entity_start;
        let mut class = 0;
        if let Some(e) = model.entities.get(entity) {
            class = e.class;
            match (entity_start, e.start) {
                (None, s) => entity_start = s,
                (Some(a), Some(b)) if a != b => report(
                    "entity_start",
                    msg!(
                        "E0218",
                        text = stext,
                        date = b,
                        entity = entity,
                        at = format!("{}:{}", model.entities.file, e.line)
                    ),
                ),
                _ => {}
            }
        }
        if metric.is_some_and(|m| !model.metrics[m].pool.is_empty()) {
            report(
                "metric",
                msg!(
                    "E0219",
                    text = mtext,
                    component = metric
                        .and_then(|m| model.metrics[m].pool.first())
                        .map_or("", |&c| model.metrics[c].id.as_str())
                ),
            );
        }
        if bad {
            return true;
        }
        let (Some(period), Some(zone), Some(metric), Some(units)) = (period, zone, metric, units)
        else {
            return true;
        };
        let r = Record {
            file: self.file,
            line,
            period,
            zone,
            metric,
            entity,
            units,
            entity_start,
            class,
        };
        if let Err(m) = (self.sink)(&r) {
            self.problems.push(Diag::new(shown, l, "", m));
        }
        true
    }
}

/// A zone named by id, name or alias (SPEC §10), or why not.
pub(crate) fn lookup_zone(model: &Model, text: &str) -> Result<usize, Msg> {
    model.zone(text).ok_or_else(|| {
        msg!(
            "E0214",
            text = text,
            hint = crate::suggest::hint(text, model.zone_index.keys())
        )
    })
}

/// A metric named by id, name or alias, or why not.
pub(crate) fn lookup_metric(model: &Model, text: &str) -> Result<usize, Msg> {
    model.metric(text).ok_or_else(|| {
        msg!(
            "E0215",
            text = text,
            hint = crate::suggest::hint(text, model.metric_index.keys())
        )
    })
}

/// A period of the run's one granularity: the first line read (of records or
/// deductions) fixes it, at `here` (`file:line`).
pub(crate) fn run_period(
    text: &str,
    granularity: &mut Option<(Granularity, String)>,
    here: impl FnOnce() -> String,
) -> Result<Period, Msg> {
    let p = Period::parse(text).ok_or_else(|| msg!("E0212", text = text))?;
    match &*granularity {
        None => {
            *granularity = Some((p.granularity, here()));
            Ok(p)
        }
        Some((g, _)) if *g == p.granularity => Ok(p),
        Some((g, at)) => Err(msg!("E0213", text = text, granularity = g, first = at)),
    }
}

pub(crate) fn header(
    fields: &[&str],
    extra: &[(usize, Vec<String>)],
) -> Result<[Option<usize>; 6], Msg> {
    let mut idx = [None; 6];
    for (c, name) in fields.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}');
        let named = COLUMNS
            .iter()
            .position(|(en, zh)| name.eq_ignore_ascii_case(en) || name == *zh)
            .or_else(|| {
                extra
                    .iter()
                    .find(|(_, names)| names.iter().any(|n| n == name))
                    .map(|(i, _)| *i)
            });
        if let Some(i) = named {
            if idx[i].is_some() {
                return Err(msg!("E0220", column = COLUMNS[i].0));
            }
            idx[i] = Some(c);
        }
    }
    let missing: Vec<String> = COLUMNS[..5]
        .iter()
        .enumerate()
        .filter(|(i, _)| idx[*i].is_none())
        .map(|(_, (en, zh))| format!("{en} ({zh})"))
        .collect();
    if !missing.is_empty() {
        return Err(msg!("E0221", columns = missing.join(", ")));
    }
    Ok(idx)
}
