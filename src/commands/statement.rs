//! `fencheng statement DIR [--to S] [--pdf]`: the settlement statement both sides sign
//! and seal (税收分成结算单), one print-ready page per period, payer and payee.
//!
//! DIR is a run's `--out` directory or a closing of the books. Each page shows both
//! parties with their division codes, the period, what makes up the transfer by zone
//! and metric (with the agreement's clause), a closing's adjustments apart, the total
//! in figures and in capital numerals (人民币大写), the SHA-256 of the manifest as the
//! reference that ties the paper to its replay, and signature and seal blocks. The
//! pages are self-contained HTML (styles inline, no font or script from anywhere),
//! sized for A4; `--pdf` prints each with the system's headless Chromium.

use crate::error::Error;
use crate::manifest::{self, Manifest, sha256_hex};
use crate::model::{CENTRAL, DEDUCTION, MetricKind, Model};
use crate::msg;
use crate::output::capital::capital;
use crate::period::Period;
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| {
        Error::Output(crate::output::atomic::OutputError {
            path: path.display().to_string(),
            source: e,
        })
    }
}

fn differs(m: String) -> Error {
    Error::Records(vec![crate::diag::Diag::new("", 0, "", m)], 0)
}

/// Rows of a CSV output (header skipped), split on commas (our outputs quote nothing
/// that a statement reads: ids and amounts).
fn rows(path: &Path) -> Result<Vec<Vec<String>>, Error> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    Ok(text
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect())
}

fn cents(text: &str) -> Option<i128> {
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

fn money(c: i128) -> String {
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The configuration a directory was computed with: a closing's copy, or the run's
/// (found from the manifest's directory).
fn model_of(dir: &Path, m: &Manifest) -> Result<Model, Error> {
    if m.books.is_some() {
        return Ok(crate::config::load(&dir.join("config"))?);
    }
    let given = &m.options.config;
    let path = m
        .paths
        .get(given)
        .map(|r| dir.join(r))
        .filter(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(given));
    Ok(crate::config::load(&path)?)
}

/// A figure row: (adjusts, zone, metric, party, amount); `adjusts` only for adjustments.
type Figure = (Option<String>, String, String, String, String);

/// One line of a statement: a zone and metric's part of the transfer.
struct Line {
    zone: String,
    metric: String,
    cite: String,
    adjusts: Option<String>,
    cents: i128,
}

/// What `payer` owes `payee` in `period` from figure rows (period or adjusts, zone,
/// metric, party, amount): the payee's share where the payer hosts, less the payer's
/// where the payee hosts; tax metrics only, never a level or the deduction row.
fn lines_of(
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

fn party(model: &Model, id: &str) -> (String, String) {
    let p = model.parties.iter().find(|p| p.id == id);
    (
        p.map_or(id.to_string(), |p| p.name.clone()),
        p.and_then(|p| p.code.clone()).unwrap_or_default(),
    )
}

/// The page of one transfer.
#[allow(clippy::too_many_arguments)]
fn page(
    model: &Model,
    period: &str,
    payer: &str,
    payee: &str,
    total: i128,
    lines: &[Line],
    adjustments: &[Line],
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

/// `fencheng statement`.
pub fn statement(dir: &Path, to: Option<&Path>, pdf: bool) -> Result<String, Error> {
    let mpath = dir.join(manifest::FILE);
    let bytes = std::fs::read(&mpath).map_err(io(&mpath))?;
    let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
        differs(format!(
            "{}: {}",
            mpath.display(),
            msg!("E0506", reason = e)
        ))
    })?;
    let reference = sha256_hex(&bytes);
    let model = model_of(dir, &m)?;
    let closing = m.books.is_some();
    let summary: Vec<_> = rows(&dir.join("summary.csv"))?
        .into_iter()
        .filter(|r| r.len() == 5)
        .map(|r| {
            (
                r[0].clone(),
                (None, r[1].clone(), r[2].clone(), r[3].clone(), r[4].clone()),
            )
        })
        .collect();
    let adjustments: Vec<_> = if dir.join("adjustments.csv").is_file() {
        rows(&dir.join("adjustments.csv"))?
            .into_iter()
            .filter(|r| r.len() == 6)
            .map(|r| {
                (
                    r[0].clone(),
                    (
                        Some(r[1].clone()),
                        r[2].clone(),
                        r[3].clone(),
                        r[4].clone(),
                        r[5].clone(),
                    ),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let out = to.map_or_else(|| dir.join("statements"), Path::to_path_buf);
    std::fs::create_dir_all(&out).map_err(io(&out))?;
    let mut written = Vec::new();
    for r in rows(&dir.join("settlement.csv"))? {
        let [period, payer, payee, amount] = r.as_slice() else {
            continue;
        };
        let Some(total) = cents(amount) else {
            return Err(differs(
                msg!(
                    "E0520",
                    period = period,
                    payer = payer,
                    payee = payee,
                    amount = amount
                )
                .text,
            ));
        };
        let of = |rows: &[(String, Figure)]| {
            let figs: Vec<_> = rows
                .iter()
                .filter(|(p, _)| p == period)
                .map(|(_, f)| f.clone())
                .collect();
            lines_of(&model, &figs, period, payer, payee)
        };
        let (lines, adj) = (of(&summary), of(&adjustments));
        // The page must add up to the settlement it stands for.
        let sum: i128 = lines.iter().chain(&adj).map(|l| l.cents).sum();
        if sum != total {
            return Err(differs(
                msg!(
                    "E0521",
                    period = period,
                    payer = payer,
                    payee = payee,
                    amount = amount,
                    sum = money(sum)
                )
                .text,
            ));
        }
        let name = format!("{period}_{payer}_{payee}.html");
        let path = out.join(&name);
        std::fs::write(
            &path,
            page(
                &model, period, payer, payee, total, &lines, &adj, &reference, closing,
            ),
        )
        .map_err(io(&path))?;
        if pdf {
            print_pdf(&path)?;
        }
        written.push(name);
    }
    Ok(format!(
        "{} statements in {}{}\n",
        written.len(),
        out.display(),
        if written.is_empty() {
            String::new()
        } else {
            format!(": {}", written.join(" "))
        }
    ))
}

/// Print a page to PDF beside it with headless Chromium.
fn print_pdf(html: &Path) -> Result<(), Error> {
    let pdf = html.with_extension("pdf");
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or_else(|| Error::Usage(msg!("E0522").text))?;
    let abs = std::path::absolute(html).map_err(io(html))?;
    let status = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", abs.display()))
        .output()
        .map_err(io(html))?;
    if !status.status.success() || !pdf.exists() {
        return Err(Error::Output(crate::output::atomic::OutputError {
            path: pdf.display().to_string(),
            source: std::io::Error::other(String::from_utf8_lossy(&status.stderr).into_owned()),
        }));
    }
    Ok(())
}
