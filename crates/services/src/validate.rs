//! Small checks shared by the use cases; each names the field it refuses.

use crate::{ServiceError, ServiceResult};
use chrono::NaiveDate;

/// A required, trimmed text of 1..=max characters without control characters.
/// A year Cakap reports on: 2000–2100.
pub fn year(y: i64) -> ServiceResult<i64> {
    if (2000..=2100).contains(&y) {
        Ok(y)
    } else {
        Err(ServiceError::invalid("year", "learning.year_range"))
    }
}

/// The last day of `year` or today, whichever comes first: the day a year's "now" figures
/// (JPM) are read on.
pub fn year_end_or_today(year: i64) -> NaiveDate {
    let today = crate::wib::today();
    NaiveDate::from_ymd_opt(i32::try_from(year).unwrap_or(2100), 12, 31)
        .map_or(today, |end| end.min(today))
}

pub fn text(field: &'static str, value: &str, max: usize) -> ServiceResult<String> {
    checked(field, value.trim().to_string(), max, |_| false)
}

/// A required text that may run over several lines (a comment, a complaint): line breaks
/// and tabs pass, other control characters do not; `\r\n` becomes `\n`.
pub fn paragraph(field: &'static str, value: &str, max: usize) -> ServiceResult<String> {
    let v = value.trim().replace("\r\n", "\n");
    checked(field, v, max, |c| c == '\n' || c == '\t')
}

/// `v` when it is not empty, at most `max` characters, and holds no control character but
/// those `allowed`.
fn checked(
    field: &'static str,
    v: String,
    max: usize,
    allowed: impl Fn(char) -> bool,
) -> ServiceResult<String> {
    if v.is_empty() {
        return Err(ServiceError::invalid(field, "error.required"));
    }
    if v.chars().count() > max {
        return Err(ServiceError::Invalid {
            field,
            key: "error.too_long",
            args: vec![("max", max.to_string())],
        });
    }
    if v.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(ServiceError::invalid(field, "error.control_chars"));
    }
    Ok(v)
}

/// An optional [`paragraph`]: blank becomes `None`.
pub fn optional_paragraph(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> ServiceResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => paragraph(field, v, max).map(Some),
    }
}

/// An optional text: blank becomes `None`.
pub fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> ServiceResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

/// Codes: letters, digits, `.`, `-`, `_`; 1–32 characters.
pub fn code(field: &'static str, value: &str) -> ServiceResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ServiceError::invalid(field, "error.required"));
    }
    if v.len() > 32
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
    {
        return Err(ServiceError::invalid(field, "error.code_format"));
    }
    Ok(v.to_string())
}

pub fn email(value: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(v) = optional_text("email", value, 254)? else {
        return Ok(None);
    };
    let ok = v.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
    }) && !v.contains(char::is_whitespace)
        && !v.contains(['<', '>', '"', '\'']);
    if ok {
        Ok(Some(v))
    } else {
        Err(ServiceError::invalid("email", "error.email"))
    }
}

pub fn phone(value: Option<&str>) -> ServiceResult<Option<String>> {
    let Some(v) = optional_text("phone", value, 24)? else {
        return Ok(None);
    };
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let ok =
        (6..=15).contains(&digits) && v.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if ok {
        Ok(Some(v))
    } else {
        Err(ServiceError::invalid("phone", "error.phone"))
    }
}

/// For PATCH bodies: absent → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(d).map(Some)
}

/// A kecamatan of the tenant's regency, by code or name; stored as its code.
pub fn kecamatan(value: Option<&str>) -> ServiceResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(code) => cakap_domain::Kecamatan::find(code)
            .map(|k| Some(k.code.to_string()))
            .ok_or_else(|| ServiceError::Invalid {
                field: "kecamatan",
                key: "error.unknown_kecamatan",
                args: vec![("value", code.to_string())],
            }),
    }
}

/// Dates as `YYYY-MM-DD`; anything else names the field.
pub fn parse_date(field: &'static str, s: &str) -> ServiceResult<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| ServiceError::Invalid {
        field,
        key: "error.date_format",
        args: vec![("value", s.chars().take(40).collect())],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_codes_and_contacts() {
        assert_eq!(text("name", "  Ani  ", 10).ok(), Some("Ani".into()));
        assert!(text("name", "   ", 10).is_err());
        assert!(text("name", "a\u{0}b", 10).is_err());
        assert!(text("name", "abcdefghijk", 10).is_err());
        assert!(code("code", "DINKES.PKM-01").is_ok());
        assert!(code("code", "' OR 1=1").is_err());
        assert!(email(Some("ani@acehbaratdayakab.go.id")).is_ok());
        assert!(email(Some("<script>@x.id")).is_err());
        assert_eq!(email(Some("  ")).ok(), Some(None));
        assert!(phone(Some("+62 812-6000-1234")).is_ok());
        assert!(phone(Some("=cmd|' /C calc'!A0")).is_err());
    }
}
