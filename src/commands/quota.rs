//! `fencheng quota` (SPEC §13.2): the quota accounts of every region. Use is what the
//! engine shares to each region (the figures `run` writes); the exempt part is the
//! difference to a second pass of the same engine without the exempt entities' lines,
//! so no second arithmetic exists. `verify` replays a quota run through `produce`.

use super::{ReadFile, read_cells};
use crate::cli::{Format, QuotaArgs};
use crate::engine::accounts::{self, Accounts, ByParty};
use crate::engine::{Outcome, compute};
use crate::error::Error;
use crate::input::quota::{Allocation, Transfer};
use crate::manifest::{self, InputFile, Manifest, Options, OutputFile, QuotaOptions, sha256_hex};
use crate::model::{MetricKind, Model};
use crate::msg;
use crate::output::atomic::Transaction;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub fn quota(args: &QuotaArgs) -> Result<String, Error> {
    if args.inputs.records.is_empty() {
        return Err(Error::Usage(msg!("E0625")));
    }
    let opts = Options {
        command: "quota".into(),
        run: crate::cli::RunArgs {
            inputs: args.inputs.clone(),
            ..Default::default()
        },
        quota: Some(QuotaOptions {
            allocations: args.allocations.clone(),
            transfers: args.transfers.clone(),
            year: args.year,
            strict: args.strict,
        }),
    };
    let done = produce(&opts, args.out.as_deref())?;
    let over = crate::output::quota::over(&done.model, &done.accounts());
    for (a, short) in &over {
        eprintln!(
            "{}",
            msg!(
                "W0004",
                year = a.year,
                metric = done.model.metrics[a.metric].id,
                party = a.party,
                short = short
            )
            .text
        );
    }
    let a = done.accounts();
    if let Some(dir) = &args.chart {
        charts(&done.model, &a, dir)?;
    }
    let text = match args.format {
        Format::Table => crate::output::quota::table_text(&done.model, &a),
        Format::Csv => crate::output::quota::render_accounts(&done.model, &a),
        Format::Json => json(&done.model, &a),
    };
    if args.strict && !over.is_empty() {
        // --strict: the files are written and the table printed, then exit 1.
        return Err(Error::Json(text, 1));
    }
    Ok(text)
}

