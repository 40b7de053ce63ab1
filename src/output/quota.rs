//! What `quota` writes and prints (SPEC §13.2): quota.csv, quota-transfers.csv,
//! quota-settlement.csv, and a table per year and metric for people, with the unit.

use super::csvtext::Table;
use super::totals::table;
use crate::engine::accounts::{Account, Accounts};
use crate::i18n::t;
use crate::model::Model;
use crate::num::format_scaled;

fn units(model: &Model, m: usize, u: i128) -> String {
    let q = &model.metrics[m].quantum;
    format_scaled(u * q.scaled, q.decimals)
}

pub fn render_accounts(model: &Model, a: &Accounts<'_>) -> String {
    let mut s = Table::new(
        "year,metric,party,allocated,transferred_in,transferred_out,used,exempt,headroom",
    );
    for r in &a.accounts {
        let f = |u| units(model, r.metric, u);
        s.line([
            r.year.to_string(),
            model.metrics[r.metric].id.clone(),
            r.party.clone(),
            f(r.allocated),
            f(r.transferred_in),
            f(r.transferred_out),
            f(r.used),
            f(r.exempt),
            f(r.headroom),
        ]);
    }
    s.finish()
}

pub fn render_transfers(model: &Model, a: &Accounts<'_>) -> String {
    let mut s = Table::new("date,metric,from,to,amount,price,value,entity,reference,kind");
    for m in &a.moved {
        let l = m.line;
        s.line([
            l.date.to_string(),
            model.metrics[l.metric].id.clone(),
            l.from.clone(),
            l.to.clone(),
            units(model, l.metric, l.units),
            l.price.map(|p| format_scaled(p, 2)).unwrap_or_default(),
            m.value.map(|v| format_scaled(v, 2)).unwrap_or_default(),
            l.entity.clone(),
            l.reference.clone(),
            m.kind.as_str().to_string(),
        ]);
    }
    s.finish()
}

pub fn render_settlement(a: &Accounts<'_>) -> String {
    let mut s = Table::new("year,payer,payee,amount");
    for p in &a.payments {
        s.line([
            &p.year.to_string(),
            &p.payer,
            &p.payee,
            &format_scaled(p.cents, 2),
        ]);
    }
    s.finish()
}

/// The accounts over quota: (account, shortfall text with unit).
pub fn over(model: &Model, a: &Accounts<'_>) -> Vec<(Account, String)> {
    a.accounts
        .iter()
        .filter(|r| r.headroom < 0)
        .map(|r| {
            (
                r.clone(),
                format!(
                    "{} {}",
                    units(model, r.metric, -r.headroom),
                    unit_of(model, r.metric)
                ),
            )
        })
        .collect()
}

/// A quota metric's unit in the reader's words (吨标准煤, 亩, 吨二氧化碳 …).
fn unit_of(model: &Model, m: usize) -> String {
    model.metrics[m].unit.clone()
}

/// The table for people: one block per year and metric, names beside ids, the unit
/// in the heading, an over-quota headroom marked.
pub fn table_text(model: &Model, a: &Accounts<'_>) -> String {
    let mut out = String::new();
    let mut blocks: Vec<(i32, usize)> = a.accounts.iter().map(|r| (r.year, r.metric)).collect();
    blocks.dedup();
    let header = [
        t("quota.party"),
        t("table.name"),
        t("quota.allocated"),
        t("quota.in"),
        t("quota.out"),
        t("quota.used"),
        t("quota.exempt"),
        t("quota.headroom"),
    ];
    for (y, m) in blocks {
        let metric = &model.metrics[m];
        let unit = unit_of(model, m);
        out.push_str(&crate::i18n::tf(
            "quota.block",
            &[
                ("year", y.to_string()),
                ("metric", metric.id.clone()),
                ("name", metric.name.clone()),
                ("unit", unit),
            ],
        ));
        out.push('\n');
        let rows: Vec<Vec<String>> = a
            .accounts
            .iter()
            .filter(|r| r.year == y && r.metric == m)
            .map(|r| {
                let f = |u| units(model, m, u);
                let mut head = f(r.headroom);
                if r.headroom < 0 {
                    head = format!("{head} {}", t("quota.over_mark"));
                }
                vec![
                    r.party.clone(),
                    model.party_name(&r.party).to_string(),
                    f(r.allocated),
                    f(r.transferred_in),
                    f(r.transferred_out),
                    f(r.used),
                    f(r.exempt),
                    head,
                ]
            })
            .collect();
        out.push_str(&table(
            &header,
            &rows,
            &[false, false, true, true, true, true, true, true],
        ));
        for mv in a
            .moved
            .iter()
            .filter(|x| x.line.metric == m && chrono::Datelike::year(&x.line.date) == y)
        {
            if let Some(rate) = &mv.rate {
                out.push_str(&crate::i18n::tf(
                    "quota.swap_rate",
                    &[
                        ("reference", mv.line.reference.clone()),
                        ("rate", rate.clone()),
                    ],
                ));
                out.push('\n');
            }
        }
        out.push('\n');
    }
    if a.accounts.is_empty() {
        out.push_str(t("quota.none"));
        out.push('\n');
    }
    out
}
