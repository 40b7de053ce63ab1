//! Validation of the merged configuration: parties, metrics (quantum, levels, central
//! share, pools), then each zone (`zone.rs`). Every problem is collected, none stops it.

use super::*;

pub(super) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Whether party `p`, named at `at`, is declared; if not, says so there (with the
/// closest declared party).
pub(super) fn declared<T>(
    ctx: &mut Ctx,
    at: &At<T>,
    field: &str,
    p: &str,
    parties: &HashSet<String>,
) -> bool {
    if parties.contains(p) {
        return true;
    }
    ctx.err(
        at,
        field,
        msg!(
            "E0138",
            party = p,
            hint = crate::suggest::hint(p, parties.iter())
        ),
    );
    false
}

pub(super) fn ratio_of(ctx: &mut Ctx, at: &At<DecText>, field: &str) -> Option<Ratio> {
    match parse_ratio(&at.value.0) {
        Ok(r) => Some(r),
        Err(e) => {
            ctx.err(at, field, msg!("E0104", text = at.value.0, reason = e));
            None
        }
    }
}

pub(super) fn date_of(ctx: &mut Ctx, at: &At<String>, field: &str) -> Option<chrono::NaiveDate> {
    let d = parse_date(&at.value);
    if d.is_none() {
        ctx.err(at, field, msg!("E0105", text = at.value));
    }
    d
}

pub(super) fn validate(ctx: &mut Ctx, raw: RawFile) -> Model {
    // Parties.
    let mut parties = Vec::new();
    let mut seen: HashMap<String, Loc> = HashMap::new();
    for p in &raw.party {
        let Some(id) = &p.value.id else {
            ctx.err(p, "party.id", msg!("E0106"));
            continue;
        };
        if !valid_id(&id.value) {
            ctx.err(id, "party.id", msg!("E0107", text = id.value));
        } else if id.value == CENTRAL {
            ctx.err(id, "party.id", msg!("E0108"));
        } else if id.value == DEDUCTION {
            ctx.err(id, "party.id", msg!("E0109"));
        } else if let Some(first) = seen.get(&id.value) {
            let first = first.clone();
            ctx.err(
                id,
                "party.id",
                msg!("E0110", party = id.value, first = first),
            );
        } else {
            seen.insert(id.value.clone(), ctx.src.loc(id));
            parties.push(Party {
                id: id.value.clone(),
                name: p
                    .value
                    .name
                    .as_ref()
                    .map_or_else(|| id.value.clone(), |n| n.value.clone()),
                code: p.value.code.as_ref().map(|c| c.value.clone()),
            });
        }
    }
    let party_ids: HashSet<String> = parties.iter().map(|p| p.id.clone()).collect();

    // Metrics.
    let mut metrics = Vec::new();
    let mut metric_index = FxHashMap::default();
    for (id, m) in &raw.metric {
        if let Some(metric) = validate_metric(ctx, id, m, &party_ids) {
            metric_index.insert(id.clone(), metrics.len());
            metrics.push(metric);
        }
    }
    link_pools(ctx, &raw.metric, &mut metrics, &metric_index);
    // Names and aliases are accepted wherever ids are (SPEC §10, §11): one namespace.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, m) in metrics.iter().enumerate() {
        let mut words: Vec<(&str, &str)> =
            m.aliases.iter().map(|a| (a.as_str(), "alias")).collect();
        if m.name != m.id {
            words.insert(0, (m.name.as_str(), "name"));
        }
        for (a, what) in words {
            let clash = metric_index
                .get(a)
                .copied()
                .filter(|&j| j != i)
                .or_else(|| by_name.get(a).copied().filter(|&j| j != i));
            if let Some(j) = clash {
                let at = &raw.metric[&m.id];
                let field = if what == "name" { "name" } else { "aliases" };
                ctx.err(
                    at,
                    &format!("metric.{}.{field}", m.id),
                    msg!(
                        "E0111",
                        what = crate::i18n::t(if what == "name" {
                            "word.name"
                        } else {
                            "word.alias"
                        }),
                        name = a,
                        other = metrics[j].id
                    ),
                );
            } else {
                by_name.entry(a.to_string()).or_insert(i);
            }
        }
    }
    for (a, i) in by_name {
        metric_index.entry(a).or_insert(i);
    }

    // Zones.
    let mut zones = Vec::new();
    let mut zone_index = FxHashMap::default();
    let mut level_parties: HashSet<String> = metrics
        .iter()
        .flat_map(|m| m.levels.parties())
        .map(str::to_string)
        .collect();
    for z in raw.zone.values() {
        for l in z.value.levels.iter().flat_map(|t| t.value.values()) {
            match &l.value {
                RawLevels::Plain(p) => level_parties.extend(p.keys().cloned()),
                RawLevels::Dated(d) => {
                    level_parties.extend(d.iter().flat_map(|e| e.parts.keys().cloned()))
                }
            }
        }
    }
    for (id, z) in &raw.zone {
        let zone = validate_zone(
            ctx,
            id,
            z,
            &party_ids,
            &metric_index,
            &metrics,
            &level_parties,
        );
        if let Some(zone) = zone {
            zone_index.insert(id.clone(), zones.len());
            zones.push(zone);
        }
    }
    let aliases: Vec<(usize, String, &str)> = zones
        .iter()
        .enumerate()
        .flat_map(|(i, z)| {
            let name = (z.name != z.id).then(|| (i, z.name.clone(), "name"));
            name.into_iter()
                .chain(z.aliases.iter().map(move |a| (i, a.clone(), "alias")))
        })
        .collect();
    for (i, a, what) in aliases {
        if let Some(&j) = zone_index.get(&a) {
            if j != i {
                let at = &raw.zone[&zones[i].id];
                let other = zones[j].id.clone();
                let field = if what == "name" { "name" } else { "aliases" };
                ctx.err(
                    at,
                    &format!("zone.{}.{field}", zones[i].id),
                    msg!(
                        "E0112",
                        what = crate::i18n::t(if what == "name" {
                            "word.name"
                        } else {
                            "word.alias"
                        }),
                        name = a,
                        other = other
                    ),
                );
            }
        } else {
            zone_index.insert(a, i);
        }
    }

    let zone_small = crate::model::pack_names(&zone_index);
    Model {
        parties,
        metrics,
        files: ctx.src.files.clone(),
        metric_small: crate::model::pack_names(&metric_index),
        undated_small: crate::model::undated_zones(&zone_small, &zones),
        zones,
        zone_small,
        metric_index,
        zone_index,
        entities: Entities::default(),
        needs_entity: false,
        watch: Default::default(),
        input: Default::default(),
    }
}

