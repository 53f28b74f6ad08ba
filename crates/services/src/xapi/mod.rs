//! The xAPI 2.0 Learning Record Store (IEEE 9274.1.1) that outside learning platforms report
//! to, and what Cakap makes of a completion (docs/interfaces.md#xapi).
//!
//! Clients authenticate with HTTP Basic: a key and a secret made by `cakap xapi-client add`,
//! the secret kept as a SHA-256 (it is 256 random bits, so a slow hash buys nothing and would
//! cost every request). Each client writes to and reads from its own tenant only.

pub mod clients;
pub mod credit;
pub mod documents;
pub mod statements;
pub mod validate;

use cakap_store::StoreError;

/// The xAPI version this LRS speaks, sent on every response.
pub const VERSION: &str = "2.0.0";

/// Why an xAPI request was refused. xAPI clients are programs: messages are English and the
/// status code is what they act on.
#[derive(Debug, thiserror::Error)]
pub enum XapiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PreconditionRequired(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("internal error")]
    Internal(String),
    /// The database cannot be reached now.
    #[error("service unavailable")]
    Unavailable(String),
}

impl XapiError {
    pub fn status(&self) -> u16 {
        match self {
            XapiError::BadRequest(_) => 400,
            XapiError::Unauthorized => 401,
            XapiError::Forbidden(_) => 403,
            XapiError::NotFound => 404,
            XapiError::Conflict(_) => 409,
            XapiError::PreconditionFailed(_) => 412,
            XapiError::TooLarge(_) => 413,
            XapiError::PreconditionRequired(_) => 428,
            XapiError::Internal(_) => 500,
            XapiError::Unavailable(_) => 503,
        }
    }

    pub fn bad(msg: impl Into<String>) -> XapiError {
        XapiError::BadRequest(msg.into())
    }
}

impl From<StoreError> for XapiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) => XapiError::Unavailable(e.to_string()),
            e => XapiError::Internal(e.to_string()),
        }
    }
}

impl From<validate::Invalid> for XapiError {
    fn from(e: validate::Invalid) -> Self {
        XapiError::BadRequest(e.0)
    }
}

pub type XapiResult<T> = Result<T, XapiError>;

/// The authenticated client of a request.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    /// The `authority` set on every statement it stores: an Agent identified by an account on
    /// the tenant's home page.
    pub authority: serde_json::Value,
}

/// The `account.homePage` of a client's own identity (its `authority` on every statement).
/// ASN are named by another home page: the server's public URL (docs/interfaces.md#xapi).
pub fn home_page(public_url: &str, tenant_code: &str) -> String {
    format!(
        "{}/xapi/tenants/{tenant_code}",
        public_url.trim_end_matches('/')
    )
}
