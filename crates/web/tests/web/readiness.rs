//! Crisis readiness through the real router and a real database: the target table, readiness
//! per kecamatan exactly as DOMAIN §12 counts it (effective levels, expiry, availability),
//! team assembly nearest first, call-outs answered and replaced, drills, expiring
//! certifications and their reminders, roles and tenants, the pages.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Session, TestApp};
use serde_json::{Value, json};

const SUSOH: &str = "11.12.04";
const BLANGPIDIE: &str = "11.12.01";

async fn post(app: &TestApp, s: &Session, path: &str, body: Value) -> common::Resp {
    app.api(Method::POST, path, Some(s), Some(body)).await
}

async fn put(app: &TestApp, s: &Session, path: &str, body: Value) -> common::Resp {
    app.api(Method::PUT, path, Some(s), Some(body)).await
}

fn day(n: i64) -> String {
    (cakap_services::wib::today() + chrono::Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// NIPs of active people with a phone working in a kecamatan, not away, by id.
async fn people_in(app: &TestApp, kecamatan: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut c = app.db.conn().await.expect("conn");
    let rows = cakap_store::fetch_all!(
        c,
        (String,),
        "SELECT e.nip FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.kecamatan = $2 AND e.phone IS NOT NULL \
         AND e.phone <> '' AND NOT EXISTS (SELECT 1 FROM employee_availability a \
         WHERE a.tenant_id = e.tenant_id AND a.employee_id = e.id) \
         AND NOT EXISTS (SELECT 1 FROM users x WHERE x.tenant_id = e.tenant_id AND x.employee_id = e.id) \
         ORDER BY e.id",
        app.tenant,
        kecamatan
    )
    .expect("people");
    for (nip,) in rows.into_iter().take(n) {
        out.push(nip);
    }
    assert_eq!(out.len(), n, "enough people in {kecamatan}");
    out
}

/// A result of level 5 in Mitigasi Tanah Longsor (nobody in the demo has one).
async fn certify(app: &TestApp, admin: &Session, nip: &str, method: &str, until: Option<String>) {
    let r = post(
        app,
        admin,
        "/api/v1/assessments",
        json!({"nip": nip, "competency": "T.BNC.06", "level": 5, "method": method,
            "assessed_on": day(-400), "valid_until": until}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}

/// A login of the `asn` role for `nip`; its session.
async fn account(app: &TestApp, nip: &str, username: &str) -> Session {
    let hash = cakap_services::auth::hash_password(common::PASSWORD).expect("hash");
    let mut c = app.db.conn().await.expect("conn");
    let employee = cakap_store::employees::by_nip(&mut c, app.tenant, nip)
        .await
        .expect("employee")
        .expect("exists");
    cakap_store::users::insert(
        &mut c,
        app.tenant,
        &cakap_store::users::NewUser {
            username,
            password_hash: &hash,
            role: "asn",
            unit_id: None,
            employee_id: Some(employee.id),
        },
    )
    .await
    .expect("user");
    drop(c);
    app.login(username).await
}

/// The earthquake table: two level-5 landslide specialists in Susoh, one elsewhere.
fn gempa_table() -> Value {
    json!([
        {"hazard": "gempa", "role": "sarana_kritis", "competency": "T.BNC.06", "level": 5, "count": 1},
        {"hazard": "gempa", "role": "sarana_kritis", "competency": "T.BNC.06", "level": 5, "count": 2,
         "kecamatan": SUSOH},
        {"hazard": "banjir", "role": "logistik", "competency": "T.BNC.05", "level": 2, "count": 2},
    ])
}

fn kecamatan<'a>(r: &'a Value, code: &str) -> &'a Value {
    r["kecamatan"]
        .as_array()
        .expect("kecamatan")
        .iter()
        .find(|k| k["code"] == code)
        .expect("kecamatan listed")
}

async fn readiness_follows_the_rule(app: &TestApp) {
    let admin = app.login("admin").await;
    let r = put(app, &admin, "/api/v1/readiness/targets", gempa_table()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let got = app
        .get("/api/v1/readiness/targets", Some(&admin))
        .await
        .json();
    assert_eq!(got.as_array().map(Vec::len), Some(3));
    assert_eq!(got[1]["kecamatan"], SUSOH);
    assert!(got[0].get("kecamatan").is_none(), "a default line has none");

    let read = || async {
        app.get("/api/v1/readiness?hazard=gempa", Some(&admin))
            .await
            .json()
    };
    let r = read().await;
    assert_eq!(r["hazard"], "gempa");
    assert_eq!(r["kecamatan"].as_array().map(Vec::len), Some(9));
    let s = kecamatan(&r, SUSOH);
    assert_eq!(s["readiness"], 0.0);
    assert_eq!(s["holders"], 0);
    assert_eq!(
        s["missing"],
        json!([{"role": "sarana_kritis", "competency": "T.BNC.06", "short": 2}])
    );
    // Blangpidie has the default line (count 1).
    assert_eq!(kecamatan(&r, BLANGPIDIE)["missing"][0]["short"], 1);

    let [a, b, c, d] = <[String; 4]>::try_from(people_in(app, SUSOH, 4).await).expect("four");
    // A self-assessment never counts; an expired result neither.
    certify(app, &admin, &a, "self", None).await;
    certify(app, &admin, &b, "uji_kompetensi", Some(day(-1))).await;
    assert_eq!(kecamatan(&read().await, SUSOH)["readiness"], 0.0);
    // One holder of two: 50.0; two: 100.0 (capped; a third changes nothing).
    certify(app, &admin, &c, "uji_kompetensi", Some(day(300))).await;
    let r = read().await;
    assert_eq!(kecamatan(&r, SUSOH)["readiness"], 50.0);
    assert_eq!(kecamatan(&r, SUSOH)["holders"], 1);
    certify(app, &admin, &d, "assessment_center", None).await;
    certify(app, &admin, &a, "uji_kompetensi", None).await;
    let r = read().await;
    assert_eq!(kecamatan(&r, SUSOH)["readiness"], 100.0);
    assert_eq!(kecamatan(&r, SUSOH)["holders"], 3);
    assert_eq!(kecamatan(&r, SUSOH)["missing"], json!([]));
    // Someone away does not count; back, they count again.
    for nip in [&a, &d] {
        let r = put(
            app,
            &admin,
            &format!("/api/v1/employees/{nip}/availability"),
            json!({"available": false, "until": day(5), "reason": "Cuti tahunan"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["available"], false);
    }
    assert_eq!(kecamatan(&read().await, SUSOH)["readiness"], 50.0);
    let r = put(
        app,
        &admin,
        &format!("/api/v1/employees/{a}/availability"),
        json!({"available": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(kecamatan(&read().await, SUSOH)["readiness"], 100.0);
    // Every change is audited.
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'availability'")
            .await
            >= 3
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'readiness_targets'")
            .await,
        1
    );
    // A hazard left out of the query is the flood; tsunami leaves inland Babahrot out.
    let r = app.get("/api/v1/readiness", Some(&admin)).await.json();
    assert_eq!(r["hazard"], "banjir");
    let r = app
        .get("/api/v1/readiness?hazard=tsunami", Some(&admin))
        .await
        .json();
    assert!(
        !r["kecamatan"]
            .as_array()
            .expect("list")
            .iter()
            .any(|k| k["code"] == "11.12.06")
    );
}

async fn a_team_is_assembled_called_answered_and_replaced(app: &TestApp) {
    let admin = app.login("admin").await;
    assert_eq!(
        put(app, &admin, "/api/v1/readiness/targets", gempa_table())
            .await
            .status,
        StatusCode::OK
    );
    let here = people_in(app, SUSOH, 2).await;
    let near = people_in(app, BLANGPIDIE, 2).await;
    for nip in here.iter().chain(&near) {
        certify(app, &admin, nip, "uji_kompetensi", None).await;
    }
    // Three wanted: the two in Susoh first, then the nearest neighbour.
    let r = post(
        app,
        &admin,
        "/api/v1/readiness/teams",
        json!({"hazard": "gempa", "kecamatan": "Susoh",
            "roles": [{"role": "sarana_kritis", "competency": "T.BNC.06", "level": 5, "count": 3}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let team = r.json();
    let id = team["id"].as_i64().expect("id");
    let members = team["members"].as_array().expect("members").clone();
    assert_eq!(members.len(), 3);
    assert_eq!(members[0]["kecamatan_name"], "Susoh");
    assert_eq!(members[1]["kecamatan"], SUSOH);
    assert_eq!(members[2]["kecamatan"], BLANGPIDIE);
    assert_eq!(members[2]["distance"], 1);
    for m in &members {
        assert!(m["phone"].as_str().is_some_and(|p| !p.is_empty()));
        assert_eq!(m["role"], "sarana_kritis");
        assert_eq!(m["level"], 5);
    }
    assert_eq!(team["unfilled"], json!([]));
    // Five wanted of four holders: one unfilled, said.
    let r = post(
        app,
        &admin,
        "/api/v1/readiness/teams",
        json!({"hazard": "gempa", "kecamatan": SUSOH,
            "roles": [{"role": "sarana_kritis", "competency": "T.BNC.06", "level": 5, "count": 5}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        r.json()["unfilled"],
        json!([{"role": "sarana_kritis", "short": 1, "competency": "T.BNC.06", "level": 5}])
    );
    // No roles: the kecamatan's own table (two in Susoh).
    let r = post(
        app,
        &admin,
        "/api/v1/readiness/teams",
        json!({"hazard": "gempa", "kecamatan": SUSOH}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["members"].as_array().map(Vec::len), Some(2));

    // Accounts for the members, then the call-out.
    let mut sessions = Vec::new();
    for (i, m) in members.iter().enumerate() {
        let nip = m["nip"].as_str().expect("nip");
        sessions.push(account(app, nip, &format!("anggota{i}")).await);
    }
    let r = post(
        app,
        &admin,
        &format!("/api/v1/readiness/teams/{id}/callout"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let callout = r.json()["id"].as_i64().expect("callout");
    assert_eq!(r.json()["called"], 3);
    // Again: nobody new to call.
    let again = post(
        app,
        &admin,
        &format!("/api/v1/readiness/teams/{id}/callout"),
        json!({}),
    )
    .await;
    assert_eq!(
        again.json(),
        json!({"id": callout, "called": 0, "without_account": 0})
    );
    let inbox = app
        .get("/api/v1/notifications", Some(&sessions[0]))
        .await
        .json();
    let call = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|n| n["kind"] == "callout")
        .expect("called")
        .clone();
    assert_eq!(call["link"], format!("/panggilan/{callout}"));
    let page = app
        .get(&format!("/kesiapsiagaan/tim/{id}"), Some(&admin))
        .await;
    assert!(
        page.body.contains("hx-trigger=\"every 10s\""),
        "refreshes itself while someone has not answered"
    );
    assert!(call["title"].as_str().is_some_and(|t| t.contains("Susoh")));
    // Answers: siap with an ETA, tidak bisa; bad answers refused.
    let respond = |s: usize, body: Value| {
        let s = &sessions[s];
        async move { post(app, s, &format!("/api/v1/callouts/{callout}/respond"), body).await }
    };
    for bad in [
        json!({"answer": "mungkin"}),
        json!({"answer": "siap"}),
        json!({"answer": "siap", "eta_minutes": -5}),
        json!({"answer": "siap", "eta_minutes": "sebentar"}),
    ] {
        let r = respond(0, bad.clone()).await;
        assert!(
            r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::BAD_REQUEST,
            "{bad}: {}",
            r.status
        );
    }
    let r = respond(0, json!({"answer": "siap", "eta_minutes": 25})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["answer"], "siap");
    assert_eq!(r.json()["eta_minutes"], 25);
    let r = respond(2, json!({"answer": "tidak_bisa"})).await;
    assert_eq!(r.status, StatusCode::OK);
    // Two who cannot come in the same role are never offered the same person: one holder is
    // left (the other Blangpidie one), so one gets them and the other is told there is none.
    assert_eq!(
        respond(1, json!({"answer": "tidak_bisa"})).await.status,
        StatusCode::OK
    );
    let page = app
        .get(&format!("/kesiapsiagaan/tim/{id}"), Some(&admin))
        .await;
    assert_eq!(page.body.matches("Ganti dengan").count(), 1, "one proposal");
    assert_eq!(page.body.matches("Tidak ada pengganti").count(), 1);
    // They changed their mind.
    let r = respond(1, json!({"answer": "siap", "eta_minutes": 40})).await;
    assert_eq!(r.json()["answer"], "siap");
    // Not a member: not found; the asn login is nobody's member here.
    let asn = app.login("asn").await;
    let r = post(
        app,
        &asn,
        &format!("/api/v1/callouts/{callout}/respond"),
        json!({"answer": "siap", "eta_minutes": 5}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The coordinator sees the answers, and a replacement for who cannot come: the other
    // Blangpidie holder.
    let t = app
        .get(&format!("/api/v1/readiness/teams/{id}"), Some(&admin))
        .await
        .json();
    assert_eq!(t["members"][0]["answer"], "siap");
    assert_eq!(t["members"][2]["answer"], "tidak_bisa");
    let out = members[2]["nip"].as_str().expect("nip");
    let proposal = app
        .get(
            &format!("/api/v1/readiness/teams/{id}/replacement/{out}"),
            Some(&admin),
        )
        .await
        .json();
    let other = near
        .iter()
        .find(|n| n.as_str() != out)
        .expect("the other one");
    assert_eq!(proposal["nip"], other.as_str());
    let page = app
        .get(&format!("/kesiapsiagaan/tim/{id}"), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("hx-trigger=\"every 10s\""),
        "everyone answered: nothing left to wait for"
    );
    assert!(
        page.body.contains("/kesiapsiagaan/tim/"),
        "{}",
        page.body.len()
    );
    // Shown someone else than who is best now: refused, nothing changes.
    let r = post(
        app,
        &admin,
        &format!("/api/v1/readiness/teams/{id}/replace"),
        json!({"nip": out, "with": "199901012020011999"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = post(
        app,
        &admin,
        &format!("/api/v1/readiness/teams/{id}/replace"),
        json!({"nip": out, "with": other}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = r.json();
    let list = t["members"].as_array().expect("members");
    assert_eq!(list.len(), 4);
    assert_eq!(list[2]["replaced"], true);
    assert_eq!(list[3]["nip"], other.as_str());
    assert_eq!(list[3]["called"], true, "called at once");
    // The same place twice: a conflict, said in words; nothing changes.
    let r = post(
        app,
        &admin,
        &format!("/api/v1/readiness/teams/{id}/replace"),
        json!({"nip": out}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.error_code(), "conflict");
    // A replaced member's answer no longer counts.
    let r = respond(2, json!({"answer": "siap", "eta_minutes": 10})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Call list: CSV and a PDF.
    let csv = app
        .get(&format!("/kesiapsiagaan/tim/{id}?format=csv"), Some(&admin))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains(other.as_str()));
    assert!(!csv.body.contains(out), "the replaced one is off the list");
    let pdf = app
        .raw(
            Method::GET,
            &format!("/kesiapsiagaan/tim/{id}?format=pdf"),
            &admin,
            Vec::new(),
            &[],
        )
        .await;
    assert!(pdf.body.starts_with("%PDF-"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'team'")
            .await,
        1 + 3 + 1 + 1 + 4 + 1,
        "the demo's team, 3 teams, two call-outs (the second calls nobody), 4 answers, a replacement"
    );
}

async fn bad_input_changes_nothing(app: &TestApp) {
    let admin = app.login("admin").await;
    assert_eq!(
        put(app, &admin, "/api/v1/readiness/targets", gempa_table())
            .await
            .status,
        StatusCode::OK
    );
    let line = |patch: Value| {
        let mut l = json!({"hazard": "gempa", "role": "sar", "competency": "T.BNC.04", "level": 3, "count": 2});
        if let (Some(l), Some(p)) = (l.as_object_mut(), patch.as_object()) {
            for (k, v) in p {
                l.insert(k.clone(), v.clone());
            }
        }
        json!([l])
    };
    for (patch, field) in [
        (json!({"hazard": "<script>alert(1)</script>"}), "hazard"),
        (json!({"role": "' OR 1=1"}), "role"),
        (json!({"competency": "=cmd|' /C calc'!A0"}), "competency"),
        (json!({"level": 6}), "level"),
        (json!({"count": 0}), "count"),
        (json!({"count": 100000}), "count"),
        (
            json!({"hazard": "tsunami", "kecamatan": "11.12.06"}),
            "kecamatan",
        ),
        (json!({"kecamatan": "Banda Aceh"}), "kecamatan"),
    ] {
        let r = put(
            app,
            &admin,
            "/api/v1/readiness/targets",
            line(patch.clone()),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{patch}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["field"], field, "{patch}");
    }
    let r = put(
        app,
        &admin,
        "/api/v1/readiness/targets",
        json!([{"hazard": "gempa", "level": "tiga"}]),
    )
    .await;
    assert!(r.status.is_client_error());
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM readiness_targets").await,
        3,
        "unchanged"
    );
    // English callers get English messages.
    let r = app
        .raw(
            Method::PUT,
            "/api/v1/readiness/targets",
            &admin,
            line(json!({"level": 9})).to_string().into_bytes(),
            &[
                ("content-type", "application/json"),
                ("accept-language", "en"),
            ],
        )
        .await;
    assert!(r.body.contains("level must be"), "{}", r.body);
    // Teams.
    for body in [
        json!({"hazard": "kebakaran", "kecamatan": SUSOH}),
        json!({"hazard": "banjir", "kecamatan": "' OR 1=1"}),
        json!({"hazard": "banjir", "kecamatan": SUSOH,
            "roles": [{"role": "sar", "competency": "T.BNC.04", "level": 3, "count": 1000}]}),
        json!({"hazard": "banjir", "kecamatan": SUSOH,
            "roles": [{"role": "sar", "competency": "X.999", "level": 3, "count": 1}]}),
        json!({"hazard": "tsunami", "kecamatan": "11.12.06"}),
    ] {
        let r = post(app, &admin, "/api/v1/readiness/teams", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM response_teams").await,
        1,
        "the demo's"
    );
    // Availability.
    let nip = people_in(app, SUSOH, 1).await.remove(0);
    for body in [
        json!({"available": false, "until": day(-1), "reason": "Cuti"}),
        json!({"available": false, "until": "kemarin", "reason": "Cuti"}),
        json!({"available": false}),
        json!({"available": "tidak"}),
    ] {
        let r = put(
            app,
            &admin,
            &format!("/api/v1/employees/{nip}/availability"),
            body.clone(),
        )
        .await;
        assert!(r.status.is_client_error(), "{body}: {}", r.status);
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM employee_availability")
            .await,
        5,
        "only the demo's"
    );
    // Drills.
    for (body, field) in [
        (
            json!({"held_on": day(2), "hazard": "banjir", "kecamatan": SUSOH, "title": "X",
                "evaluator": "Y", "participants": [nip], "competencies": [{"competency": "T.BNC.02"}]}),
            "held_on",
        ),
        (
            json!({"held_on": day(-2), "hazard": "banjir", "kecamatan": SUSOH, "title": "X",
                "evaluator": "Y", "participants": ["199901012020011999"], "competencies": [{"competency": "T.BNC.02"}]}),
            "participants",
        ),
        (
            json!({"held_on": day(-2), "hazard": "banjir", "kecamatan": SUSOH, "title": "X",
                "evaluator": "Y", "participants": [nip], "competencies": [{"competency": "T.NOPE"}]}),
            "competencies",
        ),
    ] {
        let r = post(app, &admin, "/api/v1/readiness/drills", body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], field);
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM drills").await,
        1,
        "the demo's"
    );
}

async fn roles_and_tenants_are_kept_apart(app: &TestApp) {
    let admin = app.login("admin").await;
    let asn = app.login("asn").await;
    let kapus = app.login("kapus.babahrot").await;
    let auditor = app.login("auditor").await;
    // Readers: admin, auditor, pimpinan; an ASN sees only their own page.
    for s in [&admin, &auditor, &kapus] {
        let r = app.get("/api/v1/readiness?hazard=banjir", Some(s)).await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let r = app.get("/api/v1/readiness?hazard=banjir", Some(&asn)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/kesiapsiagaan", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/kesiapsiagaan/saya", Some(&asn)).await.status,
        StatusCode::OK
    );
    // Writers: admin only.
    for s in [&auditor, &kapus, &asn] {
        let r = put(app, s, "/api/v1/readiness/targets", gempa_table()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = post(
            app,
            s,
            "/api/v1/readiness/teams",
            json!({"hazard": "banjir", "kecamatan": "11.12.06"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let team = app.scalar("SELECT MIN(id) FROM response_teams").await;
    for s in [&auditor, &kapus, &asn] {
        for (path, body) in [
            (format!("/api/v1/readiness/teams/{team}/callout"), json!({})),
            (
                format!("/api/v1/readiness/teams/{team}/replace"),
                json!({"nip": "x"}),
            ),
            (
                "/api/v1/readiness/drills".to_string(),
                json!({"held_on": day(-1), "hazard": "banjir", "kecamatan": SUSOH, "title": "X",
                    "evaluator": "Y", "participants": ["x"], "competencies": [{"competency": "T.BNC.02"}]}),
            ),
        ] {
            let r = post(app, s, &path, body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    assert_eq!(
        app.get(&format!("/api/v1/readiness/teams/{team}"), Some(&kapus))
            .await
            .status,
        StatusCode::FORBIDDEN,
        "teams carry phone numbers: BKPSDM and the auditor only"
    );
    assert_eq!(app.scalar("SELECT COUNT(*) FROM callouts").await, 0);
    // Availability: oneself, one's head; not someone of another unit.
    let asn_nip = app
        .scalar_text("SELECT e.nip FROM users u JOIN employees e ON e.id = u.employee_id WHERE u.username = 'asn'")
        .await;
    let r = put(
        app,
        &asn,
        &format!("/api/v1/employees/{asn_nip}/availability"),
        json!({"available": false, "until": day(3), "reason": "Sakit"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = put(
        app,
        &kapus,
        &format!("/api/v1/employees/{asn_nip}/availability"),
        json!({"available": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "the head of the puskesmas");
    let elsewhere = people_in(app, SUSOH, 1).await.remove(0);
    for s in [&asn, &kapus] {
        let r = put(
            app,
            s,
            &format!("/api/v1/employees/{elsewhere}/availability"),
            json!({"available": false, "until": day(3), "reason": "Sakit"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    // Another regency's team and call-out are not found.
    let other = common::other_tenant(app).await;
    let mut c = app.db.conn().await.expect("conn");
    let other_tenant =
        cakap_store::fetch_scalar!(c, i64, "SELECT id FROM tenants WHERE code = '11.06'")
            .expect("tenant");
    let team =
        cakap_store::readiness::insert_team(&mut c, other_tenant, "banjir", SUSOH, "[]", "[]", "x")
            .await
            .expect("team");
    drop(c);
    let _ = other;
    for path in [
        format!("/api/v1/readiness/teams/{team}"),
        format!("/kesiapsiagaan/tim/{team}"),
    ] {
        assert_eq!(
            app.get(&path, Some(&admin)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = post(
        app,
        &admin,
        &format!("/api/v1/readiness/teams/{team}/callout"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM callouts").await, 0);
    // Their call-out, answered from here: not found.
    let mut c = app.db.conn().await.expect("conn");
    let (theirs, _) = cakap_store::readiness::call_out(&mut c, other_tenant, team, "x")
        .await
        .expect("call");
    drop(c);
    let r = post(
        app,
        &asn,
        &format!("/api/v1/callouts/{theirs}/respond"),
        json!({"answer": "siap", "eta_minutes": 5}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = put(
        app,
        &admin,
        &format!("/api/v1/employees/{}/availability", other.nip),
        json!({"available": false, "until": day(3), "reason": "Sakit"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

async fn certifications_expire_with_reminders_and_snapshots(app: &TestApp) {
    let admin = app.login("admin").await;
    let nip = people_in(app, SUSOH, 1).await.remove(0);
    account(app, &nip, "bersertifikat").await;
    let r = post(
        app,
        &admin,
        "/api/v1/assessments",
        json!({"nip": nip, "competency": "T.BNC.05", "level": 4, "method": "uji_kompetensi",
            "assessed_on": day(-1000), "valid_until": day(10)}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let list = app
        .get("/api/v1/readiness/certifications", Some(&admin))
        .await
        .json();
    let mine = list
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["nip"] == nip.as_str())
        .expect("listed")
        .clone();
    assert_eq!(mine["competency"], "T.BNC.05");
    assert_eq!(mine["valid_until"], day(10));
    // The daily job: a reminder per stage, once; this month's snapshot.
    let at = cakap_services::wib::at(cakap_services::wib::today(), 6) + 1;
    let mut c = app.db.conn().await.expect("conn");
    cakap_store::notifications::schedule(
        &mut c,
        0,
        cakap_services::readiness::DAILY_JOB,
        0,
        at - 1,
    )
    .await
    .expect("schedule");
    drop(c);
    cakap_services::jobs::run_due(&app.db, at)
        .await
        .expect("run");
    let q = "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE u.username = 'bersertifikat' AND n.kind = 'cert_expiry'";
    // 10 days away: inside both the 60-day and the 14-day stage.
    assert_eq!(app.scalar(q).await, 2);
    let mut c = app.db.conn().await.expect("conn");
    cakap_store::notifications::schedule(&mut c, 0, cakap_services::readiness::DAILY_JOB, 0, at)
        .await
        .expect("schedule");
    drop(c);
    cakap_services::jobs::run_due(&app.db, at + 5)
        .await
        .expect("run again");
    assert_eq!(app.scalar(q).await, 2, "once per stage");
    let month = cakap_services::wib::today().format("%Y-%m").to_string();
    assert!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM readiness_snapshots WHERE month = '{month}'"
        ))
        .await
            > 0
    );
    // The demo's own history: eleven months before this one.
    assert_eq!(
        app.scalar("SELECT COUNT(DISTINCT month) FROM readiness_snapshots")
            .await,
        12
    );
}

async fn drills_are_evidence_and_may_record_results(app: &TestApp) {
    let admin = app.login("admin").await;
    let who = people_in(app, SUSOH, 2).await;
    put(app, &admin, "/api/v1/readiness/targets", gempa_table()).await;
    let board = app
        .get("/api/v1/readiness?hazard=gempa", Some(&admin))
        .await
        .json();
    assert_eq!(
        kecamatan(&board, SUSOH)["readiness"],
        0.0,
        "read (and cached) before"
    );
    let r = post(
        app,
        &admin,
        "/api/v1/readiness/drills",
        json!({"held_on": day(-3), "hazard": "banjir", "kecamatan": "Susoh",
            "title": "Simulasi <b>banjir</b>", "evaluator": "Kalaksa BPBK",
            "participants": [who[0], who[1], who[0]],
            "competencies": [{"competency": "T.BNC.06", "level": 5}, {"competency": "T.BNC.04"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["participants"], 2);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM assessments WHERE method = 'course' AND level = 5 \
             AND assessed_on = '{}'",
            day(-3)
        ))
        .await,
        2,
        "a course result per participant, once"
    );
    // The results count toward readiness at once (the cached board was cleared).
    let r = app
        .get("/api/v1/readiness?hazard=gempa", Some(&admin))
        .await
        .json();
    assert_eq!(kecamatan(&r, SUSOH)["readiness"], 100.0);
    // Evidence on the profile, as BKPSDM sees it.
    let profile = app
        .get(&format!("/employees/{}", who[0]), Some(&admin))
        .await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("id=\"readiness\""));
    assert!(profile.body.contains("Kalaksa BPBK") || profile.body.contains("Simulasi"));
    // On the participant's own page.
    let s = account(app, &who[0], "peserta").await;
    let page = app.get("/kesiapsiagaan/saya", Some(&s)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Simulasi &#60;b&#62;banjir")
            || page.body.contains("Simulasi &lt;b&gt;banjir")
    );
}

async fn the_pages_work(app: &TestApp) {
    let admin = app.login("admin").await;
    let page = app.get("/kesiapsiagaan?hazard=banjir", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in [
        "<svg",
        "Babahrot",
        "kec-11.12.06",
        "T.BNC.05",
        "/kesiapsiagaan/tim",
    ] {
        assert!(page.body.contains(needle), "{needle}");
    }
    for path in [
        "/kesiapsiagaan?hazard=tsunami",
        "/kesiapsiagaan?hazard=%3Cscript%3E",
        "/kesiapsiagaan/target",
        "/kesiapsiagaan/latihan",
        "/kesiapsiagaan/saya",
    ] {
        let r = app.get(path, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    // The form makes a team from the table and goes to it.
    let r = app
        .form(
            "/kesiapsiagaan/tim",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("hazard", "banjir"),
                ("kecamatan", "11.12.06"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(to.starts_with("/kesiapsiagaan/tim/"), "{to}");
    let team = app.get(&to, Some(&admin)).await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(team.body.contains("Babahrot"));
    // Without the CSRF token nothing happens.
    let before = app.scalar("SELECT COUNT(*) FROM response_teams").await;
    let r = app
        .form(
            "/kesiapsiagaan/tim",
            &admin,
            &[("hazard", "banjir"), ("kecamatan", "11.12.06")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM response_teams").await,
        before
    );
    // The target grid: a line dropped, one added, a bad one refused with the table kept.
    let r = app
        .form(
            "/kesiapsiagaan/target",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("hazard", "gempa"),
                ("kecamatan", ""),
                ("role", "sar"),
                ("competency", "T.BNC.04"),
                ("level", "3"),
                ("count", "2"),
                ("hazard", "banjir"),
                ("kecamatan", ""),
                ("role", "logistik"),
                ("competency", "T.BNC.05"),
                ("level", "2"),
                ("count", "1"),
                ("drop", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM readiness_targets").await,
        1
    );
    let r = app
        .form(
            "/kesiapsiagaan/target",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("hazard", "gempa"),
                ("kecamatan", ""),
                ("role", "sar"),
                ("competency", "T.BNC.04"),
                ("level", "9"),
                ("count", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Level harus 1 sampai 5"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM readiness_targets").await,
        1
    );
    // One's own availability from the form.
    let asn = app.login("asn").await;
    let r = app
        .form(
            "/kesiapsiagaan/saya",
            &asn,
            &[
                ("_csrf", &asn.csrf),
                ("available", "0"),
                ("until", &day(4)),
                ("reason", "Cuti"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get("/kesiapsiagaan/saya", Some(&asn)).await;
    assert!(page.body.contains(&day(4)));
    let r = app
        .form(
            "/kesiapsiagaan/saya",
            &asn,
            &[
                ("_csrf", &asn.csrf),
                ("available", "0"),
                ("until", ""),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A drill from the form.
    let nips = people_in(app, SUSOH, 2).await.join("\n");
    let r = app
        .form(
            "/kesiapsiagaan/latihan",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("held_on", &day(-1)),
                ("hazard", "banjir"),
                ("kecamatan", SUSOH),
                ("title", "Gladi posko"),
                ("evaluator", "BPBK"),
                ("participants", &nips),
                ("competencies", "T.BNC.02, T.BNC.05"),
                ("level", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get("/kesiapsiagaan/latihan", Some(&admin)).await;
    assert!(page.body.contains("Gladi posko"));
    assert!(page.body.contains("T.BNC.02, T.BNC.05"));
}

both_backends!(
    readiness_follows_the_rule,
    a_team_is_assembled_called_answered_and_replaced,
    bad_input_changes_nothing,
    roles_and_tenants_are_kept_apart,
    certifications_expire_with_reminders_and_snapshots,
    drills_are_evidence_and_may_record_results,
    the_pages_work,
);
