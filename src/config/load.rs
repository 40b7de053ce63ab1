//! Reading, merging and validating the configuration.
//!
//! A directory is read as its `*.toml` files directly inside, in bytewise name order.
//! Tables merge key by key, arrays of tables concatenate, and a value written twice is
//! an error (a silent override would make an agreement depend on file names).
//! Validation does not stop at the first problem: it collects them all.

use super::schema::{
    At, CURRENT_FILE, DecText, RULE_KINDS, RawAgreement, RawBase, RawCentral, RawFile, RawKind,
    RawLevels, RawMetric, RawPhase, RawRule, RawTier, RawZone, ShareTable, kind_fields,
};
use crate::diag::Diag;
use crate::model::*;
use crate::msg;

mod merge;
mod obligation;
mod rule;
mod validate;
mod zone;
use crate::num::{Ratio, parse_ratio, split_decimal};
use crate::period::parse_date;
use merge::*;
use num_traits::{One, Signed, Zero};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use validate::*;
use zone::*;

/// Everything wrong with a configuration.
#[derive(Debug, thiserror::Error)]
#[error("{}", crate::diag::render(.0, 0))]
pub struct ConfigError(pub Vec<Diag>);

struct Sources {
    files: Vec<SourceFile>,
    texts: Vec<String>,
    /// Per file, the offsets of its line ends: a location's line is a binary search,
    /// not a count from the start of the file (30,000 zones name a million places).
    ends: Vec<Vec<usize>>,
}

impl Sources {
    fn line(&self, file: usize, offset: usize) -> usize {
        self.ends
            .get(file)
            .map_or(0, |e| e.partition_point(|&end| end < offset) + 1)
    }

    fn push(&mut self, file: SourceFile, text: String) {
        self.ends
            .push(memchr::memchr_iter(b'\n', text.as_bytes()).collect());
        self.files.push(file);
        self.texts.push(text);
    }
    fn path(&self, file: usize) -> &str {
        self.files.get(file).map_or("?", |f| f.path.as_str())
    }
    fn loc<T>(&self, at: &At<T>) -> Loc {
        Loc {
            file: self.path(at.file).to_string(),
            line: self.line(at.file, at.span.start),
        }
    }
}

struct Ctx {
    src: Sources,
    diags: Vec<Diag>,
}

impl Ctx {
    fn err<T>(&mut self, at: &At<T>, field: &str, msg: impl Into<crate::diag::Msg>) {
        let loc = self.src.loc(at);
        self.diags.push(Diag::new(&loc.file, loc.line, field, msg));
    }
}

/// Load a TOML file or a directory of `*.toml` files into a validated model.
pub fn load(path: &Path) -> Result<Model, ConfigError> {
    load_files(read_files(path)?, 0)
}

/// The configuration's files, as (path as shown, bytes).
pub fn read_files(path: &Path) -> Result<Vec<(String, Vec<u8>)>, ConfigError> {
    read_each(&list_files(path)?)
}

/// Each file's bytes, as (path as shown, bytes); every file that cannot be read is a
/// problem of its own.
fn read_each(paths: &[std::path::PathBuf]) -> Result<Vec<(String, Vec<u8>)>, ConfigError> {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        let shown = crate::pathtext::show(p);
        match std::fs::read(p) {
            Ok(b) => files.push((shown, b)),
            Err(e) => diags.push(Diag::new(
                &shown,
                0,
                "",
                msg!("E0222", reason = crate::i18n::io_reason(&e)),
            )),
        }
    }
    if diags.is_empty() {
        Ok(files)
    } else {
        Err(ConfigError(diags))
    }
}

/// Load a configuration and apply scenario files on top: a scenario's metrics replace
/// the metrics of the same id; an agreement with the same id and a `from` replaces the
/// whole agreement, one without `from` replaces (or adds) only the rules it lists; new
/// parties, zones and agreements are added.
pub fn load_with(path: &Path, scenarios: &[std::path::PathBuf]) -> Result<Model, ConfigError> {
    let mut paths = list_files(path)?;
    let n = paths.len();
    paths.extend_from_slice(scenarios);
    let files = read_each(&paths)?;
    load_files(files, if scenarios.is_empty() { 0 } else { n })
}

/// Validate configuration files given as (name, bytes), merged in the given order;
/// with `scenarios_from` > 0 the files from that index on are scenarios applied over
/// the others. This is `load` without the file system (tests, fuzzing).
pub fn load_files(
    files: Vec<(String, Vec<u8>)>,
    scenarios_from: usize,
) -> Result<Model, ConfigError> {
    match load_lenient(files, scenarios_from) {
        (Some(model), diags) if diags.is_empty() => Ok(model),
        (_, diags) => Err(ConfigError(diags)),
    }
}

