//! Public-service satisfaction (SKM, PermenPANRB 14/2017) and complaints (Perpres 76/2013,
//! SP4N-LAPOR!): docs/domain.md#service-quality.
//!
//! - nine elements (*unsur*), each answered 1–4; `NRR_u = Σ answers_u ÷ respondents`;
//!   `IKM = Σ NRR_u × 1/9 × 25` (the exact weight 1/9), shown with 2 decimals;
//! - mutu A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99 (on the rounded value);
//! - the Krejcie–Morgan sample for N service users;
//! - complaint deadlines: verification within 3 working days (Mon–Fri), resolution within 60
//!   days of verification.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The nine elements, in the regulation's order (index 0 = unsur 1).
pub const UNSUR: [&str; 9] = [
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan",
    "Sarana dan Prasarana",
];

/// Unsur 6 and 7 (0-based 5 and 6) speak to the staff's competency and conduct.
pub const STAFF_UNSUR: [usize; 2] = [5, 6];

/// Why a set of answers is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    /// Not exactly nine answers.
    Count(usize),
    /// An answer outside 1–4 (the unsur, 1-based).
    Range(usize),
}

/// Nine answers, each 1–4.
pub fn check_answers(answers: &[i64]) -> Result<[u8; 9], AnswerError> {
    if answers.len() != 9 {
        return Err(AnswerError::Count(answers.len()));
    }
    let mut out = [0u8; 9];
    for (i, a) in answers.iter().enumerate() {
        if !(1..=4).contains(a) {
            return Err(AnswerError::Range(i + 1));
        }
        out[i] = *a as u8;
    }
    Ok(out)
}

/// Service quality (*mutu pelayanan*) of a converted IKM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutu {
    A,
    B,
    C,
    D,
}

impl Mutu {
    /// The class of a converted IKM, rounded to 2 decimals first.
    pub fn of(ikm: f64) -> Mutu {
        Mutu::of_hundredths((ikm * 100.0).round() as i64)
    }
    /// The class of a converted IKM given in hundredths (8831 = 88.31), exactly.
    pub fn of_hundredths(v: i64) -> Mutu {
        if v >= 8831 {
            Mutu::A
        } else if v >= 7661 {
            Mutu::B
        } else if v >= 6500 {
            Mutu::C
        } else {
            Mutu::D
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Mutu::A => "A",
            Mutu::B => "B",
            Mutu::C => "C",
            Mutu::D => "D",
        }
    }
    /// The regulation's words for the unit's performance (*kinerja unit pelayanan*).
    pub fn kinerja(self) -> &'static str {
        match self {
            Mutu::A => "Sangat Baik",
            Mutu::B => "Baik",
            Mutu::C => "Kurang Baik",
            Mutu::D => "Tidak Baik",
        }
    }
    /// The class an element's NRR (1–4) falls in, on the same scale (NRR × 25).
    pub fn of_nrr(nrr: f64) -> Mutu {
        Mutu::of(nrr * 25.0)
    }
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The sums of the answers per unsur and the number of respondents (what the store keeps).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub respondents: i64,
    pub sums: [i64; 9],
}

impl Tally {
    pub fn add(&mut self, answers: &[u8; 9]) {
        self.respondents += 1;
        for (s, a) in self.sums.iter_mut().zip(answers) {
            *s += i64::from(*a);
        }
    }
}

/// A unit's IKM for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Ikm {
    /// NRR per unsur, 2 decimals.
    pub nrr: [f64; 9],
    /// The converted index (25–100), 2 decimals.
    pub ikm: f64,
    pub mutu: Mutu,
}

/// `num ÷ den` rounded half up, for non-negative integers.
fn div_half_up(num: i64, den: i64) -> i64 {
    (2 * num + den) / (2 * den)
}

/// The IKM of a tally; `None` without respondents. Computed in integers so that an exact
/// half (88.305) rounds up as the regulation's table does, not to the float below it:
/// `NRR_u × 100 = s_u × 100 ÷ n` and `IKM × 100 = Σ s_u × 2500 ÷ 9n`, each rounded half up.
pub fn ikm(t: &Tally) -> Option<Ikm> {
    let n = t.respondents;
    if n <= 0 {
        return None;
    }
    let mut nrr = [0.0; 9];
    for (o, s) in nrr.iter_mut().zip(&t.sums) {
        *o = div_half_up(s * 100, n) as f64 / 100.0;
    }
    let total: i64 = t.sums.iter().sum();
    let hundredths = div_half_up(total * 2500, 9 * n);
    Some(Ikm {
        nrr,
        ikm: hundredths as f64 / 100.0,
        mutu: Mutu::of_hundredths(hundredths),
    })
}

