//! Public-service quality through the real router and a real database: the public survey and
//! its abuse limits, the IKM against a hand computation, service users, complaints with their
//! steps, scoping and masking, the pages.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use serde_json::{Value, json};

fn answers(a: [i64; 9]) -> Value {
    json!({"answers": a, "service": "KTP-el", "gender": "P", "age": 34, "education": "SMA",
        "comment": "<script>alert(1)</script> antrean lama"})
}

async fn post_survey(
    app: &TestApp,
    unit: &str,
    body: Value,
    from: &str,
    cookie: &str,
) -> common::Resp {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/public/surveys/{unit}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("cakap_survei={cookie}"))
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send_from(req, from).await
}

async fn the_survey_is_public_checked_and_limited(app: &TestApp) {
    // A unit that serves the public takes answers without a login…
    let r = post_survey(
        app,
        "DISDUKCAPIL",
        answers([4, 4, 3, 4, 4, 3, 4, 3, 4]),
        "10.0.0.1:1",
        "a",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // …once per device and day.
    let r = post_survey(app, "DISDUKCAPIL", answers([4; 9]), "10.0.0.1:1", "a").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.error_message().contains("hari ini"), "{}", r.body);
    // Bad answers are refused in the reader's language and store nothing.
    let before = app.scalar("SELECT COUNT(*) FROM survey_responses").await;
    for (body, field) in [
        (json!({"answers": [4, 4, 4]}), "answers"),
        (json!({"answers": [4, 4, 4, 4, 5, 4, 4, 4, 4]}), "answers"),
        (json!({"answers": [0, 4, 4, 4, 4, 4, 4, 4, 4]}), "answers"),
        (
            json!({"answers": [4, 4, 4, 4, 4, 4, 4, 4, 4], "gender": "X"}),
            "gender",
        ),
        (
            json!({"answers": [4, 4, 4, 4, 4, 4, 4, 4, 4], "age": 400}),
            "age",
        ),
        (
            json!({"answers": [4, 4, 4, 4, 4, 4, 4, 4, 4], "comment": "x".repeat(1001)}),
            "comment",
        ),
        (
            // Only the form's list: free text would reach the published report.
            json!({"answers": [4, 4, 4, 4, 4, 4, 4, 4, 4], "education": "<script>alert(1)</script>"}),
            "education",
        ),
    ] {
        let r = post_survey(app, "DISDUKCAPIL", body, "10.0.0.2:1", "b").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], field, "{}", r.body);
    }
    let r = post_survey(
        app,
        "DISDUKCAPIL",
        json!({"answers": "semua baik"}),
        "10.0.0.2:1",
        "b",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM survey_responses").await,
        before
    );
    // Units that do not serve the public, unknown units and hostile codes: 404.
    for unit in ["BKPSDM", "NOPE", "%27%20OR%201%3D1"] {
        let r = post_survey(app, unit, answers([4; 9]), "10.0.0.3:1", "c").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{unit}: {}", r.body);
    }
    // A flood from one address is held back (429 with Retry-After).
    let mut last = StatusCode::OK;
    for i in 0..25 {
        let r = post_survey(app, "RSUD", answers([3; 9]), "10.9.9.9:1", &format!("d{i}")).await;
        last = r.status;
        if last == StatusCode::TOO_MANY_REQUESTS {
            assert!(r.headers.contains_key(header::RETRY_AFTER));
            break;
        }
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // The comment is kept as text and shown escaped.
    let admin = app.login("admin").await;
    let year = chrono::Local::now().format("%Y").to_string();
    let page = app
        .get(&format!("/layanan/DISDUKCAPIL?period={year}"), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62; antrean lama")
    );
    assert!(!page.body.contains("<script>alert(1)"));
}

