//! Regulation updates: the register (`/peraturan`), one regulation with its relations, file
//! and campaigns, a campaign's compliance or — for the person it targets — the reading and the
//! acknowledgement (`/kampanye/{id}`), and the inbox (`/notifikasi`).

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::regulation::{Jenis, RegStatus, Relation};
use cakap_domain::{PositionKind, Role};
use cakap_services::Actor;
use cakap_services::regulations::campaigns::{self, AudienceInput, CampaignInput, Mine};
use cakap_services::regulations::{self as regs, Regulation, RegulationInput, RelationRef, Search};
use serde::Deserialize;

use super::{OrRefusal, PageResult, Refusal, Ui, blank_to_none, render, render_status};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::{self, Lang, fmt_int};

mod campaign;
mod inbox;

pub use campaign::{acknowledge, campaign, remind};
pub use inbox::{email_mode, inbox, open, read_all};

const PER_PAGE: i64 = 30;

/// A row of the register.
pub struct RegRow {
    pub id: i64,
    pub label: String,
    pub judul: String,
    pub in_force: bool,
    pub subjek: String,
}

fn reg_row(r: Regulation) -> RegRow {
    RegRow {
        label: r.label(),
        id: r.id,
        judul: r.judul,
        in_force: r.status == RegStatus::Berlaku.as_str(),
        subjek: r.subjek.unwrap_or_default(),
    }
}

/// A campaign in a list: label, due date, acknowledged of targeted.
pub struct CampaignLine {
    pub id: i64,
    pub label: String,
    pub assigned_on: String,
    pub due_on: String,
    pub progress: String,
    pub pct: String,
    pub overdue: bool,
}

/// `part` of `whole` in percent, rounded to one decimal, in the page's language.
fn share(lang: Lang, part: i64, whole: i64) -> String {
    let x = if whole > 0 {
        part as f64 * 100.0 / whole as f64
    } else {
        0.0
    };
    super::learning::pct1(lang, x)
}

fn campaign_line(
    lang: Lang,
    k: &cakap_store::regulations::CampaignRow,
    today: &str,
) -> CampaignLine {
    CampaignLine {
        assigned_on: k.assigned_on.clone(),
        id: k.id,
        label: format!(
            "{} — {}",
            regs::label(k.jenis.short(), &k.nomor, k.tahun),
            k.judul
        ),
        due_on: k.due_on.clone(),
        progress: format!(
            "{} / {}",
            fmt_int(lang, k.acknowledged),
            fmt_int(lang, k.targeted)
        ),
        pct: share(lang, k.acknowledged, k.targeted),
        overdue: k.due_on.as_str() < today && k.acknowledged < k.targeted,
    }
}

fn today() -> String {
    cakap_services::wib::today().format("%Y-%m-%d").to_string()
}

#[derive(Template)]
#[template(path = "regulations.html")]
struct RegisterPage {
    ui: Ui,
    q: Search,
    rows: Vec<RegRow>,
    range: String,
    prev: Option<String>,
    next: Option<String>,
    jenis: Vec<(&'static str, &'static str)>,
    mine: Vec<Mine>,
    campaigns: Vec<CampaignLine>,
    can_edit: bool,
    f: RegForm,
    error: Option<String>,
    error_field: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterQuery {
    q: String,
    jenis: String,
    tahun: String,
    status: String,
    page: String,
}

/// The new-regulation form.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RegForm {
    jenis: String,
    nomor: String,
    tahun: String,
    judul: String,
    teu_badan: String,
    tempat_penetapan: String,
    tanggal_penetapan: String,
    tanggal_pengundangan: String,
    tanggal_berlaku: String,
    sumber: String,
    subjek: String,
    bidang_hukum: String,
    abstrak: String,
}

impl RegForm {
    fn input(&self) -> Result<RegulationInput, Refusal> {
        let tahun = match self.tahun.trim() {
            "" => None,
            t => Some(t.parse::<i64>().map_err(|_| Refusal {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                field: Some("tahun".into()),
                message: String::new(),
            })?),
        };
        Ok(RegulationInput {
            jenis: Some(self.jenis.clone()),
            nomor: Some(self.nomor.clone()),
            tahun: tahun.or(Some(0)),
            judul: Some(self.judul.clone()),
            teu_badan: blank_to_none(&self.teu_badan),
            tempat_penetapan: blank_to_none(&self.tempat_penetapan),
            tanggal_penetapan: blank_to_none(&self.tanggal_penetapan),
            tanggal_pengundangan: blank_to_none(&self.tanggal_pengundangan),
            tanggal_berlaku: blank_to_none(&self.tanggal_berlaku),
            sumber: blank_to_none(&self.sumber),
            subjek: blank_to_none(&self.subjek),
            bidang_hukum: blank_to_none(&self.bidang_hukum),
            bahasa: None,
            abstrak: blank_to_none(&self.abstrak),
            relations: None,
            updated_at: None,
        })
    }
}

