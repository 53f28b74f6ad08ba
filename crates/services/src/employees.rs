//! Employees (ASN): NIP-keyed master data. Gender and birth date come from the NIP.

use std::time::Duration;

use cakap_domain::{Golongan, Nip, NipKind};
use cakap_store::employees::{self as store, EmployeeRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::actor::EmployeeScope;
use crate::cache::{self, Lookup, Topic};
use crate::change::Change;
use crate::validate::{self, double_option};
use crate::{Actor, Db, Page, ServiceError, ServiceResult, paging};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Employee {
    pub nip: String,
    pub name: String,
    /// `PNS` or `PPPK`.
    pub status: String,
    /// `L` or `P`, from the NIP.
    pub gender: String,
    /// `YYYY-MM-DD`, from the NIP.
    pub birth_date: String,
    /// Canonical golongan: `III/a` (PNS) or `IX` (PPPK).
    pub golongan: Option<String>,
    /// Position id.
    pub position: Option<i64>,
    pub position_name: Option<String>,
    /// Unit code.
    pub unit: String,
    pub unit_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub version: i64,
}

impl From<EmployeeRow> for Employee {
    fn from(r: EmployeeRow) -> Self {
        Employee {
            nip: r.nip,
            name: r.name,
            status: r.status,
            gender: r.gender,
            birth_date: r.birth_date,
            golongan: r.golongan,
            position: r.position_id,
            position_name: r.position_name,
            unit: r.unit_code,
            unit_name: r.unit_name,
            email: r.email,
            phone: r.phone,
            active: r.active,
            version: r.version,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewEmployee {
    pub nip: String,
    pub name: String,
    pub status: String,
    pub golongan: Option<String>,
    pub position: Option<i64>,
    pub unit: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: Option<bool>,
    /// Read-only (from the NIP): sending it is an error.
    #[schema(value_type = Option<String>)]
    pub gender: Option<serde_json::Value>,
    /// Read-only (from the NIP): sending it is an error.
    #[schema(value_type = Option<String>)]
    pub birth_date: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct EmployeePatch {
    pub name: Option<String>,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub golongan: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub position: Option<Option<i64>>,
    pub unit: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    pub active: Option<bool>,
    pub version: Option<i64>,
    #[schema(value_type = Option<String>)]
    pub gender: Option<serde_json::Value>,
    #[schema(value_type = Option<String>)]
    pub birth_date: Option<serde_json::Value>,
    #[schema(value_type = Option<String>)]
    pub nip: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct EmployeeQuery {
    /// Unit code: that unit and its sub-units.
    pub unit: Option<String>,
    /// Name fragment or start of a NIP.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub async fn list(db: &Db, actor: &Actor, q: &EmployeeQuery) -> ServiceResult<Page<Employee>> {
    let (page, per_page) = paging(q.page, q.per_page);
    let mut filter = match actor.employee_scope() {
        EmployeeScope::Units(scope) => store::Filter {
            scope,
            ..Default::default()
        },
        EmployeeScope::Only(id) => store::Filter {
            only_id: id,
            ..Default::default()
        },
    };
    if let Some(code) = q.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let tree = crate::units::tree(db, actor.tenant_id).await?;
        let unit = tree
            .iter()
            .find(|u| u.code == code && actor.sees_unit_path(&u.path))
            .filter(|u| u.path.starts_with(&filter.scope) || filter.scope.starts_with(&u.path))
            .ok_or(ServiceError::NotFound)?;
        // The narrower of the actor's scope and the requested unit.
        if unit.path.len() > filter.scope.len() {
            filter.scope = unit.path.clone();
        }
    }
    filter.q = q.q.clone().unwrap_or_default().chars().take(100).collect();
    let key = (filter.scope.clone(), filter.only_id);
    let totals = cache::of::<Totals>(db);
    let cached = if filter.q.trim().is_empty() {
        totals.get(actor.tenant_id, &key)
    } else {
        Lookup::Miss(u64::MAX)
    };
    let known_total = match cached {
        Lookup::Hit(n) => Some(n),
        Lookup::Stale(..) | Lookup::Miss(_) => None,
    };
    let mut c = db.conn().await?;
    let (rows, total) = store::page(
        &mut c,
        actor.tenant_id,
        &filter,
        per_page,
        (page - 1) * per_page,
        known_total,
    )
    .await?;
    if let Lookup::Stale(_, generation) | Lookup::Miss(generation) = cached
        && generation != u64::MAX
    {
        totals.put(actor.tenant_id, key, generation, total);
    }
    Ok(Page {
        items: rows.into_iter().map(Employee::from).collect(),
        total,
        page,
        per_page,
    })
}

/// Unfiltered list totals, kept briefly: counting thousands of rows on every page view was
/// the largest single cost of the list (docs/architecture.md, "fast pages").
struct Totals;

impl cache::Spec for Totals {
    type Key = (String, i64);
    type Value = i64;
    const TOPICS: &'static [Topic] = &[Topic::People, Topic::Units];
    const TTL: Duration = Duration::from_secs(30);
    const MAX: usize = 10_000;
}

/// An employee the actor may see; anything else is "not found", never "forbidden", so ids
/// of other units and tenants reveal nothing.
pub async fn get(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Employee> {
    let mut c = db.conn().await?;
    crate::actor::visible_row(&mut c, actor, nip)
        .await
        .map(Employee::from)
}

/// Everything an employee's profile page shows, read on one connection with the visibility
/// check done once (it was seven services, each taking a connection and looking the NIP up
/// again). Each part is what its own service answers: [`crate::gaps::employee`],
/// [`crate::assessments::of_employee`], [`crate::performance::weaknesses`],
/// the potential scores, [`crate::readiness::drills::of_employee`],
/// [`crate::readiness::availability`].
pub struct Profile {
    pub employee: Employee,
    pub gaps: crate::gaps::EmployeeGaps,
    /// Assessment results, newest first.
    pub history: Vec<crate::assessments::Assessment>,
    /// Weaknesses named in the latest performance evaluation.
    pub weaknesses: Vec<crate::performance::Finding>,
    /// Potential scores, for those who read the talent map; empty for anyone else.
    pub potentials: Vec<crate::talent::Potential>,
    pub drills: Vec<crate::readiness::drills::Drill>,
    pub availability: crate::readiness::Availability,
    /// (code, name) of the active competencies, when `dictionary` was asked for (the form to
    /// record a result); empty otherwise.
    pub dictionary: Vec<(String, String)>,
}

/// An employee's [`Profile`], or "not found" for one the actor may not see.
pub async fn profile(
    db: &Db,
    actor: &Actor,
    nip: &str,
    dictionary: bool,
) -> ServiceResult<Profile> {
    let tenant = actor.tenant_id;
    let mut c = db.conn().await?;
    let row = crate::actor::visible_row(&mut c, actor, nip).await?;
    let history = cakap_store::assessments::of_employee(&mut c, tenant, row.id).await?;
    let gaps = crate::gaps::of_row(&mut c, tenant, &row, &history).await?;
    let weaknesses = crate::performance::weaknesses_of(&mut c, tenant, row.id).await?;
    let potentials = if actor.require_any(crate::talent::POTENTIAL_READERS).is_ok() {
        crate::talent::potentials_of(&mut c, tenant, &row).await?
    } else {
        Vec::new()
    };
    let drills = crate::readiness::drills::drills_of(&mut c, tenant, row.id).await?;
    let dictionary = if dictionary {
        cakap_store::competencies::active_names(&mut c, tenant).await?
    } else {
        Vec::new()
    };
    let history = history
        .into_iter()
        .map(|r| crate::assessments::Assessment::of(r, &row.nip))
        .collect();
    let availability = crate::readiness::availability_of(&mut c, tenant, &row).await?;
    Ok(Profile {
        employee: Employee::from(row),
        gaps,
        history,
        weaknesses,
        potentials,
        drills,
        availability,
        dictionary,
    })
}

/// Employee fields after every check, ready for the store.
#[derive(Debug, Clone)]
pub struct Checked {
    pub nip: Nip,
    pub name: String,
    pub status: NipKind,
    pub golongan: Option<Golongan>,
    pub position_id: Option<i64>,
    pub unit_id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
}

/// The text forms of a [`Checked`] employee that the store row borrows.
struct Owned {
    birth: String,
    status: &'static str,
    golongan: Option<String>,
}

impl Checked {
    fn owned(&self) -> Owned {
        Owned {
            birth: self.nip.birth_date().format("%Y-%m-%d").to_string(),
            status: self.status.as_str(),
            golongan: self.golongan.map(|g| g.to_string()),
        }
    }

    fn record<'a>(&'a self, o: &'a Owned) -> store::EmployeeData<'a> {
        store::EmployeeData {
            nip: self.nip.as_str(),
            name: &self.name,
            status: o.status,
            gender: self.nip.gender().as_str(),
            birth_date: &o.birth,
            golongan: o.golongan.as_deref(),
            position_id: self.position_id,
            unit_id: self.unit_id,
            email: self.email.as_deref(),
            phone: self.phone.as_deref(),
            active: self.active,
        }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn parse_status(s: &str) -> ServiceResult<NipKind> {
    NipKind::parse(s).ok_or_else(|| ServiceError::invalid("status", "employee.status"))
}

/// Golongan must match the status: PNS I/a–IV/e, PPPK I–XVII.
pub fn parse_golongan(s: Option<&str>, status: NipKind) -> ServiceResult<Option<Golongan>> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let g: Golongan = s
        .parse()
        .map_err(|e| ServiceError::domain("golongan", &e))?;
    if g.is_pppk() != (status == NipKind::Pppk) {
        return Err(ServiceError::Invalid {
            field: "golongan",
            key: "employee.golongan_status",
            args: vec![("value", g.to_string()), ("status", status.as_str().into())],
        });
    }
    Ok(Some(g))
}

/// The unit by code and, when given, a position that belongs to it.
async fn placement(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    unit_code: &str,
    position: Option<i64>,
) -> ServiceResult<(i64, Option<i64>)> {
    let unit = cakap_store::units::by_code(c, actor.tenant_id, unit_code.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("unit", "error.unknown_unit"))?;
    if let Some(pid) = position {
        let p = cakap_store::positions::by_id(c, actor.tenant_id, pid)
            .await?
            .ok_or_else(|| ServiceError::invalid("position", "error.unknown_position"))?;
        if p.unit_id != unit.id {
            return Err(ServiceError::invalid(
                "position",
                "employee.position_other_unit",
            ));
        }
    }
    Ok((unit.id, position))
}

fn refuse_read_only(fields: [(&'static str, bool); 3]) -> ServiceResult<()> {
    match fields.into_iter().find(|(_, sent)| *sent) {
        Some((field, _)) => Err(ServiceError::invalid(field, "employee.read_only")),
        None => Ok(()),
    }
}

pub async fn create(db: &Db, actor: &Actor, input: &NewEmployee) -> ServiceResult<Employee> {
    actor.require_admin()?;
    refuse_read_only([
        ("gender", input.gender.is_some()),
        ("birth_date", input.birth_date.is_some()),
        ("nip", false),
    ])?;
    let nip = Nip::parse(&input.nip, today()).map_err(|e| ServiceError::domain("nip", &e))?;
    let status = parse_status(&input.status)?;
    if nip.kind() != status {
        return Err(ServiceError::Invalid {
            field: "status",
            key: "employee.nip_status",
            args: vec![("kind", nip.kind().as_str().into())],
        });
    }
    let name = validate::text("name", &input.name, 200)?;
    let golongan = parse_golongan(input.golongan.as_deref(), status)?;
    let email = validate::email(input.email.as_deref())?;
    let phone = validate::phone(input.phone.as_deref())?;
    let mut c = Change::begin(db, actor).await?;
    if store::by_nip(&mut c, actor.tenant_id, nip.as_str())
        .await?
        .is_some()
    {
        return Err(ServiceError::Duplicate { field: "nip" });
    }
    let (unit_id, position_id) = placement(&mut c, actor, &input.unit, input.position).await?;
    let checked = Checked {
        nip,
        name,
        status,
        golongan,
        position_id,
        unit_id,
        email,
        phone,
        active: input.active.unwrap_or(true),
    };
    insert_checked(&mut c, actor.tenant_id, &checked).await?;
    let created = Employee::from(
        store::by_nip(&mut c, actor.tenant_id, checked.nip.as_str())
            .await?
            .ok_or(ServiceError::NotFound)?,
    );
    c.record("create", "employee", &created.nip, None, Some(&created))
        .await?;
    c.finish(&[Topic::People]).await?;
    Ok(created)
}

/// Inserts checked employee data (shared by the form, the API, imports and the demo).
pub async fn insert_checked(
    c: &mut cakap_store::Conn,
    tenant: i64,
    e: &Checked,
) -> ServiceResult<i64> {
    let owned = e.owned();
    Ok(store::insert(c, tenant, &e.record(&owned)).await?)
}

/// Stores checked data over an employee at `version`; false when the version is stale.
pub async fn update_checked(
    c: &mut cakap_store::Conn,
    tenant: i64,
    id: i64,
    version: i64,
    e: &Checked,
) -> ServiceResult<bool> {
    let owned = e.owned();
    Ok(store::update(c, tenant, id, version, &e.record(&owned)).await?)
}

pub async fn update(
    db: &Db,
    actor: &Actor,
    nip: &str,
    patch: &EmployeePatch,
) -> ServiceResult<Employee> {
    actor.require_admin()?;
    refuse_read_only([
        ("gender", patch.gender.is_some()),
        ("birth_date", patch.birth_date.is_some()),
        ("nip", patch.nip.is_some()),
    ])?;
    let mut c = Change::begin(db, actor).await?;
    let current = crate::actor::visible_row(&mut c, actor, nip).await?;
    let before = Employee::from(current.clone());
    let parsed_nip = Nip::parse(&current.nip, today())
        .or_else(|_| Nip::parse(&current.nip, chrono::NaiveDate::MAX))
        .map_err(|e| ServiceError::domain("nip", &e))?;
    let status = match &patch.status {
        Some(s) => parse_status(s)?,
        None => parse_status(&current.status)?,
    };
    if parsed_nip.kind() != status {
        return Err(ServiceError::Invalid {
            field: "status",
            key: "employee.nip_status",
            args: vec![("kind", parsed_nip.kind().as_str().into())],
        });
    }
    let name = match &patch.name {
        Some(n) => validate::text("name", n, 200)?,
        None => current.name.clone(),
    };
    let golongan = match &patch.golongan {
        Some(g) => parse_golongan(g.as_deref(), status)?,
        None => parse_golongan(current.golongan.as_deref(), status)?,
    };
    let email = match &patch.email {
        Some(e) => validate::email(e.as_deref())?,
        None => current.email.clone(),
    };
    let phone = match &patch.phone {
        Some(p) => validate::phone(p.as_deref())?,
        None => current.phone.clone(),
    };
    let unit_code = patch
        .unit
        .clone()
        .unwrap_or_else(|| current.unit_code.clone());
    let position = match patch.position {
        Some(p) => p,
        // Moving to another unit without naming a position leaves the old one behind.
        None if patch.unit.is_some() && unit_code != current.unit_code => None,
        None => current.position_id,
    };
    let (unit_id, position_id) = placement(&mut c, actor, &unit_code, position).await?;
    let checked = Checked {
        nip: parsed_nip,
        name,
        status,
        golongan,
        position_id,
        unit_id,
        email,
        phone,
        active: patch.active.unwrap_or(current.active),
    };
    let saved = update_checked(
        &mut c,
        actor.tenant_id,
        current.id,
        patch.version.unwrap_or(current.version),
        &checked,
    )
    .await?;
    if !saved {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let after = Employee::from(
        store::by_id(&mut c, actor.tenant_id, current.id)
            .await?
            .ok_or(ServiceError::NotFound)?,
    );
    c.record(
        "update",
        "employee",
        &after.nip,
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::People]).await?;
    Ok(after)
}
