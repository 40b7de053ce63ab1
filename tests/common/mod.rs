//! Helpers shared by the integration tests: a scratch directory with a config and
//! records, and the binary run on them.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub const PARTIES: &str = r#"
[[party]]
id = "chengdu"
name = "成都市"

[[party]]
id = "aba"
name = "阿坝藏族羌族自治州"

[[party]]
id = "ganzi"
name = "甘孜藏族自治州"

[[party]]
id = "guangan"
name = "广安市"

[[party]]
id = "cq-yubei"
name = "重庆市渝北区"

[metric.vat]
name = "增值税"
kind = "tax"
unit = "CNY"
quantum = "0.01"
central_share = "0.5"

[metric.cit]
name = "企业所得税"
kind = "tax"
unit = "CNY"
quantum = "0.01"
central_share = "0.6"

[metric.fcs]
name = "房产税"
kind = "tax"
unit = "CNY"
quantum = "0.01"

[metric.output]
name = "工业总产值"
kind = "statistic"
unit = "万元"
quantum = "1"
"#;

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write");
        p
    }
    /// `fencheng run --config config.toml --records records.csv --out out` + extra args.
    pub fn run(&self, extra: &[&str]) -> assert_cmd::assert::Assert {
        fencheng()
            .current_dir(self.dir.path())
            .args([
                "run",
                "--config",
                "config.toml",
                "--records",
                "records.csv",
                "--out",
                "out",
            ])
            .args(extra)
            .assert()
    }
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

/// The binary, in English whatever the machine's locale (tests read its messages).
pub fn fencheng() -> Command {
    let mut c = Command::cargo_bin("fencheng").expect("binary");
    c.env("LC_ALL", "C");
    c
}

/// A config of the shared parties/metrics plus `zones` (TOML text).
pub fn config(zones: &str) -> String {
    format!("{PARTIES}\n{zones}")
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary in `dir` with the arguments of `line` (split at spaces: for the command
/// lines whose arguments hold none), for one line per invocation in the tests.
pub fn fencheng_in(dir: &Path, line: &str) -> Command {
    let mut c = fencheng();
    c.current_dir(dir).args(line.split_whitespace());
    c
}
