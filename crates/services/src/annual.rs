//! The annual report "Laporan Pengembangan Kompetensi ASN {year}" (`cakap report annual`,
//! `GET /api/v1/reports/annual`, the dashboard's links): the leadership view, the 20-JP
//! report, JPM per OPD, equity, the talent map, public service, readiness and regulations, as
//! a PDF (charts drawn as vectors) and as an XLSX with one sheet per section. Both are made
//! from the same [`Section`]s, so their tables cannot differ (the XLSX leaves out the prose).

use crate::exports::{Table, to_book};
use crate::pdf::{Col, Document};
use crate::{Actor, Db, ServiceResult};
use cakap_domain::equity::GroupBy;
use cakap_domain::{Role, rupiah as rp};

/// A chart drawn above a section's table in the PDF.
pub enum Chart {
    /// (label, value, value as shown), scaled to the maximum.
    Bars(Vec<(String, f64, String)>, f64),
    /// x labels, named series, low and high of the axis.
    Lines(Vec<String>, Vec<(String, Vec<Option<f64>>)>, f64, f64),
}

pub struct Section {
    pub title: String,
    /// The XLSX sheet's name (≤ 31 characters).
    pub sheet: &'static str,
    pub text: Vec<String>,
    pub chart: Option<Chart>,
    pub table: Table,
    /// Column widths in the PDF (shares of the width), one per header; the first left-aligned.
    pub widths: Vec<f32>,
}

pub struct Report {
    pub year: i64,
    /// "Kabupaten Aceh Barat Daya".
    pub regency: String,
    pub scope: String,
    pub sections: Vec<Section>,
}

fn pct(x: f64) -> String {
    format!("{x:.1} %").replace('.', ",")
}

fn dec(x: f64, places: usize) -> String {
    format!("{x:.places$}").replace('.', ",")
}

fn opt(x: Option<f64>, places: usize) -> String {
    x.map_or_else(|| "—".into(), |v| dec(v, places))
}

