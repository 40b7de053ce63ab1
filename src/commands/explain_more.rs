//! `explain --obligations` (SPEC §14) and `explain --quota` (SPEC §13): what a zone's
//! guarantees and returns make due in a year, and one quota account line by line —
//! rendered from what the engine computed, never recomputed here.

use crate::cli::ExplainArgs;
use crate::engine::compute;
use crate::engine::obligations::{Basis, Due};
use crate::error::Error;
use crate::i18n::tf;
use crate::msg;
use crate::num::{format_scaled, ratio_text};
use crate::output::summary;
use crate::period::Period;

/// The zone's obligations in the year of `--period`.
pub fn obligations(args: &ExplainArgs) -> Result<String, Error> {
    let period = Period::parse(&args.period)
        .ok_or_else(|| Error::Usage(msg!("E0627", text = args.period)))?;
    let sets = super::parse_sets(&args.overrides.set)?;
    let (_, mut model, _) = super::load_negotiated(
        &args.inputs.config,
        &args.scenarios,
        &sets,
        args.overrides.allow_outside_band,
    )?;
    let zone = model.zone(&args.zone).ok_or_else(|| {
        Error::Usage(msg!(
            "E0214",
            text = args.zone,
            hint = crate::suggest::hint(&args.zone, model.zone_index.keys())
        ))
    })?;
    let (cells, _) = super::read_cells(&mut model, &args.inputs, 100)?;
    let outcome = compute(&model, &cells)?;
    let z = &model.zones[zone];
    let dues: Vec<&Due> = outcome
        .obligations
        .iter()
        .filter(|d| d.zone == zone && d.period.year == period.year)
        .collect();
    let json = args.format == crate::output::totals::Format::Json;
    let mut text = tf(
        "explain.obligations",
        &[
            ("zone", z.id.clone()),
            ("name", z.name.clone()),
            ("year", period.year.to_string()),
        ],
    ) + "\n";
    let mut docs = Vec::new();
    for (i, o) in z.obligations.iter().enumerate() {
        let due = dues.iter().find(|d| d.obligation == i);
        text.push_str(&format!(
            "\n{} — {} {}\n",
            o.kind(),
            o.loc,
            if o.cite.is_empty() { "" } else { &o.cite }
        ));
        let mut doc = serde_json::json!({
            "kind": o.kind(), "declared_at": o.loc.to_string(), "cite": o.cite,
            "payer": o.payer, "payee": o.payee,
        });
        match due.map(|d| (&d.basis, d)) {
            Some((
                Basis::Guarantee {
                    metric,
                    share,
                    amount,
                },
                d,
            )) => {
                let f = |u: i128| summary::amount(&model, *metric, u);
                text.push_str(&tf(
                    "explain.guarantee",
                    &[
                        ("payee", o.payee.clone()),
                        ("metric", model.metrics[*metric].id.clone()),
                        ("share", f(*share)),
                        ("amount", f(*amount)),
                        ("due", format_scaled(d.amount.scaled, d.amount.decimals)),
                        ("payer", o.payer.clone()),
                        ("period", d.period.to_string()),
                    ],
                ));
                doc["share"] = f(*share).into();
                doc["guaranteed"] = f(*amount).into();
                doc["due"] = format_scaled(d.amount.scaled, d.amount.decimals).into();
                doc["period"] = d.period.to_string().into();
            }
            Some((Basis::Return { base, rate }, d)) => {
                text.push_str(&tf(
                    "explain.return",
                    &[
                        ("base", ratio_text(base)),
                        ("rate", ratio_text(rate)),
                        ("exact", ratio_text(&(base * rate))),
                        ("due", format_scaled(d.amount.scaled, d.amount.decimals)),
                        ("payer", o.payer.clone()),
                        ("payee", o.payee.clone()),
                        ("period", d.period.to_string()),
                    ],
                ));
                doc["exact"] = ratio_text(&(base * rate)).into();
                doc["due"] = format_scaled(d.amount.scaled, d.amount.decimals).into();
                doc["period"] = d.period.to_string().into();
            }
            None => {
                // Nothing due: the year not covered whole, not reached, or no shortfall.
                let why = if !o.covers_year(period.year) {
                    "explain.not_covered"
                } else if !crate::engine::obligations::years_reached(
                    outcome.cells.iter().map(|c| c.key.period),
                )
                .iter()
                .any(|(y, _)| *y == period.year)
                {
                    "explain.not_reached"
                } else {
                    "explain.no_shortfall"
                };
                text.push_str(&tf(why, &[("year", period.year.to_string())]));
                doc["due"] = "0".into();
                doc["why"] = why.trim_start_matches("explain.").into();
            }
        }
        text.push('\n');
        docs.push(doc);
    }
    if z.obligations.is_empty() {
        text.push_str(crate::i18n::t("explain.no_obligations"));
        text.push('\n');
    }
    if json {
        let doc = serde_json::json!({
            "zone": z.id, "year": period.year, "obligations": docs,
        });
        return Ok(serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n");
    }
    Ok(text)
}

/// One quota account: allocation and transfer lines, the share per zone and period
/// (with the `explain` of each cell), the exempt part and the headroom.
pub fn quota(args: &ExplainArgs) -> Result<String, Error> {
    let (Some(year), Some(party)) = (args.year, args.party.as_ref()) else {
        return Err(Error::Usage(msg!("E0688")));
    };
    let opts = crate::manifest::Options {
        command: "quota".into(),
        run: crate::cli::RunArgs {
            inputs: args.inputs.clone(),
            ..Default::default()
        },
        quota: Some(crate::manifest::QuotaOptions {
            allocations: args.allocations.clone(),
            transfers: args.transfers.clone(),
            year: Some(year),
            strict: false,
        }),
    };
    let done = super::quota::produce(&opts, None)?;
    let model = &done.model;
    let m = crate::input::records::lookup_metric(model, &args.metric).map_err(Error::Usage)?;
    let f = |u: i128| summary::amount(model, m, u);
    let accounts = done.accounts();
    let Some(a) = accounts
        .accounts
        .iter()
        .find(|a| a.year == year && a.metric == m && a.party == *party)
    else {
        return Err(Error::Usage(msg!(
            "E0689",
            year = year,
            metric = model.metrics[m].id,
            party = party
        )));
    };
    let unit = &model.metrics[m].unit;
    let mut s = tf(
        "explain.quota",
        &[
            ("year", year.to_string()),
            ("metric", model.metrics[m].id.clone()),
            ("party", party.clone()),
            ("unit", unit.clone()),
        ],
    ) + "\n";
    s.push_str(&format!("\n{}\n", crate::i18n::t("quota.allocated")));
    for l in done
        .allocations
        .iter()
        .filter(|l| l.year == year && l.metric == m && l.party == *party)
    {
        s.push_str(&format!(
            "  {}:{}  {}  {}\n",
            l.file,
            l.line,
            f(l.units),
            l.reference
        ));
    }
    s.push_str(&format!("  = {}\n", f(a.allocated)));
    s.push_str(&format!(
        "\n{} / {}\n",
        crate::i18n::t("quota.in"),
        crate::i18n::t("quota.out")
    ));
    for mv in accounts.moved.iter().filter(|x| {
        chrono::Datelike::year(&x.line.date) == year
            && x.line.metric == m
            && (x.line.from == *party || x.line.to == *party)
    }) {
        let l = mv.line;
        let sign = if l.to == *party { "+" } else { "−" };
        s.push_str(&format!(
            "  {}:{}  {}  {sign}{}  {} → {}  {}  {}\n",
            l.file,
            l.line,
            l.date,
            f(l.units),
            l.from,
            l.to,
            mv.kind.as_str(),
            l.reference
        ));
    }
    s.push_str(&format!(
        "  = +{} −{}\n",
        f(a.transferred_in),
        f(a.transferred_out)
    ));
    s.push_str(&format!("\n{}\n", crate::i18n::t("explain.quota_share")));
    let mut share = 0;
    for (p, z, _, _, u) in done
        .shares
        .iter()
        .filter(|(p, _, mm, q, _)| p.year == year && *mm == m && q == party)
    {
        share += u;
        s.push_str(&format!(
            "  {p}  {}  {}   (fencheng explain --period {p} --zone {} --metric {})\n",
            model.zones[*z].id,
            f(*u),
            model.zones[*z].id,
            model.metrics[m].id
        ));
    }
    s.push_str(&format!("  = {}\n", f(share)));
    s.push_str(&tf(
        "explain.quota_end",
        &[
            ("exempt", f(a.exempt)),
            ("used", f(a.used)),
            ("allocated", f(a.allocated)),
            ("in", f(a.transferred_in)),
            ("out", f(a.transferred_out)),
            ("headroom", f(a.headroom)),
        ],
    ));
    s.push('\n');
    Ok(s)
}
