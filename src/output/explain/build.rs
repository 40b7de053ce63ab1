//! The trace of a cell, built from the engine's results and the records kept while
//! reading (and, with `--books`, what the books hold).

use super::*;
use crate::engine::CellResult;
use crate::engine::cells::CellKey;
use crate::model::{Model, RuleKind};
use crate::num::{Ratio, exact_text, format_scaled, ratio_text};
use crate::period::{Period, add_years};
use chrono::NaiveDate;

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
#[allow(clippy::too_many_arguments)]
pub fn books_trace(
    model: &Model,
    closing: Option<Period>,
    booked: &crate::input::books::Figures,
    replayed: Option<&crate::input::books::Figures>,
    closing_of: &std::collections::BTreeMap<String, Period>,
    period: Period,
    trace: &Trace,
    kept: &[Kept],
) -> BooksTrace {
    let m = model.metric(&trace.metric.id).unwrap_or(0);
    let q = &model.metrics[m].quantum;
    let money = |u: i128| format_scaled(u * q.scaled, q.decimals);
    let key = |party: &str| crate::ledger::FigureKey {
        period,
        zone: trace.zone.id.clone(),
        metric: trace.metric.id.clone(),
        party: party.to_string(),
    };
    let booked_of = |party: &str| booked.get(&key(party)).map_or(0, |(u, _)| *u);
    let mut parties: Vec<String> = trace.summary.iter().map(|a| a.party.clone()).collect();
    for k in booked.keys() {
        if k.period == period
            && k.zone == trace.zone.id
            && k.metric == trace.metric.id
            && !parties.contains(&k.party)
        {
            parties.push(k.party.clone());
        }
    }
    parties.sort();
    let truth_of = |party: &str| {
        trace
            .summary_units
            .iter()
            .find(|(p, _)| p == party)
            .map_or(0, |(_, u)| *u)
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
    // The booked lines alone, with the standing inputs in use: what they give beyond
    // the booked figure is an amendment's part; the rest of the adjustment, the late
    // lines'.
    let split = replayed.and_then(|r| {
        let again = |party: &str| r.get(&key(party)).map_or(0, |(u, _)| *u);
        parties.iter().any(|p| again(p) != booked_of(p)).then(|| {
            parties
                .iter()
                .map(|p| super::trace::Split {
                    party: p.clone(),
                    late_lines: money(truth_of(p) - again(p)),
                    amendment: money(again(p) - booked_of(p)),
                })
                .collect()
        })
    });
    BooksTrace {
        split,
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

/// The pool's components, the deduction lines and the rule's reason of a cell.
pub fn add_parts(
    model: &Model,
    outcome: &crate::engine::Outcome,
    source: &crate::input::Deductions,
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
    // The cell's groups of lines, their lines in the order read.
    if !c.deduction_lines.is_empty() {
        let groups: std::collections::BTreeSet<usize> = c.deduction_lines.iter().copied().collect();
        for (d, _) in source.iter().filter(|(_, g)| groups.contains(g)) {
            ct.deductions.push(DeductionTrace {
                file: d.file.to_string(),
                line: d.line,
                entity: d.entity.map(str::to_string),
                amount: money(d.units),
                reason: d.reason.to_string(),
            });
        }
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
            .iter()
            .map(|(p, u)| Amount {
                party: p.clone(),
                amount: money(*u),
            })
            .collect(),
        summary_units: summary.into_iter().collect(),
        books: None,
    }
}
