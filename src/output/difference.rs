//! Where a recomputed file first differs from the one found, for `verify` and the
//! books' replay: the line number and both lines, so the auditor opens the file there.

use crate::msg;

fn lines(b: &[u8]) -> Vec<&[u8]> {
    b.split(|x| *x == b'\n').collect()
}

/// The first line (1-based) where two files differ byte for byte, if they do. Lines
/// are split at `\n` only, so a `\r` or a missing final line end is a difference too.
pub fn line(expected: &[u8], found: &[u8]) -> Option<usize> {
    if expected == found {
        return None;
    }
    let (e, f) = (lines(expected), lines(found));
    // Different bytes always differ in some piece: joining the pieces with `\n` gives
    // the bytes back.
    (0..e.len().max(f.len()))
        .find(|&i| e.get(i) != f.get(i))
        .map(|i| i + 1)
}

/// Where two files first differ: the line and both versions of it.
pub fn first(expected: &[u8], found: &[u8]) -> String {
    let Some(n) = line(expected, found) else {
        return String::new();
    };
    let show = |x: Option<&&[u8]>| {
        x.map_or(crate::i18n::t("end_of_file").to_string(), |x| {
            format!("{:?}", String::from_utf8_lossy(x))
        })
    };
    let (e, f) = (lines(expected), lines(found));
    msg!(
        "E0518",
        line = n,
        recomputed = show(e.get(n - 1)),
        found = show(f.get(n - 1))
    )
    .text
}

#[cfg(test)]
mod tests {
    use super::line;

    #[test]
    fn the_first_differing_line_byte_for_byte() {
        assert_eq!(line(b"a\nb\n", b"a\nb\n"), None);
        assert_eq!(line(b"a\nb\n", b"a\nc\n"), Some(2));
        // A missing final line end: line 3 is empty in one and the end of the other.
        assert_eq!(line(b"a\nb\n", b"a\nb"), Some(3));
        // CRLF against LF is a difference on the first line.
        assert_eq!(line(b"a\nb\n", b"a\r\nb\r\n"), Some(1));
        assert_eq!(line(b"a\n", b"a\nb\n"), Some(2));
    }
}
