//! The authorization matrix: every route × every role × (own unit, other unit, other tenant),
//! with the exact status. Ids of other units and tenants look like 404, never 403.

use crate::common;

use axum::http::{Method, StatusCode};
use common::{Session, TestApp};
use serde_json::{Value, json};

both_backends!(
    authorization_matrix,
    scoped_lists_show_only_what_each_role_may_see,
    pages_follow_the_same_rules
);

const ROLES: [&str; 5] = ["admin", "kapus.babahrot", "asn", "instruktur", "auditor"];

struct Ids {
    own_unit: String,
    other_unit: String,
    own_position: i64,
    other_position: i64,
    own_nip: String,
    other_nip: String,
    other_tenant: common::OtherTenant,
}

async fn ids(app: &TestApp, admin: &Session) -> Ids {
    let first = |v: Value, key: &str| v["items"][0][key].clone();
    // The `asn` demo account works in UPTD Puskesmas Babahrot (PKM.06); the admin in BKPSDM.B1.
    let asn = app.login("asn").await;
    let own_nip = app.get("/api/v1/employees", Some(&asn)).await.json()["items"][0]["nip"]
        .as_str()
        .expect("nip")
        .to_string();
    let admin_nip = app
        .get("/api/v1/employees?unit=BKPSDM.B1&per_page=1", Some(admin))
        .await
        .json()["items"][0]["nip"]
        .as_str()
        .expect("nip")
        .to_string();
    Ids {
        own_unit: "PKM.06".into(),
        other_unit: "BKPSDM.B1".into(),
        own_position: first(
            app.get("/api/v1/positions?unit=PKM.06", Some(admin))
                .await
                .json(),
            "id",
        )
        .as_i64()
        .expect("id"),
        other_position: first(
            app.get("/api/v1/positions?unit=BKPSDM.B1", Some(admin))
                .await
                .json(),
            "id",
        )
        .as_i64()
        .expect("id"),
        own_nip,
        other_nip: admin_nip,
        other_tenant: common::other_tenant(app).await,
    }
}

/// Expected statuses in ROLES order: admin, pimpinan (PKM.06), asn (PKM.06), instruktur, auditor.
type Row = (Method, String, Option<Value>, [u16; 5]);

