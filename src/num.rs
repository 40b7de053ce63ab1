//! Exact numbers: strict decimal text, rationals, and amounts as integer units.
//!
//! Money never passes through a float. An amount is an integer count of its metric's
//! quantum (`12345.67` at quantum `0.01` is 1234567 units); ratios, bases, floors and
//! formula values are exact rationals. The grammar of decimal text is deliberately
//! narrow (`-?digits[.digits]`): `1e3`, `1_000`, `+5` and `.5` are rejected, because a
//! figure that a finance officer did not write literally must not enter a calculation.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use rust_decimal::Decimal;

/// Exact rational number used for every ratio and intermediate share.
pub type Ratio = BigRational;

/// Why a piece of decimal text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalError {
    Empty,
    Syntax,
    TooManyDecimals { max: u32 },
}

impl std::fmt::Display for DecimalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = match self {
            DecimalError::Empty => crate::msg!("E0003"),
            DecimalError::Syntax => crate::msg!("E0004"),
            DecimalError::TooManyDecimals { max } => crate::msg!("E0005", max = max),
        };
        f.write_str(&m.text)
    }
}

/// Check the strict grammar `-?[0-9]+(\.[0-9]+)?` and return (negative, integer
/// digits, fraction digits).
pub fn split_decimal(text: &str) -> Result<(bool, &str, &str), DecimalError> {
    if text.is_empty() {
        return Err(DecimalError::Empty);
    }
    let (neg, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => {
            if f.is_empty() {
                return Err(DecimalError::Syntax);
            }
            (i, f)
        }
        None => (rest, ""),
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(DecimalError::Syntax);
    }
    Ok((neg, int, frac))
}

/// Parse strict decimal text into an exact rational (config values: ratios, bases,
/// weights, floors). Goes through `rust_decimal` for the digits, so anything beyond its
/// 28 significant digits is refused rather than rounded.
pub fn parse_ratio(text: &str) -> Result<Ratio, DecimalError> {
    split_decimal(text)?;
    let d = Decimal::from_str_exact(text).map_err(|_| DecimalError::Syntax)?;
    Ok(decimal_to_ratio(d))
}

/// Exact conversion of a `rust_decimal::Decimal` to a rational.
pub fn decimal_to_ratio(d: Decimal) -> Ratio {
    let mantissa = BigInt::from(d.mantissa());
    let denom = num_traits::pow(BigInt::from(10), d.scale() as usize);
    BigRational::new(mantissa, denom)
}

/// Parse a record amount straight into integer units of `decimals` places
/// (`"-12.3"` at 2 decimals → -1230). At most `decimals` fraction digits.
pub fn parse_scaled(text: &str, decimals: u32) -> Result<i128, DecimalError> {
    let (neg, int, frac) = split_decimal(text)?;
    if frac.len() as u32 > decimals {
        return Err(DecimalError::TooManyDecimals { max: decimals });
    }
    let mut v: i128 = 0;
    // 38 digits fit an i128; the caller bounds amounts far below that.
    if int.len() + decimals as usize > 36 {
        return Err(DecimalError::Syntax);
    }
    for b in int.bytes() {
        v = v * 10 + i128::from(b - b'0');
    }
    let mut places = 0;
    for b in frac.bytes() {
        v = v * 10 + i128::from(b - b'0');
        places += 1;
    }
    while places < decimals {
        v *= 10;
        places += 1;
    }
    Ok(if neg { -v } else { v })
}

/// Format a scaled integer with exactly `decimals` places; zero never has a sign.
pub fn format_scaled(value: i128, decimals: u32) -> String {
    place_point(value < 0, value.unsigned_abs().to_string(), decimals)
}

/// `digits` (an unsigned integer's text) with a decimal point `places` from the end.
fn place_point(neg: bool, digits: String, places: u32) -> String {
    let d = places as usize;
    let body = if d == 0 {
        digits
    } else if digits.len() <= d {
        format!("0.{}{}", "0".repeat(d - digits.len()), digits)
    } else {
        let (i, f) = digits.split_at(digits.len() - d);
        format!("{i}.{f}")
    };
    if neg { format!("-{body}") } else { body }
}

/// The exact decimal text of `r` if its denominator has no prime factor but 2 and 5.
fn terminating_text(r: &Ratio) -> Option<String> {
    let mut denom = r.denom().clone();
    for p in [2u32, 5] {
        let bp = BigInt::from(p);
        while denom.is_multiple_of(&bp) {
            denom /= &bp;
        }
    }
    if !denom.is_one() {
        return None;
    }
    let mut scaled = r.clone();
    let mut places = 0u32;
    while !scaled.is_integer() {
        scaled *= Ratio::from_integer(BigInt::from(10));
        places += 1;
    }
    Some(format_big_scaled(&scaled.to_integer(), places))
}

