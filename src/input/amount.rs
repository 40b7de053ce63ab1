//! Record amounts, parsed straight into integer units of the metric's quantum.
//!
//! Exact and cheap: `12345.67` at quantum `0.01` is 1234567 units, with no float and no
//! Decimal per row. The grammar is strict (see `num::split_decimal`).

use crate::model::Quantum;
use crate::num::{DecimalError, parse_scaled};

/// Amounts of absolute value 10^15 or more (in the metric's unit) are refused (SPEC §7).
pub const LIMIT_DIGITS: u32 = 15;

/// 10^0 ..= 10^38.
const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// The common case in one pass over the bytes: `-?digits[.digits]` within the
/// quantum's decimals and the size limit. `None` sends the text to the careful path,
/// which explains what is wrong.
#[inline(always)]
pub(crate) fn fast_units_bytes(b: &[u8], q: &Quantum) -> Option<i128> {
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    units_of(digits, q, neg, false)
}

/// An export's amount read as units on the byte path (SPEC §12): with `parens`, a
/// refund written `(1,234.56)`; with `thousands`, the integer digits in groups of
/// three after the first (`1,234,567.89`), read in the same pass as the digits.
/// `None` wherever `profile::amount_text` would say anything else than what this reads
/// (a sign inside the brackets, blanks, a group of two): the row then goes the general
/// way, which says why.
#[inline(always)]
pub(crate) fn export_units(b: &[u8], q: &Quantum, thousands: bool, parens: bool) -> Option<i128> {
    let (neg, body) = match b {
        [b'(', inner @ .., b')'] if parens => (true, inner),
        [b'-', rest @ ..] => (true, rest),
        _ => (false, b),
    };
    units_of(body, q, neg, thousands)
}

/// `digits[.digits]` (with `grouped`, the integer digits may be grouped by
/// thousands separators) as units of `q`, negated with `neg`: integer digits up to an
/// optional '.', then fraction digits, in two tight loops. `None` for anything else.
#[inline(always)]
fn units_of(digits: &[u8], q: &Quantum, neg: bool, grouped: bool) -> Option<i128> {
    // 19 digits always fit a u64 (20 may not); longer amounts take the careful path.
    let mut v: u64 = 0;
    let mut i = 0;
    let mut int_len = 0u32;
    // Digits since the last separator, and separators met.
    let (mut group, mut groups) = (0u32, 0u32);
    while i < digits.len() {
        let d = digits[i].wrapping_sub(b'0');
        if d < 10 {
            v = v.checked_mul(10)? + u64::from(d);
            int_len += 1;
            group += 1;
        } else if grouped && digits[i] == b',' {
            // One to three digits before the first separator, three before the others.
            let ok = if groups == 0 {
                (1..=3).contains(&group)
            } else {
                group == 3
            };
            if !ok {
                return None;
            }
            groups += 1;
            group = 0;
        } else {
            break;
        }
        i += 1;
    }
    // The last group, before the point (or the end), is three digits too.
    if groups > 0 && group != 3 {
        return None;
    }
    let mut frac_len: u32 = 0;
    if i < digits.len() {
        if digits[i] != b'.' || i + 1 == digits.len() {
            return None;
        }
        i += 1;
        while i < digits.len() {
            let d = digits[i].wrapping_sub(b'0');
            if d >= 10 {
                return None;
            }
            v = v.checked_mul(10)? + u64::from(d);
            frac_len += 1;
            i += 1;
        }
    }
    if int_len == 0 || int_len > 16 || int_len + frac_len > 19 || frac_len > q.decimals {
        return None;
    }
    let scaled = i128::from(v) * POW10[(q.decimals - frac_len) as usize];
    if scaled >= POW10[(LIMIT_DIGITS + q.decimals) as usize] {
        return None;
    }
    let units = if q.scaled == 1 {
        scaled
    } else if scaled % q.scaled == 0 {
        scaled / q.scaled
    } else {
        return None;
    };
    Some(if neg { -units } else { units })
}

/// Whether `b`, read as `units` by `fast_units_bytes`, is written exactly as the
/// outputs write that amount (`num::format_scaled`): all the quantum's decimals, no
/// leading zeros, no `-` on zero. Such text can be copied into an output as it is.
#[inline]
pub(crate) fn is_canonical(b: &[u8], decimals: u32, units: i128) -> bool {
    let digits = match b.first() {
        Some(b'-') if units != 0 => &b[1..],
        Some(b'-') => return false,
        _ => b,
    };
    // The grammar is checked already: one '.' at most, digits elsewhere.
    let int_len = match decimals {
        0 => digits.len(),
        d => match digits.len().checked_sub(d as usize + 1) {
            Some(n) if digits[n] == b'.' => n,
            _ => return false,
        },
    };
    int_len == 1 || (int_len > 1 && digits[0] != b'0')
}

