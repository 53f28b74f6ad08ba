//! Learning pages: activities.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cakap_domain::Role;
use cakap_services::learning::activities::{
    self, Activity, ActivityInput, ActivityQuery, Decision,
};

use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::pages::{OrRefusal, PageResult, Refusal, Ui, render_status};

use super::*;

#[derive(Template)]
#[template(path = "learn_activities.html")]
pub(super) struct ActivitiesPage {
    ui: Ui,
    mine: Vec<Activity>,
    waiting: Vec<Activity>,
    can_decide: bool,
    has_employee: bool,
    v: Vec<(String, String)>,
    error: Option<String>,
    jalur: Vec<&'static str>,
    today: String,
}

impl ActivitiesPage {
    fn get(&self, name: &str) -> &str {
        self.v
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

pub(super) async fn activities_view(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    v: Vec<(String, String)>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let can_decide = matches!(actor.role, Role::Admin | Role::Pimpinan);
    let mine = if actor.employee_id.is_some() {
        activities::own(&s.db, actor).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let waiting = if can_decide {
        let q = ActivityQuery {
            status: Some("submitted".into()),
            unit: None,
        };
        activities::list(&s.db, actor, &q)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|a| Some(&a.nip) != actor.nip.as_ref())
            .collect()
    } else {
        Vec::new()
    };
    use cakap_domain::learning::Jalur;
    render_status(
        status,
        &ActivitiesPage {
            ui: Ui::new(ctx, "/learn"),
            mine,
            waiting,
            can_decide,
            has_employee: actor.employee_id.is_some(),
            v,
            error,
            jalur: Jalur::ALL
                .iter()
                .filter(|j| **j != Jalur::ELearning)
                .map(|j| j.as_str())
                .collect(),
            today: chrono::Local::now().date_naive().to_string(),
        },
    )
}

pub async fn activities_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
) -> Response {
    activities_view(&s, &actor, &ctx, Vec::new(), None, StatusCode::OK).await
}

pub async fn record_activity(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    multipart: axum::extract::Multipart,
) -> PageResult {
    let (f, file) = match crate::pages::read_multipart(multipart, "evidence").await {
        Ok(x) => x,
        Err((status, key)) => return Ok(crate::pages::error_page(&ctx, status, key)),
    };
    let input = ActivityInput {
        jalur: field(&f, "jalur"),
        title: field(&f, "title"),
        organizer: Some(field(&f, "organizer")),
        started_on: field(&f, "started_on"),
        ended_on: Some(field(&f, "ended_on")),
        hours: field(&f, "hours").replace(',', ".").parse().ok(),
        days: field(&f, "days").parse().unwrap_or(0),
        sessions: field(&f, "sessions").parse().unwrap_or(0),
        international: !field(&f, "international").is_empty(),
        nip: None,
    };
    Ok(
        match activities::record(&s.db, &actor, &input, file.as_ref())
            .await
            .or_refusal()?
        {
            Ok(_) => see_other("/learn/activities"),
            Err(Refusal {
                status, message, ..
            }) => activities_view(&s, &actor, &ctx, f, Some(message), status).await,
        },
    )
}

pub async fn decide_activity(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> PageResult {
    let d = Decision {
        approve: field(&f, "approve") == "1",
        note: Some(field(&f, "note")),
    };
    activities::decide(&s.db, &actor, id, &d).await?;
    Ok(see_other("/learn/activities"))
}

pub async fn activity_evidence(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let (name, ctype, bytes) = activities::evidence(&s.db, &actor, id).await?;
    Ok(crate::api::file_response(&name, ctype, bytes))
}
