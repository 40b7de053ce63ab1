//! Amounts in Chinese capital numerals (人民币大写), as a settlement statement writes its
//! total: 123456.78 → 壹拾贰万叁仟肆佰伍拾陆元柒角捌分.
//!
//! The accounting rules (《支付结算办法》): every ten is written 壹拾; zeros inside the
//! number are one 零 however many there are, and none is written for trailing zeros of
//! a group; an amount that ends at 元 ends with 整, one that ends at 角 or 分 does not; a
//! 零 stands between 元 and 角/分 when the units digit is 0 (壹仟陆佰捌拾元零叁角贰分);
//! an amount below one yuan starts at 角 or 分 (伍分). A negative amount is 负….

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];

/// Cents (an amount at 0.01) in capital numerals.
pub fn capital(cents: i128) -> String {
    if cents == 0 {
        return "零元整".into();
    }
    let neg = cents < 0;
    let c = cents.unsigned_abs();
    let (yuan, jiao, fen) = (c / 100, (c / 10 % 10) as usize, (c % 10) as usize);
    let mut out = String::new();
    if neg {
        out.push('负');
    }
    if yuan > 0 {
        out.push_str(&integer(yuan));
        out.push('元');
    }
    if jiao == 0 && fen == 0 {
        out.push('整');
        return out;
    }
    if yuan > 0 && (yuan % 10 == 0 || jiao == 0) {
        out.push('零');
    }
    if jiao > 0 {
        out.push(DIGITS[jiao]);
        out.push('角');
    }
    if fen > 0 {
        out.push(DIGITS[fen]);
        out.push('分');
    }
    out
}

/// A whole number of yuan: below 亿 by groups of four digits (…万…); from 亿 up, the
/// number of 亿 written the same way, then 亿, then the rest — ¥1,234,567,890,123 is
/// 壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁, never 壹万亿… (亿 is written once).
fn integer(n: u128) -> String {
    const YI: u128 = 100_000_000;
    if n >= YI {
        let (hi, lo) = (n / YI, n % YI);
        let mut out = integer(hi);
        out.push('亿');
        if lo > 0 {
            // A rest that does not start at the 仟万 place is led by one 零.
            if lo < YI / 10 {
                out.push('零');
            }
            out.push_str(&integer(lo));
        }
        return out;
    }
    let (hi, lo) = ((n / 10_000) as usize, (n % 10_000) as usize);
    let mut out = String::new();
    if hi > 0 {
        out.push_str(&group(hi));
        out.push('万');
    }
    if lo > 0 {
        // A group below 1000 after a higher one starts with 零 (壹万零伍拾).
        if hi > 0 && lo < 1000 {
            out.push('零');
        }
        out.push_str(&group(lo));
    }
    out
}

/// 1 to 9999.
fn group(g: usize) -> String {
    let digits = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
    let names = ["仟", "佰", "拾", ""];
    let mut out = String::new();
    let mut zero = false;
    for (d, name) in digits.iter().zip(names) {
        if *d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(DIGITS[*d]);
        out.push_str(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::capital;

    #[test]
    fn the_hard_cases() {
        for (cents, want) in [
            (12345678, "壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
            (1000, "壹拾元整"),
            (10000, "壹佰元整"),
            (5, "伍分"),
            (50, "伍角"),
            (100000001, "壹佰万元零壹分"),
            (100500, "壹仟零伍元整"),
            (105000, "壹仟零伍拾元整"),
            (10005000, "壹拾万零伍拾元整"),
            (1000000500, "壹仟万零伍元整"),
            (105, "壹元零伍分"),
            (1050, "壹拾元零伍角"),
            (168032, "壹仟陆佰捌拾元零叁角贰分"),
            (10000000000, "壹亿元整"),
            (10000000100, "壹亿零壹元整"),
            (10001000000, "壹亿零壹万元整"),
            (1101000000, "壹仟壹佰零壹万元整"),
            (0, "零元整"),
            (-12345678, "负壹拾贰万叁仟肆佰伍拾陆元柒角捌分"),
            (200000030, "贰佰万元零叁角"),
            // From 万亿 up, 亿 is written once (《支付结算办法》附件).
            (
                123456789012345,
                "壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁元肆角伍分",
            ),
            (100010000000000, "壹万零壹亿元整"),
            (110000000000000, "壹万壹仟亿元整"),
            // 10^15 yuan: a thousand 万 of 亿.
            (100000000000000000, "壹仟万亿元整"),
        ] {
            assert_eq!(capital(cents), want, "{cents}");
        }
    }
}
