//! Replacing who cannot come: a proposal for every member who answered "tidak bisa", made
//! together so two are never offered the same person, and the replacement itself, which
//! places the person the coordinator was shown (docs/domain.md#readiness).

use std::collections::HashSet;

use cakap_domain::crisis::{self, Need};
use cakap_store::readiness as store;

use super::{Member, READERS, RoleInput, Team, candidates, kecamatan_of, notify_called, read};
use crate::change::Change;
use crate::readiness::{Inputs, parse_role};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Who would best take `nip`'s place in the team: the nearest available holder of the
/// competency and level the role asked for, not on the team yet.
pub async fn replacement(
    db: &Db,
    actor: &Actor,
    team: i64,
    nip: &str,
) -> ServiceResult<Option<Member>> {
    actor.require_any(READERS)?;
    Ok(proposal_for(db, actor.tenant_id, team, nip.trim())
        .await?
        .1
        .map(|x| x.0))
}

/// The proposal for one member: the one the page shows when they declined (all decliners
/// placed together), else theirs alone. A member replaced already is a conflict.
async fn proposal_for(
    db: &Db,
    tenant: i64,
    team: i64,
    nip: &str,
) -> ServiceResult<(store::MemberRow, Option<(Member, i64)>)> {
    if let Some(found) = propose(db, tenant, team, None)
        .await?
        .into_iter()
        .find(|(old, _)| old.nip == nip)
    {
        return Ok(found);
    }
    propose(db, tenant, team, Some(nip))
        .await?
        .into_iter()
        .next()
        .ok_or(ServiceError::NotFound)
}

/// A replacement for each member who cannot come (by NIP), proposed together so that two of
/// them are never offered the same person; one read of the candidates for all.
pub async fn replacements(
    db: &Db,
    actor: &Actor,
    team: i64,
) -> ServiceResult<Vec<(String, Option<Member>)>> {
    actor.require_any(READERS)?;
    Ok(propose(db, actor.tenant_id, team, None)
        .await?
        .into_iter()
        .map(|(old, p)| (old.nip, p.map(|x| x.0)))
        .collect())
}

/// Proposals for `nip` (a current member), or for every member who answered "tidak bisa":
/// each with the member replaced and the proposal (as shown, with its employee id).
async fn propose(
    db: &Db,
    tenant: i64,
    team: i64,
    nip: Option<&str>,
) -> ServiceResult<Vec<(store::MemberRow, Option<(Member, i64)>)>> {
    let mut c = db.conn().await?;
    let t = store::team(&mut c, tenant, team)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let members = store::members(&mut c, tenant, team).await?;
    drop(c);
    let wanted: Vec<store::MemberRow> = members
        .iter()
        .filter(|m| m.replaced_by.is_none())
        .filter(|m| match nip {
            Some(n) => m.nip == n,
            None => m.answer.as_deref() == Some("tidak_bisa"),
        })
        .cloned()
        .collect();
    if wanted.is_empty() {
        if let Some(n) = nip
            && members.iter().any(|m| m.nip == n)
        {
            return Err(ServiceError::Conflict {
                key: "readiness_error.replaced_already",
            });
        }
        return Ok(Vec::new());
    }
    let roles: Vec<RoleInput> = serde_json::from_str(&t.roles).unwrap_or_default();
    let mut needs = Vec::with_capacity(wanted.len());
    for old in &wanted {
        let asked = roles
            .iter()
            .find(|r| r.role == old.role && r.competency == old.competency_code)
            .map_or(old.level, |r| r.level);
        needs.push(Need {
            role: parse_role(&old.role)?,
            competency: old.competency_id,
            level: u8::try_from(asked).unwrap_or(1),
            count: 1,
        });
    }
    let skip: HashSet<i64> = members.iter().map(|m| m.employee_id).collect();
    let comps: Vec<i64> = needs.iter().map(|n| n.competency).collect();
    let inputs = Inputs::load(db, tenant, crate::wib::today(), true, &comps).await?;
    let cands = candidates(&inputs, &t.kecamatan, &skip);
    let placement = crisis::place(&needs, &cands);
    let chosen: Vec<i64> = placement.filled.iter().flatten().copied().collect();
    let mut c = db.conn().await?;
    let rows = cakap_store::readiness::people_by_id(&mut c, tenant, &chosen).await?;
    drop(c);
    let mut out = Vec::with_capacity(wanted.len());
    for ((old, need), filled) in wanted.into_iter().zip(&needs).zip(&placement.filled) {
        let proposal = filled.first().and_then(|e| {
            let cand = cands.iter().find(|c| c.employee == *e)?;
            let p = rows.iter().find(|r| r.id == *e)?;
            let (kecamatan, kecamatan_name) = kecamatan_of(
                inputs
                    .people
                    .iter()
                    .find(|x| x.0 == *e)
                    .and_then(|x| x.1.as_deref()),
            );
            Some((
                Member {
                    role: old.role.clone(),
                    nip: p.nip.clone(),
                    name: p.name.clone(),
                    unit: p.unit_name.clone(),
                    kecamatan,
                    kecamatan_name,
                    level: i64::from(cand.level(need.competency)),
                    phone: p.phone.clone(),
                    competency: old.competency_code.clone(),
                    distance: i64::from(cand.distance),
                    called: false,
                    answer: None,
                    eta_minutes: None,
                    replaced: false,
                    reachable: p.reachable,
                },
                *e,
            ))
        });
        out.push((old, proposal));
    }
    Ok(out)
}

