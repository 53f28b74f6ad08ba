//! Points, badges and recognition (docs/interfaces.md, "second wave"; docs/domain.md#points,
//! #recognition; docs/badges.md).

use axum::Json;
use axum::extract::{Path, State};
use cakap_domain::points::Rules;
use cakap_domain::recognition::NominationRule;
use cakap_services::points::{self, Leaderboard, Points};
use cakap_services::recognition::{self, Nominations, RuleOut, SatyaList};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::ApiResult;
use crate::AppState;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct YearQuery {
    /// Defaults to this year.
    pub year: Option<i64>,
    /// A unit code: its subtree (lists) or that unit (leaderboard).
    pub unit: Option<String>,
    /// Satyalancana: everyone with ≥ 10 years, not only those reaching 10, 20 or 30 this year.
    pub all: bool,
}

fn year(q: &YearQuery) -> i64 {
    q.year
        .unwrap_or_else(cakap_services::performance::current_year)
}

/// A person's points of a year with every line (`{points, lines: [{source, reference, title,
/// on_date, count, points, note}]}`, plus badges, the next badge and the unit rank): the person,
/// their leaders over their subtree, BKPSDM and the auditor.
#[utoipa::path(get, path = "/employees/{nip}/points", tag = "equity", params(("nip" = String, Path), YearQuery),
    responses((status = 200, body = Points), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn employee_points(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Points> {
    Ok(Json(points::points(&s.db, &a, &nip, year(&q)).await?))
}

/// A person's badges: Open Badges 3.0 AchievementCredentials with an embedded
/// `eddsa-jcs-2022` proof; each is checked at `GET /badges/{id}` (public).
#[utoipa::path(get, path = "/employees/{nip}/badges", tag = "equity", params(("nip" = String, Path)),
    responses((status = 200, body = Vec<Object>), (status = 404, body = super::ErrorBody)))]
pub async fn employee_badges(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
) -> ApiResult<Vec<serde_json::Value>> {
    Ok(Json(points::credentials(&s.db, &a, &nip).await?))
}

/// How points are earned (anyone logged in).
#[utoipa::path(get, path = "/points/rules", tag = "equity",
    responses((status = 200, body = points::RulesOut)))]
pub async fn points_rules(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<points::RulesOut> {
    Ok(Json(points::rules(&s.db, &a).await?))
}

/// Sets the points rule (`admin`): `{per_jp, per_certificate, per_acknowledgement, per_drill,
/// thresholds: [bronze, silver, gold]}`.
#[utoipa::path(put, path = "/points/rules", tag = "equity", request_body = Object,
    responses((status = 200, body = points::RulesOut), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn set_points_rules(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(rules): ApiJson<Rules>,
) -> ApiResult<points::RulesOut> {
    Ok(Json(points::set_rules(&s.db, &a, &rules).await?))
}

/// A unit's leaderboard (the reader's own unit for an ASN; `unit` in scope for leaders), those
/// who opted out left out.
#[utoipa::path(get, path = "/points/leaderboard", tag = "equity", params(YearQuery),
    responses((status = 200, body = Leaderboard), (status = 404, body = super::ErrorBody)))]
pub async fn leaderboard(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Leaderboard> {
    Ok(Json(
        points::leaderboard(&s.db, &a, q.unit.as_deref(), year(&q)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptOut {
    /// True to keep out of every leaderboard.
    pub opt_out: bool,
}

/// Keeps the caller out of the leaderboards (or back in): `{opt_out: bool}`.
#[utoipa::path(put, path = "/points/optout", tag = "equity", request_body = OptOut,
    responses((status = 200, body = OptOut), (status = 403, body = super::ErrorBody)))]
pub async fn optout(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(o): ApiJson<OptOut>,
) -> ApiResult<serde_json::Value> {
    points::set_optout(&s.db, &a, o.opt_out).await?;
    Ok(Json(serde_json::json!({"opt_out": o.opt_out})))
}

/// The Satyalancana Karya Satya list of a year: those reaching 10, 20 or 30 years from TMT
/// CPNS counted to 17 August (`all=true`: everyone with ≥ 10), their class, and why anyone is
/// not eligible (`admin`, `auditor`, `pimpinan` over their subtree).
#[utoipa::path(get, path = "/recognition/satyalancana", tag = "equity", params(YearQuery),
    responses((status = 200, body = SatyaList), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn satyalancana(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<SatyaList> {
    Ok(Json(
        recognition::satyalancana(&s.db, &a, year(&q), q.unit.as_deref(), q.all).await?,
    ))
}

/// The ASN Berprestasi nominations of a year under the regency's rule: the nominated and
/// those one criterion short, each criterion met or not.
#[utoipa::path(get, path = "/recognition/nominations", tag = "equity", params(YearQuery),
    responses((status = 200, body = Nominations), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn nominations(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Nominations> {
    Ok(Json(
        recognition::nominations(&s.db, &a, year(&q), q.unit.as_deref()).await?,
    ))
}

/// The nomination rule (`admin`, `auditor`, `pimpinan`).
#[utoipa::path(get, path = "/recognition/rule", tag = "equity",
    responses((status = 200, body = RuleOut), (status = 403, body = super::ErrorBody)))]
pub async fn rule(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<RuleOut> {
    Ok(Json(recognition::rule(&s.db, &a).await?))
}

/// Sets the nomination rule (`admin`): `{min_predikat, boxes: [1–9], min_jp, no_sentence}`.
#[utoipa::path(put, path = "/recognition/rule", tag = "equity", request_body = Object,
    responses((status = 200, body = RuleOut), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn set_rule(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(rule): ApiJson<NominationRule>,
) -> ApiResult<RuleOut> {
    Ok(Json(recognition::set_rule(&s.db, &a, &rule).await?))
}
