//! `fencheng project`: one zone by hand (growth, the rounding once per record, an
//! enterprise changing phase as it ages, a base per year), and `--growth 0` over k
//! years equal to `run` on k copies of the base year.

use crate::common;

use common::{Scratch, fencheng};
use proptest::prelude::*;
use std::collections::BTreeMap;

const CONFIG: &str = r#"
[[party]]
id = "aba"
[[party]]
id = "chengdu"
[[party]]
id = "guangan"
[[party]]
id = "cq-yubei"
[metric.vat]
kind = "tax"
quantum = "0.01"
[metric.fcs]
kind = "tax"
quantum = "0.01"
[zone.s]
host = "chengdu"
[[zone.s.agreement]]
id = "a"
from = "2010-01-01"
[[zone.s.agreement.rule]]
id = "tax"
metrics = ["vat"]
kind = "schedule"
anchor = "entity_start"
phases = [ { years = 5, shares = { aba = "0.6", chengdu = "0.4" } }, { shares = { aba = "0.5", chengdu = "0.5" } } ]
[zone.b]
host = "guangan"
[[zone.b.agreement]]
id = "a"
from = "2024-01-01"
to = "2027-12-31"
[[zone.b.agreement.rule]]
id = "inc"
metrics = ["fcs"]
kind = "base_increment"
base_owner = "guangan"
base = { "2025" = "100.00", "2026" = "200.00", "2027" = "300.00" }
shares = { guangan = "0.5", cq-yubei = "0.5" }
"#;

#[test]
fn one_zone_by_hand() {
    let s = Scratch::new();
    s.write("config.toml", CONFIG);
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount,entity_start\n2025-07,s,E,vat,1000.05,2021-07-01\n2025-03,b,F,fcs,250.00,\n",
    );
    let out = common::fencheng_in(
        s.dir.path(),
        "project --config config.toml --records records.csv --growth 0.1 --format csv",
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Horizon: the agreements in force end 2027 (b) and never (s): ten years, 2025–2034.
    // s, vat 1000.05 started 2021-07-01: 2025-07 is year 5 (phase 1, 6:4): 100005 units →
    //   60003 / 40002. 2026: 100005 × 1.1 = 110005.5 → 110006 (half away, once per
    //   record), year 6: phase 2 → 55003 / 55003. 2027: × 1.21 = 121006.05 → 121006 →
    //   60503 / 60503.
    // b, fcs 250.00, base 100 / 200 / 300, increment 5:5: 2025 guangan 100 + 75, cq 75;
    //   2026: 275.00 → 200 + 37.50 / 37.50; 2027: 302.50 → 300 + 1.25 / 1.25; from 2028
    //   no agreement in force: nothing shared.
    let text = String::from_utf8_lossy(&out.stdout);
    let want = [
        "2025,b,fcs,cq-yubei,75.00",
        "2025,b,fcs,guangan,175.00",
        "2025,s,vat,aba,600.03",
        "2025,s,vat,chengdu,400.02",
        "2026,b,fcs,cq-yubei,37.50",
        "2026,b,fcs,guangan,237.50",
        "2026,s,vat,aba,550.03",
        "2026,s,vat,chengdu,550.03",
        "2027,b,fcs,cq-yubei,1.25",
        "2027,b,fcs,guangan,301.25",
        "2027,s,vat,aba,605.03",
        "2027,s,vat,chengdu,605.03",
    ];
    for w in want {
        assert!(text.lines().any(|l| l == w), "missing {w} in:\n{text}");
    }
    assert!(
        text.lines().any(|l| l.starts_with("2034,s,vat,aba,")),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("2028,b,")), "{text}");
    assert!(text.starts_with("year,zone,metric,party,amount\n"));
    // The table says it is an estimate and what was not shared.
    let out = common::fencheng_in(
        s.dir.path(),
        "project --config config.toml --records records.csv --growth 0.1 --discount 0.05",
    )
    .output()
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("an estimate") && text.contains("PV 0.05"),
        "{text}"
    );
    assert!(
        text.contains("zone b: no agreement in force from 2028-03"),
        "{text}"
    );
}

