//! The talent map (PermenPANRB 3/2020; docs/domain.md#talent-map): potential scores, the 9-box grid of
//! kinerja × potensi per unit subtree, key positions and their ranked successors.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use cakap_domain::performance::{Thresholds, grid_position, nine_box};
use cakap_domain::{Potensi, Predikat, Role};
use cakap_store::performance as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::change::Change;
use crate::gaps::GapItem;
use crate::{Actor, Db, ServiceError, ServiceResult};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PotentialInput {
    pub year: i64,
    /// 0–100, e.g. from an assessment center.
    pub score: f64,
    /// Where the score comes from (optional).
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Potential {
    pub nip: String,
    pub year: i64,
    pub score: f64,
    /// `tinggi`, `menengah` or `rendah` under the tenant's thresholds.
    pub potensi: String,
}

fn check_year(year: i64) -> ServiceResult<i64> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(ServiceError::invalid("year", "performance.year"))
    }
}

pub(crate) async fn thresholds(
    c: &mut cakap_store::Conn,
    tenant: i64,
) -> ServiceResult<Thresholds> {
    let s = store::settings(c, tenant)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let clamp = |v: i64| u8::try_from(v.clamp(0, 100)).unwrap_or(100);
    Ok(Thresholds {
        high: clamp(s.potensi_high),
        mid: clamp(s.potensi_mid),
    })
}

/// Records an ASN's potential score for a year (`admin`), replacing an earlier one.
pub async fn set_potential(
    db: &Db,
    actor: &Actor,
    nip: &str,
    input: &PotentialInput,
) -> ServiceResult<Potential> {
    actor.require_admin()?;
    let year = check_year(input.year)?;
    if !(0.0..=100.0).contains(&input.score) || !input.score.is_finite() {
        return Err(ServiceError::invalid("score", "talent.score_range"));
    }
    let score = (input.score * 100.0).round() / 100.0;
    let source = crate::validate::optional_text("source", input.source.as_deref(), 200)?;
    let mut c = Change::begin(db, actor).await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    let t = thresholds(&mut c, actor.tenant_id).await?;
    let before = store::potential(&mut c, actor.tenant_id, e.id, year)
        .await?
        .map(|score| serde_json::json!({ "nip": e.nip, "year": year, "score": score }));
    store::set_potential(
        &mut c,
        actor.tenant_id,
        e.id,
        year,
        score,
        source.as_deref(),
        &actor.username,
    )
    .await?;
    let out = Potential {
        nip: e.nip.clone(),
        year,
        score,
        potensi: Potensi::of(score, t).as_str().into(),
    };
    c.record(
        "update",
        "potential",
        &e.nip,
        before.as_ref(),
        Some(&serde_json::to_value(&out).map_err(|e| ServiceError::Internal(e.to_string()))?),
    )
    .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(out)
}

/// Who reads potential scores: those who read the talent map.
pub const POTENTIAL_READERS: &[Role] = &[Role::Admin, Role::Auditor, Role::Pimpinan];

