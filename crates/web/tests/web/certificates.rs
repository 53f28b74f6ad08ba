//! Certificate keys and revocation through the real router, on SQLite and PostgreSQL: the
//! private keys live in the keys directory (0600 in 0700) and never in the database; `/verify`
//! checks against the published public key of the certificate's `kid`; rotation keeps old
//! certificates valid; an edited signature or key row fails; BKPSDM revokes with a reason;
//! `/.well-known/cakap-keys.json` publishes the keys; a key left in the database by an older
//! version is moved out at start.

use crate::common;

use axum::http::{Method, StatusCode};
use cakap_services::learning::keys;
use common::{Session, TestApp};
use serde_json::{Value, json};

both_backends!(
    keys_live_outside_the_database_and_certificates_verify,
    rotation_keeps_old_certificates_valid_and_signs_new_ones_with_the_new_key,
    an_edited_signature_or_key_row_fails_verification,
    admin_revokes_with_a_reason_and_the_check_shows_it,
    a_key_left_in_the_database_is_moved_to_the_keys_directory,
    well_known_lists_every_tenants_public_keys,
);

/// The tenant's key file and its JSON.
fn key_file(dir: &std::path::Path) -> (std::path::PathBuf, Value) {
    let path = dir.join("tenant-11.12.json");
    let text = std::fs::read_to_string(&path).expect("key file");
    (path, serde_json::from_str(&text).expect("key file JSON"))
}

async fn some_certificate(app: &TestApp) -> String {
    app.scalar_text("SELECT code FROM certificates ORDER BY code LIMIT 1")
        .await
}