/// The base records are read as `run` reads them (in parallel, blocks in file order)
/// and projected a key at a time: the same table on one thread and two, from a UTF-16
/// copy (the general reader, record by record), and from a file whose Chinese entity
/// names send rows down the general row check — and the same notes.
#[test]
fn the_projection_does_not_depend_on_how_the_records_were_read() {
    let s = Scratch::new();
    s.write("config.toml", CONFIG);
    // 24,000 records (over a megabyte: several blocks), amounts that round differently
    // record by record, start dates on both sides of each phase change.
    let mut csv = String::from("period,zone,entity,metric,amount,entity_start\n");
    for i in 0..24_000u32 {
        let (zone, metric) = if i % 3 == 0 {
            ("b", "fcs")
        } else {
            ("s", "vat")
        };
        let start = if zone == "s" {
            format!("{}-{:02}-01", 2016 + i % 9, 1 + i % 12)
        } else {
            String::new()
        };
        let entity = if i % 101 == 0 {
            format!("企业{i}")
        } else {
            format!("E{i}")
        };
        csv.push_str(&format!(
            "2025-{:02},{zone},{entity},{metric},{}.{:02},{start}\n",
            1 + i % 12,
            (i * 7919) % 100_000,
            (i * 31) % 100
        ));
    }
    s.write("records.csv", &csv);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(csv.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(s.path("records16.csv"), utf16).unwrap();
    let project = |file: &str, threads: &str| {
        let out = common::fencheng_in(
            s.dir.path(),
            &format!("project --config config.toml --records {file} --growth 0.037 --format csv"),
        )
        .env("FENCHENG_THREADS", threads)
        .output()
        .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (out.stdout, out.stderr)
    };
    let two = project("records.csv", "2");
    assert_eq!(project("records.csv", "1"), two);
    assert_eq!(project("records16.csv", "2"), two);
    let text = String::from_utf8_lossy(&two.0);
    // b: 2025–2027, s: 2025–2034, two parties each, and the header.
    assert_eq!(text.lines().count(), 1 + 3 * 2 + 10 * 2, "{text}");
}

/// Σ per (zone, metric, party) of a summary.csv.
fn totals(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                format!("{},{},{},{}", f[0], f[1], f[2], f[3]),
                f[4].to_string(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// `project --growth 0` to year base + k equals `run` on k + 1 copies of the base
    /// year's records with their periods moved, summary.csv byte for byte.
    #[test]
    fn growth_zero_is_run_on_shifted_copies(
        k in 0u32..4,
        recs in prop::collection::vec((1u32..=12, 0usize..2, -20_000i128..90_000), 1..12)) {
        let s = Scratch::new();
        let b = |y: i32| format!("\"{y}\" = \"150.00\"");
        let cfg = CONFIG.replace("to = \"2027-12-31\"\n", "").replace(
            "base = { \"2025\" = \"100.00\", \"2026\" = \"200.00\", \"2027\" = \"300.00\" }",
            &format!("base = {{ {}, {}, {}, {} }}", b(2025), b(2026), b(2027), b(2028)),
        );
        s.write("config.toml", &cfg);
        let line = |y: i32, (m, which, c): &(u32, usize, i128)| {
            let sign = if *c < 0 { "-" } else { "" };
            let amount = format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100);
            if *which == 0 {
                format!("{y}-{m:02},s,E{m},vat,{amount},2021-06-15\n")
            } else {
                format!("{y}-{m:02},b,F{m},fcs,{amount},\n")
            }
        };
        let head = "period,zone,entity,metric,amount,entity_start\n";
        let base: String = recs.iter().map(|r| line(2025, r)).collect();
        s.write("base.csv", &format!("{head}{base}"));
        let copies: String = (0..=k as i32).flat_map(|i| recs.iter().map(move |r| (i, r))).map(|(i, r)| line(2025 + i, r)).collect();
        s.write("copies.csv", &format!("{head}{copies}"));
        fencheng()
            .current_dir(s.dir.path())
            .args(["project", "--config", "config.toml", "--records", "base.csv", "--growth", "0", "--to", &(2025 + k as i32).to_string(), "--out", "p"])
            .assert()
            .success();
        fencheng()
            .current_dir(s.dir.path())
            .args(["run", "--config", "config.toml", "--records", "copies.csv", "--out", "r"])
            .assert()
            .success();
        prop_assert_eq!(totals(&s.read("p/summary.csv")), totals(&s.read("r/summary.csv")));
        prop_assert_eq!(s.read("p/summary.csv"), s.read("r/summary.csv"));
        prop_assert_eq!(s.read("p/settlement.csv"), s.read("r/settlement.csv"));
    }
}

#[test]
fn the_shipped_configuration_projects_ten_years_for_every_zone() {
    let out = common::fencheng_in(common::repo(), "project --config config --records samples/records-2025.csv --entities samples/entities.csv --growth 0.06 --format csv")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut years: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for l in text.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        years
            .entry(f[1].to_string())
            .or_default()
            .insert(f[0].to_string());
    }
    assert_eq!(years.len(), 5, "{years:?}");
    for (zone, ys) in &years {
        let want: std::collections::BTreeSet<String> =
            (2025..=2034).map(|y| y.to_string()).collect();
        assert_eq!(ys, &want, "{zone}");
    }
}