/// The report for the actor's scope (`admin`, `auditor`; a `pimpinan` gets their subtree).
pub async fn report(db: &Db, actor: &Actor, year: i64) -> ServiceResult<Report> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let d = crate::leadership::dashboard(db, actor, None, year).await?;
    let eq = crate::equity::report(db, actor, None, year).await?;
    let jp = crate::learning::jp::summary(db, actor, None, year).await?;
    let gaps = crate::gaps::unit(db, actor, None).await?;
    let ikm = crate::service_quality::table(db, actor, &year.to_string()).await?;
    let scope = match actor.unit_path.as_deref() {
        Some(_) if actor.role == Role::Pimpinan => {
            let tree = crate::units::tree(db, actor.tenant_id).await?;
            let path = actor.unit_scope();
            tree.iter()
                .find(|u| u.path == path)
                .map_or_else(|| "Unit".into(), |u| u.name.clone())
        }
        _ => "Seluruh perangkat daerah".into(),
    };

    let mut sections = Vec::new();
    let years: Vec<String> = d.jpm_trend.iter().map(|v| v.year.to_string()).collect();
    sections.push(Section {
        title: "1. Ringkasan".into(),
        sheet: "Ringkasan",
        text: {
            let mut t = vec![format!(
                "Pada {year}, {} ASN aktif; {} mencapai 20 JP (rata-rata {} JP per ASN). \
                 Rata-rata JPM {}. Gini JP {}, belanja {}, JPM {}.",
                d.people,
                pct(d.share_20jp),
                dec(d.jp_avg, 1),
                opt(d.jpm, 2),
                dec(d.gini.jp, 4),
                dec(d.gini.spend, 4),
                dec(d.gini.jpm, 4)
            )];
            if let Some(b) = &d.behind {
                t.push(format!(
                    "Paling tertinggal: {} ({} mencapai 20 JP).",
                    b.name,
                    pct(b.share)
                ));
            }
            if let Some(m) = &d.improving {
                t.push(format!(
                    "Paling membaik: {} (dari {} menjadi {}).",
                    m.name,
                    pct(m.previous.unwrap_or(0.0)),
                    pct(m.share)
                ));
            }
            t
        },
        chart: Some(Chart::Lines(
            years.clone(),
            vec![
                (
                    "% mencapai 20 JP".into(),
                    d.share_20jp_trend.iter().map(|v| v.value).collect(),
                ),
                (
                    "Rata-rata JPM".into(),
                    d.jpm_trend.iter().map(|v| v.value).collect(),
                ),
            ],
            0.0,
            100.0,
        )),
        table: Table {
            headers: vec!["Ukuran", "Nilai"],
            rows: vec![
                vec!["ASN aktif".into(), num(d.people)],
                vec!["Rata-rata JPM".into(), opt(d.jpm, 2)],
                vec!["% mencapai 20 JP".into(), pct(d.share_20jp)],
                vec!["Rata-rata JP".into(), dec(d.jp_avg, 1)],
                vec!["Gini JP".into(), dec(d.gini.jp, 4)],
                vec!["Gini belanja pelatihan".into(), dec(d.gini.spend, 4)],
                vec!["Gini JPM".into(), dec(d.gini.jpm, 4)],
                vec!["IKM rata-rata".into(), opt(d.ikm, 2)],
                vec!["Belanja pelatihan".into(), rp(d.budget.spent)],
                vec![
                    "Pagu rencana pelatihan".into(),
                    d.budget.planned_budget.map_or_else(|| "—".into(), rp),
                ],
            ],
        },
        widths: vec![0.6, 0.4],
    });

    sections.push(Section {
        title: "2. Hak 20 JP per perangkat daerah".into(),
        sheet: "20 JP",
        text: vec![format!(
            "{} dari {} ASN mencapai 20 JP pengembangan kompetensi (PP 17/2020 Ps 203).",
            jp.met, jp.employees
        )],
        chart: Some(Chart::Bars(
            jp.units
                .iter()
                .map(|u| (u.name.clone(), u.share, pct(u.share)))
                .collect(),
            100.0,
        )),
        table: Table {
            headers: vec!["Unit", "ASN", "Capai 20 JP", "Persen", "Rata JP"],
            rows: jp
                .units
                .iter()
                .map(|u| {
                    vec![
                        u.name.clone(),
                        num(u.employees),
                        num(u.met),
                        pct(u.share),
                        dec(u.jp_avg, 1),
                    ]
                })
                .collect(),
        },
        widths: vec![0.46, 0.12, 0.16, 0.12, 0.14],
    });

    sections.push(Section {
        title: "3. Kesesuaian jabatan (JPM) per unit".into(),
        sheet: "JPM",
        text: vec![format!(
            "JPM hari ini atas standar kompetensi jabatan; kategori: {}.",
            d.jpm_categories
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        )],
        chart: Some(Chart::Bars(
            gaps.sub_units
                .iter()
                .filter_map(|u| Some((u.name.clone(), u.jpm_avg?, dec(u.jpm_avg?, 2))))
                .collect(),
            100.0,
        )),
        table: Table {
            headers: vec!["Unit", "ASN", "Rata-rata JPM"],
            rows: gaps
                .sub_units
                .iter()
                .map(|u| vec![u.name.clone(), num(u.employees), opt(u.jpm_avg, 2)])
                .collect(),
        },
        widths: vec![0.6, 0.2, 0.2],
    });

    let mut rows = Vec::new();
    for (by, groups) in &eq.groupings {
        if *by == GroupBy::Unit {
            continue;
        }
        for g in groups {
            rows.push(vec![
                by_name(*by).to_string(),
                g.label.clone(),
                num(g.people),
                dec(g.jp_avg, 1),
                pct(g.share_20jp),
                opt(g.jpm_avg, 2),
                rp(g.spend_per_asn),
            ]);
        }
    }
    sections.push(Section {
        title: "4. Pemerataan".into(),
        sheet: "Pemerataan",
        text: eq
            .worst
            .iter()
            .map(|g| {
                format!(
                    "{}: {} mencapai 20 JP ({} orang), seluruh cakupan {}.",
                    g.parts
                        .iter()
                        .map(|p| p.label.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    pct(g.share_20jp),
                    g.people,
                    pct(g.overall)
                )
            })
            .collect(),
        chart: Some(Chart::Bars(
            eq.groups(GroupBy::Kecamatan)
                .iter()
                .map(|g| (g.label.clone(), g.share_20jp, pct(g.share_20jp)))
                .collect(),
            100.0,
        )),
        table: Table {
            headers: vec![
                "Menurut",
                "Kelompok",
                "ASN",
                "Rata JP",
                "Capai 20 JP",
                "Rata JPM",
                "Belanja/ASN",
            ],
            rows,
        },
        widths: vec![0.15, 0.25, 0.08, 0.12, 0.12, 0.12, 0.16],
    });

    let talent_total: i64 = d.talent.iter().map(|t| t.1).sum();
    sections.push(Section {
        title: format!("5. Peta talenta {}", d.talent_year),
        sheet: "Talenta",
        text: vec![format!(
            "{talent_total} ASN dengan predikat kinerja dan skor potensi pada peta 9 kotak."
        )],
        chart: Some(Chart::Bars(
            d.talent
                .iter()
                .map(|(b, n)| (box_name(b), *n as f64, num(*n)))
                .collect(),
            d.talent.iter().map(|t| t.1).max().unwrap_or(1).max(1) as f64,
        )),
        table: Table {
            headers: vec!["Kotak", "ASN"],
            rows: d
                .talent
                .iter()
                .map(|(b, n)| vec![box_name(b), num(*n)])
                .collect(),
        },
        widths: vec![0.5, 0.5],
    });

    let served: Vec<_> = ikm.iter().filter(|r| r.ikm.is_some()).collect();
    sections.push(Section {
        title: "6. Kualitas pelayanan publik (IKM)".into(),
        sheet: "IKM",
        text: vec![match d.ikm {
            Some(v) => format!(
                "Rata-rata IKM {} dari {} unit layanan yang disurvei (PermenPANRB 14/2017).",
                dec(v, 2),
                d.ikm_units
            ),
            None => "Belum ada survei kepuasan masyarakat pada tahun ini.".into(),
        }],
        chart: Some(Chart::Bars(
            served
                .iter()
                .filter_map(|r| Some((r.unit_name.clone(), r.ikm?, dec(r.ikm?, 2))))
                .collect(),
            100.0,
        )),
        table: Table {
            headers: vec!["Unit", "Responden", "IKM", "Mutu"],
            rows: ikm
                .iter()
                .map(|r| {
                    vec![
                        r.unit_name.clone(),
                        r.respondents.to_string(),
                        opt(r.ikm, 2),
                        r.mutu.unwrap_or("—").to_string(),
                    ]
                })
                .collect(),
        },
        widths: vec![0.55, 0.15, 0.15, 0.15],
    });

    sections.push(Section {
        title: "7. Kesiapsiagaan bencana".into(),
        sheet: "Kesiapsiagaan",
        text: vec!["Rata-rata kesiapan kecamatan terpapar per ancaman (Perka BNPB 3/2016).".into()],
        chart: Some(Chart::Bars(
            d.readiness
                .iter()
                .filter_map(|h| Some((hazard(&h.hazard), h.readiness?, pct(h.readiness?))))
                .collect(),
            100.0,
        )),
        table: Table {
            headers: vec!["Ancaman", "Kesiapan", "Kecamatan terlemah"],
            rows: d
                .readiness
                .iter()
                .map(|h| {
                    vec![
                        hazard(&h.hazard),
                        h.readiness.map_or_else(|| "—".into(), pct),
                        h.weakest
                            .as_ref()
                            .map_or_else(|| "—".into(), |(k, r)| format!("{k} ({})", pct(*r))),
                    ]
                })
                .collect(),
        },
        widths: vec![0.3, 0.2, 0.5],
    });

    sections.push(Section {
        title: "8. Kepatuhan peraturan".into(),
        sheet: "Peraturan",
        text: vec!["Kampanye peraturan terbaru dan ASN yang sudah mengonfirmasi.".into()],
        chart: None,
        table: Table {
            headers: vec!["Kampanye", "Batas", "Sasaran", "Konfirmasi", "Persen"],
            rows: d
                .campaigns
                .iter()
                .map(|c| {
                    vec![
                        format!("{} — {}", c.title, c.judul),
                        c.due_on.clone(),
                        c.targeted.to_string(),
                        c.acknowledged.to_string(),
                        pct(c.share),
                    ]
                })
                .collect(),
        },
        widths: vec![0.5, 0.14, 0.12, 0.12, 0.12],
    });

    Ok(Report {
        year,
        regency: crate::service_quality::tenant_name(db, actor.tenant_id).await?,
        scope,
        sections,
    })
}

