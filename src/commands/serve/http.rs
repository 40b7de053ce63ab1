//! What the workbench accepts: the JSON requests (unknown fields refused), the checks
//! of Host and Origin (a page of another site, or a DNS-rebound name, is refused), and
//! the 400 answer with a message.

#![allow(clippy::result_large_err)]

use super::*;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

/// An offer: a name and its overrides (`PATH=VALUE`, as `--set`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Offer {
    pub(super) name: String,
    #[serde(default)]
    pub(super) set: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ComputeReq {
    pub(super) zone: String,
    pub(super) offers: Vec<Offer>,
    #[serde(default)]
    pub(super) growth: Option<String>,
    #[serde(default)]
    pub(super) discount: Option<String>,
    /// Also over the agreement's life (default: yes).
    #[serde(default = "yes")]
    pub(super) life: bool,
}

pub(super) fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExplainReq {
    pub(super) set: Vec<String>,
    pub(super) period: String,
    pub(super) zone: String,
    pub(super) metric: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OfferReq {
    pub(super) name: String,
    pub(super) set: Vec<String>,
}

pub(super) fn bad(msg: impl Into<crate::i18n::Msg>) -> Response {
    let msg: crate::i18n::Msg = msg.into();
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": msg.text, "code": (!msg.code.is_empty()).then_some(msg.code)})),
    )
        .into_response()
}

/// Requests must name this server (127.0.0.1 or localhost at its port) as Host, and as
/// Origin when they carry one.
pub(super) fn own(app: &App, headers: &HeaderMap) -> Result<(), Response> {
    let ok = |v: &str| {
        let port = app.port.to_string();
        ["127.0.0.1", "localhost"]
            .iter()
            .any(|h| v == format!("{h}:{port}"))
    };
    // Exactly one Host: a second one (foreign) must not ride on the first.
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = hosts.next().and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ok(host) || hosts.next().is_some() {
        return Err((
            StatusCode::FORBIDDEN,
            axum::Json(json!({"error": crate::msg!("E0681").text})),
        )
            .into_response());
    }
    let mut origins = headers.get_all(header::ORIGIN).iter();
    if let Some(origin) = origins.next() {
        let o = origin.to_str().unwrap_or("");
        let o = o.strip_prefix("http://").unwrap_or("");
        if !ok(o) || origins.next().is_some() {
            return Err((
                StatusCode::FORBIDDEN,
                axum::Json(json!({"error": crate::msg!("E0682").text})),
            )
                .into_response());
        }
    }
    Ok(())
}

pub(super) fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| bad(crate::msg!("E0683", reason = e)))
}
