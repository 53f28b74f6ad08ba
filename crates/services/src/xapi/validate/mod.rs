//! Statement validation as xAPI 2.0 (IEEE 9274.1.1) requires of a Learning Record Store:
//! every property checked for its type and form, unknown properties and `null`s refused,
//! exactly one identifier per agent, the SubStatement and context restrictions. A statement
//! that fails any rule is refused whole (400) and nothing of it is stored.
//! docs/interfaces.md#xapi lists what is checked; the ADL conformance suite is the proof.

mod forms;
mod parts;
#[cfg(test)]
mod tests;

use forms::*;
pub use forms::{duration, iri, is_uuid, language_tag, signature, timestamp};
use parts::*;
use serde_json::{Map, Value};

/// Why a statement was refused: a JSON path and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Check = Result<(), Invalid>;

fn bad(path: &str, what: &str) -> Invalid {
    Invalid(format!("{path}: {what}"))
}

/// Deepest nesting accepted anywhere in a statement (extensions included): a hostile
/// client cannot make the server walk an unbounded tree.
pub const MAX_DEPTH: usize = 32;

/// Checks one statement as received from a client (`stored`, `authority` and `version` may be
/// present; the LRS sets them afterwards).
pub fn statement(v: &Value) -> Check {
    depth(v, 0)?;
    let o = object(v, "statement")?;
    only(
        o,
        "statement",
        &[
            "id",
            "actor",
            "verb",
            "object",
            "result",
            "context",
            "timestamp",
            "stored",
            "authority",
            "version",
            "attachments",
            "objectType",
        ],
    )?;
    if let Some(t) = o.get("objectType")
        && t != "Statement"
    {
        return Err(bad(
            "statement.objectType",
            "must be absent at the top level",
        ));
    }
    if let Some(id) = o.get("id") {
        uuid_value(id, "statement.id")?;
    }
    body(o, "statement", false)?;
    if let Some(s) = o.get("stored") {
        timestamp_value(s, "statement.stored")?;
    }
    if let Some(a) = o.get("authority") {
        authority(a)?;
    }
    if let Some(v) = o.get("version") {
        let v = string(v, "statement.version")?;
        if !version_accepted(v) {
            return Err(bad("statement.version", "must be 1.0.x or 2.0.x"));
        }
    }
    Ok(())
}

