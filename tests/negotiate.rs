//! Negotiation: --set, scenarios, compare, sweep with a target, policy bands, chart.

use crate::common;

use common::{Scratch, config, fencheng, repo};

const ZONE: &str = r#"
[zone.z]
name = "园区"
host = "chengdu"

[[zone.z.agreement]]
id = "2021"
from = "2021-01-01"

[[zone.z.agreement.rule]]
id = "tax"
metrics = ["fcs"]
kind = "fixed"
shares = { aba = "0.7", chengdu = "0.2", ganzi = "0.1" }
"#;

const RECORDS: &str =
    "period,zone,entity,metric,amount\n2025-01,z,E1,fcs,100.00\n2025-02,z,E1,fcs,10000.01\n";

fn setup(zone: &str) -> Scratch {
    let s = Scratch::new();
    s.write("config.toml", &config(zone));
    s.write("records.csv", RECORDS);
    s
}

fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

#[test]
fn set_on_a_three_party_table_rescales_exactly() {
    // aba 0.7 → 0: chengdu and ganzi share 1 in the proportion 0.2 : 0.1, i.e. exactly
    // 2/3 and 1/3 (not 0.6666…67). The same split written by hand is `weighted` 2 : 1.
    let s = setup(ZONE);
    s.run(&["--set", "zone.z.agreement.2021.rule.tax.shares.aba=0"])
        .success();
    let by_set = s.read("out/summary.csv");
    let hand = setup(&ZONE.replace(
        "kind = \"fixed\"\nshares = { aba = \"0.7\", chengdu = \"0.2\", ganzi = \"0.1\" }",
        "kind = \"weighted\"\nweights = { aba = \"0\", chengdu = \"2\", ganzi = \"1\" }",
    ));
    hand.run(&[]).success();
    assert_eq!(by_set, hand.read("out/summary.csv"));
    // 10000.01 → n = 1000001 → 666667.33 / 333333.67 → 1 left → ganzi (.67) →
    // chengdu 6666.67, ganzi 3333.34.
    assert!(
        by_set.contains("2025-02,z,fcs,chengdu,6666.67\n2025-02,z,fcs,ganzi,3333.34\n"),
        "{by_set}"
    );

    // 0.7 → 0.65: the others × 0.35/0.3 → 0.2333… and 0.1166… exactly; same as a
    // hand-edited table with aba 0.65 only if the rescale is exact: check on weights.
    let s = setup(ZONE);
    s.run(&["--set", "zone.z.agreement.2021.rule.tax.shares.aba=0.65"])
        .success();
    let hand = setup(&ZONE.replace(
        "kind = \"fixed\"\nshares = { aba = \"0.7\", chengdu = \"0.2\", ganzi = \"0.1\" }",
        "kind = \"weighted\"\nweights = { aba = \"39\", chengdu = \"14\", ganzi = \"7\" }",
    ));
    hand.run(&[]).success();
    assert_eq!(s.read("out/summary.csv"), hand.read("out/summary.csv"));
    // The manifest records the override, and verify replays it.
    assert!(
        s.read("out/manifest.json")
            .contains("zone.z.agreement.2021.rule.tax.shares.aba=0.65")
    );
    fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out"])
        .assert()
        .success();
}

#[test]
fn set_errors_name_the_closest_path() {
    let s = setup(ZONE);
    let err = stderr(
        s.run(&["--set", "zone.z.agreement.2021.rule.tax.share.aba=0.5"])
            .code(1),
    );
    assert!(
        err.contains(
            "--set: zone.z.agreement.2021.rule.tax.share.aba=0.5: no key 'share' under zone.z.agreement.2021.rule.tax; did you mean 'shares'?"
        ),
        "{err}"
    );
    let err = stderr(
        s.run(&["--set", "zone.z.agreement.2021.rule.tax.shares.guangan=0.5"])
            .code(1),
    );
    assert!(
        err.contains("'guangan' is not a party of this table"),
        "{err}"
    );
    let err = stderr(
        s.run(&["--set", "zone.z.agreement.2021.rule.tax.shares.aba=1.5"])
            .code(1),
    );
    assert!(err.contains("not a ratio between 0 and 1"), "{err}");
    s.run(&["--set", "no-equals-sign"]).code(2);
}

