//! Learning pages: the learner's dashboard, the catalogue and a course (classes, modules,
//! quiz, certificate), reading a module (kept for offline reading by the service worker),
//! taking a quiz, classes with attendance, development activities with approval, the 20-JP
//! report, and the public certificate check.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cakap_domain::Role;
use cakap_domain::learning::{AnswerKey, JP_TARGET};
use cakap_services::exports::{Format, Table};
use cakap_services::learning::activities::{
    self, Activity, ActivityInput, ActivityQuery, Decision,
};
use cakap_services::learning::catalogue::{
    self, Course, CourseFile, CourseInput, CourseQuery, Module, ModuleInput, Question,
    QuestionInput,
};
use cakap_services::learning::certificates::{self, Verification};
use cakap_services::learning::jp::{self, EmployeeJp};
use cakap_services::learning::offerings::{
    self, EnrollInput, Enrollment, Offering, OfferingInput, Requirements,
};
use cakap_services::learning::quiz::{self, Attempt};
use cakap_services::{ServiceError, performance, units};
use serde::Deserialize;

use super::home::{Bar, Chart};
use super::{Ui, UnitOption, href, render, render_status, service_error, unit_options};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::{Lang, fmt_int};

pub(crate) type Fields = axum::Form<Vec<(String, String)>>;

pub(crate) fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

pub(crate) fn rupiah(lang: Lang, n: i64) -> String {
    if n == 0 {
        return crate::i18n::t(lang, "learn.free").to_string();
    }
    format!("Rp {}", fmt_int(lang, n))
}

/// A share with one decimal in the page's language: 19,4 (id), 19.4 (en).
pub(crate) fn pct1(lang: Lang, x: f64) -> String {
    let s = format!("{x:.1}");
    match lang {
        Lang::Id => s.replace('.', ","),
        Lang::En => s,
    }
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn is_author(actor: &cakap_services::Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Instruktur)
}

/// A refusal of a small action, on its own page with a way back.
pub(crate) fn refusal(ctx: &Ctx, e: ServiceError) -> Response {
    service_error(ctx, e)
}

// ---------------------------------------------------------------- dashboard

pub struct Continue {
    pub course: String,
    pub title: String,
    pub done: i64,
    pub total: i64,
    pub pct: i64,
    pub next: Option<i64>,
}

#[derive(Template)]
#[template(path = "learn_home.html")]
struct HomePage {
    ui: Ui,
    year: i64,
    jp: Option<EmployeeJp>,
    jp_pct: i64,
    target: i64,
    continuing: Vec<Continue>,
    enrollments: Vec<Enrollment>,
    can_report: bool,
    can_author: bool,
}

pub async fn home(State(s): State<AppState>, PageActor { actor, ctx }: PageActor) -> Response {
    let year = performance::current_year();
    let jp = match &actor.nip {
        Some(nip) => jp::of_employee(&s.db, &actor, nip, year).await.ok(),
        None => None,
    };
    let enrollments = match offerings::mine(&s.db, &actor).await {
        Ok(e) => e,
        Err(e) => return service_error(&ctx, e),
    };
    let mut continuing = Vec::new();
    for e in enrollments
        .iter()
        .filter(|e| e.status == "enrolled" && e.mode != "klasikal")
    {
        let Ok(modules) = catalogue::modules(&s.db, &actor, &e.course).await else {
            continue;
        };
        let done = modules.iter().filter(|m| m.done).count() as i64;
        let total = modules.len() as i64;
        continuing.push(Continue {
            course: e.course.clone(),
            title: e.course_title.clone(),
            done,
            total,
            pct: if total > 0 { done * 100 / total } else { 0 },
            next: modules.iter().find(|m| !m.done).map(|m| m.id),
        });
    }
    let jp_pct = jp.as_ref().map_or(0, |j| (j.jp * 100 / JP_TARGET).min(100));
    render(&HomePage {
        ui: Ui::new(&ctx, "/learn"),
        year,
        jp,
        jp_pct,
        target: JP_TARGET,
        continuing,
        enrollments,
        can_report: matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan),
        can_author: is_author(&actor),
    })
}

// ---------------------------------------------------------------- catalogue

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CatalogueQuery {
    q: String,
    mode: String,
    page: String,
}

pub struct CourseCard {
    pub c: Course,
    pub cost: String,
}

#[derive(Template)]
#[template(path = "learn_courses.html")]
struct CataloguePage {
    ui: Ui,
    q: String,
    mode: String,
    courses: Vec<CourseCard>,
    total: String,
    prev: Option<String>,
    next: Option<String>,
    can_author: bool,
}

