//! Development plans through the real router, on SQLite and PostgreSQL: BKPSDM's training
//! plan (optimize, the rules it keeps, why people are out, what-if, approval into enrolments
//! and IDP items), bad input, and an ASN's IDP from generation to approval.

use crate::common;

use std::collections::{HashMap, HashSet};

use axum::http::{Method, StatusCode};
use common::{Resp, Session, TestApp};
use serde_json::{Value, json};

both_backends!(
    the_optimizer_plans_within_the_rules_and_approval_enrols,
    the_optimizer_refuses_bad_input_and_other_roles,
    an_idp_is_generated_edited_submitted_and_approved,
);

async fn post(app: &TestApp, s: &Session, path: &str, body: Value) -> Resp {
    app.api(Method::POST, path, Some(s), Some(body)).await
}

fn next_year() -> i64 {
    cakap_services::performance::current_year() + 1
}

async fn nip_of(app: &TestApp, username: &str) -> String {
    app.scalar_text(&format!(
        "SELECT e.nip FROM users u JOIN employees e ON e.id = u.employee_id \
         WHERE u.username = '{username}'"
    ))
    .await
}

async fn the_optimizer_plans_within_the_rules_and_approval_enrols(app: &TestApp) {
    let admin = app.login("admin").await;
    let year = next_year();
    // Free seats per class of next year, before the plan.
    let free: i64 = app
        .scalar(&format!(
            "SELECT CAST(COALESCE(SUM(o.seats), 0) AS BIGINT) FROM offerings o \
             WHERE o.starts_on >= '{year}-01-01' AND o.seats IS NOT NULL"
        ))
        .await;
    assert!(free > 100, "the demo has next year's classes");
    let budget = 60_000_000;
    let r = post(
        app,
        &admin,
        "/api/v1/training-plans/optimize",
        json!({"year": year, "budget": budget, "policy": "hak_20jp", "max_jp_per_asn": 40, "time_limit": 3}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let plan = r.json();
    let assignments = plan["assignments"].as_array().expect("assignments");
    assert!(!assignments.is_empty());
    let total: i64 = assignments
        .iter()
        .map(|a| a["cost"].as_i64().expect("cost"))
        .sum();
    assert_eq!(total, plan["total_cost"].as_i64().expect("total"));
    assert!(total <= budget, "never over budget");
    // Seats: no class gets more people than it has free seats.
    let mut per_class: HashMap<&str, i64> = HashMap::new();
    let mut pairs = HashSet::new();
    for a in assignments {
        *per_class
            .entry(a["offering"].as_str().expect("offering"))
            .or_insert(0) += 1;
        assert!(
            pairs.insert((a["nip"].as_str(), a["course"].as_str())),
            "one class of a course per person"
        );
        // `course` is the course's code, as everywhere in the API; the title beside it.
        let course = a["course"].as_str().expect("course");
        let title = app
            .scalar_text(&format!(
                "SELECT title FROM courses WHERE code = '{course}'"
            ))
            .await;
        assert_eq!(a["course_title"].as_str(), Some(title.as_str()), "{course}");
        assert!(!a["reason"].as_str().expect("reason").is_empty());
    }
    for (code, n) in &per_class {
        let seats = app
            .scalar(&format!(
                "SELECT COALESCE(o.seats, 100000) - (SELECT COUNT(*) FROM enrollments en \
                 WHERE en.offering_id = o.id AND en.status IN ('enrolled', 'completed')) \
                 FROM offerings o WHERE o.code = '{code}'"
            ))
            .await;
        assert!(*n <= seats, "{code}: {n} > {seats}");
    }
    let gap = plan["optimality_gap"].as_f64().expect("gap");
    assert!((0.0..=1.0).contains(&gap));
    assert!(
        plan["bound"].as_f64().expect("bound") + 1e-6
            >= plan["weighted_gap_closed"].as_f64().expect("wgc")
    );
    assert!(plan["greedy"]["total_cost"].as_i64().expect("greedy") <= budget);
    // The optimum is never worse than greedy on the policy's first objective.
    assert!(plan["asn_reaching_20jp"].as_i64() >= plan["greedy"]["asn_reaching_20jp"].as_i64());
    // What-if: eight budgets, more money never fewer people at 20 JP than a quarter of it.
    let what_if = plan["what_if"].as_array().expect("what_if");
    assert_eq!(what_if.len(), 8);
    assert!(what_if[7]["asn_reaching_20jp"].as_i64() >= what_if[0]["asn_reaching_20jp"].as_i64());
    // A larger budget never shows less, and the 100 % point is the plan itself.
    let policy_value = |w: &Value| {
        (
            w["asn_reaching_20jp"].as_i64().expect("reaching"),
            w["weighted_gap_closed"].as_f64().expect("gap"),
        )
    };
    for pair in what_if.windows(2) {
        let (a, b) = (policy_value(&pair[0]), policy_value(&pair[1]));
        assert!(
            b.0 >= a.0 && b.1 + 1e-9 >= a.1,
            "the curve dips: {a:?} → {b:?}"
        );
    }
    let hundred = what_if.iter().find(|w| w["percent"] == 100).expect("100 %");
    assert_eq!(hundred["weighted_gap_closed"], plan["weighted_gap_closed"]);
    assert_eq!(hundred["asn_reaching_20jp"], plan["asn_reaching_20jp"]);
    assert_eq!(hundred["total_cost"], plan["total_cost"]);
    // Everyone left out says why.
    let left = plan["left_out"].as_array().expect("left_out");
    let people = plan["people"].as_i64().expect("people");
    let assigned: HashSet<&str> = assignments
        .iter()
        .filter_map(|a| a["nip"].as_str())
        .collect();
    assert_eq!(left.len() + assigned.len(), people as usize);
    let codes: HashSet<&str> = left.iter().filter_map(|l| l["code"].as_str()).collect();
    assert!(codes.iter().all(|c| {
        [
            "no_gap",
            "no_fit",
            "seats_full",
            "budget",
            "unit_cap",
            "jp_cap",
            "outranked",
        ]
        .contains(c)
    }));
    assert!(
        codes.contains("budget"),
        "a tight budget cuts someone off: {codes:?}"
    );

    // Reasons are stored as codes and read in the reader's language.
    let id = plan["id"].as_i64().expect("id");
    let stored = app
        .scalar_text(&format!(
            "SELECT reason FROM training_plan_assignments WHERE plan_id = {id} LIMIT 1"
        ))
        .await;
    assert!(stored.starts_with("{\"code\":"), "{stored}");
    assert!(left.iter().all(|l| l["reason_detail"]["code"] == l["code"]));
    let read = |lang: &'static str| {
        let admin = admin.clone();
        async move {
            let r = app
                .raw(
                    Method::GET,
                    &format!("/api/v1/training-plans/{id}"),
                    &admin,
                    Vec::new(),
                    &[("accept-language", lang)],
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        }
    };
    let (id_plan, en_plan) = (read("id").await, read("en").await);
    let first = |p: &Value, list: &str| p[list][0]["reason"].as_str().unwrap_or("").to_string();
    let (id_reason, en_reason) = (
        first(&id_plan, "assignments"),
        first(&en_plan, "assignments"),
    );
    assert!(
        id_reason.starts_with("Menutup gap") || id_reason.starts_with("Menambah JP"),
        "{id_reason}"
    );
    assert!(
        en_reason.starts_with("Closes gap") || en_reason.starts_with("Adds JP"),
        "{en_reason}"
    );
    assert_ne!(first(&id_plan, "left_out"), first(&en_plan, "left_out"));

    // The page shows it, with the what-if chart and its table.
    let page = app.get(&format!("/plans/{id}"), Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"chart\"") && page.body.contains("200%"));
    // Fifty assignments a page, each list paged on its own; what cannot be a page is the
    // nearest one that is.
    let n = assignments.len();
    let shows = |body: &str, i: usize| {
        body.contains(&format!(
            "/employees/{}\"",
            assignments[i]["nip"].as_str().expect("nip")
        ))
    };
    let rows = |body: &str| body.matches("data-label=\"JP\"").count();
    assert!(shows(&page.body, 0));
    assert_eq!(rows(&page.body), n.min(50));
    let last = (n - 1) / 50 + 1;
    for (q, first) in [
        ("?page=abc", 0),
        ("?page=-3", 0),
        ("?page=99999", (last - 1) * 50),
        (&format!("?page={last}&left=2") as &str, (last - 1) * 50),
    ] {
        let r = app.get(&format!("/plans/{id}{q}"), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert!(shows(&r.body, first), "{q}: row {first} of {n}");
        assert_eq!(rows(&r.body), (n - first).min(50), "{q}: one page of {n}");
    }
    if n > 50 {
        assert!(
            page.body
                .contains(&format!("href=\"/plans/{id}?page=2#page\""))
        );
        let second = app.get(&format!("/plans/{id}?page=2"), Some(&admin)).await;
        assert!(shows(&second.body, 50));
        assert!(
            second
                .body
                .contains(&format!("href=\"/plans/{id}?page=1#page\""))
        );
    }

    // Approval: enrolments and IDP items, once.
    let before = app.scalar("SELECT COUNT(*) FROM enrollments").await;
    let r = post(
        app,
        &admin,
        &format!("/api/v1/training-plans/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let done = r.json();
    assert_eq!(
        done["enrolled"].as_i64().expect("enrolled") + done["waitlisted"].as_i64().expect("w"),
        assignments.len() as i64
    );
    let after = app.scalar("SELECT COUNT(*) FROM enrollments").await;
    assert!(after > before);
    let nip = assignments[0]["nip"].as_str().expect("nip");
    let idp = app
        .get(
            &format!("/api/v1/employees/{nip}/plan?year={year}"),
            Some(&admin),
        )
        .await;
    assert_eq!(idp.status, StatusCode::OK, "{}", idp.body);
    assert!(
        idp.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["source"] == "plan" && i["progress"] == "enrolled")
    );
    let again = post(
        app,
        &admin,
        &format!("/api/v1/training-plans/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'training_plan' AND entity_id = '{id}'"
        ))
        .await,
        2
    );

    // A re-run after the approval is compared with the last plan; the greatest-gap policy
    // and a zero cap on a unit keep that unit out.
    let unit = app
        .scalar_text(
            "SELECT u.code FROM units u WHERE u.parent_id IS NOT NULL ORDER BY u.code LIMIT 1",
        )
        .await;
    let r = post(
        app,
        &admin,
        "/api/v1/training-plans/optimize",
        json!({"year": year, "budget": budget, "policy": "gap", "unit_caps": {unit.clone(): 0}, "time_limit": 2}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let second = r.json();
    let path = app
        .scalar_text(&format!("SELECT path FROM units WHERE code = '{unit}'"))
        .await;
    for a in second["assignments"].as_array().expect("assignments") {
        let inside = app
            .scalar(&format!(
                "SELECT COUNT(*) FROM employees e JOIN units u ON u.id = e.unit_id \
                 WHERE e.nip = '{}' AND u.path LIKE '{path}%'",
                a["nip"].as_str().expect("nip")
            ))
            .await;
        assert!(
            inside == 0 || a["cost"] == 0,
            "a zero cap lets nothing paid through"
        );
    }
    let page = app
        .get(&format!("/plans/{}", second["id"]), Some(&admin))
        .await;
    assert!(
        page.body.contains(&format!("/plans/{id}")),
        "compared with the last plan"
    );
    // One approved plan a year: approving a second would enrol people twice.
    let r = post(
        app,
        &admin,
        &format!("/api/v1/training-plans/{}/approve", second["id"]),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Caps inside capped units would count twice: refused.
    let pair = "FROM units u JOIN units p ON p.id = u.parent_id ORDER BY u.code LIMIT 1";
    let parent = app.scalar_text(&format!("SELECT p.code {pair}")).await;
    let child = app.scalar_text(&format!("SELECT u.code {pair}")).await;
    let r = post(
        app,
        &admin,
        "/api/v1/training-plans/optimize",
        json!({"year": year, "budget": budget, "policy": "gap", "unit_caps": {parent: 10, child: 5}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // A zero budget plans only what is free.
    let r = post(
        app,
        &admin,
        "/api/v1/training-plans/optimize",
        json!({"year": year, "budget": 0, "policy": "gap", "time_limit": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["total_cost"], 0);
}

async fn the_optimizer_refuses_bad_input_and_other_roles(app: &TestApp) {
    let admin = app.login("admin").await;
    let year = next_year();
    let plans_before = app.scalar("SELECT COUNT(*) FROM training_plans").await;
    let bad = [
        json!({"year": year, "budget": "banyak", "policy": "gap"}),
        json!({"year": year, "policy": "gap"}),
        json!({"year": year, "budget": -5, "policy": "gap"}),
        json!({"year": year, "budget": 1000, "policy": "' OR 1=1"}),
        json!({"year": 1800, "budget": 1000, "policy": "gap"}),
        json!({"year": year, "budget": 1000, "policy": "gap", "unit_caps": {"' OR 1=1 --": 5}}),
        json!({"year": year, "budget": 1000, "policy": "gap", "unit_caps": {"<script>": 5}}),
        json!({"year": year, "budget": 1000, "policy": "gap", "max_jp_per_asn": 0}),
        json!({"year": year, "budget": 1000, "policy": "gap", "weights": {"T.BNC.04": 99}}),
        json!({"year": year, "budget": 1000, "policy": "gap", "time_limit": 600}),
    ];
    for body in bad {
        let r = post(app, &admin, "/api/v1/training-plans/optimize", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(!r.error_message().is_empty());
    }
    // The message is in the user's language.
    let r = post(
        app,
        &admin,
        "/api/v1/training-plans/optimize",
        json!({"year": year, "budget": 1, "policy": "x"}),
    )
    .await;
    assert!(r.error_message().contains("Kebijakan"), "{}", r.body);
    for who in ["asn", "kapus.babahrot", "auditor"] {
        let s = app.login(who).await;
        let r = post(
            app,
            &s,
            "/api/v1/training-plans/optimize",
            json!({"year": year, "budget": 1000, "policy": "gap"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM training_plans").await,
        plans_before,
        "nothing written"
    );
    // The auditor reads plans but cannot approve; nobody approves what does not exist.
    let r = post(
        app,
        &admin,
        "/api/v1/training-plans/optimize",
        json!({"year": year, "budget": 1000000, "policy": "gap", "time_limit": 1}),
    )
    .await;
    let id = r.json()["id"].as_i64().expect("id");
    let auditor = app.login("auditor").await;
    assert_eq!(
        app.get(&format!("/api/v1/training-plans/{id}"), Some(&auditor))
            .await
            .status,
        StatusCode::OK
    );
    let r = post(
        app,
        &auditor,
        &format!("/api/v1/training-plans/{id}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let asn = app.login("asn").await;
    assert_eq!(
        app.get(&format!("/api/v1/training-plans/{id}"), Some(&asn))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = post(
        app,
        &admin,
        "/api/v1/training-plans/999999/approve",
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = post(app, &admin, "/api/v1/training-plans/abc/approve", json!({})).await;
    assert_ne!(r.status, StatusCode::OK);
    // The page form: rupiah as people type it; CSRF required.
    let r = app
        .form(
            "/plans",
            &admin,
            &[
                ("_csrf", &admin.csrf),
                ("year", &year.to_string()),
                ("budget", "Rp 2.500.000"),
                ("policy", "gap"),
                ("max_jp", "40"),
                ("unit_caps", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .form(
            "/plans",
            &Session {
                csrf: "wrong".into(),
                ..admin.clone()
            },
            &[
                ("_csrf", "wrong"),
                ("year", &year.to_string()),
                ("budget", "1"),
                ("policy", "gap"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

async fn an_idp_is_generated_edited_submitted_and_approved(app: &TestApp) {
    let asn = app.login("asn").await;
    let nip = nip_of(app, "asn").await;
    let year = cakap_services::performance::current_year();
    let base = format!("/api/v1/employees/{nip}/plan");
    assert_eq!(
        app.get(&format!("{base}?year={year}"), Some(&asn))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = post(
        app,
        &asn,
        &format!("{base}/generate?year={year}"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let idp = r.json();
    let items = idp["items"].as_array().expect("items");
    // The demo ASN has a gap of 1 in T.BNC.04: an item closes it (the e-learning course).
    assert!(items.iter().any(|i| i["competency"] == "T.BNC.04"), "{idp}");
    assert_eq!(idp["status"], "draft");
    // Their own additions, hostile text kept as text.
    let r = app
        .api(Method::PUT, &format!("{base}?year={year}"), Some(&asn), Some(json!({"items": [
            {"jalur": "komunitas_belajar", "title": "<script>alert(1)</script>", "target_date": format!("{year}-10-01"), "jp": 4},
            {"jalur": "coaching", "title": "Coaching pelayanan", "target_date": format!("{year}-09-01"), "jp": 4, "competency": "T.BNC.04"}
        ]})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for body in [
        json!({"items": []}),
        json!({"items": [{"jalur": "terbang", "title": "x", "target_date": format!("{year}-10-01"), "jp": 4}]}),
        json!({"items": [{"jalur": "coaching", "title": "x", "target_date": "01/10/2026", "jp": 4}]}),
        json!({"items": [{"jalur": "coaching", "title": "x", "target_date": format!("{}-10-01", year + 3), "jp": 4}]}),
        json!({"items": [{"jalur": "coaching", "title": "x", "target_date": format!("{year}-10-01"), "jp": "empat"}]}),
        json!({"items": [{"jalur": "coaching", "title": "x", "target_date": format!("{year}-10-01"), "jp": 4, "competency": "' OR 1=1"}]}),
    ] {
        let r = app
            .api(
                Method::PUT,
                &format!("{base}?year={year}"),
                Some(&asn),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
    }
    let page = app
        .get(&format!("/employees/{nip}/idp?year={year}"), Some(&asn))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let at = page.body.find("alert(1)").unwrap_or(0);
    assert!(
        !page.body.contains("<script>alert"),
        "{}",
        &page.body[at.saturating_sub(40)..at + 20]
    );
    // Submit; nobody approves their own; a return needs a reason.
    let r = post(app, &asn, &format!("{base}/submit?year={year}"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "submitted");
    let r = post(
        app,
        &asn,
        &format!("{base}/approve?year={year}"),
        json!({"approve": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let kapus = app.login("kapus.babahrot").await;
    let r = post(
        app,
        &kapus,
        &format!("{base}/approve?year={year}"),
        json!({"approve": false}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(
        app,
        &kapus,
        &format!("{base}/approve?year={year}"),
        json!({"approve": false, "reason": "Tambahkan target JP"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "returned");
    // Back to the ASN: regenerate (own items go, the proposals return), submit, approve.
    let r = post(
        app,
        &asn,
        &format!("{base}/generate?year={year}"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        post(app, &asn, &format!("{base}/submit?year={year}"), json!({}))
            .await
            .status,
        StatusCode::OK
    );
    let r = post(
        app,
        &kapus,
        &format!("{base}/approve?year={year}"),
        json!({"approve": true}),
    )
    .await;
    assert_eq!(r.json()["status"], "approved");
    // Approved plans are locked.
    let r = post(
        app,
        &asn,
        &format!("{base}/generate?year={year}"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Someone outside the ASN's unit sees nothing; another tenant's NIP is unknown.
    let other_head = app.login("instruktur").await;
    assert_eq!(
        app.get(&format!("{base}?year={year}"), Some(&other_head))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let other = common::other_tenant(app).await;
    let admin = app.login("admin").await;
    let r = post(
        app,
        &admin,
        &format!("/api/v1/employees/{}/plan/generate?year={year}", other.nip),
        json!({}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'idp'")
            .await
            >= 7
    );
}
