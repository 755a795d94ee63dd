//! Reader for recap posts: splits a blog post into one section per talk.
//!
//! A talk heading is a short line that is not a sentence (no 。, not a bullet, not in
//! parentheses) and is followed by a slide URL, a bullet list or link lines
//! ("- プレゼン資料:Speakerdeck"), possibly after one intro line. Headings of parts that are
//! not about a talk (data/recap-non-talk-headings.txt) end the talk before them. A trailing
//! "(会社 名前さん)" on a heading is speaker metadata.

use std::sync::OnceLock;

use super::log::{SkipReason, Skipped};
use super::model::{Section, SectionKind, Source, Talk};
use super::normalize::{is_url, normalize_title, split_urls, strip_bullet};

fn list(data: &'static str) -> Vec<String> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(normalize_title)
        .collect()
}

fn non_talk_names() -> &'static [String] {
    static L: OnceLock<Vec<String>> = OnceLock::new();
    L.get_or_init(|| list(include_str!("../../data/recap-non-talk-headings.txt")))
}

fn link_labels() -> &'static [String] {
    static L: OnceLock<Vec<String>> = OnceLock::new();
    L.get_or_init(|| list(include_str!("../../data/recap-link-labels.txt")))
}

/// Longest title (in characters, without the speaker suffix) taken for a heading.
const MAX_TITLE_CHARS: usize = 80;
/// Longest line taken for a heading that groups talks.
const MAX_GROUP_HEADING_CHARS: usize = 40;

/// If `line` is a part heading that is not about a talk, its name.
pub fn non_talk_heading(line: &str) -> Option<String> {
    let n = normalize_title(line.trim().trim_start_matches('#'));
    if n.is_empty() || n.chars().count() > MAX_GROUP_HEADING_CHARS || line.contains('。') {
        return None;
    }
    non_talk_names()
        .iter()
        .any(|k| n == *k || n.starts_with(k.as_str()) || n.ends_with(k.as_str()))
        .then(|| line.trim().trim_start_matches('#').trim().to_string())
}

/// "プレゼン資料:Speakerdeck", "Slides: https://..." or a bare URL.
pub fn is_link_line(content: &str) -> bool {
    let c = content.trim();
    if is_url(c) && !c.contains(char::is_whitespace) {
        return true;
    }
    let Some((label, _)) = c.split_once([':', '\u{FF1A}']) else {
        return false;
    };
    let l = normalize_title(label);
    !l.is_empty() && link_labels().contains(&l)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Bullet,
    Link,
    Text,
}

fn kind(line: &str) -> Kind {
    let t = line.trim();
    if t.is_empty() {
        return Kind::Blank;
    }
    if let Some(b) = strip_bullet(line) {
        return if is_link_line(b) {
            Kind::Link
        } else {
            Kind::Bullet
        };
    }
    if is_link_line(t) {
        return Kind::Link;
    }
    Kind::Text
}

/// Split a trailing "(company nameさん)" off a heading: (title, speaker, affiliation).
pub fn split_speaker(heading: &str) -> (String, Option<String>, Option<String>) {
    let h = heading.trim();
    let whole = || (h.to_string(), None, None);
    let Some(close) = h.chars().last().filter(|c| matches!(c, ')' | '\u{FF09}')) else {
        return whole();
    };
    let body = &h[..h.len() - close.len_utf8()];
    let Some(open) = body.rfind(['(', '\u{FF08}']) else {
        return whole();
    };
    let inner = body[open..].trim_start_matches(['(', '\u{FF08}']).trim();
    let title = body[..open].trim();
    let name_end = ["さん", "氏", "様"]
        .iter()
        .find_map(|s| inner.strip_suffix(s));
    let (Some(who), false) = (name_end, title.is_empty()) else {
        return whole();
    };
    let who = who.trim();
    match who.rsplit_once(char::is_whitespace) {
        Some((company, name)) => (
            title.to_string(),
            Some(name.trim().to_string()),
            Some(company.trim().to_string()),
        ),
        None => (title.to_string(), Some(who.to_string()), None),
    }
}

