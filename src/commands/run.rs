//! `fencheng run`: compute, check control totals, print totals, write outputs
//! atomically with their manifest. `verify` replays the same `produce`.

use super::{ReadFile, read_cells};
use crate::cli::Inputs;
use crate::diag::{Diag, Problems};
use crate::engine::cells::Cells;
use crate::engine::{Outcome, compute};
use crate::error::Error;
use crate::input::{Encoding, read_records};
use crate::manifest::{self, ControlTotal, InputFile, Manifest, Options, OutputFile, sha256_hex};
use crate::model::Model;
use crate::msg;
use crate::output::atomic::{Transaction, finish, io_err};
use crate::output::{detail, settlement, summary, totals};
use clap::ValueEnum;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a computed run holds, for printing.
pub struct Produced {
    pub model: Model,
    pub outcome: Outcome,
    pub records: u64,
    /// Warnings for stderr (SPEC §9.3).
    pub warnings: Vec<String>,
}

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

pub fn run(
    inputs: &Inputs,
    out: Option<&Path>,
    x: &Extras<'_>,
    format: totals::Format,
) -> Result<String, Error> {
    if inputs.records.is_empty() {
        return Err(Error::Usage(msg!("E0625").text));
    }
    if x.detail && out.is_none() {
        return Err(Error::Usage(msg!("E0626").text));
    }
    let p = produce(&options(inputs, x), out)?;
    for w in &p.warnings {
        eprintln!("{w}");
    }
    Ok(match (x.by, format) {
        (Some(by), totals::Format::Table) => totals::grouped(&p.model, &p.outcome, by, p.records),
        _ => totals::render(&p.model, &p.outcome, format, p.records),
    })
}

