//! Line charts as self-contained SVG, for people at a negotiating table.
//!
//! Drawn by hand (not by a plotting library) so that every chart follows the same
//! rules: each party keeps its colour in every chart (a fixed palette, chosen from its
//! id), parties are named, the y-axis spans the data's own range with thousands
//! separators and the unit, a target is a labelled line, the value found is marked,
//! and the legend stands outside the plot. Coordinates are floats; the figures shown in
//! labels are the exact decimals passed in.

use crate::model::Model;
use crate::output::atomic::OutputError;
use std::fmt::Write;
use std::path::Path;

/// Colour-blind-safe palette (Okabe–Ito, then Tol's muted), dark enough on white.
const PALETTE: [&str; 12] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#117733",
    "#332288", "#999933", "#AA4499", "#44AA99",
];

/// A party's colour: the same in every chart, whatever else is drawn.
pub fn colour(party: &str) -> &'static str {
    // FNV-1a of the id: stable across runs, machines and configurations.
    let mut h: u32 = 0x811c9dc5;
    for b in party.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    PALETTE[(h % PALETTE.len() as u32) as usize]
}

/// One line: the party's id, its label and a value per x.
pub struct Series {
    pub id: String,
    pub label: String,
    pub values: Vec<f64>,
}

/// A chart to draw.
pub struct Chart<'a> {
    pub title: String,
    pub x_label: String,
    /// The x values and how each is written.
    pub xs: Vec<(f64, String)>,
    pub unit: String,
    pub series: Vec<Series>,
    /// A horizontal target line and its label.
    pub target: Option<(f64, String)>,
    /// A vertical mark (the value found) and its label.
    pub mark: Option<(f64, String)>,
    pub model: Option<&'a Model>,
}

