//! `/xapi`: the xAPI 2.0 Learning Record Store's HTTP side (docs/interfaces.md#xapi). The
//! rules live in `cakap_services::xapi`; this module reads requests (version header, Basic
//! credentials, parameters, multipart bodies) and writes the responses xAPI clients expect.

mod documents;
mod multipart;
mod statements;

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cakap_services::xapi::{Client, VERSION, XapiError, clients, validate};

use crate::AppState;

/// Largest request body: a batch of statements with their attachments.
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/statements",
            get(statements::get)
                .post(statements::post)
                .put(statements::put),
        )
        .route(
            "/activities/state",
            get(documents::state_get)
                .put(documents::state_put)
                .post(documents::state_post)
                .delete(documents::state_delete),
        )
        .route(
            "/activities/profile",
            get(documents::activity_profile_get)
                .put(documents::activity_profile_put)
                .post(documents::activity_profile_post)
                .delete(documents::activity_profile_delete),
        )
        .route(
            "/agents/profile",
            get(documents::agent_profile_get)
                .put(documents::agent_profile_put)
                .post(documents::agent_profile_post)
                .delete(documents::agent_profile_delete),
        )
        .route("/agents", get(documents::agents))
        .route("/activities", get(documents::activities))
        .route("/about", get(about))
        .fallback(|| async { fail(XapiError::NotFound) })
        .layer(middleware::from_fn_with_state(state, gate))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// Every request: the version header (not for `/about`), no alternate request syntax, Basic
/// credentials of a live client; every response: the version and consistency headers.
async fn gate(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let about = req.uri().path().ends_with("/about");
    let refused = match check(&s, &mut req, about).await {
        Ok(()) => None,
        Err(e) => Some(fail(e)),
    };
    let mut res = match refused {
        Some(r) => r,
        None => next.run(req).await,
    };
    let h = res.headers_mut();
    h.insert(
        "x-experience-api-version",
        HeaderValue::from_static(VERSION),
    );
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if let Ok(v) = HeaderValue::from_str(&now) {
        h.insert("x-experience-api-consistent-through", v);
    }
    res
}

async fn check(s: &AppState, req: &mut Request, about: bool) -> Result<(), XapiError> {
    // xAPI 2.0 dropped the alternate request syntax (`?method=`): refused, never obeyed.
    if params(req.uri().query()).is_ok_and(|p| p.contains_key("method")) {
        return Err(XapiError::bad(
            "the alternate request syntax is not supported",
        ));
    }
    if about {
        return Ok(());
    }
    match req
        .headers()
        .get("x-experience-api-version")
        .and_then(|v| v.to_str().ok())
    {
        Some(v) if validate::version_accepted(v.trim()) => {}
        Some(_) => return Err(XapiError::bad("unsupported X-Experience-API-Version")),
        None => return Err(XapiError::bad("X-Experience-API-Version is required")),
    }
    let (key, secret) = basic(req.headers()).ok_or(XapiError::Unauthorized)?;
    let client = clients::authenticate(&s.db, &key, &secret, s.config.public_url()).await?;
    req.extensions_mut().insert(client);
    Ok(())
}

/// The key and secret of an `Authorization: Basic …` header.
fn basic(h: &HeaderMap) -> Option<(String, String)> {
    use base64::Engine as _;
    let v = h.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, b64) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (k, s) = text.split_once(':')?;
    Some((k.to_string(), s.to_string()))
}

async fn about() -> Response {
    axum::Json(serde_json::json!({
        "version": ["2.0.0", "1.0.3"],
        "extensions": {}
    }))
    .into_response()
}

/// An error as xAPI clients read it: the status, and a JSON body saying why.
pub(crate) fn fail(e: XapiError) -> Response {
    match &e {
        XapiError::Internal(detail) => tracing::error!(error = %detail, "xapi request failed"),
        XapiError::Unavailable(detail) => {
            tracing::warn!(error = %detail, "xapi: database unavailable")
        }
        _ => {}
    }
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = (
        status,
        axum::Json(serde_json::json!({"error": {"status": e.status(), "message": e.to_string()}})),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"Cakap xAPI\""),
        );
    }
    res
}

/// The query string as a map. A parameter named twice is refused: xAPI gives none two values.
pub(crate) fn params(query: Option<&str>) -> Result<HashMap<String, String>, XapiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| XapiError::bad("unreadable query string"))?;
    let mut out = HashMap::new();
    for (k, v) in pairs {
        if out.insert(k.clone(), v).is_some() {
            return Err(XapiError::bad(format!("parameter {k} given twice")));
        }
    }
    Ok(out)
}

/// Refuses parameters other than `allowed` (xAPI names are case-sensitive: `Limit` is not
/// `limit`).
pub(crate) fn only(p: &HashMap<String, String>, allowed: &[&str]) -> Result<(), XapiError> {
    match p.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(XapiError::bad(format!("unknown parameter {k}"))),
        None => Ok(()),
    }
}

/// The authenticated client (set by [`gate`]).
pub(crate) fn client(req: &axum::http::Extensions) -> Result<Client, XapiError> {
    req.get::<Client>().cloned().ok_or(XapiError::Unauthorized)
}

/// A timestamp parameter (`since`, `until`) in Unix ms. A `+` sent unencoded arrives as a
/// space and is read back as the offset it was.
pub(crate) fn time_param(
    p: &HashMap<String, String>,
    name: &str,
) -> Result<Option<i64>, XapiError> {
    match p.get(name) {
        None => Ok(None),
        Some(v) => validate::timestamp(&v.replace(' ', "+"))
            .map(|t| Some(t.timestamp_millis()))
            .ok_or_else(|| XapiError::bad(format!("{name} is not a timestamp"))),
    }
}

/// `true` or `false`.
pub(crate) fn bool_param(p: &HashMap<String, String>, name: &str) -> Result<bool, XapiError> {
    match p.get(name).map(String::as_str) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(XapiError::bad(format!("{name} must be true or false"))),
    }
}

/// An `agent` parameter: a JSON Agent or identified Group; its identifier key.
pub(crate) fn agent_param(raw: &str) -> Result<(serde_json::Value, String), XapiError> {
    let v: serde_json::Value =
        serde_json::from_str(raw).map_err(|_| XapiError::bad("agent is not JSON"))?;
    validate::agent_or_group(&v, "agent")?;
    let key = cakap_services::xapi::statements::ifi_key(&v)
        .ok_or_else(|| XapiError::bad("agent needs an identifier"))?;
    Ok((v, key))
}

/// An HTTP date (`Last-Modified`) of Unix ms, floored to the second.
pub(crate) fn http_date(ms: i64) -> Option<HeaderValue> {
    let t = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)?;
    HeaderValue::from_str(&t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()).ok()
}

pub(crate) fn body_response(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(content_type) {
        res.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    res
}
