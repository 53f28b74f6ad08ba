//! The inbox (`/notifikasi`): one's notifications, opening one, marking all read, the e-mail
//! choice.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use cakap_services::notifications::{self, EmailChoice};
use serde::Deserialize;

use crate::AppState;
use crate::extract::PageActor;
use crate::i18n;
use crate::pages::{PageResult, Ui, render};

pub struct InboxLine {
    pub id: i64,
    pub kind: &'static str,
    pub title: String,
    pub detail: String,
    pub at: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    ui: Ui,
    items: Vec<InboxLine>,
    unread: i64,
    email_mode: String,
    email_enabled: bool,
    modes: Vec<(&'static str, &'static str)>,
    saved: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InboxQuery {
    saved: String,
}

/// `GET /notifikasi`.
pub async fn inbox(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<InboxQuery>,
) -> PageResult {
    let inbox = notifications::inbox(&s.db, &actor).await?;
    let ui = Ui::new(&ctx, "/notifikasi");
    let lang = ctx.lang;
    Ok(render(&InboxPage {
        items: inbox
            .items
            .into_iter()
            .map(|n| InboxLine {
                id: n.id,
                kind: ui.t(&format!("notify.kind_{}", kind_key(&n.kind))),
                detail: match (n.body.strip_prefix("due:"), n.body.strip_prefix("until:")) {
                    (Some(d), _) => i18n::t_args(lang, "notify.due", &[("date", d.to_string())]),
                    (_, Some(d)) => i18n::t_args(lang, "notify.until", &[("date", d.to_string())]),
                    _ => n.body,
                },
                title: n.title,
                at: crate::pages::wib_ms(n.created_at),
                read: n.read,
            })
            .collect(),
        unread: inbox.unread,
        email_mode: inbox.email_mode,
        email_enabled: inbox.email_enabled,
        modes: notifications::EMAIL_MODES
            .iter()
            .map(|m| (*m, ui.t(&format!("notify.mode_{m}"))))
            .collect(),
        saved: !q.saved.is_empty(),
        ui,
    }))
}

fn kind_key(kind: &str) -> &str {
    match kind {
        "campaign" | "reminder" | "overdue" | "amended" | "callout" | "cert_expiry" => kind,
        _ => "other",
    }
}

/// `POST /notifikasi/{id}`: marks it read and goes where it points.
pub async fn open(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    notifications::read(&s.db, &actor, id).await?;
    let to = notifications::link(&s.db, &actor, id)
        .await?
        .unwrap_or_else(|| "/notifikasi".into());
    Ok(Redirect::to(&to).into_response())
}

/// `POST /notifikasi/baca-semua`.
pub async fn read_all(State(s): State<AppState>, PageActor { actor, .. }: PageActor) -> PageResult {
    notifications::read_all(&s.db, &actor).await?;
    Ok(Redirect::to("/notifikasi").into_response())
}

/// `POST /notifikasi/surel`: the e-mail choice.
pub async fn email_mode(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Form(f): Form<EmailChoice>,
) -> PageResult {
    notifications::set_email_mode(&s.db, &actor, &f).await?;
    Ok(Redirect::to("/notifikasi?saved=1").into_response())
}
