//! Obligations that do not follow revenue (SPEC §14): what a guarantee (保底) or a
//! fixed return (固定回报) makes due for a calendar year, from the shares the engine
//! has already computed. Pure: the model and the outcome in, the dues out.
//!
//! A due is per calendar year and never pro rata: the obligation must cover the whole
//! year, and the command's lines must reach the period that ends the year (December,
//! Q4 or the year itself), where it is booked. Obligations are not shares of any
//! input, so they never touch the cells: summary.csv and the control totals stay as
//! they are, and settlement nets them with the tax flows of the same period.

use super::Outcome;
use crate::model::{Model, Terms};
use crate::num::{Ratio, ri, round_half_away, to_i128};
use crate::period::{Granularity, Period};
use num_traits::Zero;

/// An amount of money: a scaled integer at `decimals` places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub scaled: i128,
    pub decimals: u32,
}

impl Money {
    /// The same amount at `decimals` ≥ its own.
    pub fn at(self, decimals: u32) -> i128 {
        self.scaled * 10i128.pow(decimals.saturating_sub(self.decimals))
    }
}

/// How a due was computed, for `explain --obligations`.
#[derive(Debug, Clone)]
pub enum Basis {
    /// The payee's share of the metric over the year against the guaranteed amount
    /// (both in units of the metric's quantum).
    Guarantee {
        metric: usize,
        share: i128,
        amount: i128,
    },
    /// base × rate, exact, before rounding to 0.01.
    Return { base: Ratio, rate: Ratio },
}

/// One obligation due in one period.
#[derive(Debug, Clone)]
pub struct Due {
    pub period: Period,
    pub zone: usize,
    /// Index in the zone's `obligations`.
    pub obligation: usize,
    pub kind: &'static str,
    pub payer: String,
    pub payee: String,
    pub amount: Money,
    pub cite: String,
    pub basis: Basis,
}

/// The period that ends calendar year `y` at granularity `g`.
pub fn year_end(y: i32, g: Granularity) -> Period {
    Period {
        year: y,
        granularity: g,
        index: match g {
            Granularity::Month => 12,
            Granularity::Quarter => 4,
            Granularity::Year => 1,
        },
    }
}

/// The years a command's lines reach the end of: from the first to the last year of
/// the periods given, each whose year-end period is at or before the last period.
pub fn years_reached(periods: impl IntoIterator<Item = Period>) -> Vec<(i32, Period)> {
    let mut first: Option<Period> = None;
    let mut last: Option<Period> = None;
    for p in periods {
        first = Some(first.map_or(p, |f| f.min(p)));
        last = Some(last.map_or(p, |l| l.max(p)));
    }
    let (Some(first), Some(last)) = (first, last) else {
        return Vec::new();
    };
    (first.year..=last.year)
        .map(|y| (y, year_end(y, last.granularity)))
        .filter(|(_, end)| *end <= last)
        .collect()
}

/// Every obligation due in the years the outcome's cells reach, zero dues left out.
pub fn due(model: &Model, outcome: &Outcome) -> Vec<Due> {
    due_reaching(model, outcome, &[])
}

