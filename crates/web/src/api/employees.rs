//! `/employees`: ASN master data, keyed by NIP.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cakap_services::employees::{self, Employee, EmployeePatch, EmployeeQuery, NewEmployee};

use super::{ApiPage, ApiResult, created};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::{ApiActor, ApiJson, ApiQuery};

/// Employees the caller may see (`pimpinan`: their unit subtree; `asn`: themself), by name.
#[utoipa::path(get, path = "/employees", tag = "employees", params(EmployeeQuery),
    responses((status = 200, body = inline(cakap_services::Page<Employee>))))]
pub async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<EmployeeQuery>,
) -> ApiPage<Employee> {
    Ok(Json(employees::list(&s.db, &a, &q).await?))
}

/// Creates an employee (`admin`). Gender and birth date come from the NIP.
#[utoipa::path(post, path = "/employees", tag = "employees", request_body = NewEmployee,
    responses((status = 201, body = Employee), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewEmployee>,
) -> Result<(StatusCode, Json<Employee>), ApiError> {
    Ok(created(employees::create(&s.db, &a, &input).await?))
}

#[utoipa::path(get, path = "/employees/{nip}", tag = "employees", params(("nip" = String, Path)),
    responses((status = 200, body = Employee), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
) -> ApiResult<Employee> {
    Ok(Json(employees::get(&s.db, &a, &nip).await?))
}

#[utoipa::path(patch, path = "/employees/{nip}", tag = "employees", params(("nip" = String, Path)),
    request_body = EmployeePatch,
    responses((status = 200, body = Employee), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(nip): Path<String>,
    ApiJson(patch): ApiJson<EmployeePatch>,
) -> ApiResult<Employee> {
    Ok(Json(employees::update(&s.db, &a, &nip, &patch).await?))
}
