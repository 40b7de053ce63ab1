//! One currency after the engine (ARCHITECTURE.md, "One currency"): every figure the
//! engine produces is a `Posting` — which account, where (period, zone), whose (party),
//! how much (integer units of the account's quantum) and why (its `Cause`). The outputs
//! fold postings (`summary.csv` sums them per period, zone, metric and party; the
//! settlement nets the shares of tax metrics) rather than each re-deriving its figures
//! from the engine's working state.
//!
//! The cells' figures and the obligations (SPEC §14: a guarantee's top-up, a fixed
//! return) are postings; an obligation is posted twice, + to the payee and − to the
//! payer, so that a party's figures add up to what it receives net. A region's quota
//! account (§13.2) is postings too: + its allotments, ± each transfer (posted to both
//! sides, so that a year's transfers add up to nothing), − its use; its headroom is
//! their sum, and quota.csv is their fold (`engine::accounts::build`). The books'
//! adjustments (§9, §15) are typed (`FigureKey`, truth − booked) but not yet postings.

use crate::period::Period;
use std::collections::BTreeMap;

/// Where a figure of the outputs and the books stands (SPEC §5): its period, and its
/// zone, metric and party by id — ids rather than indices, since the books keep the
/// figures of every closing, some of ids a later configuration no longer has. Sorted
/// as summary.csv lists them: period, zone, metric, party.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FigureKey {
    pub period: Period,
    pub zone: String,
    pub metric: String,
    pub party: String,
}

/// Figures in units of their metric's quantum, with the metric's index: the summary's
/// rows as computed (`output::summary::rows`), and as the books hold them.
pub type Figures = BTreeMap<FigureKey, (i128, usize)>;

/// What a posting counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Account {
    /// A metric's figure, or a pool's (index into `Model::metrics`).
    Metric(usize),
    /// Money owed apart from any cell (SPEC §14), in units of 10^−`decimals` of the
    /// currency: `kind` is `guarantee` or `return`.
    Obligation { kind: &'static str, decimals: u32 },
    /// A region's quota of a metric (SPEC §13.2), in units of the metric's quantum.
    /// Held per region across zones: its postings have no zone.
    Quota(usize),
}

/// Why a posting exists: what an auditor follows back to the agreement and the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// A party's share of a cell under a rule: the agreement and rule (indices in the
    /// zone) and the cell's phase or year (`CellKey::sub`).
    Rule {
        agreement: usize,
        rule: usize,
        phase: u32,
    },
    /// A statutory level's part of a cell (central, a province), before sharing.
    Level,
    /// D, the cell's deduction lines (their groups in the run's `Deductions`).
    Deduction { groups: Vec<usize> },
    /// An obligation of the zone (index in `Zone::obligations`) for the year ending in
    /// the posting's period, owed by `payer` to `payee`; the posting is one of its two
    /// sides (the party is one of the two).
    Obligation {
        obligation: usize,
        payer: String,
        payee: String,
    },
    /// A line of the allocations file (SPEC §13.2): quota allotted to the party.
    Allotment { file: String, line: u64 },
    /// A line of the transfers file, of its kind (swap, relocation, purchase,
    /// transfer): posted + to `to` and − to `from`.
    Transfer {
        file: String,
        line: u64,
        kind: &'static str,
        from: String,
        to: String,
    },
    /// What the region used: its share of what its zones consumed, without the
    /// exempt entities' lines (posted −).
    Use,
    /// The exempt entities' part of the region's share (posted −): reported beside
    /// the use, not counted against the headroom.
    Exempt,
}

/// One figure of the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub period: Period,
    /// The zone (index into `Model::zones`); `None` for a quota posting, which is
    /// the region's across its zones.
    pub zone: Option<usize>,
    pub account: Account,
    /// A party id, a level party (`central`, …) or `deduction`.
    pub party: String,
    /// Integer units of the account's quantum.
    pub units: i128,
    pub cause: Cause,
}
