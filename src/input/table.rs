//! Small CSV tables (deductions, entities, payments): read whole, columns by header
//! name (English or Chinese alias), fields trimmed, blank lines skipped, physical line
//! numbers. These files have thousands of lines, not millions, so they are read in
//! one piece by the `csv` crate rather than streamed.

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

/// Read `bytes` (the file `shown`) as a table of `columns`: the same text reader as
/// the records (UTF-8, GB18030 or UTF-16 with its byte order mark; comma, tab or
/// semicolon as the header uses most; RFC 4180 quotes), so a quote left open or a
/// row with more fields than the header is an error at its line, never a line lost.
pub fn read(
    shown: &str,
    bytes: &[u8],
    encoding: Encoding,
    columns: &[Column],
) -> Result<Table, Vec<Diag>> {
    use super::text::{Records, TextError};
    let text = decode(bytes, encoding).map_err(|m| vec![Diag::new(shown, 0, "", m)])?;
    let mut reader = Records::new(super::records::sniff_delimiter(&text));
    let mut idx: Option<(Vec<Option<usize>>, usize)> = None;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut stop = false;
    let fed = reader.feed(&text, true, &mut |rec| {
        let fields: Vec<&str> = rec.fields.iter().map(String::as_str).collect();
        if fields.iter().all(|f| f.is_empty()) {
            return true;
        }
        let line = rec.line;
        let Some((cols, width)) = &idx else {
            let mut found = vec![None; columns.len()];
            for (c, name) in fields.iter().enumerate() {
                let name = name.trim_start_matches('\u{feff}');
                if let Some(k) = columns
                    .iter()
                    .position(|col| name.eq_ignore_ascii_case(col.name) || name == col.alias)
                {
                    if found[k].is_some() {
                        problems.push(Diag::new(
                            shown,
                            line as usize,
                            "header",
                            crate::msg!("E0220", column = columns[k].name),
                        ));
                        stop = true;
                        return false;
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
                problems.push(Diag::new(
                    shown,
                    line as usize,
                    "header",
                    crate::msg!("E0247", columns = missing.join(", ")),
                ));
                stop = true;
                return false;
            }
            let width = fields.len() - fields.iter().rev().take_while(|f| f.is_empty()).count();
            idx = Some((found, width));
            return true;
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
        let values = cols
            .iter()
            .map(|c| c.and_then(|c| fields.get(c)).unwrap_or(&"").to_string())
            .collect();
        rows.push((line, values));
        true
    });
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
        let names: Vec<&str> = columns
            .iter()
            .filter(|c| c.required)
            .map(|c| c.name)
            .collect();
        problems.push(Diag::new(
            shown,
            0,
            "header",
            crate::msg!("E0208", columns = names.join(", ")),
        ));
        return Err(problems);
    }
    Ok(Table { rows })
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
