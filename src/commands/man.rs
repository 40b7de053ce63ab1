//! `fencheng man [--dir DIR]`: the manual, one page per subcommand, each with its
//! options (from the same clap definitions as `--help`), an example and exit codes.

use crate::error::Error;
use std::path::Path;

/// Print the top page, or with `dir` write every page there. For a Chinese reader the
/// pages are the Chinese `--help` (the same texts, `i18n::help`) under Chinese headings.
pub fn man(dir: Option<&Path>) -> Result<String, Error> {
    let zh = crate::i18n::lang() == crate::i18n::Lang::Zh;
    let mut cmd = crate::cli::with_pages(<crate::cli::Cli as clap::CommandFactory>::command())
        .disable_help_subcommand(true);
    if zh {
        cmd = crate::i18n::help::localize(cmd);
    }
    let io = |path: &Path, e: std::io::Error| {
        Error::Output(crate::output::atomic::OutputError {
            path: crate::pathtext::show(path),
            source: e,
        })
    };
    let page = |cmd: clap::Command| -> Result<(String, String), Error> {
        let man = clap_mangen::Man::new(cmd);
        let mut buf = Vec::new();
        man.render(&mut buf)
            .map_err(|e| io(Path::new("stdout"), e))?;
        let text = String::from_utf8_lossy(&buf).into_owned();
        Ok((man.get_filename(), if zh { headings(&text) } else { text }))
    };
    match dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| io(d, e))?;
            // Every (sub)command's page, as `clap_mangen::generate_to` names them.
            let mut cmd = cmd;
            cmd.build();
            let mut all = Vec::new();
            let mut stack = vec![cmd];
            while let Some(c) = stack.pop() {
                stack.extend(c.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
                all.push(c);
            }
            let mut names = Vec::new();
            for c in all {
                let (name, text) = page(c)?;
                let path = d.join(&name);
                std::fs::write(&path, text).map_err(|e| io(&path, e))?;
                names.push(name);
            }
            names.sort();
            Ok(crate::i18n::tf(
                "man.wrote",
                &[
                    ("count", names.len().to_string()),
                    ("dir", crate::pathtext::show(d)),
                    ("names", names.join(" ")),
                ],
            ) + "\n")
        }
        None => Ok(page(cmd)?.1),
    }
}

/// The section headings of a page in Chinese (`clap_mangen` writes them in English).
fn headings(roff: &str) -> String {
    const ZH: [(&str, &str); 7] = [
        ("NAME", "名称"),
        ("SYNOPSIS", "用法"),
        ("DESCRIPTION", "描述"),
        ("OPTIONS", "选项"),
        ("SUBCOMMANDS", "子命令"),
        ("EXTRA", "示例与退出码"),
        ("VERSION", "版本"),
    ];
    roff.lines()
        .map(|l| match l.strip_prefix(".SH ") {
            Some(h) => match ZH.iter().find(|(en, _)| *en == h.trim_matches('"')) {
                Some((_, zh)) => format!(".SH {zh}"),
                None => l.to_string(),
            },
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
