//! Extractors: the caller as an [`Actor`], JSON bodies and queries whose rejections use the
//! API's error shape.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use cakap_services::{Actor, ServiceError};
use serde::de::DeserializeOwned;

use crate::ctx::Ctx;
use crate::error::ApiError;

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "error.internal",
            )
        })
    }
}

fn actor_of(ctx: &Ctx) -> Option<Actor> {
    let p = ctx.principal.as_ref()?;
    Actor::from_principal(p, Some(ctx.request_id.clone())).ok()
}

/// The logged-in caller of an API route; 401 otherwise.
pub struct ApiActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiActor {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        actor_of(&ctx)
            .map(ApiActor)
            .ok_or_else(|| ServiceError::Unauthenticated.into())
    }
}

/// The logged-in caller of a page; a redirect to the login page otherwise.
pub struct PageActor {
    pub actor: Actor,
    pub ctx: Ctx,
}

impl<S: Send + Sync> FromRequestParts<S> for PageActor {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match actor_of(&ctx) {
            Some(actor) => Ok(PageActor { actor, ctx }),
            None => {
                let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                let target = format!("/login?next={}", urlencode(next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|s| s[1..].to_string())
        .unwrap_or_default()
}

/// `Json<T>` whose failures are 415 (not JSON), 400 (malformed), 422 (wrong types or
/// missing fields) or 413 (too large), in the API's error shape.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    match r {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "error.json_only",
        ),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed", "error.malformed_json")
        }
        JsonRejection::JsonDataError(e) => {
            let mut err = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "error.json_data",
            );
            // serde says which field and what is wrong, in English; keep the field only.
            let detail = e.body_text();
            let rest = detail.split_once(": ").map_or("", |(_, r)| r);
            let field = match rest.split("missing field `").nth(1) {
                Some(after) => after.split('`').next(),
                None => rest.split_once(": ").map(|(path, _)| path),
            };
            if let Some(f) = field.filter(|f| f.len() < 64) {
                err.message = format!("{} ({f})", err.message);
                err.field = Some(f.to_string());
            }
            err
        }
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "error.too_large",
        ),
        _ => ApiError::new(StatusCode::BAD_REQUEST, "malformed", "error.malformed_json"),
    }
}

/// `Query<T>` with API-shaped 400s.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|_: QueryRejection| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "malformed",
                    "error.malformed_query",
                )
            })
    }
}
