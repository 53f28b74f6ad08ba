//! The JSON API through the real router, on SQLite and PostgreSQL.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Session, TestApp};
use serde_json::json;

both_backends!(
    login_sets_a_safe_cookie_and_refuses_bad_passwords_alike,
    login_is_throttled_per_account_even_with_the_right_password,
    login_is_throttled_per_address_across_accounts,
    session_ends_at_logout,
    bearer_tokens_work_and_cookie_posts_must_be_json,
    employee_nip_is_checked_part_by_part_and_nothing_is_written,
    employee_gender_and_birth_date_come_from_the_nip,
    duplicates_are_409_and_unknown_references_422,
    malformed_wrong_typed_oversized_and_mistyped_bodies,
    hostile_strings_are_stored_as_text,
    stale_edits_are_refused,
    unit_tree_moves_and_guards,
    every_change_is_audited_and_the_log_cannot_change,
    errors_speak_the_callers_language,
    openapi_lists_every_route,
    headers_and_health,
    employee_list_pages_and_searches,
    a_new_login_ends_the_session_it_replaces,
    concurrent_crossing_moves_cannot_make_a_cycle,
    edits_are_visible_at_once_and_positions_with_holders_stay_put,
);

async fn a_new_login_ends_the_session_it_replaces(app: &TestApp) {
    let first = app.login("admin").await;
    let req = Request::post("/api/v1/auth/login")
        .header(header::COOKIE, format!("cakap_session={}", first.cookie))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"username": "kadinkes", "password": common::PASSWORD}).to_string(),
        ))
        .expect("req");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/units", Some(&first)).await.status,
        StatusCode::UNAUTHORIZED,
        "old session ended"
    );
}

async fn edits_are_visible_at_once_and_positions_with_holders_stay_put(app: &TestApp) {
    let s = app.login("admin").await;
    let r = app
        .api(
            Method::PATCH,
            "/api/v1/units/PKM.06",
            Some(&s),
            Some(json!({"name": "UPTD Puskesmas Babahrot Baru"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/units/PKM.06", Some(&s)).await.json()["name"],
        "UPTD Puskesmas Babahrot Baru"
    );
    let held = app
        .get("/api/v1/employees?unit=PKM.06&per_page=1", Some(&s))
        .await
        .json()["items"][0]["position"]
        .as_i64()
        .expect("held");
    let r = app
        .api(
            Method::PATCH,
            &format!("/api/v1/positions/{held}"),
            Some(&s),
            Some(json!({"unit": "PKM.01"})),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::CONFLICT, "conflict".into())
    );
    // An asn cannot probe unit codes outside their own unit.
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/api/v1/employees?unit=BKPSDM", Some(&asn))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/employees?unit=PKM.06", Some(&asn))
            .await
            .json()["total"],
        1
    );
    // Pages are not cached: personal data does not come back after logout.
    let page = app.get("/employees", Some(&s)).await;
    assert_eq!(
        page.headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
}

async fn login_sets_a_safe_cookie_and_refuses_bad_passwords_alike(app: &TestApp) {
    let r = app
        .api(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": common::PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let line = r.set_cookie_line("cakap_session").expect("cookie");
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Lax"),
        "{line}"
    );
    assert_eq!(
        r.cookie("cakap_session").map(|c| c.len()),
        Some(64),
        "256-bit id"
    );
    let wrong = app
        .api(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": "wrong-password"})),
        )
        .await;
    let unknown = app
        .api(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "nobody", "password": "wrong-password"})),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.body, unknown.body,
        "same answer for unknown user and wrong password"
    );
}

