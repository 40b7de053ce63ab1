//! Projection over an agreement's life (`fencheng project`): each base record grown by
//! an assumed yearly rate and moved forward a year at a time, so that the normal engine
//! can share the years to come. Pure: a record and the assumptions in, records out.
//!
//! It is an estimate, and says exactly what it assumes: amount × (1 + g)^k in exact
//! rational arithmetic, rounded half away from zero to the metric's quantum once per
//! projected record; the period's year moved by k; the enterprise's start date kept (so
//! schedules change phase as enterprises age); bases, floors and caps as the
//! configuration states them for each year.

use crate::msg;
use crate::num::{Ratio, ri, round_half_away, to_i128};
use crate::period::Period;
use num_traits::{One, Zero};
use std::collections::BTreeMap;

/// The growth assumptions: a default yearly rate, rates per zone or per (zone, metric),
/// and yearly totals per (zone, metric) from which the factors follow.
#[derive(Debug, Clone, Default)]
pub struct Growth {
    pub default: Ratio,
    pub by_zone: BTreeMap<usize, Ratio>,
    pub by_cell: BTreeMap<(usize, usize), Ratio>,
    /// (zone, metric) → year → total: factor of year y = total(y) / total(base year).
    pub totals: BTreeMap<(usize, usize), BTreeMap<i32, Ratio>>,
}

impl Growth {
    /// The factor applied to a base amount of (zone, metric) from year `base` to year
    /// `base + k`, or why there is none.
    pub fn factor(
        &self,
        zone: usize,
        metric: usize,
        base: i32,
        k: u32,
    ) -> Result<Ratio, crate::i18n::Msg> {
        if let Some(t) = self.totals.get(&(zone, metric)) {
            let from = t.get(&base).ok_or_else(|| msg!("E0322", year = base))?;
            let to = t
                .get(&(base + k as i32))
                .ok_or_else(|| msg!("E0323", year = base + k as i32))?;
            if from.is_zero() {
                return Err(msg!("E0324", year = base));
            }
            return Ok(to / from);
        }
        let g = self
            .by_cell
            .get(&(zone, metric))
            .or_else(|| self.by_zone.get(&zone))
            .unwrap_or(&self.default);
        Ok(pow(&(Ratio::one() + g), k))
    }
}

/// r^k, exact.
pub fn pow(r: &Ratio, k: u32) -> Ratio {
    let mut out = Ratio::one();
    for _ in 0..k {
        out *= r;
    }
    out
}

/// `units × factor`, rounded half away from zero to whole units (once per record).
pub fn grow(units: i128, factor: &Ratio) -> Option<i128> {
    to_i128(&round_half_away(&(ri(units) * factor)))
}

/// A growth factor ready for millions of records: its numerator and denominator as
/// machine integers when they fit (a rate such as 0.05 over ten years: 21^10 / 20^10),
/// so that a record grows by one multiplication and one division, rounded half away
/// from zero exactly as `grow` rounds; the exact ratio otherwise.
#[derive(Debug, Clone)]
pub struct Factor {
    pub exact: Ratio,
    small: Option<(i128, i128)>,
}

impl Factor {
    pub fn new(exact: Ratio) -> Factor {
        use num_traits::ToPrimitive;
        let small = match (exact.numer().to_i128(), exact.denom().to_i128()) {
            (Some(n), Some(d)) if d > 0 => Some((n, d)),
            _ => None,
        };
        Factor { exact, small }
    }

    /// `grow(units, factor)`: the same value, rounded once.
    pub fn grow(&self, units: i128) -> Option<i128> {
        if let Some((n, d)) = self.small
            && let Some(p) = units.checked_mul(n)
        {
            let (q, r) = (p / d, p % d);
            // |r| / d ≥ 1/2: away from zero (r has the sign of p).
            return Some(if r.unsigned_abs() * 2 >= d.unsigned_abs() {
                if p < 0 { q - 1 } else { q + 1 }
            } else {
                q
            });
        }
        grow(units, &self.exact)
    }
}

/// The period `k` years later (same month or quarter).
pub fn shift(p: Period, k: u32) -> Period {
    Period {
        year: p.year + k as i32,
        ..p
    }
}

/// Present value of yearly figures (units) at rate `r` from `base`: Σ v_y / (1+r)^(y−base),
/// exact (the caller rounds once, at the end).
pub fn present_value(by_year: &BTreeMap<i32, i128>, base: i32, r: &Ratio) -> Ratio {
    let one_r = Ratio::one() + r;
    by_year
        .iter()
        .map(|(y, v)| ri(*v) / pow(&one_r, (*y - base).max(0) as u32))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_ratio;

    #[test]
    fn a_factor_grows_as_the_exact_ratio_does() {
        // Halves in both directions, both signs, a big factor that needs the exact path.
        for f in ["1.05", "1", "0.5", "1.5", "0.97", "2.3456789"] {
            for k in [0u32, 1, 3, 10, 40] {
                let r = pow(&parse_ratio(f).unwrap(), k);
                let fast = Factor::new(r.clone());
                for u in [
                    0i128,
                    1,
                    -1,
                    5,
                    -5,
                    10,
                    -10,
                    15,
                    -15,
                    123456789,
                    -987654321,
                    99999999999,
                ] {
                    assert_eq!(fast.grow(u), grow(u, &r), "{f}^{k} × {u}");
                }
            }
        }
    }

    #[test]
    fn growth_is_exact_and_rounded_once_per_record() {
        // 100.01 at 6% for 2 years: 10001 × 1.1236 = 11237.1236 → 11237 units.
        let f = pow(&parse_ratio("1.06").unwrap(), 2);
        assert_eq!(f, parse_ratio("1.1236").unwrap());
        assert_eq!(grow(10001, &f), Some(11237));
        // Half away from zero, both signs: 0.5 → 1, −0.5 → −1.
        assert_eq!(grow(1, &parse_ratio("0.5").unwrap()), Some(1));
        assert_eq!(grow(-1, &parse_ratio("0.5").unwrap()), Some(-1));
        let p = Period::parse("2025-07").unwrap();
        assert_eq!(shift(p, 3).to_string(), "2028-07");
        // 100 a year for three years at 10%: 100 + 100/1.1 + 100/1.21 = 27310/100·… exact.
        let by: BTreeMap<i32, i128> = [(2025, 100), (2026, 110), (2027, 121)].into();
        assert_eq!(
            present_value(&by, 2025, &parse_ratio("0.1").unwrap()),
            ri(300)
        );
    }
}
