//! Rounding: the central part (half away from zero) and largest-remainder allocation.
//!
//! These two functions are where cents could be created or lost, so they are small,
//! exact and documented against SPEC §4.2–4.3.

use crate::num::{Ratio, ri, round_half_away};
use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};
use std::cmp::Ordering;

/// central = round_half_away_from_zero(total × c) in units of the quantum.
pub fn central_part(total: i128, c: &Ratio) -> i128 {
    round_half_away(&(ri(total) * c)).to_i128().unwrap_or(0)
}

/// One party's allocation and how it came about (for `explain`).
#[derive(Debug, Clone, PartialEq)]
pub struct PartyAlloc {
    pub party: String,
    /// Exact share in units (n · r_i, or the rule's exact share for year-to-date rules).
    pub exact: Ratio,
    /// ⌊exact⌋ (on the absolute value for a negative n).
    pub floor: i128,
    /// True if the party received one leftover unit.
    pub leftover: bool,
    /// Why it received it, as the ordering decided (explain renders this).
    pub won: Option<Won>,
    /// The final allocation in units.
    pub units: i128,
}

/// Why a party received a leftover unit: how it compared with the best-placed party
/// that received none (fractions on the absolute shares when n is negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Won {
    /// Every party received one: there was no one to compare with.
    Everyone,
    /// A larger fractional part than `over`'s (`theirs`).
    Fraction {
        mine: Ratio,
        over: String,
        theirs: Ratio,
    },
    /// The same fractional part as `over`'s, and a larger exact share (ratio).
    Share { over: String, fraction: Ratio },
    /// Fractional part and share tie with `over`'s; the party id sorts first.
    Id { over: String },
}

/// Largest remainder (SPEC §4.3). `exact` are the exact shares in units; they must sum
/// to `n`. Each party gets ⌊s_i⌋; the leftover units go one each to the largest
/// fractional parts, ties to the larger share (the larger ratio), then to the party id
/// that sorts first. A negative `n` is allocated as −(allocation of −n).
pub fn largest_remainder(
    n: i128,
    exact: &[(String, Ratio)],
) -> Result<Vec<PartyAlloc>, crate::i18n::Msg> {
    let sum: Ratio = exact.iter().map(|(_, s)| s.clone()).sum();
    if sum != ri(n) {
        return Err(crate::msg!(
            "E0330",
            sum = crate::num::ratio_text(&sum),
            units = n
        ));
    }
    let neg = n < 0;
    let shares: Vec<(String, Ratio)> = exact
        .iter()
        .map(|(p, s)| (p.clone(), if neg { -s.clone() } else { s.clone() }))
        .collect();
    let mut out: Vec<PartyAlloc> = Vec::with_capacity(shares.len());
    let mut fracs = Vec::with_capacity(shares.len());
    let mut given: i128 = 0;
    for (i, (p, s)) in shares.iter().enumerate() {
        let fl = s.floor().to_integer();
        let fl_i = fl.to_i128().ok_or_else(|| crate::msg!("E0331"))?;
        given += fl_i;
        fracs.push((i, s - Ratio::from_integer(fl)));
        out.push(PartyAlloc {
            party: p.clone(),
            exact: s.clone(),
            floor: fl_i,
            leftover: false,
            won: None,
            units: fl_i,
        });
    }
    let left = n.abs() - given;
    fracs.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| shares[b.0].1.cmp(&shares[a.0].1))
            .then_with(|| shares[a.0].0.as_bytes().cmp(shares[b.0].0.as_bytes()))
    });
    if left < 0 || left as usize > shares.len() {
        return Err(crate::msg!("E0332", left = left, parties = shares.len()));
    }
    let winners = left as usize;
    // The first party in the order that received nothing is who each winner beat.
    let best_loser = fracs.get(winners).map(|(j, f)| (*j, f.clone()));
    for (i, f) in &fracs[..winners] {
        out[*i].units += 1;
        out[*i].leftover = true;
        out[*i].won = Some(match &best_loser {
            None => Won::Everyone,
            Some((j, fj)) if f > fj => Won::Fraction {
                mine: f.clone(),
                over: shares[*j].0.clone(),
                theirs: fj.clone(),
            },
            Some((j, _)) if shares[*i].1 > shares[*j].1 => Won::Share {
                over: shares[*j].0.clone(),
                fraction: f.clone(),
            },
            Some((j, _)) => Won::Id {
                over: shares[*j].0.clone(),
            },
        });
    }
    if neg {
        for a in &mut out {
            a.exact = -a.exact.clone();
            a.floor = -a.floor;
            a.units = -a.units;
        }
    }
    Ok(out)
}

/// Split `amount` (exact) among `weights` in proportion to them. Σweights must be > 0.
pub fn pro_rata(amount: &Ratio, weights: &[Ratio]) -> Vec<Ratio> {
    let total: Ratio = weights.iter().cloned().sum();
    if total.is_zero() {
        return vec![Ratio::zero(); weights.len()];
    }
    weights.iter().map(|w| amount * w / &total).collect()
}

/// Compare helper used by tests and traces.
pub fn cmp_abs(a: &Ratio, b: &Ratio) -> Ordering {
    a.abs().cmp(&b.abs())
}

