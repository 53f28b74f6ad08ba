//! Crisis readiness (docs/domain.md#readiness): the tenant's target table per hazard, who is
//! available, readiness per kecamatan and hazard with what is missing (computed once per
//! change and cached), monthly snapshots for the trend, and expiring certifications.
//! Teams and call-outs are in [`teams`], drills in [`drills`].

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use cakap_domain::crisis::{self, Candidate, CommandRole, Hazard, Need};
use cakap_domain::kecamatan::{ACEH_BARAT_DAYA, Kecamatan};
use cakap_domain::{Level, Role};
use cakap_store::readiness as store;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

pub mod drills;
pub mod teams;

/// Who may read readiness: it is the regency's picture, not anyone's record.
pub(crate) const READERS: &[Role] = &[Role::Admin, Role::Auditor, Role::Pimpinan];

/// Most lines a target table may have, and a kecamatan's table for one hazard (placing
/// people grows with the square of the lines: the cap keeps a recomputation in milliseconds).
const MAX_TARGETS: usize = 1_000;
const MAX_LINES_PER_TABLE: usize = 50;

/// One line of the target table (`GET|PUT /api/v1/readiness/targets`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Target {
    /// `banjir`, `longsor`, `banjir_bandang`, `gempa`, `tsunami`.
    pub hazard: String,
    /// A command role or operations section (`logistik`, `sar`, …).
    pub role: String,
    /// Competency code.
    pub competency: String,
    pub level: i64,
    pub count: i64,
    /// A kecamatan code: the line belongs to that kecamatan's own table, which replaces the
    /// hazard's default lines there. Absent or null: the default for every exposed kecamatan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kecamatan: Option<String>,
}

/// The target table.
pub async fn targets(db: &Db, actor: &Actor) -> ServiceResult<Vec<Target>> {
    actor.require_any(READERS)?;
    let mut c = db.conn().await?;
    Ok(store::targets(&mut c, actor.tenant_id)
        .await?
        .into_iter()
        .map(|t| Target {
            hazard: t.hazard,
            role: t.role,
            competency: t.competency_code,
            level: t.level,
            count: t.count,
            kecamatan: (!t.kecamatan.is_empty()).then_some(t.kecamatan),
        })
        .collect())
}

/// Replaces the target table (`admin`); every line is checked, and one bad line changes
/// nothing.
pub async fn set_targets(db: &Db, actor: &Actor, lines: &[Target]) -> ServiceResult<Vec<Target>> {
    actor.require_admin()?;
    if lines.len() > MAX_TARGETS {
        return Err(ServiceError::invalid("targets", "readiness_error.too_many"));
    }
    let before = targets(db, actor).await?;
    let mut c = Change::begin(db, actor).await?;
    let mut rows = Vec::with_capacity(lines.len());
    let mut comps: HashMap<String, i64> = HashMap::new();
    for t in lines {
        let hazard = parse_hazard(&t.hazard)?;
        let role = parse_role(&t.role)?;
        let kecamatan = match t.kecamatan.as_deref().map(str::trim) {
            None | Some("") => String::new(),
            Some(k) => {
                let k = Kecamatan::find(k).ok_or_else(|| {
                    ServiceError::invalid("kecamatan", "readiness_error.kecamatan")
                })?;
                if !hazard.exposes(k.code) {
                    return Err(ServiceError::invalid(
                        "kecamatan",
                        "readiness_error.not_exposed",
                    ));
                }
                k.code.to_string()
            }
        };
        Level::new(t.level).map_err(|_| ServiceError::invalid("level", "readiness_error.level"))?;
        if !(1..=500).contains(&t.count) {
            return Err(ServiceError::invalid("count", "readiness_error.count"));
        }
        let code = t.competency.trim();
        let id = match comps.get(code) {
            Some(id) => *id,
            None => {
                let id = cakap_store::competencies::by_code(&mut c, actor.tenant_id, code)
                    .await?
                    .ok_or_else(|| {
                        ServiceError::invalid("competency", "readiness_error.competency")
                    })?
                    .id;
                comps.insert(code.to_string(), id);
                id
            }
        };
        rows.push((hazard, kecamatan, role, id, t.level, t.count));
    }
    let mut per_table: HashMap<(Hazard, &str), usize> = HashMap::new();
    for (h, k, ..) in &rows {
        let n = per_table.entry((*h, k.as_str())).or_default();
        *n += 1;
        if *n > MAX_LINES_PER_TABLE {
            return Err(ServiceError::invalid("targets", "readiness_error.too_many"));
        }
    }
    let new: Vec<store::NewTarget<'_>> = rows
        .iter()
        .map(|(h, k, r, id, level, count)| store::NewTarget {
            hazard: h.as_str(),
            kecamatan: k,
            role: r.as_str(),
            competency_id: *id,
            level: *level,
            count: *count,
        })
        .collect();
    store::replace_targets(&mut c, actor.tenant_id, &new).await?;
    let after: Vec<Target> = lines
        .iter()
        .zip(&rows)
        .map(|(t, (h, k, r, _, level, count))| Target {
            hazard: h.as_str().into(),
            role: r.as_str().into(),
            competency: t.competency.trim().into(),
            level: *level,
            count: *count,
            kecamatan: (!k.is_empty()).then(|| k.clone()),
        })
        .collect();
    c.record(
        "update",
        "readiness_targets",
        "targets",
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Readiness]).await?;
    Ok(after)
}

