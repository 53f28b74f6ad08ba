//! The demo organisation of Kabupaten Aceh Barat Daya: OPD, their sub-units, puskesmas and
//! schools in every kecamatan, the nine kantor camat, and the positions in each.

use cakap_domain::kecamatan::ACEH_BARAT_DAYA;

pub struct UnitSpec {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub kecamatan: &'static str,
    pub positions: Vec<PosSpec>,
}

#[derive(Clone)]
pub struct PosSpec {
    pub name: String,
    pub kind: &'static str,
    pub jenjang: Option<&'static str>,
    pub kelas: i64,
    /// 0 for a head (exactly one holder); otherwise the relative number of holders.
    pub weight: u32,
    /// Academic title added to holders' names (e.g. `S.Pd.`, `dr.`).
    pub gelar: Gelar,
    /// Share of holders who are PPPK, in percent.
    pub pppk_pct: u32,
}

#[derive(Clone, Copy)]
pub enum Gelar {
    None,
    Before(&'static str),
    After(&'static str),
}

fn head(name: &str, kind: &'static str, kelas: i64, gelar: Gelar) -> PosSpec {
    PosSpec {
        name: name.into(),
        kind,
        jenjang: None,
        kelas,
        weight: 0,
        gelar,
        pppk_pct: 0,
    }
}

fn staff(
    name: &str,
    kind: &'static str,
    jenjang: Option<&'static str>,
    kelas: i64,
    weight: u32,
    gelar: Gelar,
    pppk_pct: u32,
) -> PosSpec {
    PosSpec {
        name: name.into(),
        kind,
        jenjang,
        kelas,
        weight,
        gelar,
        pppk_pct,
    }
}

fn fung(
    name: &str,
    jenjang: &'static str,
    kelas: i64,
    weight: u32,
    gelar: Gelar,
    pppk_pct: u32,
) -> PosSpec {
    staff(
        name,
        "fungsional",
        Some(jenjang),
        kelas,
        weight,
        gelar,
        pppk_pct,
    )
}

fn pelaksana(name: &str, kelas: i64, weight: u32) -> PosSpec {
    staff(name, "pelaksana", None, kelas, weight, Gelar::None, 20)
}

const S1: Gelar = Gelar::After("S.E.");
const SPD: Gelar = Gelar::After("S.Pd.");
const STP: Gelar = Gelar::After("S.STP");

/// (code, name, head title, kind of head, bidang, fungsional staff)
struct Opd {
    code: &'static str,
    name: &'static str,
    head: &'static str,
    bidang: &'static [&'static str],
    fungsional: fn() -> Vec<PosSpec>,
}

fn analis() -> Vec<PosSpec> {
    vec![fung(
        "Analis Kebijakan Ahli Pertama",
        "ahli_pertama",
        8,
        2,
        S1,
        10,
    )]
}

const OPD: &[Opd] = &[
    Opd {
        code: "SETDPRK",
        name: "Sekretariat DPRK",
        head: "Sekretaris DPRK",
        bidang: &[
            "Bagian Persidangan dan Perundang-undangan",
            "Bagian Keuangan",
        ],
        fungsional: analis,
    },
    Opd {
        code: "INSP",
        name: "Inspektorat",
        head: "Inspektur",
        bidang: &[
            "Inspektur Pembantu Wilayah I",
            "Inspektur Pembantu Wilayah II",
            "Inspektur Pembantu Khusus",
        ],
        fungsional: || {
            vec![
                fung(
                    "Auditor Ahli Pertama",
                    "ahli_pertama",
                    8,
                    4,
                    Gelar::After("S.E., Ak."),
                    0,
                ),
                fung(
                    "Auditor Ahli Muda",
                    "ahli_muda",
                    9,
                    2,
                    Gelar::After("S.E., M.Si."),
                    0,
                ),
                fung(
                    "Pengawas Penyelenggaraan Urusan Pemerintahan Daerah Ahli Muda",
                    "ahli_muda",
                    9,
                    2,
                    Gelar::After("S.H."),
                    0,
                ),
            ]
        },
    },
    Opd {
        code: "BAPPEDA",
        name: "Badan Perencanaan Pembangunan Daerah",
        head: "Kepala Bappeda",
        bidang: &[
            "Bidang Perencanaan Pemerintahan dan Pembangunan Manusia",
            "Bidang Perencanaan Perekonomian dan Infrastruktur",
        ],
        fungsional: || {
            vec![
                fung(
                    "Perencana Ahli Pertama",
                    "ahli_pertama",
                    8,
                    3,
                    Gelar::After("S.T."),
                    10,
                ),
                fung(
                    "Perencana Ahli Muda",
                    "ahli_muda",
                    9,
                    2,
                    Gelar::After("S.T., M.T."),
                    0,
                ),
            ]
        },
    },
    Opd {
        code: "BPKD",
        name: "Badan Pengelolaan Keuangan Daerah",
        head: "Kepala BPKD",
        bidang: &[
            "Bidang Anggaran",
            "Bidang Perbendaharaan",
            "Bidang Akuntansi dan Aset",
            "Bidang Pendapatan",
        ],
        fungsional: || {
            vec![
                fung(
                    "Analis Keuangan Pusat dan Daerah Ahli Pertama",
                    "ahli_pertama",
                    8,
                    4,
                    Gelar::After("S.E."),
                    10,
                ),
                pelaksana("Pengelola Keuangan", 7, 4),
                pelaksana("Pengadministrasi Pendapatan", 6, 3),
            ]
        },
    },
    Opd {
        code: "BKPSDM",
        name: "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        head: "Kepala BKPSDM",
        bidang: &[
            "Bidang Pengembangan Kompetensi",
            "Bidang Mutasi dan Promosi",
            "Bidang Pengadaan, Pemberhentian dan Informasi",
        ],
        fungsional: || {
            vec![
                fung(
                    "Analis SDM Aparatur Ahli Pertama",
                    "ahli_pertama",
                    8,
                    4,
                    Gelar::After("S.Psi."),
                    10,
                ),
                fung(
                    "Analis SDM Aparatur Ahli Muda",
                    "ahli_muda",
                    9,
                    2,
                    Gelar::After("S.Sos., M.Si."),
                    0,
                ),
                fung(
                    "Asesor SDM Aparatur Ahli Muda",
                    "ahli_muda",
                    9,
                    1,
                    Gelar::After("S.Psi., M.Psi."),
                    0,
                ),
                fung(
                    "Widyaiswara Ahli Muda",
                    "ahli_muda",
                    9,
                    1,
                    Gelar::After("S.Pd., M.Pd."),
                    0,
                ),
            ]
        },
    },
    Opd {
        code: "BPBD",
        name: "Badan Penanggulangan Bencana Daerah",
        head: "Kepala Pelaksana BPBD",
        bidang: &[
            "Bidang Pencegahan dan Kesiapsiagaan",
            "Bidang Kedaruratan dan Logistik",
            "Bidang Rehabilitasi dan Rekonstruksi",
        ],
        fungsional: || {
            vec![
                fung(
                    "Analis Kebencanaan Ahli Pertama",
                    "ahli_pertama",
                    8,
                    3,
                    Gelar::After("S.T."),
                    10,
                ),
                pelaksana("Petugas Tim Reaksi Cepat", 6, 6),
                pelaksana("Operator Pusat Pengendalian Operasi", 6, 3),
            ]
        },
    },
    Opd {
        code: "DISDUKCAPIL",
        name: "Dinas Kependudukan dan Pencatatan Sipil",
        head: "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        bidang: &[
            "Bidang Pelayanan Pendaftaran Penduduk",
            "Bidang Pelayanan Pencatatan Sipil",
            "Bidang Pengelolaan Informasi Administrasi Kependudukan",
        ],
        fungsional: || {
            vec![
                fung(
                    "Administrator Database Kependudukan Ahli Pertama",
                    "ahli_pertama",
                    8,
                    2,
                    Gelar::After("S.Kom."),
                    10,
                ),
                pelaksana("Operator Layanan Operasional", 6, 5),
                pelaksana("Pengadministrasi Registrasi Kependudukan", 6, 4),
            ]
        },
    },
    Opd {
        code: "PUPR",
        name: "Dinas Pekerjaan Umum dan Penataan Ruang",
        head: "Kepala Dinas PUPR",
        bidang: &[
            "Bidang Bina Marga",
            "Bidang Sumber Daya Air",
            "Bidang Cipta Karya dan Tata Ruang",
        ],
        fungsional: || {
            vec![
                fung(
                    "Teknik Jalan dan Jembatan Ahli Pertama",
                    "ahli_pertama",
                    8,
                    3,
                    Gelar::After("S.T."),
                    20,
                ),
                fung(
                    "Teknik Pengairan Ahli Pertama",
                    "ahli_pertama",
                    8,
                    2,
                    Gelar::After("S.T."),
                    20,
                ),
                fung(
                    "Pengawas Jalan dan Jembatan Terampil",
                    "terampil",
                    7,
                    3,
                    Gelar::After("A.Md.T."),
                    30,
                ),
            ]
        },
    },
    Opd {
        code: "DINSOS",
        name: "Dinas Sosial",
        head: "Kepala Dinas Sosial",
        bidang: &[
            "Bidang Perlindungan dan Jaminan Sosial",
            "Bidang Rehabilitasi Sosial",
        ],
        fungsional: || {
            vec![
                fung(
                    "Pekerja Sosial Ahli Pertama",
                    "ahli_pertama",
                    8,
                    3,
                    Gelar::After("S.Sos."),
                    30,
                ),
                fung(
                    "Penyuluh Sosial Ahli Pertama",
                    "ahli_pertama",
                    8,
                    2,
                    Gelar::After("S.Sos."),
                    30,
                ),
            ]
        },
    },
    Opd {
        code: "DPMPTSP",
        name: "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        head: "Kepala DPMPTSP",
        bidang: &["Bidang Pelayanan Perizinan", "Bidang Penanaman Modal"],
        fungsional: || {
            vec![
                fung(
                    "Penata Perizinan Ahli Pertama",
                    "ahli_pertama",
                    8,
                    3,
                    S1,
                    20,
                ),
                pelaksana("Petugas Front Office Perizinan", 6, 3),
            ]
        },
    },
    Opd {
        code: "SATPOLPP",
        name: "Satuan Polisi Pamong Praja dan Wilayatul Hisbah",
        head: "Kepala Satpol PP dan WH",
        bidang: &[
            "Bidang Penegakan Qanun",
            "Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
            "Bidang Perlindungan Masyarakat",
        ],
        fungsional: || {
            vec![
                fung(
                    "Polisi Pamong Praja Terampil",
                    "terampil",
                    6,
                    6,
                    Gelar::None,
                    20,
                ),
                fung("Polisi Pamong Praja Mahir", "mahir", 7, 3, Gelar::None, 0),
                fung(
                    "Polisi Pamong Praja Ahli Pertama",
                    "ahli_pertama",
                    8,
                    2,
                    Gelar::After("S.H."),
                    0,
                ),
            ]
        },
    },
    Opd {
        code: "DSI",
        name: "Dinas Syariat Islam",
        head: "Kepala Dinas Syariat Islam",
        bidang: &[
            "Bidang Bina Hukum Syariat dan Hak Asasi Manusia",
            "Bidang Dakwah dan Pengembangan Sarana Ibadah",
        ],
        fungsional: || vec![pelaksana("Penyuluh Syariat Islam", 7, 3)],
    },
    Opd {
        code: "BAITULMAL",
        name: "Sekretariat Baitul Mal",
        head: "Kepala Sekretariat Baitul Mal",
        bidang: &["Bagian Pengumpulan dan Pendistribusian"],
        fungsional: || vec![pelaksana("Pengelola Zakat dan Infak", 7, 2)],
    },
    Opd {
        code: "DLH",
        name: "Dinas Lingkungan Hidup",
        head: "Kepala Dinas Lingkungan Hidup",
        bidang: &[
            "Bidang Pengelolaan Sampah",
            "Bidang Pengendalian Pencemaran",
        ],
        fungsional: || {
            vec![
                fung(
                    "Pengendali Dampak Lingkungan Ahli Pertama",
                    "ahli_pertama",
                    8,
                    2,
                    Gelar::After("S.Si."),
                    20,
                ),
                pelaksana("Petugas Kebersihan dan Pertamanan", 5, 4),
            ]
        },
    },
    Opd {
        code: "DISHUB",
        name: "Dinas Perhubungan",
        head: "Kepala Dinas Perhubungan",
        bidang: &["Bidang Lalu Lintas dan Angkutan"],
        fungsional: || {
            vec![
                fung(
                    "Penguji Kendaraan Bermotor Terampil",
                    "terampil",
                    6,
                    2,
                    Gelar::None,
                    20,
                ),
                pelaksana("Petugas Lalu Lintas", 5, 3),
            ]
        },
    },
    Opd {
        code: "DISPERTAN",
        name: "Dinas Pertanian dan Pangan",
        head: "Kepala Dinas Pertanian dan Pangan",
        bidang: &[
            "Bidang Tanaman Pangan dan Hortikultura",
            "Bidang Peternakan",
            "Bidang Ketahanan Pangan",
        ],
        fungsional: || {
            vec![
                fung(
                    "Penyuluh Pertanian Ahli Pertama",
                    "ahli_pertama",
                    8,
                    4,
                    Gelar::After("S.P."),
                    40,
                ),
                fung(
                    "Penyuluh Pertanian Terampil",
                    "terampil",
                    6,
                    4,
                    Gelar::None,
                    50,
                ),
                fung(
                    "Medik Veteriner Ahli Pertama",
                    "ahli_pertama",
                    8,
                    1,
                    Gelar::Before("drh."),
                    20,
                ),
            ]
        },
    },
    Opd {
        code: "DKP",
        name: "Dinas Kelautan dan Perikanan",
        head: "Kepala Dinas Kelautan dan Perikanan",
        bidang: &["Bidang Perikanan Tangkap", "Bidang Perikanan Budidaya"],
        fungsional: || {
            vec![fung(
                "Penyuluh Perikanan Ahli Pertama",
                "ahli_pertama",
                8,
                2,
                Gelar::After("S.Pi."),
                40,
            )]
        },
    },
    Opd {
        code: "DISKOMINFO",
        name: "Dinas Komunikasi, Informatika dan Persandian",
        head: "Kepala Dinas Kominfo",
        bidang: &[
            "Bidang Aplikasi Informatika",
            "Bidang Informasi dan Komunikasi Publik",
        ],
        fungsional: || {
            vec![
                fung(
                    "Pranata Komputer Ahli Pertama",
                    "ahli_pertama",
                    8,
                    3,
                    Gelar::After("S.Kom."),
                    30,
                ),
                fung(
                    "Pranata Hubungan Masyarakat Ahli Pertama",
                    "ahli_pertama",
                    8,
                    1,
                    Gelar::After("S.I.Kom."),
                    30,
                ),
            ]
        },
    },
    Opd {
        code: "DISPERINDAGKOP",
        name: "Dinas Perindustrian, Perdagangan, Koperasi dan UKM",
        head: "Kepala Dinas Perindagkop dan UKM",
        bidang: &["Bidang Perdagangan", "Bidang Koperasi dan UKM"],
        fungsional: || {
            vec![
                fung(
                    "Pengawas Koperasi Ahli Pertama",
                    "ahli_pertama",
                    8,
                    2,
                    S1,
                    20,
                ),
                fung("Penera Terampil", "terampil", 6, 1, Gelar::None, 20),
            ]
        },
    },
    Opd {
        code: "DPMG",
        name: "Dinas Pemberdayaan Masyarakat dan Gampong",
        head: "Kepala DPMG",
        bidang: &[
            "Bidang Pemerintahan Gampong",
            "Bidang Pemberdayaan Masyarakat",
        ],
        fungsional: analis,
    },
    Opd {
        code: "DP3AKB",
        name: "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana",
        head: "Kepala DP3AKB",
        bidang: &[
            "Bidang Perlindungan Perempuan dan Anak",
            "Bidang Keluarga Berencana",
        ],
        fungsional: || {
            vec![fung(
                "Penyuluh Keluarga Berencana Ahli Pertama",
                "ahli_pertama",
                8,
                4,
                Gelar::After("S.Sos."),
                30,
            )]
        },
    },
    Opd {
        code: "DISPARPORA",
        name: "Dinas Pariwisata, Pemuda dan Olahraga",
        head: "Kepala Disparpora",
        bidang: &["Bidang Pariwisata", "Bidang Pemuda dan Olahraga"],
        fungsional: analis,
    },
    Opd {
        code: "DISNAKER",
        name: "Dinas Tenaga Kerja dan Mobilitas Penduduk",
        head: "Kepala Disnaker",
        bidang: &["Bidang Pelatihan dan Penempatan Tenaga Kerja"],
        fungsional: || {
            vec![fung(
                "Pengantar Kerja Ahli Pertama",
                "ahli_pertama",
                8,
                2,
                S1,
                20,
            )]
        },
    },
    Opd {
        code: "KESBANGPOL",
        name: "Badan Kesatuan Bangsa dan Politik",
        head: "Kepala Kesbangpol",
        bidang: &["Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan"],
        fungsional: analis,
    },
    Opd {
        code: "DPKP",
        name: "Dinas Perumahan Rakyat dan Kawasan Permukiman",
        head: "Kepala DPKP",
        bidang: &["Bidang Perumahan", "Bidang Kawasan Permukiman"],
        fungsional: || {
            vec![fung(
                "Penata Kelola Bangunan Gedung dan Kawasan Permukiman Ahli Pertama",
                "ahli_pertama",
                8,
                2,
                Gelar::After("S.T."),
                20,
            )]
        },
    },
    Opd {
        code: "DISPUSIP",
        name: "Dinas Perpustakaan dan Kearsipan",
        head: "Kepala Dinas Perpustakaan dan Kearsipan",
        bidang: &["Bidang Perpustakaan", "Bidang Kearsipan"],
        fungsional: || {
            vec![
                fung(
                    "Pustakawan Ahli Pertama",
                    "ahli_pertama",
                    8,
                    2,
                    Gelar::After("S.IP."),
                    20,
                ),
                fung(
                    "Arsiparis Terampil",
                    "terampil",
                    6,
                    2,
                    Gelar::After("A.Md."),
                    20,
                ),
            ]
        },
    },
];

