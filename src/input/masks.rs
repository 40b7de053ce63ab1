//! Bit masks of 64-byte chunks: where the delimiters, line ends, quotes, carriage
//! returns and high bytes are, one bit a byte. The streaming reader's scans
//! (`fastrow`, `gb18030`) take a chunk's bytes through these rather than one by one.

/// Bit i of the first mask is set when `chunk[i]` is the delimiter (`,`, tab or `;`),
/// of the second when it is '\n'. SSE2 is part of every x86-64 CPU: 16 bytes per
/// compare.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(crate) fn separators(chunk: &[u8; 64], delim: u8) -> (u64, u64) {
    // SAFETY: the function only needs SSE2, which this build enables (the `cfg` above
    // leaves it out otherwise), so every CPU that runs this code has it.
    let [c, n] = unsafe { masks_sse2(chunk, [delim, b'\n']) };
    (c, n)
}

/// Bit i set when `chunk[i]` is `byte` (a quote, a carriage return).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(crate) fn bits_of(chunk: &[u8; 64], byte: u8) -> u64 {
    // SAFETY: as in `separators`.
    let [q] = unsafe { masks_sse2(chunk, [byte]) };
    q
}

/// For `gb18030::valid`: bit i of the first mask set when `chunk[i]` ≥ 0x80, of the
/// second when it is 0x80 or 0xFF (the high bytes that start no two-byte character).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(crate) fn high_bits(chunk: &[u8; 64]) -> (u64, u64) {
    // SAFETY: as in `separators`.
    let [x80, xff] = unsafe { masks_sse2(chunk, [0x80, 0xFF]) };
    // SAFETY: as in `separators`.
    let high = unsafe { high_sse2(chunk) };
    (high, x80 | xff)
}

/// Bit i set when `chunk[i]` has its high bit set.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn high_sse2(chunk: &[u8; 64]) -> u64 {
    use std::arch::x86_64::_mm_movemask_epi8;
    let mut out = 0u64;
    for (k, part) in chunk.chunks_exact(16).enumerate() {
        out |= u64::from(_mm_movemask_epi8(load(part)) as u16) << (16 * k);
    }
    out
}

/// The 16 bytes of `part` in a vector register (read as two integers: no unaligned
/// pointer load is needed).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn load(part: &[u8]) -> std::arch::x86_64::__m128i {
    let mut lo = [0u8; 8];
    let mut hi = [0u8; 8];
    lo.copy_from_slice(&part[..8]);
    hi.copy_from_slice(&part[8..16]);
    std::arch::x86_64::_mm_set_epi64x(i64::from_le_bytes(hi), i64::from_le_bytes(lo))
}

/// One bit mask per byte value of `of`: bit i set when `chunk[i]` is that byte.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn masks_sse2<const N: usize>(chunk: &[u8; 64], of: [u8; N]) -> [u64; N] {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8};
    let mut out = [0u64; N];
    for (k, part) in chunk.chunks_exact(16).enumerate() {
        let v = load(part);
        for (m, &byte) in out.iter_mut().zip(&of) {
            let wanted = _mm_set1_epi8(byte as i8);
            *m |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, wanted)) as u16) << (16 * k);
        }
    }
    out
}

/// The same on other CPUs, a byte at a time.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(crate) fn separators(chunk: &[u8; 64], delim: u8) -> (u64, u64) {
    let (mut c, mut n) = (0u64, 0u64);
    for (i, &b) in chunk.iter().enumerate() {
        c |= u64::from(b == delim) << i;
        n |= u64::from(b == b'\n') << i;
    }
    (c, n)
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(crate) fn high_bits(chunk: &[u8; 64]) -> (u64, u64) {
    let (mut high, mut odd) = (0u64, 0u64);
    for (i, &b) in chunk.iter().enumerate() {
        high |= u64::from(b >= 0x80) << i;
        odd |= u64::from(b == 0x80 || b == 0xFF) << i;
    }
    (high, odd)
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(crate) fn bits_of(chunk: &[u8; 64], byte: u8) -> u64 {
    chunk
        .iter()
        .enumerate()
        .fold(0, |q, (i, &b)| q | u64::from(b == byte) << i)
}