pub(super) fn validate_metric(
    ctx: &mut Ctx,
    id: &str,
    at: &At<RawMetric>,
    parties: &HashSet<String>,
) -> Option<Metric> {
    let path = format!("metric.{id}");
    let m = &at.value;
    let mut ok = true;
    if !valid_id(id) {
        ctx.err(at, &path, msg!("E0113", text = id));
        ok = false;
    }
    let kind = match m.kind.as_ref().map(|k| (k, k.value.as_str())) {
        Some((_, "tax")) => Some(MetricKind::Tax),
        Some((_, "statistic")) => Some(MetricKind::Statistic),
        Some((_, "quota")) => Some(MetricKind::Quota),
        Some((k, other)) => {
            ctx.err(k, &format!("{path}.kind"), msg!("E0114", text = other));
            None
        }
        None => {
            ctx.err(at, &format!("{path}.kind"), msg!("E0115"));
            None
        }
    };
    let quantum = match &m.quantum {
        None => {
            ctx.err(at, &format!("{path}.quantum"), msg!("E0116"));
            None
        }
        Some(q) => match split_decimal(&q.value.0) {
            Ok((neg, int, frac)) => {
                let decimals = frac.len() as u32;
                let scaled: Option<i128> = format!("{int}{frac}").parse().ok();
                match scaled {
                    Some(s) if !neg && s > 0 && decimals <= 18 => Some(Quantum {
                        text: q.value.0.clone(),
                        decimals,
                        scaled: s,
                        value: parse_ratio(&q.value.0).ok()?,
                    }),
                    _ => {
                        ctx.err(
                            q,
                            &format!("{path}.quantum"),
                            msg!("E0117", text = q.value.0),
                        );
                        None
                    }
                }
            }
            Err(e) => {
                ctx.err(
                    q,
                    &format!("{path}.quantum"),
                    msg!("E0104", text = q.value.0, reason = e),
                );
                None
            }
        },
    };
    let levels = match (&m.central_share, &m.levels) {
        (Some(c), Some(_)) => {
            ctx.err(c, &format!("{path}.central_share"), msg!("E0118"));
            ok = false;
            Levels::None
        }
        (Some(c), None) => central_levels(ctx, c, &format!("{path}.central_share"), &mut ok),
        (None, Some(l)) => match parse_levels(ctx, l, &l.value, &format!("{path}.levels"), parties)
        {
            Some(v) => v,
            None => {
                ok = false;
                Levels::None
            }
        },
        (None, None) => Levels::None,
    };
    let dual = match &m.assessment {
        None => false,
        Some(a) if a.value == "dual" => {
            if kind.is_some_and(|k| k != MetricKind::Statistic) {
                ctx.err(a, &format!("{path}.assessment"), msg!("E0119"));
                ok = false;
            }
            true
        }
        Some(a) => {
            ctx.err(
                a,
                &format!("{path}.assessment"),
                msg!("E0120", text = a.value),
            );
            ok = false;
            false
        }
    };
    let aliases = m
        .aliases
        .as_ref()
        .map(|a| a.value.clone())
        .unwrap_or_default();
    let exempt_tag = m.exempt.as_ref().and_then(|e| {
        let field = format!("{path}.exempt");
        if kind.is_some_and(|k| k != MetricKind::Quota) {
            ctx.err(e, &field, msg!("E0198"));
            return None;
        }
        match e.value.iter().next() {
            Some((k, v)) if e.value.len() == 1 && k == "tag" && !v.trim().is_empty() => {
                Some(v.trim().to_string())
            }
            _ => {
                ctx.err(e, &field, msg!("E0199"));
                None
            }
        }
    });
    Some(Metric {
        exempt_tag,
        id: id.to_string(),
        name: m
            .name
            .as_ref()
            .map_or_else(|| id.to_string(), |n| n.value.clone()),
        kind: kind?,
        unit: m
            .unit
            .as_ref()
            .map_or_else(String::new, |u| u.value.clone()),
        quantum: quantum?,
        levels,
        aliases,
        pool: Vec::new(),
        pool_of: None,
        dual,
    })
    // A metric with a bad level or view is still declared (its problem is reported),
    // so that rules and records naming it are checked as well.
    .filter(|_| ok || valid_id(id))
}

