//! Trust II: the books refuse what does not verify, side files lose nothing, no
//! input is ever overwritten — each case as an adversary or a careless officer would
//! try it, through the binary.

use crate::common::{Scratch, config, fencheng_in};

const ZONE: &str = r#"
[zone.cheng-a]
name = "成阿工业园区"
host = "chengdu"

[[zone.cheng-a.agreement]]
id = "2021"
from = "2021-01-01"

[[zone.cheng-a.agreement.rule]]
id = "tax"
metrics = ["vat"]
kind = "fixed"
shares = { aba = "0.6", chengdu = "0.4" }
"#;

fn month(m: u32, amount: &str) -> String {
    format!("period,zone,entity,metric,amount\n2025-{m:02},cheng-a,E1,vat,{amount}\n")
}

/// Books with January and February closed.
fn books() -> Scratch {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("jan.csv", &month(1, "1000.00"));
    s.write("feb.csv", &month(2, "2000.00"));
    s.write("mar.csv", &month(3, "3000.00"));
    for f in ["jan.csv", "feb.csv"] {
        fencheng_in(
            s.dir.path(),
            &format!("close --books b --config config.toml --records {f}"),
        )
        .assert()
        .success();
    }
    s
}

#[test]
fn a_hand_edited_closing_never_becomes_a_payment() {
    let s = books();
    // January's aba share (300.00) lowered by hand.
    let summary = s.read("b/2025-01/summary.csv").replace("300.00", "100.00");
    s.write("b/2025-01/summary.csv", &summary);
    for line in [
        "close --books b --records mar.csv",
        "run --books b --records mar.csv",
        "books balance b",
    ] {
        let out = fencheng_in(s.dir.path(), line).assert().code(1);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains("2025-01/summary.csv"), "{line}: {err}");
        assert!(err.contains("changed since it was booked"), "{line}: {err}");
    }
    assert!(
        !s.path("b/2025-03").exists(),
        "nothing is booked on tampered books"
    );
    // A closing whose settlement.csv is gone is refused too, not read as nothing owed.
    let s = books();
    std::fs::remove_file(s.path("b/2025-02/settlement.csv")).unwrap();
    let out = fencheng_in(s.dir.path(), "books balance b")
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("2025-02/settlement.csv"));
}

#[test]
fn payments_to_oneself_and_amounts_below_the_cent_are_refused() {
    let s = books();
    s.write(
        "payments.csv",
        "date,payer,payee,amount\n2025-03-01,chengdu,chengdu,1.00\n2025-03-02,chengdu,aba,0.0000000000000000000000000001\n2025-03-03,成都市,aba,20000000000.00\n",
    );
    let out = fencheng_in(s.dir.path(), "books balance b --payments payments.csv")
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("payments.csv:2: payee: a payment from 'chengdu' to itself"),
        "{err}"
    );
    assert!(err.contains("payments.csv:3: amount"), "{err}");
    assert!(
        !err.contains("payments.csv:4"),
        "a party's name is accepted: {err}"
    );
    // A payment of 20,000,000,000.00 by name prints its digits, not 0.
    s.write(
        "payments.csv",
        "date,payer,payee,amount\n2025-03-03,成都市,aba,20000000000.00\n",
    );
    let out = fencheng_in(
        s.dir.path(),
        "books balance b --payments payments.csv --format csv",
    )
    .assert()
    .success();
    // Owed: 300.00 + 600.00 (aba's 0.6 of the local halves of 1,000 and 2,000) = 900.00.
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "year,payer,payee,owed,paid,outstanding\n2025,chengdu,aba,900.00,20000000000.00,-19999999100.00\n"
    );
}

#[test]
fn a_statement_prints_only_what_verifies() {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("records.csv", &month(1, "1000.00"));
    s.run(&[]).success();
    let lowered = s.read("out/settlement.csv").replace("300.00", "3.00");
    s.write("out/settlement.csv", &lowered);
    fencheng_in(s.dir.path(), "statement out").assert().code(3);
    assert!(!s.path("out/statements").exists());
}

#[test]
fn an_output_never_overwrites_an_input() {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    let records = s.write("records.csv", &month(1, "1000.00"));
    let before = std::fs::read(&records).unwrap();
    s.run(&["--xlsx", "records.csv"]).code(2);
    s.run(&["--xlsx", "./out/../records.csv"]).code(2);
    assert_eq!(std::fs::read(&records).unwrap(), before);
    s.run(&[]).success();
    let summary = s.read("out/summary.csv");
    s.run(&["--xlsx", "out/summary.csv"]).code(2);
    assert_eq!(s.read("out/summary.csv"), summary);
}

