//! `fencheng verify DIR`: replay a past run from its manifest and compare every byte.
//!
//! Order matters for telling *what* changed: first the manifest itself (its
//! `self_sha256`), then every input against its recorded SHA-256, and only when all
//! inputs are as recorded, a recomputation compared output by output. So a flipped
//! byte is reported in exactly the file that holds it.

use super::run::produce;
use crate::error::Error;
use crate::manifest::{self, Manifest};
use crate::msg;
use std::path::{Path, PathBuf};

/// `verify` in the chosen format: JSON gives {"identical", "report", "differences"}
/// on stdout, with the same exit codes.
pub fn verify_as(dir: &Path, format: crate::output::totals::Format) -> Result<String, Error> {
    let result = verify(dir);
    if format != crate::output::totals::Format::Json {
        return result;
    }
    let (ok, report, diffs) = match &result {
        Ok(r) => (true, r.trim_end().to_string(), Vec::new()),
        Err(Error::Differs(d)) => (
            false,
            String::new(),
            d.lines().map(str::to_string).collect(),
        ),
        Err(e) => (false, String::new(), vec![e.to_string()]),
    };
    let doc = serde_json::json!({"identical": ok, "report": report, "differences": diffs});
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    match result {
        Ok(_) => Ok(text),
        Err(e) => Err(Error::Json(text, e.exit_code())),
    }
}

