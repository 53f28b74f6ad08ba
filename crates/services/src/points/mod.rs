//! Points, badges and leaderboards (DOMAIN §14; docs/domain.md#points).
//!
//! A year's points of everyone in the regency are computed once per change (cache `Boards`,
//! from one query and the year's acknowledgements); the same fill issues the badges that
//! became due, signed with the tenant's key (`badges`), so a badge appears at the latest when
//! anyone next opens points after the change that earned it. A badge once issued is never
//! withdrawn by a later rule change. Leaderboards are per unit and leave out whoever opted out.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use cakap_domain::points::{Badge, Counts, Rules};
use cakap_store::recognition as store;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

mod check;
mod leaderboard;
mod person;

pub use check::{Check, check, jwt};
pub use leaderboard::{Leaderboard, Standing, TOP, leaderboard, set_optout};
pub use person::{BadgeSummary, Line, Overview, Points, overview, points};

use crate::cache::{self, Topic};
use crate::change::Change;
use crate::learning::{keys, random_bytes};
use crate::{Actor, Db, ServiceError, ServiceResult, validate, wib};

const RULE: &str = "points";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesOut {
    #[schema(value_type = Object)]
    pub rules: Rules,
    /// Null while the regency keeps DOMAIN §14's values.
    pub updated_by: Option<String>,
    pub updated_at: Option<i64>,
}

/// A regency rule kept as JSON in `incentive_rules` under `kind` (the points rule here, the
/// nomination rule in `recognition`): the rule (the default while unset), who set it, when.
pub(crate) async fn load_setting<T: serde::de::DeserializeOwned + Default>(
    c: &mut cakap_store::Conn,
    tenant: i64,
    kind: &str,
) -> ServiceResult<(T, Option<String>, Option<i64>)> {
    Ok(match store::rule(c, tenant, kind).await? {
        Some((body, by, at)) => (
            serde_json::from_str(&body)
                .map_err(|e| ServiceError::Internal(format!("{kind} rule: {e}")))?,
            Some(by),
            Some(at),
        ),
        None => (T::default(), None, None),
    })
}

/// Saves a regency rule (the caller checked role and values) unless it is the one in force;
/// audited as `entity` with before and after.
pub(crate) async fn save_setting<T>(
    db: &Db,
    actor: &Actor,
    kind: &str,
    entity: &str,
    rule: &T,
    topic: Topic,
) -> ServiceResult<()>
where
    T: Serialize + serde::de::DeserializeOwned + Default + PartialEq,
{
    let mut c = Change::begin(db, actor).await?;
    let (before, by, _) = load_setting::<T>(&mut c, actor.tenant_id, kind).await?;
    if before != *rule || by.is_none() {
        let body = serde_json::to_string(rule)
            .map_err(|e| ServiceError::Internal(format!("{kind} rule: {e}")))?;
        store::set_rule(&mut c, actor.tenant_id, kind, &body, &actor.username).await?;
        c.record("update", entity, kind, Some(&before), Some(rule))
            .await?;
        c.finish(&[topic]).await?;
    }
    Ok(())
}

async fn load_rules(c: &mut cakap_store::Conn, tenant: i64) -> ServiceResult<RulesOut> {
    let (rules, updated_by, updated_at) = load_setting(c, tenant, RULE).await?;
    Ok(RulesOut {
        rules,
        updated_by,
        updated_at,
    })
}

/// How points are earned (anyone logged in: everyone may know the rule).
pub async fn rules(db: &Db, actor: &Actor) -> ServiceResult<RulesOut> {
    let mut c = db.conn().await?;
    load_rules(&mut c, actor.tenant_id).await
}

/// Sets the rule (`admin`); audited with before and after.
pub async fn set_rules(db: &Db, actor: &Actor, rules: &Rules) -> ServiceResult<RulesOut> {
    actor.require_admin()?;
    rules
        .check()
        .map_err(|e| ServiceError::invalid(e.field, e.key))?;
    save_setting(db, actor, RULE, "points_rules", rules, Topic::Incentives).await?;
    self::rules(db, actor).await
}

/// One person's year on the board.
#[derive(Debug, Clone)]
pub struct Entry {
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub counts: Counts,
    pub points: i64,
}

/// Everyone's points of a year.
#[derive(Debug)]
pub struct Board {
    pub year: i64,
    pub rules: Rules,
    pub entries: Vec<Entry>,
    by_employee: HashMap<i64, usize>,
}

impl Board {
    pub fn of(&self, employee: i64) -> Option<&Entry> {
        self.by_employee.get(&employee).map(|i| &self.entries[*i])
    }
}

struct Boards;

