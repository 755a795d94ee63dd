//! Compare groups of talks (events, categories, rooms, days) on themes fitted once on all
//! talks together: theme × group counts and shares with a chi-square test (exact where the
//! counts are small), cells over- or under-represented, distinctive terms per group and per
//! pair of groups (weighted log-odds with an informative Dirichlet prior, Monroe, Colaresi &
//! Quinn 2008), and themes that rose or fell across editions of one series.
//!
//! Plain data in (`Corpus`, `Analysis`), plain data out (`Comparison`); `render` turns it
//! into terminal text. Nothing here panics and no number in the output is NaN.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::corpus::{Corpus, SectionKind};
use crate::lang::Lang;
use crate::fitted::Analysis;
use crate::analysis::stats::{self, ChiSquare, NotApplicable};
use crate::themes::ThemeName;

/// What to group talks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// The event (SRE NEXT 2023, SRE Kaigi 2025, …).
    #[default]
    Event,
    /// The proposal category; a talk with several categories counts in each.
    Category,
    /// The room of the timetable.
    Room,
    /// The day the talk was given (from its start time).
    Day,
}

/// Knobs of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareParams {
    /// Distinctive terms kept per group (and per side of a pair).
    pub top: usize,
    /// Terms are listed from z at least this (1: one standard error); the lists mark those
    /// with |z| ≥ SIGNIFICANT_Z.
    pub min_z: f64,
    /// A distinctive term must occur in at least this many talks of its group (or all of
    /// them when the group is smaller), so one talk's pet word does not stand for a group.
    pub min_term_talks: usize,
    /// Significance level of the chi-square / exact test.
    pub alpha: f64,
    /// |adjusted residual| a cell needs to be flagged.
    pub min_residual: f64,
    /// Random tables of the Monte Carlo test (used when the chi-square test has low power).
    pub monte_carlo_iterations: u64,
    pub seed: u64,
    /// Total weight α₀ of the term prior; `None`: the corpus's own total term count, so the
    /// prior is the corpus frequencies themselves.
    pub term_prior_total: Option<f64>,
}

impl Default for CompareParams {
    fn default() -> Self {
        CompareParams {
            top: 10,
            min_z: 1.0,
            min_term_talks: 2,
            alpha: 0.05,
            min_residual: 1.96,
            monte_carlo_iterations: 20_000,
            seed: 0,
            term_prior_total: None,
        }
    }
}

/// One group of talks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The name as written in the corpus; "unknown" for talks without the attribute.
    pub name: String,
    /// Talks without a room / day / category: shown as 「不明」/ "unknown".
    pub unknown: bool,
    /// Number of talks in the group.
    pub talks: usize,
}

impl Group {
    pub fn label(&self, lang: Lang) -> &str {
        if self.unknown {
            lang.pick("不明", "unknown")
        } else {
            &self.name
        }
    }
}

/// One row of the theme × group table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeRow {
    /// Theme id; `None` for the row of talks without a theme (no content terms).
    pub theme: Option<usize>,
    pub name: ThemeName,
    /// Talks per group (same order as `Comparison::groups`).
    pub counts: Vec<u64>,
    /// counts / group talks.
    pub shares: Vec<f64>,
}

pub use crate::analysis::stats::PMethod;

/// What the test allows us to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The test could not be run (one group, one theme, no talks).
    NotApplicable,
    /// p < α: the theme mix differs between groups.
    Differs,
    /// p ≥ α: no evidence of a difference (which is not evidence of none).
    NoEvidence,
}

/// The test of independence of themes and groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndependenceTest {
    /// Chi-square on the theme rows (the unassigned row is left out). Its `rows` index the
    /// theme rows of the table, its `cols` the groups.
    pub chi_square: ChiSquare,
    /// Why the test was not run, if it was not.
    pub not_applicable: Option<NotApplicable>,
    /// Exact or Monte Carlo p-value, when one was computed.
    pub exact_p: Option<f64>,
    /// The p-value decisions are based on: `exact_p` when computed, else the asymptotic one.
    pub p_value: Option<f64>,
    pub method: PMethod,
    pub alpha: f64,
    /// Cochran's rule fails: few expected counts; cells are not flagged.
    pub low_power: bool,
    pub verdict: Verdict,
}

/// A cell with more (or fewer) talks than independence predicts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// Index into `Comparison::table`.
    pub row: usize,
    /// Index into `Comparison::groups`.
    pub group: usize,
    pub observed: u64,
    pub expected: f64,
    pub adjusted_residual: f64,
    /// true: over-represented; false: under-represented.
    pub over: bool,
}

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
}

/// Distinctive terms of one group against all other talks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTerms {
    pub group: usize,
    /// Highest z first.
    pub terms: Vec<DistinctiveTerm>,
}

/// Distinctive terms between two groups, for the diverging bar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairTerms {
    pub a: usize,
    pub b: usize,
    /// What the pair's terms were counted on: the texts both groups have.
    pub basis: TermsBasis,
    /// Typical of a (z > 0) first, highest z first, then typical of b (z < 0), most
    /// negative last: up to `top` of each.
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
}

/// One theme across the editions of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeTrend {
    /// Index into `Comparison::table`.
    pub row: usize,
    pub theme: Option<usize>,
    /// Share in each edition, oldest first.
    pub shares: Vec<f64>,
    pub counts: Vec<u64>,
    /// Last share − first share.
    pub change: f64,
    /// The change as shown: last share minus first share, each rounded to whole percent. A
    /// theme rose or fell only when this is not 0, so "10% → 10% (+0pt)" is never a trend.
    pub change_points: i64,
}

/// Editions of one series (same event name apart from a trailing year).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The name without the year, e.g. "SRE NEXT".
    pub name: String,
    /// Groups (indices into `Comparison::groups`) oldest first.
    pub editions: Vec<usize>,
    pub years: Vec<u32>,
    /// Themes whose share grew from first to last edition, most growth first.
    pub rose: Vec<ThemeTrend>,
    /// Themes whose share shrank, most shrinkage first.
    pub fell: Vec<ThemeTrend>,
    /// Themes whose share, in whole percentage points as shown, is the same in the first and
    /// last edition.
    pub steady: Vec<ThemeTrend>,
    /// The test of independence over these editions only: whether the changes are more than
    /// chance (its chi-square `cols` index `editions`).
    pub test: IndependenceTest,
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

/// The comparison of groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub by: GroupBy,
    pub groups: Vec<Group>,
    /// Talks in the corpus (with categories, a talk can be in several groups).
    pub talks: usize,
    /// Some talk counts in more than one group (categories): totals over groups exceed
    /// `talks` and the test's assumption of one count per talk does not hold exactly.
    pub multi_membership: bool,
    /// Theme rows, theme id order, then the "unassigned" row if any talk has no theme.
    pub table: Vec<ThemeRow>,
    /// The group of talks without the attribute (「不明」), shown in the table but left out of
    /// the test, the flagged cells, the distinctive terms and the pairs.
    pub untested: Option<usize>,
    /// Section kinds per tested group.
    pub texts: Vec<GroupTexts>,
    pub terms_basis: TermsBasis,
    pub test: IndependenceTest,
    /// Cells over/under-represented; empty unless the test found a difference with enough
    /// power.
    pub flags: Vec<Flag>,
    /// Per group, against all other talks; empty with a single group.
    pub distinctive: Vec<GroupTerms>,
    /// Every pair of groups (a < b).
    pub pairs: Vec<PairTerms>,
    /// Series with at least two editions among the groups (only when grouping by event).
    pub series: Vec<Series>,
}

fn unassigned_name() -> ThemeName {
    ThemeName {
        ja: "未分類".to_string(),
        en: "unassigned".to_string(),
    }
}