pub fn parse_hazard(s: &str) -> ServiceResult<Hazard> {
    s.parse()
        .map_err(|()| ServiceError::invalid("hazard", "readiness_error.hazard"))
}

pub fn parse_role(s: &str) -> ServiceResult<CommandRole> {
    s.parse()
        .map_err(|()| ServiceError::invalid("role", "readiness_error.role"))
}

/// What a kecamatan lacks for one line of its table.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Missing {
    pub role: String,
    pub competency: String,
    #[serde(skip)]
    pub competency_name: String,
    /// People still needed.
    pub short: i64,
}

/// Readiness of one kecamatan for one hazard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KecamatanReadiness {
    pub code: String,
    pub name: String,
    /// 0–100, 1 decimal; null when the table asks nothing of it.
    pub readiness: Option<f64>,
    /// Available people working there who meet at least one line of its table.
    pub holders: i64,
    pub missing: Vec<Missing>,
    /// Of the holders, those without a phone number (they cannot be put on a roster).
    #[serde(skip)]
    pub no_phone: i64,
}

/// `GET /api/v1/readiness?hazard=`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HazardReadiness {
    pub hazard: String,
    /// The exposed kecamatan, in code order.
    pub kecamatan: Vec<KecamatanReadiness>,
}

/// Everything the readiness pages read, computed once per change.
#[derive(Debug, Clone)]
pub struct Board {
    pub hazards: Vec<HazardReadiness>,
    /// Per hazard: the lines of each exposed kecamatan's table (needs, with competency codes).
    pub tables: HashMap<(Hazard, String), Vec<(Need, String)>>,
}

struct Boards;

impl cache::Spec for Boards {
    type Key = ();
    type Value = Arc<Board>;
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Competencies,
        Topic::Assessments,
        Topic::Readiness,
    ];
    const TTL: Duration = Duration::from_secs(300);
    const MAX: usize = 64;
}

/// Readiness for one hazard.
pub async fn of_hazard(db: &Db, actor: &Actor, hazard: &str) -> ServiceResult<HazardReadiness> {
    actor.require_any(READERS)?;
    let hazard = parse_hazard(hazard)?;
    let b = board(db, actor.tenant_id).await?;
    b.hazards
        .iter()
        .find(|h| h.hazard == hazard.as_str())
        .cloned()
        .ok_or(ServiceError::NotFound)
}

/// The board computed afresh (what fills the cache; the benchmark measures it).
pub async fn board_uncached(db: &Db, tenant: i64) -> ServiceResult<Board> {
    let inputs = Inputs::load(db, tenant, crate::wib::today(), true, &[]).await?;
    Ok(inputs.board())
}

/// The tenant's board, from memory when fresh.
pub async fn board(db: &Db, tenant: i64) -> ServiceResult<Arc<Board>> {
    cache::of::<Boards>(db)
        .get_or_fill(tenant, &(), || async {
            Ok(Arc::new(board_uncached(db, tenant).await?))
        })
        .await
}

/// What readiness is computed from, read at once.
pub(crate) struct Inputs {
    targets: Vec<store::TargetRow>,
    /// Available active people: (employee, kecamatan code, has phone).
    people: Vec<(i64, Option<String>, bool)>,
    /// Effective level per (employee, competency), of the competencies the targets name.
    levels: HashMap<i64, Vec<(i64, u8)>>,
}

