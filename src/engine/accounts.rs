//! Quota accounts (指标账户, SPEC §13.2): per year, quota metric and region, what was
//! allotted, moved in and out, used (the region's share of what the zone consumed,
//! as `run` computes it, less the part of exempt entities) and the headroom left.
//! Pure: shares computed by the engine, allocation and transfer lines in; accounts,
//! labelled transfers and the purchases' settlement out.

use crate::input::quota::{Allocation, Transfer};
use crate::ledger::{Account::Quota, Cause, Posting};
use crate::model::Model;
use crate::num::{ri, round_half_away, to_i128};
use crate::period::{Granularity, Period};
use std::collections::{BTreeMap, BTreeSet};

/// (year, metric, party) → units of the metric's quantum.
pub type ByParty = BTreeMap<(i32, usize, String), i128>;

/// One account: every figure in units of the metric's quantum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub year: i32,
    pub metric: usize,
    pub party: String,
    pub allocated: i128,
    pub transferred_in: i128,
    pub transferred_out: i128,
    pub used: i128,
    pub exempt: i128,
    pub headroom: i128,
}

/// What a transfer line is (SPEC §13.2: the first that applies, in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Swap,
    Relocation,
    Purchase,
    Transfer,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Swap => "swap",
            Kind::Relocation => "relocation",
            Kind::Purchase => "purchase",
            Kind::Transfer => "transfer",
        }
    }
}

/// A transfer line with its kind and, for a priced line, its value in cents.
#[derive(Debug, Clone)]
pub struct Moved<'a> {
    pub line: &'a Transfer,
    pub kind: Kind,
    pub value: Option<i128>,
    /// For the second line of a swap: amount(this) / amount(first line), exact text.
    pub rate: Option<String>,
}

/// A netted purchase payment: `payer` owes `payee` `cents` for quota bought in `year`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub year: i32,
    pub payer: String,
    pub payee: String,
    pub cents: i128,
}

/// Everything `quota` reports.
#[derive(Debug, Clone)]
pub struct Accounts<'a> {
    pub accounts: Vec<Account>,
    pub moved: Vec<Moved<'a>>,
    pub payments: Vec<Payment>,
}

/// The label of every transfer line, in file order: swaps are two lines of one
/// reference, of different metrics, in opposite directions between the same two
/// parties; any other sharing of a reference is no swap.
pub fn label<'a>(model: &Model, transfers: &'a [Transfer]) -> Vec<Moved<'a>> {
    let mut by_ref: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, t) in transfers.iter().enumerate() {
        if !t.reference.is_empty() {
            by_ref.entry(t.reference.as_str()).or_default().push(i);
        }
    }
    let mut swap: BTreeMap<usize, Option<String>> = BTreeMap::new();
    for lines in by_ref.values() {
        if let [a, b] = lines[..] {
            let (x, y) = (&transfers[a], &transfers[b]);
            if x.metric != y.metric && x.from == y.to && x.to == y.from {
                let qx = &model.metrics[x.metric].quantum.value;
                let qy = &model.metrics[y.metric].quantum.value;
                let rate = (ri(y.units) * qy) / (ri(x.units) * qx);
                swap.insert(a, None);
                swap.insert(b, Some(crate::num::ratio_text(&rate)));
            }
        }
    }
    transfers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let kind = if swap.contains_key(&i) {
                Kind::Swap
            } else if !t.entity.is_empty() {
                Kind::Relocation
            } else if t.price.is_some() {
                Kind::Purchase
            } else {
                Kind::Transfer
            };
            // value = round½away(amount × price, 0.01): in cents, amount × price-in-cents.
            let value = t.price.map(|cents| {
                let exact = ri(t.units) * &model.metrics[t.metric].quantum.value * ri(cents);
                to_i128(&round_half_away(&exact)).unwrap_or(0)
            });
            Moved {
                line: t,
                kind,
                value,
                rate: swap.get(&i).cloned().flatten(),
            }
        })
        .collect()
}

