//! The token filter chain that runs after segmentation. Each step is a small function over
//! plain `Word`s so it can be tested on its own.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::Term;

/// Parts of speech the filters care about, read from IPADIC's first three feature fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PartOfSpeech {
    /// 名詞,一般
    Noun,
    /// 名詞,固有名詞
    ProperNoun,
    /// 名詞,サ変接続 (監視, 運用, 設計)
    VerbalNoun,
    /// 名詞,形容動詞語幹 (最適, 安定)
    AdjectivalNoun,
    /// An entry of the SRE user dictionary.
    SreTerm,
    /// A Latin-script word (Kubernetes, SLO, EC2), re-joined from lindera's pieces.
    Latin,
    /// A noun run joined into one term (インシデント対応).
    Compound,
    /// 名詞,接尾 (性, 化, 者): only inside a word or compound.
    Suffix,
    /// 接頭詞,名詞接続 (再, 非): only before a noun.
    Prefix,
    /// Everything that never becomes a term on its own: particles, verbs, 数, 非自立, 代名詞, …
    Other,
}

impl PartOfSpeech {
    pub fn from_ipadic(major: &str, sub1: &str, _sub2: &str) -> Self {
        match (major, sub1) {
            ("カスタム名詞", _) => PartOfSpeech::SreTerm,
            ("名詞", "一般") => PartOfSpeech::Noun,
            ("名詞", "固有名詞") => PartOfSpeech::ProperNoun,
            ("名詞", "サ変接続") => PartOfSpeech::VerbalNoun,
            ("名詞", "形容動詞語幹") => PartOfSpeech::AdjectivalNoun,
            ("名詞", "接尾") => PartOfSpeech::Suffix,
            ("接頭詞", "名詞接続") => PartOfSpeech::Prefix,
            _ => PartOfSpeech::Other,
        }
    }

    /// IPADIC-style label for display (`confthemes tokenize`).
    pub fn label(self) -> &'static str {
        match self {
            PartOfSpeech::Noun => "名詞,一般",
            PartOfSpeech::ProperNoun => "名詞,固有名詞",
            PartOfSpeech::VerbalNoun => "名詞,サ変接続",
            PartOfSpeech::AdjectivalNoun => "名詞,形容動詞語幹",
            PartOfSpeech::SreTerm => "名詞,SRE用語",
            PartOfSpeech::Latin => "名詞,英字",
            PartOfSpeech::Compound => "名詞,複合語",
            PartOfSpeech::Suffix => "名詞,接尾",
            PartOfSpeech::Prefix => "接頭詞,名詞接続",
            PartOfSpeech::Other => "その他",
        }
    }

    fn is_content(self) -> bool {
        matches!(
            self,
            PartOfSpeech::Noun
                | PartOfSpeech::ProperNoun
                | PartOfSpeech::VerbalNoun
                | PartOfSpeech::AdjectivalNoun
                | PartOfSpeech::SreTerm
                | PartOfSpeech::Latin
        )
    }
}

/// Which terms a run of adjacent nouns (モニタリング+手法) produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CompoundPolicy {
    /// Only the single words.
    Parts,
    /// Only the joined compound (default). Measured on the seeds with `confthemes eval`
    /// (median AMI over seeds 0..9, guided / unguided): compounds 0.78 / 0.26, both
    /// 0.52 / 0.20, parts 0.49 / 0.26. Parts make generic halves (対応, 向上) shared
    /// between unrelated talks; the compound keeps インシデント対応 apart from コスト対応.
    #[default]
    Compounds,
    /// The compound and its parts.
    Both,
}

/// A segmented word with its byte span in the (normalized) line; `Word::boundary()` marks
/// a line end, across which nothing joins.
#[derive(Debug, Clone)]
pub struct Word {
    pub surface: String,
    pub start: usize,
    pub end: usize,
    pub pos: PartOfSpeech,
}

impl Word {
    pub fn boundary() -> Self {
        Word {
            surface: String::new(),
            start: usize::MAX,
            end: usize::MAX,
            pos: PartOfSpeech::Other,
        }
    }
    fn is_boundary(&self) -> bool {
        self.start == usize::MAX
    }
}

struct Alias {
    key: String,
    display: String,
}

pub struct FilterChain {
    stopwords: HashSet<String>,
    /// Variant key (words joined by one space) → canonical term.
    aliases: HashMap<String, Alias>,
    /// Longest alias phrase, in words.
    max_phrase: usize,
    policy: CompoundPolicy,
}

