//! Cells: records summed exactly by (period, zone, metric, agreement, rule, phase).
//!
//! Rounding happens once per cell, so grouping decides figures: entities of an
//! entity-anchored schedule in different phases go to different cells (SPEC §4.1).
//! The agreement version and the phase are resolved here, per record, and a record
//! that cannot be placed is refused with the reason.

use crate::diag::Msg;
use crate::input::Record;
use crate::model::{Anchor, Model, Rule, RuleKind};
use crate::msg;
use crate::period::Period;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

mod deductions;

/// The identity of a cell. `sub` is the schedule phase index (0-based) for a schedule,
/// the year index for an anchored formula, 0 otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey {
    pub period: Period,
    pub zone: usize,
    pub metric: usize,
    pub agreement: usize,
    pub rule: usize,
    pub sub: u32,
}

/// What a cell has accumulated.
#[derive(Debug, Clone, Default)]
pub struct CellAcc {
    /// Σ amounts in units of the metric's quantum.
    pub total: i128,
    pub records: u64,
    /// The year index from the anchor, when all records of the cell share one.
    pub year: Option<u32>,
    pub mixed_years: bool,
}

/// What decides a record's cell: zone, metric, period and entity start, packed into
/// one integer so that the per-record lookup hashes a single word pair.
type RecordKey = u128;

/// Entries of `Cells::fast` and `Cells::years` at most (about a megabyte each).
const FAST_LIMIT: usize = 1 << 14;

fn record_key(r: &Record<'_>, dated: bool) -> RecordKey {
    let g = match r.period.granularity {
        crate::period::Granularity::Month => 0u128,
        crate::period::Granularity::Quarter => 1,
        crate::period::Granularity::Year => 2,
    };
    // A record's cell depends on its start date only through the year index of its
    // period: the key holds the index (bit 31 set; day numbers stay below it), so that
    // thousands of enterprises' dates share a few entries. A date the index cannot be
    // taken from keeps its day number: its error names the date.
    // In a zone where no rule counts from a start date, the date decides nothing.
    let start = r.entity_start.filter(|_| dated).map_or(0u128, |d| {
        use chrono::Datelike;
        let (first, last) = r.period.bounds();
        match whole_years((d.year(), d.month(), d.day()), first, last) {
            Some(k) => 1u128 << 31 | u128::from(k),
            None => u128::from(d.num_days_from_ce() as u32) + 1,
        }
    });
    (r.zone as u128 & 0xFFFF) << 112
        | (r.metric as u128 & 0xFFFF) << 96
        | (r.period.year as u128 & 0xFFFF) << 80
        | g << 72
        | u128::from(r.period.index) << 64
        | u128::from(r.class) << 32
        | start
}

/// A group of deduction lines placed in the cell it reduces (SPEC §8.2).
#[derive(Debug, Clone)]
pub struct DeductionLine {
    /// The sharing cell: (period, zone, metric or pool, agreement, rule, phase).
    pub key: CellKey,
    /// Σ of the group's lines.
    pub units: i128,
    /// Index of the group in the run's deductions (`Deductions::groups`).
    pub index: usize,
}

/// Where an entity's records went: (entity, period, zone, sharing metric, agreement,
/// rule) → the phases (`sub`) of its cells. Kept only for entities that a deduction
/// names, so that the deduction finds its cell.
type EntityCells =
    BTreeMap<(String, Period, usize, usize, usize, usize), std::collections::BTreeSet<u32>>;

/// All cells of a run plus the independent control totals used by the invariant check.
#[derive(Debug, Default)]
pub struct Cells {
    /// The cells in order of creation; `sorted` gives the cell order.
    slots: Vec<(CellKey, CellAcc)>,
    index: FxHashMap<CellKey, usize>,
    /// (zone, metric, period, entity_start) → (slot, year index): a record's cell is
    /// a function of these four, so millions of records cost one lookup each.
    fast: FxHashMap<RecordKey, Result<(usize, Option<u32>), Msg>>,
    /// Σ input per metric, kept apart from the cells so the invariant compares two
    /// independent sums.
    inputs: Vec<i128>,
    seen: Vec<bool>,
    pub records: u64,
    agreements: FxHashMap<(usize, Period), Result<usize, Msg>>,
    /// (anchor date, period) → year index: date arithmetic once, not per record.
    years: FxHashMap<(NaiveDate, Period), Result<u32, Msg>>,
    /// Cells of the entities that deductions name (`Model::watch`).
    entity_cells: EntityCells,
    /// The run's deductions, each in its cell.
    pub deductions: Vec<DeductionLine>,
    /// The deduction lines as read (file, line, reason), for traces.
    pub deduction_source: crate::input::Deductions,
    /// Per zone: whether a rule counts from entity start dates (`Cells::dated`).
    dated: Vec<bool>,
}

