//! KWIC (keyword in context): every occurrence of a term in the talks' texts, with the words
//! around it, as KH Coder's concordance shows them.
//!
//! Matching is on tokenizer keys, not on raw strings. The query is normalized like a key
//! (NFKC, lower case) and mapped through the bundled spelling aliases (`o11y`, `可観測性` →
//! オブザーバビリティ), so all spellings of the term are found. Candidates are found in a
//! normalized copy of each text that keeps, for every byte, the span of the original
//! character(s) it came from; so context is always cut from the original text on character
//! boundaries, whatever NFKC did to widths and lengths. A candidate counts only when the
//! tokenizer, run on its line, yields the term: as a term of its own or, since compounds emit
//! their parts under the default policy, as a part of a compound (under `--compounds
//! compounds`, a compound key containing the term also counts). Latin terms must stand
//! alone: `slo` is not found inside `slow`.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

use crate::corpus::{Corpus, SectionKind};
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::tokenize::filters::{data_lines, fold_key};
use crate::tokenize::{CompoundPolicy, PartOfSpeech, Term, Tokenizer};

const ALIASES: &str = include_str!("../../data/term-aliases.tsv");

/// Default number of context characters on each side.
pub const DEFAULT_CONTEXT: usize = 20;

/// The bundled alias table: folded variant → canonical key.
fn aliases() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for line in data_lines(ALIASES) {
            let mut cols = line.split('\t');
            if let (Some(variant), Some(key)) = (cols.next(), cols.next()) {
                map.insert(fold_key(variant), fold_key(key));
            }
        }
        map
    })
}

/// A user-written term as a tokenizer key: NFKC, lower case, alias applied. Spaces between
/// Latin words are kept only when the spaced form is an alias ("argo cd" → argocd); otherwise
/// they are dropped, as the tokenizer joins a run of Latin words into one compound key.
pub fn term_key(term: &str) -> String {
    let folded = fold_key(&term.nfkc().collect::<String>());
    let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(key) = aliases().get(&folded) {
        return key.clone();
    }
    let joined: String = folded.split(' ').collect();
    aliases().get(&joined).cloned().unwrap_or(joined)
}

/// What to look for: the canonical key and every written form that maps to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub key: String,
    /// Folded forms searched for in the normalized text, longest first.
    pub needles: Vec<String>,
}

impl Query {
    /// Parse a user's term; an empty or blank term is a usage error.
    pub fn new(term: &str) -> Result<Query> {
        let key = term_key(term);
        if key.is_empty() {
            return Err(Error::usage(tr!(
                "kwic: 語が空です",
                "kwic: the term is empty"
            )));
        }
        let mut needles: BTreeSet<String> = BTreeSet::new();
        needles.insert(key.clone());
        for (variant, canonical) in aliases() {
            if *canonical == key {
                needles.insert(variant.clone());
            }
        }
        let mut needles: Vec<String> = needles.into_iter().collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        Ok(Query { key, needles })
    }
}

/// A normalized (NFKC, lower-cased) copy of a text with, for every byte, the byte span of
/// the original characters it came from.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub text: String,
    spans: Vec<(usize, usize)>,
}

impl Mapped {
    /// Normalize `s` cluster by cluster (a character with the combining marks that follow it,
    /// including half-width voicing marks that NFKC turns into combining ones), so every
    /// normalized byte knows its source.
    pub fn new(s: &str) -> Mapped {
        let mut text = String::with_capacity(s.len());
        let mut spans = Vec::with_capacity(s.len());
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let start = chars[i].0;
            let mut j = i + 1;
            while j < chars.len() && starts_with_combining(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map_or(s.len(), |&(b, _)| b);
            let cluster = &s[start..end];
            let before = text.len();
            if cluster.is_ascii() {
                text.push_str(&cluster.to_ascii_lowercase());
            } else {
                for c in cluster.nfkc() {
                    text.extend(c.to_lowercase());
                }
            }
            spans.extend(std::iter::repeat_n((start, end), text.len() - before));
            i = j;
        }
        Mapped { text, spans }
    }

