//! `/competencies`: the dictionary, versioned on every change.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::competencies::{self, Competency, CompetencyPatch, NewCompetency};

use super::{ApiPage, ApiResult, created};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson};

#[utoipa::path(get, path = "/competencies", tag = "competencies",
    responses((status = 200, body = inline(cakap_services::Page<Competency>))))]
pub async fn list(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiPage<Competency> {
    Ok(Json(competencies::list(&s.db, &a).await?))
}

/// Adds a competency (`admin`).
#[utoipa::path(post, path = "/competencies", tag = "competencies", request_body = NewCompetency,
    responses((status = 201, body = Competency), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewCompetency>,
) -> Result<(StatusCode, Json<Competency>), ApiError> {
    Ok(created(competencies::create(&s.db, &a, &input).await?))
}

#[utoipa::path(get, path = "/competencies/{code}", tag = "competencies", params(("code" = String, Path)),
    responses((status = 200, body = Competency), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> ApiResult<Competency> {
    Ok(Json(competencies::get(&s.db, &a, &code).await?))
}

/// Changes a competency as a new version (`admin`); `active: false` retires it.
#[utoipa::path(patch, path = "/competencies/{code}", tag = "competencies", params(("code" = String, Path)),
    request_body = CompetencyPatch,
    responses((status = 200, body = Competency), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiJson(patch): ApiJson<CompetencyPatch>,
) -> ApiResult<Competency> {
    Ok(Json(competencies::update(&s.db, &a, &code, &patch).await?))
}
