//! Per-request context: request id, the caller (session cookie or bearer token), the
//! language; then CSRF checks for anything that changes state.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cakap_services::auth;
use cakap_store::users::Principal;
use tracing::Instrument;

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::{self, Lang};

pub const SESSION_COOKIE: &str = "cakap_session";
pub const PRE_CSRF_COOKIE: &str = "cakap_csrf";
pub const LANG_COOKIE: &str = "cakap_lang";
/// Largest HTML form body read for its CSRF field.
const FORM_LIMIT: usize = 1 << 20;

#[derive(Clone, Debug)]
pub struct Ctx {
    pub lang: Lang,
    pub request_id: String,
    pub principal: Option<Principal>,
    /// The raw session id from the cookie, when the caller has a live session.
    pub session_id: Option<String>,
    pub via_token: bool,
    /// The login form's double-submit token (before there is a session).
    pub pre_csrf: Option<String>,
    pub is_api: bool,
}

impl Ctx {
    /// The token a form must send back.
    pub fn csrf(&self) -> &str {
        match &self.principal {
            Some(p) if !self.via_token => &p.csrf,
            _ => self.pre_csrf.as_deref().unwrap_or(""),
        }
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

static REQUESTS: AtomicU64 = AtomicU64::new(0);

fn request_id() -> String {
    static PREFIX: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| auth::random_token()[..8].to_string());
    format!("{}-{:x}", *PREFIX, REQUESTS.fetch_add(1, Ordering::Relaxed))
}

/// A client's `X-Request-ID`, kept only when it is a short safe id (1–64 characters of
/// `A-Z a-z 0-9 . _ -`): it goes into logs and audit rows, so markup, line breaks and long
/// strings are replaced by a fresh id rather than stored.
pub fn accepted_request_id(sent: &str) -> Option<&str> {
    let ok = !sent.is_empty()
        && sent.len() <= 64
        && sent
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    ok.then_some(sent)
}

/// Resolves the caller and the language, then serves the request inside both.
pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // Static files and the health check never need to know who is asking.
    if path.starts_with("/static/") || path == "/healthz" {
        return next.run(req).await;
    }
    let headers = req.headers();
    let is_api = path.starts_with("/api/");
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .and_then(accepted_request_id)
        .map_or_else(request_id, str::to_string);

    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
        .map(str::to_string);
    let session_cookie = cookie(headers, SESSION_COOKIE)
        .filter(|v| v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()))
        .map(str::to_string);
    let (principal, via_token) = if let Some(token) = &bearer {
        (auth::token_principal(&state.db, token).await, true)
    } else if let Some(id) = &session_cookie {
        (auth::session_principal(&state.db, id).await, false)
    } else {
        (Ok(None), false)
    };
    let principal = match principal {
        Ok(p) => p,
        // 503 when the database cannot be reached (logged as a warning), else 500.
        Err(e) => return ApiError::from(e).into_response(),
    };
    let headers = req.headers();
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    let user_lang = principal
        .as_ref()
        .and_then(|p| p.locale.as_deref())
        .and_then(Lang::parse);
    let cookie_lang = cookie(headers, LANG_COOKIE).and_then(Lang::parse);
    let lang = if is_api {
        accept.or(user_lang).unwrap_or_default()
    } else {
        user_lang.or(cookie_lang).or(accept).unwrap_or_default()
    };
    // A session cookie that no longer opens a session (expired, logged out elsewhere,
    // password changed): what this device kept for that person goes too.
    let session_gone = !via_token && session_cookie.is_some() && principal.is_none();
    let learner_tag = principal
        .as_ref()
        .filter(|_| !via_token && path_keeps_offline_copies(req.uri().path()))
        .map(|p| learner_tag(p.tenant_id, p.user_id));
    let ctx = Ctx {
        lang,
        request_id: request_id.clone(),
        session_id: session_cookie.filter(|_| principal.is_some() && !via_token),
        principal,
        via_token,
        // Only a token of our own shape: a planted cookie must not reach the page unchecked.
        pre_csrf: cookie(headers, PRE_CSRF_COOKIE)
            .filter(|v| v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()))
            .map(str::to_string),
        is_api,
    };
    let page_ctx = (!is_api).then(|| ctx.clone());
    req.extensions_mut().insert(ctx);
    let span = tracing::info_span!("request", id = %request_id, method = %req.method(), path = %req.uri().path());
    let mut res = i18n::LANG.scope(lang, next.run(req)).instrument(span).await;
    if let Some(ctx) = &page_ctx {
        res = crate::pages::show_notice(ctx, res);
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert("x-request-id", v);
    }
    if let Some(tag) = learner_tag
        && let Ok(v) = HeaderValue::from_str(&tag)
    {
        res.headers_mut().insert(LEARNER_HEADER, v);
    }
    if session_gone {
        forget_cached_pages(&mut res);
    }
    res
}

