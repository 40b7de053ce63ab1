//! The workbench's computations: the model with an offer's overrides, each party's
//! figures for the period and over the agreement's life, the difference to the
//! baseline, and the explanation of one cell.

#![allow(clippy::result_large_err)]

use super::super::project::{is_level, project};
use super::*;
use crate::config::overlay::{self, SetOp};
use crate::engine::project::Growth;
use crate::model::Model;
use crate::num::{format_scaled, round_half_away, to_i128};
use crate::output::summary;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The base model with an offer's overrides applied (each ratio of a table rescales
/// the others exactly, as `--set` does).
pub(super) fn with_offer(app: &App, sets: &[String]) -> Result<Model, crate::i18n::Msg> {
    if sets.len() > MAX_SETS {
        return Err(crate::msg!("E0678", max = MAX_SETS));
    }
    let mut model = app.eval.variant(app.eval.base.clone());
    for s in sets {
        let op = SetOp::parse(s)?;
        overlay::apply(&mut model, &op)?;
    }
    Ok(model)
}

/// Totals of one zone per party (tax metrics and every other metric apart): this run,
/// and year by year over the agreement's life.
pub(super) fn compute_offer(
    app: &App,
    zone: usize,
    model: &Model,
    growth: &Growth,
    discount: Option<&crate::num::Ratio>,
    with_life: bool,
) -> Result<Value, crate::i18n::Msg> {
    let zid = &model.zones[zone].id;
    let totals = app.eval.totals(model).map_err(|e| e.to_msg())?;
    let mut run: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for ((z, m, p), (u, mi)) in &totals {
        if z == zid && !is_level(model, z, m, p) {
            run.entry(m.clone())
                .or_default()
                .insert(p.clone(), summary::amount(model, *mi, *u));
        }
    }
    let quota = match &app.quota {
        Some(q) => super::quota::answer(&app.eval, q, model)?,
        None => Value::Null,
    };
    if !with_life {
        return Ok(json!({"run": run, "params": params(model, zone), "quota": quota}));
    }
    let proj = project(model, &app.prepared, growth, false).map_err(|e| e.to_msg())?;
    let mut life: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>> = BTreeMap::new();
    let mut horizon: BTreeMap<(String, String), (i128, usize)> = BTreeMap::new();
    let mut by_year: BTreeMap<(String, String), BTreeMap<i32, i128>> = BTreeMap::new();
    for ((y, z, m, p), (u, mi)) in &proj.rows {
        if z != zid || is_level(model, z, m, p) {
            continue;
        }
        life.entry(m.clone())
            .or_default()
            .entry(y.to_string())
            .or_default()
            .insert(p.clone(), summary::amount(model, *mi, *u));
        horizon.entry((m.clone(), p.clone())).or_insert((0, *mi)).0 += u;
        by_year
            .entry((m.clone(), p.clone()))
            .or_default()
            .insert(*y, *u);
    }
    let mut total: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut pv: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for ((m, p), (u, mi)) in &horizon {
        total
            .entry(m.clone())
            .or_default()
            .insert(p.clone(), summary::amount(model, *mi, *u));
        if let Some(r) = discount {
            let v = crate::engine::project::present_value(
                &by_year[&(m.clone(), p.clone())],
                app.prepared.base_year,
                r,
            );
            let v = to_i128(&round_half_away(&v)).unwrap_or(0);
            pv.entry(m.clone())
                .or_default()
                .insert(p.clone(), summary::amount(model, *mi, v));
        }
    }
    // The chart of the zone's tax metrics over the life (drawn here: the page does no
    // arithmetic).
    let tax = |m: &str| {
        model
            .metric(m)
            .is_some_and(|i| model.metrics[i].kind == crate::model::MetricKind::Tax)
    };
    let shown = |z: &str, m: &str, p: &str| z == zid && tax(m) && !is_level(model, z, m, p);
    let chart = crate::output::chart::project_svg(
        model,
        &proj.rows,
        &shown,
        app.prepared.base_year,
        app.prepared.to,
    );
    Ok(
        json!({"run": run, "life": life, "life_total": total, "present_value": pv, "params": params(model, zone), "notes": proj.notes, "chart": chart, "quota": quota}),
    )
}

/// Offers' answers kept in memory (the oldest goes first).
pub(super) const ANSWERS: usize = 32;

