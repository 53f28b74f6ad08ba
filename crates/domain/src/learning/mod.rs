//! Competency development (docs/domain.md#learning; PP 11/2017, Peraturan LAN 10/2018): the paths
//! (*jalur*), JP credit, the 20-JP right; quiz grading; search folding for the catalogue.

/// Every ASN has the right to at least this many JP a year.
pub const JP_TARGET: i64 = 20;
/// One JP (*jam pelajaran*) is 45 minutes.
pub const JP_MINUTES: i64 = 45;

string_enum! {
    /// The forms of development of docs/domain.md#learning, classroom (*klasikal*) and not.
    Jalur {
        PelatihanKepemimpinan = "pelatihan_kepemimpinan",
        PelatihanManajerial = "pelatihan_manajerial",
        PelatihanTeknis = "pelatihan_teknis",
        PelatihanFungsional = "pelatihan_fungsional",
        PelatihanSosialKultural = "pelatihan_sosial_kultural",
        Seminar = "seminar",
        Workshop = "workshop",
        Kursus = "kursus",
        Penataran = "penataran",
        BimbinganTeknis = "bimbingan_teknis",
        Sosialisasi = "sosialisasi",
        Coaching = "coaching",
        Mentoring = "mentoring",
        ELearning = "e_learning",
        PelatihanJarakJauh = "pelatihan_jarak_jauh",
        Detasering = "detasering",
        Outbound = "outbound",
        PatokBanding = "patok_banding",
        PertukaranPegawai = "pertukaran_pegawai",
        BelajarMandiri = "belajar_mandiri",
        KomunitasBelajar = "komunitas_belajar",
        BimbinganDiTempatKerja = "bimbingan_di_tempat_kerja",
        Magang = "magang",
    }
}

impl Jalur {
    /// Classroom paths; the rest are *nonklasikal*.
    pub fn klasikal(self) -> bool {
        use Jalur::*;
        matches!(
            self,
            PelatihanKepemimpinan
                | PelatihanManajerial
                | PelatihanTeknis
                | PelatihanFungsional
                | PelatihanSosialKultural
                | Seminar
                | Workshop
                | Kursus
                | Penataran
                | BimbinganTeknis
                | Sosialisasi
        )
    }
}

string_enum! {
    /// How a course is delivered.
    Mode {
        Klasikal = "klasikal",
        ELearning = "e_learning",
        Blended = "blended",
    }
}

impl Mode {
    /// Completion needs the modules read and the quiz passed.
    pub fn needs_modules(self) -> bool {
        matches!(self, Mode::ELearning | Mode::Blended)
    }
    /// Completion needs attendance at the classroom sessions.
    pub fn needs_attendance(self) -> bool {
        matches!(self, Mode::Klasikal | Mode::Blended)
    }
}

/// What an activity lasted, as the ASN reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Duration {
    /// Hours of learning, when the organiser states them (they take precedence).
    pub hours: Option<f64>,
    pub days: i64,
    /// Coaching and mentoring sessions.
    pub sessions: i64,
    pub international: bool,
}

/// JP credit of a development activity (docs/domain.md#learning): from its own hours when it has them
/// (whole JP of 45 minutes, rounded down), else from the default table; `None` when neither
/// gives a figure (the ASN must state the hours). Coaching and mentoring count at most 2
/// sessions a month, which the caller applies over the month (`sessions` here is already
/// what counts).
pub fn activity_jp(jalur: Jalur, d: Duration) -> Option<i64> {
    use Jalur::*;
    if let Some(h) = d.hours.filter(|h| h.is_finite() && *h > 0.0) {
        return Some(((h * 60.0).round() as i64) / JP_MINUTES).filter(|jp| *jp > 0);
    }
    let days = d.days.max(0);
    let per_day = |local: i64, intl: i64| Some(days * if d.international { intl } else { local });
    match jalur {
        Seminar => per_day(4, 6),
        Workshop => per_day(5, 7),
        Coaching | Mentoring => Some(2 * d.sessions.max(0)),
        PelatihanJarakJauh | Outbound => Some(4),
        PatokBanding => Some(10),
        Magang | Detasering | PertukaranPegawai => Some(20),
        BelajarMandiri | KomunitasBelajar => per_day(2, 2),
        _ => None,
    }
    .filter(|jp| *jp > 0)
}

