//! The streaming parallel reader against the general reader (the reference): for
//! random files, the same cells, the same control totals and the same problems.

use crate::common;

use fencheng::diag::Problems;
use fencheng::engine::cells::Cells;
use fencheng::input::Encoding;
use fencheng::input::records::read_records;
use fencheng::input::stream::read_parallel_blocks;
use fencheng::model::Model;
use fencheng::period::Granularity;
use proptest::prelude::*;
use std::path::Path;

const ZONES: &str = r#"
[zone.f]
host = "chengdu"
[[zone.f.agreement]]
id = "a"
from = "2020-01-01"
[[zone.f.agreement.rule]]
id = "r"
metrics = ["vat", "fcs"]
kind = "fixed"
shares = { aba = "0.6", chengdu = "0.4" }

[zone.s]
host = "chengdu"
[[zone.s.agreement]]
id = "a"
from = "2010-01-01"
[[zone.s.agreement.rule]]
id = "r"
metrics = ["vat", "fcs"]
kind = "schedule"
anchor = "entity_start"
phases = [{ years = 3, shares = { aba = "0.7", chengdu = "0.3" } }, { shares = { aba = "0.5", chengdu = "0.5" } }]
"#;

/// One line: mostly valid, sometimes each kind of mistake.
fn line() -> impl Strategy<Value = String> {
    (
        0u8..24,
        1u32..=12,
        0usize..2,
        0usize..2,
        -500_000i64..5_000_000,
        0usize..4,
        0u8..3,
    )
        .prop_map(|(kind, m, z, met, cents, start, pad)| {
            let zone = ["f", "s"][z];
            let metric = ["vat", "fcs"][met];
            let amount = format!(
                "{}{}.{:02}",
                if cents < 0 { "-" } else { "" },
                cents.abs() / 100,
                cents.abs() % 100
            );
            // Zone f counts no phases: its start dates are checked but decide nothing
            // (the byte path leaves them out of its keys).
            let es = if zone == "s" {
                ["2019-03-01", "2025-06-15", "2024-02-29", "2015-12-31"][start]
            } else {
                ["", "2019-03-01", "2024-02-30", "2022-05-02"][start]
            };
            let sp = [" ", "", "  "][pad as usize];
            match kind {
                0 => String::new(),
                1 => format!("2025-{m:02},{zone},E{m},{metric},1e5,{es}"),
                2 => format!("2025-{m:02},nozone,E1,{metric},{amount},{es}"),
                3 => format!("2025-{m:02},{zone},,{metric},{amount},{es}"),
                4 => format!("2025-{m:02},{zone},E1,{metric},{amount}"),
                5 => format!("2025-Q1,{zone},E1,{metric},{amount},{es}"),
                6 => format!("2025-{m:02},s,E1,{metric},{amount},"),
                7 => {
                    format!("{sp}2025-{m:02}{sp},{sp}{zone},E{z}{sp},{metric},{amount}{sp},{es}\r")
                }
                // No agreement in force: the same refusal on every such line.
                8 => format!("2019-{m:02},{zone},E1,{metric},{amount},{es}"),
                // Not a date, not a period, a tab around a field.
                9 => format!("2025-{m:02},s,E1,{metric},{amount},2024-02-30"),
                10 => format!("2025-001,{zone},E1,{metric},{amount},{es}"),
                11 => format!("2025-{m:02},\t{zone},E1,{metric}\t,{amount},{es}"),
                // What offices export: quoted names with commas, quotes written twice
                // and line ends inside quotes; Chinese names; a quoted amount with a
                // thousands separator (refused, with its hint).
                12 => format!("2025-{m:02},{zone},\"E{z}, Ltd\",{metric},{amount},{es}"),
                13 => format!(
                    "\"2025-{m:02}\",{zone},\"E\"\"{z}\"\"\nline two\",{metric},{amount},{es}"
                ),
                14 => format!("2025-{m:02},{zone},成都{z}号企业,{metric},{amount},{es}"),
                15 => format!("2025-{m:02},{zone},E1,{metric},\"1,234.50\",{es}"),
                16 => format!("2025-{m:02},{zone},\u{3000}企业\u{3000},{metric},{amount},{es}"),
                _ => format!("2025-{m:02},{zone},E{z}{met},{metric},{amount},{es}"),
            }
        })
}

