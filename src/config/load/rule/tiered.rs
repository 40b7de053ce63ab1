//! `tiered`: progressive brackets on the year-to-date total, each with its shares.

use super::*;

pub(in crate::config::load) fn kind(
    ctx: &mut Ctx,
    rk: &KindCtx<'_>,
    tiers: Option<&[At<RawTier>]>,
) -> Option<RuleKind> {
    let at = rk.at;
    let path = rk.path;
    let parties = rk.parties;
    let Some(raw) = tiers else {
        rk.need(ctx, "tiers");
        return None;
    };
    if raw.is_empty() {
        ctx.err(at, &format!("{path}.tiers"), msg!("E0171"));
        return None;
    }
    let mut tiers: Vec<Tier> = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        let field = format!("{path}.tiers.{}", i + 1);
        let upto = match &t.value.upto {
            Some(u) => {
                let v = ratio_of(ctx, u, &format!("{field}.upto"))?;
                if !Tier::follows(tiers.last().and_then(|t| t.upto.as_ref()), &v) {
                    ctx.err(u, &format!("{field}.upto"), msg!("E0172"));
                    return None;
                }
                if i + 1 == raw.len() {
                    ctx.err(u, &format!("{field}.upto"), msg!("E0173"));
                    return None;
                }
                Some(v)
            }
            None if i + 1 < raw.len() => {
                ctx.err(t, &format!("{field}.upto"), msg!("E0174"));
                return None;
            }
            None => None,
        };
        let Some(s) = &t.value.shares else {
            ctx.err(t, &format!("{field}.shares"), msg!("E0168"));
            return None;
        };
        tiers.push(Tier {
            upto,
            shares: share_table(ctx, s, &format!("{field}.shares"), parties, true)?,
        });
    }
    Some(RuleKind::Tiered { tiers })
}
