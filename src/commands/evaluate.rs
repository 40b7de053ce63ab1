//! Totals of a negotiated model, with the records read once: `compare`, `sweep` and
//! `project` try many variants of one agreement on the same records.
//!
//! A variant that leaves every record in the same cell (a ratio, a base, a floor, a
//! level) is computed on the cells read for the base model; one that moves records
//! between cells (an agreement's dates, a rule's metrics or phases, an anchor, an
//! `applies_to`) is read again. Over the agreement's life the projected records are
//! kept instead, and every variant is shared on them.

use super::project::{Prepared, Projection, project};
use super::read_cells;
use crate::cli::Inputs;
use crate::engine::cells::Cells;
use crate::engine::compute;
use crate::engine::project::Growth;
use crate::error::Error;
use crate::model::{Model, RuleKind};
use crate::output::summary;
use std::collections::BTreeMap;

/// Totals per (zone, metric, party): (units, metric index).
pub type Totals = BTreeMap<(String, String, String), (i128, usize)>;

/// What decides which cell a record falls in: two models with the same shape put
/// every record in the same cell.
pub fn shape(model: &Model) -> String {
    let zones: Vec<String> = model
        .zones
        .iter()
        .map(|z| {
            let ags: Vec<String> = z
                .agreements
                .iter()
                .map(|a| {
                    let rules: Vec<String> = a
                        .rules
                        .iter()
                        .map(|r| {
                            let years: Vec<Option<u32>> = match &r.kind {
                                RuleKind::Schedule { phases, .. } => {
                                    phases.iter().map(|p| p.years).collect()
                                }
                                _ => Vec::new(),
                            };
                            format!(
                                "{}:{:?}:{:?}:{:?}:{:?}:{}",
                                r.id,
                                r.metrics,
                                r.applies_to,
                                r.anchor(),
                                years,
                                r.kind.name()
                            )
                        })
                        .collect();
                    format!("{}:{}:{:?}[{}]", a.id, a.from, a.to, rules.join(";"))
                })
                .collect();
            format!("{}[{}]", z.id, ags.join("|"))
        })
        .collect();
    let pools: Vec<String> = model
        .metrics
        .iter()
        .map(|m| format!("{}:{:?}", m.id, m.pool))
        .collect();
    format!("{}#{}", zones.join("/"), pools.join(","))
}

/// The agreement's life: what `project` needs to share every variant.
pub struct Life {
    pub prepared: Prepared,
    pub growth: Growth,
    pub grow_deductions: bool,
}

/// Records read once, and every variant's totals from them.
pub struct Evaluator<'a> {
    inputs: &'a Inputs,
    /// The base model, with the entities and deductions read.
    pub base: Model,
    cells: Option<Cells>,
    shape: String,
    pub life: Option<Life>,
    /// The files read at start (records and side files), with their SHA-256.
    pub files: Vec<super::ReadFile>,
}

impl<'a> Evaluator<'a> {
    /// Read the records for `base` (over the run), or keep them for projection.
    pub fn new(
        mut base: Model,
        inputs: &'a Inputs,
        life: Option<(Growth, Option<i32>, bool)>,
    ) -> Result<Self, Error> {
        match life {
            None => {
                let (cells, files) = read_cells(&mut base, inputs, 100)?;
                Ok(Evaluator {
                    inputs,
                    shape: shape(&base),
                    base,
                    cells: Some(cells),
                    life: None,
                    files,
                })
            }
            Some((growth, to, grow_deductions)) => {
                let prepared = super::project::prepare(&mut base, inputs, to)?;
                Ok(Evaluator {
                    inputs,
                    shape: shape(&base),
                    base,
                    cells: None,
                    life: Some(Life {
                        prepared,
                        growth,
                        grow_deductions,
                    }),
                    files: Vec::new(),
                })
            }
        }
    }

    /// The inputs the records were read from.
    pub fn inputs(&self) -> &'a Inputs {
        self.inputs
    }

    /// A variant of the base model (the entities and deductions it was read with kept).
    pub fn variant(&self, mut model: Model) -> Model {
        model.entities = self.base.entities.clone();
        model.needs_entity = self.base.needs_entity;
        model.watch = self.base.watch.clone();
        model
    }

    /// The projection of a variant over the agreement's life.
    pub fn projection(&self, model: &Model) -> Result<Option<Projection>, Error> {
        match &self.life {
            Some(l) => Ok(Some(project(
                model,
                &l.prepared,
                &l.growth,
                l.grow_deductions,
            )?)),
            None => Ok(None),
        }
    }

    /// Totals per (zone, metric, party) of a variant: over the run, or over the life.
    pub fn totals(&self, model: &Model) -> Result<Totals, Error> {
        let mut out: Totals = BTreeMap::new();
        if let Some(p) = self.projection(model)? {
            for ((_, z, m, party), (u, mi)) in p.rows {
                out.entry((z, m, party)).or_insert((0, mi)).0 += u;
            }
            return Ok(out);
        }
        let outcome = self.outcome(model)?;
        for (
            crate::ledger::FigureKey {
                zone: z,
                metric: m,
                party,
                ..
            },
            (u, mi),
        ) in summary::rows(model, &outcome)
        {
            out.entry((z, m, party)).or_insert((0, mi)).0 += u;
        }
        // Obligations (SPEC §14): received − paid, beside the metrics.
        if let Some((mi, by)) = crate::engine::obligations::by_party(
            model,
            &crate::engine::obligations::postings(&outcome.obligations),
        ) {
            for ((_, z, party), u) in by {
                let key = (
                    model.zones[z].id.clone(),
                    crate::engine::obligations::LABEL.to_string(),
                    party,
                );
                out.entry(key).or_insert((0, mi)).0 += u;
            }
        }
        Ok(out)
    }

    /// The engine's outcome of a variant over the run: on the cells read at start when
    /// the variant moves no record between cells, else on the records read again.
    pub fn outcome(&self, model: &Model) -> Result<crate::engine::Outcome, Error> {
        Ok(match &self.cells {
            Some(cells) if shape(model) == self.shape => compute(model, cells)?,
            _ => {
                let mut m = model.clone();
                let (cells, _) = read_cells(&mut m, self.inputs, 100)?;
                compute(&m, &cells)?
            }
        })
    }

    /// The years the totals cover, said in words.
    pub fn over(&self) -> String {
        match &self.life {
            Some(l) => crate::msg!("E0636", from = l.prepared.base_year, to = l.prepared.to).text,
            None => match self.cells.as_ref().map(|c| {
                let years: std::collections::BTreeSet<i32> =
                    c.sorted().iter().map(|(k, _)| k.period.year).collect();
                years.into_iter().map(|y| y.to_string()).collect::<Vec<_>>()
            }) {
                Some(ys) if !ys.is_empty() => crate::msg!("E0637", years = ys.join(", ")).text,
                _ => crate::msg!("E0638").text,
            },
        }
    }
}
