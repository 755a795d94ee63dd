//! Distinctive terms: which terms a group's talks use more than other talks do, and whether
//! that is a finding.
//!
//! The size of a difference is the talk-level weighted log-odds (`z`, Monroe, Colaresi &
//! Quinn 2008, two-category form). Whether it is a finding is decided apart from it, because
//! z ≥ 1.96 per term flagged about three words per random split of one event into two, and
//! ten when one side's texts were short (docs/compare.md):
//! - the unit is the talk that uses a term, compared only with talks of like length (the
//!   exact conditional test over length strata: presence grows with length);
//! - the false discoveries over all the terms tested are controlled (the discrete
//!   Benjamini–Hochberg step-down of Döhler, Durand & Roquain 2018: each term counts by the
//!   exact null law of its p-value, so rare terms that cannot reach small p cost no power);
//! - a term is a finding for a group only when talks from at least two independent sources
//!   of the group use it (a recap post is one writer, however many talks it covers), and a
//!   group that is one source gets no finding at all.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::CompareParams;
use crate::analysis::stats::{self, Stratum};
use crate::corpus::{Corpus, Section, SectionKind};
use crate::fitted::Analysis;
use crate::lang::Lang;

/// A term typical of one side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistinctiveTerm {
    /// Matching key.
    pub term: String,
    /// How the term is written.
    pub display: String,
    /// Log-odds ratio (positive: typical of the group / of side a).
    pub delta: f64,
    pub z: f64,
    /// Occurrences in the group (side a) and in the rest (side b).
    pub count: u64,
    pub other_count: u64,
    /// Talks using the term, in the group (side a) and in the rest (side b): the counts
    /// the z-score is computed from.
    pub talks: usize,
    pub other_talks: usize,
    /// Independent sources (a speaker's own text, or one recap writer's post) of the side
    /// the term is typical of whose talks use it.
    pub sources: usize,
    /// p-value of the length-stratified exact test (one-sided against the rest, two-sided in
    /// a pair); `null` when the term could never reach the level with its counts.
    pub p_value: Option<f64>,
    /// Benjamini–Hochberg adjusted p over the terms tested in this comparison.
    pub q_value: Option<f64>,
    /// A finding: q ≤ the false discovery rate, used in talks of at least two independent
    /// sources of its side, and that side is not a single source.
    pub significant: bool,
}

/// Distinctive terms of one group against all other talks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTerms {
    pub group: usize,
    /// Independent sources of the group's counted text (speakers' own texts, recap writers).
    pub sources: usize,
    /// The group's text is one writer's: its words are that writer's, not the event's, and
    /// no term is marked significant.
    pub single_source: bool,
    /// Findings first, then the others; each by z, highest first.
    pub terms: Vec<DistinctiveTerm>,
}

/// Talks per length stratum: enough for the exact test to have counts in each (10 lost
/// 対策 of the security conference against the observability one, 19 and 17 talks).
const TALKS_PER_STRATUM: usize = 30;
/// Most length strata: talks of like length are compared with each other.
const MAX_STRATA: usize = 8;
/// Fewest independent sources of a side using a term for it to be a finding.
pub const MIN_SOURCES: usize = 2;

/// What one talk contributes to the counts.
#[derive(Debug, Clone, Default)]
pub(super) struct TalkText {
    /// (term index, occurrences), sorted by term.
    pub terms: Vec<(usize, u64)>,
    /// (term index, source id) where the talk's text uses it, sorted, each once.
    pub sources: Vec<(usize, u32)>,
    /// Source ids of the talk's counted text, sorted, each once.
    pub all_sources: Vec<u32>,
    /// Counted term occurrences: the talk's length for the strata.
    pub length: u64,
}

/// Counts talks' terms and knows who wrote each text: a speaker's own text (title, proposal,
/// description) is its talk's source; a recap section is its post's (file's) writer; the
/// title of a talk known only from recaps is the recap's.
///
/// The terms are every content term two or more talks use, not only the clustering's
/// vocabulary: that one leaves out terms in more than half of the talks, which is exactly
/// what the topic word of one of two events is (オブザーバビリティ in 14 of 36 talks of the
/// observability and security conferences, cut as too common).
pub(super) struct Counter<'a> {
    corpus: &'a Corpus,
    analysis: &'a Analysis,
    files: HashMap<&'a str, u32>,
    keys: Vec<String>,
    display: Vec<String>,
    /// Talks using each term on its own, not only as a piece of a longer term.
    alone: Vec<usize>,
    index: HashMap<String, usize>,
}

