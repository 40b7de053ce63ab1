//! `fencheng serve`: the negotiation workbench in the browser.
//!
//! One self-contained page (HTML, CSS and JS embedded in the binary; nothing loaded
//! from anywhere else) and a small JSON API. Every figure is computed here, by the same
//! engine as `run`, on the records read once at start; the page only shows them (no
//! arithmetic in JavaScript). Safe by default: it listens on 127.0.0.1 only, refuses a
//! request whose Host or Origin is not its own (DNS rebinding), limits bodies and the
//! number of parameters, answers a malformed request with 400 and a message, and reads
//! no file but those it was started with.
//!
//! axum on tokio: a well-kept, small HTTP stack; each computation runs on tokio's
//! blocking pool, so a long one never holds up the others.

// A refused request is answered with its `Response` (axum's idiom): returned as the
// error of a `Result`, it is large, and rare.
#![allow(clippy::result_large_err)]

use super::evaluate::Evaluator;
use super::project::{Prepared, is_level, project};
use super::{load_negotiated, parse_sets};
use crate::cli::Inputs;
use crate::config::overlay::{self, SetOp};
use crate::engine::project::Growth;
use crate::error::Error;
use crate::model::{Model, RuleKind};
use crate::msg;
use crate::num::{format_scaled, parse_ratio, round_half_away, to_i128};
use crate::output::summary;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Bodies above this are refused (an offer is a few hundred bytes).
const MAX_BODY: usize = 64 * 1024;
/// At most this many overrides per offer, and offers per request.
const MAX_SETS: usize = 200;
const MAX_OFFERS: usize = 3;

const PAGE: &str = include_str!("serve_page.html");

struct App {
    eval: Evaluator<'static>,
    prepared: Prepared,
    signed: Model,
    port: u16,
    lang: &'static str,
}

/// An offer: a name and its overrides (`PATH=VALUE`, as `--set`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Offer {
    name: String,
    #[serde(default)]
    set: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComputeReq {
    zone: String,
    offers: Vec<Offer>,
    #[serde(default)]
    growth: Option<String>,
    #[serde(default)]
    discount: Option<String>,
    /// Also over the agreement's life (default: yes).
    #[serde(default = "yes")]
    life: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainReq {
    set: Vec<String>,
    period: String,
    zone: String,
    metric: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OfferReq {
    name: String,
    set: Vec<String>,
}

fn bad(msg: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": msg.into()})),
    )
        .into_response()
}

/// Requests must name this server (127.0.0.1 or localhost at its port) as Host, and as
/// Origin when they carry one.
fn own(app: &App, headers: &HeaderMap) -> Result<(), Response> {
    let ok = |v: &str| {
        let port = app.port.to_string();
        ["127.0.0.1", "localhost"]
            .iter()
            .any(|h| v == format!("{h}:{port}"))
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ok(host) {
        return Err((
            StatusCode::FORBIDDEN,
            axum::Json(
                json!({"error": "this server answers only requests to 127.0.0.1 at its own port"}),
            ),
        )
            .into_response());
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let o = origin.to_str().unwrap_or("");
        let o = o.strip_prefix("http://").unwrap_or("");
        if !ok(o) {
            return Err((
                StatusCode::FORBIDDEN,
                axum::Json(json!({"error": "requests from another origin are refused"})),
            )
                .into_response());
        }
    }
    Ok(())
}

fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| bad(format!("not a valid request: {e}")))
}

/// The base model with an offer's overrides applied (each ratio of a table rescales
/// the others exactly, as `--set` does).
fn with_offer(app: &App, sets: &[String]) -> Result<Model, String> {
    if sets.len() > MAX_SETS {
        return Err(format!("at most {MAX_SETS} values per offer"));
    }
    let mut model = app.eval.variant(app.eval.base.clone());
    for s in sets {
        let op = SetOp::parse(s)?;
        overlay::apply(&mut model, &op)?;
    }
    Ok(model)
}

