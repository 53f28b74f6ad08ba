//! The national layer of the demo (docs/national.md): the national super-tenant with its
//! read-only `bkn` login, and — `cakap demo --national`, PostgreSQL only — every province
//! and kabupaten/kota of Indonesia with about 4.7 million ASN, copied from the demo regency
//! (its units, positions, standards, people with their assessments, evaluations, courses
//! and JP, surveys) at each government's size.

use std::sync::atomic::{AtomicUsize, Ordering};

use cakap_domain::{Role, regions};
use cakap_services::{Db, ServiceError, ServiceResult};
use cakap_store::{Backend, national, users};

use crate::{DEMO_PASSWORD, Login};

/// The national super-tenant's code and name.
pub const NATIONAL_TENANT: (&str, &str) = ("nasional", "Badan Kepegawaian Negara (nasional)");

/// Makes the national super-tenant and its `bkn` login (an auditor: it reads, never
/// writes), unless they exist; none when a `bkn` of another tenant has the name.
pub async fn national_login(db: &Db) -> ServiceResult<Option<Login>> {
    let mut c = db.begin().await?;
    let tenant = national::ensure_tenant(
        &mut c,
        NATIONAL_TENANT.0,
        NATIONAL_TENANT.1,
        national::NATIONAL,
    )
    .await?;
    match users::credentials(&mut c, "bkn").await? {
        Some(u) if u.tenant_id != tenant => return Ok(None),
        Some(_) => {}
        None => {
            let hash = cakap_services::auth::hash_password(DEMO_PASSWORD)?;
            users::insert(
                &mut c,
                tenant,
                &users::NewUser {
                    username: "bkn",
                    password_hash: &hash,
                    role: Role::Auditor.as_str(),
                    unit_id: None,
                    employee_id: None,
                },
            )
            .await?;
        }
    }
    c.commit().await?;
    Ok(Some(Login {
        role: Role::Auditor,
        username: "bkn".into(),
        who: NATIONAL_TENANT.1.into(),
    }))
}

/// How far a government differs from the demo regency, fixed by its code: up to a quarter of
/// its assessment results a level higher or lower (JPM ±5 or so), 65–100 % of its training.
pub fn variation(code: &str) -> national::Variation {
    let a = regions::spread(code);
    let b = regions::spread(&format!("{code}/jp"));
    national::Variation {
        up: (a * 25.0) as i64,
        down: ((1.0 - a) * 25.0) as i64,
        kept: 65 + (b * 35.0) as i64,
    }
}

#[derive(Debug, Clone)]
pub struct NationalOptions {
    /// ASN of the whole country, about.
    pub asn: u64,
    /// Only these provinces (codes); all when empty.
    pub provinces: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct NationalSummary {
    pub governments: usize,
    /// Governments already there from an earlier run (left as they are).
    pub skipped: usize,
    pub rows: i64,
}

/// Refuses what the generator cannot do before anything is loaded: a database other than
/// PostgreSQL, a province code that does not exist.
pub fn check(db: &Db, provinces: &[String]) -> ServiceResult<()> {
    if db.backend() != Backend::Postgres {
        return Err(ServiceError::Internal(
            "the national generator needs PostgreSQL (--database-url postgres://…)".into(),
        ));
    }
    if let Some(p) = provinces
        .iter()
        .find(|p| !regions::PROVINCES.iter().any(|q| q.code == p.as_str()))
    {
        return Err(ServiceError::Internal(format!(
            "no province has the code {p:?} (Kemendagri codes: 11 Aceh … 96 Papua Barat Daya)"
        )));
    }
    Ok(())
}

/// Copies the demo regency `template` into every other government of the national layout
/// (each in its own transaction, so a run that stops is resumed by running it again), then
/// moves the id sequences past the copies. `progress(done, total)` after each government.
pub async fn generate(
    db: &Db,
    template: i64,
    template_code: &str,
    opts: &NationalOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> ServiceResult<NationalSummary> {
    check(db, &opts.provinces)?;
    let people = {
        let mut c = db.conn().await?;
        let max = national::template_max_id(&mut c, template).await?;
        if max >= national::PERSON_BLOCK {
            return Err(ServiceError::Internal(format!(
                "the demo regency's ids reach {max}; the generator needs them below {} \
                 (load the demo into a new database first)",
                national::PERSON_BLOCK
            )));
        }
        cakap_store::employees::count(&mut c, template).await?
    };
    let demo = {
        let mut c = db.conn().await?;
        national::demo_loaded(&mut c, template).await?
    };
    if people == 0 || !demo {
        return Err(ServiceError::Internal(
            "the template must be the demo regency (`cakap demo` into an empty database): \
             the generator never copies real people"
                .into(),
        ));
    }
    // Each government keeps its place in the whole layout (its id block), whichever
    // provinces this run covers.
    let layout: Vec<(i64, regions::Government)> = regions::national_layout(opts.asn)
        .into_iter()
        .enumerate()
        .map(|(i, g)| (i as i64 + 1, g))
        .filter(|(_, g)| g.code != template_code)
        .filter(|(_, g)| {
            opts.provinces.is_empty()
                || opts
                    .provinces
                    .iter()
                    .any(|p| g.code.split('.').next() == Some(p.as_str()))
        })
        .collect();
    if let Some((_, g)) = layout
        .iter()
        .find(|(_, g)| g.asn as i64 / people >= national::MAX_COPIES)
    {
        return Err(ServiceError::Internal(format!(
            "{} needs {} ASN, more than {} copies of the demo regency's {people}: \
             load a larger demo (--employees)",
            g.code,
            g.asn,
            national::MAX_COPIES - 1
        )));
    }
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let worker = || async {
        let mut sum = NationalSummary::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((k, g)) = layout.get(i) else {
                return Ok::<_, ServiceError>(sum);
            };
            let mut c = db.begin().await?;
            if national::government_exists(&mut c, &g.code).await? {
                sum.skipped += 1;
            } else {
                let tenant = national::ensure_tenant(&mut c, &g.code, &g.name, "daerah").await?;
                let size = g.asn as i64;
                let copies = size / people;
                let part = ((size - copies * people) * 1000 / people).clamp(0, 1000);
                sum.rows += national::copy_government(
                    &mut c,
                    template,
                    tenant,
                    *k,
                    (copies, part),
                    &variation(&g.code),
                )
                .await?;
                c.commit().await?;
                sum.governments += 1;
            }
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, layout.len());
        }
    };
    // Two governments at a time: PostgreSQL does the copying, one core each.
    let (a, b) = tokio::try_join!(worker(), worker())?;
    let mut summary = NationalSummary::default();
    for s in [a, b] {
        summary.governments += s.governments;
        summary.skipped += s.skipped;
        summary.rows += s.rows;
    }
    let mut c = db.conn().await?;
    national::advance_sequences(&mut c).await?;
    drop(c);
    db.vacuum_analyze().await?;
    Ok(summary)
}
