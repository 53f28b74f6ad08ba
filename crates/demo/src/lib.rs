//! `cakap demo`: a deterministic, realistic Kabupaten Aceh Barat Daya — the unit tree with its
//! kecamatan, positions, ~4,500 ASN with valid NIPs, the competency dictionary, and one login
//! per role.

mod competence;
mod data;
mod dictionary;
mod evidence;
mod incentives;
mod interop;
mod learning;
pub mod national;
mod org;
mod people;
mod performance;
mod readiness;
mod regulations;
pub(crate) mod rng;
mod service;

use std::collections::HashSet;

use cakap_domain::{Nip, Role};
use cakap_store::{
    assessments, competencies, employees as employee_store, positions, requirements, units, users,
};

use cakap_services::employees::{Checked, insert_checked};
use cakap_services::{Actor, Db, ServiceError, ServiceResult};

/// The password of every demo account; printed by `cakap demo`.
pub const DEMO_PASSWORD: &str = "Cakap-Demo-2026";

#[derive(Debug, Clone)]
pub struct Options {
    pub employees: u32,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            employees: 4500,
            seed: 1112,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Login {
    pub role: Role,
    pub username: String,
    pub who: String,
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub units: usize,
    pub positions: usize,
    pub employees: usize,
    pub competencies: usize,
    pub assessments: usize,
    /// Performance evaluations (last year's annual ones and this quarter's).
    pub evaluations: usize,
    /// Courses completed (with JP and a certificate).
    pub completions: usize,
    /// Citizens' survey answers and complaints at the front-line units.
    pub survey_responses: usize,
    pub complaints: usize,
    /// The JDIH register's records and the read-and-acknowledge campaigns on them.
    pub regulations: usize,
    pub campaigns: usize,
    /// Crisis certifications (with expiry) behind the readiness map.
    pub certifications: usize,
    /// xAPI statements received from the national LMS (docs/interfaces.md#xapi).
    pub xapi_statements: usize,
    /// Attendance lines of last month imported for TPP (docs/domain.md#tpp).
    pub attendance: usize,
    /// Lines of the disciplinary/CLTN list imported.
    pub discipline: usize,
    /// Badges issued (this year and last).
    pub badges: usize,
    pub logins: Vec<Login>,
    /// The employee behind the `asn` login.
    pub asn_employee: Option<i64>,
}

/// Loads the demo into an empty tenant, in one transaction. `progress(done, total)` is
/// called as employees are written.
pub async fn load(
    db: &Db,
    tenant_id: i64,
    opts: &Options,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ServiceResult<Summary> {
    let actor = Actor::system(tenant_id);
    let mut c = db.begin().await?;
    if employee_store::count(&mut c, tenant_id).await? > 0 {
        return Err(ServiceError::Conflict {
            key: "demo.not_empty",
        });
    }
    let mut rng = rng::Rng::new(opts.seed);

    let mut n_competencies = 0;
    let mut competency_ids: std::collections::HashMap<&str, i64> = Default::default();
    for (i, e) in dictionary::manajerial_and_sosial().iter().enumerate() {
        let id = competencies::insert(
            &mut c,
            tenant_id,
            &competencies::NewCompetency {
                code: &e.code,
                name: &e.name,
                kind: &e.kind,
                crisis: e.crisis,
                descriptors: e.descriptors.each_ref().map(String::as_str),
                position: i as i64,
            },
        )
        .await?;
        competency_ids.insert(&e.code, id);
        n_competencies += 1;
    }
    for (i, dictionary::Teknis { code, name, crisis }) in dictionary::teknis().iter().enumerate() {
        let d = dictionary::teknis_descriptors(name);
        let id = competencies::insert(
            &mut c,
            tenant_id,
            &competencies::NewCompetency {
                code,
                name,
                kind: "teknis",
                crisis: *crisis,
                descriptors: [&d[0], &d[1], &d[2], &d[3], &d[4]],
                position: 100 + i as i64,
            },
        )
        .await?;
        competency_ids.insert(code, id);
        n_competencies += 1;
    }

    // Units, parents first, then their positions.
    let specs = org::units();
    let mut unit_ids: std::collections::HashMap<String, (i64, String)> = Default::default();
    let mut slots = Vec::new();
    for u in &specs {
        let parent = u
            .parent
            .as_ref()
            .and_then(|p| unit_ids.get(p))
            .map(|(id, path)| (*id, path.clone()));
        let id = units::insert(
            &mut c,
            tenant_id,
            &units::NewUnit {
                code: &u.code,
                name: &u.name,
                parent: parent.as_ref().map(|(id, path)| (*id, path.as_str())),
                kecamatan: Some(u.kecamatan),
            },
        )
        .await?;
        let path = format!("{}{id}/", parent.as_ref().map_or("/", |p| p.1.as_str()));
        unit_ids.insert(u.code.clone(), (id, path));
        for p in &u.positions {
            let pid = positions::insert(
                &mut c,
                tenant_id,
                &positions::PositionData {
                    unit_id: id,
                    name: &p.name,
                    kind: p.kind,
                    jenjang: p.jenjang,
                    kelas: Some(p.kelas),
                },
            )
            .await?;
            slots.push((u.code.as_str(), id, pid, p));
        }
    }

    // Heads first, then staff in proportion to their weights (largest remainder).
    let total = opts.employees as usize;
    let heads = slots.iter().filter(|s| s.3.weight == 0).count();
    let staff_total = total.saturating_sub(heads);
    let weight_sum: u64 = slots
        .iter()
        .map(|s| u64::from(s.3.weight))
        .sum::<u64>()
        .max(1);
    let mut counts: Vec<usize> = slots
        .iter()
        .map(|s| (staff_total as u64 * u64::from(s.3.weight) / weight_sum) as usize)
        .collect();
    let leftover = staff_total - counts.iter().sum::<usize>();
    let mut by_remainder: Vec<usize> = (0..slots.len())
        .filter(|&i| slots[i].3.weight > 0)
        .collect();
    by_remainder.sort_by_key(|&i| {
        std::cmp::Reverse(staff_total as u64 * u64::from(slots[i].3.weight) % weight_sum)
    });
    for &i in by_remainder
        .iter()
        .cycle()
        .take(if by_remainder.is_empty() { 0 } else { leftover })
    {
        counts[i] += 1;
    }
    let mut head_budget = total.min(heads);
    for (i, s) in slots.iter().enumerate() {
        if s.3.weight == 0 && head_budget > 0 {
            counts[i] = 1;
            head_budget -= 1;
        }
    }

    let today = chrono::Local::now().date_naive();
    let mut seen = HashSet::new();
    let mut written = Vec::with_capacity(total);
    let mut seq = 0u32;
    for (i, (unit_code, unit_id, position_id, spec)) in slots.iter().enumerate() {
        for _ in 0..counts[i] {
            let (person, nip) = loop {
                seq += 1;
                let p = people::person(&mut rng, spec, seq);
                if seen.insert(p.nip.clone()) {
                    let nip = Nip::parse(&p.nip, today)
                        .map_err(|e| ServiceError::Internal(format!("demo NIP {}: {e}", p.nip)))?;
                    break (p, nip);
                }
            };
            let id = insert_checked(
                &mut c,
                tenant_id,
                &Checked {
                    nip,
                    name: person.name.clone(),
                    status: person.status,
                    golongan: Some(person.golongan),
                    position_id: Some(*position_id),
                    unit_id: *unit_id,
                    email: person.email,
                    phone: person.phone,
                    active: true,
                },
            )
            .await?;
            written.push((*unit_code, spec.weight == 0, id, person.name, i));
            if written.len().is_multiple_of(250) {
                progress(written.len() as u64, total as u64);
            }
        }
    }
    if !written.len().is_multiple_of(250) {
        progress(written.len() as u64, total as u64);
    }

    let standards = competence::standards(&slots, &competency_ids);
    requirements::insert_many(&mut c, tenant_id, &standards.rows).await?;
    let people: Vec<(i64, usize)> = written.iter().map(|w| (w.2, w.4)).collect();
    let results = competence::assessments(&mut rng, &people, &slots, &standards, today);
    let n_assessments = results.len();
    let new: Vec<assessments::NewAssessment<'_>> = results.iter().map(|r| r.as_new()).collect();
    assessments::insert_many(&mut c, tenant_id, &new).await?;
    // The assessment-center results come with their report, as evidence to download.
    for a in assessments::described_by_method(&mut c, tenant_id, "assessment_center", 400).await? {
        let pdf = evidence::report_pdf(&[
            "Laporan Hasil Assessment Center".into(),
            format!("Nama: {}", a.employee),
            format!("NIP: {}", a.nip),
            format!("Kompetensi: {} {}", a.code, a.competency),
            format!("Level yang dicapai: {}", a.level),
            format!("Tanggal: {}", a.assessed_on),
            format!("Asesor: {}", a.assessor.as_deref().unwrap_or("-")),
        ]);
        use sha2::Digest;
        let sha256 = cakap_services::auth::hex(&sha2::Sha256::digest(&pdf));
        let filename = format!("laporan-ac-{}-{}.pdf", a.nip, a.code);
        let file = assessments::NewEvidence {
            filename: &filename,
            content_type: "application/pdf",
            sha256: &sha256,
            data: &pdf,
        };
        assessments::attach(&mut c, tenant_id, a.id, &file).await?;
    }

    // One login per role, tied to believable people.
    let find = |unit: &str, head: bool| {
        written
            .iter()
            .find(|w| w.0 == unit && w.1 == head)
            .or_else(|| written.iter().find(|w| w.0 == unit))
    };
    let wanted: [(Role, &str, &str, bool, Option<&str>); 6] = [
        (Role::Admin, "admin", "BKPSDM.B1", false, Some("BKPSDM")),
        (Role::Pimpinan, "kadinkes", "DINKES", true, Some("DINKES")),
        (
            Role::Pimpinan,
            "kapus.babahrot",
            "PKM.06",
            true,
            Some("PKM.06"),
        ),
        (Role::Asn, "asn", "PKM.06", false, None),
        (Role::Instruktur, "instruktur", "BKPSDM.B1", false, None),
        (Role::Auditor, "auditor", "INSP.B1", false, None),
    ];
    let hash = cakap_services::auth::hash_password(DEMO_PASSWORD)?;
    let mut logins = Vec::new();
    let mut used = HashSet::new();
    let mut asn_employee = None;
    for (role, username, unit, head, scope_unit) in wanted {
        let holder = written
            .iter()
            .filter(|w| w.0 == unit && w.1 == head && !used.contains(&w.2))
            .nth(if role == Role::Instruktur { 1 } else { 0 })
            .or_else(|| find(unit, head));
        let Some((_, _, employee_id, name, _)) = holder else {
            continue;
        };
        used.insert(*employee_id);
        if role == Role::Asn {
            asn_employee = Some(*employee_id);
        }
        users::insert(
            &mut c,
            tenant_id,
            &users::NewUser {
                username,
                password_hash: &hash,
                role: role.as_str(),
                unit_id: scope_unit.and_then(|u| unit_ids.get(u)).map(|u| u.0),
                employee_id: Some(*employee_id),
            },
        )
        .await?;
        let unit_name = specs
            .iter()
            .find(|s| s.code == unit)
            .map_or("", |s| s.name.as_str());
        logins.push(Login {
            role,
            username: username.into(),
            who: format!("{name} — {unit_name}"),
        });
    }

    // Heads of agencies are the key positions whose successors are planned.
    let key_positions: Vec<i64> = slots
        .iter()
        .filter(|s| s.3.weight == 0 && s.3.kind == "jpt_pratama")
        .map(|s| s.2)
        .take(8)
        .collect();
    let evaluations = performance::load(
        &mut c,
        tenant_id,
        &mut rng,
        &written,
        &standards,
        &key_positions,
        asn_employee,
        today,
    )
    .await?;
    let completions =
        learning::load(&mut c, tenant_id, &mut rng, &written, asn_employee, today).await?;
    // Its own generator, so the rest of the demo stays what it was.
    let mut service_rng = rng::Rng::new(opts.seed ^ 0x5E4F_1CE5);
    let (survey_responses, complaints) = service::load(
        &mut c,
        tenant_id,
        &mut service_rng,
        &unit_ids,
        today,
        opts.employees,
    )
    .await?;
    let regs = regulations::load(&mut c, tenant_id, &unit_ids, asn_employee, today).await?;
    let kecamatan_of: std::collections::HashMap<&str, &str> = specs
        .iter()
        .map(|s| (s.code.as_str(), s.kecamatan))
        .collect();
    let crisis_people: Vec<readiness::Person<'_>> = written
        .iter()
        .map(|w| readiness::Person {
            id: w.2,
            unit: w.0,
            head: w.1,
            kecamatan: kecamatan_of.get(w.0).copied().unwrap_or(""),
        })
        .collect();
    let mut crisis_rng = rng::Rng::new(opts.seed ^ 0xB4E1_0000);
    let crisis = readiness::load(
        &mut c,
        tenant_id,
        &mut crisis_rng,
        &crisis_people,
        &competency_ids,
        asn_employee,
        today,
    )
    .await?;
    let mut summary = Summary {
        units: specs.len(),
        positions: slots.len(),
        employees: written.len(),
        competencies: n_competencies,
        assessments: n_assessments,
        evaluations,
        completions,
        survey_responses,
        complaints,
        regulations: regs.regulations,
        campaigns: regs.campaigns,
        certifications: crisis.certifications,
        xapi_statements: 0,
        attendance: 0,
        discipline: 0,
        badges: 0,
        logins,
        asn_employee,
    };
    let after = serde_json::json!({
        "units": summary.units, "positions": summary.positions,
        "employees": summary.employees, "competencies": summary.competencies, "seed": opts.seed,
    });
    cakap_services::audit::record(&mut c, &actor, "load", "demo", "demo", None, Some(&after))
        .await?;
    cakap_services::standings::touch(&mut c, tenant_id, cakap_services::cache::Topic::ALL).await?;
    c.commit().await?;
    cakap_services::change::changed(db, tenant_id, cakap_services::cache::Topic::ALL);
    db.analyze().await?;
    // The readiness trend: each past month as of its last day, from what is now stored.
    cakap_services::readiness::backfill(db, tenant_id, 11).await?;
    // A flood team for Babahrot, proposed from its table and saved (not called out yet).
    cakap_services::readiness::teams::assemble(
        db,
        &actor,
        &cakap_services::readiness::teams::TeamInput {
            hazard: "banjir".into(),
            kecamatan: "11.12.06".into(),
            roles: Vec::new(),
        },
    )
    .await?;
    summary.xapi_statements = interop::load(db, tenant_id, today).await?;
    summary.attendance = incentives::load(db, tenant_id, opts.seed, today).await?;
    (summary.discipline, summary.badges) =
        incentives::recognition(db, tenant_id, opts.seed, today).await?;
    // The national super-tenant sees this regency among the governments it oversees: its
    // figures of this year computed now (then hourly by the server's job).
    summary.logins.extend(national::national_login(db).await?);
    let year = cakap_services::national::this_year();
    let jpm = cakap_services::national::Jpm::IfMissing;
    cakap_services::national::refresh_government(db, tenant_id, year, jpm).await?;
    Ok(summary)
}

/// What the demo shows of development plans, made after [`load`] through the services (so it
/// is exactly what BKPSDM would get): a draft training plan for next year at a budget that
/// buys about a third of the seats, and the `asn` login's IDP for this year, submitted to
/// their supervisor.
pub async fn plans(db: &Db, tenant_id: i64, asn_employee: Option<i64>) -> ServiceResult<i64> {
    let actor = Actor::system(tenant_id);
    let year = cakap_services::performance::current_year();
    let mut c = db.conn().await?;
    let next: Vec<_> = cakap_store::learning::offerings(&mut c, tenant_id, None, true)
        .await?
        .into_iter()
        .filter(|o| o.starts_on.starts_with(&(year + 1).to_string()))
        .collect();
    let full: i64 = next.iter().map(|o| o.cost * o.seats.unwrap_or(0)).sum();
    let asn_nip = match asn_employee {
        Some(id) => cakap_store::learning::employee_names(&mut c, tenant_id)
            .await?
            .into_iter()
            .find(|(e, _, _)| *e == id)
            .map(|(_, nip, _)| nip),
        None => None,
    };
    drop(c);
    let budget = (full / 3 / 1_000_000) * 1_000_000;
    let plan = cakap_services::plans::optimize::optimize(
        db,
        &actor,
        &cakap_services::plans::optimize::OptimizeInput {
            year: year + 1,
            budget,
            policy: "hak_20jp".into(),
            max_jp_per_asn: Some(40),
            unit_caps: Default::default(),
            weights: Default::default(),
            time_limit: Some(4.0),
        },
    )
    .await?;
    if let Some(nip) = asn_nip {
        cakap_services::plans::idp::generate(db, &actor, &nip, year).await?;
        cakap_services::plans::idp::submit(db, &actor, &nip, year).await?;
    }
    Ok(plan.id)
}

#[cfg(test)]
mod tests {
    /// The compiled-in data files (crates/demo/data/) parse, and hold what the
    /// loaders name.
    #[test]
    fn demo_data_parses() {
        let units = super::org::units();
        for code in ["BKPSDM.B1", "INSP.B1", "DINKES", "PKM.06"] {
            assert!(units.iter().any(|u| u.code == code), "{code}");
        }
        let mut competencies: Vec<&str> = super::dictionary::manajerial_and_sosial()
            .iter()
            .map(|e| e.code.as_str())
            .collect();
        competencies.extend(super::dictionary::teknis().iter().map(|t| t.code.as_str()));
        assert!(competencies.contains(&"T.BNC.04"));
        super::learning::check_data(&competencies);
        let mut rng = super::rng::Rng::new(1);
        for seq in 0..100 {
            super::people::person(&mut rng, &units[0].positions[0], seq);
        }
    }
}
