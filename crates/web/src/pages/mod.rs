//! Server-rendered pages. Each module renders one capability's screens with askama
//! templates (auto-escaped); forms post back with the session's CSRF token.

mod assessments;
mod audit;
mod auth;
mod competence;
mod competencies;
mod employees;
mod equity;
mod home;
mod imports;
mod leadership;
mod learning;
mod national;
mod performance;
mod plans;
mod points;
mod positions;
mod readiness;
mod recognition;
mod regulations;
mod service_quality;
mod standards;
mod talent;
mod tpp;
mod units;

mod errors;
mod ui;

pub use errors::*;
pub use ui::*;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use cakap_domain::Role;
use cakap_services::Actor;
use cakap_services::units::Unit;

use crate::AppState;
use crate::i18n::{self, Lang};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::set_lang))
        .route("/employees", get(employees::list).post(employees::create))
        .route("/employees/new", get(employees::new_form))
        .route(
            "/employees/{nip}",
            get(employees::show).post(employees::update),
        )
        .route("/employees/{nip}/edit", get(employees::edit_form))
        .route("/employees/{nip}/potential", post(employees::set_potential))
        .route(
            "/employees/{nip}/assessments",
            post(assessments::record).layer(axum::extract::DefaultBodyLimit::max(
                cakap_services::files::MAX_EVIDENCE + 64 * 1024,
            )),
        )
        .route("/units", get(units::list).post(units::create))
        .route("/units/new", get(units::new_form))
        .route("/units/{code}", get(units::show).post(units::update))
        .route("/units/{code}/edit", get(units::edit_form))
        .route("/units/{code}/delete", post(units::delete))
        .route("/units/{code}/public", post(units::set_public))
        .route("/positions", get(positions::list).post(positions::create))
        .route("/positions/new", get(positions::new_form))
        .route("/positions/options", get(positions::options))
        .route(
            "/positions/{id}",
            get(standards::show).post(positions::update),
        )
        .route("/positions/{id}/standards", post(standards::save))
        .route("/positions/{id}/standards/copy", post(standards::copy))
        .route("/positions/{id}/edit", get(positions::edit_form))
        .route(
            "/competencies",
            get(competencies::list).post(competencies::create),
        )
        .route("/competencies/new", get(competencies::new_form))
        .route("/competencies/{code}", post(competencies::update))
        .route("/competencies/{code}/edit", get(competencies::edit_form))
        .route("/competence", get(competence::page::show))
        .route(
            "/competence/entry",
            get(assessments::entry).post(assessments::save_entry),
        )
        .route("/audit", get(audit::list))
        .route("/pemerataan", get(equity::show))
        .route("/nasional", get(national::show))
        .route("/dashboard", get(leadership::show))
        .route("/dashboard/laporan", get(leadership::report))
        .route("/tpp", get(tpp::show))
        .route("/tpp/aturan", post(tpp::save_rules))
        .route("/poin", get(points::show))
        .route("/poin/aturan", post(points::save_rules))
        .route("/poin/papan", post(points::set_optout))
        .route("/penghargaan", get(recognition::recognition_show))
        .route("/penghargaan/aturan", post(recognition::save_rule))
        .route("/penghargaan/surat.pdf", get(recognition::letter))
        .route("/talent", get(talent::map))
        .route("/talent/succession/{id}", get(talent::succession))
        .route("/positions/{id}/key", post(talent::set_key))
        .route("/performance", get(performance::overview))
        .route("/performance/plans", post(performance::start))
        .route("/performance/periods", post(performance::open_period))
        .route("/performance/settings", post(performance::save_settings))
        .route(
            "/performance/unit-predikat",
            post(performance::save_unit_predikat),
        )
        .route(
            "/performance/periods/{code}/status",
            post(performance::period_status),
        )
        .route("/performance/plans/{id}", get(performance::show))
        .route(
            "/performance/plans/{id}/results",
            post(performance::save_results),
        )
        .route(
            "/performance/plans/{id}/evaluate",
            post(performance::evaluate),
        )
        .route(
            "/performance/plans/{id}/files",
            post(performance::upload).layer(axum::extract::DefaultBodyLimit::max(
                cakap_services::files::MAX_EVIDENCE + 64 * 1024,
            )),
        )
        .route("/performance/plans/{id}/{step}", post(performance::step))
        .route("/learn", get(learning::home))
        .route(
            "/learn/courses",
            get(learning::catalogue_page).post(learning::create_course),
        )
        .route("/learn/courses/new", get(learning::new_course))
        .route(
            "/learn/courses/{code}",
            get(learning::course_page).post(learning::update_course),
        )
        .route("/learn/courses/{code}/edit", get(learning::edit_course))
        .route("/learn/courses/{code}/modules", post(learning::add_module))
        .route(
            "/learn/courses/{code}/questions",
            post(learning::add_question),
        )
        .route(
            "/learn/courses/{code}/questions/{id}/delete",
            post(learning::delete_question),
        )
        .route(
            "/learn/courses/{code}/files",
            post(learning::upload_file).layer(axum::extract::DefaultBodyLimit::max(
                cakap_services::learning::catalogue::MAX_FILE + 64 * 1024,
            )),
        )
        .route("/learn/courses/{code}/quiz", post(learning::start_quiz))
        .route("/learn/files/{id}", get(learning::file))
        .route(
            "/learn/modules/{id}",
            get(learning::module_page).post(learning::update_module),
        )
        .route("/learn/modules/{id}/done", post(learning::module_done))
        .route("/learn/enroll", post(learning::enroll))
        .route("/learn/enrollments/{id}/cancel", post(learning::cancel))
        .route(
            "/learn/attempts/{id}",
            get(learning::attempt_page).post(learning::submit_quiz),
        )
        .route(
            "/learn/offerings",
            get(learning::offerings_page).post(learning::create_offering),
        )
        .route("/learn/offerings/{id}", get(learning::offering_page))
        .route(
            "/learn/offerings/{id}/attendance",
            post(learning::attendance),
        )
        .route(
            "/learn/offerings/{id}/status",
            post(learning::offering_status),
        )
        .route(
            "/learn/activities",
            get(learning::activities_page)
                .post(learning::record_activity)
                .layer(axum::extract::DefaultBodyLimit::max(
                    cakap_services::files::MAX_EVIDENCE + 64 * 1024,
                )),
        )
        .route(
            "/learn/activities/{id}/decision",
            post(learning::decide_activity),
        )
        .route(
            "/learn/activities/{id}/evidence",
            get(learning::activity_evidence),
        )
        .route("/learn/jp", get(learning::jp_page))
        .route("/learn/integrasi", get(learning::integration))
        .route("/learn/integrasi/klien", post(learning::add_client))
        .route("/learn/integrasi/cabut", post(learning::revoke_client))
        .route("/learn/integrasi/petakan", post(learning::map_activity))
        .route("/learn/integrasi/ulang", post(learning::retry))
        .route("/plans", get(plans::plans_page).post(plans::run_plan))
        .route("/plans/{id}", get(plans::plan_page))
        .route("/plans/{id}/approve", post(plans::approve_plan))
        .route("/idp", get(plans::own_idp))
        .route("/employees/{nip}/idp", get(plans::idp_page))
        .route("/employees/{nip}/idp/generate", post(plans::idp_generate))
        .route("/employees/{nip}/idp/submit", post(plans::idp_submit))
        .route("/employees/{nip}/idp/decision", post(plans::idp_decide))
        .route("/employees/{nip}/idp/items", post(plans::idp_add_item))
        .route(
            "/employees/{nip}/idp/items/{item}/delete",
            post(plans::idp_remove_item),
        )
        .route("/learn/certificates/{file}", get(learning::certificate_pdf))
        .route("/verify/{code}", get(learning::verify))
        .route("/badges/{id}", get(points::badge))
        .route("/verify/{code}/revoke", post(learning::revoke_certificate))
        .route("/sw.js", get(learning::service_worker))
        .route(
            "/survei/{unit}",
            get(service_quality::survey_form).post(service_quality::survey_submit),
        )
        .route("/layanan", get(service_quality::overview))
        .route("/layanan/{unit}", get(service_quality::unit))
        .route("/layanan/{unit}/poster.pdf", get(service_quality::poster))
        .route("/layanan/{unit}/laporan.pdf", get(service_quality::report))
        .route(
            "/layanan/{unit}/population",
            post(service_quality::set_population),
        )
        .route(
            "/pengaduan",
            get(service_quality::complaints_page).post(service_quality::create_complaint),
        )
        .route("/pengaduan/{id}", get(service_quality::complaint))
        .route(
            "/pengaduan/{id}/step",
            post(service_quality::complaint_step),
        )
        .route(
            "/peraturan",
            get(regulations::register).post(regulations::create),
        )
        .route("/peraturan/{id}", get(regulations::show))
        .route(
            "/peraturan/{id}/berkas",
            get(regulations::file).post(regulations::upload).layer(
                axum::extract::DefaultBodyLimit::max(
                    cakap_services::regulations::MAX_FILE + 64 * 1024,
                ),
            ),
        )
        .route("/peraturan/{id}/relasi", post(regulations::relate))
        .route("/jdih/{id}", get(regulations::public_page))
        .route("/jdih/{id}/berkas", get(regulations::public_file))
        .route(
            "/peraturan/{id}/kampanye",
            post(regulations::create_campaign),
        )
        .route("/kampanye/{id}", get(regulations::campaign))
        .route("/kampanye/{id}/konfirmasi", post(regulations::acknowledge))
        .route("/kampanye/{id}/ingatkan", post(regulations::remind))
        .route("/notifikasi", get(regulations::inbox))
        .route("/notifikasi/baca-semua", post(regulations::read_all))
        .route("/notifikasi/surel", post(regulations::email_mode))
        .route("/notifikasi/{id}", post(regulations::open))
        .route("/kesiapsiagaan", get(readiness::board))
        .route("/kesiapsiagaan/tim", post(readiness::assemble))
        .route(
            "/kesiapsiagaan/target",
            get(readiness::targets).post(readiness::save_targets),
        )
        .route(
            "/kesiapsiagaan/latihan",
            get(readiness::drills_page).post(readiness::record_drill),
        )
        .route(
            "/kesiapsiagaan/saya",
            get(readiness::team::me).post(readiness::team::set_availability),
        )
        .route("/kesiapsiagaan/tim/{id}", get(readiness::team::show))
        .route(
            "/kesiapsiagaan/tim/{id}/panggil",
            post(readiness::team::call_out),
        )
        .route(
            "/kesiapsiagaan/tim/{id}/ganti",
            post(readiness::team::replace),
        )
        .route(
            "/panggilan/{id}",
            get(readiness::team::callout).post(readiness::team::respond),
        )
        .route(
            "/imports",
            get(imports::form)
                .post(imports::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    cakap_services::imports::MAX_BYTES + 64 * 1024,
                )),
        )
}

