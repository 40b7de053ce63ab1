//! GB18030 read without decoding what nobody reads.
//!
//! The tax system's export is GB18030, and most of its Chinese is in cells no profile
//! reads (纳税人名称, the company's name) or in cells a values table maps (征收项目,
//! 主管税务所). Decoding a whole block to UTF-8 to read a few ASCII cells cost a fifth
//! of an export's reading time. A line's cuts can be found on the bytes as they are —
//! the delimiters, quotes and line ends are ASCII bytes that never occur inside a
//! GB18030 character (a two-byte character's second byte is 0x40–0x7E or 0x80–0xFE,
//! a four-byte one's bytes are 0x81–0xFE and the digits 0x30–0x39) — so the byte path
//! checks that a block is GB18030 (`valid`, exactly where the decoder would fail),
//! cuts its lines as they are, and gives the cells it reads as text: ASCII as it is,
//! a values table's key by its GB18030 bytes (`Known`), anything else decoded.

use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// Whether `b` decodes as GB18030 (WHATWG, as `encoding_rs` decodes it without
/// replacement): true exactly when `encoding_rs` would decode it without an error.
/// The rules (encoding_rs's decoder): a byte below 0x80 and 0x80 itself (€) are
/// one-byte characters; 0xFF never starts one; a lead byte 0x81–0xFE is followed
/// either by 0x40–0x7E or 0x80–0xFE (two bytes, every such pair maps), or by a digit,
/// a byte 0x81–0xFE and a digit (four bytes) whose pointer is in the BMP ranges
/// (≤ 39419) or the astral ones (189000–1237575); a character cut by the end of `b`
/// is an error.
pub fn valid(b: &[u8]) -> bool {
    let mut i = 0;
    let n = b.len();
    loop {
        // Eight ASCII bytes at a time: most of an export is ASCII.
        while let Some(w) = b.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            if u64::from_ne_bytes(word) & HIGH != 0 {
                break;
            }
            i += 8;
        }
        // Then a byte at a time up to the next ASCII byte after a character: Chinese
        // text comes in runs (a name, a tax office).
        loop {
            let Some(&first) = b.get(i) else {
                return true;
            };
            if first < 0x80 {
                i += 1;
                break;
            }
            // Eight bytes 0x81–0xFE from a character's start: four two-byte
            // characters (GB2312's hanzi are all such).
            if let Some(w) = b.get(i..i + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(w);
                let w = u64::from_ne_bytes(word);
                if w & HIGH == HIGH && !has_byte(w, 0x80) && !has_byte(w, 0xFF) {
                    i += 8;
                    continue;
                }
            }
            if first == 0x80 {
                i += 1;
                continue;
            }
            if first == 0xFF {
                return false;
            }
            let Some(&second) = b.get(i + 1) else {
                return false;
            };
            // 0x40–0x7E or 0x80–0xFE: a two-byte character (every such pair maps).
            if second.wrapping_sub(0x40) < 0x3F || second.wrapping_sub(0x80) < 0x7F {
                i += 2;
                continue;
            }
            if !second.is_ascii_digit() {
                return false;
            }
            let (Some(&third), Some(&fourth)) = (b.get(i + 2), b.get(i + 3)) else {
                return false;
            };
            if !(0x81..=0xFE).contains(&third) || !fourth.is_ascii_digit() {
                return false;
            }
            let pointer = (usize::from(first - 0x81) * 12600)
                + (usize::from(second - 0x30) * 1260)
                + (usize::from(third - 0x81) * 10)
                + usize::from(fourth - 0x30);
            if pointer > 39419 && !(189_000..=1_237_575).contains(&pointer) {
                return false;
            }
            i += 4;
        }
        if i >= n {
            return true;
        }
    }
}

const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether a byte of `w` is `x` (a byte of `w ^ x…x` is zero).
#[inline(always)]
fn has_byte(w: u64, x: u8) -> bool {
    let v = w ^ (u64::from(x) * 0x0101_0101_0101_0101);
    v.wrapping_sub(0x0101_0101_0101_0101) & !v & HIGH != 0
}

/// GB18030 bytes as text. Bytes that are not GB18030 (never given here: blocks are
/// checked by `valid` first) would read as U+FFFD.
pub fn decode(b: &[u8]) -> Cow<'_, str> {
    encoding_rs::GB18030.decode_without_bom_handling(b).0
}

/// Texts a profile compares cells with (its values tables' keys, its skip rules'
/// values), by their GB18030 bytes: a cell holding exactly those bytes is that text,
/// without decoding it. Only texts that read back as themselves are kept (GB18030
/// writes a few characters two ways; a cell written the other way is decoded).
#[derive(Debug, Default)]
pub struct Known {
    /// GB18030 bytes → index in `texts`.
    index: FxHashMap<Box<[u8]>, u16>,
    texts: Vec<Box<str>>,
}