async fn login_is_throttled_per_account_even_with_the_right_password(app: &TestApp) {
    for _ in 0..5 {
        let r = app
            .api(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": "auditor", "password": "bad-password-1"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "auditor", "password": common::PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.error_code(), "throttled");
    let retry: u64 = r
        .headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry > 0 && retry <= 900, "{retry}");
    assert!(r.error_message().contains("menit"), "{}", r.error_message());
    // Another account from another address is not affected.
    let other = app
        .send_from(
            Request::post("/api/v1/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"username": "admin", "password": common::PASSWORD}).to_string(),
                ))
                .expect("req"),
            "10.9.8.7:5000",
        )
        .await;
    assert_eq!(other.status, StatusCode::OK);
    // Once the window has passed, the right password works again.
    app.sql("UPDATE login_failures SET at = at - 1000000")
        .await
        .expect("age failures");
    let r = app
        .api(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "auditor", "password": common::PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

async fn login_is_throttled_per_address_across_accounts(app: &TestApp) {
    let attempt = |user: &str, password: &str| {
        Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"username": user, "password": password}).to_string(),
            ))
            .expect("req")
    };
    // Guessing many different accounts from one address (spraying)…
    for i in 0..cakap_services::auth::MAX_ACCOUNTS_PER_ADDRESS {
        let r = app
            .send_from(
                attempt(&format!("a{i}"), "guess-guess-1"),
                "203.0.113.9:1000",
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // …holds back a second round at the accounts it already tried…
    let r = app
        .send_from(attempt("a0", "guess-guess-2"), "203.0.113.9:1001")
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    // …but never an account with no failure of its own there: a colleague behind the same
    // office address still logs in with the right password.
    let r = app
        .send_from(attempt("kadinkes", common::PASSWORD), "203.0.113.9:1002")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A name of 10 KB is recorded cut to 64 characters.
    let long = "x".repeat(10_000);
    let r = app
        .send_from(attempt(&long, "guess-guess-1"), "198.51.100.7:1000")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let longest = app
        .scalar("SELECT CAST(COALESCE(MAX(length(account)), 0) AS BIGINT) FROM login_failures")
        .await;
    assert!(longest <= 64, "{longest}");
}

async fn session_ends_at_logout(app: &TestApp) {
    let s = app.login("admin").await;
    assert_eq!(
        app.get("/api/v1/units", Some(&s)).await.status,
        StatusCode::OK
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/auth/logout",
            Some(&s),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/units", Some(&s)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A second login gets a different id; the old one stays dead.
    let s2 = app.login("admin").await;
    assert_ne!(s.cookie, s2.cookie);
    assert_eq!(
        app.get("/api/v1/units", Some(&s)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Idle sessions expire.
    app.sql("UPDATE sessions SET last_seen = last_seen - 3 * 60 * 60 * 1000")
        .await
        .expect("age");
    assert_eq!(
        app.get("/api/v1/units", Some(&s2)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn bearer_tokens_work_and_cookie_posts_must_be_json(app: &TestApp) {
    let s = app.login("admin").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&s),
            Some(json!({"name": "siasn-sync"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let token = r.json()["token"].as_str().expect("token").to_string();
    let b = Session::bearer(&token);
    assert_eq!(
        app.get("/api/v1/employees?per_page=1", Some(&b))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/employees", Some(&Session::bearer("not-a-token")))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // With a cookie, a form-encoded POST (what a cross-site form can send) is refused.
    let req = Request::post("/api/v1/units")
        .header(header::COOKIE, format!("cakap_session={}", s.cookie))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("code=X&name=Y"))
        .expect("req");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM units WHERE code = 'X'")
            .await,
        0
    );
    // Only the token's hash is stored.
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{token}'"
        ))
        .await,
        0
    );
}

async fn employee_nip_is_checked_part_by_part_and_nothing_is_written(app: &TestApp) {
    let s = app.login("admin").await;
    let before = app.scalar("SELECT COUNT(*) FROM employees").await;
    let cases = [
        ("19741307200212100", "NIP harus 18 digit (terisi 17)."),
        ("1974130720021210AB", "NIP hanya boleh berisi angka."),
        (
            "197413072002121008",
            "NIP: tanggal lahir 19741307 tidak valid",
        ),
        ("197407072002131008", "NIP: bulan TMT 13 tidak valid"),
        (
            "197407071990011008",
            "NIP: TMT 199001 sebelum usia 18 tahun (lahir 1974)",
        ),
        (
            "197407072099011008",
            "NIP: TMT 209901 melewati tahun berjalan",
        ),
        (
            "197407072002123008",
            "NIP: digit jenis kelamin 3 harus 1 atau 2",
        ),
        ("197407072002121000", "NIP: nomor urut 000 tidak valid"),
    ];
    for (nip, message) in cases {
        let r = app
            .api(
                Method::POST,
                "/api/v1/employees",
                Some(&s),
                Some(json!({"nip": nip, "name": "Uji", "status": "PNS", "unit": "BKPSDM"})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{nip}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["field"], "nip");
        assert_eq!(r.error_message(), message, "{nip}");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM employees").await, before);
}

async fn employee_gender_and_birth_date_come_from_the_nip(app: &TestApp) {
    let s = app.login("admin").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/employees",
            Some(&s),
            Some(json!({"nip": "19880229 201503 2 001", "name": "Cut Nurul Husna, S.Kep., Ns.", "status": "PNS", "golongan": "3b", "unit": "PKM.06", "email": "nurul@acehbaratdayakab.go.id"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let e = r.json();
    assert_eq!(e["nip"], "198802292015032001");
    assert_eq!(e["gender"], "P");
    assert_eq!(e["birth_date"], "1988-02-29");
    assert_eq!(e["golongan"], "III/b");
    let r = app
        .api(
            Method::PATCH,
            "/api/v1/employees/198802292015032001",
            Some(&s),
            Some(json!({"gender": "L"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["field"], "gender");
    // PPPK NIP with a PNS golongan, or the wrong status, is refused.
    let r = app
        .api(Method::POST, "/api/v1/employees", Some(&s), Some(json!({"nip": "199001012021211001", "name": "A", "status": "PPPK", "golongan": "III/a", "unit": "PKM.06"})))
        .await;
    assert_eq!(
        (r.status, r.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("golongan"))
    );
    let r = app
        .api(Method::POST, "/api/v1/employees", Some(&s), Some(json!({"nip": "199001012021211001", "name": "A", "status": "PNS", "unit": "PKM.06"})))
        .await;
    assert_eq!(
        (r.status, r.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("status"))
    );
}

async fn duplicates_are_409_and_unknown_references_422(app: &TestApp) {
    let s = app.login("admin").await;
    let body = json!({"nip": "199001012021211001", "name": "A", "status": "PPPK", "golongan": "IX", "unit": "PKM.06"});
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/employees",
            Some(&s),
            Some(body.clone())
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let r = app
        .api(Method::POST, "/api/v1/employees", Some(&s), Some(body))
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::CONFLICT, "duplicate".into())
    );
    assert_eq!(r.error_message(), "NIP sudah terdaftar.");
    let r = app
        .api(
            Method::POST,
            "/api/v1/units",
            Some(&s),
            Some(json!({"code": "DINKES", "name": "Lagi"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    for (body, field) in [
        (
            json!({"nip": "199001012021211002", "name": "A", "status": "PPPK", "unit": "NOPE"}),
            "unit",
        ),
        (
            json!({"nip": "199001012021211002", "name": "A", "status": "PPPK", "unit": "PKM.06", "position": 999999}),
            "position",
        ),
    ] {
        let r = app
            .api(Method::POST, "/api/v1/employees", Some(&s), Some(body))
            .await;
        assert_eq!(
            (r.status, r.json()["error"]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field))
        );
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/units",
            Some(&s),
            Some(json!({"code": "NEW.1", "name": "Baru", "kecamatan": "11.12.99"})),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("kecamatan"))
    );
    // A position of another unit cannot be given to an employee of this one.
    let other_pos = app
        .get("/api/v1/positions?unit=BKPSDM.B1", Some(&s))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .expect("position");
    let r = app
        .api(Method::POST, "/api/v1/employees", Some(&s), Some(json!({"nip": "199001012021211002", "name": "A", "status": "PPPK", "unit": "PKM.06", "position": other_pos})))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn malformed_wrong_typed_oversized_and_mistyped_bodies(app: &TestApp) {
    let s = app.login("admin").await;
    let raw = |body: &str, ctype: &str| {
        Request::post("/api/v1/units")
            .header(header::COOKIE, format!("cakap_session={}", s.cookie))
            .header(header::CONTENT_TYPE, ctype)
            .body(Body::from(body.to_string()))
            .expect("req")
    };
    assert_eq!(
        app.send(raw("{\"code\": ", "application/json"))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let r = app
        .send(raw("{\"code\": 5, \"name\": \"x\"}", "application/json"))
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid".into())
    );
    let r = app.send(raw("{\"code\": \"A\"}", "application/json")).await;
    assert_eq!(
        (r.status, r.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("name"))
    );
    let huge = format!(
        "{{\"code\": \"A\", \"name\": \"{}\"}}",
        "x".repeat(cakap_web::JSON_LIMIT + 10)
    );
    let r = app.send(raw(&huge, "application/json")).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".into())
    );
    let bearer = app
        .api(
            Method::POST,
            "/api/v1/auth/tokens",
            Some(&s),
            Some(json!({"name": "t"})),
        )
        .await
        .json()["token"]
        .as_str()
        .expect("t")
        .to_string();
    let r = app
        .send(
            Request::post("/api/v1/units")
                .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{}"))
                .expect("req"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM units WHERE code = 'A'")
            .await,
        0
    );
    // Query strings of the wrong type are a 400 in the same shape.
    let r = app.get("/api/v1/employees?page=abc", Some(&s)).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::BAD_REQUEST, "malformed".into())
    );
}

async fn hostile_strings_are_stored_as_text(app: &TestApp) {
    let s = app.login("admin").await;
    let name = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let r = app
        .api(Method::POST, "/api/v1/employees", Some(&s), Some(json!({"nip": "199001012021211001", "name": name, "status": "PPPK", "unit": "PKM.06"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        app.get("/api/v1/employees/199001012021211001", Some(&s))
            .await
            .json()["name"],
        name
    );
    let page = app.get("/employees/199001012021211001", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("<script>alert(1)"),
        "unescaped script in page"
    );
    assert!(
        page.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "escaped form shown"
    );
    for q in ["' OR 1=1 --", "%", "_", "\\", "=cmd|' /C calc'!A0"] {
        let r = app
            .get(&format!("/api/v1/employees?q={}", urlencode(q)), Some(&s))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert_eq!(r.json()["total"], 0, "{q} matched something");
    }
    let r = app
        .get(
            &format!("/api/v1/employees?unit={}", urlencode("' OR 1=1 --")),
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(
            Method::PATCH,
            "/api/v1/employees/199001012021211001",
            Some(&s),
            Some(json!({"phone": "=cmd|' /C calc'!A0"})),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("phone"))
    );
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).expect("enc")[1..].to_string()
}

async fn stale_edits_are_refused(app: &TestApp) {
    let s = app.login("admin").await;
    let e = app
        .get("/api/v1/employees?unit=PKM.06&per_page=1", Some(&s))
        .await
        .json()["items"][0]
        .clone();
    let nip = e["nip"].as_str().expect("nip");
    let v = e["version"].as_i64().expect("version");
    let path = format!("/api/v1/employees/{nip}");
    let r = app
        .api(
            Method::PATCH,
            &path,
            Some(&s),
            Some(json!({"phone": "081260001234", "version": v})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], v + 1);
    let r = app
        .api(
            Method::PATCH,
            &path,
            Some(&s),
            Some(json!({"phone": "081260009999", "version": v})),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::CONFLICT, "conflict".into())
    );
    assert_eq!(
        app.get(&path, Some(&s)).await.json()["phone"],
        "081260001234"
    );
}

async fn unit_tree_moves_and_guards(app: &TestApp) {
    let s = app.login("admin").await;
    let create = |code: &str, parent: Option<&str>| json!({"code": code, "name": format!("Unit {code}"), "parent": parent, "kecamatan": "11.12.04"});
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/units",
            Some(&s),
            Some(create("T.A", None))
        )
        .await
        .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/units",
            Some(&s),
            Some(create("T.B", Some("T.A")))
        )
        .await
        .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/units",
            Some(&s),
            Some(create("T.C", Some("T.B")))
        )
        .await
        .status,
        StatusCode::CREATED
    );
    // A unit cannot move under its own descendant.
    let r = app
        .api(
            Method::PATCH,
            "/api/v1/units/T.A",
            Some(&s),
            Some(json!({"parent": "T.C"})),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("parent"))
    );
    // Moving T.B under DINKES moves T.C with it: the pimpinan of DINKES now sees both.
    let r = app
        .api(
            Method::PATCH,
            "/api/v1/units/T.B",
            Some(&s),
            Some(json!({"parent": "DINKES"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let kadinkes = app.login("kadinkes").await;
    assert_eq!(
        app.get("/api/v1/units/T.C", Some(&kadinkes)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/units/T.A", Some(&kadinkes)).await.status,
        StatusCode::NOT_FOUND
    );
    // Units in use are not deleted; empty ones are.
    let r = app
        .api(
            Method::DELETE,
            "/api/v1/units/T.B",
            Some(&s),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        app.api(
            Method::DELETE,
            "/api/v1/units/T.C",
            Some(&s),
            Some(json!({}))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.api(
            Method::DELETE,
            "/api/v1/units/T.B",
            Some(&s),
            Some(json!({}))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/units/T.B", Some(&s)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .api(
            Method::DELETE,
            "/api/v1/units/DINKES",
            Some(&s),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::CONFLICT, "conflict".into())
    );
}

async fn every_change_is_audited_and_the_log_cannot_change(app: &TestApp) {
    let s = app.login("admin").await;
    let e = app
        .get("/api/v1/employees?unit=PKM.06&per_page=1", Some(&s))
        .await
        .json()["items"][0]
        .clone();
    let nip = e["nip"].as_str().expect("nip").to_string();
    let before = app.scalar("SELECT COUNT(*) FROM audit_log").await;
    let r = app
        .api(
            Method::PATCH,
            &format!("/api/v1/employees/{nip}"),
            Some(&s),
            Some(json!({"phone": "081277778888"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log").await,
        before + 1,
        "one entry per change"
    );
    let log = app
        .get("/api/v1/audit?entity=employee&actor=admin", Some(&s))
        .await
        .json();
    let entry = &log["items"][0];
    assert_eq!(entry["action"], "update");
    assert_eq!(entry["entity_id"], nip);
    assert_eq!(entry["before"]["phone"], e["phone"]);
    assert_eq!(entry["after"]["phone"], "081277778888");
    assert!(entry["at"].as_str().is_some_and(|t| t.ends_with('Z')));
    // A refused change writes nothing.
    let r = app
        .api(
            Method::PATCH,
            &format!("/api/v1/employees/{nip}"),
            Some(&s),
            Some(json!({"email": "not-an-email"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log").await,
        before + 1
    );
    // No route alters the log, and the database itself refuses.
    for m in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
        let r = app
            .api(m.clone(), "/api/v1/audit", Some(&s), Some(json!({})))
            .await;
        assert!(
            r.status == StatusCode::METHOD_NOT_ALLOWED || r.status == StatusCode::NOT_FOUND,
            "{m}: {}",
            r.status
        );
    }
    assert!(
        app.sql("UPDATE audit_log SET actor = 'someone'")
            .await
            .is_err()
    );
    assert!(app.sql("DELETE FROM audit_log").await.is_err());
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log").await,
        before + 1
    );
}

async fn errors_speak_the_callers_language(app: &TestApp) {
    let s = app.login("admin").await;
    let req = |lang: &str| {
        Request::get("/api/v1/employees/000000000000000000")
            .header(header::COOKIE, format!("cakap_session={}", s.cookie))
            .header(header::ACCEPT_LANGUAGE, lang)
            .body(Body::empty())
            .expect("req")
    };
    assert_eq!(
        app.send(req("en-US,en;q=0.9")).await.error_message(),
        "Not found."
    );
    assert_eq!(
        app.send(req("id")).await.error_message(),
        "Data tidak ditemukan."
    );
    assert_eq!(
        app.send(req("fr")).await.error_message(),
        "Data tidak ditemukan."
    );
}

async fn openapi_lists_every_route(app: &TestApp) {
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    let paths = doc["paths"].as_object().expect("paths");
    for (path, methods) in [
        ("/auth/login", &["post"][..]),
        ("/auth/logout", &["post"]),
        ("/auth/tokens", &["get", "post"]),
        ("/auth/tokens/{id}", &["delete"]),
        ("/units", &["get", "post"]),
        ("/units/{code}", &["get", "patch", "delete"]),
        ("/positions", &["get", "post"]),
        ("/positions/{id}", &["get", "patch"]),
        ("/employees", &["get", "post"]),
        ("/employees/{nip}", &["get", "patch"]),
        ("/competencies", &["get", "post"]),
        ("/competencies/{code}", &["get", "patch"]),
        ("/audit", &["get"]),
        ("/positions/{id}/requirements", &["get", "put"]),
        ("/positions/{id}/requirements/copy", &["post"]),
        ("/assessments", &["post"]),
        ("/assessments/batch", &["post"]),
        ("/assessments/{id}/evidence", &["get", "put"]),
        ("/employees/{nip}/assessments", &["get"]),
        ("/employees/{nip}/gaps", &["get"]),
        ("/units/{code}/gaps", &["get"]),
        ("/exports/{kind}", &["get"]),
        ("/imports/{kind}", &["post"]),
        ("/imports/{kind}/template", &["get"]),
        ("/performance/periods", &["get", "post"]),
        ("/performance/periods/{code}", &["patch"]),
        ("/performance/settings", &["get", "put"]),
        ("/performance/plans", &["get", "post"]),
        ("/performance/plans/{id}", &["get"]),
        ("/performance/plans/{id}/results", &["put"]),
        ("/performance/plans/{id}/files", &["post"]),
        ("/performance/plans/{id}/files/{file}", &["get"]),
        ("/performance/plans/{id}/{step}", &["post"]),
        ("/performance/evaluations", &["post"]),
        ("/performance/distribution", &["get"]),
        ("/performance/unit-predikat", &["put"]),
        ("/employees/{nip}/weaknesses", &["get"]),
        ("/employees/{nip}/potential", &["put"]),
        ("/courses", &["get", "post"]),
        ("/courses/{code}", &["get", "put"]),
        ("/courses/{code}/modules", &["get", "post"]),
        ("/modules/{id}", &["get", "put"]),
        ("/modules/{id}/progress", &["post"]),
        ("/courses/{code}/files", &["post"]),
        ("/courses/{code}/questions", &["get", "post"]),
        ("/courses/{code}/questions/{id}", &["delete"]),
        ("/offerings", &["get", "post"]),
        ("/offerings/{id}", &["get"]),
        ("/offerings/{id}/participants", &["get"]),
        ("/offerings/{id}/status", &["put"]),
        ("/enrollments", &["get", "post"]),
        ("/enrollments/{id}/cancel", &["post"]),
        ("/enrollments/{id}/attendance", &["put"]),
        ("/quizzes/{id}/attempts", &["post"]),
        ("/attempts/{id}", &["get"]),
        ("/attempts/{id}/answers", &["post"]),
        ("/attempts/{id}/submit", &["post"]),
        ("/activities", &["get", "post"]),
        ("/activities/{id}/decision", &["post"]),
        ("/activities/{id}/evidence", &["get", "put"]),
        ("/employees/{nip}/jp", &["get"]),
        ("/jp/summary", &["get"]),
        ("/certificates/{code}", &["get"]),
        ("/certificates/{code}/pdf", &["get"]),
        ("/certificates/{code}/revoke", &["post"]),
        ("/talent/ninebox", &["get"]),
        ("/talent/succession/{position_id}", &["get"]),
        ("/talent/key-positions", &["get"]),
        ("/talent/key-positions/{position_id}", &["put"]),
        ("/employees/{nip}/plan", &["get", "put"]),
        ("/employees/{nip}/plan/generate", &["post"]),
        ("/employees/{nip}/plan/submit", &["post"]),
        ("/employees/{nip}/plan/approve", &["post"]),
        ("/training-plans/optimize", &["post"]),
        ("/training-plans", &["get"]),
        ("/training-plans/{id}", &["get"]),
        ("/training-plans/{id}/approve", &["post"]),
        ("/public/surveys/{unit}", &["post"]),
        ("/service-quality/ikm", &["get"]),
        ("/service-quality/population", &["put"]),
        ("/service-quality/units/{code}", &["get"]),
        ("/service-quality/units/{code}/public", &["put"]),
        ("/service-quality/units/{code}/report", &["get"]),
        ("/complaints", &["get", "post"]),
        ("/complaints/{id}", &["get", "patch"]),
        ("/regulations", &["get", "post"]),
        ("/regulations/{id}", &["get", "patch"]),
        ("/regulations/{id}/file", &["post"]),
        ("/regulations/{id}/campaigns", &["post"]),
        ("/jdih/feed", &["get"]),
        ("/campaigns/{id}", &["get"]),
        ("/campaigns/{id}/acknowledge", &["post"]),
        ("/notifications", &["get"]),
        ("/notifications/{id}/read", &["post"]),
        ("/notifications/email", &["put"]),
        ("/readiness/targets", &["get", "put"]),
        ("/readiness", &["get"]),
        ("/readiness/certifications", &["get"]),
        ("/employees/{nip}/availability", &["get", "put"]),
        ("/readiness/teams", &["post"]),
        ("/readiness/teams/{id}", &["get"]),
        ("/readiness/teams/{id}/callout", &["post"]),
        ("/readiness/teams/{id}/replacement/{nip}", &["get"]),
        ("/readiness/teams/{id}/replace", &["post"]),
        ("/callouts/{id}/respond", &["post"]),
        ("/readiness/drills", &["get", "post"]),
        ("/exports/training-history", &["get"]),
        ("/equity", &["get"]),
        ("/national", &["get"]),
        ("/dashboard", &["get"]),
        ("/reports/annual", &["get"]),
        ("/tpp/rules", &["get", "put"]),
        ("/tpp", &["get"]),
        ("/employees/{nip}/points", &["get"]),
        ("/employees/{nip}/badges", &["get"]),
        ("/points/rules", &["get", "put"]),
        ("/points/leaderboard", &["get"]),
        ("/points/optout", &["put"]),
        ("/recognition/satyalancana", &["get"]),
        ("/recognition/nominations", &["get"]),
        ("/recognition/rule", &["get", "put"]),
    ] {
        let item = paths.get(path).unwrap_or_else(|| panic!("{path} missing"));
        for m in methods {
            assert!(item.get(*m).is_some(), "{m} {path} missing");
        }
    }
    assert_eq!(
        paths.len(),
        121,
        "a route was added without being checked here"
    );
}

async fn headers_and_health(app: &TestApp) {
    let r = app.get("/login", None).await;
    let csp = r
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .expect("csp");
    assert!(
        csp.contains("script-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(
        r.headers
            .get(header::X_CONTENT_TYPE_OPTIONS)
            .map(|v| v.as_bytes()),
        Some(&b"nosniff"[..])
    );
    assert!(r.headers.get(header::REFERRER_POLICY).is_some());
    assert!(r.headers.get("x-request-id").is_some());
    assert_eq!(app.get("/healthz", None).await.body, "ok");
    let r = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(
        (r.status, r.error_code()),
        (StatusCode::NOT_FOUND, "not_found".into())
    );
}

async fn employee_list_pages_and_searches(app: &TestApp) {
    let s = app.login("admin").await;
    let all = app
        .get("/api/v1/employees?per_page=50", Some(&s))
        .await
        .json();
    assert_eq!(all["total"], common::DEMO_EMPLOYEES);
    assert_eq!(all["items"].as_array().map(Vec::len), Some(50));
    let names: Vec<&str> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "ordered by name");
    let page2 = app
        .get("/api/v1/employees?per_page=50&page=2", Some(&s))
        .await
        .json();
    assert_ne!(page2["items"][0]["nip"], all["items"][0]["nip"]);
    let nip = all["items"][3]["nip"].as_str().expect("nip");
    let spaced = format!("{} {} {}", &nip[..8], &nip[8..14], &nip[14..]);
    let found = app
        .get(
            &format!("/api/v1/employees?q={}", urlencode(&spaced)),
            Some(&s),
        )
        .await
        .json();
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["nip"], nip);
    let word = all["items"][3]["name"]
        .as_str()
        .expect("name")
        .split(' ')
        .next()
        .expect("word")
        .to_uppercase();
    let found = app
        .get(
            &format!("/api/v1/employees?q={}", urlencode(&word)),
            Some(&s),
        )
        .await
        .json();
    assert!(
        found["total"].as_i64().expect("total") >= 1,
        "case-insensitive name search"
    );
    let unit = app
        .get("/api/v1/employees?unit=DINKES&per_page=200", Some(&s))
        .await
        .json();
    assert!(unit["items"].as_array().expect("items").iter().all(|e| {
        let u = e["unit"].as_str().unwrap_or("");
        u.starts_with("DINKES") || u.starts_with("PKM.")
    }));
}

async fn concurrent_crossing_moves_cannot_make_a_cycle(app: &TestApp) {
    let s = app.login("admin").await;
    for code in ["X.A", "X.B"] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/units",
                Some(&s),
                Some(json!({"code": code, "name": code})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    for _ in 0..5 {
        let (a, b) = tokio::join!(
            app.api(
                Method::PATCH,
                "/api/v1/units/X.A",
                Some(&s),
                Some(json!({"parent": "X.B"}))
            ),
            app.api(
                Method::PATCH,
                "/api/v1/units/X.B",
                Some(&s),
                Some(json!({"parent": "X.A"}))
            ),
        );
        assert!(
            !(a.status == StatusCode::OK && b.status == StatusCode::OK),
            "both crossing moves succeeded"
        );
        // Whatever won, both units are still reachable from the root.
        for code in ["X.A", "X.B"] {
            assert_eq!(
                app.get(&format!("/api/v1/units/{code}"), Some(&s))
                    .await
                    .status,
                StatusCode::OK
            );
        }
        let cycle = app
            .scalar("SELECT COUNT(*) FROM units a JOIN units b ON b.id = a.parent_id WHERE a.code = 'X.A' AND b.parent_id = a.id")
            .await;
        assert_eq!(cycle, 0);
        for code in ["X.A", "X.B"] {
            app.api(
                Method::PATCH,
                &format!("/api/v1/units/{code}"),
                Some(&s),
                Some(json!({"parent": null})),
            )
            .await;
        }
    }
}