impl<'a> Counter<'a> {
    pub fn new(corpus: &'a Corpus, analysis: &'a Analysis) -> Self {
        let n = corpus.talks.len() as u32;
        let mut files: HashMap<&str, u32> = HashMap::new();
        for talk in &corpus.talks {
            for s in &talk.sections {
                if s.kind == SectionKind::Recap {
                    let next = n + files.len() as u32;
                    files.entry(s.source.file.as_str()).or_insert(next);
                }
            }
        }
        // key → (talks using it, written forms with their counts); hashed while counting
        // (a B-tree compared strings at every occurrence), read in key order below.
        let mut seen: FxHashMap<&str, (usize, FxHashMap<&str, usize>)> = FxHashMap::default();
        let mut alone_talks: FxHashMap<&str, usize> = FxHashMap::default();
        for terms in &analysis.terms {
            let mut keys: Vec<&str> = Vec::new();
            let mut alone: Vec<&str> = Vec::new();
            for term in terms.title.iter().chain(&terms.body) {
                keys.push(&term.key);
                if !term.part {
                    alone.push(&term.key);
                }
                *seen
                    .entry(&term.key)
                    .or_default()
                    .1
                    .entry(&term.display)
                    .or_default() += 1;
            }
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                seen.entry(k).or_default().0 += 1;
            }
            alone.sort_unstable();
            alone.dedup();
            for k in alone {
                *alone_talks.entry(k).or_default() += 1;
            }
        }
        let vocab = &analysis.tfidf.vocab;
        let mut keys = Vec::new();
        let mut display = Vec::new();
        let mut seen: Vec<_> = seen.into_iter().collect();
        seen.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (key, (talks, forms)) in seen {
            if talks < 2 && vocab.get(key).is_none() {
                continue;
            }
            let shown = match vocab.get(key) {
                Some(i) => vocab.display.get(i as usize).cloned(),
                None => forms
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(d, _)| d.to_string()),
            };
            let shown = shown.unwrap_or_else(|| key.to_string());
            if !crate::tokenize::readable_alone(&shown) || analysis.everyday.contains(key) {
                continue;
            }
            keys.push(key.to_string());
            display.push(shown);
        }
        if analysis.terms.is_empty() {
            keys = vocab.keys.clone();
            display = vocab.display.clone();
        }
        let alone = keys
            .iter()
            .map(|k| alone_talks.get(k.as_str()).copied().unwrap_or(0))
            .collect();
        let index = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        Counter {
            corpus,
            analysis,
            files,
            keys,
            display,
            alone,
            index,
        }
    }

    pub fn vocab(&self) -> usize {
        self.keys.len()
    }

    pub fn index(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    pub fn key(&self, i: usize) -> String {
        self.keys.get(i).cloned().unwrap_or_default()
    }

    pub fn display(&self, i: usize) -> String {
        self.display.get(i).cloned().unwrap_or_default()
    }

    fn section_source(&self, talk: usize, section: &Section) -> u32 {
        match section.kind {
            SectionKind::Recap => self
                .files
                .get(section.source.file.as_str())
                .copied()
                .unwrap_or(talk as u32),
            _ => talk as u32,
        }
    }

    fn title_source(&self, talk: usize) -> u32 {
        let sections = &self.corpus.talks[talk].sections;
        match sections.first() {
            Some(first) if sections.iter().all(|s| s.kind == SectionKind::Recap) => {
                self.section_source(talk, first)
            }
            _ => talk as u32,
        }
    }

    /// Every talk's counts on the title plus the sections of `sections` (`None`: all).
    pub fn texts(&self, sections: Option<&[SectionKind]>) -> Vec<TalkText> {
        use rayon::prelude::*;
        (0..self.corpus.talks.len())
            .into_par_iter()
            .map(|t| self.text(t, sections))
            .collect()
    }

    fn text(&self, t: usize, sections: Option<&[SectionKind]>) -> TalkText {
        let mut counts: BTreeMap<usize, u64> = BTreeMap::new();
        let mut sources: Vec<(usize, u32)> = Vec::new();
        if let Some(terms) = self.analysis.terms.get(t) {
            let title_source = self.title_source(t);
            // A piece of a longer word in this talk (スタート of スタートアップ) is not the word,
            // unless the word builds many compounds (セキュリティ of セキュリティ対策, クラウド
            // セキュリティ: `TfIdf::uses_itself`) and two or more talks also use it on its own
            // (マルチ of マルチクラウド, マルチテナント stands alone in one talk of 292).
            let tfidf = &self.analysis.tfidf;
            let fragment = |term: &crate::tokenize::Term| {
                term.part
                    && (self.index(&term.key).is_none_or(|i| self.alone[i] < 2)
                        || tfidf
                            .vocab
                            .get(&term.key)
                            .is_some_and(|i| !tfidf.uses_itself(t, i)))
            };
            for term in terms.title.iter().filter(|term| !fragment(term)) {
                if let Some(i) = self.index(&term.key) {
                    *counts.entry(i).or_default() += 1;
                    sources.push((i, title_source));
                }
            }
            let talk_sections = &self.corpus.talks[t].sections;
            let mut start = 0;
            for (si, &(kind, end)) in terms.section_ends.iter().enumerate() {
                let range = start.min(end)..end;
                start = end;
                if !sections.is_none_or(|keep| keep.contains(&kind)) {
                    continue;
                }
                let source = talk_sections
                    .get(si)
                    .map_or(t as u32, |s| self.section_source(t, s));
                for term in terms.body.get(range).unwrap_or_default() {
                    if fragment(term) {
                        continue;
                    }
                    if let Some(i) = self.index(&term.key) {
                        *counts.entry(i).or_default() += 1;
                        sources.push((i, source));
                    }
                }
            }
        } else if let Some(row) = self.analysis.tfidf.counts.get(t) {
            // No terms kept: the (title-weighted) counts, rounded, all the talk's own.
            let vocab = &self.analysis.tfidf.vocab;
            for &(i, c) in row {
                let c = c.max(0.0).round() as u64;
                let Some(i) = vocab.keys.get(i as usize).and_then(|k| self.index(k)) else {
                    continue;
                };
                if c > 0 {
                    *counts.entry(i).or_default() += c;
                    sources.push((i, t as u32));
                }
            }
        }
        sources.sort_unstable();
        sources.dedup();
        let mut all_sources: Vec<u32> = sources.iter().map(|s| s.1).collect();
        all_sources.sort_unstable();
        all_sources.dedup();
        TalkText {
            length: counts.values().sum(),
            terms: counts.into_iter().collect(),
            sources,
            all_sources,
        }
    }
}

