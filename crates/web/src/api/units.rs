//! `/units`: the unit tree.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::units::{self, NewUnit, Unit, UnitPatch};

use super::{ApiPage, ApiResult, created};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson};

/// Units the caller may see, in tree order.
#[utoipa::path(get, path = "/units", tag = "units",
    responses((status = 200, body = inline(cakap_services::Page<Unit>)), (status = 401, body = super::ErrorBody)))]
pub async fn list(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiPage<Unit> {
    Ok(Json(units::list(&s.db, &a).await?))
}

/// Creates a unit (`admin`).
#[utoipa::path(post, path = "/units", tag = "units", request_body = NewUnit,
    responses((status = 201, body = Unit), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewUnit>,
) -> Result<(StatusCode, Json<Unit>), ApiError> {
    Ok(created(units::create(&s.db, &a, &input).await?))
}

#[utoipa::path(get, path = "/units/{code}", tag = "units", params(("code" = String, Path)),
    responses((status = 200, body = Unit), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> ApiResult<Unit> {
    Ok(Json(units::get(&s.db, &a, &code).await?))
}

/// Changes name, parent or kecamatan (`admin`); send `version` to refuse stale edits.
#[utoipa::path(patch, path = "/units/{code}", tag = "units", params(("code" = String, Path)),
    request_body = UnitPatch,
    responses((status = 200, body = Unit), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiJson(patch): ApiJson<UnitPatch>,
) -> ApiResult<Unit> {
    Ok(Json(units::update(&s.db, &a, &code, &patch).await?))
}

/// Deletes a unit with no sub-units, positions or employees (`admin`).
#[utoipa::path(delete, path = "/units/{code}", tag = "units", params(("code" = String, Path)),
    responses((status = 204), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn delete(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    units::delete(&s.db, &a, &code).await?;
    Ok(StatusCode::NO_CONTENT)
}
