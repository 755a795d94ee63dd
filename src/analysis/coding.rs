//! Coding rules (KH Coder's コーディングルール): user-named codes, each a boolean rule over
//! terms, applied to talks and counted by event with a test of independence.
//!
//! Rules file (TOML), either or both of:
//! ```toml
//! [codes]
//! オブザーバビリティ = "オブザーバビリティ | 可観測性 | OpenTelemetry | テレメトリー"
//! 障害対応 = "(障害 | インシデント) & !訓練"
//! GitOps = "\"Argo CD\" | Flux"
//!
//! [[theme]]            # the taxonomy format: a code per entry, OR of its terms
//! id = "slo"
//! ja = "SLO・信頼性目標"
//! en = "SLOs & reliability targets"
//! terms = ["slo", "sli", "エラーバジェット"]
//! ```
//! Grammar: `|` or, `&` and, `!` not, parentheses; precedence `!` > `&` > `|`. A term is a
//! bare word (anything but spaces and `|&!()"`) or a double-quoted phrase; `title:` before
//! one (`title:ポストモーテム`, `title:"Argo CD"`) looks at titles only. A term is true for a
//! talk exactly when `kwic` finds it in the talk's title or text (`kwic::occurring`: one
//! matcher for both): normalized like a tokenizer key (NFKC, lower case, spelling aliases),
//! found as written in a line, and confirmed by the tokenizer on that line, compound parts
//! included (ポストモーテム inside ポストモーテム文化).

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::path::Path;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::analysis::kwic::{self, Query, term_key};
use crate::analysis::stats::{self, ChiSquare};
use crate::corpus::Corpus;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::tokenize::{CompoundPolicy, Tokenizer};

/// A boolean rule over terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A term anywhere in the talk (title or text), as its key.
    Term(String),
    /// A term in the title (`title:…`).
    Title(String),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// The rule terms found in one talk (keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matched {
    /// In the title or any section.
    pub any: HashSet<String>,
    /// In the title.
    pub title: HashSet<String>,
}

impl Expr {
    pub fn eval(&self, found: &Matched) -> bool {
        match self {
            Expr::Term(t) => found.any.contains(t),
            Expr::Title(t) => found.title.contains(t),
            Expr::Not(e) => !e.eval(found),
            Expr::And(es) => es.iter().all(|e| e.eval(found)),
            Expr::Or(es) => es.iter().any(|e| e.eval(found)),
        }
    }

    /// Every key the rule looks for.
    fn keys<'a>(&'a self, out: &mut BTreeSet<&'a str>) {
        match self {
            Expr::Term(t) | Expr::Title(t) => {
                out.insert(t);
            }
            Expr::Not(e) => e.keys(out),
            Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| e.keys(out)),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, es: &[Expr], op: &str| {
            f.write_str("(")?;
            for (i, e) in es.iter().enumerate() {
                if i > 0 {
                    write!(f, " {op} ")?;
                }
                write!(f, "{e}")?;
            }
            f.write_str(")")
        };
        let quoted = |t: &str| {
            t.chars()
                .any(|c| c.is_whitespace() || "|&!()\"".contains(c))
        };
        match self {
            Expr::Term(t) if quoted(t) => write!(f, "\"{t}\""),
            Expr::Term(t) => f.write_str(t),
            Expr::Title(t) if quoted(t) => write!(f, "{TITLE_PREFIX}\"{t}\""),
            Expr::Title(t) => write!(f, "{TITLE_PREFIX}{t}"),
            Expr::Not(e) => write!(f, "!{e}"),
            Expr::And(es) => join(f, es, "&"),
            Expr::Or(es) => join(f, es, "|"),
        }
    }
}

/// A parse error: 1-based character position and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "position {}: {}", self.position, self.message)
    }
}

/// Written before a term that counts in titles only.
const TITLE_PREFIX: &str = "title:";

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Or,
    And,
    Not,
    Open,
    Close,
    /// (text, titles only)
    Term(String, bool),
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Or => "'|'".into(),
        Tok::And => "'&'".into(),
        Tok::Not => "'!'".into(),
        Tok::Open => "'('".into(),
        Tok::Close => "')'".into(),
        Tok::Term(s, _) => format!("`{s}`"),
        Tok::End => "the end".into(),
    }
}

