//! Certificates of completion. Each has a random code (e.g. `7K3M-Q9TD-W2HX`: Crockford base 32)
//! and a canonical JSON text signed with the tenant's current Ed25519 key; the certificate
//! names that key by its id (`kid`). The private keys live outside the database (`keys`); the
//! public check (`/verify/{code}`) finds the code, verifies the signature over the stored text
//! against the published public key of its `kid` (never one derived from a private key), and
//! shows only what a citizen needs, with the NIP masked; a code altered by one character is
//! unknown, a text or key altered in the database fails the signature. BKPSDM can revoke a
//! certificate with a reason, which the check then shows. The PDF is drawn from the signed
//! text, so it can never say more or other than it.

use cakap_domain::Role;
use cakap_domain::learning::{CODE_ALPHABET, mask_nip, valid_code_shape};
use cakap_store::Conn;
use cakap_store::learning::{self as store, CourseRow, EnrollmentRow};
use ed25519_dalek::Signer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{keys, random_bytes};
use crate::cache::Topic;
use crate::change::Change;
use crate::pdf::{draw_qr, latin1, one_page_pdf, text_width};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// What is signed: everything the certificate states.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Payload {
    pub v: u8,
    pub code: String,
    pub issuer: String,
    pub name: String,
    pub nip: String,
    pub course_code: String,
    pub course: String,
    pub jp: i64,
    pub completed_on: String,
}

fn new_code() -> ServiceResult<String> {
    let bytes: [u8; 12] = random_bytes()?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % 32]))
        .collect();
    Ok(format!(
        "{}-{}-{}",
        chars[..4].iter().collect::<String>(),
        chars[4..8].iter().collect::<String>(),
        chars[8..].iter().collect::<String>()
    ))
}

/// Whose certificate it is.
pub(crate) struct Holder<'a> {
    pub enrollment_id: i64,
    pub employee_id: i64,
    pub name: &'a str,
    pub nip: &'a str,
}

impl<'a> From<&'a EnrollmentRow> for Holder<'a> {
    fn from(e: &'a EnrollmentRow) -> Holder<'a> {
        Holder {
            enrollment_id: e.id,
            employee_id: e.employee_id,
            name: &e.name,
            nip: &e.nip,
        }
    }
}

/// Issues the certificate of an enrolment already marked completed in `c`'s transaction —
/// name and NIP from the enrolment itself, nothing from the caller; returns its code. For
/// loaders outside this crate (the demo); the services reach [`issue`] through completion.
pub async fn issue_for_completed(
    c: &mut Conn,
    tenant: i64,
    enrollment_id: i64,
    course: &CourseRow,
    on: &str,
) -> ServiceResult<String> {
    let (employee_id, nip, name, course_id, status) = store::holder(c, tenant, enrollment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if status != cakap_domain::status::EnrolmentStatus::Completed.as_str() || course_id != course.id
    {
        return Err(ServiceError::Conflict {
            key: "learning.not_completed",
        });
    }
    let holder = Holder {
        enrollment_id,
        employee_id,
        name: &name,
        nip: &nip,
    };
    issue(c, tenant, &holder, course, on).await
}

/// Issues the certificate of a completed enrolment; returns its code.
pub(crate) async fn issue(
    c: &mut Conn,
    tenant: i64,
    e: &Holder<'_>,
    course: &CourseRow,
    on: &str,
) -> ServiceResult<String> {
    let id = store::signing_identity(c, tenant)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (kid, key) = keys::signer(&id.code, id.kid.as_deref(), id.public_key.as_deref())?;
    let issuer = id.name;
    let code = new_code()?;
    let payload = Payload {
        v: 1,
        code: code.clone(),
        issuer,
        name: e.name.to_string(),
        nip: e.nip.to_string(),
        course_code: course.code.clone(),
        course: course.title.clone(),
        jp: course.jp,
        completed_on: on.to_string(),
    };
    let text =
        serde_json::to_string(&payload).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let signature = crate::auth::hex(&key.sign(text.as_bytes()).to_bytes());
    store::insert_certificate(
        c,
        tenant,
        &store::NewCertificate {
            code: &code,
            enrollment_id: e.enrollment_id,
            employee_id: e.employee_id,
            payload: &text,
            signature: &signature,
            kid: &kid,
        },
    )
    .await?;
    Ok(code)
}

/// The public answer about a code.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verification {
    pub valid: bool,
    pub code: String,
    /// Why not valid: `unknown` (no such certificate), `signature` (its text, signature or key
    /// was altered) or `revoked` (withdrawn by BKPSDM; the details are still shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub name: Option<String>,
    /// The NIP with its middle digits masked.
    pub nip: Option<String>,
    pub course: Option<String>,
    pub jp: Option<i64>,
    pub completed_on: Option<String>,
    pub issuer: Option<String>,
    /// Ed25519 public key (hex) that signed it, as published.
    pub public_key: Option<String>,
    /// Id of the key that signed it (see `/.well-known/cakap-keys.json`).
    pub kid: Option<String>,
    /// SHA-256 of that public key, hex: compare it with a copy you trust.
    pub fingerprint: Option<String>,
    /// When it was revoked (RFC 3339).
    pub revoked_at: Option<String>,
    /// The revocation date in the server's calendar, `YYYY-MM-DD`.
    pub revoked_on: Option<String>,
    pub revoked_reason: Option<String>,
}

