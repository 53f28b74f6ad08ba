//! multipart/mixed as xAPI uses it (RFC 2046): the statements as the first part
//! (`application/json`), then each attachment's bytes with its `X-Experience-API-Hash`.
//! Read strictly — a part out of place is refused, not guessed at.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;
use cakap_services::xapi::XapiError;
use sha2::Digest as _;

pub struct Parts {
    pub json: Vec<u8>,
    pub attachments: HashMap<String, (String, Vec<u8>)>,
}

fn bad(msg: &str) -> XapiError {
    XapiError::bad(format!("multipart: {msg}"))
}

/// The `boundary` parameter of a multipart Content-Type.
fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty() && b.len() <= 70)
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The parts of a body: (lower-cased headers, bytes).
#[allow(clippy::type_complexity)]
fn split(body: &[u8], boundary: &str) -> Result<Vec<(Vec<(String, String)>, Vec<u8>)>, XapiError> {
    let open = format!("--{boundary}");
    let delim = format!("\r\n--{boundary}");
    // Only line breaks may come before the first boundary: anything else would be a preamble
    // holding what should have been a part.
    let start = body
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(body.len());
    if !body[start..].starts_with(open.as_bytes()) {
        return Err(bad("the body must start with the boundary"));
    }
    let mut pos = start + open.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err(bad("a boundary must end its line"));
        }
        pos += 2;
        let head_end =
            find(body, b"\r\n\r\n", pos).ok_or_else(|| bad("a part without headers' end"))?;
        let head = std::str::from_utf8(&body[pos..head_end])
            .map_err(|_| bad("unreadable part headers"))?;
        let mut headers = Vec::new();
        for line in head.split("\r\n").filter(|l| !l.is_empty()) {
            let (k, v) = line
                .split_once(':')
                .ok_or_else(|| bad("a malformed part header"))?;
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        let data_start = head_end + 4;
        let end =
            find(body, delim.as_bytes(), data_start).ok_or_else(|| bad("a part is not closed"))?;
        parts.push((headers, body[data_start..end].to_vec()));
        pos = end + delim.len();
    }
}

pub fn parse(content_type: &str, body: &[u8]) -> Result<Parts, XapiError> {
    let b = boundary(content_type).ok_or_else(|| bad("the boundary is missing"))?;
    let mut parts = split(body, &b)?.into_iter();
    let (first_headers, json) = parts.next().ok_or_else(|| bad("no statement part"))?;
    let header = |h: &[(String, String)], name: &str| {
        h.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    };
    if !header(&first_headers, "content-type")
        .is_some_and(|t| cakap_services::xapi::documents::is_json(&t))
    {
        return Err(bad("the first part must be application/json"));
    }
    let mut attachments = HashMap::new();
    for (h, data) in parts {
        let hash = header(&h, "x-experience-api-hash")
            .ok_or_else(|| bad("an attachment part needs X-Experience-API-Hash"))?;
        if let Some(enc) = header(&h, "content-transfer-encoding")
            && !enc.eq_ignore_ascii_case("binary")
        {
            return Err(bad("attachments are sent binary"));
        }
        if cakap_services::auth::hex(&sha2::Sha256::digest(&data)) != hash.to_ascii_lowercase() {
            return Err(bad("an attachment does not match its hash"));
        }
        let ct = header(&h, "content-type").unwrap_or_else(|| "application/octet-stream".into());
        // Sent back in response headers later: a media type, nothing that could break a line.
        if ct.len() > 200 || ct.chars().any(|c| c.is_control()) || !ct.contains('/') {
            return Err(bad("an attachment's Content-Type is not a media type"));
        }
        attachments.insert(hash.to_ascii_lowercase(), (ct, data));
    }
    Ok(Parts { json, attachments })
}

/// A multipart/mixed response: `json` first, then each attachment (hash, type, bytes).
pub fn response(json: &serde_json::Value, files: &[(String, String, Vec<u8>)]) -> Response {
    let boundary = cakap_services::xapi::statements::new_uuid().replace('-', "");
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(json.to_string().as_bytes());
    for (hash, ct, data) in files {
        body.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Type: {ct}\r\nContent-Transfer-Encoding: binary\r\n\
                 X-Experience-API-Hash: {hash}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
    }
    body.extend_from_slice(format!("\r\n--{boundary}--").as_bytes());
    super::body_response(
        StatusCode::OK,
        &format!("multipart/mixed; boundary={boundary}"),
        body,
    )
}
