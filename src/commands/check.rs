//! `fencheng check`: every problem in the configuration and the records, at once.

use super::read_cells;
use crate::cli::{CheckArgs, Inputs};
use crate::diag::Diag;
use crate::engine::{EngineError, compute};
use crate::error::Error;
use crate::output::totals::Format;

pub fn check(a: &CheckArgs) -> Result<String, Error> {
    let format = a.format;
    let result = check_all(&a.inputs, a.limit, (&a.allocations, &a.transfers));
    if format != Format::Json {
        return result;
    }
    let (ok, report, problems): (bool, String, Vec<Diag>) = match result {
        Ok(r) => (true, r, Vec::new()),
        Err(Error::Config(c)) => (false, String::new(), c.0),
        Err(Error::Records(d, _)) => (false, String::new(), d),
        Err(Error::Engine(EngineError::Cells(d))) => (false, String::new(), d),
        // A file that cannot be read is located by its path, like every other problem.
        Err(Error::RecordsIo(crate::input::RecordsError::Io { path, source })) => (
            false,
            String::new(),
            vec![Diag::new(
                &path,
                0,
                "",
                crate::msg!("E0222", reason = crate::i18n::io_reason(&source)),
            )],
        ),
        Err(e) => (false, String::new(), vec![Diag::new("", 0, "", e.to_msg())]),
    };
    let list: Vec<serde_json::Value> = problems
        .iter()
        .map(|d| {
            // The code is what a program matches on; the message is for people.
            let code = (!d.code.is_empty()).then_some(d.code);
            // Where a long explanation exists, the command that prints it.
            let help = code
                .filter(|c| crate::i18n::explanations::of(c).is_some())
                .map(|c| format!("fencheng help {c}"));
            let mut v = serde_json::json!({"file": d.file, "line": d.line, "field": d.field, "code": code, "message": d.message});
            if let Some(h) = help {
                v["help"] = serde_json::Value::String(h);
            }
            v
        })
        .collect();
    let doc = serde_json::json!({"ok": ok, "report": report.trim_end(), "problems": list});
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    if ok {
        Ok(text)
    } else {
        Err(Error::Json(text, 1))
    }
}

/// The quota files of `check --allocations/--transfers`.
type QuotaPaths<'a> = (&'a [std::path::PathBuf], &'a [std::path::PathBuf]);

fn check_all(inputs: &Inputs, limit: usize, quota: QuotaPaths<'_>) -> Result<String, Error> {
    // Every problem at once: the configuration's, and the records' against as much of
    // the configuration as could be read.
    let (model, config_diags) = crate::config::load::load_for_check(&inputs.config);
    let Some(mut model) = model else {
        return Err(Error::Config(crate::config::ConfigError(config_diags)));
    };
    let mut report = String::new();
    if config_diags.is_empty() {
        let versions: usize = model.zones.iter().map(|z| z.agreements.len()).sum();
        report = format!(
            "{}\n",
            crate::msg!(
                "E0639",
                parties = model.parties.len(),
                metrics = model.metrics.len(),
                zones = model.zones.len(),
                versions = versions
            )
        );
    }
    let mut diags = config_diags;
    let config_ok = diags.is_empty();
    // The quota files, as `quota` reads them: their lines, and the shapes a metric
    // with accounts may not have (SPEC §13.2).
    let mut with_accounts = std::collections::BTreeSet::new();
    if !quota.0.is_empty() || !quota.1.is_empty() {
        match super::quota::read_quota_files(&model, quota.0, quota.1, inputs.encoding) {
            Ok((allocations, transfers, _)) => {
                with_accounts = super::quota::with_accounts(&allocations, &transfers);
                match super::quota::refuse_shapes(&model, &with_accounts) {
                    Err(Error::Config(c)) => diags.extend(c.0),
                    Err(e) => return Err(e),
                    Ok(()) => report.push_str(&format!(
                        "{}\n",
                        crate::msg!(
                            "E0901",
                            allocations = crate::i18n::counted(allocations.len(), "allocation"),
                            transfers = crate::i18n::counted(transfers.len(), "transfer")
                        )
                    )),
                }
            }
            Err(Error::Records(d, _)) => diags.extend(d),
            Err(e) => return Err(e),
        }
    }
    if !inputs.records.is_empty() {
        match read_cells(&mut model, inputs, limit) {
            Ok((cells, files)) => {
                // A deduction may not name a metric with quota accounts (E0255).
                diags.extend(
                    cells
                        .deduction_source
                        .iter()
                        .filter(|(d, _)| with_accounts.contains(&d.metric))
                        .map(|(d, _)| {
                            Diag::new(
                                d.file,
                                d.line as usize,
                                "metric",
                                crate::msg!("E0255", metric = model.metrics[d.metric].id),
                            )
                        }),
                );
                // Rules can still fail on a cell (a formula out of [0, 1]), so compute
                // too — on a configuration that is valid. The cells counted are the
                // outcome's, as `run` and the manifest count them (pools included).
                let counted = if config_ok {
                    compute(&model, &cells)?.cells.len()
                } else {
                    cells.len()
                };
                let n = files.iter().filter(|f| f.role == "records").count();
                report.push_str(&format!(
                    "{}\n",
                    crate::msg!(
                        "E0640",
                        records = crate::i18n::counted(cells.records as usize, "record"),
                        files = crate::i18n::counted(n, "file"),
                        cells = crate::i18n::counted(counted, "cell")
                    )
                ));
            }
            Err(Error::Records(d, _)) => diags.extend(d),
            Err(e) if config_ok => return Err(e),
            Err(e) => diags.push(Diag::new("", 0, "", e.to_msg())),
        }
    }
    if diags.is_empty() {
        Ok(report)
    } else if config_ok {
        Err(Error::Records(diags, 0))
    } else {
        Err(Error::Config(crate::config::ConfigError(diags)))
    }
}
