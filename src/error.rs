//! The top-level error: every layer's error, and the exit code it maps to.

use crate::config::ConfigError;
use crate::diag::Diag;
use crate::engine::EngineError;
use crate::i18n::Msg;
use crate::input::RecordsError;
use crate::output::atomic::OutputError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid configuration:\n{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    RecordsIo(#[from] RecordsError),
    #[error("invalid records:\n{}", crate::diag::render(.0, *.1))]
    Records(Vec<Diag>, usize),
    #[error("{0}")]
    Engine(#[from] EngineError),
    #[error("{0}")]
    Output(#[from] OutputError),
    /// The books directory itself: a closing that does not verify, a lock that is a
    /// link, a reopen of a closing that is not the latest (exit 1).
    #[error("invalid books:\n{}", crate::diag::render(.0, 0))]
    Books(Vec<Diag>),
    #[error("control totals do not match:\n{}", crate::diag::render(.0, 0))]
    Expect(Vec<Diag>),
    /// A close would move booked figures without `--amend` (SPEC §15): exit 1.
    #[error("figures already booked would change:\n{}", crate::diag::render(.0, 0))]
    Amend(Vec<Diag>),
    /// The command line asks something that cannot be done (exit 2).
    #[error("{0}")]
    Usage(Msg),
    #[error("verify found a difference:\n{0}")]
    Differs(String),
    /// Problems already rendered as a JSON document for stdout, with the exit code.
    #[error("{0}")]
    Json(String, i32),
}

impl Error {
    /// SPEC §6: 1 invalid config or data or a broken invariant; 2 usage.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Differs(_) => 3,
            Error::Json(_, code) => *code,
            _ => 1,
        }
    }
}

impl Error {
    /// The stable code of a problem that is one message (`--format json` carries it);
    /// a list of located problems (configuration, records, control totals) has a code
    /// per problem instead, and a verification's differences are not problems.
    pub fn code(&self) -> Option<&'static str> {
        let code = match self {
            Error::Usage(m) => m.code,
            Error::RecordsIo(_) => "E0222",
            Error::Output(_) => "E0502",
            Error::Engine(EngineError::Invariant(_)) => "E0329",
            Error::Engine(EngineError::Cells(d)) if d.len() == 1 => d[0].code,
            Error::Config(c) if c.0.len() == 1 => c.0[0].code,
            Error::Records(d, 0) | Error::Expect(d) | Error::Books(d) if d.len() == 1 => d[0].code,
            _ => "",
        };
        (!code.is_empty()).then_some(code)
    }

    /// The problem as one message: its code (if it has one) and its report.
    pub fn to_msg(&self) -> Msg {
        Msg {
            code: self.code().unwrap_or(""),
            text: self.report(),
        }
    }

    /// The report a person reads: the heading in the chosen language (SPEC §10), the
    /// located problems as they are (`file:line:` prefixes never change).
    pub fn report(&self) -> String {
        use crate::i18n::t;
        match self {
            Error::Config(c) => {
                format!("{}\n{}", t("heading.config"), crate::diag::render(&c.0, 0))
            }
            Error::Records(d, omitted) => format!(
                "{}\n{}",
                t("heading.records"),
                crate::diag::render(d, *omitted)
            ),
            Error::Expect(d) => format!("{}\n{}", t("heading.expect"), crate::diag::render(d, 0)),
            Error::Books(d) => format!("{}\n{}", t("heading.books"), crate::diag::render(d, 0)),
            Error::Amend(d) => format!("{}\n{}", t("heading.amend"), crate::diag::render(d, 0)),
            Error::Differs(m) => format!("{}\n{m}", t("heading.differs")),
            Error::RecordsIo(crate::input::RecordsError::Io { path, source }) => format!(
                "{path}: {}",
                crate::msg!("E0222", reason = crate::i18n::io_reason(source))
            ),
            Error::Output(e) => format!(
                "{}: {}",
                e.path,
                crate::msg!("E0502", reason = crate::i18n::io_reason(&e.source))
            ),
            Error::Engine(EngineError::Invariant(s)) => crate::msg!("E0329", detail = s).text,
            other => other.to_string(),
        }
    }
}
