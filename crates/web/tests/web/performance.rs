//! Performance evaluation and the talent map through the API: the workflow and its
//! permissions, the predikat, the unit curve, potential scores, the 9-box map and successors;
//! on SQLite and PostgreSQL.

use crate::common;

use axum::http::{Method, StatusCode};
use chrono::Datelike;
use common::{Session, TestApp};
use serde_json::{Value, json};

both_backends!(
    a_plan_goes_from_draft_to_final_and_only_the_right_people_move_it,
    evaluations_give_the_predikat_and_refuse_bad_input,
    the_unit_curve_warns_and_lists_who_is_unrated,
    the_nine_box_map_and_ranked_successors,
);

fn year() -> i32 {
    chrono::Local::now().date_naive().year()
}

fn quarter() -> String {
    let today = chrono::Local::now().date_naive();
    format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1)
}

async fn plans(app: &TestApp, s: &Session, query: &str) -> Vec<Value> {
    let r = app
        .get(&format!("/api/v1/performance/plans?{query}"), Some(s))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json().as_array().expect("plans").clone()
}

fn perilaku(all: &str) -> Value {
    json!({
        "berorientasi_pelayanan": all, "akuntabel": all, "kompeten": all, "harmonis": all,
        "loyal": all, "adaptif": all, "kolaboratif": all
    })
}

async fn post(app: &TestApp, s: &Session, path: &str, body: Value) -> common::Resp {
    app.api(Method::POST, path, Some(s), Some(body)).await
}

