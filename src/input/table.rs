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

/// Read `bytes` (the file `shown`) as a table of `columns`.
pub fn read(
    shown: &str,
    bytes: &[u8],
    encoding: Encoding,
    columns: &[Column],
) -> Result<Table, Vec<Diag>> {
    let text = decode(bytes, encoding).map_err(|m| vec![Diag::new(shown, 0, "", m)])?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let raw = text.as_bytes();
    let mut idx: Option<Vec<Option<usize>>> = None;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut rec = csv::StringRecord::new();
    let (mut line, mut counted) = (1u64, 0usize);
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(Diag::new(shown, line, "", crate::msg!("E0248", reason = e)));
                return Err(problems);
            }
        }
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let mut start = rec
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(raw.len());
        while start < raw.len() && matches!(raw[start], b'\n' | b'\r') {
            start += 1;
        }
        // Physical lines, counted from where the previous row started (once over
        // the file, not once per row).
        line += raw[counted..start].iter().filter(|b| **b == b'\n').count() as u64;
        counted = start;
        let fields: Vec<&str> = rec.iter().collect();
        let Some(cols) = &idx else {
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
                        return Err(problems);
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
                return Err(problems);
            }
            idx = Some(found);
            continue;
        };
        let values = cols
            .iter()
            .map(|c| c.and_then(|c| fields.get(c)).unwrap_or(&"").to_string())
            .collect();
        rows.push((line, values));
    }
    if idx.is_none() {
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
