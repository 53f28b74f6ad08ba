//! The regulation register (JDIH; docs/domain.md#regulations): records in the JDIH metadata
//! with their PDF per version and their relations, the folded search, the public JDIHN feed.
//! Campaigns that ask people to read and acknowledge them are in [`campaigns`].

pub mod campaigns;
mod jdih;

pub use jdih::{FeedEntry, feed, public, public_file};

use cakap_domain::Role;
use cakap_domain::learning::search_text;
use cakap_domain::regulation::{self as rule, Jenis, RegStatus, Relation};
use cakap_store::regulations as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, Page, ServiceError, ServiceResult, validate};

/// Largest regulation file.
pub const MAX_FILE: usize = 10 << 20;

/// A relation from one regulation to another.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct RelationRef {
    /// `mencabut` or `mengubah`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The regulation it acts on.
    pub target: i64,
}

/// A regulation as the API shows it (DESIGN §5, second wave).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Regulation {
    pub id: i64,
    pub jenis: String,
    pub nomor: String,
    pub tahun: i64,
    pub judul: String,
    pub teu_badan: String,
    pub tempat_penetapan: Option<String>,
    pub tanggal_penetapan: Option<String>,
    pub tanggal_pengundangan: Option<String>,
    pub tanggal_berlaku: Option<String>,
    pub sumber: Option<String>,
    pub subjek: Option<String>,
    pub bidang_hukum: Option<String>,
    pub bahasa: String,
    pub abstrak: Option<String>,
    /// `berlaku` or `tidak_berlaku`.
    pub status: String,
    /// Regulations that amend this one.
    pub amended_by: Vec<i64>,
    /// The regulation that revoked this one.
    pub revoked_by: Option<i64>,
    /// What this regulation does to others.
    pub relations: Vec<RelationRef>,
    /// Moves when its text changes (an amendment, a new file); campaigns ask again.
    pub version: i64,
    /// Whether the current version has a PDF.
    pub has_file: bool,
    /// Unix ms of the last change: send it back with a PATCH (a stale one is refused, 409).
    pub updated_at: i64,
}

impl Regulation {
    /// "Perbup No. 12 Tahun 2026".
    pub fn label(&self) -> String {
        let short = self.jenis.parse::<Jenis>().map_or("", |j| j.short());
        label(short, &self.nomor, self.tahun)
    }
}

pub fn label(short: &str, nomor: &str, tahun: i64) -> String {
    format!("{short} No. {nomor} Tahun {tahun}")
}

fn view(r: store::RegulationRow, relations: &[store::RelationRow]) -> Regulation {
    let id = r.id;
    Regulation {
        amended_by: relations
            .iter()
            .filter(|x| x.to_id == id && x.kind == Relation::Mengubah.as_str())
            .map(|x| x.from_id)
            .collect(),
        revoked_by: relations
            .iter()
            .find(|x| x.to_id == id && x.kind == Relation::Mencabut.as_str())
            .map(|x| x.from_id),
        relations: relations
            .iter()
            .filter(|x| x.from_id == id)
            .map(|x| RelationRef {
                kind: x.kind.clone(),
                target: x.to_id,
            })
            .collect(),
        id,
        jenis: r.jenis.as_str().into(),
        nomor: r.nomor,
        tahun: r.tahun,
        judul: r.judul,
        teu_badan: r.teu_badan,
        tempat_penetapan: r.tempat_penetapan,
        tanggal_penetapan: r.tanggal_penetapan,
        tanggal_pengundangan: r.tanggal_pengundangan,
        tanggal_berlaku: r.tanggal_berlaku,
        sumber: r.sumber,
        subjek: r.subjek,
        bidang_hukum: r.bidang_hukum,
        bahasa: r.bahasa,
        abstrak: r.abstrak,
        status: r.status.as_str().into(),
        version: r.version,
        has_file: r.file_size.is_some(),
        updated_at: r.updated_at,
    }
}

