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
    // 64 bytes at a time from a character's start (`i`): a chunk of ASCII and runs of
    // bytes 0x81–0xFE, each run of even length and ended by ASCII, is valid — each run
    // is two-byte characters whose second byte is high too, as GB2312's hanzi are all.
    // Anything else (GBK's second bytes 0x40–0x7E, four-byte characters, €, 0xFF, a
    // run of odd length) is judged a character at a time.
    while let Some(c) = b.get(i..i + 64) {
        let mut chunk = [0u8; 64];
        chunk.copy_from_slice(c);
        let (high, odd_bytes) = super::masks::high_bits(&chunk);
        if high == 0 {
            i += 64;
            continue;
        }
        if odd_bytes == 0 {
            let starts = high & !(high << 1);
            // A run's length is odd when it starts at an even bit and the first bit
            // after it is odd, or the other way round: adding each start to the runs
            // carries to that first bit after (simdjson's way with backslashes). A run
            // that reaches bit 63 carries out of the word: judged below.
            const EVEN: u64 = 0x5555_5555_5555_5555;
            let after_even = (starts & EVEN).wrapping_add(high) & !high;
            let after_odd = (starts & !EVEN).wrapping_add(high) & !high;
            let odd_runs = (after_even & !EVEN) | (after_odd & EVEN);
            if odd_runs == 0 {
                if high >> 63 == 0 {
                    i += 64;
                } else {
                    // The last run goes on past the chunk: its characters from its
                    // start, two bytes each, as far as the chunk holds them.
                    let last = 63 - starts.leading_zeros() as usize;
                    i += last + ((64 - last) & !1);
                }
                continue;
            }
        }
        let Some(next) = character(b, i, i + 64) else {
            return false;
        };
        i = next;
    }
    character(b, i, n).is_some_and(|end| end >= n)
}

/// Judge the characters of `b` that start at `i` and before `until`, as the decoder
/// does; where the next one starts, or `None` at a byte that starts none (or a
/// character cut by the end of `b`).
fn character(b: &[u8], mut i: usize, until: usize) -> Option<usize> {
    while i < until {
        let Some(&first) = b.get(i) else {
            break;
        };
        if first <= 0x80 {
            i += 1;
            continue;
        }
        if first == 0xFF {
            return None;
        }
        let &second = b.get(i + 1)?;
        // 0x40–0x7E or 0x80–0xFE: a two-byte character (every such pair maps).
        if second.wrapping_sub(0x40) < 0x3F || second.wrapping_sub(0x80) < 0x7F {
            i += 2;
            continue;
        }
        if !second.is_ascii_digit() {
            return None;
        }
        let (&third, &fourth) = (b.get(i + 2)?, b.get(i + 3)?);
        if !(0x81..=0xFE).contains(&third) || !fourth.is_ascii_digit() {
            return None;
        }
        let pointer = (usize::from(first - 0x81) * 12600)
            + (usize::from(second - 0x30) * 1260)
            + (usize::from(third - 0x81) * 10)
            + usize::from(fourth - 0x30);
        if pointer > 39419 && !(189_000..=1_237_575).contains(&pointer) {
            return None;
        }
        i += 4;
    }
    Some(i)
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
        // Runs from every start, with 0x80 (€), 0xFF and a four-byte character put
        // at every place, or in place of a byte; longer than a 64-byte chunk, so that
        // whole chunks are judged at once too.
        let text = "成都某某制造有限公司国家税务总局,".repeat(4);
        let (name, _, _) = encoding_rs::GB18030.encode(&text);
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
                    let mut b = name[from..].to_vec();
                    if let Some(x) = b.get_mut(at) {
                        *x = odd[0];
                        assert_eq!(valid(&b), decodes(&b), "{b:02X?}");
                    }
                }
            }
        }
    }

    proptest! {
        /// Long texts of every kind of character (ASCII, GB2312's hanzi, GBK's with a
        /// second byte below 0x80, four-byte ones, €), shifted against the 64-byte
        /// chunks, with one byte changed anywhere or not at all.
        #[test]
        fn long_texts_are_judged_as_the_decoder_judges_them(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", ",", "12", "成都", "国家税务总局", "丂", "亐", "€", "\u{20000}", "\u{E5E5}",
                    "\u{80}", "税务所（科、分局）",
                ]),
                0..120,
            ),
            shift in 0usize..64,
            change in proptest::option::of((0usize..400, any::<u8>())),
        ) {
            let text = format!("{}{}", "x".repeat(shift), parts.concat());
            let mut b = encoding_rs::GB18030.encode(&text).0.into_owned();
            prop_assert_eq!(valid(&b), decodes(&b));
            if let Some((at, byte)) = change
                && !b.is_empty()
            {
                let at = at % b.len();
                b[at] = byte;
                prop_assert_eq!(valid(&b), decodes(&b), "{:02X?}", b);
                b.truncate(at + 1);
                prop_assert_eq!(valid(&b), decodes(&b), "{:02X?}", b);
            }
        }

        #[test]
        fn any_bytes_are_judged_as_the_decoder_judges_them(
            b in proptest::collection::vec(
                prop_oneof![0u8..=0x7F, 0x80u8..=0xFF, 0x30u8..=0x39, 0x81u8..=0xFE], 0..40)
        ) {
            prop_assert_eq!(valid(&b), decodes(&b));
        }
    }
}
