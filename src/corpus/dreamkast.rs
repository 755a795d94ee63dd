//! Reader for CloudNative Days talks as the organizer publishes them (the dreamkast
//! platform: `/api/v1/talks?eventAbbr=<abbr>`, or `src/data/talks/<abbr>.json` of the
//! organizer's website repository): a JSON array of talk objects with `conferenceId`,
//! `trackId`, `title`, `abstract`, `speakers[{name}]`, `conferenceDayDate`, `startTime`,
//! `talkCategory`, `documentUrl`, `showOnTimetable`, ….
//!
//! The event of a talk is named from the organizer's events file (`events/<abbr>.json`, an
//! object with `id`, `name`, `abbr`, `conferenceDays`), matched on `conferenceId` = `id` or
//! on the talks file's stem = `abbr`; else from data/cloudnative-days-events.toml; else the
//! file stem. Break rows (abstract `intermission`, `type` Intermission, or not shown on the
//! timetable and without an abstract) are skipped.

use crate::error::Text;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::log::{SkipReason, Skipped};
use super::model::{Section, SectionKind, Source, Talk};
use super::structured::element_spans;

/// Keys only a dreamkast talk has (a talk object is recognised by three of them).
const TALK_KEYS: [&str; 10] = [
    "conferenceId",
    "trackId",
    "talkCategory",
    "conferenceDayDate",
    "conferenceDayId",
    "showOnTimetable",
    "documentUrl",
    "talkDifficulty",
    "talkDuration",
    "presentationMethod",
];

/// Largest events file read when looking for event names (bytes).
const MAX_EVENTS_FILE: u64 = 4 << 20;

/// One event as the organizer's events file (or the bundled table) names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInfo {
    pub id: Option<i64>,
    pub abbr: Option<String>,
    pub name: String,
    /// `conferenceDays`: day id → date (YYYY-MM-DD).
    pub days: BTreeMap<i64, String>,
    /// Where the name came from: an events file (as displayed) or the bundled table.
    pub from: String,
}

/// What a dreamkast talks file yielded.
#[derive(Debug, Default)]
pub struct Dreamkast {
    /// Talks (event set) with the first line of their object.
    pub talks: Vec<(Talk, usize)>,
    pub skipped: Vec<Skipped>,
    /// Break rows skipped (also in `skipped`).
    pub breaks: usize,
    /// Where each event name came from, one line per event.
    pub notes: Vec<super::warning::Note>,
}

fn obj_has_talk_shape(o: &Map<String, Value>) -> bool {
    o.contains_key("title") && TALK_KEYS.iter().filter(|k| o.contains_key(**k)).count() >= 3
}

/// A JSON array whose objects look like dreamkast talks (the first object decides).
pub fn looks_like(v: &Value) -> bool {
    match v {
        Value::Array(a) => a
            .iter()
            .find_map(Value::as_object)
            .is_some_and(obj_has_talk_shape),
        _ => false,
    }
}

fn obj_is_event(o: &Map<String, Value>) -> bool {
    o.get("abbr").is_some_and(Value::is_string)
        && o.get("name").is_some_and(Value::is_string)
        && o.contains_key("id")
        && !o.contains_key("title")
}

/// A dreamkast events file: one event object (`id`, `name`, `abbr`, …) or an array of them.
pub fn looks_like_events(v: &Value) -> bool {
    match v {
        Value::Object(o) => obj_is_event(o),
        Value::Array(a) => {
            !a.is_empty() && a.iter().all(|x| x.as_object().is_some_and(obj_is_event))
        }
        _ => false,
    }
}

fn as_id(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn event_of(o: &Map<String, Value>, from: &str) -> Option<EventInfo> {
    if !obj_is_event(o) {
        return None;
    }
    let name = as_text(o.get("name"))?;
    let mut days = BTreeMap::new();
    if let Some(Value::Array(ds)) = o.get("conferenceDays") {
        for d in ds.iter().filter_map(Value::as_object) {
            if let (Some(id), Some(date)) = (as_id(d.get("id")), as_text(d.get("date"))) {
                days.insert(id, date);
            }
        }
    }
    Some(EventInfo {
        id: as_id(o.get("id")),
        abbr: as_text(o.get("abbr")),
        name,
        days,
        from: from.to_string(),
    })
}

/// The events of an events file's text (empty when it is not one).
pub fn parse_events(text: &str, from: &str) -> Vec<EventInfo> {
    let Ok(v) = serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) else {
        return vec![];
    };
    match &v {
        Value::Object(o) => event_of(o, from).into_iter().collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_object)
            .filter_map(|o| event_of(o, from))
            .collect(),
        _ => vec![],
    }
}

#[derive(Deserialize)]
struct Bundled {
    event: Vec<BundledEvent>,
}

#[derive(Deserialize)]
struct BundledEvent {
    abbr: String,
    #[serde(default)]
    id: Option<i64>,
    name: String,
}