/// `POST /api/v1/regulations` and the page's form; `PATCH` sends only what changes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RegulationInput {
    pub jenis: Option<String>,
    pub nomor: Option<String>,
    pub tahun: Option<i64>,
    pub judul: Option<String>,
    pub teu_badan: Option<String>,
    pub tempat_penetapan: Option<String>,
    pub tanggal_penetapan: Option<String>,
    pub tanggal_pengundangan: Option<String>,
    pub tanggal_berlaku: Option<String>,
    pub sumber: Option<String>,
    pub subjek: Option<String>,
    pub bidang_hukum: Option<String>,
    pub bahasa: Option<String>,
    pub abstrak: Option<String>,
    /// Relations to record (added to those already there; a relation is never removed).
    pub relations: Option<Vec<RelationRef>>,
    /// `PATCH`: the `updated_at` read; a different one (someone changed it since) is 409.
    pub updated_at: Option<i64>,
}

/// Checked metadata, owned.
struct Checked {
    jenis: Jenis,
    nomor: String,
    tahun: i64,
    judul: String,
    teu_badan: String,
    tempat_penetapan: Option<String>,
    tanggal_penetapan: Option<String>,
    tanggal_pengundangan: Option<String>,
    tanggal_berlaku: Option<String>,
    sumber: Option<String>,
    subjek: Option<String>,
    bidang_hukum: Option<String>,
    bahasa: String,
    abstrak: Option<String>,
}

/// The folded words a regulation is found by: its kind (short and long), number, year,
/// title, subject and abstract.
pub fn index_text(
    jenis: Jenis,
    nomor: &str,
    tahun: i64,
    judul: &str,
    subjek: Option<&str>,
    abstrak: Option<&str>,
) -> String {
    search_text(&[
        jenis.short(),
        jenis.name(),
        nomor,
        &tahun.to_string(),
        judul,
        subjek.unwrap_or(""),
        abstrak.unwrap_or(""),
    ])
}

impl Checked {
    fn data(&self) -> (store::RegulationData<'_>, String) {
        let text = index_text(
            self.jenis,
            &self.nomor,
            self.tahun,
            &self.judul,
            self.subjek.as_deref(),
            self.abstrak.as_deref(),
        );
        (
            store::RegulationData {
                jenis: self.jenis,
                nomor: &self.nomor,
                tahun: self.tahun,
                judul: &self.judul,
                teu_badan: &self.teu_badan,
                tempat_penetapan: self.tempat_penetapan.as_deref(),
                tanggal_penetapan: self.tanggal_penetapan.as_deref(),
                tanggal_pengundangan: self.tanggal_pengundangan.as_deref(),
                tanggal_berlaku: self.tanggal_berlaku.as_deref(),
                sumber: self.sumber.as_deref(),
                subjek: self.subjek.as_deref(),
                bidang_hukum: self.bidang_hukum.as_deref(),
                bahasa: &self.bahasa,
                abstrak: self.abstrak.as_deref(),
                search_text: "",
            },
            text,
        )
    }
}

fn optional_date(field: &'static str, v: Option<&str>) -> ServiceResult<Option<String>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Ok(Some(
            validate::parse_date(field, s)?
                .format("%Y-%m-%d")
                .to_string(),
        )),
    }
}

