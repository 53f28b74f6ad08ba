//! The public check of a badge (`/badges/{id}`): its proof against the published key of its
//! `kid`, and the same credential as a VC-JWT (docs/badges.md).

use cakap_store::recognition as store;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::valid_id;
use crate::learning::keys;
use crate::{Db, ServiceError, ServiceResult, wib};

/// The public check of a badge.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Check {
    pub id: String,
    pub valid: bool,
    /// `unknown` or `signature` when not valid.
    pub reason: Option<String>,
    pub name: Option<String>,
    pub badge: Option<String>,
    /// What earned it, in the regency's words (the credential's criteria).
    pub criteria: Option<String>,
    pub year: Option<i64>,
    pub issuer: Option<String>,
    pub issued_on: Option<String>,
    pub kid: Option<String>,
    pub fingerprint: Option<String>,
    /// The credential itself, as issued (what a wallet or validator reads).
    #[schema(value_type = Object)]
    pub credential: Option<Value>,
}

/// Checks a badge by id (public): its proof against the tenant's published key.
pub async fn check(db: &Db, id: &str) -> ServiceResult<Check> {
    let id = id.trim().to_ascii_lowercase();
    let invalid = |reason: &str| Check {
        id: id.clone(),
        valid: false,
        reason: Some(reason.into()),
        name: None,
        badge: None,
        criteria: None,
        year: None,
        issuer: None,
        issued_on: None,
        kid: None,
        fingerprint: None,
        credential: None,
    };
    if !valid_id(&id) {
        return Ok(invalid("unknown"));
    }
    let mut c = db.conn().await?;
    let Some(row) = store::badge(&mut c, &id).await? else {
        return Ok(invalid("unknown"));
    };
    let Some((credential, public)) = verified(&row) else {
        return Ok(invalid("signature"));
    };
    let subject = &credential["credentialSubject"];
    let name = subject["identifier"]
        .as_array()
        .and_then(|ids| ids.iter().find(|i| i["identityType"] == "name"))
        .and_then(|i| i["identityHash"].as_str())
        .map(str::to_string);
    Ok(Check {
        id,
        valid: true,
        reason: None,
        name,
        badge: credential["name"].as_str().map(str::to_string),
        criteria: subject["achievement"]["criteria"]["narrative"]
            .as_str()
            .map(str::to_string),
        year: Some(row.year),
        issuer: credential["issuer"]["name"].as_str().map(str::to_string),
        issued_on: Some(wib::of(row.issued_at).date_naive().to_string()),
        kid: Some(row.kid.clone()),
        fingerprint: Some(keys::fingerprint_of(&public)),
        credential: Some(credential),
    })
}

/// The credential and its key when the stored text carries a valid proof by the published key
/// the row names, for this very badge.
fn verified(row: &store::BadgeRow) -> Option<(Value, ed25519_dalek::VerifyingKey)> {
    let public = keys::public_key(row.public_key.as_deref()?)?;
    let credential: Value = serde_json::from_str(&row.credential).ok()?;
    (crate::badges::verify(&credential, &public)
        && credential["id"].as_str() == Some(format!("urn:uuid:{}", row.id).as_str()))
    .then_some((credential, public))
}

/// The badge as a VC-JWT, signed now with the key that signed it (public, like the check);
/// `None` for an unknown or invalid badge, or when that key is no longer loaded.
pub async fn jwt(db: &Db, id: &str) -> ServiceResult<Option<String>> {
    let id = id.trim().to_ascii_lowercase();
    if !valid_id(&id) {
        return Ok(None);
    }
    let mut c = db.conn().await?;
    let Some(row) = store::badge(&mut c, &id).await? else {
        return Ok(None);
    };
    let code = cakap_store::tenants::by_id(&mut c, row.tenant_id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .code;
    let Some((credential, public)) = verified(&row) else {
        return Ok(None);
    };
    let Ok((_, key)) = keys::signer(
        &code,
        Some(&row.kid),
        Some(&crate::auth::hex(public.as_bytes())),
    ) else {
        return Ok(None);
    };
    Ok(Some(crate::badges::jwt(&credential, &key)))
}
