//! Importing complaints from a SP4N-LAPOR!-style export: `Nomor Tiket`, `Kode Unit`,
//! `Tanggal`, `Kategori`, `Isi`, `Saluran`, `Pelapor`, `Kontak`, `Status`
//! (docs/domain.md#complaints). A ticket already in Cakap is left as it is, so the same export
//! can be imported again; a status beyond `baru` is reached through the steps, each recorded,
//! dated by `Tanggal Verifikasi` / `Tanggal Selesai` when the export has them — left unknown
//! otherwise (never made up: an unknown date is not judged late) — so the deadlines count as
//! they were kept. `Tanggal Layanan` is kept; the 30-day lodging limit is not applied to an
//! import, whose complaints SP4N-LAPOR! already admitted (docs/domain.md#complaints).

use std::collections::{HashMap, HashSet};

use cakap_domain::skm::{ComplaintClass, ComplaintStatus};
use cakap_store::Conn;
use cakap_store::service_quality as store;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks, parse_date};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceResult, validate};

const SPEC: &[Column] = &[
    Column::optional(
        "ticket",
        &[
            "Nomor Tiket",
            "No. Tiket",
            "No Tiket",
            "ID Laporan",
            "tracking_id",
            "ticket",
        ],
    ),
    Column::required("unit", &["Kode Unit", "unit", "unit_code", "kode_unit"]),
    Column::required(
        "received_on",
        &["Tanggal", "Tanggal Laporan", "Tanggal Masuk", "received_on"],
    ),
    Column::required("class", &["Kategori", "Klasifikasi", "Jenis", "class"]),
    Column::required(
        "summary",
        &["Isi", "Isi Laporan", "Isi Pengaduan", "Judul", "summary"],
    ),
    Column::optional("channel", &["Saluran", "Sumber", "channel"]),
    Column::optional("reporter", &["Pelapor", "Nama Pelapor", "reporter"]),
    Column::optional("contact", &["Kontak", "Kontak Pelapor", "reporter_contact"]),
    Column::optional("status", &["Status", "status"]),
    Column::optional(
        "served_on",
        &["Tanggal Layanan", "Tanggal Pelayanan", "served_on"],
    ),
    Column::optional(
        "verified_on",
        &["Tanggal Verifikasi", "Tanggal Diverifikasi", "verified_on"],
    ),
    Column::optional(
        "resolved_on",
        &["Tanggal Selesai", "Tanggal Ditutup", "resolved_on"],
    ),
];

pub(super) struct Planned {
    unit_id: i64,
    ticket: Option<String>,
    received_on: String,
    served_on: Option<String>,
    verified_on: Option<String>,
    resolved_on: Option<String>,
    class: ComplaintClass,
    summary: String,
    channel: &'static str,
    reporter: Option<String>,
    contact: Option<String>,
    status: ComplaintStatus,
}

/// SP4N-LAPOR! words (and ours) for a class.
fn class_of(s: &str) -> Option<ComplaintClass> {
    let k = s.trim().to_lowercase().replace([' ', '-'], "_");
    match k.as_str() {
        "pengaduan" | "keluhan" => Some(ComplaintClass::Pengaduan),
        "aspirasi" | "saran" => Some(ComplaintClass::Aspirasi),
        "permintaan_informasi" | "informasi" => Some(ComplaintClass::PermintaanInformasi),
        _ => None,
    }
}

/// SP4N-LAPOR! words (and ours) for a status; blank is `baru`.
fn status_of(s: &str) -> Option<ComplaintStatus> {
    let k = s.trim().to_lowercase().replace([' ', '-'], "_");
    match k.as_str() {
        "" | "baru" | "belum_diverifikasi" | "belum_ditindaklanjuti" => Some(ComplaintStatus::Baru),
        "diverifikasi" | "terverifikasi" => Some(ComplaintStatus::Diverifikasi),
        "diproses" | "proses" | "sedang_diproses" | "ditindaklanjuti" => {
            Some(ComplaintStatus::Diproses)
        }
        "selesai" => Some(ComplaintStatus::Selesai),
        "ditolak" => Some(ComplaintStatus::Ditolak),
        "bukan_wewenang" => Some(ComplaintStatus::BukanWewenang),
        _ => None,
    }
}

