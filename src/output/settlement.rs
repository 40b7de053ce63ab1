//! `settlement.csv`: the netted transfers of the engine (`engine::settle`), one line each.

use super::csvtext::cell;
use crate::engine::Outcome;
use crate::engine::settle::{Transfer, transfers};
use crate::model::Model;
use crate::num::format_scaled;

/// The file of `transfers`.
pub fn render_transfers(list: &[Transfer]) -> String {
    let mut s = String::from("period,payer,payee,amount\n");
    for t in list {
        s.push_str(&format!(
            "{},{},{},{}\n",
            cell(&t.period),
            cell(&t.payer),
            cell(&t.payee),
            format_scaled(t.amount, t.decimals)
        ));
    }
    s
}

pub fn render(model: &Model, outcome: &Outcome) -> String {
    render_transfers(&transfers(model, outcome))
}
