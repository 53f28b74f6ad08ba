//! TPP (docs/domain.md#tpp): the regency's rules as versions (`GET|PUT /api/v1/tpp/rules`),
//! and a month's TPP per ASN with every cut explained (`GET /api/v1/tpp?month=`), per unit
//! totals and the payroll export. A month is computed with the rule version in force at its
//! end (the newest made by then); importing its attendance also records that version in
//! `tpp_months` (`imports::attendance`). A later rule change makes a new version and leaves
//! past months as they were.

use std::sync::Arc;
use std::time::Duration;

use cakap_domain::tpp::{self, Attendance, Rules};
use cakap_domain::{Predikat, Role};
use cakap_store::tpp as store;
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::change::Change;
use crate::exports::Table;
use crate::{Actor, Db, ServiceError, ServiceResult};

const READERS: &[Role] = &[Role::Admin, Role::Auditor, Role::Pimpinan];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulesOut {
    /// Null while the regency has not set its rules (`rules` is then a proposal).
    pub version: Option<i64>,
    #[schema(value_type = Object)]
    pub rules: Rules,
    pub created_by: Option<String>,
    pub created_at: Option<i64>,
    /// Every version, newest first: (version, created_by, created_at).
    pub versions: Vec<(i64, String, i64)>,
}

fn parse_rules(row: &store::RuleRow) -> ServiceResult<Rules> {
    serde_json::from_str(&row.body)
        .map_err(|e| ServiceError::Internal(format!("tpp rules v{}: {e}", row.version)))
}

/// The rules in force (`admin`, `auditor`, `pimpinan`).
pub async fn rules(db: &Db, actor: &Actor) -> ServiceResult<RulesOut> {
    actor.require_any(READERS)?;
    let mut c = db.conn().await?;
    let latest = store::latest_rules(&mut c, actor.tenant_id).await?;
    let versions = store::versions(&mut c, actor.tenant_id).await?;
    Ok(match latest.as_ref() {
        Some(r) => RulesOut {
            version: Some(r.version),
            rules: parse_rules(r)?,
            created_by: Some(r.created_by.clone()),
            created_at: Some(r.created_at),
            versions,
        },
        None => RulesOut {
            version: None,
            rules: Rules::default(),
            created_by: None,
            created_at: None,
            versions,
        },
    })
}

/// Sets the rules (`admin`): a new version when they differ from the one in force.
pub async fn set_rules(db: &Db, actor: &Actor, rules: &Rules) -> ServiceResult<RulesOut> {
    actor.require_any(&[Role::Admin])?;
    rules
        .check()
        .map_err(|e| ServiceError::invalid(e.field, e.key))?;
    let mut c = Change::begin(db, actor).await?;
    // Two saves at once on PostgreSQL: the second waits and numbers after the first.
    c.lock(cakap_store::LockSpace::TppRules, actor.tenant_id)
        .await?;
    let current = match store::latest_rules(&mut c, actor.tenant_id).await? {
        Some(r) => Some(parse_rules(&r)?),
        None => None,
    };
    if current.as_ref() == Some(rules) {
        drop(c);
        return self::rules(db, actor).await;
    }
    let body = serde_json::to_string(rules)
        .map_err(|e| ServiceError::Internal(format!("tpp rules: {e}")))?;
    let version = store::insert_rules(&mut c, actor.tenant_id, &body, &actor.username).await?;
    c.record(
        "create",
        "tpp_rules",
        &version.to_string(),
        current.as_ref(),
        Some(rules),
    )
    .await?;
    c.finish(&[Topic::Tpp]).await?;
    self::rules(db, actor).await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Item {
    pub nip: String,
    pub name: String,
    pub unit: String,
    pub unit_name: String,
    pub position: Option<String>,
    pub kelas: Option<i64>,
    pub basic: i64,
    /// `sangat_baik` … `sangat_kurang` used for the month; null without one.
    pub predikat: Option<String>,
    pub kinerja_pct: f64,
    pub disiplin_cut_pct: f64,
    pub amount: i64,
    /// Every step of the computation, in words.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitTotal {
    pub unit: String,
    pub name: String,
    pub people: i64,
    pub basic: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Month {
    pub month: String,
    /// The rule version used (the one in force at the month's end); `fixed` once the month's
    /// attendance was imported and that version recorded.
    pub version: i64,
    pub fixed: bool,
    /// ASN whose attendance for the month is imported.
    pub with_attendance: i64,
    pub items: Vec<Item>,
    pub units: Vec<UnitTotal>,
    pub total: i64,
}

/// `YYYY-MM` → (month, first day, last day, year).
pub fn parse_month(s: &str) -> ServiceResult<(String, String, String, i64)> {
    let bad = || ServiceError::invalid("month", "tpp.month_invalid");
    let s = s.trim();
    let first =
        chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    // Exactly `YYYY-MM` (chrono also reads `+2026-1`): one spelling per month, or imports and
    // caches would hold two of the same month.
    if first.format("%Y-%m").to_string() != s {
        return Err(bad());
    }
    let year = i64::from(chrono::Datelike::year(&first));
    crate::validate::year(year).map_err(|_| bad())?;
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(bad)?;
    let last = next.pred_opt().ok_or_else(bad)?;
    Ok((s.to_string(), first.to_string(), last.to_string(), year))
}

struct Months;

impl cache::Spec for Months {
    type Key = (String, String);
    type Value = Arc<Month>;
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Standards,
        Topic::Performance,
        Topic::Tpp,
    ];
    const TTL: Duration = Duration::from_secs(600);
    // Each holds every ASN of its scope with their reasons (~2 MB for 5,000): keep few.
    const MAX: usize = 12;
}

/// A month's TPP over a subtree (`admin`, `auditor`, `pimpinan` over their own unit).
pub async fn month(
    db: &Db,
    actor: &Actor,
    month: &str,
    unit: Option<&str>,
) -> ServiceResult<Arc<Month>> {
    actor.require_any(READERS)?;
    let (month, first, last, year) = parse_month(month)?;
    let scope = crate::units::scope(db, actor, unit).await?;
    // The answer depends on the subtree only (not on how the unit was spelled).
    let key = (scope.clone(), month.clone());
    cache::of::<Months>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            let mut c = db.conn().await?;
            let fixed = store::month_version(&mut c, actor.tenant_id, &month).await?;
            let row = match fixed {
                Some(v) => store::rules_version(&mut c, actor.tenant_id, v).await?,
                None => store::rules_in_force(&mut c, actor.tenant_id, month_end_ms(&last)).await?,
            }
            .ok_or_else(|| ServiceError::invalid("month", "tpp.no_rules"))?;
            let rules = parse_rules(&row)?;
            let people =
                store::people(&mut c, actor.tenant_id, &scope, &month, &first, &last, year).await?;
            drop(c);
            Ok(Arc::new(compute(
                &rules,
                row.version,
                fixed.is_some(),
                &month,
                people,
            )))
        })
        .await
}

