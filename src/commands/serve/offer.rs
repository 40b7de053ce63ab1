//! An offer taken away from the workbench: as a scenario file (`--scenario`, with the
//! offer's overrides as `set = [...]`) or as a workbook.

#![allow(clippy::result_large_err)]

use super::*;
use crate::config::overlay::SetOp;
use crate::model::Model;

/// The offer as a scenario file: `run --scenario` on it gives the same figures.
pub(super) fn offer_toml(req: &OfferReq) -> Result<String, crate::i18n::Msg> {
    if req.set.len() > MAX_SETS {
        return Err(crate::msg!("E0678", max = MAX_SETS));
    }
    for s in &req.set {
        SetOp::parse(s)?;
    }
    let name: String = req
        .name
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    let list: Vec<String> = req
        .set
        .iter()
        .map(|s| format!("  {},", toml_string(s)))
        .collect();
    Ok(format!(
        "# Offer \"{}\" from the fencheng workbench: the signed configuration with these\n# values changed (each ratio rescales the others of its table, as --set does).\n# fencheng run --config … --records … --scenario this-file.toml\nset = [\n{}\n]\n",
        name.replace('"', "'"),
        list.join("\n")
    ))
}

pub(super) fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The offer's run as a workbook, in memory (a temporary file that is removed).
pub(super) fn workbook(app: &App, model: &Model) -> Result<Vec<u8>, crate::i18n::Msg> {
    let mut m = model.clone();
    let (cells, _) =
        super::super::read_cells(&mut m, app.eval.inputs(), 100).map_err(|e| e.to_msg())?;
    let outcome =
        crate::engine::compute(&m, &cells).map_err(|e| crate::error::Error::from(e).to_msg())?;
    let io = |e: std::io::Error| crate::msg!("E0503", reason = crate::i18n::io_reason(&e));
    let tmp = tempfile::NamedTempFile::new().map_err(io)?;
    crate::output::xlsx::write(tmp.path(), &m, &outcome, None)?;
    std::fs::read(tmp.path()).map_err(io)
}
