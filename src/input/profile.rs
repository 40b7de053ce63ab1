//! Import profiles (SPEC §12, §16): how the tax system's export (税收入库明细 and the
//! like) maps onto §2.1 records — the header's line, the source columns of each field,
//! value tables (`-` drops a row), skip rules for 合计/小计 rows, thousands separators,
//! refunds in brackets and dates standing for periods.
//!
//! A profile maps one row of the export to the six §2.1 fields (`map`), before any
//! §2.1 check: the readers then check the mapped row exactly as a plain records row,
//! so a record read through a profile is the record of a plain file, and every line
//! named is the export's own.

use crate::diag::{Diag, Msg};
use crate::msg;
use crate::period::{Granularity, Period, parse_date};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The §2.1 fields, in the order of a records row.
pub const FIELDS: [&str; 6] = [
    "period",
    "zone",
    "entity",
    "metric",
    "amount",
    "entity_start",
];

// The validated profile is part of the model (how records files are written, SPEC
// §12); this module reads and applies it.
pub use crate::model::{Profile, Skip};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    profile: toml::Spanned<RawProfile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: Option<String>,
    header: Option<toml::Spanned<i64>>,
    sheet: Option<String>,
    thousands: Option<bool>,
    parens: Option<bool>,
    period_of_date: Option<toml::Spanned<String>>,
    columns: Option<toml::Spanned<BTreeMap<String, toml::Spanned<RawColumn>>>>,
    #[serde(default)]
    values: BTreeMap<String, toml::Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    skip: Vec<toml::Spanned<RawSkip>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawColumn {
    Header(String),
    From {
        from: String,
    },
    /// Anything else (a number, a table of other keys): said as E0264, located, rather
    /// than as serde's "did not match any variant".
    Other(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkip {
    column: String,
    equals: Option<Vec<String>>,
    prefix: Option<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Read and validate a profile; every problem at once, each at its line.
pub fn parse(path: &str, bytes: &[u8]) -> Result<Profile, Vec<Diag>> {
    let at = |line: usize, field: &str, m: Msg| Diag::new(path, line, field, m);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| vec![at(0, "", msg!("E0187", offset = e.valid_up_to()))])?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        vec![at(line, "profile", msg!("E0183", reason = e.message()))]
    })?;
    let top = line_of(text, raw.profile.span().start);
    let r = raw.profile.into_inner();
    let mut problems = Vec::new();
    let header = match &r.header {
        None => 1,
        Some(h) if *h.get_ref() >= 1 => *h.get_ref() as u64,
        Some(h) => {
            problems.push(at(
                line_of(text, h.span().start),
                "profile.header",
                msg!("E0260", text = h.get_ref()),
            ));
            1
        }
    };
    let period_of_date = match &r.period_of_date {
        None => None,
        Some(p) => match p.get_ref().as_str() {
            "month" => Some(Granularity::Month),
            "quarter" => Some(Granularity::Quarter),
            "year" => Some(Granularity::Year),
            other => {
                problems.push(at(
                    line_of(text, p.span().start),
                    "profile.period_of_date",
                    msg!("E0261", text = other),
                ));
                None
            }
        },
    };
    let mut columns = BTreeMap::new();
    let mut zone_from_entities = false;
    let mut by_source: BTreeMap<String, &str> = BTreeMap::new();
    match &r.columns {
        None => problems.push(at(top, "profile.columns", msg!("E0262"))),
        Some(cols) => {
            for (field, c) in cols.get_ref() {
                let line = line_of(text, c.span().start);
                let Some(i) = FIELDS.iter().position(|f| f == field) else {
                    problems.push(at(
                        line,
                        &format!("profile.columns.{field}"),
                        msg!(
                            "E0263",
                            field = field,
                            hint = crate::suggest::hint(field, FIELDS.iter())
                        ),
                    ));
                    continue;
                };
                match c.get_ref() {
                    RawColumn::From { from } if field == "zone" && from == "entities" => {
                        zone_from_entities = true;
                    }
                    RawColumn::From { .. } | RawColumn::Other(_) => {
                        problems.push(at(line, &format!("profile.columns.{field}"), msg!("E0264")))
                    }
                    RawColumn::Header(h) => {
                        let h = h.trim().to_string();
                        if let Some(other) = by_source.get(&h) {
                            problems.push(at(
                                line,
                                &format!("profile.columns.{field}"),
                                msg!("E0265", column = h, other = other),
                            ));
                        }
                        by_source.insert(h.clone(), FIELDS[i]);
                        columns.insert(i, (h, line));
                    }
                }
            }
            for (i, f) in FIELDS.iter().enumerate().take(5) {
                let given = columns.contains_key(&i) || (i == 1 && zone_from_entities);
                if !given {
                    problems.push(at(
                        line_of(text, cols.span().start),
                        &format!("profile.columns.{f}"),
                        msg!("E0266", field = f),
                    ));
                }
            }
        }
    }
    let mut values: [Option<BTreeMap<String, String>>; 6] = Default::default();
    for (field, table) in &r.values {
        let line = line_of(text, table.span().start);
        match FIELDS.iter().position(|f| f == field) {
            Some(1) if zone_from_entities => {
                problems.push(at(line, "profile.values.zone", msg!("E0267")))
            }
            Some(i) => {
                values[i] = Some(
                    table
                        .get_ref()
                        .iter()
                        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                        .collect(),
                );
            }
            None => problems.push(at(
                line,
                &format!("profile.values.{field}"),
                msg!(
                    "E0263",
                    field = field,
                    hint = crate::suggest::hint(field, FIELDS.iter())
                ),
            )),
        }
    }
    let mut skip = Vec::new();
    for s in &r.skip {
        let line = line_of(text, s.span().start);
        let v = s.get_ref();
        if v.equals.is_none() == v.prefix.is_none() {
            problems.push(at(line, "profile.skip", msg!("E0268")));
            continue;
        }
        skip.push(Skip {
            column: v.column.trim().to_string(),
            equals: v
                .equals
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.trim().to_string())
                .collect(),
            prefix: v.prefix.clone(),
            line,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Profile {
        path: path.to_string(),
        bytes: bytes.to_vec(),
        name: r.name.unwrap_or_else(|| path.to_string()),
        header,
        sheet: r.sheet,
        thousands: r.thousands.unwrap_or(false),
        parens: r.parens.unwrap_or(false),
        period_of_date,
        columns,
        zone_from_entities,
        values,
        skip,
    })
}

/// The export's header resolved: source column of each mapped field and skip.
#[derive(Debug, Clone)]
pub struct Header {
    pub fields: [Option<usize>; 6],
    pub skip: Vec<usize>,
    /// Number of fields of the header (without Excel's trailing empty ones).
    pub width: usize,
    /// The same for the byte path, which keeps only the cells it needs.
    pub plan: Plan,
}

/// Which of an export's columns the byte path keeps, and where: a row's cells are
/// visited once, and a cell a field or a skip rule reads is put in its slot (a
/// column may be both: 纳税人识别号 as the entity and as the column a 合计 row is
/// known by).
#[derive(Debug, Clone)]
pub struct Plan {
    /// By export column: its slot, or `Plan::UNUSED`.
    pub slot: Vec<u8>,
    /// The columns that have a slot, with it, in column order.
    pub used: Vec<(usize, u8)>,
    /// By §2.1 field: the slot of its column.
    fields: [Option<u8>; 6],
    /// By skip rule: the slot of its column.
    skip: Vec<u8>,
    /// Every field taken as written (no values table, no period from a date, no zone
    /// from the entities file): a row's fields are its cells.
    plain: bool,
    /// The texts the profile compares cells with, by their GB18030 bytes (a GB18030
    /// export's cells are not decoded to be looked up: `stream::gb18030_cells`).
    pub known: std::sync::Arc<super::gb18030::Known>,
    /// By §2.1 field with a values table, by known text: what the table maps it to
    /// (a known cell is mapped without a lookup by text).
    by_known: std::sync::Arc<[Vec<Option<String>>; 6]>,
}

impl Plan {
    pub const UNUSED: u8 = u8::MAX;
    /// Slots a row has at most: six fields and the skip rules' columns.
    pub const SLOTS: usize = 16;

    /// `None` when the profile reads more columns than there are slots (the general
    /// path then reads every row).
    fn of(p: &Profile, fields: &[Option<usize>; 6], skip: &[usize], width: usize) -> Option<Plan> {
        let mut slot = vec![Plan::UNUSED; width];
        let mut used = 0u8;
        let mut take = |c: usize| -> Option<u8> {
            let s = slot.get_mut(c)?;
            if *s == Plan::UNUSED {
                if usize::from(used) == Plan::SLOTS {
                    return None;
                }
                *s = used;
                used += 1;
            }
            Some(*s)
        };
        let mut f = [None; 6];
        for (i, c) in fields.iter().enumerate() {
            if let Some(c) = c {
                f[i] = Some(take(*c)?);
            }
        }
        let skip = skip.iter().map(|&c| take(c)).collect::<Option<Vec<u8>>>()?;
        let used = (slot.iter().enumerate())
            .filter(|(_, s)| **s != Plan::UNUSED)
            .map(|(c, s)| (c, *s))
            .collect();
        let texts = (p.values.iter().flatten().flat_map(|t| t.keys()))
            .chain(p.skip.iter().flat_map(|s| s.equals.iter()))
            .map(String::as_str);
        let known = super::gb18030::Known::of(texts);
        let by_known = p.values.each_ref().map(|table| {
            (0..known.len())
                .map(|k| table.as_ref()?.get(known.text(k as u16)).cloned())
                .collect()
        });
        Some(Plan {
            slot,
            used,
            fields: f,
            skip,
            plain: p.values.iter().all(Option::is_none)
                && p.period_of_date.is_none()
                && !p.zone_from_entities,
            known: std::sync::Arc::new(known),
            by_known: std::sync::Arc::new(by_known),
        })
    }
}

/// The cells of an export's row that its profile reads, by slot (`Plan`): ranges of the
/// row's text without the blanks around them, or, for a GB18030 export's cell whose
/// bytes are one of the profile's texts, that text (`gb18030::Known`).
#[derive(Clone, Copy)]
pub struct Cells {
    pub ranges: [(u32, u32); Plan::SLOTS],
    /// Bit k: slot k is `plan.known.text(index[k])`, not a range.
    pub known: u16,
    pub index: [u16; Plan::SLOTS],
}

impl Default for Cells {
    fn default() -> Cells {
        Cells {
            ranges: [(0, 0); Plan::SLOTS],
            known: 0,
            index: [0; Plan::SLOTS],
        }
    }
}

/// Find the profile's columns in the export's header line; every missing or repeated
/// column is a problem (at the export's header line, naming the profile's line).
pub fn header(p: &Profile, cells: &[&str]) -> Result<Header, Vec<Msg>> {
    let names: Vec<&str> = cells
        .iter()
        .map(|c| c.trim_start_matches('\u{feff}').trim())
        .collect();
    let width = names.len() - names.iter().rev().take_while(|c| c.is_empty()).count();
    let mut problems = Vec::new();
    let mut find = |col: &str, line: usize| -> Option<usize> {
        let at: Vec<usize> = (0..names.len()).filter(|&i| names[i] == col).collect();
        match at.as_slice() {
            [i] => Some(*i),
            [] => {
                problems.push(msg!(
                    "E0269",
                    column = col,
                    profile = format!("{}:{line}", p.path),
                    hint = crate::suggest::hint(col, names.iter())
                ));
                None
            }
            _ => {
                problems.push(msg!("E0270", column = col));
                None
            }
        }
    };
    let mut fields = [None; 6];
    for (i, (col, line)) in &p.columns {
        fields[*i] = find(col, *line);
    }
    let skip = p
        .skip
        .iter()
        .map(|s| find(&s.column, s.line).unwrap_or(usize::MAX))
        .collect::<Vec<usize>>();
    if problems.is_empty() {
        let plan = Plan::of(p, &fields, &skip, width).unwrap_or(Plan {
            slot: Vec::new(),
            used: Vec::new(),
            fields: [None; 6],
            skip: Vec::new(),
            plain: false,
            known: Default::default(),
            by_known: Default::default(),
        });
        Ok(Header {
            fields,
            skip,
            width,
            plan,
        })
    } else {
        Err(problems)
    }
}

/// What a profile makes of one data row.
#[derive(Debug, PartialEq, Eq)]
pub enum Mapped {
    /// Blank in every mapped column: skipped silently (§2.1).
    Blank,
    /// Matched a skip rule: why (`序号 = 合计`).
    Skipped(String),
    /// Mapped to `-` by a values table: why (`征收项目 印花税 → -`).
    Dropped(String),
    /// The six §2.1 fields, as a records row would hold them.
    Row([String; 6]),
    /// What is wrong, per §2.1 field.
    Bad(Vec<(&'static str, Msg)>),
}

/// Map one data row (cells in the export's column order).
pub fn map(p: &Profile, h: &Header, cells: &[&str]) -> Mapped {
    let cell = |c: Option<usize>| c.and_then(|c| cells.get(c)).map_or("", |s| s.trim());
    if h.fields.iter().all(|c| cell(*c).is_empty()) {
        return Mapped::Blank;
    }
    for (s, &c) in p.skip.iter().zip(&h.skip) {
        let v = cell(Some(c));
        if skipped(s, v) {
            return Mapped::Skipped(format!("{} = {v}", s.column));
        }
    }
    let mut out: [String; 6] = Default::default();
    let mut bad = Vec::new();
    // Values first: a row mapped to `-` is dropped before any other value is checked.
    for (i, table) in p.values.iter().enumerate() {
        let Some(table) = table else { continue };
        let v = cell(h.fields[i]);
        match table.get(v) {
            Some(m) if m == "-" => {
                let col = &p.columns[&i].0;
                return Mapped::Dropped(format!("{col} {v} → -"));
            }
            Some(m) => out[i] = m.clone(),
            None => bad.push((
                FIELDS[i],
                msg!(
                    "E0271",
                    text = v,
                    column = p.columns[&i].0,
                    hint = crate::suggest::hint(v, table.keys())
                ),
            )),
        }
    }
    for (i, slot) in out.iter_mut().enumerate() {
        if p.values[i].is_some() {
            continue;
        }
        let v = cell(h.fields[i]);
        *slot = match i {
            0 => match p.period_of_date {
                Some(g) if !v.is_empty() => match parse_date(v) {
                    Some(d) => period_of(d, g).to_string(),
                    None => {
                        bad.push(("period", msg!("E0272", text = v)));
                        String::new()
                    }
                },
                _ => v.to_string(),
            },
            4 => match amount_text(p, v) {
                Ok(a) => a,
                Err(m) => {
                    bad.push(("amount", m));
                    String::new()
                }
            },
            _ => v.to_string(),
        };
    }
    if bad.is_empty() {
        Mapped::Row(out)
    } else {
        Mapped::Bad(bad)
    }
}

/// What `map_fields` found of a row: the six §2.1 fields as byte ranges, of the block
/// or (bit i of `mapped` set) of the text the profile rewrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields {
    pub spans: [(usize, usize); 6],
    pub mapped: u8,
}

/// `map` without allocating, for the streaming reader: the six §2.1 fields of a row
/// that maps cleanly. A field taken as written is a range of the block's `text` (not
/// copied), and so is a month's or a year's period read from an ISO date; a field the
/// profile rewrote — a mapped value, a quarter or a period from a date written another
/// way, the entity's zone — is written to `out` and is a range of it. The amount stays as the
/// export writes it: the byte path reads thousands separators and brackets itself
/// (`amount::export_units`). `None` whenever the row is anything but ordinary — blank,
/// skipped, dropped, a value the profile does not map, a bad date — and the row then
/// goes through `map` and the general row check, which count it or say what is wrong.
/// (The byte path takes a field only when its bytes are exactly a valid period, id,
/// amount or date; anything else goes the general way too.)
#[inline(always)]
pub fn map_fields(
    p: &Profile,
    h: &Header,
    text: &str,
    cells: &Cells,
    entities: &crate::model::Entities,
    out: &mut String,
) -> Option<Fields> {
    let plan = &h.plan;
    if !plan.plain || cells.known != 0 {
        return map_rewritten(p, h, text, cells, entities, out);
    }
    // Every field taken as written, every cell in the text: the row's own cells, in
    // the caller's loop (this is most profiles, and every row of their exports).
    for (s, &c) in p.skip.iter().zip(&plan.skip) {
        let (a, e) = cells
            .ranges
            .get(usize::from(c))
            .copied()
            .unwrap_or_default();
        if skipped(s, text.get(a as usize..e as usize).unwrap_or_default()) {
            return None;
        }
    }
    let mut fields = Fields {
        spans: [(0, 0); 6],
        mapped: 0,
    };
    for (span, c) in fields.spans.iter_mut().zip(plan.fields) {
        if let Some(&(s, e)) = c.and_then(|c| cells.ranges.get(usize::from(c))) {
            *span = (s as usize, e as usize);
        }
    }
    Some(fields)
}

/// Whether a skip rule drops a row whose cell in its column is `v`.
#[inline(always)]
fn skipped(s: &crate::model::Skip, v: &str) -> bool {
    s.equals.iter().any(|e| e == v) || s.prefix.as_deref().is_some_and(|pre| v.starts_with(pre))
}

/// `map_fields` for a profile that rewrites fields (values tables, a period from a
/// date, the zone from the entities file), or a row with a cell that is one of the
/// profile's texts.
#[inline(never)]
fn map_rewritten(
    p: &Profile,
    h: &Header,
    text: &str,
    cells: &Cells,
    entities: &crate::model::Entities,
    out: &mut String,
) -> Option<Fields> {
    use std::fmt::Write;
    let plan = &h.plan;
    let known = |c: u8| {
        cells
            .known
            .checked_shr(u32::from(c))
            .is_some_and(|k| k & 1 != 0)
    };
    // A cell's range (already without the blanks around it: `stream::export_cells`).
    // A field taken where it stands must be in the text: a cell that is one of the
    // profile's texts is not (the row then goes the general way).
    let range = |c: u8| -> Option<(usize, usize)> {
        if known(c) {
            return None;
        }
        (cells.ranges.get(usize::from(c))).map(|&(s, e)| (s as usize, e as usize))
    };
    let cell = |c: u8| {
        if known(c) {
            return plan.known.text(cells.index[usize::from(c) % Plan::SLOTS]);
        }
        let (s, e) = range(c).unwrap_or_default();
        text.get(s..e).unwrap_or_default()
    };
    for (s, &c) in p.skip.iter().zip(&plan.skip) {
        if skipped(s, cell(c)) {
            return None;
        }
    }
    if plan.plain {
        // A cell that is one of the profile's texts (here one a skip rule names) and
        // not skipped: the general way.
        return None;
    }
    let mut fields = Fields {
        spans: [(0, 0); 6],
        mapped: 0,
    };
    out.clear();
    for (i, span) in fields.spans.iter_mut().enumerate() {
        let Some(c) = plan.fields[i] else {
            if p.values[i].is_some() {
                return None;
            }
            if i == 1 && p.zone_from_entities {
                // The zone is the entity's, from the entities file (as `exported` does).
                let entity = match (&p.values[2], plan.fields[2]) {
                    (Some(t), Some(c)) => t.get(cell(c))?.as_str(),
                    (None, Some(c)) => cell(c),
                    (_, None) => return None,
                };
                let from = out.len();
                out.push_str(entities.zone_of(entities.get(entity)?)?);
                *span = (from, out.len());
                fields.mapped |= 1 << i;
            }
            continue;
        };
        let from = out.len();
        if let Some(table) = &p.values[i] {
            let m = if known(c) {
                let k = cells.index[usize::from(c) % Plan::SLOTS];
                plan.by_known[i].get(usize::from(k))?.as_ref()?
            } else {
                table.get(cell(c))?
            };
            if m == "-" {
                return None;
            }
            out.push_str(m);
        } else if i == 0
            && let Some(g) = p.period_of_date
        {
            let v = cell(c);
            if v.is_empty() {
                continue;
            }
            // A date written `YYYY-MM-DD` holds its month's and its year's period as
            // they are written (`2025-03`, `2025`): taken where they stand. Any other
            // way of writing it, or a quarter, is written out.
            if let Some(d) = crate::period::parse_date_bytes(v.as_bytes()) {
                let (s, _) = range(c)?;
                let len = match g {
                    Granularity::Month => 7,
                    Granularity::Year => 4,
                    Granularity::Quarter => 0,
                };
                if len > 0 {
                    *span = (s, s + len);
                    continue;
                }
                write!(out, "{}", period_of(d, g)).ok()?;
            } else {
                write!(out, "{}", period_of(parse_date(v)?, g)).ok()?;
            }
        } else {
            // Taken as written: where it is in the block.
            *span = range(c)?;
            continue;
        }
        *span = (from, out.len());
        fields.mapped |= 1 << i;
    }
    Some(fields)
}

/// The period of granularity `g` that holds day `d`.
pub fn period_of(d: chrono::NaiveDate, g: Granularity) -> Period {
    use chrono::Datelike;
    Period {
        year: d.year(),
        granularity: g,
        index: match g {
            Granularity::Month => d.month(),
            Granularity::Quarter => (d.month() - 1) / 3 + 1,
            Granularity::Year => 1,
        },
    }
}

/// An amount as the export writes it, as §2.1 text: thousands separators removed
/// (only `1,234` groupings), a bracketed amount negative.
pub fn amount_text(p: &Profile, v: &str) -> Result<String, Msg> {
    let mut t = v.to_string();
    let mut negative = false;
    if p.parens
        && let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')'))
    {
        if inner.contains('-') {
            return Err(msg!("E0273", text = v));
        }
        t = inner.trim().to_string();
        negative = true;
    }
    if p.thousands && t.contains(',') {
        let (sign, body) = match t.strip_prefix('-') {
            Some(b) => ("-", b),
            None => ("", t.as_str()),
        };
        let (int, frac) = body
            .split_once('.')
            .map_or((body, None), |(a, b)| (a, Some(b)));
        let groups: Vec<&str> = int.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(msg!("E0274", text = v));
        }
        t = format!(
            "{sign}{}{}",
            groups.concat(),
            frac.map(|f| format!(".{f}")).unwrap_or_default()
        );
    }
    if negative {
        t = format!("-{t}");
    }
    Ok(t)
}

