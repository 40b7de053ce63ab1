//! `schedule`: phases of whole years counted from an anchor, each with its shares (the last
//! may be open-ended).

use super::*;

pub(in crate::config::load) fn kind(
    ctx: &mut Ctx,
    rk: &KindCtx<'_>,
    phases: Option<&[At<RawPhase>]>,
) -> Option<RuleKind> {
    let at = rk.at;
    let path = rk.path;
    let parties = rk.parties;
    let anchor = rk.anchor;
    let Some(anchor) = anchor else {
        rk.need(ctx, "anchor");
        return None;
    };
    let Some(raw_phases) = phases else {
        rk.need(ctx, "phases");
        return None;
    };
    if raw_phases.is_empty() {
        ctx.err(at, &format!("{path}.phases"), msg!("E0165"));
        return None;
    }
    let mut phases = Vec::new();
    let n = raw_phases.len();
    for (i, ph) in raw_phases.iter().enumerate() {
        let field = format!("{path}.phases.{}", i + 1);
        let years = match &ph.value.years {
            Some(y) if y.value < 1 || y.value > 1000 => {
                ctx.err(y, &format!("{field}.years"), msg!("E0166", text = y.value));
                return None;
            }
            Some(y) => Some(y.value as u32),
            None if i + 1 < n => {
                ctx.err(ph, &format!("{field}.years"), msg!("E0167"));
                return None;
            }
            None => None,
        };
        let Some(s) = &ph.value.shares else {
            ctx.err(ph, &format!("{field}.shares"), msg!("E0168"));
            return None;
        };
        phases.push(Phase {
            years,
            shares: share_table(ctx, s, &format!("{field}.shares"), parties, true)?,
        });
    }
    Some(RuleKind::Schedule { anchor, phases })
}
