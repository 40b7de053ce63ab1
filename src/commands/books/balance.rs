//! `books balance`: per year and pair of parties, what is owed (the closings'
//! settlements and adjustments), what was paid (a payments file) and what is
//! outstanding.

use super::*;
use crate::diag::Diag;
use crate::error::Error;
use crate::input::table::{self, Column};
use crate::msg;
use crate::num::{Ratio, format_scaled, parse_ratio};
use crate::output::totals::Format;
use std::collections::BTreeMap;
use std::path::Path;

/// An exact decimal with `d` decimals (the value has at most that many), however
/// large: written from the digits, never through a fixed-size integer.
pub(super) fn decimal(v: &Ratio, d: u32) -> String {
    let scaled = v * Ratio::from_integer(num_bigint::BigInt::from(10).pow(d));
    let units = scaled.to_integer();
    match units.to_string().parse::<i128>() {
        Ok(u) => format_scaled(u, d),
        Err(_) => {
            let neg = units < num_bigint::BigInt::from(0);
            let digits = units.magnitude().to_string();
            let d = d as usize;
            let padded = format!("{digits:0>width$}", width = d + 1);
            let (int, frac) = padded.split_at(padded.len() - d);
            let sign = if neg { "-" } else { "" };
            if d == 0 {
                format!("{sign}{int}")
            } else {
                format!("{sign}{int}.{frac}")
            }
        }
    }
}

pub(super) const PAYMENTS: [Column; 5] = [
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

pub(super) fn decimals(text: &str) -> u32 {
    text.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

pub(super) fn balance(
    dir: &Path,
    payments: Option<&Path>,
    format: Format,
) -> Result<String, Error> {
    let books = open(dir)?;
    books.verified().map_err(Error::Books)?;
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
    let mut unreadable = Vec::new();
    for c in &books.closings {
        let path = c.dir.join("settlement.csv");
        let shown = crate::pathtext::show(&path);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                unreadable.push(Diag::new(
                    &shown,
                    0,
                    "",
                    msg!("E0222", reason = crate::i18n::io_reason(&e)),
                ));
                continue;
            }
        };
        for (line, fields) in crate::input::table::output_rows(&text) {
            let f: Vec<&str> = fields.iter().map(String::as_str).collect();
            match (f.len(), f.get(3).map(|a| parse_ratio(a))) {
                (4, Some(Ok(v))) => {
                    d = d.max(decimals(f[3]));
                    add(c.period.year, f[1], f[2], v, false);
                }
                (4, _) => unreadable.push(Diag::new(
                    &shown,
                    line,
                    "amount",
                    msg!("E0441", text = f[3]),
                )),
                (n, _) => unreadable.push(Diag::new(
                    &shown,
                    line,
                    "",
                    msg!("E0401", found = n, expected = 4),
                )),
            }
        }
    }
    if !unreadable.is_empty() {
        return Err(Error::Records(unreadable, 0));
    }
    if let Some(path) = payments {
        let shown = crate::pathtext::show(path);
        // Opened first: a file that cannot be read is that error; then streamed.
        std::fs::File::open(crate::input::xlsx::split_sheet(path).0).map_err(|source| {
            Error::RecordsIo(crate::input::RecordsError::Io {
                path: shown.clone(),
                source,
            })
        })?;
        // Parties by id or by name, as records name them (SPEC §10).
        let named: Vec<(String, String)> = match books.closings.last() {
            Some(c) => crate::config::load(&c.dir.join("config"))?
                .parties
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect(),
            None => Vec::new(),
        };
        let parties: Vec<String> = named.iter().map(|(id, _)| id.clone()).collect();
        let mut diags = Vec::new();
        let read = table::each(
            &shown,
            table::Source::File(path),
            crate::input::Encoding::Auto,
            &PAYMENTS,
            &mut |line, v| {
                let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
                let at =
                    |field: &str, m: crate::diag::Msg| Diag::new(&shown, line as usize, field, m);
                for k in [1, 2] {
                    if let Some((id, _)) = named.iter().find(|(_, n)| *n == v[k]) {
                        v[k] = id.clone();
                    }
                }
                if v[1] == v[2] && parties.contains(&v[1]) {
                    diags.push(at("payee", msg!("E0450", party = v[1])));
                    return;
                }
                // Money to the cent: more decimals than the settlement has is a typo.
                if decimals(&v[3]) > d.max(2) {
                    diags.push(at("amount", msg!("E0441", text = v[3])));
                    return;
                }
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
            },
        );
        if let Err(d) = read {
            diags.extend(d);
        }
        if !diags.is_empty() {
            return Err(Error::Records(diags, 0));
        }
    }
    let mut rows = Vec::new();
    for ((year, a, b), (owed, paid)) in &pairs {
        // Money paid where the books say nothing is owed, either way: a payment to the
        // wrong party, or of another budget line.
        if owed == &Ratio::default() && paid != &Ratio::default() {
            let (payer, payee) = if paid > &Ratio::default() {
                (a, b)
            } else {
                (b, a)
            };
            eprintln!(
                "{}",
                msg!("W0010", year = year, payer = payer, payee = payee).text
            );
        }
    }
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
    // The table for people in their language; the CSV keeps its column names.
    let words = [
        "balance.year",
        "balance.payer",
        "balance.payee",
        "balance.owed",
        "balance.paid",
        "balance.outstanding",
    ]
    .map(crate::i18n::t);
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
            s.push_str(&crate::output::totals::table(
                &words,
                &rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
                &[false, false, false, true, true, true],
            ));
        }
    }
    Ok(s)
}
