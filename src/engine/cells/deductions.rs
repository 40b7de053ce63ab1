//! Where a deduction line goes (SPEC §8.2, §11): the cell it reduces — for an
//! entity-anchored rule, the phase of that entity's records — placed once every record
//! is in.

use super::{CellKey, Cells, DeductionLine, phase_of};
use crate::diag::Msg;
use crate::model::{Anchor, Model, RuleKind};
use crate::msg;

impl Cells {
    /// The cell a deduction line reduces (SPEC §8.2, §11): the agreement in force,
    /// the rule its entity picks, and for an entity-anchored rule the phase of that
    /// entity's records there.
    pub fn deduction_cell(
        &mut self,
        model: &Model,
        d: &crate::input::deductions::Group,
    ) -> Result<CellKey, Msg> {
        let zone = &model.zones[d.zone];
        let metric = &model.metrics[d.metric];
        let agreement = zone.agreement_for(d.period)?;
        let ag = &zone.agreements[agreement];
        let class = d
            .entity
            .as_deref()
            .and_then(|e| model.entities.get(e))
            .and_then(|e| model.entities.class(e.class));
        let choice = ag.rule_for_metric.get(&d.metric);
        let rule = choice.and_then(|c| c.pick(&ag.rules, class));
        let Some(rule) = rule else {
            return Err(if metric.pool.is_empty() {
                msg!(
                    "E0303",
                    metric = metric.id,
                    agreement = ag.id,
                    zone = zone.id
                )
            } else {
                msg!(
                    "E0304",
                    metric = metric.id,
                    agreement = ag.id,
                    zone = zone.id
                )
            });
        };
        let rl = &ag.rules[rule];
        if Self::sharing_metric(model, d.metric, rl) != d.metric {
            let pool = model.metrics[d.metric]
                .pool_of
                .map_or("", |p| model.metrics[p].id.as_str());
            return Err(msg!(
                "E0305",
                metric = metric.id,
                pool = pool,
                zone = zone.id,
                rule = rl.id
            ));
        }
        let sub = match rl.anchor() {
            Some(Anchor::EntityStart) => {
                let Some(entity) = d.entity.as_deref() else {
                    return Err(msg!("E0306", rule = rl.id, zone = zone.id));
                };
                let k = (
                    entity.to_string(),
                    d.period,
                    d.zone,
                    d.metric,
                    agreement,
                    rule,
                );
                match self
                    .entity_cells
                    .get(&k)
                    .map(|s| s.iter().copied().collect::<Vec<_>>())
                {
                    Some(v) if v.len() == 1 => v[0],
                    Some(_) => {
                        return Err(msg!(
                            "E0307",
                            entity = entity,
                            rule = rl.id,
                            period = d.period
                        ));
                    }
                    None => {
                        return Err(msg!(
                            "E0308",
                            entity = entity,
                            metric = metric.id,
                            zone = zone.id,
                            period = d.period,
                            rule = rl.id
                        ));
                    }
                }
            }
            Some(Anchor::Agreement) => {
                let k = self.year(ag.from, d.period)?;
                match &rl.kind {
                    RuleKind::Schedule { .. } => phase_of(rl, k)? as u32,
                    RuleKind::Formula { .. } => k,
                    _ => 0,
                }
            }
            None => 0,
        };
        Ok(CellKey {
            period: d.period,
            zone: d.zone,
            metric: d.metric,
            agreement,
            rule,
            sub,
        })
    }

    /// Place the run's deduction lines in their cells, once every record is in
    /// (`granularity`: the run's, fixed by its first record) — a group of lines at a
    /// time, as they all reduce one thing. Problems are located at each line.
    pub fn place_deductions(
        &mut self,
        model: &Model,
        deductions: crate::input::Deductions,
        granularity: Option<&(crate::period::Granularity, String)>,
    ) -> Vec<crate::diag::Diag> {
        let mut problems = Vec::new();
        // Added to the lines already placed (a close places the new lines after the
        // booked ones are in): groups and lines run on from them.
        let first_group = self.deduction_source.groups().len();
        let first_line = self.deduction_source.len();
        if self.deduction_source.is_empty() {
            // The usual case: no copy of a million lines.
            self.deduction_source = deductions;
        } else {
            // Said at the first of the lines that do not fit in.
            let first = deductions.get(0).map(|(d, _)| (d.file.to_string(), d.line));
            if self.deduction_source.extend(deductions).is_none() {
                let (file, line) = first.unwrap_or_default();
                problems.push(crate::diag::Diag::new(
                    &file,
                    line as usize,
                    "",
                    msg!("E0239"),
                ));
                return problems;
            }
        }
        let source = std::mem::take(&mut self.deduction_source);
        let placed: Vec<Result<CellKey, (Msg, &str)>> = source.groups()[first_group..]
            .iter()
            .map(|g| {
                if let Some((gr, first)) = granularity
                    && *gr != g.period.granularity
                {
                    return Err((
                        msg!("E0213", text = g.period, granularity = gr, first = first),
                        "period",
                    ));
                }
                self.deduction_cell(model, g).map_err(|m| (m, ""))
            })
            .collect();
        for (d, g) in (first_line..source.len()).filter_map(|i| source.get(i)) {
            if let Some(Err((m, field))) = placed.get(g - first_group) {
                problems.push(crate::diag::Diag::new(
                    d.file,
                    d.line as usize,
                    field,
                    m.clone(),
                ));
            }
        }
        self.deductions.extend(
            placed
                .iter()
                .zip(&source.groups()[first_group..])
                .enumerate()
                .filter_map(|(i, (p, g))| {
                    Some(DeductionLine {
                        key: *p.as_ref().ok()?,
                        units: g.units,
                        index: first_group + i,
                    })
                }),
        );
        self.deduction_source = source;
        problems
    }
}
