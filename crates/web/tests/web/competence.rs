//! The competency core through the API: standards, assessments, the effective-level rule,
//! gaps and JPM per person and per unit, on SQLite and PostgreSQL.

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

both_backends!(
    domain_worked_example_through_the_api,
    standards_are_replaced_whole_and_checked,
    assessments_are_checked_and_only_bkpsdm_records_counting_results,
    unit_gaps_aggregate_the_subtree_for_those_allowed,
    new_positions_start_from_the_default_standard,
);

/// A fresh employee with a fresh position in PKM.06, for exact arithmetic.
async fn fresh(app: &TestApp, s: &common::Session) -> (i64, String) {
    let p = app
        .api(
            Method::POST,
            "/api/v1/positions",
            Some(s),
            Some(json!({"name": "Penguji JPM", "unit": "PKM.06", "kind": "pelaksana", "kelas": 6})),
        )
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    let id = p.json()["id"].as_i64().expect("id");
    let nip = "199505052023291999";
    let e = app
        .api(Method::POST, "/api/v1/employees", Some(s), Some(json!({"nip": nip, "name": "Uji JPM", "status": "PPPK", "unit": "PKM.06", "position": id})))
        .await;
    assert_eq!(e.status, StatusCode::CREATED, "{}", e.body);
    (id, nip.to_string())
}

async fn assess(
    app: &TestApp,
    s: &common::Session,
    nip: &str,
    code: &str,
    level: i64,
    method: &str,
    on: &str,
) -> common::Resp {
    app.api(
        Method::POST,
        "/api/v1/assessments",
        Some(s),
        Some(json!({"nip": nip, "competency": code, "level": level, "method": method, "assessed_on": on})),
    )
    .await
}

