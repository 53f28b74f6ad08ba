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

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct EvidenceQuery {
    /// The file's name as it should be shown (default `bukti`).
    pub filename: Option<String>,
}

/// Attaches an evidence file (PDF, PNG or JPEG, told by its content; at most 5 MiB) to a
/// result without one: `admin`, or an ASN to their own self-assessment. The body is the file.
#[utoipa::path(put, path = "/assessments/{id}/evidence", tag = "competencies",
    params(("id" = i64, Path), EvidenceQuery),
    request_body(content_type = "application/octet-stream", description = "the file"),
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 413, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn put_evidence(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<EvidenceQuery>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let bytes = super::file_body(body)?;
    let evidence = cakap_services::files::Evidence {
        filename: q.filename.unwrap_or_default(),
        bytes: bytes.to_vec(),
    };
    assessments::attach(&s.db, &a, parse_id(&id)?, &evidence).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Downloads a result's evidence file, to whoever may see the employee.
#[utoipa::path(get, path = "/assessments/{id}/evidence", tag = "competencies", params(("id" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, body = super::ErrorBody)))]
pub async fn get_evidence(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let (filename, content_type, bytes) = assessments::evidence(&s.db, &a, parse_id(&id)?).await?;
    Ok(super::file_response(&filename, content_type, bytes))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BatchResult {
    /// Results recorded.
    pub recorded: usize,
}

/// Records results for many people at once (`admin`): one competency, method and date, a
/// level per NIP; all or nothing.
#[utoipa::path(post, path = "/assessments/batch", tag = "competencies",
    request_body = cakap_services::assessments::Batch,
    responses((status = 201, body = BatchResult), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create_batch(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<cakap_services::assessments::Batch>,
) -> Result<(StatusCode, Json<BatchResult>), ApiError> {
    let recorded = assessments::record_batch(&s.db, &a, &input).await?;
    Ok(super::created(BatchResult { recorded }))
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
    let g = gaps::unit(&s.db, &a, Some(&code)).await?;
    Ok(Json(std::sync::Arc::unwrap_or_clone(g)))
}
