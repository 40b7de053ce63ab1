//! A records file as blocks of whole records: read 1 MiB at a time, hashed (SHA-256,
//! for the manifest) in the same pass, cut after the last line end outside quotes (a
//! quoted field may hold line ends), the carry kept for the next block; a UTF-8 byte
//! order mark dropped, a UTF-16 file decoded to UTF-8 as it is read, GB18030 left to
//! the workers (its `\n`, `"` and `,` never occur inside a character). A block with a
//! NUL, a bare CR or bytes of no encoding is a `Fallback`: the general reader takes
//! the file and says where.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Why the fast path gave up on a file.
#[derive(Debug)]
pub enum Fallback {
    NotPlain(&'static str),
    Io(std::io::Error),
}

/// A progress bar on stderr, only when stderr is a terminal and only once the file has
/// taken more than a second: scripts and quick runs see nothing.
pub(super) struct Progress {
    started: std::time::Instant,
    total: u64,
    label: String,
    bar: Option<indicatif::ProgressBar>,
    enabled: bool,
}

impl Progress {
    pub(super) fn new(path: &Path) -> Progress {
        use std::io::IsTerminal;
        let total = std::fs::metadata(path).map_or(0, |m| m.len());
        Progress {
            started: std::time::Instant::now(),
            total,
            label: crate::pathtext::show(path),
            bar: None,
            enabled: std::io::stderr().is_terminal(),
        }
    }

    pub(super) fn update(&mut self, done: u64) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() > std::time::Duration::from_secs(1) {
            let bar = indicatif::ProgressBar::new(self.total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} {bar:40} {bytes}/{total_bytes} ({eta})",
            ) {
                bar.set_style(style);
            }
            bar.set_message(self.label.clone());
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_position(done);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// A block of complete records and the physical line number of its first line.
pub(super) struct Block {
    pub(super) text: BlockText,
    pub(super) line: u64,
    /// The block holds a `\r`: the workers check that each ends a CRLF line
    /// (`fastrow::each_line`), as they cut the lines.
    pub(super) cr: bool,
}

/// A block's bytes: UTF-8 validated when read, or GB18030 as read, which the worker
/// decodes (in parallel: a block starts at a line, and in GB18030 the bytes `\n`, `"`
/// and `,` never occur inside a character, so blocks are cut exactly as UTF-8 ones).
pub(super) enum BlockText {
    Utf8(String),
    Gb18030(Vec<u8>),
}

impl BlockText {
    pub(super) fn len(&self) -> usize {
        match self {
            BlockText::Utf8(t) => t.len(),
            BlockText::Gb18030(b) => b.len(),
        }
    }
}

pub(super) struct Blocks {
    block: usize,
    file: std::fs::File,
    carry: Vec<u8>,
    hasher: Sha256,
    next_line: u64,
    first: bool,
    eof: bool,
    pub size: u64,
    /// The file's encoding as decided so far: GB18030 when forced, or under `Auto`
    /// once a block is not UTF-8 while every block before it was ASCII (which both
    /// encodings read alike) — as the general reader decides for the whole file.
    gb18030: bool,
    auto: bool,
    ascii_so_far: bool,
    /// Buffers of blocks that were used up, to be filled again: a fresh megabyte per
    /// block would cost page faults and zeroing on every block.
    spare: Vec<Vec<u8>>,
    /// A file with a UTF-16 byte order mark (Excel's "Unicode text"): its bytes are
    /// hashed as read and decoded to UTF-8 here, on the reading thread, before they are
    /// cut into blocks like any UTF-8 file.
    utf16: Option<encoding_rs::Decoder>,
    raw: Vec<u8>,
}

/// Where to cut `buf` so that the part before holds whole records: after its last
/// line end outside quotes (a quoted field may hold line ends). Blocks start outside
/// quotes, so a quote count from the start is enough.
fn last_record_end(buf: &[u8]) -> Option<usize> {
    let last = memchr::memrchr(b'\n', buf)?;
    if memchr::memchr(b'"', buf).is_none() {
        return Some(last);
    }
    // A line end is inside quotes when an odd number of quotes comes before it. An
    // export quotes nearly every amount, so a block holds tens of thousands of quotes:
    // counted by the vector searcher on this (the reading) thread, not visited one by
    // one. Only a block whose last line end is inside quotes is walked.
    if memchr::memchr_iter(b'"', &buf[..last])
        .count()
        .is_multiple_of(2)
    {
        return Some(last);
    }
    let mut inside = false;
    let mut last = None;
    for i in memchr::memchr2_iter(b'"', b'\n', buf) {
        if buf[i] == b'"' {
            inside = !inside;
        } else if !inside {
            last = Some(i);
        }
    }
    last
}

impl Blocks {
    pub(super) fn open(
        path: &Path,
        block: usize,
        encoding: super::Encoding,
    ) -> std::io::Result<Blocks> {
        Ok(Blocks {
            block: block.max(16),
            file: std::fs::File::open(path)?,
            carry: Vec::new(),
            hasher: Sha256::new(),
            next_line: 1,
            first: true,
            eof: false,
            size: 0,
            gb18030: encoding == super::Encoding::Gb18030,
            auto: encoding == super::Encoding::Auto,
            ascii_so_far: true,
            spare: Vec::new(),
            utf16: None,
            raw: Vec::new(),
        })
    }

