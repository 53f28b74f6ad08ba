//! What a use case can refuse, as keys for the locale files; the web layer picks the status
//! and the language.

use cakap_domain::Localizable;
use cakap_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("not logged in")]
    Unauthenticated,
    #[error("invalid {field}: {key}")]
    Invalid {
        field: &'static str,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    },
    #[error("duplicate {field}")]
    Duplicate { field: &'static str },
    /// A state conflict: a stale version, a unit still in use.
    #[error("conflict: {key}")]
    Conflict { key: &'static str },
    #[error("too many attempts")]
    Throttled { retry_after_secs: u64 },
    #[error(transparent)]
    Store(StoreError),
    #[error("{0}")]
    Internal(String),
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn invalid(field: &'static str, key: &'static str) -> Self {
        ServiceError::Invalid {
            field,
            key,
            args: Vec::new(),
        }
    }

    /// A domain error (NIP, golongan, …) reported against `field`.
    pub fn domain(field: &'static str, e: &impl Localizable) -> Self {
        ServiceError::Invalid {
            field,
            key: e.key(),
            args: e.args(),
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Reference(_) => ServiceError::Conflict {
                key: "error.in_use",
            },
            StoreError::Duplicate(_) => ServiceError::Duplicate { field: "" },
            other => ServiceError::Store(other),
        }
    }
}
