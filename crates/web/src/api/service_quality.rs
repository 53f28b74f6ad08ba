//! Public-service quality: the public survey, the IKM, service users, complaints
//! (docs/interfaces.md, "second wave"; docs/domain.md#service-quality).

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use cakap_services::service_quality::compare::{self, UnitSeries};
use cakap_services::service_quality::complaints::{self, Complaint, NewComplaint, Step};
use cakap_services::service_quality::{
    self as sq, IkmReport, PopulationInput, Respondent, SurveyInput,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiResult;
use super::positions::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

/// The survey cookie: a random id per device, so one device answers a unit once a day.
pub const SURVEY_COOKIE: &str = "cakap_survei";

#[derive(Serialize, ToSchema)]
pub struct Received {
    pub received: bool,
}

/// A citizen's answers for a unit that serves the public (no login). One response per
/// device and unit a day (409), a limit per address (429).
#[utoipa::path(post, path = "/public/surveys/{unit}", tag = "service-quality",
    params(("unit" = String, Path)), request_body = SurveyInput,
    responses((status = 201, body = Received), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody),
        (status = 429, body = super::ErrorBody)))]
pub async fn submit(
    State(s): State<AppState>,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Path(unit): Path<String>,
    ApiJson(input): ApiJson<SurveyInput>,
) -> Result<(StatusCode, Json<Received>), ApiError> {
    let address = crate::client_address(&headers, addr, s.config.trust_proxy);
    let cookie = crate::ctx::cookie(&headers, SURVEY_COOKIE);
    let who = Respondent {
        address: &address,
        cookie,
    };
    sq::submit(&s.db, &unit, &who, &input).await?;
    Ok(super::created(Received { received: true }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct IkmQuery {
    /// Unit code.
    pub unit: String,
    /// `2026` or `2026-S1`.
    pub period: String,
}

/// A unit's IKM for a year or a semester (PermenPANRB 14/2017).
#[utoipa::path(get, path = "/service-quality/ikm", tag = "service-quality", params(IkmQuery),
    responses((status = 200, body = IkmReport), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn ikm(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<IkmQuery>,
) -> ApiResult<IkmReport> {
    Ok(Json(sq::ikm(&s.db, &a, &q.unit, &q.period).await?))
}

/// Service users of a unit in a period (for the sample size).
#[utoipa::path(put, path = "/service-quality/population", tag = "service-quality",
    request_body = PopulationInput,
    responses((status = 204), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn population(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<PopulationInput>,
) -> Result<StatusCode, ApiError> {
    sq::set_population(&s.db, &a, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ComplaintQuery {
    /// Unit code: that unit (and its sub-units) only.
    pub unit: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Complaints of the caller's units, newest first.
#[utoipa::path(get, path = "/complaints", tag = "service-quality", params(ComplaintQuery),
    responses((status = 200, body = inline(cakap_services::Page<Complaint>)), (status = 403, body = super::ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ComplaintQuery>,
) -> super::ApiPage<Complaint> {
    let (page, _overdue) =
        complaints::list(&s.db, &a, q.unit.as_deref(), q.page, q.per_page).await?;
    Ok(Json(page))
}

/// Records a complaint (`admin`, or the unit's `pimpinan` as its complaint officer).
#[utoipa::path(post, path = "/complaints", tag = "service-quality", request_body = NewComplaint,
    responses((status = 201, body = Complaint), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewComplaint>,
) -> Result<(StatusCode, Json<Complaint>), ApiError> {
    Ok(super::created(complaints::create(&s.db, &a, &input).await?))
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintDetail {
    #[serde(flatten)]
    pub complaint: Complaint,
    /// Every step so far, in order.
    pub steps: Vec<StepView>,
}

#[derive(Serialize, ToSchema)]
pub struct StepView {
    /// Unix milliseconds.
    pub at: i64,
    pub actor: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
}

#[utoipa::path(get, path = "/complaints/{id}", tag = "service-quality", params(("id" = i64, Path)),
    responses((status = 200, body = ComplaintDetail), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<ComplaintDetail> {
    let (complaint, steps) = complaints::get(&s.db, &a, parse_id(&id)?).await?;
    let steps = steps
        .into_iter()
        .map(|r| StepView {
            at: r.at,
            actor: r.actor,
            from_status: r.from_status,
            to_status: r.to_status,
            reason: r.reason,
        })
        .collect();
    Ok(Json(ComplaintDetail { complaint, steps }))
}

/// The next step: `diverifikasi`, `diproses`, `selesai`, or `ditolak` / `bukan_wewenang`
/// with a reason.
#[utoipa::path(patch, path = "/complaints/{id}", tag = "service-quality", params(("id" = i64, Path)),
    request_body = Step,
    responses((status = 200, body = Complaint), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn step(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<Step>,
) -> ApiResult<Complaint> {
    Ok(Json(
        complaints::step(&s.db, &a, parse_id(&id)?, &input).await?,
    ))
}

/// A unit's service (IKM, complaints) and its staff's development (JPM, JP) per year, and how
/// IKM and JPM move together across units — a correlation only with enough units.
#[utoipa::path(get, path = "/service-quality/units/{code}", tag = "service-quality",
    params(("code" = String, Path)),
    responses((status = 200, body = UnitSeries), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn unit_series(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> ApiResult<UnitSeries> {
    let series = compare::unit(&s.db, &a, &code).await?;
    Ok(Json(UnitSeries::clone(&series)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// `2026` or `2026-S1`.
    pub period: String,
}

/// The unit's SKM report for a period (PDF): method, respondents, NRR per unsur, IKM and
/// mutu, complaints, follow-up plan.
#[utoipa::path(get, path = "/service-quality/units/{code}/report", tag = "service-quality",
    params(("code" = String, Path), ReportQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn report(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<axum::response::Response, ApiError> {
    let pdf = sq::report(&s.db, &a, &code, &q.period).await?;
    Ok(super::file_response(
        &format!("laporan-skm-{}-{}.pdf", code.trim(), q.period.trim()),
        "application/pdf",
        pdf,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublicInput {
    pub serves_public: bool,
}

/// Opens (or closes) a unit's citizens' survey: only units that serve the public have one
/// (`admin`).
#[utoipa::path(put, path = "/service-quality/units/{code}/public", tag = "service-quality",
    params(("code" = String, Path)), request_body = PublicInput,
    responses((status = 204), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn set_public(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<PublicInput>,
) -> Result<StatusCode, ApiError> {
    sq::set_serves_public(&s.db, &a, &code, input.serves_public).await?;
    Ok(StatusCode::NO_CONTENT)
}
