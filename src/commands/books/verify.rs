//! `books verify`: every closing replayed from its booked files and compared byte for
//! byte, and the chain of manifests checked.

use super::super::close::{plan, write_closings};
use crate::cli::Inputs;
use crate::error::Error;
use crate::input::books::{Books, Closing};
use crate::manifest::sha256_hex;
use crate::msg;
use std::path::Path;

/// Whether a closing's `previous` is the manifest hash of the closing before it.
pub(super) fn chained(books: &Books, i: usize) -> bool {
    let want = i
        .checked_sub(1)
        .map(|j| books.closings[j].manifest_sha256.clone());
    books.closings[i].books().previous == want && books.closings[i].manifest.is_intact()
}

/// The inputs a closing's command booked, to replay it.
pub(super) fn replay_inputs(c: &Closing) -> Inputs {
    let info = c.books();
    let pick = crate::input::books::located;
    let entities = c.dir.join("entities.csv");
    let profile = c.dir.join("profile.toml");
    Inputs {
        config: c.dir.join("config"),
        records: info
            .booked
            .iter()
            .filter(|b| b.role == "records")
            .map(pick)
            .collect(),
        encoding: crate::input::Encoding::Auto,
        delimiter: None,
        deductions: info
            .booked
            .iter()
            .filter(|b| b.role == "deductions")
            .map(pick)
            .collect(),
        entities: entities.is_file().then_some(entities),
        profile: profile.is_file().then_some(profile),
    }
}

pub(super) fn verify(dir: &Path) -> Result<String, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(msg!("E0427", books = dir.display())));
    }
    // A closing whose manifest cannot even be read is a difference, not bad input.
    let books = Books::open(dir).map_err(|d| Error::Differs(crate::diag::render(&d, 0)))?;
    let replay = tempfile::tempdir().map_err(|e| {
        Error::Output(crate::output::atomic::OutputError {
            path: "temporary directory".into(),
            source: e,
        })
    })?;
    let mut problems: Vec<String> = Vec::new();
    for (i, c) in books.closings.iter().enumerate() {
        let name = c.period.to_string();
        if !chained(&books, i) {
            problems.push(format!("{name}/manifest.json: {}", msg!("E0428")));
        }
        if let Some(next) = books.closings.get(i + 1)
            && next.books().previous.as_deref() != Some(c.manifest_sha256.as_str())
        {
            problems.push(format!(
                "{name}/manifest.json: {}",
                msg!("E0429", closing = next.period)
            ));
        }
        for f in c.manifest.inputs.iter().filter(|f| {
            f.role == "config"
                || (f.role == "entities" && f.path == "entities.csv")
                || (f.role == "profile" && f.path == "profile.toml")
        }) {
            let path = c.dir.join(&f.path);
            match std::fs::read(&path) {
                Ok(b) if sha256_hex(&b) == f.sha256 => {}
                Ok(_) => problems.push(format!("{name}/{}: {}", f.path, msg!("E0430"))),
                Err(_) => problems.push(format!("{name}/{}: {}", f.path, msg!("E0431"))),
            }
        }
        let info = c.books();
        for b in &info.booked {
            let path = crate::input::books::located(b);
            match std::fs::read(&path) {
                Ok(bytes) if sha256_hex(&bytes) == b.sha256 => {}
                Ok(_) => problems.push(format!("{}: {}", b.path, msg!("E0432", closing = name))),
                Err(e) => problems.push(format!(
                    "{}: {}",
                    b.path,
                    msg!("E0433", closing = name, reason = crate::i18n::io_reason(&e))
                )),
            }
        }
        // A close of several periods is one unit: a closing whose command also closed
        // a period the books do not hold carries that period's lines unseen.
        for p in &info.closed {
            if !books.closings.iter().any(|o| o.period.to_string() == *p) {
                problems.push(format!(
                    "{name}/manifest.json: {}",
                    msg!("E0454", period = p)
                ));
            }
        }
        if info.closed.first().map(String::as_str) == Some(name.as_str()) {
            let at = Books::open(replay.path()).map_err(Error::Books)?;
            let inputs = replay_inputs(c);
            match plan(&at, &inputs, info.command_period.as_deref(), false) {
                Ok(p) => write_closings(
                    &at,
                    &p,
                    info.command_period.as_deref(),
                    c.manifest.amendment.as_ref().map(|a| a.reason.as_str()),
                )?,
                Err(e) => {
                    problems.push(format!("{name}: {}", msg!("E0434", reason = e.report())));
                    break;
                }
            }
        }
        for file in [
            "summary.csv",
            "adjustments.csv",
            "settlement.csv",
            "obligations.csv",
        ] {
            let replayed = replay.path().join(&name).join(file);
            if file == "obligations.csv" && !c.dir.join(file).exists() && !replayed.exists() {
                continue;
            }
            let have = std::fs::read(c.dir.join(file));
            let want = std::fs::read(replay.path().join(&name).join(file)).unwrap_or_default();
            match have {
                Err(_) => problems.push(format!("{name}/{file}: {}", msg!("E0431"))),
                Ok(h) => {
                    if let Some(line) = crate::output::difference::line(&h, &want) {
                        problems.push(format!("{name}/{file}:{line}: {}", msg!("E0435")));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(format!("{}\n", msg!("E0436", count = books.closings.len())))
    } else {
        Err(Error::Differs(problems.join("\n")))
    }
}
