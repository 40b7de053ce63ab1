//! The files Excel really writes (SPEC §10): the samples re-saved by each of Excel's
//! habits give the same summary as the original samples — one test per habit.

use crate::common;

use common::{fencheng, repo};
use std::path::Path;

fn original() -> String {
    std::fs::read_to_string(repo().join("samples/records-2025.csv")).unwrap()
}

/// summary.csv of a run on `file` (in `dir`) with the shipped configuration.
fn summary(dir: &Path, file: &str, extra: &[&str]) -> String {
    let out = dir.join(format!("out-{}", file.replace(['/', ':', '.'], "_")));
    let res = fencheng()
        .current_dir(repo())
        .args(["run", "--config", "config", "--records"])
        .arg(dir.join(file))
        .args(extra)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{file}: {}",
        String::from_utf8_lossy(&res.stderr)
    );
    std::fs::read_to_string(out.join("summary.csv")).unwrap()
}

/// The samples' summary, and a scratch directory with `name` written as `bytes`.
fn habit(name: &str, bytes: &[u8]) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.csv"), original()).unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    let want = summary(dir.path(), "plain.csv", &[]);
    let got = summary(dir.path(), name, &[]);
    (want, got)
}

/// Each line's fields changed by `f` (the samples have no quoted field).
fn per_field(f: impl Fn(usize, &str) -> String) -> String {
    original()
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return l.to_string();
            }
            l.split(',')
                .enumerate()
                .map(|(k, v)| f(k, v))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn gb18030_with_a_chinese_header() {
    let text = original().replacen(
        "period,zone,entity,metric,amount,entity_start",
        "期间,园区,企业,指标,金额,投产日期",
        1,
    );
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let (want, got) = habit("gbk.csv", &bytes);
    assert_eq!(want, got);
}

#[test]
fn crlf_line_ends() {
    let (want, got) = habit("crlf.csv", original().replace('\n', "\r\n").as_bytes());
    assert_eq!(want, got);
}

#[test]
fn dates_as_excel_writes_them() {
    // 2014-04-01 → 2014/4/1
    let text = per_field(|k, v| {
        if k == 5 && !v.is_empty() {
            let p: Vec<&str> = v.split('-').collect();
            format!(
                "{}/{}/{}",
                p[0],
                p[1].trim_start_matches('0'),
                p[2].trim_start_matches('0')
            )
        } else {
            v.to_string()
        }
    });
    let (want, got) = habit("dates.csv", text.as_bytes());
    assert_eq!(want, got);
}

#[test]
fn periods_in_chinese() {
    // 2025-01 → 2025年1月
    let text = per_field(|k, v| {
        if k == 0 {
            format!("{}年{}月", &v[..4], v[5..].trim_start_matches('0'))
        } else {
            v.to_string()
        }
    });
    let (want, got) = habit("periods.csv", text.as_bytes());
    assert_eq!(want, got);
}

#[test]
fn names_instead_of_ids() {
    let text = per_field(|k, v| match (k, v) {
        (1, "cheng-a") => "成阿工业园区".into(),
        (1, "gaozhu") => "川渝高竹新区".into(),
        (3, "vat") => "增值税".into(),
        (3, "cit") => "企业所得税".into(),
        _ => v.to_string(),
    });
    assert!(text.contains("成阿工业园区") && text.contains("增值税"));
    let (want, got) = habit("names.csv", text.as_bytes());
    assert_eq!(want, got);
}

