//! Spreadsheet imports through the API: validation of every row, dry runs, all-or-nothing
//! commits, SIASN columns, and hostile files; on SQLite and PostgreSQL.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Session, TestApp};
use serde_json::json;

both_backends!(
    an_import_is_checked_whole_and_written_all_or_nothing,
    siasn_exports_and_xlsx_round_trips_import,
    hostile_and_wrong_files_are_refused_with_a_reason,
    assessments_import_feeds_the_gap_engine,
    a_tiny_workbook_with_a_far_cell_is_refused_fast,
);

const BOUNDARY: &str = "cakapTestBoundary7MA4YWxk";

fn upload(app_path: &str, s: &Session, bytes: &[u8], with_token: bool) -> Request<Body> {
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.csv\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let mut b = Request::post(app_path)
        .header(header::COOKIE, format!("cakap_session={}", s.cookie))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if with_token {
        b = b.header("x-csrf-token", s.csrf.clone());
    }
    b.body(Body::from(body)).expect("request")
}

async fn import(
    app: &TestApp,
    s: &Session,
    kind: &str,
    dry_run: bool,
    bytes: &[u8],
) -> common::Resp {
    app.send(upload(
        &format!("/api/v1/imports/{kind}?dry_run={dry_run}"),
        s,
        bytes,
        true,
    ))
    .await
}

const GOOD_AND_BAD: &str = "NIP,Nama,Status,Golongan,Kode Unit,Jabatan,Jenis Jabatan,Jenjang,Email,Telepon\n\
199202142019032001,Nurul Aini,PNS,III/b,PKM.06,Perawat Ahli Pertama,fungsional,ahli_pertama,nurul@acehbaratdayakab.go.id,081260001111\n\
197413072002121008,Tanggal Salah,PNS,III/a,PKM.06,,,,,\n\
199202142019032001,Duplikat,PNS,III/b,PKM.06,,,,,\n\
198001012005011001,Unit Salah,PNS,3a,NOPE,,,,,\n\
198001012005011002,Golongan Salah,PNS,IX,PKM.06,,,,bukan-email,=cmd\n";

