//! Atomic output: all files or none.
//!
//! Outputs are written to hidden temporary files in the output directory (so the final
//! rename never crosses a file system), flushed to disk, and renamed over their final
//! names only by `commit`, after the whole run — invariant check included — succeeded.
//! Dropping an uncommitted `Transaction` removes the temporaries, so a failed run
//! leaves the directory exactly as it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write the output: {source}")]
pub struct OutputError {
    pub path: String,
    pub source: std::io::Error,
}

pub fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError {
        path: path.display().to_string(),
        source,
    }
}

/// A set of output files written together.
pub struct Transaction {
    dir: PathBuf,
    pending: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

impl Transaction {
    pub fn new(dir: &Path) -> Result<Transaction, OutputError> {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        Ok(Transaction {
            dir: dir.to_path_buf(),
            pending: Vec::new(),
            committed: false,
        })
    }

    /// A buffered writer on the temporary file that will become `name`.
    pub fn create(&mut self, name: &str) -> Result<BufWriter<File>, OutputError> {
        let tmp = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).map_err(io_err(&tmp))?;
        self.pending.push((tmp, self.dir.join(name)));
        Ok(BufWriter::with_capacity(1 << 16, file))
    }

    /// The temporary path of a file created with `create` (to read it back).
    pub fn temp_path(&self, name: &str) -> Option<&Path> {
        let fin = self.dir.join(name);
        self.pending
            .iter()
            .find(|(_, f)| *f == fin)
            .map(|(t, _)| t.as_path())
    }

    /// Reserve a temporary path beside `target` (anywhere on disk) that becomes
    /// `target` on commit; the caller writes it.
    pub fn reserve(&mut self, target: &Path) -> PathBuf {
        let name = target
            .file_name()
            .map_or("output".into(), |n| n.to_string_lossy().into_owned());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
        self.pending.push((tmp.clone(), target.to_path_buf()));
        tmp
    }

    /// Write a whole file.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let mut w = self.create(name)?;
        w.write_all(bytes).map_err(io_err(&self.dir.join(name)))?;
        finish(w, &self.dir.join(name))
    }

    /// Rename every temporary file into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        for (tmp, fin) in &self.pending {
            std::fs::rename(tmp, fin).map_err(io_err(fin))?;
        }
        self.committed = true;
        Ok(())
    }
}

/// Flush a writer and its file to disk.
pub fn finish(w: BufWriter<File>, path: &Path) -> Result<(), OutputError> {
    let f = w.into_inner().map_err(|e| OutputError {
        path: path.display().to_string(),
        source: e.into_error(),
    })?;
    f.sync_all().map_err(io_err(path))
}

impl Drop for Transaction {
    fn drop(&mut self) {
        if !self.committed {
            for (tmp, _) in &self.pending {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}