/// The quota postings of SPEC §13.2, in units of each metric's quantum, dated the
/// year they count in: + each allotment to its party; each transfer + to `to` and −
/// to `from`, under its label (`moved`, from `label`); − each party's use (`used`,
/// its share without the exempt entities' lines) and − the exempt entities' part
/// (`share` − `used`), which is reported beside the use and left out of the headroom.
/// Figures of 0 are not posted.
pub fn postings(
    share: &ByParty,
    used: &ByParty,
    allocations: &[Allocation],
    moved: &[Moved<'_>],
) -> Vec<Posting> {
    use chrono::Datelike;
    let year = |y: i32| Period {
        year: y,
        granularity: Granularity::Year,
        index: 1,
    };
    let mut out = Vec::new();
    let mut post = |y: i32, m: usize, party: &str, units: i128, cause: Cause| {
        if units != 0 {
            out.push(Posting {
                period: year(y),
                zone: None,
                account: Quota(m),
                party: party.to_string(),
                units,
                cause,
            });
        }
    };
    for l in allocations {
        let cause = Cause::Allotment {
            file: l.file.clone(),
            line: l.line,
        };
        post(l.year, l.metric, &l.party, l.units, cause);
    }
    for m in moved {
        let t = m.line;
        let cause = Cause::Transfer {
            file: t.file.clone(),
            line: t.line,
            kind: m.kind.as_str(),
            from: t.from.clone(),
            to: t.to.clone(),
        };
        post(t.date.year(), t.metric, &t.to, t.units, cause.clone());
        post(t.date.year(), t.metric, &t.from, -t.units, cause);
    }
    // The exempt part: what the pass with every line gave beyond the use (negative
    // where a party has a share only without the exempt lines).
    for (key, s) in share {
        let u = used.get(key).copied().unwrap_or(0);
        post(key.0, key.1, &key.2, -(s - u), Cause::Exempt);
    }
    for (key, u) in used {
        post(key.0, key.1, &key.2, -u, Cause::Use);
        if !share.contains_key(key) {
            post(key.0, key.1, &key.2, *u, Cause::Exempt);
        }
    }
    out
}

/// Build the accounts. `share` and `used` are per (year, metric, party) from the
/// engine's two passes (with and without the exempt entities' lines); `years` are the
/// years of the records' periods; `only` limits everything to one year. Each account
/// is the fold of its quota postings (`postings`): allotted, moved in, moved out,
/// used, exempt, and the headroom — the sum of all but the exempt part.
pub fn build<'a>(
    model: &Model,
    share: &ByParty,
    used: &ByParty,
    years: &BTreeSet<i32>,
    allocations: &[Allocation],
    transfers: &'a [Transfer],
    only: Option<i32>,
) -> Accounts<'a> {
    use chrono::Datelike;
    let keep = |y: i32| only.is_none_or(|o| o == y);
    let metrics: BTreeSet<usize> = allocations
        .iter()
        .map(|a| a.metric)
        .chain(transfers.iter().map(|t| t.metric))
        .collect();
    let mut all_years: BTreeSet<i32> = years.clone();
    all_years.extend(allocations.iter().map(|a| a.year));
    all_years.extend(transfers.iter().map(|t| t.date.year()));
    let labelled = label(model, transfers);
    let mut rows: BTreeMap<(i32, usize, String), Account> = BTreeMap::new();
    for p in postings(share, used, allocations, &labelled) {
        let (y, Quota(m)) = (p.period.year, p.account) else {
            continue;
        };
        if !(keep(y) && metrics.contains(&m) && all_years.contains(&y)) {
            continue;
        }
        let a = rows
            .entry((y, m, p.party.clone()))
            .or_insert_with(|| Account {
                year: y,
                metric: m,
                party: p.party.clone(),
                allocated: 0,
                transferred_in: 0,
                transferred_out: 0,
                used: 0,
                exempt: 0,
                headroom: 0,
            });
        match &p.cause {
            Cause::Allotment { .. } => a.allocated += p.units,
            // A line moves more than 0 between two parties (E0252, E0253): the
            // posting to `to` is what came in, the one to `from` what went out.
            Cause::Transfer { to, .. } if *to == p.party => a.transferred_in += p.units,
            Cause::Transfer { .. } => a.transferred_out -= p.units,
            Cause::Use => a.used -= p.units,
            Cause::Exempt => a.exempt -= p.units,
            _ => continue,
        }
        if !matches!(p.cause, Cause::Exempt) {
            a.headroom += p.units;
        }
    }
    let accounts: Vec<Account> = rows
        .into_values()
        .filter(|a| {
            a.allocated != 0
                || a.transferred_in != 0
                || a.transferred_out != 0
                || a.used != 0
                || a.exempt != 0
        })
        .collect();
    let moved: Vec<Moved<'a>> = labelled
        .into_iter()
        .filter(|m| keep(m.line.date.year()))
        .collect();
    // Purchases netted per year and pair: `to` owes `from` the value.
    let mut net: BTreeMap<(i32, String, String), i128> = BTreeMap::new();
    for m in &moved {
        let Some(v) = m.value else { continue };
        let (payer, payee) = (&m.line.to, &m.line.from);
        let (a, b, signed) = if payer < payee {
            (payer, payee, v)
        } else {
            (payee, payer, -v)
        };
        *net.entry((m.line.date.year(), a.clone(), b.clone()))
            .or_default() += signed;
    }
    let mut payments: Vec<Payment> = net
        .into_iter()
        .filter(|(_, v)| *v != 0)
        .map(|((year, a, b), v)| {
            let (payer, payee) = if v > 0 { (a, b) } else { (b, a) };
            Payment {
                year,
                payer,
                payee,
                cents: v.abs(),
            }
        })
        .collect();
    payments.sort_by(|x, y| (x.year, &x.payer, &x.payee).cmp(&(y.year, &y.payer, &y.payee)));
    Accounts {
        accounts,
        moved,
        payments,
    }
}

