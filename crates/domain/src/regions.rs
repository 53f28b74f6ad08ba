//! Indonesia's provinces and regional governments, as the national generator lays them out
//! (docs/national.md). Codes are Kemendagri's (`11` a province, `11.12` a kabupaten or kota in
//! it), the same form as the demo regency's tenant code. How many kabupaten/kota each province
//! has follows Kemendagri's 2024 list (DKI Jakarta's five cities and one regency are
//! administrative, not autonomous: its ASN belong to the province); population (thousands,
//! BPS 2024, rounded) only weighs how many ASN a province's governments have. Aceh's
//! governments carry their real names; elsewhere a government is named by its code, and the
//! docs say so.

/// A province: Kemendagri code, name, autonomous kabupaten/kota, population in thousands.
#[derive(Debug, Clone, Copy)]
pub struct Province {
    pub code: &'static str,
    pub name: &'static str,
    pub governments: u16,
    pub population_k: u32,
}

const fn p(
    code: &'static str,
    name: &'static str,
    governments: u16,
    population_k: u32,
) -> Province {
    Province {
        code,
        name,
        governments,
        population_k,
    }
}

pub const PROVINCES: [Province; 38] = [
    p("11", "Aceh", 23, 5_510),
    p("12", "Sumatera Utara", 33, 15_390),
    p("13", "Sumatera Barat", 19, 5_840),
    p("14", "Riau", 12, 6_730),
    p("15", "Jambi", 11, 3_720),
    p("16", "Sumatera Selatan", 17, 8_840),
    p("17", "Bengkulu", 10, 2_110),
    p("18", "Lampung", 15, 9_310),
    p("19", "Kepulauan Bangka Belitung", 7, 1_530),
    p("21", "Kepulauan Riau", 7, 2_180),
    p("31", "DKI Jakarta", 0, 10_680),
    p("32", "Jawa Barat", 27, 50_350),
    p("33", "Jawa Tengah", 35, 37_890),
    p("34", "DI Yogyakarta", 5, 3_760),
    p("35", "Jawa Timur", 38, 41_810),
    p("36", "Banten", 8, 12_430),
    p("51", "Bali", 9, 4_430),
    p("52", "Nusa Tenggara Barat", 10, 5_650),
    p("53", "Nusa Tenggara Timur", 22, 5_620),
    p("61", "Kalimantan Barat", 14, 5_620),
    p("62", "Kalimantan Tengah", 14, 2_810),
    p("63", "Kalimantan Selatan", 13, 4_190),
    p("64", "Kalimantan Timur", 10, 4_000),
    p("65", "Kalimantan Utara", 5, 740),
    p("71", "Sulawesi Utara", 15, 2_680),
    p("72", "Sulawesi Tengah", 13, 3_120),
    p("73", "Sulawesi Selatan", 24, 9_460),
    p("74", "Sulawesi Tenggara", 17, 2_790),
    p("75", "Gorontalo", 6, 1_200),
    p("76", "Sulawesi Barat", 6, 1_490),
    p("81", "Maluku", 11, 1_900),
    p("82", "Maluku Utara", 10, 1_350),
    p("91", "Papua", 9, 1_040),
    p("92", "Papua Barat", 7, 560),
    p("93", "Papua Selatan", 4, 530),
    p("94", "Papua Tengah", 8, 1_450),
    p("95", "Papua Pegunungan", 8, 1_450),
    p("96", "Papua Barat Daya", 6, 620),
];

/// Aceh's 18 kabupaten and 5 kota (Kemendagri codes).
pub const ACEH: [(&str, &str); 23] = [
    ("11.01", "Kabupaten Simeulue"),
    ("11.02", "Kabupaten Aceh Singkil"),
    ("11.03", "Kabupaten Aceh Selatan"),
    ("11.04", "Kabupaten Aceh Tenggara"),
    ("11.05", "Kabupaten Aceh Timur"),
    ("11.06", "Kabupaten Aceh Tengah"),
    ("11.07", "Kabupaten Aceh Barat"),
    ("11.08", "Kabupaten Aceh Besar"),
    ("11.09", "Kabupaten Pidie"),
    ("11.10", "Kabupaten Bireuen"),
    ("11.11", "Kabupaten Aceh Utara"),
    ("11.12", "Kabupaten Aceh Barat Daya"),
    ("11.13", "Kabupaten Gayo Lues"),
    ("11.14", "Kabupaten Aceh Tamiang"),
    ("11.15", "Kabupaten Nagan Raya"),
    ("11.16", "Kabupaten Aceh Jaya"),
    ("11.17", "Kabupaten Bener Meriah"),
    ("11.18", "Kabupaten Pidie Jaya"),
    ("11.71", "Kota Banda Aceh"),
    ("11.72", "Kota Sabang"),
    ("11.73", "Kota Langsa"),
    ("11.74", "Kota Lhokseumawe"),
    ("11.75", "Kota Subulussalam"),
];