/// A configuration's files read for `check`: every problem, and the model as far as
/// it could be validated (none when a file does not even parse), so that the records
/// can be checked against it too.
pub fn load_for_check(path: &Path) -> (Option<Model>, Vec<Diag>) {
    match read_files(path) {
        Ok(files) => load_lenient(files, 0),
        Err(e) => (None, e.0),
    }
}

fn load_lenient(
    files: Vec<(String, Vec<u8>)>,
    scenarios_from: usize,
) -> (Option<Model>, Vec<Diag>) {
    let mut src = Sources {
        files: Vec::new(),
        texts: Vec::new(),
        ends: Vec::new(),
    };
    let mut diags = Vec::new();
    let mut raws = Vec::new();
    let mut repaired: Vec<usize> = Vec::new();
    let mut repaired_any = false;
    for (shown, bytes) in files {
        let text = match String::from_utf8(bytes.clone()) {
            Ok(t) => t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t),
            Err(e) => {
                diags.push(Diag::new(
                    &shown,
                    0,
                    "",
                    msg!("E0187", offset = e.utf8_error().valid_up_to()),
                ));
                continue;
            }
        };
        let idx = src.files.len();
        src.push(
            SourceFile {
                path: shown.clone(),
                bytes,
            },
            text,
        );
        CURRENT_FILE.with(|c| c.set(idx));
        // A file that is TOML but does not fit the schema (a string where a number
        // goes, an unknown key) is reported key by key: each offending `key = value`
        // line is blanked (offsets and lines kept) and the file read again, so one
        // slip does not hide the rest of the file, nor the records (`check`).
        let mut text = src.texts[idx].clone();
        let schema_only = toml::from_str::<toml::Table>(&text).is_ok();
        let mut parsed = toml::from_str::<RawFile>(&text);
        for _ in 0..64 {
            let Err(e) = &parsed else { break };
            let line = e.span().map_or(0, |s| src.line(idx, s.start));
            diags.push(Diag::new(
                &shown,
                line,
                "",
                with_key_hint(e.message().trim()),
            ));
            let Some(span) = e.span().filter(|_| schema_only) else {
                break;
            };
            if !blank_key(&mut text, span) {
                break;
            }
            repaired.push(diags.len() - 1);
            parsed = toml::from_str::<RawFile>(&text);
        }
        // Every float of the file, at its line — but a line the schema already
        // refused (a float where a name or a year goes) is said once.
        let refused: std::collections::BTreeSet<usize> = diags
            .iter()
            .filter(|d| d.file == shown)
            .map(|d| d.line)
            .collect();
        for (start, v) in floats(&src.texts[idx]) {
            let line = src.line(idx, start);
            if !refused.contains(&line) {
                diags.push(Diag::new(&shown, line, "", msg!("E0186", value = v)));
            }
        }
        match parsed {
            Ok(raw) => {
                raws.push((idx, raw));
                repaired_any |= !repaired.is_empty();
                repaired.clear();
            }
            Err(_) => repaired.clear(),
        }
    }
    diags.sort();
    diags.dedup();
    if repaired_any && raws.len() == src.files.len() {
        // Only keys were wrong: the model is what the rest of the files say, for the
        // records to be checked against; what validation would add about the blanked
        // keys (now missing) is left out, the keys themselves are reported.
        let (model, _) = validate_raws(src, raws, scenarios_from, Vec::new());
        return (model, diags);
    }
    if diags.iter().any(|d| d.code != "E0186") {
        // A file that does not parse would make everything it declares look missing;
        // report the syntax problems alone.
        return (None, diags);
    }
    validate_raws(src, raws, scenarios_from, diags)
}

