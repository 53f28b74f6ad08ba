//! Quizzes: one per course (its question bank), taken in attempts. Questions and options come
//! in a random order per attempt; the page gets prompts and options only, never a key. The
//! server keeps the clock (answers after the deadline are refused; a late submit grades what
//! was saved in time), counts attempts, grades, and records a submission once however often
//! it is sent.

use std::collections::HashMap;

use cakap_domain::learning::{AnswerKey, review_allowed, score_percent};
use cakap_domain::status::EnrolmentStatus;
use cakap_store::learning::{self as store, AttemptRow, CourseRow};
use cakap_store::{Conn, LockSpace, now_ms};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::catalogue::parse_question;
use super::{own_employee, random_bytes};
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Largest answer accepted (JSON text).
const MAX_ANSWER: usize = 2000;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Slot {
    /// Question id.
    q: i64,
    /// Original option indexes in the order shown.
    o: Vec<usize>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OptionView {
    /// What to send back as the answer (the option's index in the bank, not its place).
    pub key: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionView {
    pub id: i64,
    /// `single`, `multiple`, `true_false`, `numeric` or `text`.
    pub kind: String,
    pub prompt: String,
    pub points: i64,
    pub options: Vec<OptionView>,
    /// The caller's saved answer.
    #[schema(value_type = Object)]
    pub answer: Option<serde_json::Value>,
    /// After submission, when the course shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
    /// After submission, when the course shows the right answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub key: Option<AnswerKey>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attempt {
    pub id: i64,
    pub course: String,
    pub number: i64,
    pub max_attempts: i64,
    pub started_at: String,
    /// RFC 3339; none: no time limit.
    pub deadline: Option<String>,
    /// Seconds left by the server's clock.
    pub seconds_left: Option<i64>,
    pub submitted: bool,
    pub score: Option<i64>,
    pub passed: Option<bool>,
    pub pass_mark: i64,
    /// Which answers were right, and the right answers, are held back until the learner
    /// passes or has no attempt left.
    pub review_held: bool,
    pub questions: Vec<QuestionView>,
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn layout_of(a: &AttemptRow) -> ServiceResult<Vec<Slot>> {
    serde_json::from_str(&a.layout)
        .map_err(|_| ServiceError::Internal(format!("attempt {} layout unreadable", a.id)))
}

/// Fisher–Yates with a generator seeded from the OS.
fn shuffle<T>(items: &mut [T], state: &mut u64) {
    for i in (1..items.len()).rev() {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let j = (*state % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

/// The caller's own attempt; someone else's does not exist for them.
async fn own_attempt(c: &mut Conn, actor: &Actor, id: i64) -> ServiceResult<AttemptRow> {
    let employee = own_employee(actor)?;
    store::attempt(c, actor.tenant_id, id)
        .await?
        .filter(|a| a.employee_id == employee)
        .ok_or(ServiceError::NotFound)
}

/// Starts an attempt at a course's quiz (`id` is the course's id), or returns the one still
/// open. Refused without an enrolment, after a pass, and past the attempt limit.
pub async fn start(db: &Db, actor: &Actor, course_id: i64) -> ServiceResult<Attempt> {
    let employee = own_employee(actor)?;
    let mut c = Change::begin(db, actor).await?;
    c.lock(LockSpace::Learner, employee).await?;
    let course = store::course_by_id(&mut c, actor.tenant_id, course_id)
        .await?
        .filter(|r| r.active)
        .ok_or(ServiceError::NotFound)?;
    let enrolled = store::active_enrollment(&mut c, actor.tenant_id, course.id, employee)
        .await?
        .filter(|e| e.status.active());
    if enrolled.is_none() {
        return Err(ServiceError::Conflict {
            key: "quiz.not_enrolled",
        });
    }
    let questions = store::questions(&mut c, actor.tenant_id, course.id).await?;
    if questions.is_empty() {
        return Err(ServiceError::NotFound);
    }
    let past = store::attempts_of(&mut c, actor.tenant_id, course.id, employee).await?;
    let now = now_ms();
    if let Some(open) = past
        .iter()
        .find(|a| a.submitted_at.is_none() && a.deadline_at.is_none_or(|d| d > now))
    {
        let id = open.id;
        drop(c);
        return view(db, actor, id).await;
    }
    // An expired attempt never submitted still counts: grade it now with what was saved;
    // if that is a pass, the course may be complete.
    let mut passed = past.iter().any(|a| a.passed == Some(true));
    let mut completed = false;
    for a in past.iter().filter(|a| a.submitted_at.is_none()) {
        if let Some((_, true)) = grade(&mut c, actor, a, &course, &[], now).await? {
            passed = true;
            if let Some(e) = enrolled.as_ref() {
                completed |=
                    super::offerings::complete_if_met(&mut c, actor, e, &course, Some(true))
                        .await?;
            }
        }
    }
    if passed {
        c.finish(super::completion(completed)).await?;
        return Err(ServiceError::Conflict {
            key: "quiz.already_passed",
        });
    }
    if past.len() as i64 >= course.max_attempts {
        c.finish(super::completion(completed)).await?;
        return Err(ServiceError::Conflict {
            key: "quiz.no_attempts_left",
        });
    }
    let seed: [u8; 8] = random_bytes()?;
    let mut state = u64::from_le_bytes(seed) | 1;
    let mut layout: Vec<Slot> = questions
        .iter()
        .map(|q| {
            let n = serde_json::from_str::<Vec<String>>(&q.options).map_or(0, |o| o.len());
            let mut o: Vec<usize> = (0..n).collect();
            shuffle(&mut o, &mut state);
            Slot { q: q.id, o }
        })
        .collect();
    shuffle(&mut layout, &mut state);
    let row = AttemptRow {
        id: 0,
        course_id: course.id,
        employee_id: employee,
        number: past.len() as i64 + 1,
        started_at: now,
        deadline_at: course.time_limit.map(|m| now + m * 60_000),
        submitted_at: None,
        score: None,
        passed: None,
        layout: serde_json::to_string(&layout)
            .map_err(|e| ServiceError::Internal(e.to_string()))?,
    };
    let id = store::insert_attempt(&mut c, actor.tenant_id, &row)
        .await
        .map_err(|e| match ServiceError::from(e) {
            // Two starts at once: the second finds the first's number taken.
            ServiceError::Duplicate { .. } => ServiceError::Conflict {
                key: "quiz.started_twice",
            },
            other => other,
        })?;
    crate::audit::record(
        &mut c,
        actor,
        "create",
        "attempt",
        &id.to_string(),
        None,
        Some(&serde_json::json!({"course": course.code, "number": row.number})),
    )
    .await?;
    c.finish(super::completion(completed)).await?;
    view(db, actor, id).await
}

/// An attempt as its taker sees it: no keys before submission; afterwards as much review
/// as the course allows, and which answers were right (and the right answers) only once
/// the learner has passed or has no attempt left: a blank first attempt must not read the
/// key for the second.
pub async fn view(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Attempt> {
    let mut c = db.conn().await?;
    let a = own_attempt(&mut c, actor, id).await?;
    let course = store::course_by_id(&mut c, actor.tenant_id, a.course_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let bank: HashMap<i64, store::QuestionRow> =
        store::questions(&mut c, actor.tenant_id, a.course_id)
            .await?
            .into_iter()
            .map(|q| (q.id, q))
            .collect();
    let answers: HashMap<i64, store::AnswerRow> = store::answers(&mut c, actor.tenant_id, a.id)
        .await?
        .into_iter()
        .map(|r| (r.question_id, r))
        .collect();
    let submitted = a.submitted_at.is_some();
    let now = now_ms();
    let all = store::attempts_of(&mut c, actor.tenant_id, a.course_id, a.employee_id).await?;
    let reviewable = review_allowed(
        all.iter().any(|x| x.passed == Some(true)),
        all.len() as i64,
        course.max_attempts,
        all.iter()
            .any(|x| x.submitted_at.is_none() && x.deadline_at.is_none_or(|d| d > now)),
    );
    let show_correct = submitted && reviewable && course.review != "score";
    let show_key = submitted && reviewable && course.review == "full";
    let mut questions = Vec::new();
    for slot in layout_of(&a)? {
        let Some(row) = bank.get(&slot.q) else {
            continue;
        };
        let q = parse_question(row)?;
        let saved = answers.get(&q.id);
        questions.push(QuestionView {
            id: q.id,
            kind: q.kind.clone(),
            prompt: q.prompt.clone(),
            points: q.points,
            options: slot
                .o
                .iter()
                .filter_map(|i| {
                    q.options.get(*i).map(|t| OptionView {
                        key: *i,
                        text: t.clone(),
                    })
                })
                .collect(),
            answer: saved.and_then(|s| serde_json::from_str(&s.answer).ok()),
            correct: if show_correct {
                Some(saved.and_then(|s| s.correct).unwrap_or(false))
            } else {
                None
            },
            key: show_key.then_some(q.answer),
        });
    }
    Ok(Attempt {
        id: a.id,
        course: course.code,
        number: a.number,
        max_attempts: course.max_attempts,
        started_at: rfc3339(a.started_at),
        deadline: a.deadline_at.map(rfc3339),
        seconds_left: a
            .deadline_at
            .filter(|_| !submitted)
            .map(|d| ((d - now) / 1000).max(0)),
        submitted,
        score: a.score,
        passed: a.passed,
        pass_mark: course.pass_mark,
        review_held: submitted && !reviewable && course.review != "score",
        questions,
    })
}

fn check_answer(answer: &serde_json::Value) -> ServiceResult<String> {
    let text = answer.to_string();
    if text.len() > MAX_ANSWER {
        return Err(ServiceError::Invalid {
            field: "answer",
            key: "error.too_long",
            args: vec![("max", MAX_ANSWER.to_string())],
        });
    }
    Ok(text)
}

/// Saves one answer while the attempt is open and in time.
pub async fn answer(
    db: &Db,
    actor: &Actor,
    id: i64,
    question: i64,
    answer: &serde_json::Value,
) -> ServiceResult<()> {
    let text = check_answer(answer)?;
    let mut c = Change::begin(db, actor).await?;
    c.lock(LockSpace::Learner, own_employee(actor)?).await?;
    let a = own_attempt(&mut c, actor, id).await?;
    if a.submitted_at.is_some() {
        return Err(ServiceError::Conflict {
            key: "quiz.already_submitted",
        });
    }
    if a.deadline_at.is_some_and(|d| now_ms() > d) {
        return Err(ServiceError::Conflict {
            key: "quiz.time_up",
        });
    }
    if !layout_of(&a)?.iter().any(|s| s.q == question) {
        return Err(ServiceError::invalid("question", "quiz.unknown_question"));
    }
    store::save_answer(&mut c, actor.tenant_id, a.id, question, &text).await?;
    // An answer saved mid-quiz changes nothing any cache holds.
    c.finish(&[]).await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SubmitInput {
    /// Answers sent with the submission (question id → answer); saved first if in time.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: HashMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Graded {
    pub attempt: i64,
    pub score: i64,
    pub passed: bool,
    pub pass_mark: i64,
    pub attempts_left: i64,
    /// The course is complete (now or before).
    pub completed: bool,
    pub certificate: Option<String>,
}

/// Grades an open attempt inside the caller's transaction, with `extra` answers saved first
/// (those sent with the submission, in time); every answer is written once with its mark.
/// `None` when someone else graded it first.
async fn grade(
    c: &mut Conn,
    actor: &Actor,
    a: &AttemptRow,
    course: &CourseRow,
    extra: &[(i64, String)],
    now: i64,
) -> ServiceResult<Option<(i64, bool)>> {
    let bank = store::questions(c, actor.tenant_id, a.course_id).await?;
    let mut answers: HashMap<i64, String> = store::answers(c, actor.tenant_id, a.id)
        .await?
        .into_iter()
        .map(|r| (r.question_id, r.answer))
        .collect();
    for (q, text) in extra {
        answers.insert(*q, text.clone());
    }
    let asked: Vec<i64> = layout_of(a)?.iter().map(|s| s.q).collect();
    let (mut earned, mut possible) = (0, 0);
    let mut marks: Vec<(i64, &str, bool)> = Vec::with_capacity(answers.len());
    for q in bank.iter().filter(|q| asked.contains(&q.id)) {
        possible += q.points;
        let Some(given) = answers.get(&q.id) else {
            continue;
        };
        let key: AnswerKey = serde_json::from_str(&q.answer_key)
            .map_err(|_| ServiceError::Internal(format!("question {} key unreadable", q.id)))?;
        let value: serde_json::Value = serde_json::from_str(given).unwrap_or_default();
        let right = key.grade(&value);
        if right {
            earned += q.points;
        }
        marks.push((q.id, given, right));
    }
    let score = score_percent(earned, possible);
    let passed = score >= course.pass_mark;
    if !store::submit_attempt(c, actor.tenant_id, a.id, score, passed, now).await? {
        return Ok(None);
    }
    store::save_graded_answers(c, actor.tenant_id, a.id, &marks).await?;
    crate::audit::record(
        c,
        actor,
        "submit",
        "attempt",
        &a.id.to_string(),
        None,
        Some(&serde_json::json!({"score": score, "passed": passed})),
    )
    .await?;
    Ok(Some((score, passed)))
}

/// Submits an attempt: grades it with the answers saved and those sent with it (if in
/// time), completes the course when this was the last step. Sending it again returns the
/// same result and changes nothing.
pub async fn submit(db: &Db, actor: &Actor, id: i64, input: &SubmitInput) -> ServiceResult<Graded> {
    let mut sent = Vec::with_capacity(input.answers.len());
    for (q, v) in &input.answers {
        let q: i64 = q
            .parse()
            .map_err(|_| ServiceError::invalid("answers", "quiz.unknown_question"))?;
        sent.push((q, check_answer(v)?));
    }
    let mut c = Change::begin(db, actor).await?;
    // One learner's submits and answers go one at a time: a second submit waits and then
    // finds the attempt graded.
    c.lock(LockSpace::Learner, own_employee(actor)?).await?;
    let a = own_attempt(&mut c, actor, id).await?;
    let course = store::course_by_id(&mut c, actor.tenant_id, a.course_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = now_ms();
    let mut result = a.score.zip(a.passed);
    let mut completed_now = false;
    if a.submitted_at.is_none() {
        // Answers that arrive after the deadline are not taken; the attempt is still graded.
        let in_time = a.deadline_at.is_none_or(|d| now <= d);
        if in_time {
            let asked: Vec<i64> = layout_of(&a)?.iter().map(|s| s.q).collect();
            if sent.iter().any(|(q, _)| !asked.contains(q)) {
                return Err(ServiceError::invalid("answers", "quiz.unknown_question"));
            }
        } else {
            sent.clear();
        }
        match grade(&mut c, actor, &a, &course, &sent, now).await? {
            Some(graded) => {
                result = Some(graded);
                if graded.1
                    && let Some(e) = store::active_enrollment(
                        &mut c,
                        actor.tenant_id,
                        a.course_id,
                        a.employee_id,
                    )
                    .await?
                {
                    completed_now =
                        super::offerings::complete_if_met(&mut c, actor, &e, &course, Some(true))
                            .await?;
                }
            }
            // Graded by a submit that raced this one: answer what it recorded.
            None => {
                result = store::attempt(&mut c, actor.tenant_id, a.id)
                    .await?
                    .and_then(|r| r.score.zip(r.passed));
            }
        }
    }
    let (score, passed) = result.unwrap_or((0, false));
    // A pass may have completed the course, now or before.
    let enrollment = if passed {
        store::active_enrollment(&mut c, actor.tenant_id, a.course_id, a.employee_id).await?
    } else {
        None
    };
    c.finish(super::completion(completed_now)).await?;
    Ok(Graded {
        attempt: a.id,
        score,
        passed,
        pass_mark: course.pass_mark,
        // Attempts are numbered in order and a new one grades any left open first, so the
        // one submitted is the latest.
        attempts_left: (course.max_attempts - a.number).max(0),
        completed: enrollment
            .as_ref()
            .is_some_and(|e| e.status == EnrolmentStatus::Completed),
        certificate: enrollment.and_then(|e| e.certificate),
    })
}
