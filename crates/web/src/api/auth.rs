//! `/auth`: login, logout and bearer tokens.

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cakap_services::auth;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson};

#[derive(Deserialize, ToSchema)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginOutput {
    pub username: String,
    pub role: String,
    /// Send as `X-CSRF-Token` when posting HTML forms with this session.
    pub csrf_token: String,
}

/// Logs in and sets the session cookie. Repeated failures per account or address → 429.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginInput,
    responses((status = 200, body = LoginOutput), (status = 401, body = super::ErrorBody),
        (status = 429, body = super::ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    ctx: Ctx,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<Response, ApiError> {
    let address = crate::client_address(&headers, addr, s.config.trust_proxy);
    let previous = ctx.session_id.as_deref();
    let session = auth::login(&s.db, &input.username, &input.password, &address, previous).await?;
    let principal = auth::session_principal(&s.db, &session.id.0)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let out = LoginOutput {
        username: principal.username,
        role: principal.role,
        csrf_token: session.csrf,
    };
    let mut res = Json(out).into_response();
    if let Ok(v) = HeaderValue::from_str(&crate::session_cookie(&s.config, &session.id.0)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// Ends the session, clears the cookie and (`Clear-Site-Data`) what the browser kept.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(s): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    if let Some(id) = &ctx.session_id {
        auth::logout(&s.db, id).await?;
    }
    let mut res = axum::http::StatusCode::NO_CONTENT.into_response();
    // Like the page logout: the cookie, the kept module pages and the queued progress go.
    crate::ctx::forget_device_data(&mut res);
    Ok(res)
}

#[derive(Deserialize, ToSchema)]
pub struct TokenInput {
    pub name: String,
    /// Days the token stays valid: 1 to 365, 90 when left out.
    #[serde(default)]
    pub expires_in_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOutput {
    /// Shown once; only its hash is stored.
    pub token: String,
    pub id: i64,
    pub name: String,
    /// RFC 3339; the token is refused (401) from then on.
    pub expires_at: Option<String>,
}

/// Issues a bearer token for the caller (valid 90 days unless `expires_in_days` says
/// otherwise, at most 365).
#[utoipa::path(post, path = "/auth/tokens", tag = "auth", request_body = TokenInput,
    responses((status = 201, body = TokenOutput), (status = 401, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create_token(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<TokenInput>,
) -> Result<(axum::http::StatusCode, Json<TokenOutput>), ApiError> {
    // Only a person logged in makes tokens: a token making tokens would outlive its expiry.
    if ctx.via_token {
        return Err(cakap_services::ServiceError::Forbidden.into());
    }
    let made = auth::create_token(&s.db, &a, &input.name, input.expires_in_days).await?;
    Ok(super::created(TokenOutput {
        token: made.token.0,
        id: made.info.id,
        name: made.info.name,
        expires_at: made.info.expires_at,
    }))
}

/// The caller's own tokens (never the secrets): `{items: [{id, name, created_at, expires_at,
/// last_used_at, expired}], total, page, per_page}`.
#[utoipa::path(get, path = "/auth/tokens", tag = "auth",
    responses((status = 200, body = TokenList), (status = 401, body = super::ErrorBody)))]
pub async fn list_tokens(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<Json<cakap_services::Page<auth::TokenInfo>>, ApiError> {
    Ok(Json(auth::list_tokens(&s.db, &a).await?))
}

/// The list's shape, for the OpenAPI document.
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<auth::TokenInfo>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Revokes one of the caller's tokens: refused (401) from now on. Someone else's → 404.
#[utoipa::path(delete, path = "/auth/tokens/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn revoke_token(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiActor(a): ApiActor,
    Path(id): Path<i64>,
) -> Result<axum::http::StatusCode, ApiError> {
    // A stolen token cannot revoke its owner's other tokens either.
    if ctx.via_token {
        return Err(cakap_services::ServiceError::Forbidden.into());
    }
    auth::revoke_token(&s.db, &a, id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
