//! Records text read as a stream, whatever its encoding, in memory bounded by one
//! record — never by the file.
//!
//! The bytes are decoded in blocks (encoding_rs's streaming decoders: UTF-8 with or
//! without BOM, GB18030 as Excel on Chinese Windows saves it, UTF-16 with a BOM) and
//! hashed in the same pass; lines are assembled into records (a quoted field may hold
//! line ends) and each record is split by `csv-core`, the I/O-free parser under the
//! `csv` crate. Physical line numbers are counted as the text goes by: `\n`, `\r\n`
//! and a lone `\r` each end a line.

use crate::cli::Encoding;
use sha2::{Digest, Sha256};
use std::io::Read;

/// Why text could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file could not be read (the system's words).
    Io(String),
    /// A byte sequence that is not of the encoding, at this offset from the file's start.
    Malformed { encoding: &'static str, offset: u64 },
}

impl DecodeError {
    pub fn msg(&self) -> crate::diag::Msg {
        match self {
            DecodeError::Io(e) => crate::msg!("E0222", reason = e),
            DecodeError::Malformed { encoding, offset } => {
                crate::msg!("E0203", encoding = encoding, offset = offset)
            }
        }
    }
}

/// Decoded text, a block at a time, with the SHA-256 of the bytes read.
pub struct Decoded<R: Read> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    pub hasher: Sha256,
    /// Bytes read so far (for the offset of a bad byte sequence).
    pub offset: u64,
    eof: bool,
}

impl<R: Read> Decoded<R> {
    pub fn new(inner: R, encoding: &'static encoding_rs::Encoding) -> Decoded<R> {
        Decoded {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            raw: vec![0; 1 << 16],
            hasher: Sha256::new(),
            offset: 0,
            eof: false,
        }
    }

    /// Append the next block of text to `out`; false at the end. A byte sequence that is
    /// not of the encoding is an error naming its offset.
    pub fn next_block(&mut self, out: &mut String) -> Result<bool, DecodeError> {
        if self.eof {
            return Ok(false);
        }
        let n = loop {
            match self.inner.read(&mut self.raw) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(DecodeError::Io(crate::i18n::io_reason(&e))),
            }
        };
        self.hasher.update(&self.raw[..n]);
        let last = n == 0;
        let mut input = &self.raw[..n];
        out.reserve(n * 3 + 16);
        loop {
            let mut buf = vec![0u8; input.len() * 3 + 16];
            let (result, read, written) = self
                .decoder
                .decode_to_utf8_without_replacement(input, &mut buf, last);
            // The decoder writes valid UTF-8 only.
            out.push_str(std::str::from_utf8(&buf[..written]).unwrap_or(""));
            input = &input[read..];
            match result {
                encoding_rs::DecoderResult::InputEmpty => break,
                encoding_rs::DecoderResult::OutputFull => continue,
                encoding_rs::DecoderResult::Malformed(bad, extra) => {
                    let consumed = (n - input.len()) as u64;
                    let at =
                        (self.offset + consumed).saturating_sub(u64::from(bad) + u64::from(extra));
                    return Err(DecodeError::Malformed {
                        encoding: self.decoder.encoding().name(),
                        offset: at,
                    });
                }
            }
        }
        self.offset += n as u64;
        if last {
            self.eof = true;
        }
        Ok(!last || !out.is_empty())
    }
}

/// Which encoding a file is in, from its first bytes and, for UTF-8 without a BOM
/// under `Auto`, from a first pass over the whole file (`valid_utf8`).
pub fn encoding_of(
    head: &[u8],
    forced: Encoding,
    valid_utf8: impl FnOnce() -> bool,
) -> &'static encoding_rs::Encoding {
    if head.starts_with(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE;
    }
    if head.starts_with(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE;
    }
    match forced {
        Encoding::Utf8 => encoding_rs::UTF_8,
        Encoding::Gb18030 => encoding_rs::GB18030,
        Encoding::Auto if head.starts_with(b"\xEF\xBB\xBF") || valid_utf8() => encoding_rs::UTF_8,
        Encoding::Auto => encoding_rs::GB18030,
    }
}