/// A unit for a `<select>`, indented by depth.
pub struct UnitOption {
    pub code: String,
    pub name: String,
    pub indent: String,
}

/// A key fingerprint in groups of four hex digits, as the check pages print it.
pub fn fingerprint_groups(fingerprint: Option<&str>) -> String {
    fingerprint
        .unwrap_or_default()
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn unit_options(units: &[Unit]) -> Vec<UnitOption> {
    units
        .iter()
        .map(|u| UnitOption {
            code: u.code.clone(),
            name: u.name.clone(),
            indent: "\u{a0}\u{a0}".repeat(u.depth),
        })
        .collect()
}

/// `/path?k=v&…` with the given query pairs (empty values left out).
pub fn href(path: &str, pairs: &[(&str, String)]) -> String {
    let kept: Vec<_> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    if kept.is_empty() {
        return path.to_string();
    }
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(kept).unwrap_or_default()
    )
}

/// Previous and next page links of a paged list.
pub fn pager(
    path: &str,
    pairs: &[(&str, String)],
    page: i64,
    per_page: i64,
    total: i64,
) -> (Option<String>, Option<String>) {
    pager_on(path, pairs, "page", page, per_page, total)
}

/// [`pager`] for a page with more than one paged list: each list pages by its own `key`, and
/// `pairs` carry the others' positions.
pub fn pager_on(
    path: &str,
    pairs: &[(&str, String)],
    key: &'static str,
    page: i64,
    per_page: i64,
    total: i64,
) -> (Option<String>, Option<String>) {
    let link = |p: i64| {
        let mut all = pairs.to_vec();
        all.push((key, p.to_string()));
        href(path, &all)
    };
    let prev = (page > 1).then(|| link(page - 1));
    let next = (page * per_page < total).then(|| link(page + 1));
    (prev, next)
}

