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