/// Tokens with their 1-based character positions.
fn lex(src: &str) -> std::result::Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let pos = i + 1;
        let title = chars[i..].starts_with(&TITLE_PREFIX.chars().collect::<Vec<_>>())
            && chars
                .get(i + TITLE_PREFIX.len())
                .is_some_and(|&c| !c.is_whitespace() && !"|&!()".contains(c));
        if title {
            i += TITLE_PREFIX.len();
        }
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '|' => {
                out.push((Tok::Or, pos));
                i += 1;
            }
            '&' => {
                out.push((Tok::And, pos));
                i += 1;
            }
            '!' => {
                out.push((Tok::Not, pos));
                i += 1;
            }
            '(' => {
                out.push((Tok::Open, pos));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, pos));
                i += 1;
            }
            '"' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j] != '"' {
                    j += 1;
                }
                if j == chars.len() {
                    return Err(ParseError {
                        position: pos,
                        message: "unterminated quote".into(),
                    });
                }
                let text: String = chars[start..j].iter().collect();
                if text.trim().is_empty() {
                    return Err(ParseError {
                        position: pos,
                        message: "empty quoted term".into(),
                    });
                }
                out.push((Tok::Term(text, title), pos));
                i = j + 1;
            }
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !"|&!()\"".contains(chars[i])
                {
                    i += 1;
                }
                out.push((Tok::Term(chars[start..i].iter().collect(), title), pos));
            }
        }
    }
    out.push((Tok::End, chars.len() + 1));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &(Tok, usize) {
        &self.toks[self.at.min(self.toks.len() - 1)]
    }
    fn bump(&mut self) -> (Tok, usize) {
        let t = self.peek().clone();
        if self.at < self.toks.len() - 1 {
            self.at += 1;
        }
        t
    }
    fn err<T>(&self, position: usize, message: String) -> std::result::Result<T, ParseError> {
        Err(ParseError { position, message })
    }

    fn or(&mut self) -> std::result::Result<Expr, ParseError> {
        let mut items = vec![self.and(None)?];
        while self.peek().0 == Tok::Or {
            self.bump();
            items.push(self.and(Some("'|'"))?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self, after: Option<&str>) -> std::result::Result<Expr, ParseError> {
        let mut items = vec![self.unary(after)?];
        while self.peek().0 == Tok::And {
            self.bump();
            items.push(self.unary(Some("'&'"))?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self, after: Option<&str>) -> std::result::Result<Expr, ParseError> {
        if self.peek().0 == Tok::Not {
            let (_, pos) = self.bump();
            self.depth += 1;
            if self.depth > 64 {
                return self.err(pos, "'!' nested too deeply".into());
            }
            let inner = self.unary(Some("'!'"))?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary(after)
    }

    fn primary(&mut self, after: Option<&str>) -> std::result::Result<Expr, ParseError> {
        let (tok, pos) = self.bump();
        match tok {
            Tok::Term(t, title) => {
                let key = term_key(&t);
                if key.is_empty() {
                    return self.err(pos, format!("`{t}` is not a term"));
                }
                Ok(if title {
                    Expr::Title(key)
                } else {
                    Expr::Term(key)
                })
            }
            Tok::Open => {
                self.depth += 1;
                if self.depth > 64 {
                    return self.err(pos, "parentheses nested too deeply".into());
                }
                let inner = self.or()?;
                self.depth -= 1;
                match self.bump() {
                    (Tok::Close, _) => Ok(inner),
                    (other, p) => self.err(
                        p,
                        format!(
                            "expected ')' to close '(' at position {pos}, found {}",
                            describe(&other)
                        ),
                    ),
                }
            }
            other => {
                let msg = match after {
                    Some(op) => format!("expected a term after {op}, found {}", describe(&other)),
                    None => format!("expected a term, found {}", describe(&other)),
                };
                self.err(pos, msg)
            }
        }
    }
}

/// Parse a rule. Errors carry the 1-based character position.
pub fn parse(src: &str) -> std::result::Result<Expr, ParseError> {
    let toks = lex(src)?;
    if toks.len() == 1 {
        return Err(ParseError {
            position: 1,
            message: "empty rule".into(),
        });
    }
    let mut p = Parser {
        toks,
        at: 0,
        depth: 0,
    };
    let expr = p.or()?;
    match p.bump() {
        (Tok::End, _) => Ok(expr),
        (Tok::Close, pos) => Err(ParseError {
            position: pos,
            message: "')' without a matching '('".into(),
        }),
        (other, pos) => Err(ParseError {
            position: pos,
            message: format!(
                "expected '|', '&' or the end of the rule, found {}",
                describe(&other)
            ),
        }),
    }
}

/// One named code.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub name: String,
    pub ja: String,
    pub en: String,
    pub rule: Expr,
}

impl Code {
    pub fn label(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }
}

/// `[codes]` in document order.
struct Ordered(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of code name = \"rule\"")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeEntry {
    id: String,
    ja: Option<String>,
    en: Option<String>,
    #[serde(default)]
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    codes: Option<Ordered>,
    #[serde(default)]
    theme: Vec<ThemeEntry>,
}

/// Parse a rules file (`path` is for messages only).
pub fn parse_rules(text: &str, path: &Path) -> Result<Vec<Code>> {
    let text = quote_bare_keys(text);
    let file: RulesFile = toml::from_str(&text).map_err(|e| {
        let msg = e.to_string();
        let why = msg.split_whitespace().collect::<Vec<_>>().join(" ");
        Error::input(
            path,
            tr!(
                "ルールの TOML が不正です({why})",
                "invalid rules TOML: {why}"
            ),
        )
    })?;
    let mut codes = Vec::new();
    let mut names = HashSet::new();
    for (name, src) in file.codes.map(|o| o.0).unwrap_or_default() {
        let rule = parse(&src).map_err(|e| {
            let (at, why) = (e.position, &e.message);
            Error::input(
                path,
                tr!(
                    "コード `{name}`: {at}文字目でルールとして読めません({why})",
                    "code `{name}`: {e}"
                ),
            )
        })?;
        if !names.insert(name.clone()) {
            return Err(Error::input(path, twice(&name)));
        }
        codes.push(Code {
            ja: name.clone(),
            en: name.clone(),
            name,
            rule,
        });
    }
    for entry in file.theme {
        let name = entry.id.trim().to_string();
        if name.is_empty() {
            return Err(Error::input(
                path,
                tr!(
                    "どの [[theme]] にも空でない id が要ります",
                    "every [[theme]] needs a non-empty id"
                ),
            ));
        }
        let terms: Vec<Expr> = entry
            .terms
            .iter()
            .map(|t| term_key(t))
            .filter(|k| !k.is_empty())
            .map(Expr::Term)
            .collect();
        if terms.is_empty() {
            return Err(Error::input(
                path,
                tr!(
                    "テーマ `{name}` に語がありません",
                    "theme `{name}` has no terms"
                ),
            ));
        }
        if !names.insert(name.clone()) {
            return Err(Error::input(path, twice(&name)));
        }
        let ja = entry
            .ja
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| name.clone());
        let en = entry
            .en
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| name.clone());
        codes.push(Code {
            name,
            ja,
            en,
            rule: Expr::Or(terms),
        });
    }
    if codes.is_empty() {
        return Err(Error::input(
            path,
            tr!(
                "コードがありません: [codes] の表か [[theme]] の項目が要ります",
                "no codes: expected a [codes] table or [[theme]] entries"
            ),
        ));
    }
    Ok(codes)
}

fn twice(name: &str) -> crate::error::Text {
    tr!(
        "コード `{name}` が2回出てきます",
        "code `{name}` appears twice"
    )
}

/// TOML bare keys are ASCII only; in the `[codes]` table a Japanese code name written bare
/// (`監視 = "..."`, as users naturally write it) is quoted for them. Line numbers are kept.
fn quote_bare_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_codes = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_codes = trimmed.starts_with("[codes]");
        }
        if in_codes && let Some((key, rest)) = line.split_once('=') {
            let k = key.trim();
            if !k.is_empty() && !k.is_ascii() && !k.contains(['"', '\'', '[', '#', '.']) {
                let indent = &key[..key.len() - key.trim_start().len()];
                out.push_str(&format!("{indent}\"{k}\" ={rest}"));
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

pub fn load_rules(path: &Path) -> Result<Vec<Code>> {
    let text = crate::safe_io::read::read_text(path, tr!("ルール", "rules"))?;
    parse_rules(&text, path)
}

/// The bundled taxonomy as codes.
pub fn default_rules() -> Vec<Code> {
    parse_rules(
        include_str!("../../data/taxonomy-sre.toml"),
        Path::new("data/taxonomy-sre.toml"),
    )
    .unwrap_or_default()
}

/// The rule terms each talk has, found as `kwic` finds them (titles and sections).
pub fn match_talks(
    corpus: &Corpus,
    codes: &[Code],
    tokenizer: &Tokenizer,
    policy: CompoundPolicy,
) -> Vec<Matched> {
    use rayon::prelude::*;
    let mut keys = BTreeSet::new();
    for c in codes {
        c.rule.keys(&mut keys);
    }
    // Keys are already normalized; `Query::new` of a key is the key with its written forms.
    let queries: Vec<Query> = keys.iter().filter_map(|k| Query::new(k).ok()).collect();
    corpus
        .talks
        .par_iter()
        .with_max_len(1)
        .map(|talk| {
            let mut found = Matched::default();
            let mut in_title = vec![false; queries.len()];
            kwic::occurring(&talk.title, &queries, tokenizer, policy, &mut in_title);
            let mut anywhere = in_title.clone();
            for section in &talk.sections {
                kwic::occurring(&section.text, &queries, tokenizer, policy, &mut anywhere);
            }
            for (q, query) in queries.iter().enumerate() {
                if in_title[q] {
                    found.title.insert(query.key.clone());
                }
                if anywhere[q] {
                    found.any.insert(query.key.clone());
                }
            }
            found
        })
        .collect()
}

/// Which codes each talk has: `matches[talk][code]`.
pub fn apply(codes: &[Code], found: &[Matched]) -> Vec<Vec<bool>> {
    found
        .iter()
        .map(|s| codes.iter().map(|c| c.rule.eval(s)).collect())
        .collect()
}

/// The same test vocabulary as `compare`, so both commands report alike.
pub use crate::analysis::compare::{PMethod, Verdict};

/// Test of "has the code" × event for one code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeTest {
    pub statistic: f64,
    pub dof: u64,
    /// The p-value used (exact / Monte Carlo when the chi-square has low power).
    pub p_value: Option<f64>,
    /// Benjamini–Hochberg adjusted over all tested codes; decisions use it.
    pub q_value: Option<f64>,
    pub method: PMethod,
    pub low_power: bool,
    pub cells_below_5: usize,
    pub cells: usize,
    pub verdict: Verdict,
    /// Adjusted residual of the coded talks in each event (0 where not computed).
    pub residuals: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeRow {
    pub name: String,
    pub label: String,
    pub rule: String,
    /// Talks with the code per event.
    pub counts: Vec<u64>,
    pub shares: Vec<f64>,
    pub total: u64,
    pub test: CodeTest,
    /// The talks the code matched, in corpus order.
    pub talks: Vec<CodedTalk>,
}

/// A talk a code matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodedTalk {
    pub id: String,
    pub title: String,
    pub event: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventGroup {
    pub name: String,
    pub talks: u64,
    /// Talks without an event (「不明」): shown, but left out of the tests.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodingResult {
    pub talks: usize,
    pub events: Vec<EventGroup>,
    pub codes: Vec<CodeRow>,
    pub alpha: f64,
}

/// Significance level and Monte Carlo settings.
#[derive(Debug, Clone, PartialEq)]
pub struct CodingParams {
    pub alpha: f64,
    pub monte_carlo_iterations: u64,
    pub seed: u64,
}

impl Default for CodingParams {
    fn default() -> Self {
        CodingParams {
            alpha: 0.05,
            monte_carlo_iterations: 20_000,
            seed: 0,
        }
    }
}

fn test_code(coded: &[u64], totals: &[u64], params: &CodingParams) -> CodeTest {
    let table: Vec<Vec<u64>> = vec![
        coded.to_vec(),
        coded
            .iter()
            .zip(totals)
            .map(|(&c, &t)| t.saturating_sub(c))
            .collect(),
    ];
    let chi: Option<ChiSquare> = stats::chi_square_independence(&table).ok();
    let Some(chi) = chi else {
        return not_applicable(coded.len());
    };
    let applicable = chi.not_applicable().is_none();
    let stats::IndependenceP {
        p_value, method, ..
    } = stats::independence_p(&table, &chi, params.monte_carlo_iterations, params.seed);
    let mut residuals = vec![0.0; coded.len()];
    // Row 0 of the reduced table is the coded row when it was kept.
    if chi.rows.first() == Some(&0) {
        for (ci, &col) in chi.cols.iter().enumerate() {
            if let Some(r) = chi.adjusted_residuals[0].get(ci) {
                residuals[col] = if r.is_finite() { *r } else { 0.0 };
            }
        }
    }
    CodeTest {
        statistic: chi.statistic,
        dof: chi.dof,
        p_value,
        q_value: None,
        method,
        low_power: chi.low_power && applicable,
        cells_below_5: chi.cells_below_5,
        cells: chi.expected.iter().map(Vec::len).sum(),
        verdict: if applicable && p_value.is_some() {
            Verdict::NoEvidence
        } else {
            Verdict::NotApplicable
        },
        residuals,
    }
}

fn not_applicable(n: usize) -> CodeTest {
    CodeTest {
        statistic: 0.0,
        dof: 0,
        p_value: None,
        q_value: None,
        method: PMethod::Asymptotic,
        low_power: false,
        cells_below_5: 0,
        cells: 0,
        verdict: Verdict::NotApplicable,
        residuals: vec![0.0; n],
    }
}

/// Count codes by event and test each code's share against the events (talks without an
/// event are counted but not tested). `found`: per talk, from [`match_talks`].
pub fn code_by_event(
    corpus: &Corpus,
    codes: &[Code],
    found: &[Matched],
    params: &CodingParams,
    lang: Lang,
) -> CodingResult {
    let mut events: Vec<EventGroup> = Vec::new();
    let mut event_of = Vec::with_capacity(corpus.talks.len());
    for talk in &corpus.talks {
        let unknown = talk.event.trim().is_empty();
        let name = if unknown {
            lang.pick("不明", "unknown").to_string()
        } else {
            talk.event.clone()
        };
        let g = match events
            .iter()
            .position(|e| e.name == name && e.unknown == unknown)
        {
            Some(g) => g,
            None => {
                events.push(EventGroup {
                    name,
                    talks: 0,
                    unknown,
                });
                events.len() - 1
            }
        };
        events[g].talks += 1;
        event_of.push(g);
    }
    let totals: Vec<u64> = events.iter().map(|e| e.talks).collect();
    let tested: Vec<usize> = (0..events.len()).filter(|&g| !events[g].unknown).collect();
    let matches = apply(codes, found);
    let mut rows: Vec<CodeRow> = codes
        .iter()
        .enumerate()
        .map(|(c, code)| {
            let mut counts = vec![0u64; events.len()];
            let mut talks = Vec::new();
            for (t, m) in matches.iter().enumerate() {
                if m[c] {
                    counts[event_of[t]] += 1;
                    let talk = &corpus.talks[t];
                    talks.push(CodedTalk {
                        id: talk.id.clone(),
                        title: talk.title.clone(),
                        event: talk.event.clone(),
                    });
                }
            }
            // The test sees the known events only; residuals are spread back by event.
            let pick = |v: &[u64]| -> Vec<u64> { tested.iter().map(|&g| v[g]).collect() };
            let mut test = test_code(&pick(&counts), &pick(&totals), params);
            let mut residuals = vec![0.0; events.len()];
            for (&g, &r) in tested.iter().zip(&test.residuals) {
                residuals[g] = r;
            }
            test.residuals = residuals;
            let shares = counts
                .iter()
                .zip(&totals)
                .map(|(&c, &t)| if t > 0 { c as f64 / t as f64 } else { 0.0 })
                .collect();
            CodeRow {
                name: code.name.clone(),
                label: code.label(lang).to_string(),
                rule: {
                    let r = code.rule.to_string();
                    match &code.rule {
                        Expr::And(_) | Expr::Or(_) => r[1..r.len() - 1].to_string(),
                        _ => r,
                    }
                },
                total: counts.iter().sum(),
                test,
                counts,
                shares,
                talks,
            }
        })
        .collect();
    // Benjamini–Hochberg over the codes that were tested; decisions on q.
    let tested: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].test.p_value.is_some())
        .collect();
    let ps: Vec<f64> = tested
        .iter()
        .filter_map(|&i| rows[i].test.p_value)
        .collect();
    let qs = stats::bh_adjust(&ps);
    for (&i, &q) in tested.iter().zip(&qs) {
        rows[i].test.q_value = Some(q);
        if q < params.alpha {
            rows[i].test.verdict = Verdict::Differs;
        }
    }
    CodingResult {
        talks: corpus.talks.len(),
        events,
        codes: rows,
        alpha: params.alpha,
    }
}

