//! The crisis-readiness side of the demo (data/readiness.toml): the target table for the five
//! hazards, crisis certifications for people working in each kecamatan (some expiring within
//! 60 days, Babahrot's logistics ones expired), a few people away, and last year's flood drill
//! in Susoh. The `asn` login (Puskesmas Babahrot) holds Babahrot's only logistics
//! certification and a phone, so the flood team for Babahrot calls them.

use std::collections::HashMap;

use cakap_services::ServiceResult;
use cakap_store::Conn;
use cakap_store::assessments::{self, NewAssessment};
use cakap_store::readiness as store;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Deserialize;

use super::rng::Rng;
use crate::data::{self, data_file};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    target: Vec<TargetSet>,
    certification: Vec<Certification>,
    drill: Drill,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetSet {
    hazard: String,
    #[serde(default)]
    kecamatan: String,
    lines: Vec<Line>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    role: String,
    competency: String,
    level: i64,
    count: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Certification {
    competency: String,
    level: i64,
    per_kecamatan: usize,
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    only: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Drill {
    month_day: String,
    hazard: String,
    kecamatan: String,
    title: String,
    evaluator: String,
    note: String,
    practised: Vec<Practised>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Practised {
    competency: String,
    level: Option<i64>,
}

fn file() -> File {
    data::toml(data_file!("readiness.toml"))
}

/// Someone the demo wrote: (employee id, unit code, head of it, kecamatan code).
pub(crate) struct Person<'a> {
    pub id: i64,
    pub unit: &'a str,
    pub head: bool,
    pub kecamatan: &'a str,
}

pub(crate) struct Loaded {
    pub certifications: usize,
}

/// Certifications are valid three years.
const VALID_YEARS: u32 = 3;

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn load(
    c: &mut Conn,
    tenant: i64,
    rng: &mut Rng,
    people: &[Person<'_>],
    competency_ids: &HashMap<&str, i64>,
    asn: Option<i64>,
    today: NaiveDate,
) -> ServiceResult<Loaded> {
    let f = file();
    let comp = |code: &str| {
        competency_ids
            .get(code)
            .copied()
            .unwrap_or_else(|| data::malformed(data_file!("readiness.toml"), code))
    };
    let mut targets = Vec::new();
    for set in &f.target {
        for l in &set.lines {
            targets.push(store::NewTarget {
                hazard: &set.hazard,
                kecamatan: &set.kecamatan,
                role: &l.role,
                competency_id: comp(&l.competency),
                level: l.level,
                count: l.count,
            });
        }
    }
    store::replace_targets(c, tenant, &targets).await?;

    // Local staff first (puskesmas, kantor camat, schools), by id: the same people each run.
    let mut by_kec: HashMap<&str, Vec<&Person<'_>>> = HashMap::new();
    for p in people.iter().filter(|p| {
        !p.head
            && (p.unit.starts_with("PKM")
                || p.unit.starts_with("CAMAT")
                || p.unit.starts_with("SKL"))
    }) {
        by_kec.entry(p.kecamatan).or_default().push(p);
    }
    let heads: HashMap<&str, i64> = people
        .iter()
        .filter(|p| p.head && p.unit.starts_with("CAMAT"))
        .map(|p| (p.kecamatan, p.id))
        .collect();
    let assessor = Some("LSP BNPB");
    let mut rows: Vec<(i64, i64, i64, String, String)> = Vec::new();
    let mut certified: Vec<(i64, &str)> = Vec::new();
    for (ci, cert) in f.certification.iter().enumerate() {
        let k = comp(&cert.competency);
        for kec in cakap_domain::kecamatan::ACEH_BARAT_DAYA {
            let code = kec.code;
            if cert.except.iter().any(|e| e == code)
                || (!cert.only.is_empty() && !cert.only.iter().any(|o| o == code))
            {
                continue;
            }
            let pool = by_kec.get(code).map_or(&[][..], Vec::as_slice);
            let mut chosen: Vec<i64> = Vec::new();
            if cert.competency == "T.BNC.01"
                && let Some(h) = heads.get(code)
            {
                chosen.push(*h); // the camat commands
            }
            // Spread over the pool so each competency lands on other people.
            let step = 7 + ci * 3;
            let mut i = ci * 5;
            while chosen.len() < cert.per_kecamatan && !pool.is_empty() && i < pool.len() * 4 {
                let p = pool[i % pool.len()];
                if !chosen.contains(&p.id) && Some(p.id) != asn {
                    chosen.push(p.id);
                }
                i += step;
            }
            for (n, e) in chosen.into_iter().enumerate() {
                let until = match (code, cert.competency.as_str(), n) {
                    // Expiring within 60 days: the list and its reminders have something to show.
                    ("11.12.04", "T.BNC.05", 0) => today + Days::new(21),
                    ("11.12.03", "T.BNC.05", 1) => today + Days::new(44),
                    ("11.12.06", "T.BNC.04", 0) => today + Days::new(33),
                    ("11.12.08", "T.BNC.04", 1) => today + Days::new(52),
                    _ => {
                        let assessed = today - Days::new(30 + u64::from(rng.below(700)));
                        assessed
                            .checked_add_months(Months::new(12 * VALID_YEARS))
                            .unwrap_or(assessed)
                    }
                };
                let assessed = until
                    .checked_sub_months(Months::new(12 * VALID_YEARS))
                    .unwrap_or(until);
                rows.push((e, k, cert.level, ymd(assessed), ymd(until)));
                certified.push((e, code));
            }
        }
    }
    // Babahrot's two logistics certifications ran out last month.
    for p in by_kec
        .get("11.12.06")
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .take(2)
    {
        let until = today - Days::new(25);
        let assessed = until
            .checked_sub_months(Months::new(12 * VALID_YEARS))
            .unwrap_or(until);
        rows.push((p.id, comp("T.BNC.05"), 2, ymd(assessed), ymd(until)));
    }
    // The `asn` login: SAR-certified at the puskesmas and, since this autumn, the only one in
    // Babahrot certified for emergency logistics (so the Babahrot flood team calls them);
    // reachable by phone.
    if let Some(a) = asn {
        for (code, level, days) in [("T.BNC.04", 3, 200), ("T.BNC.05", 2, 60)] {
            let assessed = today - Days::new(days);
            let until = assessed
                .checked_add_months(Months::new(12 * VALID_YEARS))
                .unwrap_or(assessed);
            rows.push((a, comp(code), level, ymd(assessed), ymd(until)));
        }
        cakap_store::employees::set_phone_if_missing(c, tenant, a, "0812-6900-1234").await?;
    }
    let new: Vec<NewAssessment<'_>> = rows
        .iter()
        .map(|(e, k, level, assessed, until)| NewAssessment {
            employee_id: *e,
            competency_id: *k,
            competency_version: 1,
            level: *level,
            method: "uji_kompetensi",
            assessed_on: assessed,
            valid_until: Some(until),
            assessor,
            note: Some("Sertifikasi kebencanaan"),
            created_by: "demo",
        })
        .collect();
    assessments::insert_many(c, tenant, &new).await?;

    // A few people away: leave, sickness, an assignment outside the regency.
    let away = [
        ("11.12.04", 1, "Cuti tahunan", Some(10)),
        ("11.12.02", 0, "Sakit", Some(3)),
        ("11.12.01", 2, "Tugas belajar di Banda Aceh", Some(60)),
        ("11.12.06", 1, "Cuti melahirkan", Some(80)),
        ("11.12.07", 0, "Diperbantukan ke BPBA (provinsi)", None),
    ];
    for (kec, nth, reason, days) in away {
        let Some((e, _)) = certified.iter().filter(|(_, k)| *k == kec).nth(nth) else {
            continue;
        };
        let until = days.map(|d| ymd(today + Days::new(d)));
        store::set_availability(c, tenant, *e, false, until.as_deref(), reason, "demo").await?;
    }

    // Last year's drill.
    let d = &f.drill;
    let held =
        NaiveDate::parse_from_str(&format!("{}-{}", today.year() - 1, d.month_day), "%Y-%m-%d")
            .unwrap_or(today);
    let drill = store::insert_drill(
        c,
        tenant,
        &store::NewDrill {
            held_on: &ymd(held),
            hazard: &d.hazard,
            kecamatan: &d.kecamatan,
            title: &d.title,
            evaluator: &d.evaluator,
            note: Some(&d.note),
        },
        "demo",
    )
    .await?;
    let near = cakap_domain::crisis::hops_from(&d.kecamatan);
    let mut participants: Vec<i64> = certified
        .iter()
        .filter(|(_, k)| near.get(k).is_some_and(|h| *h <= 1))
        .map(|(e, _)| *e)
        .collect();
    participants.sort_unstable();
    participants.dedup();
    for e in &participants {
        store::add_participant(c, tenant, drill, *e).await?;
    }
    let note = format!("Latihan: {}", d.title);
    let held_s = ymd(held);
    // Findings lapse after three years, as the service records them.
    let lapses = ymd(held
        .checked_add_months(Months::new(12 * VALID_YEARS))
        .unwrap_or(held));
    let mut results = Vec::new();
    for p in &d.practised {
        let k = comp(&p.competency);
        store::add_practised(c, tenant, drill, k, p.level).await?;
        if let Some(level) = p.level {
            results.extend(participants.iter().map(|e| NewAssessment {
                employee_id: *e,
                competency_id: k,
                competency_version: 1,
                level,
                method: "course",
                assessed_on: &held_s,
                valid_until: Some(&lapses),
                assessor: Some(&d.evaluator),
                note: Some(&note),
                created_by: "demo",
            }));
        }
    }
    assessments::insert_many(c, tenant, &results).await?;
    Ok(Loaded {
        certifications: rows.len(),
    })
}
