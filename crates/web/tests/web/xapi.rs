//! Learning from other platforms through the real router and a real database: the xAPI LRS
//! (a completion credits JP, competency and certificate; every actor form; refusals;
//! isolation between regencies; 1,000 statements paged) and the integration page where
//! BKPSDM maps what waits. The SIASN export, the Moodle import and the course's outside ids
//! are in `interop.rs`; the full ADL conformance suite runs from `e2e/xapi-conformance.sh`.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use common::TestApp;
use common::xapi::{Client, HOME, client_of, completed, completions_of, learner, xapi};
use serde_json::{Value, json};

both_backends!(
    a_completion_from_outside_credits_jp_competency_and_certificate,
    the_lrs_refuses_bad_requests_and_keeps_regencies_apart,
    a_thousand_statements_round_trip_in_pages,
    the_integration_page_is_bkpsdms_and_retries_what_failed,
);

async fn a_completion_from_outside_credits_jp_competency_and_certificate(app: &TestApp) {
    let c = client_of(app, app.tenant, "Moodle BPSDM Aceh").await;
    let admin = app.login("admin").await;
    let (nip, _) = learner(app, 0).await;
    let (nip2, email2) = learner(app, 1).await;
    let activity = "https://moodle.acehprov.go.id/course/view.php?id=42";
    // Not mapped yet: stored, waiting, nothing credited.
    let by_account = completed(
        json!({"objectType": "Agent", "account": {"homePage": HOME, "name": nip}}),
        activity,
    );
    let r = xapi(app, &c, Method::POST, "/xapi/statements", Some(by_account)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json().as_array().map(Vec::len), Some(1));
    assert_eq!(completions_of(app, &nip, "KLS-ARSIP").await, 0);
    let page = app.get("/learn/integrasi", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(activity.split('?').next().unwrap_or_default())
    );
    assert!(page.body.contains("Menunggu BKPSDM"));
    // BKPSDM maps it (the page's form, with its CSRF token): the waiting completion is credited.
    let r = app
        .form(
            "/learn/integrasi/petakan",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("activity", activity),
                ("course", "KLS-ARSIP"),
            ],
        )
        .await;
    let alert = r.body.split("role=\"alert\">").nth(1).unwrap_or_default();
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}",
        &alert[..alert.len().min(300)]
    );
    assert_eq!(completions_of(app, &nip, "KLS-ARSIP").await, 1);
    let level = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM assessments a JOIN employees e ON e.tenant_id = a.tenant_id AND e.id = a.employee_id \
             WHERE e.nip = '{nip}' AND a.method = 'course' AND a.note LIKE 'KLS-ARSIP%'"
        ))
        .await;
    assert!(level <= 1, "at most the course's one competency raised");
    // Mapped now: a completion by e-mail is credited at once; sent again, once only.
    let mut by_mail = completed(
        json!({"mbox": format!("mailto:{}", email2.to_uppercase())}),
        activity,
    );
    by_mail["id"] = json!("5d9a1c1e-7f3b-4c2a-9d11-0a0b0c0d0e0f");
    for _ in 0..2 {
        let r = xapi(
            app,
            &c,
            Method::POST,
            "/xapi/statements",
            Some(by_mail.clone()),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(completions_of(app, &nip2, "KLS-ARSIP").await, 1);
    let by_client = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE actor = 'xapi:Moodle BPSDM Aceh' AND action = 'complete'")
        .await;
    assert_eq!(
        by_client, 1,
        "the client's completion is audited under its name"
    );
    // `passed` without success, and an unknown learner: nothing credited, the latter waits.
    let mut failed = completed(json!({"mbox": "mailto:someone@nowhere.example"}), activity);
    failed["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/passed");
    let r = xapi(app, &c, Method::POST, "/xapi/statements", Some(failed)).await;
    assert_eq!(r.status, StatusCode::OK);
    let waiting = app
        .scalar("SELECT COUNT(*) FROM xapi_statements WHERE outcome = 'unknown_actor' AND statement LIKE '%someone@nowhere%'")
        .await;
    assert_eq!(waiting, 1);
    // The statement reads back with what the LRS added.
    let r = xapi(
        app,
        &c,
        Method::GET,
        "/xapi/statements?statementId=5d9a1c1e-7f3b-4c2a-9d11-0a0b0c0d0e0f",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let s = r.json();
    assert!(s["stored"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(s["version"], "2.0.0");
    assert_eq!(s["authority"]["name"], "Moodle BPSDM Aceh");
    assert_eq!(r.headers["x-experience-api-version"], "2.0.0");
    // A learner's own JP report counts it.
    let jp = app
        .get(&format!("/api/v1/employees/{nip2}/jp"), Some(&admin))
        .await;
    assert_eq!(jp.status, StatusCode::OK, "{}", jp.body);
    let v = jp.json();
    let credited = v["activities"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["title"] == "Pengelolaan Arsip Dinamis");
    assert!(
        credited.is_some_and(|a| a["status"] == "completed" && a["counts"] == true),
        "{}",
        jp.body
    );
}

async fn the_lrs_refuses_bad_requests_and_keeps_regencies_apart(app: &TestApp) {
    let c = client_of(app, app.tenant, "LMS A").await;
    let ok = completed(
        json!({"mbox": "mailto:a@example.org", "name": "<script>alert(1)</script>"}),
        "https://lms.example.org/x",
    );
    // No version header; bad credentials; a revoked client.
    let r = app
        .send(
            Request::get("/xapi/statements")
                .header(header::AUTHORIZATION, &c.auth)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.headers["x-experience-api-version"], "2.0.0");
    let wrong = Client {
        auth: format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("nobody:' OR 1=1 --")
        ),
    };
    let r = xapi(app, &wrong, Method::GET, "/xapi/statements", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
    let gone = client_of(app, app.tenant, "Old LMS").await;
    cakap_services::xapi::clients::revoke(
        &app.db,
        &cakap_services::Actor::system(app.tenant),
        "Old LMS",
    )
    .await
    .expect("revoke");
    let r = xapi(app, &gone, Method::GET, "/xapi/statements", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A batch with one bad statement stores nothing.
    let before = app.scalar("SELECT COUNT(*) FROM xapi_statements").await;
    let mut bad = ok.clone();
    bad["actor"] = json!({"mbox": "not-an-address"});
    let r = xapi(
        app,
        &c,
        Method::POST,
        "/xapi/statements",
        Some(json!([ok, bad])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("mailto"), "says why: {}", r.body);
    for hostile in [
        json!({"actor": ok["actor"], "verb": {"id": "' OR 1=1 --"}, "object": ok["object"]}),
        json!({"actor": ok["actor"], "verb": ok["verb"], "object": ok["object"], "unknown": 1}),
        json!("=cmd|' /C calc'!A0"),
    ] {
        let r = xapi(app, &c, Method::POST, "/xapi/statements", Some(hostile)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    }
    let mut deep = json!(1);
    for _ in 0..40 {
        deep = json!({"https://example.org/e": deep});
    }
    let mut nested = ok.clone();
    nested["result"] = json!({"extensions": deep});
    let r = xapi(app, &c, Method::POST, "/xapi/statements", Some(nested)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let many: Vec<Value> = (0..1001).map(|_| ok.clone()).collect();
    let r = xapi(
        app,
        &c,
        Method::POST,
        "/xapi/statements",
        Some(Value::Array(many)),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a batch is capped");
    let huge = vec![b'['; 17 * 1024 * 1024];
    let r = app
        .send(
            Request::post("/xapi/statements")
                .header("x-experience-api-version", "2.0.0")
                .header(header::AUTHORIZATION, &c.auth)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(huge))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM xapi_statements").await,
        before
    );
    // Script text is stored inert: JSON back, escaped on the page.
    let r = xapi(app, &c, Method::POST, "/xapi/statements", Some(ok.clone())).await;
    assert_eq!(r.status, StatusCode::OK);
    let id = r.json()[0].as_str().unwrap_or_default().to_string();
    let r = xapi(
        app,
        &c,
        Method::GET,
        &format!("/xapi/statements?statementId={id}"),
        None,
    )
    .await;
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/json")
    );
    assert_eq!(r.json()["actor"]["name"], "<script>alert(1)</script>");
    // Another regency's client sees none of it.
    let other = common::other_tenant(app).await;
    let other_tenant = app
        .scalar("SELECT id FROM tenants WHERE code = '11.06'")
        .await;
    let _ = other;
    let theirs = client_of(app, other_tenant, "LMS B").await;
    let r = xapi(
        app,
        &theirs,
        Method::GET,
        &format!("/xapi/statements?statementId={id}"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = xapi(app, &theirs, Method::GET, "/xapi/statements", None).await;
    assert_eq!(r.json()["statements"].as_array().map(Vec::len), Some(0));
    // Their state documents are theirs too.
    let state = "/xapi/activities/state?activityId=https%3A%2F%2Flms.example.org%2Fx&agent=%7B%22mbox%22%3A%22mailto%3Aa%40example.org%22%7D&stateId=s1";
    let r = xapi(app, &c, Method::PUT, state, Some(json!({"page": 3}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = xapi(app, &theirs, Method::GET, state, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = xapi(app, &c, Method::PUT, state, Some(json!({"page": 4}))).await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "an overwrite without If-Match"
    );
    // Unknown and miscased parameters, the alternate syntax: refused.
    for q in [
        "?Limit=1",
        "?foo=bar",
        "?method=PUT",
        "?agent=not-json",
        "?since=yesterday",
    ] {
        let r = xapi(app, &c, Method::GET, &format!("/xapi/statements{q}"), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        assert!(
            r.headers
                .contains_key("x-experience-api-consistent-through")
        );
    }
}

async fn a_thousand_statements_round_trip_in_pages(app: &TestApp) {
    let c = client_of(app, app.tenant, "Load").await;
    let mut sent = std::collections::HashSet::new();
    for batch in 0..4 {
        let list: Vec<Value> = (0..250)
            .map(|i| {
                let mut s = completed(
                    json!({"mbox": format!("mailto:learner{}@example.org", batch * 250 + i)}),
                    "https://lms.example.org/load",
                );
                s["verb"]["id"] = json!("http://adlnet.gov/expapi/verbs/experienced");
                s
            })
            .collect();
        let r = xapi(
            app,
            &c,
            Method::POST,
            "/xapi/statements",
            Some(Value::Array(list)),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        for id in r.json().as_array().expect("ids") {
            sent.insert(id.as_str().unwrap_or_default().to_string());
        }
    }
    assert_eq!(sent.len(), 1000);
    let mut got = Vec::new();
    let mut next = "/xapi/statements?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fexperienced&limit=100&ascending=true".to_string();
    let mut pages = 0;
    while !next.is_empty() {
        let r = xapi(app, &c, Method::GET, &next, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        for s in v["statements"].as_array().expect("statements") {
            got.push(s["id"].as_str().unwrap_or_default().to_string());
        }
        next = v["more"].as_str().unwrap_or_default().to_string();
        pages += 1;
        assert!(pages <= 11, "paging ends");
    }
    assert_eq!(got.len(), 1000);
    assert_eq!(
        got.iter().collect::<std::collections::HashSet<_>>().len(),
        1000
    );
    assert!(got.iter().all(|id| sent.contains(id)));
}

async fn the_integration_page_is_bkpsdms_and_retries_what_failed(app: &TestApp) {
    let c = client_of(app, app.tenant, "LMS Provinsi").await;
    let (nip, email) = learner(app, 5).await;
    let admin = app.login("admin").await;
    let r = app
        .form(
            "/learn/integrasi/petakan",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("activity", "https://lms.acehprov.go.id/course/pbj"),
                ("course", "KLS-PBJ"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = xapi(
        app,
        &c,
        Method::POST,
        "/xapi/statements",
        Some(completed(
            json!({"mbox": format!("mailto:{email}")}),
            "https://lms.acehprov.go.id/course/pbj",
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(completions_of(app, &nip, "KLS-PBJ").await, 1);
    // A completion left failed (a lock, a crash) is shown and runs again on "retry".
    let (nip2, email2) = learner(app, 6).await;
    let r = xapi(
        app,
        &c,
        Method::POST,
        "/xapi/statements",
        Some(completed(
            json!({"mbox": format!("mailto:{email2}")}),
            "https://lms.acehprov.go.id/course/pbj",
        )),
    )
    .await;
    let id = r.json()[0].as_str().unwrap_or_default().to_string();
    app.sql(&format!(
        "DELETE FROM certificates WHERE enrollment_id IN (SELECT n.id FROM enrollments n JOIN employees e \
         ON e.tenant_id = n.tenant_id AND e.id = n.employee_id WHERE e.nip = '{nip2}')"
    ))
    .await
    .expect("undo certificate");
    app.sql(&format!(
        "DELETE FROM enrollments WHERE employee_id IN (SELECT id FROM employees WHERE nip = '{nip2}') \
         AND offering_id IN (SELECT id FROM offerings WHERE code = 'KLS-PBJ-LUAR')"
    ))
    .await
    .expect("undo completion");
    app.sql(&format!(
        "UPDATE xapi_statements SET outcome = 'failed' WHERE id = '{id}'"
    ))
    .await
    .expect("failed");
    let page = app.get("/learn/integrasi", Some(&admin)).await;
    assert!(page.body.contains("gagal dikreditkan"));
    let r = app
        .form("/learn/integrasi/ulang", &admin, &[("_csrf", &admin.csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(completions_of(app, &nip2, "KLS-PBJ").await, 1);
    // Forms need the session's token; the inspectorate reads, never writes; an ASN sees nothing.
    let r = app
        .form("/learn/integrasi/klien", &admin, &[("name", "Tanpa token")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let auditor = app.login("auditor").await;
    let page = app.get("/learn/integrasi", Some(&auditor)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("/learn/integrasi/klien"),
        "no client form for the auditor"
    );
    for (path, fields) in [
        ("/learn/integrasi/klien", vec![("name", "x")]),
        ("/learn/integrasi/ulang", vec![]),
        (
            "/learn/integrasi/petakan",
            vec![("activity", "https://x.example/a"), ("course", "KLS-PBJ")],
        ),
    ] {
        let mut f = vec![("_csrf", auditor.csrf.as_str())];
        f.extend(fields);
        let r = app.form(path, &auditor, &f).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/learn/integrasi", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
    // A client made on the page shows its secret once; the audit log has it and its revocation.
    let r = app
        .form(
            "/learn/integrasi/klien",
            &admin,
            &[("_csrf", &admin.csrf), ("name", "<b>Moodle</b>")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Moodle&#60;/b&#62;") || r.body.contains("Moodle&lt;/b&gt;"));
    assert!(!r.body.contains("<b>Moodle</b>"));
    let r = app
        .form(
            "/learn/integrasi/cabut",
            &admin,
            &[("_csrf", &admin.csrf), ("name", "<b>Moodle</b>")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'xapi_client' AND entity_id = '<b>Moodle</b>'")
        .await;
    assert_eq!(audited, 2);
}