impl Inputs {
    /// As of `day`; `availability` false ignores who is away (a past month's snapshot: who
    /// was away then is not kept).
    pub(crate) async fn load(
        db: &Db,
        tenant: i64,
        day: NaiveDate,
        availability: bool,
        extra: &[i64],
    ) -> ServiceResult<Inputs> {
        let tree = crate::units::tree(db, tenant).await?;
        let kec = crate::units::kecamatan_by_path(&tree);
        let mut c = db.conn().await?;
        let day_s = day.format("%Y-%m-%d").to_string();
        let targets = store::targets(&mut c, tenant).await?;
        let comps: Vec<i64> = targets
            .iter()
            .map(|t| t.competency_id)
            .chain(extra.iter().copied())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let rows =
            cakap_store::assessments::counting_in_competencies(&mut c, tenant, &comps, &day_s)
                .await?;
        let mut levels: HashMap<i64, Vec<(i64, u8)>> = HashMap::new();
        for ((e, k), l) in crate::gaps::effective_levels(&rows) {
            levels
                .entry(e)
                .or_default()
                .push((k, u8::try_from(l).unwrap_or(0)));
        }
        let people = store::people(&mut c, tenant, &day_s)
            .await?
            .into_iter()
            .filter(|p| !(availability && p.away))
            .map(|p| {
                let k = kec.get(p.unit_path.as_str()).copied().flatten();
                let phone = p.phone.as_deref().is_some_and(|s| !s.trim().is_empty());
                (p.id, k.map(str::to_string), phone)
            })
            .collect();
        Ok(Inputs {
            targets,
            people,
            levels,
        })
    }

    /// The lines of a kecamatan's table for a hazard: its own when it has some, else the
    /// hazard's defaults.
    fn table(&self, hazard: Hazard, kecamatan: &str) -> Vec<&store::TargetRow> {
        let of = |k: &str| -> Vec<&store::TargetRow> {
            self.targets
                .iter()
                .filter(|t| t.hazard == hazard.as_str() && t.kecamatan == k)
                .collect()
        };
        let own = of(kecamatan);
        if own.is_empty() { of("") } else { own }
    }

    pub(crate) fn board(&self) -> Board {
        let mut by_kec: HashMap<&str, Vec<(i64, bool)>> = HashMap::new();
        for (e, k, phone) in &self.people {
            if let Some(k) = k {
                by_kec.entry(k.as_str()).or_default().push((*e, *phone));
            }
        }
        let mut hazards = Vec::new();
        let mut tables = HashMap::new();
        for hazard in Hazard::ALL {
            let mut out = Vec::new();
            for k in ACEH_BARAT_DAYA.iter().filter(|k| hazard.exposes(k.code)) {
                // Lines whose role no longer parses are left out, with their row.
                let table: Vec<(Need, &store::TargetRow)> = self
                    .table(*hazard, k.code)
                    .into_iter()
                    .filter_map(|t| need(t).map(|n| (n, t)))
                    .collect();
                let needs: Vec<Need> = table.iter().map(|(n, _)| *n).collect();
                let here = by_kec.get(k.code).map_or(&[][..], Vec::as_slice);
                let cands: Vec<Candidate> = here
                    .iter()
                    .map(|(e, _)| Candidate {
                        employee: *e,
                        distance: 0,
                        levels: self.levels.get(e).cloned().unwrap_or_default(),
                    })
                    .filter(|c| needs.iter().any(|n| c.level(n.competency) >= n.level))
                    .collect();
                let phones: HashMap<i64, bool> = here.iter().copied().collect();
                let placement = crisis::place(&needs, &cands);
                let missing = table
                    .iter()
                    .zip(placement.short(&needs))
                    .filter(|(_, short)| *short > 0)
                    .map(|((n, t), short)| Missing {
                        role: n.role.as_str().into(),
                        competency: t.competency_code.clone(),
                        competency_name: t.competency_name.clone(),
                        short: i64::from(short),
                    })
                    .collect();
                out.push(KecamatanReadiness {
                    code: k.code.into(),
                    name: k.name.into(),
                    readiness: crisis::readiness(&needs, &placement),
                    holders: cands.len() as i64,
                    missing,
                    no_phone: cands
                        .iter()
                        .filter(|c| !phones.get(&c.employee).copied().unwrap_or(false))
                        .count() as i64,
                });
                tables.insert(
                    (*hazard, k.code.to_string()),
                    table
                        .iter()
                        .map(|(n, t)| (*n, t.competency_code.clone()))
                        .collect(),
                );
            }
            hazards.push(HazardReadiness {
                hazard: hazard.as_str().into(),
                kecamatan: out,
            });
        }
        Board { hazards, tables }
    }
}

fn need(t: &store::TargetRow) -> Option<Need> {
    Some(Need {
        role: t.role.parse().ok()?,
        competency: t.competency_id,
        level: u8::try_from(t.level).ok()?,
        count: u32::try_from(t.count).ok()?,
    })
}

mod availability;
mod history;
mod overview;

pub(crate) use availability::availability_of;
pub use availability::{Availability, AvailabilityInput, availability, away, set_availability};
pub(crate) use history::run_daily;
pub use history::{
    Certification, DAILY_JOB, EXPIRY_WINDOW_DAYS, REMINDER_STAGES, Trend, backfill, expiring,
    schedule_daily, trend,
};
pub use overview::{Overview, overview};
