//! The largest groups two by two: how their theme shares differ (a test per pair and per
//! theme) and which terms are typical of each side. Only the largest `pair_groups` groups are
//! paired, so the work and the output grow linearly with the number of groups.

use serde::Serialize;

use super::terms::{self, Counter, DistinctiveTerm, GroupTexts, Pool, Side, TalkText, TermsBasis};
use super::{CompareParams, Group, IndependenceTest, PairCap, ThemeRow, Verdict};
use crate::analysis::stats;

/// One theme in a pair: the two groups' counts and shares, and whether their difference is
/// supported (Fisher's exact test, Benjamini–Hochberg over the pair's themes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairTheme {
    /// Index into `Comparison::table`.
    pub row: usize,
    /// Talks with the theme in a and in b.
    pub counts: [u64; 2],
    pub shares: [f64; 2],
    pub p_value: f64,
    pub q_value: f64,
    /// q < the false discovery rate: the shares differ beyond chance.
    pub supported: bool,
}

/// Two groups compared: themes and terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairTerms {
    pub a: usize,
    pub b: usize,
    /// What the pair's terms were counted on: the texts both groups have.
    pub basis: TermsBasis,
    /// The test of independence of the two groups' theme counts.
    pub test: IndependenceTest,
    /// Theme rows either group has, in table order.
    pub themes: Vec<PairTheme>,
    /// Whether each side's text is one writer's (no term of that side is then a finding).
    pub single_source: [bool; 2],
    /// Typical of a (z > 0) first, findings first then by z, then typical of b (z < 0) in
    /// the mirror order, most b-typical last: up to `top` of each.
    pub terms: Vec<DistinctiveTerm>,
}

impl PairTerms {
    /// (display form, z) with positive z typical of `a`: the diverging chart's input with
    /// `a` on the right, `b` on the left.
    pub fn chart_terms(&self) -> Vec<(String, f64)> {
        self.terms
            .iter()
            .map(|t| (t.display.clone(), t.z))
            .collect()
    }

    /// The findings only, as (display form, z).
    pub fn significant_terms(&self) -> Vec<(String, f64)> {
        self.terms
            .iter()
            .filter(|t| t.significant)
            .map(|t| (t.display.clone(), t.z))
            .collect()
    }
}

/// The groups to pair: the `max` largest tested groups (ties: group order), in group order.
pub(super) fn cap(groups: &[Group], n_known: usize, max: usize) -> PairCap {
    let mut by_size: Vec<usize> = (0..n_known).collect();
    by_size.sort_by(|&a, &b| groups[b].talks.cmp(&groups[a].talks).then(a.cmp(&b)));
    by_size.truncate(max);
    by_size.sort_unstable();
    PairCap {
        max_groups: max,
        omitted: n_known - by_size.len(),
        groups: by_size,
    }
}

