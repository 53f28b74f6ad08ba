//! Public-service quality (docs/domain.md#service-quality): the citizens' survey (SKM) with
//! its abuse limits, the IKM per unit and period, service users per period, complaints.
//!
//! The survey is public (no login) and lands in the default tenant; everything else needs a
//! reader of the unit: `admin` and `auditor` see every unit, a `pimpinan` their subtree.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cakap_domain::Role;
use cakap_domain::skm::{self, Mutu, Period, Tally};
use cakap_store::service_quality as store;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use utoipa::ToSchema;

use crate::cache::{self, Spec, Topic};
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

pub mod compare;
pub mod complaints;
mod poster;
mod report;

pub use report::report;

/// Responses one address may send in an hour, across units (a family at a counter, a
/// shared phone: a few; a script: refused). IPv6 addresses count per /64.
pub const RESPONSES_PER_HOUR: u32 = 20;
/// Responses one address may give one unit in a day (an office's shared connection: a few
/// dozen people; more is a campaign, not a sample).
pub const RESPONSES_PER_ORIGIN_DAY: i64 = 30;
/// Longest free-text comment.
pub const MAX_COMMENT: usize = 1000;

/// What a citizen sends (`POST /api/v1/public/surveys/{unit}`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SurveyInput {
    /// Nine answers, unsur 1–9, each 1–4.
    pub answers: Vec<i64>,
    pub service: Option<String>,
    /// "L" or "P".
    pub gender: Option<String>,
    pub age: Option<i64>,
    pub education: Option<String>,
    pub comment: Option<String>,
}

/// Who is answering, as far as the limits need to know: never stored as such.
pub struct Respondent<'a> {
    /// The client's address (only its hash, mixed with the cookie, is kept).
    pub address: &'a str,
    /// The survey cookie of the device, when it has one.
    pub cookie: Option<&'a str>,
}

/// The tenant the public survey belongs to.
pub(crate) async fn public_tenant(db: &Db) -> ServiceResult<i64> {
    let mut c = db.conn().await?;
    cakap_store::tenants::by_code(&mut c, crate::DEFAULT_TENANT.0)
        .await?
        .map(|t| t.id)
        .ok_or(ServiceError::NotFound)
}

/// A unit that serves the public, for its survey form.
pub async fn public_unit(db: &Db, code: &str) -> ServiceResult<store::PublicUnit> {
    Ok(public_unit_of(db, code).await?.1)
}

/// The public tenant and its unit that serves the public.
async fn public_unit_of(db: &Db, code: &str) -> ServiceResult<(i64, store::PublicUnit)> {
    let tenant = public_tenant(db).await?;
    let mut c = db.conn().await?;
    let unit = store::unit(&mut c, tenant, code.trim())
        .await?
        .filter(|u| u.serves_public)
        .ok_or(ServiceError::NotFound)?;
    Ok((tenant, unit))
}

/// Records one response. A second one from the same device for the same unit on the same
/// day is refused as a duplicate; more than [`RESPONSES_PER_HOUR`] from one address are
/// throttled. Nothing personal is kept: the device is a hash of the cookie and the address.
pub async fn submit(
    db: &Db,
    unit_code: &str,
    who: &Respondent<'_>,
    input: &SurveyInput,
) -> ServiceResult<()> {
    // The cheap check first: a flood is held back before it costs a query.
    throttle(db, who.address)?;
    let (tenant, unit) = public_unit_of(db, unit_code).await?;
    let answers = skm::check_answers(&input.answers).map_err(|e| match e {
        skm::AnswerError::Count(n) => ServiceError::Invalid {
            field: "answers",
            key: "survey.answer_count",
            args: vec![("n", n.to_string())],
        },
        skm::AnswerError::Range(u) => ServiceError::Invalid {
            field: "answers",
            key: "survey.answer_range",
            args: vec![("unsur", u.to_string())],
        },
    })?;
    let gender = match input.gender.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(g @ ("L" | "P")) => Some(g),
        Some(_) => return Err(ServiceError::invalid("gender", "survey.gender_invalid")),
    };
    let age = match input.age {
        None => None,
        Some(a @ 10..=110) => Some(a),
        Some(_) => return Err(ServiceError::invalid("age", "survey.age_invalid")),
    };
    let service = validate::optional_text("service", input.service.as_deref(), 200)?;
    let education = match input.education.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(e) => Some(
            skm::EDUCATION
                .iter()
                .find(|x| **x == e)
                .map(|x| (*x).to_string())
                .ok_or_else(|| ServiceError::invalid("education", "survey.education_invalid"))?,
        ),
    };
    let comment = validate::optional_paragraph("comment", input.comment.as_deref(), MAX_COMMENT)?;
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let salt = db.extension::<Salt>();
    let device = salt.hash(&[
        "device",
        &unit.code,
        &today,
        who.cookie.unwrap_or(who.address),
    ]);
    let origin = salt.hash(&["origin", &unit.code, &today, &address_group(who.address)]);
    let mut c = db.begin().await?;
    if store::from_origin(&mut c, tenant, unit.id, &today, &origin).await?
        >= RESPONSES_PER_ORIGIN_DAY
    {
        return Err(ServiceError::Throttled {
            retry_after_secs: seconds_to_midnight(),
        });
    }
    let row = store::NewResponse {
        unit_id: unit.id,
        answered_on: &today,
        answers: answers.map(i64::from),
        service: service.as_deref(),
        gender,
        age,
        education: education.as_deref(),
        comment: comment.as_deref(),
        device: &device,
        origin: &origin,
    };
    if !store::insert_response(&mut c, tenant, &row).await? {
        return Err(ServiceError::Conflict {
            key: "survey.already_answered",
        });
    }
    c.commit().await?;
    crate::change::changed(db, tenant, &[Topic::Service]);
    Ok(())
}

