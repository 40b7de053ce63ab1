//! The settlement statement's page (税收分成结算单): one self-contained, print-ready HTML
//! page per period, payer and payee, from the figures of a run or a closing. The
//! command (`commands::statement`) reads the directory and checks that it holds
//! together; this module turns figures into lines and lines into the page.

use crate::model::{CENTRAL, DEDUCTION, MetricKind, Model};
use crate::output::capital::capital;
use crate::period::Period;
use std::fmt::Write;

pub fn cents(text: &str) -> Option<i128> {
    let (neg, t) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (i, f) = t.split_once('.').unwrap_or((t, ""));
    if f.len() > 2 {
        return None;
    }
    let v = i.parse::<i128>().ok()? * 100 + format!("{f:0<2}").parse::<i128>().ok()?;
    Some(if neg { -v } else { v })
}

pub fn money(c: i128) -> String {
    let neg = c < 0;
    let a = c.unsigned_abs();
    let int = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{:02}", if neg { "-" } else { "" }, a % 100)
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A figure row: (adjusts, zone, metric, party, amount); `adjusts` only for adjustments.
pub type Figure = (Option<String>, String, String, String, String);

/// One line of a statement: a zone and metric's part of the transfer.
pub struct Line {
    pub zone: String,
    pub metric: String,
    pub cite: String,
    pub adjusts: Option<String>,
    pub cents: i128,
}

/// What `payer` owes `payee` in `period` from figure rows (period or adjusts, zone,
/// metric, party, amount): the payee's share where the payer hosts, less the payer's
/// where the payee hosts; tax metrics only, never a level or the deduction row.
pub fn lines_of(
    model: &Model,
    figures: &[(Option<String>, String, String, String, String)],
    period: &str,
    payer: &str,
    payee: &str,
) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for (adjusts, z, m, party, amount) in figures {
        let (Some(zi), Some(mi)) = (
            model.zone_index.get(z).copied(),
            model.metric_index.get(m).copied(),
        ) else {
            continue;
        };
        let (zone, metric) = (&model.zones[zi], &model.metrics[mi]);
        if metric.kind != MetricKind::Tax
            || party == CENTRAL
            || party == DEDUCTION
            || zone
                .levels_of(mi, metric)
                .parties()
                .contains(&party.as_str())
        {
            continue;
        }
        let sign = if zone.host == payer && party == payee {
            1
        } else if zone.host == payee && party == payer {
            -1
        } else {
            continue;
        };
        let Some(c) = cents(amount) else { continue };
        if c == 0 {
            continue;
        }
        let when = adjusts.as_deref().unwrap_or(period);
        let cite = Period::parse(when)
            .and_then(|p| zone.agreement_for(p).ok())
            .and_then(|a| zone.agreements[a].cite.clone())
            .unwrap_or_default();
        out.push(Line {
            zone: format!("{} {}", zone.name, zone.id),
            metric: format!("{} {}", metric.name, metric.id),
            cite,
            adjusts: adjusts.clone(),
            cents: sign * c,
        });
    }
    out
}

pub fn party(model: &Model, id: &str) -> (String, String) {
    let p = model.parties.iter().find(|p| p.id == id);
    (
        p.map_or(id.to_string(), |p| p.name.clone()),
        p.and_then(|p| p.code.clone()).unwrap_or_default(),
    )
}

/// What `payer` owes `payee` in `period` by obligations (SPEC §14) from the rows of an
/// obligations.csv (`period, adjusts, zone, kind, payer, payee, amount, cite`; a run's
/// file has no `adjusts`): +amount payer → payee, −amount the other way. `metric`
/// holds the heading of the kind (保底补足 / 固定回报).
pub fn obligation_lines(
    model: &Model,
    rows: &[Vec<String>],
    period: &str,
    payer: &str,
    payee: &str,
) -> Vec<Line> {
    let mut out = Vec::new();
    for r in rows {
        let r: Vec<&str> = if r.len() == 7 {
            let mut v: Vec<&str> = r.iter().map(String::as_str).collect();
            v.insert(1, "");
            v
        } else if r.len() == 8 {
            r.iter().map(String::as_str).collect()
        } else {
            continue;
        };
        if r[0] != period {
            continue;
        }
        let sign = if r[4] == payer && r[5] == payee {
            1
        } else if r[4] == payee && r[5] == payer {
            -1
        } else {
            continue;
        };
        let Some(c) = cents(r[6]) else { continue };
        let zone = model.zone_index.get(r[2]).map_or(r[2].to_string(), |&z| {
            format!("{} {}", model.zones[z].name, r[2])
        });
        out.push(Line {
            zone,
            metric: kind_heading(r[3]).to_string(),
            cite: r[7].to_string(),
            adjusts: (!r[1].is_empty()).then(|| r[1].to_string()),
            cents: sign * c,
        });
    }
    out
}

/// The statement's heading of an obligation kind.
pub fn kind_heading(kind: &str) -> &'static str {
    match kind {
        "guarantee" => "保底补足",
        _ => "固定回报",
    }
}

