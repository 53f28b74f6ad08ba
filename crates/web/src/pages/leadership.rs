//! The leadership dashboard (`/dashboard`): one page for the Bupati, the Sekda and heads of
//! agencies — each tile a number, a small chart and a link to the page behind it. Everything
//! comes from one cached aggregate (`services::leadership`).

use askama::Template;
use axum::extract::{Query, State};
use cakap_domain::crisis::Hazard;
use cakap_services::leadership::{self, YearValue};
use cakap_services::performance::current_year;
use serde::Deserialize;

use super::{PageResult, Ui, render};
use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{Lang, fmt_int, fmt_places, fmt_rupiah, t_args};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DashboardQuery {
    year: Option<i64>,
    unit: Option<String>,
}

/// A labelled bar of a tile: `pct` of the bar's width (0–100).
pub struct MiniBar {
    pub label: String,
    pub value: String,
    pub pct: f64,
    pub class: &'static str,
}

pub struct Tile {
    pub id: &'static str,
    pub title: &'static str,
    pub value: String,
    pub note: String,
    pub href: String,
    pub bars: Vec<MiniBar>,
    /// A trend as polyline points in a 100×30 box, with its numbers for the table.
    pub spark: Option<String>,
    pub trend: Vec<(String, String)>,
    pub lines: Vec<String>,
}