/// Whether a stream is valid UTF-8 from end to end (in blocks, without holding it).
pub fn is_utf8(mut r: impl Read) -> std::io::Result<bool> {
    let mut buf = vec![0u8; 1 << 20];
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            return Ok(carry.is_empty());
        }
        carry.extend_from_slice(&buf[..n]);
        match std::str::from_utf8(&carry) {
            Ok(_) => carry.clear(),
            Err(e) if e.error_len().is_none() => {
                // A sequence cut by the block's end: keep its start for the next block.
                let keep = carry.split_off(e.valid_up_to());
                carry = keep;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// Records out of decoded text: physical lines gathered until their quotes balance,
/// each record split into trimmed fields.
pub struct Records {
    reader: csv_core::Reader,
    pending: String,
    /// Where `pending` starts in `text` consumed so far, and the line it starts on.
    line: u64,
    next_line: u64,
    /// The end of the last block ended with `\r` (a `\n` may follow in the next).
    cr: bool,
    out: Vec<u8>,
    ends: Vec<usize>,
    /// Physical lines before this one are not records and are not parsed (the title
    /// lines above an export's header, SPEC §16).
    pub skip_before: u64,
}

/// A record: its physical line and its fields.
pub struct Record {
    pub line: u64,
    pub fields: Vec<String>,
}

/// Why a text cannot be read as records.
#[derive(Debug, PartialEq, Eq)]
pub enum TextError {
    /// A NUL byte on this line: not a text file.
    Nul(u64),
    /// A quote opened on this line is never closed.
    Unclosed(u64),
}

/// A record may span lines inside quotes, but not without end: past this size an
/// opened quote is reported as never closed.
const MAX_RECORD: usize = 1 << 20;

impl Records {
    pub fn new(delimiter: u8) -> Records {
        Records {
            reader: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            pending: String::new(),
            line: 1,
            next_line: 1,
            cr: false,
            out: Vec::new(),
            ends: Vec::new(),
            skip_before: 1,
        }
    }

    /// Start again from line 1 with nothing pending, keeping the parser and its
    /// buffers (a reader reused for many short texts: no allocation per text).
    pub fn restart(&mut self) {
        self.pending.clear();
        self.line = 1;
        self.next_line = 1;
        self.cr = false;
    }

    /// Feed a block of text; each complete record goes to `each`. The block's last
    /// partial line is kept for the next call (`done` at the end flushes it).
    pub fn feed(
        &mut self,
        block: &str,
        done: bool,
        each: &mut dyn FnMut(Record) -> bool,
    ) -> Result<bool, TextError> {
        let mut rest = block;
        if self.cr {
            // A "\r" ended the previous block: a "\n" here belongs to it.
            if let Some(r) = rest.strip_prefix('\n') {
                rest = r;
            }
            self.cr = false;
        }
        loop {
            // The next line end: "\n", "\r\n" or a lone "\r".
            let Some(i) = rest.find(['\n', '\r']) else {
                self.pending.push_str(rest);
                break;
            };
            let (line, tail) = rest.split_at(i);
            let tail = if let Some(t) = tail.strip_prefix("\r\n") {
                t
            } else if tail == "\r" && !done {
                // A "\n" in the next block would belong to this "\r".
                self.cr = true;
                ""
            } else {
                &tail[1..]
            };
            if self.pending.is_empty() && self.next_line < self.skip_before {
                // A title line: whatever quotes it holds, it ends at its line end.
                self.next_line += 1;
                self.line = self.next_line;
                rest = tail;
                continue;
            }
            self.pending.push_str(line);
            self.next_line += 1;
            if !self.complete()? {
                // Inside quotes: the line end is part of the field.
                self.pending.push('\n');
                rest = tail;
                continue;
            }
            if !self.emit(each)? {
                return Ok(false);
            }
            rest = tail;
        }
        if done && !self.pending.is_empty() {
            if !self.complete()? {
                return Err(TextError::Unclosed(self.line));
            }
            return self.emit(each);
        }
        Ok(true)
    }

    /// Whether `pending` holds a whole record (its quotes balance).
    fn complete(&self) -> Result<bool, TextError> {
        if self.pending.contains('\0') {
            return Err(TextError::Nul(self.next_line - 1));
        }
        let open = self.pending.bytes().filter(|b| *b == b'"').count() % 2 == 1;
        if open && self.pending.len() > MAX_RECORD {
            return Err(TextError::Unclosed(self.line));
        }
        Ok(!open)
    }

    fn emit(&mut self, each: &mut dyn FnMut(Record) -> bool) -> Result<bool, TextError> {
        let line = self.line;
        self.line = self.next_line;
        let text = std::mem::take(&mut self.pending);
        if text.trim().is_empty() {
            return Ok(true);
        }
        let fields = self.split(&text);
        Ok(each(Record { line, fields }))
    }

    /// One record's fields, trimmed (RFC 4180 quoting).
    fn split(&mut self, text: &str) -> Vec<String> {
        let mut input = text.as_bytes();
        self.out.resize(text.len() + 16, 0);
        self.ends.resize(
            text.matches(|c| c as u32 == u32::from(b',') || c == ';' || c == '\t')
                .count()
                + 2,
            0,
        );
        let (mut out_at, mut ends_at) = (0, 0);
        self.reader.reset();
        loop {
            let (res, nin, nout, nend) =
                self.reader
                    .read_record(input, &mut self.out[out_at..], &mut self.ends[ends_at..]);
            input = &input[nin..];
            out_at += nout;
            ends_at += nend;
            match res {
                csv_core::ReadRecordResult::InputEmpty => {
                    // The end of the record: tell the parser so.
                    let (res, _, nout, nend) = self.reader.read_record(
                        &[],
                        &mut self.out[out_at..],
                        &mut self.ends[ends_at..],
                    );
                    out_at += nout;
                    ends_at += nend;
                    if matches!(
                        res,
                        csv_core::ReadRecordResult::OutputFull
                            | csv_core::ReadRecordResult::OutputEndsFull
                    ) {
                        self.grow(out_at, ends_at);
                        continue;
                    }
                    break;
                }
                csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => self.grow(out_at, ends_at),
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        let mut fields = Vec::with_capacity(ends_at);
        let mut start = 0;
        for &end in &self.ends[..ends_at] {
            let f = String::from_utf8_lossy(&self.out[start..end]);
            fields.push(f.trim().to_string());
            start = end;
        }
        fields
    }

    fn grow(&mut self, out_at: usize, ends_at: usize) {
        if out_at >= self.out.len().saturating_sub(4) {
            self.out.resize(self.out.len() * 2 + 64, 0);
        }
        if ends_at >= self.ends.len().saturating_sub(1) {
            self.ends.resize(self.ends.len() * 2 + 8, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, block: usize) -> Vec<(u64, Vec<String>)> {
        let mut r = Records::new(b',');
        let mut out = Vec::new();
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let end = (i + block).min(chars.len());
            let s: String = chars[i..end].iter().collect();
            r.feed(&s, false, &mut |rec| {
                out.push((rec.line, rec.fields));
                true
            })
            .unwrap();
            i = end;
        }
        r.feed("", true, &mut |rec| {
            out.push((rec.line, rec.fields));
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn lines_quotes_and_line_ends_in_any_block_size() {
        let text = "a,b\r\n\r\n\"x, y\", z \n\"multi\nline\",2\r3,\"q\"\"q\"\n";
        for block in [1, 2, 3, 5, 8, 100] {
            let got = all(text, block);
            assert_eq!(
                got,
                vec![
                    (1, vec!["a".to_string(), "b".into()]),
                    (3, vec!["x, y".into(), "z".into()]),
                    (4, vec!["multi\nline".into(), "2".into()]),
                    (6, vec!["3".into(), "q\"q".into()]),
                ],
                "block {block}"
            );
        }
    }

    #[test]
    fn an_unclosed_quote_and_a_nul_are_found() {
        let mut r = Records::new(b',');
        assert_eq!(
            r.feed("a,b\n\"open,1\n2,3\n", true, &mut |_| true),
            Err(TextError::Unclosed(2))
        );
        let mut r = Records::new(b',');
        assert_eq!(
            r.feed("a,b\nx\0,1\n", true, &mut |_| true),
            Err(TextError::Nul(2))
        );
    }
}
