//! Stage 2, tokenize: talk text → the terms that carry topic.
//!
//! Built like tantivy's analyzers: a segmenter (lindera + IPADIC, compiled into the binary)
//! followed by a chain of small filters — normalize (NFKC, links) → segment → keep content
//! nouns → join noun runs into compounds → aliases → stopwords.

pub mod dictionary;
pub mod filters;
pub mod normalize;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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

/// One term as found in text: `key` is the case-folded form used for matching and counting,
/// `display` the form as written (first letter case kept: "Kubernetes", "SLO").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    pub key: String,
    pub display: String,
    pub pos: PartOfSpeech,
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
}

/// Japanese + English tokenizer. Cheap to share across threads (`&Tokenizer` is `Sync`).
pub struct Tokenizer {
    segmenter: Segmenter,
    chain: filters::FilterChain,
    /// Distinguishes this tokenizer's entries in the per-thread part-of-speech cache.
    instance: u64,
}

static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Tokenizer {
    /// The default tokenizer: embedded IPADIC, bundled SRE user dictionary, both compounds
    /// and their parts.
    pub fn new() -> Result<Self> {
        Self::with_params(&TokenizerParams::default())
    }

    pub fn with_params(params: &TokenizerParams) -> Result<Self> {
        let dictionary = match &params.dict_dir {
            None => {
                dictionary::load().map_err(|e| Error::usage(format!("embedded IPADIC: {e}")))?
            }
            Some(dir) => load_dictionary_dir(dir)?,
        };
        let user_dictionary = build_user_dictionary(&dictionary, params.user_dict.as_deref())?;
        let segmenter = Segmenter::new(Mode::Normal, dictionary, Some(user_dictionary));
        let chain = filters::FilterChain::new(STOPWORDS, ALIASES, params.compounds);
        let instance = INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Tokenizer {
            segmenter,
            chain,
            instance,
        })
    }

    /// Terms of one text, in order of appearance.
    pub fn tokenize(&self, text: &str) -> Vec<Term> {
        thread_local! {
            // One lattice per thread, reused across calls (lindera allocates one per
            // `segment` otherwise), and the part of speech of every dictionary word seen,
            // per tokenizer (instances may have different dictionaries).
            static LATTICE: RefCell<Lattice> = RefCell::new(Lattice::default());
            static POS: RefCell<HashMap<(u64, u8, u32), PartOfSpeech>> = RefCell::new(HashMap::new());
        }
        let normalized = normalize::normalize(text);
        let mut words = Vec::new();
        // Segment line by line: a line break is never inside a word, and shorter inputs keep
        // lindera's lattice small.
        for line in normalized.lines() {
            if line.trim().is_empty() {
                continue;
            }
            let segmented = LATTICE.with_borrow_mut(|lattice| {
                self.segmenter
                    .segment_with_lattice(Cow::Borrowed(line), lattice)
            });
            let Ok(tokens) = segmented else {
                continue;
            };
            for mut token in tokens {
                let id = &token.word_id;
                // Unknown words' ids are per character class, system and user ids index
                // their dictionaries: together they name the entry and so its features.
                let kind = if id.is_unknown() {
                    0
                } else if id.is_system() {
                    1
                } else {
                    2
                };
                let key = (self.instance, kind, id.id());
                let cached = POS.with_borrow(|m| m.get(&key).copied());
                let pos = cached.unwrap_or_else(|| {
                    let mut details = token.details_iter();
                    let major = details.next().unwrap_or("");
                    let sub1 = details.next().unwrap_or("");
                    let sub2 = details.next().unwrap_or("");
                    let pos = PartOfSpeech::from_ipadic(major, sub1, sub2);
                    POS.with_borrow_mut(|m| m.insert(key, pos));
                    pos
                });
                words.push(filters::Word {
                    surface: token.surface.into_owned(),
                    start: token.byte_start,
                    end: token.byte_end,
                    pos,
                });
            }
            words.push(filters::Word::boundary());
        }
        self.chain.apply(words)
    }

    /// Tokenize many texts in parallel (rayon); output order follows input order.
    pub fn tokenize_all<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<Term>> {
        texts
            .par_iter()
            .map(|t| self.tokenize(t.as_ref()))
            .collect()
    }
}

fn load_dictionary_dir(dir: &Path) -> Result<Dictionary> {
    if !dir.is_dir() {
        return Err(Error::input(
            dir,
            "--dict must be a lindera dictionary directory",
        ));
    }
    load_fs_dictionary(dir)
        .map_err(|e| Error::input(dir, format!("not a usable lindera dictionary: {e}")))
}

/// The bundled SRE terms plus the user's own file, compiled against the system dictionary.
fn build_user_dictionary(dictionary: &Dictionary, extra: Option<&Path>) -> Result<UserDictionary> {
    let mut csv = String::from(SRE_USER_DICT);
    if let Some(path) = extra {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::input(path, format!("cannot read user dictionary: {e}")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::input(path, "user dictionary is not UTF-8 text"))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split(',').collect();
            if fields.len() != 3 || fields.iter().any(|f| f.trim().is_empty()) {
                return Err(Error::input(
                    path,
                    format!("line {}: expected `surface,part_of_speech,reading`", i + 1),
                ));
            }
            csv.push_str(line);
            csv.push('\n');
        }
    }
    DictionaryBuilder::new((*dictionary.metadata).clone())
        .build_user_dict_from_reader(csv.as_bytes())
        .map_err(|e| Error::usage(format!("user dictionary: {e}")))
}

/// Counts of display forms per key, to show each term the way it is most often written.
#[derive(Debug, Default, Clone)]
pub struct DisplayForms {
    counts: HashMap<String, HashMap<String, usize>>,
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