/// Talks of one comparison cut into length strata, with per-term counts over all of them.
pub(super) struct Pool {
    strata: usize,
    /// Stratum of each talk of the corpus in the pool.
    stratum_of: HashMap<usize, usize>,
    stratum_talks: Vec<u64>,
    /// Talks using each term, per stratum: `using[term * strata + s]`.
    using: Vec<u32>,
    talks: Vec<usize>,
    counts: Vec<u64>,
    size: usize,
    /// ln k! for k up to the pool's talks, for the exact test.
    ln_fact: Vec<f64>,
}

impl Pool {
    pub fn new(texts: &[TalkText], talks: &[usize], vocab: usize) -> Pool {
        let strata = (talks.len() / TALKS_PER_STRATUM).clamp(1, MAX_STRATA);
        let mut by_length: Vec<usize> = talks.to_vec();
        by_length.sort_by_key(|&t| (texts[t].length, t));
        let mut stratum_of = HashMap::with_capacity(talks.len());
        let mut stratum_talks = vec![0u64; strata];
        for (rank, &t) in by_length.iter().enumerate() {
            let s = rank * strata / by_length.len().max(1);
            stratum_of.insert(t, s);
            stratum_talks[s] += 1;
        }
        let mut pool = Pool {
            strata,
            stratum_of,
            stratum_talks,
            using: vec![0; vocab * strata],
            talks: vec![0; vocab],
            counts: vec![0; vocab],
            size: talks.len(),
            ln_fact: crate::special::ln_factorials(talks.len()),
        };
        for &t in talks {
            let s = pool.stratum_of[&t];
            for &(i, c) in &texts[t].terms {
                if i < vocab {
                    pool.using[i * strata + s] += 1;
                    pool.talks[i] += 1;
                    pool.counts[i] += c;
                }
            }
        }
        pool
    }
}

