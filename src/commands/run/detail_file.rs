//! detail.csv for `run --detail`: a second pass over the records, on the same reader
//! as the first (streamed on every core, written in file order), hashed and counted
//! as it is written.

use super::super::ReadFile;
use crate::cli::Inputs;
use crate::diag::{Diag, Problems};
use crate::engine::Outcome;
use crate::engine::cells::Cells;
use crate::error::Error;
use crate::input::read_records;
use crate::manifest::OutputFile;
use crate::model::Model;
use crate::msg;
use crate::output::atomic::{Transaction, finish, io_err};
use crate::output::detail;
use crate::output::hashing::{Hashing, count_newlines};
use sha2::Digest;
use std::io::Write;
use std::path::Path;

#[allow(clippy::too_many_arguments)]
pub(super) fn write_detail(
    tx: &mut Transaction,
    dir: &Path,
    model: &Model,
    outcome: &Outcome,
    inputs: &Inputs,
    bom: &[u8],
    files: &[ReadFile],
    opts_records_as_given: &[String],
) -> Result<OutputFile, Error> {
    let path = dir.join("detail.csv");
    let w = tx.create("detail.csv")?;
    let mut w = Hashing::new(w);
    let shown = shown_files(inputs, opts_records_as_given);
    let mut det = detail::Detail::new(model, outcome, &shown);
    let mut resolver = Cells::default();
    let mut problems = Problems::new(100);
    let mut granularity = None;
    w.write_all(bom).map_err(io_err(&path))?;
    w.write_all(detail::HEADER.as_bytes())
        .map_err(io_err(&path))?;
    for (i, rec_path) in inputs.records.iter().enumerate() {
        det.reading(i);
        // Same reader as the first pass: the fast path streams on every core and
        // writes in file order, so memory stays flat.
        if files.get(i).is_some_and(|f| f.streamed) {
            let buffers = crate::input::stream::Buffers::default();
            // Hashing and writing cost about a second per gigabyte each: each is a
            // thread of its own, so that neither holds up the other or the workers.
            let (streamed, written) = std::thread::scope(|scope| {
                let (to_hasher, blocks) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
                let (to_writer, hashed) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
                let Hashing {
                    inner,
                    hasher,
                    lines,
                } = &mut w;
                let buffers = &buffers;
                scope.spawn(move || {
                    for b in blocks {
                        hasher.update(&b);
                        *lines += count_newlines(&b);
                        if to_writer.send(b).is_err() {
                            break;
                        }
                    }
                });
                let writer = scope.spawn(move || -> std::io::Result<()> {
                    for b in hashed {
                        inner.write_all(&b)?;
                        buffers.give(b);
                    }
                    Ok(())
                });
                let mut write = |b: Vec<u8>| {
                    to_hasher
                        .send(b)
                        .map_err(|_| std::io::Error::other("the detail writer stopped"))
                };
                let streamed = crate::input::stream::map_ordered(
                    rec_path,
                    inputs.encoding,
                    i,
                    model,
                    &mut granularity,
                    &mut problems,
                    crate::commands::threads(),
                    &DetailLines(&det),
                    buffers,
                    &mut write,
                );
                drop(to_hasher);
                let written = writer
                    .join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("the detail writer failed")));
                (streamed, written)
            });
            written.map_err(io_err(&path))?;
            // The second pass must read the bytes the figures came from.
            let same =
                matches!(&streamed, Ok(st) if files.get(i).is_some_and(|f| f.sha256 == st.sha256));
            if !same {
                let why = match streamed {
                    Err(f) => format!(" ({f:?})"),
                    Ok(_) => String::new(),
                };
                return Err(Error::Records(
                    vec![Diag::new(
                        &crate::pathtext::show(rec_path),
                        0,
                        "",
                        msg!("E0628", why = why),
                    )],
                    0,
                ));
            }
        } else {
            let mut sink = |r: &crate::input::Record<'_>| {
                let key = resolver.locate(model, r)?;
                det.write(&mut w, r, &key)
                    .map_err(|e| crate::msg!("E0501", file = "detail.csv", reason = e))
            };
            read_records(
                rec_path,
                i,
                model,
                inputs.encoding,
                &mut granularity,
                &mut problems,
                &mut sink,
            )?;
        }
    }
    if !problems.is_empty() {
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    let sha = w.hex();
    let rows = w.lines - 1;
    finish(w.inner, &path)?;
    Ok(OutputFile {
        file: "detail.csv".into(),
        sha256: sha,
        rows,
    })
}

/// The records files as detail.csv names them: as given on the command line (or as
/// the manifest recorded them, for a replay).
fn shown_files(inputs: &Inputs, records_as_given: &[String]) -> Vec<String> {
    if records_as_given.is_empty() {
        inputs
            .records
            .iter()
            .map(|p| crate::pathtext::show(p))
            .collect()
    } else {
        records_as_given.to_vec()
    }
}

/// The detail's lines as values, for the workbook's detail sheet: the records read
/// again (in file order, by the general reader — a sheet holds at most a million
/// lines), each line built from the same cells as detail.csv's. Stops at `emit`'s
/// first error and returns it.
pub(super) fn detail_rows(
    model: &Model,
    outcome: &Outcome,
    inputs: &Inputs,
    records_as_given: &[String],
    emit: &mut dyn FnMut(detail::DetailRow<'_>) -> Result<(), crate::i18n::Msg>,
) -> Result<(), crate::i18n::Msg> {
    let shown = shown_files(inputs, records_as_given);
    let det = detail::Detail::new(model, outcome, &shown);
    let mut resolver = Cells::default();
    let mut problems = Problems::new(100);
    let mut granularity = None;
    let mut stopped = None;
    for (i, rec_path) in inputs.records.iter().enumerate() {
        let file = shown.get(i).map_or("", String::as_str);
        let mut sink = |r: &crate::input::Record<'_>| {
            if stopped.is_some() {
                return Ok(());
            }
            let key = resolver.locate(model, r)?;
            if let Err(m) = det.rows(r, &key, file, emit) {
                stopped = Some(m);
            }
            Ok(())
        };
        read_records(
            rec_path,
            i,
            model,
            inputs.encoding,
            &mut granularity,
            &mut problems,
            &mut sink,
        )
        .map_err(|e| crate::msg!("E0503", reason = e))?;
        if let Some(m) = stopped {
            return Err(m);
        }
    }
    // The records read cleanly the first time; a problem now means they changed.
    match problems.diags.into_iter().next() {
        Some(d) => Err(crate::msg!(
            "E0503",
            reason = format!("{}:{}: {}", d.file, d.line, d.message)
        )),
        None => Ok(()),
    }
}

/// The detail writer as the readers see it: `input` asks, `output::detail` answers.
struct DetailLines<'d, 'a>(&'d detail::Detail<'a>);

impl crate::input::sink::Render<Cells> for DetailLines<'_, '_> {
    fn cell(
        &self,
        cells: &mut Cells,
        r: &crate::input::Record<'_>,
    ) -> Result<Option<u32>, crate::diag::Msg> {
        self.0.cell(cells, r)
    }
    fn verbatim(
        &self,
        r: &crate::input::Record<'_>,
        period: &[u8],
        zone: &[u8],
        metric: &[u8],
    ) -> bool {
        self.0.verbatim(r, period, zone, metric)
    }
    fn lines(
        &self,
        out: &mut Vec<u8>,
        cell: u32,
        line: u64,
        units: i128,
        fields: crate::input::sink::Fields<'_>,
    ) {
        self.0.lines(out, cell, line, units, fields);
    }
    fn most_lines(&self) -> usize {
        self.0.most_lines()
    }
}