#[test]
fn compare_two_scenarios() {
    let s = setup(ZONE);
    s.write(
        "counter.toml",
        "[[zone.z.agreement]]\nid = \"2021\"\n[[zone.z.agreement.rule]]\nid = \"tax\"\nmetrics = [\"fcs\"]\nkind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.3\", ganzi = \"0.1\" }\n",
    );
    s.write("same.toml", "[[zone.z.agreement]]\nid = \"2021\"\n");
    let out = stdout(
        common::fencheng_in(s.dir.path(), "compare --config config.toml --records records.csv --scenario counter.toml --scenario same.toml")
            .assert()
            .success(),
    );
    insta::assert_snapshot!("compare_two_scenarios", out);
    let csv = stdout(
        common::fencheng_in(
            s.dir.path(),
            "compare --config config.toml --records records.csv --scenario same.toml --format csv",
        )
        .assert()
        .success(),
    );
    // A scenario that changes nothing: every difference is zero.
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f[5], "0.00", "{line}");
        assert_eq!(f[3], f[4], "{line}");
    }
}

fn sweep(s: &Scratch, args: &[&str]) -> assert_cmd::assert::Assert {
    common::fencheng_in(s.dir.path(), "sweep --config config.toml --records records.csv --vary zone.z.agreement.2021.rule.tax.shares.aba")
        .args(args)
        .assert()
}

#[test]
fn sweep_target_found_and_refined() {
    let two = ZONE.replace(
        "{ aba = \"0.7\", chengdu = \"0.2\", ganzi = \"0.1\" }",
        "{ aba = \"0.5\", chengdu = \"0.5\" }",
    );
    let s = setup(&two);
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount\n2025-01,z,E1,fcs,10000.00\n",
    );
    // aba gets 10000 × v: 7350.00 is reached at v = 0.735 exactly (0.734999 gives
    // 7349.99); on the grid 0.5, 0.6, …, 0.9 the first value reaching it is 0.8.
    let out = stdout(
        sweep(
            &s,
            &[
                "--from",
                "0.5",
                "--to",
                "0.9",
                "--step",
                "0.1",
                "--target",
                "aba=7350.00",
            ],
        )
        .success(),
    );
    assert!(out.contains("target: aba ≥ 7350.00 holds from 0.735000 on, the lowest value at which it holds; aba then gets 7350.00; between the grid values 0.7 and 0.8 (refined by bisection to 6 decimals"), "{out}");
    assert!(out.contains("  0.7  7000.00  3000.00"), "{out}");
    let out = stdout(
        sweep(
            &s,
            &[
                "--from", "0.5", "--to", "0.9", "--step", "0.1", "--target", "aba=9500",
            ],
        )
        .success(),
    );
    assert!(
        out.contains("target: aba ≥ 9500 holds nowhere in 0.5–0.9 (aba ranges from 5000.00 to 9000.00; totals over the records given (2025"),
        "{out}"
    );
}

#[test]
fn sweep_grid_has_no_float_artefacts() {
    let s = setup(ZONE);
    let out = stdout(
        sweep(
            &s,
            &[
                "--from", "0.1", "--to", "0.3", "--step", "0.1", "--format", "csv",
            ],
        )
        .success(),
    );
    let values: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(values, vec!["0.1", "0.2", "0.3"]);
    assert!(!out.contains("0000000"), "{out}");
}

#[test]
fn band_just_inside_and_just_outside() {
    let banded = ZONE.replace(
        "shares = { aba = \"0.7\", chengdu = \"0.2\", ganzi = \"0.1\" }",
        "shares = { aba = \"0.7\", chengdu = \"0.2\", ganzi = \"0.1\" }\nband = \"0.20\"",
    );
    let s = setup(&banded);
    // 0.7 → 0.5 moves aba by exactly 0.20: inside. (chengdu 0.2 → 0.333…, ganzi 0.1 → 0.166…)
    s.run(&["--set", "zone.z.agreement.2021.rule.tax.shares.aba=0.5"])
        .success();
    // 0.7 → 0.49 moves it by 0.21: outside → refused, unless allowed.
    let err = stderr(
        s.run(&["--set", "zone.z.agreement.2021.rule.tax.shares.aba=0.49"])
            .code(1),
    );
    assert!(
        err.contains("shares.aba: 0.49 is 0.21 from the signed 0.7, outside the band ±0.2"),
        "{err}"
    );
    s.run(&[
        "--set",
        "zone.z.agreement.2021.rule.tax.shares.aba=0.49",
        "--allow-outside-band",
    ])
    .success();
    // sweep marks the rows outside the band.
    let out = stdout(
        sweep(
            &s,
            &[
                "--from", "0.48", "--to", "0.52", "--step", "0.01", "--format", "csv",
            ],
        )
        .success(),
    );
    let flags: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(
        flags,
        vec!["true", "true", "false", "false", "false"],
        "{out}"
    );
    // compare refuses a scenario outside the band.
    s.write("far.toml", "[[zone.z.agreement]]\nid = \"2021\"\n[[zone.z.agreement.rule]]\nid = \"tax\"\nmetrics = [\"fcs\"]\nkind = \"fixed\"\nshares = { aba = \"0.3\", chengdu = \"0.6\", ganzi = \"0.1\" }\nband = \"0.20\"\n");
    common::fencheng_in(
        s.dir.path(),
        "compare --config config.toml --records records.csv --scenario far.toml",
    )
    .assert()
    .code(1);
}

