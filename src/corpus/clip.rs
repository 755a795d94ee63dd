//! Web-clipper notes: Markdown with YAML frontmatter (Obsidian Web Clipper, MarkDownload,
//! …): `title`, `source`, `author`, `published`, `description`, `tags` between `---` lines.
//!
//! The frontmatter is metadata, never text: `body` blanks it (line numbers stay those of the
//! file) so the other readers see only the article. An article that is a recap post,
//! proposal pages or a pasted list goes to that reader; any other clipped page is one talk
//! (`read`): title from the frontmatter (the body's first heading when the title is that
//! heading plus a site suffix), speakers from `author`, start from `published`,
//! the source URL as a link, tags as categories, `description` and the body as text.

use crate::error::Text;
use std::borrow::Cow;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::{Yaml, YamlLoader};

use super::events;
use super::fortee;
use super::model::{Section, SectionKind, Source, Talk};
use super::normalize::split_urls;

/// Largest frontmatter parsed (bytes); a bigger block is not a clipper's.
const MAX_FRONT: usize = 64 * 1024;
/// Deepest `[`/`{` nesting accepted in it (the YAML parser recurses).
const MAX_DEPTH: usize = 32;

/// The frontmatter's fields.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Front {
    pub title: Option<String>,
    pub source: Option<String>,
    pub authors: Vec<String>,
    pub published: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// 1-based line of the closing `---`.
    pub end_line: usize,
}

/// The frontmatter block: (its YAML text, 1-based line of the closing `---`).
fn block(text: &str) -> Option<(&str, usize)> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = t
        .strip_prefix("---\n")
        .or_else(|| t.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            return Some((&rest[..offset], i + 2));
        }
        offset += line.len();
        if offset > MAX_FRONT {
            return None;
        }
    }
    None
}

fn depth_ok(yaml: &str) -> bool {
    let (mut d, mut max) = (0usize, 0usize);
    for c in yaml.chars() {
        match c {
            '[' | '{' => {
                d += 1;
                max = max.max(d);
            }
            ']' | '}' => d = d.saturating_sub(1),
            _ => {}
        }
    }
    max <= MAX_DEPTH
}

/// The first alias (`*name`) of a YAML text, found by the event parser before any loading:
/// the loader copies an alias's whole node at each use, so 8 levels of 9 aliases each are
/// gigabytes from 350 bytes. Clippers never write aliases; a frontmatter with one is refused.
fn first_alias(yaml: &str) -> Option<Marker> {
    struct FirstAlias(Option<Marker>);
    impl MarkedEventReceiver for FirstAlias {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            if matches!(ev, Event::Alias(_)) && self.0.is_none() {
                self.0 = Some(mark);
            }
        }
    }
    let mut found = FirstAlias(None);
    // A syntax error is reported by the loader after this, with its line and column.
    let _ = Parser::new_from_str(yaml).load(&mut found, true);
    found.0
}

fn scalar(y: &Yaml) -> Option<String> {
    let s = match y {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => return None,
    };
    // Obsidian links: "[[Name]]" → "Name".
    let s = s
        .trim()
        .trim_start_matches("[[")
        .trim_end_matches("]]")
        .trim();
    Some(s.to_string()).filter(|s| !s.is_empty())
}

