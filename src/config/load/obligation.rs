//! Validation of a zone's obligations (SPEC §14, §16): `[[zone.Z.guarantee]]` and
//! `[[zone.Z.return]]`. Every problem is reported at its key's line; an obligation
//! with a problem is left out of the model (the configuration is refused anyway).

use super::*;
use crate::config::schema::{RawGuarantee, RawReturn};

/// What the obligations of one zone are checked against.
pub(super) struct Scope<'a> {
    pub path: &'a str,
    pub parties: &'a HashSet<String>,
    pub metric_index: &'a FxHashMap<String, usize>,
    pub metrics: &'a [Metric],
    /// The zone's agreements, validated: which metrics they share and with whom.
    pub agreements: &'a [Agreement],
    /// Every level party of any metric or zone (never a payer or payee).
    pub level_parties: &'a HashSet<String>,
}

impl Scope<'_> {
    /// A payer or payee: a declared party, not `central`, not a level party.
    fn party(&self, ctx: &mut Ctx, at: &At<String>, field: &str) -> Option<String> {
        let p = at.value.as_str();
        if p == CENTRAL || p == DEDUCTION || self.level_parties.contains(p) {
            ctx.err(at, field, msg!("E0191", party = p));
            return None;
        }
        declared(ctx, at, field, p, self.parties).then(|| p.to_string())
    }

    /// The metric ids and rule parties a guarantee may name: tax metrics (or pools)
    /// that a rule of the zone shares, in any agreement.
    fn shared(&self, m: usize) -> Option<Vec<String>> {
        let mut parties: Vec<String> = Vec::new();
        let mut found = false;
        for a in self.agreements {
            for r in a.rules.iter().filter(|r| r.metrics.contains(&m)) {
                found = true;
                parties.extend(r.all_parties());
            }
        }
        found.then_some(parties)
    }
}

fn required<'a, T>(
    ctx: &mut Ctx,
    at: &At<impl Sized>,
    v: &'a Option<At<T>>,
    field: &str,
) -> Option<&'a At<T>> {
    if v.is_none() {
        ctx.err(at, field, msg!("E0192"));
    }
    v.as_ref()
}

/// A decimal ≥ 0.
fn non_negative(ctx: &mut Ctx, at: &At<DecText>, field: &str) -> Option<Ratio> {
    let r = ratio_of(ctx, at, field)?;
    if r.is_negative() {
        ctx.err(at, field, msg!("E0152", text = at.value.0));
        return None;
    }
    Some(r)
}

/// `from` and `until`, the second not before the first.
fn bounds(
    ctx: &mut Ctx,
    from: &Option<At<String>>,
    until: &Option<At<String>>,
    path: &str,
) -> Option<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> {
    let mut ok = true;
    let mut day = |ctx: &mut Ctx, v: &Option<At<String>>, name: &str| match v {
        None => None,
        Some(at) => {
            let d = date_of(ctx, at, &format!("{path}.{name}"));
            ok &= d.is_some();
            d
        }
    };
    let f = day(ctx, from, "from");
    let u = day(ctx, until, "until");
    if let (Some(f), Some(u), Some(at)) = (f, u, until)
        && u < f
    {
        ctx.err(
            at,
            &format!("{path}.until"),
            msg!("E0147", end = u, start = f),
        );
        ok = false;
    }
    ok.then_some((f, u))
}

fn cite(c: &Option<At<String>>) -> String {
    c.as_ref().map(|c| c.value.clone()).unwrap_or_default()
}

