//! Inputs: record files (CSV, any column order, UTF-8 or GB18030), deductions, entities,
//! workbooks and the books as read back.
//!
//! The reader turns text into `Record` values that refer to the model by index; it
//! reports every bad line (up to a limit) rather than the first one only.

pub mod amount;
mod blocks;
pub mod books;
pub mod deductions;
pub mod entities;
pub mod expect;
mod fastrow;
pub mod gb18030;
mod masks;
pub mod profile;
pub mod quota;
pub mod recorded;
pub mod records;
pub mod route;
pub mod sink;
pub mod stream;
pub mod table;
pub mod text;
pub mod xlsx;

pub use deductions::{Deduction, Deductions};
pub use records::{Encoding, Record, RecordsError, read_records};
