//! `fencheng close`: book new periods once, and late lines as adjustments (SPEC §9.1).
//!
//! The plan (`plan`) is shared with `run --books`: hash and refuse files already
//! booked, find the periods of the new lines, re-read the booked files of the years
//! they touch, compute the truth of those years with the current configuration, read
//! what the closings booked, and take the difference. `close` then writes each new
//! closing into a temporary directory beside the books and renames it into place,
//! under a lock on the books directory.

use super::{ReadFile, read_cells};
use crate::cli::Inputs;
use crate::diag::Diag;
use crate::engine::books::{Adjustment, Figures, adjustments, to_close};
use crate::engine::compute;
use crate::error::Error;
use crate::input::books::{Books, read_figures};
use crate::manifest::{
    self, Booked, BooksInfo, InputFile, Manifest, Options, Replayed, sha256_hex,
};
use crate::model::Model;
use crate::msg;
use crate::output::{settlement, summary};
use crate::period::Period;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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
    /// Σ of the records per (period, metric), in units: the closings' control totals.
    pub inputs: std::collections::BTreeMap<(Period, usize), i128>,
}

fn records_error(diags: Vec<Diag>) -> Error {
    Error::Records(diags, 0)
}

/// Compute what closing `inputs` (the new files) into `books` would book.
pub fn plan(books: &Books, inputs: &Inputs, period: Option<&str>) -> Result<Plan, Error> {
    let period = period
        .map(|p| Period::parse(p).ok_or_else(|| Error::Usage(msg!("E0627", text = p).text)))
        .transpose()?;
    let mut model = crate::config::load(&inputs.config)?;
    // The new lines first: their periods decide what closes and which years change.
    // Each file is hashed in the pass that reads it; one already booked is refused.
    let (new_cells, new_files) = read_cells(&mut model, inputs, 100)?;
    let diags: Vec<Diag> = new_files
        .iter()
        .filter(|f| f.role != "entities")
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
    line_periods.extend(new_cells.deductions.iter().map(|d| d.key.period));
    if let Some(first) = books.closings.first()
        && let Some(p) = line_periods
            .iter()
            .find(|p| p.granularity != first.period.granularity)
    {
        return Err(records_error(vec![Diag::new(
            &books.dir.display().to_string(),
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
        return Err(Error::Usage(
            msg!(
                "E0418",
                period = p,
                granularity = first.period.granularity,
                first = first.period
            )
            .text,
        ));
    }
    let closes = to_close(books.mark(), &line_periods, period)
        .map_err(|m| records_error(vec![Diag::new(&books.dir.display().to_string(), 0, "", m)]))?;
    let years: BTreeSet<i32> = line_periods.iter().chain(&closes).map(|p| p.year).collect();
    // The booked files of those years, read once: each must be there, and the pass
    // that reads it must find the SHA-256 its closing booked.
    let mut booked_inputs = Inputs {
        config: inputs.config.clone(),
        records: Vec::new(),
        encoding: inputs.encoding,
        delimiter: inputs.delimiter,
        deductions: Vec::new(),
        entities: inputs.entities.clone(),
    };
    let mut replayed = Vec::new();
    let mut expected: Vec<(String, String, Period)> = Vec::new();
    let mut diags = Vec::new();
    for c in &books.closings {
        let info = c.books();
        if !info.years.iter().any(|y| years.contains(y)) {
            continue;
        }
        for b in &info.booked {
            let path = if Path::new(&b.absolute).exists() {
                PathBuf::from(&b.absolute)
            } else {
                PathBuf::from(&b.path)
            };
            if !path.is_file() {
                diags.push(Diag::new(&b.path, 0, "", msg!("E0419", closing = c.period)));
                continue;
            }
            expected.push((path.display().to_string(), b.sha256.clone(), c.period));
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
    let mut cells = new_cells;
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
        let mut all = old;
        all.merge(cells).map_err(|m| {
            records_error(vec![Diag::new(&books.dir.display().to_string(), 0, "", m)])
        })?;
        cells = all;
    }
    let outcome = compute(&model, &cells)?;
    let mut input_totals = std::collections::BTreeMap::new();
    for c in outcome.cells.iter().filter(|c| c.components.is_empty()) {
        *input_totals
            .entry((c.key.period, c.key.metric))
            .or_insert(0) += c.total;
    }
    let truth: Figures = summary::rows(&model, &outcome)
        .into_iter()
        .filter_map(|((p, z, m, q), v)| {
            let p = Period::parse_bytes(p.as_bytes())?;
            years.contains(&p.year).then_some(((p, z, m, q), v))
        })
        .collect();
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
    booked.retain(|k, _| years.contains(&k.0.year));
    let mark = books.mark();
    let earlier: BTreeSet<Period> = truth
        .keys()
        .chain(booked.keys())
        .map(|k| k.0)
        .filter(|p| mark.is_some_and(|m| *p <= m))
        .collect();
    let adjustments = adjustments(&truth, &booked, &earlier);
    Ok(Plan {
        inputs: input_totals,
        records: cells.records,
        model,
        closes,
        truth,
        adjustments,
        new_files,
        replayed,
        years,
    })
}

/// `summary.csv` of period `p`: the truth's rows of `p`, as `run` writes them.
pub fn summary_of(plan: &Plan, p: Period) -> String {
    let mut s = String::from("period,zone,metric,party,amount\n");
    for ((q, z, m, party), (u, mi)) in plan
        .truth
        .range((p, String::new(), String::new(), String::new())..)
    {
        if *q != p {
            break;
        }
        s.push_str(&format!(
            "{q},{},{},{},{}\n",
            crate::output::csvtext::cell(z),
            crate::output::csvtext::cell(m),
            crate::output::csvtext::cell(party),
            summary::amount(&plan.model, *mi, *u)
        ));
    }
    s
}

/// `adjustments.csv`: period,adjusts,zone,metric,party,amount.
pub fn adjustments_of(plan: &Plan, p: Period, with_rows: bool) -> String {
    let mut s = String::from("period,adjusts,zone,metric,party,amount\n");
    if with_rows {
        for a in &plan.adjustments {
            s.push_str(&format!(
                "{p},{},{},{},{},{}\n",
                a.adjusts,
                crate::output::csvtext::cell(&a.zone),
                crate::output::csvtext::cell(&a.metric),
                crate::output::csvtext::cell(&a.party),
                summary::amount(&plan.model, a.metric_index, a.units)
            ));
        }
    }
    s
}

/// `settlement.csv` of `p`: §5 netting of its summary rows and of its adjustments.
pub fn settlement_of(plan: &Plan, p: Period, with_adjustments: bool) -> String {
    let model = &plan.model;
    let label = p.to_string();
    let zone = |z: &str| {
        model
            .zone_index
            .get(z)
            .copied()
            .filter(|&i| model.zones[i].id == z)
    };
    let mut flows = Vec::new();
    for ((q, z, _, party), (u, m)) in &plan.truth {
        if *q == p
            && let Some(zi) = zone(z)
        {
            flows.push((label.clone(), zi, *m, party.as_str(), *u));
        }
    }
    if with_adjustments {
        for a in &plan.adjustments {
            if let Some(zi) = zone(&a.zone) {
                flows.push((label.clone(), zi, a.metric_index, a.party.as_str(), a.units));
            }
        }
    }
    settlement::render_transfers(&settlement::net(model, flows))
}

/// Take the books directory's lock for the length of the command: a second `close` on
/// the same books fails at once with a clear message (the lock is the operating
/// system's, so it never outlives the process).
pub fn lock(dir: &Path) -> Result<std::fs::File, Error> {
    let io = |e: std::io::Error| {
        Error::Output(crate::output::atomic::OutputError {
            path: dir.display().to_string(),
            source: e,
        })
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let path = dir.join(".lock");
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
                return Err(Error::Usage(msg!("E0421", books = dir.display()).text));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
    }
}

/// `fencheng close`.
pub fn close(inputs: &Inputs, books_dir: &Path, period: Option<&str>) -> Result<String, Error> {
    if inputs.records.is_empty() && inputs.deductions.is_empty() && period.is_none() {
        return Err(Error::Usage(msg!("E0422").text));
    }
    let _lock = lock(books_dir)?;
    let books = Books::open(books_dir).map_err(records_error)?;
    let plan = plan(&books, inputs, period)?;
    write_closings(&books, &plan, inputs, period)?;
    Ok(report(&plan))
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
        return Err(Error::Usage(msg!("E0423").text));
    }
    let books = Books::open(books_dir).map_err(records_error)?;
    let plan = plan(&books, inputs, period.first().map(String::as_str))?;
    if let Some(dir) = out {
        let mut tx = crate::output::atomic::Transaction::new(dir)?;
        let mut summary = String::from("period,zone,metric,party,amount\n");
        let mut settle = String::from("period,payer,payee,amount\n");
        for (i, p) in plan.closes.iter().enumerate() {
            summary.extend(
                summary_of(&plan, *p)
                    .lines()
                    .skip(1)
                    .map(|l| format!("{l}\n")),
            );
            settle.extend(
                settlement_of(&plan, *p, i == 0)
                    .lines()
                    .skip(1)
                    .map(|l| format!("{l}\n")),
            );
        }
        let first = plan.closes[0];
        tx.write("summary.csv", summary.as_bytes())?;
        tx.write(
            "adjustments.csv",
            adjustments_of(&plan, first, true).as_bytes(),
        )?;
        tx.write("settlement.csv", settle.as_bytes())?;
        tx.commit()?;
    }
    Ok(format!("{}\n{}", msg!("E0424"), report(&plan)))
}

/// What `close` prints: the periods closed and the adjustments booked.
pub fn report(plan: &Plan) -> String {
    let mut s = String::new();
    for (i, p) in plan.closes.iter().enumerate() {
        let rows = plan.truth.keys().filter(|k| k.0 == *p).count();
        s.push_str(&msg!("E0425", period = p, rows = rows).text);
        if i == 0 {
            s.push_str(&msg!("E0426", rows = plan.adjustments.len()).text);
        }
        s.push('\n');
    }
    for a in &plan.adjustments {
        s.push_str(&format!(
            "  adjusts {} {} {} {}: {}\n",
            a.adjusts,
            a.zone,
            a.metric,
            a.party,
            summary::amount(&plan.model, a.metric_index, a.units)
        ));
    }
    s
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| {
        Error::Output(crate::output::atomic::OutputError {
            path: path.display().to_string(),
            source: e,
        })
    }
}

/// Write every closing of the plan beside the books and rename it into place; on any
/// error the books are as they were.
pub(crate) fn write_closings(
    books: &Books,
    plan: &Plan,
    inputs: &Inputs,
    period: Option<&str>,
) -> Result<(), Error> {
    let tmp = books.dir.join(format!(".tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
    let result = (|| {
        let mut previous = books.closings.last().map(|c| c.manifest_sha256.clone());
        let closed: Vec<String> = plan.closes.iter().map(Period::to_string).collect();
        let command_period: Vec<String> = period.map(str::to_string).into_iter().collect();
        for (i, p) in plan.closes.iter().enumerate() {
            let dir = tmp.join(p.to_string());
            std::fs::create_dir_all(dir.join("config")).map_err(io(&dir))?;
            let mut inputs_list = Vec::new();
            for f in &plan.model.files {
                let name = Path::new(&f.path).file_name().map_or_else(
                    || "config.toml".into(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let copy = dir.join("config").join(&name);
                std::fs::write(&copy, &f.bytes).map_err(io(&copy))?;
                inputs_list.push(InputFile {
                    path: format!("config/{name}"),
                    sha256: sha256_hex(&f.bytes),
                    rows: None,
                    role: "config".into(),
                });
            }
            if let Some(e) = &inputs.entities {
                let bytes = std::fs::read(e).map_err(io(e))?;
                let copy = dir.join("entities.csv");
                std::fs::write(&copy, &bytes).map_err(io(&copy))?;
                inputs_list.push(InputFile {
                    path: "entities.csv".into(),
                    sha256: sha256_hex(&bytes),
                    rows: None,
                    role: "entities".into(),
                });
            }
            let first = i == 0;
            let booked: Vec<Booked> = if first {
                plan.new_files
                    .iter()
                    .filter(|f| f.role != "entities")
                    .map(|f| Booked {
                        path: f.path.clone(),
                        absolute: std::fs::canonicalize(&f.path)
                            .map_or_else(|_| f.path.clone(), |a| a.display().to_string()),
                        sha256: f.sha256.clone(),
                        role: f.role.to_string(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            inputs_list.extend(
                plan.new_files
                    .iter()
                    .filter(|f| first && f.role != "entities")
                    .map(|f| InputFile {
                        path: f.path.clone(),
                        sha256: f.sha256.clone(),
                        rows: Some(f.rows),
                        role: f.role.into(),
                    }),
            );
            let texts = [
                ("summary.csv", summary_of(plan, *p)),
                ("adjustments.csv", adjustments_of(plan, *p, first)),
                ("settlement.csv", settlement_of(plan, *p, first)),
            ];
            let mut outputs = Vec::new();
            for (name, text) in &texts {
                let path = dir.join(name);
                std::fs::write(&path, text).map_err(io(&path))?;
                outputs.push(crate::manifest::OutputFile {
                    file: (*name).into(),
                    sha256: sha256_hex(text.as_bytes()),
                    rows: text.lines().count() as u64 - 1,
                });
            }
            let m = Manifest {
                tool: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
                // The options as `run` records them (one definition), as a close.
                options: Options {
                    command: "close".into(),
                    ..super::run::options(
                        inputs,
                        &super::run::Extras {
                            period: &command_period,
                            ..Default::default()
                        },
                    )
                },
                inputs: inputs_list,
                outputs,
                records: if first {
                    plan.new_files
                        .iter()
                        .filter(|f| f.role == "records")
                        .map(|f| f.rows)
                        .sum()
                } else {
                    0
                },
                cells: plan.truth.keys().filter(|k| k.0 == *p).count() as u64,
                control_totals: plan
                    .inputs
                    .range((*p, 0)..=(*p, usize::MAX))
                    .map(|((_, m), u)| {
                        let total = summary::amount(&plan.model, *m, *u);
                        crate::manifest::ControlTotal {
                            metric: plan.model.metrics[*m].id.clone(),
                            unit: plan.model.metrics[*m].unit.clone(),
                            input: total.clone(),
                            allocated: total,
                        }
                    })
                    .collect(),
                paths: Default::default(),
                books: Some(BooksInfo {
                    period: p.to_string(),
                    previous: previous.clone(),
                    replayed: plan.replayed.clone(),
                    booked,
                    years: if first {
                        plan.years.iter().copied().collect()
                    } else {
                        Vec::new()
                    },
                    command_period: period.map(str::to_string),
                    closed: closed.clone(),
                }),
                self_sha256: String::new(),
            };
            let text = m.render();
            let path = dir.join(manifest::FILE);
            std::fs::write(&path, &text).map_err(io(&path))?;
            previous = Some(sha256_hex(text.as_bytes()));
        }
        // Into place, in order; undone if one rename fails.
        let mut done: Vec<PathBuf> = Vec::new();
        for p in &plan.closes {
            let from = tmp.join(p.to_string());
            let to = books.dir.join(p.to_string());
            if let Err(e) = std::fs::rename(&from, &to) {
                for d in done.iter().rev() {
                    let back = tmp.join(d.file_name().unwrap_or_default());
                    let _ = std::fs::rename(d, back);
                }
                return Err(io(&to)(e));
            }
            done.push(to);
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}
