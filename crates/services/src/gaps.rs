//! The gap engine: required versus effective levels, per employee and per unit subtree, with
//! the Job-Person Match and its categories (docs/domain.md#gap-jpm). Reads three sets (placements,
//! standards, counting assessments) and computes in memory: no query per person.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use cakap_domain::Role;
use cakap_domain::competency::{
    self, Assessment as DomainAssessment, Level, Method, Pemetaan, Requirement, Seleksi,
};
use cakap_store::{assessments, employees, requirements};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GapItem {
    pub competency: String,
    pub name: String,
    pub kind: String,
    pub required: i64,
    /// The effective level; 0 when not assessed.
    pub actual: i64,
    pub gap: i64,
    /// False: "belum diases" — no counting assessment yet.
    pub assessed: bool,
    /// The latest self-assessment, shown beside (never counted).
    pub self_level: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployeeGaps {
    pub nip: String,
    /// Σ actual ÷ Σ required × 100, capped at 100, 2 decimals; null without a standard.
    pub jpm: Option<f64>,
    /// Pemetaan: `Optimal`, `Cukup Optimal`, `Kurang Optimal`.
    pub category: Option<String>,
    /// Seleksi/promosi: `Memenuhi Syarat`, `Masih Memenuhi Syarat`, `Kurang Memenuhi Syarat`.
    pub selection_category: Option<String>,
    pub gaps: Vec<GapItem>,
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn to_domain(level: i64, method: &str, on: &str, until: Option<&str>) -> Option<DomainAssessment> {
    Some(DomainAssessment {
        level: Level::new(level).ok()?,
        method: method.parse::<Method>().ok()?,
        assessed_on: NaiveDate::parse_from_str(on, "%Y-%m-%d").ok()?,
        valid_until: until.and_then(|u| NaiveDate::parse_from_str(u, "%Y-%m-%d").ok()),
    })
}

pub async fn employee(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<EmployeeGaps> {
    let mut c = db.conn().await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    let history = assessments::of_employee(&mut c, actor.tenant_id, e.id).await?;
    of_row(&mut c, actor.tenant_id, &e, &history).await
}

/// The gaps of an employee already found visible, from their assessment `history` (read once
/// by a caller that shows it too: [`crate::employees::profile`]).
pub(crate) async fn of_row(
    c: &mut cakap_store::Conn,
    tenant: i64,
    e: &cakap_store::employees::EmployeeRow,
    history: &[assessments::AssessmentRow],
) -> ServiceResult<EmployeeGaps> {
    let reqs = match e.position_id {
        Some(p) => requirements::of_position(c, tenant, p).await?,
        None => Vec::new(),
    };
    Ok(against(e.nip.clone(), &reqs, history, today()))
}

/// One person's gaps against a standard (`reqs`), from their whole assessment `history`.
pub(crate) fn against(
    nip: String,
    reqs: &[requirements::RequirementRow],
    history: &[assessments::AssessmentRow],
    today: NaiveDate,
) -> EmployeeGaps {
    let mut items = Vec::with_capacity(reqs.len());
    let mut domain_reqs = Vec::with_capacity(reqs.len());
    for r in reqs {
        let mine: Vec<DomainAssessment> = history
            .iter()
            .filter(|a| a.competency_id == r.competency_id)
            .filter_map(|a| to_domain(a.level, &a.method, &a.assessed_on, a.valid_until.as_deref()))
            .collect();
        let actual = competency::effective_level(&mine, today);
        let self_level = history
            .iter()
            .filter(|a| a.competency_id == r.competency_id && a.method == "self")
            .map(|a| a.level)
            .next();
        let Ok(required) = Level::new(r.level) else {
            continue;
        };
        let req = Requirement { required, actual };
        domain_reqs.push(req);
        items.push(GapItem {
            competency: r.code.clone(),
            name: r.name.clone(),
            kind: r.kind.clone(),
            required: r.level,
            actual: actual.map_or(0, |l| i64::from(l.get())),
            gap: i64::from(req.gap()),
            assessed: actual.is_some(),
            self_level,
        });
    }
    let jpm = competency::jpm(&domain_reqs);
    EmployeeGaps {
        nip,
        jpm,
        category: jpm.map(|j| Pemetaan::of(j).label().to_string()),
        selection_category: jpm.map(|j| Seleksi::of(j).label().to_string()),
        gaps: items,
    }
}

/// Several people's gaps against the standard of `position` (succession: a candidate against
/// the position they might fill), in two queries whatever their number.
pub async fn against_position(
    db: &Db,
    tenant: i64,
    position: i64,
    people: &[(i64, String)],
) -> ServiceResult<HashMap<i64, EmployeeGaps>> {
    let mut c = db.conn().await?;
    let reqs = requirements::of_position(&mut c, tenant, position).await?;
    let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
    let mut history: HashMap<i64, Vec<assessments::AssessmentRow>> = HashMap::new();
    for row in assessments::of_employees(&mut c, tenant, &ids).await? {
        history.entry(row.employee_id).or_default().push(row);
    }
    let today = today();
    Ok(people
        .iter()
        .map(|(id, nip)| {
            let h = history.get(id).map_or(&[][..], Vec::as_slice);
            (*id, against(nip.clone(), &reqs, h, today))
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetencyGap {
    pub competency: String,
    pub name: String,
    pub avg_required: f64,
    pub avg_actual: f64,
    pub avg_gap: f64,
    /// People whose position requires it and who have no counting assessment.
    pub not_assessed: i64,
    /// People whose position requires it.
    pub required_by: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubUnitGaps {
    pub unit: String,
    pub name: String,
    pub employees: i64,
    pub jpm_avg: Option<f64>,
    /// Average gap per competency code (heat map cells).
    pub avg_gap: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitGaps {
    /// Unit code; null for the whole tenant.
    pub unit: Option<String>,
    pub employees: i64,
    /// Average JPM of the employees whose position has a standard.
    pub jpm_avg: Option<f64>,
    /// Employees per pemetaan category (all three keys always present).
    pub categories: BTreeMap<String, i64>,
    pub competencies: Vec<CompetencyGap>,
    /// The same per unit one level down, for the heat map.
    pub sub_units: Vec<SubUnitGaps>,
    /// Every person in the scope, for the lists on the pages (not in the API answer).
    #[serde(skip)]
    pub people: Vec<PersonGap>,
}

/// One person's standing, for "who lacks what" lists.
///
/// A cached result holds one per person of its scope (5,000 for the demo's regency, per scope
/// and day asked), so what thousands share (the unit's name, kecamatan, golongan and kind of
/// position) is one string shared among them, not a copy each.
#[derive(Debug, Clone)]
pub struct PersonGap {
    pub id: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: Arc<str>,
    pub jpm: Option<f64>,
    /// Required competencies without a counting assessment.
    pub not_assessed: i64,
    /// Kecamatan code of the unit (or of its nearest ancestor that has one).
    pub kecamatan: Option<Arc<str>>,
    pub golongan: Option<Arc<str>>,
    pub position_kind: Option<Arc<str>>,
}

#[derive(Default)]
struct Acc {
    required: i64,
    actual: i64,
    gap: i64,
    n: i64,
    not_assessed: i64,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Results per (scope and unit asked for, day), kept a minute: the competence and unit pages
/// read the whole subtree's assessments against the standards of everyone in it.
struct Results;

impl cache::Spec for Results {
    type Key = (String, String);
    type Value = Arc<UnitGaps>;
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Standards,
        Topic::Competencies,
        Topic::Assessments,
    ];
    const TTL: Duration = Duration::from_secs(60);
    const MAX: usize = 256;
}

/// Gaps of a unit subtree (`code`), or of everything the actor may see (`None`): `admin`,
/// `auditor`, and a `pimpinan` within their subtree.
pub async fn unit(db: &Db, actor: &Actor, code: Option<&str>) -> ServiceResult<Arc<UnitGaps>> {
    unit_on(db, actor, code, today()).await
}

/// [`unit`] with the assessments that counted on `day` (today's people and standards: the
/// leadership view's JPM trend asks for 31 December of past years).
pub async fn unit_on(
    db: &Db,
    actor: &Actor,
    code: Option<&str>,
    day: chrono::NaiveDate,
) -> ServiceResult<Arc<UnitGaps>> {
    let (scope, key) = scope_and_key(db, actor, code, day).await?;
    let tenant = actor.tenant_id;
    cache::of::<Results>(db)
        .get_or_fill(tenant, &key, || async {
            Ok(Arc::new(
                read_and_compute(db, tenant, &scope, code, &key.1).await?,
            ))
        })
        .await
}

/// Who may read a unit's gaps, the subtree they read, and its cache key: (scope and unit
/// asked for, day).
async fn scope_and_key(
    db: &Db,
    actor: &Actor,
    code: Option<&str>,
    day: chrono::NaiveDate,
) -> ServiceResult<(String, (String, String))> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let scope = crate::units::scope(db, actor, code).await?;
    let key = (
        format!("{scope}\u{0}{}", code.unwrap_or("")),
        day.format("%Y-%m-%d").to_string(),
    );
    Ok((scope, key))
}

/// The average JPM alone of [`unit_on`], for a trend over past years: each year's whole
/// result (everyone in the scope, every competency) is read for one number, so only that
/// number is kept.
pub async fn jpm_on(
    db: &Db,
    actor: &Actor,
    code: Option<&str>,
    day: chrono::NaiveDate,
) -> ServiceResult<Option<f64>> {
    let (scope, key) = scope_and_key(db, actor, code, day).await?;
    let tenant = actor.tenant_id;
    cache::of::<Averages>(db)
        .get_or_fill(tenant, &key, || async {
            Ok(read_and_compute(db, tenant, &scope, code, &key.1)
                .await?
                .jpm_avg)
        })
        .await
}

/// [`jpm_on`]'s averages per (scope and unit asked for, day): a number each, kept as long as
/// the pages that show them.
struct Averages;

impl cache::Spec for Averages {
    type Key = (String, String);
    type Value = Option<f64>;
    const TOPICS: &'static [Topic] = <Results as cache::Spec>::TOPICS;
    const TTL: Duration = Duration::from_secs(300);
    const MAX: usize = 1_024;
}

/// The gap engine without its cache: reads the subtree `scope` and computes its gaps on
/// `day` (YYYY-MM-DD). The stored standings are refreshed from this, never from a cached
/// answer that a change may be about to clear.
pub(crate) async fn read_and_compute(
    db: &Db,
    tenant: i64,
    scope: &str,
    code: Option<&str>,
    day: &str,
) -> ServiceResult<UnitGaps> {
    let started = std::time::Instant::now();
    // Three independent reads, each on its own connection: they run side by side.
    let (people, standards, rows) = tokio::try_join!(
        async {
            let mut c = db.conn().await?;
            Ok::<_, ServiceError>(employees::placements(&mut c, tenant, scope).await?)
        },
        async {
            let mut c = db.conn().await?;
            Ok::<_, ServiceError>(requirements::in_scope(&mut c, tenant, scope).await?)
        },
        async {
            let mut c = db.conn().await?;
            let rows = assessments::counting_in_scope(&mut c, tenant, scope, None, day);
            Ok::<_, ServiceError>(rows.await?)
        },
    )?;
    let read = started.elapsed();
    let tree = crate::units::tree(db, tenant).await?;
    let gaps = compute(code, &tree, scope, &people, &standards, &rows);
    tracing::debug!(tenant, rows = rows.len(), ?read, total = ?started.elapsed(), "gap engine");
    Ok(gaps)
}

/// Effective level per (employee, competency) by the domain's rule
/// ([`competency::precedence`], docs/domain.md#effective-level). The rows hold only results
/// that count on the day (the store filters by [`cakap_domain::Method::counts`] and dates).
pub(crate) fn effective_levels(rows: &[assessments::LevelRow]) -> HashMap<(i64, i64), i64> {
    let small = |x: i64| u8::try_from(x).unwrap_or(0);
    let mut best: HashMap<(i64, i64), (i64, u8, u8)> = HashMap::with_capacity(rows.len());
    for r in rows {
        let key = competency::precedence(r.day, small(r.authority), small(r.level));
        best.entry((r.employee_id, r.competency_id))
            .and_modify(|b| {
                if key > *b {
                    *b = key;
                }
            })
            .or_insert(key);
    }
    best.into_iter().map(|(k, v)| (k, i64::from(v.2))).collect()
}

/// The pure part of [`unit`], separate so it can be measured alone.
pub fn compute(
    code: Option<&str>,
    tree: &[cakap_store::units::UnitRow],
    scope: &str,
    people: &[employees::Placement],
    standards: &[requirements::RequirementRow],
    rows: &[assessments::LevelRow],
) -> UnitGaps {
    let best = effective_levels(rows);
    let mut by_position: HashMap<i64, Vec<&requirements::RequirementRow>> = HashMap::new();
    for s in standards {
        by_position.entry(s.position_id).or_default().push(s);
    }
    let names: HashMap<String, (&str, &str)> = tree
        .iter()
        .map(|u| (u.id.to_string(), (u.code.as_str(), u.name.as_str())))
        .collect();
    let kecamatan = crate::units::kecamatan_by_path(tree);
    let mut shared: HashMap<String, Arc<str>> = HashMap::new();
    let mut share = |s: &str| -> Arc<str> {
        if let Some(one) = shared.get(s) {
            return Arc::clone(one);
        }
        let one: Arc<str> = Arc::from(s);
        shared.insert(s.to_string(), Arc::clone(&one));
        one
    };
    let mut person = |p: &employees::Placement, jpm: Option<f64>, not_assessed: i64| PersonGap {
        id: p.id,
        nip: p.nip.clone(),
        name: p.name.clone(),
        unit_name: share(&p.unit_name),
        jpm,
        not_assessed,
        kecamatan: kecamatan
            .get(p.unit_path.as_str())
            .copied()
            .flatten()
            .map(&mut share),
        golongan: p.golongan.as_deref().map(&mut share),
        position_kind: p.position_kind.as_deref().map(&mut share),
    };
    let scope_id = scope
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();

    let mut categories: BTreeMap<String, i64> = Pemetaan::ALL
        .iter()
        .map(|p| (p.label().to_string(), 0))
        .collect();
    // Per competency id: counted by number, named and ordered once at the end.
    let mut per_competency: HashMap<i64, (&requirements::RequirementRow, Acc)> = HashMap::new();
    let mut jpm_sum = 0.0;
    let mut jpm_n = 0i64;
    let mut persons = Vec::with_capacity(people.len());
    // Sub-unit → (employees, jpm sum, jpm n, competency id → (gap sum, n)).
    type Sub = (i64, f64, i64, HashMap<i64, (i64, i64)>);
    let mut subs: HashMap<&str, Sub> = HashMap::new();
    for p in people {
        let below = p.unit_path.strip_prefix(scope).unwrap_or(&p.unit_path);
        let group = below
            .trim_start_matches('/')
            .split('/')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or(&scope_id);
        let sub = subs.entry(group).or_default();
        sub.0 += 1;
        let Some(reqs) = p.position_id.and_then(|id| by_position.get(&id)) else {
            persons.push(person(p, None, 0));
            continue;
        };
        let mut missing = 0i64;
        let mut domain = Vec::with_capacity(reqs.len());
        for r in reqs {
            let Ok(required) = Level::new(r.level) else {
                continue;
            };
            let actual = best
                .get(&(p.id, r.competency_id))
                .and_then(|&l| Level::new(l).ok());
            let req = Requirement { required, actual };
            domain.push(req);
            let acc = &mut per_competency
                .entry(r.competency_id)
                .or_insert_with(|| (r, Acc::default()))
                .1;
            acc.required += r.level;
            acc.actual += actual.map_or(0, |l| i64::from(l.get()));
            acc.gap += i64::from(req.gap());
            acc.n += 1;
            acc.not_assessed += i64::from(actual.is_none());
            missing += i64::from(actual.is_none());
            let cell = sub.3.entry(r.competency_id).or_default();
            cell.0 += i64::from(req.gap());
            cell.1 += 1;
        }
        let jpm = competency::jpm(&domain);
        persons.push(person(p, jpm, missing));
        if let Some(j) = jpm {
            jpm_sum += j;
            jpm_n += 1;
            sub.1 += j;
            sub.2 += 1;
            *categories
                .entry(Pemetaan::of(j).label().to_string())
                .or_default() += 1;
        }
    }
    let code_of: HashMap<i64, &str> = per_competency
        .iter()
        .map(|(id, (r, _))| (*id, r.code.as_str()))
        .collect();
    let mut per_competency: Vec<_> = per_competency.into_values().collect();
    per_competency.sort_by(|(a, _), (b, _)| {
        (kind_order(&a.kind), &a.code, &a.name).cmp(&(kind_order(&b.kind), &b.code, &b.name))
    });
    let competencies = per_competency
        .into_iter()
        .map(|(r, a)| {
            let n = a.n.max(1) as f64;
            CompetencyGap {
                competency: r.code.clone(),
                name: r.name.clone(),
                avg_required: round2(a.required as f64 / n),
                avg_actual: round2(a.actual as f64 / n),
                avg_gap: round2(a.gap as f64 / n),
                not_assessed: a.not_assessed,
                required_by: a.n,
            }
        })
        .collect();
    let mut sub_units: Vec<SubUnitGaps> = subs
        .into_iter()
        .map(|(id, (n, jsum, jn, cells))| {
            let (code, name) = names.get(id).copied().unwrap_or(("", "—"));
            SubUnitGaps {
                unit: code.to_string(),
                name: name.to_string(),
                employees: n,
                jpm_avg: (jn > 0).then(|| round2(jsum / jn as f64)),
                avg_gap: cells
                    .into_iter()
                    .map(|(k, (g, m))| {
                        let code = code_of.get(&k).copied().unwrap_or_default();
                        (code.to_string(), round2(g as f64 / m.max(1) as f64))
                    })
                    .collect(),
            }
        })
        .collect();
    sub_units.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.unit.cmp(&b.unit)));
    UnitGaps {
        unit: code.map(str::to_string),
        employees: people.len() as i64,
        jpm_avg: (jpm_n > 0).then(|| round2(jpm_sum / jpm_n as f64)),
        categories,
        competencies,
        sub_units,
        people: persons,
    }
}

/// Managerial first, then sosial kultural, then technical: the order of the standards.
fn kind_order(kind: &str) -> i64 {
    match kind {
        "manajerial" => 0,
        "sosial_kultural" => 1,
        _ => 2,
    }
}
