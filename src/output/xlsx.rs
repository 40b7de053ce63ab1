//! `run --xlsx FILE`: the outputs as an Excel workbook for finance offices.
//!
//! Sheets `summary`, `settlement` and (with `--detail`) `detail` (detail.csv's lines as
//! values, built from the records as detail.csv's are); party, zone and metric names
//! beside their ids; the header row frozen; columns fitted. Amounts are numbers
//! (a spreadsheet stores doubles; the exact figures are the CSV files) displayed with the
//! metric's decimals. Text goes in as plain strings, so an id like `=1+2` is never run
//! as a formula. The document date is fixed so the same run gives the same bytes.

use super::detail::DetailRow;
use super::summary::{amount, rows};
use crate::engine::Outcome;
use crate::engine::settle::transfers;
use crate::i18n::t;
use crate::model::Model;
use crate::num::format_scaled;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// Excel's last row; a larger detail does not fit a sheet.
const MAX_ROWS: u64 = 1_048_575;

fn num_format(decimals: u32) -> Format {
    let f = if decimals == 0 {
        "#,##0".to_string()
    } else {
        format!("#,##0.{}", "0".repeat(decimals as usize))
    };
    Format::new().set_num_format(f)
}

/// The bold header row, frozen; the widths seen so far start from it.
fn header(ws: &mut Worksheet, names: &[&str]) -> Result<Widths, XlsxError> {
    let bold = Format::new().set_bold();
    let mut widths = Widths::default();
    for (c, n) in names.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *n, &bold)?;
        widths.see(c as u16, n);
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(widths)
}

/// Column widths that fit what was written, counting a Chinese character as two
/// columns (the workbook's own autofit measures Latin text and would cut names such as
/// 阿坝藏族羌族自治州).
#[derive(Default)]
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, c: u16, text: &str) {
        let c = c as usize;
        if self.0.len() <= c {
            self.0.resize(c + 1, 0);
        }
        self.0[c] = self.0[c].max(super::totals::width(text));
    }
    fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (c, w) in self.0.iter().enumerate() {
            // Excel's unit is about one Latin character; a little margin for the
            // bold header and the filter arrow.
            ws.set_column_width(c as u16, (*w as f64 * 1.1 + 2.0).min(80.0))?;
        }
        Ok(())
    }
}

fn number(ws: &mut Worksheet, r: u32, c: u16, text: &str, decimals: u32) -> Result<(), XlsxError> {
    // The exact text is the CSV's; the cell holds the nearest double, shown at the
    // metric's decimals.
    let v: f64 = text.parse().unwrap_or(0.0);
    ws.write_number_with_format(r, c, v, &num_format(decimals))?;
    Ok(())
}

