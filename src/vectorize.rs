//! Stage 3, vectorize: per-talk terms → TF-IDF vectors.
//!
//! Sublinear tf (1 + ln tf), smoothed idf (ln((1+n)/(1+df)) + 1, as scikit-learn), title
//! terms counted `title_weight` times, `min_df`/`max_df` document-frequency cut-offs and
//! L2-normalized rows, stored sparse. Terms in nearly every talk of an SRE event (SRE, 信頼性)
//! fall to `max_df`, not to a hand-made list.

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::SectionKind;
use crate::error::{Error, Result};
use crate::tokenize::{DisplayForms, Term};

/// The terms of one talk, split by where they occur so the title can weigh more.
#[derive(Debug, Clone, Default)]
pub struct TalkTerms {
    pub title: Vec<Term>,
    pub body: Vec<Term>,
    /// Where each section's terms end in `body`, in section order: (kind, end index), so a
    /// comparison can count only sections of a kind every group has (`compare`).
    pub section_ends: Vec<(SectionKind, usize)>,
}

impl TalkTerms {
    /// Body terms of the sections whose kind `keep` accepts.
    pub fn body_of(&self, keep: impl Fn(SectionKind) -> bool) -> impl Iterator<Item = &Term> {
        let mut start = 0;
        self.section_ends
            .iter()
            .flat_map(move |&(kind, end)| {
                let range = start.min(end)..end;
                start = end;
                keep(kind).then_some(range)
            })
            .flat_map(|r| self.body.get(r).unwrap_or_default())
    }
}

/// How many different longer terms a word must be a piece of to be a word of its own even
/// where the texts mostly use it inside them.
pub const PRODUCTIVE_COMPOUNDS: usize = 3;

/// Vocabulary words most of whose talks use them only inside longer terms, but inside at
/// least `PRODUCTIVE_COMPOUNDS` different ones, none containing another: セキュリティ in
/// セキュリティ対策, クラウドセキュリティ, ランタイムセキュリティ is the security talks' own
/// word; アンド only ever inside アンドパッド, スタート inside スタートアップ (スタートアップ企業
/// contains スタートアップ, so it is not another) are pieces of one name. Only the
/// candidates `mostly_piece` names are looked at.
fn productive_words(
    talks: &[TalkTerms],
    vocab: &Vocabulary,
    mostly_piece: &dyn Fn(usize) -> bool,
) -> rustc_hash::FxHashSet<u32> {
    use rustc_hash::{FxHashMap, FxHashSet};
    let mut enclosing: FxHashMap<u32, FxHashSet<&str>> = FxHashMap::default();
    for talk in talks {
        for terms in [&talk.title, &talk.body] {
            // A compound is pushed right before its parts (`filters`): each part's
            // enclosing term is the last compound before it.
            let mut compound: Option<&str> = None;
            for t in terms.iter() {
                if !t.part {
                    compound = (t.pos == crate::tokenize::PartOfSpeech::Compound)
                        .then_some(t.key.as_str());
                    continue;
                }
                // A piece inside its compound; a verbal noun used as a verb (also a piece)
                // is enclosed by nothing.
                let (Some(c), Some(i)) = (
                    compound.filter(|c| c.contains(t.key.as_str())),
                    vocab.get(&t.key),
                ) else {
                    continue;
                };
                if mostly_piece(i as usize) {
                    enclosing.entry(i).or_default().insert(c);
                }
            }
        }
    }
    let mut out = FxHashSet::default();
    for (i, set) in enclosing {
        if set.len() < PRODUCTIVE_COMPOUNDS {
            continue;
        }
        // Shortest first: a term is another one only when no shorter term of the set is in it.
        let mut terms: Vec<&str> = set.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
        let mut minimal: Vec<&str> = Vec::new();
        for t in terms {
            if !minimal.iter().any(|m| t.contains(m)) {
                minimal.push(t);
                if minimal.len() >= PRODUCTIVE_COMPOUNDS {
                    out.insert(i);
                    break;
                }
            }
        }
    }
    out
}

