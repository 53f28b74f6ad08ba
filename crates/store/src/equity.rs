//! Who in a scope received how much development in a year: the rows equity is computed from.

use crate::{Conn, Result, fetch_all};

/// An active employee with their JP and training spend of the year.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub nip: String,
    pub gender: String,
    pub birth_date: String,
    pub status: String,
    pub golongan: Option<String>,
    pub unit_path: String,
    pub position_kind: Option<String>,
    pub jp: i64,
    /// Rupiah: the catalogue cost of each class place taken (enrolled or completed) in a class
    /// starting in the year. Completions reported from outside (`CODE-LUAR`) cost the regency
    /// nothing.
    pub spend: i64,
}

/// Everyone active under `scope` ('' for all), with JP (completed courses and approved
/// activities, as the 20-JP report counts them) and spend between `from` and `to`.
pub async fn people(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Person>> {
    Ok(fetch_all!(
        c,
        Person,
        concat!(
            "SELECT e.nip, e.gender, e.birth_date, e.status, e.golongan, u.path AS unit_path, \
         p.kind AS position_kind, CAST(COALESCE(j.jp, 0) AS BIGINT) AS jp, \
         CAST(COALESCE(s.spend, 0) AS BIGINT) AS spend \
         FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id \
         LEFT JOIN ",
            crate::jp_of_period!(),
            " j ON j.employee_id = e.id \
         LEFT JOIN (SELECT en.employee_id, SUM(k.cost) AS spend FROM enrollments en \
             JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
             JOIN courses k ON k.tenant_id = o.tenant_id AND k.id = o.course_id \
             WHERE en.tenant_id = $1 AND en.status IN ('enrolled', 'completed') \
               AND o.starts_on >= $3 AND o.starts_on <= $4 AND o.code <> k.code || '-LUAR' \
           GROUP BY en.employee_id) s ON s.employee_id = e.id \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2"
        ),
        tenant,
        format!("{scope}%"),
        from,
        to
    )?)
}
