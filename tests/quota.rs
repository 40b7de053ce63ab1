//! Quota accounts (SPEC §13) through the binary: exempt entities, swaps, relocations,
//! purchases, --year, --strict, malformed files, and verify replaying a quota run.

use crate::common::{Scratch, fencheng_in};
use proptest::prelude::*;

const CONFIG: &str = r#"
[[party]]
id = "chengdu"
name = "成都市"

[[party]]
id = "aba"
name = "阿坝藏族羌族自治州"

[metric.energy]
name = "能耗指标"
kind = "quota"
unit = "吨标准煤"
quantum = "0.01"
exempt = { tag = "major-project" }

[metric.land]
name = "用地指标"
kind = "quota"
unit = "亩"
quantum = "0.01"

[zone.cheng-a]
name = "成阿工业园区"
host = "chengdu"

[[zone.cheng-a.agreement]]
id = "2021"
from = "2021-01-01"

[[zone.cheng-a.agreement.rule]]
id = "quota"
metrics = ["energy", "land"]
kind = "fixed"
shares = { aba = "0.7", chengdu = "0.3" }
"#;

const RECORDS: &str = "period,zone,entity,metric,amount
2025-01,cheng-a,SMALL,energy,1234.57
2025-01,cheng-a,MAJOR,energy,2000.00
2025-02,cheng-a,SMALL,energy,1111.11
2025-03,cheng-a,MAJOR,energy,2345.67
2025-03,cheng-a,MAJOR,land,100.00
";

fn scratch() -> Scratch {
    let s = Scratch::new();
    s.write("config.toml", CONFIG);
    s.write("records.csv", RECORDS);
    s.write("entities.csv", "entity,tags\nMAJOR,major-project\n");
    s.write(
        "allocations.csv",
        "年度,地区,指标,数量,文号\n2025,aba,energy,5000.00,A-1\n2025,成都市,energy,2500.00,C-1\n",
    );
    s.write(
        "transfers.csv",
        "date,metric,from,to,amount,price,entity,reference,reason\n\
         2025-05-01,energy,chengdu,aba,100.00,,,SW-1,置换\n\
         2025-05-01,land,aba,chengdu,10.00,,,SW-1,置换\n\
         2025-06-01,energy,chengdu,aba,3000.00,,MAJOR,,伴随转移\n\
         2026-02-01,energy,aba,chengdu,12.34,220.25,,T-9,购买\n",
    );
    s
}

const ARGS: &str = "quota --config config.toml --records records.csv --entities entities.csv \
                    --allocations allocations.csv --transfers transfers.csv";

#[test]
fn exempt_entities_swaps_relocations_and_purchases_by_hand() {
    let s = scratch();
    let out = fencheng_in(s.dir.path(), &format!("{ARGS} --out out"))
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    // Shares (aba 0.7, largest remainder per month):
    //   Jan 3234.57 → aba 2264.20; Feb 1111.11 → 777.78; Mar 2345.67 → 1641.97:
    //   aba 4683.95, chengdu 2007.40.
    // Without MAJOR: Jan 1234.57 → 864.20 / 370.37; Feb 777.78 / 333.33:
    //   used aba 1641.98, chengdu 703.70; exempt = share − used: 3041.97, 1303.70.
    // aba: 5000.00 + in (100.00 swap + 3000.00 relocation) − 1641.98 = 6458.02.
    // chengdu: 2500.00 − out 3100.00 − 703.70 = −1303.70 (over quota).
    // land: aba 70.00 used, out 10.00 → −80.00; chengdu 30.00, in 10.00 → −20.00.
    // 2026: the purchase only (aba → chengdu 12.34 at 220.25 = 2717.885 → 2717.89).
    assert_eq!(
        s.read("out/quota.csv"),
        "year,metric,party,allocated,transferred_in,transferred_out,used,exempt,headroom\n\
         2025,energy,aba,5000.00,3100.00,0.00,1641.98,3041.97,6458.02\n\
         2025,energy,chengdu,2500.00,0.00,3100.00,703.70,1303.70,-1303.70\n\
         2025,land,aba,0.00,0.00,10.00,70.00,0.00,-80.00\n\
         2025,land,chengdu,0.00,10.00,0.00,30.00,0.00,-20.00\n\
         2026,energy,aba,0.00,0.00,12.34,0.00,0.00,-12.34\n\
         2026,energy,chengdu,0.00,12.34,0.00,0.00,0.00,12.34\n"
    );
    assert_eq!(
        s.read("out/quota-transfers.csv"),
        "date,metric,from,to,amount,price,value,entity,reference,kind\n\
         2025-05-01,energy,chengdu,aba,100.00,,,,SW-1,swap\n\
         2025-05-01,land,aba,chengdu,10.00,,,,SW-1,swap\n\
         2025-06-01,energy,chengdu,aba,3000.00,,,MAJOR,,relocation\n\
         2026-02-01,energy,aba,chengdu,12.34,220.25,2717.89,,T-9,purchase\n"
    );
    // `to` owes `from`: chengdu pays aba.
    assert_eq!(
        s.read("out/quota-settlement.csv"),
        "year,payer,payee,amount\n2026,chengdu,aba,2717.89\n"
    );
    let err = String::from_utf8_lossy(&out);
    assert!(
        err.contains("2025 energy: 'chengdu' is over quota by 1303.70 吨标准煤"),
        "{err}"
    );
    assert_eq!(err.matches("over quota").count(), 4, "{err}");
    // The replay of the run is identical; a changed allotment is found.
    fencheng_in(s.dir.path(), "verify out").assert().success();
    s.write(
        "allocations.csv",
        "year,party,metric,amount\n2025,aba,energy,1.00\n",
    );
    fencheng_in(s.dir.path(), "verify out").assert().code(3);
}

