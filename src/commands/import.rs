//! `fencheng import` (SPEC §12, §16): the export read through a profile, written as
//! plain §2.1 records with the export's line as `source`, so the records a command
//! reads through the profile can be looked at, kept and read again without it.

use crate::cli::ImportArgs;
use crate::diag::Diag;
use crate::error::Error;
use crate::input::profile::{self, Mapped};
use crate::msg;
use crate::output::csvtext::cell;
use crate::period::{Period, parse_date};
use std::path::Path;

pub fn import(args: &ImportArgs) -> Result<String, Error> {
    let shown = crate::pathtext::show(&args.profile);
    let bytes = super::read_whole(&args.profile)?;
    let p = profile::parse(&shown, &bytes).map_err(|d| Error::Records(d, 0))?;
    refuse_overwrite(args)?;
    let zones = match &args.entities {
        Some(e) if p.zone_from_entities => entity_zones(e, args.encoding)?,
        _ => Default::default(),
    };
    let with_start = p.columns.contains_key(&5);
    let mut out = String::from("period,zone,entity,metric,amount");
    out.push_str(if with_start {
        ",entity_start,source\n"
    } else {
        ",source\n"
    });
    let mut problems = Vec::new();
    let mut written = 0u64;
    for path in &args.records {
        let name = crate::pathtext::show(path);
        let bytes = super::read_whole(path)?;
        let mut header: Option<profile::Header> = None;
        let mut tally = profile::Tally::default();
        let mut at = |line: u64, field: &str, m: crate::diag::Msg| {
            problems.push(Diag::new(&name, line as usize, field, m));
        };
        let read = crate::input::records::each_export_row(
            &p,
            path,
            &bytes,
            args.encoding,
            &mut |line, fields| {
                let Some(h) = &header else {
                    if fields.iter().all(|f| f.trim().is_empty()) {
                        return true;
                    }
                    match profile::header(&p, fields) {
                        Ok(h) => header = Some(h),
                        Err(ms) => {
                            ms.into_iter().for_each(|m| at(line, "header", m));
                            return false;
                        }
                    }
                    return true;
                };
                let trailing =
                    fields.len() > h.width && fields[h.width..].iter().all(|f| f.is_empty());
                let fields = if trailing { &fields[..h.width] } else { fields };
                if fields.len() != h.width {
                    at(
                        line,
                        "",
                        msg!("E0209", found = fields.len(), expected = h.width),
                    );
                    return true;
                }
                match profile::map(&p, h, fields) {
                    Mapped::Blank => {}
                    Mapped::Skipped(why) => *tally.skipped.entry(why).or_default() += 1,
                    Mapped::Dropped(why) => *tally.dropped.entry(why).or_default() += 1,
                    Mapped::Bad(list) => list.into_iter().for_each(|(f, m)| at(line, f, m)),
                    Mapped::Row(mut six) => {
                        if p.zone_from_entities {
                            match zones.get(&six[2]) {
                                Some(z) => six[1] = z.clone(),
                                None if args.entities.is_none() => {
                                    at(line, "zone", msg!("E0275", profile = p.path));
                                    return true;
                                }
                                None => {
                                    at(line, "zone", msg!("E0276", entity = six[2], file = ""));
                                    return true;
                                }
                            }
                        }
                        match checked(six) {
                            Ok(six) => {
                                written += 1;
                                let cols = if with_start { 6 } else { 5 };
                                for v in &six[..cols] {
                                    out.push_str(&cell(v));
                                    out.push(',');
                                }
                                out.push_str(&cell(&format!("{name}:{line}")));
                                out.push('\n');
                            }
                            Err(list) => list.into_iter().for_each(|(f, m)| at(line, f, m)),
                        }
                    }
                }
                true
            },
        );
        if let Err(m) = read {
            problems.push(Diag::new(&name, 0, "", m));
        }
        if header.is_none() && problems.is_empty() {
            problems.push(Diag::new(
                &name,
                0,
                "header",
                msg!("E0277", line = p.header),
            ));
        }
        if let Some(note) = tally.note(&name) {
            eprintln!("{note}");
        }
    }
    if !problems.is_empty() {
        return Err(Error::Records(problems, 0));
    }
    let mut tx = crate::output::atomic::Transaction::new(Path::new(""))?;
    let tmp = tx.reserve(&args.to);
    std::fs::write(&tmp, out.as_bytes()).map_err(crate::output::atomic::io_err(&tmp))?;
    tx.commit()?;
    Ok(format!(
        "{}\n",
        msg!("E0278", rows = written, to = args.to.display())
    ))
}

/// The formats §2.1 asks of a record, without a configuration: the period and the
/// start date in §2.1 form, the amount a plain decimal, an entity.
fn checked(mut six: [String; 6]) -> Result<[String; 6], Vec<(&'static str, crate::diag::Msg)>> {
    let mut bad = Vec::new();
    match Period::parse(&six[0]) {
        Some(p) => six[0] = p.to_string(),
        None => bad.push(("period", msg!("E0212", text = six[0]))),
    }
    if six[2].is_empty() {
        bad.push(("entity", msg!("E0216")));
    }
    if let Err(e) = crate::num::split_decimal(&six[4]) {
        bad.push(("amount", msg!("E0104", text = six[4], reason = e)));
    }
    if !six[5].is_empty() {
        match parse_date(&six[5]) {
            Some(d) => six[5] = d.to_string(),
            None => bad.push(("entity_start", msg!("E0217", text = six[5]))),
        }
    }
    if bad.is_empty() { Ok(six) } else { Err(bad) }
}

/// entity → zone, from an entities file's `zone` (园区) column.
fn entity_zones(
    path: &Path,
    encoding: crate::input::Encoding,
) -> Result<std::collections::BTreeMap<String, String>, Error> {
    use crate::input::table::{Column, read};
    let bytes = super::read_whole(path)?;
    let cols = [
        Column {
            name: "entity",
            alias: "企业",
            required: true,
        },
        Column {
            name: "zone",
            alias: "园区",
            required: true,
        },
    ];
    let t = read(&crate::pathtext::show(path), &bytes, encoding, &cols)
        .map_err(|d| Error::Records(d, 0))?;
    Ok(t.rows
        .into_iter()
        .filter(|(_, v)| !v[1].is_empty())
        .map(|(_, v)| (v[0].clone(), v[1].clone()))
        .collect())
}

/// `--to` naming an input (any spelling, links included) is refused before anything
/// is written.
fn refuse_overwrite(args: &ImportArgs) -> Result<(), Error> {
    let inputs = args
        .records
        .iter()
        .chain(std::iter::once(&args.profile))
        .chain(&args.entities);
    for i in inputs {
        if crate::output::atomic::same_file(i, &args.to) {
            return Err(Error::Usage(msg!("E0685", path = args.to.display())));
        }
    }
    Ok(())
}
