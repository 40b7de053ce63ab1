//! Records from Excel workbooks (`book.xlsx`, first sheet, or `book.xlsx:Sheet`).
//!
//! Excel stores numbers as binary doubles, so a numeric amount cell is taken by its
//! shortest exact decimal text (what Excel shows at full precision); if that text has
//! more decimals than the metric's quantum the usual amount check refuses it: it is
//! never rounded. A date cell in `period` (Excel turns `2025-01` into a date) is read
//! as `YYYY-MM`; in `entity_start` as `YYYY-MM-DD`.

use calamine::{Data, Reader};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// `book.xlsx:Sheet` → (`book.xlsx`, Some("Sheet")); anything else unchanged.
pub fn split_sheet(path: &Path) -> (PathBuf, Option<String>) {
    let text = path.to_string_lossy();
    if let Some(i) = text.to_ascii_lowercase().find(".xlsx:") {
        let (file, sheet) = text.split_at(i + 5);
        return (PathBuf::from(file), Some(sheet[1..].to_string()));
    }
    (path.to_path_buf(), None)
}

pub fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

fn cell_text(d: &Data, col_is_period: bool) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        // Rust prints the shortest decimal that reads back as the same double, never
        // in exponent form: 12345.67 stays "12345.67".
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if col_is_period => t.format("%Y-%m").to_string(),
            Some(t) => t.format("%Y-%m-%d").to_string(),
            None => dt.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Call `row(sheet, line, fields)` for every row of the sheet; `line` is the
/// spreadsheet's row number. Stops when `row` says so.
pub fn read(
    bytes: &[u8],
    sheet: Option<&str>,
    row: &mut dyn FnMut(&str, u64, &[&str]) -> bool,
) -> Result<(), String> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            return Err(format!(
                "no sheet '{s}' in the workbook; sheets: {}",
                names.join(", ")
            ));
        }
        None => names.first().cloned().ok_or("the workbook has no sheet")?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| format!("sheet '{name}': {e}"))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut period_col: Option<usize> = None;
    let mut texts: Vec<String> = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        texts.clear();
        // Leading empty columns (the range starts at col0) keep their positions.
        texts.extend((0..col0).map(|_| String::new()));
        for (j, c) in cells.iter().enumerate() {
            let is_period = period_col == Some(j + col0 as usize);
            texts.push(cell_text(c, is_period));
        }
        if period_col.is_none() && texts.iter().any(|t| !t.is_empty()) {
            period_col = texts
                .iter()
                .position(|t| t.eq_ignore_ascii_case("period") || t == "期间");
        }
        let fields: Vec<&str> = texts.iter().map(String::as_str).collect();
        if !row(&name, u64::from(row0) + i as u64 + 1, &fields) {
            break;
        }
    }
    Ok(())
}
