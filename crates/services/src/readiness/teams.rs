//! Response teams (docs/domain.md#readiness): proposed from who holds each role's competency,
//! is available and has a phone, nearest kecamatan first; saved, called out (in-app and
//! e-mail through the notifications module), answered "siap" with an ETA or "tidak bisa",
//! and a replacement proposed for each who cannot come.

use std::collections::HashSet;

use cakap_domain::Role;
use cakap_domain::crisis::{self, Candidate, Hazard, Need};
use cakap_domain::kecamatan::Kecamatan;
use cakap_store::notifications::{self as inbox, NewNotification};
use cakap_store::readiness as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Inputs, parse_hazard, parse_role};
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Who sees teams: BKPSDM (the coordinator) and the auditor.
const READERS: &[Role] = &[Role::Admin, Role::Auditor];
/// Most people one request may ask for.
const MAX_PEOPLE: i64 = 200;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct RoleInput {
    pub role: String,
    /// Competency code.
    pub competency: String,
    pub level: i64,
    pub count: i64,
}

/// `POST /api/v1/readiness/teams`; no roles = the kecamatan's target table.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TeamInput {
    pub hazard: String,
    /// Kecamatan code (or name).
    pub kecamatan: String,
    #[serde(default)]
    pub roles: Vec<RoleInput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Member {
    pub role: String,
    pub nip: String,
    pub name: String,
    pub unit: String,
    /// Kecamatan code of where they work (the nearest unit naming one).
    pub kecamatan: Option<String>,
    pub kecamatan_name: Option<String>,
    pub level: i64,
    pub phone: Option<String>,
    /// Competency code the role asked for.
    pub competency: String,
    /// Kecamatan hops away (0 = there).
    pub distance: i64,
    pub called: bool,
    /// `siap`, `tidak_bisa`, or null (no answer yet).
    pub answer: Option<String>,
    pub eta_minutes: Option<i64>,
    /// Someone else took this place.
    pub replaced: bool,
    /// Has an account, so a call-out reaches them in Cakap (the others are phoned).
    pub reachable: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Unfilled {
    pub role: String,
    pub short: i64,
    pub competency: String,
    pub level: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Team {
    pub id: i64,
    pub hazard: String,
    pub kecamatan: String,
    pub kecamatan_name: String,
    pub members: Vec<Member>,
    pub unfilled: Vec<Unfilled>,
    /// The call-out's id once called.
    pub callout: Option<i64>,
    pub called_at: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

mod replace;

pub use replace::{replace, replacement, replacements};

pub fn link(id: i64) -> String {
    format!("/kesiapsiagaan/tim/{id}")
}

/// Proposes and saves a team (`admin`).
pub async fn assemble(db: &Db, actor: &Actor, input: &TeamInput) -> ServiceResult<Team> {
    actor.require_admin()?;
    let hazard = parse_hazard(&input.hazard)?;
    let kec = Kecamatan::find(&input.kecamatan)
        .ok_or_else(|| ServiceError::invalid("kecamatan", "readiness_error.kecamatan"))?;
    if !hazard.exposes(kec.code) {
        return Err(ServiceError::invalid(
            "kecamatan",
            "readiness_error.not_exposed",
        ));
    }
    // What is asked: the roles given, or the kecamatan's table.
    let mut asked: Vec<(Need, String)> = Vec::new();
    if input.roles.is_empty() {
        let board = super::board(db, actor.tenant_id).await?;
        asked = board
            .tables
            .get(&(hazard, kec.code.to_string()))
            .cloned()
            .unwrap_or_default();
        if asked.is_empty() {
            return Err(ServiceError::invalid("roles", "readiness_error.no_roles"));
        }
    } else {
        if input.roles.len() > 50 {
            return Err(ServiceError::invalid("roles", "readiness_error.too_many"));
        }
        let mut c = db.conn().await?;
        for r in &input.roles {
            let role = parse_role(&r.role)?;
            let level = cakap_domain::Level::new(r.level)
                .map_err(|_| ServiceError::invalid("level", "readiness_error.level"))?;
            if !(1..=MAX_PEOPLE).contains(&r.count) {
                return Err(ServiceError::invalid("count", "readiness_error.count"));
            }
            let code = r.competency.trim();
            let comp = cakap_store::competencies::by_code(&mut c, actor.tenant_id, code)
                .await?
                .ok_or_else(|| ServiceError::invalid("competency", "readiness_error.competency"))?;
            asked.push((
                Need {
                    role,
                    competency: comp.id,
                    level: level.get(),
                    count: r.count as u32,
                },
                comp.code,
            ));
        }
    }
    if asked.iter().map(|(n, _)| i64::from(n.count)).sum::<i64>() > MAX_PEOPLE {
        return Err(ServiceError::invalid("roles", "readiness_error.too_many"));
    }
    let needs: Vec<Need> = asked.iter().map(|(n, _)| *n).collect();
    let extra: Vec<i64> = needs.iter().map(|n| n.competency).collect();
    let inputs = Inputs::load(db, actor.tenant_id, crate::wib::today(), true, &extra).await?;
    let cands = candidates(&inputs, kec.code, &HashSet::new());
    let placement = crisis::place(&needs, &cands);
    let unfilled: Vec<Unfilled> = asked
        .iter()
        .zip(placement.short(&needs))
        .filter(|(_, short)| *short > 0)
        .map(|((n, code), short)| Unfilled {
            role: n.role.as_str().into(),
            short: i64::from(short),
            competency: code.clone(),
            level: i64::from(n.level),
        })
        .collect();
    let roles_json = serde_json::to_string(
        &asked
            .iter()
            .map(|(n, code)| RoleInput {
                role: n.role.as_str().into(),
                competency: code.clone(),
                level: i64::from(n.level),
                count: i64::from(n.count),
            })
            .collect::<Vec<_>>(),
    )
    .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let unfilled_json =
        serde_json::to_string(&unfilled).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let tree = crate::units::tree(db, actor.tenant_id).await?;
    let mut c = Change::begin(db, actor).await?;
    let id = store::insert_team(
        &mut c,
        actor.tenant_id,
        hazard.as_str(),
        kec.code,
        &roles_json,
        &unfilled_json,
        &actor.username,
    )
    .await?;
    for (n, people) in needs.iter().zip(&placement.filled) {
        for e in people {
            let cand = cands.iter().find(|c| c.employee == *e);
            store::insert_member(
                &mut c,
                actor.tenant_id,
                id,
                &store::NewMember {
                    employee_id: *e,
                    role: n.role.as_str(),
                    competency_id: n.competency,
                    level: cand.map_or(0, |c| i64::from(c.level(n.competency))),
                    distance: cand.map_or(0, |c| i64::from(c.distance)),
                },
            )
            .await?;
        }
    }
    c.record(
        "create",
        "team",
        &id.to_string(),
        None,
        Some(
            &serde_json::json!({"hazard": hazard.as_str(), "kecamatan": kec.code,
            "members": placement.filled.iter().map(Vec::len).sum::<usize>(), "unfilled": unfilled}),
        ),
    )
    .await?;
    let team = read(&mut c, &tree, actor.tenant_id, id).await?;
    // The board page lists the newest teams; nobody's readiness changed.
    c.finish(&[Topic::Teams]).await?;
    Ok(team)
}

/// Available people with a phone who could serve, with their distance from `kecamatan`
/// (people whose unit names no kecamatan come last), leaving out `skip`.
fn candidates(inputs: &Inputs, kecamatan: &str, skip: &HashSet<i64>) -> Vec<Candidate> {
    let hops = crisis::hops_from(kecamatan);
    inputs
        .people
        .iter()
        .filter(|(e, _, phone)| *phone && !skip.contains(e))
        .filter_map(|(e, k, _)| {
            let levels = inputs.levels.get(e)?.clone();
            Some(Candidate {
                employee: *e,
                distance: k
                    .as_deref()
                    .and_then(|k| hops.get(k).copied())
                    .unwrap_or(99),
                levels,
            })
        })
        .collect()
}

fn kecamatan_of(code: Option<&str>) -> (Option<String>, Option<String>) {
    let k = code.and_then(Kecamatan::by_code);
    (k.map(|k| k.code.to_string()), k.map(|k| k.name.to_string()))
}

/// A team with its members; `tree` is the unit tree, read before the connection was taken (a
/// cache fill needs a connection of its own: waiting for one while holding one starved the
/// pool when 64 sessions opened a team page right after a start).
async fn read(
    c: &mut cakap_store::Conn,
    tree: &[cakap_store::units::UnitRow],
    tenant: i64,
    id: i64,
) -> ServiceResult<Team> {
    let t = store::team(c, tenant, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let kec = crate::units::kecamatan_by_path(tree);
    let members = store::members(c, tenant, id)
        .await?
        .into_iter()
        .map(|m| {
            let (kecamatan, kecamatan_name) =
                kecamatan_of(kec.get(m.unit_path.as_str()).copied().flatten());
            Member {
                role: m.role,
                kecamatan,
                kecamatan_name,
                nip: m.nip,
                name: m.name,
                unit: m.unit_name,
                level: m.level,
                phone: m.phone,
                competency: m.competency_code,
                distance: m.distance,
                called: m.called_at.is_some(),
                answer: m.answer,
                eta_minutes: m.eta_minutes,
                replaced: m.replaced_by.is_some(),
                reachable: m.reachable,
            }
        })
        .collect();
    Ok(Team {
        id: t.id,
        kecamatan_name: Kecamatan::by_code(&t.kecamatan)
            .map_or_else(|| t.kecamatan.clone(), |k| k.name.to_string()),
        hazard: t.hazard,
        kecamatan: t.kecamatan,
        members,
        unfilled: serde_json::from_str(&t.unfilled).unwrap_or_default(),
        callout: t.callout_id,
        called_at: t.called_at,
        created_by: t.created_by,
        created_at: t.created_at,
    })
}

/// A team (`admin`, `auditor`).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Team> {
    actor.require_any(READERS)?;
    let tree = crate::units::tree(db, actor.tenant_id).await?;
    let mut c = db.conn().await?;
    read(&mut c, &tree, actor.tenant_id, id).await
}

/// The newest teams.
pub async fn recent(db: &Db, actor: &Actor) -> ServiceResult<Vec<store::TeamRow>> {
    actor.require_any(READERS)?;
    let mut c = db.conn().await?;
    Ok(store::teams(&mut c, actor.tenant_id, 20).await?)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Callout {
    pub id: i64,
    /// Members notified in Cakap by this request (those added since the last call-out, or
    /// everyone the first time).
    pub called: i64,
    /// Members called now who have no account: the coordinator phones them.
    pub without_account: i64,
}

/// Calls the team out (`admin`): each member not yet called gets a notification (and an
/// e-mail when they chose one) to answer. Again → only members added since.
pub async fn call_out(db: &Db, actor: &Actor, team: i64) -> ServiceResult<Callout> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    let t = store::team(&mut c, actor.tenant_id, team)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (id, fresh) = store::call_out(&mut c, actor.tenant_id, team, &actor.username).await?;
    let notified = notify_called(&mut c, actor.tenant_id, &t, id, &fresh).await?;
    let out = Callout {
        id,
        called: notified as i64,
        without_account: fresh.len() as i64 - notified as i64,
    };
    c.record(
        "callout",
        "team",
        &team.to_string(),
        None,
        Some(&serde_json::json!({"callout": id, "called": out.called,
            "without_account": out.without_account})),
    )
    .await?;
    c.finish(&[]).await?;
    Ok(out)
}

async fn notify_called(
    c: &mut Change<'_>,
    tenant: i64,
    t: &store::TeamRow,
    callout: i64,
    employees: &[i64],
) -> ServiceResult<u64> {
    let email = crate::mail::enabled(c.db());
    let hazard = t.hazard.parse::<Hazard>().map_or("", |h| h.label(false));
    let kec = Kecamatan::by_code(&t.kecamatan).map_or(t.kecamatan.as_str(), |k| k.name);
    Ok(inbox::insert_for_employees(
        c,
        tenant,
        employees,
        &NewNotification {
            kind: "callout",
            title: &format!("{hazard} — Kecamatan {kec}"),
            body: "",
            link: &respond_link(callout),
        },
        email,
    )
    .await?)
}

pub fn respond_link(callout: i64) -> String {
    format!("/panggilan/{callout}")
}

/// `POST /api/v1/callouts/{id}/respond`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Answer {
    /// `siap` or `tidak_bisa`.
    pub answer: String,
    /// Minutes until they arrive (with `siap`).
    #[serde(default)]
    pub eta_minutes: Option<i64>,
}

/// A call-out as the member sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCall {
    pub callout: i64,
    pub hazard: String,
    pub kecamatan: String,
    pub role: String,
    pub called_at: i64,
    pub answer: Option<String>,
    pub eta_minutes: Option<i64>,
    pub coordinator: String,
}

fn my_call_of(r: store::MyCallRow) -> MyCall {
    MyCall {
        callout: r.callout_id,
        hazard: r.hazard,
        kecamatan: Kecamatan::by_code(&r.kecamatan)
            .map_or(r.kecamatan.clone(), |k| k.name.to_string()),
        role: r.role,
        called_at: r.called_at,
        answer: r.answer,
        eta_minutes: r.eta_minutes,
        coordinator: r.created_by,
    }
}

/// The caller's newest call-outs.
pub async fn mine(db: &Db, actor: &Actor) -> ServiceResult<Vec<MyCall>> {
    let Some(employee) = actor.employee_id else {
        return Ok(Vec::new());
    };
    let mut c = db.conn().await?;
    Ok(store::my_calls(&mut c, actor.tenant_id, employee, None)
        .await?
        .into_iter()
        .map(my_call_of)
        .collect())
}

/// One call-out of the caller (404 when they were not called in it, or were replaced).
pub async fn my_call(db: &Db, actor: &Actor, callout: i64) -> ServiceResult<MyCall> {
    let employee = actor.employee_id.ok_or(ServiceError::NotFound)?;
    let mut c = db.conn().await?;
    store::my_calls(&mut c, actor.tenant_id, employee, Some(callout))
        .await?
        .into_iter()
        .next()
        .map(my_call_of)
        .ok_or(ServiceError::NotFound)
}

/// A called member answers (again → the new answer replaces the old, audited).
pub async fn respond(
    db: &Db,
    actor: &Actor,
    callout: i64,
    answer: &Answer,
) -> ServiceResult<MyCall> {
    let employee = actor.employee_id.ok_or(ServiceError::NotFound)?;
    let (word, eta) = match answer.answer.trim() {
        "siap" => {
            let eta = answer
                .eta_minutes
                .ok_or_else(|| ServiceError::invalid("eta_minutes", "readiness_error.eta"))?;
            if !(0..=24 * 60).contains(&eta) {
                return Err(ServiceError::invalid("eta_minutes", "readiness_error.eta"));
            }
            ("siap", Some(eta))
        }
        "tidak_bisa" => ("tidak_bisa", None),
        _ => return Err(ServiceError::invalid("answer", "readiness_error.answer")),
    };
    let mut c = Change::begin(db, actor).await?;
    let team = store::callout_team(&mut c, actor.tenant_id, callout)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !store::respond(&mut c, actor.tenant_id, team, employee, word, eta).await? {
        return Err(ServiceError::NotFound);
    }
    inbox::read_link(
        &mut c,
        actor.tenant_id,
        actor.user_id,
        &respond_link(callout),
    )
    .await?;
    c.record(
        "respond",
        "team",
        &team.to_string(),
        None,
        Some(&serde_json::json!({"callout": callout, "answer": word, "eta_minutes": eta})),
    )
    .await?;
    c.finish(&[]).await?;
    my_call(db, actor, callout).await
}
