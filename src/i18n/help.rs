//! `--help` in Chinese. The help is written once, in English, on the clap definitions
//! (`cli.rs`); for a Chinese user the built command's texts — every about, argument
//! help and example block — are replaced by their Chinese from `HELP`, looked up by
//! their English text (gettext-style, as `trace.rs`), and the headings are Chinese. A
//! unit test walks the whole command and fails on any English text without its Chinese.
//! `fencheng man` writes its pages from the same command: Chinese for a Chinese reader.

use super::help_text::HELP;
use clap::Command;

fn zh(en: &str) -> Option<&'static str> {
    HELP.iter().find(|(e, _)| *e == en).map(|(_, z)| *z)
}

/// An example block (`cli::with_pages`): "Example:\n  CMD\n\nExit codes: X." with an
/// optional "\n\nSee …" line.
fn after_help(en: &str) -> Option<String> {
    let rest = en.strip_prefix("Example:\n  ")?;
    let (example, rest) = rest.split_once("\n\nExit codes: ")?;
    let (codes, see) = match rest.split_once("\n\nSee ") {
        Some((c, s)) => (c, Some(s)),
        None => (rest, None),
    };
    let codes = zh(codes.strip_suffix('.').unwrap_or(codes))?;
    let mut out = format!("示例：\n  {example}\n\n退出码：{codes}。");
    if let Some(s) = see {
        out.push_str(&format!("\n\n另见 {}", s.strip_suffix('.').unwrap_or(s)));
    }
    Some(out)
}

/// clap writes "Possible values", the values' help and "[default: …]" itself, in
/// English: for a Chinese reader they are hidden and written into the help text.
fn values_in_chinese(mut a: clap::Arg) -> clap::Arg {
    if !a.get_action().takes_values() {
        return a;
    }
    let values: Vec<(String, Option<String>)> = if a.is_hide_possible_values_set() {
        Vec::new()
    } else {
        a.get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| {
                let help = v.get_help().map(|h| {
                    let h = h.to_string();
                    zh(&h).map_or(h, str::to_string)
                });
                (v.get_name().to_string(), help)
            })
            .collect()
    };
    let defaults: Vec<String> = if a.is_hide_default_value_set() {
        Vec::new()
    } else {
        a.get_default_values()
            .iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect()
    };
    if values.is_empty() && defaults.is_empty() {
        return a;
    }
    let names: Vec<&str> = values.iter().map(|(n, _)| n.as_str()).collect();
    let mut short = Vec::new();
    if !names.is_empty() {
        short.push(format!("可选值：{}", names.join("、")));
    }
    if !defaults.is_empty() {
        short.push(format!("默认：{}", defaults.join("、")));
    }
    let short = format!("（{}）", short.join("；"));
    let mut long = String::new();
    if values.iter().any(|(_, h)| h.is_some()) {
        long.push_str("\n\n可选值：");
        for (n, h) in &values {
            match h {
                Some(h) => long.push_str(&format!("\n- {n}：{h}")),
                None => long.push_str(&format!("\n- {n}")),
            }
        }
    } else if !names.is_empty() {
        long.push_str(&format!("\n\n可选值：{}", names.join("、")));
    }
    if !defaults.is_empty() {
        long.push_str(&format!("\n\n默认：{}", defaults.join("、")));
    }
    let help = a.get_help().map(|h| h.to_string());
    let long_help = a.get_long_help().map(|h| h.to_string());
    if let Some(h) = &help {
        a = a.help(format!("{h}{short}"));
    }
    if let Some(h) = long_help.as_ref().or(help.as_ref()) {
        a = a.long_help(format!("{h}{long}"));
    }
    a.hide_possible_values(true).hide_default_value(true)
}

/// Every text of `cmd` and its subcommands in Chinese.
pub fn localize(mut cmd: Command) -> Command {
    // Built first, so that the generated `--help`, `--version` and `help` exist.
    cmd.build();
    one(cmd)
}

fn one(mut cmd: Command) -> Command {
    if let Some(z) = cmd.get_about().and_then(|a| zh(&a.to_string())) {
        cmd = cmd.about(z);
    }
    if let Some(z) = cmd.get_long_about().and_then(|a| zh(&a.to_string())) {
        cmd = cmd.long_about(z);
    }
    if let Some(z) = cmd
        .get_after_help()
        .and_then(|a| after_help(&a.to_string()))
    {
        cmd = cmd.after_help(z);
    }
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |mut a| {
            if let Some(z) = a.get_help().and_then(|h| zh(&h.to_string())) {
                a = a.help(z);
            }
            if let Some(z) = a.get_long_help().and_then(|h| zh(&h.to_string())) {
                a = a.long_help(z);
            }
            a = values_in_chinese(a);
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            a.help_heading(heading)
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for s in subs {
        cmd = cmd.mut_subcommand(s, one);
    }
    cmd.subcommand_help_heading("命令")
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every English text of the command line, with where it is.
    fn texts(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
        let here = format!("{path} {}", cmd.get_name());
        for t in [cmd.get_about(), cmd.get_long_about()]
            .into_iter()
            .flatten()
        {
            out.push((here.clone(), t.to_string()));
        }
        for a in cmd.get_arguments() {
            for t in [a.get_help(), a.get_long_help()].into_iter().flatten() {
                out.push((format!("{here} {}", a.get_id()), t.to_string()));
            }
            for v in a.get_possible_values() {
                if let Some(h) = v.get_help() {
                    out.push((
                        format!("{here} {}={}", a.get_id(), v.get_name()),
                        h.to_string(),
                    ));
                }
            }
        }
        for s in cmd.get_subcommands() {
            texts(s, &here, out);
        }
    }

    #[test]
    fn every_help_text_has_its_chinese() {
        let mut cmd = crate::cli::with_pages(<crate::cli::Cli as clap::CommandFactory>::command());
        cmd.build();
        let mut all = Vec::new();
        texts(&cmd, "", &mut all);
        let missing: Vec<String> = all
            .iter()
            .filter(|(_, t)| zh(t).is_none())
            .map(|(at, t)| format!("{at}: {t:?}"))
            .collect();
        assert!(
            missing.is_empty(),
            "no Chinese for:\n{}",
            missing.join("\n")
        );
        // Every example block turns into Chinese too.
        fn blocks(cmd: &Command, out: &mut Vec<String>) {
            if let Some(a) = cmd.get_after_help() {
                out.push(a.to_string());
            }
            cmd.get_subcommands().for_each(|s| blocks(s, out));
        }
        let mut b = Vec::new();
        blocks(&cmd, &mut b);
        for t in &b {
            assert!(
                after_help(t).is_some(),
                "no Chinese for the example block {t:?}"
            );
        }
        // And no entry is left over from a text that changed.
        for (en, z) in HELP {
            let used = all.iter().any(|(_, t)| t == en) || b.iter().any(|t| t.contains(en));
            assert!(used, "unused entry {en:?}");
            assert!(
                z.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{z:?}"
            );
        }
    }

    #[test]
    fn the_help_reads_in_chinese() {
        let mut cmd = localize(crate::cli::with_pages(
            <crate::cli::Cli as clap::CommandFactory>::command(),
        ));
        let run = cmd
            .find_subcommand_mut("run")
            .map(|c| c.render_help().to_string());
        let run = run.unwrap_or_default();
        assert!(run.contains("用法：fencheng run --config PATH"), "{run}");
        assert!(run.contains("选项:"), "{run}");
        assert!(run.contains("示例：") && run.contains("退出码："), "{run}");
        assert!(
            !run.contains("Options:") && !run.contains("Usage:"),
            "{run}"
        );
    }
}
