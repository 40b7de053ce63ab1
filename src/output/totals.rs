//! The per-party totals `run` prints: each party's total per metric over the run.

use super::summary::{amount, rows};
use crate::engine::Outcome;
use crate::model::Model;
use std::collections::BTreeMap;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    Csv,
    Json,
}

pub struct TotalRow {
    pub metric: String,
    pub party: String,
    pub name: String,
    pub amount: String,
}

pub fn totals(model: &Model, outcome: &Outcome) -> Vec<TotalRow> {
    let mut acc: BTreeMap<(String, String), (i128, usize)> = BTreeMap::new();
    for ((_, _, metric, party), (units, m)) in rows(model, outcome) {
        acc.entry((metric, party)).or_insert((0, m)).0 += units;
    }
    acc.into_iter()
        .map(|((metric, party), (units, m))| TotalRow {
            name: model.party_name(&party).to_string(),
            amount: amount(model, m, units),
            metric,
            party,
        })
        .collect()
}

/// Render totals in the chosen format.
pub fn render(model: &Model, outcome: &Outcome, format: Format, records: u64) -> String {
    let rows = totals(model, outcome);
    match format {
        Format::Csv => {
            let mut s = String::from("metric,party,amount\n");
            for r in &rows {
                s.push_str(&format!(
                    "{},{},{}\n",
                    super::csvtext::cell(&r.metric),
                    super::csvtext::cell(&r.party),
                    r.amount
                ));
            }
            s
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| serde_json::json!({"metric": r.metric, "party": r.party, "name": r.name, "amount": r.amount}))
                .collect();
            let doc = serde_json::json!({"records": records, "cells": outcome.cells.len(), "totals": list});
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Table => {
            use crate::i18n::t;
            table(
                &[
                    t("table.metric"),
                    t("table.party"),
                    t("table.name"),
                    t("table.amount"),
                ],
                &rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.metric.clone(),
                            r.party.clone(),
                            r.name.clone(),
                            r.amount.clone(),
                        ]
                    })
                    .collect::<Vec<_>>(),
                &[false, false, false, true],
            ) + &crate::i18n::tf(
                "table.footer",
                &[
                    ("records", records.to_string()),
                    ("cells", outcome.cells.len().to_string()),
                ],
            ) + "\n"
        }
    }
}

/// Display width of text: CJK characters take two columns.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !c.is_ascii() {
                2
            } else {
                1
            }
        })
        .sum()
}

/// A plain aligned table; `right` marks right-aligned (numeric) columns.
pub fn table(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut w: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(width(c));
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = " ".repeat(w[i] - width(c));
            if i > 0 {
                s.push_str("  ");
            }
            if right.get(i).copied().unwrap_or(false) {
                s.push_str(&pad);
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&pad);
                }
            }
        }
        s.push('\n');
        s
    };
    let mut out = line(header.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}
