//! The HTML side: login form with CSRF, forms that change data, the language switch.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;

both_backends!(
    login_form_needs_its_csrf_token_and_rotates_the_session,
    forms_refuse_a_missing_or_wrong_csrf_token_and_change_nothing,
    employee_form_saves_audits_and_reports_errors_in_place,
    language_switch_is_remembered,
    unit_and_position_forms_work,
    the_import_page_checks_then_imports,
);

async fn the_import_page_checks_then_imports(app: &TestApp) {
    let s = app.login("admin").await;
    let csv =
        "NIP,Nama,Status,Golongan,Kode Unit\n199202142019032001,Nurul Aini,PNS,III/b,PKM.06\n";
    let form = |mode: &str, token: &str| {
        let boundary = "pageBoundary42";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nemployees\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n{mode}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n\r\n{csv}\r\n--{boundary}--\r\n"
        );
        Request::post(format!("/imports?_csrf={token}"))
            .header(header::COOKIE, format!("cakap_session={}", s.cookie))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("req")
    };
    let before = app.scalar("SELECT COUNT(*) FROM employees").await;
    assert_eq!(
        app.send(form("commit", "forged")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.send(form("check", &s.csrf)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Pemeriksaan selesai"),
        "checked, nothing saved"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM employees").await, before);
    let r = app.send(form("commit", &s.csrf)).await;
    assert!(r.body.contains("Impor selesai"), "{}", r.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM employees").await,
        before + 1
    );
}

async fn login_form_needs_its_csrf_token_and_rotates_the_session(app: &TestApp) {
    let page = app.get("/login", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let pre = page.cookie("cakap_csrf").expect("pre-session token");
    assert!(
        page.body
            .contains(&format!("name=\"_csrf\" value=\"{pre}\""))
    );
    let post = |token: &str, cookie: &str| {
        Request::post("/login")
            .header(header::COOKIE, format!("cakap_csrf={cookie}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "_csrf={token}&username=admin&password={}&next=%2Femployees",
                common::PASSWORD
            )))
            .expect("req")
    };
    assert_eq!(
        app.send(post("forged", &pre)).await.status,
        StatusCode::FORBIDDEN
    );
    let ok = app.send(post(&pre, &pre)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ok.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/employees")
    );
    let first = ok.cookie("cakap_session").expect("session");
    let again = app
        .send(post(&pre, &pre))
        .await
        .cookie("cakap_session")
        .expect("session");
    assert_ne!(first, again, "a new session id at every login");
    // Off-site redirects are not followed.
    let evil = Request::post("/login")
        .header(header::COOKIE, format!("cakap_csrf={pre}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "_csrf={pre}&username=admin&password={}&next=%2F%2Fevil.example",
            common::PASSWORD
        )))
        .expect("req");
    assert_eq!(
        app.send(evil)
            .await
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/")
    );
    // A wrong password re-shows the form with the message and the username kept.
    let bad = Request::post("/login")
        .header(header::COOKIE, format!("cakap_csrf={pre}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "_csrf={pre}&username=admin&password=wrong-password"
        )))
        .expect("req");
    let r = app.send(bad).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Nama pengguna atau kata sandi salah."));
}

