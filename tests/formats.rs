//! Real-world inputs and outputs: encodings, xlsx in and out, aliases, spreadsheet
//! safety, init, completions.

use crate::common;

use calamine::{Data, Reader};
use common::{Scratch, fencheng, repo};

const EXAMPLE: &str = "tests/data/conformance/03-central-share-half-away";

fn summary_for(s: &Scratch, records: &str, extra: &[&str]) -> Vec<u8> {
    let out = format!("out-{}", records.replace(['.', ':'], "-"));
    fencheng()
        .current_dir(s.dir.path())
        .args([
            "run",
            "--config",
            "config.toml",
            "--records",
            records,
            "--out",
            &out,
        ])
        .args(extra)
        .assert()
        .success();
    std::fs::read(s.path(&out).join("summary.csv")).unwrap()
}

/// The example's records with Chinese headers and a Chinese zone name (an alias), so
/// the GB18030 file really holds multi-byte text.
fn chinese_records() -> String {
    let text = std::fs::read_to_string(repo().join(EXAMPLE).join("records.csv")).unwrap();
    text.replacen(
        "period,zone,entity,metric,amount",
        "期间,园区,企业,指标,金额",
        1,
    )
    .replace(",cheng-a,", ",成阿工业园区,")
}

fn scratch() -> Scratch {
    let s = Scratch::new();
    let cfg = std::fs::read_to_string(repo().join(EXAMPLE).join("config.toml")).unwrap();
    s.write(
        "config.toml",
        &cfg.replace(
            "host = \"chengdu\"",
            "host = \"chengdu\"\naliases = [\"成阿工业园区\"]",
        ),
    );
    s
}