impl Tile {
    fn new(id: &'static str, title: &'static str, href: String) -> Tile {
        Tile {
            id,
            title,
            value: "—".into(),
            note: String::new(),
            href,
            bars: Vec::new(),
            spark: None,
            trend: Vec::new(),
            lines: Vec::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ui: Ui,
    year: i64,
    years: Vec<i64>,
    unit: String,
    people: String,
    story: Vec<String>,
    tiles: Vec<Tile>,
    /// The talent map's cells, top row first: (box, people, class).
    talent: Vec<Vec<(u8, String, &'static str)>>,
    talent_year: i64,
}

/// Points of a sparkline over `values` (gaps skipped), scaled to their own lowest and
/// highest so a change shows.
fn spark(values: &[YearValue]) -> Option<String> {
    let known: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| Some((i, v.value?)))
        .collect();
    if known.len() < 2 {
        return None;
    }
    let lo = known.iter().map(|k| k.1).fold(f64::INFINITY, f64::min);
    let hi = known.iter().map(|k| k.1).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if hi - lo < 1.0 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let step = 100.0 / (values.len().max(2) - 1) as f64;
    let span = (hi - lo).max(1e-9);
    Some(
        known
            .iter()
            .map(|(i, v)| {
                let y = 28.0 - ((v - lo) / span).clamp(0.0, 1.0) * 26.0;
                format!("{:.1},{:.1}", *i as f64 * step, y)
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn trend(lang: Lang, values: &[YearValue], suffix: &str) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| {
            (
                v.year.to_string(),
                v.value.map_or_else(
                    || "—".into(),
                    |x| format!("{}{suffix}", fmt_places(lang, x, 1)),
                ),
            )
        })
        .collect()
}

pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<DashboardQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(current_year);
    let d = leadership::dashboard(&s.db, &actor, q.unit.as_deref(), year).await?;
    let ui = Ui::new(&ctx, "/dashboard");
    let lang = ctx.lang;
    let unit = q.unit.unwrap_or_default();
    let unit_q = if unit.is_empty() {
        String::new()
    } else {
        format!("&unit={unit}")
    };
    let mut tiles = Vec::new();

    let mut jpm = Tile::new("jpm", ui.t("dash.jpm"), "/competence".into());
    if let Some(v) = d.jpm {
        jpm.value = fmt_places(lang, v, 2);
    }
    jpm.note = ui.t("dash.jpm_note").into();
    jpm.spark = spark(&d.jpm_trend);
    jpm.trend = trend(lang, &d.jpm_trend, "");
    let total: i64 = d.jpm_categories.iter().map(|c| c.1).sum::<i64>().max(1);
    jpm.bars = d
        .jpm_categories
        .iter()
        .map(|(k, n)| MiniBar {
            label: k.clone(),
            value: fmt_int(lang, *n),
            pct: *n as f64 * 100.0 / total as f64,
            class: match k.as_str() {
                "Optimal" => "good",
                "Kurang Optimal" => "bad",
                _ => "",
            },
        })
        .collect();
    tiles.push(jpm);

    let mut jp = Tile::new(
        "jp",
        ui.t("dash.jp"),
        format!("/learn/jp?year={year}{unit_q}"),
    );
    jp.value = format!("{} %", fmt_places(lang, d.share_20jp, 1));
    jp.note = t_args(
        lang,
        "dash.jp_note",
        &[("avg", fmt_places(lang, d.jp_avg, 1))],
    );
    jp.spark = spark(&d.share_20jp_trend);
    jp.trend = trend(lang, &d.share_20jp_trend, " %");
    tiles.push(jp);

    let mut equity = Tile::new(
        "equity",
        ui.t("dash.equity"),
        format!("/pemerataan?year={year}{unit_q}"),
    );
    equity.value = fmt_places(lang, d.gini.jp, 4);
    equity.note = t_args(
        lang,
        "dash.equity_note",
        &[
            ("spend", fmt_places(lang, d.gini.spend, 4)),
            ("jpm", fmt_places(lang, d.gini.jpm, 4)),
        ],
    );
    equity.lines = d
        .worst
        .iter()
        .map(|g| super::equity::gap_sentence(lang, g))
        .collect();
    tiles.push(equity);

    let mut ikm = Tile::new("ikm", ui.t("dash.ikm"), format!("/layanan?period={year}"));
    if let Some(v) = d.ikm {
        ikm.value = fmt_places(lang, v, 2);
        ikm.note = t_args(lang, "dash.ikm_note", &[("n", d.ikm_units.to_string())]);
    } else {
        ikm.note = ui.t("dash.ikm_none").into();
    }
    if let Some((name, v)) = &d.ikm_lowest {
        ikm.lines.push(t_args(
            lang,
            "dash.ikm_lowest",
            &[("unit", name.clone()), ("ikm", fmt_places(lang, *v, 2))],
        ));
    }
    tiles.push(ikm);

    let mut readiness = Tile::new("readiness", ui.t("dash.readiness"), "/kesiapsiagaan".into());
    let known: Vec<f64> = d.readiness.iter().filter_map(|h| h.readiness).collect();
    if !known.is_empty() {
        let mean = known.iter().sum::<f64>() / known.len() as f64;
        readiness.value = format!("{} %", fmt_places(lang, mean, 1));
        readiness.note = ui.t("dash.readiness_note").into();
    }
    readiness.bars = d
        .readiness
        .iter()
        .filter_map(|h| {
            let r = h.readiness?;
            let hazard: Hazard = h.hazard.parse().ok()?;
            Some(MiniBar {
                label: hazard.label(lang == Lang::En).to_string(),
                value: format!("{} %", fmt_places(lang, r, 1)),
                pct: r,
                class: if r < 50.0 {
                    "bad"
                } else if r < 80.0 {
                    "warn"
                } else {
                    "good"
                },
            })
        })
        .collect();
    if let Some(w) = d
        .readiness
        .iter()
        .filter_map(|h| Some((h, h.weakest.as_ref()?)))
        .min_by(|a, b| a.1.1.total_cmp(&b.1.1))
    {
        let hazard: Option<Hazard> = w.0.hazard.parse().ok();
        readiness.lines.push(t_args(
            lang,
            "dash.readiness_weakest",
            &[
                ("kecamatan", w.1.0.clone()),
                (
                    "hazard",
                    hazard.map_or(w.0.hazard.clone(), |h| {
                        h.label(lang == Lang::En).to_lowercase()
                    }),
                ),
                ("pct", fmt_places(lang, w.1.1, 1)),
            ],
        ));
    }
    tiles.push(readiness);

    let mut regs = Tile::new("regulations", ui.t("dash.regulations"), "/peraturan".into());
    regs.bars = d
        .campaigns
        .iter()
        .map(|c| MiniBar {
            label: c.title.clone(),
            value: format!("{} %", fmt_places(lang, c.share, 1)),
            pct: c.share,
            class: if c.share < 60.0 { "warn" } else { "" },
        })
        .collect();
    if let Some(latest) = d.campaigns.first() {
        regs.value = format!("{} %", fmt_places(lang, latest.share, 1));
        regs.note = ui.t("dash.regulations_note").into();
    } else {
        regs.note = ui.t("dash.no_campaigns").into();
    }
    tiles.push(regs);

    let budget_href = d
        .budget
        .plan_id
        .map_or_else(|| "/plans".to_string(), |id| format!("/plans/{id}"));
    let mut budget = Tile::new("budget", ui.t("dash.budget"), budget_href);
    budget.value = fmt_rupiah(lang, d.budget.spent);
    budget.note = ui.t("dash.budget_spent").into();
    if let Some(planned) = d.budget.planned_budget {
        let max = planned.max(d.budget.spent).max(1) as f64;
        budget.bars = [
            (ui.t("dash.budget_planned"), planned, ""),
            (
                ui.t("dash.budget_plan_cost"),
                d.budget.planned_cost.unwrap_or(0),
                "",
            ),
            (
                ui.t("dash.budget_spent"),
                d.budget.spent,
                if d.budget.spent > planned {
                    "bad"
                } else {
                    "good"
                },
            ),
        ]
        .into_iter()
        .map(|(label, v, class)| MiniBar {
            label: label.into(),
            value: fmt_rupiah(lang, v),
            pct: v as f64 * 100.0 / max,
            class,
        })
        .collect();
    } else if actor.role != cakap_domain::Role::Pimpinan {
        budget.lines.push(ui.t("dash.no_plan").into());
    }
    tiles.push(budget);

    let mut story = Vec::new();
    if let Some(b) = &d.behind {
        story.push(t_args(
            lang,
            "dash.behind",
            &[
                ("unit", b.name.clone()),
                ("share", fmt_places(lang, b.share, 1)),
                ("overall", fmt_places(lang, d.share_20jp, 1)),
            ],
        ));
    }
    if let Some(m) = &d.improving {
        story.push(t_args(
            lang,
            "dash.improving",
            &[
                ("unit", m.name.clone()),
                ("before", fmt_places(lang, m.previous.unwrap_or(0.0), 1)),
                ("share", fmt_places(lang, m.share, 1)),
            ],
        ));
    }

    let counts: std::collections::HashMap<&str, i64> =
        d.talent.iter().map(|(b, n)| (b.as_str(), *n)).collect();
    let mut talent = vec![vec![(0u8, String::new(), ""); 3]; 3];
    for (b, (row, col)) in cakap_services::talent::box_layout() {
        let n = counts.get(b.to_string().as_str()).copied().unwrap_or(0);
        let class = match b {
            7..=9 => "good",
            1 | 2 => "bad",
            _ => "",
        };
        if let Some(cell) = talent.get_mut(row).and_then(|r| r.get_mut(col)) {
            *cell = (b, fmt_int(lang, n), class);
        }
    }

    let this = current_year();
    Ok(render(&DashboardPage {
        year,
        years: (this - 4..=this).rev().collect(),
        unit,
        people: fmt_int(lang, d.people),
        story,
        tiles,
        talent,
        talent_year: d.talent_year,
        ui,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    year: Option<i64>,
    format: String,
}

/// The annual report from the dashboard's links (the same file as the API's).
pub async fn report(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(current_year);
    let (bytes, name) = cakap_services::annual::render(&s.db, &actor, year, &q.format).await?;
    Ok(crate::api::file_response(
        &name,
        crate::api::equity::mime(&name),
        bytes,
    ))
}
