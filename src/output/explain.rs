//! What `explain` shows of a cell (SPEC §6): the record of the computation — the
//! agreement and rule in force, levels, pools, deductions, each rounding step and who
//! got each leftover unit — as a `Trace` (serialised for `--format json`) and its text.
//! The command reads the files and selects the cell; this module only builds and
//! renders what the engine computed.

use crate::engine::CellResult;
use crate::engine::allocate::{PartyAlloc, Won};
use crate::engine::cells::CellKey;
use crate::engine::rules::Split;
use crate::model::{Model, RuleKind};
use crate::num::{Ratio, exact_text, format_scaled, ratio_text, ri};
use crate::period::{Period, add_years};
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct Trace {
    pub trace_version: u32,
    pub period: String,
    pub period_days: String,
    pub zone: Named,
    pub host: Named,
    pub metric: MetricInfo,
    pub agreement: AgreementInfo,
    pub rule: RuleInfo,
    pub cells: Vec<CellTrace>,
    /// Summary figures of the period (all cells of the zone and metric together).
    pub summary: Vec<Amount>,
    /// With `--books`: what the books hold for the cell, the truth and the difference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub books: Option<BooksTrace>,
}

/// The cell against the books (SPEC §9): booked = the closing's summary plus every
/// adjustment booked for the period since; truth = what every record known now gives.
#[derive(Debug, Serialize)]
pub struct BooksTrace {
    /// The closing of the period, or null if it was never closed.
    pub closing: Option<String>,
    pub booked: Vec<Amount>,
    pub truth: Vec<Amount>,
    /// truth − booked: what the next closing books as an adjustment.
    pub adjustment: Vec<Amount>,
    /// Records of the cell that arrived after its closing (file:line).
    pub late: Vec<RecordTrace>,
}

#[derive(Debug, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct MetricInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub quantum: String,
}

#[derive(Debug, Serialize)]
pub struct AgreementInfo {
    pub id: String,
    pub from: String,
    pub to: Option<String>,
    pub cite: Option<String>,
    pub declared_at: String,
    pub why: String,
}

#[derive(Debug, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub kind: String,
    pub declared_at: String,
    pub year_to_date: bool,
    pub floor: Vec<Amount>,
    pub cap: Vec<Amount>,
}

