//! Crisis readiness pages (docs/domain.md#readiness): the board (`/kesiapsiagaan`: a tile map
//! of the kecamatan coloured by readiness with the table beside it, the trend, expiring
//! certifications, who is away, teams, the team form), the target table and the drills.
//! Teams, call-outs and one's own page are in [`team`].

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_domain::crisis::{self, CommandRole, Hazard};
use cakap_domain::kecamatan::{ACEH_BARAT_DAYA, Kecamatan};
use cakap_services::readiness::drills::{self, Drill, DrillInput, Practised};
use cakap_services::readiness::{self as ready, Certification, KecamatanReadiness, Target};
use serde::Deserialize;

use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::Lang;
use crate::pages::{OrRefusal, PageResult, Refusal, Ui, render_status};

pub mod team;

/// Where each kecamatan's tile sits on the wide map: (column, row), the coast running along
/// the bottom row from north-west (left, towards Nagan Raya) to south-east (right, towards
/// Aceh Selatan), the inland kecamatan above.
fn tile(code: &str) -> (i32, i32) {
    match code {
        "11.12.06" => (0, 0), // Babahrot
        "11.12.05" => (1, 1), // Kuala Batee
        "11.12.08" => (2, 0), // Jeumpa
        "11.12.04" => (2, 1), // Susoh
        "11.12.01" => (3, 1), // Blangpidie
        "11.12.07" => (3, 0), // Setia
        "11.12.02" => (4, 1), // Tangan-Tangan
        "11.12.03" => (5, 1), // Manggeng
        _ => (6, 1),          // Lembah Sabil
    }
}

/// The same order folded into three rows of three for a phone.
fn narrow_tile(code: &str) -> (i32, i32) {
    match code {
        "11.12.06" => (0, 0), // Babahrot
        "11.12.05" => (1, 0), // Kuala Batee
        "11.12.08" => (2, 0), // Jeumpa
        "11.12.04" => (0, 1), // Susoh
        "11.12.01" => (1, 1), // Blangpidie
        "11.12.07" => (2, 1), // Setia
        "11.12.02" => (0, 2), // Tangan-Tangan
        "11.12.03" => (1, 2), // Manggeng
        _ => (2, 2),          // Lembah Sabil
    }
}

pub struct Tile {
    pub x: i32,
    pub y: i32,
    /// Position on the phone's 3 × 3 map.
    pub nx: i32,
    pub ny: i32,
    pub code: &'static str,
    pub name: &'static str,
    /// `siap`, `sebagian`, `rawan`, or `none` (not exposed / nothing asked).
    pub band: &'static str,
    pub value: String,
}

pub struct Row {
    pub code: String,
    pub name: String,
    pub value: String,
    pub band: &'static str,
    pub holders: i64,
    pub no_phone: i64,
    /// "Logistik dan peralatan (T.BNC.05): kurang 3".
    pub missing: Vec<String>,
}

pub struct TrendLine {
    pub name: String,
    pub points: String,
    pub last: String,
    pub values: Vec<String>,
}

