//! The national view (docs/national.md): every regional government's JPM, 20-JP share and
//! IKM, per province and per government, for the national super-tenant (BKN-like, read-only).
//! A job pre-aggregates each government's figures of a year into `national_figures` (hourly
//! in the server, and `cakap national refresh`); the view reads those ~550 rows, never the
//! 4.7 million ASN behind them.

use cakap_domain::learning::share;
use cakap_domain::skm::round2;
use cakap_domain::{Role, regions};
use cakap_store::national as store;
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache;
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Every government's figures of a year as the national view reads them (~550 rows with their
/// tenants' codes): written only by the refresh, which clears them, so every reader shares one
/// copy per year (the read was most of the page's 11 ms at national scale). Kept under tenant
/// 0: they are the country's. Another server sees a refresh within the time to live.
struct Figures;

/// The cache's tenant: none in particular.
const COUNTRY: i64 = 0;

impl cache::Spec for Figures {
    type Key = i64;
    type Value = std::sync::Arc<Vec<store::FiguresRow>>;
    const TOPICS: &'static [cache::Topic] = &[cache::Topic::National];
    const TTL: std::time::Duration = std::time::Duration::from_secs(300);
    const MAX: usize = 16;
}

/// The hourly refresh's job kind (tenant 0: it covers every government).
pub const JOB: &str = "national_figures";

/// When a government's stored JPM are computed before its figures are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jpm {
    /// Read as stored (a year never computed has none yet).
    AsStored,
    /// Computed if the year never was (the gap engine over the government).
    IfMissing,
    /// Computed again whatever is stored (`cakap national refresh --recompute`).
    Recompute,
}

/// Brings one government's figures of `year` up to date: its 20-JP count, its IKM (the mean
/// of its units' IKM, as the leadership dashboard counts it) and its JPM as stored. Stored JPM
/// are refreshed by the government's own changes (docs/architecture.md#standings); here they
/// are computed as `jpm` says.
pub async fn refresh_government(
    db: &Db,
    tenant: i64,
    year: i64,
    jpm: Jpm,
) -> ServiceResult<store::Figures> {
    check_year(year)?;
    let computed = {
        let mut c = db.conn().await?;
        cakap_store::standings::state(&mut c, tenant, year)
            .await?
            .is_some()
    };
    if jpm == Jpm::Recompute || (jpm == Jpm::IfMissing && !computed) {
        crate::standings::refresh(db, tenant, year).await?;
    }
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let (people, jp20_people, (jpm_people, jpm_sum)) = {
        let mut c = db.conn().await?;
        let target = cakap_domain::learning::JP_TARGET;
        let (people, jp20) = store::jp_counts(&mut c, tenant, "", (&from, &to), target).await?;
        (people, jp20, store::jpm_sums(&mut c, tenant, year).await?)
    };
    let year32 = i32::try_from(year).unwrap_or_default();
    let ikms = crate::service_quality::unit_ikms(db, tenant, year32).await?;
    let figures = store::Figures {
        tenant_id: tenant,
        year,
        people,
        jpm_people,
        jpm_sum,
        jp20_people,
        ikm: mean(&ikms),
        ikm_units: ikms.len() as i64,
        computed_at: cakap_store::now_ms(),
    };
    let mut c = db.conn().await?;
    store::upsert(&mut c, &figures).await?;
    cache::changed(db, COUNTRY, &[cache::Topic::National]);
    Ok(figures)
}

