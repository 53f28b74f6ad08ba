//! Public-service quality pages: the citizens' survey (public, phone-first), the IKM of the
//! units with its chart and table, one unit's unsur, comments and complaints, and the
//! complaint register with its steps (docs/domain.md#service-quality).

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cakap_domain::Role;
use cakap_domain::skm::{self, ComplaintStatus, Mutu};
use cakap_services::service_quality::compare;
use cakap_services::service_quality::complaints::{self, CHANNELS, Complaint, NewComplaint, Step};
use cakap_services::service_quality::{
    self as sq, IkmReport, PopulationInput, Respondent, SurveyInput,
};
use serde::Deserialize;

use super::home::{Bar, Chart};
use super::{OrRefusal, PageResult, Ui, render, render_status};
use crate::AppState;
use crate::api::service_quality::SURVEY_COOKIE;
use crate::ctx::{Ctx, PRE_CSRF_COOKIE};
use crate::extract::PageActor;
use crate::i18n::{Lang, fmt_dec, fmt_int};

// ---------------------------------------------------------------- the public survey

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

fn blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
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

// ---------------------------------------------------------------- the IKM of the units

/// A unit's name short enough for a chart label on a phone (the table has the full name).
fn short_name(name: &str) -> String {
    for (long, short) in [
        ("UPTD Puskesmas ", "Pkm. "),
        ("Kantor Camat ", "Camat "),
        ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
        (
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "DPMPTSP",
        ),
    ] {
        if let Some(rest) = name.strip_prefix(long) {
            return format!("{short}{rest}");
        }
    }
    name.to_string()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeriodQuery {
    period: String,
    saved: Option<String>,
}

fn period_or_default(p: &str) -> String {
    let p = p.trim();
    if p.is_empty() {
        cakap_services::performance::current_year().to_string()
    } else {
        p.to_string()
    }
}

/// The periods offered: this year and the last two, each whole and by semester.
fn periods(current: &str) -> Vec<(String, bool)> {
    let year = cakap_services::performance::current_year();
    (0..3)
        .flat_map(|i| {
            let y = year - i;
            [format!("{y}"), format!("{y}-S1"), format!("{y}-S2")]
        })
        .map(|p| {
            let on = p == current;
            (p, on)
        })
        .collect()
}

pub struct IkmRow {
    pub code: String,
    pub name: String,
    pub respondents: String,
    pub ikm: String,
    pub mutu: &'static str,
    pub mutu_class: &'static str,
    pub kinerja: String,
    pub sample: String,
    pub enough: bool,
    pub known_users: bool,
}

fn mutu_class(m: Option<&str>) -> &'static str {
    match m {
        Some("A") => "good",
        Some("B") => "",
        Some("C") => "warn",
        Some("D") => "bad",
        _ => "",
    }
}

fn ikm_row(ui: &Ui, lang: Lang, r: &IkmReport) -> IkmRow {
    IkmRow {
        code: r.unit.clone(),
        name: r.unit_name.clone(),
        respondents: fmt_int(lang, r.respondents),
        ikm: r.ikm.map_or_else(|| "—".into(), |v| fmt_dec(lang, v)),
        mutu: r.mutu.unwrap_or("—"),
        mutu_class: mutu_class(r.mutu),
        kinerja: r
            .mutu
            .map(|m| ui.t(&format!("survey.kinerja_{m}")).to_string())
            .unwrap_or_default(),
        sample: r
            .sample_needed
            .map_or_else(|| "—".into(), |v| fmt_int(lang, v)),
        enough: r.enough,
        known_users: r.users.is_some(),
    }
}

#[derive(Template)]
#[template(path = "service_quality.html")]
struct OverviewPage {
    ui: Ui,
    period: String,
    periods: Vec<(String, bool)>,
    rows: Vec<IkmRow>,
    chart: Option<Chart>,
    answered: String,
}

