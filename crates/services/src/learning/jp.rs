//! JP and the 20-JP right (docs/domain.md#learning): per ASN per year, completed courses plus approved
//! activities; per unit and tenant, the share who reached 20 JP and who has not.

use cakap_domain::Role;
use cakap_domain::learning::{JP_TARGET, share};
use cakap_store::learning::{self as store, JpItem};
use serde::Serialize;
use utoipa::ToSchema;

use std::sync::Arc;
use std::time::Duration;

use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JpActivity {
    /// `course` or `activity`.
    pub source: String,
    pub id: i64,
    pub title: String,
    pub jalur: String,
    /// Completion (courses) or end date (activities).
    pub date: String,
    pub jp: i64,
    /// `completed`, `approved` (these count), `submitted` or `rejected`.
    pub status: String,
    pub counts: bool,
}

impl From<JpItem> for JpActivity {
    fn from(i: JpItem) -> JpActivity {
        JpActivity {
            counts: i.status == "completed" || i.status == "approved",
            source: i.source,
            id: i.id,
            title: i.title,
            jalur: i.jalur,
            date: i.on_date,
            jp: i.jp,
            status: i.status,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployeeJp {
    pub nip: String,
    pub name: String,
    pub year: i64,
    pub jp: i64,
    pub target: i64,
    pub met: bool,
    pub activities: Vec<JpActivity>,
}

fn year_range(year: i64) -> ServiceResult<(String, String)> {
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::invalid("year", "learning.year_range"));
    }
    Ok((format!("{year}-01-01"), format!("{year}-12-31")))
}

/// An employee's JP for a year, for whoever sees the employee.
pub async fn of_employee(
    db: &Db,
    actor: &Actor,
    nip: &str,
    year: i64,
) -> ServiceResult<EmployeeJp> {
    let (from, to) = year_range(year)?;
    let mut c = db.conn().await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    let activities: Vec<JpActivity> = store::jp_items(&mut c, actor.tenant_id, e.id, &from, &to)
        .await?
        .into_iter()
        .map(JpActivity::from)
        .collect();
    let jp = activities.iter().filter(|a| a.counts).map(|a| a.jp).sum();
    Ok(EmployeeJp {
        nip: e.nip,
        name: e.name,
        year,
        jp,
        target: JP_TARGET,
        met: jp >= JP_TARGET,
        activities,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitJp {
    pub code: String,
    pub name: String,
    pub employees: i64,
    pub met: i64,
    /// Percent of ASN with ≥ 20 JP, one decimal.
    pub share: f64,
    pub jp_avg: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Behind {
    pub nip: String,
    pub name: String,
    pub unit: String,
    pub jp: i64,
    /// JP still missing to 20.
    pub missing: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JpSummary {
    pub year: i64,
    /// The unit whose subtree this covers; none: the whole tenant (or the caller's scope).
    pub unit: Option<String>,
    pub employees: i64,
    pub met: i64,
    pub share: f64,
    pub jp_total: i64,
    /// The subtree's units one level down (or the OPD for the whole tenant).
    pub units: Vec<UnitJp>,
    /// Everyone under 20 JP, fewest first.
    pub not_met: Vec<Behind>,
}

/// The 20-JP report for a subtree (`admin`, `auditor`, `pimpinan` over their own unit).
pub async fn summary(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    year: i64,
) -> ServiceResult<Arc<JpSummary>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let (from, to) = year_range(year)?;
    let scope = crate::units::scope(db, actor, unit).await?;
    let key = (
        format!("{scope}\u{0}{}", unit.map(str::trim).unwrap_or("")),
        year,
    );
    cache::of::<Summaries>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            let mut c = db.conn().await?;
            let rows = store::jp_totals(&mut c, actor.tenant_id, &scope, &from, &to).await?;
            drop(c);
            // Group by the unit one level below the scope.
            let tree = crate::units::tree(db, actor.tenant_id).await?;
            let depth = scope.matches('/').count().saturating_sub(1);
            let mut groups: Vec<UnitJp> = Vec::new();
            let mut index: std::collections::HashMap<String, usize> = Default::default();
            for r in &rows {
                let ids: Vec<&str> = r.unit_path.trim_matches('/').split('/').collect();
                let take = (depth + 1).min(ids.len());
                let prefix = format!("/{}/", ids[..take].join("/"));
                let i = match index.get(&prefix) {
                    Some(i) => *i,
                    None => {
                        let (code, name) = tree
                            .iter()
                            .find(|u| u.path == prefix)
                            .map_or((r.unit_code.clone(), r.unit_name.clone()), |u| {
                                (u.code.clone(), u.name.clone())
                            });
                        groups.push(UnitJp {
                            code,
                            name,
                            employees: 0,
                            met: 0,
                            share: 0.0,
                            jp_avg: 0.0,
                        });
                        index.insert(prefix, groups.len() - 1);
                        groups.len() - 1
                    }
                };
                let g = &mut groups[i];
                g.employees += 1;
                g.met += i64::from(r.jp >= JP_TARGET);
                g.jp_avg += r.jp as f64;
            }
            for g in &mut groups {
                g.share = share(g.met, g.employees);
                g.jp_avg = if g.employees > 0 {
                    (g.jp_avg / g.employees as f64 * 10.0).round() / 10.0
                } else {
                    0.0
                };
            }
            groups.sort_by(|a, b| a.share.total_cmp(&b.share).then(a.name.cmp(&b.name)));
            let met = rows.iter().filter(|r| r.jp >= JP_TARGET).count() as i64;
            let mut not_met: Vec<Behind> = rows
                .iter()
                .filter(|r| r.jp < JP_TARGET)
                .map(|r| Behind {
                    nip: r.nip.clone(),
                    name: r.name.clone(),
                    unit: r.unit_name.clone(),
                    jp: r.jp,
                    missing: JP_TARGET - r.jp,
                })
                .collect();
            not_met.sort_by(|a, b| {
                a.jp.cmp(&b.jp)
                    .then(a.unit.cmp(&b.unit))
                    .then(a.name.cmp(&b.name))
            });
            Ok(Arc::new(JpSummary {
                year,
                unit: unit
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(str::to_string),
                employees: rows.len() as i64,
                met,
                share: share(met, rows.len() as i64),
                jp_total: rows.iter().map(|r| r.jp).sum(),
                units: groups,
                not_met,
            }))
        })
        .await
}

/// The 20-JP report per (scope and unit asked for, year), computed once per change: every
/// active ASN of the subtree with their JP of the year.
struct Summaries;

impl cache::Spec for Summaries {
    type Key = (String, i64);
    type Value = Arc<JpSummary>;
    const TOPICS: &'static [Topic] = &[Topic::People, Topic::Units, Topic::Learning];
    const TTL: Duration = Duration::from_secs(600);
    // Each holds everyone below 20 JP in its scope: keep few.
    const MAX: usize = 64;
}
