//! `/competencies`: the dictionary (read side).

use axum::Json;
use axum::extract::State;
use cakap_services::competencies::{self, Competency};

use super::ApiPage;
use crate::AppState;
use crate::extract::ApiActor;

#[utoipa::path(get, path = "/competencies", tag = "competencies",
    responses((status = 200, body = inline(cakap_services::Page<Competency>))))]
pub async fn list(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiPage<Competency> {
    Ok(Json(competencies::list(&s.db, &a).await?))
}