type Summary = (
    Vec<(String, i128, u64, Option<u32>)>,
    Vec<(usize, i128)>,
    Vec<String>,
    u64,
);

fn summarise(cells: &Cells, problems: &Problems) -> Summary {
    (
        cells
            .sorted()
            .into_iter()
            .map(|(k, a)| (format!("{k:?}"), a.total, a.records, a.year))
            .collect(),
        cells
            .input_by_metric()
            .iter()
            .map(|(m, v)| (*m, *v))
            .collect(),
        problems.diags.iter().map(ToString::to_string).collect(),
        cells.records,
    )
}

/// What a reader made of a file: its summary and the run's granularity.
type Read = (Summary, Option<(Granularity, String)>);

/// The zones' model, and the same reading exports through `EXPORT_PROFILE`.
fn models(dir: &Path) -> (Model, Model) {
    let cfg = dir.join("c.toml");
    std::fs::write(&cfg, common::config(ZONES)).unwrap();
    let plain = fencheng::config::load(&cfg).unwrap();
    let mut export = plain.clone();
    export.input.profile =
        Some(fencheng::input::profile::parse("p.toml", EXPORT_PROFILE.as_bytes()).unwrap());
    (plain, export)
}

/// A file through the general reader.
fn general(path: &Path, model: &Model) -> Read {
    let mut cells = Cells::default();
    let mut problems = Problems::new(1000);
    let mut granularity = None;
    read_records(
        path,
        0,
        model,
        Encoding::Auto,
        &mut granularity,
        &mut problems,
        &mut |r| cells.add(model, r),
    )
    .unwrap();
    (summarise(&cells, &problems), granularity)
}

/// The same through the streaming reader, with the input's SHA-256; `None` when it
/// gave up on the file.
fn fast(path: &Path, model: &Model, threads: usize, block: usize) -> Option<(Read, String)> {
    let mut cells = Cells::default();
    let mut problems = Problems::new(1000);
    let mut granularity = None;
    let streamed = read_parallel_blocks(
        path,
        Encoding::Auto,
        0,
        model,
        &mut granularity,
        &mut problems,
        &mut cells,
        threads,
        block,
    )
    .ok()?;
    Some(((summarise(&cells, &problems), granularity), streamed.sha256))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn fast_and_general_readers_agree(
        lines in prop::collection::vec(line(), 0..300),
        block in 16usize..400,
        threads in 1usize..4,
        encoding in 0usize..4,
        delim in 0usize..3,
        crlf in any::<bool>(),
        chinese_header in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.toml");
        std::fs::write(&cfg, common::config(ZONES)).unwrap();
        let model = fencheng::config::load(&cfg).unwrap();
        let path = dir.path().join("r.csv");
        let header = if chinese_header {
            "期间,园区,企业,指标,金额,投产日期"
        } else {
            "period,zone,entity,metric,amount,entity_start"
        };
        let mut text = format!("{header}\n{}\n", lines.join("\n"));
        // Comma, tab or semicolon separated (Excel's "Unicode text" is tab separated);
        // the commas inside quoted fields change too, which is a case as good.
        text = text.replace(',', [",", "\t", ";"][delim]);
        if crlf {
            // Every line end CRLF (a line of its own that ends in "\r" would become a
            // bare CR, which the fast path leaves to the general reader).
            text = text.replace("\r\n", "\n").replace('\n', "\r\n");
        }
        // Excel on Chinese Windows saves GB18030, or UTF-16 with a byte order mark.
        let utf16 = |be: bool| -> Vec<u8> {
            let bom: &[u8] = if be { b"\xFE\xFF" } else { b"\xFF\xFE" };
            let units = text.encode_utf16().flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() });
            bom.iter().copied().chain(units).collect()
        };
        let bytes = match encoding {
            0 => text.clone().into_bytes(),
            1 => encoding_rs::GB18030.encode(&text).0.into_owned(),
            2 => utf16(false),
            _ => utf16(true),
        };
        std::fs::write(&path, &bytes).unwrap();

        let streamed = fast(&path, &model, threads, block);
        prop_assert!(streamed.is_some(), "the fast path gave up on a file offices export");
        let (read, sha) = streamed.unwrap();
        prop_assert_eq!(sha, fencheng::manifest::sha256_hex(&bytes));
        prop_assert_eq!(general(&path, &model), read);
    }
}