#[test]
fn side_files_lose_no_line() {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("records.csv", &month(1, "1000.00"));
    // A quote left open on line 2 would swallow every later line.
    s.write(
        "deductions.csv",
        "period,zone,metric,amount,reason\n2025-01,cheng-a,vat,10.00,\"award\n2025-01,cheng-a,vat,20.00,cost\n",
    );
    let out = s.run(&["--deductions", "deductions.csv"]).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("deductions.csv:2:"), "{err}");
    // An unquoted 1,000.00 is two fields, not 1.00.
    s.write(
        "deductions.csv",
        "period,zone,metric,amount\n2025-01,cheng-a,vat,1,000.00\n",
    );
    let out = s.run(&["--deductions", "deductions.csv"]).code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("deductions.csv:2:"));
    // Tab-separated, as Excel's "Unicode text" saves it: read as records are.
    s.write(
        "deductions.csv",
        "period\tzone\tmetric\tamount\n2025-01\tcheng-a\tvat\t100.00\n",
    );
    s.run(&["--deductions", "deductions.csv"]).success();
    // Local 500.00 − 100.00 = 400.00: aba 240.00.
    assert!(
        s.read("out/summary.csv")
            .contains("2025-01,cheng-a,vat,aba,240.00")
    );
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    // "数据.csv" in GBK, as a Windows archive names it.
    let name = std::ffi::OsStr::from_bytes(b"\xca\xfd\xbe\xdd.csv");
    std::fs::write(s.dir.path().join(name), month(1, "1000.00")).unwrap();
    let out = crate::common::fencheng()
        .current_dir(s.dir.path())
        .args(["run", "--config", "config.toml", "--records"])
        .arg(name)
        .args(["--out", "out"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        s.read("out/summary.csv")
            .contains("2025-01,cheng-a,vat,aba,300.00")
    );
    // The manifest names the file exactly (its bytes that are not UTF-8 as \xNN), so
    // the run verifies; before, the options were written as null.
    let manifest = s.read("out/manifest.json");
    assert!(
        manifest.contains(r#""\\xCA\\xFD\\xBE\\xDD.csv""#),
        "{manifest}"
    );
    let v: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(
        v["options"]["records"][0], "\\xCA\\xFD\\xBE\\xDD.csv",
        "{manifest}"
    );
    fencheng_in(s.dir.path(), "verify out").assert().success();
    // And the books take it: closed, then verified from its recorded name.
    let out = crate::common::fencheng()
        .current_dir(s.dir.path())
        .args([
            "close",
            "--books",
            "b",
            "--config",
            "config.toml",
            "--records",
        ])
        .arg(name)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fencheng_in(s.dir.path(), "books verify b")
        .assert()
        .success();
}

/// A formula that would exhaust the stack or make exact ratios grow without bound is
/// refused at its line, by `check` and `run` alike, never a crash.
#[test]
fn formulas_are_bounded_and_located() {
    let rule = |f: &str| {
        ZONE.replace(
            "kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }",
            &format!("kind = \"formula\"\nshares = {{ aba = \"{f}\", chengdu = \"rest\" }}"),
        )
    };
    let deep = format!("{}0.5{}", "(".repeat(3000), ")".repeat(3000));
    let signs = format!("{}0.5", "-".repeat(30000));
    let terms = vec!["0.00001"; 20001].join("+");
    let nested = format!("{}0.5{}", "-(".repeat(100), ")".repeat(100));
    for f in [deep, signs, terms, nested] {
        let s = Scratch::new();
        s.write("config.toml", &config(&rule(&f)));
        s.write("records.csv", &month(1, "1000.00"));
        for line in [
            "check --config config.toml",
            "run --config config.toml --records records.csv",
        ] {
            let out = fencheng_in(s.dir.path(), line).assert().code(1);
            let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
            assert!(err.contains("config.toml:"), "{line}: {err}");
        }
    }
    // 200 tiny factors parse, but their product has ~1,200 digits: refused when
    // evaluated, in milliseconds, rather than minutes of exact arithmetic.
    let s = Scratch::new();
    s.write(
        "config.toml",
        &config(&rule(&vec!["0.999999"; 200].join("*"))),
    );
    s.write("records.csv", &month(1, "1000.00"));
    let out = s.run(&["--detail"]).code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("digits"));
}

