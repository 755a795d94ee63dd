//! Compare groups of talks (events, categories, rooms, days) on themes fitted once on all
//! talks together. Each file answers one question:
//! - `table`: theme × group counts and shares, the chi-square / exact test and the cells out
//!   of line;
//! - `terms`: distinctive terms per group against the rest (talk-level weighted log-odds for
//!   the size of a difference; a length-stratified exact test with false-discovery control
//!   and the independent-sources rule for whether it is a finding);
//! - `pairs`: the largest groups two by two (themes and terms), for the slide per pair;
//! - `series`: themes across editions of one series, with a trend test per theme;
//! - `correspondence`: correspondence analysis of groups × themes and groups × terms;
//! - `render`: the terminal text.
//!
//! Plain data in (`Corpus`, `Analysis`), plain data out (`Comparison`). Nothing here panics
//! and no number in the output is NaN. Work and output grow linearly with the number of
//! groups: pairs and the map take the largest groups only, and say how many were left out.

mod correspondence;
mod pairs;
mod render;
mod series;
mod table;
mod terms;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::HashMap;

use serde::Serialize;

use crate::corpus::Corpus;
use crate::fitted::Analysis;
use crate::lang::Lang;
use crate::themes::ThemeName;
use crate::timing::timed;

pub use correspondence::{CaMap, CaPoint, Correspondence};
pub use pairs::{PairTerms, PairTheme};
pub use render::{NO_TERMS, SHOWN_GROUPS, TERMS_LEGEND, term_with_z};
pub use series::{Series, ThemeTrend, split_edition};
pub use table::MONTE_CARLO_WORK;
pub use terms::{DistinctiveTerm, GroupTerms, GroupTexts, TermsBasis, TextKind};

use crate::analysis::stats::{ChiSquare, NotApplicable};

/// Groups compared pair by pair by default (the report's slides per pair).
pub const PAIR_GROUPS: usize = 4;
/// Groups on the correspondence map by default: more labels than this do not read on a slide.
pub const MAP_GROUPS: usize = 12;

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
    /// Terms are listed from z at least this (1: one standard error); the lists star those
    /// that pass the false-discovery control and the independent-sources rule.
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
    /// False discovery rate of the distinctive terms (Benjamini–Hochberg over the terms that
    /// could reach it), and of the pairs' and series' theme differences.
    pub fdr: f64,
    /// Groups compared pair by pair: the largest this many (the report draws a slide per
    /// pair); the others are compared with the rest of the talks only.
    pub pair_groups: usize,
    /// Groups placed on the correspondence map: the largest this many.
    pub map_groups: usize,
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
            fdr: 0.05,
            pair_groups: PAIR_GROUPS,
            map_groups: MAP_GROUPS,
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
    /// Theme id; `None` for the row of talks without a theme (no shared or taxonomy term).
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

/// Which groups were compared pair by pair, and how many were not (`compare --json` states
/// the cap so a reader knows the pairs are not all of them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairCap {
    /// At most this many groups, the largest, are paired.
    pub max_groups: usize,
    /// The groups paired (indices into `Comparison::groups`), in group order.
    pub groups: Vec<usize>,
    /// Tested groups left out of the pairs (still compared with the rest of the talks).
    pub omitted: usize,
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
    /// Which groups are paired.
    pub pair_cap: PairCap,
    /// Every pair (a < b) of the groups in `pair_cap.groups`.
    pub pairs: Vec<PairTerms>,
    /// Series with at least two editions among the groups (only when grouping by event).
    pub series: Vec<Series>,
    /// Correspondence analysis of the largest groups; `None` with fewer than 3 tested groups
    /// (two groups lie on one line: the pair says all there is).
    pub correspondence: Option<Correspondence>,
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

    let rows = table::theme_rows(analysis, &groups, &talk_groups);
    let n_theme_rows = rows.iter().filter(|r| r.theme.is_some()).count();

    // Test on the theme rows and the known groups only: 「不明」 is no group of its own (an
    // undated event would make "the days differ"), and it is always the last column.
    let untested = groups.iter().position(|g| g.unknown);
    let n_known = untested.unwrap_or(n_groups);
    let theme_table: Vec<Vec<u64>> = rows[..n_theme_rows]
        .iter()
        .map(|r| r.counts[..n_known].to_vec())
        .collect();
    let test = timed("  test", || table::independence_test(&theme_table, params));
    let flags = table::flags(&test, &rows, params);

    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_groups];
    for (talk, gs) in talk_groups.iter().enumerate() {
        for &g in gs {
            members[g].push(talk);
        }
    }
    let texts: Vec<GroupTexts> = (0..n_known)
        .map(|g| terms::group_texts(corpus, g, &members[g]))
        .collect();
    let terms_basis = terms::terms_basis(&texts);
    let counter = terms::Counter::new(corpus, analysis);
    let per_talk = counter.texts(terms_basis.sections.as_deref());
    let known: Vec<usize> = (0..n_talks)
        .filter(|&t| talk_groups[t].iter().any(|&g| g < n_known))
        .collect();
    let distinctive = timed("  terms", || {
        if n_known >= 2 && counter.vocab() >= 2 {
            terms::against_rest(&per_talk, &members[..n_known], &known, &counter, params)
        } else {
            Vec::new()
        }
    });

    let pair_cap = pairs::cap(&groups, n_known, params.pair_groups);
    let pairs = if counter.vocab() >= 2 || n_theme_rows >= 1 {
        pairs::pairs(
            &pair_cap,
            &rows[..n_theme_rows],
            &groups,
            &members,
            &texts,
            &terms_basis,
            &per_talk,
            &counter,
            params,
        )
    } else {
        Vec::new()
    };
    let pairs = pairs::protect(pairs, test.verdict, n_known, params.fdr);

    let series = if by == GroupBy::Event {
        series::series(&groups, &rows, n_theme_rows, params)
    } else {
        Vec::new()
    };

    let correspondence = timed("  ca", || {
        correspondence::correspondence(
            &groups,
            n_known,
            &rows[..n_theme_rows],
            &distinctive,
            &members,
            &per_talk,
            &counter,
            params,
        )
    });

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
        distinctive,
        pair_cap,
        pairs,
        series,
        correspondence,
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