/// Checks an input over `base` (the stored record for a PATCH); `issuer` is the issuing body
/// when none is given (the tenant's name).
fn check(
    input: &RegulationInput,
    base: Option<&store::RegulationRow>,
    issuer: &str,
) -> ServiceResult<Checked> {
    let pick = |new: &Option<String>, old: Option<&str>| -> Option<String> {
        match new {
            Some(v) => Some(v.clone()),
            None => old.map(str::to_string),
        }
    };
    let jenis_text = pick(&input.jenis, base.map(|b| b.jenis.as_str())).unwrap_or_default();
    let jenis: Jenis = jenis_text
        .parse()
        .map_err(|()| ServiceError::invalid("jenis", "regulation.jenis_invalid"))?;
    let nomor = validate::text(
        "nomor",
        &pick(&input.nomor, base.map(|b| b.nomor.as_str())).unwrap_or_default(),
        40,
    )?;
    let tahun = input.tahun.or(base.map(|b| b.tahun)).unwrap_or(0);
    let this_year = chrono::Datelike::year(&chrono::Local::now().date_naive()) as i64;
    if !(1945..=this_year + 1).contains(&tahun) {
        return Err(ServiceError::Invalid {
            field: "tahun",
            key: "regulation.tahun_invalid",
            args: vec![("max", (this_year + 1).to_string())],
        });
    }
    let judul = validate::paragraph(
        "judul",
        &pick(&input.judul, base.map(|b| b.judul.as_str())).unwrap_or_default(),
        600,
    )?
    .replace('\n', " ");
    let teu_badan = validate::text(
        "teu_badan",
        &pick(&input.teu_badan, base.map(|b| b.teu_badan.as_str()))
            .unwrap_or_else(|| issuer.into()),
        200,
    )?;
    let opt = |field: &'static str, new: &Option<String>, old: Option<&Option<String>>, max| {
        validate::optional_text(
            field,
            pick(new, old.and_then(|o| o.as_deref())).as_deref(),
            max,
        )
    };
    let dates = |field, new: &Option<String>, old: Option<&Option<String>>| {
        optional_date(field, pick(new, old.and_then(|o| o.as_deref())).as_deref())
    };
    let tanggal_penetapan = dates(
        "tanggal_penetapan",
        &input.tanggal_penetapan,
        base.map(|b| &b.tanggal_penetapan),
    )?;
    let tanggal_pengundangan = dates(
        "tanggal_pengundangan",
        &input.tanggal_pengundangan,
        base.map(|b| &b.tanggal_pengundangan),
    )?;
    let tanggal_berlaku = dates(
        "tanggal_berlaku",
        &input.tanggal_berlaku,
        base.map(|b| &b.tanggal_berlaku),
    )?;
    if let (Some(p), Some(u)) = (&tanggal_penetapan, &tanggal_pengundangan)
        && u < p
    {
        return Err(ServiceError::invalid(
            "tanggal_pengundangan",
            "regulation.promulgated_before",
        ));
    }
    Ok(Checked {
        jenis,
        nomor,
        tahun,
        judul,
        teu_badan,
        tempat_penetapan: opt(
            "tempat_penetapan",
            &input.tempat_penetapan,
            base.map(|b| &b.tempat_penetapan),
            100,
        )?,
        tanggal_penetapan,
        tanggal_pengundangan,
        tanggal_berlaku,
        sumber: opt("sumber", &input.sumber, base.map(|b| &b.sumber), 200)?,
        subjek: opt("subjek", &input.subjek, base.map(|b| &b.subjek), 200)?,
        bidang_hukum: opt(
            "bidang_hukum",
            &input.bidang_hukum,
            base.map(|b| &b.bidang_hukum),
            200,
        )?,
        bahasa: validate::text(
            "bahasa",
            &pick(&input.bahasa, base.map(|b| b.bahasa.as_str()))
                .unwrap_or_else(|| "Indonesia".into()),
            40,
        )?,
        abstrak: validate::optional_paragraph(
            "abstrak",
            pick(&input.abstrak, base.and_then(|b| b.abstrak.as_deref())).as_deref(),
            6000,
        )?,
    })
}

fn duplicate(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Duplicate { .. } => ServiceError::Duplicate { field: "nomor" },
        other => other,
    }
}

/// Records a regulation (`admin`), with its relations.
pub async fn create(db: &Db, actor: &Actor, input: &RegulationInput) -> ServiceResult<Regulation> {
    actor.require_admin()?;
    let tenant = crate::service_quality::tenant_name(db, actor.tenant_id).await?;
    let checked = check(input, None, &tenant)?;
    let (mut data, text) = checked.data();
    data.search_text = &text;
    let mut c = Change::begin(db, actor).await?;
    let id = store::insert(&mut c, actor.tenant_id, &data, &actor.username)
        .await
        .map_err(|e| duplicate(e.into()))?;
    for r in input.relations.iter().flatten() {
        relate(&mut c, actor, id, r).await?;
    }
    let out = load(&mut c, actor.tenant_id, id).await?;
    c.record("create", "regulation", &id.to_string(), None, Some(&out))
        .await?;
    c.finish(&[Topic::Regulations]).await?;
    Ok(out)
}

