//! Regulation updates: the register (`/peraturan`), one regulation with its relations, file
//! and campaigns, a campaign's compliance or — for the person it targets — the reading and the
//! acknowledgement (`/kampanye/{id}`), and the inbox (`/notifikasi`).

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use cakap_domain::regulation::{Jenis, RegStatus, Relation};
use cakap_domain::{PositionKind, Role};
use cakap_services::notifications::{self, EmailChoice};
use cakap_services::regulations::campaigns::{self, AudienceInput, CampaignInput, Mine};
use cakap_services::regulations::{self as regs, Regulation, RegulationInput, RelationRef, Search};
use cakap_services::{Actor, ServiceError};
use serde::Deserialize;

use super::home::{Bar, Chart};
use super::{OrRefusal, PageResult, Refusal, Ui, blank_to_none, render, render_status};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::{self, Lang, fmt_int};

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

/// One unit's line of a campaign's compliance.
pub struct UnitLine {
    pub name: String,
    pub targeted: String,
    pub acknowledged: String,
    pub owing: String,
    pub pct: String,
    /// Below the others: owing after the due date.
    pub late: bool,
    /// A drill-down link when the unit has units below it in the data.
    pub drill: Option<String>,
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    ui: Ui,
    id: i64,
    label: String,
    judul: String,
    regulation: i64,
    due_on: String,
    version: i64,
    course: Option<String>,
    /// The caller's own reading, when the campaign targets them.
    mine: Option<Mine>,
    /// Compliance, for leaders.
    leader: bool,
    stats: Vec<(String, &'static str)>,
    chart: Option<Chart>,
    units: Vec<UnitLine>,
    owing: Vec<(String, String, String)>,
    owing_more: bool,
    can_remind: bool,
    unit: String,
    /// The unit drilled into, when one is.
    unit_name: Option<String>,
    past_due: bool,
    up: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CampaignQuery {
    unit: String,
    format: String,
    reminded: String,
}

/// People listed as still owing on the page.
const OWING_SHOWN: i64 = 100;

/// `GET /kampanye/{id}`: the reading for whom it targets, the compliance for leaders.
pub async fn campaign(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<CampaignQuery>,
) -> PageResult {
    campaign_view(&s, &actor, &ctx, id, &q, None).await
}

async fn campaign_view(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    id: i64,
    q: &CampaignQuery,
    error: Option<String>,
) -> PageResult {
    let mine = match campaigns::for_me(&s.db, actor, id).await {
        Ok(m) => Some(m),
        Err(ServiceError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let leader = matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan);
    let compliance = if leader {
        match campaigns::get(&s.db, actor, id).await {
            Ok(x) => Some(x),
            Err(ServiceError::NotFound) if mine.is_some() => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    if mine.is_none() && compliance.is_none() {
        return Err(ServiceError::NotFound.into());
    }
    let lang = ctx.lang;
    let ui = Ui::new(ctx, "/peraturan");
    let (label, judul, regulation, due_on, version, course) = match (&compliance, &mine) {
        (Some((k, _)), _) => (
            k.regulation_label.clone(),
            k.judul.clone(),
            k.regulation,
            k.due_on.clone(),
            k.version,
            k.course.clone(),
        ),
        (None, Some(m)) => (
            m.regulation_label.clone(),
            m.judul.clone(),
            m.regulation,
            m.due_on.clone(),
            m.version,
            m.course.as_ref().map(|c| c.0.clone()),
        ),
        (None, None) => return Err(ServiceError::NotFound.into()),
    };
    let mut stats = Vec::new();
    let mut chart = None;
    let mut units = Vec::new();
    let mut owing = Vec::new();
    let mut owing_more = false;
    let mut up = None;
    let unit = q.unit.trim().to_string();
    if let Some((k, rows)) = &compliance {
        let overdue_now = k.overdue > 0;
        // Roll the per-unit rows up to the units one level below the scope (or the unit asked).
        let all = actor.unit_scope();
        let tree: Vec<cakap_store::units::UnitRow> =
            cakap_services::units::tree(&s.db, actor.tenant_id)
                .await?
                .iter()
                .filter(|u| u.path.starts_with(&all))
                .cloned()
                .collect();
        let scope = if unit.is_empty() {
            actor.unit_scope()
        } else {
            tree.iter()
                .find(|u| u.code == unit)
                .map(|u| u.path.clone())
                .ok_or(ServiceError::NotFound)?
        };
        if !unit.is_empty() {
            let parent = tree
                .iter()
                .find(|u| u.code == unit)
                .and_then(|u| u.parent_code.clone())
                .filter(|p| tree.iter().any(|t| &t.code == p));
            up = Some(match parent {
                Some(p) => format!("/kampanye/{id}?unit={p}"),
                None => format!("/kampanye/{id}"),
            });
        }
        let depth = scope.matches('/').count().saturating_sub(1);
        let mut groups: Vec<(String, i64, i64, bool)> = Vec::new();
        for r in rows.iter().filter(|r| r.path.starts_with(&scope)) {
            let ids: Vec<&str> = r.path.trim_matches('/').split('/').collect();
            let take = (depth + 1).min(ids.len());
            let prefix = format!("/{}/", ids[..take].join("/"));
            let deeper = r.path != prefix;
            match groups.iter_mut().find(|g| g.0 == prefix) {
                Some(g) => {
                    g.1 += r.targeted;
                    g.2 += r.acknowledged;
                    g.3 |= deeper;
                }
                None => groups.push((prefix, r.targeted, r.acknowledged, deeper)),
            }
        }
        let targeted: i64 = groups.iter().map(|g| g.1).sum();
        let acknowledged: i64 = groups.iter().map(|g| g.2).sum();
        let pct = |a: i64, t: i64| {
            if t > 0 {
                a as f64 * 100.0 / t as f64
            } else {
                0.0
            }
        };
        stats = vec![
            (fmt_int(lang, targeted), "campaign.targeted"),
            (fmt_int(lang, acknowledged), "campaign.acknowledged"),
            (
                format!("{:.1} %", pct(acknowledged, targeted)),
                "campaign.rate",
            ),
            (
                fmt_int(
                    lang,
                    if overdue_now {
                        targeted - acknowledged
                    } else {
                        0
                    },
                ),
                "campaign.overdue",
            ),
        ];
        let mut lines: Vec<UnitLine> = groups
            .iter()
            .map(|(path, t, a, deeper)| {
                let u = tree.iter().find(|u| &u.path == path);
                let code = u.map(|u| u.code.clone()).unwrap_or_default();
                UnitLine {
                    drill: (*deeper && !code.is_empty())
                        .then(|| format!("/kampanye/{id}?unit={code}")),
                    name: u.map(|u| u.name.clone()).unwrap_or_else(|| "—".into()),
                    targeted: fmt_int(lang, *t),
                    acknowledged: fmt_int(lang, *a),
                    owing: fmt_int(lang, t - a),
                    pct: format!("{} %", share(lang, *a, *t)),
                    late: overdue_now && a < t,
                }
            })
            .collect();
        lines.sort_by(|x, y| x.name.cmp(&y.name));
        if q.format == "csv" || q.format == "xlsx" {
            let table = cakap_services::exports::Table {
                headers: vec![
                    ui.t("field.code"),
                    ui.t("field.unit"),
                    ui.t("campaign.targeted"),
                    ui.t("campaign.acknowledged"),
                    ui.t("campaign.owing"),
                    ui.t("campaign.rate"),
                ],
                rows: groups
                    .iter()
                    .map(|(path, t, a, _)| {
                        let u = tree.iter().find(|u| &u.path == path);
                        vec![
                            u.map(|u| u.code.clone()).unwrap_or_default(),
                            u.map(|u| u.name.clone()).unwrap_or_default(),
                            t.to_string(),
                            a.to_string(),
                            (t - a).to_string(),
                            format!("{:.1}", pct(*a, *t)),
                        ]
                    })
                    .collect(),
            };
            let format = if q.format == "csv" {
                cakap_services::exports::Format::Csv
            } else {
                cakap_services::exports::Format::Xlsx
            };
            return super::download(&table, format, &format!("kepatuhan-kampanye-{id}"));
        }
        // The chart tells who is behind: lowest rate first. The table beside it is by name.
        let mut ranked: Vec<&(String, i64, i64, bool)> = groups.iter().collect();
        ranked.sort_by_key(|(_, t, a, _)| (a * 1000).checked_div(*t).unwrap_or(0));
        chart = (lines.len() >= 2).then(|| Chart {
            title: ui.t("campaign.chart"),
            label_header: ui.t("field.unit"),
            value_header: ui.t("campaign.rate"),
            bars: ranked
                .iter()
                .map(|(path, t, a, _)| Bar {
                    label: tree
                        .iter()
                        .find(|u| &u.path == path)
                        .map(|u| u.name.clone())
                        .unwrap_or_default(),
                    value: format!("{} %", share(lang, *a, *t)),
                    pct: (pct(*a, *t) * 10.0).round() / 10.0,
                    other: false,
                })
                .collect(),
        });
        units = lines;
        let people = campaigns::people(&s.db, actor, id, &scope, OWING_SHOWN + 1).await?;
        owing_more = people.len() as i64 > OWING_SHOWN;
        owing = people
            .into_iter()
            .take(OWING_SHOWN as usize)
            .map(|p| (p.nip, p.name, p.unit_name))
            .collect();
    }
    let unit_name = if unit.is_empty() {
        None
    } else {
        cakap_services::units::tree(&s.db, actor.tenant_id)
            .await?
            .iter()
            .find(|u| u.code == unit)
            .map(|u| u.name.clone())
    };
    let past_due = due_on.as_str() < today().as_str();
    let notice = q
        .reminded
        .trim()
        .parse::<i64>()
        .ok()
        .map(|n| i18n::t_args(lang, "campaign.reminded", &[("n", fmt_int(lang, n))]));
    Ok(render(&CampaignPage {
        id,
        label,
        judul,
        regulation,
        due_on,
        version,
        course,
        mine,
        leader: compliance.is_some(),
        stats,
        chart,
        units,
        owing,
        owing_more,
        can_remind: matches!(actor.role, Role::Admin | Role::Pimpinan) && compliance.is_some(),
        unit,
        unit_name,
        past_due,
        up,
        notice,
        error,
        ui,
    }))
}

/// `POST /kampanye/{id}/konfirmasi`: the targeted person acknowledges.
pub async fn acknowledge(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> PageResult {
    let address = crate::client_address(&headers, addr, s.config.trust_proxy);
    match campaigns::acknowledge(&s.db, &actor, id, &address)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to(&format!("/kampanye/{id}")).into_response()),
        Err(r) => {
            let mut res = campaign_view(
                &s,
                &actor,
                &ctx,
                id,
                &CampaignQuery::default(),
                Some(r.message),
            )
            .await?;
            *res.status_mut() = r.status;
            Ok(res)
        }
    }
}

/// `POST /kampanye/{id}/ingatkan`: a leader reminds their people who still owe.
pub async fn remind(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let n = campaigns::remind(&s.db, &actor, id).await?;
    Ok(Redirect::to(&format!("/kampanye/{id}?reminded={n}")).into_response())
}

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
                detail: match n.body.strip_prefix("due:") {
                    Some(d) => i18n::t_args(lang, "notify.due", &[("date", d.to_string())]),
                    None => n.body,
                },
                title: n.title,
                at: super::wib_ms(n.created_at),
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
        "campaign" | "reminder" | "overdue" | "amended" => kind,
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
