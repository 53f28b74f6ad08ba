//! The JSON API under `/api/v1` (the API contract (docs/interfaces.md)). Every route is declared with its OpenAPI
//! description, so `/api/v1/openapi.json` lists exactly what is served.

mod audit;
mod auth;
mod competence;
mod competencies;
mod employees;
pub(crate) mod equity;
mod exports;
mod imports;
pub(crate) mod learning;
mod national;
mod performance;
pub(crate) mod plans;
mod positions;
mod readiness;
mod recognition;
mod regulations;
pub(crate) mod service_quality;
mod talent;
mod tpp;
mod units;

use axum::Json;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use cakap_services::Page;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Cakap API",
        description = "Competency management for civil servants (ASN). Errors are \
            `{error: {code, message, field?}}` with `message` in the caller's language \
            (Accept-Language; Indonesian by default). Authenticate with the session cookie \
            from `POST /auth/login` (state-changing calls must then be `application/json`) \
            or `Authorization: Bearer <token>` from `POST /auth/tokens`."
    ),
    servers((url = "/api/v1")),
    components(schemas(ErrorBody, ErrorInner)),
    tags(
        (name = "auth"), (name = "units"), (name = "positions"), (name = "employees"),
        (name = "competencies"), (name = "exports"), (name = "imports"), (name = "audit"),
        (name = "performance"), (name = "talent"), (name = "learning"),
        (name = "service-quality"), (name = "regulations"), (name = "notifications"),
        (name = "readiness"), (name = "equity"), (name = "national")
    )
)]
struct ApiDoc;

/// The error shape of every non-2xx answer.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    error: ErrorInner,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorInner {
    /// `not_found`, `forbidden`, `unauthenticated`, `invalid`, `duplicate`, `conflict`,
    /// `throttled`, `malformed`, `unsupported_media_type`, `payload_too_large`, `internal`.
    code: String,
    message: String,
    field: Option<String>,
}