/// Replaces `nip` in the team by the person proposed for them (`admin`; `expected`, when
/// given, must still be that person); when the team was called out, the newcomer is called
/// at once.
pub async fn replace(
    db: &Db,
    actor: &Actor,
    team: i64,
    nip: &str,
    expected: Option<&str>,
) -> ServiceResult<Team> {
    actor.require_admin()?;
    let (old, proposal) = proposal_for(db, actor.tenant_id, team, nip.trim()).await?;
    let Some((new, new_id)) = proposal else {
        return Err(ServiceError::invalid(
            "nip",
            "readiness_error.no_replacement",
        ));
    };
    // The page says whom it proposes; if someone else is best by now, say so rather than
    // place a person the coordinator did not see.
    if expected.is_some_and(|e| e.trim() != new.nip) {
        return Err(ServiceError::Conflict {
            key: "readiness_error.proposal_changed",
        });
    }
    let tree = crate::units::tree(db, actor.tenant_id).await?;
    let mut c = Change::begin(db, actor).await?;
    if !store::mark_replaced(&mut c, actor.tenant_id, team, old.employee_id, new_id).await? {
        return Err(ServiceError::Conflict {
            key: "readiness_error.replaced_already",
        });
    }
    let added = store::insert_member(
        &mut c,
        actor.tenant_id,
        team,
        &store::NewMember {
            employee_id: new_id,
            role: &old.role,
            competency_id: old.competency_id,
            level: new.level,
            distance: new.distance,
        },
    )
    .await?;
    if !added {
        // Dropping the change undoes the replacement.
        return Err(ServiceError::Conflict {
            key: "readiness_error.replaced_already",
        });
    }
    let row = store::team(&mut c, actor.tenant_id, team)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.callout_id.is_some() {
        let (id, fresh) = store::call_out(&mut c, actor.tenant_id, team, &actor.username).await?;
        notify_called(&mut c, actor.tenant_id, &row, id, &fresh).await?;
    }

    c.record(
        "replace",
        "team",
        &team.to_string(),
        Some(&serde_json::json!({"nip": old.nip, "answer": old.answer})),
        Some(&serde_json::json!({"nip": new.nip, "role": old.role})),
    )
    .await?;
    let out = read(&mut c, &tree, actor.tenant_id, team).await?;
    c.finish(&[]).await?;
    Ok(out)
}
