//! Certificate codes and NIP masking.

/// A NIP as a public page shows it: the first four and last four digits.
pub fn mask_nip(nip: &str) -> String {
    let digits: Vec<char> = nip.chars().collect();
    if digits.len() <= 8 {
        return "*".repeat(digits.len());
    }
    let n = digits.len();
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| if i < 4 || i >= n - 4 { *c } else { '*' })
        .collect()
}

/// Letters of certificate codes: Crockford's base 32 (no I, L, O, U: nothing to misread).
pub const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A code shape check before any lookup: three groups of four letters of [`CODE_ALPHABET`]
/// joined by hyphens, e.g. `7K3M-Q9TD-W2HX`.
pub fn valid_code_shape(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 14
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 9 {
                *c == b'-'
            } else {
                CODE_ALPHABET.contains(c)
            }
        })
}
