//! What a closing will book: hash and refuse files already booked, find the periods of
//! the new lines, re-read the booked files of the years they touch, compute the truth
//! of those years with the current configuration, read what the closings booked, and
//! take the difference (shared by `close` and `run --books`).

use super::super::{ReadFile, read_cells};
use super::records_error;
use crate::cli::Inputs;
use crate::diag::Diag;
use crate::engine::books::{
    Adjustment, Figures, ObligationRow, adjustments, obligations_moved, obligations_to_book,
    to_close,
};
use crate::engine::compute;
use crate::error::Error;
use crate::input::books::{Books, read_figures};
use crate::manifest::Replayed;
use crate::model::Model;
use crate::msg;
use crate::output::summary;
use crate::period::Period;
use std::collections::BTreeSet;

/// What `close` (or `run --books`) will book.
pub struct Plan {
    pub model: Model,
    /// The periods closed, in order; adjustments go to the first.
    pub closes: Vec<Period>,
    /// The truth of the years touched, per (period, zone, metric, party).
    pub truth: Figures,
    pub adjustments: Vec<Adjustment>,
    /// The command's new files (hashed) and the booked files re-read.
    pub new_files: Vec<ReadFile>,
    pub replayed: Vec<Replayed>,
    pub years: BTreeSet<i32>,
    pub records: u64,
    /// The new records of periods this close does not close (late lines): how many,
    /// and Σ per metric in units.
    pub late: (u64, std::collections::BTreeMap<usize, i128>),
    /// Σ of the records per (period, metric), in units: the closings' control totals.
    pub inputs: std::collections::BTreeMap<(Period, usize), i128>,
    /// The standing inputs in use: those given, else the latest closing's copies.
    pub used: Inputs,
    /// What the standing inputs in use would move in figures already booked (§15).
    pub amendment: Amendment,
    /// The obligation rows this close books (SPEC §14), each in its closing.
    pub obligations: Vec<ObligationRow>,
    /// Whether the closings write obligations.csv: the configuration has a guarantee
    /// or a return, or the books already hold obligation rows.
    pub with_obligations: bool,
    /// Decimals of the obligation amounts in the books.
    pub obligation_decimals: u32,
}

/// Booked figures the standing inputs in use would move (SPEC §15): recomputed from
/// the booked lines alone, against what the books hold.
#[derive(Debug, Default)]
pub struct Amendment {
    /// (key, booked, recomputed), in key order.
    pub moved: Vec<(crate::ledger::FigureKey, i128, i128, usize)>,
    /// Which standing inputs differ from the latest closing's copies: `config`,
    /// `entities`, `profile`.
    pub changed: Vec<&'static str>,
    /// The configuration's changed keys (`key: old → new`).
    pub keys: Vec<String>,
    /// Booked obligations moved: (year-end, zone, kind, payer, payee, booked, now).
    pub obligations: Vec<(Period, String, String, String, String, i128, i128)>,
}

/// The obligation rows of dues, amounts at `decimals`, their year-end as period.
fn obligation_rows(
    model: &Model,
    dues: &[crate::engine::obligations::Due],
    decimals: u32,
) -> Vec<ObligationRow> {
    crate::engine::obligations::rows(model, &crate::engine::obligations::postings(dues))
        .into_iter()
        .map(|r| ObligationRow {
            period: r.period,
            adjusts: None,
            zone: r.zone,
            kind: r.kind,
            payer: r.payer,
            payee: r.payee,
            amount: r.amount.at(decimals),
            cite: r.cite,
        })
        .collect()
}

/// The standing inputs of a close (SPEC §15): each one given is used; one left out is
/// the latest closing's copy, said on stderr. Without a copy, `--config` is required.
pub fn standing(books: &Books, inputs: &Inputs) -> Result<Inputs, Error> {
    let mut used = inputs.clone();
    let latest = books.closings.last();
    if used.config.as_os_str().is_empty() {
        let Some(c) = latest else {
            return Err(Error::Usage(msg!("E0442")));
        };
        used.config = c.dir.join("config");
        eprintln!(
            "{}",
            msg!("W0005", what = "--config", copy = used.config.display()).text
        );
    }
    if used.entities.is_none()
        && let Some(c) = latest
        && c.dir.join("entities.csv").is_file()
    {
        let copy = c.dir.join("entities.csv");
        eprintln!(
            "{}",
            msg!("W0005", what = "--entities", copy = copy.display()).text
        );
        used.entities = Some(copy);
    }
    if used.profile.is_none()
        && let Some(c) = latest
        && c.dir.join("profile.toml").is_file()
    {
        let copy = c.dir.join("profile.toml");
        eprintln!(
            "{}",
            msg!("W0005", what = "--profile", copy = copy.display()).text
        );
        used.profile = Some(copy);
    }
    Ok(used)
}

