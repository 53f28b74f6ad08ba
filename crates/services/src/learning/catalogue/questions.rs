//! Quiz questions and their keys (shown only to the course staff).

use super::super::{guards, require_author};
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};
use cakap_domain::learning::{AnswerKey, QuestionKind};
use cakap_store::learning::{self as store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::*;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuestionInput {
    pub prompt: String,
    /// Choices for `single` and `multiple` (2–8).
    #[serde(default)]
    pub options: Vec<String>,
    /// `{"kind":"single","correct":1}`, `{"kind":"multiple","correct":[0,2]}`,
    /// `{"kind":"true_false","value":true}`, `{"kind":"numeric","value":20,"tolerance":0}`,
    /// `{"kind":"text","accept":["tanggap darurat"]}`.
    #[schema(value_type = Object)]
    pub answer: AnswerKey,
    pub points: Option<i64>,
}

/// A question as its authors see it (with the key). Learners never receive this.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Question {
    pub id: i64,
    pub position: i64,
    pub kind: String,
    pub prompt: String,
    pub options: Vec<String>,
    #[schema(value_type = Object)]
    pub answer: AnswerKey,
    pub points: i64,
}

pub(crate) fn parse_question(q: &store::QuestionRow) -> ServiceResult<Question> {
    let bad = |_| ServiceError::Internal(format!("question {} is unreadable", q.id));
    Ok(Question {
        id: q.id,
        position: q.position,
        kind: q.kind.clone(),
        prompt: q.prompt.clone(),
        options: serde_json::from_str(&q.options).map_err(bad)?,
        answer: serde_json::from_str(&q.answer_key).map_err(bad)?,
        points: q.points,
    })
}

/// The question bank with its keys: `admin`, the course's authors and the trainers of its
/// classes.
pub async fn questions(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Vec<Question>> {
    require_author(actor)?;
    let mut c = db.conn().await?;
    let course = row(&mut c, actor, code).await?;
    if !guards::may_read_keys(&mut c, actor, course.id).await? {
        return Err(ServiceError::Forbidden);
    }
    store::questions(&mut c, actor.tenant_id, course.id)
        .await?
        .iter()
        .map(parse_question)
        .collect()
}

pub async fn add_question(
    db: &Db,
    actor: &Actor,
    code: &str,
    i: &QuestionInput,
) -> ServiceResult<Question> {
    require_author(actor)?;
    let prompt = validate::text("prompt", &i.prompt, 2000)?;
    let kind = i.answer.kind();
    let options: Vec<String> = match kind {
        QuestionKind::Single | QuestionKind::Multiple => i
            .options
            .iter()
            .map(|o| validate::text("options", o, 500))
            .collect::<ServiceResult<_>>()?,
        _ => Vec::new(),
    };
    if matches!(kind, QuestionKind::Single | QuestionKind::Multiple)
        && !(2..=8).contains(&options.len())
    {
        return Err(ServiceError::invalid("options", "quiz.options_count"));
    }
    if !i.answer.valid(options.len()) {
        return Err(ServiceError::invalid("answer", "quiz.bad_key"));
    }
    let points = i.points.unwrap_or(1);
    if !(1..=100).contains(&points) {
        return Err(ServiceError::invalid("points", "quiz.points_range"));
    }
    let options_json =
        serde_json::to_string(&options).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let key_json =
        serde_json::to_string(&i.answer).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let mut c = Change::begin(db, actor).await?;
    let course = row(&mut c, actor, code).await?;
    let id = store::insert_question(
        &mut c,
        actor.tenant_id,
        course.id,
        &store::NewQuestion {
            kind: kind.as_str(),
            prompt: &prompt,
            options: &options_json,
            answer_key: &key_json,
            points,
        },
    )
    .await?;
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    let out = store::questions(&mut c, actor.tenant_id, course.id)
        .await?
        .iter()
        .find(|q| q.id == id)
        .map(parse_question)
        .ok_or(ServiceError::NotFound)??;
    // The log keeps the question, not its key: the auditor reads the log.
    c.record(
        "create",
        "question",
        &id.to_string(),
        None,
        Some(&guards::audited_question(&out)),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

/// Removes a question that no attempt has answered yet (answered ones stay, so past grades
/// can be reviewed).
pub async fn delete_question(db: &Db, actor: &Actor, code: &str, id: i64) -> ServiceResult<()> {
    require_author(actor)?;
    let mut c = Change::begin(db, actor).await?;
    let course = row(&mut c, actor, code).await?;
    let before = store::questions(&mut c, actor.tenant_id, course.id)
        .await?
        .iter()
        .find(|q| q.id == id)
        .map(parse_question)
        .ok_or(ServiceError::NotFound)??;
    if !store::delete_question(&mut c, actor.tenant_id, course.id, id).await? {
        return Err(ServiceError::Conflict {
            key: "quiz.question_answered",
        });
    }
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    c.record(
        "delete",
        "question",
        &id.to_string(),
        Some(&guards::audited_question(&before)),
        None,
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(())
}
