//! The validated model: parties, metrics, zones, agreements and rules.
//!
//! Everything here has passed validation (`config::load`): ids exist, ratios are exact
//! and sum to 1, agreement versions do not overlap. The engine can therefore trust it
//! and stay free of checks and I/O. Names follow SPEC so the code reads against it.

use crate::formula::Expr;
use crate::num::Ratio;
use crate::period::Period;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Where something was declared: file path as given and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loc {
    pub file: String,
    pub line: usize,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// The reserved id of the state's statutory part.
pub const CENTRAL: &str = "central";

#[derive(Debug, Clone)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// Money: settled between host and the others.
    Tax,
    /// Output statistics (统计分算): shared, never paid.
    Statistic,
    /// Land or energy quotas (指标): shared, never paid.
    Quota,
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::Tax => "tax",
            MetricKind::Statistic => "statistic",
            MetricKind::Quota => "quota",
        }
    }
}

/// The rounding unit of a metric, e.g. `0.01`.
#[derive(Debug, Clone)]
pub struct Quantum {
    /// As written in the config.
    pub text: String,
    /// Decimals of the text: every output figure of the metric has exactly these.
    pub decimals: u32,
    /// The quantum as an integer at `decimals` places (`0.05` → 5).
    pub scaled: i128,
    pub value: Ratio,
}

/// The reserved id of the row that holds a cell's deductions (SPEC §8.2).
pub const DEDUCTION: &str = "deduction";

/// The statutory parts of one entry of `levels` (预算级次): party → ratio of the cell
/// total, sorted by party id. `central_share = c` is `[("central", c)]`.
pub type LevelParts = Vec<(String, Ratio)>;

/// Statutory levels of a metric (or a zone's override), SPEC §8.1.
#[derive(Debug, Clone, Default)]
pub enum Levels {
    #[default]
    None,
    Plain(LevelParts),
    /// Sorted by date; the latest `from` ≤ the period's first day applies.
    Dated(Vec<(NaiveDate, LevelParts)>),
}

impl Levels {
    /// The parts in force on `day`, if any.
    pub fn at(&self, day: NaiveDate) -> Option<&LevelParts> {
        match self {
            Levels::None => None,
            Levels::Plain(r) => Some(r),
            Levels::Dated(list) => list.iter().rev().find(|(d, _)| *d <= day).map(|(_, r)| r),
        }
    }

    /// Every party any entry names.
    pub fn parties(&self) -> Vec<&str> {
        let mut out: Vec<&str> = match self {
            Levels::None => Vec::new(),
            Levels::Plain(p) => p.iter().map(|(q, _)| q.as_str()).collect(),
            Levels::Dated(l) => l
                .iter()
                .flat_map(|(_, p)| p.iter().map(|(q, _)| q.as_str()))
                .collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub kind: MetricKind,
    pub unit: String,
    pub quantum: Quantum,
    /// Statutory levels (`central_share` is the shorthand for `{ central = c }`).
    pub levels: Levels,
    pub aliases: Vec<String>,
    /// For a pool (SPEC §8.3): its component metrics; empty otherwise.
    pub pool: Vec<usize>,
    /// For a component: the pool it belongs to.
    pub pool_of: Option<usize>,
    /// `assessment = "dual"` (考核口径, SPEC §8.5).
    pub dual: bool,
    /// A quota metric's exempt tag (SPEC §13.1): entities carrying it do not count
    /// toward use.
    pub exempt_tag: Option<String>,
}

/// Party id → exact ratio (or amount), sorted by party id.
pub type Shares = Vec<(String, Ratio)>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The agreement's `from` date.
    Agreement,
    /// Each record's `entity_start` (投产日期).
    EntityStart,
}

#[derive(Debug, Clone)]
pub struct Phase {
    pub years: Option<u32>,
    pub shares: Shares,
}

#[derive(Debug, Clone)]
pub enum Base {
    Plain(Ratio),
    PerYear(BTreeMap<i32, Ratio>),
}

#[derive(Debug, Clone)]
pub struct Tier {
    pub upto: Option<Ratio>,
    pub shares: Shares,
}

impl Tier {
    /// Whether limit `upto` may follow the limit before it (`None` for the first
    /// tier): every limit is above 0 and above the one before (SPEC §4). The one rule
    /// the configuration's validation and `--set` both apply.
    pub fn follows(before: Option<&Ratio>, upto: &Ratio) -> bool {
        use num_traits::Zero;
        *upto > before.cloned().unwrap_or_else(Ratio::zero)
    }

