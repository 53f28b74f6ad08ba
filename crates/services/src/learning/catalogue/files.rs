//! Course files (PDF and images), with the per-author quota.

use super::super::{markdown, require_author};
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};
use cakap_domain::learning::{self};
use cakap_store::learning::{self as store};
use serde::Serialize;
use utoipa::ToSchema;

use super::*;

pub const MAX_FILE: usize = 5 << 20;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseFile {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// Where the file is served; use it in a module's Markdown.
    pub url: String,
}

/// Adds an image (PNG, JPEG) or PDF a module can show or link to, within the uploader's
/// quota ([`learning::COURSE_FILES_QUOTA`]).
pub async fn add_file(
    db: &Db,
    actor: &Actor,
    code: &str,
    file: &crate::files::Evidence,
) -> ServiceResult<CourseFile> {
    require_author(actor)?;
    if file.bytes.len() > MAX_FILE {
        return Err(ServiceError::invalid(
            "file",
            "assessment.evidence_too_large",
        ));
    }
    let content_type = crate::files::evidence_type(&file.bytes)
        .ok_or_else(|| ServiceError::invalid("file", "assessment.evidence_type"))?;
    let filename = crate::files::clean_filename(&file.filename);
    use sha2::Digest;
    let sha256 = crate::auth::hex(&sha2::Sha256::digest(&file.bytes));
    let mut c = Change::begin(db, actor).await?;
    let course = row(&mut c, actor, code).await?;
    // One uploader's files are counted one upload at a time.
    if let Some(employee) = actor.employee_id {
        c.lock(cakap_store::LockSpace::Learner, employee).await?;
    }
    let used = store::uploaded_files(&mut c, actor.tenant_id, actor.user_id).await?;
    crate::files::check_quota(
        learning::COURSE_FILES_QUOTA,
        used,
        1,
        file.bytes.len() as i64,
    )?;
    let id = store::insert_file(
        &mut c,
        actor.tenant_id,
        course.id,
        &store::NewFile {
            filename: &filename,
            content_type,
            sha256: &sha256,
            data: &file.bytes,
            uploaded_by: actor.user_id,
        },
    )
    .await?;
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    let out = CourseFile {
        id,
        filename,
        content_type: content_type.into(),
        size: file.bytes.len() as i64,
        url: format!("{}{id}", markdown::FILES_PATH),
    };
    c.record("create", "course_file", &id.to_string(), None, Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

pub async fn files(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Vec<CourseFile>> {
    let mut c = db.conn().await?;
    let course = row(&mut c, actor, code).await?;
    Ok(store::files(&mut c, actor.tenant_id, course.id)
        .await?
        .into_iter()
        .map(|f| CourseFile {
            url: format!("{}{}", markdown::FILES_PATH, f.id),
            id: f.id,
            filename: f.filename,
            content_type: f.content_type,
            size: f.size,
        })
        .collect())
}

/// A course file for whoever may read the course's modules: (name, type, bytes).
pub async fn file(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> ServiceResult<(String, &'static str, Vec<u8>)> {
    let mut c = db.conn().await?;
    let f = store::file(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !may_read(&mut c, actor, f.course_id).await? {
        return Err(ServiceError::NotFound);
    }
    // Served with the type its bytes were checked as, never the stored text.
    let ctype = crate::files::evidence_type(&f.data).ok_or(ServiceError::NotFound)?;
    Ok((f.filename, ctype, f.data))
}