pub(crate) use crate::period::whole_years;
pub use crate::period::year_index;

/// The phase (0-based) holding year `k`, or an error after a closed last phase.
pub fn phase_of(rule: &Rule, k: u32) -> Result<usize, Msg> {
    let RuleKind::Schedule { phases, .. } = &rule.kind else {
        return Ok(0);
    };
    let mut end = 0u32;
    for (i, ph) in phases.iter().enumerate() {
        match ph.years {
            None => return Ok(i),
            Some(y) => {
                end += y;
                if k <= end {
                    return Ok(i);
                }
            }
        }
    }
    Err(msg!("E0302", year = k, rule = rule.id, end = end))
}

impl Cells {
    /// Σ input per metric (metrics that had records), independent of the cells.
    pub fn input_by_metric(&self) -> BTreeMap<usize, i128> {
        self.inputs
            .iter()
            .enumerate()
            .filter(|(m, _)| self.seen.get(*m).copied().unwrap_or(false))
            .map(|(m, v)| (m, *v))
            .collect()
    }

    fn add_input(&mut self, metric: usize, units: i128) -> Result<(), Msg> {
        if metric >= self.inputs.len() {
            self.inputs.resize(metric + 1, 0);
            self.seen.resize(metric + 1, false);
        }
        self.seen[metric] = true;
        self.inputs[metric] = self.inputs[metric]
            .checked_add(units)
            .ok_or_else(|| msg!("E0311"))?;
        Ok(())
    }

    fn year(&mut self, anchor: NaiveDate, period: Period) -> Result<u32, Msg> {
        // A cache too, emptied when large (start dates can be many).
        if self.years.len() >= FAST_LIMIT {
            self.years.clear();
        }
        self.years
            .entry((anchor, period))
            .or_insert_with(|| year_index(anchor, period))
            .clone()
    }

    /// The cells in order (period, zone, metric, agreement, rule, phase): the order
    /// in which year-to-date state flows and outputs are written.
    pub fn sorted(&self) -> Vec<(&CellKey, &CellAcc)> {
        let mut v: Vec<_> = self.slots.iter().map(|(k, a)| (k, a)).collect();
        v.sort_by_key(|(k, _)| **k);
        v
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn slot(&mut self, key: CellKey) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.slots.push((key, CellAcc::default()));
        self.index.insert(key, self.slots.len() - 1);
        self.slots.len() - 1
    }

    /// Add another set of cells (from a parallel reader) into this one.
    pub fn merge(&mut self, other: Cells) -> Result<(), Msg> {
        let inputs = other.input_by_metric();
        for (k, acc) in other.slots {
            let i = self.slot(k);
            let cell = &mut self.slots[i].1;
            cell.total = cell
                .total
                .checked_add(acc.total)
                .ok_or_else(|| msg!("E0310"))?;
            if cell.records == 0 {
                cell.year = acc.year;
                cell.mixed_years = acc.mixed_years;
            } else if acc.records > 0 && (cell.year != acc.year || acc.mixed_years) {
                cell.mixed_years = true;
                cell.year = None;
            }
            cell.records += acc.records;
        }
        for (m, v) in inputs {
            self.add_input(m, v)?;
        }
        for (k, subs) in other.entity_cells {
            self.entity_cells.entry(k).or_default().extend(subs);
        }
        let offset = self.deduction_source.groups().len();
        self.deductions
            .extend(other.deductions.into_iter().map(|d| DeductionLine {
                index: d.index + offset,
                ..d
            }));
        if self
            .deduction_source
            .extend(other.deduction_source)
            .is_none()
        {
            return Err(crate::msg!("E0239"));
        }
        self.records += other.records;
        Ok(())
    }

    /// The metric that shares records of metric `m` under rule `rule` of agreement
    /// `ag`: the pool, when the rule names the pool of `m`.
    pub fn sharing_metric(model: &Model, m: usize, rule: &Rule) -> usize {
        match model.metrics[m].pool_of {
            Some(p) if rule.metrics.contains(&p) => p,
            _ => m,
        }
    }

