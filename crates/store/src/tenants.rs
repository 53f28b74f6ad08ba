//! Tenants: one regency each.

use crate::{Conn, Result, fetch_optional, fetch_scalar, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TenantRow {
    pub id: i64,
    pub code: String,
    pub name: String,
}

pub async fn by_code(c: &mut Conn, code: &str) -> Result<Option<TenantRow>> {
    Ok(fetch_optional!(
        c,
        TenantRow,
        "SELECT id, code, name FROM tenants WHERE code = $1",
        code
    )?)
}

pub async fn insert(c: &mut Conn, code: &str, name: &str) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO tenants (code, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        code,
        name,
        now_ms()
    )?)
}