/// Could this line be a heading at all (talk or part)?
fn heading_like(line: &str) -> bool {
    let t = line.trim().trim_start_matches('#').trim();
    if t.is_empty() || strip_bullet(line).is_some() || is_url(t) {
        return false;
    }
    let (title, _, _) = split_speaker(t);
    let first = t.chars().next().unwrap_or(' ');
    let last = t.chars().last().unwrap_or(' ');
    title.chars().count() <= MAX_TITLE_CHARS
        && !t.contains('。')
        && !matches!(last, '.' | '、' | ',' | '\u{FF0C}' | ':' | '\u{FF1A}' | '…')
        && !matches!(first, '(' | '\u{FF08}' | '※' | '*' | '>' | '\u{FF1E}' | '[')
        && normalize_title(t).chars().count() >= 2
        && super::proposals::parse_start(t).is_none()
}

/// What a recap post yielded: one talk per talk heading, each with one recap section.
#[derive(Debug, Default)]
pub struct Recaps {
    pub talks: Vec<Talk>,
    pub skipped: Vec<Skipped>,
}

/// Does this text look like a recap post (at least one talk heading)?
pub fn looks_like(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let kinds: Vec<Kind> = lines.iter().map(|l| kind(l)).collect();
    !headings(&lines, &kinds, true).0.is_empty()
}

/// (talk heading indices, non-talk heading indices with names); with `first_only`, up to the
/// first talk heading (enough to tell a recap post, without classifying 100k lines twice).
fn headings(
    lines: &[&str],
    kinds: &[Kind],
    first_only: bool,
) -> (Vec<usize>, Vec<(usize, String)>) {
    let next = |i: usize| (i + 1..lines.len()).find(|&j| kinds[j] != Kind::Blank);
    // A bare URL right after a line is a talk's slides only when a list follows it; followed
    // by prose it is just a link with its caption ("会の詳細はこちら").
    let is_bare_url = |j: usize| is_url(lines[j].trim()) && strip_bullet(lines[j]).is_none();
    let strong_uncached = |i: usize| {
        kinds[i] == Kind::Text
            && heading_like(lines[i])
            && next(i).is_some_and(|j| match kinds[j] {
                Kind::Bullet => true,
                Kind::Link if is_bare_url(j) => {
                    let mut k = j;
                    while kinds[k] == Kind::Link || kinds[k] == Kind::Blank {
                        match next(k) {
                            Some(n) => k = n,
                            None => return false,
                        }
                    }
                    kinds[k] == Kind::Bullet
                }
                Kind::Link => true,
                _ => false,
            })
    };
    // Each line's answer once: `weak` asks it of the next line, which then asks it again.
    let known: Vec<std::cell::Cell<Option<bool>>> = vec![std::cell::Cell::new(None); lines.len()];
    let strong = |i: usize| match known[i].get() {
        Some(b) => b,
        None => {
            let b = strong_uncached(i);
            known[i].set(Some(b));
            b
        }
    };
    let mut talks = Vec::new();
    let mut parts = Vec::new();
    for i in 0..lines.len() {
        if kinds[i] != Kind::Text {
            continue;
        }
        if let Some(name) = non_talk_heading(lines[i]) {
            parts.push((i, name));
            continue;
        }
        let weak = || {
            heading_like(lines[i])
                && next(i).is_some_and(|j| {
                    kinds[j] == Kind::Text
                        && !strong(j)
                        && non_talk_heading(lines[j]).is_none()
                        && next(j).is_some_and(|k| matches!(kinds[k], Kind::Bullet | Kind::Link))
                })
        };
        if strong(i) || weak() {
            talks.push(i);
            if first_only {
                break;
            }
        }
    }
    (talks, parts)
}