/// Every value the page may move, with its current value in `model`.
fn params(model: &Model, zone: usize) -> Vec<Value> {
    let z = &model.zones[zone];
    let mut out = Vec::new();
    for a in &z.agreements {
        for r in &a.rules {
            let base = format!("zone.{}.agreement.{}.rule.{}", z.id, a.id, r.id);
            let table = |path: String,
                         group: String,
                         shares: &[(String, crate::num::Ratio)],
                         kind: &str|
             -> Vec<Value> {
                shares
                    .iter()
                    .map(|(p, v)| json!({"path": format!("{path}.{p}"), "group": group, "party": p, "name": model.party_name(p), "kind": kind, "value": crate::num::ratio_text(v), "agreement": a.id, "rule": r.id}))
                    .collect()
            };
            match &r.kind {
                RuleKind::Fixed { shares } => out.extend(table(
                    format!("{base}.shares"),
                    format!("{base}.shares"),
                    shares,
                    "ratio",
                )),
                RuleKind::Schedule { phases, .. } => {
                    for (i, ph) in phases.iter().enumerate() {
                        out.extend(table(
                            format!("{base}.phases.{}.shares", i + 1),
                            format!("{base}.phases.{}", i + 1),
                            &ph.shares,
                            "ratio",
                        ));
                        if let Some(y) = ph.years {
                            out.push(json!({"path": format!("{base}.phases.{}.years", i + 1), "group": format!("{base}.phases.{}", i + 1), "kind": "years", "value": y.to_string(), "agreement": a.id, "rule": r.id}));
                        }
                    }
                }
                RuleKind::BaseIncrement {
                    shares, base: b, ..
                } => {
                    out.extend(table(
                        format!("{base}.shares"),
                        format!("{base}.shares"),
                        shares,
                        "ratio",
                    ));
                    if let crate::model::Base::Plain(v) = b {
                        out.push(json!({"path": format!("{base}.base"), "group": base, "kind": "amount", "value": crate::num::exact_text(v), "agreement": a.id, "rule": r.id}));
                    }
                }
                RuleKind::Weighted { weights, .. } => out.extend(table(
                    format!("{base}.weights"),
                    format!("{base}.weights"),
                    weights,
                    "weight",
                )),
                RuleKind::Tiered { tiers } => {
                    for (i, t) in tiers.iter().enumerate() {
                        out.extend(table(
                            format!("{base}.tiers.{}.shares", i + 1),
                            format!("{base}.tiers.{}", i + 1),
                            &t.shares,
                            "ratio",
                        ));
                    }
                }
                RuleKind::Formula { .. } => {}
            }
            for (label, list) in [("floor", &r.floor), ("cap", &r.cap)] {
                for (p, v) in list {
                    out.push(json!({"path": format!("{base}.{label}.{p}"), "group": format!("{base}.{label}"), "party": p, "name": model.party_name(p), "kind": label, "value": crate::num::exact_text(v), "agreement": a.id, "rule": r.id}));
                }
            }
        }
    }
    out
}

fn model_doc(app: &App) -> Value {
    let m = &app.eval.base;
    let zones: Vec<Value> = m
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| {
            json!({"id": z.id, "name": z.name, "host": z.host,
                "agreements": z.agreements.iter().map(|a| json!({"id": a.id, "from": a.from.to_string(), "to": a.to.map(|t| t.to_string()), "cite": a.cite})).collect::<Vec<_>>(),
                "params": params(m, i)})
        })
        .collect();
    json!({"lang": app.lang, "zones": zones, "base_year": app.prepared.base_year, "to": app.prepared.to,
        "metrics": m.metrics.iter().map(|x| json!({"id": x.id, "name": x.name, "unit": x.unit})).collect::<Vec<_>>(),
        "periods": app.prepared.records.iter().map(|r| r.period.to_string()).collect::<std::collections::BTreeSet<_>>()})
}

/// Totals of one zone per party (tax metrics and every other metric apart): this run,
/// and year by year over the agreement's life.
fn compute_offer(
    app: &App,
    zone: usize,
    model: &Model,
    growth: &Growth,
    discount: Option<&crate::num::Ratio>,
    with_life: bool,
) -> Result<Value, String> {
    let zid = &model.zones[zone].id;
    let totals = app.eval.totals(model).map_err(|e| e.to_string())?;
    let mut run: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for ((z, m, p), (u, mi)) in &totals {
        if z == zid && !is_level(model, z, m, p) {
            run.entry(m.clone())
                .or_default()
                .insert(p.clone(), summary::amount(model, *mi, *u));
        }
    }
    if !with_life {
        return Ok(json!({"run": run, "params": params(model, zone)}));
    }
    let proj = project(model, &app.prepared, growth, false).map_err(|e| e.to_string())?;
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
        json!({"run": run, "life": life, "life_total": total, "present_value": pv, "params": params(model, zone), "notes": proj.notes, "chart": chart}),
    )
}

