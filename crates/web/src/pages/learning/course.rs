//! Learning pages: one course.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use cakap_domain::Role;
use cakap_domain::learning::AnswerKey;
use cakap_services::ServiceError;
use cakap_services::learning::catalogue::{
    self, Course, CourseFile, CourseInput, Module, ModuleInput, Question, QuestionInput,
};
use cakap_services::learning::offerings::{Enrollment, Offering, Requirements};

use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{Lang, fmt_int};
use crate::pages::{OrRefusal, PageResult, Refusal, Ui, render, render_status};

use super::*;

pub struct OfferingRow {
    pub o: Offering,
    pub place: String,
    pub seats: String,
}

impl OfferingRow {
    /// A class with its place (or kecamatan, or "online") and seats left of all, in words.
    pub(super) fn new(lang: Lang, o: Offering) -> OfferingRow {
        OfferingRow {
            place: match (&o.place, &o.kecamatan) {
                (Some(p), _) => p.clone(),
                (None, Some(k)) => crate::pages::kecamatan_name(Some(k)),
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
pub(super) struct CoursePage {
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
) -> PageResult {
    let v = catalogue::view(&s.db, &actor, &code).await?;
    let lang = ctx.lang;
    let c = v.course;
    let offerings = v
        .offerings
        .iter()
        .map(|o| OfferingRow::new(lang, o.clone()))
        .collect();
    let attempts = v
        .attempts
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
    Ok(render(&CoursePage {
        ui: Ui::new(&ctx, "/learn"),
        cost: rupiah(lang, c.cost),
        jalur_key: format!("jalur.{}", c.jalur),
        modules: v.modules,
        offerings,
        mine: v.enrolment,
        missing: v.missing,
        attempts,
        can_author: author,
        can_enrol_others: matches!(actor.role, Role::Admin | Role::Pimpinan),
        questions,
        files,
        c,
    }))
}

#[derive(Template)]
#[template(path = "learn_course_form.html")]
pub(super) struct CourseForm {
    ui: Ui,
    editing: Option<String>,
    v: Vec<(String, String)>,
    competencies: String,
    error: Option<String>,
    jalur: Vec<&'static str>,
}

pub(super) fn all_jalur() -> Vec<&'static str> {
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

pub(super) fn course_fields(c: &Course) -> Vec<(String, String)> {
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
        (
            "xapi_activity_id",
            c.xapi_activity_id.clone().unwrap_or_default(),
        ),
        (
            "moodle_shortname",
            c.moodle_shortname.clone().unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub async fn new_course(PageActor { actor, ctx }: PageActor) -> PageResult {
    if !is_author(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    Ok(render(&CourseForm {
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
    }))
}

pub async fn edit_course(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
) -> PageResult {
    if !is_author(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let c = catalogue::get(&s.db, &actor, &code).await?;
    Ok(render(&CourseForm {
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
    }))
}

/// `M.05=3, T.BNC.04=2` → targets; anything unreadable is passed on for the service to name.
pub(super) fn parse_targets(s: &str) -> Vec<catalogue::CompetencyTarget> {
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

pub(super) fn course_input(f: &[(String, String)]) -> CourseInput {
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
        // Shown to BKPSDM only: absent from other authors' forms, so kept as they are.
        xapi_activity_id: f
            .iter()
            .find(|(k, _)| k == "xapi_activity_id")
            .map(|(_, v)| v.clone()),
        moodle_shortname: f
            .iter()
            .find(|(k, _)| k == "moodle_shortname")
            .map(|(_, v)| v.clone()),
    }
}

pub async fn save_course(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    code: Option<Path<String>>,
    axum::Form(f): Fields,
) -> PageResult {
    let input = course_input(&f);
    let editing = code.map(|p| p.0);
    let result = match &editing {
        Some(code) => catalogue::update(&s.db, &actor, code, &input).await,
        None => catalogue::create(&s.db, &actor, &input).await,
    };
    match result.or_refusal()? {
        Ok(c) => Ok(see_other(&format!("/learn/courses/{}", c.code))),
        Err(Refusal {
            status, message, ..
        }) => Ok(render_status(
            status,
            &CourseForm {
                ui: Ui::new(&ctx, "/learn"),
                competencies: field(&f, "competencies"),
                v: f,
                editing,
                error: Some(message),
                jalur: all_jalur(),
            },
        )),
    }
}

pub async fn update_course(
    s: State<AppState>,
    actor: PageActor,
    code: Path<String>,
    f: Fields,
) -> PageResult {
    save_course(s, actor, Some(code), f).await
}

pub async fn create_course(s: State<AppState>, actor: PageActor, f: Fields) -> PageResult {
    save_course(s, actor, None, f).await
}

/// A module from its form; the Markdown is kept as typed (leading spaces matter).
pub(super) fn module_input(f: &[(String, String)]) -> ModuleInput {
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
    PageActor { actor, .. }: PageActor,
    Path(code): Path<String>,
    axum::Form(f): Fields,
) -> PageResult {
    let input = module_input(&f);
    let m = catalogue::add_module(&s.db, &actor, &code, &input).await?;
    Ok(see_other(&format!("/learn/modules/{}", m.id)))
}

/// The answer key from the question form's fields.
pub(super) fn question_input(f: &[(String, String)]) -> QuestionInput {
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
    PageActor { actor, .. }: PageActor,
    Path(code): Path<String>,
    axum::Form(f): Fields,
) -> PageResult {
    catalogue::add_question(&s.db, &actor, &code, &question_input(&f)).await?;
    Ok(see_other(&format!("/learn/courses/{code}#questions")))
}

pub async fn delete_question(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path((code, id)): Path<(String, i64)>,
) -> PageResult {
    catalogue::delete_question(&s.db, &actor, &code, id).await?;
    Ok(see_other(&format!("/learn/courses/{code}#questions")))
}

pub async fn upload_file(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    multipart: axum::extract::Multipart,
) -> PageResult {
    let file = match crate::pages::read_multipart(multipart, "file").await {
        Ok((_, Some(file))) => file,
        Ok((_, None)) => {
            return Ok(crate::pages::error_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "error.required",
            ));
        }
        Err((status, key)) => return Ok(crate::pages::error_page(&ctx, status, key)),
    };
    catalogue::add_file(&s.db, &actor, &code, &file).await?;
    Ok(see_other(&format!("/learn/courses/{code}#files")))
}

/// A course file: images shown in place, PDFs downloaded.
pub async fn file(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    use axum::http::{HeaderValue, header};
    let (name, ctype, bytes) = catalogue::file(&s.db, &actor, id).await?;
    if !ctype.starts_with("image/") {
        return Ok(crate::api::file_response(&name, ctype, bytes));
    }
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    // Course images do not change under an id: let the browser and the service
    // worker keep them.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    Ok(res)
}
