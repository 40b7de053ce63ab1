//! The validated model: parties, metrics, zones, agreements and rules.
//!
//! Everything here has passed validation (`config::load`): ids exist, ratios are exact
//! and sum to 1, agreement versions do not overlap. The engine can therefore trust it
//! and stay free of checks and I/O. Names follow SPEC so the code reads against it.

use crate::engine::formula::Expr;
use crate::input::period::Period;
use crate::num::Ratio;
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

#[derive(Debug, Clone)]
pub enum CentralShare {
    None,
    Plain(Ratio),
    /// Sorted by date; the latest `from` ≤ the period's first day applies.
    Dated(Vec<(NaiveDate, Ratio)>),
}

impl CentralShare {
    pub fn at(&self, day: NaiveDate) -> Option<&Ratio> {
        match self {
            CentralShare::None => None,
            CentralShare::Plain(r) => Some(r),
            CentralShare::Dated(list) => list.iter().rev().find(|(d, _)| *d <= day).map(|(_, r)| r),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub kind: MetricKind,
    pub unit: String,
    pub quantum: Quantum,
    pub central_share: CentralShare,
    pub aliases: Vec<String>,
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
    pub loc: Loc,
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

#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: String,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub cite: Option<String>,
    pub rules: Vec<Rule>,
    /// metric index → rule index within `rules`.
    pub rule_for_metric: FxHashMap<usize, usize>,
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
}

impl Zone {
    /// The agreement version in force for the whole period, or why there is none.
    pub fn agreement_for(&self, period: Period) -> Result<usize, String> {
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
                Err(format!(
                    "zone '{}' has no agreement in force in {period} ({first} to {last}); versions: {}",
                    self.id,
                    self.versions_text()
                ))
            }
            _ => Err(format!(
                "the agreement of zone '{}' changes inside {period} ({first} to {last}); use periods that do not straddle a version change (versions: {})",
                self.id,
                self.versions_text()
            )),
        }
    }

    fn versions_text(&self) -> String {
        if self.agreements.is_empty() {
            return "none".into();
        }
        self.agreements
            .iter()
            .map(|a| match a.to {
                Some(to) => format!("{} {}..{}", a.id, a.from, to),
                None => format!("{} from {}", a.id, a.from),
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
    if index.len() > 16 {
        return Vec::new();
    }
    let packed: Option<Vec<(u128, usize)>> = index
        .iter()
        .map(|(k, v)| pack(k.as_bytes()).map(|p| (p, *v)))
        .collect();
    packed.unwrap_or_default()
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
    if !small.is_empty() {
        let p = pack(key.as_bytes())?;
        return small.iter().find(|(k, _)| *k == p).map(|(_, v)| *v);
    }
    index.get(key).copied()
}

/// A config file that was read, for the manifest.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
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
}

impl Model {
    pub fn party_name<'a>(&'a self, id: &'a str) -> &'a str {
        if id == CENTRAL {
            return "中央";
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
