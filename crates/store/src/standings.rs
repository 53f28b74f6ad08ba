//! Stored Job-Person Match per person and year, with the counter that says when it is stale
//! (migration 0025; docs/architecture.md#standings).

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar};

/// Moves the tenant's counter: called inside every change that can alter a JPM.
pub async fn bump(c: &mut Conn, tenant: i64) -> Result<()> {
    execute!(
        c,
        "INSERT INTO jpm_changes (tenant_id, generation) VALUES ($1, 1) \
         ON CONFLICT (tenant_id) DO UPDATE SET generation = jpm_changes.generation + 1",
        tenant
    )?;
    Ok(())
}

/// The tenant's counter (0 before any change).
pub async fn generation(c: &mut Conn, tenant: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COALESCE(MAX(generation), 0) FROM jpm_changes WHERE tenant_id = $1",
        tenant
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct State {
    pub year: i64,
    pub day: String,
    pub generation: i64,
    pub computed_at: i64,
}

pub async fn state(c: &mut Conn, tenant: i64, year: i64) -> Result<Option<State>> {
    Ok(fetch_optional!(
        c,
        State,
        "SELECT year, day, generation, computed_at FROM jpm_states WHERE tenant_id = $1 AND year = $2",
        tenant,
        year
    )?)
}

/// Every computed year of the tenant, the latest first.
pub async fn states(c: &mut Conn, tenant: i64) -> Result<Vec<State>> {
    Ok(fetch_all!(
        c,
        State,
        "SELECT year, day, generation, computed_at FROM jpm_states WHERE tenant_id = $1 \
         ORDER BY year DESC",
        tenant
    )?)
}

/// Takes the year's state row for the rest of the transaction, making it first if missing
/// (counter -1: older than any), so that two first computations also wait for each other.
/// PostgreSQL locks the row; SQLite's write transaction holds the whole database already.
pub async fn lock_state(c: &mut Conn, tenant: i64, year: i64) -> Result<()> {
    execute!(
        c,
        "INSERT INTO jpm_states (tenant_id, year, day, generation, computed_at) \
         VALUES ($1, $2, '', -1, 0) ON CONFLICT (tenant_id, year) DO NOTHING",
        tenant,
        year
    )?;
    execute!(
        c,
        "UPDATE jpm_states SET computed_at = computed_at WHERE tenant_id = $1 AND year = $2",
        tenant,
        year
    )?;
    Ok(())
}

pub async fn save_state(
    c: &mut Conn,
    tenant: i64,
    year: i64,
    day: &str,
    generation: i64,
    at: i64,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO jpm_states (tenant_id, year, day, generation, computed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, year) DO UPDATE \
         SET day = excluded.day, generation = excluded.generation, computed_at = excluded.computed_at",
        tenant,
        year,
        day,
        generation,
        at
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Standing {
    pub employee_id: i64,
    pub jpm: f64,
}

/// Every stored JPM of the year.
pub async fn of_year(c: &mut Conn, tenant: i64, year: i64) -> Result<Vec<Standing>> {
    Ok(fetch_all!(
        c,
        Standing,
        "SELECT employee_id, jpm FROM jpm_standings WHERE tenant_id = $1 AND year = $2",
        tenant,
        year
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NipStanding {
    pub nip: String,
    pub jpm: f64,
}

/// The stored JPM of the year of the active people under `scope` ('' for all), by NIP.
pub async fn by_nip(c: &mut Conn, tenant: i64, year: i64, scope: &str) -> Result<Vec<NipStanding>> {
    Ok(fetch_all!(
        c,
        NipStanding,
        "SELECT e.nip, s.jpm FROM jpm_standings s \
         JOIN employees e ON e.tenant_id = s.tenant_id AND e.id = s.employee_id \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         WHERE s.tenant_id = $1 AND s.year = $2 AND e.active = TRUE AND u.path LIKE $3",
        tenant,
        year,
        format!("{scope}%")
    )?)
}

/// Rows per statement when writing many.
const CHUNK: usize = 500;

/// Writes (inserts or replaces) these standings of the year.
pub async fn upsert(c: &mut Conn, tenant: i64, year: i64, rows: &[Standing]) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        let mut d =
            Dynamic::new("INSERT INTO jpm_standings (tenant_id, year, employee_id, jpm) VALUES ");
        for (i, r) in chunk.iter().enumerate() {
            d.push(
                if i == 0 {
                    "(?, ?, ?, ?)"
                } else {
                    ", (?, ?, ?, ?)"
                },
                [
                    Arg::I64(tenant),
                    Arg::I64(year),
                    Arg::I64(r.employee_id),
                    Arg::F64(r.jpm),
                ],
            );
        }
        d.push(
            " ON CONFLICT (tenant_id, year, employee_id) DO UPDATE SET jpm = excluded.jpm",
            [],
        );
        d.execute(c).await?;
    }
    Ok(())
}

/// Removes these people's standings of the year.
pub async fn delete(c: &mut Conn, tenant: i64, year: i64, employees: &[i64]) -> Result<()> {
    for chunk in employees.chunks(CHUNK) {
        let mut d = Dynamic::new("");
        d.push(
            "DELETE FROM jpm_standings WHERE tenant_id = ? AND year = ? AND employee_id IN (",
            [Arg::I64(tenant), Arg::I64(year)],
        );
        for (i, e) in chunk.iter().enumerate() {
            d.push(if i == 0 { "?" } else { ", ?" }, [Arg::I64(*e)]);
        }
        d.push(")", []);
        d.execute(c).await?;
    }
    Ok(())
}
