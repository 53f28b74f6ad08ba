//! Equity, the leadership dashboard and the annual report through the real router and a real
//! database: the Gini as DOMAIN §13 defines it over the people the test counts itself, groups
//! that add up, a change seen at once, scopes and roles, bad input, the pages and the files.

use crate::common;

use axum::http::{Method, StatusCode};
use cakap_domain::equity::gini;
use common::{TestApp, get_json};
use serde_json::{Value, json};

fn year() -> i64 {
    cakap_services::performance::current_year()
}

/// JP of the year per active employee under `scope`, counted by the test itself.
async fn jp_list(app: &TestApp, scope: &str) -> Vec<f64> {
    let y = year();
    let mut c = app.db.conn().await.expect("conn");
    let rows = cakap_store::fetch_all!(
        c,
        (i64, i64),
        "SELECT e.id, CAST(COALESCE((SELECT SUM(en.jp) FROM enrollments en WHERE en.tenant_id = e.tenant_id \
           AND en.employee_id = e.id AND en.status = 'completed' AND en.completed_on >= $2 \
           AND en.completed_on <= $3), 0) + COALESCE((SELECT SUM(a.jp) FROM activities a \
           WHERE a.tenant_id = e.tenant_id AND a.employee_id = e.id AND a.status = 'approved' \
           AND a.ended_on >= $2 AND a.ended_on <= $3), 0) AS BIGINT) \
         FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $4",
        app.tenant,
        format!("{y}-01-01"),
        format!("{y}-12-31"),
        format!("{scope}%")
    )
    .expect("jp");
    rows.into_iter().map(|r| r.1 as f64).collect()
}

fn sum(groups: &Value, field: &str) -> i64 {
    groups
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g[field].as_i64().unwrap_or(0))
        .sum()
}