#[test]
fn year_limits_every_file_and_strict_exits_1_after_writing() {
    let s = scratch();
    fencheng_in(
        s.dir.path(),
        &format!("{ARGS} --year 2026 --strict --out out"),
    )
    .assert()
    .code(1);
    assert_eq!(
        s.read("out/quota.csv").lines().skip(1).collect::<Vec<_>>(),
        [
            "2026,energy,aba,0.00,0.00,12.34,0.00,0.00,-12.34",
            "2026,energy,chengdu,0.00,12.34,0.00,0.00,0.00,12.34"
        ]
    );
    assert_eq!(s.read("out/quota-transfers.csv").lines().count(), 2);
}

#[test]
fn malformed_allocations_and_transfers_are_refused_with_file_and_line() {
    let s = scratch();
    s.write(
        "allocations.csv",
        "year,party,metric,amount\n2025,aba,energy,-1.00\n20x5,nobody,energy,1.00\n",
    );
    s.write(
        "transfers.csv",
        "date,metric,from,to,amount,price\n2025-13-01,energy,aba,aba,0.00,1.234\n",
    );
    let out = fencheng_in(s.dir.path(), ARGS)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    for want in [
        "allocations.csv:2",
        "allocations.csv:3",
        "'nobody' is not a declared party",
        "transfers.csv:2",
        "is not a date",
        "to itself",
        "is not a price",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
}

/// `check` reads the quota files as `quota` does: the same files are said to be in
/// order (2 allocation lines, 4 transfer lines), and the same mistakes are said with
/// their file and line.
#[test]
fn check_reads_the_quota_files_as_quota_does() {
    let s = scratch();
    let check = "check --config config.toml --records records.csv --entities entities.csv \
                 --allocations allocations.csv --transfers transfers.csv";
    let out = fencheng_in(s.dir.path(), check)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("quota files OK: 2 allocation lines, 4 transfer lines"),
        "{text}"
    );
    s.write(
        "allocations.csv",
        "year,party,metric,amount\n2025,aba,energy,-1.00\n20x5,nobody,energy,1.00\n",
    );
    let err = fencheng_in(s.dir.path(), check)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&err);
    for want in [
        "allocations.csv:2",
        "allocations.csv:3",
        "'nobody' is not a declared party",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]
    /// Σ used + Σ exempt = Σ records per (year, metric); Σ in = Σ out; headroom is
    /// the identity — on random records and transfers (the binary checks the first
    /// two on every run and would exit 1).
    #[test]
    fn accounts_balance(
        amounts in proptest::collection::vec((0u8..2, 1u32..12, 0i64..100_000_000), 1..12),
        moves in proptest::collection::vec((0u8..2, 1i64..100_000), 0..5),
    ) {
        let s = scratch();
        let mut rec = String::from("period,zone,entity,metric,amount\n");
        let mut total = 0i64;
        for (who, month, cents) in &amounts {
            let e = if *who == 0 { "SMALL" } else { "MAJOR" };
            rec.push_str(&format!("2025-{month:02},cheng-a,{e},energy,{}.{:02}\n", cents / 100, cents % 100));
            total += cents;
        }
        s.write("records.csv", &rec);
        let mut tr = String::from("date,metric,from,to,amount\n");
        for (dir, cents) in &moves {
            let (a, b) = if *dir == 0 { ("aba", "chengdu") } else { ("chengdu", "aba") };
            tr.push_str(&format!("2025-07-01,energy,{a},{b},{}.{:02}\n", cents / 100, cents % 100));
        }
        s.write("transfers.csv", &tr);
        fencheng_in(s.dir.path(), &format!("{ARGS} --format csv --out out")).assert().success();
        let text = s.read("out/quota.csv");
        let cents = |t: &str| -> i64 { t.replace('.', "").parse().unwrap() };
        let (mut used, mut tin, mut tout) = (0i64, 0i64, 0i64);
        for line in text.lines().skip(1).filter(|l| l.starts_with("2025,energy")) {
            let f: Vec<&str> = line.split(',').collect();
            let (al, i, o, u, x, h) = (cents(f[3]), cents(f[4]), cents(f[5]), cents(f[6]), cents(f[7]), cents(f[8]));
            prop_assert_eq!(h, al + i - o - u);
            used += u + x;
            tin += i;
            tout += o;
        }
        prop_assert_eq!(used, total);
        prop_assert_eq!(tin, tout);
    }
}