async fn a_plan_goes_from_draft_to_final_and_only_the_right_people_move_it(app: &TestApp) {
    let asn = app.login("asn").await;
    let kapus = app.login("kapus.babahrot").await;
    let admin = app.login("admin").await;
    // The demo ASN has a draft for this quarter.
    let mine = plans(app, &asn, &format!("period={}", quarter())).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["status"], "draft");
    let id = mine[0]["id"].as_i64().expect("id");
    let nip = mine[0]["nip"].as_str().expect("nip").to_string();
    let path = format!("/api/v1/performance/plans/{id}");
    // A javascript: link is not evidence.
    let bad = json!([{"description": "x", "indicator": "y", "target": "1", "evidence": "javascript:alert(1)"}]);
    let r = app
        .api(
            Method::PUT,
            &format!("{path}/results"),
            Some(&asn),
            Some(bad),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let results = json!([
        {"description": "Cakupan imunisasi dasar lengkap di wilayah kerja", "indicator": "Persentase bayi diimunisasi lengkap", "target": "95%", "evidence": "https://drive.example.go.id/imunisasi", "note": "<script>alert(1)</script>"},
        {"description": "Laporan bulanan", "indicator": "Laporan tepat waktu", "target": "3 laporan"}
    ]);
    let r = app
        .api(
            Method::PUT,
            &format!("{path}/results"),
            Some(&asn),
            Some(results),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["results"][0]["note"], "<script>alert(1)</script>");
    // Evidence files: a PDF while it is a draft; not an executable pretending to be one.
    let upload = |bytes: &'static [u8], who: Session| {
        let path = format!("{path}/files?filename=laporan%20imunisasi.pdf");
        async move {
            app.raw(
                Method::POST,
                &path,
                &who,
                bytes.to_vec(),
                &[("content-type", "application/octet-stream")],
            )
            .await
        }
    };
    let r = upload(b"%PDF-1.4\n%%EOF\n", asn.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let file = r.json()["id"].as_i64().expect("file id");
    assert_eq!(
        upload(b"MZ\x90\x00", asn.clone()).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        upload(b"%PDF-1.4\n", kapus.clone()).await.status,
        StatusCode::FORBIDDEN,
        "only the owner adds evidence"
    );
    let f = app.get(&format!("{path}/files/{file}"), Some(&kapus)).await;
    assert_eq!(
        (f.status, f.headers["content-type"].to_str().ok()),
        (StatusCode::OK, Some("application/pdf"))
    );
    // The supervisor cannot rate what is not submitted; the ASN submits.
    let rate = |nip: &str| {
        json!({"nip": nip, "period": quarter(), "hasil_kerja": "di_atas", "perilaku_kerja": "sesuai",
               "perilaku": perilaku("sesuai"), "strengths": ["M.05"], "weaknesses": ["M.08"], "note": "Baik"})
    };
    let r = post(app, &kapus, "/api/v1/performance/evaluations", rate(&nip)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = post(app, &asn, &format!("{path}/submit"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "submitted");
    assert_eq!(
        upload(b"%PDF-1.4\n", asn.clone()).await.status,
        StatusCode::CONFLICT,
        "no evidence added after submitting"
    );
    // Submitted: the ASN can no longer change it, nor rate it.
    let r = app
        .api(
            Method::PUT,
            &format!("{path}/results"),
            Some(&asn),
            Some(json!([])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = post(app, &asn, "/api/v1/performance/evaluations", rate(&nip)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Returned needs a reason; then it comes back to the ASN, who submits again.
    let r = post(app, &kapus, &format!("{path}/return"), json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        app,
        &kapus,
        &format!("{path}/return"),
        json!({"note": "Target kedua belum terukur."}),
    )
    .await;
    assert_eq!(
        (r.status, r.json()["status"].as_str()),
        (StatusCode::OK, Some("returned"))
    );
    assert_eq!(r.json()["return_note"], "Target kedua belum terukur.");
    let r = post(app, &asn, &format!("{path}/submit"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    // The head of the Puskesmas rates; the answer carries the predikat.
    let r = post(app, &kapus, "/api/v1/performance/evaluations", rate(&nip)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        (
            r.json()["predikat"].as_str(),
            r.json()["predikat_label"].as_str()
        ),
        (Some("baik"), Some("Baik"))
    );
    // The weakness is stored where the gap page and development plans find it.
    let w = app
        .get(&format!("/api/v1/employees/{nip}/weaknesses"), Some(&asn))
        .await
        .json();
    assert_eq!(w[0]["competency"], "M.08");
    let page = app.get(&format!("/employees/{nip}"), Some(&asn)).await;
    assert!(
        page.body
            .contains("Kelemahan pada penilaian kinerja terakhir")
            && page.body.contains("tag bad"),
        "shown on the gap page"
    );
    // Final: nothing changes after, not even by admin.
    let r = post(app, &kapus, &format!("{path}/finalize"), json!({})).await;
    assert_eq!(r.json()["status"], "final", "{}", r.body);
    let r = post(app, &admin, "/api/v1/performance/evaluations", rate(&nip)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("sudah ditetapkan"), "{}", r.body);
    let r = post(app, &kapus, &format!("{path}/return"), json!({"note": "x"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = post(app, &kapus, &format!("{path}/explode"), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Every step is in the audit log.
    let steps = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'plan' AND entity_id = '{id}'"
        ))
        .await;
    assert_eq!(
        steps, 7,
        "results, file, submit, return, submit, evaluate, finalize"
    );
}

async fn evaluations_give_the_predikat_and_refuse_bad_input(app: &TestApp) {
    let admin = app.login("admin").await;
    let kapus = app.login("kapus.babahrot").await;
    let kapus_nip: String = app
        .scalar_text(
            "SELECT e.nip FROM users u JOIN employees e ON e.tenant_id = u.tenant_id \
             AND e.id = u.employee_id WHERE u.username = 'kapus.babahrot'",
        )
        .await;
    // Every cell of the matrix through the API, on submitted plans of the Puskesmas.
    let submitted: Vec<Value> = plans(app, &kapus, &format!("period={}&unit=PKM.06", quarter()))
        .await
        .into_iter()
        .filter(|p| p["status"] == "submitted" && p["nip"] != kapus_nip.as_str())
        .collect();
    let cells = [
        ("di_atas", "di_atas", "sangat_baik"),
        ("di_atas", "sesuai", "baik"),
        ("di_atas", "di_bawah", "kurang"),
        ("sesuai", "di_atas", "baik"),
        ("sesuai", "sesuai", "baik"),
        ("sesuai", "di_bawah", "kurang"),
        ("di_bawah", "di_atas", "butuh_perbaikan"),
        ("di_bawah", "sesuai", "butuh_perbaikan"),
        ("di_bawah", "di_bawah", "sangat_kurang"),
    ];
    assert!(
        !submitted.is_empty(),
        "the demo has submitted plans in PKM.06"
    );
    for (i, (hasil, perilaku_kerja, want)) in cells.iter().enumerate() {
        // Re-rating an evaluated plan is allowed until it is final.
        let p = &submitted[i % submitted.len()];
        let body = json!({"nip": p["nip"], "period": quarter(), "hasil_kerja": hasil,
            "perilaku_kerja": perilaku_kerja, "perilaku": perilaku(perilaku_kerja)});
        let r = post(app, &kapus, "/api/v1/performance/evaluations", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["predikat"], *want, "{hasil} × {perilaku_kerja}");
    }
    let target = submitted[0]["nip"].as_str().expect("nip").to_string();
    let good = json!({"nip": target, "period": quarter(), "hasil_kerja": "sesuai",
        "perilaku_kerja": "sesuai", "perilaku": perilaku("sesuai")});
    let with = |key: &str, value: Value| {
        let mut b = good.clone();
        b[key] = value;
        b
    };
    for (body, status) in [
        (
            with("hasil_kerja", json!("luar_biasa")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            with("hasil_kerja", json!(3)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            with("weaknesses", json!(["' OR 1=1"])),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            with("period", json!("1999-Q9")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            with("nip", json!("197001012000031001")),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let r = post(app, &kapus, "/api/v1/performance/evaluations", body.clone()).await;
        assert_eq!(r.status, status, "{body} → {}", r.body);
    }
    let r = app
        .api(
            Method::POST,
            "/api/v1/performance/evaluations",
            Some(&kapus),
            Some(json!({"nip": target})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "missing fields");

    // Nobody rates themself: the head's own plan, submitted by admin for the test.
    let existing = plans(app, &admin, &format!("period={}&unit=PKM.06", quarter()))
        .await
        .into_iter()
        .find(|p| p["nip"] == kapus_nip.as_str());
    let plan_id = match existing {
        Some(p) => p["id"].as_i64().expect("id"),
        None => {
            let r = post(
                app,
                &admin,
                "/api/v1/performance/plans",
                json!({"nip": kapus_nip, "period": quarter(),
                    "results": [{"description": "a", "indicator": "b", "target": "c"}]}),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.json()["id"].as_i64().expect("id")
        }
    };
    let _ = post(
        app,
        &admin,
        &format!("/api/v1/performance/plans/{plan_id}/submit"),
        json!({}),
    )
    .await;
    let r = post(
        app,
        &kapus,
        "/api/v1/performance/evaluations",
        json!({"nip": kapus_nip, "period": quarter(), "hasil_kerja": "di_atas",
            "perilaku_kerja": "di_atas", "perilaku": perilaku("di_atas")}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("diri sendiri"));
    // A closed period takes no new plan; a second plan for the same period is refused.
    let closed = format!("{}-Q1", year());
    let r = post(
        app,
        &admin,
        "/api/v1/performance/plans",
        json!({"nip": target, "period": closed}),
    )
    .await;
    // Closed (or, in the first quarter, already planned).
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = post(
        app,
        &admin,
        "/api/v1/performance/plans",
        json!({"nip": target, "period": quarter()}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Periods: admin opens one; the same twice, a bad kind or number are refused.
    let r = post(
        app,
        &admin,
        "/api/v1/performance/periods",
        json!({"kind": "annual", "year": year() + 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["ends_on"], format!("{}-12-31", year() + 1));
    for body in [
        json!({"kind": "annual", "year": year() + 1}),
        json!({"kind": "weekly", "year": year()}),
        json!({"kind": "periodic", "year": year() + 1, "number": 5}),
        json!({"kind": "annual", "year": 1900}),
    ] {
        let r = post(app, &admin, "/api/v1/performance/periods", body.clone()).await;
        assert!(
            r.status == StatusCode::CONFLICT || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{body} → {}",
            r.status
        );
    }
    let r = post(
        app,
        &kapus,
        "/api/v1/performance/periods",
        json!({"kind": "annual", "year": year() + 2}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Closing the quarter stops rating in it.
    let r = app
        .api(
            Method::PATCH,
            &format!("/api/v1/performance/periods/{}", quarter()),
            Some(&admin),
            Some(json!({"status": "closed"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = post(app, &kapus, "/api/v1/performance/evaluations", good).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("ditutup"), "{}", r.body);
}

async fn the_unit_curve_warns_and_lists_who_is_unrated(app: &TestApp) {
    let kapus = app.login("kapus.babahrot").await;
    let last = year() - 1;
    let get = |q: String| {
        let s = &kapus;
        async move {
            app.get(&format!("/api/v1/performance/distribution?{q}"), Some(s))
                .await
        }
    };
    let r = get(format!("period={last}&unit=PKM.06&unit_predikat=istimewa")).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the organisation's top predikat is Istimewa"
    );
    let admin = app.login("admin").await;
    assert_eq!(
        app.get("/api/v1/performance/plans", Some(&admin))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a period is needed to list everyone's plans"
    );
    let r = get(format!("period={last}&unit=PKM.06&unit_predikat=baik")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = r.json();
    let counted: i64 = d["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| c[1].as_i64().expect("n"))
        .sum();
    assert_eq!(counted, d["rated"].as_i64().expect("rated"));
    assert!(counted > 0);
    assert_eq!(
        d["counts"][3][0], "Kurang/Misconduct",
        "labels as the regulation writes them"
    );
    // A unit rated Sangat Kurang cannot have a mostly-Baik distribution: warned, not blocked.
    let r = get(format!(
        "period={last}&unit=PKM.06&unit_predikat=sangat_kurang"
    ))
    .await;
    let warnings = r.json()["warnings"].as_array().expect("warnings").clone();
    assert!(!warnings.is_empty());
    assert!(
        warnings[0]
            .as_str()
            .expect("text")
            .contains("Sangat Kurang")
    );
    // The unit's own predikat, once recorded, sets the curve without being asked for.
    let admin = app.login("admin").await;
    let put = |who: &Session, body: Value| {
        let who = who.clone();
        async move {
            app.api(
                Method::PUT,
                "/api/v1/performance/unit-predikat",
                Some(&who),
                Some(body),
            )
            .await
        }
    };
    let rating = json!({"unit": "PKM.06", "period": last.to_string(), "predikat": "sangat_kurang"});
    assert_eq!(
        put(&kapus, rating.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    for bad in [
        json!({"unit": "PKM.06", "period": last.to_string(), "predikat": "luar biasa"}),
        json!({"unit": "NOPE", "period": last.to_string(), "predikat": "baik"}),
        json!({"unit": "PKM.06", "period": "1999", "predikat": "baik"}),
    ] {
        assert_eq!(
            put(&admin, bad.clone()).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
    assert_eq!(put(&admin, rating).await.status, StatusCode::NO_CONTENT);
    let d = get(format!("period={last}&unit=PKM.06")).await.json();
    assert_eq!(
        (
            d["unit_predikat"].as_str(),
            d["unit_predikat_recorded"].as_bool()
        ),
        (Some("sangat_kurang"), Some(true))
    );
    assert!(!d["warnings"].as_array().expect("warnings").is_empty());
    // This quarter: some are not rated yet, and they are named.
    let r = get(format!("period={}&unit=PKM.06", quarter())).await;
    assert!(!r.json()["unrated"].as_array().expect("unrated").is_empty());
    // Another unit, an unknown predikat, an unknown period.
    assert_eq!(
        get(format!("period={last}&unit=DINKES")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(format!("period={last}&unit_predikat=istimewa%3Cscript%3E"))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        get("period=2099-Q1".into()).await.status,
        StatusCode::NOT_FOUND
    );
    let asn = app.login("asn").await;
    assert_eq!(
        app.get(
            &format!("/api/v1/performance/distribution?period={last}"),
            Some(&asn)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn the_nine_box_map_and_ranked_successors(app: &TestApp) {
    let admin = app.login("admin").await;
    let last = year() - 1;
    let r = app
        .get(&format!("/api/v1/talent/ninebox?year={last}"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let map = r.json();
    let boxes = map["boxes"].as_object().expect("boxes");
    assert_eq!(boxes.len(), 9);
    let placed: usize = boxes
        .values()
        .map(|v| v.as_array().expect("list").len())
        .sum();
    let employees = app
        .scalar("SELECT COUNT(*) FROM employees WHERE active = TRUE")
        .await;
    assert_eq!(
        placed as i64
            + map["without_predikat"]
                .as_i64()
                .expect("n")
                .max(map["without_score"].as_i64().expect("n")),
        employees,
        "everyone of the demo has last year's predikat and score"
    );
    // A Sangat Baik with a score of 95 lands in box 9; lowered to 50, in box 4.
    let nip = app
        .scalar_text(&format!(
            "SELECT e.nip FROM employees e JOIN performance_plans pl ON pl.tenant_id = e.tenant_id \
             AND pl.employee_id = e.id JOIN performance_periods pp ON pp.tenant_id = pl.tenant_id \
             AND pp.id = pl.period_id JOIN evaluations ev ON ev.tenant_id = pl.tenant_id \
             AND ev.plan_id = pl.id WHERE pp.code = '{last}' AND ev.predikat = 'sangat_baik' \
             ORDER BY e.nip LIMIT 1"
        ))
        .await;
    let in_box = |map: &Value, b: &str| {
        map["boxes"][b]
            .as_array()
            .expect("box")
            .iter()
            .any(|p| p["nip"] == nip.as_str())
    };
    for (score, b) in [(95.0, "9"), (50.0, "4"), (80.0, "7")] {
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/employees/{nip}/potential"),
                Some(&admin),
                Some(json!({"year": last, "score": score})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let map = app
            .get(&format!("/api/v1/talent/ninebox?year={last}"), Some(&admin))
            .await
            .json();
        assert!(in_box(&map, b), "score {score} → box {b}");
    }
    for body in [
        json!({"year": last, "score": 101}),
        json!({"year": last, "score": -1}),
        json!({"year": 1900, "score": 50}),
        json!({"year": last, "score": "tinggi"}),
    ] {
        let r = app
            .api(
                Method::PUT,
                &format!("/api/v1/employees/{nip}/potential"),
                Some(&admin),
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    // A pimpinan sees the map of their own subtree only and cannot set scores.
    let kapus = app.login("kapus.babahrot").await;
    let mine = app
        .get(&format!("/api/v1/talent/ninebox?year={last}"), Some(&kapus))
        .await
        .json();
    let staff = app
        .get("/api/v1/employees?unit=PKM.06&per_page=500", Some(&kapus))
        .await
        .json();
    let staff: Vec<&str> = staff["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e["nip"].as_str().expect("nip"))
        .collect();
    for list in mine["boxes"].as_object().expect("boxes").values() {
        for p in list.as_array().expect("list") {
            assert!(staff.contains(&p["nip"].as_str().expect("nip")));
        }
    }
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/employees/{nip}/potential"),
            Some(&kapus),
            Some(json!({"year": last, "score": 99})),
        )
        .await;
    assert!(r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/talent/ninebox?year=abc", Some(&admin))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Successors of a key position: boxes 7–9 only, highest JPM first, with their gaps.
    let keys = app
        .get("/api/v1/talent/key-positions", Some(&admin))
        .await
        .json();
    let key = keys[0]["position_id"]
        .as_i64()
        .expect("a key position in the demo");
    let r = app
        .get(
            &format!("/api/v1/talent/succession/{key}?year={last}"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = r.json();
    assert_eq!(s["key"], true);
    let candidates = s["candidates"].as_array().expect("candidates");
    assert!(!candidates.is_empty());
    let jpms: Vec<f64> = candidates
        .iter()
        .map(|c| c["jpm"].as_f64().unwrap_or(-1.0))
        .collect();
    assert!(jpms.windows(2).all(|w| w[0] >= w[1]), "ranked: {jpms:?}");
    assert!(
        candidates
            .iter()
            .all(|c| c["box"].as_i64().unwrap_or(0) >= 7)
    );
    assert!(
        candidates[0]["gaps"]
            .as_array()
            .is_some_and(|g| !g.is_empty())
    );
    // A pimpinan does not see the successors of a position outside their subtree.
    assert_eq!(
        app.get(&format!("/api/v1/talent/succession/{key}"), Some(&kapus))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Marking key positions is for admin; unknown positions are not found.
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/talent/key-positions/{key}"),
            Some(&kapus),
            Some(json!({"key": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/talent/key-positions/{key}"),
            Some(&admin),
            Some(json!({"key": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&format!("/api/v1/talent/succession/{key}"), Some(&admin))
            .await
            .json()["key"],
        false
    );
    assert_eq!(
        app.get("/api/v1/talent/succession/99999999", Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

both_backends!(tenant_settings_change_periods_and_thresholds);

async fn tenant_settings_change_periods_and_thresholds(app: &TestApp) {
    let admin = app.login("admin").await;
    let s = app
        .get("/api/v1/performance/settings", Some(&admin))
        .await
        .json();
    assert_eq!(
        (
            s["period_frequency"].as_str(),
            s["potensi_high"].as_i64(),
            s["potensi_mid"].as_i64()
        ),
        (Some("quarterly"), Some(90), Some(78))
    );
    let put = |who: Session, body: Value| async move {
        app.api(
            Method::PUT,
            "/api/v1/performance/settings",
            Some(&who),
            Some(body),
        )
        .await
    };
    for bad in [
        json!({"period_frequency": "weekly", "potensi_high": 90, "potensi_mid": 78}),
        json!({"period_frequency": "monthly", "potensi_high": 70, "potensi_mid": 78}),
        json!({"period_frequency": "monthly", "potensi_high": 101, "potensi_mid": 78}),
        json!({"period_frequency": "monthly"}),
    ] {
        assert_eq!(
            put(admin.clone(), bad.clone()).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
    let kapus = app.login("kapus.babahrot").await;
    let ok = json!({"period_frequency": "monthly", "potensi_high": 85, "potensi_mid": 70});
    assert_eq!(put(kapus, ok.clone()).await.status, StatusCode::FORBIDDEN);
    // The tier of a score follows the new thresholds at once.
    let last = year() - 1;
    let nip = app
        .get("/api/v1/employees?per_page=1", Some(&admin))
        .await
        .json()["items"][0]["nip"]
        .as_str()
        .expect("nip")
        .to_string();
    let score = |tier: &str| {
        let nip = nip.clone();
        let admin = admin.clone();
        let tier = tier.to_string();
        async move {
            let r = app
                .api(
                    Method::PUT,
                    &format!("/api/v1/employees/{nip}/potential"),
                    Some(&admin),
                    Some(json!({"year": last, "score": 86})),
                )
                .await;
            assert_eq!(r.json()["potensi"], tier.as_str(), "{}", r.body);
        }
    };
    score("menengah").await;
    assert_eq!(put(admin.clone(), ok).await.status, StatusCode::OK);
    score("tinggi").await;
    // Monthly periods now.
    let r = app
        .api(
            Method::POST,
            "/api/v1/performance/periods",
            Some(&admin),
            Some(json!({"kind": "periodic", "year": year() + 1, "number": 11})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["code"], format!("{}-11", year() + 1));
    assert_eq!(r.json()["ends_on"], format!("{}-11-30", year() + 1));
}