fn compute(app: &App, req: ComputeReq) -> Result<Value, String> {
    if req.offers.len() > MAX_OFFERS + 1 {
        return Err(format!("at most {MAX_OFFERS} offers beside the baseline"));
    }
    let zone = app
        .eval
        .base
        .zone(&req.zone)
        .ok_or_else(|| format!("'{}' is not a zone", req.zone))?;
    let rate = |t: &Option<String>, what: &str| -> Result<Option<crate::num::Ratio>, String> {
        t.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| parse_ratio(s).map_err(|e| format!("{what} '{s}': {e}")))
            .transpose()
    };
    let growth = Growth {
        default: rate(&req.growth, "growth")?.unwrap_or_default(),
        ..Growth::default()
    };
    let discount = rate(&req.discount, "discount")?;
    let mut out = Vec::new();
    let mut baseline: Option<Value> = None;
    for o in std::iter::once(&Offer {
        name: "baseline".into(),
        set: Vec::new(),
    })
    .chain(&req.offers)
    {
        if o.name.chars().count() > 60 {
            return Err("an offer's name has at most 60 characters".into());
        }
        let model = with_offer(app, &o.set)?;
        let mut v = compute_offer(app, zone, &model, &growth, discount.as_ref(), req.life)?;
        v["name"] = Value::String(o.name.clone());
        v["outside_band"] = json!(overlay::band_violations(&app.signed, &model));
        if let Some(b) = &baseline {
            v["difference"] = difference(&b["run"], &v["run"], &model);
        }
        if baseline.is_none() {
            baseline = Some(v.clone());
        }
        out.push(v);
    }
    Ok(json!({"zone": req.zone, "offers": out}))
}

