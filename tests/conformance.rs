//! Every worked example of the conformance folder through the binary, byte for byte.
//!
//! The examples live in tests/data/conformance (a copy kept with the project) and, when
//! present, ../shared/conformance (the contract's own folder, which may hold more).

mod common;

use common::{fencheng, repo};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn examples(folder: &str) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for root in [
        repo().join("tests/data").join(folder),
        repo().join("../shared").join(folder),
    ] {
        let Ok(rd) = std::fs::read_dir(&root) else {
            continue;
        };
        for e in rd.flatten() {
            if e.path().join("expected").is_dir() {
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

/// Part II (§8, §10): records*.csv as --records, deductions*.csv as --deductions,
/// entities.csv as --entities; summary, settlement and (where expected) assessment.
#[test]
fn conformance_part_two_examples_match_byte_for_byte() {
    let examples = examples("conformance-2");
    assert!(
        examples.len() >= 6,
        "expected the Part II examples, found {}",
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
        cmd.arg("run").arg("--config").arg(&config);
        for r in csvs(dir, "records") {
            cmd.arg("--records").arg(r);
        }
        for d in csvs(dir, "deductions") {
            cmd.arg("--deductions").arg(d);
        }
        if dir.join("entities.csv").is_file() {
            cmd.arg("--entities").arg(dir.join("entities.csv"));
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
        for file in ["summary.csv", "settlement.csv", "assessment.csv"] {
            let Ok(want) = std::fs::read(dir.join("expected").join(file)) else {
                assert_ne!(file, "summary.csv", "{name}: no expected summary");
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

#[test]
fn conformance_examples_match_byte_for_byte() {
    let examples = examples("conformance");
    assert!(
        examples.len() >= 10,
        "expected the conformance examples, found {}",
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
        let mut records: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .collect();
        records.sort_by(|a, b| {
            a.file_name()
                .unwrap()
                .as_encoded_bytes()
                .cmp(b.file_name().unwrap().as_encoded_bytes())
        });
        let mut cmd = fencheng();
        cmd.arg("run").arg("--config").arg(&config);
        for r in &records {
            cmd.arg("--records").arg(r);
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
        for file in ["summary.csv", "settlement.csv"] {
            let want = std::fs::read(dir.join("expected").join(file)).unwrap();
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
