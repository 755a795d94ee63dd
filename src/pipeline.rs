//! Wires the stages together: `Corpus` → terms → `TfIdf` → `Clustering` → `Themes`.
//! Every stage stays usable on its own; this is the one place that knows their order.

use rayon::prelude::*;

use crate::cluster::{self, ClusterParams, Clustering};
use crate::corpus::{Corpus, Talk};
use crate::error::Result;
use crate::themes::{self, EVIDENCE_WEIGHT, NamingParams, Taxonomy, Themes};
use crate::tokenize::Tokenizer;
use crate::vectorize::{TalkTerms, TfIdf, TfIdfParams};

/// Run `f`, and when the environment variable `CONFTHEMES_TIMINGS` is set, print how long
/// it took to stderr (benches/run.sh uses it to show where the time goes). Output files are
/// never affected.
pub fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("CONFTHEMES_TIMINGS").is_none() {
        return f();
    }
    let start = std::time::Instant::now();
    let out = f();
    eprintln!(
        "timing: {stage:<12} {:>8.3} s",
        start.elapsed().as_secs_f64()
    );
    out
}

/// All knobs of an analysis run.
#[derive(Debug, Clone, Default)]
pub struct AnalysisParams {
    pub tfidf: TfIdfParams,
    pub cluster: ClusterParams,
    pub naming: NamingParams,
    /// Seed the initial centroids with the taxonomy's terms (BERTopic-style guided topics).
    pub guided: bool,
}

pub struct Analysis {
    pub terms: Vec<TalkTerms>,
    pub tfidf: TfIdf,
    pub clustering: Clustering,
    pub themes: Themes,
}

/// Tokenize every talk (title separately from its sections), in parallel.
pub fn talk_terms(corpus: &Corpus, tokenizer: &Tokenizer) -> Vec<TalkTerms> {
    corpus
        .talks
        .par_iter()
        // One talk per task: talks differ a lot in length, and runs of them idle a thread.
        .with_max_len(1)
        .map(|talk| terms_of(talk, tokenizer))
        .collect()
}

pub fn terms_of(talk: &Talk, tokenizer: &Tokenizer) -> TalkTerms {
    let title = tokenizer.tokenize(&talk.title);
    let body = talk
        .texts()
        .flat_map(|text| tokenizer.tokenize(text))
        .collect();
    TalkTerms { title, body }
}

pub fn analyze(
    corpus: &Corpus,
    tokenizer: &Tokenizer,
    taxonomy: &Taxonomy,
    params: &AnalysisParams,
) -> Result<Analysis> {
    let terms = timed("tokenize", || talk_terms(corpus, tokenizer));
    analyze_terms(terms, taxonomy, params)
}

pub fn analyze_terms(
    terms: Vec<TalkTerms>,
    taxonomy: &Taxonomy,
    params: &AnalysisParams,
) -> Result<Analysis> {
    let tfidf = timed("tfidf", || TfIdf::fit(&terms, &params.tfidf))?;
    let evidence = timed("evidence", || taxonomy.evidence(&tfidf));
    let dims = tfidf.vocab.len();
    let weight = if params.guided { EVIDENCE_WEIGHT } else { 0.0 };
    let (rows, guides) = if params.guided && !evidence.entries.is_empty() {
        (
            evidence.augment(&tfidf.rows, dims, weight),
            evidence.guides(dims, weight, 2),
        )
    } else {
        (tfidf.rows.clone(), Vec::new())
    };
    let width = dims + evidence.entries.len();
    let clustering = timed("cluster", || {
        cluster::cluster(&rows, width, &params.cluster, &guides)
    })?;
    let themes = timed("name themes", || {
        themes::name_themes(&tfidf, &clustering, taxonomy, &params.naming)
    });
    Ok(Analysis {
        terms,
        tfidf,
        clustering,
        themes,
    })
}
