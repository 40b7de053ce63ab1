//! The audit trail: explain snapshots, verify after tampering, detail.csv arithmetic,
//! and --expect control totals.

use crate::common;

use common::{Scratch, fencheng, repo};
use fencheng::num::{Ratio, parse_exact, parse_ratio};
use std::collections::BTreeMap;
use std::path::Path;

fn explain(args: &[&str]) -> String {
    let out = common::fencheng_in(
        repo(),
        "explain --config config --records samples/records-2025.csv",
    )
    .args(args)
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn explain_a_fixed_cell() {
    // 浙甘成 January energy: 184.679 tce → 92339.5 units each → tie on fraction and
    // ratio → chengdu sorts first.
    let args = [
        "--period",
        "2025-01",
        "--zone",
        "zhe-gan-cheng",
        "--metric",
        "energy",
    ];
    insta::assert_snapshot!("explain_fixed_text", explain(&args));
    insta::assert_snapshot!(
        "explain_fixed_json",
        explain(&[&args[..], &["--format", "json"]].concat())
    );
}

#[test]
fn explain_an_entity_anchored_schedule_cell_with_a_tie() {
    let args = [
        "--period",
        "2025-07",
        "--zone",
        "cheng-a",
        "--metric",
        "vat",
        "--entity",
        "91510121MA61B0002B",
    ];
    let text = explain(&args);
    assert!(text.contains("phase 2 of 3 (years 6–10)"), "{text}");
    assert!(text.contains("'aba' sorts first"), "{text}");
    insta::assert_snapshot!("explain_schedule_text", text);
    insta::assert_snapshot!(
        "explain_schedule_json",
        explain(&[&args[..], &["--format", "json"]].concat())
    );
}

#[test]
fn explain_a_year_to_date_cell() {
    let args = [
        "--period", "2025-07", "--zone", "gaozhu", "--metric", "vat_cit",
    ];
    let text = explain(&args);
    assert!(text.contains("A(YTD before)"), "{text}");
    insta::assert_snapshot!("explain_ytd_text", text);
    let json: serde_json::Value =
        serde_json::from_str(&explain(&[&args[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(json["trace_version"], 1);
    insta::assert_json_snapshot!("explain_ytd_json", json);
}

/// A self-contained run directory: config and records copied, an expect file, --out.
fn audited_run() -> Scratch {
    let s = Scratch::new();
    let cfg = s.path("config");
    std::fs::create_dir(&cfg).unwrap();
    for e in std::fs::read_dir(repo().join("config"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
    {
        std::fs::copy(e.path(), cfg.join(e.file_name())).unwrap();
    }
    std::fs::copy(
        repo().join("samples/records-2025.csv"),
        s.path("records.csv"),
    )
    .unwrap();
    s.write(
        "expect.csv",
        "period,zone,metric,party,amount\n2025-01,zhe-gan-cheng,vat,ganzi,18237.31\n",
    );
    common::fencheng_in(
        s.dir.path(),
        "run --config config --records records.csv --expect expect.csv --detail --out out",
    )
    .assert()
    .success();
    s
}

fn verify(s: &Scratch) -> (i32, String) {
    let out = fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn flip(path: &Path, at: usize) {
    let mut b = std::fs::read(path).unwrap();
    let i = at.min(b.len() - 2);
    b[i] = if b[i] == b'1' { b'2' } else { b'1' };
    std::fs::write(path, b).unwrap();
}

#[test]
fn verify_passes_on_an_untouched_run() {
    let s = audited_run();
    let (code, out) = verify(&s);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("verified: 9 inputs and 6 outputs identical"),
        "{out}"
    );
}

#[test]
fn verify_reports_exactly_the_file_that_was_changed() {
    let cases = [
        ("records.csv", 200),
        ("config/zone-gaozhu.toml", 900),
        ("expect.csv", 60),
        ("out/summary.csv", 500),
        ("out/settlement.csv", 300),
        ("out/detail.csv", 5000),
        ("out/manifest.json", 120),
    ];
    for (file, at) in cases {
        let s = audited_run();
        flip(&s.path(file), at);
        let (code, out) = verify(&s);
        assert_eq!(code, 3, "{file}: {out}");
        let named: Vec<&str> = cases
            .iter()
            .map(|(f, _)| *f)
            .filter(|f| out.contains(&format!("{f}:")))
            .collect();
        assert_eq!(
            named,
            vec![file],
            "verify must name {file} and nothing else:\n{out}"
        );
    }
}

#[test]
fn verify_as_json_keeps_the_exit_code() {
    let s = audited_run();
    let out = fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["identical"], true);
    flip(&s.path("out/summary.csv"), 100);
    let out = fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["identical"], false);
    assert!(
        v["differences"][0]
            .as_str()
            .unwrap()
            .contains("out/summary.csv: does not match the manifest"),
        "{v}"
    );
}

#[test]
fn verify_reports_a_missing_file_without_crashing() {
    let s = audited_run();
    std::fs::remove_file(s.path("out/settlement.csv")).unwrap();
    let (code, out) = verify(&s);
    assert_eq!(code, 3);
    assert!(out.contains("out/settlement.csv: missing"), "{out}");
    let s = audited_run();
    std::fs::remove_file(s.path("records.csv")).unwrap();
    let (code, out) = verify(&s);
    assert_eq!(code, 3);
    assert!(out.contains("records.csv: missing"), "{out}");
}

#[test]
fn detail_exact_shares_add_up_and_explain_the_rounding() {
    let s = audited_run();
    let detail = s.read("out/detail.csv");
    let mut lines = detail.lines();
    assert_eq!(
        lines.next().unwrap(),
        "line,period,zone,entity,metric,amount,party,ratio,exact_share,rule,agreement,file"
    );
    // Per record: its lines add up to its amount. Per (period, zone, metric, party):
    // Σ exact shares vs the rounded summary.
    let mut per_record: BTreeMap<String, (Ratio, Ratio)> = BTreeMap::new();
    let mut per_party: BTreeMap<(String, String, String, String), Ratio> = BTreeMap::new();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        let exact = parse_exact(f[8]).unwrap_or_else(|| panic!("{l}"));
        let e = per_record
            .entry(f[0].to_string())
            .or_insert((parse_ratio(f[5]).unwrap(), Ratio::default()));
        e.1 += &exact;
        // A pool's component records share under the pool (vat_cit) in the zones
        // whose rule names it; their level lines stay under the component.
        let pooled = matches!(f[2], "gaozhu" | "qingchuan-park")
            && matches!(f[4], "vat" | "cit")
            && !matches!(f[6], "central" | "sichuan");
        let metric = if pooled { "vat_cit" } else { f[4] };
        *per_party
            .entry((f[1].into(), f[2].into(), metric.into(), f[6].into()))
            .or_default() += exact;
    }
    assert_eq!(per_record.len(), 396);
    for (line, (amount, sum)) in &per_record {
        assert_eq!(amount, sum, "record on line {line}");
    }
    let summary = s.read("out/summary.csv");
    let mut checked = 0;
    for l in summary.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let key = (
            f[0].to_string(),
            f[1].to_string(),
            f[2].to_string(),
            f[3].to_string(),
        );
        let rounded = parse_ratio(f[4]).unwrap();
        let exact = per_party.get(&key).cloned().unwrap_or_default();
        let quantum = parse_ratio(if f[2] == "energy" { "0.001" } else { "0.01" }).unwrap();
        // Entity-anchored zones round once per phase cell; a pool's share also carries
        // the rounding of its components' levels: allow one quantum per rounding.
        let cells = match (f[1], f[2]) {
            ("cheng-a", _) => 3,
            (_, "vat_cit") => 4,
            _ => 1,
        };
        let diff = rounded - exact;
        let bound = quantum * Ratio::from_integer(cells.into());
        assert!(
            diff < bound && -diff.clone() < bound,
            "{l}: differs from Σ exact by {diff}"
        );
        checked += 1;
    }
    assert!(checked > 400);
}

#[test]
fn expect_mismatch_is_reported_with_its_line_and_nothing_is_written() {
    let s = Scratch::new();
    s.write(
        "config.toml",
        &std::fs::read_to_string(
            repo().join("tests/data/conformance/01-fixed-two-party-ties/config.toml"),
        )
        .unwrap(),
    );
    std::fs::copy(
        repo().join("tests/data/conformance/01-fixed-two-party-ties/records.csv"),
        s.path("records.csv"),
    )
    .unwrap();
    s.write(
        "expect.csv",
        "period,zone,metric,party,amount\n2025-01,cheng-a,fcs,aba,7172.84\n2025-01,cheng-a,fcs,chengdu,7172.84\n2025-02,cheng-a,fcs,ganzi,1.00\n",
    );
    let out = s.run(&["--expect", "expect.csv"]).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("expect.csv:3: expected 7172.84, computed 7172.83 (difference -0.01)"),
        "{err}"
    );
    assert!(
        err.contains("expect.csv:4: expected 1.00, computed nothing"),
        "{err}"
    );
    assert!(!err.contains("expect.csv:2"), "{err}");
    assert!(!s.path("out").exists());
}
