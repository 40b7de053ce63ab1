//! `fencheng books status | verify | reopen | balance` (SPEC §9.2).

mod balance;
mod verify;

use super::close::lock;
use crate::cli::BooksCommand;
use crate::error::Error;
use crate::input::books::Books;
use crate::msg;
use balance::*;
use std::path::Path;
use verify::*;

pub fn books(cmd: &BooksCommand) -> Result<String, Error> {
    match cmd {
        BooksCommand::Status(a) => status(&a.dir),
        BooksCommand::Verify(a) => verify(&a.dir),
        BooksCommand::Reopen(a) => reopen(&a.dir, &a.period),
        BooksCommand::Balance(a) => balance(&a.dir, a.payments.as_deref(), a.format),
    }
}

fn open(dir: &Path) -> Result<Books, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(msg!("E0427", books = dir.display())));
    }
    Books::open(dir).map_err(Error::Books)
}

fn status(dir: &Path) -> Result<String, Error> {
    let books = open(dir)?;
    let mut s = format!("{}\n", crate::i18n::t("books.status_header"));
    for (i, c) in books.closings.iter().enumerate() {
        let adj = std::fs::read_to_string(c.dir.join("adjustments.csv"))
            .map_or(0, |t| t.lines().count().saturating_sub(1));
        let totals: Vec<String> = c
            .manifest
            .control_totals
            .iter()
            .map(|t| format!("{} {}", t.metric, t.input))
            .collect();
        // The closed period's records and their totals; late lines (of earlier periods,
        // booked here as adjustments) counted and totalled apart.
        let late = c.manifest.late.as_ref();
        let late_records = late.map_or(0, |l| l.records);
        s.push_str(&format!(
            "{:<9} {:>7}  {:>4}  {:>11}  {:<5}  {}\n",
            c.period,
            c.manifest.records.saturating_sub(late_records),
            late_records,
            adj,
            crate::i18n::t(if chained(&books, i) {
                "books.chain_ok"
            } else {
                "books.chain_broken"
            }),
            totals.join(", ")
        ));
        if let Some(l) = late {
            let totals: Vec<String> = l
                .totals
                .iter()
                .map(|t| format!("{} {}", t.metric, t.input))
                .collect();
            s.push_str(&format!(
                "          {}\n",
                crate::i18n::tf("books.late", &[("totals", totals.join(", "))])
            ));
        }
        if let Some(a) = &c.manifest.amendment {
            s.push_str(&format!(
                "          {}\n",
                crate::i18n::tf(
                    "books.amendment",
                    &[
                        ("reason", a.reason.clone()),
                        ("changed", a.changed.join(", "))
                    ]
                )
            ));
        }
    }
    if books.closings.is_empty() {
        s.push_str(&format!("{}\n", crate::i18n::t("books.none")));
    }
    Ok(s)
}

fn reopen(dir: &Path, period: &str) -> Result<String, Error> {
    let _lock = lock(dir)?;
    let books = open(dir)?;
    let Some(last) = books.closings.last() else {
        return Err(Error::Usage(msg!("E0437", books = dir.display())));
    };
    if last.period.to_string() != period {
        // The books hold what they hold: a data problem (exit 1), not a usage one.
        return Err(Error::Books(vec![crate::diag::Diag::new(
            &crate::pathtext::show(dir),
            0,
            "",
            msg!("E0438", last = last.period, period = period),
        )]));
    }
    // The same closing reopened twice (closed again identically in between) keeps
    // both copies.
    let base = format!("{period}-{}", &last.manifest_sha256[..8]);
    let mut to = dir.join(".reopened").join(&base);
    let mut n = 2;
    while to.exists() {
        to = dir.join(".reopened").join(format!("{base}-{n}"));
        n += 1;
    }
    let io = |e: std::io::Error| {
        Error::Output(crate::output::atomic::OutputError {
            path: crate::pathtext::show(&to),
            source: e,
        })
    };
    std::fs::create_dir_all(dir.join(".reopened")).map_err(io)?;
    std::fs::rename(&last.dir, &to).map_err(io)?;
    Ok(format!(
        "{}\n",
        msg!("E0439", period = period, to = to.display())
    ))
}
