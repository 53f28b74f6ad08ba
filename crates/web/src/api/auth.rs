//! `/auth`: login, logout and bearer tokens.

use axum::Json;
use axum::extract::{ConnectInfo, State};
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

/// Ends the session and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(s): State<AppState>, ctx: Ctx) -> Result<Response, ApiError> {
    if let Some(id) = &ctx.session_id {
        auth::logout(&s.db, id).await?;
    }
    let mut res = axum::http::StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&crate::clear_cookie(crate::ctx::SESSION_COOKIE)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Deserialize, ToSchema)]
pub struct TokenInput {
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOutput {
    /// Shown once; only its hash is stored.
    pub token: String,
}

/// Issues a bearer token for the caller.
#[utoipa::path(post, path = "/auth/tokens", tag = "auth", request_body = TokenInput,
    responses((status = 201, body = TokenOutput), (status = 401, body = super::ErrorBody)))]
pub async fn create_token(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<TokenInput>,
) -> Result<(axum::http::StatusCode, Json<TokenOutput>), ApiError> {
    let token = auth::create_token(&s.db, &a, &input.name).await?;
    Ok(super::created(TokenOutput { token: token.0 }))
}
