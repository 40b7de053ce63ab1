//! The entities file (`--entities`, SPEC §8.4): per enterprise its start date (投产日期),
//! where it came from (迁出地) and tags such as `stock` or `referral`, which rules'
//! `applies_to` look at. Enterprises with the same tags and origin share a *class*, so
//! the record reader resolves a record's rule once per class, not once per enterprise.

use super::records::Encoding;
use super::table::{self, Column};
use crate::diag::Diag;
use crate::model::{Entities, EntityClass, Model};
use crate::period::parse_date;

const COLUMNS: [Column; 5] = [
    Column {
        name: "entity",
        alias: "企业",
        required: true,
    },
    Column {
        name: "entity_start",
        alias: "投产日期",
        required: false,
    },
    Column {
        name: "origin",
        alias: "迁出地",
        required: false,
    },
    Column {
        name: "tags",
        alias: "标签",
        required: false,
    },
    Column {
        name: "zone",
        alias: "园区",
        required: false,
    },
];

fn word(w: &str) -> bool {
    !w.is_empty()
        && w.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Read the entities file (bytes in memory, or streamed from its path) into
/// `Entities`, with the SHA-256 of its bytes; every bad line is reported.
pub fn read(
    shown: &str,
    source: table::Source<'_>,
    encoding: Encoding,
    model: &Model,
) -> Result<(Entities, String), Vec<Diag>> {
    let mut out = Entities::default();
    out.file = shown.to_string();
    let mut problems = Vec::new();
    let sha = table::each(shown, source, encoding, &COLUMNS, &mut |line, v| {
        let l = line as usize;
        let mut bad = false;
        let mut report = |field: &str, msg: crate::diag::Msg| {
            problems.push(Diag::new(shown, l, field, msg));
            bad = true;
        };
        let id = v[0];
        if id.is_empty() {
            report("entity", crate::msg!("E0216"));
        }
        if let Some(first) = out.get(id) {
            report("entity", crate::msg!("E0240", id = id, first = first.line));
        }
        let start = if v[1].is_empty() {
            None
        } else {
            let d = parse_date(v[1]);
            if d.is_none() {
                report("entity_start", crate::msg!("E0217", text = v[1]));
            }
            d
        };
        let origin = (!v[2].is_empty()).then(|| v[2].to_string());
        if let Some(o) = &origin
            && !model.parties.iter().any(|p| &p.id == o)
        {
            report(
                "origin",
                crate::msg!(
                    "E0241",
                    party = o,
                    hint = crate::suggest::hint(o, model.parties.iter().map(|p| &p.id))
                ),
            );
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in v[3].split(';').map(str::trim).filter(|t| !t.is_empty()) {
            if word(tag) {
                tags.push(tag.to_string());
            } else {
                report("tags", crate::msg!("E0242", tag = tag));
            }
        }
        tags.sort();
        tags.dedup();
        if bad {
            return;
        }
        let class = EntityClass { tags, origin };
        let c = match out.classes.iter().position(|x| *x == class) {
            Some(i) => i,
            None => {
                out.classes.push(class);
                out.classes.len() - 1
            }
        };
        let zone = (!v[4].is_empty()).then_some(v[4]);
        if out.insert(id, start, c as u32 + 1, zone, line).is_none() {
            problems.push(Diag::new(shown, l, "entity", crate::msg!("E0239")));
        }
    });
    match sha {
        Ok(sha) if problems.is_empty() => Ok((out, sha)),
        Ok(_) => Err(problems),
        Err(d) => {
            problems.extend(d);
            Err(problems)
        }
    }
}
