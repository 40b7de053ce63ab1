//! Thin entry point: parse arguments, run the command, map errors to exit codes.
//!
//! What a command prints goes to stdout in one write: a broken pipe (`| head`) is not
//! an error, any other write failure (a full disk, `> /dev/full`) is reported and ends
//! with exit 1.

use clap::{CommandFactory, FromArgMatches};
use std::io::Write;
use std::process::ExitCode;

fn print(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "{}: {}",
                fencheng::i18n::t("error"),
                fencheng::msg!("E0519", reason = fencheng::i18n::io_reason(&e))
            );
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cmd = fencheng::commands::man::with_pages(fencheng::cli::Cli::command());
    let cli = match fencheng::cli::Cli::from_arg_matches(&cmd.get_matches()) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    fencheng::i18n::set(fencheng::i18n::detect(cli.lang.as_deref()));
    match fencheng::execute(&cli) {
        Ok(text) => print(text.as_bytes()),
        Err(fencheng::error::Error::Json(text, code)) => {
            let printed = print(text.as_bytes());
            if printed != ExitCode::SUCCESS {
                return printed;
            }
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
        Err(e) => {
            eprintln!("{}: {}", fencheng::i18n::t("error"), e.report());
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}
