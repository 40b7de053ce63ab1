//! Record amounts, parsed straight into integer units of the metric's quantum.
//!
//! Exact and cheap: `12345.67` at quantum `0.01` is 1234567 units, with no float and no
//! Decimal per row. The grammar is strict (see `num::split_decimal`).

use crate::model::Quantum;
use crate::num::{DecimalError, parse_scaled};

/// Amounts of absolute value 10^15 or more (in the metric's unit) are refused (SPEC §7).
pub const LIMIT_DIGITS: u32 = 15;

/// Parse `text` as an amount of a metric with this quantum, in units of the quantum.
pub fn parse_units(text: &str, q: &Quantum) -> Result<i128, String> {
    let scaled = parse_scaled(text, q.decimals).map_err(|e| match e {
        DecimalError::TooManyDecimals { max } => format!(
            "'{text}' has more decimals than the metric's quantum {} allows (at most {max})",
            q.text
        ),
        other => format!("'{text}': {other}"),
    })?;
    let limit = 10i128.pow(LIMIT_DIGITS + q.decimals);
    if scaled.abs() >= limit {
        return Err(format!(
            "'{text}' is too large: amounts must be below 10^15 in absolute value"
        ));
    }
    if scaled % q.scaled != 0 {
        return Err(format!(
            "'{text}' is not a multiple of the metric's quantum {}",
            q.text
        ));
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
    }
}