    /// The original byte range of normalized bytes `r` (on normalized char boundaries).
    pub fn original(&self, r: Range<usize>) -> Option<Range<usize>> {
        if r.start >= r.end || r.end > self.spans.len() {
            return None;
        }
        Some(self.spans[r.start].0..self.spans[r.end - 1].1)
    }
}

fn starts_with_combining(c: char) -> bool {
    if canonical_combining_class(c) != 0 {
        return true;
    }
    !c.is_ascii()
        && c.nfkd()
            .next()
            .is_some_and(|d| canonical_combining_class(d) != 0)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Does a Latin needle at `r` stand alone in `text` (no letter or digit joined to it, also
/// not through `-`, `.`, `_`, `+`, `#` as in node.js or private-isu)?
fn stands_alone(text: &str, r: &Range<usize>) -> bool {
    let needle = &text[r.clone()];
    let joiner = |c: char| matches!(c, '-' | '.' | '_' | '+' | '#');
    let mut before = text[..r.start].chars().rev();
    let mut after = text[r.end..].chars();
    let first_latin = needle.chars().next().is_some_and(is_latin);
    let last_latin = needle.chars().last().is_some_and(is_latin);
    if first_latin {
        match (before.next(), before.next()) {
            (Some(c), _) if is_latin(c) => return false,
            (Some(c), Some(d)) if joiner(c) && is_latin(d) => return false,
            _ => {}
        }
    }
    if last_latin {
        match (after.next(), after.next()) {
            (Some(c), _) if is_latin(c) => return false,
            (Some(c), Some(d)) if joiner(c) && is_latin(d) => return false,
            _ => {}
        }
    }
    true
}

/// Original byte ranges of `text` whose normalized form is one of the query's written forms
/// (Latin forms standing alone), in order and without overlaps. No tokenizer check.
pub fn candidates(text: &str, query: &Query) -> Vec<Range<usize>> {
    let mapped = Mapped::new(text);
    let mut found: Vec<Range<usize>> = written_forms(&mapped, query).collect();
    // Longest first at one start; then drop anything overlapping an earlier match.
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut last_end = 0;
    for r in found {
        if r.start < last_end {
            continue;
        }
        last_end = r.end;
        if let Some(o) = mapped.original(r) {
            out.push(o);
        }
    }
    out
}

/// Normalized byte ranges of `mapped` holding one of the query's written forms (a Latin form
/// standing alone), needle by needle; may overlap.
fn written_forms<'a>(
    mapped: &'a Mapped,
    query: &'a Query,
) -> impl Iterator<Item = Range<usize>> + 'a {
    query.needles.iter().flat_map(move |needle| {
        mapped
            .text
            .match_indices(needle.as_str())
            .map(|(at, m)| at..at + m.len())
            .filter(|r| stands_alone(&mapped.text, r))
    })
}

/// Mark in `found` which of `queries` occur in `text` by the rule `find` applies (a written
/// form in a line, confirmed by the tokenizer on that line): the one matcher of kwic and of
/// coding rules. Queries already marked are skipped; each line is normalized once and
/// tokenized only when it holds a written form.
pub fn occurring(
    text: &str,
    queries: &[Query],
    tokenizer: &Tokenizer,
    policy: CompoundPolicy,
    found: &mut [bool],
) {
    for line in text.split_inclusive('\n') {
        let mapped = Mapped::new(line);
        let mut tokens: Option<Vec<Term>> = None;
        for (q, query) in queries.iter().enumerate() {
            if found.get(q).is_none_or(|&f| f) || written_forms(&mapped, query).next().is_none() {
                continue;
            }
            let tokens = tokens.get_or_insert_with(|| tokenizer.tokenize(line));
            found[q] = tokens_have(tokens, query, policy);
        }
    }
}