/// `due`, with `also` periods the command reaches without a line in them (the periods
/// a close closes with `--period`).
pub fn due_reaching(model: &Model, outcome: &Outcome, also: &[Period]) -> Vec<Due> {
    if model.zones.iter().all(|z| z.obligations.is_empty()) {
        return Vec::new();
    }
    let years = years_reached(
        outcome
            .cells
            .iter()
            .map(|c| c.key.period)
            .chain(also.iter().copied()),
    );
    let mut out = Vec::new();
    for (zi, zone) in model.zones.iter().enumerate() {
        for (oi, o) in zone.obligations.iter().enumerate() {
            for &(y, end) in years.iter().filter(|(y, _)| o.covers_year(*y)) {
                let (amount, basis) = match &o.terms {
                    Terms::Guarantee { metric, amount } => {
                        let q = &model.metrics[*metric].quantum;
                        let units = to_i128(&(amount / &q.value).to_integer()).unwrap_or(0);
                        let share: i128 = outcome
                            .cells
                            .iter()
                            .filter(|c| {
                                c.key.zone == zi
                                    && c.key.metric == *metric
                                    && c.key.period.year == y
                            })
                            .flat_map(|c| &c.shares)
                            .filter(|(p, _)| *p == o.payee)
                            .map(|(_, u)| *u)
                            .sum();
                        let short = (units - share).max(0);
                        (
                            Money {
                                scaled: short * q.scaled,
                                decimals: q.decimals,
                            },
                            Basis::Guarantee {
                                metric: *metric,
                                share,
                                amount: units,
                            },
                        )
                    }
                    Terms::Return { base, rate } => {
                        let exact = base * rate;
                        let cents = to_i128(&round_half_away(&(&exact * ri(100)))).unwrap_or(0);
                        (
                            Money {
                                scaled: cents,
                                decimals: 2,
                            },
                            Basis::Return {
                                base: base.clone(),
                                rate: rate.clone(),
                            },
                        )
                    }
                };
                if amount.scaled.is_zero() {
                    continue;
                }
                out.push(Due {
                    period: end,
                    zone: zi,
                    obligation: oi,
                    kind: o.kind(),
                    payer: o.payer.clone(),
                    payee: o.payee.clone(),
                    amount,
                    cite: o.cite.clone(),
                    basis,
                });
            }
        }
    }
    out
}

/// The dues as postings (`ledger`): each twice, + to its payee and − to its payer.
pub fn postings(dues: &[Due]) -> Vec<crate::ledger::Posting> {
    use crate::ledger::{Account, Cause, Posting};
    let mut out = Vec::with_capacity(2 * dues.len());
    for d in dues {
        let side = |party: &str, units: i128| Posting {
            period: d.period,
            zone: Some(d.zone),
            account: Account::Obligation {
                kind: d.kind,
                decimals: d.amount.decimals,
            },
            party: party.to_string(),
            units,
            cause: Cause::Obligation {
                obligation: d.obligation,
                payer: d.payer.clone(),
                payee: d.payee.clone(),
            },
        };
        out.push(side(&d.payee, d.amount.scaled));
        out.push(side(&d.payer, -d.amount.scaled));
    }
    out
}

/// The payee's side of an obligation posting: (payer, payee, money), or `None` for
/// any other posting.
pub fn owed(p: &crate::ledger::Posting) -> Option<(&str, &str, Money)> {
    use crate::ledger::{Account, Cause};
    match (&p.account, &p.cause) {
        (Account::Obligation { decimals, .. }, Cause::Obligation { payer, payee, .. })
            if p.party == *payee =>
        {
            Some((
                payer.as_str(),
                payee.as_str(),
                Money {
                    scaled: p.units,
                    decimals: *decimals,
                },
            ))
        }
        _ => None,
    }
}

/// One row of obligations.csv: dues of one (period, zone, kind, payer, payee)
/// summed, their cites joined by "; " (SPEC §16).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub period: Period,
    pub zone: String,
    pub kind: String,
    pub payer: String,
    pub payee: String,
    pub amount: Money,
    pub cite: String,
}

/// The rows of obligations.csv, sorted by period, zone, kind, payer, payee: a fold of
/// the obligation postings (their payee's side).
pub fn rows(model: &Model, postings: &[crate::ledger::Posting]) -> Vec<Row> {
    use crate::ledger::{Account, Cause};
    let mut map: std::collections::BTreeMap<(Period, String, String, String, String), Row> =
        Default::default();
    for p in postings {
        let (
            Some((payer, payee, amount)),
            Account::Obligation { kind, .. },
            Cause::Obligation { obligation, .. },
            Some(zone),
        ) = (owed(p), p.account, &p.cause, p.zone)
        else {
            continue;
        };
        let cite = &model.zones[zone].obligations[*obligation].cite;
        let key = (
            p.period,
            model.zones[zone].id.clone(),
            kind.to_string(),
            payer.to_string(),
            payee.to_string(),
        );
        match map.get_mut(&key) {
            None => {
                map.insert(
                    key.clone(),
                    Row {
                        period: key.0,
                        zone: key.1,
                        kind: key.2,
                        payer: key.3,
                        payee: key.4,
                        amount,
                        cite: cite.clone(),
                    },
                );
            }
            Some(r) => {
                let dec = r.amount.decimals.max(amount.decimals);
                r.amount = Money {
                    scaled: r.amount.at(dec) + amount.at(dec),
                    decimals: dec,
                };
                r.cite.push_str("; ");
                r.cite.push_str(cite);
            }
        }
    }
    map.into_values().collect()
}

