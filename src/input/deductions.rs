//! Deduction files (`--deductions`, SPEC §8.2): amounts paid out of a zone's local part
//! before its parties share it — enterprise awards (奖补), tax returns (返还), the cost of
//! collection (征收成本). Each line names the cell it reduces; the engine places it.

use super::amount::parse_units;
use super::records::Encoding;
use super::records::{lookup_metric, lookup_zone, run_period};
use super::table::{self, Column};
use crate::diag::{Diag, Msg};
use crate::model::Model;
use crate::period::{Granularity, Period};

/// One deduction line. Kept small — a file of a million lines is a million of these
/// until the records are in: the file's name is shared, texts are boxed.
#[derive(Debug, Clone)]
pub struct Deduction {
    /// The file as given, and the line in it.
    pub file: std::sync::Arc<str>,
    pub line: u64,
    pub period: Period,
    pub zone: usize,
    /// The metric the rule shares (a pool, when pooled).
    pub metric: usize,
    pub units: i128,
    pub entity: Option<Box<str>>,
    pub reason: Box<str>,
}

const COLUMNS: [Column; 6] = [
    Column {
        name: "period",
        alias: "期间",
        required: true,
    },
    Column {
        name: "zone",
        alias: "园区",
        required: true,
    },
    Column {
        name: "metric",
        alias: "指标",
        required: true,
    },
    Column {
        name: "amount",
        alias: "金额",
        required: true,
    },
    Column {
        name: "entity",
        alias: "企业",
        required: false,
    },
    Column {
        name: "reason",
        alias: "事由",
        required: false,
    },
];

/// Read one deduction file (bytes in memory, or streamed from its path); every bad
/// line is reported. The granularity of the lines is checked against `granularity`
/// (fixed by the first line seen, of records or deductions). Gives the SHA-256 of the
/// file's bytes, or the problems.
pub fn read(
    shown: &str,
    source: table::Source<'_>,
    encoding: Encoding,
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    out: &mut Vec<Deduction>,
) -> Result<String, Vec<Diag>> {
    let mut problems = Vec::new();
    let file: std::sync::Arc<str> = shown.into();
    let sha = table::each(shown, source, encoding, &COLUMNS, &mut |line, v| {
        let l = line as usize;
        let mut bad = false;
        let mut report = |field: &str, msg: Msg| {
            problems.push(Diag::new(shown, l, field, msg));
            bad = true;
        };
        let period = run_period(v[0], granularity, || format!("{shown}:{l}"))
            .map_err(|m| report("period", m))
            .ok();
        let zone = lookup_zone(model, v[1]).map_err(|m| report("zone", m)).ok();
        let metric = lookup_metric(model, v[2])
            .map_err(|m| report("metric", m))
            .ok();
        let units = metric.and_then(|m| match parse_units(v[3], &model.metrics[m].quantum) {
            Ok(u) => Some(u),
            Err(msg) => {
                report("amount", msg);
                None
            }
        });
        if bad || !problems.is_empty() {
            // Once a line is bad nothing is used: keep no more lines.
            return;
        }
        let (Some(period), Some(zone), Some(metric), Some(units)) = (period, zone, metric, units)
        else {
            return;
        };
        out.push(Deduction {
            file: file.clone(),
            line,
            period,
            zone,
            metric,
            units,
            entity: (!v[4].is_empty()).then(|| v[4].into()),
            reason: v[5].into(),
        });
    });
    match sha {
        Ok(sha) if problems.is_empty() => Ok(sha),
        Ok(_) => Err(problems),
        Err(d) => {
            problems.extend(d);
            Err(problems)
        }
    }
}

/// Deductions of entity-anchored rules find their cell through the entity's records:
/// mark those entities, so the readers remember where their records go.
pub fn watch_entities(model: &mut Model, deductions: &[Deduction]) {
    for d in deductions {
        let Some(e) = &d.entity else { continue };
        let zone = &model.zones[d.zone];
        let Ok(a) = zone.agreement_for(d.period) else {
            continue;
        };
        let ag = &zone.agreements[a];
        let anchored = ag.rule_for_metric.get(&d.metric).is_some_and(|c| {
            c.specific
                .iter()
                .chain(c.default.iter())
                .any(|&r| ag.rules[r].anchor() == Some(crate::model::Anchor::EntityStart))
        });
        if anchored {
            model.watch.insert(e.to_string());
        }
    }
    if !model.watch.is_empty() {
        model.needs_entity = true;
    }
}
