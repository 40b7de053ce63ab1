//! Validation of a rule's kind, one file per kind: each checks the fields its kind
//! needs and builds the `RuleKind` (the fields every rule has are checked in
//! `validate_rule`).

pub(super) use super::*;

pub(super) mod base_increment;
pub(super) mod fixed;
pub(super) mod formula;
pub(super) mod schedule;
pub(super) mod tiered;
pub(super) mod weighted;

/// A rule kind of the configuration (`kind = "…"`): its name, its validation, and
/// which of the fields any rule may carry it takes. Each is declared in its own file
/// (`KIND`), so that a kind's name, fields and checks are found in one place.
pub(in crate::config::load) struct Kind {
    pub name: &'static str,
    pub validate: fn(&mut Ctx, &KindCtx<'_>) -> Option<RuleKind>,
    /// Counts years from `anchor = …`.
    pub anchor: bool,
    /// Takes a top-level `shares` table.
    pub shares: bool,
}

/// Every kind, in the order SPEC §4 lists them.
pub(in crate::config::load) const KINDS: [Kind; 6] = [
    fixed::KIND,
    schedule::KIND,
    base_increment::KIND,
    tiered::KIND,
    weighted::KIND,
    formula::KIND,
];

/// What every kind's validation reads of its rule.
pub(super) struct KindCtx<'a> {
    pub at: &'a At<RawRule>,
    /// The rule's config path (`zone.Z.agreement.A.rule.R`).
    pub path: &'a str,
    pub parties: &'a HashSet<String>,
    pub anchor: Option<Anchor>,
    pub shares_field: String,
}

impl KindCtx<'_> {
    /// Report a field the kind needs and the rule lacks.
    pub fn need(&self, ctx: &mut Ctx, name: &str) {
        ctx.err(self.at, &format!("{}.{name}", self.path), msg!("E0162"));
    }
}