pub async fn catalogue_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<CatalogueQuery>,
) -> Response {
    let page = q.page.parse().unwrap_or(1);
    let query = CourseQuery {
        q: Some(q.q.clone()),
        mode: Some(q.mode.clone()),
        page: Some(page),
        per_page: Some(24),
    };
    let list = match catalogue::list(&s.db, &actor, &query).await {
        Ok(l) => l,
        Err(e) => return service_error(&ctx, e),
    };
    let pairs = [("q", q.q.clone()), ("mode", q.mode.clone())];
    let (prev, next) = super::pager(
        "/learn/courses",
        &pairs,
        list.page,
        list.per_page,
        list.total,
    );
    let lang = ctx.lang;
    render(&CataloguePage {
        ui: Ui::new(&ctx, "/learn"),
        total: fmt_int(lang, list.total),
        courses: list
            .items
            .into_iter()
            .map(|c| CourseCard {
                cost: rupiah(lang, c.cost),
                c,
            })
            .collect(),
        q: q.q,
        mode: q.mode,
        prev,
        next,
        can_author: is_author(&actor),
    })
}

// ---------------------------------------------------------------- one course

pub struct OfferingRow {
    pub o: Offering,
    pub place: String,
    pub seats: String,
}

impl OfferingRow {
    /// A class with its place (or kecamatan, or "online") and seats left of all, in words.
    fn new(lang: Lang, o: Offering) -> OfferingRow {
        OfferingRow {
            place: match (&o.place, &o.kecamatan) {
                (Some(p), _) => p.clone(),
                (None, Some(k)) => super::kecamatan_name(Some(k)),
                _ => crate::i18n::t(lang, "learn.online").to_string(),
            },
            seats: match (o.seats, o.seats_left) {
                (Some(total), Some(left)) => {
                    format!("{} / {}", fmt_int(lang, left), fmt_int(lang, total))
                }
                _ => "∞".into(),
            },
            o,
        }
    }
}

#[derive(Template)]
#[template(path = "learn_course.html")]
struct CoursePage {
    ui: Ui,
    c: Course,
    cost: String,
    modules: Vec<Module>,
    offerings: Vec<OfferingRow>,
    mine: Option<(Enrollment, Requirements)>,
    missing: Vec<String>,
    attempts: Vec<(i64, i64, String, bool, bool)>,
    can_author: bool,
    can_enrol_others: bool,
    questions: Vec<Question>,
    files: Vec<CourseFile>,
    jalur_key: String,
}