/// "1–50 of 4,500" (id: "1–50 dari 4.500") in the page's language.
pub fn page_info(lang: Lang, page: i64, per_page: i64, shown: usize, total: i64) -> String {
    if total == 0 {
        return i18n::t(lang, "list.empty").to_string();
    }
    let from = (page - 1) * per_page + 1;
    let to = from + shown as i64 - 1;
    i18n::t_args(
        lang,
        "list.range",
        &[
            ("from", i18n::fmt_int(lang, from)),
            ("to", i18n::fmt_int(lang, to)),
            ("total", i18n::fmt_int(lang, total)),
        ],
    )
}

pub fn can_edit(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

pub fn kecamatan_name(code: Option<&str>) -> String {
    code.and_then(cakap_domain::Kecamatan::by_code)
        .map_or_else(|| "—".into(), |k| k.name.to_string())
}

pub fn blank_to_none(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A table as an XLSX or CSV download named `name` (without extension).
pub fn download(
    t: &cakap_services::exports::Table,
    format: cakap_services::exports::Format,
    name: &str,
) -> PageResult {
    use axum::http::{HeaderValue, header};
    use cakap_services::exports::{self, Format};
    let bytes = match format {
        Format::Csv => exports::to_csv(t),
        Format::Xlsx => exports::to_xlsx(t, "cakap"),
    }?;
    let mut res = bytes.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.mime()),
    );
    let disposition = format!("attachment; filename=\"{name}.{}\"", format.extension());
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Reads a multipart form: its text fields, and the file sent in `file_field` (when one was
/// chosen). A refusal is (status, message key): too large, or unreadable.
pub async fn read_multipart(
    mut multipart: axum::extract::Multipart,
    file_field: &str,
) -> Result<
    (
        Vec<(String, String)>,
        Option<cakap_services::files::Evidence>,
    ),
    (StatusCode, &'static str),
> {
    let refused = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                "assessment.evidence_too_large",
            )
        } else {
            (StatusCode::BAD_REQUEST, "error.malformed_body")
        }
    };
    let (mut fields, mut file) = (Vec::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(refused)? {
        let name = field.name().unwrap_or("").to_string();
        let filename = field.file_name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(refused)?;
        if name == file_field {
            if !bytes.is_empty() {
                file = Some(cakap_services::files::Evidence {
                    filename,
                    bytes: bytes.to_vec(),
                });
            }
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok((fields, file))
}

/// Unix milliseconds as a WIB (UTC+7) date and time.
pub fn wib_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            (t + chrono::Duration::hours(7))
                .format("%d-%m-%Y %H:%M WIB")
                .to_string()
        })
        .unwrap_or_default()
}
