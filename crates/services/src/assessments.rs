//! Recording assessment results (DOMAIN.md §4). BKPSDM records any method; an ASN records
//! self-assessments for themself only, which are shown but never count toward JPM.

use cakap_domain::{Level, Method, Role};
use cakap_store::{assessments as store, competencies};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validate;
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
}

/// Dates as `YYYY-MM-DD`; anything else names the field.
pub fn parse_date(field: &'static str, s: &str) -> ServiceResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| ServiceError::Invalid {
        field,
        key: "error.date_format",
        args: vec![("value", s.chars().take(40).collect())],
    })
}

pub async fn record(db: &Db, actor: &Actor, input: &NewAssessment) -> ServiceResult<Assessment> {
    let method: Method = input
        .method
        .parse()
        .map_err(|()| ServiceError::invalid("method", "assessment.unknown_method"))?;
    let level = Level::new(input.level).map_err(|e| ServiceError::domain("level", &e))?;
    let today = chrono::Local::now().date_naive();
    let assessed_on = parse_date("assessed_on", &input.assessed_on)?;
    if assessed_on > today {
        return Err(ServiceError::invalid("assessed_on", "assessment.future"));
    }
    let valid_until = match input
        .valid_until
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Some(parse_date("valid_until", s)?),
        None => None,
    };
    if valid_until.is_some_and(|u| u < assessed_on) {
        return Err(ServiceError::invalid(
            "valid_until",
            "assessment.expiry_before",
        ));
    }
    let assessor = validate::optional_text("assessor", input.assessor.as_deref(), 200)?;
    let note = validate::optional_text("note", input.note.as_deref(), 2000)?;

    let mut c = db.begin().await?;
    let employee = crate::employees::visible_row(&mut c, actor, &input.nip).await?;
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
    };
    crate::audit::record(
        &mut c,
        actor,
        "create",
        "assessment",
        &id.to_string(),
        None,
        Some(&out),
    )
    .await?;
    c.commit().await?;
    Ok(out)
}

/// An employee's assessment history, newest first.
pub async fn of_employee(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Vec<Assessment>> {
    let mut c = db.conn().await?;
    let employee = crate::employees::visible_row(&mut c, actor, nip).await?;
    Ok(store::of_employee(&mut c, actor.tenant_id, employee.id)
        .await?
        .into_iter()
        .map(|r| Assessment {
            id: r.id,
            nip: employee.nip.clone(),
            competency: r.code,
            competency_version: r.competency_version,
            level: r.level,
            method: r.method,
            assessed_on: r.assessed_on,
            valid_until: r.valid_until,
            assessor: r.assessor,
            note: r.note,
            recorded_by: r.created_by,
        })
        .collect())
}
