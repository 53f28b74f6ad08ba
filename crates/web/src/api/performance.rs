//! `/performance/…`: periods, plans (SKP), evaluations and the unit distribution.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::performance::{
    self, Evaluation, NewEvaluation, NewPeriod, NewPlan, Period, PeriodPatch, Person, Plan,
    PlanResult, PlanSummary, Step,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::positions::parse_id;
use super::{ApiResult, created};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};
use crate::i18n;

#[utoipa::path(get, path = "/performance/periods", tag = "performance",
    responses((status = 200, body = [Period])))]
pub async fn periods(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<Vec<Period>> {
    Ok(Json(performance::periods(&s.db, &a).await?))
}

/// Opens a period (`admin`): `{kind: "annual", year}` or `{kind: "periodic", year, number}`
/// (quarter or month, as the tenant is set up).
#[utoipa::path(post, path = "/performance/periods", tag = "performance", request_body = NewPeriod,
    responses((status = 201, body = Period), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_period(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewPeriod>,
) -> Result<(StatusCode, Json<Period>), ApiError> {
    Ok(created(
        performance::create_period(&s.db, &a, &input).await?,
    ))
}

/// Opens or closes a period (`admin`).
#[utoipa::path(patch, path = "/performance/periods/{code}", tag = "performance",
    params(("code" = String, Path)), request_body = PeriodPatch,
    responses((status = 200, body = Period), (status = 404, body = super::ErrorBody)))]
pub async fn update_period(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiJson(patch): ApiJson<PeriodPatch>,
) -> ApiResult<Period> {
    Ok(Json(
        performance::set_period_status(&s.db, &a, &code, &patch).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PlanQuery {
    /// Period code, e.g. `2026` or `2026-Q2`.
    pub period: Option<String>,
    /// Unit code: that subtree only.
    pub unit: Option<String>,
}

/// Plans the caller may see: an ASN their own; a pimpinan their subtree; admin and auditor all.
#[utoipa::path(get, path = "/performance/plans", tag = "performance", params(PlanQuery),
    responses((status = 200, body = [PlanSummary]), (status = 404, body = super::ErrorBody)))]
pub async fn plans(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> ApiResult<Vec<PlanSummary>> {
    Ok(Json(
        performance::plans(&s.db, &a, q.period.as_deref(), q.unit.as_deref()).await?,
    ))
}

/// Starts a plan in an open period: the ASN for themself (`nip` omitted), or admin/pimpinan.
#[utoipa::path(post, path = "/performance/plans", tag = "performance", request_body = NewPlan,
    responses((status = 201, body = Plan), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewPlan>,
) -> Result<(StatusCode, Json<Plan>), ApiError> {
    Ok(created(performance::create_plan(&s.db, &a, &input).await?))
}

#[utoipa::path(get, path = "/performance/plans/{id}", tag = "performance", params(("id" = i64, Path)),
    responses((status = 200, body = Plan), (status = 404, body = super::ErrorBody)))]
pub async fn plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Plan> {
    Ok(Json(performance::plan(&s.db, &a, parse_id(&id)?).await?))
}