async fn an_import_is_checked_whole_and_written_all_or_nothing(app: &TestApp) {
    let s = app.login("admin").await;
    let before = app.scalar("SELECT COUNT(*) FROM employees").await;
    let r = import(app, &s, "employees", true, GOOD_AND_BAD.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(
        (v["kind"].as_str(), v["rows"].as_i64(), v["valid"].as_i64()),
        (Some("employees"), Some(5), Some(1))
    );
    let errors: Vec<(i64, String, String)> = v["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().expect("row"),
                e["column"].as_str().expect("col").to_string(),
                e["message"].as_str().expect("msg").to_string(),
            )
        })
        .collect();
    let expect = [
        (3, "NIP", "NIP: tanggal lahir 19741307 tidak valid"),
        (
            4,
            "NIP",
            "NIP 199202142019032001 muncul lebih dari sekali dalam berkas.",
        ),
        (5, "Kode Unit", "Unit kerja \"NOPE\" tidak dikenal."),
        (6, "Golongan", "Golongan IX tidak sesuai dengan status PNS."),
        (6, "Email", "Alamat email tidak valid."),
        (6, "Telepon", "Nomor telepon tidak valid."),
    ];
    for (row, col, msg) in expect {
        assert!(
            errors
                .iter()
                .any(|e| e.0 == row && e.1 == col && e.2 == msg),
            "missing ({row}, {col}, {msg}) in {errors:?}"
        );
    }
    assert_eq!(errors.len(), expect.len(), "{errors:?}");
    // Committing with errors: 422 and nothing written.
    let r = import(app, &s, "employees", false, GOOD_AND_BAD.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM employees").await, before);
    // English messages for an English caller.
    let mut req = upload(
        "/api/v1/imports/employees",
        &s,
        GOOD_AND_BAD.as_bytes(),
        true,
    );
    req.headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "en".parse().expect("header"));
    assert!(
        app.send(req)
            .await
            .body
            .contains("NIP: birth date 19741307 is not valid")
    );
    // The good row alone goes in, creating its position with the default standard.
    let good: String = GOOD_AND_BAD
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    let r = import(app, &s, "employees", false, good.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.json()["created"].as_i64(),
            r.json()["positions_created"].as_i64()
        ),
        (Some(1), Some(0)),
        "Perawat Ahli Pertama exists in PKM.06"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM employees").await,
        before + 1
    );
    let e = app
        .get("/api/v1/employees/199202142019032001", Some(&s))
        .await
        .json();
    assert_eq!(
        (
            e["gender"].as_str(),
            e["golongan"].as_str(),
            e["unit"].as_str()
        ),
        (Some("P"), Some("III/b"), Some("PKM.06"))
    );
    // Again: the same row now updates.
    let r = import(app, &s, "employees", false, good.as_bytes()).await;
    assert_eq!(
        (r.json()["created"].as_i64(), r.json()["updated"].as_i64()),
        (Some(0), Some(1))
    );
    let log = app
        .get("/api/v1/audit?entity=employees", Some(&s))
        .await
        .json();
    assert_eq!(log["items"][0]["action"], "import");
    // Only BKPSDM imports.
    let kapus = app.login("kapus.babahrot").await;
    assert_eq!(
        import(app, &kapus, "employees", true, good.as_bytes())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

async fn siasn_exports_and_xlsx_round_trips_import(app: &TestApp) {
    let s = app.login("admin").await;
    let siasn = "nip_baru;nama;gelar_depan;gelar_belakang;status_cpns_pns;gol_akhir_nama;jenis_jabatan_nama;jabatan_nama;unor_nama;email_gov;nomor_hp\n\
199202142019032001;Nurul Aini;;S.Kep., Ns.;P;III/b;Jabatan Fungsional;Perawat Ahli Madya;UPTD Puskesmas Babahrot;;081260001111\n\
199507072021212003;Fitri Yani;;A.Md.Keb.;;IX;Jabatan Fungsional;Bidan Terampil;uptd puskesmas babahrot;;\n\
198805052015031002;Teuku Rizal;dr.;;C;III/c;Jabatan Struktural;Kepala Seksi Pelayanan;UPTD Puskesmas Susoh;;\n";
    let r = import(app, &s, "employees", false, siasn.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.json()["created"].as_i64(),
            r.json()["positions_created"].as_i64()
        ),
        (Some(3), Some(2))
    );
    let e = app
        .get("/api/v1/employees/199202142019032001", Some(&s))
        .await
        .json();
    assert_eq!(e["name"], "Nurul Aini, S.Kep., Ns.");
    assert_eq!(e["position_name"], "Perawat Ahli Madya");
    let p = e["position"].as_i64().expect("position");
    let pos = app
        .get(&format!("/api/v1/positions/{p}"), Some(&s))
        .await
        .json();
    assert_eq!(
        (pos["kind"].as_str(), pos["jenjang"].as_str()),
        (Some("fungsional"), Some("ahli_madya"))
    );
    let reqs = app
        .get(&format!("/api/v1/positions/{p}/requirements"), Some(&s))
        .await
        .json();
    assert!(
        reqs.as_array()
            .expect("reqs")
            .iter()
            .all(|r| r["level"] == 4),
        "ahli madya default level 4"
    );
    assert_eq!(
        app.get("/api/v1/employees/198805052015031002", Some(&s))
            .await
            .json()["name"],
        "dr. Teuku Rizal"
    );
    // What we export, we import: every row is an update.
    let raw = raw_get(app, "/api/v1/exports/employees?format=xlsx", &s).await;
    let r = import(app, &s, "employees", true, &raw).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0), "{}", r.body);
    assert_eq!(v["updated"], v["rows"]);
}

async fn raw_get(app: &TestApp, path: &str, s: &Session) -> Vec<u8> {
    use tower::ServiceExt;
    let mut req = Request::get(path)
        .header(header::COOKIE, format!("cakap_session={}", s.cookie))
        .body(Body::empty())
        .expect("req");
    req.extensions_mut().insert(axum::extract::ConnectInfo(
        "127.0.0.1:1".parse::<std::net::SocketAddr>().expect("addr"),
    ));
    let res = app.router.clone().oneshot(req).await.expect("response");
    axum::body::to_bytes(res.into_body(), 64 << 20)
        .await
        .expect("body")
        .to_vec()
}