/// The end of a month's last day (WIB), in ms: rules made by then are in force for it.
pub fn month_end_ms(last: &str) -> i64 {
    chrono::NaiveDate::parse_from_str(last, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_milli_opt(23, 59, 59, 999))
        .map_or(i64::MAX, |t| {
            (t - chrono::Duration::hours(7))
                .and_utc()
                .timestamp_millis()
        })
}

fn compute(
    rules: &Rules,
    version: i64,
    fixed: bool,
    month: &str,
    people: Vec<store::Person>,
) -> Month {
    let mut items = Vec::with_capacity(people.len());
    let mut units: Vec<UnitTotal> = Vec::new();
    let mut with_attendance = 0;
    for p in people {
        let predikat: Option<Predikat> = p
            .predikat_month
            .as_deref()
            .or(p.predikat_year.as_deref())
            .and_then(|s| s.parse().ok());
        let attendance = p.late_1.map(|l1| Attendance {
            late: [
                l1,
                p.late_2.unwrap_or(0),
                p.late_3.unwrap_or(0),
                p.late_4.unwrap_or(0),
            ],
            absent: p.absent.unwrap_or(0),
        });
        with_attendance += i64::from(attendance.is_some());
        let kelas = p.kelas.and_then(|k| u8::try_from(k).ok());
        let line = tpp::compute(rules, kelas, predikat, attendance.as_ref());
        match units.last_mut() {
            Some(u) if u.unit == p.unit_code => {
                u.people += 1;
                u.basic += line.basic;
                u.amount += line.amount;
            }
            _ => units.push(UnitTotal {
                unit: p.unit_code.clone(),
                name: p.unit_name.clone(),
                people: 1,
                basic: line.basic,
                amount: line.amount,
            }),
        }
        items.push(Item {
            nip: p.nip,
            name: p.name,
            unit: p.unit_code,
            unit_name: p.unit_name,
            position: p.position_name,
            kelas: p.kelas,
            basic: line.basic,
            predikat: predikat.map(|x| x.as_str().to_string()),
            kinerja_pct: line.kinerja_pct,
            disiplin_cut_pct: line.disiplin_cut_pct,
            amount: line.amount,
            reasons: line.reasons,
        });
    }
    Month {
        month: month.to_string(),
        version,
        fixed,
        with_attendance,
        total: items.iter().map(|i| i.amount).sum(),
        items,
        units,
    }
}

/// The month for the payroll: one row per ASN with the amounts and the reasons.
pub fn payroll(m: &Month) -> Table {
    Table {
        headers: vec![
            "nip",
            "nama",
            "unit",
            "jabatan",
            "kelas_jabatan",
            "tpp_dasar",
            "predikat",
            "persen_kinerja",
            "potongan_disiplin_persen",
            "tpp_dibayar",
            "rincian",
        ],
        rows: m
            .items
            .iter()
            .map(|i| {
                vec![
                    i.nip.clone(),
                    i.name.clone(),
                    i.unit_name.clone(),
                    i.position.clone().unwrap_or_default(),
                    i.kelas.map(|k| k.to_string()).unwrap_or_default(),
                    i.basic.to_string(),
                    i.predikat
                        .as_deref()
                        .and_then(|p| p.parse::<Predikat>().ok())
                        .map(|p| p.label().to_string())
                        .unwrap_or_default(),
                    format!("{:.2}", i.kinerja_pct),
                    format!("{:.2}", i.disiplin_cut_pct),
                    i.amount.to_string(),
                    i.reasons.join("; "),
                ]
            })
            .collect(),
    }
}
