//! Negotiation overlays: `--set PATH=VALUE` on a validated model, and the policy band.
//!
//! Ratios are exact rationals in the model, so setting one share of a table rescales
//! the others by (1 − v) / (their sum) without rounding (SPEC §7 `--set`); that is why
//! overrides apply to the model, not to TOML text. Scenario files apply earlier, to the
//! raw configuration (`load::load_with`), because they replace whole metrics, agreements
//! and rules.

use crate::formula;
use crate::i18n::Msg;
use crate::model::{Base, FormulaPart, Model, Rule, RuleKind, Shares};
use crate::msg;
use crate::num::{Ratio, parse_ratio, ratio_text};
use crate::period::parse_date;
use num_traits::{One, Signed, Zero};

/// One `--set PATH=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetOp {
    pub path: String,
    pub value: String,
}

impl SetOp {
    pub fn parse(text: &str) -> Result<SetOp, Msg> {
        match text.split_once('=') {
            Some((p, v)) if !p.trim().is_empty() => Ok(SetOp {
                path: p.trim().to_string(),
                value: v.trim().to_string(),
            }),
            _ => Err(msg!("E0601", text = text)),
        }
    }
}

impl std::fmt::Display for SetOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

fn ratio(v: &str, what: &str) -> Result<Ratio, Msg> {
    parse_ratio(v).map_err(|e| msg!("E0602", what = what, text = v, reason = e))
}

fn unit_ratio(v: &str, what: &str) -> Result<Ratio, Msg> {
    let r = ratio(v, what)?;
    if r.is_negative() || r > Ratio::one() {
        return Err(msg!("E0603", what = what, text = v));
    }
    Ok(r)
}

fn amount(v: &str, what: &str) -> Result<Ratio, Msg> {
    let r = ratio(v, what)?;
    if r.is_negative() {
        return Err(msg!("E0604", what = what, text = v));
    }
    Ok(r)
}

/// Set one ratio of a shares table; the others are rescaled by (1 − v) / (their sum).
pub fn set_share(shares: &mut Shares, party: &str, v: Ratio, what: &str) -> Result<(), Msg> {
    let Some(i) = shares.iter().position(|(p, _)| p == party) else {
        let known: Vec<&str> = shares.iter().map(|(p, _)| p.as_str()).collect();
        return Err(msg!(
            "E0605",
            what = what,
            party = party,
            parties = known.join(", ")
        ));
    };
    let others: Ratio = shares
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, (_, r))| r.clone())
        .sum();
    let rest = Ratio::one() - &v;
    if others.is_zero() {
        if !rest.is_zero() && shares.len() > 1 {
            return Err(msg!(
                "E0606",
                what = what,
                party = party,
                value = ratio_text(&v)
            ));
        }
        if shares.len() == 1 && !rest.is_zero() {
            return Err(msg!("E0607", what = what, party = party));
        }
    } else {
        let factor = &rest / &others;
        for (j, (_, r)) in shares.iter_mut().enumerate() {
            if j != i {
                *r = &*r * &factor;
            }
        }
    }
    shares[i].1 = v;
    Ok(())
}

fn set_amount(table: &mut Shares, party: &str, v: Ratio, what: &str) -> Result<(), Msg> {
    match table.iter_mut().find(|(p, _)| p == party) {
        Some((_, a)) => {
            *a = v;
            Ok(())
        }
        None => Err(msg!("E0608", what = what, party = party)),
    }
}

fn index(seg: &str, len: usize, what: &str) -> Result<usize, Msg> {
    match seg.parse::<usize>() {
        Ok(i) if (1..=len).contains(&i) => Ok(i - 1),
        _ => Err(msg!("E0609", what = what, text = seg, len = len)),
    }
}

