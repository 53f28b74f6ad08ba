//! What the competency pages share: the radar chart of one person and the heat-map cells of
//! a unit, computed here so templates only place them.

use cakap_services::gaps::{EmployeeGaps, UnitGaps};

use crate::i18n::{Lang, fmt_dec};

/// A radar chart of required versus actual levels, as SVG coordinates.
pub struct Radar {
    pub rings: Vec<String>,
    pub axes: Vec<(f64, f64, f64, f64)>,
    pub labels: Vec<(f64, f64, String, &'static str)>,
    pub required: String,
    pub actual: String,
}

const C: f64 = 160.0;
const R: f64 = 110.0;

fn point(i: usize, n: usize, level: f64) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    let r = R * level / 5.0;
    (
        (C + r * angle.cos() * 10.0).round() / 10.0,
        (C + r * angle.sin() * 10.0).round() / 10.0,
    )
}

fn polygon(values: &[f64]) -> String {
    let n = values.len();
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (x, y) = point(i, n, *v);
            format!("{x},{y}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Radar {
    /// `None` below three competencies, where a radar says nothing a table does not.
    pub fn of(g: &EmployeeGaps) -> Option<Radar> {
        let n = g.gaps.len();
        if n < 3 {
            return None;
        }
        let rings = (1..=5).map(|l| polygon(&vec![f64::from(l); n])).collect();
        let axes = (0..n)
            .map(|i| {
                let (x, y) = point(i, n, 5.0);
                (C, C, x, y)
            })
            .collect();
        let labels = g
            .gaps
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let (x, y) = point(i, n, 5.9);
                let anchor = if (x - C).abs() < 8.0 {
                    "middle"
                } else if x > C {
                    "start"
                } else {
                    "end"
                };
                (x, y + 4.0, item.competency.clone(), anchor)
            })
            .collect();
        Some(Radar {
            rings,
            axes,
            labels,
            required: polygon(&g.gaps.iter().map(|i| i.required as f64).collect::<Vec<_>>()),
            actual: polygon(&g.gaps.iter().map(|i| i.actual as f64).collect::<Vec<_>>()),
        })
    }
}

/// One row of a unit's heat map: a sub-unit and its average gap per competency.
pub struct HeatRow {
    pub code: String,
    pub name: String,
    pub employees: i64,
    pub jpm: String,
    pub cells: Vec<(String, &'static str)>,
}

/// The heat map's band for an average gap: 0 none, then < 0.5, < 1, ≥ 1 level.
pub fn band(gap: f64) -> &'static str {
    if gap <= 0.0 {
        "heat-0"
    } else if gap < 0.5 {
        "heat-1"
    } else if gap < 1.0 {
        "heat-2"
    } else {
        "heat-3"
    }
}

pub fn heat_rows(lang: Lang, g: &UnitGaps) -> Vec<HeatRow> {
    g.sub_units
        .iter()
        .map(|s| HeatRow {
            code: s.unit.clone(),
            name: s.name.clone(),
            employees: s.employees,
            jpm: s.jpm_avg.map_or_else(|| "—".into(), |j| fmt_dec(lang, j)),
            cells: g
                .competencies
                .iter()
                .map(|k| match s.avg_gap.get(&k.competency) {
                    Some(v) => (fmt_dec(lang, *v), band(*v)),
                    None => (String::new(), "heat-none"),
                })
                .collect(),
        })
        .collect()
}
