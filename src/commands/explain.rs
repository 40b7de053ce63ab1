//! `fencheng explain`: the full trace of one cell, for a person (text) or a program
//! (JSON, `trace_version` 1). Both are rendered from the same `Trace` value, so they
//! never disagree.

use crate::cli::ExplainArgs;
use crate::diag::Problems;
use crate::engine::cells::Cells;
use crate::engine::{CellResult, compute};
use crate::error::Error;
use crate::msg;
use crate::output::explain::{Kept, add_parts, books_trace, build, keep, render_text};
use crate::output::totals::Format;
use crate::period::Period;

/// `fencheng explain` (serve's explain builds the same arguments).
pub fn explain(args: &ExplainArgs) -> Result<String, Error> {
    if args.format == Format::Csv {
        return Err(Error::Usage(msg!("E0635")));
    }
    if args.obligations {
        return super::explain_more::obligations(args);
    }
    if args.quota {
        return super::explain_more::quota(args);
    }
    let (inputs, target, format) = (&args.inputs, args, args.format);
    // With the books: every file booked for the cell's year is read too, and each
    // file's closing is known, so that late records can be told apart.
    let mut with_books = None;
    let mut all = inputs.without_files();
    let standing;
    let mut inputs = inputs;
    if let Some(dir) = &target.books {
        let books = crate::input::books::Books::open(dir).map_err(Error::Books)?;
        // Without --config or --entities, the latest closing's copies (SPEC §15).
        standing = super::close::standing(&books, inputs)?;
        inputs = &standing;
        all = inputs.without_files();
        let year = Period::parse(&target.period).map(|p| p.year);
        let mut closing_of = std::collections::BTreeMap::new();
        for c in &books.closings {
            if !year.is_some_and(|y| c.books().years.contains(&y)) {
                continue;
            }
            for b in &c.books().booked {
                let path = crate::input::books::located(b);
                closing_of.insert(crate::pathtext::show(&path), c.period);
                if b.role == "deductions" {
                    all.deductions.push(path);
                } else {
                    all.records.push(path);
                }
            }
        }
        with_books = Some((books, closing_of));
    }
    all.records.extend(inputs.records.iter().cloned());
    all.deductions.extend(inputs.deductions.iter().cloned());
    let inputs = &all;
    let sets = super::parse_sets(&target.overrides.set)?;
    let (_, mut model, _) = super::load_negotiated(
        &inputs.config,
        &target.scenarios,
        &sets,
        target.overrides.allow_outside_band,
    )?;
    let mut problems = Problems::new(100);
    let mut side = Vec::new();
    let deductions = super::read_side(&mut model, inputs, &mut problems, &mut side)?;
    let model = model;
    let usage = Error::Usage;
    let period =
        Period::parse(&target.period).ok_or_else(|| usage(msg!("E0627", text = target.period)))?;
    let zone = model.zone(&target.zone).ok_or_else(|| {
        usage(
            msg!(
                "E0214",
                text = target.zone,
                hint = crate::suggest::hint(&target.zone, model.zone_index.keys())
            )
            .prefixed("--zone "),
        )
    })?;
    let metric = model.metric(&target.metric).ok_or_else(|| {
        usage(
            msg!(
                "E0215",
                text = target.metric,
                hint = crate::suggest::hint(&target.metric, model.metric_index.keys())
            )
            .prefixed("--metric "),
        )
    })?;
    let mut cells = Cells::default();
    let mut kept: Vec<Kept> = Vec::new();
    let shown: Vec<String> = inputs
        .records
        .iter()
        .map(|p| crate::pathtext::show(p))
        .collect();
    let granularity = super::read::each_record(&model, inputs, &mut problems, &mut |r| {
        let (key, year) = cells.resolve(&model, r)?;
        cells.place(&model, key, year, r)?;
        let rule = &model.zones[r.zone].agreements[key.agreement].rules[key.rule];
        let sharing = Cells::sharing_metric(&model, r.metric, rule);
        if r.period == period && r.zone == zone && (r.metric == metric || sharing == metric) {
            kept.push(keep(&model, r, key, year, metric, &shown[r.file]));
        }
        Ok(())
    })?;
    for d in cells.place_deductions(&model, deductions, granularity.as_ref()) {
        problems.push(d);
    }
    if !problems.is_empty() {
        return Err(Error::Records(problems.diags, problems.omitted));
    }
    let outcome = compute(&model, &cells)?;
    let mut selected: Vec<&CellResult> = outcome
        .cells
        .iter()
        .filter(|c| c.key.period == period && c.key.zone == zone && c.key.metric == metric)
        .collect();
    if let Some(e) = &target.entity {
        selected.retain(|c| kept.iter().any(|k| k.key == c.key && &k.entity == e));
        if selected.is_empty() {
            let mut seen: Vec<&str> = kept.iter().map(|k| k.entity.as_str()).collect();
            seen.sort_unstable();
            seen.dedup();
            return Err(Error::Usage(msg!(
                "E0671",
                entity = e,
                period = period,
                zone = target.zone,
                metric = target.metric,
                hint = crate::suggest::hint(e, seen.iter())
            )));
        }
    }
    if selected.is_empty() {
        return Err(Error::Usage(msg!(
            "E0672",
            period = period,
            zone = target.zone,
            metric = target.metric
        )));
    }
    let mut trace = build(&model, period, &selected, &kept, target.entity.as_deref());
    if let Some((books, closing_of)) = &with_books {
        // What the books booked for the cell: its closing's summary and every
        // adjustment since.
        let closing = books.closings.iter().find(|c| c.period == period);
        let mut booked = crate::input::books::Figures::new();
        let figures = closing
            .map(|c| (c.dir.join("summary.csv"), false))
            .into_iter()
            .chain(
                books
                    .closings
                    .iter()
                    .map(|c| (c.dir.join("adjustments.csv"), true)),
            );
        for (file, adjustments) in figures {
            crate::input::books::read_figures(&file, adjustments, &model, &mut booked)
                .map_err(|d| Error::Records(vec![d], 0))?;
        }
        let closing = closing.map(|c| c.period);
        // The booked lines alone, recomputed with the standing inputs in use (§15).
        let mut only = inputs.without_files();
        only.records = inputs
            .records
            .iter()
            .filter(|p| closing_of.contains_key(&crate::pathtext::show(p)))
            .cloned()
            .collect();
        only.deductions = inputs
            .deductions
            .iter()
            .filter(|p| closing_of.contains_key(&crate::pathtext::show(p)))
            .cloned()
            .collect();
        let replayed = if only.records.is_empty() && only.deductions.is_empty() {
            None
        } else {
            let mut m2 = model.clone();
            let (c2, _) = super::read_cells(&mut m2, &only, 100)?;
            let o2 = compute(&m2, &c2)?;
            Some(crate::output::summary::rows(&m2, &o2))
        };
        trace.books = Some(books_trace(
            &model,
            closing,
            &booked,
            replayed.as_ref(),
            closing_of,
            period,
            &trace,
            &kept,
        ));
    }
    for (ct, c) in trace.cells.iter_mut().zip(&selected) {
        add_parts(&model, &outcome, &cells.deduction_source, c, ct);
    }
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(&trace).unwrap_or_default() + "\n",
        _ => render_text(&trace),
    })
}
