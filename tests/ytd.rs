//! Year-to-date and proportional rules, hand-computed (SPEC §3, §4.4).
//! All on `fcs` (no central part, quantum 0.01), so T = the cell total.

use crate::common;

use common::{Scratch, config};

fn zone(rule: &str) -> String {
    format!(
        r#"
[zone.z]
name = "园区"
host = "chengdu"

[[zone.z.agreement]]
id = "2023"
from = "2023-01-01"

[[zone.z.agreement.rule]]
id = "r"
metrics = ["fcs"]
{rule}
"#
    )
}

/// A scratch directory with the one-rule zone and E1's records of `fcs`.
fn scratch(rule: &str, records: &[(&str, &str)]) -> Scratch {
    let s = Scratch::new();
    s.write("config.toml", &config(&zone(rule)));
    let mut csv = String::from("period,zone,entity,metric,amount\n");
    for (p, a) in records {
        csv.push_str(&format!("{p},z,E1,fcs,{a}\n"));
    }
    s.write("records.csv", &csv);
    s
}

fn summary(rule: &str, records: &[(&str, &str)]) -> String {
    let s = scratch(rule, records);
    s.run(&[]).success();
    s.read("out/summary.csv")
        .replacen("period,zone,metric,party,amount\n", "", 1)
}

#[test]
fn base_crossed_in_the_middle_of_the_year_and_reset_next_year() {
    let rule = r#"kind = "base_increment"
base_owner = "guangan"
base = "1000.00"
shares = { guangan = "0.4", cq-yubei = "0.6" }"#;
    // 2025-01: Y = 600.00 ≤ base → all to guangan.
    // 2025-02: Y = 1200.01 → guangan 1000 + 0.4 × 200.01 = 1080.004, cq-yubei 120.006
    //   → units 108000.4 / 12000.6 → 1 left → cq-yubei (.6) → A = 1080.00 / 120.01;
    //   month = A − A(600.00) = guangan 480.00, cq-yubei 120.01 (Σ 600.01 ✔).
    // 2026-01: the year-to-date total restarts: Y = 500.00 ≤ base → guangan 500.00.
    let got = summary(
        rule,
        &[
            ("2025-01", "600.00"),
            ("2025-02", "600.01"),
            ("2026-01", "500.00"),
        ],
    );
    assert_eq!(
        got,
        "2025-01,z,fcs,cq-yubei,0.00\n2025-01,z,fcs,guangan,600.00\n\
         2025-02,z,fcs,cq-yubei,120.01\n2025-02,z,fcs,guangan,480.00\n\
         2026-01,z,fcs,cq-yubei,0.00\n2026-01,z,fcs,guangan,500.00\n"
    );
}

#[test]
fn negative_year_to_date_goes_to_the_base_owner() {
    let rule = r#"kind = "base_increment"
base_owner = "guangan"
base = { "2025" = "100.00" }
shares = { guangan = "0.5", cq-yubei = "0.5" }"#;
    // Y = −50.00 < 0 → all to guangan; then Y = 250.00 → 100 + 75 / 75 → month
    // guangan 175 − (−50) = 225.00, cq-yubei 75.00.
    let got = summary(rule, &[("2025-01", "-50.00"), ("2025-02", "300.00")]);
    assert_eq!(
        got,
        "2025-01,z,fcs,cq-yubei,0.00\n2025-01,z,fcs,guangan,-50.00\n2025-02,z,fcs,cq-yubei,75.00\n2025-02,z,fcs,guangan,225.00\n"
    );
}

#[test]
fn tiered_bracket_crossed_mid_year() {
    let rule = r#"kind = "tiered"
tiers = [
  { upto = "1000.00", shares = { aba = "0.5", chengdu = "0.5" } },
  { shares = { aba = "0.8", chengdu = "0.2" } },
]"#;
    // 01: Y = 800 → first bracket → 400 / 400.
    // 02: Y = 1200 → 1000 × 0.5 + 200 × 0.8 = aba 660, chengdu 500 + 40 = 540 →
    //     month aba 260.00, chengdu 140.00.
    let got = summary(rule, &[("2025-01", "800.00"), ("2025-02", "400.00")]);
    assert_eq!(
        got,
        "2025-01,z,fcs,aba,400.00\n2025-01,z,fcs,chengdu,400.00\n2025-02,z,fcs,aba,260.00\n2025-02,z,fcs,chengdu,140.00\n"
    );
}

