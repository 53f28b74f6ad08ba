//! One person's points of a year, and `/poin` as a whole: the person, a unit's leaderboard
//! and the rule from the year's cached board and one connection.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use cakap_domain::points::{Badge, Rules};
use cakap_store::recognition as store;
use serde::Serialize;
use utoipa::ToSchema;

use super::leaderboard::{Leaderboard, standings, unit_code};
use super::{Board, Entry, board, bounds, on_time};
use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceError, ServiceResult, validate, wib};

/// A line of a person's points.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Line {
    /// `jp`, `certificate`, `acknowledgement` or `drill`.
    pub source: String,
    pub reference: String,
    pub title: String,
    pub on_date: String,
    /// JP for a `jp` line, else 1.
    pub count: i64,
    pub points: i64,
    /// Why a line earns nothing (`late`: acknowledged after its due date).
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BadgeSummary {
    pub id: String,
    pub year: i64,
    pub level: String,
    pub name: String,
    pub points: i64,
    pub issued_at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Points {
    pub nip: String,
    pub name: String,
    pub unit: String,
    /// The unit's code: its leaderboard is the one the rank is in.
    pub unit_code: String,
    pub year: i64,
    pub points: i64,
    pub lines: Vec<Line>,
    pub badges: Vec<BadgeSummary>,
    /// The next badge of the year and the points still missing.
    pub next: Option<(String, i64)>,
    /// Place in the unit's leaderboard (1 = first) and how many are on it; null when opted out.
    pub rank: Option<(usize, usize)>,
    pub opted_out: bool,
}

/// A person's points of a year with every line (themselves, their leaders, BKPSDM, auditor).
pub async fn points(db: &Db, actor: &Actor, nip: &str, year: i64) -> ServiceResult<Points> {
    let year = validate::year(year)?;
    // The board first (cached, and filled on a connection of its own), then one connection.
    let board = board(db, actor.tenant_id, year).await?;
    let optouts = optouts(db, actor.tenant_id).await?;
    let mut c = db.conn().await?;
    person(&mut c, actor, nip, &board, &optouts).await
}

/// What `/poin` shows.
pub struct Overview {
    /// The person asked for, if any.
    pub person: Option<Points>,
    /// The unit asked for, else the unit of the person shown when it is not the reader;
    /// else the reader's own. None when there is none of these (an account without an
    /// employee and no unit asked for).
    pub leaderboard: Option<Leaderboard>,
    /// How points are earned this year.
    pub rules: Rules,
}

/// `/poin` in one go: [`points`] of `nip` when given, and the [`Overview::leaderboard`], each
/// refused as its own service refuses it.
pub async fn overview(
    db: &Db,
    actor: &Actor,
    nip: Option<&str>,
    unit: Option<&str>,
    year: i64,
) -> ServiceResult<Overview> {
    let year = validate::year(year)?;
    let board = board(db, actor.tenant_id, year).await?;
    let optouts = optouts(db, actor.tenant_id).await?;
    let person = match nip {
        Some(nip) => {
            let mut c = db.conn().await?;
            Some(person(&mut c, actor, nip, &board, &optouts).await?)
        }
        None => None,
    };
    let unit = unit
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            person
                .as_ref()
                .filter(|p| !actor.is_self(0, &p.nip))
                .map(|p| p.unit_code.clone())
        });
    let leaderboard = match unit_code(db, actor, &board, unit.as_deref()).await {
        Ok(code) => Some(standings(actor, &board, code, &optouts)),
        Err(ServiceError::NotFound) if unit.is_none() => None,
        Err(e) => return Err(e),
    };
    Ok(Overview {
        person,
        leaderboard,
        rules: board.rules.clone(),
    })
}