#[allow(clippy::too_many_arguments)] // the comparison's parts a pair is made of
pub(super) fn pairs(
    cap: &PairCap,
    theme_rows: &[ThemeRow],
    groups: &[Group],
    members: &[Vec<usize>],
    texts: &[GroupTexts],
    basis_all: &TermsBasis,
    per_talk: &[TalkText],
    counter: &Counter<'_>,
    params: &CompareParams,
) -> Vec<PairTerms> {
    let mut out = Vec::new();
    let mut other_counts: Vec<(Option<Vec<crate::corpus::SectionKind>>, Vec<TalkText>)> =
        Vec::new();
    for (i, &a) in cap.groups.iter().enumerate() {
        for &b in &cap.groups[i + 1..] {
            let basis = terms::terms_basis(&[texts[a].clone(), texts[b].clone()]);
            // Pairs whose two groups share more kinds of text than all groups do are counted
            // on those (two recap events on their recaps).
            let texts_of: &[TalkText] = if basis.sections == basis_all.sections {
                per_talk
            } else {
                let at = match other_counts.iter().position(|(k, _)| *k == basis.sections) {
                    Some(at) => at,
                    None => {
                        other_counts.push((
                            basis.sections.clone(),
                            counter.texts(basis.sections.as_deref()),
                        ));
                        other_counts.len() - 1
                    }
                };
                &other_counts[at].1
            };
            let mut pool_talks: Vec<usize> =
                members[a].iter().chain(&members[b]).copied().collect();
            pool_talks.sort_unstable();
            pool_talks.dedup();
            // A talk in both groups (categories) counts on a's side.
            let b_only: Vec<usize> = members[b]
                .iter()
                .copied()
                .filter(|t| members[a].binary_search(t).is_err())
                .collect();
            let pool = Pool::new(texts_of, &pool_talks, counter.vocab());
            let side_a = Side::new(texts_of, &members[a], &pool);
            let side_b = Side::new(texts_of, &b_only, &pool);
            let single_source = [side_a.sources <= 1, side_b.sources <= 1];
            let mut terms = Vec::new();
            if counter.vocab() >= 2 {
                let tested = terms::test_terms(&pool, &side_a, params, true);
                terms = terms::listed(
                    &tested,
                    &pool,
                    &side_a,
                    &side_b,
                    1.0,
                    single_source[0],
                    counter,
                    params,
                );
                let mut of_b = terms::listed(
                    &tested,
                    &pool,
                    &side_a,
                    &side_b,
                    -1.0,
                    single_source[1],
                    counter,
                    params,
                );
                of_b.reverse();
                terms.extend(of_b);
            }
            let sub: Vec<Vec<u64>> = theme_rows
                .iter()
                .map(|r| vec![r.counts[a], r.counts[b]])
                .collect();
            let test = super::table::independence_test(&sub, params);
            out.push(PairTerms {
                a,
                b,
                basis,
                test,
                themes: pair_themes(theme_rows, groups, a, b, params.fdr),
                single_source,
                terms,
            });
        }
    }
    out
}

fn pair_themes(
    rows: &[ThemeRow],
    groups: &[Group],
    a: usize,
    b: usize,
    fdr: f64,
) -> Vec<PairTheme> {
    let (na, nb) = (groups[a].talks as u64, groups[b].talks as u64);
    let mut themes: Vec<PairTheme> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.counts[a] + r.counts[b] > 0)
        .map(|(row, r)| {
            let (xa, xb) = (r.counts[a].min(na), r.counts[b].min(nb));
            PairTheme {
                row,
                counts: [xa, xb],
                shares: [r.shares[a], r.shares[b]],
                p_value: stats::fisher_exact_2x2(xa, na - xa, xb, nb - xb),
                q_value: 1.0,
                supported: false,
            }
        })
        .collect();
    let q = stats::bh_adjust(&themes.iter().map(|t| t.p_value).collect::<Vec<_>>());
    for (t, q) in themes.iter_mut().zip(q) {
        t.q_value = if q.is_finite() { q } else { 1.0 };
        t.supported = t.q_value < fdr;
    }
    themes
}

/// With three or more groups, a pair's theme difference is a finding only when the test of
/// the whole table found a difference (a protected post-hoc test), and the false discovery
/// rate is controlled over every pair's themes together: 6 pairs × 10 themes tested one pair
/// at a time found a "supported" difference that the whole table's test did not.
pub fn protect(
    mut pairs: Vec<PairTerms>,
    omnibus: Verdict,
    groups: usize,
    fdr: f64,
) -> Vec<PairTerms> {
    if groups <= 2 {
        return pairs;
    }
    let p: Vec<f64> = pairs
        .iter()
        .flat_map(|pair| pair.themes.iter().map(|t| t.p_value))
        .collect();
    let mut q = stats::bh_adjust(&p).into_iter();
    for pair in &mut pairs {
        for t in &mut pair.themes {
            let q = q.next().unwrap_or(1.0);
            t.q_value = if q.is_finite() { q } else { 1.0 };
            t.supported = omnibus == Verdict::Differs && t.q_value < fdr;
        }
    }
    pairs
}
