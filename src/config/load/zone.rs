//! Validation of a zone: its agreements (dates, no overlap), each agreement's rules (the
//! fields every rule has here, the kind's own in `rule/<kind>.rs`) and share tables.

use super::*;

pub(super) fn validate_zone(
    ctx: &mut Ctx,
    id: &str,
    at: &At<RawZone>,
    parties: &HashSet<String>,
    metric_index: &FxHashMap<String, usize>,
    metrics: &[Metric],
    level_parties: &HashSet<String>,
) -> Option<Zone> {
    let path = format!("zone.{id}");
    let z = &at.value;
    if !valid_id(id) {
        ctx.err(at, &path, msg!("E0136", text = id));
    }
    let host = match &z.host {
        None => {
            ctx.err(at, &format!("{path}.host"), msg!("E0137"));
            None
        }
        Some(h) if !declared(ctx, h, &format!("{path}.host"), &h.value, parties) => None,
        Some(h) => Some(h.value.clone()),
    };
    let mut agreements = Vec::new();
    let mut ids = HashSet::new();
    for a in &z.agreement {
        if let Some(ag) = validate_agreement(ctx, &path, a, parties, metric_index, metrics) {
            if !ids.insert(ag.id.clone()) {
                ctx.err(a, &format!("{path}.agreement"), msg!("E0139", id = ag.id));
                continue;
            }
            agreements.push((a, ag));
        }
    }
    if z.agreement.is_empty() {
        ctx.err(at, &format!("{path}.agreement"), msg!("E0140"));
    }
    agreements.sort_by_key(|(_, a)| a.from);
    for w in agreements.windows(2) {
        let (_, a) = &w[0];
        let (bat, b) = &w[1];
        if let Some(m) = crate::model::overlap((&a.id, a.from, a.to), (&b.id, b.from)) {
            ctx.err(*bat, &format!("{path}.agreement"), m);
        }
    }
    let mut levels = FxHashMap::default();
    if let Some(table) = &z.levels {
        for (m, l) in &table.value {
            let field = format!("{path}.levels.{m}");
            match metric_index
                .get(m)
                .copied()
                .filter(|&i| metrics[i].id == *m)
            {
                None => ctx.err(
                    l,
                    &field,
                    msg!(
                        "E0130",
                        metric = m,
                        hint = crate::suggest::hint(m, metrics.iter().map(|x| &x.id))
                    ),
                ),
                Some(i) if !metrics[i].pool.is_empty() => {
                    ctx.err(l, &field, msg!("E0142", metric = m))
                }
                Some(i) => {
                    if let Some(v) = parse_levels(ctx, l, &l.value, &field, parties) {
                        levels.insert(i, v);
                    }
                }
            }
        }
    }
    // A level party takes its part before the rule shares the rest: it must not also
    // be a party of the rule that shares the metric in this zone (SPEC §8.1).
    for (a, ag) in &agreements {
        for rule in &ag.rules {
            let named = rule.all_parties();
            for &m in &rule.metrics {
                let comps = if metrics[m].pool.is_empty() {
                    vec![m]
                } else {
                    metrics[m].pool.clone()
                };
                for c in comps {
                    let lv = levels.get(&c).unwrap_or(&metrics[c].levels);
                    for p in lv.parties() {
                        if named.iter().any(|n| n == p) {
                            ctx.err(
                                *a,
                                &format!("{path}.agreement.{}.rule.{}", ag.id, rule.id),
                                msg!("E0143", party = p, metric = metrics[c].id),
                            );
                        }
                    }
                }
            }
        }
    }
    let agreements: Vec<Agreement> = agreements.into_iter().map(|(_, a)| a).collect();
    let scope = obligation::Scope {
        path: &path,
        parties,
        metric_index,
        metrics,
        agreements: &agreements,
        level_parties,
    };
    let mut obligations = Vec::new();
    for (n, g) in z.guarantee.iter().enumerate() {
        obligations.extend(obligation::guarantee(ctx, &scope, n + 1, g));
    }
    for (n, r) in z.returns.iter().enumerate() {
        obligations.extend(obligation::fixed_return(ctx, &scope, n + 1, r));
    }
    Some(Zone {
        id: id.to_string(),
        obligations,
        name: z
            .name
            .as_ref()
            .map_or_else(|| id.to_string(), |n| n.value.clone()),
        levels,
        host: host?,
        aliases: z
            .aliases
            .as_ref()
            .map(|a| a.value.clone())
            .unwrap_or_default(),
        agreements,
    })
}

