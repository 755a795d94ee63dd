//! Timetables and title lists pasted from event pages (connpass, Doorkeeper, a conference
//! site), the shapes `pasted` reads besides its labelled lists:
//!
//! ```text
//! 13:00〜13:30                          ← time blocks: a time (range) line,
//! SLOを一から始めた一年                  ←   the title,
//! 山田 太郎（株式会社サンプル）           ←   speakers with affiliation in （）, then text
//!
//! | 時間 | タイトル | 登壇者 |           ← a Markdown table (connpass descriptions), or the
//! |---|---|---|                           same table copied from the page: tab-separated
//! | 19:10〜19:40 | SLO入門 | 山田 花子 |
//!
//! 1. SLOを一から始めた一年              ← titles only: a numbered or bulleted list, or
//! 2. 障害対応の振り返りを続ける工夫       ← short lines, one title each
//! ```
//!
//! Rows of a timetable that are not talks (受付, 休憩, 懇親会 …: data/timetable-breaks.txt)
//! are skipped as break rows.

use std::sync::OnceLock;

use super::log::{SkipReason, Skipped};
use super::model::{Section, SectionKind, Source, Talk};
use super::normalize::{is_url, normalize_title, split_urls};
use super::proposals::split_speakers;

/// Which shape, with the index of its first line (the text before it is the intro).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `13:00〜13:30` / title / speakers blocks (or `13:00〜13:30 title` lines).
    Blocks,
    /// A table: Markdown (`|`) or tab-separated, with a header row.
    Table(char),
    /// Titles only, one per line (numbered, bulleted or plain).
    Titles,
}

fn breaks() -> &'static [String] {
    static L: OnceLock<Vec<String>> = OnceLock::new();
    L.get_or_init(|| {
        include_str!("../../data/timetable-breaks.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(normalize_title)
            .collect()
    })
}

/// Is this timetable row a break (受付, 休憩 …), not a talk?
pub fn is_break(title: &str) -> bool {
    let n = normalize_title(title);
    !n.is_empty()
        && breaks().iter().any(|b| {
            n == *b || (n.starts_with(b.as_str()) && n.chars().count() <= b.chars().count() + 8)
        })
}

/// "Track A", "ルーム1", "Room B", "ホールA": a room line of a timetable.
fn is_room(l: &str) -> bool {
    let lower = l.to_lowercase();
    l.chars().count() <= 24
        && [
            "track",
            "room",
            "hall",
            "ルーム",
            "ホール",
            "トラック",
            "会場",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// A name without its honorific (さん, 氏, 様).
fn bare_name(s: &str) -> &str {
    let s = s.trim();
    ["さん", "氏", "様"]
        .iter()
        .find_map(|h| s.strip_suffix(h))
        .unwrap_or(s)
        .trim()
}

/// "13:00", "9:05" at the start of `s`: (HH:MM, bytes used).
fn clock(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let h_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&h_len) {
        return None;
    }
    let rest = &s[h_len..];
    let sep = [":", "："].iter().find(|p| rest.starts_with(**p))?;
    let m = rest[sep.len()..].get(..2)?;
    if !m.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, mi): (u32, u32) = (s[..h_len].parse().ok()?, m.parse().ok()?);
    (h < 30 && mi < 60).then(|| (format!("{h:02}:{mi:02}"), h_len + sep.len() + 2))
}

/// A time or time range opening a line ("13:00〜13:30", "19:10 - 19:40", "13:00～"): its
/// start and the rest of the line (the title when on the same line).
pub fn time_prefix(line: &str) -> Option<(String, &str)> {
    let t = line.trim();
    let (start, n) = clock(t)?;
    let mut rest = t[n..].trim_start();
    if let Some(r) = rest.strip_prefix(['〜', '~', '～', '-', '–', '—', 'ー', '－']) {
        rest = r.trim_start();
        if let Some((_, m)) = clock(rest) {
            rest = rest[m..].trim_start();
        }
    }
    // A separator between the time and a title on the same line.
    let rest = rest
        .trim_start_matches(['|', '｜', ':', '：', '/', '　'])
        .trim();
    Some((start, rest))
}

