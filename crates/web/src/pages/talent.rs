//! Talent pages: the 9-box map (kinerja × potensi) with the people of a box and their
//! recommendation, key positions, and the ranked successors of a position.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use cakap_services::exports::{Format, Table};
use cakap_services::talent::{self, BoxPerson, Candidate, KeyPosition};
use cakap_services::{Actor, ServiceError, performance, units};
use serde::Deserialize;

use super::{PageResult, Ui, UnitOption, can_edit, href, render, unit_options};
use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{fmt_dec, fmt_int};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MapQuery {
    year: String,
    unit: String,
    #[serde(rename = "box")]
    nine_box: String,
    format: String,
}

pub struct Cell {
    pub number: u8,
    pub count: String,
    pub href: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "talent.html")]
struct MapPage {
    ui: Ui,
    year: i64,
    years: Vec<i64>,
    unit: String,
    units: Vec<UnitOption>,
    /// Rows from the top (potensi tinggi) of cells from the left (kinerja di bawah).
    grid: Vec<Vec<Cell>>,
    /// (box, count, selected) for the table beside the grid, 9 to 1.
    table: Vec<(u8, String, bool)>,
    without_predikat: String,
    without_score: String,
    selected: Option<u8>,
    people: Vec<BoxPerson>,
    download_xlsx: String,
    download_csv: String,
    all_xlsx: String,
    all_csv: String,
    keys: Vec<KeyPosition>,
}

/// Years with an annual period, newest first; the default is the newest before this one
/// (this year's annual predikat comes at its end).
async fn years(s: &AppState, actor: &Actor) -> Result<(Vec<i64>, i64), ServiceError> {
    let now = performance::current_year();
    let mut years: Vec<i64> = performance::periods(&s.db, actor)
        .await?
        .into_iter()
        .filter(|p| p.kind == "annual")
        .map(|p| p.year)
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let default = years.iter().copied().find(|y| *y < now).unwrap_or(now);
    Ok((years, default))
}

