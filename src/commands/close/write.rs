//! A closing written beside the books into a temporary directory and renamed into
//! place: its files, the booked copies, and its manifest chained to the previous one.

use super::io;
use super::plan::Plan;
use crate::cli::Inputs;
use crate::error::Error;
use crate::input::books::Books;
use crate::manifest::{self, Booked, BooksInfo, InputFile, Manifest, Options, sha256_hex};
use crate::output::{closing, summary};
use crate::period::Period;
use std::path::PathBuf;

/// Write every closing of the plan beside the books and rename it into place; on any
/// error the books are as they were.
pub(crate) fn write_closings(
    books: &Books,
    plan: &Plan,
    period: Option<&str>,
    amend: Option<&str>,
) -> Result<(), Error> {
    let inputs: &Inputs = &plan.used;
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
                let name = crate::pathtext::parse(&f.path).file_name().map_or_else(
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
            if let Some(e) = &inputs.profile {
                let bytes = std::fs::read(e).map_err(io(e))?;
                let copy = dir.join("profile.toml");
                std::fs::write(&copy, &bytes).map_err(io(&copy))?;
                inputs_list.push(InputFile {
                    path: "profile.toml".into(),
                    sha256: sha256_hex(&bytes),
                    rows: None,
                    role: "profile".into(),
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
                    .filter(|f| f.role != "entities" && f.role != "profile")
                    .map(|f| Booked {
                        path: f.path.clone(),
                        absolute: std::fs::canonicalize(&f.path)
                            .map_or_else(|_| f.path.clone(), |a| crate::pathtext::show(&a)),
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
                    .filter(|f| first && f.role != "entities" && f.role != "profile")
                    .map(|f| InputFile {
                        path: f.path.clone(),
                        sha256: f.sha256.clone(),
                        rows: Some(f.rows),
                        role: f.role.into(),
                    }),
            );
            let texts = [
                (
                    "summary.csv",
                    closing::summary_of(&plan.model, &plan.truth, *p),
                ),
                (
                    "adjustments.csv",
                    closing::adjustments_of(&plan.model, &plan.adjustments, *p, first),
                ),
                (
                    "settlement.csv",
                    closing::settlement_of(
                        &plan.model,
                        &plan.truth,
                        &plan.adjustments,
                        *p,
                        first,
                        (&plan.obligations, plan.obligation_decimals),
                    ),
                ),
            ];
            let mut texts = texts.to_vec();
            if plan.with_obligations {
                texts.push((
                    "obligations.csv",
                    closing::obligations_of(&plan.obligations, *p, plan.obligation_decimals),
                ));
            }
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
                    run: crate::cli::RunArgs {
                        inputs: inputs.clone(),
                        period: command_period.clone(),
                        ..Default::default()
                    },
                    quota: None,
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
                cells: plan.truth.keys().filter(|k| k.period == *p).count() as u64,
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
                late: (first && plan.late.0 > 0).then(|| manifest::LateInfo {
                    records: plan.late.0,
                    totals: plan
                        .late
                        .1
                        .iter()
                        .map(|(m, u)| manifest::LateTotal {
                            metric: plan.model.metrics[*m].id.clone(),
                            unit: plan.model.metrics[*m].unit.clone(),
                            input: summary::amount(&plan.model, *m, *u),
                        })
                        .collect(),
                }),
                // Recorded in the closing that holds the adjustments (the first).
                amendment: amend.filter(|_| first).map(|r| manifest::AmendmentInfo {
                    reason: r.to_string(),
                    changed: plan
                        .amendment
                        .changed
                        .iter()
                        .map(|c| c.to_string())
                        .collect(),
                }),
                self_sha256: String::new(),
            };
            let text = m.render();
            let path = dir.join(manifest::FILE);
            std::fs::write(&path, &text).map_err(io(&path))?;
            previous = Some(sha256_hex(text.as_bytes()));
        }
        // Into place, in order, under a journal: a close killed between two renames is
        // finished by the next one (`input::books::finish_interrupted`); one that fails
        // here is undone.
        let journal = books.dir.join(crate::input::books::JOURNAL);
        let mut lines = vec![
            tmp.file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
        ];
        lines.extend(plan.closes.iter().map(Period::to_string));
        std::fs::write(&journal, lines.join("\n") + "\n").map_err(io(&journal))?;
        let mut done: Vec<PathBuf> = Vec::new();
        for (i, p) in plan.closes.iter().enumerate() {
            if i > 0 {
                crate::output::atomic::fault_point(i);
            }
            let from = tmp.join(p.to_string());
            let to = books.dir.join(p.to_string());
            if let Err(e) = std::fs::rename(&from, &to) {
                for d in done.iter().rev() {
                    let back = tmp.join(d.file_name().unwrap_or_default());
                    let _ = std::fs::rename(d, back);
                }
                let _ = std::fs::remove_file(&journal);
                return Err(io(&to)(e));
            }
            done.push(to);
        }
        std::fs::remove_file(&journal).map_err(io(&journal))?;
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}