/// A writer that hashes and counts lines of what passes through.
struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
    lines: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.lines += count_newlines(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Line ends in `b`. Counted per 255 bytes into a byte-sized counter, which the
/// compiler turns into vector compares (a `usize` count per byte is not vectorised,
/// and detail.csv has gigabytes).
fn count_newlines(b: &[u8]) -> u64 {
    b.chunks(255)
        .map(|c| u64::from(c.iter().fold(0u8, |n, &x| n + u8::from(x == b'\n'))))
        .sum()
}

/// Compute a run from its options and, with `out`, write every output atomically.
pub fn produce(opts: &Options, out: Option<&Path>) -> Result<Produced, Error> {
    let inputs = inputs_of(opts)?;
    let scenarios: Vec<PathBuf> = opts.scenarios.iter().map(PathBuf::from).collect();
    let sets = super::parse_sets(&opts.set)?;
    let (_, mut model, _) =
        super::load_negotiated(&inputs.config, &scenarios, &sets, opts.allow_outside_band)?;
    let (cells, files) = read_cells(&mut model, &inputs, 100)?;
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
    let controls = control_totals(&model, &cells, &outcome);
    if !opts.period.is_empty() {
        let keep: Vec<crate::period::Period> = opts
            .period
            .iter()
            .map(|p| {
                crate::period::Period::parse(p)
                    .ok_or_else(|| Error::Usage(msg!("E0627", text = p).text))
            })
            .collect::<Result<_, _>>()?;
        outcome.cells.retain(|c| keep.contains(&c.key.period));
    }
    let mut referenced = Vec::new();
    if let Some(path) = &opts.expect {
        let bytes = check_expected(&model, &outcome, Path::new(path))?;
        referenced.push(InputFile {
            path: path.clone(),
            sha256: sha256_hex(&bytes),
            rows: None,
            role: "expect".into(),
        });
    }
    let xlsx = opts.xlsx.as_ref().map(PathBuf::from);
    if out.is_some() || xlsx.is_some() {
        let mut tx = Transaction::new(out.unwrap_or(Path::new("")))?;
        let bom: &[u8] = if opts.bom { "\u{feff}".as_bytes() } else { b"" };
        let mut detail_tmp = None;
        if let Some(dir) = out {
            let mut outputs = Vec::new();
            let summary = summary::render(&model, &outcome);
            let settlement = settlement::render(&model, &outcome);
            let mut texts = vec![("summary.csv", summary), ("settlement.csv", settlement)];
            if crate::output::assessment::wanted(&model) {
                texts.push((
                    "assessment.csv",
                    crate::output::assessment::render(&model, &outcome),
                ));
            }
            for (name, text) in &texts {
                let bytes = [bom, text.as_bytes()].concat();
                tx.write(name, &bytes)?;
                outputs.push(OutputFile {
                    file: (*name).into(),
                    sha256: sha256_hex(&bytes),
                    rows: text.lines().count() as u64 - 1,
                });
            }
            if opts.detail {
                outputs.push(write_detail(
                    &mut tx,
                    dir,
                    &model,
                    &outcome,
                    &inputs,
                    bom,
                    &files,
                    &opts.records_as_given,
                )?);
                detail_tmp = tx.temp_path("detail.csv").map(Path::to_path_buf);
            }
            // The workbook is what officers circulate: hashed like the other outputs
            // (named relative to the output directory when it is inside it).
            if let Some(target) = &xlsx {
                let tmp = tx.reserve(target);
                crate::output::xlsx::write(&tmp, &model, &outcome, detail_tmp.as_deref())
                    .map_err(|m| xlsx_error(target, m))?;
                let bytes = std::fs::read(&tmp).map_err(io_err(target))?;
                outputs.push(OutputFile {
                    file: xlsx_name(dir, target),
                    sha256: sha256_hex(&bytes),
                    rows: 0,
                });
            }
            let m = Manifest {
                tool: env!("CARGO_PKG_NAME").into(),
                version: env!("CARGO_PKG_VERSION").into(),
                options: opts.clone(),
                inputs: input_files(&model, &files, referenced),
                outputs,
                records: cells.records,
                cells: outcome.cells.len() as u64,
                control_totals: controls,
                paths: recorded_paths(dir, opts, &model, &files),
                books: None,
                self_sha256: String::new(),
            };
            tx.write(manifest::FILE, m.render().as_bytes())?;
            tx.replace_all = true;
        } else if let Some(target) = &xlsx {
            let tmp = tx.reserve(target);
            crate::output::xlsx::write(&tmp, &model, &outcome, detail_tmp.as_deref())
                .map_err(|m| xlsx_error(target, m))?;
        }
        tx.commit()?;
    }
    Ok(Produced {
        model,
        outcome,
        records: cells.records,
        warnings,
    })
}

/// Every path a run names, relative to its output directory (`Manifest::paths`).
fn recorded_paths(
    dir: &Path,
    opts: &Options,
    model: &Model,
    files: &[ReadFile],
) -> BTreeMap<String, String> {
    let mut names: Vec<&str> = vec![opts.config.as_str()];
    names.extend(opts.records.iter().map(String::as_str));
    names.extend(opts.deductions.iter().map(String::as_str));
    names.extend(opts.entities.iter().map(String::as_str));
    names.extend(opts.expect.iter().map(String::as_str));
    names.extend(opts.scenarios.iter().map(String::as_str));
    names.extend(opts.xlsx.iter().map(String::as_str));
    names.extend(model.files.iter().map(|f| f.path.as_str()));
    names.extend(files.iter().map(|f| f.path.as_str()));
    names
        .into_iter()
        .filter_map(|n| {
            manifest::relative(dir, &crate::input::xlsx::split_sheet(Path::new(n)).0)
                .map(|r| (n.to_string(), r))
        })
        .collect()
}

/// A workbook that cannot be written is an I/O failure (exit 1) naming its path.
fn xlsx_error(target: &Path, message: String) -> Error {
    Error::Output(crate::output::atomic::OutputError {
        path: target.display().to_string(),
        source: std::io::Error::other(message),
    })
}

/// The workbook's name in the manifest: relative to the output directory when it is
/// inside it (so `verify` finds it from anywhere), else as given.
pub fn xlsx_name(dir: &Path, target: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).map(|a| a.components().collect::<PathBuf>());
    match (abs(dir), abs(target)) {
        (Ok(d), Ok(t)) => t.strip_prefix(&d).map_or_else(
            |_| target.display().to_string(),
            |r| r.display().to_string(),
        ),
        _ => target.display().to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn write_detail(
    tx: &mut Transaction,
    dir: &Path,
    model: &Model,
    outcome: &Outcome,
    inputs: &Inputs,
    bom: &[u8],
    files: &[ReadFile],
    opts_records_as_given: &[String],
) -> Result<OutputFile, Error> {
    let path = dir.join("detail.csv");
    let w = tx.create("detail.csv")?;
    let mut w = Hashing {
        inner: w,
        hasher: Sha256::new(),
        lines: 0,
    };
    let shown: Vec<String> = if opts_records_as_given.is_empty() {
        inputs
            .records
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    } else {
        opts_records_as_given.to_vec()
    };
    let mut det = detail::Detail::new(model, outcome, &shown);
    let mut resolver = Cells::default();
    let mut problems = Problems::new(100);
    let mut granularity = None;
    w.write_all(bom).map_err(io_err(&path))?;
    w.write_all(detail::HEADER.as_bytes())
        .map_err(io_err(&path))?;
    for (i, rec_path) in inputs.records.iter().enumerate() {
        det.reading(i);
        // Same reader as the first pass: the fast path streams on every core and
        // writes in file order, so memory stays flat.
        if files.get(i).is_some_and(|f| f.streamed) {
            let buffers = crate::input::stream::Buffers::default();
            // Hashing and writing cost about a second per gigabyte each: each is a
            // thread of its own, so that neither holds up the other or the workers.
            let (streamed, written) = std::thread::scope(|scope| {
                let (to_hasher, blocks) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
                let (to_writer, hashed) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
                let Hashing {
                    inner,
                    hasher,
                    lines,
                } = &mut w;
                let buffers = &buffers;
                scope.spawn(move || {
                    for b in blocks {
                        hasher.update(&b);
                        *lines += count_newlines(&b);
                        if to_writer.send(b).is_err() {
                            break;
                        }
                    }
                });
                let writer = scope.spawn(move || -> std::io::Result<()> {
                    for b in hashed {
                        inner.write_all(&b)?;
                        buffers.give(b);
                    }
                    Ok(())
                });
                let mut write = |b: Vec<u8>| {
                    to_hasher
                        .send(b)
                        .map_err(|_| std::io::Error::other("the detail writer stopped"))
                };
                let streamed = crate::input::stream::map_ordered(
                    rec_path,
                    inputs.encoding,
                    i,
                    model,
                    &mut granularity,
                    &mut problems,
                    super::threads(),
                    &DetailLines(&det),
                    buffers,
                    &mut write,
                );
                drop(to_hasher);
                let written = writer
                    .join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("the detail writer failed")));
                (streamed, written)
            });
            written.map_err(io_err(&path))?;
            // The second pass must read the bytes the figures came from.
            let same =
                matches!(&streamed, Ok(st) if files.get(i).is_some_and(|f| f.sha256 == st.sha256));
            if !same {
                let why = match streamed {
                    Err(f) => format!(" ({f:?})"),
                    Ok(_) => String::new(),
                };
                return Err(Error::Records(
                    vec![Diag::new(
                        &rec_path.display().to_string(),
                        0,
                        "",
                        msg!("E0628", why = why),
                    )],
                    0,
                ));
            }
        } else {
            let mut sink = |r: &crate::input::Record<'_>| {
                let key = resolver.locate(model, r)?;
                det.write(&mut w, r, &key)
                    .map_err(|e| crate::msg!("E0501", file = "detail.csv", reason = e))
            };
            read_records(
                rec_path,
                i,
                model,
                inputs.encoding,
                &mut granularity,
                &mut problems,
                &mut sink,
            )?;
        }
    }
    if !problems.is_empty() {
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    let sha = w
        .hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let rows = w.lines - 1;
    finish(w.inner, &path)?;
    Ok(OutputFile {
        file: "detail.csv".into(),
        sha256: sha,
        rows,
    })
}

