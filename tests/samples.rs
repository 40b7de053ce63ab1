//! The shipped configuration and samples: whole outputs as snapshots, and
//! determinism (same input → same bytes).

use crate::common;

use common::{fencheng, repo};

fn run_samples(out: &std::path::Path, format: &str) -> String {
    let res = fencheng()
        .current_dir(repo())
        .args([
            "run",
            "--config",
            "config",
            "--records",
            "samples/records-2025.csv",
            "--deductions",
            "samples/deductions-2025.csv",
            "--entities",
            "samples/entities.csv",
            "--format",
            format,
            "--out",
        ])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    String::from_utf8(res.stdout).unwrap()
}

#[test]
fn sample_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = run_samples(dir.path(), "table");
    insta::assert_snapshot!("sample_stdout_table", stdout);
    insta::assert_snapshot!(
        "sample_summary",
        std::fs::read_to_string(dir.path().join("summary.csv")).unwrap()
    );
    insta::assert_snapshot!(
        "sample_settlement",
        std::fs::read_to_string(dir.path().join("settlement.csv")).unwrap()
    );
}

#[test]
fn sample_totals_as_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!("sample_stdout_csv", run_samples(dir.path(), "csv"));
    let json: serde_json::Value = serde_json::from_str(&run_samples(dir.path(), "json")).unwrap();
    assert_eq!(json["records"], 396);
    // Amounts are exact strings, never JSON floats.
    assert!(
        json["totals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["amount"].is_string())
    );
}

#[test]
fn same_input_gives_the_same_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(
        run_samples(a.path(), "table"),
        run_samples(b.path(), "table")
    );
    for f in ["summary.csv", "settlement.csv"] {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn records_split_over_two_files_sum_to_the_same_result() {
    let text = std::fs::read_to_string(repo().join("samples/records-2025.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let body: Vec<&str> = lines.collect();
    let (first, second) = body.split_at(body.len() / 3);
    let dir = tempfile::tempdir().unwrap();
    // The second file lists its columns in another order.
    std::fs::write(
        dir.path().join("a.csv"),
        format!("{header}\n{}\n", first.join("\n")),
    )
    .unwrap();
    let reordered: Vec<String> = second
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{},{},{},{}", f[4], f[3], f[5], f[2], f[1], f[0])
        })
        .collect();
    std::fs::write(
        dir.path().join("b.csv"),
        format!(
            "金额,指标,投产日期,企业,园区,期间\n{}\n",
            reordered.join("\n")
        ),
    )
    .unwrap();
    fencheng()
        .current_dir(repo())
        .args(["run", "--config", "config", "--records"])
        .arg(dir.path().join("a.csv"))
        .arg("--records")
        .arg(dir.path().join("b.csv"))
        .args(["--deductions", "samples/deductions-2025.csv"])
        .args(["--entities", "samples/entities.csv"])
        .arg("--out")
        .arg(dir.path().join("split"))
        .assert()
        .success();
    let whole = tempfile::tempdir().unwrap();
    run_samples(whole.path(), "csv");
    assert_eq!(
        std::fs::read(dir.path().join("split/summary.csv")).unwrap(),
        std::fs::read(whole.path().join("summary.csv")).unwrap()
    );
}

/// `check`, `run` and the manifest count the same cells (the outcome's, pools and
/// deduction-only cells included), and one file is "1 file".
#[test]
fn check_and_run_count_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let table = run_samples(&out, "table");
    let footer = table.lines().last().unwrap_or("").to_string();
    // "396 records in 283 cells"
    let cells = footer
        .split_whitespace()
        .nth(3)
        .unwrap_or_else(|| panic!("{footer}"))
        .to_string();
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains(&format!("\"cells\": {cells},")),
        "{manifest}"
    );
    // The control totals agree per metric: a pooled metric's allocated part counts what
    // it handed the pool, and the pool (vat_cit) is listed with that as its input.
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let totals = m["control_totals"].as_array().unwrap();
    for t in totals {
        assert_eq!(t["input"], t["allocated"], "{t}");
    }
    assert!(
        totals.iter().any(|t| t["metric"] == "vat_cit"),
        "{totals:?}"
    );
    let check = fencheng()
        .current_dir(repo())
        .args(["--lang", "en", "check", "--config", "config"])
        .args(["--records", "samples/records-2025.csv"])
        .args(["--deductions", "samples/deductions-2025.csv"])
        .args(["--entities", "samples/entities.csv"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(
        said.contains(&format!("records OK: 396 records in 1 file, {cells} cells")),
        "{said}\nrun: {footer}"
    );
}
