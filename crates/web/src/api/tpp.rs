//! TPP: the regency's rules (versioned) and a month's TPP per ASN (docs/interfaces.md,
//! "second wave"; docs/domain.md#tpp).

use axum::Json;
use axum::extract::State;
use cakap_domain::tpp::Rules;
use cakap_services::tpp::{self, Item, RulesOut};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ApiResult;
use crate::AppState;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

/// The TPP rules in force, with every earlier version's number (`admin`, `auditor`,
/// `pimpinan`); `version` is null while none is set (`rules` is then a proposal).
#[utoipa::path(get, path = "/tpp/rules", tag = "equity",
    responses((status = 200, body = RulesOut), (status = 403, body = super::ErrorBody)))]
pub async fn rules(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<RulesOut> {
    Ok(Json(tpp::rules(&s.db, &a).await?))
}

/// Sets the TPP rules (`admin`): `{basic: {"7": 2100000, …}, kinerja_share, disiplin_share,
/// kinerja_pct: {sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang}, unrated_pct,
/// late_cut: [4 percents], absent_cut}`. A change makes a new version; months already fixed
/// keep theirs: a month is computed with the version in force at its end.
#[utoipa::path(put, path = "/tpp/rules", tag = "equity", request_body = Object,
    responses((status = 200, body = RulesOut), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn set_rules(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(rules): ApiJson<Rules>,
) -> ApiResult<RulesOut> {
    Ok(Json(tpp::set_rules(&s.db, &a, &rules).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct TppQuery {
    /// `YYYY-MM`.
    pub month: String,
    /// A unit code: its subtree.
    pub unit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TppOut {
    pub month: String,
    pub version: i64,
    /// Whether the month is fixed to `version` (its attendance was imported).
    pub fixed: bool,
    /// ASN whose attendance for the month is imported.
    pub with_attendance: i64,
    pub items: Vec<Item>,
    pub units: Vec<tpp::UnitTotal>,
    pub total: i64,
}

/// A month's TPP per ASN with every cut explained, and per unit totals (`admin`, `auditor`,
/// `pimpinan` over their subtree).
#[utoipa::path(get, path = "/tpp", tag = "equity", params(TppQuery),
    responses((status = 200, body = TppOut), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn month(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<TppQuery>,
) -> ApiResult<TppOut> {
    let m = tpp::month(&s.db, &a, &q.month, q.unit.as_deref()).await?;
    Ok(Json(TppOut {
        month: m.month.clone(),
        version: m.version,
        fixed: m.fixed,
        with_attendance: m.with_attendance,
        items: m.items.clone(),
        units: m.units.clone(),
        total: m.total,
    }))
}
