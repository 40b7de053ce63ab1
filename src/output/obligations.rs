//! `obligations.csv` (SPEC §14): `period,zone,kind,payer,payee,amount,cite`, written by
//! `run --out` whenever the configuration has a guarantee or a return (header-only
//! when none is due).

use super::csvtext::Table;
use crate::engine::Outcome;
use crate::engine::obligations::rows;
use crate::model::Model;
use crate::num::format_scaled;

/// Whether the configuration has any guarantee or return.
pub fn wanted(model: &Model) -> bool {
    model.zones.iter().any(|z| !z.obligations.is_empty())
}

pub fn render(model: &Model, outcome: &Outcome) -> String {
    let mut s = Table::new("period,zone,kind,payer,payee,amount,cite");
    // The obligations' own postings: the cells' are not needed here.
    let postings = crate::engine::obligations::postings(&outcome.obligations);
    for r in rows(model, &postings) {
        s.line([
            &r.period.to_string(),
            &r.zone,
            &r.kind,
            &r.payer,
            &r.payee,
            &format_scaled(r.amount.scaled, r.amount.decimals),
            &r.cite,
        ]);
    }
    s.finish()
}
