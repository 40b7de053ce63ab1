//! Deduction files (`--deductions`, SPEC §8.2): amounts paid out of a zone's local part
//! before its parties share it — enterprise awards (奖补), tax returns (返还), the cost of
//! collection (征收成本). Each line names the cell it reduces; the engine places it.

use super::amount::parse_units;
use super::records::Encoding;
use super::records::{lookup_metric, lookup_zone, run_period};
use super::table::{self, Column};
use crate::diag::{Diag, Msg};
use crate::model::Model;
use crate::period::{Granularity, Period};

/// One deduction line as read: what traces and messages show.
#[derive(Debug, Clone, Copy)]
pub struct Deduction<'a> {
    /// The file as given, and the line in it.
    pub file: &'a str,
    pub line: u64,
    pub period: Period,
    pub zone: usize,
    /// The metric the rule shares (a pool, when pooled).
    pub metric: usize,
    pub units: i128,
    pub entity: Option<&'a str>,
    pub reason: &'a str,
}

/// Lines that reduce the same thing — one (period, zone, metric, entity) — form a
/// *group*: the engine places a group once and adds its sum; traces list its lines.
#[derive(Debug, Clone)]
pub struct Group {
    pub period: Period,
    pub zone: usize,
    pub metric: usize,
    pub entity: Option<Box<str>>,
    /// Σ of its lines' amounts, in the metric's quantum.
    pub units: i128,
}

/// A line, small: a million of them take 24 MB (the reasons one text beside them).
#[derive(Debug, Clone, Copy)]
struct Line {
    /// The amount, when it fits (`Deductions::big` holds those that do not).
    units: i64,
    group: u32,
    file: u32,
    line: u32,
    /// End of its reason in `Deductions::reasons` (it starts where the previous ends).
    reason_end: u32,
}

type GroupKey = (Period, usize, usize, Option<Box<str>>);

/// The deduction lines of a run, kept compact and grouped (`Group`). A file of a
/// million lines is held in tens of MB, not hundreds.
#[derive(Debug, Clone, Default)]
pub struct Deductions {
    files: Vec<std::sync::Arc<str>>,
    groups: Vec<Group>,
    index: rustc_hash::FxHashMap<GroupKey, u32>,
    lines: Vec<Line>,
    big: rustc_hash::FxHashMap<u32, i128>,
    reasons: String,
}

impl Deductions {
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Add a line. `None` once the lines, their numbers or reasons outgrow an index of
    /// 32 bits (4 billion lines, 4 GiB of reasons): the file must be split.
    pub fn push(&mut self, d: Deduction<'_>) -> Option<()> {
        let index = u32::try_from(self.lines.len()).ok()?;
        let line = u32::try_from(d.line).ok()?;
        let reason_end = u32::try_from(self.reasons.len() + d.reason.len()).ok()?;
        let file = match self.files.iter().rposition(|f| &**f == d.file) {
            Some(i) => i,
            None => {
                self.files.push(d.file.into());
                self.files.len() - 1
            }
        };
        let key: GroupKey = (d.period, d.zone, d.metric, d.entity.map(Box::from));
        let group = match self.index.get(&key) {
            Some(&g) => g,
            None => {
                let g = u32::try_from(self.groups.len()).ok()?;
                self.groups.push(Group {
                    period: d.period,
                    zone: d.zone,
                    metric: d.metric,
                    entity: key.3.clone(),
                    units: 0,
                });
                self.index.insert(key, g);
                g
            }
        };
        let g = &mut self.groups[group as usize];
        g.units = g.units.checked_add(d.units)?;
        let units = match i64::try_from(d.units) {
            Ok(u) => u,
            Err(_) => {
                self.big.insert(index, d.units);
                0
            }
        };
        self.reasons.push_str(d.reason);
        self.lines.push(Line {
            units,
            group,
            file: file as u32,
            line,
            reason_end,
        });
        Some(())
    }

    /// Give back what the growing lines reserved and did not use.
    pub fn shrink_to_fit(&mut self) {
        self.lines.shrink_to_fit();
        self.reasons.shrink_to_fit();
    }

    /// Line `i` (in the order read) and its group.
    pub fn get(&self, i: usize) -> Option<(Deduction<'_>, usize)> {
        let l = self.lines.get(i)?;
        let g = self.groups.get(l.group as usize)?;
        let start = i
            .checked_sub(1)
            .map_or(0, |p| self.lines[p].reason_end as usize);
        Some((
            Deduction {
                file: self.files.get(l.file as usize).map_or("", |f| f),
                line: u64::from(l.line),
                period: g.period,
                zone: g.zone,
                metric: g.metric,
                units: match self.big.get(&(i as u32)) {
                    Some(&u) => u,
                    None => i128::from(l.units),
                },
                entity: g.entity.as_deref(),
                reason: self.reasons.get(start..l.reason_end as usize).unwrap_or(""),
            },
            l.group as usize,
        ))
    }

