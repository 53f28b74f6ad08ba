//! The HTML side: login form with CSRF, forms that change data, the language switch.

mod common;

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
