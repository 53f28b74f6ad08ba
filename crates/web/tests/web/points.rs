//! Points and badges through the real router and a real database: points equal DOMAIN §14
//! over what the test counts itself, badges that any holder of the published key can check and
//! that break when edited, leaderboards that respect an opt-out and scope, refusals that
//! change nothing, roles, the pages.

use crate::common;

use axum::http::{Method, StatusCode};
use cakap_domain::points::Rules;
use common::{Session, TestApp, other_tenant};
use serde_json::{Value, json};

fn this_year() -> i64 {
    cakap_services::performance::current_year()
}

async fn points(app: &TestApp, s: &Session, nip: &str, year: i64) -> Value {
    let r = app
        .get(
            &format!("/api/v1/employees/{nip}/points?year={year}"),
            Some(s),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// The active employee with the most certificates of `year`.
async fn earner(app: &TestApp, year: i64) -> (String, i64) {
    let nip = app
        .scalar_text(&format!(
            "SELECT e.nip FROM employees e JOIN certificates c ON c.employee_id = e.id \
             JOIN enrollments en ON en.id = c.enrollment_id \
             WHERE e.active = TRUE AND en.completed_on LIKE '{year}-%' \
             GROUP BY e.id, e.nip ORDER BY COUNT(*) DESC, e.id LIMIT 1"
        ))
        .await;
    let id = app
        .scalar(&format!("SELECT id FROM employees WHERE nip = '{nip}'"))
        .await;
    (nip, id)
}

async fn points_follow_the_rule_and_badges_prove_themselves(app: &TestApp) {
    let admin = app.login("admin").await;
    let year = this_year() - 1;
    let (nip, id) = earner(app, year).await;
    // The small test regency earns little: thresholds of its own make every badge reachable
    // (and show the regency's rule is the one applied).
    let rules = Rules {
        thresholds: [10, 20, 30],
        ..Rules::default()
    };
    let set = app
        .api(
            Method::PUT,
            "/api/v1/points/rules",
            Some(&admin),
            Some(json!(rules)),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let p = points(app, &admin, &nip, year).await;
    let lines = p["lines"].as_array().expect("lines");
    let sum: i64 = lines.iter().map(|l| l["points"].as_i64().expect("n")).sum();
    assert_eq!(p["points"].as_i64(), Some(sum), "the lines add up");
    // Counted here with SQL of the test's own, then DOMAIN §14's default values.
    let jp = app
        .scalar(&format!(
            "SELECT CAST(COALESCE(SUM(jp), 0) AS BIGINT) FROM (SELECT jp FROM enrollments WHERE employee_id = {id} \
             AND status = 'completed' AND completed_on LIKE '{year}-%' UNION ALL SELECT jp FROM \
             activities WHERE employee_id = {id} AND status = 'approved' AND ended_on LIKE '{year}-%') x"
        ))
        .await;
    let certificates = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM certificates c JOIN enrollments en ON en.id = c.enrollment_id \
             WHERE c.employee_id = {id} AND c.revoked_at IS NULL AND en.completed_on LIKE '{year}-%'"
        ))
        .await;
    let drills = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM drill_participants dp JOIN drills d ON d.id = dp.drill_id \
             WHERE dp.employee_id = {id} AND d.held_on LIKE '{year}-%'"
        ))
        .await;
    let acks = lines
        .iter()
        .filter(|l| l["source"] == "acknowledgement" && l["note"].is_null())
        .count() as i64;
    assert!(certificates > 0);
    assert_eq!(
        sum,
        jp * rules.per_jp
            + certificates * rules.per_certificate
            + acks * rules.per_acknowledgement
            + drills * rules.per_drill
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["source"] == "jp")
            .map(|l| l["count"].as_i64().unwrap_or(0))
            .sum::<i64>(),
        jp
    );

    // Badges: one per threshold reached, each an Open Badges 3.0 credential whose proof holds
    // under the key the regency publishes (found here from the did:key, compared with the
    // published one).
    let r = app
        .get(&format!("/api/v1/employees/{nip}/badges"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let creds = r.json();
    let of_year: Vec<&Value> = creds
        .as_array()
        .expect("list")
        .iter()
        .filter(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.ends_with(&year.to_string()))
        })
        .collect();
    let reached = rules.reached(sum).count();
    assert_eq!(of_year.len(), reached, "{sum} points");
    assert!(
        reached > 0,
        "the busiest learner of last year has a badge ({sum} points)"
    );
    let published = app
        .scalar_text("SELECT public_key FROM signing_keys WHERE retired_at IS NULL")
        .await;
    let key = ed25519_dalek::VerifyingKey::from_bytes(
        &(0..32)
            .map(|i| u8::from_str_radix(&published[2 * i..2 * i + 2], 16).expect("hex"))
            .collect::<Vec<u8>>()
            .try_into()
            .expect("32 bytes"),
    )
    .expect("key");
    for c in &of_year {
        assert!(
            c["type"]
                .as_array()
                .expect("type")
                .contains(&json!("AchievementCredential"))
        );
        assert_eq!(c["@context"][0], "https://www.w3.org/ns/credentials/v2");
        assert_eq!(c["proof"]["cryptosuite"], "eddsa-jcs-2022");
        assert_eq!(c["issuer"]["id"], cakap_services::badges::did_key(&key));
        assert!(cakap_services::badges::verify(c, &key));
        let subject = &c["credentialSubject"]["identifier"];
        let masked = cakap_domain::learning::mask_nip(&nip);
        assert!(subject.to_string().contains(&masked), "the NIP masked");
        assert!(!c.to_string().contains(&nip), "the NIP never in clear");
        assert!(
            c["credentialSubject"]["id"]
                .as_str()
                .is_some_and(|i| i.starts_with("urn:uuid:"))
        );
    }
    // Anyone can check one, without logging in; the JSON download is the credential.
    let first = of_year[0];
    let id = first["id"]
        .as_str()
        .expect("id")
        .trim_start_matches("urn:uuid:");
    let page = app.get(&format!("/badges/{id}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(p["name"].as_str().expect("name")));
    let download = app.get(&format!("/badges/{id}.json"), None).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.json(), *first);
    let jwt = app.get(&format!("/badges/{id}.jwt"), None).await;
    assert_eq!(jwt.status, StatusCode::OK);
    assert_eq!(jwt.body.split('.').count(), 3);
    // Badges are never edited; one replaced with an edited text no longer checks.
    assert!(
        app.sql(&format!("UPDATE badges SET points = 1 WHERE id = '{id}'"))
            .await
            .is_err()
    );
    let forged = first.to_string().replace("Pembelajar", "Juara");
    app.sql(&format!(
        "CREATE TABLE forged AS SELECT * FROM badges WHERE id = '{id}'"
    ))
    .await
    .expect("copy");
    app.sql(&format!("DELETE FROM badges WHERE id = '{id}'"))
        .await
        .expect("delete");
    app.sql(&format!(
        "INSERT INTO badges SELECT tenant_id, id, employee_id, year, level, points, \
         '{}', kid, issued_at FROM forged",
        forged.replace('\'', "''")
    ))
    .await
    .expect("forge");
    let page = app.get(&format!("/badges/{id}"), None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("tidak sah"), "{}", page.body);
    assert_eq!(
        app.get(&format!("/badges/{id}.json"), None).await.status,
        StatusCode::NOT_FOUND
    );
    for bad in [
        "00000000-0000-4000-8000-000000000000",
        "'%20OR%201=1",
        "%3Cscript%3E",
    ] {
        assert_eq!(
            app.get(&format!("/badges/{bad}"), None).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

async fn rule_changes_and_refusals(app: &TestApp) {
    let admin = app.login("admin").await;
    let year = this_year() - 1;
    let (nip, _) = earner(app, year).await;
    let before = points(app, &admin, &nip, year).await;
    let doubled = json!({"per_jp": 2, "per_certificate": 10, "per_acknowledgement": 5,
        "per_drill": 20, "thresholds": [50, 100, 200]});
    let r = app
        .api(
            Method::PUT,
            "/api/v1/points/rules",
            Some(&admin),
            Some(doubled.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["rules"], doubled);
    let after = points(app, &admin, &nip, year).await;
    let jp: i64 = before["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["source"] == "jp")
        .map(|l| l["count"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(
        after["points"].as_i64(),
        before["points"].as_i64().map(|p| p + jp),
        "read anew"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'points_rules'")
            .await,
        1
    );
    let bad = [
        json!({"per_jp": -1, "per_certificate": 10, "per_acknowledgement": 5, "per_drill": 20, "thresholds": [50, 100, 200]}),
        json!({"per_jp": 1, "per_certificate": 10, "per_acknowledgement": 5, "per_drill": 20, "thresholds": [100, 100, 200]}),
        json!({"per_jp": "=cmd|' /C calc'!A0", "per_certificate": 10, "per_acknowledgement": 5, "per_drill": 20, "thresholds": [50, 100, 200]}),
        json!({"per_jp": 1, "per_certificate": 10, "per_acknowledgement": 5, "thresholds": [50, 100, 200]}),
        json!({"per_jp": 1, "per_certificate": 10, "per_acknowledgement": 5, "per_drill": 20, "thresholds": [50, 100, 200], "x": "<script>"}),
    ];
    for b in bad {
        let r = app
            .api(
                Method::PUT,
                "/api/v1/points/rules",
                Some(&admin),
                Some(b.clone()),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: {}",
            r.body
        );
        assert!(!r.error_message().is_empty());
    }
    let asn = app.login("asn").await;
    let r = app
        .api(
            Method::PUT,
            "/api/v1/points/rules",
            Some(&asn),
            Some(doubled),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let now = app.get("/api/v1/points/rules", Some(&asn)).await.json();
    assert_eq!(now["rules"]["per_jp"], 2, "nothing changed by the refusals");
    // Years outside 2000–2100, more than ten years back (each year is a regency-wide
    // aggregate: not computed on any visitor's whim), or not numbers.
    let long_ago = (this_year() - 11).to_string();
    for (y, status) in [
        ("1900", StatusCode::UNPROCESSABLE_ENTITY),
        ("2101", StatusCode::UNPROCESSABLE_ENTITY),
        (long_ago.as_str(), StatusCode::UNPROCESSABLE_ENTITY),
        ("abc", StatusCode::BAD_REQUEST),
    ] {
        let r = app
            .get(
                &format!("/api/v1/employees/{nip}/points?year={y}"),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, status, "{y}");
        assert!(!r.error_message().is_empty());
    }
    // The form: refused values come back with the message; without CSRF nothing is saved.
    let mut fields = vec![
        ("_csrf", admin.csrf.as_str()),
        ("per_jp", "1"),
        ("per_certificate", "10"),
        ("per_acknowledgement", "5"),
        ("per_drill", "20"),
        ("bronze", "300"),
        ("silver", "100"),
        ("gold", "200"),
    ];
    let r = app.form("/poin/aturan", &admin, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("perunggu &lt; perak") || r.body.contains("perunggu &#60; perak"),
        "{}",
        r.body
    );
    fields[5].1 = "50";
    let r = app.form("/poin/aturan", &admin, &fields[1..]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.form("/poin/aturan", &admin, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.get("/api/v1/points/rules", Some(&admin)).await.json()["rules"]["per_jp"],
        1
    );
}

async fn leaderboards_respect_opt_outs_and_scope(app: &TestApp) {
    let asn = app.login("asn").await;
    let year = this_year();
    let board = app
        .get(
            &format!("/api/v1/points/leaderboard?year={year}"),
            Some(&asn),
        )
        .await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    let board = board.json();
    let mine = |b: &Value| {
        b["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .any(|r| r["me"] == true)
    };
    let people = board["people"].as_i64().expect("people");
    assert!(people > 0);
    let r = app
        .api(
            Method::PUT,
            "/api/v1/points/optout",
            Some(&asn),
            Some(json!({"opt_out": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = app
        .get(
            &format!("/api/v1/points/leaderboard?year={year}"),
            Some(&asn),
        )
        .await
        .json();
    assert!(!mine(&after));
    assert_eq!(after["people"].as_i64(), Some(people - 1));
    let own_nip = app
        .scalar_text("SELECT e.nip FROM users u JOIN employees e ON e.id = u.employee_id WHERE u.username = 'asn'")
        .await;
    let own = points(app, &asn, &own_nip, year).await;
    assert_eq!(own["opted_out"], true);
    assert!(own["rank"].is_null());
    let r = app
        .api(
            Method::PUT,
            "/api/v1/points/optout",
            Some(&asn),
            Some(json!({"opt_out": "yes"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.api(
        Method::PUT,
        "/api/v1/points/optout",
        Some(&asn),
        Some(json!({"opt_out": false})),
    )
    .await;
    let back = app
        .get(
            &format!("/api/v1/points/leaderboard?year={year}"),
            Some(&asn),
        )
        .await
        .json();
    assert_eq!(back["people"].as_i64(), Some(people));
    let own_id = app
        .scalar(&format!("SELECT id FROM employees WHERE nip = '{own_nip}'"))
        .await;
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'leaderboard_optout' \
             AND entity_id = '{own_id}'"
        ))
        .await,
        2
    );
    // Someone else's points: an ASN sees only their own; another regency's NIP is unknown.
    let other_nip = app
        .scalar_text(&format!(
            "SELECT nip FROM employees WHERE nip <> '{own_nip}' ORDER BY id LIMIT 1"
        ))
        .await;
    let r = app
        .get(&format!("/api/v1/employees/{other_nip}/points"), Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .get(&format!("/api/v1/employees/{other_nip}/badges"), Some(&asn))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let other = other_tenant(app).await;
    let admin = app.login("admin").await;
    let r = app
        .get(
            &format!("/api/v1/employees/{}/points", other.nip),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .get(
            &format!("/api/v1/points/leaderboard?unit={}", other.unit),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // A head of agency sees a unit of their subtree, not one outside it.
    let kadinkes = app.login("kadinkes").await;
    let dinkes = app
        .get(
            &format!("/api/v1/points/leaderboard?unit=DINKES&year={year}"),
            Some(&kadinkes),
        )
        .await;
    assert_eq!(dinkes.status, StatusCode::OK);
    // The board (one query for the regency) and a person's lines (their own queries) agree.
    for row in dinkes.json()["rows"].as_array().expect("rows") {
        let nip = row["nip"].as_str().expect("a leader sees NIPs");
        let theirs = points(app, &kadinkes, nip, year).await;
        assert_eq!(theirs["points"], row["points"], "{nip}");
    }
    assert_eq!(
        app.get("/api/v1/points/leaderboard?unit=BKPSDM", Some(&kadinkes))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Without a session: 401.
    assert_eq!(
        app.get("/api/v1/points/leaderboard", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The page: own points, badges and the leaderboard, and the opt-out form.
    let page = app.get("/poin", Some(&asn)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/poin/papan"));
    let r = app
        .form("/poin/papan", &asn, &[("_csrf", &asn.csrf), ("out", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM leaderboard_optouts o JOIN employees e ON e.id = o.employee_id \
             WHERE e.nip = '{own_nip}'"
        ))
        .await,
        1
    );
    assert!(
        app.get("/poin", Some(&asn))
            .await
            .body
            .contains("Tampilkan saya lagi")
    );
}

both_backends!(
    points_follow_the_rule_and_badges_prove_themselves,
    rule_changes_and_refusals,
    leaderboards_respect_opt_outs_and_scope,
);
