//! Development plans: each ASN's IDP, and BKPSDM's training plan for a year and a budget
//! (the optimizer), its approval into enrolments.

use axum::Json;
use axum::extract::{Path, State};
use cakap_services::plans::idp::{self, DecisionInput, Idp, ItemsInput};
use cakap_services::plans::optimize::{self, Approved, OptimizeInput, PlanListItem, TrainingPlan};
use serde::Deserialize;
use utoipa::IntoParams;

use super::positions::parse_id;
use super::{ApiResult, created};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

type Created<T> = Result<(axum::http::StatusCode, Json<T>), ApiError>;

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct YearQuery {
    /// Default: next year for plans not yet made, this year otherwise.
    pub year: Option<i64>,
}

fn year_or_current(q: &YearQuery) -> i64 {
    q.year
        .unwrap_or_else(cakap_services::performance::current_year)
}

/// The ASN's individual development plan (IDP) for a year with its progress.
#[utoipa::path(get, path = "/employees/{nip}/plan", tag = "plans", params(("nip" = String, Path), YearQuery),
    responses((status = 200, body = Idp), (status = 404, body = super::ErrorBody)))]
pub async fn employee_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Idp> {
    Ok(Json(idp::get(&s.db, &a, &nip, year_or_current(&q)).await?))
}

/// Replaces the IDP's items with the ASN's own (draft or returned only).
#[utoipa::path(put, path = "/employees/{nip}/plan", tag = "plans", params(("nip" = String, Path), YearQuery),
    request_body = ItemsInput,
    responses((status = 200, body = Idp), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
    ApiJson(i): ApiJson<ItemsInput>,
) -> ApiResult<Idp> {
    Ok(Json(
        idp::update(&s.db, &a, &nip, year_or_current(&q), &i).await?,
    ))
}

/// (Re)generates the IDP from the gaps and the last evaluation's weaknesses.
#[utoipa::path(post, path = "/employees/{nip}/plan/generate", tag = "plans", params(("nip" = String, Path), YearQuery),
    responses((status = 201, body = Idp), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn generate_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Created<Idp> {
    Ok(created(
        idp::generate(&s.db, &a, &nip, year_or_current(&q)).await?,
    ))
}

/// The ASN submits their IDP to the supervisor.
#[utoipa::path(post, path = "/employees/{nip}/plan/submit", tag = "plans", params(("nip" = String, Path), YearQuery),
    responses((status = 200, body = Idp), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn submit_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Idp> {
    Ok(Json(
        idp::submit(&s.db, &a, &nip, year_or_current(&q)).await?,
    ))
}

/// The supervisor approves (`approve: true`) or returns (with a reason) a submitted IDP.
#[utoipa::path(post, path = "/employees/{nip}/plan/approve", tag = "plans", params(("nip" = String, Path), YearQuery),
    request_body = DecisionInput,
    responses((status = 200, body = Idp), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn approve_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
    ApiJson(d): ApiJson<DecisionInput>,
) -> ApiResult<Idp> {
    Ok(Json(
        idp::decide(&s.db, &a, &nip, year_or_current(&q), &d).await?,
    ))
}

/// Runs the optimizer for a year and a budget and saves the plan as a draft (`admin`).
#[utoipa::path(post, path = "/training-plans/optimize", tag = "plans", request_body = OptimizeInput,
    responses((status = 201, body = TrainingPlan), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn optimize_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(i): ApiJson<OptimizeInput>,
) -> Created<TrainingPlan> {
    let mut plan = optimize::optimize(&s.db, &a, &i).await?;
    crate::plan_reasons::fill(crate::i18n::current(), &mut plan);
    Ok(created(plan))
}

/// Recent training plans (`admin`, `auditor`).
#[utoipa::path(get, path = "/training-plans", tag = "plans", params(YearQuery),
    responses((status = 200, body = Vec<PlanListItem>), (status = 403, body = super::ErrorBody)))]
pub async fn training_plans(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Vec<PlanListItem>> {
    Ok(Json(optimize::list(&s.db, &a, q.year).await?))
}

/// One training plan with every assignment and who is left out, and why.
#[utoipa::path(get, path = "/training-plans/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = TrainingPlan), (status = 404, body = super::ErrorBody)))]
pub async fn training_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<TrainingPlan> {
    let mut plan = TrainingPlan::clone(&*optimize::get(&s.db, &a, parse_id(&id)?).await?);
    crate::plan_reasons::fill(crate::i18n::current(), &mut plan);
    Ok(Json(plan))
}

/// Approves a draft plan: enrolments and IDP items, in one transaction (`admin`).
#[utoipa::path(post, path = "/training-plans/{id}/approve", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = Approved), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn approve_training_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Approved> {
    Ok(Json(optimize::approve(&s.db, &a, parse_id(&id)?).await?))
}
