//! `base_increment`: the base owner keeps up to the base of the year (one amount, or one
//! per year), the increment above it is shared.

use super::*;

pub(in crate::config::load) fn kind(
    ctx: &mut Ctx,
    rk: &KindCtx<'_>,
    base_owner: Option<&At<String>>,
    base: Option<&At<RawBase>>,
    shares: Option<&At<ShareTable>>,
) -> Option<RuleKind> {
    let path = rk.path;
    let parties = rk.parties;
    let shares_field = rk.shares_field.as_str();
    let Some(owner) = base_owner else {
        rk.need(ctx, "base_owner");
        return None;
    };
    if !declared(
        ctx,
        owner,
        &format!("{path}.base_owner"),
        &owner.value,
        parties,
    ) {
        return None;
    }
    let Some(b) = base else {
        rk.need(ctx, "base");
        return None;
    };
    let field = format!("{path}.base");
    let nonneg = |ctx: &mut Ctx, text: &str| -> Option<Ratio> {
        match parse_ratio(text) {
            Ok(v) if !v.is_negative() => Some(v),
            Ok(_) => {
                ctx.err(b, &field, msg!("E0169", text = text));
                None
            }
            Err(e) => {
                ctx.err(b, &field, msg!("E0104", text = text, reason = e));
                None
            }
        }
    };
    let base = match &b.value {
        RawBase::Plain(d) => Base::Plain(nonneg(ctx, &d.0)?),
        RawBase::PerYear(map) => {
            let mut out = BTreeMap::new();
            for (y, d) in map {
                let year = (y.len() == 4).then(|| y.parse::<i32>().ok()).flatten();
                let Some(year) = year else {
                    ctx.err(b, &field, msg!("E0170", text = y));
                    return None;
                };
                out.insert(year, nonneg(ctx, &d.0)?);
            }
            Base::PerYear(out)
        }
    };
    let Some(s) = shares else {
        rk.need(ctx, "shares");
        return None;
    };
    Some(RuleKind::BaseIncrement {
        base_owner: owner.value.clone(),
        base,
        shares: share_table(ctx, s, shares_field, parties, true)?,
    })
}
