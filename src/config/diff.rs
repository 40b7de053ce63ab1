//! What changed between two configurations, as parsed values (SPEC §15, §16): a
//! configuration re-saved with other spacing, comments or key order is the same one;
//! an edited ratio is named by its key, e.g. `zone.cheng-a.agreement.2021.rule.tax
//! .shares.aba: 0.6 → 0.55`. Arrays of tables are named by each element's `id` where
//! it has one (agreements, rules), otherwise by position from 1.

use std::collections::BTreeMap;
use toml::Value;

/// Every leaf of the configuration's files, merged (tables key by key, arrays of
/// tables concatenated, in file order), as dotted key → value text.
pub fn leaves(files: &[(String, Vec<u8>)]) -> BTreeMap<String, String> {
    let mut merged = toml::Table::new();
    for (_, bytes) in files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if let Ok(t) = text.parse::<toml::Table>() {
            merge(&mut merged, t);
        }
    }
    let mut out = BTreeMap::new();
    flatten("", &Value::Table(merged), &mut out);
    out
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(Value::Table(a)), Value::Table(b)) => merge(a, b),
            (Some(Value::Array(a)), Value::Array(b)) => a.extend(b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Table(t) => {
            for (k, v) in t {
                flatten(&key(k), v, out);
            }
        }
        Value::Array(a) if a.iter().all(Value::is_table) && !a.is_empty() => {
            for (i, e) in a.iter().enumerate() {
                let name = e
                    .get("id")
                    .and_then(Value::as_str)
                    .map_or_else(|| (i + 1).to_string(), str::to_string);
                flatten(&key(&name), e, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// The keys whose values differ: `key: old → new` (`—` for a key on one side only).
pub fn changes(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<String> {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| old.get(*k) != new.get(*k))
        .map(|k| {
            format!(
                "{k}: {} → {}",
                old.get(k).map_or("—", String::as_str),
                new.get(k).map_or("—", String::as_str)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> BTreeMap<String, String> {
        leaves(&[("c.toml".into(), text.as_bytes().to_vec())])
    }

    #[test]
    fn an_edited_ratio_is_named_by_its_key_and_layout_does_not_matter() {
        let a = of(
            "[[zone.z.agreement]]\nid = \"2012\"\n[[zone.z.agreement.rule]]\nid = \"tax\"\nshares = { aba = \"0.6\", cd = \"0.4\" }\n",
        );
        let b = of(
            "# a comment\n[[zone.z.agreement]]\nid=\"2012\"\n[[zone.z.agreement.rule]]\nid = \"tax\"\nshares = { cd = \"0.45\", aba = \"0.55\" }\n",
        );
        assert_eq!(
            changes(&a, &b),
            [
                "zone.z.agreement.2012.rule.tax.shares.aba: 0.6 → 0.55",
                "zone.z.agreement.2012.rule.tax.shares.cd: 0.4 → 0.45"
            ]
        );
        assert!(changes(&a, &a).is_empty());
    }
}
