//! The grid of a sweep: the model at each value of the parameter and each party's
//! totals there, in the zone and metrics the sweep looks at.

use super::super::evaluate::{Evaluator, Totals};
use crate::config::overlay::{self, SetOp};
use crate::diag::Diag;
use crate::error::Error;
use crate::model::{MetricKind, Model};
use crate::msg;
use crate::num::{format_scaled, parse_scaled};
use std::collections::BTreeSet;

pub(super) struct Point {
    pub(super) value: i128,
    pub(super) totals: Vec<i128>,
    pub(super) outside: Vec<String>,
}

pub(super) struct Sweeper<'a, 'e> {
    pub(super) eval: &'e Evaluator<'a>,
    pub(super) signed: &'e Model,
    pub(super) vary: &'e str,
    pub(super) scope: (Option<String>, BTreeSet<usize>),
    pub(super) parties: Vec<String>,
    /// Every total is scaled to these decimals.
    pub(super) decimals: u32,
}

impl Sweeper<'_, '_> {
    pub(super) fn model_at(&self, value: i128, d: u32) -> Result<Model, Error> {
        let mut model = self.eval.variant(self.eval.base.clone());
        let op = SetOp {
            path: self.vary.to_string(),
            value: format_scaled(value, d),
        };
        overlay::apply(&mut model, &op).map_err(|m| {
            Error::Config(crate::config::ConfigError(vec![Diag::new(
                "--vary", 0, "", m,
            )]))
        })?;
        Ok(model)
    }

    pub(super) fn in_scope(&self, z: &str, mi: usize) -> bool {
        self.scope.0.as_ref().is_none_or(|sz| sz == z) && self.scope.1.contains(&mi)
    }

    pub(super) fn point(&self, value: i128, d: u32) -> Result<Point, Error> {
        let model = self.model_at(value, d)?;
        let outside: Vec<String> = overlay::band_violations(self.signed, &model)
            .into_iter()
            .map(|m| m.text)
            .collect();
        let totals: Totals = self.eval.totals(&model)?;
        let mut out = vec![0i128; self.parties.len()];
        for ((z, _, p), (u, mi)) in &totals {
            if !self.in_scope(z, *mi) {
                continue;
            }
            let q = &model.metrics[*mi].quantum;
            if let Some(i) = self.parties.iter().position(|x| x == p) {
                out[i] += u * q.scaled * 10i128.pow(self.decimals - q.decimals);
            }
        }
        Ok(Point {
            value,
            totals: out,
            outside,
        })
    }
}

pub(super) fn dec(text: &str, what: &str) -> Result<(i128, u32), Error> {
    let (_, _, frac) = crate::num::split_decimal(text)
        .map_err(|e| Error::Usage(msg!("E0655", what = what, text = text, reason = e)))?;
    let d = frac.len() as u32;
    Ok((
        parse_scaled(text, d)
            .map_err(|e| Error::Usage(msg!("E0655", what = what, text = text, reason = e)))?,
        d,
    ))
}

/// The zone and metrics a sweep totals: `--zone`/`--metric`, else those of the varied
/// rule (its tax metrics), else every zone's tax metrics.
pub(super) fn scope(
    base: &Model,
    vary: &str,
    filter: &crate::cli::FilterArgs,
) -> (Option<String>, BTreeSet<usize>) {
    let seg: Vec<&str> = vary.split('.').collect();
    let tax = |ms: BTreeSet<usize>| -> BTreeSet<usize> {
        let t: BTreeSet<usize> = ms
            .iter()
            .copied()
            .filter(|m| base.metrics[*m].kind == MetricKind::Tax)
            .collect();
        if t.is_empty() { ms } else { t }
    };
    let (mut zone, mut metrics) = match seg.as_slice() {
        ["zone", z, "agreement", a, "rule", r, ..] => {
            let rule = base
                .zones
                .iter()
                .find(|x| x.id == *z)
                .and_then(|zz| zz.agreements.iter().find(|x| x.id == *a))
                .and_then(|ag| ag.rules.iter().find(|x| x.id == *r));
            let ms: BTreeSet<usize> = rule
                .map(|r| r.metrics.iter().copied().collect())
                .unwrap_or_default();
            (Some(z.to_string()), tax(ms))
        }
        ["zone", z, ..] => (Some(z.to_string()), tax((0..base.metrics.len()).collect())),
        _ => (None, tax((0..base.metrics.len()).collect())),
    };
    if let Some(z) = filter.zone.as_deref().and_then(|z| base.zone(z)) {
        zone = Some(base.zones[z].id.clone());
    }
    if let Some(m) = filter.metric.as_deref().and_then(|m| base.metric(m)) {
        metrics = [m].into();
    }
    (zone, metrics)
}

pub(super) fn scope_text(model: &Model, scope: &(Option<String>, BTreeSet<usize>)) -> String {
    let ms: Vec<&str> = scope
        .1
        .iter()
        .map(|m| model.metrics[*m].id.as_str())
        .collect();
    match &scope.0 {
        Some(z) => {
            let name = model
                .zone(z)
                .map_or(z.as_str(), |i| model.zones[i].name.as_str());
            msg!("E0656", zone = z, name = name, metrics = ms.join(", ")).text
        }
        None => msg!("E0657", metrics = ms.join(", ")).text,
    }
}