fn invalid(code: &str, reason: &str) -> Verification {
    Verification {
        valid: false,
        code: code.chars().take(20).collect(),
        reason: Some(reason.into()),
        name: None,
        nip: None,
        course: None,
        jp: None,
        completed_on: None,
        issuer: None,
        public_key: None,
        kid: None,
        fingerprint: None,
        revoked_at: None,
        revoked_on: None,
        revoked_reason: None,
    }
}

/// Verifies a code: anyone may ask, no login.
pub async fn verify(db: &Db, code: &str) -> ServiceResult<Verification> {
    Ok(verify_as(db, None, code).await?.0)
}

/// [`verify`], and whether `actor` may revoke the certificate (BKPSDM of its tenant, while
/// it is genuine and not yet revoked): the check page offers the form then.
pub async fn verify_as(
    db: &Db,
    actor: Option<&Actor>,
    code: &str,
) -> ServiceResult<(Verification, bool)> {
    let code = code.trim().to_ascii_uppercase();
    if !valid_code_shape(&code) {
        return Ok((invalid(&code, "unknown"), false));
    }
    let mut c = db.conn().await?;
    let Some(row) = store::certificate(&mut c, &code).await? else {
        return Ok((invalid(&code, "unknown"), false));
    };
    let Some((payload, public_key)) = check(&row) else {
        return Ok((invalid(&code, "signature"), false));
    };
    let revoked = row.revoked_at.is_some();
    let may_revoke =
        !revoked && actor.is_some_and(|a| a.role == Role::Admin && a.tenant_id == row.tenant_id);
    Ok((
        Verification {
            valid: !revoked,
            code,
            reason: revoked.then(|| "revoked".to_string()),
            name: Some(payload.name),
            nip: Some(mask_nip(&payload.nip)),
            course: Some(payload.course),
            jp: Some(payload.jp),
            completed_on: Some(payload.completed_on),
            issuer: Some(payload.issuer),
            fingerprint: keys::fingerprint(&public_key),
            public_key: Some(public_key),
            kid: row.kid,
            revoked_at: row.revoked_at.map(keys::rfc3339),
            revoked_on: row.revoked_at.map(local_date),
            revoked_reason: row.revoked_reason,
        },
        may_revoke,
    ))
}

fn local_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default()
}

/// The signed text and the public key (hex) if the signature holds under the published key
/// the certificate names, and the text names this code.
///
/// The key comes from the database's table of public keys: whoever can write the database
/// can replace it too (see `keys` for why pinning the published keys is the defence).
fn check(row: &store::CertificateRow) -> Option<(Payload, String)> {
    let public_hex = row.public_key.as_deref()?;
    let public = keys::public_key(public_hex)?;
    let sig: [u8; 64] = crate::auth::unhex(&row.signature)?.try_into().ok()?;
    public
        .verify_strict(
            row.payload.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&sig),
        )
        .ok()?;
    let payload: Payload = serde_json::from_str(&row.payload).ok()?;
    (payload.code == row.code).then(|| (payload, crate::auth::hex(public.as_bytes())))
}

/// What a revocation needs.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RevokeInput {
    /// Why, in words the public check will show (1–500 characters).
    #[serde(default)]
    pub reason: String,
}

/// Most characters in a revocation reason.
pub const MAX_REASON: usize = 500;

