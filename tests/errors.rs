//! Malformed inputs: exit 1, the file and line in the message, no panic, and an output
//! directory left exactly as it was.

use crate::common;

use common::{Scratch, config};

const ZONE: &str = r#"
[zone.z]
name = "园区"
host = "chengdu"

[[zone.z.agreement]]
id = "2021"
from = "2021-01-01"
to = "2030-12-31"

[[zone.z.agreement.rule]]
id = "tax"
metrics = ["vat", "fcs"]
kind = "fixed"
shares = { aba = "0.6", chengdu = "0.4" }
"#;

const GOOD_RECORDS: &str = "period,zone,entity,metric,amount\n2025-01,z,E1,vat,100.00\n";

/// Run with `cfg` and `records`; expect exit 1 and every `needles` in stderr; check
/// that a pre-existing output directory is untouched.
fn expect_error(cfg: &str, records: &str, needles: &[&str]) {
    let s = Scratch::new();
    s.write("config.toml", cfg);
    s.write("records.csv", records);
    std::fs::create_dir(s.path("out")).unwrap();
    s.write("out/summary.csv", "old summary\n");
    s.write("out/notes.txt", "mine\n");
    let out = s.run(&[]).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in:\n{err}");
    }
    // Every message names the file and, where there is one, the line.
    let located = ["config.toml:", "records.csv:"].iter().any(|f| {
        err.match_indices(f)
            .any(|(i, _)| err[i + f.len()..].starts_with(|c: char| c.is_ascii_digit()))
    });
    assert!(
        located || err.contains("records.csv: header: the file is empty"),
        "no file:line in:\n{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(s.read("out/summary.csv"), "old summary\n");
    assert_eq!(s.read("out/notes.txt"), "mine\n");
    assert!(!s.path("out/settlement.csv").exists());
    let left: Vec<_> = std::fs::read_dir(s.path("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 2, "no temporary file left behind: {left:?}");
    in_chinese(
        &s,
        &[
            "run",
            "--config",
            "config.toml",
            "--records",
            "records.csv",
            "--out",
            "out",
        ],
    );
}

/// Under a Chinese locale (SPEC §10) the same mistake is reported in Chinese: every
/// line says something in Chinese, except the formula and caret lines quoted from the
/// file; the `file:line:` prefixes are those of the English report.
fn in_chinese(s: &Scratch, args: &[&str]) {
    let run = |lang: &str| {
        let out = common::fencheng()
            .current_dir(s.dir.path())
            .env("LC_ALL", lang)
            .args(args)
            .assert()
            .code(1);
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    };
    let (en, zh) = (run("C"), run("zh_CN.UTF-8"));
    let chinese = |l: &str| l.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for line in zh.lines().filter(|l| !l.trim().is_empty()) {
        let quoted = line.starts_with("    ");
        assert!(
            quoted || chinese(line),
            "not in Chinese: {line:?}\nin:\n{zh}"
        );
    }
    let prefixes = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with("    "))
            .filter_map(|l| l.split_once(": ").map(|(p, _)| p.to_string()))
            .filter(|p| p.contains(':') || p.ends_with(".csv") || p.ends_with(".toml"))
            .collect()
    };
    assert_eq!(
        prefixes(&en),
        prefixes(&zh),
        "file:line: prefixes differ:\n{en}\n{zh}"
    );
}

fn cfg_with(zone: &str) -> String {
    config(zone)
}

