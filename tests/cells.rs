//! Hand-computed cells through the binary; the arithmetic is in the comments.

use crate::common;

use common::{Scratch, config};

const FIXED_3: &str = r#"
[zone.z]
name = "三方园区"
host = "chengdu"

[[zone.z.agreement]]
id = "2021"
from = "2021-01-01"

[[zone.z.agreement.rule]]
id = "tax"
metrics = ["vat", "cit", "fcs"]
kind = "fixed"
shares = { aba = "0.5", chengdu = "0.3", ganzi = "0.2" }
"#;

fn run(zones: &str, records: &str) -> (String, String) {
    let s = Scratch::new();
    s.write("config.toml", &config(zones));
    s.write("records.csv", records);
    s.run(&[]).success();
    (s.read("out/summary.csv"), s.read("out/settlement.csv"))
}

#[test]
fn remainder_needs_largest_remainder() {
    // fcs 100.07, no central part: n = 10007 units.
    // 0.5n = 5003.5, 0.3n = 3002.1, 0.2n = 2001.4 → floors 10006, 1 unit left →
    // largest fraction .5 → aba: 50.04 / 30.02 / 20.01.
    let (summary, settlement) = run(
        FIXED_3,
        "period,zone,entity,metric,amount\n2025-01,z,E1,fcs,100.07\n",
    );
    assert_eq!(
        summary,
        "period,zone,metric,party,amount\n2025-01,z,fcs,aba,50.04\n2025-01,z,fcs,chengdu,30.02\n2025-01,z,fcs,ganzi,20.01\n"
    );
    // The host chengdu pays the two others.
    assert_eq!(
        settlement,
        "period,payer,payee,amount\n2025-01,chengdu,aba,50.04\n2025-01,chengdu,ganzi,20.01\n"
    );
}

#[test]
fn exact_tie_goes_to_larger_ratio_then_id() {
    // fcs 0.05 at 0.5/0.3/0.2: n = 5 → 2.5 / 1.5 / 1.0 → floors 2+1+1 = 4, 1 left.
    // Fractions: aba .5, chengdu .5, ganzi 0 → aba and chengdu tie on the fraction →
    // the larger ratio (aba 0.5 > 0.3) wins → 0.03 / 0.01 / 0.01.
    // fcs 0.03 on a 50:50 rule would tie on ratio too; see the 2-party case below.
    let (summary, _) = run(
        FIXED_3,
        "period,zone,entity,metric,amount\n2025-01,z,E1,fcs,0.05\n",
    );
    assert!(
        summary.contains(
            "2025-01,z,fcs,aba,0.03\n2025-01,z,fcs,chengdu,0.01\n2025-01,z,fcs,ganzi,0.01\n"
        ),
        "{summary}"
    );

    // 0.5/0.5 on 0.03: n = 3 → 1.5 / 1.5 → fractions tie, ratios tie → 'aba' sorts
    // before 'chengdu' → aba 0.02, chengdu 0.01.
    let two = FIXED_3.replace(
        r#"{ aba = "0.5", chengdu = "0.3", ganzi = "0.2" }"#,
        r#"{ aba = "0.5", chengdu = "0.5" }"#,
    );
    let (summary, _) = run(
        &two,
        "period,zone,entity,metric,amount\n2025-01,z,E1,fcs,0.03\n",
    );
    assert_eq!(
        summary,
        "period,zone,metric,party,amount\n2025-01,z,fcs,aba,0.02\n2025-01,z,fcs,chengdu,0.01\n"
    );
}

#[test]
fn central_share_on_an_odd_cent() {
    // vat 0.01 × 0.5 = 0.005 → half away from zero → central 0.01; T = 0.00, so every
    // party has a 0.00 row (named by the rule), and the central row is there too.
    let (summary, settlement) = run(
        FIXED_3,
        "period,zone,entity,metric,amount\n2025-01,z,E1,vat,0.01\n",
    );
    assert_eq!(
        summary,
        "period,zone,metric,party,amount\n2025-01,z,vat,aba,0.00\n2025-01,z,vat,central,0.01\n2025-01,z,vat,chengdu,0.00\n2025-01,z,vat,ganzi,0.00\n"
    );
    assert_eq!(settlement, "period,payer,payee,amount\n");
}