/// Replaces the expected results of a draft or returned plan (its owner or admin).
#[utoipa::path(put, path = "/performance/plans/{id}/results", tag = "performance",
    params(("id" = i64, Path)), request_body = [PlanResult],
    responses((status = 200, body = Plan), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_results(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(results): ApiJson<Vec<PlanResult>>,
) -> ApiResult<Plan> {
    Ok(Json(
        performance::set_results(&s.db, &a, parse_id(&id)?, &results).await?,
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StepBody {
    /// Why a plan is returned (required for `return`).
    pub note: Option<String>,
}

/// A workflow step: `submit` (owner), `return` with a note or `finalize` (the supervisor).
#[utoipa::path(post, path = "/performance/plans/{id}/{step}", tag = "performance",
    params(("id" = i64, Path), ("step" = String, Path, description = "submit, return or finalize")),
    request_body = StepBody,
    responses((status = 200, body = Plan), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn step(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((id, step)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Plan> {
    // The body is optional: `{}` or nothing for submit and finalize.
    let body: StepBody = if body.iter().all(u8::is_ascii_whitespace) {
        StepBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|_| {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed", "error.malformed_json")
        })?
    };
    let step = match step.as_str() {
        "submit" => Step::Submit,
        "return" => Step::Return,
        "finalize" => Step::Finalize,
        _ => return Err(ApiError::not_found()),
    };
    let note = body.note;
    Ok(Json(
        performance::step(&s.db, &a, parse_id(&id)?, step, note.as_deref()).await?,
    ))
}

/// Rates a submitted plan (the supervisor of the subtree or admin; never oneself); the answer
/// carries the predikat of the matrix (PermenPANRB 6/2022).
#[utoipa::path(post, path = "/performance/evaluations", tag = "performance", request_body = NewEvaluation,
    responses((status = 201, body = Evaluation), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn evaluate(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewEvaluation>,
) -> Result<(StatusCode, Json<Evaluation>), ApiError> {
    Ok(created(performance::evaluate(&s.db, &a, &input).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct DistributionQuery {
    pub period: String,
    pub unit: Option<String>,
    /// The unit's own predikat that sets its curve (default `baik`).
    pub unit_predikat: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistributionBody {
    pub unit: Option<String>,
    pub period: String,
    pub unit_predikat: String,
    /// True when the curve follows the predikat recorded for the unit and period.
    pub unit_predikat_recorded: bool,
    /// `[label, count]`, best first.
    pub counts: Vec<(String, i64)>,
    pub rated: i64,
    pub unrated: Vec<Person>,
    /// The curve rules the ratings break, in words (a warning, not a block).
    pub warnings: Vec<String>,
}

/// The predikat of a unit subtree for a period against the unit's curve, and who is unrated.
#[utoipa::path(get, path = "/performance/distribution", tag = "performance", params(DistributionQuery),
    responses((status = 200, body = DistributionBody), (status = 404, body = super::ErrorBody)))]
pub async fn distribution(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<DistributionQuery>,
) -> ApiResult<DistributionBody> {
    let d = performance::distribution(
        &s.db,
        &a,
        q.unit.as_deref(),
        &q.period,
        q.unit_predikat.as_deref().unwrap_or(""),
    )
    .await?;
    let lang = i18n::current();
    Ok(Json(DistributionBody {
        warnings: d
            .breaches
            .iter()
            .map(|b| i18n::t_args(lang, b.key, &b.args))
            .collect(),
        unit: d.unit.clone(),
        period: d.period.clone(),
        unit_predikat: d.unit_predikat.clone(),
        unit_predikat_recorded: d.unit_predikat_recorded,
        counts: d.counts.clone(),
        rated: d.rated,
        unrated: d.unrated.clone(),
    }))
}

/// The weaknesses named in the employee's latest evaluation (they feed development plans).
#[utoipa::path(get, path = "/employees/{nip}/weaknesses", tag = "performance", params(("nip" = String, Path)),
    responses((status = 200, body = [performance::Finding]), (status = 404, body = super::ErrorBody)))]
pub async fn weaknesses(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
) -> ApiResult<Vec<performance::Finding>> {
    Ok(Json(performance::weaknesses(&s.db, &a, &nip).await?))
}

/// The tenant's evaluation settings: periodic frequency and potential thresholds.
#[utoipa::path(get, path = "/performance/settings", tag = "performance",
    responses((status = 200, body = performance::Settings)))]
pub async fn settings(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<performance::Settings> {
    Ok(Json(performance::settings(&s.db, &a).await?))
}

/// Changes them (`admin`).
#[utoipa::path(put, path = "/performance/settings", tag = "performance",
    request_body = performance::Settings,
    responses((status = 200, body = performance::Settings), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn set_settings(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<performance::Settings>,
) -> ApiResult<performance::Settings> {
    Ok(Json(performance::set_settings(&s.db, &a, &input).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FileQuery {
    /// The file's name as it should be shown.
    pub filename: Option<String>,
}

/// Attaches an evidence file (PDF, PNG or JPEG told by content, at most 5 MiB; the body is
/// the file) to a draft or returned plan: its owner or admin.
#[utoipa::path(post, path = "/performance/plans/{id}/files", tag = "performance",
    params(("id" = i64, Path), FileQuery),
    request_body(content_type = "application/octet-stream", description = "the file"),
    responses((status = 201, body = performance::PlanFile), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 413, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn attach_file(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FileQuery>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<performance::PlanFile>), ApiError> {
    let bytes = super::file_body(body)?;
    let file = cakap_services::files::Evidence {
        filename: q.filename.unwrap_or_default(),
        bytes: bytes.to_vec(),
    };
    Ok(created(
        performance::attach_file(&s.db, &a, parse_id(&id)?, &file).await?,
    ))
}

/// Downloads an evidence file of a plan the caller may see.
#[utoipa::path(get, path = "/performance/plans/{id}/files/{file}", tag = "performance",
    params(("id" = i64, Path), ("file" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, body = super::ErrorBody)))]
pub async fn plan_file(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((id, file)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    let (name, content_type, bytes) =
        performance::plan_file(&s.db, &a, parse_id(&id)?, parse_id(&file)?).await?;
    Ok(super::file_response(&name, content_type, bytes))
}

/// Records a unit's own predikat for a period (`admin`); the unit's curve follows it.
#[utoipa::path(put, path = "/performance/unit-predikat", tag = "performance",
    request_body = performance::UnitRating,
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_unit_predikat(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<performance::UnitRating>,
) -> Result<StatusCode, ApiError> {
    performance::set_unit_predikat(&s.db, &a, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
