//! How the commands read their inputs: the record files into cells (the parallel
//! reader where it can, the general reader otherwise), the side files (deductions,
//! entities), each hashed for the manifest, the same file given twice refused, and an
//! overflowing total reported once, at the record in file order where it happens.

use super::*;
use crate::cli::Inputs;
use crate::diag::Problems;
use crate::engine::cells::Cells;
use crate::error::Error;
use crate::input::read_records;
use crate::model::Model;

/// Read a small input file whole (deductions, entities).
pub(super) fn read_whole(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| {
        Error::RecordsIo(crate::input::RecordsError::Io {
            path: path.display().to_string(),
            source,
        })
    })
}

/// The entities file into the model, and the deduction lines, before the records are
/// read: both change where a record goes (its start date, its rule, whether its
/// entity must be remembered for a deduction).
pub(crate) fn read_side(
    model: &mut Model,
    inputs: &Inputs,
    problems: &mut Problems,
    files: &mut Vec<ReadFile>,
) -> Result<Vec<crate::input::Deduction>, Error> {
    use crate::manifest::sha256_hex;
    model.input.delimiter = inputs.delimiter.map(|d| d.byte());
    if let Some(path) = &inputs.entities {
        let bytes = read_whole(path)?;
        let shown = path.display().to_string();
        match crate::input::entities::read(&shown, &bytes, inputs.encoding, model) {
            Ok(e) => {
                files.push(ReadFile {
                    path: shown,
                    sha256: sha256_hex(&bytes),
                    rows: e.by_id.len() as u64,
                    streamed: false,
                    role: "entities",
                });
                model.entities = e;
                model.needs_entity = true;
            }
            Err(diags) => diags.into_iter().for_each(|d| problems.push(d)),
        }
    }
    let mut deductions = Vec::new();
    let mut granularity = None;
    for path in &inputs.deductions {
        let bytes = read_whole(path)?;
        let shown = path.display().to_string();
        let before = deductions.len();
        for d in crate::input::deductions::read(
            &shown,
            &bytes,
            inputs.encoding,
            model,
            &mut granularity,
            &mut deductions,
        ) {
            problems.push(d);
        }
        files.push(ReadFile {
            path: shown,
            sha256: sha256_hex(&bytes),
            rows: (deductions.len() - before) as u64,
            streamed: false,
            role: "deductions",
        });
    }
    // Deductions of entity-anchored rules find their cell through the entity's
    // records: remember where those entities' records go.
    for d in &deductions {
        let Some(e) = &d.entity else { continue };
        let zone = &model.zones[d.zone];
        let Ok(a) = zone.agreement_for(d.period) else {
            continue;
        };
        let ag = &zone.agreements[a];
        let anchored = ag.rule_for_metric.get(&d.metric).is_some_and(|c| {
            c.specific
                .iter()
                .chain(c.default.iter())
                .any(|&r| ag.rules[r].anchor() == Some(crate::model::Anchor::EntityStart))
        });
        if anchored {
            model.watch.insert(e.clone());
        }
    }
    if !model.watch.is_empty() {
        model.needs_entity = true;
    }
    Ok(deductions)
}

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
        // The streaming reader takes comma-separated UTF-8 or GB18030, quoted or not;
        // anything else — another delimiter, UTF-16, a workbook — the general reader.
        let plain = !crate::input::xlsx::is_xlsx(&crate::input::xlsx::split_sheet(path).0)
            && comma_text(path, model.input.delimiter);
        if plain {
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
                        path: path.display().to_string(),
                        sha256: s.sha256,
                        rows: cells.records - before,
                        streamed: true,
                        role: "records",
                    });
                    continue;
                }
                Err(stream::Fallback::Io(e)) if !path.exists() => {
                    return Err(Error::RecordsIo(crate::input::RecordsError::Io {
                        path: path.display().to_string(),
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
            path: path.display().to_string(),
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

/// Whether a records file is comma-separated text that is not UTF-16 (its first 64 KiB
/// decide; a file that cannot be opened is left to the reader, which says why).
pub(super) fn comma_text(path: &std::path::Path, forced: Option<u8>) -> bool {
    use std::io::Read;
    if let Some(d) = forced {
        return d == b',' && !utf16(path);
    }
    let mut head = vec![0u8; 64 * 1024];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head.truncate(n);
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return false;
    }
    crate::input::records::sniff_delimiter(&String::from_utf8_lossy(&head)) == b','
}

pub(super) fn utf16(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == *b"\xFF\xFE" || head == *b"\xFE\xFF")
}

/// The record at which a cell's (or a metric's) running total, in file order, first
/// passes what an i128 of units holds.
pub(super) fn first_overflow(model: &Model, inputs: &Inputs) -> Option<crate::diag::Diag> {
    let mut cells = Cells::default();
    let mut problems = Problems::new(1);
    let mut granularity = None;
    let mut found = false;
    for (i, path) in inputs.records.iter().enumerate() {
        let _ = read_records(
            path,
            i,
            model,
            inputs.encoding,
            &mut granularity,
            &mut problems,
            &mut |r| {
                if found {
                    return Ok(());
                }
                let key = cells.locate(model, r)?;
                cells.add(model, r).map_err(|m| {
                    found = true;
                    crate::msg!(
                        "E0316",
                        period = key.period,
                        zone = model.zones[key.zone].id,
                        metric = model.metrics[key.metric].id,
                        what = m,
                        quantum = model.metrics[key.metric].quantum.text
                    )
                })
            },
        );
        if found {
            break;
        }
    }
    problems.diags.into_iter().find(|d| d.code == "E0316")
}
