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

/// A command line clap refuses (exit 2), or help and version (exit 0): in Chinese for a
/// Chinese user where the catalogue has the kind, clap's own text otherwise.
fn usage_error(e: &clap::Error) -> ExitCode {
    if fencheng::i18n::lang() == fencheng::i18n::Lang::Zh
        && let Some(text) = fencheng::i18n::clap::report(e)
    {
        eprint!("{text}");
        return ExitCode::from(2);
    }
    let _ = e.print();
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// The language before the arguments are parsed (for `--help` and usage errors):
/// `--lang` as written, else the environment.
fn early_lang() -> fencheng::i18n::Lang {
    // As OS strings: a file name that is not UTF-8 (a GBK name from a Windows
    // archive) must not stop the program before it starts.
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let lang = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--lang=")
            .map(str::to_string)
            .or_else(|| (a == "--lang").then(|| args.get(i + 1).cloned().unwrap_or_default()))
    });
    fencheng::i18n::detect(lang.as_deref())
}

fn main() -> ExitCode {
    fencheng::i18n::set(early_lang());
    // `fencheng help E0214`: a message code's long explanation (clap's own `help`
    // takes subcommand names).
    let mut args: Vec<String> = Vec::new();
    let mut skip = false;
    for a in std::env::args_os().skip(1) {
        let a = a.to_string_lossy().into_owned();
        if std::mem::take(&mut skip) || a.starts_with("--lang=") {
            continue;
        }
        if a == "--lang" {
            skip = true;
            continue;
        }
        args.push(a);
    }
    if let [first, code, ..] = args.as_slice()
        && first == "help"
        && (fencheng::i18n::is_code(code) || code.starts_with(['E', 'W']))
        && fencheng::cli::Cli::command()
            .find_subcommand(code)
            .is_none()
    {
        return match fencheng::i18n::help_for_code(code) {
            Ok(text) => print(text.as_bytes()),
            Err(m) => {
                eprintln!("{}: {m}", fencheng::i18n::t("error"));
                ExitCode::from(2)
            }
        };
    }
    let mut cmd = fencheng::cli::with_pages(fencheng::cli::Cli::command());
    if fencheng::i18n::lang() == fencheng::i18n::Lang::Zh {
        cmd = fencheng::i18n::help::localize(cmd);
    }
    let matches = match cmd.try_get_matches() {
        Ok(m) => m,
        Err(e) => return usage_error(&e),
    };
    let cli = match fencheng::cli::Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return usage_error(&e),
    };
    // `--config` may be left out only where the books hold a copy (SPEC §15); where
    // it is needed, clap says it is missing as for any required argument.
    if fencheng::needs_config(&cli)
        && let Some(name) = matches.subcommand_name()
    {
        // A fresh command (the one above is built and localized: not to be changed).
        let strict = fencheng::cli::Cli::command().mut_subcommand(name, |c| {
            c.mut_arg("config", |a| a.required(true).default_value(None))
        });
        if let Err(e) = strict.try_get_matches_from(std::env::args_os()) {
            return usage_error(&e);
        }
    }
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
