//! What `compare` shows: each party's figure under the signed agreement and under each
//! scenario, the difference and its percentage, with a total per zone and metric.

use crate::model::Model;
use crate::num::{format_scaled, ri, round_half_away};
use crate::output::totals::{Format, table};
use num_traits::ToPrimitive;

/// One row: (zone, metric, party), the decimals of its amounts, the baseline and each
/// scenario's value (scaled to `decimals`).
pub struct Row {
    pub key: (String, String, String),
    pub decimals: u32,
    pub base: i128,
    pub values: Vec<i128>,
}

/// (diff × 100 / base) to 2 decimals, half away from zero; empty when base is 0.
pub fn percent(diff: i128, base: i128) -> String {
    if base == 0 {
        return String::new();
    }
    let r = ri(diff) * ri(10000) / ri(base);
    format_scaled(round_half_away(&r).to_i128().unwrap_or(0), 2)
}

pub fn render(
    signed: &Model,
    names: &[String],
    rows: &[Row],
    notes: &[String],
    format: Format,
) -> String {
    match format {
        Format::Json => {
            let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let sc: Vec<serde_json::Value> = names
                    .iter()
                    .zip(&r.values)
                    .map(|(n, v)| serde_json::json!({"scenario": n, "amount": format_scaled(*v, r.decimals), "difference": format_scaled(v - r.base, r.decimals), "percent": percent(v - r.base, r.base)}))
                    .collect();
                serde_json::json!({"zone": r.key.0, "metric": r.key.1, "party": r.key.2, "baseline": format_scaled(r.base, r.decimals), "scenarios": sc})
            })
            .collect();
            let doc =
                serde_json::json!({"scenarios": names, "rows": list, "band_violations": notes});
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        Format::Csv => {
            let mut head = vec![
                "zone".to_string(),
                "metric".into(),
                "party".into(),
                "baseline".into(),
            ];
            for n in names {
                head.extend([n.clone(), format!("{n}_diff"), format!("{n}_pct")]);
            }
            let mut s = head.join(",") + "\n";
            for r in rows {
                let mut f = vec![
                    r.key.0.clone(),
                    r.key.1.clone(),
                    r.key.2.clone(),
                    format_scaled(r.base, r.decimals),
                ];
                for v in &r.values {
                    f.extend([
                        format_scaled(*v, r.decimals),
                        format_scaled(v - r.base, r.decimals),
                        percent(v - r.base, r.base),
                    ]);
                }
                s.push_str(
                    &(f.iter()
                        .map(|x| crate::output::csvtext::cell(x))
                        .collect::<Vec<_>>()
                        .join(",")
                        + "\n"),
                );
            }
            s
        }
        Format::Table => {
            // Names beside ids; with more than one scenario, one line per scenario, so
            // that the table fits a terminal however many are compared.
            let party = |p: &str| {
                if p == "(total)" {
                    crate::i18n::tr("(total)", &[])
                } else {
                    format!("{p} {}", signed.party_name(p))
                }
            };
            let pct = |d: i128, b: i128| {
                let p = percent(d, b);
                if p.is_empty() { p } else { format!("{p}%") }
            };
            let mut s = String::new();
            if names.len() == 1 {
                let n = &names[0];
                let head = [
                    crate::i18n::tr("zone", &[]),
                    crate::i18n::tr("metric", &[]),
                    crate::i18n::tr("party", &[]),
                    crate::i18n::tr("baseline", &[]),
                    n.clone(),
                    "Δ".to_string(),
                    "Δ%".to_string(),
                ];
                let head: Vec<&str> = head.iter().map(String::as_str).collect();
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        let v = r.values[0];
                        vec![
                            r.key.0.clone(),
                            metric_shown(&r.key.1),
                            party(&r.key.2),
                            format_scaled(r.base, r.decimals),
                            format_scaled(v, r.decimals),
                            format_scaled(v - r.base, r.decimals),
                            pct(v - r.base, r.base),
                        ]
                    })
                    .collect();
                s.push_str(&table(
                    &head,
                    &body,
                    &[false, false, false, true, true, true, true],
                ));
            } else {
                let head: Vec<String> = [
                    "zone",
                    "metric",
                    "party",
                    "variant",
                    "total",
                    "Δ baseline",
                    "Δ%",
                ]
                .iter()
                .map(|h| crate::i18n::tr(h, &[]))
                .collect();
                let head: Vec<&str> = head.iter().map(String::as_str).collect();
                let mut body: Vec<Vec<String>> = Vec::new();
                for r in rows {
                    body.push(vec![
                        r.key.0.clone(),
                        metric_shown(&r.key.1),
                        party(&r.key.2),
                        crate::i18n::tr("baseline", &[]),
                        format_scaled(r.base, r.decimals),
                        String::new(),
                        String::new(),
                    ]);
                    for (n, v) in names.iter().zip(&r.values) {
                        body.push(vec![
                            String::new(),
                            String::new(),
                            String::new(),
                            n.clone(),
                            format_scaled(*v, r.decimals),
                            format_scaled(v - r.base, r.decimals),
                            pct(v - r.base, r.base),
                        ]);
                    }
                }
                s.push_str(&table(
                    &head,
                    &body,
                    &[false, false, false, false, true, true, true],
                ));
            }
            for n in notes {
                s.push_str(&crate::i18n::tr("note: {}\n", &[n]));
            }
            s
        }
    }
}

/// A metric column's cell in a table: the id, or for obligations (SPEC §14, not a
/// metric) their label in the reader's language.
fn metric_shown(id: &str) -> String {
    if id == crate::engine::obligations::LABEL {
        crate::i18n::t("obligations.id").to_string()
    } else {
        id.to_string()
    }
}
