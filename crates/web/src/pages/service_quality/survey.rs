//! The citizens' survey: the public, phone-first form and its answer (no login).

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use cakap_services::service_quality::{self as sq, Respondent, SurveyInput};
use serde::Deserialize;

use super::blank;
use crate::AppState;
use crate::api::service_quality::SURVEY_COOKIE;
use crate::ctx::{Ctx, PRE_CSRF_COOKIE};
use crate::pages::{OrRefusal, PageResult, Ui, render_status};

/// One unsur on the form: its number, name, question and the four answers in words.
pub struct UnsurField {
    pub n: usize,
    pub name: &'static str,
    pub question: &'static str,
    pub options: [&'static str; 4],
    pub chosen: i64,
}

#[derive(Template)]
#[template(path = "survey.html")]
struct SurveyPage {
    ui: Ui,
    unit_code: String,
    unit_name: String,
    unsur: Vec<UnsurField>,
    f: SurveyForm,
    error: Option<String>,
    education: &'static [&'static str],
}

#[derive(Template)]
#[template(path = "survey_done.html")]
struct SurveyDone {
    ui: Ui,
    unit_name: String,
    /// Why nothing new was kept (already answered today), when so.
    note: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SurveyForm {
    u1: String,
    u2: String,
    u3: String,
    u4: String,
    u5: String,
    u6: String,
    u7: String,
    u8: String,
    u9: String,
    service: String,
    gender: String,
    age: String,
    education: String,
    comment: String,
    /// The honeypot: hidden from people, filled by bots.
    website: String,
}

impl SurveyForm {
    fn answers(&self) -> Vec<i64> {
        [
            &self.u1, &self.u2, &self.u3, &self.u4, &self.u5, &self.u6, &self.u7, &self.u8,
            &self.u9,
        ]
        .iter()
        .map(|a| a.trim().parse().unwrap_or(0))
        .collect()
    }
}

fn unsur_fields(ui: &Ui, f: &SurveyForm) -> Vec<UnsurField> {
    let chosen = f.answers();
    (0..9)
        .map(|i| {
            let n = i + 1;
            UnsurField {
                n,
                name: ui.t(&format!("survey.u{n}")),
                question: ui.t(&format!("survey.q{n}")),
                options: [1, 2, 3, 4].map(|v| ui.t(&format!("survey.a{n}_{v}"))),
                chosen: chosen[i],
            }
        })
        .collect()
}

fn cookie_header(
    name: &str,
    value: &str,
    secure: bool,
    max_age: Option<u32>,
) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"
    ))
    .ok()
}

fn survey_page(
    s: &AppState,
    ctx: &Ctx,
    unit: &cakap_store::service_quality::PublicUnit,
    f: SurveyForm,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let mut ui = Ui::new(ctx, "/survei");
    let mut cookies = Vec::new();
    let secure = s.config.secure_cookies;
    if ctx.csrf().is_empty() {
        let token = cakap_services::auth::random_token();
        cookies.extend(cookie_header(PRE_CSRF_COOKIE, &token, secure, None));
        ui.csrf = token;
    }
    let page = SurveyPage {
        unsur: unsur_fields(&ui, &f),
        ui,
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        f,
        error,
        education: &cakap_domain::skm::EDUCATION,
    };
    let mut res = render_status(status, &page);
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// `GET /survei/{unit}`: the form a citizen opens from the QR code at the counter.
pub async fn survey_form(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> PageResult {
    let unit = sq::public_unit(&s.db, &code).await?;
    let mut res = survey_page(&s, &ctx, &unit, SurveyForm::default(), None, StatusCode::OK);
    if crate::ctx::cookie(&headers, SURVEY_COOKIE).is_none() {
        let id = cakap_services::auth::random_token();
        let year = 365 * 24 * 3600;
        if let Some(c) = cookie_header(SURVEY_COOKIE, &id, s.config.secure_cookies, Some(year)) {
            res.headers_mut().append(header::SET_COOKIE, c);
        }
    }
    Ok(res)
}

/// `POST /survei/{unit}`.
pub async fn survey_submit(
    State(s): State<AppState>,
    ctx: Ctx,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<SurveyForm>,
) -> PageResult {
    let unit = sq::public_unit(&s.db, &code).await?;
    let done = |ctx: &Ctx, note: Option<String>, status: StatusCode| {
        render_status(
            status,
            &SurveyDone {
                ui: Ui::new(ctx, "/survei"),
                unit_name: unit.name.clone(),
                note,
            },
        )
    };
    // A bot filled the hidden field: thank it and keep nothing.
    if !f.website.trim().is_empty() {
        return Ok(done(&ctx, None, StatusCode::OK));
    }
    let input = SurveyInput {
        answers: f.answers(),
        service: blank(&f.service),
        gender: blank(&f.gender),
        age: blank(&f.age).map(|a| a.parse().unwrap_or(-1)),
        education: blank(&f.education),
        comment: blank(&f.comment),
    };
    let address = crate::client_address(&headers, addr, s.config.trust_proxy);
    let who = Respondent {
        address: &address,
        cookie: crate::ctx::cookie(&headers, SURVEY_COOKIE),
    };
    match sq::submit(&s.db, &code, &who, &input).await.or_refusal()? {
        Ok(()) => Ok(done(&ctx, None, StatusCode::OK)),
        // Already answered today: nothing to fix on the form, so no form again.
        Err(r) if r.status == StatusCode::CONFLICT => Ok(done(&ctx, Some(r.message), r.status)),
        Err(r) => Ok(survey_page(&s, &ctx, &unit, f, Some(r.message), r.status)),
    }
}
