//! The other interop paths through the real router and a real database: the Moodle
//! completions import, the SIASN training-history export, and the outside ids a course
//! carries (mapping one credits what waited for it).

use crate::common;

use axum::http::{Method, StatusCode};
use common::xapi::{HOME, client_of, completed, completions_of, learner, xapi};
use common::{TestApp, upload};
use serde_json::{Value, json};

both_backends!(
    moodle_completions_import_and_siasn_export,
    the_course_carries_its_outside_ids,
);

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
