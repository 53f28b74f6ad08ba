//! Assessment results per employee and competency.

use std::sync::LazyLock;

use cakap_domain::Method;
use serde::Serialize;

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, fetch_all, fetch_scalar, now_ms};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AssessmentRow {
    pub id: i64,
    pub employee_id: i64,
    pub competency_id: i64,
    pub code: String,
    pub competency_version: i64,
    pub level: i64,
    pub method: String,
    pub assessed_on: String,
    pub valid_until: Option<String>,
    pub assessor: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    /// The evidence file's name, when one is attached.
    pub evidence: Option<String>,
}

const SELECT: &str = "SELECT a.id, a.employee_id, a.competency_id, k.code, a.competency_version, \
    a.level, a.method, a.assessed_on, a.valid_until, a.assessor, a.note, a.created_by, \
    e.filename AS evidence \
    FROM assessments a JOIN competencies k ON k.tenant_id = a.tenant_id AND k.id = a.competency_id \
    LEFT JOIN assessment_evidence e ON e.tenant_id = a.tenant_id AND e.assessment_id = a.id";

/// An employee's history, newest first.
pub async fn of_employee(c: &mut Conn, tenant: i64, employee: i64) -> Result<Vec<AssessmentRow>> {
    Ok(fetch_all!(
        c,
        AssessmentRow,
        sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE a.tenant_id = $1 AND a.employee_id = $2 \
             ORDER BY a.assessed_on DESC, a.id DESC"
        )),
        tenant,
        employee
    )?)
}

/// The histories of several employees, newest first within each.
pub async fn of_employees(
    c: &mut Conn,
    tenant: i64,
    employees: &[i64],
) -> Result<Vec<AssessmentRow>> {
    if employees.is_empty() {
        return Ok(Vec::new());
    }
    let mut d = Dynamic::new(SELECT);
    d.push(
        " WHERE a.tenant_id = ? AND a.employee_id IN (",
        [Arg::I64(tenant)],
    );
    for (i, e) in employees.iter().enumerate() {
        d.push(if i == 0 { "?" } else { ", ?" }, [Arg::I64(*e)]);
    }
    d.sql
        .push_str(") ORDER BY a.employee_id, a.assessed_on DESC, a.id DESC");
    d.fetch_all(c).await
}

/// `CASE <column> WHEN 'assessment_center' THEN 4 … END`: the methods' authority as the domain
/// ranks them ([`Method::authority`]), for SQL that reads or orders many results at once.
pub fn authority_case(column: &str) -> String {
    let whens: String = Method::ALL
        .iter()
        .map(|m| format!(" WHEN '{}' THEN {}", m.as_str(), m.authority()))
        .collect();
    format!("CAST(CASE {column}{whens} ELSE 0 END AS BIGINT)")
}

/// `<column> IN ('assessment_center', …)`: the methods whose results count
/// ([`Method::counts`]; never a self-assessment).
pub fn counting_methods(column: &str) -> String {
    let list: Vec<String> = Method::ALL
        .iter()
        .filter(|m| m.counts())
        .map(|m| format!("'{}'", m.as_str()))
        .collect();
    format!("{column} IN ({})", list.join(", "))
}

static COUNTING_SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT a.employee_id, a.competency_id, a.level, {} AS authority, \
         CAST(replace(a.assessed_on, '-', '') AS BIGINT) AS day FROM assessments a \
         WHERE a.tenant_id = ? AND {}",
        authority_case("a.method"),
        counting_methods("a.method")
    )
});

/// The slim rows the gap engine reads for many employees at once: integers only (decoding
/// strings was most of the cost of reading 40,000 rows).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LevelRow {
    pub employee_id: i64,
    pub competency_id: i64,
    pub level: i64,
    /// The method's [`Method::authority`].
    pub authority: i64,
    /// `assessed_on` as YYYYMMDD.
    pub day: i64,
}

