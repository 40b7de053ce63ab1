//! `fixed`: one shares table for every period.

use super::*;

/// The kind as the configuration names it.
pub(in crate::config::load) const KIND: Kind = Kind {
    name: "fixed",
    validate: kind,
    anchor: false,
    shares: true,
};

pub(in crate::config::load) fn kind(ctx: &mut Ctx, rk: &KindCtx<'_>) -> Option<RuleKind> {
    let r = &rk.at.value;
    let parties = rk.parties;
    let shares_field = rk.shares_field.as_str();
    let Some(s) = &r.shares else {
        rk.need(ctx, "shares");
        return None;
    };
    Some(RuleKind::Fixed {
        shares: share_table(ctx, s, shares_field, parties, true)?,
    })
}
