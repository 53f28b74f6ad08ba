//! The competency dictionary, grouped by kind.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cakap_services::competencies::{self, Competency};

use super::{Ui, render, service_error};
use crate::AppState;
use crate::extract::PageActor;

#[derive(Template)]
#[template(path = "competencies.html")]
struct ListPage {
    ui: Ui,
    groups: Vec<(&'static str, Vec<Competency>)>,
}

pub async fn list(State(s): State<AppState>, PageActor { actor, ctx }: PageActor) -> Response {
    let all = match competencies::list(&s.db, &actor).await {
        Ok(p) => p.items,
        Err(e) => return service_error(&ctx, e),
    };
    let groups = [
        ("manajerial", "kindc.manajerial"),
        ("sosial_kultural", "kindc.sosial_kultural"),
        ("teknis", "kindc.teknis"),
    ]
    .into_iter()
    .map(|(kind, key)| {
        (
            key,
            all.iter()
                .filter(|k| k.kind == kind)
                .cloned()
                .collect::<Vec<_>>(),
        )
    })
    .filter(|g| !g.1.is_empty())
    .collect();
    render(&ListPage {
        ui: Ui::new(&ctx, "/competencies"),
        groups,
    })
}
