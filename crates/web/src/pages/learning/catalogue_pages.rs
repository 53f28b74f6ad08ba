//! Learning pages: catalogue.

use askama::Template;
use axum::extract::{Query, State};
use cakap_services::learning::catalogue::{self, Course, CourseQuery};
use serde::Deserialize;

use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::fmt_int;
use crate::pages::{PageResult, Ui, render};

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CatalogueQuery {
    q: String,
    mode: String,
    page: String,
}

pub struct CourseCard {
    pub c: Course,
    pub cost: String,
}

#[derive(Template)]
#[template(path = "learn_courses.html")]
pub(super) struct CataloguePage {
    ui: Ui,
    q: String,
    mode: String,
    courses: Vec<CourseCard>,
    total: String,
    prev: Option<String>,
    next: Option<String>,
    can_author: bool,
}

pub async fn catalogue_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<CatalogueQuery>,
) -> PageResult {
    let page = q.page.parse().unwrap_or(1);
    let query = CourseQuery {
        q: Some(q.q.clone()),
        mode: Some(q.mode.clone()),
        page: Some(page),
        per_page: Some(24),
    };
    let list = catalogue::list(&s.db, &actor, &query).await?;
    let pairs = [("q", q.q.clone()), ("mode", q.mode.clone())];
    let (prev, next) = crate::pages::pager(
        "/learn/courses",
        &pairs,
        list.page,
        list.per_page,
        list.total,
    );
    let lang = ctx.lang;
    Ok(render(&CataloguePage {
        ui: Ui::new(&ctx, "/learn"),
        total: fmt_int(lang, list.total),
        courses: list
            .items
            .into_iter()
            .map(|c| CourseCard {
                cost: rupiah(lang, c.cost),
                c,
            })
            .collect(),
        q: q.q,
        mode: q.mode,
        prev,
        next,
        can_author: is_author(&actor),
    }))
}
