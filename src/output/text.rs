//! Numbers and short texts as output bytes, fast: detail.csv has tens of millions of
//! them, so nothing here allocates or calls `memcpy` for a handful of bytes.
//!
//! The trick is [`put`]: a piece is copied as a fixed-size chunk (which the compiler
//! turns into a few vector moves) and the vector is then cut back to the piece's
//! length. Numbers are written right to left, two digits at a time, into a [`Num`]
//! whose spare bytes make that chunk copy possible. The string versions
//! ([`fraction_text`], [`trim`]) are the reference the byte versions are tested
//! against, and the path for values too large for 64 bits.

use crate::num::{Ratio, exact_text, format_scaled};
use crate::period::{Granularity, Period};
use num_bigint::BigInt;
use num_integer::Integer;

/// Append the first `n` bytes of `chunk` to `out` (`n` ≤ N): one fixed-size copy and a
/// length cut.
#[inline(always)]
pub fn put<const N: usize>(out: &mut Vec<u8>, chunk: &[u8; N], n: usize) {
    let len = out.len();
    out.extend_from_slice(chunk);
    out.truncate(len + n);
}

/// Append `b[at..at + n]`, as one 64-byte copy when `b` has the bytes for it.
#[inline(always)]
pub fn put_from(out: &mut Vec<u8>, b: &[u8], at: usize, n: usize) {
    match b
        .get(at..at + 64)
        .and_then(|c| <&[u8; 64]>::try_from(c).ok())
    {
        Some(chunk) if n <= 64 => put(out, chunk, n),
        _ => out.extend_from_slice(&b[at..at + n]),
    }
}

/// A short text kept with zero padding, so that writing it is one fixed-size copy.
pub struct Piece {
    padded: Vec<u8>,
    len: usize,
}

impl Piece {
    pub fn new(text: &[u8]) -> Piece {
        let mut padded = text.to_vec();
        padded.resize(text.len().max(PIECE), 0);
        Piece {
            padded,
            len: text.len(),
        }
    }

    #[inline(always)]
    pub fn put(&self, out: &mut Vec<u8>) {
        match self
            .padded
            .get(..PIECE)
            .and_then(|c| <&[u8; PIECE]>::try_from(c).ok())
        {
            Some(chunk) if self.len <= PIECE => put(out, chunk, self.len),
            _ => out.extend_from_slice(&self.padded[..self.len]),
        }
    }
}

/// The chunk a `Piece` is copied in.
const PIECE: usize = 32;

/// "00" "01" … "99".
const PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// Where a `Num`'s text ends; it may take at most this many bytes (a sign, 39 digits
/// of a u128 and a point or a slash fit with room to spare).
const END: usize = 64;

/// A number's text, written right to left before `END`; the bytes after `END` are
/// there so that `append_to` copies a fixed-size chunk.
pub struct Num {
    buf: [u8; END + END],
    at: usize,
}

impl Default for Num {
    fn default() -> Num {
        Num {
            buf: [0; END + END],
            at: END,
        }
    }
}

impl Num {
    /// Prepend one byte.
    #[inline(always)]
    pub fn byte(&mut self, b: u8) {
        self.at -= 1;
        self.buf[self.at] = b;
    }

    #[inline(always)]
    fn pair(&mut self, r: usize) {
        self.at -= 2;
        self.buf[self.at..self.at + 2].copy_from_slice(&PAIRS[2 * r..2 * r + 2]);
    }

    /// Prepend the decimal digits of `v`.
    #[inline]
    pub fn digits(&mut self, mut v: u64) {
        while v >= 100 {
            self.pair((v % 100) as usize);
            v /= 100;
        }
        if v >= 10 {
            self.pair(v as usize);
        } else {
            self.byte(b'0' + v as u8);
        }
    }

    /// Prepend the decimal digits of a u128 (64-bit arithmetic for the low parts).
    pub fn digits128(&mut self, v: u128) {
        match u64::try_from(v) {
            Ok(v) => self.digits(v),
            Err(_) => {
                const E19: u128 = 10_000_000_000_000_000_000;
                self.exactly((v % E19) as u64, 19);
                self.digits128(v / E19);
            }
        }
    }

    /// Prepend the low `n` digits of `v`, zeros included; returns what is left of `v`.
    #[inline]
    pub fn exactly(&mut self, mut v: u64, mut n: u32) -> u64 {
        while n >= 2 {
            self.pair((v % 100) as usize);
            v /= 100;
            n -= 2;
        }
        if n == 1 {
            self.byte(b'0' + (v % 10) as u8);
            v /= 10;
        }
        v
    }

    /// Prepend m / 10^d with exactly d decimals, `-` in front when `neg`.
    #[inline]
    pub fn scaled(&mut self, m: u64, d: u32, neg: bool) {
        let int = if d > 0 {
            let int = self.exactly(m, d);
            self.byte(b'.');
            int
        } else {
            m
        };
        self.digits(int);
        if neg {
            self.byte(b'-');
        }
    }