/// Refreshes every regional government's figures of `year`; `progress(done, total)` after
/// each. Stored JPM are computed as `jpm` says while the run is younger than `budget` (then
/// read as stored: the rest wait for the next run). A government that fails is logged and
/// skipped (its previous figures stay), so one cannot hold the country back; yields
/// (refreshed, failed).
pub async fn refresh(
    db: &Db,
    year: i64,
    jpm: Jpm,
    budget: Option<std::time::Duration>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> ServiceResult<(usize, usize)> {
    check_year(year)?;
    let governments = {
        let mut c = db.conn().await?;
        cakap_store::tenants::regional(&mut c).await?
    };
    let started = std::time::Instant::now();
    let mut failed = 0;
    for (i, g) in governments.iter().enumerate() {
        let within = budget.is_none_or(|b| started.elapsed() < b);
        let jpm = if within { jpm } else { Jpm::AsStored };
        if let Err(e) = refresh_government(db, g.id, year, jpm).await {
            tracing::warn!(government = %g.code, error = %e, "national figures not refreshed");
            failed += 1;
        }
        progress(i + 1, governments.len());
    }
    Ok((governments.len() - failed, failed))
}

/// How long the hourly job may spend computing JPM never computed (on 1 January every
/// government's; the rest wait for the next hour), so that a run stays well within the job's
/// 5-minute lease: counting the whole country takes ~20 s on top.
const JOB_JPM_BUDGET: std::time::Duration = std::time::Duration::from_secs(90);

/// The hourly job: this year's figures of every government, where a national super-tenant
/// exists (a regency's own server skips it). Stored JPM are read as they are; a year's JPM
/// never computed are computed within [`JOB_JPM_BUDGET`].
pub async fn run_job(db: &Db) -> ServiceResult<()> {
    let national = {
        let mut c = db.conn().await?;
        store::has_national(&mut c).await?
    };
    if national {
        let started = std::time::Instant::now();
        let (done, failed) = refresh(
            db,
            this_year(),
            Jpm::IfMissing,
            Some(JOB_JPM_BUDGET),
            &|_, _| {},
        )
        .await?;
        tracing::info!(
            governments = done,
            failed,
            took_ms = started.elapsed().as_millis() as u64,
            "national figures"
        );
    }
    Ok(())
}

/// Schedules the next hourly refresh after `after` (Unix ms), on the hour, once whatever
/// server asks.
pub async fn schedule(c: &mut cakap_store::Conn, after: i64) -> ServiceResult<()> {
    const HOUR: i64 = 3_600_000;
    let at = (after / HOUR + 1) * HOUR;
    cakap_store::notifications::schedule(c, 0, JOB, 0, at).await?;
    Ok(())
}

/// This year in WIB (the national view's default year, the latest it accepts).
pub fn this_year() -> i64 {
    i64::from(chrono::Datelike::year(&crate::wib::today()))
}

fn check_year(year: i64) -> ServiceResult<()> {
    if (2000..=this_year()).contains(&year) {
        Ok(())
    } else {
        Err(ServiceError::invalid("year", "national.bad_year"))
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| round2(values.iter().sum::<f64>() / values.len() as f64))
}

/// One line of the view: a province (its governments together) or one government.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Line {
    pub code: String,
    pub name: String,
    /// Governments counted in this line (1 for a government).
    pub governments: usize,
    /// Active ASN.
    pub people: i64,
    /// Mean JPM of the ASN with one (a position with a standard), 2 decimals.
    pub jpm: Option<f64>,
    /// Share of the active ASN with at least 20 JP in the year, percent with 1 decimal.
    pub share_20jp: f64,
    /// Mean IKM of the governments (or units, for one government) that have one.
    pub ikm: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProvinceRef {
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct National {
    pub year: i64,
    /// The province shown (its governments as lines), or none (provinces as lines).
    pub province: Option<ProvinceRef>,
    /// Every line together.
    pub total: Line,
    pub lines: Vec<Line>,
    /// When the oldest figure shown was computed (Unix ms); none when nothing is computed yet.
    pub computed_at: Option<i64>,
}

/// Sums of governments' figures, to make a line of.
#[derive(Default)]
struct Sums {
    governments: usize,
    people: i64,
    jpm_people: i64,
    jpm_sum: f64,
    jp20: i64,
    ikms: Vec<f64>,
}

impl Sums {
    fn add(&mut self, f: &store::Figures) {
        self.governments += 1;
        self.people += f.people;
        self.jpm_people += f.jpm_people;
        self.jpm_sum += f.jpm_sum;
        self.jp20 += f.jp20_people;
        self.ikms.extend(f.ikm);
    }

    fn line(&self, code: &str, name: &str) -> Line {
        Line {
            code: code.to_string(),
            name: name.to_string(),
            governments: self.governments,
            people: self.people,
            jpm: (self.jpm_people > 0).then(|| round2(self.jpm_sum / self.jpm_people as f64)),
            share_20jp: share(self.jp20, self.people),
            ikm: mean(&self.ikms),
        }
    }
}

/// Whether a government is in `province` (any known province when none).
fn in_province(r: &store::FiguresRow, province: Option<&regions::Province>) -> bool {
    regions::province_of(&r.code).is_some_and(|q| province.is_none_or(|p| p.code == q.code))
}

/// The national view of `year`: per province, or per government of `province` (its code).
/// Only the national super-tenant's admins and auditors see it; for anyone else it does not
/// exist.
pub async fn view(
    db: &Db,
    actor: &Actor,
    year: i64,
    province: Option<&str>,
) -> ServiceResult<National> {
    if !actor.national {
        return Err(ServiceError::NotFound);
    }
    actor.require_any(&[Role::Admin, Role::Auditor])?;
    check_year(year)?;
    let province = match province.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(code) => Some(
            regions::PROVINCES
                .iter()
                .find(|p| p.code == code)
                .ok_or(ServiceError::NotFound)?,
        ),
    };
    let rows = cache::of::<Figures>(db)
        .get_or_fill(COUNTRY, &year, || async {
            let mut c = db.conn().await?;
            Ok::<_, ServiceError>(std::sync::Arc::new(store::of_year(&mut c, year).await?))
        })
        .await?;
    let mut total = Sums::default();
    let mut lines = Vec::new();
    match province {
        Some(p) => {
            for r in rows.iter().filter(|r| in_province(r, Some(p))) {
                total.add(&r.figures);
                let mut one = Sums::default();
                one.add(&r.figures);
                // A government's IKM is the mean of its units' (stored as such).
                lines.push(one.line(&r.code, &r.name));
            }
        }
        None => {
            for p in &regions::PROVINCES {
                let mut sums = Sums::default();
                for r in rows.iter().filter(|r| in_province(r, Some(p))) {
                    sums.add(&r.figures);
                    total.add(&r.figures);
                }
                if sums.governments > 0 {
                    lines.push(sums.line(p.code, p.name));
                }
            }
        }
    }
    let computed_at = rows
        .iter()
        .filter(|r| in_province(r, province))
        .map(|r| r.figures.computed_at)
        .min();
    let (code, name) = province.map_or(("ID", "Indonesia"), |p| (p.code, p.name));
    Ok(National {
        year,
        province: province.map(|p| ProvinceRef {
            code: p.code,
            name: p.name,
        }),
        total: total.line(code, name),
        lines,
        computed_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(
        people: i64,
        jpm_people: i64,
        jpm_sum: f64,
        jp20: i64,
        ikm: Option<f64>,
    ) -> store::Figures {
        store::Figures {
            tenant_id: 1,
            year: 2026,
            people,
            jpm_people,
            jpm_sum,
            jp20_people: jp20,
            ikm,
            ikm_units: i64::from(ikm.is_some()),
            computed_at: 0,
        }
    }

    /// A province's JPM weighs each ASN once (not each government once), its 20-JP share
    /// counts people, its IKM is the mean of the governments that have one.
    #[test]
    fn lines_weigh_people_and_average_ikm_over_governments_with_one() {
        let mut s = Sums::default();
        s.add(&figures(1_000, 800, 800.0 * 90.0, 250, Some(80.0)));
        s.add(&figures(3_000, 2_000, 2_000.0 * 70.0, 600, None));
        s.add(&figures(500, 0, 0.0, 500, Some(90.0)));
        let line = s.line("11", "Aceh");
        assert_eq!(line.governments, 3);
        assert_eq!(line.people, 4_500);
        // (800 × 90 + 2,000 × 70) ÷ 2,800 = 75.714…
        assert_eq!(line.jpm, Some(75.71));
        // 1,350 of 4,500
        assert_eq!(line.share_20jp, 30.0);
        assert_eq!(line.ikm, Some(85.0));
        let empty = Sums::default().line("93", "Papua Selatan");
        assert_eq!((empty.jpm, empty.share_20jp, empty.ikm), (None, 0.0, None));
    }
}