fn input_files(model: &Model, records: &[ReadFile], referenced: Vec<InputFile>) -> Vec<InputFile> {
    let mut out: Vec<InputFile> = model
        .files
        .iter()
        .map(|f| InputFile {
            path: f.path.clone(),
            sha256: sha256_hex(&f.bytes),
            rows: None,
            role: "config".into(),
        })
        .collect();
    out.extend(records.iter().map(|f| InputFile {
        path: f.path.clone(),
        sha256: f.sha256.clone(),
        rows: Some(f.rows),
        role: f.role.into(),
    }));
    out.extend(referenced);
    out
}

fn control_totals(model: &Model, cells: &Cells, outcome: &Outcome) -> Vec<ControlTotal> {
    let mut allocated: BTreeMap<usize, i128> = BTreeMap::new();
    for c in &outcome.cells {
        *allocated.entry(c.key.metric).or_default() += crate::engine::cell_rows(c)
            .iter()
            .map(|(_, u)| u)
            .sum::<i128>();
    }
    let mut out: Vec<ControlTotal> = cells
        .input_by_metric()
        .iter()
        .map(|(m, input)| ControlTotal {
            metric: model.metrics[*m].id.clone(),
            unit: model.metrics[*m].unit.clone(),
            input: summary::amount(model, *m, *input),
            allocated: summary::amount(model, *m, allocated.get(m).copied().unwrap_or(0)),
        })
        .collect();
    out.sort_by(|a, b| a.metric.cmp(&b.metric));
    out
}

