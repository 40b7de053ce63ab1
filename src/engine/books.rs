//! Books (SPEC §9): what was booked against the truth known now, and the adjustments
//! that bring one to the other.
//!
//! The truth of a year is §4 applied to every record of the year known now; what the
//! books hold for a closed period Q is its summary plus every adjustment booked for Q
//! since. Each new closing books truth(Q) − Booked(Q) for the earlier periods of the
//! years it touches, so whatever arrives late, a year's closings add up to its truth.
//! Pure: figures in, figures out.

pub use crate::input::books::ObligationRow;
pub use crate::ledger::{FigureKey, Figures};
use crate::model::Model;
use crate::msg;
use crate::period::Period;
use std::collections::{BTreeMap, BTreeSet};

/// One adjustment row: `adjusts` is the period Q it corrects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub adjusts: Period,
    pub zone: String,
    pub metric: String,
    pub party: String,
    pub units: i128,
    pub metric_index: usize,
}

/// truth(Q) − booked(Q) for every period Q in `periods`, non-zero rows only, sorted by
/// adjusts, zone, metric, party. A period never closed has nothing booked.
pub fn adjustments(
    truth: &Figures,
    booked: &Figures,
    periods: &BTreeSet<Period>,
) -> Vec<Adjustment> {
    let mut diff: BTreeMap<FigureKey, (i128, usize)> = BTreeMap::new();
    for (k, (u, m)) in truth.iter().filter(|(k, _)| periods.contains(&k.period)) {
        let e = diff.entry(k.clone()).or_insert((0, *m));
        e.0 += u;
    }
    for (k, (u, m)) in booked.iter().filter(|(k, _)| periods.contains(&k.period)) {
        let e = diff.entry(k.clone()).or_insert((0, *m));
        e.0 -= u;
    }
    diff.into_iter()
        .filter(|(_, (u, _))| *u != 0)
        .map(
            |(
                FigureKey {
                    period: adjusts,
                    zone,
                    metric,
                    party,
                },
                (units, metric_index),
            )| Adjustment {
                adjusts,
                zone,
                metric,
                party,
                units,
                metric_index,
            },
        )
        .collect()
}

/// (year-end, zone, kind, first party, second party) → amount the first pays the
/// second (parties in id order, so a row written the other way round nets).
type Owed = BTreeMap<(Period, String, String, String, String), i128>;

fn owed<'a>(rows: impl IntoIterator<Item = &'a ObligationRow>) -> Owed {
    let mut out = Owed::new();
    for r in rows {
        let (a, b, v) = if r.payer < r.payee {
            (&r.payer, &r.payee, r.amount)
        } else {
            (&r.payee, &r.payer, -r.amount)
        };
        *out.entry((
            r.year_end(),
            r.zone.clone(),
            r.kind.clone(),
            a.clone(),
            b.clone(),
        ))
        .or_default() += v;
    }
    out
}

/// The obligation rows a close books (SPEC §14): each due of a period it closes as a
/// first booking in that closing, and truth − booked for every closed year-end (at or
/// before `mark`) in the first new closing, a negative difference written with payer
/// and payee swapped. `truth` rows carry their year-end as `period`. Sorted by period,
/// adjusts (first bookings first), zone, kind, payer, payee.
pub fn obligations_to_book(
    truth: &[ObligationRow],
    booked: &[ObligationRow],
    closes: &[Period],
    mark: Option<Period>,
) -> Vec<ObligationRow> {
    let mut out: Vec<ObligationRow> = truth
        .iter()
        .filter(|r| closes.contains(&r.period))
        .cloned()
        .collect();
    let closed = |q: Period| mark.is_some_and(|m| q <= m);
    let t = owed(truth.iter().filter(|r| closed(r.year_end())));
    let b = owed(booked.iter().filter(|r| closed(r.year_end())));
    let cite = |k: &(Period, String, String, String, String)| {
        let same = |r: &&ObligationRow| {
            r.year_end() == k.0
                && r.zone == k.1
                && r.kind == k.2
                && ((r.payer == k.3 && r.payee == k.4) || (r.payer == k.4 && r.payee == k.3))
        };
        truth
            .iter()
            .find(same)
            .or_else(|| booked.iter().rev().find(same))
            .map(|r| r.cite.clone())
            .unwrap_or_default()
    };
    if let Some(&first) = closes.first() {
        let mut keys: Vec<&(Period, String, String, String, String)> =
            t.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let d = t.get(k).copied().unwrap_or(0) - b.get(k).copied().unwrap_or(0);
            if d == 0 {
                continue;
            }
            let (payer, payee) = if d > 0 { (&k.3, &k.4) } else { (&k.4, &k.3) };
            out.push(ObligationRow {
                period: first,
                adjusts: Some(k.0),
                zone: k.1.clone(),
                kind: k.2.clone(),
                payer: payer.clone(),
                payee: payee.clone(),
                amount: d.abs(),
                cite: cite(k),
            });
        }
    }
    out.sort_by(|x, y| {
        (x.period, x.adjusts, &x.zone, &x.kind, &x.payer, &x.payee)
            .cmp(&(y.period, y.adjusts, &y.zone, &y.kind, &y.payer, &y.payee))
    });
    out
}