/// What to do about the amounts spreadsheets commonly write.
fn hint(text: &str) -> String {
    if text
        .chars()
        .any(|c| ('０'..='９').contains(&c) || c == '．' || c == '－')
    {
        let plain: String = text
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                '－' => '-',
                c => c,
            })
            .collect();
        return crate::msg!("E0231", plain = plain).text;
    }
    if text.contains(',') && text.replace(',', "").parse::<f64>().is_ok() {
        return crate::msg!("E0232", plain = text.replace(',', "")).text;
    }
    if text.starts_with('¥') || text.starts_with('￥') || text.ends_with('元') {
        return crate::msg!("E0233").text;
    }
    String::new()
}

/// Parse `text` as an amount of a metric with this quantum, in units of the quantum.
pub fn parse_units(text: &str, q: &Quantum) -> Result<i128, crate::diag::Msg> {
    if let Some(u) = fast_units_bytes(text.as_bytes(), q) {
        return Ok(u);
    }
    let scaled = parse_scaled(text, q.decimals).map_err(|e| match e {
        DecimalError::TooManyDecimals { max } => {
            crate::msg!("E0234", text = text, quantum = q.text, max = max)
        }
        DecimalError::Empty => crate::msg!("E0235"),
        DecimalError::Syntax => crate::msg!("E0236", text = text, hint = hint(text)),
    })?;
    let limit = 10i128.pow(LIMIT_DIGITS + q.decimals);
    if scaled.abs() >= limit {
        return Err(crate::msg!("E0237", text = text));
    }
    if scaled % q.scaled != 0 {
        return Err(crate::msg!("E0238", text = text, quantum = q.text));
    }
    Ok(scaled / q.scaled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::parse_ratio;

    fn q(text: &str, decimals: u32, scaled: i128) -> Quantum {
        Quantum {
            text: text.into(),
            decimals,
            scaled,
            value: parse_ratio(text).unwrap(),
        }
    }

    #[test]
    fn units_of_the_quantum() {
        assert_eq!(parse_units("12345.67", &q("0.01", 2, 1)), Ok(1234567));
        assert_eq!(parse_units("-0.3", &q("0.01", 2, 1)), Ok(-30));
        assert_eq!(parse_units("10", &q("0.05", 2, 5)), Ok(200));
        assert!(parse_units("10.01", &q("0.05", 2, 5)).is_err());
        assert!(parse_units("1.5", &q("1", 0, 1)).is_err());
        assert!(parse_units("1000000000000000", &q("1", 0, 1)).is_err());
        assert_eq!(
            parse_units("999999999999999.99", &q("0.01", 2, 1)),
            Ok(99999999999999999)
        );
        assert!(parse_units("1e5", &q("0.01", 2, 1)).is_err());
        assert!(parse_units("+5.00", &q("0.01", 2, 1)).is_err());
        // Twenty digits do not fit the fast path's 64 bits: refused, not wrapped.
        assert!(parse_units("99999999999999999999", &q("1", 0, 1)).is_err());
        assert!(parse_units("-99999999999999999999", &q("0.01", 2, 1)).is_err());
        assert_eq!(parse_units("0000000000000000007", &q("1", 0, 1)), Ok(7));
        assert!(parse_units("1.2.3", &q("0.01", 2, 1)).is_err());
        assert!(parse_units("1.", &q("0.01", 2, 1)).is_err());
        assert!(parse_units(".5", &q("0.01", 2, 1)).is_err());
        assert!(parse_units("-", &q("0.01", 2, 1)).is_err());
        assert_eq!(parse_units("000123.40", &q("0.01", 2, 1)), Ok(12340));
    }

    proptest::proptest! {
        /// Canonical text is exactly what `format_scaled` writes for the amount.
        #[test]
        fn canonical_means_written_as_the_outputs_write_it(
            neg in proptest::bool::ANY,
            int in proptest::sample::select(vec!["0", "00", "7", "07", "10", "123456789012345"]),
            frac in proptest::sample::select(vec!["", ".", ".0", ".5", ".00", ".05", ".50", ".123"]),
            decimals in 0u32..4,
        ) {
            let text = format!("{}{int}{frac}", if neg { "-" } else { "" });
            let quantum = Quantum {
                text: String::new(),
                decimals,
                scaled: 1,
                value: parse_ratio("1").unwrap(),
            };
            if let Some(units) = fast_units_bytes(text.as_bytes(), &quantum) {
                let written = crate::num::format_scaled(units, decimals);
                proptest::prop_assert_eq!(
                    is_canonical(text.as_bytes(), decimals, units),
                    written == text,
                    "{} read as {} written {}", text, units, written
                );
            }
        }
    }
}
