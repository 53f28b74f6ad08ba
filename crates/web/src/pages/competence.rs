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
        ((C + r * angle.cos()) * 10.0).round() / 10.0,
        ((C + r * angle.sin()) * 10.0).round() / 10.0,
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

/// The tenant (or a pimpinan's subtree) at a glance: JPM, categories, heat map by unit, and
/// the people who are Kurang Optimal or not yet assessed, with downloads.
pub mod page {
    use askama::Template;
    use axum::extract::{Query, State};

    use cakap_domain::Role;
    use cakap_services::exports::{Format, Table};
    use cakap_services::gaps::{self, PersonGap};
    use cakap_services::{ServiceError, units};
    use serde::Deserialize;

    use super::super::home::Chart;
    use super::super::units::{UnitGapsView, gaps_view};
    use super::super::{PageResult, Ui, UnitOption, href, render, unit_options};
    use crate::AppState;
    use crate::extract::PageActor;
    use crate::i18n::{self, Lang, fmt_dec, fmt_int};

    #[derive(Deserialize, Default)]
    #[serde(default)]
    pub struct Filter {
        list: String,
        unit: String,
        kecamatan: String,
        kind: String,
        golongan: String,
        format: String,
    }

    impl Filter {
        /// Whether a person passes the kecamatan, position-kind and golongan filters.
        fn admits(&self, p: &PersonGap) -> bool {
            let group = |g: &str| match g.split_once('/') {
                Some((roman, _)) => roman.to_string(),
                None => "pppk".to_string(),
            };
            (self.kecamatan.is_empty() || p.kecamatan.as_deref() == Some(self.kecamatan.as_str()))
                && (self.kind.is_empty() || p.position_kind.as_deref() == Some(self.kind.as_str()))
                && (self.golongan.is_empty()
                    || p.golongan.as_deref().map(group).as_deref() == Some(self.golongan.as_str()))
        }
    }

    /// One row per kecamatan: (name, employees, average JPM, Kurang Optimal, not assessed).
    pub struct KecamatanRow {
        pub name: String,
        pub employees: String,
        pub jpm: String,
        pub kurang: String,
        pub belum: String,
    }

    #[derive(Default)]
    struct PlaceAcc {
        people: i64,
        jpm_sum: f64,
        jpm_n: i64,
        kurang: i64,
        belum: i64,
    }

    /// The table per kecamatan, and its Kurang Optimal counts for the chart.
    fn by_kecamatan(lang: Lang, people: &[&PersonGap]) -> (Vec<KecamatanRow>, Vec<(String, i64)>) {
        let mut acc: std::collections::BTreeMap<String, PlaceAcc> = Default::default();
        for p in people {
            let a = acc
                .entry(super::super::kecamatan_name(p.kecamatan.as_deref()))
                .or_default();
            a.people += 1;
            if let Some(j) = p.jpm {
                a.jpm_sum += j;
                a.jpm_n += 1;
                a.kurang += i64::from(j < 78.0);
            }
            a.belum += i64::from(p.not_assessed > 0);
        }
        let chart = acc.iter().map(|(k, a)| (k.clone(), a.kurang)).collect();
        let rows = acc
            .into_iter()
            .map(|(name, a)| KecamatanRow {
                name,
                employees: fmt_int(lang, a.people),
                jpm: if a.jpm_n > 0 {
                    fmt_dec(lang, (a.jpm_sum / a.jpm_n as f64 * 100.0).round() / 100.0)
                } else {
                    "—".into()
                },
                kurang: fmt_int(lang, a.kurang),
                belum: fmt_int(lang, a.belum),
            })
            .collect();
        (rows, chart)
    }

    /// People per ten JPM points (the last bin holds 90–100), for the histogram.
    fn histogram(people: &[&PersonGap]) -> Vec<(String, i64)> {
        let mut bins = [0i64; 10];
        for j in people.iter().filter_map(|p| p.jpm) {
            let i = ((j / 10.0).floor() as usize).min(9);
            bins[i] += 1;
        }
        bins.iter()
            .enumerate()
            .map(|(i, n)| {
                let (lo, hi) = (i * 10, if i == 9 { 100 } else { i * 10 + 9 });
                (format!("{lo}–{hi}"), *n)
            })
            .collect()
    }

    #[derive(Template)]
    #[template(path = "competence.html")]
    struct CompetencePage {
        ui: Ui,
        is_admin: bool,
        scope_label: String,
        gaps: Option<UnitGapsView>,
        gaps_title: &'static str,
        list: String,
        unit: String,
        units: Vec<UnitOption>,
        kecamatan: String,
        kind: String,
        golongan: String,
        kecamatans: Vec<(&'static str, &'static str)>,
        kinds: Vec<(&'static str, String)>,
        golongans: Vec<(&'static str, &'static str)>,
        histogram: Option<Chart>,
        places: Vec<KecamatanRow>,
        places_chart: Option<Chart>,
        people: Vec<(String, String, String, String, i64)>,
        people_info: String,
        download_xlsx: String,
        download_csv: String,
    }