/// Byte ranges of `text` where the tokenizer finds the query's term (see the module docs).
pub fn find(
    text: &str,
    query: &Query,
    tokenizer: &Tokenizer,
    policy: CompoundPolicy,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let found = candidates(line, query);
        if !found.is_empty() && line_has_term(line, query, tokenizer, policy) {
            out.extend(
                found
                    .into_iter()
                    .map(|r| r.start + line_start..r.end + line_start),
            );
        }
        line_start += line.len();
    }
    out
}

fn line_has_term(line: &str, query: &Query, tokenizer: &Tokenizer, policy: CompoundPolicy) -> bool {
    tokens_have(&tokenizer.tokenize(line), query, policy)
}

/// Does a line's tokens yield the query's term: as a term of its own (compound parts
/// included under the default policy) or, under `--compounds compounds`, inside a compound.
fn tokens_have(tokens: &[Term], query: &Query, policy: CompoundPolicy) -> bool {
    tokens.iter().any(|t| {
        t.key == query.key
            || (policy == CompoundPolicy::Compounds
                && t.pos == PartOfSpeech::Compound
                && t.key.contains(query.key.as_str()))
    })
}

/// Up to `n` characters of `text` before byte `at` and after byte `end`, whitespace (newlines
/// included) shown as single spaces.
pub fn context(text: &str, r: &Range<usize>, n: usize) -> (String, String) {
    let start = r.start.min(text.len());
    let end = r.end.clamp(start, text.len());
    let left: String = {
        let mut v: Vec<char> = text[..start].chars().rev().take(n).collect();
        v.reverse();
        v.into_iter().collect()
    };
    let right: String = text[end..].chars().take(n).collect();
    (one_line(&left), one_line(&right))
}

/// Whitespace runs → one space (ends kept, so the context stays next to the term).
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Terminal columns of `s`: 2 for East Asian wide and full-width characters, else 1.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD);
    if c.is_control() {
        0
    } else if wide {
        2
    } else {
        1
    }
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Corpus order: talk, then section, then position in the text.
    #[default]
    Position,
    /// By event name, then position.
    Event,
    /// By theme (needs an analysis run), talks without a theme last, then position.
    Theme,
}

/// Which part of a talk a hit is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Title,
    Abstract,
    Details,
    Audience,
    Motivation,
    Recap,
    Other,
}

impl Part {
    fn of(kind: SectionKind) -> Part {
        match kind {
            SectionKind::Abstract => Part::Abstract,
            SectionKind::Details => Part::Details,
            SectionKind::Audience => Part::Audience,
            SectionKind::Motivation => Part::Motivation,
            SectionKind::Recap => Part::Recap,
            SectionKind::Other => Part::Other,
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Part::Title => lang.pick("タイトル", "title"),
            Part::Abstract => lang.pick("概要", "abstract"),
            Part::Details => lang.pick("詳細", "details"),
            Part::Audience => lang.pick("対象聴衆", "audience"),
            Part::Motivation => lang.pick("動機", "motivation"),
            Part::Recap => lang.pick("レポート", "recap"),
            Part::Other => lang.pick("その他", "other"),
        }
    }
}

/// One occurrence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Index of the talk in the corpus.
    #[serde(skip)]
    pub talk: usize,
    pub talk_id: String,
    pub title: String,
    pub event: String,
    pub section: Part,
    /// Source file and 1-based line of the occurrence (`None` for titles).
    pub file: Option<String>,
    pub line: Option<usize>,
    /// Byte offset of the occurrence in its section text (or title).
    pub offset: usize,
    pub left: String,
    /// The occurrence as written.
    pub term: String,
    pub right: String,
    /// Theme id, when sorted by theme.
    pub theme: Option<usize>,
    #[serde(skip)]
    order: (usize, usize),
}