/// Exact share n · r in units.
pub fn times(n: i128, r: &Ratio) -> Ratio {
    Ratio::from_integer(BigInt::from(n)) * r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_ratio;

    /// n shared at these ratios, exactly, then by largest remainder.
    fn shared(n: i128, ratios: &[(&str, &str)]) -> Vec<PartyAlloc> {
        let exact: Vec<(String, Ratio)> = ratios
            .iter()
            .map(|(p, r)| (p.to_string(), times(n, &parse_ratio(r).unwrap())))
            .collect();
        largest_remainder(n, &exact).unwrap()
    }

    fn alloc(n: i128, ratios: &[(&str, &str)]) -> Vec<(String, i128)> {
        shared(n, ratios)
            .into_iter()
            .map(|a| (a.party, a.units))
            .collect()
    }

    #[test]
    fn remainder_goes_to_largest_fraction() {
        // 4567.89 at 0.65/0.35: n = 456789 → 296912.85 / 159876.15 → floors 456788,
        // one unit left → larger fraction .85 → aba 2969.13, chengdu 1598.76.
        assert_eq!(
            alloc(456789, &[("aba", "0.65"), ("chengdu", "0.35")]),
            vec![("aba".into(), 296913), ("chengdu".into(), 159876)]
        );
    }

    #[test]
    fn exact_tie_goes_to_the_id_that_sorts_first() {
        // 14345.67 at 0.5/0.5: n = 1434567 → 717283.5 each → fractions tie, ratios tie →
        // 'aba' < 'chengdu' gets the unit: 7172.84 / 7172.83.
        assert_eq!(
            alloc(1434567, &[("aba", "0.5"), ("chengdu", "0.5")]),
            vec![("aba".into(), 717284), ("chengdu".into(), 717283)]
        );
    }

    #[test]
    fn equal_fractions_go_to_the_larger_ratio() {
        // n = 5 at 0.3/0.7 → 1.5 / 3.5: fractions tie (.5) → larger ratio 0.7 wins → 1 / 4.
        assert_eq!(
            alloc(5, &[("a", "0.3"), ("b", "0.7")]),
            vec![("a".into(), 1), ("b".into(), 4)]
        );
    }

    #[test]
    fn negative_cell_is_mirrored() {
        // −166.66 at 0.6/0.4: −(allocation of 16666) = −(10000, 6666).
        assert_eq!(
            alloc(-16666, &[("aba", "0.6"), ("chengdu", "0.4")]),
            vec![("aba".into(), -10000), ("chengdu".into(), -6666)]
        );
    }

    fn why(n: i128, ratios: &[(&str, &str)]) -> Vec<Option<Won>> {
        shared(n, ratios).into_iter().map(|a| a.won).collect()
    }

    #[test]
    fn each_leftover_unit_records_what_decided_it() {
        let r = |s: &str| parse_ratio(s).unwrap();
        // 296912.85 / 159876.15: .85 beat chengdu's .15.
        assert_eq!(
            why(456789, &[("aba", "0.65"), ("chengdu", "0.35")]),
            vec![
                Some(Won::Fraction {
                    mine: r("0.85"),
                    over: "chengdu".into(),
                    theirs: r("0.15")
                }),
                None
            ]
        );
        // 1.5 / 3.5: fractions tie, the larger share (0.7) wins.
        assert_eq!(
            why(5, &[("a", "0.3"), ("b", "0.7")]),
            vec![
                None,
                Some(Won::Share {
                    over: "a".into(),
                    fraction: r("0.5")
                })
            ]
        );
        // 717283.5 each: everything ties, 'aba' sorts first.
        assert_eq!(
            why(1434567, &[("aba", "0.5"), ("chengdu", "0.5")]),
            vec![
                Some(Won::Id {
                    over: "chengdu".into()
                }),
                None
            ]
        );
        // 5 units at 0.1/0.1/0.8 → 0.5/0.5/4: one unit left; x and y tie on .5 and on
        // the share, so 'x' gets it over 'y' (z has no fraction).
        assert_eq!(
            why(5, &[("x", "0.1"), ("y", "0.1"), ("z", "0.8")]),
            vec![Some(Won::Id { over: "y".into() }), None, None]
        );
        // Negative: the fractions are of the absolute shares; −16667 at 0.6/0.4 →
        // 10000.2 / 6666.8: .8 beats .2, so chengdu gets −6667.
        assert_eq!(
            why(-16667, &[("aba", "0.6"), ("chengdu", "0.4")]),
            vec![
                None,
                Some(Won::Fraction {
                    mine: r("0.8"),
                    over: "aba".into(),
                    theirs: r("0.2")
                })
            ]
        );
    }

    #[test]
    fn central_on_an_odd_cent() {
        // 0.01 × 0.5 = 0.005 → half away from zero → 0.01 central; −0.01 → −0.01.
        assert_eq!(central_part(1, &parse_ratio("0.5").unwrap()), 1);
        assert_eq!(central_part(-1, &parse_ratio("0.5").unwrap()), -1);
        // 1234.57 × 0.6 = 740.742 → 740.74.
        assert_eq!(central_part(123457, &parse_ratio("0.6").unwrap()), 74074);
    }
}
