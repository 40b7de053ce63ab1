//! `formula`: each party's share an expression of year, month, amount and ytd (at most one
//! party is `rest`); an expression that reads `year` needs an anchor.

use super::*;

pub(in crate::config::load) fn kind(
    ctx: &mut Ctx,
    rk: &KindCtx<'_>,
    shares: Option<&At<ShareTable>>,
) -> Option<RuleKind> {
    let parties = rk.parties;
    let anchor = rk.anchor;
    let shares_field = rk.shares_field.as_str();
    let Some(s) = shares else {
        rk.need(ctx, "shares");
        return None;
    };
    let mut parts = Vec::new();
    let mut ok = true;
    for (p, v) in &s.value {
        if !declared(ctx, v, shares_field, p, parties) {
            ok = false;
            continue;
        }
        let text = v.value.0.trim();
        if text == "rest" {
            parts.push((p.clone(), FormulaPart::Rest));
            continue;
        }
        match crate::formula::parse(text) {
            Ok(expr) => parts.push((
                p.clone(),
                FormulaPart::Expr {
                    source: text.to_string(),
                    expr,
                },
            )),
            Err(e) => {
                ctx.err(v, &format!("{shares_field}.{p}"), e.at(text));
                ok = false;
            }
        }
    }
    // What the parts say together (`model::formula_problems`, as `--set` checks them),
    // each at its party's line or the table's.
    for (party, m) in crate::model::formula_problems(&parts, anchor) {
        ok = false;
        match party.and_then(|p| s.value.get(p).map(|v| (p, v))) {
            Some((p, v)) => ctx.err(v, &format!("{shares_field}.{p}"), m),
            None => ctx.err(s, shares_field, m),
        }
    }
    if !ok {
        return None;
    }
    Some(RuleKind::Formula { anchor, parts })
}
