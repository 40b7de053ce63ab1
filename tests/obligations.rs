//! Obligations that do not follow revenue (SPEC §14): guarantees and fixed returns,
//! through the binary, with the arithmetic by hand.

use crate::common::{Scratch, config};

/// 成阿 shares VAT aba 0.6 / chengdu 0.4 after a central half; aba is guaranteed
/// 1,000.00 a year from 2025 (paid by chengdu) and chengdu pays ganzi a return of
/// 10,000.00 × 0.05 = 500.00 a year for 2024–2025 only.
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

[[zone.cheng-a.guarantee]]
party = "aba"
payer = "chengdu"
metric = "vat"
amount = "1000.00"
from = "2025-01-01"
cite = "第四条"

[[zone.cheng-a.return]]
payee = "ganzi"
payer = "chengdu"
base = "10000"
rate = "0.05"
from = "2024-01-01"
until = "2025-12-31"
cite = "第六条"
"#;

fn scratch(records: &str) -> Scratch {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("records.csv", records);
    s
}

#[test]
fn a_shortfall_and_a_return_are_due_in_december_and_netted() {
    // 2025: VAT 2,000.00 + 1,000.00 → local 1,500.00 → aba 900.00, chengdu 600.00.
    // Guarantee: max(0, 1,000.00 − 900.00) = 100.00 in 2025-12 (chengdu → aba).
    // Return 2025: round(10,000 × 0.05) = 500.00 (chengdu → ganzi); 2024 is not
    // reached by the records (they start in 2025), so no 2024 row.
    let s = scratch(
        "period,zone,entity,metric,amount\n\
         2025-01,cheng-a,E1,vat,2000.00\n\
         2025-12,cheng-a,E1,vat,1000.00\n",
    );
    s.run(&[]).success();
    assert_eq!(
        s.read("out/obligations.csv"),
        "period,zone,kind,payer,payee,amount,cite\n\
         2025-12,cheng-a,guarantee,chengdu,aba,100.00,第四条\n\
         2025-12,cheng-a,return,chengdu,ganzi,500.00,第六条\n"
    );
    // December: chengdu owes aba its share 300.00 + 100.00; ganzi 500.00.
    assert_eq!(
        s.read("out/settlement.csv"),
        "period,payer,payee,amount\n\
         2025-01,chengdu,aba,600.00\n\
         2025-12,chengdu,aba,400.00\n\
         2025-12,chengdu,ganzi,500.00\n"
    );
    // The summary is what it would be without obligations (Σ summary = Σ inputs).
    assert!(!s.read("out/summary.csv").contains("ganzi"));
}

#[test]
fn a_year_not_ended_or_partly_covered_owes_nothing() {
    // 2024-01 … 2026-11: 2024 and 2025 end inside the lines, 2026 does not.
    // Guarantee from 2025: 2025 only (2024 before from). Return until 2025-12-31:
    // 2024 and 2025. 2025's shares: aba 0.6 × 5,000.00 = 3,000.00 ≥ 1,000.00: nothing.
    let s = scratch(
        "period,zone,entity,metric,amount\n\
         2024-01,cheng-a,E1,vat,10.00\n\
         2025-06,cheng-a,E1,vat,10000.00\n\
         2026-11,cheng-a,E1,vat,10.00\n",
    );
    s.run(&[]).success();
    assert_eq!(
        s.read("out/obligations.csv"),
        "period,zone,kind,payer,payee,amount,cite\n\
         2024-12,cheng-a,return,chengdu,ganzi,500.00,第六条\n\
         2025-12,cheng-a,return,chengdu,ganzi,500.00,第六条\n"
    );
    // --period limits obligations.csv like summary.csv.
    s.run(&["--period", "2025-12"]).success();
    assert_eq!(
        s.read("out/obligations.csv"),
        "period,zone,kind,payer,payee,amount,cite\n\
         2025-12,cheng-a,return,chengdu,ganzi,500.00,第六条\n"
    );
}

#[test]
fn set_reaches_the_guaranteed_amount_and_the_rate() {
    // Guarantee raised to 1,200.00: 1,200.00 − 900.00 = 300.00; rate 0.08: 800.00.
    let s = scratch(
        "period,zone,entity,metric,amount\n\
         2025-01,cheng-a,E1,vat,3000.00\n\
         2025-12,cheng-a,E1,vat,0.00\n",
    );
    s.run(&[
        "--set",
        "zone.cheng-a.guarantee.1.amount=1200.00",
        "--set",
        "zone.cheng-a.return.1.rate=0.08",
    ])
    .success();
    assert_eq!(
        s.read("out/obligations.csv"),
        "period,zone,kind,payer,payee,amount,cite\n\
         2025-12,cheng-a,guarantee,chengdu,aba,300.00,第四条\n\
         2025-12,cheng-a,return,chengdu,ganzi,800.00,第六条\n"
    );
}

