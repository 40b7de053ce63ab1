//! The books (SPEC §9): the shared worked examples step by step, byte for byte, and
//! the promises around them — refusals change nothing, `books verify` finds any flipped
//! byte, a lock keeps two closings apart.

use crate::common;

use common::{fencheng, fencheng_in, repo};
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

const CONFIG: &str = r#"
[[party]]
id = "guangan"
[[party]]
id = "cq-yubei"
[metric.vat]
kind = "tax"
quantum = "0.01"
central_share = "0.5"
[zone.g]
host = "guangan"
[[zone.g.agreement]]
id = "a"
from = "2024-01-01"
[[zone.g.agreement.rule]]
id = "r"
metrics = ["vat"]
kind = "base_increment"
base_owner = "guangan"
base = "1000.00"
shares = { guangan = "0.4", cq-yubei = "0.6" }
"#;

/// A books directory with three monthly closings and a late record; returns it.
fn three_months() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(t.path().join(name), text).unwrap();
    w("config.toml", CONFIG);
    w(
        "jan.csv",
        "period,zone,entity,metric,amount\n2025-01,g,E1,vat,1500.00\n",
    );
    w(
        "feb.csv",
        "period,zone,entity,metric,amount\n2025-02,g,E1,vat,1000.01\n",
    );
    w(
        "mar.csv",
        "period,zone,entity,metric,amount\n2025-03,g,E2,vat,400.00\n",
    );
    w(
        "late.csv",
        "period,zone,entity,metric,amount\n2025-01,g,E1,vat,-300.00\n",
    );
    let books = t.path().join("books");
    for args in [&["jan.csv"][..], &["feb.csv"], &["mar.csv", "late.csv"]] {
        let mut cmd = fencheng();
        cmd.current_dir(t.path())
            .args(["close", "--config", "config.toml", "--books", "books"]);
        for a in args {
            cmd.args(["--records", a]);
        }
        cmd.assert().success();
    }
    (t, books)
}

#[test]
fn a_late_refund_is_booked_as_an_adjustment_and_the_year_adds_up() {
    let (t, books) = three_months();
    // Jan 1500.00 → central 750.00, T 750.00 ≤ base → guangan 750.00.
    // Feb 1000.01 → central 500.01, T 500.00, Y 1250.00 → inc 250.00 → guangan 100.00,
    //   cq 150.00 → Feb: guangan 250.00 (1100 − 750... A = 1000 + 100 = 1100.00), cq 150.00.
    // Mar + late −300.00 in Jan: Jan cell 1200.00 → central 600.00, T 600.00;
    //   truth Y: Jan 600.00, Feb 1100.00 (A = 1040.00 / 60.00), Mar T 200.00 → Y 1300.00
    //   (A = 1120.00 / 180.00, so March itself is 80.00 / 120.00).
    //   adjustments: Jan central −150.00, guangan −150.00; Feb guangan 1040.00 − 600.00 = 440.00
    //   vs booked 350.00 → +90.00, cq 60.00 − 150.00 = −90.00.
    let adj = std::fs::read_to_string(books.join("2025-03/adjustments.csv")).unwrap();
    assert_eq!(
        adj,
        "period,adjusts,zone,metric,party,amount\n\
         2025-03,2025-01,g,vat,central,-150.00\n\
         2025-03,2025-01,g,vat,guangan,-150.00\n\
         2025-03,2025-02,g,vat,cq-yubei,-90.00\n\
         2025-03,2025-02,g,vat,guangan,90.00\n"
    );
    // Σ of the closings' summaries and adjustments = one run of every file.
    let mut booked: BTreeMap<String, i128> = BTreeMap::new();
    for p in ["2025-01", "2025-02", "2025-03"] {
        for (file, party_col) in [("summary.csv", 3), ("adjustments.csv", 4)] {
            let text = std::fs::read_to_string(books.join(p).join(file)).unwrap();
            for l in text.lines().skip(1) {
                let f: Vec<&str> = l.split(',').collect();
                let cents = (f[party_col + 1].parse::<f64>().unwrap() * 100.0).round() as i128;
                *booked.entry(f[party_col].to_string()).or_default() += cents;
            }
        }
    }
    let out = fencheng_in(t.path(), "run --config config.toml --records jan.csv --records feb.csv --records mar.csv --records late.csv --format csv")
        .output()
        .unwrap();
    let mut once: BTreeMap<String, i128> = BTreeMap::new();
    for l in String::from_utf8_lossy(&out.stdout).lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let cents = (f[f.len() - 1].parse::<f64>().unwrap() * 100.0).round() as i128;
        *once.entry(f[1].to_string()).or_default() += cents;
    }
    assert_eq!(booked, once);
    // Settlement of March: its own rows plus its adjustments: cq 120.00 − 90.00 =
    // 30.00, paid by the host guangan.
    assert_eq!(
        std::fs::read_to_string(books.join("2025-03/settlement.csv")).unwrap(),
        "period,payer,payee,amount\n2025-03,guangan,cq-yubei,30.00\n"
    );
    let status = fencheng()
        .args(["books", "status"])
        .arg(&books)
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("2025-03") && status.contains(" ok "),
        "{status}"
    );
    // March's own record and its totals; the late line counted and totalled apart
    // (its −300.00 is January's, booked as adjustments).
    let lines: Vec<&str> = status.lines().collect();
    assert_eq!(
        lines[0],
        "period    records  late  adjustments  chain  input total per metric"
    );
    assert_eq!(
        lines[3], "2025-03       1     1            4  ok     vat 400.00",
        "{status}"
    );
    assert_eq!(
        lines[4],
        "          late lines (earlier periods, booked as adjustments): vat -300.00"
    );
    // Reopening a closing that is not the latest: the books say no (exit 1), under
    // their own heading.
    let out = fencheng()
        .args(["--lang", "en", "books", "reopen"])
        .arg(&books)
        .arg("2025-02")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid books:") && err.contains("2025-03"),
        "{err}"
    );
}

