//! Unit leaderboards and the opt-out (docs/domain.md#points): the year's board (cached) with
//! the opt-outs (cached apart, so an opt-out leaves the board as it is).

use std::collections::HashSet;

use cakap_domain::Role;
use cakap_store::recognition as store;
use serde::Serialize;
use utoipa::ToSchema;

use super::person::optouts;
use super::{Board, Entry, board};
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

/// Keeps the actor out of (or back in) the leaderboards; audited.
pub async fn set_optout(db: &Db, actor: &Actor, out: bool) -> ServiceResult<()> {
    let employee = actor.employee_id.ok_or(ServiceError::Forbidden)?;
    let mut c = Change::begin(db, actor).await?;
    if store::set_optout(&mut c, actor.tenant_id, employee, out).await? {
        c.record::<bool>(
            "update",
            "leaderboard_optout",
            &employee.to_string(),
            Some(&!out),
            Some(&out),
        )
        .await?;
        // Only the opt-outs' own cache: the year's board does not hold them.
        c.finish(&[Topic::Optouts]).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Standing {
    pub rank: usize,
    /// Shown to leaders, BKPSDM and the auditor; an ASN sees colleagues by name only.
    pub nip: Option<String>,
    pub name: String,
    pub points: i64,
    /// Whether this is the reader.
    pub me: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Leaderboard {
    pub year: i64,
    pub unit: String,
    pub unit_name: String,
    /// The first [`TOP`], those who opted out left out.
    pub rows: Vec<Standing>,
    pub people: usize,
}

pub const TOP: usize = 20;

/// The leaderboard of a unit: the reader's own for an ASN; a unit in scope for leaders,
/// BKPSDM and the auditor.
pub async fn leaderboard(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    year: i64,
) -> ServiceResult<Leaderboard> {
    let year = validate::year(year)?;
    let board = board(db, actor.tenant_id, year).await?;
    let code = unit_code(db, actor, &board, unit).await?;
    let optouts = optouts(db, actor.tenant_id).await?;
    Ok(standings(actor, &board, code, &optouts))
}

/// The unit whose leaderboard the actor reads: `unit` for leaders, BKPSDM and the auditor
/// (refused outside their scope or tenant), else the actor's own.
pub(super) async fn unit_code(
    db: &Db,
    actor: &Actor,
    board: &Board,
    unit: Option<&str>,
) -> ServiceResult<String> {
    match (actor.role, unit.map(str::trim).filter(|u| !u.is_empty())) {
        (Role::Admin | Role::Auditor | Role::Pimpinan, Some(code)) => {
            // Refuses a unit outside the reader's scope or tenant.
            crate::units::scope(db, actor, Some(code)).await?;
            Ok(code.to_string())
        }
        _ => {
            let employee = actor.employee_id.ok_or(ServiceError::NotFound)?;
            board
                .of(employee)
                .map(|e| e.unit_code.clone())
                .ok_or(ServiceError::NotFound)
        }
    }
}

/// The leaderboard of unit `code` on `board`, those who opted out left out.
pub(super) fn standings(
    actor: &Actor,
    board: &Board,
    code: String,
    optouts: &HashSet<i64>,
) -> Leaderboard {
    let mut members: Vec<&Entry> = board
        .entries
        .iter()
        .filter(|e| e.unit_code == code && !optouts.contains(&e.employee_id))
        .collect();
    members.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.name.cmp(&b.name)));
    let unit_name = members
        .first()
        .map(|e| e.unit_name.clone())
        .unwrap_or_default();
    let mut rows = Vec::new();
    let mut rank = 0;
    let mut last = None;
    for (i, e) in members.iter().enumerate() {
        if last != Some(e.points) {
            rank = i + 1;
            last = Some(e.points);
        }
        if i < TOP {
            rows.push(Standing {
                rank,
                nip: (actor.role != Role::Asn && actor.role != Role::Instruktur)
                    .then(|| e.nip.clone()),
                name: e.name.clone(),
                points: e.points,
                me: actor.employee_id == Some(e.employee_id),
            });
        }
    }
    Leaderboard {
        year: board.year,
        unit: code,
        unit_name,
        rows,
        people: members.len(),
    }
}