/// Which standing inputs differ from the latest closing's copies: the configuration
/// as parsed values (with its changed keys), the entities file by bytes.
fn differs(books: &Books, used: &Inputs, model: &Model) -> (Vec<&'static str>, Vec<String>) {
    let Some(c) = books.closings.last() else {
        return (Vec::new(), Vec::new());
    };
    let mut changed = Vec::new();
    let then = crate::config::load::read_files(&c.dir.join("config")).unwrap_or_default();
    let now: Vec<(String, Vec<u8>)> = model
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.clone()))
        .collect();
    let keys = crate::config::diff::changes(
        &crate::config::diff::leaves(&then),
        &crate::config::diff::leaves(&now),
    );
    if !keys.is_empty() {
        changed.push("config");
    }
    let copy = std::fs::read(c.dir.join("entities.csv")).ok();
    let given = used.entities.as_ref().and_then(|e| std::fs::read(e).ok());
    if copy != given {
        changed.push("entities");
    }
    let copy = std::fs::read(c.dir.join("profile.toml")).ok();
    let given = used.profile.as_ref().and_then(|e| std::fs::read(e).ok());
    if copy != given {
        changed.push("profile");
    }
    (changed, keys)
}

/// Compute what closing `inputs` (the new files) into `books` would book.
/// `fallback`: a standing input left out is the latest closing's copy (a command);
/// otherwise the inputs are exactly those given (the replay of a closing).
pub fn plan(
    books: &Books,
    given: &Inputs,
    period: Option<&str>,
    fallback: bool,
) -> Result<Plan, Error> {
    let period = period
        .map(|p| Period::parse(p).ok_or_else(|| Error::Usage(msg!("E0627", text = p))))
        .transpose()?;
    books.verified().map_err(Error::Books)?;
    let used = if fallback {
        standing(books, given)?
    } else {
        given.clone()
    };
    let inputs = &used;
    let mut model = crate::config::load(&inputs.config)?;
    // The new lines first: their periods decide what closes and which years change.
    // Each file is hashed in the pass that reads it; one already booked is refused.
    // New deduction lines are read (and their entities watched) first but placed only
    // once the booked records are in: a deduction of an entity-anchored rule finds its
    // cell through the entity's records, which may have been booked months ago.
    let mut problems = crate::diag::Problems::new(100);
    let mut new_files = Vec::new();
    let only_deductions = Inputs {
        deductions: inputs.deductions.clone(),
        ..inputs.without_files()
    };
    let new_deductions =
        super::super::read_side(&mut model, &only_deductions, &mut problems, &mut new_files)?;
    if !problems.is_empty() {
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    new_files.retain(|f| f.role == "deductions");
    let records_only = Inputs {
        deductions: Vec::new(),
        ..inputs.clone()
    };
    let (new_cells, record_files) = read_cells(&mut model, &records_only, 100)?;
    new_files.splice(0..0, record_files);
    let diags: Vec<Diag> = new_files
        .iter()
        .filter(|f| f.role != "entities" && f.role != "profile")
        .filter_map(|f| {
            books.booked_by(&f.sha256).map(|c| {
                Diag::new(
                    &f.path,
                    0,
                    "",
                    msg!(
                        "E0416",
                        sha = &f.sha256[..12],
                        closing = c.period,
                        books = books.dir.display()
                    ),
                )
            })
        })
        .collect();
    if !diags.is_empty() {
        return Err(records_error(diags));
    }
    let mut line_periods: BTreeSet<Period> =
        new_cells.sorted().iter().map(|(k, _)| k.period).collect();
    line_periods.extend(new_deductions.groups().iter().map(|g| g.period));
    if let Some(first) = books.closings.first()
        && let Some(p) = line_periods
            .iter()
            .find(|p| p.granularity != first.period.granularity)
    {
        return Err(records_error(vec![Diag::new(
            &crate::pathtext::show(&books.dir),
            0,
            "period",
            msg!(
                "E0417",
                granularity = first.period.granularity,
                first = first.period,
                period = p
            ),
        )]));
    }
    if let (Some(p), Some(first)) = (period, books.closings.first())
        && p.granularity != first.period.granularity
    {
        return Err(Error::Usage(msg!(
            "E0418",
            period = p,
            granularity = first.period.granularity,
            first = first.period
        )));
    }
    let closes = to_close(books.mark(), &line_periods, period).map_err(|m| {
        records_error(vec![Diag::new(
            &crate::pathtext::show(&books.dir),
            0,
            "",
            m,
        )])
    })?;
    let years: BTreeSet<i32> = line_periods.iter().chain(&closes).map(|p| p.year).collect();
    // The booked files of those years, read once: each must be there, and the pass
    // that reads it must find the SHA-256 its closing booked.
    let mut booked_inputs = inputs.without_files();
    let mut replayed = Vec::new();
    let mut expected: Vec<(String, String, Period)> = Vec::new();
    let mut diags = Vec::new();
    for c in &books.closings {
        let info = c.books();
        if !info.years.iter().any(|y| years.contains(y)) {
            continue;
        }
        for b in &info.booked {
            let path = crate::input::books::located(b);
            if !path.is_file() {
                diags.push(Diag::new(&b.path, 0, "", msg!("E0419", closing = c.period)));
                continue;
            }
            expected.push((crate::pathtext::show(&path), b.sha256.clone(), c.period));
            if b.role == "deductions" {
                booked_inputs.deductions.push(path);
            } else {
                booked_inputs.records.push(path);
            }
            replayed.push(Replayed {
                path: b.path.clone(),
                sha256: b.sha256.clone(),
                closing: c.period.to_string(),
            });
        }
    }
    if !diags.is_empty() {
        return Err(records_error(diags));
    }
    // The new records of periods this close does not close (late lines).
    let mut late = (0u64, std::collections::BTreeMap::new());
    for (k, acc) in new_cells.sorted() {
        if !closes.contains(&k.period) {
            late.0 += acc.records;
            *late.1.entry(k.metric).or_insert(0) += acc.total;
        }
    }
    let mut cells = new_cells;
    // The booked lines alone, recomputed with the standing inputs in use (§15).
    let mut replay: Option<crate::engine::Outcome> = None;
    if !booked_inputs.records.is_empty() || !booked_inputs.deductions.is_empty() {
        let (old, old_files) = read_cells(&mut model, &booked_inputs, 100)?;
        let changed: Vec<Diag> = old_files
            .iter()
            .filter_map(|f| {
                let (_, sha, closing) = expected.iter().find(|(p, _, _)| *p == f.path)?;
                (*sha != f.sha256).then(|| {
                    Diag::new(
                        &f.path,
                        0,
                        "",
                        msg!(
                            "E0420",
                            closing = closing,
                            then = &sha[..12],
                            now = &f.sha256[..12]
                        ),
                    )
                })
            })
            .collect();
        if !changed.is_empty() {
            return Err(records_error(changed));
        }
        replay = Some(compute(&model, &old)?);
        let mut all = old;
        all.merge(cells).map_err(|m| {
            records_error(vec![Diag::new(
                &crate::pathtext::show(&books.dir),
                0,
                "",
                m,
            )])
        })?;
        cells = all;
    }
    // The new deduction lines, now that every record of the years is in their cells.
    let granularity = books
        .closings
        .first()
        .map(|c| (c.period.granularity, c.period.to_string()))
        .or_else(|| {
            cells
                .sorted()
                .first()
                .map(|(k, _)| (k.period.granularity, k.period.to_string()))
        });
    let misplaced = cells.place_deductions(&model, new_deductions, granularity.as_ref());
    if !misplaced.is_empty() {
        return Err(records_error(misplaced));
    }
    let outcome = compute(&model, &cells)?;
    let mut input_totals = std::collections::BTreeMap::new();
    for c in outcome.cells.iter().filter(|c| c.components.is_empty()) {
        *input_totals
            .entry((c.key.period, c.key.metric))
            .or_insert(0) += c.total;
    }
    let mut truth: Figures = summary::rows(&model, &outcome);
    truth.retain(|k, _| years.contains(&k.period.year));
    // What the closings of those years booked: their summaries, and every adjustment
    // booked for one of their periods since.
    let mut booked = Figures::new();
    for c in &books.closings {
        if years.contains(&c.period.year) {
            read_figures(&c.dir.join("summary.csv"), false, &model, &mut booked)
                .map_err(|d| records_error(vec![d]))?;
        }
        read_figures(&c.dir.join("adjustments.csv"), true, &model, &mut booked)
            .map_err(|d| records_error(vec![d]))?;
    }
    booked.retain(|k, _| years.contains(&k.period.year));
    let mark = books.mark();
    let earlier: BTreeSet<Period> = truth
        .keys()
        .chain(booked.keys())
        .map(|k| k.period)
        .filter(|p| mark.is_some_and(|m| *p <= m))
        .collect();
    let adjustments = adjustments(&truth, &booked, &earlier);
    // Obligations (§14): what the truth makes due against what the books hold.
    let decimals = model
        .metrics
        .iter()
        .filter(|m| m.kind == crate::model::MetricKind::Tax)
        .map(|m| m.quantum.decimals)
        .chain([2])
        .max()
        .unwrap_or(2);
    let mut booked_obligations = Vec::new();
    for c in &books.closings {
        crate::input::books::read_obligations(&c.dir, decimals, &mut booked_obligations)
            .map_err(|d| records_error(vec![d]))?;
    }
    let with_obligations =
        model.zones.iter().any(|z| !z.obligations.is_empty()) || !booked_obligations.is_empty();
    booked_obligations.retain(|r| years.contains(&r.year_end().year));
    // The periods the books reached (closed, some with no line, `--period`) count as
    // reached, as do the periods this close closes.
    let reached: Vec<Period> = books
        .closings
        .iter()
        .map(|c| c.period)
        .chain(closes.iter().copied())
        .collect();
    let dues = crate::engine::obligations::due_reaching(&model, &outcome, &reached);
    let mut truth_obligations = obligation_rows(&model, &dues, decimals);
    truth_obligations.retain(|r| years.contains(&r.period.year));
    let obligations = obligations_to_book(&truth_obligations, &booked_obligations, &closes, mark);
    // Booked figures that the booked lines no longer give: the standing inputs moved
    // them. Rows with both figures 0 are not differences.
    let mut amendment = Amendment::default();
    if let Some(replay) = &replay {
        let mut again: Figures = summary::rows(&model, replay);
        again.retain(|k, _| years.contains(&k.period.year) && mark.is_some_and(|m| k.period <= m));
        let mut keys: BTreeSet<&crate::ledger::FigureKey> = again.keys().collect();
        keys.extend(
            booked
                .keys()
                .filter(|k| mark.is_some_and(|m| k.period <= m)),
        );
        for k in keys {
            let (now, m1) = again.get(k).copied().unwrap_or((0, usize::MAX));
            let (was, m2) = booked.get(k).copied().unwrap_or((0, usize::MAX));
            if now != was {
                amendment.moved.push((k.clone(), was, now, m1.min(m2)));
            }
        }
        let closed: Vec<Period> = books.closings.iter().map(|c| c.period).collect();
        let replayed = crate::engine::obligations::due_reaching(&model, replay, &closed);
        let mut again = obligation_rows(&model, &replayed, decimals);
        again.retain(|r| years.contains(&r.period.year));
        amendment.obligations = obligations_moved(&again, &booked_obligations, mark);
    }
    // Which standing inputs differ from the latest closing's copies: named in a
    // refusal, and recorded with an amendment (even one that moves nothing).
    (amendment.changed, amendment.keys) = differs(books, inputs, &model);
    Ok(Plan {
        obligations,
        with_obligations,
        obligation_decimals: decimals,
        used: used.clone(),
        amendment,
        inputs: input_totals,
        records: cells.records,
        late,
        model,
        closes,
        truth,
        adjustments,
        new_files,
        replayed,
        years,
    })
}