#[test]
fn sweep_chart_is_an_svg_with_one_series_per_party() {
    let s = setup(ZONE);
    sweep(
        &s,
        &[
            "--from",
            "0.5",
            "--to",
            "0.9",
            "--step",
            "0.1",
            "--target",
            "aba=7000",
            "--chart",
            "sweep.svg",
        ],
    )
    .success();
    let svg = s.read("sweep.svg");
    let doc = roxmltree::Document::parse(&svg).expect("valid XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect();
    // Parties by name and id in the legend, the target as a labelled line.
    for label in [
        "阿坝藏族羌族自治州 aba",
        "成都市 chengdu",
        "甘孜藏族自治州 ganzi",
        "aba ≥ 7,000",
    ] {
        assert!(
            texts.iter().any(|t| t == label),
            "legend for {label}: {texts:?}"
        );
    }
    let lines = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "polyline")
        .count();
    assert!(lines >= 3, "{lines} polylines");
}

#[test]
fn sample_scenarios_run() {
    let out = stdout(
        common::fencheng_in(repo(), "compare --config config --records samples/records-2025.csv --scenario samples/scenario-55-45.toml --scenario samples/scenario-longer-first-phase.toml --format csv")
            .assert()
            .success(),
    );
    assert!(
        out.contains(
            "cheng-a,vat,aba,1359701.07,1311171.83,-48529.24,-3.57,1530040.73,170339.66,12.53"
        ),
        "{out}"
    );
}

#[test]
fn sweep_answers_a_condition_as_negotiators_ask_it() {
    let two = ZONE.replace(
        "{ aba = \"0.7\", chengdu = \"0.2\", ganzi = \"0.1\" }",
        "{ aba = \"0.5\", chengdu = \"0.5\" }",
    );
    let s = setup(&two);
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount\n2025-01,z,E1,fcs,10000.00\n",
    );
    let grid = ["--from", "0.5", "--to", "0.9", "--step", "0.1"];
    let json = |target: &str, extra: &[&str]| -> serde_json::Value {
        let mut args: Vec<&str> = grid.to_vec();
        args.extend(["--target", target, "--format", "json"]);
        args.extend(extra);
        serde_json::from_str(&stdout(sweep(&s, &args).success())).unwrap()
    };
    // chengdu gets 10000 × (1 − v): chengdu ≥ 2650 holds up to v = 0.735 exactly.
    let v = json("chengdu>=2650", &[]);
    assert_eq!(v["holds"], "between");
    assert_eq!(v["boundary"], "0.735000");
    assert!(
        v["target"]
            .as_str()
            .unwrap()
            .contains("holds up to 0.735000, the highest value"),
        "{v}"
    );
    // aba ≤ 6000 holds from 0.5 to 0.6.
    let v = json("aba<=6000", &[]);
    assert_eq!(v["boundary"], "0.600000");
    // Nowhere and everywhere.
    let v = json("aba>=9500", &[]);
    assert_eq!(
        (v["holds"].as_str(), v["boundary"].is_null()),
        (Some("nowhere"), true)
    );
    let v = json("aba>=100", &[]);
    assert_eq!(
        (v["holds"].as_str(), v["boundary"].is_null()),
        (Some("everywhere"), true)
    );
    // Over the agreement's life (two years, no growth): twice the year's totals, so
    // aba ≥ 15000 first holds at 0.75.
    let v = json(
        "aba>=15000",
        &["--over", "life", "--until", "2026", "--growth", "0"],
    );
    assert_eq!(v["boundary"], "0.750000", "{v}");
    assert!(v["over"].as_str().unwrap().contains("2025–2026"), "{v}");
    // The same over the records of 2025 only says so.
    let v = json("aba>=15000", &[]);
    assert!(
        v["target"].as_str().unwrap().contains("2025; --over life"),
        "{v}"
    );
}