/// `GET /layanan`: the IKM of every unit serving the public in the reader's scope.
pub async fn overview(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let period = period_or_default(&q.period);
    let table = sq::table(&s.db, &actor, &period).await?;
    let ui = Ui::new(&ctx, "/layanan");
    let lang = ctx.lang;
    let bars: Vec<Bar> = table
        .iter()
        .filter_map(|r| {
            Some(Bar {
                label: short_name(&r.unit_name),
                value: fmt_dec(lang, r.ikm?),
                pct: r.ikm?,
                other: false,
            })
        })
        .collect();
    let total: i64 = table.iter().map(|r| r.respondents).sum();
    let chart = (bars.len() >= 2).then(|| Chart {
        title: ui.t("survey.chart_units"),
        label_header: ui.t("survey.unit"),
        value_header: ui.t("survey.ikm"),
        bars,
    });
    Ok(render(&OverviewPage {
        rows: table.iter().map(|r| ikm_row(&ui, lang, r)).collect(),
        periods: periods(&period),
        answered: fmt_int(lang, total),
        chart,
        period,
        ui,
    }))
}

pub struct UnsurRow {
    pub n: usize,
    pub name: &'static str,
    pub nrr: String,
    pub mutu: &'static str,
    pub mutu_class: &'static str,
    pub staff: bool,
}

#[derive(Template)]
#[template(path = "service_unit.html")]
struct UnitPage {
    ui: Ui,
    period: String,
    periods: Vec<(String, bool)>,
    r: IkmRow,
    users: String,
    unsur: Vec<UnsurRow>,
    chart: Option<Chart>,
    comments: Vec<(String, String)>,
    complaints: Vec<ComplaintRow>,
    /// Per year: period, IKM, mutu, complaints (late), JPM, JP average, share ≥ 20 JP.
    series: Vec<[String; 7]>,
    /// The correlation sentence (or "data belum cukup").
    correlation: String,
    can_edit: bool,
    saved: bool,
    survey_url: String,
    error: Option<String>,
}

/// `GET /layanan/{unit}`: one unit's unsur, comments and complaints.
pub async fn unit(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    unit_page(&s, &actor, &ctx, &code, &q.period, q.saved.is_some(), None).await
}

async fn unit_page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    code: &str,
    period: &str,
    saved: bool,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let period = period_or_default(period);
    let r = sq::ikm(&s.db, actor, code, &period).await?;
    let comments = sq::comments(&s.db, actor, code, &period).await?;
    let list = complaints::list(&s.db, actor, Some(code)).await?;
    let cmp = compare::unit(&s.db, actor, code).await?;
    let ui = Ui::new(ctx, &format!("/layanan/{}", r.unit));
    let lang = ctx.lang;
    let unsur: Vec<UnsurRow> = r
        .nrr
        .iter()
        .enumerate()
        .map(|(i, nrr)| {
            let m = Mutu::of_nrr(*nrr);
            UnsurRow {
                n: i + 1,
                name: ui.t(&format!("survey.u{}", i + 1)),
                nrr: fmt_dec(lang, *nrr),
                mutu: m.as_str(),
                mutu_class: mutu_class(Some(m.as_str())),
                staff: skm::STAFF_UNSUR.contains(&i),
            }
        })
        .collect();
    let chart = (!unsur.is_empty()).then(|| Chart {
        title: ui.t("survey.chart_unsur"),
        label_header: ui.t("survey.unsur"),
        value_header: ui.t("survey.nrr"),
        bars: unsur
            .iter()
            .zip(&r.nrr)
            .map(|(u, nrr)| Bar {
                label: format!("{}. {}", u.n, ui.t(&format!("survey.short{}", u.n))),
                value: u.nrr.clone(),
                pct: (nrr / 4.0 * 1000.0).round() / 10.0,
                other: false,
            })
            .collect(),
    });
    let (status, error) = match error {
        Some((st, m)) => (st, Some(m)),
        None => (StatusCode::OK, None),
    };
    let dash = || "—".to_string();
    let series = cmp
        .periods
        .iter()
        .map(|p| {
            [
                p.period.clone(),
                p.ikm.map_or_else(dash, |v| fmt_dec(lang, v)),
                p.mutu.unwrap_or("—").to_string(),
                if p.overdue > 0 {
                    format!(
                        "{} ({} {})",
                        p.complaints,
                        p.overdue,
                        ui.t("complaint.overdue").to_lowercase()
                    )
                } else {
                    p.complaints.to_string()
                },
                p.jpm_avg.map_or_else(dash, |v| fmt_dec(lang, v)),
                p.jp_avg.map_or_else(dash, |v| fmt_dec(lang, v)),
                p.share_20jp.map_or_else(dash, |v| {
                    format!("{} %", crate::i18n::fmt_places(lang, v, 1))
                }),
            ]
        })
        .collect();
    let c = &cmp.correlation;
    let correlation = match c.ikm_jpm {
        Some(r) if c.enough => crate::i18n::t_args(
            lang,
            "survey.correlation",
            &[("r", fmt_dec(lang, r)), ("n", c.n.to_string())],
        ),
        _ => crate::i18n::t_args(
            lang,
            "survey.correlation_short",
            &[("n", c.n.to_string()), ("min", skm::MIN_PAIRS.to_string())],
        ),
    };
    let page = UnitPage {
        series,
        correlation,
        users: r.users.map_or_else(String::new, |u| u.to_string()),
        r: ikm_row(&ui, lang, &r),
        periods: periods(&period),
        survey_url: format!("{}/survei/{}", crate::api::learning::base_url(s), r.unit),
        complaints: list
            .into_iter()
            .take(50)
            .map(|c| complaint_row(&ui, lang, c))
            .collect(),
        can_edit: matches!(actor.role, Role::Admin | Role::Pimpinan),
        period,
        unsur,
        chart,
        comments,
        saved,
        error,
        ui,
    };
    Ok(render_status(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PopulationForm {
    period: String,
    users: String,
}

/// `POST /layanan/{unit}/population`: service users of the period.
pub async fn set_population(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    Form(f): Form<PopulationForm>,
) -> PageResult {
    let input = PopulationInput {
        unit: code.clone(),
        period: f.period.clone(),
        users: f.users.trim().replace('.', "").parse().unwrap_or(-1),
    };
    match sq::set_population(&s.db, &actor, &input)
        .await
        .or_refusal()?
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/layanan/{code}?period={}&saved=1",
            crate::extract::urlencode(&f.period)
        ))
        .into_response()),
        Err(r) => {
            unit_page(
                &s,
                &actor,
                &ctx,
                &code,
                &f.period,
                false,
                Some((r.status, r.message)),
            )
            .await
        }
    }
}