/// The Krejcie–Morgan sample for `users` service users (X² = 3.841, P = 0.5, d = 0.05),
/// rounded half up.
pub fn sample_needed(users: i64) -> i64 {
    if users <= 0 {
        return 0;
    }
    let n = users as f64;
    let (x2, p, d) = (3.841, 0.5, 0.05);
    let s = x2 * n * p * (1.0 - p) / (d * d * (n - 1.0) + x2 * p * (1.0 - p));
    (s + 0.5).floor() as i64
}

/// A period of the survey: a year (`2026`) or a semester (`2026-S1`, `2026-S2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    /// 0 for the whole year, 1 or 2 for a semester.
    pub semester: u8,
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (y, sem) = match s.split_once("-S") {
            Some((y, "1")) => (y, 1),
            Some((y, "2")) => (y, 2),
            Some(_) => return None,
            None => (s, 0),
        };
        let year: i32 = y.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        Some(Period {
            year,
            semester: sem,
        })
    }
    /// First and last day.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let d = |m, day| NaiveDate::from_ymd_opt(self.year, m, day).unwrap_or_default();
        match self.semester {
            1 => (d(1, 1), d(6, 30)),
            2 => (d(7, 1), d(12, 31)),
            _ => (d(1, 1), d(12, 31)),
        }
    }
    pub fn contains(self, day: NaiveDate) -> bool {
        let (a, b) = self.bounds();
        a <= day && day <= b
    }
    pub fn of_year(year: i32) -> Period {
        Period { year, semester: 0 }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.semester {
            0 => write!(f, "{}", self.year),
            s => write!(f, "{}-S{s}", self.year),
        }
    }
}

string_enum! {
    /// A complaint's class (SP4N-LAPOR!).
    ComplaintClass {
        Aspirasi = "aspirasi",
        Pengaduan = "pengaduan",
        PermintaanInformasi = "permintaan_informasi",
    }
}

string_enum! {
    /// A complaint's place in its flow: baru → diverifikasi → diproses → selesai, or ditolak /
    /// bukan_wewenang (with a reason).
    ComplaintStatus {
        Baru = "baru",
        Diverifikasi = "diverifikasi",
        Diproses = "diproses",
        Selesai = "selesai",
        Ditolak = "ditolak",
        BukanWewenang = "bukan_wewenang",
    }
}

impl ComplaintStatus {
    /// Where a complaint may go from here.
    pub fn next(self) -> &'static [ComplaintStatus] {
        use ComplaintStatus::*;
        match self {
            Baru => &[Diverifikasi, Ditolak, BukanWewenang],
            Diverifikasi => &[Diproses, Selesai, Ditolak],
            Diproses => &[Selesai],
            Selesai | Ditolak | BukanWewenang => &[],
        }
    }
    /// Steps that need a reason written down.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            ComplaintStatus::Ditolak | ComplaintStatus::BukanWewenang
        )
    }
    pub fn closed(self) -> bool {
        self.next().is_empty()
    }
}

/// Verification is due 3 working days (Mon–Fri) after the complaint arrives.
pub fn verification_due(received: NaiveDate) -> NaiveDate {
    add_working_days(received, 3)
}

/// Resolution is due 60 days after verification.
pub fn resolution_due(verified: NaiveDate) -> NaiveDate {
    verified + Duration::days(60)
}

