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

use crate::error::Text;
use scraper::{ElementRef, Html, HtmlTreeSink, Node, Selector};

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

/// Deepest element nesting read. Saved pages nest 20–60 deep (a few hundred at the very
/// most); html5ever's tree builder spends time in proportion to the depth at every tag, so
/// 80k nested `<div>` took 23 s: deeper markup is refused, its tree builder fed
/// nothing past that depth.
pub const MAX_DEPTH: usize = 512;

/// Elements that never hold others (no end tag), or whose end tag is optional and that do not
/// nest in practice (`<p>`, `<li>`, table cells): not counted as nesting.
const NOT_NESTING: [&str; 30] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup",
    "tr", "td", "th", "tbody", "thead", "tfoot",
];

/// The open elements of a page as the depth limit counts them, from its tag tokens: linear
/// in the size of the text (each end tag is matched among the few innermost open elements).
/// Hand-written because no crate offers a depth limit.
#[derive(Default)]
struct Nesting {
    open: Vec<html5ever::LocalName>,
    /// How many of each name are open: a stray end tag is seen in O(1).
    count: std::collections::HashMap<html5ever::LocalName, usize>,
    /// The line where the nesting first went past [`MAX_DEPTH`].
    too_deep: Option<u64>,
}

impl Nesting {
    fn tag(&mut self, tag: &html5ever::tokenizer::Tag, line: u64) {
        use html5ever::tokenizer::TagKind;
        match tag.kind {
            TagKind::StartTag => {
                if !tag.self_closing && !NOT_NESTING.contains(&&*tag.name) {
                    self.open.push(tag.name.clone());
                    *self.count.entry(tag.name.clone()).or_default() += 1;
                    if self.open.len() > MAX_DEPTH && self.too_deep.is_none() {
                        self.too_deep = Some(line);
                    }
                }
            }
            TagKind::EndTag => {
                // Closing an element closes the unclosed ones inside it (each element is
                // popped once: linear overall); a stray end tag closes nothing.
                if self.count.get(&tag.name).is_some_and(|n| *n > 0) {
                    while let Some(n) = self.open.pop() {
                        if let Some(c) = self.count.get_mut(&n) {
                            *c -= 1;
                        }
                        if n == tag.name {
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// The tree builder behind a nesting count: it sees the tokens only while the page nests at
/// most [`MAX_DEPTH`] deep (its time per tag grows with the depth: 80k nested `<div>` took
/// 23 s), so the one tokenizer pass both checks the depth and builds the tree.
struct DepthGuard<S> {
    inner: S,
    nesting: std::cell::RefCell<Nesting>,
}

impl<S: html5ever::tokenizer::TokenSink> html5ever::tokenizer::TokenSink for DepthGuard<S> {
    type Handle = S::Handle;

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<S::Handle> {
        use html5ever::tokenizer::{Token, TokenSinkResult};
        {
            let mut n = self.nesting.borrow_mut();
            if let Token::TagToken(tag) = &token {
                n.tag(tag, line);
            }
            // Too deep: the rest is only tokenized (linear), the tree is never read.
            if n.too_deep.is_some() {
                return TokenSinkResult::Continue;
            }
        }
        // The tree builder says when a script's or a style's text is not markup.
        self.inner.process_token(token, line)
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// `Html::parse_document` with the depth limit: `Err` says how deep and on which line when
/// the page nests deeper than [`MAX_DEPTH`] (not counting elements in [`NOT_NESTING`]).
/// One tokenizer pass: a separate checking pass was a seventh of reading a large page.
fn parse_document(html: &str) -> Result<Html, Text> {
    use html5ever::TokenizerResult;
    use html5ever::tokenizer::{BufferQueue, Tokenizer};
    use html5ever::tree_builder::TreeBuilder;
    // What `Html::parse_document` does (html5ever's `driver::parse_document(..).one(html)`),
    // with the guard between the tokenizer and the tree builder.
    let opts = html5ever::ParseOpts::default();
    let builder = TreeBuilder::new(HtmlTreeSink::new(Html::new_document()), opts.tree_builder);
    let guard = DepthGuard {
        inner: builder,
        nesting: Default::default(),
    };
    let tok = Tokenizer::new(guard, opts.tokenizer);
    let input = BufferQueue::default();
    input.push_back(html.into());
    // A script's end or a `<meta charset>` pauses the tokenizer: go on to the end, as the
    // driver does.
    while !matches!(tok.feed(&input), TokenizerResult::Done) {}
    tok.end();
    if let Some(line) = tok.sink.nesting.borrow().too_deep {
        return Err(tr!(
            "{line}行目: HTML の要素の入れ子が{MAX_DEPTH}段より深く、読める保存ページではありません",
            "line {line}: HTML nests more than {MAX_DEPTH} elements deep; not a saved page this reader takes"
        ));
    }
    Ok(html5ever::tree_builder::TreeSink::finish(
        tok.sink.inner.sink,
    ))
}

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
    /// The main content's text, one block per line (table rows as tab-separated cells).
    pub text: String,
    /// The text of the page's element marked `abstract` (fortee's proposal abstract): on a
    /// fortee page, the abstract without the card's event line, like count and login box.
    pub abstract_text: Option<String>,
    /// Which extraction gave it: `readability` (dom_smoothie's scoring of the page's
    /// blocks), else the first `article`, `main`, `role=main` or `body`.
    pub from: String,
    /// The whole body's text without navigation, header, footer and asides: where a
    /// timetable grid or a proposal's schedule lines are when readability left them out.
    pub body: String,
    pub h1: Option<String>,
    pub title: Option<String>,
    pub og_title: Option<String>,
    pub description: Option<String>,
    pub url: Option<String>,
    pub site: Option<String>,
    /// Speaker names marked up as such (`class="speaker"`, its `.name`, `itemprop=author`,
    /// JSON-LD `author` / `performer`): metadata, not abstract text.
    pub speakers: Vec<String>,
    /// JSON-LD of the page (`<script type="application/ld+json">`): what it names.
    pub ld: LinkedData,
    /// Who the page names as its author (`meta name=author`, `rel=author`, an `author`
    /// class's link): the speaker of a deck or a video page.
    pub authors: Vec<String>,
    /// fortee's timetable grid, when the page is one (`fortee_grid`).
    pub grid: Option<super::fortee_grid::Grid>,
    /// A Speaker Deck deck's parts, when the page is one (`speakerdeck`).
    pub deck: Option<super::speakerdeck::Deck>,
    /// The day of the event the page announces: JSON-LD `Event`'s `startDate`, else the
    /// date of connpass's schedule box (`.event_schedule_area .dtstart .ymd`, in the side
    /// column after the description), as `YYYY/MM/DD`.
    pub event_date: Option<String>,
}

/// What a page's JSON-LD says (first object of each kind that has it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkedData {
    /// `@type` of the object read (`Event`, `BlogPosting`, `PresentationDigitalDocument`…).
    pub kind: Option<String>,
    /// `name` or `headline`.
    pub name: Option<String>,
    pub description: Option<String>,
    /// `startDate` or `datePublished`.
    pub date: Option<String>,
    /// `location.name`.
    pub location: Option<String>,
    pub authors: Vec<String>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    squash_into(&mut out, s);
    out
}

/// Append `s` with each run of white space one space and none at either end.
fn squash_into(out: &mut String, s: &str) {
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// The `content` of the first `<meta>` with one whose property or name is a name of `names`
/// (tried in order, an empty content passing to the next name). `metas` are the page's meta elements, collected once: a selector per
/// name walked the whole tree each time (11 walks of a 100k-heading recap).
fn meta(metas: &[ElementRef<'_>], names: &[&str]) -> Option<String> {
    for n in names {
        if let Some(v) = metas
            .iter()
            .filter(|m| m.attr("property") == Some(*n) || m.attr("name") == Some(*n))
            .find_map(|m| m.attr("content"))
            .map(squash)
            .filter(|v| !v.is_empty())
        {
            return Some(v);
        }
    }
    None
}

struct Lines<'a> {
    /// The lines so far, each ending in a newline (one string, not a string per line: a
    /// 100k-heading page has 200k lines).
    out: String,
    cur: String,
    /// An element whose lines are wanted too (the semantic main content inside the body).
    part: Option<ElementRef<'a>>,
    /// Where the part's lines are in `out`, when the walk gave them as a walk of it alone
    /// would.
    part_span: Option<(usize, usize)>,
    /// Elements left out for their depth so far.
    cuts: usize,
}

impl<'a> Lines<'a> {
    fn new() -> Lines<'a> {
        Lines {
            out: String::new(),
            cur: String::new(),
            part: None,
            part_span: None,
            cuts: 0,
        }
    }

    fn end(&mut self) {
        // A list item whose text is in a block inside it ("<li><p>…"): the bullet waits
        // for that text.
        if self.cur.trim() == "-" {
            return;
        }
        // Cells keep their tabs; other runs of white space are one space (so no cell, and
        // no line, starts or ends with a space).
        let start = self.out.len();
        for (i, cell) in self.cur.split('\t').enumerate() {
            if i > 0 {
                self.out.push('\t');
            }
            squash_into(&mut self.out, cell);
        }
        if self.out[start..].trim().is_empty() {
            self.out.truncate(start);
        } else {
            self.out.push('\n');
        }
        self.cur.clear();
    }

    /// The lines, one per line and a newline at the end (a lone newline when there are none).
    fn text(mut self) -> String {
        if self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

fn walk<'a>(el: ElementRef<'a>, root: bool, lines: &mut Lines<'a>, depth: usize) {
    if depth > MAX_DEPTH {
        lines.cuts += 1;
        return;
    }
    let name = el.value().name();
    if SKIP.contains(&name) && !root {
        return;
    }
    // A table row is one line of tab-separated cells (as a browser copies it).
    let cell = matches!(name, "td" | "th");
    let block = BLOCK.contains(&name) && !cell;
    if block || name == "br" {
        lines.end();
    }
    // The part's lines are those a walk of it alone gives when it starts on a fresh line, is
    // a block that adds nothing to its lines' text (not `li`, `tr`) and loses nothing to the
    // depth limit (its depths here are deeper than alone).
    let part =
        (lines.part == Some(el) && block && !matches!(name, "li" | "tr") && lines.cur.is_empty())
            .then_some((lines.out.len(), lines.cuts));
    if name == "li" {
        lines.cur.push_str("- ");
    }
    if name == "a"
        && let Some(href) = link_named_by_its_host(el)
    {
        lines.cur.push_str(&href);
        return;
    }
    for child in el.children() {
        match child.value() {
            // A tab in text is a space: only a cell's end is a tab.
            Node::Text(t) => {
                for (i, piece) in t.split('\t').enumerate() {
                    if i > 0 {
                        lines.cur.push(' ');
                    }
                    lines.cur.push_str(piece);
                }
            }
            Node::Element(_) => {
                if let Some(c) = ElementRef::wrap(child) {
                    walk(c, false, lines, depth + 1);
                }
            }
            _ => {}
        }
    }
    if cell {
        lines.cur.push('\t');
    }
    if block {
        if name == "tr" {
            // No trailing tab after the last cell.
            let t = lines.cur.trim_end_matches('\t').len();
            lines.cur.truncate(t);
        }
        lines.end();
    }
    if let Some((start, cuts)) = part
        && lines.cuts == cuts
    {
        lines.part_span = Some((start, lines.out.len()));
    }
}

/// The target of a link whose text is only its site's name — a blog's embed card
/// (Hatena Blog's `<cite class="hatena-citation"><a href="https://speakerdeck.com/…">speakerdeck.com</a>`
/// under the slides' iframe): the URL says which deck, the text nothing, and a bare
/// host name would read as a heading.
fn link_named_by_its_host(a: ElementRef<'_>) -> Option<String> {
    let href = a.attr("href")?.trim();
    let parsed = url::Url::parse(href).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.path().len() <= 1 {
        return None;
    }
    let host = parsed.host_str()?;
    let text = squash(&a.text().collect::<String>());
    let bare = |h: &str| h.strip_prefix("www.").unwrap_or(h).to_ascii_lowercase();
    (!text.is_empty() && bare(&text) == bare(host)).then(|| href.to_string())
}

/// The text of `root`'s content as lines; in `<body>` its top-level `<header>` is navigation
/// (inside `<article>`/`<main>` it holds the title).
fn text_of(root: ElementRef<'_>, is_body: bool) -> String {
    text_and_part(root, is_body, None).0
}

/// `text_of(root, is_body)` and, when the walk gave them as `text_of(part, false)` would, the
/// lines of `part` (an element inside `root`): one walk instead of two of a large page.
fn text_and_part<'a>(
    root: ElementRef<'a>,
    is_body: bool,
    part: Option<ElementRef<'a>>,
) -> (String, Option<String>) {
    let mut lines = Lines::new();
    lines.part = part;
    if is_body {
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
    let part = lines.part_span.map(|(a, b)| match &lines.out[a..b] {
        "" => "\n".to_string(),
        t => t.to_string(),
    });
    (lines.text(), part)
}

/// Most elements readability scores; a larger page is read by its `<article>` / `<main>` /
/// `<body>` instead (dom_smoothie refuses it, and scoring it would take long).
const MAX_READABILITY_ELEMENTS: usize = 50_000;

/// The main content found by readability (dom_smoothie: Mozilla Readability's scoring of
/// the page's blocks), as lines; `None` when it finds none.
fn readability_text(html: &str, url: Option<&str>) -> Option<String> {
    let cfg = dom_smoothie::Config {
        max_elements_to_parse: MAX_READABILITY_ELEMENTS,
        ..Default::default()
    };
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let mut r = dom_smoothie::Readability::new(html, url, Some(cfg))
        .or_else(|_| dom_smoothie::Readability::new(html, None, None))
        .ok()?;
    let article = r.parse().ok()?;
    let frag = Html::parse_fragment(&article.content);
    let text = text_of(frag.root_element(), false);
    (text.trim().chars().count() >= 20).then_some(text)
}

/// The URL a saved page came from: `og:url`, the canonical link, else the comment browsers
/// write when saving a complete page (`<!-- saved from url=(0044)https://… -->`).
fn page_url(doc: &Html, metas: &[ElementRef<'_>], html: &str) -> Option<String> {
    meta(metas, &["og:url"])
        .or_else(|| {
            doc.select(&sel("link[rel=canonical]"))
                .find_map(|l| l.attr("href"))
                .map(str::to_string)
        })
        .or_else(|| {
            // fortee's proposal pages have neither: their share image names the proposal
            // (`https://fortee.jp/<event>/proposal/og-image/<uuid>.png`).
            let image = meta(metas, &["og:image", "twitter:image"])?;
            let (base, file) = image.split_once("/proposal/og-image/")?;
            let uuid = file.strip_suffix(".png")?;
            (base.contains("fortee.jp/") && !uuid.is_empty() && !uuid.contains('/'))
                .then(|| format!("{base}/proposal/{uuid}"))
        })
        .or_else(|| {
            let head = html.get(..html.len().min(4096)).unwrap_or("");
            let rest = head.split("saved from url=(").nth(1)?;
            let url = rest.split_once(')')?.1;
            let end = url.find([' ', '-', '>']).unwrap_or(url.len());
            Some(url[..end].trim().to_string()).filter(|u| u.starts_with("http"))
        })
}

fn ld_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(squash(s)).filter(|s| !s.is_empty()),
        serde_json::Value::Object(o) => o.get("name").and_then(ld_text),
        serde_json::Value::Array(a) => a.iter().find_map(ld_text),
        _ => None,
    }
}

fn ld_names(v: Option<&serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(ld_text).collect(),
        Some(v) => ld_text(v).into_iter().collect(),
        None => vec![],
    }
}

/// The page's JSON-LD: the first object (top level, in an array or an `@graph`) that names
/// something, preferring an `Event` or a talk-like document over breadcrumbs and sites.
fn linked_data(doc: &Html) -> LinkedData {
    let mut objects: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
    for script in doc.select(&sel("script[type=\"application/ld+json\"]")) {
        let text: String = script.text().collect();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(a) => stack.extend(a.into_iter().rev()),
                serde_json::Value::Object(mut o) => {
                    if let Some(g) = o.remove("@graph") {
                        stack.push(g);
                    }
                    objects.push(o);
                }
                _ => {}
            }
            if objects.len() > 64 {
                break;
            }
        }
    }
    let kind = |o: &serde_json::Map<String, serde_json::Value>| {
        o.get("@type").and_then(ld_text).unwrap_or_default()
    };
    let rank = |o: &serde_json::Map<String, serde_json::Value>| match kind(o).as_str() {
        k if k.ends_with("Event") => 0,
        "PresentationDigitalDocument" | "CreativeWork" | "VideoObject" | "DigitalDocument" => 1,
        "BlogPosting" | "Article" | "NewsArticle" | "TechArticle" => 2,
        "BreadcrumbList" | "WebSite" | "Organization" | "Person" | "ImageObject" => 9,
        _ => 5,
    };
    let Some(o) = objects
        .iter()
        .filter(|o| rank(o) < 9 && (o.contains_key("name") || o.contains_key("headline")))
        .min_by_key(|o| rank(o))
    else {
        return LinkedData::default();
    };
    LinkedData {
        kind: Some(kind(o)).filter(|k| !k.is_empty()),
        name: o.get("name").or(o.get("headline")).and_then(ld_text),
        description: o.get("description").and_then(ld_text),
        date: o
            .get("startDate")
            .or(o.get("datePublished"))
            .and_then(ld_text),
        location: o.get("location").and_then(ld_text),
        authors: {
            let mut a = ld_names(o.get("author"));
            a.extend(ld_names(o.get("performer")));
            a
        },
    }
}

/// Parse a saved page; `Err` (one line) when it nests deeper than [`MAX_DEPTH`].
pub fn extract(html: &str) -> Result<Page, Text> {
    let doc = parse_document(html)?;
    let body_el = doc
        .select(&sel("body"))
        .next()
        .unwrap_or(doc.root_element());
    // Readability's pick of the main content, else the semantic main content where the page
    // marks it, else the body without its header.
    let semantic = ["article", "main", "[role=main]"]
        .iter()
        .find_map(|s| doc.select(&sel(s)).next().map(|e| (e, *s)));
    let (body, semantic_text) = text_and_part(body_el, true, semantic.map(|(e, _)| e));
    let metas: Vec<ElementRef<'_>> = doc.select(&sel("meta")).collect();
    let url = page_url(&doc, &metas, html);
    // dom_smoothie refuses a page over its element limit only after parsing it a second
    // time; the count of this parse (the same html5ever tree) spares that parse.
    let elements = doc.tree.nodes().filter(|n| n.value().is_element()).count();
    let readable = (elements <= MAX_READABILITY_ELEMENTS)
        .then(|| readability_text(html, url.as_deref()))
        .flatten();
    let (root, text, from) = match readable {
        Some(t) => (
            semantic.map_or(body_el, |(e, _)| e),
            t,
            "readability".to_string(),
        ),
        None => match semantic {
            Some((e, s)) => (
                e,
                semantic_text.unwrap_or_else(|| text_of(e, false)),
                s.trim_matches(['[', ']']).to_string(),
            ),
            None => (body_el, body.clone(), "body".to_string()),
        },
    };
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
    let ld = linked_data(&doc);
    let mut speakers = speakers(root);
    if speakers.is_empty() {
        speakers = ld.authors.clone();
    }
    let mut authors: Vec<String> = meta(&metas, &["author"]).into_iter().collect();
    for e in doc.select(&sel("[rel=author], [class*=author] a")) {
        let n = squash(&e.text().collect::<String>());
        if !n.is_empty() && n.chars().count() <= 40 && !authors.contains(&n) {
            authors.push(n);
        }
    }
    authors.truncate(4);
    let abstract_text = doc
        .select(&sel("[class~=abstract]"))
        .next()
        .map(|e| text_of(e, false))
        .filter(|t| !t.trim().is_empty());
    // Relative proposal links of a fortee grid are on the page's host.
    let base = url
        .as_deref()
        .and_then(|u| u.find("fortee.jp").map(|i| &u[..i + "fortee.jp".len()]))
        .unwrap_or("https://fortee.jp")
        .to_string();
    let grid = super::fortee_grid::read(&doc, html, &base).filter(|g| !g.talks.is_empty());
    let deck = url
        .as_deref()
        .filter(|u| u.contains("speakerdeck.com/"))
        .and_then(|u| super::speakerdeck::read(&doc, u));
    let event_date = ld
        .date
        .as_deref()
        .filter(|_| ld.kind.as_deref().is_some_and(|k| k.ends_with("Event")))
        .and_then(|d| d.get(..10))
        .filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-')
        .map(|d| d.replace('-', "/"))
        .or_else(|| {
            doc.select(&sel(".event_schedule_area .dtstart .ymd"))
                .next()
                .map(|e| {
                    // "2030/05/20(月)": the date without its weekday.
                    e.text()
                        .collect::<String>()
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '/')
                        .collect::<String>()
                })
                .filter(|d| parse_start(&format!("{d} 00:00")).is_some())
        });
    Ok(Page {
        event_date,
        deck,
        grid,
        abstract_text,
        authors,
        speakers,
        text,
        from,
        body,
        h1,
        title,
        og_title: meta(&metas, &["og:title", "twitter:title"]),
        description: meta(
            &metas,
            &["og:description", "description", "twitter:description"],
        ),
        url,
        site: meta(&metas, &["og:site_name"]),
        ld,
    })
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
        // Its links are the speaker's accounts (fortee: the X handle beside the name).
        found = root
            .select(&sel("[class~=speaker]"))
            .map(|e| squash(&text_outside_links(e)))
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

/// The text of `el` without the text of the links in it.
fn text_outside_links(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in el.children() {
        if let Some(child) = ElementRef::wrap(node) {
            if child.value().name() != "a" {
                out.push_str(&text_outside_links(child));
                out.push(' ');
            }
        } else if let Some(text) = node.value().as_text() {
            out.push_str(text);
        }
    }
    out
}

/// A single proposal's page: a fortee proposal URL, or CfP form labels (■ 発表概要 …) in
/// its text. Such a page is one talk, whatever the other readers would make of its text.
pub fn is_proposal_page(page: &Page) -> bool {
    // A fortee proposal, a deck on Speaker Deck / Docswell / SlideShare, a talk's video.
    page.url.as_deref().is_some_and(super::clip::is_talk_page)
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

/// Is the page a fortee page (its URL or site name says so)?
fn is_fortee(page: &Page) -> bool {
    page.url
        .as_deref()
        .is_some_and(|u| u.contains("fortee.jp/"))
        || page.site.as_deref().is_some_and(|s| s.contains("fortee"))
}

/// The page's title as a reader shows it: JSON-LD's name of an event, else `og:title` /
/// `<title>` without the site's name, else the `<h1>`.
pub fn page_title(page: &Page) -> Option<String> {
    let from_meta = page
        .og_title
        .as_deref()
        .or(page.title.as_deref())
        .map(|t| strip_site(&super::clip::strip_talk_site(t), page.site.as_deref()));
    page.ld
        .name
        .clone()
        .filter(|_| {
            page.ld
                .kind
                .as_deref()
                .is_some_and(|k| k.ends_with("Event"))
        })
        .or(from_meta)
        .or(page.h1.clone())
        .filter(|t| !t.is_empty())
}

/// The text the readers see of a page that is not one proposal: its title (where a recap's
/// or a list's event is named), the event's date when the page announces one (it dates a
/// timetable's times: connpass shows it in the side column, after the description), then
/// the main content.
pub fn reader_text(page: &Page, text: &str) -> String {
    let head: Vec<&str> = text.lines().take(5).collect();
    let mut out = String::new();
    if let Some(t) = page_title(page).filter(|t| {
        !head[..head.len().min(3)]
            .iter()
            .any(|l| l.contains(t.as_str()))
    }) {
        out.push_str(&t);
        out.push('\n');
    }
    if let Some(d) = page
        .event_date
        .as_deref()
        .filter(|d| !head.iter().any(|l| l.contains(d)))
    {
        out.push_str(d);
        out.push('\n');
    }
    out.push_str(text);
    out
}

/// "March 08, 2030", "Mar 8, 2030" (the date line of a deck or video page) → "2030-03-08".
fn english_date(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let [m, d, y] = words.as_slice() else {
        return None;
    };
    let lower = m.to_ascii_lowercase();
    let month = MONTHS.iter().position(|p| lower.starts_with(p))? + 1;
    let (d, y): (u32, u32) = (d.parse().ok()?, y.parse().ok()?);
    ((1..=31).contains(&d) && (1900..=2200).contains(&y))
        .then(|| format!("{y:04}-{month:02}-{d:02}"))
}

/// A schedule line of a proposal page: (start, room, session kind) it gives.
fn schedule(s: &str) -> (Option<String>, Option<String>, Option<String>) {
    if let Some(start) = parse_start(s).map(|(d, _)| d).or_else(|| english_date(s)) {
        return (Some(start), None, None);
    }
    let lower = s.to_lowercase();
    if s.chars().count() <= 24
        && (lower.starts_with("track") || s.starts_with("ルーム") || s.starts_with("Room"))
    {
        return (None, Some(s.to_string()), None);
    }
    if s.chars().count() <= 24
        && (s.contains("分)")
            || s.contains("分）")
            || s.starts_with("セッション")
            || s.starts_with("LT"))
    {
        return (None, None, Some(s.to_string()));
    }
    (None, None, None)
}

/// The talks of a fortee timetable page's grid, each at its link's line; its breaks are
/// skipped break rows. Event: a known series + year in the page's title (`タイムテーブル |
/// SRE Kaigi 2031 #srekaigi - fortee.jp`), else the event slug of the proposal links.
pub fn read_grid(
    page: &Page,
    grid: &super::fortee_grid::Grid,
) -> (Vec<(Talk, usize)>, Vec<super::log::Skipped>) {
    let event = events::detect_recap_event(page.title.as_deref().unwrap_or(""))
        .map(|(e, _)| e)
        .or_else(|| {
            grid.talks
                .iter()
                .find_map(|c| c.url.as_deref().and_then(fortee::event_from_url))
        })
        .unwrap_or_default();
    let talks = grid
        .talks
        .iter()
        .map(|c| {
            let mut t = Talk::new(c.title.clone());
            t.event = event.clone();
            t.speakers = c.speakers.clone();
            t.start = c.start.clone();
            t.room = c.track.clone();
            t.session_kind = c.minutes.map(|m| format!("{m}分"));
            t.links.extend(c.url.clone());
            (t, c.line)
        })
        .collect();
    let skipped = grid
        .breaks
        .iter()
        .map(|c| {
            super::log::Skipped::new([c.line, c.line], &c.title, super::log::SkipReason::BreakRow)
        })
        .collect();
    (talks, skipped)
}

/// A Speaker Deck deck as one talk: its description the abstract, its transcript the
/// details, its owner the speaker, its date line the start; the event a known series + year
/// in the title, description or the first slides (event empty when none: the caller decides).
fn read_deck(page: &Page, deck: &super::speakerdeck::Deck, title: String, file: &str) -> Talk {
    use super::model::{Section, SectionKind, Source};
    let mut t = Talk::new(title);
    t.speakers = deck.owner.clone().into_iter().collect();
    t.start = deck
        .date
        .as_deref()
        .and_then(english_date)
        .or_else(|| page.ld.date.as_deref().and_then(fortee::iso_start));
    let description = deck.description.clone().or(page.description.clone());
    let mut line = 1;
    for (kind, text) in [
        (SectionKind::Abstract, description.as_deref()),
        (SectionKind::Details, deck.transcript.as_deref()),
    ] {
        let Some(text) = text.map(str::trim).filter(|x| !x.is_empty()) else {
            continue;
        };
        let n = text.lines().count();
        t.sections.push(Section {
            kind,
            source: Source {
                file: file.to_string(),
                lines: [line, line + n - 1],
            },
            text: text.to_string(),
        });
        line += n;
    }
    t.links.extend(page.url.clone());
    let probe = format!(
        "{}\n{}\n{}",
        t.title,
        description.as_deref().unwrap_or(""),
        deck.transcript
            .as_deref()
            .unwrap_or("")
            .lines()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    );
    t.event = events::detect_recap_event(&probe)
        .map(|(e, _)| e)
        .unwrap_or_default();
    t
}

/// The page as one talk (event empty when nothing names one: the caller decides).
pub fn read_page(page: &Page, file: &str) -> Vec<(Talk, usize)> {
    let fortee = is_fortee(page);
    let meta_title = page
        .og_title
        .as_deref()
        .or(page.title.as_deref())
        .map(|t| strip_site(&super::clip::strip_talk_site(t), page.site.as_deref()));
    // fortee's og:title is "題 by 名前 | イベント - fortee.jp": the talk's own title, where
    // the page's <h1> may be the event's.
    let title = if fortee {
        meta_title.clone().or(page.h1.clone())
    } else {
        page.h1
            .clone()
            .or(page.ld.name.clone())
            .or(meta_title.clone())
    }
    .unwrap_or_default();
    if title.is_empty() {
        return vec![];
    }
    if let Some(deck) = &page.deck {
        return vec![(read_deck(page, deck, title, file), 1)];
    }
    let mut t = Talk::new(title.clone());
    t.speakers = page.speakers.clone();
    let talk_page = page.url.as_deref().is_some_and(super::clip::is_talk_page);
    if t.speakers.is_empty() && talk_page && !fortee {
        t.speakers = page
            .ld
            .authors
            .iter()
            .chain(&page.authors)
            .take(1)
            .cloned()
            .collect();
    }
    if t.speakers.is_empty()
        && fortee
        && let Some(by) = page
            .og_title
            .as_deref()
            .and_then(|o| o.split(" | ").next())
            .and_then(|h| h.rsplit_once(" by "))
            .map(|(_, who)| who.trim().to_string())
            .filter(|w| !w.is_empty())
    {
        t.speakers = vec![by];
    }
    // The content: readability's text, or — when that left out the CfP form's labels the
    // body has — the body from the title on.
    let has_labels = |text: &str| {
        text.lines().any(|l| {
            l.trim()
                .strip_prefix('■')
                .and_then(super::proposals::heading_kind)
                .is_some()
        })
    };
    let content: String = if let Some(a) = page.abstract_text.as_ref().filter(|_| fortee) {
        a.clone()
    } else if !has_labels(&page.text) && has_labels(&page.body) {
        let lines: Vec<&str> = page.body.lines().collect();
        let from = lines.iter().position(|l| l.trim() == title).unwrap_or(0);
        lines[from..].join("\n")
    } else {
        page.text.clone()
    };
    let statuses = ["採択", "採用", "Accepted", "不採択", "落選"];
    let mut body: Vec<&str> = Vec::new();
    let mut first = 0usize;
    for (i, l) in content.lines().enumerate() {
        let s = l.trim();
        if s == title || t.speakers.iter().any(|n| n == s) || statuses.contains(&s) {
            continue;
        }
        match schedule(s) {
            (Some(start), _, _) if t.start.is_none() => {
                t.start = Some(start);
                continue;
            }
            (_, Some(room), _) if t.room.is_none() => {
                t.room = Some(room);
                continue;
            }
            (_, _, Some(kind)) if t.session_kind.is_none() => {
                t.session_kind = Some(kind);
                continue;
            }
            _ => {}
        }
        if first == 0 {
            first = i + 1;
        }
        body.push(l);
    }
    // Schedule lines readability left out are in the body.
    if fortee {
        for l in page.body.lines() {
            match schedule(l.trim()) {
                (Some(start), _, _) if t.start.is_none() => t.start = Some(start),
                (_, Some(room), _) if t.room.is_none() => t.room = Some(room),
                (_, _, Some(kind)) if t.session_kind.is_none() => t.session_kind = Some(kind),
                _ => {}
            }
        }
    }
    let text = if body.is_empty() {
        page.description
            .clone()
            .or(page.ld.description.clone())
            .unwrap_or_default()
    } else {
        body.join("\n")
    };
    let n = content.lines().count().max(1);
    let form = cfp::split(&text, file, [first.max(1), n]);
    t.sections = form.sections;
    t.categories = form.categories;
    t.links.extend(page.url.clone());
    for l in form.links {
        if !t.links.contains(&l) {
            t.links.push(l);
        }
    }
    if t.start.is_none() {
        t.start = page.ld.date.as_deref().and_then(fortee::iso_start);
    }
    let probe = format!(
        "{}\n{}\n{}\n{}",
        page.title.as_deref().unwrap_or(&title),
        page.url.as_deref().unwrap_or(""),
        page.description.as_deref().unwrap_or(""),
        content.lines().take(20).collect::<Vec<_>>().join("\n")
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
        )
        .unwrap();
        assert_eq!(p.text, "本文 太字 です。\n- 一\n- 二\n");
        assert_eq!(p.from, "body");
        assert_eq!(strip_site(p.title.as_deref().unwrap(), None), "T");
        assert!(looks_like("  <!doctype html><p>x"));
        assert!(!looks_like("HTMLの話: <html> タグ"));
    }

    #[test]
    fn the_main_contents_lines_from_the_body_walk_are_those_of_its_own_walk() {
        // 600 elements deep in the tree, 150 as the depth limit counts (`NOT_NESTING`).
        let deep = format!("{}x", "<table><tr><td>".repeat(150));
        for (body, taken) in [
            (
                "<p>前</p><article><h2>題</h2><ul><li>一</li></ul></article><p>後</p>",
                true,
            ),
            ("<div>前<article>本文</article>後</div>", true),
            ("<article></article>", true),
            // A bullet waiting for its text, a skipped box, the depth limit: walked alone.
            ("<ul><li><article><p>本文</p></article></li></ul>", false),
            ("<form><article>本文</article></form>", false),
            (&format!("<article>{deep}</article>"), false),
        ] {
            let doc = parse_document(&format!("<!doctype html><html><body>{body}</body></html>"))
                .unwrap();
            let body_el = doc.select(&sel("body")).next().unwrap();
            let article = doc.select(&sel("article")).next().unwrap();
            let (whole, part) = text_and_part(body_el, true, Some(article));
            assert_eq!(whole, text_of(body_el, true), "{body}");
            assert_eq!(part.is_some(), taken, "{body}");
            if let Some(part) = part {
                assert_eq!(part, text_of(article, false), "{body}");
            }
        }
    }
}