#[derive(Debug, Serialize)]
pub struct Amount {
    pub party: String,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordTrace {
    pub file: String,
    pub line: u64,
    pub entity: String,
    pub amount: String,
    pub entity_start: Option<String>,
    /// Year index from the anchor and the dates that define it.
    pub year: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CentralTrace {
    /// Shown in `levels`, where each part names its party.
    #[serde(skip)]
    pub party: String,
    pub ratio: String,
    pub exact: String,
    pub rounded: String,
    pub rounding: String,
}

/// One statutory level of a cell, with its party.
#[derive(Debug, Serialize)]
pub struct LevelTrace {
    pub party: String,
    #[serde(flatten)]
    pub part: CentralTrace,
}

#[derive(Debug, Serialize)]
pub struct AllocRow {
    pub party: String,
    pub ratio: String,
    pub exact_units: String,
    pub whole_units: String,
    pub leftover: bool,
    pub why: Option<String>,
    pub units: String,
    pub amount: String,
}

#[derive(Debug, Serialize)]
pub struct YtdInfo {
    /// How the rule treats the year-to-date total (base, tiers, floors, caps).
    pub method: String,
    pub ytd_before: String,
    pub ytd: String,
    pub allocation_before: Vec<Amount>,
    pub allocation: Vec<Amount>,
    /// What the cap and floor steps did at this year-to-date total, in words.
    pub binding: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CellTrace {
    pub phase: Option<String>,
    pub year_index: Option<u32>,
    pub records: Vec<RecordTrace>,
    pub total: String,
    pub central: Option<CentralTrace>,
    /// Every statutory level in force (`central` among them), each rounded on its own.
    pub levels: Vec<LevelTrace>,
    /// D, the cell's deductions, when it has any.
    pub deduction: Option<String>,
    pub shareable: String,
    pub shareable_units: String,
    /// The largest-remainder step: of T for proportional rules, of YTD for
    /// year-to-date rules.
    pub allocation_of: String,
    pub allocation: Vec<AllocRow>,
    pub leftover_units: String,
    pub ytd: Option<YtdInfo>,
    pub shares: Vec<Amount>,
    /// For a pool cell: each component cell, its levels and the T it gives the pool.
    pub components: Vec<ComponentTrace>,
    /// Each deduction line of the cell, with its reason and where it was read.
    pub deductions: Vec<DeductionTrace>,
    /// Which rule shares the cell, and why it applies (SPEC §8.4).
    pub rule: String,
}

#[derive(Debug, Serialize)]
pub struct ComponentTrace {
    pub metric: String,
    pub records: u64,
    pub total: String,
    pub levels: Vec<LevelTrace>,
    /// What the component gives the pool: its total less its levels.
    pub to_pool: String,
}

#[derive(Debug, Serialize)]
pub struct DeductionTrace {
    pub file: String,
    pub line: u64,
    pub entity: Option<String>,
    pub amount: String,
    pub reason: String,
}

/// A record of the cell explained (of `metric`, or a component of it when it is a
/// pool), as the trace lists it.
pub fn keep(
    model: &Model,
    r: &crate::input::Record<'_>,
    key: CellKey,
    year: Option<u32>,
    metric: usize,
    shown: &str,
) -> Kept {
    // A component's record explains its pool's cell.
    let key = CellKey { metric, ..key };
    let q = &model.metrics[metric].quantum;
    let ag = &model.zones[key.zone].agreements[key.agreement];
    let anchor = match ag.rules[key.rule].anchor() {
        Some(crate::model::Anchor::Agreement) => Some(ag.from),
        Some(crate::model::Anchor::EntityStart) => r.entity_start,
        None => None,
    };
    Kept {
        key,
        entity: r.entity.to_string(),
        rec: RecordTrace {
            file: shown.to_string(),
            line: r.line,
            entity: r.entity.to_string(),
            amount: format_scaled(r.units * q.scaled, q.decimals),
            entity_start: r.entity_start.map(|d| d.to_string()),
            year: year.zip(anchor).map(|(k, a)| year_text(a, k)),
        },
    }
}

/// A record of the cell explained, kept while reading.
pub struct Kept {
    pub key: CellKey,
    pub rec: RecordTrace,
    pub entity: String,
}

/// The cell's figures against the books.
pub fn books_trace(
    model: &Model,
    closing: Option<Period>,
    booked: &crate::input::books::Figures,
    closing_of: &std::collections::BTreeMap<String, Period>,
    period: Period,
    trace: &Trace,
    kept: &[Kept],
) -> BooksTrace {
    let m = model.metric(&trace.metric.id).unwrap_or(0);
    let q = &model.metrics[m].quantum;
    let money = |u: i128| format_scaled(u * q.scaled, q.decimals);
    let booked_of = |party: &str| {
        booked
            .get(&(
                period,
                trace.zone.id.clone(),
                trace.metric.id.clone(),
                party.to_string(),
            ))
            .map_or(0, |(u, _)| *u)
    };
    let units = |a: &str| crate::input::amount::parse_units(a, q).unwrap_or(0);
    let mut parties: Vec<String> = trace.summary.iter().map(|a| a.party.clone()).collect();
    for (p, z, mm, party) in booked.keys() {
        if *p == period && *z == trace.zone.id && *mm == trace.metric.id && !parties.contains(party)
        {
            parties.push(party.clone());
        }
    }
    parties.sort();
    let truth_of = |party: &str| {
        trace
            .summary
            .iter()
            .find(|a| a.party == party)
            .map_or(0, |a| units(&a.amount))
    };
    let row = |party: &String, u: i128| Amount {
        party: party.clone(),
        amount: money(u),
    };
    let late = kept
        .iter()
        .filter(|k| closing_of.get(&k.rec.file).is_none_or(|c| *c > period) || closing.is_none())
        .map(|k| k.rec.clone())
        .collect();
    BooksTrace {
        closing: closing.map(|c| c.to_string()),
        booked: parties.iter().map(|p| row(p, booked_of(p))).collect(),
        truth: parties.iter().map(|p| row(p, truth_of(p))).collect(),
        adjustment: parties
            .iter()
            .map(|p| row(p, truth_of(p) - booked_of(p)))
            .collect(),
        late,
    }
}

/// One sentence on how a year-to-date rule turned YTD into exact shares: the
/// engine's record of the split (`Split`), in money, with the rule's terms.
pub fn ytd_method(
    rule: &crate::model::Rule,
    split: &Split,
    q: &crate::model::Quantum,
    year: i32,
) -> String {
    let money = |units: &Ratio| exact_text(&(units * &q.value));
    let terms = |shares: &[(String, Ratio)]| -> String {
        shares
            .iter()
            .map(|(p, r)| format!("{p} {}", ratio_text(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    match (&rule.kind, split) {
        (RuleKind::BaseIncrement { base_owner, .. }, Split::BaseNegative) => {
            parts.push(crate::i18n::tr(
                "YTD is negative, so all of it goes to the base owner {}",
                &[&base_owner],
            ));
        }
        (
            RuleKind::BaseIncrement {
                base_owner, shares, ..
            },
            Split::Base {
                base,
                kept,
                increment,
            },
        ) => parts.push(crate::i18n::tr("base for {} = {}: the base owner {} keeps min(YTD, base) = {}; the increment max(YTD − base, 0) = {} is split {}", &[&year, &money(base), &base_owner, &money(kept), &money(increment), &terms(shares)])),
        (RuleKind::Tiered { tiers }, Split::Tiers { portions }) => {
            let t: Vec<String> = tiers
                .iter()
                .map(|t| match &t.upto {
                    Some(u) => crate::i18n::tr("up to {}: {}", &[&exact_text(u), &terms(&t.shares)]),
                    None => crate::i18n::tr("above: {}", &[&terms(&t.shares)]),
                })
                .collect();
            parts.push(crate::i18n::tr(
                "progressive brackets on YTD ({})",
                &[&t.join("; ")],
            ));
            let p: Vec<String> = portions.iter().map(money).collect();
            parts.push(crate::i18n::tr("YTD in each bracket: {}", &[&p.join(", ")]));
        }
        _ => parts.push(crate::i18n::tr(
            "the rule's {} shares of YTD",
            &[&rule.kind.name()],
        )),
    }
    if !rule.cap.is_empty() {
        parts.push(crate::i18n::tr("then caps: a party above its cap is cut to it and the excess goes to the uncapped parties in proportion", &[]));
    }
    if !rule.floor.is_empty() {
        parts.push(crate::i18n::tr("then floors: a party below min(floor, YTD) is raised to it from the parties without a floor, in proportion", &[]));
    }
    parts.join("; ")
}

/// A level of a cell as a trace: the exact part the engine rounded, and its rounding.
pub fn level_part(model: &Model, c: &CellResult, l: &crate::engine::Level) -> CentralTrace {
    let q = &model.metrics[c.key.metric].quantum;
    let money = |units: i128| format_scaled(units * q.scaled, q.decimals);
    let exact = exact_text(&(&l.exact * &q.value));
    CentralTrace {
        party: l.party.clone(),
        ratio: ratio_text(&l.ratio),
        exact: exact.clone(),
        rounded: money(l.units),
        rounding: crate::i18n::tr(
            "round half away from zero ({} × {} = {} → {})",
            &[
                &money(c.total),
                &ratio_text(&l.ratio),
                &exact,
                &money(l.units),
            ],
        ),
    }
}

/// A level of a cell as a trace, under its party.
pub fn level_trace(model: &Model, c: &CellResult, l: &crate::engine::Level) -> LevelTrace {
    LevelTrace {
        party: l.party.clone(),
        part: level_part(model, c, l),
    }
}

/// The pool's components, the deduction lines and the rule's reason of a cell.
pub fn add_parts(
    model: &Model,
    outcome: &crate::engine::Outcome,
    source: &[crate::input::Deduction],
    c: &CellResult,
    ct: &mut CellTrace,
) {
    let q = &model.metrics[c.key.metric].quantum;
    let money = |units: i128| format_scaled(units * q.scaled, q.decimals);
    for k in &c.components {
        let Some(comp) = outcome.cell(k) else {
            continue;
        };
        ct.components.push(ComponentTrace {
            metric: model.metrics[k.metric].id.clone(),
            records: comp.records,
            total: money(comp.total),
            levels: comp
                .levels
                .iter()
                .map(|l| level_trace(model, comp, l))
                .collect(),
            to_pool: money(comp.t),
        });
    }
    for &i in &c.deduction_lines {
        let Some(d) = source.get(i) else { continue };
        ct.deductions.push(DeductionTrace {
            file: d.file.clone(),
            line: d.line,
            entity: d.entity.clone(),
            amount: money(d.units),
            reason: d.reason.clone(),
        });
    }
    let ag = &model.zones[c.key.zone].agreements[c.key.agreement];
    let rule = &ag.rules[c.key.rule];
    ct.rule = match &rule.applies_to {
        Some(a) => crate::i18n::tr(
            "rule '{}' (applies_to {}): the records' entities match it in the entities file ({}), and it is the first such rule in file order",
            &[&rule.id, &a, &model.entities.file],
        ),
        None if ag
            .rule_for_metric
            .values()
            .any(|ch| ch.default == Some(c.key.rule) && !ch.specific.is_empty()) =>
        {
            crate::i18n::tr(
                "rule '{}' (no applies_to): the records' entities match no applies_to of the other rules",
                &[&rule.id],
            )
        }
        None => crate::i18n::tr("rule '{}'", &[&rule.id]),
    };
}

/// The floors and caps that bind at a year-to-date total, as the engine recorded them:
/// "qingchuan raised to its floor 5000000; the top-up 4120000.00 taken from guangyuan".
pub fn binding(
    rule: &crate::model::Rule,
    y: &crate::engine::YtdTrace,
    money: &dyn Fn(&Ratio) -> String,
) -> Vec<String> {
    let Some(m) = &y.modifiers else {
        return Vec::new();
    };
    let get = |v: &[(String, Ratio)], p: &str| {
        v.iter()
            .find(|(q, _)| q == p)
            .map_or_else(Ratio::default, |(_, r)| r.clone())
    };
    let fin: Vec<(String, Ratio)> = y
        .alloc
        .iter()
        .map(|a| (a.party.clone(), a.exact.clone()))
        .collect();
    let zero = Ratio::default();
    let mut out = Vec::new();
    let others = |from: &[(String, Ratio)], to: &[(String, Ratio)], sign: bool| -> String {
        let mut parts = Vec::new();
        for (p, a) in from {
            let d = get(to, p) - a;
            if (sign && d < zero) || (!sign && d > zero) {
                let d = if d < zero { -d } else { d };
                parts.push(format!("{p} {}", money(&d)));
            }
        }
        parts.join(", ")
    };
    for (p, cap) in &rule.cap {
        let (b, c) = (get(&m.before, p), get(&m.after_cap, p));
        if c < b {
            out.push(crate::i18n::tr(
                "{} cut to its cap {}; the excess {} given to {}",
                &[
                    &p,
                    &exact_text(cap),
                    &money(&(&b - &c)),
                    &others(&m.before, &m.after_cap, false),
                ],
            ));
        }
    }
    for (p, floor) in &rule.floor {
        let (c, f) = (get(&m.after_cap, p), get(&fin, p));
        if f > c {
            out.push(crate::i18n::tr(
                "{} raised to its floor {}; the top-up {} taken from {}",
                &[
                    &p,
                    &exact_text(floor),
                    &money(&(&f - &c)),
                    &others(&m.after_cap, &fin, true),
                ],
            ));
        }
    }
    out
}

pub fn year_text(anchor: NaiveDate, k: u32) -> String {
    let start = add_years(anchor, k - 1).unwrap_or(anchor);
    let end = add_years(anchor, k).unwrap_or(anchor);
    crate::i18n::tr(
        "year {} from {}: {} ≤ day < {}",
        &[&k, &anchor, &start, &end],
    )
}

pub fn build(
    model: &Model,
    period: Period,
    selected: &[&CellResult],
    kept: &[Kept],
    entity: Option<&str>,
) -> Trace {
    let first = selected[0];
    let zone = &model.zones[first.key.zone];
    let metric = &model.metrics[first.key.metric];
    let ag = &zone.agreements[first.key.agreement];
    let rule = &ag.rules[first.key.rule];
    let q = &metric.quantum;
    let money = |units: i128| format_scaled(units * q.scaled, q.decimals);
    let units_money = |r: &Ratio| exact_text(&(r * &q.value));
    let named = |id: &str| Named {
        id: id.to_string(),
        name: model.party_name(id).to_string(),
    };
    let why = crate::i18n::tr(
        "version {} is in force from {}{}; the period {} ({} to {}) lies inside it{}",
        &[
            &ag.id,
            &ag.from,
            &ag.to
                .map_or(crate::i18n::tr(" with no end date", &[]), |t| {
                    crate::i18n::tr(" to {}", &[&t])
                }),
            &period,
            &period.first_day(),
            &period.last_day(),
            &if zone.agreements.len() > 1 {
                crate::i18n::tr(
                    " (versions of the zone: {})",
                    &[&zone
                        .agreements
                        .iter()
                        .map(|a| crate::i18n::tr("{} from {}", &[&a.id, &a.from]))
                        .collect::<Vec<_>>()
                        .join(", ")],
                )
            } else {
                String::new()
            },
        ],
    );
    let mut summary: Vec<(String, i128)> = Vec::new();
    let mut cells = Vec::new();
    for c in selected {
        for (p, u) in crate::engine::cell_rows(c) {
            match summary.iter_mut().find(|(q, _)| *q == p) {
                Some((_, v)) => *v += u,
                None => summary.push((p, u)),
            }
        }
        let phase = match &rule.kind {
            RuleKind::Schedule { phases, .. } => {
                let i = c.key.sub as usize;
                let start: u32 = phases[..i].iter().filter_map(|p| p.years).sum::<u32>() + 1;
                let span = match phases[i].years {
                    Some(y) => crate::i18n::tr("years {}–{}", &[&start, &(start + y - 1)]),
                    None => crate::i18n::tr("years {} onward", &[&start]),
                };
                let shares: Vec<String> = phases[i]
                    .shares
                    .iter()
                    .map(|(p, r)| format!("{p} {}", ratio_text(r)))
                    .collect();
                Some(crate::i18n::tr(
                    "phase {} of {} ({}): {}",
                    &[&(i + 1), &phases.len(), &span, &shares.join(", ")],
                ))
            }
            _ => None,
        };
        let records: Vec<RecordTrace> = kept
            .iter()
            .filter(|k| k.key == c.key && entity.is_none_or(|e| e == k.entity))
            .map(|k| k.rec.clone())
            .collect();
        let level_trace = |l: &crate::engine::Level| level_part(model, c, l);
        let central = c.central().map(level_trace);
        let levels: Vec<LevelTrace> = c
            .levels
            .iter()
            .map(|l| LevelTrace {
                party: l.party.clone(),
                part: level_trace(l),
            })
            .collect();
        let deduction = c.deduction.map(&money);
        let (alloc, of, ytd) = match &c.ytd {
            Some(y) => (
                &y.alloc,
                crate::i18n::tr("the year-to-date total {} ({} units)", &[&money(y.y), &y.y]),
                Some(YtdInfo {
                    method: ytd_method(rule, &y.split, q, period.year),
                    ytd_before: money(y.y_prev),
                    ytd: money(y.y),
                    allocation_before: y
                        .prev
                        .iter()
                        .map(|(p, u)| Amount {
                            party: p.clone(),
                            amount: money(*u),
                        })
                        .collect(),
                    allocation: y
                        .alloc
                        .iter()
                        .map(|a| Amount {
                            party: a.party.clone(),
                            amount: money(a.units),
                        })
                        .collect(),
                    binding: binding(rule, y, &units_money),
                }),
            ),
            None => (
                &c.alloc,
                crate::i18n::tr("T = {} ({} units)", &[&money(c.t), &c.t]),
                None,
            ),
        };
        let n = c.ytd.as_ref().map_or(c.t, |y| y.y);
        let rows = alloc_rows(alloc, n, c.ratios.as_deref(), &money);
        let floors: i128 = alloc.iter().map(|a| a.floor).sum();
        cells.push(CellTrace {
            phase,
            year_index: c.year,
            records,
            total: money(c.total),
            central,
            levels,
            deduction,
            shareable: money(c.t),
            shareable_units: c.t.to_string(),
            allocation_of: of,
            allocation: rows,
            leftover_units: (n - floors).abs().to_string(),
            ytd,
            components: Vec::new(),
            deductions: Vec::new(),
            rule: String::new(),
            shares: c
                .shares
                .iter()
                .map(|(p, u)| Amount {
                    party: p.clone(),
                    amount: money(*u),
                })
                .collect(),
        });
    }
    summary.sort();
    Trace {
        trace_version: 1,
        period: period.to_string(),
        period_days: crate::i18n::tr("{} to {}", &[&period.first_day(), &period.last_day()]),
        zone: Named {
            id: zone.id.clone(),
            name: zone.name.clone(),
        },
        host: named(&zone.host),
        metric: MetricInfo {
            id: metric.id.clone(),
            name: metric.name.clone(),
            kind: metric.kind.as_str().into(),
            unit: metric.unit.clone(),
            quantum: q.text.clone(),
        },
        agreement: AgreementInfo {
            id: ag.id.clone(),
            from: ag.from.to_string(),
            to: ag.to.map(|t| t.to_string()),
            cite: ag.cite.clone(),
            declared_at: ag.loc.to_string(),
            why,
        },
        rule: RuleInfo {
            id: rule.id.clone(),
            kind: rule.kind.name().into(),
            declared_at: rule.loc.to_string(),
            year_to_date: rule.is_ytd(),
            floor: rule
                .floor
                .iter()
                .map(|(p, a)| Amount {
                    party: p.clone(),
                    amount: exact_text(a),
                })
                .collect(),
            cap: rule
                .cap
                .iter()
                .map(|(p, a)| Amount {
                    party: p.clone(),
                    amount: exact_text(a),
                })
                .collect(),
        },
        cells,
        summary: summary
            .into_iter()
            .map(|(p, u)| Amount {
                party: p,
                amount: money(u),
            })
            .collect(),
        books: None,
    }
}

/// The largest-remainder table, with the reason each leftover unit went where it did.
pub fn alloc_rows(
    alloc: &[PartyAlloc],
    n: i128,
    ratios: Option<&[(String, Ratio)]>,
    money: &dyn Fn(i128) -> String,
) -> Vec<AllocRow> {
    let ratio_of = |a: &PartyAlloc| -> Ratio {
        match ratios {
            Some(rs) => rs
                .iter()
                .find(|(p, _)| *p == a.party)
                .map_or_else(|| ri(0), |(_, r)| r.clone()),
            None if n != 0 => &a.exact / ri(n),
            None => ri(0),
        }
    };
    // Why each leftover unit went where it did is the engine's record of its ordering.
    alloc
        .iter()
        .map(|a| {
            let why = a.won.as_ref().map(|w| match w {
                Won::Everyone => crate::i18n::tr("every party receives a leftover unit", &[]),
                Won::Fraction { mine, over, theirs } => crate::i18n::tr(
                    "larger fractional part ({} > {} of {})",
                    &[&exact_text(mine), &exact_text(theirs), over],
                ),
                Won::Share { over, fraction } => crate::i18n::tr(
                    "fractional part ties with {} ({}); larger ratio wins",
                    &[over, &exact_text(fraction)],
                ),
                Won::Id { over } => crate::i18n::tr(
                    "fractional part and ratio tie with {}; '{}' sorts first",
                    &[over, &a.party],
                ),
            });
            AllocRow {
                party: a.party.clone(),
                ratio: ratio_text(&ratio_of(a)),
                exact_units: exact_text(&a.exact),
                whole_units: a.floor.to_string(),
                leftover: a.leftover,
                why,
                units: a.units.to_string(),
                amount: money(a.units),
            }
        })
        .collect()
}

pub fn render_text(t: &Trace) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        crate::i18n::tr(
            "Cell {} ({}) · zone {} ({}) · metric {} ({}, {}, quantum {} {})",
            &[
                &t.period,
                &t.period_days,
                &t.zone.id,
                &t.zone.name,
                &t.metric.id,
                &t.metric.name,
                &t.metric.kind,
                &t.metric.quantum,
                &t.metric.unit
            ]
        )
    );
    let _ = writeln!(
        s,
        "{}",
        crate::i18n::tr(
            "Host (collects and pays the others): {} ({})",
            &[&t.host.id, &t.host.name]
        )
    );
    let _ = writeln!(
        s,
        "{}",
        crate::i18n::tr(
            "\nAgreement {} — {}",
            &[&t.agreement.id, &t.agreement.declared_at]
        )
    );
    let _ = writeln!(s, "{}", crate::i18n::tr("  why: {}", &[&t.agreement.why]));
    if let Some(c) = &t.agreement.cite {
        let _ = writeln!(s, "{}", crate::i18n::tr("  cite: {}", &[&c]));
    }
    let _ = writeln!(
        s,
        "{}",
        crate::i18n::tr(
            "Rule {} ({}{}) — {}",
            &[
                &t.rule.id,
                &t.rule.kind,
                &if t.rule.year_to_date {
                    crate::i18n::tr(", year-to-date", &[])
                } else {
                    String::new()
                },
                &t.rule.declared_at
            ]
        )
    );
    for (label, list) in [
        (crate::i18n::tr("floor", &[]), &t.rule.floor),
        (crate::i18n::tr("cap", &[]), &t.rule.cap),
    ] {
        if !list.is_empty() {
            let items: Vec<String> = list
                .iter()
                .map(|a| format!("{} {}", a.party, a.amount))
                .collect();
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr("  {} (annual): {}", &[&label, &items.join(", ")])
            );
        }
    }
    for (i, c) in t.cells.iter().enumerate() {
        let _ = writeln!(
            s,
            "{}",
            crate::i18n::tr(
                "\n── Cell {} of {}{}",
                &[
                    &(i + 1),
                    &t.cells.len(),
                    &c.phase.as_ref().map_or(String::new(), |p| format!(": {p}"))
                ]
            )
        );
        if let Some(y) = c.year_index {
            let _ = writeln!(s, "{}", crate::i18n::tr("  year index {}", &[&y]));
        }
        let _ = writeln!(
            s,
            "{}",
            crate::i18n::tr("  Records summed ({}):", &[&c.records.len()])
        );
        for r in &c.records {
            let _ = writeln!(
                s,
                "    {}:{}  {}  {}{}",
                r.file,
                r.line,
                r.entity,
                r.amount,
                r.year
                    .as_ref()
                    .map_or(String::new(), |y| format!("  ({y})"))
            );
        }
        let _ = writeln!(s, "{}", crate::i18n::tr("  Cell total: {}", &[&c.total]));
        if c.levels.is_empty() {
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr("  No central share in force.", &[])
            );
        }
        for l in &c.levels {
            if l.party == crate::model::CENTRAL {
                let _ = writeln!(
                    s,
                    "{}",
                    crate::i18n::tr(
                        "  Central share {} in force: central = {}",
                        &[&l.part.ratio, &l.part.rounding]
                    )
                );
            } else {
                let _ = writeln!(
                    s,
                    "{}",
                    crate::i18n::tr(
                        "  Level {} {} in force: {} = {}",
                        &[&l.party, &l.part.ratio, &l.party, &l.part.rounding]
                    )
                );
            }
        }
        for comp in &c.components {
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr(
                    "  Component {} ({} records): total {}",
                    &[&comp.metric, &comp.records, &comp.total]
                )
            );
            for l in &comp.levels {
                let _ = writeln!(
                    s,
                    "{}",
                    crate::i18n::tr(
                        "    level {} {}: {}",
                        &[&l.party, &l.part.ratio, &l.part.rounding]
                    )
                );
            }
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr("    gives the pool {}", &[&comp.to_pool])
            );
        }
        if let Some(d) = &c.deduction {
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr("  Deductions before sharing: D = {}", &[&d])
            );
            for l in &c.deductions {
                let _ = writeln!(
                    s,
                    "    {}:{}  {}{}  {}",
                    l.file,
                    l.line,
                    l.amount,
                    l.entity
                        .as_ref()
                        .map_or(String::new(), |e| format!("  {e}")),
                    l.reason
                );
            }
        }
        if c.rule.contains("applies_to") {
            let _ = writeln!(s, "  {}", c.rule);
        }
        let _ = writeln!(
            s,
            "{}",
            crate::i18n::tr(
                "  Shareable T = {} ({} units of {})",
                &[&c.shareable, &c.shareable_units, &t.metric.quantum]
            )
        );
        if let Some(y) = &c.ytd {
            let _ = writeln!(s, "{}", crate::i18n::tr("  Method: {}", &[&y.method]));
            for b in &y.binding {
                let _ = writeln!(s, "{}", crate::i18n::tr("  Binds: {}", &[&b]));
            }
            let before: Vec<String> = y
                .allocation_before
                .iter()
                .map(|a| format!("{} {}", a.party, a.amount))
                .collect();
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr(
                    "  Year to date: YTD before = {}, YTD = {}; A(YTD before) = {}",
                    &[
                        &y.ytd_before,
                        &y.ytd,
                        &if before.is_empty() {
                            crate::i18n::tr("nothing yet", &[])
                        } else {
                            before.join(", ")
                        }
                    ]
                )
            );
        }
        let _ = writeln!(
            s,
            "{}",
            crate::i18n::tr("  Largest remainder on {}:", &[&c.allocation_of])
        );
        let rows: Vec<Vec<String>> = c
            .allocation
            .iter()
            .map(|a| {
                vec![
                    a.party.clone(),
                    a.ratio.clone(),
                    a.exact_units.clone(),
                    a.whole_units.clone(),
                    if a.leftover {
                        "+1".into()
                    } else {
                        String::new()
                    },
                    a.amount.clone(),
                ]
            })
            .collect();
        let head: Vec<String> = [
            "party",
            "ratio",
            "exact units",
            "whole units",
            "leftover",
            "amount",
        ]
        .iter()
        .map(|h| crate::i18n::tr(h, &[]))
        .collect();
        for line in crate::output::totals::table(
            &head.iter().map(String::as_str).collect::<Vec<_>>(),
            &rows,
            &[false, false, true, true, false, true],
        )
        .lines()
        {
            let _ = writeln!(s, "    {line}");
        }
        let _ = writeln!(
            s,
            "{}",
            crate::i18n::tr("  Leftover units: {}", &[&c.leftover_units])
        );
        for a in c.allocation.iter().filter(|a| a.leftover) {
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr(
                    "    1 unit to {}: {}",
                    &[&a.party, &a.why.clone().unwrap_or_default()]
                )
            );
        }
        if let Some(y) = &c.ytd {
            let now: Vec<String> = y
                .allocation
                .iter()
                .map(|a| format!("{} {}", a.party, a.amount))
                .collect();
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr(
                    "  A(YTD) = {}; this period = A(YTD) − A(YTD before):",
                    &[&now.join(", ")]
                )
            );
        } else {
            let _ = writeln!(s, "{}", crate::i18n::tr("  This cell:", &[]));
        }
        for a in &c.shares {
            let _ = writeln!(s, "    {:<16} {}", a.party, a.amount);
        }
    }
    let _ = writeln!(
        s,
        "{}",
        crate::i18n::tr(
            "\nSummary rows of {} {} {}:",
            &[&t.period, &t.zone.id, &t.metric.id]
        )
    );
    for a in &t.summary {
        let _ = writeln!(s, "  {:<16} {}", a.party, a.amount);
    }
    if let Some(b) = &t.books {
        let _ = writeln!(
            s,
            "{}",
            crate::i18n::tr(
                "\nAgainst the books ({}):",
                &[&b.closing.as_ref().map_or(
                    crate::i18n::tr("the period was never closed: nothing booked", &[]),
                    |c| crate::i18n::tr(
                        "closing {}, with every adjustment booked for it since",
                        &[&c]
                    )
                )]
            )
        );
        // Padded by display width: the headers may be Chinese (two columns a character).
        let pad = |t: String, right: bool| {
            let fill = " ".repeat(16usize.saturating_sub(crate::output::totals::width(&t)));
            if right { fill + &t } else { t + &fill }
        };
        let _ = writeln!(
            s,
            "  {} {} {} {}",
            pad(crate::i18n::tr("party", &[]), false),
            pad(crate::i18n::tr("booked", &[]), true),
            pad(crate::i18n::tr("truth", &[]), true),
            pad(crate::i18n::tr("adjustment", &[]), true)
        );
        for ((bk, tr), ad) in b.booked.iter().zip(&b.truth).zip(&b.adjustment) {
            let _ = writeln!(
                s,
                "  {:<16} {:>16} {:>16} {:>16}",
                bk.party, bk.amount, tr.amount, ad.amount
            );
        }
        if !b.late.is_empty() {
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr("  Late records (arrived after the closing):", &[])
            );
            for r in &b.late {
                let _ = writeln!(s, "    {}:{}  {}  {}", r.file, r.line, r.entity, r.amount);
            }
        }
    }
    s
}
