//! The books (SPEC §9): the shared worked examples step by step, byte for byte, and
//! the promises around them — refusals change nothing, `books verify` finds any flipped
//! byte, a lock keeps two closings apart.

mod common;

use common::{fencheng, repo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn examples() -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for root in [
        repo().join("tests/data/conformance-books"),
        repo().join("../shared/conformance-books"),
    ] {
        let Ok(rd) = std::fs::read_dir(&root) else {
            continue;
        };
        for e in rd.flatten() {
            if e.path().join("steps").is_file() {
                out.insert(e.file_name().to_string_lossy().into_owned(), e.path());
            }
        }
    }
    out
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != ".lock") {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// Run the steps of an example in a fresh books directory; returns the failures.
fn run_steps(name: &str, dir: &Path, books: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let steps = std::fs::read_to_string(dir.join("steps")).unwrap();
    for step in steps
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let words: Vec<&str> = step.split_whitespace().collect();
        let (refuse, words) = match words.first() {
            Some(&"refuse") => (true, &words[1..]),
            _ => (false, &words[..]),
        };
        let mut cmd = fencheng();
        cmd.current_dir(dir);
        match words.first() {
            Some(&"close") => {
                cmd.args(["close", "--config", "config.toml", "--books"])
                    .arg(books)
                    .args(&words[1..]);
            }
            Some(&"balance") => {
                cmd.args(["books", "balance"])
                    .arg(books)
                    .args(&words[1..])
                    .args(["--format", "csv"]);
            }
            other => panic!("{name}: unknown step {other:?}"),
        }
        let before = snapshot(books);
        let res = cmd.output().unwrap();
        let code = res.status.code();
        let err = String::from_utf8_lossy(&res.stderr);
        if refuse {
            if code != Some(1) {
                failures.push(format!(
                    "{name}: `{step}` should exit 1, got {code:?}: {err}"
                ));
            }
            if snapshot(books) != before {
                failures.push(format!("{name}: `{step}` changed the books"));
            }
        } else if code != Some(0) {
            failures.push(format!("{name}: `{step}` exit {code:?}: {err}"));
        } else if words[0] == "balance" {
            let want =
                std::fs::read_to_string(dir.join("expected/balance.csv")).unwrap_or_default();
            let got = String::from_utf8_lossy(&res.stdout);
            if want != got {
                failures.push(format!(
                    "{name}: balance differs:\n--- expected\n{want}--- got\n{got}"
                ));
            }
        }
    }
    failures
}

#[test]
fn books_examples_match_byte_for_byte() {
    let examples = examples();
    assert!(
        examples.len() >= 3,
        "expected the books examples, found {}",
        examples.len()
    );
    let mut failures = Vec::new();
    for (name, dir) in &examples {
        let tmp = tempfile::tempdir().unwrap();
        let books = tmp.path().join("books");
        failures.extend(run_steps(name, dir, &books));
        let expected = dir.join("expected");
        for e in std::fs::read_dir(&expected).unwrap().flatten() {
            if !e.path().is_dir() {
                continue;
            }
            let period = e.file_name();
            for f in std::fs::read_dir(e.path()).unwrap().flatten() {
                let want = std::fs::read(f.path()).unwrap();
                let got =
                    std::fs::read(books.join(&period).join(f.file_name())).unwrap_or_default();
                if want != got {
                    failures.push(format!(
                        "{name}/{}/{} differs:\n--- expected\n{}--- got\n{}",
                        period.to_string_lossy(),
                        f.file_name().to_string_lossy(),
                        String::from_utf8_lossy(&want),
                        String::from_utf8_lossy(&got)
                    ));
                }
            }
        }
        // Closings replay byte for byte.
        let v = fencheng()
            .args(["books", "verify"])
            .arg(&books)
            .output()
            .unwrap();
        if v.status.code() != Some(0) {
            failures.push(format!(
                "{name}: books verify: {}{}",
                String::from_utf8_lossy(&v.stdout),
                String::from_utf8_lossy(&v.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
