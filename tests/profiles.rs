//! Import profiles (SPEC §12): the tax system's export read as it comes, through the
//! binary — brackets, 小计 rows, quarters from dates, the zone from the entities file,
//! a workbook export, and every mistake named at the profile's or the export's line.

use crate::common::{Scratch, config, fencheng_in};

const ZONE: &str = r#"
[zone.cheng-a]
name = "成阿工业园区"
host = "chengdu"

[[zone.cheng-a.agreement]]
id = "2021"
from = "2021-01-01"

[[zone.cheng-a.agreement.rule]]
id = "tax"
metrics = ["vat", "cit"]
kind = "fixed"
shares = { aba = "0.6", chengdu = "0.4" }
"#;

const PROFILE: &str = r#"[profile]
name = "税收入库明细"
header = 2
thousands = true
parens = true
period_of_date = "quarter"

[profile.columns]
period = "入库日期"
entity = "纳税人识别号"
metric = "征收项目"
amount = "实缴（退）金额"
zone = { from = "entities" }

[profile.values.metric]
"增值税" = "vat"
"企业所得税" = "cit"
"印花税" = "-"

[[profile.skip]]
column = "纳税人识别号"
equals = ["合计", "小计", ""]
"#;

const EXPORT: &str = "税收入库明细表,,,\n\
纳税人识别号,征收项目,入库日期,实缴（退）金额\n\
E1,增值税,2025-01-13,\"1,000.00\"\n\
E2,增值税,2025/3/31,\"(200.00)\"\n\
小计,,,\"800.00\"\n\
E1,印花税,2025-02-01,3.00\n\
E2,企业所得税,2025年5月6日,\"2,500.00\"\n\
合计,,,\"3,303.00\"\n";

fn scratch() -> Scratch {
    let s = Scratch::new();
    s.write("config.toml", &config(ZONE));
    s.write("profile.toml", PROFILE);
    s.write("export.csv", EXPORT);
    s.write("entities.csv", "entity,zone\nE1,cheng-a\nE2,成阿工业园区\n");
    s
}

#[test]
fn brackets_subtotals_quarters_and_the_zone_from_the_entities_file() {
    let s = scratch();
    let out = fencheng_in(
        s.dir.path(),
        "run --config config.toml --profile profile.toml --entities entities.csv --records export.csv --out out",
    )
    .assert()
    .success();
    // Q1 vat: 1,000.00 − 200.00 = 800.00 → central 400.00, aba 240.00, chengdu 160.00.
    // Q2 cit: 2,500.00 → central 60 % 1,500.00, aba 600.00, chengdu 400.00.
    assert_eq!(
        s.read("out/summary.csv"),
        "period,zone,metric,party,amount\n\
         2025-Q1,cheng-a,vat,aba,240.00\n\
         2025-Q1,cheng-a,vat,central,400.00\n\
         2025-Q1,cheng-a,vat,chengdu,160.00\n\
         2025-Q2,cheng-a,cit,aba,600.00\n\
         2025-Q2,cheng-a,cit,central,1500.00\n\
         2025-Q2,cheng-a,cit,chengdu,400.00\n"
    );
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("export.csv: 2 rows skipped (纳税人识别号 = 合计 ×1; 纳税人识别号 = 小计 ×1), 1 rows dropped (征收项目 印花税 → - ×1)"),
        "{err}"
    );
    // detail.csv names the export's own lines.
    fencheng_in(
        s.dir.path(),
        "run --config config.toml --profile profile.toml --entities entities.csv --records export.csv --detail --out d",
    )
    .assert()
    .success();
    let detail = s.read("d/detail.csv");
    // The export's title is line 1 and its header line 2: E1's VAT is line 3, the
    // refund line 4, the CIT line 7 (the 小计 and 印花税 lines between are not records).
    assert!(
        detail.contains("\n3,2025-Q1,cheng-a,E1,vat,1000.00,aba"),
        "{detail}"
    );
    assert!(
        detail.contains("\n4,2025-Q1,cheng-a,E2,vat,-200.00,aba"),
        "{detail}"
    );
    assert!(
        detail.contains("\n7,2025-Q2,cheng-a,E2,cit,2500.00,aba"),
        "{detail}"
    );
}

#[test]
fn an_unmapped_value_is_named_at_the_exports_line_with_the_closest_one() {
    let s = scratch();
    s.write(
        "export.csv",
        &EXPORT.replace("E2,企业所得税", "E2,企业所得锐"),
    );
    let out = fencheng_in(
        s.dir.path(),
        "run --config config.toml --profile profile.toml --entities entities.csv --records export.csv",
    )
    .assert()
    .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("export.csv:7: metric: '企业所得锐'"), "{err}");
    assert!(err.contains("'企业所得税'"), "{err}");
}

