//! The house (ARCHITECTURE.md): no module of `src/` imports, through `crate::` or
//! `super::` paths, a module that imports it back, directly or around a longer loop —
//! data flows one way. The graph is built from the source text of every file module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn modules(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            modules(&p, root, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p.strip_prefix(root).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|l| l == "mod") {
                parts.pop();
            }
            out.insert(parts.join("::"), std::fs::read_to_string(&p).unwrap());
        }
    }
}

/// The module a `crate::…` or `super::…` path names (the longest prefix that is one).
fn resolve(mods: &BTreeMap<String, String>, cur: &str, path: &str) -> Option<String> {
    let mut segs: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = if segs[0] == "crate" {
        segs.remove(0);
        Vec::new()
    } else {
        let mut b: Vec<&str> = cur.split("::").collect();
        while segs.first() == Some(&"super") {
            segs.remove(0);
            b.pop();
        }
        b
    };
    base.extend(segs);
    (1..=base.len())
        .rev()
        .map(|i| base[..i].join("::"))
        .find(|n| mods.contains_key(n))
}

/// Every module of `src/` and the modules it imports.
fn graph() -> (BTreeMap<String, String>, BTreeMap<String, BTreeSet<String>>) {
    let src = crate::common::repo().join("src");
    let mut mods = BTreeMap::new();
    modules(&src, &src, &mut mods);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, text) in &mods {
        let mut deps = BTreeSet::new();
        for (i, _) in text
            .match_indices("crate::")
            .chain(text.match_indices("super::"))
        {
            let tail: String = text[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            if let Some(r) = resolve(&mods, m, tail.trim_end_matches(':'))
                && r != *m
                && !r.starts_with(&format!("{m}::"))
                && !m.starts_with(&format!("{r}::"))
            {
                deps.insert(r);
            }
        }
        edges.insert(m.clone(), deps);
    }
    (mods, edges)
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let (mods, edges) = graph();
    // A module that reaches itself by following imports is in a loop.
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        while let Some((m, path)) = todo.pop() {
            for d in edges.get(&m).into_iter().flatten() {
                if d == start {
                    panic!("module loop: {} → {start}", path.join(" → "));
                }
                if seen.insert(d.clone()) {
                    let mut p = path.clone();
                    p.push(d.clone());
                    todo.push((d.clone(), p));
                }
            }
        }
    }
    assert!(mods.len() > 50, "{} modules", mods.len());
}

/// The layers of the house, bottom up: a module may import its own layer and those
/// below, never one above (the engine knows no output, the reader no engine, nothing
/// but the commands knows the commands). `cli` is the declarations of the command
/// line — the options a manifest records, the encoding and format names — and imports
/// nothing of the crate, so every layer may name its types.
const LAYERS: [&[&str]; 9] = [
    &["pathtext"],
    &["cli"],
    &["i18n"],
    &["diag", "num", "period", "suggest", "formula"],
    &["model", "ledger", "manifest", "config"],
    &["input"],
    &["engine"],
    &["output"],
    &["error", "commands", "lib", "main"],
];

#[test]
fn no_module_imports_a_layer_above_its_own() {
    let (_, edges) = graph();
    let layer = |m: &str| {
        let top = m.split("::").next().unwrap_or(m);
        LAYERS
            .iter()
            .position(|l| l.contains(&top))
            .unwrap_or_else(|| panic!("module {m} is in no layer: add it to LAYERS"))
    };
    let mut up = Vec::new();
    for (m, deps) in &edges {
        for d in deps {
            if layer(d) > layer(m) {
                up.push(format!("{m} → {d}"));
            }
        }
    }
    assert!(up.is_empty(), "imports that run up the layers: {up:#?}");
}