pub(super) fn guarantee(
    ctx: &mut Ctx,
    s: &Scope<'_>,
    n: usize,
    at: &At<RawGuarantee>,
) -> Option<Obligation> {
    let path = format!("{}.guarantee.{n}", s.path);
    let g = &at.value;
    let f = |k: &str| format!("{path}.{k}");
    let party = required(ctx, at, &g.party, &f("party"));
    let payer = required(ctx, at, &g.payer, &f("payer"));
    let metric = required(ctx, at, &g.metric, &f("metric"));
    let amount = required(ctx, at, &g.amount, &f("amount"));
    let party = party.and_then(|p| s.party(ctx, p, &f("party")));
    let payer_id = payer.and_then(|p| s.party(ctx, p, &f("payer")));
    if let (Some(a), Some(b), Some(at)) = (&party, &payer_id, payer)
        && a == b
    {
        ctx.err(at, &f("payer"), msg!("E0193", party = a));
    }
    let m = metric.and_then(|mt| {
        let found = s
            .metric_index
            .get(&mt.value)
            .copied()
            .filter(|&i| s.metrics[i].kind == MetricKind::Tax);
        if found.is_none() {
            ctx.err(mt, &f("metric"), msg!("E0194", metric = mt.value));
        }
        found
    });
    let rule_parties = m.and_then(|m| {
        let r = s.shared(m);
        if r.is_none()
            && let Some(mt) = metric
        {
            ctx.err(mt, &f("metric"), msg!("E0195", metric = mt.value));
        }
        r
    });
    if let (Some(p), Some(named), Some(at)) = (&party, &rule_parties, &g.party)
        && !named.contains(p)
    {
        ctx.err(at, &f("party"), msg!("E0196", party = p));
    }
    let amount = amount.and_then(|a| {
        let r = non_negative(ctx, a, &f("amount"))?;
        let q = &s.metrics[m?].quantum.value;
        if !(&r / q).is_integer() {
            ctx.err(
                a,
                &f("amount"),
                msg!(
                    "E0197",
                    text = a.value.0,
                    quantum = s.metrics[m?].quantum.text
                ),
            );
            return None;
        }
        Some(r)
    });
    let (from, until) = bounds(ctx, &g.from, &g.until, &path)?;
    if party
        .as_ref()
        .zip(payer_id.as_ref())
        .is_some_and(|(a, b)| a == b)
    {
        return None;
    }
    let payee = party?;
    if !rule_parties?.contains(&payee) {
        return None;
    }
    Some(Obligation {
        terms: Terms::Guarantee {
            metric: m?,
            amount: amount?,
        },
        payer: payer_id?,
        payee,
        from,
        until,
        cite: cite(&g.cite),
        loc: ctx.src.loc(at),
    })
}

pub(super) fn fixed_return(
    ctx: &mut Ctx,
    s: &Scope<'_>,
    n: usize,
    at: &At<RawReturn>,
) -> Option<Obligation> {
    let path = format!("{}.return.{n}", s.path);
    let r = &at.value;
    let f = |k: &str| format!("{path}.{k}");
    let payee = required(ctx, at, &r.payee, &f("payee"));
    let payer = required(ctx, at, &r.payer, &f("payer"));
    let base = required(ctx, at, &r.base, &f("base"));
    let rate = required(ctx, at, &r.rate, &f("rate"));
    let payee = payee.and_then(|p| s.party(ctx, p, &f("payee")));
    let payer_id = payer.and_then(|p| s.party(ctx, p, &f("payer")));
    if let (Some(a), Some(b), Some(at)) = (&payee, &payer_id, payer)
        && a == b
    {
        ctx.err(at, &f("payer"), msg!("E0193", party = a));
    }
    let base = base.and_then(|b| non_negative(ctx, b, &f("base")));
    let rate = rate.and_then(|b| non_negative(ctx, b, &f("rate")));
    let (from, until) = bounds(ctx, &r.from, &r.until, &path)?;
    if payee
        .as_ref()
        .zip(payer_id.as_ref())
        .is_some_and(|(a, b)| a == b)
    {
        return None;
    }
    Some(Obligation {
        terms: Terms::Return {
            base: base?,
            rate: rate?,
        },
        payer: payer_id?,
        payee: payee?,
        from,
        until,
        cite: cite(&r.cite),
        loc: ctx.src.loc(at),
    })
}
