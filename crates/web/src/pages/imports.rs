//! The import page: upload a sheet, check it (nothing written), then import it.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use cakap_services::{ServiceError, imports};

use super::{PageResult, Ui, can_edit, render, render_status};
use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{self, fmt_int};

pub struct Report {
    pub title: String,
    pub rows: String,
    pub valid: String,
    pub created: String,
    pub updated: String,
    pub positions_created: String,
    pub errors: Vec<(usize, String, String)>,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportPage {
    ui: Ui,
    kinds: Vec<(&'static str, &'static str)>,
    kind: String,
    report: Option<Report>,
}

fn kinds(ui: &Ui) -> Vec<(&'static str, &'static str)> {
    imports::KINDS
        .iter()
        .map(|k| {
            let entity = match *k {
                "competencies" => "competency",
                "potentials" => "potentials",
                "requirements" => "requirements",
                k => k.trim_end_matches('s'),
            };
            (*k, ui.t(&format!("audit.ent.{entity}")))
        })
        .collect()
}

pub async fn form(PageActor { actor, ctx }: PageActor) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let ui = Ui::new(&ctx, "/imports");
    Ok(render(&ImportPage {
        kinds: kinds(&ui),
        ui,
        kind: "employees".into(),
        report: None,
    }))
}

pub async fn upload(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    mut multipart: Multipart,
) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let (mut kind, mut commit, mut bytes) = (String::from("employees"), false, Vec::new());
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                match field.bytes().await {
                    Ok(b) if name == "file" => bytes = b.to_vec(),
                    Ok(b) if name == "kind" => kind = String::from_utf8_lossy(&b).into_owned(),
                    Ok(b) if name == "mode" => commit = &b[..] == b"commit",
                    Ok(_) => {}
                    Err(_) => {
                        return Ok(super::error_page(
                            &ctx,
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "import.too_large",
                        ));
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                return Ok(super::error_page(
                    &ctx,
                    StatusCode::BAD_REQUEST,
                    "import.unreadable",
                ));
            }
        }
    }
    let outcome = imports::run(&s.db, &actor, &kind, &bytes, !commit, &|_, _| {}).await?;
    let ui = Ui::new(&ctx, "/imports");
    let lang = ctx.lang;
    let sm = &outcome.summary;
    let title = match (outcome.errors.is_empty(), sm.dry_run) {
        (false, _) => ui.t("imports.result_errors"),
        (true, true) => ui.t("imports.result_checked"),
        (true, false) => ui.t("imports.result_done"),
    };
    let status = if !outcome.errors.is_empty() && commit {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let report = Report {
        title: title.to_string(),
        rows: fmt_int(lang, sm.rows as i64),
        valid: fmt_int(lang, sm.valid as i64),
        created: fmt_int(lang, sm.created as i64),
        updated: fmt_int(lang, sm.updated as i64),
        positions_created: fmt_int(lang, sm.positions_created as i64),
        errors: outcome
            .errors
            .iter()
            .map(|e| (e.row, e.column.clone(), i18n::t_args(lang, e.key, &e.args)))
            .collect(),
    };
    Ok(render_status(
        status,
        &ImportPage {
            kinds: kinds(&ui),
            ui,
            kind,
            report: Some(report),
        },
    ))
}
