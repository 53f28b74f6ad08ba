//! The national view (docs/national.md): per province, or per government of one province,
//! for the national super-tenant's users; every other caller gets 404.

use axum::Json;
use axum::extract::State;
use cakap_services::national::{self, National};
use serde::Deserialize;
use utoipa::IntoParams;

use super::ApiResult;
use crate::AppState;
use crate::extract::{ApiActor, ApiQuery};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct NationalQuery {
    /// The year (this year when absent; 2000 to this year).
    pub year: Option<i64>,
    /// A province's Kemendagri code (`11`): its governments as lines; provinces when absent.
    pub province: Option<String>,
}

/// Each province's (or one province's governments') active ASN, mean JPM, share reaching
/// 20 JP and IKM, from figures pre-aggregated hourly (`computed_at`). National super-tenant
/// only (`admin`, `auditor` there).
#[utoipa::path(get, path = "/national", tag = "national", params(NationalQuery),
    responses((status = 200, body = National), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<NationalQuery>,
) -> ApiResult<National> {
    let year = q.year.unwrap_or_else(national::this_year);
    Ok(Json(
        national::view(&s.db, &a, year, q.province.as_deref()).await?,
    ))
}