/// Results that can count on `today` (not self, not expired, not in the future) for the
/// employees of units under `scope`, or for one employee.
pub async fn counting_in_scope(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    employee: Option<i64>,
    today: &str,
) -> Result<Vec<LevelRow>> {
    let mut d = Dynamic::new("");
    d.push(&COUNTING_SELECT, [Arg::I64(tenant)]);
    d.push(
        " AND a.assessed_on <= ? AND (a.valid_until IS NULL OR a.valid_until >= ?)",
        [Arg::Text(today.to_string()), Arg::Text(today.to_string())],
    );
    if let Some(e) = employee {
        d.push(" AND a.employee_id = ?", [Arg::I64(e)]);
    } else if !scope.is_empty() {
        d.push(
            " AND a.employee_id IN (SELECT e.id FROM employees e WHERE e.tenant_id = ? AND e.unit_id IN \
             (SELECT id FROM units WHERE tenant_id = ? AND path LIKE ?))",
            [Arg::I64(tenant), Arg::I64(tenant), Arg::Text(format!("{scope}%"))],
        );
    }
    d.fetch_all(c).await
}

pub struct NewAssessment<'a> {
    pub employee_id: i64,
    pub competency_id: i64,
    pub competency_version: i64,
    pub level: i64,
    pub method: &'a str,
    pub assessed_on: &'a str,
    pub valid_until: Option<&'a str>,
    pub assessor: Option<&'a str>,
    pub note: Option<&'a str>,
    pub created_by: &'a str,
}

pub async fn insert(c: &mut Conn, tenant: i64, a: &NewAssessment<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO assessments (tenant_id, employee_id, competency_id, competency_version, level, \
         method, assessed_on, valid_until, assessor, note, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        tenant,
        a.employee_id,
        a.competency_id,
        a.competency_version,
        a.level,
        a.method,
        a.assessed_on,
        a.valid_until,
        a.assessor,
        a.note,
        now_ms(),
        a.created_by
    )?)
}

/// Bulk insert for loads (demo, imports), many rows per statement.
pub async fn insert_many(c: &mut Conn, tenant: i64, rows: &[NewAssessment<'_>]) -> Result<()> {
    let now = now_ms();
    for chunk in rows.chunks(400) {
        let mut d = Dynamic::new(
            "INSERT INTO assessments (tenant_id, employee_id, competency_id, competency_version, \
             level, method, assessed_on, valid_until, assessor, note, created_at, created_by) VALUES ",
        );
        for (i, a) in chunk.iter().enumerate() {
            if i > 0 {
                d.sql.push_str(", ");
            }
            let opt = |v: Option<&str>| v.map_or(Arg::Null, |s| Arg::Text(s.to_string()));
            d.push(
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    Arg::I64(tenant),
                    Arg::I64(a.employee_id),
                    Arg::I64(a.competency_id),
                    Arg::I64(a.competency_version),
                    Arg::I64(a.level),
                    Arg::Text(a.method.to_string()),
                    Arg::Text(a.assessed_on.to_string()),
                    opt(a.valid_until),
                    opt(a.assessor),
                    opt(a.note),
                    Arg::I64(now),
                    Arg::Text(a.created_by.to_string()),
                ],
            );
        }
        d.execute(c).await?;
    }
    Ok(())
}

pub struct NewEvidence<'a> {
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
}

/// (employee, files, bytes): whose result `assessment` is, and the evidence already stored
/// for that employee's results.
pub async fn evidence_usage(c: &mut Conn, tenant: i64, assessment: i64) -> Result<(i64, i64, i64)> {
    Ok(crate::fetch_optional!(
        c,
        (i64, i64, i64),
        "SELECT a.employee_id, \
         (SELECT COUNT(*) FROM assessment_evidence ev JOIN assessments o \
            ON o.tenant_id = ev.tenant_id AND o.id = ev.assessment_id \
          WHERE ev.tenant_id = $1 AND o.employee_id = a.employee_id), \
         (SELECT CAST(COALESCE(SUM(ev.size), 0) AS BIGINT) FROM assessment_evidence ev \
            JOIN assessments o ON o.tenant_id = ev.tenant_id AND o.id = ev.assessment_id \
          WHERE ev.tenant_id = $1 AND o.employee_id = a.employee_id) \
         FROM assessments a WHERE a.tenant_id = $1 AND a.id = $2",
        tenant,
        assessment
    )?
    .unwrap_or((0, 0, 0)))
}

