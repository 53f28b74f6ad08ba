//! `/positions`: jabatan.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::positions::{self, NewPosition, Position, PositionPatch, PositionQuery};

use super::{ApiPage, ApiResult, created};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

#[utoipa::path(get, path = "/positions", tag = "positions", params(PositionQuery),
    responses((status = 200, body = inline(cakap_services::Page<Position>))))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PositionQuery>,
) -> ApiPage<Position> {
    Ok(Json(positions::list(&s.db, &a, &q).await?))
}

#[utoipa::path(post, path = "/positions", tag = "positions", request_body = NewPosition,
    responses((status = 201, body = Position), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewPosition>,
) -> Result<(StatusCode, Json<Position>), ApiError> {
    Ok(created(positions::create(&s.db, &a, &input).await?))
}

/// Ids that are not numbers cannot exist.
pub fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| ApiError::not_found())
}

#[utoipa::path(get, path = "/positions/{id}", tag = "positions", params(("id" = i64, Path)),
    responses((status = 200, body = Position), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Position> {
    Ok(Json(positions::get(&s.db, &a, parse_id(&id)?).await?))
}

#[utoipa::path(patch, path = "/positions/{id}", tag = "positions", params(("id" = i64, Path)),
    request_body = PositionPatch,
    responses((status = 200, body = Position), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<PositionPatch>,
) -> ApiResult<Position> {
    Ok(Json(
        positions::update(&s.db, &a, parse_id(&id)?, &patch).await?,
    ))
}