/// (year, zone, party) → units a party receives (+) or pays (−) by obligations.
pub type ByParty = std::collections::BTreeMap<(i32, usize, String), i128>;

/// The label under which negotiation tables show obligations beside the metrics.
pub const LABEL: &str = "obligations";

/// What obligations give each party, per (year, zone, party): + received, − paid, in
/// units of the tax metric returned (the one with the finest quantum of one unit at its
/// places, so every amount converts exactly); `None` when no such metric exists. A
/// fold of the obligation postings, both sides.
pub fn by_party(model: &Model, postings: &[crate::ledger::Posting]) -> Option<(usize, ByParty)> {
    let m = model
        .metrics
        .iter()
        .enumerate()
        .filter(|(_, m)| m.kind == crate::model::MetricKind::Tax && m.quantum.scaled == 1)
        .max_by_key(|(_, m)| m.quantum.decimals)
        .map(|(i, _)| i)?;
    let d = model.metrics[m].quantum.decimals;
    let mut out = std::collections::BTreeMap::new();
    for p in postings {
        let (crate::ledger::Account::Obligation { decimals, .. }, Some(zone)) = (p.account, p.zone)
        else {
            continue;
        };
        if decimals > d {
            return None;
        }
        let u = Money {
            scaled: p.units,
            decimals,
        }
        .at(d);
        *out.entry((p.period.year, zone, p.party.clone()))
            .or_insert(0) += u;
    }
    Some((m, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Period {
        Period::parse(t).unwrap_or_else(|| panic!("{t}"))
    }

    /// Each due is posted twice and the two sides cancel: + to the payee, − to the
    /// payer; `owed` finds the payee's side alone, with the due's money.
    #[test]
    fn a_due_is_two_postings_that_add_up_to_nothing() {
        let due = |payer: &str, payee: &str, scaled: i128| Due {
            period: p("2025-12"),
            zone: 0,
            obligation: 1,
            kind: "guarantee",
            payer: payer.into(),
            payee: payee.into(),
            amount: Money {
                scaled,
                decimals: 2,
            },
            cite: String::new(),
            basis: Basis::Return {
                base: Ratio::zero(),
                rate: Ratio::zero(),
            },
        };
        // 123.45 and 0.07, at 2 decimals.
        let posts = postings(&[due("gy", "qc", 12345), due("cd", "gz", 7)]);
        let units: Vec<(&str, i128)> = posts.iter().map(|p| (p.party.as_str(), p.units)).collect();
        assert_eq!(
            units,
            [("qc", 12345), ("gy", -12345), ("gz", 7), ("cd", -7)]
        );
        assert_eq!(posts.iter().map(|p| p.units).sum::<i128>(), 0);
        let owed: Vec<(&str, &str, i128)> = posts
            .iter()
            .filter_map(owed)
            .map(|(a, b, m)| (a, b, m.scaled))
            .collect();
        assert_eq!(owed, [("gy", "qc", 12345), ("cd", "gz", 7)]);
    }

    #[test]
    fn a_year_is_reached_only_when_its_last_period_is() {
        // 2024-03 … 2025-12: 2024 ends in 2024-12 (reached), 2025 in 2025-12 (reached).
        let y = years_reached([p("2024-03"), p("2025-12")]);
        assert_eq!(y, vec![(2024, p("2024-12")), (2025, p("2025-12"))]);
        // 2025-01 … 2025-11: December is not reached, nothing is due.
        assert!(years_reached([p("2025-01"), p("2025-11")]).is_empty());
        // Quarters end in Q4, years in the year itself.
        assert_eq!(years_reached([p("2025-Q4")]), vec![(2025, p("2025-Q4"))]);
        assert_eq!(years_reached([p("2024"), p("2025")]).len(), 2);
    }
}
