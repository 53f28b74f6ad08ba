//! Uploaded files: what they are (told by their first bytes, never by their names), how
//! large they may be, and the names they are stored under. Shared by every use case that
//! takes evidence (assessments, performance plans, learning activities and courses).

use crate::{ServiceError, ServiceResult};

/// Largest evidence file.
pub const MAX_EVIDENCE: usize = 5 << 20;

/// An uploaded evidence file, as received.
pub struct Evidence {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// What a stored evidence file is, told by its first bytes (never by its name): PDF, PNG or
/// JPEG; anything else is refused.
pub fn evidence_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// The file name without any path, control or quoting characters, at most 120 characters.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ';'))
        .take(120)
        .collect();
    match clean.trim() {
        "" | "." | ".." => "bukti".into(),
        t => t.to_string(),
    }
}

pub fn check_evidence(e: &Evidence) -> ServiceResult<&'static str> {
    if e.bytes.len() > MAX_EVIDENCE {
        // The message names the limit: keep it in step with MAX_EVIDENCE.
        return Err(ServiceError::invalid(
            "evidence",
            "assessment.evidence_too_large",
        ));
    }
    evidence_type(&e.bytes)
        .ok_or_else(|| ServiceError::invalid("evidence", "assessment.evidence_type"))
}

/// Refuses an upload that would take a person past their quota (files and bytes), naming it.
pub fn check_quota(
    quota: cakap_domain::learning::Quota,
    (files, bytes): (i64, i64),
    add_files: i64,
    add_bytes: i64,
) -> ServiceResult<()> {
    if quota.allows(files, bytes, add_files, add_bytes) {
        return Ok(());
    }
    Err(ServiceError::Invalid {
        field: "file",
        key: "learning.upload_quota",
        args: vec![
            ("files", quota.files.to_string()),
            ("mib", (quota.bytes >> 20).to_string()),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_told_by_its_content_not_its_name() {
        let cases: [(&[u8], Option<&str>); 6] = [
            (b"%PDF-1.7 ...", Some("application/pdf")),
            (b"\x89PNG\r\n\x1a\n....", Some("image/png")),
            (b"\xff\xd8\xff\xe0JFIF", Some("image/jpeg")),
            (b"GIF89a", None),
            (b"<html><script>", None),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(evidence_type(bytes), want, "{bytes:?}");
        }
        // The messages say 5 MiB.
        assert_eq!(MAX_EVIDENCE, 5 * 1024 * 1024);
    }

    #[test]
    fn file_names_lose_paths_and_markup() {
        assert_eq!(
            clean_filename("C:\\Users\\ani\\sertifikat.pdf"),
            "sertifikat.pdf"
        );
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\"b;c<d>.png"), "abcd.png");
        assert_eq!(clean_filename(".."), "bukti");
        assert_eq!(clean_filename(""), "bukti");
        assert_eq!(clean_filename(&"x".repeat(300)).len(), 120);
    }
}
