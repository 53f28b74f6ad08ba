//! The complaint register, one complaint with its steps, and the step form.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_domain::skm::{self, ComplaintStatus};
use cakap_services::service_quality::complaints::{self, CHANNELS, Complaint, NewComplaint, Step};
use cakap_services::service_quality::{self as sq};
use serde::Deserialize;

use super::blank;
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::Lang;
use crate::pages::{OrRefusal, PageResult, Ui, render_status, wib_ms};
pub(super) struct ComplaintRow {
    pub id: i64,
    pub unit: String,
    pub class: &'static str,
    pub channel: &'static str,
    pub received_on: String,
    pub summary: String,
    pub reporter: String,
    pub status: &'static str,
    pub overdue: bool,
    /// Missed a deadline at some point, though not (or no longer) overdue now.
    pub was_late: bool,
    pub due_on: String,
    pub served_on: String,
}

pub(super) fn complaint_row(ui: &Ui, _lang: Lang, c: Complaint) -> ComplaintRow {
    ComplaintRow {
        id: c.id,
        unit: c.unit_name,
        class: ui.t(&format!("complaint.class_{}", c.class)),
        channel: ui.t(&format!("complaint.channel_{}", c.channel)),
        received_on: c.received_on,
        summary: c.summary,
        reporter: c.reporter.unwrap_or_else(|| "—".into()),
        status: ui.t(&format!("complaint.status_{}", c.status)),
        was_late: c.late && !c.overdue,
        overdue: c.overdue,
        due_on: c.due_on.unwrap_or_default(),
        served_on: c.served_on.unwrap_or_default(),
    }
}

/// Complaints per page of the register.
const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterQuery {
    /// Anything but a page number reads as the first page.
    page: String,
}

#[derive(Template)]
#[template(path = "complaints.html")]
struct ComplaintsPage {
    ui: Ui,
    rows: Vec<ComplaintRow>,
    /// Open past their step's date, over the whole register.
    overdue: i64,
    prev: Option<String>,
    next: Option<String>,
    range: String,
    can_edit: bool,
    units: Vec<(String, String)>,
    channels: Vec<(&'static str, &'static str)>,
    classes: Vec<(&'static str, &'static str)>,
    f: ComplaintForm,
    error: Option<String>,
    error_field: String,
    served_help: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ComplaintForm {
    unit: String,
    channel: String,
    class: String,
    received_on: String,
    served_on: String,
    summary: String,
    reporter: String,
    reporter_contact: String,
}

/// `GET /pengaduan`: the register of the reader's units.
pub async fn complaints_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    axum::extract::Query(q): axum::extract::Query<RegisterQuery>,
) -> PageResult {
    let f = ComplaintForm {
        received_on: chrono::Local::now().format("%Y-%m-%d").to_string(),
        ..ComplaintForm::default()
    };
    let page = q.page.trim().parse::<i64>().unwrap_or(1).max(1);
    complaints_view(&s, &actor, &ctx, f, None, page).await
}

async fn complaints_view(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    f: ComplaintForm,
    refusal: Option<crate::pages::Refusal>,
    page: i64,
) -> PageResult {
    let (list, overdue) = complaints::list(&s.db, actor, None, Some(page), Some(PER_PAGE)).await?;
    let (prev, next) = crate::pages::pager("/pengaduan", &[], list.page, list.per_page, list.total);
    let range = crate::pages::page_info(
        ctx.lang,
        list.page,
        list.per_page,
        list.items.len(),
        list.total,
    );
    let list = list.items;
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
    let (status, error_field, error) = crate::pages::Refusal::split(refusal);
    let page = ComplaintsPage {
        overdue,
        prev,
        next,
        range,
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
        served_help: crate::i18n::t_args(
            ctx.lang,
            "complaint.served_on_help",
            &[("days", skm::LODGE_DAYS.to_string())],
        ),
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
        served_on: blank(&f.served_on),
        summary: f.summary.clone(),
        reporter: blank(&f.reporter),
        reporter_contact: blank(&f.reporter_contact),
    };
    match complaints::create(&s.db, &actor, &input)
        .await
        .or_refusal()?
    {
        Ok(c) => Ok(Redirect::to(&format!("/pengaduan/{}", c.id)).into_response()),
        Err(r) => complaints_view(&s, &actor, &ctx, f, Some(r), 1).await,
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
        version: Some(f.version.trim().parse().unwrap_or(0)),
    };
    match complaints::step(&s.db, &actor, id, &input)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to(&format!("/pengaduan/{id}")).into_response()),
        Err(r) => complaint_view(&s, &actor, &ctx, id, Some((r.status, r.message, f))).await,
    }
}