#[test]
fn compare_filters_and_names() {
    let s = setup(ZONE);
    s.write(
        "counter.toml",
        "[[zone.z.agreement]]\nid = \"2021\"\n[[zone.z.agreement.rule]]\nid = \"tax\"\nmetrics = [\"fcs\"]\nkind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.3\", ganzi = \"0.1\" }\n",
    );
    let out = stdout(
        common::fencheng_in(s.dir.path(), "compare --config config.toml --records records.csv --scenario counter.toml --party chengdu")
            .assert()
            .success(),
    );
    assert!(
        out.contains("chengdu 成都市") && !out.contains("aba"),
        "{out}"
    );
}

#[test]
fn chart_titles_speak_the_readers_language() {
    let s = setup(ZONE);
    for (lang, words) in [
        ("zh", ["各方合计随", "规则"]),
        ("en", ["each party's total against", "rule"]),
    ] {
        let file = format!("sweep-{lang}.svg");
        sweep(
            &s,
            &[
                "--from", "0.5", "--to", "0.9", "--step", "0.1", "--lang", lang, "--chart", &file,
            ],
        )
        .success();
        let svg = s.read(&file);
        for w in words {
            assert!(svg.contains(w), "{lang}: {w}");
        }
    }
}

/// A directory holding `c.toml` (two parties a and b, vat, zone z hosted by a, then
/// `rest` — its agreements) and `r.csv` (one record of 150.00 in z, 2025-01).
fn one_record(rest: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.toml"),
        format!(
            "[[party]]\nid = \"a\"\n[[party]]\nid = \"b\"\n[metric.vat]\nkind = \"tax\"\n\
             quantum = \"0.01\"\n[zone.z]\nhost = \"a\"\n{rest}"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("r.csv"),
        "period,zone,entity,metric,amount\n2025-01,z,E1,vat,150.00\n",
    )
    .unwrap();
    dir
}

/// `run --records r.csv` in `dir` with `args`, in English.
fn run_in(dir: &tempfile::TempDir, args: &[&str]) -> assert_cmd::assert::Assert {
    fencheng()
        .current_dir(dir.path())
        .args(["--lang", "en", "run", "--records", "r.csv"])
        .args(args)
        .assert()
}

/// Agreement v1 of zone z from 2020 with one rule `t` for vat: `rule` its kind and tables.
fn agreement(rule: &str) -> String {
    format!(
        "[[zone.z.agreement]]\nid = \"v1\"\nfrom = \"2020-01-01\"\n\
         [[zone.z.agreement.rule]]\nid = \"t\"\nmetrics = [\"vat\"]\n{rule}\n"
    )
}

/// `--set` applies the configuration's own rule for tier limits (above 0, each above
/// the one before): a limit of 0 is refused there as it is in the file. (Before, `--set`
/// checked only that limits increase, and took 0.)
#[test]
fn a_tier_limit_set_on_the_command_line_obeys_the_files_rule() {
    let tiers = "kind = \"tiered\"\ntiers = [ { upto = \"100.00\", shares = { a = \"0.6\", b = \"0.4\" } }, { shares = { a = \"0.5\", b = \"0.5\" } } ]";
    let dir = one_record(&agreement(tiers));
    let config = std::fs::read_to_string(dir.path().join("c.toml")).unwrap();
    std::fs::write(
        dir.path().join("zero.toml"),
        config.replace("\"100.00\"", "\"0\""),
    )
    .unwrap();
    let said = stderr(run_in(&dir, &["--config", "zero.toml"]).code(1));
    assert!(
        said.contains("tier limits must increase and be above 0"),
        "{said}"
    );
    let set = "zone.z.agreement.v1.rule.t.tiers.1.upto";
    let said = stderr(run_in(&dir, &["--config", "c.toml", "--set", &format!("{set}=0")]).code(1));
    assert!(
        said.contains("tier limits must increase and be above 0"),
        "{said}"
    );
    // A limit that follows the rule is taken: 120 × 0.6 + 30 × 0.5 = 87.00 for a,
    // 120 × 0.4 + 30 × 0.5 = 63.00 for b.
    let out = stdout(
        run_in(
            &dir,
            &["--config", "c.toml", "--set", &format!("{set}=120")],
        )
        .success(),
    );
    assert!(out.contains("87.00") && out.contains("63.00"), "{out}");
}