/// At most `n` characters, "…" when cut.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n).collect();
        out.push('…');
        out
    }
}

fn fmt_p(p: f64) -> String {
    if p < 0.001 {
        "p<0.001".into()
    } else {
        format!("p={p:.3}")
    }
}

/// The honest reading of one code's test, in the words of `compare`.
pub fn test_text(t: &CodeTest, alpha: f64, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    if t.verdict == Verdict::NotApplicable {
        return lang
            .pick(
                "検定できない: 比べる相手がいない (全イベントで同じ、または1イベントのみ)。",
                "No test: nothing to compare (one event, or the same in every event).",
            )
            .to_string();
    }
    let method = t.method.label(lang);
    let p = t.p_value.map_or_else(|| "p=?".to_string(), fmt_p);
    let q = t
        .q_value
        .map_or_else(|| "?".to_string(), |q| format!("{q:.3}"));
    let head = if ja {
        format!(
            "χ²={:.2}, 自由度={}, {p} ({method}), BH補正 q={q}。",
            t.statistic, t.dof
        )
    } else {
        format!(
            "χ²={:.2}, df={}, {p} ({method}), BH q={q}. ",
            t.statistic, t.dof
        )
    };
    let tail = match (t.verdict, t.low_power) {
        (Verdict::Differs, false) => lang
            .pick(
                &format!("このコードの出現率はイベントによって異なる (q<{alpha})。"),
                &format!("The code's share differs between events (q<{alpha})."),
            )
            .to_string(),
        (Verdict::Differs, true) => {
            if ja {
                format!(
                    "期待度数5未満のセルが{}個 (全{}個) あり検定力は低いが、正確な検定でも q<{alpha}: 出現率はイベントによって異なる。件数が少ないため、どのイベントが偏っているかは示さない。",
                    t.cells_below_5, t.cells
                )
            } else {
                format!(
                    "{} of {} cells have expected counts below 5, so the test has little power, yet the exact test gives q<{alpha}: the share differs between events. The counts are too small to say which events.",
                    t.cells_below_5, t.cells
                )
            }
        }
        (_, true) => {
            if ja {
                format!(
                    "期待度数5未満のセルが{}個 (全{}個) あり、検定力は低い: 差があるとは言えない (差がないとも言えない)。",
                    t.cells_below_5, t.cells
                )
            } else {
                format!(
                    "{} of {} cells have expected counts below 5, so the test has little power: no difference can be claimed (nor ruled out).",
                    t.cells_below_5, t.cells
                )
            }
        }
        (_, false) => {
            if ja {
                format!("出現率に差があるとは言えない (q≥{alpha})。")
            } else {
                format!("No evidence that the share differs between events (q≥{alpha}).")
            }
        }
    };
    format!("{head}{tail}")
}

