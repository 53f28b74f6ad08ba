//! The parts of a statement: verb, activity and its definition, result, context,
//! attachments, extensions and language maps.

use serde_json::{Map, Value};

use super::*;

pub(super) fn verb(v: &Value, path: &str) -> Check {
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

pub(super) const INTERACTIONS: [&str; 10] = [
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

pub(super) fn definition(v: &Value, path: &str) -> Check {
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

pub(super) fn result(v: &Value, path: &str) -> Check {
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

pub(super) fn score(v: &Value, path: &str) -> Check {
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

pub(super) fn context(v: &Value, path: &str, object_kind: ObjectKind) -> Check {
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

pub(super) fn relevant_types(o: &Map<String, Value>, path: &str) -> Check {
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

pub(super) fn attachment(v: &Value, path: &str) -> Check {
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

pub(super) fn extensions(v: &Value, path: &str) -> Check {
    for k in object(v, path)?.keys() {
        iri(k, &format!("{path}[{k}]"))?;
    }
    Ok(())
}

pub(super) fn language_map(v: &Value, path: &str) -> Check {
    for (k, x) in object(v, path)? {
        if !language_tag(k) {
            return Err(bad(path, &format!("{k:?} is not a language tag")));
        }
        string(x, &format!("{path}.{k}"))?;
    }
    Ok(())
}