async fn equity_follows_the_rule(app: &TestApp) {
    let admin = app.login("admin").await;
    let y = year();
    let r = get_json(app, &admin, &format!("/api/v1/equity?year={y}&by=gender")).await;
    let jp = jp_list(app, "").await;
    assert_eq!(r["year"], y);
    assert_eq!(r["by"], "gender");
    assert_eq!(r["all"]["people"], jp.len() as i64);
    assert_eq!(
        r["gini"]["jp"].as_f64(),
        Some(gini(&jp)),
        "Gini of JP as DOMAIN §13"
    );
    let met = jp.iter().filter(|x| **x >= 20.0).count() as i64;
    assert_eq!(
        r["all"]["share_20jp"].as_f64(),
        Some(cakap_domain::learning::share(met, jp.len() as i64))
    );
    // Every grouping covers everyone once.
    for by in [
        "unit",
        "kecamatan",
        "gender",
        "golongan",
        "age_band",
        "status",
        "position_kind",
    ] {
        let g = get_json(app, &admin, &format!("/api/v1/equity?year={y}&by={by}")).await;
        assert_eq!(sum(&g["groups"], "people"), jp.len() as i64, "{by}");
        for k in g["groups"].as_array().expect("groups") {
            for field in [
                "key",
                "label",
                "people",
                "jp_avg",
                "share_20jp",
                "spend_per_asn",
            ] {
                assert!(!k[field].is_null(), "{by}: {field} in {k}");
            }
        }
    }
    let genders: Vec<&str> = r["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter_map(|g| g["key"].as_str())
        .collect();
    assert_eq!(genders, ["L", "P"]);
    // The worst gaps are groups of at least 10 below the whole scope.
    let overall = r["all"]["share_20jp"].as_f64().expect("share");
    let worst = r["worst"].as_array().expect("worst");
    assert!(!worst.is_empty(), "the demo has groups behind");
    for w in worst {
        assert!(w["people"].as_i64().expect("people") >= 10, "{w}");
        assert!(w["share_20jp"].as_f64().expect("share") < overall, "{w}");
        assert_eq!(w["overall"].as_f64(), Some(overall));
    }

    // An approved activity of the year changes the numbers at once (the cache is cleared).
    let nip = app
        .scalar_text(
            "SELECT e.nip FROM employees e WHERE e.active = TRUE AND NOT EXISTS \
             (SELECT 1 FROM users x WHERE x.employee_id = e.id) ORDER BY e.id LIMIT 1",
        )
        .await;
    let on = format!("{y}-01-15");
    let a = app
        .api(
            Method::POST,
            "/api/v1/activities",
            Some(&admin),
            Some(
                json!({"nip": nip, "jalur": "workshop", "title": "Lokakarya Pemerataan",
                "started_on": on, "ended_on": format!("{y}-01-19"), "days": 5}),
            ),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.json()["id"].as_i64().expect("id");
    if a.json()["status"] != "approved" {
        let d = app
            .api(
                Method::POST,
                &format!("/api/v1/activities/{id}/decision"),
                Some(&admin),
                Some(json!({"approve": true})),
            )
            .await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    }
    let after = get_json(app, &admin, &format!("/api/v1/equity?year={y}&by=gender")).await;
    let jp_after = jp_list(app, "").await;
    assert_ne!(jp, jp_after);
    assert_eq!(after["gini"]["jp"].as_f64(), Some(gini(&jp_after)));
}

async fn bad_input_is_refused(app: &TestApp) {
    let admin = app.login("admin").await;
    for by in ["%27%20OR%201%3D1", "%3Cscript%3E", "UNIT"] {
        let r = app
            .get(&format!("/api/v1/equity?by={by}"), Some(&admin))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{by}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["field"], "by");
        assert!(r.error_message().contains("Pengelompokan"), "{}", r.body);
    }
    for q in ["year=1900", "year=2101"] {
        let r = app.get(&format!("/api/v1/equity?{q}"), Some(&admin)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.body
        );
        let r = app
            .get(&format!("/api/v1/dashboard?{q}"), Some(&admin))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.body
        );
    }
    let r = app.get("/api/v1/equity?year=abc", Some(&admin)).await;
    assert!(r.status.is_client_error(), "{}", r.body);
    assert!(!r.error_message().is_empty());
    let r = app
        .get("/api/v1/reports/annual?format=doc", Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // A unit that does not exist, or belongs to another regency, is not found.
    let other = common::other_tenant(app).await;
    for unit in [other.unit.as_str(), "%3Cscript%3E", "%27%20OR%201%3D1"] {
        for path in ["/api/v1/equity", "/api/v1/dashboard"] {
            let r = app.get(&format!("{path}?unit={unit}"), Some(&admin)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path} {unit}: {}", r.body);
        }
    }
    // An ASN sees none of it.
    let asn = app.login("asn").await;
    for path in [
        "/api/v1/equity",
        "/api/v1/dashboard",
        "/api/v1/reports/annual",
    ] {
        let r = app.get(path, Some(&asn)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
    }
    for path in ["/dashboard", "/pemerataan", "/dashboard/laporan"] {
        let r = app.get(path, Some(&asn)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let r = app.get("/api/v1/equity", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

async fn a_head_sees_their_subtree(app: &TestApp) {
    let kadinkes = app.login("kadinkes").await;
    let scope = app
        .scalar_text("SELECT path FROM units WHERE code = 'DINKES'")
        .await;
    let jp = jp_list(app, &scope).await;
    let r = get_json(app, &kadinkes, "/api/v1/equity?by=kecamatan").await;
    assert_eq!(r["all"]["people"], jp.len() as i64);
    assert_eq!(r["gini"]["jp"].as_f64(), Some(gini(&jp)));
    // Another agency is not theirs.
    let other = app
        .scalar_text("SELECT code FROM units WHERE parent_id IS NULL AND code <> 'DINKES' ORDER BY id LIMIT 1")
        .await;
    let r = app
        .get(&format!("/api/v1/equity?unit={other}"), Some(&kadinkes))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // The dashboard: their people, no regency budget.
    let d = get_json(app, &kadinkes, "/api/v1/dashboard").await;
    assert_eq!(d["people"], jp.len() as i64);
    assert!(d["budget"]["planned_budget"].is_null());
    let page = app.get("/dashboard", Some(&kadinkes)).await;
    assert_eq!(page.status, StatusCode::OK);
    // BKPSDM asking for the Dinas Kesehatan sees what its head sees — campaign counts
    // included (not the regency's); the head's view of one puskesmas is that puskesmas's.
    let admin = app.login("admin").await;
    let a = get_json(app, &admin, "/api/v1/dashboard?unit=DINKES").await;
    for field in ["people", "share_20jp", "gini", "campaigns", "jpm"] {
        assert_eq!(a[field], d[field], "{field}");
    }
    let pkm = app
        .scalar_text(
            "SELECT code FROM units WHERE parent_id = (SELECT id FROM units WHERE code = 'DINKES') \
             ORDER BY id LIMIT 1",
        )
        .await;
    let p = get_json(app, &kadinkes, &format!("/api/v1/dashboard?unit={pkm}")).await;
    let in_pkm = jp_list(
        app,
        &app.scalar_text(&format!("SELECT path FROM units WHERE code = '{pkm}'"))
            .await,
    )
    .await;
    assert_eq!(p["people"], in_pkm.len() as i64);
    for c in p["campaigns"].as_array().expect("campaigns") {
        assert!(
            c["targeted"].as_i64() <= Some(in_pkm.len() as i64),
            "a campaign counted beyond the puskesmas: {c}"
        );
    }
}

async fn dashboard_pages_and_report(app: &TestApp) {
    let admin = app.login("admin").await;
    let y = year();
    let d = get_json(app, &admin, &format!("/api/v1/dashboard?year={y}")).await;
    let e = get_json(app, &admin, &format!("/api/v1/equity?year={y}")).await;
    assert_eq!(d["people"], e["all"]["people"]);
    assert_eq!(d["share_20jp"], e["all"]["share_20jp"]);
    assert_eq!(d["gini"], e["gini"]);
    assert_eq!(d["jpm_trend"].as_array().map(Vec::len), Some(3));
    // A past year's point is the gap engine's JPM on its 31 December (kept alone, `jpm_on`).
    let system = cakap_services::Actor::system(app.tenant);
    let past = chrono::NaiveDate::from_ymd_opt(y as i32 - 2, 12, 31).expect("day");
    let engine = cakap_services::gaps::unit_on(&app.db, &system, None, past)
        .await
        .expect("gaps");
    assert_eq!(d["jpm_trend"][0]["year"], y - 2);
    assert_eq!(
        d["jpm_trend"][0]["value"].as_f64(),
        engine.jpm_avg.map(|v| (v * 100.0).round() / 100.0),
        "{d}"
    );
    assert_eq!(d["share_20jp_trend"][2]["year"], y);
    assert_eq!(d["talent"].as_array().map(Vec::len), Some(9));
    assert!(
        d["jpm"].as_f64().is_some_and(|v| v > 0.0 && v <= 100.0),
        "{d}"
    );
    assert!(d["behind"]["unit"].is_string(), "{d}");
    assert!(d["readiness"].as_array().is_some_and(|h| !h.is_empty()));

    let page = app.get("/dashboard", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    for part in [
        "Dasbor pimpinan",
        "tile-jpm",
        "tile-jp",
        "tile-equity",
        "tile-talent",
        "tile-budget",
        "href=\"/pemerataan?year=",
    ] {
        assert!(page.body.contains(part), "{part}");
    }
    let page = app
        .get(&format!("/pemerataan?year={y}&by=age_band"), Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    for part in ["Gini JP", "Kurva Lorenz", "polyline", "50 tahun ke atas"] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
    let page = app.get("/pemerataan?by=%3Cscript%3E", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.body.contains("<script>"));

    let csv = app
        .get(
            &format!("/pemerataan?year={y}&by=status&format=csv"),
            Some(&admin),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with(
        "kelompok,jumlah_asn,rata_rata_jp,persen_20_jp,rata_rata_jpm,belanja_per_asn"
    ));
    assert!(csv.body.contains("ASN PNS") && csv.body.contains("Gini JP"));
    let xlsx = app
        .get(&format!("/pemerataan?year={y}&format=xlsx"), Some(&admin))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"));

    let pdf = app
        .get(
            &format!("/api/v1/reports/annual?year={y}&format=pdf"),
            Some(&admin),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"));
    assert!(
        pdf.body
            .contains(&format!("Laporan Pengembangan Kompetensi ASN {y}"))
    );
    let xlsx = app
        .get(
            &format!("/dashboard/laporan?year={y}&format=xlsx"),
            Some(&admin),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"));
    // The auditor reads the same; a head of agency gets their subtree's report.
    let auditor = app.login("auditor").await;
    let r = app.get("/api/v1/reports/annual", Some(&auditor)).await;
    assert_eq!(r.status, StatusCode::OK);
    let kadinkes = app.login("kadinkes").await;
    let r = app.get("/dashboard/laporan", Some(&kadinkes)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Dinas Kesehatan"));
}

/// JPM in equity comes from the stored standings (docs/architecture.md#standings): equal to
/// the gap engine's, one row per person with a standard; a new assessment marks them stale,
/// equity answers at once from what is stored, and the background refresh brings the new JPM.
async fn jpm_is_stored_and_refreshed(app: &TestApp) {
    let admin = app.login("admin").await;
    let y = year();
    let system = cakap_services::Actor::system(app.tenant);
    // The day equity counts JPM on (today in WIB).
    let day = cakap_services::validate::year_end_or_today(y);
    let engine = cakap_services::gaps::unit_on(&app.db, &system, None, day)
        .await
        .expect("gaps");
    let r = get_json(app, &admin, &format!("/api/v1/equity?year={y}&by=gender")).await;
    assert_eq!(
        r["all"]["jpm_avg"].as_f64(),
        engine.jpm_avg,
        "as the gap engine"
    );
    let with_jpm: Vec<_> = engine.people.iter().filter(|p| p.jpm.is_some()).collect();
    let stored = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM jpm_standings WHERE tenant_id = {} AND year = {y}",
            app.tenant
        ))
        .await;
    assert_eq!(
        stored,
        with_jpm.len() as i64,
        "one row per person with a JPM"
    );
    let computed_at = r["jpm_computed_at"].as_i64().expect("computed_at");
    assert!(computed_at > 0);

    // The person with the lowest JPM gets a level-5 result in every competency of their
    // standard: their JPM becomes 100.
    let low = with_jpm
        .iter()
        .min_by(|a, b| a.jpm.partial_cmp(&b.jpm).expect("numbers"))
        .expect("someone");
    assert!(low.jpm < Some(100.0));
    let mine = cakap_services::gaps::employee(&app.db, &system, &low.nip)
        .await
        .expect("gaps");
    let yesterday = (day - chrono::Days::new(1)).format("%Y-%m-%d").to_string();
    for g in &mine.gaps {
        let a = app
            .api(
                Method::POST,
                "/api/v1/assessments",
                Some(&admin),
                Some(
                    json!({"nip": low.nip, "competency": g.competency, "level": 5,
                    "method": "assessment_center", "assessed_on": yesterday}),
                ),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    }
    // Equity answers at once (stored figures, a refresh under way), then the refresh lands.
    let _ = get_json(app, &admin, &format!("/api/v1/equity?year={y}")).await;
    cakap_services::standings::settle(&app.db).await;
    let after = get_json(app, &admin, &format!("/api/v1/equity?year={y}")).await;
    let engine = cakap_services::gaps::unit_on(&app.db, &system, None, day)
        .await
        .expect("gaps");
    assert_eq!(after["all"]["jpm_avg"].as_f64(), engine.jpm_avg);
    assert_ne!(
        after["all"]["jpm_avg"], r["all"]["jpm_avg"],
        "the new JPM counted"
    );
    assert!(after["jpm_computed_at"].as_i64() > Some(computed_at));
    let id = app
        .scalar(&format!(
            "SELECT id FROM employees WHERE nip = '{}'",
            low.nip
        ))
        .await;
    let jpm100 = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM jpm_standings WHERE employee_id = {id} AND year = {y} AND jpm = 100"
        ))
        .await;
    assert_eq!(jpm100, 1, "their stored JPM is 100");
    // A later year is counted as of today: this year's standings, no copy of its own.
    let next = get_json(app, &admin, &format!("/api/v1/equity?year={}", y + 1)).await;
    assert_eq!(next["all"]["jpm_avg"], after["all"]["jpm_avg"]);
    let copies = app
        .scalar(&format!("SELECT COUNT(*) FROM jpm_states WHERE year > {y}"))
        .await;
    assert_eq!(copies, 0);
}

both_backends!(
    equity_follows_the_rule,
    jpm_is_stored_and_refreshed,
    bad_input_is_refused,
    a_head_sees_their_subtree,
    dashboard_pages_and_report,
);
