//! What a run is asked, as the manifest records it: the command line's inputs and
//! options become `manifest::Options`, and a recorded run's options become inputs
//! again (for `verify` and the books' replays).

use crate::cli::Inputs;
use crate::error::Error;
use crate::input::Encoding;
use crate::manifest::Options;
use crate::output::totals;
use clap::ValueEnum;
use std::path::{Path, PathBuf};

/// How a run writes its files, beyond `--out`.
#[derive(Debug, Clone, Default)]
pub struct Extras<'a> {
    pub scenarios: &'a [PathBuf],
    pub set: &'a [String],
    pub allow_outside_band: bool,
    pub detail: bool,
    pub expect: Option<&'a Path>,
    pub bom: bool,
    pub xlsx: Option<&'a Path>,
    /// `--period P`: outputs limited to these periods (SPEC §9.3).
    pub period: &'a [String],
    /// `--by`: the table grouped.
    pub by: Option<totals::By>,
}

pub fn options(inputs: &Inputs, x: &Extras<'_>) -> Options {
    Options {
        command: "run".into(),
        config: inputs.config.display().to_string(),
        records: inputs
            .records
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        encoding: inputs
            .encoding
            .to_possible_value()
            .map_or("auto".into(), |v| v.get_name().to_string()),
        detail: x.detail,
        expect: x.expect.map(|p| p.display().to_string()),
        bom: x.bom,
        xlsx: x.xlsx.map(|p| p.display().to_string()),
        scenarios: x
            .scenarios
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        set: x.set.to_vec(),
        allow_outside_band: x.allow_outside_band,
        deductions: inputs
            .deductions
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        entities: inputs.entities.as_ref().map(|p| p.display().to_string()),
        period: x.period.to_vec(),
        delimiter: inputs
            .delimiter
            .and_then(|d| d.to_possible_value())
            .map(|v| v.get_name().to_string()),
        records_as_given: Vec::new(),
    }
}

/// Back from recorded options to the command-line inputs.
pub fn inputs_of(opts: &Options) -> Result<Inputs, Error> {
    Ok(Inputs {
        config: PathBuf::from(&opts.config),
        records: opts.records.iter().map(PathBuf::from).collect(),
        encoding: Encoding::from_str(&opts.encoding, false)
            .map_err(|e| Error::Usage(format!("manifest encoding: {e}")))?,
        deductions: opts.deductions.iter().map(PathBuf::from).collect(),
        entities: opts.entities.as_ref().map(PathBuf::from),
        delimiter: match opts.delimiter.as_deref() {
            Some(d) => Some(
                crate::cli::Delimiter::from_str(d, false)
                    .map_err(|e| Error::Usage(format!("manifest delimiter: {e}")))?,
            ),
            None => None,
        },
    })
}