pub fn verify(dir: &Path) -> Result<String, Error> {
    let mpath = dir.join(manifest::FILE);
    let shown = crate::pathtext::show(&mpath);
    let text = std::fs::read_to_string(&mpath).map_err(|e| {
        Error::Differs(format!(
            "{shown}: {}",
            msg!("E0222", reason = crate::i18n::io_reason(&e))
        ))
    })?;
    let m: Manifest = serde_json::from_str(&text)
        .map_err(|e| Error::Differs(format!("{shown}: {}", msg!("E0506", reason = e))))?;
    if !m.is_intact() {
        return Err(Error::Differs(format!("{shown}: {}", msg!("E0507"))));
    }
    // A path the run was given, found again (as text, and as the path to open).
    let resolve = |given: &str| crate::input::recorded::locate(&m, dir, given);
    let open = |given: &str| crate::pathtext::parse(&resolve(given));
    let mut diffs = Vec::new();
    for f in &m.inputs {
        match std::fs::read(open(&f.path)) {
            Err(e) => diffs.push(format!(
                "{}: {}",
                f.path,
                msg!(
                    "E0508",
                    role = crate::i18n::role(&f.role),
                    reason = crate::i18n::io_reason(&e)
                )
            )),
            Ok(bytes) => {
                let sha = manifest::sha256_hex(&bytes);
                if sha != f.sha256 {
                    diffs.push(format!(
                        "{}: {}",
                        f.path,
                        msg!(
                            "E0509",
                            role = crate::i18n::role(&f.role),
                            sha = sha,
                            recorded = f.sha256
                        )
                    ));
                }
            }
        }
    }
    let run = &m.options.run;
    let config = resolve(&crate::pathtext::show(&run.inputs.config));
    let config_dir = crate::pathtext::parse(&config);
    if config_dir.is_dir()
        && let Ok(rd) = std::fs::read_dir(&config_dir)
    {
        let named: Vec<String> = m.inputs.iter().map(|f| resolve(&f.path)).collect();
        let mut extra: Vec<String> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .map(|p| crate::pathtext::show(&p))
            .filter(|p| !named.contains(p))
            .collect();
        extra.sort();
        diffs.extend(extra.into_iter().map(|p| format!("{p}: {}", msg!("E0510"))));
    }
    // Every output as the manifest recorded it: a set whose files do not match their
    // manifest is a run that did not finish (or a file changed since).
    let located = |name: &str| -> std::path::PathBuf {
        if run.xlsx.as_ref().is_some_and(|x| x.as_os_str() == name) {
            // A workbook written outside the output directory.
            open(name)
        } else {
            dir.join(name)
        }
    };
    let mut changed = Vec::new();
    for o in &m.outputs {
        match std::fs::read(located(&o.file)) {
            Err(_) => diffs.push(format!("{}: {}", located(&o.file).display(), msg!("E0431"))),
            Ok(bytes) if manifest::sha256_hex(&bytes) != o.sha256 => changed.push(format!(
                "{}: {}",
                located(&o.file).display(),
                msg!("E0511", recorded = &o.sha256[..12])
            )),
            Ok(_) => {}
        }
    }
    if !diffs.is_empty() {
        diffs.extend(changed);
        return Err(Error::Differs(diffs.join("\n")));
    }
    // The inputs are those of the run: a changed output is also shown by the replay
    // below, at its first differing line (the hash alone says nothing of what changed).
    diffs.extend(changed);
    let tmp = tempfile::tempdir().map_err(|e| Error::Differs(msg!("E0512", reason = e).text))?;
    let mut opts = m.options.clone();
    let given: Vec<String> = run
        .inputs
        .records
        .iter()
        .map(|p| crate::pathtext::show(p))
        .collect();
    let moved = |p: &mut PathBuf| *p = open(&crate::pathtext::show(p));
    let args = &mut opts.run;
    moved(&mut args.inputs.config);
    let i = &mut args.inputs;
    for p in i
        .records
        .iter_mut()
        .chain(&mut i.deductions)
        .chain(&mut i.entities)
        .chain(&mut i.profile)
    {
        moved(p);
    }
    args.scenarios
        .iter_mut()
        .chain(&mut args.expect)
        .for_each(moved);
    // The workbook is rebuilt beside the other outputs and compared like them.
    let xlsx_out = run.xlsx.as_ref().map(|x| {
        let name = x
            .file_name()
            .map_or_else(|| "book.xlsx".into(), |n| n.to_os_string());
        tmp.path().join(name)
    });
    args.xlsx = xlsx_out.clone();
    if let Some(q) = &mut opts.quota {
        q.allocations
            .iter_mut()
            .chain(&mut q.transfers)
            .for_each(moved);
    }
    let redo = tmp.path().join("out");
    let replayed = match opts.quota {
        Some(_) => super::quota::produce(&opts, Some(&redo)).map(|_| ()),
        None => produce(&opts, Some(&redo), &given).map(|_| ()),
    };
    if let Err(e) = replayed {
        return Err(Error::Differs(format!("{}\n{}", msg!("E0513"), e.report())));
    }
    let mut names: Vec<String> = m.outputs.iter().map(|o| o.file.clone()).collect();
    names.push(manifest::FILE.into());
    for o in &m.outputs {
        let theirs = located(&o.file);
        let is_xlsx = o.file.ends_with(".xlsx");
        let ours_path = if is_xlsx {
            xlsx_out.clone().unwrap_or_default()
        } else {
            redo.join(&o.file)
        };
        let ours = std::fs::read(&ours_path).unwrap_or_default();
        let bytes = std::fs::read(&theirs).unwrap_or_default();
        if bytes != ours {
            diffs.push(format!(
                "{}: {}",
                theirs.display(),
                if is_xlsx {
                    msg!("E0514").text
                } else {
                    crate::output::difference::first(&ours, &bytes)
                }
            ));
        }
    }
    // The manifest's record of the run: the same outputs, totals and counts.
    let redone: Option<Manifest> = std::fs::read_to_string(redo.join(manifest::FILE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    match redone {
        Some(r) => {
            let shas = |x: &Manifest| {
                x.outputs
                    .iter()
                    .map(|o| o.sha256.clone())
                    .collect::<Vec<_>>()
            };
            if shas(&r) != shas(&m)
                || !(r.control_totals == m.control_totals || before_pools(&r, &m))
                || r.records != m.records
                || r.cells != m.cells
            {
                diffs.push(format!("{shown}: {}", msg!("E0515")));
            }
        }
        None => diffs.push(format!("{shown}: {}", msg!("E0516"))),
    }
    if !diffs.is_empty() {
        return Err(Error::Differs(diffs.join("\n")));
    }
    Ok(format!(
        "{}\n",
        msg!(
            "E0517",
            inputs = m.inputs.len(),
            outputs = names.len(),
            records = m.records,
            cells = m.cells
        )
    ))
}

/// A manifest written before pools were listed in the control totals (their metrics'
/// allocated part was then the levels alone): the recomputed totals list a pool it
/// lacks, and every total it has is an input recomputed alike. The outputs' hashes are
/// compared byte for byte all the same.
fn before_pools(redone: &Manifest, written: &Manifest) -> bool {
    let has = |m: &Manifest, id: &str| m.control_totals.iter().any(|t| t.metric == id);
    redone
        .control_totals
        .iter()
        .any(|t| !has(written, &t.metric))
        && written.control_totals.iter().all(|t| {
            redone
                .control_totals
                .iter()
                .any(|x| x.metric == t.metric && x.unit == t.unit && x.input == t.input)
        })
}
