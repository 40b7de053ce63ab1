//! `fencheng close`: book new periods once, and late lines as adjustments (SPEC §9.1).
//!
//! The plan (`plan`) is shared with `run --books`: hash and refuse files already
//! booked, find the periods of the new lines, re-read the booked files of the years
//! they touch, compute the truth of those years with the current configuration, read
//! what the closings booked, and take the difference. `close` then writes each new
//! closing into a temporary directory beside the books and renames it into place,
//! under a lock on the books directory.

mod plan;
mod write;

pub use plan::{Plan, plan, standing};
pub(crate) use write::write_closings;

use crate::cli::Inputs;
use crate::diag::Diag;
use crate::error::Error;
use crate::input::books::Books;
use crate::msg;
use crate::output::closing;
use std::path::Path;

pub(super) fn records_error(diags: Vec<Diag>) -> Error {
    Error::Records(diags, 0)
}

/// Take the books directory's lock for the length of the command: a second `close` on
/// the same books fails at once with a clear message (the lock is the operating
/// system's, so it never outlives the process).
pub fn lock(dir: &Path) -> Result<std::fs::File, Error> {
    let io = |e: std::io::Error| {
        Error::Output(crate::output::atomic::OutputError {
            path: crate::pathtext::show(dir),
            source: e,
        })
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let path = dir.join(".lock");
    // Never follow a link: the lock file is created inside the books, or not at all.
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::Books(vec![Diag::new(
            &crate::pathtext::show(&path),
            0,
            "",
            msg!("E0452"),
        )]));
    }
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    // Wait a little (a lock can be held for an instant by a process being started
    // elsewhere), then say clearly who holds the books.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(f),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Usage(msg!("E0421", books = dir.display())));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
    }
}

/// `fencheng close`.
pub fn close(
    inputs: &Inputs,
    books_dir: &Path,
    period: Option<&str>,
    amend: Option<&str>,
) -> Result<String, Error> {
    if inputs.records.is_empty() && inputs.deductions.is_empty() && period.is_none() {
        return Err(Error::Usage(msg!("E0422")));
    }
    if amend.is_some_and(|r| r.trim().is_empty()) {
        return Err(Error::Usage(msg!("E0446")));
    }
    let _lock = lock(books_dir)?;
    let finished = crate::input::books::finish_interrupted(books_dir).map_err(io(books_dir))?;
    if !finished.is_empty() {
        eprintln!("{}", msg!("W0008", periods = finished.join(", ")).text);
    }
    let books = Books::open(books_dir).map_err(Error::Books)?;
    let plan = plan(&books, inputs, period, true)?;
    if amend.is_none()
        && (!plan.amendment.moved.is_empty() || !plan.amendment.obligations.is_empty())
    {
        return Err(refuse_amendment(&books, &plan));
    }
    write_closings(&books, &plan, period, amend)?;
    Ok(closing::report(
        &plan.model,
        &plan.closes,
        &plan.truth,
        &plan.adjustments,
        (&plan.obligations, plan.obligation_decimals),
        false,
    ))
}

/// `run --books DIR`: what `close` would book, printed (and with `--out`, its
/// summary, adjustments and settlement of every period it would close, one file each,
/// written atomically), without touching the books.
pub fn provisional(
    inputs: &Inputs,
    books_dir: &Path,
    period: &[String],
    out: Option<&Path>,
) -> Result<String, Error> {
    if period.len() > 1 {
        return Err(Error::Usage(msg!("E0423")));
    }
    let books = Books::open(books_dir).map_err(Error::Books)?;
    let plan = plan(&books, inputs, period.first().map(String::as_str), true)?;
    if let Some(dir) = out {
        let mut tx = crate::output::atomic::Transaction::new(dir)?;
        let mut summary = String::from("period,zone,metric,party,amount\n");
        let mut settle = String::from("period,payer,payee,amount\n");
        let mut obligations = String::from("period,adjusts,zone,kind,payer,payee,amount,cite\n");
        for (i, p) in plan.closes.iter().enumerate() {
            summary.extend(
                closing::summary_of(&plan.model, &plan.truth, *p)
                    .lines()
                    .skip(1)
                    .map(|l| format!("{l}\n")),
            );
            settle.extend(
                closing::settlement_of(
                    &plan.model,
                    &plan.truth,
                    &plan.adjustments,
                    *p,
                    i == 0,
                    (&plan.obligations, plan.obligation_decimals),
                )
                .lines()
                .skip(1)
                .map(|l| format!("{l}\n")),
            );
            obligations.extend(
                closing::obligations_of(&plan.obligations, *p, plan.obligation_decimals)
                    .lines()
                    .skip(1)
                    .map(|l| format!("{l}\n")),
            );
        }
        let first = plan.closes[0];
        tx.write("summary.csv", summary.as_bytes())?;
        tx.write(
            "adjustments.csv",
            closing::adjustments_of(&plan.model, &plan.adjustments, first, true).as_bytes(),
        )?;
        tx.write("settlement.csv", settle.as_bytes())?;
        if plan.with_obligations {
            tx.write("obligations.csv", obligations.as_bytes())?;
        }
        tx.commit()?;
    }
    Ok(format!(
        "{}\n{}",
        msg!("E0424"),
        closing::report(
            &plan.model,
            &plan.closes,
            &plan.truth,
            &plan.adjustments,
            (&plan.obligations, plan.obligation_decimals),
            true,
        )
    ))
}

/// The standing inputs moved booked figures and no `--amend` was given (SPEC §15):
/// which inputs differ (the configuration's keys), and the first five rows moved.
fn refuse_amendment(books: &Books, plan: &Plan) -> Error {
    let shown = crate::pathtext::show(&books.dir);
    let a = &plan.amendment;
    let changed = if a.changed.is_empty() {
        "—".to_string()
    } else {
        a.changed.join(", ")
    };
    let mut diags = vec![Diag::new(&shown, 0, "", msg!("E0443", changed = changed))];
    for k in a.keys.iter().take(20) {
        diags.push(Diag::new(
            &crate::pathtext::show(&plan.used.config),
            0,
            "",
            msg!("E0444", key = k),
        ));
    }
    for (
        crate::ledger::FigureKey {
            period: p,
            zone: z,
            metric: m,
            party,
        },
        was,
        now,
        mi,
    ) in a.moved.iter().take(5)
    {
        let f = |u: i128| crate::output::summary::amount(&plan.model, *mi, u);
        diags.push(Diag::new(
            &shown,
            0,
            "",
            msg!(
                "E0445",
                period = p,
                zone = z,
                metric = m,
                party = party,
                booked = f(*was),
                now = f(*now)
            ),
        ));
    }
    for (q, z, kind, payer, payee, was, now) in a.obligations.iter().take(5) {
        let f = |u: i128| crate::num::format_scaled(u, plan.obligation_decimals);
        diags.push(Diag::new(
            &shown,
            0,
            "",
            msg!(
                "E0445",
                period = q,
                zone = z,
                metric = kind,
                party = format!("{payer} → {payee}"),
                booked = f(*was),
                now = f(*now)
            ),
        ));
    }
    Error::Amend(diags)
}

pub(super) fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| {
        Error::Output(crate::output::atomic::OutputError {
            path: crate::pathtext::show(path),
            source: e,
        })
    }
}