impl Known {
    pub fn of<'t>(texts: impl IntoIterator<Item = &'t str>) -> Known {
        let mut known = Known::default();
        for t in texts {
            // A cell is compared without the blanks around it: a text with blanks
            // around it is never equal to one.
            if t.is_ascii() || t.trim() != t {
                continue;
            }
            let (bytes, _, unmappable) = encoding_rs::GB18030.encode(t);
            if unmappable || decode(&bytes) != t || known.index.contains_key(&*bytes) {
                continue;
            }
            let Ok(i) = u16::try_from(known.texts.len()) else {
                break;
            };
            known.index.insert(bytes.into(), i);
            known.texts.push(t.into());
        }
        known
    }

    /// The index of the text whose GB18030 bytes are `b`, if the profile names it.
    #[inline]
    pub fn find(&self, b: &[u8]) -> Option<u16> {
        if self.texts.is_empty() {
            return None;
        }
        self.index.get(b).copied()
    }

    /// How many texts there are (their indices are 0..len).
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The text of index `i` (from `find`).
    #[inline]
    pub fn text(&self, i: u16) -> &str {
        self.texts.get(usize::from(i)).map_or("", |t| t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decodes(b: &[u8]) -> bool {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(b)
            .is_some()
    }

    #[test]
    fn every_one_and_two_byte_sequence_is_judged_as_the_decoder_judges_it() {
        for a in 0..=255u8 {
            assert_eq!(valid(&[a]), decodes(&[a]), "{a:02X}");
            for b in 0..=255u8 {
                let s = [a, b];
                assert_eq!(valid(&s), decodes(&s), "{a:02X} {b:02X}");
            }
        }
    }

    #[test]
    fn every_four_byte_sequence_is_judged_as_the_decoder_judges_it() {
        // Every lead, digit, third byte and digit (1,587,600 sequences), and each
        // with a byte out of its range in third or fourth place.
        let mut seq = Vec::with_capacity(4);
        for a in 0x81..=0xFEu8 {
            for b in 0x30..=0x39u8 {
                for c in (0x80..=0xFFu8).chain([0x30, 0x41]) {
                    for d in (0x30..=0x39u8).chain([0x2F, 0x3A, 0x81]) {
                        let inside = (0x81..=0xFE).contains(&c) && d.is_ascii_digit();
                        // Out-of-range bytes only with one representative of the rest.
                        if !(inside || b == 0x30 || d == 0x30) {
                            continue;
                        }
                        seq.clear();
                        seq.extend_from_slice(&[a, b, c, d]);
                        assert_eq!(valid(&seq), decodes(&seq), "{seq:02X?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_known_text_is_found_by_its_bytes_and_only_then() {
        let known = Known::of(["增值税", "国家税务总局成都市新都区税务局", " 空格 ", "vat"]);
        let find = |t: &str| {
            let (b, _, _) = encoding_rs::GB18030.encode(t);
            known.find(&b).map(|i| known.text(i))
        };
        assert_eq!(find("增值税"), Some("增值税"));
        assert_eq!(
            find("国家税务总局成都市新都区税务局"),
            Some("国家税务总局成都市新都区税务局")
        );
        // ASCII cells are read as they are; texts with blanks around are never equal.
        assert_eq!(find("vat"), None);
        assert_eq!(find(" 空格 "), None);
        assert_eq!(find("增值"), None);
        assert_eq!(known.texts.len(), 2);
    }

    #[test]
    fn runs_of_chinese_are_judged_as_the_decoder_judges_them() {
        // Eight-byte runs from every start, with 0x80 (€), 0xFF and a four-byte
        // character at every place.
        let (name, _, _) = encoding_rs::GB18030.encode("成都某某制造有限公司国家税务总局");
        for odd in [
            &[0x80u8][..],
            &[0xFF],
            &[0x81, 0x30, 0x81, 0x30],
            &[0x84, 0x31, 0xA4, 0x39],
        ] {
            for at in 0..=name.len() {
                for from in 0..4 {
                    let mut b = name[from..].to_vec();
                    let at = at.min(b.len());
                    b.splice(at..at, odd.iter().copied());
                    assert_eq!(valid(&b), decodes(&b), "{b:02X?}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_bytes_are_judged_as_the_decoder_judges_them(
            b in proptest::collection::vec(
                prop_oneof![0u8..=0x7F, 0x80u8..=0xFF, 0x30u8..=0x39, 0x81u8..=0xFE], 0..40)
        ) {
            prop_assert_eq!(valid(&b), decodes(&b));
        }
    }
}
