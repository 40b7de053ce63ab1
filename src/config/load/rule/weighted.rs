//! `weighted`: shares in proportion to weights (e.g. 3200 and 1800 mu of land).

use super::*;

pub(in crate::config::load) fn kind(
    ctx: &mut Ctx,
    rk: &KindCtx<'_>,
    weights: Option<&At<ShareTable>>,
) -> Option<RuleKind> {
    let path = rk.path;
    let parties = rk.parties;
    let Some(w) = weights else {
        rk.need(ctx, "weights");
        return None;
    };
    let weights = share_table(ctx, w, &format!("{path}.weights"), parties, false)?;
    let total: Ratio = weights.iter().map(|(_, r)| r.clone()).sum();
    if total.is_zero() {
        ctx.err(w, &format!("{path}.weights"), msg!("E0175"));
        return None;
    }
    let ratios = weights
        .iter()
        .map(|(p, v)| (p.clone(), v / &total))
        .collect();
    Some(RuleKind::Weighted { weights, ratios })
}
