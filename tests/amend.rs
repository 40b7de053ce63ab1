//! Amendments (SPEC §15): the books keep the standing inputs they booked with; a
//! forgotten file uses the latest closing's copy, an edited agreement that moves booked
//! figures is refused without `--amend`, and booked as adjustments with it.

use crate::common::{Scratch, config, fencheng_in};

const ZONE: &str = r#"
[zone.gaozhu]
name = "川渝高竹新区"
host = "guangan"

[[zone.gaozhu.agreement]]
id = "2024"
from = "2024-01-01"

[[zone.gaozhu.agreement.rule]]
id = "stock"
metrics = ["vat"]
kind = "fixed"
applies_to = { tag = "stock" }
shares = { guangan = "1" }

[[zone.gaozhu.agreement.rule]]
id = "new"
metrics = ["vat"]
kind = "fixed"
shares = { guangan = "0.5", cq-yubei = "0.5" }
"#;

fn books() -> Scratch {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("entities.csv", "entity,tags\nSTOCK,stock\nNEW,\n");
    s.write(
        "jan.csv",
        "period,zone,entity,metric,amount\n2025-01,gaozhu,STOCK,vat,1000.00\n2025-01,gaozhu,NEW,vat,1000.00\n",
    );
    s.write(
        "feb.csv",
        "period,zone,entity,metric,amount\n2025-02,gaozhu,NEW,vat,200.00\n",
    );
    fencheng_in(
        s.dir.path(),
        "close --books b --config config.toml --entities entities.csv --records jan.csv",
    )
    .assert()
    .success();
    s
}

fn tree(s: &Scratch) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![s.path("b")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else if e.file_name() != ".lock" {
                out.push((
                    e.path().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_forgotten_entities_file_gives_the_same_closing_as_with_it() {
    let a = books();
    let with = fencheng_in(
        a.dir.path(),
        "close --books b --config config.toml --entities entities.csv --records feb.csv",
    )
    .assert()
    .success();
    let b = books();
    let without = fencheng_in(b.dir.path(), "close --books b --records feb.csv")
        .assert()
        .success();
    let err = String::from_utf8_lossy(&without.get_output().stderr).to_string();
    assert!(err.contains("latest closing's copy"), "{err}");
    assert_eq!(with.get_output().stdout, without.get_output().stdout);
    for f in ["summary.csv", "adjustments.csv", "settlement.csv"] {
        assert_eq!(
            a.read(&format!("b/2025-02/{f}")),
            b.read(&format!("b/2025-02/{f}"))
        );
    }
    // No adjustment: the stock enterprise still goes to guangan alone.
    assert_eq!(
        b.read("b/2025-02/adjustments.csv"),
        "period,adjusts,zone,metric,party,amount\n"
    );
}

#[test]
fn an_edited_ratio_is_refused_then_booked_with_amend() {
    let s = books();
    s.write(
        "config2.toml",
        &config(&ZONE.replace(
            "guangan = \"0.5\", cq-yubei = \"0.5\"",
            "guangan = \"0.6\", cq-yubei = \"0.4\"",
        )),
    );
    let before = tree(&s);
    let out = fencheng_in(
        s.dir.path(),
        "close --books b --config config2.toml --records feb.csv",
    )
    .assert()
    .code(1)
    .get_output()
    .stderr
    .clone();
    let err = String::from_utf8_lossy(&out);
    // NEW's 1,000.00 in January: local 500.00, 0.5 → 250.00 each; at 0.6 / 0.4,
    // guangan 300.00 and cq-yubei 200.00.
    assert!(
        err.contains("zone.gaozhu.agreement.2024.rule.new.shares.guangan: 0.5 → 0.6"),
        "{err}"
    );
    assert!(
        err.contains("2025-01 gaozhu vat cq-yubei: booked 250.00, now 200.00"),
        "{err}"
    );
    assert_eq!(tree(&s), before, "the books must be unchanged");
    // --amend "" is a usage error.
    fencheng_in(
        s.dir.path(),
        "close --books b --config config2.toml --records feb.csv",
    )
    .args(["--amend", ""])
    .assert()
    .code(2);
    fencheng_in(
        s.dir.path(),
        "close --books b --config config2.toml --records feb.csv",
    )
    .args(["--amend", "补充协议 第二条"])
    .assert()
    .success();
    assert_eq!(
        s.read("b/2025-02/adjustments.csv"),
        "period,adjusts,zone,metric,party,amount\n\
         2025-02,2025-01,gaozhu,vat,cq-yubei,-50.00\n\
         2025-02,2025-01,gaozhu,vat,guangan,50.00\n"
    );
    let m = s.read("b/2025-02/manifest.json");
    assert!(m.contains("\"reason\": \"补充协议 第二条\""), "{m}");
    let status = fencheng_in(s.dir.path(), "books status b")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&status.get_output().stdout).contains("补充协议 第二条"));
    fencheng_in(s.dir.path(), "books verify b")
        .assert()
        .success();
}

#[test]
fn an_entities_change_touching_only_unbooked_enterprises_is_not_refused() {
    let s = books();
    s.write(
        "entities2.csv",
        "entity,tags\nSTOCK,stock\nNEW,\nLATER,stock\n",
    );
    s.write(
        "mar.csv",
        "period,zone,entity,metric,amount\n2025-03,gaozhu,LATER,vat,100.00\n",
    );
    fencheng_in(
        s.dir.path(),
        "close --books b --entities entities2.csv --records mar.csv",
    )
    .assert()
    .success();
    assert!(
        s.read("b/2025-03/summary.csv")
            .contains("2025-03,gaozhu,vat,guangan,50.00")
    );
}

#[test]
fn close_without_config_and_without_books_is_a_usage_error() {
    let s = Scratch::new();
    s.write("jan.csv", "period,zone,entity,metric,amount\n");
    fencheng_in(s.dir.path(), "close --books b --records jan.csv")
        .assert()
        .code(2);
    fencheng_in(s.dir.path(), "run --records jan.csv")
        .assert()
        .code(2);
}

#[test]
fn explain_against_the_books_splits_late_lines_from_the_amendment() {
    let s = books();
    s.write(
        "config2.toml",
        &config(&ZONE.replace(
            "guangan = \"0.5\", cq-yubei = \"0.5\"",
            "guangan = \"0.6\", cq-yubei = \"0.4\"",
        )),
    );
    s.write(
        "late.csv",
        "period,zone,entity,metric,amount\n2025-01,gaozhu,NEW,vat,100.00\n",
    );
    let out = fencheng_in(
        s.dir.path(),
        "explain --books b --config config2.toml --records late.csv --period 2025-01 --zone gaozhu --metric vat",
    )
    .assert()
    .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // Late 100.00: local 50.00 at 0.6 / 0.4 → guangan 30.00, cq-yubei 20.00.
    // Amendment on the booked 1,000.00 of NEW: local 500.00, 0.5 → 0.6: ±50.00.
    assert!(text.contains("late lines"), "{text}");
    let row = |p: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(p))
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .find(|w| w.len() == 3)
            .unwrap_or_default()
    };
    assert_eq!(row("guangan"), ["guangan", "30.00", "50.00"], "{text}");
    assert_eq!(row("cq-yubei"), ["cq-yubei", "20.00", "-50.00"], "{text}");
}