/// `--expect FILE`: every row `period,zone,metric,party,amount` must equal the computed
/// summary; each mismatch is reported with its line. Returns the file's bytes.
fn check_expected(model: &Model, outcome: &Outcome, path: &Path) -> Result<Vec<u8>, Error> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| crate::input::RecordsError::Io {
        path: shown.clone(),
        source,
    })?;
    let text = crate::input::records::decode(&bytes, Encoding::Auto)
        .map_err(|m| Error::Records(vec![Diag::new(&shown, 0, "", m)], 0))?;
    let rows = summary::rows(model, outcome);
    let mut diags = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(cp), Some(cz), Some(cm), Some(cpa), Some(ca)) = (
        col("period"),
        col("zone"),
        col("metric"),
        col("party"),
        col("amount"),
    ) else {
        return Err(Error::Expect(vec![Diag::new(
            &shown,
            1,
            "header",
            msg!("E0629"),
        )]));
    };
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                diags.push(Diag::new(
                    &shown,
                    e.position().map_or(0, |p| p.line() as usize),
                    "",
                    format!("malformed CSV: {e}"),
                ));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let get = |i: usize| rec.get(i).unwrap_or("");
        let Some(m) = model.metric(get(cm)) else {
            diags.push(Diag::new(
                &shown,
                line,
                "metric",
                msg!("E0215", text = get(cm), hint = ""),
            ));
            continue;
        };
        let expected = match crate::input::amount::parse_units(get(ca), &model.metrics[m].quantum) {
            Ok(u) => u,
            Err(msg) => {
                diags.push(Diag::new(&shown, line, "amount", msg));
                continue;
            }
        };
        let key = (
            get(cp).to_string(),
            get(cz).to_string(),
            model.metrics[m].id.clone(),
            get(cpa).to_string(),
        );
        let fmt = |u: i128| summary::amount(model, m, u);
        match rows.get(&key) {
            Some((computed, _)) if *computed == expected => {}
            Some((computed, _)) => diags.push(Diag::new(
                &shown,
                line,
                "",
                msg!(
                    "E0630",
                    expected = fmt(expected),
                    computed = fmt(*computed),
                    difference = fmt(computed - expected)
                ),
            )),
            None => diags.push(Diag::new(
                &shown,
                line,
                "",
                msg!(
                    "E0631",
                    expected = fmt(expected),
                    row = format!("{} {} {} {}", key.0, key.1, key.2, key.3)
                ),
            )),
        }
    }
    if diags.is_empty() {
        Ok(bytes)
    } else {
        Err(Error::Expect(diags))
    }
}

/// The detail writer as the readers see it: `input` asks, `output::detail` answers.
struct DetailLines<'d, 'a>(&'d detail::Detail<'a>);

impl crate::input::sink::Render<Cells> for DetailLines<'_, '_> {
    fn cell(
        &self,
        cells: &mut Cells,
        r: &crate::input::Record<'_>,
    ) -> Result<Option<u32>, crate::diag::Msg> {
        self.0.cell(cells, r)
    }
    fn verbatim(
        &self,
        r: &crate::input::Record<'_>,
        period: &[u8],
        zone: &[u8],
        metric: &[u8],
    ) -> bool {
        self.0.verbatim(r, period, zone, metric)
    }
    fn lines(
        &self,
        out: &mut Vec<u8>,
        cell: u32,
        line: u64,
        units: i128,
        fields: crate::input::sink::Fields<'_>,
    ) {
        self.0.lines(out, cell, line, units, fields);
    }
    fn most_lines(&self) -> usize {
        self.0.most_lines()
    }
}
