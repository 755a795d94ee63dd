//! Event detection: which conference a file is about, from known series names and URLs
//! (data/event-series.toml) followed by a year.

use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Deserialize)]
struct SeriesFile {
    series: Vec<Series>,
}

#[derive(Debug, Deserialize)]
struct Series {
    name: String,
    aliases: Vec<String>,
    #[serde(default)]
    urls: Vec<String>,
}

fn series() -> &'static [Series] {
    static S: OnceLock<Vec<Series>> = OnceLock::new();
    S.get_or_init(|| {
        toml::from_str::<SeriesFile>(include_str!("../../data/event-series.toml"))
            .expect("data/event-series.toml is valid")
            .series
    })
}

/// Lowercase, NFKC, without spaces, hyphens and underscores: "SRE-Kaigi 2025" → "srekaigi2025".
fn squash(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .collect()
}

/// One mention of a known series in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub series: String,
    pub year: Option<u16>,
    /// 1-based line number.
    pub line: usize,
}

impl Mention {
    pub fn event(&self) -> Option<String> {
        self.year.map(|y| format!("{} {y}", self.series))
    }
}

/// A series' search patterns, squashed once (not once per line of every file).
struct Patterns {
    name: &'static str,
    /// Aliases and URL prefixes before `{year}` (the flag: a URL, which needs the year).
    before_year: Vec<(String, bool)>,
    /// URL parts after a leading `{year}`: "{year}.srekaigi.net".
    after_year: Vec<String>,
}

fn patterns() -> &'static [Patterns] {
    static P: OnceLock<Vec<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        series()
            .iter()
            .map(|s| {
                let mut before_year: Vec<(String, bool)> =
                    s.aliases.iter().map(|a| (squash(a), false)).collect();
                before_year.extend(
                    s.urls
                        .iter()
                        .filter_map(|u| u.split_once("{year}").map(|(p, _)| (squash(p), true))),
                );
                before_year.retain(|(p, _)| !p.is_empty());
                let after_year = s
                    .urls
                    .iter()
                    .filter_map(|u| u.strip_prefix("{year}"))
                    .map(squash)
                    .filter(|x| !x.is_empty())
                    .collect();
                Patterns {
                    name: &s.name,
                    before_year,
                    after_year,
                }
            })
            .collect()
    })
}

/// All mentions of known series, in order of appearance.
pub fn mentions(text: &str) -> Vec<Mention> {
    mentions_in(text, usize::MAX)
}

/// The mentions in the first `max_lines` lines of `text`.
fn mentions_in(text: &str, max_lines: usize) -> Vec<Mention> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().take(max_lines) {
        let sq = squash(line);
        let mut found: Vec<(usize, Mention)> = Vec::new();
        for s in patterns() {
            for (pat, is_url) in &s.before_year {
                let mut from = 0;
                while let Some(pos) = sq[from..].find(pat.as_str()) {
                    let at = from + pos;
                    let after = &sq[at + pat.len()..];
                    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                    let year = (digits.len() == 4).then(|| digits.parse().ok()).flatten();
                    if year.is_some() || !is_url {
                        match found.iter_mut().find(|(p, _)| *p == at) {
                            Some((_, m)) if m.year.is_none() => m.year = year,
                            Some(_) => {}
                            None => found.push((
                                at,
                                Mention {
                                    series: s.name.to_string(),
                                    year,
                                    line: i + 1,
                                },
                            )),
                        }
                    }
                    from = at + pat.len();
                }
            }
            for suffix in &s.after_year {
                let mut from = 0;
                while let Some(pos) = sq[from..].find(suffix.as_str()) {
                    let at = from + pos;
                    let before = &sq[..at];
                    let digits: String = before
                        .chars()
                        .rev()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    if digits.len() == 4 && !found.iter().any(|(p, _)| *p == at - 4) {
                        let year = digits.chars().rev().collect::<String>().parse().ok();
                        found.push((
                            at - 4,
                            Mention {
                                series: s.name.to_string(),
                                year,
                                line: i + 1,
                            },
                        ));
                    }
                    from = at + suffix.len();
                }
            }
        }
        found.sort_by_key(|(p, _)| *p);
        out.extend(found.into_iter().map(|(_, m)| m));
    }
    out
}

