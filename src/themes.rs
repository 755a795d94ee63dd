//! Stage 5, name themes: `Clustering` + `TfIdf` → `Themes` with keywords (class-based
//! TF-IDF, as BERTopic), a name (a taxonomy entry when the match is clear, else the top
//! keywords), representative talks, sizes and secondary themes per talk.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cluster::Clustering;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::tokenize::filters::fold_key;
use crate::vectorize::{SparseRow, TalkTerms, TfIdf, normalize_l2};

const DEFAULT_TAXONOMY: &str = include_str!("../data/taxonomy-sre.toml");
/// Project and product names of the CNCF landscape with their taxonomy id
/// (data/cncf-landscape/README.md).
pub const LEXICON: &str = include_str!("../data/cncf-landscape/lexicon.tsv");

/// A named theme of the taxonomy with the terms that signal it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaxonomyEntry {
    pub id: String,
    pub ja: String,
    pub en: String,
    pub terms: Vec<String>,
    /// Names from the domain lexicon that signal this entry too (not in `terms`).
    #[serde(skip)]
    pub lexicon: Vec<LexiconTerm>,
}

/// A project or product name of the domain lexicon.
#[derive(Debug, Clone, PartialEq)]
pub struct LexiconTerm {
    /// Matching key (lower case).
    pub key: String,
    /// The name as the lexicon writes it.
    pub name: String,
    pub rule: LexiconRule,
}

/// When a lexicon name counts (data/cncf-landscape/README.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexiconRule {
    /// In any case: cert-manager, k3s, "Open Policy Agent".
    Any,
    /// Only as the lexicon spells it (Harbor, not harbor).
    Exact,
    /// As spelled, and only beside other evidence for the same entry (Keep, Scale).
    Context,
}

/// The lexicon's rows: (name, key, taxonomy id, rule).
pub fn lexicon_rows(text: &str) -> impl Iterator<Item = (&str, &str, &str, LexiconRule)> {
    crate::tokenize::filters::data_lines(text).filter_map(|line| {
        let mut cols = line.split('\t');
        let (name, key, id, rule) = (cols.next()?, cols.next()?, cols.next()?, cols.next()?);
        let rule = match rule {
            "any" => LexiconRule::Any,
            "exact" => LexiconRule::Exact,
            "context" => LexiconRule::Context,
            _ => return None,
        };
        Some((name, key, id, rule))
    })
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Taxonomy {
    #[serde(rename = "theme", default)]
    pub entries: Vec<TaxonomyEntry>,
}

impl Taxonomy {
    /// The bundled SRE taxonomy (data/taxonomy-sre.toml).
    pub fn default_sre() -> Taxonomy {
        Taxonomy::parse(DEFAULT_TAXONOMY, Path::new("data/taxonomy-sre.toml"))
            .expect("bundled taxonomy parses")
    }

    pub fn none() -> Taxonomy {
        Taxonomy::default()
    }

    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::input(
                path,
                crate::error::cannot("タクソノミーを読めません", "cannot read taxonomy", &e),
            )
        })?;
        Taxonomy::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Taxonomy> {
        let mut taxonomy: Taxonomy = toml::from_str(text).map_err(|e| {
            let why = one_line(&e.to_string());
            Error::input(
                path,
                tr!(
                    "タクソノミーの TOML が不正です({why})",
                    "invalid taxonomy TOML: {why}"
                ),
            )
        })?;
        let mut ids = HashSet::new();
        for entry in &mut taxonomy.entries {
            if entry.id.trim().is_empty()
                || entry.ja.trim().is_empty()
                || entry.en.trim().is_empty()
            {
                return Err(Error::input(
                    path,
                    tr!(
                        "どの [[theme]] にも空でない id、ja、en が要ります",
                        "every [[theme]] needs a non-empty id, ja and en"
                    ),
                ));
            }
            if !ids.insert(entry.id.clone()) {
                let id = &entry.id;
                return Err(Error::input(
                    path,
                    tr!(
                        "テーマの id `{id}` が2回出てきます",
                        "theme id `{id}` appears twice"
                    ),
                ));
            }
            if entry.terms.is_empty() {
                let id = &entry.id;
                return Err(Error::input(
                    path,
                    tr!(
                        "テーマ `{id}` に語がありません",
                        "theme `{id}` has no terms"
                    ),
                ));
            }
            entry.terms = entry.terms.iter().map(|t| fold_key(t)).collect();
        }
        // The lexicon's names join the entries of the same id; a name an entry lists itself
        // keeps the hand-written entry.
        let listed: HashSet<String> = taxonomy
            .entries
            .iter()
            .flat_map(|e| e.terms.iter().cloned())
            .collect();
        for (name, key, id, rule) in lexicon_rows(LEXICON) {
            if listed.contains(key) {
                continue;
            }
            if let Some(entry) = taxonomy.entries.iter_mut().find(|e| e.id == id) {
                entry.lexicon.push(LexiconTerm {
                    key: key.to_string(),
                    name: name.to_string(),
                    rule,
                });
            }
        }
        Ok(taxonomy)
    }

    /// The keys of the domain's own words: every entry's terms and lexicon names.
    pub fn domain_keys(&self) -> HashSet<&str> {
        self.entries
            .iter()
            .flat_map(|e| {
                e.terms
                    .iter()
                    .map(String::as_str)
                    .chain(e.lexicon.iter().map(|l| l.key.as_str()))
            })
            .collect()
    }

    /// The everyday words of general Japanese the talks use (`tokenize::is_common_word`:
    /// 挑戦, 実施, 責任, 苦労) that are not the domain's own (監視, 障害 and 移行 are common
    /// words and topics). They stay features; readers never see them as a keyword, a name, a
    /// heatmap column, a network node or a distinctive term: the talks' own counts cannot
    /// tell such a word two talks share from a topic word two talks share.
    pub fn everyday_words(&self, talks: &[TalkTerms]) -> rustc_hash::FxHashSet<String> {
        let domain = self.domain_keys();
        talks
            .iter()
            .flat_map(|t| t.title.iter().chain(&t.body))
            .map(|t| t.key.as_str())
            .filter(|k| crate::tokenize::is_common_word(k) && !domain.contains(k))
            .map(str::to_owned)
            .collect()
    }

    /// Zero-shot evidence: how strongly each talk's own terms point at each entry — the
    /// talk's sublinear term frequency (title counted `EVIDENCE_TITLE_WEIGHT` times) on
    /// the entry's terms, summed, over the length of the talk's whole term vector.
    ///
    /// Read from the talk's terms, not its TF-IDF row: the taxonomy is prior knowledge, and
    /// the document-frequency cut-offs that keep clustering features informative must not
    /// hide it. A term one talk uses (under min_df: most taxonomy terms of a timetable's
    /// titles) or most talks use (over max_df: オブザーバビリティ at an observability
    /// conference) still says what the talk is about. No idf either: it made a term one talk
    /// used outweigh the talk's own topic (eBPF in a security talk). Chosen on the
    /// development corpus, checked on the seeds (docs/quality.md).
    pub fn evidence(&self, terms: &[TalkTerms], tfidf: &TfIdf) -> Evidence {
        let title_weight = EVIDENCE_TITLE_WEIGHT;
        // Entry terms, each once per entry (a term listed twice must not count twice).
        // English plurals of the English terms count too (an English abstract's "alerts",
        // "containers", "incidents"); only words of four letters or more, so that "ci" does
        // not become "cis" (a security benchmark).
        let entry_terms: Vec<Vec<String>> = self
            .entries
            .iter()
            .map(|e| {
                let mut seen = HashSet::new();
                e.terms
                    .iter()
                    .flat_map(|t| {
                        let plural = (t.len() >= 4
                            && t.bytes().all(|b| b.is_ascii_lowercase())
                            && !t.ends_with('s'))
                        .then(|| format!("{t}s"));
                        std::iter::once(t.clone()).chain(plural)
                    })
                    .filter(|t| seen.insert(t.clone()))
                    .collect()
            })
            .collect();
        // Lexicon names by what they match (a key, or a spelling): a talk looks up its own
        // terms instead of trying all ~1,400 names per entry (10k talks: 0.19 → 0.08 s).
        let mut by_key: FxHashMap<&str, Vec<(usize, usize)>> = FxHashMap::default();
        let mut by_spelling: FxHashMap<&str, Vec<(usize, usize)>> = FxHashMap::default();
        for (e, entry) in self.entries.iter().enumerate() {
            for (i, l) in entry.lexicon.iter().enumerate() {
                match l.rule {
                    LexiconRule::Any => by_key.entry(l.key.as_str()).or_default().push((e, i)),
                    LexiconRule::Exact | LexiconRule::Context => {
                        by_spelling.entry(l.name.as_str()).or_default().push((e, i))
                    }
                }
            }
        }
        let raw: Vec<Vec<f64>> = terms
            .par_iter()
            .map(|talk| {
                let mut counts: FxHashMap<&str, f64> = FxHashMap::default();
                // Lexicon names that count only as spelled are counted by their display.
                let mut spelled: FxHashMap<&str, f64> = FxHashMap::default();
                for (terms, w) in [(&talk.title, title_weight), (&talk.body, 1.0)] {
                    for t in terms {
                        *counts.entry(t.key.as_str()).or_default() += w;
                        *spelled.entry(t.display.as_str()).or_default() += w;
                    }
                }
                let tf = |c: f64| if c > 0.0 { 1.0 + c.ln().max(0.0) } else { 0.0 };
                // Summed in sorted order: a hash map's order is not the same on every run,
                // and the same input must give the same bytes.
                let mut squares: Vec<f64> = counts.values().map(|&c| tf(c).powi(2)).collect();
                squares.sort_by(f64::total_cmp);
                let norm = squares.iter().sum::<f64>().sqrt();
                // The lexicon names this talk matches, per entry in lexicon order (the sums
                // below add in that order, as when every name was tried).
                let mut matched: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.entries.len()];
                for (index, seen) in [(&by_key, &counts), (&by_spelling, &spelled)] {
                    for (t, &c) in seen.iter() {
                        for &(e, i) in index.get(t).into_iter().flatten() {
                            matched[e].push((i, c));
                        }
                    }
                }
                entry_terms
                    .iter()
                    .zip(&self.entries)
                    .zip(&mut matched)
                    .map(|((ts, entry), found)| {
                        let mut sum: f64 = ts
                            .iter()
                            .filter_map(|t| counts.get(t.as_str()))
                            .map(|&c| tf(c))
                            .sum();
                        let mut context = 0.0;
                        found.sort_unstable_by_key(|&(i, _)| i);
                        for &(i, c) in found.iter() {
                            let l = &entry.lexicon[i];
                            match l.rule {
                                LexiconRule::Context => context += tf(c),
                                _ => sum += tf(c),
                            }
                        }
                        // A common-word name only confirms what other terms already say.
                        if sum > 0.0 {
                            sum += context;
                        }
                        if norm > 0.0 { sum / norm } else { 0.0 }
                    })
                    .collect()
            })
            .collect();
        // Columns: the entries some talk speaks of.
        let cols: Vec<usize> = (0..self.entries.len())
            .filter(|&e| raw.iter().any(|r| r[e] > 0.0))
            .collect();
        let vectors = cols.iter().map(|&e| self.entry_vector(e, tfidf)).collect();
        let scores: Vec<Vec<(usize, f64)>> = raw
            .iter()
            .map(|r| {
                cols.iter()
                    .enumerate()
                    .map(|(col, &e)| (col, r[e]))
                    .filter(|&(_, s)| s > 0.0)
                    .collect()
            })
            .collect();
        let best = scores.iter().map(|s| best_column(s, None)).collect();
        let names = cols
            .iter()
            .map(|&e| {
                let entry = &self.entries[e];
                let name = ThemeName {
                    ja: entry.ja.clone(),
                    en: entry.en.clone(),
                };
                (entry.id.clone(), name)
            })
            .collect();
        Evidence {
            entries: cols,
            vectors,
            scores,
            best,
            names,
        }
    }

    /// An entry as an indicator vector over the vocabulary (1 on each of its terms there);
    /// empty when none of its terms is a clustering feature.
    fn entry_vector(&self, e: usize, tfidf: &TfIdf) -> SparseRow {
        let mut row: SparseRow = self.entries[e]
            .terms
            .iter()
            .filter_map(|t| tfidf.vocab.get(t))
            .map(|i| (i, 1.0))
            .collect();
        row.sort_unstable_by_key(|&(i, _)| i);
        row.dedup_by_key(|&mut (i, _)| i);
        row
    }
}

