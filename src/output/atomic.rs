//! Atomic output: all files or none.
//!
//! Each output is written to a hidden temporary file in the output directory, flushed
//! to disk, and renamed over its final name only after every temporary file was
//! written. A failure before the renames removes the temporaries and leaves the
//! directory exactly as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write the output: {source}")]
pub struct OutputError {
    pub path: String,
    pub source: std::io::Error,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError {
        path: path.display().to_string(),
        source,
    }
}

/// Write `(file name, bytes)` pairs into `dir` atomically per file, all-or-nothing up
/// to the final renames.
pub fn write_all(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let pid = std::process::id();
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (name, bytes) in files {
            let tmp = dir.join(format!(".{name}.{pid}.tmp"));
            let fin = dir.join(name);
            temps.push((tmp.clone(), fin));
            let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
            f.write_all(bytes).map_err(io(&tmp))?;
            f.sync_all().map_err(io(&tmp))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (tmp, _) in &temps {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (tmp, fin) in &temps {
        std::fs::rename(tmp, fin).map_err(io(fin))?;
    }
    Ok(())
}
