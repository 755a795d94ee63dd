//! Reader for fortee (the CfP and timetable service SRE Kaigi and many Japanese
//! conferences use) API JSON:
//!
//! - proposals: `{"proposals": [{uuid, url, title, abstract, accepted, speaker{name, kana},
//!   timetable{track, starts_at, length_min}, tags}]}`
//! - timetable: `{"timetable": [{type: "talk" | "timeslot", uuid, url, title, abstract,
//!   track{name, sort}, starts_at, length_min, speaker}]}`
//!
//! Timeslots (breaks, openings without a proposal) are not talks. Proposals that were not
//! accepted are kept with `accepted: false` (dropped with `--accepted-only`). The CfP form's
//! `■` label lines in an abstract become sections and categories (cfp.rs). The event comes
//! from the fortee URL's event slug (`fortee.jp/sre-kaigi-2025/…` → SRE Kaigi 2025 when the
//! series is known, else the slug), else the file stem.

use crate::error::Text;
use serde_json::{Map, Value};

use super::cfp;
use super::events;
use super::log::{FileTalks, SkipReason, Skipped};
use super::model::Talk;
use super::structured::element_spans;

/// Which fortee export a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Proposals,
    Timetable,
}

fn talk_like(o: &Map<String, Value>) -> bool {
    o.contains_key("title")
        && [
            "uuid",
            "url",
            "abstract",
            "accepted",
            "speaker",
            "starts_at",
            "timetable",
        ]
        .iter()
        .filter(|k| o.contains_key(**k))
        .count()
            >= 2
}

/// `{"proposals": [...]}` or `{"timetable": [...]}` whose first object looks like fortee's.
pub fn detect(v: &Value) -> Option<Export> {
    let o = v.as_object()?;
    for (key, kind) in [
        ("proposals", Export::Proposals),
        ("timetable", Export::Timetable),
    ] {
        if let Some(Value::Array(a)) = o.get(key)
            && (a.is_empty() && o.len() <= 2
                || a.iter()
                    .find_map(Value::as_object)
                    .is_some_and(|x| talk_like(x) || x.contains_key("type")))
        {
            return Some(kind);
        }
    }
    None
}

fn val(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => val(o.get("name")),
        _ => None,
    }
}

/// "2025-01-26T10:40:00+09:00" → "2025-01-26 10:40" (the local time as written).
pub fn iso_start(s: &str) -> Option<String> {
    let s = s.trim();
    let date = s.get(..10)?;
    let b = date.as_bytes();
    if !(b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()))
    {
        return None;
    }
    let rest = s.get(10..)?;
    let time = rest.strip_prefix(['T', ' '])?;
    let hm = time.get(..5)?;
    let (h, m) = hm.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{date} {h:02}:{m:02}"))
}

/// The event named by a fortee URL: "https://fortee.jp/sre-kaigi-2025/proposal/…".
pub fn event_from_url(url: &str) -> Option<String> {
    let rest = url.split("fortee.jp/").nth(1)?;
    let slug = rest.split(['/', '?', '#']).next()?.trim();
    if slug.is_empty() {
        return None;
    }
    // A known series with a year ("sre-kaigi-2025" → SRE Kaigi 2025), else the slug.
    let known = events::mentions(slug)
        .into_iter()
        .find_map(|m| m.event().filter(|_| m.line == 1));
    Some(known.unwrap_or_else(|| slug.to_string()))
}