impl cache::Spec for Boards {
    type Key = i64;
    type Value = Arc<Board>;
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Learning,
        Topic::Regulations,
        Topic::Teams,
        Topic::Incentives,
    ];
    const TTL: Duration = Duration::from_secs(300);
    const MAX: usize = 64;
}

/// Points are kept for the last ten years and next year (empty): a year further off is refused
/// rather than computed (each year is a whole-regency aggregate).
fn points_year(year: i64) -> ServiceResult<i64> {
    let this = i64::from(chrono::Datelike::year(&wib::today()));
    let year = validate::year(year)?;
    if (this - 10..=this + 1).contains(&year) {
        Ok(year)
    } else {
        Err(ServiceError::invalid("year", "points.year_range"))
    }
}

/// The first and last day of `year`, and its bounds in milliseconds (WIB).
fn bounds(year: i64) -> ServiceResult<(String, String, i64, i64)> {
    let y =
        i32::try_from(year).map_err(|_| ServiceError::invalid("year", "learning.year_range"))?;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let (Some(first), Some(next)) = (day(y, 1, 1), day(y + 1, 1, 1)) else {
        return Err(ServiceError::invalid("year", "learning.year_range"));
    };
    Ok((
        format!("{y}-01-01"),
        format!("{y}-12-31"),
        wib::at(first, 0),
        wib::at(next, 0),
    ))
}

/// Whether an acknowledgement at `at` (ms) came by the end of its due date (WIB).
fn on_time(at: i64, due_on: &str) -> bool {
    wib::of(at)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
        .as_str()
        <= due_on
}

/// The year's board of the actor's tenant, issuing the badges that became due.
pub async fn board(db: &Db, tenant: i64, year: i64) -> ServiceResult<Arc<Board>> {
    let year = points_year(year)?;
    cache::of::<Boards>(db)
        .get_or_fill(tenant, &year, || async move {
            let (from, to, from_ms, to_ms) = bounds(year)?;
            let mut c = db.conn().await?;
            let rules = load_rules(&mut c, tenant).await?.rules;
            let earners = store::earners(&mut c, tenant, "", &from, &to).await?;
            let mut acks: HashMap<i64, i64> = HashMap::new();
            for a in store::acknowledgements(&mut c, tenant, from_ms, to_ms).await? {
                if on_time(a.at, &a.due_on) {
                    *acks.entry(a.employee_id).or_default() += 1;
                }
            }
            drop(c);
            let entries: Vec<Entry> = earners
                .into_iter()
                .map(|e| {
                    let counts = Counts {
                        jp: e.jp,
                        certificates: e.certificates,
                        acknowledgements: acks.get(&e.employee_id).copied().unwrap_or(0),
                        drills: e.drills,
                    };
                    Entry {
                        employee_id: e.employee_id,
                        nip: e.nip,
                        name: e.name,
                        unit_code: e.unit_code,
                        unit_name: e.unit_name,
                        points: rules.points(&counts),
                        counts,
                    }
                })
                .collect();
            let by_employee = entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.employee_id, i))
                .collect();
            let board = Board {
                year,
                rules,
                entries,
                by_employee,
            };
            // Badges of this year and last only: an older year's would be issued under today's
            // rule. Best effort: a failed issue (a busy database) leaves the points showing and
            // is tried again at the next fill.
            if year >= i64::from(chrono::Datelike::year(&wib::today())) - 1
                && let Err(e) = award(db, tenant, &board).await
            {
                tracing::warn!(tenant, year, "badges not issued: {e}");
            }
            Ok(Arc::new(board))
        })
        .await
}

/// Issues every badge of `board` that is due and not yet issued, in one transaction.
async fn award(db: &Db, tenant: i64, board: &Board) -> ServiceResult<usize> {
    let mut c = db.conn().await?;
    let issued: HashSet<(i64, String)> = store::issued(&mut c, tenant, board.year)
        .await?
        .into_iter()
        .collect();
    let due: Vec<(&Entry, Badge)> = board
        .entries
        .iter()
        .flat_map(|e| board.rules.reached(e.points).map(move |b| (e, b)))
        .filter(|(e, b)| !issued.contains(&(e.employee_id, b.as_str().to_string())))
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let id = cakap_store::learning::signing_identity(&mut c, tenant)
        .await?
        .ok_or(ServiceError::NotFound)?;
    drop(c);
    let key = match keys::signer(&id.code, id.kid.as_deref(), id.public_key.as_deref()) {
        Ok(k) => k,
        Err(e) => {
            // The points still show; the badges wait for the keys directory.
            tracing::warn!(tenant, "badges not issued: {e}");
            return Ok(0);
        }
    };
    let system = Actor::system(tenant);
    let mut c = Change::begin(db, &system).await?;
    let mut n = 0;
    for (e, badge) in due {
        let bytes: [u8; 16] = random_bytes()?;
        let badge_id = crate::auth::uuid_v4(bytes);
        let credential = credential(
            &id.name,
            &id.code,
            &board.rules,
            e,
            badge,
            board.year,
            &badge_id,
            &key.1,
        )?;
        let text = credential.to_string();
        let stored = store::insert_badge(
            &mut c,
            tenant,
            &store::NewBadge {
                id: &badge_id,
                employee_id: e.employee_id,
                year: board.year,
                level: badge.as_str(),
                points: e.points,
                credential: &text,
                kid: &key.0,
            },
        )
        .await?;
        if stored {
            c.record::<Value>(
                "issue",
                "badge",
                &badge_id,
                None,
                Some(
                    &json!({"nip": e.nip, "year": board.year, "level": badge.as_str(),
                    "points": e.points}),
                ),
            )
            .await?;
            n += 1;
        }
    }
    c.finish(&[]).await?;
    Ok(n)
}

