//! Byte counts over short texts, eight bytes at a time in a `u64` ("SIMD within a
//! register"): a line of an export is some sixty bytes, too short for a vector
//! searcher's set-up to pay, too long for a byte loop to be free.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that equals `c`, exactly (no borrow between bytes:
/// the low seven bits of a byte plus 0x7F never reach the next byte).
#[inline(always)]
fn equal(w: u64, c: u8) -> u64 {
    let x = w ^ (LO * u64::from(c));
    !(((x & !HI).wrapping_add(!HI)) | x) & HI
}

/// The words of `b`, the last one padded with zero bytes (which equal no byte asked
/// for below and have no high bit).
#[inline(always)]
fn words(b: &[u8]) -> impl Iterator<Item = u64> + '_ {
    let chunks = b.chunks_exact(8);
    let rest = chunks.remainder();
    let tail = (!rest.is_empty()).then(|| {
        // Byte by byte: a copy of a length not known here is a call to `memcpy`,
        // which costs more than these seven bytes at most.
        rest.iter()
            .rev()
            .fold(0u64, |w, &byte| (w << 8) | u64::from(byte))
    });
    chunks
        .map(|c| {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            u64::from_le_bytes(w)
        })
        .chain(tail)
}

/// How many high bits `mask` (of `equal`) has: one multiply adds its bytes' flags (a
/// portable build has no popcount instruction, and its software one costs more).
#[inline(always)]
fn flags(mask: u64) -> usize {
    ((mask >> 7).wrapping_mul(LO) >> 56) as usize
}

/// How many bytes of `b` equal `c` (`c` not 0).
#[inline]
pub fn count(b: &[u8], c: u8) -> usize {
    words(b).map(|w| flags(equal(w, c))).sum()
}

/// Whether some `\r` of `b` is not followed by `\n` (a bare carriage return: old Mac
/// line ends), looked at eight bytes at a time: an export's CRLF lines put a `\r` on
/// every line, too many to visit one by one.
pub fn bare_cr(b: &[u8]) -> bool {
    let mut k = 0;
    while k + 9 <= b.len() {
        let word = |at: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[at..at + 8]);
            u64::from_le_bytes(w)
        };
        // Byte i of the second word is the byte after byte i of the first.
        if equal(word(k), b'\r') & !equal(word(k + 1), b'\n') != 0 {
            return true;
        }
        k += 8;
    }
    (k..b.len()).any(|i| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same counts as a byte loop, whatever the bytes and the length.
        #[test]
        fn finds_a_bare_carriage_return_like_a_byte_loop(
            b in prop::collection::vec(prop::sample::select(vec![b'\r', b'\n', b'a']), 0..40),
        ) {
            let slow = (0..b.len()).any(|i| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
            prop_assert_eq!(bare_cr(&b), slow);
        }

        #[test]
        fn counts_like_a_byte_loop(b in prop::collection::vec(any::<u8>(), 0..100), c in 1u8..) {
            prop_assert_eq!(count(&b, c), b.iter().filter(|&&x| x == c).count());
        }
    }
}