/// A secret the server draws when it starts and never stores: the hashes kept with the
/// survey answers cannot be turned back into addresses or cookies, not even by someone with
/// the database. (A restart draws a new one, so a device could answer once more that day.)
struct Salt([u8; 32]);

impl Default for Salt {
    fn default() -> Self {
        let mut bytes = [0u8; 32];
        if getrandom::fill(&mut bytes).is_err() {
            // No randomness from the system: a per-process value still hides the address
            // from anyone without the process's memory.
            let seed = format!("{:?}{}", Instant::now(), std::process::id());
            bytes.copy_from_slice(&sha2::Sha256::digest(seed.as_bytes()));
        }
        Salt(bytes)
    }
}

impl Salt {
    fn hash(&self, parts: &[&str]) -> String {
        let mut h = sha2::Sha256::new();
        h.update(self.0);
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p.as_bytes());
        }
        crate::auth::hex(&h.finalize())
    }
}

/// An address as the limits count it: IPv4 as it is, IPv6 by its /64 (one subscriber's
/// network hands out a whole /64).
fn address_group(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        _ => address.to_string(),
    }
}

fn seconds_to_midnight() -> u64 {
    let now = chrono::Local::now().naive_local();
    let midnight = (now.date() + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or(now);
    (midnight - now).num_seconds().max(1) as u64
}

/// Responses per address in the current hour, kept with the server's database.
#[derive(Default)]
struct Flood {
    by_address: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Addresses the limiter remembers; beyond it the expired go, and if that is not enough, all.
const FLOOD_MAX: usize = 20_000;

fn throttle(db: &Db, address: &str) -> ServiceResult<()> {
    let flood = db.extension::<Flood>();
    let mut map = flood
        .by_address
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let now = Instant::now();
    let hour = Duration::from_secs(3600);
    if map.len() >= FLOOD_MAX {
        map.retain(|_, (at, _)| now.duration_since(*at) < hour);
        if map.len() >= FLOOD_MAX / 2 {
            map.clear();
        }
    }
    let entry = map.entry(address_group(address)).or_insert((now, 0));
    if now.duration_since(entry.0) >= hour {
        *entry = (now, 0);
    }
    if entry.1 >= RESPONSES_PER_HOUR {
        let left = hour.saturating_sub(now.duration_since(entry.0)).as_secs();
        return Err(ServiceError::Throttled {
            retry_after_secs: left.max(1),
        });
    }
    entry.1 += 1;
    Ok(())
}

// ---------------------------------------------------------------- IKM

/// A unit's IKM for a period (`GET /api/v1/service-quality/ikm`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IkmReport {
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub respondents: i64,
    /// NRR per unsur (1–4), 2 decimals.
    pub nrr: Vec<f64>,
    /// 25–100, 2 decimals; null without respondents.
    pub ikm: Option<f64>,
    /// "A" … "D".
    pub mutu: Option<&'static str>,
    pub kinerja: Option<&'static str>,
    /// Service users entered for the period, when known.
    pub users: Option<i64>,
    /// Krejcie–Morgan sample for those users.
    pub sample_needed: Option<i64>,
    pub enough: bool,
}

impl IkmReport {
    fn new(code: &str, name: &str, period: Period, t: &Tally, users: Option<i64>) -> IkmReport {
        let ikm = skm::ikm(t);
        let sample = users.map(skm::sample_needed);
        IkmReport {
            unit: code.to_string(),
            unit_name: name.to_string(),
            period: period.to_string(),
            respondents: t.respondents,
            // Nine numbers always (the contract); zeros with `ikm` null when nobody answered.
            nrr: ikm
                .as_ref()
                .map_or_else(|| vec![0.0; 9], |i| i.nrr.to_vec()),
            ikm: ikm.as_ref().map(|i| i.ikm),
            mutu: ikm.as_ref().map(|i| i.mutu.as_str()),
            kinerja: ikm.as_ref().map(|i| i.mutu.kinerja()),
            users,
            sample_needed: sample,
            enough: sample.is_some_and(|s| t.respondents >= s) && t.respondents > 0,
        }
    }
    /// The unsur below mutu B that speak to the staff (6 and 7), 1-based with their class.
    pub fn staff_shortfalls(&self) -> Vec<(usize, Mutu)> {
        skm::STAFF_UNSUR
            .iter()
            .filter_map(|i| {
                let m = Mutu::of_nrr(*self.nrr.get(*i)?);
                matches!(m, Mutu::C | Mutu::D).then_some((i + 1, m))
            })
            .collect()
    }
}

/// The regency's table for a period: every unit serving the public in the reader's scope,
/// with its IKM (computed once per change, then kept).
pub async fn table(db: &Db, actor: &Actor, period: &str) -> ServiceResult<Arc<Vec<IkmReport>>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let period = parse_period(period)?;
    let scope = actor.unit_scope();
    let key = (scope.clone(), period);
    cache::of::<Tables>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            let (from, to) = bounds(period);
            let mut c = db.conn().await?;
            let units = store::public_units(&mut c, actor.tenant_id, &scope).await?;
            let tallies: HashMap<i64, store::TallyRow> =
                store::tallies(&mut c, actor.tenant_id, &scope, &from, &to)
                    .await?
                    .into_iter()
                    .map(|t| (t.unit_id, t))
                    .collect();
            let users: HashMap<i64, i64> =
                store::populations(&mut c, actor.tenant_id, &period.to_string())
                    .await?
                    .into_iter()
                    .collect();
            let mut out = Vec::with_capacity(units.len());
            for u in &units {
                let t = tallies.get(&u.id).map_or_else(Tally::default, |t| Tally {
                    respondents: t.respondents,
                    sums: t.sums(),
                });
                let users = users.get(&u.id).copied();
                out.push(IkmReport::new(&u.code, &u.name, period, &t, users));
            }
            Ok(Arc::new(out))
        })
        .await
}