#[test]
fn utf8_bom_gb18030_and_xlsx_give_the_same_summary() {
    let s = scratch();
    let text = chinese_records();
    s.write("plain.csv", &text);
    s.write("bom.csv", &format!("\u{feff}{text}"));
    let (gb, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    std::fs::write(s.path("gbk.csv"), &gb).unwrap();
    assert!(
        std::str::from_utf8(&gb).is_err(),
        "the GB18030 file must not be valid UTF-8"
    );
    // The same records as a workbook: amounts as numbers, as Excel stores them.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("记录").unwrap();
    for (r, line) in text.lines().enumerate() {
        for (c, f) in line.split(',').enumerate() {
            if r > 0 && c == 4 {
                ws.write_number(r as u32, c as u16, f.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                ws.write_string(r as u32, c as u16, f).unwrap();
            }
        }
    }
    wb.save(s.path("book.xlsx")).unwrap();

    let expected = std::fs::read(repo().join(EXAMPLE).join("expected/summary.csv")).unwrap();
    assert_eq!(summary_for(&s, "plain.csv", &[]), expected);
    assert_eq!(summary_for(&s, "bom.csv", &[]), expected);
    assert_eq!(summary_for(&s, "gbk.csv", &[]), expected);
    assert_eq!(
        summary_for(&s, "gbk.csv", &["--encoding", "gb18030"]),
        expected
    );
    assert_eq!(summary_for(&s, "book.xlsx", &[]), expected);
    assert_eq!(summary_for(&s, "book.xlsx:记录", &[]), expected);
}

#[test]
fn xlsx_errors_name_the_sheet_and_row_and_never_round() {
    let s = scratch();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Data").unwrap();
    for (c, h) in ["period", "zone", "entity", "metric", "amount"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["2025-01", "cheng-a", "E1", "vat"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    // SPEC §10: a number is read as Excel shows it, at 15 significant digits: a
    // formula's 0.1 + 0.2 (0.30000000000000004 as a double) is 0.3 …
    ws.write_number(1, 4, 0.1 + 0.2).unwrap();
    // … but an amount with more decimals than the quantum is refused, never rounded.
    for (c, v) in ["2025-01", "cheng-a", "E2", "vat"].iter().enumerate() {
        ws.write_string(2, c as u16, *v).unwrap();
    }
    ws.write_number(2, 4, 12.345).unwrap();
    wb.save(s.path("bad.xlsx")).unwrap();
    let out = fencheng()
        .current_dir(s.dir.path())
        .args(["run", "--config", "config.toml", "--records", "bad.xlsx"])
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("bad.xlsx:Data:3: amount: '12.345' has more decimals"),
        "{err}"
    );
    assert!(!err.contains("Data:2"), "0.1 + 0.2 is read as 0.3: {err}");
    let out = common::fencheng_in(
        s.dir.path(),
        "run --config config.toml --records bad.xlsx:Nope",
    )
    .assert()
    .code(1);
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr)
            .contains("no sheet 'Nope' in the workbook; sheets: Data")
    );
}

#[test]
fn an_alias_run_equals_the_id_run() {
    let s = scratch();
    let text = std::fs::read_to_string(repo().join(EXAMPLE).join("records.csv")).unwrap();
    s.write("ids.csv", &text);
    let cfg = s.read("config.toml").replace(
        "[metric.vat]\nname = \"增值税\"",
        "[metric.vat]\nname = \"增值税\"\naliases = [\"增值税\", \"VAT\"]",
    );
    s.write("config.toml", &cfg);
    s.write(
        "aliases.csv",
        &text
            .replace(",cheng-a,", ",成阿工业园区,")
            .replace(",vat,", ",增值税,"),
    );
    assert_eq!(
        summary_for(&s, "ids.csv", &[]),
        summary_for(&s, "aliases.csv", &[])
    );
}

#[test]
fn xlsx_output_has_the_numbers_of_summary_csv() {
    let s = scratch();
    s.write("records.csv", &chinese_records());
    s.run(&["--detail", "--xlsx", "out.xlsx"]).success();
    let mut wb = calamine::open_workbook_auto(s.path("out.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), vec!["summary", "settlement", "detail"]);
    let sheet = wb.worksheet_range("summary").unwrap();
    let csv = s.read("out/summary.csv");
    let mut n = 0;
    for (row, line) in sheet.rows().skip(1).zip(csv.lines().skip(1)) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(row[0], Data::String(f[0].into()));
        assert_eq!(row[5], Data::String(f[3].into()));
        let Data::Float(v) = row[7] else {
            panic!("amount is not a number: {:?}", row[7])
        };
        assert_eq!(format!("{v:.2}"), f[4], "{line}");
        n += 1;
    }
    assert_eq!(n, csv.lines().count() - 1);
    // Names beside ids.
    assert_eq!(
        sheet.get((1, 6)),
        Some(&Data::String("阿坝藏族羌族自治州".into()))
    );
    // The same run gives the same workbook bytes.
    let first = std::fs::read(s.path("out.xlsx")).unwrap();
    s.run(&["--detail", "--xlsx", "out.xlsx"]).success();
    assert_eq!(first, std::fs::read(s.path("out.xlsx")).unwrap());
}

#[test]
fn a_formula_like_entity_is_neutralised_in_detail_and_xlsx() {
    let s = scratch();
    s.write("records.csv", "period,zone,entity,metric,amount\n2025-01,cheng-a,=HYPERLINK(\"http://x\"),vat,100.00\n2025-01,cheng-a,@SUM(A1),vat,1.00\n");
    s.run(&["--detail", "--xlsx", "out.xlsx"]).success();
    let detail = s.read("out/detail.csv");
    assert!(
        detail.contains(",\"'=HYPERLINK(\"\"http://x\"\")\",vat,100.00,"),
        "{detail}"
    );
    assert!(detail.contains(",'@SUM(A1),vat,1.00,"), "{detail}");
    let mut wb = calamine::open_workbook_auto(s.path("out.xlsx")).unwrap();
    let sheet = wb.worksheet_range("detail").unwrap();
    // A plain string cell holding the original text, not a formula.
    assert_eq!(
        sheet.get((1, 3)),
        Some(&Data::String("=HYPERLINK(\"http://x\")".into()))
    );
    let formulas = wb.worksheet_formula("detail").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula in the detail sheet"
    );
}

#[test]
fn bom_option_marks_every_csv_output() {
    let s = scratch();
    s.write("records.csv", &chinese_records());
    s.run(&["--detail", "--bom"]).success();
    for f in ["summary.csv", "settlement.csv", "detail.csv"] {
        assert!(
            std::fs::read(s.path("out").join(f))
                .unwrap()
                .starts_with("\u{feff}period".as_bytes())
                || f == "detail.csv"
        );
    }
    assert!(
        std::fs::read(s.path("out/detail.csv"))
            .unwrap()
            .starts_with("\u{feff}line".as_bytes())
    );
    fencheng()
        .current_dir(s.dir.path())
        .args(["verify", "out"])
        .assert()
        .success();
}

#[test]
fn init_then_run_works() {
    let dir = tempfile::tempdir().unwrap();
    fencheng()
        .current_dir(dir.path())
        .args(["init", "start"])
        .assert()
        .success();
    let out = common::fencheng_in(
        dir.path(),
        "run --config start/config.toml --records start/records.csv --out start/out",
    )
    .assert()
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("4 records in 4 cells"), "{stdout}");
    // A second init refuses to overwrite.
    fencheng()
        .current_dir(dir.path())
        .args(["init", "start"])
        .assert()
        .code(2);
}

#[test]
fn completions_man_and_check_json() {
    for shell in ["bash", "zsh", "fish"] {
        let out = fencheng().args(["completions", shell]).assert().success();
        assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("explain"));
    }
    let out = fencheng().arg("man").assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains(".TH fencheng 1"));
    let s = scratch();
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount\n2025-01,chenga,E1,vat,1.00\n",
    );
    let out = common::fencheng_in(
        s.dir.path(),
        "check --config config.toml --records records.csv --format json",
    )
    .assert()
    .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["problems"][0]["line"], 2);
    assert_eq!(v["problems"][0]["field"], "zone");
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean 'cheng-a'?")
    );
    assert_eq!(v["problems"][0]["code"], "E0214");
    // Its long explanation is one command away.
    assert_eq!(v["problems"][0]["help"], "fencheng help E0214");
    // A file that cannot be read is a problem with its path and a code too, not a
    // bare sentence (it used to come out with "code": null and no file).
    let out = common::fencheng_in(
        s.dir.path(),
        "check --config config.toml --records missing.csv",
    )
    .args(["--format", "json"])
    .assert()
    .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["problems"][0]["file"], "missing.csv");
    assert_eq!(v["problems"][0]["code"], "E0222");
    assert!(v["problems"][0].get("help").is_none());
}
