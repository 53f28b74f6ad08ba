//! Learning reported by other platforms (docs/interfaces.md#xapi): an xAPI client for LAN's
//! national LMS, the integrity e-learning mapped to its course there, and statements already
//! received through the real LRS code — six completions credited to ASN named by e-mail, one
//! course not mapped yet and one learner from another regency, both waiting for BKPSDM at
//! `/learn/integrasi`.

use cakap_services::xapi::{clients, credit, statements};
use cakap_services::{Actor, Db, ServiceError, ServiceResult};
use serde_json::json;

/// The catalogue course mapped to the outside platform, and its activity there.
pub const MAPPED_COURSE: &str = "ELN-INTEGRITAS";
pub const MAPPED_ACTIVITY: &str = "https://asn-unggul.lan.go.id/course/integritas-asn";
const UNMAPPED_ACTIVITY: &str = "https://asn-unggul.lan.go.id/course/literasi-digital-asn";
const HOME_PAGE: &str = "https://asn-unggul.lan.go.id";

/// Loads the above; returns the statements stored.
pub async fn load(db: &Db, tenant: i64, today: chrono::NaiveDate) -> ServiceResult<usize> {
    let actor = Actor::system(tenant);
    let made = clients::add(db, &actor, "LMS ASN Unggul (LAN)").await?;
    let client = clients::authenticate(db, &made.key, &made.secret, "http://localhost")
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let mut c = db.conn().await?;
    let course = cakap_store::learning::course(&mut c, tenant, MAPPED_COURSE)
        .await?
        .ok_or(ServiceError::NotFound)?;
    cakap_store::learning::set_xapi_activity(&mut c, tenant, course.id, Some(MAPPED_ACTIVITY))
        .await?;
    // Six people with an e-mail address who have not taken the course in Cakap.
    let learners =
        cakap_store::learning::reachable_non_takers(&mut c, tenant, course.id, 6).await?;
    drop(c);
    let at = |days: i64, hour: u32| {
        let day = today - chrono::Duration::days(days);
        format!("{}T{hour:02}:15:00+07:00", day.format("%Y-%m-%d"))
    };
    let name = |id: &str, en: &str| json!({"id-ID": id, "en-US": en});
    let completed = json!({"id": credit::COMPLETING[0], "display": {"id-ID": "menyelesaikan", "en-US": "completed"}});
    let mut list = Vec::new();
    for (i, (email, person)) in learners.iter().enumerate() {
        let who = json!({"objectType": "Agent", "name": person, "mbox": format!("mailto:{email}")});
        let object = json!({"objectType": "Activity", "id": MAPPED_ACTIVITY, "definition": {
            "name": name("Integritas ASN", "ASN integrity"),
            "type": "http://adlnet.gov/expapi/activities/course"}});
        let days = 40 - 5 * i as i64;
        list.push(json!({"actor": who, "object": object, "timestamp": at(days + 2, 9),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/progressed", "display": {"en-US": "progressed"}},
            "result": {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 50}}}));
        list.push(
            json!({"actor": who, "object": object, "verb": completed, "timestamp": at(days, 14),
            "result": {"completion": true, "duration": "PT3H20M"}}),
        );
    }
    if let Some((email, person)) = learners.first() {
        list.push(
            json!({"actor": {"name": person, "mbox": format!("mailto:{email}")},
            "verb": completed, "timestamp": at(3, 10),
            "object": {"id": UNMAPPED_ACTIVITY, "definition": {
                "name": name("Literasi Digital ASN", "Digital literacy for civil servants")}},
            "result": {"completion": true, "duration": "PT2H"}}),
        );
    }
    list.push(json!({"actor": {"name": "Peserta Kabupaten Lain",
            "account": {"homePage": HOME_PAGE, "name": "198807122011011002"}},
        "verb": completed, "timestamp": at(6, 11),
        "object": {"id": MAPPED_ACTIVITY}, "result": {"completion": true}}));
    let stored = statements::store(
        db,
        &client,
        statements::Incoming {
            statements: list,
            ..Default::default()
        },
        None,
    )
    .await
    .map_err(|e| ServiceError::Internal(e.to_string()))?;
    // The credited ones name their ASN by e-mail: no home page is needed to find them.
    credit::apply(db, &client, "", &stored.completing).await;
    Ok(stored.ids.len())
}
