//! Reader for talk lists pasted from a meetup page or a chat into a text file:
//!
//! ```text
//! SRE Meetup Tokyo #42 セッション一覧     ← heading: the event when no known series is named
//!
//! 1. SLOはじめの一歩                      ← numbered or bulleted item: a talk title
//!    登壇者: 松本 亮 (株式会社サンプル)   ← label lines (登壇者 / 概要 / 時間 / 会場 / 資料 …)
//!    概要: SLOを導入した話。
//!    時間: 19:10〜19:30
//! ```
//!
//! and "heading + paragraph" Markdown (`## title` followed by its paragraphs, labels allowed).
//! Label lines are metadata; the 概要 label and the lines after it are the abstract.

use super::events;
use super::log::{FileTalks, SkipReason, Skipped};
use super::model::{Section, SectionKind, Source, Talk};
use super::normalize::split_urls;
use super::proposals::{parse_start, split_speakers};
use super::recap::non_talk_heading;
use super::warning::PastedEventFrom;

/// What a label line fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Speakers,
    Abstract,
    Time,
    Room,
    Links,
    Categories,
}

const LABELS: [(&str, Label); 24] = [
    ("登壇者", Label::Speakers),
    ("発表者", Label::Speakers),
    ("講演者", Label::Speakers),
    ("スピーカー", Label::Speakers),
    ("speaker", Label::Speakers),
    ("speakers", Label::Speakers),
    ("概要", Label::Abstract),
    ("内容", Label::Abstract),
    ("説明", Label::Abstract),
    ("abstract", Label::Abstract),
    ("時間", Label::Time),
    ("日時", Label::Time),
    ("開始", Label::Time),
    ("time", Label::Time),
    ("会場", Label::Room),
    ("ルーム", Label::Room),
    ("部屋", Label::Room),
    ("トラック", Label::Room),
    ("room", Label::Room),
    ("資料", Label::Links),
    ("スライド", Label::Links),
    ("slides", Label::Links),
    ("カテゴリ", Label::Categories),
    ("タグ", Label::Categories),
];

/// Item markers: "1." "1)" "１．" "(1)" or a bullet, then the rest of the line.
pub(crate) fn item(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let t = line.trim_start();
    for b in ["- ", "* ", "・", "• ", "●", "■ "] {
        if let Some(rest) = t.strip_prefix(b) {
            return Some((indent, rest.trim())).filter(|(_, r)| !r.is_empty());
        }
    }
    let t2 = t.trim_start_matches(['(', '\u{FF08}']);
    let digits = t2
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || ('０'..='９').contains(c))
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let rest = &t2[digits..];
    let rest = rest.strip_prefix(['.', ')', '．', '）', '、'])?;
    Some((indent, rest.trim())).filter(|(_, r)| !r.is_empty())
}

/// "登壇者: 松本 亮" / "- 概要：…" → (label, value).
fn label(line: &str) -> Option<(Label, &str)> {
    let t = line.trim_start();
    let t = ["- ", "* ", "・", "• "]
        .iter()
        .find_map(|b| t.strip_prefix(b))
        .unwrap_or(t)
        .trim_start();
    let (name, value) = t.split_once([':', '：'])?;
    let n = name.trim().to_lowercase();
    LABELS
        .iter()
        .find(|(l, _)| n == *l)
        .map(|(_, k)| (*k, value.trim()))
}

/// A Markdown heading `## title` (levels 2 to 4): (level, title).
fn md_heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_end();
    let level = t.chars().take_while(|c| *c == '#').count();
    let rest = t[level..].strip_prefix(' ')?.trim();
    ((2..=4).contains(&level) && !rest.is_empty()).then_some((level, rest))
}

/// Which of the two shapes, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Top-level items at this indentation.
    List(usize),
    /// Markdown headings of this level.
    Headings(usize),
    /// A timetable or a title list (timetable.rs), from this line.
    Timetable(super::timetable::Kind, usize),
}

fn shape(lines: &[&str]) -> Option<Shape> {
    // Items directly followed (within three lines) by a label line.
    let mut labelled: Vec<usize> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some((indent, _)) = item(l)
            && label(l).is_none()
            && lines[i + 1..]
                .iter()
                .take(3)
                .take_while(|x| item(x).is_none_or(|_| label(x).is_some()))
                .any(|x| label(x).is_some())
        {
            labelled.push(indent);
        }
    }
    if labelled.len() >= 2 {
        return labelled.iter().min().copied().map(Shape::List);
    }
    let table = super::timetable::detect(lines);
    if let Some((kind, from)) = table
        && kind != super::timetable::Kind::Titles
    {
        return Some(Shape::Timetable(kind, from));
    }
    // Markdown: at least two headings of one level, each followed by a paragraph.
    let mut by_level = [0usize; 5];
    for (i, l) in lines.iter().enumerate() {
        if let Some((level, _)) = md_heading(l)
            && lines[i + 1..]
                .iter()
                .map(|x| x.trim())
                .find(|x| !x.is_empty())
                .is_some_and(|x| !x.starts_with('#') && item(x).is_none_or(|_| label(x).is_some()))
        {
            by_level[level] += 1;
        }
    }
    // A post whose headings lead bullet lists is a recap, not this shape.
    let items = lines
        .iter()
        .filter(|l| item(l).is_some() && label(l).is_none())
        .count();
    (2..=4)
        .find(|&lv| by_level[lv] >= 2 && items < by_level[lv])
        .map(Shape::Headings)
        .or(table.map(|(kind, from)| Shape::Timetable(kind, from)))
}

