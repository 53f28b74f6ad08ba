//! Flat rows for spreadsheet exports, one query per kind, scoped to a unit subtree.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result};

/// A row of text cells in the column order of the export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row6 {
    pub a: Option<String>,
    pub b: Option<String>,
    pub c: Option<String>,
    pub d: Option<String>,
    pub e: Option<String>,
    pub f: Option<String>,
}

/// The SELECT of each kind; every column is text, six per row (unused ones NULL), so one row
/// type serves all and the services layer names the columns.
fn select(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "units" => {
            "SELECT u.code AS a, u.name AS b, p.code AS c, u.kecamatan AS d, NULL AS e, NULL AS f \
             FROM units u LEFT JOIN units p ON p.tenant_id = u.tenant_id AND p.id = u.parent_id"
        }
        "positions" => {
            "SELECT CAST(x.id AS TEXT) AS a, u.code AS b, x.name AS c, x.kind AS d, x.jenjang AS e, \
             CAST(x.kelas AS TEXT) AS f FROM positions x \
             JOIN units u ON u.tenant_id = x.tenant_id AND u.id = x.unit_id"
        }
        "requirements" => {
            "SELECT CAST(x.id AS TEXT) AS a, u.code AS b, x.name AS c, k.code AS d, \
             CAST(r.level AS TEXT) AS e, NULL AS f FROM position_requirements r \
             JOIN positions x ON x.tenant_id = r.tenant_id AND x.id = r.position_id \
             JOIN units u ON u.tenant_id = x.tenant_id AND u.id = x.unit_id \
             JOIN competencies k ON k.tenant_id = r.tenant_id AND k.id = r.competency_id"
        }
        "assessments" => {
            "SELECT e.nip AS a, k.code AS b, CAST(x.level AS TEXT) AS c, x.method AS d, \
             x.assessed_on AS e, x.valid_until AS f FROM assessments x \
             JOIN employees e ON e.tenant_id = x.tenant_id AND e.id = x.employee_id \
             JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
             JOIN competencies k ON k.tenant_id = x.tenant_id AND k.id = x.competency_id"
        }
        _ => return None,
    })
}

fn order(kind: &str) -> &'static str {
    match kind {
        "units" => " ORDER BY u.path",
        "positions" => " ORDER BY u.path, x.name, x.id",
        "requirements" => " ORDER BY u.path, x.id, k.position, k.code",
        _ => " ORDER BY e.nip, x.assessed_on, x.id",
    }
}

/// Rows of `kind` in units under `scope` ('' for all); `None` for an unknown kind.
pub async fn rows(c: &mut Conn, tenant: i64, kind: &str, scope: &str) -> Result<Option<Vec<Row6>>> {
    let Some(select) = select(kind) else {
        return Ok(None);
    };
    let table = match kind {
        "positions" | "requirements" => "x",
        "units" => "u",
        _ => "x",
    };
    let mut d = Dynamic::new(select);
    d.push(&format!(" WHERE {table}.tenant_id = ?"), [Arg::I64(tenant)]);
    if !scope.is_empty() {
        d.push(" AND u.path LIKE ?", [Arg::Text(format!("{scope}%"))]);
    }
    d.sql.push_str(order(kind));
    Ok(Some(d.fetch_all(c).await?))
}

/// Employees with their position's kind and jenjang, for the employee export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EmployeeExport {
    pub nip: String,
    pub name: String,
    pub status: String,
    pub golongan: Option<String>,
    pub unit_code: String,
    pub position: Option<String>,
    pub kind: Option<String>,
    pub jenjang: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub async fn employees(c: &mut Conn, tenant: i64, scope: &str) -> Result<Vec<EmployeeExport>> {
    let mut d = Dynamic::new(
        "SELECT e.nip, e.name, e.status, e.golongan, u.code AS unit_code, p.name AS position, \
         p.kind, p.jenjang, e.email, e.phone FROM employees e \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id",
    );
    d.push(" WHERE e.tenant_id = ?", [Arg::I64(tenant)]);
    if !scope.is_empty() {
        d.push(" AND u.path LIKE ?", [Arg::Text(format!("{scope}%"))]);
    }
    d.sql.push_str(" ORDER BY e.name, e.id");
    d.fetch_all(c).await
}

/// One line of an ASN's training history: a completed course or an approved development
/// activity.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrainingLine {
    pub nip: String,
    pub name: String,
    pub jalur: String,
    pub title: String,
    pub organizer: Option<String>,
    pub place: Option<String>,
    pub started_on: String,
    pub ended_on: String,
    pub jp: i64,
    pub certificate: Option<String>,
}

/// The training history of people in units under `scope` ('' for all) that ended in
/// `[from, to)`: completions in Cakap's catalogue (organised by the tenant) and approved
/// activities reported by the ASN, by NIP and date.
pub async fn training_history(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    from: &str,
    to: &str,
) -> Result<Vec<TrainingLine>> {
    let scope = format!("{scope}%");
    let mut d = Dynamic::new(
        "SELECT e.nip, e.name, k.jalur, k.title, \
         CASE WHEN o.code = k.code || '-LUAR' THEN 'Platform pembelajaran luar' END AS organizer, \
         COALESCE(o.place, o.kecamatan) AS place, \
         CASE WHEN o.code = k.code || '-LUAR' THEN en.completed_on ELSE o.starts_on END AS started_on, \
         en.completed_on AS ended_on, en.jp, x.code AS certificate \
         FROM enrollments en JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
         JOIN courses k ON k.tenant_id = o.tenant_id AND k.id = o.course_id \
         JOIN employees e ON e.tenant_id = en.tenant_id AND e.id = en.employee_id \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN certificates x ON x.tenant_id = en.tenant_id AND x.enrollment_id = en.id \
         AND x.revoked_at IS NULL \
         WHERE en.tenant_id = $1 AND en.status = 'completed' AND en.completed_on >= $2 \
         AND en.completed_on < $3 AND u.path LIKE $4",
    );
    d.args.extend([
        Arg::I64(tenant),
        Arg::Text(from.into()),
        Arg::Text(to.into()),
        Arg::Text(scope.clone()),
    ]);
    d.sql.push_str(
        " UNION ALL SELECT e.nip, e.name, a.jalur, a.title, a.organizer, NULL AS place, \
         a.started_on, a.ended_on, a.jp, NULL AS certificate FROM activities a \
         JOIN employees e ON e.tenant_id = a.tenant_id AND e.id = a.employee_id \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         WHERE a.tenant_id = $1 AND a.status = 'approved' AND a.ended_on >= $2 AND a.ended_on < $3 \
         AND u.path LIKE $4 ORDER BY 1, 8, 4",
    );
    d.fetch_all(c).await
}