    /// Whether every limit of `tiers` follows the one before it.
    pub fn limits_increase(tiers: &[Tier]) -> bool {
        let limits: Vec<&Ratio> = tiers.iter().filter_map(|t| t.upto.as_ref()).collect();
        limits
            .iter()
            .enumerate()
            .all(|(i, u)| Tier::follows(i.checked_sub(1).map(|j| limits[j]), u))
    }
}

/// What is wrong with a formula rule's parts (SPEC §4.6), by the party it is about
/// (`None`: the table as a whole): a part that reads `year` where the rule counts no
/// years (no anchor), more than one `rest`. The one rule the configuration's
/// validation and `--set` both apply.
pub fn formula_problems(
    parts: &[(String, FormulaPart)],
    anchor: Option<Anchor>,
) -> Vec<(Option<&str>, crate::i18n::Msg)> {
    let mut out = Vec::new();
    for (p, part) in parts {
        if let FormulaPart::Expr { expr, .. } = part
            && expr.uses(crate::formula::Var::Year)
            && anchor.is_none()
        {
            out.push((Some(p.as_str()), crate::msg!("E0176")));
        }
    }
    let rests = parts
        .iter()
        .filter(|(_, x)| matches!(x, FormulaPart::Rest))
        .count();
    if rests > 1 {
        out.push((None, crate::msg!("E0177")));
    }
    out
}

#[derive(Debug, Clone)]
pub enum FormulaPart {
    Expr { source: String, expr: Expr },
    Rest,
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    Fixed {
        shares: Shares,
    },
    Schedule {
        anchor: Anchor,
        phases: Vec<Phase>,
    },
    BaseIncrement {
        base_owner: String,
        base: Base,
        shares: Shares,
    },
    Tiered {
        tiers: Vec<Tier>,
    },
    Weighted {
        weights: Shares,
        /// w / Σw, exact.
        ratios: Shares,
    },
    Formula {
        anchor: Option<Anchor>,
        parts: Vec<(String, FormulaPart)>,
    },
}

impl RuleKind {
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Fixed { .. } => "fixed",
            RuleKind::Schedule { .. } => "schedule",
            RuleKind::BaseIncrement { .. } => "base_increment",
            RuleKind::Tiered { .. } => "tiered",
            RuleKind::Weighted { .. } => "weighted",
            RuleKind::Formula { .. } => "formula",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub metrics: Vec<usize>,
    pub kind: RuleKind,
    /// Annual guaranteed minimum per party (保底), in the metric's unit.
    pub floor: Shares,
    /// Annual maximum per party (封顶), in the metric's unit.
    pub cap: Shares,
    /// Policy band: negotiated ratios may move at most this far from the signed ones.
    pub band: Option<Ratio>,
    /// Which enterprises the rule is for (SPEC §8.4); `None`: every other one.
    pub applies_to: Option<AppliesTo>,
    pub loc: Loc,
}

/// `applies_to` of a rule: exactly one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppliesTo {
    Tag(String),
    Origin(String),
}

impl AppliesTo {
    /// Whether an entity of this class matches (an absent entity matches nothing).
    pub fn matches(&self, class: Option<&EntityClass>) -> bool {
        match (self, class) {
            (_, None) => false,
            (AppliesTo::Tag(t), Some(c)) => c.tags.iter().any(|x| x == t),
            (AppliesTo::Origin(o), Some(c)) => c.origin.as_deref() == Some(o.as_str()),
        }
    }
}

impl std::fmt::Display for AppliesTo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppliesTo::Tag(t) => write!(f, "tag = \"{t}\""),
            AppliesTo::Origin(o) => write!(f, "origin = \"{o}\""),
        }
    }
}

/// The rules of an agreement that can share one metric: those with `applies_to`, in
/// file order, then the one without.
#[derive(Debug, Clone, Default)]
pub struct RuleChoice {
    pub specific: Vec<usize>,
    pub default: Option<usize>,
}

impl RuleChoice {
    /// The rule for an entity of `class` (SPEC §8.4, §11): the first `applies_to` that
    /// matches, else the rule without one.
    pub fn pick(&self, rules: &[Rule], class: Option<&EntityClass>) -> Option<usize> {
        self.specific
            .iter()
            .copied()
            .find(|&i| {
                rules[i]
                    .applies_to
                    .as_ref()
                    .is_some_and(|a| a.matches(class))
            })
            .or(self.default)
    }
}