async fn hostile_and_wrong_files_are_refused_with_a_reason(app: &TestApp) {
    let s = app.login("admin").await;
    let before = app.scalar("SELECT COUNT(*) FROM employees").await;
    let cases: [(&[u8], &str); 5] = [
        (b"", "Berkas kosong."),
        (
            b"PK\x03\x04\x14\x00random bytes named xlsx",
            "Berkas bukan XLSX atau CSV yang dapat dibaca.",
        ),
        (
            b"\x00\x01\x02\x03\xff\xfe",
            "Berkas bukan XLSX atau CSV yang dapat dibaca.",
        ),
        (
            b"Nama,Telepon\nAni,0812\n",
            "Kolom wajib \"NIP\" tidak ada.",
        ),
        (b"foo;bar\n1;2\n", "Kolom wajib \"NIP\" tidak ada."),
    ];
    for (bytes, message) in cases {
        let r = import(app, &s, "employees", false, bytes).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["errors"][0]["message"], message);
    }
    // Over the limit: 413.
    let big = vec![b'a'; cakap_services::imports::MAX_BYTES + 1024];
    let r = import(app, &s, "employees", false, &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    // Not multipart: 415. Multipart with the cookie but without the CSRF header: 415.
    let r = app
        .api(
            Method::POST,
            "/api/v1/imports/employees",
            Some(&s),
            Some(json!({"file": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = app
        .send(upload(
            "/api/v1/imports/employees?dry_run=false",
            &s,
            GOOD_AND_BAD.as_bytes(),
            false,
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        import(app, &s, "salaries", true, b"a,b\n").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM employees").await,
        before,
        "nothing written"
    );
    // Templates download with the documented headers.
    let t = app
        .get("/api/v1/imports/employees/template?format=csv", Some(&s))
        .await;
    assert_eq!(
        t.body.trim(),
        "NIP,Nama,Status,Golongan,Kode Unit,Jabatan,Jenis Jabatan,Jenjang,Email,Telepon"
    );
}

async fn assessments_import_feeds_the_gap_engine(app: &TestApp) {
    let s = app.login("admin").await;
    let e = app
        .get("/api/v1/employees?unit=PKM.06&per_page=1", Some(&s))
        .await
        .json()["items"][0]
        .clone();
    let nip = e["nip"].as_str().expect("nip");
    let csv = format!(
        "NIP,Kode Kompetensi,Level,Metode,Tanggal,Berlaku Sampai\n\
         {nip},M.01,5,assessment_center,01/11/2026,\n\
         {nip},M.02,5,assessment_center,2026-11-01,31-12-2029\n"
    );
    let r = import(app, &s, "assessments", false, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 2);
    let g = app
        .get(&format!("/api/v1/employees/{nip}/gaps"), Some(&s))
        .await
        .json();
    let m01 = g["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .find(|i| i["competency"] == "M.01")
        .expect("M.01")
        .clone();
    assert_eq!(
        (m01["actual"].as_i64(), m01["gap"].as_i64()),
        (Some(5), Some(0))
    );
    let bad = format!(
        "NIP,Kode Kompetensi,Level,Metode,Tanggal\n{nip},M.01,6,assessment_center,2026/11/01\n000000000000000000,X,1,self,2026-01-01\n"
    );
    let r = import(app, &s, "assessments", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"].as_array().map(Vec::len),
        Some(4),
        "{}",
        r.body
    );
}

both_backends!(standards_import_sets_levels_by_position_id_or_unit_and_name);

async fn standards_import_sets_levels_by_position_id_or_unit_and_name(app: &TestApp) {
    let s = app.login("admin").await;
    let pos = app
        .get("/api/v1/positions?unit=PKM.06", Some(&s))
        .await
        .json()["items"][0]
        .clone();
    let (id, name) = (
        pos["id"].as_i64().expect("id"),
        pos["name"].as_str().expect("name").to_string(),
    );
    let csv = format!(
        "ID Jabatan,Kode Unit,Jabatan,Kode Kompetensi,Level\n\
         {id},,,M.01,4\n\
         ,PKM.06,{name},T.BNC.01,2\n"
    );
    let r = import(app, &s, "requirements", false, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["created"].as_i64(), r.json()["updated"].as_i64()),
        (Some(1), Some(1))
    );
    let set = app
        .get(&format!("/api/v1/positions/{id}/requirements"), Some(&s))
        .await
        .json();
    let level = |code: &str| {
        set.as_array()
            .expect("set")
            .iter()
            .find(|r| r["competency"] == code)
            .map(|r| r["level"].clone())
    };
    assert_eq!(level("M.01"), Some(json!(4)));
    assert_eq!(level("T.BNC.01"), Some(json!(2)));
    let bad = format!(
        "ID Jabatan,Kode Kompetensi,Level\n999999,M.01,3\n{id},NOPE,3\n{id},M.02,9\n{id},M.03,2\n{id},M.03,3\n"
    );
    let r = import(app, &s, "requirements", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"].as_array().map(Vec::len),
        Some(4),
        "{}",
        r.body
    );
    assert_eq!(
        level("M.03"),
        app.get(&format!("/api/v1/positions/{id}/requirements"), Some(&s))
            .await
            .json()
            .as_array()
            .expect("set")
            .iter()
            .find(|r| r["competency"] == "M.03")
            .map(|r| r["level"].clone()),
        "unchanged"
    );
}

both_backends!(
    units_import_writes_parents_first_and_refuses_cycles,
    positions_import_creates_with_default_standards_or_updates,
    dictionary_import_versions_changes_and_skips_unchanged_rows,
);

async fn units_import_writes_parents_first_and_refuses_cycles(app: &TestApp) {
    let s = app.login("admin").await;
    // The child comes first; the kecamatan is given by name.
    let csv = "Kode Unit,Nama,Kode Induk,Kecamatan\n\
               PKM.06.PUSTU2,Pustu Gunung Samarinda,PKM.06.PUSTU,babahrot\n\
               PKM.06.PUSTU,Pustu Babahrot,PKM.06,11.12.06\n\
               DINKES,Dinas Kesehatan Kabupaten Aceh Barat Daya,,Blangpidie\n";
    let r = import(app, &s, "units", false, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["created"].as_i64(), r.json()["updated"].as_i64()),
        (Some(2), Some(1))
    );
    let u = app
        .get("/api/v1/units/PKM.06.PUSTU2", Some(&s))
        .await
        .json();
    assert_eq!(
        (
            u["parent"].as_str(),
            u["kecamatan"].as_str(),
            u["depth"].as_i64()
        ),
        (Some("PKM.06.PUSTU"), Some("11.12.06"), Some(3))
    );
    let d = app.get("/api/v1/units/DINKES", Some(&s)).await.json();
    assert_eq!(d["name"], "Dinas Kesehatan Kabupaten Aceh Barat Daya");
    // A pimpinan of PKM.06 sees the new sub-units: the paths were written under it.
    let kapus = app.login("kapus.babahrot").await;
    assert_eq!(
        app.get("/api/v1/units/PKM.06.PUSTU2", Some(&kapus))
            .await
            .status,
        StatusCode::OK
    );

    let units = app.scalar("SELECT COUNT(*) FROM units").await;
    let audit = app.scalar("SELECT COUNT(*) FROM audit_log").await;
    let bad = "Kode Unit,Nama,Kode Induk,Kecamatan\n\
               PKM.06,Puskesmas Babahrot,PKM.06.PUSTU2,\n\
               X.1,Unit Baru,NOPE,\n\
               X.2,Unit Baru,,Banda Aceh\n\
               ' OR 1=1,Unit Baru,,\n\
               X.3,,,\n\
               X.4,Satu,,\n\
               X.4,Dua,,\n";
    let r = import(app, &s, "units", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = error_cells(&r);
    assert_eq!(
        errors,
        [
            (2, "Kode Induk".into()),
            (3, "Kode Induk".into()),
            (4, "Kecamatan".into()),
            (5, "Kode Unit".into()),
            (6, "Nama".into()),
            (8, "Kode Unit".into()),
        ],
        "{}",
        r.body
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM units").await, units);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log").await, audit);
    assert_eq!(
        app.get("/api/v1/units/PKM.06", Some(&s)).await.json()["parent"],
        "DINKES",
        "the cycle was not written"
    );
    // What we export, we import: every row is an update, none an error.
    let raw = raw_get(app, "/api/v1/exports/units?format=xlsx", &s).await;
    let r = import(app, &s, "units", true, &raw).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["updated"], r.json()["rows"]);
}

async fn positions_import_creates_with_default_standards_or_updates(app: &TestApp) {
    let s = app.login("admin").await;
    let pos = app
        .get("/api/v1/positions?unit=PKM.06", Some(&s))
        .await
        .json()["items"][0]
        .clone();
    let id = pos["id"].as_i64().expect("id");
    let csv = format!(
        "ID Jabatan,Kode Unit,Jabatan,Jenis Jabatan,Jenjang,Kelas\n\
         ,PKM.06,Nutrisionis Ahli Muda,fungsional,ahli_muda,9\n\
         {id},PKM.06,{},{},{},12\n",
        pos["name"].as_str().expect("name"),
        pos["kind"].as_str().expect("kind"),
        pos["jenjang"].as_str().unwrap_or(""),
    );
    let r = import(app, &s, "positions", false, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["created"].as_i64(), r.json()["updated"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        app.get(&format!("/api/v1/positions/{id}"), Some(&s))
            .await
            .json()["kelas"],
        12
    );
    let new_id = app
        .scalar("SELECT id FROM positions WHERE name = 'Nutrisionis Ahli Muda'")
        .await;
    let reqs = app
        .get(
            &format!("/api/v1/positions/{new_id}/requirements"),
            Some(&s),
        )
        .await
        .json();
    let reqs = reqs.as_array().expect("reqs");
    assert!(
        !reqs.is_empty() && reqs.iter().all(|r| r["level"] == 3),
        "ahli muda: level 3"
    );

    let before = app.scalar("SELECT COUNT(*) FROM positions").await;
    let bad = "ID Jabatan,Kode Unit,Jabatan,Jenis Jabatan,Jenjang,Kelas\n\
         ,NOPE,Analis,fungsional,ahli_muda,9\n\
         ,PKM.06,Kepala Tata Usaha,pengawas,ahli_muda,9\n\
         ,PKM.06,Pengadministrasi,pelaksana,,20\n\
         999999,PKM.06,Analis,pelaksana,,\n\
         ,PKM.06,<script>alert(1)</script>,presiden,,\n\
         ,PKM.06,Sanitarian Terampil,fungsional,terampil,x\n\
         ,PKM.06,Nutrisionis Ahli Muda,fungsional,ahli_muda,9\n\
         ,PKM.06,Nutrisionis Ahli Muda,fungsional,ahli_muda,9\n";
    let r = import(app, &s, "positions", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let rows: Vec<i64> = r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["row"].as_i64().expect("row"))
        .collect();
    assert_eq!(rows, [2, 3, 4, 5, 6, 7, 9], "{}", r.body);
    assert!(r.body.contains("Jenjang"), "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM positions").await, before);
    let raw = raw_get(app, "/api/v1/exports/positions?format=csv", &s).await;
    let r = import(app, &s, "positions", true, &raw).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["updated"], r.json()["rows"]);
}

async fn dictionary_import_versions_changes_and_skips_unchanged_rows(app: &TestApp) {
    let s = app.login("admin").await;
    let m01 = app.get("/api/v1/competencies/M.01", Some(&s)).await.json();
    let d: Vec<&str> = m01["descriptors"]
        .as_array()
        .expect("descriptors")
        .iter()
        .map(|d| d.as_str().expect("text"))
        .collect();
    let csv = format!(
        "Kode Kompetensi,Nama,Jenis,Krisis,Level 1,Level 2,Level 3,Level 4,Level 5\n\
         M.01,Integritas (revisi),manajerial,tidak,\"{}\",\"{}\",\"{}\",\"{}\",\"{}\"\n\
         T.LOG.01,Logistik Bencana,teknis,ya,Mengenal,Menerapkan,Mengelola,Mengoordinasikan,Merumuskan\n",
        d[0], d[1], d[2], d[3], d[4]
    );
    let r = import(app, &s, "competencies", false, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.json()["created"].as_i64(), r.json()["updated"].as_i64()),
        (Some(1), Some(1))
    );
    let after = app.get("/api/v1/competencies/M.01", Some(&s)).await.json();
    assert_eq!(after["name"], "Integritas (revisi)");
    assert_eq!(after["version"], m01["version"].as_i64().expect("v") + 1);
    let t = app
        .get("/api/v1/competencies/T.LOG.01", Some(&s))
        .await
        .json();
    assert_eq!(
        (t["kind"].as_str(), t["crisis"].as_bool()),
        (Some("teknis"), Some(true))
    );
    // The same file again changes nothing and makes no new version.
    let r = import(app, &s, "competencies", false, csv.as_bytes()).await;
    assert_eq!(
        (r.json()["created"].as_i64(), r.json()["updated"].as_i64()),
        (Some(0), Some(0)),
        "{}",
        r.body
    );
    assert_eq!(
        app.get("/api/v1/competencies/M.01", Some(&s)).await.json()["version"],
        after["version"]
    );

    let before = app.scalar("SELECT COUNT(*) FROM competencies").await;
    let bad = "Kode Kompetensi,Nama,Jenis,Krisis,Level 1,Level 2,Level 3,Level 4,Level 5\n\
               T.X.01,Satu,spiritual,tidak,a,b,c,d,e\n\
               T.X.02,Dua,teknis,mungkin,a,b,c,d,e\n\
               T.X.03,Tiga,teknis,tidak,a,b,,d,e\n\
               =cmd|' /C calc'!A0,Empat,teknis,tidak,a,b,c,d,e\n\
               T.X.05,Lima,teknis,tidak,a,b,c,d,e\n\
               T.X.05,Lima lagi,teknis,tidak,a,b,c,d,e\n";
    let r = import(app, &s, "competencies", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = error_cells(&r);
    assert_eq!(
        errors,
        [
            (2, "Jenis".into()),
            (3, "Krisis".into()),
            (4, "Level 3".into()),
            (5, "Kode Kompetensi".into()),
            (7, "Kode Kompetensi".into()),
        ],
        "{}",
        r.body
    );
    assert!(r.body.contains("bukan \\\"mungkin\\\""), "{}", r.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM competencies").await,
        before
    );
    let raw = raw_get(app, "/api/v1/exports/competencies?format=xlsx", &s).await;
    let r = import(app, &s, "competencies", true, &raw).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (
            r.json()["created"].as_i64(),
            r.json()["updated"].as_i64(),
            r.json()["errors"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0), Some(0)),
        "{}",
        r.body
    );
}

/// (row, column) of each error an import reported.
fn error_cells(r: &common::Resp) -> Vec<(i64, String)> {
    r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            let row = e["row"].as_i64().expect("row");
            (row, e["column"].as_str().expect("column").to_string())
        })
        .collect()
}

