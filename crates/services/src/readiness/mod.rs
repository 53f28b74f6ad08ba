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
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

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

// ---- availability ----

/// `PUT /api/v1/employees/{nip}/availability`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct AvailabilityInput {
    pub available: bool,
    /// Away through this date (inclusive); null = until changed.
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Availability {
    pub nip: String,
    /// Available today.
    pub available: bool,
    pub until: Option<String>,
    pub reason: String,
    pub phone: Option<String>,
}

/// An ASN marks themself away or back; their head (`pimpinan` of their unit) or BKPSDM may
/// too. Anyone else's NIP is "not found".
pub async fn set_availability(
    db: &Db,
    actor: &Actor,
    nip: &str,
    input: &AvailabilityInput,
) -> ServiceResult<Availability> {
    let mut c = Change::begin(db, actor).await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    if !(actor.is_self(e.id, &e.nip) || matches!(actor.role, Role::Admin | Role::Pimpinan)) {
        return Err(ServiceError::Forbidden);
    }
    let reason = validate::optional_text("reason", Some(&input.reason), 200)?.unwrap_or_default();
    let today = crate::wib::today();
    let until = match input
        .until
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(u) if !input.available => {
            let d = validate::parse_date("until", u)?;
            if d < today {
                return Err(ServiceError::invalid("until", "readiness_error.until_past"));
            }
            Some(d.format("%Y-%m-%d").to_string())
        }
        _ => None,
    };
    if !input.available && reason.is_empty() {
        return Err(ServiceError::invalid("reason", "readiness_error.reason"));
    }
    let before = store::availability(&mut c, actor.tenant_id, e.id).await?;
    let out = Availability {
        nip: e.nip.clone(),
        available: input.available,
        until: until.clone(),
        reason: reason.clone(),
        phone: e.phone.clone(),
    };
    // Saying the same again writes nothing and keeps every cache (or anyone could empty the
    // tenant's readiness board at will).
    let same = match &before {
        Some(b) => b.available == input.available && b.until == until && b.reason == reason,
        None => input.available,
    };
    if same {
        return Ok(out);
    }
    store::set_availability(
        &mut c,
        actor.tenant_id,
        e.id,
        input.available,
        until.as_deref(),
        &reason,
        &actor.username,
    )
    .await?;
    c.record(
        "update",
        "availability",
        &e.nip,
        before
            .map(|b| serde_json::json!({"available": b.available, "until": b.until, "reason": b.reason}))
            .as_ref(),
        Some(&serde_json::json!({"available": out.available, "until": out.until, "reason": out.reason})),
    )
    .await?;
    c.finish(&[Topic::Readiness]).await?;
    Ok(out)
}

/// Someone's availability today.
pub async fn availability(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Availability> {
    let mut c = db.conn().await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    let today = crate::wib::today().format("%Y-%m-%d").to_string();
    let a = store::availability(&mut c, actor.tenant_id, e.id).await?;
    let away = a
        .as_ref()
        .is_some_and(|a| !a.available && a.until.as_deref().is_none_or(|u| u >= today.as_str()));
    Ok(Availability {
        nip: e.nip,
        available: !away,
        until: a.as_ref().filter(|_| away).and_then(|a| a.until.clone()),
        reason: a.filter(|_| away).map(|a| a.reason).unwrap_or_default(),
        phone: e.phone,
    })
}

/// Who is away today, under the actor's scope.
pub async fn away(db: &Db, actor: &Actor) -> ServiceResult<Vec<store::AwayRow>> {
    actor.require_any(READERS)?;
    let mut c = db.conn().await?;
    let today = crate::wib::today().format("%Y-%m-%d").to_string();
    Ok(store::away(&mut c, actor.tenant_id, &actor.unit_scope(), &today).await?)
}

// ---- certifications ----

/// How far ahead expiring certifications are listed.
pub const EXPIRY_WINDOW_DAYS: u64 = 60;
/// Reminder stages: days before expiry.
pub const REMINDER_STAGES: [u64; 2] = [60, 14];

/// A crisis certification that expires soon.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Certification {
    pub nip: String,
    pub name: String,
    pub unit: String,
    pub competency: String,
    pub competency_name: String,
    pub level: i64,
    pub valid_until: String,
}

/// Crisis certifications expiring within 60 days, under the actor's scope, soonest first
/// (at most `limit`).
pub async fn expiring(db: &Db, actor: &Actor, limit: i64) -> ServiceResult<Vec<Certification>> {
    actor.require_any(READERS)?;
    let today = crate::wib::today();
    let mut c = db.conn().await?;
    Ok(store::expiring(
        &mut c,
        actor.tenant_id,
        &actor.unit_scope(),
        &ymd(today),
        &ymd(today + chrono::Days::new(EXPIRY_WINDOW_DAYS)),
        limit,
    )
    .await?
    .into_iter()
    .map(|r| Certification {
        nip: r.nip,
        name: r.name,
        unit: r.unit_name,
        competency: r.competency_code,
        competency_name: r.competency_name,
        level: r.level,
        valid_until: r.valid_until,
    })
    .collect())
}

pub(crate) fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The job kind of the daily readiness work (tenant 0: every tenant).
pub const DAILY_JOB: &str = "readiness_daily";
const DAILY_HOUR: u32 = 6;

