//! The catalogue: courses with their jalur, mode, JP, cost, target competencies and
//! prerequisites; e-learning modules (Markdown, sanitised), files and the question bank.
//! Search folds case and accents and skips Indonesian stop words, over titles,
//! descriptions and module text.

use cakap_domain::learning::{self, AnswerKey, Jalur, Mode, QuestionKind};
use cakap_store::learning::{self as store, CourseRow};
use cakap_store::{Conn, competencies};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{guards, markdown, own_employee, require_author};
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, Page, ServiceError, ServiceResult, paging, validate};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompetencyTarget {
    /// Competency code.
    pub competency: String,
    /// The level the course brings a participant to (1–5).
    pub level: i64,
    #[serde(default, skip_deserializing)]
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CourseInput {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// A jalur of docs/domain.md#learning, e.g. `pelatihan_teknis`, `e_learning`, `seminar`.
    pub jalur: String,
    /// `klasikal`, `e_learning` or `blended`.
    pub mode: String,
    pub jp: i64,
    /// Rupiah per participant.
    #[serde(default)]
    pub cost: i64,
    /// Percent needed to pass the quiz (default 70).
    pub pass_mark: Option<i64>,
    /// Minutes for one quiz attempt; none: no limit.
    pub time_limit: Option<i64>,
    /// Default 3.
    pub max_attempts: Option<i64>,
    /// After submitting: `score`, `correctness` (default) or `full` (with the right answers).
    pub review: Option<String>,
    pub active: Option<bool>,
    #[serde(default)]
    pub competencies: Vec<CompetencyTarget>,
    /// Codes of courses to complete first.
    #[serde(default)]
    pub prerequisites: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Course {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub description: String,
    pub jalur: String,
    pub mode: String,
    pub jp: i64,
    pub cost: i64,
    pub pass_mark: i64,
    pub time_limit: Option<i64>,
    pub max_attempts: i64,
    pub review: String,
    pub active: bool,
    pub modules: i64,
    pub questions: i64,
    pub competencies: Vec<CompetencyTarget>,
    pub prerequisites: Vec<String>,
}

impl Course {
    fn from_row(r: CourseRow) -> Course {
        Course {
            id: r.id,
            code: r.code,
            title: r.title,
            description: r.description,
            jalur: r.jalur,
            mode: r.mode,
            jp: r.jp,
            cost: r.cost,
            pass_mark: r.pass_mark,
            time_limit: r.time_limit,
            max_attempts: r.max_attempts,
            review: r.review,
            active: r.active,
            modules: r.modules,
            questions: r.questions,
            competencies: Vec::new(),
            prerequisites: Vec::new(),
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode.parse().unwrap_or(Mode::Klasikal)
    }
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
pub struct CourseQuery {
    /// Words to find in titles, descriptions and module text.
    pub q: Option<String>,
    pub mode: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn list(db: &Db, actor: &Actor, q: &CourseQuery) -> ServiceResult<Page<Course>> {
    let (page, per_page) = paging(q.page, q.per_page);
    let terms: Vec<String> = learning::search_terms(q.q.as_deref().unwrap_or(""))
        .into_iter()
        .take(8)
        .collect();
    let mode = q
        .mode
        .as_deref()
        .filter(|m| !m.trim().is_empty())
        .map(|m| m.parse::<Mode>())
        .transpose()
        .map_err(|()| ServiceError::invalid("mode", "learning.unknown_mode"))?;
    let authors = require_author(actor).is_ok();
    let mut c = db.conn().await?;
    let (rows, total) = store::courses(
        &mut c,
        actor.tenant_id,
        &terms,
        mode.map(Mode::as_str),
        authors,
        per_page,
        (page - 1) * per_page,
    )
    .await?;
    Ok(Page {
        items: rows.into_iter().map(Course::from_row).collect(),
        total,
        page,
        per_page,
    })
}

async fn row(c: &mut Conn, actor: &Actor, code: &str) -> ServiceResult<CourseRow> {
    store::course(c, actor.tenant_id, code.trim())
        .await?
        // A retired course stays readable by its authors only.
        .filter(|r| r.active || require_author(actor).is_ok())
        .ok_or(ServiceError::NotFound)
}

async fn full(c: &mut Conn, tenant: i64, r: CourseRow) -> ServiceResult<Course> {
    let id = r.id;
    let mut course = Course::from_row(r);
    course.competencies = store::course_competencies(c, tenant, id)
        .await?
        .into_iter()
        .map(|k| CompetencyTarget {
            competency: k.code,
            level: k.level,
            name: k.name,
        })
        .collect();
    course.prerequisites = store::prerequisites(c, tenant, id)
        .await?
        .into_iter()
        .map(|p| p.code)
        .collect();
    Ok(course)
}

pub async fn get(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Course> {
    let mut c = db.conn().await?;
    let r = row(&mut c, actor, code).await?;
    full(&mut c, actor.tenant_id, r).await
}

pub(crate) async fn by_id(c: &mut Conn, actor: &Actor, id: i64) -> ServiceResult<Course> {
    let r = store::course_by_id(c, actor.tenant_id, id)
        .await?
        .filter(|r| r.active || require_author(actor).is_ok())
        .ok_or(ServiceError::NotFound)?;
    full(c, actor.tenant_id, r).await
}

struct Checked {
    title: String,
    description: String,
    jalur: Jalur,
    mode: Mode,
    pass_mark: i64,
    time_limit: Option<i64>,
    max_attempts: i64,
    review: &'static str,
    competencies: Vec<(i64, i64)>,
    prerequisites: Vec<i64>,
}

async fn check(
    c: &mut Conn,
    actor: &Actor,
    i: &CourseInput,
    own: Option<i64>,
) -> ServiceResult<Checked> {
    let title = validate::text("title", &i.title, 200)?;
    let description =
        validate::optional_text("description", Some(&i.description), 4000)?.unwrap_or_default();
    let jalur: Jalur = i
        .jalur
        .parse()
        .map_err(|()| ServiceError::invalid("jalur", "learning.unknown_jalur"))?;
    let mode: Mode = i
        .mode
        .parse()
        .map_err(|()| ServiceError::invalid("mode", "learning.unknown_mode"))?;
    if !(1..=1000).contains(&i.jp) {
        return Err(ServiceError::invalid("jp", "learning.jp_range"));
    }
    if !(0..=1_000_000_000).contains(&i.cost) {
        return Err(ServiceError::invalid("cost", "learning.cost_range"));
    }
    let pass_mark = i.pass_mark.unwrap_or(70);
    if !(1..=100).contains(&pass_mark) {
        return Err(ServiceError::invalid(
            "pass_mark",
            "learning.pass_mark_range",
        ));
    }
    let time_limit = i.time_limit.filter(|t| *t != 0);
    if time_limit.is_some_and(|t| !(1..=600).contains(&t)) {
        return Err(ServiceError::invalid(
            "time_limit",
            "learning.time_limit_range",
        ));
    }
    let max_attempts = i.max_attempts.unwrap_or(3);
    if !(1..=20).contains(&max_attempts) {
        return Err(ServiceError::invalid(
            "max_attempts",
            "learning.attempts_range",
        ));
    }
    let review = match i.review.as_deref().map(str::trim) {
        None | Some("") | Some("correctness") => "correctness",
        Some("score") => "score",
        Some("full") => "full",
        Some(_) => return Err(ServiceError::invalid("review", "learning.unknown_review")),
    };
    let mut competencies_out = Vec::new();
    for t in &i.competencies {
        let k = competencies::by_code(c, actor.tenant_id, t.competency.trim())
            .await?
            .filter(|k| k.active)
            .ok_or_else(|| ServiceError::Invalid {
                field: "competencies",
                key: "error.unknown_competency",
                args: vec![("value", t.competency.chars().take(40).collect())],
            })?;
        if !(1..=5).contains(&t.level) {
            return Err(ServiceError::invalid(
                "competencies",
                "learning.level_range",
            ));
        }
        if competencies_out.iter().any(|(id, _)| *id == k.id) {
            return Err(ServiceError::invalid(
                "competencies",
                "learning.duplicate_competency",
            ));
        }
        competencies_out.push((k.id, t.level));
    }
    let mut prerequisites = Vec::new();
    for code in &i.prerequisites {
        let p = store::course(c, actor.tenant_id, code.trim())
            .await?
            .ok_or_else(|| ServiceError::Invalid {
                field: "prerequisites",
                key: "learning.unknown_course",
                args: vec![("value", code.chars().take(40).collect())],
            })?;
        if let Some(own) = own
            && requires(c, actor.tenant_id, p.id, own).await?
        {
            return Err(ServiceError::invalid(
                "prerequisites",
                "learning.self_prerequisite",
            ));
        }
        if !prerequisites.contains(&p.id) {
            prerequisites.push(p.id);
        }
    }
    Ok(Checked {
        title,
        description,
        jalur,
        mode,
        pass_mark,
        time_limit,
        max_attempts,
        review,
        competencies: competencies_out,
        prerequisites,
    })
}

/// Whether `course` is `target` or needs it, directly or through other prerequisites.
async fn requires(c: &mut Conn, tenant: i64, course: i64, target: i64) -> ServiceResult<bool> {
    let mut seen = vec![course];
    let mut next = vec![course];
    while let Some(id) = next.pop() {
        if id == target {
            return Ok(true);
        }
        for p in store::prerequisites(c, tenant, id).await? {
            if !seen.contains(&p.id) {
                seen.push(p.id);
                next.push(p.id);
            }
        }
    }
    Ok(false)
}

/// Rewrites the search text from the course and its modules.
pub(crate) async fn reindex(c: &mut Conn, tenant: i64, course: i64) -> ServiceResult<()> {
    let Some(r) = store::course_by_id(c, tenant, course).await? else {
        return Ok(());
    };
    let modules = store::modules(c, tenant, course).await?;
    let mut parts: Vec<&str> = vec![&r.code, &r.title, &r.description];
    for m in &modules {
        parts.push(&m.title);
        parts.push(&m.body);
    }
    let text = learning::search_text(&parts);
    store::set_search_text(c, tenant, course, &text).await?;
    Ok(())
}

pub async fn create(db: &Db, actor: &Actor, i: &CourseInput) -> ServiceResult<Course> {
    require_author(actor)?;
    let code = validate::code("code", &i.code)?;
    let mut c = Change::begin(db, actor).await?;
    let k = check(&mut c, actor, i, None).await?;
    let id = store::insert_course(
        &mut c,
        actor.tenant_id,
        &data(&code, &k, i, i.active.unwrap_or(true)),
    )
    .await
    .map_err(|e| match ServiceError::from(e) {
        ServiceError::Duplicate { .. } => ServiceError::Duplicate { field: "code" },
        other => other,
    })?;
    store::set_course_creator(&mut c, actor.tenant_id, id, actor.user_id).await?;
    store::set_course_competencies(&mut c, actor.tenant_id, id, &k.competencies).await?;
    store::set_prerequisites(&mut c, actor.tenant_id, id, &k.prerequisites).await?;
    reindex(&mut c, actor.tenant_id, id).await?;
    let out = by_id(&mut c, actor, id).await?;
    c.record("create", "course", &code, None, Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

fn data<'a>(code: &'a str, k: &'a Checked, i: &CourseInput, active: bool) -> store::CourseData<'a> {
    store::CourseData {
        code,
        title: &k.title,
        description: &k.description,
        jalur: k.jalur.as_str(),
        mode: k.mode.as_str(),
        jp: i.jp,
        cost: i.cost,
        pass_mark: k.pass_mark,
        time_limit: k.time_limit,
        max_attempts: k.max_attempts,
        review: k.review,
        active,
    }
}

/// Replaces a course's fields (the code stays). What it credits (JP, mode, target levels,
/// pass mark, attempts, review) changes only by `admin`, or by its creator while nobody has
/// enrolled.
pub async fn update(db: &Db, actor: &Actor, code: &str, i: &CourseInput) -> ServiceResult<Course> {
    require_author(actor)?;
    let mut c = Change::begin(db, actor).await?;
    let course = row(&mut c, actor, code).await?;
    let before = full(&mut c, actor.tenant_id, course.clone()).await?;
    let k = check(&mut c, actor, i, Some(before.id)).await?;
    let targets: Vec<(i64, i64)> = store::course_competencies(&mut c, actor.tenant_id, course.id)
        .await?
        .into_iter()
        .map(|t| (t.competency_id, t.level))
        .collect();
    guards::check_credit_change(
        &mut c,
        actor,
        &course,
        &guards::Credit {
            jp: before.jp,
            mode: before.mode(),
            pass_mark: before.pass_mark,
            targets: &targets,
            max_attempts: before.max_attempts,
            review: &before.review,
        },
        &guards::Credit {
            jp: i.jp,
            mode: k.mode,
            pass_mark: k.pass_mark,
            targets: &k.competencies,
            max_attempts: k.max_attempts,
            review: k.review,
        },
    )
    .await?;
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    let active = i.active.unwrap_or(before.active);
    store::update_course(
        &mut c,
        actor.tenant_id,
        before.id,
        &data(&before.code, &k, i, active),
    )
    .await?;
    store::set_course_competencies(&mut c, actor.tenant_id, before.id, &k.competencies).await?;
    store::set_prerequisites(&mut c, actor.tenant_id, before.id, &k.prerequisites).await?;
    reindex(&mut c, actor.tenant_id, before.id).await?;
    let out = by_id(&mut c, actor, before.id).await?;
    c.record("update", "course", &out.code, Some(&before), Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

// ---------------------------------------------------------------- modules

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Module {
    pub id: i64,
    pub course: String,
    pub position: i64,
    pub title: String,
    pub minutes: i64,
    /// Sanitised HTML of the module text.
    pub html: String,
    /// The author's Markdown (authors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// Whether the caller has finished it.
    pub done: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ModuleInput {
    pub title: String,
    /// Markdown; images may come from the course's files (`/learn/files/{id}`), links may
    /// go anywhere over http(s). HTML is sanitised.
    pub markdown: String,
    #[serde(default)]
    pub minutes: i64,
}

/// Whether the caller may read a course's module text: its authors, the auditor, and
/// whoever is enrolled (or has completed it).
pub(crate) async fn may_read(c: &mut Conn, actor: &Actor, course: i64) -> ServiceResult<bool> {
    if require_author(actor).is_ok() || actor.role == cakap_domain::Role::Auditor {
        return Ok(true);
    }
    let Some(employee) = actor.employee_id else {
        return Ok(false);
    };
    Ok(
        store::active_enrollment(c, actor.tenant_id, course, employee)
            .await?
            .is_some_and(|e| e.status == "enrolled" || e.status == "completed"),
    )
}

/// The modules of a course with the caller's progress; text only for those who may read it.
pub async fn modules(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Vec<Module>> {
    let mut c = db.conn().await?;
    let course = row(&mut c, actor, code).await?;
    let readable = may_read(&mut c, actor, course.id).await?;
    let done = match actor.employee_id {
        Some(e) => store::done_modules(&mut c, actor.tenant_id, e, course.id).await?,
        None => Vec::new(),
    };
    Ok(store::modules(&mut c, actor.tenant_id, course.id)
        .await?
        .into_iter()
        .map(|m| Module {
            id: m.id,
            course: course.code.clone(),
            position: m.position,
            title: m.title,
            minutes: m.minutes,
            html: if readable { m.html } else { String::new() },
            markdown: None,
            done: done.contains(&m.id),
        })
        .collect())
}

/// One module to read (enrolled learners, authors, the auditor).
pub async fn module(db: &Db, actor: &Actor, id: i64) -> ServiceResult<(Course, Module)> {
    let mut c = db.conn().await?;
    let m = store::module(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let course = by_id(&mut c, actor, m.course_id).await?;
    if !may_read(&mut c, actor, course.id).await? {
        return Err(ServiceError::Forbidden);
    }
    let done = match actor.employee_id {
        Some(e) => store::done_modules(&mut c, actor.tenant_id, e, course.id)
            .await?
            .contains(&m.id),
        None => false,
    };
    let author = require_author(actor).is_ok();
    let out = Module {
        id: m.id,
        course: course.code.clone(),
        position: m.position,
        title: m.title,
        minutes: m.minutes,
        html: m.html,
        markdown: author.then_some(m.body),
        done,
    };
    Ok((course, out))
}

fn check_module(i: &ModuleInput) -> ServiceResult<(String, String)> {
    let title = validate::text("title", &i.title, 200)?;
    if i.markdown.len() > 200_000 {
        return Err(ServiceError::Invalid {
            field: "markdown",
            key: "error.too_long",
            args: vec![("max", "200000".into())],
        });
    }
    if !(0..=6000).contains(&i.minutes) {
        return Err(ServiceError::invalid("minutes", "learning.minutes_range"));
    }
    Ok((title, markdown::to_html(&i.markdown)))
}

pub async fn add_module(
    db: &Db,
    actor: &Actor,
    code: &str,
    i: &ModuleInput,
) -> ServiceResult<Module> {
    require_author(actor)?;
    let (title, html) = check_module(i)?;
    let mut c = Change::begin(db, actor).await?;
    let course = row(&mut c, actor, code).await?;
    let d = store::ModuleData {
        title: &title,
        body: &i.markdown,
        html: &html,
        minutes: i.minutes,
    };
    let id = store::insert_module(&mut c, actor.tenant_id, course.id, &d).await?;
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    reindex(&mut c, actor.tenant_id, course.id).await?;
    let m = store::module(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let out = Module {
        id,
        course: course.code.clone(),
        position: m.position,
        title,
        minutes: i.minutes,
        html,
        markdown: Some(i.markdown.clone()),
        done: false,
    };
    c.record("create", "module", &id.to_string(), None, Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

pub async fn update_module(
    db: &Db,
    actor: &Actor,
    id: i64,
    i: &ModuleInput,
) -> ServiceResult<Module> {
    require_author(actor)?;
    let (title, html) = check_module(i)?;
    let mut c = Change::begin(db, actor).await?;
    let before = store::module(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let course = by_id(&mut c, actor, before.course_id).await?;
    let d = store::ModuleData {
        title: &title,
        body: &i.markdown,
        html: &html,
        minutes: i.minutes,
    };
    store::update_module(&mut c, actor.tenant_id, id, &d).await?;
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    reindex(&mut c, actor.tenant_id, course.id).await?;
    let out = Module {
        id,
        course: course.code,
        position: before.position,
        title,
        minutes: i.minutes,
        html,
        markdown: Some(i.markdown.clone()),
        done: false,
    };
    c.record(
        "update",
        "module",
        &id.to_string(),
        Some(&serde_json::json!({"title": before.title, "markdown": before.body})),
        Some(&serde_json::json!({"title": out.title, "markdown": i.markdown})),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

/// Marks a module read by the caller; completes the course when that was the last step.
/// Returns whether the course is now completed.
pub async fn mark_done(db: &Db, actor: &Actor, module: i64) -> ServiceResult<bool> {
    let employee = own_employee(actor)?;
    let mut c = Change::begin(db, actor).await?;
    // Progress of one learner is written one at a time, so two last modules sent together
    // (after reading offline) cannot both miss the completion.
    c.lock(cakap_store::LockSpace::Learner, employee).await?;
    let m = store::module(&mut c, actor.tenant_id, module)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let enrollment = store::active_enrollment(&mut c, actor.tenant_id, m.course_id, employee)
        .await?
        .filter(|e| e.status == "enrolled" || e.status == "completed")
        .ok_or(ServiceError::Forbidden)?;
    store::mark_done(&mut c, actor.tenant_id, employee, module).await?;
    let completed = super::offerings::try_complete(&mut c, actor, &enrollment).await?;
    c.finish(super::completion(completed)).await?;
    Ok(completed || enrollment.status == "completed")
}

// ---------------------------------------------------------------- files

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

// ---------------------------------------------------------------- questions

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuestionInput {
    pub prompt: String,
    /// Choices for `single` and `multiple` (2–8).
    #[serde(default)]
    pub options: Vec<String>,
    /// `{"kind":"single","correct":1}`, `{"kind":"multiple","correct":[0,2]}`,
    /// `{"kind":"true_false","value":true}`, `{"kind":"numeric","value":20,"tolerance":0}`,
    /// `{"kind":"text","accept":["tanggap darurat"]}`.
    #[schema(value_type = Object)]
    pub answer: AnswerKey,
    pub points: Option<i64>,
}

/// A question as its authors see it (with the key). Learners never receive this.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Question {
    pub id: i64,
    pub position: i64,
    pub kind: String,
    pub prompt: String,
    pub options: Vec<String>,
    #[schema(value_type = Object)]
    pub answer: AnswerKey,
    pub points: i64,
}

pub(crate) fn parse_question(q: &store::QuestionRow) -> ServiceResult<Question> {
    let bad = |_| ServiceError::Internal(format!("question {} is unreadable", q.id));
    Ok(Question {
        id: q.id,
        position: q.position,
        kind: q.kind.clone(),
        prompt: q.prompt.clone(),
        options: serde_json::from_str(&q.options).map_err(bad)?,
        answer: serde_json::from_str(&q.answer_key).map_err(bad)?,
        points: q.points,
    })
}

/// The question bank with its keys: `admin`, the course's authors and the trainers of its
/// classes.
pub async fn questions(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Vec<Question>> {
    require_author(actor)?;
    let mut c = db.conn().await?;
    let course = row(&mut c, actor, code).await?;
    if !guards::may_read_keys(&mut c, actor, course.id).await? {
        return Err(ServiceError::Forbidden);
    }
    store::questions(&mut c, actor.tenant_id, course.id)
        .await?
        .iter()
        .map(parse_question)
        .collect()
}

pub async fn add_question(
    db: &Db,
    actor: &Actor,
    code: &str,
    i: &QuestionInput,
) -> ServiceResult<Question> {
    require_author(actor)?;
    let prompt = validate::text("prompt", &i.prompt, 2000)?;
    let kind = i.answer.kind();
    let options: Vec<String> = match kind {
        QuestionKind::Single | QuestionKind::Multiple => i
            .options
            .iter()
            .map(|o| validate::text("options", o, 500))
            .collect::<ServiceResult<_>>()?,
        _ => Vec::new(),
    };
    if matches!(kind, QuestionKind::Single | QuestionKind::Multiple)
        && !(2..=8).contains(&options.len())
    {
        return Err(ServiceError::invalid("options", "quiz.options_count"));
    }
    if !i.answer.valid(options.len()) {
        return Err(ServiceError::invalid("answer", "quiz.bad_key"));
    }
    let points = i.points.unwrap_or(1);
    if !(1..=100).contains(&points) {
        return Err(ServiceError::invalid("points", "quiz.points_range"));
    }
    let options_json =
        serde_json::to_string(&options).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let key_json =
        serde_json::to_string(&i.answer).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let mut c = Change::begin(db, actor).await?;
    let course = row(&mut c, actor, code).await?;
    let id = store::insert_question(
        &mut c,
        actor.tenant_id,
        course.id,
        &store::NewQuestion {
            kind: kind.as_str(),
            prompt: &prompt,
            options: &options_json,
            answer_key: &key_json,
            points,
        },
    )
    .await?;
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    let out = store::questions(&mut c, actor.tenant_id, course.id)
        .await?
        .iter()
        .find(|q| q.id == id)
        .map(parse_question)
        .ok_or(ServiceError::NotFound)??;
    // The log keeps the question, not its key: the auditor reads the log.
    c.record(
        "create",
        "question",
        &id.to_string(),
        None,
        Some(&guards::audited_question(&out)),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

/// Removes a question that no attempt has answered yet (answered ones stay, so past grades
/// can be reviewed).
pub async fn delete_question(db: &Db, actor: &Actor, code: &str, id: i64) -> ServiceResult<()> {
    require_author(actor)?;
    let mut c = Change::begin(db, actor).await?;
    let course = row(&mut c, actor, code).await?;
    let before = store::questions(&mut c, actor.tenant_id, course.id)
        .await?
        .iter()
        .find(|q| q.id == id)
        .map(parse_question)
        .ok_or(ServiceError::NotFound)??;
    if !store::delete_question(&mut c, actor.tenant_id, course.id, id).await? {
        return Err(ServiceError::Conflict {
            key: "quiz.question_answered",
        });
    }
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    c.record(
        "delete",
        "question",
        &id.to_string(),
        Some(&guards::audited_question(&before)),
        None,
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(())
}
