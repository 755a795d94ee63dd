//! Stage 2, tokenize: talk text → the terms that carry topic.
//!
//! Built like tantivy's analyzers: a segmenter (lindera + IPADIC, compiled into the binary)
//! followed by a chain of small filters — normalize (NFKC, links) → segment → keep content
//! nouns → join noun runs into compounds → aliases → stopwords.

pub mod dictionary;
pub mod filters;
pub mod normalize;

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

use lindera::dictionary::{Dictionary, UserDictionary, load_fs_dictionary};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::viterbi::Lattice;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
pub use filters::{CompoundPolicy, PartOfSpeech};

const SRE_USER_DICT: &str = include_str!("../../data/sre-userdict.csv");
const STOPWORDS: &str = include_str!("../../data/stopwords.txt");
const ALIASES: &str = include_str!("../../data/term-aliases.tsv");
/// IPADIC nouns that UniDic tags as function nouns (前半, 皆様, 結果): generated, see
/// data/function-nouns/README.md.
const FUNCTION_NOUNS: &str = include_str!("../../data/function-nouns/function-nouns.txt");
/// The ~7,000 commonest words of general Japanese (挑戦, 実施, 責任): generated from
/// wordfreq, see data/general-words/README.md.
const COMMON_JA: &str = include_str!("../../data/general-words/common-ja.txt");

/// One term as found in text: `key` is the case-folded form used for matching and counting,
/// `display` the form as written (first letter case kept: "Kubernetes", "SLO").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub key: String,
    pub display: String,
    pub pos: PartOfSpeech,
    /// A piece of a longer term in this occurrence (クラスタ in Kubernetesクラスタ, Savings in
    /// "AWS Savings Plans"), or a verbal or adjectival noun used as its sentence's predicate (解消
    /// in 解消します, 複雑 in 複雑な): a feature that links talks, shown only where the texts also use it as a
    /// word of its own (`standalone_keys`, `TfIdf::pieces`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub part: bool,
}

/// Whether a term can be shown on its own (a keyword, a heatmap column, a network node, a
/// distinctive term): more than one character. A lone kanji (手, 元, 姿, 主) stays a term for
/// clustering, but read out of its text it names nothing a reader can place.
pub fn readable_alone(display: &str) -> bool {
    display.chars().nth(1).is_some()
}

/// Whether `key` is one of the commonest words of general Japanese (挑戦, 実施, 責任, 苦労,
/// エンジニア): two talks that share it share no topic for it, and the talks' own counts
/// cannot tell it from a topic word two talks share. The vocabulary hides such a word from
/// readers unless the taxonomy or the lexicon has it (`Taxonomy::everyday_words`).
pub fn is_common_word(key: &str) -> bool {
    static WORDS: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| filters::data_lines(COMMON_JA).collect());
    WORDS.contains(key)
}

/// The keys `texts` use on their own, not only as a piece of a longer term. IPADIC splits
/// names and loanwords into words that mean something else (アンドパッド → アンド + パッド,
/// スタートアップ → スタート), and a product name's lone words (Savings, Plans) are not topics:
/// a piece counts only when its key is in this set. A piece the texts also use alone
/// (Kubernetes beside Kubernetesクラスタ運用) stays: it links talks that phrase one topic
/// differently.
pub fn standalone_keys<'a>(
    texts: impl IntoIterator<Item = &'a [Term]>,
) -> std::collections::HashSet<&'a str> {
    texts
        .into_iter()
        .flat_map(|terms| terms.iter().filter(|t| !t.part).map(|t| t.key.as_str()))
        .collect()
}

/// Where the tokenizer's dictionaries come from.
#[derive(Debug, Clone, Default)]
pub struct TokenizerParams {
    /// A lindera dictionary directory to use instead of the embedded IPADIC.
    pub dict_dir: Option<PathBuf>,
    /// Extra user dictionary (lindera simple CSV: surface,part_of_speech,reading), added to
    /// the bundled SRE terms.
    pub user_dict: Option<PathBuf>,
    pub compounds: CompoundPolicy,
    /// Stopwords added to the bundled `data/stopwords.txt` (`--stopwords FILE`).
    pub stopwords: Vec<String>,
}

/// Japanese + English tokenizer. Cheap to share across threads (`&Tokenizer` is `Sync`).
pub struct Tokenizer {
    segmenter: Segmenter,
    chain: filters::FilterChain,
    pos_table: PosTable,
}

impl Tokenizer {
    /// The default tokenizer: embedded IPADIC, bundled SRE user dictionary, both compounds
    /// and their parts.
    pub fn new() -> Result<Self> {
        Self::with_params(&TokenizerParams::default())
    }