pub fn add_working_days(from: NaiveDate, days: u32) -> NaiveDate {
    let mut d = from;
    let mut left = days;
    while left > 0 {
        d += Duration::days(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// Whether a complaint is late on `today`: not verified by its verification date, or not
/// closed by its resolution date.
pub fn overdue(
    status: ComplaintStatus,
    received: NaiveDate,
    verified: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    match status {
        ComplaintStatus::Baru => today > verification_due(received),
        ComplaintStatus::Diverifikasi | ComplaintStatus::Diproses => {
            let from = verified.unwrap_or(received);
            today > resolution_due(from)
        }
        _ => false,
    }
}

/// [`overdue`] as two dates, for counting in SQL: on `today` a new complaint is overdue when
/// it was received on or before the first date, one verified or in process when its
/// verification date (its receipt date if never verified) is on or before the second. Both
/// due dates only move forward with the date they start from, so the last start date whose
/// due date has passed splits the overdue from the rest.
pub fn overdue_cutoffs(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let last_start_past_due = |due: fn(NaiveDate) -> NaiveDate| {
        let mut d = today;
        while due(d) >= today {
            d -= Duration::days(1);
        }
        d
    };
    (
        last_start_past_due(verification_due),
        last_start_past_due(resolution_due),
    )
}

/// Whether a complaint missed a deadline at any point, closed or not: verified (or closed
/// without verification) after its verification date, closed after its resolution date, or
/// still open past the date of the step it is at. The yearly counts use this, so a
/// complaint closed late stays counted as late. A closed complaint whose closing date is not
/// known (an import without dates) cannot be judged and is not counted late.
pub fn late(
    status: ComplaintStatus,
    received: NaiveDate,
    verified: Option<NaiveDate>,
    resolved: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    // The day each step ended: its date, today while it is still open, unknown otherwise.
    let ended = |date: Option<NaiveDate>, open: bool| date.or(open.then_some(today));
    let verify_by = verification_due(received);
    let verification_ended = match verified {
        Some(v) => Some(v),
        None => ended(resolved, !status.closed()),
    };
    let verified_late = verification_ended.is_some_and(|d| d > verify_by);
    let resolved_late = verified
        .is_some_and(|v| ended(resolved, !status.closed()).is_some_and(|d| d > resolution_due(v)));
    verified_late || resolved_late
}

/// A complaint may be lodged at most this many days after the service (Perpres 76/2013).
pub const LODGE_DAYS: i64 = 30;

/// Whether a complaint received on `received` about a service on `served` is in time.
pub fn lodged_in_time(served: NaiveDate, received: NaiveDate) -> bool {
    served <= received && (received - served).num_days() <= LODGE_DAYS
}

/// Education levels a respondent may give (the survey form's list; anything else is refused,
/// so nothing typed freely reaches the published report).
pub const EDUCATION: [&str; 7] = ["SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3"];

/// Whether a competency is one of public service — its name speaks of *pelayanan* — the ones
/// the citizens' survey speaks to (unsur 6 and 7) and whose weight rises in the training plan
/// where the survey finds the staff short.
pub fn public_service_competency(name: &str) -> bool {
    name.to_lowercase().contains("pelayanan")
}

/// The reporter as shown to those who may not see who it is: the same stars for everyone
/// (neither a letter nor the length of the name gets out).
pub fn mask(name: &str) -> String {
    if name.trim().is_empty() {
        String::new()
    } else {
        "*****".into()
    }
}

/// Fewer pairs than this and no correlation is shown ("data belum cukup").
pub const MIN_PAIRS: usize = 8;

/// Pearson's r of the pairs, 2 decimals; `None` with fewer than [`MIN_PAIRS`] or no spread.
/// It describes how two measures move together across units, nothing about cause.
pub fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < MIN_PAIRS {
        return None;
    }
    let n = pairs.len() as f64;
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    if sxx <= f64::EPSILON || syy <= f64::EPSILON {
        return None;
    }
    Some(round2(sxy / (sxx * syy).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn mutu_bands_on_the_rounded_value() {
        for (ikm, mutu) in [
            (100.0, Mutu::A),
            (88.31, Mutu::A),
            (88.305, Mutu::A),
            (88.30, Mutu::B),
            (76.61, Mutu::B),
            (76.604, Mutu::C),
            (65.00, Mutu::C),
            (64.99, Mutu::D),
            (25.0, Mutu::D),
        ] {
            assert_eq!(Mutu::of(ikm), mutu, "{ikm}");
        }
        assert_eq!(Mutu::B.kinerja(), "Baik");
    }

    #[test]
    fn krejcie_morgan_table() {
        for (n, s) in [
            (100, 80),
            (500, 217),
            (1_000, 278),
            (10_000, 370),
            (1_000_000, 384),
            (0, 0),
        ] {
            assert_eq!(sample_needed(n), s, "N = {n}");
        }
    }

    #[test]
    fn ikm_uses_the_exact_ninth() {
        let mut t = Tally::default();
        t.add(&[4, 4, 4, 4, 4, 4, 4, 4, 4]);
        t.add(&[3, 3, 3, 3, 3, 3, 3, 3, 2]);
        let i = ikm(&t).expect("respondents");
        assert_eq!(i.nrr[0], 3.5);
        assert_eq!(i.nrr[8], 3.0);
        // (3.5 × 8 + 3.0) ÷ 9 × 25 = 86.111…
        assert_eq!(i.ikm, 86.11);
        assert_eq!(i.mutu, Mutu::B);
        assert_eq!(ikm(&Tally::default()), None);
        // Exact halves round up (floats would land just below): 87 ÷ 40 = 2.175 → 2.18, and
        // these 5,000 answers give exactly 88.305 → 88.31, mutu A.
        let t = Tally {
            respondents: 40,
            sums: [87; 9],
        };
        assert_eq!(ikm(&t).expect("n").nrr[0], 2.18);
        let t = Tally {
            respondents: 5000,
            sums: [
                17417, 17603, 17807, 17688, 17264, 17587, 17624, 17725, 18234,
            ],
        };
        let i = ikm(&t).expect("n");
        assert_eq!((i.ikm, i.mutu), (88.31, Mutu::A));
    }

    #[test]
    fn answers_are_nine_between_one_and_four() {
        assert!(check_answers(&[4; 9]).is_ok());
        assert_eq!(check_answers(&[4; 8]), Err(AnswerError::Count(8)));
        assert_eq!(
            check_answers(&[1, 2, 3, 4, 5, 1, 1, 1, 1]),
            Err(AnswerError::Range(5))
        );
        assert_eq!(check_answers(&[0; 9]), Err(AnswerError::Range(1)));
    }

    #[test]
    fn periods() {
        assert_eq!(
            Period::parse("2026-S2"),
            Some(Period {
                year: 2026,
                semester: 2
            })
        );
        assert_eq!(
            Period::parse("2026").map(|p| p.to_string()).as_deref(),
            Some("2026")
        );
        assert_eq!(Period::parse("2026-S3"), None);
        assert_eq!(Period::parse("26"), None);
        let s1 = Period::parse("2026-S1").expect("s1");
        assert!(s1.contains(date(2026, 6, 30)) && !s1.contains(date(2026, 7, 1)));
    }

    #[test]
    fn complaint_deadlines_count_working_days() {
        // Thursday + 3 working days = Tuesday.
        assert_eq!(verification_due(date(2026, 3, 5)), date(2026, 3, 10));
        assert_eq!(resolution_due(date(2026, 3, 10)), date(2026, 5, 9));
        use ComplaintStatus::*;
        assert!(!overdue(Baru, date(2026, 3, 5), None, date(2026, 3, 10)));
        assert!(overdue(Baru, date(2026, 3, 5), None, date(2026, 3, 11)));
        assert!(overdue(
            Diproses,
            date(2026, 1, 5),
            Some(date(2026, 1, 6)),
            date(2026, 3, 8)
        ));
        assert!(!overdue(Selesai, date(2020, 1, 1), None, date(2026, 1, 1)));
        assert_eq!(Baru.next(), &[Diverifikasi, Ditolak, BukanWewenang]);
        assert!(Ditolak.needs_reason() && Selesai.closed());
    }

    #[test]
    fn overdue_cutoffs_agree_with_overdue_on_every_day() {
        // Every receipt and verification date over three months, judged on every day of a
        // month that starts on each weekday: the SQL count and the rule must never differ.
        let first = date(2026, 1, 1);
        for today in (0..40).map(|n| date(2026, 3, 1) + Duration::days(n)) {
            let (baru, verified) = overdue_cutoffs(today);
            for received in (0..90).map(|n| first + Duration::days(n)) {
                assert_eq!(
                    overdue(ComplaintStatus::Baru, received, None, today),
                    received <= baru,
                    "baru received {received} on {today}"
                );
                for status in [ComplaintStatus::Diverifikasi, ComplaintStatus::Diproses] {
                    for on in [None, Some(received + Duration::days(2))] {
                        assert_eq!(
                            overdue(status, received, on, today),
                            on.unwrap_or(received) <= verified,
                            "{status:?} received {received} verified {on:?} on {today}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn late_stays_late_after_closing() {
        use ComplaintStatus::*;
        let d = |m, day| date(2026, m, day);
        // (status, received, verified, resolved, today, late)
        let cases = [
            // Verified on time, closed on time.
            (
                Selesai,
                d(3, 5),
                Some(d(3, 10)),
                Some(d(4, 1)),
                d(12, 1),
                false,
            ),
            // Verified a day after its date (Tue 10 March), closed on time: late.
            (
                Selesai,
                d(3, 5),
                Some(d(3, 11)),
                Some(d(4, 1)),
                d(12, 1),
                true,
            ),
            // Closed 61 days after verification: late for ever.
            (
                Selesai,
                d(3, 5),
                Some(d(3, 6)),
                Some(d(5, 6)),
                d(12, 1),
                true,
            ),
            // Refused unverified within the 3 working days: not late.
            (Ditolak, d(3, 5), None, Some(d(3, 10)), d(12, 1), false),
            (BukanWewenang, d(3, 5), None, Some(d(3, 12)), d(12, 1), true),
            // Open: late once past the date of its step.
            (Baru, d(3, 5), None, None, d(3, 10), false),
            (Baru, d(3, 5), None, None, d(3, 11), true),
            (Diproses, d(3, 5), Some(d(3, 6)), None, d(5, 5), false),
            (Diproses, d(3, 5), Some(d(3, 6)), None, d(5, 6), true),
            // Closed without dates (an import): cannot be judged, not late; closed on time
            // after a timely verification, whatever today is: not late.
            (Selesai, d(3, 5), None, None, d(12, 1), false),
            (Selesai, d(3, 5), Some(d(3, 6)), None, d(12, 1), false),
            // Verified then refused, each in time.
            (
                Ditolak,
                d(3, 5),
                Some(d(3, 6)),
                Some(d(4, 14)),
                d(12, 1),
                false,
            ),
        ];
        for (status, received, verified, resolved, today, want) in cases {
            assert_eq!(
                late(status, received, verified, resolved, today),
                want,
                "{status} {received} {verified:?} {resolved:?} {today}"
            );
        }
    }

    #[test]
    fn complaints_are_lodged_within_thirty_days() {
        let d = |m, day| date(2026, m, day);
        assert!(lodged_in_time(d(3, 1), d(3, 31)));
        assert!(!lodged_in_time(d(3, 1), d(4, 1)));
        assert!(lodged_in_time(d(3, 1), d(3, 1)));
        assert!(
            !lodged_in_time(d(3, 2), d(3, 1)),
            "served after the complaint"
        );
    }

    #[test]
    fn public_service_competencies_by_name() {
        assert!(public_service_competency("Orientasi pada Pelayanan"));
        assert!(public_service_competency("Pelayanan Publik"));
        assert!(!public_service_competency("Integritas"));
    }

    #[test]
    fn correlation_needs_eight_pairs() {
        let line: Vec<(f64, f64)> = (0..8)
            .map(|i| (f64::from(i), 2.0 * f64::from(i) + 1.0))
            .collect();
        assert_eq!(correlation(&line), Some(1.0));
        let down: Vec<(f64, f64)> = (0..8).map(|i| (f64::from(i), -f64::from(i))).collect();
        assert_eq!(correlation(&down), Some(-1.0));
        assert_eq!(correlation(&line[..7]), None);
        let flat: Vec<(f64, f64)> = (0..9).map(|i| (f64::from(i), 3.0)).collect();
        assert_eq!(correlation(&flat), None);
        // A worked example: r of (1,2),(2,1),(3,4),(4,3),(5,6),(6,5),(7,8),(8,7) = 0.90…
        let zig: Vec<(f64, f64)> = [
            (1., 2.),
            (2., 1.),
            (3., 4.),
            (4., 3.),
            (5., 6.),
            (6., 5.),
            (7., 8.),
            (8., 7.),
        ]
        .to_vec();
        assert_eq!(correlation(&zig), Some(0.9));
    }

    #[test]
    fn reporters_are_masked() {
        assert_eq!(mask("Cut Nyak Dhien"), "*****");
        assert_eq!(mask("Ali"), "*****");
        assert_eq!(mask(""), "");
    }
}