impl Rule {
    /// Year-to-date rules are allocated as A(YTD_m) − A(YTD_{m−1}) (SPEC §4.4).
    pub fn is_ytd(&self) -> bool {
        matches!(
            self.kind,
            RuleKind::BaseIncrement { .. } | RuleKind::Tiered { .. }
        ) || !self.floor.is_empty()
            || !self.cap.is_empty()
    }

    pub fn anchor(&self) -> Option<Anchor> {
        match &self.kind {
            RuleKind::Schedule { anchor, .. } => Some(*anchor),
            RuleKind::Formula { anchor, .. } => *anchor,
            _ => None,
        }
    }

    /// Every party the rule names in any phase, tier or modifier.
    pub fn all_parties(&self) -> Vec<String> {
        let mut out: Vec<String> = match &self.kind {
            RuleKind::Schedule { phases, .. } => phases
                .iter()
                .flat_map(|p| p.shares.iter().map(|(q, _)| q.clone()))
                .collect(),
            _ => self.named_parties(0),
        };
        out.extend(self.floor.iter().chain(&self.cap).map(|(p, _)| p.clone()));
        out.sort();
        out.dedup();
        out
    }

    /// The parties that get a row for a cell of this rule (SPEC §7), sorted.
    /// `phase` selects the schedule phase in force.
    pub fn named_parties(&self, phase: usize) -> Vec<String> {
        let mut out: Vec<String> = match &self.kind {
            RuleKind::Fixed { shares } => shares.iter().map(|(p, _)| p.clone()).collect(),
            RuleKind::Schedule { phases, .. } => phases
                .get(phase)
                .map(|ph| ph.shares.iter().map(|(p, _)| p.clone()).collect())
                .unwrap_or_default(),
            RuleKind::BaseIncrement {
                base_owner, shares, ..
            } => std::iter::once(base_owner.clone())
                .chain(shares.iter().map(|(p, _)| p.clone()))
                .collect(),
            RuleKind::Tiered { tiers } => tiers
                .iter()
                .flat_map(|t| t.shares.iter().map(|(p, _)| p.clone()))
                .collect(),
            RuleKind::Weighted { ratios, .. } => ratios.iter().map(|(p, _)| p.clone()).collect(),
            RuleKind::Formula { parts, .. } => parts.iter().map(|(p, _)| p.clone()).collect(),
        };
        out.sort();
        out.dedup();
        out
    }
}

/// SPEC §8.1: who may take a statutory level: `central` or a declared party, never
/// `deduction` (E0124, E0125). The one rule the configuration and `--set` apply.
pub fn level_party<'p>(
    party: &str,
    parties: impl Iterator<Item = &'p String> + Clone,
) -> Option<crate::i18n::Msg> {
    if party == DEDUCTION {
        return Some(crate::msg!("E0124"));
    }
    if party != CENTRAL && !parties.clone().any(|p| p == party) {
        return Some(crate::msg!(
            "E0125",
            party = party,
            hint = crate::suggest::hint(party, parties)
        ));
    }
    None
}

/// SPEC §3: an agreement version ends on or after the day it starts (E0147). The one
/// rule the configuration's validation and `--set` both apply.
pub fn ends_before_start(from: NaiveDate, to: Option<NaiveDate>) -> Option<crate::i18n::Msg> {
    to.filter(|t| *t < from)
        .map(|t| crate::msg!("E0147", end = t, start = from))
}

/// SPEC §3: versions of a zone do not overlap; `a` starts no later than `b`, and must
/// end before `b` starts (E0141, said about `b`).
pub fn overlap(
    (a_id, a_from, a_to): (&str, NaiveDate, Option<NaiveDate>),
    (b_id, b_from): (&str, NaiveDate),
) -> Option<crate::i18n::Msg> {
    a_to.is_none_or(|to| to >= b_from).then(|| {
        crate::msg!(
            "E0141",
            id = b_id,
            from = b_from,
            other = a_id,
            start = a_from,
            end = a_to.map_or(crate::i18n::t("open_end").to_string(), |t| t.to_string())
        )
    })
}

#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub cite: Option<String>,
    pub rules: Vec<Rule>,
    /// metric index → the rules that may share it (for a pool's component: the rule
    /// naming the pool, when one does).
    pub rule_for_metric: FxHashMap<usize, RuleChoice>,
    pub loc: Loc,
}

impl Agreement {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| day <= to)
    }
}