/// One chart per quota metric with accounts, `quota-METRIC.svg` in `dir` (created).
fn charts(
    model: &crate::model::Model,
    a: &crate::engine::accounts::Accounts<'_>,
    dir: &Path,
) -> Result<(), Error> {
    let metrics: BTreeSet<usize> = a.accounts.iter().map(|x| x.metric).collect();
    let mut tx = Transaction::new(dir)?;
    for m in metrics {
        if let Some(svg) = crate::output::quota_chart::svg(model, &a.accounts, m) {
            let name = format!("quota-{}.svg", model.metrics[m].id);
            tx.write(&name, svg.as_bytes())?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// What a quota run computed.
pub struct Done {
    pub model: Model,
    share: ByParty,
    used: ByParty,
    years: BTreeSet<i32>,
    pub allocations: Vec<Allocation>,
    pub transfers: Vec<Transfer>,
    only: Option<i32>,
    /// The engine's shares of the quota metrics: (period, zone, metric, party, units).
    pub shares: Vec<(crate::period::Period, usize, usize, String, i128)>,
}

impl Done {
    pub fn accounts(&self) -> Accounts<'_> {
        accounts::build(
            &self.model,
            &self.share,
            &self.used,
            &self.years,
            &self.allocations,
            &self.transfers,
            self.only,
        )
    }
}

/// Read, compute and check the accounts; with `out`, write the files and manifest.
pub fn produce(opts: &Options, out: Option<&Path>) -> Result<Done, Error> {
    let inputs = &opts.run.inputs;
    let q = opts.quota.clone().unwrap_or(QuotaOptions {
        allocations: Vec::new(),
        transfers: Vec::new(),
        year: None,
        strict: false,
    });
    let signed = crate::config::load(&inputs.config)?;
    let mut model = signed.clone();
    // The quota files first: they say which metrics have accounts.
    let (allocations, transfers, side_files) =
        read_quota_files(&model, &q.allocations, &q.transfers, inputs.encoding)?;
    let with_accounts = with_accounts(&allocations, &transfers);
    refuse_shapes(&model, &with_accounts)?;
    let (cells, files) = read_cells(&mut model, inputs, 100)?;
    let refused: Vec<crate::diag::Diag> = cells
        .deduction_source
        .iter()
        .filter(|(d, _)| with_accounts.contains(&d.metric))
        .map(|(d, _)| {
            crate::diag::Diag::new(
                d.file,
                d.line as usize,
                "metric",
                msg!("E0255", metric = model.metrics[d.metric].id),
            )
        })
        .collect();
    if !refused.is_empty() {
        return Err(Error::Records(refused, 0));
    }
    let outcome = compute(&model, &cells)?;
    let share = by_party(&outcome, &with_accounts);
    // The second pass, once per exempt tag, without the tagged entities' lines.
    let mut used = share.clone();
    if inputs.entities.is_some() {
        for (tag, of_tag) in exempt_groups(&model, &with_accounts) {
            let mut without = signed.clone();
            without.input.without_tag = Some(tag.clone());
            let (c2, _) = read_cells(&mut without, inputs, 100)?;
            let o2 = compute(&without, &c2)?;
            used.retain(|(_, m, _), _| !of_tag.contains(m));
            used.extend(by_party(&o2, &of_tag));
        }
    }
    let years: BTreeSet<i32> = outcome.cells.iter().map(|c| c.key.period.year).collect();
    let shares = outcome
        .cells
        .iter()
        .filter(|c| with_accounts.contains(&c.key.metric))
        .flat_map(|c| {
            c.shares
                .iter()
                .map(|(p, u)| (c.key.period, c.key.zone, c.key.metric, p.clone(), *u))
        })
        .collect();
    let done = Done {
        shares,
        model,
        share,
        used,
        years,
        allocations,
        transfers,
        only: q.year,
    };
    let a = done.accounts();
    let mut records: BTreeMap<(i32, usize), i128> = BTreeMap::new();
    for c in outcome
        .cells
        .iter()
        .filter(|c| with_accounts.contains(&c.key.metric))
    {
        *records
            .entry((c.key.period.year, c.key.metric))
            .or_default() += c.total;
    }
    accounts::check(&done.model, &a.accounts, &records).map_err(|e| {
        Error::Engine(crate::engine::EngineError::Invariant(
            msg!("E0334", what = e).text,
        ))
    })?;
    if let Some(dir) = out {
        write(opts, dir, &done, &a, &outcome, &files, side_files)?;
    }
    Ok(done)
}

/// The allocation and transfer lines of a run, and the files they came from.
pub(crate) type QuotaFiles = (
    Vec<crate::input::quota::Allocation>,
    Vec<crate::input::quota::Transfer>,
    Vec<InputFile>,
);

/// The allocations and transfers files, read and checked against `model` (every bad
/// line at once), with their entries for the manifest.
pub(crate) fn read_quota_files(
    model: &crate::model::Model,
    allocation_files: &[std::path::PathBuf],
    transfer_files: &[std::path::PathBuf],
    encoding: crate::input::Encoding,
) -> Result<QuotaFiles, Error> {
    let mut allocations = Vec::new();
    let mut transfers = Vec::new();
    let mut diags = Vec::new();
    let mut side_files = Vec::new();
    for (paths, role) in [
        (allocation_files, "allocations"),
        (transfer_files, "transfers"),
    ] {
        for path in paths {
            let bytes = super::read_whole(path)?;
            let shown = crate::pathtext::show(path);
            diags.extend(if role == "allocations" {
                crate::input::quota::read_allocations(
                    &shown,
                    &bytes,
                    encoding,
                    model,
                    &mut allocations,
                )
            } else {
                crate::input::quota::read_transfers(&shown, &bytes, encoding, model, &mut transfers)
            });
            side_files.push(InputFile {
                path: shown,
                sha256: sha256_hex(&bytes),
                rows: None,
                role: role.into(),
            });
        }
    }
    if !diags.is_empty() {
        diags.sort();
        return Err(Error::Records(diags, 0));
    }
    Ok((allocations, transfers, side_files))
}

/// The exempt tags of the metrics with accounts, each with the metrics it exempts
/// (SPEC §13.2): one second pass of the engine per tag.
pub(crate) fn exempt_groups(
    model: &Model,
    with_accounts: &BTreeSet<usize>,
) -> Vec<(String, BTreeSet<usize>)> {
    let mut groups: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for &m in with_accounts {
        if let Some(tag) = &model.metrics[m].exempt_tag {
            groups.entry(tag.clone()).or_default().insert(m);
        }
    }
    groups.into_iter().collect()
}

/// The metrics with accounts: those an allocation or a transfer names.
pub(crate) fn with_accounts(
    allocations: &[crate::input::quota::Allocation],
    transfers: &[crate::input::quota::Transfer],
) -> BTreeSet<usize> {
    allocations
        .iter()
        .map(|a| a.metric)
        .chain(transfers.iter().map(|t| t.metric))
        .collect()
}

/// A quota metric with accounts may not have levels, be a pool or a pool's component
/// (SPEC §13.2): the configuration is refused, at the metric's table.
pub(crate) fn refuse_shapes(model: &Model, with_accounts: &BTreeSet<usize>) -> Result<(), Error> {
    let mut diags = Vec::new();
    for &m in with_accounts {
        let metric = &model.metrics[m];
        let levels = !metric.levels.parties().is_empty()
            || model.zones.iter().any(|z| z.levels.contains_key(&m));
        if levels || !metric.pool.is_empty() || metric.pool_of.is_some() {
            let file = model.files.first().map_or("", |f| f.path.as_str());
            diags.push(crate::diag::Diag::new(
                file,
                0,
                &format!("metric.{}", metric.id),
                msg!("E0256", metric = metric.id),
            ));
        }
        debug_assert_eq!(metric.kind, MetricKind::Quota);
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Config(crate::config::ConfigError(diags)))
    }
}

/// Σ of each party's shares per (year, metric), for the metrics in `keep`.
pub(crate) fn by_party(outcome: &Outcome, keep: &BTreeSet<usize>) -> ByParty {
    let mut out = ByParty::new();
    for c in outcome
        .cells
        .iter()
        .filter(|c| keep.contains(&c.key.metric))
    {
        for (p, u) in &c.shares {
            *out.entry((c.key.period.year, c.key.metric, p.clone()))
                .or_default() += u;
        }
    }
    out
}

fn write(
    opts: &Options,
    dir: &Path,
    done: &Done,
    a: &Accounts<'_>,
    outcome: &Outcome,
    files: &[ReadFile],
    side: Vec<InputFile>,
) -> Result<(), Error> {
    use crate::output::quota::{render_accounts, render_settlement, render_transfers};
    let model = &done.model;
    let mut tx = Transaction::new(dir)?;
    let mut outputs = Vec::new();
    for (name, text) in [
        ("quota.csv", render_accounts(model, a)),
        ("quota-transfers.csv", render_transfers(model, a)),
        ("quota-settlement.csv", render_settlement(a)),
    ] {
        tx.write(name, text.as_bytes())?;
        outputs.push(OutputFile {
            file: name.into(),
            sha256: sha256_hex(text.as_bytes()),
            rows: text.lines().count() as u64 - 1,
        });
    }
    let read: Vec<InputFile> = files
        .iter()
        .map(|f| InputFile {
            path: f.path.clone(),
            sha256: f.sha256.clone(),
            rows: Some(f.rows),
            role: f.role.into(),
        })
        .collect();
    let inputs = &opts.run.inputs;
    let q = opts.quota.as_ref();
    let names: Vec<String> = std::iter::once(&inputs.config)
        .chain(&inputs.records)
        .chain(&inputs.deductions)
        .chain(&inputs.entities)
        .chain(&inputs.profile)
        .chain(
            q.into_iter()
                .flat_map(|q| q.allocations.iter().chain(&q.transfers)),
        )
        .map(|p| crate::pathtext::show(p))
        .chain(model.files.iter().map(|f| f.path.clone()))
        .collect();
    let paths = names
        .into_iter()
        .filter_map(|n| manifest::relative(dir, &crate::pathtext::parse(&n)).map(|r| (n, r)))
        .collect();
    let cells_count = outcome.cells.len() as u64;
    let m = Manifest {
        tool: env!("CARGO_PKG_NAME").into(),
        version: env!("CARGO_PKG_VERSION").into(),
        options: opts.clone(),
        inputs: crate::output::inventory::input_files(model, read, side),
        outputs,
        records: files
            .iter()
            .filter(|f| f.role == "records")
            .map(|f| f.rows)
            .sum(),
        cells: cells_count,
        control_totals: Vec::new(),
        paths,
        books: None,
        late: None,
        amendment: None,
        self_sha256: String::new(),
    };
    tx.write(manifest::FILE, m.render().as_bytes())?;
    tx.replace_all = true;
    tx.commit()?;
    Ok(())
}

/// The accounts, transfers and payments as JSON (amounts as decimal strings).
fn json(model: &Model, a: &Accounts<'_>) -> String {
    let f = |m: usize, u: i128| {
        let q = &model.metrics[m].quantum;
        crate::num::format_scaled(u * q.scaled, q.decimals)
    };
    let accounts: Vec<serde_json::Value> = a
        .accounts
        .iter()
        .map(|r| {
            serde_json::json!({
                "year": r.year,
                "metric": model.metrics[r.metric].id,
                "unit": model.metrics[r.metric].unit,
                "party": r.party,
                "allocated": f(r.metric, r.allocated),
                "transferred_in": f(r.metric, r.transferred_in),
                "transferred_out": f(r.metric, r.transferred_out),
                "used": f(r.metric, r.used),
                "exempt": f(r.metric, r.exempt),
                "headroom": f(r.metric, r.headroom),
                "over_quota": r.headroom < 0,
            })
        })
        .collect();
    let payments: Vec<serde_json::Value> = a
        .payments
        .iter()
        .map(|p| {
            serde_json::json!({
                "year": p.year, "payer": p.payer, "payee": p.payee,
                "amount": crate::num::format_scaled(p.cents, 2),
            })
        })
        .collect();
    let doc = serde_json::json!({ "accounts": accounts, "settlement": payments });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