/// Apply one `--set` to the model. Errors read `PATH=VALUE: what is wrong` (the
/// caller names `--set`).
pub fn apply(model: &mut Model, op: &SetOp) -> Result<(), Msg> {
    let result = apply_inner(model, op);
    result.map_err(|e| {
        let paths = valid_paths(model);
        // A rule of the configuration (E01) broken by the value is said as it is, even
        // on a path that adds a key (a new level party).
        if paths.iter().any(|p| p == &op.path) || e.code.starts_with("E01") {
            return e.prefixed(format!("{op}: "));
        }
        // The first segment that leads nowhere, and what could stand there; when only
        // the last one does (a party not in a table), the reason it was refused.
        let segs: Vec<&str> = op.path.split('.').collect();
        let parent = segs[..segs.len() - 1].join(".");
        let known_parent = paths
            .iter()
            .any(|p| p.strip_prefix(&parent).is_some_and(|r| r.starts_with('.')));
        if known_parent && segs.len() > 1 {
            return e.prefixed(format!("{op}: "));
        }
        for k in 0..segs.len() {
            let prefix = segs[..k].join(".");
            let under: Vec<&str> = paths
                .iter()
                .filter_map(|p| {
                    let rest = if k == 0 {
                        Some(p.as_str())
                    } else {
                        p.strip_prefix(&prefix)?.strip_prefix('.')
                    };
                    rest.map(|r| r.split('.').next().unwrap_or(""))
                })
                .collect();
            if !under.contains(&segs[k]) {
                let mut keys = under.clone();
                keys.sort_unstable();
                keys.dedup();
                let place = if k == 0 {
                    crate::i18n::t("set.top").to_string()
                } else {
                    crate::i18n::tf("set.under", &[("prefix", prefix.clone())])
                };
                // A key that leads to the segment further down (`rule` lives under
                // `agreement`) is what was most likely meant; else the closest spelling.
                let deeper = paths.iter().find_map(|p| {
                    let rest = if k == 0 {
                        p.as_str()
                    } else {
                        p.strip_prefix(&prefix)?.strip_prefix('.')?
                    };
                    let (first, tail) = rest.split_once('.')?;
                    tail.split('.').any(|t| t == segs[k]).then_some(first)
                });
                let hint = match crate::suggest::closest(segs[k], keys.iter())
                    .or(deeper.map(str::to_string))
                {
                    Some(c) => msg!("E0002", name = c).text,
                    None => msg!("E0610", keys = keys.join(", ")).text,
                };
                return msg!("E0611", op = op, key = segs[k], place = place, hint = hint);
            }
        }
        e.prefixed(format!("{op}: "))
    })
}