/// Every occurrence of `query` in the corpus (titles and sections), in corpus order.
pub fn search(
    corpus: &Corpus,
    query: &Query,
    tokenizer: &Tokenizer,
    policy: CompoundPolicy,
    width: usize,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (ti, talk) in corpus.talks.iter().enumerate() {
        let parts = std::iter::once((Part::Title, talk.title.as_str(), None)).chain(
            talk.sections
                .iter()
                .map(|s| (Part::of(s.kind), s.text.as_str(), Some(&s.source))),
        );
        for (si, (part, text, source)) in parts.enumerate() {
            for r in find(text, query, tokenizer, policy) {
                let (left, right) = context(text, &r, width);
                let line = source.map(|s| {
                    let l = s.lines[0] + text[..r.start].matches('\n').count();
                    l.min(s.lines[1].max(s.lines[0]))
                });
                hits.push(Hit {
                    talk: ti,
                    talk_id: talk.id.clone(),
                    title: talk.title.clone(),
                    event: talk.event.clone(),
                    section: part,
                    file: source.map(|s| s.file.clone()),
                    line,
                    offset: r.start,
                    left,
                    term: one_line(&text[r.clone()]),
                    right,
                    theme: None,
                    order: (ti, si),
                });
            }
        }
    }
    hits
}

/// Order hits; `themes[talk]` is each talk's theme (needed for [`SortBy::Theme`]).
pub fn sort(hits: &mut [Hit], by: SortBy, themes: Option<&[Option<usize>]>) {
    if let Some(themes) = themes {
        for h in hits.iter_mut() {
            h.theme = themes.get(h.talk).copied().flatten();
        }
    }
    let pos = |h: &Hit| (h.order, h.offset);
    match by {
        SortBy::Position => hits.sort_by_key(pos),
        SortBy::Event => hits.sort_by(|a, b| a.event.cmp(&b.event).then(pos(a).cmp(&pos(b)))),
        SortBy::Theme => hits.sort_by(|a, b| {
            let t = |h: &Hit| h.theme.unwrap_or(usize::MAX);
            t(a).cmp(&t(b)).then(pos(a).cmp(&pos(b)))
        }),
    }
}