/// How many rows a profile skipped and dropped in one file, by reason.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub skipped: BTreeMap<String, u64>,
    pub dropped: BTreeMap<String, u64>,
}

impl Tally {
    /// Add another file part's counts.
    pub fn merge(&mut self, other: Tally) {
        for (k, n) in other.skipped {
            *self.skipped.entry(k).or_default() += n;
        }
        for (k, n) in other.dropped {
            *self.dropped.entry(k).or_default() += n;
        }
    }

    /// "N rows skipped (…), M dropped (…)" for stderr, once per file; None when none.
    pub fn note(&self, file: &str) -> Option<String> {
        if self.skipped.is_empty() && self.dropped.is_empty() {
            return None;
        }
        let list = |m: &BTreeMap<String, u64>| {
            m.iter()
                .map(|(k, n)| format!("{k} ×{n}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let mut parts = Vec::new();
        if !self.skipped.is_empty() {
            parts.push(
                msg!(
                    "W0006",
                    count = self.skipped.values().sum::<u64>(),
                    reasons = list(&self.skipped)
                )
                .text,
            );
        }
        if !self.dropped.is_empty() {
            parts.push(
                msg!(
                    "W0007",
                    count = self.dropped.values().sum::<u64>(),
                    reasons = list(&self.dropped)
                )
                .text,
            );
        }
        Some(format!("{file}: {}", parts.join(", ")))
    }
}

/// Whether the lines above the header (the export's title lines) hold no quote, read
/// from the file's first 64 KiB: a quote byte (0x22) is never part of a GB18030 or
/// UTF-8 multi-byte character, so the bytes tell.
pub fn titles_unquoted(path: &std::path::Path, header: u64) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(1 << 16).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    head.split(|b| *b == b'\n')
        .take(header.saturating_sub(1) as usize)
        .all(|l| !l.contains(&b'"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(extra: &str) -> Profile {
        let text = format!(
            "[profile]\nheader = 3\n{extra}\n[profile.columns]\nperiod = \"P\"\nentity = \"E\"\nmetric = \"M\"\namount = \"A\"\nzone = \"Z\"\n"
        );
        parse("p.toml", text.as_bytes()).unwrap()
    }

    #[test]
    fn thousands_and_brackets() {
        let p = profile("thousands = true\nparens = true");
        assert_eq!(amount_text(&p, "1,234,567.89").unwrap(), "1234567.89");
        assert_eq!(amount_text(&p, "(1,234.00)").unwrap(), "-1234.00");
        assert_eq!(amount_text(&p, "-1,000").unwrap(), "-1000");
        assert!(amount_text(&p, "12,34.00").is_err());
        assert!(amount_text(&p, "1,2345").is_err());
        assert!(amount_text(&p, "(-5.00)").is_err());
        // Without the options, the text goes to the §2.1 check as it is.
        let plain = profile("");
        assert_eq!(amount_text(&plain, "1,000.00").unwrap(), "1,000.00");
    }

    proptest::proptest! {
        /// The byte path's reading of an export's amount (`amount::export_units`) is
        /// the general one's (`amount_text`, then §2.1's `parse_units`) wherever it
        /// reads one: on texts of digits, separators, points, brackets, signs and
        /// blanks, under every combination of the two options.
        #[test]
        fn export_amounts_read_on_bytes_as_the_general_reader_reads_them(
            v in "[-( ]?([0-9]{0,4},){0,3}[0-9]{0,4}(\\.[0-9]{0,3})?[-) ]?",
            thousands: bool,
            parens: bool,
        ) {
            let mut extra = String::new();
            if thousands { extra.push_str("thousands = true\n"); }
            if parens { extra.push_str("parens = true\n"); }
            let p = profile(&extra);
            let q = crate::model::Quantum {
                text: "0.01".into(),
                decimals: 2,
                scaled: 1,
                value: crate::num::parse_ratio("0.01").unwrap(),
            };
            let general = amount_text(&p, &v)
                .ok()
                .and_then(|t| super::super::amount::parse_units(&t, &q).ok());
            if let Some(u) = super::super::amount::export_units(v.as_bytes(), &q, thousands, parens) {
                proptest::prop_assert_eq!(Some(u), general, "{}", v);
            }
        }
    }

    #[test]
    fn export_amounts_on_bytes() {
        let q = crate::model::Quantum {
            text: "0.01".into(),
            decimals: 2,
            scaled: 1,
            value: crate::num::parse_ratio("0.01").unwrap(),
        };
        let read = |v: &str| super::super::amount::export_units(v.as_bytes(), &q, true, true);
        // 1,234,567.89 = 123456789 cents; (81,851.15) a refund of 8185115 cents.
        assert_eq!(read("1,234,567.89"), Some(123_456_789));
        assert_eq!(read("(81,851.15)"), Some(-8_185_115));
        assert_eq!(read("-1,000"), Some(-100_000));
        assert_eq!(read("(5)"), Some(-500));
        // Left to the general reader, which says what is wrong.
        for bad in [
            "12,34.00", "1,2345", "(-5.00)", "1,234,", ",123", "--5", "( 5)", "()",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_profile_may_not_map_one_column_twice_or_name_unknown_fields() {
        let text = "[profile]\n[profile.columns]\nperiod = \"X\"\nentity = \"X\"\nmetirc = \"M\"\n";
        let e = parse("p.toml", text.as_bytes()).unwrap_err();
        let codes: Vec<&str> = e.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"E0265"), "{codes:?}");
        assert!(codes.contains(&"E0263"), "{codes:?}");
        assert!(codes.contains(&"E0266"), "{codes:?}");
    }
}