/// Changes a regulation's metadata and adds relations (`admin`). Metadata is a correction
/// and keeps the version; an amendment is a relation from the amending regulation.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &RegulationInput,
) -> ServiceResult<Regulation> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    let row = store::get(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if input.updated_at.is_some_and(|u| u != row.updated_at) {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let before = load(&mut c, actor.tenant_id, id).await?;
    let checked = check(input, Some(&row), &row.teu_badan)?;
    let (mut data, text) = checked.data();
    data.search_text = &text;
    store::update(&mut c, actor.tenant_id, id, &data)
        .await
        .map_err(|e| duplicate(e.into()))?;
    for r in input.relations.iter().flatten() {
        relate(&mut c, actor, id, r).await?;
    }
    let out = load(&mut c, actor.tenant_id, id).await?;
    c.record(
        "update",
        "regulation",
        &id.to_string(),
        Some(&before),
        Some(&out),
    )
    .await?;
    c.finish(&[Topic::Regulations]).await?;
    Ok(out)
}

/// Records `from` acting on `r.target`: revoking sets the target out of force, amending moves
/// it to a new version and asks its open campaigns again.
async fn relate(
    c: &mut Change<'_>,
    actor: &Actor,
    from: i64,
    r: &RelationRef,
) -> ServiceResult<()> {
    let kind: Relation = r
        .kind
        .parse()
        .map_err(|()| ServiceError::invalid("relations", "regulation.relation_kind"))?;
    if r.target == from {
        return Err(ServiceError::invalid(
            "relations",
            "regulation.relation_self",
        ));
    }
    let target = store::get(c, actor.tenant_id, r.target)
        .await?
        .ok_or_else(|| ServiceError::invalid("relations", "regulation.relation_target"))?;
    let edges = store::edges(c, actor.tenant_id).await?;
    if edges.contains(&(from, r.target)) {
        // One relation between two regulations: the same again, or the other kind, is refused.
        return Err(ServiceError::Conflict {
            key: "regulation.relation_exists",
        });
    }
    if target.status != RegStatus::Berlaku {
        return Err(ServiceError::invalid(
            "relations",
            "regulation.target_revoked",
        ));
    }
    if rule::would_cycle(&edges, from, r.target) {
        return Err(ServiceError::invalid(
            "relations",
            "regulation.relation_cycle",
        ));
    }
    store::insert_relation(
        c,
        actor.tenant_id,
        from,
        kind.as_str(),
        r.target,
        &actor.username,
    )
    .await?;
    match kind {
        Relation::Mencabut => {
            store::set_status(c, actor.tenant_id, target.id, RegStatus::TidakBerlaku).await?;
        }
        Relation::Mengubah => {
            let version = store::next_version(c, actor.tenant_id, target.id).await?;
            campaigns::reissue(c, actor, target.id, version).await?;
        }
    }
    c.record(
        kind.as_str(),
        "regulation",
        &target.id.to_string(),
        None,
        Some(&serde_json::json!({"by": from, "type": kind.as_str()})),
    )
    .await?;
    Ok(())
}

async fn load(c: &mut cakap_store::Conn, tenant: i64, id: i64) -> ServiceResult<Regulation> {
    Ok(read(c, tenant, id).await?.0)
}

/// A regulation of `tenant` with its relations (both ways), or not found.
async fn read(
    c: &mut cakap_store::Conn,
    tenant: i64,
    id: i64,
) -> ServiceResult<(Regulation, Vec<store::RelationRow>)> {
    let row = store::get(c, tenant, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let relations = store::relations(c, tenant, id).await?;
    Ok((view(row, &relations), relations))
}

/// The PDF of the current version of a regulation of `tenant`: (file name, bytes).
async fn current_file(
    c: &mut cakap_store::Conn,
    tenant: i64,
    id: i64,
) -> ServiceResult<(String, Vec<u8>)> {
    let row = store::get(c, tenant, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let f = store::file(c, tenant, id, row.version)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((f.filename, f.data))
}

/// One regulation with its relations, for every signed-in role (the register is public
/// information).
pub async fn get(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> ServiceResult<(Regulation, Vec<store::RelationRow>)> {
    read(&mut db.conn().await?, actor.tenant_id, id).await
}

/// What the register is searched by.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct Search {
    /// Words (case and accents ignored), each matched as a word start.
    pub q: Option<String>,
    pub jenis: Option<String>,
    pub tahun: Option<i64>,
    /// `berlaku` or `tidak_berlaku`.
    pub status: Option<String>,
    pub subjek: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A page of the register. Filters that name nothing known are refused (422), so a typo is
/// not read as "no regulations".
pub async fn list(db: &Db, actor: &Actor, s: &Search) -> ServiceResult<Page<Regulation>> {
    let terms = cakap_domain::learning::search_terms(s.q.as_deref().unwrap_or(""));
    let jenis = match s.jenis.as_deref().map(str::trim).filter(|j| !j.is_empty()) {
        Some(j) => Some(
            j.parse::<Jenis>()
                .map_err(|()| ServiceError::invalid("jenis", "regulation.jenis_invalid"))?,
        ),
        None => None,
    };
    let status = match s.status.as_deref().map(str::trim).filter(|j| !j.is_empty()) {
        Some(j) => Some(
            j.parse::<RegStatus>()
                .map_err(|()| ServiceError::invalid("status", "regulation.status_invalid"))?,
        ),
        None => None,
    };
    let subjek = s.subjek.as_deref().map(str::trim).filter(|j| !j.is_empty());
    let (page, per_page) = crate::paging(s.page, s.per_page);
    let mut c = db.conn().await?;
    let (rows, total) = store::list(
        &mut c,
        actor.tenant_id,
        &store::Filter {
            terms: &terms,
            jenis,
            tahun: s.tahun,
            status,
            subjek,
        },
        per_page,
        (page - 1) * per_page,
    )
    .await?;
    // Relations are shown on the record's page; the list says only what it is and whether it
    // is in force.
    Ok(Page {
        items: rows.into_iter().map(|r| view(r, &[])).collect(),
        total,
        page,
        per_page,
    })
}

/// Attaches the PDF of a regulation (`admin`). A different file than the current version's
/// is a new text: the version moves and open campaigns ask again. The same file changes
/// nothing.
pub async fn attach(
    db: &Db,
    actor: &Actor,
    id: i64,
    file: &crate::files::Evidence,
) -> ServiceResult<Regulation> {
    actor.require_admin()?;
    if file.bytes.len() > MAX_FILE {
        return Err(ServiceError::invalid("file", "regulation.file_too_large"));
    }
    if crate::files::evidence_type(&file.bytes) != Some("application/pdf") {
        return Err(ServiceError::invalid("file", "regulation.file_type"));
    }
    use sha2::Digest;
    let sha256 = crate::auth::hex(&sha2::Sha256::digest(&file.bytes));
    let mut c = Change::begin(db, actor).await?;
    let row = store::get(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let current = store::file(&mut c, actor.tenant_id, id, row.version).await?;
    if current.as_ref().is_some_and(|f| f.sha256 == sha256) {
        return load(&mut c, actor.tenant_id, id).await;
    }
    // A file for a version that has none yet is its text (the first file, or the amended text
    // after an amendment moved the version on); replacing a version's own file is a new text.
    let version = if current.as_ref().is_some_and(|f| f.version == row.version) {
        let v = store::next_version(&mut c, actor.tenant_id, id).await?;
        campaigns::reissue(&mut c, actor, id, v).await?;
        v
    } else {
        row.version
    };
    let before = current
        .as_ref()
        .map(|f| serde_json::json!({"version": f.version, "file": f.filename, "sha256": f.sha256}));
    let filename = crate::files::clean_filename(&file.filename);
    store::insert_file(
        &mut c,
        actor.tenant_id,
        id,
        &store::NewFile {
            version,
            filename: &filename,
            sha256: &sha256,
            data: &file.bytes,
        },
        &actor.username,
    )
    .await?;
    c.record(
        "attach",
        "regulation",
        &id.to_string(),
        before.as_ref(),
        Some(&serde_json::json!({"version": version, "file": filename, "sha256": sha256})),
    )
    .await?;
    let out = load(&mut c, actor.tenant_id, id).await?;
    c.finish(&[Topic::Regulations]).await?;
    Ok(out)
}

/// The PDF of a regulation's current version: (file name, bytes).
pub async fn file(db: &Db, actor: &Actor, id: i64) -> ServiceResult<(String, Vec<u8>)> {
    current_file(&mut db.conn().await?, actor.tenant_id, id).await
}

/// Whether `actor` may change the register and run campaigns.
pub fn can_edit(actor: &Actor) -> bool {
    actor.role == Role::Admin
}
