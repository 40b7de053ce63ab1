//! The trace as the text people read, in the chosen language.

use super::*;
use std::fmt::Write;

/// A metric's or rule's kind in the reader's language (the TOML keyword in English).
fn kind_word(kind: &str) -> String {
    crate::i18n::word("kind", kind)
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
                &kind_word(&t.metric.kind),
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
                &kind_word(&t.rule.kind),
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
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr("  {} (annual): {}", &[&label, &amounts(list)])
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
            let before = amounts(&y.allocation_before);
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
                            before
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
            let now = amounts(&y.allocation);
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr(
                    "  A(YTD) = {}; this period = A(YTD) − A(YTD before):",
                    &[&now]
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
        if let Some(split) = &b.split {
            let _ = writeln!(
                s,
                "{}",
                crate::i18n::tr(
                    "  Of each adjustment, the late lines' part and the amendment's (the standing inputs in use moved the booked lines' figure):",
                    &[]
                )
            );
            let _ = writeln!(
                s,
                "  {} {} {}",
                pad(crate::i18n::tr("party", &[]), false),
                pad(crate::i18n::tr("late lines", &[]), true),
                pad(crate::i18n::tr("amendment", &[]), true)
            );
            for x in split {
                let _ = writeln!(
                    s,
                    "  {:<16} {:>16} {:>16}",
                    x.party, x.late_lines, x.amendment
                );
            }
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

/// "party amount, party amount, …".
fn amounts(list: &[Amount]) -> String {
    list.iter()
        .map(|a| format!("{} {}", a.party, a.amount))
        .collect::<Vec<_>>()
        .join(", ")
}
