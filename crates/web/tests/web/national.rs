//! The national view through the real router and a real database (docs/national.md): the
//! figures equal what the test counts itself in the regency, a second government joins its
//! province, only the national super-tenant sees any of it, bad input changes nothing, the
//! hourly job recomputes; on PostgreSQL the generator lays out a province from the demo.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{TestApp, get_json};
use serde_json::{Value, json};

both_backends!(
    figures_follow_the_regency,
    only_the_national_tenant_sees_it,
    bad_input_is_refused,
    the_hourly_job_recomputes
);

/// The national view's year: WIB's, whatever the machine's zone.
fn year() -> i64 {
    cakap_services::national::this_year()
}

fn close(a: f64, b: f64, eps: f64) -> bool {
    (a - b).abs() <= eps
}

async fn figures_follow_the_regency(app: &TestApp) {
    let y = year();
    let bkn = app.login("bkn").await;
    let n = get_json(app, &bkn, "/api/v1/national").await;
    assert_eq!(n["year"], y);
    let lines = n["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), 1, "only Aceh has a government: {n}");
    let aceh = &lines[0];
    assert_eq!(aceh["code"], "11");
    assert_eq!(aceh["name"], "Aceh");
    assert_eq!(aceh["governments"], 1);

    // What the test counts itself in the regency.
    let t = app.tenant;
    let people = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM employees WHERE tenant_id = {t} AND active = TRUE"
        ))
        .await;
    let reached = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM employees e WHERE e.tenant_id = {t} AND e.active = TRUE AND \
             COALESCE((SELECT SUM(en.jp) FROM enrollments en WHERE en.tenant_id = e.tenant_id \
               AND en.employee_id = e.id AND en.status = 'completed' \
               AND en.completed_on >= '{y}-01-01' AND en.completed_on <= '{y}-12-31'), 0) + \
             COALESCE((SELECT SUM(a.jp) FROM activities a WHERE a.tenant_id = e.tenant_id \
               AND a.employee_id = e.id AND a.status = 'approved' \
               AND a.ended_on >= '{y}-01-01' AND a.ended_on <= '{y}-12-31'), 0) >= 20"
        ))
        .await;
    assert_eq!(aceh["people"], people);
    let share = (reached as f64 * 1000.0 / people as f64).round() / 10.0;
    assert_eq!(aceh["share_20jp"].as_f64(), Some(share));
    // JPM: the mean of the stored JPM, which equity shows too; IKM: the dashboard's.
    let admin = app.login("admin").await;
    let equity = get_json(app, &admin, &format!("/api/v1/equity?year={y}")).await;
    let jpm = aceh["jpm"].as_f64().expect("jpm");
    assert!(
        close(
            jpm,
            equity["all"]["jpm_avg"].as_f64().expect("equity jpm"),
            0.011
        ),
        "{jpm} vs {}",
        equity["all"]["jpm_avg"]
    );
    let dashboard = get_json(app, &admin, &format!("/api/v1/dashboard?year={y}")).await;
    assert_eq!(
        aceh["ikm"], dashboard["ikm"],
        "IKM as the dashboard counts it"
    );
    assert!(aceh["ikm"].as_f64().is_some(), "the demo has surveys");
    assert_eq!(n["total"]["people"], people);
    assert!(n["computed_at"].as_i64().expect("computed_at") > 0);

    // A second government of Aceh joins its province once the job has run.
    let _other = common::other_tenant(app).await;
    let jpm = cakap_services::national::Jpm::IfMissing;
    cakap_services::national::refresh(&app.db, y, jpm, None, &|_, _| {})
        .await
        .expect("refresh");
    let n = get_json(app, &bkn, "/api/v1/national").await;
    assert_eq!(n["lines"][0]["governments"], 2);
    assert_eq!(n["lines"][0]["people"], people + 1);
    let by_government = get_json(app, &bkn, "/api/v1/national?province=11").await;
    assert_eq!(by_government["province"]["code"], "11");
    let codes: Vec<&str> = by_government["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["11.06", "11.12"]);
    assert_eq!(by_government["lines"][0]["people"], 1);
    assert_eq!(
        by_government["lines"][0]["jpm"],
        Value::Null,
        "no standard, no JPM"
    );
    assert_eq!(by_government["total"]["people"], people + 1);

    // The page, its drill-down and its download.
    let page = app.get("/nasional", Some(&bkn)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kompetensi ASN nasional"));
    assert!(page.body.contains("href=\"/nasional?year="));
    assert!(page.body.contains("Aceh"));
    let page = app.get("/nasional?provinsi=11", Some(&bkn)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kabupaten Aceh Barat Daya"));
    assert!(page.body.contains("Kabupaten Aceh Besar"));
    let csv = app
        .get("/nasional?provinsi=11&format=csv", Some(&bkn))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body
            .starts_with("kode,nama,pemerintah_daerah,jumlah_asn,rata_rata_jpm,persen_20_jp,ikm"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("11.12,Kabupaten Aceh Barat Daya,1,"));
    // Home is the national view; the navigation has nothing of a regency.
    let home = app.get("/", Some(&bkn)).await;
    assert!(home.status.is_redirection(), "{}", home.status);
    assert_eq!(home.headers["location"], "/nasional");
    let page = app.get("/nasional", Some(&bkn)).await;
    assert!(page.body.contains("href=\"/nasional\""));
    for regency in ["/employees", "/units", "/dashboard", "/learn"] {
        assert!(
            !page.body.contains(&format!("href=\"{regency}\"")),
            "{regency}"
        );
    }
}

async fn only_the_national_tenant_sees_it(app: &TestApp) {
    for who in ["admin", "auditor", "kadinkes", "asn", "instruktur"] {
        let s = app.login(who).await;
        assert_eq!(
            app.get("/api/v1/national", Some(&s)).await.status,
            StatusCode::NOT_FOUND,
            "{who}"
        );
        assert_eq!(
            app.get("/nasional", Some(&s)).await.status,
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
    assert_eq!(
        app.get("/api/v1/national", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The national login reads figures, not people, and writes nothing.
    let bkn = app.login("bkn").await;
    let employees = get_json(app, &bkn, "/api/v1/employees").await;
    assert_eq!(employees["items"], json!([]), "no regency's people");
    let nip = app
        .scalar_text(&format!(
            "SELECT nip FROM employees WHERE tenant_id = {} LIMIT 1",
            app.tenant
        ))
        .await;
    assert_eq!(
        app.get(&format!("/api/v1/employees/{nip}"), Some(&bkn))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let before = app.scalar("SELECT COUNT(*) FROM units").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/units",
            Some(&bkn),
            Some(json!({"code": "X.1", "name": "Unit Nasional"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM units").await, before);
}

async fn bad_input_is_refused(app: &TestApp) {
    let bkn = app.login("bkn").await;
    for year in ["1999", "2101"] {
        let r = app
            .get(&format!("/api/v1/national?year={year}"), Some(&bkn))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{year}");
        assert_eq!(r.error_message(), "Tahun harus antara 2000 dan tahun ini.");
    }
    let r = app.get("/api/v1/national?year=abc", Some(&bkn)).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    for province in [
        "99",
        "%27%20OR%201%3D1",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "11.12",
    ] {
        let r = app
            .get(&format!("/api/v1/national?province={province}"), Some(&bkn))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{province}");
        assert!(!r.body.contains("<script>"));
        let page = app
            .get(&format!("/nasional?provinsi={province}"), Some(&bkn))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{province}");
        assert!(!page.body.contains("<script>"));
    }
}

async fn the_hourly_job_recomputes(app: &TestApp) {
    let bkn = app.login("bkn").await;
    let people = |n: &Value| n["total"]["people"].as_i64().expect("people");
    let before = people(&get_json(app, &bkn, "/api/v1/national").await);
    // One ASN leaves: the view reads the figures, so it moves only when the job has run.
    let gone = app
        .sql(&format!(
            "UPDATE employees SET active = FALSE WHERE tenant_id = {} AND id = \
             (SELECT MIN(id) FROM employees WHERE tenant_id = {} AND active = TRUE)",
            app.tenant, app.tenant
        ))
        .await
        .expect("update");
    assert_eq!(gone, 1);
    assert_eq!(
        people(&get_json(app, &bkn, "/api/v1/national").await),
        before
    );
    let mut c = app.db.begin().await.expect("tx");
    cakap_services::national::schedule(&mut c, cakap_store::now_ms())
        .await
        .expect("schedule");
    c.commit().await.expect("commit");
    let pending = || {
        let q = format!(
            "SELECT COUNT(*) FROM jobs WHERE kind = '{}' AND state = 'pending'",
            cakap_services::national::JOB
        );
        async move { app.scalar(&q).await }
    };
    assert_eq!(pending().await, 1);
    // Two servers' loops at once, when this hour's job is due and the next one not yet: the
    // job runs once.
    let later = cakap_store::now_ms() + 3_600_000;
    let (a, b) = tokio::join!(
        cakap_services::jobs::run_due(&app.db, later),
        cakap_services::jobs::run_due(&app.db, later)
    );
    a.expect("jobs");
    b.expect("jobs");
    let done = format!(
        "SELECT COUNT(*) FROM jobs WHERE kind = '{}' AND state = 'done'",
        cakap_services::national::JOB
    );
    assert_eq!(app.scalar(&done).await, 1);
    assert_eq!(
        people(&get_json(app, &bkn, "/api/v1/national").await),
        before - 1
    );
    // The next hour's refresh is waiting, once.
    assert_eq!(pending().await, 1);
}

/// PostgreSQL only (the generator's copier is PL/pgSQL): Aceh laid out from the demo regency.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generator_lays_out_a_province() {
    let app = TestApp::new(common::Backend::Postgres).await;
    // At 2.4 million for the country, Aceh's own government needs over 22 copies of the
    // test's 400 people (ids past 2^31 from the 22nd); its regencies one to four.
    let opts = cakap_demo::national::NationalOptions {
        asn: 2_400_000,
        provinces: vec!["11".into()],
    };
    // A province that does not exist is refused before anything is written.
    let bad = cakap_demo::national::NationalOptions {
        asn: 10_000,
        provinces: vec!["99".into()],
    };
    assert!(
        cakap_demo::national::generate(&app.db, app.tenant, "11.12", &bad, &|_, _| {})
            .await
            .is_err()
    );
    let s = cakap_demo::national::generate(&app.db, app.tenant, "11.12", &opts, &|_, _| {})
        .await
        .expect("generate");
    // Aceh's province and its 22 other kabupaten/kota.
    assert_eq!((s.governments, s.skipped), (23, 0));
    let governments = app
        .scalar("SELECT COUNT(*) FROM tenants WHERE code LIKE '11%'")
        .await;
    assert_eq!(governments, 24);
    // Each government at its size in the layout, within 10 %.
    let sizes: Vec<(String, i64)> = {
        let mut c = app.db.conn().await.expect("conn");
        cakap_store::fetch_all!(
            c,
            (String, i64),
            "SELECT t.code, CAST(COUNT(*) AS BIGINT) FROM employees e \
             JOIN tenants t ON t.id = e.tenant_id \
             WHERE t.code LIKE '11%' AND t.code <> '11.12' GROUP BY t.code"
        )
        .expect("sizes")
    };
    assert_eq!(sizes.len(), 23);
    let layout = cakap_domain::regions::national_layout(opts.asn);
    for (code, n) in &sizes {
        let want = layout
            .iter()
            .find(|g| &g.code == code)
            .expect("in the layout")
            .asn as i64;
        assert!((n - want).abs() * 10 <= want, "{code}: {n} of {want}");
    }
    assert!(sizes.iter().any(|(_, n)| *n > 22 * 400), "{sizes:?}");
    // Every copied row points into its own government: unit paths, people's units and
    // positions, assessments' people (the foreign keys hold; the paths are checked here).
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM units u WHERE u.path NOT LIKE '%/' || CAST(u.id AS TEXT) || '/' \
             OR EXISTS (SELECT 1 FROM units p WHERE p.tenant_id <> u.tenant_id \
               AND u.path LIKE '%/' || CAST(p.id AS TEXT) || '/%')"
        )
        .await,
        0
    );
    // Assessments per person as in the template.
    let per_person = |code: &str| {
        let q = format!(
            "SELECT CAST(COUNT(*) * 100 / (SELECT COUNT(*) FROM employees e JOIN tenants t \
             ON t.id = e.tenant_id WHERE t.code = '{code}') AS BIGINT) FROM assessments a \
             JOIN tenants t ON t.id = a.tenant_id WHERE t.code = '{code}'"
        );
        let app = &app;
        async move { app.scalar(&q).await }
    };
    let template = per_person("11.12").await;
    let copy = per_person("11.01").await;
    assert!(
        (copy - template).abs() * 10 <= template,
        "{copy} vs {template}"
    );
    // The national view: 24 governments of Aceh, with figures.
    let jpm = cakap_services::national::Jpm::IfMissing;
    cakap_services::national::refresh(&app.db, year(), jpm, None, &|_, _| {})
        .await
        .expect("refresh");
    let bkn = app.login("bkn").await;
    let n = get_json(&app, &bkn, "/api/v1/national").await;
    assert_eq!(n["lines"][0]["governments"], 24);
    let aceh = get_json(&app, &bkn, "/api/v1/national?province=11").await;
    assert_eq!(aceh["lines"].as_array().expect("lines").len(), 24);
    assert!(
        aceh["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .all(|l| l["jpm"].as_f64().is_some())
    );
    // Running it again resumes: nothing copied twice.
    let again = cakap_demo::national::generate(&app.db, app.tenant, "11.12", &opts, &|_, _| {})
        .await
        .expect("again");
    assert_eq!((again.governments, again.skipped), (0, 23));
    // A new employee of the regency still gets an id of its own.
    let max = app.scalar("SELECT MAX(id) FROM employees").await;
    let next = app
        .scalar("SELECT nextval(pg_get_serial_sequence('employees', 'id'))")
        .await;
    assert!(next > max);
}