/// A word unit after Latin re-joining and aliasing: the thing compounds are made of.
#[derive(Debug, Clone)]
struct Unit {
    key: String,
    display: String,
    pos: PartOfSpeech,
    start: usize,
    end: usize,
}

/// Longest compound, in units: longer runs are usually lists, not terms.
const MAX_COMPOUND_UNITS: usize = 4;

impl FilterChain {
    pub fn new(stopwords: &str, aliases: &str, policy: CompoundPolicy) -> Self {
        let stopwords = data_lines(stopwords).map(fold_key).collect();
        let mut alias_map = HashMap::new();
        let mut max_phrase = 1;
        for line in data_lines(aliases) {
            let mut cols = line.split('\t');
            let (Some(variant), Some(key), Some(display)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let variant = fold_key(variant);
            max_phrase = max_phrase.max(variant.split(' ').count());
            alias_map.insert(
                variant,
                Alias {
                    key: fold_key(key),
                    display: display.to_string(),
                },
            );
        }
        FilterChain {
            stopwords,
            aliases: alias_map,
            max_phrase,
            policy,
        }
    }

    pub fn apply(&self, words: Vec<Word>) -> Vec<Term> {
        let mut terms = Vec::new();
        let mut line = Vec::new();
        for word in words {
            if word.is_boundary() {
                self.finish_line(std::mem::take(&mut line), &mut terms);
            } else {
                line.push(word);
            }
        }
        self.finish_line(line, &mut terms);
        terms
    }

    fn finish_line(&self, words: Vec<Word>, terms: &mut Vec<Term>) {
        if words.is_empty() {
            return;
        }
        let units = self.apply_aliases(join_latin(words));
        self.emit(units, terms);
    }

    /// Replace alias phrases (up to `max_phrase` space-separated Latin words) and single-word
    /// aliases by their canonical term.
    fn apply_aliases(&self, units: Vec<Unit>) -> Vec<Unit> {
        let mut out = Vec::with_capacity(units.len());
        let mut i = 0;
        while i < units.len() {
            let mut matched = None;
            if units[i].pos == PartOfSpeech::Latin {
                let mut phrase = units[i].key.clone();
                let mut j = i;
                for n in 2..=self.max_phrase {
                    let next = i + n - 1;
                    if next >= units.len() || units[next].pos != PartOfSpeech::Latin {
                        break;
                    }
                    phrase.push(' ');
                    phrase.push_str(&units[next].key);
                    if self.aliases.contains_key(&phrase) {
                        matched = Some((phrase.clone(), next));
                        j = next;
                    }
                }
                let _ = j;
            }
            let (variant, last) = matched.unwrap_or_else(|| (units[i].key.clone(), i));
            match self.aliases.get(&variant) {
                Some(alias) => out.push(Unit {
                    key: alias.key.clone(),
                    display: alias.display.clone(),
                    pos: if units[i].pos == PartOfSpeech::Latin && alias.key.is_ascii() {
                        PartOfSpeech::Latin
                    } else {
                        PartOfSpeech::SreTerm
                    },
                    start: units[i].start,
                    end: units[last].end,
                }),
                None => out.push(units[i].clone()),
            }
            i = last + 1;
        }
        out
    }

    /// Turn units into terms: attach suffixes/prefixes to their noun, join adjacent nouns into
    /// compounds, and drop what carries no topic.
    fn emit(&self, units: Vec<Unit>, terms: &mut Vec<Term>) {
        // Words: a content unit with any prefix before and suffixes after it, contiguous.
        let mut words: Vec<Unit> = Vec::new();
        let mut pending_prefix: Option<Unit> = None;
        for unit in units {
            match unit.pos {
                PartOfSpeech::Prefix => pending_prefix = Some(unit),
                PartOfSpeech::Suffix => {
                    if let Some(last) = words
                        .last_mut()
                        .filter(|w| w.end == unit.start && w.pos != PartOfSpeech::Other)
                    {
                        last.key.push_str(&unit.key);
                        last.display.push_str(&unit.display);
                        last.end = unit.end;
                    } else {
                        words.push(Unit {
                            pos: PartOfSpeech::Other,
                            ..unit
                        });
                    }
                    pending_prefix = None;
                }
                pos if pos.is_content() => {
                    let mut word = unit;
                    if let Some(prefix) = pending_prefix.take().filter(|p| p.end == word.start) {
                        word.key.insert_str(0, &prefix.key);
                        word.display.insert_str(0, &prefix.display);
                        word.start = prefix.start;
                    }
                    words.push(word);
                }
                _ => {
                    pending_prefix = None;
                    words.push(unit);
                }
            }
        }
        // Runs of contiguous content words → compounds.
        let mut i = 0;
        while i < words.len() {
            if !words[i].pos.is_content() {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < words.len() && words[j].pos.is_content() && words[j].start == words[j - 1].end
            {
                j += 1;
            }
            let run = &words[i..j];
            let keep_parts = run.len() == 1 || self.policy != CompoundPolicy::Compounds;
            let keep_compound = run.len() > 1
                && run.len() <= MAX_COMPOUND_UNITS
                && self.policy != CompoundPolicy::Parts;
            if keep_compound {
                let content: Vec<&Unit> =
                    run.iter().filter(|u| !self.is_stopword(&u.key)).collect();
                // A compound whose parts are mostly stopwords (具体的+事例) is not a term.
                if content.len() * 2 > run.len() || content.len() == run.len() {
                    let mut key = String::new();
                    let mut display = String::new();
                    for (n, u) in run.iter().enumerate() {
                        // Keep a space between two Latin words ("AWS Lambda") in the display.
                        if n > 0
                            && u.pos == PartOfSpeech::Latin
                            && run[n - 1].pos == PartOfSpeech::Latin
                        {
                            display.push(' ');
                        }
                        key.push_str(&u.key);
                        display.push_str(&u.display);
                    }
                    self.push(terms, key, display, PartOfSpeech::Compound);
                }
            }
            if keep_parts || !keep_compound {
                for u in run {
                    self.push(terms, u.key.clone(), u.display.clone(), u.pos);
                }
            }
            i = j;
        }
    }

    fn is_stopword(&self, key: &str) -> bool {
        self.stopwords.contains(key)
    }

    fn push(&self, terms: &mut Vec<Term>, key: String, display: String, pos: PartOfSpeech) {
        if is_topic_term(&key) && !self.is_stopword(&key) {
            terms.push(Term { key, display, pos });
        }
    }
}

/// A term must have a letter, must not be a bare number, and a single character only counts
/// when it is a kanji (鍵, 炎) — lone kana and Latin letters are segmentation debris.
fn is_topic_term(key: &str) -> bool {
    if !key.chars().any(char::is_alphanumeric) || key.chars().all(|c| c.is_numeric() || c == '.') {
        return false;
    }
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => is_kanji(c),
        _ => true,
    }
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Characters that can be inside a Latin tech word: EC2, k8s, Node.js, C#, private-isu.
fn is_latin_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '+' | '#' | '_')
}

