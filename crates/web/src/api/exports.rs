//! `/exports/{kind}`: spreadsheets of master data and results.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cakap_services::exports::{self, Format};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiQuery};

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

/// Downloads `units`, `positions`, `competencies`, `requirements`, `employees` or
/// `assessments` with the import template's columns (`admin`, `auditor`; a `pimpinan` gets
/// their subtree). Formula-looking cells are written as text.
#[utoipa::path(get, path = "/exports/{kind}", tag = "exports", params(("kind" = String, Path), ExportQuery),
    responses((status = 200, description = "The spreadsheet", content_type = "application/octet-stream"),
        (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(kind): Path<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let format = Format::parse(q.format.as_deref().unwrap_or("")).ok_or_else(|| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", "error.export_format")
    })?;
    let bytes = exports::export(&s.db, &a, &kind, format).await?;
    let name = format!(
        "cakap-{kind}-{}.{}",
        chrono::Local::now().date_naive().format("%Y-%m-%d"),
        format.extension()
    );
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.mime()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct TrainingHistoryQuery {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
    /// The year the trainings ended (default: this year).
    pub year: Option<i32>,
    /// Only this unit's subtree (its code).
    pub unit: Option<String>,
}

/// The year's training history in SIASN's *riwayat diklat/kursus* columns: completed
/// courses and approved development activities (`admin`, `auditor`; a `pimpinan` gets their
/// subtree). Formula-looking cells are written as text.
#[utoipa::path(get, path = "/exports/training-history", tag = "exports", params(TrainingHistoryQuery),
    responses((status = 200, description = "The spreadsheet", content_type = "application/octet-stream"),
        (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
pub async fn training_history(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<TrainingHistoryQuery>,
) -> Result<Response, ApiError> {
    let format = Format::parse(q.format.as_deref().unwrap_or("")).ok_or_else(|| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", "error.export_format")
    })?;
    let year = q
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&cakap_services::wib::today()));
    let t = exports::training_history(&s.db, &a, year, q.unit.as_deref()).await?;
    let bytes = match format {
        Format::Csv => exports::to_csv(&t)?,
        Format::Xlsx => exports::to_xlsx(&t, "riwayat_diklat")?,
    };
    let name = format!("cakap-riwayat-diklat-{year}.{}", format.extension());
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.mime()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
