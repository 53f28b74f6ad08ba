//! Learning pages: quiz.

use askama::Template;
use axum::extract::{Path, State};
use cakap_domain::learning::AnswerKey;
use cakap_services::learning::catalogue;
use cakap_services::learning::offerings;
use cakap_services::learning::quiz::{self, Attempt};

use crate::AppState;
use crate::extract::PageActor;
use crate::pages::{PageResult, Ui, render};

use super::*;

pub async fn start_quiz(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(code): Path<String>,
) -> PageResult {
    let course = catalogue::get(&s.db, &actor, &code).await?;
    let a = quiz::start(&s.db, &actor, course.id).await?;
    Ok(see_other(&format!("/learn/attempts/{}", a.id)))
}

#[derive(Template)]
#[template(path = "learn_attempt.html")]
pub(super) struct AttemptPage {
    ui: Ui,
    a: Attempt,
    title: String,
    certificate: Option<String>,
}

impl AttemptPage {
    fn checked(&self, q: &cakap_services::learning::quiz::QuestionView, key: &usize) -> bool {
        match &q.answer {
            Some(serde_json::Value::Number(n)) => n.as_u64() == Some(*key as u64),
            Some(serde_json::Value::Array(v)) => v.iter().any(|x| x.as_u64() == Some(*key as u64)),
            _ => false,
        }
    }
    fn is_bool(&self, q: &cakap_services::learning::quiz::QuestionView, b: bool) -> bool {
        q.answer.as_ref().and_then(serde_json::Value::as_bool) == Some(b)
    }
    fn text(&self, q: &cakap_services::learning::quiz::QuestionView) -> String {
        match &q.answer {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }
    /// The right answer in words, for a review that shows it.
    fn key_text(&self, q: &cakap_services::learning::quiz::QuestionView) -> String {
        let option = |i: &usize| {
            q.options
                .iter()
                .find(|o| o.key == *i)
                .map_or_else(String::new, |o| o.text.clone())
        };
        match &q.key {
            Some(AnswerKey::Single { correct }) => option(correct),
            Some(AnswerKey::Multiple { correct }) => {
                correct.iter().map(option).collect::<Vec<_>>().join("; ")
            }
            Some(AnswerKey::TrueFalse { value }) => self
                .ui
                .t(if *value { "quiz.true" } else { "quiz.false" })
                .to_string(),
            Some(AnswerKey::Numeric { value, .. }) => value.to_string(),
            Some(AnswerKey::Text { accept }) => accept.first().cloned().unwrap_or_default(),
            None => String::new(),
        }
    }
}

pub async fn attempt_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let a = quiz::view(&s.db, &actor, id).await?;
    let course = catalogue::get(&s.db, &actor, &a.course).await;
    let certificate = match &course {
        Ok(c) => offerings::in_course(&s.db, &actor, c.id)
            .await
            .ok()
            .flatten()
            .and_then(|(e, _)| e.certificate),
        Err(_) => None,
    };
    Ok(render(&AttemptPage {
        ui: Ui::new(&ctx, "/learn"),
        title: course.map(|c| c.title).unwrap_or_default(),
        certificate,
        a,
    }))
}

/// The quiz form: every answer at once, graded on the server.
pub async fn submit_quiz(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
    axum::Form(f): Fields,
) -> PageResult {
    let a = quiz::view(&s.db, &actor, id).await?;
    let mut answers = std::collections::HashMap::new();
    for q in &a.questions {
        let name = format!("q{}", q.id);
        let values: Vec<&str> = f
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.trim())
            .collect();
        let value = match q.kind.as_str() {
            "single" => values
                .first()
                .and_then(|v| v.parse::<u64>().ok())
                .map(serde_json::Value::from),
            "multiple" => Some(serde_json::Value::from(
                values
                    .iter()
                    .filter_map(|v| v.parse::<u64>().ok())
                    .collect::<Vec<_>>(),
            ))
            .filter(|v| v.as_array().is_some_and(|a| !a.is_empty())),
            "true_false" => values
                .first()
                .map(|v| serde_json::Value::from(*v == "true")),
            _ => values
                .first()
                .filter(|v| !v.is_empty())
                .map(|v| serde_json::Value::from(*v)),
        };
        if let Some(v) = value {
            answers.insert(q.id.to_string(), v);
        }
    }
    quiz::submit(&s.db, &actor, id, &quiz::SubmitInput { answers }).await?;
    Ok(see_other(&format!("/learn/attempts/{id}")))
}