#[test]
fn explain_traces_one_account_line_by_line() {
    let s = scratch();
    let out = fencheng_in(
        s.dir.path(),
        "explain --config config.toml --records records.csv --entities entities.csv \
         --allocations allocations.csv --transfers transfers.csv --quota --year 2025 \
         --metric energy --party aba",
    )
    .assert()
    .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for want in [
        "allocations.csv:2  5000.00  A-1",
        "transfers.csv:2  2025-05-01  +100.00  chengdu → aba  swap  SW-1",
        "transfers.csv:4  2025-06-01  +3000.00  chengdu → aba  relocation",
        "2025-01  cheng-a  2264.20",
        "used = share − exempt = 1641.98",
        "headroom = 5000.00 + 3100.00 − 0.00 − 1641.98 = 6458.02",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
}

#[test]
fn a_chart_per_metric_marks_the_accounts_over_quota() {
    let s = scratch();
    fencheng_in(s.dir.path(), &format!("{ARGS} --chart charts --lang en"))
        .assert()
        .success();
    let energy = s.read("charts/quota-energy.svg");
    let land = s.read("charts/quota-land.svg");
    assert!(energy.starts_with("<svg") && energy.trim_end().ends_with("</svg>"));
    // Every figure written is quota.csv's (see the hand computation above): chengdu
    // 2025 is over by 1303.70, aba has 6458.02 left; available = allotted + in − out.
    assert!(energy.contains("2025 · "), "{energy}");
    assert!(energy.contains("headroom -1303.70"), "{energy}");
    assert!(energy.contains("headroom 6458.02"), "{energy}");
    assert!(energy.contains("available 8100.00"), "{energy}"); // 5000 + 3100
    assert!(energy.contains("available -600.00"), "{energy}"); // 2500 − 3100
    assert!(energy.contains("−3100.00"), "{energy}"); // what chengdu gave away
    // Over quota: in red, and said. 2025 chengdu energy; land, both regions.
    assert_eq!(energy.matches(">over quota<").count(), 2, "{energy}"); // 2025 chengdu, 2026 aba
    assert_eq!(land.matches(">over quota<").count(), 2, "{land}");
    assert!(energy.contains("fill=\"#d9534f\""));
    // The same figures in Chinese.
    fencheng_in(s.dir.path(), &format!("{ARGS} --chart zh --lang zh"))
        .assert()
        .success();
    assert!(s.read("zh/quota-energy.svg").contains("余量 -1303.70"));
}