    /// The cell of a record and its year index from the anchor, or why it has none.
    pub fn resolve(
        &mut self,
        model: &Model,
        r: &Record<'_>,
    ) -> Result<(CellKey, Option<u32>), Msg> {
        let zone = &model.zones[r.zone];
        let metric = &model.metrics[r.metric];
        let agreement = self
            .agreements
            .entry((r.zone, r.period))
            .or_insert_with(|| zone.agreement_for(r.period))
            .clone()?;
        let ag = &zone.agreements[agreement];
        let Some(choice) = ag.rule_for_metric.get(&r.metric) else {
            return Err(msg!(
                "E0309",
                metric = metric.id,
                agreement = ag.id,
                zone = zone.id
            ));
        };
        let Some(rule) = choice.pick(&ag.rules, model.entities.class(r.class)) else {
            return Err(msg!(
                "E0312",
                agreement = ag.id,
                zone = zone.id,
                entity = r.entity,
                metric = metric.id
            ));
        };
        let rl = &ag.rules[rule];
        let year = match rl.anchor() {
            None => None,
            Some(Anchor::Agreement) => Some(self.year(ag.from, r.period)?),
            Some(Anchor::EntityStart) => {
                let Some(start) = r.entity_start else {
                    return Err(msg!("E0313", rule = rl.id, zone = zone.id));
                };
                Some(self.year(start, r.period).map_err(|e| Msg {
                    code: e.code,
                    text: format!("entity_start: {e}"),
                })?)
            }
        };
        let sub = match (&rl.kind, year) {
            (RuleKind::Schedule { .. }, Some(k)) => phase_of(rl, k)? as u32,
            (RuleKind::Formula { .. }, Some(k)) => k,
            _ => 0,
        };
        let key = CellKey {
            period: r.period,
            zone: r.zone,
            metric: r.metric,
            agreement,
            rule,
            sub,
        };
        Ok((key, year))
    }

    /// Place one record into its cell.
    pub fn add(&mut self, model: &Model, r: &Record<'_>) -> Result<(), Msg> {
        if let Some(tag) = &model.input.without_tag
            && model
                .entities
                .class(r.class)
                .is_some_and(|c| c.tags.iter().any(|t| t == tag))
        {
            return Ok(());
        }
        let (slot, year) = self.target(model, r)?;
        self.watch(model, slot, r);
        self.add_at(slot, year, r)
    }

    /// Remember the cell of a record whose entity a deduction names.
    fn watch(&mut self, model: &Model, slot: usize, r: &Record<'_>) {
        if model.watch.is_empty() || !model.watch.contains(r.entity) {
            return;
        }
        let key = self.slots[slot].0;
        let rule = &model.zones[key.zone].agreements[key.agreement].rules[key.rule];
        let m = Self::sharing_metric(model, key.metric, rule);
        self.entity_cells
            .entry((
                r.entity.to_string(),
                key.period,
                key.zone,
                m,
                key.agreement,
                key.rule,
            ))
            .or_default()
            .insert(key.sub);
    }

    /// The cell of a record, cached (a second pass, e.g. for detail.csv).
    pub fn locate(&mut self, model: &Model, r: &Record<'_>) -> Result<CellKey, Msg> {
        let (slot, _) = self.target(model, r)?;
        Ok(self.slots[slot].0)
    }

    /// The slot of a record's cell and its year index, or why it has none; cached by
    /// what decides it, so millions of records cost one lookup each.
    pub fn target(&mut self, model: &Model, r: &Record<'_>) -> Result<(usize, Option<u32>), Msg> {
        // Ids beyond 16 bits would collide in the packed key: resolve those directly.
        if r.zone > 0xFFFF || r.metric > 0xFFFF {
            return self
                .resolve(model, r)
                .map(|(key, year)| (self.slot(key), year));
        }
        let dated = self.dated(model, r.zone);
        let fk = record_key(r, dated);
        match self.fast.get(&fk) {
            Some(hit) => hit.clone(),
            None => {
                let resolved = self
                    .resolve(model, r)
                    .map(|(key, year)| (self.slot(key), year));
                // A cache, not a record: it is emptied when it grows large, so that
                // memory stays flat however many distinct entity start dates come.
                if self.fast.len() >= FAST_LIMIT {
                    self.fast.clear();
                }
                self.fast.insert(fk, resolved.clone());
                resolved
            }
        }
    }

    /// A key for caches over the years of a projection: records with the same key get
    /// the same cell in every later year too. It is the target cache's key, whose year
    /// index of a start date does not always carry over — a date inside its period
    /// after the first day is one year less, a year on, than one on the first day —
    /// so that case has a bit of its own.
    pub fn projection_key(&mut self, model: &Model, r: &Record<'_>) -> u128 {
        let dated = self.dated(model, r.zone);
        let key = record_key(r, dated);
        let inside = dated
            && r.entity_start.is_some_and(|d| {
                use chrono::Datelike;
                let (first, last) = r.period.bounds();
                let a = (d.year(), d.month(), d.day());
                first < a && a <= last
            });
        if inside && key & (1 << 31) != 0 {
            key | 1 << 30
        } else {
            key
        }
    }

