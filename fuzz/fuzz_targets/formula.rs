//! Any text as a formula: parse, and evaluate what parses, in several contexts.
#![no_main]

use fencheng::formula::{parse, Env};
use fencheng::num::parse_ratio;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 512 {
        return;
    }
    if let Ok(expr) = parse(text) {
        for (year, amount, ytd) in [(Some(1), "0", "0"), (Some(7), "-12.5", "1000000"), (None, "99.99", "-3")] {
            let env = Env {
                year,
                month: 6,
                amount: parse_ratio(amount).unwrap_or_default(),
                ytd: parse_ratio(ytd).unwrap_or_default(),
            };
            let _ = expr.eval(&env);
        }
    }
});
