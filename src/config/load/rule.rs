//! Validation of a rule's kind, one file per kind: each checks the fields its kind
//! takes (`schema::RawKind`, one variant per kind) and builds the `RuleKind` (the
//! fields every rule has are checked in `validate_rule`).

pub(super) use super::*;

pub(super) mod base_increment;
pub(super) mod fixed;
pub(super) mod formula;
pub(super) mod schedule;
pub(super) mod tiered;
pub(super) mod weighted;

/// Validate a rule's kind: each kind's own file, given the fields it takes
/// (`RawRule::kind` pairs a kind's name with them).
pub(in crate::config::load) fn validate(
    ctx: &mut Ctx,
    rk: &KindCtx<'_>,
    fields: RawKind<'_>,
) -> Option<RuleKind> {
    match fields {
        RawKind::Fixed { shares } => fixed::kind(ctx, rk, shares),
        RawKind::Schedule { phases, .. } => schedule::kind(ctx, rk, phases),
        RawKind::BaseIncrement {
            base_owner,
            base,
            shares,
        } => base_increment::kind(ctx, rk, base_owner, base, shares),
        RawKind::Tiered { tiers } => tiered::kind(ctx, rk, tiers),
        RawKind::Weighted { weights } => weighted::kind(ctx, rk, weights),
        RawKind::Formula { shares, .. } => formula::kind(ctx, rk, shares),
    }
}

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