/// The report as `pdf` or `xlsx`: its bytes and its file name.
pub async fn render(
    db: &Db,
    actor: &Actor,
    year: i64,
    format: &str,
) -> ServiceResult<(Vec<u8>, String)> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let pdf = match format.trim() {
        "" | "pdf" => true,
        "xlsx" => false,
        _ => return Err(crate::ServiceError::invalid("format", "report.format")),
    };
    let r = report(db, actor, crate::validate::year(year)?).await?;
    let name = format!(
        "laporan-pengembangan-kompetensi-{year}.{}",
        if pdf { "pdf" } else { "xlsx" }
    );
    let bytes = if pdf { r.to_pdf() } else { r.to_xlsx()? };
    Ok((bytes, name))
}

/// A whole number with Indonesian thousands dots.
fn num(n: i64) -> String {
    rp(n).replacen("Rp", "", 1)
}

fn hazard(code: &str) -> String {
    code.parse::<cakap_domain::crisis::Hazard>()
        .map_or_else(|_| code.to_string(), |h| h.label(false).to_string())
}

/// "Kotak 9 (kinerja tinggi, potensi tinggi)".
fn box_name(b: &str) -> String {
    let what = match b {
        "9" => " (potensi tinggi, kinerja tinggi)",
        "8" => " (potensi tinggi, kinerja sesuai)",
        "7" => " (potensi menengah, kinerja tinggi)",
        "1" => " (potensi rendah, kinerja rendah)",
        _ => "",
    };
    format!("Kotak {b}{what}")
}

