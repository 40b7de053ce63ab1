//! What is shared (SPEC §8): statutory levels, deductions, pools, rules by entity and
//! the dual view of a statistic — hand-computed cells, every mistake a clear error
//! with file:line that changes nothing, and a replay that verifies.

use crate::common;

use common::{Scratch, fencheng};

const BASE: &str = r#"
[[party]]
id = "chengdu"
name = "成都市"

[[party]]
id = "aba"
name = "阿坝藏族羌族自治州"

[[party]]
id = "sichuan"
name = "四川省"

[metric.vat]
name = "增值税"
kind = "tax"
quantum = "0.01"
levels = { central = "0.5", sichuan = "0.175" }

[metric.cit]
name = "企业所得税"
kind = "tax"
quantum = "0.01"
central_share = "0.6"

[metric.local]
name = "地方税收合计"
kind = "tax"
quantum = "0.01"
pool = ["vat", "cit"]

[metric.output]
name = "工业总产值"
kind = "statistic"
quantum = "1"
assessment = "dual"
"#;

const ZONE: &str = r#"
[zone.z]
name = "成阿工业园区"
host = "chengdu"

[[zone.z.agreement]]
id = "2021"
from = "2021-01-01"

[[zone.z.agreement.rule]]
id = "tax"
metrics = ["local"]
kind = "fixed"
shares = { aba = "0.6", chengdu = "0.4" }

[[zone.z.agreement.rule]]
id = "stats"
metrics = ["output"]
kind = "fixed"
shares = { aba = "0.5", chengdu = "0.5" }
"#;

fn scratch(config: &str, records: &str) -> Scratch {
    let s = Scratch::new();
    s.write("config.toml", config);
    s.write("records.csv", records);
    s
}

/// One cell by hand: a VAT record with two levels and a CIT record with one, pooled,
/// minus one deduction line, shared 6 : 4.
#[test]
fn two_levels_a_deduction_and_a_pool_by_hand() {
    let s = scratch(
        &format!("{BASE}{ZONE}"),
        "period,zone,entity,metric,amount\n\
         2025-01,z,E1,vat,1000.01\n\
         2025-01,z,E2,cit,500.00\n\
         2025-01,z,E1,output,7\n",
    );
    s.write(
        "deductions.csv",
        "period,zone,metric,amount,reason\n2025-01,z,local,100.00,企业奖补\n",
    );
    s.run(&["--deductions", "deductions.csv"]).success();
    // vat 1000.01: central 500.005 → 500.01; sichuan 175.00175 → 175.00 (each part
    //   rounded on its own); T_vat = 1000.01 − 500.01 − 175.00 = 325.00
    // cit 500.00: central 300.00; T_cit = 200.00
    // pool total 525.00; D = 100.00; T = 425.00 → aba 255.00, chengdu 170.00
    // output 7 (quantum 1): 3.5 / 3.5 → 1 unit left, tie → 'aba' sorts first → 4 / 3
    assert_eq!(
        s.read("out/summary.csv"),
        "period,zone,metric,party,amount\n\
         2025-01,z,cit,central,300.00\n\
         2025-01,z,local,aba,255.00\n\
         2025-01,z,local,chengdu,170.00\n\
         2025-01,z,local,deduction,100.00\n\
         2025-01,z,output,aba,4\n\
         2025-01,z,output,chengdu,3\n\
         2025-01,z,vat,central,500.01\n\
         2025-01,z,vat,sichuan,175.00\n"
    );
    // Level parties and `deduction` are never settled: the host pays aba its share.
    assert_eq!(
        s.read("out/settlement.csv"),
        "period,payer,payee,amount\n2025-01,chengdu,aba,255.00\n"
    );
    // The dual view credits both parties the whole 7.
    assert_eq!(
        s.read("out/assessment.csv"),
        "period,zone,metric,party,amount\n2025-01,z,output,aba,7\n2025-01,z,output,chengdu,7\n"
    );
    // The deductions file is hashed in the manifest and the replay verifies.
    let manifest = s.read("out/manifest.json");
    assert!(manifest.contains("\"role\": \"deductions\""), "{manifest}");
    fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out"])
        .assert()
        .success();
    // An altered deduction file is found by verify.
    s.write(
        "deductions.csv",
        "period,zone,metric,amount,reason\n2025-01,z,local,100.01,企业奖补\n",
    );
    fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out"])
        .assert()
        .code(3);
}