/// An employee's potential scores (newest year first), for an employee already found visible
/// by an actor among [`POTENTIAL_READERS`] (shown on the profile, [`crate::employees::profile`]).
pub(crate) async fn potentials_of(
    c: &mut cakap_store::Conn,
    tenant: i64,
    e: &cakap_store::employees::EmployeeRow,
) -> ServiceResult<Vec<Potential>> {
    let t = thresholds(c, tenant).await?;
    Ok(store::potentials(c, tenant, e.id)
        .await?
        .into_iter()
        .map(|(year, score, _)| Potential {
            nip: e.nip.clone(),
            year,
            score,
            potensi: Potensi::of(score, t).as_str().into(),
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoxPerson {
    pub nip: String,
    pub name: String,
    #[serde(skip)]
    pub unit_name: String,
    #[serde(skip)]
    pub predikat: String,
    #[serde(skip)]
    pub score: f64,
}

/// The 9-box map of a unit subtree (or the actor's whole scope) for a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NineBox {
    pub year: i64,
    pub unit: Option<String>,
    /// Box number ("1"–"9") → the people in it.
    pub boxes: BTreeMap<String, Vec<BoxPerson>>,
    /// People of the subtree without an annual predikat for the year.
    pub without_predikat: i64,
    /// People without a potential score for the year.
    pub without_score: i64,
}

/// Maps per (scope and unit asked for, year), kept a minute: the whole tenant's map reads
/// every employee's final rating and potential score.
struct Maps;

impl cache::Spec for Maps {
    type Key = (String, i64);
    type Value = Arc<NineBox>;
    const TOPICS: &'static [Topic] = &[Topic::People, Topic::Units, Topic::Performance];
    const TTL: Duration = Duration::from_secs(60);
    const MAX: usize = 256;
}

pub async fn ninebox(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    year: i64,
) -> ServiceResult<Arc<NineBox>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let year = check_year(year)?;
    let scope = crate::units::scope(db, actor, unit).await?;
    let key = (format!("{scope}\u{0}{}", unit.unwrap_or("")), year);
    cache::of::<Maps>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            let mut c = db.conn().await?;
            let t = thresholds(&mut c, actor.tenant_id).await?;
            let rows = store::talent(&mut c, actor.tenant_id, &scope, year).await?;
            drop(c);
            let mut boxes: BTreeMap<String, Vec<BoxPerson>> =
                (1..=9).map(|b: u8| (b.to_string(), Vec::new())).collect();
            let (mut without_predikat, mut without_score) = (0, 0);
            for r in rows {
                let predikat = r
                    .predikat
                    .as_deref()
                    .and_then(|p| p.parse::<Predikat>().ok());
                without_predikat += i64::from(predikat.is_none());
                without_score += i64::from(r.score.is_none());
                let (Some(p), Some(score)) = (predikat, r.score) else {
                    continue;
                };
                let b = nine_box(p.kinerja(), Potensi::of(score, t));
                if let Some(list) = boxes.get_mut(&b.to_string()) {
                    list.push(BoxPerson {
                        nip: r.nip,
                        name: r.name,
                        unit_name: r.unit_name,
                        predikat: p.label().into(),
                        score,
                    });
                }
            }
            let map = Arc::new(NineBox {
                year,
                unit: unit.map(str::to_string).filter(|u| !u.is_empty()),
                boxes,
                without_predikat,
                without_score,
            });
            Ok(map)
        })
        .await
}

/// The recommendation of each box (docs/domain.md#talent-map), as a message key `talent.box{n}`; and where
/// the box sits in the 3×3 grid.
pub fn box_layout() -> [(u8, (usize, usize)); 9] {
    let mut out = [(0u8, (0usize, 0usize)); 9];
    for (i, b) in (1..=9u8).enumerate() {
        out[i] = (b, grid_position(b));
    }
    out
}