/// Merge the parsed files, apply scenarios and `set`, validate.
fn validate_raws(
    src: Sources,
    raws: Vec<(usize, RawFile)>,
    scenarios_from: usize,
    diags: Vec<Diag>,
) -> (Option<Model>, Vec<Diag>) {
    let mut ctx = Ctx { src, diags };
    let (base, scen): (Vec<_>, Vec<_>) = raws
        .into_iter()
        .partition(|(i, _)| scenarios_from == 0 || *i < scenarios_from);
    for (_, b) in &base {
        if let Some(set) = &b.set {
            ctx.err(set, "set", msg!("E0101"));
        }
    }
    let mut merged = merge(&mut ctx, base.into_iter().map(|(_, r)| r).collect());
    let mut sets = Vec::new();
    for (_, mut s) in scen {
        if let Some(set) = s.set.take() {
            sets.push(set);
        }
        apply_scenario(&mut merged, s);
    }
    let input = merged.input.take();
    let mut model = validate(&mut ctx, merged);
    if let Some(inp) = input {
        let names = [
            "period",
            "zone",
            "entity",
            "metric",
            "amount",
            "entity_start",
        ];
        for (col, aliases) in &inp.value.columns {
            match names.iter().position(|n| n == col) {
                Some(i) => model.input.columns.push((i, aliases.clone())),
                None => ctx.err(
                    &inp,
                    "input.columns",
                    msg!(
                        "E0102",
                        col = col,
                        hint = crate::suggest::hint(col, names.iter()),
                        names = names.join(", ")
                    ),
                ),
            }
        }
    }
    for set in sets {
        for text in &set.value {
            let op = match super::overlay::SetOp::parse(text) {
                Ok(op) => op,
                Err(m) => {
                    ctx.err(&set, "set", m);
                    continue;
                }
            };
            if let Err(m) = super::overlay::apply(&mut model, &op) {
                ctx.err(&set, "set", m);
            }
        }
    }
    ctx.diags.sort();
    ctx.diags.dedup();
    (Some(model), ctx.diags)
}

/// Blank the `key = value` line(s) holding `span` (a value the schema refused), keeping
/// every byte offset and line; false when the span is not such a value (a table header,
/// a part of an inline table), which is then left as it is.
fn blank_key(text: &mut String, span: std::ops::Range<usize>) -> bool {
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[span.end.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let line = text[start..end].trim_start();
    let key = line.split('=').next().unwrap_or("");
    if line.starts_with('[') || !line.contains('=') || key.contains('{') {
        return false;
    }
    if span.start > start + text[start..].find('=').unwrap_or(0) + 1
        && text[start..span.start].contains('{')
    {
        return false;
    }
    let blanked: String = text[start..end]
        .chars()
        .flat_map(|c| {
            let n = if c == '\n' { 0 } else { c.len_utf8() };
            std::iter::repeat_n(' ', n).chain((c == '\n').then_some('\n'))
        })
        .collect();
    let before = text.clone();
    text.replace_range(start..end, &blanked);
    // A value spread over lines the span did not cover would leave a syntax error.
    if toml::from_str::<toml::Table>(text).is_err() {
        *text = before;
        return false;
    }
    true
}

/// Every TOML float of a file: where it starts (a byte offset) and its value, from
/// the `toml` crate's own parse, whose values carry their spans. None for a file that
/// is not TOML (its syntax error is what is said).
fn floats(text: &str) -> Vec<(usize, f64)> {
    use toml::de::{DeTable, DeValue};
    fn walk(v: &toml::Spanned<DeValue<'_>>, out: &mut Vec<(usize, f64)>) {
        match v.get_ref() {
            DeValue::Float(f) => {
                if let Ok(x) = f.as_str().parse::<f64>() {
                    out.push((v.span().start, x));
                }
            }
            DeValue::Array(a) => a.iter().for_each(|v| walk(v, out)),
            DeValue::Table(t) => t.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(t) = DeTable::parse(text) {
        t.get_ref().values().for_each(|v| walk(v, &mut out));
    }
    out.sort_by_key(|&(at, _)| at);
    out
}

fn list_files(path: &Path) -> Result<Vec<std::path::PathBuf>, ConfigError> {
    let shown = crate::pathtext::show(path);
    let meta = std::fs::metadata(path).map_err(|e| {
        ConfigError(vec![Diag::new(
            &shown,
            0,
            "",
            msg!("E0188", reason = crate::i18n::io_reason(&e)),
        )])
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let rd = std::fs::read_dir(path).map_err(|e| {
        ConfigError(vec![Diag::new(
            &shown,
            0,
            "",
            msg!("E0189", reason = crate::i18n::io_reason(&e)),
        )])
    })?;
    let mut files: Vec<_> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort_by(|a, b| {
        a.file_name()
            .map(|n| n.as_encoded_bytes().to_vec())
            .cmp(&b.file_name().map(|n| n.as_encoded_bytes().to_vec()))
    });
    if files.is_empty() {
        return Err(ConfigError(vec![Diag::new(&shown, 0, "", msg!("E0190"))]));
    }
    Ok(files)
}

/// serde's "unknown field `shars`, expected one of `id`, `shares`" plus a did-you-mean.
fn with_key_hint(message: &str) -> crate::diag::Msg {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return msg!("E0183", reason = message);
    };
    let Some((key, expected)) = rest.split_once('`') else {
        return msg!("E0183", reason = message);
    };
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match crate::suggest::closest(key, known.iter()) {
        Some(k) => msg!("E0184", key = key, name = k, known = known.join(", ")),
        None => msg!("E0185", key = key, known = known.join(", ")),
    }
}