/// Closed year-ends whose booked obligations the `replay` no longer gives: (year-end,
/// zone, kind, payer, payee, booked, now) in the first party's direction.
pub fn obligations_moved(
    replay: &[ObligationRow],
    booked: &[ObligationRow],
    mark: Option<Period>,
) -> Vec<(Period, String, String, String, String, i128, i128)> {
    let closed = |q: Period| mark.is_some_and(|m| q <= m);
    let t = owed(replay.iter().filter(|r| closed(r.year_end())));
    let b = owed(booked.iter().filter(|r| closed(r.year_end())));
    let mut keys: Vec<_> = t.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (now, was) = (
                t.get(k).copied().unwrap_or(0),
                b.get(k).copied().unwrap_or(0),
            );
            (now != was).then(|| {
                (
                    k.0,
                    k.1.clone(),
                    k.2.clone(),
                    k.3.clone(),
                    k.4.clone(),
                    was,
                    now,
                )
            })
        })
        .collect()
}

/// Which periods a `close` closes (SPEC §9.1, §11): the periods of the new lines
/// after the mark, in order, and `--period`; `Err` with the reason otherwise.
pub fn to_close(
    mark: Option<Period>,
    line_periods: &BTreeSet<Period>,
    period: Option<Period>,
) -> Result<Vec<Period>, crate::i18n::Msg> {
    let after = |p: &Period| mark.is_none_or(|m| *p > m);
    let mut out: Vec<Period> = line_periods.iter().copied().filter(after).collect();
    if let Some(p) = period {
        if !after(&p) {
            return Err(msg!(
                "E0404",
                period = p,
                mark = mark.map_or(String::new(), |m| m.to_string())
            ));
        }
        if let Some(last) = out.last()
            && *last > p
        {
            return Err(msg!("E0405", last = last, period = p));
        }
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.is_empty() {
        return Err(if line_periods.is_empty() {
            msg!("E0406")
        } else {
            msg!(
                "E0407",
                mark = mark.map_or(String::new(), |m| m.to_string())
            )
        });
    }
    Ok(out)
}

/// The settlement of closed period `p` (SPEC §5, §9, §14): the netting of its summary
/// figures, of its adjustments (when the closing books them) and of the obligation
/// rows booked in it, at `obligations.1` decimals.
pub fn settlement_of(
    model: &Model,
    truth: &Figures,
    adjustments: &[Adjustment],
    p: Period,
    with_adjustments: bool,
    obligations: (&[ObligationRow], u32),
) -> Vec<crate::engine::settle::Transfer> {
    use crate::engine::settle::{Direct, Flow};
    // Figures of ids the configuration no longer has are not settled.
    let zone = |z: &str| {
        model
            .zone_index
            .get(z)
            .copied()
            .filter(|&i| model.zones[i].id == z)
    };
    let mut flows = Vec::new();
    for (k, (u, m)) in truth {
        if k.period == p
            && let Some(zi) = zone(&k.zone)
        {
            flows.push(Flow {
                period: p,
                zone: zi,
                metric: *m,
                party: k.party.as_str(),
                units: *u,
            });
        }
    }
    if with_adjustments {
        for a in adjustments {
            if let Some(zi) = zone(&a.zone) {
                flows.push(Flow {
                    period: p,
                    zone: zi,
                    metric: a.metric_index,
                    party: a.party.as_str(),
                    units: a.units,
                });
            }
        }
    }
    let direct = obligations
        .0
        .iter()
        .filter(|r| r.period == p)
        .map(|r| Direct {
            period: p,
            payer: r.payer.clone(),
            payee: r.payee.clone(),
            money: crate::engine::obligations::Money {
                scaled: r.amount,
                decimals: obligations.1,
            },
        })
        .collect();
    crate::engine::settle::net_with(model, flows, direct)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn adjustments_are_truth_less_booked_non_zero_only() {
        let key = |q: &str, party: &str| FigureKey {
            period: p(q),
            zone: "z".to_string(),
            metric: "vat".to_string(),
            party: party.to_string(),
        };
        let truth: Figures = [
            (key("2025-01", "a"), (100, 0)),
            (key("2025-01", "b"), (50, 0)),
            (key("2025-02", "a"), (7, 0)),
        ]
        .into();
        let booked: Figures = [
            (key("2025-01", "a"), (100, 0)),
            (key("2025-01", "b"), (49, 0)),
            (key("2025-01", "c"), (3, 0)),
        ]
        .into();
        let periods: BTreeSet<Period> = [p("2025-01")].into();
        let adj = adjustments(&truth, &booked, &periods);
        // a: 100 − 100 = 0 (no row); b: 50 − 49 = +1; c: 0 − 3 = −3; 2025-02 not asked.
        let got: Vec<(String, i128)> = adj.iter().map(|a| (a.party.clone(), a.units)).collect();
        assert_eq!(got, vec![("b".to_string(), 1), ("c".to_string(), -3)]);
    }

    #[test]
    fn obligations_book_first_then_truth_less_booked_swapped_when_negative() {
        let row =
            |period: &str, adjusts: Option<&str>, payer: &str, payee: &str, amount| ObligationRow {
                period: p(period),
                adjusts: adjusts.map(p),
                zone: "z".into(),
                kind: "guarantee".into(),
                payer: payer.into(),
                payee: payee.into(),
                amount,
                cite: "第三条".into(),
            };
        // 2024's shortfall was booked as 200.00 (b → a); late lines raise a's share so
        // the truth is 150.00: −50.00, written a → b. 2025-12 closes now: 300.00.
        let truth = [
            row("2024-12", None, "b", "a", 15000),
            row("2025-12", None, "b", "a", 30000),
        ];
        let booked = [row("2024-12", None, "b", "a", 20000)];
        let got = obligations_to_book(&truth, &booked, &[p("2025-12")], Some(p("2025-11")));
        assert_eq!(
            got,
            [
                row("2025-12", None, "b", "a", 30000),
                row("2025-12", Some("2024-12"), "a", "b", 5000),
            ]
        );
        // Once booked, the same truth books nothing more.
        let mut all = booked.to_vec();
        all.extend(got);
        assert!(obligations_to_book(&truth, &all, &[p("2026-01")], Some(p("2025-12"))).is_empty());
    }

    #[test]
    fn which_periods_close() {
        let lines: BTreeSet<Period> = [p("2025-01"), p("2025-03"), p("2025-04")].into();
        assert_eq!(
            to_close(Some(p("2025-02")), &lines, None),
            Ok(vec![p("2025-03"), p("2025-04")])
        );
        assert_eq!(
            to_close(Some(p("2025-02")), &lines, Some(p("2025-05"))),
            Ok(vec![p("2025-03"), p("2025-04"), p("2025-05")])
        );
        assert!(to_close(Some(p("2025-02")), &lines, Some(p("2025-03"))).is_err());
        let late: BTreeSet<Period> = [p("2025-01")].into();
        assert!(to_close(Some(p("2025-02")), &late, None).is_err());
        assert_eq!(
            to_close(Some(p("2025-02")), &late, Some(p("2025-03"))),
            Ok(vec![p("2025-03")])
        );
        assert!(to_close(Some(p("2025-02")), &late, Some(p("2025-02"))).is_err());
    }
}