/// Each talk's taxonomy evidence (`Taxonomy::evidence`): how much its own terms speak of
/// every entry some talk speaks of (one "column" per such entry).
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Taxonomy entry index of each column.
    pub entries: Vec<usize>,
    /// Entry indicator vectors over the vocabulary, per column (empty when none of the
    /// entry's terms is a clustering feature).
    pub vectors: Vec<SparseRow>,
    /// Per talk: (column, weight > 0).
    pub scores: Vec<Vec<(usize, f64)>>,
    /// Per talk: the column with the highest weight (ties: the earlier entry).
    pub best: Vec<Option<usize>>,
    /// Taxonomy id and name of each column's entry.
    pub names: Vec<(String, ThemeName)>,
}

/// How much the taxonomy features weigh against a talk's own terms (`augment`): the talk's
/// unit TF-IDF row gets its unit evidence vector times this appended. Chosen on the
/// development corpus (benches/quality.sh, sets b + c + d; AMI b / c / d / seeds with the
/// evidence read from talks' terms: 1.0 → 0.334 / 0.824 / 0.250 / 0.612, 1.5 → 0.313 / 0.799
/// / 0.206 / 0.632, 2.0 → 0.327 / 0.866 / 0.246 / 0.632, 2.5 → 0.319 / 0.757 / 0.227 /
/// 0.713, 3.0 → 0.306 / 0.756 / 0.243 / 0.647) and checked on the seeds.
pub const EVIDENCE_WEIGHT: f64 = 2.0;

/// How many body occurrences one title occurrence of a term counts as in a talk's taxonomy
/// evidence (TF-IDF's own title weight is 3). The title is what the speaker says the talk is
/// about; the abstract also names what it runs on, and at a cloud-native event nearly every
/// abstract says Kubernetes, EKS, コンテナ: at 3 the kubernetes entry out-voted a title's
/// セキュリティ or CI. Chosen on the development corpus (docs/quality.md, seed 0, AMI / named
/// accuracy): (b) 3 → 0.322 / 0.565, 10 → 0.330 / 0.581, 20 → 0.345 / 0.589, 30 → 0.338 /
/// 0.589; cndt2021 alone 0.337 / 0.565 → 0.360 / 0.581 at 20; seeds 0.639 / 0.784 → 0.714 /
/// 0.838. Sublinear (1 + ln), so a title term weighs about four distinct body terms.
pub const EVIDENCE_TITLE_WEIGHT: f64 = 20.0;

