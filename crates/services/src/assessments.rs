//! Recording assessment results (docs/domain.md#gap-jpm). BKPSDM records any method; an ASN records
//! self-assessments for themself only, which are shown but never count toward JPM.

use cakap_domain::{Level, Method, Role};
use cakap_store::{assessments as store, competencies};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::files::{Evidence, check_evidence, clean_filename, evidence_type};
use crate::validate;
use crate::validate::parse_date;
use crate::{Actor, Db, ServiceError, ServiceResult};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewAssessment {
    pub nip: String,
    /// Competency code.
    pub competency: String,
    /// 1–5.
    pub level: i64,
    /// `assessment_center`, `uji_kompetensi`, `360`, `course` or `self`.
    pub method: String,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    pub valid_until: Option<String>,
    pub assessor: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Assessment {
    pub id: i64,
    pub nip: String,
    pub competency: String,
    /// The dictionary version the result was recorded against.
    pub competency_version: i64,
    pub level: i64,
    pub method: String,
    pub assessed_on: String,
    pub valid_until: Option<String>,
    pub assessor: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
    /// The name of the attached evidence file; download it from
    /// `/api/v1/assessments/{id}/evidence`.
    pub evidence: Option<String>,
}

/// The assessment date (not in the future) and the optional expiry (not before it).
fn dates(on: &str, until: Option<&str>) -> ServiceResult<(NaiveDate, Option<NaiveDate>)> {
    let today = chrono::Local::now().date_naive();
    let on = parse_date("assessed_on", on)?;
    if on > today {
        return Err(ServiceError::invalid("assessed_on", "assessment.future"));
    }
    let until = match until.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(parse_date("valid_until", s)?),
        None => None,
    };
    if until.is_some_and(|u| u < on) {
        return Err(ServiceError::invalid(
            "valid_until",
            "assessment.expiry_before",
        ));
    }
    Ok((on, until))
}

pub async fn record(db: &Db, actor: &Actor, input: &NewAssessment) -> ServiceResult<Assessment> {
    record_with(db, actor, input, None).await
}

/// Records a result with its evidence file (if any) in one transaction.
pub async fn record_with(
    db: &Db,
    actor: &Actor,
    input: &NewAssessment,
    evidence: Option<&Evidence>,
) -> ServiceResult<Assessment> {
    let content_type = evidence.map(check_evidence).transpose()?;
    let method: Method = input
        .method
        .parse()
        .map_err(|()| ServiceError::invalid("method", "assessment.unknown_method"))?;
    let level = Level::new(input.level).map_err(|e| ServiceError::domain("level", &e))?;
    let (assessed_on, valid_until) = dates(&input.assessed_on, input.valid_until.as_deref())?;
    let assessor = validate::optional_text("assessor", input.assessor.as_deref(), 200)?;
    let note = validate::optional_text("note", input.note.as_deref(), 2000)?;

    let mut c = Change::begin(db, actor).await?;
    let employee = crate::actor::visible_row(&mut c, actor, &input.nip).await?;
    // Only BKPSDM records results that count; anyone may record a self-assessment of themself.
    let allowed = match method {
        Method::SelfAssessment => {
            actor.employee_id == Some(employee.id) || actor.role == Role::Admin
        }
        _ => actor.role == Role::Admin,
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    let k = competencies::by_code(&mut c, actor.tenant_id, input.competency.trim())
        .await?
        .filter(|k| k.active)
        .ok_or_else(|| ServiceError::Invalid {
            field: "competency",
            key: "error.unknown_competency",
            args: vec![("value", input.competency.chars().take(40).collect())],
        })?;
    let on = assessed_on.format("%Y-%m-%d").to_string();
    let until = valid_until.map(|d| d.format("%Y-%m-%d").to_string());
    let id = store::insert(
        &mut c,
        actor.tenant_id,
        &store::NewAssessment {
            employee_id: employee.id,
            competency_id: k.id,
            competency_version: k.version,
            level: i64::from(level.get()),
            method: method.as_str(),
            assessed_on: &on,
            valid_until: until.as_deref(),
            assessor: assessor.as_deref(),
            note: note.as_deref(),
            created_by: &actor.username,
        },
    )
    .await?;
    let out = Assessment {
        id,
        nip: employee.nip.clone(),
        competency: k.code,
        competency_version: k.version,
        level: i64::from(level.get()),
        method: method.as_str().into(),
        assessed_on: on,
        valid_until: until,
        assessor,
        note,
        recorded_by: actor.username.clone(),
        evidence: evidence.map(|e| clean_filename(&e.filename)),
    };
    if let (Some(e), Some(content_type)) = (evidence, content_type) {
        store_evidence(&mut c, actor, id, e, content_type).await?;
    }
    c.record("create", "assessment", &id.to_string(), None, Some(&out))
        .await?;
    c.finish(&[Topic::Assessments]).await?;
    Ok(out)
}

/// Results for many people at once (a test session, an assessment-center batch): one
/// competency, method, date and assessor, a level per person.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Batch {
    pub competency: String,
    /// Any method but `self`.
    pub method: String,
    pub assessed_on: String,
    pub valid_until: Option<String>,
    pub assessor: Option<String>,
    /// (NIP, level 1–5).
    pub results: Vec<(String, i64)>,
}

