//! Recognition through the real router and a real database: the Satyalancana list from the
//! NIP's TMT and the imported list, nominations under the rule, refusals that change nothing,
//! roles, the pages, the letter.

use crate::common;

use axum::http::{Method, StatusCode};

use common::{Session, TestApp, upload};
use serde_json::{Value, json};

fn this_year() -> i64 {
    cakap_services::performance::current_year()
}

async fn satyalancana_follows_the_nip_and_the_list(app: &TestApp) {
    let admin = app.login("admin").await;
    let year = this_year();
    let r = app
        .get(
            &format!("/api/v1/recognition/satyalancana?year={year}&all=true"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = r.json();
    // By default only those reaching 10, 20 or 30 years this year.
    let milestones = app
        .get(
            &format!("/api/v1/recognition/satyalancana?year={year}"),
            Some(&admin),
        )
        .await
        .json();
    let ms = milestones["items"].as_array().expect("items");
    assert!(
        ms.iter()
            .all(|i| [10, 20, 30].contains(&i["years"].as_i64().unwrap_or(0)))
    );
    assert_eq!(
        ms.len(),
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["milestone"] == true)
            .count()
    );
    let on = cakap_domain::recognition::counted_on(year as i32).expect("17 August");
    let items = list["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for i in items {
        let nip = cakap_domain::Nip::parse(i["nip"].as_str().expect("nip"), chrono::NaiveDate::MAX)
            .expect("valid NIP");
        let years = cakap_domain::recognition::service_years(
            nip.tmt_year(),
            nip.tmt_month().unwrap_or(1),
            on,
        );
        assert_eq!(i["years"].as_i64(), Some(i64::from(years)));
        assert!(years >= 10);
        let class = cakap_domain::recognition::Satya::of(years).expect("class");
        assert_eq!(i["class"], class.as_str());
    }
    // An eligible PNS gets a severe sentence on the list: no longer eligible, with the reason.
    let someone = items
        .iter()
        .find(|i| i["eligible"] == true)
        .expect("someone eligible");
    let nip = someone["nip"].as_str().expect("nip").to_string();
    let csv =
        format!("NIP,Jenis,TMT,Sampai,Keterangan\n{nip},Hukuman disiplin berat,2024-03-01,,Uji\n");
    let r = upload(app, &admin, "discipline", false, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = app
        .get(
            &format!("/api/v1/recognition/satyalancana?year={year}&all=true"),
            Some(&admin),
        )
        .await
        .json();
    let now = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["nip"] == nip.as_str())
        .expect("still listed")
        .clone();
    assert_eq!(now["eligible"], false);
    assert!(
        now["reasons"]
            .to_string()
            .contains("recognition.record_berat")
    );
    // A file with one bad row writes nothing.
    let before = app.scalar("SELECT COUNT(*) FROM discipline_records").await;
    let bad = format!(
        "NIP,Jenis,TMT\n{nip},Hukuman disiplin sedang,2025-01-01\n{nip},=cmd|' /C calc'!A0,2025-02-01\n999,sedang,2025-01-01\n{nip},ringan,31/02/2025\n"
    );
    let r = upload(app, &admin, "discipline", false, bad.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM discipline_records").await,
        before
    );
    // Roles and years.
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/api/v1/recognition/satyalancana", Some(&asn))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/recognition/satyalancana?year=2101", Some(&admin))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // A head sees their subtree only.
    let kadinkes = app.login("kadinkes").await;
    let theirs = app
        .get(
            &format!("/api/v1/recognition/satyalancana?year={year}&all=true"),
            Some(&kadinkes),
        )
        .await
        .json();
    assert!(theirs["items"].as_array().expect("items").len() < items.len());
}

