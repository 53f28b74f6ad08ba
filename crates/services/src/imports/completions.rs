//! Importing course completions from Moodle (docs/interfaces.md#moodle-completions): a
//! completion report as CSV or XLSX, one row per learner and course — the NIP in the
//! username or the ID number, the course by its short name (mapped on the course, or equal to
//! its code), the time completed. Each row completes the catalogue course as any completion
//! would (JP, competency, certificate); a course already completed is left as it is.

use std::collections::{HashMap, HashSet};

use cakap_store::Conn;
use cakap_store::learning::CourseRow;
use chrono::NaiveDate;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceResult};

const SPEC: &[Column] = &[
    Column::optional(
        "username",
        &["Username", "username", "Nama pengguna", "Pengguna"],
    ),
    Column::optional(
        "idnumber",
        &["ID number", "idnumber", "Nomor ID", "NIP", "nip"],
    ),
    Column::required(
        "course",
        &[
            "Course short name",
            "shortname",
            "course",
            "Nama singkat kursus",
            "Kursus",
        ],
    ),
    Column::required(
        "completed",
        &[
            "Time completed",
            "timecompleted",
            "Completion date",
            "Waktu selesai",
            "Tanggal selesai",
        ],
    ),
];

pub(super) struct Completions;

/// (employee, course, day completed)
type Row = (i64, CourseRow, String);

/// The first run of exactly 18 digits in `s`: a NIP inside a Moodle username
/// (`199001012015031001`, `nip_199001012015031001`); a longer run of digits is no NIP.
fn nip_in(s: &str) -> Option<String> {
    s.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 18)
        .map(str::to_string)
}

/// Indonesian month names as Moodle writes them in Indonesian, to the English ones chrono
/// reads.
const MONTHS_ID: [(&str, &str); 12] = [
    ("Januari", "January"),
    ("Februari", "February"),
    ("Maret", "March"),
    ("April", "April"),
    ("Mei", "May"),
    ("Juni", "June"),
    ("Juli", "July"),
    ("Agustus", "August"),
    ("September", "September"),
    ("Oktober", "October"),
    ("November", "November"),
    ("Desember", "December"),
];

/// The day of a completion as Moodle writes it: `2026-12-06` (with a time or not), Unix
/// seconds, `06/12/2026`, or the report's long form `Sunday, 6 December 2026, 10:15 AM`
/// (`Rabu, 4 Maret 2026, 10:15` in Indonesian).
pub(crate) fn completion_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(head) = s.get(..10)
        && let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d")
    {
        return Some(d);
    }
    if s.len() >= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        let secs: i64 = s.parse().ok()?;
        let t = chrono::DateTime::from_timestamp(secs, 0)?;
        return Some(t.with_timezone(&crate::wib::zone()).date_naive());
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%d/%m/%Y") {
        return Some(d);
    }
    // "Sunday, 6 December 2026, 10:15 AM": the date is between the first and second comma.
    let mut mid = s.split(',').nth(1)?.trim().to_string();
    for (id, en) in MONTHS_ID {
        mid = mid.replace(id, en);
    }
    NaiveDate::parse_from_str(&mid, "%d %B %Y").ok()
}

impl Kind for Completions {
    const NAME: &'static str = "completions";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Learning, Topic::Assessments];
    type Plan = Vec<Row>;

    async fn check(
        db: &Db,
        actor: &Actor,
        sheet: &Sheet,
        cols: &Columns,
        errors: &mut Vec<RowError>,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<Ready<Vec<Row>>> {
        let mut c = db.conn().await?;
        let nips = super::employee_ids(&mut c, actor.tenant_id).await?;
        let mut courses: HashMap<String, Option<CourseRow>> = HashMap::new();
        let today = crate::wib::today();
        let mut plan = Vec::with_capacity(sheet.rows.len());
        let mut seen = HashSet::new();
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let fail = |f: &str, key: &'static str, value: &str| {
                RowError::value(row, cols.header(f), key, value)
            };
            let (who_col, who) = match nip_in(get("idnumber")) {
                Some(n) => ("idnumber", Some(n)),
                None => ("username", nip_in(get("username"))),
            };
            let employee = who.as_ref().and_then(|n| nips.get(n).copied());
            if employee.is_none() {
                let shown = who.unwrap_or_else(|| get(who_col).to_string());
                errors.push(fail(who_col, "import.unknown_employee", &shown));
            }
            let short = get("course").trim().to_string();
            if !courses.contains_key(&short) {
                let found = cakap_store::learning::course_by_moodle_shortname(
                    &mut c,
                    actor.tenant_id,
                    &short,
                )
                .await?;
                courses.insert(short.clone(), found);
            }
            let course = courses.get(&short).cloned().flatten();
            if course.is_none() {
                errors.push(fail("course", "import.unknown_course", &short));
            }
            let day = completion_day(get("completed"))
                .filter(|d| *d <= today && chrono::Datelike::year(d) >= 2000);
            if day.is_none() {
                errors.push(fail(
                    "completed",
                    "import.completion_date",
                    get("completed"),
                ));
            }
            if let (Some(e), Some(k)) = (employee, &course) {
                if !seen.insert((e, k.id)) {
                    errors.push(fail("course", "import.repeated", &short));
                } else if cakap_store::learning::is_course_staff(&mut c, actor.tenant_id, k.id, e)
                    .await?
                {
                    errors.push(fail("course", "learning.own_course", &short));
                }
            }
            if errors.len() == before
                && let (Some(e), Some(k), Some(d)) = (employee, course, day)
            {
                plan.push((e, k, d.format("%Y-%m-%d").to_string()));
            }
            ticks.checked(done);
        }
        let counts = Counts {
            valid: plan.len(),
            ..Counts::default()
        };
        Ok(Ready { plan, counts })
    }

    async fn write(
        c: &mut Conn,
        actor: &Actor,
        _: &Columns,
        plan: Vec<Row>,
        counts: &mut Counts,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()> {
        for (done, (employee, course, day)) in plan.iter().enumerate() {
            let outcome =
                crate::learning::offerings::complete_external(c, actor, course, *employee, day)
                    .await?;
            if outcome == crate::learning::offerings::External::Credited {
                counts.created += 1;
            }
            ticks.written_every(done, 20);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moodle_dates_and_usernames() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        for (text, want) in [
            ("2026-03-04", d(2026, 3, 4)),
            ("2026-03-04 10:15", d(2026, 3, 4)),
            ("04/03/2026", d(2026, 3, 4)),
            ("Wednesday, 4 March 2026, 10:15 AM", d(2026, 3, 4)),
            ("1772593200", d(2026, 3, 4)),
            ("Rabu, 4 Maret 2026, 10:15", d(2026, 3, 4)),
            ("ä2026-03-04 10:15", None),
            ("kemarin", None),
            ("", None),
        ] {
            assert_eq!(completion_day(text), want, "{text}");
        }
        assert_eq!(
            nip_in("nip_199001012015031001").as_deref(),
            Some("199001012015031001")
        );
        assert_eq!(nip_in("budi.santoso"), None);
        assert_eq!(nip_in("12345678901234567"), None);
        assert_eq!(nip_in("1199001012015031001"), None, "19 digits are no NIP");
    }
}