#[test]
fn malformed_configs() {
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            cfg_with(&ZONE.replace("\"0.4\"", "\"0.3\"")),
            vec!["config.toml:", "ratios sum to 0.9, expected exactly 1"],
        ),
        (
            cfg_with(&ZONE.replace("aba = \"0.6\"", "abba = \"0.6\"")),
            vec![
                "config.toml:",
                "'abba' is not a declared party; did you mean 'aba'?",
            ],
        ),
        (
            cfg_with(&ZONE.replace("\"0.6\", chengdu = \"0.4\"", "\"1.2\", chengdu = \"-0.2\"")),
            vec!["is negative"],
        ),
        (
            cfg_with(&ZONE.replace("\"0.6\"", "0.6")),
            vec!["config.toml:", "TOML float 0.6 is not exact"],
        ),
        (
            cfg_with(&ZONE.replace("host = \"chengdu\"", "host = \"chongqing\"")),
            vec![
                "config.toml:",
                "zone.z.host: 'chongqing' is not a declared party",
            ],
        ),
        (
            cfg_with(&ZONE.replace("[\"vat\", \"fcs\"]", "[\"vat\", \"gst\"]")),
            vec!["'gst' is not a declared metric"],
        ),
        (
            cfg_with(&ZONE.replace("kind = \"fixed\"", "kind = \"fixd\"")),
            vec!["'fixd' is not a rule kind"],
        ),
        (
            cfg_with(&ZONE.replace("shares =", "shars =")),
            vec![
                "config.toml:",
                "unknown key `shars`; did you mean `shares`?",
            ],
        ),
        (
            cfg_with(&format!(
                "{ZONE}\n[[zone.z.agreement]]\nid = \"2025\"\nfrom = \"2025-06-01\"\n"
            )),
            vec!["overlaps version '2021'"],
        ),
        (
            cfg_with(&format!(
                "{ZONE}\n[[zone.z.agreement.rule]]\nid = \"again\"\nmetrics = [\"vat\"]\nkind = \"fixed\"\nshares = {{ aba = \"1\" }}\n"
            )),
            vec!["metric 'vat' is already shared by rule 'tax'"],
        ),
        (
            config(ZONE).replace(
                "quantum = \"0.01\"\ncentral_share = \"0.5\"",
                "quantum = \"0\"\ncentral_share = \"0.5\"",
            ),
            vec!["must be a positive decimal"],
        ),
        (
            format!("{}\n[[party]]\nid = \"aba\"\n", config(ZONE)),
            vec!["duplicate party 'aba'"],
        ),
        (
            format!("{}\n[[party]]\nid = \"central\"\n", config(ZONE)),
            vec!["'central' is reserved"],
        ),
        (
            cfg_with(&ZONE.replace("from = \"2021-01-01\"", "from = \"2021-13-01\"")),
            vec!["'2021-13-01' is not a date"],
        ),
        (
            cfg_with(&ZONE.replace(
                "kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }",
                "kind = \"formula\"\nshares = { aba = \"if(year < 3, 0.6)\", chengdu = \"rest\" }",
            )),
            vec!["column 1: if() takes 3 arguments", "^"],
        ),
        (
            cfg_with("[zone.z]\nhost = \"chengdu\"\n[[zone.z.agreement]]\nid = = \"x\"\n"),
            vec!["config.toml:51: extra `=`"],
        ),
        (
            cfg_with(&ZONE.replace("to = \"2030-12-31\"", "to = \"2020-12-31\"")),
            vec!["ends (2020-12-31) before it starts (2021-01-01)"],
        ),
        (
            cfg_with(&ZONE.replace("kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }", "kind = \"weighted\"\nweights = { aba = \"0\", chengdu = \"0\" }")),
            vec!["the weights sum to 0"],
        ),
        (
            cfg_with(&ZONE.replace("kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }", "kind = \"formula\"\nshares = { aba = \"rest\", chengdu = \"rest\" }")),
            vec!["more than one party is 'rest'"],
        ),
        (
            cfg_with(&ZONE.replace("kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }", "kind = \"schedule\"\nanchor = \"agreement\"\nphases = [ { shares = { aba = \"1\" } }, { shares = { chengdu = \"1\" } } ]")),
            vec!["only the last phase may be open-ended"],
        ),
        (
            cfg_with(&ZONE.replace("kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }", "kind = \"schedule\"\nanchor = \"entity\"\nphases = [ { shares = { aba = \"1\" } } ]")),
            vec!["'entity' is not an anchor"],
        ),
        (
            cfg_with(&ZONE.replace("kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }", "kind = \"tiered\"\ntiers = [ { upto = \"100\", shares = { aba = \"1\" } }, { upto = \"50\", shares = { aba = \"1\" } }, { shares = { aba = \"1\" } } ]")),
            vec!["tier limits must increase"],
        ),
        (
            cfg_with(&ZONE.replace("shares = { aba = \"0.6\", chengdu = \"0.4\" }", "shares = { aba = \"0.6\", chengdu = \"0.4\" }\nfloor = { ganzi = \"100\" }")),
            vec!["'ganzi' is not a party of this rule"],
        ),
        (
            config(ZONE).replace("central_share = \"0.5\"", "central_share = \"1.5\""),
            vec!["the central share must be between 0 and 1"],
        ),
        (
            cfg_with(&ZONE.replace("kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }", "kind = \"base_increment\"\nbase_owner = \"chengdu\"\nbase = { \"20x5\" = \"100\" }\nshares = { aba = \"1\" }")),
            vec!["'20x5' is not a year"],
        ),
        (
            cfg_with(&ZONE.replace("kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }", "kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }\nband = \"2\"")),
            vec!["a band is a ratio between 0 and 1"],
        ),
    ];
    for (cfg, needles) in cases {
        expect_error(&cfg, GOOD_RECORDS, &needles);
    }
}

