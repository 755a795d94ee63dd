//! Reader for Sessionize's "All" JSON export (API/Embed → JSON → All Data:
//! `https://sessionize.com/api/v2/<id>/view/All`): `{"sessions": [...], "speakers": [...],
//! "categories": [...], "rooms": [...]}`.
//!
//! A session's `speakers` are speaker ids (→ `fullName`), `categoryItems` are category item
//! ids (→ their `name`), `roomId` is a room id (→ its `name`), `startsAt` is local time.
//! Service sessions (`isServiceSession`: lunch, breaks, registration) are not talks. The
//! export names no event: `--event`, corpus.toml, else the file stem.

use crate::error::Text;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::cfp;
use super::fortee::iso_start;
use super::log::{FileTalks, SkipReason, Skipped};
use super::model::Talk;

/// An object with a `sessions` array and at least one of `speakers`, `rooms`, `categories`
/// arrays, the first session having `title` and one of Sessionize's session keys.
pub fn looks_like(v: &Value) -> bool {
    let Some(o) = v.as_object() else {
        return false;
    };
    let Some(Value::Array(sessions)) = o.get("sessions") else {
        return false;
    };
    let lists = ["speakers", "rooms", "categories"]
        .iter()
        .filter(|k| o.get(**k).is_some_and(Value::is_array))
        .count();
    lists >= 1
        && sessions.iter().find_map(Value::as_object).is_none_or(|s| {
            s.contains_key("title")
                && ["startsAt", "roomId", "isServiceSession", "categoryItems"]
                    .iter()
                    .any(|k| s.contains_key(*k))
        })
}

fn key(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn name(o: &Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|f| {
        o.get(*f)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    })
}

/// 1-based line of each session object (`"sessions": [ {…}, … ]`), in order.
fn session_lines(text: &str) -> Vec<[usize; 2]> {
    let Some(at) = text.find("\"sessions\"") else {
        return vec![];
    };
    let Some(open) = text[at..].find('[') else {
        return vec![];
    };
    super::structured::object_spans(text, at + open, |open| open == ['['])
}

pub fn read(text: &str, file: &str, stem: &str) -> Result<FileTalks, Text> {
    let text = text.trim_start_matches('\u{feff}');
    let v: Value = serde_json::from_str(text).map_err(|e| super::structured::json_error(&e, 0))?;
    if !looks_like(&v) {
        return Err(tr!(
            "1行目: Sessionize の「All」JSON(speakers、categories、rooms を持つ sessions)のはずです",
            "line 1: expected Sessionize \"All\" JSON (sessions with speakers, categories, rooms)"
        ));
    }
    let list = |k: &str| -> Vec<Map<String, Value>> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_object).cloned().collect())
            .unwrap_or_default()
    };
    let mut speakers: BTreeMap<String, String> = BTreeMap::new();
    for s in list("speakers") {
        let full = name(&s, &["fullName"]).or_else(|| {
            let f = [name(&s, &["firstName"]), name(&s, &["lastName"])]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            Some(f).filter(|f| !f.is_empty())
        });
        if let (Some(id), Some(full)) = (key(s.get("id")), full) {
            speakers.insert(id, full);
        }
    }
    let mut items: BTreeMap<String, String> = BTreeMap::new();
    for c in list("categories") {
        if let Some(Value::Array(its)) = c.get("items") {
            for it in its.iter().filter_map(Value::as_object) {
                if let (Some(id), Some(n)) = (key(it.get("id")), name(it, &["name"])) {
                    items.insert(id, n);
                }
            }
        }
    }
    let mut rooms: BTreeMap<String, String> = BTreeMap::new();
    for r in list("rooms") {
        if let (Some(id), Some(n)) = (key(r.get("id")), name(&r, &["name"])) {
            rooms.insert(id, n);
        }
    }
    let spans = session_lines(text);
    let mut out = FileTalks::default();
    out.notes.push(super::warning::Note::SessionizeNoEvent {
        file: file.to_string(),
        stem: stem.to_string(),
    });
    for (n, s) in v["sessions"].as_array().into_iter().flatten().enumerate() {
        let lines = spans.get(n).copied().unwrap_or([1, 1]);
        let Some(o) = s.as_object() else {
            let (line, n) = (lines[0], n + 1);
            return Err(tr!(
                "{line}行目: {n}件目のセッションがオブジェクトではありません",
                "line {line}: session {n} is not an object"
            ));
        };
        let title = name(o, &["title"]).unwrap_or_default();
        if o.get("isServiceSession") == Some(&Value::Bool(true)) {
            out.skipped.push(Skipped::new(
                lines,
                &format!("{title} (service session)"),
                SkipReason::BreakRow,
            ));
            continue;
        }
        if title.is_empty() {
            let first = name(o, &["description"]).unwrap_or_default();
            out.skipped
                .push(Skipped::new(lines, &first, SkipReason::RowWithoutTitle));
            continue;
        }
        let mut t = Talk::new(title);
        t.event = stem.to_string();
        for id in o
            .get("speakers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            // Ids, or (in the Sessions-only export) {id, name} objects.
            let who = match id {
                Value::Object(so) => name(so, &["name", "fullName"]),
                other => key(Some(other)).and_then(|k| speakers.get(&k).cloned()),
            };
            if let Some(w) = who.filter(|w| !t.speakers.contains(w)) {
                t.speakers.push(w);
            }
        }
        for id in o
            .get("categoryItems")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(c) = key(Some(id)).and_then(|k| items.get(&k).cloned())
                && !t.categories.contains(&c)
            {
                t.categories.push(c);
            }
        }
        t.room = key(o.get("roomId"))
            .and_then(|k| rooms.get(&k).cloned())
            .or_else(|| name(o, &["room"]));
        t.start = o
            .get("startsAt")
            .and_then(Value::as_str)
            .and_then(iso_start);
        if o.get("isPlenumSession") == Some(&Value::Bool(true)) {
            t.session_kind = Some("plenum".into());
        }
        if let Some(u) = name(o, &["recordingUrl"]) {
            t.links.push(u);
        }
        let form = cfp::split(
            o.get("description").and_then(Value::as_str).unwrap_or(""),
            file,
            lines,
        );
        t.links.extend(form.links);
        for c in form.categories {
            if !t.categories.contains(&c) {
                t.categories.push(c);
            }
        }
        t.sections = form.sections;
        out.talks.push((t, lines[0]));
    }
    Ok(out)
}