/// `--set` on a formula rule applies the file's rules for the parts together: a second
/// `rest`, or `year` where the rule has no anchor, is refused as in the file (before,
/// `shares.a=rest` beside `b = "rest"` gave a nothing and b everything).
#[test]
fn a_formula_set_on_the_command_line_obeys_the_files_rules() {
    let dir = one_record(&agreement(
        "kind = \"formula\"\nshares = { a = \"0.6\", b = \"rest\" }",
    ));
    let set = |v: &str| {
        let s = format!("zone.z.agreement.v1.rule.t.shares.a={v}");
        run_in(&dir, &["--config", "c.toml", "--set", &s])
    };
    let said = stderr(set("rest").code(1));
    assert!(said.contains("more than one party is 'rest'"), "{said}");
    let said = stderr(set("0.5 + 0.01 * year").code(1));
    assert!(
        said.contains("uses 'year' but the rule has no anchor"),
        "{said}"
    );
    // 150.00 × 0.55 = 82.50 for a, the rest 67.50 for b.
    let out = stdout(set("0.55").success());
    assert!(out.contains("82.50") && out.contains("67.50"), "{out}");
}

/// `--set` on a version's dates applies the file's rules: a version ends on or after
/// it starts, and two versions of a zone do not overlap (before, both were taken, and
/// the records then found "no agreement in force").
#[test]
fn agreement_dates_set_on_the_command_line_obey_the_files_rules() {
    let rule = "[[zone.z.agreement.rule]]\nid = \"t\"\nmetrics = [\"vat\"]\nkind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }\n";
    let dir = one_record(&format!(
        "[[zone.z.agreement]]\nid = \"v1\"\nfrom = \"2020-01-01\"\nto = \"2022-12-31\"\n{rule}\
         [[zone.z.agreement]]\nid = \"v2\"\nfrom = \"2023-01-01\"\n{rule}"
    ));
    let set = |s: &str| run_in(&dir, &["--config", "c.toml", "--set", s]);
    let said = stderr(set("zone.z.agreement.v1.to=2019-01-01").code(1));
    assert!(said.contains("before it starts"), "{said}");
    let said = stderr(set("zone.z.agreement.v1.to=2023-06-30").code(1));
    assert!(said.contains("v2") && said.contains("v1"), "{said}");
    // Dates that keep the versions apart are taken: 150.00 × 0.6 = 90.00.
    let out = stdout(set("zone.z.agreement.v2.from=2024-01-01").success());
    assert!(out.contains("90.00"), "{out}");
}

/// `--set` of a statutory level applies the file's rules for who may take one: not
/// `deduction`, not an undeclared name, not a party of the rule that shares the metric
/// (before, all three were taken: `b` got its level and its share, a `deduction` row
/// of 15.00 appeared).
#[test]
fn a_level_set_on_the_command_line_obeys_the_files_rules() {
    let dir = one_record(&format!(
        "[[party]]\nid = \"sc\"\n{}",
        agreement("kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }")
    ));
    let set = |s: &str| run_in(&dir, &["--config", "c.toml", "--set", s]);
    for (s, says) in [
        ("metric.vat.levels.b=0.1", "is also named by this rule"),
        ("zone.z.levels.vat.b=0.1", "is also named by this rule"),
        (
            "metric.vat.levels.deduction=0.1",
            "reserved for the deductions row",
        ),
        (
            "metric.vat.levels.nobody=0.1",
            "'nobody' is not a declared party",
        ),
    ] {
        let said = stderr(set(s).code(1));
        assert!(said.contains(says), "{s}: {said}");
    }
    // The province takes 10 % first: 15.00; the rest 135.00 is shared 0.6 / 0.4:
    // a 81.00, b 54.00.
    let out = stdout(set("metric.vat.levels.sc=0.1").success());
    for figure in ["15.00", "81.00", "54.00"] {
        assert!(out.contains(figure), "{figure}: {out}");
    }
}
