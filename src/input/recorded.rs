//! The paths a manifest recorded, found again: `paths` holds each input relative to the
//! manifest's directory, so `verify` and `statement` work from any directory and keep
//! the spelling the run was given in their messages.

use crate::manifest::Manifest;
use std::path::Path;

/// A path as the run was given it, found from the manifest's directory `dir`; the path
/// as given when it is not found there but exists as given. A workbook's `:sheet`
/// suffix is kept.
pub fn locate(m: &Manifest, dir: &Path, given: &str) -> String {
    let (file, sheet) = super::xlsx::split_sheet(&crate::pathtext::parse(given));
    let Some(rel) = m.paths.get(given) else {
        return given.to_string();
    };
    let found = dir.join(crate::pathtext::parse(rel));
    if !found.exists() && file.exists() {
        return given.to_string();
    }
    match sheet {
        Some(s) => format!("{}:{s}", crate::pathtext::show(&found)),
        None => crate::pathtext::show(&found),
    }
}