fn apply_inner(model: &mut Model, op: &SetOp) -> Result<(), Msg> {
    let seg: Vec<&str> = op.path.split('.').collect();
    let v = op.value.as_str();
    match seg.as_slice() {
        ["metric", m, "central_share"] => {
            let i = model
                .metrics
                .iter()
                .position(|x| x.id == *m)
                .ok_or_else(|| msg!("E0612"))?;
            model.metrics[i].levels = crate::model::Levels::Plain(vec![(
                crate::model::CENTRAL.to_string(),
                unit_ratio(v, "central_share")?,
            )]);
            Ok(())
        }
        ["metric", m, "levels", party] => {
            let i = model
                .metrics
                .iter()
                .position(|x| x.id == *m)
                .ok_or_else(|| msg!("E0612"))?;
            let r = unit_ratio(v, crate::i18n::t("set.level"))?;
            level_party_ok(model, None, i, party)?;
            set_level(&mut model.metrics[i].levels, party, r)
        }
        ["zone", z, "levels", m, party] => {
            let i = model
                .metrics
                .iter()
                .position(|x| x.id == *m)
                .ok_or_else(|| msg!("E0612"))?;
            let own = model.metrics[i].levels.clone();
            let zi = model
                .zones
                .iter()
                .position(|x| x.id == *z)
                .ok_or_else(|| msg!("E0612"))?;
            level_party_ok(model, Some(zi), i, party)?;
            let zone = zone_mut(model, z)?;
            let levels = zone.levels.entry(i).or_insert(own);
            let r = unit_ratio(v, crate::i18n::t("set.level"))?;
            set_level(levels, party, r)
        }
        ["zone", z, "host"] => {
            let host = v.to_string();
            if !model.parties.iter().any(|p| p.id == host) {
                return Err(msg!("E0241", party = v, hint = ""));
            }
            zone_mut(model, z)?.host = host;
            Ok(())
        }
        ["zone", z, "agreement", a, field] if ["from", "to", "cite"].contains(field) => {
            let ag = agreement_mut(model, z, a)?;
            let (mut from, mut to) = (ag.from, ag.to);
            match *field {
                "from" => from = parse_date(v).ok_or_else(|| msg!("E0105", text = v))?,
                "to" => to = Some(parse_date(v).ok_or_else(|| msg!("E0105", text = v))?),
                _ => {
                    ag.cite = Some(v.to_string());
                    return Ok(());
                }
            }
            // The configuration's own rules for a version's dates.
            if let Some(m) = crate::model::ends_before_start(from, to) {
                return Err(m);
            }
            let zone = zone_mut(model, z)?;
            let mut dates: Vec<(&str, chrono::NaiveDate, Option<chrono::NaiveDate>)> = zone
                .agreements
                .iter()
                .map(|x| {
                    if x.id == *a {
                        (x.id.as_str(), from, to)
                    } else {
                        (x.id.as_str(), x.from, x.to)
                    }
                })
                .collect();
            dates.sort_by_key(|d| d.1);
            for w in dates.windows(2) {
                if let Some(m) = crate::model::overlap(w[0], (w[1].0, w[1].1)) {
                    return Err(m);
                }
            }
            let ag = agreement_mut(model, z, a)?;
            ag.from = from;
            ag.to = to;
            Ok(())
        }
        ["zone", z, "agreement", a, "rule", r, "applies_to", key] => {
            // Which enterprises a rule is for (SPEC §8.4): a tag or an origin party.
            let to = match *key {
                "tag"
                    if !v.is_empty()
                        && v.bytes().all(|b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                        }) =>
                {
                    crate::model::AppliesTo::Tag(v.to_string())
                }
                "origin" if model.parties.iter().any(|p| p.id == v) => {
                    crate::model::AppliesTo::Origin(v.to_string())
                }
                "tag" => {
                    return Err(msg!("E0159", text = v));
                }
                "origin" => return Err(msg!("E0241", party = v, hint = "")),
                _ => return Err(msg!("E0613")),
            };
            let ag = agreement_mut(model, z, a)?;
            let ri = find(
                &ag.rules.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
                r,
                "rule",
            )?;
            if ag.rules[ri].applies_to.is_none() {
                return Err(msg!("E0614", rule = r));
            }
            ag.rules[ri].applies_to = Some(to);
            Ok(())
        }
        ["zone", z, kind @ ("guarantee" | "return"), n, field] => {
            // SPEC §14: `zone.Z.guarantee.N.amount`, `zone.Z.return.N.rate` (and the
            // return's base), N counted from 1 among the zone's obligations of that kind.
            let quanta: Vec<Ratio> = model
                .metrics
                .iter()
                .map(|m| m.quantum.value.clone())
                .collect();
            let zone = zone_mut(model, z)?;
            let want = if *kind == "guarantee" {
                "guarantee"
            } else {
                "return"
            };
            let of_kind: Vec<usize> = (0..zone.obligations.len())
                .filter(|&i| zone.obligations[i].kind() == want)
                .collect();
            let i = index(n, of_kind.len(), kind)?;
            let o = &mut zone.obligations[of_kind[i]];
            match (&mut o.terms, *field) {
                (crate::model::Terms::Guarantee { amount: a, metric }, "amount") => {
                    let r = amount(v, "amount")?;
                    if !(&r / &quanta[*metric]).is_integer() {
                        return Err(msg!(
                            "E0197",
                            text = v,
                            quantum = ratio_text(&quanta[*metric])
                        ));
                    }
                    *a = r;
                }
                (crate::model::Terms::Return { rate, .. }, "rate") => *rate = amount(v, "rate")?,
                (crate::model::Terms::Return { base, .. }, "base") => *base = amount(v, "base")?,
                _ => return Err(msg!("E0615")),
            }
            Ok(())
        }
        ["zone", z, "agreement", a, "rule", r, rest @ ..] => {
            let ag = agreement_mut(model, z, a)?;
            let ri = find(
                &ag.rules.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(),
                r,
                "rule",
            )?;
            set_rule(&mut ag.rules[ri], rest, v)
        }
        _ => Err(msg!("E0615")),
    }
}

