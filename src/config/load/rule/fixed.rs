//! `fixed`: one shares table for every period.

use super::*;

pub(in crate::config::load) fn kind(
    ctx: &mut Ctx,
    rk: &KindCtx<'_>,
    shares: Option<&At<ShareTable>>,
) -> Option<RuleKind> {
    let parties = rk.parties;
    let shares_field = rk.shares_field.as_str();
    let Some(s) = shares else {
        rk.need(ctx, "shares");
        return None;
    };
    Some(RuleKind::Fixed {
        shares: share_table(ctx, s, shares_field, parties, true)?,
    })
}