/// The least evidence that names a talk by itself (`Evidence::drop_weak`, events too small
/// to cluster): about an entry's word in the title, or two in the abstract. One passing
/// mention in an abstract (0.07–0.1) named the wrong entry for 4 of 5 such talks on the
/// development corpus (benches/quality.sh, docs/quality.md: best score < 0.15, 15 of 243
/// talks, 20 % fit their speaker's category, against 61 % above).
pub const MIN_TALK_EVIDENCE: f64 = 0.15;

/// The fewest talks of a theme without a taxonomy name that, pointing to the same entry,
/// become that entry's theme (`entry_groups_in_mixed`). Chosen on the development corpus
/// (docs/quality.md): 2 or 3 gave (b) 3–7 more themes of two or three talks; from 6 on, the
/// nine storage talks of (b)'s mixed theme stayed in it.
pub const MIN_ENTRY_GROUP: usize = 4;

/// The fewest talks that `entry_groups_in_mixed` makes a theme of, when `placed` talks have a
/// theme: `MIN_ENTRY_GROUP`, or 1 % of them on a large corpus (four talks are a theme at a
/// 300-talk event, not among 10,000).
pub fn min_entry_group(placed: usize) -> usize {
    MIN_ENTRY_GROUP.max(placed.div_ceil(100))
}

/// Groups of talks to take out of the themes that carry no taxonomy name: in each such
/// theme, the talks whose own best entry (with evidence ≥ `MIN_TALK_EVIDENCE`) is one no
/// theme is named after, when at least `min_entry_group` of them point to it and the theme
/// keeps two talks. k-means had merged them with talks they share everyday words with (a
/// timetable's 信頼性, 構築); their own terms say what they are about. Deterministic: themes
/// in order, entries in column order.
pub fn entry_groups_in_mixed(themes: &Themes, evidence: &Evidence) -> Vec<Vec<usize>> {
    let named: HashSet<&str> = themes
        .themes
        .iter()
        .filter_map(|t| t.taxonomy.as_deref())
        .collect();
    let min = min_entry_group(
        themes
            .assignments
            .iter()
            .filter(|a| a.theme.is_some())
            .count(),
    );
    let mut out = Vec::new();
    for theme in themes.themes.iter().filter(|t| t.taxonomy.is_none()) {
        let mut by_entry: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for &talk in &theme.talks {
            let Some(col) = evidence.strong_best(talk, MIN_TALK_EVIDENCE) else {
                continue;
            };
            if !named.contains(evidence.names[col].0.as_str()) {
                by_entry.entry(col).or_default().push(talk);
            }
        }
        let mut left = theme.talks.len();
        for (_, mut talks) in by_entry {
            if talks.len() >= min && left - talks.len() >= 2 {
                left -= talks.len();
                talks.sort_unstable();
                out.push(talks);
            }
        }
    }
    out
}

impl Evidence {
    /// Forget the best entry of talks whose evidence for it is under `min`: on a small event
    /// such a talk gets no taxonomy name rather than the nearest one.
    pub fn drop_weak(&mut self, min: f64) {
        for talk in 0..self.best.len() {
            if self.strong_best(talk, min).is_none() {
                self.best[talk] = None;
            }
        }
    }

    /// Talk `talk`'s best column, if its evidence for it is at least `min`.
    pub fn strong_best(&self, talk: usize, min: f64) -> Option<usize> {
        self.best
            .get(talk)
            .copied()
            .flatten()
            .filter(|&col| self.scores[talk].iter().any(|&(c, s)| c == col && s >= min))
    }

    /// Whether `talks` are about different things by their own words: two or more entries
    /// are some talk's strong best (`MIN_TALK_EVIDENCE`), and none is for half of them.
    /// Words such talks share are incidental (自動化 in a release talk, a cost talk and a
    /// platform talk): a name made of them calls the group mixed.
    pub fn points_apart(&self, talks: &[usize]) -> bool {
        let mut votes: std::collections::BTreeMap<usize, usize> = Default::default();
        for &talk in talks {
            if let Some(col) = self.strong_best(talk, MIN_TALK_EVIDENCE) {
                *votes.entry(col).or_default() += 1;
            }
        }
        let most = votes.values().copied().max().unwrap_or(0);
        votes.len() >= 2 && 2 * most < talks.len()
    }

    /// Talks whose best column is each column.
    pub fn support(&self) -> Vec<usize> {
        let mut n = vec![0; self.entries.len()];
        for col in self.best.iter().flatten() {
            n[*col] += 1;
        }
        n
    }

    /// The rows the clustering sees: each talk's TF-IDF row with `weight` × its unit evidence
    /// vector appended as `dims + column`, renormalized. Talks then group by what they talk
    /// about in the taxonomy's terms as well as by shared words, which sparse short abstracts
    /// alone do poorly (CloudNative Days categories: AMI 0.12 → 0.31, see docs/quality.md).
    pub fn augment(&self, rows: &[SparseRow], dims: usize, weight: f64) -> Vec<SparseRow> {
        rows.par_iter()
            .zip(&self.scores)
            .map(|(row, scores)| augment_row(row, scores, dims, weight, None))
            .collect()
    }

    /// The column of taxonomy entry `id`, when some talk speaks of it.
    pub fn column_of(&self, id: &str) -> Option<usize> {
        self.names.iter().position(|(x, _)| x == id)
    }

    /// Talk `talk`'s best column other than `except` (ties: the earlier entry).
    pub fn best_except(&self, talk: usize, except: Option<usize>) -> Option<usize> {
        best_column(&self.scores[talk], except)
    }

    /// Initial centroids in the augmented space: entry vector plus its own evidence column,
    /// for entries that are the best match of at least `min_talks` talks, best supported
    /// first (when k is smaller, the themes the corpus talks about most get a centroid).
    pub fn guides(&self, dims: usize, weight: f64, min_talks: usize) -> Vec<SparseRow> {
        let support = self.support();
        let mut cols: Vec<usize> = (0..self.entries.len())
            .filter(|&c| support[c] >= min_talks.max(1))
            .collect();
        cols.sort_by(|&a, &b| support[b].cmp(&support[a]).then(a.cmp(&b)));
        cols.into_iter()
            .map(|c| {
                let mut row = self.vectors[c].clone();
                normalize_l2(&mut row);
                row.push(((dims + c) as u32, weight as f32));
                normalize_l2(&mut row);
                row
            })
            .collect()
    }
}

/// The column with the highest score other than `except` (ties: the earlier entry).
fn best_column(scores: &[(usize, f64)], except: Option<usize>) -> Option<usize> {
    scores
        .iter()
        .filter(|&&(col, _)| Some(col) != except)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|&(col, _)| col)
}

