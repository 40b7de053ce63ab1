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
