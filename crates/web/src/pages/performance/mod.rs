//! Performance pages: the period overview (a unit's predikat against its curve, who is still
//! unrated; the ASN's own plans), a plan with its results, evaluation form and workflow
//! buttons, and the periods admin opens and closes.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::{Predikat, Role};
use cakap_services::performance::{self, NewPeriod, NewPlan, Period, PeriodPatch, PlanSummary};
use cakap_services::{Actor, ServiceError, units};
use serde::Deserialize;

use super::home::Chart;
use super::{OrRefusal, PageResult, Refusal, Ui, UnitOption, render_status, unit_options};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n;

mod plan;

pub use plan::{evaluate, save_results, show, step, upload};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Overview {
    period: String,
    unit: String,
    unit_predikat: String,
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "performance.html")]
struct OverviewPage {
    ui: Ui,
    is_admin: bool,
    supervises: bool,
    periods: Vec<Period>,
    period: String,
    unit: String,
    units: Vec<UnitOption>,
    unit_predikat: String,
    unit_predikat_recorded: bool,
    predikats: Vec<(&'static str, &'static str)>,
    chart: Option<Chart>,
    counts: Vec<(String, i64)>,
    warnings: Vec<String>,
    plans: Vec<PlanSummary>,
    plans_total: usize,
    unrated: Vec<(String, String)>,
    mine: Vec<PlanSummary>,
    can_start: Vec<String>,
    saved: bool,
    error: Option<String>,
    settings: Option<performance::Settings>,
}

fn status_key(status: &str) -> String {
    format!("performance.status_{status}")
}

fn predikat_label(p: Option<&str>) -> String {
    p.and_then(|p| p.parse::<Predikat>().ok())
        .map_or_else(|| "—".into(), |p| p.label().to_string())
}

/// The period shown when none is asked for: the newest open one, else the newest.
fn default_period(periods: &[Period]) -> String {
    periods
        .iter()
        .find(|p| p.status == "open" && p.kind == "periodic")
        .or_else(|| periods.iter().find(|p| p.status == "open"))
        .or_else(|| periods.first())
        .map(|p| p.code.clone())
        .unwrap_or_default()
}

pub async fn overview(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<Overview>,
) -> PageResult {
    overview_page(&s, &actor, &ctx, q, None).await
}

