//! What `project` shows: each party's figure per year over the horizon (one block per
//! zone and metric, with totals and a present value), scenarios side by side, as a
//! table, CSV or JSON.

use crate::engine::project::present_value;
use crate::model::Model;
use crate::msg;
use crate::num::{Ratio, round_half_away, to_i128};
use crate::output::summary;
use crate::output::totals::{Format, table};
use std::collections::{BTreeMap, BTreeSet};

/// Units per (year, zone, metric, party), with the metric's index.
pub type Rows = BTreeMap<(i32, String, String, String), (i128, usize)>;

/// A computed projection, ready to be shown.
pub struct View<'a> {
    pub model: &'a Model,
    /// (name, rows): the baseline first, then each scenario.
    pub runs: Vec<(&'a str, &'a Rows)>,
    pub base_year: i32,
    pub to: i32,
    /// Rows kept by `--zone`, `--metric`, `--party`.
    pub keeps: &'a dyn Fn(&str, &str, &str) -> bool,
    /// Rows kept and shown in tables (levels only with `--levels`).
    pub shown: &'a dyn Fn(&str, &str, &str) -> bool,
    /// `--discount`: as written, and as a ratio.
    pub discount: Option<(&'a str, &'a Ratio)>,
    /// The baseline's notes, and whether each concerns a zone the table shows.
    pub notes: Vec<(&'a str, bool)>,
}

/// Horizon totals per (zone, metric, party).
fn horizon(rows: &Rows) -> BTreeMap<(String, String, String), (i128, usize)> {
    let mut out: BTreeMap<(String, String, String), (i128, usize)> = BTreeMap::new();
    for ((_, z, m, p), (u, mi)) in rows {
        out.entry((z.clone(), m.clone(), p.clone()))
            .or_insert((0, *mi))
            .0 += u;
    }
    out
}