#[test]
fn refund_makes_the_cell_negative_and_reverses_the_settlement() {
    let zones = FIXED_3.replace(
        r#"{ aba = "0.5", chengdu = "0.3", ganzi = "0.2" }"#,
        r#"{ aba = "0.6", chengdu = "0.4" }"#,
    );
    // 2025-01: 1000.00 → central 500.00, T 500.00 → aba 300.00, chengdu 200.00.
    // 2025-02: 1000.00 − 2000.02 = −1000.02 → × 0.5 = −500.01 (exact) → T −500.01,
    //   n = −50001 → −(allocation of 50001): 30000.6 / 20000.4 → 1 left → aba (.6) →
    //   aba −300.01, chengdu −200.00; aba now owes the host chengdu 300.01.
    let (summary, settlement) = run(
        &zones,
        "period,zone,entity,metric,amount\n2025-01,z,E1,vat,1000.00\n2025-02,z,E1,vat,1000.00\n2025-02,z,E2,vat,-2000.02\n",
    );
    assert_eq!(
        summary,
        "period,zone,metric,party,amount\n\
         2025-01,z,vat,aba,300.00\n2025-01,z,vat,central,500.00\n2025-01,z,vat,chengdu,200.00\n\
         2025-02,z,vat,aba,-300.01\n2025-02,z,vat,central,-500.01\n2025-02,z,vat,chengdu,-200.00\n"
    );
    assert_eq!(
        settlement,
        "period,payer,payee,amount\n2025-01,chengdu,aba,300.00\n2025-02,aba,chengdu,300.01\n"
    );
}

#[test]
fn entity_anchored_schedule_with_two_entities_in_different_phases() {
    let zones = r#"
[zone.z]
name = "园区"
host = "chengdu"

[[zone.z.agreement]]
id = "2012"
from = "2012-01-01"

[[zone.z.agreement.rule]]
id = "tax"
metrics = ["fcs"]
kind = "schedule"
anchor = "entity_start"
phases = [
  { years = 3, shares = { aba = "0.7", chengdu = "0.3" } },
  { shares = { aba = "0.5", chengdu = "0.5" } },
]
"#;
    // Period 2025-05, first day 2025-05-01.
    // X started 2022-05-01: + 3 years = 2025-05-01 ≤ first day → year 4 → phase 2.
    //   Its cell: 100.01 → n = 10001 → 5000.5 / 5000.5 → tie → aba: 50.01 / 50.00.
    // Y started 2022-05-02: + 3 years = 2025-05-02 > first day → year 3 → phase 1.
    //   Its cell: 100.01 → 7000.7 / 3000.3 → 1 left → aba (.7): 70.01 / 30.00.
    // Summary rows add the two cells: aba 120.02, chengdu 80.00 (Σ 200.02 ✔).
    let (summary, settlement) = run(
        zones,
        "period,zone,entity,metric,amount,entity_start\n2025-05,z,X,fcs,100.01,2022-05-01\n2025-05,z,Y,fcs,100.01,2022-05-02\n",
    );
    assert_eq!(
        summary,
        "period,zone,metric,party,amount\n2025-05,z,fcs,aba,120.02\n2025-05,z,fcs,chengdu,80.00\n"
    );
    assert_eq!(
        settlement,
        "period,payer,payee,amount\n2025-05,chengdu,aba,120.02\n"
    );
}

#[test]
fn statistics_are_shared_but_never_settled() {
    let zones = FIXED_3.replace(
        r#"metrics = ["vat", "cit", "fcs"]"#,
        r#"metrics = ["output"]"#,
    );
    // output 7 (quantum 1): 3.5 / 2.1 / 1.4 → floors 6, 1 left → aba → 4 / 2 / 1.
    let (summary, settlement) = run(
        &zones,
        "period,zone,entity,metric,amount\n2025-Q1,z,E1,output,7\n",
    );
    assert_eq!(
        summary,
        "period,zone,metric,party,amount\n2025-Q1,z,output,aba,4\n2025-Q1,z,output,chengdu,2\n2025-Q1,z,output,ganzi,1\n"
    );
    assert_eq!(settlement, "period,payer,payee,amount\n");
}