/// The steps from `baru` to `to`; a refusal goes through verification when the export dates
/// one.
fn path_to(to: ComplaintStatus, verified: bool) -> &'static [ComplaintStatus] {
    use ComplaintStatus::*;
    match to {
        Baru => &[],
        Diverifikasi => &[Diverifikasi],
        Diproses => &[Diverifikasi, Diproses],
        Selesai => &[Diverifikasi, Diproses, Selesai],
        Ditolak if verified => &[Diverifikasi, Ditolak],
        Ditolak => &[Ditolak],
        BukanWewenang => &[BukanWewenang],
    }
}

/// Whether the export may date verification and closing for a complaint at `status`.
fn dated_steps(status: ComplaintStatus) -> (bool, bool) {
    use ComplaintStatus::*;
    match status {
        Baru => (false, false),
        Diverifikasi | Diproses => (true, false),
        Selesai | Ditolak => (true, true),
        BukanWewenang => (false, true),
    }
}

pub(super) struct Complaints;

impl Kind for Complaints {
    const NAME: &'static str = "complaints";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Service];
    type Plan = Vec<Planned>;

    async fn check(
        db: &Db,
        actor: &Actor,
        sheet: &Sheet,
        cols: &Columns,
        errors: &mut Vec<RowError>,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<Ready<Self::Plan>> {
        let units: HashMap<String, i64> = crate::units::tree(db, actor.tenant_id)
            .await?
            .iter()
            .map(|u| (u.code.clone(), u.id))
            .collect();
        let mut c = db.conn().await?;
        let known: HashSet<String> = store::tickets(&mut c, actor.tenant_id)
            .await?
            .into_iter()
            .collect();
        drop(c);
        let today = chrono::Local::now().date_naive();
        let mut plan = Vec::with_capacity(sheet.rows.len());
        let mut seen = HashSet::new();
        let mut valid = 0;
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let fail = |f: &str, key: &'static str, value: &str| {
                RowError::value(row, cols.header(f), key, value)
            };
            let unit = units.get(get("unit")).copied();
            if unit.is_none() {
                errors.push(fail("unit", "import.unknown_unit", get("unit")));
            }
            let received = parse_date(get("received_on"));
            match received {
                None => errors.push(fail("received_on", "import.date", get("received_on"))),
                Some(d) if d > today => {
                    errors.push(fail("received_on", "complaint.future", get("received_on")))
                }
                _ => {}
            }
            // Optional dates: a bad one is an error, a blank one is absent.
            let mut dated = |field: &'static str| -> Option<chrono::NaiveDate> {
                let v = get(field);
                if v.trim().is_empty() {
                    return None;
                }
                match parse_date(v) {
                    Some(d) if d > today => {
                        errors.push(fail(field, "complaint.date_future", v));
                        None
                    }
                    Some(d) => Some(d),
                    None => {
                        errors.push(fail(field, "import.date", v));
                        None
                    }
                }
            };
            let served = dated("served_on");
            let verified = dated("verified_on");
            let resolved = dated("resolved_on");
            if let (Some(r), Some(s)) = (received, served)
                && s > r
            {
                errors.push(fail(
                    "served_on",
                    "complaint.served_after",
                    get("served_on"),
                ));
            }
            let after = |d: Option<chrono::NaiveDate>, from: Option<chrono::NaiveDate>| matches!((d, from), (Some(d), Some(f)) if d < f);
            if after(verified, received) {
                errors.push(fail(
                    "verified_on",
                    "complaint.date_order",
                    get("verified_on"),
                ));
            }
            if after(resolved, verified.or(received)) {
                errors.push(fail(
                    "resolved_on",
                    "complaint.date_order",
                    get("resolved_on"),
                ));
            }
            let class = class_of(get("class"));
            if class.is_none() {
                errors.push(fail("class", "complaint.class_invalid", get("class")));
            }
            let status = status_of(get("status"));
            if status.is_none() {
                errors.push(fail("status", "complaint.status_invalid", get("status")));
            }
            // A date for a step the complaint has not taken is a mistake in the export.
            if let Some(st) = status {
                let (may_verify, may_close) = dated_steps(st);
                if verified.is_some() && !may_verify {
                    errors.push(fail(
                        "verified_on",
                        "complaint.date_step",
                        get("verified_on"),
                    ));
                }
                if resolved.is_some() && !may_close {
                    errors.push(fail(
                        "resolved_on",
                        "complaint.date_step",
                        get("resolved_on"),
                    ));
                }
            }
            let channel = match get("channel").to_lowercase().as_str() {
                "" | "lapor" | "sp4n_lapor" | "sp4n-lapor!" | "sp4n lapor" | "lapor!" => "lapor",
                other => match crate::service_quality::complaints::CHANNELS
                    .iter()
                    .find(|c| **c == other)
                {
                    Some(c) => c,
                    None => {
                        errors.push(fail("channel", "complaint.channel_invalid", get("channel")));
                        "lapor"
                    }
                },
            };
            let mut text = |field: &'static str, max: usize, required: bool| {
                let v = if required {
                    validate::paragraph(field, get(field), max).map(Some)
                } else {
                    validate::optional_text(field, Some(get(field)), max)
                };
                v.map_err(|e| errors.push(super::row_error(row, cols.header(field), e)))
                    .ok()
                    .flatten()
            };
            let summary = text("summary", 4000, true);
            let reporter = text("reporter", 200, false);
            let contact = text("contact", 200, false);
            let ticket = text("ticket", 100, false);
            if let Some(t) = &ticket
                && !seen.insert(t.clone())
            {
                errors.push(fail("ticket", "import.repeated", t));
            }
            if errors.len() == before
                && let (Some(unit_id), Some(received), Some(class), Some(status), Some(summary)) =
                    (unit, received, class, status, summary)
            {
                valid += 1;
                // Already in Cakap from an earlier import: left as it is.
                if !ticket.as_ref().is_some_and(|t| known.contains(t)) {
                    plan.push(Planned {
                        unit_id,
                        ticket,
                        received_on: received.format("%Y-%m-%d").to_string(),
                        served_on: served.map(|d| d.format("%Y-%m-%d").to_string()),
                        verified_on: verified.map(|d| d.format("%Y-%m-%d").to_string()),
                        resolved_on: resolved.map(|d| d.format("%Y-%m-%d").to_string()),
                        class,
                        summary,
                        channel,
                        reporter,
                        contact,
                        status,
                    });
                }
            }
            ticks.checked(done);
        }
        let counts = Counts {
            valid,
            created: plan.len(),
            ..Counts::default()
        };
        Ok(Ready { plan, counts })
    }

    async fn write(
        c: &mut Conn,
        actor: &Actor,
        _: &Columns,
        plan: Self::Plan,
        _: &mut Counts,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()> {
        for (done, p) in plan.iter().enumerate() {
            let id = store::insert_complaint(
                c,
                actor.tenant_id,
                &store::NewComplaint {
                    unit_id: p.unit_id,
                    channel: p.channel,
                    class: p.class,
                    received_on: &p.received_on,
                    served_on: p.served_on.as_deref(),
                    summary: &p.summary,
                    reporter: p.reporter.as_deref(),
                    reporter_contact: p.contact.as_deref(),
                    external_id: p.ticket.as_deref(),
                    created_by: &actor.username,
                },
            )
            .await?;
            store::add_step(c, actor.tenant_id, id, &actor.username, None, "baru", None).await?;
            let mut from = ComplaintStatus::Baru;
            for (v, to) in path_to(p.status, p.verified_on.is_some())
                .iter()
                .enumerate()
            {
                // Only the dates the export gives: none is made up.
                let verified = (*to == ComplaintStatus::Diverifikasi)
                    .then_some(p.verified_on.as_deref())
                    .flatten();
                let closed = to.closed().then_some(p.resolved_on.as_deref()).flatten();
                let reason = to.needs_reason().then_some("Diimpor dari SP4N-LAPOR!");
                store::set_complaint_status(
                    c,
                    actor.tenant_id,
                    id,
                    v as i64 + 1,
                    *to,
                    reason,
                    verified,
                    closed,
                )
                .await?;
                store::add_step(
                    c,
                    actor.tenant_id,
                    id,
                    &actor.username,
                    Some(from.as_str()),
                    to.as_str(),
                    reason,
                )
                .await?;
                from = *to;
            }
            ticks.written(done);
        }
        Ok(())
    }
}