/// The IKM of each unit serving the public that has answers in `year`, uncached: the
/// national job reads every government's once an hour, which would only push the regencies'
/// own tables out of the cache ([`table`] counts the same).
pub async fn unit_ikms(db: &Db, tenant: i64, year: i32) -> ServiceResult<Vec<f64>> {
    let (from, to) = bounds(Period::of_year(year));
    let mut c = db.conn().await?;
    let public: std::collections::HashSet<i64> = store::public_units(&mut c, tenant, "")
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    Ok(store::tallies(&mut c, tenant, "", &from, &to)
        .await?
        .into_iter()
        .filter(|t| public.contains(&t.unit_id))
        .filter_map(|t| {
            skm::ikm(&Tally {
                respondents: t.respondents,
                sums: t.sums(),
            })
            .map(|i| i.ikm)
        })
        .collect())
}

/// One unit's IKM for a period.
pub async fn ikm(db: &Db, actor: &Actor, unit: &str, period: &str) -> ServiceResult<IkmReport> {
    let all = table(db, actor, period).await?;
    all.iter()
        .find(|r| r.unit == unit.trim())
        .cloned()
        .ok_or(ServiceError::NotFound)
}

/// The latest comments of a unit in a period (shown escaped by the pages).
pub async fn comments(
    db: &Db,
    actor: &Actor,
    unit: &str,
    period: &str,
) -> ServiceResult<Vec<(String, String)>> {
    let u = readable_unit(db, actor, unit).await?;
    let (from, to) = bounds(parse_period(period)?);
    let mut c = db.conn().await?;
    Ok(store::comments(&mut c, actor.tenant_id, u.id, &from, &to, 20).await?)
}

/// `PUT /api/v1/service-quality/population`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PopulationInput {
    pub unit: String,
    pub period: String,
    pub users: i64,
}