/// The invariants of SPEC §13.2, per (year, metric): Σ used + Σ exempt = Σ records,
/// Σ transferred_in = Σ transferred_out. `records` is Σ records per (year, metric).
/// Returns the first broken one, described.
pub fn check(
    model: &Model,
    accounts: &[Account],
    records: &BTreeMap<(i32, usize), i128>,
) -> Result<(), String> {
    let mut sums: BTreeMap<(i32, usize), (i128, i128, i128)> = BTreeMap::new();
    for a in accounts {
        let e = sums.entry((a.year, a.metric)).or_default();
        e.0 += a.used + a.exempt;
        e.1 += a.transferred_in;
        e.2 += a.transferred_out;
    }
    for ((y, m), (use_, tin, tout)) in &sums {
        let want = records.get(&(*y, *m)).copied().unwrap_or(0);
        if *use_ != want {
            return Err(format!(
                "{y} {}: used + exempt = {use_}, records = {want}",
                model.metrics[*m].id
            ));
        }
        if tin != tout {
            return Err(format!(
                "{y} {}: transferred in {tin} ≠ out {tout}",
                model.metrics[*m].id
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer(from: &str, to: &str, units: i128) -> Transfer {
        Transfer {
            file: "transfers.csv".into(),
            line: 2,
            date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            metric: 0,
            from: from.into(),
            to: to.into(),
            units,
            price: None,
            entity: String::new(),
            reference: "T1".into(),
            reason: String::new(),
        }
    }

    /// A region's account is its postings: A is allotted 100, gives B 30, uses 55 of
    /// its share of 60 (5 is exempt entities'); B is allotted 50, receives 30, uses 20.
    /// Headroom A = 100 − 30 − 55 = 15, B = 50 + 30 − 20 = 60; the exempt 5 is posted
    /// but not counted; the transfer's two sides add up to nothing.
    #[test]
    fn an_account_is_the_sum_of_its_postings() {
        let key = |p: &str| (2025, 0usize, p.to_string());
        let share: ByParty = [(key("a"), 60), (key("b"), 20)].into();
        let used: ByParty = [(key("a"), 55), (key("b"), 20)].into();
        let allotted = |party: &str, units: i128, line: u64| Allocation {
            file: "allocations.csv".into(),
            line,
            year: 2025,
            party: party.into(),
            metric: 0,
            units,
            reference: String::new(),
        };
        let allocations = [allotted("a", 100, 2), allotted("b", 50, 3)];
        let t = transfer("a", "b", 30);
        let moved = [Moved {
            line: &t,
            kind: Kind::Transfer,
            value: None,
            rate: None,
        }];
        let posts = postings(&share, &used, &allocations, &moved);
        let balance = |party: &str| -> i128 {
            posts
                .iter()
                .filter(|p| p.party == party && !matches!(p.cause, Cause::Exempt))
                .map(|p| p.units)
                .sum()
        };
        assert_eq!(balance("a"), 15);
        assert_eq!(balance("b"), 60);
        let moved_sum: i128 = posts
            .iter()
            .filter(|p| matches!(p.cause, Cause::Transfer { .. }))
            .map(|p| p.units)
            .sum();
        assert_eq!(moved_sum, 0);
        let exempt: Vec<(&str, i128)> = posts
            .iter()
            .filter(|p| matches!(p.cause, Cause::Exempt))
            .map(|p| (p.party.as_str(), p.units))
            .collect();
        assert_eq!(exempt, [("a", -5)]);
        assert!(posts.iter().all(|p| p.zone.is_none()
            && p.account == Quota(0)
            && p.period.granularity == Granularity::Year));
    }
}
