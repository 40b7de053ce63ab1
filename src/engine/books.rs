//! Books (SPEC §9): what was booked against the truth known now, and the adjustments
//! that bring one to the other.
//!
//! The truth of a year is §4 applied to every record of the year known now; what the
//! books hold for a closed period Q is its summary plus every adjustment booked for Q
//! since. Each new closing books truth(Q) − Booked(Q) for the earlier periods of the
//! years it touches, so whatever arrives late, a year's closings add up to its truth.
//! Pure: figures in, figures out.

pub use crate::input::books::{Figures, Key};
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
    let mut diff: BTreeMap<Key, (i128, usize)> = BTreeMap::new();
    for (k, (u, m)) in truth.iter().filter(|(k, _)| periods.contains(&k.0)) {
        let e = diff.entry(k.clone()).or_insert((0, *m));
        e.0 += u;
    }
    for (k, (u, m)) in booked.iter().filter(|(k, _)| periods.contains(&k.0)) {
        let e = diff.entry(k.clone()).or_insert((0, *m));
        e.0 -= u;
    }
    diff.into_iter()
        .filter(|(_, (u, _))| *u != 0)
        .map(
            |((adjusts, zone, metric, party), (units, metric_index))| Adjustment {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn adjustments_are_truth_less_booked_non_zero_only() {
        let key =
            |q: &str, party: &str| (p(q), "z".to_string(), "vat".to_string(), party.to_string());
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
