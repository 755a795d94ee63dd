//! Sub-themes: a theme of `MIN_TALKS` or more talks split into its 2–4 most distinct groups,
//! each named by the terms that set it apart from its siblings (the organizer's drill-down,
//! as BERTopic's hierarchical topics or KH Coder's dendrogram). Plain data in and out:
//! `TfIdf` + `Themes` → sub-themes per theme.

use rayon::prelude::*;
use serde::Serialize;

use crate::cluster::{self, ClusterParams, KChoice};
use crate::themes::{
    EnclosedTerms, Keyword, ShareContrast, ThemeName, Themes, class_tfidf, top_keywords,
};
use crate::vectorize::{SparseRow, TfIdf};

/// Themes smaller than this are not split: a handful of talks is read at a glance.
pub const MIN_TALKS: usize = 8;

/// A theme of more than this many talks is split on its sparse rows (`cluster_sparse`, as a
/// large corpus is): the dense path's k-means over 2,048 projected dimensions took 0.4 s of
/// CPU for one 434-talk theme of a 10k-talk event, the sparse one 0.03 s for a 543-talk one.
/// Below it both take milliseconds; every theme of the seeds and the dev events is below it.
pub const SPARSE_ABOVE: usize = 100;

/// Keywords listed per sub-theme.
const KEYWORDS: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubTheme {
    pub name: ThemeName,
    pub keywords: Vec<Keyword>,
    /// Member talks (corpus indices), most central first.
    pub talks: Vec<usize>,
}

/// The sub-themes of every theme (empty for a theme not split: too small, or no split into
/// at least two groups of two talks). Themes are split in parallel: each split depends only
/// on its own talks and the seed, so the result is the same whatever the number of threads.
pub fn subthemes(tfidf: &TfIdf, themes: &Themes, seed: u64) -> Vec<Vec<SubTheme>> {
    themes
        .themes
        .par_iter()
        .map(|t| {
            if t.talks.len() < MIN_TALKS {
                Vec::new()
            } else {
                split(tfidf, &t.talks, seed)
            }
        })
        .collect()
}

fn split(tfidf: &TfIdf, members: &[usize], seed: u64) -> Vec<SubTheme> {
    let rows: Vec<SparseRow> = members.iter().map(|&i| tfidf.rows[i].clone()).collect();
    let with_terms = rows.iter().filter(|r| !r.is_empty()).count();
    if with_terms < MIN_TALKS {
        return Vec::new();
    }
    let params = ClusterParams {
        k: KChoice::Auto { min: 2, max: 4 },
        seed,
        // Fewer restarts than the themes: a sub-theme split is a drill-down over few talks.
        n_runs: 3,
        ..ClusterParams::default()
    };
    let dims = tfidf.vocab.len();
    let clustering = if with_terms > SPARSE_ABOVE {
        cluster::cluster_sparse(&rows, dims, &params, &[])
    } else {
        cluster::cluster(&rows, dims, &params, &[])
    };
    let Ok(clustering) = clustering else {
        return Vec::new();
    };
    let k = clustering.k;
    let counts: Vec<SparseRow> = members.iter().map(|&i| tfidf.counts[i].clone()).collect();
    let pieces: Vec<Vec<u32>> = members
        .iter()
        .map(|&i| tfidf.pieces.get(i).cloned().unwrap_or_default())
        .collect();
    let labels = &clustering.labels;
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (local, label) in labels.iter().enumerate() {
        if let Some(c) = label {
            groups[*c].push(local);
        }
    }
    // Only groups of two or more talks are sub-themes; a split needs two of them.
    if groups.iter().filter(|g| g.len() >= 2).count() < 2 {
        return Vec::new();
    }
    let contrast = ShareContrast::new(&counts, &pieces, labels, k, dims);
    let specificity = contrast.specificity();
    let weights = class_tfidf(&counts, labels, k, dims);
    let enclosed = EnclosedTerms::new(tfidf);
    let mut out: Vec<SubTheme> = (0..k)
        .filter(|&c| groups[c].len() >= 2)
        .map(|c| {
            let w: Vec<f64> = weights[c]
                .iter()
                .zip(&specificity)
                .map(|(x, s)| x * s)
                .collect();
            let keywords = top_keywords(&contrast.shared(c, &w), tfidf, &enclosed, KEYWORDS);
            let name = contrast.label(c, tfidf, &specificity, &keywords);
            let mut talks = groups[c].clone();
            talks.sort_by(|&a, &b| {
                clustering.similarity[b][c]
                    .total_cmp(&clustering.similarity[a][c])
                    .then(a.cmp(&b))
            });
            SubTheme {
                name,
                keywords,
                talks: talks.into_iter().map(|l| members[l]).collect(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.talks
            .len()
            .cmp(&a.talks.len())
            .then(a.talks.cmp(&b.talks))
    });
    out
}