/// The API routes (relative to `/api/v1`) and their OpenAPI document.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::create_token, auth::list_tokens))
        .routes(routes!(auth::revoke_token))
        .routes(routes!(units::list, units::create))
        .routes(routes!(units::get, units::update, units::delete))
        .routes(routes!(positions::list, positions::create))
        .routes(routes!(positions::get, positions::update))
        .routes(routes!(employees::list, employees::create))
        .routes(routes!(employees::get, employees::update))
        .routes(routes!(competencies::list, competencies::create))
        .routes(routes!(competencies::get, competencies::update))
        .routes(routes!(
            competence::get_requirements,
            competence::put_requirements
        ))
        .routes(routes!(competence::copy_requirements))
        .routes(routes!(competence::create_assessment))
        .routes(routes!(competence::create_batch))
        .routes(
            routes!(competence::put_evidence, competence::get_evidence).layer(
                // The body is the file itself.
                axum::extract::DefaultBodyLimit::max(cakap_services::files::MAX_EVIDENCE),
            ),
        )
        .routes(routes!(competence::employee_assessments))
        .routes(routes!(competence::employee_gaps))
        .routes(routes!(competence::unit_gaps))
        .routes(routes!(exports::training_history))
        .routes(routes!(exports::export))
        .routes(
            routes!(imports::import).layer(axum::extract::DefaultBodyLimit::max(
                cakap_services::imports::MAX_BYTES + 64 * 1024,
            )),
        )
        .routes(routes!(imports::template))
        .routes(routes!(audit::list))
        .routes(routes!(performance::periods, performance::create_period))
        .routes(routes!(performance::update_period))
        .routes(routes!(performance::settings, performance::set_settings))
        .routes(routes!(performance::plans, performance::create_plan))
        .routes(routes!(performance::plan))
        .routes(routes!(performance::set_results))
        .routes(
            routes!(performance::attach_file).layer(axum::extract::DefaultBodyLimit::max(
                cakap_services::files::MAX_EVIDENCE,
            )),
        )
        .routes(routes!(performance::plan_file))
        .routes(routes!(performance::step))
        .routes(routes!(performance::evaluate))
        .routes(routes!(performance::distribution))
        .routes(routes!(performance::set_unit_predikat))
        .routes(routes!(performance::weaknesses))
        .routes(routes!(talent::set_potential))
        .routes(routes!(talent::ninebox))
        .routes(routes!(talent::succession))
        .routes(routes!(talent::key_positions))
        .routes(routes!(talent::set_key_position))
        .routes(routes!(learning::courses, learning::create_course))
        .routes(routes!(learning::course, learning::update_course))
        .routes(routes!(learning::modules, learning::add_module))
        .routes(routes!(learning::module, learning::update_module))
        .routes(routes!(learning::progress))
        .routes(
            routes!(learning::add_file).layer(axum::extract::DefaultBodyLimit::max(
                cakap_services::learning::catalogue::MAX_FILE,
            )),
        )
        .routes(routes!(learning::questions, learning::add_question))
        .routes(routes!(learning::delete_question))
        .routes(routes!(learning::offerings, learning::create_offering))
        .routes(routes!(learning::offering))
        .routes(routes!(learning::participants))
        .routes(routes!(learning::offering_status))
        .routes(routes!(learning::enrollments, learning::enroll))
        .routes(routes!(learning::cancel))
        .routes(routes!(learning::attendance))
        .routes(routes!(learning::start_attempt))
        .routes(routes!(learning::attempt))
        .routes(routes!(learning::answer))
        .routes(routes!(learning::submit))
        .routes(routes!(learning::activities, learning::record_activity))
        .routes(routes!(learning::decide))
        .routes(
            routes!(
                learning::put_activity_evidence,
                learning::get_activity_evidence
            )
            .layer(axum::extract::DefaultBodyLimit::max(
                cakap_services::files::MAX_EVIDENCE,
            )),
        )
        .routes(routes!(learning::employee_jp))
        .routes(routes!(learning::jp_summary))
        .routes(routes!(learning::certificate))
        .routes(routes!(learning::certificate_pdf))
        .routes(routes!(learning::revoke_certificate))
        .routes(routes!(plans::employee_plan, plans::update_plan))
        .routes(routes!(plans::generate_plan))
        .routes(routes!(plans::submit_plan))
        .routes(routes!(plans::approve_plan))
        .routes(routes!(plans::optimize_plan))
        .routes(routes!(plans::training_plans))
        .routes(routes!(plans::training_plan))
        .routes(routes!(plans::approve_training_plan))
        .routes(routes!(equity::get))
        .routes(routes!(national::get))
        .routes(routes!(equity::dashboard))
        .routes(routes!(equity::annual))
        .routes(routes!(tpp::rules, tpp::set_rules))
        .routes(routes!(tpp::month))
        .routes(routes!(recognition::employee_points))
        .routes(routes!(recognition::employee_badges))
        .routes(routes!(
            recognition::points_rules,
            recognition::set_points_rules
        ))
        .routes(routes!(recognition::leaderboard))
        .routes(routes!(recognition::optout))
        .routes(routes!(recognition::satyalancana))
        .routes(routes!(recognition::nominations))
        .routes(routes!(recognition::rule, recognition::set_rule))
        .routes(routes!(service_quality::submit))
        .routes(routes!(service_quality::ikm))
        .routes(routes!(service_quality::unit_series))
        .routes(routes!(service_quality::report))
        .routes(routes!(service_quality::set_public))
        .routes(routes!(service_quality::population))
        .routes(routes!(service_quality::list, service_quality::create))
        .routes(routes!(service_quality::get, service_quality::step))
        .routes(routes!(regulations::list, regulations::create))
        .routes(routes!(regulations::get, regulations::update))
        .routes(
            routes!(regulations::attach).layer(axum::extract::DefaultBodyLimit::max(
                cakap_services::regulations::MAX_FILE + 64 * 1024,
            )),
        )
        .routes(routes!(regulations::feed))
        .routes(routes!(regulations::create_campaign))
        .routes(routes!(regulations::campaign))
        .routes(routes!(regulations::acknowledge))
        .routes(routes!(regulations::inbox))
        .routes(routes!(regulations::read))
        .routes(routes!(regulations::email_mode))
        .routes(routes!(readiness::targets, readiness::set_targets))
        .routes(routes!(readiness::readiness))
        .routes(routes!(readiness::certifications))
        .routes(routes!(
            readiness::availability,
            readiness::set_availability
        ))
        .routes(routes!(readiness::assemble))
        .routes(routes!(readiness::team))
        .routes(routes!(readiness::callout))
        .routes(routes!(readiness::replacement))
        .routes(routes!(readiness::replace))
        .routes(routes!(readiness::respond))
        .routes(routes!(readiness::drills, readiness::record_drill))
        .split_for_parts()
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        state.openapi.clone(),
    )
}

/// Unknown `/api/` paths answer in the API's shape.
pub async fn not_found() -> ApiError {
    ApiError::not_found()
}

pub type ApiResult<T> = Result<Json<T>, ApiError>;
pub type ApiPage<T> = ApiResult<Page<T>>;

pub fn created<T: serde::Serialize>(v: T) -> (StatusCode, Json<T>) {
    (StatusCode::CREATED, Json(v))
}

/// A stored file as a download: its checked content type, an ASCII name plus the exact one
/// (RFC 5987), and a sandbox so a browser never runs it.
pub fn file_response(
    filename: &str,
    content_type: &'static str,
    bytes: Vec<u8>,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    res
}

/// The raw body of a file upload; over the route's limit is a 413 in the reader's words.
pub fn file_body(
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<axum::body::Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "assessment.evidence_too_large",
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed", "error.malformed_body")
        }
    })
}