/// Revokes a certificate (`admin` of its tenant), with a reason the public check shows;
/// audited. A certificate is revoked once.
pub async fn revoke(
    db: &Db,
    actor: &Actor,
    code: &str,
    input: &RevokeInput,
) -> ServiceResult<Verification> {
    actor.require_admin()?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::invalid("reason", "certificate.reason_needed"));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(ServiceError::Invalid {
            field: "reason",
            key: "certificate.reason_too_long",
            args: vec![("max", MAX_REASON.to_string())],
        });
    }
    let code = code.trim().to_ascii_uppercase();
    if !valid_code_shape(&code) {
        return Err(ServiceError::NotFound);
    }
    let mut c = Change::begin(db, actor).await?;
    let row = store::certificate(&mut c, &code)
        .await?
        .filter(|r| r.tenant_id == actor.tenant_id)
        .ok_or(ServiceError::NotFound)?;
    if row.revoked_at.is_some()
        || !store::revoke_certificate(&mut c, actor.tenant_id, &code, reason, &actor.username)
            .await?
    {
        return Err(ServiceError::Conflict {
            key: "certificate.already_revoked",
        });
    }
    c.record(
        "revoke",
        "certificate",
        &code,
        Some(&serde_json::json!({ "revoked": false })),
        Some(&serde_json::json!({ "revoked": true, "reason": reason })),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    verify(db, &code).await
}

/// The certificate as a PDF, for its holder and those who see them (`admin`, `auditor`, their
/// `pimpinan`). `base_url` makes the QR code's address (`{base_url}/verify/{code}`).
pub async fn pdf(db: &Db, actor: &Actor, code: &str, base_url: &str) -> ServiceResult<Vec<u8>> {
    let code = code.trim().to_ascii_uppercase();
    if !valid_code_shape(&code) {
        return Err(ServiceError::NotFound);
    }
    let mut c = db.conn().await?;
    let row = store::certificate(&mut c, &code)
        .await?
        .filter(|r| r.tenant_id == actor.tenant_id)
        .ok_or(ServiceError::NotFound)?;
    let e = store::enrollment(&mut c, actor.tenant_id, row.enrollment_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !actor.sees_employee(e.employee_id, &e.unit_path) {
        return Err(ServiceError::NotFound);
    }
    let (payload, _) = check(&row).ok_or(ServiceError::Conflict {
        key: "certificate.tampered",
    })?;
    if row.revoked_at.is_some() {
        return Err(ServiceError::Conflict {
            key: "certificate.revoked",
        });
    }
    Ok(draw(
        &payload,
        &format!("{}/verify/{code}", base_url.trim_end_matches('/')),
    ))
}

/// `2026-11-29` → `29 November 2026`, as dates are written on Indonesian documents.
pub fn tanggal(iso: &str) -> String {
    const BULAN: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => {
            use chrono::Datelike;
            format!("{} {} {}", d.day(), BULAN[d.month0() as usize], d.year())
        }
        Err(_) => iso.to_string(),
    }
}

