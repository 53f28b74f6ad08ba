//! Crisis readiness: targets, readiness per kecamatan, availability, teams, call-outs and
//! drills (docs/interfaces.md, "second wave"; docs/domain.md#readiness).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::readiness::drills::{self, Drill, DrillInput};
use cakap_services::readiness::teams::{self, Answer, Callout, Member, MyCall, Team, TeamInput};
use cakap_services::readiness::{
    self as ready, Availability, AvailabilityInput, Certification, HazardReadiness, Target,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::ApiResult;
use super::positions::parse_id;
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

/// The target table: what each kecamatan needs per hazard.
#[utoipa::path(get, path = "/readiness/targets", tag = "readiness",
    responses((status = 200, body = [Target]), (status = 403, body = super::ErrorBody)))]
pub async fn targets(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<Vec<Target>> {
    Ok(Json(ready::targets(&s.db, &a).await?))
}

/// Replaces the target table (`admin`); one bad line changes nothing.
#[utoipa::path(put, path = "/readiness/targets", tag = "readiness", request_body = [Target],
    responses((status = 200, body = [Target]), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn set_targets(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(lines): ApiJson<Vec<Target>>,
) -> ApiResult<Vec<Target>> {
    Ok(Json(ready::set_targets(&s.db, &a, &lines).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct HazardQuery {
    /// `banjir`, `longsor`, `banjir_bandang`, `gempa`, `tsunami`.
    pub hazard: Option<String>,
}

/// Readiness of every exposed kecamatan for a hazard (DOMAIN §12), with what is missing.
#[utoipa::path(get, path = "/readiness", tag = "readiness", params(HazardQuery),
    responses((status = 200, body = HazardReadiness), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn readiness(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<HazardQuery>,
) -> ApiResult<HazardReadiness> {
    let hazard = q.hazard.unwrap_or_else(|| "banjir".into());
    Ok(Json(ready::of_hazard(&s.db, &a, &hazard).await?))
}

/// Crisis certifications expiring within 60 days, soonest first.
#[utoipa::path(get, path = "/readiness/certifications", tag = "readiness",
    responses((status = 200, body = [Certification]), (status = 403, body = super::ErrorBody)))]
pub async fn certifications(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Vec<Certification>> {
    Ok(Json(ready::expiring(&s.db, &a, 500).await?))
}

/// Someone's availability today.
#[utoipa::path(get, path = "/employees/{nip}/availability", tag = "readiness",
    params(("nip" = String, Path)),
    responses((status = 200, body = Availability), (status = 404, body = super::ErrorBody)))]
pub async fn availability(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
) -> ApiResult<Availability> {
    Ok(Json(ready::availability(&s.db, &a, &nip).await?))
}

/// Marks someone away (leave, sick, posted elsewhere) until a date, or back: the person
/// themself, their head, or BKPSDM.
#[utoipa::path(put, path = "/employees/{nip}/availability", tag = "readiness",
    params(("nip" = String, Path)), request_body = AvailabilityInput,
    responses((status = 200, body = Availability), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn set_availability(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiJson(input): ApiJson<AvailabilityInput>,
) -> ApiResult<Availability> {
    Ok(Json(
        ready::set_availability(&s.db, &a, &nip, &input).await?,
    ))
}

/// Proposes and saves a response team (`admin`): nearest available holders first, each
/// person once; what cannot be filled is said.
#[utoipa::path(post, path = "/readiness/teams", tag = "readiness", request_body = TeamInput,
    responses((status = 201, body = Team), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn assemble(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<TeamInput>,
) -> Result<(StatusCode, Json<Team>), ApiError> {
    Ok(super::created(teams::assemble(&s.db, &a, &input).await?))
}

/// A team with its members' answers.
#[utoipa::path(get, path = "/readiness/teams/{id}", tag = "readiness",
    params(("id" = i64, Path)),
    responses((status = 200, body = Team), (status = 404, body = super::ErrorBody)))]
pub async fn team(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Team> {
    Ok(Json(teams::get(&s.db, &a, parse_id(&id)?).await?))
}

/// Calls the team out: a notification (and e-mail) to each member not yet called.
#[utoipa::path(post, path = "/readiness/teams/{id}/callout", tag = "readiness",
    params(("id" = i64, Path)),
    responses((status = 200, body = Callout), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn callout(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Callout> {
    Ok(Json(teams::call_out(&s.db, &a, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplaceInput {
    /// NIP of the member to replace.
    pub nip: String,
    /// NIP of the replacement the caller was shown; when given and someone else is best by
    /// now, 409 and nothing changes.
    #[serde(default, rename = "with")]
    pub with_nip: Option<String>,
}

/// Who would best replace a member (nearest available holder not on the team), or null.
#[utoipa::path(get, path = "/readiness/teams/{id}/replacement/{nip}", tag = "readiness",
    params(("id" = i64, Path), ("nip" = String, Path)),
    responses((status = 200, body = Option<Member>), (status = 404, body = super::ErrorBody)))]
pub async fn replacement(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((id, nip)): Path<(String, String)>,
) -> ApiResult<Option<Member>> {
    Ok(Json(
        teams::replacement(&s.db, &a, parse_id(&id)?, &nip).await?,
    ))
}

/// Replaces a member by the best available person (`admin`); called at once if the team was.
#[utoipa::path(post, path = "/readiness/teams/{id}/replace", tag = "readiness",
    params(("id" = i64, Path)), request_body = ReplaceInput,
    responses((status = 200, body = Team), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn replace(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReplaceInput>,
) -> ApiResult<Team> {
    Ok(Json(
        teams::replace(
            &s.db,
            &a,
            parse_id(&id)?,
            &input.nip,
            input.with_nip.as_deref(),
        )
        .await?,
    ))
}

/// A called member answers `siap` (with `eta_minutes`) or `tidak_bisa`.
#[utoipa::path(post, path = "/callouts/{id}/respond", tag = "readiness",
    params(("id" = i64, Path)), request_body = Answer,
    responses((status = 200, body = MyCall), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn respond(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<Answer>,
) -> ApiResult<MyCall> {
    Ok(Json(
        teams::respond(&s.db, &a, parse_id(&id)?, &input).await?,
    ))
}

/// Drills, newest first.
#[utoipa::path(get, path = "/readiness/drills", tag = "readiness",
    responses((status = 200, body = [Drill]), (status = 403, body = super::ErrorBody)))]
pub async fn drills(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<Vec<Drill>> {
    Ok(Json(drills::list(&s.db, &a, 100).await?))
}

/// Records a drill (`admin`); a level given for a practised competency records a `course`
/// result for every participant.
#[utoipa::path(post, path = "/readiness/drills", tag = "readiness", request_body = DrillInput,
    responses((status = 201, body = Drill), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn record_drill(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<DrillInput>,
) -> Result<(StatusCode, Json<Drill>), ApiError> {
    Ok(super::created(drills::record(&s.db, &a, &input).await?))
}
