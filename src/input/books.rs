//! Reading the books (SPEC §9): a directory with one sub-directory per closed period,
//! each holding the closing's `summary.csv`, `adjustments.csv`, `settlement.csv`, its
//! `manifest.json` (chained to the previous closing's) and the copy of the
//! configuration it used. Anything else in the directory means it is not a books
//! directory, and nothing is touched.

use super::amount::parse_units;
use crate::diag::Diag;
use crate::model::Model;
use crate::period::Period;

pub use crate::ledger::{FigureKey, Figures};
use crate::manifest::Manifest;
use std::path::{Path, PathBuf};

/// An obligation row of the books (SPEC §14): booked in the closing of `period`; a
/// first booking when `adjusts` is `None`, else a correction of the year that ends in
/// `adjusts`. `amount` is a scaled integer at the books' obligation decimals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationRow {
    pub period: crate::period::Period,
    pub adjusts: Option<crate::period::Period>,
    pub zone: String,
    pub kind: String,
    pub payer: String,
    pub payee: String,
    pub amount: i128,
    pub cite: String,
}

impl ObligationRow {
    /// The year-end period it counts for.
    pub fn year_end(&self) -> crate::period::Period {
        self.adjusts.unwrap_or(self.period)
    }
}

/// One closing as found on disk.
#[derive(Debug, Clone)]
pub struct Closing {
    pub period: Period,
    pub dir: PathBuf,
    pub manifest: Manifest,
    /// SHA-256 of its manifest.json as it is on disk.
    pub manifest_sha256: String,
}

impl Closing {
    pub fn books(&self) -> &crate::manifest::BooksInfo {
        // `open` keeps only manifests with a books section.
        static EMPTY: std::sync::OnceLock<crate::manifest::BooksInfo> = std::sync::OnceLock::new();
        self.manifest.books.as_ref().unwrap_or_else(|| {
            EMPTY.get_or_init(|| crate::manifest::BooksInfo {
                period: String::new(),
                previous: None,
                replayed: Vec::new(),
                booked: Vec::new(),
                years: Vec::new(),
                command_period: None,
                closed: Vec::new(),
            })
        })
    }
}

/// The closings of a books directory, in period order.
#[derive(Debug, Default)]
pub struct Books {
    pub dir: PathBuf,
    pub closings: Vec<Closing>,
}

/// Names a books directory may hold besides its closings.
pub const RESERVED: [&str; 3] = [".reopened", ".lock", JOURNAL];

/// Written before the closings of one `close` are renamed into place, removed after:
/// its lines are the temporary directory and the periods, in order. Found by the next
/// `close` (under the lock), it means the last one was interrupted between renames: the
/// closings still in the temporary directory are put in place, so a multi-period close
/// is one unit — all its periods appear, or none.
pub const JOURNAL: &str = ".closing";

/// Finish a close that was interrupted between its renames (see `JOURNAL`), and remove
/// temporary directories that no journal names (a close killed before its renames).
/// Returns the periods put in place. Call with the books' lock held.
pub fn finish_interrupted(dir: &Path) -> std::io::Result<Vec<String>> {
    let journal = dir.join(JOURNAL);
    let mut done = Vec::new();
    if let Ok(text) = std::fs::read_to_string(&journal) {
        let mut lines = text.lines();
        if let Some(tmp) = lines.next().filter(|t| is_temporary(t) && inside(t)) {
            for p in lines
                .filter(|p| Period::parse_bytes(p.as_bytes()).is_some_and(|x| x.to_string() == *p))
            {
                let (from, to) = (dir.join(tmp).join(p), dir.join(p));
                if !to.exists() && from.is_dir() {
                    std::fs::rename(&from, &to)?;
                    done.push(p.to_string());
                }
            }
        }
        std::fs::remove_file(&journal)?;
    }
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // Never follow a link: only our own directories are removed.
            if is_temporary(&name) && e.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    Ok(done)
}

/// Whether `name` is one of our temporary directories.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with(".tmp-")
}

