//! Any bytes as a records file against a fixed configuration with every rule kind:
//! read, place into cells and compute. Errors are fine, panics are not, and when the
//! computation succeeds the invariant must hold.
#![no_main]

use fencheng::diag::Problems;
use fencheng::engine::cells::Cells;
use fencheng::input::records::{read_bytes, Source};
use fencheng::input::Encoding;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const CONFIG: &str = r#"
[[party]]
id = "a"
[[party]]
id = "b"
[[party]]
id = "c"

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
to = "2024-12-31"
[[zone.z.agreement.rule]]
id = "s"
metrics = ["vat"]
kind = "schedule"
anchor = "entity_start"
phases = [{ years = 2, shares = { a = "0.7", b = "0.3" } }, { shares = { a = "0.5", c = "0.5" } }]
[[zone.z.agreement.rule]]
id = "f"
metrics = ["q"]
kind = "formula"
shares = { a = "if(ytd < 100, 0.9, 1 / 3)", b = "rest" }
[[zone.z.agreement]]
id = "2"
from = "2025-01-01"
[[zone.z.agreement.rule]]
id = "bi"
metrics = ["vat"]
kind = "base_increment"
base_owner = "a"
base = "1000"
shares = { b = "0.5", c = "0.5" }
floor = { c = "300" }
cap = { b = "400" }
[[zone.z.agreement.rule]]
id = "t"
metrics = ["q"]
kind = "tiered"
tiers = [{ upto = "10", shares = { a = "1" } }, { shares = { a = "0.25", b = "0.75" } }]
"#;

fn model() -> &'static fencheng::model::Model {
    static M: OnceLock<fencheng::model::Model> = OnceLock::new();
    M.get_or_init(|| fencheng::config::load::load_files(vec![("c.toml".into(), CONFIG.as_bytes().to_vec())], 0).expect("fuzz config"))
}

fuzz_target!(|data: &[u8]| {
    let model = model();
    let mut cells = Cells::default();
    let mut problems = Problems::new(10);
    let mut granularity = None;
    let source = Source { shown: "fuzz.csv", file: 0, xlsx: None, encoding: Encoding::Auto };
    read_bytes(&source, data, model, &mut granularity, &mut problems, &mut |r| cells.add(model, r));
    if let Ok(out) = fencheng::engine::compute(model, &cells) {
        for c in &out.cells {
            let sum: i128 = c.shares.iter().map(|(_, u)| u).sum::<i128>()
                + c.kept()
                + c.deduction.unwrap_or(0);
            assert_eq!(sum, c.total);
        }
    }
});
