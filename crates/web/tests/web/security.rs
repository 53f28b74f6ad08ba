//! Security fixes (issue 12) through the real router, on SQLite and PostgreSQL: login
//! throttling that cannot lock others out, bearer tokens that expire and can be revoked,
//! self-approval guards that do not hang on an optional link, paging that cannot overflow,
//! request ids that cannot smuggle text into the audit log, links that never come from the
//! `Host` header, and logouts that clear what the browser kept.

use crate::common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use common::{Resp, Session, TestApp};
use serde_json::{Value, json};
use tower::ServiceExt;

both_backends!(
    one_accounts_failures_do_not_lock_other_accounts_at_the_same_address,
    an_attacker_elsewhere_cannot_lock_the_real_user_out,
    tries_refused_while_held_back_do_not_extend_the_wait,
    tokens_expire_are_listed_without_secrets_and_can_be_revoked,
    token_lifetimes_outside_the_limits_are_refused_and_nothing_is_made,
    an_unlinked_pimpinan_approves_nothing_and_cannot_be_created,
    huge_page_numbers_answer_an_empty_page_not_an_error,
    hostile_request_ids_never_reach_the_audit_log,
    certificate_links_use_the_public_url_not_the_host_header,
    logout_and_ended_sessions_clear_what_the_browser_kept,
    self_assessment_evidence_stays_within_the_quota,
);

const LOGIN: &str = "/api/v1/auth/login";

fn attempt(user: &str, password: &str) -> Request<Body> {
    Request::post(LOGIN)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": user, "password": password}).to_string(),
        ))
        .expect("req")
}

fn retry_after(r: &Resp) -> u64 {
    r.headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After")
}

// ---------------------------------------------------------------- 1. login throttling