fn by_name(by: GroupBy) -> &'static str {
    match by {
        GroupBy::Unit => "Unit kerja",
        GroupBy::Kecamatan => "Kecamatan",
        GroupBy::Gender => "Jenis kelamin",
        GroupBy::Golongan => "Golongan",
        GroupBy::AgeBand => "Kelompok umur",
        GroupBy::Status => "Status",
        GroupBy::PositionKind => "Jenis jabatan",
    }
}

impl Report {
    pub fn title(&self) -> String {
        format!("Laporan Pengembangan Kompetensi ASN {}", self.year)
    }

    pub fn to_pdf(&self) -> Vec<u8> {
        let title = self.title();
        let mut d = Document::new(&title, "halaman");
        d.title(&title, 16.0);
        d.title(&self.regency, 12.0);
        d.paragraph(&format!(
            "{} - dibuat {}",
            self.scope,
            chrono::Local::now().format("%d-%m-%Y")
        ));
        for s in &self.sections {
            d.heading(&s.title);
            for t in &s.text {
                d.paragraph(t);
            }
            match &s.chart {
                Some(Chart::Bars(items, max)) if !items.is_empty() => d.bars(items, *max),
                Some(Chart::Lines(x, series, lo, hi)) => d.lines(x, series, *lo, *hi),
                _ => {}
            }
            let cols: Vec<Col> = s
                .table
                .headers
                .iter()
                .zip(&s.widths)
                .enumerate()
                .map(|(i, (h, w))| {
                    if i == 0 {
                        Col::left(h, *w)
                    } else {
                        Col::right(h, *w)
                    }
                })
                .collect();
            if !s.table.rows.is_empty() {
                d.table(&cols, &s.table.rows);
            }
            d.space(8.0);
        }
        d.finish()
    }

    pub fn to_xlsx(&self) -> ServiceResult<Vec<u8>> {
        let sheets: Vec<(&str, &Table)> =
            self.sections.iter().map(|s| (s.sheet, &s.table)).collect();
        to_book(&sheets)
    }
}
