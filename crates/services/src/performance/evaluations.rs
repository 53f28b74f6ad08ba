//! The supervisor's evaluation: the predikat matrix, BerAKHLAK, strengths and weaknesses.

use cakap_domain::status::SkpStatus;
use cakap_domain::{Predikat, Rating, Role};
use cakap_store::performance::{self as store, EvaluationRow};
use serde::Deserialize;
use utoipa::ToSchema;

use super::*;
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

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
    let mut c = Change::begin(db, actor).await?;
    let employee = crate::actor::visible_row(&mut c, actor, &input.nip).await?;
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
    if !current.status.evaluable() {
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
        SkpStatus::Evaluated,
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
    c.record(
        "evaluate",
        "plan",
        &current.id.to_string(),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(evaluation)
}
