//! What every benchmark does first: a migrated database with certificate keys in a directory
//! of this run (the demo issues certificates), and the default tenant's id.

use cakap_services::Db;

pub async fn open(url: &str) -> (Db, i64) {
    let db = cakap_services::open(url).await.expect("open");
    let keys = std::env::temp_dir().join(format!(
        "cakap-bench-keys-{}-{}",
        std::process::id(),
        url.len()
    ));
    cakap_services::learning::keys::open(&db, &keys)
        .await
        .expect("keys");
    let tenant = {
        let mut c = db.conn().await.expect("conn");
        cakap_store::tenants::by_code(&mut c, cakap_services::DEFAULT_TENANT.0)
            .await
            .expect("q")
            .expect("tenant")
            .id
    };
    (db, tenant)
}
