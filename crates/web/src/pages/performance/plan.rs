//! One SKP: the plan with its results, the evaluation, the steps, the evidence files.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::status::SkpStatus;
use cakap_domain::{Rating, Role};
use cakap_services::performance::{self, NewEvaluation, Perilaku, Plan, PlanResult, Step};
use cakap_services::{Actor, ServiceError, competencies};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::pages::{OrRefusal, PageResult, Ui, render_status};

use super::{predikat_label, status_key};

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
    let skp: Option<SkpStatus> = p.status.parse().ok();
    let editable = (owner && skp.is_some_and(SkpStatus::editable)).then(|| {
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
        competencies::active_names(&s.db, actor)
            .await
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
        can_submit: owner && skp.is_some_and(SkpStatus::editable) && !p.results.is_empty(),
        can_rate: rater && skp.is_some_and(SkpStatus::evaluable),
        can_finalize: rater && skp == Some(SkpStatus::Evaluated),
        can_return: rater && skp.is_some_and(SkpStatus::evaluable),
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
    match r.or_refusal()? {
        Ok(()) => Ok(Redirect::to(&format!("/performance/plans/{id}?saved=1")).into_response()),
        Err(r) => plan_page(s, actor, ctx, id, false, Some((r.status, r.message))).await,
    }
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

pub async fn upload(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    multipart: axum::extract::Multipart,
) -> PageResult {
    let id = parse_id(&id)?;
    let file = match crate::pages::read_multipart(multipart, "file").await {
        Ok((_, file)) => file,
        Err((status, key)) => return Ok(crate::pages::error_page(&ctx, status, key)),
    };
    let r = match file {
        Some(f) => performance::attach_file(&s.db, &actor, id, &f)
            .await
            .map(|_| ()),
        None => Err(ServiceError::invalid("file", "import.file_missing")),
    };
    after(&s, &actor, &ctx, id, r).await
}