async fn authorization_matrix(app: &TestApp) {
    let admin = app.login("admin").await;
    let ids = ids(app, &admin).await;
    let o = &ids.other_tenant;
    let rows: Vec<Row> = vec![
        (
            Method::GET,
            "/api/v1/units".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/units/{}", ids.own_unit),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/units/{}", ids.other_unit),
            None,
            [200, 404, 404, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/units/{}", o.unit),
            None,
            [404, 404, 404, 404, 404],
        ),
        // The national view exists for the national super-tenant only (docs/national.md).
        (
            Method::GET,
            "/api/v1/national".into(),
            None,
            [404, 404, 404, 404, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/units/{}", ids.own_unit),
            Some(json!({"kecamatan": "11.12.06"})),
            [200, 403, 403, 403, 403],
        ),
        (
            Method::PATCH,
            format!("/api/v1/units/{}", o.unit),
            Some(json!({"name": "x"})),
            [404, 403, 403, 403, 403],
        ),
        (
            Method::DELETE,
            format!("/api/v1/units/{}", o.unit),
            Some(json!({})),
            [404, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/v1/units".into(),
            Some(json!({"code": "NEW.X", "name": "Baru"})),
            [201, 403, 403, 403, 403],
        ),
        (
            Method::GET,
            "/api/v1/positions".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/positions/{}", ids.own_position),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/positions/{}", ids.other_position),
            None,
            [200, 404, 404, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/positions/{}", o.position),
            None,
            [404, 404, 404, 404, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/positions/{}", ids.own_position),
            Some(json!({"kelas": 9})),
            [200, 403, 403, 403, 403],
        ),
        (
            Method::PATCH,
            format!("/api/v1/positions/{}", o.position),
            Some(json!({"kelas": 9})),
            [404, 403, 403, 403, 403],
        ),
        (
            Method::GET,
            "/api/v1/employees".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/employees/{}", ids.own_nip),
            None,
            [200, 200, 200, 404, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/employees/{}", ids.other_nip),
            None,
            [200, 404, 404, 404, 200],
        ),
        (
            Method::GET,
            format!("/api/v1/employees/{}", o.nip),
            None,
            [404, 404, 404, 404, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/employees/{}", ids.own_nip),
            Some(json!({"phone": "081200001111"})),
            [200, 403, 403, 403, 403],
        ),
        (
            Method::PATCH,
            format!("/api/v1/employees/{}", o.nip),
            Some(json!({"phone": "081200001111"})),
            [404, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/v1/employees".into(),
            Some(
                json!({"nip": "199505052023292999", "name": "Baru", "status": "PPPK", "unit": "PKM.06"}),
            ),
            [201, 403, 403, 403, 403],
        ),
        (
            Method::GET,
            "/api/v1/competencies".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/competencies/M.01".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::PATCH,
            "/api/v1/competencies/M.01".into(),
            Some(json!({"crisis": false})),
            [200, 403, 403, 403, 403],
        ),
        (
            Method::GET,
            "/api/v1/units/PKM.06/gaps".into(),
            None,
            [200, 200, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/units/BKPSDM.B1/gaps".into(),
            None,
            [200, 404, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/exports/employees?format=csv".into(),
            None,
            [200, 200, 403, 403, 200],
        ),
        (
            Method::GET,
            "/api/v1/imports/employees/template?format=csv".into(),
            None,
            [200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/api/v1/audit".into(),
            None,
            [200, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/api/v1/auth/tokens".into(),
            Some(json!({"name": "t"})),
            [201, 201, 201, 201, 201],
        ),
    ];
    let mut sessions = Vec::new();
    for role in ROLES {
        sessions.push(app.login(role).await);
    }
    let mut failures = Vec::new();
    for (method, path, body, expected) in &rows {
        for (i, role) in ROLES.iter().enumerate() {
            let r = app
                .api(method.clone(), path, Some(&sessions[i]), body.clone())
                .await;
            if r.status.as_u16() != expected[i] {
                failures.push(format!(
                    "{role} {method} {path}: {} (expected {}) {}",
                    r.status.as_u16(),
                    expected[i],
                    r.body
                ));
            }
        }
        // Without a session every API route is 401.
        let anon = app.api(method.clone(), path, None, body.clone()).await;
        if anon.status != StatusCode::UNAUTHORIZED {
            failures.push(format!("anonymous {method} {path}: {}", anon.status));
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );
    // The other tenant's employee was not touched by any of it.
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM employees WHERE nip = '197001012000031001' AND phone IS NULL"
        )
        .await,
        1
    );
}

async fn scoped_lists_show_only_what_each_role_may_see(app: &TestApp) {
    let admin = app.login("admin").await;
    let kapus = app.login("kapus.babahrot").await;
    let asn = app.login("asn").await;
    let in_pkm = app
        .get("/api/v1/employees?unit=PKM.06&per_page=1", Some(&admin))
        .await
        .json()["total"]
        .as_i64()
        .expect("total");
    let seen = app
        .get("/api/v1/employees?per_page=200", Some(&kapus))
        .await
        .json();
    assert_eq!(seen["total"].as_i64(), Some(in_pkm));
    assert!(
        seen["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|e| e["unit"] == "PKM.06")
    );
    // Asking for a unit outside the subtree (even its parent) is "not found".
    assert_eq!(
        app.get("/api/v1/employees?unit=DINKES", Some(&kapus))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/employees?unit=BKPSDM", Some(&kapus))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let units = app.get("/api/v1/units", Some(&kapus)).await.json();
    assert_eq!(units["total"], 1);
    let mine = app.get("/api/v1/employees", Some(&asn)).await.json();
    assert_eq!(mine["total"], 1);
    let kadinkes = app.login("kadinkes").await;
    let health = app.get("/api/v1/units", Some(&kadinkes)).await.json();
    assert!(health["items"].as_array().expect("items").iter().all(|u| {
        let c = u["code"].as_str().unwrap_or("");
        c.starts_with("DINKES") || c.starts_with("PKM.")
    }));
    assert_eq!(
        health["total"],
        1 + 1 + 3 + 9,
        "Dinkes, its sekretariat, three bidang and nine puskesmas"
    );
}

async fn pages_follow_the_same_rules(app: &TestApp) {
    let admin = app.login("admin").await;
    let other_nip = app
        .get("/api/v1/employees?unit=BKPSDM.B1&per_page=1", Some(&admin))
        .await
        .json()["items"][0]["nip"]
        .as_str()
        .expect("nip")
        .to_string();
    let rows: Vec<(String, [u16; 5])> = vec![
        ("/".into(), [200, 200, 200, 200, 200]),
        ("/employees".into(), [200, 200, 200, 200, 200]),
        ("/employees/new".into(), [200, 403, 403, 403, 403]),
        (format!("/employees/{other_nip}"), [200, 404, 404, 404, 200]),
        (
            format!("/employees/{other_nip}/edit"),
            [200, 403, 403, 403, 403],
        ),
        ("/units".into(), [200, 200, 200, 200, 200]),
        ("/units/BKPSDM.B1".into(), [200, 404, 404, 200, 200]),
        ("/units/new".into(), [200, 403, 403, 403, 403]),
        ("/positions".into(), [200, 200, 200, 200, 200]),
        ("/positions/new".into(), [200, 403, 403, 403, 403]),
        ("/competencies".into(), [200, 200, 200, 200, 200]),
        ("/audit".into(), [200, 403, 403, 403, 200]),
        ("/imports".into(), [200, 403, 403, 403, 403]),
        ("/competence".into(), [200, 200, 403, 403, 200]),
        ("/competence?unit=BKPSDM".into(), [200, 404, 403, 403, 200]),
    ];
    let mut failures = Vec::new();
    for (i, role) in ROLES.iter().enumerate() {
        let s = app.login(role).await;
        for (path, expected) in &rows {
            let r = app.get(path, Some(&s)).await;
            if r.status.as_u16() != expected[i] {
                failures.push(format!(
                    "{role} GET {path}: {} (expected {})",
                    r.status.as_u16(),
                    expected[i]
                ));
            }
            if r.status.is_success() {
                assert!(
                    r.body.contains("<main id=\"main\">"),
                    "{path} is a full page"
                );
            }
        }
    }
    for (path, _) in &rows {
        let r = app.get(path, None).await;
        if r.status != StatusCode::SEE_OTHER
            || !r
                .headers
                .get("location")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|l| l.starts_with("/login?next="))
        {
            failures.push(format!("anonymous GET {path}: {}", r.status));
        }
    }
    assert!(
        failures.is_empty(),
        "page authorization:\n{}",
        failures.join("\n")
    );
}