fn jenis_options(ui: &Ui) -> Vec<(&'static str, &'static str)> {
    Jenis::ALL
        .iter()
        .map(|j| {
            (
                j.as_str(),
                ui.t(&format!("regulation.jenis_{}", j.as_str())),
            )
        })
        .collect()
}

/// `GET /peraturan`.
pub async fn register(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<RegisterQuery>,
) -> PageResult {
    let f = RegForm {
        tahun: chrono::Local::now().format("%Y").to_string(),
        teu_badan: cakap_services::DEFAULT_TENANT.1.into(),
        ..RegForm::default()
    };
    register_view(&s, &actor, &ctx, &q, f, None).await
}

async fn register_view(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    q: &RegisterQuery,
    f: RegForm,
    refusal: Option<Refusal>,
) -> PageResult {
    let search = Search {
        q: blank_to_none(&q.q),
        jenis: blank_to_none(&q.jenis),
        tahun: q.tahun.trim().parse().ok(),
        status: blank_to_none(&q.status),
        subjek: None,
        page: Some(q.page.trim().parse::<i64>().unwrap_or(1).max(1)),
        per_page: Some(PER_PAGE),
    };
    let list = regs::list(&s.db, actor, &search).await?;
    let pairs = [
        ("q", q.q.clone()),
        ("jenis", q.jenis.clone()),
        ("tahun", q.tahun.clone()),
        ("status", q.status.clone()),
    ];
    let (prev, next) = super::pager("/peraturan", &pairs, list.page, list.per_page, list.total);
    let range = super::page_info(
        ctx.lang,
        list.page,
        list.per_page,
        list.items.len(),
        list.total,
    );
    let mine = campaigns::mine(&s.db, actor).await?;
    let today = today();
    let campaigns = if matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan) {
        campaigns::recent(&s.db, actor)
            .await?
            .iter()
            .map(|k| campaign_line(ctx.lang, k, &today))
            .collect()
    } else {
        Vec::new()
    };
    let ui = Ui::new(ctx, "/peraturan");
    let (status, error_field, error) = Refusal::split(refusal);
    Ok(render_status(
        status,
        &RegisterPage {
            jenis: jenis_options(&ui),
            q: search,
            rows: list.items.into_iter().map(reg_row).collect(),
            range,
            prev,
            next,
            mine,
            campaigns,
            can_edit: regs::can_edit(actor),
            f,
            error,
            error_field,
            ui,
        },
    ))
}

/// `POST /peraturan`: records a regulation.
pub async fn create(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<RegForm>,
) -> PageResult {
    let input = match f.input() {
        Ok(i) => i,
        Err(mut r) => {
            r.message = i18n::t(ctx.lang, "regulation.tahun_number").into();
            return register_view(&s, &actor, &ctx, &RegisterQuery::default(), f, Some(r)).await;
        }
    };
    match regs::create(&s.db, &actor, &input).await.or_refusal()? {
        Ok(r) => Ok(Redirect::to(&format!("/peraturan/{}", r.id)).into_response()),
        Err(r) => register_view(&s, &actor, &ctx, &RegisterQuery::default(), f, Some(r)).await,
    }
}

/// The relations of regulation `id` as its page shows them; `public` pages link to the
/// public records.
fn relation_lines(
    ui: &Ui,
    id: i64,
    rels: &[cakap_store::regulations::RelationRow],
    public: bool,
) -> Vec<RelationLine> {
    rels.iter()
        .map(|x| {
            let outgoing = x.from_id == id;
            let text = match (x.kind.as_str(), outgoing) {
                ("mencabut", true) => "regulation.rel_revokes",
                ("mencabut", false) => "regulation.rel_revoked_by",
                (_, true) => "regulation.rel_amends",
                (_, false) => "regulation.rel_amended_by",
            };
            RelationLine {
                text: ui.t(text),
                href: format!(
                    "/{}/{}",
                    if public { "jdih" } else { "peraturan" },
                    x.other_id
                ),
                other: format!(
                    "{} — {}",
                    regs::label(x.other_jenis.short(), &x.other_nomor, x.other_tahun),
                    x.other_judul
                ),
                at: super::wib_ms(x.created_at),
                by: if public {
                    String::new()
                } else {
                    x.created_by.clone()
                },
            }
        })
        .collect()
}