#[test]
fn trailing_empty_columns() {
    let text = original()
        .lines()
        .map(|l| format!("{l},,,"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let (want, got) = habit("trailing.csv", text.as_bytes());
    assert_eq!(want, got);
}

#[test]
fn semicolons_and_tabs() {
    let (want, got) = habit("semi.csv", original().replace(',', ";").as_bytes());
    assert_eq!(want, got);
    let (want, got) = habit("tabs.txt", original().replace(',', "\t").as_bytes());
    assert_eq!(want, got);
}

#[test]
fn utf16_unicode_text() {
    let text = original().replace(',', "\t");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let (want, got) = habit("unicode.txt", &bytes);
    assert_eq!(want, got);
}

#[test]
fn a_workbook_with_formula_noise() {
    // Amounts as numbers that a formula left one unit in the last place off (as 7 comes
    // out of a formula as 7.000000000000001): read at 15 significant digits, as Excel
    // shows them.
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, line) in original().lines().enumerate() {
        for (j, v) in line.split(',').enumerate() {
            match (i, j) {
                (r, 4) if r > 0 => {
                    let f: f64 = v.parse().unwrap();
                    let noisy = f64::from_bits(f.to_bits() + 1);
                    assert_ne!(noisy, f);
                    ws.write_number(i as u32, j as u16, noisy).unwrap();
                }
                _ => {
                    ws.write_string(i as u32, j as u16, v).unwrap();
                }
            }
        }
    }
    wb.save(dir.path().join("noise.xlsx")).unwrap();
    std::fs::write(dir.path().join("plain.csv"), original()).unwrap();
    assert_eq!(
        summary(dir.path(), "plain.csv", &[]),
        summary(dir.path(), "noise.xlsx", &[])
    );
}

#[test]
fn an_xls_workbook_and_one_saved_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.csv"), original()).unwrap();
    std::fs::copy(
        repo().join("tests/data/records-2025.xls"),
        dir.path().join("book.xls"),
    )
    .unwrap();
    assert_eq!(
        summary(dir.path(), "plain.csv", &[]),
        summary(dir.path(), "book.xls", &[])
    );
    // The same workbook under a .csv name: the message says what it is.
    std::fs::copy(
        repo().join("tests/data/records-2025.xls"),
        dir.path().join("book.csv"),
    )
    .unwrap();
    let out = fencheng()
        .current_dir(repo())
        .args(["run", "--config", "config", "--records"])
        .arg(dir.path().join("book.csv"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("this is an Excel workbook"), "{err}");
}

#[test]
fn common_mistakes_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let head = "period,zone,entity,metric,amount\n";
    std::fs::write(
        dir.path().join("m.csv"),
        format!("{head}2025-01,cheng-a,E,vat,\"1,234.50\"\n2025-01,cheng-a,E,vat,１２３\n2025-01,cheng-a,E,vat,1,234.50\n"),
    )
    .unwrap();
    let out = fencheng()
        .current_dir(repo())
        .args(["check", "--config", "config", "--records"])
        .arg(dir.path().join("m.csv"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("m.csv:2: amount:")
            && err.contains("remove the thousands separator: write '1234.50'"),
        "{err}"
    );
    assert!(
        err.contains("m.csv:3: amount:")
            && err.contains("full-width digits (全角数字): write '123'"),
        "{err}"
    );
    assert!(
        err.contains("m.csv:4: 6 fields, expected 5") && err.contains("without quotes"),
        "{err}"
    );
}

#[test]
fn columns_named_as_an_office_names_them() {
    // [input.columns] maps other header names.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config");
    std::fs::create_dir(&cfg).unwrap();
    for e in std::fs::read_dir(repo().join("config"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
    {
        std::fs::copy(e.path(), cfg.join(e.file_name())).unwrap();
    }
    std::fs::write(
        cfg.join("input.toml"),
        "[input.columns]\namount = [\"实缴金额\", \"金额（元）\"]\nentity = [\"纳税人识别号\"]\n",
    )
    .unwrap();
    let text = original().replacen(
        "period,zone,entity,metric,amount",
        "period,zone,纳税人识别号,metric,金额（元）",
        1,
    );
    std::fs::write(dir.path().join("office.csv"), text).unwrap();
    std::fs::write(dir.path().join("plain.csv"), original()).unwrap();
    let run = |file: &str| {
        let out = dir.path().join(format!("o-{file}"));
        fencheng()
            .current_dir(repo())
            .args(["run", "--config"])
            .arg(&cfg)
            .arg("--records")
            .arg(dir.path().join(file))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(out.join("summary.csv")).unwrap()
    };
    assert_eq!(run("plain.csv"), run("office.csv"));
}

#[test]
fn side_files_saved_as_workbooks_read_as_their_csv() {
    // The samples' entities and deductions saved as .xlsx (amounts as numbers, one
    // start date as a date cell, the deductions on a named sheet): the same figures.
    let dir = tempfile::tempdir().unwrap();
    let book = |csv: &str, name: &str, sheet: &str| {
        let text = std::fs::read_to_string(repo().join(csv)).unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        for (i, line) in text.lines().enumerate() {
            for (j, v) in line.split(',').enumerate() {
                let (r, c) = (i as u32, j as u16);
                if i > 0 && name.starts_with('d') && j == 3 {
                    ws.write_number(r, c, v.parse::<f64>().unwrap()).unwrap();
                } else if i > 0 && name.starts_with('e') && v == "2022-9-1" {
                    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2022, 9, 1).unwrap();
                    ws.write_datetime_with_format(r, c, &d, &date).unwrap();
                } else {
                    ws.write_string(r, c, v).unwrap();
                }
            }
        }
        wb.save(dir.path().join(name)).unwrap();
    };
    book("samples/entities.csv", "entities.xlsx", "Sheet1");
    book("samples/deductions-2025.csv", "deductions.xlsx", "扣除");
    let run = |entities: &str, deductions: &str, out: &str| {
        common::fencheng_in(
            repo(),
            "run --config config --records samples/records-2025.csv",
        )
        .args(["--entities", entities, "--deductions", deductions, "--out"])
        .arg(dir.path().join(out))
        .assert()
        .success();
    };
    run("samples/entities.csv", "samples/deductions-2025.csv", "csv");
    let e = dir.path().join("entities.xlsx");
    let d = format!("{}:扣除", dir.path().join("deductions.xlsx").display());
    run(e.to_str().unwrap(), &d, "xlsx");
    for f in ["summary.csv", "settlement.csv"] {
        assert_eq!(
            std::fs::read_to_string(dir.path().join("csv").join(f)).unwrap(),
            std::fs::read_to_string(dir.path().join("xlsx").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn the_workbook_says_money_in_one_unit_and_its_detail_in_the_readers_language() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "zh"] {
        let book = dir.path().join(format!("{lang}.xlsx"));
        common::fencheng_in(repo(), "run --config config --records samples/records-2025.csv --entities samples/entities.csv --detail")
            .args(["--lang", lang, "--out"])
            .arg(dir.path().join(lang))
            .arg("--xlsx")
            .arg(&book)
            .assert()
            .success();
        let mut wb = calamine::open_workbook_auto(&book).unwrap();
        let names = wb.sheet_names();
        // Sheets: summary, settlement, detail (in that order).
        let settlement = wb.worksheet_range(&names[1]).unwrap();
        let units: std::collections::BTreeSet<String> = settlement
            .rows()
            .skip(1)
            .map(|r| r[6].to_string())
            .collect();
        // The shipped tax metrics are in 元: the settlement says so in both languages.
        assert_eq!(units.into_iter().collect::<Vec<_>>(), ["元"], "{lang}");
        let detail = wb.worksheet_range(&names[2]).unwrap();
        let head: Vec<String> = detail
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        if lang == "zh" {
            assert_eq!(head[0], "行号");
            assert_eq!(head[5], "金额");
            assert_eq!(head[8], "精确分成");
        } else {
            assert_eq!(head[0], "line");
        }
    }
}

/// The workbook's detail sheet holds detail.csv's lines as values, line for line: the
/// text fields as the records wrote them (a name like `=1+2` stays text, no guard
/// quote), the amount a number. Built from the records, not read back from the CSV.
#[test]
fn the_detail_sheet_is_detail_csv_as_values() {
    use calamine::{Data, Reader};
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("odd.csv");
    std::fs::write(
        &records,
        "period,zone,entity,metric,amount,entity_start\n\
         2025-01,cheng-a,=1+2,vat,203777.03,2014-04-01\n\
         2025-01,cheng-a,\"A, \"\"Inc\"\"\",iit,-4058.85,2014-04-01\n\
         2025-02,cheng-a,@x,output,878.45,2014-04-01\n",
    )
    .unwrap();
    let book = dir.path().join("b.xlsx");
    common::fencheng_in(repo(), "run --config config --detail --lang en")
        .arg("--records")
        .arg(&records)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--xlsx")
        .arg(&book)
        .assert()
        .success();
    let mut csv = csv::Reader::from_path(dir.path().join("out/detail.csv")).unwrap();
    let lines: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let mut wb = calamine::open_workbook_auto(&book).unwrap();
    let names = wb.sheet_names();
    let sheet = wb.worksheet_range(&names[2]).unwrap();
    let rows: Vec<&[Data]> = sheet.rows().skip(1).collect();
    // Three records, each with its parties' lines (central and the zone's parties).
    assert!(lines.len() >= 6, "{} lines", lines.len());
    assert_eq!(rows.len(), lines.len());
    for (line, row) in lines.iter().zip(&rows) {
        for (c, text) in line.iter().enumerate() {
            if c == 5 {
                assert_eq!(row[c], Data::Float(text.parse().unwrap()), "{line:?}");
            } else {
                // The CSV guards a leading = + - @ with a quote; the sheet needs none.
                let plain = match text.strip_prefix('\'') {
                    Some(t) if t.starts_with(['=', '+', '-', '@']) => t,
                    _ => text,
                };
                assert_eq!(
                    row[c],
                    Data::String(plain.to_string()),
                    "{line:?} column {c}"
                );
            }
        }
    }
    let entities: std::collections::BTreeSet<String> =
        rows.iter().map(|r| r[3].to_string()).collect();
    assert_eq!(
        entities.into_iter().collect::<Vec<_>>(),
        ["=1+2", "@x", "A, \"Inc\""]
    );
}
