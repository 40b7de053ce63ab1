//! Serde types of the TOML configuration, named as in SPEC §2.2.
//!
//! Every field is optional and located (`At<T>` carries file and byte span), because a
//! configuration may be split over several files that merge key by key; what is
//! required is checked after merging, in `load`, where an error can name the file and
//! line of the table that lacks it. Unknown keys are refused (`deny_unknown_fields`).

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::ops::Range;

thread_local! {
    /// Index of the file being deserialised, picked up by `At<T>`.
    pub(crate) static CURRENT_FILE: Cell<usize> = const { Cell::new(0) };
}

/// A value with the file index and byte span where it was written.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub value: T,
    pub file: usize,
    pub span: Range<usize>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = toml::Spanned::<T>::deserialize(d)?;
        Ok(At {
            span: s.span(),
            value: s.into_inner(),
            file: CURRENT_FILE.with(Cell::get),
        })
    }
}

/// Decimal text: a TOML string or integer. TOML floats are refused because `0.1` as a
/// float is not 0.1 — but not here: a float is read as the text of its value, and
/// `load` reports every float of a file at its own line from the `toml` crate's spans
/// (`floats`), so that one float does not hide the configuration's other problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecText(pub String);

impl<'de> Deserialize<'de> for DecText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DecText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a decimal written as a string, e.g. \"0.5\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DecText, E> {
                Ok(DecText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DecText, E> {
                Ok(DecText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DecText, E> {
                Ok(DecText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DecText, E> {
                Ok(DecText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

pub type ShareTable = BTreeMap<String, At<DecText>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    #[serde(default)]
    pub party: Vec<At<RawParty>>,
    #[serde(default)]
    pub metric: BTreeMap<String, At<RawMetric>>,
    #[serde(default)]
    pub zone: BTreeMap<String, At<RawZone>>,
    /// In a scenario file only: `--set` overrides applied after it, so that an offer
    /// made in the workbench is one file (`set = ["zone.z.….shares.aba=0.65"]`).
    #[serde(default)]
    pub set: Option<At<Vec<String>>>,
    /// `[input.columns]`: other header names of the records' columns.
    #[serde(default)]
    pub input: Option<At<RawInput>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    #[serde(default)]
    pub columns: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParty {
    pub id: Option<At<String>>,
    pub name: Option<At<String>>,
    pub code: Option<At<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    pub name: Option<At<String>>,
    pub kind: Option<At<String>>,
    pub unit: Option<At<String>>,
    pub quantum: Option<At<DecText>>,
    pub central_share: Option<At<RawCentral>>,
    pub levels: Option<At<RawLevels>>,
    pub aliases: Option<At<Vec<String>>>,
    pub pool: Option<At<Vec<String>>>,
    pub assessment: Option<At<String>>,
    /// A quota metric's exempt entities (SPEC §13.1): `{ tag = "major-project" }`.
    pub exempt: Option<At<BTreeMap<String, String>>>,
}

/// `levels`: `{ central = "0.5", sichuan = "0.175" }` or a dated list (SPEC §8.1).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawLevels {
    Plain(BTreeMap<String, DecText>),
    Dated(Vec<RawDatedLevels>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatedLevels {
    pub from: String,
    pub parts: BTreeMap<String, DecText>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawCentral {
    Plain(DecText),
    Dated(Vec<RawDatedRatio>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatedRatio {
    pub from: String,
    pub ratio: DecText,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawZone {
    pub name: Option<At<String>>,
    pub host: Option<At<String>>,
    pub aliases: Option<At<Vec<String>>>,
    pub levels: Option<At<BTreeMap<String, At<RawLevels>>>>,
    #[serde(default)]
    pub agreement: Vec<At<RawAgreement>>,
    /// `[[zone.Z.guarantee]]` (SPEC §14).
    #[serde(default)]
    pub guarantee: Vec<At<RawGuarantee>>,
    /// `[[zone.Z.return]]` (SPEC §14).
    #[serde(default, rename = "return")]
    pub returns: Vec<At<RawReturn>>,
}

/// A guaranteed minimum paid by a named region (保底, SPEC §14).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGuarantee {
    pub party: Option<At<String>>,
    pub payer: Option<At<String>>,
    pub metric: Option<At<String>>,
    pub amount: Option<At<DecText>>,
    pub from: Option<At<String>>,
    pub until: Option<At<String>>,
    pub cite: Option<At<String>>,
}

/// A fixed return on capital (固定回报, SPEC §14).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReturn {
    pub payee: Option<At<String>>,
    pub payer: Option<At<String>>,
    pub base: Option<At<DecText>>,
    pub rate: Option<At<DecText>>,
    pub from: Option<At<String>>,
    pub until: Option<At<String>>,
    pub cite: Option<At<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgreement {
    pub id: Option<At<String>>,
    pub from: Option<At<String>>,
    pub to: Option<At<String>>,
    pub cite: Option<At<String>>,
    #[serde(default)]
    pub rule: Vec<At<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: Option<At<String>>,
    pub metrics: Option<At<Vec<String>>>,
    pub kind: Option<At<String>>,
    pub shares: Option<At<ShareTable>>,
    pub anchor: Option<At<String>>,
    pub phases: Option<Vec<At<RawPhase>>>,
    pub base_owner: Option<At<String>>,
    pub base: Option<At<RawBase>>,
    pub tiers: Option<Vec<At<RawTier>>>,
    pub weights: Option<At<ShareTable>>,
    pub floor: Option<At<ShareTable>>,
    pub cap: Option<At<ShareTable>>,
    pub band: Option<At<DecText>>,
    pub applies_to: Option<At<BTreeMap<String, String>>>,
}

/// A rule's own fields, by its kind (SPEC §4). `RawRule` is read flat — serde's tagged
/// enums buffer a table before choosing its variant, and the `toml` crate's spans do
/// not survive that buffer, so every error inside a rule would lose its line — and
/// `RawRule::kind` is the one place where a kind's name meets the fields it takes.
#[derive(Debug, Clone, Copy)]
pub enum RawKind<'r> {
    Fixed {
        shares: Option<&'r At<ShareTable>>,
    },
    Schedule {
        anchor: Option<&'r At<String>>,
        phases: Option<&'r [At<RawPhase>]>,
    },
    BaseIncrement {
        base_owner: Option<&'r At<String>>,
        base: Option<&'r At<RawBase>>,
        shares: Option<&'r At<ShareTable>>,
    },
    Tiered {
        tiers: Option<&'r [At<RawTier>]>,
    },
    Weighted {
        weights: Option<&'r At<ShareTable>>,
    },
    Formula {
        anchor: Option<&'r At<String>>,
        shares: Option<&'r At<ShareTable>>,
    },
}

/// Every rule kind's name, in the order SPEC §4 lists them.
pub const RULE_KINDS: [&str; 6] = [
    "fixed",
    "schedule",
    "base_increment",
    "tiered",
    "weighted",
    "formula",
];

impl RawKind<'_> {
    /// The kind as the configuration names it.
    pub fn name(&self) -> &'static str {
        match self {
            RawKind::Fixed { .. } => "fixed",
            RawKind::Schedule { .. } => "schedule",
            RawKind::BaseIncrement { .. } => "base_increment",
            RawKind::Tiered { .. } => "tiered",
            RawKind::Weighted { .. } => "weighted",
            RawKind::Formula { .. } => "formula",
        }
    }

    /// The fields of its own the kind takes (beside those of every rule).
    pub fn fields(&self) -> &'static [&'static str] {
        kind_fields(self.name())
    }
}

/// The fields of its own the kind named `name` takes; none for a name that is no kind.
pub fn kind_fields(name: &str) -> &'static [&'static str] {
    match name {
        "fixed" => &["shares"],
        "schedule" => &["anchor", "phases"],
        "base_increment" => &["base_owner", "base", "shares"],
        "tiered" => &["tiers"],
        "weighted" => &["weights"],
        "formula" => &["anchor", "shares"],
        _ => &[],
    }
}

impl RawRule {
    /// The rule's fields as the kind `name` takes them, and the fields of other kinds
    /// the rule also sets (each a mistake to report: a `fixed` rule's `phases` would
    /// otherwise be ignored without a word). `None` for a name that is no kind.
    pub fn kind(&self, name: &str) -> Option<(RawKind<'_>, Vec<&'static str>)> {
        let kind = match name {
            "fixed" => RawKind::Fixed {
                shares: self.shares.as_ref(),
            },
            "schedule" => RawKind::Schedule {
                anchor: self.anchor.as_ref(),
                phases: self.phases.as_deref(),
            },
            "base_increment" => RawKind::BaseIncrement {
                base_owner: self.base_owner.as_ref(),
                base: self.base.as_ref(),
                shares: self.shares.as_ref(),
            },
            "tiered" => RawKind::Tiered {
                tiers: self.tiers.as_deref(),
            },
            "weighted" => RawKind::Weighted {
                weights: self.weights.as_ref(),
            },
            "formula" => RawKind::Formula {
                anchor: self.anchor.as_ref(),
                shares: self.shares.as_ref(),
            },
            _ => return None,
        };
        let set = [
            ("anchor", self.anchor.is_some()),
            ("shares", self.shares.is_some()),
            ("phases", self.phases.is_some()),
            ("base_owner", self.base_owner.is_some()),
            ("base", self.base.is_some()),
            ("tiers", self.tiers.is_some()),
            ("weights", self.weights.is_some()),
        ];
        let stray = set
            .iter()
            .filter(|(f, on)| *on && !kind.fields().contains(f))
            .map(|(f, _)| *f)
            .collect();
        Some((kind, stray))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    pub years: Option<At<i64>>,
    pub shares: Option<At<ShareTable>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawBase {
    Plain(DecText),
    PerYear(BTreeMap<String, DecText>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    pub upto: Option<At<DecText>>,
    pub shares: Option<At<ShareTable>>,
}