async fn forms_refuse_a_missing_or_wrong_csrf_token_and_change_nothing(app: &TestApp) {
    let s = app.login("admin").await;
    let units = app.scalar("SELECT COUNT(*) FROM units").await;
    let fields = [("code", "CSRF.1"), ("name", "Uji")];
    let r = app.form("/units", &s, &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Formulir kedaluwarsa"));
    let r = app
        .form(
            "/units",
            &s,
            &[("_csrf", "0000"), ("code", "CSRF.1"), ("name", "Uji")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM units").await, units);
    let r = app
        .form(
            "/units",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("code", "CSRF.1"),
                ("name", "Uji"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM units").await, units + 1);
    // htmx sends the token as a header.
    let req = Request::post("/logout")
        .header(header::COOKIE, format!("cakap_session={}", s.cookie))
        .header("x-csrf-token", s.csrf.clone())
        .body(Body::empty())
        .expect("req");
    assert_eq!(app.send(req).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/", Some(&s)).await.status,
        StatusCode::SEE_OTHER,
        "logged out"
    );
}

async fn employee_form_saves_audits_and_reports_errors_in_place(app: &TestApp) {
    let s = app.login("admin").await;
    let e = app
        .get("/api/v1/employees?unit=PKM.06&per_page=1", Some(&s))
        .await
        .json()["items"][0]
        .clone();
    let nip = e["nip"].as_str().expect("nip").to_string();
    let edit = app.get(&format!("/employees/{nip}/edit"), Some(&s)).await;
    assert_eq!(edit.status, StatusCode::OK);
    let version = e["version"].to_string();
    let position = e["position"].to_string();
    let base = vec![
        ("_csrf", s.csrf.clone()),
        ("name", "Nama Baru".to_string()),
        ("status", e["status"].as_str().expect("status").to_string()),
        ("golongan", e["golongan"].as_str().unwrap_or("").to_string()),
        ("unit", "PKM.06".to_string()),
        ("position", position),
        ("email", "".to_string()),
        ("phone", "0812 6000 1234".to_string()),
        ("active", "1".to_string()),
        ("version", version),
    ];
    let fields: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.form(&format!("/employees/{nip}"), &s, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = app
        .get(&format!("/api/v1/employees/{nip}"), Some(&s))
        .await
        .json();
    assert_eq!(
        (
            after["name"].as_str(),
            after["phone"].as_str(),
            after["email"].clone()
        ),
        (
            Some("Nama Baru"),
            Some("0812 6000 1234"),
            serde_json::Value::Null
        )
    );
    let log = app
        .get("/api/v1/audit?entity=employee", Some(&s))
        .await
        .json();
    assert_eq!(log["items"][0]["entity_id"], nip.as_str());
    assert_eq!(log["items"][0]["after"]["name"], "Nama Baru");
    // The same form again with the old version: refused in place, nothing changed.
    let r = app.form(&format!("/employees/{nip}"), &s, &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("baru saja diubah"), "stale message");
    // A new employee with a bad NIP: the form comes back with the precise message.
    let r = app
        .form(
            "/employees",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("nip", "197413072002121008"),
                ("name", "X"),
                ("status", "PNS"),
                ("unit", "PKM.06"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("NIP: tanggal lahir 19741307 tidak valid"));
    assert!(r.body.contains("aria-invalid=\"true\""));
    // A non-number position id is refused like an unknown one, not a crash.
    let r = app
        .form(
            "/employees",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("nip", "199001012021211001"),
                ("name", "X"),
                ("status", "PPPK"),
                ("unit", "PKM.06"),
                ("position", "' OR 1=1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn language_switch_is_remembered(app: &TestApp) {
    let s = app.login("admin").await;
    let home = app.get("/", Some(&s)).await;
    assert!(home.body.contains("<h1>Beranda</h1>"));
    let r = app
        .form(
            "/lang",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("lang", "en"),
                ("next", "/employees"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/employees")
    );
    assert!(r.cookie("cakap_lang").is_some_and(|v| v == "en"));
    // The account remembers it, even without the cookie.
    let list = app.get("/employees", Some(&s)).await;
    assert!(
        list.body.contains("<h1>Employees</h1>"),
        "English after the switch"
    );
    assert!(list.body.contains("lang=\"en\""));
    let req = Request::get("/")
        .header(
            header::COOKIE,
            format!("cakap_session={}; cakap_lang=id", s.cookie),
        )
        .body(Body::empty())
        .expect("req");
    assert!(
        app.send(req).await.body.contains("<h1>Home</h1>"),
        "the account setting wins over the cookie"
    );
    // Before login, Accept-Language decides.
    let req = Request::get("/login")
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .expect("req");
    assert!(app.send(req).await.body.contains("Log in to Cakap"));
    let _ = Method::GET;
}

async fn unit_and_position_forms_work(app: &TestApp) {
    let s = app.login("admin").await;
    let r = app
        .form(
            "/units",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("code", "PKM.10"),
                ("name", "Pustu Lhok Gajah"),
                ("parent", "PKM.06"),
                ("kecamatan", "11.12.06"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .form(
            "/positions",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("name", "Bidan Terampil"),
                ("unit", "PKM.10"),
                ("kind", "fungsional"),
                ("jenjang", "terampil"),
                ("kelas", "7"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get("/units/PKM.10", Some(&s)).await;
    assert!(page.body.contains("Bidan Terampil") && page.body.contains("Babahrot"));
    // A jenjang on a non-functional position is refused with the field marked.
    let r = app
        .form(
            "/positions",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("name", "Kepala"),
                ("unit", "PKM.10"),
                ("kind", "pengawas"),
                ("jenjang", "ahli_muda"),
                ("kelas", "20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The pimpinan of Babahrot sees the new sub-unit; the pimpinan of Dinkes too.
    let kapus = app.login("kapus.babahrot").await;
    assert_eq!(
        app.get("/units/PKM.10", Some(&kapus)).await.status,
        StatusCode::OK
    );
    // Deleting a unit with positions is refused on the page with the reason.
    let r = app
        .form("/units/PKM.10/delete", &s, &[("_csrf", s.csrf.as_str())])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("masih memiliki"));
}

both_backends!(
    position_standard_is_edited_and_copied_on_its_page,
    dictionary_pages_add_edit_retire_and_search,
);

async fn first_position(app: &TestApp, s: &common::Session, unit: &str) -> (i64, String) {
    let p = app
        .get(&format!("/api/v1/positions?unit={unit}"), Some(s))
        .await
        .json()["items"][0]
        .clone();
    (
        p["id"].as_i64().expect("id"),
        p["name"].as_str().expect("name").to_string(),
    )
}

async fn position_standard_is_edited_and_copied_on_its_page(app: &TestApp) {
    let s = app.login("admin").await;
    let (id, name) = first_position(app, &s, "PKM.06").await;
    let page = app.get(&format!("/positions/{id}"), Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&name) && page.body.contains("name=\"level.M.01\""));
    let levels = |v: &serde_json::Value| -> Vec<(String, i64)> {
        v.as_array()
            .expect("set")
            .iter()
            .map(|r| {
                let code = r["competency"].as_str().expect("code").to_string();
                (code, r["level"].as_i64().expect("level"))
            })
            .collect()
    };
    let path = format!("/api/v1/positions/{id}/requirements");
    let before = levels(&app.get(&path, Some(&s)).await.json());
    // Level 9 and an unknown competency: refused in words, nothing changes.
    for (field, value) in [("level.M.01", "9"), ("level.NOPE", "2")] {
        let r = app
            .form(
                &format!("/positions/{id}/standards"),
                &s,
                &[("_csrf", s.csrf.as_str()), (field, value)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(r.body.contains("role=\"alert\""), "{}", r.body);
        assert_eq!(levels(&app.get(&path, Some(&s)).await.json()), before);
    }
    let r = app
        .form(
            &format!("/positions/{id}/standards"),
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("level.M.01", "4"),
                ("level.M.02", "0"),
                ("level.T.BNC.01", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        levels(&app.get(&path, Some(&s)).await.json()),
        [("M.01".to_string(), 4), ("T.BNC.01".to_string(), 3)]
    );
    // Another position takes this standard as its own.
    let (other, _) = first_position(app, &s, "DINKES").await;
    let r = app
        .form(
            &format!("/positions/{other}/standards/copy"),
            &s,
            &[("_csrf", s.csrf.as_str()), ("from", &id.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let copied = app
        .get(&format!("/api/v1/positions/{other}/requirements"), Some(&s))
        .await
        .json();
    assert_eq!(levels(&copied).len(), 2);
    // Copying from a position that does not exist is an error on the page.
    let r = app
        .form(
            &format!("/positions/{other}/standards/copy"),
            &s,
            &[("_csrf", s.csrf.as_str()), ("from", "' OR 1=1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The API copies too.
    let r = app
        .api(
            axum::http::Method::POST,
            &format!("/api/v1/positions/{id}/requirements/copy"),
            Some(&s),
            Some(serde_json::json!({ "from": other })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A pimpinan reads the standard of their own unit's positions, edits none, and does not
    // see other units' positions.
    let kapus = app.login("kapus.babahrot").await;
    let page = app.get(&format!("/positions/{id}"), Some(&kapus)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("name=\"level.M.01\""));
    assert_eq!(
        app.get(&format!("/positions/{other}"), Some(&kapus))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .form(
            &format!("/positions/{id}/standards"),
            &kapus,
            &[("_csrf", kapus.csrf.as_str()), ("level.M.01", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Without the CSRF token nothing is saved.
    let r = app
        .form(
            &format!("/positions/{id}/standards"),
            &s,
            &[("level.M.01", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        levels(&app.get(&path, Some(&s)).await.json())[0],
        ("M.01".to_string(), 4),
        "as copied back from the other position, untouched since"
    );
}

async fn dictionary_pages_add_edit_retire_and_search(app: &TestApp) {
    let s = app.login("admin").await;
    let mut fields = vec![
        ("_csrf", s.csrf.as_str()),
        ("code", "T.AIR.01"),
        ("name", "<script>alert(1)</script> Pengelolaan Air Bersih"),
        ("kind", "teknis"),
        ("crisis", "on"),
    ];
    let levels = [
        ("level1", "Mengenal"),
        ("level2", "Menerapkan"),
        ("level3", "Mengelola"),
        ("level4", "Mengembangkan"),
        ("level5", "Merumuskan kebijakan"),
    ];
    fields.extend(levels);
    let r = app.form("/competencies", &s, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get("/competencies?q=air+bersih", Some(&s)).await;
    assert!(list.body.contains("T.AIR.01"), "search finds it");
    assert!(!list.body.contains("<script>alert(1)"), "escaped");
    assert!(!list.body.contains("M.01"), "search filters the rest out");
    // The same code again is refused on the form.
    let r = app.form("/competencies", &s, &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // A missing descriptor is refused and names the problem.
    let r = app
        .form(
            "/competencies/T.AIR.01",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("name", "Air Bersih"),
                ("kind", "teknis"),
                ("level1", "a"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Editing makes version 2; unticking "active" retires it.
    let mut edit = vec![
        ("_csrf", s.csrf.as_str()),
        ("name", "Pengelolaan Air Bersih"),
        ("kind", "teknis"),
        ("version", "1"),
    ];
    edit.extend(levels);
    let r = app.form("/competencies/T.AIR.01", &s, &edit).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let k = app
        .get("/api/v1/competencies/T.AIR.01", Some(&s))
        .await
        .json();
    assert_eq!(
        (
            k["version"].as_i64(),
            k["active"].as_bool(),
            k["crisis"].as_bool()
        ),
        (Some(2), Some(false), Some(false))
    );
    // A stale version is refused.
    let r = app.form("/competencies/T.AIR.01", &s, &edit).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let form = app.get("/competencies/T.AIR.01/edit", Some(&s)).await;
    assert!(form.body.contains("Merumuskan kebijakan"));
    // Only admin edits the dictionary.
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/competencies/new", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .form(
            "/competencies",
            &asn,
            &[("_csrf", asn.csrf.as_str()), ("code", "X.1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

both_backends!(
    a_supervisor_rates_on_the_page_and_sees_the_curve,
    the_talent_map_page_drills_down_and_exports,
);

fn this_quarter() -> String {
    use chrono::Datelike;
    let today = chrono::Local::now().date_naive();
    format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1)
}

async fn a_supervisor_rates_on_the_page_and_sees_the_curve(app: &TestApp) {
    let kapus = app.login("kapus.babahrot").await;
    let page = app.get("/performance?unit=PKM.06", Some(&kapus)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Sebaran predikat") || page.body.contains("Belum dinilai"));
    let plans = app
        .get(
            &format!(
                "/api/v1/performance/plans?period={}&unit=PKM.06",
                this_quarter()
            ),
            Some(&kapus),
        )
        .await
        .json();
    let me = app
        .get(
            "/api/v1/employees?per_page=1",
            Some(&app.login("asn").await),
        )
        .await
        .json()["items"][0]["nip"]
        .clone();
    let plan = plans
        .as_array()
        .expect("plans")
        .iter()
        .find(|p| p["status"] == "submitted" && p["nip"] != me)
        .expect("a submitted plan")
        .clone();
    let id = plan["id"].as_i64().expect("id");
    let page = app
        .get(&format!("/performance/plans/{id}"), Some(&kapus))
        .await;
    assert!(
        page.body.contains("name=\"hasil_kerja\"") && page.body.contains("Berorientasi Pelayanan")
    );
    let csrf = kapus.csrf.clone();
    let r = app
        .form(
            &format!("/performance/plans/{id}/evaluate"),
            &kapus,
            &[
                ("_csrf", csrf.as_str()),
                ("hasil_kerja", "di_atas"),
                ("perilaku_kerja", "di_atas"),
                ("v.berorientasi_pelayanan", "di_atas"),
                ("v.akuntabel", "di_atas"),
                ("v.kompeten", "sesuai"),
                ("v.harmonis", "di_atas"),
                ("v.loyal", "di_atas"),
                ("v.adaptif", "di_atas"),
                ("v.kolaboratif", "di_atas"),
                ("strengths", "M.01"),
                ("strengths", "M.05"),
                ("weaknesses", "M.07"),
                ("note", "<script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app
        .get(&format!("/performance/plans/{id}"), Some(&kapus))
        .await;
    assert!(page.body.contains("<strong>Sangat Baik</strong>"));
    assert!(!page.body.contains("<script>alert(1)"), "escaped");
    // A bad rating is refused on the page, in words; without the token nothing happens.
    let r = app
        .form(
            &format!("/performance/plans/{id}/evaluate"),
            &kapus,
            &[("_csrf", csrf.as_str()), ("hasil_kerja", "luar_biasa")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("role=\"alert\""));
    let r = app
        .form(&format!("/performance/plans/{id}/finalize"), &kapus, &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .form(
            &format!("/performance/plans/{id}/finalize"),
            &kapus,
            &[("_csrf", csrf.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app
        .get(&format!("/performance/plans/{id}"), Some(&kapus))
        .await;
    assert!(page.body.contains("ditetapkan") && !page.body.contains("name=\"hasil_kerja\""));
    // The ASN sees their own plans, not this one.
    let asn = app.login("asn").await;
    let mine = app.get("/performance", Some(&asn)).await;
    assert!(mine.body.contains("Rencana kinerja saya"));
    if plan["nip"] != me {
        assert_eq!(
            app.get(&format!("/performance/plans/{id}"), Some(&asn))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

async fn the_talent_map_page_drills_down_and_exports(app: &TestApp) {
    let admin = app.login("admin").await;
    let page = app.get("/talent", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("class=\"nb-cell").count(), 9);
    let page = app.get("/talent?box=9", Some(&admin)).await;
    assert!(page.body.contains("Promosi dan pertahankan"));
    let csv = app.get("/talent?box=9&format=csv", Some(&admin)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body
            .starts_with("NIP,Nama,Unit,Predikat,Skor Potensi,Kotak")
    );
    let all = app.get("/talent?format=csv", Some(&admin)).await;
    let placed = app.get("/api/v1/talent/ninebox", Some(&admin)).await.json();
    let _ = placed;
    assert!(all.body.lines().count() > 100, "every box in one file");
    let key = app
        .get("/api/v1/talent/key-positions", Some(&admin))
        .await
        .json()[0]["position_id"]
        .as_i64()
        .expect("key position");
    let page = app
        .get(&format!("/talent/succession/{key}"), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Calon suksesor"));
    let csv = app
        .get(
            &format!("/talent/succession/{key}?format=csv"),
            Some(&admin),
        )
        .await;
    assert!(
        csv.body
            .starts_with("Peringkat,NIP,Nama,Unit,Jabatan,Kotak,JPM,Kesenjangan")
    );
    let r = app
        .form(
            &format!("/positions/{key}/key"),
            &admin,
            &[("_csrf", admin.csrf.as_str()), ("key", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A potential score entered on the profile.
    let nip = app
        .get("/api/v1/employees?unit=PKM.06&per_page=1", Some(&admin))
        .await
        .json()["items"][0]["nip"]
        .as_str()
        .expect("nip")
        .to_string();
    let path = format!("/employees/{nip}/potential");
    let r = app
        .form(
            &path,
            &admin,
            &[
                ("_csrf", admin.csrf.as_str()),
                ("year", "2026"),
                ("score", "91,5"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/employees/{nip}"), Some(&admin)).await;
    assert!(
        page.body.contains("<strong>91.50</strong> (tinggi)"),
        "shown with its tier"
    );
    let r = app
        .form(
            &path,
            &admin,
            &[
                ("_csrf", admin.csrf.as_str()),
                ("year", "2026"),
                ("score", "101"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("0 sampai 100"));
    let kapus = app.login("kapus.babahrot").await;
    let r = app
        .form(
            &path,
            &kapus,
            &[
                ("_csrf", kapus.csrf.as_str()),
                ("year", "2026"),
                ("score", "99"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/talent", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
    // An ASN's own profile does not show their potential score, even when one is recorded;
    // the profile page reads it only for those who read the talent map.
    let own = app
        .scalar_text(
            "SELECT e.nip FROM users u JOIN employees e ON e.id = u.employee_id \
             WHERE u.username = 'asn'",
        )
        .await;
    let r = app
        .form(
            &format!("/employees/{own}/potential"),
            &admin,
            &[
                ("_csrf", admin.csrf.as_str()),
                ("year", "2026"),
                ("score", "77"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        app.get(&format!("/employees/{own}"), Some(&admin))
            .await
            .body
            .contains("id=\"potential\"")
    );
    let mine = app.get(&format!("/employees/{own}"), Some(&asn)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(
        !mine.body.contains("id=\"potential\""),
        "no potential section"
    );
    assert!(!mine.body.contains("<strong>77.00</strong>"));
    assert_eq!(
        app.get("/talent?box=%27%20OR%201%3D1&year=abc", Some(&admin))
            .await
            .status,
        StatusCode::OK,
        "bad filters fall back to the defaults"
    );
}