pub(super) fn compute(app: &App, req: ComputeReq, gone: &Gone) -> Result<Value, crate::i18n::Msg> {
    if req.offers.len() > MAX_OFFERS + 1 {
        return Err(crate::msg!("E0679", max = MAX_OFFERS));
    }
    let zone = app
        .eval
        .base
        .zone(&req.zone)
        .ok_or_else(|| crate::msg!("E0214", text = req.zone, hint = ""))?;
    // A rate the page sent, said as the command line's option would say it.
    let rate = |t: &Option<String>,
                said: &dyn Fn(&str, String) -> crate::i18n::Msg|
     -> Result<Option<crate::num::Ratio>, crate::i18n::Msg> {
        t.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| crate::num::rate(s).map_err(|e| said(s, e.to_string())))
            .transpose()
    };
    let growth = Growth {
        default: rate(&req.growth, &|s, e| {
            crate::msg!("E0644", spec = s, reason = e)
        })?
        .unwrap_or_default(),
        ..Growth::default()
    };
    let discount = rate(&req.discount, &|s, e| {
        crate::msg!("E0651", text = s, reason = e)
    })?;
    let baseline_offer = Offer {
        name: "baseline".into(),
        set: Vec::new(),
    };
    let offers: Vec<&Offer> = std::iter::once(&baseline_offer)
        .chain(&req.offers)
        .collect();
    let total = offers.len();
    let mut models = Vec::with_capacity(total);
    for o in &offers {
        if o.name.chars().count() > 60 {
            return Err(crate::msg!("E0680", max = 60));
        }
        models.push(with_offer(app, &o.set)?);
    }
    // The offers side by side, each on a core of its own; an offer already computed
    // with the same values, rates and zone (the page sends every offer on each move)
    // is answered from memory.
    let answers: Vec<Result<Option<Value>, crate::i18n::Msg>> = std::thread::scope(|scope| {
        let handles: Vec<_> = offers
            .iter()
            .zip(&models)
            .map(|(o, model)| {
                let (growth, discount, req) = (&growth, discount.as_ref(), &req);
                scope.spawn(move || {
                    pause_for_tests();
                    if gone.is_set() {
                        // Nobody will read the answer: not computed for it.
                        return Ok(None);
                    }
                    let key = serde_json::to_string(&(
                        &req.zone,
                        &o.set,
                        &req.growth,
                        &req.discount,
                        req.life,
                    ))
                    .unwrap_or_default();
                    let cached =
                        app.answers.lock().ok().and_then(|c| {
                            c.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
                        });
                    if let Some(v) = cached {
                        return Ok(Some(v));
                    }
                    let v = compute_offer(app, zone, model, growth, discount, req.life)?;
                    if let Ok(mut c) = app.answers.lock() {
                        if c.len() >= ANSWERS {
                            c.remove(0);
                        }
                        c.push((key, v.clone()));
                    }
                    Ok(Some(v))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(crate::msg!("E0677"))))
            .collect()
    });
    let mut out = Vec::new();
    let mut baseline: Option<Value> = None;
    let done = answers.iter().filter(|a| matches!(a, Ok(Some(_)))).count();
    if done < total && gone.is_set() {
        eprintln!("{}", crate::msg!("W0009", done = done, total = total));
        return Err(crate::msg!("E0677"));
    }
    for ((o, model), answer) in offers.iter().zip(&models).zip(answers) {
        let Some(mut v) = answer? else {
            return Err(crate::msg!("E0677"));
        };
        v["name"] = Value::String(o.name.clone());
        v["outside_band"] = json!(
            overlay::band_violations(&app.signed, model)
                .into_iter()
                .map(|m| m.text)
                .collect::<Vec<_>>()
        );
        if let Some(b) = &baseline {
            v["difference"] = difference(&b["run"], &v["run"], model);
        }
        if baseline.is_none() {
            baseline = Some(v.clone());
        }
        out.push(v);
    }
    Ok(json!({"zone": req.zone, "offers": out}))
}

/// offer − baseline per metric and party (exact, from the decimal strings).
pub(super) fn difference(base: &Value, other: &Value, model: &Model) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(metrics) = other.as_object() {
        for (m, parties) in metrics {
            let Some(mi) = model.metric(m) else { continue };
            let q = &model.metrics[mi].quantum;
            let mut row = serde_json::Map::new();
            for (p, v) in parties.as_object().into_iter().flatten() {
                let units = |x: Option<&Value>| {
                    x.and_then(Value::as_str)
                        .and_then(|s| crate::input::amount::parse_units(s, q).ok())
                        .unwrap_or(0)
                };
                let d = units(Some(v)) - units(base.get(m).and_then(|b| b.get(p)));
                row.insert(
                    p.clone(),
                    Value::String(format_scaled(d * q.scaled, q.decimals)),
                );
            }
            out.insert(m.clone(), Value::Object(row));
        }
    }
    Value::Object(out)
}