#[test]
fn a_bad_profile_gives_every_problem_at_its_line() {
    let s = scratch();
    s.write(
        "profile.toml",
        "[profile]\nheader = 0\nperiod_of_date = \"week\"\n\n[profile.columns]\nperiod = \"A\"\nentity = \"A\"\n",
    );
    let out = fencheng_in(
        s.dir.path(),
        "run --config config.toml --profile profile.toml --records export.csv",
    )
    .assert()
    .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    for want in [
        "profile.toml:2: profile.header",
        "profile.toml:3: profile.period_of_date",
        "profile.toml:6: profile.columns.period: the source column 'A' is already mapped",
        "profile.columns.metric",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    // An unknown key of [profile] is refused too.
    s.write(
        "profile.toml",
        &PROFILE.replace("parens = true", "paren = true"),
    );
    let out = fencheng_in(
        s.dir.path(),
        "run --config config.toml --profile profile.toml --records export.csv",
    )
    .assert()
    .code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("profile.toml:"));
}

#[test]
fn a_workbook_export_and_import_to_an_input_refused() {
    let s = scratch();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "税收入库明细表").unwrap();
    for (c, h) in ["纳税人识别号", "征收项目", "入库日期", "实缴（退）金额"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    ws.write_string(2, 0, "E1").unwrap();
    ws.write_string(2, 1, "增值税").unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 2, 14).unwrap();
    ws.write_datetime_with_format(2, 2, &date, &fmt).unwrap();
    ws.write_number(2, 3, 1234.5).unwrap();
    wb.save(s.path("export.xlsx")).unwrap();
    fencheng_in(
        s.dir.path(),
        "import --profile profile.toml --records export.xlsx --entities entities.csv --to imported.csv",
    )
    .assert()
    .success();
    // A number cell at 15 significant digits, without trailing zeros; row 3 of the sheet.
    assert_eq!(
        s.read("imported.csv"),
        "period,zone,entity,metric,amount,source\n2025-Q1,cheng-a,E1,vat,1234.5,export.xlsx:3\n"
    );
    let before = s.read("export.csv");
    fencheng_in(
        s.dir.path(),
        "import --profile profile.toml --records export.csv --entities entities.csv --to ./export.csv",
    )
    .assert()
    .code(2);
    assert_eq!(s.read("export.csv"), before);
}

#[test]
fn without_a_profile_a_total_row_and_a_separator_say_how_to_read_the_export() {
    let s = scratch();
    s.write(
        "records.csv",
        "period,zone,entity,metric,amount\n2025-01,cheng-a,E1,vat,\"1,234.00\"\n合计,,,,1234.00\n",
    );
    let out = s.run(&[]).code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("records.csv:2: amount: '1,234.00'"), "{err}");
    assert!(err.contains("thousands = true"), "{err}");
    assert!(
        err.contains("records.csv:3: this looks like a total row"),
        "{err}"
    );
}

#[test]
fn a_quote_in_a_title_line_is_not_taken_for_a_field() {
    let s = scratch();
    // The title line holds a quote: the lines above the header are not parsed.
    s.write(
        "export.csv",
        &EXPORT.replacen("税收入库明细表,,,", "税收入库明细表（\"月报\",,,", 1),
    );
    s.write("plain-export.csv", EXPORT);
    for (name, out) in [("export.csv", "a"), ("plain-export.csv", "b")] {
        fencheng_in(
            s.dir.path(),
            &format!(
                "run --config config.toml --profile profile.toml --entities entities.csv --records {name} --out {out}"
            ),
        )
        .assert()
        .success();
    }
    assert_eq!(s.read("a/summary.csv"), s.read("b/summary.csv"));
}

#[test]
fn init_writes_a_starter_profile_that_reads_an_export() {
    let s = Scratch::new();
    fencheng_in(s.dir.path(), "init start --profile")
        .assert()
        .success();
    let export = "税收入库明细表,,,,,\n查询条件：示例,,,,,\n\
序号,纳税人识别号,征收项目,税款所属期起,实缴（退）金额,主管税务所（科、分局）\n\
1,E1,增值税,2025-01-01,\"1,000.00\",国家税务总局成都市新都区税务局第二税务所\n\
2,E1,印花税,2025-01-01,5.00,国家税务总局成都市新都区税务局第二税务所\n\
合计,,,,\"1,005.00\",\n";
    s.write("start/export.csv", export);
    fencheng_in(
        &s.path("start"),
        "run --config config.toml --profile profile.toml --records export.csv --out out",
    )
    .assert()
    .success();
    assert!(
        s.read("start/out/summary.csv")
            .contains("2025-01,cheng-a,vat,central,500.00")
    );
}
