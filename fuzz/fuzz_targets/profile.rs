//! Any bytes as an import profile and an export read through it (split at the first
//! NUL byte: profile, then export): errors are fine, panics are not.
#![no_main]

use fencheng::diag::Problems;
use fencheng::input::records::{read_bytes, Source};
use fencheng::input::Encoding;
use libfuzzer_sys::fuzz_target;

const CONFIG: &str = r#"
[[party]]
id = "a"
[[party]]
id = "b"
[metric.vat]
name = "增值税"
kind = "tax"
quantum = "0.01"
central_share = "0.5"
[zone.z]
host = "a"
[[zone.z.agreement]]
id = "1"
from = "2020-01-01"
[[zone.z.agreement.rule]]
id = "r"
metrics = ["vat"]
kind = "fixed"
shares = { a = "0.6", b = "0.4" }
"#;

fuzz_target!(|data: &[u8]| {
    let (profile, export) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(p) = fencheng::input::profile::parse("p.toml", profile) else {
        return;
    };
    let Ok(mut model) =
        fencheng::config::load::load_files(vec![("c.toml".into(), CONFIG.as_bytes().to_vec())], 0)
    else {
        return;
    };
    model.input.profile = Some(p);
    let mut problems = Problems::new(10);
    let mut g = None;
    let source = Source { shown: "export.csv", file: 0, xlsx: None, encoding: Encoding::Auto };
    read_bytes(&source, export, &model, &mut g, &mut problems, &mut |_| Ok(()));
    // The streaming reader too: through a profile its rows take a byte path of their
    // own (stream::exported_quick, profile::map_fields), at a small block size so that
    // blocks are cut anywhere.
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("export.csv");
    if std::fs::write(&path, export).is_err() {
        return;
    }
    let mut cells = fencheng::engine::cells::Cells::default();
    let mut problems = Problems::new(10);
    let mut g = None;
    let _ = fencheng::input::stream::read_parallel_blocks(
        &path, Encoding::Auto, 0, &model, &mut g, &mut problems, &mut cells, 2, 64,
    );
});
