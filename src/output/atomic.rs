//! Atomic output: all files or none.
//!
//! Outputs are written to hidden temporary files in the output directory (so the final
//! rename never crosses a file system), flushed to disk, and renamed over their final
//! names only by `commit`, after the whole run — invariant check included — succeeded.
//! Every target is checked before the first rename, replaced files are kept aside
//! until the last rename succeeded (and put back otherwise), the manifest is renamed
//! last, and the directory is locked for the length of the run. Dropping an
//! uncommitted `Transaction` removes the temporaries, so a failed run leaves the
//! directory exactly as it was; a crashed one leaves temporaries that the next run
//! removes.

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
        path: crate::pathtext::show(path),
        source,
    }
}

/// Every file name a run may write into its output directory: what a run does not
/// produce this time is removed, so an old `detail.csv` never sits beside a new
/// summary.
pub const OUTPUTS: [&str; 7] = [
    "summary.csv",
    "settlement.csv",
    "assessment.csv",
    "adjustments.csv",
    "detail.csv",
    "manifest.json",
    "obligations.csv",
];

/// A set of output files written together.
pub struct Transaction {
    dir: PathBuf,
    pending: Vec<(PathBuf, PathBuf)>,
    committed: bool,
    /// Remove our outputs that this run does not write (`OUTPUTS`).
    pub replace_all: bool,
    /// The output directory's lock, held until the transaction ends.
    _lock: Option<File>,
}

