//! What `sweep` shows: each party's totals per grid value as a table, CSV or JSON,
//! the answer to the target question, and the chart (SVG).

use crate::model::Model;
use crate::num::format_scaled;
use crate::output::chart::{Chart, Series, thousands};
use crate::output::totals::{Format, table};
use std::collections::BTreeSet;

/// Where a condition holds on the grid, refined: the JSON answer's `holds` and
/// `boundary`, and each change of the condition when the totals are not monotone.
#[derive(Debug, Clone)]
pub struct Answer {
    /// "nowhere", "everywhere" or "between".
    pub holds: &'static str,
    /// The boundary value (decimal text) when there is exactly one.
    pub boundary: Option<String>,
    /// (value, holds above it): every change, refined.
    pub crossings: Vec<(String, bool)>,
    pub text: String,
    /// For the chart: the boundary as a float.
    pub mark: Option<f64>,
}

/// A computed sweep, ready to be shown.
pub struct View<'a> {
    pub model: &'a Model,
    /// The parameter varied (a `--set` path).
    pub vary: &'a str,
    /// The years the totals cover, in words.
    pub over: String,
    /// The zone and metrics totalled, in words.
    pub scope: String,
    pub zone: Option<&'a str>,
    pub metrics: &'a BTreeSet<usize>,
    pub parties: &'a [String],
    /// (value scaled to `d` decimals, each party's total scaled to `decimals`, the
    /// ratios that moved outside the policy band).
    pub points: Vec<(i128, Vec<i128>, Vec<String>)>,
    pub d: u32,
    pub decimals: u32,
    /// `--target`: (party, at least, amount).
    pub target: Option<(&'a str, bool, &'a str)>,
    pub answer: Option<&'a Answer>,
}

impl View<'_> {
    fn amount(&self, u: i128) -> String {
        format_scaled(u, self.decimals)
    }

    pub fn render(&self, format: Format) -> String {
        let d = self.d;
        match format {
            Format::Json => {
                let rows: Vec<serde_json::Value> = self
                    .points
                    .iter()
                    .map(|(v, totals, outside)| {
                        let t: serde_json::Map<String, serde_json::Value> = self
                            .parties
                            .iter()
                            .zip(totals)
                            .map(|(n, u)| (n.clone(), serde_json::Value::String(self.amount(*u))))
                            .collect();
                        serde_json::json!({"value": format_scaled(*v, d), "totals": t, "outside_band": outside})
                    })
                    .collect();
                let mut doc = serde_json::json!({"vary": self.vary, "over": self.over, "rows": rows, "target": self.answer.map(|a| a.text.clone())});
                if let Some(a) = self.answer {
                    doc["boundary"] = a
                        .boundary
                        .clone()
                        .map_or(serde_json::Value::Null, serde_json::Value::String);
                    doc["holds"] = serde_json::Value::String(a.holds.into());
                    doc["crossings"] = serde_json::json!(
                        a.crossings
                            .iter()
                            .map(
                                |(v, starts)| serde_json::json!({"value": v, "holds_above": starts})
                            )
                            .collect::<Vec<_>>()
                    );
                }
                serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
            }
            Format::Csv => {
                let mut s = format!("value,{},outside_band\n", self.parties.join(","));
                for (v, totals, outside) in &self.points {
                    let t: Vec<String> = totals.iter().map(|u| self.amount(*u)).collect();
                    s.push_str(&format!(
                        "{},{},{}\n",
                        format_scaled(*v, d),
                        t.join(","),
                        !outside.is_empty()
                    ));
                }
                s
            }
            Format::Table => {
                let mut head = vec![crate::i18n::tr("value", &[])];
                head.extend(self.parties.iter().cloned());
                head.push(crate::i18n::tr("band", &[]));
                let body: Vec<Vec<String>> = self
                    .points
                    .iter()
                    .map(|(v, totals, outside)| {
                        let mut f = vec![format_scaled(*v, d)];
                        f.extend(totals.iter().map(|u| self.amount(*u)));
                        f.push(if outside.is_empty() {
                            String::new()
                        } else {
                            crate::i18n::tr("OUTSIDE", &[])
                        });
                        f
                    })
                    .collect();
                let h: Vec<&str> = head.iter().map(String::as_str).collect();
                let mut right = vec![true; head.len()];
                right[head.len() - 1] = false;
                let mut s = crate::i18n::tr(
                    "{} (totals of {}, {}):\n",
                    &[&self.vary, &self.scope, &self.over],
                );
                let names: Vec<String> = self
                    .parties
                    .iter()
                    .map(|p| format!("{p} {}", self.model.party_name(p)))
                    .collect();
                s.push_str(&crate::i18n::tr("parties: {}\n", &[&names.join(", ")]));
                s.push_str(&table(&h, &body, &right));
                if let Some(a) = self.answer {
                    s.push_str(&a.text);
                    s.push('\n');
                }
                s
            }
        }
    }

    /// The chart: each party's total against the parameter, the target and the
    /// boundary marked.
    pub fn chart(&self) -> Chart<'_> {
        let model = self.model;
        let d = self.d;
        let zone_name = self
            .zone
            .and_then(|z| model.zone(z))
            .map_or("all zones".to_string(), |i| model.zones[i].name.clone());
        let rule = self.vary.split('.').collect::<Vec<_>>();
        let rule_id = rule
            .iter()
            .position(|s| *s == "rule")
            .and_then(|i| rule.get(i + 1))
            .copied()
            .unwrap_or("");
        let unit = self
            .metrics
            .iter()
            .map(|m| model.metrics[*m].unit.clone())
            .filter(|u| !u.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(" / ");
        let to_f = |u: i128, dd: u32| format_scaled(u, dd).parse::<f64>().unwrap_or(0.0);
        Chart {
            title: crate::i18n::tf(
                "chart.sweep",
                &[
                    ("zone", zone_name.to_string()),
                    ("rule", rule_id.to_string()),
                    (
                        "what",
                        rule.iter()
                            .position(|s| *s == "rule")
                            .map_or(self.vary.to_string(), |i| {
                                rule[(i + 2).min(rule.len())..].join(".")
                            }),
                    ),
                ],
            ),
            x_label: format!("{} ({})", self.vary, self.over),
            xs: self
                .points
                .iter()
                .map(|(v, _, _)| (to_f(*v, d), format_scaled(*v, d)))
                .collect(),
            unit,
            series: self
                .parties
                .iter()
                .enumerate()
                .map(|(i, p)| Series {
                    id: p.clone(),
                    label: format!("{} {p}", model.party_name(p)),
                    values: self
                        .points
                        .iter()
                        .map(|(_, totals, _)| to_f(totals[i], self.decimals))
                        .collect(),
                })
                .collect(),
            target: self.target.map(|(party, at_least, amount)| {
                (
                    amount.parse::<f64>().unwrap_or(0.0),
                    format!(
                        "{} {} {}",
                        party,
                        if at_least { "≥" } else { "≤" },
                        thousands(amount.parse::<f64>().unwrap_or(0.0))
                    ),
                )
            }),
            mark: self
                .answer
                .and_then(|a| a.mark.map(|m| (m, format!("{m}")))),
            model: Some(model),
        }
    }
}