both_backends!(potential_scores_import_with_decimal_commas_and_checks);

async fn potential_scores_import_with_decimal_commas_and_checks(app: &TestApp) {
    let s = app.login("admin").await;
    let nips: Vec<String> = app
        .get("/api/v1/employees?unit=PKM.06&per_page=3", Some(&s))
        .await
        .json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["nip"].as_str().expect("nip").to_string())
        .collect();
    let csv = format!(
        "NIP;Tahun;Skor;Sumber\n{};2026;87,5;Assessment center BKN\n{};2026;92;\n",
        nips[0], nips[1]
    );
    let r = import(app, &s, "potentials", false, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 2);
    let score = app
        .scalar(&format!(
            "SELECT CAST(ps.score * 10 AS BIGINT) FROM potential_scores ps JOIN employees e \
             ON e.tenant_id = ps.tenant_id AND e.id = ps.employee_id \
             WHERE e.nip = '{}' AND ps.year = 2026",
            nips[0]
        ))
        .await;
    assert_eq!(score, 875);
    let before = app.scalar("SELECT COUNT(*) FROM potential_scores").await;
    let bad = format!(
        "NIP,Tahun,Skor\n199901012020011999,2026,80\n{n},1999,80\n{n},2026,101\n{n},2026,tinggi\n{m},2025,70\n{m},2025,71\n",
        n = nips[0],
        m = nips[2]
    );
    let r = import(app, &s, "potentials", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        error_cells(&r),
        [
            (2, "NIP".to_string()),
            (3, "Tahun".to_string()),
            (4, "Skor".to_string()),
            (5, "Skor".to_string()),
            (5, "NIP".to_string()),
            (7, "NIP".to_string()),
        ]
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM potential_scores").await,
        before
    );
    let t = raw_get(app, "/api/v1/imports/potentials/template?format=csv", &s).await;
    assert!(t.starts_with(b"NIP,Tahun,Skor,Sumber"));
}

