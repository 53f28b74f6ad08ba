//! Learning pages: the learner's dashboard, the catalogue and a course (classes, modules,
//! quiz, certificate), reading a module (kept for offline reading by the service worker),
//! taking a quiz, classes with attendance, development activities with approval, the 20-JP
//! report, and the public certificate check.

//!
//! One file per page group; the handlers are re-exported here for the router.

mod activity_pages;
mod catalogue_pages;
mod certificate_pages;
mod classes;
mod course;
mod dashboard;
mod enrolment;
mod integration;
mod jp_report;
mod modules;
mod quiz_pages;

pub use activity_pages::*;
pub use catalogue_pages::*;
pub use certificate_pages::*;
pub use classes::*;
pub use course::*;
pub use dashboard::*;
pub use enrolment::*;
pub use integration::*;
pub use jp_report::*;
pub use modules::*;
pub use quiz_pages::*;

use axum::response::{IntoResponse, Redirect, Response};
use cakap_domain::Role;

use super::PageResult;

use crate::i18n::{Lang, fmt_int};

pub(crate) type Fields = axum::Form<Vec<(String, String)>>;

pub(crate) fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

pub(crate) fn rupiah(lang: Lang, n: i64) -> String {
    if n == 0 {
        return crate::i18n::t(lang, "learn.free").to_string();
    }
    format!("Rp {}", fmt_int(lang, n))
}

/// A share with one decimal in the page's language: 19,4 (id), 19.4 (en).
pub(crate) fn pct1(lang: Lang, x: f64) -> String {
    let s = format!("{x:.1}");
    match lang {
        Lang::Id => s.replace('.', ","),
        Lang::En => s,
    }
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn is_author(actor: &cakap_services::Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Instruktur)
}
