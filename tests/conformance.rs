//! Every worked example of the conformance folder through the binary, byte for byte.
//!
//! The examples live in tests/data/conformance (a copy kept with the project) and, when
//! present, ../shared/conformance (the contract's own folder, which may hold more).

mod common;

use common::{fencheng, repo};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn examples() -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for root in [
        repo().join("tests/data/conformance"),
        repo().join("../shared/conformance"),
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

#[test]
fn conformance_examples_match_byte_for_byte() {
    let examples = examples();
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
