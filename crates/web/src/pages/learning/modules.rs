//! Learning pages: modules.

use askama::Template;
use axum::extract::{Path, State};
use cakap_services::learning::catalogue::{self, Course, Module};
use cakap_services::learning::offerings;

use crate::AppState;
use crate::extract::PageActor;
use crate::pages::{PageResult, Ui, render};

use super::*;

#[derive(Template)]
#[template(path = "learn_module.html")]
pub(super) struct ModulePage {
    ui: Ui,
    course: Course,
    m: Module,
    prev: Option<i64>,
    next: Option<i64>,
    index: usize,
    count: usize,
    can_author: bool,
    learner: bool,
}

pub async fn module_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let (course, m) = catalogue::module(&s.db, &actor, id).await?;
    let all = catalogue::modules(&s.db, &actor, &course.code)
        .await
        .unwrap_or_default();
    let index = all.iter().position(|x| x.id == id).unwrap_or(0);
    let learner = offerings::in_course(&s.db, &actor, course.id)
        .await
        .ok()
        .flatten()
        .is_some_and(|(e, _)| e.status == "enrolled" || e.status == "completed");
    Ok(render(&ModulePage {
        ui: Ui::new(&ctx, "/learn"),
        prev: index.checked_sub(1).and_then(|i| all.get(i)).map(|m| m.id),
        next: all.get(index + 1).map(|m| m.id),
        count: all.len(),
        index: index + 1,
        can_author: is_author(&actor),
        learner,
        course,
        m,
    }))
}

pub async fn update_module(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> PageResult {
    let input = module_input(&f);
    let m = catalogue::update_module(&s.db, &actor, id, &input).await?;
    Ok(see_other(&format!("/learn/modules/{}", m.id)))
}

/// "Selesai dibaca" without JavaScript (with it, the page posts to the API and queues the
/// call while offline).
pub async fn module_done(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> PageResult {
    catalogue::mark_done(&s.db, &actor, id).await?;
    let next = field(&f, "next");
    Ok(if next.parse::<i64>().is_ok() {
        see_other(&format!("/learn/modules/{next}"))
    } else {
        see_other(&format!("/learn/courses/{}", field(&f, "course")))
    })
}