/// Who opted out of the leaderboards, cached per change of their own topic (an opt-out
/// leaves the year's board as it is). Kept 30 s: another server sees an opt-out within that.
pub(super) async fn optouts(db: &Db, tenant: i64) -> ServiceResult<Arc<HashSet<i64>>> {
    cache::of::<Optouts>(db)
        .get_or_fill(tenant, &(), || async {
            let mut c = db.conn().await?;
            Ok(Arc::new(
                store::optouts(&mut c, tenant).await?.into_iter().collect(),
            ))
        })
        .await
}

struct Optouts;

impl cache::Spec for Optouts {
    type Key = ();
    type Value = Arc<HashSet<i64>>;
    const TOPICS: &'static [Topic] = &[Topic::Optouts];
    const TTL: Duration = Duration::from_secs(30);
    const MAX: usize = 1_000;
}

async fn person(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    nip: &str,
    board: &Board,
    optouts: &HashSet<i64>,
) -> ServiceResult<Points> {
    let e = crate::actor::visible_row(c, actor, nip).await?;
    let (from, to, from_ms, to_ms) = bounds(board.year)?;
    let r = &board.rules;
    let mut lines: Vec<Line> =
        cakap_store::learning::jp_items(c, actor.tenant_id, e.id, &from, &to)
            .await?
            .into_iter()
            .filter(|i| i.status == "completed" || i.status == "approved")
            .map(|i| Line {
                source: "jp".into(),
                reference: format!("{}-{}", i.source, i.id),
                title: i.title,
                on_date: i.on_date,
                count: i.jp,
                points: i.jp * r.per_jp,
                note: None,
            })
            .collect();
    for l in store::certificate_and_drill_lines(c, actor.tenant_id, e.id, &from, &to).await? {
        let per = if l.source == "drill" {
            r.per_drill
        } else {
            r.per_certificate
        };
        lines.push(Line {
            source: l.source,
            reference: l.reference,
            title: l.title,
            on_date: l.on_date,
            count: 1,
            points: per,
            note: None,
        });
    }
    for a in store::acknowledgements_of(c, actor.tenant_id, e.id, from_ms, to_ms).await? {
        let timely = on_time(a.at, &a.due_on);
        lines.push(Line {
            source: "acknowledgement".into(),
            reference: a.campaign_id.to_string(),
            title: a.title,
            on_date: wib::of(a.at).date_naive().format("%Y-%m-%d").to_string(),
            count: 1,
            points: if timely { r.per_acknowledgement } else { 0 },
            note: (!timely).then(|| "late".to_string()),
        });
    }
    lines.sort_by(|a, b| b.on_date.cmp(&a.on_date));
    let total: i64 = lines.iter().map(|l| l.points).sum();
    let badges = store::badge_heads(c, actor.tenant_id, e.id)
        .await?
        .into_iter()
        .map(BadgeSummary::from)
        .collect();
    let opted_out = optouts.contains(&e.id);
    let next = Badge::ALL
        .into_iter()
        .find(|b| r.threshold(*b) > total)
        .map(|b| (b.as_str().to_string(), r.threshold(b) - total));
    let rank = (!opted_out).then(|| {
        let unit: Vec<&Entry> = board
            .entries
            .iter()
            .filter(|x| x.unit_code == e.unit_code && !optouts.contains(&x.employee_id))
            .collect();
        let above = unit.iter().filter(|x| x.points > total).count();
        (above + 1, unit.len())
    });
    Ok(Points {
        nip: e.nip,
        name: e.name,
        unit: e.unit_name,
        unit_code: e.unit_code,
        year: board.year,
        points: total,
        lines,
        badges,
        next,
        rank,
        opted_out,
    })
}

impl From<store::BadgeHead> for BadgeSummary {
    fn from(b: store::BadgeHead) -> BadgeSummary {
        BadgeSummary {
            name: Badge::parse(&b.level)
                .map(|l| format!("{} {}", l.name_id(), b.year))
                .unwrap_or_default(),
            id: b.id,
            year: b.year,
            level: b.level,
            points: b.points,
            issued_at: b.issued_at,
        }
    }
}