/// One side's counts, sparse over the terms it uses.
pub(super) struct Side {
    size: usize,
    stratum_talks: Vec<u64>,
    /// term → (talks using it, occurrences, talks using it per stratum)
    terms: HashMap<usize, (usize, u64, Vec<u32>)>,
    /// term → independent sources using it
    term_sources: HashMap<usize, usize>,
    /// Independent sources of the side's counted text.
    pub sources: usize,
}

impl Side {
    pub fn new(texts: &[TalkText], talks: &[usize], pool: &Pool) -> Side {
        let mut side = Side {
            size: talks.len(),
            stratum_talks: vec![0; pool.strata],
            terms: HashMap::new(),
            term_sources: HashMap::new(),
            sources: 0,
        };
        let mut pairs: Vec<(usize, u32)> = Vec::new();
        let mut all: Vec<u32> = Vec::new();
        for &t in talks {
            let Some(&s) = pool.stratum_of.get(&t) else {
                continue;
            };
            side.stratum_talks[s] += 1;
            for &(i, c) in &texts[t].terms {
                let e = side
                    .terms
                    .entry(i)
                    .or_insert_with(|| (0, 0, vec![0; pool.strata]));
                e.0 += 1;
                e.1 += c;
                e.2[s] += 1;
            }
            pairs.extend_from_slice(&texts[t].sources);
            all.extend_from_slice(&texts[t].all_sources);
        }
        pairs.sort_unstable();
        pairs.dedup();
        for (i, _) in pairs {
            *side.term_sources.entry(i).or_default() += 1;
        }
        all.sort_unstable();
        all.dedup();
        side.sources = all.len();
        side
    }

    fn talks_using(&self, i: usize) -> usize {
        self.terms.get(&i).map_or(0, |e| e.0)
    }

    fn count(&self, i: usize) -> u64 {
        self.terms.get(&i).map_or(0, |e| e.1)
    }

    pub fn sources_using(&self, i: usize) -> usize {
        self.term_sources.get(&i).copied().unwrap_or(0)
    }

    fn strata(&self, pool: &Pool, i: usize) -> Vec<Stratum> {
        let own = self.terms.get(&i).map(|e| &e.2);
        (0..pool.strata)
            .map(|s| Stratum {
                talks: pool.stratum_talks[s],
                of_a: self.stratum_talks[s],
                using: u64::from(pool.using[i * pool.strata + s]),
                a_using: own.map_or(0, |v| u64::from(v[s])),
            })
            .collect()
    }
}

/// The test of every term of side a (the rest of the pool is side b): z from the log-odds,
/// p and q from the stratified exact test under false-discovery control. `two_sided`: a pair
/// (terms typical of either side); otherwise only terms typical of a are tested.
pub(super) struct Tested {
    pub z: f64,
    pub delta: f64,
    pub p: Option<f64>,
    pub q: Option<f64>,
}

pub(super) fn test_terms(
    pool: &Pool,
    a: &Side,
    params: &CompareParams,
    two_sided: bool,
) -> Vec<(usize, Tested)> {
    let vocab = pool.talks.len();
    let sides = if two_sided {
        stats::Sides::Two
    } else {
        stats::Sides::Greater
    };
    // p and its null law only where it can matter: terms whose smallest p could reach the
    // level (the others add nothing to the discrete control below the level).
    let mut p = vec![1.0f64; vocab];
    let mut laws: Vec<Option<stats::NullLaw>> = vec![None; vocab];
    for i in 0..vocab {
        if pool.talks[i] == 0 {
            continue;
        }
        let strata = a.strata(pool, i);
        let (greater, less) = stats::stratified_min_p(&strata, &pool.ln_fact);
        if sides.p(stats::StratifiedP { greater, less }) > params.fdr {
            continue;
        }
        let (r, law) = stats::stratified_test(&strata, &pool.ln_fact, sides);
        p[i] = sides.p(r);
        laws[i] = Some(law);
    }
    let q = stats::discrete_bh(&laws, &p, params.fdr);
    (0..vocab)
        .filter_map(|i| {
            if pool.talks[i] == 0 {
                return None;
            }
            let (z, delta) = log_odds(pool, a, i, params)?;
            Some((
                i,
                Tested {
                    z,
                    delta,
                    p: laws[i].as_ref().map(|_| p[i]),
                    q: q[i],
                },
            ))
        })
        .collect()
}