/// Most coaching or mentoring sessions that count in one month.
pub const SESSIONS_PER_MONTH: i64 = 2;

/// Most JP one day of an activity can earn from the hours stated for it (**Decision**: the
/// rules set no daily cap; 10 JP of 45 minutes are a 7½-hour day, above every per-day figure
/// of the default table). The table's flat figures per activity (patok banding 10, magang 20,
/// …) are the rules' own and are not cut (docs/domain.md#jp).
pub const MAX_JP_PER_DAY: i64 = 10;

/// Days from `start` to `end`, both counted (`None` when the end is before the start).
pub fn span_days(start: chrono::NaiveDate, end: chrono::NaiveDate) -> Option<i64> {
    let days = (end - start).num_days() + 1;
    (days >= 1).then_some(days)
}

/// The most JP the stated hours of an activity of `span` calendar days can earn:
/// [`MAX_JP_PER_DAY`] a day.
pub fn max_activity_jp(span: i64) -> i64 {
    span.max(1) * MAX_JP_PER_DAY
}

/// Upload limits per person, so one account cannot fill the database (**Decision**).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub files: i64,
    pub bytes: i64,
}

/// Evidence files of one ASN's activities: a few a month for years, each ≤ 5 MiB.
pub const EVIDENCE_QUOTA: Quota = Quota {
    files: 200,
    bytes: 200 << 20,
};

/// Images and PDFs one author uploads to courses.
pub const COURSE_FILES_QUOTA: Quota = Quota {
    files: 500,
    bytes: 500 << 20,
};

impl Quota {
    /// Whether a person who holds `files` files of `bytes` in all may end up holding
    /// `files + add_files` of `bytes + add_bytes` (`add_*` may be negative for a
    /// replacement that frees space).
    pub fn allows(self, files: i64, bytes: i64, add_files: i64, add_bytes: i64) -> bool {
        files + add_files <= self.files && bytes + add_bytes <= self.bytes
    }
}

/// The share of ASN who reached [`JP_TARGET`], in percent with one decimal.
pub fn share(met: i64, of: i64) -> f64 {
    if of <= 0 {
        return 0.0;
    }
    (met as f64 * 1000.0 / of as f64).round() / 10.0
}

// The macro above is in scope for these (textual order).
mod certificates;
mod quiz;
mod search;