/// The bundled table of CloudNative Days events (data/cloudnative-days-events.toml).
pub fn bundled() -> &'static [EventInfo] {
    static B: OnceLock<Vec<EventInfo>> = OnceLock::new();
    B.get_or_init(|| {
        toml::from_str::<Bundled>(include_str!("../../data/cloudnative-days-events.toml"))
            .expect("data/cloudnative-days-events.toml is valid")
            .event
            .into_iter()
            .map(|e| EventInfo {
                id: e.id,
                abbr: Some(e.abbr),
                name: e.name,
                days: BTreeMap::new(),
                from: "data/cloudnative-days-events.toml".into(),
            })
            .collect()
    })
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Events files near a talks file: `events.json` / `event.json` / `<stem>-event.json`
/// (also `.event.json`, `_event.json`, `…events.json`) beside it, `events/*.json`
/// beside it, and `events/*.json` beside its folder (the organizer's `talks/` + `events/`
/// layout). Unreadable or oversized files are passed over: event names are a nicety, never
/// a reason to fail.
pub fn events_near(talks_file: &Path) -> Vec<EventInfo> {
    let dir = talks_file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stem = talks_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut candidates: Vec<PathBuf> = vec![dir.join("events.json"), dir.join("event.json")];
    for sep in [".", "-", "_"] {
        candidates.push(dir.join(format!("{stem}{sep}event.json")));
        candidates.push(dir.join(format!("{stem}{sep}events.json")));
    }
    let mut folders = vec![dir.join("events")];
    if let Some(up) = dir.parent() {
        folders.push(if up.as_os_str().is_empty() {
            PathBuf::from("events")
        } else {
            up.join("events")
        });
    }
    for f in folders {
        let Ok(rd) = std::fs::read_dir(&f) else {
            continue;
        };
        let mut v: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            })
            .collect();
        v.sort();
        candidates.extend(v);
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    if let Ok(own) = talks_file.canonicalize() {
        seen.insert(own);
    }
    for p in candidates {
        let Ok(canon) = p.canonicalize() else {
            continue;
        };
        if !seen.insert(canon) {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&p) else {
            continue;
        };
        if !meta.is_file() || meta.len() > MAX_EVENTS_FILE {
            continue;
        }
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        out.extend(parse_events(&text, &display(&p)));
    }
    out
}

/// "2000-01-01T16:25:00.000+09:00" or "16:25" → "16:25".
fn time_of_day(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t.split_once('T').map_or(t, |(_, t)| t);
    let t = t.split_once(' ').map_or(t, |(_, t)| t);
    let mut parts = t.split(':');
    let h: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next()?.get(..2)?.parse().ok()?;
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// "2021-09-03" (or "2021-09-03T…") → "2021-09-03".
fn date_of(s: &str) -> Option<String> {
    let d = s.trim().get(..10)?;
    let b = d.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    ok.then(|| d.to_string())
}

/// Why a row is a break in the timetable rather than a talk, if it is one.
fn break_row(o: &Map<String, Value>) -> Option<&'static str> {
    let abs = o
        .get("abstract")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim();
    if abs.eq_ignore_ascii_case("intermission") {
        return Some("abstract: intermission");
    }
    if o.get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("intermission"))
    {
        return Some("type: Intermission");
    }
    if o.get("showOnTimetable") == Some(&Value::Bool(false)) && abs.is_empty() {
        return Some("showOnTimetable: false, no abstract");
    }
    None
}

/// The event a talk belongs to: by `conferenceId`, else the file stem as `abbr`, among the
/// events files' events, then the bundled table.
fn find_event<'a>(
    conference: Option<i64>,
    stem: &str,
    near: &'a [EventInfo],
) -> Option<&'a EventInfo> {
    let by_id = |es: &'a [EventInfo]| conference.and_then(|c| es.iter().find(|e| e.id == Some(c)));
    let by_abbr = |es: &'a [EventInfo]| {
        es.iter().find(|e| {
            e.abbr
                .as_deref()
                .is_some_and(|a| a.eq_ignore_ascii_case(stem))
        })
    };
    by_id(near)
        .or_else(|| by_abbr(near))
        .or_else(|| by_id(bundled()))
        .or_else(|| by_abbr(bundled()))
}