/// `FENCHENG_SERVE_PAUSE_MS`: a pause before each offer, so that a test can close its
/// connection while the work is under way (no effect otherwise).
fn pause_for_tests() {
    if let Some(ms) = std::env::var("FENCHENG_SERVE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(5_000)));
    }
}

/// The SHA-256 of every file the workbench read at start — the configuration's files
/// and the records and side files as the reader hashed them while reading — to tell
/// whether explain would read the same bytes.
pub(super) fn fingerprint(
    base: &crate::model::Model,
    eval: &Evaluator<'_>,
) -> Vec<(std::path::PathBuf, String)> {
    base.files
        .iter()
        .map(|f| {
            (
                crate::pathtext::parse(&f.path),
                crate::manifest::sha256_hex(&f.bytes),
            )
        })
        .chain(eval.files.iter().map(|f| {
            let (file, _) = crate::input::xlsx::split_sheet(&crate::pathtext::parse(&f.path));
            (file, f.sha256.clone())
        }))
        .collect()
}

fn hash_file(p: &std::path::Path) -> String {
    let Ok(mut f) = std::fs::File::open(p) else {
        return String::new();
    };
    let mut h = crate::output::hashing::Hashing::new(std::io::sink());
    if std::io::copy(&mut f, &mut h).is_err() {
        return String::new();
    }
    h.hex()
}

/// The first file that no longer holds what the workbench read at start.
fn changed(app: &App) -> Option<String> {
    app.files
        .iter()
        .find(|(p, sha)| hash_file(p) != *sha)
        .map(|(p, _)| crate::pathtext::show(p))
}

pub(super) fn explain(app: &App, req: ExplainReq) -> Result<Value, crate::i18n::Msg> {
    // explain reads the files again; its trace must be of the figures the page shows,
    // so it is refused once a file has changed since the start (checked before and
    // after the read).
    if let Some(file) = changed(app) {
        return Err(crate::msg!("E0698", file = file));
    }
    if req.set.len() > MAX_SETS {
        return Err(crate::msg!("E0678", max = MAX_SETS));
    }
    let args = crate::cli::ExplainArgs {
        inputs: app.eval.inputs().clone(),
        overrides: crate::cli::Overrides {
            set: req.set,
            allow_outside_band: true,
        },
        scenarios: Vec::new(),
        period: req.period,
        zone: req.zone,
        metric: req.metric,
        entity: None,
        books: None,
        format: crate::output::totals::Format::Table,
        obligations: false,
        quota: false,
        year: None,
        party: None,
        allocations: Vec::new(),
        transfers: Vec::new(),
    };
    let text = match super::super::explain::explain(&args) {
        Ok(t) => t,
        // A metric without records there: said on the page, not an HTTP error.
        Err(e) if e.code() == Some("E0672") => {
            let m = e.to_msg();
            return Ok(
                json!({"trace": m.text.trim_start_matches(crate::i18n::t("error")).trim_start_matches(": "), "empty": true}),
            );
        }
        Err(e) => return Err(e.to_msg()),
    };
    if let Some(file) = changed(app) {
        return Err(crate::msg!("E0698", file = file));
    }
    Ok(json!({"trace": text}))
}

/// Set when the request's future is dropped — the page closed or navigated away, and
/// the connection with it — so that the work it asked for stops at its next step.
#[derive(Clone, Default)]
pub(super) struct Gone(Arc<std::sync::atomic::AtomicBool>);

impl Gone {
    pub(super) fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Held by the request's future: dropped with it.
struct Watch(Gone);

impl Drop for Watch {
    fn drop(&mut self) {
        (self.0).0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

pub(super) async fn blocking<F>(app: Arc<App>, f: F) -> Response
where
    F: FnOnce(&App, &Gone) -> Result<Response, Response> + Send + 'static,
{
    let gone = Gone::default();
    let watch = Watch(gone.clone());
    let answer = tokio::task::spawn_blocking(move || f(&app, &gone)).await;
    drop(watch);
    match answer {
        Ok(Ok(r)) | Ok(Err(r)) => r,
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({"error": crate::msg!("E0677").text})),
        )
            .into_response(),
    }
}
