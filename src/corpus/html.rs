//! Saved HTML pages ("save page as" of a fortee proposal page, a blog recap post), parsed
//! with scraper (html5ever), never with patterns over the markup.
//!
//! `extract` keeps the text of the page's main content — the first `<article>`, else
//! `<main>` / `[role=main]`, else `<body>` — as lines (blocks, list items as `- ` bullets,
//! headings on lines of their own); scripts, styles, navigation, headers, footers, asides,
//! forms and comments never reach it. The text then goes through the usual detection (a
//! recap post → recap reader, proposal pages → proposals, a pasted list → pasted); any other
//! page is one talk (`read_page`): title from the `<h1>` (else `og:title` / `<title>` minus
//! the site suffix), text from the content, track / schedule / session kind from its lines.

use scraper::{ElementRef, Html, Node, Selector};

use super::cfp;
use super::events;
use super::fortee;
use super::model::Talk;
use super::proposals::parse_start;

/// Elements whose content is never text.
const SKIP: [&str; 14] = [
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button", "svg",
    "iframe", "select", "head", "dialog",
];

/// Elements that end a line.
const BLOCK: [&str; 27] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "hr",
];

/// Does this text look like an HTML document? (the markup's opening, not a mention of it)
pub fn looks_like(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with('<') && head.contains("<head") && head.contains("<body"))
}

/// What a page gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The main content's text, one block per line.
    pub text: String,
    /// Which element the text came from (`article`, `main`, `body`).
    pub from: String,
    pub h1: Option<String>,
    pub title: Option<String>,
    pub og_title: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub site: Option<String>,
    /// Speaker names marked up as such (`class="speaker"`, its `.name`, `itemprop=author`):
    /// metadata, not abstract text.
    pub speakers: Vec<String>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn meta(doc: &Html, names: &[&str]) -> Option<String> {
    for n in names {
        let s = sel(&format!("meta[property=\"{n}\"], meta[name=\"{n}\"]"));
        if let Some(v) = doc
            .select(&s)
            .find_map(|m| m.attr("content"))
            .map(squash)
            .filter(|v| !v.is_empty())
        {
            return Some(v);
        }
    }
    None
}

struct Lines {
    out: Vec<String>,
    cur: String,
}

impl Lines {
    fn end(&mut self) {
        let l = squash(&self.cur);
        if !l.is_empty() {
            self.out.push(l);
        }
        self.cur.clear();
    }
}

fn walk(el: ElementRef<'_>, root: bool, lines: &mut Lines, depth: usize) {
    if depth > 200 {
        return;
    }
    let name = el.value().name();
    if SKIP.contains(&name) && !root {
        return;
    }
    let block = BLOCK.contains(&name);
    if block || name == "br" {
        lines.end();
    }
    if name == "li" {
        lines.cur.push_str("- ");
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => lines.cur.push_str(t),
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    walk(c, false, lines, depth + 1);
                }
            }
            _ => {}
        }
    }
    if block {
        lines.end();
    }
}

