//! Merging the configuration's files into one (tables key by key, arrays of tables
//! concatenated, a value written twice an error), and a scenario applied over it.

use super::*;

pub(super) fn merge_opt<T>(
    ctx: &mut Ctx,
    into: &mut Option<At<T>>,
    from: Option<At<T>>,
    path: &str,
) {
    if let Some(v) = from {
        if let Some(first) = into {
            let first_loc = ctx.src.loc(first);
            ctx.err(&v, path, msg!("E0103", first = first_loc));
        } else {
            *into = Some(v);
        }
    }
}

pub(super) fn merge(ctx: &mut Ctx, raws: Vec<RawFile>) -> RawFile {
    let mut out = RawFile::default();
    for raw in raws {
        merge_opt(ctx, &mut out.input, raw.input, "input");
        out.party.extend(raw.party);
        for (id, m) in raw.metric {
            match out.metric.get_mut(&id) {
                None => {
                    out.metric.insert(id, m);
                }
                Some(into) => {
                    let path = format!("metric.{id}");
                    let m = m.value;
                    let i = &mut into.value;
                    merge_opt(ctx, &mut i.name, m.name, &format!("{path}.name"));
                    merge_opt(ctx, &mut i.kind, m.kind, &format!("{path}.kind"));
                    merge_opt(ctx, &mut i.unit, m.unit, &format!("{path}.unit"));
                    merge_opt(ctx, &mut i.quantum, m.quantum, &format!("{path}.quantum"));
                    merge_opt(
                        ctx,
                        &mut i.central_share,
                        m.central_share,
                        &format!("{path}.central_share"),
                    );
                    merge_opt(ctx, &mut i.levels, m.levels, &format!("{path}.levels"));
                    merge_opt(ctx, &mut i.aliases, m.aliases, &format!("{path}.aliases"));
                    merge_opt(ctx, &mut i.pool, m.pool, &format!("{path}.pool"));
                    merge_opt(
                        ctx,
                        &mut i.assessment,
                        m.assessment,
                        &format!("{path}.assessment"),
                    );
                    merge_opt(ctx, &mut i.exempt, m.exempt, &format!("{path}.exempt"));
                }
            }
        }
        for (id, z) in raw.zone {
            match out.zone.get_mut(&id) {
                None => {
                    out.zone.insert(id, z);
                }
                Some(into) => {
                    let path = format!("zone.{id}");
                    let z = z.value;
                    let i = &mut into.value;
                    merge_opt(ctx, &mut i.name, z.name, &format!("{path}.name"));
                    merge_opt(ctx, &mut i.host, z.host, &format!("{path}.host"));
                    merge_opt(ctx, &mut i.aliases, z.aliases, &format!("{path}.aliases"));
                    merge_opt(ctx, &mut i.levels, z.levels, &format!("{path}.levels"));
                    i.agreement.extend(z.agreement);
                    i.guarantee.extend(z.guarantee);
                    i.returns.extend(z.returns);
                }
            }
        }
    }
    out
}

pub(super) fn apply_scenario(base: &mut RawFile, scen: RawFile) {
    base.party.extend(scen.party);
    for (id, m) in scen.metric {
        base.metric.insert(id, m);
    }
    for (id, z) in scen.zone {
        let Some(bz) = base.zone.get_mut(&id) else {
            base.zone.insert(id, z);
            continue;
        };
        let z = z.value;
        let bz = &mut bz.value;
        if z.name.is_some() {
            bz.name = z.name;
        }
        if z.host.is_some() {
            bz.host = z.host;
        }
        if z.levels.is_some() {
            bz.levels = z.levels;
        }
        // An offer's obligations replace the signed ones (a scenario is one offer).
        if !z.guarantee.is_empty() {
            bz.guarantee = z.guarantee;
        }
        if !z.returns.is_empty() {
            bz.returns = z.returns;
        }
        for a in z.agreement {
            let aid = a.value.id.as_ref().map(|i| i.value.clone());
            let pos = bz
                .agreement
                .iter()
                .position(|b| b.value.id.as_ref().map(|i| &i.value) == aid.as_ref());
            match pos {
                None => bz.agreement.push(a),
                Some(i) if a.value.from.is_some() => bz.agreement[i] = a,
                Some(i) => {
                    let ba = &mut bz.agreement[i].value;
                    let a = a.value;
                    if a.to.is_some() {
                        ba.to = a.to;
                    }
                    if a.cite.is_some() {
                        ba.cite = a.cite;
                    }
                    for r in a.rule {
                        let rid = r.value.id.as_ref().map(|i| i.value.clone());
                        match ba
                            .rule
                            .iter()
                            .position(|b| b.value.id.as_ref().map(|i| &i.value) == rid.as_ref())
                        {
                            Some(j) => ba.rule[j] = r,
                            None => ba.rule.push(r),
                        }
                    }
                }
            }
        }
    }
}
