//! Outputs: the CSV files of SPEC §5 and the totals printed by `run`.
//!
//! Every output is rendered to bytes first and written by `atomic::write_all` only
//! once the whole run has succeeded, so a failed run never leaves a partial file.

pub mod assessment;
pub mod atomic;
pub mod capital;
pub mod chart;
pub mod closing;
pub mod compare;
pub mod csvtext;
pub mod detail;
pub mod difference;
pub mod explain;
pub mod hashing;
pub mod inventory;
pub mod obligations;
pub mod projection;
pub mod quota;
pub mod quota_chart;
pub mod settlement;
pub mod statement;
pub mod summary;
pub mod sweep;
pub mod text;
pub mod totals;
pub mod xlsx;
