//! Reader for accepted-proposal pages (CfP copies, seed 000's shape):
//!
//! ```text
//! 採択                       ← status line: a block starts here
//! 2025/01/26 10:35〜          ← start
//! ルーム A                    ← room
//! セッション(30分)            ← session kind
//!
//! <title>
//!
//! <speaker> [/ <speaker>...]
//!
//! ■ 発表カテゴリ              ← form headings (data/proposal-format.toml)
//! ・Tech: ...
//! ■ 発表概要(400字程度)
//! ...
//! 4                           ← bare number at the end: page metadata (reactions)
//! ```

use std::sync::OnceLock;

use serde::Deserialize;

use super::log::{SkipReason, Skipped};
use super::model::{Section, SectionKind, Source, Talk};
use super::normalize::{normalize_title, split_urls, strip_bullet};

#[derive(Debug, Deserialize)]
struct Format {
    statuses: Vec<String>,
    boilerplate: Vec<String>,
    headings: Vec<HeadingRule>,
}

#[derive(Debug, Deserialize)]
struct HeadingRule {
    contains: String,
    kind: String,
}

fn format() -> &'static Format {
    static F: OnceLock<Format> = OnceLock::new();
    F.get_or_init(|| {
        toml::from_str(include_str!("../../data/proposal-format.toml"))
            .expect("data/proposal-format.toml is valid")
    })
}

/// What a proposals file yielded.
#[derive(Debug, Default)]
pub struct Proposals {
    pub talks: Vec<Talk>,
    pub skipped: Vec<Skipped>,
    /// Years of the session dates (for event detection).
    pub years: Vec<u16>,
}

/// "2025/01/26 10:35〜" → ("2025-01-26 10:35", 2025). Also accepts "-" and "." separators.
pub fn parse_start(line: &str) -> Option<(String, u16)> {
    let t = line
        .trim()
        .trim_end_matches(['〜', '~', '\u{FF5E}', '-', ' ']);
    let (date, time) = match t.split_once(|c: char| c.is_whitespace()) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (len.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, m, d) = (num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut out = format!("{y:04}-{m:02}-{d:02}");
    if let Some(time) = time.filter(|t| !t.is_empty()) {
        let (h, mi) = time.split_once(':')?;
        let (h, mi) = (num(h, 1..=2)?, num(mi.get(..2)?, 2..=2)?);
        out.push_str(&format!(" {h:02}:{mi:02}"));
    }
    Some((out, y as u16))
}

fn is_status(line: &str) -> bool {
    format().statuses.iter().any(|s| line.trim() == s)
}

/// A block starts at a status line followed (blank lines aside, within two lines) by a date.
fn block_starts(lines: &[&str]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&i| {
            is_status(lines[i])
                && lines[i + 1..]
                    .iter()
                    .take(3)
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| parse_start(l).is_some())
        })
        .collect()
}

/// Does this text look like proposal pages? (used by auto-detection)
pub fn looks_like(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    !block_starts(&lines).is_empty()
}

fn is_session_kind(line: &str) -> bool {
    let l = line.trim();
    l.contains("分)")
        || l.contains("分\u{FF09}")
        || l.contains("min)")
        || l.starts_with("セッション")
        || l.starts_with("LT")
}

pub(crate) fn is_boilerplate(line: &str) -> bool {
    format()
        .boilerplate
        .iter()
        .any(|b| line.contains(b.as_str()))
}

pub(crate) fn heading_kind(heading: &str) -> Option<&'static str> {
    let n = normalize_title(heading);
    format()
        .headings
        .iter()
        .find(|h| n.contains(&normalize_title(&h.contains)))
        .map(|h| h.kind.as_str())
}

pub(crate) fn section_kind(name: &str) -> SectionKind {
    match name {
        "abstract" => SectionKind::Abstract,
        "details" => SectionKind::Details,
        "audience" => SectionKind::Audience,
        "motivation" => SectionKind::Motivation,
        "recap" => SectionKind::Recap,
        _ => SectionKind::Other,
    }
}

