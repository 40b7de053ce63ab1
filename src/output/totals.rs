//! The per-party totals `run` prints: each party's total per metric over the run.

use super::summary::{amount, rows};
use crate::engine::Outcome;
use crate::ledger::FigureKey;
use crate::model::Model;
use std::collections::BTreeMap;

pub use crate::cli::{By, Format};

pub struct TotalRow {
    pub metric: String,
    pub party: String,
    pub name: String,
    pub amount: String,
}

pub fn totals(model: &Model, outcome: &Outcome) -> Vec<TotalRow> {
    let mut acc: BTreeMap<(String, String), (i128, usize)> = BTreeMap::new();
    for (FigureKey { metric, party, .. }, (units, m)) in rows(model, outcome) {
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

/// The table grouped by zone, period, metric or party: per group the rows of each
/// metric and party (names beside ids, the metric's unit), and a total per group and
/// metric.
pub fn grouped(model: &Model, outcome: &Outcome, by: By, records: u64) -> String {
    use crate::i18n::t;
    // (group, metric, party) → (units, metric index)
    let mut acc: BTreeMap<(String, String, String), (i128, usize)> = BTreeMap::new();
    for (
        FigureKey {
            period,
            zone,
            metric,
            party,
        },
        (units, m),
    ) in rows(model, outcome)
    {
        let g = match by {
            By::Zone => zone,
            By::Period => period.to_string(),
            By::Metric => metric.clone(),
            By::Party => party.clone(),
        };
        acc.entry((g, metric, party)).or_insert((0, m)).0 += units;
    }
    let group_name = |g: &str| match by {
        By::Zone => model
            .zone(g)
            .map_or(g.to_string(), |i| format!("{} {g}", model.zones[i].name)),
        By::Party => format!("{} {g}", model.party_name(g)),
        By::Metric => model
            .metric(g)
            .map_or(g.to_string(), |i| format!("{} {g}", model.metrics[i].name)),
        By::Period => g.to_string(),
    };
    let mut body: Vec<Vec<String>> = Vec::new();
    let mut last: Option<(String, String)> = None;
    let mut sum: Option<(i128, usize)> = None;
    let flush = |body: &mut Vec<Vec<String>>,
                 last: &Option<(String, String)>,
                 sum: &Option<(i128, usize)>| {
        if let (Some((_, m)), Some((u, mi))) = (last, sum) {
            body.push(vec![
                String::new(),
                m.clone(),
                format!("({})", t("table.total")),
                String::new(),
                amount(model, *mi, *u),
            ]);
        }
    };
    for ((g, metric, party), (u, mi)) in &acc {
        let key = (g.clone(), metric.clone());
        if last.as_ref() != Some(&key) {
            flush(&mut body, &last, &sum);
            sum = None;
            let unit = &model.metrics[*mi].unit;
            let head = if last.as_ref().is_none_or(|(lg, _)| lg != g) {
                group_name(g)
            } else {
                String::new()
            };
            let mname = &model.metrics[*mi].name;
            body.push(vec![
                head,
                format!(
                    "{metric} {mname}{}",
                    if unit.is_empty() {
                        String::new()
                    } else {
                        format!(" ({unit})")
                    }
                ),
                String::new(),
                String::new(),
                String::new(),
            ]);
            last = Some(key);
        }
        body.push(vec![
            String::new(),
            String::new(),
            party.clone(),
            model.party_name(party).to_string(),
            amount(model, *mi, *u),
        ]);
        let e = sum.get_or_insert((0, *mi));
        e.0 += u;
    }
    flush(&mut body, &last, &sum);
    let by_head = match by {
        By::Zone => t("col.zone"),
        By::Period => t("col.period"),
        By::Metric => t("table.metric"),
        By::Party => t("table.party"),
    };
    table(
        &[
            by_head,
            t("table.metric"),
            t("table.party"),
            t("table.name"),
            t("table.amount"),
        ],
        &body,
        &[false, false, false, false, true],
    ) + &crate::i18n::tf(
        "table.footer",
        &[
            ("records", records.to_string()),
            ("cells", outcome.cells.len().to_string()),
        ],
    ) + "\n"
}

/// Render totals in the chosen format.
pub fn render(model: &Model, outcome: &Outcome, format: Format, records: u64) -> String {
    let rows = totals(model, outcome);
    match format {
        Format::Csv => {
            let mut s = super::csvtext::Table::new("metric,party,amount");
            for r in &rows {
                s.line([&r.metric, &r.party, &r.amount]);
            }
            s.finish()
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