/// Tells the service worker (`static/sw.js`) whose page a `/learn/` response is, so it keeps
/// offline copies per person and never hands one person's copy to another.
pub const LEARNER_HEADER: &str = "x-cakap-learner";

/// Pages the service worker may keep for offline reading.
fn path_keeps_offline_copies(path: &str) -> bool {
    path.starts_with("/learn/")
}

/// An opaque, stable tag of an account (not its id or name, not a secret either).
fn learner_tag(tenant: i64, user: i64) -> String {
    auth::sha256_hex(&format!("cakap-learner:{tenant}:{user}"))[..16].to_string()
}

/// `Clear-Site-Data: "cache", "storage"`: the browser drops its caches, the service worker's
/// offline copies and the progress queued on the device. Sent at every logout; the session
/// cookie is cleared too.
pub fn forget_device_data(res: &mut Response) {
    clear_site_data(res, "\"cache\", \"storage\"");
}

/// `Clear-Site-Data: "cache"` to a request whose session has ended (expired, or logged out
/// elsewhere): the cached pages go, but the progress a learner queued offline stays on the
/// device until they log in again (`static/app.js` keeps it per person and sends it then).
/// The stale cookie is cleared unless the response sets a new one (a login).
pub fn forget_cached_pages(res: &mut Response) {
    clear_site_data(res, "\"cache\"");
}

fn clear_site_data(res: &mut Response, what: &'static str) {
    res.headers_mut().insert(
        header::HeaderName::from_static("clear-site-data"),
        HeaderValue::from_static(what),
    );
    let prefix = format!("{SESSION_COOKIE}=");
    let sets_session = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.starts_with(&prefix)));
    if !sets_session && let Ok(v) = HeaderValue::from_str(&crate::clear_cookie(SESSION_COOKIE)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// CSRF: HTML forms must send the session's token (`_csrf` field or `X-CSRF-Token`); the
/// JSON API, when called with a session cookie, accepts only `application/json` bodies,
/// which a cross-site form cannot send. Bearer tokens are exempt.
pub async fn csrf(req: Request, next: Next) -> Response {
    if !changes_state(req.method()) {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return next.run(req).await;
    };
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if ctx.is_api {
        // An upload (multipart) with a cookie must carry the session's token in a header,
        // which a cross-site form cannot set.
        let token_ok = req
            .headers()
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| !t.is_empty() && t == ctx.csrf());
        if ctx.principal.is_some() && !ctx.via_token && !is_json && !token_ok {
            return ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "error.json_only",
            )
            .into_response();
        }
        return next.run(req).await;
    }
    let expected = ctx.csrf().to_string();
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // A file upload form (multipart) carries its token in the action's query string.
    let query_token = req.uri().query().and_then(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .ok()
            .and_then(|kv| kv.into_iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v))
    });
    let header_token = header_token.or(query_token);
    let (parts, body) = req.into_parts();
    let (sent, body) = if let Some(t) = header_token {
        (Some(t), body)
    } else if is_form {
        let Ok(bytes) = axum::body::to_bytes(body, FORM_LIMIT).await else {
            return crate::pages::error_page(
                &ctx,
                StatusCode::PAYLOAD_TOO_LARGE,
                "error.too_large",
            );
        };
        let sent = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|kv| kv.into_iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v));
        (sent, Body::from(bytes))
    } else {
        (None, body)
    };
    if expected.is_empty() || sent.as_deref() != Some(expected.as_str()) {
        return crate::pages::error_page(&ctx, StatusCode::FORBIDDEN, "error.csrf");
    }
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::accepted_request_id;

    #[test]
    fn only_short_safe_request_ids_are_kept() {
        for ok in ["abc-123", "req_1.2-X", &"a".repeat(64)] {
            assert_eq!(accepted_request_id(ok), Some(ok));
        }
        for bad in [
            "",
            "<script>alert(1)</script>",
            "a b",
            "line\nbreak",
            "x;drop",
            &"a".repeat(65),
            "é",
        ] {
            assert_eq!(accepted_request_id(bad), None, "{bad}");
        }
    }
}