// ---------------------------------------------------------------- complaints

pub struct ComplaintRow {
    pub id: i64,
    pub unit: String,
    pub class: &'static str,
    pub channel: &'static str,
    pub received_on: String,
    pub summary: String,
    pub reporter: String,
    pub status: &'static str,
    pub overdue: bool,
    pub due_on: String,
}

fn complaint_row(ui: &Ui, _lang: Lang, c: Complaint) -> ComplaintRow {
    ComplaintRow {
        id: c.id,
        unit: c.unit_name,
        class: ui.t(&format!("complaint.class_{}", c.class)),
        channel: ui.t(&format!("complaint.channel_{}", c.channel)),
        received_on: c.received_on,
        summary: c.summary,
        reporter: c.reporter.unwrap_or_else(|| "—".into()),
        status: ui.t(&format!("complaint.status_{}", c.status)),
        overdue: c.overdue,
        due_on: c.due_on.unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "complaints.html")]
struct ComplaintsPage {
    ui: Ui,
    rows: Vec<ComplaintRow>,
    overdue: usize,
    can_edit: bool,
    units: Vec<(String, String)>,
    channels: Vec<(&'static str, &'static str)>,
    classes: Vec<(&'static str, &'static str)>,
    f: ComplaintForm,
    error: Option<String>,
    error_field: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ComplaintForm {
    unit: String,
    channel: String,
    class: String,
    received_on: String,
    summary: String,
    reporter: String,
    reporter_contact: String,
}

/// `GET /pengaduan`: the register of the reader's units.
pub async fn complaints_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
) -> PageResult {
    let f = ComplaintForm {
        received_on: chrono::Local::now().format("%Y-%m-%d").to_string(),
        ..ComplaintForm::default()
    };
    complaints_view(&s, &actor, &ctx, f, None).await
}

