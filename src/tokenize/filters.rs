//! The token filter chain that runs after segmentation. Each step is a small function over
//! plain `Word`s so it can be tested on its own.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

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
    /// Every variant, in declaration order (`index` is the position here).
    pub const ALL: [PartOfSpeech; 10] = [
        PartOfSpeech::Noun,
        PartOfSpeech::ProperNoun,
        PartOfSpeech::VerbalNoun,
        PartOfSpeech::AdjectivalNoun,
        PartOfSpeech::SreTerm,
        PartOfSpeech::Latin,
        PartOfSpeech::Compound,
        PartOfSpeech::Suffix,
        PartOfSpeech::Prefix,
        PartOfSpeech::Other,
    ];

    pub fn index(self) -> u8 {
        self as u8
    }

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

    /// `label` in English, for `tokenize --lang en`.
    pub fn label_en(self) -> &'static str {
        match self {
            PartOfSpeech::Noun => "noun, general",
            PartOfSpeech::ProperNoun => "noun, proper",
            PartOfSpeech::VerbalNoun => "noun, verbal (takes する)",
            PartOfSpeech::AdjectivalNoun => "noun, adjectival stem",
            PartOfSpeech::SreTerm => "noun, SRE term",
            PartOfSpeech::Latin => "noun, Latin-script word",
            PartOfSpeech::Compound => "noun, compound",
            PartOfSpeech::Suffix => "noun, suffix",
            PartOfSpeech::Prefix => "prefix, before a noun",
            PartOfSpeech::Other => "other",
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
    /// Only the joined compound.
    Compounds,
    /// The compound and its parts (default). Measured with `confthemes eval`
    /// (benches/quality.sh): on the CloudNative Days categories AMI 0.31 against 0.27 for
    /// compounds only, on three single-topic events 0.80 against 0.64; the compound alone
    /// keeps インシデント対応 apart from コスト対応, but a part (Kubernetes in
    /// Kubernetesクラスタ運用) is what links two talks that phrase a topic differently.
    #[default]
    Both,
}

/// A segmented word: its byte span in the (normalized) line and its part of speech. The
/// surface is `&line[start..end]`, so segmentation allocates nothing per word.
#[derive(Debug, Clone, Copy)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub pos: PartOfSpeech,
}

struct Alias {
    key: String,
    display: String,
}

pub struct FilterChain {
    stopwords: FxHashSet<String>,
    /// Variant key (words joined by one space) → canonical term.
    aliases: FxHashMap<String, Alias>,
    /// Longest alias phrase, in words.
    max_phrase: usize,
    policy: CompoundPolicy,
}

/// A word unit after Latin re-joining and aliasing: the thing compounds are made of. Key and
/// display borrow from the line (or the alias table) until a join or an emitted term needs
/// an owned string.
#[derive(Debug, Clone)]
struct Unit<'a> {
    key: Cow<'a, str>,
    display: Cow<'a, str>,
    pos: PartOfSpeech,
    start: usize,
    end: usize,
    /// The words a name phrase was joined from ("AWS", "Lambda" of "AWS Lambda"), emitted as
    /// pieces after it; empty for a single word.
    pieces: Vec<Unit<'a>>,
}

/// Longest compound, in units: longer runs are usually lists, not terms.
const MAX_COMPOUND_UNITS: usize = 4;

/// Longest name phrase, in words ("AWS Fault Injection Service").
const MAX_NAME_WORDS: usize = 4;

/// Kana or kanji anywhere in the line.
fn has_japanese(line: &str) -> bool {
    line.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30FF}') || is_kanji(c))
}

