//! `/talent/…` and potential scores: the 9-box map and succession for key positions.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::talent::{self, KeyPosition, NineBox, Potential, PotentialInput, Succession};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::ApiResult;
use super::positions::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

/// Records the employee's potential score for a year (`admin`).
#[utoipa::path(put, path = "/employees/{nip}/potential", tag = "talent", params(("nip" = String, Path)),
    request_body = PotentialInput,
    responses((status = 200, body = Potential), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_potential(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiJson(input): ApiJson<PotentialInput>,
) -> ApiResult<Potential> {
    Ok(Json(talent::set_potential(&s.db, &a, &nip, &input).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct TalentQuery {
    /// Unit code: that subtree only.
    pub unit: Option<String>,
    /// Default: this year.
    pub year: Option<i64>,
}

/// The 9-box map (kinerja from the annual predikat × potensi from the score).
#[utoipa::path(get, path = "/talent/ninebox", tag = "talent", params(TalentQuery),
    responses((status = 200, body = NineBox), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn ninebox(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<TalentQuery>,
) -> ApiResult<NineBox> {
    let year = q
        .year
        .unwrap_or_else(cakap_services::performance::current_year);
    let map = talent::ninebox(&s.db, &a, q.unit.as_deref(), year).await?;
    Ok(Json(std::sync::Arc::unwrap_or_clone(map)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct YearQuery {
    pub year: Option<i64>,
}

/// Candidates from boxes 7–9 for a position, ranked by their JPM against its standard.
#[utoipa::path(get, path = "/talent/succession/{position_id}", tag = "talent",
    params(("position_id" = i64, Path), YearQuery),
    responses((status = 200, body = Succession), (status = 404, body = super::ErrorBody)))]
pub async fn succession(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Succession> {
    let year = q
        .year
        .unwrap_or_else(cakap_services::performance::current_year);
    let sc = talent::succession(&s.db, &a, parse_id(&id)?, year).await?;
    Ok(Json(Succession::clone(&sc)))
}

#[utoipa::path(get, path = "/talent/key-positions", tag = "talent",
    responses((status = 200, body = [KeyPosition])))]
pub async fn key_positions(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Vec<KeyPosition>> {
    Ok(Json(talent::key_positions(&s.db, &a).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct KeyBody {
    pub key: bool,
}

/// Marks (`{key: true}`) or unmarks a key position (`admin`).
#[utoipa::path(put, path = "/talent/key-positions/{position_id}", tag = "talent",
    params(("position_id" = i64, Path)), request_body = KeyBody,
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn set_key_position(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<KeyBody>,
) -> Result<StatusCode, ApiError> {
    talent::set_key_position(&s.db, &a, parse_id(&id)?, body.key).await?;
    Ok(StatusCode::NO_CONTENT)
}