/// Draws the certificate: A4 landscape, centred text, the QR code at the bottom right.
pub fn draw(p: &Payload, verify_url: &str) -> Vec<u8> {
    use pdf_writer::{Content, Name, Str};
    let (w, h) = (842.0_f32, 595.0_f32);
    one_page_pdf(
        w,
        h,
        &format!("Sertifikat {}", p.code),
        |c: &mut Content| {
            // Border.
            c.set_stroke_rgb(0.10, 0.36, 0.30);
            c.set_line_width(3.0);
            c.rect(24.0, 24.0, w - 48.0, h - 48.0);
            c.stroke();
            c.set_line_width(0.8);
            c.rect(34.0, 34.0, w - 68.0, h - 68.0);
            c.stroke();
            let centred = |c: &mut Content, text: &str, font: &[u8], size: f32, y: f32| {
                let bytes = latin1(text);
                let x = (w - text_width(&bytes, size)) / 2.0;
                c.begin_text();
                c.set_font(Name(font), size);
                c.next_line(x, y);
                c.show(Str(&bytes));
                c.end_text();
            };
            c.set_fill_rgb(0.10, 0.36, 0.30);
            centred(c, &p.issuer.to_uppercase(), b"F2", 14.0, 520.0);
            centred(c, "SERTIFIKAT", b"F2", 34.0, 462.0);
            c.set_fill_gray(0.2);
            centred(c, "diberikan kepada", b"F1", 13.0, 425.0);
            c.set_fill_gray(0.0);
            centred(c, &p.name, b"F2", 24.0, 388.0);
            centred(c, &format!("NIP {}", p.nip), b"F1", 13.0, 364.0);
            c.set_fill_gray(0.2);
            centred(c, "yang telah menyelesaikan", b"F1", 13.0, 328.0);
            c.set_fill_gray(0.0);
            centred(c, &p.course, b"F2", 18.0, 298.0);
            centred(
                c,
                &format!("{} JP  -  selesai {}", p.jp, tanggal(&p.completed_on)),
                b"F1",
                13.0,
                272.0,
            );
            // Code and how to check it, bottom left.
            let left = |c: &mut Content, text: &str, font: &[u8], size: f32, y: f32| {
                c.begin_text();
                c.set_font(Name(font), size);
                c.next_line(60.0, y);
                c.show(Str(&latin1(text)));
                c.end_text();
            };
            left(
                c,
                &format!("Kode sertifikat: {}", p.code),
                b"F2",
                12.0,
                120.0,
            );
            left(
                c,
                "Keaslian dapat diperiksa dengan memindai kode QR atau membuka:",
                b"F1",
                9.5,
                102.0,
            );
            left(c, verify_url, b"F1", 9.5, 88.0);
            left(
                c,
                "Ditandatangani secara elektronik (Ed25519) oleh sistem Cakap.",
                b"F1",
                9.5,
                70.0,
            );
            // QR code, bottom right.
            draw_qr(c, verify_url, w - 60.0 - 120.0, 56.0, 120.0);
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn payload() -> Payload {
        Payload {
            v: 1,
            code: "AB12-CD34-EF56".into(),
            issuer: "Kabupaten Aceh Barat Daya".into(),
            name: "Cut Nyak Dhien, S.Kep.".into(),
            nip: "198503122010012002".into(),
            course_code: "PPGD".into(),
            course: "Pertolongan Pertama Gawat Darurat".into(),
            jp: 20,
            completed_on: "2026-11-20".into(),
        }
    }

    #[test]
    fn pdf_holds_the_text_and_a_qr_code() {
        let pdf = draw(&payload(), "https://cakap.example/verify/AB12-CD34-EF56");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        for s in [
            "Cut Nyak Dhien",
            "198503122010012002",
            "AB12-CD34-EF56",
            "20 JP",
            "20 November 2026",
            "Helvetica-Bold",
        ] {
            assert!(text.contains(s), "{s}");
        }
        // Many filled squares: the QR code.
        assert!(text.matches(" re").count() > 200);
    }

    #[test]
    fn signatures_detect_any_change() {
        let secret = [7u8; 32];
        let key = SigningKey::from_bytes(&secret);
        let text = serde_json::to_string(&payload()).unwrap_or_default();
        let sig = crate::auth::hex(&key.sign(text.as_bytes()).to_bytes());
        let public = crate::auth::hex(key.verifying_key().as_bytes());
        let row = |payload: String, signature: String| store::CertificateRow {
            code: "AB12-CD34-EF56".into(),
            tenant_id: 1,
            tenant_name: "x".into(),
            enrollment_id: 1,
            employee_id: 1,
            payload,
            signature,
            kid: Some(keys::kid_of(&key.verifying_key())),
            public_key: Some(public.clone()),
            revoked_at: None,
            revoked_reason: None,
        };
        assert!(check(&row(text.clone(), sig.clone())).is_some());
        // Another published key, or none: not valid.
        let other = SigningKey::from_bytes(&[8u8; 32]).verifying_key();
        let mut swapped = row(text.clone(), sig.clone());
        swapped.public_key = Some(crate::auth::hex(other.as_bytes()));
        assert!(check(&swapped).is_none());
        swapped.public_key = None;
        assert!(check(&swapped).is_none());
        let altered = text.replace("\"jp\":20", "\"jp\":40");
        assert!(check(&row(altered, sig.clone())).is_none());
        let mut bad_sig = sig.clone().into_bytes();
        bad_sig[0] = if bad_sig[0] == b'0' { b'1' } else { b'0' };
        assert!(
            check(&row(
                text.clone(),
                String::from_utf8(bad_sig).unwrap_or_default()
            ))
            .is_none()
        );
        assert!(check(&row(text, "zz".into())).is_none());
    }

    #[test]
    fn codes_have_the_public_shape() {
        for _ in 0..50 {
            let code = new_code().unwrap_or_default();
            assert!(valid_code_shape(&code), "{code}");
        }
    }
}
