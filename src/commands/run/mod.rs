//! `fencheng run`: compute, check control totals, print totals, write outputs
//! atomically with their manifest. `verify` replays the same `produce`.

mod detail_file;
mod write;

use super::{ReadFile, read_cells};
use crate::cli::RunArgs;
use crate::engine::{Outcome, compute};
use crate::error::Error;
use crate::manifest::{InputFile, Options, sha256_hex};
use crate::model::Model;
use crate::msg;
use crate::output::totals;
use std::path::Path;

/// What a computed run holds, for printing.
pub struct Produced {
    pub model: Model,
    pub outcome: Outcome,
    pub records: u64,
    /// Warnings for stderr (SPEC §9.3).
    pub warnings: Vec<String>,
}

pub fn run(args: &RunArgs) -> Result<String, Error> {
    if args.inputs.records.is_empty() {
        return Err(Error::Usage(msg!("E0625")));
    }
    if args.detail && args.out.is_none() {
        return Err(Error::Usage(msg!("E0626")));
    }
    let opts = Options {
        command: "run".into(),
        run: args.clone(),
        quota: None,
    };
    refuse_overwrite(args)?;
    let p = produce(&opts, args.out.as_deref(), &[])?;
    for w in &p.warnings {
        eprintln!("{w}");
    }
    Ok(match (args.by, args.format) {
        (Some(by), totals::Format::Table) => totals::grouped(&p.model, &p.outcome, by, p.records),
        _ => totals::render(&p.model, &p.outcome, args.format, p.records),
    })
}

/// Compute a run from its options and, with `out`, write every output atomically.
/// `records_as_given`: the records files as the recorded run named them, when `opts`
/// holds them as found from elsewhere (`verify`), for the `file` column of detail.csv.
pub fn produce(
    opts: &Options,
    out: Option<&Path>,
    records_as_given: &[String],
) -> Result<Produced, Error> {
    let args = &opts.run;
    let inputs = &args.inputs;
    let sets = super::parse_sets(&args.overrides.set)?;
    let (_, mut model, _) = super::load_negotiated(
        &inputs.config,
        &args.scenarios,
        &sets,
        args.overrides.allow_outside_band,
    )?;
    let (cells, files) = read_cells(&mut model, inputs, 100)?;
    let mut outcome = compute(&model, &cells)?;
    let warnings = crate::engine::ytd_late_starts(&model, &outcome)
        .into_iter()
        .map(|(z, m, p)| {
            msg!(
                "W0001",
                zone = model.zones[z].id,
                metric = model.metrics[m].id,
                period = p
            )
            .text
        })
        .collect();
    // Control totals are of the whole run; `--period` only limits what is written.
    let controls = crate::output::inventory::control_totals(&model, &cells, &outcome);
    if !args.period.is_empty() {
        let keep: Vec<crate::period::Period> = args
            .period
            .iter()
            .map(|p| {
                crate::period::Period::parse(p).ok_or_else(|| Error::Usage(msg!("E0627", text = p)))
            })
            .collect::<Result<_, _>>()?;
        outcome.cells.retain(|c| keep.contains(&c.key.period));
        outcome.obligations.retain(|d| keep.contains(&d.period));
    }
    let mut referenced = Vec::new();
    if let Some(path) = &args.expect {
        let bytes = super::check_expected(&model, &outcome, path)?;
        referenced.push(InputFile {
            path: crate::pathtext::show(path),
            sha256: sha256_hex(&bytes),
            rows: None,
            role: "expect".into(),
        });
    }
    if out.is_some() || args.xlsx.is_some() {
        let computed = write::Computed {
            model: &model,
            outcome: &outcome,
            cells: &cells,
            files: &files,
            controls,
            referenced,
        };
        write::outputs(opts, out, records_as_given, computed)?;
    }
    Ok(Produced {
        model,
        outcome,
        records: cells.records,
        warnings,
    })
}

/// An output path that names an input (the same file by any spelling, links
/// included) or another output of the same run is refused before anything is
/// written: `--xlsx records.csv` must never replace the records with a workbook.
fn refuse_overwrite(args: &RunArgs) -> Result<(), Error> {
    use std::path::PathBuf;
    let same = crate::output::atomic::same_file;
    let i = &args.inputs;
    let mut inputs: Vec<PathBuf> = i
        .records
        .iter()
        .chain(&i.deductions)
        .chain(&i.entities)
        .chain(&i.profile)
        .chain(&args.expect)
        .chain(&args.scenarios)
        .cloned()
        .collect();
    if i.config.is_file() {
        inputs.push(i.config.clone());
    } else if let Ok(rd) = std::fs::read_dir(&i.config) {
        inputs.extend(rd.flatten().map(|e| e.path()));
    }
    let mut outputs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = &args.out {
        outputs.extend(
            crate::output::atomic::OUTPUTS
                .iter()
                .chain([&crate::manifest::FILE])
                .map(|n| dir.join(n)),
        );
    }
    for target in outputs.iter().chain(&args.xlsx) {
        if let Some(input) = inputs.iter().find(|p| same(p, target)) {
            return Err(Error::Usage(msg!("E0685", path = input.display())));
        }
    }
    if let Some(x) = &args.xlsx
        && outputs.iter().any(|o| same(o, x))
    {
        return Err(Error::Usage(msg!("E0686", path = x.display())));
    }
    Ok(())
}
