//! `/imports/{kind}`: spreadsheet uploads, validated whole, written all-or-nothing.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cakap_services::exports::{self, Format, Table};
use cakap_services::imports::{self, ImportSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiQuery};
use crate::i18n;

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// `true` (default) validates and reports only; `false` writes when there is no error.
    pub dry_run: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    #[serde(flatten)]
    pub summary: ImportSummary,
    pub errors: Vec<ImportError>,
}

/// Imports `units`, `positions`, `competencies`, `requirements`, `employees` (our template or
/// SIASN columns) or `assessments` from the multipart field `file` (.xlsx or .csv, at most 20 MiB). With errors and `dry_run=false` nothing is
/// written and the status is 422. `admin` only.
#[utoipa::path(post, path = "/imports/{kind}", tag = "imports", params(("kind" = String, Path), ImportQuery),
    request_body(content_type = "multipart/form-data", description = "field `file`"),
    responses((status = 200, body = ImportResult), (status = 413, body = super::ErrorBody),
        (status = 415, body = super::ErrorBody), (status = 422, body = ImportResult)))]
pub async fn import(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(kind): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let mut multipart = multipart.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "import.file_missing",
        )
    })?;
    let mut bytes = None;
    while let Some(field) = multipart.next_field().await.map_err(too_large_or_bad)? {
        if field.name() == Some("file") {
            bytes = Some(field.bytes().await.map_err(too_large_or_bad)?);
        }
    }
    let bytes = bytes.ok_or_else(|| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", "import.file_missing")
    })?;
    if bytes.len() > imports::MAX_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "import.too_large",
        ));
    }
    let dry_run = q.dry_run.unwrap_or(true);
    let outcome = imports::run(&s.db, &a, &kind, &bytes, dry_run, &|_, _| {}).await?;
    let lang = i18n::current();
    let failed = !outcome.errors.is_empty();
    let result = ImportResult {
        summary: outcome.summary,
        errors: outcome
            .errors
            .into_iter()
            .map(|e| ImportError {
                row: e.row,
                column: e.column,
                message: i18n::t_args(lang, e.key, &e.args),
            })
            .collect(),
    };
    let status = if failed && !dry_run {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(result)).into_response())
}

fn too_large_or_bad(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "import.too_large",
        )
    } else {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", "import.unreadable")
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct TemplateQuery {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

/// The empty template of a kind: the header row to fill in.
#[utoipa::path(get, path = "/imports/{kind}/template", tag = "imports", params(("kind" = String, Path), TemplateQuery),
    responses((status = 200, description = "The template", content_type = "application/octet-stream"), (status = 404, body = super::ErrorBody)))]
pub async fn template(
    ApiActor(_a): ApiActor,
    Path(kind): Path<String>,
    ApiQuery(q): ApiQuery<TemplateQuery>,
) -> Result<Response, ApiError> {
    if !imports::KINDS.contains(&kind.as_str()) {
        return Err(ApiError::not_found());
    }
    let format = Format::parse(q.format.as_deref().unwrap_or("")).ok_or_else(|| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed", "error.export_format")
    })?;
    let t = Table {
        headers: exports::headers(&kind),
        rows: Vec::new(),
    };
    let bytes = match format {
        Format::Csv => exports::to_csv(&t)?,
        Format::Xlsx => exports::to_xlsx(&t, &kind)?,
    };
    let mut res = bytes.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.mime()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"template-{kind}.{}\"",
        format.extension()
    )) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
