//! Performance evaluation (PermenPANRB 6/2022; DOMAIN.md §5): periods, the ASN's plan (SKP)
//! with expected results, the supervisor's evaluation with the predikat matrix and BerAKHLAK,
//! strengths and weaknesses on the competency dictionary, and the unit's distribution against
//! its curve.
//!
//! Workflow of a plan: draft → submitted (by the ASN) → evaluated (by the supervisor) → final,
//! with "returned" for revision from submitted or evaluated. Nobody rates themself; a
//! `pimpinan` rates only their unit subtree; nothing changes in a closed period or after final.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use cakap_domain::performance::{BERAKHLAK, CurveBreach, curve_breaches};
use cakap_domain::{Predikat, Rating, Role};
use cakap_store::performance::{self as store, EvaluationRow, PlanRow, ResultRow};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::{Lookup, TenantCache};
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

/// How the tenant runs evaluations and reads potential scores.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    /// `quarterly` or `monthly`: what a periodic period is.
    pub period_frequency: String,
    /// Lowest potential score that is *tinggi* (default 90).
    pub potensi_high: i64,
    /// Lowest potential score that is *menengah* (default 78).
    pub potensi_mid: i64,
}

pub async fn settings(db: &Db, actor: &Actor) -> ServiceResult<Settings> {
    let mut c = db.conn().await?;
    let s = store::settings(&mut c, actor.tenant_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(Settings {
        period_frequency: s.period_frequency,
        potensi_high: s.potensi_high,
        potensi_mid: s.potensi_mid,
    })
}

/// Changes the tenant's settings (`admin`): frequency `quarterly` or `monthly`, thresholds
/// with 0 < menengah < tinggi ≤ 100.
pub async fn set_settings(db: &Db, actor: &Actor, input: &Settings) -> ServiceResult<Settings> {
    actor.require_admin()?;
    let frequency = match input.period_frequency.trim() {
        f @ ("quarterly" | "monthly") => f.to_string(),
        _ => {
            return Err(ServiceError::invalid(
                "period_frequency",
                "performance.frequency",
            ));
        }
    };
    if !(0 < input.potensi_mid
        && input.potensi_mid < input.potensi_high
        && input.potensi_high <= 100)
    {
        return Err(ServiceError::invalid("potensi_high", "talent.thresholds"));
    }
    let mut c = db.begin().await?;
    let before = store::settings(&mut c, actor.tenant_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let after = store::Settings {
        period_frequency: frequency,
        potensi_high: input.potensi_high,
        potensi_mid: input.potensi_mid,
    };
    store::set_settings(&mut c, actor.tenant_id, &after).await?;
    crate::audit::record(
        &mut c,
        actor,
        "update",
        "settings",
        "performance",
        Some(&before),
        Some(&after),
    )
    .await?;
    c.commit().await?;
    crate::talent::forget(db, actor.tenant_id);
    Ok(Settings {
        period_frequency: after.period_frequency,
        potensi_high: after.potensi_high,
        potensi_mid: after.potensi_mid,
    })
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Period {
    /// `2026` (annual), `2026-Q1` (quarterly) or `2026-03` (monthly).
    pub code: String,
    /// `annual` or `periodic`.
    pub kind: String,
    pub year: i64,
    pub starts_on: String,
    pub ends_on: String,
    /// `open` or `closed`.
    pub status: String,
}

impl From<store::PeriodRow> for Period {
    fn from(r: store::PeriodRow) -> Self {
        Period {
            code: r.code,
            kind: r.kind,
            year: r.year,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            status: r.status,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewPeriod {
    /// `annual` or `periodic` (a quarter or a month, as the tenant is set up).
    pub kind: String,
    pub year: i64,
    /// For a periodic period: the quarter (1–4) or the month (1–12).
    pub number: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PeriodPatch {
    /// `open` or `closed`.
    pub status: String,
}

pub async fn periods(db: &Db, actor: &Actor) -> ServiceResult<Vec<Period>> {
    let mut c = db.conn().await?;
    Ok(store::periods(&mut c, actor.tenant_id)
        .await?
        .into_iter()
        .map(Period::from)
        .collect())
}

/// The code and dates of a period.
fn period_shape(
    kind: &str,
    year: i64,
    number: Option<u32>,
    frequency: &str,
) -> ServiceResult<(String, NaiveDate, NaiveDate)> {
    let y = i32::try_from(year)
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| ServiceError::invalid("year", "performance.year"))?;
    let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    let last_day = |y: i32, m: u32| {
        let next = if m == 12 {
            date(y + 1, 1, 1)
        } else {
            date(y, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt())
    };
    let bad_number = || ServiceError::invalid("number", "performance.period_number");
    let (code, start, end) = match (kind, frequency) {
        ("annual", _) => (format!("{y}"), date(y, 1, 1), date(y, 12, 31)),
        ("periodic", "monthly") => {
            let m = number
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(bad_number)?;
            (format!("{y}-{m:02}"), date(y, m, 1), last_day(y, m))
        }
        ("periodic", _) => {
            let q = number
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(bad_number)?;
            let m = (q - 1) * 3 + 1;
            (format!("{y}-Q{q}"), date(y, m, 1), last_day(y, m + 2))
        }
        _ => return Err(ServiceError::invalid("kind", "performance.period_kind")),
    };
    match (start, end) {
        (Some(s), Some(e)) => Ok((code, s, e)),
        _ => Err(bad_number()),
    }
}

/// Opens a period (`admin`).
pub async fn create_period(db: &Db, actor: &Actor, input: &NewPeriod) -> ServiceResult<Period> {
    actor.require_admin()?;
    let mut c = db.begin().await?;
    let settings = store::settings(&mut c, actor.tenant_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (code, start, end) = period_shape(
        input.kind.trim(),
        input.year,
        input.number,
        &settings.period_frequency,
    )?;
    if store::period(&mut c, actor.tenant_id, &code)
        .await?
        .is_some()
    {
        return Err(ServiceError::Duplicate { field: "code" });
    }
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let p = store::NewPeriod {
        code: &code,
        kind: input.kind.trim(),
        year: input.year,
        starts_on: &fmt(start),
        ends_on: &fmt(end),
    };
    store::insert_period(&mut c, actor.tenant_id, &p).await?;
    let period = store::period(&mut c, actor.tenant_id, &code)
        .await?
        .map(Period::from)
        .ok_or(ServiceError::NotFound)?;
    crate::audit::record(
        &mut c,
        actor,
        "create",
        "period",
        &code,
        None,
        Some(&period),
    )
    .await?;
    c.commit().await?;
    Ok(period)
}

/// Opens or closes a period (`admin`): nothing is planned or rated in a closed one.
pub async fn set_period_status(
    db: &Db,
    actor: &Actor,
    code: &str,
    patch: &PeriodPatch,
) -> ServiceResult<Period> {
    actor.require_admin()?;
    let status = match patch.status.trim() {
        s @ ("open" | "closed") => s,
        _ => return Err(ServiceError::invalid("status", "performance.period_status")),
    };
    let mut c = db.begin().await?;
    let before = store::period(&mut c, actor.tenant_id, code)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store::set_period_status(&mut c, actor.tenant_id, before.id, status).await?;
    let after = Period {
        status: status.to_string(),
        ..Period::from(before.clone())
    };
    let before = Period::from(before);
    crate::audit::record(
        &mut c,
        actor,
        "update",
        "period",
        code,
        Some(&before),
        Some(&after),
    )
    .await?;
    c.commit().await?;
    Ok(after)
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct PlanResult {
    /// The expected result (*rencana hasil kerja*).
    pub description: String,
    pub indicator: String,
    pub target: String,
    /// Evidence (*bukti dukung*): links, one per line.
    pub evidence: Option<String>,
    /// The ASN's own notes.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Perilaku {
    pub berorientasi_pelayanan: String,
    pub akuntabel: String,
    pub kompeten: String,
    pub harmonis: String,
    pub loyal: String,
    pub adaptif: String,
    pub kolaboratif: String,
}

impl Perilaku {
    fn values(&self) -> [(&'static str, &str); 7] {
        [
            ("berorientasi_pelayanan", &self.berorientasi_pelayanan),
            ("akuntabel", &self.akuntabel),
            ("kompeten", &self.kompeten),
            ("harmonis", &self.harmonis),
            ("loyal", &self.loyal),
            ("adaptif", &self.adaptif),
            ("kolaboratif", &self.kolaboratif),
        ]
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Finding {
    pub competency: String,
    pub name: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    pub nip: String,
    pub period: String,
    /// `di_atas`, `sesuai` or `di_bawah`.
    pub hasil_kerja: String,
    pub perilaku_kerja: String,
    pub perilaku: Perilaku,
    /// `sangat_baik`, `baik`, `butuh_perbaikan`, `kurang`, `sangat_kurang`.
    pub predikat: String,
    /// As the regulation writes it, e.g. `Kurang/Misconduct`.
    pub predikat_label: String,
    pub strengths: Vec<Finding>,
    pub weaknesses: Vec<Finding>,
    pub note: Option<String>,
    pub evaluator: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Plan {
    pub id: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub period: String,
    /// `draft`, `submitted`, `evaluated`, `final` or `returned`.
    pub status: String,
    /// Why it was returned, when it was.
    pub return_note: Option<String>,
    pub results: Vec<PlanResult>,
    /// Evidence files; download from `/api/v1/performance/plans/{id}/files/{file}`.
    pub files: Vec<PlanFile>,
    pub evaluation: Option<Evaluation>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanFile {
    pub id: i64,
    pub filename: String,
    /// Bytes.
    pub size: i64,
}

/// Most evidence files on one plan.
pub const MAX_FILES: usize = 10;

/// One line of a list of plans.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanSummary {
    pub id: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub period: String,
    pub status: String,
    pub predikat: Option<String>,
}

impl From<PlanRow> for PlanSummary {
    fn from(r: PlanRow) -> Self {
        PlanSummary {
            id: r.id,
            nip: r.nip,
            name: r.name,
            unit_name: r.unit_name,
            period: r.period,
            status: r.status,
            predikat: r.predikat,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewPlan {
    /// Whose plan: the ASN's own when omitted.
    pub nip: Option<String>,
    pub period: String,
    #[serde(default)]
    pub results: Vec<PlanResult>,
}

fn check_results(results: &[PlanResult]) -> ServiceResult<Vec<ResultRow>> {
    if results.len() > 30 {
        return Err(ServiceError::invalid(
            "results",
            "performance.too_many_results",
        ));
    }
    results
        .iter()
        .map(|r| {
            Ok(ResultRow {
                description: validate::text("description", &r.description, 1000)?,
                indicator: validate::text("indicator", &r.indicator, 500)?,
                target: validate::text("target", &r.target, 200)?,
                evidence: check_links(r.evidence.as_deref())?,
                note: validate::optional_text("note", r.note.as_deref(), 2000)?,
            })
        })
        .collect()
}

/// Evidence links: http(s) only, one per line (no `javascript:` or `data:`).
fn check_links(value: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > 2000 {
        return Err(ServiceError::Invalid {
            field: "evidence",
            key: "error.too_long",
            args: vec![("max", "2000".into())],
        });
    }
    let links: Vec<&str> = v.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let ok = links.iter().all(|l| {
        (l.starts_with("https://") || l.starts_with("http://"))
            && !l.contains(char::is_whitespace)
            && !l.contains(['<', '>', '"'])
    });
    if ok {
        Ok(Some(links.join("\n")))
    } else {
        Err(ServiceError::invalid(
            "evidence",
            "performance.evidence_links",
        ))
    }
}

/// Whether the actor may see a plan: its owner, a `pimpinan` of the subtree, `admin`, `auditor`.
fn sees(actor: &Actor, plan: &PlanRow) -> bool {
    actor.sees_employee(plan.employee_id, &plan.unit_path)
}

/// Whether the actor rates this plan's owner: `admin`, or a `pimpinan` of the subtree — and
/// never themself ([`Actor::may_decide_on`]).
fn rates(actor: &Actor, plan: &PlanRow) -> bool {
    actor.may_decide_on(plan.employee_id, &plan.nip)
        && match actor.role {
            Role::Admin => true,
            Role::Pimpinan => actor.sees_unit_path(&plan.unit_path),
            _ => false,
        }
}

/// The plan's owner (or `admin`) edits and submits it.
fn owns(actor: &Actor, plan: &PlanRow) -> bool {
    actor.employee_id == Some(plan.employee_id) || actor.role == Role::Admin
}

async fn load(c: &mut cakap_store::Conn, actor: &Actor, id: i64) -> ServiceResult<PlanRow> {
    store::plan(c, actor.tenant_id, id)
        .await?
        .filter(|p| sees(actor, p))
        .ok_or(ServiceError::NotFound)
}

fn open(plan: &PlanRow) -> ServiceResult<()> {
    if plan.period_status != "open" {
        return Err(ServiceError::Conflict {
            key: "performance.period_closed",
        });
    }
    if plan.status == "final" {
        return Err(ServiceError::Conflict {
            key: "performance.final",
        });
    }
    Ok(())
}

async fn full(c: &mut cakap_store::Conn, tenant: i64, row: PlanRow) -> ServiceResult<Plan> {
    let results = store::results(c, tenant, row.id)
        .await?
        .into_iter()
        .map(|r| PlanResult {
            description: r.description,
            indicator: r.indicator,
            target: r.target,
            evidence: r.evidence,
            note: r.note,
        })
        .collect();
    let evaluation = match store::evaluation(c, tenant, row.id).await? {
        Some(e) => {
            let findings = store::findings(c, tenant, row.id).await?;
            let of = |kind: &str| {
                findings
                    .iter()
                    .filter(|f| f.kind == kind)
                    .map(|f| Finding {
                        competency: f.code.clone(),
                        name: f.name.clone(),
                        comment: f.comment.clone(),
                    })
                    .collect()
            };
            Some(Evaluation {
                nip: row.nip.clone(),
                period: row.period.clone(),
                predikat_label: e
                    .predikat
                    .parse::<Predikat>()
                    .map(Predikat::label)
                    .unwrap_or_default()
                    .to_string(),
                strengths: of("strength"),
                weaknesses: of("weakness"),
                perilaku: Perilaku {
                    berorientasi_pelayanan: e.berorientasi_pelayanan,
                    akuntabel: e.akuntabel,
                    kompeten: e.kompeten,
                    harmonis: e.harmonis,
                    loyal: e.loyal,
                    adaptif: e.adaptif,
                    kolaboratif: e.kolaboratif,
                },
                hasil_kerja: e.hasil_kerja,
                perilaku_kerja: e.perilaku_kerja,
                predikat: e.predikat,
                note: e.note,
                evaluator: e.evaluator,
            })
        }
        None => None,
    };
    let files = store::files(c, tenant, row.id)
        .await?
        .into_iter()
        .map(|f| PlanFile {
            id: f.id,
            filename: f.filename,
            size: f.size,
        })
        .collect();
    Ok(Plan {
        files,
        id: row.id,
        nip: row.nip,
        name: row.name,
        unit_name: row.unit_name,
        period: row.period,
        status: row.status,
        return_note: row.return_note,
        results,
        evaluation,
        version: row.version,
    })
}

pub async fn plan(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Plan> {
    let mut c = db.conn().await?;
    let row = load(&mut c, actor, id).await?;
    full(&mut c, actor.tenant_id, row).await
}

/// Plans the actor may see: of a period (and unit subtree), or an ASN's own.
pub async fn plans(
    db: &Db,
    actor: &Actor,
    period: Option<&str>,
    unit: Option<&str>,
) -> ServiceResult<Vec<PlanSummary>> {
    let mut c = db.conn().await?;
    let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
        Some(code) => Some(
            store::period(&mut c, actor.tenant_id, code)
                .await?
                .ok_or(ServiceError::NotFound)?
                .id,
        ),
        None => None,
    };
    let scope = crate::units::scope(db, actor, unit).await?;
    if period.is_none() && !matches!(actor.role, Role::Asn | Role::Instruktur) {
        return Err(ServiceError::invalid("period", "performance.period_needed"));
    }
    let own = match actor.role {
        Role::Asn | Role::Instruktur => Some(actor.employee_id.ok_or(ServiceError::Forbidden)?),
        _ => None,
    };
    Ok(store::plans(&mut c, actor.tenant_id, period, &scope, own)
        .await?
        .into_iter()
        .map(PlanSummary::from)
        .collect())
}

/// The actor's own plans (every period), newest first.
pub async fn own_plans(db: &Db, actor: &Actor) -> ServiceResult<Vec<PlanSummary>> {
    let Some(me) = actor.employee_id else {
        return Ok(Vec::new());
    };
    let mut c = db.conn().await?;
    Ok(store::plans(&mut c, actor.tenant_id, None, "", Some(me))
        .await?
        .into_iter()
        .map(PlanSummary::from)
        .collect())
}

/// Starts a plan for an ASN in an open period: the ASN for themself, or `admin`, or their
/// `pimpinan`.
pub async fn create_plan(db: &Db, actor: &Actor, input: &NewPlan) -> ServiceResult<Plan> {
    let results = check_results(&input.results)?;
    let mut c = db.begin().await?;
    let nip = match (&input.nip, &actor.nip) {
        (Some(n), _) => n.trim().to_string(),
        (None, Some(own)) => own.clone(),
        (None, None) => return Err(ServiceError::invalid("nip", "error.required")),
    };
    let employee = crate::employees::visible_row(&mut c, actor, &nip).await?;
    let allowed = actor.employee_id == Some(employee.id)
        || matches!(actor.role, Role::Admin | Role::Pimpinan);
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    let period = store::period(&mut c, actor.tenant_id, input.period.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("period", "performance.unknown_period"))?;
    if period.status != "open" {
        return Err(ServiceError::Conflict {
            key: "performance.period_closed",
        });
    }
    if store::plan_of(&mut c, actor.tenant_id, employee.id, period.id)
        .await?
        .is_some()
    {
        return Err(ServiceError::Duplicate { field: "period" });
    }
    let id = store::insert_plan(&mut c, actor.tenant_id, employee.id, period.id).await?;
    store::replace_results(&mut c, actor.tenant_id, id, &results).await?;
    let row = load(&mut c, actor, id).await?;
    let plan = full(&mut c, actor.tenant_id, row).await?;
    crate::audit::record(
        &mut c,
        actor,
        "create",
        "plan",
        &id.to_string(),
        None,
        Some(&plan),
    )
    .await?;
    c.commit().await?;
    forget(db, actor.tenant_id);
    Ok(plan)
}

/// Replaces the expected results of a draft or returned plan (its owner or `admin`).
pub async fn set_results(
    db: &Db,
    actor: &Actor,
    id: i64,
    results: &[PlanResult],
) -> ServiceResult<Plan> {
    let rows = check_results(results)?;
    let mut c = db.begin().await?;
    let current = load(&mut c, actor, id).await?;
    if !owns(actor, &current) {
        return Err(ServiceError::Forbidden);
    }
    open(&current)?;
    if !matches!(current.status.as_str(), "draft" | "returned") {
        return Err(ServiceError::Conflict {
            key: "performance.not_editable",
        });
    }
    let before = full(&mut c, actor.tenant_id, current.clone()).await?;
    store::replace_results(&mut c, actor.tenant_id, id, &rows).await?;
    if !store::set_plan_status(
        &mut c,
        actor.tenant_id,
        id,
        current.version,
        &current.status,
        None,
    )
    .await?
    {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let row = load(&mut c, actor, id).await?;
    let after = full(&mut c, actor.tenant_id, row).await?;
    crate::audit::record(
        &mut c,
        actor,
        "update",
        "plan",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    c.commit().await?;
    Ok(after)
}

/// Attaches an evidence file (PDF, PNG or JPEG, 5 MiB) to a draft or returned plan: its owner
/// or `admin`; at most [`MAX_FILES`] per plan.
pub async fn attach_file(
    db: &Db,
    actor: &Actor,
    id: i64,
    file: &crate::assessments::Evidence,
) -> ServiceResult<PlanFile> {
    let content_type = crate::assessments::check_evidence(file)?;
    let mut c = db.begin().await?;
    let current = load(&mut c, actor, id).await?;
    if !owns(actor, &current) {
        return Err(ServiceError::Forbidden);
    }
    open(&current)?;
    if !matches!(current.status.as_str(), "draft" | "returned") {
        return Err(ServiceError::Conflict {
            key: "performance.not_editable",
        });
    }
    if store::files(&mut c, actor.tenant_id, id).await?.len() >= MAX_FILES {
        return Err(ServiceError::invalid("file", "performance.too_many_files"));
    }
    use sha2::Digest;
    let sha256 = crate::auth::hex(&sha2::Sha256::digest(&file.bytes));
    let filename = crate::assessments::clean_filename(&file.filename);
    let f = store::NewFile {
        filename: &filename,
        content_type,
        sha256: &sha256,
        data: &file.bytes,
        by: &actor.username,
    };
    let file_id = store::insert_file(&mut c, actor.tenant_id, id, &f).await?;
    let out = PlanFile {
        id: file_id,
        filename,
        size: file.bytes.len() as i64,
    };
    crate::audit::record(
        &mut c,
        actor,
        "update",
        "plan",
        &id.to_string(),
        None,
        Some(&out),
    )
    .await?;
    c.commit().await?;
    Ok(out)
}

/// An evidence file of a plan the actor may see: (file name, content type, bytes).
pub async fn plan_file(
    db: &Db,
    actor: &Actor,
    id: i64,
    file: i64,
) -> ServiceResult<(String, &'static str, Vec<u8>)> {
    let mut c = db.conn().await?;
    load(&mut c, actor, id).await?;
    let f = store::file(&mut c, actor.tenant_id, id, file)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let content_type =
        crate::assessments::evidence_type(&f.data).unwrap_or("application/octet-stream");
    Ok((f.filename, content_type, f.data))
}

/// A workflow step on a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The owner sends the plan (with at least one result) to the supervisor.
    Submit,
    /// The supervisor sends it back for revision, with a note.
    Return,
    /// The supervisor closes an evaluated plan: nothing changes after.
    Finalize,
}

pub async fn step(
    db: &Db,
    actor: &Actor,
    id: i64,
    step: Step,
    note: Option<&str>,
) -> ServiceResult<Plan> {
    let note = validate::optional_text("note", note, 2000)?;
    let mut c = db.begin().await?;
    let current = load(&mut c, actor, id).await?;
    open(&current)?;
    let (allowed, from, to): (bool, &[&str], &str) = match step {
        Step::Submit => (owns(actor, &current), &["draft", "returned"], "submitted"),
        Step::Return => (
            rates(actor, &current),
            &["submitted", "evaluated"],
            "returned",
        ),
        Step::Finalize => (rates(actor, &current), &["evaluated"], "final"),
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    if !from.contains(&current.status.as_str()) {
        return Err(ServiceError::Conflict {
            key: "performance.wrong_step",
        });
    }
    if step == Step::Submit
        && store::results(&mut c, actor.tenant_id, id)
            .await?
            .is_empty()
    {
        return Err(ServiceError::invalid("results", "performance.no_results"));
    }
    if step == Step::Return && note.is_none() {
        return Err(ServiceError::invalid("note", "performance.return_note"));
    }
    let return_note = if step == Step::Return {
        note.as_deref()
    } else {
        None
    };
    if !store::set_plan_status(
        &mut c,
        actor.tenant_id,
        id,
        current.version,
        to,
        return_note,
    )
    .await?
    {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let row = load(&mut c, actor, id).await?;
    let after = full(&mut c, actor.tenant_id, row).await?;
    let action = match step {
        Step::Submit => "submit",
        Step::Return => "return",
        Step::Finalize => "finalize",
    };
    let before = serde_json::json!({ "status": current.status });
    let after_status =
        serde_json::json!({ "status": after.status, "return_note": after.return_note });
    crate::audit::record(
        &mut c,
        actor,
        action,
        "plan",
        &id.to_string(),
        Some(&before),
        Some(&after_status),
    )
    .await?;
    c.commit().await?;
    crate::talent::forget(db, actor.tenant_id);
    Ok(after)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewEvaluation {
    pub nip: String,
    pub period: String,
    /// `di_atas`, `sesuai` or `di_bawah`.
    pub hasil_kerja: String,
    pub perilaku_kerja: String,
    /// Each of the seven BerAKHLAK values rated the same way.
    pub perilaku: Perilaku,
    /// Competency codes.
    #[serde(default)]
    pub strengths: Vec<String>,
    #[serde(default)]
    pub weaknesses: Vec<String>,
    pub note: Option<String>,
}

fn rating(field: &'static str, v: &str) -> ServiceResult<Rating> {
    v.parse::<Rating>().map_err(|()| ServiceError::Invalid {
        field,
        key: "performance.rating",
        args: vec![("value", v.chars().take(40).collect())],
    })
}

/// Rates a submitted plan (or re-rates an evaluated one): the supervisor of the subtree or
/// `admin`, never the ASN themself. Returns the evaluation with its predikat.
pub async fn evaluate(db: &Db, actor: &Actor, input: &NewEvaluation) -> ServiceResult<Evaluation> {
    actor.require_any(&[Role::Admin, Role::Pimpinan])?;
    let hasil = rating("hasil_kerja", &input.hasil_kerja)?;
    let perilaku = rating("perilaku_kerja", &input.perilaku_kerja)?;
    let values: Vec<(&str, Rating)> = input
        .perilaku
        .values()
        .into_iter()
        .map(|(k, v)| rating("perilaku", v).map(|r| (k, r)))
        .collect::<ServiceResult<_>>()?;
    let note = validate::optional_text("note", input.note.as_deref(), 2000)?;
    let predikat = Predikat::of(hasil, perilaku);
    let mut c = db.begin().await?;
    let employee = crate::employees::visible_row(&mut c, actor, &input.nip).await?;
    if actor.is_self(employee.id, &employee.nip) {
        return Err(ServiceError::Conflict {
            key: "performance.self_rating",
        });
    }
    if !actor.may_decide_on(employee.id, &employee.nip) {
        return Err(ServiceError::Forbidden);
    }
    let period = store::period(&mut c, actor.tenant_id, input.period.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("period", "performance.unknown_period"))?;
    let current = store::plan_of(&mut c, actor.tenant_id, employee.id, period.id)
        .await?
        .ok_or(ServiceError::Conflict {
            key: "performance.no_plan",
        })?;
    if !rates(actor, &current) {
        return Err(ServiceError::Forbidden);
    }
    open(&current)?;
    if !matches!(current.status.as_str(), "submitted" | "evaluated") {
        return Err(ServiceError::Conflict {
            key: "performance.not_submitted",
        });
    }
    let dictionary = cakap_store::competencies::list(&mut c, actor.tenant_id).await?;
    let mut findings = Vec::new();
    for (kind, codes) in [
        ("strength", &input.strengths),
        ("weakness", &input.weaknesses),
    ] {
        for code in codes {
            let k = dictionary
                .iter()
                .find(|k| k.code == code.trim() && k.active)
                .ok_or_else(|| ServiceError::Invalid {
                    field: if kind == "strength" {
                        "strengths"
                    } else {
                        "weaknesses"
                    },
                    key: "error.unknown_competency",
                    args: vec![("value", code.chars().take(40).collect())],
                })?;
            if findings
                .iter()
                .any(|(id, kd, _)| *id == k.id && *kd == kind)
            {
                continue;
            }
            findings.push((k.id, kind, None));
        }
    }
    let v = |name: &str| {
        values
            .iter()
            .find(|(k, _)| *k == name)
            .map_or("sesuai", |(_, r)| r.as_str())
            .to_string()
    };
    let row = EvaluationRow {
        hasil_kerja: hasil.as_str().into(),
        perilaku_kerja: perilaku.as_str().into(),
        berorientasi_pelayanan: v("berorientasi_pelayanan"),
        akuntabel: v("akuntabel"),
        kompeten: v("kompeten"),
        harmonis: v("harmonis"),
        loyal: v("loyal"),
        adaptif: v("adaptif"),
        kolaboratif: v("kolaboratif"),
        predikat: predikat.as_str().into(),
        note,
        evaluator: actor.username.clone(),
    };
    let before = store::evaluation(&mut c, actor.tenant_id, current.id).await?;
    store::save_evaluation(&mut c, actor.tenant_id, current.id, &row).await?;
    store::replace_findings(&mut c, actor.tenant_id, current.id, &findings).await?;
    if !store::set_plan_status(
        &mut c,
        actor.tenant_id,
        current.id,
        current.version,
        "evaluated",
        None,
    )
    .await?
    {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let row = load(&mut c, actor, current.id).await?;
    let plan = full(&mut c, actor.tenant_id, row).await?;
    let evaluation = plan.evaluation.clone().ok_or(ServiceError::NotFound)?;
    let before = before.map(|b| serde_json::json!({ "predikat": b.predikat, "hasil_kerja": b.hasil_kerja, "perilaku_kerja": b.perilaku_kerja }));
    let after =
        serde_json::to_value(&evaluation).map_err(|e| ServiceError::Internal(e.to_string()))?;
    crate::audit::record(
        &mut c,
        actor,
        "evaluate",
        "plan",
        &current.id.to_string(),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    c.commit().await?;
    crate::talent::forget(db, actor.tenant_id);
    Ok(evaluation)
}

/// A curve rule broken, before translation.
#[derive(Debug, Clone)]
pub struct BreachRaw {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl From<CurveBreach> for BreachRaw {
    fn from(b: CurveBreach) -> Self {
        BreachRaw {
            key: b.key,
            args: vec![
                ("what", b.what),
                ("limit", b.limit.to_string()),
                (
                    "found",
                    format!("{:.1}", f64::from(b.found_permille) / 10.0),
                ),
            ],
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub nip: String,
    pub name: String,
}

/// The predikat of a unit's people for a period, against the unit's curve.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Distribution {
    pub unit: Option<String>,
    pub period: String,
    /// The unit's own predikat the curve is taken from.
    pub unit_predikat: String,
    /// Whether that predikat is the one recorded for the unit and period (otherwise it was
    /// asked for, or is the default `baik`).
    pub unit_predikat_recorded: bool,
    /// People per predikat (all five keys always present, best first).
    pub counts: Vec<(String, i64)>,
    pub rated: i64,
    /// People of the subtree without an evaluation for the period.
    pub unrated: Vec<Person>,
    /// Rules of the curve the ratings break: a warning, never a block.
    #[serde(skip)]
    pub breaches: Vec<BreachRaw>,
    /// The plans of the period in the subtree (for the page's list).
    #[serde(skip)]
    pub plans: Vec<PlanSummary>,
}

/// Distributions per (scope and unit, period, unit predikat), kept a minute; cleared with the
/// talent maps by every evaluation, workflow step and change of people.
static DISTRIBUTIONS: LazyLock<TenantCache<(String, String, String), Arc<Distribution>>> =
    LazyLock::new(|| TenantCache::new(Duration::from_secs(60), 256));

pub fn forget(db: &Db, tenant: i64) {
    DISTRIBUTIONS.clear(db, tenant);
}

/// A unit's predikat as written: the employee words, or `istimewa` for the top one.
fn unit_predikat_of(p: &str) -> ServiceResult<Predikat> {
    match p.trim() {
        "istimewa" => Ok(Predikat::SangatBaik),
        p => p
            .parse()
            .map_err(|()| ServiceError::invalid("unit_predikat", "performance.unknown_predikat")),
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UnitRating {
    pub unit: String,
    pub period: String,
    /// `istimewa` (or `sangat_baik`), `baik`, `butuh_perbaikan`, `kurang`, `sangat_kurang`.
    pub predikat: String,
}

/// Records a unit's own predikat for a period (`admin`): its people's curve follows it.
pub async fn set_unit_predikat(db: &Db, actor: &Actor, input: &UnitRating) -> ServiceResult<()> {
    actor.require_admin()?;
    let predikat = unit_predikat_of(&input.predikat)?;
    let mut c = db.begin().await?;
    let unit = cakap_store::units::by_code(&mut c, actor.tenant_id, input.unit.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("unit", "error.unknown_unit"))?;
    let period = store::period(&mut c, actor.tenant_id, input.period.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("period", "performance.unknown_period"))?;
    let before = store::unit_rating(&mut c, actor.tenant_id, unit.id, period.id).await?;
    store::set_unit_rating(
        &mut c,
        actor.tenant_id,
        unit.id,
        period.id,
        predikat.as_str(),
        &actor.username,
    )
    .await?;
    let entity = format!("{} {}", unit.code, period.code);
    let before = before.map(|p| serde_json::json!({ "predikat": p }));
    let after = serde_json::json!({ "predikat": predikat.as_str() });
    crate::audit::record(
        &mut c,
        actor,
        "update",
        "unit_rating",
        &entity,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    c.commit().await?;
    forget(db, actor.tenant_id);
    Ok(())
}

pub async fn distribution(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    period: &str,
    unit_predikat: &str,
) -> ServiceResult<Arc<Distribution>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let asked = match unit_predikat.trim() {
        "" => None,
        p => Some(unit_predikat_of(p)?),
    };
    let scope = crate::units::scope(db, actor, unit).await?;
    let key = (
        format!("{scope}\u{0}{}", unit.unwrap_or("")),
        period.trim().to_string(),
        asked.map_or("", Predikat::as_str).to_string(),
    );
    let generation = match DISTRIBUTIONS.get(db, actor.tenant_id, &key) {
        Lookup::Hit(d) => return Ok(d),
        Lookup::Miss(generation) => generation,
    };
    let mut c = db.conn().await?;
    let p = store::period(&mut c, actor.tenant_id, period.trim())
        .await?
        .ok_or(ServiceError::NotFound)?;
    let recorded = match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(code) => match cakap_store::units::by_code(&mut c, actor.tenant_id, code).await? {
            Some(u) => store::unit_rating(&mut c, actor.tenant_id, u.id, p.id)
                .await?
                .and_then(|r| r.parse::<Predikat>().ok()),
            None => None,
        },
        None => None,
    };
    let own = asked.or(recorded).unwrap_or(Predikat::Baik);
    let plans = store::plans(&mut c, actor.tenant_id, Some(p.id), &scope, None).await?;
    let people = cakap_store::employees::placements(&mut c, actor.tenant_id, &scope).await?;
    drop(c);
    let mut counts: Vec<(Predikat, u32)> = Predikat::ALL.iter().map(|p| (*p, 0)).collect();
    let mut rated_ids = std::collections::HashSet::new();
    for plan in &plans {
        let Some(pr) = plan
            .predikat
            .as_deref()
            .filter(|_| matches!(plan.status.as_str(), "evaluated" | "final"))
            .and_then(|s| s.parse::<Predikat>().ok())
        else {
            continue;
        };
        rated_ids.insert(plan.employee_id);
        if let Some(c) = counts.iter_mut().find(|c| c.0 == pr) {
            c.1 += 1;
        }
    }
    let unrated = people
        .iter()
        .filter(|p| !rated_ids.contains(&p.id))
        .map(|p| Person {
            nip: p.nip.clone(),
            name: p.name.clone(),
        })
        .collect();
    let d = Arc::new(Distribution {
        plans: plans.into_iter().map(PlanSummary::from).collect(),
        unit: unit.map(str::to_string).filter(|u| !u.is_empty()),
        period: p.code,
        unit_predikat: own.as_str().into(),
        unit_predikat_recorded: asked.is_none() && recorded.is_some(),
        breaches: curve_breaches(own, &counts)
            .into_iter()
            .map(BreachRaw::from)
            .collect(),
        rated: rated_ids.len() as i64,
        counts: counts
            .into_iter()
            .map(|(p, n)| (p.label().to_string(), i64::from(n)))
            .collect(),
        unrated,
    });
    DISTRIBUTIONS.put(db, actor.tenant_id, key, generation, d.clone());
    Ok(d)
}

/// The weaknesses of an employee's latest evaluation (for the gap page and development plans).
pub async fn weaknesses(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Vec<Finding>> {
    let mut c = db.conn().await?;
    let e = crate::employees::visible_row(&mut c, actor, nip).await?;
    Ok(store::latest_weaknesses(&mut c, actor.tenant_id, e.id)
        .await?
        .into_iter()
        .map(|f| Finding {
            competency: f.code,
            name: f.name,
            comment: f.comment,
        })
        .collect())
}

/// The seven values with their guideline behaviours, for the rating form.
pub fn berakhlak() -> &'static [(&'static str, &'static str, [&'static str; 3]); 7] {
    &BERAKHLAK
}

/// This year (for defaults on pages and the talent map).
pub fn current_year() -> i64 {
    i64::from(chrono::Local::now().date_naive().year())
}
