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
        d: &crate::input::Deduction,
    ) -> Result<CellKey, Msg> {
        let zone = &model.zones[d.zone];
        let metric = &model.metrics[d.metric];
        let agreement = zone.agreement_for(d.period)?;
        let ag = &zone.agreements[agreement];
        let class = d
            .entity
            .as_deref()
            .and_then(|e| model.entities.by_id.get(e))
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
    /// (`granularity`: the run's, fixed by its first record). Problems are located at
    /// the deduction's line.
    pub fn place_deductions(
        &mut self,
        model: &Model,
        deductions: Vec<crate::input::Deduction>,
        granularity: Option<&(crate::period::Granularity, String)>,
    ) -> Vec<crate::diag::Diag> {
        let mut problems = Vec::new();
        // Added to the lines already placed (a close places the new lines after the
        // booked ones are in): indices run on from them.
        let offset = self.deduction_source.len();
        self.deductions.reserve_exact(deductions.len());
        for (i, d) in deductions.iter().enumerate() {
            let at =
                |m: Msg, field: &str| crate::diag::Diag::new(&d.file, d.line as usize, field, m);
            if let Some((g, first)) = granularity
                && *g != d.period.granularity
            {
                problems.push(at(
                    msg!("E0213", text = d.period, granularity = g, first = first),
                    "period",
                ));
                continue;
            }
            match self.deduction_cell(model, d) {
                Ok(key) => self.deductions.push(DeductionLine {
                    key,
                    units: d.units,
                    index: offset + i,
                }),
                Err(m) => problems.push(at(m, "")),
            }
        }
        if self.deduction_source.is_empty() {
            // The usual case: no copy of a million lines.
            self.deduction_source = deductions;
        } else {
            self.deduction_source.extend(deductions);
        }
        problems
    }
}
