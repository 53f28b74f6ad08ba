//! Learning from other platforms through the real router and a real database: the xAPI LRS
//! (a completion credits JP, competency and certificate; every actor form; refusals;
//! isolation between regencies; 1,000 statements paged), the integration page where BKPSDM
//! maps what waits, the SIASN training-history export and the Moodle completions import.
//! The full ADL conformance suite runs from `e2e/xapi-conformance.sh`.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine as _;
use common::{Resp, TestApp};
use serde_json::{Value, json};

both_backends!(
    a_completion_from_outside_credits_jp_competency_and_certificate,
    the_lrs_refuses_bad_requests_and_keeps_regencies_apart,
    a_thousand_statements_round_trip_in_pages,
    moodle_completions_import_and_siasn_export,
    the_course_carries_its_outside_ids,
    the_integration_page_is_bkpsdms_and_retries_what_failed,
);

/// The home page naming ASN accounts in tests (the default public URL).
const HOME: &str = "http://localhost";

struct Client {
    auth: String,
}

async fn client_of(app: &TestApp, tenant: i64, name: &str) -> Client {
    let made =
        cakap_services::xapi::clients::add(&app.db, &cakap_services::Actor::system(tenant), name)
            .await
            .expect("client");
    let auth =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", made.key, made.secret));
    Client {
        auth: format!("Basic {auth}"),
    }
}

async fn xapi(app: &TestApp, c: &Client, method: Method, path: &str, body: Option<Value>) -> Resp {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("x-experience-api-version", "2.0.0")
        .header(header::AUTHORIZATION, &c.auth);
    let body = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    app.send(b.body(body).expect("request")).await
}

fn completed(actor: Value, activity: &str) -> Value {
    json!({
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"id": activity, "definition": {"name": {"id-ID": "Kursus luar"}}},
        "result": {"completion": true}
    })
}

/// NIP and e-mail of an active person with an e-mail address and no account.
async fn learner(app: &TestApp, skip: i64) -> (String, String) {
    let q = format!(
        "SELECT nip || ' ' || email FROM employees e WHERE tenant_id = {} AND active AND email IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = e.tenant_id AND u.employee_id = e.id) \
         ORDER BY id DESC LIMIT 1 OFFSET {skip}",
        app.tenant
    );
    let row = app.scalar_text(&q).await;
    let (nip, email) = row.split_once(' ').expect("nip and email");
    (nip.to_string(), email.to_string())
}

async fn completions_of(app: &TestApp, nip: &str, course: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM enrollments n JOIN employees e ON e.tenant_id = n.tenant_id AND e.id = n.employee_id \
         JOIN offerings o ON o.tenant_id = n.tenant_id AND o.id = n.offering_id \
         JOIN courses k ON k.tenant_id = o.tenant_id AND k.id = o.course_id \
         JOIN certificates x ON x.tenant_id = n.tenant_id AND x.enrollment_id = n.id \
         WHERE e.nip = '{nip}' AND k.code = '{course}' AND n.status = 'completed' AND n.jp = k.jp"
    ))
    .await
}

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