/// Split speakers: "a / b", "a、b"; each name once, a doubled "handle handle" written once
/// (`normalize::speaker_name`).
pub fn split_speakers(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in line
        .split([';', '/', '\u{FF0F}', '、', '\n'])
        .map(super::normalize::speaker_name)
        .filter(|s| !s.is_empty())
    {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

pub fn read(text: &str, file: &str) -> Proposals {
    let lines: Vec<&str> = text.lines().collect();
    let starts = block_starts(&lines);
    let mut out = Proposals::default();
    let first = starts.first().copied().unwrap_or(lines.len());
    if let Some((a, b)) = span(&lines, 0, first) {
        out.skipped.push(Skipped::new(
            [a, b],
            lines[a - 1],
            SkipReason::BeforeFirstTalk,
        ));
    }
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        if let Some(t) = read_block(&lines, s, end, file, &mut out) {
            out.talks.push(t);
        }
    }
    out.years.sort_unstable();
    out.years.dedup();
    out
}

/// 1-based range of the non-blank lines in [from, to), if any.
fn span(lines: &[&str], from: usize, to: usize) -> Option<(usize, usize)> {
    let a = (from..to).find(|&i| !lines[i].trim().is_empty())?;
    let b = (from..to).rev().find(|&i| !lines[i].trim().is_empty())?;
    Some((a + 1, b + 1))
}

fn read_block(
    lines: &[&str],
    s: usize,
    mut end: usize,
    file: &str,
    out: &mut Proposals,
) -> Option<Talk> {
    // A bare number as the last non-blank line: page metadata (reaction count).
    if let Some(last) = (s + 1..end).rev().find(|&i| !lines[i].trim().is_empty()) {
        let l = lines[last].trim();
        if l.chars().all(|c| c.is_ascii_digit()) {
            out.skipped.push(Skipped::new(
                [last + 1, last + 1],
                l,
                SkipReason::ReactionCount,
            ));
            end = last;
        }
    }
    let first_heading = (s + 1..end)
        .find(|&i| lines[i].trim_start().starts_with('■'))
        .unwrap_or(end);
    // Header: groups of non-blank lines.
    let mut groups: Vec<Vec<(usize, &str)>> = Vec::new();
    let mut cur: Vec<(usize, &str)> = Vec::new();
    for (i, line) in lines.iter().enumerate().take(first_heading).skip(s + 1) {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                groups.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push((i, line.trim()));
        }
    }
    if !cur.is_empty() {
        groups.push(cur);
    }
    let mut talk = Talk::new(String::new());
    let mut rest: Vec<(usize, &str)> = Vec::new();
    let mut meta_done = false;
    for g in groups {
        if !meta_done && g.iter().any(|(_, l)| parse_start(l).is_some()) {
            meta_done = true;
            let mut room = Vec::new();
            for (_, l) in g {
                if let Some((start, year)) = parse_start(l) {
                    talk.start = Some(start);
                    out.years.push(year);
                } else if is_session_kind(l) {
                    talk.session_kind = Some(l.to_string());
                } else {
                    room.push(l);
                }
            }
            if !room.is_empty() {
                talk.room = Some(room.join(" "));
            }
        } else {
            rest.extend(g);
        }
    }
    let (title_line, speaker_lines) = rest.split_first()?;
    talk.title = title_line.1.to_string();
    for (_, l) in speaker_lines {
        talk.speakers.extend(split_speakers(l));
    }
    // Sections.
    let mut kind: Option<&str> = None;
    let mut buf: Vec<(usize, String)> = Vec::new();
    let flush = |kind: Option<&str>, buf: &mut Vec<(usize, String)>, talk: &mut Talk| {
        if buf.is_empty() {
            return;
        }
        let text = buf
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let lines = [buf[0].0 + 1, buf[buf.len() - 1].0 + 1];
        buf.clear();
        match kind {
            Some("categories") => {}
            Some(k) => talk.sections.push(Section {
                kind: section_kind(k),
                source: Source {
                    file: file.to_string(),
                    lines,
                },
                text,
            }),
            None => {}
        }
    };
    for (i, raw) in lines.iter().enumerate().take(end).skip(first_heading) {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(h) = line.strip_prefix('■')
            && let Some(k) = heading_kind(h)
        {
            flush(kind, &mut buf, &mut talk);
            kind = Some(k);
            continue;
        }
        // An author's own sub-heading inside a section: its words are text.
        if is_boilerplate(line) {
            out.skipped
                .push(Skipped::new([i + 1, i + 1], line, SkipReason::Boilerplate));
            continue;
        }
        let content = line
            .strip_prefix('■')
            .map(str::trim)
            .or_else(|| strip_bullet(raw))
            .unwrap_or(line);
        let (text, urls) = split_urls(content);
        talk.links.extend(urls);
        if text.is_empty() {
            continue;
        }
        match kind {
            Some("categories") => talk.categories.push(text),
            Some(_) => buf.push((i, text)),
            None => out.skipped.push(Skipped::new(
                [i + 1, i + 1],
                line,
                SkipReason::OutsideSection,
            )),
        }
    }
    flush(kind, &mut buf, &mut talk);
    Some(talk)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "採択
2025/01/26 10:35〜
ルーム A
セッション(30分)

Site Reliability Engineering on Kubernetes

nwiizo nwiizo

■ 発表カテゴリ
募集要項(https://www.notion.so/srekaigi/SRE-Kaigi-2025-CfP-09) にある6つの発表カテゴリからお選びください

・Tech: SREを支える具体的な技術や手法

■ 発表概要(400字程度)
Kubernetesを基盤とした現代のシステム運用において、SREの実践は重要な役割を果たしています。

■ 発表の詳細(1000字程度)
本セッションでは、Kubernetes環境におけるSRE実践の高度化について解説します。
■SREのプラクティス
・日々のメトリクスモニタリング
https://speakerdeck.com/x/y

■ 対象聴衆とその人たちが得られるもの

  • SRE実践者や運用エンジニア

■ なぜこのトピックについて話したいのか(モチベーション)
Kubernetesの普及に伴い、多くの組織が複雑性の増大に直面しています。

4
採択
2025/01/26 16:35〜
ルーム A
セッション(30分)

Platform EngineeringがあればSREはいらない!?

m4buya 渋谷 充宏 / 那珂 将人

■ 発表概要(400字程度)
概要です。
";

    #[test]
    fn reads_blocks_metadata_and_sections() {
        let p = read(BLOCK, "p.txt");
        assert_eq!(p.talks.len(), 2);
        assert_eq!(p.years, vec![2025]);
        let t = &p.talks[0];
        assert_eq!(t.title, "Site Reliability Engineering on Kubernetes");
        assert_eq!(t.start.as_deref(), Some("2025-01-26 10:35"));
        assert_eq!(t.room.as_deref(), Some("ルーム A"));
        assert_eq!(t.session_kind.as_deref(), Some("セッション(30分)"));
        assert_eq!(t.speakers, vec!["nwiizo"]);
        assert_eq!(t.categories, vec!["Tech: SREを支える具体的な技術や手法"]);
        assert_eq!(t.links, vec!["https://speakerdeck.com/x/y"]);
        let kinds: Vec<SectionKind> = t.sections.iter().map(|s| s.kind).collect();
        use SectionKind::*;
        assert_eq!(kinds, vec![Abstract, Details, Audience, Motivation]);
        assert_eq!(t.sections[0].source.lines, [16, 16]);
        assert_eq!(
            t.sections[1].text,
            "本セッションでは、Kubernetes環境におけるSRE実践の高度化について解説します。\nSREのプラクティス\n日々のメトリクスモニタリング"
        );
        assert_eq!(t.sections[2].text, "SRE実践者や運用エンジニア");
        for s in &t.sections {
            assert!(
                !s.text.contains('■') && !s.text.contains("http") && !s.text.contains("お選び"),
                "{}",
                s.text
            );
            assert!(!s.text.contains("\n4"));
        }
        assert!(
            p.skipped
                .iter()
                .any(|s| s.reason == SkipReason::ReactionCount && s.lines == [31, 31])
        );
        assert!(
            p.skipped
                .iter()
                .any(|s| s.reason == SkipReason::Boilerplate)
        );
        assert_eq!(p.talks[1].speakers, vec!["m4buya 渋谷 充宏", "那珂 将人"]);
        assert_eq!(p.talks[1].sections[0].text, "概要です。");
    }

    #[test]
    fn parses_start_lines() {
        assert_eq!(
            parse_start("2025/01/26 10:35〜"),
            Some(("2025-01-26 10:35".into(), 2025))
        );
        assert_eq!(parse_start("2023-9-29"), Some(("2023-09-29".into(), 2023)));
        assert_eq!(parse_start("ルーム A"), None);
        assert_eq!(parse_start("2025/13/01"), None);
        assert!(!looks_like("SRE Kaigi 2025に行ってきた\n採択されました\n"));
        assert!(looks_like(BLOCK));
    }
}
