//! The plain data of one fitted run — its parameters, terms, TF-IDF, evidence, clustering
//! and themes — as the analyses and the report read it. `pipeline` fills it; nothing here
//! knows the order of the stages.
use crate::cluster::{ClusterParams, Clustering};
use crate::curate::{Curation, Edit};
use crate::subthemes::SubTheme;
use crate::themes::{Evidence, NamingParams, Themes};
use crate::vectorize::{TalkTerms, TfIdf, TfIdfParams};

/// All knobs of an analysis run.
#[derive(Debug, Clone, Default)]
pub struct AnalysisParams {
    pub tfidf: TfIdfParams,
    pub cluster: ClusterParams,
    pub naming: NamingParams,
    /// Seed the initial centroids with the taxonomy's terms (BERTopic-style guided topics).
    pub guided: bool,
    /// The organizer's curation (`--edit FILE`), applied after naming (`curate`).
    pub edit: Option<Edit>,
}

pub struct Analysis {
    pub terms: Vec<TalkTerms>,
    /// The talks' everyday words (`Taxonomy::everyday_words`): never shown to readers.
    pub everyday: rustc_hash::FxHashSet<String>,
    pub tfidf: TfIdf,
    /// Each talk's taxonomy evidence (what its own terms say), shared by clustering, naming
    /// and curation.
    pub evidence: Evidence,
    pub clustering: Clustering,
    pub themes: Themes,
    /// Set when there is too little text for confident themes; shown on stderr and in the
    /// report's method note.
    pub thin: Option<ThinEvidence>,
    /// What `--edit` changed (method note, themes.json); `None` without an edit file.
    pub curation: Option<Curation>,
    /// Set when `--k N` gave fewer than N themes; shown on stderr and in the method note.
    pub k_shortfall: Option<KShortfall>,
    /// Sub-themes of the final themes, computed on first use (`subthemes`).
    pub subthemes: std::sync::OnceLock<Vec<Vec<SubTheme>>>,
}

impl Analysis {
    /// Each theme's sub-themes (empty for a theme not split), after any curation: computed
    /// once, when an output first asks.
    pub fn subthemes(&self) -> &[Vec<SubTheme>] {
        self.subthemes.get_or_init(|| {
            crate::timing::timed("subthemes", || {
                let specificity = crate::themes::ShareContrast::new(
                    &self.tfidf.counts,
                    &self.tfidf.pieces,
                    &self.clustering.labels,
                    self.themes.themes.len(),
                    self.tfidf.vocab.len(),
                )
                .specificity();
                let knowledge = crate::subthemes::Knowledge {
                    evidence: &self.evidence,
                    specificity: &specificity,
                };
                crate::subthemes::subthemes(
                    &self.tfidf,
                    &self.themes,
                    &knowledge,
                    self.clustering.params.seed,
                )
            })
        })
    }
}

/// `--k N` gave fewer themes than asked, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KShortfall {
    pub asked: usize,
    pub got: usize,
    /// Talks with content terms (what was clustered).
    pub talks: usize,
    /// Distinct TF-IDF vectors among them: no clustering has more non-empty themes.
    pub distinct_vectors: usize,
}

impl KShortfall {
    pub(crate) fn judge(tfidf: &TfIdf, asked: usize, got: usize) -> Option<KShortfall> {
        if got >= asked {
            return None;
        }
        let rows: Vec<&crate::vectorize::SparseRow> =
            tfidf.rows.iter().filter(|r| !r.is_empty()).collect();
        let distinct: std::collections::HashSet<Vec<(u32, u32)>> = rows
            .iter()
            .map(|r| r.iter().map(|&(i, w)| (i, w.to_bits())).collect())
            .collect();
        Some(KShortfall {
            asked,
            got,
            talks: rows.len(),
            distinct_vectors: distinct.len(),
        })
    }

    /// One line for stderr and the method note: how many, and why.
    pub fn message(&self, lang: crate::Lang) -> String {
        let (asked, got, talks, distinct) =
            (self.asked, self.got, self.talks, self.distinct_vectors);
        match lang {
            crate::Lang::Ja if distinct < asked => format!(
                "--k {asked} に対してテーマは {got} 個: 内容語のあるトーク {talks} 件のうち語の構成が異なるのは {distinct} 件だけで、それより多くは分けられません"
            ),
            crate::Lang::Ja => format!(
                "--k {asked} に対してテーマは {got} 個: k-means で {asked} 個のうち {} 個のクラスタにトークが1件も残りませんでした (内容語のあるトーク {talks} 件に対して k が大きすぎます)",
                asked - got
            ),
            crate::Lang::En if distinct < asked => format!(
                "--k {asked} gave {got} themes: of the {talks} talks with content terms only {distinct} have distinct term vectors, so no more can be told apart"
            ),
            crate::Lang::En => format!(
                "--k {asked} gave {got} themes: k-means left {} of the {asked} clusters without any talk (k is too large for {talks} talks with content terms)",
                asked - got
            ),
        }
    }
}

/// Below these, themes are a rough guide: few talks, or talks of few distinct terms
/// (titles only). Measured on benches/quality.sh set e: AMI scatters widely under them.
const THIN_TALKS: usize = 30;
const THIN_MEDIAN_TERMS: usize = 8;

/// Why the evidence for the themes is thin.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ThinEvidence {
    pub talks: usize,
    /// Median number of distinct vocabulary terms per talk.
    pub median_terms: usize,
    /// Talks were placed by their taxonomy terms instead of clustered.
    pub zero_shot: bool,
}

impl ThinEvidence {
    pub(crate) fn judge(tfidf: &TfIdf, zero_shot: bool) -> Option<ThinEvidence> {
        let mut per: Vec<usize> = tfidf.rows.iter().map(|r| r.len()).collect();
        per.sort_unstable();
        let median_terms = per.get(per.len() / 2).copied().unwrap_or(0);
        let talks = per.len();
        (zero_shot || talks < THIN_TALKS || median_terms < THIN_MEDIAN_TERMS).then_some(
            ThinEvidence {
                talks,
                median_terms,
                zero_shot,
            },
        )
    }

    /// One line for stderr and the method note.
    pub fn message(&self, lang: crate::Lang) -> String {
        let how = if self.zero_shot {
            lang.pick(
                "テーマはクラスタリングではなく、各トークの語とタクソノミーの対応で決めました。対応が弱いトークにはタクソノミーの名前を付けていません",
                "themes come from each talk's terms matched to the taxonomy, not from clustering; a talk that matches only weakly gets no taxonomy name",
            )
        } else {
            lang.pick(
                "テーマは目安として見てください",
                "read the themes as a rough guide",
            )
        };
        match lang {
            crate::Lang::Ja => format!(
                "根拠が少ない: トーク {} 件、1件あたりの語は中央値 {} 語。{}",
                self.talks, self.median_terms, how
            ),
            crate::Lang::En => format!(
                "thin evidence: {} talks, a median of {} terms per talk; {}",
                self.talks, self.median_terms, how
            ),
        }
    }
}
