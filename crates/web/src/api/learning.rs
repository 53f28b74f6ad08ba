//! Training and e-learning: the catalogue and its content, classes and enrolments, quizzes,
//! other development activities, JP and the 20-JP right, certificates (checked publicly).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::learning::activities::{
    self, Activity, ActivityInput, ActivityQuery, Decision,
};
use cakap_services::learning::catalogue::{
    self, Course, CourseFile, CourseInput, CourseQuery, Module, ModuleInput, Question,
    QuestionInput,
};
use cakap_services::learning::certificates::{self, RevokeInput, Verification};
use cakap_services::learning::jp::{self, EmployeeJp, JpSummary};
use cakap_services::learning::keys;
use cakap_services::learning::offerings::{
    self, EnrollInput, Enrollment, Offering, OfferingInput, OfferingQuery,
};
use cakap_services::learning::quiz::{self, Attempt, Graded, SubmitInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::positions::parse_id;
use super::{ApiPage, ApiResult, created};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

type Created<T> = Result<(StatusCode, Json<T>), ApiError>;

/// The catalogue; `q` searches titles, descriptions and module text (case and accents
/// ignored, Indonesian stop words skipped).
#[utoipa::path(get, path = "/courses", tag = "learning", params(CourseQuery),
    responses((status = 200, body = cakap_services::Page<Course>)))]
pub async fn courses(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CourseQuery>,
) -> ApiPage<Course> {
    Ok(Json(catalogue::list(&s.db, &a, &q).await?))
}

/// Adds a course (`admin`, `instruktur`).
#[utoipa::path(post, path = "/courses", tag = "learning", request_body = CourseInput,
    responses((status = 201, body = Course), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_course(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(i): ApiJson<CourseInput>,
) -> Created<Course> {
    Ok(created(catalogue::create(&s.db, &a, &i).await?))
}

#[utoipa::path(get, path = "/courses/{code}", tag = "learning", params(("code" = String, Path)),
    responses((status = 200, body = Course), (status = 404, body = super::ErrorBody)))]
pub async fn course(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> ApiResult<Course> {
    Ok(Json(catalogue::get(&s.db, &a, &code).await?))
}

/// Replaces a course's fields (`admin`, `instruktur`); the code stays. What it credits (JP,
/// mode, target levels, pass mark) only `admin` changes, or its creator while nobody has
/// enrolled (422 otherwise).
#[utoipa::path(put, path = "/courses/{code}", tag = "learning", params(("code" = String, Path)),
    request_body = CourseInput,
    responses((status = 200, body = Course), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_course(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiJson(i): ApiJson<CourseInput>,
) -> ApiResult<Course> {
    Ok(Json(catalogue::update(&s.db, &a, &code, &i).await?))
}

/// The modules with the caller's progress; their text only for enrolled learners and authors.
#[utoipa::path(get, path = "/courses/{code}/modules", tag = "learning", params(("code" = String, Path)),
    responses((status = 200, body = [Module]), (status = 404, body = super::ErrorBody)))]
