//! The chart of one quota metric's accounts (SPEC §13.2): for each year and region, what
//! it may use — allotted, plus what it received — beside what it used (its share of
//! the zones' consumption, the exempt part apart), with what it gave away and its
//! headroom. An account over quota is drawn in red and says by how much.
//!
//! Heights are drawn from the exact figures converted for the picture only; every
//! number written on the chart is the exact figure of quota.csv.

use super::chart::{colour, thousands};
use crate::engine::accounts::Account;
use crate::i18n::t;
use crate::model::Model;
use crate::num::format_scaled;
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The SVG of `metric`'s accounts (any years), or `None` when it has none.
pub fn svg(model: &Model, accounts: &[Account], metric: usize) -> Option<String> {
    let rows: Vec<&Account> = accounts.iter().filter(|a| a.metric == metric).collect();
    if rows.is_empty() {
        return None;
    }
    let m = &model.metrics[metric];
    let q = &m.quantum;
    let exact = |u: i128| format_scaled(u * q.scaled, q.decimals);
    // For the picture only: the exact text read as a float.
    let fl = |u: i128| exact(u).parse::<f64>().unwrap_or(0.0);
    let group_w = 150.0;
    let (left, right, top, bottom) = (110.0, 40.0, 90.0, 110.0);
    let ph = 380.0;
    // Wide enough for the legend's four entries, whatever the number of groups.
    let w = (left + right + group_w * rows.len() as f64).max(900.0);
    let h = top + ph + bottom;
    let hi = rows
        .iter()
        .map(|a| fl(a.allocated + a.transferred_in).max(fl(a.used + a.exempt)))
        .fold(0.0f64, f64::max)
        .max(1.0)
        * 1.12;
    let py = |v: f64| top + ph - v / hi * ph;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif" font-size="12">"##
    );
    let _ = writeln!(
        s,
        r##"<rect width="{w:.0}" height="{h:.0}" fill="#ffffff"/>"##
    );
    let title = crate::i18n::tf(
        "quota.chart.title",
        &[
            ("name", m.name.clone()),
            ("id", m.id.clone()),
            ("unit", m.unit.clone()),
        ],
    );
    let _ = writeln!(
        s,
        r##"<text x="{left}" y="28" font-size="16" font-weight="bold">{}</text>"##,
        esc(&title)
    );
    // The legend: what each bar is.
    let legend = [
        ("#9fb6cd", t("quota.chart.allocated")),
        ("#d6e2ee", t("quota.chart.received")),
        ("#4a7", t("quota.chart.used")),
        ("#bfe3cc", t("quota.chart.exempt")),
    ];
    for (i, (fill, label)) in legend.iter().enumerate() {
        let x = left + i as f64 * 190.0;
        let _ = writeln!(
            s,
            r##"<rect x="{x:.1}" y="44" width="14" height="14" fill="{fill}" stroke="#555" stroke-width="0.5"/><text x="{:.1}" y="56">{}</text>"##,
            x + 20.0,
            esc(label)
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{left}" y="76" fill="#555">{}</text>"##,
        esc(t("quota.chart.note"))
    );
    // Axis with round ticks.
    let step = {
        let raw = hi / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|k| k * mag)
            .find(|v| *v >= raw)
            .unwrap_or(10.0 * mag)
    };
    let mut tick = 0.0;
    while tick <= hi {
        let y = py(tick);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#e6e6e6"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
            w - right,
            left - 8.0,
            y + 4.0,
            thousands(tick)
        );
        tick += step;
    }
    let _ = writeln!(
        s,
        r##"<text x="24" y="{:.1}" transform="rotate(-90 24 {:.1})" text-anchor="middle" fill="#444">{}</text>"##,
        top + ph / 2.0,
        top + ph / 2.0,
        esc(&m.unit)
    );
    for (i, a) in rows.iter().enumerate() {
        let x0 = left + i as f64 * group_w + 22.0;
        let bw = 44.0;
        // Bar 1: allotted, with what was received on top; a line at what is left
        // after what was given away.
        let (al, rc) = (fl(a.allocated), fl(a.transferred_in));
        let bar = |s: &mut String, x: f64, from: f64, to: f64, fill: &str, stroke: &str| {
            let (y1, y2) = (py(to), py(from));
            let _ = writeln!(
                s,
                r##"<rect x="{x:.1}" y="{y1:.1}" width="{bw}" height="{:.1}" fill="{fill}" stroke="{stroke}" stroke-width="1"/>"##,
                (y2 - y1).max(0.0)
            );
        };
        bar(&mut s, x0, 0.0, al, "#9fb6cd", "#6d87a3");
        if rc > 0.0 {
            bar(&mut s, x0, al, al + rc, "#d6e2ee", "#6d87a3");
        }
        if a.transferred_out > 0 {
            // (Given away more than it had: the line stays on the axis; the figure
            // under the group says how far below.)
            let y = py((al + rc - fl(a.transferred_out)).max(0.0));
            let _ = writeln!(
                s,
                r##"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#333" stroke-width="2" stroke-dasharray="4 2"/><text x="{:.1}" y="{:.1}" font-size="10" fill="#333">−{}</text>"##,
                x0 - 4.0,
                x0 + bw + 4.0,
                x0,
                y - 4.0,
                exact(a.transferred_out)
            );
        }
        // Bar 2: used, the exempt part on top; red when the account is over quota.
        let over = a.headroom < 0;
        let (us, ex) = (fl(a.used), fl(a.exempt));
        let (fill, stroke) = if over {
            ("#d9534f", "#a94442")
        } else {
            ("#4a7", "#2e7050")
        };
        bar(&mut s, x0 + bw + 8.0, 0.0, us, fill, stroke);
        if ex > 0.0 {
            bar(&mut s, x0 + bw + 8.0, us, us + ex, "#bfe3cc", "#2e7050");
        }
        // The exact figures under the group, the headroom in red when negative.
        let cx = x0 + bw + 4.0;
        let label = format!("{} · {}", a.year, model.party_name(&a.party));
        let _ = writeln!(
            s,
            r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-weight="bold" fill="{}">{}</text>"##,
            top + ph + 18.0,
            colour(&a.party),
            esc(&label)
        );
        for (k, (key, v)) in [
            (
                "quota.chart.available",
                a.allocated + a.transferred_in - a.transferred_out,
            ),
            ("quota.chart.used", a.used),
            ("quota.chart.headroom", a.headroom),
        ]
        .iter()
        .enumerate()
        {
            let colour = if *key == "quota.chart.headroom" && over {
                "#a94442"
            } else {
                "#333"
            };
            let _ = writeln!(
                s,
                r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{colour}">{} {}</text>"##,
                top + ph + 36.0 + k as f64 * 15.0,
                esc(t(key)),
                exact(*v)
            );
        }
        if over {
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-weight="bold" fill="#a94442">{}</text>"##,
                x0 + bw * 1.5 + 8.0,
                py(us + ex) - 6.0,
                esc(t("quota.chart.over"))
            );
        }
    }
    let _ = writeln!(
        s,
        r##"<line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#333"/>"##,
        top + ph,
        w - right,
        top + ph
    );
    s.push_str("</svg>\n");
    Some(s)
}
