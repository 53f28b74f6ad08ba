//! Regulations, campaigns and the inbox (docs/interfaces.md, "second wave";
//! docs/domain.md#regulations).

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use cakap_services::notifications::{self, EmailChoice, Inbox};
use cakap_services::regulations::campaigns::{
    self, Acknowledged, Campaign, CampaignInput, Created,
};
use cakap_services::regulations::{self as regs, FeedEntry, Regulation, RegulationInput, Search};
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiResult;
use super::positions::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

/// The register, searched (folded words) and filtered; newest year first.
#[utoipa::path(get, path = "/regulations", tag = "regulations", params(Search),
    responses((status = 200, body = inline(cakap_services::Page<Regulation>)), (status = 422, body = super::ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<Search>,
) -> super::ApiPage<Regulation> {
    Ok(Json(regs::list(&s.db, &a, &q).await?))
}

/// Records a regulation (`admin`); `relations` act on others at once (revoke, amend).
#[utoipa::path(post, path = "/regulations", tag = "regulations", request_body = RegulationInput,
    responses((status = 201, body = Regulation), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<RegulationInput>,
) -> Result<(StatusCode, Json<Regulation>), ApiError> {
    Ok(super::created(regs::create(&s.db, &a, &input).await?))
}

#[utoipa::path(get, path = "/regulations/{id}", tag = "regulations", params(("id" = i64, Path)),
    responses((status = 200, body = Regulation), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Regulation> {
    Ok(Json(regs::get(&s.db, &a, parse_id(&id)?).await?.0))
}

/// Corrects metadata and adds relations (`admin`).
#[utoipa::path(patch, path = "/regulations/{id}", tag = "regulations", params(("id" = i64, Path)),
    request_body = RegulationInput,
    responses((status = 200, body = Regulation), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RegulationInput>,
) -> ApiResult<Regulation> {
    Ok(Json(regs::update(&s.db, &a, parse_id(&id)?, &input).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FileQuery {
    pub filename: Option<String>,
}

/// Attaches the PDF (`admin`; told by content, at most 10 MiB). A different file than the
/// current one is a new version: campaigns ask again.
#[utoipa::path(post, path = "/regulations/{id}/file", tag = "regulations",
    params(("id" = i64, Path), FileQuery),
    request_body(content_type = "application/pdf", description = "the PDF"),
    responses((status = 200, body = Regulation), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 413, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn attach(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FileQuery>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Regulation> {
    let bytes = super::file_body(body)?;
    let file = cakap_services::files::Evidence {
        filename: q.filename.unwrap_or_else(|| "peraturan.pdf".into()),
        bytes: bytes.to_vec(),
    };
    Ok(Json(regs::attach(&s.db, &a, parse_id(&id)?, &file).await?))
}

/// The public JDIHN integration feed (no login; DOMAIN §11 field names).
#[utoipa::path(get, path = "/jdih/feed", tag = "regulations",
    responses((status = 200, body = [FeedEntry])))]
pub async fn feed(State(s): State<AppState>) -> ApiResult<Vec<FeedEntry>> {
    Ok(Json(regs::feed(&s.db, s.config.public_url()).await?))
}

/// Targets a regulation's current version at an audience (`admin`): 201 with how many.
#[utoipa::path(post, path = "/regulations/{id}/campaigns", tag = "regulations",
    params(("id" = i64, Path)), request_body = CampaignInput,
    responses((status = 201, body = Created), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_campaign(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CampaignInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    Ok(super::created(
        campaigns::create(&s.db, &a, parse_id(&id)?, &input).await?,
    ))
}

/// A campaign's compliance over the caller's units.
#[utoipa::path(get, path = "/campaigns/{id}", tag = "regulations", params(("id" = i64, Path)),
    responses((status = 200, body = Campaign), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn campaign(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Campaign> {
    Ok(Json(campaigns::get(&s.db, &a, parse_id(&id)?).await?.0))
}

/// The targeted caller acknowledges the current version; again → the same answer.
#[utoipa::path(post, path = "/campaigns/{id}/acknowledge", tag = "regulations",
    params(("id" = i64, Path)),
    responses((status = 200, body = Acknowledged), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn acknowledge(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Acknowledged> {
    let address = crate::client_address(&headers, addr, s.config.trust_proxy);
    Ok(Json(
        campaigns::acknowledge(&s.db, &a, parse_id(&id)?, &address).await?,
    ))
}

/// The caller's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/notifications", tag = "notifications",
    responses((status = 200, body = Inbox)))]
pub async fn inbox(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<Inbox> {
    Ok(Json(notifications::inbox(&s.db, &a).await?))
}

/// Marks one of the caller's notifications read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn read(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    notifications::read(&s.db, &a, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How the caller wants e-mail: `instant`, `digest` (once a day) or `off`.
#[utoipa::path(put, path = "/notifications/email", tag = "notifications",
    request_body = EmailChoice,
    responses((status = 204), (status = 422, body = super::ErrorBody)))]
pub async fn email_mode(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<EmailChoice>,
) -> Result<StatusCode, ApiError> {
    notifications::set_email_mode(&s.db, &a, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