impl Books {
    /// Open `dir` (missing or empty: no closing yet).
    pub fn open(dir: &Path) -> Result<Books, Vec<Diag>> {
        let shown = crate::pathtext::show(dir);
        let mut books = Books {
            dir: dir.to_path_buf(),
            closings: Vec::new(),
        };
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(books),
            Err(e) => {
                return Err(vec![Diag::new(
                    &shown,
                    0,
                    "",
                    crate::msg!("E0408", reason = e),
                )]);
            }
        };
        let mut problems = Vec::new();
        if dir.join(JOURNAL).exists() {
            problems.push(Diag::new(&shown, 0, "", crate::msg!("E0451")));
        }
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // A link where the books keep their own files (.lock, .reopened) is refused:
            // nothing the books write may land elsewhere.
            if RESERVED.contains(&name.as_str()) && e.file_type().is_ok_and(|t| t.is_symlink()) {
                problems.push(Diag::new(
                    &crate::pathtext::show(&e.path()),
                    0,
                    "",
                    crate::msg!("E0452"),
                ));
                continue;
            }
            if RESERVED.contains(&name.as_str()) || is_temporary(&name) {
                continue;
            }
            let foreign = |why: crate::diag::Msg| {
                Diag::new(
                    &crate::pathtext::show(&e.path()),
                    0,
                    "",
                    crate::msg!("E0409", why = why, dir = shown),
                )
            };
            let Some(period) =
                Period::parse_bytes(name.as_bytes()).filter(|p| p.to_string() == name)
            else {
                problems.push(foreign(crate::msg!("E0410")));
                continue;
            };
            let mpath = e.path().join(crate::manifest::FILE);
            let Ok(bytes) = std::fs::read(&mpath) else {
                problems.push(foreign(crate::msg!("E0411")));
                continue;
            };
            let manifest: Manifest = match serde_json::from_slice(&bytes) {
                Ok(m) => m,
                Err(err) => {
                    problems.push(Diag::new(
                        &crate::pathtext::show(&mpath),
                        err.line(),
                        "",
                        crate::msg!("E0412", reason = err),
                    ));
                    continue;
                }
            };
            if manifest.books.as_ref().is_none_or(|b| b.period != name) {
                problems.push(foreign(crate::msg!("E0413")));
                continue;
            }
            books.closings.push(Closing {
                period,
                dir: e.path(),
                manifest,
                manifest_sha256: crate::manifest::sha256_hex(&bytes),
            });
        }
        books.closings.sort_by_key(|c| c.period);
        if let Some(first) = books.closings.first() {
            let g = first.period.granularity;
            for c in &books.closings {
                if c.period.granularity != g {
                    problems.push(Diag::new(
                        &crate::pathtext::show(&c.dir),
                        0,
                        "",
                        crate::msg!("E0414", granularity = g, first = first.period),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(books)
        } else {
            problems.sort();
            Err(problems)
        }
    }

    /// What a command builds on, checked without recomputing (the chain and the
    /// hashes): every manifest as written and chained to the one before, every file a
    /// closing recorded (its outputs and its copies of the configuration, entities file
    /// and profile) as hashed, and every such path inside its closing. `close`, `run
    /// --books`, `books balance` and `statement` refuse books that fail (`books verify`
    /// also recomputes).
    /// `integrity`, as what a command refuses with: nothing, or the books' heading
    /// ("the books do not verify; nothing was built on them") and every problem.
    pub fn verified(&self) -> Result<(), Vec<Diag>> {
        let broken = self.integrity();
        if broken.is_empty() {
            return Ok(());
        }
        let mut d = vec![Diag::new(
            &crate::pathtext::show(&self.dir),
            0,
            "",
            crate::msg!("E0449"),
        )];
        d.extend(broken);
        Err(d)
    }

    pub fn integrity(&self) -> Vec<Diag> {
        let mut out = Vec::new();
        let mut previous: Option<&str> = None;
        for c in &self.closings {
            let mpath = c.dir.join(crate::manifest::FILE).display().to_string();
            if !c.manifest.is_intact() || c.books().previous.as_deref() != previous {
                out.push(Diag::new(&mpath, 0, "", crate::msg!("E0428")));
            }
            previous = Some(c.manifest_sha256.as_str());
            let own = c
                .manifest
                .outputs
                .iter()
                .map(|o| (o.file.as_str(), o.sha256.as_str()))
                .chain(
                    c.manifest
                        .inputs
                        .iter()
                        .filter(|f| matches!(f.role.as_str(), "config" | "entities" | "profile"))
                        .filter(|f| f.role == "config" || !f.path.contains('/'))
                        .map(|f| (f.path.as_str(), f.sha256.as_str())),
                );
            for (name, sha) in own {
                let shown = c.dir.join(name).display().to_string();
                if !inside(name) {
                    out.push(Diag::new(&shown, 0, "", crate::msg!("E0447")));
                    continue;
                }
                match std::fs::read(c.dir.join(name)) {
                    Ok(b) if crate::manifest::sha256_hex(&b) == sha => {}
                    Ok(_) => out.push(Diag::new(&shown, 0, "", crate::msg!("E0448"))),
                    Err(_) => out.push(Diag::new(&shown, 0, "", crate::msg!("E0431"))),
                }
            }
        }
        out
    }

    /// The high-water mark: the latest closed period.
    pub fn mark(&self) -> Option<Period> {
        self.closings.last().map(|c| c.period)
    }

    /// The closing that booked a file with this SHA-256, if any.
    pub fn booked_by(&self, sha256: &str) -> Option<&Closing> {
        self.closings
            .iter()
            .find(|c| c.books().booked.iter().any(|b| b.sha256 == sha256))
    }
}

/// Read a figures file of a closing (`summary.csv`: period,zone,metric,party,amount, or
/// `adjustments.csv`: period,adjusts,zone,metric,party,amount, taking `adjusts`) into
/// `into`, adding amounts.
pub fn read_figures(
    path: &Path,
    adjustments: bool,
    model: &Model,
    into: &mut Figures,
) -> Result<(), Diag> {
    let shown = crate::pathtext::show(path);
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diag::new(&shown, 0, "", crate::msg!("E0415", reason = e)))?;
    for (line, fields) in super::table::output_rows(&text) {
        let f: Vec<&str> = fields.iter().map(String::as_str).collect();
        let at = |m: crate::diag::Msg| Diag::new(&shown, line, "", m);
        let f = if adjustments {
            if f.len() != 6 {
                return Err(at(crate::msg!("E0401", found = f.len(), expected = 6)));
            }
            &f[1..]
        } else {
            if f.len() != 5 {
                return Err(at(crate::msg!("E0401", found = f.len(), expected = 5)));
            }
            &f[..]
        };
        let period = Period::parse_bytes(f[0].as_bytes())
            .ok_or_else(|| at(crate::msg!("E0402", text = f[0])))?;
        let m = model
            .metric_index
            .get(f[2])
            .copied()
            .filter(|&m| model.metrics[m].id == f[2])
            .ok_or_else(|| at(crate::msg!("E0403", metric = f[2])))?;
        let units = parse_units(f[4], &model.metrics[m].quantum).map_err(at)?;
        let e = into
            .entry(FigureKey {
                period,
                zone: f[1].to_string(),
                metric: f[2].to_string(),
                party: f[3].to_string(),
            })
            .or_insert((0, m));
        e.0 += units;
    }
    Ok(())
}

/// A path a closing's manifest names for one of its own files: relative, without
/// `..`, so that it is read from inside the closing and nowhere else.
pub fn inside(name: &str) -> bool {
    let p = Path::new(name);
    !name.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// A closing's `obligations.csv` (SPEC §14), when it has one: its rows, amounts at
/// `decimals` places.
pub fn read_obligations(
    dir: &Path,
    decimals: u32,
    into: &mut Vec<ObligationRow>,
) -> Result<(), Diag> {
    let path = dir.join("obligations.csv");
    let shown = crate::pathtext::show(&path);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Diag::new(&shown, 0, "", crate::msg!("E0415", reason = e))),
    };
    for (line, f) in super::table::output_rows(&text) {
        let at = |m: crate::diag::Msg| Diag::new(&shown, line, "", m);
        if f.len() != 8 {
            return Err(at(crate::msg!("E0401", found = f.len(), expected = 8)));
        }
        let period = |t: &str| {
            Period::parse_bytes(t.as_bytes()).ok_or_else(|| at(crate::msg!("E0402", text = t)))
        };
        let amount = crate::num::parse_scaled(&f[6], decimals)
            .map_err(|e| at(crate::msg!("E0104", text = f[6], reason = e)))?;
        into.push(ObligationRow {
            period: period(&f[0])?,
            adjusts: if f[1].is_empty() {
                None
            } else {
                Some(period(&f[1])?)
            },
            zone: f[2].clone(),
            kind: f[3].clone(),
            payer: f[4].clone(),
            payee: f[5].clone(),
            amount,
            cite: f[7].clone(),
        });
    }
    Ok(())
}

/// Where a booked file is now: its absolute path as booked when it is still there, else
/// the path as it was given (the books moved with their files, relative to where the
/// command runs).
pub fn located(b: &crate::manifest::Booked) -> std::path::PathBuf {
    if crate::pathtext::parse(&b.absolute).exists() {
        crate::pathtext::parse(&b.absolute)
    } else {
        crate::pathtext::parse(&b.path)
    }
}