pub(super) fn validate_agreement(
    ctx: &mut Ctx,
    zpath: &str,
    at: &At<RawAgreement>,
    parties: &HashSet<String>,
    metric_index: &FxHashMap<String, usize>,
    metrics: &[Metric],
) -> Option<Agreement> {
    let a = &at.value;
    let Some(id) = &a.id else {
        ctx.err(at, &format!("{zpath}.agreement.id"), msg!("E0144"));
        return None;
    };
    if !valid_id(&id.value) {
        ctx.err(
            id,
            &format!("{zpath}.agreement.id"),
            msg!("E0145", text = id.value),
        );
    }
    let path = format!("{zpath}.agreement.{}", id.value);
    let from = match &a.from {
        Some(f) => date_of(ctx, f, &format!("{path}.from")),
        None => {
            ctx.err(at, &format!("{path}.from"), msg!("E0146"));
            None
        }
    };
    let to =
        a.to.as_ref()
            .map(|t| date_of(ctx, t, &format!("{path}.to")));
    if let (Some(f), Some(Some(t))) = (from, to)
        && let Some(m) = crate::model::ends_before_start(f, Some(t))
    {
        ctx.err(at, &format!("{path}.to"), m);
    }
    let mut rules: Vec<Rule> = Vec::new();
    let mut rule_for_metric: FxHashMap<usize, RuleChoice> = FxHashMap::default();
    let mut rule_ids = HashSet::new();
    // metric → (rule id, whether through a pool) of the rule without `applies_to`.
    let mut metric_rule: HashMap<usize, String> = HashMap::new();
    for r in &a.rule {
        if let Some(rule) = validate_rule(ctx, &path, r, parties, metric_index, metrics) {
            if !rule_ids.insert(rule.id.clone()) {
                ctx.err(r, &format!("{path}.rule"), msg!("E0148", id = rule.id));
                continue;
            }
            // A rule naming a pool shares the pool's components in this agreement.
            let shared: Vec<usize> = rule
                .metrics
                .iter()
                .flat_map(|&m| std::iter::once(m).chain(metrics[m].pool.iter().copied()))
                .collect();
            for m in shared {
                let choice = rule_for_metric.entry(m).or_default();
                if rule.applies_to.is_some() {
                    choice.specific.push(rules.len());
                } else if let Some(other) = metric_rule.get(&m) {
                    ctx.err(
                        r,
                        &format!("{path}.rule.{}.metrics", rule.id),
                        msg!("E0149", metric = metrics[m].id, rule = other),
                    );
                } else {
                    metric_rule.insert(m, rule.id.clone());
                    choice.default = Some(rules.len());
                }
            }
            rules.push(rule);
        }
    }
    // A component pooled by one rule and shared on its own by another would be shared
    // twice.
    for rule in &rules {
        for &m in &rule.metrics {
            if let Some(p) = metrics[m].pool_of
                && let Some(pool_rule) = rules.iter().find(|o| o.metrics.contains(&p))
                && pool_rule.id != rule.id
            {
                let at = a
                    .rule
                    .iter()
                    .find(|x| x.value.id.as_ref().is_some_and(|i| i.value == rule.id));
                if let Some(at) = at {
                    ctx.err(
                        at,
                        &format!("{path}.rule.{}.metrics", rule.id),
                        msg!(
                            "E0150",
                            metric = metrics[m].id,
                            pool = metrics[p].id,
                            rule = pool_rule.id
                        ),
                    );
                }
            }
        }
    }
    Some(Agreement {
        id: id.value.clone(),
        from: from?,
        to: to.flatten(),
        cite: a.cite.as_ref().map(|c| c.value.clone()),
        rules,
        rule_for_metric,
        loc: ctx.src.loc(at),
    })
}

