//! The trace of a cell as a document: what `explain --format json` prints (`trace_version`
//! 1) and what its text is rendered from.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Trace {
    pub trace_version: u32,
    pub period: String,
    pub period_days: String,
    pub zone: Named,
    pub host: Named,
    pub metric: MetricInfo,
    pub agreement: AgreementInfo,
    pub rule: RuleInfo,
    pub cells: Vec<CellTrace>,
    /// Summary figures of the period (all cells of the zone and metric together).
    pub summary: Vec<Amount>,
    /// The same figures in units of the metric's quantum, for what is computed from
    /// them (the books' part): never the text read back.
    #[serde(skip)]
    pub summary_units: Vec<(String, i128)>,
    /// With `--books`: what the books hold for the cell, the truth and the difference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub books: Option<BooksTrace>,
}

/// The cell against the books (SPEC §9): booked = the closing's summary plus every
/// adjustment booked for the period since; truth = what every record known now gives.
#[derive(Debug, Serialize)]
pub struct BooksTrace {
    /// The closing of the period, or null if it was never closed.
    pub closing: Option<String>,
    pub booked: Vec<Amount>,
    pub truth: Vec<Amount>,
    /// truth − booked: what the next closing books as an adjustment.
    pub adjustment: Vec<Amount>,
    /// Records of the cell that arrived after its closing (file:line).
    pub late: Vec<RecordTrace>,
    /// Of each adjustment, the part the standing inputs in use make (the booked lines
    /// alone recomputed, less what was booked: an amendment, SPEC §15) and the part of
    /// the late lines (the rest); absent when the standing inputs move nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Vec<Split>>,
}

/// One party's adjustment split into its late-lines part and its amendment part.
#[derive(Debug, Serialize)]
pub struct Split {
    pub party: String,
    pub late_lines: String,
    pub amendment: String,
}

#[derive(Debug, Serialize)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct MetricInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub quantum: String,
}

#[derive(Debug, Serialize)]
pub struct AgreementInfo {
    pub id: String,
    pub from: String,
    pub to: Option<String>,
    pub cite: Option<String>,
    pub declared_at: String,
    pub why: String,
}

#[derive(Debug, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub kind: String,
    pub declared_at: String,
    pub year_to_date: bool,
    pub floor: Vec<Amount>,
    pub cap: Vec<Amount>,
}

#[derive(Debug, Serialize)]
pub struct Amount {
    pub party: String,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordTrace {
    pub file: String,
    pub line: u64,
    pub entity: String,
    pub amount: String,
    pub entity_start: Option<String>,
    /// Year index from the anchor and the dates that define it.
    pub year: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CentralTrace {
    /// Shown in `levels`, where each part names its party.
    #[serde(skip)]
    pub party: String,
    pub ratio: String,
    pub exact: String,
    pub rounded: String,
    pub rounding: String,
}

/// One statutory level of a cell, with its party.
#[derive(Debug, Serialize)]
pub struct LevelTrace {
    pub party: String,
    #[serde(flatten)]
    pub part: CentralTrace,
}

#[derive(Debug, Serialize)]
pub struct AllocRow {
    pub party: String,
    pub ratio: String,
    pub exact_units: String,
    pub whole_units: String,
    pub leftover: bool,
    pub why: Option<String>,
    pub units: String,
    pub amount: String,
}

#[derive(Debug, Serialize)]
pub struct YtdInfo {
    /// How the rule treats the year-to-date total (base, tiers, floors, caps).
    pub method: String,
    pub ytd_before: String,
    pub ytd: String,
    pub allocation_before: Vec<Amount>,
    pub allocation: Vec<Amount>,
    /// What the cap and floor steps did at this year-to-date total, in words.
    pub binding: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CellTrace {
    pub phase: Option<String>,
    pub year_index: Option<u32>,
    pub records: Vec<RecordTrace>,
    pub total: String,
    pub central: Option<CentralTrace>,
    /// Every statutory level in force (`central` among them), each rounded on its own.
    pub levels: Vec<LevelTrace>,
    /// D, the cell's deductions, when it has any.
    pub deduction: Option<String>,
    pub shareable: String,
    pub shareable_units: String,
    /// The largest-remainder step: of T for proportional rules, of YTD for
    /// year-to-date rules.
    pub allocation_of: String,
    pub allocation: Vec<AllocRow>,
    pub leftover_units: String,
    pub ytd: Option<YtdInfo>,
    pub shares: Vec<Amount>,
    /// For a pool cell: each component cell, its levels and the T it gives the pool.
    pub components: Vec<ComponentTrace>,
    /// Each deduction line of the cell, with its reason and where it was read.
    pub deductions: Vec<DeductionTrace>,
    /// Which rule shares the cell, and why it applies (SPEC §8.4).
    pub rule: String,
}

#[derive(Debug, Serialize)]
pub struct ComponentTrace {
    pub metric: String,
    pub records: u64,
    pub total: String,
    pub levels: Vec<LevelTrace>,
    /// What the component gives the pool: its total less its levels.
    pub to_pool: String,
}

#[derive(Debug, Serialize)]
pub struct DeductionTrace {
    pub file: String,
    pub line: u64,
    pub entity: Option<String>,
    pub amount: String,
    pub reason: String,
}
