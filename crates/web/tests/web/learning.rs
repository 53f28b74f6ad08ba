//! Training and e-learning through the real router, on SQLite and PostgreSQL: an ASN's way
//! from the catalogue to a verified certificate, the quiz rules, enrolment scope and the
//! waitlist, authoring with hostile input, activities and the 20-JP report, the pages.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Resp, Session, TestApp};
use serde_json::{Value, json};

both_backends!(
    an_asn_learns_passes_and_gets_a_verifiable_certificate,
    quiz_rules_time_attempts_and_ownership,
    enrolment_scope_waitlist_and_attendance,
    authoring_sanitises_and_refuses_bad_input,
    activities_jp_and_the_20_jp_report,
    learning_pages_work_for_each_role,
    an_instruktur_cannot_credit_themself,
    course_edits_never_rewrite_past_credit,
    quiz_keys_show_only_after_a_pass_or_the_last_attempt,
    activity_jp_is_bound_to_its_dates,
    a_pimpinan_cannot_enrol_themself_where_self_enrolment_is_off,
    uploads_stay_within_a_quota_per_person,
);

async fn post(app: &TestApp, s: &Session, path: &str, body: Value) -> Resp {
    app.api(Method::POST, path, Some(s), Some(body)).await
}

async fn nip_of(app: &TestApp, username: &str) -> String {
    app.scalar_text(&format!(
        "SELECT e.nip FROM users u JOIN employees e ON e.id = u.employee_id \
         WHERE u.username = '{username}'"
    ))
    .await
}

