//! The theme × group table, its test of independence and the cells out of line.

use super::{CompareParams, Flag, Group, IndependenceTest, ThemeRow, Verdict, unassigned_name};
use crate::analysis::stats::{self, ChiSquare};
use crate::fitted::Analysis;

/// Theme rows in theme id order, then the unassigned row when some talk has no theme; counts
/// per group and shares of each group's talks.
pub(super) fn theme_rows(
    analysis: &Analysis,
    groups: &[Group],
    talk_groups: &[Vec<usize>],
) -> Vec<ThemeRow> {
    let n_groups = groups.len();
    let n_talks = talk_groups.len();
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
    rows
}

/// Cells with |adjusted residual| ≥ the threshold, when the test found a difference with
/// enough power to say where; largest first.
pub(super) fn flags(
    test: &IndependenceTest,
    rows: &[ThemeRow],
    params: &CompareParams,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    if test.verdict != Verdict::Differs || test.low_power {
        return flags;
    }
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
    flags
}

/// At most this many talk draws in a Monte Carlo test (iterations × talks), but at least
/// 1,000 iterations.
pub const MONTE_CARLO_WORK: u64 = 200_000_000;

/// Run the test of independence on a theme × group table (rows: themes).
pub(super) fn independence_test(table: &[Vec<u64>], params: &CompareParams) -> IndependenceTest {
    let chi = stats::chi_square_independence(table).unwrap_or_else(|_| empty_chi());
    let not_applicable = chi.not_applicable();
    // Each simulated table shuffles every talk: cap the work so that a 100k-talk corpus
    // takes seconds, not minutes (small corpora keep the full count).
    // Each iteration also sums every cell: with ten thousand one-talk groups the cells, not
    // the talks, are the work.
    let talks: u64 = table.iter().flatten().sum();
    let cells: u64 = table.iter().map(|r| r.len() as u64).sum();
    let iterations = params
        .monte_carlo_iterations
        .max(1)
        .min((MONTE_CARLO_WORK / (talks + cells).max(1)).max(1_000));
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