/// The page of one transfer.
#[allow(clippy::too_many_arguments)]
pub fn page(
    model: &Model,
    period: &str,
    payer: &str,
    payee: &str,
    total: i128,
    lines: &[Line],
    adjustments: &[Line],
    obligations: &[Line],
    reference: &str,
    closing: bool,
) -> String {
    let (pn, pc) = party(model, payer);
    let (qn, qc) = party(model, payee);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>税收分成结算单 {period} {payer} → {payee}</title>
<style>
@page {{ size: A4; margin: 18mm 16mm; }}
body {{ font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Noto Sans CJK SC", serif; color: #111; font-size: 11pt; margin: 0; }}
h1 {{ text-align: center; font-size: 20pt; letter-spacing: 0.4em; margin: 0 0 4mm; }}
.sub {{ text-align: center; font-size: 10pt; color: #333; margin-bottom: 6mm; }}
table {{ width: 100%; border-collapse: collapse; margin: 3mm 0; }}
th, td {{ border: 0.3mm solid #333; padding: 1.6mm 2mm; }}
th {{ background: #f0f0f0; font-weight: 600; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
.parties td {{ width: 50%; vertical-align: top; }}
.total td {{ font-size: 12pt; }}
.capital {{ font-size: 13pt; letter-spacing: 0.08em; }}
.sign {{ display: grid; grid-template-columns: 1fr 1fr; gap: 8mm; margin-top: 10mm; }}
.sign > div {{ border: 0.3mm solid #333; padding: 3mm 4mm; min-height: 42mm; }}
.sign p {{ margin: 2.4mm 0; }}
.seal {{ float: right; width: 30mm; height: 30mm; border: 0.3mm dashed #999; border-radius: 50%; text-align: center; line-height: 30mm; color: #999; }}
.note {{ font-size: 9.5pt; color: #333; }}
.ref {{ font-family: monospace; font-size: 8.5pt; word-break: break-all; color: #333; margin-top: 6mm; }}
</style></head><body>
<h1>税收分成结算单</h1>
<div class="sub">所属期 {period}{}</div>
<table class="parties"><tr><td><b>付款方</b>　{}<br>行政区划代码　{}</td><td><b>收款方</b>　{}<br>行政区划代码　{}</td></tr></table>
"#,
        if closing { "（已结账）" } else { "" },
        esc(&pn),
        esc(&pc),
        esc(&qn),
        esc(&qc),
    );
    let table = |title: &str, lines: &[Line], with_adjusts: bool| -> String {
        let mut t = format!(
            "<h3>{title}</h3><table><tr><th>园区</th><th>税种</th>{}<th>依据</th><th>金额（元）</th></tr>",
            if with_adjusts {
                "<th>调整所属期</th>"
            } else {
                ""
            }
        );
        for l in lines {
            let _ = write!(
                t,
                "<tr><td>{}</td><td>{}</td>{}<td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&l.zone),
                esc(&l.metric),
                if with_adjusts {
                    format!("<td>{}</td>", esc(l.adjusts.as_deref().unwrap_or("")))
                } else {
                    String::new()
                },
                esc(&l.cite),
                money(l.cents)
            );
        }
        t.push_str("</table>");
        t
    };
    s.push_str(&table("本期分成", lines, false));
    if !adjustments.is_empty() {
        s.push_str(&table("以前期间调整（迟到、更正记录）", adjustments, true));
    }
    // Obligations (SPEC §14) under their own headings, with the clause they rest on.
    for heading in ["保底补足", "固定回报"] {
        let of: Vec<&Line> = obligations.iter().filter(|l| l.metric == heading).collect();
        if of.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            "<h3>{heading}</h3><table><tr><th>园区</th><th>依据</th><th>调整年度</th><th>金额（元）</th></tr>"
        );
        for l in of {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&l.zone),
                esc(&l.cite),
                esc(l.adjusts.as_deref().unwrap_or("")),
                money(l.cents)
            );
        }
        s.push_str("</table>");
    }
    // A negative line is money the other way — a refund in the payer's zone, or the
    // payer's share where the payee collects — netted in the total: say so in words.
    if lines
        .iter()
        .chain(adjustments)
        .chain(obligations)
        .any(|l| l.cents < 0)
    {
        s.push_str(
            "<p class=\"note\" id=\"reversed\">注：金额为负数的行是反方向的款项（如付款方所在园区的退税，或收款方征收、应付给付款方的分成），已在合计中抵减；合计为双方轧差后付款方应付的净额。</p>\n",
        );
    }
    let _ = write!(
        s,
        r#"<table class="total"><tr><th style="width:22%">合计应付（小写）</th><td class="n" id="total">¥{}</td></tr>
<tr><th>合计应付（大写）</th><td class="capital" id="capital">人民币{}</td></tr></table>
<div class="sign">
<div><div class="seal">盖章</div><p><b>付款方</b> {}</p><p>经办人：</p><p>复核人：</p><p>负责人：</p><p>日期：　　年　　月　　日</p></div>
<div><div class="seal">盖章</div><p><b>收款方</b> {}</p><p>经办人：</p><p>复核人：</p><p>负责人：</p><p>日期：　　年　　月　　日</p></div>
</div>
<div class="ref">编号（manifest.json 的 SHA-256，可由 fencheng verify 复核）：{reference}</div>
</body></html>
"#,
        money(total),
        capital(total),
        esc(&pn),
        esc(&qn),
    );
    s
}
