//! `--expect FILE`: control figures a finance office already holds, as
//! `period,zone,metric,party,amount` rows (any column order, extra columns ignored), to
//! be compared with the computed summary. This module only reads them.

use super::RecordsError;
use super::records::{Encoding, decode};
use crate::diag::Diag;
use crate::model::Model;
use crate::msg;
use std::path::Path;

/// One expected figure and its line.
pub struct Expected {
    pub line: usize,
    pub period: String,
    pub zone: String,
    pub metric: usize,
    pub party: String,
    pub units: i128,
}

/// What an expectations file holds: its bytes (for the manifest), the rows that read,
/// and the problems of those that did not. `unreadable` when the file as a whole is
/// not text (reported as invalid records, not as a mismatch).
pub struct ExpectFile {
    pub bytes: Vec<u8>,
    pub rows: Vec<Expected>,
    pub problems: Vec<Diag>,
    pub unreadable: bool,
}

pub fn read(path: &Path, model: &Model) -> Result<ExpectFile, RecordsError> {
    let shown = crate::pathtext::show(path);
    let bytes = std::fs::read(path).map_err(|source| RecordsError::Io {
        path: shown.clone(),
        source,
    })?;
    let mut out = ExpectFile {
        bytes: Vec::new(),
        rows: Vec::new(),
        problems: Vec::new(),
        unreadable: false,
    };
    let text = match decode(&bytes, Encoding::Auto) {
        Ok(t) => t,
        Err(m) => {
            out.problems.push(Diag::new(&shown, 0, "", m));
            out.unreadable = true;
            return Ok(out);
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(cp), Some(cz), Some(cm), Some(cpa), Some(ca)) = (
        col("period"),
        col("zone"),
        col("metric"),
        col("party"),
        col("amount"),
    ) else {
        out.problems
            .push(Diag::new(&shown, 1, "header", msg!("E0629")));
        out.bytes = bytes;
        return Ok(out);
    };
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.problems.push(Diag::new(
                    &shown,
                    e.position().map_or(0, |p| p.line() as usize),
                    "",
                    msg!("E0248", reason = e),
                ));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let get = |i: usize| rec.get(i).unwrap_or("");
        let Some(m) = model.metric(get(cm)) else {
            out.problems.push(Diag::new(
                &shown,
                line,
                "metric",
                msg!("E0215", text = get(cm), hint = ""),
            ));
            continue;
        };
        match super::amount::parse_units(get(ca), &model.metrics[m].quantum) {
            Ok(units) => out.rows.push(Expected {
                line,
                period: get(cp).to_string(),
                zone: get(cz).to_string(),
                metric: m,
                party: get(cpa).to_string(),
                units,
            }),
            Err(msg) => out.problems.push(Diag::new(&shown, line, "amount", msg)),
        }
    }
    out.bytes = bytes;
    Ok(out)
}
