//! The ASN's plan (SKP): expected results, evidence files, the workflow steps.

use cakap_domain::status::{PeriodStatus, SkpStatus};
use cakap_domain::{Predikat, Role};
use cakap_store::performance::{self as store, PlanRow, ResultRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

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
    pub(super) fn values(&self) -> [(&'static str, &str); 7] {
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
            status: r.status.to_string(),
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

pub(super) fn check_results(results: &[PlanResult]) -> ServiceResult<Vec<ResultRow>> {
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
pub(super) fn check_links(value: Option<&str>) -> ServiceResult<Option<String>> {
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
pub(super) fn sees(actor: &Actor, plan: &PlanRow) -> bool {
    actor.sees_employee(plan.employee_id, &plan.unit_path)
}

/// Whether the actor rates this plan's owner: `admin`, or a `pimpinan` of the subtree — and
/// never themself ([`Actor::may_decide_on`]).
pub(super) fn rates(actor: &Actor, plan: &PlanRow) -> bool {
    actor.may_decide_on(plan.employee_id, &plan.nip)
        && match actor.role {
            Role::Admin => true,
            Role::Pimpinan => actor.sees_unit_path(&plan.unit_path),
            _ => false,
        }
}

/// The plan's owner (or `admin`) edits and submits it.
pub(super) fn owns(actor: &Actor, plan: &PlanRow) -> bool {
    actor.employee_id == Some(plan.employee_id) || actor.role == Role::Admin
}

pub(super) async fn load(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    id: i64,
) -> ServiceResult<PlanRow> {
    store::plan(c, actor.tenant_id, id)
        .await?
        .filter(|p| sees(actor, p))
        .ok_or(ServiceError::NotFound)
}

pub(super) fn open(plan: &PlanRow) -> ServiceResult<()> {
    if plan.period_status != PeriodStatus::Open {
        return Err(ServiceError::Conflict {
            key: "performance.period_closed",
        });
    }
    if plan.status == SkpStatus::Final {
        return Err(ServiceError::Conflict {
            key: "performance.final",
        });
    }
    Ok(())
}

pub(super) async fn full(
    c: &mut cakap_store::Conn,
    tenant: i64,
    row: PlanRow,
) -> ServiceResult<Plan> {
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
        status: row.status.to_string(),
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
    // The scope may fill the unit tree's cache, which takes a connection: before ours.
    let scope = crate::units::scope(db, actor, unit).await?;
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
    let mut c = Change::begin(db, actor).await?;
    let nip = match (&input.nip, &actor.nip) {
        (Some(n), _) => n.trim().to_string(),
        (None, Some(own)) => own.clone(),
        (None, None) => return Err(ServiceError::invalid("nip", "error.required")),
    };
    let employee = crate::actor::visible_row(&mut c, actor, &nip).await?;
    let allowed = actor.employee_id == Some(employee.id)
        || matches!(actor.role, Role::Admin | Role::Pimpinan);
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    let period = store::period(&mut c, actor.tenant_id, input.period.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("period", "performance.unknown_period"))?;
    if period.status != PeriodStatus::Open {
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
    c.record("create", "plan", &id.to_string(), None, Some(&plan))
        .await?;
    c.finish(&[Topic::Performance]).await?;
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
    let mut c = Change::begin(db, actor).await?;
    let current = load(&mut c, actor, id).await?;
    if !owns(actor, &current) {
        return Err(ServiceError::Forbidden);
    }
    open(&current)?;
    if !current.status.editable() {
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
        current.status,
        None,
    )
    .await?
    {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let row = load(&mut c, actor, id).await?;
    let after = full(&mut c, actor.tenant_id, row).await?;
    c.record(
        "update",
        "plan",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(after)
}

/// Attaches an evidence file (PDF, PNG or JPEG, 5 MiB) to a draft or returned plan: its owner
/// or `admin`; at most [`MAX_FILES`] per plan.
pub async fn attach_file(
    db: &Db,
    actor: &Actor,
    id: i64,
    file: &crate::files::Evidence,
) -> ServiceResult<PlanFile> {
    let content_type = crate::files::check_evidence(file)?;
    let mut c = Change::begin(db, actor).await?;
    let current = load(&mut c, actor, id).await?;
    if !owns(actor, &current) {
        return Err(ServiceError::Forbidden);
    }
    open(&current)?;
    if !current.status.editable() {
        return Err(ServiceError::Conflict {
            key: "performance.not_editable",
        });
    }
    if store::files(&mut c, actor.tenant_id, id).await?.len() >= MAX_FILES {
        return Err(ServiceError::invalid("file", "performance.too_many_files"));
    }
    use sha2::Digest;
    let sha256 = crate::auth::hex(&sha2::Sha256::digest(&file.bytes));
    let filename = crate::files::clean_filename(&file.filename);
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
    c.record("update", "plan", &id.to_string(), None, Some(&out))
        .await?;
    c.finish(&[Topic::Performance]).await?;
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
    let content_type = crate::files::evidence_type(&f.data).unwrap_or("application/octet-stream");
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
    let mut c = Change::begin(db, actor).await?;
    let current = load(&mut c, actor, id).await?;
    open(&current)?;
    let (allowed, from, to): (bool, &[SkpStatus], SkpStatus) = match step {
        Step::Submit => (
            owns(actor, &current),
            &[SkpStatus::Draft, SkpStatus::Returned],
            SkpStatus::Submitted,
        ),
        Step::Return => (
            rates(actor, &current),
            &[SkpStatus::Submitted, SkpStatus::Evaluated],
            SkpStatus::Returned,
        ),
        Step::Finalize => (
            rates(actor, &current),
            &[SkpStatus::Evaluated],
            SkpStatus::Final,
        ),
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    if !from.contains(&current.status) {
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
    c.record(
        action,
        "plan",
        &id.to_string(),
        Some(&before),
        Some(&after_status),
    )
    .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(after)
}
