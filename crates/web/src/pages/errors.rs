//! Rendering, and what a page shows when something is refused or goes wrong: the error page
//! in the reader's language, a refused form's message beside its fields.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use cakap_services::ServiceError;

use super::Ui;
use crate::ctx::Ctx;
use crate::i18n;

/// Renders a template, or a plain 500 if the template itself fails.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            (StatusCode::INTERNAL_SERVER_ERROR, "500").into_response()
        }
    }
}

pub fn render_status(status: StatusCode, t: &impl Template) -> Response {
    let mut res = render(t);
    if res.status() == StatusCode::OK {
        *res.status_mut() = status;
    }
    res
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ui: Ui,
    title: &'static str,
    message: String,
}

/// A friendly error page in the caller's language.
/// An error page with a message already in the reader's language.
pub fn error_message(ctx: &Ctx, status: StatusCode, message: String) -> Response {
    let ui = Ui::new(ctx, "");
    let title = ui.t(&format!("status.{}", status.as_u16()));
    render_status(status, &ErrorPage { message, title, ui })
}

pub fn error_page(ctx: &Ctx, status: StatusCode, key: &str) -> Response {
    let ui = Ui::new(ctx, "");
    let title = ui.t(&format!("status.{}", status.as_u16()));
    render_status(
        status,
        &ErrorPage {
            message: i18n::t(ctx.lang, key).to_string(),
            title,
            ui,
        },
    )
}

/// What a page handler returns. A service error leaves the handler with `?` and becomes the
/// error page in the reader's language, with their navigation: [`PageError`] only carries the
/// status and the translated message, and the context middleware (`ctx::context`), which
/// knows who is asking, renders the page around it.
pub type PageResult = Result<Response, PageError>;

#[derive(Debug)]
pub struct PageError(pub ServiceError);

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        PageError(e)
    }
}

/// The message an error page shows, handed from [`PageError`] to the middleware.
#[derive(Clone)]
pub struct ErrorNotice(pub String);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, _, message) = crate::error::message_of(self.0);
        let mut res = status.into_response();
        res.extensions_mut().insert(ErrorNotice(message));
        res
    }
}

/// Renders a response that carries an [`ErrorNotice`] as the error page for `ctx`.
pub fn show_notice(ctx: &Ctx, res: Response) -> Response {
    let Some(ErrorNotice(message)) = res.extensions().get::<ErrorNotice>() else {
        return res;
    };
    let mut page = error_message(ctx, res.status(), message.clone());
    // Whatever the handler set (cookies, caching) stays; the body is the page's own.
    for (name, value) in res.headers() {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            page.headers_mut().append(name, value.clone());
        }
    }
    page
}

/// A refusal a form shows beside its fields: invalid, duplicate or stale input.
pub struct Refusal {
    pub status: StatusCode,
    pub field: Option<String>,
    pub message: String,
}

impl Refusal {
    /// The status, the field and the message a form page shows (200 and nothing when the
    /// form is shown fresh).
    pub fn split(r: Option<Refusal>) -> (StatusCode, String, Option<String>) {
        match r {
            Some(r) => (r.status, r.field.unwrap_or_default(), Some(r.message)),
            None => (StatusCode::OK, String::new(), None),
        }
    }
}

pub trait OrRefusal<T> {
    /// Splits a service result for a form: `Ok(Ok(v))` done, `Ok(Err(refusal))` show the
    /// form again with the message, `Err(_)` anything else (an error page, through `?`).
    fn or_refusal(self) -> Result<Result<T, Refusal>, PageError>;
}

impl<T> OrRefusal<T> for Result<T, ServiceError> {
    fn or_refusal(self) -> Result<Result<T, Refusal>, PageError> {
        match self {
            Ok(v) => Ok(Ok(v)),
            Err(
                e @ (ServiceError::Invalid { .. }
                | ServiceError::Duplicate { .. }
                | ServiceError::Conflict { .. }),
            ) => {
                let (status, field, message) = crate::error::message_of(e);
                Ok(Err(Refusal {
                    status,
                    field,
                    message,
                }))
            }
            Err(e) => Err(PageError(e)),
        }
    }
}

pub async fn not_found(ctx: Ctx) -> Response {
    error_page(&ctx, StatusCode::NOT_FOUND, "error.not_found")
}