/// Parse a share table of ratios: declared parties, ratios ≥ 0; with `sum_to_one` they
/// must add up to exactly 1.
pub(super) fn share_table(
    ctx: &mut Ctx,
    at: &At<ShareTable>,
    field: &str,
    parties: &HashSet<String>,
    sum_to_one: bool,
) -> Option<Shares> {
    let mut out = Vec::new();
    let mut ok = true;
    if at.value.is_empty() {
        ctx.err(at, field, msg!("E0151"));
        return None;
    }
    for (p, v) in &at.value {
        if !declared(ctx, v, field, p, parties) {
            ok = false;
            continue;
        }
        match ratio_of(ctx, v, &format!("{field}.{p}")) {
            Some(r) if r.is_negative() => {
                ctx.err(v, &format!("{field}.{p}"), msg!("E0152", text = v.value.0));
                ok = false;
            }
            Some(r) => out.push((p.clone(), r)),
            None => ok = false,
        }
    }
    if ok && sum_to_one {
        let sum: Ratio = out.iter().map(|(_, r)| r.clone()).sum();
        if sum != Ratio::one() {
            ctx.err(at, field, msg!("E0153", sum = crate::num::ratio_text(&sum)));
            ok = false;
        }
    }
    ok.then_some(out)
}

/// The kinds that take field `f`, for a message: `schedule`, or `fixed / formula`.
fn owners(f: &str) -> String {
    let names: Vec<&str> = RULE_KINDS
        .iter()
        .filter(|k| kind_fields(k).contains(&f))
        .copied()
        .collect();
    names.join(" / ")
}