async fn check(app: &TestApp, code: &str) -> Value {
    let r = app.get(&format!("/api/v1/certificates/{code}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// Issues a new certificate: a classroom class, one participant, attendance by BKPSDM.
async fn new_certificate(app: &TestApp, admin: &Session, class: &str) -> String {
    let r = app
        .api(
            Method::POST,
            "/api/v1/offerings",
            Some(admin),
            Some(json!({
                "course": "WS-KOMUNIKASI", "code": class, "starts_on": "2026-02-10",
                "ends_on": "2026-02-11", "seats": 5, "self_enrol": false
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let nip = app
        .scalar_text(
            "SELECT e.nip FROM employees e WHERE e.active = TRUE AND e.id NOT IN \
             (SELECT en.employee_id FROM enrollments en JOIN offerings o ON o.id = en.offering_id \
             JOIN courses k ON k.id = o.course_id WHERE k.code = 'WS-KOMUNIKASI') \
             ORDER BY e.id LIMIT 1",
        )
        .await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/enrollments",
            Some(admin),
            Some(json!({"offering": class, "nips": [nip]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()[0]["id"].as_i64().expect("enrolment id");
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/enrollments/{id}/attendance"),
            Some(admin),
            Some(json!({"attended": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["certificate"]
        .as_str()
        .expect("certificate")
        .to_string()
}

async fn current_kid(app: &TestApp) -> String {
    app.scalar_text(&format!(
        "SELECT kid FROM signing_keys WHERE tenant_id = {} AND retired_at IS NULL",
        app.tenant
    ))
    .await
}

async fn keys_live_outside_the_database_and_certificates_verify(app: &TestApp) {
    // The directory and the file: only the server's user may read them.
    let (path, file) = key_file(&app.keys_dir);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| {
            std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
        };
        assert_eq!(mode(&path), 0o600, "key file mode");
        assert_eq!(mode(&app.keys_dir), 0o700, "keys directory mode");
    }
    let secrets: Vec<String> = file["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["secret"].as_str().expect("secret").to_string())
        .collect();
    assert_eq!(secrets.len(), 1);
    // No private key in the database: the old column is empty, and the secret is nowhere.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM tenants WHERE signing_key IS NOT NULL")
            .await,
        0
    );
    for secret in &secrets {
        for q in [
            format!("SELECT COUNT(*) FROM signing_keys WHERE public_key = '{secret}'"),
            format!(
                "SELECT COUNT(*) FROM certificates WHERE payload LIKE '%{secret}%' \
                 OR signature LIKE '%{secret}%'"
            ),
            format!("SELECT COUNT(*) FROM tenants WHERE name LIKE '%{secret}%'"),
        ] {
            assert_eq!(app.scalar(&q).await, 0, "{q}");
        }
    }
    // A demo certificate verifies under the published key it names.
    let kid = current_kid(app).await;
    assert_eq!(kid, file["keys"][0]["kid"].as_str().expect("kid"));
    let code = some_certificate(app).await;
    let v = check(app, &code).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["kid"], kid.as_str());
    let fingerprint = v["fingerprint"].as_str().expect("fingerprint").to_string();
    assert_eq!(fingerprint.len(), 64);
    assert!(fingerprint.starts_with(&kid));
    assert_ne!(v["public_key"].as_str(), Some(secrets[0].as_str()));
    // The page shows the key id and the fingerprint (in groups of four).
    let page = app.get(&format!("/verify/{code}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&kid), "{}", page.body);
    assert!(page.body.contains(&fingerprint[..4]));
    assert!(
        page.body
            .contains(&format!("{} {}", &fingerprint[..4], &fingerprint[4..8]))
    );
    assert!(page.body.contains("/.well-known/cakap-keys.json"));
    // Nobody but BKPSDM sees the revoke form.
    assert!(!page.body.contains("/revoke"));
    let asn = app.login("asn").await;
    let page = app.get(&format!("/verify/{code}"), Some(&asn)).await;
    assert!(!page.body.contains("/revoke"));
}

async fn rotation_keeps_old_certificates_valid_and_signs_new_ones_with_the_new_key(app: &TestApp) {
    let admin = app.login("admin").await;
    let old_kid = current_kid(app).await;
    let old = some_certificate(app).await;
    let before = new_certificate(app, &admin, "ROT-1").await;
    assert_eq!(check(app, &before).await["kid"], old_kid.as_str());

    // What `cakap keys rotate` calls.
    let dir = keys::KeyDir::open(&app.keys_dir).expect("keys dir");
    let rotated = keys::rotate(&app.db, &dir, None).await.expect("rotate");
    assert_eq!(rotated.len(), 1);
    assert_eq!(rotated[0].tenant, "11.12");
    assert_eq!(rotated[0].previous.as_deref(), Some(old_kid.as_str()));
    let new_kid = rotated[0].kid.clone();
    assert_ne!(new_kid, old_kid);
    assert_eq!(current_kid(app).await, new_kid);
    let (_, file) = key_file(&app.keys_dir);
    assert_eq!(
        file["keys"].as_array().map(Vec::len),
        Some(2),
        "both keys kept"
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM signing_keys WHERE kid = '{old_kid}' AND retired_at IS NOT NULL"
        ))
        .await,
        1
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'rotate' AND entity = 'signing_key'"
        )
        .await,
        1
    );

    // Old certificates still verify, under the old key.
    for code in [&old, &before] {
        let v = check(app, code).await;
        assert_eq!(v["valid"], true, "{v}");
        assert_eq!(v["kid"], old_kid.as_str());
    }
    // New ones are signed with the new key.
    let after = new_certificate(app, &admin, "ROT-2").await;
    let v = check(app, &after).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["kid"], new_kid.as_str());

    // One tenant by code; an unknown one is refused and nothing changes.
    let again = keys::rotate(&app.db, &dir, Some("11.12"))
        .await
        .expect("rotate one");
    assert_eq!(again.len(), 1);
    assert!(keys::rotate(&app.db, &dir, Some("99.99")).await.is_err());
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM signing_keys WHERE tenant_id = {}",
            app.tenant
        ))
        .await,
        3
    );
    for code in [&old, &after] {
        assert_eq!(check(app, code).await["valid"], true);
    }
}

async fn an_edited_signature_or_key_row_fails_verification(app: &TestApp) {
    let code = some_certificate(app).await;
    assert_eq!(check(app, &code).await["valid"], true);
    let kid = current_kid(app).await;

    // The stored signature with one hex digit changed.
    let signature = app
        .scalar_text(&format!(
            "SELECT signature FROM certificates WHERE code = '{code}'"
        ))
        .await;
    let first = if signature.starts_with('0') { '1' } else { '0' };
    let altered = format!("{first}{}", &signature[1..]);
    app.sql(&format!(
        "UPDATE certificates SET signature = '{altered}' WHERE code = '{code}'"
    ))
    .await
    .expect("tamper");
    let v = check(app, &code).await;
    assert_eq!(v["valid"], false);
    assert_eq!(v["reason"], "signature");
    assert!(v["name"].is_null(), "nothing shown from an altered record");
    let page = app.get(&format!("/verify/{code}"), None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    app.sql(&format!(
        "UPDATE certificates SET signature = '{signature}' WHERE code = '{code}'"
    ))
    .await
    .expect("restore");
    assert_eq!(check(app, &code).await["valid"], true);

    // The tenant's key row swapped for another key (here: a newer one of the same tenant).
    let dir = keys::KeyDir::open(&app.keys_dir).expect("keys dir");
    let other = keys::rotate(&app.db, &dir, None).await.expect("rotate")[0]
        .kid
        .clone();
    let genuine = app
        .scalar_text(&format!(
            "SELECT public_key FROM signing_keys WHERE kid = '{kid}'"
        ))
        .await;
    let foreign = app
        .scalar_text(&format!(
            "SELECT public_key FROM signing_keys WHERE kid = '{other}'"
        ))
        .await;
    app.sql(&format!(
        "UPDATE signing_keys SET public_key = '{foreign}' WHERE kid = '{kid}'"
    ))
    .await
    .expect("swap key");
    let v = check(app, &code).await;
    assert_eq!(v["valid"], false, "{v}");
    assert_eq!(v["reason"], "signature");
    app.sql(&format!(
        "UPDATE signing_keys SET public_key = '{genuine}' WHERE kid = '{kid}'"
    ))
    .await
    .expect("restore key");
    assert_eq!(check(app, &code).await["valid"], true);

    // The certificate pointed at another key, or at none.
    for (to, what) in [
        (format!("'{other}'"), "another kid"),
        ("NULL".into(), "no kid"),
    ] {
        app.sql(&format!(
            "UPDATE certificates SET kid = {to} WHERE code = '{code}'"
        ))
        .await
        .expect("re-point");
        let v = check(app, &code).await;
        assert_eq!(v["valid"], false, "{what}: {v}");
    }
    // A key row deleted: its certificates no longer verify.
    app.sql(&format!(
        "UPDATE certificates SET kid = '{kid}' WHERE code = '{code}'"
    ))
    .await
    .expect("restore kid");
    assert_eq!(check(app, &code).await["valid"], true);
    app.sql(&format!("DELETE FROM signing_keys WHERE kid = '{kid}'"))
        .await
        .expect("delete key");
    assert_eq!(check(app, &code).await["valid"], false);
}

async fn admin_revokes_with_a_reason_and_the_check_shows_it(app: &TestApp) {
    let code = some_certificate(app).await;
    let path = format!("/api/v1/certificates/{code}/revoke");
    let reason = "Kelulusan dibatalkan: peserta tidak hadir <b>penuh</b>";
    // Not BKPSDM: refused, nothing changes.
    for who in ["asn", "kapus.babahrot", "instruktur", "auditor"] {
        let s = app.login(who).await;
        let r = app
            .api(
                Method::POST,
                &path,
                Some(&s),
                Some(json!({ "reason": reason })),
            )
            .await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{who}: {} {}",
            r.status,
            r.body
        );
    }
    let r = app
        .api(Method::POST, &path, None, Some(json!({ "reason": reason })))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // No reason, a blank one, one too long.
    let admin = app.login("admin").await;
    for body in [
        json!({}),
        json!({"reason": "   "}),
        json!({"reason": "x".repeat(501)}),
    ] {
        let r = app.api(Method::POST, &path, Some(&admin), Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "reason");
    }
    let r = app
        .api(Method::POST, &path, Some(&admin), Some(json!({})))
        .await;
    assert!(r.error_message().contains("alasan"), "{}", r.body);
    assert_eq!(check(app, &code).await["valid"], true, "still valid");
    let unknown = app
        .api(
            Method::POST,
            "/api/v1/certificates/ZZZZ-ZZZZ-ZZZZ/revoke",
            Some(&admin),
            Some(json!({ "reason": reason })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // BKPSDM revokes: the public check says so, with the date and the reason.
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&admin),
            Some(json!({ "reason": reason })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = check(app, &code).await;
    assert_eq!(v["valid"], false);
    assert_eq!(v["reason"], "revoked");
    assert_eq!(v["revoked_reason"], reason);
    let on = v["revoked_on"].as_str().expect("revoked_on").to_string();
    assert_eq!(on.len(), 10);
    assert!(v["name"].is_string(), "what was revoked is still shown");
    let page = app.get(&format!("/verify/{code}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Dicabut"), "{}", page.body);
    assert!(page.body.contains("Kelulusan dibatalkan"));
    assert!(!page.body.contains("<b>penuh</b>"), "escaped");
    assert!(
        page.body
            .contains(&cakap_services::learning::certificates::tanggal(&on))
    );
    let req = axum::http::Request::builder()
        .uri(format!("/verify/{code}"))
        .header("accept-language", "en")
        .body(axum::body::Body::empty())
        .expect("request");
    let page = app.send(req).await;
    assert!(page.body.contains("Revoked"), "{}", page.body);
    assert!(page.body.contains(&on));
    // Once only; audited; no PDF of a revoked certificate.
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&admin),
            Some(json!({"reason": "lagi"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'revoke' AND entity = 'certificate' \
             AND entity_id = '{code}' AND actor = 'admin'"
        ))
        .await,
        1
    );
    let pdf = app
        .get(&format!("/api/v1/certificates/{code}/pdf"), Some(&admin))
        .await;
    assert_eq!(pdf.status, StatusCode::CONFLICT, "{}", pdf.body);

    // The page's form: BKPSDM sees it on a valid certificate; it needs the CSRF token.
    let other = app
        .scalar_text(&format!(
            "SELECT code FROM certificates WHERE code <> '{code}' ORDER BY code LIMIT 1"
        ))
        .await;
    let page = app.get(&format!("/verify/{other}"), Some(&admin)).await;
    assert!(
        page.body.contains(&format!("/verify/{other}/revoke")),
        "{}",
        page.body
    );
    assert!(page.body.contains(&admin.csrf));
    let form = format!("/verify/{other}/revoke");
    let no_token = Session {
        csrf: "wrong".into(),
        ..admin.clone()
    };
    let r = app
        .form(&form, &no_token, &[("_csrf", "wrong"), ("reason", "Palsu")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let kapus = app.login("kapus.babahrot").await;
    let r = app
        .form(
            &form,
            &kapus,
            &[("_csrf", &kapus.csrf), ("reason", "Palsu")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .form(&form, &admin, &[("_csrf", &admin.csrf), ("reason", " ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(check(app, &other).await["valid"], true);
    let r = app
        .form(
            &form,
            &admin,
            &[("_csrf", &admin.csrf), ("reason", "Data peserta keliru")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v = check(app, &other).await;
    assert_eq!(v["reason"], "revoked");
    assert_eq!(v["revoked_reason"], "Data peserta keliru");
    let page = app.get(&format!("/verify/{other}"), Some(&admin)).await;
    assert!(page.body.contains("Dicabut"));
    assert!(!page.body.contains(&format!("/verify/{other}/revoke")));
}

async fn a_key_left_in_the_database_is_moved_to_the_keys_directory(app: &TestApp) {
    // The state an older version left: the private key in tenants.signing_key, no published
    // keys, certificates without a kid.
    let (_, file) = key_file(&app.keys_dir);
    let secret = file["keys"][0]["secret"]
        .as_str()
        .expect("secret")
        .to_string();
    let kid = file["keys"][0]["kid"].as_str().expect("kid").to_string();
    let code = some_certificate(app).await;
    app.sql("UPDATE certificates SET kid = NULL")
        .await
        .expect("kid");
    app.sql("DELETE FROM signing_keys").await.expect("keys");
    app.sql(&format!(
        "UPDATE tenants SET signing_key = '{secret}' WHERE id = {}",
        app.tenant
    ))
    .await
    .expect("legacy key");
    assert_eq!(
        check(app, &code).await["valid"],
        false,
        "no key to check with"
    );

    // Start-up with an empty keys directory takes it out of the database — and does not
    // trust it again: it is in every backup of that database. A fresh key signs the old
    // certificates anew; the old key is neither kept nor published.
    let dir = app.keys_dir.join("moved");
    keys::open(&app.db, &dir).await.expect("open keys");
    let (_, moved) = key_file(&dir);
    assert_eq!(moved["keys"].as_array().map(Vec::len), Some(1));
    let fresh = moved["keys"][0]["kid"].as_str().expect("kid").to_string();
    assert_ne!(fresh, kid, "a fresh key");
    assert!(
        !moved.to_string().contains(&secret),
        "the old secret is not kept"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM tenants WHERE signing_key IS NOT NULL")
            .await,
        0,
        "the column is emptied"
    );
    assert_eq!(current_kid(app).await, fresh);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM signing_keys WHERE kid = '{kid}'"
        ))
        .await,
        0,
        "the old key is not published"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM certificates WHERE kid IS NULL")
            .await,
        0
    );
    let v = check(app, &code).await;
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["kid"], fresh.as_str());
    // Whoever kept the old key (an old backup) cannot make a certificate that checks: one
    // signed with it names a key nobody publishes.
    app.sql(&format!(
        "UPDATE certificates SET kid = '{kid}' WHERE code = '{code}'"
    ))
    .await
    .expect("forged kid");
    assert_eq!(check(app, &code).await["valid"], false);
    app.sql(&format!(
        "UPDATE certificates SET kid = '{fresh}' WHERE code = '{code}'"
    ))
    .await
    .expect("kid back");
    // A second start changes nothing.
    keys::open(&app.db, &dir).await.expect("open again");
    let (_, again) = key_file(&dir);
    assert_eq!(again["keys"].as_array().map(Vec::len), Some(1));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM signing_keys").await, 1);
    assert_eq!(check(app, &code).await["valid"], true);
}

async fn well_known_lists_every_tenants_public_keys(app: &TestApp) {
    common::other_tenant(app).await;
    // The other tenant gets its key at the next start.
    keys::open(&app.db, &app.keys_dir).await.expect("open keys");
    let r = app.get("/.well-known/cakap-keys.json", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"))
    );
    let doc = r.json();
    let tenants = doc["tenants"].as_array().expect("tenants");
    assert_eq!(tenants.len(), 2);
    let ours = tenants
        .iter()
        .find(|t| t["code"] == "11.12")
        .expect("our tenant");
    assert_eq!(ours["name"], "Kabupaten Aceh Barat Daya");
    let key = &ours["keys"][0];
    let kid = current_kid(app).await;
    assert_eq!(key["kid"], kid.as_str());
    assert_eq!(key["algorithm"], "Ed25519");
    assert_eq!(key["public_key"].as_str().map(str::len), Some(64));
    assert!(
        key["fingerprint"]
            .as_str()
            .expect("fingerprint")
            .starts_with(&kid)
    );
    assert!(key["created"].as_str().expect("created").ends_with('Z'));
    assert!(key["retired"].is_null());
    assert_eq!(key["current"], true);
    // The certificate's check names the same key.
    let code = some_certificate(app).await;
    let v = check(app, &code).await;
    assert_eq!(v["public_key"], key["public_key"]);
    assert_eq!(v["fingerprint"], key["fingerprint"]);
    // Never a private key.
    let (_, file) = key_file(&app.keys_dir);
    let secret = file["keys"][0]["secret"].as_str().expect("secret");
    assert!(!r.body.contains(secret));
    assert!(!r.body.contains("secret"));
    let theirs = tenants
        .iter()
        .find(|t| t["code"] == "11.06")
        .expect("other tenant");
    assert_eq!(theirs["keys"].as_array().map(Vec::len), Some(1));
    assert!(app.keys_dir.join("tenant-11.06.json").exists());
}
