//! Service and competency side by side (`GET /api/v1/service-quality/units/{code}`): a unit's
//! IKM, mutu and complaints per year beside its staff's JP and share reaching 20 JP, with the
//! JPM of the current year; across units, how IKM and JPM move together — shown only with
//! enough units (docs/domain.md#service-quality). It describes, it does not explain.

use std::sync::Arc;
use std::time::Duration;

use cakap_domain::skm::{self, MIN_PAIRS};
use serde::Serialize;
use utoipa::ToSchema;

use super::complaints;
use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceResult};

/// How many years back the series goes.
pub const YEARS: i64 = 3;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodLine {
    pub period: String,
    pub ikm: Option<f64>,
    pub mutu: Option<&'static str>,
    pub respondents: i64,
    /// Complaints received in the period, those of them open and late today, and those that
    /// missed a deadline at any point (closed late included).
    pub complaints: i64,
    pub overdue: i64,
    pub late: i64,
    /// The unit's Job-Person Match average — known for the current year only (assessments
    /// are not kept as of a date).
    pub jpm_avg: Option<f64>,
    pub jp_avg: Option<f64>,
    /// Percent of the unit's ASN with ≥ 20 JP in the year.
    pub share_20jp: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Correlation {
    /// Pearson's r between units' IKM and JPM this year; null below the minimum of units.
    pub ikm_jpm: Option<f64>,
    /// Units with both values.
    pub n: usize,
    pub enough: bool,
    /// (unit, IKM, JPM) for the scatter.
    pub points: Vec<(String, f64, f64)>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitSeries {
    pub unit: String,
    pub unit_name: String,
    pub periods: Vec<PeriodLine>,
    /// The staff's levels in the public-service competencies (those the survey's unsur 6 and
    /// 7 speak to), now: required and actual averages over the unit's ASN.
    pub service_competencies: Vec<crate::gaps::CompetencyGap>,
    pub correlation: Correlation,
}

pub async fn unit(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Arc<UnitSeries>> {
    let u = super::readable_unit(db, actor, code).await?;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    // The unit's path is in the key: a fill never stores a unit read before it moved.
    let key = (
        actor.unit_scope(),
        format!("{}\u{0}{}", u.code, u.path),
        today,
    );
    cache::of::<Series>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            Ok(Arc::new(series(db, actor, u).await?))
        })
        .await
}

/// A unit's series per (reader's scope, unit, day — overdue moves with the date), computed
/// once per change: it reads three years of complaints, JP and the IKM of every unit.
struct Series;

impl cache::Spec for Series {
    type Key = (String, String, String);
    type Value = Arc<UnitSeries>;
    const TOPICS: &'static [Topic] = &[
        Topic::Service,
        Topic::People,
        Topic::Units,
        Topic::Learning,
        Topic::Standards,
        Topic::Competencies,
        Topic::Assessments,
    ];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 256;
    // An aggregate many read at once: while one reader fills it after a change, the
    // others are given the answer from before it (cache::Spec::STALE).
    const STALE: bool = true;
}

async fn series(
    db: &Db,
    actor: &Actor,
    u: cakap_store::service_quality::PublicUnit,
) -> ServiceResult<UnitSeries> {
    let year = crate::performance::current_year();
    let first = format!("{}-01-01", year - YEARS + 1);
    let all = complaints::of_unit_between(db, actor, &u.path, &first, "9999-12-31").await?;
    let mut periods = Vec::new();
    for y in (year - YEARS + 1)..=year {
        let p = y.to_string();
        let ikm = super::table(db, actor, &p)
            .await?
            .iter()
            .find(|r| r.unit == u.code)
            .cloned();
        let in_year: Vec<_> = all
            .iter()
            .filter(|c| c.received_on.starts_with(&p))
            .collect();
        let jp = crate::learning::jp::summary(db, actor, Some(&u.code), y).await?;
        let jpm = if y == year {
            crate::gaps::unit(db, actor, Some(&u.code)).await?.jpm_avg
        } else {
            None
        };
        periods.push(PeriodLine {
            ikm: ikm.as_ref().and_then(|r| r.ikm),
            mutu: ikm.as_ref().and_then(|r| r.mutu),
            respondents: ikm.as_ref().map_or(0, |r| r.respondents),
            complaints: in_year.len() as i64,
            overdue: in_year.iter().filter(|c| c.overdue).count() as i64,
            late: in_year.iter().filter(|c| c.late).count() as i64,
            jpm_avg: jpm.map(skm::round2),
            jp_avg: (jp.employees > 0)
                .then(|| skm::round2(jp.jp_total as f64 / jp.employees as f64)),
            share_20jp: (jp.employees > 0).then_some(jp.share),
            period: p,
        });
    }
    let correlation = across_units(db, actor, year).await?;
    let service_competencies = crate::gaps::unit(db, actor, Some(&u.code))
        .await?
        .competencies
        .iter()
        .filter(|g| skm::public_service_competency(&g.name))
        .cloned()
        .collect();
    Ok(UnitSeries {
        unit: u.code,
        unit_name: u.name,
        periods,
        service_competencies,
        correlation,
    })
}

/// IKM against JPM over the units serving the public in the reader's scope, this year.
async fn across_units(db: &Db, actor: &Actor, year: i64) -> ServiceResult<Correlation> {
    let table = super::table(db, actor, &year.to_string()).await?;
    let mut points = Vec::new();
    for r in table.iter() {
        let Some(ikm) = r.ikm else { continue };
        if let Some(jpm) = crate::gaps::unit(db, actor, Some(&r.unit)).await?.jpm_avg {
            points.push((r.unit_name.clone(), ikm, skm::round2(jpm)));
        }
    }
    let pairs: Vec<(f64, f64)> = points.iter().map(|p| (p.1, p.2)).collect();
    Ok(Correlation {
        ikm_jpm: skm::correlation(&pairs),
        n: pairs.len(),
        enough: pairs.len() >= MIN_PAIRS,
        points,
    })
}