    /// The text so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[self.at..END]
    }

    #[inline(always)]
    pub fn append_to(&self, out: &mut Vec<u8>) {
        match self.buf.get(self.at..self.at + END) {
            Some(c) => match <&[u8; END]>::try_from(c) {
                Ok(chunk) => put(out, chunk, END - self.at),
                Err(_) => out.extend_from_slice(self.as_bytes()),
            },
            None => out.extend_from_slice(self.as_bytes()),
        }
    }
}

/// v / 10^s as the shortest exact decimal (`trim(format_scaled(v, s))`).
pub fn push_decimal(out: &mut Vec<u8>, v: i128, s: u32) {
    // 64-bit arithmetic (a 128-bit `% 10` is a library call); larger values take
    // the string path.
    let (Ok(mut m), true) = (u64::try_from(v.unsigned_abs()), s < 20) else {
        out.extend_from_slice(trim(format_scaled(v, s)).as_bytes());
        return;
    };
    let mut s = s;
    while s > 0 && m % 10 == 0 {
        m /= 10;
        s -= 1;
    }
    let mut n = Num::default();
    n.scaled(m, s, v < 0 && m != 0);
    n.append_to(out);
}

/// v / 10^d with exactly d decimals (`format_scaled`).
pub fn push_fixed(out: &mut Vec<u8>, v: i128, d: u32) {
    let (Ok(m), true) = (u64::try_from(v.unsigned_abs()), d < 20) else {
        out.extend_from_slice(format_scaled(v, d).as_bytes());
        return;
    };
    let mut n = Num::default();
    n.scaled(m, d, v < 0);
    n.append_to(out);
}

/// Greatest common divisor: binary (shifts and subtractions, no division), the
/// smaller and the difference chosen without a branch, since whether u < v is a
/// coin toss the predictor would lose on every line.
pub fn gcd(mut u: u64, mut v: u64) -> u64 {
    if u == 0 || v == 0 {
        return u | v;
    }
    let shift = (u | v).trailing_zeros();
    u >>= u.trailing_zeros();
    v >>= v.trailing_zeros();
    // Both odd: their difference is even and not zero while they differ.
    while u != v {
        let d = u.abs_diff(v);
        u = u.min(v);
        v = d >> d.trailing_zeros();
    }
    u << shift
}

/// `fraction_text(units · p, q)` appended to `out` in 64-bit arithmetic, for p/q in
/// lowest terms; false (nothing written) when the numbers are too large for it.
pub fn push_fraction(out: &mut Vec<u8>, units: i64, p: i64, q: i64) -> bool {
    let (u, Ok(q)) = (units.unsigned_abs(), u64::try_from(q)) else {
        return false;
    };
    if q == 0 {
        return false;
    }
    // p/q is in lowest terms (a `Ratio`), so gcd(units · p, q) = gcd(units, q): the
    // smaller numbers make the gcd about twice as quick.
    let g = gcd(u, q);
    let Some(a) = (u / g).checked_mul(p.unsigned_abs()) else {
        return false;
    };
    let q = q / g;
    let neg = (units < 0) != (p < 0) && a != 0;
    // q = 2^twos · 5^fives · rest: a terminating decimal when rest = 1.
    let twos = q.trailing_zeros();
    let (mut rest, mut fives) = (q >> twos, 0u32);
    while rest % 5 == 0 {
        rest /= 5;
        fives += 1;
    }
    if rest == 1 {
        // a/q = a · (10^s / q) / 10^s with s = max(twos, fives).
        let s = twos.max(fives);
        let Some(v) = 10i128
            .checked_pow(s)
            .and_then(|p| i128::from(a).checked_mul(p / i128::from(q)))
        else {
            return false;
        };
        push_decimal(out, if neg { -v } else { v }, s);
        return true;
    }
    let mut num = Num::default();
    num.digits(q);
    num.byte(b'/');
    num.digits(a);
    if neg {
        num.byte(b'-');
    }
    num.append_to(out);
    true
}

/// n/q in lowest terms as `num::exact_text` writes it: a decimal when it terminates.
pub fn fraction_text(n: i128, q: i128) -> String {
    let g = n.unsigned_abs().gcd(&q.unsigned_abs()) as i128;
    let (n, q) = if g > 1 { (n / g, q / g) } else { (n, q) };
    if q == 1 {
        return n.to_string();
    }
    let (mut d, mut s, mut scale) = (q, 0u32, 1i128);
    while d % 2 == 0 || d % 5 == 0 {
        if d % 2 == 0 {
            d /= 2;
        }
        if d % 5 == 0 {
            d /= 5;
        }
        s += 1;
        scale *= 10;
    }
    match (d, n.checked_mul(scale)) {
        (1, Some(v)) => trim(format_scaled(v / q, s)),
        (1, None) => exact_text(&Ratio::new(BigInt::from(n), BigInt::from(q))),
        _ => format!("{n}/{q}"),
    }
}

/// `12.3400` → `12.34`, `5.00` → `5`, `-0.0` → `0`.
pub fn trim(s: String) -> String {
    if !s.contains('.') {
        return s;
    }
    let t = s.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" || t.is_empty() {
        "0".into()
    } else {
        t.to_string()
    }
}