    pub fn with_params(params: &TokenizerParams) -> Result<Self> {
        let dictionary = match &params.dict_dir {
            None => dictionary::load()
                .map_err(|e| Error::usage(tr!("組み込みの IPADIC: {e}", "embedded IPADIC: {e}")))?,
            Some(dir) => load_dictionary_dir(dir)?,
        };
        let user_dictionary = build_user_dictionary(&dictionary, params.user_dict.as_deref())?;
        let pos_table = PosTable::new(&dictionary, &user_dictionary);
        let segmenter = Segmenter::new(Mode::Normal, dictionary, Some(user_dictionary));
        let stopwords = if params.stopwords.is_empty() {
            Cow::Borrowed(STOPWORDS)
        } else {
            Cow::Owned(format!("{STOPWORDS}\n{}", params.stopwords.join("\n")))
        };
        let chain = filters::FilterChain::new(&stopwords, &aliases(), params.compounds);
        Ok(Tokenizer {
            segmenter,
            chain,
            pos_table,
        })
    }

    /// Terms of one text, in order of appearance.
    pub fn tokenize(&self, text: &str) -> Vec<Term> {
        thread_local! {
            // One lattice and one word buffer per thread, reused across calls (lindera
            // allocates a lattice per `segment` otherwise).
            static BUFFERS: RefCell<(Lattice, Vec<filters::Word>)> = RefCell::default();
        }
        let normalized = normalize::normalize(text);
        let mut terms = Vec::new();
        BUFFERS.with_borrow_mut(|(lattice, words)| {
            // Segment line by line: a line break is never inside a word, and shorter inputs
            // keep lindera's lattice small.
            for line in normalized.lines() {
                if line.trim().is_empty() {
                    continue;
                }
                let Ok(tokens) = self
                    .segmenter
                    .segment_with_lattice(Cow::Borrowed(line), lattice)
                else {
                    continue;
                };
                words.clear();
                words.extend(tokens.into_iter().map(|mut token| filters::Word {
                    start: token.byte_start,
                    end: token.byte_end,
                    pos: self.pos_table.part_of_speech(&mut token),
                }));
                self.chain.apply_line(line, words, &mut terms);
            }
        });
        terms
    }

    /// Tokenize many texts in parallel (rayon); output order follows input order.
    pub fn tokenize_all<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<Term>> {
        // Work items of whole lines, at most about WORK_ITEM_BYTES each: nothing joins across
        // a line break, so the pieces' terms concatenate to the text's, and one long text
        // no longer leaves the other threads idle at the end.
        let items: Vec<(usize, &str)> = texts
            .iter()
            .enumerate()
            .flat_map(|(i, t)| line_chunks(t.as_ref(), WORK_ITEM_BYTES).map(move |c| (i, c)))
            .collect();
        let parts: Vec<Vec<Term>> = items
            .par_iter()
            // One item per task: rayon's default splitting hands out runs of items, and the
            // last run left one thread idle (two threads gave 1.7× one, now about 2×).
            .with_max_len(1)
            .map(|&(_, chunk)| self.tokenize(chunk))
            .collect();
        let mut out: Vec<Vec<Term>> = (0..texts.len()).map(|_| Vec::new()).collect();
        for ((i, _), terms) in items.iter().zip(parts) {
            if out[*i].is_empty() {
                out[*i] = terms;
            } else {
                out[*i].extend(terms);
            }
        }
        out
    }
}

/// The bundled aliases plus the domain lexicon's multi-word names, each one term shown as
/// the lexicon writes it ("open policy agent" → Open Policy Agent).
fn aliases() -> String {
    let mut out = String::from(ALIASES);
    out.push('\n');
    // A hand-written alias of the same phrase wins (argo cd → argocd).
    let hand: std::collections::HashSet<String> = filters::data_lines(ALIASES)
        .filter_map(|l| l.split('\t').next())
        .map(filters::fold_key)
        .collect();
    for (name, key, _, _) in crate::themes::lexicon_rows(crate::themes::LEXICON) {
        if key.contains(' ') && !hand.contains(key) {
            out.push_str(&format!("{key}\t{key}\t{name}\n"));
        }
    }
    out
}

/// Target size of one parallel work item in `tokenize_all`.
const WORK_ITEM_BYTES: usize = 2048;