pub use certificates::*;
pub use quiz::*;
pub use search::*;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn default_jp_follows_the_table_of_domain_7() {
        let d = |days, sessions, international| Duration {
            hours: None,
            days,
            sessions,
            international,
        };
        use Jalur::*;
        let table: &[(Jalur, Duration, Option<i64>)] = &[
            (Seminar, d(1, 0, false), Some(4)),
            (Seminar, d(2, 0, true), Some(12)),
            (Workshop, d(1, 0, false), Some(5)),
            (Workshop, d(3, 0, true), Some(21)),
            (Coaching, d(0, 2, false), Some(4)),
            (Mentoring, d(0, 1, false), Some(2)),
            (PelatihanJarakJauh, d(0, 0, false), Some(4)),
            (Outbound, d(1, 0, false), Some(4)),
            (PatokBanding, d(2, 0, false), Some(10)),
            (Magang, d(30, 0, false), Some(20)),
            (Detasering, d(0, 0, false), Some(20)),
            (PertukaranPegawai, d(0, 0, false), Some(20)),
            (BelajarMandiri, d(3, 0, false), Some(6)),
            (KomunitasBelajar, d(1, 0, false), Some(2)),
            // No default: the hours must be stated.
            (Kursus, d(5, 0, false), None),
            (BimbinganTeknis, d(2, 0, false), None),
            (Seminar, d(0, 0, false), None),
            (Coaching, d(0, 0, false), None),
        ];
        for (jalur, dur, want) in table {
            assert_eq!(activity_jp(*jalur, *dur), *want, "{jalur:?} {dur:?}");
        }
    }

    #[test]
    fn stated_hours_win_and_count_whole_jp_of_45_minutes() {
        let h = |hours| Duration {
            hours: Some(hours),
            days: 3,
            ..Duration::default()
        };
        assert_eq!(activity_jp(Jalur::Seminar, h(3.0)), Some(4));
        assert_eq!(activity_jp(Jalur::Kursus, h(15.0)), Some(20));
        assert_eq!(activity_jp(Jalur::Kursus, h(0.7)), None);
        assert_eq!(activity_jp(Jalur::Kursus, h(0.75)), Some(1));
        assert_eq!(activity_jp(Jalur::Seminar, h(f64::NAN)), Some(12));
    }

    #[test]
    fn activity_jp_is_bound_to_its_dates() {
        let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        assert_eq!(span_days(day("2026-03-02"), day("2026-03-02")), Some(1));
        assert_eq!(span_days(day("2026-02-27"), day("2026-03-02")), Some(4));
        assert_eq!(span_days(day("2025-01-01"), day("2025-12-31")), Some(365));
        assert_eq!(span_days(day("2026-03-02"), day("2026-03-01")), None);
        let table: &[(i64, i64)] = &[(1, 10), (2, 20), (0, 10), (-3, 10), (366, 3660)];
        for (span, want) in table {
            assert_eq!(max_activity_jp(*span), *want, "{span}");
        }
        // Every per-day figure of the default table fits a day.
        for jalur in [Jalur::Seminar, Jalur::Workshop, Jalur::BelajarMandiri] {
            let one = activity_jp(
                jalur,
                Duration {
                    days: 1,
                    international: true,
                    ..Duration::default()
                },
            );
            assert!(one.is_some_and(|jp| jp <= MAX_JP_PER_DAY), "{jalur:?}");
        }
    }

    #[test]
    fn quotas_count_files_and_bytes() {
        let q = Quota {
            files: 3,
            bytes: 100,
        };
        let table: &[(i64, i64, i64, i64, bool)] = &[
            (0, 0, 1, 100, true),
            (2, 50, 1, 50, true),
            (3, 50, 1, 1, false),
            (1, 90, 1, 11, false),
            // A replacement frees the old file's bytes.
            (3, 100, 0, -40, true),
            (3, 60, 0, 41, false),
        ];
        for (files, bytes, add_files, add_bytes, want) in table {
            assert_eq!(
                q.allows(*files, *bytes, *add_files, *add_bytes),
                *want,
                "{files} {bytes} +{add_files} +{add_bytes}"
            );
        }
        const { assert!(EVIDENCE_QUOTA.bytes >= 5 << 20 && COURSE_FILES_QUOTA.files > 0) };
    }

    #[test]
    fn answers_are_reviewed_only_after_a_pass_or_the_last_attempt() {
        // (passed, attempts, max, an attempt still open) → keys shown
        let table: &[(bool, i64, i64, bool, bool)] = &[
            (false, 1, 3, false, false),
            (false, 2, 3, false, false),
            (false, 3, 3, true, false),
            (false, 3, 3, false, true),
            (true, 1, 3, false, true),
            (true, 2, 3, false, true),
            (false, 4, 3, false, true),
            (false, 1, 1, false, true),
        ];
        for (passed, attempts, max, open, want) in table {
            assert_eq!(
                review_allowed(*passed, *attempts, *max, *open),
                *want,
                "{passed} {attempts}/{max} open {open}"
            );
        }
    }

    #[test]
    fn klasikal_and_mode_rules() {
        assert!(Jalur::PelatihanTeknis.klasikal());
        assert!(Jalur::Sosialisasi.klasikal());
        assert!(!Jalur::ELearning.klasikal());
        assert!(!Jalur::Magang.klasikal());
        assert_eq!(Jalur::ALL.len(), 23);
        assert!(Mode::Blended.needs_modules() && Mode::Blended.needs_attendance());
        assert!(!Mode::Klasikal.needs_modules());
        assert!(!Mode::ELearning.needs_attendance());
        assert_eq!("e_learning".parse(), Ok(Mode::ELearning));
        assert_eq!("Klasikal".parse::<Mode>(), Err(()));
    }

    #[test]
    fn grading_per_kind() {
        let cases: &[(AnswerKey, serde_json::Value, bool)] = &[
            (AnswerKey::Single { correct: 2 }, json!(2), true),
            (AnswerKey::Single { correct: 2 }, json!(1), false),
            (AnswerKey::Single { correct: 2 }, json!("2"), false),
            (AnswerKey::Single { correct: 2 }, json!(null), false),
            (
                AnswerKey::Multiple {
                    correct: vec![0, 3],
                },
                json!([3, 0]),
                true,
            ),
            (
                AnswerKey::Multiple {
                    correct: vec![0, 3],
                },
                json!([0, 3, 3]),
                true,
            ),
            (
                AnswerKey::Multiple {
                    correct: vec![0, 3],
                },
                json!([0]),
                false,
            ),
            (
                AnswerKey::Multiple {
                    correct: vec![0, 3],
                },
                json!([0, 1, 3]),
                false,
            ),
            (
                AnswerKey::Multiple {
                    correct: vec![0, 3],
                },
                json!(0),
                false,
            ),
            (AnswerKey::TrueFalse { value: false }, json!(false), true),
            (AnswerKey::TrueFalse { value: false }, json!("false"), false),
            (
                AnswerKey::Numeric {
                    value: 20.0,
                    tolerance: 0.0,
                },
                json!(20),
                true,
            ),
            (
                AnswerKey::Numeric {
                    value: 2.5,
                    tolerance: 0.1,
                },
                json!("2,55"),
                true,
            ),
            (
                AnswerKey::Numeric {
                    value: 2.5,
                    tolerance: 0.1,
                },
                json!(2.7),
                false,
            ),
            (
                AnswerKey::Numeric {
                    value: 2.5,
                    tolerance: 0.1,
                },
                json!("dua"),
                false,
            ),
            (
                AnswerKey::Text {
                    accept: vec!["Tanggap Darurat".into()],
                },
                json!("  tanggap   DARURAT "),
                true,
            ),
            (
                AnswerKey::Text {
                    accept: vec!["café".into()],
                },
                json!("Cafe"),
                true,
            ),
            (
                AnswerKey::Text {
                    accept: vec!["ya".into()],
                },
                json!(""),
                false,
            ),
            (
                AnswerKey::Text {
                    accept: vec!["ya".into()],
                },
                json!(["ya"]),
                false,
            ),
        ];
        for (key, answer, want) in cases {
            assert_eq!(key.grade(answer), *want, "{key:?} {answer}");
        }
    }

    #[test]
    fn keys_must_fit_their_options() {
        assert!(AnswerKey::Single { correct: 1 }.valid(2));
        assert!(!AnswerKey::Single { correct: 2 }.valid(2));
        assert!(!AnswerKey::Multiple { correct: vec![] }.valid(3));
        assert!(
            !AnswerKey::Numeric {
                value: 1.0,
                tolerance: -1.0
            }
            .valid(0)
        );
        assert!(
            !AnswerKey::Text {
                accept: vec!["  ".into()]
            }
            .valid(0)
        );
        let json = serde_json::to_string(&AnswerKey::Single { correct: 1 }).unwrap_or_default();
        assert_eq!(json, r#"{"kind":"single","correct":1}"#);
    }

    #[test]
    fn scores_round_down_and_cap() {
        assert_eq!(score_percent(2, 3), 66);
        assert_eq!(score_percent(3, 3), 100);
        assert_eq!(score_percent(0, 0), 0);
        assert_eq!(score_percent(5, 3), 100);
        assert_eq!(share(1, 3), 33.3);
        assert_eq!(share(0, 0), 0.0);
    }

    #[test]
    fn folding_for_search() {
        assert_eq!(
            fold("  Pelayanan  PUBLIK—Dasar! "),
            "pelayanan publik dasar"
        );
        assert_eq!(fold("Ç'est Résumé"), "c est resume");
        assert_eq!(
            search_terms("Tata Kelola dan Pelayanan yang Prima untuk Desa"),
            ["tata", "kelola", "pelayanan", "prima", "desa"]
        );
        assert_eq!(search_text(&["Gizi", "gizi buruk"]), " gizi buruk ");
        assert!(search_terms("dan yang di").is_empty());
    }

    #[test]
    fn masks_and_codes() {
        assert_eq!(mask_nip("198503122010011002"), "1985**********1002");
        assert_eq!(mask_nip("123"), "***");
        assert!(valid_code_shape("AB12-CD34-EF56"));
        assert!(!valid_code_shape("AB12-CD34-EF5I"));
        assert!(!valid_code_shape("ab12-cd34-ef56"));
        assert!(!valid_code_shape("AB12CD34EF56"));
        assert!(!valid_code_shape("' OR 1=1 --"));
    }
}