async fn course_id(app: &TestApp, s: &Session, code: &str) -> i64 {
    let r = app.get(&format!("/api/v1/courses/{code}"), Some(s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["id"].as_i64().expect("id")
}

/// The right answer for each demo question of the earthquake course, by prompt.
fn right_answer(prompt: &str) -> Value {
    if prompt.starts_with("Setelah gempa") {
        json!(1)
    } else if prompt.starts_with("Mana saja") {
        json!([3, 0, 1])
    } else if prompt.starts_with("Mobil") {
        json!(false)
    } else if prompt.starts_with("Berapa kali") {
        json!("2")
    } else {
        json!("  HOLD on ")
    }
}

async fn gap_of(app: &TestApp, s: &Session, nip: &str, competency: &str) -> i64 {
    let g = app
        .get(&format!("/api/v1/employees/{nip}/gaps"), Some(s))
        .await;
    assert_eq!(g.status, StatusCode::OK, "{}", g.body);
    g.json()["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .find(|x| x["competency"] == competency)
        .map_or(-1, |x| x["gap"].as_i64().unwrap_or(-1))
}

async fn an_asn_learns_passes_and_gets_a_verifiable_certificate(app: &TestApp) {
    let asn = app.login("asn").await;
    let nip = nip_of(app, "asn").await;
    // Search folds case and accents and skips stop words.
    let r = app
        .get("/api/v1/courses?q=G%C3%89MPA%20dan%20tsunami", Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let found: Vec<&str> = r.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .map(|s| Box::leak(s.to_string().into_boxed_str()) as &str)
        .collect();
    assert_eq!(found, ["ELN-GEMPA"]);
    // Module text is searched too.
    let r = app.get("/api/v1/courses?q=subduksi", Some(&asn)).await;
    assert_eq!(r.json()["total"], 1, "{}", r.body);

    // The demo ASN has 12 JP this year and a gap on T.BNC.04 (the position asks 2).
    let jp = app
        .get(&format!("/api/v1/employees/{nip}/jp"), Some(&asn))
        .await
        .json();
    assert_eq!(jp["jp"], 12, "{jp}");
    assert_eq!(jp["target"], 20);
    assert_eq!(jp["met"], false);

    assert_eq!(
        gap_of(app, &asn, &nip, "T.BNC.04").await,
        1,
        "a recent test found level 1"
    );
    // Before enrolling: titles only.
    let modules = app
        .get("/api/v1/courses/ELN-GEMPA/modules", Some(&asn))
        .await
        .json();
    assert_eq!(modules[0]["html"], "");
    let offering = app
        .scalar_text(
            "SELECT o.code FROM offerings o JOIN courses c ON c.id = o.course_id \
            WHERE c.code = 'ELN-GEMPA' AND o.status = 'open'",
        )
        .await;
    let r = post(
        app,
        &asn,
        "/api/v1/enrollments",
        json!({"offering": offering}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let modules = app
        .get("/api/v1/courses/ELN-GEMPA/modules", Some(&asn))
        .await
        .json();
    let modules = modules.as_array().expect("modules").clone();
    assert_eq!(modules.len(), 3);
    assert!(!modules[0]["done"].as_bool().unwrap_or(true));
    for m in &modules {
        let id = m["id"].as_i64().expect("id");
        assert!(
            m["html"].as_str().unwrap_or("").contains('<'),
            "enrolled learners read the text"
        );
        let r = post(
            app,
            &asn,
            &format!("/api/v1/modules/{id}/progress"),
            json!({}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        // Sent again when the link returns: counts once.
        let again = post(
            app,
            &asn,
            &format!("/api/v1/modules/{id}/progress"),
            json!({}),
        )
        .await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(
            again.json()["completed"],
            false,
            "the quiz is still to pass"
        );
    }

    let cid = course_id(app, &asn, "ELN-GEMPA").await;
    let r = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // The page never holds the answers.
    for leak in [
        "answer_key",
        "\"correct\":",
        "accept",
        "tolerance",
        "Hold on",
    ] {
        assert!(!r.body.contains(leak), "{leak} leaked: {}", r.body);
    }
    let attempt = r.json();
    let aid = attempt["id"].as_i64().expect("attempt");
    assert!(attempt["seconds_left"].as_i64().unwrap_or(0) > 1000);
    // Starting again returns the open attempt, not a new one.
    let same = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await;
    assert_eq!(same.json()["id"], aid);

    let mut answers = serde_json::Map::new();
    for q in attempt["questions"].as_array().expect("questions") {
        let prompt = q["prompt"].as_str().unwrap_or("");
        answers.insert(q["id"].to_string(), right_answer(prompt));
    }
    let path = format!("/api/v1/attempts/{aid}/submit");
    let r = post(app, &asn, &path, json!({"answers": answers})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let graded = r.json();
    assert_eq!(graded["score"], 100, "{graded}");
    assert_eq!(graded["passed"], true);
    assert_eq!(graded["completed"], true);
    let code = graded["certificate"]
        .as_str()
        .expect("certificate")
        .to_string();
    // A double submit counts once and answers the same.
    let again = post(app, &asn, &path, json!({"answers": {}})).await;
    assert_eq!(again.json(), graded);
    let submits = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'submit' AND entity = 'attempt' AND entity_id = '{aid}'"
        ))
        .await;
    assert_eq!(submits, 1);

    // JP credited, the course result recorded, the gap closed.
    let jp = app
        .get(&format!("/api/v1/employees/{nip}/jp"), Some(&asn))
        .await
        .json();
    assert_eq!(jp["jp"], 20, "{jp}");
    assert_eq!(jp["met"], true);
    let course_results = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM assessments a JOIN employees e ON e.id = a.employee_id \
             WHERE e.nip = '{nip}' AND a.method = 'course'"
        ))
        .await;
    assert!(course_results >= 1);
    assert_eq!(gap_of(app, &asn, &nip, "T.BNC.04").await, 0);

    // The public check: no login, NIP masked.
    let v = app.get(&format!("/api/v1/certificates/{code}"), None).await;
    assert_eq!(v.status, StatusCode::OK);
    let v = v.json();
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["jp"], 8);
    assert_ne!(v["nip"], nip.as_str());
    assert!(v["nip"].as_str().unwrap_or("").contains("**********"));
    let page = app.get(&format!("/verify/{code}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains(&nip),
        "the page shows the masked NIP only"
    );
    // One character altered: not valid.
    let last = code.chars().last().unwrap_or('0');
    let altered = format!(
        "{}{}",
        &code[..code.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    let v = app
        .get(&format!("/api/v1/certificates/{altered}"), None)
        .await
        .json();
    assert_eq!(v["valid"], false);
    let page = app.get(&format!("/verify/{altered}"), None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("tidak valid"), "{}", page.body);
    for junk in ["%27%20OR%201%3D1", "%3Cscript%3E", "x"] {
        let v = app.get(&format!("/api/v1/certificates/{junk}"), None).await;
        assert_eq!(v.status, StatusCode::OK);
        assert_eq!(v.json()["valid"], false);
    }
    // The PDF: for the holder and their head, with the code and a QR code.
    let pdf = app
        .get(&format!("/api/v1/certificates/{code}/pdf"), Some(&asn))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF-"));
    assert!(pdf.body.contains(&code));
    let kapus = app.login("kapus.babahrot").await;
    let r = app
        .get(&format!("/learn/certificates/{code}.pdf"), Some(&kapus))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let instruktur = app.login("instruktur").await;
    let r = app
        .get(
            &format!("/api/v1/certificates/{code}/pdf"),
            Some(&instruktur),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not theirs");
    // An invented or edited record fails the signature.
    app.sql(&format!(
        "UPDATE certificates SET payload = REPLACE(payload, '\"jp\":8', '\"jp\":80') WHERE code = '{code}'"
    ))
    .await
    .expect("tamper");
    let v = app
        .get(&format!("/api/v1/certificates/{code}"), None)
        .await
        .json();
    assert_eq!(v["valid"], false);
    assert_eq!(v["reason"], "signature");
}

async fn quiz_rules_time_attempts_and_ownership(app: &TestApp) {
    let asn = app.login("asn").await;
    let cid = course_id(app, &asn, "BLD-PPGD").await;
    // Not enrolled yet.
    let r = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.error_message().contains("Daftar"), "{}", r.body);
    let offering = app
        .scalar_text(&format!(
            "SELECT code FROM offerings WHERE course_id = {cid} AND status = 'open' ORDER BY id DESC LIMIT 1"
        ))
        .await;
    let r = post(
        app,
        &asn,
        "/api/v1/enrollments",
        json!({"offering": offering}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()[0]["status"], "enrolled");

    // Attempt 1: all wrong.
    let a1 = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await
    .json();
    let id1 = a1["id"].as_i64().expect("id");
    let q1 = a1["questions"][0]["id"].as_i64().expect("q");
    for bad in [
        json!({"question": 999_999, "answer": 1}),
        json!({"question": q1, "answer": "x".repeat(5000)}),
    ] {
        let r = post(app, &asn, &format!("/api/v1/attempts/{id1}/answers"), bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    let r = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{id1}/answers"),
        json!({"question": q1, "answer": "tanya"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{id1}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(r.json()["passed"], false, "{}", r.body);
    assert_eq!(r.json()["attempts_left"], 2);
    // Answering after submission is refused.
    let r = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{id1}/answers"),
        json!({"question": q1, "answer": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Someone else's attempt does not exist for them.
    let kapus = app.login("kapus.babahrot").await;
    assert_eq!(
        app.get(&format!("/api/v1/attempts/{id1}"), Some(&kapus))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = post(
        app,
        &kapus,
        &format!("/api/v1/attempts/{id1}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Attempt 2: the server's clock runs out.
    let a2 = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await
    .json();
    let id2 = a2["id"].as_i64().expect("id");
    assert_eq!(a2["number"], 2);
    app.sql(&format!(
        "UPDATE quiz_attempts SET deadline_at = 1000 WHERE id = {id2}"
    ))
    .await
    .expect("expire");
    let r = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{id2}/answers"),
        json!({"question": q1, "answer": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.error_message().contains("Waktu"), "{}", r.body);
    // A late submit grades what was saved in time (nothing) and ignores what it brings.
    let late: serde_json::Map<String, Value> = a2["questions"]
        .as_array()
        .expect("q")
        .iter()
        .map(|q| (q["id"].to_string(), json!(1)))
        .collect();
    let r = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{id2}/submit"),
        json!({"answers": late}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["score"], 0);

    // Attempt 3, then no more.
    let a3 = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await;
    assert_eq!(a3.status, StatusCode::CREATED);
    let a3 = a3.json();
    let id3 = a3["id"].as_i64().expect("id");
    // Right answers saved one by one, then the tab is closed and the time runs out: the
    // next start grades it (a pass), and there is nothing more to attempt.
    for q in a3["questions"].as_array().expect("questions") {
        let prompt = q["prompt"].as_str().unwrap_or("");
        let answer = if prompt.starts_with("Berapa kali") {
            json!(1)
        } else if prompt.starts_with("Hal pertama") {
            json!(0)
        } else {
            json!(119)
        };
        let r = post(
            app,
            &asn,
            &format!("/api/v1/attempts/{id3}/answers"),
            json!({"question": q["id"], "answer": answer}),
        )
        .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    }
    app.sql(&format!(
        "UPDATE quiz_attempts SET deadline_at = 1000 WHERE id = {id3}"
    ))
    .await
    .expect("expire");
    let r = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.error_message().contains("lulus"), "{}", r.body);
    let passed = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM quiz_attempts WHERE id = {id3} AND passed = TRUE"
        ))
        .await;
    assert_eq!(passed, 1, "the expired attempt was graded");
    let r = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "conflict");
    let attempts = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM quiz_attempts WHERE course_id = {cid}"
        ))
        .await;
    assert_eq!(attempts, 3);
    // Malformed bodies.
    let r = app
        .raw(
            Method::POST,
            &format!("/api/v1/attempts/{id3}/submit"),
            &asn,
            b"{oops".to_vec(),
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

async fn enrolment_scope_waitlist_and_attendance(app: &TestApp) {
    let admin = app.login("admin").await;
    let kapus = app.login("kapus.babahrot").await;
    let asn = app.login("asn").await;
    let instruktur = app.login("instruktur").await;
    // A one-seat classroom class.
    let r = post(
        app,
        &admin,
        "/api/v1/offerings",
        json!({
            "course": "WS-KOMUNIKASI", "code": "WS-TEST-1", "starts_on": "2026-01-10",
            "ends_on": "2026-01-11", "kecamatan": "Babahrot", "seats": 1, "self_enrol": false
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let offering = r.json();
    assert_eq!(offering["kecamatan"], "11.12.06");
    let oid = offering["id"].as_i64().expect("id");
    // Bad input: hostile code, reversed dates, unknown course, wrong types.
    for (body, status) in [
        (
            json!({"course": "WS-KOMUNIKASI", "code": "<script>", "starts_on": "2026-01-10", "ends_on": "2026-01-11"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"course": "WS-KOMUNIKASI", "code": "X-1", "starts_on": "2026-01-12", "ends_on": "2026-01-11"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"course": "' OR 1=1", "code": "X-2", "starts_on": "2026-01-10", "ends_on": "2026-01-11"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"course": "WS-KOMUNIKASI", "code": "X-3", "starts_on": "2026-01-10", "ends_on": "2026-01-11", "seats": "banyak"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"course": "WS-KOMUNIKASI", "code": "WS-TEST-1", "starts_on": "2026-01-10", "ends_on": "2026-01-11"}),
            StatusCode::CONFLICT,
        ),
    ] {
        let r = post(app, &admin, "/api/v1/offerings", body.clone()).await;
        assert_eq!(r.status, status, "{body} → {}", r.body);
    }
    let r = post(app, &kapus, "/api/v1/offerings", json!({"course": "WS-KOMUNIKASI", "code": "K-1", "starts_on": "2026-01-10", "ends_on": "2026-01-11"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Self-enrolment is closed here; an ASN cannot enrol others.
    let r = post(
        app,
        &asn,
        "/api/v1/enrollments",
        json!({"offering": "WS-TEST-1"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let asn_nip = nip_of(app, "asn").await;
    let r = post(
        app,
        &asn,
        "/api/v1/enrollments",
        json!({"offering": "WS-TEST-1", "nips": [asn_nip]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The head of the puskesmas enrols their staff, not someone outside their unit.
    let outside = app
        .scalar_text("SELECT e.nip FROM employees e JOIN units u ON u.id = e.unit_id WHERE u.code = 'BPKD' LIMIT 1")
        .await;
    let staff: Vec<String> = {
        let mut c = app.db.conn().await.expect("conn");
        cakap_store::fetch_all!(
            c,
            (String,),
            "SELECT e.nip FROM employees e JOIN units u ON u.id = e.unit_id \
            WHERE u.code = 'PKM.06' AND e.id NOT IN (SELECT en.employee_id FROM enrollments en \
            JOIN offerings o ON o.id = en.offering_id JOIN courses k ON k.id = o.course_id \
            WHERE k.code = 'WS-KOMUNIKASI') \
            AND e.id <> (SELECT employee_id FROM users WHERE username = 'kapus.babahrot') \
            ORDER BY e.id LIMIT 3"
        )
        .expect("staff")
        .into_iter()
        .map(|r| r.0)
        .collect()
    };
    let before = app.scalar("SELECT COUNT(*) FROM enrollments").await;
    let r = post(
        app,
        &kapus,
        "/api/v1/enrollments",
        json!({"offering": "WS-TEST-1", "nips": [staff[0], outside]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM enrollments").await,
        before,
        "all or nothing"
    );
    let r = post(
        app,
        &kapus,
        "/api/v1/enrollments",
        json!({"offering": "WS-TEST-1", "nips": [staff[0], staff[1]]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let list = r.json();
    assert_eq!(list[0]["status"], "enrolled");
    assert_eq!(list[1]["status"], "waitlisted");
    let first = list[0]["id"].as_i64().expect("id");
    let second = list[1]["id"].as_i64().expect("id");
    // The class list counts the seat taken and the one waiting.
    let classes = app
        .get(
            "/api/v1/offerings?course=WS-KOMUNIKASI&all=true",
            Some(&admin),
        )
        .await
        .json();
    let class = classes
        .as_array()
        .and_then(|a| a.iter().find(|o| o["code"] == "WS-TEST-1"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (&class["seats_left"], &class["waitlisted"]),
        (&json!(0), &json!(1)),
        "{class}"
    );

    // Attendance: not by a trainer who does not teach this class, nor by the ASN.
    let path = format!("/api/v1/enrollments/{first}/attendance");
    for s in [&instruktur, &asn, &kapus] {
        let r = app
            .api(Method::PUT, &path, Some(s), Some(json!({"attended": true})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    // The auditor reads, and changes nothing.
    let auditor = app.login("auditor").await;
    let r = post(
        app,
        &auditor,
        &format!("/api/v1/enrollments/{first}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The first cancels; the waitlisted one moves up, then attends and completes.
    let r = post(
        app,
        &kapus,
        &format!("/api/v1/enrollments/{first}/cancel"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let people = app
        .get(
            &format!("/api/v1/offerings/{oid}/participants"),
            Some(&admin),
        )
        .await
        .json();
    let moved = people
        .as_array()
        .expect("people")
        .iter()
        .find(|p| p["id"] == second)
        .cloned()
        .expect("second");
    assert_eq!(moved["status"], "enrolled");
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/enrollments/{second}/attendance"),
            Some(&admin),
            Some(json!({"attended": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let done = r.json();
    assert_eq!(done["status"], "completed");
    assert_eq!(done["jp"], 10);
    assert!(done["certificate"].is_string());
    // The class's roster (cached per change) shows the completion at once.
    let roster = app
        .get(
            &format!("/api/v1/offerings/{oid}/participants"),
            Some(&admin),
        )
        .await
        .json();
    let row = roster
        .as_array()
        .and_then(|a| a.iter().find(|p| p["id"] == second).cloned())
        .expect("second on the roster");
    assert_eq!(
        (&row["status"], &row["attended"]),
        (&json!("completed"), &json!(true))
    );

    // A closed class takes nobody; only BKPSDM closes it.
    let path = format!("/api/v1/offerings/{oid}/status");
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&kapus),
            Some(json!({"open": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&admin),
            Some(json!({"open": false})),
        )
        .await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    let r = post(
        app,
        &kapus,
        "/api/v1/enrollments",
        json!({"offering": "WS-TEST-1", "nips": [staff[2]]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&admin),
            Some(json!({"open": true})),
        )
        .await;
    assert_eq!(r.json()["status"], "open");
    // Another tenant's ids do not exist here.
    let other = common::other_tenant(app).await;
    let r = post(
        app,
        &admin,
        "/api/v1/enrollments",
        json!({"offering": "WS-TEST-1", "nips": [other.nip]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/api/v1/offerings/999999", Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .api(
            Method::PUT,
            "/api/v1/enrollments/999999/attendance",
            Some(&admin),
            Some(json!({"attended": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Every change is in the audit log.
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity IN ('offering', 'enrollment')")
        .await;
    assert!(audited >= 5, "{audited}");
}

async fn authoring_sanitises_and_refuses_bad_input(app: &TestApp) {
    let instruktur = app.login("instruktur").await;
    let asn = app.login("asn").await;
    let course = json!({
        "code": "ELN-TEST", "title": "<script>alert(1)</script> Arsip Digital", "description": "Uji",
        "jalur": "e_learning", "mode": "e_learning", "jp": 2, "cost": 0,
        "competencies": [{"competency": "T.ARS.01", "level": 3}], "prerequisites": ["ELN-INTEGRITAS"]
    });
    let r = post(app, &asn, "/api/v1/courses", course.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(app, &instruktur, "/api/v1/courses", course.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["prerequisites"][0], "ELN-INTEGRITAS");
    let r = post(app, &instruktur, "/api/v1/courses", course.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    for (patch, field) in [
        (json!({"jp": "dua"}), "jp"),
        (json!({"mode": "kilat"}), "mode"),
        (json!({"jalur": "jalan-jalan"}), "jalur"),
        (
            json!({"competencies": [{"competency": "' OR 1=1", "level": 3}]}),
            "competencies",
        ),
        (
            json!({"competencies": [{"competency": "T.ARS.01", "level": 9}]}),
            "competencies",
        ),
        (json!({"cost": -5}), "cost"),
        (json!({"prerequisites": ["ELN-TEST"]}), "prerequisites"),
    ] {
        let mut body = course.clone();
        for (k, v) in patch.as_object().expect("patch") {
            body[k] = v.clone();
        }
        let r = app
            .api(
                Method::PUT,
                "/api/v1/courses/ELN-TEST",
                Some(&instruktur),
                Some(body),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{patch} → {}",
            r.body
        );
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    // A prerequisite cycle would lock everyone out of both courses.
    let mut second = course.clone();
    second["code"] = json!("ELN-TEST2");
    second["prerequisites"] = json!(["ELN-TEST"]);
    let r = post(app, &instruktur, "/api/v1/courses", second).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let mut cycle = course.clone();
    cycle["prerequisites"] = json!(["ELN-TEST2"]);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/courses/ELN-TEST",
            Some(&instruktur),
            Some(cycle),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .api(Method::POST, "/api/v1/courses", Some(&instruktur), None)
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Hostile Markdown is sanitised.
    let md = "# Arsip\n<script>alert(1)</script>\n[klik](javascript:alert(1)) <img src=x onerror=alert(1)> \
        ![ok](/learn/files/1) [video](https://www.youtube.com/watch?v=x)";
    let r = post(
        app,
        &instruktur,
        "/api/v1/courses/ELN-TEST/modules",
        json!({"title": "Satu", "markdown": md, "minutes": 5}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let html = r.json()["html"].as_str().unwrap_or("").to_string();
    for bad in ["<script", "javascript:", "onerror", "src=\"x\""] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert!(
        html.contains("youtube.com") && html.contains("/learn/files/1"),
        "{html}"
    );
    let mid = r.json()["id"].as_i64().expect("id");
    // Not enrolled: titles only, no text.
    let list = app
        .get("/api/v1/courses/ELN-TEST/modules", Some(&asn))
        .await
        .json();
    assert_eq!(list[0]["html"], "");
    assert_eq!(
        app.get(&format!("/api/v1/modules/{mid}"), Some(&asn))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The course page escapes the title.
    let page = app.get("/learn/courses/ELN-TEST", Some(&asn)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)</script>"));
    assert!(
        page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"),
        "the title is shown, escaped"
    );
    // The page too lists the module as a title only, not a link to its text; its author gets
    // the link.
    let link = format!("href=\"/learn/modules/{mid}\"");
    assert!(
        !page.body.contains(&link),
        "a module link for the unenrolled"
    );
    let own = app.get("/learn/courses/ELN-TEST", Some(&instruktur)).await;
    assert!(own.body.contains(&link), "the author's link to the module");

    // Questions: keys checked; the bank is for authors only.
    for bad in [
        json!({"prompt": "?", "options": ["a"], "answer": {"kind": "single", "correct": 0}}),
        json!({"prompt": "?", "options": ["a", "b"], "answer": {"kind": "single", "correct": 5}}),
        json!({"prompt": "?", "answer": {"kind": "numeric", "value": 1, "tolerance": -1}}),
        json!({"prompt": "?", "answer": {"kind": "essay"}}),
        json!({"prompt": "", "answer": {"kind": "true_false", "value": true}}),
    ] {
        let r = post(
            app,
            &instruktur,
            "/api/v1/courses/ELN-TEST/questions",
            bad.clone(),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad} → {}",
            r.body
        );
    }
    let r = post(app, &instruktur, "/api/v1/courses/ELN-TEST/questions",
        json!({"prompt": "Arsip dinamis aktif disimpan di unit pengolah.", "answer": {"kind": "true_false", "value": true}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        app.get("/api/v1/courses/ELN-TEST/questions", Some(&asn))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/courses/ELN-TEST/questions", Some(&instruktur))
            .await
            .json()
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Files: by content, within the limit.
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let r = app
        .raw(
            Method::POST,
            "/api/v1/courses/ELN-TEST/files?filename=peta.png",
            &instruktur,
            png,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .raw(
            Method::POST,
            "/api/v1/courses/ELN-TEST/files?filename=x.png",
            &instruktur,
            b"<html>".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .raw(
            Method::POST,
            "/api/v1/courses/ELN-TEST/files?filename=big.pdf",
            &instruktur,
            vec![b'%'; 6 << 20],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Searching with hostile text finds nothing and breaks nothing.
    let r = app
        .get("/api/v1/courses?q=%27%20OR%201%3D1%20--", Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json()["total"].as_i64().unwrap_or(99) <= 1, "{}", r.body);
}

async fn activities_jp_and_the_20_jp_report(app: &TestApp) {
    let asn = app.login("asn").await;
    let kapus = app.login("kapus.babahrot").await;
    let admin = app.login("admin").await;
    let nip = nip_of(app, "asn").await;
    let today = chrono::Local::now().date_naive();
    let day = |d: i64| (today - chrono::Duration::days(d)).to_string();
    let before = app
        .get(&format!("/api/v1/employees/{nip}/jp"), Some(&asn))
        .await
        .json()["jp"]
        .as_i64()
        .expect("jp");

    let r = post(
        app,
        &asn,
        "/api/v1/activities",
        json!({"jalur": "seminar", "title": "Seminar Gizi", "started_on": day(3), "days": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let seminar = r.json();
    assert_eq!(seminar["jp"], 4);
    assert_eq!(seminar["status"], "submitted");
    let sid = seminar["id"].as_i64().expect("id");
    // Its evidence through the API: by content, by its owner, while it waits.
    let ev = format!("/api/v1/activities/{sid}/evidence?filename=sertifikat%20seminar.pdf");
    let r = app
        .raw(Method::PUT, &ev, &asn, b"MZ\x90\x00".to_vec(), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .raw(Method::PUT, &ev, &kapus, b"%PDF-1.4 x".to_vec(), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the owner attaches");
    let r = app
        .raw(Method::PUT, &ev, &asn, b"%PDF-1.4 seminar".to_vec(), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["evidence"], "sertifikat seminar.pdf");
    let r = app
        .get(&format!("/api/v1/activities/{sid}/evidence"), Some(&kapus))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("%PDF"));
    let jp = app
        .get(&format!("/api/v1/employees/{nip}/jp"), Some(&asn))
        .await
        .json();
    assert_eq!(jp["jp"].as_i64(), Some(before), "waiting JP do not count");
    // Bad input.
    for (body, field) in [
        (
            json!({"jalur": "kursus", "title": "Kursus", "started_on": day(3)}),
            "hours",
        ),
        (
            json!({"jalur": "seminar", "title": "x", "started_on": (today + chrono::Duration::days(3)).to_string()}),
            "ended_on",
        ),
        (
            json!({"jalur": "seminar", "title": "x", "started_on": "03/11/2026"}),
            "started_on",
        ),
        (
            json!({"jalur": "e_learning", "title": "x", "started_on": day(3)}),
            "jalur",
        ),
        (
            json!({"jalur": "seminar", "title": "", "started_on": day(3)}),
            "title",
        ),
        (
            json!({"jalur": "seminar", "title": "x", "started_on": day(3), "hours": -2}),
            "hours",
        ),
    ] {
        let r = post(app, &asn, "/api/v1/activities", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body} → {}",
            r.body
        );
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    // Only the head over them (or BKPSDM) decides; a reason is needed to reject.
    let path = format!("/api/v1/activities/{sid}/decision");
    let r = post(app, &asn, &path, json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let kadinkes = app.login("kadinkes").await;
    let r = post(app, &kapus, &path, json!({"approve": false})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(app, &kapus, &path, json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = post(app, &kadinkes, &path, json!({"approve": true})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "decided once");
    let r = app
        .raw(
            Method::PUT,
            &format!("/api/v1/activities/{sid}/evidence"),
            &asn,
            b"%PDF-1.4 later".to_vec(),
            &[],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "the evidence of a decided activity stays"
    );
    let jp = app
        .get(&format!("/api/v1/employees/{nip}/jp"), Some(&asn))
        .await
        .json();
    assert_eq!(jp["jp"].as_i64(), Some(before + 4));

    // Coaching counts at most 2 sessions a month; the head cannot approve their own.
    // Last year's June: no demo activity is there.
    let month_start = format!("{}-06-01", chrono::Datelike::year(&today) - 1);
    let r = post(
        app,
        &kapus,
        "/api/v1/activities",
        json!({"jalur": "coaching", "title": "Coaching", "started_on": month_start, "sessions": 3}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["jp"], 4, "{}", r.body);
    let own = r.json()["id"].as_i64().expect("id");
    let r = post(
        app,
        &kapus,
        &format!("/api/v1/activities/{own}/decision"),
        json!({"approve": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        app,
        &kapus,
        "/api/v1/activities",
        json!({"jalur": "coaching", "title": "Lagi", "started_on": month_start, "sessions": 1}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no sessions left this month: {}",
        r.body
    );

    // Nor does BKPSDM approve its own.
    let r = post(
        app,
        &admin,
        "/api/v1/activities",
        json!({"jalur": "seminar", "title": "Seminar SDM", "started_on": day(4), "days": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let own = r.json()["id"].as_i64().expect("id");
    let r = post(
        app,
        &admin,
        &format!("/api/v1/activities/{own}/decision"),
        json!({"approve": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The 20-JP report, scoped.
    let r = app.get("/api/v1/jp/summary", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let all = r.json();
    let employees = app
        .scalar("SELECT COUNT(*) FROM employees WHERE active = TRUE")
        .await;
    assert_eq!(all["employees"].as_i64(), Some(employees));
    let behind = all["not_met"].as_array().expect("not_met");
    assert_eq!(
        all["met"].as_i64().unwrap_or(0) + behind.len() as i64,
        employees
    );
    assert!(
        behind
            .windows(2)
            .all(|w| w[0]["jp"].as_i64() <= w[1]["jp"].as_i64())
    );
    assert!(all["units"].as_array().map_or(0, Vec::len) >= 2);
    let mine = app.get("/api/v1/jp/summary", Some(&kapus)).await.json();
    let in_unit = app
        .scalar("SELECT COUNT(*) FROM employees e JOIN units u ON u.id = e.unit_id WHERE u.code = 'PKM.06' AND e.active = TRUE")
        .await;
    assert_eq!(mine["employees"].as_i64(), Some(in_unit));
    assert_eq!(
        app.get("/api/v1/jp/summary?unit=BPKD", Some(&kapus))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/jp/summary", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/jp/summary?year=abc", Some(&admin))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let csv = app.get("/learn/jp?format=csv", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with("NIP,Nama,Unit,JP"),
        "{}",
        &csv.body[..80.min(csv.body.len())]
    );
    // Someone else's JP is as private as their profile.
    let outside = app
        .scalar_text("SELECT e.nip FROM employees e JOIN units u ON u.id = e.unit_id WHERE u.code = 'BPKD' LIMIT 1")
        .await;
    assert_eq!(
        app.get(&format!("/api/v1/employees/{outside}/jp"), Some(&asn))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Evidence through the page form: by content, not by name.
    let r = app
        .multipart(
            "/learn/activities",
            &asn,
            &[
                ("jalur", "seminar"),
                ("title", "Seminar"),
                ("started_on", &day(2)),
                ("days", "1"),
            ],
            Some(("evidence", "sertifikat.pdf", b"MZ\x90\x00")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .multipart(
            "/learn/activities",
            &asn,
            &[
                ("jalur", "seminar"),
                ("title", "Seminar Hari Gizi"),
                ("started_on", &day(2)),
                ("days", "1"),
            ],
            Some(("evidence", "sertifikat.pdf", b"%PDF-1.4 demo")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = app.scalar("SELECT MAX(id) FROM activities").await;
    let ev = app
        .get(&format!("/learn/activities/{id}/evidence"), Some(&kapus))
        .await;
    assert_eq!(ev.status, StatusCode::OK);
    assert!(ev.body.starts_with("%PDF"));
}

async fn learning_pages_work_for_each_role(app: &TestApp) {
    let asn = app.login("asn").await;
    for path in [
        "/learn",
        "/learn/courses?q=gempa",
        "/learn/courses/ELN-GEMPA",
        "/learn/offerings",
        "/learn/activities",
    ] {
        let r = app.get(path, Some(&asn)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }
    let home = app.get("/learn", Some(&asn)).await;
    assert!(
        home.body.contains("Lanjutkan belajar"),
        "the half-read course is offered"
    );
    assert!(home.body.contains("12</strong> / 20 JP"), "{}", home.body);
    let module = app
        .scalar("SELECT MIN(m.id) FROM course_modules m JOIN courses c ON c.id = m.course_id WHERE c.code = 'ELN-PELAYANAN'")
        .await;
    let r = app
        .get(&format!("/learn/modules/{module}"), Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("module-done"));
    // Forms need the CSRF token.
    let r = app
        .form(
            "/learn/courses/ELN-PELAYANAN/quiz",
            &Session {
                csrf: "wrong".into(),
                ..asn.clone()
            },
            &[("_csrf", "wrong")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The quiz through the pages: start, answer, submit, review.
    let offering = app
        .scalar_text("SELECT o.code FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = 'ELN-INTEGRITAS' AND o.status = 'open'")
        .await;
    let r = app
        .form(
            "/learn/enroll",
            &asn,
            &[("_csrf", &asn.csrf), ("offering", &offering)],
        )
        .await;
    // Already completed this year's integrity course in the demo: enrolling again is harmless.
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let gempa = app
        .scalar_text("SELECT o.code FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = 'ELN-GEMPA' AND o.status = 'open'")
        .await;
    let r = app
        .form(
            "/learn/enroll",
            &asn,
            &[("_csrf", &asn.csrf), ("offering", &gempa)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .form(
            "/learn/courses/ELN-GEMPA/quiz",
            &asn,
            &[("_csrf", &asn.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(to.starts_with("/learn/attempts/"), "{to}");
    let page = app.get(&to, Some(&asn)).await;
    assert!(page.body.contains("quiz-form") && page.body.contains("role=\"timer\""));
    let r = app.form(&to, &asn, &[("_csrf", &asn.csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A blank first attempt must not read the keys for the next one (issue 12).
    let review = app.get(&to, Some(&asn)).await;
    assert!(
        !review.body.contains("Jawaban benar") && review.body.contains("kunci jawabannya"),
        "the review waits for a pass or the last attempt: {}",
        review.body
    );

    let admin = app.login("admin").await;
    for path in [
        "/learn/jp",
        "/learn/offerings",
        "/learn/courses/new",
        "/learn/courses/ELN-GEMPA/edit",
    ] {
        let r = app.get(path, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    // BKPSDM closes a class from its page; a pimpinan cannot.
    let class = app
        .scalar("SELECT o.id FROM offerings o JOIN courses c ON c.id = o.course_id WHERE c.code = 'KLS-ARSIP' AND o.status = 'open' ORDER BY o.id DESC LIMIT 1")
        .await;
    let path = format!("/learn/offerings/{class}/status");
    let kapus = app.login("kapus.babahrot").await;
    let r = app
        .form(&path, &kapus, &[("_csrf", &kapus.csrf), ("open", "0")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .form(&path, &admin, &[("_csrf", &admin.csrf), ("open", "0")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let status = app
        .scalar_text(&format!("SELECT status FROM offerings WHERE id = {class}"))
        .await;
    assert_eq!(status, "closed");
    let jp = app.get("/learn/jp", Some(&admin)).await;
    assert!(
        jp.body.contains("<figure class=\"chart\">") && jp.body.contains("Belum mencapai 20 JP")
    );
    // Course form errors stay on the form, in the reader's language.
    let r = app
        .form(
            "/learn/courses",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("code", "X-1"),
                ("title", "x"),
                ("jalur", "seminar"),
                ("mode", "klasikal"),
                ("jp", "0"),
                ("cost", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("JP harus 1–1000"), "{}", r.body);
    let r = app.get("/learn/courses/new", Some(&asn)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The service worker is served from the root with no long cache.
    let sw = app.get("/sw.js", None).await;
    assert_eq!(sw.status, StatusCode::OK);
    assert!(sw.body.contains("cakap-learn"));
    // Anonymous visitors are sent to the login, except for the public check.
    let r = app.get("/learn", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

// ---------------------------------------------------------------- issue 12: learning guards

/// A course as `PUT /courses/{code}` takes it, with `patch` applied.
async fn course_body(app: &TestApp, s: &Session, code: &str, patch: Value) -> Value {
    let r = app.get(&format!("/api/v1/courses/{code}"), Some(s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let c = r.json();
    let targets: Vec<Value> = c["competencies"]
        .as_array()
        .expect("competencies")
        .iter()
        .map(|k| json!({"competency": k["competency"], "level": k["level"]}))
        .collect();
    let mut body = json!({
        "code": c["code"], "title": c["title"], "description": c["description"],
        "jalur": c["jalur"], "mode": c["mode"], "jp": c["jp"], "cost": c["cost"],
        "pass_mark": c["pass_mark"], "time_limit": c["time_limit"],
        "max_attempts": c["max_attempts"], "review": c["review"], "active": c["active"],
        "competencies": targets, "prerequisites": c["prerequisites"],
    });
    for (k, v) in patch.as_object().expect("patch") {
        body[k] = v.clone();
    }
    body
}

async fn put(app: &TestApp, s: &Session, path: &str, body: Value) -> Resp {
    app.api(Method::PUT, path, Some(s), Some(body)).await
}

/// The open offering of a demo course.
async fn open_offering(app: &TestApp, course: &str) -> String {
    app.scalar_text(&format!(
        "SELECT o.code FROM offerings o JOIN courses c ON c.id = o.course_id \
         WHERE c.code = '{course}' AND o.status = 'open' ORDER BY o.id LIMIT 1"
    ))
    .await
}

async fn enrolments_of(app: &TestApp, username: &str, course: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM enrollments en JOIN offerings o ON o.id = en.offering_id \
         JOIN courses c ON c.id = o.course_id JOIN users u ON u.employee_id = en.employee_id \
         WHERE c.code = '{course}' AND u.username = '{username}'"
    ))
    .await
}

async fn an_instruktur_cannot_credit_themself(app: &TestApp) {
    let instruktur = app.login("instruktur").await;
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    // An e-learning course with target levels that the trainer has not taken.
    let course = app
        .scalar_text(
            "SELECT c.code FROM courses c WHERE c.mode = 'e_learning' \
             AND EXISTS (SELECT 1 FROM offerings o WHERE o.course_id = c.id AND o.status = 'open') \
             AND EXISTS (SELECT 1 FROM course_competencies cc WHERE cc.course_id = c.id) \
             AND NOT EXISTS (SELECT 1 FROM enrollments en JOIN offerings o ON o.id = en.offering_id \
               JOIN users u ON u.employee_id = en.employee_id \
               WHERE o.course_id = c.id AND u.username = 'instruktur') ORDER BY c.code LIMIT 1",
        )
        .await;
    let path = format!("/api/v1/courses/{course}");

    // The review's attack: raise what a course credits (JP, pass mark, mode, target levels),
    // then take it. Every part is refused to a trainer, and nothing changes.
    let jp = app
        .scalar(&format!("SELECT jp FROM courses WHERE code = '{course}'"))
        .await;
    let audited = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'course'")
        .await;
    let mut top = course_body(app, &instruktur, &course, json!({})).await;
    for t in top["competencies"].as_array_mut().expect("targets") {
        t["level"] = json!(5);
    }
    for (patch, field) in [
        (json!({"jp": 1000}), "jp"),
        (json!({"pass_mark": 1}), "pass_mark"),
        (json!({"mode": "blended"}), "mode"),
        (json!({"competencies": top["competencies"]}), "competencies"),
        // More tries after the keys were shown on the last one would hand out the answers.
        (json!({"max_attempts": 20}), "max_attempts"),
        (
            json!({"review": if top["review"] == "full" { "score" } else { "full" }}),
            "review",
        ),
    ] {
        let body = course_body(app, &instruktur, &course, patch.clone()).await;
        let r = put(app, &instruktur, &path, body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{patch} → {}",
            r.body
        );
        assert!(r.error_message().contains("Hanya BKPSDM"), "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(
        app.scalar(&format!("SELECT jp FROM courses WHERE code = '{course}'"))
            .await,
        jp
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM course_competencies cc JOIN courses c ON c.id = cc.course_id \
             WHERE c.code = '{course}' AND cc.level = 5"
        ))
        .await,
        0
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'course'")
            .await,
        audited,
        "nothing changed, nothing logged"
    );
    // The rest of a course stays open to trainers; having written part of it, they cannot
    // take it.
    let body = course_body(
        app,
        &instruktur,
        &course,
        json!({"description": "Diperbarui oleh instruktur"}),
    )
    .await;
    let r = put(app, &instruktur, &path, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let offering = open_offering(app, &course).await;
    let r = post(
        app,
        &instruktur,
        "/api/v1/enrollments",
        json!({"offering": offering}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.error_message().contains("menyusun"), "{}", r.body);
    assert_eq!(enrolments_of(app, "instruktur", &course).await, 0);

    // Nor is anyone enrolled in a class they teach, by themself or by BKPSDM.
    let r = post(
        app,
        &admin,
        "/api/v1/offerings",
        json!({"course": "WS-KOMUNIKASI", "code": "WS-AJAR-1", "starts_on": "2026-02-10",
               "ends_on": "2026-02-11", "instructor": "instruktur"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post(
        app,
        &instruktur,
        "/api/v1/enrollments",
        json!({"offering": "WS-AJAR-1"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let own_nip = nip_of(app, "instruktur").await;
    let r = post(
        app,
        &admin,
        "/api/v1/enrollments",
        json!({"offering": "WS-AJAR-1", "nips": [own_nip]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.error_message().contains(&own_nip), "{}", r.body);
    assert_eq!(enrolments_of(app, "instruktur", "WS-KOMUNIKASI").await, 0);

    // A trainer's own new course: its creator may set its credit while nobody has enrolled.
    let r = post(
        app,
        &instruktur,
        "/api/v1/courses",
        json!({"code": "ELN-MILIK", "title": "Kursus milik instruktur", "jalur": "e_learning",
               "mode": "e_learning", "jp": 2}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let body = course_body(app, &instruktur, "ELN-MILIK", json!({"jp": 3})).await;
    let r = put(app, &instruktur, "/api/v1/courses/ELN-MILIK", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["jp"], 3);
    let r = post(
        app,
        &admin,
        "/api/v1/offerings",
        json!({"course": "ELN-MILIK", "code": "ELN-MILIK-1", "starts_on": "2026-01-01",
               "ends_on": "2026-12-31"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post(
        app,
        &instruktur,
        "/api/v1/enrollments",
        json!({"offering": "ELN-MILIK-1"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the creator cannot take it");
    let r = post(
        app,
        &asn,
        "/api/v1/enrollments",
        json!({"offering": "ELN-MILIK-1"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Once someone has enrolled, only BKPSDM changes it, and that is logged.
    let body = course_body(app, &instruktur, "ELN-MILIK", json!({"jp": 40})).await;
    let r = put(app, &instruktur, "/api/v1/courses/ELN-MILIK", body.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = put(app, &admin, "/api/v1/courses/ELN-MILIK", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'course' AND entity_id = 'ELN-MILIK' \
             AND actor = 'admin' AND action = 'update'"
        )
        .await,
        1
    );

    // Enrolled first and an author later: the step that would complete it is refused whole.
    let r = post(
        app,
        &admin,
        "/api/v1/courses",
        json!({"code": "ELN-LAMBAT", "title": "Kursus dua modul", "jalur": "e_learning",
               "mode": "e_learning", "jp": 2}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post(
        app,
        &admin,
        "/api/v1/courses/ELN-LAMBAT/modules",
        json!({"title": "Satu", "markdown": "Isi satu"}),
    )
    .await;
    let first = r.json()["id"].as_i64().expect("module");
    // In the test demo BKPSDM's admin and trainer logins are one person: as if someone else
    // had written this course.
    app.sql(
        "DELETE FROM course_authors WHERE course_id = \
         (SELECT id FROM courses WHERE code = 'ELN-LAMBAT')",
    )
    .await
    .expect("other author");
    app.sql("UPDATE courses SET created_by = NULL WHERE code = 'ELN-LAMBAT'")
        .await
        .expect("other author");
    let r = post(
        app,
        &admin,
        "/api/v1/offerings",
        json!({"course": "ELN-LAMBAT", "code": "ELN-LAMBAT-1", "starts_on": "2026-01-01",
               "ends_on": "2026-12-31"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post(
        app,
        &instruktur,
        "/api/v1/enrollments",
        json!({"offering": "ELN-LAMBAT-1"}),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "not an author yet: {}",
        r.body
    );
    let r = post(
        app,
        &instruktur,
        "/api/v1/courses/ELN-LAMBAT/modules",
        json!({"title": "Dua", "markdown": "Isi dua"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let second = r.json()["id"].as_i64().expect("module");
    let r = post(
        app,
        &instruktur,
        &format!("/api/v1/modules/{first}/progress"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = post(
        app,
        &instruktur,
        &format!("/api/v1/modules/{second}/progress"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.error_message().contains("menyusun"), "{}", r.body);
    let status = app
        .scalar_text(
            "SELECT en.status FROM enrollments en JOIN offerings o ON o.id = en.offering_id \
             JOIN users u ON u.employee_id = en.employee_id \
             WHERE o.code = 'ELN-LAMBAT-1' AND u.username = 'instruktur'",
        )
        .await;
    assert_eq!(status, "enrolled", "no credit");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM module_progress p JOIN users u ON u.employee_id = p.employee_id \
             WHERE u.username = 'instruktur' AND p.module_id IN ({first}, {second})"
        ))
        .await,
        1,
        "the refused step left no trace"
    );
}

async fn course_edits_never_rewrite_past_credit(app: &TestApp) {
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    let nip = nip_of(app, "asn").await;
    let r = post(
        app,
        &admin,
        "/api/v1/courses",
        json!({"code": "KLS-JEJAK", "title": "Pelatihan jejak kredit", "jalur": "pelatihan_teknis",
               "mode": "klasikal", "jp": 6, "competencies": [{"competency": "T.ARS.01", "level": 2}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post(
        app,
        &admin,
        "/api/v1/offerings",
        json!({"course": "KLS-JEJAK", "code": "KLS-JEJAK-1", "starts_on": "2026-01-05",
               "ends_on": "2026-01-05", "self_enrol": false}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post(
        app,
        &admin,
        "/api/v1/enrollments",
        json!({"offering": "KLS-JEJAK-1", "nips": [nip]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let eid = r.json()[0]["id"].as_i64().expect("enrolment");
    let r = put(
        app,
        &admin,
        &format!("/api/v1/enrollments/{eid}/attendance"),
        json!({"attended": true}),
    )
    .await;
    assert_eq!(r.json()["status"], "completed", "{}", r.body);
    assert_eq!(r.json()["jp"], 6);
    let code = r.json()["certificate"]
        .as_str()
        .expect("certificate")
        .to_string();
    let levels = "SELECT COUNT(*) FROM assessments a JOIN competencies k ON k.id = a.competency_id \
         JOIN employees e ON e.id = a.employee_id WHERE a.method = 'course' \
         AND k.code = 'T.ARS.01' AND e.nip = '";
    let at = |level: i64| format!("{levels}{nip}' AND a.level = {level}");
    assert_eq!(app.scalar(&at(2)).await, 1);

    // BKPSDM raises the course afterwards: what was credited stays as it was.
    let body = course_body(
        app,
        &admin,
        "KLS-JEJAK",
        json!({"jp": 30, "competencies": [{"competency": "T.ARS.01", "level": 5}]}),
    )
    .await;
    let r = put(app, &admin, "/api/v1/courses/KLS-JEJAK", body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.scalar(&format!("SELECT jp FROM enrollments WHERE id = {eid}"))
            .await,
        6
    );
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let jp = app
        .get(
            &format!("/api/v1/employees/{nip}/jp?year={year}"),
            Some(&asn),
        )
        .await
        .json();
    let item = jp["activities"]
        .as_array()
        .expect("activities")
        .iter()
        .find(|a| a["source"] == "course" && a["id"] == eid)
        .cloned()
        .expect("the course in the JP list");
    assert_eq!(item["jp"], 6, "{jp}");
    assert_eq!(app.scalar(&at(2)).await, 1);
    assert_eq!(app.scalar(&at(5)).await, 0);
    let r = app
        .get(&format!("/api/v1/certificates/{code}"), Some(&asn))
        .await;
    assert_eq!(r.json()["jp"], 6, "{}", r.body);
}

async fn quiz_keys_show_only_after_a_pass_or_the_last_attempt(app: &TestApp) {
    let asn = app.login("asn").await;
    // ELN-GEMPA reviews in full, 3 attempts. A blank first attempt reads nothing.
    let offering = open_offering(app, "ELN-GEMPA").await;
    let r = post(
        app,
        &asn,
        "/api/v1/enrollments",
        json!({"offering": offering}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cid = course_id(app, &asn, "ELN-GEMPA").await;
    let start = format!("/api/v1/quizzes/{cid}/attempts");
    let a1 = post(app, &asn, &start, json!({})).await.json();
    let id1 = a1["id"].as_i64().expect("attempt");
    let r = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{id1}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(r.json()["passed"], false, "{}", r.body);
    let seen = app
        .get(&format!("/api/v1/attempts/{id1}"), Some(&asn))
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    for leak in ["\"key\":{", "\"correct\"", "tolerance", "accept"] {
        assert!(!seen.body.contains(leak), "{leak} leaked: {}", seen.body);
    }
    assert_eq!(seen.json()["review_held"], true);
    // Passed on the second: now the review opens, for both attempts.
    let a2 = post(app, &asn, &start, json!({})).await.json();
    let id2 = a2["id"].as_i64().expect("attempt");
    let mut answers = serde_json::Map::new();
    for q in a2["questions"].as_array().expect("questions") {
        answers.insert(
            q["id"].to_string(),
            right_answer(q["prompt"].as_str().unwrap_or("")),
        );
    }
    let r = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{id2}/submit"),
        json!({"answers": answers}),
    )
    .await;
    assert_eq!(r.json()["passed"], true, "{}", r.body);
    let seen = app
        .get(&format!("/api/v1/attempts/{id1}"), Some(&asn))
        .await
        .json();
    assert_eq!(seen["review_held"], false);
    assert!(seen["questions"][0]["key"].is_object(), "{seen}");
    assert_eq!(seen["questions"][0]["correct"], false);

    // No attempt left without a pass: the review opens too.
    app.sql("UPDATE courses SET review = 'full', max_attempts = 1 WHERE code = 'BLD-PPGD'")
        .await
        .expect("one attempt");
    let offering = open_offering(app, "BLD-PPGD").await;
    let r = post(
        app,
        &asn,
        "/api/v1/enrollments",
        json!({"offering": offering}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ppgd = course_id(app, &asn, "BLD-PPGD").await;
    let a = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{ppgd}/attempts"),
        json!({}),
    )
    .await
    .json();
    let id = a["id"].as_i64().expect("attempt");
    let r = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{id}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(r.json()["attempts_left"], 0, "{}", r.body);
    let seen = app
        .get(&format!("/api/v1/attempts/{id}"), Some(&asn))
        .await
        .json();
    assert!(seen["questions"][0]["key"].is_object(), "{seen}");

    // The question bank with its keys is for BKPSDM and the course's own authors and
    // trainers, not for every trainer.
    let instruktur = app.login("instruktur").await;
    let admin = app.login("admin").await;
    let r = app
        .get("/api/v1/courses/ELN-GEMPA/questions", Some(&instruktur))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app
        .get("/api/v1/courses/ELN-GEMPA/questions", Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // The audit log keeps each question, without its key: the auditor reads the log.
    let r = post(
        app,
        &instruktur,
        "/api/v1/courses",
        json!({"code": "ELN-KUNCI", "title": "Kursus kunci", "jalur": "e_learning",
               "mode": "e_learning", "jp": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post(
        app,
        &instruktur,
        "/api/v1/courses/ELN-KUNCI/questions",
        json!({"prompt": "Sandi evakuasi desa?", "answer": {"kind": "text", "accept": ["rahasiakunci"]}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let qid = r.json()["id"].as_i64().expect("question");
    let r = app
        .api(
            Method::DELETE,
            &format!("/api/v1/courses/ELN-KUNCI/questions/{qid}"),
            Some(&instruktur),
            Some(json!({})),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let auditor = app.login("auditor").await;
    let qid_text = qid.to_string();
    let log = app
        .get("/api/v1/audit?entity=question", Some(&auditor))
        .await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let entries: Vec<Value> = log.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["entity_id"].as_str() == Some(qid_text.as_str()))
        .cloned()
        .collect();
    assert_eq!(entries.len(), 2, "created and deleted: {}", log.body);
    assert!(log.body.contains("Sandi evakuasi desa"), "{}", log.body);
    assert!(!log.body.contains("rahasiakunci"), "{}", log.body);
}

async fn activity_jp_is_bound_to_its_dates(app: &TestApp) {
    let asn = app.login("asn").await;
    let today = chrono::Local::now().date_naive();
    let day = |d: i64| (today - chrono::Duration::days(d)).to_string();
    let count = "SELECT COUNT(*) FROM activities";
    let before = app.scalar(count).await;
    // The review's case: one day's seminar claimed as 366 days (1,464 JP).
    for (body, field, says) in [
        (
            json!({"jalur": "seminar", "title": "Seminar", "started_on": day(3), "days": 366}),
            "days",
            "1 hari",
        ),
        (
            json!({"jalur": "workshop", "title": "Lokakarya", "started_on": day(5),
                   "ended_on": day(4), "days": 3}),
            "days",
            "2 hari",
        ),
        // 40 hours in one day: 53 JP where a day holds 10.
        (
            json!({"jalur": "kursus", "title": "Kursus", "started_on": day(3), "hours": 40}),
            "hours",
            "10 JP",
        ),
    ] {
        let r = post(app, &asn, "/api/v1/activities", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body} → {}",
            r.body
        );
        assert!(r.body.contains(field), "{field}: {}", r.body);
        assert!(r.error_message().contains(says), "{says}: {}", r.body);
    }
    assert_eq!(app.scalar(count).await, before, "nothing recorded");
    // Within the dates it is credited; a flat default of the table is the rules' own.
    for (body, jp) in [
        (
            json!({"jalur": "seminar", "title": "Seminar dua hari", "started_on": day(8),
                   "ended_on": day(7), "days": 2}),
            8,
        ),
        (
            json!({"jalur": "kursus", "title": "Kursus sehari", "started_on": day(3), "hours": 6}),
            8,
        ),
        (
            json!({"jalur": "magang", "title": "Magang sehari", "started_on": day(10)}),
            20,
        ),
        (
            json!({"jalur": "magang", "title": "Magang sepekan", "started_on": day(20),
                   "ended_on": day(14)}),
            20,
        ),
    ] {
        let r = post(app, &asn, "/api/v1/activities", body.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{body} → {}", r.body);
        assert_eq!(r.json()["jp"], jp, "{body} → {}", r.body);
    }
}

async fn a_pimpinan_cannot_enrol_themself_where_self_enrolment_is_off(app: &TestApp) {
    let admin = app.login("admin").await;
    let kapus = app.login("kapus.babahrot").await;
    let r = post(
        app,
        &admin,
        "/api/v1/courses",
        json!({"code": "KLS-TUNJUK", "title": "Pelatihan penunjukan", "jalur": "pelatihan_teknis",
               "mode": "klasikal", "jp": 8}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    for (code, self_enrol) in [("WS-TUNJUK-1", false), ("WS-BEBAS-1", true)] {
        let r = post(
            app,
            &admin,
            "/api/v1/offerings",
            json!({"course": "KLS-TUNJUK", "code": code, "starts_on": "2026-03-10",
                   "ends_on": "2026-03-11", "self_enrol": self_enrol}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let own = nip_of(app, "kapus.babahrot").await;
    let staff = app
        .scalar_text(
            "SELECT e.nip FROM employees e JOIN units u ON u.id = e.unit_id \
             WHERE u.code = 'PKM.06' AND e.id <> (SELECT us.employee_id FROM users us \
             WHERE us.username = 'kapus.babahrot') ORDER BY e.id LIMIT 1",
        )
        .await;
    let enrolled = "SELECT COUNT(*) FROM enrollments en JOIN offerings o ON o.id = en.offering_id \
         JOIN employees e ON e.id = en.employee_id WHERE o.code = 'WS-TUNJUK-1'";
    // Naming their own NIP where self-enrolment is off is refused, alone or with staff.
    for nips in [json!([own]), json!([staff, own])] {
        let r = post(
            app,
            &kapus,
            "/api/v1/enrollments",
            json!({"offering": "WS-TUNJUK-1", "nips": nips}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
        assert!(r.error_message().contains("penunjukan"), "{}", r.body);
        assert_eq!(app.scalar(enrolled).await, 0, "nobody enrolled");
    }
    // Their staff, yes.
    let r = post(
        app,
        &kapus,
        "/api/v1/enrollments",
        json!({"offering": "WS-TUNJUK-1", "nips": [staff]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(app.scalar(enrolled).await, 1);
    // Where anyone may enrol themself, so may the head.
    let r = post(
        app,
        &kapus,
        "/api/v1/enrollments",
        json!({"offering": "WS-BEBAS-1", "nips": [own]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

async fn uploads_stay_within_a_quota_per_person(app: &TestApp) {
    let asn = app.login("asn").await;
    let today = chrono::Local::now().date_naive();
    let day = |d: i64| (today - chrono::Duration::days(d)).to_string();
    let mut ids = Vec::new();
    for title in ["Seminar satu", "Seminar dua"] {
        let r = post(
            app,
            &asn,
            "/api/v1/activities",
            json!({"jalur": "seminar", "title": title, "started_on": day(3), "days": 1}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.json()["id"].as_i64().expect("id"));
    }
    let evidence = |id: i64| format!("/api/v1/activities/{id}/evidence?filename=bukti.pdf");
    let r = app
        .raw(
            Method::PUT,
            &evidence(ids[0]),
            &asn,
            b"%PDF-1.4 satu".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Bytes: the first file (as if large) leaves no room for a second.
    let quota = cakap_domain::learning::EVIDENCE_QUOTA;
    app.sql(&format!(
        "UPDATE activities SET evidence_size = {} WHERE id = {}",
        quota.bytes - 8,
        ids[0]
    ))
    .await
    .expect("size");
    let r = app
        .raw(
            Method::PUT,
            &evidence(ids[1]),
            &asn,
            b"%PDF-1.4 dua".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.error_message().contains("Batas unggahan"), "{}", r.body);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM activities WHERE id = {} AND evidence IS NULL",
            ids[1]
        ))
        .await,
        1,
        "nothing stored"
    );
    // Replacing the large file frees its bytes.
    let r = app
        .raw(
            Method::PUT,
            &evidence(ids[0]),
            &asn,
            b"%PDF-1.4 ganti".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .raw(
            Method::PUT,
            &evidence(ids[1]),
            &asn,
            b"%PDF-1.4 dua".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Files: as many as the quota, then no more, through the API and the page alike.
    let employee = app
        .scalar("SELECT employee_id FROM users WHERE username = 'asn'")
        .await;
    let held = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM activities WHERE employee_id = {employee} AND evidence IS NOT NULL"
        ))
        .await;
    app.sql(&format!(
        "INSERT INTO activities (tenant_id, employee_id, jalur, title, started_on, ended_on, jp, \
         status, created_at, evidence_name, evidence_type, evidence, evidence_size) \
         SELECT a.tenant_id, a.employee_id, a.jalur, a.title, a.started_on, a.ended_on, a.jp, \
         'approved', a.created_at, a.evidence_name, a.evidence_type, a.evidence, 1 \
         FROM activities a CROSS JOIN (SELECT id FROM employees ORDER BY id LIMIT {}) x \
         WHERE a.id = {}",
        quota.files - held,
        ids[1]
    ))
    .await
    .expect("fill");
    let r = post(
        app,
        &asn,
        "/api/v1/activities",
        json!({"jalur": "seminar", "title": "Seminar tiga", "started_on": day(2), "days": 1}),
    )
    .await;
    let third = r.json()["id"].as_i64().expect("id");
    let r = app
        .raw(
            Method::PUT,
            &evidence(third),
            &asn,
            b"%PDF-1.4 tiga".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let before = app.scalar("SELECT COUNT(*) FROM activities").await;
    let r = app
        .multipart(
            "/learn/activities",
            &asn,
            &[
                ("jalur", "seminar"),
                ("title", "Seminar empat"),
                ("started_on", &day(2)),
                ("days", "1"),
            ],
            Some(("evidence", "sertifikat.pdf", b"%PDF-1.4 empat")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Batas unggahan"), "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM activities").await, before);

    // Course files: a quota per uploader too.
    let instruktur = app.login("instruktur").await;
    let r = post(
        app,
        &instruktur,
        "/api/v1/courses",
        json!({"code": "ELN-BERKAS", "title": "Kursus berkas", "jalur": "e_learning",
               "mode": "e_learning", "jp": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let upload = "/api/v1/courses/ELN-BERKAS/files?filename=peta.png";
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let r = app
        .raw(Method::POST, upload, &instruktur, png.clone(), &[])
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let fid = r.json()["id"].as_i64().expect("file");
    app.sql(&format!(
        "UPDATE course_files SET size = {} WHERE id = {fid}",
        cakap_domain::learning::COURSE_FILES_QUOTA.bytes
    ))
    .await
    .expect("size");
    let r = app.raw(Method::POST, upload, &instruktur, png, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.error_message().contains("Batas unggahan"), "{}", r.body);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM course_files f JOIN courses c ON c.id = f.course_id \
                    WHERE c.code = 'ELN-BERKAS'"
        )
        .await,
        1
    );
}