/// Versions a statement may carry: `1.0`, `1.0.x`, `2.0`, `2.0.x` (x digits).
pub fn version_accepted(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("1.0").or_else(|| v.strip_prefix("2.0")) else {
        return false;
    };
    rest.is_empty()
        || rest
            .strip_prefix('.')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn depth(v: &Value, d: usize) -> Check {
    if d > MAX_DEPTH {
        return Err(Invalid(format!("nested deeper than {MAX_DEPTH} levels")));
    }
    match v {
        Value::Array(a) => a.iter().try_for_each(|x| depth(x, d + 1)),
        Value::Object(o) => o.values().try_for_each(|x| depth(x, d + 1)),
        _ => Ok(()),
    }
}

/// What a statement and a SubStatement share: actor, verb, object, result, context,
/// timestamp, attachments.
fn body(o: &Map<String, Value>, path: &str, sub: bool) -> Check {
    let actor = o
        .get("actor")
        .ok_or_else(|| bad(path, "actor is required"))?;
    agent_or_group(actor, &format!("{path}.actor"))?;
    verb(
        o.get("verb").ok_or_else(|| bad(path, "verb is required"))?,
        &format!("{path}.verb"),
    )?;
    let obj = o
        .get("object")
        .ok_or_else(|| bad(path, "object is required"))?;
    let kind = statement_object(obj, &format!("{path}.object"), sub)?;
    if let Some(r) = o.get("result") {
        result(r, &format!("{path}.result"))?;
    }
    if let Some(c) = o.get("context") {
        context(c, &format!("{path}.context"), kind)?;
    }
    if let Some(t) = o.get("timestamp") {
        timestamp_value(t, &format!("{path}.timestamp"))?;
    }
    if let Some(a) = o.get("attachments") {
        let list = array(a, &format!("{path}.attachments"))?;
        for (i, x) in list.iter().enumerate() {
            attachment(x, &format!("{path}.attachments[{i}]"))?;
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ObjectKind {
    Activity,
    Agent,
    StatementRef,
    SubStatement,
}

fn statement_object(v: &Value, path: &str, in_sub: bool) -> Result<ObjectKind, Invalid> {
    let o = object(v, path)?;
    let t = match o.get("objectType") {
        None => "Activity",
        Some(t) => string(t, &format!("{path}.objectType"))?,
    };
    match t {
        "Activity" => {
            activity(v, path)?;
            Ok(ObjectKind::Activity)
        }
        "Agent" | "Group" => {
            agent_or_group(v, path)?;
            Ok(ObjectKind::Agent)
        }
        "StatementRef" => {
            statement_ref(v, path)?;
            Ok(ObjectKind::StatementRef)
        }
        "SubStatement" if in_sub => Err(bad(path, "a SubStatement cannot hold a SubStatement")),
        "SubStatement" => {
            only(
                o,
                path,
                &[
                    "objectType",
                    "actor",
                    "verb",
                    "object",
                    "result",
                    "context",
                    "timestamp",
                    "attachments",
                ],
            )?;
            body(o, path, true)?;
            Ok(ObjectKind::SubStatement)
        }
        _ => Err(bad(path, "unknown objectType")),
    }
}

fn statement_ref(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(o, path, &["objectType", "id"])?;
    if o.get("objectType").and_then(Value::as_str) != Some("StatementRef") {
        return Err(bad(path, "objectType must be StatementRef"));
    }
    uuid_value(
        o.get("id").ok_or_else(|| bad(path, "id is required"))?,
        &format!("{path}.id"),
    )
}

/// An Agent or a Group, by its `objectType` (absent = Agent).
pub fn agent_or_group(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    match o.get("objectType") {
        None => agent(v, path),
        Some(t) => match string(t, &format!("{path}.objectType"))? {
            "Agent" => agent(v, path),
            "Group" => group(v, path),
            _ => Err(bad(path, "objectType must be Agent or Group")),
        },
    }
}

const IFIS: [&str; 4] = ["mbox", "mbox_sha1sum", "openid", "account"];

/// An Agent: an optional name and exactly one identifier.
pub fn agent(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(
        o,
        path,
        &[
            "objectType",
            "name",
            "mbox",
            "mbox_sha1sum",
            "openid",
            "account",
        ],
    )?;
    if let Some(t) = o.get("objectType")
        && t != "Agent"
    {
        return Err(bad(path, "objectType must be Agent"));
    }
    if let Some(n) = o.get("name") {
        string(n, &format!("{path}.name"))?;
    }
    match ifis(o, path)? {
        1 => Ok(()),
        _ => Err(bad(
            path,
            "an Agent needs exactly one of mbox, mbox_sha1sum, openid, account",
        )),
    }
}

fn group(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(
        o,
        path,
        &[
            "objectType",
            "name",
            "member",
            "mbox",
            "mbox_sha1sum",
            "openid",
            "account",
        ],
    )?;
    if let Some(n) = o.get("name") {
        string(n, &format!("{path}.name"))?;
    }
    let count = ifis(o, path)?;
    if count > 1 {
        return Err(bad(path, "a Group has at most one identifier"));
    }
    match o.get("member") {
        Some(m) => {
            let members = array(m, &format!("{path}.member"))?;
            if count == 0 && members.is_empty() {
                return Err(bad(path, "an anonymous Group needs members"));
            }
            for (i, m) in members.iter().enumerate() {
                let p = format!("{path}.member[{i}]");
                if object(m, &p)?
                    .get("objectType")
                    .is_some_and(|t| t == "Group")
                {
                    return Err(bad(&p, "a Group's members are Agents"));
                }
                agent(m, &p)?;
            }
            Ok(())
        }
        None if count == 0 => Err(bad(path, "an anonymous Group needs members")),
        None => Ok(()),
    }
}

/// Counts and checks the identifiers present.
fn ifis(o: &Map<String, Value>, path: &str) -> Result<usize, Invalid> {
    let mut n = 0;
    for k in IFIS {
        let Some(v) = o.get(k) else { continue };
        n += 1;
        let p = format!("{path}.{k}");
        match k {
            "mbox" => mbox(string(v, &p)?, &p)?,
            "mbox_sha1sum" => {
                let s = string(v, &p)?;
                if s.len() != 40 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(bad(&p, "must be 40 hexadecimal digits"));
                }
            }
            "openid" => iri(string(v, &p)?, &p)?,
            _ => account(v, &p)?,
        }
    }
    Ok(n)
}

fn mbox(s: &str, path: &str) -> Check {
    let Some(addr) = s.strip_prefix("mailto:") else {
        return Err(bad(path, "must start with mailto:"));
    };
    match addr.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !addr.chars().any(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(bad(path, "not an e-mail address")),
    }
}

fn account(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(o, path, &["homePage", "name"])?;
    let home = o
        .get("homePage")
        .ok_or_else(|| bad(path, "homePage is required"))?;
    iri(string(home, &format!("{path}.homePage"))?, path)?;
    string(
        o.get("name").ok_or_else(|| bad(path, "name is required"))?,
        &format!("{path}.name"),
    )?;
    Ok(())
}

fn authority(v: &Value) -> Check {
    let path = "statement.authority";
    agent_or_group(v, path)?;
    let o = object(v, path)?;
    if o.get("objectType").is_some_and(|t| t == "Group") {
        // An OAuth authority: an anonymous group of exactly two agents.
        let members = o.get("member").and_then(Value::as_array);
        if ifis(o, path)? != 0 || members.is_none_or(|m| m.len() != 2) {
            return Err(bad(path, "a Group authority has exactly two members"));
        }
    }
    Ok(())
}
