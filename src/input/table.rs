//! Side tables (deductions, entities, payments, allocations, transfers): columns by
//! header name (English or Chinese alias), fields trimmed, blank lines skipped,
//! physical line numbers. Read from a file they are streamed a block at a time, so a
//! file of a million lines costs what its rows keep, not its size three times over.

use super::records::{Encoding, decode};
use crate::diag::Diag;

/// A column a table may have: its name, its Chinese alias and whether it is required.
pub struct Column {
    pub name: &'static str,
    pub alias: &'static str,
    pub required: bool,
}

/// A table's rows: the physical line and the value of each column (in the order of
/// the `Column`s asked for; "" when the file has no such column).
pub struct Table {
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Where a table's text comes from: bytes in memory, or a file read a block at a
/// time (memory bounded by one record, whatever the file's size).
pub enum Source<'a> {
    Bytes(&'a [u8]),
    File(&'a std::path::Path),
}

/// Read `bytes` (the file `shown`) as a table of `columns`, whole. See `each`.
pub fn read(
    shown: &str,
    bytes: &[u8],
    encoding: Encoding,
    columns: &[Column],
) -> Result<Table, Vec<Diag>> {
    let mut rows = Vec::new();
    each(
        shown,
        Source::Bytes(bytes),
        encoding,
        columns,
        &mut |line, v| rows.push((line, v.iter().map(|s| s.to_string()).collect())),
    )?;
    Ok(Table { rows })
}

/// Stream the table `shown` of `columns` to `row` (physical line, the value of each
/// column in the order asked for, "" when the file has no such column) and give the
/// SHA-256 of its bytes. The same text reader as the records (UTF-8, GB18030 or UTF-16
/// with its byte order mark; comma, tab or semicolon as the header uses most; RFC 4180
/// quotes), so a quote left open or a row with more fields than the header is an
/// error at its line, never a line lost. Rows already given stand even when a later
/// line is refused: the caller reports the problems and uses nothing.
pub fn each(
    shown: &str,
    source: Source<'_>,
    encoding: Encoding,
    columns: &[Column],
    row: &mut dyn FnMut(u64, &[&str]),
) -> Result<String, Vec<Diag>> {
    use super::text::{Records, TextError};
    let at0 = |m: crate::diag::Msg| vec![Diag::new(shown, 0, "", m)];
    let mut idx: Option<(Vec<Option<usize>>, usize)> = None;
    let mut problems = Vec::new();
    let mut stop = false;
    // One row of the file (text or workbook): the header first, then rows.
    let mut on_row = |line: u64, fields: &[&str], problems: &mut Vec<Diag>| -> bool {
        if fields.iter().all(|f| f.is_empty()) {
            return true;
        }
        let Some((cols, width)) = &idx else {
            match header(shown, line, fields, columns) {
                Ok(h) => {
                    idx = Some(h);
                    return true;
                }
                Err(d) => {
                    problems.push(d);
                    stop = true;
                    return false;
                }
            }
        };
        // Excel's trailing empty columns do not count; any other extra field does
        // (an unquoted 1,000.00 would otherwise be read as 1).
        let used = fields.len() - fields.iter().rev().take_while(|f| f.is_empty()).count();
        if used > *width {
            problems.push(Diag::new(
                shown,
                line as usize,
                "",
                crate::msg!("E0210", found = used, expected = width),
            ));
            return true;
        }
        let values: Vec<&str> = cols
            .iter()
            .map(|c| c.and_then(|c| fields.get(c).copied()).unwrap_or(""))
            .collect();
        row(line, &values);
        true
    };
    // A workbook (.xlsx, .xls, .ods; `book.xlsx:Sheet`) is read as records are.
    if let Source::File(path) = source {
        let (file, sheet) = super::xlsx::split_sheet(path);
        if super::xlsx::is_xlsx(&file) {
            let bytes = std::fs::read(&file)
                .map_err(|e| at0(crate::msg!("E0222", reason = crate::i18n::io_reason(&e))))?;
            super::xlsx::read(&bytes, sheet.as_deref(), &mut |_, line, fields| {
                let trimmed: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
                on_row(line, &trimmed, &mut problems)
            })
            .map_err(at0)?;
            if !problems.is_empty() {
                return Err(problems);
            }
            if idx.is_none() && !stop {
                return Err(no_header(shown, columns));
            }
            return Ok(crate::manifest::sha256_hex(&bytes));
        }
    }
    let mut reader: Option<Records> = None;
    let mut feed = |block: &str, done: bool, problems: &mut Vec<Diag>| -> Result<bool, TextError> {
        let r = reader.get_or_insert_with(|| Records::new(super::records::sniff_delimiter(block)));
        r.feed(block, done, &mut |rec| {
            let fields: Vec<&str> = rec.fields.iter().map(String::as_str).collect();
            on_row(rec.line, &fields, problems)
        })
    };
    let fed;
    let sha = match source {
        Source::Bytes(bytes) => {
            let text = decode(bytes, encoding).map_err(at0)?;
            fed = feed(&text, true, &mut problems);
            crate::manifest::sha256_hex(bytes)
        }
        Source::File(path) => {
            let io =
                |e: std::io::Error| at0(crate::msg!("E0222", reason = crate::i18n::io_reason(&e)));
            let mut head = [0u8; 4];
            let n = {
                use std::io::Read;
                let mut f = std::fs::File::open(path).map_err(io)?;
                let mut n = 0;
                while n < 4 {
                    match f.read(&mut head[n..]).map_err(io)? {
                        0 => break,
                        k => n += k,
                    }
                }
                n
            };
            if head[..n].starts_with(b"\xD0\xCF\x11\xE0") || head[..n].starts_with(b"PK\x03\x04") {
                return Err(at0(crate::msg!("E0201")));
            }
            let enc = super::text::encoding_of(&head[..n], encoding, || {
                std::fs::File::open(path)
                    .and_then(super::text::is_utf8)
                    .unwrap_or(false)
            });
            let auto = encoding == Encoding::Auto && enc == encoding_rs::GB18030;
            let mut decoded =
                super::text::Decoded::new(std::fs::File::open(path).map_err(io)?, enc);
            let mut block = String::new();
            fed = loop {
                block.clear();
                let more = decoded.next_block(&mut block).map_err(|m| match m {
                    super::text::DecodeError::Malformed { offset, .. } if auto => {
                        at0(crate::msg!("E0205", offset = offset))
                    }
                    m => at0(m.msg()),
                })?;
                let f = feed(&block, !more, &mut problems);
                if !matches!(f, Ok(true)) || !more {
                    break f;
                }
            };
            // The hash is of the whole file, even when reading stopped early.
            let mut rest = String::new();
            while let Ok(true) = decoded.next_block(&mut rest) {
                rest.clear();
            }
            let sha = sha2::Digest::finalize(decoded.hasher);
            sha.iter().map(|b| format!("{b:02x}")).collect()
        }
    };
    match fed {
        Err(TextError::Unclosed(line)) => {
            problems.push(Diag::new(shown, line as usize, "", crate::msg!("E0207")));
        }
        Err(TextError::Nul(line)) => {
            problems.push(Diag::new(shown, line as usize, "", crate::msg!("E0206")));
        }
        Ok(_) => {}
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if idx.is_none() && !stop {
        return Err(no_header(shown, columns));
    }
    Ok(sha)
}

/// A file without a header line (empty, or only blank lines).
fn no_header(shown: &str, columns: &[Column]) -> Vec<Diag> {
    let names: Vec<&str> = columns
        .iter()
        .filter(|c| c.required)
        .map(|c| c.name)
        .collect();
    vec![Diag::new(
        shown,
        0,
        "header",
        crate::msg!("E0208", columns = names.join(", ")),
    )]
}

/// The header line: where each column is, and how many fields a row may use.
fn header(
    shown: &str,
    line: u64,
    fields: &[&str],
    columns: &[Column],
) -> Result<(Vec<Option<usize>>, usize), Diag> {
    let mut found = vec![None; columns.len()];
    for (c, name) in fields.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}');
        if let Some(k) = columns
            .iter()
            .position(|col| name.eq_ignore_ascii_case(col.name) || name == col.alias)
        {
            if found[k].is_some() {
                return Err(Diag::new(
                    shown,
                    line as usize,
                    "header",
                    crate::msg!("E0220", column = columns[k].name),
                ));
            }
            found[k] = Some(c);
        }
    }
    let missing: Vec<String> = columns
        .iter()
        .zip(&found)
        .filter(|(c, f)| c.required && f.is_none())
        .map(|(c, _)| format!("{} ({})", c.name, c.alias))
        .collect();
    if !missing.is_empty() {
        return Err(Diag::new(
            shown,
            line as usize,
            "header",
            crate::msg!("E0247", columns = missing.join(", ")),
        ));
    }
    let width = fields.len() - fields.iter().rev().take_while(|f| f.is_empty()).count();
    Ok((found, width))
}

/// The rows of one of our own CSV outputs read back (a closing's `summary.csv`,
/// `settlement.csv`, `adjustments.csv`): (line, fields) after the header, split as RFC
/// 4180 says, so that a quoted field with a comma stays one field.
pub fn output_rows(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    rdr.records()
        .flatten()
        .map(|r| {
            let line = r.position().map_or(0, |p| p.line() as usize);
            (line, r.iter().map(str::to_string).collect())
        })
        .collect()
}
