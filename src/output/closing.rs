//! The files and the report of a closing of the books (SPEC §9.1): `summary.csv` of a
//! period (the truth's rows), `adjustments.csv`, `settlement.csv` (§5 netting, with
//! the adjustments in the first new closing) and what `close` prints.

use crate::engine::books::{Adjustment, FigureKey, Figures, ObligationRow};
use crate::model::Model;
use crate::msg;
use crate::output::csvtext::Table;
use crate::output::{settlement, summary};
use crate::period::Period;

/// `summary.csv` of period `p`: the truth's rows of `p`, as `run` writes them.
pub fn summary_of(model: &Model, truth: &Figures, p: Period) -> String {
    let mut s = Table::new("period,zone,metric,party,amount");
    let from = FigureKey {
        period: p,
        zone: String::new(),
        metric: String::new(),
        party: String::new(),
    };
    for (
        FigureKey {
            period: q,
            zone: z,
            metric: m,
            party,
        },
        (u, mi),
    ) in truth.range(from..)
    {
        if *q != p {
            break;
        }
        s.line([
            &q.to_string(),
            z,
            m,
            party,
            &summary::amount(model, *mi, *u),
        ]);
    }
    s.finish()
}

/// `adjustments.csv`: period,adjusts,zone,metric,party,amount.
pub fn adjustments_of(
    model: &Model,
    adjustments: &[Adjustment],
    p: Period,
    with_rows: bool,
) -> String {
    let mut s = Table::new("period,adjusts,zone,metric,party,amount");
    if with_rows {
        for a in adjustments {
            s.line([
                &p.to_string(),
                &a.adjusts.to_string(),
                &a.zone,
                &a.metric,
                &a.party,
                &summary::amount(model, a.metric_index, a.units),
            ]);
        }
    }
    s.finish()
}

/// The books' `obligations.csv` of closing `p` (SPEC §14):
/// `period,adjusts,zone,kind,payer,payee,amount,cite`.
pub fn obligations_of(rows: &[ObligationRow], p: Period, decimals: u32) -> String {
    let mut s = Table::new("period,adjusts,zone,kind,payer,payee,amount,cite");
    for r in rows.iter().filter(|r| r.period == p) {
        s.line([
            &r.period.to_string(),
            &r.adjusts.map(|a| a.to_string()).unwrap_or_default(),
            &r.zone,
            &r.kind,
            &r.payer,
            &r.payee,
            &crate::num::format_scaled(r.amount, decimals),
            &r.cite,
        ]);
    }
    s.finish()
}

/// `settlement.csv` of `p` (`engine::books::settlement_of`).
pub fn settlement_of(
    model: &Model,
    truth: &Figures,
    adjustments: &[Adjustment],
    p: Period,
    with_adjustments: bool,
    obligations: (&[ObligationRow], u32),
) -> String {
    settlement::render_transfers(&crate::engine::books::settlement_of(
        model,
        truth,
        adjustments,
        p,
        with_adjustments,
        obligations,
    ))
}

/// What `close` prints: the periods closed and the adjustments booked.
pub fn report(
    model: &Model,
    closes: &[Period],
    truth: &Figures,
    adjustments: &[Adjustment],
    obligations: (&[ObligationRow], u32),
    provisional: bool,
) -> String {
    let mut s = String::new();
    for (i, p) in closes.iter().enumerate() {
        let rows = truth.keys().filter(|k| k.period == *p).count();
        // A provisional run never says "closed" (已结账): nothing was booked.
        s.push_str(
            &if provisional {
                msg!("E0453", period = p, rows = rows)
            } else {
                msg!("E0425", period = p, rows = rows)
            }
            .text,
        );
        if i == 0 {
            s.push_str(&msg!("E0426", rows = adjustments.len()).text);
        }
        s.push('\n');
    }
    for a in adjustments {
        s.push_str(&format!(
            "  {} {} {} {} {}: {}\n",
            crate::i18n::t("books.adjusts"),
            a.adjusts,
            a.zone,
            a.metric,
            a.party,
            summary::amount(model, a.metric_index, a.units)
        ));
    }
    for r in obligations.0 {
        s.push_str(&format!(
            "  {} {} {} {} {} → {}: {}\n",
            crate::i18n::t(if r.adjusts.is_some() {
                "books.obligation_adjusts"
            } else {
                "books.obligation"
            }),
            r.adjusts.unwrap_or(r.period),
            r.zone,
            crate::i18n::t(&format!("kind.{}", r.kind)),
            r.payer,
            r.payee,
            crate::num::format_scaled(r.amount, obligations.1)
        ));
    }
    s
}