/// `text` cut after a line break once a piece reaches `size` bytes (a longer line stays
/// whole). The pieces concatenate to `text`.
fn line_chunks(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = if rest.len() <= size {
            rest.len()
        } else {
            // A '\n' byte is never inside a multi-byte character, so this is a char boundary.
            rest.as_bytes()[size..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |p| size + p + 1)
        };
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

/// The part of speech of every dictionary entry met so far, indexed by word id: reading it
/// from the token's feature string costs an allocation and a parse, and most words repeat.
/// Shared by all threads; a race only computes the same value twice.
struct PosTable {
    system: Vec<AtomicU8>,
    user: Vec<AtomicU8>,
    unknown: Vec<AtomicU8>,
    /// System-dictionary nouns that are function nouns by UniDic's reading (FUNCTION_NOUNS):
    /// `Other`, as IPADIC's own 副詞可能 nouns are.
    function_nouns: rustc_hash::FxHashSet<&'static str>,
}

impl PosTable {
    /// 0 in a slot means "not seen yet", otherwise the `PartOfSpeech` index + 1.
    fn new(dictionary: &Dictionary, user: &UserDictionary) -> Self {
        let slots = |n: usize| (0..n).map(|_| AtomicU8::new(0)).collect();
        PosTable {
            system: slots(dictionary.prefix_dictionary.words_idx_data.len() / 4),
            user: slots(user.dict.words_idx_data.len() / 4),
            unknown: slots(dictionary.unknown_dictionary.words_idx_data.len()),
            function_nouns: filters::data_lines(FUNCTION_NOUNS).collect(),
        }
    }

    fn part_of_speech(&self, token: &mut lindera::token::Token) -> PartOfSpeech {
        let id = token.word_id;
        let table = if id.is_unknown() {
            &self.unknown
        } else if id.is_system() {
            &self.system
        } else {
            &self.user
        };
        let slot = table.get(id.id() as usize);
        if let Some(code) = slot.map(|s| s.load(Ordering::Relaxed)).filter(|&c| c != 0) {
            return PartOfSpeech::ALL[usize::from(code - 1)];
        }
        let function_noun = id.is_system() && self.function_nouns.contains(token.surface.as_ref());
        let mut details = token.details_iter();
        let major = details.next().unwrap_or("");
        let sub1 = details.next().unwrap_or("");
        let sub2 = details.next().unwrap_or("");
        let mut pos = PartOfSpeech::from_ipadic(major, sub1, sub2);
        // A system entry's surface is fixed by its id, so the cached slot stays right.
        if function_noun
            && matches!(
                pos,
                PartOfSpeech::Noun | PartOfSpeech::VerbalNoun | PartOfSpeech::AdjectivalNoun
            )
        {
            pos = PartOfSpeech::Other;
        }
        if let Some(slot) = slot {
            slot.store(pos.index() + 1, Ordering::Relaxed);
        }
        pos
    }
}

fn load_dictionary_dir(dir: &Path) -> Result<Dictionary> {
    if !dir.is_dir() {
        return Err(Error::input(
            dir,
            tr!(
                "--dict には lindera の辞書ディレクトリを指定してください",
                "--dict must be a lindera dictionary directory"
            ),
        ));
    }
    load_fs_dictionary(dir).map_err(|e| {
        Error::input(
            dir,
            tr!(
                "使える lindera の辞書ではありません({e})",
                "not a usable lindera dictionary: {e}"
            ),
        )
    })
}

/// The bundled SRE terms plus the user's own file, compiled against the system dictionary.
fn build_user_dictionary(dictionary: &Dictionary, extra: Option<&Path>) -> Result<UserDictionary> {
    let mut csv = String::from(SRE_USER_DICT);
    if let Some(path) = extra {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::input(
                path,
                crate::error::cannot(
                    "ユーザー辞書を読めません",
                    "cannot read user dictionary",
                    &e,
                ),
            )
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            Error::input(
                path,
                tr!(
                    "ユーザー辞書が UTF-8 のテキストではありません",
                    "user dictionary is not UTF-8 text"
                ),
            )
        })?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split(',').collect();
            if fields.len() != 3 || fields.iter().any(|f| f.trim().is_empty()) {
                let line = i + 1;
                return Err(Error::input(
                    path,
                    tr!(
                        "{line}行目: `表層形,品詞,読み` の形ではありません",
                        "line {line}: expected `surface,part_of_speech,reading`"
                    ),
                ));
            }
            csv.push_str(line);
            csv.push('\n');
        }
    }
    DictionaryBuilder::new((*dictionary.metadata).clone())
        .build_user_dict_from_reader(csv.as_bytes())
        .map_err(|e| Error::usage(tr!("ユーザー辞書: {e}", "user dictionary: {e}")))
}

/// Counts of display forms per key, to show each term the way it is most often written.
#[derive(Debug, Default, Clone)]
pub struct DisplayForms {
    counts: FxHashMap<String, FxHashMap<String, usize>>,
}

impl DisplayForms {
    pub fn add(&mut self, term: &Term) {
        // Allocate only for a new key or form: most occurrences repeat a known one.
        if let Some(forms) = self.counts.get_mut(&term.key) {
            match forms.get_mut(&term.display) {
                Some(c) => *c += 1,
                None => {
                    forms.insert(term.display.clone(), 1);
                }
            }
            return;
        }
        *self
            .counts
            .entry(term.key.clone())
            .or_default()
            .entry(term.display.clone())
            .or_default() += 1;
    }
    /// Most frequent display form; ties broken by string order so output is deterministic.
    pub fn best(&self, key: &str) -> String {
        self.counts
            .get(key)
            .and_then(|m| {
                m.iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            })
            .map_or_else(|| key.to_string(), |(d, _)| d.clone())
    }
}