/// Aligned concordance lines: left context right-aligned, 【term】, right context, then
/// event / part / title. `theme_names` labels the theme column when hits carry themes.
pub fn render(
    hits: &[Hit],
    query_term: &str,
    width: usize,
    lang: Lang,
    theme_names: &[String],
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let events: BTreeSet<&str> = hits.iter().map(|h| h.event.as_str()).collect();
    let talks: BTreeSet<usize> = hits.iter().map(|h| h.talk).collect();
    let _ = match lang {
        Lang::Ja => writeln!(
            out,
            "「{query_term}」: {}件 ({}トーク, {}イベント)",
            hits.len(),
            talks.len(),
            events.len()
        ),
        Lang::En => writeln!(
            out,
            "\"{query_term}\": {} occurrences ({} talks, {} events)",
            hits.len(),
            talks.len(),
            events.len()
        ),
    };
    if hits.is_empty() {
        let _ = writeln!(out, "{}", lang.pick("見つかりませんでした。", "Not found."));
        return out;
    }
    let cols = width * 2;
    let mut last_theme: Option<Option<usize>> = None;
    for h in hits {
        if h.theme.is_some() || last_theme.is_some() {
            if last_theme != Some(h.theme) {
                let name = match h.theme {
                    Some(t) => theme_names
                        .get(t)
                        .cloned()
                        .unwrap_or_else(|| format!("{}{}", lang.pick("テーマ", "Theme "), t + 1)),
                    None => lang.pick("未分類", "unassigned").to_string(),
                };
                let _ = writeln!(out, "\n## {name}");
            }
            last_theme = Some(h.theme);
        }
        let pad_l = cols.saturating_sub(display_width(&h.left));
        let pad_r = cols.saturating_sub(display_width(&h.right));
        let _ = writeln!(
            out,
            "{}{}【{}】{}{}  {} / {} / {}",
            " ".repeat(pad_l),
            h.left,
            h.term,
            h.right,
            " ".repeat(pad_r),
            h.event,
            h.section.label(lang),
            h.title
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::new(s).unwrap()
    }

    fn found<'a>(text: &'a str, query: &str) -> Vec<&'a str> {
        candidates(text, &q(query))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn query_is_normalized_and_aliased() {
        assert_eq!(q("ＳＬＯ").key, "slo");
        assert_eq!(q(" Argo CD ").key, "argocd");
        assert_eq!(q("可観測性").key, "オブザーバビリティ");
        let o = q("オブザーバビリティ");
        assert!(o.needles.contains(&"observability".to_string()));
        assert!(o.needles.contains(&"可観測性".to_string()));
        assert!(Query::new("  ").is_err());
    }

    #[test]
    fn matches_at_start_and_end_of_text() {
        assert_eq!(found("監視", "監視"), vec!["監視"]);
        assert_eq!(found("監視とアラートの監視", "監視"), vec!["監視", "監視"]);
        let text = "監視の話。最後も監視";
        let r = candidates(text, &q("監視"));
        assert_eq!(r.first().unwrap().start, 0);
        assert_eq!(r.last().unwrap().end, text.len());
        // Context at the edges is empty, not a panic.
        let (l, rr) = context(text, &r[0], 20);
        assert_eq!(l, "");
        assert_eq!(rr, "の話。最後も監視");
        let (l, rr) = context(text, r.last().unwrap(), 20);
        assert_eq!(l, "監視の話。最後も");
        assert_eq!(rr, "");
    }

    #[test]
    fn full_width_and_half_width_input_map_back_to_the_original() {
        // Full-width Latin: the hit is the original full-width text.
        assert_eq!(found("ＳＬＯとＳＬＩ", "slo"), vec!["ＳＬＯ"]);
        // Half-width katakana with a separate voicing mark (ﾀﾞ) folds to ダ.
        assert_eq!(found("ﾀﾞｯｼｭﾎﾞｰﾄﾞを見る", "ダッシュボード"), vec!["ﾀﾞｯｼｭﾎﾞｰﾄﾞ"]);
        // A combining voicing mark (か + U+3099) composes under NFKC.
        assert_eq!(found("か\u{3099}", "が"), vec!["か\u{3099}"]);
        // Kangxi radical look-alike ⾒ (U+2F92) is 見.
        assert_eq!(found("⾒える化", "見える化"), vec!["⾒える化"]);
    }

    #[test]
    fn latin_terms_must_stand_alone() {
        assert_eq!(found("SLO, SLOs and slow", "slo"), vec!["SLO", "SLOs"]);
        assert!(found("node.js", "node").is_empty());
        assert!(found("private-isu", "isu").is_empty());
        assert_eq!(found("SLO.", "slo"), vec!["SLO"]);
        assert_eq!(found("SLOを決める", "slo"), vec!["SLO"]);
    }

    #[test]
    fn context_is_cut_on_char_boundaries_with_newlines_as_spaces() {
        let text = "一二三四五六七八九十\n監視\r\nabcdefghijklmnopqrstuvwxyz";
        let r = candidates(text, &q("監視"));
        let (l, rr) = context(text, &r[0], 5);
        assert_eq!(l, "七八九十 ");
        assert_eq!(rr, " abc");
        let (l, _) = context(text, &r[0], 0);
        assert_eq!(l, "");
        // Out-of-range input never panics.
        let (l, rr) = context("abc", &(10..20), 3);
        assert_eq!((l.as_str(), rr.as_str()), ("abc", ""));
    }

    #[test]
    fn widths_count_wide_characters_twice() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("監視"), 4);
        assert_eq!(display_width("ＳＬＯ"), 6);
    }
}
