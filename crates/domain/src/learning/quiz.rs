//! Quiz grading.

use serde::{Deserialize, Serialize};

use super::*;

string_enum! {
    QuestionKind {
        Single = "single",
        Multiple = "multiple",
        TrueFalse = "true_false",
        Numeric = "numeric",
        Text = "text",
    }
}

/// The right answer of a question; kept on the server, never sent to a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AnswerKey {
    /// Index of the one correct option.
    Single {
        correct: usize,
    },
    /// Indexes of every correct option: all and only these earn the points.
    Multiple {
        correct: Vec<usize>,
    },
    TrueFalse {
        value: bool,
    },
    /// Right within ± tolerance.
    Numeric {
        value: f64,
        tolerance: f64,
    },
    /// Any of these, compared folded (case, accents and spacing ignored).
    Text {
        accept: Vec<String>,
    },
}

impl AnswerKey {
    pub fn kind(&self) -> QuestionKind {
        match self {
            AnswerKey::Single { .. } => QuestionKind::Single,
            AnswerKey::Multiple { .. } => QuestionKind::Multiple,
            AnswerKey::TrueFalse { .. } => QuestionKind::TrueFalse,
            AnswerKey::Numeric { .. } => QuestionKind::Numeric,
            AnswerKey::Text { .. } => QuestionKind::Text,
        }
    }

    /// Whether the key fits a question with `options` choices.
    pub fn valid(&self, options: usize) -> bool {
        match self {
            AnswerKey::Single { correct } => *correct < options && options >= 2,
            AnswerKey::Multiple { correct } => {
                options >= 2 && !correct.is_empty() && correct.iter().all(|c| *c < options)
            }
            AnswerKey::TrueFalse { .. } => true,
            AnswerKey::Numeric { value, tolerance } => {
                value.is_finite() && tolerance.is_finite() && *tolerance >= 0.0
            }
            AnswerKey::Text { accept } => accept.iter().any(|a| !fold(a).is_empty()),
        }
    }

    /// Grades one answer as the learner sent it (JSON): true when fully right. Anything of
    /// the wrong shape is simply wrong.
    pub fn grade(&self, answer: &serde_json::Value) -> bool {
        use serde_json::Value;
        match self {
            AnswerKey::Single { correct } => answer.as_u64() == Some(*correct as u64),
            AnswerKey::Multiple { correct } => {
                let Value::Array(given) = answer else {
                    return false;
                };
                let mut given: Vec<u64> = given.iter().filter_map(Value::as_u64).collect();
                given.sort_unstable();
                given.dedup();
                let mut want: Vec<u64> = correct.iter().map(|c| *c as u64).collect();
                want.sort_unstable();
                want.dedup();
                given == want
            }
            AnswerKey::TrueFalse { value } => answer.as_bool() == Some(*value),
            AnswerKey::Numeric { value, tolerance } => {
                let given = match answer {
                    Value::Number(n) => n.as_f64(),
                    // Indonesian decimals use a comma.
                    Value::String(s) => s.trim().replace(',', ".").parse::<f64>().ok(),
                    _ => None,
                };
                given.is_some_and(|g| g.is_finite() && (g - value).abs() <= tolerance + 1e-9)
            }
            AnswerKey::Text { accept } => answer.as_str().is_some_and(|s| {
                let s = fold(s);
                !s.is_empty() && accept.iter().any(|a| fold(a) == s)
            }),
        }
    }
}

/// Whether a learner may see the right answers (and which of theirs were right) of their
/// attempts: only once they have passed, or have used every attempt and none is still open.
/// Before that, a blank attempt would read the key for the next one.
pub fn review_allowed(passed: bool, attempts: i64, max_attempts: i64, any_open: bool) -> bool {
    passed || (attempts >= max_attempts && !any_open)
}

/// Score in percent (0–100, rounded down to whole points) from points earned of possible.
pub fn score_percent(earned: i64, possible: i64) -> i64 {
    if possible <= 0 {
        return 0;
    }
    (earned.max(0) * 100 / possible).min(100)
}