pub fn read(text: &str, file: &str) -> Recaps {
    let lines: Vec<&str> = text.lines().collect();
    let kinds: Vec<Kind> = lines.iter().map(|l| kind(l)).collect();
    let (talk_heads, part_heads) = headings(&lines, &kinds, false);
    let mut out = Recaps::default();
    // Boundaries in order: (line index, Some(talk) | None(part name)).
    let mut bounds: Vec<(usize, Option<String>)> = talk_heads
        .iter()
        .map(|&i| (i, None))
        .chain(part_heads.iter().map(|(i, n)| (*i, Some(n.clone()))))
        .collect();
    bounds.sort_by_key(|b| b.0);
    let skip = |out: &mut Recaps, from: usize, to: usize, reason: SkipReason| {
        let a = (from..to).find(|&i| kinds[i] != Kind::Blank);
        let b = (from..to).rev().find(|&i| kinds[i] != Kind::Blank);
        if let (Some(a), Some(b)) = (a, b) {
            out.skipped
                .push(Skipped::new([a + 1, b + 1], lines[a], reason));
        }
    };
    let first = bounds.first().map_or(lines.len(), |b| b.0);
    skip(&mut out, 0, first, SkipReason::BeforeFirstTalk);
    for (k, (h, part)) in bounds.iter().enumerate() {
        let end = bounds.get(k + 1).map_or(lines.len(), |b| b.0);
        if let Some(name) = part {
            skip(&mut out, *h, end, SkipReason::NotATalk(name.clone()));
            continue;
        }
        let next_is_talk = bounds.get(k + 1).is_some_and(|b| b.1.is_none());
        let mut body_end = end;
        // Short heading-like lines right before the next talk heading group the talks after it.
        if next_is_talk {
            let mut g = body_end;
            while let Some(p) = (h + 1..g).rev().find(|&i| kinds[i] != Kind::Blank) {
                let t = lines[p].trim();
                if kinds[p] == Kind::Text
                    && heading_like(t)
                    && t.chars().count() <= MAX_GROUP_HEADING_CHARS
                {
                    g = p;
                } else {
                    break;
                }
            }
            if g < body_end {
                skip(&mut out, g, body_end, SkipReason::GroupHeading);
                body_end = g;
            }
        }
        // A talk told as a bullet list ends with its last bullet.
        if let Some(last_bullet) = (h + 1..body_end).rev().find(|&i| kinds[i] == Kind::Bullet)
            && (last_bullet + 1..body_end).any(|i| kinds[i] != Kind::Blank)
        {
            skip(
                &mut out,
                last_bullet + 1,
                body_end,
                SkipReason::AfterTalkList,
            );
            body_end = last_bullet + 1;
        }
        let (title, speaker, company) = split_speaker(lines[*h].trim().trim_start_matches('#'));
        let mut talk = Talk::new(title);
        talk.speakers.extend(speaker);
        talk.affiliations.extend(company);
        let mut text: Vec<String> = Vec::new();
        let (mut a, mut b) = (None, None);
        for i in h + 1..body_end {
            let content = match kinds[i] {
                Kind::Blank => continue,
                Kind::Link => {
                    let c = strip_bullet(lines[i]).unwrap_or(lines[i]).trim();
                    talk.links.push(c.to_string());
                    continue;
                }
                Kind::Bullet => strip_bullet(lines[i]).unwrap_or_default(),
                Kind::Text => lines[i].trim(),
            };
            // A label like "感想" introducing the author's comments: structure, not text.
            let norm = normalize_title(content);
            if norm.chars().count() <= 4
                && non_talk_heading(content).is_some_and(|n| normalize_title(&n) == norm)
            {
                continue;
            }
            let (t, urls) = split_urls(content);
            talk.links.extend(urls);
            if t.is_empty() {
                continue;
            }
            a.get_or_insert(i + 1);
            b = Some(i + 1);
            text.push(t);
        }
        if let (Some(a), Some(b)) = (a, b) {
            talk.sections.push(Section {
                kind: SectionKind::Recap,
                source: Source {
                    file: file.to_string(),
                    lines: [a, b],
                },
                text: text.join("\n"),
            });
        }
        out.talks.push(talk);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_speaker_suffix() {
        assert_eq!(
            split_speaker(
                "間違いだらけのポストモーテム - ホントに役立つレビューはこうだ!(PagerDuty株式会社 草間さん)"
            ),
            (
                "間違いだらけのポストモーテム - ホントに役立つレビューはこうだ!".into(),
                Some("草間".into()),
                Some("PagerDuty株式会社".into())
            )
        );
        assert_eq!(
            split_speaker("成熟度別 Platform Engineering (入門)").1,
            None
        );
        assert_eq!(
            split_speaker("ホゲ(Yamadaさん)").1.as_deref(),
            Some("Yamada")
        );
    }

    #[test]
    fn link_lines_and_non_talk_headings() {
        assert!(is_link_line("アーカイブ動画:CNDW2024公式サイト"));
        assert!(is_link_line("プレゼン資料:未公開"));
        assert!(is_link_line("https://speakerdeck.com/a/b"));
        assert!(!is_link_line("SLI: 指標のこと"));
        assert!(non_talk_heading("懇親会ムーブ").is_some());
        assert!(non_talk_heading("CNDW2024全体を通しての感想").is_some());
        assert!(non_talk_heading("We are hiring!").is_some());
        assert!(non_talk_heading("信頼性目標とシステムアーキテクチャー").is_none());
    }
}
