//! What `explain` shows of a cell (SPEC §6): the record of the computation — the
//! agreement and rule in force, levels, pools, deductions, each rounding step and who
//! got each leftover unit — as a `Trace` (serialised for `--format json`) and its text.
//! The command reads the files and selects the cell; this module only builds and
//! renders what the engine computed.
//!
//! `trace` is the document (its fields are what `--format json` prints), `build` fills
//! it from the engine's results and the records kept while reading, `steps` renders
//! each step the engine recorded (the year-to-date split, a level's rounding, a cap or
//! floor that binds, who got each leftover unit) and `text` is the page people read.

mod build;
mod steps;
mod text;
mod trace;

pub use build::{Kept, add_parts, books_trace, build, keep, year_text};
pub use steps::{alloc_rows, binding, level_part, level_trace, ytd_method};
pub use text::render_text;
pub use trace::*;