async fn domain_worked_example_through_the_api(app: &TestApp) {
    let s = app.login("admin").await;
    let (position, nip) = fresh(app, &s).await;
    let set = json!([
        {"competency": "M.01", "level": 3}, {"competency": "M.02", "level": 3},
        {"competency": "M.03", "level": 3}, {"competency": "M.04", "level": 2}
    ]);
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/positions/{position}/requirements"),
            Some(&s),
            Some(set),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Nothing assessed yet: every competency "belum diases", JPM 0.
    let g = app
        .get(&format!("/api/v1/employees/{nip}/gaps"), Some(&s))
        .await
        .json();
    assert_eq!(g["jpm"], 0.0);
    assert_eq!(g["category"], "Kurang Optimal");
    assert!(
        g["gaps"]
            .as_array()
            .expect("gaps")
            .iter()
            .all(|i| i["assessed"] == false)
    );
    // Actual (3,2,4,1) → 10/11 = 90.91 → Optimal, gaps (0,1,0,1).
    for (code, level) in [("M.01", 3), ("M.02", 2), ("M.03", 4), ("M.04", 1)] {
        assert_eq!(
            assess(app, &s, &nip, code, level, "uji_kompetensi", "2026-03-01")
                .await
                .status,
            StatusCode::CREATED
        );
    }
    // Noise that must not count: a self-assessment, an expired result, an older result.
    assert_eq!(
        assess(app, &s, &nip, "M.02", 5, "self", "2026-06-01")
            .await
            .status,
        StatusCode::CREATED
    );
    let expired = app
        .api(Method::POST, "/api/v1/assessments", Some(&s), Some(json!({"nip": nip, "competency": "M.04", "level": 5, "method": "assessment_center", "assessed_on": "2020-01-01", "valid_until": "2023-01-01"})))
        .await;
    assert_eq!(expired.status, StatusCode::CREATED);
    assert_eq!(
        assess(app, &s, &nip, "M.01", 1, "course", "2025-01-01")
            .await
            .status,
        StatusCode::CREATED
    );
    let g = app
        .get(&format!("/api/v1/employees/{nip}/gaps"), Some(&s))
        .await
        .json();
    assert_eq!(g["nip"], nip.as_str());
    assert_eq!(g["jpm"], 90.91);
    assert_eq!(g["category"], "Optimal");
    assert_eq!(g["selection_category"], "Memenuhi Syarat");
    let gaps: Vec<i64> = g["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|i| i["gap"].as_i64().expect("gap"))
        .collect();
    assert_eq!(gaps, vec![0, 1, 0, 1]);
    assert_eq!(g["gaps"][1]["self_level"], 5, "self shown beside");
    assert_eq!(g["gaps"][1]["actual"], 2, "but not counted");
    // Same day, higher authority wins: an assessment center 2 beats the uji kompetensi 3.
    assert_eq!(
        assess(app, &s, &nip, "M.01", 2, "assessment_center", "2026-03-01")
            .await
            .status,
        StatusCode::CREATED
    );
    let g = app
        .get(&format!("/api/v1/employees/{nip}/gaps"), Some(&s))
        .await
        .json();
    assert_eq!(g["gaps"][0]["actual"], 2);
    assert_eq!(g["jpm"], 81.82);
    assert_eq!(g["category"], "Cukup Optimal");
    // The history keeps everything, newest first.
    let h = app
        .get(&format!("/api/v1/employees/{nip}/assessments"), Some(&s))
        .await
        .json();
    assert_eq!(h.as_array().map(Vec::len), Some(8));
    assert_eq!(h[0]["assessed_on"], "2026-06-01");
    assert_eq!(h[0]["competency_version"], 1);
    // The profile page shows it, with the radar.
    let page = app.get(&format!("/employees/{nip}"), Some(&s)).await;
    assert!(
        page.body.contains("81,82") && page.body.contains("class=\"radar\""),
        "JPM and radar on the page"
    );
}

async fn standards_are_replaced_whole_and_checked(app: &TestApp) {
    let s = app.login("admin").await;
    let (position, _) = fresh(app, &s).await;
    let path = format!("/api/v1/positions/{position}/requirements");
    let before = app.get(&path, Some(&s)).await.json();
    for (body, field) in [
        (json!([{"competency": "M.01", "level": 0}]), "level"),
        (json!([{"competency": "M.01", "level": 6}]), "level"),
        (json!([{"competency": "NOPE", "level": 2}]), "competency"),
        (
            json!([{"competency": "M.01", "level": 2}, {"competency": "M.01", "level": 3}]),
            "competency",
        ),
    ] {
        let r = app.api(Method::PUT, &path, Some(&s), Some(body)).await;
        assert_eq!(
            (r.status, r.json()["error"]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field))
        );
    }
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&s),
            Some(json!([{"competency": "M.01", "level": "x"}])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get(&path, Some(&s)).await.json(),
        before,
        "refusals change nothing"
    );
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&s),
            Some(json!([{"competency": "T.BNC.01", "level": 4}])),
        )
        .await;
    assert_eq!(r.json(), json!([{"competency": "T.BNC.01", "level": 4}]));
    let log = app
        .get("/api/v1/audit?entity=requirements", Some(&s))
        .await
        .json();
    assert_eq!(log["items"][0]["after"][0]["competency"], "T.BNC.01");
    // Only BKPSDM sets standards; others and other tenants' ids are refused.
    let kapus = app.login("kapus.babahrot").await;
    assert_eq!(
        app.api(Method::PUT, &path, Some(&kapus), Some(json!([])))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get(&path, Some(&kapus)).await.status, StatusCode::OK);
    let other = common::other_tenant(app).await;
    assert_eq!(
        app.get(
            &format!("/api/v1/positions/{}/requirements", other.position),
            Some(&s)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

async fn assessments_are_checked_and_only_bkpsdm_records_counting_results(app: &TestApp) {
    let s = app.login("admin").await;
    let (_, nip) = fresh(app, &s).await;
    let before = app.scalar("SELECT COUNT(*) FROM assessments").await;
    let base = json!({"nip": nip, "competency": "M.01", "level": 3, "method": "uji_kompetensi", "assessed_on": "2026-01-05"});
    let with = |k: &str, v: serde_json::Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (body, field) in [
        (with("level", json!(0)), "level"),
        (with("level", json!(6)), "level"),
        (with("method", json!("tebak")), "method"),
        (with("competency", json!("' OR 1=1 --")), "competency"),
        (with("assessed_on", json!("05/01/2026")), "assessed_on"),
        (with("assessed_on", json!("2026-02-30")), "assessed_on"),
        (with("assessed_on", json!("2999-01-01")), "assessed_on"),
        (with("valid_until", json!("2025-01-01")), "valid_until"),
        (with("note", json!("x".repeat(2001))), "note"),
    ] {
        let r = app
            .api(Method::POST, "/api/v1/assessments", Some(&s), Some(body))
            .await;
        assert_eq!(
            (r.status, r.json()["error"]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field)),
            "{}",
            r.body
        );
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/assessments",
            Some(&s),
            Some(with("nip", json!("197001012000031001"))),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM assessments").await,
        before,
        "nothing written"
    );
    // An ASN records self-assessments for themself only.
    let asn = app.login("asn").await;
    let own = app.get("/api/v1/employees", Some(&asn)).await.json()["items"][0]["nip"]
        .as_str()
        .expect("nip")
        .to_string();
    let mine = json!({"nip": own, "competency": "M.05", "level": 4, "method": "self", "assessed_on": "2026-01-05", "note": "<script>alert(1)</script>"});
    let r = app
        .api(
            Method::POST,
            "/api/v1/assessments",
            Some(&asn),
            Some(mine.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["note"], "<script>alert(1)</script>");
    let mut counting = mine.clone();
    counting["method"] = json!("uji_kompetensi");
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/assessments",
            Some(&asn),
            Some(counting)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let mut other = mine;
    other["nip"] = json!(nip);
    assert_eq!(
        app.api(Method::POST, "/api/v1/assessments", Some(&asn), Some(other))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let auditor = app.login("auditor").await;
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/assessments",
            Some(&auditor),
            Some(base)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn unit_gaps_aggregate_the_subtree_for_those_allowed(app: &TestApp) {
    let s = app.login("admin").await;
    let g = app.get("/api/v1/units/DINKES/gaps", Some(&s)).await.json();
    assert_eq!(g["unit"], "DINKES");
    let employees = g["employees"].as_i64().expect("employees");
    let in_dinkes = app
        .get("/api/v1/employees?unit=DINKES&per_page=1", Some(&s))
        .await
        .json()["total"]
        .as_i64()
        .expect("total");
    assert_eq!(employees, in_dinkes);
    let cats = g["categories"].as_object().expect("categories");
    assert_eq!(cats.len(), 3, "all three categories present");
    let counted: i64 = cats.values().filter_map(serde_json::Value::as_i64).sum();
    assert!(counted <= employees && counted > 0);
    let jpm = g["jpm_avg"].as_f64().expect("jpm");
    assert!((0.0..=100.0).contains(&jpm));
    let k = &g["competencies"][0];
    assert_eq!(k["competency"], "M.01");
    assert!(k["avg_required"].as_f64().is_some() && k["not_assessed"].as_i64().is_some());
    assert!(
        g["sub_units"].as_array().is_some_and(|s| s.len() >= 9),
        "one row per sub-unit (puskesmas…)"
    );
    // pimpinan: own subtree yes, elsewhere 404; asn and instruktur: 403.
    let kapus = app.login("kapus.babahrot").await;
    assert_eq!(
        app.get("/api/v1/units/PKM.06/gaps", Some(&kapus))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/units/DINKES/gaps", Some(&kapus))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for user in ["asn", "instruktur"] {
        let u = app.login(user).await;
        assert_eq!(
            app.get("/api/v1/units/PKM.06/gaps", Some(&u)).await.status,
            StatusCode::FORBIDDEN
        );
    }
    let page = app.get("/units/DINKES", Some(&s)).await;
    assert!(
        page.body.contains("table class=\"data heat\""),
        "heat map on the unit page"
    );
}

async fn new_positions_start_from_the_default_standard(app: &TestApp) {
    let s = app.login("admin").await;
    let cases = [
        ("administrator", None, 3),
        ("fungsional", Some("ahli_muda"), 3),
        ("fungsional", Some("ahli_madya"), 4),
        ("pelaksana", None, 1),
    ];
    for (i, (kind, jenjang, level)) in cases.into_iter().enumerate() {
        let r = app
            .api(Method::POST, "/api/v1/positions", Some(&s), Some(json!({"name": format!("Baru {i}"), "unit": "PKM.06", "kind": kind, "jenjang": jenjang})))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().expect("id");
        let set = app
            .get(&format!("/api/v1/positions/{id}/requirements"), Some(&s))
            .await
            .json();
        let set = set.as_array().expect("set");
        assert_eq!(set.len(), 9, "8 managerial + Perekat Bangsa");
        assert!(
            set.iter().all(|r| r["level"] == level),
            "{kind} {jenjang:?}: {set:?}"
        );
    }
}

both_backends!(exports_follow_the_templates_neutralise_formulas_and_respect_scope);

async fn exports_follow_the_templates_neutralise_formulas_and_respect_scope(app: &TestApp) {
    let s = app.login("admin").await;
    let r = app
        .api(Method::POST, "/api/v1/employees", Some(&s), Some(json!({"nip": "199001012021211001", "name": "=cmd|' /C calc'!A0", "status": "PPPK", "unit": "PKM.06"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let csv = app
        .get("/api/v1/exports/employees?format=csv", Some(&s))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"))
    );
    assert!(
        csv.headers
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("cakap-employees-"))
    );
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("NIP,Nama,Status,Golongan,Kode Unit,Jabatan,Jenis Jabatan,Jenjang,Email,Telepon")
    );
    assert_eq!(
        csv.body.lines().count(),
        common::DEMO_EMPLOYEES as usize + 2,
        "header + demo + the new one"
    );
    assert!(
        csv.body
            .contains("199001012021211001,'=cmd|' /C calc'!A0,PPPK"),
        "formula made text"
    );
    let xlsx = app
        .get("/api/v1/exports/assessments?format=xlsx", Some(&s))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"), "a zip container");
    for kind in ["units", "positions", "competencies", "requirements"] {
        assert_eq!(
            app.get(&format!("/api/v1/exports/{kind}?format=csv"), Some(&s))
                .await
                .status,
            StatusCode::OK,
            "{kind}"
        );
    }
    assert_eq!(
        app.get("/api/v1/exports/salaries?format=csv", Some(&s))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/exports/units?format=pdf", Some(&s))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // A pimpinan exports their subtree only; an ASN exports nothing.
    let kapus = app.login("kapus.babahrot").await;
    let mine = app
        .get("/api/v1/exports/employees?format=csv", Some(&kapus))
        .await;
    assert!(
        mine.body.lines().skip(1).all(|l| l.contains(",PKM.06,")),
        "only PKM.06 rows"
    );
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/api/v1/exports/employees?format=csv", Some(&asn))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

both_backends!(the_dictionary_is_edited_in_versions_and_retired_not_deleted);

async fn the_dictionary_is_edited_in_versions_and_retired_not_deleted(app: &TestApp) {
    let s = app.login("admin").await;
    let d = |n: usize| {
        (1..=n)
            .map(|l| format!("Level {l}: <b>uraian</b>"))
            .collect::<Vec<_>>()
    };
    let new = json!({"code": "T.KBK.01", "name": "Penanganan Kebakaran Hutan", "kind": "teknis", "descriptors": d(5), "crisis": true});
    let r = app
        .api(
            Method::POST,
            "/api/v1/competencies",
            Some(&s),
            Some(new.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (r.json()["version"].as_i64(), r.json()["crisis"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/competencies",
            Some(&s),
            Some(new.clone())
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    for (patch, field) in [
        (json!({"descriptors": d(4)}), "descriptors"),
        (json!({"kind": "rahasia"}), "kind"),
        (json!({"name": " "}), "name"),
    ] {
        let r = app
            .api(
                Method::PATCH,
                "/api/v1/competencies/T.KBK.01",
                Some(&s),
                Some(patch),
            )
            .await;
        assert_eq!(
            (r.status, r.json()["error"]["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field))
        );
    }
    // A result recorded now names version 1; the edit makes version 2 and keeps version 1.
    let nip = app
        .get("/api/v1/employees?unit=PKM.06&per_page=1", Some(&s))
        .await
        .json()["items"][0]["nip"]
        .as_str()
        .expect("nip")
        .to_string();
    let a = app
        .api(Method::POST, "/api/v1/assessments", Some(&s), Some(json!({"nip": nip, "competency": "T.KBK.01", "level": 2, "method": "course", "assessed_on": "2026-02-02"})))
        .await;
    assert_eq!(a.json()["competency_version"], 1);
    let r = app
        .api(
            Method::PATCH,
            "/api/v1/competencies/T.KBK.01",
            Some(&s),
            Some(json!({"name": "Pengendalian Kebakaran Hutan dan Lahan", "version": 1})),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["version"].as_i64()),
        (StatusCode::OK, Some(2))
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM competency_versions WHERE code = 'T.KBK.01' AND version = 1"
        )
        .await,
        1
    );
    let stale = app
        .api(
            Method::PATCH,
            "/api/v1/competencies/T.KBK.01",
            Some(&s),
            Some(json!({"crisis": false, "version": 1})),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    // Retired: still readable, no longer requirable.
    let r = app
        .api(
            Method::PATCH,
            "/api/v1/competencies/T.KBK.01",
            Some(&s),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(r.json()["active"], false);
    let pos = app
        .get("/api/v1/positions?unit=PKM.06", Some(&s))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .expect("id");
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/positions/{pos}/requirements"),
            Some(&s),
            Some(json!([{"competency": "T.KBK.01", "level": 2}])),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/api/v1/competencies/T.KBK.01", Some(&s))
            .await
            .status,
        StatusCode::OK
    );
    // Others may read, not write.
    let kapus = app.login("kapus.babahrot").await;
    assert_eq!(
        app.api(
            Method::PATCH,
            "/api/v1/competencies/M.01",
            Some(&kapus),
            Some(json!({"name": "x"}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/competencies/NOPE", Some(&kapus))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The page escapes descriptors.
    let page = app.get("/competencies", Some(&s)).await;
    assert!(!page.body.contains("<b>uraian</b>") && page.body.contains("&#60;b&#62;uraian"));
}

both_backends!(the_competence_page_lists_who_needs_attention_and_downloads_it);

async fn the_competence_page_lists_who_needs_attention_and_downloads_it(app: &TestApp) {
    let s = app.login("admin").await;
    let page = app.get("/competence", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("table class=\"data heat\"") && page.body.contains("Kurang Optimal")
    );
    let csv = app
        .get("/competence?list=belum&unit=DINKES&format=csv", Some(&s))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut lines = csv.body.lines();
    assert_eq!(lines.next(), Some("NIP,Nama,Unit,JPM,Belum Diases"));
    let rows: Vec<&str> = lines.collect();
    assert!(
        !rows.is_empty(),
        "some of Dinkes are not assessed in the demo"
    );
    assert!(rows.iter().all(|r| {
        r.rsplit(',')
            .next()
            .and_then(|n| n.parse::<i64>().ok())
            .is_some_and(|n| n > 0)
    }));
    // The API agrees on how many are not assessed somewhere.
    let g = app.get("/api/v1/units/DINKES/gaps", Some(&s)).await.json();
    let any_missing = g["competencies"]
        .as_array()
        .expect("c")
        .iter()
        .any(|k| k["not_assessed"].as_i64().unwrap_or(0) > 0);
    assert!(any_missing);

    // Filters by kecamatan, position kind and golongan split the list without losing anyone:
    // the parts add up to the whole.
    let count = |query: String| {
        let s = &s;
        async move {
            let r = app
                .get(
                    &format!("/competence?list=belum&format=csv{query}"),
                    Some(s),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{query}");
            r.body.lines().count() as i64 - 1
        }
    };
    let all = count(String::new()).await;
    assert!(all > 100, "{all}");
    let mut parts = 0;
    for k in 1..=9 {
        parts += count(format!("&kecamatan=11.12.0{k}")).await;
    }
    assert_eq!(
        parts, all,
        "every unit of the demo has a kecamatan (own or inherited)"
    );
    let babahrot = count("&kecamatan=11.12.06".into()).await;
    assert!(babahrot > 0 && babahrot < all);
    let mut parts = 0;
    for g in ["I", "II", "III", "IV", "pppk"] {
        parts += count(format!("&golongan={g}")).await;
    }
    assert_eq!(parts, all, "golongan groups");
    let mut parts = 0;
    for k in [
        "jpt_pratama",
        "administrator",
        "pengawas",
        "fungsional",
        "pelaksana",
    ] {
        parts += count(format!("&kind={k}")).await;
    }
    assert!(parts <= all && parts > all / 2, "{parts} of {all}");
    assert_eq!(count("&kecamatan=%27%20OR%201%3D1".into()).await, 0);
    // The page draws the JPM histogram and the table per kecamatan.
    let page = app.get("/competence?kecamatan=11.12.06", Some(&s)).await;
    assert!(page.body.contains("Sebaran JPM") && page.body.contains("Babahrot"));
    assert!(page.body.contains("90–100"));
}

both_backends!(
    results_are_recorded_on_the_profile_with_evidence_files,
    evidence_is_attached_once_by_api_and_served_only_to_those_who_see_the_person,
);

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn results_are_recorded_on_the_profile_with_evidence_files(app: &TestApp) {
    let s = app.login("admin").await;
    let (_, nip) = fresh(app, &s).await;
    let path = format!("/employees/{nip}/assessments");
    let fields = [
        ("competency", "M.01"),
        ("level", "4"),
        ("method", "uji_kompetensi"),
        ("assessed_on", "2026-02-10"),
        ("valid_until", ""),
        ("assessor", "Tim Uji Kompetensi BKPSDM"),
        ("note", "<script>alert(1)</script>"),
    ];
    let r = app
        .multipart(
            &path,
            &s,
            &fields,
            Some(("evidence", "<b>sertifikat</b>.pdf", PDF)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/employees/{nip}"), Some(&s)).await;
    assert!(page.body.contains("Tim Uji Kompetensi BKPSDM"));
    assert!(
        !page.body.contains("<script>alert(1)"),
        "the note is escaped"
    );
    assert!(
        !page.body.contains("<b>sertifikat"),
        "the file name is cleaned"
    );
    let history = app
        .get(&format!("/api/v1/employees/{nip}/assessments"), Some(&s))
        .await
        .json();
    let a = &history[0];
    assert_eq!(
        (a["level"].as_i64(), a["evidence"].as_str()),
        (Some(4), Some("b.pdf"))
    );
    let id = a["id"].as_i64().expect("id");
    let file = app
        .get(&format!("/api/v1/assessments/{id}/evidence"), Some(&s))
        .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "application/pdf");
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment;")
    );
    assert!(file.body.starts_with("%PDF-1.4"));
    // The gap engine uses it at once.
    let gaps = app
        .get(&format!("/api/v1/employees/{nip}/gaps"), Some(&s))
        .await
        .json();
    let m01 = gaps["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .find(|g| g["competency"] == "M.01")
        .cloned()
        .expect("M.01");
    assert_eq!(m01["actual"], 4);

    let count = || app.scalar("SELECT COUNT(*) FROM assessments");
    let before = count().await;
    // A file that only claims to be a PDF; a level of 6; a future date: refused on the page.
    let r = app
        .multipart(
            &path,
            &s,
            &fields,
            Some(("evidence", "x.pdf", b"MZ\x90\x00 not a pdf")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("PDF, PNG atau JPEG"), "{}", r.body);
    let mut bad = fields;
    bad[1] = ("level", "6");
    let r = app.multipart(&path, &s, &bad, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut bad = fields;
    bad[3] = ("assessed_on", "31/02/2026");
    let r = app.multipart(&path, &s, &bad, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Over the 5 MiB limit.
    let mut big = PDF.to_vec();
    big.resize(6 << 20, b' ');
    let r = app
        .multipart(&path, &s, &fields, Some(("evidence", "big.pdf", &big)))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Without the CSRF token.
    let r = app
        .multipart(
            &path,
            &common::Session {
                csrf: "nope".into(),
                ..s.clone()
            },
            &fields,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count().await, before, "nothing was recorded");

    // An ASN records a self-assessment for themself, but no counting method, and not for
    // anyone else.
    let asn = app.login("asn").await;
    let my_nip = app.get("/api/v1/employees", Some(&asn)).await.json()["items"][0]["nip"]
        .as_str()
        .expect("own nip")
        .to_string();
    let own = format!("/employees/{my_nip}/assessments");
    let mut mine = fields;
    mine[2] = ("method", "self");
    let r = app.multipart(&own, &asn, &mine, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.multipart(&own, &asn, &fields, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.multipart(&path, &asn, &mine, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(count().await, before + 1);
}

async fn evidence_is_attached_once_by_api_and_served_only_to_those_who_see_the_person(
    app: &TestApp,
) {
    let s = app.login("admin").await;
    let (_, nip) = fresh(app, &s).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/assessments",
            Some(&s),
            Some(json!({"nip": nip, "competency": "M.02", "level": 3, "method": "assessment_center", "assessed_on": "2026-01-05"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let put = |bytes: Vec<u8>, who: common::Session| async move {
        app.raw(
            Method::PUT,
            &format!("/api/v1/assessments/{id}/evidence?filename=laporan%20AC.png"),
            &who,
            bytes,
            &[("content-type", "application/octet-stream")],
        )
        .await
    };
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    // Not an image, another role, then right: once only.
    assert_eq!(
        put(b"GIF89a".to_vec(), s.clone()).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let kapus = app.login("kapus.babahrot").await;
    assert_eq!(
        put(png.clone(), kapus.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put(png.clone(), s.clone()).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        put(png.clone(), s.clone()).await.status,
        StatusCode::CONFLICT
    );
    let mut big = png.clone();
    big.resize((5 << 20) + 1, 0);
    assert_eq!(
        put(big, s.clone()).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let file = app
        .get(&format!("/api/v1/assessments/{id}/evidence"), Some(&s))
        .await;
    assert_eq!(file.headers["content-type"], "image/png");
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .expect("ascii")
            .contains("filename*=UTF-8''laporan%20AC.png")
    );
    // PKM.06's head sees their staff's evidence; the head of another puskesmas and another
    // tenant's admin do not, and an unknown id is simply not found.
    assert_eq!(
        app.get(&format!("/api/v1/assessments/{id}/evidence"), Some(&kapus))
            .await
            .status,
        StatusCode::OK
    );
    let asn = app.login("asn").await;
    assert_eq!(
        app.get(&format!("/api/v1/assessments/{id}/evidence"), Some(&asn))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Another tenant's evidence, asked for by its id, is not found.
    let other = common::other_tenant(app).await;
    let tenant = app
        .scalar("SELECT id FROM tenants WHERE code = '11.06'")
        .await;
    let employee = app
        .scalar(&format!(
            "SELECT id FROM employees WHERE nip = '{}'",
            other.nip
        ))
        .await;
    let foreign = {
        use cakap_store::{assessments, competencies};
        let mut c = app.db.begin().await.expect("tx");
        let k = competencies::NewCompetency {
            code: "M.01",
            name: "Integritas",
            kind: "manajerial",
            crisis: false,
            descriptors: ["a", "b", "c", "d", "e"],
            position: 1,
        };
        let k = competencies::insert(&mut c, tenant, &k)
            .await
            .expect("competency");
        let a = assessments::NewAssessment {
            employee_id: employee,
            competency_id: k,
            competency_version: 1,
            level: 3,
            method: "assessment_center",
            assessed_on: "2026-01-01",
            valid_until: None,
            assessor: None,
            note: None,
            created_by: "other",
        };
        let a = assessments::insert(&mut c, tenant, &a)
            .await
            .expect("assessment");
        let e = assessments::NewEvidence {
            filename: "rahasia.pdf",
            content_type: "application/pdf",
            sha256: "-",
            data: PDF,
        };
        assessments::attach(&mut c, tenant, a, &e)
            .await
            .expect("evidence");
        c.commit().await.expect("commit");
        a
    };
    assert_eq!(
        app.get(&format!("/api/v1/assessments/{foreign}/evidence"), Some(&s))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/assessments/99999999/evidence", Some(&s))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/assessments/'%20OR%201=1/evidence", Some(&s))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

both_backends!(unit_results_follow_every_change_at_once);

/// Unit results are cached briefly; every write that changes them clears the cache.
async fn unit_results_follow_every_change_at_once(app: &TestApp) {
    let s = app.login("admin").await;
    let (position, nip) = fresh(app, &s).await;
    let m01 = |g: serde_json::Value| {
        g["competencies"]
            .as_array()
            .expect("competencies")
            .iter()
            .find(|k| k["competency"] == "M.01")
            .map(|k| (k["required_by"].as_i64(), k["not_assessed"].as_i64()))
    };
    let read = || async { m01(app.get("/api/v1/units/PKM.06/gaps", Some(&s)).await.json()) };
    let before = read().await.expect("M.01 is required in PKM.06");
    assert_eq!(
        read().await,
        Some(before),
        "a second read (from the cache) agrees"
    );
    // An assessment of the fresh employee: one fewer not assessed.
    let r = app
        .api(
            Method::POST,
            "/api/v1/assessments",
            Some(&s),
            Some(json!({"nip": nip, "competency": "M.01", "level": 3, "method": "assessment_center", "assessed_on": "2026-01-05"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let after = read().await.expect("M.01");
    assert_eq!(after, (before.0, before.1.map(|n| n - 1)));
    // The position stops requiring M.01: one fewer requires it.
    let set: Vec<serde_json::Value> = app
        .get(
            &format!("/api/v1/positions/{position}/requirements"),
            Some(&s),
        )
        .await
        .json()
        .as_array()
        .expect("set")
        .iter()
        .filter(|r| r["competency"] != "M.01")
        .cloned()
        .collect();
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/positions/{position}/requirements"),
            Some(&s),
            Some(json!(set)),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(read().await.expect("M.01").0, before.0.map(|n| n - 1));
}

both_backends!(a_unit_is_assessed_in_one_batch_all_or_nothing);

async fn a_unit_is_assessed_in_one_batch_all_or_nothing(app: &TestApp) {
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
    let count = || app.scalar("SELECT COUNT(*) FROM assessments");
    let before = count().await;
    let batch = |results: Value, method: &str| {
        json!({"competency": "T.BNC.04", "method": method, "assessed_on": "2026-05-04",
               "assessor": "Tim Uji Kompetensi BPBD", "results": results})
    };
    for (body, why) in [
        (
            batch(json!([[nips[0], 3], [nips[1], 6]]), "uji_kompetensi"),
            "level 6",
        ),
        (batch(json!([[nips[0], 3]]), "self"), "self in a batch"),
        (
            batch(json!([[nips[0], 3], ["199901012020011999", 2]]), "360"),
            "unknown NIP",
        ),
        (
            batch(json!([[nips[0], 3], [nips[0], 2]]), "360"),
            "the same person twice",
        ),
        (batch(json!([]), "360"), "empty"),
    ] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/assessments/batch",
                Some(&s),
                Some(body),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            r.body
        );
    }
    assert_eq!(count().await, before, "nothing recorded");
    let kapus = app.login("kapus.babahrot").await;
    let ok = batch(json!([[nips[0], 3], [nips[1], 4]]), "uji_kompetensi");
    let r = app
        .api(
            Method::POST,
            "/api/v1/assessments/batch",
            Some(&kapus),
            Some(ok.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::POST,
            "/api/v1/assessments/batch",
            Some(&s),
            Some(ok),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["recorded"], 2);
    assert_eq!(count().await, before + 2);
    // The page: the unit's people with a level each; blanks get nothing.
    let page = app
        .get("/competence/entry?unit=PKM.06&competency=M.02", Some(&s))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("name=\"level.{}\"", nips[2])));
    let level = format!("level.{}", nips[2]);
    let blank = format!("level.{}", nips[1]);
    let r = app
        .form(
            "/competence/entry",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("unit", "PKM.06"),
                ("competency", "M.02"),
                ("method", "assessment_center"),
                ("assessed_on", "2026-05-05"),
                ("valid_until", ""),
                ("assessor", "<b>UPT</b>"),
                (level.as_str(), "4"),
                (blank.as_str(), ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(count().await, before + 3);
    let r = app
        .form(
            "/competence/entry",
            &s,
            &[
                ("_csrf", s.csrf.as_str()),
                ("unit", "PKM.06"),
                ("competency", "M.02"),
                ("method", "assessment_center"),
                ("assessed_on", "31/13/2026"),
                (level.as_str(), "4"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("role=\"alert\""));
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/competence/entry", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
}