/// Most results in one batch.
pub const MAX_BATCH: usize = 500;

/// Records a batch (`admin`): every row is checked first; any problem and nothing is written.
/// Returns how many results were recorded.
pub async fn record_batch(db: &Db, actor: &Actor, b: &Batch) -> ServiceResult<usize> {
    actor.require_admin()?;
    let method: Method = b
        .method
        .parse()
        .ok()
        .filter(|m| *m != Method::SelfAssessment)
        .ok_or_else(|| ServiceError::invalid("method", "assessment.unknown_method"))?;
    if b.results.is_empty() {
        return Err(ServiceError::invalid("results", "assessment.batch_empty"));
    }
    if b.results.len() > MAX_BATCH {
        return Err(ServiceError::invalid(
            "results",
            "assessment.batch_too_large",
        ));
    }
    let (on, until) = dates(&b.assessed_on, b.valid_until.as_deref())?;
    let assessor = validate::optional_text("assessor", b.assessor.as_deref(), 200)?;
    let mut c = Change::begin(db, actor).await?;
    let k = competencies::by_code(&mut c, actor.tenant_id, b.competency.trim())
        .await?
        .filter(|k| k.active)
        .ok_or_else(|| ServiceError::Invalid {
            field: "competency",
            key: "error.unknown_competency",
            args: vec![("value", b.competency.chars().take(40).collect())],
        })?;
    // Admin sees the whole tenant: one read of its NIPs, not one per row.
    let ids: std::collections::HashMap<String, i64> =
        cakap_store::employees::nips(&mut c, actor.tenant_id)
            .await?
            .into_iter()
            .map(|r| (r.nip, r.id))
            .collect();
    let mut people = Vec::with_capacity(b.results.len());
    let mut seen = std::collections::HashSet::new();
    for (nip, level) in &b.results {
        let level = Level::new(*level).map_err(|e| ServiceError::domain("level", &e))?;
        let id = ids
            .get(nip.trim())
            .copied()
            .ok_or_else(|| ServiceError::Invalid {
                field: "results",
                key: "import.unknown_employee",
                args: vec![("value", nip.chars().take(20).collect())],
            })?;
        if !seen.insert(id) {
            return Err(ServiceError::Invalid {
                field: "results",
                key: "import.repeated",
                args: vec![("value", nip.chars().take(20).collect())],
            });
        }
        people.push((id, i64::from(level.get())));
    }
    let on_s = on.format("%Y-%m-%d").to_string();
    let until_s = until.map(|d| d.format("%Y-%m-%d").to_string());
    let rows: Vec<store::NewAssessment<'_>> = people
        .iter()
        .map(|(employee_id, level)| store::NewAssessment {
            employee_id: *employee_id,
            competency_id: k.id,
            competency_version: k.version,
            level: *level,
            method: method.as_str(),
            assessed_on: &on_s,
            valid_until: until_s.as_deref(),
            assessor: assessor.as_deref(),
            note: None,
            created_by: &actor.username,
        })
        .collect();
    store::insert_many(&mut c, actor.tenant_id, &rows).await?;
    let after = serde_json::json!({
        "competency": k.code, "method": method.as_str(), "assessed_on": on_s,
        "results": b.results,
    });
    let what = format!("{} × {}", b.results.len(), k.code);
    c.record("create", "assessment", &what, None, Some(&after))
        .await?;
    c.finish(&[Topic::Assessments]).await?;
    Ok(rows.len())
}

