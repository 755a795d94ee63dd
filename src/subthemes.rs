//! Sub-themes: a theme of `MIN_TALKS` or more talks split into its 2–4 most distinct groups,
//! each named by the terms that set it apart from its siblings (the organizer's drill-down,
//! as BERTopic's hierarchical topics or KH Coder's dendrogram). Plain data in and out:
//! `TfIdf` + `Themes` → sub-themes per theme.

use rayon::prelude::*;
use serde::Serialize;

use crate::cluster::{self, ClusterParams, KChoice};
use crate::themes::{
    EVIDENCE_WEIGHT, EnclosedTerms, Evidence, Keyword, ShareContrast, ThemeName, Themes,
    augment_row, class_tfidf, top_keywords,
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

/// What a theme's split reads besides the talks' terms.
pub struct Knowledge<'a> {
    pub evidence: &'a Evidence,
    /// Each term's specificity to the themes (`ShareContrast::specificity` over all talks):
    /// a sub-theme is named only by words that set some theme apart, not by the event's
    /// everyday words (クラウド, 技術, 課題) that happen to split two siblings.
    pub specificity: &'a [f64],
}

/// The sub-themes of every theme (empty for a theme not split: too small, or no split into
/// at least two groups of two talks). Themes are split in parallel: each split depends only
/// on its own talks and the seed, so the result is the same whatever the number of threads.
pub fn subthemes(
    tfidf: &TfIdf,
    themes: &Themes,
    knowledge: &Knowledge<'_>,
    seed: u64,
) -> Vec<Vec<SubTheme>> {
    themes
        .themes
        .par_iter()
        .map(|t| {
            if t.talks.len() < MIN_TALKS {
                Vec::new()
            } else {
                let parent = t
                    .taxonomy
                    .as_deref()
                    .and_then(|id| knowledge.evidence.column_of(id));
                split(tfidf, &t.talks, knowledge, parent, seed)
            }
        })
        .collect()
}