/// The tax system's export, as `export_line` writes it, read through this profile.
const EXPORT_PROFILE: &str = r#"
[profile]
name = "t"
header = 3
thousands = true
parens = true
period_of_date = "month"
[profile.columns]
period = "税款所属期起"
entity = "纳税人识别号"
metric = "征收项目"
amount = "实缴（退）金额"
zone = "园区"
entity_start = "投产日期"
[profile.values.metric]
"增值税" = "vat"
"房产税" = "fcs"
"印花税" = "-"
[profile.values.zone]
"国家税务总局成都市新都区税务局" = "f"
"s" = "s"
[[profile.skip]]
column = "纳税人识别号"
equals = ["合计"]
"#;

/// One row of an export: mostly clean, sometimes each kind of oddity an export has.
fn export_line() -> impl Strategy<Value = String> {
    (
        0u8..24,
        1u32..=12,
        0usize..2,
        0usize..3,
        -500_000_000i64..500_000_000,
        0usize..3,
    )
        .prop_map(|(kind, m, z, tax, cents, start)| {
            // The zone as the tax office's name (mapped by a values table) or its id.
            let zone = ["国家税务总局成都市新都区税务局", "s"][z];
            let tax = ["增值税", "房产税", "印花税"][tax];
            let es = ["2019-03-01", "2022-05-02", ""][start];
            let es = if z == 1 && es.is_empty() {
                "2015-12-31"
            } else {
                es
            };
            let abs = cents.unsigned_abs();
            // 1,234,567.89 with its thousands separators; a refund in brackets.
            let int = (abs / 100).to_string();
            let mut grouped = String::new();
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let amount = if cents < 0 {
                format!("({grouped}.{:02})", abs % 100)
            } else {
                format!("{grouped}.{:02}", abs % 100)
            };
            let plain = format!(
                "{}{}.{:02}",
                if cents < 0 { "-" } else { "" },
                abs / 100,
                abs % 100
            );
            let date = format!("2025-{m:02}-{:02}", 1 + m % 28);
            let id = format!("9151{m:014}");
            match kind {
                0 => String::new(),
                1 => "合计,,,,,,".to_string(),
                2 => format!("{id},\"某某\"\"有限\"\"公司\",{tax},{date},\"{amount}\",{zone},{es}"),
                3 => format!("{id},某公司,消费税,{date},\"{amount}\",{zone},{es}"),
                4 => format!("{id},某公司,{tax},{date},\"1,23,4.00\",{zone},{es}"),
                5 => format!("{id},某公司,{tax},2025-13-01,\"{amount}\",{zone},{es}"),
                6 => format!("{id},某公司,{tax},{date},{plain},{zone},{es},,"),
                7 => format!("{id},\"成都,某某公司\",{tax},{date},\"{amount}\",{zone},{es}"),
                8 => format!(" {id} ,某公司, {tax} ,{date}, \"{amount}\" ,{zone},{es}\r"),
                9 => format!("{id},某公司,{tax},{date},\"{amount}\",nozone,{es}"),
                10 => format!("{id},某公司,{tax},{date},\"(-5.00)\",{zone},{es}"),
                // Ideographic spaces around a mapped cell; a profile's text in a cell
                // nobody reads; a four-byte character; a name that is a tax's name.
                11 => format!("{id},某公司,\u{3000}{tax}\u{3000},{date},\"{amount}\",{zone},{es}"),
                12 => format!("{id},合计,{tax},{date},\"{amount}\",{zone},{es}"),
                13 => format!("{id},某\u{20000}公司,{tax},{date},\"{amount}\",{zone}\u{3000},{es}"),
                14 => format!("{id},{tax},{tax},{date},\"{amount}\",{zone},{es}"),
                // Quotes that do not wrap a whole cell (csv-core reads them as written
                // or cuts the line elsewhere), and an empty quoted cell.
                15 => format!("{id},成都\"某\"公司,{tax},{date},\"{amount}\",{zone},{es}"),
                16 => format!("{id},\"成都\"某公司,{tax},{date},\"{amount}\",{zone},{es}"),
                17 => format!("{id},\"\",{tax},{date},\"{amount}\",{zone},{es}"),
                18 => format!("{id},某\"公司,{tax},{date},\"{amount}\",{zone},{es}\""),
                19 => format!("{id},成都\"某,某\"公司,{tax},{date},\"{amount}\",{zone},{es}"),
                20 => format!("{id},某公司,{tax},{date},\"{amount}\"0,{zone},{es}"),
                _ => format!("{id},某公司,{tax},{date},\"{amount}\",{zone},{es}"),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Through a profile the streaming reader maps clean rows on its byte path; every
    /// row must come out as the general reader's (`Rows::exported`) makes it.
    #[test]
    fn exports_through_a_profile_read_alike_on_both_readers(
        lines in prop::collection::vec(export_line(), 0..300),
        block in 16usize..400,
        threads in 1usize..4,
        gb18030 in any::<bool>(),
        wide in any::<bool>(),
    ) {
        // Real exports have twenty columns or more: past sixteen the line is split
        // another way.
        let extra = if wide { ",备注".repeat(12) } else { String::new() };
        let lines: Vec<String> = lines
            .into_iter()
            .map(|l| if l.is_empty() { l } else { format!("{}{extra}", l.trim_end_matches('\r')) })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.toml");
        std::fs::write(&cfg, common::config(ZONES)).unwrap();
        let mut model = fencheng::config::load(&cfg).unwrap();
        model.input.profile = Some(
            fencheng::input::profile::parse("p.toml", EXPORT_PROFILE.as_bytes()).unwrap(),
        );
        let path = dir.path().join("export.csv");
        let text = format!(
            "税收入库明细,,,,,,\n查询条件：2025年,,,,,,\n纳税人识别号,纳税人名称,征收项目,税款所属期起,实缴（退）金额,园区,投产日期{}\n{}\n",
            if wide { (1..=12).map(|i| format!(",备注{i}")).collect::<String>() } else { String::new() },
            lines.join("\n")
        );
        let bytes = if gb18030 {
            encoding_rs::GB18030.encode(&text).0.into_owned()
        } else {
            text.into_bytes()
        };
        std::fs::write(&path, &bytes).unwrap();
        let streamed = fast(&path, &model, threads, block);
        prop_assert!(streamed.is_some(), "the fast path gave up on an export");
        let (read, _) = streamed.unwrap();
        let reference = general(&path, &model);
        prop_assert_eq!(&reference.0.2, &read.0.2, "problems");
        prop_assert_eq!(&reference.0.3, &read.0.3, "records");
        prop_assert_eq!(&reference.0.1, &read.0.1, "inputs");
        prop_assert_eq!(reference, read);
    }
}

/// 40,000 records over the benchmark's four zones (fixed, schedule by entity start,
/// base_increment, weighted: decimals and fractions in detail.csv), generated like
/// bench/gen.py with a linear congruential generator.
fn bench_records() -> String {
    let zones = ["fixed-z", "sched-z", "base-z", "weight-z"];
    let metrics = ["vat", "cit", "iit", "fcs"];
    let starts = [
        "2014-04-01",
        "2019-11-20",
        "2020-06-15",
        "2022-09-01",
        "2024-02-29",
    ];
    let rows = 40_000u64;
    let mut state = 20_250_101u64;
    let mut out = String::from("period,zone,entity,metric,amount,entity_start\n");
    for i in 0..rows {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let r = state >> 11;
        let zone = zones[(r % 4) as usize];
        let metric = metrics[((r >> 2) % 4) as usize];
        let ent = (r >> 4) % 20_000;
        let mut cents = ((r >> 20) % 100_000_000) as i64;
        if (r >> 50).is_multiple_of(50) {
            cents = -cents / 10;
        }
        let sign = if cents < 0 { "-" } else { "" };
        let start = if zone == "sched-z" {
            starts[(ent % 5) as usize]
        } else {
            ""
        };
        out += &format!(
            "2025-{:02},{zone},91510100MA{ent:08},{metric},{sign}{}.{:02},{start}\n",
            i * 12 / rows + 1,
            cents.abs() / 100,
            cents.abs() % 100
        );
    }
    out
}

/// Every output, detail.csv included, is the same bytes with one worker or several,
/// and the same as the general reader's (a quoted header sends the file there).
#[test]
fn outputs_are_byte_identical_for_any_number_of_threads_and_either_reader() {
    let s = common::Scratch::new();
    let config = common::repo().join("bench/config.toml");
    let text = bench_records();
    s.write("records.csv", &text);
    s.write("quoted.csv", &text.replacen("period", "\"period\"", 1));
    let run = |records: &str, threads: &str, out: &str| {
        common::fencheng()
            .current_dir(s.dir.path())
            .env("FENCHENG_THREADS", threads)
            .args(["run", "--config"])
            .arg(&config)
            .args(["--records", records, "--out", out, "--detail"])
            .assert()
            .success();
    };
    run("records.csv", "1", "one");
    run("records.csv", "2", "two");
    run("records.csv", "5", "five");
    run("quoted.csv", "2", "general");
    for file in [
        "summary.csv",
        "settlement.csv",
        "detail.csv",
        "manifest.json",
    ] {
        let one = s.read(&format!("one/{file}"));
        assert!(one.len() > 100, "{file} is nearly empty");
        assert_eq!(
            one,
            s.read(&format!("two/{file}")),
            "{file}: 1 vs 2 threads"
        );
        assert_eq!(
            one,
            s.read(&format!("five/{file}")),
            "{file}: 1 vs 5 threads"
        );
        if file == "detail.csv" {
            assert_eq!(
                without_file(&one),
                without_file(&s.read("general/detail.csv")),
                "detail.csv: fast vs general reader"
            );
        } else if file != "manifest.json" {
            // The manifest names the records file, which differs here.
            assert_eq!(
                one,
                s.read(&format!("general/{file}")),
                "{file}: fast vs general reader"
            );
        }
    }
    // 40,000 records, two or three lines each (two parties, and central for the
    // metrics with a central share: vat, cit, iit), plus the header.
    let lines = s.read("one/detail.csv").lines().count();
    assert!((80_001..=120_001).contains(&lines), "{lines} lines");
}

/// The detail pass copies a row's fields when they are already written as detail.csv
/// writes them; every other row is rebuilt. Rows of both kinds, and a file with the
/// columns in another order, give the general reader's bytes.
#[test]
fn detail_rows_that_cannot_be_copied_are_rebuilt_like_the_general_reader_does() {
    let s = common::Scratch::new();
    let config = common::repo().join("bench/config.toml");
    let rows = [
        "2025-01,fixed-z,91510100MA00000001,vat,100.00,",
        // Entities a spreadsheet would run as formulas, and one that is a number.
        "2025-01,fixed-z,-x,vat,100.00,",
        "2025-01,fixed-z,=1+2,cit,100.00,",
        "2025-01,fixed-z,@sum,iit,100.00,",
        "2025-01,fixed-z,-12.5,vat,100.00,",
        // Amounts not written as the outputs write them.
        "2025-01,fixed-z,e1,vat,5,",
        "2025-01,fixed-z,e1,vat,007.50,",
        "2025-01,fixed-z,e1,vat,-0.00,",
        "2025-01,fixed-z,e1,vat,12.5,",
        "2025-01,fixed-z,e1,vat,-0.5,",
        // Blanks around fields.
        "2025-01, fixed-z ,e2,vat,3.00,",
        "2025-01,fixed-z, e2 ,vat,3.00,",
        "2025-01,fixed-z,e2,vat, 3.00,",
        "2025-01,sched-z,e3,cit,1234567.89, 2019-11-20",
        "2025-01,base-z,e4,cit,1234567.89,",
        "2025-01,weight-z,e5,fcs,-98765.43,",
    ];
    let body = rows.join("\n") + "\n";
    let head = "period,zone,entity,metric,amount,entity_start\n";
    s.write("plain.csv", &format!("{head}{body}"));
    s.write("crlf.csv", &format!("{head}{body}").replace('\n', "\r\n"));
    s.write("quoted.csv", &format!("\"period\"{}{body}", &head[6..]));
    // The same records with the columns in another order.
    let moved: String = rows
        .iter()
        .map(|r| {
            let f: Vec<&str> = r.split(',').collect();
            format!("{},{},{},{},{},{}\n", f[4], f[1], f[0], f[3], f[2], f[5])
        })
        .collect();
    s.write(
        "moved.csv",
        &format!("amount,zone,period,metric,entity,entity_start\n{moved}"),
    );
    for (records, out) in [
        ("plain.csv", "plain"),
        ("crlf.csv", "crlf"),
        ("quoted.csv", "general"),
        ("moved.csv", "moved"),
    ] {
        common::fencheng()
            .current_dir(s.dir.path())
            .env("FENCHENG_THREADS", "2")
            .args(["run", "--config"])
            .arg(&config)
            .args(["--records", records, "--out", out, "--detail"])
            .assert()
            .success();
    }
    let detail = without_file(&s.read("general/detail.csv"));
    let read = |f: &str| without_file(&s.read(f));
    assert_eq!(read("plain/detail.csv"), detail, "fast vs general reader");
    assert_eq!(read("crlf/detail.csv"), detail, "CRLF line ends");
    assert_eq!(read("moved/detail.csv"), detail, "columns in another order");
    // Spot checks by hand: a formula-like entity gets its leading quote, a number does
    // not; amounts are written with the quantum's two decimals, -0.00 as 0.00.
    // vat has a central share of 0.5: central gets 0.5 × 100.00 = 50.
    assert!(detail.contains("\n3,2025-01,fixed-z,'-x,vat,100.00,central,0.5,50,r,a\n"));
    assert!(detail.contains("\n6,2025-01,fixed-z,-12.5,vat,100.00,"));
    assert!(detail.contains("\n7,2025-01,fixed-z,e1,vat,5.00,"));
    assert!(detail.contains("\n8,2025-01,fixed-z,e1,vat,7.50,"));
    assert!(detail.contains("\n9,2025-01,fixed-z,e1,vat,0.00,"));
    assert!(detail.contains("\n12,2025-01,fixed-z,e2,vat,3.00,aba,"));
}

/// A worker forgets its raw keys (and the cells their caches) when it has met many,
/// so that memory stays flat: with more distinct keys than that (60,000 rows whose
/// entity start dates are nearly all different), and a few mistakes among them, the
/// sums, control totals and messages are still the general reader's.
#[test]
fn many_distinct_keys_are_summed_like_the_general_reader_does() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, common::config(ZONES)).unwrap();
    let model = fencheng::config::load(&cfg).unwrap();
    let path = dir.path().join("r.csv");
    let mut text = String::from("period,zone,entity,metric,amount,entity_start\n");
    let start = chrono::NaiveDate::from_ymd_opt(1995, 1, 1).unwrap();
    for i in 0..60_000u32 {
        let date = start + chrono::Days::new(u64::from(i * 7919 % 10_900));
        let metric = ["vat", "fcs"][(i % 2) as usize];
        let amount = if i % 9973 == 0 {
            "1e5".to_string()
        } else {
            format!("{}.{:02}", i * 37 % 100_000, i % 100)
        };
        text += &format!("2025-{:02},s,E{i},{metric},{amount},{date}\n", i % 12 + 1);
    }
    std::fs::write(&path, &text).unwrap();

    let expected = general(&path, &model);
    assert!(!expected.0.2.is_empty(), "the mistakes are reported");
    for threads in [1, 2] {
        let got = fast(&path, &model, threads, 1 << 16).map(|(read, _)| read);
        assert_eq!(got.as_ref(), Some(&expected), "{threads} threads");
    }

    // Without the mistakes the run succeeds; its detail.csv (whose workers forget
    // their keys too) is the general reader's, byte for byte.
    let clean: String = text
        .lines()
        .filter(|l| !l.contains("1e5"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("clean.csv"), &clean).unwrap();
    std::fs::write(
        dir.path().join("quoted.csv"),
        clean.replacen("period", "\"period\"", 1),
    )
    .unwrap();
    for (records, out) in [("clean.csv", "fast"), ("quoted.csv", "general")] {
        common::fencheng()
            .current_dir(dir.path())
            .env("FENCHENG_THREADS", "2")
            .args([
                "run",
                "--config",
                "c.toml",
                "--records",
                records,
                "--out",
                out,
                "--detail",
            ])
            .assert()
            .success();
    }
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    assert_eq!(
        without_file(&read("fast/detail.csv")),
        without_file(&read("general/detail.csv"))
    );
    assert_eq!(read("fast/summary.csv"), read("general/summary.csv"));
}

/// detail.csv without its last column (`file`): the same records read from two files
/// give the same lines but for the file's name.
fn without_file(detail: &str) -> String {
    detail
        .lines()
        .map(|l| l.rsplit_once(',').map_or(l, |(a, _)| a))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A GB18030 export read through a profile is cut on its bytes and only the cells the
/// profile reads are decoded; a byte that is no GB18030 character in a cell nobody
/// reads (the company's name) must still send the file to the general reader, which
/// says where it is (its byte offset).
#[test]
fn a_byte_of_no_character_in_a_cell_nobody_reads_is_still_found() {
    let dir = tempfile::tempdir().unwrap();
    let (_, model) = models(dir.path());
    let head = "税收入库明细,,,,,,\n查询条件：2025年,,,,,,\n纳税人识别号,纳税人名称,征收项目,税款所属期起,实缴（退）金额,园区,投产日期\n";
    let row = "91510000000000000001,成都某某公司,增值税,2025-03-01,\"1,234.56\",s,2015-12-31\n";
    let mut bytes = encoding_rs::GB18030.encode(head).0.into_owned();
    for _ in 0..50 {
        bytes.extend_from_slice(&encoding_rs::GB18030.encode(row).0);
    }
    let path = dir.path().join("export.csv");
    std::fs::write(&path, &bytes).unwrap();
    // Clean, the byte path reads it.
    assert!(fast(&path, &model, 2, 256).is_some());
    // 0xFF starts no character; 0x81 0x20 is a lead byte without its second byte.
    for bad in [&[0xFFu8][..], &[0x81, 0x20]] {
        let at = bytes.len() - row.len() - 10;
        let at = at + bytes[at..].iter().position(|&b| b == b',').unwrap() + 1;
        let mut broken = bytes.clone();
        broken.splice(at..at, bad.iter().copied());
        std::fs::write(&path, &broken).unwrap();
        assert!(fast(&path, &model, 2, 256).is_none(), "{bad:02X?}");
        let (summary, _) = general(&path, &model);
        let offset = format!("byte offset {at}");
        assert!(
            summary.2.iter().any(|p| p.contains(&offset)),
            "{:?}",
            summary.2
        );
    }
}

/// CRLF line ends are read on the byte path; a carriage return that ends no CRLF line
/// (old Mac line ends, a stray one inside a field) sends the file to the general
/// reader, wherever it falls against the blocks and their 64-byte chunks — found by the
/// workers as they cut the lines, for plain files and exports alike.
#[test]
fn a_bare_carriage_return_sends_the_file_to_the_general_reader() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, export) = models(dir.path());
    let plain_text = format!(
        "period,zone,entity,metric,amount,entity_start\r\n{}",
        "2025-03,s,E1,vat,12.50,2015-12-31\r\n".repeat(12)
    );
    let export_text = format!(
        "税收入库明细,,,,,,\r\n查询条件：2025年,,,,,,\r\n纳税人识别号,纳税人名称,征收项目,税款所属期起,实缴（退）金额,园区,投产日期\r\n{}",
        "91510000000000000001,成都某某公司,增值税,2025-03-01,\"1,234.56\",s,2015-12-31\r\n"
            .repeat(12)
    );
    let path = dir.path().join("r.csv");
    for (model, text) in [(&plain, plain_text), (&export, export_text)] {
        for gb in [false, true] {
            let bytes = if gb {
                encoding_rs::GB18030.encode(&text).0.into_owned()
            } else {
                text.clone().into_bytes()
            };
            std::fs::write(&path, &bytes).unwrap();
            assert!(fast(&path, model, 2, 100).is_some(), "CRLF");
            // A bare `\r` after every byte of the last lines (and at the very end).
            let header_end = bytes.len() - 3 * (bytes.len() / 15);
            for at in header_end..=bytes.len() {
                let mut broken = bytes.clone();
                broken.insert(at, b'\r');
                std::fs::write(&path, &broken).unwrap();
                assert!(fast(&path, model, 2, 100).is_none(), "bare CR at {at}");
            }
        }
    }
}