/// Whether `s` has the shape of a badge id (so the public check looks nothing else up).
pub fn valid_id(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit() && !c.is_ascii_uppercase()
            }
        })
}

/// The Open Badges 3.0 AchievementCredential of a badge, signed.
#[allow(clippy::too_many_arguments)]
fn credential(
    issuer: &str,
    tenant_code: &str,
    rules: &Rules,
    e: &Entry,
    badge: Badge,
    year: i64,
    id: &str,
    key: &ed25519_dalek::SigningKey,
) -> ServiceResult<Value> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let subject = crate::auth::uuid_v4(random_bytes()?);
    let name = format!("{} {year}", badge.name_id());
    let narrative = format!(
        "Meraih sedikitnya {} poin pengembangan kompetensi pada tahun {year}: {} poin per JP, {} \
         per sertifikat, {} per peraturan yang dikonfirmasi tepat waktu, {} per latihan \
         kedaruratan. Diraih dengan {} poin.",
        rules.threshold(badge),
        rules.per_jp,
        rules.per_certificate,
        rules.per_acknowledgement,
        rules.per_drill,
        e.points
    );
    let unsigned = json!({
        "@context": crate::badges::CONTEXT,
        "id": format!("urn:uuid:{id}"),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "issuer": {
            "id": crate::badges::did_key(&key.verifying_key()),
            "type": ["Profile"],
            "name": format!("BKPSDM {issuer}"),
        },
        "validFrom": now,
        "name": name,
        "credentialSubject": {
            "id": format!("urn:uuid:{subject}"),
            "type": ["AchievementSubject"],
            // The name, and the NIP masked as the certificate check shows it: a salted hash of
            // a NIP (birth date, TMT, gender, a serial) is found by brute force in seconds.
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": false,
                 "identityHash": e.name},
                {"type": "IdentityObject", "identityType": "identifier", "hashed": false,
                 "identityHash": cakap_domain::learning::mask_nip(&e.nip)},
            ],
            "achievement": {
                "id": format!("urn:cakap:{tenant_code}:badge:{}", badge.as_str()),
                "type": ["Achievement"],
                "achievementType": "Badge",
                "name": badge.name_id(),
                "description": format!("Lencana pengembangan kompetensi ASN {issuer}."),
                "criteria": {"narrative": narrative},
            },
        },
    });
    Ok(crate::badges::sign(unsigned, key, &now))
}

/// A person's badges as the signed credentials (whoever may see the person). Opening them
/// first brings the current year's board up to date, so a badge just earned is in the list.
pub async fn credentials(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Vec<Value>> {
    let mut c = db.conn().await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    drop(c);
    board(
        db,
        actor.tenant_id,
        i64::from(chrono::Datelike::year(&wib::today())),
    )
    .await?;
    let mut c = db.conn().await?;
    store::badges_of(&mut c, actor.tenant_id, e.id)
        .await?
        .iter()
        .map(|b| {
            serde_json::from_str(&b.credential)
                .map_err(|e| ServiceError::Internal(format!("badge {}: {e}", b.id)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_ids_are_uuid_v4_and_nothing_else_is_looked_up() {
        let id = crate::auth::uuid_v4([0xab; 16]);
        assert_eq!(id, "abababab-abab-4bab-abab-abababababab");
        assert!(valid_id(&id));
        for bad in ["", "' OR 1=1", &id.to_uppercase(), &id[1..], "<script>"] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn an_acknowledgement_counts_until_the_end_of_its_due_day_in_wib() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).expect("day");
        assert!(on_time(wib::at(day, 23), "2026-03-10"));
        assert!(!on_time(wib::at(day, 23), "2026-03-09"));
        assert!(on_time(wib::at(day, 0), "2026-03-10"));
    }
}
