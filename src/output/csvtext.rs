//! CSV text cells: RFC 4180 quoting and spreadsheet safety.

/// A text cell as written to CSV: a leading `'` when a spreadsheet would execute it
/// (starts with `= + - @` and is not a number, SPEC §7), quoted when it holds a comma,
/// quote or line break.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let risky = text.starts_with(['=', '+', '-', '@']) && !is_number(text);
    let quote = text.contains([',', '"', '\n', '\r']);
    if !risky && !quote {
        return Cow::Borrowed(text);
    }
    let safe = if risky {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if quote {
        Cow::Owned(format!("\"{}\"", safe.replace('"', "\"\"")))
    } else {
        Cow::Owned(safe)
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
}