/// z of the terms side a uses, without a test (a single-source side).
/// Sparse: the side's own terms only, so a one-talk group costs what its talk's terms do.
fn z_only(pool: &Pool, a: &Side, params: &CompareParams) -> Vec<(usize, Tested)> {
    let vocab = pool.talks.len();
    a.terms
        .keys()
        .filter(|&&i| i < vocab)
        .filter_map(|&i| {
            log_odds(pool, a, i, params).map(|(z, delta)| {
                (
                    i,
                    Tested {
                        z,
                        delta,
                        p: None,
                        q: None,
                    },
                )
            })
        })
        .collect()
}

/// Talk-level weighted log-odds of term `i` between side a and the rest of the pool:
/// (z, δ), `None` when not finite.
fn log_odds(pool: &Pool, a: &Side, i: usize, params: &CompareParams) -> Option<(f64, f64)> {
    let alpha0 = params
        .term_prior_total
        .filter(|x| x.is_finite() && *x > 0.0)
        .unwrap_or(stats::TALK_PRIOR_TOTAL);
    let n = pool.size as f64;
    let b_size = pool.size.saturating_sub(a.size);
    let (m_a, m_b) = (
        a.talks_using(i),
        pool.talks[i].saturating_sub(a.talks_using(i)),
    );
    let rate = (pool.talks[i] as f64 + 0.5) / (n.max(pool.talks[i] as f64) + 1.0);
    let s = stats::log_odds_talks(
        (m_a as f64, a.size as f64),
        (m_b as f64, b_size as f64),
        rate,
        alpha0,
    )
    .ok()?;
    s.z.is_finite().then_some((s.z, s.delta))
}

/// The listed terms of side a (`sign` 1) or side b (`sign` −1): z·sign ≥ min_z, used by at
/// least `min_term_talks` talks of that side (or all of them); findings first, then by z.
#[allow(clippy::too_many_arguments)] // one side's list: the test, both sides, the rules
pub(super) fn listed(
    tested: &[(usize, Tested)],
    pool: &Pool,
    a: &Side,
    b: &Side,
    sign: f64,
    single_source: bool,
    counter: &Counter<'_>,
    params: &CompareParams,
) -> Vec<DistinctiveTerm> {
    let (own, own_size) = if sign > 0.0 { (a, a.size) } else { (b, b.size) };
    let min_talks = params.min_term_talks.min(own_size).max(1);
    let mut out: Vec<DistinctiveTerm> = tested
        .iter()
        .filter_map(|&(i, ref t)| {
            let talks_own = own.talks_using(i);
            if sign * t.z < params.min_z || sign * t.z <= 0.0 || talks_own < min_talks {
                return None;
            }
            let sources = own.sources_using(i);
            let significant =
                !single_source && sources >= MIN_SOURCES && t.q.is_some_and(|q| q <= params.fdr);
            let a_talks = a.talks_using(i);
            Some(DistinctiveTerm {
                term: counter.key(i),
                display: counter.display(i),
                delta: t.delta,
                z: t.z,
                count: a.count(i),
                other_count: pool.counts[i] - a.count(i),
                talks: a_talks,
                other_talks: pool.talks[i] - a_talks,
                sources,
                p_value: t.p,
                q_value: t.q,
                significant,
            })
        })
        .collect();
    out.sort_by(|x, y| {
        y.significant
            .cmp(&x.significant)
            .then((sign * y.z).total_cmp(&(sign * x.z)))
            .then_with(|| x.term.cmp(&y.term))
    });
    out.truncate(params.top);
    out
}

/// Each tested group against all other tested talks.
pub(super) fn against_rest(
    texts: &[TalkText],
    members: &[Vec<usize>],
    known: &[usize],
    counter: &Counter<'_>,
    params: &CompareParams,
) -> Vec<GroupTerms> {
    let vocab = counter.vocab();
    let pool = Pool::new(texts, known, vocab);
    let empty = Side {
        size: 0,
        stratum_talks: vec![0; pool.strata],
        terms: HashMap::new(),
        term_sources: HashMap::new(),
        sources: 0,
    };
    use rayon::prelude::*;
    members
        .par_iter()
        .enumerate()
        .map(|(g, talks)| {
            let side = Side::new(texts, talks, &pool);
            let single_source = side.sources <= 1;
            // One writer's group has no finding to test for: z of its own terms only, so
            // ten thousand one-talk groups cost what their talks do.
            let tested = if single_source {
                z_only(&pool, &side, params)
            } else {
                test_terms(&pool, &side, params, false)
            };
            let terms = listed(
                &tested,
                &pool,
                &side,
                &empty,
                1.0,
                single_source,
                counter,
                params,
            );
            GroupTerms {
                group: g,
                sources: side.sources,
                single_source,
                terms,
            }
        })
        .collect()
}