/// "山田 太郎（株式会社サンプル）", "山田 太郎 (Example Inc.)、佐藤 花子（B社）", "登壇者: 山田":
/// (speakers, affiliations), when the line reads as speakers.
pub fn speaker_line(line: &str) -> Option<Speakers> {
    let t = line.trim();
    let t = [
        "登壇者",
        "発表者",
        "講演者",
        "スピーカー",
        "Speaker",
        "speaker",
    ]
    .iter()
    .find_map(|l| t.strip_prefix(l))
    .map(|r| r.trim_start_matches([':', '：', ' ']).trim())
    .unwrap_or(t);
    if t.is_empty() || t.contains('。') || t.chars().count() > 120 || is_url(t) {
        return None;
    }
    let (mut who, mut company) = (Vec::new(), Vec::new());
    for s in split_speakers(t) {
        match s.split_once(['(', '（']) {
            Some((w, c)) => {
                let w = bare_name(w);
                let c = c.trim_end().trim_end_matches([')', '）']).trim();
                if w.is_empty() || w.chars().count() > 30 {
                    return None;
                }
                who.push(w.to_string());
                if !c.is_empty() {
                    company.push(c.to_string());
                }
            }
            None => {
                let w = bare_name(&s);
                // A bare name: short, no sentence punctuation.
                if w.chars().count() > 20 || w.contains(['、', '！', '？', '!', '?', '「']) {
                    return None;
                }
                who.push(w.to_string());
            }
        }
    }
    (!who.is_empty()).then_some((who, company))
}

/// Speakers and their affiliations, as a speaker line gives them.
type Speakers = (Vec<String>, Vec<String>);

/// "タイトル / 山田 太郎（所属）" on one line: the title and the speakers after the last
/// " / " (or "／"), when that part reads as speakers.
fn split_title_speakers(line: String) -> (String, Option<Speakers>) {
    let cut = line
        .rfind(" / ")
        .map(|p| (p, 3))
        .or_else(|| line.rfind('／').map(|p| (p, '／'.len_utf8())));
    if let Some((p, n)) = cut
        && let Some(who) = speaker_line(&line[p + n..])
        && !line[..p].trim().is_empty()
    {
        return (line[..p].trim().to_string(), Some(who));
    }
    (line, None)
}

/// Text left of a link line once its URLs are taken ("資料:"): a label, not text.
fn link_label_only(rest: &str, had_urls: bool) -> bool {
    had_urls && rest.trim_end_matches([':', '：', ' ']).chars().count() <= 12
}

/// Cells of a table row: Markdown `| a | b |` or tab-separated `a\tb`.
fn cells(line: &str, sep: char) -> Vec<String> {
    let t = line.trim();
    let t = if sep == '|' {
        t.trim_start_matches('|').trim_end_matches('|')
    } else {
        t
    };
    t.split(sep).map(|c| c.trim().to_string()).collect()
}