fn zone_mut<'a>(model: &'a mut Model, z: &str) -> Result<&'a mut crate::model::Zone, Msg> {
    model
        .zones
        .iter_mut()
        .find(|x| x.id == z)
        .ok_or_else(|| msg!("E0616"))
}

/// Agreement `a` (by id or 1-based index) of zone `z`.
fn agreement_mut<'a>(
    model: &'a mut Model,
    z: &str,
    a: &str,
) -> Result<&'a mut crate::model::Agreement, Msg> {
    let zone = zone_mut(model, z)?;
    let ids: Vec<&str> = zone.agreements.iter().map(|x| x.id.as_str()).collect();
    let ai = find(&ids, a, "agreement")?;
    Ok(&mut zone.agreements[ai])
}

/// An element by id, or else by 1-based index (an id wins over an index).
fn find(ids: &[&str], seg: &str, what: &str) -> Result<usize, Msg> {
    if let Some(i) = ids.iter().position(|x| *x == seg) {
        return Ok(i);
    }
    index(seg, ids.len(), what)
}

fn set_rule(rule: &mut Rule, rest: &[&str], v: &str) -> Result<(), Msg> {
    let what = rest.join(".");
    match (&mut rule.kind, rest) {
        (_, ["floor", p]) => set_amount(&mut rule.floor, p, amount(v, &what)?, &what),
        (_, ["cap", p]) => set_amount(&mut rule.cap, p, amount(v, &what)?, &what),
        (_, ["band"]) => {
            rule.band = Some(unit_ratio(v, &what)?);
            Ok(())
        }
        (RuleKind::Fixed { shares }, ["shares", p])
        | (RuleKind::BaseIncrement { shares, .. }, ["shares", p]) => {
            set_share(shares, p, unit_ratio(v, &what)?, &what)
        }
        (RuleKind::Schedule { phases, .. }, ["phases", i, "shares", p]) => {
            let i = index(i, phases.len(), "phases")?;
            set_share(&mut phases[i].shares, p, unit_ratio(v, &what)?, &what)
        }
        (RuleKind::Schedule { phases, .. }, ["phases", i, "years"]) => {
            let i = index(i, phases.len(), "phases")?;
            let y: u32 = v
                .parse()
                .ok()
                .filter(|y| *y >= 1)
                .ok_or_else(|| msg!("E0617", what = what, text = v))?;
            phases[i].years = Some(y);
            Ok(())
        }
        (RuleKind::BaseIncrement { base_owner, .. }, ["base_owner"]) => {
            *base_owner = v.to_string();
            Ok(())
        }
        (RuleKind::BaseIncrement { base, .. }, ["base"]) => {
            *base = Base::Plain(amount(v, &what)?);
            Ok(())
        }
        (RuleKind::BaseIncrement { base, .. }, ["base", year]) => {
            let y: i32 = year.parse().map_err(|_| msg!("E0618", text = year))?;
            match base {
                Base::PerYear(m) => {
                    m.insert(y, amount(v, &what)?);
                }
                Base::Plain(_) => {
                    return Err(msg!("E0619"));
                }
            }
            Ok(())
        }
        (RuleKind::Tiered { tiers }, ["tiers", i, "upto"]) => {
            let i = index(i, tiers.len(), "tiers")?;
            if tiers[i].upto.is_none() {
                return Err(msg!("E0620"));
            }
            tiers[i].upto = Some(amount(v, &what)?);
            // The configuration's own rule (`Tier::follows`): above 0, increasing.
            if crate::model::Tier::limits_increase(tiers) {
                Ok(())
            } else {
                Err(msg!("E0621"))
            }
        }
        (RuleKind::Tiered { tiers }, ["tiers", i, "shares", p]) => {
            let i = index(i, tiers.len(), "tiers")?;
            set_share(&mut tiers[i].shares, p, unit_ratio(v, &what)?, &what)
        }
        (RuleKind::Weighted { weights, ratios }, ["weights", p]) => {
            set_amount(weights, p, amount(v, &what)?, &what)?;
            let total: Ratio = weights.iter().map(|(_, w)| w.clone()).sum();
            if total.is_zero() {
                return Err(msg!("E0622"));
            }
            *ratios = weights
                .iter()
                .map(|(p, w)| (p.clone(), w / &total))
                .collect();
            Ok(())
        }
        (RuleKind::Formula { parts, anchor }, ["shares", p]) => {
            let mut after = parts.clone();
            let part = after
                .iter_mut()
                .find(|(q, _)| q == p)
                .ok_or_else(|| msg!("E0623", party = p))?;
            part.1 = if v == "rest" {
                FormulaPart::Rest
            } else {
                let expr = formula::parse(v).map_err(|e| e.at(v))?;
                FormulaPart::Expr {
                    source: v.to_string(),
                    expr,
                }
            };
            // The configuration's own rule for the parts together.
            if let Some((_, m)) = crate::model::formula_problems(&after, *anchor)
                .into_iter()
                .next()
            {
                return Err(m);
            }
            *parts = after;
            Ok(())
        }
        _ => Err(msg!("E0615")),
    }
}

