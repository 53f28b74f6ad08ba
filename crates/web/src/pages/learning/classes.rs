//! Learning pages: classes.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use cakap_domain::Role;
use cakap_services::learning::catalogue::{self, Course, CourseQuery};
use cakap_services::learning::offerings::{self, Enrollment, OfferingInput};

use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::Lang;
use crate::pages::{OrRefusal, PageResult, Refusal, Ui, render, render_status};

use super::*;

#[derive(Template)]
#[template(path = "learn_offerings.html")]
pub(super) struct OfferingsPage {
    ui: Ui,
    offerings: Vec<OfferingRow>,
    courses: Vec<Course>,
    can_create: bool,
    kecamatan: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

pub(super) async fn offerings_rows(
    s: &AppState,
    actor: &cakap_services::Actor,
    lang: Lang,
) -> Vec<OfferingRow> {
    let q = offerings::OfferingQuery {
        course: None,
        all: Some(true),
    };
    offerings::list(&s.db, actor, &q)
        .await
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|o| OfferingRow::new(lang, o))
        .collect()
}

pub async fn offerings_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
) -> Response {
    offerings_view(&s, &actor, &ctx, None, StatusCode::OK).await
}

pub(super) async fn offerings_view(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let courses = if actor.role == Role::Admin {
        let q = CourseQuery {
            per_page: Some(200),
            ..CourseQuery::default()
        };
        catalogue::list(&s.db, actor, &q)
            .await
            .map(|p| p.items)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    render_status(
        status,
        &OfferingsPage {
            ui: Ui::new(ctx, "/learn"),
            offerings: offerings_rows(s, actor, ctx.lang).await,
            courses,
            can_create: actor.role == Role::Admin,
            kecamatan: cakap_domain::kecamatan::ACEH_BARAT_DAYA
                .iter()
                .map(|k| (k.code, k.name))
                .collect(),
            error,
        },
    )
}

pub async fn create_offering(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    axum::Form(f): Fields,
) -> PageResult {
    let blank = |v: String| (!v.is_empty()).then_some(v);
    let input = OfferingInput {
        course: field(&f, "course"),
        code: field(&f, "code"),
        starts_on: field(&f, "starts_on"),
        ends_on: field(&f, "ends_on"),
        kecamatan: blank(field(&f, "kecamatan")),
        place: blank(field(&f, "place")),
        seats: field(&f, "seats").parse().ok(),
        instructor: blank(field(&f, "instructor")),
        budget_line: blank(field(&f, "budget_line")),
        self_enrol: !field(&f, "self_enrol").is_empty(),
    };
    Ok(
        match offerings::create(&s.db, &actor, &input)
            .await
            .or_refusal()?
        {
            Ok(o) => see_other(&format!("/learn/offerings/{}", o.id)),
            Err(Refusal {
                status, message, ..
            }) => offerings_view(&s, &actor, &ctx, Some(message), status).await,
        },
    )
}

#[derive(Template)]
#[template(path = "learn_offering.html")]
pub(super) struct OfferingPage {
    ui: Ui,
    o: OfferingRow,
    can_close: bool,
    people: Vec<Enrollment>,
    can_attend: bool,
    can_enrol_others: bool,
}

pub async fn offering_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let (o, people) = offerings::with_participants(&s.db, &actor, id).await?;
    let (people, can_attend) = match people {
        Some(p) => (p, matches!(actor.role, Role::Admin | Role::Instruktur)),
        None => (Vec::new(), false),
    };
    let lang = ctx.lang;
    Ok(render(&OfferingPage {
        ui: Ui::new(&ctx, "/learn"),
        o: OfferingRow::new(lang, o),
        people,
        can_close: actor.role == Role::Admin,
        can_attend,
        can_enrol_others: matches!(actor.role, Role::Admin | Role::Pimpinan),
    }))
}

/// Closes or reopens a class (`admin`).
pub async fn offering_status(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> PageResult {
    offerings::set_status(&s.db, &actor, id, field(&f, "open") == "1").await?;
    Ok(see_other(&format!("/learn/offerings/{id}")))
}

pub async fn attendance(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> PageResult {
    let enrollment: i64 = field(&f, "enrollment").parse().unwrap_or(0);
    offerings::set_attendance(&s.db, &actor, enrollment, field(&f, "attended") == "1").await?;
    Ok(see_other(&format!("/learn/offerings/{id}")))
}
