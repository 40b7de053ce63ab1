//! Promises a finance officer and an auditor rely on every day: the output set is one
//! unit (checked before anything moves, undone on failure, the manifest last, locked,
//! repaired after a crash), `verify` covers the workbook and works from anywhere, and
//! what a run does not produce is not left behind.

use crate::common;

use common::{Scratch, fencheng, repo};

fn sample_scratch() -> Scratch {
    let s = Scratch::new();
    std::fs::create_dir(s.path("config")).unwrap();
    for e in std::fs::read_dir(repo().join("config"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
    {
        std::fs::copy(e.path(), s.path("config").join(e.file_name())).unwrap();
    }
    std::fs::copy(
        repo().join("samples/records-2025.csv"),
        s.path("records.csv"),
    )
    .unwrap();
    s
}

fn run(s: &Scratch, extra: &[&str]) -> std::process::Output {
    common::fencheng_in(
        s.dir.path(),
        "run --config config --records records.csv --out out",
    )
    .args(extra)
    .output()
    .unwrap()
}

fn verify(s: &Scratch) -> (Option<i32>, String) {
    let out = fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out"])
        .output()
        .unwrap();
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Every file of `out`, sorted, with its bytes.
fn files(s: &Scratch) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(s.path("out"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .filter(|(n, _)| n != ".fencheng.lock")
        .collect();
    v.sort();
    v
}

#[test]
fn a_target_in_the_way_fails_before_any_output_is_replaced() {
    let s = sample_scratch();
    assert!(run(&s, &[]).status.success());
    let before = files(&s);
    // A directory where the workbook should go, then one named settlement.csv.
    std::fs::create_dir(s.path("out/book.xlsx")).unwrap();
    let out = run(&s, &["--xlsx", "out/book.xlsx", "--bom"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("book.xlsx"), "{err}");
    assert_eq!(files(&s), before, "an output was replaced");
    std::fs::remove_dir(s.path("out/book.xlsx")).unwrap();
    std::fs::remove_file(s.path("out/settlement.csv")).unwrap();
    std::fs::create_dir(s.path("out/settlement.csv")).unwrap();
    let before = files(&s);
    let out = run(&s, &["--bom"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("settlement.csv"));
    assert_eq!(files(&s), before, "an output was replaced");
}

#[test]
fn a_crash_between_renames_is_an_incomplete_run_that_the_next_run_repairs() {
    let s = sample_scratch();
    assert!(run(&s, &[]).status.success());
    // The next run (with a byte order mark, so every file changes) dies after the first
    // file was put in place.
    let out = fencheng()
        .current_dir(s.dir.path())
        .env("FENCHENG_FAULT_AFTER", "1")
        .args([
            "run",
            "--config",
            "config",
            "--records",
            "records.csv",
            "--out",
            "out",
            "--bom",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(99));
    let (code, text) = verify(&s);
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("did not finish"), "{text}");
    assert!(
        files(&s)
            .iter()
            .any(|(n, _)| n.ends_with(".tmp") || n.ends_with(".bak"))
    );
    // The next run repairs the set and removes what the crashed one left.
    assert!(run(&s, &[]).status.success());
    let (code, text) = verify(&s);
    assert_eq!(code, Some(0), "{text}");
    let names: Vec<String> = files(&s).into_iter().map(|(n, _)| n).collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn two_runs_into_one_directory_take_turns() {
    let s = sample_scratch();
    std::fs::copy(repo().join("samples/records-2025.csv"), s.path("other.csv")).unwrap();
    let spawn = |records: &str, bom: bool| {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("fencheng"));
        c.current_dir(s.dir.path())
            .args([
                "run",
                "--config",
                "config",
                "--records",
                records,
                "--out",
                "out",
                "--detail",
            ])
            .stdout(std::process::Stdio::null());
        if bom {
            c.arg("--bom");
        }
        c.spawn().unwrap()
    };
    for _ in 0..3 {
        let mut a = spawn("records.csv", false);
        let mut b = spawn("other.csv", true);
        assert!(a.wait().unwrap().success());
        assert!(b.wait().unwrap().success());
        let (code, text) = verify(&s);
        assert_eq!(code, Some(0), "one run's files beside the other's: {text}");
    }
}

#[test]
fn a_run_held_up_by_another_says_so_and_gives_up_instead_of_hanging() {
    let s = sample_scratch();
    assert!(run(&s, &[]).status.success());
    let before = files(&s);
    // Another run (here: this test) holds the directory.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(s.path("out/.fencheng.lock"))
        .unwrap();
    lock.lock().unwrap();
    let started = std::time::Instant::now();
    let out = fencheng()
        .current_dir(s.dir.path())
        .env("FENCHENG_LOCK_WAIT", "2")
        .args([
            "--lang",
            "en",
            "run",
            "--config",
            "config",
            "--records",
            "records.csv",
        ])
        .args(["--out", "out", "--bom"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    assert!(err.contains("waiting for it to finish"), "{err}");
    assert!(err.contains("out: ") && err.contains("for 2 s"), "{err}");
    assert_eq!(
        files(&s),
        before,
        "nothing is written while another run holds it"
    );
    lock.unlock().unwrap();
    assert!(run(&s, &["--bom"]).status.success());
}

#[test]
fn what_a_run_does_not_produce_is_removed_and_verify_covers_the_workbook_from_anywhere() {
    let s = sample_scratch();
    assert!(run(&s, &["--detail"]).status.success());
    assert!(s.path("out/detail.csv").exists());
    assert!(run(&s, &["--xlsx", "out/book.xlsx"]).status.success());
    assert!(
        !s.path("out/detail.csv").exists(),
        "an old detail.csv stayed beside a new summary"
    );
    let (code, text) = verify(&s);
    assert_eq!(code, Some(0), "{text}");
    // From another directory.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = fencheng()
        .current_dir(elsewhere.path())
        .arg("verify")
        .arg(s.path("out"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The workbook is verified too.
    let mut book = std::fs::read(s.path("out/book.xlsx")).unwrap();
    let n = book.len() / 2;
    book[n] ^= 0xff;
    std::fs::write(s.path("out/book.xlsx"), book).unwrap();
    let (code, text) = verify(&s);
    assert_eq!(code, Some(3), "{text}");
    assert!(text.contains("book.xlsx"), "{text}");
}

#[test]
fn check_reports_every_problem_of_every_file_at_once() {
    let s = Scratch::new();
    std::fs::create_dir(s.path("cfg")).unwrap();
    s.write(
        "cfg/a.toml",
        "[[party]]\nid = \"aba\"\n[[party]]\nid = \"chengdu\"\n[metric.vat]\nkind = \"tax\"\nquantum = \"0.01\"\ncentral_share = 0.5\n",
    );
    s.write(
        "cfg/b.toml",
        "[zone.z]\nhost = \"chengdu\"\n[[zone.z.agreement]]\nid = \"a\"\nfrom = \"2020-01-01\"\n[[zone.z.agreement.rule]]\nid = \"r\"\nmetrics = [\"vat\"]\nkind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.3\" }\n",
    );
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount\n2025-01,z,E,vat,1.001\n",
    );
    let out = fencheng()
        .current_dir(s.dir.path())
        .args(["check", "--config", "cfg", "--records", "records.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    for needle in [
        "cfg/a.toml:8: TOML float 0.5 is not exact",
        "cfg/b.toml:10: zone.z.agreement.a.rule.r.shares: ratios sum to 0.9, expected exactly 1",
        "records.csv:2: amount:",
    ] {
        assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    }
}

#[test]
fn ids_are_validated_and_detail_names_each_records_file() {
    let s = Scratch::new();
    let cfg = |ag: &str, rule: &str| {
        format!(
            "[[party]]\nid = \"aba\"\n[[party]]\nid = \"chengdu\"\n[metric.vat]\nkind = \"tax\"\nquantum = \"0.01\"\n[zone.z]\nhost = \"chengdu\"\n[[zone.z.agreement]]\nid = \"{ag}\"\nfrom = \"2020-01-01\"\n[[zone.z.agreement.rule]]\nid = \"{rule}\"\nmetrics = [\"vat\"]\nkind = \"fixed\"\nshares = {{ aba = \"0.6\", chengdu = \"0.4\" }}\n"
        )
    };
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount\n2025-01,z,E1,vat,10.00\n",
    );
    for (ag, rule, needle) in [
        ("2021,v2", "tax", "'2021,v2' is not a valid agreement id"),
        (
            "2021",
            "=HYPERLINK(1)",
            "'=HYPERLINK(1)' is not a valid rule id",
        ),
        ("2021", "@tax", "'@tax' is not a valid rule id"),
    ] {
        s.write("config.toml", &cfg(ag, rule));
        let out = s.run(&["--detail"]).code(1);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains("config.toml:") && err.contains(needle),
            "{err}"
        );
    }
    s.write("config.toml", &cfg("2021", "tax"));
    s.write(
        "more.csv",
        "period,zone,entity,metric,amount\n2025-01,z,E2,vat,20.00\n",
    );
    s.run(&["--detail", "--records", "more.csv"]).success();
    let detail = s.read("out/detail.csv");
    assert!(detail.starts_with(
        "line,period,zone,entity,metric,amount,party,ratio,exact_share,rule,agreement,file\n"
    ));
    // Both files have a line 2: the last column tells them apart.
    assert!(
        detail.contains("2,2025-01,z,E1,vat,10.00,aba,0.6,6,tax,2021,records.csv\n"),
        "{detail}"
    );
    assert!(
        detail.contains("2,2025-01,z,E2,vat,20.00,aba,0.6,12,tax,2021,more.csv\n"),
        "{detail}"
    );
}

#[test]
fn an_overflowing_total_is_reported_once_at_the_same_record_for_any_thread_count() {
    let s = Scratch::new();
    s.write(
        "config.toml",
        "[[party]]\nid = \"aba\"\n[[party]]\nid = \"chengdu\"\n[metric.q]\nkind = \"quota\"\nquantum = \"0.000000000000000001\"\n[zone.z]\nhost = \"chengdu\"\n[[zone.z.agreement]]\nid = \"a\"\nfrom = \"2020-01-01\"\n[[zone.z.agreement.rule]]\nid = \"r\"\nmetrics = [\"q\"]\nkind = \"fixed\"\nshares = { aba = \"0.5\", chengdu = \"0.5\" }\n",
    );
    let mut text = String::from("period,zone,entity,metric,amount\n");
    for i in 0..200_000 {
        text.push_str(&format!(
            "2025-01,z,E{i},q,999999999999999.000000000000000001\n"
        ));
    }
    s.write("records.csv", &text);
    // i128::MAX / (10^33 − 10^18 + 1) units ≈ 170141.2: record 170142, on line 170143.
    for threads in ["1", "8"] {
        let out = fencheng()
            .current_dir(s.dir.path())
            .env("FENCHENG_THREADS", threads)
            .args(["run", "--config", "config.toml", "--records", "records.csv"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            err.matches("overflows").count(),
            1,
            "{threads} threads: {err}"
        );
        assert!(
            err.contains("records.csv:170143: cell 2025-01 zone z metric q"),
            "{threads} threads: {err}"
        );
    }
}

fn explain(args: &[&str]) -> std::process::Output {
    common::fencheng_in(
        repo(),
        "explain --config config --records samples/records-2025.csv",
    )
    .args(args)
    .output()
    .unwrap()
}

#[test]
fn explain_traces_negotiated_figures_says_when_a_floor_binds_and_refuses_clearly() {
    // A floor that binds: 青川's 5,000,000 on the pool in January (the worked example
    // of a floor; the shipped configuration now has it as a guarantee, SPEC §14).
    let out = common::fencheng_in(
        &repo().join("tests/data/conformance-2/08-pool-floor-qingchuan-vat-cit"),
        "explain --config config.toml --records records.csv --period 2025-Q1 --zone qingchuan-park --metric vat_cit",
    )
    .output()
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Binds: qingchuan raised to its floor 5000000; the top-up"),
        "{text}"
    );
    assert!(text.contains("taken from guangyuan"), "{text}");
    assert!(
        text.contains("whole units") && !text.contains(" floor  "),
        "{text}"
    );
    // A negotiated figure is traced with --set, as run computes it.
    let set = "zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba=0.7";
    let out = explain(&[
        "--period", "2025-01", "--zone", "cheng-a", "--metric", "vat", "--set", set, "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let aba = v["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["party"] == "aba")
        .unwrap()["amount"]
        .as_str()
        .unwrap()
        .to_string();
    let summary = tempfile::tempdir().unwrap();
    fencheng()
        .current_dir(repo())
        .args([
            "run",
            "--config",
            "config",
            "--records",
            "samples/records-2025.csv",
            "--set",
            set,
            "--out",
        ])
        .arg(summary.path())
        .assert()
        .success();
    let rows = std::fs::read_to_string(summary.path().join("summary.csv")).unwrap();
    assert!(
        rows.contains(&format!("2025-01,cheng-a,vat,aba,{aba}\n")),
        "{aba} not in summary"
    );
    // Mistakes: an entity with no record, a zone with a did-you-mean, csv refused.
    let out = explain(&[
        "--period", "2025-01", "--zone", "cheng-a", "--metric", "vat", "--entity", "NOPE",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--entity 'NOPE': no record of this entity")
            && !err.contains("control totals"),
        "{err}"
    );
    let out = explain(&[
        "--period", "2025-01", "--zone", "cheng-b", "--metric", "vat",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'cheng-a'"));
    let out = explain(&[
        "--period", "2025-01", "--zone", "cheng-a", "--metric", "vat", "--format", "csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_command_line_says_what_is_needed_and_writes_are_checked() {
    let out = fencheng().arg("run").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("--config")
            && err.contains("Usage: fencheng run --config PATH --records FILE"),
        "{err}"
    );
    // A write error on stdout is reported (exit 1); a closed pipe is not an error.
    if std::path::Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("fencheng"))
            .current_dir(repo())
            .args([
                "run",
                "--config",
                "config",
                "--records",
                "samples/records-2025.csv",
            ])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to standard output"));
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("fencheng"))
        .current_dir(repo())
        .args([
            "run",
            "--config",
            "config",
            "--records",
            "samples/records-2025.csv",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // One manual page per subcommand, each with an example and its exit codes.
    let dir = tempfile::tempdir().unwrap();
    fencheng()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    for page in [
        "fencheng.1",
        "fencheng-run.1",
        "fencheng-close.1",
        "fencheng-books.1",
        "fencheng-explain.1",
        "fencheng-verify.1",
        "fencheng-check.1",
        "fencheng-compare.1",
        "fencheng-sweep.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page))
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(
            text.contains("Example") && text.contains("Exit codes"),
            "{page}"
        );
    }
}

#[test]
fn verify_passes_on_a_run_made_with_any_combination_of_options() {
    let s = sample_scratch();
    for f in ["deductions-2025.csv", "entities.csv", "scenario-55-45.toml"] {
        std::fs::copy(repo().join("samples").join(f), s.path(f)).unwrap();
    }
    s.write(
        "expect.csv",
        "period,zone,metric,party,amount\n2025-01,zhe-gan-cheng,vat,ganzi,18237.31\n",
    );
    let set = "zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba=0.7";
    let combos: Vec<Vec<&str>> = vec![
        vec![],
        vec!["--detail", "--bom"],
        vec!["--xlsx", "out/book.xlsx", "--detail"],
        vec!["--xlsx", "book.xlsx"],
        vec![
            "--expect",
            "expect.csv",
            "--scenario",
            "scenario-55-45.toml",
        ],
        vec!["--set", set, "--detail"],
        vec![
            "--deductions",
            "deductions-2025.csv",
            "--entities",
            "entities.csv",
            "--detail",
        ],
        vec![
            "--period",
            "2025-03",
            "--period",
            "2025-04",
            "--detail",
            "--xlsx",
            "out/p.xlsx",
        ],
    ];
    for extra in combos {
        let _ = std::fs::remove_dir_all(s.path("out"));
        let out = run(&s, &extra);
        assert!(
            out.status.success(),
            "{extra:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (code, text) = verify(&s);
        assert_eq!(code, Some(0), "{extra:?}: {text}");
    }
}