/// The daily work, for every tenant with a target table: reminds holders of certifications
/// entering a reminder stage (once per stage) and stores this month's readiness snapshot.
/// Each tenant is its own transaction, its readiness computed before it starts writing; the
/// job runner calls this before opening the job's own transaction (which only reschedules
/// and finishes the job), so no write lock is held twice. A run cut short is simply run
/// again: reminders are claimed once, snapshots overwritten.
pub(crate) async fn run_daily(db: &Db, run_at: i64, email: bool) -> ServiceResult<()> {
    let today = crate::wib::of(run_at).date_naive();
    let tenants = {
        let mut r = db.conn().await?;
        store::tenants_with_targets(&mut r).await?
    };
    for tenant in tenants {
        let board = Inputs::load(db, tenant, today, true, &[]).await?.board();
        let mut w = db.begin().await?;
        remind_expiring(&mut w, tenant, today, email).await?;
        store_snapshot(&mut w, tenant, &today.format("%Y-%m").to_string(), &board).await?;
        w.commit().await?;
    }
    Ok(())
}

async fn remind_expiring(
    c: &mut cakap_store::Conn,
    tenant: i64,
    today: NaiveDate,
    email: bool,
) -> ServiceResult<()> {
    for stage in REMINDER_STAGES {
        let rows = store::expiring(
            c,
            tenant,
            "",
            &ymd(today),
            &ymd(today + chrono::Days::new(stage)),
            10_000,
        )
        .await?;
        for r in store::claim_reminders(c, tenant, &rows, stage as i64).await? {
            cakap_store::notifications::insert_for_employees(
                c,
                tenant,
                &[r.employee_id],
                &cakap_store::notifications::NewNotification {
                    kind: "cert_expiry",
                    title: &format!(
                        "{} {} (level {})",
                        r.competency_code, r.competency_name, r.level
                    ),
                    body: &format!("until:{}", r.valid_until),
                    link: "/kesiapsiagaan/saya",
                },
                email,
            )
            .await?;
        }
    }
    Ok(())
}

pub(crate) async fn store_snapshot(
    c: &mut cakap_store::Conn,
    tenant: i64,
    month: &str,
    board: &Board,
) -> ServiceResult<()> {
    for h in &board.hazards {
        for k in &h.kecamatan {
            if let Some(r) = k.readiness {
                store::put_snapshot(c, tenant, month, &h.hazard, &k.code, r).await?;
            }
        }
    }
    Ok(())
}

/// Schedules the next daily run after `after`, at 06:00 WIB, once whatever server asks.
pub async fn schedule_daily(c: &mut cakap_store::Conn, after: i64) -> ServiceResult<()> {
    let day = crate::wib::of(after).date_naive();
    let mut at = crate::wib::at(day, DAILY_HOUR);
    if at <= after {
        at = crate::wib::at(day.succ_opt().unwrap_or(day), DAILY_HOUR);
    }
    cakap_store::notifications::schedule(c, 0, DAILY_JOB, 0, at).await?;
    Ok(())
}

/// Readiness of one hazard month by month (the last 12 months), per kecamatan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Trend {
    pub months: Vec<String>,
    /// (kecamatan code, name, readiness per month — null where none was stored).
    pub kecamatan: Vec<(String, String, Vec<Option<f64>>)>,
}

pub async fn trend(db: &Db, actor: &Actor, hazard: &str) -> ServiceResult<Trend> {
    actor.require_any(READERS)?;
    let hazard = parse_hazard(hazard)?;
    let today = crate::wib::today();
    let months: Vec<String> = (0..12)
        .rev()
        .filter_map(|back| today.checked_sub_months(chrono::Months::new(back)))
        .map(|d| d.format("%Y-%m").to_string())
        .collect();
    let mut c = db.conn().await?;
    let rows = store::snapshots(&mut c, actor.tenant_id, hazard.as_str(), &months[0]).await?;
    let kecamatan = ACEH_BARAT_DAYA
        .iter()
        .filter(|k| hazard.exposes(k.code))
        .map(|k| {
            let series = months
                .iter()
                .map(|m| {
                    rows.iter()
                        .find(|r| &r.month == m && r.kecamatan == k.code)
                        .map(|r| r.readiness)
                })
                .collect();
            (k.code.to_string(), k.name.to_string(), series)
        })
        .collect();
    Ok(Trend { months, kecamatan })
}

/// Stores snapshots for the months before this one, each as of its last day (the demo, and
/// an operator after first setting targets): who was away then is not known, so everyone
/// counts as available.
pub async fn backfill(db: &Db, tenant: i64, months: u32) -> ServiceResult<()> {
    let today = crate::wib::today();
    let first = today.with_day0(0).unwrap_or(today);
    let mut c = db.begin().await?;
    for back in 1..=months {
        let Some(start) = first.checked_sub_months(chrono::Months::new(back)) else {
            continue;
        };
        let end = start
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start);
        let inputs = Inputs::load(db, tenant, end, false, &[]).await?;
        store_snapshot(
            &mut c,
            tenant,
            &start.format("%Y-%m").to_string(),
            &inputs.board(),
        )
        .await?;
    }
    let inputs = Inputs::load(db, tenant, today, true, &[]).await?;
    store_snapshot(
        &mut c,
        tenant,
        &today.format("%Y-%m").to_string(),
        &inputs.board(),
    )
    .await?;
    c.commit().await?;
    Ok(())
}
