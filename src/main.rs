//! Thin entry point: parse arguments, run the command, map errors to exit codes.

use clap::Parser;
use std::io::Write;

fn main() {
    let cli = fencheng::cli::Cli::parse();
    match fencheng::execute(&cli) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
        }
        Err(fencheng::error::Error::Json(text, code)) => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            std::process::exit(code);
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(e.exit_code());
        }
    }
}