#[derive(Debug, Clone)]
pub struct Zone {
    pub id: String,
    pub name: String,
    pub host: String,
    pub aliases: Vec<String>,
    /// Sorted by `from`, non-overlapping.
    pub agreements: Vec<Agreement>,
    /// The zone's `levels` table: metric → levels replacing the metric's own.
    pub levels: FxHashMap<usize, Levels>,
    /// Guarantees, then returns, each in file order (SPEC §14).
    pub obligations: Vec<Obligation>,
}

/// Money an agreement promises that the zone's revenue does not bound (SPEC §14).
#[derive(Debug, Clone)]
pub struct Obligation {
    pub terms: Terms,
    pub payer: String,
    /// The guaranteed party, or the return's payee.
    pub payee: String,
    /// First and last day of the years it covers (each bound optional).
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub cite: String,
    pub loc: Loc,
}

/// What an obligation owes per calendar year.
#[derive(Debug, Clone)]
pub enum Terms {
    /// 保底: max(0, amount − the payee's share of `metric` in the zone over the year).
    Guarantee { metric: usize, amount: Ratio },
    /// 固定回报: round½away(base × rate, 0.01).
    Return { base: Ratio, rate: Ratio },
}

impl Obligation {
    /// `guarantee` or `return`, as written in obligations.csv.
    pub fn kind(&self) -> &'static str {
        match self.terms {
            Terms::Guarantee { .. } => "guarantee",
            Terms::Return { .. } => "return",
        }
    }

    /// Due for calendar year `y`: the whole year lies within `from`..`until`.
    pub fn covers_year(&self, y: i32) -> bool {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        ) else {
            return false;
        };
        self.from.is_none_or(|f| f <= first) && self.until.is_none_or(|u| last <= u)
    }
}

impl Zone {
    /// The levels of metric `m` in this zone: the zone's override, else the metric's.
    pub fn levels_of<'a>(&'a self, m: usize, metric: &'a Metric) -> &'a Levels {
        self.levels.get(&m).unwrap_or(&metric.levels)
    }

    /// The agreement version in force for the whole period, or why there is none.
    pub fn agreement_for(&self, period: Period) -> Result<usize, crate::diag::Msg> {
        let first = period.first_day();
        let last = period.last_day();
        let at_first = self.agreements.iter().position(|a| a.covers(first));
        let at_last = self.agreements.iter().position(|a| a.covers(last));
        match (at_first, at_last) {
            (Some(a), Some(b)) if a == b => Ok(a),
            (None, None)
                if !self
                    .agreements
                    .iter()
                    .any(|a| a.from <= last && a.to.is_none_or(|t| t >= first)) =>
            {
                Err(crate::msg!(
                    "E0314",
                    zone = self.id,
                    period = period,
                    first = first,
                    last = last,
                    versions = self.versions_text()
                ))
            }
            _ => Err(crate::msg!(
                "E0315",
                zone = self.id,
                period = period,
                first = first,
                last = last,
                versions = self.versions_text()
            )),
        }
    }