    fn selected<'a>(list: &str, people: &[&'a PersonGap]) -> Vec<&'a PersonGap> {
        people
            .iter()
            .copied()
            .filter(|p| match list {
                "belum" => p.not_assessed > 0,
                _ => p.jpm.is_some_and(|j| j < 78.0),
            })
            .collect()
    }

    pub async fn show(
        State(s): State<AppState>,
        PageActor { actor, ctx }: PageActor,
        Query(f): Query<Filter>,
    ) -> PageResult {
        if !matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan) {
            return Err(ServiceError::Forbidden.into());
        }
        let list = if f.list == "belum" {
            "belum".to_string()
        } else {
            "kurang".to_string()
        };
        let unit = (!f.unit.trim().is_empty()).then(|| f.unit.trim().to_string());
        let g = gaps::unit(&s.db, &actor, unit.as_deref()).await?;
        let lang = ctx.lang;
        let admitted: Vec<&PersonGap> = g.people.iter().filter(|p| f.admits(p)).collect();
        let who: Vec<&PersonGap> = selected(&list, &admitted);
        if !f.format.is_empty() {
            let Some(format) = Format::parse(&f.format) else {
                return Err(ServiceError::NotFound.into());
            };
            let t = Table {
                headers: vec!["NIP", "Nama", "Unit", "JPM", "Belum Diases"],
                rows: who
                    .iter()
                    .map(|p| {
                        vec![
                            p.nip.clone(),
                            p.name.clone(),
                            p.unit_name.to_string(),
                            p.jpm.map_or_else(String::new, |j| format!("{j:.2}")),
                            p.not_assessed.to_string(),
                        ]
                    })
                    .collect(),
            };
            return super::super::download(&t, format, &format!("cakap-{list}"));
        }
        let ui = Ui::new(&ctx, "/competence");
        let all_units = units::list(&s.db, &actor)
            .await
            .map(|p| p.items)
            .unwrap_or_default();
        let top = all_units.iter().map(|u| u.depth).min().unwrap_or(0);
        let near: Vec<_> = all_units
            .into_iter()
            .filter(|u| u.depth == top || Some(u.code.as_str()) == unit.as_deref())
            .collect();
        let people: Vec<_> = who
            .iter()
            .take(100)
            .map(|p| {
                (
                    p.nip.clone(),
                    p.name.clone(),
                    p.unit_name.to_string(),
                    p.jpm.map_or_else(|| "—".into(), |j| fmt_dec(lang, j)),
                    p.not_assessed,
                )
            })
            .collect();
        let people_info = i18n::t_args(
            lang,
            "competence.shown",
            &[
                ("shown", fmt_int(lang, people.len() as i64)),
                ("total", fmt_int(lang, who.len() as i64)),
            ],
        );
        let pairs = |format: &str| {
            href(
                "/competence",
                &[
                    ("list", list.clone()),
                    ("unit", f.unit.clone()),
                    ("kecamatan", f.kecamatan.clone()),
                    ("kind", f.kind.clone()),
                    ("golongan", f.golongan.clone()),
                    ("format", format.to_string()),
                ],
            )
        };
        let scope_label = match actor.role {
            Role::Pimpinan => ui.t("home.scope_unit").to_string(),
            _ => ui.t("home.scope_all").to_string(),
        };
        let histogram = Chart::new(
            lang,
            ui.t("competence.histogram"),
            ui.t("competence.jpm_range"),
            ui.t("competence.people"),
            &histogram(&admitted),
        );
        let (places, place_counts) = by_kecamatan(lang, &admitted);
        let places_chart = Chart::new(
            lang,
            ui.t("competence.kurang_by_kecamatan"),
            ui.t("field.kecamatan"),
            ui.t("competence.people"),
            &place_counts,
        );
        Ok(render(&CompetencePage {
            is_admin: actor.role == Role::Admin,
            kecamatans: cakap_domain::kecamatan::ACEH_BARAT_DAYA
                .iter()
                .map(|k| (k.code, k.name))
                .collect(),
            kinds: cakap_domain::PositionKind::ALL
                .iter()
                .map(|k| (k.as_str(), format!("kind.{}", k.as_str())))
                .collect(),
            golongans: vec![
                ("I", "I"),
                ("II", "II"),
                ("III", "III"),
                ("IV", "IV"),
                ("pppk", "PPPK"),
            ],
            kecamatan: f.kecamatan.clone(),
            kind: f.kind.clone(),
            golongan: f.golongan.clone(),
            histogram,
            places,
            places_chart,
            gaps: Some(gaps_view(lang, &ui, &g)),
            gaps_title: "competence.summary",
            scope_label,
            download_xlsx: pairs("xlsx"),
            download_csv: pairs("csv"),
            units: unit_options(&near),
            unit: f.unit,
            list,
            people,
            people_info,
            ui,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radar_points_sit_around_the_centre() {
        assert_eq!(
            point(0, 4, 5.0),
            (160.0, 50.0),
            "first axis straight up, full radius"
        );
        assert_eq!(point(1, 4, 5.0), (270.0, 160.0), "second to the right");
        assert_eq!(point(2, 4, 0.0), (160.0, 160.0), "level 0 is the centre");
    }
}
