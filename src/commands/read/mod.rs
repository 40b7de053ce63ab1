//! How the commands read their inputs: the record files into cells (the parallel
//! reader where it can, the general reader otherwise), the side files (deductions,
//! entities; `side`), each hashed for the manifest, the same file given twice refused,
//! and an overflowing total reported once, at the record in file order where it
//! happens (`overflow`).

mod overflow;
mod side;

use overflow::first_overflow;
pub(crate) use side::{read_side, read_whole};

use super::*;
use crate::cli::Inputs;
use crate::diag::Problems;
use crate::engine::cells::Cells;
use crate::error::Error;
use crate::input::read_records;
use crate::model::Model;

/// The same file given twice would be summed twice: refuse it, naming both arguments.
pub(super) fn refuse_twice(files: &[ReadFile]) -> Result<(), Error> {
    let mut diags = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(first) = files[..i]
            .iter()
            .find(|g| g.sha256 == f.sha256 && g.role == f.role)
        {
            diags.push(crate::diag::Diag::new(
                &f.path,
                0,
                "",
                crate::msg!(
                    "E0249",
                    sha = &f.sha256[..12],
                    role = f.role,
                    first = first.path
                ),
            ));
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Records(diags, 0))
    }
}

/// Read every record file into cells; all bad lines are collected (up to `limit`).
/// Comma-separated text (UTF-8 or GB18030, quoted or not) goes through the streaming
/// parallel reader; anything else (another delimiter, UTF-16, xlsx) through the
/// general reader, which is the reference.
pub fn read_cells(
    model: &mut Model,
    inputs: &Inputs,
    limit: usize,
) -> Result<(Cells, Vec<ReadFile>), Error> {
    use crate::input::stream;
    let mut cells = Cells::default();
    let mut problems = Problems::new(limit);
    let mut granularity = None;
    let mut side = Vec::new();
    let deductions = read_side(model, inputs, &mut problems, &mut side)?;
    let model = &*model;
    let mut files = Vec::new();
    for (i, path) in inputs.records.iter().enumerate() {
        let before = cells.records;
        // The streaming reader where it can (`input::route`), the general one otherwise.
        // Through a profile too (its rows are mapped in the row path, SPEC §12) —
        // unless a title line above the header holds a quote, which the parallel
        // reader's block cutting would take for an open field.
        let titles_plain = model
            .input
            .profile
            .as_ref()
            .is_none_or(|p| crate::input::profile::titles_unquoted(path, p.header));
        if titles_plain && crate::input::route::streams(path) {
            match stream::read_parallel(
                path,
                inputs.encoding,
                i,
                model,
                &mut granularity,
                &mut problems,
                &mut cells,
                threads(),
            ) {
                Ok(s) => {
                    files.push(ReadFile {
                        path: crate::pathtext::show(path),
                        sha256: s.sha256,
                        rows: cells.records - before,
                        streamed: true,
                        role: "records",
                    });
                    continue;
                }
                Err(stream::Fallback::Io(e)) if !path.exists() => {
                    return Err(Error::RecordsIo(crate::input::RecordsError::Io {
                        path: crate::pathtext::show(path),
                        source: e,
                    }));
                }
                Err(_) => {}
            }
        }
        let bytes = read_records(
            path,
            i,
            model,
            inputs.encoding,
            &mut granularity,
            &mut problems,
            &mut |r| cells.add(model, r),
        )?;
        files.push(ReadFile {
            path: crate::pathtext::show(path),
            sha256: bytes,
            rows: cells.records - before,
            streamed: false,
            role: "records",
        });
    }
    // An overflowing total is found wherever the workers' sums happened to meet; say
    // it once, at the record where the running total in file order passes the limit,
    // whatever the number of threads.
    if problems
        .diags
        .iter()
        .any(|d| matches!(d.code, "E0310" | "E0311"))
    {
        let first = first_overflow(model, inputs);
        problems
            .diags
            .retain(|d| !matches!(d.code, "E0310" | "E0311"));
        problems.diags.extend(first);
        // What was left out was the same overflow, again and again.
        problems.omitted = 0;
    }
    for n in &problems.notes {
        eprintln!("{n}");
    }
    // Deductions take the run's granularity, which the first record fixed.
    for d in cells.place_deductions(model, deductions, granularity.as_ref()) {
        problems.push(d);
    }
    if !problems.is_empty() {
        problems.diags.sort();
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    files.extend(side);
    refuse_twice(&files)?;
    Ok((cells, files))
}

/// Every record of every records file through the general reader, in file order, one
/// granularity for the run (returned: deductions take it). For the passes that keep
/// something per record (explain's lines, project's base records, the overflow hunt).
pub(crate) fn each_record(
    model: &Model,
    inputs: &Inputs,
    problems: &mut Problems,
    sink: &mut dyn FnMut(&crate::input::Record<'_>) -> Result<(), crate::diag::Msg>,
) -> Result<Option<(crate::period::Granularity, String)>, Error> {
    let mut granularity = None;
    for (i, path) in inputs.records.iter().enumerate() {
        read_records(
            path,
            i,
            model,
            inputs.encoding,
            &mut granularity,
            problems,
            sink,
        )?;
    }
    Ok(granularity)
}