/// A theme's talks split by their terms and by what their own taxonomy evidence says besides
/// the theme's name (`parent`): in a Kubernetes theme, the security talks and the CI/CD talks
/// that run on it come apart, and a group most of whose talks point at one other entry is
/// named by it (「Kubernetes・コンテナ運用 ▸ セキュリティ」).
fn split(
    tfidf: &TfIdf,
    members: &[usize],
    knowledge: &Knowledge<'_>,
    parent: Option<usize>,
    seed: u64,
) -> Vec<SubTheme> {
    let evidence = knowledge.evidence;
    let dims = tfidf.vocab.len();
    let with_terms = members
        .iter()
        .filter(|&&i| !tfidf.rows[i].is_empty())
        .count();
    if with_terms < MIN_TALKS {
        return Vec::new();
    }
    let rows: Vec<SparseRow> = members
        .iter()
        .map(|&i| match evidence.scores.get(i) {
            Some(scores) => augment_row(&tfidf.rows[i], scores, dims, EVIDENCE_WEIGHT, parent),
            None => tfidf.rows[i].clone(),
        })
        .collect();
    let params = ClusterParams {
        k: KChoice::Auto { min: 2, max: 4 },
        seed,
        // Fewer restarts than the themes: a sub-theme split is a drill-down over few talks.
        n_runs: 3,
        ..ClusterParams::default()
    };
    let width = dims + evidence.entries.len();
    let clustering = if with_terms > SPARSE_ABOVE {
        cluster::cluster_sparse(&rows, width, &params, &[])
    } else {
        cluster::cluster(&rows, width, &params, &[])
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
    // Set apart from the siblings, and a word of some theme in the whole corpus (when a
    // group has no such word, its words set apart from the siblings alone).
    let siblings = contrast.specificity();
    let specific: Vec<f64> = siblings
        .iter()
        .zip(knowledge.specificity)
        .map(|(&s, &corpus)| {
            if corpus >= crate::themes::MIN_SPECIFICITY {
                s
            } else {
                0.0
            }
        })
        .collect();
    let weights = class_tfidf(&counts, labels, k, dims);
    let enclosed = EnclosedTerms::new(tfidf);
    let entry_names = entry_names(&groups, members, knowledge, parent);
    let out: Vec<SubTheme> = (0..k)
        .filter(|&c| groups[c].len() >= 2)
        .map(|c| {
            let keywords_by = |specificity: &[f64]| {
                let w: Vec<f64> = weights[c]
                    .iter()
                    .zip(specificity)
                    .map(|(x, s)| x * s)
                    .collect();
                top_keywords(&contrast.shared(c, &w), tfidf, &enclosed, KEYWORDS)
            };
            let mut specificity = &specific;
            let mut keywords = keywords_by(specificity);
            if keywords.is_empty() {
                specificity = &siblings;
                keywords = keywords_by(specificity);
            }
            let name = match &entry_names[c] {
                Some(name) => name.clone(),
                None => {
                    let talks: Vec<usize> = groups[c].iter().map(|&l| members[l]).collect();
                    let apart = evidence.points_apart(&talks);
                    contrast.label(c, tfidf, specificity, &keywords, apart)
                }
            };
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
    // Groups with no word to tell them apart are one group: 「その他の話題 (5) / その他の話題
    // (3)」 gives an organizer nothing to drill into, and a split into such groups alone is none.
    let other = ThemeName::other_topics();
    let (mut out, others): (Vec<SubTheme>, Vec<SubTheme>) =
        out.into_iter().partition(|s| s.name != other);
    match others.len() {
        0 => {}
        1 => out.extend(others),
        _ => out.push(SubTheme {
            name: other,
            keywords: Vec::new(),
            talks: others.into_iter().flat_map(|s| s.talks).collect(),
        }),
    }
    if out.len() < 2 {
        return Vec::new();
    }
    out.sort_by(|a, b| {
        b.talks
            .len()
            .cmp(&a.talks.len())
            .then(a.talks.cmp(&b.talks))
    });
    out
}

/// The taxonomy name of each group (by cluster label) that most of its talks' own evidence
/// names besides the parent's entry: at least half of its talks, two or more. An entry two
/// groups would take goes to the one where more of its talks point at it (ties: the earlier).
fn entry_names(
    groups: &[Vec<usize>],
    members: &[usize],
    knowledge: &Knowledge<'_>,
    parent: Option<usize>,
) -> Vec<Option<ThemeName>> {
    let evidence = knowledge.evidence;
    let mut claims: Vec<Option<(usize, usize)>> = groups
        .iter()
        .map(|g| {
            let mut votes: std::collections::BTreeMap<usize, usize> = Default::default();
            for &local in g {
                if let Some(col) = members
                    .get(local)
                    .filter(|&&talk| talk < evidence.scores.len())
                    .and_then(|&talk| evidence.best_except(talk, parent))
                {
                    *votes.entry(col).or_default() += 1;
                }
            }
            votes
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .filter(|&(_, n)| n >= 2 && 2 * n >= g.len())
        })
        .collect();
    for a in 0..claims.len() {
        for b in a + 1..claims.len() {
            if let (Some((ca, na)), Some((cb, nb))) = (claims[a], claims[b])
                && ca == cb
            {
                if nb > na {
                    claims[a] = None;
                } else {
                    claims[b] = None;
                }
            }
        }
    }
    claims
        .into_iter()
        .map(|claim| {
            let (col, _) = claim?;
            evidence.names.get(col).map(|(_, name)| name.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::{Taxonomy, Theme};
    use crate::vectorize::TalkTerms;

    #[test]
    fn a_group_whose_talks_point_at_another_entry_is_named_by_it() {
        // One Kubernetes theme of ten talks: five on securing the cluster, five on
        // deploying to it. Every talk says Kubernetes; what else each says splits them.
        let security = |w: &str| {
            TalkTerms::from_words(
                &["kubernetes", "セキュリティ"],
                &["脆弱性", "攻撃", w, "クラスタ"],
            )
        };
        let delivery = |w: &str| {
            TalkTerms::from_words(
                &["kubernetes", "gitops"],
                &["パイプライン", "デプロイ", w, "クラスタ"],
            )
        };
        let mut talks: Vec<TalkTerms> = ["a", "b", "c", "d", "e"].map(security).into();
        talks.extend(["f", "g", "h", "i", "j"].map(delivery));
        let tfidf = TfIdf::fit_every_term(&talks);
        let taxonomy = Taxonomy::default_sre();
        let evidence = taxonomy.evidence(&talks, &tfidf);
        let theme = Theme {
            id: 0,
            name: ThemeName {
                ja: "Kubernetes・コンテナ運用".into(),
                en: "Kubernetes & containers".into(),
            },
            taxonomy: Some("kubernetes".into()),
            taxonomy_score: 1.0,
            keywords: Vec::new(),
            talks: (0..10).collect(),
            representatives: Vec::new(),
        };
        let themes = Themes {
            themes: vec![theme],
            assignments: Vec::new(),
            ctfidf: Vec::new(),
        };
        let specificity = vec![1.0; tfidf.vocab.len()];
        let knowledge = Knowledge {
            evidence: &evidence,
            specificity: &specificity,
        };
        let subs = &subthemes(&tfidf, &themes, &knowledge, 0)[0];
        let mut named: Vec<(&str, Vec<usize>)> = subs
            .iter()
            .map(|s| {
                let mut t = s.talks.clone();
                t.sort_unstable();
                (s.name.ja.as_str(), t)
            })
            .collect();
        named.sort();
        assert_eq!(
            named,
            vec![
                ("CI/CD", (5..10).collect()),
                ("セキュリティ", (0..5).collect())
            ]
        );
    }
}
