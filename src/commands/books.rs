//! `fencheng books status | verify | reopen | balance` (SPEC §9.2).

use super::close::{lock, plan, write_closings};
use crate::cli::{BooksCommand, Inputs};
use crate::diag::Diag;
use crate::error::Error;
use crate::input::books::{Books, Closing};
use crate::input::table::{self, Column};
use crate::manifest::sha256_hex;
use crate::msg;
use crate::num::{Ratio, format_scaled, parse_ratio};
use crate::output::totals::Format;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn books(cmd: &BooksCommand) -> Result<String, Error> {
    match cmd {
        BooksCommand::Status { dir } => status(dir),
        BooksCommand::Verify { dir } => verify(dir),
        BooksCommand::Reopen { dir, period } => reopen(dir, period),
        BooksCommand::Balance {
            dir,
            payments,
            format,
        } => balance(dir, payments.as_deref(), *format),
    }
}

fn open(dir: &Path) -> Result<Books, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(msg!("E0427", books = dir.display()).text));
    }
    Books::open(dir).map_err(|d| Error::Records(d, 0))
}

/// Whether a closing's `previous` is the manifest hash of the closing before it.
fn chained(books: &Books, i: usize) -> bool {
    let want = i
        .checked_sub(1)
        .map(|j| books.closings[j].manifest_sha256.clone());
    books.closings[i].books().previous == want && books.closings[i].manifest.is_intact()
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
        s.push_str(&format!(
            "{:<9} {:>7}  {:>11}  {:<5}  {}\n",
            c.period,
            c.manifest.records,
            adj,
            if chained(&books, i) { "ok" } else { "BROKEN" },
            totals.join(", ")
        ));
    }
    if books.closings.is_empty() {
        s.push_str(&format!("{}\n", crate::i18n::t("books.none")));
    }
    Ok(s)
}

/// An exact decimal with `d` decimals (the value has at most that many).
fn decimal(v: &Ratio, d: u32) -> String {
    let scaled = v * Ratio::from_integer(num_bigint::BigInt::from(10).pow(d));
    let units = scaled.to_integer().to_string().parse::<i128>().unwrap_or(0);
    format_scaled(units, d)
}

/// The first line where two texts differ (1-based), if they do.
fn first_difference(a: &str, b: &str) -> Option<usize> {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    (0..la.len().max(lb.len()))
        .find(|&i| la.get(i) != lb.get(i))
        .map(|i| i + 1)
}

/// The inputs a closing's command booked, to replay it.
fn replay_inputs(c: &Closing) -> Inputs {
    let info = c.books();
    let pick = |b: &crate::manifest::Booked| {
        if Path::new(&b.absolute).exists() {
            PathBuf::from(&b.absolute)
        } else {
            PathBuf::from(&b.path)
        }
    };
    let entities = c.dir.join("entities.csv");
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
    }
}

