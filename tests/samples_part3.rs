//! The shipped Part III samples as the README walks through them: the export read
//! through the shipped profile gives the month's tax lines exactly; quota accounts of
//! the shipped allocations and transfers; the shipped obligations by hand.

use crate::common::{fencheng_in, repo};

#[test]
fn the_shipped_export_through_the_shipped_profile_is_marchs_tax_lines() {
    let dir = tempfile::tempdir().unwrap();
    let plain: String = std::fs::read_to_string(repo().join("samples/monthly/records-2025-03.csv"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains(",output,") && !l.contains(",energy,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("march-tax.csv"), plain).unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    fencheng_in(
        repo(),
        "run --config config --profile config/profiles/税收入库明细.toml --entities samples/entities.csv --records samples/export-2025-03.csv",
    )
    .arg("--out")
    .arg(&a)
    .assert()
    .success();
    fencheng_in(
        repo(),
        "run --config config --entities samples/entities.csv --records",
    )
    .arg(dir.path().join("march-tax.csv"))
    .arg("--out")
    .arg(&b)
    .assert()
    .success();
    for f in ["summary.csv", "settlement.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn the_shipped_obligations_and_quota_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fencheng_in(
        repo(),
        "run --config config --records samples/records-2025.csv --deductions samples/deductions-2025.csv --entities samples/entities.csv",
    )
    .arg("--out")
    .arg(&out)
    .assert()
    .success();
    let obligations = std::fs::read_to_string(out.join("obligations.csv")).unwrap();
    // 青川: 5,000,000.00 − 3,800,265.81 (its 60 % of the pool, month by month);
    // 甘孜: 30,000,000 × 0.08.
    assert!(
        obligations.contains("2025-12,qingchuan-park,guarantee,guangyuan,qingchuan,1199734.19,")
    );
    assert!(obligations.contains("2025-12,zhe-gan-cheng,return,chengdu,ganzi,2400000.00,"));
    let q = dir.path().join("quota");
    fencheng_in(
        repo(),
        "quota --config config --records samples/records-2025.csv --entities samples/entities.csv --deductions samples/deductions-2025.csv --allocations samples/allocations-2025.csv --transfers samples/transfers-2025.csv",
    )
    .arg("--out")
    .arg(&q)
    .assert()
    .success();
    // chengdu: 1,200.000 + 200.000 allotted, 120.000 + 80.000 in, used 972.462:
    // 1,400.000 + 200.000 − 972.462 = 627.538.
    let accounts = std::fs::read_to_string(q.join("quota.csv")).unwrap();
    assert!(
        accounts.contains("2025,energy,chengdu,1400.000,200.000,0.000,972.462,1032.645,627.538"),
        "{accounts}"
    );
    // 80.000 tce at 220.00 = 17,600.00, owed by chengdu to ganzi.
    assert_eq!(
        std::fs::read_to_string(q.join("quota-settlement.csv")).unwrap(),
        "year,payer,payee,amount\n2025,chengdu,ganzi,17600.00\n"
    );
}

/// A scratch directory holding a copy of the shipped configuration and samples, for a
/// README's commands to run in as a new user would.
fn copy_of_the_samples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for d in ["config", "config/profiles", "samples", "samples/monthly"] {
        std::fs::create_dir_all(dir.path().join(d)).unwrap();
        for e in std::fs::read_dir(repo().join(d)).unwrap().flatten() {
            if e.path().is_file() {
                std::fs::copy(e.path(), dir.path().join(d).join(e.file_name())).unwrap();
            }
        }
    }
    dir
}

/// Every command of README.zh-CN.md runs as written, in order, on a copy of the shipped
/// configuration and samples (a document an officer follows must not fail on step 3).
#[test]
fn every_command_of_the_chinese_readme_runs_as_written() {
    let text = std::fs::read_to_string(repo().join("README.zh-CN.md")).unwrap();
    let dir = copy_of_the_samples();
    let mut ran = 0;
    for block in text.split("```sh\n").skip(1) {
        let body = block.split("```").next().unwrap_or("").replace("\\\n", " ");
        for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let args: Vec<&str> = match line.strip_prefix("cargo run --release -- ") {
                Some(rest) => rest.split_whitespace().collect(),
                None if line.starts_with("cargo ") => continue,
                None => line
                    .strip_prefix("fencheng ")
                    .unwrap_or_else(|| panic!("not a fencheng command: {line}"))
                    .split_whitespace()
                    .collect(),
            };
            let out = crate::common::fencheng()
                .current_dir(dir.path())
                .env("LC_ALL", "zh_CN.UTF-8")
                .args(&args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{line}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 10, "{ran} commands");
}

/// Every command of README.md runs as written, in order, in a shell on a copy of the
/// shipped configuration and samples: what the README shows a new user is what works.
/// Left out: `cargo` itself, the benchmarks and the fuzzers (they are about building),
/// and `serve` (it runs until stopped; the workbench has its own tests). `--pdf` needs
/// Chromium: without it the line is skipped, unless FENCHENG_REQUIRE_BROWSER is set.
#[test]
fn every_command_of_the_readme_runs_as_written() {
    let text = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let dir = copy_of_the_samples();
    let bin = assert_cmd::cargo::cargo_bin("fencheng");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let browser = std::path::Path::new("/usr/bin/chromium").exists();
    let mut ran = Vec::new();
    let mut shown = 0;
    for block in text.split("```sh\n").skip(1) {
        let body = block.split("```").next().unwrap_or("").replace("\\\n", " ");
        // The output shown right after a block of one command: each of its lines (a
        // `…` line stands for lines left out) is a line of what the command prints now.
        let excerpt = block
            .split_once("```\n```\n")
            .filter(|(before, _)| !before.contains("```"))
            .and_then(|(_, after)| after.split_once("\n```").map(|(e, _)| e.to_string()));
        let commands = body
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
            .count();
        for line in body.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = match line.strip_prefix("cargo run --release -- ") {
                Some(rest) => format!("fencheng {rest}"),
                None => line.to_string(),
            };
            if !line.starts_with("fencheng ") || line.starts_with("fencheng serve") {
                continue;
            }
            if line.contains("--pdf") && !browser {
                assert!(
                    std::env::var_os("FENCHENG_REQUIRE_BROWSER").is_none(),
                    "FENCHENG_REQUIRE_BROWSER is set but /usr/bin/chromium is missing"
                );
                eprintln!("skipped (no Chromium): {line}");
                continue;
            }
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(&line)
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("LC_ALL", "C")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{line}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            if let Some(e) = excerpt.as_ref().filter(|_| commands == 1) {
                let printed = String::from_utf8_lossy(&out.stdout).into_owned();
                let mut lines = printed.lines().map(str::trim_end);
                for want in e.lines().map(str::trim_end).filter(|l| *l != "…") {
                    assert!(
                        lines.any(|l| l == want),
                        "README shows a line `{line}` no longer prints:\n{want}\n\nit prints:\n{printed}"
                    );
                }
                shown += 1;
            }
            ran.push(line);
        }
    }
    assert!(ran.len() >= 20, "{} commands: {ran:#?}", ran.len());
    assert!(shown >= 5, "{shown} outputs checked");
}
