//! `/audit`: the append-only log (`admin`, `auditor`). There is no route that changes it.

use axum::Json;
use axum::extract::State;
use cakap_services::audit::{self, AuditItem, AuditQuery};

use super::ApiPage;
use crate::AppState;
use crate::extract::{ApiActor, ApiQuery};

#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = inline(cakap_services::Page<AuditItem>)), (status = 403, body = super::ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiPage<AuditItem> {
    Ok(Json(audit::list(&s.db, &a, &q).await?))
}