#[test]
fn books_verify_finds_any_flipped_byte_and_a_changed_booked_file() {
    let (t, books) = three_months();
    fencheng()
        .args(["books", "verify"])
        .arg(&books)
        .assert()
        .success();
    let files = snapshot(&books);
    for (rel, bytes) in &files {
        if rel.starts_with(".reopened") {
            continue;
        }
        for pos in [0, bytes.len() / 2, bytes.len() - 2] {
            let mut flipped = bytes.clone();
            flipped[pos] ^= 0x01;
            std::fs::write(books.join(rel), &flipped).unwrap();
            let out = fencheng()
                .args(["books", "verify"])
                .arg(&books)
                .output()
                .unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let closing = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .into_owned();
            assert_eq!(out.status.code(), Some(3), "{rel:?} byte {pos}: {text}");
            assert!(text.contains(&closing), "{rel:?} byte {pos}: {text}");
            std::fs::write(books.join(rel), bytes).unwrap();
        }
        // Saved again by an editor: CRLF line ends, or the last line end dropped. The
        // replay compares bytes, not lines (it once let both through).
        if rel.extension().is_some_and(|e| e == "csv") {
            let text = String::from_utf8(bytes.clone()).unwrap();
            for edited in [text.replace('\n', "\r\n"), text.trim_end().to_string()] {
                std::fs::write(books.join(rel), edited).unwrap();
                let out = fencheng()
                    .args(["books", "verify"])
                    .arg(&books)
                    .output()
                    .unwrap();
                assert_eq!(out.status.code(), Some(3), "{rel:?} re-saved");
                std::fs::write(books.join(rel), bytes).unwrap();
            }
        }
    }
    fencheng()
        .args(["books", "verify"])
        .arg(&books)
        .assert()
        .success();
    // A booked records file that changed: named, with its closing.
    std::fs::write(
        t.path().join("feb.csv"),
        "period,zone,entity,metric,amount\n2025-02,g,E1,vat,1000.02\n",
    )
    .unwrap();
    let out = fencheng()
        .args(["books", "verify"])
        .arg(&books)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("feb.csv") && err.contains("closing 2025-02"),
        "{err}"
    );
}