/// Read fortee proposals or timetable JSON. `stem` names the event when no URL does;
/// `accepted_only` drops proposals that were not accepted.
pub fn read(text: &str, file: &str, stem: &str, accepted_only: bool) -> Result<FileTalks, Text> {
    let text = text.trim_start_matches('\u{feff}');
    let v: Value = serde_json::from_str(text).map_err(|e| super::structured::json_error(&e, 0))?;
    let Some(export) = detect(&v) else {
        return Err(tr!(
            "1行目: fortee の JSON({{\"proposals\": [...]}} か {{\"timetable\": [...]}})のはずです",
            "line 1: expected fortee JSON: {{\"proposals\": [...]}} or {{\"timetable\": [...]}}"
        ));
    };
    let key = match export {
        Export::Proposals => "proposals",
        Export::Timetable => "timetable",
    };
    let items = v[key].as_array().cloned().unwrap_or_default();
    let spans = element_spans(text);
    let mut out = FileTalks::default();
    let mut named: Vec<String> = Vec::new();
    let mut unaccepted = 0usize;
    for (n, item) in items.iter().enumerate() {
        let lines = spans.get(n).copied().unwrap_or([1, 1]);
        let Some(o) = item.as_object() else {
            let (line, n) = (lines[0], n + 1);
            return Err(tr!(
                "{line}行目: {key} の{n}件目がオブジェクトではありません",
                "line {line}: {key} item {n} is not an object"
            ));
        };
        let title = val(o.get("title")).unwrap_or_default();
        let kind = o.get("type").and_then(Value::as_str).unwrap_or("talk");
        if !kind.eq_ignore_ascii_case("talk") && !kind.eq_ignore_ascii_case("proposal") {
            out.skipped.push(Skipped::new(
                lines,
                &format!("{title} ({kind})"),
                SkipReason::BreakRow,
            ));
            continue;
        }
        if title.is_empty() {
            let first = val(o.get("abstract")).unwrap_or_default();
            out.skipped
                .push(Skipped::new(lines, &first, SkipReason::RowWithoutTitle));
            continue;
        }
        let accepted = o.get("accepted").and_then(Value::as_bool);
        if accepted == Some(false) {
            if accepted_only {
                out.skipped
                    .push(Skipped::new(lines, &title, SkipReason::NotAccepted));
                continue;
            }
            unaccepted += 1;
        }
        let mut t = Talk::new(title);
        t.accepted = accepted;
        let url = val(o.get("url"));
        let event = url
            .as_deref()
            .and_then(event_from_url)
            .unwrap_or_else(|| stem.to_string());
        if !named.contains(&event) {
            out.notes.push(match &url {
                Some(u) if event_from_url(u).is_some() => {
                    super::warning::Note::ForteeEventFromUrl {
                        file: file.to_string(),
                        event: event.clone(),
                        url: u.clone(),
                    }
                }
                _ => super::warning::Note::ForteeNoUrl {
                    file: file.to_string(),
                    event: event.clone(),
                },
            });
            named.push(event.clone());
        }
        t.event = event;
        match o.get("speaker") {
            Some(Value::Object(s)) => t.speakers.extend(val(s.get("name"))),
            Some(Value::Array(a)) => t.speakers.extend(a.iter().filter_map(|s| val(Some(s)))),
            _ => {}
        }
        if let Some(Value::Array(a)) = o.get("speakers") {
            for s in a.iter().filter_map(|s| val(Some(s))) {
                if !t.speakers.contains(&s) {
                    t.speakers.push(s);
                }
            }
        }
        // The schedule: top level (timetable) or under "timetable" (proposals).
        let slot = match o.get("timetable") {
            Some(Value::Object(tt)) => tt,
            _ => o,
        };
        t.room = val(slot.get("track"));
        t.start = slot
            .get("starts_at")
            .and_then(Value::as_str)
            .and_then(iso_start);
        t.session_kind = slot
            .get("length_min")
            .and_then(Value::as_u64)
            .map(|m| format!("{m}分"));
        if let Some(Value::Array(tags)) = o.get("tags") {
            t.categories
                .extend(tags.iter().filter_map(|x| val(Some(x))));
        }
        let form = cfp::split(
            o.get("abstract").and_then(Value::as_str).unwrap_or(""),
            file,
            lines,
        );
        for c in form.categories {
            if !t.categories.contains(&c) {
                t.categories.push(c);
            }
        }
        t.links = form.links;
        t.sections = form.sections;
        out.talks.push((t, lines[0]));
    }
    if unaccepted > 0 {
        out.notes.push(super::warning::Note::ForteeNotAccepted {
            file: file.to_string(),
            proposals: unaccepted,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_and_urls() {
        assert_eq!(
            iso_start("2025-01-26T10:40:00+09:00").as_deref(),
            Some("2025-01-26 10:40")
        );
        assert_eq!(iso_start("2025-01-26"), None);
        assert_eq!(iso_start("2025/01/26 10:40"), None);
        assert_eq!(
            event_from_url("https://fortee.jp/sre-kaigi-2025/proposal/0b1c").as_deref(),
            Some("SRE Kaigi 2025")
        );
        assert_eq!(
            event_from_url("https://fortee.jp/phpcon-2030/proposal/x").as_deref(),
            Some("phpcon-2030")
        );
        assert_eq!(event_from_url("https://example.com/x"), None);
    }
}
