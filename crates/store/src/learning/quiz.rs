//! Questions and quiz attempts.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar};

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub position: i64,
    pub kind: String,
    pub prompt: String,
    /// JSON array of option texts.
    pub options: String,
    /// JSON `AnswerKey`.
    pub answer_key: String,
    pub points: i64,
}

pub async fn questions(c: &mut Conn, tenant: i64, course: i64) -> Result<Vec<QuestionRow>> {
    Ok(fetch_all!(
        c,
        QuestionRow,
        "SELECT id, position, kind, prompt, options, answer_key, points FROM questions \
         WHERE tenant_id = $1 AND course_id = $2 ORDER BY position, id",
        tenant,
        course
    )?)
}

pub struct NewQuestion<'a> {
    pub kind: &'a str,
    pub prompt: &'a str,
    pub options: &'a str,
    pub answer_key: &'a str,
    pub points: i64,
}

pub async fn insert_question(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    q: &NewQuestion<'_>,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO questions (tenant_id, course_id, position, kind, prompt, options, answer_key, \
         points) VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM questions \
         WHERE tenant_id = $1 AND course_id = $2), $3, $4, $5, $6, $7) RETURNING id",
        tenant,
        course,
        q.kind,
        q.prompt,
        q.options,
        q.answer_key,
        q.points
    )?)
}

/// Deletes a question no attempt has answered; false otherwise.
pub async fn delete_question(c: &mut Conn, tenant: i64, course: i64, id: i64) -> Result<bool> {
    Ok(execute!(
        c,
        "DELETE FROM questions WHERE tenant_id = $1 AND course_id = $2 AND id = $3 \
         AND NOT EXISTS (SELECT 1 FROM attempt_answers a WHERE a.tenant_id = $1 \
         AND a.question_id = $3)",
        tenant,
        course,
        id
    )? == 1)
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: i64,
    pub course_id: i64,
    pub employee_id: i64,
    pub number: i64,
    pub started_at: i64,
    pub deadline_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub score: Option<i64>,
    pub passed: Option<bool>,
    pub layout: String,
}

pub(super) const ATTEMPT: &str = "SELECT id, course_id, employee_id, number, started_at, deadline_at, \
    submitted_at, score, passed, layout FROM quiz_attempts";

pub async fn attempt(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<AttemptRow>> {
    Ok(fetch_optional!(
        c,
        AttemptRow,
        sqlx::AssertSqlSafe(format!("{ATTEMPT} WHERE tenant_id = $1 AND id = $2")),
        tenant,
        id
    )?)
}

pub async fn attempts_of(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    employee: i64,
) -> Result<Vec<AttemptRow>> {
    Ok(fetch_all!(
        c,
        AttemptRow,
        sqlx::AssertSqlSafe(format!(
            "{ATTEMPT} WHERE tenant_id = $1 AND course_id = $2 AND employee_id = $3 ORDER BY number"
        )),
        tenant,
        course,
        employee
    )?)
}

pub async fn insert_attempt(c: &mut Conn, tenant: i64, a: &AttemptRow) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO quiz_attempts (tenant_id, course_id, employee_id, number, started_at, \
         deadline_at, layout) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        tenant,
        a.course_id,
        a.employee_id,
        a.number,
        a.started_at,
        a.deadline_at,
        &a.layout
    )?)
}

pub async fn save_answer(
    c: &mut Conn,
    tenant: i64,
    attempt: i64,
    question: i64,
    answer: &str,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO attempt_answers (tenant_id, attempt_id, question_id, answer) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, attempt_id, question_id) \
         DO UPDATE SET answer = excluded.answer",
        tenant,
        attempt,
        question,
        answer
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub question_id: i64,
    pub answer: String,
    pub correct: Option<bool>,
}

pub async fn answers(c: &mut Conn, tenant: i64, attempt: i64) -> Result<Vec<AnswerRow>> {
    Ok(fetch_all!(
        c,
        AnswerRow,
        "SELECT question_id, answer, correct FROM attempt_answers \
         WHERE tenant_id = $1 AND attempt_id = $2",
        tenant,
        attempt
    )?)
}

/// Writes the answers of a graded attempt with their marks, in one statement.
pub async fn save_graded_answers(
    c: &mut Conn,
    tenant: i64,
    attempt: i64,
    marks: &[(i64, &str, bool)],
) -> Result<()> {
    if marks.is_empty() {
        return Ok(());
    }
    let mut d = Dynamic::new(
        "INSERT INTO attempt_answers (tenant_id, attempt_id, question_id, answer, correct) VALUES ",
    );
    for (i, (question, answer, correct)) in marks.iter().enumerate() {
        d.push(
            if i == 0 {
                "(?, ?, ?, ?, ?)"
            } else {
                ", (?, ?, ?, ?, ?)"
            },
            [
                Arg::I64(tenant),
                Arg::I64(attempt),
                Arg::I64(*question),
                Arg::Text((*answer).to_string()),
                Arg::Bool(*correct),
            ],
        );
    }
    d.sql.push_str(
        " ON CONFLICT (tenant_id, attempt_id, question_id) DO UPDATE \
         SET answer = excluded.answer, correct = excluded.correct",
    );
    d.execute(c).await?;
    Ok(())
}

/// Records the grade of an attempt not yet submitted; false when it already was (a double
/// submit), so it counts once.
pub async fn submit_attempt(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    score: i64,
    passed: bool,
    at: i64,
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE quiz_attempts SET submitted_at = $1, score = $2, passed = $3 \
         WHERE tenant_id = $4 AND id = $5 AND submitted_at IS NULL",
        at,
        score,
        passed,
        tenant,
        id
    )? == 1)
}
