//! Login, logout and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cakap_services::{ServiceError, auth};
use serde::Deserialize;

use super::{Ui, render_status};
use crate::AppState;
use crate::ctx::{Ctx, LANG_COOKIE, PRE_CSRF_COOKIE};
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ui: Ui,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

/// Only local paths: never redirect off-site. Browsers drop tabs and line breaks inside URLs,
/// so `/\t/evil.example` would become `//evil.example`: any control character, space or
/// backslash is refused, and the second character may not start an authority.
pub fn safe_next(next: &str) -> &str {
    let clean = !next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    let local = next.starts_with('/') && !next.starts_with("//");
    if clean && local { next } else { "/" }
}

fn login_page(
    ctx: &Ctx,
    secure: bool,
    next: &str,
    username: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let mut ui = Ui::new(ctx, "/login");
    let mut set_cookie = None;
    if ctx.pre_csrf.is_none() {
        let token = auth::random_token();
        let secure = if secure { "; Secure" } else { "" };
        set_cookie = Some(format!(
            "{PRE_CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
        ));
        ui.csrf = token;
    }
    let page = LoginPage {
        ui,
        next: safe_next(next).to_string(),
        username: username.to_string(),
        error,
    };
    let mut res = render_status(status, &page);
    if let Some(c) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

pub async fn login_form(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> Response {
    if ctx.principal.is_some() && !ctx.via_token {
        return Redirect::to(safe_next(&q.next)).into_response();
    }
    login_page(
        &ctx,
        s.config.secure_cookies,
        &q.next,
        "",
        None,
        StatusCode::OK,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: String,
}

pub async fn login(
    State(s): State<AppState>,
    ctx: Ctx,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let address = crate::client_address(&headers, addr, s.config.trust_proxy);
    match auth::login(
        &s.db,
        &f.username,
        &f.password,
        &address,
        ctx.session_id.as_deref(),
    )
    .await
    {
        Ok(session) => {
            let mut res = Redirect::to(safe_next(&f.next)).into_response();
            for c in [
                crate::session_cookie(&s.config, &session.id.0),
                crate::clear_cookie(PRE_CSRF_COOKIE),
            ] {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            res
        }
        Err(e) => {
            let key = match &e {
                ServiceError::Unauthenticated => Some("login.failed"),
                _ => None,
            };
            let retry = match &e {
                ServiceError::Throttled { retry_after_secs } => Some(*retry_after_secs),
                _ => None,
            };
            let (status, _, message) = crate::error::message_of(e);
            let message = key.map_or(message, |k| crate::i18n::t(ctx.lang, k).to_string());
            let mut res = login_page(
                &ctx,
                s.config.secure_cookies,
                &f.next,
                &f.username,
                Some(message),
                status,
            );
            if let Some(v) = retry.and_then(|r| HeaderValue::from_str(&r.to_string()).ok()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
    }
}

pub async fn logout(State(s): State<AppState>, ctx: Ctx) -> Response {
    if let Some(id) = &ctx.session_id {
        let _ = auth::logout(&s.db, id).await;
    }
    let mut res = Redirect::to("/login").into_response();
    // Modules kept for offline reading and progress queued on this device belong to the
    // person leaving (a shared office computer): the browser drops them, and the cookie.
    crate::ctx::forget_device_data(&mut res);
    res
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangForm {
    lang: String,
    next: String,
}

/// Switches the language: a cookie for everyone, and the account setting when logged in.
pub async fn set_lang(State(s): State<AppState>, ctx: Ctx, Form(f): Form<LangForm>) -> Response {
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    if let Some(p) = &ctx.principal
        && let Ok(actor) = cakap_services::Actor::from_principal(p, None)
        && let Err(e) = auth::set_locale(&s.db, &actor, lang.code()).await
    {
        tracing::warn!(error = %e, "saving the language setting");
    }
    let mut res = Redirect::to(safe_next(&f.next)).into_response();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn redirects_stay_on_site() {
        for (input, expected) in [
            ("/employees?q=a", "/employees?q=a"),
            ("/", "/"),
            ("//evil.example", "/"),
            ("/\t/evil.example", "/"),
            ("/\n/evil.example", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example", "/"),
            ("javascript:alert(1)", "/"),
            ("", "/"),
        ] {
            assert_eq!(safe_next(input), expected, "{input:?}");
        }
    }
}