pub async fn modules(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> ApiResult<Vec<Module>> {
    Ok(Json(catalogue::modules(&s.db, &a, &code).await?))
}

/// Adds a module (`admin`, `instruktur`); its Markdown is sanitised.
#[utoipa::path(post, path = "/courses/{code}/modules", tag = "learning", params(("code" = String, Path)),
    request_body = ModuleInput,
    responses((status = 201, body = Module), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_module(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiJson(i): ApiJson<ModuleInput>,
) -> Created<Module> {
    Ok(created(catalogue::add_module(&s.db, &a, &code, &i).await?))
}

#[utoipa::path(get, path = "/modules/{id}", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, body = Module), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn module(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Module> {
    Ok(Json(catalogue::module(&s.db, &a, parse_id(&id)?).await?.1))
}

#[utoipa::path(put, path = "/modules/{id}", tag = "learning", params(("id" = i64, Path)),
    request_body = ModuleInput,
    responses((status = 200, body = Module), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update_module(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(i): ApiJson<ModuleInput>,
) -> ApiResult<Module> {
    Ok(Json(
        catalogue::update_module(&s.db, &a, parse_id(&id)?, &i).await?,
    ))
}

#[derive(serde::Serialize, ToSchema)]
pub struct Progress {
    /// The course is complete (now or before).
    pub completed: bool,
}

/// Marks a module read by the caller (sent again when the link returns after reading
/// offline; counts once). 409 when it would complete a course the caller wrote or teaches.
#[utoipa::path(post, path = "/modules/{id}/progress", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, body = Progress), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn progress(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Progress> {
    let completed = catalogue::mark_done(&s.db, &a, parse_id(&id)?).await?;
    Ok(Json(Progress { completed }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FileQuery {
    pub filename: Option<String>,
}

/// Adds an image (PNG, JPEG) or PDF for the modules (`admin`, `instruktur`; at most 5 MiB,
/// told by content; within the uploader's quota, 422 beyond). The body is the file.
#[utoipa::path(post, path = "/courses/{code}/files", tag = "learning", params(("code" = String, Path), FileQuery),
    request_body(content_type = "application/octet-stream", description = "the file"),
    responses((status = 201, body = CourseFile), (status = 403, body = super::ErrorBody),
        (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_file(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<FileQuery>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Created<CourseFile> {
    let bytes = super::file_body(body)?;
    let file = cakap_services::files::Evidence {
        filename: q.filename.unwrap_or_default(),
        bytes: bytes.to_vec(),
    };
    Ok(created(catalogue::add_file(&s.db, &a, &code, &file).await?))
}

/// The question bank with its answer keys (`admin`, the course's authors and the trainers
/// of its classes only).
#[utoipa::path(get, path = "/courses/{code}/questions", tag = "learning", params(("code" = String, Path)),
    responses((status = 200, body = [Question]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn questions(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> ApiResult<Vec<Question>> {
    Ok(Json(catalogue::questions(&s.db, &a, &code).await?))
}

#[utoipa::path(post, path = "/courses/{code}/questions", tag = "learning", params(("code" = String, Path)),
    request_body = QuestionInput,
    responses((status = 201, body = Question), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_question(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiJson(i): ApiJson<QuestionInput>,
) -> Created<Question> {
    Ok(created(
        catalogue::add_question(&s.db, &a, &code, &i).await?,
    ))
}

/// Removes a question no attempt has answered (409 otherwise).
#[utoipa::path(delete, path = "/courses/{code}/questions/{id}", tag = "learning",
    params(("code" = String, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn delete_question(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((code, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    catalogue::delete_question(&s.db, &a, &code, parse_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Classes, soonest first; open ones unless `all=true`.
#[utoipa::path(get, path = "/offerings", tag = "learning", params(OfferingQuery),
    responses((status = 200, body = [Offering])))]
pub async fn offerings(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<OfferingQuery>,
) -> ApiResult<Vec<Offering>> {
    Ok(Json(offerings::list(&s.db, &a, &q).await?))
}

/// Opens a class (`admin`).
#[utoipa::path(post, path = "/offerings", tag = "learning", request_body = OfferingInput,
    responses((status = 201, body = Offering), (status = 403, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_offering(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(i): ApiJson<OfferingInput>,
) -> Created<Offering> {
    Ok(created(offerings::create(&s.db, &a, &i).await?))
}

#[utoipa::path(get, path = "/offerings/{id}", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, body = Offering), (status = 404, body = super::ErrorBody)))]
pub async fn offering(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Offering> {
    Ok(Json(offerings::get(&s.db, &a, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusBody {
    pub open: bool,
}

/// Closes (`{open: false}`) or reopens a class (`admin`): a closed class takes no enrolments.
#[utoipa::path(put, path = "/offerings/{id}/status", tag = "learning", params(("id" = i64, Path)),
    request_body = StatusBody,
    responses((status = 200, body = Offering), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn offering_status(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<StatusBody>,
) -> ApiResult<Offering> {
    Ok(Json(
        offerings::set_status(&s.db, &a, parse_id(&id)?, b.open).await?,
    ))
}

/// Participants of a class (`admin`, `auditor`, its instructor; a `pimpinan` sees their staff).
#[utoipa::path(get, path = "/offerings/{id}/participants", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, body = [Enrollment]), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn participants(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Vec<Enrollment>> {
    Ok(Json(
        offerings::participants(&s.db, &a, parse_id(&id)?).await?,
    ))
}

/// The caller's enrolments.
#[utoipa::path(get, path = "/enrollments", tag = "learning", responses((status = 200, body = [Enrollment])))]
pub async fn enrollments(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Vec<Enrollment>> {
    Ok(Json(offerings::mine(&s.db, &a).await?))
}

/// Enrols the caller (no `nips`) or the given people (`pimpinan` for their staff, `admin`
/// anyone); a full class puts people on its waitlist. All or nothing. Nobody is enrolled in
/// a course they wrote or teach; where self-enrolment is off, only `admin` enrols themself.
#[utoipa::path(post, path = "/enrollments", tag = "learning", request_body = EnrollInput,
    responses((status = 201, body = [Enrollment]), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn enroll(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(i): ApiJson<EnrollInput>,
) -> Created<Vec<Enrollment>> {
    Ok(created(offerings::enroll(&s.db, &a, &i).await?))
}

/// Cancels an enrolment; the first on the waitlist takes the seat.
#[utoipa::path(post, path = "/enrollments/{id}/cancel", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, body = Enrollment), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn cancel(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Enrollment> {
    Ok(Json(offerings::cancel(&s.db, &a, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceBody {
    pub attended: bool,
}

/// Records attendance (`admin`, the class's instructor); completes classroom courses.
#[utoipa::path(put, path = "/enrollments/{id}/attendance", tag = "learning", params(("id" = i64, Path)),
    request_body = AttendanceBody,
    responses((status = 200, body = Enrollment), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn attendance(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AttendanceBody>,
) -> ApiResult<Enrollment> {
    Ok(Json(
        offerings::set_attendance(&s.db, &a, parse_id(&id)?, b.attended).await?,
    ))
}

/// Starts an attempt at a course's quiz (the quiz id is the course id), or returns the open
/// one. Questions and options come shuffled, without answers.
#[utoipa::path(post, path = "/quizzes/{id}/attempts", tag = "learning", params(("id" = i64, Path)),
    responses((status = 201, body = Attempt), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn start_attempt(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Created<Attempt> {
    Ok(created(quiz::start(&s.db, &a, parse_id(&id)?).await?))
}

/// The caller's attempt; after submission with as much review as the course allows.
#[utoipa::path(get, path = "/attempts/{id}", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, body = Attempt), (status = 404, body = super::ErrorBody)))]
pub async fn attempt(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Attempt> {
    Ok(Json(quiz::view(&s.db, &a, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerBody {
    pub question: i64,
    /// An option key (single), a list of keys (multiple), a boolean, a number or a text.
    #[schema(value_type = Object)]
    pub answer: serde_json::Value,
}

/// Saves one answer while the attempt is open; after the deadline, 409.
#[utoipa::path(post, path = "/attempts/{id}/answers", tag = "learning", params(("id" = i64, Path)),
    request_body = AnswerBody,
    responses((status = 204), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn answer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AnswerBody>,
) -> Result<StatusCode, ApiError> {
    quiz::answer(&s.db, &a, parse_id(&id)?, b.question, &b.answer).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Submits and grades on the server → `{score, passed, …}`; a second submit returns the same.
/// The attempt's review (right or wrong, the keys) opens only after a pass or the last attempt.
#[utoipa::path(post, path = "/attempts/{id}/submit", tag = "learning", params(("id" = i64, Path)),
    request_body = SubmitInput,
    responses((status = 200, body = Graded), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn submit(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Graded> {
    // The body is optional: answers may all have been saved one by one.
    let input: SubmitInput = if body.iter().all(u8::is_ascii_whitespace) {
        SubmitInput::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            if e.is_data() {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    "error.json_data",
                )
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed", "error.malformed_json")
            }
        })?
    };
    Ok(Json(quiz::submit(&s.db, &a, parse_id(&id)?, &input).await?))
}

/// Development activities the caller sees (own; staff for a `pimpinan`; all for `admin`).
#[utoipa::path(get, path = "/activities", tag = "learning", params(ActivityQuery),
    responses((status = 200, body = [Activity]), (status = 404, body = super::ErrorBody)))]
pub async fn activities(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ActivityQuery>,
) -> ApiResult<Vec<Activity>> {
    Ok(Json(activities::list(&s.db, &a, &q).await?))
}

/// Records a development activity for approval; JP from its hours or docs/domain.md#learning's table,
/// never more than its dates allow (8 JP a day).
#[utoipa::path(post, path = "/activities", tag = "learning", request_body = ActivityInput,
    responses((status = 201, body = Activity), (status = 403, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn record_activity(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(i): ApiJson<ActivityInput>,
) -> Created<Activity> {
    Ok(created(activities::record(&s.db, &a, &i, None).await?))
}

/// Approves or rejects (with a reason) an activity: the `pimpinan` over the person, `admin`.
#[utoipa::path(post, path = "/activities/{id}/decision", tag = "learning", params(("id" = i64, Path)),
    request_body = Decision,
    responses((status = 200, body = Activity), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn decide(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<Decision>,
) -> ApiResult<Activity> {
    Ok(Json(
        activities::decide(&s.db, &a, parse_id(&id)?, &d).await?,
    ))
}

/// Attaches the evidence of one's own activity while it waits (PDF, PNG or JPEG, told by
/// content; at most 5 MiB; within the person's quota, 422 beyond). The body is the file.
#[utoipa::path(put, path = "/activities/{id}/evidence", tag = "learning",
    params(("id" = i64, Path), FileQuery),
    request_body(content_type = "application/octet-stream", description = "the file"),
    responses((status = 200, body = Activity), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn put_activity_evidence(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FileQuery>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Activity> {
    let bytes = super::file_body(body)?;
    let file = cakap_services::files::Evidence {
        filename: q.filename.unwrap_or_default(),
        bytes: bytes.to_vec(),
    };
    Ok(Json(
        activities::attach(&s.db, &a, parse_id(&id)?, &file).await?,
    ))
}

/// Downloads an activity's evidence, for whoever sees the person.
#[utoipa::path(get, path = "/activities/{id}/evidence", tag = "learning", params(("id" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, body = super::ErrorBody)))]
pub async fn get_activity_evidence(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let (name, ctype, bytes) = activities::evidence(&s.db, &a, parse_id(&id)?).await?;
    Ok(super::file_response(&name, ctype, bytes))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct JpQuery {
    /// Default: this year.
    pub year: Option<i64>,
    /// Unit code (summary only): that subtree.
    pub unit: Option<String>,
}

/// An employee's JP for a year against the 20-JP right.
#[utoipa::path(get, path = "/employees/{nip}/jp", tag = "learning", params(("nip" = String, Path), JpQuery),
    responses((status = 200, body = EmployeeJp), (status = 404, body = super::ErrorBody)))]
pub async fn employee_jp(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiQuery(q): ApiQuery<JpQuery>,
) -> ApiResult<EmployeeJp> {
    let year = q
        .year
        .unwrap_or_else(cakap_services::performance::current_year);
    Ok(Json(jp::of_employee(&s.db, &a, &nip, year).await?))
}

/// Share of ASN with ≥ 20 JP per unit, and who has not reached it (`admin`, `auditor`,
/// `pimpinan` for their unit).
#[utoipa::path(get, path = "/jp/summary", tag = "learning", params(JpQuery),
    responses((status = 200, body = JpSummary), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn jp_summary(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<JpQuery>,
) -> ApiResult<JpSummary> {
    let year = q
        .year
        .unwrap_or_else(cakap_services::performance::current_year);
    let summary = jp::summary(&s.db, &a, q.unit.as_deref(), year).await?;
    Ok(Json(JpSummary::clone(&summary)))
}

/// Public check of a certificate (no login): `{valid, …}` with the NIP masked.
#[utoipa::path(get, path = "/certificates/{code}", tag = "learning", params(("code" = String, Path)),
    responses((status = 200, body = Verification)))]
pub async fn certificate(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Verification> {
    Ok(Json(certificates::verify(&s.db, &code).await?))
}

/// Revokes a certificate (`admin`), with a reason the public check shows; audited.
#[utoipa::path(post, path = "/certificates/{code}/revoke", tag = "learning", params(("code" = String, Path)),
    request_body = RevokeInput,
    responses((status = 200, body = Verification), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn revoke_certificate(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
    ApiJson(i): ApiJson<RevokeInput>,
) -> ApiResult<Verification> {
    Ok(Json(certificates::revoke(&s.db, &a, &code, &i).await?))
}

/// `GET /.well-known/cakap-keys.json`: every tenant's public certificate keys (kid, Ed25519,
/// hex, fingerprint, created, retired), for verifiers to pin. Public, no login.
pub async fn published_keys(
    State(s): State<AppState>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let keys = keys::published(&s.db).await?;
    Ok((
        [(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("public, max-age=300"),
        )],
        Json(keys),
    )
        .into_response())
}

/// The certificate as a PDF, for its holder and those who see them.
#[utoipa::path(get, path = "/certificates/{code}/pdf", tag = "learning", params(("code" = String, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 404, body = super::ErrorBody)))]
pub async fn certificate_pdf(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(code): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let base = base_url(&s);
    let pdf = certificates::pdf(&s.db, &a, &code, &base).await?;
    Ok(super::file_response(
        &format!("sertifikat-{}.pdf", code.trim()),
        "application/pdf",
        pdf,
    ))
}

/// The server's public address (`--public-url`), for links printed on paper (the
/// certificate's QR code); never the request's `Host` header, which the client chooses.
pub fn base_url(s: &AppState) -> String {
    s.config.public_url().to_string()
}