async fn the_ikm_follows_the_regulation(app: &TestApp) {
    // A unit of our own with known answers: (4×9 + 3×9 + 2,2,2,2,2,2,2,2,1) → hand computed.
    let admin = app.login("admin").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/units",
            Some(&admin),
            Some(json!({"code": "UJI", "name": "Unit Uji"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Not a public unit yet: no form. Only BKPSDM opens it.
    let r = post_survey(app, "UJI", answers([4; 9]), "10.1.0.9:1", "z").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let kadinkes = app.login("kadinkes").await;
    let open = json!({"serves_public": true});
    let r = app
        .api(
            Method::PUT,
            "/api/v1/service-quality/units/UJI/public",
            Some(&kadinkes),
            Some(open.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/service-quality/units/UJI/public",
            Some(&admin),
            Some(open),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    for (i, a) in [[4i64; 9], [3; 9], [2, 2, 2, 2, 2, 2, 2, 2, 1]]
        .iter()
        .enumerate()
    {
        let r = post_survey(
            app,
            "UJI",
            json!({"answers": a}),
            "10.1.0.1:1",
            &format!("u{i}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let year = chrono::Local::now().format("%Y").to_string();
    let r = app
        .get(
            &format!("/api/v1/service-quality/ikm?unit=UJI&period={year}"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["respondents"], 3);
    assert_eq!(v["nrr"][0], 3.0);
    assert_eq!(v["nrr"][8], 2.67);
    // (3 × 8 + 8/3) ÷ 9 × 25 = 74.07…
    assert_eq!(v["ikm"], 74.07);
    assert_eq!(v["mutu"], "C");
    assert_eq!(v["kinerja"], "Kurang Baik");
    assert_eq!(v["sample_needed"], Value::Null);
    assert_eq!(v["enough"], false);
    // Service users give the sample (Krejcie–Morgan: 100 → 80).
    let r = app
        .api(
            Method::PUT,
            "/api/v1/service-quality/population",
            Some(&admin),
            Some(json!({"unit": "UJI", "period": year, "users": 100})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let v = app
        .get(
            &format!("/api/v1/service-quality/ikm?unit=UJI&period={year}"),
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(v["sample_needed"], 80);
    assert_eq!(v["enough"], false);
    // A semester and bad periods.
    let r = app
        .get(
            &format!("/api/v1/service-quality/ikm?unit=UJI&period={year}-S3"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for bad in [
        json!({"unit": "UJI", "period": year, "users": -5}),
        json!({"unit": "UJI", "period": "kemarin", "users": 5}),
    ] {
        let r = app
            .api(
                Method::PUT,
                "/api/v1/service-quality/population",
                Some(&admin),
                Some(bad),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    // The change is audited.
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'service_population'")
            .await
            >= 1
    );
    // Readers only: an ASN is refused, a pimpinan of another unit gets "not found".
    let asn = app.login("asn").await;
    let r = app
        .get(
            &format!("/api/v1/service-quality/ikm?unit=UJI&period={year}"),
            Some(&asn),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let kadinkes = app.login("kadinkes").await;
    let r = app
        .get(
            &format!("/api/v1/service-quality/ikm?unit=DISDUKCAPIL&period={year}"),
            Some(&kadinkes),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .get(
            &format!("/api/v1/service-quality/ikm?unit=PKM.01&period={year}"),
            Some(&kadinkes),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .get(
            &format!("/api/v1/service-quality/ikm?unit=RSUD&period={year}"),
            Some(&kadinkes),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
}

async fn complaints_move_through_their_steps(app: &TestApp) {
    let admin = app.login("admin").await;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let new = json!({"unit": "PKM.01", "channel": "loket", "class": "pengaduan",
        "received_on": today, "summary": "=cmd|' /C calc'!A0 petugas IGD kasar",
        "reporter": "Cut Nyak Meutia", "reporter_contact": "0812-1111-2222"});
    let r = app
        .api(
            Method::POST,
            "/api/v1/complaints",
            Some(&admin),
            Some(new.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = r.json();
    let id = c["id"].as_i64().expect("id");
    assert_eq!(c["status"], "baru");
    assert_eq!(c["overdue"], false);
    assert_eq!(c["reporter"], "Cut Nyak Meutia");
    // Bad input: unknown class, channel, future date, missing summary, another tenant's unit.
    for (patch, field) in [
        (json!({"class": "gosip"}), "class"),
        (json!({"channel": "merpati"}), "channel"),
        (json!({"received_on": "2999-01-01"}), "received_on"),
        (json!({"summary": " "}), "summary"),
    ] {
        let mut body = new.clone();
        for (k, v) in patch.as_object().expect("object") {
            body[k] = v.clone();
        }
        let r = app
            .api(Method::POST, "/api/v1/complaints", Some(&admin), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], field, "{}", r.body);
    }
    let other = common::other_tenant(app).await;
    let mut body = new.clone();
    body["unit"] = json!(other.unit);
    let r = app
        .api(Method::POST, "/api/v1/complaints", Some(&admin), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // Steps: a refusal needs a reason; a step out of order is a conflict; a stale version too.
    let step = |status: &str, reason: Option<&str>, version: i64| json!({"status": status, "reason": reason, "version": version});
    let path = format!("/api/v1/complaints/{id}");
    let r = app
        .api(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(step("ditolak", None, 1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .api(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(step("selesai", None, 1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = app
        .api(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(step("diverifikasi", None, 1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["verified_on"], today);
    let r = app
        .api(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(step("diproses", None, 1)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "stale version: {}", r.body);
    let r = app
        .api(
            Method::PATCH,
            &path,
            Some(&admin),
            Some(step("diproses", None, 2)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.get(&path, Some(&admin)).await;
    let v = r.json();
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["to_status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(steps, ["baru", "diverifikasi", "diproses"]);
    // The reporter is masked for the auditor; the health office's head, whose puskesmas it
    // is, sees it.
    let auditor = app.login("auditor").await;
    let v = app.get(&path, Some(&auditor)).await.json();
    assert_eq!(v["reporter"], "*****");
    assert_eq!(v["reporter_contact"], Value::Null);
    let kadinkes = app.login("kadinkes").await;
    let v = app.get(&path, Some(&kadinkes)).await.json();
    assert_eq!(v["reporter"], "Cut Nyak Meutia");
    // The auditor reads but cannot act; an ASN cannot even read.
    let r = app
        .api(
            Method::PATCH,
            &path,
            Some(&auditor),
            Some(step("selesai", None, 3)),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let asn = app.login("asn").await;
    assert_eq!(
        app.get(&path, Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
    // Late: a complaint received two weeks ago and never verified.
    let old = (chrono::Local::now() - chrono::Duration::days(14))
        .format("%Y-%m-%d")
        .to_string();
    let mut body = new.clone();
    body["received_on"] = json!(old);
    let r = app
        .api(Method::POST, "/api/v1/complaints", Some(&admin), Some(body))
        .await;
    assert_eq!(r.json()["overdue"], true, "{}", r.body);
    // Every change is in the audit log, without the reporter's name.
    let audit = app
        .scalar_text("SELECT CAST(COUNT(*) AS TEXT) FROM audit_log WHERE entity = 'complaint' AND (after_json LIKE '%Meutia%' OR before_json LIKE '%Meutia%')")
        .await;
    assert_eq!(audit, "0", "the reporter's name reached the audit log");
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'complaint'")
            .await
            >= 4
    );
}

async fn the_pages_work_for_each_reader(app: &TestApp) {
    // The public form: no login, Indonesian, the nine unsur with the regulation's words.
    let r = app.get("/survei/DISDUKCAPIL", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Kompetensi Pelaksana") && r.body.contains("Sangat sopan dan ramah"));
    let csrf = r.cookie("cakap_csrf").expect("form token");
    let device = r.cookie("cakap_survei").expect("device cookie");
    // Submitted as a browser does (form + token); the honeypot makes a bot's answer vanish.
    let mut fields: Vec<(String, String)> = (1..=9)
        .map(|i| (format!("u{i}"), "4".to_string()))
        .collect();
    fields.push(("_csrf".into(), csrf.clone()));
    let send = |fields: Vec<(String, String)>| {
        Request::builder()
            .method(Method::POST)
            .uri("/survei/DISDUKCAPIL")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(
                header::COOKIE,
                format!("cakap_csrf={csrf}; cakap_survei={device}"),
            )
            .body(Body::from(
                serde_urlencoded::to_string(fields).expect("form"),
            ))
            .expect("request")
    };
    let before = app.scalar("SELECT COUNT(*) FROM survey_responses").await;
    let mut bot = fields.clone();
    bot.push(("website".into(), "http://spam".into()));
    let r = app.send_from(send(bot), "10.2.0.1:1").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM survey_responses").await,
        before
    );
    let r = app.send_from(send(fields.clone()), "10.2.0.1:1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Terima kasih"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM survey_responses").await,
        before + 1
    );
    // Without the token: refused.
    let no_token: Vec<(String, String)> = fields.into_iter().filter(|f| f.0 != "_csrf").collect();
    let r = app.send_from(send(no_token), "10.2.0.2:1").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Readers' pages.
    let admin = app.login("admin").await;
    for path in ["/layanan", "/layanan/RSUD", "/pengaduan"] {
        let r = app.get(path, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }
    let r = app.get("/layanan", Some(&admin)).await;
    assert!(r.body.contains("Dinas Kependudukan") && r.body.contains("RSUD"));
    let kadinkes = app.login("kadinkes").await;
    let r = app.get("/layanan", Some(&kadinkes)).await;
    assert!(
        r.body.contains("Puskesmas") && !r.body.contains("Dinas Kependudukan"),
        "scope"
    );
    assert_eq!(
        app.get("/layanan/DISDUKCAPIL", Some(&kadinkes))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/layanan", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
    // The counter poster and the table as a download.
    let r = app
        .get("/layanan/DISDUKCAPIL/poster.pdf", Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.starts_with("%PDF-") && r.body.contains("/survei/DISDUKCAPIL"));
    let r = app.get("/layanan/BKPSDM/poster.pdf", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .get("/layanan/DISDUKCAPIL/poster.pdf", Some(&kadinkes))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get("/layanan?format=csv", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .starts_with("Kode Unit,Unit,Periode,Responden,IKM,Mutu"),
        "{}",
        r.body
    );
    assert!(r.body.contains("DISDUKCAPIL"));
    // The register is paged; a page that is not a number is the first, one past the end is
    // empty, and the overdue count covers the whole register either way.
    let mut overdue = 0;
    for page in 1.. {
        let r = app
            .get(
                &format!("/api/v1/complaints?per_page=100&page={page}"),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let items = r.json()["items"].as_array().expect("items").clone();
        overdue += items.iter().filter(|c| c["overdue"] == true).count();
        if items.len() < 100 {
            break;
        }
    }
    assert!(overdue > 0, "the demo has overdue complaints");
    for q in ["?page=abc", "?page=-3", "?page=999"] {
        let r = app.get(&format!("/pengaduan{q}"), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert!(
            r.body.contains(&format!("Terlambat: {overdue}</p>")),
            "{q}: the count of every overdue complaint, {overdue}"
        );
    }
    // A complaint through the form: a refusal shows beside the form, a good one redirects.
    let r = app
        .form(
            "/pengaduan",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("unit", "RSUD"),
                ("channel", "loket"),
                ("class", "pengaduan"),
                ("received_on", "2999-01-01"),
                ("summary", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("masa depan"));
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let r = app
        .form(
            "/pengaduan",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("unit", "RSUD"),
                ("channel", "loket"),
                ("class", "pengaduan"),
                ("received_on", &today),
                ("summary", "<b>antrean</b>"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let r = app.get(&to, Some(&admin)).await;
    assert!(r.body.contains("&#60;b&#62;antrean&#60;/b&#62;"));
}

async fn service_and_competency_side_by_side(app: &TestApp) {
    let admin = app.login("admin").await;
    let r = app
        .get("/api/v1/service-quality/units/RSUD", Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    let periods = v["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3);
    let year = chrono::Local::now().format("%Y").to_string();
    let now = &periods[2];
    assert_eq!(now["period"], year);
    assert!(
        now["ikm"]
            .as_f64()
            .is_some_and(|i| (25.0..=100.0).contains(&i)),
        "{now}"
    );
    assert!(now["respondents"].as_i64().unwrap_or(0) > 0);
    // JPM has no history: only the current year carries it.
    assert_eq!(periods[0]["jpm_avg"], Value::Null);
    // A correlation only with enough units, and then between −1 and 1.
    let c = &v["correlation"];
    let n = c["n"].as_u64().unwrap_or(0);
    assert_eq!(c["enough"], n >= 8, "{c}");
    match c["ikm_jpm"].as_f64() {
        Some(r) => assert!(n >= 8 && (-1.0..=1.0).contains(&r), "{c}"),
        None => assert!(n < 8 || c["points"].as_array().is_some(), "{c}"),
    }
    // Scoped: a pimpinan sees their own units only; an ASN nothing; other tenants' units 404.
    let kadinkes = app.login("kadinkes").await;
    assert_eq!(
        app.get("/api/v1/service-quality/units/PKM.01", Some(&kadinkes))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/service-quality/units/RSUD", Some(&kadinkes))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/api/v1/service-quality/units/RSUD", Some(&asn))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let other = common::other_tenant(app).await;
    let r = app
        .get(
            &format!("/api/v1/service-quality/units/{}", other.unit),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The page says it in words, without claiming a cause.
    let r = app.get("/layanan/RSUD", Some(&admin)).await;
    assert_eq!(
        r.body.contains("chart scatter"),
        n >= 2,
        "the scatter, with its table"
    );
    assert!(
        r.body.contains("bukan sebab-akibat") || r.body.contains("data belum cukup"),
        "{}",
        r.body
    );
}

/// The 30 days a complaint may be lodged in, and the yearly SKM report of a unit.
async fn the_report_and_the_lodging_limit(app: &TestApp) {
    let admin = app.login("admin").await;
    let today = chrono::Local::now().date_naive();
    let day = |back: i64| {
        (today - chrono::Duration::days(back))
            .format("%Y-%m-%d")
            .to_string()
    };
    let new = |served: String| {
        json!({"unit": "RSUD", "channel": "loket", "class": "pengaduan",
            "received_on": day(0), "served_on": served, "summary": "Obat tidak tersedia"})
    };
    let before = app.scalar("SELECT COUNT(*) FROM complaints").await;
    for (served, key) in [
        (day(31), "30 hari"),
        (day(-1), "sesudah"),
        ("31-02-2026".to_string(), ""),
    ] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/complaints",
                Some(&admin),
                Some(new(served.clone())),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{served}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["field"], "served_on", "{}", r.body);
        assert!(r.error_message().contains(key), "{}", r.body);
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM complaints").await, before);
    let r = app
        .api(
            Method::POST,
            "/api/v1/complaints",
            Some(&admin),
            Some(new(day(30))),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["served_on"], day(30));
    assert_eq!(r.json()["late"], false);
    // The same limit on the page form, in the user's language.
    let r = app
        .form(
            "/pengaduan",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("unit", "RSUD"),
                ("channel", "loket"),
                ("class", "aspirasi"),
                ("received_on", &day(0)),
                ("served_on", &day(45)),
                ("summary", "Parkir penuh"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("lebih dari 30 hari"), "{}", r.body);

    // The yearly report: a PDF with its sections, for those who may read the unit.
    let year = today.format("%Y").to_string();
    let path = format!("/api/v1/service-quality/units/RSUD/report?period={year}");
    let r = app.get(&path, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(r.body.starts_with("%PDF-"));
    for s in [
        "3. Profil responden",
        "4. Nilai per unsur",
        "7. Rencana tindak lanjut",
        "Krejcie",
    ] {
        assert!(r.body.contains(s), "missing {s}");
    }
    let page = app
        .get(
            &format!("/layanan/RSUD/laporan.pdf?period={year}-S1"),
            Some(&admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.starts_with("%PDF-"));
    let r = app
        .get(
            "/api/v1/service-quality/units/RSUD/report?period=2026-S3",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let kadinkes = app.login("kadinkes").await;
    assert_eq!(
        app.get(&path, Some(&kadinkes)).await.status,
        StatusCode::NOT_FOUND
    );
    let asn = app.login("asn").await;
    assert_eq!(
        app.get(&path, Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
    let other = common::other_tenant(app).await;
    let r = app
        .get(
            &format!(
                "/api/v1/service-quality/units/{}/report?period={year}",
                other.unit
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A unit that serves no public has no survey and no report.
    let r = app
        .get(
            &format!("/api/v1/service-quality/units/BKPSDM/report?period={year}"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // The unit page links the report and shows the staff's public-service competencies.
    let r = app.get("/layanan/RSUD", Some(&admin)).await;
    assert!(r.body.contains("/layanan/RSUD/laporan.pdf"), "{}", r.body);
    let v = app
        .get("/api/v1/service-quality/units/RSUD", Some(&admin))
        .await
        .json();
    assert!(v["periods"][2]["late"].as_i64().is_some(), "{v}");
    assert!(v["service_competencies"].as_array().is_some(), "{v}");
}

both_backends!(
    the_report_and_the_lodging_limit,
    service_and_competency_side_by_side,
    the_survey_is_public_checked_and_limited,
    the_ikm_follows_the_regulation,
    complaints_move_through_their_steps,
    the_pages_work_for_each_reader,
);