async fn nominations(app: &TestApp, s: &Session, year: i64) -> Value {
    let r = app
        .get(
            &format!("/api/v1/recognition/nominations?year={year}"),
            Some(s),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn nominations_follow_the_rule(app: &TestApp) {
    let admin = app.login("admin").await;
    let year = this_year() - 1;
    let n = nominations(app, &admin, year).await;
    for i in n["items"].as_array().expect("items") {
        let met = i["criteria"].as_array().expect("criteria");
        let all = met.iter().all(|c| c[1] == true);
        assert_eq!(i["nominated"], all);
        if all {
            assert_eq!(i["predikat"], "sangat_baik");
            assert_eq!(i["nine_box"], 9);
            assert!(i["jp"].as_i64() >= Some(20));
            assert_eq!(i["sentenced"], false);
        } else {
            assert_eq!(met.iter().filter(|c| c[1] == false).count(), 1, "one short");
        }
    }
    // A wider rule nominates at least as many.
    let wide =
        json!({"min_predikat": "baik", "boxes": [6, 8, 9], "min_jp": 0, "no_sentence": false});
    let r = app
        .api(
            Method::PUT,
            "/api/v1/recognition/rule",
            Some(&admin),
            Some(wide.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let wider = nominations(app, &admin, year).await;
    assert!(wider["nominated"].as_i64() >= n["nominated"].as_i64());
    assert!(
        wider["nominated"].as_i64() > Some(0),
        "the demo has someone to nominate"
    );
    // A sentence in the year takes a nominee out under a rule that asks for none.
    let strict =
        json!({"min_predikat": "baik", "boxes": [6, 8, 9], "min_jp": 0, "no_sentence": true});
    app.api(
        Method::PUT,
        "/api/v1/recognition/rule",
        Some(&admin),
        Some(strict),
    )
    .await;
    let first = nominations(app, &admin, year).await["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["nominated"] == true)
        .expect("a nominee")["nip"]
        .as_str()
        .expect("nip")
        .to_string();
    let csv = format!("NIP,Jenis,TMT\n{first},ringan,{year}-05-02\n");
    assert_eq!(
        upload(app, &admin, "discipline", false, csv.as_bytes())
            .await
            .status,
        StatusCode::OK
    );
    let after = nominations(app, &admin, year).await;
    let them = after["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["nip"] == first.as_str())
        .expect("one short now");
    assert_eq!(them["nominated"], false);
    assert_eq!(them["sentenced"], true);
    // A light sentence listed without its end lasts twelve months: one of three years ago is
    // over and takes nobody out.
    let other = after["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["nominated"] == true)
        .map(|i| i["nip"].as_str().expect("nip").to_string());
    if let Some(other) = other {
        let csv = format!("NIP,Jenis,TMT\n{other},ringan,{}-01-01\n", year - 3);
        let r = upload(app, &admin, "discipline", false, csv.as_bytes()).await;
        assert_eq!(r.status, StatusCode::OK);
        let still = nominations(app, &admin, year).await;
        assert!(
            still["items"]
                .as_array()
                .expect("items")
                .iter()
                .any(|i| i["nip"] == other.as_str() && i["nominated"] == true)
        );
    }
    // Refusals.
    for bad in [
        json!({"min_predikat": "' OR 1=1", "boxes": [9], "min_jp": 20, "no_sentence": true}),
        json!({"min_predikat": "baik", "boxes": [10], "min_jp": 20, "no_sentence": true}),
        json!({"min_predikat": "baik", "boxes": [], "min_jp": 20, "no_sentence": true}),
        json!({"min_predikat": "baik", "boxes": [9], "min_jp": -1, "no_sentence": true}),
        json!({"min_predikat": "baik", "boxes": [9], "min_jp": 20}),
    ] {
        let r = app
            .api(
                Method::PUT,
                "/api/v1/recognition/rule",
                Some(&admin),
                Some(bad.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let kadinkes = app.login("kadinkes").await;
    let r = app
        .api(
            Method::PUT,
            "/api/v1/recognition/rule",
            Some(&kadinkes),
            Some(wide),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/recognition/rule", Some(&admin))
            .await
            .json()["rule"]["no_sentence"],
        true
    );
    // The pages: both lists, their downloads, the letter; the rule form with and without CSRF.
    for path in [
        format!("/penghargaan?year={year}"),
        format!("/penghargaan?tab=nominasi&year={year}"),
    ] {
        let page = app.get(&path, Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("Satyalancana"));
    }
    let csv = app
        .get(
            &format!("/penghargaan?tab=nominasi&year={year}&format=csv"),
            Some(&admin),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with("NIP,Nama,Unit,Predikat"),
        "{}",
        csv.body
    );
    let xlsx = app
        .get(
            &format!("/penghargaan?year={year}&format=xlsx"),
            Some(&admin),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"));
    let pdf = app
        .get(&format!("/penghargaan/surat.pdf?year={year}"), Some(&admin))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF"));
    assert_eq!(
        app.get(
            &format!("/penghargaan/surat.pdf?year={year}"),
            Some(&kadinkes)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let form = [
        ("_csrf", admin.csrf.as_str()),
        ("min_predikat", "sangat_baik"),
        ("box", "9"),
        ("min_jp", "20"),
        ("no_sentence", "1"),
    ];
    assert_eq!(
        app.form("/penghargaan/aturan", &admin, &form[1..])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app.form("/penghargaan/aturan", &admin, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rule = app
        .get("/api/v1/recognition/rule", Some(&admin))
        .await
        .json();
    assert_eq!(rule["rule"]["boxes"], json!([9]));
    // Nobody meets a rule asking 1,000 JP: no letter to draft.
    let none = json!({"min_predikat": "sangat_baik", "boxes": [9], "min_jp": 1000,
        "no_sentence": true});
    app.api(
        Method::PUT,
        "/api/v1/recognition/rule",
        Some(&admin),
        Some(none),
    )
    .await;
    let r = app
        .get(&format!("/penghargaan/surat.pdf?year={year}"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let page = app
        .get(
            &format!("/penghargaan?tab=nominasi&year={year}"),
            Some(&admin),
        )
        .await;
    assert!(!page.body.contains("/penghargaan/surat.pdf"));
    let asn = app.login("asn").await;
    assert_eq!(
        app.get("/penghargaan", Some(&asn)).await.status,
        StatusCode::FORBIDDEN
    );
}

both_backends!(
    satyalancana_follows_the_nip_and_the_list,
    nominations_follow_the_rule,
);