#[test]
fn malformed_records() {
    let cfg = config(ZONE);
    let h = "period,zone,entity,metric,amount\n";
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            format!("{h}2025-01,z,E1,vat,1e5\n"),
            vec!["records.csv:2: amount: '1e5'"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,1_000.00\n"),
            vec!["records.csv:2: amount"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,+5.00\n"),
            vec!["records.csv:2: amount"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,5.001\n"),
            vec!["records.csv:2: amount", "more decimals"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,1000000000000000.00\n"),
            vec!["records.csv:2: amount", "too large"],
        ),
        (
            format!("{h}2025-13,z,E1,vat,5.00\n"),
            vec!["records.csv:2: period"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,5.00\n2025-Q1,z,E1,vat,5.00\n"),
            vec!["records.csv:3: period", "one granularity per run"],
        ),
        (
            format!("{h}2025-01,zz,E1,vat,5.00\n"),
            vec!["records.csv:2: zone: 'zz'"],
        ),
        (
            format!("{h}2025-01,z,E1,gst,5.00\n"),
            vec!["records.csv:2: metric: 'gst'"],
        ),
        (
            format!("{h}2025-01,z,,vat,5.00\n"),
            vec!["records.csv:2: entity: empty"],
        ),
        (
            format!("{h}2025-01,z,E1,vat\n"),
            vec!["records.csv:2: 4 fields, expected 5"],
        ),
        (
            format!("{h}\n\n2031-01,z,E1,vat,5.00\n"),
            vec!["records.csv:4:", "no agreement in force in 2031-01"],
        ),
        (
            format!("{h}2025-01,z,E1,cit,5.00\n"),
            vec!["records.csv:2:", "'cit' has no rule"],
        ),
        (
            "zone,entity,metric,amount\n2025-01,z,E1,vat\n".to_string(),
            vec!["records.csv:1: header", "period (期间)"],
        ),
        (
            String::new(),
            vec!["records.csv: header: the file is empty"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,5.00\n2025-01,z,E1\0,vat,5.00\n"),
            vec!["records.csv:3:", "NUL"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,\"5.00\n"),
            vec!["records.csv:2:"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,5.00\n\u{feff}2025-01,z,E1,vat,5.00\n"),
            vec!["records.csv:3:", "byte order mark"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,-0.001\n"),
            vec!["records.csv:2: amount"],
        ),
        (
            format!("{h}2025-01,z,E1,fcs,.50\n"),
            vec!["records.csv:2: amount"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,5.00,extra\n"),
            vec!["records.csv:2: 6 fields, expected 5"],
        ),
        (
            format!("{h}2025-01,z,E1,vat,5.00\r2025-02,z,E1,vat,x\r"),
            vec!["records.csv:3: amount: 'x'"],
        ),
    ];
    for (records, needles) in cases {
        expect_error(&cfg, &records, &needles);
    }
}

#[test]
fn invalid_bytes_are_reported_with_the_offset() {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    let mut bytes = b"period,zone,entity,metric,amount\n2025-01,z,E".to_vec();
    bytes.extend_from_slice(&[0xff, 0xff, 0xff]);
    bytes.extend_from_slice(b",vat,5.00\n");
    std::fs::write(s.path("records.csv"), bytes).unwrap();
    let out = s.run(&["--encoding", "utf-8"]).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("records.csv: not valid UTF-8: bad byte sequence at byte offset 44"),
        "{err}"
    );
    in_chinese(
        &s,
        &[
            "run",
            "--config",
            "config.toml",
            "--records",
            "records.csv",
            "--encoding",
            "utf-8",
        ],
    );
}

#[test]
fn usage_errors_exit_2() {
    common::fencheng()
        .args(["run", "--records", "x.csv"])
        .assert()
        .code(2);
    common::fencheng().args(["frobnicate"]).assert().code(2);
}

#[test]
fn check_reports_every_problem_at_once() {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("records.csv", "period,zone,entity,metric,amount\n2025-01,zz,E1,vat,1\n2025-01,z,E1,vat,1e3\n2025-01,z,,vat,1\n");
    let out = common::fencheng_in(
        s.dir.path(),
        "check --config config.toml --records records.csv",
    )
    .assert()
    .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("records.csv:2: zone")
            && err.contains("records.csv:3: amount")
            && err.contains("records.csv:4: entity"),
        "{err}"
    );
    in_chinese(
        &s,
        &[
            "check",
            "--config",
            "config.toml",
            "--records",
            "records.csv",
        ],
    );
}

#[test]
fn malformed_formulas_are_reported_with_line_and_caret() {
    // (expression, column of the caret)
    let cases = [
        ("if(year <= 5, 0.7)", 1),
        ("0.7 +", 6),
        ("(0.5", 5),
        ("yeer * 0.1", 1),
        ("0.5 < ytd < 0.6", 11),
        ("0.5 and 0.2", 1),
        ("0.3 $ 2", 5),
        ("min()", 5),
    ];
    for (expr, col) in cases {
        let zone = ZONE.replace(
            "kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }",
            &format!("kind = \"formula\"\nanchor = \"agreement\"\nshares = {{ aba = \"{expr}\", chengdu = \"rest\" }}"),
        );
        let s = Scratch::new();
        let text = config(&zone);
        s.write("config.toml", &text);
        let line = text
            .lines()
            .position(|l| l.starts_with("shares = { aba"))
            .unwrap()
            + 1;
        let out = common::fencheng()
            .current_dir(s.dir.path())
            .args(["check", "--config", "config.toml"])
            .assert()
            .code(1);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.contains(&format!(
                "config.toml:{line}: zone.z.agreement.2021.rule.tax.shares.aba: column {col}:"
            )),
            "{expr}: {err}"
        );
        let caret_line = err
            .lines()
            .find(|l| l.trim_start().starts_with('^'))
            .unwrap_or_else(|| panic!("no caret for {expr}: {err}"));
        let expr_line = err
            .lines()
            .find(|l| l.trim() == expr)
            .unwrap_or_else(|| panic!("no expression line for {expr}: {err}"));
        assert_eq!(
            caret_line.find('^').unwrap() - 4,
            col - 1,
            "{expr}: caret under column {col}\n{expr_line}\n{caret_line}"
        );
    }
}

#[test]
fn help_explains_a_code_at_length_in_either_language() {
    let en = common::fencheng()
        .args(["help", "E0214", "--lang", "en"])
        .output()
        .unwrap();
    let text = String::from_utf8(en.stdout).unwrap();
    assert!(text.starts_with("E0214: A record names a zone"), "{text}");
    assert!(
        text.contains("aliases") && text.contains("SPEC §2.1"),
        "{text}"
    );
    let zh = common::fencheng()
        .args(["--lang", "zh", "help", "e0214"])
        .output()
        .unwrap();
    let text = String::from_utf8(zh.stdout).unwrap();
    assert!(
        text.starts_with("E0214: 记录中的园区在配置中不存在"),
        "{text}"
    );
    // A code without a long text: its message, and a note; a code that is none: exit 2.
    let short = common::fencheng()
        .args(["help", "W0004", "--lang", "en"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(short.stdout)
            .unwrap()
            .contains("No longer explanation of W0004")
    );
    common::fencheng().args(["help", "E0999"]).assert().code(2);
    // clap's help of a command is still there.
    let run = common::fencheng()
        .args(["--lang", "en", "help", "run"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(run.stdout)
            .unwrap()
            .contains("Usage: fencheng run")
    );
}

/// Each TOML float is reported at its own line, found from the `toml` crate's spans:
/// two shares of the same value 0.5 in two zones are two lines (a search for the
/// value's text would find the first twice), and a float where a name goes is the
/// schema's complaint alone, said once.
#[test]
fn every_float_is_reported_at_its_own_line() {
    let zone = |id: &str| {
        ZONE.replace("[zone.z]", &format!("[zone.{id}]"))
            .replace("\"0.6\", chengdu = \"0.4\"", "0.5, chengdu = \"0.5\"")
    };
    let cfg = cfg_with(&format!("{}\n{}", zone("z"), zone("y")));
    let cfg = cfg.replacen("name = \"成都市\"", "name = 1.5", 1);
    let s = Scratch::new();
    s.write("config.toml", &cfg);
    s.write("records.csv", GOOD_RECORDS);
    let out = s.run(&[]).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let line_of = |needle: &str| -> Vec<usize> {
        cfg.lines()
            .enumerate()
            .filter(|(_, l)| l.contains(needle))
            .map(|(i, _)| i + 1)
            .collect()
    };
    let floats = line_of("aba = 0.5");
    assert_eq!(floats.len(), 2, "{cfg}");
    for l in &floats {
        let want = format!("config.toml:{l}: TOML float 0.5 is not exact");
        assert!(err.contains(&want), "expected {want:?} in:\n{err}");
    }
    let name = line_of("name = 1.5");
    assert_eq!(name.len(), 1, "{cfg}");
    let said = err.matches(&format!("config.toml:{}:", name[0])).count();
    assert_eq!(said, 1, "{err}");
}
