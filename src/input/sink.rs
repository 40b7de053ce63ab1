//! What the readers hand their records to, so that `input` knows nothing of what
//! becomes of them: the renderer of detail lines (`Render`, implemented by
//! `output::detail`) and the byte path's view of the fields of a row (`Fields`).

use super::Record;
use crate::diag::Msg;
use crate::model::Model;

/// Where the readers put records: the engine's cells implement it. The byte path
/// finds a record's cell once per distinct raw key (`target`) and adds each key's sum
/// at once (`add_bulk`); every other record goes through `add`. Each worker fills its
/// own sink; `merge` joins them exactly.
pub trait Sink: Default + Send {
    /// Place one record.
    fn add(&mut self, model: &Model, r: &Record<'_>) -> Result<(), Msg>;
    /// The slot of a record's cell and its year index, or why it has none.
    fn target(&mut self, model: &Model, r: &Record<'_>) -> Result<(usize, Option<u32>), Msg>;
    /// Add `records` records of `metric` summing to `total` units to slot `slot`.
    fn add_bulk(
        &mut self,
        slot: usize,
        year: Option<u32>,
        metric: usize,
        total: i128,
        records: u64,
    ) -> Result<(), Msg>;
    /// Everything `other` holds, added.
    fn merge(&mut self, other: Self) -> Result<(), Msg>;
    /// Records placed so far.
    fn records(&self) -> u64;
}

/// The fields `period,zone,entity,metric,amount` of a record, for `Render::lines`.
pub enum Fields<'a> {
    /// The row's own bytes `block[fields]`, when they are already written as an
    /// output writes them (see `Lines`): no quotes, commas or line breaks inside a
    /// field. The renderer still checks the entity `block[entity]`, which may look
    /// like a formula to a spreadsheet. (The whole block is there so that the bytes
    /// can be copied in one fixed-size chunk.)
    Raw {
        block: &'a [u8],
        fields: std::ops::Range<usize>,
        entity: std::ops::Range<usize>,
    },
    /// Anything else: the renderer writes the record's values.
    Record(&'a Record<'a>),
}

/// How records turn into output bytes on a worker (detail.csv). A record's cell is
/// found once per distinct raw key (`cell`, `verbatim`); `lines` runs for every record.
pub trait Render<S>: Sync {
    /// The renderer's cell of a record (`None`: the record has no lines), or why the
    /// record fits no cell; `cells` resolves and caches.
    fn cell(&self, cells: &mut S, r: &Record<'_>) -> Result<Option<u32>, Msg>;
    /// Whether the record's period, zone and metric are written as these bytes.
    fn verbatim(&self, r: &Record<'_>, period: &[u8], zone: &[u8], metric: &[u8]) -> bool;
    /// Append the lines of a record of `cell`: line number `line`, amount `units`.
    fn lines(&self, out: &mut Vec<u8>, cell: u32, line: u64, units: i128, fields: Fields<'_>);
    /// The most lines one record can give (it sizes the blocks, so that what is in
    /// flight stays small however many parties share a cell).
    fn most_lines(&self) -> usize;
}