/// Read a dreamkast talks file. `stem` is the file name without extension (the event's
/// `abbr` in the organizer's layout); `near` are the events found next to it.
pub fn read(text: &str, file: &str, stem: &str, near: &[EventInfo]) -> Result<Dreamkast, Text> {
    let text = text.trim_start_matches('\u{feff}');
    let v: Value = serde_json::from_str(text).map_err(|e| super::structured::json_error(&e, 0))?;
    let Value::Array(items) = v else {
        return Err(tr!(
            "1行目: dreamkast の発表の配列のはずです",
            "line 1: expected an array of dreamkast talks"
        ));
    };
    let spans = element_spans(text);
    let mut out = Dreamkast::default();
    // Track letters per conference: the dreamkast timetable names tracks A, B, C… in id order.
    let mut tracks: BTreeMap<Option<i64>, BTreeSet<i64>> = BTreeMap::new();
    for o in items.iter().filter_map(Value::as_object) {
        if let Some(t) = as_id(o.get("trackId")) {
            tracks
                .entry(as_id(o.get("conferenceId")))
                .or_default()
                .insert(t);
        }
    }
    let mut noted: BTreeSet<Option<i64>> = BTreeSet::new();
    for (n, item) in items.iter().enumerate() {
        let lines = spans.get(n).copied().unwrap_or([1, 1]);
        let Some(o) = item.as_object() else {
            let (line, n) = (lines[0], n + 1);
            return Err(tr!(
                "{line}行目: {n}件目の発表がオブジェクトではありません",
                "line {line}: talk {n} is not an object"
            ));
        };
        let title = as_text(o.get("title")).unwrap_or_default();
        if let Some(why) = break_row(o) {
            out.breaks += 1;
            let what = if title.is_empty() {
                why.to_string()
            } else {
                format!("{title} ({why})")
            };
            out.skipped
                .push(Skipped::new(lines, &what, SkipReason::BreakRow));
            continue;
        }
        if title.is_empty() {
            let first = as_text(o.get("abstract")).unwrap_or_default();
            out.skipped
                .push(Skipped::new(lines, &first, SkipReason::RowWithoutTitle));
            continue;
        }
        let conference = as_id(o.get("conferenceId"));
        let event = find_event(conference, stem, near);
        if noted.insert(conference) {
            let id = conference.map_or_else(|| "-".to_string(), |c| c.to_string());
            out.notes.push(match event {
                Some(e) => super::warning::Note::DreamkastConference {
                    file: file.to_string(),
                    id,
                    event: e.name.clone(),
                    from: e.from.clone(),
                },
                None => super::warning::Note::DreamkastNoEvent {
                    file: file.to_string(),
                    id,
                    stem: stem.to_string(),
                },
            });
        }
        let mut t = Talk::new(title);
        t.event = event.map_or_else(|| stem.to_string(), |e| e.name.clone());
        if let Some(Value::Array(sp)) = o.get("speakers") {
            for s in sp {
                let name = match s {
                    Value::Object(so) => as_text(so.get("name")),
                    Value::String(x) => Some(x.trim().to_string()).filter(|x| !x.is_empty()),
                    _ => None,
                };
                if let Some(name) = name.filter(|x| !t.speakers.contains(x)) {
                    t.speakers.push(name);
                }
            }
        }
        if let Some(c) = as_text(o.get("talkCategory")) {
            t.categories.push(c);
        }
        if let Some(tr) = as_id(o.get("trackId")) {
            let pos = tracks
                .get(&conference)
                .and_then(|s| s.iter().position(|x| *x == tr));
            t.room = Some(match pos {
                Some(p) if p < 26 => format!("Track {}", (b'A' + p as u8) as char),
                _ => format!("Track {tr}"),
            });
        }
        let date = o
            .get("conferenceDayDate")
            .and_then(Value::as_str)
            .and_then(date_of)
            .or_else(|| {
                let day = as_id(o.get("conferenceDayId")).or(as_id(o.get("dayId")))?;
                event.and_then(|e| e.days.get(&day).cloned())
            });
        let time = o
            .get("startTime")
            .and_then(Value::as_str)
            .and_then(time_of_day);
        t.start = match (date, time) {
            (Some(d), Some(h)) => Some(format!("{d} {h}")),
            (Some(d), None) => Some(d),
            _ => None,
        };
        t.session_kind = as_text(o.get("type"));
        if let Some(url) = as_text(o.get("documentUrl")) {
            t.links.extend(url.split_whitespace().map(String::from));
        }
        let abs = o
            .get("abstract")
            .and_then(Value::as_str)
            .unwrap_or("")
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let abs = abs.trim();
        if !abs.is_empty() {
            t.sections.push(Section {
                kind: SectionKind::Abstract,
                source: Source {
                    file: file.to_string(),
                    lines,
                },
                text: abs.to_string(),
            });
        }
        out.talks.push((t, lines[0]));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates() {
        assert_eq!(
            time_of_day("2000-01-01T16:25:00.000+09:00").as_deref(),
            Some("16:25")
        );
        assert_eq!(time_of_day("9:05").as_deref(), Some("09:05"));
        assert_eq!(time_of_day("25:00"), None);
        assert_eq!(time_of_day(""), None);
        assert_eq!(date_of("2021-09-03").as_deref(), Some("2021-09-03"));
        assert_eq!(date_of("2021/09/03"), None);
        assert_eq!(date_of("2021-09-0"), None);
    }

    #[test]
    fn bundled_table_names_known_events() {
        assert_eq!(
            find_event(None, "cndt2020", &[]).map(|e| e.name.as_str()),
            Some("CloudNative Days Tokyo 2020")
        );
        assert_eq!(
            find_event(Some(2), "talks", &[]).map(|e| e.name.as_str()),
            Some("CloudNative Days Spring 2021 ONLINE")
        );
        assert!(find_event(None, "unknown2099", &[]).is_none());
    }
}