/// A file of ours that a crash or a killed run left behind: `.NAME.PID.tmp` or
/// `.NAME.PID.bak` for one of `OUTPUTS`.
fn is_stale(name: &str) -> bool {
    OUTPUTS.iter().any(|o| {
        name.strip_prefix('.')
            .and_then(|r| r.strip_prefix(o))
            .and_then(|r| r.strip_prefix('.'))
            .and_then(|r| r.strip_suffix(".tmp").or_else(|| r.strip_suffix(".bak")))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// How long a run waits for another run writing into the same directory: 60 s, or
/// `FENCHENG_LOCK_WAIT` seconds.
fn patience() -> std::time::Duration {
    let secs = std::env::var("FENCHENG_LOCK_WAIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    std::time::Duration::from_secs(secs)
}

/// Take the lock of `f` (the operating system's: it never outlives its process).
/// Another run writing into the same directory is waited for — saying so on stderr
/// after a second — but not for ever: a run held up by a stuck one fails after
/// `patience()`, naming the directory, instead of hanging a month-end script.
fn wait_for(f: File, path: &Path, dir: &Path) -> Result<File, OutputError> {
    let start = std::time::Instant::now();
    let patience = patience();
    let mut told = false;
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(f),
            Err(std::fs::TryLockError::WouldBlock) => {
                let waited = start.elapsed();
                if waited >= patience {
                    return Err(OutputError {
                        path: crate::pathtext::show(dir),
                        source: std::io::Error::other(crate::msg!(
                            "E0523",
                            seconds = patience.as_secs()
                        )),
                    });
                }
                if !told && waited >= std::time::Duration::from_secs(1) {
                    eprintln!("{}", crate::msg!("W0003", dir = dir.display()));
                    told = true;
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_err(path)(e)),
        }
    }
}

impl Transaction {
    /// Start writing into `dir` (created if missing). The directory is locked for the
    /// length of the run — a second run into it waits (`wait_for`) — and temporaries
    /// that an earlier, interrupted run left there are removed.
    pub fn new(dir: &Path) -> Result<Transaction, OutputError> {
        let mut lock = None;
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
            let path = dir.join(".fencheng.lock");
            let f = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io_err(&path))?;
            lock = Some(wait_for(f, &path, dir)?);
            if let Ok(rd) = std::fs::read_dir(dir) {
                for e in rd.flatten() {
                    if is_stale(&e.file_name().to_string_lossy()) {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
        }
        Ok(Transaction {
            dir: dir.to_path_buf(),
            pending: Vec::new(),
            committed: false,
            replace_all: false,
            _lock: lock,
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

    /// Put every temporary file in place, all or nothing: every target is checked
    /// first (a directory in the way fails before anything moves); each file it
    /// replaces is kept aside until the end and put back if a later step fails; the
    /// manifest goes last, so a set whose manifest does not match its files is one
    /// that did not finish (`verify` says so, and the next run repairs it).
    pub fn commit(mut self) -> Result<(), OutputError> {
        for (_, fin) in &self.pending {
            if fin.is_dir() {
                return Err(OutputError {
                    path: crate::pathtext::show(fin),
                    source: std::io::Error::other(crate::msg!("E0505").text),
                });
            }
        }
        let manifest = self.dir.join(crate::manifest::FILE);
        self.pending.sort_by_key(|(_, fin)| *fin == manifest);
        // Our outputs that this run does not produce go too (kept aside like the rest).
        let mut removals = Vec::new();
        if self.replace_all && !self.dir.as_os_str().is_empty() {
            for name in OUTPUTS {
                let p = self.dir.join(name);
                if p.is_file() && !self.pending.iter().any(|(_, f)| *f == p) {
                    removals.push(p);
                }
            }
        }
        let pid = std::process::id();
        let aside = |fin: &Path| {
            let name = fin
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            fin.with_file_name(format!(".{name}.{pid}.bak"))
        };
        // (final path, where its old content was kept, if it had one)
        let mut done: Vec<(PathBuf, Option<PathBuf>, bool)> = Vec::new();
        let undo = |done: &[(PathBuf, Option<PathBuf>, bool)]| {
            for (fin, kept, new) in done.iter().rev() {
                if *new {
                    let _ = std::fs::remove_file(fin);
                }
                if let Some(k) = kept {
                    let _ = std::fs::rename(k, fin);
                }
            }
        };
        let steps: Vec<(Option<PathBuf>, PathBuf)> = removals
            .into_iter()
            .map(|p| (None, p))
            .chain(
                self.pending
                    .iter()
                    .map(|(t, f)| (Some(t.clone()), f.clone())),
            )
            .collect();
        for (n, (tmp, fin)) in steps.iter().enumerate() {
            fault_point(n);
            let kept = if fin.exists() {
                let k = aside(fin);
                if let Err(e) = std::fs::rename(fin, &k) {
                    undo(&done);
                    return Err(io_err(fin)(e));
                }
                Some(k)
            } else {
                None
            };
            if let Some(tmp) = tmp
                && let Err(e) = std::fs::rename(tmp, fin)
            {
                done.push((fin.clone(), kept, false));
                undo(&done);
                return Err(io_err(fin)(e));
            }
            done.push((fin.clone(), kept, tmp.is_some()));
        }
        for (_, kept, _) in &done {
            if let Some(k) = kept {
                let _ = std::fs::remove_file(k);
            }
        }
        self.committed = true;
        Ok(())
    }
}

/// Whether two paths name the same file, by any spelling, links included: by their
/// real paths where they exist (or their directory does), else lexically. An output
/// must never be written over an input.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| {
        std::fs::canonicalize(p).ok().or_else(|| {
            // Not there yet: its directory's real path and its name.
            let parent = p.parent().filter(|x| !x.as_os_str().is_empty())?;
            Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
        })
    };
    // Lexically, where a path (or its directory) does not exist yet.
    let plain = |p: &Path| -> Option<PathBuf> {
        let mut out = PathBuf::new();
        for c in std::path::absolute(p).ok()?.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                other => out.push(other),
            }
        }
        Some(out)
    };
    match (canon(a), canon(b)) {
        (Some(x), Some(y)) => x == y,
        _ => plain(a).is_some_and(|x| Some(x) == plain(b)),
    }
}

/// Tests only (debug builds): `FENCHENG_FAULT_AFTER=N` ends the process as a crash
/// would after N files were put in place.
#[cfg(debug_assertions)]
pub fn fault_point(n: usize) {
    if std::env::var("FENCHENG_FAULT_AFTER")
        .ok()
        .and_then(|v| v.parse().ok())
        == Some(n)
    {
        std::process::exit(99);
    }
}

#[cfg(not(debug_assertions))]
pub fn fault_point(_: usize) {}

/// Flush a writer and its file to disk.
pub fn finish(w: BufWriter<File>, path: &Path) -> Result<(), OutputError> {
    let f = w.into_inner().map_err(|e| OutputError {
        path: crate::pathtext::show(path),
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
