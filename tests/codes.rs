//! Problems a user can meet in the configuration (E01), the records, side files and
//! profiles (E02) are triggered here, one change each from an input that reads cleanly,
//! and the stable code asserted in `check --format json`: the codes are a contract
//! (SPEC §6, `fencheng help CODE`), so a message that loses its code, or a check that
//! stops firing, fails here by name. Left out: hints carried by another code's message
//! (E0231–E0233, asserted through E0236's words), the whole-file decoders of `--expect`
//! (E0202, E0204, E0248), what no file here can make (E0189 an unlistable directory,
//! E0239 a file over 4 billion lines, E0245/E0246 a workbook without a readable sheet)
//! and `import`'s report (E0278).

use crate::common;

use common::repo;

/// `check --format json ARGS` in `dir`: `None` when it says `code` (and `needle`, if
/// given), else what it said, for the failure's message. Never a panic.
fn unsaid(
    dir: &std::path::Path,
    args: &[&str],
    code: &str,
    needle: Option<&str>,
) -> Option<String> {
    let out = common::fencheng()
        .current_dir(dir)
        .args(["--lang", "en", "check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!text.contains("panicked"), "{code}: {text}");
    let said =
        text.contains(&format!("\"code\": \"{code}\"")) && needle.is_none_or(|n| text.contains(n));
    (!said).then(|| format!("{code}: {}", text.trim()))
}

const HEAD: &str = "period,zone,entity,metric,amount,entity_start\n";
const GOOD: &str = "2025-01,cheng-a,E1,vat,100.00,2014-04-01\n";

/// One case: what the records file holds (bytes), extra files (name, bytes), extra
/// arguments, and the code expected.
struct Case {
    code: &'static str,
    records: Vec<u8>,
    files: Vec<(&'static str, Vec<u8>)>,
    args: Vec<&'static str>,
    /// Words the message must hold besides its code.
    needle: Option<&'static str>,
}

fn case(code: &'static str, records: &str) -> Case {
    Case {
        code,
        records: records.as_bytes().to_vec(),
        files: Vec::new(),
        args: Vec::new(),
        needle: None,
    }
}

/// Good records, and beside them a side file `name` (given as `--FLAG name`) holding `text`.
fn side(code: &'static str, flag: &'static str, name: &'static str, text: &str) -> Case {
    Case {
        files: vec![(name, text.as_bytes().to_vec())],
        args: vec![flag, name],
        ..case(code, &format!("{HEAD}{GOOD}"))
    }
}

fn row(fields: &str) -> String {
    format!("{HEAD}{GOOD}{fields}\n")
}

#[test]
fn every_records_problem_says_its_code() {
    let utf16_bad: Vec<u8> = [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00].to_vec();
    let mut cases = vec![
        Case {
            code: "E0201",
            records: b"PK\x03\x04\x14\x00\x06\x00rest of a zip".to_vec(),
            ..case("", "")
        },
        // A UTF-16 file's bad bytes, as any streamed file's, are said with their offset
        // (E0202 and E0204 are the whole-file decoder's, for --expect files).
        Case {
            code: "E0203",
            records: utf16_bad,
            ..case("", "")
        },
        Case {
            code: "E0203",
            records: [HEAD.as_bytes(), b"2025-01,cheng-a,\xff\xfe,vat,1.00,\n"].concat(),
            args: vec!["--encoding", "utf-8"],
            ..case("", "")
        },
        Case {
            code: "E0203",
            records: [HEAD.as_bytes(), b"2025-01,cheng-a,\x81\x20,vat,1.00,\n"].concat(),
            args: vec!["--encoding", "gb18030"],
            ..case("", "")
        },
        Case {
            code: "E0205",
            records: [HEAD.as_bytes(), b"2025-01,cheng-a,\x81\x20,vat,1.00,\n"].concat(),
            ..case("", "")
        },
        Case {
            code: "E0206",
            records: [HEAD.as_bytes(), b"2025-01,cheng-a,E\x001,vat,1.00,\n"].concat(),
            ..case("", "")
        },
        case("E0207", &row("2025-01,cheng-a,\"E2,vat,1.00,")),
        case("E0208", ""),
        case("E0209", &row("2025-01,cheng-a,E2,vat")),
        case(
            "E0210",
            "period,zone,entity,metric,amount\n2025-01,cheng-a,E2,vat,1,234.50\n",
        ),
        case("E0211", &row("2025-01,cheng-a,\u{feff}E2,vat,1.00,")),
        case("E0212", &row("2025-13,cheng-a,E2,vat,1.00,")),
        case("E0213", &row("2025-Q1,cheng-a,E2,vat,1.00,")),
        case("E0214", &row("2025-01,nowhere,E2,vat,1.00,")),
        case("E0215", &row("2025-01,cheng-a,E2,nothing,1.00,")),
        case("E0216", &row("2025-01,cheng-a,,vat,1.00,")),
        case("E0217", &row("2025-01,cheng-a,E2,vat,1.00,2014-02-30")),
        side(
            "E0218",
            "--entities",
            "e.csv",
            "entity,entity_start\nE1,2015-01-01\n",
        ),
        case("E0219", &row("2025-01,gaozhu,E2,vat_cit,1.00,")),
        case(
            "E0220",
            "period,zone,entity,metric,amount,amount\n2025-01,cheng-a,E1,vat,1.00,1.00\n",
        ),
        case(
            "E0221",
            "period,zone,entity,metric\n2025-01,cheng-a,E1,vat\n",
        ),
        Case {
            code: "E0222",
            args: vec!["--records", "missing.csv"],
            ..case("", &format!("{HEAD}{GOOD}"))
        },
        // E0231–E0233 are hints that E0236 carries: its code, and the hint's words.
        Case {
            needle: Some("全角数字"),
            ..case("E0236", &row("2025-01,cheng-a,E2,vat,１００.00,"))
        },
        Case {
            needle: Some("remove the thousands separator"),
            ..case("E0236", &row("2025-01,cheng-a,E2,vat,\"1,234.50\","))
        },
        Case {
            needle: Some("without ¥ or 元"),
            ..case("E0236", &row("2025-01,cheng-a,E2,vat,¥100.00,"))
        },
        case("E0234", &row("2025-01,cheng-a,E2,vat,1.001,")),
        case("E0235", &row("2025-01,cheng-a,E2,vat,,")),
        case("E0236", &row("2025-01,cheng-a,E2,vat,1e5,")),
        case("E0237", &row("2025-01,cheng-a,E2,vat,1000000000000000.00,")),
        side(
            "E0240",
            "--entities",
            "e.csv",
            "entity,entity_start\nE1,2014-04-01\nE1,2014-04-01\n",
        ),
        side(
            "E0241",
            "--entities",
            "e.csv",
            "entity,origin\nE1,atlantis\n",
        ),
        side(
            "E0242",
            "--entities",
            "e.csv",
            "entity,tags\nE1,Not A Tag\n",
        ),
        side("E0249", "--records", "copy.csv", &format!("{HEAD}{GOOD}")),
        case("E0279", &row("合计,,,,1.00,")),
        // Where a record or a deduction finds no cell (E03).
        case("E0313", &row("2025-01,cheng-a,E2,vat,1.00,")),
        case("E0314", &row("2011-01,cheng-a,E2,vat,1.00,2010-01-01")),
        case("E0301", &row("2025-01,cheng-a,E2,vat,1.00,2025-06-01")),
        side(
            "E0306",
            "--deductions",
            "d.csv",
            "period,zone,metric,amount\n2025-01,cheng-a,vat,1.00\n",
        ),
        side(
            "E0308",
            "--deductions",
            "d.csv",
            "period,zone,metric,amount,entity\n2025-01,cheng-a,vat,1.00,GONE\n",
        ),
        side(
            "E0305",
            "--deductions",
            "d.csv",
            "period,zone,metric,amount\n2025-01,gaozhu,vat,1.00\n",
        ),
        case("E0281", &row("2025-01-15,cheng-a,E2,vat,1.00,")),
        side(
            "E0247",
            "--deductions",
            "d.csv",
            "period,zone,amount\n2025-01,gaozhu,1.00\n",
        ),
        // The quota files, as `check --allocations/--transfers` reads them (SPEC §13.2).
        side(
            "E0250",
            "--allocations",
            "a.csv",
            "year,party,metric,amount\n2025,ganzi,vat,1.000\n",
        ),
        side(
            "E0251",
            "--allocations",
            "a.csv",
            "year,party,metric,amount\n25,ganzi,energy,1.000\n",
        ),
        side(
            "E0152",
            "--allocations",
            "a.csv",
            "year,party,metric,amount\n2025,ganzi,energy,-1.000\n",
        ),
        side(
            "E0252",
            "--transfers",
            "t.csv",
            "date,metric,from,to,amount\n2025-04-15,energy,ganzi,ganzi,1.000\n",
        ),
        side(
            "E0253",
            "--transfers",
            "t.csv",
            "date,metric,from,to,amount\n2025-04-15,energy,ganzi,chengdu,0\n",
        ),
        side(
            "E0254",
            "--transfers",
            "t.csv",
            "date,metric,from,to,amount,price\n2025-04-15,energy,ganzi,chengdu,1.000,-5\n",
        ),
        Case {
            code: "E0255",
            files: vec![
                (
                    "a.csv",
                    b"year,party,metric,amount\n2025,ganzi,energy,1.000\n".to_vec(),
                ),
                (
                    "d.csv",
                    b"period,zone,metric,amount\n2025-01,zhe-gan-cheng,energy,1.000\n".to_vec(),
                ),
            ],
            args: vec!["--allocations", "a.csv", "--deductions", "d.csv"],
            ..case("", &format!("{HEAD}{GOOD}"))
        },
        side("E0243", "--entities", "e.xlsx", "not a workbook at all"),
        Case {
            code: "E0244",
            files: vec![("e.xlsx", workbook(&[("企业", "投产日期")]))],
            args: vec!["--entities", "e.xlsx:Sheet9"],
            ..case("", &format!("{HEAD}{GOOD}"))
        },
    ];
    let mut missed = Vec::new();
    for c in cases.drain(..) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("r.csv"), &c.records).unwrap();
        for (name, bytes) in &c.files {
            std::fs::write(dir.path().join(name), bytes).unwrap();
        }
        let config = repo().join("config");
        let config = config.to_str().unwrap();
        let args: Vec<&str> = ["--config", config, "--records", "r.csv"]
            .into_iter()
            .chain(c.args.iter().copied())
            .collect();
        missed.extend(unsaid(dir.path(), &args, c.code, c.needle));
    }
    assert!(
        missed.is_empty(),
        "codes not said:\n{}",
        missed.join("\n\n")
    );
}

/// An xlsx workbook of one sheet (`Sheet1`) holding `rows` of two text cells.
fn workbook(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, (a, b)) in rows.iter().enumerate() {
        ws.write_string(r as u32, 0, *a).unwrap();
        ws.write_string(r as u32, 1, *b).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// A profile and an export that read cleanly; each case below changes one thing.
const PROFILE: &str = r#"[profile]
name = "t"
header = 2
thousands = true
parens = true
[profile.columns]
period = "所属期"
zone = "园区"
entity = "纳税人识别号"
metric = "税种"
amount = "金额"
[profile.values.metric]
"增值税" = "vat"
"#;
const EXPORT: &str =
    "税收入库明细\n所属期,园区,纳税人识别号,税种,金额\n2025-01,gan-mei,E1,增值税,\"1,000.00\"\n";

#[test]
fn every_profile_problem_says_its_code() {
    let with = |from: &str, to: &str| PROFILE.replacen(from, to, 1);
    let line = |l: &str| format!("{EXPORT}{l}\n");
    let cases: Vec<(&str, String, String, Vec<&str>)> = vec![
        (
            "E0260",
            with("header = 2", "header = 0"),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0261",
            with(
                "thousands = true",
                "thousands = true\nperiod_of_date = \"week\"",
            ),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0262",
            PROFILE
                .split("[profile.columns]")
                .next()
                .unwrap_or("")
                .to_string(),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0263",
            with("金额\"", "金额\"\ncolour = \"颜色\""),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0264",
            with("zone = \"园区\"", "zone = 5"),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0265",
            with("entity = \"纳税人识别号\"", "entity = \"园区\""),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0266",
            with("amount = \"金额\"\n", ""),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0267",
            with(
                "zone = \"园区\"",
                "zone = { from = \"entities\" }\n[profile.values.zone]\n\"a\" = \"cheng-a\"",
            ),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0268",
            format!("{PROFILE}[[profile.skip]]\ncolumn = \"园区\"\n"),
            EXPORT.into(),
            vec![],
        ),
        ("E0269", with("金额\"", "实缴金额\""), EXPORT.into(), vec![]),
        (
            "E0270",
            PROFILE.into(),
            EXPORT.replace("税种,金额", "税种,金额,园区"),
            vec![],
        ),
        (
            "E0271",
            PROFILE.into(),
            line("2025-01,gan-mei,E2,增值稅,1.00"),
            vec![],
        ),
        (
            "E0272",
            with(
                "thousands = true",
                "thousands = true\nperiod_of_date = \"month\"",
            ),
            line("2025-02-30,gan-mei,E2,增值税,1.00"),
            vec![],
        ),
        (
            "E0273",
            PROFILE.into(),
            line("2025-01,gan-mei,E2,增值税,(-1.00)"),
            vec![],
        ),
        (
            "E0274",
            PROFILE.into(),
            line("2025-01,gan-mei,E2,增值税,\"12,34.00\""),
            vec![],
        ),
        (
            "E0275",
            with("zone = \"园区\"", "zone = { from = \"entities\" }"),
            EXPORT.into(),
            vec![],
        ),
        (
            "E0276",
            with("zone = \"园区\"", "zone = { from = \"entities\" }"),
            EXPORT.into(),
            vec!["--entities", "e.csv"],
        ),
        (
            "E0277",
            with("header = 2", "header = 9"),
            EXPORT.into(),
            vec![],
        ),
    ];
    let mut missed = Vec::new();
    for (code, profile, export, args) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.toml"), &profile).unwrap();
        std::fs::write(dir.path().join("x.csv"), &export).unwrap();
        std::fs::write(
            dir.path().join("e.csv"),
            "entity,entity_start\nE1,2014-04-01\n",
        )
        .unwrap();
        let config = repo().join("config");
        let base = ["--config", config.to_str().unwrap(), "--profile", "p.toml"];
        let args: Vec<&str> = base
            .into_iter()
            .chain(["--records", "x.csv"])
            .chain(args.iter().copied())
            .collect();
        missed.extend(unsaid(dir.path(), &args, code, None));
    }
    // The unchanged profile and export read cleanly (each case's problem is its own).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), PROFILE).unwrap();
    std::fs::write(dir.path().join("x.csv"), EXPORT).unwrap();
    common::fencheng()
        .current_dir(dir.path())
        .args(["check", "--config"])
        .arg(repo().join("config"))
        .args(["--profile", "p.toml", "--records", "x.csv"])
        .assert()
        .success();
    assert!(
        missed.is_empty(),
        "codes not said:\n{}",
        missed.join("\n\n")
    );
}

/// A configuration that loads; each case below changes one thing.
const CONFIG: &str = r#"[[party]]
id = "a"
[[party]]
id = "b"
[metric.vat]
kind = "tax"
quantum = "0.01"
central_share = "0.5"
[metric.cit]
kind = "tax"
quantum = "0.01"
[metric.out]
kind = "statistic"
quantum = "0.01"
[zone.z]
host = "a"
[[zone.z.agreement]]
id = "v1"
from = "2020-01-01"
[[zone.z.agreement.rule]]
id = "tax"
metrics = ["vat"]
kind = "fixed"
shares = { a = "0.6", b = "0.4" }
"#;

/// A pool of vat and cit, declared before `out`.
const POOL: &str = "[metric.vc]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"vat\", \"cit\"]";

/// The configuration's rule table closed by a guarantee of zone z holding `fields`.
fn guarantee(fields: &str) -> String {
    format!("b = \"0.4\" }}\n[[zone.z.guarantee]]\n{fields}\nfrom = \"2020-01-01\"\n")
}

#[test]
fn every_configuration_problem_says_its_code() {
    let rule = "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }\n";
    // From the statistic metric to the end: where a pool and a second rule go.
    let tail = &CONFIG[CONFIG.find("[metric.out]").unwrap_or(0)..];
    let cases: Vec<(&str, &str, String)> = vec![
        ("E0106", "id = \"a\"\n[[party]]\nid = \"b\"", "id = \"a\"\n[[party]]\nname = \"x\"".into()),
        ("E0107", "id = \"b\"", "id = \"B b\"".into()),
        ("E0108", "id = \"b\"", "id = \"central\"".into()),
        ("E0109", "id = \"b\"", "id = \"deduction\"".into()),
        ("E0110", "id = \"b\"", "id = \"a\"".into()),
        ("E0113", "[metric.cit]", "[metric.\"C I T\"]".into()),
        ("E0114", "kind = \"statistic\"", "kind = \"money\"".into()),
        ("E0115", "[metric.cit]\nkind = \"tax\"\n", "[metric.cit]\n".into()),
        ("E0116", "[metric.cit]\nkind = \"tax\"\nquantum = \"0.01\"\n", "[metric.cit]\nkind = \"tax\"\n".into()),
        ("E0117", "[metric.cit]\nkind = \"tax\"\nquantum = \"0.01\"", "[metric.cit]\nkind = \"tax\"\nquantum = \"-1\"".into()),
        ("E0118", "central_share = \"0.5\"", "central_share = \"0.5\"\nlevels = { central = \"0.5\" }".into()),
        ("E0121", "central_share = \"0.5\"", "central_share = \"1.5\"".into()),
        ("E0123", "central_share = \"0.5\"", "levels = {}".into()),
        ("E0125", "central_share = \"0.5\"", "levels = { nowhere = \"0.1\" }".into()),
        ("E0127", "central_share = \"0.5\"", "levels = { central = \"0.6\", b = \"0.5\" }".into()),
        ("E0136", "b = \"0.4\" }\n", format!("b = \"0.4\" }}\n[zone.\"Z z\"]\nhost = \"a\"\n[[zone.\"Z z\".agreement]]\nid = \"v1\"\nfrom = \"2020-01-01\"\n[[zone.\"Z z\".agreement.rule]]\nid = \"tax\"\nmetrics = [\"cit\"]\n{rule}")),
        ("E0137", "host = \"a\"\n", "".into()),
        ("E0138", "host = \"a\"", "host = \"nowhere\"".into()),
        ("E0140", "b = \"0.4\" }\n", "b = \"0.4\" }\n[zone.y]\nhost = \"a\"\n".into()),
        ("E0141", "[[zone.z.agreement.rule]]", format!("[[zone.z.agreement.rule]]\nid = \"t0\"\nmetrics = [\"cit\"]\n{rule}[[zone.z.agreement]]\nid = \"v2\"\nfrom = \"2021-01-01\"\n[[zone.z.agreement.rule]]")),
        ("E0144", "id = \"v1\"\n", "".into()),
        ("E0145", "id = \"v1\"", "id = \"V 1\"".into()),
        ("E0146", "from = \"2020-01-01\"\n", "".into()),
        ("E0105", "from = \"2020-01-01\"", "from = \"2020-02-30\"".into()),
        ("E0147", "from = \"2020-01-01\"", "from = \"2020-01-01\"\nto = \"2019-01-01\"".into()),
        ("E0148", "[[zone.z.agreement.rule]]", format!("[[zone.z.agreement.rule]]\nid = \"tax\"\nmetrics = [\"cit\"]\n{rule}[[zone.z.agreement.rule]]")),
        ("E0149", "[[zone.z.agreement.rule]]", format!("[[zone.z.agreement.rule]]\nid = \"t0\"\nmetrics = [\"vat\"]\n{rule}[[zone.z.agreement.rule]]")),
        ("E0151", "shares = { a = \"0.6\", b = \"0.4\" }", "shares = {}".into()),
        ("E0153", "b = \"0.4\"", "b = \"0.3\"".into()),
        ("E0126", "central_share = \"0.5\"", "levels = { central = \"1.5\" }".into()),
        ("E0154", "id = \"tax\"\n", "".into()),
        ("E0155", "id = \"tax\"", "id = \"T ax\"".into()),
        ("E0156", "metrics = [\"vat\"]\n", "".into()),
        ("E0157", "metrics = [\"vat\"]", "metrics = []".into()),
        ("E0130", "metrics = [\"vat\"]", "metrics = [\"vta\"]".into()),
        ("E0162", "shares = { a = \"0.6\", b = \"0.4\" }\n", "".into()),
        ("E0164", "kind = \"fixed\"\n", "".into()),
        ("E0178", "kind = \"fixed\"", "kind = \"fxed\"".into()),
        ("E0184", "host = \"a\"", "host = \"a\"\nhots = \"a\"".into()),
        ("E0186", "quantum = \"0.01\"\ncentral_share", "quantum = 0.01\ncentral_share".into()),
        // Another kind's field on a rule is said, not ignored.
        ("E0801", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }\nphases = []".into()),
        ("E0163", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"schedule\"\nanchor = \"birthday\"\nphases = [ { shares = { a = \"0.6\", b = \"0.4\" } } ]".into()),
        ("E0165", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"schedule\"\nanchor = \"agreement\"\nphases = []".into()),
        ("E0167", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"schedule\"\nanchor = \"agreement\"\nphases = [ { shares = { a = \"0.6\", b = \"0.4\" } }, { shares = { a = \"0.5\", b = \"0.5\" } } ]".into()),
        ("E0171", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"tiered\"\ntiers = []".into()),
        ("E0173", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"tiered\"\ntiers = [ { upto = \"100.00\", shares = { a = \"0.6\", b = \"0.4\" } } ]".into()),
        ("E0129", "[metric.out]", "[metric.pool]\nkind = \"tax\"\nquantum = \"0.01\"\npool = []\n[metric.out]".into()),
        ("E0128", "[metric.out]", "[metric.pool]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"vat\", \"cit\"]\ncentral_share = \"0.5\"\n[metric.out]".into()),
        ("E0131", "[metric.out]", "[metric.pool]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"pool\", \"cit\"]\n[metric.out]".into()),
        ("E0133", "[metric.out]", "[metric.pool]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"vat\", \"out\"]\n[metric.out]".into()),
        ("E0166", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"schedule\"\nanchor = \"agreement\"\nphases = [ { years = 0, shares = { a = \"0.6\", b = \"0.4\" } }, { shares = { a = \"0.5\", b = \"0.5\" } } ]".into()),
        ("E0172", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"tiered\"\ntiers = [ { upto = \"200.00\", shares = { a = \"0.6\", b = \"0.4\" } }, { upto = \"100.00\", shares = { a = \"0.6\", b = \"0.4\" } }, { shares = { a = \"0.5\", b = \"0.5\" } } ]".into()),
        ("E0174", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"tiered\"\ntiers = [ { shares = { a = \"0.6\", b = \"0.4\" } }, { shares = { a = \"0.5\", b = \"0.5\" } } ]".into()),
        ("E0175", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"weighted\"\nweights = { a = \"0\", b = \"0\" }".into()),
        ("E0152", "b = \"0.4\"", "b = \"-0.4\"".into()),
        ("E0159", "kind = \"fixed\"\nshares", "applies_to = { tag = \"Not A Tag\" }\nkind = \"fixed\"\nshares".into()),
        ("E0160", "kind = \"fixed\"\nshares", "applies_to = { colour = \"red\" }\nkind = \"fixed\"\nshares".into()),
        ("E0161", "kind = \"fixed\"\nshares", "applies_to = { tag = \"stock\", origin = \"a\" }\nkind = \"fixed\"\nshares".into()),
        ("E0169", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"base_increment\"\nbase_owner = \"a\"\nbase = \"-1.00\"\nshares = { a = \"0.6\", b = \"0.4\" }".into()),
        ("E0181", "kind = \"fixed\"\nshares = { a = \"0.6\", b = \"0.4\" }", "kind = \"schedule\"\nanchor = \"agreement\"\nshares = { a = \"0.6\", b = \"0.4\" }\nphases = [ { shares = { a = \"0.6\", b = \"0.4\" } } ]".into()),
        ("E0179", "kind = \"fixed\"\nshares", "anchor = \"agreement\"\nkind = \"fixed\"\nshares".into()),
        ("E0101", "[[party]]\nid = \"a\"", "set = [\"x\"]\n[[party]]\nid = \"a\"".into()),
        ("E0102", "[[party]]\nid = \"a\"", "[input.columns]\ncolour = [\"x\"]\n[[party]]\nid = \"a\"".into()),
        ("E0104", "b = \"0.4\"", "b = \"x0.4\"".into()),
        ("E0111", "[metric.out]\nkind", "[metric.out]\nname = \"vat\"\nkind".into()),
        ("E0112", "host = \"a\"", "host = \"a\"\naliases = [\"y\"]\n[zone.y]\nhost = \"a\"".into()),
        ("E0119", "[metric.cit]\nkind", "[metric.cit]\nassessment = \"dual\"\nkind".into()),
        ("E0120", "[metric.out]\nkind", "[metric.out]\nassessment = \"single\"\nkind".into()),
        ("E0122", "central_share = \"0.5\"", "levels = [{ from = \"2016-05-01\", parts = { central = \"0.5\" } }, { from = \"2016-05-01\", parts = { central = \"0.4\" } }]".into()),
        ("E0124", "central_share = \"0.5\"", "levels = { deduction = \"0.1\" }".into()),
        ("E0132", "[metric.out]", "[metric.p1]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"cit\"]\n[metric.p2]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"p1\", \"vat\"]\n[metric.out]".into()),
        ("E0134", "[metric.out]", "[metric.pool]\nkind = \"tax\"\nquantum = \"1\"\npool = [\"vat\", \"cit\"]\n[metric.out]".into()),
        ("E0135", "[metric.out]", "[metric.p1]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"cit\"]\n[metric.p2]\nkind = \"tax\"\nquantum = \"0.01\"\npool = [\"cit\", \"vat\"]\n[metric.out]".into()),
        ("E0139", "[[zone.z.agreement.rule]]", format!("[[zone.z.agreement.rule]]\nid = \"t0\"\nmetrics = [\"cit\"]\n{rule}[[zone.z.agreement]]\nid = \"v1\"\nfrom = \"2021-01-01\"\n[[zone.z.agreement.rule]]")),
        ("E0142", "[metric.out]", format!("{POOL}\n[zone.y]\nhost = \"a\"\nlevels = {{ vc = {{ central = \"0.5\" }} }}\n[metric.out]")),
        ("E0143", "central_share = \"0.5\"", "levels = { central = \"0.5\", b = \"0.1\" }".into()),
        ("E0150", tail, format!("{POOL}\n{tail}[[zone.z.agreement.rule]]\nid = \"pool\"\nmetrics = [\"vc\"]\n{rule}")),
        ("E0158", tail, format!("{POOL}\n{tail}[[zone.z.agreement.rule]]\nid = \"pool\"\nmetrics = [\"vc\", \"cit\"]\n{rule}")),
        ("E0168", rule.trim_end(), "kind = \"schedule\"\nanchor = \"agreement\"\nphases = [ { years = 1 }, { shares = { a = \"0.5\", b = \"0.5\" } } ]".into()),
        ("E0170", rule.trim_end(), "kind = \"base_increment\"\nbase_owner = \"a\"\nbase = { \"20x5\" = \"1.00\" }\nshares = { a = \"0.6\", b = \"0.4\" }".into()),
        ("E0176", rule.trim_end(), "kind = \"formula\"\nshares = { a = \"0.5 + 0.01 * year\", b = \"rest\" }".into()),
        // A formula's own problem keeps its code (E07), under the rule's key.
        ("E0717", rule.trim_end(), "kind = \"formula\"\nshares = { a = \"0.5 +\", b = \"rest\" }".into()),
        ("E0177", rule.trim_end(), "kind = \"formula\"\nshares = { a = \"rest\", b = \"rest\" }".into()),
        ("E0180", rule.trim_end(), format!("{rule}floor = {{ c = \"0.1\" }}\n[[party]]\nid = \"c\"")),
        ("E0182", rule.trim_end(), "kind = \"weighted\"\nweights = { a = \"1\", b = \"1\" }\nband = \"1.5\"".into()),
        ("E0183", "host = \"a\"", "host = \"a".into()),
        ("E0185", "host = \"a\"", "host = \"a\"\nqqqqqqqqqqqq = \"1\"".into()),
        ("E0191", "b = \"0.4\" }\n", guarantee("party = \"a\"\npayer = \"central\"\nmetric = \"vat\"\namount = \"1.00\"")),
        ("E0192", "b = \"0.4\" }\n", guarantee("party = \"a\"\nmetric = \"vat\"\namount = \"1.00\"")),
        ("E0193", "b = \"0.4\" }\n", guarantee("party = \"a\"\npayer = \"a\"\nmetric = \"vat\"\namount = \"1.00\"")),
        ("E0194", "b = \"0.4\" }\n", guarantee("party = \"a\"\npayer = \"b\"\nmetric = \"out\"\namount = \"1.00\"")),
        ("E0195", "b = \"0.4\" }\n", guarantee("party = \"a\"\npayer = \"b\"\nmetric = \"cit\"\namount = \"1.00\"")),
        ("E0196", "b = \"0.4\" }\n", guarantee("party = \"c\"\npayer = \"b\"\nmetric = \"vat\"\namount = \"1.00\"") + "[[party]]\nid = \"c\"\n"),
        ("E0197", "b = \"0.4\" }\n", guarantee("party = \"a\"\npayer = \"b\"\nmetric = \"vat\"\namount = \"1.001\"")),
        ("E0198", "[metric.cit]\nkind", "[metric.cit]\nexempt = { tag = \"major\" }\nkind".into()),
        ("E0199", "[metric.out]", "[metric.land]\nkind = \"quota\"\nquantum = \"0.01\"\nexempt = { tags = \"major\" }\n[metric.out]".into()),
    ];
    let mut missed = Vec::new();
    for (code, from, to) in &cases {
        assert!(
            CONFIG.contains(from),
            "{code}: {from:?} is not in the configuration"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.toml"), CONFIG.replacen(from, to, 1)).unwrap();
        missed.extend(unsaid(dir.path(), &["--config", "c.toml"], code, None));
    }
    // Problems of the files themselves: a name defined in two files, bytes that are not
    // UTF-8, no such file, a directory without one.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("two")).unwrap();
    std::fs::create_dir_all(d.join("none")).unwrap();
    std::fs::write(d.join("two/a.toml"), CONFIG).unwrap();
    std::fs::write(
        d.join("two/b.toml"),
        "[metric.cit]\nkind = \"tax\"\nquantum = \"0.01\"\n",
    )
    .unwrap();
    std::fs::write(d.join("bad.toml"), b"[[party]]\nid = \"\xff\"\n").unwrap();
    for (code, config) in [
        ("E0103", "two"),
        ("E0187", "bad.toml"),
        ("E0188", "nothing.toml"),
        ("E0190", "none"),
    ] {
        missed.extend(unsaid(d, &["--config", config], code, None));
    }
    // A records amount that is not a whole number of its metric's quantum (0.05).
    std::fs::write(
        d.join("q.toml"),
        CONFIG.replacen("quantum = \"0.01\"", "quantum = \"0.05\"", 1),
    )
    .unwrap();
    std::fs::write(
        d.join("r.csv"),
        "period,zone,entity,metric,amount\n2025-01,z,E1,vat,1.01\n",
    )
    .unwrap();
    missed.extend(unsaid(
        d,
        &["--config", "q.toml", "--records", "r.csv"],
        "E0238",
        None,
    ));
    // A quota metric with accounts (an allocation names it) that also has levels.
    std::fs::write(
        d.join("land.toml"),
        CONFIG.replacen(
            "[metric.out]",
            "[metric.land]\nkind = \"quota\"\nquantum = \"0.01\"\ncentral_share = \"0.1\"\n[metric.out]",
            1,
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("a.csv"),
        "year,party,metric,amount\n2025,a,land,1.00\n",
    )
    .unwrap();
    missed.extend(unsaid(
        d,
        &["--config", "land.toml", "--allocations", "a.csv"],
        "E0256",
        None,
    ));
    std::fs::write(d.join("c.toml"), CONFIG).unwrap();
    common::fencheng()
        .current_dir(d)
        .args(["check", "--config", "c.toml"])
        .assert()
        .success();
    assert!(
        missed.is_empty(),
        "codes not said:\n{}",
        missed.join("\n\n")
    );
}
