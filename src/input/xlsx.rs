//! Records from spreadsheets (`book.xlsx`, `.xls`, `.ods`; the first sheet, or
//! `book.xlsx:Sheet`).
//!
//! Spreadsheets store numbers as binary doubles, so a numeric amount cell is read as
//! Excel displays it, at 15 significant digits (a formula's 7.000000000000001 is 7); if
//! that text has more decimals than the metric's quantum the usual amount check refuses
//! it: it is never rounded to the quantum. A date cell in `period` (Excel turns `2025-01` into a date) is read
//! as `YYYY-MM`; in `entity_start` as `YYYY-MM-DD`.

use calamine::{Data, Reader};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The spreadsheet formats read (SPEC §10): Excel's, old and new, and OpenDocument.
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// `book.xlsx:Sheet` → (`book.xlsx`, Some("Sheet")); anything else unchanged.
pub fn split_sheet(path: &Path) -> (PathBuf, Option<String>) {
    let text = path.to_string_lossy();
    let lower = text.to_ascii_lowercase();
    for ext in EXTENSIONS {
        if let Some(i) = lower.find(&format!(".{ext}:")) {
            let (file, sheet) = text.split_at(i + ext.len() + 1);
            return (PathBuf::from(file), Some(sheet[1..].to_string()));
        }
    }
    (path.to_path_buf(), None)
}

pub fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// A number as Excel displays it: rounded to 15 significant digits (SPEC §10), so that
/// a formula's `7.000000000000001` is `7` and `0.1 + 0.2` is `0.3`; never in exponent
/// form.
pub fn excel_number(f: f64) -> String {
    if !f.is_finite() {
        return format!("{f}");
    }
    if f == 0.0 {
        return "0".into();
    }
    let sci = format!("{f:.14e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // digits = d0 d1 … d14, value = d0.d1…d14 × 10^exp
    let point = exp + 1;
    let mut int = String::new();
    let mut frac = String::new();
    for (i, c) in digits.chars().enumerate() {
        if (i as i32) < point {
            int.push(c);
        } else {
            frac.push(c);
        }
    }
    if point > digits.len() as i32 {
        int.push_str(&"0".repeat((point - digits.len() as i32) as usize));
    }
    if point <= 0 {
        frac = format!("{}{frac}", "0".repeat((-point) as usize));
    }
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() {
        "0".to_string()
    } else {
        int.trim_start_matches('0').to_string()
    };
    let int = if int.is_empty() { "0".to_string() } else { int };
    let sign = if neg { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

fn cell_text(d: &Data, col_is_period: bool) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => excel_number(*f),
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
) -> Result<(), crate::i18n::Msg> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| crate::msg!("E0243", reason = e))?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => {
            return Err(crate::msg!("E0244", sheet = s, sheets = names.join(", ")));
        }
        None => names.first().cloned().ok_or_else(|| crate::msg!("E0245"))?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| crate::msg!("E0246", sheet = name, reason = e))?;
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

#[cfg(test)]
mod tests {
    use super::excel_number;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        for (f, want) in [
            (7.000000000000001, "7"),
            (0.1 + 0.2, "0.3"),
            (12345.67, "12345.67"),
            (-0.05, "-0.05"),
            (1e15 - 1.0, "999999999999999"),
            (123456789012.34, "123456789012.34"),
            (0.0, "0"),
            (1e-7, "0.0000001"),
            (2.5e20, "250000000000000000000"),
        ] {
            assert_eq!(excel_number(f), want, "{f:?}");
        }
    }
}
