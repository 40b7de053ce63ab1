//! `settlement.csv`: the netted transfers of the engine (`engine::settle`), one line each.

use super::csvtext::Table;
use crate::engine::Outcome;
use crate::engine::settle::{Transfer, transfers};
use crate::model::Model;
use crate::num::format_scaled;

/// The file of `transfers`.
pub fn render_transfers(list: &[Transfer]) -> String {
    let mut s = Table::new("period,payer,payee,amount");
    for t in list {
        s.line([
            t.period.as_str(),
            &t.payer,
            &t.payee,
            &format_scaled(t.amount, t.decimals),
        ]);
    }
    s.finish()
}

pub fn render(model: &Model, outcome: &Outcome) -> String {
    render_transfers(&transfers(model, outcome))
}