/// Whether `party` may take a level of metric `m` (in zone `zone`, or in any zone):
/// the file's rules (`model::level_party`), and not a party of a rule that shares the
/// metric or its pool there (E0143, SPEC §8.1).
fn level_party_ok(model: &Model, zone: Option<usize>, m: usize, party: &str) -> Result<(), Msg> {
    let parties: Vec<String> = model.parties.iter().map(|p| p.id.clone()).collect();
    if let Some(e) = crate::model::level_party(party, parties.iter()) {
        return Err(e);
    }
    let pool = model.metrics[m].pool_of;
    for (zi, z) in model.zones.iter().enumerate() {
        // A metric's own levels do not apply in a zone that sets the metric's levels.
        if zone.is_some_and(|w| w != zi) || (zone.is_none() && z.levels.contains_key(&m)) {
            continue;
        }
        for a in &z.agreements {
            for r in &a.rules {
                let shares_m = r.metrics.iter().any(|&x| x == m || Some(x) == pool);
                if shares_m && r.all_parties().iter().any(|p| p == party) {
                    return Err(msg!("E0143", party = party, metric = model.metrics[m].id));
                }
            }
        }
    }
    Ok(())
}

/// Set one level ratio in every entry of `levels` (a party not yet there is added);
/// the parts of an entry must still sum to at most 1.
fn set_level(levels: &mut crate::model::Levels, party: &str, r: Ratio) -> Result<(), Msg> {
    use crate::model::Levels;
    let set = |parts: &mut crate::model::LevelParts| -> Result<(), Msg> {
        match parts.iter_mut().find(|(p, _)| p == party) {
            Some(e) => e.1 = r.clone(),
            None => {
                parts.push((party.to_string(), r.clone()));
                parts.sort_by(|a, b| a.0.cmp(&b.0));
            }
        }
        let sum: Ratio = parts.iter().map(|(_, x)| x.clone()).sum();
        if sum > Ratio::from_integer(1.into()) {
            return Err(msg!("E0624", sum = crate::num::ratio_text(&sum)));
        }
        Ok(())
    };
    match levels {
        Levels::None => {
            *levels = Levels::Plain(vec![(party.to_string(), r)]);
            Ok(())
        }
        Levels::Plain(p) => set(p),
        Levels::Dated(list) => list.iter_mut().try_for_each(|(_, p)| set(p)),
    }
}