/// The event a recap post is about: the first series+year mention in the opening lines
/// (title, intro), else the most frequent series+year mention in the post.
pub fn detect_recap_event(text: &str) -> Option<(String, usize)> {
    // The opening lines alone first: most posts name the event there, and a post of 100k
    // lines is then not scanned whole.
    if let Some(m) = mentions_in(text, 10).iter().find(|m| m.year.is_some()) {
        return m.event().map(|e| (e, m.line));
    }
    let ms: Vec<Mention> = mentions(text)
        .into_iter()
        .filter(|m| m.year.is_some())
        .collect();
    if let Some(m) = ms.iter().find(|m| m.line <= 10) {
        return m.event().map(|e| (e, m.line));
    }
    most_frequent(&ms)
}

/// The event of proposal pages whose sessions are dated in `years`: a series+year mention
/// with one of those years, else a series named without a year combined with the year of
/// the sessions.
pub fn detect_proposal_event(text: &str, years: &[u16]) -> Option<(String, usize)> {
    let ms = mentions(text);
    let dated: Vec<Mention> = ms
        .iter()
        .filter(|m| m.year.is_some_and(|y| years.contains(&y)))
        .cloned()
        .collect();
    if let Some(e) = most_frequent(&dated) {
        return Some(e);
    }
    if let [year] = years {
        let undated: Vec<Mention> = ms
            .iter()
            .filter(|m| m.year.is_none())
            .map(|m| Mention {
                year: Some(*year),
                ..m.clone()
            })
            .collect();
        return most_frequent(&undated);
    }
    None
}

fn most_frequent(ms: &[Mention]) -> Option<(String, usize)> {
    let mut counts: Vec<(String, usize, usize)> = Vec::new(); // event, count, first line
    for m in ms {
        let Some(e) = m.event() else { continue };
        match counts.iter_mut().find(|(x, _, _)| *x == e) {
            Some(c) => c.1 += 1,
            None => counts.push((e, 1, m.line)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(e, _, l)| (e, l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_recap_events_from_titles_and_urls() {
        assert_eq!(
            detect_recap_event("📚\n\nSRE Kaigi 2025に行ってきた\n")
                .unwrap()
                .0,
            "SRE Kaigi 2025"
        );
        assert_eq!(
            detect_recap_event("会の詳細はこちら\nhttps://sre-next.dev/2023/\n")
                .unwrap()
                .0,
            "SRE NEXT 2023"
        );
        let cndw = "こんにちは。\nアンドパッドは、CloudNative Days Winter 2024(CNDW2024)に協賛\n";
        assert_eq!(
            detect_recap_event(cndw).unwrap(),
            ("CloudNative Days Winter 2024".into(), 2)
        );
        assert_eq!(
            detect_recap_event("CloudNative Days Tokyoの運営の話\n"),
            None
        );
        assert_eq!(detect_recap_event("ただの日記\n"), None);
        assert_eq!(
            detect_recap_event("https://2025.srekaigi.net/ に参加\n")
                .unwrap()
                .0,
            "SRE Kaigi 2025"
        );
    }

    #[test]
    fn proposal_event_uses_session_year() {
        let t = "募集要項(https://www.notion.so/srekaigi/SRE-Kaigi-2025-CfP-09) から\nDevOpsDays Tokyo 2024では\n";
        assert_eq!(
            detect_proposal_event(t, &[2025]).unwrap().0,
            "SRE Kaigi 2025"
        );
        assert_eq!(
            detect_proposal_event("SRE Kaigiの記念すべき初回\n", &[2025])
                .unwrap()
                .0,
            "SRE Kaigi 2025"
        );
        assert_eq!(
            detect_proposal_event("DevOpsDays Tokyo 2024では\n", &[2025]),
            None
        );
    }
}