/// The province of a government's code (`11.12` → Aceh; `11` → Aceh).
pub fn province_of(code: &str) -> Option<&'static Province> {
    let prefix = code.split('.').next()?;
    PROVINCES.iter().find(|p| p.code == prefix)
}

/// One regional government of the national layout and how many ASN it employs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Government {
    pub code: String,
    pub name: String,
    pub asn: u64,
}

/// A province's own government employs this share of its province's ASN (teachers of senior
/// schools, provincial hospitals and offices); its kabupaten/kota share the rest.
const PROVINCE_SHARE: f64 = 0.2;
/// No government is generated smaller than this.
const SMALLEST: u64 = 1_000;

/// The national layout: every province's government and every autonomous kabupaten/kota,
/// with ASN summing to about `total` (each at least `SMALLEST`). A province's ASN follow its
/// population to the power 0.8 (small provinces employ more per head); within a province,
/// sizes vary by a factor 0.5–1.5 fixed by the code, so the same `total` gives the same layout.
pub fn national_layout(total: u64) -> Vec<Government> {
    let weight = |p: &Province| f64::from(p.population_k).powf(0.8);
    let sum: f64 = PROVINCES.iter().map(weight).sum();
    let mut out = Vec::new();
    for p in &PROVINCES {
        let province_asn = total as f64 * weight(p) / sum;
        let own = if p.governments == 0 {
            province_asn
        } else {
            province_asn * PROVINCE_SHARE
        };
        out.push(Government {
            code: p.code.to_string(),
            name: format!("Provinsi {}", p.name),
            asn: (own.round() as u64).max(SMALLEST),
        });
        let codes: Vec<(String, String)> = if p.code == "11" {
            ACEH.iter()
                .map(|(c, n)| (c.to_string(), n.to_string()))
                .collect()
        } else {
            (1..=p.governments)
                .map(|i| {
                    let code = format!("{}.{i:02}", p.code);
                    let name = format!("Pemerintah {code} ({})", p.name);
                    (code, name)
                })
                .collect()
        };
        let factors: Vec<f64> = codes.iter().map(|(c, _)| 0.5 + spread(c)).collect();
        let factor_sum: f64 = factors.iter().sum();
        for ((code, name), f) in codes.into_iter().zip(factors) {
            let asn = (province_asn - own) * f / factor_sum;
            out.push(Government {
                code,
                name,
                asn: (asn.round() as u64).max(SMALLEST),
            });
        }
    }
    out
}

/// A number in [0, 1) fixed by the text (FNV-1a, then MurmurHash3's finaliser so that codes
/// differing in their last digit land far apart): how the layout (and the generator) vary
/// governments without a random source.
pub fn spread(text: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_has_every_government_once_and_sums_to_the_total() {
        let layout = national_layout(4_700_000);
        let governments: u16 = PROVINCES.iter().map(|p| p.governments).sum();
        assert_eq!(layout.len(), 38 + usize::from(governments));
        assert!((540..=560).contains(&layout.len()), "{}", layout.len());
        let mut codes: Vec<&str> = layout.iter().map(|g| g.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), layout.len(), "codes are unique");
        let sum: u64 = layout.iter().map(|g| g.asn).sum();
        assert!(sum.abs_diff(4_700_000) < 2_000, "{sum}");
        assert!(layout.iter().all(|g| g.asn >= SMALLEST));
        assert!(
            layout
                .iter()
                .all(|g| province_of(&g.code).is_some_and(|p| g.code.starts_with(p.code)))
        );
        let abdya = layout.iter().find(|g| g.code == "11.12").expect("11.12");
        assert_eq!(abdya.name, "Kabupaten Aceh Barat Daya");
        // Jawa Barat's province employs more than Papua Selatan's, and the same total gives
        // the same layout.
        let asn = |c: &str| layout.iter().find(|g| g.code == c).expect(c).asn;
        assert!(asn("32") > 10 * asn("93"));
        assert_eq!(national_layout(4_700_000), layout);
        // Neighbouring codes differ: sizes within a province spread out.
        let aceh: Vec<u64> = layout
            .iter()
            .filter(|g| g.code.starts_with("11."))
            .map(|g| g.asn)
            .collect();
        let (min, max) = (
            aceh.iter().min().expect("min"),
            aceh.iter().max().expect("max"),
        );
        assert!(max * 10 > min * 20, "{min}..{max}");
    }

    #[test]
    fn a_small_total_keeps_the_smallest_size() {
        let layout = national_layout(10_000);
        assert!(layout.iter().all(|g| g.asn == SMALLEST));
    }
}