    /// Every line in the order read, with its group.
    pub fn iter(&self) -> impl Iterator<Item = (Deduction<'_>, usize)> + '_ {
        (0..self.lines.len()).filter_map(|i| self.get(i))
    }

    /// The lines of `other` after these, its groups after these groups (group `g` of
    /// `other` becomes `self.groups().len() + g`, even where a group here reduces the
    /// same thing: a group is placed once, in the pass that read it). `None` as for
    /// `push`.
    pub fn extend(&mut self, other: Deductions) -> Option<()> {
        let groups = u32::try_from(self.groups.len()).ok()?;
        let lines = u32::try_from(self.lines.len()).ok()?;
        let reasons = u32::try_from(self.reasons.len()).ok()?;
        u32::try_from(self.lines.len() + other.lines.len()).ok()?;
        u32::try_from(self.reasons.len() + other.reasons.len()).ok()?;
        let files: Vec<u32> = other
            .files
            .iter()
            .map(|f| match self.files.iter().position(|x| x == f) {
                Some(i) => i as u32,
                None => {
                    self.files.push(f.clone());
                    self.files.len() as u32 - 1
                }
            })
            .collect();
        self.lines.extend(other.lines.iter().map(|l| Line {
            group: l.group + groups,
            file: files[l.file as usize],
            reason_end: l.reason_end + reasons,
            ..*l
        }));
        self.big
            .extend(other.big.into_iter().map(|(i, u)| (i + lines, u)));
        self.reasons.push_str(&other.reasons);
        for (i, g) in other.groups.into_iter().enumerate() {
            let key: GroupKey = (g.period, g.zone, g.metric, g.entity.clone());
            self.index.insert(key, groups + i as u32);
            self.groups.push(g);
        }
        Some(())
    }
}

const COLUMNS: [Column; 6] = [
    Column {
        name: "period",
        alias: "期间",
        required: true,
    },
    Column {
        name: "zone",
        alias: "园区",
        required: true,
    },
    Column {
        name: "metric",
        alias: "指标",
        required: true,
    },
    Column {
        name: "amount",
        alias: "金额",
        required: true,
    },
    Column {
        name: "entity",
        alias: "企业",
        required: false,
    },
    Column {
        name: "reason",
        alias: "事由",
        required: false,
    },
];

/// Read one deduction file (bytes in memory, or streamed from its path); every bad
/// line is reported. The granularity of the lines is checked against `granularity`
/// (fixed by the first line seen, of records or deductions). Gives the SHA-256 of the
/// file's bytes, or the problems.
pub fn read(
    shown: &str,
    source: table::Source<'_>,
    encoding: Encoding,
    model: &Model,
    granularity: &mut Option<(Granularity, String)>,
    out: &mut Deductions,
) -> Result<String, Vec<Diag>> {
    let mut problems = Vec::new();
    let sha = table::each(shown, source, encoding, &COLUMNS, &mut |line, v| {
        let l = line as usize;
        let mut bad = false;
        let mut report = |field: &str, msg: Msg| {
            problems.push(Diag::new(shown, l, field, msg));
            bad = true;
        };
        let period = run_period(v[0], granularity, || format!("{shown}:{l}"))
            .map_err(|m| report("period", m))
            .ok();
        let zone = lookup_zone(model, v[1]).map_err(|m| report("zone", m)).ok();
        let metric = lookup_metric(model, v[2])
            .map_err(|m| report("metric", m))
            .ok();
        let units = metric.and_then(|m| match parse_units(v[3], &model.metrics[m].quantum) {
            Ok(u) => Some(u),
            Err(msg) => {
                report("amount", msg);
                None
            }
        });
        if bad || !problems.is_empty() {
            // Once a line is bad nothing is used: keep no more lines.
            return;
        }
        let (Some(period), Some(zone), Some(metric), Some(units)) = (period, zone, metric, units)
        else {
            return;
        };
        let pushed = out.push(Deduction {
            file: shown,
            line,
            period,
            zone,
            metric,
            units,
            entity: (!v[4].is_empty()).then_some(v[4]),
            reason: v[5],
        });
        if pushed.is_none() {
            problems.push(Diag::new(shown, l, "", crate::msg!("E0239")));
        }
    });
    match sha {
        Ok(sha) if problems.is_empty() => Ok(sha),
        Ok(_) => Err(problems),
        Err(d) => {
            problems.extend(d);
            Err(problems)
        }
    }
}

/// Deductions of entity-anchored rules find their cell through the entity's records:
/// mark those entities, so the readers remember where their records go.
pub fn watch_entities(model: &mut Model, deductions: &Deductions) {
    for d in deductions.groups() {
        let Some(e) = &d.entity else { continue };
        let zone = &model.zones[d.zone];
        let Ok(a) = zone.agreement_for(d.period) else {
            continue;
        };
        let ag = &zone.agreements[a];
        let anchored = ag.rule_for_metric.get(&d.metric).is_some_and(|c| {
            c.specific
                .iter()
                .chain(c.default.iter())
                .any(|&r| ag.rules[r].anchor() == Some(crate::model::Anchor::EntityStart))
        });
        if anchored {
            model.watch.insert(e.to_string());
        }
    }
    if !model.watch.is_empty() {
        model.needs_entity = true;
    }
}
