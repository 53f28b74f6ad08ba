//! The whole unit tree with the positions in each unit.

use cakap_domain::kecamatan::ACEH_BARAT_DAYA;

use super::*;

pub(super) fn sekretariat_staff() -> Vec<PosSpec> {
    vec![
        head("Kepala Subbagian Umum dan Kepegawaian", "pengawas", 9, S1),
        pelaksana("Pengadministrasi Perkantoran", 5, 3),
        pelaksana("Pengelola Keuangan", 7, 2),
        pelaksana("Pengelola Barang Milik Daerah", 6, 1),
    ]
}

pub(super) fn bidang_staff(name: &str) -> Vec<PosSpec> {
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

    for opd in opds() {
        out.push(unit(
            &opd.code,
            &opd.name,
            None,
            blangpidie,
            vec![
                head(&opd.head, "jpt_pratama", 14, Gelar::After("S.E., M.Si.")),
                head("Sekretaris", "administrator", 12, S1),
            ],
        ));
        out.push(unit(
            &format!("{}.SEK", opd.code),
            "Sekretariat",
            Some(&opd.code),
            blangpidie,
            sekretariat_staff(),
        ));
        for (i, bidang) in opd.bidang.iter().enumerate() {
            let mut p = bidang_staff(bidang);
            if i == 0 {
                p.extend(opd.fungsional());
            }
            out.push(unit(
                &format!("{}.B{}", opd.code, i + 1),
                bidang,
                Some(&opd.code),
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