/// `central_share = c` (plain or dated) as levels `{ central = c }`.
pub(super) fn central_levels(
    ctx: &mut Ctx,
    c: &At<RawCentral>,
    field: &str,
    ok: &mut bool,
) -> Levels {
    let check = |ctx: &mut Ctx, r: Option<Ratio>| -> Option<Ratio> {
        let r = r?;
        if r.is_negative() || r > Ratio::one() {
            ctx.err(c, field, msg!("E0121"));
            return None;
        }
        Some(r)
    };
    let central = |r: Ratio| vec![(CENTRAL.to_string(), r)];
    match &c.value {
        RawCentral::Plain(d) => {
            let r = parse_ratio(&d.0)
                .map_err(|e| ctx.err(c, field, msg!("E0104", text = d.0, reason = e)))
                .ok();
            match check(ctx, r) {
                Some(r) => Levels::Plain(central(r)),
                None => {
                    *ok = false;
                    Levels::None
                }
            }
        }
        RawCentral::Dated(list) => {
            let mut out = Vec::new();
            for e in list {
                let d = parse_date(&e.from);
                if d.is_none() {
                    ctx.err(c, field, msg!("E0105", text = e.from));
                }
                let r = parse_ratio(&e.ratio.0)
                    .map_err(|er| ctx.err(c, field, msg!("E0104", text = e.ratio.0, reason = er)))
                    .ok();
                let r = check(ctx, r);
                match (d, r) {
                    (Some(d), Some(r)) => out.push((d, central(r))),
                    _ => *ok = false,
                }
            }
            out.sort_by_key(|(d, _)| *d);
            if out.windows(2).any(|w| w[0].0 == w[1].0) {
                ctx.err(c, field, msg!("E0122"));
                *ok = false;
            }
            Levels::Dated(out)
        }
    }
}

/// One entry of `levels`: parties are `central` or declared, ratios ≥ 0, summing to
/// at most 1 (SPEC §8.1).
pub(super) fn level_parts<T>(
    ctx: &mut Ctx,
    at: &At<T>,
    parts: &BTreeMap<String, DecText>,
    field: &str,
    parties: &HashSet<String>,
) -> Option<LevelParts> {
    let mut out = Vec::new();
    let mut ok = true;
    if parts.is_empty() {
        ctx.err(at, field, msg!("E0123"));
        return None;
    }
    for (p, v) in parts {
        if let Some(m) = crate::model::level_party(p, parties.iter()) {
            ctx.err(at, field, m);
            ok = false;
            continue;
        }
        match parse_ratio(&v.0) {
            Ok(r) if r.is_negative() || r > Ratio::one() => {
                ctx.err(at, &format!("{field}.{p}"), msg!("E0126", text = v.0));
                ok = false;
            }
            Ok(r) => out.push((p.clone(), r)),
            Err(e) => {
                ctx.err(
                    at,
                    &format!("{field}.{p}"),
                    msg!("E0104", text = v.0, reason = e),
                );
                ok = false;
            }
        }
    }
    let sum: Ratio = out.iter().map(|(_, r)| r.clone()).sum();
    if ok && sum > Ratio::one() {
        ctx.err(at, field, msg!("E0127", sum = crate::num::ratio_text(&sum)));
        ok = false;
    }
    ok.then_some(out)
}