/// A ~1 KB XLSX written part by part: `A1` (and a row of data) near the top, one number in
/// `XFD1048576`, the last cell a sheet can have; the worksheet declares `A1:XFD1048576`.
fn far_cell_workbook() -> Vec<u8> {
    use std::io::Write;
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{package}/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/relationships"><Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rels}"><sheets><sheet name="Pegawai" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/relationships"><Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c><c r="B1" t="inlineStr"><is><t>Nama</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>199001012020121001</t></is></c><c r="B2" t="inlineStr"><is><t>Ani</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(text.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

/// Peak resident memory of this process (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

async fn a_tiny_workbook_with_a_far_cell_is_refused_fast(app: &TestApp) {
    let s = app.login("admin").await;
    let bytes = far_cell_workbook();
    assert!(bytes.len() < 2048, "a small file: {} bytes", bytes.len());
    let before = app.scalar("SELECT COUNT(*) FROM employees").await;
    let audit = app.scalar("SELECT COUNT(*) FROM audit_log").await;
    for dry_run in [true, false] {
        let started = std::time::Instant::now();
        let r = import(app, &s, "employees", dry_run, &bytes).await;
        let took = started.elapsed();
        // A dry run reports; a real one is refused with 422 (the API contract (docs/interfaces.md)).
        let status = if dry_run {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(r.status, status, "{}", r.body);
        let v = r.json();
        assert_eq!(v["created"], 0);
        assert_eq!(v["errors"].as_array().map(Vec::len), Some(1), "{v}");
        assert_eq!(
            v["errors"][0]["message"],
            "Sel XFD1048576 terisi di luar batas yang dibaca (200001 baris, 256 kolom). \
             Hapus isi di luar tabel, simpan, lalu unggah lagi."
        );
        // A dense range would be 1.7 × 10^10 cells; the answer comes at once, in little memory.
        assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
    }
    if let Some(kib) = peak_rss_kib() {
        assert!(kib < 2 * 1024 * 1024, "peak memory {kib} KiB");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM employees").await, before);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_log").await, audit);
    // In English when asked.
    let mut req = upload("/api/v1/imports/employees?dry_run=false", &s, &bytes, true);
    req.headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "en".parse().expect("header"));
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.json()["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Cell XFD1048576 is filled outside")),
        "{}",
        r.body
    );
}