#[test]
fn projection_rates_are_validated_with_a_message() {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("records.csv", &month(1, "1000.00"));
    for bad in [
        "--discount=-1",
        "--discount=-2",
        "--growth=-1",
        "--discount=0.123456789",
    ] {
        let out = fencheng_in(
            s.dir.path(),
            &format!("project --config config.toml --records records.csv --to 2027 {bad}"),
        )
        .assert()
        .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.starts_with("error: "), "{bad}: {err}");
        assert!(!err.contains("panicked"), "{bad}: {err}");
    }
}

/// A close of March and April (one file of both months) killed after March was put in
/// place (the test-only fault point).
fn killed_between_march_and_april(s: &Scratch) {
    s.write(
        "mar-apr.csv",
        "period,zone,entity,metric,amount\n2025-03,cheng-a,E1,vat,30.00\n2025-04,cheng-a,E1,vat,40.00\n",
    );
    let out = crate::common::fencheng()
        .current_dir(s.dir.path())
        .env("FENCHENG_FAULT_AFTER", "1")
        .args(["close", "--books", "b", "--records", "mar-apr.csv"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(99),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_close_killed_between_its_periods_is_completed_by_the_next_one() {
    let s = books();
    killed_between_march_and_april(&s);
    assert!(s.path("b/2025-03").is_dir() && !s.path("b/2025-04").exists());
    // The books say they are incomplete rather than pass for whole.
    let out = fencheng_in(s.dir.path(), "books status b").assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("interrupted"));
    // The next close completes it first, then books what it was given.
    s.write("may.csv", &month(5, "50.00"));
    let out = fencheng_in(s.dir.path(), "close --books b --records may.csv")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("2025-04"));
    for p in ["2025-03", "2025-04", "2025-05"] {
        assert!(s.path("b").join(p).is_dir(), "{p}");
    }
    assert!(
        std::fs::read_dir(s.path("b"))
            .unwrap()
            .flatten()
            .all(|e| { !e.file_name().to_string_lossy().starts_with(".tmp-") })
    );
    fencheng_in(s.dir.path(), "books verify b")
        .assert()
        .success();
}

#[cfg(unix)]
#[test]
fn a_lock_that_is_a_link_is_refused() {
    let s = books();
    let target = s.path("elsewhere");
    std::fs::remove_file(s.path("b/.lock")).unwrap();
    std::os::unix::fs::symlink(&target, s.path("b/.lock")).unwrap();
    fencheng_in(s.dir.path(), "close --books b --records mar.csv")
        .assert()
        .code(1);
    assert!(!target.exists(), "nothing is created where the link points");
}

#[test]
fn a_late_deduction_of_an_entity_anchored_rule_finds_its_booked_cell() {
    let s = Scratch::new();
    let zone = ZONE.replace(
        "kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }",
        "kind = \"schedule\"\nanchor = \"entity_start\"\nphases = [{ years = 5, shares = { aba = \"0.6\", chengdu = \"0.4\" } }, { shares = { aba = \"0.5\", chengdu = \"0.5\" } }]",
    );
    s.write("config.toml", &config(&zone));
    s.write(
        "jan.csv",
        "period,zone,entity,metric,amount,entity_start\n2025-01,cheng-a,E1,vat,1000.00,2022-01-01\n",
    );
    s.write(
        "feb.csv",
        "period,zone,entity,metric,amount,entity_start\n2025-02,cheng-a,E1,vat,10.00,2022-01-01\n",
    );
    s.write(
        "late.csv",
        "period,zone,metric,amount,entity,reason\n2025-01,cheng-a,vat,100.00,E1,award\n",
    );
    fencheng_in(
        s.dir.path(),
        "close --books b --config config.toml --records jan.csv",
    )
    .assert()
    .success();
    // run accepts the same lines; close must too: E1's January records are booked.
    fencheng_in(
        s.dir.path(),
        "close --books b --records feb.csv --deductions late.csv",
    )
    .assert()
    .success();
    // January's local 500.00 less the award 100.00 = 400.00, 6:4: aba 300 → 240.
    assert_eq!(
        s.read("b/2025-02/adjustments.csv"),
        "period,adjusts,zone,metric,party,amount\n\
         2025-02,2025-01,cheng-a,vat,aba,-60.00\n\
         2025-02,2025-01,cheng-a,vat,chengdu,-40.00\n\
         2025-02,2025-01,cheng-a,vat,deduction,100.00\n"
    );
    fencheng_in(s.dir.path(), "books verify b")
        .assert()
        .success();
}

#[test]
fn check_reports_the_records_beside_a_key_of_the_wrong_type() {
    let s = Scratch::new();
    // `name = 5` is TOML, but not a name; `colour` is no key of a zone. Both are
    // reported at their lines, and the records are still checked against the rest.
    let zone = ZONE.replace("name = \"成阿工业园区\"", "name = 5\ncolour = \"red\"");
    s.write("config.toml", &config(&zone));
    s.write(
        "r.csv",
        "period,zone,entity,metric,amount\n2025-01,cheng-a,E1,vat,1_000.00\n2025-13,cheng-a,E1,vat,1.00\n2025-01,nowhere,E1,vat,1.00\n",
    );
    let out = fencheng_in(s.dir.path(), "check --config config.toml --records r.csv")
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let line_of = |needle: &str| {
        config(&zone)
            .lines()
            .position(|l| l.starts_with(needle))
            .map(|i| i + 1)
    };
    let name = format!(
        "config.toml:{}: invalid type: integer `5`",
        line_of("name = 5").unwrap()
    );
    let colour = format!(
        "config.toml:{}: unknown key `colour`",
        line_of("colour").unwrap()
    );
    assert!(err.contains(&name), "{err}");
    assert!(err.contains(&colour), "{err}");
    assert!(err.contains("r.csv:2: amount: '1_000.00'"), "{err}");
    assert!(err.contains("r.csv:3: period: '2025-13'"), "{err}");
    assert!(err.contains("r.csv:4: zone"), "{err}");
    // run refuses the configuration alone, as before.
    let out = fencheng_in(s.dir.path(), "run --config config.toml --records r.csv")
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains(&name) && !err.contains("r.csv"), "{err}");
}