/// lindera splits "EC2" into EC + 2 and "private-isu" into three tokens; re-join contiguous
/// ASCII pieces into one Latin word, case-folded for the key.
fn join_latin(words: Vec<Word>) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::with_capacity(words.len());
    let mut latin: Option<(String, usize, usize)> = None;
    let flush = |latin: &mut Option<(String, usize, usize)>, units: &mut Vec<Unit>| {
        if let Some((text, start, end)) = latin.take() {
            let trimmed =
                text.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '#' && c != '+');
            let trimmed = trimmed.trim_start_matches(['#', '+']);
            if !trimmed.is_empty() {
                units.push(Unit {
                    key: trimmed.to_ascii_lowercase(),
                    display: trimmed.to_string(),
                    // A bare number (3, 2025) is 数, not a term, and takes no suffix (3年間).
                    pos: if trimmed.chars().all(|c| c.is_ascii_digit()) {
                        PartOfSpeech::Other
                    } else {
                        PartOfSpeech::Latin
                    },
                    start,
                    end,
                });
            }
        }
    };
    for word in words {
        let ascii_piece = !word.surface.is_empty() && word.surface.chars().all(is_latin_word_char);
        if ascii_piece {
            match &mut latin {
                Some((text, _, end)) if *end == word.start => {
                    text.push_str(&word.surface);
                    *end = word.end;
                }
                _ => {
                    flush(&mut latin, &mut units);
                    latin = Some((word.surface, word.start, word.end));
                }
            }
            continue;
        }
        flush(&mut latin, &mut units);
        // IPADIC's unk.def tags unknown symbols (•, :, /) as サ変接続 nouns: a unit without a
        // letter or digit is never content, so it also breaks compounds.
        let pos = if word.surface.chars().any(char::is_alphanumeric) {
            word.pos
        } else {
            PartOfSpeech::Other
        };
        units.push(Unit {
            key: fold_key(&word.surface),
            display: word.surface,
            pos,
            start: word.start,
            end: word.end,
        });
    }
    flush(&mut latin, &mut units);
    units
}

/// The matching key of a term: lower case (text is already NFKC-normalized).
pub fn fold_key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Non-empty, non-comment lines of a bundled data file.
pub fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}
