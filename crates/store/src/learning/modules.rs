//! Course modules and files.

use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ModuleRow {
    pub id: i64,
    pub course_id: i64,
    pub position: i64,
    pub title: String,
    pub body: String,
    pub html: String,
    pub minutes: i64,
}

pub(super) const MODULE: &str =
    "SELECT id, course_id, position, title, body, html, minutes FROM course_modules";

pub async fn modules(c: &mut Conn, tenant: i64, course: i64) -> Result<Vec<ModuleRow>> {
    Ok(fetch_all!(
        c,
        ModuleRow,
        sqlx::AssertSqlSafe(format!(
            "{MODULE} WHERE tenant_id = $1 AND course_id = $2 ORDER BY position, id"
        )),
        tenant,
        course
    )?)
}

pub async fn module(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<ModuleRow>> {
    Ok(fetch_optional!(
        c,
        ModuleRow,
        sqlx::AssertSqlSafe(format!("{MODULE} WHERE tenant_id = $1 AND id = $2")),
        tenant,
        id
    )?)
}

pub struct ModuleData<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub html: &'a str,
    pub minutes: i64,
}

pub async fn insert_module(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    d: &ModuleData<'_>,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO course_modules (tenant_id, course_id, position, title, body, html, minutes, \
         updated_at) VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM course_modules \
         WHERE tenant_id = $1 AND course_id = $2), $3, $4, $5, $6, $7) RETURNING id",
        tenant,
        course,
        d.title,
        d.body,
        d.html,
        d.minutes,
        now_ms()
    )?)
}

pub async fn update_module(c: &mut Conn, tenant: i64, id: i64, d: &ModuleData<'_>) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE course_modules SET title = $1, body = $2, html = $3, minutes = $4, \
         updated_at = $5 WHERE tenant_id = $6 AND id = $7",
        d.title,
        d.body,
        d.html,
        d.minutes,
        now_ms(),
        tenant,
        id
    )?)
}

pub struct NewFile<'a> {
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
    pub uploaded_by: i64,
}

pub async fn insert_file(c: &mut Conn, tenant: i64, course: i64, f: &NewFile<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO course_files (tenant_id, course_id, filename, content_type, size, sha256, \
         data, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        tenant,
        course,
        f.filename,
        f.content_type,
        f.data.len() as i64,
        f.sha256,
        f.data,
        f.uploaded_by
    )?)
}

/// (files, bytes) a user has uploaded to courses.
pub async fn uploaded_files(c: &mut Conn, tenant: i64, user: i64) -> Result<(i64, i64)> {
    Ok(fetch_optional!(
        c,
        (i64, i64),
        "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM course_files \
         WHERE tenant_id = $1 AND uploaded_by = $2",
        tenant,
        user
    )?
    .unwrap_or((0, 0)))
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub course_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

pub async fn files(c: &mut Conn, tenant: i64, course: i64) -> Result<Vec<FileRow>> {
    Ok(fetch_all!(
        c,
        FileRow,
        "SELECT id, course_id, filename, content_type, size FROM course_files \
         WHERE tenant_id = $1 AND course_id = $2 ORDER BY id",
        tenant,
        course
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileData {
    pub course_id: i64,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

pub async fn file(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<FileData>> {
    Ok(fetch_optional!(
        c,
        FileData,
        "SELECT course_id, filename, content_type, data FROM course_files \
         WHERE tenant_id = $1 AND id = $2",
        tenant,
        id
    )?)
}