async fn complaints_view(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    f: ComplaintForm,
    refusal: Option<super::Refusal>,
) -> PageResult {
    let list = complaints::list(&s.db, actor, None).await?;
    let units = sq::table(
        &s.db,
        actor,
        &cakap_services::performance::current_year().to_string(),
    )
    .await?
    .iter()
    .map(|r| (r.unit.clone(), r.unit_name.clone()))
    .collect();
    let ui = Ui::new(ctx, "/pengaduan");
    let (status, error_field, error) = super::Refusal::split(refusal);
    let page = ComplaintsPage {
        overdue: list.iter().filter(|c| c.overdue).count(),
        rows: list
            .into_iter()
            .map(|c| complaint_row(&ui, ctx.lang, c))
            .collect(),
        can_edit: matches!(actor.role, Role::Admin | Role::Pimpinan),
        units,
        channels: CHANNELS
            .iter()
            .map(|c| (*c, ui.t(&format!("complaint.channel_{c}"))))
            .collect(),
        classes: skm::ComplaintClass::ALL
            .iter()
            .map(|c| (c.as_str(), ui.t(&format!("complaint.class_{}", c.as_str()))))
            .collect(),
        f,
        error,
        error_field,
        ui,
    };
    Ok(render_status(status, &page))
}

/// `POST /pengaduan`: records a complaint.
pub async fn create_complaint(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<ComplaintForm>,
) -> PageResult {
    let input = NewComplaint {
        unit: f.unit.clone(),
        channel: f.channel.clone(),
        class: f.class.clone(),
        received_on: f.received_on.clone(),
        summary: f.summary.clone(),
        reporter: blank(&f.reporter),
        reporter_contact: blank(&f.reporter_contact),
    };
    match complaints::create(&s.db, &actor, &input)
        .await
        .or_refusal()?
    {
        Ok(c) => Ok(Redirect::to(&format!("/pengaduan/{}", c.id)).into_response()),
        Err(r) => complaints_view(&s, &actor, &ctx, f, Some(r)).await,
    }
}

#[derive(Template)]
#[template(path = "complaint.html")]
struct ComplaintPage {
    ui: Ui,
    c: ComplaintRow,
    full: Complaint,
    steps: Vec<(String, String, String, String)>,
    next: Vec<(&'static str, &'static str, bool)>,
    can_edit: bool,
    error: Option<String>,
    /// The step and reason sent, shown again after a refusal.
    chosen: String,
    reason: String,
}

/// `GET /pengaduan/{id}`.
pub async fn complaint(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    complaint_view(&s, &actor, &ctx, id, None).await
}

async fn complaint_view(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    id: i64,
    error: Option<(StatusCode, String, StepForm)>,
) -> PageResult {
    let (c, steps) = complaints::get(&s.db, actor, id).await?;
    let ui = Ui::new(ctx, "/pengaduan");
    let status: ComplaintStatus = c.status.parse().unwrap_or(ComplaintStatus::Baru);
    let label = |s: &str| ui.t(&format!("complaint.status_{s}")).to_string();
    let steps = steps
        .into_iter()
        .map(|st| {
            (
                wib_ms(st.at),
                st.actor,
                label(&st.to_status),
                st.reason.unwrap_or_default(),
            )
        })
        .collect();
    let next = status
        .next()
        .iter()
        .map(|n| {
            (
                n.as_str(),
                ui.t(&format!("complaint.status_{}", n.as_str())),
                n.needs_reason(),
            )
        })
        .collect();
    let (code, error, sent) = match error {
        Some((st, m, f)) => (st, Some(m), f),
        None => (StatusCode::OK, None, StepForm::default()),
    };
    let page = ComplaintPage {
        chosen: sent.status,
        reason: sent.reason,
        c: complaint_row(&ui, ctx.lang, c.clone()),
        full: c,
        steps,
        next,
        can_edit: matches!(actor.role, Role::Admin | Role::Pimpinan),
        error,
        ui,
    };
    Ok(render_status(code, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    status: String,
    reason: String,
    version: String,
}

/// `POST /pengaduan/{id}/step`.
pub async fn complaint_step(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> PageResult {
    let input = Step {
        status: f.status.clone(),
        reason: blank(&f.reason),
        version: f.version.trim().parse().unwrap_or(0),
    };
    match complaints::step(&s.db, &actor, id, &input)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to(&format!("/pengaduan/{id}")).into_response()),
        Err(r) => complaint_view(&s, &actor, &ctx, id, Some((r.status, r.message, f))).await,
    }
}

/// Unix milliseconds as a WIB (UTC+7) date and time.
fn wib_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            (t + chrono::Duration::hours(7))
                .format("%d-%m-%Y %H:%M WIB")
                .to_string()
        })
        .unwrap_or_default()
}
