//! Property tests on the engine (no binary): conservation for random records and
//! ratios, and year-to-date months adding up to the annual allocation.

use crate::common;

use fencheng::engine::cells::Cells;
use fencheng::engine::compute;
use fencheng::input::Record;
use fencheng::model::Model;
use fencheng::output::summary::rows;
use fencheng::period::Period;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn model(zones: &str) -> Model {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config.toml");
    std::fs::write(&p, common::config(zones)).unwrap();
    fencheng::config::load(&p).unwrap()
}

fn zone_with(rule: &str) -> String {
    format!(
        "[zone.z]\nhost = \"chengdu\"\n[[zone.z.agreement]]\nid = \"a\"\nfrom = \"2020-01-01\"\n[[zone.z.agreement.rule]]\nid = \"r\"\nmetrics = [\"vat\", \"fcs\"]\n{rule}\n"
    )
}

/// Three ratios in thousandths that sum to exactly 1.
fn ratios() -> impl Strategy<Value = (u32, u32)> {
    (0u32..=1000).prop_flat_map(|a| (Just(a), 0u32..=(1000 - a)))
}

fn add_all(m: &Model, cells: &mut Cells, recs: &[(Period, usize, i128)]) {
    for (i, (p, metric, units)) in recs.iter().enumerate() {
        let r = Record {
            file: 0,
            line: i as u64 + 2,
            period: *p,
            zone: 0,
            metric: *metric,
            entity: "E",
            units: *units,
            entity_start: None,
            class: 0,
        };
        cells.add(m, &r).unwrap();
    }
}

fn per_party(m: &Model, cells: &Cells) -> BTreeMap<String, i128> {
    let out = compute(m, cells).unwrap();
    let mut acc = BTreeMap::new();
    for (fencheng::ledger::FigureKey { party, .. }, (u, _)) in rows(m, &out) {
        *acc.entry(party).or_insert(0) += u;
    }
    acc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn shares_sum_to_inputs_for_every_cell((a, b) in ratios(),
        recs in prop::collection::vec((1u32..=12, 0usize..2, -10_000_000i128..50_000_000), 1..40)) {
        let c = 1000 - a - b;
        let dec = |t: u32| format!("{}.{:03}", t / 1000, t % 1000);
        let rule = format!(
            "kind = \"fixed\"\nshares = {{ aba = \"{}\", chengdu = \"{}\", ganzi = \"{}\" }}",
            dec(a), dec(b), dec(c)
        );
        let m = model(&zone_with(&rule));
        let vat = m.metric("vat").unwrap();
        let fcs = m.metric("fcs").unwrap();
        let recs: Vec<(Period, usize, i128)> = recs.iter().map(|(mo, k, u)| {
            (Period::parse(&format!("2025-{mo:02}")).unwrap(), if *k == 0 { vat } else { fcs }, *u)
        }).collect();
        let mut cells = Cells::default();
        add_all(&m, &mut cells, &recs);
        let out = compute(&m, &cells).unwrap();
        for cell in &out.cells {
            let sum: i128 = cell.shares.iter().map(|(_, u)| u).sum::<i128>() + cell.kept();
            prop_assert_eq!(sum, cell.total);
            // Every share is within one unit of its exact value.
            for a in &cell.alloc {
                let diff = fencheng::num::ri(a.units) - &a.exact;
                prop_assert!(diff.numer().magnitude() < diff.denom().magnitude());
            }
        }
        let total_in: i128 = recs.iter().map(|r| r.2).sum();
        let total_out: i128 = per_party(&m, &cells).values().sum();
        prop_assert_eq!(total_in, total_out);
    }

    #[test]
    fn twelve_months_add_up_to_the_annual_allocation(
        kind in 0usize..4,
        months in prop::collection::vec(-2_000_000i128..30_000_000, 12)) {
        let rule = match kind {
            0 => "kind = \"base_increment\"\nbase_owner = \"guangan\"\nbase = \"500000.00\"\nshares = { guangan = \"0.35\", cq-yubei = \"0.65\" }",
            1 => "kind = \"tiered\"\ntiers = [ { upto = \"300000.00\", shares = { aba = \"0.5\", chengdu = \"0.5\" } }, { upto = \"900000\", shares = { aba = \"0.7\", chengdu = \"0.3\" } }, { shares = { aba = \"0.9\", chengdu = \"0.1\" } } ]",
            2 => "kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.3\", ganzi = \"0.1\" }\nfloor = { ganzi = \"200000.00\" }",
            _ => "kind = \"weighted\"\nweights = { aba = \"3\", chengdu = \"2\", ganzi = \"2\" }\ncap = { aba = \"400000.00\" }\nfloor = { ganzi = \"100000\" }",
        };
        let m = model(&zone_with(rule));
        let fcs = m.metric("fcs").unwrap();
        let monthly: Vec<(Period, usize, i128)> = months.iter().enumerate()
            .map(|(i, u)| (Period::parse(&format!("2025-{:02}", i + 1)).unwrap(), fcs, *u)).collect();
        let annual = vec![(Period::parse("2025").unwrap(), fcs, months.iter().sum::<i128>())];
        let mut c1 = Cells::default();
        add_all(&m, &mut c1, &monthly);
        let mut c2 = Cells::default();
        add_all(&m, &mut c2, &annual);
        prop_assert_eq!(per_party(&m, &c1), per_party(&m, &c2));
    }
}

