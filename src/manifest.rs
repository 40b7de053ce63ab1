//! `manifest.json`: what an auditor needs to replay a run byte for byte.
//!
//! Tool and version, the options, every input file (configuration, records, files
//! referenced such as `--expect`) with its SHA-256, every output's SHA-256 and row
//! count, and the control totals per metric. Keys are sorted and nothing depends on
//! the clock, so the same run gives the same manifest. `self_sha256` is the hash of
//! the manifest written with that field empty: `verify` uses it to tell an altered
//! manifest from an altered file.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const FILE: &str = "manifest.json";

/// `to` relative to the directory `from` (both made absolute, not resolved through
/// symbolic links), with `..` where needed.
pub fn relative(from: &std::path::Path, to: &std::path::Path) -> Option<String> {
    use std::path::Component;
    let norm = |p: &std::path::Path| -> Option<Vec<std::ffi::OsString>> {
        let mut out: Vec<std::ffi::OsString> = Vec::new();
        for c in std::path::absolute(p).ok()?.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other.as_os_str().to_os_string()),
            }
        }
        Some(out)
    };
    let (f, t) = (norm(from)?, norm(to)?);
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| crate::pathtext::show(std::path::Path::new(c))),
    );
    Some(if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Options of the run, enough to recompute it: the command that wrote the manifest
/// (`run` or `close`) and the arguments of `run` it amounts to — the same struct the
/// command line parses into, so an option is defined once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    pub command: String,
    #[serde(flatten)]
    pub run: crate::cli::RunArgs,
    /// `quota`: its own files and options (SPEC §13.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<QuotaOptions>,
}

/// What a `quota` run adds to the options of `run`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaOptions {
    #[serde(with = "crate::pathtext::many")]
    pub allocations: Vec<std::path::PathBuf>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "crate::pathtext::many"
    )]
    pub transfers: Vec<std::path::PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default)]
    pub strict: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
    /// Data rows (records files), or null.
    pub rows: Option<u64>,
    /// config, records or expect.
    pub role: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OutputFile {
    pub file: String,
    pub sha256: String,
    pub rows: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ControlTotal {
    pub metric: String,
    pub unit: String,
    pub input: String,
    pub allocated: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub options: Options,
    pub inputs: Vec<InputFile>,
    pub outputs: Vec<OutputFile>,
    pub records: u64,
    pub cells: u64,
    pub control_totals: Vec<ControlTotal>,
    /// Every path of the options and inputs, as given → relative to the manifest's
    /// directory, so that `verify` works from any directory.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub paths: std::collections::BTreeMap<String, String>,
    /// For a closing of the books (SPEC §9.1): its place in the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub books: Option<BooksInfo>,
    /// A closing that booked records of earlier periods (late lines, SPEC §9): how many
    /// of `records` they are and their input per metric (the control totals are the
    /// closed period's alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<LateInfo>,
    /// A closing that booked an amendment (SPEC §15): why, and what changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amendment: Option<AmendmentInfo>,
    pub self_sha256: String,
}

/// `"late": {"records": 2, "totals": [{"metric": "vat", "unit": "元", "input": "16000.00"}]}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LateInfo {
    pub records: u64,
    pub totals: Vec<LateTotal>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LateTotal {
    pub metric: String,
    pub unit: String,
    pub input: String,
}

/// `"amendment": {"reason": …, "changed": ["config", …]}` (SPEC §15, §16).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AmendmentInfo {
    pub reason: String,
    pub changed: Vec<String>,
}

/// What a closing's manifest adds (SPEC §9.1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BooksInfo {
    pub period: String,
    /// SHA-256 of the previous closing's manifest.json, or null for the first.
    pub previous: Option<String>,
    /// Every booked file re-read for this closing, with the closing that booked it.
    pub replayed: Vec<Replayed>,
    /// The files this closing booked: the new files of its `close` command (the other
    /// closings of the same command book none).
    #[serde(default)]
    pub booked: Vec<Booked>,
    /// The calendar years of the booked files' lines: a later closing re-reads them
    /// only when its truth covers one of these years.
    #[serde(default)]
    pub years: Vec<i32>,
    /// The `close` command that made this closing: its `--period` and every period it
    /// closed, in order (so `books verify` replays it as one command).
    #[serde(default)]
    pub command_period: Option<String>,
    #[serde(default)]
    pub closed: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Replayed {
    pub path: String,
    pub sha256: String,
    pub closing: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Booked {
    /// As given on the command line, and absolute, so that the books can be replayed
    /// from any directory.
    pub path: String,
    pub absolute: String,
    pub sha256: String,
    /// `records` or `deductions`.
    pub role: String,
}

impl Manifest {
    fn body(&self) -> String {
        let mut m = self.clone();
        m.self_sha256 = String::new();
        let v = serde_json::to_value(&m).unwrap_or_default();
        // serde_json's map is sorted, so the key order is stable.
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }

    /// Fill in `self_sha256` and render.
    pub fn render(mut self) -> String {
        self.self_sha256 = sha256_hex(self.body().as_bytes());
        let v = serde_json::to_value(&self).unwrap_or_default();
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }

    /// True if the manifest is as `render` wrote it.
    pub fn is_intact(&self) -> bool {
        sha256_hex(self.body().as_bytes()) == self.self_sha256
    }
}
