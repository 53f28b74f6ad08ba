//! Position standards, assessments and gaps (the competency core).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::assessments::{self, Assessment, NewAssessment};
use cakap_services::gaps::{self, EmployeeGaps, UnitGaps};
use cakap_services::requirements::{self, RequirementItem};

use super::ApiResult;
use super::positions::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson};

/// The required level per competency of a position.
#[utoipa::path(get, path = "/positions/{id}/requirements", tag = "competencies", params(("id" = i64, Path)),
    responses((status = 200, body = [RequirementItem]), (status = 404, body = super::ErrorBody)))]
pub async fn get_requirements(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Vec<RequirementItem>> {
    Ok(Json(requirements::get(&s.db, &a, parse_id(&id)?).await?))
}

/// Replaces the whole set (`admin`).
#[utoipa::path(put, path = "/positions/{id}/requirements", tag = "competencies", params(("id" = i64, Path)),
    request_body = [RequirementItem],
    responses((status = 200, body = [RequirementItem]), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn put_requirements(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(items): ApiJson<Vec<RequirementItem>>,
) -> ApiResult<Vec<RequirementItem>> {
    Ok(Json(
        requirements::put(&s.db, &a, parse_id(&id)?, &items).await?,
    ))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct CopyFrom {
    /// The position whose standard is copied.
    pub from: i64,
}

/// Gives the position the standard of another one, replacing its own (`admin`).
#[utoipa::path(post, path = "/positions/{id}/requirements/copy", tag = "competencies", params(("id" = i64, Path)),
    request_body = CopyFrom,
    responses((status = 200, body = [RequirementItem]), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn copy_requirements(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CopyFrom>,
) -> ApiResult<Vec<RequirementItem>> {
    Ok(Json(
        requirements::copy(&s.db, &a, parse_id(&id)?, body.from).await?,
    ))
}

/// Records a result. `admin` records any method; an ASN records `self` for themself only.
#[utoipa::path(post, path = "/assessments", tag = "competencies", request_body = NewAssessment,
    responses((status = 201, body = Assessment), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_assessment(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewAssessment>,
) -> Result<(StatusCode, Json<Assessment>), ApiError> {
    Ok(super::created(
        assessments::record(&s.db, &a, &input).await?,
    ))
}

/// An employee's assessment history, newest first.
#[utoipa::path(get, path = "/employees/{nip}/assessments", tag = "competencies", params(("nip" = String, Path)),
    responses((status = 200, body = [Assessment]), (status = 404, body = super::ErrorBody)))]
pub async fn employee_assessments(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
) -> ApiResult<Vec<Assessment>> {
    Ok(Json(assessments::of_employee(&s.db, &a, &nip).await?))
}

/// Required versus actual per competency, with the JPM and its category.
#[utoipa::path(get, path = "/employees/{nip}/gaps", tag = "competencies", params(("nip" = String, Path)),
    responses((status = 200, body = EmployeeGaps), (status = 404, body = super::ErrorBody)))]
pub async fn employee_gaps(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
) -> ApiResult<EmployeeGaps> {
    Ok(Json(gaps::employee(&s.db, &a, &nip).await?))
}

/// The unit subtree's aggregate (`admin`, `auditor`, `pimpinan` of the subtree).
#[utoipa::path(get, path = "/units/{code}/gaps", tag = "competencies", params(("code" = String, Path)),
    responses((status = 200, body = UnitGaps), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn unit_gaps(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> ApiResult<UnitGaps> {
    Ok(Json(gaps::unit(&s.db, &a, Some(&code)).await?))
}