pub async fn map(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<MapQuery>,
) -> PageResult {
    let (years, default) = years(&s, &actor).await?;
    let year = q.year.trim().parse().unwrap_or(default);
    let unit = (!q.unit.trim().is_empty()).then(|| q.unit.trim().to_string());
    let m = talent::ninebox(&s.db, &actor, unit.as_deref(), year).await?;
    let selected: Option<u8> = q.nine_box.parse().ok().filter(|b| (1..=9).contains(b));
    let people = selected
        .and_then(|b| m.boxes.get(&b.to_string()).cloned())
        .unwrap_or_default();
    let lang = ctx.lang;
    let link = |b: &str, format: &str| {
        href(
            "/talent",
            &[
                ("year", year.to_string()),
                ("unit", q.unit.clone()),
                ("box", b.to_string()),
                ("format", format.to_string()),
            ],
        )
    };
    if !q.format.is_empty() {
        let Some(format) = Format::parse(&q.format) else {
            return Err(ServiceError::NotFound.into());
        };
        // The chosen box, or every box (9 first).
        let rows = m
            .boxes
            .iter()
            .rev()
            .filter(|(b, _)| selected.is_none_or(|s| s.to_string() == **b))
            .flat_map(|(b, people)| {
                people.iter().map(move |p| {
                    vec![
                        p.nip.clone(),
                        p.name.clone(),
                        p.unit_name.clone(),
                        p.predikat.clone(),
                        format!("{:.2}", p.score),
                        b.clone(),
                    ]
                })
            })
            .collect();
        let t = Table {
            headers: vec!["NIP", "Nama", "Unit", "Predikat", "Skor Potensi", "Kotak"],
            rows,
        };
        let b = selected.map_or_else(|| "semua".to_string(), |b| b.to_string());
        return super::download(&t, format, &format!("cakap-talenta-{year}-kotak-{b}"));
    }
    let count = |b: u8| m.boxes.get(&b.to_string()).map_or(0, Vec::len) as i64;
    let mut grid: Vec<Vec<Cell>> = (0..3).map(|_| Vec::with_capacity(3)).collect();
    let mut layout = talent::box_layout();
    layout.sort_by_key(|(_, (row, col))| (*row, *col));
    for (b, (row, _)) in layout {
        grid[row].push(Cell {
            number: b,
            count: fmt_int(lang, count(b)),
            href: link(&b.to_string(), ""),
            selected: selected == Some(b),
        });
    }
    let all = units::list(&s.db, &actor).await?.items;
    let top = all.iter().map(|u| u.depth).min().unwrap_or(0);
    let near: Vec<_> = all
        .into_iter()
        .filter(|u| u.depth <= top + 1 || Some(&u.code) == unit.as_ref())
        .collect();
    let keys = talent::key_positions(&s.db, &actor)
        .await
        .unwrap_or_default();
    let b = selected.map(|b| b.to_string()).unwrap_or_default();
    Ok(render(&MapPage {
        ui: Ui::new(&ctx, "/talent"),
        table: (1..=9)
            .rev()
            .map(|b| (b, fmt_int(lang, count(b)), selected == Some(b)))
            .collect(),
        without_predikat: fmt_int(lang, m.without_predikat),
        without_score: fmt_int(lang, m.without_score),
        download_xlsx: link(&b, "xlsx"),
        download_csv: link(&b, "csv"),
        all_xlsx: link("", "xlsx"),
        all_csv: link("", "csv"),
        year,
        years,
        unit: q.unit.clone(),
        units: unit_options(&near),
        grid,
        selected,
        people,
        keys,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
    format: String,
}

pub struct CandidateRow {
    pub c: Candidate,
    pub jpm: String,
    /// The largest gaps against the position, e.g. `M.04 (−2)`.
    pub short: Vec<String>,
}

#[derive(Template)]
#[template(path = "succession.html")]
struct SuccessionPage {
    ui: Ui,
    position_id: i64,
    name: String,
    unit: String,
    key: bool,
    year: i64,
    can_edit: bool,
    candidates: Vec<CandidateRow>,
    /// Candidates beyond those shown (all are in the download).
    more: usize,
}

/// Candidates the succession page lists; the download has them all.
const SHOWN_CANDIDATES: usize = 50;

pub async fn succession(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let Ok(id) = id.parse::<i64>() else {
        return Err(ServiceError::NotFound.into());
    };
    let (_, default) = years(&s, &actor).await?;
    let year = q.year.trim().parse().unwrap_or(default);
    let sc = talent::succession(&s.db, &actor, id, year).await?;
    if let Some(format) = Some(q.format.as_str())
        .filter(|f| !f.is_empty())
        .and_then(Format::parse)
    {
        let t = Table {
            headers: vec![
                "Peringkat",
                "NIP",
                "Nama",
                "Unit",
                "Jabatan",
                "Kotak",
                "JPM",
                "Kesenjangan",
            ],
            rows: sc
                .candidates
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let gaps: Vec<String> = c
                        .gaps
                        .iter()
                        .filter(|g| g.gap > 0)
                        .map(|g| format!("{} ({})", g.competency, g.gap))
                        .collect();
                    vec![
                        (i + 1).to_string(),
                        c.nip.clone(),
                        c.name.clone(),
                        c.unit_name.clone(),
                        c.position.clone().unwrap_or_default(),
                        c.nine_box.to_string(),
                        c.jpm.map(|j| format!("{j:.2}")).unwrap_or_default(),
                        gaps.join("; "),
                    ]
                })
                .collect(),
        };
        return super::download(&t, format, &format!("cakap-suksesor-{id}-{year}"));
    }
    let lang = ctx.lang;
    let more = sc.candidates.len().saturating_sub(SHOWN_CANDIDATES);
    let candidates = sc
        .candidates
        .iter()
        .take(SHOWN_CANDIDATES)
        .cloned()
        .map(|c| {
            let mut gaps: Vec<_> = c.gaps.iter().filter(|g| g.gap > 0).collect();
            gaps.sort_by(|a, b| b.gap.cmp(&a.gap).then(a.competency.cmp(&b.competency)));
            CandidateRow {
                jpm: c.jpm.map_or_else(|| "—".into(), |j| fmt_dec(lang, j)),
                short: gaps
                    .iter()
                    .take(3)
                    .map(|g| format!("{} (−{})", g.competency, g.gap))
                    .collect(),
                c,
            }
        })
        .collect();
    Ok(render(&SuccessionPage {
        ui: Ui::new(&ctx, "/talent"),
        position_id: sc.position_id,
        name: sc.name.clone(),
        unit: sc.unit.clone(),
        key: sc.key,
        year,
        can_edit: can_edit(&actor),
        candidates,
        more,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KeyForm {
    key: String,
}

/// `POST /positions/{id}/key` (admin): marks or unmarks a key position.
pub async fn set_key(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<String>,
    Form(f): Form<KeyForm>,
) -> PageResult {
    let Ok(id) = id.parse::<i64>() else {
        return Err(ServiceError::NotFound.into());
    };
    talent::set_key_position(&s.db, &actor, id, f.key == "1").await?;
    Ok(Redirect::to(&format!("/talent/succession/{id}")).into_response())
}

/// For the position page: whether a position is a key position.
pub async fn is_key(s: &AppState, actor: &Actor, id: i64) -> bool {
    talent::key_positions(&s.db, actor)
        .await
        .map(|k| k.iter().any(|p| p.position_id == id))
        .unwrap_or(false)
}
