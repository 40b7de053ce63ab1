//! The language of what people read (SPEC §10): Chinese by the locale, English with
//! `--lang en`; CSV outputs, ids, numbers and `file:line:` prefixes identical in both.

use crate::common;

use common::repo;

fn bin(locale: &str) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("fencheng").unwrap();
    c.current_dir(repo())
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", locale);
    c
}

#[test]
fn chinese_by_the_locale_english_when_asked_and_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "run",
        "--config",
        "config",
        "--records",
        "samples/records-2025.csv",
        "--xlsx",
    ];
    let zh = bin("zh_CN.UTF-8")
        .args(args)
        .arg(dir.path().join("zh.xlsx"))
        .arg("--out")
        .arg(dir.path().join("zh"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&zh.stdout);
    assert!(
        text.starts_with("指标") && text.contains("金额") && text.contains("条记录"),
        "{text}"
    );
    let en = bin("zh_CN.UTF-8")
        .args(args)
        .arg(dir.path().join("en.xlsx"))
        .args(["--lang", "en", "--out"])
        .arg(dir.path().join("en"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&en.stdout);
    assert!(
        text.starts_with("metric") && text.contains("records in"),
        "{text}"
    );
    for f in ["summary.csv", "settlement.csv", "assessment.csv"] {
        assert_eq!(
            std::fs::read(dir.path().join("zh").join(f)).unwrap(),
            std::fs::read(dir.path().join("en").join(f)).unwrap(),
            "{f}"
        );
    }
    // The workbook's sheets in the chosen language.
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(dir.path().join("zh.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), vec!["分成汇总", "结算"]);
    // Each row with its metric's unit; under the table, one totals row per metric whose
    // amount is the exact sum of the metric's rows in summary.csv.
    let sheet = wb.worksheet_range("分成汇总").unwrap();
    let head: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(head[7..], ["金额", "单位"]);
    assert_eq!(sheet.get((1, 8)).map(|c| c.to_string()), Some("元".into()));
    let csv = std::fs::read_to_string(dir.path().join("zh").join("summary.csv")).unwrap();
    let cents: i128 = csv
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(2) == Some("vat"))
        .map(|l| {
            l.rsplit(',')
                .next()
                .unwrap()
                .replace('.', "")
                .parse::<i128>()
                .unwrap()
        })
        .sum();
    let total = sheet
        .rows()
        .find(|r| r[0] == "合计" && r[3] == "vat")
        .expect("a totals row for vat");
    let calamine::Data::Float(v) = total[7] else {
        panic!("{:?}", total[7])
    };
    assert_eq!(format!("{v:.2}").replace('.', ""), cents.to_string());
    assert_eq!(total[8].to_string(), "元");
    let wb: calamine::Xlsx<_> = calamine::open_workbook(dir.path().join("en.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), vec!["summary", "settlement"]);
    // An error: the heading in Chinese, the located problem as it is.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "period,zone,entity,metric,amount\n2025-01,nowhere,E,vat,1.00\n",
    )
    .unwrap();
    let out = bin("zh_CN.UTF-8")
        .args(["run", "--config", "config", "--records"])
        .arg(&bad)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.starts_with("错误: 数据有误：") && err.contains("bad.csv:2: zone:"),
        "{err}"
    );
    let out = bin("en_US.UTF-8")
        .args(["run", "--config", "config", "--records"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: invalid records:"));
}

#[test]
fn tables_grouped_by_zone_with_units_and_totals() {
    let out = bin("en_US.UTF-8")
        .args([
            "run",
            "--config",
            "config",
            "--records",
            "samples/records-2025.csv",
            "--by",
            "zone",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // 成阿, VAT (元): the parties' rows, then their total, which is the zone's VAT.
    assert!(
        text.contains("成阿工业园区 cheng-a") && text.contains("vat 增值税 (元)"),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.contains("vat 增值税 (元)"))
        .unwrap();
    let mut sum = 0i128;
    let mut total = None;
    for l in &lines[start + 1..] {
        let cells: Vec<&str> = l.split_whitespace().collect();
        let amount = cells.last().unwrap();
        let cents = amount.replace('.', "").parse::<i128>().unwrap();
        if l.contains("(total)") {
            total = Some(cents);
            break;
        }
        sum += cents;
    }
    assert_eq!(total, Some(sum), "{text}");
    // The CSV of the totals does not change with --by.
    let csv = |extra: &[&str]| {
        bin("en_US.UTF-8")
            .args([
                "run",
                "--config",
                "config",
                "--records",
                "samples/records-2025.csv",
                "--format",
                "csv",
            ])
            .args(extra)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(csv(&[]), csv(&["--by", "party"]));
}

/// What a finance officer reads at the end of a month, in Chinese: `check`, the
/// year-to-date warning, `close`, `books verify` and `books status`, a refused
/// second booking; the same in English with `--lang en`.
#[test]
fn the_monthly_work_speaks_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let books = dir.path().join("books");
    let chinese = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let run = |args: &[&str], lang: &str| {
        let out = bin(lang).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let b = books.to_str().unwrap();
    let month = "samples/monthly/records-2025-07.csv";
    let (_, out, _) = run(
        &["check", "--config", "config", "--records", month],
        "zh_CN.UTF-8",
    );
    assert!(
        out.starts_with("配置无误") && out.contains("记录无误"),
        "{out}"
    );
    let (_, _, warn) = run(
        &["run", "--config", "config", "--records", month],
        "zh_CN.UTF-8",
    );
    assert!(
        warn.contains("警告") && warn.contains("年累计从 2025-07 开始"),
        "{warn}"
    );
    let jan = "samples/monthly/records-2025-01.csv";
    let close = [
        "close",
        "--config",
        "config",
        "--books",
        b,
        "--records",
        jan,
    ];
    let (code, out, err) = run(&close, "zh_CN.UTF-8");
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("已结账 2025-01"), "{out}");
    let (code, _, err) = run(&close, "zh_CN.UTF-8");
    assert_eq!(code, Some(1));
    assert!(err.contains("已入账的文件不能再次入账"), "{err}");
    let (_, out, _) = run(&["books", "verify", b], "zh_CN.UTF-8");
    assert!(out.starts_with("复核通过"), "{out}");
    let (_, out, _) = run(&["books", "status", b], "zh_CN.UTF-8");
    assert!(out.starts_with("期间") && chinese(&out), "{out}");
    let (_, out, _) = run(&["--lang", "en", "books", "verify", b], "zh_CN.UTF-8");
    assert!(
        out.starts_with("verified: every closing (1) replays"),
        "{out}"
    );
}

/// `explain` for an auditor who reads Chinese: every step in Chinese, the figures and
/// `file:line` references as in English (whose text the audit snapshots hold).
#[test]
fn explain_speaks_chinese_with_the_same_figures() {
    let args = [
        "explain",
        "--config",
        "config",
        "--records",
        "samples/records-2025.csv",
        "--period",
        "2025-07",
        "--zone",
        "cheng-a",
        "--metric",
        "vat",
    ];
    let zh = bin("zh_CN.UTF-8").args(args).output().unwrap();
    let en = bin("zh_CN.UTF-8")
        .args(args)
        .args(["--lang", "en"])
        .output()
        .unwrap();
    let (zh, en) = (
        String::from_utf8_lossy(&zh.stdout).into_owned(),
        String::from_utf8_lossy(&en.stdout).into_owned(),
    );
    for step in [
        "分成单元合计：",
        "中央分成比例 0.5",
        "按最大余数法分配",
        "余数单位：1",
        "汇总行",
    ] {
        assert!(zh.contains(step), "{step} missing in:\n{zh}");
    }
    assert!(
        en.contains("Cell total: ") && !en.contains("分成单元合计"),
        "{en}"
    );
    // The same figures and references in both.
    let figures = |t: &str| -> Vec<String> {
        t.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ':' || c == '/' || c == '-'))
            .filter(|w| {
                w.contains("samples/records-2025.csv:")
                    || w.contains('.') && w.chars().next().is_some_and(|c| c.is_ascii_digit())
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(figures(&zh), figures(&en));
}

#[test]
fn the_command_lines_own_mistakes_are_said_in_chinese() {
    let err = |locale: &str, args: &[&str]| {
        let out = bin(locale).args(args).assert().code(2);
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    };
    // An option misspelt: the suggestion and the usage line are kept.
    let e = err("zh_CN.UTF-8", &["run", "--confg", "c"]);
    assert!(
        e.starts_with("错误: 未知的选项 '--confg'；是否应为 '--config'？"),
        "{e}"
    );
    assert!(e.contains("用法：fencheng run --config PATH"), "{e}");
    let e = err("zh_CN.UTF-8", &["runn"]);
    assert!(e.contains("未知的命令 'runn'；是否应为 'run'？"), "{e}");
    let e = err("zh_CN.UTF-8", &["run", "--records", "x.csv"]);
    assert!(e.contains("缺少必需的参数：--config <PATH>"), "{e}");
    let e = err("zh_CN.UTF-8", &["run", "--format", "xml"]);
    assert!(
        e.contains("'xml' 不是 --format <FORMAT> 可取的值（可取：table, csv, json）"),
        "{e}"
    );
    let e = err("zh_CN.UTF-8", &["project", "--to", "abc"]);
    assert!(e.contains("'abc' 不是 --to <YEAR> 的有效值"), "{e}");
    // --lang en, given before or after the command, keeps clap's English.
    let e = err("zh_CN.UTF-8", &["--lang", "en", "run", "--confg", "c"]);
    assert!(e.starts_with("error: unexpected argument '--confg'"), "{e}");
    let e = err("zh_CN.UTF-8", &["run", "--confg", "c", "--lang=en"]);
    assert!(e.starts_with("error: unexpected argument '--confg'"), "{e}");
    let e = err("C", &["runn"]);
    assert!(
        e.starts_with("error: unrecognized subcommand 'runn'"),
        "{e}"
    );
}

#[test]
fn help_is_chinese_for_a_chinese_user_and_english_when_asked() {
    let help = |locale: &str, args: &[&str]| {
        let out = bin(locale).args(args).assert().success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let h = help("zh_CN.UTF-8", &["run", "--help"]);
    assert!(h.starts_with("计算全部分成"), "{h}");
    assert!(
        h.contains("用法：fencheng run") && h.contains("选项:"),
        "{h}"
    );
    assert!(h.contains("配置：一个 TOML 文件"), "{h}");
    assert!(h.contains("退出码：0 成功"), "{h}");
    let h = help("zh_CN.UTF-8", &["-h"]);
    assert!(
        h.contains("命令:") && h.contains("  close        把新期间关账记入账簿"),
        "{h}"
    );
    let h = help("zh_CN.UTF-8", &["--lang", "en", "run", "--help"]);
    assert!(
        h.starts_with("Compute every share") && h.contains("Usage: "),
        "{h}"
    );
    let h = help("C", &["run", "-h"]);
    assert!(h.contains("Options:") && !h.contains("选项"), "{h}");
    // The values an option takes and its default, which clap writes in English.
    for args in [
        ["sweep", "--help"],
        ["sweep", "-h"],
        ["run", "--help"],
        ["run", "-h"],
    ] {
        let h = help("zh_CN.UTF-8", &args);
        for english in [
            "Possible values",
            "possible values",
            "[default",
            "valid UTF-8",
        ] {
            assert!(!h.contains(english), "{args:?} says {english:?}:\n{h}");
        }
    }
    let h = help("zh_CN.UTF-8", &["sweep", "--help"]);
    assert!(
        h.contains("- auto：字节是有效 UTF-8 时按 UTF-8，否则按 GB18030")
            && h.contains("默认：auto"),
        "{h}"
    );
    let h = help("zh_CN.UTF-8", &["sweep", "-h"]);
    assert!(h.contains("（可选值：run、life；默认：run）"), "{h}");
    let h = help("C", &["sweep", "--help"]);
    assert!(
        h.contains("Possible values:") && h.contains("[default: auto]"),
        "{h}"
    );
}

/// Under a Chinese locale, every command's normal output on the shipped samples is
/// Chinese: no English word is left outside ids (parties, zones, metrics, agreements,
/// rules, from the configuration), file names, options and numbers.
#[test]
fn every_command_speaks_chinese_on_the_samples() {
    let dir = tempfile::tempdir().unwrap();
    let t = |p: &str| dir.path().join(p).to_str().unwrap().to_string();
    let (out, books, st, imp, init) = (t("out"), t("books"), t("st"), t("imp.csv"), t("init"));
    let records = "samples/records-2025.csv";
    let base = ["--config", "config", "--records", records];
    let with = |extra: &[&str]| -> Vec<String> { extra.iter().map(|s| s.to_string()).collect() };
    let mut walk: Vec<Vec<String>> = vec![
        with(&["check"]).into_iter().chain(with(&base)).collect(),
        with(&["run"])
            .into_iter()
            .chain(with(&base))
            .chain(with(&[
                "--deductions",
                "samples/deductions-2025.csv",
                "--entities",
                "samples/entities.csv",
                "--out",
                &out,
            ]))
            .collect(),
        with(&["verify", &out]),
        with(&["explain"])
            .into_iter()
            .chain(with(&base))
            .chain(with(&[
                "--period", "2025-01", "--zone", "cheng-a", "--metric", "vat",
            ]))
            .collect(),
        with(&["compare"])
            .into_iter()
            .chain(with(&base))
            .chain(with(&["--scenario", "samples/scenario-55-45.toml"]))
            .collect(),
        with(&["sweep"])
            .into_iter()
            .chain(with(&base))
            .chain(with(&[
                "--vary",
                "zone.cheng-a.agreement.2012.rule.tax.phases.1.shares.aba",
                "--from",
                "0.5",
                "--to",
                "0.7",
                "--step",
                "0.1",
                "--party",
                "aba",
            ]))
            .collect(),
        with(&["project"])
            .into_iter()
            .chain(with(&base))
            .chain(with(&["--to", "2027", "--growth", "0.05"]))
            .collect(),
        with(&["quota"])
            .into_iter()
            .chain(with(&base))
            .chain(with(&["--allocations", "samples/allocations-2025.csv"]))
            .collect(),
        with(&[
            "import",
            "--profile",
            "config/profiles/税收入库明细.toml",
            "--records",
            "samples/export-2025-03.csv",
            "--to",
            &imp,
        ]),
        with(&["statement", &out, "--to", &st]),
        with(&["init", &init]),
    ];
    for month in ["01", "02"] {
        walk.push(with(&[
            "close",
            "--config",
            "config",
            "--books",
            &books,
            "--records",
            &format!("samples/monthly/records-2025-{month}.csv"),
        ]));
    }
    walk.push(with(&["books", "status", &books]));
    walk.push(with(&["books", "verify", &books]));
    walk.push(with(&[
        "books",
        "balance",
        &books,
        "--payments",
        "samples/payments-2025.csv",
    ]));
    walk.push(with(&["books", "reopen", &books, "2025-02"]));
    // The ids of the shipped configuration, and the few words that are names of things
    // (file kinds, the program, the contract).
    let mut ids: std::collections::BTreeSet<String> = [
        "deduction",
        "central",
        "html",
        "csv",
        "toml",
        "json",
        "xlsx",
        "README",
        "SPEC",
        "fencheng",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for entry in std::fs::read_dir(repo().join("config")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                let line = line.trim();
                if let Some(v) = line.strip_prefix("id = \"") {
                    ids.insert(v.trim_end_matches('"').to_string());
                }
                if let Some(h) = line.strip_prefix('[') {
                    for part in h.trim_matches(|c| c == '[' || c == ']').split('.') {
                        ids.insert(part.trim_matches('"').to_string());
                    }
                }
            }
        }
    }
    let mut english = Vec::new();
    for args in &walk {
        let o = bin("zh_CN.UTF-8").args(args).output().unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text =
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
        // A command line to try, and an option with its value, are what the user types.
        let text: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("fencheng "))
            .collect::<Vec<_>>()
            .join("\n")
            .replace("--over life", "");
        for token in text.split(|c: char| c.is_whitespace() || "（）()，,：:·；;'\"[]=".contains(c))
        {
            // File names, paths and options are what the user typed or will type.
            if token.contains('/') || token.starts_with('-') || token.contains('.') {
                continue;
            }
            for word in token.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            {
                let w = word.trim_matches('-');
                if w.len() >= 3
                    && w.bytes()
                        .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-')
                    && !ids.contains(w)
                    && !w.split(['_', '-']).all(|p| ids.contains(p) || p.is_empty())
                {
                    english.push(format!("{}: {w}", args[..2].join(" ")));
                }
            }
        }
    }
    english.dedup();
    assert!(
        english.is_empty(),
        "English under a Chinese locale:\n{}",
        english.join("\n")
    );
}

/// `init` writes its starter in the reader's language: Chinese comments and units in 元
/// for a Chinese reader (and the profile likewise), English for an English one; both run.
#[test]
fn init_writes_the_starter_in_the_readers_language() {
    for (locale, unit, words) in [
        (
            "zh_CN.UTF-8",
            "unit = \"元\"",
            "所有小数都写成带引号的字符串",
        ),
        ("C", "unit = \"CNY\"", "All decimal values are strings"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("start");
        let said = bin(locale)
            .args(["init", "--profile"])
            .arg(&d)
            .assert()
            .success();
        // It says every file it wrote, the profile too.
        let said = String::from_utf8_lossy(&said.get_output().stdout).into_owned();
        assert!(said.contains("profile.toml"), "{said}");
        let config = std::fs::read_to_string(d.join("config.toml")).unwrap();
        assert!(config.contains(unit) && config.contains(words), "{config}");
        let profile = std::fs::read_to_string(d.join("profile.toml")).unwrap();
        assert_eq!(
            profile.contains("导入模板"),
            locale.starts_with("zh"),
            "{profile}"
        );
        bin(locale)
            .current_dir(&d)
            .args(["run", "--config", "config.toml", "--records", "records.csv"])
            .assert()
            .success();
        bin(locale)
            .current_dir(&d)
            .args([
                "check",
                "--config",
                "config.toml",
                "--profile",
                "profile.toml",
            ])
            .assert()
            .success();
    }
}

/// `verify` names a changed input by what it is, in the reader's words (记录文件).
#[test]
fn verify_names_a_changed_input_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("r.csv");
    std::fs::copy(repo().join("samples/records-2025.csv"), &records).unwrap();
    let out = dir.path().join("out");
    bin("C")
        .args(["run", "--config", "config", "--records"])
        .arg(&records)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let mut text = std::fs::read_to_string(&records).unwrap();
    text.push_str("2025-01,cheng-a,X,vat,1.00,\n");
    std::fs::write(&records, text).unwrap();
    let said = bin("zh_CN.UTF-8").arg("verify").arg(&out).assert().code(3);
    let err = String::from_utf8_lossy(&said.get_output().stderr).into_owned();
    assert!(err.contains("与清单不符（记录文件；"), "{err}");
}