/// Sets the number of service users of a unit in a period (`admin`, or the unit's
/// `pimpinan`).
pub async fn set_population(db: &Db, actor: &Actor, input: &PopulationInput) -> ServiceResult<()> {
    actor.require_any(&[Role::Admin, Role::Pimpinan])?;
    let period = parse_period(&input.period)?;
    if !(0..=10_000_000).contains(&input.users) {
        return Err(ServiceError::invalid("users", "survey.users_range"));
    }
    readable_unit(db, actor, &input.unit).await?;
    let mut c = Change::begin(db, actor).await?;
    let u = unit_to_change(&mut c, actor, &input.unit).await?;
    let before = store::population(&mut c, actor.tenant_id, u.id, &period.to_string()).await?;
    store::set_population(
        &mut c,
        actor.tenant_id,
        u.id,
        &period.to_string(),
        input.users,
    )
    .await?;
    c.record(
        "update",
        "service_population",
        &format!("{}:{period}", u.code),
        before.map(|b| serde_json::json!({"users": b})).as_ref(),
        Some(&serde_json::json!({"users": input.users})),
    )
    .await?;
    c.finish(&[Topic::Service]).await?;
    Ok(())
}

/// Marks a unit as serving the public (its survey form opens) or not. `admin` only.
pub async fn set_serves_public(db: &Db, actor: &Actor, unit: &str, on: bool) -> ServiceResult<()> {
    actor.require_admin()?;
    readable_unit(db, actor, unit).await?;
    let mut c = Change::begin(db, actor).await?;
    let u = unit_to_change(&mut c, actor, unit).await?;
    store::set_serves_public(&mut c, actor.tenant_id, u.id, on).await?;
    c.record(
        "update",
        "unit",
        &u.code,
        Some(&serde_json::json!({"serves_public": u.serves_public})),
        Some(&serde_json::json!({"serves_public": on})),
    )
    .await?;
    c.finish(&[Topic::Service, Topic::Units]).await?;
    Ok(())
}

/// The counter poster (PDF) of a unit that serves the public, pointing at `base_url`'s form.
pub async fn poster(db: &Db, actor: &Actor, code: &str, base_url: &str) -> ServiceResult<Vec<u8>> {
    let u = readable_unit(db, actor, code).await?;
    if !u.serves_public {
        return Err(ServiceError::NotFound);
    }
    let issuer = tenant_name(db, actor.tenant_id).await?;
    let url = format!("{}/survei/{}", base_url.trim_end_matches('/'), u.code);
    Ok(poster::poster(&issuer, &u.name, &url))
}

/// The tenant's name, as documents print it.
pub(crate) async fn tenant_name(db: &Db, tenant: i64) -> ServiceResult<String> {
    let mut c = db.conn().await?;
    Ok(cakap_store::tenants::all(&mut c)
        .await?
        .into_iter()
        .find(|t| t.id == tenant)
        .map_or_else(|| crate::DEFAULT_TENANT.1.to_string(), |t| t.name))
}

/// Whether a unit in the reader's scope serves the public.
pub async fn is_public(db: &Db, actor: &Actor, code: &str) -> ServiceResult<bool> {
    Ok(readable_unit(db, actor, code).await?.serves_public)
}

/// The unit a change is about, read on the change's own connection: a write checks the unit
/// as it is now, not as a cache last saw it ([`readable_unit`] is for reads).
pub(crate) async fn unit_to_change(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    code: &str,
) -> ServiceResult<store::PublicUnit> {
    store::unit(c, actor.tenant_id, code.trim())
        .await?
        .filter(|u| actor.sees_unit_path(&u.path))
        .ok_or(ServiceError::NotFound)
}

/// A unit in the reader's scope (another unit or tenant answers "not found").
pub(crate) async fn readable_unit(
    db: &Db,
    actor: &Actor,
    code: &str,
) -> ServiceResult<store::PublicUnit> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    // From the tenant's cached unit tree (cleared by every change of a unit, `serves_public`
    // included): no connection per page that names a unit.
    let u = crate::units::cached(db, actor, code).await?;
    Ok(store::PublicUnit {
        id: u.id,
        code: u.code,
        name: u.name,
        path: u.path,
        serves_public: u.serves_public,
    })
}

pub fn parse_period(s: &str) -> ServiceResult<Period> {
    Period::parse(s).ok_or_else(|| ServiceError::invalid("period", "survey.period"))
}

fn bounds(p: Period) -> (String, String) {
    let (a, b) = p.bounds();
    (
        a.format("%Y-%m-%d").to_string(),
        b.format("%Y-%m-%d").to_string(),
    )
}

/// The IKM tables, per scope and period.
struct Tables;

impl Spec for Tables {
    type Key = (String, Period);
    type Value = Arc<Vec<IkmReport>>;
    const TOPICS: &'static [Topic] = &[Topic::Service, Topic::Units];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 256;
}
