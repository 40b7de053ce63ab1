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
use crate::model::Model;
use crate::msg;
use crate::output::statement::{Figure, cents, lines_of, money, page};
use std::path::Path;

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| {
        Error::Output(crate::output::atomic::OutputError {
            path: crate::pathtext::show(path),
            source: e,
        })
    }
}

/// A file of the directory that cannot be read: said as a read, not a write.
fn unreadable(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| {
        Error::RecordsIo(crate::input::RecordsError::Io {
            path: crate::pathtext::show(path),
            source,
        })
    }
}

fn differs(m: crate::i18n::Msg) -> Error {
    Error::Records(vec![crate::diag::Diag::new("", 0, "", m)], 0)
}

/// Rows of a CSV output (header skipped).
fn rows(path: &Path) -> Result<Vec<Vec<String>>, Error> {
    let text = std::fs::read_to_string(path).map_err(unreadable(path))?;
    Ok(crate::input::table::output_rows(&text)
        .into_iter()
        .map(|(_, f)| f)
        .collect())
}

/// The configuration a directory was computed with: a closing's copy, or the run's
/// (found from the manifest's directory).
fn model_of(dir: &Path, m: &Manifest) -> Result<Model, Error> {
    if m.books.is_some() {
        return Ok(crate::config::load(&dir.join("config"))?);
    }
    let given = crate::pathtext::show(&m.options.run.inputs.config);
    let path = crate::pathtext::parse(&crate::input::recorded::locate(m, dir, &given));
    Ok(crate::config::load(&path)?)
}

/// `fencheng statement`.
pub fn statement(dir: &Path, to: Option<&Path>, pdf: bool) -> Result<String, Error> {
    let mpath = dir.join(manifest::FILE);
    let bytes = std::fs::read(&mpath).map_err(unreadable(&mpath))?;
    let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
        differs(msg!("E0506", reason = e).prefixed(format!("{}: ", mpath.display())))
    })?;
    let reference = sha256_hex(&bytes);
    // What is printed for signing must be what was computed: the manifest as written
    // and every file it records as hashed (a figure lowered by hand is refused).
    let mut altered = Vec::new();
    if !m.is_intact() {
        altered.push(format!("{}: {}", mpath.display(), msg!("E0507")));
    }
    for o in &m.outputs {
        if !crate::input::books::inside(&o.file) || o.file.ends_with(".xlsx") {
            continue;
        }
        let p = dir.join(&o.file);
        match std::fs::read(&p) {
            Ok(b) if sha256_hex(&b) == o.sha256 => {}
            Ok(_) => altered.push(format!(
                "{}: {}",
                p.display(),
                msg!("E0511", recorded = &o.sha256[..12.min(o.sha256.len())])
            )),
            Err(_) => altered.push(format!("{}: {}", p.display(), msg!("E0431"))),
        }
    }
    if !altered.is_empty() {
        return Err(Error::Differs(altered.join("\n")));
    }
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
    let obligations = if dir.join("obligations.csv").is_file() {
        rows(&dir.join("obligations.csv"))?
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
        // A file name is built from validated ids only: a period, and two parties of
        // the configuration (never `x/../../pwned`).
        let known = |p: &str| model.parties.iter().any(|x| x.id == p);
        if crate::period::Period::parse(period).is_none_or(|p| p.to_string() != *period)
            || !known(payer)
            || !known(payee)
        {
            return Err(differs(msg!(
                "E0524",
                period = period,
                payer = payer,
                payee = payee
            )));
        }
        let Some(total) = cents(amount) else {
            return Err(differs(msg!(
                "E0520",
                period = period,
                payer = payer,
                payee = payee,
                amount = amount
            )));
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
        let obl =
            crate::output::statement::obligation_lines(&model, &obligations, period, payer, payee);
        // The page must add up to the settlement it stands for.
        let sum: i128 = lines.iter().chain(&adj).chain(&obl).map(|l| l.cents).sum();
        if sum != total {
            return Err(differs(msg!(
                "E0521",
                period = period,
                payer = payer,
                payee = payee,
                amount = amount,
                sum = money(sum)
            )));
        }
        let name = format!("{period}_{payer}_{payee}.html");
        let path = out.join(&name);
        std::fs::write(
            &path,
            page(
                &model, period, payer, payee, total, &lines, &adj, &obl, &reference, closing,
            ),
        )
        .map_err(io(&path))?;
        if pdf {
            print_pdf(&path)?;
        }
        written.push(name);
    }
    Ok(format!(
        "{}{}\n",
        crate::i18n::tf(
            "statement.written",
            &[
                ("count", written.len().to_string()),
                ("dir", crate::pathtext::show(&out))
            ]
        ),
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
        .ok_or_else(|| Error::Usage(msg!("E0522")))?;
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
            path: crate::pathtext::show(&pdf),
            source: std::io::Error::other(String::from_utf8_lossy(&status.stderr).into_owned()),
        }));
    }
    Ok(())
}
