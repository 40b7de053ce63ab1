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
        // Said in messages, in the reader's language.
        f.write_str(crate::i18n::t(match self {
            Granularity::Month => "granularity.month",
            Granularity::Quarter => "granularity.quarter",
            Granularity::Year => "granularity.year",
        }))
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
    /// Parse the three forms of SPEC §2.1, and the forms Chinese spreadsheets write
    /// (SPEC §10): `YYYY/M`, `YYYY年M月`, `YYYY年第N季度`, `YYYYQn`, `YYYY年`.
    pub fn parse(text: &str) -> Option<Period> {
        Period::parse_bytes(text.as_bytes()).or_else(|| Period::parse_local(text))
    }

    fn parse_local(text: &str) -> Option<Period> {
        let year_of = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
                .filter(|&y| y >= 1)
        };
        let small = |d: &str| -> Option<u32> {
            (!d.is_empty() && d.len() <= 2 && d.bytes().all(|c| c.is_ascii_digit()))
                .then(|| d.parse().ok())
                .flatten()
        };
        let month = |year: i32, m: u32| {
            (1..=12).contains(&m).then_some(Period {
                year,
                granularity: Granularity::Month,
                index: m,
            })
        };
        let quarter = |year: i32, q: u32| {
            (1..=4).contains(&q).then_some(Period {
                year,
                granularity: Granularity::Quarter,
                index: q,
            })
        };
        if let Some((y, m)) = text.split_once('/') {
            return month(year_of(y)?, small(m)?);
        }
        if let Some((y, q)) = text.split_once('Q') {
            return quarter(year_of(y)?, small(q)?);
        }
        let (y, rest) = text.split_once('年')?;
        let year = year_of(y)?;
        if rest.is_empty() {
            return Some(Period {
                year,
                granularity: Granularity::Year,
                index: 1,
            });
        }
        if let Some(q) = rest.strip_prefix('第').and_then(|r| r.strip_suffix("季度")) {
            let q = match q {
                "一" => 1,
                "二" => 2,
                "三" => 3,
                "四" => 4,
                d => small(d)?,
            };
            return quarter(year, q);
        }
        month(year, small(rest.strip_suffix('月')?)?)
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

    /// The first and last day as (year, month, day), without building dates (for
    /// per-record keys).
    pub fn bounds(&self) -> ((i32, u32, u32), (i32, u32, u32)) {
        let (first, last) = (self.first_month(), self.last_month());
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let days = match last {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        ((self.year, first, 1), (self.year, last, days))
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

/// Parse a calendar date: `YYYY-MM-DD` (by hand: it runs once per record), or the
/// forms Chinese spreadsheets write (SPEC §10): `YYYY/M/D`, `YYYY-M-D`, `YYYY年M月D日`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_date_bytes(text.as_bytes()).or_else(|| parse_date_local(text))
}

fn parse_date_local(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = if let Some(rest) = text.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d]
    } else if text.contains('/') {
        text.split('/').collect()
    } else {
        text.split('-').collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let num = |s: &str, max: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(num(y, 4)?).ok()?, num(m, 2)?, num(d, 2)?)
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

/// `year_index` on plain integers — the anchor (y, m, d) and the period's first and last
/// days — for the readers' caches: `None` where `year_index` is an error.
pub(crate) fn whole_years(
    anchor: (i32, u32, u32),
    first: (i32, u32, u32),
    last: (i32, u32, u32),
) -> Option<u32> {
    let leap = |y: i32| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if last < anchor {
        return None;
    }
    if first <= anchor {
        return Some(1);
    }
    let (y, m, d) = anchor;
    let mut years = u32::try_from(first.0 - y).unwrap_or(0);
    while years > 0 {
        let ay = y + years as i32;
        // add_years: 29 February becomes the 28th in a year without one.
        let ad = if m == 2 && d == 29 && !leap(ay) {
            28
        } else {
            d
        };
        if (ay, m, ad) > first {
            years -= 1;
        } else {
            break;
        }
    }
    Some(years + 1)
}

/// Year index k of `period` counted from `anchor`: year k covers
/// [anchor + (k−1) years, anchor + k years) and holds the period's first day; a period
/// that contains the anchor is year 1; a period that ends before it is an error.
pub fn year_index(anchor: NaiveDate, period: Period) -> Result<u32, crate::i18n::Msg> {
    let first = period.first_day();
    if period.last_day() < anchor {
        return Err(crate::msg!("E0301", period = period, anchor = anchor));
    }
    if first <= anchor {
        return Ok(1);
    }
    let mut years = u32::try_from(chrono::Datelike::year(&first) - chrono::Datelike::year(&anchor))
        .unwrap_or(0);
    while years > 0 && add_years(anchor, years).is_none_or(|d| d > first) {
        years -= 1;
    }
    Ok(years + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_the_first_and_last_day() {
        use chrono::Datelike;
        for p in [
            "2024-02", "2025-02", "2025-Q1", "2025-Q4", "2024", "2100-02", "2000-02", "2025-11",
        ] {
            let p = Period::parse(p).unwrap();
            let (f, l) = (p.first_day(), p.last_day());
            assert_eq!(
                p.bounds(),
                (
                    (f.year(), f.month(), f.day()),
                    (l.year(), l.month(), l.day())
                ),
                "{p}"
            );
        }
    }

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
            "2025/13",
            "2025年13月",
            "2025年第5季度",
            "2025-01-01",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn parses_the_forms_chinese_spreadsheets_write() {
        // SPEC §10: the same period written as Excel on a Chinese desktop writes it.
        for (text, canonical) in [
            ("2025/1", "2025-01"),
            ("2025/01", "2025-01"),
            ("2025年1月", "2025-01"),
            ("2025年12月", "2025-12"),
            ("2025年第2季度", "2025-Q2"),
            ("2025年第三季度", "2025-Q3"),
            ("2025Q4", "2025-Q4"),
            ("2025年", "2025"),
        ] {
            assert_eq!(
                Period::parse(text).unwrap().to_string(),
                canonical,
                "{text}"
            );
        }
        for (text, canonical) in [
            ("2014/4/1", "2014-04-01"),
            ("2019/07/01", "2019-07-01"),
            ("2021-3-5", "2021-03-05"),
            ("2019年7月1日", "2019-07-01"),
        ] {
            assert_eq!(parse_date(text).unwrap().to_string(), canonical, "{text}");
        }
        for bad in [
            "2014/2/30",
            "14/4/1",
            "2014年4月1",
            "2014/4/1/2",
            "2014-004-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn leap_day_plus_years() {
        let d = parse_date("2020-02-29").unwrap();
        assert_eq!(add_years(d, 1).unwrap().to_string(), "2021-02-28");
        assert_eq!(add_years(d, 4).unwrap().to_string(), "2024-02-29");
    }
}
