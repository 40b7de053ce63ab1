//! The command line's own mistakes in Chinese. clap writes its usage errors in English;
//! for a Chinese user the common kinds (an unknown option or subcommand, a missing or
//! invalid value) are rendered from the catalogue instead, with clap's suggestion and
//! the usage line kept. Help and version output, and kinds not listed, stay clap's.

use super::Msg;
use crate::msg;
use clap::error::{ContextKind, ContextValue, ErrorKind};

fn one(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The message of a usage error in Chinese, if its kind is one the catalogue has.
pub fn message(e: &clap::Error) -> Option<Msg> {
    let arg = one(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = one(e, ContextKind::InvalidValue).unwrap_or_default();
    let hint = one(e, ContextKind::SuggestedArg)
        .or_else(|| one(e, ContextKind::SuggestedSubcommand))
        .map(|s| msg!("E0002", name = s).text)
        .unwrap_or_default();
    Some(match e.kind() {
        ErrorKind::UnknownArgument => msg!("E0690", arg = arg, hint = hint),
        ErrorKind::InvalidSubcommand => msg!(
            "E0691",
            command = one(e, ContextKind::InvalidSubcommand).unwrap_or_default(),
            hint = hint
        ),
        ErrorKind::MissingRequiredArgument => msg!("E0692", args = arg),
        ErrorKind::InvalidValue => msg!(
            "E0693",
            value = value,
            arg = arg,
            valid = one(e, ContextKind::ValidValue).unwrap_or_default()
        ),
        ErrorKind::ValueValidation => msg!("E0694", value = value, arg = arg),
        ErrorKind::ArgumentConflict => msg!(
            "E0695",
            arg = arg,
            other = one(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::MissingSubcommand => msg!("E0696"),
        _ => return None,
    })
}

/// The whole report for stderr: heading, message, the usage line, where to look.
pub fn report(e: &clap::Error) -> Option<String> {
    let m = message(e)?;
    let usage = one(e, ContextKind::Usage)
        .map(|u| {
            let u = u.trim();
            let u = u.strip_prefix("Usage:").unwrap_or(u).trim();
            format!("\n\n{}{u}", super::t("usage"))
        })
        .unwrap_or_default();
    Some(format!(
        "{}: {m}{usage}\n\n{}\n",
        super::t("error"),
        msg!("E0697")
    ))
}
