//! Quota accounts (指标账户, SPEC §13.2): per year, quota metric and region, what was
//! allotted, moved in and out, used (the region's share of what the zone consumed,
//! as `run` computes it, less the part of exempt entities) and the headroom left.
//! Pure: shares computed by the engine, allocation and transfer lines in; accounts,
//! labelled transfers and the purchases' settlement out.

use crate::input::quota::{Allocation, Transfer};
use crate::model::Model;
use crate::num::{ri, round_half_away, to_i128};
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

/// Build the accounts. `share` and `used` are per (year, metric, party) from the
/// engine's two passes (with and without the exempt entities' lines); `years` are the
/// years of the records' periods; `only` limits everything to one year.
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
    let mut rows: BTreeMap<(i32, usize, String), Account> = BTreeMap::new();
    let wanted = |y: i32, m: usize| keep(y) && metrics.contains(&m) && all_years.contains(&y);
    fn slot<'r>(
        rows: &'r mut BTreeMap<(i32, usize, String), Account>,
        y: i32,
        m: usize,
        p: &str,
    ) -> &'r mut Account {
        rows.entry((y, m, p.to_string()))
            .or_insert_with(|| Account {
                year: y,
                metric: m,
                party: p.to_string(),
                allocated: 0,
                transferred_in: 0,
                transferred_out: 0,
                used: 0,
                exempt: 0,
                headroom: 0,
            })
    }
    let at = |y: i32, m: usize, p: &str| wanted(y, m).then_some((y, m, p.to_string()));
    for ((y, m, p), s) in share {
        if let Some((y, m, p)) = at(*y, *m, p) {
            let u = used.get(&(y, m, p.clone())).copied().unwrap_or(0);
            let a = slot(&mut rows, y, m, &p);
            a.used = u;
            a.exempt = s - u;
        }
    }
    // A party with no share in the pass with every line may still have one without
    // the exempt lines (a negative exempt part): count it too.
    for ((y, m, p), u) in used {
        if !share.contains_key(&(*y, *m, p.clone()))
            && let Some((y, m, p)) = at(*y, *m, p)
        {
            let a = slot(&mut rows, y, m, &p);
            a.used = *u;
            a.exempt = -u;
        }
    }
    for l in allocations {
        if let Some((y, m, p)) = at(l.year, l.metric, &l.party) {
            slot(&mut rows, y, m, &p).allocated += l.units;
        }
    }
    for t in transfers {
        let y = t.date.year();
        if let Some((y, m, p)) = at(y, t.metric, &t.to) {
            slot(&mut rows, y, m, &p).transferred_in += t.units;
        }
        if let Some((y, m, p)) = at(y, t.metric, &t.from) {
            slot(&mut rows, y, m, &p).transferred_out += t.units;
        }
    }
    let accounts: Vec<Account> = rows
        .into_values()
        .map(|mut a| {
            a.headroom = a.allocated + a.transferred_in - a.transferred_out - a.used;
            a
        })
        .filter(|a| {
            a.allocated != 0
                || a.transferred_in != 0
                || a.transferred_out != 0
                || a.used != 0
                || a.exempt != 0
        })
        .collect();
    let moved: Vec<Moved<'a>> = label(model, transfers)
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