#[derive(Template)]
#[template(path = "readiness.html")]
struct BoardPage {
    ui: Ui,
    hazard: &'static str,
    hazards: Vec<(&'static str, &'static str)>,
    tiles: Vec<Tile>,
    rows: Vec<Row>,
    months: Vec<String>,
    trend: Vec<TrendLine>,
    expiring: Vec<Certification>,
    away: Vec<cakap_store::readiness::AwayRow>,
    teams: Vec<(i64, String, String, String)>,
    drills: Vec<Drill>,
    kecamatan: Vec<(&'static str, &'static str)>,
    admin: bool,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BoardQuery {
    hazard: String,
}

fn hazard_of(s: &str) -> Hazard {
    s.parse().unwrap_or(Hazard::Banjir)
}

fn fmt1(lang: Lang, v: f64) -> String {
    let s = format!("{v:.1}");
    if lang == Lang::Id {
        s.replace('.', ",")
    } else {
        s
    }
}

/// `GET /kesiapsiagaan`.
pub async fn board(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<BoardQuery>,
) -> PageResult {
    board_page(&s, &actor, &ctx, hazard_of(&q.hazard), None).await
}

async fn board_page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &crate::ctx::Ctx,
    hazard: Hazard,
    refusal: Option<Refusal>,
) -> PageResult {
    let o = ready::overview(&s.db, actor, hazard.as_str()).await?;
    let hr = &o.readiness;
    let ui = Ui::new(ctx, "/kesiapsiagaan");
    let lang = ctx.lang;
    let en = lang == Lang::En;
    let value = |k: &KecamatanReadiness| {
        k.readiness
            .map_or_else(|| "—".to_string(), |r| format!("{} %", fmt1(lang, r)))
    };
    let band = |k: &KecamatanReadiness| k.readiness.map_or("none", crisis::band);
    let tiles = ACEH_BARAT_DAYA
        .iter()
        .map(|k| {
            let (x, y) = tile(k.code);
            let (nx, ny) = narrow_tile(k.code);
            let found = hr.kecamatan.iter().find(|r| r.code == k.code);
            Tile {
                x: x * 146,
                y: y * 96,
                nx: nx * 146,
                ny: ny * 96,
                code: k.code,
                name: k.name,
                band: found.map_or("none", band),
                value: found.map_or_else(|| ui.t("readiness.not_exposed").to_string(), value),
            }
        })
        .collect();
    let role_label = |r: &str| {
        r.parse::<CommandRole>()
            .map_or(r.to_string(), |r| r.label(en).to_string())
    };
    let rows = hr
        .kecamatan
        .iter()
        .map(|k| Row {
            code: k.code.clone(),
            name: k.name.clone(),
            value: value(k),
            band: band(k),
            holders: k.holders,
            no_phone: k.no_phone,
            missing: k
                .missing
                .iter()
                .map(|m| {
                    format!(
                        "{} — {} ({}): {} {}",
                        role_label(&m.role),
                        m.competency_name,
                        m.competency,
                        ui.t("readiness.short"),
                        m.short
                    )
                })
                .collect(),
        })
        .collect();
    let trend = &o.trend;
    let n = trend.months.len().max(2) as f64;
    let lines = trend
        .kecamatan
        .iter()
        .map(|(_, name, series)| TrendLine {
            name: name.clone(),
            points: series
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    v.map(|v| format!("{:.1},{:.1}", i as f64 * 100.0 / (n - 1.0), 24.0 - v * 0.22))
                })
                .collect::<Vec<_>>()
                .join(" "),
            last: series
                .iter()
                .rev()
                .find_map(|v| *v)
                .map_or_else(|| "—".into(), |v| format!("{} %", fmt1(lang, v))),
            values: series
                .iter()
                .map(|v| v.map_or_else(|| "—".into(), |v| fmt1(lang, v)))
                .collect(),
        })
        .collect();
    let admin = actor.role == Role::Admin;
    let teams = o
        .teams
        .iter()
        .map(|t| {
            (
                t.id,
                t.hazard
                    .parse::<Hazard>()
                    .map_or(t.hazard.clone(), |h| h.label(en).to_string()),
                Kecamatan::by_code(&t.kecamatan)
                    .map_or(t.kecamatan.clone(), |k| k.name.to_string()),
                crate::pages::wib_ms(t.created_at),
            )
        })
        .collect();
    let (status, _, error) = Refusal::split(refusal);
    let page = BoardPage {
        hazard: hazard.as_str(),
        hazards: Hazard::ALL
            .iter()
            .map(|h| (h.as_str(), h.label(en)))
            .collect(),
        tiles,
        rows,
        months: trend.months.clone(),
        trend: lines,
        expiring: o.expiring.clone(),
        away: o.away.clone(),
        teams,
        drills: o.drills.clone(),
        kecamatan: ACEH_BARAT_DAYA
            .iter()
            .filter(|k| hazard.exposes(k.code))
            .map(|k| (k.code, k.name))
            .collect(),
        admin,
        ui,
        error,
    };
    Ok(render_status(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TeamForm {
    hazard: String,
    kecamatan: String,
}

/// `POST /kesiapsiagaan/tim`: a team from the kecamatan's target table.
pub async fn assemble(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<TeamForm>,
) -> PageResult {
    let input = cakap_services::readiness::teams::TeamInput {
        hazard: f.hazard.clone(),
        kecamatan: f.kecamatan,
        roles: Vec::new(),
    };
    match cakap_services::readiness::teams::assemble(&s.db, &actor, &input)
        .await
        .or_refusal()?
    {
        Ok(t) => Ok(Redirect::to(&format!("/kesiapsiagaan/tim/{}", t.id)).into_response()),
        Err(r) => board_page(&s, &actor, &ctx, hazard_of(&f.hazard), Some(r)).await,
    }
}

// ---- targets ----

#[derive(Template)]
#[template(path = "readiness_targets.html")]
struct TargetsPage {
    ui: Ui,
    lines: Vec<Target>,
    blank: usize,
    hazards: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
    kecamatan: Vec<(&'static str, &'static str)>,
    admin: bool,
    error: Option<String>,
}

/// `GET /kesiapsiagaan/target`.
pub async fn targets(State(s): State<AppState>, PageActor { actor, ctx }: PageActor) -> PageResult {
    let lines = ready::targets(&s.db, &actor).await?;
    targets_page(&ctx, &actor, lines, None)
}

fn targets_page(
    ctx: &crate::ctx::Ctx,
    actor: &cakap_services::Actor,
    lines: Vec<Target>,
    refusal: Option<Refusal>,
) -> PageResult {
    let en = ctx.lang == Lang::En;
    let (status, _, error) = Refusal::split(refusal);
    let page = TargetsPage {
        ui: Ui::new(ctx, "/kesiapsiagaan"),
        lines,
        blank: 5,
        hazards: Hazard::ALL
            .iter()
            .map(|h| (h.as_str(), h.label(en)))
            .collect(),
        roles: CommandRole::ALL
            .iter()
            .map(|r| (r.as_str(), r.label(en)))
            .collect(),
        kecamatan: ACEH_BARAT_DAYA.iter().map(|k| (k.code, k.name)).collect(),
        admin: actor.role == Role::Admin,
        error,
    };
    Ok(render_status(status, &page))
}

/// `POST /kesiapsiagaan/target`: the whole table from the grid (`hazard`, `kecamatan`, `role`,
/// `competency`, `level`, `count`, repeated per line in order; a line without a competency is
/// dropped, as is one marked `drop`).
pub async fn save_targets(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut lines: Vec<Target> = Vec::new();
    let mut dropped: Vec<bool> = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "hazard" => {
                lines.push(Target {
                    hazard: v,
                    role: String::new(),
                    competency: String::new(),
                    level: 0,
                    count: 0,
                    kecamatan: None,
                });
                dropped.push(false);
            }
            _ => {
                let (Some(t), Some(d)) = (lines.last_mut(), dropped.last_mut()) else {
                    continue;
                };
                match k.as_str() {
                    "kecamatan" => t.kecamatan = crate::pages::blank_to_none(&v),
                    "role" => t.role = v,
                    "competency" => t.competency = v.trim().to_string(),
                    "level" => t.level = v.trim().parse().unwrap_or(0),
                    "count" => t.count = v.trim().parse().unwrap_or(0),
                    "drop" => *d = true,
                    _ => {}
                }
            }
        }
    }
    let lines: Vec<Target> = lines
        .into_iter()
        .zip(dropped)
        .filter(|(t, d)| !d && !t.competency.is_empty())
        .map(|(t, _)| t)
        .collect();
    match ready::set_targets(&s.db, &actor, &lines)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to("/kesiapsiagaan/target").into_response()),
        Err(r) => targets_page(&ctx, &actor, lines, Some(r)),
    }
}

