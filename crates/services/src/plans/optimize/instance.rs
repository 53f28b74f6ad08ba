//! The optimizer's instance from the regency's data: people, their gaps against their
//! positions' standards (the same effective-level rule as the gap engine), weights, JP of the
//! year, prerequisites, courses already taken and next year's classes with free seats.

use std::collections::{BTreeMap, HashMap, HashSet};

use cakap_domain::learning::JP_TARGET;
use cakap_domain::skm::public_service_competency;
use cakap_domain::status::EnrolmentStatus;
use cakap_plan::{Instance, Offering, Pair, Person, Policy};
use cakap_store::plans as store;
use cakap_store::{assessments, employees, learning, requirements};

use super::OptimizeInput;
use super::reasons::IkmNote;
use crate::{Actor, Db, ServiceError, ServiceResult};

/// The optimizer's instance with what is needed to explain and save its answer.
pub(crate) struct Built {
    pub instance: Instance,
    pub people: Vec<employees::Placement>,
    pub offerings: Vec<learning::OfferingRow>,
    /// Per pair: the competencies it closes, (code, from, to, weight).
    pub closes: Vec<Vec<(String, i64, i64, f64)>>,
    /// Per pair: the survey finding that raised a public-service competency's weight.
    pub ikm_notes: Vec<Option<IkmNote>>,
    /// Per person: does their standard show any gap?
    pub has_gap: Vec<bool>,
    pub jp_have: Vec<i64>,
}

fn weight_of(
    code: &str,
    name: &str,
    crisis: bool,
    weakness: bool,
    ikm_short: bool,
    overrides: &BTreeMap<String, f64>,
) -> f64 {
    let base = overrides.get(code).copied().unwrap_or_else(|| {
        if crisis {
            2.0
        } else if public_service_competency(name) {
            1.5
        } else {
            1.0
        }
    });
    let base = if weakness { base * 1.5 } else { base };
    if ikm_short && public_service_competency(name) {
        base * 1.5
    } else {
        base
    }
}

/// Service units whose survey this year rates unsur 6 (staff competence) or 7 (staff conduct)
/// below mutu B, as (unit path, the finding); docs/domain.md#service-quality.
async fn ikm_shortfalls(db: &Db, actor: &Actor) -> ServiceResult<Vec<(String, IkmNote)>> {
    let year = crate::performance::current_year().to_string();
    let table = crate::service_quality::table(db, actor, &year).await?;
    let tree = crate::units::tree(db, actor.tenant_id).await?;
    let mut out = Vec::new();
    for r in table.iter() {
        // The worst of the two staff unsur decides.
        let Some((unsur, mutu)) = r
            .staff_shortfalls()
            .into_iter()
            .max_by_key(|(_, m)| *m as u8)
        else {
            continue;
        };
        if let Some(u) = tree.iter().find(|u| u.code == r.unit) {
            out.push((
                u.path.clone(),
                IkmNote {
                    unit: r.unit_name.clone(),
                    unsur: unsur as u8,
                    mutu: mutu.as_str().to_string(),
                },
            ));
        }
    }
    Ok(out)
}

