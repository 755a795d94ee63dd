//! Themes across the editions of one series (SRE NEXT 2023 → 2024 → 2025): shares per
//! edition, which rose and fell as shown, and whether each change is supported (a trend test
//! per theme, Benjamini–Hochberg over the series' themes).

use serde::Serialize;

use super::{CompareParams, Group, IndependenceTest, ThemeRow};
use crate::analysis::stats;

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
    /// Cochran–Armitage test of a trend in the theme's share over the editions (two-sided);
    /// `null` when the theme is in all talks or none.
    pub p_value: Option<f64>,
    /// Benjamini–Hochberg adjusted over the series' themes.
    pub q_value: Option<f64>,
    /// The change is supported by the counts (q < the false discovery rate); the others are
    /// drawn but not claimed.
    pub supported: bool,
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

/// A share as the whole percent it is shown as ("10%").
fn whole_percent(share: f64) -> i64 {
    (share * 100.0).round() as i64
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

/// Series among the groups: event names that differ only by a trailing year.
pub(super) fn series(
    groups: &[Group],
    rows: &[ThemeRow],
    n_theme_rows: usize,
    params: &CompareParams,
) -> Vec<Series> {
    // Series: editions of one event name.
    let mut series = Vec::new();
    {
        let mut bases: Vec<(String, Vec<(u32, usize)>)> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = Default::default();
        for (g, group) in groups.iter().enumerate() {
            if group.unknown {
                continue;
            }
            if let Some((base, year)) = split_edition(&group.name) {
                // An index by name: ten thousand events must not be searched one by one.
                match index.get(&base) {
                    Some(&at) => bases[at].1.push((year, g)),
                    None => {
                        index.insert(base.clone(), bases.len());
                        bases.push((base, vec![(year, g)]));
                    }
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
                    let totals: Vec<u64> =
                        editions.iter().map(|&g| groups[g].talks as u64).collect();
                    ThemeTrend {
                        row: ri,
                        theme: r.theme,
                        change: last - first,
                        change_points: whole_percent(last) - whole_percent(first),
                        p_value: r
                            .theme
                            .and_then(|_| stats::cochran_armitage(&counts, &totals)),
                        q_value: None,
                        supported: false,
                        shares,
                        counts,
                    }
                })
                .filter(|t| t.counts.iter().any(|&c| c > 0))
                .collect();
            let tested: Vec<usize> = (0..trends.len())
                .filter(|&i| trends[i].p_value.is_some())
                .collect();
            let q = stats::bh_adjust(
                &tested
                    .iter()
                    .map(|&i| trends[i].p_value.unwrap_or(1.0))
                    .collect::<Vec<_>>(),
            );
            for (&i, q) in tested.iter().zip(q) {
                trends[i].q_value = Some(q);
                trends[i].supported = q < params.fdr;
            }
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
            let test = super::table::independence_test(&sub, params);
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

    series
}