/// A period as `Period`'s `Display` writes it, without the formatting machinery.
pub fn push_period(out: &mut Vec<u8>, p: Period) {
    if !(0..=9999).contains(&p.year) {
        out.extend_from_slice(p.to_string().as_bytes());
        return;
    }
    let y = p.year as u32;
    out.extend_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
    ]);
    match p.granularity {
        Granularity::Month => out.extend_from_slice(&[
            b'-',
            b'0' + (p.index / 10 % 10) as u8,
            b'0' + (p.index % 10) as u8,
        ]),
        Granularity::Quarter => out.extend_from_slice(&[b'-', b'Q', b'0' + (p.index % 10) as u8]),
        Granularity::Year => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The 64-bit fraction writer gives `fraction_text`'s bytes: lowest terms,
        /// decimals when they terminate, signs.
        #[test]
        fn fraction_bytes_match_the_string_formatting(
            units in proptest::num::i64::ANY,
            p in -(1i64 << 40)..(1i64 << 40),
            q in 1i64..(1i64 << 40),
            small in -2000i64..2000,
            den in proptest::sample::select(vec![1i64, 2, 3, 4, 5, 8, 10, 12, 40, 125, 625, 1000, 7 * 1024]),
        ) {
            for (units, p, q) in [(units, p, q), (small, 1, den), (small, 3, den)] {
                // p/q in lowest terms, as a Ratio gives it.
                let g = (p.unsigned_abs()).gcd(&q.unsigned_abs()).max(1) as i64;
                let (p, q) = (p / g, q / g);
                let mut out = b"x".to_vec();
                if push_fraction(&mut out, units, p, q) {
                    proptest::prop_assert_eq!(
                        String::from_utf8(out).unwrap(),
                        format!("x{}", fraction_text(i128::from(units) * i128::from(p), q.into()))
                    );
                }
            }
        }

        /// Decimals of any size and scale, written after other bytes, as the string
        /// formatting writes them.
        #[test]
        fn decimal_bytes_match_the_string_formatting(
            v in proptest::num::i128::ANY,
            small in proptest::num::i64::ANY,
            d in 0u32..24,
        ) {
            for v in [v, i128::from(small), v >> 64, v >> 100] {
                let mut out = b"x".to_vec();
                push_decimal(&mut out, v, d);
                proptest::prop_assert_eq!(
                    String::from_utf8(out).unwrap(),
                    format!("x{}", trim(format_scaled(v, d)))
                );
                let mut out = b"x".to_vec();
                push_fixed(&mut out, v, d);
                proptest::prop_assert_eq!(
                    String::from_utf8(out).unwrap(),
                    format!("x{}", format_scaled(v, d))
                );
            }
        }
    }

    #[test]
    fn gcd_by_hand_and_against_num_integer() {
        assert_eq!(gcd(0, 0), 0);
        assert_eq!(gcd(0, 12), 12);
        assert_eq!(gcd(12, 0), 12);
        assert_eq!(gcd(12, 18), 6);
        assert_eq!(gcd(17, 5), 1);
        assert_eq!(gcd(1 << 40, 1 << 12), 1 << 12);
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let (a, b) = (x >> (x % 40), (x.rotate_left(29)) >> (x % 23));
            assert_eq!(gcd(a, b), a.gcd(&b), "{a} {b}");
        }
    }

    #[test]
    fn periods_are_written_as_displayed() {
        for text in ["2025-01", "2025-12", "0999-Q4", "2024-Q1", "2030", "0001"] {
            let p = Period::parse(text).unwrap();
            let mut out = Vec::new();
            push_period(&mut out, p);
            assert_eq!(String::from_utf8(out).unwrap(), p.to_string());
        }
    }

    #[test]
    fn fractions_by_hand() {
        let text = |units, p, q| {
            let mut out = Vec::new();
            assert!(push_fraction(&mut out, units, p, q));
            String::from_utf8(out).unwrap()
        };
        // 6 × 1/4 = 3/2 = 1.5; -1 × 1/3 stays a fraction; 0 × 2/7 = 0; 10 × 1/5 = 2;
        // -7 × 1/8 = -0.875; 14 × 2/21 = 28/21 = 4/3; 3 × -2/9 = -2/3.
        assert_eq!(text(6, 1, 4), "1.5");
        assert_eq!(text(-1, 1, 3), "-1/3");
        assert_eq!(text(0, 2, 7), "0");
        assert_eq!(text(10, 1, 5), "2");
        assert_eq!(text(-7, 1, 8), "-0.875");
        assert_eq!(text(14, 2, 21), "4/3");
        assert_eq!(text(3, -2, 9), "-2/3");
    }

    #[test]
    fn pieces_and_numbers_by_hand() {
        let mut out = b"ab".to_vec();
        Piece::new(b",cq-yubei,1/6,").put(&mut out);
        Piece::new(&[b'x'; 40]).put(&mut out);
        put_from(&mut out, b"0123456789", 3, 4);
        let mut n = Num::default();
        n.digits128(u128::MAX);
        n.byte(b'=');
        n.exactly(7, 3);
        n.append_to(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("ab,cq-yubei,1/6,{}3456007={}", "x".repeat(40), u128::MAX)
        );
    }
}