/// One talk's row with `weight` × its unit evidence vector appended as `dims + column`
/// (leaving out column `skip`), renormalized (`Evidence::augment`). A talk with no
/// clustering feature left (a timetable title whose words no other title uses) is placed by
/// its evidence alone, rather than set aside as a talk without content (seeds, titles only:
/// 4 of 37 talks; named accuracy 0.541 → 0.568).
pub fn augment_row(
    row: &SparseRow,
    scores: &[(usize, f64)],
    dims: usize,
    weight: f64,
    skip: Option<usize>,
) -> SparseRow {
    let kept = || scores.iter().filter(|&&(col, _)| Some(col) != skip);
    let norm = kept().map(|&(_, s)| s * s).sum::<f64>().sqrt();
    let mut out = row.clone();
    if norm > 0.0 {
        out.extend(kept().map(|&(col, s)| ((dims + col) as u32, (weight * s / norm) as f32)));
    }
    normalize_l2(&mut out);
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Keyword {
    pub term: String,
    pub display: String,
    pub weight: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ThemeName {
    pub ja: String,
    pub en: String,
}

impl ThemeName {
    /// The theme of talks that share no telling word (`OTHER_TOPICS`).
    pub fn other_topics() -> Self {
        ThemeName {
            ja: OTHER_TOPICS.0.to_string(),
            en: OTHER_TOPICS.1.to_string(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub id: usize,
    pub name: ThemeName,
    /// The taxonomy entry it was named after, if any.
    pub taxonomy: Option<String>,
    /// Share of its talks whose best taxonomy match is that entry (0 without a name).
    pub taxonomy_score: f64,
    pub keywords: Vec<Keyword>,
    /// Member talks (indices into the corpus), most central first.
    pub talks: Vec<usize>,
    /// The most central members.
    pub representatives: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Assignment {
    pub talk: usize,
    /// `None` when the talk shares no term with another talk and matches no taxonomy term.
    pub theme: Option<usize>,
    /// Cosine similarity to its theme's centroid.
    pub similarity: f64,
    /// Other themes the talk is close to, closest first.
    pub secondary: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Themes {
    pub themes: Vec<Theme>,
    pub assignments: Vec<Assignment>,
    /// c-TF-IDF weight of each theme's keywords (theme × keyword), for the heatmap.
    #[serde(skip)]
    pub ctfidf: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NamingParams {
    pub keywords: usize,
    pub representatives: usize,
    /// A theme takes a taxonomy entry's name only when at least this share of its talks
    /// have that entry as their best taxonomy match (`Evidence::best`).
    pub min_taxonomy_share: f64,
    /// A secondary theme's similarity must be at least this share of the primary's.
    pub secondary_ratio: f64,
    pub max_secondary: usize,
}

impl Default for NamingParams {
    fn default() -> Self {
        NamingParams {
            keywords: 8,
            representatives: 3,
            min_taxonomy_share: 0.5,
            secondary_ratio: 0.6,
            max_secondary: 2,
        }
    }
}

/// How specific each term is to the themes, from the clustering itself (not from a list):
/// (1 − the normalized entropy of its usage rate, the share of a theme's talks using it,
/// across the themes) × (the share of themes it does not reach). A word that talks of every
/// theme use — the genre vocabulary of CfP prose (課題, 提供, 実現, ご紹介), a footer on
/// every slide — scores near 0; a word of one theme 1. The second factor catches a genre word
/// that happens to be in both titles of a two-talk theme (ご紹介 led the seeds' FinOps theme
/// on the entropy alone). With one theme there is nothing to compare: every term scores 1.
pub fn term_specificity(
    counts: &[SparseRow],
    labels: &[Option<usize>],
    k: usize,
    vocab: usize,
) -> Vec<f64> {
    ShareContrast::new(counts, &[], labels, k, vocab).specificity()
}

/// Name the clusters.
pub fn name_themes(
    tfidf: &TfIdf,
    clustering: &Clustering,
    taxonomy: &Taxonomy,
    evidence: &Evidence,
    params: &NamingParams,
) -> Themes {
    let k = clustering.k;
    let contrast = ShareContrast::new(
        &tfidf.counts,
        &tfidf.pieces,
        &clustering.labels,
        k,
        tfidf.vocab.len(),
    );
    let specificity = contrast.specificity();
    // Keywords rank by c-TF-IDF times specificity: frequent genre words never come first.
    let weights: Vec<Vec<f64>> =
        class_tfidf(&tfidf.counts, &clustering.labels, k, tfidf.vocab.len())
            .into_iter()
            .map(|w| w.iter().zip(&specificity).map(|(x, s)| x * s).collect())
            .collect();

    // Members by closeness to the centroid.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (talk, label) in clustering.labels.iter().enumerate() {
        if let Some(c) = label {
            members[*c].push(talk);
        }
    }
    for (c, m) in members.iter_mut().enumerate() {
        m.sort_by(|&a, &b| {
            clustering.similarity[b][c]
                .total_cmp(&clustering.similarity[a][c])
                .then(a.cmp(&b))
        });
    }

    let enclosed = EnclosedTerms::new(tfidf);
    // Keywords are words that set the theme apart (as names, heatmap columns and network
    // nodes are) or words of the domain (the taxonomy's terms, the lexicon's names): a theme's
    // list is not filled up with the event's everyday words (世界, サービス, 技術).
    let domain = taxonomy.domain_keys();
    let telling: Vec<bool> = specificity
        .iter()
        .zip(&tfidf.vocab.keys)
        .map(|(&s, key)| s >= MIN_SPECIFICITY || domain.contains(key.as_str()))
        .collect();
    let keywords: Vec<Vec<Keyword>> = weights
        .iter()
        .enumerate()
        .map(|(c, w)| {
            let w: Vec<f64> = w
                .iter()
                .zip(&telling)
                .map(|(&x, &t)| if t { x } else { 0.0 })
                .collect();
            top_keywords(&contrast.shared(c, &w), tfidf, &enclosed, params.keywords)
        })
        .collect();

    let matches = match_taxonomy(&members, evidence, &weights, params);
    let mut names: Vec<(ThemeName, Option<String>, f64)> = (0..k)
        .map(|c| match matches[c] {
            Some((e, score)) => {
                let entry = &taxonomy.entries[e];
                (
                    ThemeName {
                        ja: entry.ja.clone(),
                        en: entry.en.clone(),
                    },
                    Some(entry.id.clone()),
                    score,
                )
            }
            None => (
                contrast.label(
                    c,
                    tfidf,
                    &specificity,
                    &keywords[c],
                    evidence.points_apart(&members[c]),
                ),
                None,
                0.0,
            ),
        })
        .collect();
    if let crate::cluster::Method::ZeroShot { residual: Some(r) } = clustering.method
        && r < k
    {
        names[r] = (ThemeName::other_topics(), None, 0.0);
    }
    disambiguate(&mut names, &keywords);

    let themes = (0..k)
        .map(|c| {
            let (name, taxonomy, taxonomy_score) = names[c].clone();
            Theme {
                id: c,
                name,
                taxonomy,
                taxonomy_score,
                keywords: keywords[c].clone(),
                representatives: members[c]
                    .iter()
                    .copied()
                    .take(params.representatives)
                    .collect(),
                talks: members[c].clone(),
            }
        })
        .collect();

    let assignments = clustering
        .labels
        .iter()
        .enumerate()
        .map(|(talk, label)| {
            let sims = &clustering.similarity[talk];
            let (similarity, secondary) = match label {
                Some(c) => {
                    let primary = sims[*c];
                    let mut others: Vec<usize> = (0..k)
                        .filter(|&o| {
                            o != *c && sims[o] > 0.0 && sims[o] >= params.secondary_ratio * primary
                        })
                        .collect();
                    others.sort_by(|&a, &b| sims[b].total_cmp(&sims[a]).then(a.cmp(&b)));
                    others.truncate(params.max_secondary);
                    (primary, others)
                }
                None => (0.0, Vec::new()),
            };
            Assignment {
                talk,
                theme: *label,
                similarity,
                secondary,
            }
        })
        .collect();

    let ctfidf = keywords
        .iter()
        .enumerate()
        .map(|(c, kw)| {
            kw.iter()
                .map(|k| weights[c][tfidf.vocab.get(&k.term).unwrap_or(0) as usize])
                .collect()
        })
        .collect();
    Themes {
        themes,
        assignments,
        ctfidf,
    }
}

/// Class-based TF-IDF (BERTopic): per theme, term frequency normalized by the theme's total,
/// times ln(1 + A / f_t) with A the average number of term occurrences per theme and f_t the
/// term's frequency over all themes.
pub fn class_tfidf(
    counts: &[SparseRow],
    labels: &[Option<usize>],
    k: usize,
    vocab: usize,
) -> Vec<Vec<f64>> {
    let mut tf = vec![vec![0.0f64; vocab]; k];
    for (row, label) in counts.iter().zip(labels) {
        if let Some(c) = label {
            for &(t, w) in row {
                tf[*c][t as usize] += w as f64;
            }
        }
    }
    let totals: Vec<f64> = tf.iter().map(|r| r.iter().sum()).collect();
    let avg = totals.iter().sum::<f64>() / k.max(1) as f64;
    let freq: Vec<f64> = (0..vocab).map(|t| tf.iter().map(|r| r[t]).sum()).collect();
    tf.iter()
        .zip(&totals)
        .map(|(row, &total)| {
            (0..vocab)
                .map(|t| {
                    if row[t] == 0.0 || total == 0.0 || freq[t] == 0.0 {
                        0.0
                    } else {
                        row[t] / total * (1.0 + avg / freq[t]).ln()
                    }
                })
                .collect()
        })
        .collect()
}

/// The `n` highest-weighted terms of a theme, leaving out a term enclosed by a longer one
/// that ranks near it (within the first 3n): that adds only pieces of the longer term.
pub(crate) fn top_keywords(
    w: &[f64],
    tfidf: &TfIdf,
    enclosed: &EnclosedTerms,
    n: usize,
) -> Vec<Keyword> {
    let mut idx: Vec<usize> = (0..w.len())
        .filter(|&i| w[i] > 0.0 && tfidf.vocab.shown(i))
        .collect();
    idx.sort_by(|&a, &b| w[b].total_cmp(&w[a]).then(a.cmp(&b)));
    let window: HashSet<usize> = idx.iter().copied().take(n * 3).collect();
    idx.iter()
        .copied()
        .filter(|&i| !enclosed.enclosers(i).iter().any(|j| window.contains(j)))
        .take(n)
        .map(|i| Keyword {
            term: tfidf.vocab.keys[i].clone(),
            display: tfidf.vocab.display[i].clone(),
            weight: w[i],
        })
        .collect()
}

/// Terms that only ever occur with a longer term containing them: リス and モノ, which IPADIC
/// splits out of モノリス, are in every talk that has モノリス and in no other. Beside the
/// longer term they repeat it in pieces that mean something else (a squirrel, a thing), so a
/// theme's keywords leave them out when the longer term ranks near them; a part that also
/// stands on its own (ログ beside ログ基盤) stays, and so does Ceph when only cephクラスタ,
/// far down the list, encloses it.
pub(crate) struct EnclosedTerms<'a> {
    tfidf: &'a TfIdf,
    /// Talks using each term, ascending.
    talks: Vec<Vec<u32>>,
    memo: std::cell::RefCell<HashMap<usize, Vec<usize>>>,
}

impl<'a> EnclosedTerms<'a> {
    pub(crate) fn new(tfidf: &'a TfIdf) -> Self {
        let mut talks = vec![Vec::new(); tfidf.vocab.len()];
        for (talk, row) in tfidf.counts.iter().enumerate() {
            for &(t, w) in row {
                if w > 0.0 {
                    talks[t as usize].push(talk as u32);
                }
            }
        }
        EnclosedTerms {
            tfidf,
            talks,
            memo: Default::default(),
        }
    }

    /// The longer terms that contain `term` and are used by every talk using it.
    fn enclosers(&self, term: usize) -> Vec<usize> {
        if let Some(known) = self.memo.borrow().get(&term) {
            return known.clone();
        }
        let keys = &self.tfidf.vocab.keys;
        let key = &keys[term];
        let mine = &self.talks[term];
        let found: Vec<usize> = if mine.is_empty() {
            Vec::new()
        } else {
            (0..keys.len())
                .filter(|&other| {
                    other != term
                        && keys[other].len() > key.len()
                        && keys[other].contains(key.as_str())
                        && is_subset(mine, &self.talks[other])
                })
                .collect()
        };
        self.memo.borrow_mut().insert(term, found.clone());
        found
    }
}

/// `a ⊆ b`, both ascending.
fn is_subset(a: &[u32], b: &[u32]) -> bool {
    let mut rest = b.iter();
    a.iter().all(|x| rest.by_ref().any(|y| y == x))
}

/// For each theme, the taxonomy entry most of its talks are best matched to (at least
/// `min_taxonomy_share` of them), with that share; each entry names one theme at most (the
/// theme with the larger share, then the larger theme, keeps it), so a talk mix that only
/// touches an entry's terms is named by its own keywords instead.
fn match_taxonomy(
    members: &[Vec<usize>],
    evidence: &Evidence,
    weights: &[Vec<f64>],
    params: &NamingParams,
) -> Vec<Option<(usize, f64)>> {
    let k = members.len();
    let mut candidates: Vec<(f64, usize, usize, usize)> = Vec::new();
    for (c, m) in members.iter().enumerate() {
        if m.is_empty() {
            continue;
        }
        let mut count = vec![0usize; evidence.entries.len()];
        for &talk in m {
            if let Some(col) = evidence.best.get(talk).copied().flatten() {
                count[col] += 1;
            }
        }
        for (col, &n) in count.iter().enumerate() {
            let share = n as f64 / m.len() as f64;
            if n > 0 && share >= params.min_taxonomy_share {
                candidates.push((share, m.len(), c, col));
            }
        }
    }
    // Tie-break on the theme's c-TF-IDF mass on the entry's terms.
    let mass = |c: usize, col: usize| -> f64 {
        evidence.vectors[col]
            .iter()
            .map(|&(t, _)| weights[c].get(t as usize).copied().unwrap_or(0.0))
            .sum()
    };
    candidates.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(mass(b.2, b.3).total_cmp(&mass(a.2, a.3)))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut result = vec![None; k];
    let mut used = HashSet::new();
    for (share, _, c, col) in candidates {
        if result[c].is_none() && used.insert(col) {
            result[c] = Some((evidence.entries[col], share));
        }
    }
    result
}

/// Words every theme uses (向上, 開発) say nothing of one theme: terms under this specificity
/// (`term_specificity`) never name a theme nor head a heatmap column or a network node.
pub const MIN_SPECIFICITY: f64 = 0.25;

/// A theme named by its words is "mixed" when not even its most telling word is used by this
/// share of its talks: its talks share no topic, and three rare words would claim one (a
/// 40-talk theme of seven dev events was named by words each in 5 % of its talks).
pub const MIXED_BELOW_SHARE: f64 = 0.2;

/// How many of each theme's talks use each term, against the other themes' talks: the terms
/// that set a theme apart in the share of its talks using them (heatmap columns, names of
/// themes no taxonomy entry names).
pub struct ShareContrast {
    /// Talks per theme.
    size: Vec<usize>,
    /// `using[theme][term]`: the theme's talks using the term.
    using: Vec<Vec<u32>>,
    /// Talks with a theme using each term.
    all: Vec<u32>,
    total: usize,
}

impl ShareContrast {
    /// Count, per theme, the talks using each of the `vocab` terms (`counts`: the TF-IDF's
    /// raw counts, one row per talk; `pieces`: per talk, the terms it uses only as a piece
    /// of a longer term, ascending, which it does not count as using; may be empty).
    pub fn new(
        counts: &[SparseRow],
        pieces: &[Vec<u32>],
        labels: &[Option<usize>],
        k: usize,
        vocab: usize,
    ) -> Self {
        let mut size = vec![0usize; k];
        let mut using = vec![vec![0u32; vocab]; k];
        let mut all = vec![0u32; vocab];
        for (talk, (row, label)) in counts.iter().zip(labels).enumerate() {
            let Some(t) = *label else { continue };
            size[t] += 1;
            let piece = |i: u32| {
                pieces
                    .get(talk)
                    .is_some_and(|p| p.binary_search(&i).is_ok())
            };
            for &(i, w) in row {
                if w > 0.0 && !piece(i) {
                    using[t][i as usize] += 1;
                    all[i as usize] += 1;
                }
            }
        }
        let total = size.iter().sum();
        ShareContrast {
            size,
            using,
            all,
            total,
        }
    }

    /// Each term's specificity to the themes (see `term_specificity`).
    pub fn specificity(&self) -> Vec<f64> {
        let (k, vocab) = (self.size.len(), self.all.len());
        let active = self.size.iter().filter(|&&n| n > 0).count();
        if k < 2 || active < 2 {
            return vec![1.0; vocab];
        }
        let max_entropy = (active as f64).ln();
        (0..vocab)
            .map(|i| {
                let rates: Vec<f64> = (0..k)
                    .filter(|&c| self.size[c] > 0)
                    .map(|c| self.using[c][i] as f64 / self.size[c] as f64)
                    .collect();
                let total: f64 = rates.iter().sum();
                if total == 0.0 {
                    return 0.0;
                }
                let entropy: f64 = rates
                    .iter()
                    .filter(|&&r| r > 0.0)
                    .map(|&r| {
                        let q = r / total;
                        -q * q.ln()
                    })
                    .sum();
                let reached = rates.iter().filter(|&&r| r > 0.0).count();
                let spread = 1.0 - (reached - 1) as f64 / (active - 1) as f64;
                ((1.0 - entropy / max_entropy) * spread).clamp(0.0, 1.0)
            })
            .collect()
    }

    /// Share of theme `t`'s talks using term `i`.
    /// `w` with the terms only one of theme `t`'s talks uses set to 0 (when it has two or
    /// more): a word of one talk — its 皆様, 前半, 理由 — is that talk's, not the theme's.
    /// The same rule as the names (`ranked`).
    pub fn shared(&self, t: usize, w: &[f64]) -> Vec<f64> {
        let min_using = 2.min(self.size[t]).max(1) as u32;
        w.iter()
            .zip(&self.using[t])
            .map(|(&x, &n)| if n >= min_using { x } else { 0.0 })
            .collect()
    }

    pub fn share(&self, t: usize, i: usize) -> f64 {
        if self.size[t] > 0 {
            f64::from(self.using[t][i]) / self.size[t] as f64
        } else {
            0.0
        }
    }

    /// Theme `t`'s terms by (its share − the other talks' share), best first: used by at least
    /// two of its talks (its one talk in a one-talk theme), specific to some themes, more
    /// common in it than elsewhere.
    pub fn ranked(&self, t: usize, specificity: &[f64]) -> Vec<(f64, usize)> {
        let rest = (self.total - self.size[t]).max(1) as f64;
        let min_using = 2.min(self.size[t]).max(1) as u32;
        let mut scored: Vec<(f64, usize)> = (0..self.using[t].len())
            .filter(|&i| self.using[t][i] >= min_using && specificity[i] >= MIN_SPECIFICITY)
            .map(|i| {
                let elsewhere = self.all[i] - self.using[t][i];
                (self.share(t, i) - f64::from(elsewhere) / rest, i)
            })
            .filter(|&(d, _)| d > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
    }

    /// The name of a theme no taxonomy entry names: its 2–3 most telling terms by share
    /// (common in it, rarer elsewhere; its keywords when none qualifies), marked 「その他」 /
    /// "Mixed" when not even the first is used by `MIXED_BELOW_SHARE` of its talks, or when
    /// its talks' own evidence points `apart` (`Evidence::points_apart`).
    pub(crate) fn label(
        &self,
        t: usize,
        tfidf: &TfIdf,
        specificity: &[f64],
        keywords: &[Keyword],
        apart: bool,
    ) -> ThemeName {
        let mut ranked = self.ranked(t, specificity);
        ranked.retain(|&(_, i)| tfidf.vocab.shown(i));
        let terms: Vec<Keyword> = if ranked.is_empty() {
            keywords.to_vec()
        } else {
            ranked
                .iter()
                .take(10)
                .map(|&(d, i)| Keyword {
                    term: tfidf.vocab.keys[i].clone(),
                    display: tfidf.vocab.display[i].clone(),
                    weight: d,
                })
                .collect()
        };
        if terms.is_empty() {
            // No word its talks share: what the residual theme of a small event is called.
            return ThemeName::other_topics();
        }
        let mixed = apart
            || match ranked.first() {
                Some(&(_, i)) => self.share(t, i) < MIXED_BELOW_SHARE,
                None => self.size[t] >= 3,
            };
        // Words most of a mixed theme's talks share are the event's everyday words (会社,
        // 向上): it is named by its keywords, which prefer the domain's and telling words.
        let words = if mixed && !keywords.is_empty() {
            label_words(keywords)
        } else {
            label_words(&terms)
        };
        let (ja, en) = (words.join("・"), words.join(", "));
        if mixed {
            ThemeName {
                ja: format!("その他: {ja}"),
                en: format!("Mixed: {en}"),
            }
        } else {
            ThemeName { ja, en }
        }
    }
}

/// The name of a theme whose talks share no telling word (Japanese, English).
pub const OTHER_TOPICS: (&str, &str) = ("その他の話題", "Other topics");

/// The words of a name made of keywords: joined by 「・」 in Japanese, ", " in English.
fn label_words(keywords: &[Keyword]) -> Vec<&str> {
    // The 2–3 most specific keywords, skipping one that repeats a chosen one (Kubernetes
    // after Kubernetesクラスタ).
    let mut chosen: Vec<&str> = Vec::new();
    for k in keywords {
        let lower = k.term.as_str();
        if chosen.iter().any(|c| {
            let c = c.to_lowercase();
            c.contains(lower) || lower.contains(c.as_str())
        }) {
            continue;
        }
        chosen.push(k.display.as_str());
        if chosen.len() == 3 {
            break;
        }
    }
    chosen
}

/// Make names unique: a repeated name gets its next distinguishing keyword appended.
fn disambiguate(names: &mut [(ThemeName, Option<String>, f64)], keywords: &[Vec<Keyword>]) {
    let mut seen: HashSet<String> = HashSet::new();
    for c in 0..names.len() {
        let mut ja = names[c].0.ja.clone();
        let mut en = names[c].0.en.clone();
        let mut extra = keywords[c].iter().map(|k| k.display.clone());
        let mut n = 2;
        while seen.contains(&ja) {
            match extra.next() {
                Some(word) if !ja.contains(&word) => {
                    ja = format!("{} ({word})", names[c].0.ja);
                    en = format!("{} ({word})", names[c].0.en);
                }
                Some(_) => continue,
                None => {
                    ja = format!("{} ({n})", names[c].0.ja);
                    en = format!("{} ({n})", names[c].0.en);
                    n += 1;
                }
            }
        }
        seen.insert(ja.clone());
        names[c].0 = ThemeName { ja, en };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectorize::{TalkTerms, TfIdfParams};

    /// TF-IDF that keeps every term, however few or many talks use it.
    #[test]
    fn a_word_every_theme_uses_alike_is_not_specific() {
        // Term 0 in every talk of both themes, term 1 only in theme 0, term 2 in one talk.
        let counts: Vec<SparseRow> = vec![
            vec![(0, 1.0), (1, 2.0)],
            vec![(0, 1.0), (1, 1.0), (2, 1.0)],
            vec![(0, 1.0)],
            vec![(0, 2.0)],
        ];
        let labels = [Some(0), Some(0), Some(1), Some(1)];
        let s = term_specificity(&counts, &labels, 2, 3);
        assert!(s[0] < 1e-9, "{s:?}");
        assert!((s[1] - 1.0).abs() < 1e-9, "{s:?}");
        assert!((s[2] - 1.0).abs() < 1e-9, "{s:?}");
        // One theme: nothing to compare, nothing pushed down.
        assert_eq!(term_specificity(&counts, &[Some(0); 4], 1, 3), vec![1.0; 3]);
    }

    #[test]
    fn an_sre_word_the_dictionary_keeps_whole_is_evidence_for_its_entry() {
        // The SRE user dictionary keeps these whole, so no piece of them (エラーバジェット,
        // リリース) is there to match: each must be its entry's own term.
        let tokenizer = crate::tokenize::Tokenizer::new().unwrap();
        let taxonomy = Taxonomy::default_sre();
        for (word, id) in [
            ("エラーバジェットポリシー", "slo"),
            ("リリースエンジニアリング", "release"),
            ("プラットフォームエンジニア", "platform-engineering"),
        ] {
            let keys: Vec<String> = tokenizer
                .tokenize(word)
                .into_iter()
                .map(|t| t.key)
                .collect();
            assert_eq!(keys, [word], "{word} is not kept whole");
            let entry = taxonomy.entries.iter().find(|e| e.id == id).unwrap();
            assert!(
                entry.terms.iter().any(|t| t == word),
                "{word} is no {id} term"
            );
        }
    }

    #[test]
    fn every_bundled_taxonomy_term_is_a_term_the_tokenizer_produces() {
        // A term the tokenizer never emits (a typo, an alias's source spelling, a phrase it
        // splits) would silently match nothing.
        let tokenizer = crate::tokenize::Tokenizer::new().unwrap();
        let mut bad = Vec::new();
        for entry in Taxonomy::default_sre().entries {
            for term in &entry.terms {
                let keys: Vec<String> = tokenizer
                    .tokenize(term)
                    .into_iter()
                    .map(|t| t.key)
                    .collect();
                if keys.first() != Some(term) {
                    bad.push(format!("{}: {term} → {keys:?}", entry.id));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn a_theme_takes_an_entry_name_only_when_most_of_its_talks_match_it() {
        let talk = |words: &[&str]| TalkTerms::from_words(&[], words);
        let talks = vec![
            talk(&["slo", "エラーバジェット", "目標"]),
            talk(&["slo", "sli", "目標"]),
            talk(&["コスト", "目標"]),
            talk(&["組織", "チーム", "目標"]),
            talk(&["組織", "チーム"]),
        ];
        let tfidf = TfIdf::fit_every_term(&talks);
        let taxonomy = Taxonomy::default_sre();
        let evidence = taxonomy.evidence(&talks, &tfidf);
        // Theme 0: two SLO talks and a cost talk (2/3 SLO); theme 1: organization talks.
        let members = vec![vec![0, 1, 2], vec![3, 4]];
        let weights = vec![vec![1.0; tfidf.vocab.len()]; 2];
        let m = match_taxonomy(&members, &evidence, &weights, &NamingParams::default());
        let id = |x: Option<(usize, f64)>| x.map(|(e, _)| taxonomy.entries[e].id.as_str());
        assert_eq!(id(m[0]), Some("slo"));
        assert_eq!(id(m[1]), Some("organization"));
        // A three-way mix has no majority: named by its keywords.
        let mixed = vec![vec![0, 2, 3]];
        let m = match_taxonomy(&mixed, &evidence, &weights[..1], &NamingParams::default());
        assert_eq!(m[0], None);
    }

    #[test]
    fn evidence_counts_taxonomy_terms_the_vocabulary_cut() {
        // 「pagerduty」 is in one talk (under min_df 2) and 「オブザーバビリティ」 in five of
        // six (over max_df 0.5): neither is a clustering feature, both still say what the
        // talk is about. From TF-IDF rows, talk 0 had no incident evidence at all and the
        // observability talks none of observability.
        let talk = |title: &[&str], body: &[&str]| TalkTerms::from_words(title, body);
        let talks = vec![
            talk(
                &["オンコール"],
                &["pagerduty", "オブザーバビリティ", "体制"],
            ),
            talk(&["オブザーバビリティ"], &["トレース", "体制"]),
            talk(&["オブザーバビリティ"], &["トレース", "計装"]),
            talk(&[], &["オブザーバビリティ", "計装", "コスト"]),
            talk(&[], &["オブザーバビリティ", "コスト", "組織"]),
            talk(&[], &["組織", "育成"]),
        ];
        let params = TfIdfParams {
            fixed_min_df: true,
            ..Default::default()
        };
        let tfidf = crate::vectorize::TfIdf::fit(&talks, &params).unwrap();
        let taxonomy = Taxonomy::default_sre();
        assert!(tfidf.vocab.get("pagerduty").is_none());
        assert!(tfidf.vocab.get("オブザーバビリティ").is_none());
        let evidence = taxonomy.evidence(&talks, &tfidf);
        let id = |col: usize| taxonomy.entries[evidence.entries[col]].id.as_str();
        let best: Vec<Option<&str>> = evidence.best.iter().map(|b| b.map(id)).collect();
        assert_eq!(best[0], Some("incident-response"));
        assert_eq!(best[1], Some("observability"));
        assert_eq!(best[2], Some("observability"));
        assert_eq!(best[5], Some("organization"));
        // A title occurrence weighs `EVIDENCE_TITLE_WEIGHT` body occurrences: talk 1 leans further
        // towards observability than talk 3, which has it once in its body.
        let obs = |talk: usize| {
            evidence.scores[talk]
                .iter()
                .find(|&&(col, _)| id(col) == "observability")
                .map_or(0.0, |&(_, s)| s)
        };
        assert!(obs(1) > obs(3), "{} vs {}", obs(1), obs(3));
        // Entries no talk speaks of get no column.
        assert!(
            evidence
                .entries
                .iter()
                .all(|&e| taxonomy.entries[e].id != "database")
        );
    }

    #[test]
    fn the_title_names_the_topic_over_the_platform_the_abstract_runs_on() {
        // A security talk whose abstract says where it runs: three kubernetes terms in the
        // body, one security term in the title. At TF-IDF's title weight (3) the platform
        // won; the title is what the speaker says the talk is about.
        let talks = vec![
            TalkTerms::from_words(&["セキュリティ"], &["kubernetes", "コンテナ", "eks"]),
            TalkTerms::from_words(&["kubernetes"], &["コンテナ", "クラスタ"]),
        ];
        let tfidf = TfIdf::fit_every_term(&talks);
        let taxonomy = Taxonomy::default_sre();
        let evidence = taxonomy.evidence(&talks, &tfidf);
        let id = |col: usize| taxonomy.entries[evidence.entries[col]].id.as_str();
        assert_eq!(evidence.best[0].map(id), Some("security"));
        assert_eq!(evidence.best[1].map(id), Some("kubernetes"));
    }

    #[test]
    fn keywords_leave_out_pieces_of_a_longer_term_beside_it() {
        // IPADIC splits モノリス into モノ + リス; with compounds and parts all three are
        // terms, in the same talks. ログ is in ログ基盤 too, but also on its own.
        let talk = |body: &[&str]| TalkTerms::from_words(&[], body);
        let talks = vec![
            talk(&["モノリス", "モノ", "リス", "ログ基盤", "ログ"]),
            talk(&["モノリス", "モノ", "リス", "ログ"]),
            talk(&["ログ基盤", "ログ", "分割"]),
            talk(&["分割"]),
        ];
        let tfidf = TfIdf::fit_every_term(&talks);
        let enclosed = EnclosedTerms::new(&tfidf);
        let w = vec![1.0; tfidf.vocab.len()];
        let shown: Vec<String> = top_keywords(&w, &tfidf, &enclosed, 8)
            .into_iter()
            .map(|k| k.term)
            .collect();
        for kept in ["モノリス", "ログ基盤", "ログ", "分割"] {
            assert!(shown.iter().any(|t| t == kept), "{kept} missing: {shown:?}");
        }
        for piece in ["モノ", "リス"] {
            assert!(
                !shown.iter().any(|t| t == piece),
                "{piece} shown: {shown:?}"
            );
        }
        // Far from the longer term (outside the first 3n), the piece is the theme's word.
        let mut w = vec![0.0; tfidf.vocab.len()];
        w[tfidf.vocab.get("リス").unwrap() as usize] = 1.0;
        let shown = top_keywords(&w, &tfidf, &enclosed, 1);
        assert_eq!(shown[0].term, "リス");
    }

    #[test]
    fn a_lone_kanji_is_a_term_but_never_a_keyword() {
        // 手 (IPADIC's word in 打ち手, 手を打つ, 手作業) in every talk: it still links the
        // talks, but a keyword list reading 「手」 names nothing.
        let talk = |body: &[&str]| TalkTerms::from_words(&[], body);
        let talks = vec![
            talk(&["手", "セキュリティ", "検知"]),
            talk(&["手", "セキュリティ"]),
            talk(&["分割"]),
        ];
        let tfidf = TfIdf::fit_every_term(&talks);
        let hand = tfidf.vocab.get("手").expect("a term") as usize;
        assert!(!tfidf.vocab.shown(hand));
        let enclosed = EnclosedTerms::new(&tfidf);
        let shown: Vec<String> = top_keywords(&vec![1.0; tfidf.vocab.len()], &tfidf, &enclosed, 8)
            .into_iter()
            .map(|k| k.term)
            .collect();
        assert!(!shown.iter().any(|t| t == "手"), "{shown:?}");
        assert!(shown.iter().any(|t| t == "セキュリティ"), "{shown:?}");
    }

    fn keyword(word: &str, weight: f64) -> Keyword {
        Keyword {
            term: word.into(),
            display: word.into(),
            weight,
        }
    }

    /// Five talks on GitOps: a theme whose talks share their topic words.
    fn gitops_talks() -> Vec<TalkTerms> {
        ["argo", "flux", "helm", "pr", "diff"]
            .iter()
            .map(|extra| TalkTerms::from_words(&[], &["gitops", "マニフェスト", extra]))
            .collect()
    }

    #[test]
    fn a_theme_whose_talks_share_no_word_is_named_mixed() {
        // Theme 0: five talks on GitOps. Theme 1: five talks on five different things.
        let talk = |body: &[&str]| TalkTerms::from_words(&[], body);
        let mut talks = gitops_talks();
        for pair in [
            ["量子", "暗号"],
            ["給与", "制度"],
            ["音楽", "配信"],
            ["農業", "iot"],
            ["法務", "契約"],
        ] {
            talks.push(talk(&pair));
        }
        let tfidf = TfIdf::fit_every_term(&talks);
        let labels: Vec<Option<usize>> = (0..10).map(|i| Some(usize::from(i >= 5))).collect();
        let contrast = ShareContrast::new(&tfidf.counts, &[], &labels, 2, tfidf.vocab.len());
        let specificity = contrast.specificity();
        let gitops = contrast.label(0, &tfidf, &specificity, &[], false);
        assert!(gitops.ja.starts_with("gitops"), "{gitops:?}");
        assert!(!gitops.ja.contains("その他"));
        // No word of theme 1 is used by two of its talks: its keywords name it, marked mixed.
        let keywords = [keyword("量子", 1.0)];
        let mixed = contrast.label(1, &tfidf, &specificity, &keywords, false);
        assert_eq!(mixed.ja, "その他: 量子");
        assert!(mixed.en.starts_with("Mixed: "), "{mixed:?}");
        let two = [keyword("量子", 1.0), keyword("暗号", 0.5)];
        let mixed = contrast.label(1, &tfidf, &specificity, &two, false);
        assert_eq!(
            (mixed.ja.as_str(), mixed.en.as_str()),
            ("その他: 量子・暗号", "Mixed: 量子, 暗号")
        );
        // Without even a keyword it is the other topics, in each language (not a Japanese
        // 「キーワードなし」 in an English report).
        let other = contrast.label(1, &tfidf, &specificity, &[], false);
        assert_eq!((other.ja.as_str(), other.en.as_str()), OTHER_TOPICS);
    }

    #[test]
    fn a_theme_split_off_a_mixed_one_needs_more_talks_on_a_large_corpus() {
        // Four talks at a timetable of 37 or an event of 292; one in a hundred above 400.
        assert_eq!(min_entry_group(37), 4);
        assert_eq!(min_entry_group(292), 4);
        assert_eq!(min_entry_group(1_000), 10);
        assert_eq!(min_entry_group(10_000), 100);
    }

    #[test]
    fn a_mixed_theme_is_named_by_its_keywords_not_by_the_word_it_happens_to_share() {
        // Theme 0: five GitOps talks. Theme 1: twelve talks on twelve things, two of which
        // say 会社: the most shared word of a theme with no common topic.
        let talk = |body: &[&str]| TalkTerms::from_words(&[], body);
        let mut talks = gitops_talks();
        let topics = [
            "量子", "給与", "音楽", "農業", "法務", "漁業", "物流", "医療", "教育", "建築", "観光",
            "金融",
        ];
        for (i, topic) in topics.iter().enumerate() {
            talks.push(if i < 2 {
                talk(&[topic, "会社"])
            } else {
                talk(&[topic])
            });
        }
        let tfidf = TfIdf::fit_every_term(&talks);
        let labels: Vec<Option<usize>> = (0..17).map(|i| Some(usize::from(i >= 5))).collect();
        let contrast = ShareContrast::new(&tfidf.counts, &[], &labels, 2, tfidf.vocab.len());
        let specificity = contrast.specificity();
        let keywords = [keyword("量子", 1.0)];
        let mixed = contrast.label(1, &tfidf, &specificity, &keywords, false);
        assert_eq!(mixed.ja, "その他: 量子");
        // A theme most of whose talks share a word is still named by it.
        let gitops = contrast.label(0, &tfidf, &specificity, &keywords, false);
        assert!(gitops.ja.starts_with("gitops"), "{gitops:?}");
    }

    #[test]
    fn english_plurals_of_taxonomy_terms_are_evidence_but_short_ids_are_not_pluralised() {
        let talk = |body: &[&str]| TalkTerms::from_words(&[], body);
        let talks = vec![
            talk(&["incidents", "postmortems", "timeline"]),
            talk(&["cis", "benchmarks", "hardening"]),
        ];
        let tfidf = crate::vectorize::TfIdf::fit(&talks, &TfIdfParams::default()).unwrap();
        let taxonomy = Taxonomy::default_sre();
        let evidence = taxonomy.evidence(&talks, &tfidf);
        let id = |col: usize| taxonomy.entries[evidence.entries[col]].id.as_str();
        assert_eq!(evidence.best[0].map(id), Some("incident-response"));
        // "cis" is not the plural of "ci".
        assert!(
            evidence.scores[1]
                .iter()
                .all(|&(col, _)| id(col) != "ci-cd")
        );
    }
}
