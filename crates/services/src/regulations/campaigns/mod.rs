//! Read-and-acknowledge campaigns (docs/domain.md#regulations): BKPSDM targets a regulation's
//! current version at an audience with a due date (and optionally a short course that must be
//! passed); each targeted ASN reads and acknowledges it; compliance per unit; reminders on the
//! schedule of DOMAIN §11 from the jobs table; an amendment asks again.

use cakap_domain::regulation::{self as rule, RegStatus};
use cakap_domain::{PositionKind, Role};
use cakap_store::notifications::{self as inbox, NewNotification};
use cakap_store::regulations as store;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

mod compliance;

pub use compliance::{Campaign, UnitCount, get, get_in, of_regulation, people, recent};

/// The job kind of a campaign's reminder chain.
pub const REMINDER_JOB: &str = "campaign_reminder";

/// Who a campaign targets: every dimension given must match (any value within one).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AudienceInput {
    /// Everyone active (the other fields are then ignored).
    pub all: bool,
    /// Unit codes, each with its subtree.
    pub units: Vec<String>,
    /// Position kinds (`pengawas`, `fungsional`, …).
    pub position_kinds: Vec<String>,
    /// Competency codes: people with a result recorded in any of them.
    pub competencies: Vec<String>,
}

/// `POST /api/v1/regulations/{id}/campaigns`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CampaignInput {
    pub audience: AudienceInput,
    /// `YYYY-MM-DD`, today or later.
    pub due_on: String,
    /// A catalogue course code that must be passed before acknowledging.
    #[serde(default)]
    pub course: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
    pub targeted: i64,
}

fn today() -> NaiveDate {
    crate::wib::today()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| today())
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reminders go out at 08:00 WIB on their day.
pub fn reminder_at(d: NaiveDate) -> i64 {
    crate::wib::at(d, 8)
}

/// The link of a campaign's page, also what its notifications point to.
pub fn link(id: i64) -> String {
    format!("/kampanye/{id}")
}

/// Starts a campaign (`admin`): resolves the audience once into targets (one statement),
/// notifies them and schedules the first reminder.
pub async fn create(
    db: &Db,
    actor: &Actor,
    regulation: i64,
    input: &CampaignInput,
) -> ServiceResult<Created> {
    actor.require_admin()?;
    let due = validate::parse_date("due_on", &input.due_on)?;
    let today = today();
    if due < today {
        return Err(ServiceError::invalid("due_on", "campaign.due_past"));
    }
    let mut c = Change::begin(db, actor).await?;
    let reg = store::get(&mut c, actor.tenant_id, regulation)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if reg.status != RegStatus::Berlaku {
        return Err(ServiceError::invalid("regulation", "campaign.not_in_force"));
    }
    let course_id = match input
        .course
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(code) => Some(
            cakap_store::learning::course(&mut c, actor.tenant_id, code)
                .await?
                .filter(|co| co.active)
                .ok_or_else(|| ServiceError::invalid("course", "campaign.course_unknown"))?
                .id,
        ),
        None => None,
    };
    let audience = resolve(&mut c, actor, &input.audience).await?;
    let audience_json = serde_json::to_string(&input.audience)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let id = store::insert_campaign(
        &mut c,
        actor.tenant_id,
        &store::NewCampaign {
            regulation_id: regulation,
            version: reg.version,
            due_on: &ymd(due),
            course_id,
            audience: &audience_json,
            assigned_on: &ymd(today),
        },
        &actor.username,
    )
    .await?;
    let targeted = store::insert_targets(&mut c, actor.tenant_id, id, &audience).await? as i64;
    if targeted == 0 {
        // Dropping the change rolls the campaign back.
        return Err(ServiceError::invalid("audience", "campaign.audience_empty"));
    }
    let title = title(&reg);
    let email = crate::mail::enabled(db);
    inbox::insert_for_campaign(
        &mut c,
        actor.tenant_id,
        id,
        reg.version,
        "",
        &NewNotification {
            kind: "campaign",
            title: &title,
            body: &format!("due:{}", ymd(due)),
            link: &link(id),
        },
        email,
    )
    .await?;
    schedule_next(&mut c, actor.tenant_id, id, today, due, today).await?;
    c.record(
        "create",
        "campaign",
        &id.to_string(),
        None,
        Some(
            &serde_json::json!({"regulation": regulation, "version": reg.version,
            "due_on": ymd(due), "audience": input.audience, "course": input.course,
            "targeted": targeted}),
        ),
    )
    .await?;
    c.finish(&[Topic::Regulations]).await?;
    // Thousands of new targets at once: let the planner see them before the first reminder
    // (PostgreSQL otherwise plans the reminder's anti-join as if the campaign were empty).
    if targeted >= 1000 {
        db.analyze_tables(&["campaign_targets", "acknowledgements", "notifications"])
            .await?;
    }
    Ok(Created { id, targeted })
}