/// Marks or unmarks a key position (`admin`).
pub async fn set_key_position(
    db: &Db,
    actor: &Actor,
    position: i64,
    key: bool,
) -> ServiceResult<()> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    cakap_store::positions::by_id(&mut c, actor.tenant_id, position)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store::set_key_position(&mut c, actor.tenant_id, position, key, &actor.username).await?;
    let after = serde_json::json!({ "position": position, "key": key });
    c.record(
        "update",
        "key_position",
        &position.to_string(),
        None,
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyPosition {
    pub position_id: i64,
    pub name: String,
    pub unit: String,
    pub unit_name: String,
}

/// Key positions the actor may see.
pub async fn key_positions(db: &Db, actor: &Actor) -> ServiceResult<Vec<KeyPosition>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let mut c = db.conn().await?;
    Ok(store::key_positions_named(&mut c, actor.tenant_id)
        .await?
        .into_iter()
        .filter(|p| actor.sees_unit_path(&p.unit_path))
        .map(|p| KeyPosition {
            position_id: p.id,
            name: p.name,
            unit: p.unit_code,
            unit_name: p.unit_name,
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub position: Option<String>,
    /// 7, 8 or 9.
    #[serde(rename = "box")]
    pub nine_box: u8,
    /// JPM against the target position's standard.
    pub jpm: Option<f64>,
    /// Gaps against the target position's standard.
    pub gaps: Vec<GapItem>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Succession {
    pub position_id: i64,
    pub name: String,
    pub unit: String,
    pub key: bool,
    pub year: i64,
    /// Candidates from boxes 7–9 ranked by JPM against this position (highest first).
    pub candidates: Vec<Candidate>,
}

/// Ranked successors for a position: people in boxes 7–9 of the actor's scope (the holder
/// excluded), by their JPM against the position's standard, then box, then name.
pub async fn succession(
    db: &Db,
    actor: &Actor,
    position: i64,
    year: i64,
) -> ServiceResult<Arc<Succession>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let year = check_year(year)?;
    let key = (actor.unit_scope(), position, year);
    cache::of::<Successions>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            Ok(Arc::new(rank_successors(db, actor, position, year).await?))
        })
        .await
}

/// Ranked successors per (reader's scope, position, year), computed once per change: ranking
/// reads the gaps of everyone in boxes 7–9 against the position's standard.
struct Successions;

impl cache::Spec for Successions {
    type Key = (String, i64, i64);
    type Value = Arc<Succession>;
    // Each holds everyone in boxes 7–9 of its scope with their gaps: keep few.
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Standards,
        Topic::Competencies,
        Topic::Assessments,
        Topic::Performance,
    ];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 64;
    // An aggregate many read at once: while one reader fills it after a change, the
    // others are given the answer from before it (cache::Spec::STALE).
    const STALE: bool = true;
}

async fn rank_successors(
    db: &Db,
    actor: &Actor,
    position: i64,
    year: i64,
) -> ServiceResult<Succession> {
    let mut c = db.conn().await?;
    let p = cakap_store::positions::by_id(&mut c, actor.tenant_id, position)
        .await?
        .filter(|p| actor.sees_unit_path(&p.unit_path))
        .ok_or(ServiceError::NotFound)?;
    let key = store::key_positions(&mut c, actor.tenant_id)
        .await?
        .contains(&position);
    let t = thresholds(&mut c, actor.tenant_id).await?;
    let rows = store::talent(&mut c, actor.tenant_id, &actor.unit_scope(), year).await?;
    drop(c);
    let mut pool = Vec::new();
    for r in rows {
        if r.position_id == Some(position) {
            continue;
        }
        let predikat = r
            .predikat
            .as_deref()
            .and_then(|p| p.parse::<Predikat>().ok());
        let (Some(pr), Some(score)) = (predikat, r.score) else {
            continue;
        };
        let b = nine_box(pr.kinerja(), Potensi::of(score, t));
        if b >= 7 {
            pool.push((r, b));
        }
    }
    let people: Vec<(i64, String)> = pool
        .iter()
        .map(|(r, _)| (r.employee_id, r.nip.clone()))
        .collect();
    let mut gaps = crate::gaps::against_position(db, actor.tenant_id, position, &people).await?;
    let mut candidates: Vec<Candidate> = pool
        .into_iter()
        .map(|(r, b)| {
            let g = gaps.remove(&r.employee_id);
            Candidate {
                nip: r.nip,
                name: r.name,
                unit_name: r.unit_name,
                position: r.position,
                nine_box: b,
                jpm: g.as_ref().and_then(|g| g.jpm),
                gaps: g.map(|g| g.gaps).unwrap_or_default(),
            }
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.jpm
            .unwrap_or(-1.0)
            .total_cmp(&a.jpm.unwrap_or(-1.0))
            .then(b.nine_box.cmp(&a.nine_box))
            .then(a.name.cmp(&b.name))
    });
    Ok(Succession {
        position_id: p.id,
        name: p.name,
        unit: p.unit_code,
        key,
        year,
        candidates,
    })
}