/// Terminal text: per code, counts by event (share, and the adjusted residual when the test
/// found a difference with enough power), then the test's reading.
pub fn render(r: &CodingResult, lang: Lang) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = match lang {
        Lang::Ja => writeln!(
            out,
            "コーディング: {} コード × {} イベント ({} トーク)",
            r.codes.len(),
            r.events.len(),
            r.talks
        ),
        Lang::En => writeln!(
            out,
            "Coding: {} codes × {} events ({} talks)",
            r.codes.len(),
            r.events.len(),
            r.talks
        ),
    };
    for code in &r.codes {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} ({}{}: {})",
            code.label,
            lang.pick("計", "total "),
            code.total,
            short(&code.rule, 60)
        );
        let flag = code.test.verdict == Verdict::Differs && !code.test.low_power;
        for (g, e) in r.events.iter().enumerate() {
            let res = code.test.residuals.get(g).copied().unwrap_or(0.0);
            let mark = if flag && res.abs() >= 1.96 {
                format!("  {} {:+.1}", lang.pick("残差", "residual"), res)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {}: {}/{} ({:.0}%){mark}",
                e.name,
                code.counts[g],
                e.talks,
                code.shares[g] * 100.0
            );
        }
        let _ = writeln!(out, "  {}", test_text(&code.test, r.alpha, lang));
        if !code.talks.is_empty() {
            let _ = writeln!(out, "  {}:", lang.pick("該当するトーク", "Talks"));
            for t in code.talks.iter().take(LISTED_TALKS) {
                let _ = writeln!(out, "    - {} ({})", t.title, t.event);
            }
            if code.talks.len() > LISTED_TALKS {
                let more = code.talks.len() - LISTED_TALKS;
                let _ = match lang {
                    Lang::Ja => writeln!(out, "    …他{more}件 (--json に全件)"),
                    Lang::En => writeln!(out, "    … {more} more (all in --json)"),
                };
            }
        }
    }
    if let Some(e) = r.events.iter().find(|e| e.unknown) {
        let _ = writeln!(out);
        let _ = match lang {
            Lang::Ja => writeln!(
                out,
                "※ イベント名のない発表{}件 (「{}」) は数えていますが、検定には含めていません。",
                e.talks, e.name
            ),
            Lang::En => writeln!(
                out,
                "Note: the {} talks without an event (\"{}\") are counted but left out of the tests.",
                e.talks, e.name
            ),
        };
    }
    out
}

