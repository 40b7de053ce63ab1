//! A located problem report, shared by every layer's error type.
//!
//! Finance officers fix files, so every problem says where (file, line, field) and what
//! was expected. `check` collects many of them and prints them sorted by file and line.

use std::fmt;

pub use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diag {
    pub file: String,
    /// 1-based physical line, 0 when the problem is about the whole file.
    pub line: usize,
    /// The field, column or config path concerned, if any.
    pub field: String,
    pub message: String,
    /// The message's stable code (SPEC §10: `--format json` carries it).
    pub code: &'static str,
}

impl Diag {
    pub fn new(file: &str, line: usize, field: &str, message: impl Into<Msg>) -> Diag {
        let m = message.into();
        Diag {
            file: file.to_string(),
            line,
            field: field.to_string(),
            message: m.text,
            code: m.code,
        }
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Render a list of problems one per line, with a count of those left out.
pub fn render(diags: &[Diag], omitted: usize) -> String {
    let mut out: Vec<String> = diags.iter().map(ToString::to_string).collect();
    if omitted > 0 {
        out.push(crate::msg!("E0001", count = omitted).text);
    }
    out.join("\n")
}

/// A bounded collection of problems: the first `limit` are kept, the rest counted.
#[derive(Debug, Clone)]
pub struct Problems {
    pub diags: Vec<Diag>,
    pub omitted: usize,
    pub limit: usize,
    /// What the reading did that is not a problem but is said once (rows a profile
    /// skipped and dropped), for stderr.
    pub notes: Vec<String>,
}

impl Problems {
    pub fn new(limit: usize) -> Problems {
        Problems {
            diags: Vec::new(),
            omitted: 0,
            limit,
            notes: Vec::new(),
        }
    }
    pub fn push(&mut self, d: Diag) {
        if self.diags.len() < self.limit {
            self.diags.push(d);
        } else {
            self.omitted += 1;
        }
    }
    pub fn is_empty(&self) -> bool {
        self.diags.is_empty() && self.omitted == 0
    }
}
