//! Recognition (DOMAIN §14; docs/domain.md#recognition): the Satyalancana Karya Satya list of a
//! year and the "ASN Berprestasi" nominations under the regency's rule, each with its reasons,
//! as tables (XLSX) and a draft nomination letter (PDF).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use cakap_domain::recognition::{self as rules, Candidate, NominationRule, Record, Satya};
use cakap_domain::{Nip, NipKind, Potensi, Predikat, Role, performance::nine_box};
use cakap_store::recognition as store;
use serde::Serialize;
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::exports::Table;
use crate::{Actor, Db, ServiceError, ServiceResult, validate, wib};

const READERS: &[Role] = &[Role::Admin, Role::Auditor, Role::Pimpinan];
const RULE: &str = "nomination";

/// Why someone is or is not on a list: a message key (`recognition.*`) and a detail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reason {
    pub code: &'static str,
    pub detail: String,
}

fn reason(code: &'static str, detail: impl Into<String>) -> Reason {
    Reason {
        code,
        detail: detail.into(),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SatyaItem {
    pub nip: String,
    pub name: String,
    pub unit: String,
    /// TMT CPNS from the NIP, `YYYY-MM`.
    pub tmt_cpns: String,
    pub years: i32,
    /// `X`, `XX` or `XXX`: the class the years reach.
    pub class: String,
    /// The years are exactly 10, 20 or 30 this year.
    pub milestone: bool,
    pub eligible: bool,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SatyaList {
    pub year: i64,
    /// The day years are counted to (17 August).
    pub counted_on: String,
    /// Those reaching 10, 20 or 30 years this year (with `all`, everyone with at least 10),
    /// eligible first.
    pub items: Vec<SatyaItem>,
    pub eligible: usize,
}

/// Both lists of a (scope, year), computed once per change: they read every employee of the
/// scope, the talent map's inputs and the year's points.
pub struct Lists {
    pub satyalancana: SatyaList,
    pub nominations: Nominations,
}

struct Cached;

impl crate::cache::Spec for Cached {
    type Key = (String, i64);
    type Value = Arc<Lists>;
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Performance,
        Topic::Learning,
        Topic::Recognition,
    ];
    const TTL: Duration = Duration::from_secs(300);
    const MAX: usize = 64;
}

/// The Satyalancana list and the nominations of `year` under a unit (or the reader's scope).
pub async fn lists(
    db: &Db,
    actor: &Actor,
    year: i64,
    unit: Option<&str>,
) -> ServiceResult<Arc<Lists>> {
    actor.require_any(READERS)?;
    let year = validate::year(year)?;
    let scope = crate::units::scope(db, actor, unit).await?;
    let tenant = actor.tenant_id;
    crate::cache::of::<Cached>(db)
        .get_or_fill(tenant, &(scope.clone(), year), || async move {
            Ok(Arc::new(Lists {
                satyalancana: satyalancana_of(db, tenant, &scope, year).await?,
                nominations: nominations_of(db, tenant, &scope, year).await?,
            }))
        })
        .await
}

/// The Satyalancana list: those reaching a class this year, or (`all`) everyone with ≥ 10 years.
pub async fn satyalancana(
    db: &Db,
    actor: &Actor,
    year: i64,
    unit: Option<&str>,
    all: bool,
) -> ServiceResult<SatyaList> {
    Ok(lists(db, actor, year, unit).await?.satyalancana.only(all))
}

pub async fn nominations(
    db: &Db,
    actor: &Actor,
    year: i64,
    unit: Option<&str>,
) -> ServiceResult<Nominations> {
    Ok(lists(db, actor, year, unit).await?.nominations.clone())
}

/// A unit as a letter to the Bupati needs it: "Sekretariat — Dinas Kesehatan" (a unit's own
/// name is often the same in every agency).
fn unit_labels(tree: &[cakap_store::units::UnitRow]) -> HashMap<String, String> {
    let names: HashMap<&str, &str> = tree
        .iter()
        .map(|u| (u.code.as_str(), u.name.as_str()))
        .collect();
    tree.iter()
        .map(|u| {
            let label = match u.parent_code.as_deref().and_then(|p| names.get(p)) {
                Some(parent) => format!("{} — {parent}", u.name),
                None => u.name.clone(),
            };
            (u.path.clone(), label)
        })
        .collect()
}

async fn satyalancana_of(db: &Db, tenant: i64, scope: &str, year: i64) -> ServiceResult<SatyaList> {
    let labels = unit_labels(&crate::units::tree(db, tenant).await?);
    let on = i32::try_from(year)
        .ok()
        .and_then(rules::counted_on)
        .ok_or(ServiceError::invalid("year", "learning.year_range"))?;
    let mut c = db.conn().await?;
    let people = store::people(&mut c, tenant, scope).await?;
    let records = records_by_employee(&mut c, tenant, &on.to_string()).await?;
    drop(c);
    let today = wib::today();
    let mut items = Vec::new();
    for p in people {
        let Ok(nip) = Nip::parse(&p.nip, today) else {
            continue;
        };
        let (tmt_year, tmt_month) = (nip.tmt_year(), nip.tmt_month().unwrap_or(1));
        let years = rules::service_years(tmt_year, tmt_month, on);
        let Some(class) = Satya::of(years) else {
            continue;
        };
        let mut reasons = Vec::new();
        if nip.kind() == NipKind::Pppk {
            reasons.push(reason("recognition.pppk", ""));
        }
        for (kind, start, _) in records.get(&p.employee_id).into_iter().flatten() {
            if kind.bars_satyalancana() {
                reasons.push(reason(record_code(*kind), start.clone()));
            }
        }
        let eligible = reasons.is_empty();
        items.push(SatyaItem {
            nip: p.nip,
            name: p.name,
            unit: labels.get(&p.unit_path).cloned().unwrap_or(p.unit_name),
            tmt_cpns: format!("{tmt_year}-{tmt_month:02}"),
            years,
            class: class.as_str().to_string(),
            milestone: [10, 20, 30].contains(&years),
            eligible,
            reasons,
        });
    }
    items.sort_by(|a, b| {
        b.eligible
            .cmp(&a.eligible)
            .then_with(|| b.years.cmp(&a.years))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(SatyaList {
        year,
        counted_on: on.to_string(),
        eligible: items.iter().filter(|i| i.eligible).count(),
        items,
    })
}

impl SatyaList {
    /// The list as asked: everyone (`all`), or those reaching 10, 20 or 30 years this year.
    pub fn only(&self, all: bool) -> SatyaList {
        let items: Vec<SatyaItem> = self
            .items
            .iter()
            .filter(|i| all || i.milestone)
            .cloned()
            .collect();
        SatyaList {
            year: self.year,
            counted_on: self.counted_on.clone(),
            eligible: items.iter().filter(|i| i.eligible).count(),
            items,
        }
    }
}

/// The day before the same date a year later (`2025-03-01` → `2026-02-28`).
fn a_year_after(start: &str) -> String {
    chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_months(chrono::Months::new(12)))
        .and_then(|d| d.pred_opt())
        .map_or_else(|| start.to_string(), |d| d.to_string())
}

fn record_code(r: Record) -> &'static str {
    match r {
        Record::Ringan => "recognition.record_ringan",
        Record::Sedang => "recognition.record_sedang",
        Record::Berat => "recognition.record_berat",
        Record::Cltn => "recognition.record_cltn",
    }
}

type Records = HashMap<i64, Vec<(Record, String, Option<String>)>>;

async fn records_by_employee(
    c: &mut cakap_store::Conn,
    tenant: i64,
    until: &str,
) -> ServiceResult<Records> {
    let mut out: Records = HashMap::new();
    for (employee, kind, start, end) in store::records(c, tenant, until).await? {
        if let Some(k) = Record::parse(&kind) {
            out.entry(employee).or_default().push((k, start, end));
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleOut {
    #[schema(value_type = Object)]
    pub rule: NominationRule,
    pub updated_by: Option<String>,
    pub updated_at: Option<i64>,
}

async fn load_rule(c: &mut cakap_store::Conn, tenant: i64) -> ServiceResult<RuleOut> {
    let (rule, updated_by, updated_at) = crate::points::load_setting(c, tenant, RULE).await?;
    Ok(RuleOut {
        rule,
        updated_by,
        updated_at,
    })
}

pub async fn rule(db: &Db, actor: &Actor) -> ServiceResult<RuleOut> {
    actor.require_any(READERS)?;
    let mut c = db.conn().await?;
    load_rule(&mut c, actor.tenant_id).await
}

/// Sets the nomination rule (`admin`); audited with before and after.
pub async fn set_rule(db: &Db, actor: &Actor, rule: &NominationRule) -> ServiceResult<RuleOut> {
    actor.require_admin()?;
    rule.check()
        .map_err(|(field, key)| ServiceError::invalid(field, key))?;
    crate::points::save_setting(db, actor, RULE, "nomination_rule", rule, Topic::Recognition)
        .await?;
    self::rule(db, actor).await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Nominee {
    pub nip: String,
    pub name: String,
    pub unit: String,
    /// The final annual predikat (`sangat_baik` …), null without one.
    pub predikat: Option<String>,
    pub nine_box: Option<u8>,
    pub jp: i64,
    pub sentenced: bool,
    pub nominated: bool,
    /// Every criterion of the rule and whether it is met: `[["predikat", true], …]`.
    #[schema(value_type = Vec<Object>)]
    pub criteria: Vec<(rules::Criterion, bool)>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Nominations {
    pub year: i64,
    #[schema(value_type = Object)]
    pub rule: NominationRule,
    /// The nominated, then those who miss one criterion only.
    pub items: Vec<Nominee>,
    pub nominated: usize,
}

/// The ASN Berprestasi nominations of `year` under the regency's rule.
async fn nominations_of(
    db: &Db,
    tenant: i64,
    scope: &str,
    year: i64,
) -> ServiceResult<Nominations> {
    let labels = unit_labels(&crate::units::tree(db, tenant).await?);
    let board = crate::points::board(db, tenant, year).await?;
    let mut c = db.conn().await?;
    let rule = load_rule(&mut c, tenant).await?.rule;
    let t = crate::talent::thresholds(&mut c, tenant).await?;
    let rows = cakap_store::performance::talent(&mut c, tenant, scope, year).await?;
    let records = records_by_employee(&mut c, tenant, &format!("{year}-12-31")).await?;
    drop(c);
    let year_start = format!("{year}-01-01");
    let mut items: Vec<Nominee> = Vec::new();
    for r in rows {
        let predikat = r
            .predikat
            .as_deref()
            .and_then(|p| Predikat::from_str(p).ok());
        let nine = match (predikat, r.score) {
            (Some(p), Some(s)) => Some(nine_box(p.kinerja(), Potensi::of(s, t))),
            _ => None,
        };
        // A sentence counts when in force at some time of the year; one listed without its
        // end is taken to last twelve months from its start (docs/domain.md#satyalancana).
        let sentenced = records.get(&r.employee_id).is_some_and(|list| {
            list.iter().any(|(k, start, end)| {
                let end = end.clone().unwrap_or_else(|| a_year_after(start));
                k.is_sentence() && end.as_str() >= year_start.as_str()
            })
        });
        let candidate = Candidate {
            predikat,
            nine_box: nine,
            jp: board.of(r.employee_id).map_or(0, |e| e.counts.jp),
            sentenced,
        };
        let criteria = rule.assess(&candidate);
        let unmet = criteria.iter().filter(|(_, ok)| !ok).count();
        if unmet > 1 {
            continue;
        }
        items.push(Nominee {
            nip: r.nip,
            name: r.name,
            unit: labels.get(&r.unit_path).cloned().unwrap_or(r.unit_name),
            predikat: predikat.map(|p| p.as_str().to_string()),
            nine_box: nine,
            jp: candidate.jp,
            sentenced,
            nominated: unmet == 0,
            criteria,
        });
    }
    items.sort_by(|a, b| {
        b.nominated
            .cmp(&a.nominated)
            .then_with(|| b.jp.cmp(&a.jp))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(Nominations {
        year,
        nominated: items.iter().filter(|i| i.nominated).count(),
        rule,
        items,
    })
}

/// The Satyalancana list as a table (XLSX/CSV).
pub fn satya_table(l: &SatyaList, reason_text: impl Fn(&Reason) -> String) -> Table {
    Table {
        headers: vec![
            "NIP",
            "Nama",
            "Unit",
            "TMT CPNS",
            "Masa Kerja",
            "Kelas",
            "Memenuhi",
            "Tidak Memenuhi Karena",
        ],
        rows: l
            .items
            .iter()
            .map(|i| {
                vec![
                    i.nip.clone(),
                    i.name.clone(),
                    i.unit.clone(),
                    i.tmt_cpns.clone(),
                    i.years.to_string(),
                    i.class.clone(),
                    if i.eligible { "Ya" } else { "Tidak" }.into(),
                    i.reasons
                        .iter()
                        .map(&reason_text)
                        .collect::<Vec<_>>()
                        .join("; "),
                ]
            })
            .collect(),
    }
}

/// The nominations as a table (XLSX/CSV).
pub fn nominations_table(n: &Nominations) -> Table {
    Table {
        headers: vec![
            "NIP",
            "Nama",
            "Unit",
            "Predikat",
            "Kotak",
            "JP",
            "Hukuman Disiplin",
            "Diusulkan",
        ],
        rows: n
            .items
            .iter()
            .map(|i| {
                vec![
                    i.nip.clone(),
                    i.name.clone(),
                    i.unit.clone(),
                    i.predikat
                        .as_deref()
                        .and_then(|p| Predikat::from_str(p).ok())
                        .map(|p| p.label().to_string())
                        .unwrap_or_default(),
                    i.nine_box.map(|b| b.to_string()).unwrap_or_default(),
                    i.jp.to_string(),
                    if i.sentenced { "Ada" } else { "Tidak ada" }.into(),
                    if i.nominated { "Ya" } else { "Tidak" }.into(),
                ]
            })
            .collect(),
    }
}

/// A draft letter from BKPSDM to the Bupati proposing the nominated, in Indonesian (the
/// language of the regency's letters), as a PDF for the head of BKPSDM to edit and sign.
pub async fn letter(db: &Db, actor: &Actor, year: i64) -> ServiceResult<Vec<u8>> {
    actor.require_any(&[Role::Admin])?;
    let n = nominations(db, actor, year, None).await?;
    if n.nominated == 0 {
        return Err(ServiceError::Conflict {
            key: "recognition.no_nominees",
        });
    }
    let mut c = db.conn().await?;
    let tenant = cakap_store::tenants::by_id(&mut c, actor.tenant_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    drop(c);
    let region = tenant.name.trim_start_matches("Kabupaten ").to_string();
    let today = crate::learning::certificates::tanggal(&wib::today().to_string());
    let mut d = crate::pdf::Document::new(
        &format!("Draf usulan ASN Berprestasi {year}"),
        &format!("BKPSDM {} — draf, belum ditandatangani", tenant.name),
    );
    d.title(
        &format!(
            "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA {}",
            tenant.name.to_uppercase()
        ),
        11.0,
    );
    d.paragraph(&format!("{region}, {today}"));
    d.paragraph(&format!(
        "Nomor: ...../BKPSDM/{}\nLampiran: -\nPerihal: Usulan ASN Berprestasi Tahun {year}",
        chrono::Datelike::year(&wib::today())
    ));
    d.paragraph(&format!("Yth. Bupati {region}\ndi {region}"));
    d.paragraph(&format!(
        "Berdasarkan penilaian kinerja tahunan, peta talenta, dan capaian pengembangan kompetensi \
         tahun {year}, dengan ini kami mengusulkan {} orang Aparatur Sipil Negara di lingkungan \
         Pemerintah {} sebagai ASN Berprestasi. Para calon memenuhi kriteria: predikat kinerja \
         tahunan sekurang-kurangnya {}, berada pada kotak {} peta talenta, mengikuti sekurang-\
         kurangnya {} JP pengembangan kompetensi pada tahun {year}{}.",
        n.nominated,
        tenant.name,
        Predikat::from_str(&n.rule.min_predikat)
            .map(|p| p.label())
            .unwrap_or("Sangat Baik"),
        n.rule
            .boxes
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        n.rule.min_jp,
        if n.rule.no_sentence {
            ", serta tidak sedang menjalani hukuman disiplin pada tahun tersebut"
        } else {
            ""
        }
    ));
    d.heading("Daftar calon");
    let cols = [
        crate::pdf::Col::right("No", 0.06),
        crate::pdf::Col::left("Nama / NIP", 0.40),
        crate::pdf::Col::left("Unit kerja", 0.30),
        crate::pdf::Col::left("Predikat", 0.14),
        crate::pdf::Col::right("JP", 0.10),
    ];
    let rows: Vec<Vec<String>> = n
        .items
        .iter()
        .filter(|i| i.nominated)
        .enumerate()
        .map(|(k, i)| {
            vec![
                (k + 1).to_string(),
                format!("{} / {}", i.name, i.nip),
                i.unit.clone(),
                i.predikat
                    .as_deref()
                    .and_then(|p| Predikat::from_str(p).ok())
                    .map(|p| p.label().to_string())
                    .unwrap_or_default(),
                i.jp.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        d.paragraph("Belum ada ASN yang memenuhi seluruh kriteria pada tahun ini.");
    } else {
        d.table(&cols, &rows);
    }
    d.paragraph(
        "Demikian usulan ini kami sampaikan. Atas perhatian dan perkenan Bapak/Ibu, kami ucapkan \
         terima kasih.",
    );
    d.paragraph("Kepala BKPSDM,\n\n\n\n(.................................)\nNIP .................................");
    Ok(d.finish())
}

#[cfg(test)]
mod tests {
    use super::a_year_after;

    #[test]
    fn a_sentence_without_its_end_lasts_twelve_months() {
        for (start, end) in [
            ("2025-03-01", "2026-02-28"),
            ("2024-02-29", "2025-02-27"),
            ("2025-01-01", "2025-12-31"),
            ("not a date", "not a date"),
        ] {
            assert_eq!(a_year_after(start), end, "{start}");
        }
    }
}