/// Does this text look like a pasted talk list? (used by auto-detection, before recap)
pub fn looks_like(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    shape(&lines).is_some()
}

/// A date anywhere in a line: "2030/04/01", "2030-04-01", "2030年4月1日".
pub(crate) fn date_in(line: &str) -> Option<String> {
    let n = line.replace(['年', '月'], "/").replace('日', " ");
    n.split(|c: char| !(c.is_ascii_digit() || c == '/' || c == '-'))
        .find_map(|w| parse_start(w).map(|(d, _)| d))
}

/// "19:10〜19:30" / "19:10" → "19:10".
pub(crate) fn time_in(v: &str) -> Option<String> {
    let t = v.trim();
    let (h, rest) = t.split_once(':').or_else(|| t.split_once('：'))?;
    let h: u32 = h.trim().rsplit(' ').next()?.parse().ok()?;
    let m: u32 = rest.get(..2)?.parse().ok()?;
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// Trailing list-page words of an event heading: "SRE Meetup #42 セッション一覧" → "SRE Meetup #42".
fn event_from_heading(line: &str) -> Option<String> {
    let mut t = line.trim().trim_start_matches('#').trim().to_string();
    for suffix in [
        "セッション一覧",
        "トーク一覧",
        "登壇一覧",
        "発表一覧",
        "タイムテーブル",
        "の登壇者",
        "sessions",
        "talks",
        "timetable",
    ] {
        if let Some(s) = t.strip_suffix(suffix) {
            t = s
                .trim_end_matches([' ', ':', '：', '-', '|'])
                .trim()
                .to_string();
        }
    }
    Some(t).filter(|t| !t.is_empty() && t.chars().count() <= 80)
}

struct Draft {
    talk: Talk,
    text: Vec<String>,
    lines: [usize; 2],
    time: Option<String>,
    /// A date on the talk's own time line (else the list's date).
    day: Option<String>,
}

fn finish(d: Draft, file: &str, date: Option<&str>, out: &mut FileTalks) {
    let mut t = d.talk;
    let date = d.day.as_deref().or(date);
    t.start = match (date, d.time) {
        (Some(day), Some(h)) => Some(format!("{day} {h}")),
        (None, Some(h)) => Some(h),
        (Some(day), None) => Some(day.to_string()),
        (None, None) => None,
    };
    let text = d.text.join("\n").trim().to_string();
    if !text.is_empty() {
        t.sections.push(Section {
            kind: SectionKind::Abstract,
            source: Source {
                file: file.to_string(),
                lines: d.lines,
            },
            text,
        });
    }
    out.talks.push((t, d.lines[0]));
}

/// Read a pasted list. `stem` names the event when neither a known series nor the list's
/// heading does.
pub fn read(text: &str, file: &str, stem: &str) -> FileTalks {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = FileTalks::default();
    let Some(shape) = shape(&lines) else {
        return out;
    };
    let is_talk = |l: &str| -> Option<String> {
        match shape {
            Shape::List(indent) => item(l)
                .filter(|(i, _)| *i == indent && label(l).is_none())
                .map(|(_, t)| t.to_string()),
            Shape::Headings(level) => md_heading(l)
                .filter(|(lv, _)| *lv == level)
                .map(|(_, t)| t.to_string()),
            Shape::Timetable(..) => None,
        }
    };
    let first = match shape {
        Shape::Timetable(_, from) => from,
        _ => lines
            .iter()
            .position(|l| is_talk(l).is_some())
            .unwrap_or(lines.len()),
    };
    let intro: Vec<&str> = lines[..first].to_vec();
    if let Some((a, l)) = intro.iter().enumerate().find(|(_, l)| !l.trim().is_empty()) {
        let b = intro
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .unwrap_or(a);
        out.skipped
            .push(Skipped::new([a + 1, b + 1], l, SkipReason::BeforeFirstTalk));
    }
    let date = intro.iter().find_map(|l| date_in(l));
    // Event: a known series + year near the top, else the list's heading, else the stem.
    let (event, from) = match events::detect_recap_event(text) {
        Some((e, line)) => (e, PastedEventFrom::Line(line)),
        None => match intro
            .iter()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| event_from_heading(l))
        {
            Some(e) => (e, PastedEventFrom::Heading),
            None => (stem.to_string(), PastedEventFrom::FileName),
        },
    };
    out.notes.push(super::warning::Note::PastedEvent {
        file: file.to_string(),
        event: event.clone(),
        from,
    });
    if let Shape::Timetable(kind, from) = shape {
        let r = super::timetable::read(kind, &lines, from, file);
        for (mut t, line) in r.talks {
            t.event = event.clone();
            // A time of day is dated by the list's date, when it has one.
            if let (Some(day), Some(h)) = (&date, &t.start)
                && h.len() == 5
            {
                t.start = Some(format!("{day} {h}"));
            }
            out.talks.push((t, line));
        }
        out.skipped.extend(r.skipped);
        return out;
    }
    let mut cur: Option<Draft> = None;
    let mut in_abstract = true;
    for (i, raw) in lines.iter().enumerate().skip(first) {
        if let Some(title) = is_talk(raw) {
            if let Some(d) = cur.take() {
                finish(d, file, date.as_deref(), &mut out);
            }
            if let Some(h) = non_talk_heading(&title) {
                out.skipped
                    .push(Skipped::new([i + 1, i + 1], raw, SkipReason::NotATalk(h)));
                in_abstract = false;
                continue;
            }
            let mut t = Talk::new(title);
            t.event = event.clone();
            cur = Some(Draft {
                talk: t,
                text: vec![],
                lines: [i + 1, i + 1],
                time: None,
                day: None,
            });
            in_abstract = matches!(shape, Shape::Headings(_));
            continue;
        }
        let Some(d) = cur.as_mut() else {
            if !raw.trim().is_empty() {
                out.skipped.push(Skipped::new(
                    [i + 1, i + 1],
                    raw,
                    SkipReason::OutsideSection,
                ));
            }
            continue;
        };
        if raw.trim().is_empty() {
            if !d.text.is_empty() && in_abstract {
                d.text.push(String::new());
            }
            continue;
        }
        d.lines[1] = i + 1;
        if let Some((l, v)) = label(raw) {
            in_abstract = false;
            match l {
                Label::Speakers => {
                    for s in split_speakers(v) {
                        let (who, company) = match s.split_once(['(', '（']) {
                            Some((w, c)) => (
                                w.trim().to_string(),
                                Some(c.trim_end_matches([')', '）']).trim().to_string()),
                            ),
                            None => (s.clone(), None),
                        };
                        if !who.is_empty() {
                            d.talk.speakers.push(who);
                        }
                        if let Some(c) = company.filter(|c| !c.is_empty()) {
                            d.talk.affiliations.push(c);
                        }
                    }
                }
                Label::Abstract => {
                    in_abstract = true;
                    let (rest, urls) = split_urls(v);
                    d.talk.links.extend(urls);
                    if !rest.is_empty() {
                        d.text.push(v.to_string());
                    }
                }
                Label::Time => {
                    d.time = time_in(v);
                    d.day = date_in(v);
                }
                Label::Room => d.talk.room = Some(v.to_string()).filter(|v| !v.is_empty()),
                Label::Links => {
                    let (_, urls) = split_urls(v);
                    d.talk.links.extend(urls);
                }
                Label::Categories => d.talk.categories.extend(
                    v.split([',', '、', ';', '/'])
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(String::from),
                ),
            }
            continue;
        }
        let (rest, urls) = split_urls(raw.trim());
        d.talk.links.extend(urls);
        if rest.is_empty() {
            continue;
        }
        if in_abstract {
            d.text.push(raw.trim().to_string());
        } else {
            out.skipped.push(Skipped::new(
                [i + 1, i + 1],
                raw,
                SkipReason::OutsideSection,
            ));
        }
    }
    if let Some(d) = cur.take() {
        finish(d, file, date.as_deref(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_labels_and_times() {
        assert_eq!(item("1. タイトル"), Some((0, "タイトル")));
        assert_eq!(item("  ２．題"), Some((2, "題")));
        assert_eq!(item("- x"), Some((0, "x")));
        assert_eq!(item("2025年"), None);
        assert_eq!(label("登壇者: 松本 亮"), Some((Label::Speakers, "松本 亮")));
        assert_eq!(
            label("  - 概要：SLOの話"),
            Some((Label::Abstract, "SLOの話"))
        );
        assert_eq!(label("ふつうの文: です"), None);
        assert_eq!(time_in("19:10〜19:30").as_deref(), Some("19:10"));
        assert_eq!(
            date_in("2030年4月1日(火) 19:00〜").as_deref(),
            Some("2030-04-01")
        );
        assert_eq!(
            event_from_heading("SRE Meetup Tokyo #42 セッション一覧").as_deref(),
            Some("SRE Meetup Tokyo #42")
        );
    }
}
