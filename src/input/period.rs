//! Accounting periods: `YYYY-MM`, `YYYY-Qn` or `YYYY`.
//!
//! A run uses one granularity; the first record fixes it. Periods of one granularity
//! sort chronologically by their text, which is what the outputs sort by.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Granularity of the periods of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Granularity {
    Month,
    Quarter,
    Year,
}

impl fmt::Display for Granularity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Granularity::Month => "monthly (YYYY-MM)",
            Granularity::Quarter => "quarterly (YYYY-Qn)",
            Granularity::Year => "annual (YYYY)",
        })
    }
}

/// One period. `index` is the month (1–12), the quarter (1–4) or 1 for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub granularity: Granularity,
    pub index: u32,
}

impl Period {
    /// Parse strictly; returns `None` on anything else than the three forms.
    pub fn parse(text: &str) -> Option<Period> {
        Period::parse_bytes(text.as_bytes())
    }

    /// `parse` on bytes (the streaming reader).
    pub fn parse_bytes(b: &[u8]) -> Option<Period> {
        let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
        if b.len() < 4 || !digits(&b[..4]) {
            return None;
        }
        let year = b[..4]
            .iter()
            .fold(0i32, |acc, c| acc * 10 + i32::from(c - b'0'));
        if year < 1 {
            return None;
        }
        match b.len() {
            4 => Some(Period {
                year,
                granularity: Granularity::Year,
                index: 1,
            }),
            7 if b[4] == b'-' && b[5] == b'Q' && (b'1'..=b'4').contains(&b[6]) => Some(Period {
                year,
                granularity: Granularity::Quarter,
                index: u32::from(b[6] - b'0'),
            }),
            7 if b[4] == b'-' && digits(&b[5..7]) => {
                let m = u32::from(b[5] - b'0') * 10 + u32::from(b[6] - b'0');
                (1..=12).contains(&m).then_some(Period {
                    year,
                    granularity: Granularity::Month,
                    index: m,
                })
            }
            _ => None,
        }
    }

    /// The first month of the period (1–12): `month` in formulas.
    pub fn first_month(&self) -> u32 {
        match self.granularity {
            Granularity::Month => self.index,
            Granularity::Quarter => (self.index - 1) * 3 + 1,
            Granularity::Year => 1,
        }
    }

    fn last_month(&self) -> u32 {
        match self.granularity {
            Granularity::Month => self.index,
            Granularity::Quarter => self.index * 3,
            Granularity::Year => 12,
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.first_month(), 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(&self) -> NaiveDate {
        let m = self.last_month();
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.granularity {
            Granularity::Month => write!(f, "{:04}-{:02}", self.year, self.index),
            Granularity::Quarter => write!(f, "{:04}-Q{}", self.year, self.index),
            Granularity::Year => write!(f, "{:04}", self.year),
        }
    }
}

/// Parse a calendar date `YYYY-MM-DD` strictly (by hand: it runs once per record).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_date_bytes(text.as_bytes())
}

/// `parse_date` on bytes (the streaming reader).
pub fn parse_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let y = num(&b[..4])?;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, num(&b[5..7])?, num(&b[8..10])?)
}

/// `date` + `years` calendar years; 29 February lands on 28 February in a common year.
pub fn add_years(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    let y = date.year().checked_add(i32::try_from(years).ok()?)?;
    NaiveDate::from_ymd_opt(y, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, date.month(), 28))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_forms() {
        let p = Period::parse("2025-03").unwrap();
        assert_eq!(p.to_string(), "2025-03");
        assert_eq!(p.last_day().to_string(), "2025-03-31");
        let q = Period::parse("2024-Q1").unwrap();
        assert_eq!(q.first_day().to_string(), "2024-01-01");
        assert_eq!(q.last_day().to_string(), "2024-03-31");
        assert_eq!(
            Period::parse("2024").unwrap().last_day().to_string(),
            "2024-12-31"
        );
        for bad in [
            "2025-13",
            "2025-00",
            "2025-Q5",
            "25-01",
            "2025-1",
            "2025/01",
            "2025-01-01",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn leap_day_plus_years() {
        let d = parse_date("2020-02-29").unwrap();
        assert_eq!(add_years(d, 1).unwrap().to_string(), "2021-02-28");
        assert_eq!(add_years(d, 4).unwrap().to_string(), "2024-02-29");
    }
}