impl FilterChain {
    pub fn new(stopwords: &str, aliases: &str, policy: CompoundPolicy) -> Self {
        let stopwords = data_lines(stopwords).map(fold_key).collect();
        let mut alias_map = FxHashMap::default();
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

    /// Terms of one segmented line, appended to `terms`. Nothing joins across lines.
    pub fn apply_line(&self, line: &str, words: &[Word], terms: &mut Vec<Term>) {
        if words.is_empty() {
            return;
        }
        let units = self.apply_aliases(join_latin(line, words));
        let units = if has_japanese(line) {
            self.join_name_phrases(line, units)
        } else {
            units
        };
        self.emit(units, terms);
    }

    /// Replace alias phrases (up to `max_phrase` space-separated Latin words) and single-word
    /// aliases by their canonical term.
    fn apply_aliases<'a>(&'a self, units: Vec<Unit<'a>>) -> Vec<Unit<'a>> {
        let mut out = Vec::with_capacity(units.len());
        let mut i = 0;
        while i < units.len() {
            let mut matched: Option<(&Alias, usize)> = None;
            if units[i].pos == PartOfSpeech::Latin
                && self.max_phrase > 1
                && units
                    .get(i + 1)
                    .is_some_and(|u| u.pos == PartOfSpeech::Latin)
            {
                let mut phrase = units[i].key.to_string();
                for n in 2..=self.max_phrase {
                    let next = i + n - 1;
                    if next >= units.len() || units[next].pos != PartOfSpeech::Latin {
                        break;
                    }
                    phrase.push(' ');
                    phrase.push_str(&units[next].key);
                    if let Some(alias) = self.aliases.get(&phrase) {
                        matched = Some((alias, next));
                    }
                }
            }
            let matched = matched.or_else(|| self.aliases.get(&*units[i].key).map(|a| (a, i)));
            match matched {
                Some((alias, last)) => {
                    out.push(Unit {
                        key: Cow::Borrowed(&alias.key),
                        display: Cow::Borrowed(&alias.display),
                        pos: if units[i].pos == PartOfSpeech::Latin && alias.key.is_ascii() {
                            PartOfSpeech::Latin
                        } else {
                            PartOfSpeech::SreTerm
                        },
                        start: units[i].start,
                        end: units[last].end,
                        pieces: Vec::new(),
                    });
                    i = last + 1;
                }
                None => {
                    out.push(units[i].clone());
                    i += 1;
                }
            }
        }
        out
    }

    /// In Japanese text, a run of capitalised Latin words separated by single spaces is a
    /// name ("AWS Fault Injection Service", "GitHub Actions", "Savings Plans"): one unit, its
    /// words kept as pieces. Not in English-only lines, where Title Case is just a title.
    fn join_name_phrases<'a>(&self, line: &'a str, units: Vec<Unit<'a>>) -> Vec<Unit<'a>> {
        let capitalised = |u: &Unit| {
            u.pos == PartOfSpeech::Latin
                && u.pieces.is_empty()
                && u.display.starts_with(|c: char| c.is_ascii_uppercase())
                && !self.is_stopword(&u.key)
        };
        let mut out: Vec<Unit<'a>> = Vec::with_capacity(units.len());
        let mut iter = units.into_iter().peekable();
        while let Some(first) = iter.next() {
            if !capitalised(&first) {
                out.push(first);
                continue;
            }
            let mut run = vec![first];
            while run.len() < MAX_NAME_WORDS {
                let last_end = run.last().map_or(0, |u| u.end);
                match iter.peek() {
                    Some(next)
                        if capitalised(next) && line.get(last_end..next.start) == Some(" ") =>
                    {
                        run.extend(iter.next());
                    }
                    _ => break,
                }
            }
            if run.len() == 1 {
                out.extend(run);
                continue;
            }
            let key = run.iter().map(|u| &*u.key).collect::<Vec<_>>().join(" ");
            let display = &line[run[0].start..run[run.len() - 1].end];
            out.push(Unit {
                key: Cow::Owned(key),
                display: Cow::Borrowed(display),
                pos: PartOfSpeech::Latin,
                start: run[0].start,
                end: run[run.len() - 1].end,
                pieces: run,
            });
        }
        out
    }

    /// Turn units into terms: attach suffixes/prefixes to their noun, join adjacent nouns into
    /// compounds, and drop what carries no topic.
    fn emit(&self, units: Vec<Unit<'_>>, terms: &mut Vec<Term>) {
        // Words: a content unit with any prefix before and suffixes after it, contiguous.
        let mut words: Vec<Unit> = Vec::with_capacity(units.len());
        let mut pending_prefix: Option<Unit> = None;
        for unit in units {
            match unit.pos {
                PartOfSpeech::Prefix => pending_prefix = Some(unit),
                PartOfSpeech::Suffix => {
                    if let Some(last) = words
                        .last_mut()
                        .filter(|w| w.end == unit.start && w.pos != PartOfSpeech::Other)
                    {
                        last.key.to_mut().push_str(&unit.key);
                        last.display.to_mut().push_str(&unit.display);
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
                        word.key = Cow::Owned(format!("{}{}", prefix.key, word.key));
                        word.display = Cow::Owned(format!("{}{}", prefix.display, word.display));
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
                let content = run.iter().filter(|u| !self.is_stopword(&u.key)).count();
                // A compound whose parts are mostly stopwords (具体的+事例) is not a term.
                if content * 2 > run.len() || content == run.len() {
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
                    self.push(terms, &key, &display, PartOfSpeech::Compound, false);
                }
            }
            if keep_parts || !keep_compound {
                // Words of a compound are pieces; a lone word is a term of its own, unless it
                // is its sentence's predicate (解消し, 複雑な): then it is a piece too.
                let piece = run.len() > 1 || used_as_predicate(run, words.get(j));
                for u in run {
                    self.push(terms, &u.key, &u.display, u.pos, piece);
                    for p in &u.pieces {
                        self.push(terms, &p.key, &p.display, p.pos, true);
                    }
                }
            }
            i = j;
        }
    }

    fn is_stopword(&self, key: &str) -> bool {
        // An honorific prefix doesn't make a stopword a content word: ご紹介 is 紹介.
        self.stopwords.contains(key)
            || ["ご", "御", "お"].iter().any(|p| {
                key.strip_prefix(p)
                    .is_some_and(|rest| self.stopwords.contains(rest))
            })
    }

    /// Emit a term unless it carries no topic; the only place key and display are copied.
    fn push(&self, terms: &mut Vec<Term>, key: &str, display: &str, pos: PartOfSpeech, part: bool) {
        if is_topic_term(key) && !self.is_stopword(key) {
            terms.push(Term {
                key: key.to_string(),
                display: display.to_string(),
                pos,
                part,
            });
        }
    }
}

/// Surfaces of する, its humble いたす (an abstract's 「構築いたしました」) and できる as IPADIC
/// segments them after a サ変 noun (解消+し+ます, 構築+いたし+まし+た, 検討+さ+れる, 実現+でき+ます).
const SURU_FORMS: [&str; 20] = [
    "する",
    "いたし",
    "いたす",
    "いたせ",
    "致し",
    "致す",
    "致せ",
    "し",
    "さ",
    "せ",
    "す",
    "すれ",
    "しろ",
    "せよ",
    "でき",
    "できる",
    "できれ",
    "出来",
    "出来る",
    "出来れ",
];

/// What follows an adjectival noun used as an adjective (複雑な, 柔軟に, 曖昧だ, 安全です).
const COPULA_FORMS: [&str; 7] = ["な", "に", "だ", "で", "です", "だっ", "でし"];

/// Whether a one-word run is the predicate of its sentence: a verbal noun directly followed
/// by する or できる (「課題を解消します」), or an adjectival noun (or a noun with 的) by な, に or
/// だ (「複雑な構成」, 「効果的に」).
/// A word most talks use only so (解消, 検討, 複雑) tells the reader nothing of a topic, as
/// 監視 in 監視基盤 or 「監視の自動化」 does.
fn used_as_predicate(run: &[Unit<'_>], next: Option<&Unit<'_>>) -> bool {
    let [word] = run else { return false };
    let followed_by =
        |forms: &[&str]| next.is_some_and(|n| n.start == word.end && forms.contains(&&*n.display));
    match word.pos {
        PartOfSpeech::VerbalNoun => followed_by(&SURU_FORMS),
        PartOfSpeech::AdjectivalNoun => followed_by(&COPULA_FORMS),
        // A noun made adjectival by the suffix 的 (効果的な, 継続的に).
        _ if word.display.ends_with('的') => followed_by(&COPULA_FORMS),
        _ => false,
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
/// ASCII pieces into one Latin word, case-folded for the key. Contiguous pieces are one slice
/// of the line, so re-joining copies nothing.
fn join_latin<'a>(line: &'a str, words: &[Word]) -> Vec<Unit<'a>> {
    let mut units: Vec<Unit> = Vec::with_capacity(words.len());
    let mut latin: Option<(usize, usize)> = None;
    let flush = |latin: &mut Option<(usize, usize)>, units: &mut Vec<Unit<'a>>| {
        if let Some((start, end)) = latin.take() {
            let text = &line[start..end];
            let trimmed =
                text.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '#' && c != '+');
            let trimmed = trimmed.trim_start_matches(['#', '+']);
            if !trimmed.is_empty() {
                units.push(Unit {
                    key: fold_ascii(trimmed),
                    display: Cow::Borrowed(trimmed),
                    // A bare number (3, 2025) is 数, not a term, and takes no suffix (3年間).
                    pos: if trimmed.bytes().all(|b| b.is_ascii_digit()) {
                        PartOfSpeech::Other
                    } else {
                        PartOfSpeech::Latin
                    },
                    start,
                    end,
                    pieces: Vec::new(),
                });
            }
        }
    };
    for word in words {
        let surface = &line[word.start..word.end];
        let ascii_piece = !surface.is_empty() && surface.chars().all(is_latin_word_char);
        if ascii_piece {
            match &mut latin {
                Some((_, end)) if *end == word.start => *end = word.end,
                _ => {
                    flush(&mut latin, &mut units);
                    latin = Some((word.start, word.end));
                }
            }
            continue;
        }
        flush(&mut latin, &mut units);
        // IPADIC's unk.def tags unknown symbols (•, :, /) as サ変接続 nouns: a unit without a
        // letter or digit is never content, so it also breaks compounds.
        let pos = if word.pos != PartOfSpeech::Other && surface.chars().any(char::is_alphanumeric) {
            word.pos
        } else {
            PartOfSpeech::Other
        };
        // A one-character adjectival stem is a function word (主 of 主に, 急 of 急に, 楽 of
        // 楽に): never a term on its own, and it ends a compound.
        let pos = if pos == PartOfSpeech::AdjectivalNoun && surface.chars().nth(1).is_none() {
            PartOfSpeech::Other
        } else {
            pos
        };
        units.push(Unit {
            key: fold_key_cow(surface),
            display: Cow::Borrowed(surface),
            pos,
            start: word.start,
            end: word.end,
            pieces: Vec::new(),
        });
    }
    flush(&mut latin, &mut units);
    units
}

/// The matching key of a term: lower case (text is already NFKC-normalized).
pub fn fold_key(s: &str) -> String {
    fold_key_cow(s).into_owned()
}

/// `fold_key` without a copy when the text has no upper case (all Japanese text).
fn fold_key_cow(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    if s.is_ascii() {
        return fold_ascii(s);
    }
    // Kana, kanji and CJK punctuation have no case; anything else is checked for real.
    let changes = |c: char| {
        !c.is_ascii() && !('\u{3000}'..'\u{A000}').contains(&c) && c.to_lowercase().ne([c])
            || c.is_ascii_uppercase()
    };
    if s.chars().any(changes) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn fold_ascii(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Non-empty, non-comment lines of a bundled data file.
pub fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commonest_words_of_japanese_are_known_and_names_are_not() {
        for word in ["挑戦", "実施", "責任", "苦労", "エンジニア", "監視"] {
            assert!(crate::tokenize::is_common_word(word), "{word}");
        }
        // Tech words, compounds and Latin names are not everyday words.
        for word in [
            "オブザーバビリティ",
            "ポストモーテム",
            "バッチシステム",
            "go",
            "kubernetes",
        ] {
            assert!(!crate::tokenize::is_common_word(word), "{word}");
        }
    }

    #[test]
    fn part_of_speech_index_is_its_position_in_all() {
        for (i, pos) in PartOfSpeech::ALL.iter().enumerate() {
            assert_eq!(usize::from(pos.index()), i, "{pos:?}");
        }
    }

    #[test]
    fn fold_key_lowercases_latin_greek_and_full_words_but_not_kana() {
        assert_eq!(fold_key(" SLO "), "slo");
        assert_eq!(fold_key("Kubernetes運用"), "kubernetes運用");
        assert_eq!(fold_key("ΣΛΟ監視"), "σλο監視");
        assert!(matches!(fold_key_cow("監視とアラート"), Cow::Borrowed(_)));
        assert!(matches!(fold_key_cow("slo"), Cow::Borrowed(_)));
    }
}
