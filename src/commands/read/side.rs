//! The side files — entities and deductions — read whole before the records, because
//! both change where a record goes.

use super::super::ReadFile;
use crate::cli::Inputs;
use crate::diag::Problems;
use crate::error::Error;
use crate::model::Model;

/// Read a small input file whole (deductions, entities).
pub(crate) fn read_whole(path: &std::path::Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| {
        Error::RecordsIo(crate::input::RecordsError::Io {
            path: crate::pathtext::show(path),
            source,
        })
    })
}

/// A side file that cannot be opened is the error of an unreadable input, before any
/// line (the file is then streamed).
fn openable(path: &std::path::Path) -> Result<(), Error> {
    let (file, _) = crate::input::xlsx::split_sheet(path);
    std::fs::File::open(&file).map(drop).map_err(|source| {
        Error::RecordsIo(crate::input::RecordsError::Io {
            path: crate::pathtext::show(path),
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
) -> Result<crate::input::Deductions, Error> {
    use crate::manifest::sha256_hex;
    model.input.delimiter = inputs.delimiter.map(|d| d.byte());
    if let Some(path) = &inputs.profile {
        let bytes = read_whole(path)?;
        let shown = crate::pathtext::show(path);
        match crate::input::profile::parse(&shown, &bytes) {
            Ok(p) => {
                files.push(ReadFile {
                    path: shown,
                    sha256: sha256_hex(&bytes),
                    rows: 0,
                    streamed: false,
                    role: "profile",
                });
                model.input.profile = Some(p);
            }
            Err(diags) => return Err(Error::Records(diags, 0)),
        }
    }
    if let Some(path) = &inputs.entities {
        openable(path)?;
        let shown = crate::pathtext::show(path);
        match crate::input::entities::read(
            &shown,
            crate::input::table::Source::File(path),
            inputs.encoding,
            model,
        ) {
            Ok((e, sha256)) => {
                files.push(ReadFile {
                    path: shown,
                    sha256,
                    rows: e.len() as u64,
                    streamed: false,
                    role: "entities",
                });
                model.entities = e;
                model.needs_entity = true;
            }
            Err(diags) => diags.into_iter().for_each(|d| problems.push(d)),
        }
    }
    let mut deductions = crate::input::Deductions::default();
    let mut granularity = None;
    for path in &inputs.deductions {
        openable(path)?;
        let shown = crate::pathtext::show(path);
        let before = deductions.len();
        let sha256 = match crate::input::deductions::read(
            &shown,
            crate::input::table::Source::File(path),
            inputs.encoding,
            model,
            &mut granularity,
            &mut deductions,
        ) {
            Ok(sha) => sha,
            Err(diags) => {
                diags.into_iter().for_each(|d| problems.push(d));
                String::new()
            }
        };
        files.push(ReadFile {
            path: shown,
            sha256,
            rows: (deductions.len() - before) as u64,
            streamed: false,
            role: "deductions",
        });
    }
    // The vector's growth leaves up to half of it unused: give that back before the
    // records are read.
    deductions.shrink_to_fit();
    crate::input::deductions::watch_entities(model, &deductions);
    Ok(deductions)
}
