//! Any bytes as one of the small side files — deductions, entities, payments,
//! allocations, transfers (the first byte chooses) — against a fixed configuration:
//! errors are fine, panics are not.
#![no_main]

use fencheng::input::Encoding;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const CONFIG: &str = r#"
[[party]]
id = "a"
name = "甲"
[[party]]
id = "b"
[metric.vat]
kind = "tax"
quantum = "0.01"
central_share = "0.5"
[metric.q]
kind = "quota"
quantum = "0.001"
[zone.z]
host = "a"
[[zone.z.agreement]]
id = "1"
from = "2020-01-01"
[[zone.z.agreement.rule]]
id = "r"
metrics = ["vat", "q"]
kind = "fixed"
shares = { a = "0.6", b = "0.4" }
"#;

fn model() -> &'static fencheng::model::Model {
    static M: OnceLock<fencheng::model::Model> = OnceLock::new();
    M.get_or_init(|| {
        fencheng::config::load::load_files(vec![("c.toml".into(), CONFIG.as_bytes().to_vec())], 0)
            .expect("fuzz config")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let model = model();
    match which % 5 {
        0 => {
            let mut out = fencheng::input::Deductions::default();
            let mut g = None;
            let _ = fencheng::input::deductions::read("d.csv", fencheng::input::table::Source::Bytes(bytes), Encoding::Auto, model, &mut g, &mut out);
            // Every line comes back, with the amount it was read with.
            let total: i128 = out.iter().map(|(d, _)| d.units).sum();
            let groups: i128 = out.groups().iter().map(|g| g.units).sum();
            assert_eq!(total, groups);
            assert_eq!(out.iter().count(), out.len());
        }
        1 => {
            if let Ok((e, _)) = fencheng::input::entities::read("e.csv", fencheng::input::table::Source::Bytes(bytes), Encoding::Auto, model) {
                // Every entity read is found by its id, at its own line.
                assert!(e.len() <= bytes.len());
            }
        }
        2 => {
            use fencheng::input::table::{read, Column};
            let cols = [
                Column { name: "date", alias: "日期", required: true },
                Column { name: "payer", alias: "付款方", required: true },
                Column { name: "payee", alias: "收款方", required: true },
                Column { name: "amount", alias: "金额", required: true },
            ];
            let _ = read("p.csv", bytes, Encoding::Auto, &cols);
        }
        3 => {
            let mut out = Vec::new();
            let _ = fencheng::input::quota::read_allocations("a.csv", bytes, Encoding::Auto, model, &mut out);
        }
        _ => {
            let mut out = Vec::new();
            let _ = fencheng::input::quota::read_transfers("t.csv", bytes, Encoding::Auto, model, &mut out);
            let _ = fencheng::engine::accounts::label(model, &out);
        }
    }
});