#[cfg(test)]
impl TalkTerms {
    /// Test talks from words: key lower-cased, display as written, all plain nouns.
    pub(crate) fn from_words(title: &[&str], body: &[&str]) -> TalkTerms {
        let terms = |words: &[&str]| {
            words
                .iter()
                .map(|w| Term {
                    key: w.to_lowercase(),
                    display: w.to_string(),
                    pos: crate::tokenize::PartOfSpeech::Noun,
                    part: false,
                })
                .collect()
        };
        TalkTerms {
            title: terms(title),
            body: terms(body),
            section_ends: vec![(SectionKind::Other, body.len())],
        }
    }

    /// A test talk's body as the tokenizer emits compounds: "+" marks a compound, "~" a
    /// piece of the compound before it (or of a longer term).
    pub(crate) fn from_marked(body: &[&str]) -> TalkTerms {
        let words: Vec<&str> = body
            .iter()
            .map(|w| w.trim_start_matches(['~', '+']))
            .collect();
        let mut t = TalkTerms::from_words(&[], &words);
        for (term, w) in t.body.iter_mut().zip(body) {
            term.part = w.starts_with('~');
            if w.starts_with('+') {
                term.pos = crate::tokenize::PartOfSpeech::Compound;
            }
        }
        t
    }
}

#[cfg(test)]
impl TfIdf {
    /// Fitted with every term kept (no document-frequency cut-offs): what tests reason about.
    pub(crate) fn fit_every_term(talks: &[TalkTerms]) -> TfIdf {
        let params = TfIdfParams {
            min_df: 1,
            max_df: 1.0,
            fixed_min_df: true,
            ..Default::default()
        };
        TfIdf::fit(talks, &params).unwrap()
    }
}

/// Hyperparameters of the vectorizer, checked by `check()` (linfa's `Params` style).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TfIdfParams {
    /// Keep a term only if at least this many talks use it.
    pub min_df: usize,
    /// Drop a term used by more than this share of talks.
    pub max_df: f64,
    /// How many times a title occurrence counts.
    pub title_weight: f64,
    /// Keep at most this many terms (highest document frequency first).
    pub max_features: Option<usize>,
    /// `min_df` holds at every corpus size (given with `--min-df`); otherwise corpora under
    /// `SMALL_CORPUS_TALKS` keep single-talk terms.
    #[serde(default)]
    pub fixed_min_df: bool,
}

impl Default for TfIdfParams {
    fn default() -> Self {
        TfIdfParams {
            min_df: 2,
            max_df: 0.5,
            title_weight: 3.0,
            max_features: Some(50_000),
            fixed_min_df: false,
        }
    }
}

/// Corpora smaller than this many talks keep terms used by a single talk: with min_df 2 a
/// 12-talk meetup kept a 6-term vocabulary and three talks had no term at all.
pub const SMALL_CORPUS_TALKS: usize = 30;

impl TfIdfParams {
    /// The document-frequency bounds used on `n` talks: (min talks, max talks). Small corpora
    /// keep single-talk terms (`SMALL_CORPUS_TALKS`), and a term shared by two talks is never
    /// cut as "too common" (max_df × 3 talks would cut it).
    pub fn effective_df(&self, n: usize) -> (usize, usize) {
        let min_df = if n < SMALL_CORPUS_TALKS && !self.fixed_min_df {
            1
        } else {
            self.min_df
        };
        let max_count = ((self.max_df * n as f64).floor() as usize).max(2.min(n));
        (min_df.min(n.max(1)), max_count.max(1))
    }