/// `applies_to`: the first matching rule in file order, else the default; start dates
/// from the entities file in the forms Excel writes.
#[test]
fn rules_by_entity_tag_and_origin() {
    let cfg = r#"
[[party]]
id = "guangan"
name = "广安市"
[[party]]
id = "cq-yubei"
name = "重庆市渝北区"
[[party]]
id = "linshui"
name = "邻水县"

[metric.vat]
name = "增值税"
kind = "tax"
quantum = "0.01"

[zone.g]
name = "川渝高竹新区"
host = "guangan"

[[zone.g.agreement]]
id = "2024"
from = "2024-01-01"

[[zone.g.agreement.rule]]
id = "increment"
metrics = ["vat"]
kind = "fixed"
shares = { guangan = "0.5", cq-yubei = "0.5" }

[[zone.g.agreement.rule]]
id = "moved"
metrics = ["vat"]
applies_to = { origin = "linshui" }
kind = "fixed"
shares = { guangan = "0.2", linshui = "0.8" }

[[zone.g.agreement.rule]]
id = "stock"
metrics = ["vat"]
applies_to = { tag = "stock" }
kind = "fixed"
shares = { guangan = "1" }
"#;
    let s = scratch(
        cfg,
        "period,zone,entity,metric,amount\n\
         2025-01,g,S,vat,100.00\n\
         2025-01,g,M,vat,100.00\n\
         2025-01,g,N,vat,100.00\n\
         2025-01,g,X,vat,100.00\n",
    );
    // M has both: origin linshui comes first in file order. N has neither. X is
    // not in the file: both go to the rule without applies_to.
    s.write(
        "entities.csv",
        "企业,投产日期,迁出地,标签\nS,2014/4/1,,stock\nM,2019年7月1日,linshui,stock\nN,,,\n",
    );
    s.run(&["--entities", "entities.csv"]).success();
    assert_eq!(
        s.read("out/summary.csv"),
        "period,zone,metric,party,amount\n\
         2025-01,g,vat,cq-yubei,100.00\n\
         2025-01,g,vat,guangan,220.00\n\
         2025-01,g,vat,linshui,80.00\n"
    );
    // Σ = 400.00: guangan 100 (S) + 20 (M) + 50 (N) + 50 (X); linshui 80; cq 50 + 50.
}

/// Run `args` and expect exit 1, every needle in stderr, and the output directory
/// untouched.
fn refuse(s: &Scratch, args: &[&str], needles: &[&str]) {
    let _ = std::fs::remove_dir_all(s.path("out"));
    std::fs::create_dir_all(s.path("out")).unwrap();
    s.write("out/summary.csv", "old\n");
    let out = s.run(args).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(s.read("out/summary.csv"), "old\n");
    assert!(!s.path("out/settlement.csv").exists());
}

const RECORDS: &str = "period,zone,entity,metric,amount\n2025-01,z,E1,vat,100.00\n";