/// offer − baseline per metric and party (exact, from the decimal strings).
fn difference(base: &Value, other: &Value, model: &Model) -> Value {
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

fn explain(app: &App, req: ExplainReq) -> Result<Value, String> {
    if req.set.len() > MAX_SETS {
        return Err(format!("at most {MAX_SETS} values per offer"));
    }
    let target = super::explain::Target {
        set: req.set,
        allow_outside_band: true,
        scenarios: Vec::new(),
        books: None,
        period: req.period,
        zone: req.zone,
        metric: req.metric,
        entity: None,
    };
    let text = super::explain::explain(
        app.eval.inputs(),
        &target,
        crate::output::totals::Format::Table,
    )
    .map_err(|e| e.to_string())?;
    Ok(json!({"trace": text}))
}

/// The offer as a scenario file: `run --scenario` on it gives the same figures.
fn offer_toml(req: &OfferReq) -> Result<String, String> {
    if req.set.len() > MAX_SETS {
        return Err(format!("at most {MAX_SETS} values per offer"));
    }
    for s in &req.set {
        SetOp::parse(s)?;
    }
    let name: String = req
        .name
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    let list: Vec<String> = req
        .set
        .iter()
        .map(|s| format!("  {},", toml_string(s)))
        .collect();
    Ok(format!(
        "# Offer \"{}\" from the fencheng workbench: the signed configuration with these\n# values changed (each ratio rescales the others of its table, as --set does).\n# fencheng run --config … --records … --scenario this-file.toml\nset = [\n{}\n]\n",
        name.replace('"', "'"),
        list.join("\n")
    ))
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

async fn blocking<F>(app: Arc<App>, f: F) -> Response
where
    F: FnOnce(&App) -> Result<Response, Response> + Send + 'static,
{
    match tokio::task::spawn_blocking(move || f(&app)).await {
        Ok(Ok(r)) | Ok(Err(r)) => r,
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({"error": "the computation failed"})),
        )
            .into_response(),
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(|State(app): State<Arc<App>>, headers: HeaderMap| async move {
            if let Err(r) = own(&app, &headers) {
                return r;
            }
            let page = PAGE.replace("__LANG__", app.lang);
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], page).into_response()
        }))
        .route("/api/model", get(|State(app): State<Arc<App>>, headers: HeaderMap| async move {
            if let Err(r) = own(&app, &headers) {
                return r;
            }
            axum::Json(model_doc(&app)).into_response()
        }))
        .route("/api/compute", post(|State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes| async move {
            if let Err(r) = own(&app, &headers) {
                return r;
            }
            let req: ComputeReq = match parse(&body) {
                Ok(r) => r,
                Err(r) => return r,
            };
            blocking(app, move |app| compute(app, req).map(|v| axum::Json(v).into_response()).map_err(bad)).await
        }))
        .route("/api/explain", post(|State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes| async move {
            if let Err(r) = own(&app, &headers) {
                return r;
            }
            let req: ExplainReq = match parse(&body) {
                Ok(r) => r,
                Err(r) => return r,
            };
            blocking(app, move |app| explain(app, req).map(|v| axum::Json(v).into_response()).map_err(bad)).await
        }))
        .route("/api/scenario", post(|State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes| async move {
            if let Err(r) = own(&app, &headers) {
                return r;
            }
            let req: OfferReq = match parse(&body) {
                Ok(r) => r,
                Err(r) => return r,
            };
            match offer_toml(&req) {
                Ok(t) => ([(header::CONTENT_TYPE, "application/toml; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"offer.toml\"")], t).into_response(),
                Err(m) => bad(m),
            }
        }))
        .route("/api/xlsx", post(|State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes| async move {
            if let Err(r) = own(&app, &headers) {
                return r;
            }
            let req: OfferReq = match parse(&body) {
                Ok(r) => r,
                Err(r) => return r,
            };
            blocking(app, move |app| {
                let model = with_offer(app, &req.set).map_err(bad)?;
                let bytes = workbook(app, &model).map_err(bad)?;
                Ok(([(header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (header::CONTENT_DISPOSITION, "attachment; filename=\"offer.xlsx\"")], bytes).into_response())
            })
            .await
        }))
        .fallback(|| async { (StatusCode::NOT_FOUND, axum::Json(json!({"error": "no such page"}))).into_response() })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

/// The offer's run as a workbook, in memory (a temporary file that is removed).
fn workbook(app: &App, model: &Model) -> Result<Vec<u8>, String> {
    let mut m = model.clone();
    let (cells, _) =
        super::read_cells(&mut m, app.eval.inputs(), 100).map_err(|e| e.to_string())?;
    let outcome = crate::engine::compute(&m, &cells).map_err(|e| e.to_string())?;
    let tmp = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    crate::output::xlsx::write(tmp.path(), &m, &outcome, None)?;
    std::fs::read(tmp.path()).map_err(|e| e.to_string())
}

/// `fencheng serve`.
pub fn serve(inputs: &Inputs, port: u16, lang: Option<&str>) -> Result<String, Error> {
    let inputs: &'static Inputs = Box::leak(Box::new(Inputs {
        config: inputs.config.clone(),
        records: inputs.records.clone(),
        encoding: inputs.encoding,
        delimiter: inputs.delimiter,
        deductions: inputs.deductions.clone(),
        entities: inputs.entities.clone(),
    }));
    let (signed, base, _) = load_negotiated(&inputs.config, &[], &parse_sets(&[])?, false)?;
    let mut for_life = base.clone();
    let prepared = super::project::prepare(&mut for_life, inputs, None)?;
    let eval = Evaluator::new(base, inputs, None)?;
    let lang: &'static str = match crate::i18n::detect(lang) {
        crate::i18n::Lang::Zh => "zh",
        crate::i18n::Lang::En => "en",
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(msg!("E0673", reason = e).text))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| Error::Usage(msg!("E0674", port = port, reason = e).text))?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
        {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "http://127.0.0.1:{port}/");
            let _ = out.flush();
        }
        let app = Arc::new(App {
            eval,
            prepared,
            signed,
            port,
            lang,
        });
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::Usage(msg!("E0675", reason = e).text))?;
        Ok(String::new())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offer_file_quotes_what_it_holds() {
        let t = offer_toml(&OfferReq {
            name: "ours \"final\"".into(),
            set: vec!["zone.z.agreement.a.rule.r.shares.aba=0.65".into()],
        })
        .unwrap();
        assert!(
            t.contains("set = [\n  \"zone.z.agreement.a.rule.r.shares.aba=0.65\",\n]"),
            "{t}"
        );
        assert!(toml::from_str::<toml::Table>(&t).is_ok());
        assert!(
            offer_toml(&OfferReq {
                name: "x".into(),
                set: vec!["no-equals".into()]
            })
            .is_err()
        );
    }
}
