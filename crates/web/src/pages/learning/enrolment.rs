//! Learning pages: enrolment.

use axum::extract::{Path, State};
use cakap_services::learning::offerings::{self, EnrollInput};

use crate::AppState;
use crate::extract::PageActor;

use super::*;

pub async fn enroll(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    axum::Form(f): Fields,
) -> PageResult {
    let nips: Vec<String> = field(&f, "nips")
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let input = EnrollInput {
        offering: field(&f, "offering"),
        nips,
    };
    let list = offerings::enroll(&s.db, &actor, &input).await?;
    let back = field(&f, "back");
    Ok(if back.starts_with("/learn/") && !back.starts_with("//") {
        see_other(&back)
    } else {
        see_other(&list.first().map_or_else(
            || "/learn".into(),
            |e| format!("/learn/courses/{}", e.course),
        ))
    })
}

pub async fn cancel(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let e = offerings::cancel(&s.db, &actor, id).await?;
    Ok(see_other(&format!("/learn/courses/{}", e.course)))
}