/// Parse a saved page.
pub fn extract(html: &str) -> Page {
    let doc = Html::parse_document(html);
    let (root, from) = ["article", "main", "[role=main]", "body"]
        .iter()
        .find_map(|s| doc.select(&sel(s)).next().map(|e| (e, *s)))
        .unwrap_or((doc.root_element(), "html"));
    let mut lines = Lines {
        out: Vec::new(),
        cur: String::new(),
    };
    // In <body> the page's own header is navigation; inside <article>/<main> it holds the title.
    if from == "body" || from == "html" {
        for c in root.children() {
            if let Some(e) = ElementRef::wrap(c) {
                if e.value().name() == "header" {
                    continue;
                }
                walk(e, false, &mut lines, 1);
            } else if let Node::Text(t) = c.value() {
                lines.cur.push_str(t);
            }
        }
    } else {
        walk(root, true, &mut lines, 1);
    }
    lines.end();
    let h1 = root
        .select(&sel("h1"))
        .next()
        .or_else(|| doc.select(&sel("h1")).next())
        .map(|h| squash(&h.text().collect::<String>()))
        .filter(|h| !h.is_empty());
    let title = doc
        .select(&sel("title"))
        .next()
        .map(|t| squash(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let url = meta(&doc, &["og:url"]).or_else(|| {
        doc.select(&sel("link[rel=canonical]"))
            .find_map(|l| l.attr("href"))
            .map(str::to_string)
    });
    Page {
        speakers: speakers(root),
        text: lines.out.join("\n") + "\n",
        from: from.trim_matches(['[', ']']).to_string(),
        h1,
        title,
        og_title: meta(&doc, &["og:title"]),
        description: meta(&doc, &["og:description", "description"]),
        url,
        site: meta(&doc, &["og:site_name"]),
    }
}

/// Names in the content's speaker markup, each once, in page order.
fn speakers(root: ElementRef<'_>) -> Vec<String> {
    let named = sel("[class~=speaker] [class~=name], [class~=speaker-name], [itemprop=author]");
    let mut found: Vec<String> = root
        .select(&named)
        .map(|e| squash(&e.text().collect::<String>()))
        .collect();
    if found.is_empty() {
        // A bare `.speaker` box is its name only when it is short and one line.
        found = root
            .select(&sel("[class~=speaker]"))
            .map(|e| squash(&e.text().collect::<String>()))
            .filter(|n| n.chars().count() <= 40)
            .collect();
    }
    let mut out: Vec<String> = Vec::new();
    for n in found {
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// A single proposal's page: a fortee proposal URL, or CfP form labels (■ 発表概要 …) in
/// its text. Such a page is one talk, whatever the other readers would make of its text.
pub fn is_proposal_page(page: &Page) -> bool {
    let fortee = page
        .url
        .as_deref()
        .is_some_and(|u| u.contains("fortee.jp/") && u.contains("/proposal/"));
    fortee
        || page.text.lines().any(|l| {
            l.trim()
                .strip_prefix('■')
                .and_then(super::proposals::heading_kind)
                .is_some_and(|k| k == "abstract")
        })
}

/// A page title without its site suffix: "題 | fortee" → "題".
pub fn strip_site(title: &str, site: Option<&str>) -> String {
    let t = title.trim();
    if let Some(s) = site.filter(|s| !s.is_empty())
        && let Some(rest) = t.strip_suffix(s)
    {
        let r = rest
            .trim_end()
            .trim_end_matches(['|', '-', '–', '—', '｜', ':'])
            .trim();
        if !r.is_empty() {
            return r.to_string();
        }
    }
    for sep in [" | ", " ｜ ", "｜", " - ", " – ", " — "] {
        if let Some((head, _)) = t.rsplit_once(sep)
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    t.to_string()
}

/// The page as one talk (event empty when nothing names one: the caller decides).
pub fn read_page(page: &Page, file: &str) -> Vec<(Talk, usize)> {
    let title = page
        .h1
        .clone()
        .or_else(|| {
            page.og_title
                .as_deref()
                .or(page.title.as_deref())
                .map(|t| strip_site(t, page.site.as_deref()))
        })
        .unwrap_or_default();
    if title.is_empty() {
        return vec![];
    }
    let mut t = Talk::new(title.clone());
    t.speakers = page.speakers.clone();
    let mut body: Vec<&str> = Vec::new();
    let mut first = 0usize;
    for (i, l) in page.text.lines().enumerate() {
        let s = l.trim();
        if s == title || page.speakers.iter().any(|n| n == s) {
            continue;
        }
        if t.start.is_none()
            && let Some((start, _)) = parse_start(s)
        {
            t.start = Some(start);
            continue;
        }
        let lower = s.to_lowercase();
        if t.room.is_none()
            && s.chars().count() <= 24
            && (lower.starts_with("track") || s.starts_with("ルーム") || s.starts_with("Room"))
        {
            t.room = Some(s.to_string());
            continue;
        }
        if t.session_kind.is_none()
            && s.chars().count() <= 24
            && (s.contains("分)")
                || s.contains("分）")
                || s.starts_with("セッション")
                || s.starts_with("LT"))
        {
            t.session_kind = Some(s.to_string());
            continue;
        }
        if first == 0 {
            first = i + 1;
        }
        body.push(l);
    }
    let text = if body.is_empty() {
        page.description.clone().unwrap_or_default()
    } else {
        body.join("\n")
    };
    let n = page.text.lines().count().max(1);
    let form = cfp::split(&text, file, [first.max(1), n]);
    t.sections = form.sections;
    t.categories = form.categories;
    t.links.extend(page.url.clone());
    for l in form.links {
        if !t.links.contains(&l) {
            t.links.push(l);
        }
    }
    let probe = format!(
        "{}\n{}\n{}",
        page.title.as_deref().unwrap_or(&title),
        page.url.as_deref().unwrap_or(""),
        page.text.lines().take(20).collect::<Vec<_>>().join("\n")
    );
    t.event = events::detect_recap_event(&probe)
        .map(|(e, _)| e)
        .or_else(|| page.url.as_deref().and_then(fortee::event_from_url))
        .unwrap_or_default();
    vec![(t, 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_navigation_never_reach_the_text() {
        let p = extract(
            "<!DOCTYPE html><html><head><title>T | Site</title><style>.a{}</style></head>\
             <body><header><nav>ホーム</nav></header><script>var x = 1;</script>\
             <p>本文 <b>太字</b> です。</p><ul><li>一</li><li>二</li></ul>\
             <footer>Copyright</footer></body></html>",
        );
        assert_eq!(p.text, "本文 太字 です。\n- 一\n- 二\n");
        assert_eq!(p.from, "body");
        assert_eq!(strip_site(p.title.as_deref().unwrap(), None), "T");
        assert!(looks_like("  <!doctype html><p>x"));
        assert!(!looks_like("HTMLの話: <html> タグ"));
    }
}