/// "Perbup No. 7 Tahun 2026 — Jam Kerja …", what notifications name.
pub fn title(r: &store::RegulationRow) -> String {
    let mut judul: String = r.judul.chars().take(160).collect();
    if judul.len() < r.judul.len() {
        judul.push('…');
    }
    format!(
        "{} — {judul}",
        super::label(r.jenis.short(), &r.nomor, r.tahun)
    )
}

/// The audience as the store filters it; unknown codes and kinds are refused by name.
async fn resolve(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    a: &AudienceInput,
) -> ServiceResult<store::Audience> {
    let unknown = |key: &'static str, v: &str| ServiceError::Invalid {
        field: "audience",
        key,
        args: vec![("value", v.chars().take(40).collect())],
    };
    if a.units.len() + a.position_kinds.len() + a.competencies.len() > 500 {
        return Err(ServiceError::invalid(
            "audience",
            "campaign.audience_too_long",
        ));
    }
    let mut out = store::Audience {
        all: a.all,
        ..Default::default()
    };
    for code in &a.units {
        let u = cakap_store::units::by_code(c, actor.tenant_id, code.trim())
            .await?
            .ok_or_else(|| unknown("campaign.unit_unknown", code))?;
        out.unit_paths.push(u.path);
    }
    for k in &a.position_kinds {
        let kind: PositionKind = k
            .parse()
            .map_err(|()| unknown("campaign.kind_unknown", k))?;
        out.position_kinds.push(kind.as_str().into());
    }
    for code in &a.competencies {
        let comp = cakap_store::competencies::by_code(c, actor.tenant_id, code.trim())
            .await?
            .ok_or_else(|| unknown("campaign.competency_unknown", code))?;
        out.competency_ids.push(comp.id);
    }
    if !a.all
        && out.unit_paths.is_empty()
        && out.position_kinds.is_empty()
        && out.competency_ids.is_empty()
    {
        return Err(ServiceError::invalid("audience", "campaign.audience_none"));
    }
    Ok(out)
}

/// Schedules the next reminder of a campaign after `after` (once, whatever server asks).
pub async fn schedule_next(
    c: &mut cakap_store::Conn,
    tenant: i64,
    campaign: i64,
    assigned: NaiveDate,
    due: NaiveDate,
    after: NaiveDate,
) -> ServiceResult<()> {
    let next = rule::next_reminder(assigned, due, after);
    inbox::schedule(c, tenant, REMINDER_JOB, campaign, reminder_at(next)).await?;
    Ok(())
}

/// A regulation moved to `version` (an amendment, a new file): each of its campaigns asks
/// again — the new version to acknowledge, a due date at least a week away, a notice to
/// everyone targeted, and the reminder chain restarted (a chain's next date depends only on
/// the campaign, so a reminder running meanwhile schedules the same row). A regulation no
/// longer in force asks nothing.
pub(crate) async fn reissue(
    c: &mut Change<'_>,
    actor: &Actor,
    regulation: i64,
    version: i64,
) -> ServiceResult<()> {
    let email = crate::mail::enabled(c.db());
    let today = today();
    let reg = store::get(c, actor.tenant_id, regulation)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if reg.status != RegStatus::Berlaku {
        return Ok(());
    }
    for k in store::campaigns_of(c, actor.tenant_id, regulation).await? {
        let due = rule::due_after_amendment(date(&k.due_on), today);
        store::reissue(c, actor.tenant_id, k.id, version, &ymd(due)).await?;
        inbox::insert_for_campaign(
            c,
            actor.tenant_id,
            k.id,
            version,
            "",
            &NewNotification {
                kind: "amended",
                title: &title(&reg),
                body: &format!("due:{}", ymd(due)),
                link: &link(k.id),
            },
            email,
        )
        .await?;
        inbox::cancel_pending(c, actor.tenant_id, REMINDER_JOB, k.id).await?;
        schedule_next(c, actor.tenant_id, k.id, date(&k.assigned_on), due, today).await?;
        c.record(
            "reissue",
            "campaign",
            &k.id.to_string(),
            Some(&serde_json::json!({"version": k.version, "due_on": k.due_on})),
            Some(&serde_json::json!({"version": version, "due_on": ymd(due)})),
        )
        .await?;
    }
    Ok(())
}

