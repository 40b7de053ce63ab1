//! Configuration: TOML files → validated `Model`.
//!
//! `schema` holds the serde types, `load` reads one file or a directory, merges the
//! files key by key and validates everything at once, so `check` can list every
//! problem in one pass.

pub mod diff;
pub mod load;
pub mod overlay;
pub mod schema;

pub use load::{ConfigError, load};
