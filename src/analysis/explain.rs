//! Why this theme: the terms that put a talk into its theme.
//!
//! A talk's similarity to its theme is the dot product of its L2-normalized TF-IDF row and
//! the theme's centroid. Each term contributes one summand: (the talk's TF-IDF weight of the
//! term) × (the centroid's weight of the term). The centroid here is always computed in
//! TF-IDF term space, as the normalized mean of the theme's member rows, never the
//! (possibly randomly projected) centroid the clustering used, so every contribution belongs
//! to a real term. The contributions of a talk sum to its cosine similarity to that centroid.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lang::Lang;
use crate::fitted::Analysis;

/// One term's share of a talk's theme assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    /// Matching key (tokenizer key).
    pub term: String,
    /// How the term is shown.
    pub display: String,
    /// Talk weight × centroid weight (> 0).
    pub weight: f64,
}

/// Theme centroids in TF-IDF term space: one sparse, unit-length row per theme, sorted by
/// term index.
#[derive(Debug, Clone, Default)]
pub struct Explainer {
    pub centroids: Vec<Vec<(u32, f64)>>,
}

impl Explainer {
    /// Centroid of every theme: the mean of its members' TF-IDF rows, scaled to unit length.
    pub fn new(analysis: &Analysis) -> Self {
        let k = analysis.clustering.k;
        let mut sums: Vec<BTreeMap<u32, f64>> = vec![BTreeMap::new(); k];
        for (talk, label) in analysis.clustering.labels.iter().enumerate() {
            let (Some(c), Some(row)) = (label, analysis.tfidf.rows.get(talk)) else {
                continue;
            };
            if let Some(sum) = sums.get_mut(*c) {
                for &(t, w) in row {
                    *sum.entry(t).or_default() += f64::from(w);
                }
            }
        }
        let centroids = sums
            .into_iter()
            .map(|sum| {
                let norm = sum.values().map(|w| w * w).sum::<f64>().sqrt();
                if norm > 0.0 && norm.is_finite() {
                    sum.into_iter().map(|(t, w)| (t, w / norm)).collect()
                } else {
                    Vec::new()
                }
            })
            .collect();
        Explainer { centroids }
    }

    /// The `top` terms contributing most to `talk`'s assignment, largest first (ties by key).
    /// Empty when the talk has no theme or is out of range.
    pub fn explain(&self, analysis: &Analysis, talk: usize, top: usize) -> Vec<Contribution> {
        let Some(Some(theme)) = analysis.clustering.labels.get(talk) else {
            return Vec::new();
        };
        let (Some(row), Some(centroid)) =
            (analysis.tfidf.rows.get(talk), self.centroids.get(*theme))
        else {
            return Vec::new();
        };
        let vocab = &analysis.tfidf.vocab;
        let mut out: Vec<Contribution> = Vec::new();
        let mut j = 0;
        for &(t, w) in row {
            while j < centroid.len() && centroid[j].0 < t {
                j += 1;
            }
            if j < centroid.len() && centroid[j].0 == t {
                let weight = f64::from(w) * centroid[j].1;
                let i = t as usize;
                if weight > 0.0 && weight.is_finite() && i < vocab.len() {
                    out.push(Contribution {
                        term: vocab.keys[i].clone(),
                        display: vocab.display[i].clone(),
                        weight,
                    });
                }
            }
        }
        out.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
        out.truncate(top);
        out
    }
}

/// The `top` terms that contributed most to `talk`'s theme assignment (see the module docs).
/// For many talks, build one [`Explainer`] or call [`explain_all`].
pub fn explain(analysis: &Analysis, talk: usize, top: usize) -> Vec<Contribution> {
    Explainer::new(analysis).explain(analysis, talk, top)
}

/// [`explain`] for every talk, in corpus order (centroids computed once).
pub fn explain_all(analysis: &Analysis, top: usize) -> Vec<Vec<Contribution>> {
    let explainer = Explainer::new(analysis);
    (0..analysis.clustering.labels.len())
        .map(|talk| explainer.explain(analysis, talk, top))
        .collect()
}

/// How many terms the listing, the JSON and the report show per talk.
pub const DEFAULT_TOP: usize = 5;

/// The short line shown under a talk: 「根拠: 監視, アラート, Runbook」 / "why: …".
/// Empty when there is nothing to show (a talk without a theme).
pub fn why_line(contributions: &[Contribution], lang: Lang) -> String {
    if contributions.is_empty() {
        return String::new();
    }
    let terms: Vec<&str> = contributions.iter().map(|c| c.display.as_str()).collect();
    format!("{}: {}", lang.pick("根拠", "why"), terms.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fitted::AnalysisParams;
    use crate::pipeline::analyze_terms;
    use crate::themes::Taxonomy;
    use crate::vectorize::TalkTerms;

    fn talk(words: &[&str]) -> TalkTerms {
        TalkTerms::from_words(&[], words)
    }

    fn toy() -> Analysis {
        let talks = vec![
            talk(&["監視", "アラート", "runbook"]),
            talk(&["監視", "アラート", "ダッシュボード"]),
            talk(&["監視", "ダッシュボード", "runbook"]),
            talk(&["コスト", "予算", "finops"]),
            talk(&["コスト", "予算", "削減"]),
            talk(&["コスト", "finops", "削減"]),
            talk(&[]),
        ];
        let mut params = AnalysisParams::default();
        params.cluster.k = crate::cluster::KChoice::Fixed(2);
        params.tfidf.max_df = 1.0;
        analyze_terms(talks, &Taxonomy::none(), &params).unwrap()
    }

    #[test]
    fn contributions_name_the_shared_terms_and_sum_to_the_similarity() {
        let a = toy();
        let all = explain_all(&a, 100);
        assert_eq!(all.len(), 7);
        let first: Vec<&str> = all[0].iter().map(|c| c.term.as_str()).collect();
        // Every term of talk 0 is shared with its theme; none of the cost terms appear.
        assert!(
            first.contains(&"監視") && first.contains(&"アラート"),
            "{first:?}"
        );
        assert!(!first.contains(&"コスト"));
        // Sorted, positive, and summing to the cosine with the term-space centroid.
        assert!(all[0].windows(2).all(|w| w[0].weight >= w[1].weight));
        let explainer = Explainer::new(&a);
        let c = a.clustering.labels[0].unwrap();
        let dot: f64 = a.tfidf.rows[0]
            .iter()
            .filter_map(|&(t, w)| {
                explainer.centroids[c]
                    .iter()
                    .find(|&&(u, _)| u == t)
                    .map(|&(_, x)| f64::from(w) * x)
            })
            .sum();
        let sum: f64 = all[0].iter().map(|c| c.weight).sum();
        assert!((sum - dot).abs() < 1e-9 && sum > 0.0 && sum <= 1.0 + 1e-9);
        // Top-n truncates; a talk without a theme or out of range gives nothing.
        assert_eq!(explain(&a, 0, 1).len(), 1);
        assert!(all[6].is_empty());
        assert!(explain(&a, 99, 5).is_empty());
        assert_eq!(why_line(&all[6], Lang::Ja), "");
        assert!(why_line(&all[0], Lang::Ja).starts_with("根拠: "));
        assert!(why_line(&all[0], Lang::En).starts_with("why: "));
    }
}