async fn moodle_completions_import_and_siasn_export(app: &TestApp) {
    let admin = app.login("admin").await;
    let (nip, _) = learner(app, 2).await;
    let (nip2, _) = learner(app, 3).await;
    let csv = |rows: &str| format!("Username,ID number,Course short name,Time completed\n{rows}");
    let bad = csv(&format!(
        "nip.{nip},,KLS-ARSIP,2026-03-04\n{nip2},,NO-SUCH,2026-03-04\nbudi,,KLS-ARSIP,kemarin\n"
    ));
    let before = app
        .scalar("SELECT COUNT(*) FROM enrollments WHERE status = 'completed'")
        .await;
    let r = upload(app, &admin, "completions", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("NO-SUCH"), "{}", r.body);
    let good = csv(&format!(
        "nip.{nip},,KLS-ARSIP,\"Wednesday, 4 March 2026, 10:15 AM\"\nx,{nip2},KLS-ARSIP,04/03/2026\n"
    ));
    let r = upload(app, &admin, "completions", true, good.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM enrollments WHERE status = 'completed'")
            .await,
        before,
        "a dry run writes nothing"
    );
    let r = upload(app, &admin, "completions", false, good.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 2);
    assert_eq!(completions_of(app, &nip, "KLS-ARSIP").await, 1);
    let r = upload(app, &admin, "completions", false, good.as_bytes()).await;
    assert_eq!(r.json()["created"], 0, "already completed: nothing twice");

    // SIASN: the year's history, formula-looking text made inert, scoped for a head.
    app.sql(&format!(
        "INSERT INTO activities (tenant_id, employee_id, jalur, title, organizer, started_on, ended_on, jp, status, created_at) \
         SELECT tenant_id, id, 'seminar', '=cmd|'' /C calc''!A0', 'BPSDM Aceh', '2026-05-02', '2026-05-02', 4, 'approved', 0 \
         FROM employees WHERE nip = '{nip}'"
    ))
    .await
    .expect("activity");
    let r = app
        .get(
            "/api/v1/exports/training-history?format=csv&year=2026",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let first = r.body.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "nip_baru,nama,jenis_diklat,jalur,nama_kursus,institusi_penyelenggara,lokasi,tanggal_kursus,tanggal_selesai_kursus,tahun_kursus,jumlah_jam,nomor_sertipikat"
    );
    assert!(r.body.contains(&format!("{nip},")));
    assert!(r.body.contains("'=cmd"), "formula made text");
    assert!(!r.body.contains(",=cmd"));
    let r = app
        .get(
            "/api/v1/exports/training-history?format=xlsx&year=2026",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let head = app.login("kapus.babahrot").await;
    let r = app
        .get(
            "/api/v1/exports/training-history?format=csv&year=2026",
            Some(&head),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let unit_of = |n: &str| {
        format!(
            "SELECT u.path FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id WHERE e.nip = '{n}'"
        )
    };
    let their_path = app.scalar_text(&unit_of(&nip)).await;
    let head_path = app
        .scalar_text("SELECT u.path FROM users x JOIN units u ON u.tenant_id = x.tenant_id AND u.id = x.unit_id WHERE x.username = 'kapus.babahrot'")
        .await;
    assert_eq!(
        r.body.contains(&format!("{nip},")),
        their_path.starts_with(&head_path),
        "a head sees their subtree only"
    );
    for (bad, status) in [
        ("?year=1999", StatusCode::UNPROCESSABLE_ENTITY),
        ("?format=pdf", StatusCode::BAD_REQUEST),
        ("?year=abc", StatusCode::BAD_REQUEST),
    ] {
        let r = app
            .get(
                &format!("/api/v1/exports/training-history{bad}"),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, status, "{bad}");
    }
    let asn = app.login("asn").await;
    let r = app
        .get("/api/v1/exports/training-history", Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn upload(
    app: &TestApp,
    s: &common::Session,
    kind: &str,
    dry_run: bool,
    bytes: &[u8],
) -> Resp {
    const B: &str = "cakapXapiTestBoundary";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{B}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"moodle.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{B}--\r\n").as_bytes());
    app.send(
        Request::post(format!("/api/v1/imports/{kind}?dry_run={dry_run}"))
            .header(header::COOKIE, format!("cakap_session={}", s.cookie))
            .header("x-csrf-token", s.csrf.clone())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={B}"),
            )
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

async fn the_course_carries_its_outside_ids(app: &TestApp) {
    let c = client_of(app, app.tenant, "LMS Kementerian").await;
    let (nip, _) = learner(app, 4).await;
    let activity = "https://elearning.kemendagri.go.id/course/adminduk";
    let r = xapi(
        app,
        &c,
        Method::POST,
        "/xapi/statements",
        Some(completed(
            json!({"account": {"homePage": HOME, "name": nip}}),
            activity,
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(completions_of(app, &nip, "KLS-ADMINDUK").await, 0);
    let admin = app.login("admin").await;
    let mut course = app
        .api(
            Method::GET,
            "/api/v1/courses/KLS-ADMINDUK",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(course["xapi_activity_id"], Value::Null);
    // An author who is not BKPSDM cannot map it.
    let instructor = app.login("instruktur").await;
    course["xapi_activity_id"] = json!(activity);
    course["moodle_shortname"] = json!("ADMINDUK-2026");
    let r = app
        .api(
            Method::PUT,
            "/api/v1/courses/KLS-ADMINDUK",
            Some(&instructor),
            Some(course.clone()),
        )
        .await;
    assert!(
        matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status
    );
    course["xapi_activity_id"] = json!("not an iri");
    let r = app
        .api(
            Method::PUT,
            "/api/v1/courses/KLS-ADMINDUK",
            Some(&admin),
            Some(course.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // BKPSDM maps it on the course: what waited is credited, the short name imports.
    course["xapi_activity_id"] = json!(activity);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/courses/KLS-ADMINDUK",
            Some(&admin),
            Some(course.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["moodle_shortname"], "ADMINDUK-2026");
    assert_eq!(completions_of(app, &nip, "KLS-ADMINDUK").await, 1);
    // Another course cannot take the same activity.
    let mut other = app
        .api(Method::GET, "/api/v1/courses/KLS-ARSIP", Some(&admin), None)
        .await
        .json();
    other["xapi_activity_id"] = json!(activity);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/courses/KLS-ARSIP",
            Some(&admin),
            Some(other),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Left out of an update, the ids stay.
    let mut plain = course.clone();
    plain.as_object_mut().map(|o| o.remove("xapi_activity_id"));
    let r = app
        .api(
            Method::PUT,
            "/api/v1/courses/KLS-ADMINDUK",
            Some(&admin),
            Some(plain),
        )
        .await;
    assert_eq!(r.json()["xapi_activity_id"], activity);
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
