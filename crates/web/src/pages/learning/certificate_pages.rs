//! Learning pages: certificates.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cakap_services::learning::certificates::{self, Verification};

use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::Lang;
use crate::pages::{PageResult, Ui, render_status};

use super::*;

pub async fn certificate_pdf(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(file): Path<String>,
) -> PageResult {
    let code = file.trim_end_matches(".pdf");
    let base = crate::api::learning::base_url(&s);
    let pdf = certificates::pdf(&s.db, &actor, code, &base).await?;
    Ok(crate::api::file_response(
        &format!("sertifikat-{code}.pdf"),
        "application/pdf",
        pdf,
    ))
}

#[derive(Template)]
#[template(path = "verify.html")]
pub(super) struct VerifyPage {
    ui: Ui,
    v: Verification,
    /// The completion date as Indonesian documents write it (English: ISO).
    date: String,
    /// The revocation date, the same way.
    revoked_date: String,
    /// The key's fingerprint in groups of four, for reading aloud.
    fingerprint: String,
    /// BKPSDM of the certificate's tenant: the revoke form is shown.
    can_revoke: bool,
}

/// The public certificate check: no login, only what a citizen needs; BKPSDM also finds the
/// form to revoke it here.
pub async fn verify(State(s): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> PageResult {
    let actor = ctx
        .principal
        .as_ref()
        .and_then(|p| cakap_services::Actor::from_principal(p, Some(ctx.request_id.clone())).ok());
    let (v, can_revoke) = certificates::verify_as(&s.db, actor.as_ref(), &code).await?;
    let status = if v.valid || v.reason.as_deref() == Some("revoked") {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let date = |iso: Option<&str>| {
        let iso = iso.unwrap_or_default();
        match ctx.lang {
            Lang::Id => certificates::tanggal(iso),
            Lang::En => iso.to_string(),
        }
    };
    let fingerprint = crate::pages::fingerprint_groups(v.fingerprint.as_deref());
    Ok(render_status(
        status,
        &VerifyPage {
            ui: Ui::new(&ctx, "/verify"),
            date: date(v.completed_on.as_deref()),
            revoked_date: date(v.revoked_on.as_deref()),
            fingerprint,
            can_revoke,
            v,
        },
    ))
}

/// BKPSDM revokes a certificate from its check page.
pub async fn revoke_certificate(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(code): Path<String>,
    axum::Form(f): Fields,
) -> PageResult {
    let input = certificates::RevokeInput {
        reason: field(&f, "reason"),
    };
    let v = certificates::revoke(&s.db, &actor, &code, &input).await?;
    Ok(see_other(&format!("/verify/{}", v.code)))
}

/// The service worker, served from the root so that it may keep `/learn/` pages.
pub async fn service_worker() -> Response {
    use axum::http::header;
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../../../static/sw.js"),
    )
        .into_response()
}