/// A relation as a record's page shows it.
pub struct RelationLine {
    pub text: &'static str,
    pub href: String,
    pub other: String,
    pub at: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "regulation.html")]
struct RegulationPage {
    ui: Ui,
    r: Regulation,
    /// The date it comes into force, while that is still ahead.
    not_yet: Option<String>,
    label: String,
    jenis_name: &'static str,
    relations: Vec<RelationLine>,
    campaigns: Vec<CampaignLine>,
    can_edit: bool,
    sees_campaigns: bool,
    /// The public JDIH page: no navigation back to the register, public links.
    public: bool,
    units: Vec<super::UnitOption>,
    kinds: Vec<(&'static str, &'static str)>,
    courses: Vec<(String, String)>,
    relation_kinds: Vec<(&'static str, &'static str)>,
    due_default: String,
    error: Option<String>,
    error_field: String,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NoticeQuery {
    targeted: String,
}

/// `GET /peraturan/{id}`.
pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let notice = q
        .targeted
        .trim()
        .parse::<i64>()
        .ok()
        .map(|n| i18n::t_args(ctx.lang, "campaign.created", &[("n", fmt_int(ctx.lang, n))]));
    show_view(&s, &actor, &ctx, id, None, notice).await
}

async fn show_view(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    id: i64,
    refusal: Option<Refusal>,
    notice: Option<String>,
) -> PageResult {
    let (r, rels) = regs::get(&s.db, actor, id).await?;
    let ui = Ui::new(ctx, "/peraturan");
    let relations = relation_lines(&ui, id, &rels, false);
    let sees_campaigns = matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan);
    let today = today();
    let campaigns = if sees_campaigns {
        campaigns::of_regulation(&s.db, actor, id)
            .await?
            .iter()
            .map(|k| campaign_line(ctx.lang, k, &today))
            .collect()
    } else {
        Vec::new()
    };
    let can_edit = regs::can_edit(actor);
    let (units, courses) = if can_edit {
        let units = cakap_services::units::list(&s.db, actor).await?.items;
        let courses = cakap_services::learning::catalogue::list(
            &s.db,
            actor,
            &cakap_services::learning::catalogue::CourseQuery {
                per_page: Some(200),
                ..Default::default()
            },
        )
        .await?
        .items
        .into_iter()
        .map(|c| (c.code, c.title))
        .collect();
        (super::unit_options(&units), courses)
    } else {
        (Vec::new(), Vec::new())
    };
    let (status, error_field, error) = Refusal::split(refusal);
    let jenis_name = ui.t(&format!("regulation.jenis_{}", r.jenis));
    Ok(render_status(
        status,
        &RegulationPage {
            not_yet: r
                .tanggal_berlaku
                .clone()
                .filter(|d| d.as_str() > today.as_str()),
            label: r.label(),
            jenis_name,
            relations,
            campaigns,
            can_edit,
            sees_campaigns,
            public: false,
            units,
            kinds: PositionKind::ALL
                .iter()
                .map(|k| (k.as_str(), ui.t(&format!("kind.{}", k.as_str()))))
                .collect(),
            courses,
            relation_kinds: Relation::ALL
                .iter()
                .map(|k| (k.as_str(), ui.t(&format!("regulation.rel_{}", k.as_str()))))
                .collect(),
            due_default: (cakap_services::wib::today() + chrono::Days::new(14))
                .format("%Y-%m-%d")
                .to_string(),
            r,
            error,
            error_field,
            notice,
            ui,
        },
    ))
}

/// `GET /jdih/{id}`: a regulation for anyone (the JDIHN feed links here), without campaigns.
pub async fn public_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let (r, rels) = regs::public(&s.db, id).await?;
    let ui = Ui::new(&ctx, "/jdih");
    let today = today();
    let relations = relation_lines(&ui, id, &rels, true);
    let jenis_name = ui.t(&format!("regulation.jenis_{}", r.jenis));
    Ok(render(&RegulationPage {
        not_yet: r
            .tanggal_berlaku
            .clone()
            .filter(|d| d.as_str() > today.as_str()),
        label: r.label(),
        jenis_name,
        relations,
        campaigns: Vec::new(),
        can_edit: false,
        sees_campaigns: false,
        public: true,
        units: Vec::new(),
        kinds: Vec::new(),
        courses: Vec::new(),
        relation_kinds: Vec::new(),
        due_default: String::new(),
        r,
        error: None,
        error_field: String::new(),
        notice: None,
        ui,
    }))
}

