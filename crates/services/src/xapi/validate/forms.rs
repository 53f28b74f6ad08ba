//! The forms values take: language tags, IRIs, UUIDs, timestamps, durations, signatures, and
//! the JSON shape checks every rule uses.

use serde_json::{Map, Value};

use super::*;

/// An RFC 5646 tag in its common forms: a 2–3 (or 4–8) letter language, then subtags of 1–8
/// letters or digits (`en`, `en-US`, `zh-Hant-TW`, `es-419`, `x-private`).
pub fn language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let Some(first) = parts.next() else {
        return false;
    };
    let first_ok =
        (first.len() >= 2 && first.len() <= 8 && first.bytes().all(|b| b.is_ascii_alphabetic()))
            || first.eq_ignore_ascii_case("x")
            || first.eq_ignore_ascii_case("i");
    first_ok
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// An absolute IRI: a scheme, a colon and something after it, no spaces or controls.
pub fn iri(s: &str, path: &str) -> Check {
    let ok = s.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    }) && !s.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
    });
    if ok {
        Ok(())
    } else {
        Err(bad(path, "not an absolute IRI"))
    }
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

pub(super) fn uuid_value(v: &Value, path: &str) -> Check {
    if is_uuid(string(v, path)?) {
        Ok(())
    } else {
        Err(bad(path, "not a UUID"))
    }
}

pub(super) fn timestamp_value(v: &Value, path: &str) -> Check {
    match timestamp(string(v, path)?) {
        Some(_) => Ok(()),
        None => Err(bad(path, "not an RFC 3339 timestamp with a time zone")),
    }
}

/// An RFC 3339 timestamp (a `T` or a space between date and time, `Z` or an offset, which is
/// required) as UTC; `-00:00` is refused as the specification asks.
pub fn timestamp(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if s.ends_with("-00:00") {
        return None;
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// An ISO 8601 duration: `P[nY][nM][nD][T[nH][nM][n(.n)S]]` or `PnW` (weeks stand alone),
/// at least one part, a fraction only on the seconds.
pub fn duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    if let Some(weeks) = rest.strip_suffix('W') {
        return !weeks.is_empty() && weeks.bytes().all(|b| b.is_ascii_digit());
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return false;
            }
            (d, Some(t))
        }
        None => (rest, None),
    };
    let parts = |s: &str, units: &[u8], fraction_on: Option<u8>| -> Option<usize> {
        let mut n = 0;
        let mut num = String::new();
        let mut order = 0;
        for c in s.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
                continue;
            }
            let u = u8::try_from(c).ok()?;
            let pos = units[order..].iter().position(|x| *x == u)? + order;
            if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
                return None;
            }
            if num.contains('.') && fraction_on != Some(u) {
                return None;
            }
            if num.matches('.').count() > 1 {
                return None;
            }
            order = pos + 1;
            num.clear();
            n += 1;
        }
        num.is_empty().then_some(n)
    };
    let Some(d) = parts(date, b"YMD", None) else {
        return false;
    };
    let t = match time {
        Some(t) => match parts(t, b"HMS", Some(b'S')) {
            Some(n) if n > 0 => n,
            _ => return false,
        },
        None => 0,
    };
    d + t > 0
}

/// A signature attachment: a compact JWS (RS256, RS384 or RS512) whose payload is the
/// statement as it was signed (what the LRS adds, and the attachments, left out).
pub fn signature(statement: &Map<String, Value>, jws: &[u8]) -> Check {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let text = std::str::from_utf8(jws).map_err(|_| Invalid("signature: not a JWS".into()))?;
    let mut parts = text.trim().split('.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Invalid("signature: not a compact JWS".into()));
    };
    let header: Value = b64
        .decode(h.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| Invalid("signature: unreadable JWS header".into()))?;
    if !matches!(
        header.get("alg").and_then(Value::as_str),
        Some("RS256" | "RS384" | "RS512")
    ) {
        return Err(Invalid(
            "signature: alg must be RS256, RS384 or RS512".into(),
        ));
    }
    if sig.is_empty() || b64.decode(sig.trim_end_matches('=')).is_err() {
        return Err(Invalid("signature: unreadable JWS signature".into()));
    }
    let payload: Value = b64
        .decode(p.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| Invalid("signature: the payload is not a statement".into()))?;
    let Value::Object(mut signed) = payload else {
        return Err(Invalid("signature: the payload is not a statement".into()));
    };
    let mut sent = statement.clone();
    for k in ["attachments", "stored", "authority", "version"] {
        signed.remove(k);
        sent.remove(k);
    }
    if !signed.contains_key("id") {
        sent.remove("id");
    }
    for st in [&mut signed, &mut sent] {
        if let Some(d) = st.get_mut("result").and_then(|r| r.get_mut("duration"))
            && let Some(text) = d.as_str()
        {
            *d = Value::String(duration_to_hundredths(text));
        }
    }
    if signed == sent {
        Ok(())
    } else {
        Err(Invalid(
            "signature: the payload differs from the statement".into(),
        ))
    }
}

/// A duration with its seconds' fraction cut to hundredths (signers and LRSs may keep
/// different precision; xAPI compares to 0.01 s).
pub(super) fn duration_to_hundredths(d: &str) -> String {
    let Some(dot) = d.rfind('.') else {
        return d.to_string();
    };
    let digits: String = d[dot + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = &d[dot + 1 + digits.len()..];
    let kept: String = digits.chars().take(2).collect();
    format!("{}.{kept}{rest}", &d[..dot])
}

pub(super) fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, Invalid> {
    v.as_object().ok_or_else(|| bad(path, "must be an object"))
}

pub(super) fn array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>, Invalid> {
    v.as_array().ok_or_else(|| bad(path, "must be an array"))
}

pub(super) fn string<'a>(v: &'a Value, path: &str) -> Result<&'a str, Invalid> {
    v.as_str().ok_or_else(|| bad(path, "must be a string"))
}

/// Refuses properties not in `allowed` (and `null` values, which no property may take).
pub(super) fn only(o: &Map<String, Value>, path: &str, allowed: &[&str]) -> Check {
    for (k, v) in o {
        if !allowed.contains(&k.as_str()) {
            return Err(bad(path, &format!("unknown property {k:?}")));
        }
        if v.is_null() {
            return Err(bad(&format!("{path}.{k}"), "must not be null"));
        }
    }
    Ok(())
}