pub async fn course_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
) -> Response {
    let c = match catalogue::get(&s.db, &actor, &code).await {
        Ok(c) => c,
        Err(e) => return service_error(&ctx, e),
    };
    let lang = ctx.lang;
    let modules = catalogue::modules(&s.db, &actor, &c.code)
        .await
        .unwrap_or_default();
    let q = offerings::OfferingQuery {
        course: Some(c.code.clone()),
        all: Some(false),
    };
    let offerings = offerings::list(&s.db, &actor, &q)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|o| OfferingRow::new(lang, o))
        .collect();
    let mine = offerings::in_course(&s.db, &actor, c.id)
        .await
        .unwrap_or_default();
    let missing = offerings::missing_prerequisites(&s.db, &actor, c.id)
        .await
        .unwrap_or_default();
    let attempts = quiz::mine(&s.db, &actor, c.id)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|a| {
            (
                a.id,
                a.number,
                a.score.map_or_else(|| "—".into(), |s| format!("{s}%")),
                a.passed == Some(true),
                a.submitted_at.is_some(),
            )
        })
        .collect();
    let author = is_author(&actor);
    let (questions, files) = if author {
        (
            catalogue::questions(&s.db, &actor, &c.code)
                .await
                .unwrap_or_default(),
            catalogue::files(&s.db, &actor, &c.code)
                .await
                .unwrap_or_default(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    render(&CoursePage {
        ui: Ui::new(&ctx, "/learn"),
        cost: rupiah(lang, c.cost),
        jalur_key: format!("jalur.{}", c.jalur),
        modules,
        offerings,
        mine,
        missing,
        attempts,
        can_author: author,
        can_enrol_others: matches!(actor.role, Role::Admin | Role::Pimpinan),
        questions,
        files,
        c,
    })
}

#[derive(Template)]
#[template(path = "learn_course_form.html")]
struct CourseForm {
    ui: Ui,
    editing: Option<String>,
    v: Vec<(String, String)>,
    competencies: String,
    error: Option<String>,
    jalur: Vec<&'static str>,
}

fn all_jalur() -> Vec<&'static str> {
    cakap_domain::learning::Jalur::ALL
        .iter()
        .map(|j| j.as_str())
        .collect()
}

impl CourseForm {
    fn get(&self, name: &str) -> &str {
        self.v
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn course_fields(c: &Course) -> Vec<(String, String)> {
    [
        ("code", c.code.clone()),
        ("title", c.title.clone()),
        ("description", c.description.clone()),
        ("jalur", c.jalur.clone()),
        ("mode", c.mode.clone()),
        ("jp", c.jp.to_string()),
        ("cost", c.cost.to_string()),
        ("pass_mark", c.pass_mark.to_string()),
        (
            "time_limit",
            c.time_limit.map(|t| t.to_string()).unwrap_or_default(),
        ),
        ("max_attempts", c.max_attempts.to_string()),
        ("review", c.review.clone()),
        ("prerequisites", c.prerequisites.join(", ")),
        ("active", if c.active { "1" } else { "" }.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub async fn new_course(PageActor { actor, ctx }: PageActor) -> Response {
    if !is_author(&actor) {
        return service_error(&ctx, ServiceError::Forbidden);
    }
    render(&CourseForm {
        ui: Ui::new(&ctx, "/learn"),
        editing: None,
        v: vec![
            ("mode".into(), "e_learning".into()),
            ("jalur".into(), "e_learning".into()),
            ("pass_mark".into(), "70".into()),
            ("max_attempts".into(), "3".into()),
            ("review".into(), "correctness".into()),
            ("active".into(), "1".into()),
        ],
        competencies: String::new(),
        error: None,
        jalur: all_jalur(),
    })
}

pub async fn edit_course(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
) -> Response {
    if !is_author(&actor) {
        return service_error(&ctx, ServiceError::Forbidden);
    }
    match catalogue::get(&s.db, &actor, &code).await {
        Ok(c) => render(&CourseForm {
            ui: Ui::new(&ctx, "/learn"),
            editing: Some(c.code.clone()),
            competencies: c
                .competencies
                .iter()
                .map(|k| format!("{}={}", k.competency, k.level))
                .collect::<Vec<_>>()
                .join(", "),
            v: course_fields(&c),
            error: None,
            jalur: all_jalur(),
        }),
        Err(e) => service_error(&ctx, e),
    }
}

/// `M.05=3, T.BNC.04=2` → targets; anything unreadable is passed on for the service to name.
fn parse_targets(s: &str) -> Vec<catalogue::CompetencyTarget> {
    s.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (code, level) = p.split_once('=').unwrap_or((p, ""));
            catalogue::CompetencyTarget {
                competency: code.trim().to_string(),
                level: level.trim().parse().unwrap_or(0),
                name: String::new(),
            }
        })
        .collect()
}

fn course_input(f: &[(String, String)]) -> CourseInput {
    let num = |name: &str| field(f, name).parse::<i64>().ok();
    CourseInput {
        code: field(f, "code"),
        title: field(f, "title"),
        description: field(f, "description"),
        jalur: field(f, "jalur"),
        mode: field(f, "mode"),
        jp: num("jp").unwrap_or(0),
        cost: num("cost").unwrap_or(-1),
        pass_mark: num("pass_mark"),
        time_limit: num("time_limit"),
        max_attempts: num("max_attempts"),
        review: Some(field(f, "review")),
        active: Some(!field(f, "active").is_empty()),
        competencies: parse_targets(&field(f, "competencies")),
        prerequisites: field(f, "prerequisites")
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

pub async fn save_course(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    code: Option<Path<String>>,
    axum::Form(f): Fields,
) -> Response {
    let input = course_input(&f);
    let editing = code.map(|p| p.0);
    let result = match &editing {
        Some(code) => catalogue::update(&s.db, &actor, code, &input).await,
        None => catalogue::create(&s.db, &actor, &input).await,
    };
    match result {
        Ok(c) => see_other(&format!("/learn/courses/{}", c.code)),
        Err(e) => match super::refused(e) {
            Ok((status, _, message)) => render_status(
                status,
                &CourseForm {
                    ui: Ui::new(&ctx, "/learn"),
                    competencies: field(&f, "competencies"),
                    v: f,
                    editing,
                    error: Some(message),
                    jalur: all_jalur(),
                },
            ),
            Err(e) => service_error(&ctx, e),
        },
    }
}

pub async fn update_course(
    s: State<AppState>,
    actor: PageActor,
    code: Path<String>,
    f: Fields,
) -> Response {
    save_course(s, actor, Some(code), f).await
}

pub async fn create_course(s: State<AppState>, actor: PageActor, f: Fields) -> Response {
    save_course(s, actor, None, f).await
}

/// A module from its form; the Markdown is kept as typed (leading spaces matter).
fn module_input(f: &[(String, String)]) -> ModuleInput {
    ModuleInput {
        title: field(f, "title"),
        markdown: f
            .iter()
            .find(|(k, _)| k == "markdown")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        minutes: field(f, "minutes").parse().unwrap_or(0),
    }
}

pub async fn add_module(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    axum::Form(f): Fields,
) -> Response {
    let input = module_input(&f);
    match catalogue::add_module(&s.db, &actor, &code, &input).await {
        Ok(m) => see_other(&format!("/learn/modules/{}", m.id)),
        Err(e) => refusal(&ctx, e),
    }
}

/// The answer key from the question form's fields.
fn question_input(f: &[(String, String)]) -> QuestionInput {
    let lines = |name: &str| -> Vec<String> {
        f.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| {
                v.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    // People count options from 1.
    let picks: Vec<usize> = field(f, "correct")
        .split([',', ' '])
        .filter_map(|p| p.trim().parse::<usize>().ok())
        .filter_map(|p| p.checked_sub(1))
        .collect();
    let answer = match field(f, "kind").as_str() {
        "single" => AnswerKey::Single {
            correct: picks.first().copied().unwrap_or(usize::MAX),
        },
        "multiple" => AnswerKey::Multiple { correct: picks },
        "true_false" => AnswerKey::TrueFalse {
            value: field(f, "truth") == "true",
        },
        "numeric" => AnswerKey::Numeric {
            value: field(f, "value")
                .replace(',', ".")
                .parse()
                .unwrap_or(f64::NAN),
            tolerance: field(f, "tolerance")
                .replace(',', ".")
                .parse()
                .unwrap_or(0.0),
        },
        _ => AnswerKey::Text {
            accept: lines("accept"),
        },
    };
    QuestionInput {
        prompt: field(f, "prompt"),
        options: lines("options"),
        answer,
        points: field(f, "points").parse().ok(),
    }
}

pub async fn add_question(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    axum::Form(f): Fields,
) -> Response {
    match catalogue::add_question(&s.db, &actor, &code, &question_input(&f)).await {
        Ok(_) => see_other(&format!("/learn/courses/{code}#questions")),
        Err(e) => refusal(&ctx, e),
    }
}

pub async fn delete_question(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path((code, id)): Path<(String, i64)>,
) -> Response {
    match catalogue::delete_question(&s.db, &actor, &code, id).await {
        Ok(()) => see_other(&format!("/learn/courses/{code}#questions")),
        Err(e) => refusal(&ctx, e),
    }
}

pub async fn upload_file(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    multipart: axum::extract::Multipart,
) -> Response {
    let file = match super::read_multipart(multipart, "file").await {
        Ok((_, Some(file))) => file,
        Ok((_, None)) => {
            return super::error_page(&ctx, StatusCode::UNPROCESSABLE_ENTITY, "error.required");
        }
        Err((status, key)) => return super::error_page(&ctx, status, key),
    };
    match catalogue::add_file(&s.db, &actor, &code, &file).await {
        Ok(_) => see_other(&format!("/learn/courses/{code}#files")),
        Err(e) => refusal(&ctx, e),
    }
}

/// A course file: images shown in place, PDFs downloaded.
pub async fn file(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> Response {
    use axum::http::{HeaderValue, header};
    match catalogue::file(&s.db, &actor, id).await {
        Ok((name, ctype, bytes)) if ctype.starts_with("image/") => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
            // Course images do not change under an id: let the browser and the service
            // worker keep them.
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=86400"),
            );
            let _ = name;
            res
        }
        Ok((name, ctype, bytes)) => crate::api::file_response(&name, ctype, bytes),
        Err(e) => service_error(&ctx, e),
    }
}

// ---------------------------------------------------------------- modules

#[derive(Template)]
#[template(path = "learn_module.html")]
struct ModulePage {
    ui: Ui,
    course: Course,
    m: Module,
    prev: Option<i64>,
    next: Option<i64>,
    index: usize,
    count: usize,
    can_author: bool,
    learner: bool,
}

pub async fn module_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> Response {
    let (course, m) = match catalogue::module(&s.db, &actor, id).await {
        Ok(x) => x,
        Err(e) => return service_error(&ctx, e),
    };
    let all = catalogue::modules(&s.db, &actor, &course.code)
        .await
        .unwrap_or_default();
    let index = all.iter().position(|x| x.id == id).unwrap_or(0);
    let learner = offerings::in_course(&s.db, &actor, course.id)
        .await
        .ok()
        .flatten()
        .is_some_and(|(e, _)| e.status == "enrolled" || e.status == "completed");
    render(&ModulePage {
        ui: Ui::new(&ctx, "/learn"),
        prev: index.checked_sub(1).and_then(|i| all.get(i)).map(|m| m.id),
        next: all.get(index + 1).map(|m| m.id),
        count: all.len(),
        index: index + 1,
        can_author: is_author(&actor),
        learner,
        course,
        m,
    })
}

pub async fn update_module(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let input = module_input(&f);
    match catalogue::update_module(&s.db, &actor, id, &input).await {
        Ok(m) => see_other(&format!("/learn/modules/{}", m.id)),
        Err(e) => refusal(&ctx, e),
    }
}

/// "Selesai dibaca" without JavaScript (with it, the page posts to the API and queues the
/// call while offline).
pub async fn module_done(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    match catalogue::mark_done(&s.db, &actor, id).await {
        Ok(_) => {
            let next = field(&f, "next");
            if next.parse::<i64>().is_ok() {
                see_other(&format!("/learn/modules/{next}"))
            } else {
                see_other(&format!("/learn/courses/{}", field(&f, "course")))
            }
        }
        Err(e) => refusal(&ctx, e),
    }
}

// ---------------------------------------------------------------- enrolment

pub async fn enroll(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    axum::Form(f): Fields,
) -> Response {
    let nips: Vec<String> = field(&f, "nips")
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let input = EnrollInput {
        offering: field(&f, "offering"),
        nips,
    };
    match offerings::enroll(&s.db, &actor, &input).await {
        Ok(list) => {
            let back = field(&f, "back");
            if back.starts_with("/learn/") && !back.starts_with("//") {
                see_other(&back)
            } else {
                see_other(&list.first().map_or_else(
                    || "/learn".into(),
                    |e| format!("/learn/courses/{}", e.course),
                ))
            }
        }
        Err(e) => refusal(&ctx, e),
    }
}

pub async fn cancel(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> Response {
    match offerings::cancel(&s.db, &actor, id).await {
        Ok(e) => see_other(&format!("/learn/courses/{}", e.course)),
        Err(e) => refusal(&ctx, e),
    }
}

// ---------------------------------------------------------------- quiz

pub async fn start_quiz(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
) -> Response {
    let course = match catalogue::get(&s.db, &actor, &code).await {
        Ok(c) => c,
        Err(e) => return service_error(&ctx, e),
    };
    match quiz::start(&s.db, &actor, course.id).await {
        Ok(a) => see_other(&format!("/learn/attempts/{}", a.id)),
        Err(e) => refusal(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "learn_attempt.html")]
struct AttemptPage {
    ui: Ui,
    a: Attempt,
    title: String,
    certificate: Option<String>,
}

impl AttemptPage {
    fn checked(&self, q: &cakap_services::learning::quiz::QuestionView, key: &usize) -> bool {
        match &q.answer {
            Some(serde_json::Value::Number(n)) => n.as_u64() == Some(*key as u64),
            Some(serde_json::Value::Array(v)) => v.iter().any(|x| x.as_u64() == Some(*key as u64)),
            _ => false,
        }
    }
    fn is_bool(&self, q: &cakap_services::learning::quiz::QuestionView, b: bool) -> bool {
        q.answer.as_ref().and_then(serde_json::Value::as_bool) == Some(b)
    }
    fn text(&self, q: &cakap_services::learning::quiz::QuestionView) -> String {
        match &q.answer {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }
    /// The right answer in words, for a review that shows it.
    fn key_text(&self, q: &cakap_services::learning::quiz::QuestionView) -> String {
        let option = |i: &usize| {
            q.options
                .iter()
                .find(|o| o.key == *i)
                .map_or_else(String::new, |o| o.text.clone())
        };
        match &q.key {
            Some(AnswerKey::Single { correct }) => option(correct),
            Some(AnswerKey::Multiple { correct }) => {
                correct.iter().map(option).collect::<Vec<_>>().join("; ")
            }
            Some(AnswerKey::TrueFalse { value }) => self
                .ui
                .t(if *value { "quiz.true" } else { "quiz.false" })
                .to_string(),
            Some(AnswerKey::Numeric { value, .. }) => value.to_string(),
            Some(AnswerKey::Text { accept }) => accept.first().cloned().unwrap_or_default(),
            None => String::new(),
        }
    }
}

pub async fn attempt_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> Response {
    let a = match quiz::view(&s.db, &actor, id).await {
        Ok(a) => a,
        Err(e) => return service_error(&ctx, e),
    };
    let course = catalogue::get(&s.db, &actor, &a.course).await;
    let certificate = match &course {
        Ok(c) => offerings::in_course(&s.db, &actor, c.id)
            .await
            .ok()
            .flatten()
            .and_then(|(e, _)| e.certificate),
        Err(_) => None,
    };
    render(&AttemptPage {
        ui: Ui::new(&ctx, "/learn"),
        title: course.map(|c| c.title).unwrap_or_default(),
        certificate,
        a,
    })
}

/// The quiz form: every answer at once, graded on the server.
pub async fn submit_quiz(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let a = match quiz::view(&s.db, &actor, id).await {
        Ok(a) => a,
        Err(e) => return service_error(&ctx, e),
    };
    let mut answers = std::collections::HashMap::new();
    for q in &a.questions {
        let name = format!("q{}", q.id);
        let values: Vec<&str> = f
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.trim())
            .collect();
        let value = match q.kind.as_str() {
            "single" => values
                .first()
                .and_then(|v| v.parse::<u64>().ok())
                .map(serde_json::Value::from),
            "multiple" => Some(serde_json::Value::from(
                values
                    .iter()
                    .filter_map(|v| v.parse::<u64>().ok())
                    .collect::<Vec<_>>(),
            ))
            .filter(|v| v.as_array().is_some_and(|a| !a.is_empty())),
            "true_false" => values
                .first()
                .map(|v| serde_json::Value::from(*v == "true")),
            _ => values
                .first()
                .filter(|v| !v.is_empty())
                .map(|v| serde_json::Value::from(*v)),
        };
        if let Some(v) = value {
            answers.insert(q.id.to_string(), v);
        }
    }
    match quiz::submit(&s.db, &actor, id, &quiz::SubmitInput { answers }).await {
        Ok(_) => see_other(&format!("/learn/attempts/{id}")),
        Err(e) => refusal(&ctx, e),
    }
}

// ---------------------------------------------------------------- classes

#[derive(Template)]
#[template(path = "learn_offerings.html")]
struct OfferingsPage {
    ui: Ui,
    offerings: Vec<OfferingRow>,
    courses: Vec<Course>,
    can_create: bool,
    kecamatan: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

async fn offerings_rows(
    s: &AppState,
    actor: &cakap_services::Actor,
    lang: Lang,
) -> Vec<OfferingRow> {
    let q = offerings::OfferingQuery {
        course: None,
        all: Some(true),
    };
    offerings::list(&s.db, actor, &q)
        .await
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|o| OfferingRow::new(lang, o))
        .collect()
}

pub async fn offerings_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
) -> Response {
    offerings_view(&s, &actor, &ctx, None, StatusCode::OK).await
}

async fn offerings_view(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let courses = if actor.role == Role::Admin {
        let q = CourseQuery {
            per_page: Some(200),
            ..CourseQuery::default()
        };
        catalogue::list(&s.db, actor, &q)
            .await
            .map(|p| p.items)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    render_status(
        status,
        &OfferingsPage {
            ui: Ui::new(ctx, "/learn"),
            offerings: offerings_rows(s, actor, ctx.lang).await,
            courses,
            can_create: actor.role == Role::Admin,
            kecamatan: cakap_domain::kecamatan::ACEH_BARAT_DAYA
                .iter()
                .map(|k| (k.code, k.name))
                .collect(),
            error,
        },
    )
}

pub async fn create_offering(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    axum::Form(f): Fields,
) -> Response {
    let blank = |v: String| (!v.is_empty()).then_some(v);
    let input = OfferingInput {
        course: field(&f, "course"),
        code: field(&f, "code"),
        starts_on: field(&f, "starts_on"),
        ends_on: field(&f, "ends_on"),
        kecamatan: blank(field(&f, "kecamatan")),
        place: blank(field(&f, "place")),
        seats: field(&f, "seats").parse().ok(),
        instructor: blank(field(&f, "instructor")),
        budget_line: blank(field(&f, "budget_line")),
        self_enrol: !field(&f, "self_enrol").is_empty(),
    };
    match offerings::create(&s.db, &actor, &input).await {
        Ok(o) => see_other(&format!("/learn/offerings/{}", o.id)),
        Err(e) => match super::refused(e) {
            Ok((status, _, message)) => {
                offerings_view(&s, &actor, &ctx, Some(message), status).await
            }
            Err(e) => service_error(&ctx, e),
        },
    }
}

#[derive(Template)]
#[template(path = "learn_offering.html")]
struct OfferingPage {
    ui: Ui,
    o: OfferingRow,
    can_close: bool,
    people: Vec<Enrollment>,
    can_attend: bool,
    can_enrol_others: bool,
}

pub async fn offering_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> Response {
    let o = match offerings::get(&s.db, &actor, id).await {
        Ok(o) => o,
        Err(e) => return service_error(&ctx, e),
    };
    let (people, can_attend) = match offerings::participants(&s.db, &actor, id).await {
        Ok(p) => (p, matches!(actor.role, Role::Admin | Role::Instruktur)),
        Err(ServiceError::Forbidden) => (Vec::new(), false),
        Err(e) => return service_error(&ctx, e),
    };
    let lang = ctx.lang;
    render(&OfferingPage {
        ui: Ui::new(&ctx, "/learn"),
        o: OfferingRow::new(lang, o),
        people,
        can_close: actor.role == Role::Admin,
        can_attend,
        can_enrol_others: matches!(actor.role, Role::Admin | Role::Pimpinan),
    })
}

/// Closes or reopens a class (`admin`).
pub async fn offering_status(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    match offerings::set_status(&s.db, &actor, id, field(&f, "open") == "1").await {
        Ok(_) => see_other(&format!("/learn/offerings/{id}")),
        Err(e) => refusal(&ctx, e),
    }
}

pub async fn attendance(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let enrollment: i64 = field(&f, "enrollment").parse().unwrap_or(0);
    match offerings::set_attendance(&s.db, &actor, enrollment, field(&f, "attended") == "1").await {
        Ok(_) => see_other(&format!("/learn/offerings/{id}")),
        Err(e) => refusal(&ctx, e),
    }
}

// ---------------------------------------------------------------- activities

#[derive(Template)]
#[template(path = "learn_activities.html")]
struct ActivitiesPage {
    ui: Ui,
    mine: Vec<Activity>,
    waiting: Vec<Activity>,
    can_decide: bool,
    has_employee: bool,
    v: Vec<(String, String)>,
    error: Option<String>,
    jalur: Vec<&'static str>,
    today: String,
}

impl ActivitiesPage {
    fn get(&self, name: &str) -> &str {
        self.v
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

async fn activities_view(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    v: Vec<(String, String)>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let can_decide = matches!(actor.role, Role::Admin | Role::Pimpinan);
    let mine = if actor.employee_id.is_some() {
        activities::own(&s.db, actor).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let waiting = if can_decide {
        let q = ActivityQuery {
            status: Some("submitted".into()),
            unit: None,
        };
        activities::list(&s.db, actor, &q)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|a| Some(&a.nip) != actor.nip.as_ref())
            .collect()
    } else {
        Vec::new()
    };
    use cakap_domain::learning::Jalur;
    render_status(
        status,
        &ActivitiesPage {
            ui: Ui::new(ctx, "/learn"),
            mine,
            waiting,
            can_decide,
            has_employee: actor.employee_id.is_some(),
            v,
            error,
            jalur: Jalur::ALL
                .iter()
                .filter(|j| **j != Jalur::ELearning)
                .map(|j| j.as_str())
                .collect(),
            today: chrono::Local::now().date_naive().to_string(),
        },
    )
}

pub async fn activities_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
) -> Response {
    activities_view(&s, &actor, &ctx, Vec::new(), None, StatusCode::OK).await
}

pub async fn record_activity(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    multipart: axum::extract::Multipart,
) -> Response {
    let (f, file) = match super::read_multipart(multipart, "evidence").await {
        Ok(x) => x,
        Err((status, key)) => return super::error_page(&ctx, status, key),
    };
    let input = ActivityInput {
        jalur: field(&f, "jalur"),
        title: field(&f, "title"),
        organizer: Some(field(&f, "organizer")),
        started_on: field(&f, "started_on"),
        ended_on: Some(field(&f, "ended_on")),
        hours: field(&f, "hours").replace(',', ".").parse().ok(),
        days: field(&f, "days").parse().unwrap_or(0),
        sessions: field(&f, "sessions").parse().unwrap_or(0),
        international: !field(&f, "international").is_empty(),
        nip: None,
    };
    match activities::record(&s.db, &actor, &input, file.as_ref()).await {
        Ok(_) => see_other("/learn/activities"),
        Err(e) => match super::refused(e) {
            Ok((status, _, message)) => {
                activities_view(&s, &actor, &ctx, f, Some(message), status).await
            }
            Err(e) => service_error(&ctx, e),
        },
    }
}

pub async fn decide_activity(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> Response {
    let d = Decision {
        approve: field(&f, "approve") == "1",
        note: Some(field(&f, "note")),
    };
    match activities::decide(&s.db, &actor, id, &d).await {
        Ok(_) => see_other("/learn/activities"),
        Err(e) => refusal(&ctx, e),
    }
}

pub async fn activity_evidence(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> Response {
    match activities::evidence(&s.db, &actor, id).await {
        Ok((name, ctype, bytes)) => crate::api::file_response(&name, ctype, bytes),
        Err(e) => service_error(&ctx, e),
    }
}

// ---------------------------------------------------------------- the 20-JP report

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JpQuery {
    year: String,
    unit: String,
    format: String,
}

#[derive(Template)]
#[template(path = "learn_jp.html")]
struct JpPage {
    ui: Ui,
    share: String,
    met: String,
    total: String,
    behind_text: String,
    chart: Option<Chart>,
    units: Vec<UnitOption>,
    unit: String,
    year: i64,
    behind: usize,
    shown: Vec<cakap_services::learning::jp::Behind>,
    download_xlsx: String,
    download_csv: String,
}

pub async fn jp_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<JpQuery>,
) -> Response {
    let year = q
        .year
        .trim()
        .parse()
        .unwrap_or_else(|_| performance::current_year());
    let unit = (!q.unit.trim().is_empty()).then(|| q.unit.trim().to_string());
    let r = match jp::summary(&s.db, &actor, unit.as_deref(), year).await {
        Ok(r) => r,
        Err(e) => return service_error(&ctx, e),
    };
    let lang = ctx.lang;
    if !q.format.is_empty() {
        let Some(format) = Format::parse(&q.format) else {
            return service_error(&ctx, ServiceError::NotFound);
        };
        let t = Table {
            headers: vec!["NIP", "Nama", "Unit", "JP", "Kurang JP"],
            rows: r
                .not_met
                .iter()
                .map(|b| {
                    vec![
                        b.nip.clone(),
                        b.name.clone(),
                        b.unit.clone(),
                        b.jp.to_string(),
                        b.missing.to_string(),
                    ]
                })
                .collect(),
        };
        return super::download(&ctx, &t, format, &format!("cakap-belum-20jp-{year}"));
    }
    let chart = (r.units.len() >= 2).then(|| Chart {
        title: crate::i18n::t(lang, "learn.jp_chart"),
        label_header: crate::i18n::t(lang, "field.unit"),
        value_header: crate::i18n::t(lang, "learn.share_met"),
        bars: r
            .units
            .iter()
            .map(|u| Bar {
                label: u.name.clone(),
                value: format!("{}%", pct1(lang, u.share)),
                pct: u.share,
                other: false,
            })
            .collect(),
    });
    let all = match units::list(&s.db, &actor).await {
        Ok(u) => u.items,
        Err(e) => return service_error(&ctx, e),
    };
    let top = all.iter().map(|u| u.depth).min().unwrap_or(0);
    let near: Vec<_> = all
        .into_iter()
        .filter(|u| u.depth <= top + 1 || Some(&u.code) == unit.as_ref())
        .collect();
    let link = |format: &str| {
        href(
            "/learn/jp",
            &[
                ("year", year.to_string()),
                ("unit", q.unit.clone()),
                ("format", format.to_string()),
            ],
        )
    };
    render(&JpPage {
        ui: Ui::new(&ctx, "/learn/jp"),
        share: pct1(lang, r.share),
        met: fmt_int(lang, r.met),
        total: fmt_int(lang, r.employees),
        behind_text: fmt_int(lang, r.not_met.len() as i64),
        chart,
        units: unit_options(&near),
        unit: q.unit.clone(),
        year,
        behind: r.not_met.len(),
        shown: r.not_met.iter().take(200).cloned().collect(),
        download_xlsx: link("xlsx"),
        download_csv: link("csv"),
    })
}

// ---------------------------------------------------------------- certificates

pub async fn certificate_pdf(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(file): Path<String>,
) -> Response {
    let code = file.trim_end_matches(".pdf");
    let base = crate::api::learning::base_url(&s);
    match certificates::pdf(&s.db, &actor, code, &base).await {
        Ok(pdf) => {
            crate::api::file_response(&format!("sertifikat-{code}.pdf"), "application/pdf", pdf)
        }
        Err(e) => service_error(&ctx, e),
    }
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    ui: Ui,
    v: Verification,
    /// The completion date as Indonesian documents write it (English: ISO).
    date: String,
    /// The revocation date, the same way.
    revoked_date: String,
    /// The key's fingerprint in groups of four, for reading aloud.
    fingerprint: String,
    /// BKPSDM of the certificate's tenant: the revoke form is shown.
    can_revoke: bool,
}

/// The public certificate check: no login, only what a citizen needs; BKPSDM also finds the
/// form to revoke it here.
pub async fn verify(State(s): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Response {
    let actor = ctx
        .principal
        .as_ref()
        .and_then(|p| cakap_services::Actor::from_principal(p, Some(ctx.request_id.clone())).ok());
    match certificates::verify_as(&s.db, actor.as_ref(), &code).await {
        Ok((v, can_revoke)) => {
            let status = if v.valid || v.reason.as_deref() == Some("revoked") {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            let date = |iso: Option<&str>| {
                let iso = iso.unwrap_or_default();
                match ctx.lang {
                    Lang::Id => certificates::tanggal(iso),
                    Lang::En => iso.to_string(),
                }
            };
            let fingerprint = v
                .fingerprint
                .as_deref()
                .unwrap_or_default()
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            render_status(
                status,
                &VerifyPage {
                    ui: Ui::new(&ctx, "/verify"),
                    date: date(v.completed_on.as_deref()),
                    revoked_date: date(v.revoked_on.as_deref()),
                    fingerprint,
                    can_revoke,
                    v,
                },
            )
        }
        Err(e) => service_error(&ctx, e),
    }
}

/// BKPSDM revokes a certificate from its check page.
pub async fn revoke_certificate(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    axum::Form(f): Fields,
) -> Response {
    let input = certificates::RevokeInput {
        reason: field(&f, "reason"),
    };
    match certificates::revoke(&s.db, &actor, &code, &input).await {
        Ok(v) => see_other(&format!("/verify/{}", v.code)),
        Err(e) => refusal(&ctx, e),
    }
}

/// The service worker, served from the root so that it may keep `/learn/` pages.
pub async fn service_worker() -> Response {
    use axum::http::header;
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../static/sw.js"),
    )
        .into_response()
}