/// `GET /jdih/{id}/berkas`: the current PDF, for anyone.
pub async fn public_file(State(s): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let (name, bytes) = regs::public_file(&s.db, id).await?;
    Ok(crate::api::file_response(&name, "application/pdf", bytes))
}

/// `GET /peraturan/{id}/berkas`: the current version's PDF.
pub async fn file(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let (name, bytes) = regs::file(&s.db, &actor, id).await?;
    Ok(crate::api::file_response(&name, "application/pdf", bytes))
}

/// `POST /peraturan/{id}/berkas`: attaches a PDF.
pub async fn upload(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> PageResult {
    let file = match super::read_multipart(multipart, "file").await {
        Ok((_, Some(f))) => f,
        Ok((_, None)) => {
            return show_view(
                &s,
                &actor,
                &ctx,
                id,
                Some(refusal(
                    ctx.lang,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "file",
                    "regulation.file_missing",
                )),
                None,
            )
            .await;
        }
        Err((status, _)) => {
            let key = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "regulation.file_too_large"
            } else {
                "error.malformed_body"
            };
            return show_view(
                &s,
                &actor,
                &ctx,
                id,
                Some(refusal(ctx.lang, status, "file", key)),
                None,
            )
            .await;
        }
    };
    match regs::attach(&s.db, &actor, id, &file).await.or_refusal()? {
        Ok(_) => Ok(Redirect::to(&format!("/peraturan/{id}")).into_response()),
        Err(r) => show_view(&s, &actor, &ctx, id, Some(r), None).await,
    }
}

fn refusal(lang: Lang, status: StatusCode, field: &str, key: &str) -> Refusal {
    Refusal {
        status,
        field: Some(field.into()),
        message: i18n::t(lang, key).into(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RelationForm {
    kind: String,
    /// "perbup 7 2026" style: jenis, nomor, tahun; or the id.
    target: String,
}

/// `POST /peraturan/{id}/relasi`: this regulation revokes or amends another.
pub async fn relate(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<RelationForm>,
) -> PageResult {
    let Ok(target) = f.target.trim().parse::<i64>() else {
        return show_view(
            &s,
            &actor,
            &ctx,
            id,
            Some(refusal(
                ctx.lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                "relations",
                "regulation.relation_target",
            )),
            None,
        )
        .await;
    };
    let input = RegulationInput {
        relations: Some(vec![RelationRef {
            kind: f.kind.clone(),
            target,
        }]),
        ..Default::default()
    };
    match regs::update(&s.db, &actor, id, &input).await.or_refusal()? {
        Ok(_) => Ok(Redirect::to(&format!("/peraturan/{id}")).into_response()),
        Err(r) => show_view(&s, &actor, &ctx, id, Some(r), None).await,
    }
}

/// The campaign form: checkboxes and multi-selects arrive as repeated fields.
#[derive(Default)]
struct CampaignForm {
    all: bool,
    units: Vec<String>,
    kinds: Vec<String>,
    competencies: Vec<String>,
    due_on: String,
    course: String,
}

impl CampaignForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> CampaignForm {
        let mut f = CampaignForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "all" => f.all = v == "on" || v == "true",
                "units" if !v.trim().is_empty() => f.units.push(v),
                "position_kinds" if !v.trim().is_empty() => f.kinds.push(v),
                "competencies" => f.competencies.extend(
                    v.split([',', ' ', '\n'])
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string),
                ),
                "due_on" => f.due_on = v,
                "course" => f.course = v,
                _ => {}
            }
        }
        f
    }
}

/// `POST /peraturan/{id}/kampanye`: starts a campaign.
pub async fn create_campaign(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> PageResult {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let f = CampaignForm::from_pairs(pairs);
    let input = CampaignInput {
        audience: AudienceInput {
            all: f.all,
            units: f.units,
            position_kinds: f.kinds,
            competencies: f.competencies,
        },
        due_on: f.due_on,
        course: blank_to_none(&f.course),
    };
    match campaigns::create(&s.db, &actor, id, &input)
        .await
        .or_refusal()?
    {
        Ok(c) => Ok(Redirect::to(&format!("/kampanye/{}", c.id)).into_response()),
        Err(r) => show_view(&s, &actor, &ctx, id, Some(r), None).await,
    }
}