/// `1234567.8` → `1,234,568` (axis labels: whole units are enough to read a chart).
pub fn thousands(v: f64) -> String {
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

/// Round axis ticks covering [lo, hi].
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let mut t = (lo / step).floor() * step;
    let mut out = Vec::new();
    while t <= hi + step * 0.001 {
        out.push(t);
        t += step;
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Render the chart as SVG text.
pub fn svg(c: &Chart<'_>) -> String {
    let (w, h) = (960.0, 540.0);
    let (left, right, top, bottom) = (110.0, 250.0, 60.0, 70.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let mut all: Vec<f64> = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .collect();
    if let Some((t, _)) = &c.target {
        all.push(*t);
    }
    let (mut lo, mut hi) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.01).max(1.0);
    lo -= pad;
    hi += pad;
    let yt = ticks(lo, hi);
    let (lo, hi) = (
        yt.first().copied().unwrap_or(lo).min(lo),
        yt.last().copied().unwrap_or(hi).max(hi),
    );
    let (x0, x1) = (
        c.xs.first().map_or(0.0, |x| x.0),
        c.xs.last().map_or(1.0, |x| x.0),
    );
    let xspan = if x1 > x0 { x1 - x0 } else { 1.0 };
    let px = |x: f64| left + (x - x0) / xspan * pw;
    let py = |y: f64| top + (hi - y) / (hi - lo) * ph;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif" font-size="13">"##
    );
    let _ = writeln!(s, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
    let _ = writeln!(
        s,
        r##"<text x="{left}" y="30" font-size="17" font-weight="bold">{}</text>"##,
        esc(&c.title)
    );
    // Grid and y labels.
    for t in &yt {
        let y = py(*t);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e3e3e3"/>"##,
            left + pw
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
            left - 8.0,
            y + 4.0,
            thousands(*t)
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="20" y="{:.1}" transform="rotate(-90 20 {:.1})" text-anchor="middle" fill="#444">{}</text>"##,
        top + ph / 2.0,
        top + ph / 2.0,
        esc(&c.unit)
    );
    // X labels (at most ~12).
    let every = c.xs.len().div_ceil(12).max(1);
    for (i, (x, label)) in c.xs.iter().enumerate() {
        let xp = px(*x);
        let _ = writeln!(
            s,
            r##"<line x1="{xp:.1}" y1="{:.1}" x2="{xp:.1}" y2="{:.1}" stroke="#999"/>"##,
            top + ph,
            top + ph + 5.0
        );
        if i % every == 0 || i + 1 == c.xs.len() {
            let _ = writeln!(
                s,
                r##"<text x="{xp:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
                top + ph + 20.0,
                esc(label)
            );
        }
    }
    let _ = writeln!(
        s,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#444">{}</text>"##,
        left + pw / 2.0,
        h - 18.0,
        esc(&c.x_label)
    );
    let _ = writeln!(
        s,
        r##"<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>"##
    );
    // Target and mark.
    if let Some((t, label)) = &c.target {
        let y = py(*t);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#c00" stroke-width="1.5" stroke-dasharray="6 4"/>"##,
            left + pw
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#c00">{}</text>"##,
            left + pw - 6.0,
            y - 6.0,
            esc(label)
        );
    }
    if let Some((x, label)) = &c.mark {
        let xp = px(*x);
        let _ = writeln!(
            s,
            r##"<line x1="{xp:.1}" y1="{top}" x2="{xp:.1}" y2="{:.1}" stroke="#c00" stroke-width="1.5"/>"##,
            top + ph
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" fill="#c00">{}</text>"##,
            xp + 6.0,
            top + 16.0,
            esc(label)
        );
    }
    // Lines, then the legend outside the plot, on the right.
    for (i, ser) in c.series.iter().enumerate() {
        let col = colour(&ser.id);
        let pts: Vec<String> =
            c.xs.iter()
                .zip(&ser.values)
                .map(|((x, _), v)| format!("{:.1},{:.1}", px(*x), py(*v)))
                .collect();
        let _ = writeln!(
            s,
            r##"<polyline fill="none" stroke="{col}" stroke-width="2.5" points="{}"/>"##,
            pts.join(" ")
        );
        for p in &pts {
            if let Some((a, b)) = p.split_once(',') {
                let _ = writeln!(s, r##"<circle cx="{a}" cy="{b}" r="3" fill="{col}"/>"##);
            }
        }
        let ly = top + 10.0 + i as f64 * 24.0;
        let lx = left + pw + 20.0;
        let _ = writeln!(
            s,
            r##"<line x1="{lx}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{col}" stroke-width="3"/>"##,
            lx + 24.0
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}">{}</text>"##,
            lx + 30.0,
            ly + 4.0,
            esc(&ser.label)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Write a chart to `path`.
pub fn write(path: &Path, c: &Chart<'_>) -> Result<(), OutputError> {
    std::fs::write(path, svg(c)).map_err(crate::output::atomic::io_err(path))
}

/// The chart of a projection: each party's yearly figure (the rows that `shown` keeps,
/// summed per party), one line per party.
pub fn project_chart(
    path: &Path,
    model: &Model,
    rows: &std::collections::BTreeMap<(i32, String, String, String), (i128, usize)>,
    shown: &dyn Fn(&str, &str, &str) -> bool,
    from: i32,
    to: i32,
) -> Result<(), OutputError> {
    std::fs::write(path, project_svg(model, rows, shown, from, to))
        .map_err(crate::output::atomic::io_err(path))
}

/// The SVG text of `project_chart`.
pub fn project_svg(
    model: &Model,
    rows: &std::collections::BTreeMap<(i32, String, String, String), (i128, usize)>,
    shown: &dyn Fn(&str, &str, &str) -> bool,
    from: i32,
    to: i32,
) -> String {
    let mut per: std::collections::BTreeMap<String, Vec<f64>> = std::collections::BTreeMap::new();
    let mut units = std::collections::BTreeSet::new();
    let mut zones = std::collections::BTreeSet::new();
    let mut metrics = std::collections::BTreeSet::new();
    for ((y, z, m, p), (u, mi)) in rows {
        if !shown(z, m, p) || *y < from || *y > to {
            continue;
        }
        let q = &model.metrics[*mi].quantum;
        let v = *u as f64 * q.scaled as f64 / 10f64.powi(q.decimals as i32);
        let e = per
            .entry(p.clone())
            .or_insert_with(|| vec![0.0; (to - from + 1) as usize]);
        e[(y - from) as usize] += v;
        units.insert(model.metrics[*mi].unit.clone());
        metrics.insert(model.metrics[*mi].name.clone());
        zones.insert(
            model
                .zone(z)
                .map_or(z.clone(), |i| model.zones[i].name.clone()),
        );
    }
    let zones: Vec<String> = zones.into_iter().collect();
    let chart = Chart {
        title: crate::i18n::tf(
            "chart.projection",
            &[
                ("zones", zones.join("、")),
                (
                    "metrics",
                    metrics.into_iter().collect::<Vec<_>>().join("、"),
                ),
                ("from", from.to_string()),
                ("to", to.to_string()),
            ],
        ),
        x_label: crate::i18n::t("chart.year").into(),
        xs: (from..=to).map(|y| (f64::from(y), y.to_string())).collect(),
        unit: units
            .into_iter()
            .filter(|u| !u.is_empty())
            .collect::<Vec<_>>()
            .join(" / "),
        series: per
            .into_iter()
            .map(|(p, values)| Series {
                label: format!("{} {p}", model.party_name(&p)),
                id: p,
                values,
            })
            .collect(),
        target: None,
        mark: None,
        model: Some(model),
    };
    svg(&chart)
}
