//! The catalogue: courses with their jalur, mode, JP, cost, target competencies and
//! prerequisites; e-learning modules (Markdown, sanitised), files and the question bank.
//! Search folds case and accents and skips Indonesian stop words, over titles,
//! descriptions and module text.

mod files;
mod modules;
mod questions;
mod view;

pub use files::*;
pub use modules::*;
pub use questions::*;
pub use view::{CourseView, view};

use cakap_domain::learning::{self, Jalur, Mode};
use cakap_store::learning::{self as store, CourseRow};
use cakap_store::{Conn, competencies};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{guards, require_author};
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
    /// The activity id (IRI) an outside platform reports this course as over xAPI; `""`
    /// clears it, absent keeps it. BKPSDM (`admin`) only.
    #[serde(default)]
    pub xapi_activity_id: Option<String>,
    /// The Moodle short name its completions are imported under; `""` clears, absent keeps.
    /// BKPSDM only.
    #[serde(default)]
    pub moodle_shortname: Option<String>,
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
    pub xapi_activity_id: Option<String>,
    pub moodle_shortname: Option<String>,
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
            xapi_activity_id: r.xapi_activity_id,
            moodle_shortname: r.moodle_shortname,
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

pub(super) async fn row(c: &mut Conn, actor: &Actor, code: &str) -> ServiceResult<CourseRow> {
    store::course(c, actor.tenant_id, code.trim())
        .await?
        // A retired course stays readable by its authors only.
        .filter(|r| r.active || require_author(actor).is_ok())
        .ok_or(ServiceError::NotFound)
}

pub(super) async fn full(c: &mut Conn, tenant: i64, r: CourseRow) -> ServiceResult<Course> {
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
pub async fn reindex(c: &mut Conn, tenant: i64, course: i64) -> ServiceResult<()> {
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
    let mapped = set_links(&mut c, actor, id, (None, None), i).await?;
    reindex(&mut c, actor.tenant_id, id).await?;
    let out = by_id(&mut c, actor, id).await?;
    c.record("create", "course", &code, None, Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    credit_mapped(db, actor, mapped, &out).await?;
    Ok(out)
}

/// Sets the course's outside identities from the input (absent: kept; `""`: cleared). A
/// change is BKPSDM's alone: what maps to a course decides whose JP outside platforms credit.
/// Returns the xAPI activity newly mapped, whose waiting completions are to be credited.
async fn set_links(
    c: &mut Conn,
    actor: &Actor,
    course: i64,
    before: (Option<String>, Option<String>),
    i: &CourseInput,
) -> ServiceResult<Option<String>> {
    let pick = |given: &Option<String>, old: &Option<String>| match given {
        None => old.clone(),
        Some(v) => Some(v.trim().to_string()).filter(|v| !v.is_empty()),
    };
    let xapi = pick(&i.xapi_activity_id, &before.0);
    let moodle = pick(&i.moodle_shortname, &before.1);
    if (xapi.clone(), moodle.clone()) == before {
        return Ok(None);
    }
    actor.require_admin()?;
    if let Some(a) = &xapi {
        crate::xapi::credit::check_activity(a, "xapi_activity_id")?;
    }
    let moodle = match &moodle {
        Some(m) => validate::optional_text("moodle_shortname", Some(m), 100)?,
        None => None,
    };
    store::set_course_links(
        c,
        actor.tenant_id,
        course,
        xapi.as_deref(),
        moodle.as_deref(),
    )
    .await
    .map_err(|e| match e {
        cakap_store::StoreError::Duplicate(what) if what.contains("moodle") => {
            ServiceError::Duplicate {
                field: "moodle_shortname",
            }
        }
        cakap_store::StoreError::Duplicate(_) => ServiceError::Duplicate {
            field: "xapi_activity_id",
        },
        e => e.into(),
    })?;
    Ok(xapi.filter(|a| Some(a) != before.0.as_ref()))
}

/// Credits the completions that were waiting for an activity now mapped to `course`.
async fn credit_mapped(
    db: &Db,
    actor: &Actor,
    activity: Option<String>,
    course: &Course,
) -> ServiceResult<()> {
    if let Some(a) = activity {
        crate::xapi::credit::credit_waiting(db, actor, &a, &course.code).await?;
    }
    Ok(())
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
    let links = (
        before.xapi_activity_id.clone(),
        before.moodle_shortname.clone(),
    );
    let mapped = set_links(&mut c, actor, before.id, links, i).await?;
    reindex(&mut c, actor.tenant_id, before.id).await?;
    let out = by_id(&mut c, actor, before.id).await?;
    c.record("update", "course", &out.code, Some(&before), Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    credit_mapped(db, actor, mapped, &out).await?;
    Ok(out)
}