fn verify(dir: &Path) -> Result<String, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(msg!("E0427", books = dir.display()).text));
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
        for f in
            c.manifest.inputs.iter().filter(|f| {
                f.role == "config" || (f.role == "entities" && f.path == "entities.csv")
            })
        {
            let path = c.dir.join(&f.path);
            match std::fs::read(&path) {
                Ok(b) if sha256_hex(&b) == f.sha256 => {}
                Ok(_) => problems.push(format!("{name}/{}: {}", f.path, msg!("E0430"))),
                Err(_) => problems.push(format!("{name}/{}: {}", f.path, msg!("E0431"))),
            }
        }
        let info = c.books();
        for b in &info.booked {
            let path = if Path::new(&b.absolute).exists() {
                &b.absolute
            } else {
                &b.path
            };
            match std::fs::read(path) {
                Ok(bytes) if sha256_hex(&bytes) == b.sha256 => {}
                Ok(_) => problems.push(format!("{}: {}", b.path, msg!("E0432", closing = name))),
                Err(e) => problems.push(format!(
                    "{}: {}",
                    b.path,
                    msg!("E0433", closing = name, reason = crate::i18n::io_reason(&e))
                )),
            }
        }
        if info.closed.first().map(String::as_str) == Some(name.as_str()) {
            let at = Books::open(replay.path()).map_err(|d| Error::Records(d, 0))?;
            let inputs = replay_inputs(c);
            match plan(&at, &inputs, info.command_period.as_deref()) {
                Ok(p) => write_closings(&at, &p, &inputs, info.command_period.as_deref())?,
                Err(e) => {
                    problems.push(format!("{name}: {}", msg!("E0434", reason = e.report())));
                    break;
                }
            }
        }
        for file in ["summary.csv", "adjustments.csv", "settlement.csv"] {
            let have = std::fs::read_to_string(c.dir.join(file));
            let want =
                std::fs::read_to_string(replay.path().join(&name).join(file)).unwrap_or_default();
            match have {
                Err(_) => problems.push(format!("{name}/{file}: {}", msg!("E0431"))),
                Ok(h) => {
                    if let Some(line) = first_difference(&h, &want) {
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

fn reopen(dir: &Path, period: &str) -> Result<String, Error> {
    let _lock = lock(dir)?;
    let books = open(dir)?;
    let Some(last) = books.closings.last() else {
        return Err(Error::Usage(msg!("E0437", books = dir.display()).text));
    };
    if last.period.to_string() != period {
        return Err(Error::Usage(
            msg!("E0438", last = last.period, period = period).text,
        ));
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
            path: to.display().to_string(),
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

const PAYMENTS: [Column; 5] = [
    Column {
        name: "date",
        alias: "日期",
        required: true,
    },
    Column {
        name: "payer",
        alias: "付款方",
        required: true,
    },
    Column {
        name: "payee",
        alias: "收款方",
        required: true,
    },
    Column {
        name: "amount",
        alias: "金额",
        required: true,
    },
    Column {
        name: "reference",
        alias: "凭证号",
        required: false,
    },
];

fn decimals(text: &str) -> u32 {
    text.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

fn balance(dir: &Path, payments: Option<&Path>, format: Format) -> Result<String, Error> {
    let books = open(dir)?;
    // (year, a, b) with a < b → (owed a→b, paid a→b, a pair row is due)
    let mut pairs: BTreeMap<(i32, String, String), (Ratio, Ratio)> = BTreeMap::new();
    let mut d = 0u32;
    let mut add = |year: i32, from: &str, to: &str, v: Ratio, paid: bool| {
        let (a, b, v) = if from < to {
            (from, to, v)
        } else {
            (to, from, -v)
        };
        let e = pairs
            .entry((year, a.to_string(), b.to_string()))
            .or_default();
        if paid {
            e.1 += v;
        } else {
            e.0 += v;
        }
    };
    for c in &books.closings {
        let text = std::fs::read_to_string(c.dir.join("settlement.csv")).unwrap_or_default();
        for l in text.lines().skip(1) {
            let f: Vec<&str> = l.split(',').collect();
            if f.len() == 4
                && let Ok(v) = parse_ratio(f[3])
            {
                d = d.max(decimals(f[3]));
                add(c.period.year, f[1], f[2], v, false);
            }
        }
    }
    if let Some(path) = payments {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| {
            Error::RecordsIo(crate::input::RecordsError::Io {
                path: shown.clone(),
                source,
            })
        })?;
        let t = table::read(&shown, &bytes, crate::input::Encoding::Auto, &PAYMENTS)
            .map_err(|d| Error::Records(d, 0))?;
        let parties: Vec<String> = match books.closings.last() {
            Some(c) => crate::config::load(&c.dir.join("config"))?
                .parties
                .iter()
                .map(|p| p.id.clone())
                .collect(),
            None => Vec::new(),
        };
        let mut diags = Vec::new();
        for (line, v) in t.rows {
            let at = |field: &str, m: crate::diag::Msg| Diag::new(&shown, line as usize, field, m);
            let date = crate::period::parse_date(&v[0]);
            if date.is_none() {
                diags.push(at("date", msg!("E0217", text = v[0])));
            }
            for (k, field) in [(1, "payer"), (2, "payee")] {
                if !parties.contains(&v[k]) {
                    diags.push(at(
                        field,
                        msg!(
                            "E0440",
                            party = v[k],
                            hint = crate::suggest::hint(&v[k], parties.iter())
                        ),
                    ));
                }
            }
            let amount = crate::num::split_decimal(&v[3])
                .ok()
                .and_then(|_| parse_ratio(&v[3]).ok());
            if amount.is_none() {
                diags.push(at("amount", msg!("E0441", text = v[3])));
            }
            if let (Some(date), Some(amount)) = (date, amount)
                && parties.contains(&v[1])
                && parties.contains(&v[2])
            {
                d = d.max(decimals(&v[3]));
                add(chrono::Datelike::year(&date), &v[1], &v[2], amount, true);
            }
        }
        if !diags.is_empty() {
            return Err(Error::Records(diags, 0));
        }
    }
    let mut rows = Vec::new();
    for ((year, a, b), (owed, paid)) in pairs {
        let (payer, payee, owed, paid) = if owed < Ratio::default() {
            (b, a, -owed, -paid)
        } else {
            (a, b, owed, paid)
        };
        let out = &owed - &paid;
        rows.push([
            year.to_string(),
            payer,
            payee,
            decimal(&owed, d),
            decimal(&paid, d),
            decimal(&out, d),
        ]);
    }
    let header = ["year", "payer", "payee", "owed", "paid", "outstanding"];
    let mut s = String::new();
    match format {
        Format::Csv => {
            s.push_str(&header.join(","));
            s.push('\n');
            for r in &rows {
                s.push_str(&r.join(","));
                s.push('\n');
            }
        }
        _ => {
            s.push_str(&format!(
                "{:<5} {:<16} {:<16} {:>16} {:>16} {:>16}\n",
                header[0], header[1], header[2], header[3], header[4], header[5]
            ));
            for r in &rows {
                s.push_str(&format!(
                    "{:<5} {:<16} {:<16} {:>16} {:>16} {:>16}\n",
                    r[0], r[1], r[2], r[3], r[4], r[5]
                ));
            }
        }
    }
    Ok(s)
}
