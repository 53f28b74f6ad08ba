//! Regulation updates through the real router and a real database: the JDIH register with its
//! relations, files and public feed; campaigns — targeting, acknowledging, amendments that ask
//! again, the course to pass first, compliance and its scoping; the inbox; the reminder jobs;
//! e-mail delivered to a real SMTP server; the pages.

use crate::common;

use axum::http::{Method, StatusCode};
use common::smtp::SmtpSink;
use common::{Session, TestApp};
use serde_json::{Value, json};

async fn post(app: &TestApp, s: &Session, path: &str, body: Value) -> common::Resp {
    app.api(Method::POST, path, Some(s), Some(body)).await
}

async fn patch(app: &TestApp, s: &Session, path: &str, body: Value) -> common::Resp {
    app.api(Method::PATCH, path, Some(s), Some(body)).await
}

fn days(n: i64) -> String {
    (cakap_services::wib::today() + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// A regulation of the test's own, by number.
async fn regulation(app: &TestApp, admin: &Session, nomor: &str, judul: &str) -> i64 {
    let r = post(
        app,
        admin,
        "/api/v1/regulations",
        json!({"jenis": "perbup", "nomor": nomor, "tahun": 2026, "judul": judul,
            "tanggal_penetapan": "2026-03-01", "tanggal_pengundangan": "2026-03-02",
            "subjek": "UJI", "abstrak": "Abstrak peraturan uji."}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().expect("id")
}

async fn campaign(app: &TestApp, admin: &Session, reg: i64, body: Value) -> common::Resp {
    post(
        app,
        admin,
        &format!("/api/v1/regulations/{reg}/campaigns"),
        body,
    )
    .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.scalar(sql).await
}

async fn the_register_checks_its_input(app: &TestApp) {
    let admin = app.login("admin").await;
    let id = regulation(app, &admin, "90", "Uji <script>alert(1)</script> Jam Kerja").await;
    // Stored as given, shown escaped.
    let page = app.get(&format!("/peraturan/{id}"), Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert(1)"), "escaped");
    assert!(page.body.contains("&#60;script&#62;") || page.body.contains("&lt;script&gt;"));
    let before = count(app, "SELECT COUNT(*) FROM regulations").await;
    for (body, status, field) in [
        (
            json!({"jenis": "perbup", "nomor": "90", "tahun": 2026, "judul": "Lagi"}),
            StatusCode::CONFLICT,
            "nomor",
        ),
        (
            json!({"jenis": "peraturan", "nomor": "91", "tahun": 2026, "judul": "X"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "jenis",
        ),
        (
            json!({"jenis": "perbup", "nomor": "91", "tahun": 1900, "judul": "X"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "tahun",
        ),
        (
            json!({"jenis": "perbup", "nomor": "", "tahun": 2026, "judul": "X"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "nomor",
        ),
        (
            json!({"jenis": "perbup", "nomor": "91", "tahun": 2026, "judul": "X",
                "tanggal_penetapan": "2026-05-01", "tanggal_pengundangan": "2026-04-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "tanggal_pengundangan",
        ),
        (
            json!({"jenis": "perbup", "nomor": "91", "tahun": 2026, "judul": "X",
                "tanggal_berlaku": "' OR 1=1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "tanggal_berlaku",
        ),
    ] {
        let r = post(app, &admin, "/api/v1/regulations", body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert_eq!(r.json()["error"]["field"], field, "{}", r.body);
        assert!(!r.error_message().is_empty());
    }
    // Wrong types are malformed, not a 500.
    let r = post(
        app,
        &admin,
        "/api/v1/regulations",
        json!({"jenis": "perbup", "nomor": "92", "tahun": "dua ribu", "judul": "X"}),
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    assert_eq!(count(app, "SELECT COUNT(*) FROM regulations").await, before);
    // Only BKPSDM writes the register; everyone reads it.
    let asn = app.login("asn").await;
    let r = post(
        app,
        &asn,
        "/api/v1/regulations",
        json!({"jenis": "perbup", "nomor": "93", "tahun": 2026, "judul": "X"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Search is folded (case, accents, word starts) and filters combine.
    let found = app
        .get("/api/v1/regulations?q=JAM%20kerja&jenis=perbup", Some(&asn))
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let titles: Vec<String> = found.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| format!("{} {}", r["nomor"], r["judul"]))
        .collect();
    assert!(titles.iter().any(|t| t.starts_with("\"7\"")), "{titles:?}");
    let revoked = app
        .get(
            "/api/v1/regulations?status=tidak_berlaku&jenis=perbup",
            Some(&asn),
        )
        .await
        .json();
    assert!(
        revoked["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|r| r["nomor"] == "19" && r["revoked_by"].is_null()),
        "the list leaves relations to the record: {revoked}"
    );
    let r = app
        .get("/api/v1/regulations?jenis=undang", Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .get("/api/v1/regulations?q=%27%20OR%201%3D1", Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["total"], 0);
}

async fn relations_revoke_and_amend_without_loops(app: &TestApp) {
    let admin = app.login("admin").await;
    let a = regulation(app, &admin, "80", "Peraturan A").await;
    let b = regulation(app, &admin, "81", "Peraturan B").await;
    let c = regulation(app, &admin, "82", "Peraturan C").await;
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{a}"),
        json!({"relations": [{"type": "mencabut", "target": b}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["relations"][0]["target"], b);
    let rb = app
        .get(&format!("/api/v1/regulations/{b}"), Some(&admin))
        .await
        .json();
    assert_eq!(rb["status"], "tidak_berlaku");
    assert_eq!(rb["revoked_by"], a);
    // C amends A: A stays in force, in version 2, amended by C; shown on both records.
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{c}"),
        json!({"relations": [{"type": "mengubah", "target": a}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ra = app
        .get(&format!("/api/v1/regulations/{a}"), Some(&admin))
        .await
        .json();
    assert_eq!(ra["status"], "berlaku");
    assert_eq!(ra["version"], 2);
    assert_eq!(ra["amended_by"], json!([c]));
    let page = app.get(&format!("/peraturan/{a}"), Some(&admin)).await;
    assert!(page.body.contains("Diubah oleh") && page.body.contains("Mencabut"));
    // Itself, a loop (B → C would close C → A → B), an unknown kind or target: refused.
    for (from, rel) in [
        (a, json!({"type": "mengubah", "target": a})),
        (b, json!({"type": "mengubah", "target": c})),
        (a, json!({"type": "menghapus", "target": c})),
        (a, json!({"type": "mencabut", "target": 999_999})),
    ] {
        let r = patch(
            app,
            &admin,
            &format!("/api/v1/regulations/{from}"),
            json!({"relations": [rel]}),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{rel}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["field"], "relations");
    }
    // Another tenant's regulation is not a target.
    common::other_tenant(app).await;
    app.sql(
        "INSERT INTO regulations (tenant_id, jenis, nomor, tahun, judul, teu_badan, created_by, \
         created_at, updated_at) SELECT id, 'perbup', '1', 2026, 'Lain', 'Lain', 'x', 0, 0 \
         FROM tenants WHERE code = '11.06'",
    )
    .await
    .expect("other tenant's regulation");
    let other = count(
        app,
        "SELECT r.id FROM regulations r JOIN tenants t ON t.id = r.tenant_id WHERE t.code = '11.06'",
    )
    .await;
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{a}"),
        json!({"relations": [{"type": "mencabut", "target": other}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .get(&format!("/api/v1/regulations/{other}"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(
            app,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'regulation' AND entity_id = '{b}'"
            )
        )
        .await,
        2,
        "created, then revoked"
    );
}

async fn files_are_pdfs_and_a_new_text_is_a_new_version(app: &TestApp) {
    let admin = app.login("admin").await;
    let id = regulation(app, &admin, "70", "Peraturan dengan berkas").await;
    // Files go up as the raw body: an API client with a token (a browser session may only
    // send JSON to the API).
    let token = post(app, &admin, "/api/v1/auth/tokens", json!({"name": "jdih"}))
        .await
        .json()["token"]
        .as_str()
        .expect("token")
        .to_string();
    let client = Session::bearer(&token);
    let upload = |bytes: &'static [u8]| {
        let admin = client.clone();
        async move {
            let req = axum::http::Request::builder()
                .method(Method::POST)
                .uri(format!("/api/v1/regulations/{id}/file?filename=perbup.pdf"));
            let req = admin
                .apply(req)
                .header("content-type", "application/pdf")
                .body(axum::body::Body::from(bytes))
                .expect("request");
            app.send(req).await
        }
    };
    let r = upload(b"<html><script>alert(1)</script>").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "file");
    let r = upload(b"%PDF-1.7 versi satu").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["has_file"], true);
    assert_eq!(
        r.json()["version"],
        1,
        "the first file is the text of version 1"
    );
    // The same file again changes nothing; another file is a new version.
    assert_eq!(upload(b"%PDF-1.7 versi satu").await.json()["version"], 1);
    assert_eq!(upload(b"%PDF-1.7 versi dua").await.json()["version"], 2);
    let file = app
        .get(&format!("/peraturan/{id}/berkas"), Some(&admin))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "application/pdf");
    assert_eq!(file.body, "%PDF-1.7 versi dua");
    // Too large: 413 in the reader's words, nothing stored.
    let big: &'static [u8] = Box::leak(vec![b'%'; 11 << 20].into_boxed_slice());
    let r = upload(big).await;
    assert_eq!(
        r.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        &r.body[..r.body.len().min(200)]
    );
    // The page refuses a non-PDF beside its form.
    let r = app
        .multipart(
            &format!("/peraturan/{id}/berkas"),
            &admin,
            &[],
            Some(("file", "x.pdf", b"GIF89a")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("PDF"), "{}", r.body);
    assert_eq!(
        count(
            app,
            &format!("SELECT COUNT(*) FROM regulation_files WHERE regulation_id = {id}")
        )
        .await,
        2
    );
}

async fn a_campaign_past_its_due_date_counts_the_overdue(app: &TestApp) {
    // The demo's complaint-handling Perbup was due ten days ago; the RSUD is behind.
    let admin = app.login("admin").await;
    let k = count(
        app,
        "SELECT k.id FROM campaigns k JOIN regulations r ON r.id = k.regulation_id \
         WHERE r.jenis = 'perbup' AND r.nomor = '2' AND r.tahun = 2026",
    )
    .await;
    let c = app
        .get(&format!("/api/v1/campaigns/{k}"), Some(&admin))
        .await
        .json();
    let (t, a) = (
        c["targeted"].as_i64().unwrap_or(0),
        c["acknowledged"].as_i64().unwrap_or(0),
    );
    assert!(a < t, "{c}");
    assert_eq!(
        c["overdue"].as_i64(),
        Some(t - a),
        "everyone still owing is overdue"
    );
    let page = app.get(&format!("/kampanye/{k}"), Some(&admin)).await;
    assert!(
        page.body.contains("batas waktu sudah lewat"),
        "the page says so"
    );
}

async fn the_jdihn_feed_is_public(app: &TestApp) {
    let r = app.get("/api/v1/jdih/feed", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let feed = r.json();
    let items = feed.as_array().expect("array");
    assert!(items.len() >= 40, "the demo's register");
    let first = &items[0];
    for field in [
        "idData",
        "tahun_pengundangan",
        "tanggal_pengundangan",
        "jenis",
        "noPeraturan",
        "judul",
        "noPanggil",
        "singkatanJenis",
        "tempatTerbit",
        "penerbit",
        "deskripsiFisik",
        "sumber",
        "subjek",
        "isbn",
        "status",
        "bahasa",
        "bidangHukum",
        "teuBadan",
        "nomorIndukBuku",
        "fileDownload",
        "urlDownload",
        "abstrak",
        "urlabstrak",
        "urlDetailPeraturan",
    ] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert!(
        items
            .iter()
            .any(|i| i["noPeraturan"] == "19" && i["status"] == "Tidak Berlaku")
    );
}

async fn a_campaign_targets_and_is_acknowledged_once(app: &TestApp) {
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    let reg = regulation(app, &admin, "60", "Perbup Uji Kampanye").await;
    let in_pkm = count(
        app,
        "SELECT COUNT(*) FROM employees e JOIN units u ON u.id = e.unit_id \
         WHERE u.code = 'PKM.06' AND e.active",
    )
    .await;
    let r = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"units": ["PKM.06"]}, "due_on": days(7)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    assert_eq!(r.json()["targeted"], in_pkm);
    // The asn hears of it, in the inbox and the header.
    let inbox = app.get("/api/v1/notifications", Some(&asn)).await.json();
    let item = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|n| n["link"] == format!("/kampanye/{id}"))
        .cloned()
        .expect("notified");
    assert_eq!(item["kind"], "campaign");
    assert_eq!(item["read"], false);
    assert!(inbox["unread"].as_i64().unwrap_or(0) >= 1);
    let home = app.get("/", Some(&asn)).await;
    assert!(
        home.body.contains("class=\"badge\""),
        "unread count in the header"
    );
    assert!(
        home.body.contains(&format!("/kampanye/{id}")),
        "waiting on the home page"
    );
    // Acknowledging twice is one acknowledgement with the same answer.
    let path = format!("/api/v1/campaigns/{id}/acknowledge");
    let first = post(app, &asn, &path, json!({})).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let again = post(app, &asn, &path, json!({})).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json(), first.json());
    assert_eq!(
        count(
            app,
            &format!("SELECT COUNT(*) FROM acknowledgements WHERE campaign_id = {id}")
        )
        .await,
        1
    );
    assert_eq!(
        app.scalar_text(&format!(
            "SELECT address FROM acknowledgements WHERE campaign_id = {id}"
        ))
        .await,
        "127.0.0.1"
    );
    // Never edited.
    assert!(
        app.sql(&format!(
            "UPDATE acknowledgements SET at = 0 WHERE campaign_id = {id}"
        ))
        .await
        .is_err()
    );
    // Compliance: leaders over their units; the asn may not read it; others are not targeted.
    let k = app
        .get(&format!("/api/v1/campaigns/{id}"), Some(&admin))
        .await
        .json();
    assert_eq!(k["targeted"], in_pkm);
    assert_eq!(k["acknowledged"], 1);
    assert_eq!(k["overdue"], 0);
    assert_eq!(k["units"][0]["unit"], "PKM.06");
    let kapus = app.login("kapus.babahrot").await;
    let r = app
        .get(&format!("/api/v1/campaigns/{id}"), Some(&kapus))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .get(&format!("/api/v1/campaigns/{id}"), Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let auditor = app.login("auditor").await;
    let r = post(app, &auditor, &path, json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not targeted");
    let r = post(app, &asn, "/api/v1/campaigns/999999/acknowledge", json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Acknowledging marked its notices read.
    let inbox = app.get("/api/v1/notifications", Some(&asn)).await.json();
    assert!(
        inbox["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|n| n["link"] == format!("/kampanye/{id}"))
            .all(|n| n["read"] == true)
    );
}

async fn bad_campaigns_change_nothing(app: &TestApp) {
    let admin = app.login("admin").await;
    let reg = regulation(app, &admin, "61", "Perbup Uji Sasaran").await;
    let before = count(app, "SELECT COUNT(*) FROM campaigns").await;
    for (body, field) in [
        (
            json!({"audience": {"units": ["PKM.06"], "position_kinds": ["jpt_utama"]}, "due_on": days(7)}),
            "audience",
        ),
        (json!({"audience": {}, "due_on": days(7)}), "audience"),
        (
            json!({"audience": {"units": ["<script>"]}, "due_on": days(7)}),
            "audience",
        ),
        (
            json!({"audience": {"position_kinds": ["raja"]}, "due_on": days(7)}),
            "audience",
        ),
        (
            json!({"audience": {"competencies": ["' OR 1=1"]}, "due_on": days(7)}),
            "audience",
        ),
        (
            json!({"audience": {"all": true}, "due_on": days(-1)}),
            "due_on",
        ),
        (
            json!({"audience": {"all": true}, "due_on": "besok"}),
            "due_on",
        ),
        (
            json!({"audience": {"all": true}, "due_on": days(3), "course": "TIDAK-ADA"}),
            "course",
        ),
    ] {
        let r = campaign(app, &admin, reg, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["field"], field, "{}", r.body);
    }
    // The empty audience says why, in the reader's language.
    let r = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"units": ["PKM.06"], "position_kinds": ["jpt_utama"]}, "due_on": days(7)}),
    )
    .await;
    assert!(r.error_message().contains("Tidak ada ASN"), "{}", r.body);
    assert_eq!(count(app, "SELECT COUNT(*) FROM campaigns").await, before);
    // A revoked regulation is not campaigned; nor may anyone but BKPSDM start one.
    let revoked = count(
        app,
        "SELECT id FROM regulations WHERE jenis = 'perbup' AND nomor = '19' AND tahun = 2019",
    )
    .await;
    let r = campaign(
        app,
        &admin,
        revoked,
        json!({"audience": {"all": true}, "due_on": days(7)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let kadinkes = app.login("kadinkes").await;
    let r = campaign(
        app,
        &kadinkes,
        reg,
        json!({"audience": {"units": ["DINKES"]}, "due_on": days(7)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(app, "SELECT COUNT(*) FROM campaigns").await, before);
}

async fn an_amendment_asks_again(app: &TestApp) {
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    let reg = regulation(app, &admin, "50", "Perbup yang akan diubah").await;
    let id = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"units": ["PKM.06"]}, "due_on": days(2)}),
    )
    .await
    .json()["id"]
        .as_i64()
        .expect("id");
    let path = format!("/api/v1/campaigns/{id}/acknowledge");
    assert_eq!(post(app, &asn, &path, json!({})).await.json()["version"], 1);
    let amending = regulation(app, &admin, "51", "Perubahan atas Perbup 50").await;
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{amending}"),
        json!({"relations": [{"type": "mengubah", "target": reg}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let k = app
        .get(&format!("/api/v1/campaigns/{id}"), Some(&admin))
        .await
        .json();
    assert_eq!(k["version"], 2);
    assert_eq!(
        k["acknowledged"], 0,
        "the old version's acknowledgement does not count"
    );
    assert_eq!(k["due_on"], days(7), "at least a week to read the new text");
    let inbox = app.get("/api/v1/notifications", Some(&asn)).await.json();
    assert!(
        inbox["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|n| n["kind"] == "amended"
                && n["link"] == format!("/kampanye/{id}")
                && n["read"] == false)
    );
    let again = post(app, &asn, &path, json!({})).await;
    assert_eq!(again.json()["version"], 2);
    assert_eq!(
        count(
            app,
            &format!("SELECT COUNT(*) FROM acknowledgements WHERE campaign_id = {id}")
        )
        .await,
        2,
        "both versions' acknowledgements are kept"
    );
}

/// The right answers of the demo's micro-course, by prompt.
fn micro_answer(prompt: &str) -> Value {
    if prompt.starts_with("Seorang") {
        json!(1)
    } else if prompt.starts_with("Berapa lama") {
        json!(2)
    } else {
        json!(true)
    }
}

async fn the_course_is_passed_before_acknowledging(app: &TestApp) {
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    let reg = regulation(app, &admin, "40", "SE dengan kursus mikro").await;
    let id = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"units": ["PKM.06"]}, "due_on": days(10), "course": "MIKRO-GRATIFIKASI"}),
    )
    .await
    .json()["id"]
        .as_i64()
        .expect("id");
    let path = format!("/api/v1/campaigns/{id}/acknowledge");
    let r = post(app, &asn, &path, json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "course");
    let page = app.get(&format!("/kampanye/{id}"), Some(&asn)).await;
    assert!(page.body.contains("/learn/courses/MIKRO-GRATIFIKASI"));
    // Enrol, read the one module, pass the three questions.
    let offering = app
        .scalar_text(
            "SELECT o.code FROM offerings o JOIN courses c ON c.id = o.course_id \
             WHERE c.code = 'MIKRO-GRATIFIKASI'",
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
        .get("/api/v1/courses/MIKRO-GRATIFIKASI/modules", Some(&asn))
        .await
        .json();
    for m in modules.as_array().expect("modules") {
        let mid = m["id"].as_i64().expect("id");
        post(
            app,
            &asn,
            &format!("/api/v1/modules/{mid}/progress"),
            json!({}),
        )
        .await;
    }
    let cid = app
        .get("/api/v1/courses/MIKRO-GRATIFIKASI", Some(&asn))
        .await
        .json()["id"]
        .as_i64()
        .expect("course");
    let attempt = post(
        app,
        &asn,
        &format!("/api/v1/quizzes/{cid}/attempts"),
        json!({}),
    )
    .await;
    assert_eq!(attempt.status, StatusCode::CREATED, "{}", attempt.body);
    let attempt = attempt.json();
    let mut answers = serde_json::Map::new();
    for q in attempt["questions"].as_array().expect("questions") {
        answers.insert(
            q["id"].to_string(),
            micro_answer(q["prompt"].as_str().unwrap_or("")),
        );
    }
    assert_eq!(attempt["questions"].as_array().map(Vec::len), Some(3));
    let aid = attempt["id"].as_i64().expect("attempt");
    let graded = post(
        app,
        &asn,
        &format!("/api/v1/attempts/{aid}/submit"),
        json!({"answers": answers}),
    )
    .await
    .json();
    assert_eq!(graded["passed"], true, "{graded}");
    let r = post(app, &asn, &path, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn reminders_run_once_from_the_jobs_table(app: &TestApp) {
    let admin = app.login("admin").await;
    let reg = regulation(app, &admin, "30", "Perbup dengan pengingat").await;
    let id = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"units": ["PKM.06"]}, "due_on": days(10)}),
    )
    .await
    .json()["id"]
        .as_i64()
        .expect("id");
    let pending = format!(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'campaign_reminder' AND subject = {id} AND state = 'pending'"
    );
    assert_eq!(count(app, &pending).await, 1, "the chain's first link");
    let reminders = format!(
        "SELECT COUNT(*) FROM notifications WHERE kind IN ('reminder', 'overdue') AND link = '/kampanye/{id}'"
    );
    let run_at = count(
        app,
        &format!("SELECT run_at FROM jobs WHERE subject = {id} AND kind = 'campaign_reminder'"),
    )
    .await;
    // 7 days before the due date, at 08:00.
    let expected = cakap_services::regulations::campaigns::reminder_at(
        cakap_services::wib::today() + chrono::Duration::days(3),
    );
    assert_eq!(run_at, expected);
    // Two servers run the due jobs at once: each job runs once.
    let at = run_at + 1;
    let (a, b) = tokio::join!(
        cakap_services::jobs::run_due(&app.db, at),
        cakap_services::jobs::run_due(&app.db, at)
    );
    let (a, b) = (a.expect("a"), b.expect("b"));
    let ran = count(
        app,
        &format!("SELECT COUNT(*) FROM jobs WHERE state = 'done' AND run_at <= {at}"),
    )
    .await;
    assert_eq!(
        (a + b) as i64,
        ran,
        "every due job once, whichever server ran it"
    );
    assert_eq!(
        count(
            app,
            &format!("SELECT attempts FROM jobs WHERE subject = {id} AND run_at = {run_at}")
        )
        .await,
        1
    );
    let owing_accounts = count(
        app,
        &format!(
            "SELECT COUNT(*) FROM campaign_targets t JOIN users u ON u.employee_id = t.employee_id \
             WHERE t.campaign_id = {id}"
        ),
    )
    .await;
    assert!(owing_accounts >= 2, "the asn and the head of PKM.06");
    assert_eq!(count(app, &reminders).await, owing_accounts);
    // Done, and the next link is there (1 day before the due date); running again does nothing.
    assert_eq!(count(app, &pending).await, 1);
    cakap_services::jobs::run_due(&app.db, at)
        .await
        .expect("again");
    assert_eq!(count(app, &reminders).await, owing_accounts);
    // A job whose server died (its lease ran out) is taken over.
    app.sql(&format!(
        "UPDATE jobs SET state = 'running', lease_until = 1 WHERE subject = {id} AND state = 'pending'"
    ))
    .await
    .expect("stale lease");
    let next_at = count(
        app,
        &format!("SELECT run_at FROM jobs WHERE subject = {id} AND kind = 'campaign_reminder' AND state = 'running'"),
    )
    .await;
    cakap_services::jobs::run_due(&app.db, next_at + 1)
        .await
        .expect("takeover");
    assert_eq!(
        count(app, &reminders).await,
        2 * owing_accounts,
        "taken over and run"
    );
    let far = cakap_store::now_ms() + 400 * 86_400_000;
    // Once everyone has acknowledged, the chain ends.
    app.sql(&format!(
        "INSERT INTO acknowledgements (tenant_id, campaign_id, employee_id, version, at, user_id, address) \
         SELECT tenant_id, campaign_id, employee_id, 1, 0, 0, 'test' FROM campaign_targets WHERE campaign_id = {id}"
    ))
    .await
    .expect("everyone acknowledged");
    let before = count(app, &reminders).await;
    while cakap_services::jobs::run_due(&app.db, far)
        .await
        .expect("drain")
        > 0
    {}
    assert_eq!(count(app, &reminders).await, before);
    assert_eq!(count(app, &pending).await, 0);
}

async fn e_mail_reaches_a_real_smtp_server(app: &TestApp) {
    let sink = SmtpSink::start().await;
    cakap_services::mail::configure(
        &app.db,
        &sink.url,
        "Cakap <cakap@abdya.test>",
        "https://cakap.test",
    )
    .expect("mailer");
    app.sql(
        "UPDATE employees SET email = 'asn@abdya.test' WHERE id = \
         (SELECT employee_id FROM users WHERE username = 'asn')",
    )
    .await
    .expect("email");
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    let reg = regulation(app, &admin, "20", "Perbup Surel Segera").await;
    let r = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"units": ["PKM.06"]}, "due_on": days(5)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    cakap_services::mail::flush(&app.db).await.expect("flush");
    let got = sink.taken();
    let m = got
        .iter()
        .find(|m| m.to.contains(&"asn@abdya.test".to_string()))
        .expect("delivered to the asn");
    assert_eq!(m.from, "cakap@abdya.test");
    assert!(m.data.contains("Subject:"), "{}", m.data);
    assert!(
        m.data.contains("https://cakap.test/kampanye/"),
        "{}",
        m.data
    );
    assert_eq!(
        app.scalar_text("SELECT email FROM notifications WHERE title LIKE '%Surel Segera%' AND user_id = (SELECT id FROM users WHERE username = 'asn')").await,
        "sent"
    );
    // A daily digest instead: nothing until the digest, then one message with them all.
    let r = app
        .api(
            Method::PUT,
            "/api/v1/notifications/email",
            Some(&asn),
            Some(json!({"email_mode": "digest"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/notifications/email",
            Some(&asn),
            Some(json!({"email_mode": "<script>"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let n = sink.taken().len();
    for nomor in ["21", "22"] {
        let reg = regulation(app, &admin, nomor, "Perbup Ringkasan").await;
        campaign(
            app,
            &admin,
            reg,
            json!({"audience": {"units": ["PKM.06"]}, "due_on": days(5)}),
        )
        .await;
    }
    cakap_services::mail::flush(&app.db).await.expect("flush");
    let to_asn = |all: &[common::smtp::Message]| {
        all.iter()
            .filter(|m| m.to.contains(&"asn@abdya.test".to_string()))
            .count()
    };
    assert_eq!(to_asn(&sink.taken()), to_asn(&got), "digest mode waits");
    assert!(sink.taken().len() >= n);
    cakap_services::mail::digest(&app.db).await.expect("digest");
    let all = sink.taken();
    let digest: Vec<_> = all
        .iter()
        .filter(|m| {
            m.to.contains(&"asn@abdya.test".to_string()) && m.data.contains("Ringkasan harian")
        })
        .collect();
    assert_eq!(digest.len(), 1);
    assert_eq!(
        digest[0].data.matches("Perbup Ringkasan").count(),
        2,
        "{}",
        digest[0].data
    );
}

async fn the_inbox_is_ones_own(app: &TestApp) {
    let asn = app.login("asn").await;
    let kapus = app.login("kapus.babahrot").await;
    let inbox = app.get("/api/v1/notifications", Some(&asn)).await.json();
    let id = inbox["items"][0]["id"]
        .as_i64()
        .expect("the demo notified the asn");
    let r = post(
        app,
        &kapus,
        &format!("/api/v1/notifications/{id}/read"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "someone else's");
    let r = post(app, &asn, "/api/v1/notifications/abc/read", json!({})).await;
    assert!(r.status.is_client_error());
    let unread = inbox["unread"].as_i64().expect("unread");
    let r = post(
        app,
        &asn,
        &format!("/api/v1/notifications/{id}/read"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let after = app.get("/api/v1/notifications", Some(&asn)).await.json();
    assert_eq!(after["unread"].as_i64(), Some(unread - 1));
    assert_eq!(after["items"][0]["read"], true);
    // The page: open one, mark all read.
    let page = app.get("/notifikasi", Some(&asn)).await;
    assert_eq!(page.status, StatusCode::OK);
    let r = app
        .form("/notifikasi/baca-semua", &asn, &[("_csrf", &asn.csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = app.get("/api/v1/notifications", Some(&asn)).await.json();
    assert_eq!(after["unread"], 0);
    let r = app.get("/api/v1/notifications", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

async fn the_pages_work_for_each_role(app: &TestApp) {
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    let kadinkes = app.login("kadinkes").await;
    // The demo's campaign on the new Perbup on working hours targets everyone.
    let k = count(
        app,
        "SELECT k.id FROM campaigns k JOIN regulations r ON r.id = k.regulation_id \
         WHERE r.jenis = 'perbup' AND r.nomor = '7' AND r.tahun = 2026",
    )
    .await;
    for (s, path) in [
        (&admin, "/peraturan".to_string()),
        (&admin, "/peraturan?q=gratifikasi&jenis=se".to_string()),
        (&admin, format!("/kampanye/{k}")),
        (&admin, format!("/kampanye/{k}?unit=DINKES")),
        (&kadinkes, format!("/kampanye/{k}")),
        (&asn, "/peraturan".to_string()),
        (&asn, format!("/kampanye/{k}")),
        (&asn, "/notifikasi".to_string()),
    ] {
        let r = app.get(&path, Some(s)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }
    let admin_view = app.get(&format!("/kampanye/{k}"), Some(&admin)).await;
    assert!(
        admin_view.body.contains("figure class=\"chart\""),
        "a chart"
    );
    assert!(admin_view.body.contains("<table"), "with its table");
    let csv = app
        .get(&format!("/kampanye/{k}?format=csv"), Some(&admin))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .contains("csv")
    );
    // A head sees their own units only.
    let kadinkes_view = app.get(&format!("/kampanye/{k}"), Some(&kadinkes)).await;
    assert!(
        !kadinkes_view.body.contains("Inspektorat"),
        "only DINKES's units"
    );
    let r = app
        .get(&format!("/kampanye/{k}?unit=INSP"), Some(&kadinkes))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The asn reads and acknowledges on the page.
    let page = app.get(&format!("/kampanye/{k}"), Some(&asn)).await;
    assert!(
        page.body.contains(&format!("/kampanye/{k}/konfirmasi")),
        "{}",
        page.body
    );
    let r = app
        .form(
            &format!("/kampanye/{k}/konfirmasi"),
            &asn,
            &[("_csrf", &asn.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/kampanye/{k}"), Some(&asn)).await;
    assert!(!page.body.contains(&format!("/kampanye/{k}/konfirmasi")));
    // Without the token the form is refused and nothing changes.
    let before = count(app, "SELECT COUNT(*) FROM regulations").await;
    let r = app
        .form(
            "/peraturan",
            &admin,
            &[
                ("jenis", "perbup"),
                ("nomor", "99"),
                ("tahun", "2026"),
                ("judul", "Tanpa token"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // With it: a refusal beside the field, then a record.
    let r = app
        .form(
            "/peraturan",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("jenis", "perbup"),
                ("nomor", "7"),
                ("tahun", "2026"),
                ("judul", "Dobel"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("aria-invalid"));
    let r = app
        .form(
            "/peraturan",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("jenis", "se"),
                ("nomor", "99"),
                ("tahun", "2026"),
                ("judul", "=cmd|' /C calc'!A0"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM regulations").await,
        before + 1
    );
    // A campaign from the page: units and position kinds as a browser sends them.
    let id = count(app, "SELECT id FROM regulations WHERE nomor = '99'").await;
    // Its page read first keeps "no campaign" (cached per change): the campaign must show.
    let page = app.get(&format!("/peraturan/{id}"), Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("href=\"/kampanye/"), "no campaign yet");
    let due = days(9);
    let r = app
        .form(
            &format!("/peraturan/{id}/kampanye"),
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("units", "PKM.06"),
                ("units", "PKM.01"),
                ("position_kinds", "fungsional"),
                ("due_on", &due),
                ("course", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let made = count(app, "SELECT MAX(id) FROM campaigns").await;
    let page = app.get(&format!("/peraturan/{id}"), Some(&admin)).await;
    assert!(
        page.body.contains(&format!("href=\"/kampanye/{made}\"")),
        "the new campaign"
    );
    // A leader reminds their people from the page.
    let r = app
        .form(
            &format!("/kampanye/{k}/ingatkan"),
            &kadinkes,
            &[("_csrf", &kadinkes.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .form(
            &format!("/kampanye/{k}/ingatkan"),
            &asn,
            &[("_csrf", &asn.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn a_campaign_for_everyone_is_one_statement(app: &TestApp) {
    let admin = app.login("admin").await;
    let reg = regulation(app, &admin, "10", "Perbup untuk semua").await;
    let active = count(app, "SELECT COUNT(*) FROM employees WHERE active").await;
    let r = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"all": true}, "due_on": days(14)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["targeted"], active);
    // Competency holders: everyone with a result in it.
    let code = app
        .scalar_text("SELECT c.code FROM assessments a JOIN competencies c ON c.id = a.competency_id LIMIT 1")
        .await;
    let holders = count(
        app,
        &format!(
            "SELECT COUNT(DISTINCT a.employee_id) FROM assessments a JOIN competencies c ON c.id = a.competency_id \
             JOIN employees e ON e.id = a.employee_id WHERE c.code = '{code}' AND e.active"
        ),
    )
    .await;
    let r = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"competencies": [code]}, "due_on": days(14)}),
    )
    .await;
    assert_eq!(r.json()["targeted"], holders, "{}", r.body);
}

/// A JDIH export through `POST /api/v1/imports/regulations`, as a multipart upload.
async fn import(app: &TestApp, s: &Session, dry_run: bool, csv: &str) -> common::Resp {
    const B: &str = "cakapJdihBoundary";
    let body = format!(
        "--{B}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jdih.csv\"\r\n\r\n{csv}\r\n--{B}--\r\n"
    );
    let req = s
        .apply(
            axum::http::Request::builder()
                .method(Method::POST)
                .uri(format!("/api/v1/imports/regulations?dry_run={dry_run}")),
        )
        .header("content-type", format!("multipart/form-data; boundary={B}"))
        .header("x-csrf-token", s.csrf.clone())
        .body(axum::body::Body::from(body))
        .expect("request");
    app.send(req).await
}

async fn a_jdih_export_imports_all_or_nothing(app: &TestApp) {
    let admin = app.login("admin").await;
    let good = "Jenis,Nomor,Tahun,Judul,T.E.U. Badan,Tanggal Penetapan,Tanggal Pengundangan,Subjek,Bidang Hukum,Status\n\
        Peraturan Bupati,31,2026,Penggunaan Kendaraan Dinas,Kabupaten Aceh Barat Daya,2026-04-01,2026-04-02,KENDARAAN DINAS,Hukum Administrasi Negara,Berlaku\n\
        PERBUP,7,2026,Hari dan Jam Kerja serta Kehadiran ASN (judul diperbarui),Kabupaten Aceh Barat Daya,,,JAM KERJA,,\n";
    let before = count(app, "SELECT COUNT(*) FROM regulations").await;
    let r = import(app, &admin, true, good).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 1);
    assert_eq!(r.json()["updated"], 1);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM regulations").await,
        before,
        "a dry run"
    );
    let bad = format!(
        "{good}Peraturan Kepala Desa,1,2026,Jenis tak dikenal,,,,,,\n\
         PERBUP,31,2026,Nomor dua kali,,,,,,\n\
         SE,5,1800,Tahun salah,,,,,,\n\
         SE,6,2026,\"=cmd|' /C calc'!A0\",,2026-05-01,2026-04-01,,,\n"
    );
    let r = import(app, &admin, false, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let rows: Vec<i64> = r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["row"].as_i64())
        .collect();
    assert_eq!(rows, vec![4, 5, 6, 7], "{}", r.body);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM regulations").await,
        before,
        "nothing written"
    );
    let r = import(app, &admin, false, good).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM regulations").await,
        before + 1
    );
    let found = app
        .get("/api/v1/regulations?q=kendaraan%20dinas", Some(&admin))
        .await
        .json();
    assert_eq!(found["total"], 1, "the imported record is searchable");
    let asn = app.login("asn").await;
    assert_eq!(
        import(app, &asn, true, good).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_review_findings_stay_fixed(app: &TestApp) {
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    let kapus = app.login("kapus.babahrot").await;
    // An amendment that keeps a far due date leaves exactly one pending reminder.
    let reg = regulation(app, &admin, "300", "Perbup diubah, batas jauh").await;
    let id = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"units": ["PKM.06"]}, "due_on": days(30)}),
    )
    .await
    .json()["id"]
        .as_i64()
        .expect("id");
    let amending = regulation(app, &admin, "301", "Perubahan").await;
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{amending}"),
        json!({"relations": [{"type": "mengubah", "target": reg}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pending = count(
        app,
        &format!("SELECT COUNT(*) FROM jobs WHERE kind = 'campaign_reminder' AND subject = {id} AND state = 'pending'"),
    )
    .await;
    assert_eq!(pending, 1, "the chain survives the amendment");
    // The same relation again, or the other kind between the same two: 409.
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{amending}"),
        json!({"relations": [{"type": "mencabut", "target": reg}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // A stale edit is refused.
    let current = app
        .get(&format!("/api/v1/regulations/{reg}"), Some(&admin))
        .await
        .json();
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{reg}"),
        json!({"judul": "Judul baru", "updated_at": current["updated_at"].as_i64().unwrap_or(0) - 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{reg}"),
        json!({"judul": "Judul baru", "updated_at": current["updated_at"]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A leader reminds once a day; a head with none of the campaign's people may not at all.
    let r = app
        .form(
            &format!("/kampanye/{id}/ingatkan"),
            &kapus,
            &[("_csrf", &kapus.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .form(
            &format!("/kampanye/{id}/ingatkan"),
            &kapus,
            &[("_csrf", &kapus.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let insp = regulation(app, &admin, "302", "Untuk Inspektorat").await;
    let other = campaign(
        app,
        &admin,
        insp,
        json!({"audience": {"units": ["INSP"]}, "due_on": days(5)}),
    )
    .await
    .json()["id"]
        .as_i64()
        .expect("id");
    let r = app
        .form(
            &format!("/kampanye/{other}/ingatkan"),
            &kapus,
            &[("_csrf", &kapus.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .get(&format!("/api/v1/campaigns/{other}"), Some(&kapus))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "none of their people");
    // A revoked regulation asks nothing any more, and cannot be amended.
    let revoking = regulation(app, &admin, "303", "Pencabutan").await;
    patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{revoking}"),
        json!({"relations": [{"type": "mencabut", "target": reg}]}),
    )
    .await;
    let home = app.get("/", Some(&asn)).await;
    assert!(
        !home.body.contains(&format!("/kampanye/{id}\"")),
        "no longer waiting"
    );
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{amending}"),
        json!({"relations": [{"type": "mengubah", "target": reg}]}),
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    // A file without a status column keeps the revocation; one saying "berlaku" is refused.
    let r = import(
        app,
        &admin,
        false,
        "Jenis,Nomor,Tahun,Judul\nPERBUP,300,2026,Judul dari JDIH\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rr = app
        .get(&format!("/api/v1/regulations/{reg}"), Some(&admin))
        .await
        .json();
    assert_eq!(rr["status"], "tidak_berlaku");
    assert_eq!(
        rr["abstrak"], "Abstrak peraturan uji.",
        "a column the file lacks is kept"
    );
    let r = import(
        app,
        &admin,
        false,
        "Jenis,Nomor,Tahun,Judul,Status\nPERBUP,300,2026,X,Berlaku\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // The inbox follows only Cakap's own paths.
    app.sql(
        "UPDATE notifications SET link = '/\\evil.example' WHERE id = (SELECT MAX(id) FROM notifications \
         WHERE user_id = (SELECT id FROM users WHERE username = 'asn'))",
    )
    .await
    .expect("hostile link");
    let n = count(app, "SELECT MAX(id) FROM notifications WHERE user_id = (SELECT id FROM users WHERE username = 'asn')").await;
    let r = app
        .form(&format!("/notifikasi/{n}"), &asn, &[("_csrf", &asn.csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["location"], "/notifikasi");
    // The public JDIH pages the feed links to answer without a login.
    let perbup7 = count(
        app,
        "SELECT id FROM regulations WHERE jenis = 'perbup' AND nomor = '7' AND tahun = 2026",
    )
    .await;
    let page = app.get(&format!("/jdih/{perbup7}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("kampanye"), "no campaigns in public");
    let file = app.get(&format!("/jdih/{perbup7}/berkas"), None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.body.starts_with("%PDF-"));
}

async fn two_servers_send_each_message_once(app: &TestApp) {
    let sink = SmtpSink::start().await;
    cakap_services::mail::configure(
        &app.db,
        &sink.url,
        "Cakap <cakap@abdya.test>",
        "https://cakap.test",
    )
    .expect("mailer");
    app.sql("UPDATE employees SET email = 'orang' || id || '@abdya.test'")
        .await
        .expect("addresses");
    let admin = app.login("admin").await;
    let reg = regulation(app, &admin, "400", "Perbup untuk semua akun").await;
    campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"all": true}, "due_on": days(5)}),
    )
    .await;
    let queued = count(
        app,
        "SELECT COUNT(*) FROM notifications WHERE email = 'instant'",
    )
    .await;
    assert!(queued >= 5, "every account with an address");
    let (a, b) = tokio::join!(
        cakap_services::mail::flush(&app.db),
        cakap_services::mail::flush(&app.db)
    );
    assert_eq!((a.expect("a") + b.expect("b")) as i64, queued);
    assert_eq!(sink.taken().len() as i64, queued, "each once");
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM notifications WHERE email = 'sent'"
        )
        .await,
        queued
    );
}

async fn another_regencys_records_are_not_found(app: &TestApp) {
    common::other_tenant(app).await;
    let other = "(SELECT id FROM tenants WHERE code = '11.06')";
    for statement in [
        format!(
            "INSERT INTO regulations (tenant_id, jenis, nomor, tahun, judul, teu_badan, created_by, \
             created_at, updated_at) SELECT {other}, 'perbup', '5', 2026, 'Perbup Aceh Besar', \
             'Kabupaten Aceh Besar', 'x', 0, 0"
        ),
        format!(
            "INSERT INTO campaigns (tenant_id, regulation_id, version, due_on, audience, assigned_on, \
             created_by, created_at) SELECT {other}, r.id, 1, '2099-01-01', '{{}}', '2026-01-01', 'x', 0 \
             FROM regulations r WHERE r.tenant_id = {other}"
        ),
        format!(
            "INSERT INTO users (tenant_id, username, password_hash, role, created_at) \
             SELECT {other}, 'lain', 'x', 'asn', 0"
        ),
        format!(
            "INSERT INTO notifications (tenant_id, user_id, kind, title, body, link, created_at) \
             SELECT {other}, u.id, 'campaign', 'Lain', '', '/kampanye/1', 0 FROM users u WHERE u.username = 'lain'"
        ),
    ] {
        app.sql(&statement).await.expect("the other regency's rows");
    }
    let reg = count(
        app,
        &format!("SELECT id FROM regulations WHERE tenant_id = {other}"),
    )
    .await;
    let k = count(
        app,
        &format!("SELECT id FROM campaigns WHERE tenant_id = {other}"),
    )
    .await;
    let n = count(
        app,
        &format!("SELECT id FROM notifications WHERE tenant_id = {other}"),
    )
    .await;
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    for (s, path) in [
        (&admin, format!("/api/v1/regulations/{reg}")),
        (&admin, format!("/api/v1/campaigns/{k}")),
        (&admin, format!("/peraturan/{reg}")),
        (&admin, format!("/kampanye/{k}")),
        (&asn, format!("/kampanye/{k}")),
    ] {
        let r = app.get(&path, Some(s)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
    }
    let r = post(
        app,
        &asn,
        &format!("/api/v1/campaigns/{k}/acknowledge"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(
        app,
        &asn,
        &format!("/api/v1/notifications/{n}/read"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = campaign(
        app,
        &admin,
        reg,
        json!({"audience": {"all": true}, "due_on": days(3)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = patch(
        app,
        &admin,
        &format!("/api/v1/regulations/{reg}"),
        json!({"judul": "Diubah"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.scalar_text(&format!("SELECT judul FROM regulations WHERE id = {reg}"))
            .await,
        "Perbup Aceh Besar"
    );
    // The feed is the public tenant's only.
    let feed = app.get("/api/v1/jdih/feed", None).await.json();
    assert!(
        !feed
            .as_array()
            .expect("feed")
            .iter()
            .any(|i| i["judul"] == "Perbup Aceh Besar")
    );
    let r = app.get(&format!("/jdih/{reg}"), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

both_backends!(
    a_campaign_past_its_due_date_counts_the_overdue,
    another_regencys_records_are_not_found,
    the_review_findings_stay_fixed,
    two_servers_send_each_message_once,
    a_jdih_export_imports_all_or_nothing,
    the_register_checks_its_input,
    relations_revoke_and_amend_without_loops,
    files_are_pdfs_and_a_new_text_is_a_new_version,
    the_jdihn_feed_is_public,
    a_campaign_targets_and_is_acknowledged_once,
    bad_campaigns_change_nothing,
    an_amendment_asks_again,
    the_course_is_passed_before_acknowledging,
    reminders_run_once_from_the_jobs_table,
    e_mail_reaches_a_real_smtp_server,
    the_inbox_is_ones_own,
    the_pages_work_for_each_role,
    a_campaign_for_everyone_is_one_statement,
);