/// The people of a unit subtree to enter results for: (NIP, name, unit), by name; at most
/// [`MAX_BATCH`].
pub async fn roster(
    db: &Db,
    actor: &Actor,
    unit: &str,
) -> ServiceResult<Vec<(String, String, String)>> {
    actor.require_admin()?;
    let path = crate::units::tree(db, actor.tenant_id)
        .await?
        .iter()
        .find(|u| u.code == unit.trim())
        .map(|u| u.path.clone())
        .ok_or(ServiceError::NotFound)?;
    let mut c = db.conn().await?;
    Ok(
        cakap_store::employees::placements(&mut c, actor.tenant_id, &path)
            .await?
            .into_iter()
            .take(MAX_BATCH)
            .map(|p| (p.nip, p.name, p.unit_name))
            .collect(),
    )
}

/// An employee's assessment history, newest first.
pub async fn of_employee(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Vec<Assessment>> {
    let mut c = db.conn().await?;
    let employee = crate::actor::visible_row(&mut c, actor, nip).await?;
    Ok(store::of_employee(&mut c, actor.tenant_id, employee.id)
        .await?
        .into_iter()
        .map(|r| Assessment::of(r, &employee.nip))
        .collect())
}

impl Assessment {
    /// A stored result of the employee whose NIP is `nip`.
    pub(crate) fn of(r: store::AssessmentRow, nip: &str) -> Assessment {
        Assessment {
            id: r.id,
            nip: nip.to_owned(),
            competency: r.code,
            competency_version: r.competency_version,
            level: r.level,
            method: r.method,
            assessed_on: r.assessed_on,
            valid_until: r.valid_until,
            assessor: r.assessor,
            note: r.note,
            recorded_by: r.created_by,
            evidence: r.evidence,
        }
    }
}

async fn store_evidence(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    assessment: i64,
    e: &Evidence,
    content_type: &'static str,
) -> ServiceResult<String> {
    use sha2::Digest;
    let sha256 = crate::auth::hex(&sha2::Sha256::digest(&e.bytes));
    let filename = clean_filename(&e.filename);
    // The same quota as activity evidence, per person, whoever uploads (a self-assessment
    // with a file every minute must not fill the database).
    let (employee, _, _) = store::evidence_usage(c, actor.tenant_id, assessment).await?;
    c.lock(cakap_store::LockSpace::Learner, employee).await?;
    let (_, files, bytes) = store::evidence_usage(c, actor.tenant_id, assessment).await?;
    crate::files::check_quota(
        cakap_domain::learning::EVIDENCE_QUOTA,
        (files, bytes),
        1,
        e.bytes.len() as i64,
    )?;
    let file = store::NewEvidence {
        filename: &filename,
        content_type,
        sha256: &sha256,
        data: &e.bytes,
    };
    store::attach(c, actor.tenant_id, assessment, &file).await?;
    Ok(filename)
}

/// Attaches evidence to a result that has none: `admin`, or the ASN to their own
/// self-assessment. A result's evidence is not replaced (the audit trail would lose it).
pub async fn attach(
    db: &Db,
    actor: &Actor,
    assessment: i64,
    evidence: &Evidence,
) -> ServiceResult<String> {
    let content_type = check_evidence(evidence)?;
    let mut c = Change::begin(db, actor).await?;
    let owner = store::owner(&mut c, actor.tenant_id, assessment)
        .await?
        .ok_or(ServiceError::NotFound)?;
    crate::actor::visible_row(&mut c, actor, &owner.nip).await?;
    let own_self = owner.method == Method::SelfAssessment.as_str()
        && actor.employee_id == Some(owner.employee_id);
    if actor.role != Role::Admin && !own_self {
        return Err(ServiceError::Forbidden);
    }
    if owner.has_evidence {
        return Err(ServiceError::Conflict {
            key: "assessment.evidence_exists",
        });
    }
    let filename = store_evidence(&mut c, actor, assessment, evidence, content_type).await?;
    let after = serde_json::json!({ "assessment": assessment, "evidence": filename });
    c.record(
        "update",
        "assessment",
        &assessment.to_string(),
        None,
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Assessments]).await?;
    Ok(filename)
}

/// An evidence file for download: (file name, content type, bytes), to whoever may see the
/// employee it belongs to.
pub async fn evidence(
    db: &Db,
    actor: &Actor,
    assessment: i64,
) -> ServiceResult<(String, &'static str, Vec<u8>)> {
    let mut c = db.conn().await?;
    let row = store::evidence(&mut c, actor.tenant_id, assessment)
        .await?
        .ok_or(ServiceError::NotFound)?;
    crate::actor::visible_row(&mut c, actor, &row.nip).await?;
    // Served only as one of the types it was checked to be on upload.
    let content_type = evidence_type(&row.data).unwrap_or("application/octet-stream");
    Ok((row.filename, content_type, row.data))
}