fn cents() -> fencheng::model::Quantum {
    fencheng::model::Quantum {
        text: "0.01".into(),
        decimals: 2,
        scaled: 1,
        value: fencheng::num::parse_ratio("0.01").unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Every valid amount (below 10^15, at most 2 decimals) reads back to its units.
    #[test]
    fn valid_amounts_round_trip(units in -99_999_999_999_999_999i128..=99_999_999_999_999_999i128, d in 0u32..=2) {
        let scale = 10i128.pow(2 - d);
        let v = units / scale;
        let text = fencheng::num::format_scaled(v, d);
        prop_assert_eq!(fencheng::input::amount::parse_units(&text, &cents()), Ok(v * scale));
    }

    /// Exponents, '_', '+', thousands separators and extra decimals are refused.
    #[test]
    fn malformed_amounts_are_refused(int in 0u64..1_000_000_000, frac in 0u32..100, kind in 0usize..6) {
        let text = match kind {
            0 => format!("{int}e2"),
            1 => format!("{}_{:03}", int, frac),
            2 => format!("+{int}.{frac:02}"),
            3 => format!("{int}.{frac:02}1"),
            4 => format!("{int},{frac:03}"),
            _ => format!(" {int}"),
        };
        prop_assert!(fencheng::input::amount::parse_units(&text, &cents()).is_err(), "{} accepted", text);
    }
}

/// A zone pooling vat and cit (each with its own levels) under `rule`, with a
/// province level on vat.
fn pooled(vat_levels: (u32, u32), cit_central: u32, rule: &str) -> Model {
    let dec = |t: u32| format!("{}.{:02}", t / 100, t % 100);
    let cfg = format!(
        r#"
[[party]]
id = "chengdu"
[[party]]
id = "aba"
[[party]]
id = "ganzi"
[[party]]
id = "sichuan"
[metric.vat]
kind = "tax"
quantum = "0.01"
levels = {{ central = "{}", sichuan = "{}" }}
[metric.cit]
kind = "tax"
quantum = "0.01"
central_share = "{}"
[metric.local]
kind = "tax"
quantum = "0.01"
pool = ["vat", "cit"]
[zone.z]
host = "chengdu"
[[zone.z.agreement]]
id = "a"
from = "2020-01-01"
[[zone.z.agreement.rule]]
id = "r"
metrics = ["local"]
{rule}
"#,
        dec(vat_levels.0),
        dec(vat_levels.1),
        dec(cit_central)
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("config.toml");
    std::fs::write(&p, cfg).unwrap();
    fencheng::config::load(&p).unwrap()
}

/// The deduction lines `(period, units)` of zone 0 on `local`, as a file `d.csv` holds them.
fn deductions(m: &Model, lines: &[(String, i128)]) -> fencheng::input::Deductions {
    let mut out = fencheng::input::Deductions::default();
    for (i, (period, units)) in lines.iter().enumerate() {
        out.push(fencheng::input::Deduction {
            file: "d.csv",
            line: i as u64 + 2,
            period: Period::parse(period).unwrap(),
            zone: 0,
            metric: m.metric("local").unwrap(),
            units: *units,
            entity: None,
            reason: "",
        })
        .unwrap();
    }
    out
}

const POOL_RULES: [&str; 4] = [
    "kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.3\", ganzi = \"0.1\" }",
    "kind = \"base_increment\"\nbase_owner = \"chengdu\"\nbase = \"300000.00\"\nshares = { chengdu = \"0.35\", aba = \"0.65\" }",
    "kind = \"fixed\"\nshares = { aba = \"0.6\", chengdu = \"0.4\" }\nfloor = { aba = \"250000.00\" }",
    "kind = \"tiered\"\ntiers = [ { upto = \"200000.00\", shares = { aba = \"0.5\", chengdu = \"0.5\" } }, { shares = { aba = \"0.8\", chengdu = \"0.2\" } } ]",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// SPEC §8.2, §8.3: for every (period, zone), the rows (levels, `deduction`, the
    /// pool's parties) add up to the records' amounts, whatever the levels, the
    /// deductions and the rule.
    #[test]
    fn levels_deductions_and_pools_conserve_every_period(
        central in 0u32..=60, province in 0u32..=40, cit in 0u32..=100, kind in 0usize..4,
        recs in prop::collection::vec((1u32..=12, 0usize..2, -5_000_000i128..40_000_000), 1..30),
        deds in prop::collection::vec((1u32..=12, -1_000_000i128..3_000_000), 0..6)) {
        let m = pooled((central, province), cit, POOL_RULES[kind]);
        let metrics = [m.metric("vat").unwrap(), m.metric("cit").unwrap()];
        let recs: Vec<(Period, usize, i128)> = recs.iter().map(|(mo, k, u)| {
            (Period::parse(&format!("2025-{mo:02}")).unwrap(), metrics[*k], *u)
        }).collect();
        let mut cells = Cells::default();
        add_all(&m, &mut cells, &recs);
        let lines: Vec<_> = deds.iter().map(|(mo, u)| (format!("2025-{mo:02}"), *u)).collect();
        let lines = deductions(&m, &lines);
        prop_assert!(cells.place_deductions(&m, lines, None).is_empty());
        let out = compute(&m, &cells).unwrap();
        // Each posting says why it is there: a deduction posting is the sum of the
        // deduction lines it names, and every share names the rule it was made under.
        for p in out.postings() {
            match &p.cause {
                fencheng::ledger::Cause::Deduction { groups } => {
                    let named: i128 = groups
                        .iter()
                        .map(|&g| cells.deduction_source.groups()[g].units)
                        .sum();
                    prop_assert_eq!(named, p.units);
                }
                fencheng::ledger::Cause::Rule { agreement, rule, .. } => {
                    // A share of a cell is posted in the cell's zone.
                    let zone = p.zone.expect("a cell's posting has a zone");
                    prop_assert!(m.zones[zone].agreements[*agreement].rules.get(*rule).is_some());
                }
                fencheng::ledger::Cause::Level => {
                    prop_assert!(p.party != "deduction");
                }
                fencheng::ledger::Cause::Obligation { .. } => {}
                // A run posts no quota: `quota` does (engine::accounts::postings).
                cause => prop_assert!(false, "a run posted {:?}", cause),
            }
        }
        let mut by_period: BTreeMap<String, i128> = BTreeMap::new();
        for (k, (u, _)) in rows(&m, &out) {
            *by_period.entry(k.period.to_string()).or_default() += u;
        }
        let mut inputs: BTreeMap<String, i128> = BTreeMap::new();
        for (p, _, u) in &recs {
            *inputs.entry(p.to_string()).or_default() += u;
        }
        // A period with only deductions has rows that add up to 0.
        for (p, v) in &by_period {
            prop_assert_eq!(*v, inputs.get(p).copied().unwrap_or(0), "period {}", p);
        }
        for (p, v) in &inputs {
            prop_assert_eq!(by_period.get(p).copied().unwrap_or(0), *v, "period {}", p);
        }
    }

    /// SPEC §8.3 with §4.4: twelve months of a year-to-date pool add up to the annual
    /// run. Levels are whole hundredths of amounts in whole yuan, so each level part is
    /// exact and the months' parts add up to the year's.
    #[test]
    fn twelve_months_of_a_pool_add_up_to_the_year(
        central in 0u32..=60, province in 0u32..=40, kind in 1usize..4,
        vat in prop::collection::vec(-200_000i128..400_000, 12),
        cit in prop::collection::vec(-100_000i128..300_000, 12),
        deds in prop::collection::vec(0i128..20_000, 12)) {
        let m = pooled((central, province), 60, POOL_RULES[kind]);
        let (v, c) = (m.metric("vat").unwrap(), m.metric("cit").unwrap());
        let mut monthly = Vec::new();
        for i in 0..12 {
            let p = Period::parse(&format!("2025-{:02}", i + 1)).unwrap();
            monthly.push((p, v, vat[i] * 100));
            monthly.push((p, c, cit[i] * 100));
        }
        let year = Period::parse("2025").unwrap();
        let annual = vec![
            (year, v, vat.iter().sum::<i128>() * 100),
            (year, c, cit.iter().sum::<i128>() * 100),
        ];
        let mut c1 = Cells::default();
        add_all(&m, &mut c1, &monthly);
        let lines: Vec<_> = deds.iter().enumerate()
            .map(|(i, u)| (format!("2025-{:02}", i + 1), *u * 100)).collect();
        let lines = deductions(&m, &lines);
        prop_assert!(c1.place_deductions(&m, lines, None).is_empty());
        let mut c2 = Cells::default();
        add_all(&m, &mut c2, &annual);
        let one = deductions(&m, &[("2025".to_string(), deds.iter().sum::<i128>() * 100)]);
        prop_assert!(c2.place_deductions(&m, one, None).is_empty());
        prop_assert_eq!(per_party(&m, &c1), per_party(&m, &c2));
    }
}