async fn overview_page(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    q: Overview,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let ui = Ui::new(ctx, "/performance");
    let supervises = matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan);
    let loaded = async {
        let periods = performance::periods(&s.db, actor).await?;
        let period = if q.period.is_empty() {
            default_period(&periods)
        } else {
            q.period.clone()
        };
        // Everyone's own plans, in every period (a supervisor is an ASN too).
        let mine = performance::own_plans(&s.db, actor).await?;
        let (dist, plans, units) = if supervises && !period.is_empty() {
            let unit = (!q.unit.is_empty()).then_some(q.unit.as_str());
            let d =
                performance::distribution(&s.db, actor, unit, &period, &q.unit_predikat).await?;
            let plans: Vec<PlanSummary> = d.plans.iter().take(300).cloned().collect();
            let total = d.plans.len();
            let all = units::list(&s.db, actor).await?.items;
            let top = all.iter().map(|u| u.depth).min().unwrap_or(0);
            let near: Vec<_> = all
                .into_iter()
                .filter(|u| u.depth <= top + 1 || u.code == q.unit)
                .collect();
            (Some(d), (plans, total), unit_options(&near))
        } else {
            (None, (Vec::new(), 0), Vec::new())
        };
        Ok::<_, ServiceError>((periods, period, mine, dist, plans, units))
    };
    let (periods, period, mine, dist, (plans, plans_total), units) = loaded.await?;
    let lang = ctx.lang;
    let planned: Vec<&str> = mine.iter().map(|p| p.period.as_str()).collect();
    let can_start = if actor.nip.is_some() {
        periods
            .iter()
            .filter(|p| p.status == "open" && !planned.contains(&p.code.as_str()))
            .map(|p| p.code.clone())
            .collect()
    } else {
        Vec::new()
    };
    let unit_predikat_recorded = dist.as_ref().is_some_and(|d| d.unit_predikat_recorded);
    let (counts, chart, warnings, unrated, unit_predikat) = match dist {
        Some(d) => {
            let chart = Chart::new(
                lang,
                ui.t("performance.distribution"),
                ui.t("performance.predikat"),
                ui.t("competence.people"),
                &d.counts,
            );
            let warnings = d
                .breaches
                .iter()
                .map(|b| i18n::t_args(lang, b.key, &b.args))
                .collect();
            let unrated = d
                .unrated
                .iter()
                .map(|p| (p.nip.clone(), p.name.clone()))
                .collect();
            (
                d.counts.clone(),
                chart,
                warnings,
                unrated,
                d.unit_predikat.clone(),
            )
        }
        None => (Vec::new(), None, Vec::new(), Vec::new(), "baik".into()),
    };
    let (status, error) = match error {
        Some((st, m)) => (st, Some(m)),
        None => (StatusCode::OK, None),
    };
    let settings = if actor.role == Role::Admin {
        performance::settings(&s.db, actor).await.ok()
    } else {
        None
    };
    Ok(render_status(
        status,
        &OverviewPage {
            settings,
            is_admin: actor.role == Role::Admin,
            supervises,
            predikats: Predikat::ALL
                .iter()
                .map(|p| (p.as_str(), p.label()))
                .collect(),
            periods,
            period,
            unit: q.unit,
            units,
            unit_predikat,
            unit_predikat_recorded,
            chart,
            counts,
            warnings,
            plans,
            plans_total,
            unrated,
            mine,
            can_start,
            saved: q.saved.is_some(),
            error,
            ui,
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StartForm {
    period: String,
}

/// `POST /performance/plans`: the ASN starts their own plan for a period.
pub async fn start(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<StartForm>,
) -> PageResult {
    let input = NewPlan {
        nip: None,
        period: f.period,
        results: Vec::new(),
    };
    Ok(
        match performance::create_plan(&s.db, &actor, &input)
            .await
            .or_refusal()?
        {
            Ok(p) => Redirect::to(&format!("/performance/plans/{}", p.id)).into_response(),
            Err(r) => overview_refused(&s, &actor, &ctx, r).await?,
        },
    )
}

async fn overview_refused(s: &AppState, actor: &Actor, ctx: &Ctx, r: Refusal) -> PageResult {
    overview_page(
        s,
        actor,
        ctx,
        Overview::default(),
        Some((r.status, r.message)),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeriodForm {
    kind: String,
    year: String,
    number: String,
}

/// `POST /performance/periods` (admin).
pub async fn open_period(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<PeriodForm>,
) -> PageResult {
    let input = NewPeriod {
        kind: f.kind,
        year: f.year.trim().parse().unwrap_or(0),
        number: f.number.trim().parse().ok(),
    };
    Ok(
        match performance::create_period(&s.db, &actor, &input)
            .await
            .or_refusal()?
        {
            Ok(p) => {
                Redirect::to(&format!("/performance?period={}&saved=1", p.code)).into_response()
            }
            Err(r) => overview_refused(&s, &actor, &ctx, r).await?,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

/// `POST /performance/periods/{code}/status` (admin).
pub async fn period_status(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    Form(f): Form<StatusForm>,
) -> PageResult {
    let patch = PeriodPatch { status: f.status };
    Ok(
        match performance::set_period_status(&s.db, &actor, &code, &patch)
            .await
            .or_refusal()?
        {
            Ok(p) => {
                Redirect::to(&format!("/performance?period={}&saved=1", p.code)).into_response()
            }
            Err(r) => overview_refused(&s, &actor, &ctx, r).await?,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    period_frequency: String,
    potensi_high: String,
    potensi_mid: String,
}

/// `POST /performance/settings` (admin).
pub async fn save_settings(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<SettingsForm>,
) -> PageResult {
    let input = performance::Settings {
        period_frequency: f.period_frequency,
        potensi_high: f.potensi_high.trim().parse().unwrap_or(-1),
        potensi_mid: f.potensi_mid.trim().parse().unwrap_or(-1),
    };
    Ok(
        match performance::set_settings(&s.db, &actor, &input)
            .await
            .or_refusal()?
        {
            Ok(_) => Redirect::to("/performance?saved=1").into_response(),
            Err(r) => overview_refused(&s, &actor, &ctx, r).await?,
        },
    )
}

/// `POST /performance/plans/{id}/files` (multipart, field `file`): an evidence file.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnitRatingForm {
    unit: String,
    period: String,
    predikat: String,
}

/// `POST /performance/unit-predikat` (admin): records the unit's own predikat for the period.
pub async fn save_unit_predikat(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<UnitRatingForm>,
) -> PageResult {
    let input = performance::UnitRating {
        unit: f.unit.clone(),
        period: f.period.clone(),
        predikat: f.predikat,
    };
    Ok(
        match performance::set_unit_predikat(&s.db, &actor, &input)
            .await
            .or_refusal()?
        {
            Ok(()) => Redirect::to(&super::href(
                "/performance",
                &[
                    ("period", f.period),
                    ("unit", f.unit),
                    ("saved", "1".into()),
                ],
            ))
            .into_response(),
            Err(r) => overview_refused(&s, &actor, &ctx, r).await?,
        },
    )
}
