//! A writer that hashes and counts the lines of what passes through it: a large
//! output (detail.csv) is hashed for the manifest as it is written, never read back.

use sha2::{Digest, Sha256};
use std::io::Write;

/// A writer that hashes and counts lines of what passes through.
pub struct Hashing<W: Write> {
    pub inner: W,
    pub hasher: Sha256,
    pub lines: u64,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            hasher: Sha256::new(),
            lines: 0,
        }
    }

    /// The hex SHA-256 of everything written.
    pub fn hex(&self) -> String {
        self.hasher
            .clone()
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.lines += count_newlines(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Line ends in `b`. Counted per 255 bytes into a byte-sized counter, which the
/// compiler turns into vector compares (a `usize` count per byte is not vectorised,
/// and detail.csv has gigabytes).
pub fn count_newlines(b: &[u8]) -> u64 {
    b.chunks(255)
        .map(|c| u64::from(c.iter().fold(0u8, |n, &x| n + u8::from(x == b'\n'))))
        .sum()
}
