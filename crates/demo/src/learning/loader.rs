//! Loading the learning demo: classes, enrolments, completions, certificates, activities.

use super::super::performance::Written;
use super::super::rng::Rng;
use cakap_domain::status::{ActivityStatus, EnrolmentStatus, OfferingStatus};
use cakap_services::ServiceResult;
use cakap_services::learning::{catalogue, certificates, markdown};
use cakap_store::Conn;
use cakap_store::learning::{
    self as store, CourseData, ModuleData, NewActivity, NewQuestion, OfferingData,
};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::HashMap;

use super::*;

/// Loads the learning demo. `people` are everyone written (unit, head, id, name, slot).
pub async fn load(
    c: &mut Conn,
    tenant: i64,
    rng: &mut Rng,
    people: &[Written<'_>],
    asn_employee: Option<i64>,
    today: NaiveDate,
) -> ServiceResult<usize> {
    let year = today.year();
    let instructor = store::instructor_id(c, tenant, "instruktur").await?;
    let mut course_ids: HashMap<&str, (i64, &CourseSpec)> = HashMap::new();
    for spec in courses() {
        let id = store::insert_course(
            c,
            tenant,
            &CourseData {
                code: &spec.code,
                title: &spec.title,
                description: &spec.description,
                jalur: &spec.jalur,
                mode: &spec.mode,
                jp: spec.jp,
                cost: spec.cost,
                pass_mark: 70,
                time_limit: (spec.mode != "klasikal").then_some(20),
                max_attempts: 3,
                review: if spec.code == "ELN-GEMPA" {
                    "full"
                } else {
                    "correctness"
                },
                active: true,
            },
        )
        .await?;
        let mut targets = Vec::new();
        for Target { code, level } in &spec.competencies {
            if let Some(k) = cakap_store::competencies::by_code(c, tenant, code).await? {
                targets.push((k.id, *level));
            }
        }
        store::set_course_competencies(c, tenant, id, &targets).await?;
        for Module { title, body, .. } in &spec.modules {
            let html = markdown::to_html(body);
            let minutes = (body.len() as i64 / 60).max(5);
            store::insert_module(
                c,
                tenant,
                id,
                &ModuleData {
                    title,
                    body,
                    html: &html,
                    minutes,
                },
            )
            .await?;
        }
        for Question {
            prompt,
            options,
            key,
        } in &spec.questions
        {
            store::insert_question(
                c,
                tenant,
                id,
                &NewQuestion {
                    kind: key.kind().as_str(),
                    prompt,
                    options: &serde_json::to_string(&options).unwrap_or_default(),
                    answer_key: &serde_json::to_string(&key).unwrap_or_default(),
                    points: 1,
                },
            )
            .await?;
        }
        catalogue::reindex(c, tenant, id).await?;
        course_ids.insert(&spec.code, (id, spec));
    }
    if let (Some((skm, _)), Some((pelayanan, _))) =
        (course_ids.get("ELN-SKM"), course_ids.get("ELN-PELAYANAN"))
    {
        store::set_prerequisites(c, tenant, *skm, &[*pelayanan]).await?;
    }

    let mut known = Known {
        courses: HashMap::new(),
        people: store::employee_names(c, tenant)
            .await?
            .into_iter()
            .map(|(id, nip, name)| (id, (nip, name)))
            .collect(),
    };
    for (id, _) in course_ids.values() {
        if let Some(row) = store::course_by_id(c, tenant, *id).await? {
            known.courses.insert(*id, row);
        }
    }

    // Classes: e-learning all year; classroom ones spread over this year and last, the
    // last few still to come (open for enrolment).
    let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
    let mut classes: Vec<(i64, &CourseSpec, NaiveDate, NaiveDate, Option<i64>)> = Vec::new();
    let mut n = 0;
    for spec in courses() {
        let (course_id, _) = course_ids[spec.code.as_str()];
        let runs: Vec<(NaiveDate, i64)> = if spec.mode == "e_learning" {
            vec![
                (date(year - 1, 1, 2), 366),
                (date(year, 1, 2), 363),
                (date(year + 1, 1, 4), 361),
            ]
        } else {
            let days = (spec.jp / 8).max(1);
            let mut v = Vec::new();
            for (y, months) in [(year - 1, [3u32, 6, 9]), (year, [2, 5, 8])] {
                for m in months {
                    v.push((date(y, m + rng.below(3), 3 + rng.below(20)), days));
                }
            }
            // One still to come, where the calendar allows.
            let upcoming = today + Duration::days(7 + i64::from(rng.below(20)));
            v.push((upcoming, days));
            // Next year's calendar, for the training plan.
            for m in [2u32, 5, 9] {
                v.push((date(year + 1, m + rng.below(2), 3 + rng.below(20)), days));
            }
            v
        };
        for (start, days) in runs {
            n += 1;
            let end = start + Duration::days(days - 1);
            let Place {
                kecamatan,
                name: place,
            } = &places()[n % places().len()];
            let seats = (spec.mode != "e_learning").then_some(25 + i64::from(rng.below(4)) * 5);
            let code = format!("{}-{}-{}", spec.code, start.year(), n);
            let id = store::insert_offering(
                c,
                tenant,
                &OfferingData {
                    course_id,
                    code: &code,
                    starts_on: &start.to_string(),
                    ends_on: &end.to_string(),
                    kecamatan: (spec.mode != "e_learning").then_some(kecamatan),
                    place: (spec.mode != "e_learning").then_some(place),
                    seats,
                    instructor_id: instructor.filter(|_| spec.mode != "e_learning"),
                    budget_line: (spec.cost > 0).then_some("5.1.02.02.01 Belanja Diklat BKPSDM"),
                    self_enrol: spec.mode != "klasikal" || spec.cost < 1_000_000,
                },
            )
            .await?;
            if end < date(year, 1, 1) || (spec.mode == "e_learning" && start.year() < year) {
                store::set_offering_status(c, tenant, id, OfferingStatus::Closed).await?;
            }
            classes.push((id, spec, start, end, seats));
        }
    }

    // Completions and activities, person by person.
    let mut taken: HashMap<i64, i64> = HashMap::new();
    let mut completions = 0usize;
    let past_classes: Vec<usize> = (0..classes.len())
        .filter(|i| classes[*i].3 < today)
        .collect();
    let upcoming: Vec<usize> = (0..classes.len())
        .filter(|i| classes[*i].2 > today)
        .collect();
    let elearning: Vec<usize> = (0..classes.len())
        .filter(|i| classes[*i].1.mode == "e_learning" && classes[*i].2.year() == year)
        .collect();
    let days_so_far = (today - date(year, 1, 1)).num_days().max(1) as u32;
    for (_, _, employee, _, _) in people.iter() {
        let employee = *employee;
        if Some(employee) == asn_employee {
            continue;
        }
        let mut done_courses: Vec<i64> = Vec::new();
        // A classroom course this year or last for some, e-learning for many.
        let roll = rng.below(100);
        let mut plans: Vec<(usize, Option<NaiveDate>, EnrolmentStatus)> = Vec::new();
        if roll < 38 && !past_classes.is_empty() {
            let idx = past_classes[rng.below(past_classes.len() as u32) as usize];
            plans.push((idx, Some(classes[idx].3), EnrolmentStatus::Completed));
        }
        for chance in [72, 40] {
            if rng.below(100) < chance && !elearning.is_empty() {
                let idx = elearning[rng.below(elearning.len() as u32) as usize];
                let on = date(year, 1, 2) + Duration::days(i64::from(rng.below(days_so_far)));
                plans.push((idx, Some(on.min(today)), EnrolmentStatus::Completed));
            }
        }
        if rng.below(100) < 6 && !upcoming.is_empty() {
            let idx = upcoming[rng.below(upcoming.len() as u32) as usize];
            plans.push((idx, None, EnrolmentStatus::Enrolled));
        }
        for (idx, on, status) in plans {
            let (offering, spec, _, _, seats) = classes[idx];
            let count = taken.entry(offering).or_insert(0);
            let status = if seats.is_some_and(|s| *count >= s) {
                if status == EnrolmentStatus::Completed {
                    continue;
                }
                EnrolmentStatus::Waitlisted
            } else {
                *count += 1;
                status
            };
            let course_id = course_ids[spec.code.as_str()].0;
            if done_courses.contains(&course_id) {
                continue;
            }
            done_courses.push(course_id);
            let id = store::upsert_enrollment(
                c,
                tenant,
                offering,
                employee,
                EnrolmentStatus::Enrolled,
                "demo",
            )
            .await?;
            match (status, on) {
                (EnrolmentStatus::Completed, Some(on)) => {
                    complete(c, tenant, &known, id, employee, on, course_id).await?;
                    completions += 1;
                }
                _ => {
                    store::set_enrollment_status(c, tenant, id, status).await?;
                }
            }
        }
        // Development activities recorded by the ASN themself.
        for chance in [62, 30] {
            if rng.below(100) >= chance {
                continue;
            }
            let Activity {
                jalur,
                title,
                days,
                sessions,
            } = &activities()[rng.below(activities().len() as u32) as usize];
            let on = date(year, 1, 2) + Duration::days(i64::from(rng.below(days_so_far)));
            let on = on.min(today);
            let end = on + Duration::days((days - 1).max(0));
            let end = end.min(today);
            let status = match rng.below(100) {
                0..78 => ActivityStatus::Approved,
                78..94 => ActivityStatus::Submitted,
                _ => ActivityStatus::Rejected,
            };
            activity(
                c, tenant, employee, jalur, title, on, end, *days, *sessions, status,
            )
            .await?;
        }
    }

    // The `asn` login: 12 JP so far (a course, an approved seminar), a coaching session
    // waiting for the head of the puskesmas, and the earthquake course half-read.
    if let Some(me) = asn_employee {
        // Dates of this year, whatever the day the demo is loaded.
        let this_year = |d: NaiveDate| d.max(date(year, 1, 2)).min(today);
        // A recent test found first aid below the puskesmas standard (2): the gap the
        // earthquake course closes.
        if let Some(k) = cakap_store::competencies::by_code(c, tenant, "T.BNC.04").await? {
            let on = this_year(today - Duration::days(20)).to_string();
            cakap_store::assessments::insert(
                c,
                tenant,
                &cakap_store::assessments::NewAssessment {
                    employee_id: me,
                    competency_id: k.id,
                    competency_version: k.version,
                    level: 1,
                    method: "uji_kompetensi",
                    assessed_on: &on,
                    valid_until: None,
                    assessor: Some("BKPSDM Kabupaten Aceh Barat Daya"),
                    note: None,
                    created_by: "demo",
                },
            )
            .await?;
        }
        let (integritas, _) = course_ids["ELN-INTEGRITAS"];
        if let Some(idx) = classes
            .iter()
            .position(|k| k.1.code == "ELN-INTEGRITAS" && k.2.year() == year)
        {
            let id = store::upsert_enrollment(
                c,
                tenant,
                classes[idx].0,
                me,
                EnrolmentStatus::Enrolled,
                "asn",
            )
            .await?;
            for m in store::modules(c, tenant, integritas).await? {
                store::mark_done(c, tenant, me, m.id).await?;
            }
            let on = this_year(today - Duration::days(40));
            complete(c, tenant, &known, id, me, on, integritas).await?;
            completions += 1;
        }
        let (komunikasi, _) = course_ids["SOS-KINERJA"];
        if let Some(idx) = classes
            .iter()
            .position(|k| k.1.code == "SOS-KINERJA" && k.2.year() == year && k.3 < today)
        {
            let id = store::upsert_enrollment(
                c,
                tenant,
                classes[idx].0,
                me,
                EnrolmentStatus::Enrolled,
                "asn",
            )
            .await?;
            store::set_attended(c, tenant, id, true).await?;
            complete(c, tenant, &known, id, me, classes[idx].3, komunikasi).await?;
            completions += 1;
        }
        let seminar_on = this_year(today - Duration::days(75));
        activity(
            c,
            tenant,
            me,
            "seminar",
            "Seminar Kesehatan Ibu dan Anak Provinsi Aceh",
            seminar_on,
            seminar_on,
            1,
            0,
            ActivityStatus::Approved,
        )
        .await?;
        let coaching_on = this_year(today - Duration::days(6));
        activity(
            c,
            tenant,
            me,
            "coaching",
            "Coaching kinerja oleh Kepala Puskesmas",
            coaching_on,
            coaching_on,
            0,
            1,
            ActivityStatus::Submitted,
        )
        .await?;
        // Half-way through the public-service course ("lanjutkan belajar"); the earthquake
        // course, which would close the first-aid gap and bring 20 JP, is still to find.
        let (pelayanan, _) = course_ids["ELN-PELAYANAN"];
        if let Some(idx) = classes
            .iter()
            .position(|k| k.1.code == "ELN-PELAYANAN" && k.2.year() == year)
        {
            store::upsert_enrollment(
                c,
                tenant,
                classes[idx].0,
                me,
                EnrolmentStatus::Enrolled,
                "asn",
            )
            .await?;
            if let Some(first) = store::modules(c, tenant, pelayanan).await?.first() {
                store::mark_done(c, tenant, me, first.id).await?;
            }
        }
    }
    Ok(completions)
}

/// What completing needs to know without asking the database again (PostgreSQL plans
/// lookups badly inside the loading transaction: its tables looked empty when it began).
pub(super) struct Known {
    pub(super) courses: HashMap<i64, store::CourseRow>,
    pub(super) people: HashMap<i64, (String, String)>,
}

pub(super) async fn complete(
    c: &mut Conn,
    tenant: i64,
    known: &Known,
    enrollment: i64,
    employee: i64,
    on: NaiveDate,
    course_id: i64,
) -> ServiceResult<()> {
    let on = on.to_string();
    let Some(course) = known.courses.get(&course_id) else {
        return Ok(());
    };
    store::complete(c, tenant, enrollment, &on, course.jp).await?;
    if course.mode != "e_learning" {
        store::set_attended(c, tenant, enrollment, true).await?;
    }
    if known.people.contains_key(&employee) {
        certificates::issue_for_completed(c, tenant, enrollment, course, &on).await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn activity(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    jalur: &str,
    title: &str,
    on: NaiveDate,
    end: NaiveDate,
    days: i64,
    sessions: i64,
    status: ActivityStatus,
) -> ServiceResult<()> {
    let j: cakap_domain::learning::Jalur = jalur
        .parse()
        .unwrap_or(cakap_domain::learning::Jalur::Seminar);
    let jp = cakap_domain::learning::activity_jp(
        j,
        cakap_domain::learning::Duration {
            hours: None,
            days: days.max(1),
            sessions,
            international: false,
        },
    )
    .unwrap_or(2);
    let id = store::insert_activity(
        c,
        tenant,
        &NewActivity {
            employee_id: employee,
            jalur,
            title,
            organizer: Some("Pemerintah Kabupaten Aceh Barat Daya"),
            started_on: &on.to_string(),
            ended_on: &end.to_string(),
            hours: None,
            days: days.max(1),
            sessions,
            international: false,
            jp,
            status: ActivityStatus::Submitted,
            evidence: None,
        },
    )
    .await?;
    if status != ActivityStatus::Submitted {
        let note =
            (status == ActivityStatus::Rejected).then_some("Bukti kegiatan tidak dilampirkan.");
        store::decide_activity(c, tenant, id, status, "demo", note).await?;
    }
    Ok(())
}