    pub fn check(&self) -> Result<()> {
        if self.min_df == 0 {
            return Err(Error::usage(tr!(
                "min_df は1以上にしてください",
                "min_df must be at least 1"
            )));
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            let got = self.max_df;
            return Err(Error::usage(tr!(
                "max_df は (0, 1] の範囲にしてください({got} でした)",
                "max_df must be in (0, 1], got {got}"
            )));
        }
        if !(self.title_weight.is_finite() && self.title_weight >= 0.0) {
            return Err(Error::usage(tr!(
                "タイトルの重みは0以上の有限の数にしてください",
                "title weight must be a finite number ≥ 0"
            )));
        }
        if self.max_features == Some(0) {
            return Err(Error::usage(tr!(
                "max_features は1以上にしてください",
                "max_features must be at least 1"
            )));
        }
        Ok(())
    }
}

/// A sparse row: (term index, weight), sorted by term index.
pub type SparseRow = Vec<(u32, f32)>;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vocabulary {
    /// Matching keys, in index order.
    pub keys: Vec<String>,
    /// How each term is shown (its most frequent written form).
    pub display: Vec<String>,
    /// Number of talks using each term.
    pub df: Vec<usize>,
    /// Terms the corpus only ever uses as a piece of a longer term (アンド of アンドパッド,
    /// Savings of "AWS Savings Plans"): they link talks as features, but are never shown
    /// as a keyword, a chart label or a distinctive term (`shown`). Empty: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub piece_only: Vec<bool>,
    /// Everyday words of general Japanese (挑戦, 実施, 責任) that are not the domain's own
    /// (`hide`, `Taxonomy::everyday_words`): features like any term, never shown. Empty: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub everyday: Vec<bool>,
    #[serde(skip)]
    index: FxHashMap<String, u32>,
}

impl Vocabulary {
    pub fn new(keys: Vec<String>, display: Vec<String>, df: Vec<usize>) -> Self {
        let index = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect();
        Vocabulary {
            keys,
            display,
            piece_only: Vec::new(),
            everyday: Vec::new(),
            df,
            index,
        }
    }
    pub fn get(&self, key: &str) -> Option<u32> {
        self.index.get(key).copied()
    }
    /// Whether term `i` may be shown to a reader: the corpus uses it on its own somewhere,
    /// not only as a piece of a longer name or compound, it is not an everyday word
    /// (`hide`), and it is more than one character (`tokenize::readable_alone`).
    pub fn shown(&self, i: usize) -> bool {
        !self.piece_only.get(i).copied().unwrap_or(false)
            && !self.everyday.get(i).copied().unwrap_or(false)
            && self
                .display
                .get(i)
                .is_none_or(|d| crate::tokenize::readable_alone(d))
    }
    /// Hide `everyday` words from readers (`shown`); they stay features.
    pub fn hide(&mut self, everyday: &rustc_hash::FxHashSet<String>) {
        self.everyday = self.keys.iter().map(|k| everyday.contains(k)).collect();
    }
    pub fn len(&self) -> usize {
        self.keys.len()
    }
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
    /// Rebuild the lookup table after deserializing.
    pub fn reindex(&mut self) {
        self.index = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect();
    }
}

/// The vectorized corpus.
#[derive(Debug, Clone)]
pub struct TfIdf {
    pub vocab: Vocabulary,
    pub idf: Vec<f32>,
    /// One L2-normalized row per talk (empty for a talk with no kept terms).
    pub rows: Vec<SparseRow>,
    /// Weighted raw term counts per talk (title weighted), for class-based TF-IDF.
    pub counts: Vec<SparseRow>,
    /// Per talk, the terms it uses only as a piece of a longer term (スタート of its
    /// スタートアップ), ascending, for terms that more talks use only as a piece than on
    /// their own: features that link talks, but such a talk does not count as the word's
    /// user where words are shown. A word most talks use itself (文化 beside 組織文化) keeps
    /// its compounds' talks.
    pub pieces: Vec<Vec<u32>>,
    pub params: TfIdfParams,
}

