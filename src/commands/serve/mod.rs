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

mod api;
mod http;
mod offer;
mod quota;
mod sliders;

use super::evaluate::Evaluator;
use super::project::Prepared;
use super::{load_negotiated, parse_sets};
use crate::cli::Inputs;
use crate::error::Error;
use crate::model::Model;
use crate::msg;
use api::*;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use http::*;
use offer::*;
use serde_json::json;
use sliders::*;
use std::sync::Arc;

/// Bodies above this are refused (an offer is a few hundred bytes).
const MAX_BODY: usize = 64 * 1024;
/// At most this many overrides per offer, and offers per request.
const MAX_SETS: usize = 200;
const MAX_OFFERS: usize = 3;

const PAGE: &str = include_str!("page.html");

struct App {
    eval: Evaluator<'static>,
    prepared: Prepared,
    signed: Model,
    port: u16,
    lang: &'static str,
    /// Every file read at start, with its SHA-256 (`api::fingerprint`).
    files: Vec<(std::path::PathBuf, String)>,
    /// `--allocations`/`--transfers`: the quota accounts of every offer.
    quota: Option<quota::QuotaBench>,
    /// Answers of offers already computed (`api::ANSWERS` at most), by request.
    answers: std::sync::Mutex<Vec<(String, serde_json::Value)>>,
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/",
            get(|State(app): State<Arc<App>>| async move {
                let page = PAGE.replace("__LANG__", app.lang);
                (
                    [
                        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-store"),
                    ],
                    page,
                )
                    .into_response()
            }),
        )
        .route(
            "/api/model",
            get(|State(app): State<Arc<App>>| async move {
                axum::Json(model_doc(&app)).into_response()
            }),
        )
        .route(
            "/api/compute",
            post(|State(app): State<Arc<App>>, body: Bytes| async move {
                let req: ComputeReq = match parse(&body) {
                    Ok(r) => r,
                    Err(r) => return r,
                };
                blocking(app, move |app, gone| {
                    compute(app, req, gone)
                        .map(|v| axum::Json(v).into_response())
                        .map_err(bad)
                })
                .await
            }),
        )
        .route(
            "/api/explain",
            post(|State(app): State<Arc<App>>, body: Bytes| async move {
                let req: ExplainReq = match parse(&body) {
                    Ok(r) => r,
                    Err(r) => return r,
                };
                blocking(app, move |app, _| {
                    explain(app, req)
                        .map(|v| axum::Json(v).into_response())
                        .map_err(bad)
                })
                .await
            }),
        )
        .route(
            "/api/scenario",
            post(|body: Bytes| async move {
                let req: OfferReq = match parse(&body) {
                    Ok(r) => r,
                    Err(r) => return r,
                };
                match offer_toml(&req) {
                    Ok(t) => (
                        [
                            (header::CONTENT_TYPE, "application/toml; charset=utf-8"),
                            (
                                header::CONTENT_DISPOSITION,
                                "attachment; filename=\"offer.toml\"",
                            ),
                        ],
                        t,
                    )
                        .into_response(),
                    Err(m) => bad(m),
                }
            }),
        )
        .route(
            "/api/xlsx",
            post(|State(app): State<Arc<App>>, body: Bytes| async move {
                let req: OfferReq = match parse(&body) {
                    Ok(r) => r,
                    Err(r) => return r,
                };
                blocking(app, move |app, _| {
                    let model = with_offer(app, &req.set).map_err(bad)?;
                    let bytes = workbook(app, &model).map_err(bad)?;
                    Ok((
                        [
                            (
                                header::CONTENT_TYPE,
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            ),
                            (
                                header::CONTENT_DISPOSITION,
                                "attachment; filename=\"offer.xlsx\"",
                            ),
                        ],
                        bytes,
                    )
                        .into_response())
                })
                .await
            }),
        )
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                axum::Json(json!({"error": crate::msg!("E0684").text})),
            )
                .into_response()
        })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        // Every request, the unknown paths' too, names this server or is refused.
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            |State(app): State<Arc<App>>,
             req: axum::extract::Request,
             next: axum::middleware::Next| async move {
                match own(&app, req.headers()) {
                    Ok(()) => next.run(req).await,
                    Err(r) => r,
                }
            },
        ))
        .with_state(app)
}

/// `fencheng serve`.
pub fn serve(args: &crate::cli::ServeArgs, lang: Option<&str>) -> Result<String, Error> {
    let port = args.port;
    let inputs: &'static Inputs = Box::leak(Box::new(args.inputs.clone()));
    let (signed, base, _) = load_negotiated(&inputs.config, &[], &parse_sets(&[])?, false)?;
    let mut for_life = base.clone();
    let prepared = super::project::prepare(&mut for_life, inputs, None)?;
    let quota = quota::start(&base, inputs, &args.allocations, &args.transfers)?;
    let eval = Evaluator::new(base, inputs, None)?;
    let files = fingerprint(&signed, &eval);
    let lang: &'static str = match crate::i18n::detect(lang) {
        crate::i18n::Lang::Zh => "zh",
        crate::i18n::Lang::En => "en",
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(msg!("E0673", reason = e)))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| Error::Usage(msg!("E0674", port = port, reason = e)))?;
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
            files,
            quota,
            answers: Default::default(),
        });
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::Usage(msg!("E0675", reason = e)))?;
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