pub async fn attach(c: &mut Conn, tenant: i64, assessment: i64, e: &NewEvidence<'_>) -> Result<()> {
    crate::execute!(
        c,
        "INSERT INTO assessment_evidence (tenant_id, assessment_id, filename, content_type, size, \
         sha256, data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        tenant,
        assessment,
        e.filename,
        e.content_type,
        e.data.len() as i64,
        e.sha256,
        e.data
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRow {
    /// Whose assessment it is: the caller checks the reader may see them.
    pub nip: String,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

pub async fn evidence(c: &mut Conn, tenant: i64, assessment: i64) -> Result<Option<EvidenceRow>> {
    Ok(crate::fetch_optional!(
        c,
        EvidenceRow,
        "SELECT p.nip, e.filename, e.content_type, e.data FROM assessment_evidence e \
         JOIN assessments a ON a.tenant_id = e.tenant_id AND a.id = e.assessment_id \
         JOIN employees p ON p.tenant_id = a.tenant_id AND p.id = a.employee_id \
         WHERE e.tenant_id = $1 AND e.assessment_id = $2",
        tenant,
        assessment
    )?)
}

/// Whose result an assessment is, its method, and whether evidence is attached.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Owner {
    pub nip: String,
    pub employee_id: i64,
    pub method: String,
    pub has_evidence: bool,
}

pub async fn owner(c: &mut Conn, tenant: i64, assessment: i64) -> Result<Option<Owner>> {
    Ok(crate::fetch_optional!(
        c,
        Owner,
        "SELECT p.nip, a.employee_id, a.method, \
         EXISTS (SELECT 1 FROM assessment_evidence e WHERE e.tenant_id = a.tenant_id \
         AND e.assessment_id = a.id) AS has_evidence \
         FROM assessments a JOIN employees p ON p.tenant_id = a.tenant_id AND p.id = a.employee_id \
         WHERE a.tenant_id = $1 AND a.id = $2",
        tenant,
        assessment
    )?)
}

/// A result with the names a report about it needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Described {
    pub id: i64,
    pub nip: String,
    pub employee: String,
    pub code: String,
    pub competency: String,
    pub level: i64,
    pub assessed_on: String,
    pub assessor: Option<String>,
}

/// The first `limit` results recorded with `method`, oldest first.
pub async fn described_by_method(
    c: &mut Conn,
    tenant: i64,
    method: &str,
    limit: i64,
) -> Result<Vec<Described>> {
    Ok(fetch_all!(
        c,
        Described,
        "SELECT a.id, p.nip, p.name AS employee, k.code, k.name AS competency, a.level, \
         a.assessed_on, a.assessor FROM assessments a \
         JOIN employees p ON p.tenant_id = a.tenant_id AND p.id = a.employee_id \
         JOIN competencies k ON k.tenant_id = a.tenant_id AND k.id = a.competency_id \
         WHERE a.tenant_id = $1 AND a.method = $2 ORDER BY a.id LIMIT $3",
        tenant,
        method,
        limit
    )?)
}

/// Results that count on `today` in the given competencies, for the whole tenant (crisis
/// readiness reads a handful of competencies for everyone).
pub async fn counting_in_competencies(
    c: &mut Conn,
    tenant: i64,
    competencies: &[i64],
    today: &str,
) -> Result<Vec<LevelRow>> {
    if competencies.is_empty() {
        return Ok(Vec::new());
    }
    let mut d = Dynamic::new("");
    d.push(&COUNTING_SELECT, [Arg::I64(tenant)]);
    d.push(
        " AND a.assessed_on <= ? AND (a.valid_until IS NULL OR a.valid_until >= ?) AND a.competency_id IN (",
        [Arg::Text(today.to_string()), Arg::Text(today.to_string())],
    );
    for (i, k) in competencies.iter().enumerate() {
        d.push(if i == 0 { "?" } else { ", ?" }, [Arg::I64(*k)]);
    }
    d.sql.push(')');
    d.fetch_all(c).await
}