/// The detail sheet's lines: a feed calls `emit` with every line of the detail, in
/// detail.csv's order, and stops at its first error.
pub type Feed<'f> = &'f mut dyn FnMut(
    &mut dyn FnMut(DetailRow<'_>) -> Result<(), crate::i18n::Msg>,
) -> Result<(), crate::i18n::Msg>;

pub fn write(
    path: &Path,
    model: &Model,
    outcome: &Outcome,
    detail: Option<Feed<'_>>,
) -> Result<(), crate::i18n::Msg> {
    build(path, model, outcome, detail)
        .map_err(|e| crate::msg!("E0503", reason = e).prefixed(format!("{}: ", path.display())))
}

fn build(
    path: &Path,
    model: &Model,
    outcome: &Outcome,
    detail: Option<Feed<'_>>,
) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let zone_name = |id: &str| {
        model
            .zones
            .iter()
            .find(|z| z.id == id)
            .map_or("", |z| z.name.as_str())
            .to_string()
    };
    {
        let ws = wb.add_worksheet();
        ws.set_name(t("sheet.summary"))?;
        let head = [
            t("col.period"),
            t("col.zone"),
            t("col.zone_name"),
            t("col.metric"),
            t("col.metric_name"),
            t("col.party"),
            t("col.party_name"),
            t("col.amount"),
            t("col.unit"),
        ];
        let mut widths = header(ws, &head)?;
        // Σ units per metric, exactly, for the totals rows under the table.
        let mut totals: std::collections::BTreeMap<usize, i128> = Default::default();
        let mut r = 0u32;
        for (
            crate::ledger::FigureKey {
                period,
                zone,
                metric,
                party,
            },
            (units, m),
        ) in rows(model, outcome)
        {
            r += 1;
            let met = &model.metrics[m];
            *totals.entry(m).or_default() += units;
            let text = [
                period.to_string(),
                zone.clone(),
                zone_name(&zone),
                metric,
                met.name.clone(),
                party.clone(),
                model.party_name(&party).to_string(),
            ];
            for (c, text) in text.iter().enumerate() {
                ws.write_string(r, c as u16, text)?;
                widths.see(c as u16, text);
            }
            let a = amount(model, m, units);
            number(ws, r, 7, &a, met.quantum.decimals)?;
            widths.see(7, &a);
            ws.write_string(r, 8, &met.unit)?;
            widths.see(8, &met.unit);
        }
        // One totals row per metric (amounts of different units are never added),
        // after a blank row so that a filter or a sort on the table leaves them out.
        let bold = Format::new().set_bold();
        r += 1;
        for (m, units) in totals {
            r += 1;
            let met = &model.metrics[m];
            ws.write_string_with_format(r, 0, t("table.total"), &bold)?;
            ws.write_string(r, 3, &met.id)?;
            ws.write_string(r, 4, &met.name)?;
            let a = amount(model, m, units);
            let v: f64 = a.parse().unwrap_or(0.0);
            ws.write_number_with_format(r, 7, v, &num_format(met.quantum.decimals).set_bold())?;
            widths.see(7, &a);
            ws.write_string(r, 8, &met.unit)?;
        }
        widths.apply(ws)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name(t("sheet.settlement"))?;
        let head = [
            t("col.period"),
            t("col.payer"),
            t("col.payer_name"),
            t("col.payee"),
            t("col.payee_name"),
            t("col.amount"),
            t("col.unit"),
        ];
        let mut widths = header(ws, &head)?;
        // Settlements are of money: the unit the tax metrics are written in (as on the
        // summary sheet), 元 when none says.
        let money_unit = model
            .metrics
            .iter()
            .find(|m| m.kind == crate::model::MetricKind::Tax && !m.unit.is_empty())
            .map_or_else(|| t("unit.yuan"), |m| m.unit.as_str());
        for (i, tr) in transfers(model, outcome).into_iter().enumerate() {
            let r = i as u32 + 1;
            for (c, text) in [
                tr.period.clone(),
                tr.payer.clone(),
                model.party_name(&tr.payer).to_string(),
                tr.payee.clone(),
                model.party_name(&tr.payee).to_string(),
            ]
            .iter()
            .enumerate()
            {
                ws.write_string(r, c as u16, text)?;
                widths.see(c as u16, text);
            }
            let a = format_scaled(tr.amount, tr.decimals);
            number(ws, r, 5, &a, tr.decimals)?;
            widths.see(5, &a);
            ws.write_string(r, 6, money_unit)?;
        }
        widths.apply(ws)?;
    }
    if let Some(feed) = detail {
        let ws = wb.add_worksheet();
        ws.set_name(t("sheet.detail"))?;
        // detail.csv's columns, in the reader's language (the CSV keeps its own names).
        let shown: Vec<String> = super::detail::columns()
            .map(|n| crate::i18n::word("col", n))
            .collect();
        let mut widths = header(ws, &shown.iter().map(String::as_str).collect::<Vec<_>>())?;
        let mut r = 0u32;
        let mut failed = None;
        let fed = feed(&mut |row| {
            if u64::from(r) >= MAX_ROWS {
                return Err(crate::msg!("E0504", max = MAX_ROWS));
            }
            r += 1;
            let (units, decimals) = row.amount;
            let texts = [
                row.line.to_string(),
                row.period.to_string(),
                row.zone.to_string(),
                row.entity.to_string(),
                row.metric.to_string(),
                format_scaled(units, decimals),
                row.party.to_string(),
                row.ratio.to_string(),
                row.exact_share,
                row.rule.to_string(),
                row.agreement.to_string(),
                row.file.to_string(),
            ];
            let mut put = || -> Result<(), XlsxError> {
                for (c, text) in texts.iter().enumerate() {
                    widths.see(c as u16, text);
                    // The amount as a number at its metric's decimals; every other
                    // field a string cell (never a formula: no guard needed).
                    if c == 5 {
                        number(ws, r, 5, text, decimals)?;
                    } else {
                        ws.write_string(r, c as u16, text)?;
                    }
                }
                Ok(())
            };
            put().map_err(|e| {
                failed = Some(e);
                crate::msg!("E0503", reason = "")
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        fed.map_err(|m| XlsxError::ParameterError(m.text))?;
        widths.apply(ws)?;
    }
    wb.save(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Widths;

    #[test]
    fn a_chinese_name_counts_two_columns_per_character() {
        let mut w = Widths::default();
        w.see(0, "aba");
        w.see(0, "阿坝藏族羌族自治州");
        w.see(2, "12345.67");
        // 9 characters × 2 columns = 18; "12345.67" is 8; column 1 saw nothing.
        assert_eq!(w.0, vec![18, 0, 8]);
    }
}