/// A campaign as the targeted person sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mine {
    pub campaign: i64,
    pub regulation: i64,
    pub regulation_label: String,
    pub judul: String,
    pub abstrak: Option<String>,
    pub version: i64,
    pub due_on: String,
    pub overdue: bool,
    /// Unix milliseconds of the acknowledgement of this version.
    pub acknowledged_at: Option<i64>,
    /// The course to pass first, when one is set: (code, title, passed).
    pub course: Option<(String, String, bool)>,
    pub has_file: bool,
}

/// The caller's own campaigns, owing first.
pub async fn mine(db: &Db, actor: &Actor) -> ServiceResult<Vec<Mine>> {
    let Some(employee) = actor.employee_id else {
        return Ok(Vec::new());
    };
    let mut c = db.conn().await?;
    let rows = store::mine(&mut c, actor.tenant_id, employee, 50).await?;
    let today = today();
    Ok(rows
        .into_iter()
        .map(|r| Mine {
            campaign: r.campaign_id,
            regulation: r.regulation_id,
            regulation_label: super::label(r.jenis.short(), &r.nomor, r.tahun),
            judul: r.judul,
            abstrak: None,
            version: r.version,
            overdue: rule::overdue(date(&r.due_on), today, r.acknowledged_at.is_some()),
            due_on: r.due_on,
            acknowledged_at: r.acknowledged_at,
            course: None,
            has_file: false,
        })
        .collect())
}