fn sekretariat_staff() -> Vec<PosSpec> {
    vec![
        head("Kepala Subbagian Umum dan Kepegawaian", "pengawas", 9, S1),
        pelaksana("Pengadministrasi Perkantoran", 5, 3),
        pelaksana("Pengelola Keuangan", 7, 2),
        pelaksana("Pengelola Barang Milik Daerah", 6, 1),
    ]
}

fn bidang_staff(name: &str) -> Vec<PosSpec> {
    let short = name
        .trim_start_matches("Bidang ")
        .trim_start_matches("Bagian ");
    let title = if name.starts_with("Bagian") {
        "Kepala Bagian"
    } else if name.starts_with("Inspektur") {
        ""
    } else {
        "Kepala Bidang"
    };
    let head_name = if title.is_empty() {
        name.to_string()
    } else {
        format!("{title} {short}")
    };
    vec![
        head(&head_name, "administrator", 11, S1),
        pelaksana("Penelaah Teknis Kebijakan", 7, 2),
        pelaksana("Pengadministrasi Umum", 5, 1),
    ]
}

/// The whole tree, parents before children.
pub fn units() -> Vec<UnitSpec> {
    let mut out = Vec::new();
    let blangpidie = ACEH_BARAT_DAYA[0].code;
    let unit = |code: &str,
                name: &str,
                parent: Option<&str>,
                kec: &'static str,
                positions: Vec<PosSpec>| UnitSpec {
        code: code.into(),
        name: name.into(),
        parent: parent.map(Into::into),
        kecamatan: kec,
        positions,
    };

    // Sekretariat Daerah with its assistants and bagian.
    out.push(unit(
        "SETDA",
        "Sekretariat Daerah",
        None,
        blangpidie,
        vec![
            head(
                "Sekretaris Daerah",
                "jpt_pratama",
                15,
                Gelar::After("S.H., M.M."),
            ),
            head(
                "Asisten Pemerintahan dan Keistimewaan Aceh",
                "jpt_pratama",
                14,
                Gelar::After("S.Sos., M.Si."),
            ),
            head(
                "Asisten Perekonomian dan Pembangunan",
                "jpt_pratama",
                14,
                Gelar::After("S.E., M.Si."),
            ),
            head(
                "Asisten Administrasi Umum",
                "jpt_pratama",
                14,
                Gelar::After("S.H."),
            ),
        ],
    ));
    for (code, name, extra) in [
        (
            "SETDA.PEM",
            "Bagian Tata Pemerintahan",
            fung("Analis Kebijakan Ahli Muda", "ahli_muda", 9, 1, S1, 0),
        ),
        (
            "SETDA.HKM",
            "Bagian Hukum",
            fung(
                "Analis Hukum Ahli Pertama",
                "ahli_pertama",
                8,
                2,
                Gelar::After("S.H."),
                10,
            ),
        ),
        (
            "SETDA.ORG",
            "Bagian Organisasi",
            fung(
                "Analis Kebijakan Ahli Pertama",
                "ahli_pertama",
                8,
                1,
                S1,
                10,
            ),
        ),
        (
            "SETDA.PBJ",
            "Bagian Pengadaan Barang/Jasa",
            fung(
                "Pengelola Pengadaan Barang/Jasa Ahli Pertama",
                "ahli_pertama",
                8,
                3,
                Gelar::After("S.T."),
                10,
            ),
        ),
        ("SETDA.UMUM", "Bagian Umum", pelaksana("Pengemudi", 3, 2)),
        (
            "SETDA.PRKM",
            "Bagian Perekonomian dan Sumber Daya Alam",
            fung(
                "Analis Kebijakan Ahli Pertama",
                "ahli_pertama",
                8,
                1,
                S1,
                10,
            ),
        ),
    ] {
        let mut p = bidang_staff(name);
        p.push(extra);
        out.push(unit(code, name, Some("SETDA"), blangpidie, p));
    }

    for opd in OPD {
        out.push(unit(
            opd.code,
            opd.name,
            None,
            blangpidie,
            vec![
                head(opd.head, "jpt_pratama", 14, Gelar::After("S.E., M.Si.")),
                head("Sekretaris", "administrator", 12, S1),
            ],
        ));
        out.push(unit(
            &format!("{}.SEK", opd.code),
            "Sekretariat",
            Some(opd.code),
            blangpidie,
            sekretariat_staff(),
        ));
        for (i, bidang) in opd.bidang.iter().enumerate() {
            let mut p = bidang_staff(bidang);
            if i == 0 {
                p.extend((opd.fungsional)());
            }
            out.push(unit(
                &format!("{}.B{}", opd.code, i + 1),
                bidang,
                Some(opd.code),
                blangpidie,
                p,
            ));
        }
    }

    // Dinas Kesehatan with a puskesmas in every kecamatan, and the RSUD.
    out.push(unit(
        "DINKES",
        "Dinas Kesehatan",
        None,
        blangpidie,
        vec![
            head(
                "Kepala Dinas Kesehatan",
                "jpt_pratama",
                14,
                Gelar::Before("dr."),
            ),
            head(
                "Sekretaris",
                "administrator",
                12,
                Gelar::After("S.K.M., M.Kes."),
            ),
        ],
    ));
    out.push(unit(
        "DINKES.SEK",
        "Sekretariat",
        Some("DINKES"),
        blangpidie,
        sekretariat_staff(),
    ));
    for (i, b) in [
        "Bidang Pelayanan dan Sumber Daya Kesehatan",
        "Bidang Pencegahan dan Pengendalian Penyakit",
        "Bidang Kesehatan Masyarakat",
    ]
    .iter()
    .enumerate()
    {
        let mut p = bidang_staff(b);
        p.push(fung(
            "Epidemiolog Kesehatan Ahli Pertama",
            "ahli_pertama",
            8,
            1,
            Gelar::After("S.K.M."),
            20,
        ));
        out.push(unit(
            &format!("DINKES.B{}", i + 1),
            b,
            Some("DINKES"),
            blangpidie,
            p,
        ));
    }
    for (i, k) in ACEH_BARAT_DAYA.iter().enumerate() {
        out.push(unit(
            &format!("PKM.{:02}", i + 1),
            &format!("UPTD Puskesmas {}", k.name),
            Some("DINKES"),
            k.code,
            vec![
                head("Kepala Puskesmas", "pengawas", 9, Gelar::Before("dr.")),
                fung(
                    "Dokter Ahli Pertama",
                    "ahli_pertama",
                    9,
                    2,
                    Gelar::Before("dr."),
                    10,
                ),
                fung(
                    "Perawat Terampil",
                    "terampil",
                    7,
                    5,
                    Gelar::After("A.Md.Kep."),
                    40,
                ),
                fung(
                    "Perawat Ahli Pertama",
                    "ahli_pertama",
                    8,
                    3,
                    Gelar::After("S.Kep., Ns."),
                    30,
                ),
                fung(
                    "Bidan Terampil",
                    "terampil",
                    7,
                    6,
                    Gelar::After("A.Md.Keb."),
                    40,
                ),
                fung(
                    "Apoteker Ahli Pertama",
                    "ahli_pertama",
                    8,
                    1,
                    Gelar::Before("apt."),
                    20,
                ),
                fung(
                    "Sanitarian Terampil",
                    "terampil",
                    7,
                    1,
                    Gelar::After("A.Md.KL."),
                    40,
                ),
                fung(
                    "Nutrisionis Terampil",
                    "terampil",
                    7,
                    1,
                    Gelar::After("A.Md.Gz."),
                    40,
                ),
                fung(
                    "Pranata Laboratorium Kesehatan Terampil",
                    "terampil",
                    7,
                    1,
                    Gelar::After("A.Md.AK."),
                    40,
                ),
                pelaksana("Pengadministrasi Umum", 5, 1),
            ],
        ));
    }
    out.push(unit(
        "RSUD",
        "RSUD Teungku Peukan",
        None,
        blangpidie,
        vec![
            head("Direktur RSUD", "jpt_pratama", 14, Gelar::Before("dr.")),
            head("Kepala Bagian Tata Usaha", "administrator", 11, S1),
        ],
    ));
    for (i, (b, staff_list)) in [
        (
            "Bidang Pelayanan Medik",
            vec![
                fung(
                    "Dokter Ahli Muda",
                    "ahli_muda",
                    10,
                    4,
                    Gelar::Before("dr."),
                    0,
                ),
                fung(
                    "Dokter Spesialis Ahli Madya",
                    "ahli_madya",
                    12,
                    3,
                    Gelar::Before("dr."),
                    0,
                ),
                fung(
                    "Apoteker Ahli Pertama",
                    "ahli_pertama",
                    8,
                    2,
                    Gelar::Before("apt."),
                    20,
                ),
                fung(
                    "Radiografer Terampil",
                    "terampil",
                    7,
                    2,
                    Gelar::After("A.Md.Rad."),
                    40,
                ),
                fung(
                    "Pranata Laboratorium Kesehatan Terampil",
                    "terampil",
                    7,
                    3,
                    Gelar::After("A.Md.AK."),
                    40,
                ),
            ],
        ),
        (
            "Bidang Keperawatan",
            vec![
                fung(
                    "Perawat Ahli Pertama",
                    "ahli_pertama",
                    8,
                    14,
                    Gelar::After("S.Kep., Ns."),
                    30,
                ),
                fung(
                    "Perawat Terampil",
                    "terampil",
                    7,
                    14,
                    Gelar::After("A.Md.Kep."),
                    40,
                ),
                fung(
                    "Perawat Penyelia",
                    "penyelia",
                    8,
                    3,
                    Gelar::After("A.Md.Kep."),
                    0,
                ),
                fung(
                    "Bidan Terampil",
                    "terampil",
                    7,
                    6,
                    Gelar::After("A.Md.Keb."),
                    40,
                ),
            ],
        ),
        (
            "Bidang Penunjang",
            vec![
                fung(
                    "Perekam Medis Terampil",
                    "terampil",
                    7,
                    3,
                    Gelar::After("A.Md.RMIK."),
                    40,
                ),
                fung(
                    "Nutrisionis Terampil",
                    "terampil",
                    7,
                    2,
                    Gelar::After("A.Md.Gz."),
                    40,
                ),
            ],
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = bidang_staff(b);
        p.extend(staff_list);
        out.push(unit(
            &format!("RSUD.B{}", i + 1),
            b,
            Some("RSUD"),
            blangpidie,
            p,
        ));
    }

    // Dinas Pendidikan with schools in every kecamatan.
    out.push(unit(
        "DISDIK",
        "Dinas Pendidikan",
        None,
        blangpidie,
        vec![
            head(
                "Kepala Dinas Pendidikan",
                "jpt_pratama",
                14,
                Gelar::After("S.Pd., M.Pd."),
            ),
            head("Sekretaris", "administrator", 12, SPD),
        ],
    ));
    out.push(unit(
        "DISDIK.SEK",
        "Sekretariat",
        Some("DISDIK"),
        blangpidie,
        sekretariat_staff(),
    ));
    for (i, b) in [
        "Bidang Pembinaan Sekolah Dasar",
        "Bidang Pembinaan Sekolah Menengah Pertama",
        "Bidang Guru dan Tenaga Kependidikan",
    ]
    .iter()
    .enumerate()
    {
        let mut p = bidang_staff(b);
        p.push(fung(
            "Pengawas Sekolah Ahli Madya",
            "ahli_madya",
            11,
            2,
            Gelar::After("S.Pd., M.Pd."),
            0,
        ));
        out.push(unit(
            &format!("DISDIK.B{}", i + 1),
            b,
            Some("DISDIK"),
            blangpidie,
            p,
        ));
    }
    for (i, k) in ACEH_BARAT_DAYA.iter().enumerate() {
        for (s, school, big) in [
            ("SD1", "SD Negeri 1", 1),
            ("SD2", "SD Negeri 2", 1),
            ("SMP1", "SMP Negeri 1", 2),
        ] {
            out.push(unit(
                &format!("SKL.{:02}.{s}", i + 1),
                &format!("{school} {}", k.name),
                Some("DISDIK"),
                k.code,
                vec![
                    head(
                        "Kepala Sekolah",
                        "fungsional",
                        11,
                        Gelar::After("S.Pd., M.Pd."),
                    ),
                    fung("Guru Ahli Pertama", "ahli_pertama", 8, 5 * big, SPD, 45),
                    fung("Guru Ahli Muda", "ahli_muda", 9, 4 * big, SPD, 10),
                    fung(
                        "Guru Ahli Madya",
                        "ahli_madya",
                        11,
                        2 * big,
                        Gelar::After("S.Pd., M.Pd."),
                        0,
                    ),
                    pelaksana("Pengadministrasi Sekolah", 5, 1),
                ],
            ));
        }
    }

    // The nine kantor camat.
    for (i, k) in ACEH_BARAT_DAYA.iter().enumerate() {
        out.push(unit(
            &format!("CAMAT.{:02}", i + 1),
            &format!("Kantor Camat {}", k.name),
            None,
            k.code,
            vec![
                head("Camat", "administrator", 12, STP),
                head("Sekretaris Camat", "administrator", 10, STP),
                head("Kepala Seksi Pemerintahan", "pengawas", 9, STP),
                head(
                    "Kepala Seksi Ketenteraman dan Ketertiban Umum",
                    "pengawas",
                    9,
                    Gelar::After("S.H."),
                ),
                head(
                    "Kepala Seksi Pemberdayaan Masyarakat dan Gampong",
                    "pengawas",
                    9,
                    Gelar::After("S.Sos."),
                ),
                pelaksana("Pengadministrasi Umum", 5, 3),
                pelaksana("Penata Layanan Operasional", 7, 2),
            ],
        ));
    }
    out
}
