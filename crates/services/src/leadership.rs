//! The leadership view (`/dashboard`, `GET /api/v1/dashboard`): where a scope stands in one
//! page — JPM and its trend, the share reaching 20 JP, the talent map's shape, crisis
//! readiness, IKM, regulation compliance, equity's worst gaps and the training budget. Every
//! number comes from the cached aggregate of its own page, and the whole view is kept per
//! (scope, unit, year) until a change: opening it reads nothing.

use std::sync::Arc;
use std::time::Duration;

use cakap_domain::Role;
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::equity::{Gap, Gini};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Years of the trends, the asked year last.
pub const TREND_YEARS: i64 = 3;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearValue {
    pub year: i64,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitMove {
    pub unit: String,
    pub name: String,
    /// Percent reaching 20 JP in the year and the year before.
    pub share: f64,
    pub previous: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HazardLine {
    pub hazard: String,
    /// Mean readiness (0–100) over the exposed kecamatan, one decimal.
    pub readiness: Option<f64>,
    /// The least ready kecamatan and its readiness.
    pub weakest: Option<(String, f64)>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignLine {
    pub id: i64,
    /// "Perbup No. 7 Tahun 2026".
    pub title: String,
    pub judul: String,
    pub due_on: String,
    pub targeted: i64,
    pub acknowledged: i64,
    /// Percent acknowledged, one decimal.
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Budget {
    /// The approved training plan of the year: its budget and its planned cost (rupiah).
    pub plan_id: Option<i64>,
    pub planned_budget: Option<i64>,
    pub planned_cost: Option<i64>,
    /// Spent in the scope: class places taken in classes of the year.
    pub spent: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dashboard {
    pub year: i64,
    pub unit: Option<String>,
    pub people: i64,
    /// Job-Person Match average on the year's last day (today for this year), and on 31
    /// December of the years before.
    pub jpm: Option<f64>,
    pub jpm_trend: Vec<YearValue>,
    /// JPM categories (`optimal`, `cukup`, `kurang`) → people, now.
    pub jpm_categories: Vec<(String, i64)>,
    pub share_20jp: f64,
    pub share_20jp_trend: Vec<YearValue>,
    pub jp_avg: f64,
    /// The talent map's shape: people per box `1`–`9`, for `talent_year` (the asked year, or
    /// the one before when the asked year has no final ratings yet).
    pub talent_year: i64,
    pub talent: Vec<(String, i64)>,
    pub readiness: Vec<HazardLine>,
    /// Mean IKM of the units serving the public that have respondents in the year, and how many.
    pub ikm: Option<f64>,
    pub ikm_units: i64,
    /// The lowest of them.
    pub ikm_lowest: Option<(String, f64)>,
    pub campaigns: Vec<CampaignLine>,
    pub gini: Gini,
    pub worst: Vec<Gap>,
    pub budget: Budget,
    /// The unit furthest behind in reaching 20 JP, and the one that improved most since the
    /// year before.
    pub behind: Option<UnitMove>,
    pub improving: Option<UnitMove>,
}

struct Dashboards;

impl cache::Spec for Dashboards {
    type Key = (String, i64, bool);
    type Value = Arc<Dashboard>;
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Standards,
        Topic::Competencies,
        Topic::Assessments,
        Topic::Performance,
        Topic::Learning,
        Topic::Service,
        Topic::Regulations,
        Topic::Readiness,
        // It shows equity's worst gaps, whose JPM comes from the stored standings.
        Topic::Standings,
    ];
    const TTL: Duration = Duration::from_secs(300);
    const MAX: usize = 64;
    // An aggregate many read at once: while one reader fills it after a change, the
    // others are given the answer from before it (cache::Spec::STALE).
    const STALE: bool = true;
}

/// The leadership view of a subtree (`admin`, `auditor`, `pimpinan` over their own unit).
pub async fn dashboard(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    year: i64,
) -> ServiceResult<Arc<Dashboard>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let year = crate::validate::year(year)?;
    let unit = unit.map(str::trim).filter(|u| !u.is_empty());
    let scope = crate::units::scope(db, actor, unit).await?;
    // The regency's budget is BKPSDM's and the auditor's to see, not a head of agency's.
    let sees_budget = matches!(actor.role, Role::Admin | Role::Auditor);
    let key = (
        format!("{scope}\u{0}{}", unit.unwrap_or("")),
        year,
        sees_budget,
    );
    // Kept: a change refreshes it in the background for the next reader.
    let (reader, unit) = (actor.clone(), unit.map(str::to_string));
    cache::of::<Dashboards>(db)
        .get_or_fill_kept(db, actor.tenant_id, &key, move |db| {
            let (actor, unit, scope) = (reader.clone(), unit.clone(), scope.clone());
            async move {
                let d = build(&db, &actor, unit.as_deref(), &scope, year, sees_budget).await?;
                Ok(Arc::new(d))
            }
        })
        .await
}

async fn build(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    scope: &str,
    year: i64,
    sees_budget: bool,
) -> ServiceResult<Dashboard> {
    let equity = crate::equity::report(db, actor, unit, year).await?;
    // The year's JPM on its last day (today for this year).
    let gaps =
        crate::gaps::unit_on(db, actor, unit, crate::validate::year_end_or_today(year)).await?;
    let first = (year - TREND_YEARS + 1).max(2000);

    let mut jpm_trend = Vec::new();
    let mut share_trend = Vec::new();
    let mut summaries = Vec::new();
    for y in first..=year {
        let jpm = if y == year {
            gaps.jpm_avg
        } else {
            let end = chrono::NaiveDate::from_ymd_opt(y as i32, 12, 31)
                .ok_or_else(|| ServiceError::invalid("year", "learning.year_range"))?;
            crate::gaps::jpm_on(db, actor, unit, end).await?
        };
        jpm_trend.push(YearValue {
            year: y,
            value: jpm.map(round2),
        });
        let s = crate::learning::jp::summary(db, actor, unit, y).await?;
        share_trend.push(YearValue {
            year: y,
            value: (s.employees > 0).then_some(s.share),
        });
        summaries.push(s);
    }
    let (behind, improving) = unit_moves(&summaries);

    // The talent map of the year, or of the year before while this year's ratings are open.
    let mut talent_year = year;
    let mut map = crate::talent::ninebox(db, actor, unit, year).await?;
    if map.boxes.values().all(Vec::is_empty) && year > 2000 {
        talent_year = year - 1;
        map = crate::talent::ninebox(db, actor, unit, talent_year).await?;
    }
    let talent = map
        .boxes
        .iter()
        .map(|(b, people)| (b.clone(), people.len() as i64))
        .collect();

    let board = crate::readiness::board(db, actor.tenant_id).await?;
    let readiness = board
        .hazards
        .iter()
        .map(|h| {
            let known: Vec<(&str, f64)> = h
                .kecamatan
                .iter()
                .filter_map(|k| Some((k.name.as_str(), k.readiness?)))
                .collect();
            HazardLine {
                hazard: h.hazard.clone(),
                readiness: (!known.is_empty())
                    .then(|| round1(known.iter().map(|k| k.1).sum::<f64>() / known.len() as f64)),
                weakest: known
                    .iter()
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(n, r)| (n.to_string(), *r)),
            }
        })
        .collect();

    let table = crate::service_quality::table(db, actor, &year.to_string()).await?;
    let tree = crate::units::tree(db, actor.tenant_id).await?;
    let in_subtree = |code: &str| {
        tree.iter()
            .any(|u| u.code == code && u.path.starts_with(scope))
    };
    let in_scope: Vec<(&str, f64)> = table
        .iter()
        .filter(|r| in_subtree(&r.unit))
        .filter_map(|r| Some((r.unit_name.as_str(), r.ikm?)))
        .collect();
    let ikm = (!in_scope.is_empty())
        .then(|| round2(in_scope.iter().map(|r| r.1).sum::<f64>() / in_scope.len() as f64));
    let ikm_lowest = in_scope
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(n, v)| (n.to_string(), *v));

    let mut campaigns = Vec::new();
    for k in crate::regulations::campaigns::recent(db, actor)
        .await?
        .iter()
        .take(3)
    {
        match crate::regulations::campaigns::get_in(db, actor, k.id, scope).await {
            Ok((c, _)) => campaigns.push(CampaignLine {
                id: c.id,
                title: c.regulation_label.clone(),
                judul: c.judul,
                due_on: c.due_on,
                share: cakap_domain::learning::share(c.acknowledged, c.targeted),
                targeted: c.targeted,
                acknowledged: c.acknowledged,
            }),
            // Nobody under the scope is targeted by it.
            Err(ServiceError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }

    let plan = if sees_budget {
        crate::plans::optimize::list(db, actor, Some(year))
            .await?
            .into_iter()
            .find(|p| p.status == "approved")
    } else {
        None
    };

    Ok(Dashboard {
        year,
        unit: unit.map(str::to_string),
        people: equity.all.people,
        jpm: gaps.jpm_avg.map(round2),
        jpm_trend,
        jpm_categories: gaps
            .categories
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        share_20jp: equity.all.share_20jp,
        share_20jp_trend: share_trend,
        jp_avg: equity.all.jp_avg,
        talent_year,
        talent,
        readiness,
        ikm,
        ikm_units: in_scope.len() as i64,
        ikm_lowest,
        campaigns,
        gini: equity.gini,
        worst: equity.worst.iter().take(3).cloned().collect(),
        budget: Budget {
            plan_id: plan.as_ref().map(|p| p.id),
            planned_budget: plan.as_ref().map(|p| p.budget),
            planned_cost: plan.as_ref().map(|p| p.total_cost),
            spent: equity.spend_total,
        },
        behind,
        improving,
    })
}

/// The unit with the lowest share reaching 20 JP in the last year of `summaries`, and the one
/// whose share rose most since the year before (none when no unit rose).
fn unit_moves(
    summaries: &[Arc<crate::learning::jp::JpSummary>],
) -> (Option<UnitMove>, Option<UnitMove>) {
    let Some(now) = summaries.last() else {
        return (None, None);
    };
    let before = summaries.len().checked_sub(2).map(|i| &summaries[i]);
    // A unit of a handful of people moves by one person: not a story (equity's MIN_GROUP).
    let moves: Vec<UnitMove> = now
        .units
        .iter()
        .filter(|u| u.employees >= crate::equity::MIN_GROUP)
        .map(|u| UnitMove {
            unit: u.code.clone(),
            name: u.name.clone(),
            share: u.share,
            previous: before.and_then(|b| {
                b.units
                    .iter()
                    .find(|p| p.code == u.code && p.employees >= crate::equity::MIN_GROUP)
                    .map(|p| p.share)
            }),
        })
        .collect();
    let behind = moves
        .iter()
        .min_by(|a, b| a.share.total_cmp(&b.share))
        .cloned();
    let improving = moves
        .iter()
        .filter(|m| m.previous.is_some_and(|p| m.share > p))
        .max_by(|a, b| {
            (a.share - a.previous.unwrap_or(0.0)).total_cmp(&(b.share - b.previous.unwrap_or(0.0)))
        })
        .cloned();
    (behind, improving)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::jp::{JpSummary, UnitJp};

    fn summary(year: i64, units: &[(&str, i64, f64)]) -> Arc<JpSummary> {
        Arc::new(JpSummary {
            year,
            unit: None,
            employees: units.iter().map(|u| u.1).sum(),
            met: 0,
            share: 0.0,
            jp_total: 0,
            units: units
                .iter()
                .map(|(code, employees, share)| UnitJp {
                    code: code.to_string(),
                    name: code.to_string(),
                    employees: *employees,
                    met: 0,
                    share: *share,
                    jp_avg: 0.0,
                })
                .collect(),
            not_met: Vec::new(),
        })
    }

    #[test]
    fn the_unit_behind_and_the_one_improving() {
        let before = summary(2025, &[("A", 20, 10.0), ("B", 20, 50.0), ("C", 5, 0.0)]);
        let now = summary(2026, &[("A", 20, 40.0), ("B", 20, 35.0), ("C", 5, 0.0)]);
        let (behind, improving) = unit_moves(&[before, now.clone()]);
        // C is lowest but has 5 people: a move of one person is not a story.
        assert_eq!(behind.map(|m| m.unit), Some("B".to_string()));
        let up = improving.expect("A rose");
        assert_eq!(
            (up.unit.as_str(), up.previous, up.share),
            ("A", Some(10.0), 40.0)
        );
        // Nobody rose: no improving unit.
        let (_, none) = unit_moves(&[now.clone(), now]);
        assert!(none.is_none());
    }
}