/// The note for a group whose text is one writer's.
pub fn single_source_note(group: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "「{group}」の本文は1人の書き手 (1つの振り返り記事など) のものです。その語は書き手の言葉で、イベントの特徴とは言えないため、有意の印は付けません。"
        ),
        Lang::En => format!(
            "the text of \"{group}\" is one writer's (a single recap post or the like): its words are that writer's, not the event's, so none is marked significant."
        ),
    }
}
/// What kind of text a section is, for telling whether groups' texts compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextKind {
    /// A CfP proposal (abstract, details, audience, motivation).
    Proposal,
    /// A blog author's recap of the talk.
    Recap,
    /// Other text that came with the talk (slide text, descriptions).
    Other,
}

impl TextKind {
    pub fn of(kind: SectionKind) -> TextKind {
        match kind {
            SectionKind::Abstract
            | SectionKind::Details
            | SectionKind::Audience
            | SectionKind::Motivation => TextKind::Proposal,
            SectionKind::Recap => TextKind::Recap,
            SectionKind::Other => TextKind::Other,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TextKind::Proposal => lang.pick("CfPの概要", "CfP proposals"),
            TextKind::Recap => lang.pick("振り返り記事", "recap posts"),
            TextKind::Other => lang.pick("その他の本文", "other text"),
        }
    }
}

/// The texts of one group: how many of its talks have each section kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTexts {
    pub group: usize,
    pub talks: usize,
    /// (section kind, talks of the group with it), kinds in their order.
    pub sections: Vec<(SectionKind, usize)>,
    /// Kinds of text at least half of the group's talks have (none: mostly titles only).
    pub main: Vec<TextKind>,
}

/// What the distinctive terms were counted on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermsBasis {
    /// The tested groups' texts are of different kinds (their `main` differ): a term list
    /// would follow the kind of source, not the content.
    pub mixed_kinds: bool,
    /// `None`: titles and all sections. `Some(kinds)`: titles plus only the sections of these
    /// kinds, which at least half of every tested group's talks have (empty: titles only).
    pub sections: Option<Vec<SectionKind>>,
}

/// How many of the group's talks have each section kind, and its main kinds of text.
pub(super) fn group_texts(corpus: &Corpus, group: usize, members: &[usize]) -> GroupTexts {
    let mut with: std::collections::BTreeMap<SectionKind, usize> = Default::default();
    for &t in members {
        let mut kinds: Vec<SectionKind> = corpus.talks[t].sections.iter().map(|s| s.kind).collect();
        kinds.sort();
        kinds.dedup();
        for k in kinds {
            *with.entry(k).or_default() += 1;
        }
    }
    let mut main: Vec<TextKind> = Vec::new();
    for kind in [TextKind::Proposal, TextKind::Recap, TextKind::Other] {
        // Talks with any section of this kind of text.
        let talks = members
            .iter()
            .filter(|&&t| {
                corpus.talks[t]
                    .sections
                    .iter()
                    .any(|s| TextKind::of(s.kind) == kind)
            })
            .count();
        if talks > 0 && 2 * talks >= members.len() {
            main.push(kind);
        }
    }
    GroupTexts {
        group,
        talks: members.len(),
        sections: with.into_iter().collect(),
        main,
    }
}

/// All text when every tested group has the same main kinds of text; otherwise titles plus
/// the section kinds at least half of every group's talks have.
pub(super) fn terms_basis(texts: &[GroupTexts]) -> TermsBasis {
    let mixed_kinds = texts.windows(2).any(|w| w[0].main != w[1].main);
    if !mixed_kinds {
        return TermsBasis {
            mixed_kinds,
            sections: None,
        };
    }
    let common: Vec<SectionKind> = [
        SectionKind::Abstract,
        SectionKind::Details,
        SectionKind::Audience,
        SectionKind::Motivation,
        SectionKind::Recap,
        SectionKind::Other,
    ]
    .into_iter()
    .filter(|&kind| {
        texts.iter().all(|t| {
            t.sections
                .iter()
                .any(|&(k, n)| k == kind && n > 0 && 2 * n >= t.talks)
        })
    })
    .collect();
    TermsBasis {
        mixed_kinds,
        sections: Some(common),
    }
}
