//! `fencheng project`: what each side gets over the agreement's life under assumed
//! growth (SPEC §3 rules, applied to projected records; see `engine::project` for what
//! the estimate assumes). The base records are read once; every scenario is computed
//! from the same projected records.

mod compute;
mod prepare;

pub use compute::{Projection, is_level, project};
use prepare::usage;
pub use prepare::{BaseKey, BaseLine, Prepared, growth, prepare};

use super::{load_negotiated, parse_sets};
use crate::cli::ProjectArgs;
use crate::error::Error;
use crate::model::Model;
use crate::msg;

impl crate::cli::FilterArgs {
    /// Whether a row of zone, metric and party is shown (`--zone`, `--metric`,
    /// `--party`, each matched by id or name).
    pub fn keeps(&self, model: &Model, zone: &str, metric: &str, party: &str) -> bool {
        let is = |want: Option<&str>, id: &str, by: &dyn Fn(&str) -> Option<usize>| {
            want.is_none_or(|w| w == id || by(w).is_some_and(|i| by(id) == Some(i)))
        };
        is(self.zone.as_deref(), zone, &|k| model.zone(k))
            && is(self.metric.as_deref(), metric, &|k| model.metric(k))
            && self
                .party
                .as_deref()
                .is_none_or(|p| p == party || model.party_name(party) == p)
    }
}

/// `fencheng project`.
pub fn run(req: &ProjectArgs) -> Result<String, Error> {
    let (out, chart, format) = (req.out.as_deref(), req.chart.as_deref(), req.format);
    let sets = parse_sets(&req.overrides.set)?;
    let (_, mut base, _) = load_negotiated(
        &req.inputs.config,
        &[],
        &sets,
        req.overrides.allow_outside_band,
    )?;
    let prepared = prepare(&mut base, &req.inputs, req.to)?;
    let growth = growth(&base, &req.growth.growth, req.growth.growth_file.as_deref())?;
    let discount = req
        .discount
        .as_deref()
        .map(|d| crate::num::rate(d).map_err(|e| usage(msg!("E0651", text = d, reason = e))))
        .transpose()?;
    let mut runs: Vec<(String, Projection)> = vec![(
        "baseline".into(),
        project(&base, &prepared, &growth, req.growth.grow_deductions)?,
    )];
    for s in &req.scenarios {
        let (_, m, _) = load_negotiated(
            &req.inputs.config,
            std::slice::from_ref(s),
            &sets,
            req.overrides.allow_outside_band,
        )?;
        let name = s.file_stem().map_or_else(
            || crate::pathtext::show(s),
            |n| n.to_string_lossy().into_owned(),
        );
        runs.push((
            name,
            project(&m, &prepared, &growth, req.growth.grow_deductions)?,
        ));
    }
    let first = &runs[0].1;
    let model = &first.model;
    if let Some(dir) = out {
        super::write_pair(dir, model, &first.outcome)?;
    }
    let shown = |z: &str, m: &str, p: &str| {
        req.filter.keeps(model, z, m, p) && (req.levels || !is_level(model, z, m, p))
    };
    let keeps = |z: &str, m: &str, p: &str| req.filter.keeps(model, z, m, p);
    if let Some(path) = chart {
        crate::output::chart::project_chart(
            path,
            model,
            &first.rows,
            &shown,
            prepared.base_year,
            prepared.to,
        )?;
    }
    let view = crate::output::projection::View {
        model,
        runs: runs.iter().map(|(n, r)| (n.as_str(), &r.rows)).collect(),
        base_year: prepared.base_year,
        to: prepared.to,
        keeps: &keeps,
        shown: &shown,
        discount: req.discount.as_deref().zip(discount.as_ref()),
        notes: first
            .notes
            .iter()
            .zip(&first.noted_zones)
            .map(|(n, z)| {
                let shown = req
                    .filter
                    .zone
                    .as_deref()
                    .is_none_or(|f| model.zone(f) == Some(*z));
                (n.as_str(), shown)
            })
            .collect(),
    };
    Ok(view.render(format))
}