// ---- drills ----

#[derive(Template)]
#[template(path = "drills.html")]
struct DrillsPage {
    ui: Ui,
    drills: Vec<Drill>,
    hazards: Vec<(&'static str, &'static str)>,
    kecamatan: Vec<(&'static str, &'static str)>,
    admin: bool,
    form: DrillForm,
    error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DrillForm {
    pub held_on: String,
    pub hazard: String,
    pub kecamatan: String,
    pub title: String,
    pub evaluator: String,
    pub note: String,
    /// NIPs, one per line (or separated by commas or spaces).
    pub participants: String,
    /// Competency codes, comma-separated.
    pub competencies: String,
    /// The level found, for every practised competency (blank: evidence only).
    pub level: String,
}

/// `GET /kesiapsiagaan/latihan`.
pub async fn drills_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
) -> PageResult {
    render_drills(&s, &actor, &ctx, DrillForm::default(), None).await
}

async fn render_drills(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &crate::ctx::Ctx,
    form: DrillForm,
    refusal: Option<Refusal>,
) -> PageResult {
    let en = ctx.lang == Lang::En;
    let (status, _, error) = Refusal::split(refusal);
    let page = DrillsPage {
        ui: Ui::new(ctx, "/kesiapsiagaan"),
        drills: drills::list(&s.db, actor, 100).await?,
        hazards: Hazard::ALL
            .iter()
            .map(|h| (h.as_str(), h.label(en)))
            .collect(),
        kecamatan: ACEH_BARAT_DAYA.iter().map(|k| (k.code, k.name)).collect(),
        admin: actor.role == Role::Admin,
        form,
        error,
    };
    Ok(render_status(status, &page))
}

/// `POST /kesiapsiagaan/latihan`.
pub async fn record_drill(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<DrillForm>,
) -> PageResult {
    let level = f.level.trim().parse::<i64>().ok();
    let input = DrillInput {
        held_on: f.held_on.clone(),
        hazard: f.hazard.clone(),
        kecamatan: f.kecamatan.clone(),
        title: f.title.clone(),
        evaluator: f.evaluator.clone(),
        note: crate::pages::blank_to_none(&f.note),
        participants: f
            .participants
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        competencies: f
            .competencies
            .split([',', ' ', ';'])
            .filter(|s| !s.is_empty())
            .map(|c| Practised {
                competency: c.to_string(),
                level,
            })
            .collect(),
    };
    match drills::record(&s.db, &actor, &input).await.or_refusal()? {
        Ok(_) => Ok(Redirect::to("/kesiapsiagaan/latihan").into_response()),
        Err(r) => render_drills(&s, &actor, &ctx, f, Some(r)).await,
    }
}
