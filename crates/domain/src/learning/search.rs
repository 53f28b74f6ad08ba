//! Search folding for the catalogue.

/// Lower case, accents removed, runs of anything but letters and digits as one space.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Indonesian words too common to search by.
pub(super) const STOP_WORDS: &[&str] = &[
    "ada", "adalah", "agar", "akan", "antara", "atas", "atau", "bagi", "bahwa", "beberapa",
    "belum", "bisa", "dalam", "dan", "dapat", "dari", "demikian", "dengan", "di", "dia", "hal",
    "harus", "ini", "itu", "jika", "juga", "kami", "karena", "ke", "kepada", "ketika", "kita",
    "lebih", "maka", "mereka", "namun", "oleh", "pada", "para", "saat", "sebagai", "secara",
    "sehingga", "sudah", "tentang", "telah", "tersebut", "untuk", "yaitu", "yakni", "yang",
];

/// The words of `s` a search matches on: folded, without stop words, deduplicated.
pub fn search_terms(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in fold(s).split(' ') {
        if w.is_empty() || STOP_WORDS.contains(&w) || out.iter().any(|o| o == w) {
            continue;
        }
        out.push(w.to_string());
    }
    out
}

/// The stored search text of a document: its terms between spaces, so that a query term
/// matches a word's start with `LIKE '% term%'`.
pub fn search_text(parts: &[&str]) -> String {
    let mut terms: Vec<String> = Vec::new();
    for p in parts {
        for t in search_terms(p) {
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
    }
    format!(" {} ", terms.join(" "))
}
