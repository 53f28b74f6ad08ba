//! One error shape for the JSON API (`{error: {code, message, field?}}`) and friendly error
//! pages for the HTML side. Messages are translated here; causes of 500s are logged, never
//! shown.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cakap_services::ServiceError;
use serde::Serialize;

use crate::i18n::{self, t, t_args};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, key: &str) -> ApiError {
        ApiError {
            status,
            code,
            message: t(i18n::current(), key).to_string(),
            field: None,
            retry_after: None,
        }
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "error.not_found")
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        let lang = i18n::current();
        let (status, code) = status_of(&e);
        let mut out = ApiError {
            status,
            code,
            message: String::new(),
            field: None,
            retry_after: None,
        };
        out.message = match e {
            ServiceError::NotFound => t(lang, "error.not_found").into(),
            ServiceError::Forbidden => t(lang, "error.forbidden").into(),
            ServiceError::Unauthenticated => t(lang, "error.unauthenticated").into(),
            ServiceError::Invalid { field, key, args } => {
                out.field = Some(field.to_string());
                t_args(lang, key, &args)
            }
            ServiceError::Duplicate { field } => {
                out.field = (!field.is_empty()).then(|| field.to_string());
                t_args(
                    lang,
                    "error.duplicate",
                    &[("field", field_label(field).into())],
                )
            }
            ServiceError::Conflict { key } => t(lang, key).into(),
            ServiceError::Throttled { retry_after_secs } => {
                out.retry_after = Some(retry_after_secs);
                t_args(
                    lang,
                    "error.throttled",
                    &[("minutes", retry_after_secs.div_ceil(60).to_string())],
                )
            }
            ServiceError::Store(err @ cakap_store::StoreError::Unavailable(_)) => {
                tracing::warn!(error = %err, "database unavailable");
                out.retry_after = Some(5);
                t(lang, "error.unavailable").into()
            }
            ServiceError::Store(err) => {
                tracing::error!(error = %err, "store error");
                t(lang, "error.internal").into()
            }
            ServiceError::Internal(err) => {
                tracing::error!(error = %err, "internal error");
                t(lang, "error.internal").into()
            }
        };
        out
    }
}

fn field_label(field: &str) -> &'static str {
    let field = if field.is_empty() { "record" } else { field };
    t(i18n::current(), &format!("field.{field}"))
}

/// The status and machine code of a service error (shared by the API and the pages).
pub fn status_of(e: &ServiceError) -> (StatusCode, &'static str) {
    match e {
        ServiceError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        ServiceError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        ServiceError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        ServiceError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        ServiceError::Duplicate { .. } => (StatusCode::CONFLICT, "duplicate"),
        ServiceError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
        ServiceError::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
        ServiceError::Store(cakap_store::StoreError::Unavailable(_)) => {
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
        ServiceError::Store(_) | ServiceError::Internal(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                code: self.code,
                message: &self.message,
                field: self.field.as_deref(),
            },
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

/// The message of a service error in the current language (for forms and pages).
pub fn message_of(e: ServiceError) -> (StatusCode, Option<String>, String) {
    let api = ApiError::from(e);
    (api.status, api.field, api.message)
}