/// The groups each talk belongs to, and the groups in display order.
fn group_talks(corpus: &Corpus, by: GroupBy) -> (Vec<Group>, Vec<Vec<usize>>) {
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut has_unknown = false;
    let mut members: Vec<Vec<Option<usize>>> = Vec::with_capacity(corpus.talks.len());
    for talk in &corpus.talks {
        let keys: Vec<Option<String>> = match by {
            GroupBy::Event => vec![non_empty(&talk.event)],
            GroupBy::Room => vec![talk.room.as_deref().and_then(non_empty)],
            GroupBy::Day => vec![talk.start.as_deref().and_then(day_of)],
            GroupBy::Category => {
                let mut cats: Vec<Option<String>> = talk
                    .categories
                    .iter()
                    .filter_map(|c| non_empty(c))
                    .map(Some)
                    .collect();
                cats.sort();
                cats.dedup();
                if cats.is_empty() { vec![None] } else { cats }
            }
        };
        let mut m = Vec::with_capacity(keys.len());
        for key in keys {
            match key {
                Some(k) => {
                    let next = names.len();
                    let i = *index.entry(k.clone()).or_insert_with(|| {
                        names.push(k);
                        next
                    });
                    m.push(Some(i));
                }
                None => {
                    has_unknown = true;
                    m.push(None);
                }
            }
        }
        members.push(m);
    }
    // Display order: first appearance, days in date order; unknown last.
    let mut order: Vec<usize> = (0..names.len()).collect();
    if by == GroupBy::Day {
        order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    }
    let mut position = vec![0usize; names.len()];
    for (pos, &i) in order.iter().enumerate() {
        position[i] = pos;
    }
    let unknown = names.len();
    let mut groups: Vec<Group> = order
        .iter()
        .map(|&i| Group {
            name: names[i].clone(),
            unknown: false,
            talks: 0,
        })
        .collect();
    if has_unknown {
        groups.push(Group {
            name: "unknown".to_string(),
            unknown: true,
            talks: 0,
        });
    }
    let talk_groups: Vec<Vec<usize>> = members
        .into_iter()
        .map(|m| {
            m.into_iter()
                .map(|g| g.map_or(unknown, |i| position[i]))
                .collect()
        })
        .collect();
    for gs in &talk_groups {
        for &g in gs {
            groups[g].talks += 1;
        }
    }
    (groups, talk_groups)
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The day of a start time: "2025-01-26 10:35" → "2025-01-26"; "2025/1/26 10:35〜" →
/// "2025-01-26"; anything without a date → None.
fn day_of(start: &str) -> Option<String> {
    let first = start.split_whitespace().next()?;
    let parts: Vec<&str> = first
        .split(['-', '/', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 3 {
        let nums: Option<Vec<u32>> = parts[..3]
            .iter()
            .map(|p| {
                let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
                digits.parse().ok()
            })
            .collect();
        if let Some(n) = nums
            && (1900..=2200).contains(&n[0])
            && (1..=12).contains(&n[1])
            && (1..=31).contains(&n[2])
        {
            return Some(format!("{:04}-{:02}-{:02}", n[0], n[1], n[2]));
        }
    }
    None
}

/// Split "SRE NEXT 2023" into ("SRE NEXT", 2023); None without a trailing year.
pub fn split_edition(name: &str) -> Option<(String, u32)> {
    let name = name.trim();
    let digits: String = name
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if digits.len() != 4 {
        return None;
    }
    let year: u32 = digits.parse().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    let base = name[..name.len() - 4]
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '/'))
        .trim();
    if base.is_empty() {
        return None;
    }
    Some((base.to_string(), year))
}

/// At most this many talk draws in a Monte Carlo test (iterations × talks), but at least
/// 1,000 iterations.
pub const MONTE_CARLO_WORK: u64 = 200_000_000;

/// Run the test of independence on a theme × group table (rows: themes).
fn independence_test(table: &[Vec<u64>], params: &CompareParams) -> IndependenceTest {
    let chi = stats::chi_square_independence(table).unwrap_or_else(|_| empty_chi());
    let not_applicable = chi.not_applicable();
    // Each simulated table shuffles every talk: cap the work so that a 100k-talk corpus
    // takes seconds, not minutes (small corpora keep the full count).
    let talks: u64 = table.iter().flatten().sum();
    let iterations = params
        .monte_carlo_iterations
        .max(1)
        .min((MONTE_CARLO_WORK / talks.max(1)).max(1_000));
    let stats::IndependenceP {
        exact: exact_p,
        p_value,
        method,
    } = stats::independence_p(table, &chi, iterations, params.seed);
    let verdict = match (not_applicable, p_value) {
        (None, Some(p)) if p < params.alpha => Verdict::Differs,
        (None, Some(_)) => Verdict::NoEvidence,
        _ => Verdict::NotApplicable,
    };
    IndependenceTest {
        low_power: chi.low_power && not_applicable.is_none(),
        chi_square: chi,
        not_applicable,
        exact_p,
        p_value,
        method,
        alpha: params.alpha,
        verdict,
    }
}

/// The chi-square of an empty table (only reached if the stats module refuses a table,
/// which our rectangular tables never are).
fn empty_chi() -> ChiSquare {
    stats::chi_square_independence(&[]).unwrap_or(ChiSquare {
        rows: Vec::new(),
        cols: Vec::new(),
        n: 0,
        statistic: 0.0,
        dof: 0,
        p_value: None,
        expected: Vec::new(),
        adjusted_residuals: Vec::new(),
        min_expected: 0.0,
        cells_below_5: 0,
        low_power: true,
    })
}

/// Term counts over the fitted vocabulary for one talk: (term index, occurrences), title
/// and body counted once each (honest counts for the log-odds variance). `sections`: count
/// only the title and the sections of these kinds (`None`: all of them).
fn talk_counts(
    analysis: &Analysis,
    talk: usize,
    sections: Option<&[SectionKind]>,
) -> Vec<(usize, u64)> {
    let mut counts: HashMap<usize, u64> = HashMap::new();
    if let Some(terms) = analysis.terms.get(talk) {
        let body = terms.body_of(|kind| sections.is_none_or(|keep| keep.contains(&kind)));
        for term in terms.title.iter().chain(body) {
            if let Some(i) = analysis.tfidf.vocab.get(&term.key) {
                *counts.entry(i as usize).or_default() += 1;
            }
        }
    } else if let Some(row) = analysis.tfidf.counts.get(talk) {
        // No terms kept: fall back to the (title-weighted) counts, rounded.
        for &(i, c) in row {
            let c = c.max(0.0).round() as u64;
            if c > 0 {
                *counts.entry(i as usize).or_default() += c;
            }
        }
    }
    let mut v: Vec<(usize, u64)> = counts.into_iter().collect();
    v.sort_unstable();
    v
}

/// One talk's (term index, occurrences).
type TalkCounts = Vec<(usize, u64)>;

/// Summed term counts and talk frequencies of a set of talks.
struct TermTotals {
    counts: Vec<f64>,
    talks: Vec<usize>,
}

fn totals(per_talk: &[Vec<(usize, u64)>], talks: &[usize], vocab: usize) -> TermTotals {
    let mut t = TermTotals {
        counts: vec![0.0; vocab],
        talks: vec![0; vocab],
    };
    for &talk in talks {
        for &(i, c) in &per_talk[talk] {
            if i < vocab {
                t.counts[i] += c as f64;
                t.talks[i] += 1;
            }
        }
    }
    t
}

/// Terms typical of talks of a against talks of b (z ≥ min_z), highest first. The unit is
/// the talk: how many talks of each side use the term (`stats::log_odds_talks`), with the
/// prior centred on the share of all talks using it. Counting occurrences instead (the
/// multinomial Fightin' Words) treats every repetition inside one talk as new evidence and
/// favours the side with longer texts (CfP abstracts against recap summaries): on the
/// seeds it found no term at all for SRE Kaigi 2025, 21 of 37 talks.
fn distinctive(
    (a, a_size): (&TermTotals, usize),
    (b, b_size): (&TermTotals, usize),
    corpus_talks: &[usize],
    analysis: &Analysis,
    params: &CompareParams,
    sign: f64,
) -> Vec<DistinctiveTerm> {
    let alpha0 = params
        .term_prior_total
        .filter(|a| a.is_finite() && *a > 0.0)
        .unwrap_or(stats::TALK_PRIOR_TOTAL);
    let n_talks = (a_size + b_size) as f64;
    let min_talks = params.min_term_talks.min(a_size).max(1);
    let vocab = &analysis.tfidf.vocab;
    let mut out: Vec<DistinctiveTerm> = (0..a.counts.len())
        .filter(|&i| a.talks[i] >= min_talks)
        .filter_map(|i| {
            // The corpus rate, kept inside (0, 1) for a term every talk (or none) uses.
            let rate = (corpus_talks[i] as f64 + 0.5) / (n_talks.max(corpus_talks[i] as f64) + 1.0);
            let s = stats::log_odds_talks(
                (a.talks[i] as f64, a_size as f64),
                (b.talks[i] as f64, b_size as f64),
                rate,
                alpha0,
            )
            .ok()?;
            (s.z.is_finite() && s.z > 0.0 && s.z >= params.min_z).then(|| DistinctiveTerm {
                term: vocab.keys.get(i).cloned().unwrap_or_default(),
                display: vocab.display.get(i).cloned().unwrap_or_default(),
                delta: sign * s.delta,
                z: sign * s.z,
                count: a.counts[i] as u64,
                other_count: b.counts[i] as u64,
                talks: a.talks[i],
                other_talks: b.talks[i],
            })
        })
        .collect();
    out.sort_by(|x, y| {
        (sign * y.z)
            .total_cmp(&(sign * x.z))
            .then_with(|| x.term.cmp(&y.term))
    });
    out.truncate(params.top);
    out
}

/// A share as the whole percent it is shown as ("10%").
fn whole_percent(share: f64) -> i64 {
    (share * 100.0).round() as i64
}

/// How many of the group's talks have each section kind, and its main kinds of text.
fn group_texts(corpus: &Corpus, group: usize, members: &[usize]) -> GroupTexts {
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
fn terms_basis(texts: &[GroupTexts]) -> TermsBasis {
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

/// Compare the groups of `corpus` on the themes of `analysis` (fitted on the same corpus,
/// talk for talk).
pub fn compare(
    corpus: &Corpus,
    analysis: &Analysis,
    by: GroupBy,
    params: &CompareParams,
) -> Comparison {
    let (groups, talk_groups) = group_talks(corpus, by);
    let n_groups = groups.len();
    let n_talks = corpus.talks.len();
    let multi_membership = talk_groups.iter().any(|g| g.len() > 1);

    // Theme of each talk.
    let themes = &analysis.themes.themes;
    let mut theme_of: Vec<Option<usize>> = vec![None; n_talks];
    for a in &analysis.themes.assignments {
        if a.talk < n_talks {
            theme_of[a.talk] = a.theme.filter(|&t| t < themes.len());
        }
    }
    let mut rows: Vec<ThemeRow> = themes
        .iter()
        .enumerate()
        .map(|(i, t)| ThemeRow {
            theme: Some(i),
            name: t.name.clone(),
            counts: vec![0; n_groups],
            shares: vec![0.0; n_groups],
        })
        .collect();
    let mut unassigned = vec![0u64; n_groups];
    for (talk, gs) in talk_groups.iter().enumerate() {
        for &g in gs {
            match theme_of[talk] {
                Some(t) => rows[t].counts[g] += 1,
                None => unassigned[g] += 1,
            }
        }
    }
    let n_theme_rows = rows.len();
    if unassigned.iter().any(|&c| c > 0) {
        rows.push(ThemeRow {
            theme: None,
            name: unassigned_name(),
            counts: unassigned,
            shares: vec![0.0; n_groups],
        });
    }
    for row in &mut rows {
        for (g, group) in groups.iter().enumerate() {
            row.shares[g] = if group.talks > 0 {
                row.counts[g] as f64 / group.talks as f64
            } else {
                0.0
            };
        }
    }

    // Test on the theme rows and the known groups only: 「不明」 is no group of its own (an
    // undated event would make "the days differ"), and it is always the last column.
    let untested = groups.iter().position(|g| g.unknown);
    let n_known = untested.unwrap_or(n_groups);
    let theme_table: Vec<Vec<u64>> = rows[..n_theme_rows]
        .iter()
        .map(|r| r.counts[..n_known].to_vec())
        .collect();
    let test = independence_test(&theme_table, params);
    let mut flags = Vec::new();
    if test.verdict == Verdict::Differs && !test.low_power {
        let chi = &test.chi_square;
        for (ri, &row) in chi.rows.iter().enumerate() {
            for (ci, &group) in chi.cols.iter().enumerate() {
                let r = chi.adjusted_residuals[ri][ci];
                if r.is_finite() && r.abs() >= params.min_residual {
                    flags.push(Flag {
                        row,
                        group,
                        observed: rows[row].counts[group],
                        expected: chi.expected[ri][ci],
                        adjusted_residual: r,
                        over: r > 0.0,
                    });
                }
            }
        }
        flags.sort_by(|a, b| {
            b.adjusted_residual
                .abs()
                .total_cmp(&a.adjusted_residual.abs())
                .then(a.row.cmp(&b.row))
                .then(a.group.cmp(&b.group))
        });
    }

    // Distinctive terms, among the talks of known groups, on the texts every group has.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_groups];
    for (talk, gs) in talk_groups.iter().enumerate() {
        for &g in gs {
            members[g].push(talk);
        }
    }
    let texts: Vec<GroupTexts> = (0..n_known)
        .map(|g| group_texts(corpus, g, &members[g]))
        .collect();
    let terms_basis = terms_basis(&texts);
    let vocab = analysis.tfidf.vocab.len();
    let counts_on = |sections: Option<&[SectionKind]>| -> Vec<Vec<(usize, u64)>> {
        use rayon::prelude::*;
        (0..n_talks)
            .into_par_iter()
            .map(|t| talk_counts(analysis, t, sections))
            .collect()
    };
    let per_talk = counts_on(terms_basis.sections.as_deref());
    // Pairs whose two groups share more kinds of text than all groups do are compared on
    // those (two recap events on their recaps); one set of counts per such basis.
    let mut pair_counts: HashMap<Option<Vec<SectionKind>>, Vec<TalkCounts>> = HashMap::new();
    let mut pair_group_totals: HashMap<(Option<Vec<SectionKind>>, usize), TermTotals> =
        HashMap::new();
    let known: Vec<usize> = (0..n_talks)
        .filter(|&t| talk_groups[t].iter().any(|&g| g < n_known))
        .collect();
    let corpus_totals = totals(&per_talk, &known, vocab);
    let group_totals: Vec<TermTotals> = members
        .iter()
        .map(|m| totals(&per_talk, m, vocab))
        .collect();
    let mut distinctive_terms = Vec::new();
    let mut pairs = Vec::new();
    if n_known >= 2 && vocab >= 2 {
        for g in 0..n_known {
            let mut in_group = vec![false; n_talks];
            for &t in &members[g] {
                in_group[t] = true;
            }
            let rest: Vec<usize> = known.iter().copied().filter(|&t| !in_group[t]).collect();
            let rest_totals = totals(&per_talk, &rest, vocab);
            let terms = distinctive(
                (&group_totals[g], members[g].len()),
                (&rest_totals, rest.len()),
                &corpus_totals.talks,
                analysis,
                params,
                1.0,
            );
            distinctive_terms.push(GroupTerms { group: g, terms });
        }
        for a in 0..n_known {
            for b in a + 1..n_known {
                let basis = self::terms_basis(&[texts[a].clone(), texts[b].clone()]);
                let (ta, tb) = if basis.sections == terms_basis.sections {
                    (&group_totals[a], &group_totals[b])
                } else {
                    let key = basis.sections.clone();
                    let per = pair_counts
                        .entry(key.clone())
                        .or_insert_with(|| counts_on(key.as_deref()));
                    for g in [a, b] {
                        pair_group_totals
                            .entry((key.clone(), g))
                            .or_insert_with(|| totals(per, &members[g], vocab));
                    }
                    (
                        &pair_group_totals[&(key.clone(), a)],
                        &pair_group_totals[&(key, b)],
                    )
                };
                // The prior of a pair is the rate among the talks of the pair.
                let pair_talks: Vec<usize> =
                    ta.talks.iter().zip(&tb.talks).map(|(x, y)| x + y).collect();
                let mut terms = distinctive(
                    (ta, members[a].len()),
                    (tb, members[b].len()),
                    &pair_talks,
                    analysis,
                    params,
                    1.0,
                );
                let mut of_b = distinctive(
                    (tb, members[b].len()),
                    (ta, members[a].len()),
                    &pair_talks,
                    analysis,
                    params,
                    -1.0,
                );
                // Flip the counts of b's terms back to "a side, b side".
                for t in &mut of_b {
                    std::mem::swap(&mut t.count, &mut t.other_count);
                    std::mem::swap(&mut t.talks, &mut t.other_talks);
                }
                of_b.reverse();
                terms.extend(of_b);
                pairs.push(PairTerms { a, b, basis, terms });
            }
        }
    }

    // Series: editions of one event name.
    let mut series = Vec::new();
    if by == GroupBy::Event {
        let mut bases: Vec<(String, Vec<(u32, usize)>)> = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            if group.unknown {
                continue;
            }
            if let Some((base, year)) = split_edition(&group.name) {
                match bases.iter_mut().find(|(b, _)| *b == base) {
                    Some((_, eds)) => eds.push((year, g)),
                    None => bases.push((base, vec![(year, g)])),
                }
            }
        }
        for (name, mut eds) in bases {
            eds.sort();
            eds.dedup_by_key(|e| e.0);
            if eds.len() < 2 {
                continue;
            }
            let editions: Vec<usize> = eds.iter().map(|e| e.1).collect();
            let years: Vec<u32> = eds.iter().map(|e| e.0).collect();
            let mut trends: Vec<ThemeTrend> = rows
                .iter()
                .enumerate()
                .map(|(ri, r)| {
                    let shares: Vec<f64> = editions.iter().map(|&g| r.shares[g]).collect();
                    let counts: Vec<u64> = editions.iter().map(|&g| r.counts[g]).collect();
                    let (first, last) = (
                        shares.first().copied().unwrap_or(0.0),
                        shares.last().copied().unwrap_or(0.0),
                    );
                    ThemeTrend {
                        row: ri,
                        theme: r.theme,
                        change: last - first,
                        change_points: whole_percent(last) - whole_percent(first),
                        shares,
                        counts,
                    }
                })
                .filter(|t| t.counts.iter().any(|&c| c > 0))
                .collect();
            trends.sort_by(|a, b| {
                (b.change_points, b.change)
                    .partial_cmp(&(a.change_points, a.change))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.row.cmp(&b.row))
            });
            let rose: Vec<ThemeTrend> = trends
                .iter()
                .filter(|t| t.change_points > 0)
                .cloned()
                .collect();
            let mut fell: Vec<ThemeTrend> = trends
                .iter()
                .filter(|t| t.change_points < 0)
                .cloned()
                .collect();
            fell.reverse();
            let steady: Vec<ThemeTrend> = trends
                .into_iter()
                .filter(|t| t.change_points == 0)
                .collect();
            let sub: Vec<Vec<u64>> = rows[..n_theme_rows]
                .iter()
                .map(|r| editions.iter().map(|&g| r.counts[g]).collect())
                .collect();
            let test = independence_test(&sub, params);
            series.push(Series {
                name,
                editions,
                years,
                rose,
                fell,
                steady,
                test,
            });
        }
    }

    Comparison {
        by,
        groups,
        talks: n_talks,
        multi_membership,
        table: rows,
        untested,
        texts,
        terms_basis,
        test,
        flags,
        distinctive: distinctive_terms,
        pairs,
        series,
    }
}

// ---------------------------------------------------------------------------------------------
// Chart data

impl Comparison {
    /// Group labels in the output language.
    pub fn group_labels(&self, lang: Lang) -> Vec<String> {
        self.groups
            .iter()
            .map(|g| g.label(lang).to_string())
            .collect()
    }

    /// `counts[group][row]` (rows as in `table`, the unassigned row last if present): the
    /// share-by-group chart's input.
    pub fn counts_by_group(&self) -> Vec<Vec<usize>> {
        (0..self.groups.len())
            .map(|g| {
                self.table
                    .iter()
                    .map(|r| r.counts.get(g).copied().unwrap_or(0) as usize)
                    .collect()
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Terminal text

/// Columns a string takes in a terminal (East Asian wide characters take two).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = matches!(u,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn pad_right(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

fn pad_left(s: &str, w: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

fn fmt_p(p: f64) -> String {
    if p < 0.001 {
        "p<0.001".to_string()
    } else {
        format!("p={p:.3}")
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The test line: statistic, p, method, and what it allows us to say.
fn render_test(test: &IndependenceTest, lang: Lang, groups_word: (&str, &str)) -> String {
    let ja = lang == Lang::Ja;
    let chi = &test.chi_square;
    if let Some(reason) = test.not_applicable {
        let why = match reason {
            NotApplicable::Empty => lang.pick("発表がない", "no talks"),
            NotApplicable::OneRow => {
                lang.pick("発表のあるテーマが1つしかない", "only one theme has talks")
            }
            NotApplicable::OneColumn => lang.pick(
                "比べる相手がいない (発表のあるグループが1つだけ)",
                "nothing to compare (only one group has talks)",
            ),
        };
        return if ja {
            format!("検定できない: {why}。")
        } else {
            format!("No test: {why}.")
        };
    }
    let mut out = String::new();
    let method = test.method.label(lang);
    let p = test.p_value.map_or_else(|| "p=?".to_string(), fmt_p);
    if ja {
        let _ = write!(
            out,
            "χ²={:.2}, 自由度={}, {p} ({method})。",
            chi.statistic, chi.dof
        );
    } else {
        let _ = write!(
            out,
            "χ²={:.2}, df={}, {p} ({method}). ",
            chi.statistic, chi.dof
        );
    }
    let cells = chi.expected.iter().map(Vec::len).sum::<usize>();
    let alpha = test.alpha;
    let (gj, ge) = groups_word;
    match (test.verdict, test.low_power) {
        (Verdict::Differs, false) => {
            if ja {
                let _ = write!(out, "テーマの構成は{gj}によって異なる (p<{alpha})。");
            } else {
                let _ = write!(out, "The theme mix differs between {ge} (p<{alpha}).");
            }
        }
        (Verdict::Differs, true) => {
            if ja {
                let _ = write!(
                    out,
                    "期待度数5未満のセルが{}個 (全{cells}個) あり検定力は低いが、正確な検定でも p<{alpha}: テーマの構成は{gj}によって異なる。件数が少ないため、どのテーマが偏っているかは示さない。",
                    chi.cells_below_5
                );
            } else {
                let _ = write!(
                    out,
                    "{} of {cells} cells have expected counts below 5, so the test has little power, yet the exact test gives p<{alpha}: the theme mix differs between {ge}. The counts are too small to say which themes.",
                    chi.cells_below_5
                );
            }
        }
        (Verdict::NoEvidence, true) | (Verdict::NotApplicable, true) => {
            if ja {
                let _ = write!(
                    out,
                    "期待度数5未満のセルが{}個 (全{cells}個) あり、検定力は低い: 差があるとは言えない (差がないとも言えない)。",
                    chi.cells_below_5
                );
            } else {
                let _ = write!(
                    out,
                    "{} of {cells} cells have expected counts below 5, so the test has little power: no difference can be claimed (nor ruled out).",
                    chi.cells_below_5
                );
            }
        }
        (Verdict::NoEvidence, false) | (Verdict::NotApplicable, false) => {
            if ja {
                let _ = write!(out, "テーマの構成に差があるとは言えない (p≥{alpha})。");
            } else {
                let _ = write!(
                    out,
                    "No evidence that the theme mix differs between {ge} (p≥{alpha})."
                );
            }
        }
    }
    out
}

fn terms_line(terms: &[DistinctiveTerm], lang: Lang) -> String {
    if terms.is_empty() {
        return lang.pick(NO_TERMS.0, NO_TERMS.1).to_string();
    }
    terms
        .iter()
        .map(|t| term_with_z(&t.display, t.z))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "タイトルと概要": what distinctive terms were counted on.
fn basis_words(kinds: &[SectionKind], lang: Lang) -> String {
    let mut parts = vec![lang.pick("タイトル", "titles").to_string()];
    parts.extend(kinds.iter().map(|&k| section_label(k, lang).to_string()));
    parts.join(lang.pick("と", " and "))
}

/// A section kind in the words of the notes.
fn section_label(kind: SectionKind, lang: Lang) -> &'static str {
    match kind {
        SectionKind::Abstract => lang.pick("概要", "abstracts"),
        SectionKind::Details => lang.pick("詳細", "details"),
        SectionKind::Audience => lang.pick("対象聴衆", "audience"),
        SectionKind::Motivation => lang.pick("動機", "motivation"),
        SectionKind::Recap => lang.pick("振り返り記事", "recaps"),
        SectionKind::Other => lang.pick("その他の本文", "other text"),
    }
}

/// |z| from which a term is marked as a clear difference (two-sided 5 %, per term: with
/// hundreds of terms a few reach it by chance, which the legend says).
pub const SIGNIFICANT_Z: f64 = 1.96;

/// What the term lists say when a group uses no term more than the others do.
pub const NO_TERMS: (&str, &str) = (
    "(他より多く使われた語なし)",
    "(no term used more than elsewhere)",
);

/// Legend of the term lists, for every renderer.
pub const TERMS_LEGEND: (&str, &str) = (
    "他のグループより多くのトークが使った語 (z≥1)。括弧内は z 値 (トーク単位の重み付き対数オッズ比、情報事前分布つき)、* は |z|≥1.96。語が多いので偶然 1.96 に届く語もある",
    "Terms more talks of the group use than other talks do (z≥1), with z (talk-level weighted log-odds, informative prior); * marks |z|≥1.96, which a few of many terms reach by chance",
);

/// `display (z)`, with `*` when |z| ≥ SIGNIFICANT_Z.
pub fn term_with_z(display: &str, z: f64) -> String {
    let mark = if z.abs() >= SIGNIFICANT_Z { "*" } else { "" };
    format!("{display} ({:.1}{mark})", z.abs())
}

impl Comparison {
    /// What the reader must know to read the test and the terms right: the 「不明」 group left
    /// out of them, and groups whose texts are of different kinds. Empty when neither holds.
    pub fn notes(&self, lang: Lang) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(g) = self.untested.and_then(|g| self.groups.get(g)) {
            let what = match self.by {
                GroupBy::Event => lang.pick("イベント名", "event name"),
                GroupBy::Category => lang.pick("カテゴリ", "category"),
                GroupBy::Room => lang.pick("部屋", "room"),
                GroupBy::Day => lang.pick("日付", "date"),
            };
            notes.push(match lang {
                Lang::Ja => format!(
                    "※ {what}のない発表{}件 (「{}」) は表に示しますが、検定・偏りのあるセル・特徴的な語には含めていません。",
                    g.talks,
                    g.label(lang)
                ),
                Lang::En => format!(
                    "Note: the {} talks without a {what} (\"{}\") are shown in the table but left out of the test, the flagged cells and the distinctive terms.",
                    g.talks,
                    g.label(lang)
                ),
            });
        }
        if let Some(warning) = self.kinds_warning(lang) {
            notes.push(match lang {
                Lang::Ja => format!("⚠ {warning}"),
                Lang::En => format!("Warning: {warning}"),
            });
        }
        notes
    }

    /// When the tested groups' texts are of different kinds: which, and what the distinctive
    /// terms were counted on.
    pub fn kinds_warning(&self, lang: Lang) -> Option<String> {
        if !self.terms_basis.mixed_kinds {
            return None;
        }
        let kinds = self
            .texts
            .iter()
            .map(|t| {
                let label = self.groups.get(t.group).map_or("", |g| g.label(lang));
                let main = if t.main.is_empty() {
                    lang.pick("タイトルのみ", "titles only").to_string()
                } else {
                    t.main
                        .iter()
                        .map(|k| k.label(lang))
                        .collect::<Vec<_>>()
                        .join(lang.pick("・", " and "))
                };
                format!("{label}: {main}")
            })
            .collect::<Vec<_>>()
            .join(lang.pick("、", "; "));
        let basis = basis_words(
            self.terms_basis.sections.as_deref().unwrap_or_default(),
            lang,
        );
        Some(match lang {
            Lang::Ja => format!(
                "グループによって本文の種類が異なります ({kinds})。本文の語は書き手と媒体の違いを映すので、特徴的な語はどのグループにもある部分 ({basis}) だけで数えました。テーマの構成も本文の種類に影響されます。"
            ),
            Lang::En => format!(
                "the groups' texts are of different kinds ({kinds}). Their wording follows the writer and the medium, so distinctive terms were counted on what every group has ({basis}) only. The theme mix is affected by the kinds of text too."
            ),
        })
    }

    /// The test's statistic, p-value, method and what it allows us to say, as one sentence.
    pub fn test_sentence(&self, lang: Lang) -> String {
        let groups_word = match self.by {
            GroupBy::Event => ("イベント", "events"),
            GroupBy::Category => ("カテゴリ", "categories"),
            GroupBy::Room => ("部屋", "rooms"),
            GroupBy::Day => ("日", "days"),
        };
        render_test(&self.test, lang, groups_word)
    }

    /// Terminal text: the table, the test with its honest reading, flagged cells,
    /// distinctive terms and trends. `theme_names` overrides the names in `table` by theme id
    /// (pass `&[]` to use those).
    pub fn render(&self, lang: Lang, theme_names: &[ThemeName]) -> String {
        let ja = lang == Lang::Ja;
        let name_of = |row: &ThemeRow| -> String {
            match row.theme.and_then(|t| theme_names.get(t)) {
                Some(n) => n.get(lang).to_string(),
                None => row.name.get(lang).to_string(),
            }
        };
        let by = match self.by {
            GroupBy::Event => lang.pick("イベント", "event"),
            GroupBy::Category => lang.pick("カテゴリ", "category"),
            GroupBy::Room => lang.pick("部屋", "room"),
            GroupBy::Day => lang.pick("日", "day"),
        };
        let groups_word = match self.by {
            GroupBy::Event => ("イベント", "events"),
            GroupBy::Category => ("カテゴリ", "categories"),
            GroupBy::Room => ("部屋", "rooms"),
            GroupBy::Day => ("日", "days"),
        };
        let mut out = String::new();
        if ja {
            let _ = writeln!(
                out,
                "{by}別のテーマ構成 (発表{}件, {}グループ)",
                self.talks,
                self.groups.len()
            );
        } else {
            let _ = writeln!(
                out,
                "Themes by {by} ({} talks, {} groups)",
                self.talks,
                self.groups.len()
            );
        }
        if self.multi_membership {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "※ 複数のカテゴリを持つ発表は、それぞれのカテゴリで数えています (延べ数)。検定は1発表1回の前提なので、p値は目安です。",
                    "Note: a talk with several categories counts in each of them; the test assumes each talk counts once, so its p-value is approximate."
                )
            );
        }
        let _ = writeln!(out);

        // Table.
        let labels = self.group_labels(lang);
        let total_label = lang.pick("計", "total");
        let theme_col = lang.pick("テーマ", "theme");
        let names: Vec<String> = self.table.iter().map(name_of).collect();
        let first_w = names
            .iter()
            .map(|n| width(n))
            .chain([width(theme_col), width(total_label)])
            .max()
            .unwrap_or(0);
        let cells: Vec<Vec<String>> = self
            .table
            .iter()
            .map(|r| {
                r.counts
                    .iter()
                    .zip(&r.shares)
                    .map(|(c, s)| format!("{c} ({})", percent(*s)))
                    .collect()
            })
            .collect();
        let totals: Vec<String> = self.groups.iter().map(|g| g.talks.to_string()).collect();
        let col_w: Vec<usize> = (0..self.groups.len())
            .map(|g| {
                cells
                    .iter()
                    .map(|row| width(&row[g]))
                    .chain([width(&labels[g]), width(&totals[g])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut line = pad_right(theme_col, first_w);
        for (g, l) in labels.iter().enumerate() {
            line.push_str("  ");
            line.push_str(&pad_left(l, col_w[g]));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for (r, row_cells) in cells.iter().enumerate() {
            let mut line = pad_right(&names[r], first_w);
            for (g, c) in row_cells.iter().enumerate() {
                line.push_str("  ");
                line.push_str(&pad_left(c, col_w[g]));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let mut line = pad_right(total_label, first_w);
        for (g, t) in totals.iter().enumerate() {
            line.push_str("  ");
            line.push_str(&pad_left(t, col_w[g]));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        let _ = writeln!(out);

        // Test.
        let _ = writeln!(
            out,
            "{}{}",
            lang.pick("検定: ", "Test: "),
            render_test(&self.test, lang, groups_word)
        );
        if self.table.iter().any(|r| r.theme.is_none()) {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "(未分類の発表は検定に含めていません。)",
                    "(Unassigned talks are left out of the test.)"
                )
            );
        }
        for note in self.notes(lang) {
            let _ = writeln!(out, "{note}");
        }
        if !self.flags.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "偏りのあるセル (調整済み標準化残差 |r|≥1.96):",
                    "Cells out of line (adjusted standardized residual |r|≥1.96):"
                )
            );
            for f in &self.flags {
                let dir = if f.over {
                    lang.pick("多い", "more")
                } else {
                    lang.pick("少ない", "fewer")
                };
                let theme = names.get(f.row).map_or("", String::as_str);
                let group = labels.get(f.group).map_or("", String::as_str);
                if ja {
                    let _ = writeln!(
                        out,
                        "  {dir}: {theme} × {group} ({}件, 独立なら{:.1}件, r={:+.2})",
                        f.observed, f.expected, f.adjusted_residual
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "  {dir}: {theme} × {group} ({} talks, {:.1} expected, r={:+.2})",
                        f.observed, f.expected, f.adjusted_residual
                    );
                }
            }
        } else if self.test.verdict == Verdict::Differs && !self.test.low_power {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "調整済み標準化残差が ±1.96 を超えるセルはない。",
                    "No cell has an adjusted standardized residual beyond ±1.96."
                )
            );
        }

        // Distinctive terms.
        if !self.distinctive.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "特徴的な語 (他のグループと比べて)",
                    "Distinctive terms (against the other groups)"
                )
            );
            let _ = writeln!(out, "  {}:", lang.pick(TERMS_LEGEND.0, TERMS_LEGEND.1));
            for gt in &self.distinctive {
                let label = labels.get(gt.group).map_or("", String::as_str);
                let _ = writeln!(out, "  {label}: {}", terms_line(&gt.terms, lang));
            }
        }
        if !self.pairs.is_empty() && self.groups.len() <= 4 {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{}",
                lang.pick("2グループずつの比較:", "Pairs of groups:")
            );
            for p in &self.pairs {
                let (a, b) = (
                    labels.get(p.a).map_or("", String::as_str),
                    labels.get(p.b).map_or("", String::as_str),
                );
                let of_a: Vec<DistinctiveTerm> =
                    p.terms.iter().filter(|t| t.z > 0.0).cloned().collect();
                let mut of_b: Vec<DistinctiveTerm> =
                    p.terms.iter().filter(|t| t.z < 0.0).cloned().collect();
                of_b.reverse();
                if self.terms_basis.mixed_kinds {
                    // Pairs differ in what they were counted on: say it for each.
                    let on = match &p.basis.sections {
                        Some(kinds) => basis_words(kinds, lang),
                        None => lang.pick("全文", "all text").to_string(),
                    };
                    let _ = writeln!(out, "  {a} ⇔ {b} ({on})");
                } else {
                    let _ = writeln!(out, "  {a} ⇔ {b}");
                }
                let _ = writeln!(out, "    {a}: {}", terms_line(&of_a, lang));
                let _ = writeln!(out, "    {b}: {}", terms_line(&of_b, lang));
            }
        }

        // Series.
        for s in &self.series {
            let _ = writeln!(out);
            let years = s
                .years
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" → ");
            if ja {
                let _ = writeln!(out, "{} の推移 ({years}):", s.name);
            } else {
                let _ = writeln!(out, "{} across editions ({years}):", s.name);
            }
            let trend = |t: &ThemeTrend| -> String {
                let shares = t
                    .shares
                    .iter()
                    .map(|&x| percent(x))
                    .collect::<Vec<_>>()
                    .join(" → ");
                let name = names.get(t.row).map_or("", String::as_str);
                format!("{name} {shares} ({:+}pt)", t.change_points)
            };
            for (label, list) in [
                (lang.pick("増えた", "rose"), &s.rose),
                (lang.pick("減った", "fell"), &s.fell),
            ] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  {label}:");
                for t in list {
                    let _ = writeln!(out, "    {}", trend(t));
                }
            }
            let _ = writeln!(
                out,
                "  {}{}",
                lang.pick("変化の検定: ", "Test of the change: "),
                render_test(&s.test, lang, ("回", "editions"))
            );
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cluster::{ClusterParams, KChoice};
    use crate::corpus::Talk;
    use crate::fitted::AnalysisParams;
    use crate::pipeline::analyze_terms;
    use crate::themes::Taxonomy;
    use crate::vectorize::{TalkTerms, TfIdfParams};

    pub(crate) fn talk(event: &str, title: &str) -> Talk {
        Talk {
            id: format!("{event}/{title}"),
            event: event.to_string(),
            ..Talk::new(title.to_string())
        }
    }

    pub(crate) fn terms(words: &str) -> TalkTerms {
        TalkTerms::from_words(&[], &words.split_whitespace().collect::<Vec<_>>())
    }

    /// Three well-separated topics.
    pub(crate) const TOPICS: [&str; 3] = [
        "SLO エラーバジェット SLI 信頼性目標",
        "Kubernetes コンテナ クラスタ Helm",
        "インシデント ポストモーテム オンコール 障害対応",
    ];

    pub(crate) fn analysis_of(terms: Vec<TalkTerms>, k: usize) -> Analysis {
        let params = AnalysisParams {
            tfidf: TfIdfParams {
                min_df: 1,
                max_df: 1.0,
                ..Default::default()
            },
            cluster: ClusterParams {
                k: KChoice::Fixed(k),
                n_runs: 3,
                ..Default::default()
            },
            ..Default::default()
        };
        analyze_terms(terms, &Taxonomy::none(), &params).unwrap()
    }

    /// `spec`: (event, topic index or None for a talk without terms, how many).
    fn corpus_of(spec: &[(&str, Option<usize>, usize)]) -> (Corpus, Vec<TalkTerms>) {
        let mut corpus = Corpus::default();
        let mut all = Vec::new();
        for &(event, topic, n) in spec {
            for i in 0..n {
                corpus
                    .talks
                    .push(talk(event, &format!("{event} {topic:?} {i}")));
                all.push(match topic {
                    Some(t) => terms(TOPICS[t]),
                    None => terms(""),
                });
            }
        }
        (corpus, all)
    }

    fn fast() -> CompareParams {
        CompareParams {
            monte_carlo_iterations: 2_000,
            ..Default::default()
        }
    }

    #[test]
    fn counts_add_up_to_each_groups_talks_with_an_unassigned_row() {
        let (corpus, terms) = corpus_of(&[
            ("SRE Kaigi 2025", Some(0), 3),
            ("SRE Kaigi 2025", Some(1), 2),
            ("SRE Kaigi 2025", None, 1),
            ("SRE NEXT 2023", Some(2), 3),
            ("SRE NEXT 2023", Some(0), 1),
            ("CloudNative Days Winter 2024", Some(1), 2),
        ]);
        let analysis = analysis_of(terms, 3);
        let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
        let names: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "SRE Kaigi 2025",
                "SRE NEXT 2023",
                "CloudNative Days Winter 2024"
            ]
        );
        assert_eq!(
            c.groups.iter().map(|g| g.talks).collect::<Vec<_>>(),
            [6, 4, 2]
        );
        for (g, group) in c.groups.iter().enumerate() {
            let sum: u64 = c.table.iter().map(|r| r.counts[g]).sum();
            assert_eq!(sum as usize, group.talks);
            let share: f64 = c.table.iter().map(|r| r.shares[g]).sum();
            assert!((share - 1.0).abs() < 1e-9);
        }
        let last = c.table.last().unwrap();
        assert_eq!(last.theme, None);
        assert_eq!(last.counts, [1, 0, 0]);
        assert_eq!(c.table.len(), 4);
        // Small counts: low power, nothing flagged, and the text says so.
        assert!(c.test.low_power);
        assert!(c.flags.is_empty());
        let text = c.render(Lang::Ja, &[]);
        assert!(text.contains("未分類"), "{text}");
        assert!(text.contains("検定力は低い"), "{text}");
        let en = c.render(Lang::En, &[]);
        assert!(
            en.contains("unassigned") && en.contains("little power"),
            "{en}"
        );
    }

    #[test]
    fn low_power_without_significance_never_claims_a_difference() {
        // Same mix in both events, few talks.
        let (corpus, terms) = corpus_of(&[
            ("A", Some(0), 2),
            ("A", Some(1), 1),
            ("A", Some(2), 1),
            ("B", Some(0), 1),
            ("B", Some(1), 2),
            ("B", Some(2), 1),
        ]);
        let analysis = analysis_of(terms, 3);
        let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
        assert!(c.test.low_power);
        assert!(matches!(c.test.method, PMethod::MonteCarlo { .. }));
        assert_eq!(c.test.verdict, Verdict::NoEvidence);
        assert!(c.flags.is_empty());
        let ja = c.render(Lang::Ja, &[]);
        assert!(ja.contains("差があるとは言えない"), "{ja}");
        assert!(!ja.contains("異なる。") && !ja.contains("多い:"), "{ja}");
        let en = c.render(Lang::En, &[]);
        assert!(en.contains("no difference can be claimed"), "{en}");
        assert!(!en.contains("differs"), "{en}");
    }

    #[test]
    fn a_clear_difference_with_enough_talks_flags_cells() {
        let (corpus, terms) = corpus_of(&[
            ("A", Some(0), 18),
            ("A", Some(1), 2),
            ("A", Some(2), 2),
            ("B", Some(0), 2),
            ("B", Some(1), 18),
            ("B", Some(2), 2),
            ("C", Some(0), 3),
            ("C", Some(1), 3),
            ("C", Some(2), 18),
        ]);
        let analysis = analysis_of(terms, 3);
        let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
        assert!(!c.test.low_power);
        assert_eq!(c.test.method, PMethod::Asymptotic);
        assert_eq!(c.test.verdict, Verdict::Differs);
        assert!(c.test.p_value.unwrap() < 1e-6);
        // Every group is over-represented in its own topic's theme.
        for g in 0..3 {
            assert!(
                c.flags
                    .iter()
                    .any(|f| f.group == g && f.over && c.table[f.row].counts[g] == 18),
                "{:?}",
                c.flags
            );
        }
        assert!(c.flags.iter().all(|f| f.adjusted_residual.abs() >= 1.96));
        let ja = c.render(Lang::Ja, &[]);
        assert!(
            ja.contains("イベントによって異なる") && ja.contains("多い:"),
            "{ja}"
        );
        // Distinctive terms: each group's topic words.
        let a = &c.distinctive[0].terms;
        assert!(a.iter().any(|t| t.display == "SLO"), "{a:?}");
        assert!(a.iter().all(|t| t.z >= 1.96 && t.talks >= 2));
        let b = &c.distinctive[1].terms;
        assert!(b.iter().any(|t| t.display == "Kubernetes"), "{b:?}");
        assert!(!b.iter().any(|t| t.display == "SLO"));
    }

    #[test]
    fn pairwise_terms_point_to_their_group() {
        let (corpus, terms) = corpus_of(&[
            ("A", Some(0), 20),
            ("A", Some(1), 2),
            ("B", Some(1), 20),
            ("B", Some(0), 2),
        ]);
        let analysis = analysis_of(terms, 2);
        let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
        assert_eq!(c.pairs.len(), 1);
        let p = &c.pairs[0];
        assert_eq!((p.a, p.b), (0, 1));
        let z = |d: &str| p.terms.iter().find(|t| t.display == d).map(|t| t.z);
        assert!(z("SLO").unwrap() > 1.96);
        assert!(z("Kubernetes").unwrap() < -1.96);
        // Sorted from most a-typical to most b-typical, counts as (a side, b side).
        assert!(p.terms.windows(2).all(|w| w[0].z >= w[1].z));
        let k8s = p.terms.iter().find(|t| t.display == "Kubernetes").unwrap();
        assert_eq!((k8s.count, k8s.other_count), (2, 20));
        assert_eq!(p.chart_terms().first().map(|t| t.1 > 0.0), Some(true));
        // 2×2 table: Fisher's exact test.
        assert_eq!(c.test.method, PMethod::Fisher);
    }

    #[test]
    fn editions_of_one_series_give_trends_in_order() {
        assert_eq!(
            split_edition("SRE NEXT 2023"),
            Some(("SRE NEXT".to_string(), 2023))
        );
        assert_eq!(
            split_edition("CloudNative Days Winter 2024"),
            Some(("CloudNative Days Winter".to_string(), 2024))
        );
        assert_eq!(split_edition("SRE NEXT"), None);
        assert_eq!(split_edition("2024"), None);
        let (corpus, terms) = corpus_of(&[
            ("SRE NEXT 2025", Some(0), 1),
            ("SRE NEXT 2025", Some(1), 3),
            ("SRE NEXT 2023", Some(0), 3),
            ("SRE NEXT 2023", Some(1), 1),
            ("SRE Kaigi 2025", Some(2), 2),
            ("SRE NEXT 2024", Some(0), 2),
            ("SRE NEXT 2024", Some(1), 2),
        ]);
        let analysis = analysis_of(terms, 3);
        let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
        assert_eq!(c.series.len(), 1);
        let s = &c.series[0];
        assert_eq!(s.name, "SRE NEXT");
        assert_eq!(s.years, [2023, 2024, 2025]);
        let names: Vec<&str> = s
            .editions
            .iter()
            .map(|&g| c.groups[g].name.as_str())
            .collect();
        assert_eq!(names, ["SRE NEXT 2023", "SRE NEXT 2024", "SRE NEXT 2025"]);
        assert_eq!(s.rose.len(), 1);
        assert_eq!(s.fell.len(), 1);
        assert_eq!(s.rose[0].shares, [0.25, 0.5, 0.75]);
        assert_eq!(s.fell[0].shares, [0.75, 0.5, 0.25]);
        assert!((s.rose[0].change - 0.5).abs() < 1e-12);
        // The SRE Kaigi theme is absent from the series.
        assert!(s.steady.is_empty());
        assert!(s.test.low_power);
        let ja = c.render(Lang::Ja, &[]);
        assert!(ja.contains("SRE NEXT の推移 (2023 → 2024 → 2025)"), "{ja}");
        assert!(ja.contains("25% → 50% → 75% (+50pt)"), "{ja}");
    }

    /// Talks on two days (topic 0 / 1: 6+4 and 4+6) and `undated` talks of topic 0.
    fn days(undated: usize) -> Comparison {
        let mut spec = vec![
            ("A", Some(0), 6),
            ("A", Some(1), 4),
            ("A", Some(0), 4),
            ("A", Some(1), 6),
        ];
        if undated > 0 {
            spec.push(("B", Some(0), undated));
        }
        let (mut corpus, terms) = corpus_of(&spec);
        for (i, talk) in corpus.talks.iter_mut().enumerate() {
            talk.start = match i {
                0..10 => Some("2025-01-25 10:00".into()),
                10..20 => Some("2025-01-26 10:00".into()),
                _ => None,
            };
        }
        let analysis = analysis_of(terms, 2);
        compare(&corpus, &analysis, GroupBy::Day, &fast())
    }

    #[test]
    fn an_undated_group_is_shown_but_does_not_change_the_test_of_the_days() {
        let dated = days(0);
        let with_undated = days(10);
        let labels = with_undated.group_labels(Lang::Ja);
        assert_eq!(labels, ["2025-01-25", "2025-01-26", "不明"]);
        assert_eq!(with_undated.untested, Some(2));
        assert_eq!(with_undated.groups[2].talks, 10);
        // The table still shows the undated talks.
        assert_eq!(
            with_undated.table.iter().map(|r| r.counts[2]).sum::<u64>(),
            10
        );
        // The test is the one of the two days alone: same table, same p.
        assert_eq!(with_undated.test.chi_square.cols, [0, 1]);
        assert_eq!(with_undated.test.p_value, dated.test.p_value);
        assert_eq!(
            with_undated.test.chi_square.statistic,
            dated.test.chi_square.statistic
        );
        // No distinctive terms or pairs for 「不明」.
        assert!(with_undated.distinctive.iter().all(|d| d.group < 2));
        assert!(with_undated.pairs.iter().all(|p| p.a < 2 && p.b < 2));
        let ja = with_undated.render(Lang::Ja, &[]);
        assert!(
            ja.contains("日付のない発表10件 (「不明」) は表に示しますが、検定"),
            "{ja}"
        );
        let en = with_undated.render(Lang::En, &[]);
        assert!(en.contains("left out of the test"), "{en}");
        assert!(dated.notes(Lang::Ja).is_empty());
    }

    #[test]
    fn a_change_that_rounds_to_zero_points_is_no_trend() {
        // Topic 0: 1/10 = 10% → 3/29 = 10.3%; topic 1: 90% → 89.7%: both show as
        // "10% → 10%" / "90% → 90%".
        let (corpus, terms) = corpus_of(&[
            ("SRE NEXT 2023", Some(0), 1),
            ("SRE NEXT 2023", Some(1), 9),
            ("SRE NEXT 2024", Some(0), 3),
            ("SRE NEXT 2024", Some(1), 26),
        ]);
        let analysis = analysis_of(terms, 2);
        let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
        let s = &c.series[0];
        assert!(s.rose.is_empty() && s.fell.is_empty(), "{s:?}");
        assert_eq!(s.steady.len(), 2);
        assert!(s.steady.iter().all(|t| t.change_points == 0));
        let ja = c.render(Lang::Ja, &[]);
        assert!(!ja.contains("0pt") && !ja.contains("増えた"), "{ja}");
    }

    #[test]
    fn groups_with_different_kinds_of_text_are_warned_and_compared_on_titles() {
        // A: CfP abstracts full of CfP words; B: recaps full of recap words. The topic is in
        // the titles.
        let mut corpus = Corpus::default();
        let mut all = Vec::new();
        for (event, kind, title, body) in [
            ("A", SectionKind::Abstract, "SLO", "課題 解決 提供"),
            ("B", SectionKind::Recap, "Kubernetes", "登壇 資料 感想"),
        ] {
            for i in 0..8 {
                let mut t = talk(event, &format!("{title} {i}"));
                t.sections.push(crate::corpus::Section {
                    kind,
                    source: crate::corpus::Source {
                        file: format!("{event}.txt"),
                        lines: [1, 1],
                    },
                    text: body.to_string(),
                });
                corpus.talks.push(t);
                let mut terms = TalkTerms::from_words(
                    &[
                        title,
                        ["エラーバジェット", "クラスタ"][(event == "B") as usize],
                    ],
                    &body.split(' ').collect::<Vec<_>>(),
                );
                terms.section_ends = vec![(kind, terms.body.len())];
                all.push(terms);
            }
        }
        let analysis = analysis_of(all, 2);
        let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
        assert!(c.terms_basis.mixed_kinds);
        assert_eq!(c.terms_basis.sections, Some(vec![]));
        assert_eq!(c.texts[0].main, [TextKind::Proposal]);
        assert_eq!(c.texts[1].main, [TextKind::Recap]);
        let of = |g: usize| -> Vec<&str> {
            c.distinctive[g]
                .terms
                .iter()
                .map(|t| t.display.as_str())
                .collect()
        };
        assert!(
            of(0).contains(&"SLO") && !of(0).contains(&"課題"),
            "{:?}",
            of(0)
        );
        assert!(
            of(1).contains(&"Kubernetes") && !of(1).contains(&"登壇"),
            "{:?}",
            of(1)
        );
        let ja = c.render(Lang::Ja, &[]);
        assert!(
            ja.contains("本文の種類が異なります (A: CfPの概要、B: 振り返り記事)")
                && ja.contains("(タイトル) だけで数えました"),
            "{ja}"
        );
        // The same kinds of text: no warning, all text counted.
        let same = compare(
            &corpus_of(&[("A", Some(0), 3), ("B", Some(1), 3)]).0,
            &analysis_of(corpus_of(&[("A", Some(0), 3), ("B", Some(1), 3)]).1, 2),
            GroupBy::Event,
            &fast(),
        );
        assert!(!same.terms_basis.mixed_kinds && same.terms_basis.sections.is_none());
        assert!(same.kinds_warning(Lang::En).is_none());
    }

    #[test]
    fn categories_count_in_each_and_missing_rooms_and_days_are_unknown() {
        let (mut corpus, terms) = corpus_of(&[("A", Some(0), 3), ("A", Some(1), 3)]);
        corpus.talks[0].categories = vec!["Tech".into(), "Culture".into()];
        corpus.talks[1].categories = vec!["Tech".into()];
        corpus.talks[0].room = Some("Hall".into());
        corpus.talks[0].start = Some("2025-01-26 10:35".into());
        corpus.talks[1].start = Some("2025/1/25 11:00〜".into());
        corpus.talks[2].start = Some("TBD".into());
        let analysis = analysis_of(terms, 2);

        let c = compare(&corpus, &analysis, GroupBy::Category, &fast());
        assert!(c.multi_membership);
        let talks: Vec<(String, usize, bool)> = c
            .groups
            .iter()
            .map(|g| (g.name.clone(), g.talks, g.unknown))
            .collect();
        assert_eq!(talks.iter().map(|t| t.1).sum::<usize>(), 7);
        assert_eq!(talks.last().unwrap(), &("unknown".to_string(), 4, true));
        assert!(c.render(Lang::Ja, &[]).contains("延べ数"));
        assert!(c.render(Lang::Ja, &[]).contains("不明"));

        let c = compare(&corpus, &analysis, GroupBy::Room, &fast());
        assert_eq!(c.groups.len(), 2);
        assert_eq!(c.groups[1].label(Lang::En), "unknown");
        assert_eq!(c.groups[1].talks, 5);

        let c = compare(&corpus, &analysis, GroupBy::Day, &fast());
        let days: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(days, ["2025-01-25", "2025-01-26", "unknown"]);
    }

    #[test]
    fn a_single_group_is_not_tested_and_has_no_distinctive_terms() {
        let (corpus, terms) = corpus_of(&[("A", Some(0), 3), ("A", Some(1), 3)]);
        let analysis = analysis_of(terms, 2);
        let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
        assert_eq!(c.test.verdict, Verdict::NotApplicable);
        assert_eq!(c.test.not_applicable, Some(NotApplicable::OneColumn));
        assert!(c.distinctive.is_empty() && c.pairs.is_empty() && c.flags.is_empty());
        assert!(c.render(Lang::Ja, &[]).contains("検定できない"));
        let json = serde_json::to_string(&c).unwrap();
        assert!(!json.contains("NaN"));
        // Everything numeric is finite.
        for r in &c.table {
            assert!(r.shares.iter().all(|s| s.is_finite()));
        }
        assert!(c.test.chi_square.statistic.is_finite());
    }

    #[test]
    fn day_parsing() {
        assert_eq!(day_of("2025-01-26 10:35").as_deref(), Some("2025-01-26"));
        assert_eq!(day_of("2025/1/26 10:35〜").as_deref(), Some("2025-01-26"));
        assert_eq!(day_of("10:35"), None);
        assert_eq!(day_of(""), None);
        assert_eq!(day_of("2025-13-01"), None);
    }
}