fn list(y: &Yaml) -> Vec<String> {
    match y {
        Yaml::Array(a) => a.iter().filter_map(scalar).collect(),
        other => scalar(other)
            .map(|s| {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The frontmatter of a clipped note: `None` when the text has none (or it is not a YAML
/// mapping naming a title or a source); `Some(Err)` when it is malformed YAML.
pub fn front(text: &str) -> Option<Result<Front, Text>> {
    let (yaml, end_line) = block(text)?;
    if !depth_ok(yaml) {
        return Some(Err(tr!(
            "フロントマターの入れ子が{MAX_DEPTH}段より深く、Web クリッパーのものではありません",
            "frontmatter nests deeper than {MAX_DEPTH} levels; not a clipper's"
        )));
    }
    if let Some(m) = first_alias(yaml) {
        let (line, column) = (m.line() + 1, m.col() + 1);
        return Some(Err(tr!(
            "{line}行{column}列: フロントマターが YAML のエイリアス(*…)を使っていますが、展開しません(Web クリッパーは書きません)",
            "line {line}, column {column}: frontmatter uses a YAML alias (*…), which is not expanded (clippers never write one)"
        )));
    }
    let docs = match YamlLoader::load_from_str(yaml) {
        Ok(d) => d,
        Err(e) => {
            let m = e.marker();
            let (line, column, info) = (m.line() + 1, m.col() + 1, e.info());
            return Some(Err(tr!(
                "{line}行{column}列: フロントマターが YAML として正しくありません({info})",
                "line {line}, column {column}: frontmatter is not valid YAML: {info}"
            )));
        }
    };
    let h = docs.first()?.as_hash()?;
    let get = |k: &str| h.get(&Yaml::String(k.into()));
    let mut f = Front {
        title: get("title").and_then(scalar),
        source: get("source").or(get("url")).and_then(scalar),
        authors: get("author")
            .or(get("authors"))
            .map(list)
            .unwrap_or_default(),
        published: get("published").or(get("date")).and_then(scalar),
        description: get("description").and_then(scalar),
        tags: get("tags").map(list).unwrap_or_default(),
        end_line,
    };
    // The clipper's own tag is not a category.
    f.tags.retain(|t| !t.eq_ignore_ascii_case("clippings"));
    (f.title.is_some() || f.source.is_some()).then_some(Ok(f))
}

/// Hosts of pages that are one talk each: a slide deck, a proposal or a talk's video. A note
/// clipped from one is that talk, whatever headings its transcript has.
const TALK_PAGES: [(&str, &str); 7] = [
    ("speakerdeck.com/", ""),
    ("fortee.jp/", "/proposal/"),
    ("slideshare.net/", ""),
    ("docswell.com/s/", ""),
    ("youtube.com/watch", ""),
    ("youtu.be/", ""),
    ("youtube.com/live/", ""),
];

/// Is `url` the page of one talk (a deck on Speaker Deck, SlideShare or Docswell, a fortee
/// proposal, a YouTube video)?
pub fn is_talk_page(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .unwrap_or(&u);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    TALK_PAGES.iter().any(|(host, part)| {
        rest.starts_with(host) && rest.contains(part) && rest.len() > host.len()
    })
}

/// Site names that page titles of talk pages end with ("題 - Speaker Deck").
const SITE_SUFFIXES: [&str; 8] = [
    "Speaker Deck",
    "SlideShare",
    "PPT",
    "ドクセル",
    "Docswell",
    "YouTube",
    "fortee.jp",
    "fortee",
];

/// A talk page's title without the site's name ("題 - Speaker Deck" → "題"; fortee's
/// "題 by 名前 | SRE Kaigi 2030 - fortee.jp" → "題").
pub fn strip_talk_site(title: &str) -> String {
    let mut t = title.trim().to_string();
    for site in SITE_SUFFIXES {
        if let Some(rest) = t.strip_suffix(site) {
            let r = rest.trim_end();
            if let Some(r) = r.strip_suffix(['-', '|', '｜', '–', '—']) {
                t = r.trim().to_string();
                break;
            }
        }
    }
    // fortee: "題 by 名前 | イベント".
    if let Some((head, _)) = t.rsplit_once(" | ")
        && let Some((title, _)) = head.rsplit_once(" by ")
        && !title.trim().is_empty()
    {
        return title.trim().to_string();
    }
    t
}

/// The text with its frontmatter lines blanked (same line count), or the text itself.
pub fn body(text: &str) -> Cow<'_, str> {
    match block(text) {
        Some((_, end)) => {
            let mut out = String::with_capacity(text.len());
            for (i, line) in text.split_inclusive('\n').enumerate() {
                if i < end {
                    out.push_str(if line.ends_with("\r\n") { "\r\n" } else { "\n" });
                } else {
                    out.push_str(line);
                }
            }
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// A clipped note as one talk (event empty when nothing names one: the caller decides).
pub fn read(text: &str, file: &str) -> Result<Vec<(Talk, usize)>, Text> {
    let f = match front(text) {
        Some(r) => r?,
        None => {
            return Err(tr!(
                "1行目: --- の行に挟まれた YAML のフロントマターがありません",
                "line 1: expected YAML frontmatter between --- lines"
            ));
        }
    };
    let body = body(text);
    let lines: Vec<&str> = body.lines().collect();
    // Without a title in the frontmatter: the body's first heading.
    let heading = lines.iter().enumerate().find_map(|(i, l)| {
        let t = l.trim();
        t.starts_with('#')
            .then(|| (i, t.trim_start_matches('#').trim().to_string()))
            .filter(|(_, h)| !h.is_empty())
    });
    let talk_page = f.source.as_deref().is_some_and(is_talk_page);
    let page_title = f.title.as_deref().map(|t| {
        if talk_page {
            strip_talk_site(t)
        } else {
            t.to_string()
        }
    });
    // A page title is often the heading plus the site ("題 | SRE Kaigi 2030"): the heading.
    let title = match (&page_title, &heading) {
        (Some(t), Some((_, h))) if t.starts_with(h.as_str()) => h.clone(),
        (Some(t), _) => t.clone(),
        (None, Some((_, h))) => h.clone(),
        (None, None) => {
            return Err(tr!(
                "1行目: フロントマターにタイトルがなく、ノートに見出しもありません",
                "line 1: the frontmatter has no title and the note no heading"
            ));
        }
    };
    let mut t = Talk::new(title.clone());
    t.speakers = f.authors.clone();
    t.start = f.published.as_deref().and_then(|p| {
        super::fortee::iso_start(p)
            .or_else(|| super::proposals::parse_start(p.get(..10).unwrap_or(p)).map(|(d, _)| d))
    });
    t.categories = f.tags.clone();
    t.links.extend(f.source.clone());
    // The event: named in the title, source, description or tags ("SRE Kaigi 2030 での発表
    //資料です"), or at the top of the body.
    let probe = format!(
        "{}\n{}\n{}\n{}\n{}",
        f.title.as_deref().unwrap_or(&title),
        f.source.as_deref().unwrap_or(""),
        f.description.as_deref().unwrap_or(""),
        f.tags.join("\n"),
        lines
            .iter()
            .take(40)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    );
    t.event = events::detect_recap_event(&probe)
        .map(|(e, _)| e)
        .or_else(|| f.source.as_deref().and_then(fortee::event_from_url))
        .unwrap_or_default();
    if let Some(d) = &f.description {
        t.sections.push(Section {
            kind: SectionKind::Abstract,
            source: Source {
                file: file.to_string(),
                lines: [1, f.end_line],
            },
            text: d.clone(),
        });
    }
    let mut text_lines = Vec::new();
    let (mut first, mut last) = (0, 0);
    for (i, l) in lines.iter().enumerate().skip(f.end_line) {
        if heading
            .as_ref()
            .is_some_and(|(h, ht)| *h == i && *ht == title)
        {
            continue;
        }
        // A transcript's own headings ("## はじめに") are its structure: their words stay.
        let l = &l.trim_start_matches('#');
        let (rest, urls) = split_urls(l.trim());
        for u in urls {
            if !t.links.contains(&u) {
                t.links.push(u);
            }
        }
        if rest.is_empty() && !l.trim().is_empty() {
            continue;
        }
        if !l.trim().is_empty() {
            if first == 0 {
                first = i + 1;
            }
            last = i + 1;
        }
        text_lines.push(l.trim_end());
    }
    let body_text = text_lines.join("\n").trim().to_string();
    if !body_text.is_empty() {
        t.sections.push(Section {
            kind: if f.description.is_some() {
                SectionKind::Details
            } else {
                SectionKind::Abstract
            },
            source: Source {
                file: file.to_string(),
                lines: [first, last],
            },
            text: body_text,
        });
    }
    Ok(vec![(t, 1)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontmatter_fields_and_blanked_body() {
        let text = "---\ntitle: \"A talk\"\nsource: https://example.com/a\nauthor:\n  - \"[[Hanako]]\"\npublished: 2030-01-02\ntags:\n  - clippings\n  - SRE\n---\n# A talk\nBody.\n";
        let f = front(text).unwrap().unwrap();
        assert_eq!(f.title.as_deref(), Some("A talk"));
        assert_eq!(f.authors, ["Hanako"]);
        assert_eq!(f.tags, ["SRE"]);
        assert_eq!(f.end_line, 10);
        let b = body(text);
        assert_eq!(b.lines().count(), text.lines().count());
        assert!(!b.contains("title:"));
        assert!(front("no frontmatter\n").is_none());
        assert!(front("---\ntitle: [unclosed\n---\n").unwrap().is_err());
        let deep = format!("---\ntitle: {}\n---\n", "[".repeat(100));
        assert!(front(&deep).unwrap().is_err());
        // An alias bomb: refused before anything is expanded, the alias's line named.
        let mut bomb = String::from("---\ntitle: x\na0: &a0 [lol]\n");
        for i in 1..9 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        bomb.push_str("---\nbody\n");
        let e = front(&bomb).unwrap().unwrap_err().en;
        assert!(
            e.starts_with("line 4, column ") && e.contains("alias"),
            "{e}"
        );
    }
}
