//! Kecamatan of Kabupaten Aceh Barat Daya (Kemendagri code 11.12; docs/domain.md#kecamatan).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kecamatan {
    pub code: &'static str,
    pub name: &'static str,
}

/// The nine kecamatan, in Kemendagri code order.
pub const ACEH_BARAT_DAYA: [Kecamatan; 9] = [
    Kecamatan {
        code: "11.12.01",
        name: "Blangpidie",
    },
    Kecamatan {
        code: "11.12.02",
        name: "Tangan-Tangan",
    },
    Kecamatan {
        code: "11.12.03",
        name: "Manggeng",
    },
    Kecamatan {
        code: "11.12.04",
        name: "Susoh",
    },
    Kecamatan {
        code: "11.12.05",
        name: "Kuala Batee",
    },
    Kecamatan {
        code: "11.12.06",
        name: "Babahrot",
    },
    Kecamatan {
        code: "11.12.07",
        name: "Setia",
    },
    Kecamatan {
        code: "11.12.08",
        name: "Jeumpa",
    },
    Kecamatan {
        code: "11.12.09",
        name: "Lembah Sabil",
    },
];

impl Kecamatan {
    pub fn by_code(code: &str) -> Option<&'static Kecamatan> {
        ACEH_BARAT_DAYA.iter().find(|k| k.code == code)
    }

    /// By code, or by name ignoring case and spaces (`"kuala batee"`, `"TanganTangan"`), as
    /// people type it in spreadsheets.
    pub fn find(value: &str) -> Option<&'static Kecamatan> {
        let norm = |s: &str| s.to_lowercase().replace([' ', '-'], "");
        let v = value.trim();
        Kecamatan::by_code(v).or_else(|| ACEH_BARAT_DAYA.iter().find(|k| norm(k.name) == norm(v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_kemendagri_ones() {
        assert_eq!(
            Kecamatan::by_code("11.12.01").map(|k| k.name),
            Some("Blangpidie")
        );
        assert_eq!(
            Kecamatan::by_code("11.12.06").map(|k| k.name),
            Some("Babahrot")
        );
        assert_eq!(
            Kecamatan::by_code("11.12.09").map(|k| k.name),
            Some("Lembah Sabil")
        );
        assert_eq!(Kecamatan::by_code("11.12.10"), None);
        assert_eq!(Kecamatan::by_code("' OR 1=1"), None);
        assert_eq!(
            Kecamatan::find("kuala batee").map(|k| k.code),
            Some("11.12.05")
        );
        assert_eq!(
            Kecamatan::find("Tangan Tangan").map(|k| k.code),
            Some("11.12.02")
        );
        assert_eq!(
            Kecamatan::find(" 11.12.06 ").map(|k| k.code),
            Some("11.12.06")
        );
        assert_eq!(Kecamatan::find("Banda Aceh"), None);
    }
}