/// `levels`, plain or dated.
pub(super) fn parse_levels<T>(
    ctx: &mut Ctx,
    at: &At<T>,
    raw: &RawLevels,
    field: &str,
    parties: &HashSet<String>,
) -> Option<Levels> {
    match raw {
        RawLevels::Plain(parts) => {
            Some(Levels::Plain(level_parts(ctx, at, parts, field, parties)?))
        }
        RawLevels::Dated(list) => {
            let mut out = Vec::new();
            let mut ok = true;
            for e in list {
                let d = parse_date(&e.from);
                if d.is_none() {
                    ctx.err(at, field, msg!("E0105", text = e.from));
                }
                match (d, level_parts(ctx, at, &e.parts, field, parties)) {
                    (Some(d), Some(p)) => out.push((d, p)),
                    _ => ok = false,
                }
            }
            out.sort_by_key(|(d, _)| *d);
            if out.windows(2).any(|w| w[0].0 == w[1].0) {
                ctx.err(at, field, msg!("E0122"));
                ok = false;
            }
            ok.then_some(Levels::Dated(out))
        }
    }
}

/// Pools (SPEC §8.3): components exist, have the pool's kind and quantum, belong to
/// one pool, and are not pools; a pool has no levels of its own.
pub(super) fn link_pools(
    ctx: &mut Ctx,
    raw: &BTreeMap<String, At<RawMetric>>,
    metrics: &mut [Metric],
    index: &FxHashMap<String, usize>,
) {
    let mut links: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, m) in metrics.iter().enumerate() {
        let Some(at) = raw.get(&m.id) else { continue };
        let Some(pool) = &at.value.pool else { continue };
        let field = format!("metric.{}.pool", m.id);
        if at.value.levels.is_some() || at.value.central_share.is_some() {
            ctx.err(at, &field, msg!("E0128"));
        }
        if pool.value.is_empty() {
            ctx.err(pool, &field, msg!("E0129"));
        }
        let mut comps = Vec::new();
        for c in &pool.value {
            match index.get(c).copied().filter(|&j| metrics[j].id == *c) {
                None => ctx.err(
                    pool,
                    &field,
                    msg!(
                        "E0130",
                        metric = c,
                        hint = crate::suggest::hint(c, metrics.iter().map(|x| &x.id))
                    ),
                ),
                Some(j) if j == i => ctx.err(pool, &field, msg!("E0131")),
                Some(j) => {
                    let cm = &metrics[j];
                    if raw.get(&cm.id).is_some_and(|r| r.value.pool.is_some()) {
                        ctx.err(pool, &field, msg!("E0132", metric = c));
                    } else if cm.kind != m.kind {
                        ctx.err(
                            pool,
                            &field,
                            msg!(
                                "E0133",
                                metric = c,
                                kind = cm.kind.as_str(),
                                pool = m.kind.as_str()
                            ),
                        );
                    } else if cm.quantum.value != m.quantum.value
                        || cm.quantum.decimals != m.quantum.decimals
                    {
                        ctx.err(
                            pool,
                            &field,
                            msg!(
                                "E0134",
                                metric = c,
                                quantum = cm.quantum.text,
                                pool = m.quantum.text
                            ),
                        );
                    } else if !comps.contains(&j) {
                        comps.push(j);
                    }
                }
            }
        }
        links.push((i, comps));
    }
    for (i, comps) in links {
        for &c in &comps {
            if let Some(other) = metrics[c].pool_of {
                let at = &raw[&metrics[i].id];
                ctx.err(
                    at,
                    &format!("metric.{}.pool", metrics[i].id),
                    msg!("E0135", metric = metrics[c].id, pool = metrics[other].id),
                );
            } else {
                metrics[c].pool_of = Some(i);
            }
        }
        metrics[i].pool = comps;
    }
}
