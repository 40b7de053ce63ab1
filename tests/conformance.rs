//! Every worked example of the conformance folder through the binary, byte for byte.
//!
//! The examples live in tests/data/conformance (a copy kept with the project) and, when
//! present, ../shared/conformance (the contract's own folder, which may hold more).

use crate::common;

use common::{fencheng, repo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The examples of `folder` whose name starts with `prefix`.
fn examples_of(folder: &str, prefix: &str) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for root in [
        repo().join("tests/data").join(folder),
        repo().join("../shared").join(folder),
    ] {
        let Ok(rd) = std::fs::read_dir(&root) else {
            continue;
        };
        for e in rd.flatten() {
            if e.path().join("expected").is_dir()
                && e.file_name().to_string_lossy().starts_with(prefix)
            {
                out.insert(e.file_name().to_string_lossy().into_owned(), e.path());
            }
        }
    }
    out
}

/// The CSV files of an example folder in bytewise name order.
fn csvs(dir: &std::path::Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "csv")
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    out.sort_by(|a, b| {
        a.file_name()
            .unwrap()
            .as_encoded_bytes()
            .cmp(b.file_name().unwrap().as_encoded_bytes())
    });
    out
}

/// Run every example of `folder`: `inputs` gives an example's input arguments; the
/// files of `expected/` among `outputs` must match byte for byte (summary.csv always).
fn check_folder(
    folder: &str,
    at_least: usize,
    inputs: &dyn Fn(&Path) -> Vec<(&'static str, PathBuf)>,
    outputs: &[&str],
) {
    check_examples(folder, "", "run", at_least, inputs, outputs);
}

/// `check_folder` for the examples of `folder` named `prefix…`, run as `command`.
fn check_examples(
    folder: &str,
    prefix: &str,
    command: &str,
    at_least: usize,
    inputs: &dyn Fn(&Path) -> Vec<(&'static str, PathBuf)>,
    outputs: &[&str],
) {
    let examples = examples_of(folder, prefix);
    assert!(
        examples.len() >= at_least,
        "expected the {folder} examples, found {}",
        examples.len()
    );
    let mut failures = Vec::new();
    for (name, dir) in &examples {
        let out = tempfile::tempdir().unwrap();
        let config = if dir.join("config").is_dir() {
            dir.join("config")
        } else {
            dir.join("config.toml")
        };
        let mut cmd = fencheng();
        cmd.arg(command).arg("--config").arg(&config);
        for (flag, path) in inputs(dir) {
            cmd.arg(flag).arg(path);
        }
        if let Ok(args) = std::fs::read_to_string(dir.join("args")) {
            cmd.args(args.split_whitespace());
        }
        cmd.arg("--out").arg(out.path());
        let res = cmd.output().unwrap();
        if !res.status.success() {
            failures.push(format!(
                "{name}: exit {:?}: {}",
                res.status.code(),
                String::from_utf8_lossy(&res.stderr)
            ));
            continue;
        }
        for file in outputs {
            let Ok(want) = std::fs::read(dir.join("expected").join(file)) else {
                assert_ne!(*file, "summary.csv", "{name}: no expected summary");
                continue;
            };
            let got = std::fs::read(out.path().join(file)).unwrap_or_default();
            if want != got {
                failures.push(format!(
                    "{name}/{file} differs:\n--- expected\n{}\n--- got\n{}",
                    String::from_utf8_lossy(&want),
                    String::from_utf8_lossy(&got)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Part II (§8, §10): records*.csv as --records, deductions*.csv as --deductions,
/// entities.csv as --entities; summary, settlement and (where expected) assessment.
#[test]
fn conformance_part_two_examples_match_byte_for_byte() {
    let inputs = |dir: &Path| {
        let mut v: Vec<(&'static str, PathBuf)> = csvs(dir, "records")
            .into_iter()
            .map(|p| ("--records", p))
            .collect();
        v.extend(
            csvs(dir, "deductions")
                .into_iter()
                .map(|p| ("--deductions", p)),
        );
        if dir.join("entities.csv").is_file() {
            v.push(("--entities", dir.join("entities.csv")));
        }
        v
    };
    check_folder(
        "conformance-2",
        6,
        &inputs,
        &["summary.csv", "settlement.csv", "assessment.csv"],
    );
}

/// Part I: every CSV of the folder as --records, in bytewise name order.
#[test]
fn conformance_examples_match_byte_for_byte() {
    let inputs = |dir: &Path| {
        csvs(dir, "")
            .into_iter()
            .map(|p| ("--records", p))
            .collect()
    };
    check_folder(
        "conformance",
        10,
        &inputs,
        &["summary.csv", "settlement.csv"],
    );
}

/// Part III §14: guarantees and fixed returns; obligations.csv beside summary and
/// settlement (which nets them).
#[test]
fn conformance_obligation_examples_match_byte_for_byte() {
    let inputs = |dir: &Path| {
        csvs(dir, "records")
            .into_iter()
            .map(|p| ("--records", p))
            .collect()
    };
    check_examples(
        "conformance-3",
        "oblig-",
        "run",
        2,
        &inputs,
        &["summary.csv", "settlement.csv", "obligations.csv"],
    );
}

/// Part III §13: quota accounts; quota.csv, quota-transfers.csv and quota-settlement.csv.
#[test]
fn conformance_quota_examples_match_byte_for_byte() {
    let inputs = |dir: &Path| {
        let mut v: Vec<(&'static str, PathBuf)> = Vec::new();
        for (prefix, flag) in [
            ("records", "--records"),
            ("allocations", "--allocations"),
            ("transfers", "--transfers"),
        ] {
            v.extend(csvs(dir, prefix).into_iter().map(|p| (flag, p)));
        }
        if dir.join("entities.csv").is_file() {
            v.push(("--entities", dir.join("entities.csv")));
        }
        v
    };
    check_examples(
        "conformance-3",
        "quota-",
        "quota",
        2,
        &inputs,
        &["quota.csv", "quota-transfers.csv", "quota-settlement.csv"],
    );
}

/// Part III §15: `steps` run in order on fresh books from inside the folder; every
/// closing's files and the balance as expected.
#[test]
fn conformance_amendment_examples_match_byte_for_byte() {
    let examples = examples_of("conformance-3", "amend-");
    assert!(!examples.is_empty(), "expected the amend- examples");
    let mut failures = Vec::new();
    for (name, dir) in &examples {
        let books = tempfile::tempdir().unwrap();
        let steps = std::fs::read_to_string(dir.join("steps")).unwrap();
        for line in steps.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let verb = words.next().unwrap();
            let args: Vec<&str> = words.collect();
            let mut cmd = fencheng();
            cmd.current_dir(dir);
            match verb {
                "close" => cmd
                    .arg("close")
                    .arg("--books")
                    .arg(books.path())
                    .args(&args),
                "balance" => cmd
                    .args(["books", "balance"])
                    .arg(books.path())
                    .args(&args)
                    .args(["--format", "csv"]),
                other => panic!("{name}: unknown step {other}"),
            };
            let res = cmd.output().unwrap();
            if !res.status.success() {
                failures.push(format!(
                    "{name}: `{line}` exit {:?}: {}",
                    res.status.code(),
                    String::from_utf8_lossy(&res.stderr)
                ));
                break;
            }
            if verb == "balance" {
                let want = std::fs::read(dir.join("expected/balance.csv")).unwrap();
                if want != res.stdout {
                    failures.push(format!(
                        "{name}: balance differs:\n{}",
                        String::from_utf8_lossy(&res.stdout)
                    ));
                }
            }
        }
        for e in std::fs::read_dir(dir.join("expected")).unwrap().flatten() {
            if !e.path().is_dir() {
                continue;
            }
            let period = e.file_name();
            for f in std::fs::read_dir(e.path()).unwrap().flatten() {
                let got = std::fs::read(books.path().join(&period).join(f.file_name()))
                    .unwrap_or_default();
                if std::fs::read(f.path()).unwrap() != got {
                    failures.push(format!(
                        "{name}/{}/{} differs:\n{}",
                        period.to_string_lossy(),
                        f.file_name().to_string_lossy(),
                        String::from_utf8_lossy(&got)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Part III §12: an export read through its profile, run from inside the folder; and
/// `import` writes the records as read, which `run` then reads to the same figures.
#[test]
fn conformance_profile_examples_match_byte_for_byte() {
    let examples = examples_of("conformance-3", "profile-");
    assert!(examples.len() >= 3, "expected the profile- examples");
    let mut failures = Vec::new();
    for (name, dir) in &examples {
        let out = tempfile::tempdir().unwrap();
        let exports: Vec<String> = csvs(dir, "export")
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        let records: Vec<&str> = exports
            .iter()
            .flat_map(|e| ["--records", e.as_str()])
            .collect();
        let imported = out.path().join("import.csv");
        let runs = [
            (vec!["--profile", "profile.toml"], out.path().join("run")),
            (vec![], out.path().join("again")),
        ];
        let mut import = fencheng();
        import
            .current_dir(dir)
            .args(["import", "--profile", "profile.toml"])
            .args(&records)
            .arg("--to")
            .arg(&imported);
        assert!(import.output().unwrap().status.success(), "{name}: import");
        if std::fs::read(dir.join("expected/import.csv")).unwrap()
            != std::fs::read(&imported).unwrap_or_default()
        {
            failures.push(format!("{name}/import.csv differs"));
        }
        for (i, (extra, to)) in runs.iter().enumerate() {
            let mut cmd = fencheng();
            cmd.current_dir(dir)
                .args(["run", "--config", "config.toml"]);
            if i == 0 {
                cmd.args(extra).args(&records);
            } else {
                cmd.arg("--records").arg(&imported);
            }
            let res = cmd.arg("--out").arg(to).output().unwrap();
            if !res.status.success() {
                failures.push(format!("{name}: {}", String::from_utf8_lossy(&res.stderr)));
                continue;
            }
            for f in ["summary.csv", "settlement.csv"] {
                if std::fs::read(dir.join("expected").join(f)).unwrap()
                    != std::fs::read(to.join(f)).unwrap_or_default()
                {
                    failures.push(format!("{name}/{f} differs (run {i})"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