#[test]
fn books_verify_finds_a_closing_holding_a_period_the_books_lack() {
    let s = books();
    killed_between_march_and_april(&s);
    // The journal and the temporary directory cleaned away by hand: March is there,
    // holding April's line, and April is not.
    std::fs::remove_file(s.path("b/.closing")).unwrap();
    for e in std::fs::read_dir(s.path("b")).unwrap().flatten() {
        if e.file_name().to_string_lossy().starts_with(".tmp-") {
            std::fs::remove_dir_all(e.path()).unwrap();
        }
    }
    let out = fencheng_in(s.dir.path(), "books verify b").assert().code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("2025-03/manifest.json") && err.contains("also closed 2025-04"),
        "{err}"
    );
}

#[test]
fn verify_of_a_changed_output_names_its_first_differing_line() {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("records.csv", &month(1, "1000.00"));
    s.run(&[]).success();
    // aba's 300.00 lowered by hand.
    let summary = s.read("out/summary.csv");
    assert!(
        summary.contains("2025-01,cheng-a,vat,aba,300.00"),
        "{summary}"
    );
    s.write(
        "out/summary.csv",
        &summary.replace("aba,300.00", "aba,299.00"),
    );
    let out = fencheng_in(s.dir.path(), "verify out --lang en")
        .assert()
        .code(3);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let line = summary
        .lines()
        .position(|l| l.contains("aba,300.00"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("summary.csv: differs at line {line}")) && err.contains("aba,299.00"),
        "{err}"
    );
    // Never advice that would overwrite the evidence.
    assert!(!err.contains("repair"), "{err}");
}

#[test]
fn a_payment_between_parties_that_owe_nothing_is_reported() {
    let s = books();
    // chengdu owes aba (the settlement); nothing is owed between aba and ganzi.
    s.write(
        "payments.csv",
        "date,payer,payee,amount\n2025-03-01,chengdu,aba,100.00\n2025-03-02,aba,ganzi,5.00\n",
    );
    let out = fencheng_in(
        s.dir.path(),
        "books balance b --payments payments.csv --lang en",
    )
    .assert()
    .success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("2025: payments from 'aba' to 'ganzi', who owe each other nothing"),
        "{err}"
    );
    assert!(!err.contains("'chengdu'"), "{err}");
    // The table for people in Chinese; the CSV keeps its column names.
    let out = fencheng_in(
        s.dir.path(),
        "books balance b --payments payments.csv --lang zh",
    )
    .assert()
    .success();
    let table = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        table.contains("付款方") && table.contains("未付"),
        "{table}"
    );
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("互不欠款"));
}
