//! What a run writes: summary.csv, settlement.csv (and assessment.csv, detail.csv,
//! the workbook) in one transaction with the manifest that records them, so a
//! directory holds a whole run or none.

use super::detail_file::{detail_rows, write_detail};
use super::{ReadFile, RunArgs};
use crate::engine::Outcome;
use crate::engine::cells::Cells;
use crate::error::Error;
use crate::manifest::{self, ControlTotal, InputFile, Manifest, Options, OutputFile, sha256_hex};
use crate::model::Model;
use crate::output::atomic::{Transaction, io_err};
use crate::output::{settlement, summary};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `produce` computed, for writing.
pub(super) struct Computed<'a> {
    pub model: &'a Model,
    pub outcome: &'a Outcome,
    pub cells: &'a Cells,
    pub files: &'a [ReadFile],
    pub controls: Vec<ControlTotal>,
    /// Inputs named by the options rather than read as records (`--expect`).
    pub referenced: Vec<InputFile>,
}

/// Write the outputs under `out` (and the workbook where `--xlsx` says), atomically.
pub(super) fn outputs(
    opts: &Options,
    out: Option<&Path>,
    records_as_given: &[String],
    c: Computed<'_>,
) -> Result<(), Error> {
    let args = &opts.run;
    let inputs = &args.inputs;
    let Computed {
        model,
        outcome,
        cells,
        files,
        controls,
        referenced,
    } = c;
    let xlsx = args.xlsx.as_ref();
    let mut tx = Transaction::new(out.unwrap_or(Path::new("")))?;
    let bom: &[u8] = if args.bom { "\u{feff}".as_bytes() } else { b"" };
    // The workbook's detail sheet, with --detail: the same lines as detail.csv, as
    // values built from the records (never read back from the CSV).
    let mut feed = |emit: &mut dyn FnMut(
        crate::output::detail::DetailRow<'_>,
    ) -> Result<(), crate::i18n::Msg>| {
        detail_rows(model, outcome, inputs, records_as_given, emit)
    };
    if let Some(dir) = out {
        let mut outputs = Vec::new();
        let summary = summary::render(model, outcome);
        let settlement = settlement::render(model, outcome);
        let mut texts = vec![("summary.csv", summary), ("settlement.csv", settlement)];
        if crate::output::obligations::wanted(model) {
            texts.push((
                "obligations.csv",
                crate::output::obligations::render(model, outcome),
            ));
        }
        if crate::output::assessment::wanted(model) {
            texts.push((
                "assessment.csv",
                crate::output::assessment::render(model, outcome),
            ));
        }
        for (name, text) in &texts {
            let bytes = [bom, text.as_bytes()].concat();
            tx.write(name, &bytes)?;
            outputs.push(OutputFile {
                file: (*name).into(),
                sha256: sha256_hex(&bytes),
                rows: text.lines().count() as u64 - 1,
            });
        }
        if args.detail {
            outputs.push(write_detail(
                &mut tx,
                dir,
                model,
                outcome,
                inputs,
                bom,
                files,
                records_as_given,
            )?);
        }
        // The workbook is what officers circulate: hashed like the other outputs
        // (named relative to the output directory when it is inside it).
        if let Some(target) = &xlsx {
            let tmp = tx.reserve(target);
            crate::output::xlsx::write(&tmp, model, outcome, args.detail.then_some(&mut feed))
                .map_err(|m| xlsx_error(target, m))?;
            let bytes = std::fs::read(&tmp).map_err(io_err(target))?;
            outputs.push(OutputFile {
                file: xlsx_name(dir, target),
                sha256: sha256_hex(&bytes),
                rows: 0,
            });
        }
        let m = Manifest {
            tool: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
            options: opts.clone(),
            inputs: crate::output::inventory::input_files(
                model,
                files
                    .iter()
                    .map(|f| InputFile {
                        path: f.path.clone(),
                        sha256: f.sha256.clone(),
                        rows: Some(f.rows),
                        role: f.role.into(),
                    })
                    .collect(),
                referenced,
            ),
            outputs,
            records: cells.records,
            cells: outcome.cells.len() as u64,
            control_totals: controls,
            paths: recorded_paths(dir, args, model, files),
            books: None,
            late: None,
            amendment: None,
            self_sha256: String::new(),
        };
        tx.write(manifest::FILE, m.render().as_bytes())?;
        tx.replace_all = true;
    } else if let Some(target) = &xlsx {
        let tmp = tx.reserve(target);
        crate::output::xlsx::write(&tmp, model, outcome, None)
            .map_err(|m| xlsx_error(target, m))?;
    }
    tx.commit()?;
    Ok(())
}

/// Every path a run names, relative to its output directory (`Manifest::paths`).
fn recorded_paths(
    dir: &Path,
    args: &RunArgs,
    model: &Model,
    files: &[ReadFile],
) -> BTreeMap<String, String> {
    let i = &args.inputs;
    let mut names: Vec<String> = std::iter::once(&i.config)
        .chain(&i.records)
        .chain(&i.deductions)
        .chain(&i.entities)
        .chain(&i.profile)
        .chain(&args.expect)
        .chain(&args.scenarios)
        .chain(&args.xlsx)
        .map(|p| crate::pathtext::show(p))
        .collect();
    names.extend(model.files.iter().map(|f| f.path.clone()));
    names.extend(files.iter().map(|f| f.path.clone()));
    names
        .into_iter()
        .filter_map(|n| {
            manifest::relative(
                dir,
                &crate::input::xlsx::split_sheet(&crate::pathtext::parse(&n)).0,
            )
            .map(|r| (n, r))
        })
        .collect()
}

/// A workbook that cannot be written is an I/O failure (exit 1) naming its path.
fn xlsx_error(target: &Path, message: crate::i18n::Msg) -> Error {
    Error::Output(crate::output::atomic::OutputError {
        path: crate::pathtext::show(target),
        source: std::io::Error::other(message),
    })
}

/// The workbook's name in the manifest: relative to the output directory when it is
/// inside it (so `verify` finds it from anywhere), else as given.
fn xlsx_name(dir: &Path, target: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).map(|a| a.components().collect::<PathBuf>());
    match (abs(dir), abs(target)) {
        (Ok(d), Ok(t)) => t
            .strip_prefix(&d)
            .map_or_else(|_| crate::pathtext::show(target), crate::pathtext::show),
        _ => crate::pathtext::show(target),
    }
}
