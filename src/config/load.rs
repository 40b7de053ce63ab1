//! Reading, merging and validating the configuration.
//!
//! A directory is read as its `*.toml` files directly inside, in bytewise name order.
//! Tables merge key by key, arrays of tables concatenate, and a value written twice is
//! an error (a silent override would make an agreement depend on file names).
//! Validation does not stop at the first problem: it collects them all.

use super::schema::{
    At, CURRENT_FILE, DecText, RawAgreement, RawBase, RawCentral, RawFile, RawLevels, RawMetric,
    RawRule, RawZone, ShareTable,
};
use crate::diag::Diag;
use crate::formula::Var;
use crate::model::*;
use crate::msg;

mod obligation;
mod rule;
use crate::num::{Ratio, parse_ratio, split_decimal};
use crate::period::parse_date;
use num_traits::{One, Signed, Zero};
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

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
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in list_files(path)? {
        let shown = crate::pathtext::show(&p);
        match std::fs::read(&p) {
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
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let base = list_files(path)?;
    let n = base.len();
    for p in base.iter().chain(scenarios) {
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
    if !diags.is_empty() {
        return Err(ConfigError(diags));
    }
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
        super::schema::FLOATS.with(|f| f.borrow_mut().clear());
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
        let floats = super::schema::FLOATS.with(|f| std::mem::take(&mut *f.borrow_mut()));
        for (_, v) in floats {
            let line = float_line(&src.texts[idx], v);
            diags.push(Diag::new(&shown, line, "", msg!("E0186", value = v)));
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
    // A float was reported where it was written; the value it left is not a decimal.
    ctx.diags.retain(|d| {
        !d.message
            .contains(&format!("'{}", super::schema::FLOAT_MARK))
    });
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

/// The line of a TOML float with value `v`: the first unquoted number after `=` (or in
/// an inline table or array) that reads as `v`.
fn float_line(text: &str, v: f64) -> usize {
    for (i, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or("");
        let mut in_str = false;
        let mut token = String::new();
        for c in code.chars().chain(std::iter::once(' ')) {
            if c == '"' || c == '\'' {
                in_str = !in_str;
                token.clear();
                continue;
            }
            if in_str {
                continue;
            }
            if c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+' | '_') {
                token.push(c);
            } else {
                if (token.contains('.') || token.contains('e') || token.contains('E'))
                    && token.replace('_', "").parse::<f64>() == Ok(v)
                {
                    return i + 1;
                }
                token.clear();
            }
        }
    }
    0
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

fn merge_opt<T>(ctx: &mut Ctx, into: &mut Option<At<T>>, from: Option<At<T>>, path: &str) {
    if let Some(v) = from {
        if let Some(first) = into {
            let first_loc = ctx.src.loc(first);
            ctx.err(&v, path, msg!("E0103", first = first_loc));
        } else {
            *into = Some(v);
        }
    }
}

fn merge(ctx: &mut Ctx, raws: Vec<RawFile>) -> RawFile {
    let mut out = RawFile::default();
    for raw in raws {
        merge_opt(ctx, &mut out.input, raw.input, "input");
        out.party.extend(raw.party);
        for (id, m) in raw.metric {
            match out.metric.get_mut(&id) {
                None => {
                    out.metric.insert(id, m);
                }
                Some(into) => {
                    let path = format!("metric.{id}");
                    let m = m.value;
                    let i = &mut into.value;
                    merge_opt(ctx, &mut i.name, m.name, &format!("{path}.name"));
                    merge_opt(ctx, &mut i.kind, m.kind, &format!("{path}.kind"));
                    merge_opt(ctx, &mut i.unit, m.unit, &format!("{path}.unit"));
                    merge_opt(ctx, &mut i.quantum, m.quantum, &format!("{path}.quantum"));
                    merge_opt(
                        ctx,
                        &mut i.central_share,
                        m.central_share,
                        &format!("{path}.central_share"),
                    );
                    merge_opt(ctx, &mut i.levels, m.levels, &format!("{path}.levels"));
                    merge_opt(ctx, &mut i.aliases, m.aliases, &format!("{path}.aliases"));
                    merge_opt(ctx, &mut i.pool, m.pool, &format!("{path}.pool"));
                    merge_opt(
                        ctx,
                        &mut i.assessment,
                        m.assessment,
                        &format!("{path}.assessment"),
                    );
                    merge_opt(ctx, &mut i.exempt, m.exempt, &format!("{path}.exempt"));
                }
            }
        }
        for (id, z) in raw.zone {
            match out.zone.get_mut(&id) {
                None => {
                    out.zone.insert(id, z);
                }
                Some(into) => {
                    let path = format!("zone.{id}");
                    let z = z.value;
                    let i = &mut into.value;
                    merge_opt(ctx, &mut i.name, z.name, &format!("{path}.name"));
                    merge_opt(ctx, &mut i.host, z.host, &format!("{path}.host"));
                    merge_opt(ctx, &mut i.aliases, z.aliases, &format!("{path}.aliases"));
                    merge_opt(ctx, &mut i.levels, z.levels, &format!("{path}.levels"));
                    i.agreement.extend(z.agreement);
                    i.guarantee.extend(z.guarantee);
                    i.returns.extend(z.returns);
                }
            }
        }
    }
    out
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

fn apply_scenario(base: &mut RawFile, scen: RawFile) {
    base.party.extend(scen.party);
    for (id, m) in scen.metric {
        base.metric.insert(id, m);
    }
    for (id, z) in scen.zone {
        let Some(bz) = base.zone.get_mut(&id) else {
            base.zone.insert(id, z);
            continue;
        };
        let z = z.value;
        let bz = &mut bz.value;
        if z.name.is_some() {
            bz.name = z.name;
        }
        if z.host.is_some() {
            bz.host = z.host;
        }
        if z.levels.is_some() {
            bz.levels = z.levels;
        }
        // An offer's obligations replace the signed ones (a scenario is one offer).
        if !z.guarantee.is_empty() {
            bz.guarantee = z.guarantee;
        }
        if !z.returns.is_empty() {
            bz.returns = z.returns;
        }
        for a in z.agreement {
            let aid = a.value.id.as_ref().map(|i| i.value.clone());
            let pos = bz
                .agreement
                .iter()
                .position(|b| b.value.id.as_ref().map(|i| &i.value) == aid.as_ref());
            match pos {
                None => bz.agreement.push(a),
                Some(i) if a.value.from.is_some() => bz.agreement[i] = a,
                Some(i) => {
                    let ba = &mut bz.agreement[i].value;
                    let a = a.value;
                    if a.to.is_some() {
                        ba.to = a.to;
                    }
                    if a.cite.is_some() {
                        ba.cite = a.cite;
                    }
                    for r in a.rule {
                        let rid = r.value.id.as_ref().map(|i| i.value.clone());
                        match ba
                            .rule
                            .iter()
                            .position(|b| b.value.id.as_ref().map(|i| &i.value) == rid.as_ref())
                        {
                            Some(j) => ba.rule[j] = r,
                            None => ba.rule.push(r),
                        }
                    }
                }
            }
        }
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Whether party `p`, named at `at`, is declared; if not, says so there (with the
/// closest declared party).
fn declared<T>(ctx: &mut Ctx, at: &At<T>, field: &str, p: &str, parties: &HashSet<String>) -> bool {
    if parties.contains(p) {
        return true;
    }
    ctx.err(
        at,
        field,
        msg!(
            "E0138",
            party = p,
            hint = crate::suggest::hint(p, parties.iter())
        ),
    );
    false
}

fn ratio_of(ctx: &mut Ctx, at: &At<DecText>, field: &str) -> Option<Ratio> {
    match parse_ratio(&at.value.0) {
        Ok(r) => Some(r),
        Err(e) => {
            ctx.err(at, field, msg!("E0104", text = at.value.0, reason = e));
            None
        }
    }
}

fn date_of(ctx: &mut Ctx, at: &At<String>, field: &str) -> Option<chrono::NaiveDate> {
    let d = parse_date(&at.value);
    if d.is_none() {
        ctx.err(at, field, msg!("E0105", text = at.value));
    }
    d
}

fn validate(ctx: &mut Ctx, raw: RawFile) -> Model {
    // Parties.
    let mut parties = Vec::new();
    let mut seen: HashMap<String, Loc> = HashMap::new();
    for p in &raw.party {
        let Some(id) = &p.value.id else {
            ctx.err(p, "party.id", msg!("E0106"));
            continue;
        };
        if !valid_id(&id.value) {
            ctx.err(id, "party.id", msg!("E0107", text = id.value));
        } else if id.value == CENTRAL {
            ctx.err(id, "party.id", msg!("E0108"));
        } else if id.value == DEDUCTION {
            ctx.err(id, "party.id", msg!("E0109"));
        } else if let Some(first) = seen.get(&id.value) {
            let first = first.clone();
            ctx.err(
                id,
                "party.id",
                msg!("E0110", party = id.value, first = first),
            );
        } else {
            seen.insert(id.value.clone(), ctx.src.loc(id));
            parties.push(Party {
                id: id.value.clone(),
                name: p
                    .value
                    .name
                    .as_ref()
                    .map_or_else(|| id.value.clone(), |n| n.value.clone()),
                code: p.value.code.as_ref().map(|c| c.value.clone()),
            });
        }
    }
    let party_ids: HashSet<String> = parties.iter().map(|p| p.id.clone()).collect();

    // Metrics.
    let mut metrics = Vec::new();
    let mut metric_index = FxHashMap::default();
    for (id, m) in &raw.metric {
        if let Some(metric) = validate_metric(ctx, id, m, &party_ids) {
            metric_index.insert(id.clone(), metrics.len());
            metrics.push(metric);
        }
    }
    link_pools(ctx, &raw.metric, &mut metrics, &metric_index);
    // Names and aliases are accepted wherever ids are (SPEC §10, §11): one namespace.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, m) in metrics.iter().enumerate() {
        let mut words: Vec<(&str, &str)> =
            m.aliases.iter().map(|a| (a.as_str(), "alias")).collect();
        if m.name != m.id {
            words.insert(0, (m.name.as_str(), "name"));
        }
        for (a, what) in words {
            let clash = metric_index
                .get(a)
                .copied()
                .filter(|&j| j != i)
                .or_else(|| by_name.get(a).copied().filter(|&j| j != i));
            if let Some(j) = clash {
                let at = &raw.metric[&m.id];
                let field = if what == "name" { "name" } else { "aliases" };
                ctx.err(
                    at,
                    &format!("metric.{}.{field}", m.id),
                    msg!(
                        "E0111",
                        what = crate::i18n::t(if what == "name" {
                            "word.name"
                        } else {
                            "word.alias"
                        }),
                        name = a,
                        other = metrics[j].id
                    ),
                );
            } else {
                by_name.entry(a.to_string()).or_insert(i);
            }
        }
    }
    for (a, i) in by_name {
        metric_index.entry(a).or_insert(i);
    }

    // Zones.
    let mut zones = Vec::new();
    let mut zone_index = FxHashMap::default();
    let mut level_parties: HashSet<String> = metrics
        .iter()
        .flat_map(|m| m.levels.parties())
        .map(str::to_string)
        .collect();
    for z in raw.zone.values() {
        for l in z.value.levels.iter().flat_map(|t| t.value.values()) {
            match &l.value {
                RawLevels::Plain(p) => level_parties.extend(p.keys().cloned()),
                RawLevels::Dated(d) => {
                    level_parties.extend(d.iter().flat_map(|e| e.parts.keys().cloned()))
                }
            }
        }
    }
    for (id, z) in &raw.zone {
        let zone = validate_zone(
            ctx,
            id,
            z,
            &party_ids,
            &metric_index,
            &metrics,
            &level_parties,
        );
        if let Some(zone) = zone {
            zone_index.insert(id.clone(), zones.len());
            zones.push(zone);
        }
    }
    let aliases: Vec<(usize, String, &str)> = zones
        .iter()
        .enumerate()
        .flat_map(|(i, z)| {
            let name = (z.name != z.id).then(|| (i, z.name.clone(), "name"));
            name.into_iter()
                .chain(z.aliases.iter().map(move |a| (i, a.clone(), "alias")))
        })
        .collect();
    for (i, a, what) in aliases {
        if let Some(&j) = zone_index.get(&a) {
            if j != i {
                let at = &raw.zone[&zones[i].id];
                let other = zones[j].id.clone();
                let field = if what == "name" { "name" } else { "aliases" };
                ctx.err(
                    at,
                    &format!("zone.{}.{field}", zones[i].id),
                    msg!(
                        "E0112",
                        what = crate::i18n::t(if what == "name" {
                            "word.name"
                        } else {
                            "word.alias"
                        }),
                        name = a,
                        other = other
                    ),
                );
            }
        } else {
            zone_index.insert(a, i);
        }
    }

    let zone_small = crate::model::pack_names(&zone_index);
    Model {
        parties,
        metrics,
        files: ctx.src.files.clone(),
        metric_small: crate::model::pack_names(&metric_index),
        undated_small: crate::model::undated_zones(&zone_small, &zones),
        zones,
        zone_small,
        metric_index,
        zone_index,
        entities: Entities::default(),
        needs_entity: false,
        watch: Default::default(),
        input: Default::default(),
    }
}

fn validate_metric(
    ctx: &mut Ctx,
    id: &str,
    at: &At<RawMetric>,
    parties: &HashSet<String>,
) -> Option<Metric> {
    let path = format!("metric.{id}");
    let m = &at.value;
    let mut ok = true;
    if !valid_id(id) {
        ctx.err(at, &path, msg!("E0113", text = id));
        ok = false;
    }
    let kind = match m.kind.as_ref().map(|k| (k, k.value.as_str())) {
        Some((_, "tax")) => Some(MetricKind::Tax),
        Some((_, "statistic")) => Some(MetricKind::Statistic),
        Some((_, "quota")) => Some(MetricKind::Quota),
        Some((k, other)) => {
            ctx.err(k, &format!("{path}.kind"), msg!("E0114", text = other));
            None
        }
        None => {
            ctx.err(at, &format!("{path}.kind"), msg!("E0115"));
            None
        }
    };
    let quantum = match &m.quantum {
        None => {
            ctx.err(at, &format!("{path}.quantum"), msg!("E0116"));
            None
        }
        Some(q) => match split_decimal(&q.value.0) {
            Ok((neg, int, frac)) => {
                let decimals = frac.len() as u32;
                let scaled: Option<i128> = format!("{int}{frac}").parse().ok();
                match scaled {
                    Some(s) if !neg && s > 0 && decimals <= 18 => Some(Quantum {
                        text: q.value.0.clone(),
                        decimals,
                        scaled: s,
                        value: parse_ratio(&q.value.0).ok()?,
                    }),
                    _ => {
                        ctx.err(
                            q,
                            &format!("{path}.quantum"),
                            msg!("E0117", text = q.value.0),
                        );
                        None
                    }
                }
            }
            Err(e) => {
                ctx.err(
                    q,
                    &format!("{path}.quantum"),
                    msg!("E0104", text = q.value.0, reason = e),
                );
                None
            }
        },
    };
    let levels = match (&m.central_share, &m.levels) {
        (Some(c), Some(_)) => {
            ctx.err(c, &format!("{path}.central_share"), msg!("E0118"));
            ok = false;
            Levels::None
        }
        (Some(c), None) => central_levels(ctx, c, &format!("{path}.central_share"), &mut ok),
        (None, Some(l)) => match parse_levels(ctx, l, &l.value, &format!("{path}.levels"), parties)
        {
            Some(v) => v,
            None => {
                ok = false;
                Levels::None
            }
        },
        (None, None) => Levels::None,
    };
    let dual = match &m.assessment {
        None => false,
        Some(a) if a.value == "dual" => {
            if kind.is_some_and(|k| k != MetricKind::Statistic) {
                ctx.err(a, &format!("{path}.assessment"), msg!("E0119"));
                ok = false;
            }
            true
        }
        Some(a) => {
            ctx.err(
                a,
                &format!("{path}.assessment"),
                msg!("E0120", text = a.value),
            );
            ok = false;
            false
        }
    };
    let aliases = m
        .aliases
        .as_ref()
        .map(|a| a.value.clone())
        .unwrap_or_default();
    let exempt_tag = m.exempt.as_ref().and_then(|e| {
        let field = format!("{path}.exempt");
        if kind.is_some_and(|k| k != MetricKind::Quota) {
            ctx.err(e, &field, msg!("E0198"));
            return None;
        }
        match e.value.iter().next() {
            Some((k, v)) if e.value.len() == 1 && k == "tag" && !v.trim().is_empty() => {
                Some(v.trim().to_string())
            }
            _ => {
                ctx.err(e, &field, msg!("E0199"));
                None
            }
        }
    });
    Some(Metric {
        exempt_tag,
        id: id.to_string(),
        name: m
            .name
            .as_ref()
            .map_or_else(|| id.to_string(), |n| n.value.clone()),
        kind: kind?,
        unit: m
            .unit
            .as_ref()
            .map_or_else(String::new, |u| u.value.clone()),
        quantum: quantum?,
        levels,
        aliases,
        pool: Vec::new(),
        pool_of: None,
        dual,
    })
    // A metric with a bad level or view is still declared (its problem is reported),
    // so that rules and records naming it are checked as well.
    .filter(|_| ok || valid_id(id))
}

/// `central_share = c` (plain or dated) as levels `{ central = c }`.
fn central_levels(ctx: &mut Ctx, c: &At<RawCentral>, field: &str, ok: &mut bool) -> Levels {
    let check = |ctx: &mut Ctx, r: Option<Ratio>| -> Option<Ratio> {
        let r = r?;
        if r.is_negative() || r > Ratio::one() {
            ctx.err(c, field, msg!("E0121"));
            return None;
        }
        Some(r)
    };
    let central = |r: Ratio| vec![(CENTRAL.to_string(), r)];
    match &c.value {
        RawCentral::Plain(d) => {
            let r = parse_ratio(&d.0)
                .map_err(|e| ctx.err(c, field, msg!("E0104", text = d.0, reason = e)))
                .ok();
            match check(ctx, r) {
                Some(r) => Levels::Plain(central(r)),
                None => {
                    *ok = false;
                    Levels::None
                }
            }
        }
        RawCentral::Dated(list) => {
            let mut out = Vec::new();
            for e in list {
                let d = parse_date(&e.from);
                if d.is_none() {
                    ctx.err(c, field, msg!("E0105", text = e.from));
                }
                let r = parse_ratio(&e.ratio.0)
                    .map_err(|er| ctx.err(c, field, msg!("E0104", text = e.ratio.0, reason = er)))
                    .ok();
                let r = check(ctx, r);
                match (d, r) {
                    (Some(d), Some(r)) => out.push((d, central(r))),
                    _ => *ok = false,
                }
            }
            out.sort_by_key(|(d, _)| *d);
            if out.windows(2).any(|w| w[0].0 == w[1].0) {
                ctx.err(c, field, msg!("E0122"));
                *ok = false;
            }
            Levels::Dated(out)
        }
    }
}

/// One entry of `levels`: parties are `central` or declared, ratios ≥ 0, summing to
/// at most 1 (SPEC §8.1).
fn level_parts<T>(
    ctx: &mut Ctx,
    at: &At<T>,
    parts: &BTreeMap<String, DecText>,
    field: &str,
    parties: &HashSet<String>,
) -> Option<LevelParts> {
    let mut out = Vec::new();
    let mut ok = true;
    if parts.is_empty() {
        ctx.err(at, field, msg!("E0123"));
        return None;
    }
    for (p, v) in parts {
        if p == DEDUCTION {
            ctx.err(at, field, msg!("E0124"));
            ok = false;
            continue;
        }
        if p != CENTRAL && !parties.contains(p) {
            ctx.err(
                at,
                field,
                msg!(
                    "E0125",
                    party = p,
                    hint = crate::suggest::hint(p, parties.iter())
                ),
            );
            ok = false;
            continue;
        }
        match parse_ratio(&v.0) {
            Ok(r) if r.is_negative() || r > Ratio::one() => {
                ctx.err(at, &format!("{field}.{p}"), msg!("E0126", text = v.0));
                ok = false;
            }
            Ok(r) => out.push((p.clone(), r)),
            Err(e) => {
                ctx.err(
                    at,
                    &format!("{field}.{p}"),
                    msg!("E0104", text = v.0, reason = e),
                );
                ok = false;
            }
        }
    }
    let sum: Ratio = out.iter().map(|(_, r)| r.clone()).sum();
    if ok && sum > Ratio::one() {
        ctx.err(at, field, msg!("E0127", sum = crate::num::ratio_text(&sum)));
        ok = false;
    }
    ok.then_some(out)
}

/// `levels`, plain or dated.
fn parse_levels<T>(
    ctx: &mut Ctx,
    at: &At<T>,
    raw: &RawLevels,
    field: &str,
    parties: &HashSet<String>,
) -> Option<Levels> {
    match raw {
        RawLevels::Plain(parts) => {
            Some(Levels::Plain(level_parts(ctx, at, parts, field, parties)?))
        }
        RawLevels::Dated(list) => {
            let mut out = Vec::new();
            let mut ok = true;
            for e in list {
                let d = parse_date(&e.from);
                if d.is_none() {
                    ctx.err(at, field, msg!("E0105", text = e.from));
                }
                match (d, level_parts(ctx, at, &e.parts, field, parties)) {
                    (Some(d), Some(p)) => out.push((d, p)),
                    _ => ok = false,
                }
            }
            out.sort_by_key(|(d, _)| *d);
            if out.windows(2).any(|w| w[0].0 == w[1].0) {
                ctx.err(at, field, msg!("E0122"));
                ok = false;
            }
            ok.then_some(Levels::Dated(out))
        }
    }
}

/// Pools (SPEC §8.3): components exist, have the pool's kind and quantum, belong to
/// one pool, and are not pools; a pool has no levels of its own.
fn link_pools(
    ctx: &mut Ctx,
    raw: &BTreeMap<String, At<RawMetric>>,
    metrics: &mut [Metric],
    index: &FxHashMap<String, usize>,
) {
    let mut links: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, m) in metrics.iter().enumerate() {
        let Some(at) = raw.get(&m.id) else { continue };
        let Some(pool) = &at.value.pool else { continue };
        let field = format!("metric.{}.pool", m.id);
        if at.value.levels.is_some() || at.value.central_share.is_some() {
            ctx.err(at, &field, msg!("E0128"));
        }
        if pool.value.is_empty() {
            ctx.err(pool, &field, msg!("E0129"));
        }
        let mut comps = Vec::new();
        for c in &pool.value {
            match index.get(c).copied().filter(|&j| metrics[j].id == *c) {
                None => ctx.err(
                    pool,
                    &field,
                    msg!(
                        "E0130",
                        metric = c,
                        hint = crate::suggest::hint(c, metrics.iter().map(|x| &x.id))
                    ),
                ),
                Some(j) if j == i => ctx.err(pool, &field, msg!("E0131")),
                Some(j) => {
                    let cm = &metrics[j];
                    if raw.get(&cm.id).is_some_and(|r| r.value.pool.is_some()) {
                        ctx.err(pool, &field, msg!("E0132", metric = c));
                    } else if cm.kind != m.kind {
                        ctx.err(
                            pool,
                            &field,
                            msg!(
                                "E0133",
                                metric = c,
                                kind = cm.kind.as_str(),
                                pool = m.kind.as_str()
                            ),
                        );
                    } else if cm.quantum.value != m.quantum.value
                        || cm.quantum.decimals != m.quantum.decimals
                    {
                        ctx.err(
                            pool,
                            &field,
                            msg!(
                                "E0134",
                                metric = c,
                                quantum = cm.quantum.text,
                                pool = m.quantum.text
                            ),
                        );
                    } else if !comps.contains(&j) {
                        comps.push(j);
                    }
                }
            }
        }
        links.push((i, comps));
    }
    for (i, comps) in links {
        for &c in &comps {
            if let Some(other) = metrics[c].pool_of {
                let at = &raw[&metrics[i].id];
                ctx.err(
                    at,
                    &format!("metric.{}.pool", metrics[i].id),
                    msg!("E0135", metric = metrics[c].id, pool = metrics[other].id),
                );
            } else {
                metrics[c].pool_of = Some(i);
            }
        }
        metrics[i].pool = comps;
    }
}

fn validate_zone(
    ctx: &mut Ctx,
    id: &str,
    at: &At<RawZone>,
    parties: &HashSet<String>,
    metric_index: &FxHashMap<String, usize>,
    metrics: &[Metric],
    level_parties: &HashSet<String>,
) -> Option<Zone> {
    let path = format!("zone.{id}");
    let z = &at.value;
    if !valid_id(id) {
        ctx.err(at, &path, msg!("E0136", text = id));
    }
    let host = match &z.host {
        None => {
            ctx.err(at, &format!("{path}.host"), msg!("E0137"));
            None
        }
        Some(h) if !declared(ctx, h, &format!("{path}.host"), &h.value, parties) => None,
        Some(h) => Some(h.value.clone()),
    };
    let mut agreements = Vec::new();
    let mut ids = HashSet::new();
    for a in &z.agreement {
        if let Some(ag) = validate_agreement(ctx, &path, a, parties, metric_index, metrics) {
            if !ids.insert(ag.id.clone()) {
                ctx.err(a, &format!("{path}.agreement"), msg!("E0139", id = ag.id));
                continue;
            }
            agreements.push((a, ag));
        }
    }
    if z.agreement.is_empty() {
        ctx.err(at, &format!("{path}.agreement"), msg!("E0140"));
    }
    agreements.sort_by_key(|(_, a)| a.from);
    for w in agreements.windows(2) {
        let (_, a) = &w[0];
        let (bat, b) = &w[1];
        if a.to.is_none_or(|to| to >= b.from) {
            ctx.err(
                *bat,
                &format!("{path}.agreement"),
                msg!(
                    "E0141",
                    id = b.id,
                    from = b.from,
                    other = a.id,
                    start = a.from,
                    end =
                        a.to.map_or(crate::i18n::t("open_end").to_string(), |t| t.to_string())
                ),
            );
        }
    }
    let mut levels = FxHashMap::default();
    if let Some(table) = &z.levels {
        for (m, l) in &table.value {
            let field = format!("{path}.levels.{m}");
            match metric_index
                .get(m)
                .copied()
                .filter(|&i| metrics[i].id == *m)
            {
                None => ctx.err(
                    l,
                    &field,
                    msg!(
                        "E0130",
                        metric = m,
                        hint = crate::suggest::hint(m, metrics.iter().map(|x| &x.id))
                    ),
                ),
                Some(i) if !metrics[i].pool.is_empty() => {
                    ctx.err(l, &field, msg!("E0142", metric = m))
                }
                Some(i) => {
                    if let Some(v) = parse_levels(ctx, l, &l.value, &field, parties) {
                        levels.insert(i, v);
                    }
                }
            }
        }
    }
    // A level party takes its part before the rule shares the rest: it must not also
    // be a party of the rule that shares the metric in this zone (SPEC §8.1).
    for (a, ag) in &agreements {
        for rule in &ag.rules {
            let named = rule.all_parties();
            for &m in &rule.metrics {
                let comps = if metrics[m].pool.is_empty() {
                    vec![m]
                } else {
                    metrics[m].pool.clone()
                };
                for c in comps {
                    let lv = levels.get(&c).unwrap_or(&metrics[c].levels);
                    for p in lv.parties() {
                        if named.iter().any(|n| n == p) {
                            ctx.err(
                                *a,
                                &format!("{path}.agreement.{}.rule.{}", ag.id, rule.id),
                                msg!("E0143", party = p, metric = metrics[c].id),
                            );
                        }
                    }
                }
            }
        }
    }
    let agreements: Vec<Agreement> = agreements.into_iter().map(|(_, a)| a).collect();
    let scope = obligation::Scope {
        path: &path,
        parties,
        metric_index,
        metrics,
        agreements: &agreements,
        level_parties,
    };
    let mut obligations = Vec::new();
    for (n, g) in z.guarantee.iter().enumerate() {
        obligations.extend(obligation::guarantee(ctx, &scope, n + 1, g));
    }
    for (n, r) in z.returns.iter().enumerate() {
        obligations.extend(obligation::fixed_return(ctx, &scope, n + 1, r));
    }
    Some(Zone {
        id: id.to_string(),
        obligations,
        name: z
            .name
            .as_ref()
            .map_or_else(|| id.to_string(), |n| n.value.clone()),
        levels,
        host: host?,
        aliases: z
            .aliases
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default(),
        agreements,
    })
}

fn validate_agreement(
    ctx: &mut Ctx,
    zpath: &str,
    at: &At<RawAgreement>,
    parties: &HashSet<String>,
    metric_index: &FxHashMap<String, usize>,
    metrics: &[Metric],
) -> Option<Agreement> {
    let a = &at.value;
    let Some(id) = &a.id else {
        ctx.err(at, &format!("{zpath}.agreement.id"), msg!("E0144"));
        return None;
    };
    if !valid_id(&id.value) {
        ctx.err(
            id,
            &format!("{zpath}.agreement.id"),
            msg!("E0145", text = id.value),
        );
    }
    let path = format!("{zpath}.agreement.{}", id.value);
    let from = match &a.from {
        Some(f) => date_of(ctx, f, &format!("{path}.from")),
        None => {
            ctx.err(at, &format!("{path}.from"), msg!("E0146"));
            None
        }
    };
    let to =
        a.to.as_ref()
            .map(|t| date_of(ctx, t, &format!("{path}.to")));
    if let (Some(f), Some(Some(t))) = (from, to)
        && t < f
    {
        ctx.err(at, &format!("{path}.to"), msg!("E0147", end = t, start = f));
    }
    let mut rules: Vec<Rule> = Vec::new();
    let mut rule_for_metric: FxHashMap<usize, RuleChoice> = FxHashMap::default();
    let mut rule_ids = HashSet::new();
    // metric → (rule id, whether through a pool) of the rule without `applies_to`.
    let mut metric_rule: HashMap<usize, String> = HashMap::new();
    for r in &a.rule {
        if let Some(rule) = validate_rule(ctx, &path, r, parties, metric_index, metrics) {
            if !rule_ids.insert(rule.id.clone()) {
                ctx.err(r, &format!("{path}.rule"), msg!("E0148", id = rule.id));
                continue;
            }
            // A rule naming a pool shares the pool's components in this agreement.
            let shared: Vec<usize> = rule
                .metrics
                .iter()
                .flat_map(|&m| std::iter::once(m).chain(metrics[m].pool.iter().copied()))
                .collect();
            for m in shared {
                let choice = rule_for_metric.entry(m).or_default();
                if rule.applies_to.is_some() {
                    choice.specific.push(rules.len());
                } else if let Some(other) = metric_rule.get(&m) {
                    ctx.err(
                        r,
                        &format!("{path}.rule.{}.metrics", rule.id),
                        msg!("E0149", metric = metrics[m].id, rule = other),
                    );
                } else {
                    metric_rule.insert(m, rule.id.clone());
                    choice.default = Some(rules.len());
                }
            }
            rules.push(rule);
        }
    }
    // A component pooled by one rule and shared on its own by another would be shared
    // twice.
    for rule in &rules {
        for &m in &rule.metrics {
            if let Some(p) = metrics[m].pool_of
                && let Some(pool_rule) = rules.iter().find(|o| o.metrics.contains(&p))
                && pool_rule.id != rule.id
            {
                let at = a
                    .rule
                    .iter()
                    .find(|x| x.value.id.as_ref().is_some_and(|i| i.value == rule.id));
                if let Some(at) = at {
                    ctx.err(
                        at,
                        &format!("{path}.rule.{}.metrics", rule.id),
                        msg!(
                            "E0150",
                            metric = metrics[m].id,
                            pool = metrics[p].id,
                            rule = pool_rule.id
                        ),
                    );
                }
            }
        }
    }
    Some(Agreement {
        id: id.value.clone(),
        from: from?,
        to: to.flatten(),
        cite: a.cite.as_ref().map(|c| c.value.clone()),
        rules,
        rule_for_metric,
        loc: ctx.src.loc(at),
    })
}

/// Parse a share table of ratios: declared parties, ratios ≥ 0; with `sum_to_one` they
/// must add up to exactly 1.
fn share_table(
    ctx: &mut Ctx,
    at: &At<ShareTable>,
    field: &str,
    parties: &HashSet<String>,
    sum_to_one: bool,
) -> Option<Shares> {
    let mut out = Vec::new();
    let mut ok = true;
    if at.value.is_empty() {
        ctx.err(at, field, msg!("E0151"));
        return None;
    }
    for (p, v) in &at.value {
        if !declared(ctx, v, field, p, parties) {
            ok = false;
            continue;
        }
        match ratio_of(ctx, v, &format!("{field}.{p}")) {
            Some(r) if r.is_negative() => {
                ctx.err(v, &format!("{field}.{p}"), msg!("E0152", text = v.value.0));
                ok = false;
            }
            Some(r) => out.push((p.clone(), r)),
            None => ok = false,
        }
    }
    if ok && sum_to_one {
        let sum: Ratio = out.iter().map(|(_, r)| r.clone()).sum();
        if sum != Ratio::one() {
            ctx.err(at, field, msg!("E0153", sum = crate::num::ratio_text(&sum)));
            ok = false;
        }
    }
    ok.then_some(out)
}

fn validate_rule(
    ctx: &mut Ctx,
    apath: &str,
    at: &At<RawRule>,
    parties: &HashSet<String>,
    metric_index: &FxHashMap<String, usize>,
    metrics: &[Metric],
) -> Option<Rule> {
    let r = &at.value;
    let Some(id) = &r.id else {
        ctx.err(at, &format!("{apath}.rule.id"), msg!("E0154"));
        return None;
    };
    if !valid_id(&id.value) {
        ctx.err(
            id,
            &format!("{apath}.rule.id"),
            msg!("E0155", text = id.value),
        );
    }
    let path = format!("{apath}.rule.{}", id.value);
    let mut rule_metrics = Vec::new();
    match &r.metrics {
        None => ctx.err(at, &format!("{path}.metrics"), msg!("E0156")),
        Some(ms) => {
            if ms.value.is_empty() {
                ctx.err(ms, &format!("{path}.metrics"), msg!("E0157"));
            }
            for m in &ms.value {
                match metric_index.get(m) {
                    Some(&i) if metrics[i].id == *m => rule_metrics.push(i),
                    _ => ctx.err(
                        ms,
                        &format!("{path}.metrics"),
                        msg!(
                            "E0130",
                            metric = m,
                            hint = crate::suggest::hint(m, metrics.iter().map(|x| &x.id))
                        ),
                    ),
                }
            }
        }
    }
    for &m in &rule_metrics {
        if let Some(p) = metrics[m].pool_of
            && rule_metrics.contains(&p)
            && let Some(ms) = &r.metrics
        {
            ctx.err(
                ms,
                &format!("{path}.metrics"),
                msg!("E0158", pool = metrics[p].id, metric = metrics[m].id),
            );
        }
    }
    let applies_to = match &r.applies_to {
        None => None,
        Some(a) => {
            let field = format!("{path}.applies_to");
            let word_ok = |w: &str| valid_id(w);
            match a.value.iter().collect::<Vec<_>>().as_slice() {
                [(k, v)] if k.as_str() == "tag" && word_ok(v) => {
                    Some(AppliesTo::Tag(v.to_string()))
                }
                [(k, v)] if k.as_str() == "origin" && parties.contains(v.as_str()) => {
                    Some(AppliesTo::Origin(v.to_string()))
                }
                [(k, v)] if k.as_str() == "tag" => {
                    ctx.err(a, &field, msg!("E0159", text = v));
                    return None;
                }
                [(k, v)] if k.as_str() == "origin" => {
                    declared(ctx, a, &field, v, parties);
                    return None;
                }
                [(k, _)] => {
                    ctx.err(
                        a,
                        &field,
                        msg!(
                            "E0160",
                            key = k,
                            hint = crate::suggest::hint(k, ["tag", "origin"].iter())
                        ),
                    );
                    return None;
                }
                _ => {
                    ctx.err(a, &field, msg!("E0161"));
                    return None;
                }
            }
        }
    };
    let anchor = match &r.anchor {
        None => None,
        Some(a) => match a.value.as_str() {
            "agreement" => Some(Anchor::Agreement),
            "entity_start" => Some(Anchor::EntityStart),
            other => {
                ctx.err(a, &format!("{path}.anchor"), msg!("E0163", text = other));
                return None;
            }
        },
    };
    let shares_field = format!("{path}.shares");
    let rk = rule::KindCtx {
        at,
        path: &path,
        parties,
        anchor,
        shares_field: shares_field.clone(),
    };
    let kind_text = r.kind.as_ref().map(|k| k.value.clone());
    let kind = match kind_text.as_deref() {
        None => {
            ctx.err(at, &format!("{path}.kind"), msg!("E0164"));
            return None;
        }
        Some("fixed") => rule::fixed::kind(ctx, &rk)?,
        Some("schedule") => rule::schedule::kind(ctx, &rk)?,
        Some("base_increment") => rule::base_increment::kind(ctx, &rk)?,
        Some("tiered") => rule::tiered::kind(ctx, &rk)?,
        Some("weighted") => rule::weighted::kind(ctx, &rk)?,
        Some("formula") => rule::formula::kind(ctx, &rk)?,
        Some(other) => {
            let k = r.kind.as_ref()?;
            ctx.err(k, &format!("{path}.kind"), msg!("E0178", text = other));
            return None;
        }
    };
    if r.anchor.is_some() && !matches!(kind, RuleKind::Schedule { .. } | RuleKind::Formula { .. }) {
        ctx.err(
            at,
            &format!("{path}.anchor"),
            msg!("E0179", kind = kind.name()),
        );
    }
    let tmp = Rule {
        id: id.value.clone(),
        metrics: vec![],
        kind,
        floor: vec![],
        cap: vec![],
        band: None,
        applies_to: None,
        loc: Loc::default(),
    };
    let named: HashSet<String> = match &tmp.kind {
        RuleKind::Schedule { phases, .. } => phases
            .iter()
            .flat_map(|p| p.shares.iter().map(|(id, _)| id.clone()))
            .collect(),
        _ => tmp.named_parties(0).into_iter().collect(),
    };
    let modifier = |ctx: &mut Ctx, m: &Option<At<ShareTable>>, name: &str| -> Option<Shares> {
        let Some(t) = m else { return Some(Vec::new()) };
        let field = format!("{path}.{name}");
        let out = share_table(ctx, t, &field, parties, false)?;
        for (p, _) in &out {
            if !named.contains(p) {
                ctx.err(t, &field, msg!("E0180", party = p));
                return None;
            }
        }
        Some(out)
    };
    let floor = modifier(ctx, &r.floor, "floor");
    let cap = modifier(ctx, &r.cap, "cap");
    if !matches!(
        tmp.kind,
        RuleKind::Formula { .. } | RuleKind::BaseIncrement { .. } | RuleKind::Fixed { .. }
    ) && r.shares.is_some()
    {
        ctx.err(at, &shares_field, msg!("E0181", kind = tmp.kind.name()));
    }
    Some(Rule {
        id: id.value.clone(),
        metrics: rule_metrics,
        kind: tmp.kind,
        floor: floor?,
        cap: cap?,
        band: match &r.band {
            None => None,
            Some(b) => match ratio_of(ctx, b, &format!("{path}.band"))? {
                v if v.is_negative() || v > Ratio::one() => {
                    ctx.err(b, &format!("{path}.band"), msg!("E0182"));
                    return None;
                }
                v => Some(v),
            },
        },
        applies_to,
        loc: ctx.src.loc(at),
    })
}