#[test]
fn config_mistakes_of_part_two_are_located() {
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            BASE.replace(r#"sichuan = "0.175""#, r#"sichuan = "0.6""#) + ZONE,
            vec![
                "config.toml:",
                "metric.vat.levels",
                "sum to 1.1",
                "more than 1",
            ],
        ),
        (
            BASE.replace(
                r#"levels = { central = "0.5", sichuan = "0.175" }"#,
                r#"levels = { central = "0.5", aba = "0.1" }"#,
            ) + ZONE,
            vec!["'aba' takes a statutory level of metric 'vat'"],
        ),
        (
            BASE.replace(r#"pool = ["vat", "cit"]"#, r#"pool = ["vat", "cti"]"#) + ZONE,
            vec![
                "metric.local.pool",
                "'cti' is not a declared metric",
                "did you mean 'cit'",
            ],
        ),
        (
            BASE.replace(r#"pool = ["vat", "cit"]"#, r#"pool = ["vat", "output"]"#) + ZONE,
            vec!["'output' is a statistic metric but the pool is tax"],
        ),
        (
            BASE.to_string()
                + "[metric.other]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"vat\"]\n"
                + ZONE,
            vec!["is already in pool", "at most one pool"],
        ),
        (
            BASE.to_string()
                + &ZONE.replace(r#"metrics = ["local"]"#, r#"metrics = ["local", "vat"]"#),
            vec!["names pool 'local' and its component 'vat'"],
        ),
        (
            BASE.to_string()
                + ZONE
                + "[[zone.z.agreement.rule]]\nid = \"again\"\nmetrics = [\"output\"]\nkind = \"fixed\"\nshares = { aba = \"1\" }\n",
            vec!["metric 'output' is already shared by rule 'stats'"],
        ),
        (
            BASE.to_string()
                + ZONE
                + "[[zone.z.agreement.rule]]\nid = \"t\"\nmetrics = [\"output\"]\napplies_to = { tag = \"Stock Co\" }\nkind = \"fixed\"\nshares = { aba = \"1\" }\n",
            vec!["applies_to", "'Stock Co' is not a tag"],
        ),
        (
            BASE.to_string()
                + ZONE
                + "[[zone.z.agreement.rule]]\nid = \"t\"\nmetrics = [\"output\"]\napplies_to = { kind = \"stock\" }\nkind = \"fixed\"\nshares = { aba = \"1\" }\n",
            vec!["unknown key 'kind'", "expected tag or origin"],
        ),
        (
            BASE.replace("assessment = \"dual\"\n", "").replace(
                "kind = \"statistic\"",
                "kind = \"statistic\"\nassessment = \"double\"",
            ) + ZONE,
            vec!["'double' is not an assessment view"],
        ),
        (
            BASE.replace(
                "[metric.cit]",
                "[metric.cit]\nlevels = { central = \"0.6\" }",
            ) + ZONE,
            vec!["both central_share and levels"],
        ),
    ];
    for (cfg, needles) in cases {
        let s = scratch(&cfg, RECORDS);
        let mut all = needles.clone();
        all.push("config.toml:");
        refuse(&s, &[], &all);
    }
}

#[test]
fn input_mistakes_of_part_two_are_located() {
    let cfg = format!("{BASE}{ZONE}");
    // A record naming a pool.
    let s = scratch(
        &cfg,
        "period,zone,entity,metric,amount\n2025-01,z,E1,local,1.00\n",
    );
    refuse(&s, &[], &["records.csv:2: metric: 'local' is a pool"]);
    // A deduction naming a component that the zone pools.
    let s = scratch(&cfg, RECORDS);
    s.write("d.csv", "period,zone,metric,amount\n2025-01,z,vat,1.00\n");
    refuse(
        &s,
        &["--deductions", "d.csv"],
        &["d.csv:2:", "deduct from the pool 'local'"],
    );
    // A deduction of another granularity.
    s.write("d.csv", "period,zone,metric,amount\n2025-Q1,z,local,1.00\n");
    refuse(
        &s,
        &["--deductions", "d.csv"],
        &["d.csv:2: period:", "one granularity per run"],
    );
    // An entity listed twice; a tag of the wrong form; an unknown origin.
    s.write(
        "e.csv",
        "entity,tags,origin\nE1,stock,\nE1,,\nE2,Stock Co,\nE3,,nowhere\n",
    );
    refuse(
        &s,
        &["--entities", "e.csv"],
        &[
            "e.csv:3: entity: 'E1' is listed twice (first at line 2)",
            "e.csv:4: tags: 'Stock Co' is not a tag",
            "e.csv:5: origin: 'nowhere' is not a declared party",
        ],
    );
    // The same records file given twice.
    s.write("copy.csv", RECORDS);
    refuse(
        &s,
        &["--records", "copy.csv"],
        &[
            "copy.csv: this file has the same content",
            "--records records.csv",
        ],
    );
}

#[test]
fn deductions_for_entity_anchored_rules_find_the_entitys_cell() {
    let cfg = r#"
[[party]]
id = "chengdu"
[[party]]
id = "aba"
[metric.vat]
kind = "tax"
quantum = "0.01"
[zone.z]
host = "chengdu"
[[zone.z.agreement]]
id = "a"
from = "2010-01-01"
[[zone.z.agreement.rule]]
id = "tax"
metrics = ["vat"]
kind = "schedule"
anchor = "entity_start"
phases = [ { years = 5, shares = { aba = "0.6", chengdu = "0.4" } }, { shares = { aba = "0.5", chengdu = "0.5" } } ]
"#;
    let s = scratch(
        cfg,
        "period,zone,entity,metric,amount,entity_start\n\
         2025-01,z,OLD,vat,100.00,2010-01-01\n\
         2025-01,z,NEW,vat,100.00,2024-01-01\n",
    );
    s.write(
        "d.csv",
        "period,zone,metric,amount,entity,reason\n2025-01,z,vat,10.00,NEW,返还\n",
    );
    s.run(&["--deductions", "d.csv"]).success();
    // NEW is in phase 1: T = 100.00 − 10.00 = 90.00 → aba 54.00, chengdu 36.00;
    // OLD in phase 2: 50.00 / 50.00.
    assert_eq!(
        s.read("out/summary.csv"),
        "period,zone,metric,party,amount\n\
         2025-01,z,vat,aba,104.00\n\
         2025-01,z,vat,chengdu,86.00\n\
         2025-01,z,vat,deduction,10.00\n"
    );
    // Without an entity, or for an entity with no record there: an error at the line.
    s.write("d.csv", "period,zone,metric,amount\n2025-01,z,vat,10.00\n");
    refuse(
        &s,
        &["--deductions", "d.csv"],
        &["d.csv:2:", "entity: empty"],
    );
    s.write(
        "d.csv",
        "period,zone,metric,amount,entity\n2025-01,z,vat,10.00,GONE\n",
    );
    refuse(
        &s,
        &["--deductions", "d.csv"],
        &["d.csv:2:", "'GONE' has no record"],
    );
    // Start dates that conflict between a record and the entities file.
    s.write("e.csv", "entity,entity_start\nOLD,2011-01-01\n");
    refuse(
        &s,
        &["--entities", "e.csv"],
        &["records.csv:2: entity_start:", "e.csv:2"],
    );
}

/// Lines that reduce the same cell are held as one group: the cell takes their sum,
/// `explain` still lists every line in the file's order with its own amount and reason,
/// and a problem of the group is reported at each of its lines.
#[test]
fn deduction_lines_of_one_cell_are_each_traced_and_each_reported() {
    let s = scratch(
        &format!("{BASE}{ZONE}"),
        "period,zone,entity,metric,amount\n2025-01,z,E1,vat,1000.00\n2025-02,z,E1,vat,1000.00\n",
    );
    s.write(
        "d.csv",
        "period,zone,metric,amount,reason\n\
         2025-01,z,local,10.00,奖补一\n\
         2025-02,z,local,5.00,二月\n\
         2025-01,z,local,-2.50,冲回\n",
    );
    s.run(&["--deductions", "d.csv"]).success();
    // January: D = 10.00 − 2.50 = 7.50 (two lines, one group).
    let summary = s.read("out/summary.csv");
    assert!(
        summary.contains("2025-01,z,local,deduction,7.50\n"),
        "{summary}"
    );
    assert!(
        summary.contains("2025-02,z,local,deduction,5.00\n"),
        "{summary}"
    );
    let out = fencheng()
        .current_dir(s.dir.path())
        .args(["--lang", "en", "explain", "--config", "config.toml"])
        .args(["--records", "records.csv", "--deductions", "d.csv"])
        .args(["--period", "2025-01", "--zone", "z", "--metric", "local"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("d.csv:")).collect();
    assert_eq!(
        lines,
        ["    d.csv:2  10.00  奖补一", "    d.csv:4  -2.50  冲回"],
        "{text}"
    );
    // A zone with no agreement in force: both lines of the group are named.
    s.write(
        "d.csv",
        "period,zone,metric,amount\n2009-01,z,local,1.00\n2025-01,z,local,1.00\n2009-01,z,local,2.00\n",
    );
    let out = s.run(&["--deductions", "d.csv"]).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("d.csv:2:") && err.contains("d.csv:4:"),
        "{err}"
    );
    assert!(!err.contains("d.csv:3:"), "{err}");
}

#[test]
fn set_changes_a_level_ratio_and_an_applies_to() {
    let s = scratch(
        &format!("{BASE}{ZONE}"),
        "period,zone,entity,metric,amount\n2025-01,z,E1,vat,1000.00\n",
    );
    // sichuan's level 0.175 → 0.2: 1000.00 × 0.2 = 200.00; T = 1000 − 500 − 200 = 300.00.
    s.run(&["--set", "metric.vat.levels.sichuan=0.2"]).success();
    let summary = s.read("out/summary.csv");
    assert!(
        summary.contains("2025-01,z,vat,sichuan,200.00\n"),
        "{summary}"
    );
    assert!(
        summary.contains("2025-01,z,local,aba,180.00\n"),
        "{summary}"
    );
    fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out"])
        .assert()
        .success();
    // Levels summing over 1 are refused.
    s.run(&["--set", "metric.vat.levels.sichuan=0.6"]).code(1);
    // applies_to of a rule that has one can be changed.
    let cfg = format!("{BASE}{}", ZONE.replace("[[zone.z.agreement.rule]]\nid = \"stats\"", "[[zone.z.agreement.rule]]\nid = \"stock\"\nmetrics = [\"local\"]\napplies_to = { tag = \"stock\" }\nkind = \"fixed\"\nshares = { chengdu = \"1\" }\n\n[[zone.z.agreement.rule]]\nid = \"stats\""));
    let s = scratch(
        &cfg,
        "period,zone,entity,metric,amount\n2025-01,z,E1,vat,1000.00\n",
    );
    s.write("e.csv", "entity,tags\nE1,moved\n");
    s.run(&["--entities", "e.csv"]).success();
    assert!(
        s.read("out/summary.csv")
            .contains("2025-01,z,local,aba,195.00\n")
    );
    s.run(&[
        "--entities",
        "e.csv",
        "--set",
        "zone.z.agreement.2021.rule.stock.applies_to.tag=moved",
    ])
    .success();
    let summary = s.read("out/summary.csv");
    assert!(
        summary.contains("2025-01,z,local,chengdu,325.00\n"),
        "{summary}"
    );
}