    /// Append the UTF-8 of the UTF-16 bytes `raw` to `buf` (the decoder keeps a code
    /// unit cut by a read for the next one); bytes that are not UTF-16 send the file to
    /// the general reader, which says where.
    fn decode16(&mut self, raw: &[u8], buf: &mut Vec<u8>) -> Result<(), Fallback> {
        let Some(d) = self.utf16.as_mut() else {
            return Ok(());
        };
        let at = buf.len();
        let max = d
            .max_utf8_buffer_length_without_replacement(raw.len())
            .ok_or(Fallback::NotPlain("too long"))?;
        buf.resize(at + max, 0);
        let (res, _, written) = d.decode_to_utf8_without_replacement(raw, &mut buf[at..], self.eof);
        buf.truncate(at + written);
        match res {
            encoding_rs::DecoderResult::InputEmpty => Ok(()),
            _ => Err(Fallback::NotPlain("not UTF-16")),
        }
    }

    /// Give back the bytes of a block that has been used.
    pub(super) fn recycle(&mut self, block: Block) {
        if self.spare.len() < 8 {
            self.spare.push(match block.text {
                BlockText::Utf8(t) => t.into_bytes(),
                BlockText::Gb18030(b) => b,
            });
        }
    }

    /// The next block of whole lines, checked for what the fast path cannot take.
    pub(super) fn next(&mut self) -> Result<Option<Block>, Fallback> {
        if self.eof && self.carry.is_empty() {
            return Ok(None);
        }
        let mut buf = self.spare.pop().unwrap_or_default();
        buf.clear();
        buf.append(&mut self.carry);
        let start = buf.len();
        if !self.eof && self.utf16.is_some() {
            let mut raw = std::mem::take(&mut self.raw);
            raw.clear();
            let n = (&mut self.file)
                .take(self.block as u64)
                .read_to_end(&mut raw)
                .map_err(Fallback::Io)?;
            if n < self.block {
                self.eof = true;
            }
            self.hasher.update(&raw);
            self.size += n as u64;
            self.decode16(&raw, &mut buf)?;
            self.raw = raw;
        } else if !self.eof {
            // `take` + `read_to_end` fills spare capacity without zeroing it first.
            buf.reserve(self.block);
            let n = (&mut self.file)
                .take(self.block as u64)
                .read_to_end(&mut buf)
                .map_err(Fallback::Io)?;
            if n < self.block {
                self.eof = true;
            }
            self.hasher.update(&buf[start..]);
            self.size += n as u64;
        }
        if self.first {
            self.first = false;
            let utf16 = if buf.starts_with(b"\xFF\xFE") {
                Some(encoding_rs::UTF_16LE)
            } else if buf.starts_with(b"\xFE\xFF") {
                Some(encoding_rs::UTF_16BE)
            } else {
                None
            };
            if buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
                // A UTF-8 byte order mark says what the file is.
                self.auto = false;
            } else if let Some(enc) = utf16 {
                // A UTF-16 byte order mark says it too, whatever --encoding says (as
                // for the general reader): what was read so far is decoded.
                self.utf16 = Some(enc.new_decoder_without_bom_handling());
                self.auto = false;
                self.gb18030 = false;
                let raw = buf.split_off(2);
                buf.clear();
                self.decode16(&raw, &mut buf)?;
            }
        }
        // Cut after the last record's end; the rest waits for the next block.
        if !self.eof {
            match last_record_end(&buf) {
                Some(i) => self.carry = buf.split_off(i + 1),
                None if buf.is_empty() => {}
                None => {
                    // A record longer than a block: keep reading into it.
                    self.carry = buf;
                    return self.next();
                }
            }
        }
        let mut cr = false;
        if let Some(i) = memchr::memchr2(0, b'\r', &buf) {
            // NUL bytes are not text: the general reader says where.
            if memchr::memchr(0, &buf[i..]).is_some() {
                return Err(Fallback::NotPlain("NUL bytes"));
            }
            // CRLF is fine; a bare CR (old Mac line ends) is not, which the workers
            // see as they cut the lines (a CRLF export puts a `\r` on every line:
            // looking at each here would hold up the reading thread).
            cr = true;
        }
        let line = self.next_line;
        self.next_line += memchr::memchr_iter(b'\n', &buf).count() as u64;
        if self.gb18030 {
            return Ok(Some(Block {
                text: BlockText::Gb18030(buf),
                line,
                cr,
            }));
        }
        match String::from_utf8(buf) {
            Ok(text) => {
                if self.ascii_so_far && !text.is_ascii() {
                    self.ascii_so_far = false;
                }
                Ok(Some(Block {
                    text: BlockText::Utf8(text),
                    line,
                    cr,
                }))
            }
            Err(e) if self.auto && self.ascii_so_far => {
                // Not UTF-8, and nothing before was anything but ASCII: GB18030.
                self.gb18030 = true;
                Ok(Some(Block {
                    text: BlockText::Gb18030(e.into_bytes()),
                    line,
                    cr,
                }))
            }
            Err(_) => Err(Fallback::NotPlain("not UTF-8")),
        }
    }

    pub(super) fn sha256(self) -> String {
        self.hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}
