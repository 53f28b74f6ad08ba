//! Equity and the leadership view (docs/interfaces.md, "second wave"; docs/domain.md#equity).

use axum::Json;
use axum::extract::State;
use cakap_domain::equity::GroupBy;
use cakap_services::equity::{self, Gini, Group};
use cakap_services::leadership::{self, Dashboard};
use cakap_services::{ServiceError, performance::current_year};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiResult;
use crate::AppState;
use crate::extract::{ApiActor, ApiQuery};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct EquityQuery {
    /// The year (this year when absent).
    pub year: Option<i64>,
    /// `unit` (default), `kecamatan`, `gender`, `golongan`, `age_band`, `status`,
    /// `position_kind`.
    pub by: Option<String>,
    /// A unit code: its subtree (the caller's whole scope when absent).
    pub unit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EquityOut {
    pub year: i64,
    pub by: String,
    pub unit: Option<String>,
    pub groups: Vec<Group>,
    /// Gini of JP, spend and JPM over everyone in the scope, 4 decimals.
    pub gini: Gini,
    /// The whole scope as one group.
    pub all: Group,
    /// The groups (alone or two crossed, at least 10 people) furthest below the scope's share
    /// reaching 20 JP.
    pub worst: Vec<equity::Gap>,
    /// When the JPM figures were computed (Unix ms): they are stored and refreshed in the
    /// background seconds after a change to standards or assessments.
    pub jpm_computed_at: i64,
}

/// Parses `by`: one of [`GroupBy`], `unit` when absent.
pub fn parse_by(by: Option<&str>) -> Result<GroupBy, ServiceError> {
    match by.map(str::trim).filter(|b| !b.is_empty()) {
        None => Ok(GroupBy::Unit),
        Some(b) => b
            .parse()
            .map_err(|()| ServiceError::invalid("by", "equity.by_invalid")),
    }
}

/// How JP, training spend and JPM are spread over groups of civil servants in a year, with the
/// Gini of each (`admin`, `auditor`; `pimpinan` over their subtree).
#[utoipa::path(get, path = "/equity", tag = "equity", params(EquityQuery),
    responses((status = 200, body = EquityOut), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<EquityQuery>,
) -> ApiResult<EquityOut> {
    let by = parse_by(q.by.as_deref())?;
    let year = q.year.unwrap_or_else(current_year);
    let r = equity::report(&s.db, &a, q.unit.as_deref(), year).await?;
    Ok(Json(EquityOut {
        year: r.year,
        by: by.as_str().to_string(),
        unit: r.unit.clone(),
        groups: r.groups(by).to_vec(),
        gini: r.gini,
        all: r.all.clone(),
        worst: r.worst.clone(),
        jpm_computed_at: r.jpm_computed_at,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct DashboardQuery {
    pub year: Option<i64>,
    pub unit: Option<String>,
}

/// The leadership view: JPM and its trend, the 20-JP share, the talent map's shape,
/// readiness, IKM, regulation compliance, equity's worst gaps and the training budget.
#[utoipa::path(get, path = "/dashboard", tag = "equity", params(DashboardQuery),
    responses((status = 200, body = Dashboard), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn dashboard(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<DashboardQuery>,
) -> ApiResult<Dashboard> {
    let year = q.year.unwrap_or_else(current_year);
    let d = leadership::dashboard(&s.db, &a, q.unit.as_deref(), year).await?;
    Ok(Json((*d).clone()))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct AnnualQuery {
    pub year: Option<i64>,
    /// `pdf` (default) or `xlsx`.
    pub format: String,
}

/// "Laporan Pengembangan Kompetensi ASN {year}": PDF (charts as vectors) or XLSX (one sheet
/// per section), over the caller's scope.
#[utoipa::path(get, path = "/reports/annual", tag = "equity", params(AnnualQuery),
    responses((status = 200, description = "PDF or XLSX", content_type = "application/pdf"),
        (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn annual(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<AnnualQuery>,
) -> Result<axum::response::Response, crate::error::ApiError> {
    let year = q.year.unwrap_or_else(current_year);
    let (bytes, name) = cakap_services::annual::render(&s.db, &a, year, &q.format).await?;
    Ok(super::file_response(&name, mime(&name), bytes))
}

/// The content type of a report file by its extension.
pub fn mime(name: &str) -> &'static str {
    if name.ends_with(".xlsx") {
        cakap_services::exports::Format::Xlsx.mime()
    } else {
        "application/pdf"
    }
}