/// The method line of `explain` for one cell of a one-rule zone.
fn method(rule: &str, records: &[(&str, &str)], period: &str) -> String {
    let s = scratch(rule, records);
    let out = common::fencheng()
        .current_dir(s.dir.path())
        .args(["--lang", "en", "explain", "--config", "config.toml"])
        .args(["--records", "records.csv", "--period", period])
        .args(["--zone", "z", "--metric", "fcs"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Method: ").map(str::to_string))
        .unwrap_or_else(|| panic!("no method line in:\n{text}"))
}

#[test]
fn explain_shows_how_the_engine_divided_the_year_to_date_total() {
    // Tiered, Y = 1200: 1000 in the first bracket, 200 above (the engine's portions).
    let tiers = r#"kind = "tiered"
tiers = [
  { upto = "1000.00", shares = { aba = "0.5", chengdu = "0.5" } },
  { shares = { aba = "0.8", chengdu = "0.2" } },
]"#;
    let m = method(
        tiers,
        &[("2025-01", "800.00"), ("2025-02", "400.00")],
        "2025-02",
    );
    assert!(m.contains("YTD in each bracket: 1000, 200"), "{m}");
    // Base increment, Y = 1200.01 over a base of 1000: kept 1000, increment 200.01.
    let base = r#"kind = "base_increment"
base_owner = "guangan"
base = "1000.00"
shares = { guangan = "0.4", cq-yubei = "0.6" }"#;
    let m = method(
        base,
        &[("2025-01", "600.00"), ("2025-02", "600.01")],
        "2025-02",
    );
    assert!(
        m.starts_with(
            "base for 2025 = 1000: the base owner guangan keeps min(YTD, base) = 1000; \
             the increment max(YTD − base, 0) = 200.01 is split"
        ),
        "{m}"
    );
    // Negative YTD: all to the base owner.
    let m = method(base, &[("2025-01", "-50.00")], "2025-01");
    assert!(
        m.starts_with("YTD is negative, so all of it goes to the base owner guangan"),
        "{m}"
    );
}

#[test]
fn floor_that_binds_then_one_that_does_not() {
    let rule = r#"kind = "fixed"
shares = { aba = "0.6", chengdu = "0.4" }
floor = { chengdu = "500.00" }"#;
    // 01: Y = 1000 → own 600 / 400; chengdu below its floor → raised to 500, the
    //     top-up 100 taken from aba (no floor) → 500 / 500.
    // 02: Y = 2000 → own 1200 / 800, floor no longer binds → A = 1200 / 800 →
    //     month aba 700.00, chengdu 300.00.
    let got = summary(rule, &[("2025-01", "1000.00"), ("2025-02", "1000.00")]);
    assert_eq!(
        got,
        "2025-01,z,fcs,aba,500.00\n2025-01,z,fcs,chengdu,500.00\n2025-02,z,fcs,aba,700.00\n2025-02,z,fcs,chengdu,300.00\n"
    );
}

#[test]
fn cap_spills_to_the_others_in_proportion() {
    let rule = r#"kind = "fixed"
shares = { aba = "0.5", chengdu = "0.3", ganzi = "0.2" }
cap = { aba = "300.00" }"#;
    // Y = 1000 → 500 / 300 / 200; aba cut to 300, excess 200 split 300:200 between
    // chengdu and ganzi → 120 / 80 → 300 / 420 / 280.
    let got = summary(rule, &[("2025-01", "1000.00")]);
    assert_eq!(
        got,
        "2025-01,z,fcs,aba,300.00\n2025-01,z,fcs,chengdu,420.00\n2025-01,z,fcs,ganzi,280.00\n"
    );
}

#[test]
fn weights_with_an_exact_tie() {
    let rule = r#"kind = "weighted"
weights = { aba = "1", chengdu = "1", ganzi = "1" }"#;
    // 100.00 → n = 10000, 1/3 each = 3333.33… → floors 9999, 1 left; fractions and
    // ratios tie → the id that sorts first (aba) → 33.34 / 33.33 / 33.33.
    let got = summary(rule, &[("2025-01", "100.00")]);
    assert_eq!(
        got,
        "2025-01,z,fcs,aba,33.34\n2025-01,z,fcs,chengdu,33.33\n2025-01,z,fcs,ganzi,33.33\n"
    );
}

#[test]
fn formula_using_year() {
    let rule = r#"kind = "formula"
anchor = "agreement"
shares = { aba = "if(year <= 2, 0.8, 0.6)", chengdu = "rest" }"#;
    // Agreement from 2023-01-01: 2024-12 is year 2 → 0.8; 2025-01 is year 3 → 0.6.
    let got = summary(rule, &[("2024-12", "100.00"), ("2025-01", "100.00")]);
    assert_eq!(
        got,
        "2024-12,z,fcs,aba,80.00\n2024-12,z,fcs,chengdu,20.00\n2025-01,z,fcs,aba,60.00\n2025-01,z,fcs,chengdu,40.00\n"
    );
}

#[test]
fn formula_using_ytd() {
    let rule = r#"kind = "formula"
shares = { aba = "if(ytd < 1000, 0.7, 0.5)", chengdu = "rest" }"#;
    // ytd = Σ T of the earlier periods of the year: 0, 800, 1600 → 0.7, 0.7, 0.5; and
    // 0 again in 2026 → 0.7.
    let got = summary(
        rule,
        &[
            ("2025-01", "800.00"),
            ("2025-02", "800.00"),
            ("2025-03", "800.00"),
            ("2026-01", "100.00"),
        ],
    );
    assert_eq!(
        got,
        "2025-01,z,fcs,aba,560.00\n2025-01,z,fcs,chengdu,240.00\n\
         2025-02,z,fcs,aba,560.00\n2025-02,z,fcs,chengdu,240.00\n\
         2025-03,z,fcs,aba,400.00\n2025-03,z,fcs,chengdu,400.00\n\
         2026-01,z,fcs,aba,70.00\n2026-01,z,fcs,chengdu,30.00\n"
    );
}

#[test]
fn formula_ratio_outside_zero_one_names_the_cell() {
    let s = Scratch::new();
    s.write(
        "config.toml",
        &config(&zone(
            r#"kind = "formula"
shares = { aba = "amount / 100", chengdu = "rest" }"#,
        )),
    );
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount\n2025-01,z,E1,fcs,50.00\n2025-02,z,E1,fcs,500.00\n",
    );
    let out = s.run(&[]).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("cell 2025-02 zone z metric fcs"), "{err}");
    assert!(err.contains("outside [0, 1]"), "{err}");
    assert!(!s.path("out").exists(), "no output on error");
}

#[test]
fn readme_year_to_date_example() {
    let rule = r#"kind = "base_increment"
base_owner = "guangan"
base = "1000.00"
shares = { guangan = "0.4", cq-yubei = "0.6" }"#;
    // README "The year-to-date method": 03 is a refund; YTD 1100.01 → A = 1040.00 /
    // 60.01 → month −40.00 / −60.00.
    let got = summary(
        rule,
        &[
            ("2025-01", "600.00"),
            ("2025-02", "600.01"),
            ("2025-03", "-100.00"),
        ],
    );
    assert_eq!(
        got,
        "2025-01,z,fcs,cq-yubei,0.00\n2025-01,z,fcs,guangan,600.00\n\
         2025-02,z,fcs,cq-yubei,120.01\n2025-02,z,fcs,guangan,480.00\n\
         2025-03,z,fcs,cq-yubei,-60.00\n2025-03,z,fcs,guangan,-40.00\n"
    );
    // The same records as one annual period give the same totals.
    let annual = summary(
        rule,
        &[("2025", "600.00"), ("2025", "600.01"), ("2025", "-100.00")],
    );
    assert_eq!(
        annual,
        "2025,z,fcs,cq-yubei,60.01\n2025,z,fcs,guangan,1040.00\n"
    );
}