    fn versions_text(&self) -> String {
        if self.agreements.is_empty() {
            return crate::i18n::t("versions.none").to_string();
        }
        self.agreements
            .iter()
            .map(|a| match a.to {
                Some(to) => format!("{} {}..{}", a.id, a.from, to),
                None => crate::i18n::tf(
                    "versions.from",
                    &[("id", a.id.clone()), ("from", a.from.to_string())],
                ),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A name of 1 to 15 bytes as one integer (length in the top byte so `a` ≠ `a\0`).
pub fn pack(name: &[u8]) -> Option<u128> {
    if name.is_empty() || name.len() > 15 {
        return None;
    }
    let mut w = [0u8; 16];
    w[..name.len()].copy_from_slice(name);
    w[15] = name.len() as u8;
    Some(u128::from_le_bytes(w))
}

/// The short names of an index, packed, when every name is short and there are few.
pub fn pack_names(index: &FxHashMap<String, usize>) -> Vec<(u128, usize)> {
    // Every name that fits: a longer one (a zone's Chinese name, 18 bytes and more)
    // cannot equal a short text, so such rows are looked up in the index instead.
    let mut packed: Vec<(u128, usize)> = index
        .iter()
        .filter_map(|(k, v)| pack(k.as_bytes()).map(|p| (p, *v)))
        .collect();
    if packed.len() > 64 {
        return Vec::new();
    }
    packed.sort_unstable();
    packed
}

/// The packed names (as `pack_names`) of the zones where no rule counts from an
/// entity's start date: there a record's start date never decides its cell.
pub fn undated_zones(small: &[(u128, usize)], zones: &[Zone]) -> Vec<u128> {
    small
        .iter()
        .filter(|(_, z)| {
            !zones[*z].agreements.iter().any(|a| {
                a.rules
                    .iter()
                    .any(|r| r.anchor() == Some(Anchor::EntityStart))
            })
        })
        .map(|(p, _)| *p)
        .collect()
}

/// Lookup of a packed name among packed names (see `pack`). Every entry is compared,
/// without an early exit: records come in no particular order, and a loop that stops
/// at the match would mispredict its exit on most rows.
#[inline]
pub fn lookup_packed(small: &[(u128, usize)], p: u128) -> Option<usize> {
    let mut found = usize::MAX;
    for &(k, v) in small {
        found = if k == p { v } else { found };
    }
    (found != usize::MAX).then_some(found)
}

/// Name lookup once per record: a few integer compares for short names, else a hash.
fn lookup(small: &[(u128, usize)], index: &FxHashMap<String, usize>, key: &str) -> Option<usize> {
    match pack(key.as_bytes()) {
        // Every short name is in `small` (when it is not empty).
        Some(p) if !small.is_empty() => small.iter().find(|(k, _)| *k == p).map(|(_, v)| *v),
        _ => index.get(key).copied(),
    }
}

/// A config file that was read, for the manifest.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What an enterprise's `applies_to` can look at: a distinct (tags, origin).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityClass {
    pub tags: Vec<String>,
    pub origin: Option<String>,
}

/// One line of the entities file (SPEC §8.4). Small and `Copy`: a file of a million
/// enterprises is a million of these, with the ids and zones kept apart in `Entities`.
#[derive(Debug, Clone, Copy)]
pub struct Entity {
    pub start: Option<NaiveDate>,
    /// 1-based index into `Entities::classes`.
    pub class: u32,
    /// 1-based index into `Entities::zones` (0: none given).
    zone: u32,
    /// End of the id in `Entities::ids` (it starts where the previous one ends).
    id_end: u32,
    pub line: u32,
}

/// The entities file: start dates, origins and tags by entity id. The ids are one text
/// and the lookup a table of indices, so a million enterprises fit in tens of MB
/// (a map of `String`s took 230 MB).
#[derive(Debug, Clone, Default)]
pub struct Entities {
    /// The file as given, for messages.
    pub file: String,
    /// Every id, one after the other, in the file's order.
    ids: String,
    rows: Vec<Entity>,
    /// Indices into `rows`, hashed by id.
    table: hashbrown::HashTable<u32>,
    /// Distinct (tags, origin); an entity's `class` is 1 + its index here.
    pub classes: Vec<EntityClass>,
    /// Distinct zones (园区) as written (SPEC §12: `zone = { from = "entities" }`).
    zones: Vec<String>,
    zone_index: FxHashMap<String, u32>,
}

fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl Entities {
    /// The class of class id `c` (0: no entity file line).
    pub fn class(&self, c: u32) -> Option<&EntityClass> {
        c.checked_sub(1).and_then(|i| self.classes.get(i as usize))
    }

    fn id_of(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(p) => self.rows[p].id_end as usize,
            None => 0,
        };
        self.ids
            .get(start..self.rows[i].id_end as usize)
            .unwrap_or("")
    }

    /// The line of entity `id`.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.table
            .find(id_hash(id), |&i| self.id_of(i as usize) == id)
            .map(|&i| &self.rows[i as usize])
    }

    /// The zone (园区) the entities file gives `e`, as written.
    pub fn zone_of(&self, e: &Entity) -> Option<&str> {
        e.zone
            .checked_sub(1)
            .and_then(|z| self.zones.get(z as usize))
            .map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Add entity `id` (not yet present: the reader checks with `get`). `None` once the
    /// ids outgrow what an index of 32 bits addresses (4 GiB of ids).
    pub fn insert(
        &mut self,
        id: &str,
        start: Option<NaiveDate>,
        class: u32,
        zone: Option<&str>,
        line: u64,
    ) -> Option<()> {
        let id_end = u32::try_from(self.ids.len() + id.len()).ok()?;
        let index = u32::try_from(self.rows.len()).ok()?;
        let line = u32::try_from(line).ok()?;
        let zone = match zone {
            None => 0,
            Some(z) => match self.zone_index.get(z) {
                Some(&i) => i,
                None => {
                    self.zones.push(z.to_string());
                    let i = self.zones.len() as u32;
                    self.zone_index.insert(z.to_string(), i);
                    i
                }
            },
        };
        self.ids.push_str(id);
        self.rows.push(Entity {
            start,
            class,
            zone,
            id_end,
            line,
        });
        let Self {
            table, rows, ids, ..
        } = self;
        let hasher = |&i: &u32| {
            let i = i as usize;
            let start = i.checked_sub(1).map_or(0, |p| rows[p].id_end as usize);
            id_hash(ids.get(start..rows[i].id_end as usize).unwrap_or(""))
        };
        table.insert_unique(id_hash(id), index, hasher);
        Some(())
    }
}

/// The whole validated configuration.
#[derive(Debug, Clone)]
pub struct Model {
    pub parties: Vec<Party>,
    pub metrics: Vec<Metric>,
    pub zones: Vec<Zone>,
    pub files: Vec<SourceFile>,
    pub metric_index: FxHashMap<String, usize>,
    pub zone_index: FxHashMap<String, usize>,
    /// Names of at most 15 bytes packed into integers (`pack_names`): the per-record
    /// lookup is then a few integer compares.
    pub metric_small: Vec<(u128, usize)>,
    pub zone_small: Vec<(u128, usize)>,
    /// Packed names of the zones whose cells never depend on a start date
    /// (`undated_zones`): the byte path leaves the date out of their rows' keys.
    pub undated_small: Vec<u128>,
    /// The entities file of the run (`--entities`), empty without one.
    pub entities: Entities,
    /// Some record must be looked at by its entity (an entities file, or deductions
    /// per entity): the byte path, which never looks at the entity, is then off.
    pub needs_entity: bool,
    /// Entities that deductions of entity-anchored rules name: where their records
    /// go is kept, so each deduction finds its cell.
    pub watch: rustc_hash::FxHashSet<String>,
    /// How records files are written: `[input.columns]` and `--delimiter`.
    pub input: InputSpec,
}

/// An import profile (SPEC §12), validated: how the tax system's export is read.
/// A skip rule: the trimmed cell equals one of `equals`, or starts with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub column: String,
    pub equals: Vec<String>,
    pub prefix: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The file as given, and its bytes (hashed in the manifest, copied into closings).
    pub path: String,
    pub bytes: Vec<u8>,
    pub name: String,
    /// Physical line (or sheet row) of the header, from 1.
    pub header: u64,
    pub sheet: Option<String>,
    pub thousands: bool,
    pub parens: bool,
    pub period_of_date: Option<crate::period::Granularity>,
    /// §2.1 field index → (source column header, the profile's line).
    pub columns: std::collections::BTreeMap<usize, (String, usize)>,
    /// The zone is the entities file's `zone` column.
    pub zone_from_entities: bool,
    /// By §2.1 field index: source text → mapped text (`-`: drop the row); `None`
    /// for a field taken as written. (An array: every row of an export looks here.)
    pub values: [Option<std::collections::BTreeMap<String, String>>; 6],
    pub skip: Vec<Skip>,
}

/// How records files are written (SPEC §10, `[input.columns]` of the configuration).
#[derive(Debug, Clone, Default)]
pub struct InputSpec {
    /// `--delimiter`: forced; otherwise the one of `,` `\t` `;` most used in the header.
    pub delimiter: Option<u8>,
    /// Column (as in SPEC §2.1, by index: period, zone, entity, metric, amount,
    /// entity_start) → more header names it may have.
    pub columns: Vec<(usize, Vec<String>)>,
    /// Leave out the records of entities carrying this tag (the second pass of
    /// `quota`, SPEC §13.2: use without the exempt entities). Only with an entities
    /// file, so every record takes the entity-aware path.
    pub without_tag: Option<String>,
    /// `--profile` (SPEC §12): every records file is read through it.
    pub profile: Option<Profile>,
}

impl Model {
    pub fn party_name<'a>(&'a self, id: &'a str) -> &'a str {
        if id == CENTRAL {
            return "中央";
        }
        if id == DEDUCTION {
            return "扣除";
        }
        self.parties
            .iter()
            .find(|p| p.id == id)
            .map_or(id, |p| p.name.as_str())
    }

    /// Metric by id or alias.
    pub fn metric(&self, key: &str) -> Option<usize> {
        lookup(&self.metric_small, &self.metric_index, key)
    }

    /// Zone by id or alias.
    pub fn zone(&self, key: &str) -> Option<usize> {
        lookup(&self.zone_small, &self.zone_index, key)
    }
}