/// Reads everything the optimizer needs (a handful of set queries, none per person) and
/// builds the instance.
pub(crate) async fn build(
    db: &Db,
    actor: &Actor,
    input: &OptimizeInput,
    policy: Policy,
    max_jp: i64,
) -> ServiceResult<Built> {
    let (year, budget) = (input.year, input.budget);
    let (unit_caps, weights) = (&input.unit_caps, &input.weights);
    let tenant = actor.tenant_id;
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let mut c = db.conn().await?;
    let people = employees::placements(&mut c, tenant, "").await?;
    let standards = requirements::in_scope(&mut c, tenant, "").await?;
    let levels = assessments::counting_in_scope(&mut c, tenant, "", None, &today).await?;
    let jp = learning::jp_totals(&mut c, tenant, "", &from, &to).await?;
    let targets = store::course_targets(&mut c, tenant).await?;
    let taken = store::taken(&mut c, tenant).await?;
    let prerequisites = store::prerequisites(&mut c, tenant).await?;
    let since = format!("{}-01-01", year - 2);
    let weak: HashSet<(i64, i64)> = store::weaknesses_since(&mut c, tenant, &since)
        .await?
        .into_iter()
        .map(|w| (w.employee_id, w.competency_id))
        .collect();
    let offerings: Vec<learning::OfferingRow> = learning::offerings(&mut c, tenant, None, true)
        .await?
        .into_iter()
        .filter(|o| o.starts_on >= from && o.starts_on <= to)
        .filter(|o| o.seats.is_none_or(|s| s > o.taken))
        .collect();
    drop(c);
    let tree = crate::units::tree(db, tenant).await?;
    let shortfalls = ikm_shortfalls(db, actor).await?;
    for weight in weights.values() {
        if !weight.is_finite() || !(0.0..=10.0).contains(weight) {
            return Err(ServiceError::invalid("weights", "plan.weight_range"));
        }
    }

    // Cap groups: each person counts against the deepest capped unit above them.
    let mut caps: Vec<(String, i64)> = Vec::new();
    for (code, cap) in unit_caps {
        let unit = tree
            .iter()
            .find(|u| &u.code == code)
            .ok_or(ServiceError::invalid("unit_caps", "plan.unknown_unit"))?;
        if *cap < 0 {
            return Err(ServiceError::invalid("unit_caps", "plan.cap_range"));
        }
        caps.push((unit.path.clone(), *cap));
    }
    // A cap covers its unit's whole subtree: caps inside capped units would double count.
    if caps.iter().any(|(a, _)| {
        caps.iter()
            .any(|(b, _)| a != b && b.starts_with(a.as_str()))
    }) {
        return Err(ServiceError::invalid("unit_caps", "plan.nested_caps"));
    }
    let cap_of = |path: &str| -> u32 {
        caps.iter()
            .enumerate()
            .filter(|(_, (p, _))| path.starts_with(p.as_str()))
            .max_by_key(|(_, (p, _))| p.len())
            .map_or(u32::MAX, |(i, _)| i as u32)
    };

    let best = crate::gaps::effective_levels(&levels);
    let mut standard: HashMap<i64, Vec<&requirements::RequirementRow>> = HashMap::new();
    for s in &standards {
        standard.entry(s.position_id).or_default().push(s);
    }
    let jp_done: HashMap<i64, i64> = jp.iter().map(|j| (j.employee_id, j.jp)).collect();
    let mut course_targets: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for t in &targets {
        course_targets
            .entry(t.course_id)
            .or_default()
            .push((t.competency_id, t.level));
    }
    let mut requires: HashMap<i64, Vec<i64>> = HashMap::new();
    for p in &prerequisites {
        requires.entry(p.course_id).or_default().push(p.requires_id);
    }
    // Courses each person has (completed, or in progress) and JP already booked this year.
    let mut has_course: HashSet<(i64, i64)> = HashSet::new();
    let mut completed: HashSet<(i64, i64)> = HashSet::new();
    let mut jp_booked: HashMap<i64, i64> = HashMap::new();
    for t in &taken {
        has_course.insert((t.employee_id, t.course_id));
        if t.status == EnrolmentStatus::Completed {
            completed.insert((t.employee_id, t.course_id));
        } else if t.status == EnrolmentStatus::Enrolled && t.starts_on >= from && t.starts_on <= to
        {
            *jp_booked.entry(t.employee_id).or_insert(0) += t.jp;
        }
    }
    let course_index: HashMap<i64, u32> = {
        let mut ids: Vec<i64> = offerings.iter().map(|o| o.course_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (id, i as u32))
            .collect()
    };

    let mut persons = Vec::with_capacity(people.len());
    let mut pairs = Vec::new();
    let mut closes = Vec::new();
    let mut ikm_notes = Vec::new();
    let mut has_gap = Vec::with_capacity(people.len());
    let mut jp_have = Vec::with_capacity(people.len());
    for (pi, p) in people.iter().enumerate() {
        let have =
            jp_done.get(&p.id).copied().unwrap_or(0) + jp_booked.get(&p.id).copied().unwrap_or(0);
        jp_have.push(have);
        persons.push(Person {
            unit: cap_of(&p.unit_path),
            jp_have: have.clamp(0, u32::MAX as i64) as u32,
        });
        let reqs: &[&requirements::RequirementRow] = p
            .position_id
            .and_then(|pos| standard.get(&pos))
            .map_or(&[], Vec::as_slice);
        let actual = |k: i64| best.get(&(p.id, k)).copied().unwrap_or(0);
        let ikm = shortfalls
            .iter()
            .find(|(path, _)| p.unit_path.starts_with(path.as_str()))
            .map(|(_, note)| note);
        has_gap.push(reqs.iter().any(|r| actual(r.competency_id) < r.level));
        for (oi, o) in offerings.iter().enumerate() {
            if has_course.contains(&(p.id, o.course_id))
                || requires
                    .get(&o.course_id)
                    .is_some_and(|rs| rs.iter().any(|r| !completed.contains(&(p.id, *r))))
            {
                continue;
            }
            let mut benefit = 0.0;
            let mut keys = vec![course_index[&o.course_id]];
            let mut closed = Vec::new();
            let mut raised = None;
            let mut relevant = false;
            for &(k, level) in course_targets
                .get(&o.course_id)
                .map_or(&[][..], Vec::as_slice)
            {
                let Some(r) = reqs.iter().find(|r| r.competency_id == k) else {
                    continue;
                };
                relevant = true;
                let (now, to) = (actual(k), level.min(r.level));
                if now < to {
                    let w = weight_of(
                        &r.code,
                        &r.name,
                        r.crisis,
                        weak.contains(&(p.id, k)),
                        ikm.is_some(),
                        weights,
                    );
                    if ikm.is_some() && public_service_competency(&r.name) {
                        raised = ikm.cloned();
                    }
                    benefit += w * (to - now) as f64;
                    keys.push(1_000_000 + k as u32);
                    closed.push((r.code.clone(), now, to, w));
                }
            }
            // Under "hak 20 JP dulu" a class on the person's own competencies counts for its
            // JP even when it closes no gap.
            let jp_only = policy == Policy::Hak20Jp && relevant && have < JP_TARGET;
            if benefit > 0.0 || jp_only {
                pairs.push(Pair {
                    person: pi as u32,
                    offering: oi as u32,
                    benefit,
                    keys,
                });
                closes.push(closed);
                ikm_notes.push(raised);
            }
        }
    }
    let instance = Instance {
        people: persons,
        offerings: offerings
            .iter()
            .map(|o| Offering {
                cost: o.cost,
                jp: o.jp.clamp(0, u32::MAX as i64) as u32,
                seats: o.seats.map(|s| (s - o.taken).max(0) as u32),
            })
            .collect(),
        pairs,
        budget,
        unit_caps: caps
            .iter()
            .enumerate()
            .map(|(i, (_, cap))| (i as u32, *cap))
            .collect(),
        max_jp: max_jp as u32,
        jp_target: JP_TARGET as u32,
        policy,
    };
    Ok(Built {
        instance,
        people,
        offerings,
        closes,
        ikm_notes,
        has_gap,
        jp_have,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_rise_where_the_survey_finds_staff_short() {
        let none = BTreeMap::new();
        // (name, crisis, weakness, ikm short) → weight
        for (name, crisis, weak, ikm, w) in [
            ("Pelayanan Publik", false, false, false, 1.5),
            ("Pelayanan Publik", false, false, true, 2.25),
            ("Pelayanan Publik", false, true, true, 3.375),
            ("Integritas", false, false, true, 1.0),
            ("Pertolongan Pertama", true, false, true, 2.0),
        ] {
            assert_eq!(weight_of("X", name, crisis, weak, ikm, &none), w, "{name}");
        }
        let set = BTreeMap::from([("X".to_string(), 3.0)]);
        assert_eq!(
            weight_of("X", "Pelayanan Publik", false, false, true, &set),
            4.5
        );
    }
}