#[test]
fn malformed_obligations_are_refused_at_their_line() {
    let bad = ZONE
        .replace("payer = \"chengdu\"\nmetric", "payer = \"aba\"\nmetric")
        .replace("rate = \"0.05\"", "rate = \"-0.05\"")
        .replace("metric = \"vat\"\namount", "metric = \"cit\"\namount");
    let s = Scratch::new();
    s.write("config.toml", &config(&bad));
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount\n2025-01,cheng-a,E1,vat,1.00\n",
    );
    let out = s.run(&[]).failure().code(1).get_output().stderr.clone();
    let err = String::from_utf8_lossy(&out);
    // payer = party, a metric no rule of the zone shares, a negative rate: each named.
    assert!(err.contains("zone.cheng-a.guarantee.1.payer"), "{err}");
    assert!(err.contains("zone.cheng-a.guarantee.1.metric"), "{err}");
    assert!(err.contains("zone.cheng-a.return.1.rate"), "{err}");
    assert!(err.contains("config.toml:"), "{err}");
}

use proptest::prelude::*;

/// Σ over the closings of (first bookings + adjustments) per year, signed in the
/// direction chengdu → other, in cents.
fn booked_obligations(dir: &std::path::Path) -> std::collections::BTreeMap<(String, String), i64> {
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(e.path().join("obligations.csv")) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let year_end = if f[1].is_empty() { f[0] } else { f[1] };
            let cents: i64 = f[6].replace('.', "").parse().unwrap();
            let (other, sign) = if f[4] == "chengdu" {
                (f[5], 1)
            } else {
                (f[4], -1)
            };
            *out.entry((year_end.to_string(), format!("{}:{other}", f[3])))
                .or_default() += sign * cents;
        }
    }
    out.retain(|_, v| *v != 0);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, .. ProptestConfig::default() })]
    /// Closing month by month with late lines books, per year, exactly the
    /// obligations one run of all the lines makes due.
    #[test]
    fn books_add_up_to_one_run_of_the_whole_year(
        lines in proptest::collection::vec((0usize..24, -50_000i64..300_000), 1..20),
        late in proptest::collection::vec((0usize..24, 0usize..24, 1i64..200_000), 0..4),
    ) {
        let s = scratch("period,zone,entity,metric,amount\n");
        let month = |i: usize| format!("{}-{:02}", 2024 + i / 12, i % 12 + 1);
        // Lines by the month they arrive: on time, or late (arriving in a later month).
        let mut arrive: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
        let mut all = String::from("period,zone,entity,metric,amount\n");
        for (m, cents) in &lines {
            let l = format!("{},cheng-a,E1,vat,{}\n", month(*m), cents_text(*cents));
            arrive.entry(*m).or_default().push(l.clone());
            all.push_str(&l);
        }
        for (m, later, cents) in &late {
            let at = (*m).max(*later);
            let l = format!("{},cheng-a,E2,vat,{}\n", month(*m), cents_text(*cents));
            arrive.entry(at).or_default().push(l.clone());
            all.push_str(&l);
        }
        // Every month closes (an empty one with --period), so each year ends.
        for i in 0..24 {
            let mut cmd = crate::common::fencheng();
            cmd.current_dir(s.dir.path())
                .args(["close", "--books", "b", "--config", "config.toml", "--period", &month(i)]);
            if let Some(v) = arrive.get(&i) {
                let name = format!("m{i}.csv");
                s.write(&name, &format!("period,zone,entity,metric,amount\n{}", v.concat()));
                cmd.args(["--records", &name]);
            }
            cmd.assert().success();
        }
        // The books reached 2024-01 … 2025-12 by closing every month: so does the run.
        all.push_str("2024-01,cheng-a,E0,vat,0.00\n2025-12,cheng-a,E0,vat,0.00\n");
        s.write("all.csv", &all);
        crate::common::fencheng_in(s.dir.path(), "run --config config.toml --records all.csv --out whole")
            .assert()
            .success();
        let mut want = std::collections::BTreeMap::new();
        for line in s.read("whole/obligations.csv").lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let cents: i64 = f[5].replace('.', "").parse().unwrap();
            let (other, sign) = if f[3] == "chengdu" { (f[4], 1) } else { (f[3], -1) };
            *want.entry((f[0].to_string(), format!("{}:{other}", f[2]))).or_insert(0i64) += sign * cents;
        }
        prop_assert_eq!(booked_obligations(&s.path("b")), want);
    }
}

fn cents_text(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

#[test]
fn explain_shows_the_share_against_the_guarantee_and_base_times_rate() {
    let s = scratch(
        "period,zone,entity,metric,amount\n\
         2025-01,cheng-a,E1,vat,2000.00\n\
         2025-12,cheng-a,E1,vat,1000.00\n",
    );
    let out = crate::common::fencheng_in(
        s.dir.path(),
        "explain --config config.toml --records records.csv --zone cheng-a --period 2025-12 --obligations",
    )
    .assert()
    .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // 900.00 of 1,000.00 guaranteed (see the first test); 10,000 × 0.05 = 500.
    assert!(
        text.contains(
            "due = max(0, 1000.00 − 900.00) = 100.00, paid by chengdu, booked in 2025-12"
        ),
        "{text}"
    );
    assert!(text.contains("base × rate = 10000 × 0.05 = 500"), "{text}");
    // And compare carries the return in each party's total.
    let out = crate::common::fencheng_in(
        s.dir.path(),
        "compare --config config.toml --records records.csv --set zone.cheng-a.return.1.rate=0.08",
    )
    .assert()
    .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let line = text
        .lines()
        .find(|l| l.contains("obligations") && l.contains("ganzi"))
        .unwrap_or_default();
    assert!(line.contains("500.00") && line.contains("800.00"), "{text}");
}