pub(super) fn validate_rule(
    ctx: &mut Ctx,
    apath: &str,
    at: &At<RawRule>,
    parties: &HashSet<String>,
    metric_index: &FxHashMap<String, usize>,
    metrics: &[Metric],
) -> Option<Rule> {
    let r = &at.value;
    let Some(id) = &r.id else {
        ctx.err(at, &format!("{apath}.rule.id"), msg!("E0154"));
        return None;
    };
    if !valid_id(&id.value) {
        ctx.err(
            id,
            &format!("{apath}.rule.id"),
            msg!("E0155", text = id.value),
        );
    }
    let path = format!("{apath}.rule.{}", id.value);
    let mut rule_metrics = Vec::new();
    match &r.metrics {
        None => ctx.err(at, &format!("{path}.metrics"), msg!("E0156")),
        Some(ms) => {
            if ms.value.is_empty() {
                ctx.err(ms, &format!("{path}.metrics"), msg!("E0157"));
            }
            for m in &ms.value {
                match metric_index.get(m) {
                    Some(&i) if metrics[i].id == *m => rule_metrics.push(i),
                    _ => ctx.err(
                        ms,
                        &format!("{path}.metrics"),
                        msg!(
                            "E0130",
                            metric = m,
                            hint = crate::suggest::hint(m, metrics.iter().map(|x| &x.id))
                        ),
                    ),
                }
            }
        }
    }
    for &m in &rule_metrics {
        if let Some(p) = metrics[m].pool_of
            && rule_metrics.contains(&p)
            && let Some(ms) = &r.metrics
        {
            ctx.err(
                ms,
                &format!("{path}.metrics"),
                msg!("E0158", pool = metrics[p].id, metric = metrics[m].id),
            );
        }
    }
    let applies_to = match &r.applies_to {
        None => None,
        Some(a) => {
            let field = format!("{path}.applies_to");
            let word_ok = |w: &str| valid_id(w);
            match a.value.iter().collect::<Vec<_>>().as_slice() {
                [(k, v)] if k.as_str() == "tag" && word_ok(v) => {
                    Some(AppliesTo::Tag(v.to_string()))
                }
                [(k, v)] if k.as_str() == "origin" && parties.contains(v.as_str()) => {
                    Some(AppliesTo::Origin(v.to_string()))
                }
                [(k, v)] if k.as_str() == "tag" => {
                    ctx.err(a, &field, msg!("E0159", text = v));
                    return None;
                }
                [(k, v)] if k.as_str() == "origin" => {
                    declared(ctx, a, &field, v, parties);
                    return None;
                }
                [(k, _)] => {
                    ctx.err(
                        a,
                        &field,
                        msg!(
                            "E0160",
                            key = k,
                            hint = crate::suggest::hint(k, ["tag", "origin"].iter())
                        ),
                    );
                    return None;
                }
                _ => {
                    ctx.err(a, &field, msg!("E0161"));
                    return None;
                }
            }
        }
    };
    let anchor = match &r.anchor {
        None => None,
        Some(a) => match a.value.as_str() {
            "agreement" => Some(Anchor::Agreement),
            "entity_start" => Some(Anchor::EntityStart),
            other => {
                ctx.err(a, &format!("{path}.anchor"), msg!("E0163", text = other));
                return None;
            }
        },
    };
    let shares_field = format!("{path}.shares");
    let rk = rule::KindCtx {
        at,
        path: &path,
        parties,
        anchor,
        shares_field: shares_field.clone(),
    };
    let kind_text = r.kind.as_ref().map(|k| k.value.clone());
    let Some(text) = kind_text.as_deref() else {
        ctx.err(at, &format!("{path}.kind"), msg!("E0164"));
        return None;
    };
    let Some((fields, stray)) = r.kind(text) else {
        let at_kind = r.kind.as_ref()?;
        ctx.err(at_kind, &format!("{path}.kind"), msg!("E0178", text = text));
        return None;
    };
    let name = fields.name();
    let kind = rule::validate(ctx, &rk, fields)?;
    // Another kind's field, said rather than ignored.
    for f in &stray {
        let field = format!("{path}.{f}");
        match *f {
            "anchor" => ctx.err(at, &field, msg!("E0179", kind = name)),
            "shares" => ctx.err(at, &field, msg!("E0181", kind = name)),
            _ => ctx.err(
                at,
                &field,
                msg!("E0801", kind = name, field = f, owners = owners(f)),
            ),
        }
    }
    let tmp = Rule {
        id: id.value.clone(),
        metrics: vec![],
        kind,
        floor: vec![],
        cap: vec![],
        band: None,
        applies_to: None,
        loc: Loc::default(),
    };
    let named: HashSet<String> = match &tmp.kind {
        RuleKind::Schedule { phases, .. } => phases
            .iter()
            .flat_map(|p| p.shares.iter().map(|(id, _)| id.clone()))
            .collect(),
        _ => tmp.named_parties(0).into_iter().collect(),
    };
    let modifier = |ctx: &mut Ctx, m: &Option<At<ShareTable>>, name: &str| -> Option<Shares> {
        let Some(t) = m else { return Some(Vec::new()) };
        let field = format!("{path}.{name}");
        let out = share_table(ctx, t, &field, parties, false)?;
        for (p, _) in &out {
            if !named.contains(p) {
                ctx.err(t, &field, msg!("E0180", party = p));
                return None;
            }
        }
        Some(out)
    };
    let floor = modifier(ctx, &r.floor, "floor");
    let cap = modifier(ctx, &r.cap, "cap");
    Some(Rule {
        id: id.value.clone(),
        metrics: rule_metrics,
        kind: tmp.kind,
        floor: floor?,
        cap: cap?,
        band: match &r.band {
            None => None,
            Some(b) => match ratio_of(ctx, b, &format!("{path}.band"))? {
                v if v.is_negative() || v > Ratio::one() => {
                    ctx.err(b, &format!("{path}.band"), msg!("E0182"));
                    return None;
                }
                v => Some(v),
            },
        },
        applies_to,
        loc: ctx.src.loc(at),
    })
}
