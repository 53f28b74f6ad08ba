//! Statement validation as xAPI 2.0 (IEEE 9274.1.1) requires of a Learning Record Store:
//! every property checked for its type and form, unknown properties and `null`s refused,
//! exactly one identifier per agent, the SubStatement and context restrictions. A statement
//! that fails any rule is refused whole (400) and nothing of it is stored.
//! docs/interfaces.md#xapi lists what is checked; the ADL conformance suite is the proof.

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
enum ObjectKind {
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

fn verb(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(o, path, &["id", "display"])?;
    let id = o.get("id").ok_or_else(|| bad(path, "id is required"))?;
    iri(string(id, &format!("{path}.id"))?, &format!("{path}.id"))?;
    if let Some(d) = o.get("display") {
        language_map(d, &format!("{path}.display"))?;
    }
    Ok(())
}

/// An Activity (object or context activity).
pub fn activity(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(o, path, &["objectType", "id", "definition"])?;
    if let Some(t) = o.get("objectType")
        && t != "Activity"
    {
        return Err(bad(path, "objectType must be Activity"));
    }
    let id = o.get("id").ok_or_else(|| bad(path, "id is required"))?;
    iri(string(id, &format!("{path}.id"))?, &format!("{path}.id"))?;
    if let Some(d) = o.get("definition") {
        definition(d, &format!("{path}.definition"))?;
    }
    Ok(())
}

const INTERACTIONS: [&str; 10] = [
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
];

fn definition(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(
        o,
        path,
        &[
            "name",
            "description",
            "type",
            "moreInfo",
            "extensions",
            "interactionType",
            "correctResponsesPattern",
            "choices",
            "scale",
            "source",
            "target",
            "steps",
        ],
    )?;
    for k in ["name", "description"] {
        if let Some(m) = o.get(k) {
            language_map(m, &format!("{path}.{k}"))?;
        }
    }
    for k in ["type", "moreInfo"] {
        if let Some(s) = o.get(k) {
            let p = format!("{path}.{k}");
            iri(string(s, &p)?, &p)?;
        }
    }
    if let Some(e) = o.get("extensions") {
        extensions(e, &format!("{path}.extensions"))?;
    }
    let interaction = match o.get("interactionType") {
        Some(t) => {
            let t = string(t, &format!("{path}.interactionType"))?;
            if !INTERACTIONS.contains(&t) {
                return Err(bad(path, "unknown interactionType"));
            }
            Some(t)
        }
        None => None,
    };
    if let Some(c) = o.get("correctResponsesPattern") {
        let p = format!("{path}.correctResponsesPattern");
        if interaction.is_none() {
            return Err(bad(&p, "needs an interactionType"));
        }
        for x in array(c, &p)? {
            string(x, &p)?;
        }
    }
    let allowed: &[&str] = match interaction {
        Some("choice" | "sequencing") => &["choices"],
        Some("likert") => &["scale"],
        Some("matching") => &["source", "target"],
        Some("performance") => &["steps"],
        _ => &[],
    };
    for k in ["choices", "scale", "source", "target", "steps"] {
        let Some(list) = o.get(k) else { continue };
        let p = format!("{path}.{k}");
        if !allowed.contains(&k) {
            return Err(bad(&p, "not allowed for this interactionType"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, c) in array(list, &p)?.iter().enumerate() {
            let cp = format!("{p}[{i}]");
            let co = object(c, &cp)?;
            only(co, &cp, &["id", "description"])?;
            let id = string(co.get("id").ok_or_else(|| bad(&cp, "id is required"))?, &cp)?;
            if !seen.insert(id) {
                return Err(bad(&cp, "ids must be distinct"));
            }
            if let Some(d) = co.get("description") {
                language_map(d, &format!("{cp}.description"))?;
            }
        }
    }
    Ok(())
}

fn result(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(
        o,
        path,
        &[
            "score",
            "success",
            "completion",
            "response",
            "duration",
            "extensions",
        ],
    )?;
    if let Some(s) = o.get("score") {
        score(s, &format!("{path}.score"))?;
    }
    for k in ["success", "completion"] {
        if let Some(b) = o.get(k)
            && !b.is_boolean()
        {
            return Err(bad(&format!("{path}.{k}"), "must be true or false"));
        }
    }
    if let Some(r) = o.get("response") {
        string(r, &format!("{path}.response"))?;
    }
    if let Some(d) = o.get("duration") {
        let p = format!("{path}.duration");
        if !duration(string(d, &p)?) {
            return Err(bad(&p, "not an ISO 8601 duration"));
        }
    }
    if let Some(e) = o.get("extensions") {
        extensions(e, &format!("{path}.extensions"))?;
    }
    Ok(())
}

fn score(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(o, path, &["scaled", "raw", "min", "max"])?;
    let num = |k: &str| -> Result<Option<f64>, Invalid> {
        match o.get(k) {
            None => Ok(None),
            Some(n) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| bad(&format!("{path}.{k}"), "must be a number")),
        }
    };
    let (scaled, raw, min, max) = (num("scaled")?, num("raw")?, num("min")?, num("max")?);
    if scaled.is_some_and(|s| !(-1.0..=1.0).contains(&s)) {
        return Err(bad(path, "scaled must be between -1 and 1"));
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo >= hi
    {
        return Err(bad(path, "min must be below max"));
    }
    if let Some(r) = raw
        && (min.is_some_and(|lo| r < lo) || max.is_some_and(|hi| r > hi))
    {
        return Err(bad(path, "raw must lie between min and max"));
    }
    Ok(())
}

fn context(v: &Value, path: &str, object_kind: ObjectKind) -> Check {
    let o = object(v, path)?;
    only(
        o,
        path,
        &[
            "registration",
            "instructor",
            "team",
            "contextActivities",
            "contextAgents",
            "contextGroups",
            "revision",
            "platform",
            "language",
            "statement",
            "extensions",
        ],
    )?;
    if let Some(r) = o.get("registration") {
        uuid_value(r, &format!("{path}.registration"))?;
    }
    if let Some(i) = o.get("instructor") {
        agent_or_group(i, &format!("{path}.instructor"))?;
    }
    if let Some(t) = o.get("team") {
        let p = format!("{path}.team");
        if object(t, &p)?
            .get("objectType")
            .is_none_or(|t| t != "Group")
        {
            return Err(bad(&p, "must be a Group"));
        }
        group(t, &p)?;
    }
    if let Some(ca) = o.get("contextActivities") {
        let p = format!("{path}.contextActivities");
        let m = object(ca, &p)?;
        only(m, &p, &["parent", "grouping", "category", "other"])?;
        for (k, x) in m {
            let kp = format!("{p}.{k}");
            match x {
                Value::Array(list) => {
                    for (i, a) in list.iter().enumerate() {
                        activity(a, &format!("{kp}[{i}]"))?;
                    }
                }
                _ => activity(x, &kp)?,
            }
        }
    }
    if let Some(list) = o.get("contextAgents") {
        let p = format!("{path}.contextAgents");
        for (i, x) in array(list, &p)?.iter().enumerate() {
            let xp = format!("{p}[{i}]");
            let xo = object(x, &xp)?;
            only(xo, &xp, &["objectType", "agent", "relevantTypes"])?;
            if xo.get("objectType").is_none_or(|t| t != "contextAgent") {
                return Err(bad(&xp, "objectType must be contextAgent"));
            }
            let a = xo
                .get("agent")
                .ok_or_else(|| bad(&xp, "agent is required"))?;
            agent(a, &format!("{xp}.agent"))?;
            relevant_types(xo, &xp)?;
        }
    }
    if let Some(list) = o.get("contextGroups") {
        let p = format!("{path}.contextGroups");
        for (i, x) in array(list, &p)?.iter().enumerate() {
            let xp = format!("{p}[{i}]");
            let xo = object(x, &xp)?;
            only(xo, &xp, &["objectType", "group", "relevantTypes"])?;
            if xo.get("objectType").is_none_or(|t| t != "contextGroup") {
                return Err(bad(&xp, "objectType must be contextGroup"));
            }
            let g = xo
                .get("group")
                .ok_or_else(|| bad(&xp, "group is required"))?;
            let gp = format!("{xp}.group");
            if object(g, &gp)?
                .get("objectType")
                .is_none_or(|t| t != "Group")
            {
                return Err(bad(&gp, "must be a Group"));
            }
            group(g, &gp)?;
            relevant_types(xo, &xp)?;
        }
    }
    for k in ["revision", "platform"] {
        if let Some(s) = o.get(k) {
            let p = format!("{path}.{k}");
            string(s, &p)?;
            if object_kind != ObjectKind::Activity {
                return Err(bad(&p, "only when the object is an Activity"));
            }
        }
    }
    if let Some(l) = o.get("language") {
        let p = format!("{path}.language");
        if !language_tag(string(l, &p)?) {
            return Err(bad(&p, "not a language tag"));
        }
    }
    if let Some(s) = o.get("statement") {
        statement_ref(s, &format!("{path}.statement"))?;
    }
    if let Some(e) = o.get("extensions") {
        extensions(e, &format!("{path}.extensions"))?;
    }
    Ok(())
}

fn relevant_types(o: &Map<String, Value>, path: &str) -> Check {
    let Some(list) = o.get("relevantTypes") else {
        return Ok(());
    };
    let p = format!("{path}.relevantTypes");
    let list = array(list, &p)?;
    if list.is_empty() {
        return Err(bad(&p, "must not be empty"));
    }
    for t in list {
        iri(string(t, &p)?, &p)?;
    }
    Ok(())
}

fn attachment(v: &Value, path: &str) -> Check {
    let o = object(v, path)?;
    only(
        o,
        path,
        &[
            "usageType",
            "display",
            "description",
            "contentType",
            "length",
            "sha2",
            "fileUrl",
        ],
    )?;
    let need = |k: &str| {
        o.get(k)
            .ok_or_else(|| bad(path, &format!("{k} is required")))
    };
    let p = format!("{path}.usageType");
    iri(string(need("usageType")?, &p)?, &p)?;
    language_map(need("display")?, &format!("{path}.display"))?;
    if let Some(d) = o.get("description") {
        language_map(d, &format!("{path}.description"))?;
    }
    let ct = string(need("contentType")?, &format!("{path}.contentType"))?;
    if !ct.contains('/') {
        return Err(bad(path, "contentType must be a media type"));
    }
    if need("length")?.as_u64().is_none() {
        return Err(bad(path, "length must be a whole number"));
    }
    string(need("sha2")?, &format!("{path}.sha2"))?;
    if let Some(u) = o.get("fileUrl") {
        let p = format!("{path}.fileUrl");
        iri(string(u, &p)?, &p)?;
    }
    Ok(())
}

fn extensions(v: &Value, path: &str) -> Check {
    for k in object(v, path)?.keys() {
        iri(k, &format!("{path}[{k}]"))?;
    }
    Ok(())
}

fn language_map(v: &Value, path: &str) -> Check {
    for (k, x) in object(v, path)? {
        if !language_tag(k) {
            return Err(bad(path, &format!("{k:?} is not a language tag")));
        }
        string(x, &format!("{path}.{k}"))?;
    }
    Ok(())
}

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

fn uuid_value(v: &Value, path: &str) -> Check {
    if is_uuid(string(v, path)?) {
        Ok(())
    } else {
        Err(bad(path, "not a UUID"))
    }
}

fn timestamp_value(v: &Value, path: &str) -> Check {
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
fn duration_to_hundredths(d: &str) -> String {
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

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, Invalid> {
    v.as_object().ok_or_else(|| bad(path, "must be an object"))
}

fn array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>, Invalid> {
    v.as_array().ok_or_else(|| bad(path, "must be an array"))
}

fn string<'a>(v: &'a Value, path: &str) -> Result<&'a str, Invalid> {
    v.as_str().ok_or_else(|| bad(path, "must be a string"))
}

/// Refuses properties not in `allowed` (and `null` values, which no property may take).
fn only(o: &Map<String, Value>, path: &str, allowed: &[&str]) -> Check {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ok() -> Value {
        json!({
            "actor": {"mbox": "mailto:asn@example.go.id", "name": "ASN"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
            "object": {"id": "https://lms.example.go.id/course/7"}
        })
    }

    fn with(path: &[&str], v: Value) -> Value {
        let mut s = ok();
        let mut at = &mut s;
        for p in &path[..path.len() - 1] {
            at = at
                .as_object_mut()
                .and_then(|o| o.get_mut(*p))
                .expect("path");
        }
        at.as_object_mut()
            .expect("object")
            .insert(path[path.len() - 1].to_string(), v);
        s
    }

    #[test]
    fn statements_accepted_and_refused() {
        assert_eq!(statement(&ok()), Ok(()));
        let cases: &[(&[&str], Value, bool)] = &[
            (&["id"], json!("5b2c6c84-0b0b-4bb0-a46c-2a4f6c1f0e00"), true),
            (&["id"], json!("not-a-uuid"), false),
            (&["actor", "mbox"], json!("asn@example.go.id"), false),
            (
                &["actor", "openid"],
                json!("http://openid.example.org/x"),
                false,
            ),
            (&["actor", "objectType"], json!("Person"), false),
            (&["actor", "objectType"], json!("Group"), true),
            (&["verb", "id"], json!("completed"), false),
            (&["verb", "display"], json!({"not a tag!": "x"}), false),
            (&["object", "objectType"], json!("StatementRef"), false),
            (&["result"], json!({"score": {"scaled": 1.5}}), false),
            (
                &["result"],
                json!({"score": {"raw": 5, "min": 0, "max": 10}}),
                true,
            ),
            (
                &["result"],
                json!({"score": {"raw": 11, "min": 0, "max": 10}}),
                false,
            ),
            (&["result"], json!({"duration": "PT1H30M"}), true),
            (&["result"], json!({"duration": "1 hour"}), false),
            (&["result"], json!({"success": "yes"}), false),
            (&["timestamp"], json!("2026-12-06T10:00:00+07:00"), true),
            (&["timestamp"], json!("2026-12-06T10:00:00"), false),
            (&["timestamp"], json!("2026-12-06T10:00:00-00:00"), false),
            (&["context"], json!({"registration": "bad"}), false),
            (
                &["context"],
                json!({"team": {"mbox": "mailto:t@example.org"}}),
                false,
            ),
            (
                &["context"],
                json!({"extensions": {"not an iri": 1}}),
                false,
            ),
            (
                &["context"],
                json!({"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:a@b.c"}}]}),
                true,
            ),
            (&["version"], json!("2.0.0"), true),
            (&["version"], json!("3.0.0"), false),
            (&["unknown"], json!(1), false),
            (&["result"], json!(null), false),
        ];
        for (path, v, accepted) in cases {
            let s = with(path, v.clone());
            assert_eq!(statement(&s).is_ok(), *accepted, "{path:?} = {v}");
        }
    }

    #[test]
    fn durations() {
        for (d, ok) in [
            ("PT0S", true),
            ("P1Y2M3DT4H5M6.5S", true),
            ("P3W", true),
            ("P4W1D", false),
            ("P1W2", false),
            ("P", false),
            ("PT", false),
            ("PT1.5M", false),
            ("P1M1Y", false),
            ("PT.5S", false),
        ] {
            assert_eq!(duration(d), ok, "{d}");
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut deep = json!(1);
        for _ in 0..40 {
            deep = json!({"http://x.example/e": deep});
        }
        let s = with(&["result"], json!({"extensions": deep}));
        assert!(statement(&s).is_err());
    }
}