/// One campaign for the targeted caller (404 when they are not targeted).
pub async fn for_me(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Mine> {
    let employee = actor.employee_id.ok_or(ServiceError::NotFound)?;
    let mut c = db.conn().await?;
    let k = store::campaign_head(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !store::is_target(&mut c, actor.tenant_id, id, employee).await? {
        return Err(ServiceError::NotFound);
    }
    let ack = store::acknowledgement(&mut c, actor.tenant_id, id, employee, k.version).await?;
    let course = match (k.course_id, k.course_code.clone(), k.course_title.clone()) {
        (Some(cid), Some(code), Some(t)) => Some((
            code,
            t,
            store::passed_course(&mut c, actor.tenant_id, employee, cid).await?,
        )),
        _ => None,
    };
    Ok(Mine {
        campaign: k.id,
        regulation: k.regulation_id,
        regulation_label: super::label(k.jenis.short(), &k.nomor, k.tahun),
        judul: k.judul,
        abstrak: k.abstrak,
        version: k.version,
        overdue: rule::overdue(date(&k.due_on), today(), ack.is_some()),
        due_on: k.due_on,
        acknowledged_at: ack.map(|a| a.at),
        course,
        has_file: k.has_file,
    })
}

/// `POST /api/v1/campaigns/{id}/acknowledge`: what was recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Acknowledged {
    pub campaign: i64,
    pub version: i64,
    /// Unix milliseconds.
    pub acknowledged_at: i64,
}

/// The targeted caller acknowledges the campaign's current version. Again → the same answer,
/// nothing new written; not targeted → 404; a course to pass first → 422 until passed.
pub async fn acknowledge(
    db: &Db,
    actor: &Actor,
    id: i64,
    address: &str,
) -> ServiceResult<Acknowledged> {
    let employee = actor.employee_id.ok_or(ServiceError::NotFound)?;
    let mut c = Change::begin(db, actor).await?;
    let k = store::campaign(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !store::is_target(&mut c, actor.tenant_id, id, employee).await? {
        return Err(ServiceError::NotFound);
    }
    if let Some(a) =
        store::acknowledgement(&mut c, actor.tenant_id, id, employee, k.version).await?
    {
        return Ok(Acknowledged {
            campaign: id,
            version: a.version,
            acknowledged_at: a.at,
        });
    }
    if let Some(course) = k.course_id
        && !store::passed_course(&mut c, actor.tenant_id, employee, course).await?
    {
        return Err(ServiceError::invalid("course", "campaign.course_first"));
    }
    let address: String = address.chars().take(64).collect();
    let inserted = store::insert_ack(
        &mut c,
        actor.tenant_id,
        id,
        employee,
        k.version,
        actor.user_id,
        &address,
    )
    .await?;
    let a = store::acknowledgement(&mut c, actor.tenant_id, id, employee, k.version)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // The notices about it are done with.
    inbox::read_link(&mut c, actor.tenant_id, actor.user_id, &link(id)).await?;
    let out = Acknowledged {
        campaign: id,
        version: a.version,
        acknowledged_at: a.at,
    };
    if !inserted {
        // Another request of the same person got there first: the same answer, nothing new.
        return Ok(out);
    }
    c.record(
        "acknowledge",
        "campaign",
        &id.to_string(),
        None,
        Some(&serde_json::json!({"version": a.version, "address": address})),
    )
    .await?;
    c.finish(&[Topic::Regulations]).await?;
    Ok(out)
}

/// How often a leader may remind the same people of the same campaign.
pub const NUDGE_EVERY_MS: i64 = 24 * 3600 * 1000;

/// A leader reminds the people of their units who still owe (`admin`, `pimpinan`); yields
/// how many were reminded. Once a day per campaign and scope (429 with the wait otherwise), so
/// the button cannot flood anyone's inbox.
pub async fn remind(db: &Db, actor: &Actor, id: i64) -> ServiceResult<u64> {
    actor.require_any(&[Role::Admin, Role::Pimpinan])?;
    let scope = actor.unit_scope();
    let email = crate::mail::enabled(db);
    let mut c = Change::begin(db, actor).await?;
    let k = store::campaign(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if store::compliance(&mut c, actor.tenant_id, id, k.version, &scope)
        .await?
        .is_empty()
    {
        return Err(ServiceError::NotFound);
    }
    let now = cakap_store::now_ms();
    if let Some(last) = store::last_nudge(&mut c, actor.tenant_id, id, &scope).await?
        && now - last < NUDGE_EVERY_MS
    {
        return Err(ServiceError::Throttled {
            retry_after_secs: ((last + NUDGE_EVERY_MS - now) / 1000).max(1) as u64,
        });
    }
    store::set_nudge(&mut c, actor.tenant_id, id, &scope, now).await?;
    let reg = store::get(&mut c, actor.tenant_id, k.regulation_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let n = inbox::insert_for_campaign(
        &mut c,
        actor.tenant_id,
        id,
        k.version,
        &scope,
        &NewNotification {
            kind: "reminder",
            title: &title(&reg),
            body: &format!("due:{}", k.due_on),
            link: &link(id),
        },
        email,
    )
    .await?;
    c.record(
        "remind",
        "campaign",
        &id.to_string(),
        None,
        Some(&serde_json::json!({"scope": scope, "reminded": n})),
    )
    .await?;
    c.finish(&[]).await?;
    Ok(n)
}

/// Runs one reminder of a campaign's chain, due on `on`: reminds everyone still owing and
/// schedules the next, while the regulation is in force and someone owes.
pub(crate) async fn run_reminder(
    c: &mut cakap_store::Conn,
    tenant: i64,
    campaign: i64,
    run_at: i64,
    email: bool,
) -> ServiceResult<u64> {
    let Some(k) = store::campaign(c, tenant, campaign).await? else {
        return Ok(0);
    };
    let Some(reg) = store::get(c, tenant, k.regulation_id).await? else {
        return Ok(0);
    };
    // The chain ends when the regulation is no longer in force or nobody a reminder could
    // reach still owes it (people without an account are counted on the page, not reminded).
    if reg.status != RegStatus::Berlaku
        || store::owing_with_accounts(c, tenant, campaign, k.version).await? == 0
    {
        return Ok(0);
    }
    let on = crate::wib::of(run_at).date_naive();
    let due = date(&k.due_on);
    let kind = if on > due { "overdue" } else { "reminder" };
    let n = inbox::insert_for_campaign(
        c,
        tenant,
        campaign,
        k.version,
        "",
        &NewNotification {
            kind,
            title: &title(&reg),
            body: &format!("due:{}", k.due_on),
            link: &link(campaign),
        },
        email,
    )
    .await?;
    schedule_next(c, tenant, campaign, date(&k.assigned_on), due, on).await?;
    Ok(n)
}