impl View<'_> {
    pub fn render(&self, format: Format) -> String {
        let model = self.model;
        let money = |u: i128, mi: usize| summary::amount(model, mi, u);
        let first = self.runs[0].1;
        let runs = &self.runs;
        let shown = self.shown;
        let pv = |rows: &BTreeMap<(i32, String, String, String), (i128, usize)>,
                  z: &str,
                  m: &str,
                  p: &str|
         -> Option<String> {
            let (_, r) = self.discount?;
            let by_year: BTreeMap<i32, i128> = rows
                .iter()
                .filter(|((_, zz, mm, pp), _)| zz == z && mm == m && pp == p)
                .map(|((y, _, _, _), (u, _))| (*y, *u))
                .collect();
            let mi = model.metric(m)?;
            let v = to_i128(&round_half_away(&present_value(
                &by_year,
                self.base_year,
                r,
            )))?;
            Some(money(v, mi))
        };
        let mut text = String::new();
        match format {
            Format::Csv => {
                text.push_str("year,zone,metric,party,amount");
                for (n, _) in &runs[1..] {
                    text.push_str(&format!(",{n}"));
                }
                text.push('\n');
                for ((y, z, m, p), (u, mi)) in first {
                    if !(self.keeps)(z, m, p) {
                        continue;
                    }
                    text.push_str(&format!("{y},{z},{m},{p},{}", money(*u, *mi)));
                    for (_, r) in &runs[1..] {
                        let v = r
                            .get(&(*y, z.clone(), m.clone(), p.clone()))
                            .map_or(0, |x| x.0);
                        text.push_str(&format!(",{}", money(v, *mi)));
                    }
                    text.push('\n');
                }
            }
            Format::Json => {
                let rows: Vec<serde_json::Value> = first
                .iter()
                .filter(|((_, z, m, p), _)| (self.keeps)(z, m, p))
                .map(|((y, z, m, p), (u, mi))| {
                    let mut o = serde_json::json!({"year": y, "zone": z, "metric": m, "party": p, "amount": money(*u, *mi)});
                    for (n, r) in &runs[1..] {
                        let v = r.get(&(*y, z.clone(), m.clone(), p.clone())).map_or(0, |x| x.0);
                        o[*n] = serde_json::Value::String(money(v, *mi));
                    }
                    o
                })
                .collect();
                let doc = serde_json::json!({"base_year": self.base_year, "to": self.to, "rows": rows, "notes": self.notes.iter().map(|(n, _)| *n).collect::<Vec<_>>()});
                text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
            }
            Format::Table => {
                text.push_str(&format!(
                    "{}\n",
                    msg!("E0652", from = self.base_year, to = self.to)
                ));
                if runs.len() == 1 {
                    let mut blocks: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
                    for (z, m, p) in first.keys().map(|(_, z, m, p)| (z, m, p)) {
                        if shown(z, m, p) {
                            let e = blocks.entry((z.clone(), m.clone())).or_default();
                            if !e.contains(p) {
                                e.push(p.clone());
                            }
                        }
                    }
                    for ((z, m), parties) in &blocks {
                        let zi = model.zone(z);
                        let mi = model.metric(m).unwrap_or(0);
                        let metric = &model.metrics[mi];
                        // Obligations (SPEC §14) are money of their own, not a metric.
                        let (name, unit) = if m == crate::engine::obligations::LABEL {
                            (
                                crate::i18n::t("obligations.name").to_string(),
                                crate::i18n::t("unit.yuan").to_string(),
                            )
                        } else {
                            (metric.name.clone(), metric.unit.clone())
                        };
                        // Obligations have no id of their own: their unit alone.
                        let id = if m == crate::engine::obligations::LABEL {
                            unit.clone()
                        } else if unit.is_empty() {
                            m.clone()
                        } else {
                            format!("{m}, {unit}")
                        };
                        text.push_str(&format!(
                            "\n{} ({z}) · {} ({id})\n",
                            zi.map_or(z.as_str(), |i| model.zones[i].name.as_str()),
                            name,
                        ));
                        let mut head = vec![crate::i18n::tr("year", &[])];
                        head.extend(
                            parties
                                .iter()
                                .map(|p| format!("{} {p}", model.party_name(p))),
                        );
                        let mut body = Vec::new();
                        let mut sums = vec![0i128; parties.len()];
                        for y in self.base_year..=self.to {
                            let mut row = vec![y.to_string()];
                            for (i, p) in parties.iter().enumerate() {
                                let v = first
                                    .get(&(y, z.clone(), m.clone(), p.clone()))
                                    .map_or(0, |x| x.0);
                                sums[i] += v;
                                row.push(money(v, mi));
                            }
                            body.push(row);
                        }
                        let mut total = vec![crate::i18n::tr("total", &[])];
                        total.extend(sums.iter().map(|v| money(*v, mi)));
                        body.push(total);
                        if let Some((r, _)) = self.discount {
                            let mut row = vec![crate::i18n::tr("PV {}", &[&r])];
                            row.extend(
                                parties
                                    .iter()
                                    .map(|p| pv(first, z, m, p).unwrap_or_default()),
                            );
                            body.push(row);
                        }
                        let h: Vec<&str> = head.iter().map(String::as_str).collect();
                        let mut right = vec![true; h.len()];
                        right[0] = false;
                        text.push_str(&table(&h, &body, &right));
                    }
                } else {
                    let mut head = vec![
                        crate::i18n::tr("zone", &[]),
                        crate::i18n::tr("metric", &[]),
                        crate::i18n::tr("party", &[]),
                    ];
                    for (n, _) in runs.iter() {
                        head.push(n.to_string());
                    }
                    for (n, _) in &runs[1..] {
                        head.push(format!("Δ {n}"));
                    }
                    let totals: Vec<_> = runs.iter().map(|(_, r)| horizon(r)).collect();
                    let mut keys: BTreeSet<(String, String, String)> = BTreeSet::new();
                    for t in &totals {
                        keys.extend(t.keys().cloned());
                    }
                    let mut body = Vec::new();
                    for k in keys.iter().filter(|(z, m, p)| shown(z, m, p)) {
                        let mi = model.metric(&k.1).unwrap_or(0);
                        let vals: Vec<i128> =
                            totals.iter().map(|t| t.get(k).map_or(0, |x| x.0)).collect();
                        let mut row = vec![
                            k.0.clone(),
                            k.1.clone(),
                            format!("{} {}", model.party_name(&k.2), k.2),
                        ];
                        row.extend(vals.iter().map(|v| money(*v, mi)));
                        row.extend(vals[1..].iter().map(|v| money(v - vals[0], mi)));
                        body.push(row);
                    }
                    text.push_str(&format!(
                        "{}\n",
                        msg!("E0653", from = self.base_year, to = self.to)
                    ));
                    let h: Vec<&str> = head.iter().map(String::as_str).collect();
                    let mut right = vec![true; h.len()];
                    right[..3].fill(false);
                    text.push_str(&table(&h, &body, &right));
                }
                for (n, shown) in &self.notes {
                    if *shown {
                        text.push_str(&crate::i18n::tr("note: {}\n", &[n]));
                    }
                }
            }
        }
        text
    }
}
