//! `fencheng verify DIR`: replay a past run from its manifest and compare every byte.
//!
//! Order matters for telling *what* changed: first the manifest itself (its
//! `self_sha256`), then every input against its recorded SHA-256, and only when all
//! inputs are as recorded, a recomputation compared output by output. So a flipped
//! byte is reported in exactly the file that holds it.

use super::run::produce;
use crate::error::Error;
use crate::output::manifest::{self, Manifest};
use std::path::Path;

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
    let shown = mpath.display().to_string();
    let text = std::fs::read_to_string(&mpath)
        .map_err(|e| Error::Differs(format!("{shown}: cannot be read: {e}")))?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        Error::Differs(format!(
            "{shown}: not a fencheng manifest ({e}); it was altered or is not ours"
        ))
    })?;
    if !m.is_intact() {
        return Err(Error::Differs(format!(
            "{shown}: altered: its content no longer matches its self_sha256"
        )));
    }
    let mut diffs = Vec::new();
    for f in &m.inputs {
        match std::fs::read(&f.path) {
            Err(e) => diffs.push(format!(
                "{}: missing ({} file named in the manifest): {e}",
                f.path, f.role
            )),
            Ok(bytes) => {
                let sha = manifest::sha256_hex(&bytes);
                if sha != f.sha256 {
                    diffs.push(format!(
                        "{}: differs from the manifest ({} file; SHA-256 {sha}, recorded {})",
                        f.path, f.role, f.sha256
                    ));
                }
            }
        }
    }
    let config = Path::new(&m.options.config);
    if config.is_dir()
        && let Ok(rd) = std::fs::read_dir(config)
    {
        let mut extra: Vec<String> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.display().to_string())
            .filter(|p| !m.inputs.iter().any(|f| &f.path == p))
            .collect();
        extra.sort();
        diffs.extend(
            extra
                .into_iter()
                .map(|p| format!("{p}: a configuration file that the manifest does not name")),
        );
    }
    if !diffs.is_empty() {
        return Err(Error::Differs(diffs.join("\n")));
    }
    let tmp = tempfile::tempdir()
        .map_err(|e| Error::Differs(format!("cannot create a scratch directory: {e}")))?;
    // The workbook is a convenience copy, not part of the record: never rewrite it here.
    let mut opts = m.options.clone();
    opts.xlsx = None;
    if let Err(e) = produce(&opts, Some(tmp.path())) {
        return Err(Error::Differs(format!(
            "the recomputation failed where the recorded run succeeded:\n{e}"
        )));
    }
    let mut names: Vec<String> = m.outputs.iter().map(|o| o.file.clone()).collect();
    names.push(manifest::FILE.into());
    for name in &names {
        let theirs = dir.join(name);
        let ours = std::fs::read(tmp.path().join(name)).unwrap_or_default();
        match std::fs::read(&theirs) {
            Err(_) => diffs.push(format!("{}: missing", theirs.display())),
            Ok(bytes) if bytes != ours => diffs.push(format!(
                "{}: {}",
                theirs.display(),
                first_difference(&ours, &bytes)
            )),
            Ok(_) => {}
        }
    }
    if !diffs.is_empty() {
        return Err(Error::Differs(diffs.join("\n")));
    }
    Ok(format!(
        "verified: {} inputs and {} outputs identical to the manifest ({} records, {} cells)\n",
        m.inputs.len(),
        names.len(),
        m.records,
        m.cells
    ))
}

/// Where two texts first differ, by line.
fn first_difference(expected: &[u8], found: &[u8]) -> String {
    let e: Vec<&[u8]> = expected.split(|b| *b == b'\n').collect();
    let f: Vec<&[u8]> = found.split(|b| *b == b'\n').collect();
    for i in 0..e.len().max(f.len()) {
        let a = e.get(i).copied();
        let b = f.get(i).copied();
        if a != b {
            let show = |x: Option<&[u8]>| {
                x.map_or("(end of file)".to_string(), |x| {
                    format!("{:?}", String::from_utf8_lossy(x))
                })
            };
            return format!(
                "differs at line {}: recomputed {}, found {}",
                i + 1,
                show(a),
                show(b)
            );
        }
    }
    "differs".into()
}