both_backends!(complaints_import_from_a_lapor_export);

/// A SP4N-LAPOR!-style export: checked whole, statuses reached through their steps, the same
/// export imported again changes nothing.
async fn complaints_import_from_a_lapor_export(app: &TestApp) {
    let s = app.login("admin").await;
    let bad = "Nomor Tiket,Kode Unit,Tanggal,Kategori,Isi,Status\n\
        LPR-1,RSUD,2026-03-02,Pengaduan,Antrean lama,Selesai\n\
        LPR-2,NOPE,2026-03-02,Pengaduan,Unit salah,\n\
        LPR-3,RSUD,2999-01-01,Pengaduan,Tanggal depan,\n\
        LPR-4,RSUD,2026-03-02,Gosip,Kategori salah,\n\
        LPR-1,RSUD,2026-03-02,Aspirasi,Tiket ganda,\n\
        LPR-6,RSUD,2026-03-02,Aspirasi,,\n\
        LPR-7,RSUD,2026-03-02,Aspirasi,Status salah,Hilang\n";
    let before = app.scalar("SELECT COUNT(*) FROM complaints").await;
    let r = import(app, &s, "complaints", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].as_array().expect("errors").len();
    assert_eq!(errors, 6, "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM complaints").await, before);
    let good = "No. Tiket,Kode Unit,Tanggal Laporan,Klasifikasi,Isi Laporan,Nama Pelapor,Status\n\
        LPR-10,RSUD,02/03/2026,Pengaduan,\"=cmd|' /C calc'!A0 antrean IGD\",Teuku Umar,Selesai\n\
        LPR-11,PKM.01,2026-03-05,Permintaan Informasi,Jadwal imunisasi?,,Sedang Diproses\n\
        LPR-12,DISDUKCAPIL,2026-03-06,Aspirasi,Layanan keliling,,Ditolak\n";
    let r = import(app, &s, "complaints", true, good.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "dry run: {}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM complaints").await, before);
    let r = import(app, &s, "complaints", false, good.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 3, "{}", r.body);
    let status = |t: &str| format!("SELECT status FROM complaints WHERE external_id = '{t}'");
    assert_eq!(app.scalar_text(&status("LPR-10")).await, "selesai");
    assert_eq!(app.scalar_text(&status("LPR-11")).await, "diproses");
    assert_eq!(app.scalar_text(&status("LPR-12")).await, "ditolak");
    // Every step is in the complaint's history; the formula-looking text is kept as text.
    let steps = app
        .scalar("SELECT COUNT(*) FROM complaint_steps s JOIN complaints k ON k.id = s.complaint_id WHERE k.external_id = 'LPR-10'")
        .await;
    assert_eq!(steps, 4);
    assert!(
        app.scalar_text("SELECT summary FROM complaints WHERE external_id = 'LPR-10'")
            .await
            .starts_with("=cmd")
    );
    // The same export again: nothing new.
    let r = import(app, &s, "complaints", false, good.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 0, "{}", r.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM complaints").await,
        before + 3
    );
    // Dates from the export: a service after the complaint, a step dated before the one it
    // follows, a date for a step not taken, a bad date — each refused; kept dates count the
    // deadlines as they were kept, and none is made up.
    let dated_bad = "Nomor Tiket,Kode Unit,Tanggal,Kategori,Isi,Status,Tanggal Layanan,Tanggal Verifikasi,Tanggal Selesai\n\
        LPR-20,RSUD,2026-03-02,Pengaduan,Dilayani kemudian,Selesai,2026-03-05,2026-03-03,2026-03-20\n\
        LPR-21,RSUD,2026-03-02,Pengaduan,Mundur,Selesai,,2026-03-03,2026-03-01\n\
        LPR-22,RSUD,2026-03-02,Pengaduan,Tanggal rusak,Selesai,,kemarin,\n\
        LPR-23,RSUD,2026-03-02,Pengaduan,Belum diverifikasi,Baru,,,2026-03-20\n";
    let r = import(app, &s, "complaints", false, dated_bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.json()["errors"].as_array().map(Vec::len),
        Some(4),
        "{}",
        r.body
    );
    assert!(r.body.contains("sesudah tanggal pengaduan"), "{}", r.body);
    assert!(r.body.contains("belum diambil"), "{}", r.body);
    let dated = "Nomor Tiket,Kode Unit,Tanggal,Kategori,Isi,Status,Tanggal Layanan,Tanggal Verifikasi,Tanggal Selesai\n\
        LPR-30,RSUD,2026-03-02,Pengaduan,Diverifikasi terlambat,Selesai,2026-02-20,2026-03-10,2026-03-20\n\
        LPR-31,RSUD,2026-03-02,Pengaduan,Tepat waktu,Selesai,,2026-03-04,2026-03-20\n\
        LPR-32,RSUD,2026-03-02,Pengaduan,Diverifikasi lalu ditolak,Ditolak,2026-01-10,2026-03-03,2026-04-20\n";
    let r = import(app, &s, "complaints", false, dated.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = |t: &str| format!("SELECT id FROM complaints WHERE external_id = '{t}'");
    let late = app.scalar(&id("LPR-30")).await;
    let r = app
        .get(&format!("/api/v1/complaints/{late}"), Some(&s))
        .await;
    let v = r.json();
    assert_eq!(
        (
            &v["late"],
            &v["overdue"],
            &v["served_on"],
            &v["verified_on"]
        ),
        (
            &json!(true),
            &json!(false),
            &json!("2026-02-20"),
            &json!("2026-03-10")
        ),
        "{v}"
    );
    let on_time = app.scalar(&id("LPR-31")).await;
    let r = app
        .get(&format!("/api/v1/complaints/{on_time}"), Some(&s))
        .await;
    assert_eq!(r.json()["late"], false, "{}", r.body);
    // Verified in time, refused later: it went through verification, and was not late; a
    // service 51 days before is kept (SP4N-LAPOR! admitted it).
    let refused = app.scalar(&id("LPR-32")).await;
    let v = app
        .get(&format!("/api/v1/complaints/{refused}"), Some(&s))
        .await
        .json();
    assert_eq!(
        (&v["status"], &v["late"]),
        (&json!("ditolak"), &json!(false)),
        "{v}"
    );
    assert_eq!(
        v["steps"].as_array().map(Vec::len),
        Some(3),
        "baru, diverifikasi, ditolak: {v}"
    );
    // An export without dates makes none up.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM complaints WHERE external_id = 'LPR-10' AND verified_on IS NULL AND resolved_on IS NULL").await,
        1
    );
    // The template has the export's columns.
    let r = app
        .get("/api/v1/imports/complaints/template?format=csv", Some(&s))
        .await;
    assert!(
        r.body.starts_with(
            "Nomor Tiket,Kode Unit,Tanggal,Kategori,Isi,Saluran,Pelapor,Kontak,Status"
        ),
        "{}",
        r.body
    );
}
