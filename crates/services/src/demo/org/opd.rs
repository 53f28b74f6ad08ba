//! The OPD of the regency with their bidang and fungsional staff (data).

use super::*;

/// (code, name, head title, kind of head, bidang, fungsional staff)
pub(super) struct Opd {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) head: &'static str,
    pub(super) bidang: &'static [&'static str],
    pub(super) fungsional: fn() -> Vec<PosSpec>,
}

pub(super) fn analis() -> Vec<PosSpec> {
    vec![fung(
        "Analis Kebijakan Ahli Pertama",
        "ahli_pertama",
        8,
        2,
        S1,
        10,
    )]
}

pub(super) const OPD: &[Opd] = &[
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