/// Render a rational for people: the exact decimal if it terminates, otherwise
/// `p/q ≈ decimal` (12 places).
pub fn ratio_text(r: &Ratio) -> String {
    if let Some(t) = terminating_text(r) {
        return t;
    }
    let approx = round_to_places(r, 12);
    format!(
        "{}/{} ≈ {}",
        r.numer(),
        r.denom(),
        format_big_scaled(&approx, 12)
    )
}

fn round_to_places(r: &Ratio, places: u32) -> BigInt {
    let scale = num_traits::pow(BigInt::from(10), places as usize);
    round_half_away(&(r * Ratio::from_integer(scale)))
}

fn format_big_scaled(n: &BigInt, places: u32) -> String {
    place_point(n.is_negative(), n.abs().to_string(), places)
}

/// Round half away from zero to an integer (SPEC §4.2).
pub fn round_half_away(r: &Ratio) -> BigInt {
    let half = Ratio::new(BigInt::one(), BigInt::from(2));
    if r.is_negative() {
        -((-r) + half).floor().to_integer()
    } else {
        (r + half).floor().to_integer()
    }
}

/// i128 → rational.
pub fn ri(v: i128) -> Ratio {
    Ratio::from_integer(BigInt::from(v))
}

/// A BigInt that must fit an i128 (amount units); `None` means overflow.
pub fn to_i128(n: &BigInt) -> Option<i128> {
    n.to_i128()
}

/// True if the rational is exactly zero.
pub fn is_zero(r: &Ratio) -> bool {
    r.is_zero()
}

/// Exact text of a rational for machine-readable outputs: the full decimal when it
/// terminates (`0.125`), otherwise the fraction `p/q` (`1/3`). Never rounded.
pub fn exact_text(r: &Ratio) -> String {
    terminating_text(r).unwrap_or_else(|| format!("{}/{}", r.numer(), r.denom()))
}

/// Parse `exact_text` back (tests and auditors' tools).
pub fn parse_exact(text: &str) -> Option<Ratio> {
    match text.split_once('/') {
        Some((n, d)) => {
            let n: BigInt = n.parse().ok()?;
            let d: BigInt = d.parse().ok()?;
            (!d.is_zero()).then(|| Ratio::new(n, d))
        }
        None => parse_ratio(text).ok(),
    }
}

/// A yearly rate for a projection (`--growth`, `--discount`, the workbench): a plain
/// decimal above −1 (−100 % would divide by zero or end every figure) and at most 10
/// (1,000 %), with at most 8 decimals — a rate of 28 digits makes the exact rationals
/// of ten years grow without bound. `Err` says which bound was broken.
pub fn rate(text: &str) -> Result<Ratio, crate::diag::Msg> {
    let t = text.trim();
    let (_, _, frac) = split_decimal(t).map_err(|e| crate::msg!("E0104", text = t, reason = e))?;
    if frac.len() > 8 {
        return Err(crate::msg!("E0005", max = 8));
    }
    let r = parse_ratio(t).map_err(|e| crate::msg!("E0104", text = t, reason = e))?;
    if r <= -Ratio::one() || r > ri(10) {
        return Err(crate::msg!("E0687", text = t));
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_grammar() {
        for bad in [
            "", "+5", "1_000", "1e3", ".5", "5.", "1,000", " 1", "--1", "0x10",
        ] {
            assert!(parse_scaled(bad, 2).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(parse_scaled("12345.67", 2), Ok(1234567));
        assert_eq!(parse_scaled("-0.3", 2), Ok(-30));
        assert_eq!(parse_scaled("7", 0), Ok(7));
        assert_eq!(
            parse_scaled("1.234", 2),
            Err(DecimalError::TooManyDecimals { max: 2 })
        );
        // The pitfall of going through f64: this must stay exact.
        assert_eq!(
            parse_scaled("12345678901234567.89", 2),
            Ok(1234567890123456789)
        );
    }

    #[test]
    fn formatting() {
        assert_eq!(format_scaled(0, 2), "0.00");
        assert_eq!(format_scaled(-30, 2), "-0.30");
        assert_eq!(format_scaled(123450, 2), "1234.50");
        assert_eq!(format_scaled(-5, 0), "-5");
        assert_eq!(format_scaled(5, 3), "0.005");
    }

    #[test]
    fn half_away_from_zero() {
        let r = |n: i64, d: i64| Ratio::new(BigInt::from(n), BigInt::from(d));
        assert_eq!(round_half_away(&r(1, 2)), BigInt::from(1));
        assert_eq!(round_half_away(&r(-1, 2)), BigInt::from(-1));
        assert_eq!(round_half_away(&r(-5000005, 10)), BigInt::from(-500001));
        assert_eq!(round_half_away(&r(4, 10)), BigInt::from(0));
        assert_eq!(round_half_away(&r(-4, 10)), BigInt::from(0));
    }

    #[test]
    fn ratios_are_exact() {
        assert_eq!(ratio_text(&parse_ratio("0.65").unwrap()), "0.65");
        let third = Ratio::new(BigInt::from(1), BigInt::from(3));
        assert_eq!(ratio_text(&third), "1/3 ≈ 0.333333333333");
    }
}
