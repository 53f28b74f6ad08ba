//! TPP through the real router and a real database: a month computed exactly as DOMAIN §14
//! (the domain's own function over the person's kelas, predikat and imported attendance),
//! versions that leave fixed months alone, refusals that change nothing, roles, the page.

use crate::common;

use axum::http::{Method, StatusCode};
use cakap_domain::tpp::{Attendance, Rules, compute};
use common::{Session, TestApp, upload};
use serde_json::{Value, json};

fn month(offset: i32) -> String {
    let today = cakap_services::wib::today();
    let d = if offset < 0 {
        today.checked_sub_months(chrono::Months::new(offset.unsigned_abs()))
    } else {
        today.checked_add_months(chrono::Months::new(offset as u32))
    };
    d.expect("month").format("%Y-%m").to_string()
}

async fn tpp(app: &TestApp, s: &Session, m: &str) -> Value {
    let r = app.get(&format!("/api/v1/tpp?month={m}"), Some(s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn item<'a>(t: &'a Value, nip: &str) -> &'a Value {
    t["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["nip"] == nip)
        .expect("the person")
}

/// An active employee with a kelas jabatan.
async fn someone(app: &TestApp) -> String {
    app.scalar_text(
        "SELECT e.nip FROM employees e JOIN positions p ON p.id = e.position_id \
         WHERE e.active = TRUE AND p.kelas IS NOT NULL ORDER BY e.id LIMIT 1",
    )
    .await
}

async fn a_month_follows_the_rule(app: &TestApp) {
    let admin = app.login("admin").await;
    // The demo fixed last month to version 1 when its attendance was imported.
    let last = tpp(app, &admin, &month(-1)).await;
    assert_eq!(last["version"], 1);
    assert_eq!(last["fixed"], true);
    let active = app
        .scalar("SELECT COUNT(*) FROM employees WHERE active = TRUE")
        .await;
    assert_eq!(
        last["items"].as_array().map(Vec::len),
        Some(active as usize)
    );
    let total: i64 = last["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["amount"].as_i64().expect("amount"))
        .sum();
    assert_eq!(last["total"].as_i64(), Some(total));
    assert!(
        last["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["disiplin_cut_pct"].as_f64() > Some(0.0)),
        "the demo has cuts"
    );

    // This month: one person's attendance imported; their line is the domain's computation
    // (read before, so the import must clear what was cached).
    let nip = someone(app).await;
    let m = month(0);
    let before = tpp(app, &admin, &m).await;
    assert_eq!(before["fixed"], false);
    let csv = format!(
        "NIP,Bulan,Terlambat 1-30,Terlambat 31-60,Terlambat 61-90,Terlambat >90,Tanpa Keterangan\n\
         {nip},{m},3,0,1,0,1\n"
    );
    let r = upload(app, &admin, "attendance", false, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = tpp(app, &admin, &m).await;
    assert_eq!(t["fixed"], true);
    let i = item(&t, &nip);
    let kelas = i["kelas"].as_i64().and_then(|k| u8::try_from(k).ok());
    let predikat = i["predikat"].as_str().and_then(|p| p.parse().ok());
    let want = compute(
        &Rules::default(),
        kelas,
        predikat,
        Some(&Attendance {
            late: [3, 0, 1, 0],
            absent: 1,
        }),
    );
    assert_eq!(i["amount"].as_i64(), Some(want.amount), "{i}");
    assert_eq!(i["disiplin_cut_pct"].as_f64(), Some(5.75));
    let reasons: Vec<&str> = i["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        reasons.contains(&"Terlambat 1–30 menit 3 kali × 0,5 % = 1,5 %"),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"Tanpa keterangan 1 hari × 3 % = 3 %"),
        "{reasons:?}"
    );
}

async fn a_rule_change_keeps_fixed_months(app: &TestApp) {
    let admin = app.login("admin").await;
    let before = tpp(app, &admin, &month(-1)).await;
    let mut rules = Rules::default();
    for v in rules.basic.values_mut() {
        *v += 500_000;
    }
    let r = app
        .api(
            Method::PUT,
            "/api/v1/tpp/rules",
            Some(&admin),
            Some(serde_json::to_value(&rules).expect("json")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    assert_eq!(r.json()["versions"].as_array().map(Vec::len), Some(2));
    // The same rules again make no new version.
    let r = app
        .api(
            Method::PUT,
            "/api/v1/tpp/rules",
            Some(&admin),
            Some(serde_json::to_value(&rules).expect("json")),
        )
        .await;
    assert_eq!(r.json()["version"], 2);
    // Last month keeps version 1 and its amounts; a month not fixed yet uses version 2.
    let after = tpp(app, &admin, &month(-1)).await;
    assert_eq!(after["version"], 1);
    assert_eq!(after["total"], before["total"]);
    let next = tpp(app, &admin, &month(1)).await;
    assert_eq!(next["version"], 2);
    assert_eq!(next["fixed"], false);
    // A past month never imported keeps the rules in force at its end (version 1 here: the
    // only one that existed, made after it), so a change today does not rewrite it.
    let old = tpp(app, &admin, &month(-3)).await;
    assert_eq!(old["fixed"], false);
    assert_eq!(old["version"], 1);
    let nip = someone(app).await;
    let i = item(&next, &nip);
    let k = u8::try_from(i["kelas"].as_i64().expect("kelas")).expect("kelas");
    assert_eq!(i["basic"].as_i64(), rules.basic.get(&k).copied());
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'tpp_rules'")
            .await,
        2,
        "the demo's version and this one"
    );
}

async fn bad_input_changes_nothing(app: &TestApp) {
    let admin = app.login("admin").await;
    let good = serde_json::to_value(Rules::default()).expect("json");
    let mut bad_shares = good.clone();
    bad_shares["kinerja_share"] = json!(70);
    let mut bad_kelas = good.clone();
    bad_kelas["basic"]["18"] = json!(1000);
    let mut bad_type = good.clone();
    bad_type["basic"]["7"] = json!("=cmd|' /C calc'!A0");
    let mut missing = good.clone();
    missing
        .as_object_mut()
        .expect("object")
        .remove("absent_cut");
    let mut unknown = good.clone();
    unknown["extra"] = json!("' OR 1=1");
    let mut negative = good.clone();
    negative["late_cut"] = json!([0.5, 1, -1, 1.5]);
    for (body, field) in [
        (bad_shares, Some("kinerja_share")),
        (bad_kelas, Some("basic")),
        (negative, Some("late_cut")),
        (bad_type, None),
        (missing, None),
        (unknown, None),
    ] {
        let r = app
            .api(
                Method::PUT,
                "/api/v1/tpp/rules",
                Some(&admin),
                Some(body.clone()),
            )
            .await;
        assert!(r.status.is_client_error(), "{body}: {}", r.body);
        assert!(!r.error_message().is_empty());
        if let Some(f) = field {
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
            assert_eq!(r.json()["error"]["field"], f, "{}", r.body);
        }
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM tpp_rules").await, 1);
    for m in [
        "2026-13",
        "%27%20OR%201%3D1",
        "2026-1",
        "1999-12",
        "%2B2026-1",
        "2026-%201",
    ] {
        let r = app
            .get(&format!("/api/v1/tpp?month={m}"), Some(&admin))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{m}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["field"], "month");
    }
    // An import with one bad row writes nothing.
    let lines = app.scalar("SELECT COUNT(*) FROM attendance").await;
    let nip = someone(app).await;
    let m = month(0);
    let csv = format!(
        "NIP,Bulan,Terlambat 1-30,Terlambat 31-60,Terlambat 61-90,Terlambat >90,Tanpa Keterangan\n\
         {nip},{m},1,0,0,0,0\n\
         199001012020121999,{m},0,0,0,0,0\n\
         {nip},=cmd|' /C calc'!A0,0,0,0,0,0\n\
         {nip},{m},-1,x,40,0,0\n"
    );
    let r = upload(app, &admin, "attendance", false, csv.as_bytes()).await;
    assert!(r.status.is_client_error(), "{}", r.body);
    assert!(r.body.contains("bilangan bulat 0–31"), "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM attendance").await, lines);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM tpp_months WHERE month = '{m}'"
        ))
        .await,
        0
    );
    // Roles: a head of agency reads their subtree and cannot change the rules; an ASN neither.
    let kadinkes = app.login("kadinkes").await;
    let r = app
        .api(
            Method::PUT,
            "/api/v1/tpp/rules",
            Some(&kadinkes),
            Some(good.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let t = tpp(app, &kadinkes, &month(-1)).await;
    let in_dinkes = app
        .scalar(
            "SELECT COUNT(*) FROM employees e JOIN units u ON u.id = e.unit_id \
             WHERE e.active = TRUE AND u.path LIKE (SELECT path FROM units WHERE code = 'DINKES') || '%'",
        )
        .await;
    assert_eq!(
        t["items"].as_array().map(Vec::len),
        Some(in_dinkes as usize)
    );
    let asn = app.login("asn").await;
    for path in ["/api/v1/tpp/rules", "/api/v1/tpp?month=2026-01"] {
        let r = app.get(path, Some(&asn)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let other = common::other_tenant(app).await;
    let r = app
        .get(
            &format!("/api/v1/tpp?month={}&unit={}", month(-1), other.unit),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

async fn the_page_works(app: &TestApp) {
    let admin = app.login("admin").await;
    let last = month(-1);
    let page = app.get(&format!("/tpp?month={last}"), Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    for part in [
        "Tambahan Penghasilan Pegawai",
        "Rincian",
        "Aturan TPP",
        "name=\"basic_7\"",
    ] {
        assert!(page.body.contains(part), "{part}");
    }
    let csv = app
        .get(&format!("/tpp?month={last}&format=csv"), Some(&admin))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body
            .starts_with("nip,nama,unit,jabatan,kelas_jabatan,tpp_dasar")
    );
    // The form: refused shares come back with the message, nothing saved; good ones save.
    let mut fields: Vec<(String, String)> = vec![
        ("_csrf".into(), admin.csrf.clone()),
        ("month".into(), last.clone()),
        ("kinerja_share".into(), "70".into()),
        ("disiplin_share".into(), "40".into()),
        ("unrated_pct".into(), "100".into()),
        ("absent_cut".into(), "3".into()),
    ];
    for (i, v) in ["0,5", "1", "1,25", "1,5"].iter().enumerate() {
        fields.push((format!("late_{}", i + 1), v.to_string()));
    }
    for p in cakap_domain::Predikat::ALL {
        fields.push((format!("kp_{}", p.as_str()), "100".into()));
    }
    fields.push(("basic_7".into(), "2.100.000".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = app.form("/tpp/aturan", &admin, &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("berjumlah 100 %"), "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM tpp_rules").await, 1);
    let mut good = fields.clone();
    good[2].1 = "60".into();
    let refs: Vec<(&str, &str)> = good.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = app.form("/tpp/aturan", &admin, &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM tpp_rules").await, 2);
    // Without the CSRF token nothing is saved.
    let r = app.form("/tpp/aturan", &admin, &refs[1..]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let kadinkes = app.login("kadinkes").await;
    let page = app.get("/tpp", Some(&kadinkes)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("/tpp/aturan"));
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/tpp", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
}

both_backends!(
    a_month_follows_the_rule,
    a_rule_change_keeps_fixed_months,
    bad_input_changes_nothing,
    the_page_works,
);
