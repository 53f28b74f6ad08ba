//! Learning pages: dashboard.

use askama::Template;
use axum::extract::State;
use cakap_domain::Role;
use cakap_domain::learning::JP_TARGET;
use cakap_services::learning::catalogue;
use cakap_services::learning::jp::{self, EmployeeJp};
use cakap_services::learning::offerings::{self, Enrollment};
use cakap_services::performance;

use crate::AppState;
use crate::extract::PageActor;
use crate::pages::{PageResult, Ui, render};

use super::*;

pub struct Continue {
    pub course: String,
    pub title: String,
    pub done: i64,
    pub total: i64,
    pub pct: i64,
    pub next: Option<i64>,
}

#[derive(Template)]
#[template(path = "learn_home.html")]
pub(super) struct HomePage {
    ui: Ui,
    year: i64,
    jp: Option<EmployeeJp>,
    jp_pct: i64,
    target: i64,
    continuing: Vec<Continue>,
    enrollments: Vec<Enrollment>,
    can_report: bool,
    can_integrate: bool,
    can_author: bool,
}

pub async fn home(State(s): State<AppState>, PageActor { actor, ctx }: PageActor) -> PageResult {
    let year = performance::current_year();
    let jp = match &actor.nip {
        Some(nip) => jp::of_employee(&s.db, &actor, nip, year).await.ok(),
        None => None,
    };
    let enrollments = offerings::mine(&s.db, &actor).await?;
    let mut continuing = Vec::new();
    for e in enrollments
        .iter()
        .filter(|e| e.status == "enrolled" && e.mode != "klasikal")
    {
        let Ok(modules) = catalogue::modules(&s.db, &actor, &e.course).await else {
            continue;
        };
        let done = modules.iter().filter(|m| m.done).count() as i64;
        let total = modules.len() as i64;
        continuing.push(Continue {
            course: e.course.clone(),
            title: e.course_title.clone(),
            done,
            total,
            pct: if total > 0 { done * 100 / total } else { 0 },
            next: modules.iter().find(|m| !m.done).map(|m| m.id),
        });
    }
    let jp_pct = jp.as_ref().map_or(0, |j| (j.jp * 100 / JP_TARGET).min(100));
    Ok(render(&HomePage {
        ui: Ui::new(&ctx, "/learn"),
        year,
        jp,
        jp_pct,
        target: JP_TARGET,
        continuing,
        enrollments,
        can_report: matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan),
        can_integrate: matches!(actor.role, Role::Admin | Role::Auditor),
        can_author: is_author(&actor),
    }))
}