#[test]
fn refusals_leave_the_books_alone() {
    let (t, books) = three_months();
    let before = snapshot(&books);
    let close = |args: &[&str]| {
        fencheng()
            .current_dir(t.path())
            .args(["close", "--config", "config.toml", "--books", "books"])
            .args(args)
            .output()
            .unwrap()
    };
    let w = |name: &str, text: &str| std::fs::write(t.path().join(name), text).unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--records", "jan.csv", "--period", "2025-04"],
            "already booked by closing 2025-01",
        ),
        (vec!["--records", "late2.csv"], "give --period P"),
        (vec!["--records", "q.csv"], "one granularity"),
        (
            vec!["--records", "apr.csv", "--period", "2025-03"],
            "not after the latest closed period",
        ),
        (
            vec!["--records", "may.csv", "--period", "2025-04"],
            "after --period 2025-04",
        ),
    ];
    w(
        "late2.csv",
        "period,zone,entity,metric,amount\n2025-02,g,E9,vat,1.00\n",
    );
    w(
        "q.csv",
        "period,zone,entity,metric,amount\n2025-Q2,g,E9,vat,1.00\n",
    );
    w(
        "apr.csv",
        "period,zone,entity,metric,amount\n2025-04,g,E9,vat,1.00\n",
    );
    w(
        "may.csv",
        "period,zone,entity,metric,amount\n2025-05,g,E9,vat,1.00\n",
    );
    for (args, needle) in cases {
        let out = close(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains(needle),
            "{args:?}: expected {needle:?} in {err}"
        );
        assert_eq!(snapshot(&books), before, "{args:?} changed the books");
    }
    // A booked file that is gone: named with its closing.
    std::fs::rename(t.path().join("feb.csv"), t.path().join("feb.moved")).unwrap();
    let out = close(&["--records", "apr.csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("feb.csv") && err.contains("closing 2025-02"),
        "{err}"
    );
    assert_eq!(snapshot(&books), before);
    std::fs::rename(t.path().join("feb.moved"), t.path().join("feb.csv")).unwrap();
    // A foreign directory inside the books.
    std::fs::create_dir(books.join("photos")).unwrap();
    let out = close(&["--records", "apr.csv"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a books directory"));
    std::fs::remove_dir(books.join("photos")).unwrap();
    // Only the latest closing can be reopened; it is moved, not deleted.
    let r = fencheng()
        .args(["books", "reopen"])
        .arg(&books)
        .arg("2025-02")
        .output()
        .unwrap();
    // Not the latest closing: what the books hold, a data problem (exit 1).
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(snapshot(&books), before);
    fencheng()
        .args(["books", "reopen"])
        .arg(&books)
        .arg("2025-03")
        .assert()
        .success();
    assert!(!books.join("2025-03").exists());
    let moved: Vec<_> = std::fs::read_dir(books.join(".reopened"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(moved.len(), 1);
    assert!(
        moved[0]
            .file_name()
            .to_string_lossy()
            .starts_with("2025-03-")
    );
    // The late file can be booked again now that its closing is reopened.
    close(&["--records", "mar.csv", "--records", "late.csv"]);
    fencheng()
        .args(["books", "verify"])
        .arg(&books)
        .assert()
        .success();
}

#[test]
fn a_second_close_on_the_same_books_fails_clearly_while_the_first_holds_the_lock() {
    let (t, books) = three_months();
    std::fs::write(
        t.path().join("apr.csv"),
        "period,zone,entity,metric,amount\n2025-04,g,E9,vat,1.00\n",
    )
    .unwrap();
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(books.join(".lock"))
        .unwrap();
    lock.lock().unwrap();
    let out = fencheng_in(
        t.path(),
        "close --config config.toml --books books --records apr.csv",
    )
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(err.contains("another fencheng close"), "{err}");
    assert!(!books.join("2025-04").exists());
    lock.unlock().unwrap();
    fencheng_in(
        t.path(),
        "close --config config.toml --books books --records apr.csv",
    )
    .assert()
    .success();
}

#[test]
fn balance_nets_settlements_and_payments_per_year() {
    let (t, books) = three_months();
    // Settlements: Jan none (all to guangan); Feb guangan → cq 150.00; Mar 30.00.
    std::fs::write(
        t.path().join("pay.csv"),
        "日期,付款方,收款方,金额,凭证号\n2025/3/10,guangan,cq-yubei,150,转账001\n",
    )
    .unwrap();
    let out = fencheng()
        .args(["books", "balance"])
        .arg(&books)
        .arg("--payments")
        .arg(t.path().join("pay.csv"))
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "year,payer,payee,owed,paid,outstanding\n2025,guangan,cq-yubei,180.00,150.00,30.00\n"
    );
    std::fs::write(
        t.path().join("pay.csv"),
        "date,payer,payee,amount\n2025-13-01,guangan,nobody,1.00\n",
    )
    .unwrap();
    let out = fencheng()
        .args(["books", "balance"])
        .arg(&books)
        .arg("--payments")
        .arg(t.path().join("pay.csv"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("pay.csv:2: date:") && err.contains("pay.csv:2: payee: 'nobody'"),
        "{err}"
    );
}

mod property {
    use fencheng::cli::Inputs;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    const RULES: [&str; 4] = [
        "kind = \"fixed\"\nshares = { guangan = \"0.35\", cq-yubei = \"0.65\" }",
        "kind = \"base_increment\"\nbase_owner = \"guangan\"\nbase = \"2000.00\"\nshares = { guangan = \"0.4\", cq-yubei = \"0.6\" }",
        "kind = \"tiered\"\ntiers = [ { upto = \"1500.00\", shares = { guangan = \"0.5\", cq-yubei = \"0.5\" } }, { shares = { guangan = \"0.2\", cq-yubei = \"0.8\" } } ]",
        "kind = \"fixed\"\nshares = { guangan = \"0.7\", cq-yubei = \"0.3\" }\nfloor = { cq-yubei = \"900.00\" }",
    ];

    fn inputs(dir: &Path, records: Vec<PathBuf>) -> Inputs {
        Inputs {
            config: dir.join("config.toml"),
            records,
            encoding: fencheng::input::Encoding::Auto,
            delimiter: None,
            deductions: Vec::new(),
            entities: None,
            profile: None,
        }
    }

    /// Σ per (zone, metric, party) of a figures file's last column.
    fn add(path: &Path, acc: &mut BTreeMap<String, i128>) {
        let text = std::fs::read_to_string(path).unwrap();
        for l in text.lines().skip(1) {
            let f: Vec<&str> = l.split(',').collect();
            let n = f.len();
            let (int, frac) = f[n - 1].split_once('.').unwrap();
            let neg = int.starts_with('-');
            let cents = int.trim_start_matches('-').parse::<i128>().unwrap() * 100
                + frac.parse::<i128>().unwrap();
            *acc.entry(format!("{},{},{}", f[n - 4], f[n - 3], f[n - 2]))
                .or_default() += if neg { -cents } else { cents };
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// SPEC §9.1: whatever arrives late, Σ over the year's closings of summary +
        /// adjustments = one run of every record, to the unit, per (zone, metric, party).
        #[test]
        fn closings_add_up_to_the_truth(
            kind in 0usize..4,
            recs in prop::collection::vec((1u32..=6, 0u32..=3, -50_000i128..300_000), 1..25)) {
            let t = tempfile::tempdir().unwrap();
            let dir = t.path();
            let cfg = format!("[[party]]\nid = \"guangan\"\n[[party]]\nid = \"cq-yubei\"\n[metric.vat]\nkind = \"tax\"\nquantum = \"0.01\"\ncentral_share = \"0.5\"\n[zone.g]\nhost = \"guangan\"\n[[zone.g.agreement]]\nid = \"a\"\nfrom = \"2024-01-01\"\n[[zone.g.agreement.rule]]\nid = \"r\"\nmetrics = [\"vat\"]\n{}\n", RULES[kind]);
            std::fs::write(dir.join("config.toml"), cfg).unwrap();
            // Record i of month m arrives in month m + delay (late when delay > 0).
            let mut files = Vec::new();
            for step in 1..=9u32 {
                let mut text = format!("period,zone,entity,metric,amount,arrived_{step}\n");
                for (i, (m, delay, cents)) in recs.iter().enumerate() {
                    if m + delay == step {
                        let sign = if *cents < 0 { "-" } else { "" };
                        text.push_str(&format!("2025-{m:02},g,E{i},vat,{sign}{}.{:02},\n", cents.abs() / 100, cents.abs() % 100));
                    }
                }
                let p = dir.join(format!("step{step}.csv"));
                std::fs::write(&p, text).unwrap();
                let books = dir.join("books");
                fencheng::commands::close::close(&inputs(dir, vec![p.clone()]), &books, Some(&format!("2025-{step:02}")), None).unwrap();
                files.push(p);
            }
            let mut booked = BTreeMap::new();
            for step in 1..=9u32 {
                let c = dir.join("books").join(format!("2025-{step:02}"));
                add(&c.join("summary.csv"), &mut booked);
                add(&c.join("adjustments.csv"), &mut booked);
            }
            let out = dir.join("once");
            fencheng::commands::run::run(&fencheng::cli::RunArgs {
                inputs: inputs(dir, files),
                out: Some(out.clone()),
                format: fencheng::output::totals::Format::Csv,
                ..Default::default()
            })
            .unwrap();
            let mut once = BTreeMap::new();
            add(&out.join("summary.csv"), &mut once);
            booked.retain(|_, v| *v != 0);
            once.retain(|_, v| *v != 0);
            prop_assert_eq!(booked, once);
        }
    }
}

#[test]
fn a_year_to_date_zone_fed_one_month_warns_and_run_period_limits_the_outputs() {
    let (t, books) = three_months();
    // March alone: the base_increment rule would start its year in March.
    let out = fencheng()
        .current_dir(t.path())
        .args(["run", "--config", "config.toml", "--records", "mar.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "zone g metric vat: year-to-date starts at 2025-03: feed the whole year or use --books"
        ),
        "{err}"
    );
    // The whole quarter, March only written: March's share uses January and February.
    fencheng_in(t.path(), "run --config config.toml --records jan.csv --records feb.csv --records mar.csv --period 2025-03 --out q")
        .assert()
        .success()
        .stderr("");
    assert_eq!(
        std::fs::read_to_string(t.path().join("q/summary.csv")).unwrap(),
        // Y before = 1250.00 (A 1100.00 / 150.00); T 200.00 → Y 1450.00 (A 1180.00 / 270.00).
        "period,zone,metric,party,amount\n2025-03,g,vat,central,200.00\n2025-03,g,vat,cq-yubei,120.00\n2025-03,g,vat,guangan,80.00\n"
    );
    fencheng()
        .current_dir(t.path())
        .args(["verify", "q"])
        .assert()
        .success();
    // run --books: what close would book, the books untouched.
    let before = snapshot(&books);
    std::fs::write(
        t.path().join("apr.csv"),
        "period,zone,entity,metric,amount\n2025-04,g,E1,vat,100.00\n2025-02,g,E1,vat,0.02\n",
    )
    .unwrap();
    let out = fencheng_in(
        t.path(),
        "run --config config.toml --books books --records apr.csv --out prov",
    )
    .output()
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("provisional") && text.contains("would close 2025-04"),
        "{text}"
    );
    assert!(
        text.contains("adjusts 2025-02 g vat central: 0.01"),
        "{text}"
    );
    assert_eq!(snapshot(&books), before);
    assert!(t.path().join("prov/adjustments.csv").exists());
}

#[test]
fn explain_against_the_books_shows_booked_truth_adjustment_and_the_late_record() {
    let (t, books) = three_months();
    std::fs::write(
        t.path().join("late2.csv"),
        "period,zone,entity,metric,amount\n2025-01,g,E7,vat,0.03\n",
    )
    .unwrap();
    let out = fencheng()
        .current_dir(t.path())
        .args(["explain", "--config", "config.toml", "--books"])
        .arg(&books)
        .args([
            "--records",
            "late2.csv",
            "--period",
            "2025-01",
            "--zone",
            "g",
            "--metric",
            "vat",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // Jan booked 750.00 / 750.00 by its closing, −150.00 each by March's adjustment;
    // the truth with late2.csv: 1200.03 → central 600.02 (600.015), T 600.01.
    assert!(text.contains("closing 2025-01"), "{text}");
    assert!(
        text.contains("central                    600.00           600.02             0.02"),
        "{text}"
    );
    assert!(
        text.contains("guangan                    600.00           600.01             0.01"),
        "{text}"
    );
    assert!(
        text.contains("late.csv:2  E1  -300.00") && text.contains("late2.csv:2  E7  0.03"),
        "{text}"
    );
}
