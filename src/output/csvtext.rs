//! CSV text cells: RFC 4180 quoting and spreadsheet safety.

/// A text as a spreadsheet may read it (SPEC §7): a leading `'` when it would be run
/// as a formula (starts with `= + - @` and is not a number); anything else as it is.
pub fn guard(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@']) && !is_number(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A text cell as written to CSV by hand (detail.csv's lines, millions of them):
/// `guard`ed, and quoted as `csv::Writer` quotes (a comma, quote or line break).
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let safe = guard(text);
    if !safe.contains([',', '"', '\n', '\r']) {
        return safe;
    }
    Cow::Owned(format!("\"{}\"", safe.replace('"', "\"\"")))
}

/// A CSV file (summary.csv, settlement.csv, the books' files …) written through
/// `csv::Writer`, which quotes a field holding a comma, a quote or a line break (RFC
/// 4180); every field is `guard`ed first — numbers, periods and dates pass unchanged.
pub struct Table(csv::Writer<Vec<u8>>);

impl Table {
    /// A file whose first line is `header` (names separated by commas).
    pub fn new(header: &str) -> Table {
        let mut t = Table(
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                // Every line is written as given, never dropped for its length.
                .flexible(true)
                .from_writer(Vec::new()),
        );
        t.line(header.split(','));
        t
    }

    /// One line of fields.
    pub fn line<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) {
        // Written to memory: there is no I/O to fail.
        let _ = self
            .0
            .write_record(fields.into_iter().map(|f| guard(f.as_ref()).into_owned()));
    }

    /// The file's text.
    pub fn finish(self) -> String {
        // Flushing into memory cannot fail; were it to, what reached the vector stays.
        let bytes = self
            .0
            .into_inner()
            .unwrap_or_else(|e| e.into_inner().get_ref().clone());
        // Every field was a `str`: the bytes are UTF-8.
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

fn is_number(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    !t.is_empty()
        && t.split_once('.')
            .map_or(t.bytes().all(|b| b.is_ascii_digit()), |(i, f)| {
                !i.is_empty()
                    && !f.is_empty()
                    && i.bytes().all(|b| b.is_ascii_digit())
                    && f.bytes().all(|b| b.is_ascii_digit())
            })
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn neutralises_formulas_but_not_numbers() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-12.30"), "-12.30");
        assert_eq!(cell("-x"), "'-x");
        assert_eq!(cell("cheng-a"), "cheng-a");
    }

    /// A table's fields are quoted and guarded as `cell` writes them by hand.
    #[test]
    fn a_table_writes_its_fields_as_cell_does() {
        let fields = [
            "=HYPERLINK(\"x\")",
            "@SUM(A1)",
            "-12.30",
            "-x",
            "a,b",
            "",
            "甲\n乙",
            "2025-01",
        ];
        let mut t = super::Table::new("h1,h2");
        t.line(["1", "2"]);
        t.line(fields);
        let by_hand: Vec<String> = fields.iter().map(|f| cell(f).into_owned()).collect();
        assert_eq!(t.finish(), format!("h1,h2\n1,2\n{}\n", by_hand.join(",")));
    }
}