    /// Whether a rule of the zone counts years from each entity's start date (cached
    /// per zone).
    fn dated(&mut self, model: &Model, zone: usize) -> bool {
        if self.dated.len() != model.zones.len() {
            self.dated = model
                .zones
                .iter()
                .map(|z| {
                    z.agreements.iter().any(|a| {
                        a.rules
                            .iter()
                            .any(|r| r.anchor() == Some(Anchor::EntityStart))
                    })
                })
                .collect();
        }
        self.dated[zone]
    }

    /// Add a resolved record to its cell and to the control totals.
    pub fn place(
        &mut self,
        model: &Model,
        key: CellKey,
        year: Option<u32>,
        r: &Record<'_>,
    ) -> Result<(), Msg> {
        let slot = self.slot(key);
        self.watch(model, slot, r);
        self.add_at(slot, year, r)
    }

    fn add_at(&mut self, slot: usize, year: Option<u32>, r: &Record<'_>) -> Result<(), Msg> {
        self.add_bulk(slot, year, r.metric, r.units, 1)
    }

    /// Add `records` records of `metric` summing to `total` units to the cell in `slot`
    /// (from `target`), all with the same year index.
    pub fn add_bulk(
        &mut self,
        slot: usize,
        year: Option<u32>,
        metric: usize,
        total: i128,
        records: u64,
    ) -> Result<(), Msg> {
        if records == 0 {
            return Ok(());
        }
        let cell = &mut self.slots[slot].1;
        cell.total = cell.total.checked_add(total).ok_or_else(|| msg!("E0310"))?;
        if cell.records == 0 {
            cell.year = year;
        } else if cell.year != year {
            cell.mixed_years = true;
            cell.year = None;
        }
        cell.records += records;
        self.add_input(metric, total)?;
        self.records += records;
        Ok(())
    }
}

/// The readers fill cells through `input::sink::Sink`, so that `input` knows nothing
/// of the engine.
impl crate::input::sink::Sink for Cells {
    fn add(&mut self, model: &Model, r: &Record<'_>) -> Result<(), Msg> {
        Cells::add(self, model, r)
    }
    fn target(&mut self, model: &Model, r: &Record<'_>) -> Result<(usize, Option<u32>), Msg> {
        Cells::target(self, model, r)
    }
    fn add_bulk(
        &mut self,
        slot: usize,
        year: Option<u32>,
        metric: usize,
        total: i128,
        records: u64,
    ) -> Result<(), Msg> {
        Cells::add_bulk(self, slot, year, metric, total, records)
    }
    fn merge(&mut self, other: Self) -> Result<(), Msg> {
        Cells::merge(self, other)
    }
    fn records(&self) -> u64 {
        self.records
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::parse_date;

    #[test]
    fn whole_years_is_year_index_on_integers() {
        use chrono::Datelike;
        for d in [
            "2014-04-01",
            "2020-02-29",
            "2024-02-29",
            "2025-01-01",
            "2025-03-31",
            "2026-01-01",
            "2016-02-29",
        ] {
            for p in [
                "2025-01", "2025-02", "2025-03", "2025-Q1", "2025-Q2", "2025", "2028-02", "2024-03",
            ] {
                let (a, per) = (parse_date(d).unwrap(), Period::parse(p).unwrap());
                let (f, l) = (per.first_day(), per.last_day());
                assert_eq!(
                    whole_years(
                        (a.year(), a.month(), a.day()),
                        (f.year(), f.month(), f.day()),
                        (l.year(), l.month(), l.day())
                    ),
                    year_index(a, per).ok(),
                    "{d} {p}"
                );
            }
        }
    }

    #[test]
    fn year_index_counts_whole_years_from_the_anchor() {
        let p = Period::parse("2024-03").unwrap();
        // 2019-03-01 + 5 y = 2024-03-01 ≤ first day → year 6.
        assert_eq!(year_index(parse_date("2019-03-01").unwrap(), p), Ok(6));
        // 2019-03-02 + 5 y = 2024-03-02 > 2024-03-01 → year 5.
        assert_eq!(year_index(parse_date("2019-03-02").unwrap(), p), Ok(5));
        // A period that contains the anchor is year 1.
        assert_eq!(year_index(parse_date("2024-03-15").unwrap(), p), Ok(1));
        assert!(year_index(parse_date("2024-04-01").unwrap(), p).is_err());
        // 29 February + 1 year = 28 February.
        let feb = Period::parse("2021-02").unwrap();
        assert_eq!(year_index(parse_date("2020-02-29").unwrap(), feb), Ok(1));
        let mar = Period::parse("2021-03").unwrap();
        assert_eq!(year_index(parse_date("2020-02-29").unwrap(), mar), Ok(2));
    }
}
