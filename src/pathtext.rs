//! A path as text, both ways: what a manifest records and a message shows.
//!
//! A name that is UTF-8 is itself. A name that is not — a GBK name from a Windows
//! archive, `数据.csv` as the bytes CA FD BE DD — has each byte that is not part of a
//! UTF-8 character written `\xCA`, so the text names the file exactly and `parse` gives
//! its bytes back (a backslash in such a name is `\x5C`): a run on such a file can be
//! recorded and verified. (Path::display
//! would put U+FFFD in their place, and serde refuses such a path outright.)

use std::path::{Path, PathBuf};

/// The path as text; reversible by `parse`.
pub fn show(p: &Path) -> String {
    if let Some(s) = p.to_str() {
        return s.to_string();
    }
    escaped(p)
}

#[cfg(unix)]
fn escaped(p: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in p.as_os_str().as_bytes().utf8_chunks() {
        // A backslash is escaped too, so that the text of such a name reads back one way.
        out.push_str(&chunk.valid().replace('\\', "\\x5C"));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(not(unix))]
fn escaped(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The path a text from `show` names. A text without `\x` escapes, or whose escapes
/// would give UTF-8 (then it was a UTF-8 name holding a backslash), is the path itself.
pub fn parse(s: &str) -> PathBuf {
    unescaped(s).unwrap_or_else(|| PathBuf::from(s))
}

#[cfg(unix)]
fn unescaped(s: &str) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    if !s.contains("\\x") {
        return None;
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |k: usize| {
            b.get(k)
                .and_then(|c| (*c as char).to_digit(16))
                .map(|d| d as u8)
        };
        if b[i] == b'\\'
            && b.get(i + 1) == Some(&b'x')
            && let (Some(h), Some(l)) = (hex(i + 2), hex(i + 3))
        {
            out.push(h * 16 + l);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    // Only bytes that are not UTF-8 were escaped: if the result reads as UTF-8 the
    // text was a name of its own.
    if std::str::from_utf8(&out).is_ok() {
        return None;
    }
    Some(PathBuf::from(std::ffi::OsString::from_vec(out)))
}

#[cfg(not(unix))]
fn unescaped(_: &str) -> Option<PathBuf> {
    None
}

/// `#[serde(with = "crate::pathtext::one")]` for a `PathBuf`.
pub mod one {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::path::PathBuf;

    pub fn serialize<S: Serializer>(p: &std::path::Path, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::show(p))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        Ok(super::parse(&String::deserialize(d)?))
    }
}

/// `#[serde(with = "crate::pathtext::many")]` for a `Vec<PathBuf>`.
pub mod many {
    use serde::{Deserialize, Deserializer, Serializer, ser::SerializeSeq};
    use std::path::PathBuf;

    pub fn serialize<S: Serializer>(v: &[PathBuf], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for p in v {
            seq.serialize_element(&super::show(p))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PathBuf>, D::Error> {
        Ok(Vec::<String>::deserialize(d)?
            .iter()
            .map(|s| super::parse(s))
            .collect())
    }
}

/// `#[serde(with = "crate::pathtext::maybe")]` for an `Option<PathBuf>`.
pub mod maybe {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::path::PathBuf;

    pub fn serialize<S: Serializer>(p: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
        match p {
            Some(p) => s.serialize_some(&super::show(p)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(|s| super::parse(&s)))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn a_name_that_is_not_utf8_comes_back_byte_for_byte() {
        for bytes in [
            &b"\xca\xfd\xbe\xdd.csv"[..],
            b"dir/\xff",
            b"\xe6\x95\xb0\xca.csv",
            b"a\\xb\xff",
        ] {
            let p = Path::new(std::ffi::OsStr::from_bytes(bytes));
            let t = show(p);
            assert_eq!(parse(&t).as_os_str().as_bytes(), bytes, "{t}");
        }
        assert_eq!(
            show(Path::new(std::ffi::OsStr::from_bytes(b"\xca\xfd.csv"))),
            "\\xCA\\xFD.csv"
        );
        // UTF-8 names are themselves, a backslash included.
        for s in ["数据.csv", "a\\x41.csv", "plain"] {
            assert_eq!(show(Path::new(s)), s);
            assert_eq!(parse(s), PathBuf::from(s));
        }
    }
}
