//! Drills (docs/domain.md#readiness): a simulation held on a date, for a hazard, in a
//! kecamatan, with its participants and the competencies practised. Taking part is evidence on
//! the profile; an evaluator's level for a practised competency is recorded as a
//! `course`-authority result for every participant.

use cakap_domain::Level;
use cakap_domain::kecamatan::Kecamatan;
use cakap_store::readiness::{self as store, DrillRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{READERS, parse_hazard};
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

const MAX_PARTICIPANTS: usize = 1_000;
/// An evaluator's finding at a drill lapses like a certification.
const DRILL_VALID_YEARS: u32 = 3;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Practised {
    /// Competency code.
    pub competency: String,
    /// The level the evaluator found the participants at; given → a `course` result each.
    #[serde(default)]
    pub level: Option<i64>,
}

/// `POST /api/v1/readiness/drills`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct DrillInput {
    /// `YYYY-MM-DD`, today or earlier.
    pub held_on: String,
    pub hazard: String,
    /// Kecamatan code or name.
    pub kecamatan: String,
    pub title: String,
    pub evaluator: String,
    #[serde(default)]
    pub note: Option<String>,
    /// NIPs.
    pub participants: Vec<String>,
    pub competencies: Vec<Practised>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Drill {
    pub id: i64,
    pub held_on: String,
    pub hazard: String,
    pub kecamatan: String,
    pub title: String,
    pub evaluator: String,
    pub note: Option<String>,
    pub participants: i64,
    /// Codes of the competencies practised.
    pub practised: Vec<String>,
}

impl From<DrillRow> for Drill {
    fn from(d: DrillRow) -> Drill {
        Drill {
            id: d.id,
            held_on: d.held_on,
            hazard: d.hazard,
            kecamatan: Kecamatan::by_code(&d.kecamatan)
                .map_or(d.kecamatan.clone(), |k| k.name.to_string()),
            title: d.title,
            evaluator: d.evaluator,
            note: d.note,
            participants: d.participants,
            practised: d
                .practised
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }
}

/// Records a drill (`admin`); unknown NIPs or codes are refused by name, nothing written. A
/// level given for a practised competency is recorded as a `course` result (valid three
/// years) for each participant below it; nobody is lowered.
pub async fn record(db: &Db, actor: &Actor, input: &DrillInput) -> ServiceResult<Drill> {
    actor.require_admin()?;
    let held = validate::parse_date("held_on", &input.held_on)?;
    if held > crate::wib::today() {
        return Err(ServiceError::invalid(
            "held_on",
            "readiness_error.drill_future",
        ));
    }
    let hazard = parse_hazard(&input.hazard)?;
    let kec = Kecamatan::find(&input.kecamatan)
        .ok_or_else(|| ServiceError::invalid("kecamatan", "readiness_error.kecamatan"))?;
    let title = validate::text("title", &input.title, 200)?;
    let evaluator = validate::text("evaluator", &input.evaluator, 120)?;
    let note = validate::optional_paragraph("note", input.note.as_deref(), 2_000)?;
    if input.participants.is_empty() || input.participants.len() > MAX_PARTICIPANTS {
        return Err(ServiceError::invalid(
            "participants",
            "readiness_error.participants",
        ));
    }
    if input.competencies.is_empty() || input.competencies.len() > 20 {
        return Err(ServiceError::invalid(
            "competencies",
            "readiness_error.practised",
        ));
    }
    let held_s = held.format("%Y-%m-%d").to_string();
    let mut c = Change::begin(db, actor).await?;
    let mut practised = Vec::new();
    for p in &input.competencies {
        let k = cakap_store::competencies::by_code(&mut c, actor.tenant_id, p.competency.trim())
            .await?
            .filter(|k| k.active)
            .ok_or_else(|| {
                unknown(
                    "competencies",
                    "readiness_error.competency_named",
                    &p.competency,
                )
            })?;
        if let Some(l) = p.level {
            Level::new(l).map_err(|_| ServiceError::invalid("level", "readiness_error.level"))?;
        }
        practised.push((k, p.level));
    }
    let mut people = Vec::new();
    for nip in &input.participants {
        let digits: String = nip.chars().filter(|c| !c.is_whitespace()).collect();
        let e = cakap_store::employees::by_nip(&mut c, actor.tenant_id, &digits)
            .await?
            .filter(|e| e.active)
            .ok_or_else(|| unknown("participants", "readiness_error.nip_unknown", nip))?;
        people.push(e.id);
    }
    let id = store::insert_drill(
        &mut c,
        actor.tenant_id,
        &store::NewDrill {
            held_on: &held_s,
            hazard: hazard.as_str(),
            kecamatan: kec.code,
            title: &title,
            evaluator: &evaluator,
            note: note.as_deref(),
        },
        &actor.username,
    )
    .await?;
    let mut added = 0;
    for e in &people {
        added += store::add_participant(&mut c, actor.tenant_id, id, *e).await?;
    }
    let assessment_note = format!("Latihan: {title}");
    // An evaluator's finding raises; it never lowers what someone holds (a certification or
    // an assessment-center result stays), and it lapses like a certification.
    let levels: Vec<i64> = practised
        .iter()
        .filter(|(_, l)| l.is_some())
        .map(|(k, _)| k.id)
        .collect();
    let current = crate::gaps::effective_levels(
        &cakap_store::assessments::counting_in_competencies(
            &mut c,
            actor.tenant_id,
            &levels,
            &held_s,
        )
        .await?,
    );
    let until = held
        .checked_add_months(chrono::Months::new(12 * DRILL_VALID_YEARS))
        .unwrap_or(held)
        .format("%Y-%m-%d")
        .to_string();
    let mut results = Vec::new();
    for (k, level) in &practised {
        store::add_practised(&mut c, actor.tenant_id, id, k.id, *level).await?;
        if let Some(level) = level {
            for e in people
                .iter()
                .filter(|e| current.get(&(**e, k.id)).is_none_or(|held| held < level))
            {
                results.push(cakap_store::assessments::NewAssessment {
                    employee_id: *e,
                    competency_id: k.id,
                    competency_version: k.version,
                    level: *level,
                    method: "course",
                    assessed_on: &held_s,
                    valid_until: Some(&until),
                    assessor: Some(&evaluator),
                    note: Some(&assessment_note),
                    created_by: &actor.username,
                });
            }
        }
    }
    // The same NIP twice is one participant (and one result).
    results.sort_by_key(|r| (r.competency_id, r.employee_id));
    results.dedup_by_key(|r| (r.competency_id, r.employee_id));
    cakap_store::assessments::insert_many(&mut c, actor.tenant_id, &results).await?;
    c.record(
        "create",
        "drill",
        &id.to_string(),
        None,
        Some(
            &serde_json::json!({"held_on": held_s, "hazard": hazard.as_str(),
            "kecamatan": kec.code, "title": title, "participants": added,
            "results": results.len()}),
        ),
    )
    .await?;
    let out = store::drill(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    c.finish(if results.is_empty() {
        &[Topic::Teams]
    } else {
        &[Topic::Teams, Topic::Assessments]
    })
    .await?;
    Ok(out.into())
}

fn unknown(field: &'static str, key: &'static str, value: &str) -> ServiceError {
    ServiceError::Invalid {
        field,
        key,
        args: vec![("value", value.chars().take(40).collect())],
    }
}

/// The newest `limit` drills.
pub async fn list(db: &Db, actor: &Actor, limit: i64) -> ServiceResult<Vec<Drill>> {
    actor.require_any(READERS)?;
    let mut c = db.conn().await?;
    Ok(store::drills(&mut c, actor.tenant_id, limit)
        .await?
        .into_iter()
        .map(Drill::from)
        .collect())
}

/// The drills someone took part in (their profile's evidence).
pub async fn of_employee(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Vec<Drill>> {
    let mut c = db.conn().await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    drills_of(&mut c, actor.tenant_id, e.id).await
}

/// [`of_employee`] for an employee already found visible.
pub(crate) async fn drills_of(
    c: &mut cakap_store::Conn,
    tenant: i64,
    employee: i64,
) -> ServiceResult<Vec<Drill>> {
    Ok(store::drills_of(c, tenant, employee)
        .await?
        .into_iter()
        .map(Drill::from)
        .collect())
}
