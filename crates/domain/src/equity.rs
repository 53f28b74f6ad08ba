//! Equity (docs/domain.md#equity): how evenly development reaches the civil servants — the
//! groups a regency is compared by, the age bands, the Gini coefficient and the Lorenz curve.

use chrono::{Datelike, NaiveDate};

string_enum! {
    /// What the people of a scope are grouped by.
    GroupBy {
        Unit = "unit",
        Kecamatan = "kecamatan",
        Gender = "gender",
        Golongan = "golongan",
        AgeBand = "age_band",
        Status = "status",
        PositionKind = "position_kind",
    }
}

string_enum! {
    /// Age on 31 December of the year looked at.
    AgeBand {
        Under30 = "<30",
        Thirties = "30-39",
        Forties = "40-49",
        FiftyPlus = "50+",
    }
}

impl AgeBand {
    /// The band of someone born on `born`, on 31 December of `year`.
    pub fn of(born: NaiveDate, year: i32) -> AgeBand {
        let Some(end) = NaiveDate::from_ymd_opt(year, 12, 31) else {
            return AgeBand::FiftyPlus;
        };
        let mut age = end.year() - born.year();
        if (end.month(), end.day()) < (born.month(), born.day()) {
            age -= 1;
        }
        match age {
            ..30 => AgeBand::Under30,
            30..40 => AgeBand::Thirties,
            40..50 => AgeBand::Forties,
            _ => AgeBand::FiftyPlus,
        }
    }
}

/// The golongan group: the ruang of a PNS (`I`–`IV`), or `PPPK`; `None` when unknown.
pub fn golongan_group(status: &str, golongan: Option<&str>) -> Option<&'static str> {
    if status == "PPPK" {
        return Some("PPPK");
    }
    let g = golongan?;
    ["IV", "III", "II", "I"]
        .into_iter()
        .find(|r| g.strip_prefix(r).is_some_and(|rest| rest.starts_with('/')))
}

/// Gini of a non-negative list: `Σᵢ Σⱼ |xᵢ − xⱼ| ÷ (2 n² x̄)`, 0 when the list is empty or all
/// zero, rounded to 4 decimals. Computed on the sorted list in O(n log n): over ordered pairs
/// `Σ|xᵢ − xⱼ| = 2 Σₖ (2k − n − 1)·x₍ₖ₎` with k = 1…n.
pub fn gini(xs: &[f64]) -> f64 {
    let n = xs.len();
    let total: f64 = xs.iter().sum();
    if n == 0 || total <= 0.0 {
        return 0.0;
    }
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n_f = n as f64;
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n_f - 1.0) * x)
        .sum();
    let mean = total / n_f;
    round4(2.0 * weighted / (2.0 * n_f * n_f * mean))
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The Lorenz curve of a non-negative list at `steps` even shares of the people (poorest
/// first): `(share of people, share of the total)`, both 0–1, from (0, 0) to (1, 1). An empty
/// or all-zero list is the line of equality.
pub fn lorenz(xs: &[f64], steps: usize) -> Vec<(f64, f64)> {
    let steps = steps.max(1);
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let total: f64 = sorted.iter().sum();
    let mut cumulative = Vec::with_capacity(sorted.len() + 1);
    cumulative.push(0.0);
    let mut acc = 0.0;
    for x in &sorted {
        acc += x;
        cumulative.push(acc);
    }
    (0..=steps)
        .map(|k| {
            let p = k as f64 / steps as f64;
            if sorted.is_empty() || total <= 0.0 {
                return (p, p);
            }
            // The people up to this share, interpolated between two persons.
            let pos = p * sorted.len() as f64;
            let whole = pos.floor() as usize;
            let part = pos - whole as f64;
            let below = cumulative[whole.min(sorted.len())];
            let next = sorted.get(whole).copied().unwrap_or(0.0);
            (p, round4((below + part * next) / total))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_as_domain_md() {
        // (list, Gini) — docs/domain.md#equity; the first is DOMAIN §13's worked example.
        let cases: &[(&[f64], f64)] = &[
            (&[0.0, 0.0, 20.0, 40.0], 0.5833),
            (&[], 0.0),
            (&[0.0, 0.0, 0.0], 0.0),
            (&[25.0], 0.0),
            (&[20.0, 20.0, 20.0, 20.0], 0.0),
            (&[0.0, 0.0, 0.0, 100.0], 0.75),
            (&[1.0, 2.0, 3.0, 4.0, 5.0], 0.2667),
            (&[40.0, 0.0, 20.0, 0.0], 0.5833),
        ];
        for (xs, want) in cases {
            assert_eq!(gini(xs), *want, "{xs:?}");
        }
    }

    #[test]
    fn gini_equals_the_pairwise_definition() {
        let xs: Vec<f64> = (0..57).map(|i| ((i * 37) % 23) as f64).collect();
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let pairs: f64 = xs
            .iter()
            .flat_map(|a| xs.iter().map(move |b| (a - b).abs()))
            .sum();
        assert_eq!(gini(&xs), round4(pairs / (2.0 * n * n * mean)));
    }

    #[test]
    fn age_bands_on_31_december() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let cases = [
            ("1997-01-01", 2026, AgeBand::Under30),  // 29
            ("1996-12-31", 2026, AgeBand::Thirties), // 30 on the day
            ("1987-01-01", 2026, AgeBand::Thirties), // 39
            ("1986-12-31", 2026, AgeBand::Forties),
            ("1977-06-15", 2026, AgeBand::Forties), // 49
            ("1976-12-31", 2026, AgeBand::FiftyPlus),
            ("1966-03-01", 2026, AgeBand::FiftyPlus),
        ];
        for (born, year, band) in cases {
            assert_eq!(AgeBand::of(d(born), year), band, "{born} in {year}");
        }
    }

    #[test]
    fn golongan_groups() {
        let cases = [
            ("PNS", Some("III/a"), Some("III")),
            ("PNS", Some("IV/e"), Some("IV")),
            ("PNS", Some("II/d"), Some("II")),
            ("PNS", Some("I/a"), Some("I")),
            ("PPPK", Some("IX"), Some("PPPK")),
            ("PNS", None, None),
            ("PNS", Some("IIIa"), None),
        ];
        for (status, g, want) in cases {
            assert_eq!(golongan_group(status, g), want, "{status} {g:?}");
        }
    }

    #[test]
    fn lorenz_curve() {
        assert_eq!(
            lorenz(&[0.0, 0.0, 20.0, 40.0], 4),
            vec![
                (0.0, 0.0),
                (0.25, 0.0),
                (0.5, 0.0),
                (0.75, 0.3333),
                (1.0, 1.0)
            ]
        );
        assert_eq!(lorenz(&[], 2), vec![(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)]);
        assert_eq!(
            lorenz(&[10.0, 10.0], 4),
            vec![
                (0.0, 0.0),
                (0.25, 0.25),
                (0.5, 0.5),
                (0.75, 0.75),
                (1.0, 1.0)
            ]
        );
    }
}