fn is_md_rule(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The lines of a pasted text with the shape they make, if any; `start` is where its
/// content begins (its first time line, table header or title).
pub fn detect(lines: &[&str]) -> Option<(Kind, usize)> {
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    // A table copied from a page (before time blocks: its rows open with times): at least three lines with the same number (≥ 2) of tabs,
    // the first naming a title column.
    if let Some(&h) = content.iter().find(|&&i| lines[i].contains('\t')) {
        let n = lines[h].matches('\t').count();
        let rows = content
            .iter()
            .filter(|&&i| i > h && lines[i].matches('\t').count() == n)
            .count();
        let header = cells(lines[h], '\t');
        if rows >= 2 && title_column(&header).is_some() {
            return Some((Kind::Table('\t'), h));
        }
    }
    // Time blocks: at least two time lines, each with a title (on it or on the next line).
    let timed: Vec<usize> = content
        .iter()
        .copied()
        .filter(|&i| {
            time_prefix(lines[i]).is_some_and(|(_, rest)| {
                !rest.is_empty()
                    || lines[i + 1..]
                        .iter()
                        .find(|l| !l.trim().is_empty())
                        .is_some_and(|l| time_prefix(l).is_none())
            })
        })
        .collect();
    if timed.len() >= 2 {
        return Some((Kind::Blocks, timed[0]));
    }
    // A Markdown table: header, rule, at least two rows.
    if let Some(h) = (0..lines.len().saturating_sub(1))
        .find(|&i| lines[i].trim().starts_with('|') && is_md_rule(lines[i + 1]))
    {
        let rows = lines[h + 2..]
            .iter()
            .take_while(|l| l.trim().starts_with('|'))
            .count();
        if rows >= 2 && cells(lines[h], '|').len() >= 2 {
            return Some((Kind::Table('|'), h));
        }
    }
    titles_start(lines, &content).map(|s| (Kind::Titles, s))
}

/// Titles only: after an optional heading line, every line a numbered or bulleted item of
/// one indentation, or (at least three) short plain lines that are not sentences.
fn titles_start(lines: &[&str], content: &[usize]) -> Option<usize> {
    let body =
        |from: usize| -> Vec<usize> { content.iter().copied().filter(|&i| i >= from).collect() };
    for skip in 0..=1usize {
        let &first = content.get(skip)?;
        let rest = body(first);
        if rest.len() < 2 {
            continue;
        }
        let items: Vec<Option<(usize, &str)>> = rest
            .iter()
            .map(|&i| super::pasted::item(lines[i]))
            .collect();
        if items.iter().all(Option::is_some) {
            let indent = items[0].map(|(n, _)| n);
            if items.iter().all(|x| x.map(|(n, _)| n) == indent)
                && items.iter().flatten().all(|(_, t)| plain_title(t))
            {
                return Some(first);
            }
            continue;
        }
        if rest.len() >= 3
            && items.iter().all(Option::is_none)
            && rest.iter().all(|&i| plain_title(lines[i].trim()))
            && rest.windows(2).all(|w| w[1] == w[0] + 1)
        {
            return Some(first);
        }
    }
    None
}

/// Could this be a talk title on a line of its own? (short, not a sentence, not a link or a
/// label line)
fn plain_title(t: &str) -> bool {
    let t = t.trim();
    let n = t.chars().count();
    (2..=100).contains(&n)
        && !t.contains('。')
        && !t.ends_with([':', '：', '、', ','])
        && !is_url(t)
        && !t.starts_with('#')
        && !t.starts_with('|')
        && time_prefix(t).is_none()
}

/// Is this text a timetable (time blocks or a table), the shapes a page's grid gives?
pub fn is_timetable(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    detect(&lines).is_some_and(|(k, _)| k != Kind::Titles)
}

/// The column of a table header holding titles: one the column names read as a title, else
/// a content column (内容, 概要: connpass tables put the title there).
fn title_column(header: &[String]) -> Option<usize> {
    let fields: Vec<Option<&'static str>> = header
        .iter()
        .map(|h| super::structured::field_of(h, &Default::default()))
        .collect();
    fields
        .iter()
        .position(|f| *f == Some("title"))
        .or_else(|| fields.iter().position(|f| *f == Some("abstract")))
        .or_else(|| {
            header.iter().position(|h| {
                ["セッション", "発表", "講演", "トーク", "session", "talk"]
                    .iter()
                    .any(|w| h.to_lowercase().contains(w))
            })
        })
}

/// What a timetable or title list yielded.
#[derive(Debug, Default)]
pub struct Read {
    /// Talks with the 1-based line they start on; start times without a date (the caller
    /// dates them).
    pub talks: Vec<(Talk, usize)>,
    pub skipped: Vec<Skipped>,
}

fn section(file: &str, lines: [usize; 2], text: String) -> Section {
    Section {
        kind: SectionKind::Abstract,
        source: Source {
            file: file.to_string(),
            lines,
        },
        text,
    }
}

/// Read `lines` from `start` as `kind`. Events are the caller's.
pub fn read(kind: Kind, lines: &[&str], start: usize, file: &str) -> Read {
    match kind {
        Kind::Blocks => read_blocks(lines, start, file),
        Kind::Table(sep) => read_table(lines, start, sep, file),
        Kind::Titles => read_titles(lines, start),
    }
}

fn read_blocks(lines: &[&str], start: usize, file: &str) -> Read {
    let mut out = Read::default();
    let mut i = start;
    while i < lines.len() {
        let Some((time, rest)) = time_prefix(lines[i]) else {
            if !lines[i].trim().is_empty() {
                out.skipped.push(Skipped::new(
                    [i + 1, i + 1],
                    lines[i],
                    SkipReason::OutsideSection,
                ));
            }
            i += 1;
            continue;
        };
        let first = i;
        // The block runs to the next time line.
        let end = (i + 1..lines.len())
            .find(|&j| time_prefix(lines[j]).is_some())
            .unwrap_or(lines.len());
        let mut body: Vec<usize> = (i + 1..end)
            .filter(|&j| !lines[j].trim().is_empty())
            .collect();
        // A track line between the time and the title (timetable grids).
        let room = body
            .first()
            .map(|&j| lines[j].trim())
            .filter(|l| is_room(l))
            .map(str::to_string);
        if room.is_some() {
            body.remove(0);
        }
        let (title, title_line) = if rest.is_empty() {
            match body.first() {
                Some(&j) => {
                    body.remove(0);
                    (lines[j].trim().to_string(), j)
                }
                None => {
                    i = end;
                    continue;
                }
            }
        } else {
            (rest.to_string(), i)
        };
        // "タイトル / 山田 太郎（所属）" on one line.
        let (title, inline_speakers) = split_title_speakers(title);
        if is_break(&title) {
            out.skipped.push(Skipped::new(
                [first + 1, end.max(first + 1)],
                lines[title_line],
                SkipReason::BreakRow,
            ));
            i = end;
            continue;
        }
        let mut t = Talk::new(title);
        t.start = Some(time);
        t.room = room;
        if let Some((w, c)) = inline_speakers {
            t.speakers = w;
            t.affiliations = c;
        } else if let Some(&j) = body.first()
            && let Some((w, c)) = speaker_line(lines[j])
        {
            t.speakers = w;
            t.affiliations = c;
            body.remove(0);
        }
        let mut text = Vec::new();
        let (mut a, mut b) = (0, 0);
        for &j in &body {
            let (rest, urls) = split_urls(lines[j].trim());
            let label = link_label_only(&rest, !urls.is_empty());
            t.links.extend(urls);
            if rest.is_empty() || label {
                continue;
            }
            if a == 0 {
                a = j + 1;
            }
            b = j + 1;
            text.push(rest);
        }
        if !text.is_empty() {
            t.sections.push(section(file, [a, b], text.join("\n")));
        }
        out.talks.push((t, first + 1));
        i = end;
    }
    out
}

fn read_table(lines: &[&str], start: usize, sep: char, file: &str) -> Read {
    let mut out = Read::default();
    let header = cells(lines[start], sep);
    let map = Default::default();
    let fields: Vec<Option<&'static str>> = header
        .iter()
        .map(|h| super::structured::field_of(h, &map))
        .collect();
    let Some(tc) = title_column(&header) else {
        return out;
    };
    for (i, raw) in lines.iter().enumerate().skip(start + 1) {
        let l = raw.trim();
        if l.is_empty() || (sep == '|' && is_md_rule(l)) {
            continue;
        }
        if (sep == '|' && !l.starts_with('|')) || (sep == '\t' && !l.contains('\t')) {
            out.skipped.push(Skipped::new(
                [i + 1, i + 1],
                raw,
                SkipReason::OutsideSection,
            ));
            continue;
        }
        let row = cells(l, sep);
        let cell = |k: usize| row.get(k).map(String::as_str).unwrap_or("").trim();
        // Markdown line breaks inside a cell.
        let title = cell(tc)
            .split("<br>")
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        if title.is_empty() || is_break(&title) {
            out.skipped.push(Skipped::new(
                [i + 1, i + 1],
                raw,
                if title.is_empty() {
                    SkipReason::RowWithoutTitle
                } else {
                    SkipReason::BreakRow
                },
            ));
            continue;
        }
        let mut t = Talk::new(title);
        let mut text = Vec::new();
        // What follows a <br> in the title cell is its description.
        if let Some((_, more)) = cell(tc).split_once("<br>") {
            text.push(more.replace("<br>", "\n").trim().to_string());
        }
        for (k, f) in fields.iter().enumerate() {
            let v = cell(k);
            if k == tc || v.is_empty() {
                continue;
            }
            match f {
                Some("start" | "date") => {
                    t.start = time_prefix(v)
                        .map(|(h, _)| h)
                        .or_else(|| super::structured::when(v))
                }
                Some("speakers") => {
                    if let Some((w, c)) = speaker_line(&v.replace("<br>", "、")) {
                        t.speakers = w;
                        t.affiliations.extend(c);
                    }
                }
                Some("affiliations") => t.affiliations.push(v.to_string()),
                Some("room") => t.room = Some(v.to_string()),
                Some("links") => t.links.extend(split_urls(v).1),
                Some("categories") => t.categories.extend(
                    v.split([',', '、', ';'])
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(String::from),
                ),
                Some("abstract" | "details" | "other") => {
                    let (rest, urls) = split_urls(&v.replace("<br>", "\n"));
                    t.links.extend(urls);
                    if !rest.is_empty() {
                        text.push(rest);
                    }
                }
                _ => {}
            }
        }
        let text = text.join("\n").trim().to_string();
        if !text.is_empty() {
            t.sections.push(section(file, [i + 1, i + 1], text));
        }
        out.talks.push((t, i + 1));
    }
    out
}

fn read_titles(lines: &[&str], start: usize) -> Read {
    let mut out = Read::default();
    for (i, raw) in lines.iter().enumerate().skip(start) {
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let title = super::pasted::item(raw).map_or(l, |(_, t)| t).to_string();
        if is_break(&title) {
            out.skipped
                .push(Skipped::new([i + 1, i + 1], raw, SkipReason::BreakRow));
            continue;
        }
        let (title, speakers) = split_title_speakers(title);
        let mut t = Talk::new(title);
        if let Some((w, c)) = speakers {
            t.speakers = w;
            t.affiliations = c;
        }
        out.talks.push((t, i + 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_lines_speakers_and_breaks() {
        assert_eq!(time_prefix("13:00〜13:30"), Some(("13:00".to_string(), "")));
        assert_eq!(
            time_prefix("19:10 - 19:40 SLO入門"),
            Some(("19:10".to_string(), "SLO入門"))
        );
        assert_eq!(time_prefix("９時"), None);
        assert_eq!(time_prefix("2030/04/01"), None);
        assert_eq!(
            speaker_line("山田 太郎（株式会社サンプル）"),
            Some((vec!["山田 太郎".into()], vec!["株式会社サンプル".into()]))
        );
        assert_eq!(speaker_line("SLOを導入した一年の記録です。"), None);
        assert!(is_break("休憩"));
        assert!(is_break("受付・開場"));
        assert!(is_break("Lunch Break"));
        assert!(!is_break("開発者体験を測る"));
    }
}