/// Talks listed per code in the terminal (all of them are in `--json`).
const LISTED_TALKS: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Expr {
        Expr::Term(s.to_string())
    }

    fn set(words: &[&str]) -> Matched {
        Matched {
            any: words.iter().map(|w| w.to_string()).collect(),
            title: HashSet::new(),
        }
    }

    #[test]
    fn title_terms_look_at_titles_only() {
        let e = parse("title:ポストモーテム & !title:\"Argo CD\" | 監視").unwrap();
        assert_eq!(
            e,
            Expr::Or(vec![
                Expr::And(vec![
                    Expr::Title("ポストモーテム".into()),
                    Expr::Not(Box::new(Expr::Title("argocd".into())))
                ]),
                t("監視")
            ])
        );
        assert_eq!(
            e.to_string(),
            "((title:ポストモーテム & !title:argocd) | 監視)"
        );
        let in_text = set(&["ポストモーテム"]);
        assert!(!e.eval(&in_text));
        let in_title = Matched {
            title: in_text.any.clone(),
            ..in_text
        };
        assert!(e.eval(&in_title));
        // A bare `title:` is not a prefix.
        assert_eq!(parse("title:").unwrap(), t("title:"));
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        assert_eq!(
            parse("a | b & !c").unwrap(),
            Expr::Or(vec![
                t("a"),
                Expr::And(vec![t("b"), Expr::Not(Box::new(t("c")))])
            ])
        );
        assert_eq!(
            parse("!a & b").unwrap(),
            Expr::And(vec![Expr::Not(Box::new(t("a"))), t("b")])
        );
        let e = parse("a | b & c").unwrap();
        assert!(e.eval(&set(&["a"])));
        assert!(!e.eval(&set(&["b"])));
        assert!(e.eval(&set(&["b", "c"])));
    }

    #[test]
    fn parentheses_group() {
        let e = parse("(a | b) & c").unwrap();
        assert_eq!(e, Expr::And(vec![Expr::Or(vec![t("a"), t("b")]), t("c")]));
        assert!(!e.eval(&set(&["a"])));
        assert!(e.eval(&set(&["a", "c"])));
        assert_eq!(parse("((a))").unwrap(), t("a"));
        assert_eq!(
            parse("!(a|b)").unwrap(),
            Expr::Not(Box::new(Expr::Or(vec![t("a"), t("b")])))
        );
    }

    #[test]
    fn terms_are_normalized_and_quoted_phrases_keep_spaces_until_keyed() {
        assert_eq!(parse("ＳＬＯ").unwrap(), t("slo"));
        assert_eq!(
            parse("OpenTelemetry|otel").unwrap(),
            Expr::Or(vec![t("opentelemetry"), t("opentelemetry")])
        );
        assert_eq!(parse("\"Argo CD\"").unwrap(), t("argocd"));
        assert_eq!(parse("\"AWS Lambda\"").unwrap(), t("awslambda"));
        assert_eq!(parse("可観測性").unwrap(), t("オブザーバビリティ"));
        assert_eq!(
            parse("監視&アラート").unwrap(),
            Expr::And(vec![t("監視"), t("アラート")])
        );
    }

    #[test]
    fn errors_name_the_position() {
        let e = parse("監視 & ").unwrap_err();
        assert_eq!(e.position, 6);
        assert!(e.message.contains("expected a term after '&'"), "{e}");
        let e = parse("a | | b").unwrap_err();
        assert_eq!((e.position, e.message.contains("after '|'")), (5, true));
        let e = parse("(a | b").unwrap_err();
        assert_eq!(e.position, 7);
        assert!(
            e.message
                .contains("expected ')' to close '(' at position 1"),
            "{e}"
        );
        let e = parse("a b").unwrap_err();
        assert_eq!(e.position, 3);
        let e = parse("a)").unwrap_err();
        assert_eq!(
            (e.position, e.message.as_str()),
            (2, "')' without a matching '('")
        );
        let e = parse("a & \"b").unwrap_err();
        assert_eq!((e.position, e.message.as_str()), (5, "unterminated quote"));
        assert_eq!(parse("  ").unwrap_err().message, "empty rule");
        assert_eq!(parse("!").unwrap_err().position, 2);
        assert!(parse(&"(".repeat(500)).is_err());
        assert!(parse(&"!".repeat(100_000)).is_err());
        assert_eq!(e.to_string(), "position 5: unterminated quote");
    }

    #[test]
    fn rules_files_keep_order_accept_the_taxonomy_and_report_errors() {
        let p = Path::new("rules.toml");
        let codes = parse_rules(
            "[codes]\nz = \"a\"\ny = \"b | c\"\n\n[[theme]]\nid = \"slo\"\nja = \"SLO\"\nterms = [\"SLO\", \"sli\"]\n",
            p,
        )
        .unwrap();
        let names: Vec<&str> = codes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["z", "y", "slo"]);
        assert_eq!(codes[2].rule, Expr::Or(vec![t("slo"), t("sli")]));
        assert_eq!(codes[2].label(Lang::En), "slo");
        let err = parse_rules("[codes]\nx = \"a & | b\"\n", p)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "rules.toml: code `x`: position 5: expected a term after '&', found '|'"
        );
        assert!(parse_rules("", p).is_err());
        // Japanese code names may be written bare, as in the issue.
        let ja = parse_rules("[codes]\n監視 = \"監視 | モニタリング\"\n", p).unwrap();
        assert_eq!(ja[0].name, "監視");
        assert!(parse_rules("[codes]\nx = 3\n", p).is_err());
        assert!(parse_rules("[codes\n", p).is_err());
        assert!(default_rules().len() >= 5);
    }
}