/// Every path `--set` accepts on this model (for "did you mean").
pub fn valid_paths(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for z in &model.zones {
        for a in &z.agreements {
            for r in a.rules.iter().filter(|r| r.applies_to.is_some()) {
                for k in ["tag", "origin"] {
                    out.push(format!(
                        "zone.{}.agreement.{}.rule.{}.applies_to.{k}",
                        z.id, a.id, r.id
                    ));
                }
            }
        }
    }
    for m in &model.metrics {
        out.push(format!("metric.{}.central_share", m.id));

        for p in m.levels.parties() {
            out.push(format!("metric.{}.levels.{p}", m.id));
        }
    }
    for z in &model.zones {
        out.push(format!("zone.{}.host", z.id));
        let (mut g, mut r) = (0, 0);
        for o in &z.obligations {
            match o.terms {
                crate::model::Terms::Guarantee { .. } => {
                    g += 1;
                    out.push(format!("zone.{}.guarantee.{g}.amount", z.id));
                }
                crate::model::Terms::Return { .. } => {
                    r += 1;
                    out.push(format!("zone.{}.return.{r}.rate", z.id));
                    out.push(format!("zone.{}.return.{r}.base", z.id));
                }
            }
        }
        for a in &z.agreements {
            let ap = format!("zone.{}.agreement.{}", z.id, a.id);
            for f in ["from", "to", "cite"] {
                out.push(format!("{ap}.{f}"));
            }
            for r in &a.rules {
                let rp = format!("{ap}.rule.{}", r.id);
                out.push(format!("{rp}.band"));
                for (p, _) in &r.floor {
                    out.push(format!("{rp}.floor.{p}"));
                }
                for (p, _) in &r.cap {
                    out.push(format!("{rp}.cap.{p}"));
                }
                let table = |out: &mut Vec<String>, prefix: &str, s: &Shares| {
                    for (p, _) in s {
                        out.push(format!("{prefix}.{p}"));
                    }
                };
                match &r.kind {
                    RuleKind::Fixed { shares } => table(&mut out, &format!("{rp}.shares"), shares),
                    RuleKind::Schedule { phases, .. } => {
                        for (i, ph) in phases.iter().enumerate() {
                            out.push(format!("{rp}.phases.{}.years", i + 1));
                            table(
                                &mut out,
                                &format!("{rp}.phases.{}.shares", i + 1),
                                &ph.shares,
                            );
                        }
                    }
                    RuleKind::BaseIncrement { shares, base, .. } => {
                        out.push(format!("{rp}.base_owner"));
                        match base {
                            Base::Plain(_) => out.push(format!("{rp}.base")),
                            Base::PerYear(m) => {
                                out.extend(m.keys().map(|y| format!("{rp}.base.{y}")))
                            }
                        }
                        table(&mut out, &format!("{rp}.shares"), shares);
                    }
                    RuleKind::Tiered { tiers } => {
                        for (i, t) in tiers.iter().enumerate() {
                            if t.upto.is_some() {
                                out.push(format!("{rp}.tiers.{}.upto", i + 1));
                            }
                            table(&mut out, &format!("{rp}.tiers.{}.shares", i + 1), &t.shares);
                        }
                    }
                    RuleKind::Weighted { weights, .. } => {
                        table(&mut out, &format!("{rp}.weights"), weights)
                    }
                    RuleKind::Formula { parts, .. } => {
                        for (p, _) in parts {
                            out.push(format!("{rp}.shares.{p}"));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Ratios of a rule, by table path, for the band check.
fn ratio_tables(rule: &Rule) -> Vec<(String, Shares)> {
    match &rule.kind {
        RuleKind::Fixed { shares } | RuleKind::BaseIncrement { shares, .. } => {
            vec![("shares".into(), shares.clone())]
        }
        RuleKind::Schedule { phases, .. } => phases
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("phases.{}.shares", i + 1), p.shares.clone()))
            .collect(),
        RuleKind::Tiered { tiers } => tiers
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("tiers.{}.shares", i + 1), t.shares.clone()))
            .collect(),
        RuleKind::Weighted { ratios, .. } => vec![("weights (as ratios)".into(), ratios.clone())],
        RuleKind::Formula { .. } => Vec::new(),
    }
}

/// Ratios of `negotiated` that moved further than their rule's band from `signed`.
pub fn band_violations(signed: &Model, negotiated: &Model) -> Vec<crate::i18n::Msg> {
    let mut out = Vec::new();
    for z in &signed.zones {
        let Some(nz) = negotiated.zones.iter().find(|x| x.id == z.id) else {
            continue;
        };
        for a in &z.agreements {
            let Some(na) = nz.agreements.iter().find(|x| x.id == a.id) else {
                continue;
            };
            for r in &a.rules {
                let Some(band) = &r.band else { continue };
                let Some(nr) = na.rules.iter().find(|x| x.id == r.id) else {
                    continue;
                };
                let old = ratio_tables(r);
                for (path, new_table) in ratio_tables(nr) {
                    let Some((_, old_table)) = old.iter().find(|(p, _)| *p == path) else {
                        continue;
                    };
                    for (p, nv) in &new_table {
                        let ov = old_table
                            .iter()
                            .find(|(q, _)| q == p)
                            .map_or_else(Ratio::zero, |(_, r)| r.clone());
                        let moved = (nv - &ov).abs();
                        if moved > *band {
                            out.push(
                                msg!(
                                    "E0676",
                                    value = ratio_text(nv),
                                    moved = ratio_text(&moved),
                                    signed = ratio_text(&ov),
                                    band = ratio_text(band)
                                )
                                .prefixed(format!(
                                    "zone.{}.agreement.{}.rule.{}.{path}.{p}: ",
                                    z.id, a.id, r.id
                                )),
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(v: &[(&str, &str)]) -> Shares {
        v.iter()
            .map(|(p, r)| (p.to_string(), parse_ratio(r).unwrap()))
            .collect()
    }

    #[test]
    fn setting_one_ratio_rescales_the_others_exactly() {
        // aba 0.5, chengdu 0.3, ganzi 0.2; set aba = 0.65 → the others share 0.35 in
        // the proportion 3:2 → 0.21 and 0.14.
        let mut s = shares(&[("aba", "0.5"), ("chengdu", "0.3"), ("ganzi", "0.2")]);
        set_share(&mut s, "aba", parse_ratio("0.65").unwrap(), "t").unwrap();
        assert_eq!(
            s,
            shares(&[("aba", "0.65"), ("chengdu", "0.21"), ("ganzi", "0.14")])
        );
        // 0.6/0.3/0.1 → set to 0.5: the others × 5/4... exact thirds stay exact.
        let mut s = shares(&[("a", "0.4"), ("b", "0.3"), ("c", "0.3")]);
        set_share(&mut s, "a", parse_ratio("0.1").unwrap(), "t").unwrap();
        assert_eq!(s, shares(&[("a", "0.1"), ("b", "0.45"), ("c", "0.45")]));
        let mut s = shares(&[("a", "1"), ("b", "0")]);
        assert!(set_share(&mut s, "a", parse_ratio("0.5").unwrap(), "t").is_err());
        assert!(set_share(&mut s, "zz", parse_ratio("0.5").unwrap(), "t").is_err());
    }
}