impl TfIdf {
    /// Fit the vocabulary and idf on `talks` and transform them.
    pub fn fit(talks: &[TalkTerms], params: &TfIdfParams) -> Result<TfIdf> {
        params.check()?;
        let n = talks.len();
        // Fx hashing: every map here is read in a sorted order or by key, never by its order.
        let mut df: FxHashMap<&str, usize> = FxHashMap::default();
        let mut forms = DisplayForms::default();
        let mut standalone: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for talk in talks {
            let mut seen: Vec<&str> = talk
                .title
                .iter()
                .chain(&talk.body)
                .map(|t| t.key.as_str())
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for key in seen {
                *df.entry(key).or_default() += 1;
            }
            for term in talk.title.iter().chain(&talk.body) {
                forms.add(term);
                if !term.part {
                    standalone.insert(term.key.as_str());
                }
            }
        }
        let (min_df, max_count) = params.effective_df(n);
        let mut kept: Vec<(&str, usize)> = df
            .into_iter()
            .filter(|&(_, d)| d >= min_df && d <= max_count)
            .collect();
        // Deterministic order: by df descending, then key, for max_features; then by key.
        kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        if let Some(max) = params.max_features {
            kept.truncate(max);
        }
        kept.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let keys: Vec<String> = kept.iter().map(|(k, _)| k.to_string()).collect();
        let display = keys.iter().map(|k| forms.best(k)).collect();
        let dfs: Vec<usize> = kept.iter().map(|&(_, d)| d).collect();
        let idf = dfs
            .iter()
            .map(|&d| (((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32)
            .collect();
        let piece_only = keys
            .iter()
            .map(|k| !standalone.contains(k.as_str()))
            .collect();
        let mut vocab = Vocabulary::new(keys, display, dfs);
        vocab.piece_only = piece_only;
        let mut tfidf = TfIdf {
            vocab,
            idf,
            rows: Vec::new(),
            counts: Vec::new(),
            pieces: Vec::new(),
            params: TfIdfParams {
                min_df,
                ..params.clone()
            },
        };
        let (rows, counts) = talks.par_iter().map(|t| tfidf.transform_one(t)).unzip();
        tfidf.rows = rows;
        tfidf.counts = counts;
        let mut pieces: Vec<Vec<u32>> = talks.par_iter().map(|t| tfidf.pieces_of(t)).collect();
        let mut piece_talks = vec![0usize; tfidf.vocab.len()];
        for &i in pieces.iter().flatten() {
            piece_talks[i as usize] += 1;
        }
        let mostly_piece = |i: usize| {
            let piece = piece_talks[i];
            tfidf.vocab.df[i] - piece < piece
        };
        let productive = productive_words(talks, &tfidf.vocab, &mostly_piece);
        let fragment = |i: u32| mostly_piece(i as usize) && !productive.contains(&i);
        for p in &mut pieces {
            p.retain(|&i| fragment(i));
        }
        tfidf.pieces = pieces;
        Ok(tfidf)
    }

    /// The vocabulary terms `talk` uses only as pieces, ascending.
    fn pieces_of(&self, talk: &TalkTerms) -> Vec<u32> {
        let terms = || talk.title.iter().chain(&talk.body);
        if !terms().any(|t| t.part) {
            return Vec::new();
        }
        let itself: rustc_hash::FxHashSet<&str> = terms()
            .filter(|t| !t.part)
            .map(|t| t.key.as_str())
            .collect();
        let mut pieces: Vec<u32> = terms()
            .filter(|t| t.part && !itself.contains(t.key.as_str()))
            .filter_map(|t| self.vocab.get(&t.key))
            .collect();
        pieces.sort_unstable();
        pieces.dedup();
        pieces
    }

    /// Whether `talk` uses term `i` itself, not only as a piece of a longer term.
    pub fn uses_itself(&self, talk: usize, i: u32) -> bool {
        self.pieces
            .get(talk)
            .is_none_or(|p| p.binary_search(&i).is_err())
    }

    /// Vectorize one talk with the fitted vocabulary and idf: (normalized row, weighted counts).
    pub fn transform_one(&self, talk: &TalkTerms) -> (SparseRow, SparseRow) {
        let mut counts: FxHashMap<u32, f64> = FxHashMap::default();
        for (terms, weight) in [(&talk.title, self.params.title_weight), (&talk.body, 1.0)] {
            for term in terms {
                if let Some(i) = self.vocab.get(&term.key) {
                    *counts.entry(i).or_default() += weight;
                }
            }
        }
        let mut count_row: SparseRow = counts.iter().map(|(&i, &c)| (i, c as f32)).collect();
        count_row.sort_unstable_by_key(|&(i, _)| i);
        let mut row: SparseRow = count_row
            .iter()
            .filter(|&&(_, c)| c > 0.0)
            .map(|&(i, c)| (i, (1.0 + (c as f64).ln()) as f32 * self.idf[i as usize]))
            .collect();
        normalize_l2(&mut row);
        (row, count_row)
    }

    pub fn n_talks(&self) -> usize {
        self.rows.len()
    }
}

/// Scale a sparse row to unit length (a zero row stays zero).
pub fn normalize_l2(row: &mut SparseRow) {
    let norm = row
        .iter()
        .map(|&(_, w)| (w as f64) * (w as f64))
        .sum::<f64>()
        .sqrt();
    if norm > 0.0 {
        for (_, w) in row.iter_mut() {
            *w = (*w as f64 / norm) as f32;
        }
    }
}

/// Dot product of two sparse rows sorted by index.
pub fn sparse_dot(a: &SparseRow, b: &SparseRow) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 as f64 * b[j].1 as f64;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk(title: &[&str], body: &[&str]) -> TalkTerms {
        TalkTerms::from_words(title, body)
    }

    #[test]
    fn common_and_rare_terms_are_cut_by_document_frequency() {
        let talks = vec![
            talk(&["sre", "slo"], &["slo", "監視"]),
            talk(&["sre", "slo"], &["コスト"]),
            talk(&["sre", "監視"], &["アラート"]),
            talk(&["sre", "コスト"], &["アラート"]),
        ];
        let tfidf = TfIdf::fit(&talks, &TfIdfParams::default()).unwrap();
        // sre is in every talk (> max_df), each kept term in exactly 2 talks (≥ min_df).
        let mut expected = vec!["アラート", "コスト", "slo", "監視"];
        expected.sort_unstable();
        assert_eq!(tfidf.vocab.keys, expected);
        for row in &tfidf.rows {
            let norm: f32 = row.iter().map(|(_, w)| w * w).sum();
            assert!((norm - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    fn title_terms_weigh_more_and_tf_is_sublinear() {
        let talks = vec![talk(&["slo"], &["監視"]), talk(&["監視"], &["slo"])];
        let p = TfIdfParams {
            min_df: 1,
            max_df: 1.0,
            ..Default::default()
        };
        let tfidf = TfIdf::fit(&talks, &p).unwrap();
        let slo = tfidf.vocab.get("slo").unwrap();
        let weight = |row: &SparseRow, i| row.iter().find(|&&(j, _)| j == i).unwrap().1;
        assert!(weight(&tfidf.rows[0], slo) > weight(&tfidf.rows[1], slo));
        // 1 + ln 3 vs 1: ratio of sublinear title weight to body weight.
        let ratio = weight(&tfidf.rows[0], slo) / weight(&tfidf.rows[1], slo);
        let expected = {
            let a = 1.0 + 3f32.ln();
            (a / (a * a + 1.0).sqrt()) / (1.0 / (a * a + 1.0).sqrt())
        };
        assert!((ratio - expected).abs() < 1e-4, "{ratio} vs {expected}");
    }

    #[test]
    fn talks_without_terms_get_zero_rows_not_nan() {
        let talks = vec![talk(&[], &[]), talk(&["slo"], &[]), talk(&["slo"], &[])];
        let p = TfIdfParams {
            max_df: 1.0,
            ..Default::default()
        };
        let tfidf = TfIdf::fit(&talks, &p).unwrap();
        assert!(tfidf.rows[0].is_empty());
        assert!(tfidf.rows.iter().flatten().all(|(_, w)| w.is_finite()));
    }

    #[test]
    fn bad_params_are_refused() {
        assert!(
            TfIdfParams {
                min_df: 0,
                ..Default::default()
            }
            .check()
            .is_err()
        );
        assert!(
            TfIdfParams {
                max_df: 1.5,
                ..Default::default()
            }
            .check()
            .is_err()
        );
        assert!(
            TfIdfParams {
                max_df: f64::NAN,
                ..Default::default()
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn sparse_dot_matches_dense() {
        let a = vec![(0, 1.0), (3, 2.0), (7, 1.0)];
        let b = vec![(3, 4.0), (5, 1.0), (7, 0.5)];
        assert_eq!(sparse_dot(&a, &b), 8.5);
    }

    #[test]
    fn a_word_most_talks_use_only_inside_a_longer_one_is_not_theirs() {
        // "~" marks a piece of a longer term in that talk. スタート is inside スタートアップ in
        // three talks and on its own in one; 文化 is on its own in three and inside 組織文化
        // in one.
        let talk = TalkTerms::from_marked;
        let talks = vec![
            talk(&["スタートアップ", "~スタート", "組織文化", "~文化"]),
            talk(&["スタートアップ", "~スタート", "文化"]),
            talk(&["スタートアップ", "~スタート", "文化"]),
            talk(&["スタート", "文化"]),
            talk(&["監視"]),
        ];
        let tfidf = TfIdf::fit_every_term(&talks);
        let start = tfidf.vocab.get("スタート").unwrap();
        let culture = tfidf.vocab.get("文化").unwrap();
        for t in 0..3 {
            assert!(!tfidf.uses_itself(t, start), "talk {t}");
            assert!(tfidf.uses_itself(t, culture), "talk {t}");
        }
        assert!(tfidf.uses_itself(3, start));
    }

    #[test]
    fn a_word_inside_many_different_compounds_is_a_word_of_its_own() {
        // "+" marks a compound, "~" a piece of the compound before it. セキュリティ is inside
        // three different compounds in three talks and alone in one: the security talks'
        // word. スタート is inside スタートアップ and スタートアップ企業, which holds スタートアップ:
        // one name.
        let talk = TalkTerms::from_marked;
        let talks = vec![
            talk(&[
                "+セキュリティ対策",
                "~セキュリティ",
                "~対策",
                "+スタートアップ",
                "~スタート",
                "~アップ",
            ]),
            talk(&[
                "+クラウドセキュリティ",
                "~クラウド",
                "~セキュリティ",
                "+スタートアップ企業",
                "~スタート",
                "~アップ",
                "~企業",
            ]),
            talk(&[
                "+ランタイムセキュリティ",
                "~ランタイム",
                "~セキュリティ",
                "+スタートアップ",
                "~スタート",
                "~アップ",
            ]),
            talk(&["セキュリティ", "スタート"]),
        ];
        let tfidf = TfIdf::fit_every_term(&talks);
        let security = tfidf.vocab.get("セキュリティ").unwrap();
        let start = tfidf.vocab.get("スタート").unwrap();
        for t in 0..3 {
            assert!(tfidf.uses_itself(t, security), "talk {t}");
            assert!(!tfidf.uses_itself(t, start), "talk {t}");
        }
    }

    #[test]
    fn document_frequency_bounds_adapt_to_small_corpora() {
        let p = TfIdfParams::default();
        // A 3-talk meetup keeps single-talk terms and terms shared by two of the three.
        assert_eq!(p.effective_df(3), (1, 2));
        assert_eq!(p.effective_df(12), (1, 6));
        assert_eq!(
            p.effective_df(SMALL_CORPUS_TALKS),
            (2, SMALL_CORPUS_TALKS / 2)
        );
        assert_eq!(p.effective_df(1), (1, 1));
    }
}
