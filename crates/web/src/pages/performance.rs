//! Performance pages: the period overview (a unit's predikat against its curve, who is still
//! unrated; the ASN's own plans), a plan with its results, evaluation form and workflow
//! buttons, and the periods admin opens and closes.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::{Predikat, Rating, Role};
use cakap_services::performance::{
    self, NewEvaluation, NewPeriod, NewPlan, Perilaku, Period, PeriodPatch, Plan, PlanResult,
    PlanSummary, Step,
};
use cakap_services::{Actor, ServiceError, competencies, units};
use serde::Deserialize;

use super::home::Chart;
use super::{OrRefusal, PageResult, Refusal, Ui, UnitOption, render_status, unit_options};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n;

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

pub struct ValueRow {
    pub key: &'static str,
    pub name: &'static str,
    pub behaviours: [&'static str; 3],
    /// The value's rating in the evaluation shown ('' when none).
    pub rated: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    ui: Ui,
    p: Plan,
    status_key: String,
    /// The results, plus blank rows to add more, when the viewer may edit them.
    editable: Option<Vec<(usize, PlanResult)>>,
    can_submit: bool,
    can_rate: bool,
    can_finalize: bool,
    can_return: bool,
    ratings: Vec<(&'static str, String)>,
    values: Vec<ValueRow>,
    dictionary: Vec<(String, String)>,
    hasil: String,
    perilaku: String,
    strengths: Vec<String>,
    weaknesses: Vec<String>,
    predikat_label: String,
    /// The evaluator's note, kept when re-rating.
    note: String,
    saved: bool,
    error: Option<String>,
}

fn parse_id(id: &str) -> Result<i64, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> PageResult {
    let id = parse_id(&id)?;
    plan_page(&s, &actor, &ctx, id, q.saved.is_some(), None).await
}

async fn plan_page(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    id: i64,
    saved: bool,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let p = performance::plan(&s.db, actor, id).await?;
    let own = actor.nip.as_deref() == Some(p.nip.as_str());
    let owner = own || actor.role == Role::Admin;
    let rater = !own && matches!(actor.role, Role::Admin | Role::Pimpinan);
    let open_status = |s: &[&str]| s.contains(&p.status.as_str());
    let editable = (owner && open_status(&["draft", "returned"])).then(|| {
        let mut rows: Vec<(usize, PlanResult)> = p.results.iter().cloned().enumerate().collect();
        let blank = PlanResult {
            description: String::new(),
            indicator: String::new(),
            target: String::new(),
            evidence: None,
            note: None,
        };
        for i in rows.len()..rows.len() + 2 {
            rows.push((i, blank.clone()));
        }
        rows
    });
    let dictionary = if rater {
        competencies::list(&s.db, actor)
            .await
            .map(|k| {
                k.items
                    .into_iter()
                    .filter(|k| k.active)
                    .map(|k| (k.code, k.name))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let e = p.evaluation.as_ref();
    let rated = |key: &str| {
        e.map(|e| {
            let values = [
                ("berorientasi_pelayanan", &e.perilaku.berorientasi_pelayanan),
                ("akuntabel", &e.perilaku.akuntabel),
                ("kompeten", &e.perilaku.kompeten),
                ("harmonis", &e.perilaku.harmonis),
                ("loyal", &e.perilaku.loyal),
                ("adaptif", &e.perilaku.adaptif),
                ("kolaboratif", &e.perilaku.kolaboratif),
            ];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).clone())
                .unwrap_or_default()
        })
        .unwrap_or_default()
    };
    let values = performance::berakhlak()
        .iter()
        .map(|(key, name, behaviours)| ValueRow {
            key,
            name,
            behaviours: *behaviours,
            rated: rated(key),
        })
        .collect();
    let (status, error) = match error {
        Some((st, m)) => (st, Some(m)),
        None => (StatusCode::OK, None),
    };
    let page = PlanPage {
        ui: Ui::new(ctx, "/performance"),
        status_key: status_key(&p.status),
        can_submit: owner && open_status(&["draft", "returned"]) && !p.results.is_empty(),
        can_rate: rater && open_status(&["submitted", "evaluated"]),
        can_finalize: rater && open_status(&["evaluated"]),
        can_return: rater && open_status(&["submitted", "evaluated"]),
        editable,
        ratings: Rating::ALL
            .iter()
            .map(|r| (r.as_str(), format!("performance.rating_{}", r.as_str())))
            .collect(),
        values,
        dictionary,
        hasil: e.map_or_else(|| "sesuai".into(), |e| e.hasil_kerja.clone()),
        perilaku: e.map_or_else(|| "sesuai".into(), |e| e.perilaku_kerja.clone()),
        strengths: e.map_or_else(Vec::new, |e| {
            e.strengths.iter().map(|f| f.competency.clone()).collect()
        }),
        weaknesses: e.map_or_else(Vec::new, |e| {
            e.weaknesses.iter().map(|f| f.competency.clone()).collect()
        }),
        predikat_label: predikat_label(e.map(|e| e.predikat.as_str())),
        note: e.and_then(|e| e.note.clone()).unwrap_or_default(),
        saved,
        error,
        p,
    };
    Ok(render_status(status, &page))
}

async fn after(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    id: i64,
    r: Result<(), ServiceError>,
) -> PageResult {
    Ok(match r.or_refusal()? {
        Ok(()) => Redirect::to(&format!("/performance/plans/{id}?saved=1")).into_response(),
        Err(Refusal {
            status, message, ..
        }) => plan_page(s, actor, ctx, id, false, Some((status, message))).await?,
    })
}

/// `POST /performance/plans/{id}/results`: fields `description.N`, `indicator.N`, `target.N`,
/// `evidence.N`, `note.N`; rows left blank are dropped.
pub async fn save_results(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = parse_id(&id)?;
    let mut rows: std::collections::BTreeMap<usize, PlanResult> = Default::default();
    for (name, value) in fields {
        let Some((field, n)) = name.split_once('.') else {
            continue;
        };
        let Ok(n) = n.parse::<usize>() else {
            continue;
        };
        if n > 40 {
            continue;
        }
        let row = rows.entry(n).or_insert_with(|| PlanResult {
            description: String::new(),
            indicator: String::new(),
            target: String::new(),
            evidence: None,
            note: None,
        });
        match field {
            "description" => row.description = value,
            "indicator" => row.indicator = value,
            "target" => row.target = value,
            "evidence" => row.evidence = Some(value),
            "note" => row.note = Some(value),
            _ => {}
        }
    }
    let results: Vec<PlanResult> = rows
        .into_values()
        .filter(|r| {
            !(r.description.trim().is_empty()
                && r.indicator.trim().is_empty()
                && r.target.trim().is_empty())
        })
        .collect();
    let r = performance::set_results(&s.db, &actor, id, &results)
        .await
        .map(|_| ());
    after(&s, &actor, &ctx, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    note: String,
}

/// `POST /performance/plans/{id}/{step}`: submit, return (with a note) or finalize.
pub async fn step(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path((id, step)): Path<(String, String)>,
    Form(f): Form<StepForm>,
) -> PageResult {
    let id = parse_id(&id)?;
    let step = match step.as_str() {
        "submit" => Step::Submit,
        "return" => Step::Return,
        "finalize" => Step::Finalize,
        _ => return Err(ServiceError::NotFound.into()),
    };
    let note = (!f.note.trim().is_empty()).then_some(f.note.as_str());
    let r = performance::step(&s.db, &actor, id, step, note)
        .await
        .map(|_| ());
    after(&s, &actor, &ctx, id, r).await
}

/// `POST /performance/plans/{id}/evaluate`: the rating form.
pub async fn evaluate(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = parse_id(&id)?;
    let p = performance::plan(&s.db, &actor, id).await?;
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let many = |name: &str| {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let input = NewEvaluation {
        nip: p.nip.clone(),
        period: p.period.clone(),
        hasil_kerja: one("hasil_kerja"),
        perilaku_kerja: one("perilaku_kerja"),
        perilaku: Perilaku {
            berorientasi_pelayanan: one("v.berorientasi_pelayanan"),
            akuntabel: one("v.akuntabel"),
            kompeten: one("v.kompeten"),
            harmonis: one("v.harmonis"),
            loyal: one("v.loyal"),
            adaptif: one("v.adaptif"),
            kolaboratif: one("v.kolaboratif"),
        },
        strengths: many("strengths"),
        weaknesses: many("weaknesses"),
        note: Some(one("note")),
    };
    let r = performance::evaluate(&s.db, &actor, &input)
        .await
        .map(|_| ());
    after(&s, &actor, &ctx, id, r).await
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
pub async fn upload(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    multipart: axum::extract::Multipart,
) -> PageResult {
    let id = parse_id(&id)?;
    let file = match super::read_multipart(multipart, "file").await {
        Ok((_, file)) => file,
        Err((status, key)) => return Ok(super::error_page(&ctx, status, key)),
    };
    let r = match file {
        Some(f) => performance::attach_file(&s.db, &actor, id, &f)
            .await
            .map(|_| ()),
        None => Err(ServiceError::invalid("file", "import.file_missing")),
    };
    after(&s, &actor, &ctx, id, r).await
}

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
