//! The workbench's quota accounts (SPEC §13.2), beside the tax figures: started with
//! `--allocations` (and `--transfers`), every offer also answers each region's quota
//! accounts — what it was allotted and moved, what it used under the offer's shares,
//! its headroom — and a chart per quota metric. The same engine and the same account
//! arithmetic as `fencheng quota`: used comes from the offer's shares; the exempt part
//! from the records read at start without the exempt entities' lines.

use super::super::evaluate::Evaluator;
use super::super::quota::{
    by_party, exempt_groups, read_quota_files, refuse_shapes, with_accounts,
};
use crate::cli::Inputs;
use crate::engine::accounts;
use crate::error::Error;
use crate::input::quota::{Allocation, Transfer};
use crate::model::Model;
use crate::num::format_scaled;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::PathBuf;

pub(super) struct QuotaBench {
    allocations: Vec<Allocation>,
    transfers: Vec<Transfer>,
    with_accounts: BTreeSet<usize>,
    /// Per exempt tag: the metrics it exempts and the records read without the lines
    /// of the entities carrying it.
    without: Vec<(String, BTreeSet<usize>, Evaluator<'static>)>,
}

/// Read the quota files at start (every problem with file and line, as `quota` says
/// them); `None` without any.
pub(super) fn start(
    base: &Model,
    inputs: &'static Inputs,
    allocation_files: &[PathBuf],
    transfer_files: &[PathBuf],
) -> Result<Option<QuotaBench>, Error> {
    if allocation_files.is_empty() && transfer_files.is_empty() {
        return Ok(None);
    }
    let (allocations, transfers, _) =
        read_quota_files(base, allocation_files, transfer_files, inputs.encoding)?;
    let with = with_accounts(&allocations, &transfers);
    refuse_shapes(base, &with)?;
    let mut without = Vec::new();
    if inputs.entities.is_some() {
        for (tag, of_tag) in exempt_groups(base, &with) {
            let mut b = base.clone();
            b.input.without_tag = Some(tag.clone());
            without.push((tag.clone(), of_tag, Evaluator::new(b, inputs, None)?));
        }
    }
    Ok(Some(QuotaBench {
        allocations,
        transfers,
        with_accounts: with,
        without,
    }))
}

/// Every account under the offer `model`, and a chart per quota metric.
pub(super) fn answer(
    eval: &Evaluator<'static>,
    q: &QuotaBench,
    model: &Model,
) -> Result<Value, crate::i18n::Msg> {
    let outcome = eval.outcome(model).map_err(|e| e.to_msg())?;
    let share = by_party(&outcome, &q.with_accounts);
    let mut used = share.clone();
    for (tag, of_tag, ev) in &q.without {
        let mut m = model.clone();
        m.input.without_tag = Some(tag.clone());
        let o2 = ev.outcome(&m).map_err(|e| e.to_msg())?;
        used.retain(|(_, metric, _), _| !of_tag.contains(metric));
        used.extend(by_party(&o2, of_tag));
    }
    let years: BTreeSet<i32> = outcome.cells.iter().map(|c| c.key.period.year).collect();
    let a = accounts::build(
        model,
        &share,
        &used,
        &years,
        &q.allocations,
        &q.transfers,
        None,
    );
    let rows: Vec<Value> = a
        .accounts
        .iter()
        .map(|r| {
            let qn = &model.metrics[r.metric].quantum;
            let f = |u: i128| format_scaled(u * qn.scaled, qn.decimals);
            json!({
                "year": r.year,
                "metric": model.metrics[r.metric].id,
                "party": r.party,
                "allocated": f(r.allocated),
                "transferred_in": f(r.transferred_in),
                "transferred_out": f(r.transferred_out),
                "available": f(r.allocated + r.transferred_in - r.transferred_out),
                "used": f(r.used),
                "exempt": f(r.exempt),
                "headroom": f(r.headroom),
                "over": r.headroom < 0,
            })
        })
        .collect();
    let mut charts = serde_json::Map::new();
    for &m in &q.with_accounts {
        if let Some(svg) = crate::output::quota_chart::svg(model, &a.accounts, m) {
            charts.insert(model.metrics[m].id.clone(), Value::String(svg));
        }
    }
    Ok(json!({"accounts": rows, "charts": charts}))
}
