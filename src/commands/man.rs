//! `fencheng man [--dir DIR]`: the manual, one page per subcommand, each with its
//! options (from the same clap definitions as `--help`), an example and exit codes.

use crate::error::Error;
use std::path::Path;

/// (subcommand, example, exit codes) of every page.
const PAGES: [(&str, &str, &str); 10] = [
    (
        "run",
        "fencheng run --config config --records samples/records-2025.csv --out out",
        "0 ok; 1 invalid configuration or data, an output that cannot be written, or a broken invariant; 2 usage error",
    ),
    (
        "close",
        "fencheng close --config config --books books --records samples/monthly/records-2025-01.csv",
        "0 closed; 1 invalid data, a file already booked, or books that cannot be read or written (the books are unchanged); 2 usage error",
    ),
    (
        "books",
        "fencheng books verify books",
        "0 ok (verify: every closing replays byte for byte); 1 invalid books or payments; 2 usage error; 3 verify found a difference",
    ),
    (
        "check",
        "fencheng check --config config --records samples/records-2025.csv",
        "0 no problem; 1 problems found (all of them are listed); 2 usage error",
    ),
    (
        "explain",
        "fencheng explain --config config --records samples/records-2025.csv --period 2025-07 --zone cheng-a --metric vat",
        "0 ok; 1 invalid configuration or data; 2 usage error (an unknown zone, metric or entity)",
    ),
    (
        "verify",
        "fencheng verify out",
        "0 every input and output identical to the manifest; 3 a difference (each one printed); 2 usage error",
    ),
    (
        "compare",
        "fencheng compare --config config --records samples/records-2025.csv --scenario samples/scenario-55-45.toml",
        "0 ok; 1 invalid configuration, scenario or data; 2 usage error",
    ),
    (
        "sweep",
        "fencheng sweep --config config --records samples/records-2025.csv --vary zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba --from 0.5 --to 0.7 --step 0.05",
        "0 ok; 1 invalid configuration or data; 2 usage error",
    ),
    (
        "init",
        "fencheng init my-zone",
        "0 written; 1 a file cannot be written (existing files are never overwritten)",
    ),
    (
        "completions",
        "fencheng completions bash > /etc/bash_completion.d/fencheng",
        "0 ok",
    ),
];

/// The command line with each subcommand's example and exit codes (for `--help` and
/// the manual alike).
pub fn with_pages(cmd: clap::Command) -> clap::Command {
    let mut cmd = cmd.after_help(
        "Example:\n  fencheng run --config config --records samples/records-2025.csv --out out\n\nExit codes: 0 ok; 1 invalid configuration or data, or an output that cannot be written; 2 usage error; 3 verify found a difference.\n\nSee fencheng-run(1), fencheng-close(1), fencheng-books(1), fencheng-check(1), fencheng-explain(1), fencheng-verify(1), fencheng-compare(1), fencheng-sweep(1).",
    );
    for (name, example, codes) in PAGES {
        cmd = cmd.mut_subcommand(name, |s| {
            s.after_help(format!("Example:\n  {example}\n\nExit codes: {codes}."))
        });
    }
    cmd
}

/// Print the top page, or with `dir` write every page there.
pub fn man(dir: Option<&Path>) -> Result<String, Error> {
    let cmd = with_pages(<crate::cli::Cli as clap::CommandFactory>::command());
    let io = |path: &Path, e: std::io::Error| {
        Error::Output(crate::output::atomic::OutputError {
            path: crate::pathtext::show(path),
            source: e,
        })
    };
    match dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| io(d, e))?;
            clap_mangen::generate_to(cmd, d).map_err(|e| io(d, e))?;
            let mut names: Vec<String> = std::fs::read_dir(d)
                .map_err(|e| io(d, e))?
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".1"))
                .collect();
            names.sort();
            Ok(format!(
                "wrote {} pages to {}: {}\n",
                names.len(),
                d.display(),
                names.join(" ")
            ))
        }
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|e| io(Path::new("stdout"), e))?;
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
    }
}