async fn one_accounts_failures_do_not_lock_other_accounts_at_the_same_address(app: &TestApp) {
    let office = "203.0.113.50:1000";
    // Someone in the office mistypes `auditor` until held back…
    for _ in 0..cakap_services::auth::MAX_FAILURES {
        let r = app
            .send_from(attempt("auditor", "salah-sandi-1"), office)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app
        .send_from(attempt("auditor", common::PASSWORD), office)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // …and everyone else behind the same address still logs in.
    for user in ["admin", "kadinkes", "asn"] {
        let r = app.send_from(attempt(user, common::PASSWORD), office).await;
        assert_eq!(r.status, StatusCode::OK, "{user}: {}", r.body);
    }
}

async fn an_attacker_elsewhere_cannot_lock_the_real_user_out(app: &TestApp) {
    let attacker = "198.51.100.66:4444";
    for i in 0..30 {
        let r = app
            .send_from(attempt("admin", &format!("tebakan-{i}-xyz")), attacker)
            .await;
        assert!(
            r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::TOO_MANY_REQUESTS,
            "{}",
            r.status
        );
    }
    // The attacker is held back, with a clear message and Retry-After…
    let r = app
        .send_from(attempt("admin", common::PASSWORD), attacker)
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.error_code(), "throttled");
    assert!(r.error_message().contains("menit"), "{}", r.error_message());
    let retry = retry_after(&r);
    assert!(retry > 0 && retry <= 900, "{retry}");
    // …the real admin at the office is not.
    let r = app
        .send_from(attempt("admin", common::PASSWORD), "192.0.2.10:5000")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Nor are they after a few typos of their own.
    let r = app
        .send_from(attempt("admin", "typo-typo-1"), "192.0.2.10:5001")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .send_from(attempt("admin", common::PASSWORD), "192.0.2.10:5002")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn tries_refused_while_held_back_do_not_extend_the_wait(app: &TestApp) {
    let from = "203.0.113.77:1000";
    for _ in 0..cakap_services::auth::MAX_FAILURES {
        app.send_from(attempt("kadinkes", "salah-sandi-2"), from)
            .await;
    }
    let recorded = "SELECT COUNT(*) FROM login_failures WHERE account = 'kadinkes'";
    assert_eq!(
        app.scalar(recorded).await,
        cakap_services::auth::MAX_FAILURES
    );
    let first = app
        .send_from(attempt("kadinkes", "salah-sandi-3"), from)
        .await;
    assert_eq!(first.status, StatusCode::TOO_MANY_REQUESTS);
    let first_wait = retry_after(&first);
    // Hammering while held back, wrong and right passwords alike…
    for i in 0..20 {
        let password = if i % 2 == 0 {
            "salah-sandi-4"
        } else {
            common::PASSWORD
        };
        let r = app.send_from(attempt("kadinkes", password), from).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(retry_after(&r) <= first_wait, "the wait never grows");
    }
    // …records nothing more…
    assert_eq!(
        app.scalar(recorded).await,
        cakap_services::auth::MAX_FAILURES
    );
    // …so once the first failures are past the window, the right password works.
    app.sql("UPDATE login_failures SET at = at - 15 * 60 * 1000 - 1000")
        .await
        .expect("age failures");
    let r = app
        .send_from(attempt("kadinkes", common::PASSWORD), from)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

// ---------------------------------------------------------------- 2. bearer tokens

async fn make_token(app: &TestApp, s: &Session, body: Value) -> Resp {
    app.api(Method::POST, "/api/v1/auth/tokens", Some(s), Some(body))
        .await
}

fn days_from_now(rfc3339: &str) -> i64 {
    let at = chrono::DateTime::parse_from_rfc3339(rfc3339).expect("RFC 3339");
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours() / 24
}

async fn tokens_expire_are_listed_without_secrets_and_can_be_revoked(app: &TestApp) {
    let admin = app.login("admin").await;
    let r = make_token(app, &admin, json!({"name": "siasn-sync"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made = r.json();
    let token = made["token"].as_str().expect("token").to_string();
    let id = made["id"].as_i64().expect("id");
    let days = days_from_now(made["expires_at"].as_str().expect("expires_at"));
    assert!((89..=90).contains(&days), "90 days by default: {days}");
    let r = make_token(
        app,
        &admin,
        json!({"name": "laporan", "expires_in_days": 7}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let short = r.json();
    let short_token = short["token"].as_str().expect("token").to_string();
    assert!((6..=7).contains(&days_from_now(short["expires_at"].as_str().expect("exp"))));

    // The token works, and its use is noted.
    let bearer = Session::bearer(&token);
    assert_eq!(
        app.get("/api/v1/units", Some(&bearer)).await.status,
        StatusCode::OK
    );
    // A token cannot make a longer-lived token of itself, nor revoke its owner's others.
    let before = app.scalar("SELECT COUNT(*) FROM api_tokens").await;
    let r = make_token(
        app,
        &bearer,
        json!({"name": "renewed", "expires_in_days": 365}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM api_tokens").await, before);
    let short_id = short["id"].as_i64().expect("id");
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/auth/tokens/{short_id}"),
            Some(&bearer),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The owner's list: names and dates, never a secret or a hash.
    let list = app.get("/api/v1/auth/tokens", Some(&admin)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(!list.body.contains(&token) && !list.body.contains(&short_token));
    assert!(!list.body.contains("token_hash"), "{}", list.body);
    let items = list.json()["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 2);
    assert_eq!(list.json()["total"], 2);
    let row = items.iter().find(|i| i["id"] == id).expect("listed");
    assert_eq!(row["name"], "siasn-sync");
    assert!(row["created_at"].is_string() && row["expires_at"].is_string());
    assert!(row["last_used_at"].is_string(), "{row}");
    assert_eq!(row["expired"], false);
    // Someone else sees only their own (none) and cannot revoke the admin's.
    let kadinkes = app.login("kadinkes").await;
    let theirs = app.get("/api/v1/auth/tokens", Some(&kadinkes)).await;
    assert_eq!(theirs.json()["total"], 0, "{}", theirs.body);
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/auth/tokens/{id}"),
            Some(&kadinkes),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/units", Some(&bearer)).await.status,
        StatusCode::OK
    );

    // Revoked: refused at once, and the revocation is in the audit log.
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/auth/tokens/{id}"),
            Some(&admin),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = app.get("/api/v1/units", Some(&bearer)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.error_code(), "unauthenticated");
    for action in ["create", "revoke"] {
        assert_eq!(
            app.scalar(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'api_token' AND action = '{action}' \
                 AND entity_id = '{id}' AND actor = 'admin'"
            ))
            .await,
            1,
            "{action} audited"
        );
    }
    // Again: nothing left to revoke.
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/auth/tokens/{id}"),
            Some(&admin),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Expired: refused, and shown as expired in the list.
    let short_bearer = Session::bearer(&short_token);
    assert_eq!(
        app.get("/api/v1/units", Some(&short_bearer)).await.status,
        StatusCode::OK
    );
    app.sql(&format!(
        "UPDATE api_tokens SET expires_at = created_at - 1 WHERE id = {}",
        short["id"]
    ))
    .await
    .expect("expire");
    assert_eq!(
        app.get("/api/v1/units", Some(&short_bearer)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let list = app.get("/api/v1/auth/tokens", Some(&admin)).await.json();
    assert_eq!(list["items"][0]["expired"], true, "{list}");
    // The OpenAPI document lists the new routes.
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    assert!(doc["paths"]["/auth/tokens"]["get"].is_object());
    assert!(doc["paths"]["/auth/tokens/{id}"]["delete"].is_object());
}

async fn token_lifetimes_outside_the_limits_are_refused_and_nothing_is_made(app: &TestApp) {
    let admin = app.login("admin").await;
    for days in [0, -1, 366, 100_000] {
        let r = make_token(app, &admin, json!({"name": "x", "expires_in_days": days})).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{days}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["field"], "expires_in_days");
        assert!(
            r.error_message().contains("365 hari"),
            "{}",
            r.error_message()
        );
    }
    let r = app
        .send(
            Request::post("/api/v1/auth/tokens")
                .header(header::COOKIE, format!("cakap_session={}", admin.cookie))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::from(
                    json!({"name": "x", "expires_in_days": 400}).to_string(),
                ))
                .expect("req"),
        )
        .await;
    assert!(
        r.error_message().contains("365 days"),
        "{}",
        r.error_message()
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM api_tokens").await, 0);
}

// ---------------------------------------------------------------- 3. self-approval

async fn an_unlinked_pimpinan_approves_nothing_and_cannot_be_created(app: &TestApp) {
    use cakap_services::{Actor, ServiceError, auth};
    // The asn hands in their IDP to the head of the puskesmas.
    let asn = app.login("asn").await;
    let nip = app
        .scalar_text(
            "SELECT e.nip FROM users u JOIN employees e ON e.id = u.employee_id \
             WHERE u.username = 'asn'",
        )
        .await;
    let year = cakap_services::performance::current_year();
    let base = format!("/api/v1/employees/{nip}/plan");
    let r = app
        .api(
            Method::POST,
            &format!("{base}/generate?year={year}"),
            Some(&asn),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            &format!("{base}/submit?year={year}"),
            Some(&asn),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Without the account↔employee link nobody can tell whether it is the head's own plan:
    // the head decides nothing until the link is back.
    let linked = app
        .scalar("SELECT employee_id FROM users WHERE username = 'kapus.babahrot'")
        .await;
    app.sql("UPDATE users SET employee_id = NULL WHERE username = 'kapus.babahrot'")
        .await
        .expect("unlink");
    let kapus = app.login("kapus.babahrot").await;
    let approve = format!("{base}/approve?year={year}");
    let r = app
        .api(
            Method::POST,
            &approve,
            Some(&kapus),
            Some(json!({"approve": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let status = format!(
        "SELECT i.status FROM idps i JOIN employees e ON e.id = i.employee_id WHERE e.nip = '{nip}'"
    );
    assert_eq!(app.scalar_text(&status).await, "submitted");
    app.sql(&format!(
        "UPDATE users SET employee_id = {linked} WHERE username = 'kapus.babahrot'"
    ))
    .await
    .expect("link");
    let kapus = app.login("kapus.babahrot").await;
    let r = app
        .api(
            Method::POST,
            &approve,
            Some(&kapus),
            Some(json!({"approve": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app.scalar_text(&status).await, "approved");

    // A pimpinan account cannot be made without its employee (the NIP).
    let system = Actor::system(app.tenant);
    let err = auth::add_user(
        &app.db,
        &system,
        "kabid.baru",
        cakap_domain::Role::Pimpinan,
        Some("PKM.06"),
        None,
        "Blangpidie-2026-x",
    )
    .await
    .expect_err("pimpinan without NIP");
    assert_eq!(
        cakap_web::error::status_of(&err).0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let ServiceError::Invalid { field, key, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!((*field, *key), ("nip", "user.pimpinan_needs_nip"));
    let id_msg = cakap_web::i18n::t(cakap_web::i18n::Lang::Id, key);
    let en_msg = cakap_web::i18n::t(cakap_web::i18n::Lang::En, key);
    assert!(
        id_msg.contains("NIP") && id_msg.contains("pegawai"),
        "{id_msg}"
    );
    assert!(en_msg.contains("employee"), "{en_msg}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM users WHERE username = 'kabid.baru'")
            .await,
        0
    );
    // With the NIP of someone in the unit it is made.
    let head_nip = app
        .scalar_text(
            "SELECT e.nip FROM employees e JOIN units u ON u.id = e.unit_id \
             WHERE u.code = 'PKM.06' AND e.id NOT IN (SELECT employee_id FROM users \
             WHERE employee_id IS NOT NULL) ORDER BY e.id LIMIT 1",
        )
        .await;
    auth::add_user(
        &app.db,
        &system,
        "kabid.baru",
        cakap_domain::Role::Pimpinan,
        Some("PKM.06"),
        Some(&head_nip),
        "Blangpidie-2026-x",
    )
    .await
    .expect("pimpinan with NIP");
}

// ---------------------------------------------------------------- 4. paging

async fn huge_page_numbers_answer_an_empty_page_not_an_error(app: &TestApp) {
    let admin = app.login("admin").await;
    let huge = i64::MAX;
    for path in [
        format!("/api/v1/employees?page={huge}"),
        format!("/api/v1/employees?page={huge}&per_page={huge}"),
        format!("/api/v1/employees?page=-{huge}"),
        format!("/api/v1/positions?page={huge}"),
        format!("/api/v1/audit?page={huge}&per_page=200"),
        format!("/api/v1/courses?page={huge}"),
    ] {
        let r = app.get(&path, Some(&admin)).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {} {}",
            r.status,
            r.body
        );
        if r.status == StatusCode::OK && !path.contains("=-") {
            let v = r.json();
            assert_eq!(v["items"].as_array().map(Vec::len), Some(0), "{path}: {v}");
        }
    }
    // One past i64 is a malformed query, not a crash.
    let r = app
        .get("/api/v1/employees?page=9223372036854775808", Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    for path in ["/employees", "/positions", "/audit", "/learn/courses"] {
        let r = app.get(&format!("{path}?page={huge}"), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.status);
    }
}

// ---------------------------------------------------------------- 5. request ids

async fn hostile_request_ids_never_reach_the_audit_log(app: &TestApp) {
    let admin = app.login("admin").await;
    let long = "A".repeat(10 * 1024);
    let hostile: [&[u8]; 5] = [
        b"<script>alert(1)</script>",
        long.as_bytes(),
        b"line%0Abreak\tand tab",
        b"ok-part\xc3\xa9",
        b"x' OR 1=1 --",
    ];
    for (i, id) in hostile.iter().enumerate() {
        let req = Request::patch("/api/v1/units/PKM.06")
            .header(header::COOKIE, format!("cakap_session={}", admin.cookie))
            .header(header::CONTENT_TYPE, "application/json")
            .header(
                "x-request-id",
                axum::http::HeaderValue::from_bytes(id).expect("header"),
            )
            .body(Body::from(
                json!({"name": format!("UPTD Puskesmas Babahrot {i}")}).to_string(),
            ))
            .expect("req");
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let echoed = r.headers.get("x-request-id").expect("request id");
        assert_ne!(echoed.as_bytes(), *id);
    }
    let ids = app
        .scalar_text(
            "SELECT COALESCE(MAX(LENGTH(request_id)), 0) || ' ' || COUNT(*) FROM audit_log \
             WHERE entity = 'unit' AND entity_id = 'PKM.06' AND action = 'update'",
        )
        .await;
    let (longest, count) = ids.split_once(' ').expect("two numbers");
    assert_eq!(count, "5", "five updates audited");
    assert!(longest.parse::<usize>().expect("n") <= 64, "{ids}");
    let bad = app
        .scalar(
            "SELECT COUNT(*) FROM audit_log WHERE request_id LIKE '%<%' OR request_id LIKE '% %' \
             OR request_id LIKE '%''%' OR request_id LIKE '%AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%'",
        )
        .await;
    assert_eq!(bad, 0);
    // A short safe id is kept, so a caller can follow its request through the log.
    let req = Request::patch("/api/v1/units/PKM.06")
        .header(header::COOKIE, format!("cakap_session={}", admin.cookie))
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-request-id", "sync-2026.11_07")
        .body(Body::from(
            json!({"name": "UPTD Puskesmas Babahrot"}).to_string(),
        ))
        .expect("req");
    assert_eq!(app.send(req).await.status, StatusCode::OK);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE request_id = 'sync-2026.11_07'")
            .await,
        1
    );
}

// ---------------------------------------------------------------- 6. public URL

async fn certificate_links_use_the_public_url_not_the_host_header(app: &TestApp) {
    let code = app
        .scalar_text("SELECT code FROM certificates ORDER BY code LIMIT 1")
        .await;
    let admin = app.login("admin").await;
    let pdf_of = |router: axum::Router, path: String| {
        let cookie = admin.cookie.clone();
        async move {
            let mut req = Request::get(path)
                .header(header::HOST, "evil.example")
                .header(header::COOKIE, format!("cakap_session={cookie}"))
                .body(Body::empty())
                .expect("req");
            req.extensions_mut()
                .insert(ConnectInfo::<std::net::SocketAddr>(
                    "127.0.0.1:40000".parse().expect("addr"),
                ));
            let res = router.oneshot(req).await.expect("infallible");
            assert_eq!(res.status(), StatusCode::OK);
            let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
                .await
                .expect("body");
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    let configured = cakap_web::router(
        app.db.clone(),
        cakap_web::Config {
            public_url: "https://cakap.abdyakab.go.id/".into(),
            ..cakap_web::Config::default()
        },
    );
    for path in [
        format!("/api/v1/certificates/{code}/pdf"),
        format!("/learn/certificates/{code}.pdf"),
    ] {
        let pdf = pdf_of(configured.clone(), path.clone()).await;
        assert!(pdf.starts_with("%PDF-"), "{path}");
        assert!(!pdf.contains("evil.example"), "{path}: Host header used");
        assert!(
            pdf.contains(&format!("https://cakap.abdyakab.go.id/verify/{code}")),
            "{path}: public URL printed"
        );
        // Without a setting: still never the Host header.
        let pdf = pdf_of(app.router.clone(), path.clone()).await;
        assert!(!pdf.contains("evil.example"), "{path}: Host header used");
        assert!(pdf.contains(&format!("/verify/{code}")));
    }
    assert_eq!(
        cakap_web::parse_public_url("https://cakap.example.go.id/").as_deref(),
        Ok("https://cakap.example.go.id")
    );
    for bad in [
        "cakap.example",
        "javascript:alert(1)",
        "https://",
        "https://a b",
        "https://x/?q=1",
    ] {
        assert!(cakap_web::parse_public_url(bad).is_err(), "{bad}");
    }
    assert_eq!(
        cakap_web::local_url("0.0.0.0:8080".parse().expect("addr")),
        "http://127.0.0.1:8080"
    );
}

// ---------------------------------------------------------------- 7. logout clears the device

fn clears_site_data(r: &Resp) -> bool {
    r.headers
        .get("clear-site-data")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("\"cache\"") && v.contains("\"storage\""))
}

fn clears_cache_only(r: &Resp) -> bool {
    r.headers
        .get("clear-site-data")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("\"cache\"") && !v.contains("\"storage\""))
}

async fn logout_and_ended_sessions_clear_what_the_browser_kept(app: &TestApp) {
    // API logout, like the page's, tells the browser to drop caches and storage.
    let s = app.login("asn").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/auth/logout",
            Some(&s),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(clears_site_data(&r), "{:?}", r.headers);
    assert!(
        r.set_cookie_line("cakap_session")
            .is_some_and(|l| l.contains("Max-Age=0"))
    );
    // A request that still carries the ended session drops the cached pages, but keeps the
    // progress queued offline (storage) for when the learner logs in again.
    let r = app.get("/learn", Some(&s)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(clears_cache_only(&r), "{:?}", r.headers);
    // So does one whose session expired.
    let s = app.login("asn").await;
    let page = app.get("/learn", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!clears_site_data(&page));
    app.sql("UPDATE sessions SET last_seen = last_seen - 3 * 60 * 60 * 1000")
        .await
        .expect("age");
    let r = app.get("/api/v1/units", Some(&s)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(clears_cache_only(&r), "{:?}", r.headers);
    // A login that replaces an ended session keeps its new cookie.
    let req = Request::post(LOGIN)
        .header(header::COOKIE, format!("cakap_session={}", s.cookie))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": "asn", "password": common::PASSWORD}).to_string(),
        ))
        .expect("req");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK);
    let fresh = r.cookie("cakap_session").expect("new session");
    assert_eq!(fresh.len(), 64, "the new cookie, not a cleared one");

    // /learn/ pages say whose they are, so the service worker keeps copies per person.
    let asn = app.login("asn").await;
    let kapus = app.login("kapus.babahrot").await;
    let tag = |r: &Resp| {
        r.headers
            .get("x-cakap-learner")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let mine = tag(&app.get("/learn/courses", Some(&asn)).await).expect("tagged");
    let theirs = tag(&app.get("/learn/courses", Some(&kapus)).await).expect("tagged");
    assert_eq!(mine.len(), 16);
    assert_ne!(mine, theirs);
    assert_eq!(
        tag(&app.get("/learn/courses", Some(&asn)).await),
        Some(mine)
    );
    assert!(tag(&app.get("/employees", Some(&kapus)).await).is_none());
    let sw = app.get("/sw.js", None).await;
    assert!(sw.body.contains("X-Cakap-Learner") && sw.body.contains("opaqueredirect"));
}

// ---------------------------------------------------------------- evidence quota

async fn self_assessment_evidence_stays_within_the_quota(app: &TestApp) {
    let asn = app.login("asn").await;
    let nip = app
        .scalar_text(
            "SELECT e.nip FROM users u JOIN employees e ON e.id = u.employee_id \
             WHERE u.username = 'asn'",
        )
        .await;
    let pdf = b"%PDF-1.4 bukti".to_vec();
    let mut ids = Vec::new();
    for day in ["2026-01-05", "2026-01-06"] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/assessments",
                Some(&asn),
                Some(
                    json!({"nip": nip, "competency": "M.01", "level": 3, "method": "self",
                            "assessed_on": day}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["id"].as_i64().expect("id"));
    }
    let put = |id: i64| {
        let (asn, pdf) = (asn.clone(), pdf.clone());
        async move {
            app.raw(
                Method::PUT,
                &format!("/api/v1/assessments/{id}/evidence?filename=bukti.pdf"),
                &asn,
                pdf,
                &[("content-type", "application/octet-stream")],
            )
            .await
        }
    };
    let r = put(ids[0]).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    // As if the person had already stored 200 MiB of evidence.
    app.sql("UPDATE assessment_evidence SET size = 209715200")
        .await
        .expect("size");
    let r = put(ids[1]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.error_message().contains("200"), "{}", r.body);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM assessment_evidence WHERE assessment_id = {}",
            ids[1]
        ))
        .await,
        0,
        "nothing stored"
    );
}
