//! Comparing theme counts between groups (events): chi-square test of independence with
//! adjusted residuals, exact tests for small counts, weighted log-odds ratios with an
//! informative Dirichlet prior, and Benjamini–Hochberg adjustment.
//!
//! Tables are `&[Vec<u64>]`, one row per group and one column per theme (or the transpose:
//! every test here is symmetric in rows and columns). Nothing panics: ragged tables are a
//! usage error, and tables with fewer than two non-empty rows or columns give results that
//! carry no p-value.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::special::{chi_square_sf, ln_gamma, normal_two_sided_p};
use crate::{Error, Result};

/// Why a chi-square test could not be run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotApplicable {
    /// The table has no observations.
    Empty,
    /// Only one non-empty row: nothing to compare between groups.
    OneRow,
    /// Only one non-empty column: every group has the same single category.
    OneColumn,
}

impl std::fmt::Display for NotApplicable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotApplicable::Empty => "no observations",
            NotApplicable::OneRow => "only one non-empty row",
            NotApplicable::OneColumn => "only one non-empty column",
        })
    }
}

/// Pearson's chi-square test of independence on an r×c table.
///
/// Rows and columns summing to zero are dropped first (they have zero expected counts and
/// carry no information); `rows` and `cols` map the remaining ones back to the input.
/// All matrices are over the kept rows and columns.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChiSquare {
    /// Indices of the input rows kept.
    pub rows: Vec<usize>,
    /// Indices of the input columns kept.
    pub cols: Vec<usize>,
    /// Total count.
    pub n: u64,
    /// Pearson's X² (0 when not applicable: observed equals expected).
    pub statistic: f64,
    /// (r − 1)(c − 1) over the kept rows and columns.
    pub dof: u64,
    /// Asymptotic p-value; `None` when the test is not applicable (see [`Self::not_applicable`]).
    pub p_value: Option<f64>,
    /// Expected counts under independence, row total × column total / n.
    pub expected: Vec<Vec<f64>>,
    /// Adjusted standardized residuals (Agresti): (O − E) / sqrt(E (1 − row/n) (1 − col/n)),
    /// approximately standard normal under independence. 0 where the variance is 0.
    pub adjusted_residuals: Vec<Vec<f64>>,
    /// Smallest expected count (0 for an empty table).
    pub min_expected: f64,
    /// Cells with expected count below 5.
    pub cells_below_5: usize,
    /// Cochran's rule fails: some expected count is below 1 or more than 20% are below 5,
    /// so the asymptotic p-value is unreliable; use the Monte Carlo or exact test.
    pub low_power: bool,
}

impl ChiSquare {
    /// Why the test was not run, if it was not.
    pub fn not_applicable(&self) -> Option<NotApplicable> {
        if self.n == 0 {
            Some(NotApplicable::Empty)
        } else if self.rows.len() < 2 {
            Some(NotApplicable::OneRow)
        } else if self.cols.len() < 2 {
            Some(NotApplicable::OneColumn)
        } else {
            None
        }
    }

    /// Two-sided normal p-value of each adjusted residual, to flag cells (adjust them for
    /// multiplicity with [`bh_adjust`]).
    pub fn residual_p_values(&self) -> Vec<Vec<f64>> {
        self.adjusted_residuals
            .iter()
            .map(|row| row.iter().map(|&z| normal_two_sided_p(z)).collect())
            .collect()
    }
}

/// The table reduced to its non-empty rows and columns, with margins.
struct Reduced {
    rows: Vec<usize>,
    cols: Vec<usize>,
    counts: Vec<Vec<u64>>,
    row_sums: Vec<u64>,
    col_sums: Vec<u64>,
    n: u64,
}

impl Reduced {
    fn new(table: &[Vec<u64>]) -> Result<Reduced> {
        let width = table.first().map_or(0, Vec::len);
        if let Some(i) = table.iter().position(|r| r.len() != width) {
            let (row, cells) = (i + 1, table[i].len());
            return Err(Error::usage(tr!(
                "分割表の行の長さがそろっていません: {row}行目は{cells}セル、1行目は{width}セル",
                "contingency table is ragged: row {row} has {cells} cells, row 1 has {width}"
            )));
        }
        let mut all_row_sums = Vec::with_capacity(table.len());
        for row in table {
            all_row_sums.push(checked_sum(row.iter().copied())?);
        }
        let mut all_col_sums = Vec::with_capacity(width);
        for j in 0..width {
            all_col_sums.push(checked_sum(table.iter().map(|r| r[j]))?);
        }
        let n = checked_sum(all_row_sums.iter().copied())?;
        let rows: Vec<usize> = (0..table.len()).filter(|&i| all_row_sums[i] > 0).collect();
        let cols: Vec<usize> = (0..width).filter(|&j| all_col_sums[j] > 0).collect();
        let counts = rows
            .iter()
            .map(|&i| cols.iter().map(|&j| table[i][j]).collect())
            .collect();
        let row_sums = rows.iter().map(|&i| all_row_sums[i]).collect();
        let col_sums = cols.iter().map(|&j| all_col_sums[j]).collect();
        Ok(Reduced {
            rows,
            cols,
            counts,
            row_sums,
            col_sums,
            n,
        })
    }

    fn applicable(&self) -> bool {
        self.rows.len() >= 2 && self.cols.len() >= 2
    }

    fn expected(&self) -> Vec<Vec<f64>> {
        let n = self.n as f64;
        self.row_sums
            .iter()
            .map(|&r| {
                self.col_sums
                    .iter()
                    .map(|&c| r as f64 * c as f64 / n)
                    .collect()
            })
            .collect()
    }
}

/// Sum of counts, or a usage error instead of wrapping around.
fn checked_sum(mut counts: impl Iterator<Item = u64>) -> Result<u64> {
    counts
        .try_fold(0u64, |acc, x| acc.checked_add(x))
        .ok_or_else(|| {
            Error::usage(tr!(
                "分割表の度数の合計が64ビットを超えます",
                "contingency table counts overflow a 64-bit total"
            ))
        })
}

/// Pearson's X² of `counts` against `expected` (all expected > 0 on a reduced table).
fn pearson(counts: &[Vec<u64>], expected: &[Vec<f64>]) -> f64 {
    counts
        .iter()
        .zip(expected)
        .flat_map(|(o, e)| o.iter().zip(e))
        .map(|(&o, &e)| {
            let d = o as f64 - e;
            d * d / e
        })
        .sum()
}

/// Pearson's statistic as Σ O²/E − n (equal to [`pearson`] when the expected counts sum to
/// n), summing only the cells with counts: for tables far sparser than they are large.
fn pearson_sparse(counts: &[Vec<u64>], expected: &[Vec<f64>], n: usize) -> f64 {
    counts
        .iter()
        .zip(expected)
        .flat_map(|(o, e)| o.iter().zip(e))
        .filter(|(o, _)| **o > 0)
        .map(|(&o, &e)| (o * o) as f64 / e)
        .sum::<f64>()
        - n as f64
}

/// Chi-square test of independence (no continuity correction, as
/// `scipy.stats.chi2_contingency(correction=False)` and R's `chisq.test(correct=FALSE)`).
/// Errors only on a ragged table or counts whose total overflows u64.
pub fn chi_square_independence(table: &[Vec<u64>]) -> Result<ChiSquare> {
    let t = Reduced::new(table)?;
    let expected = t.expected();
    let n = t.n as f64;
    let statistic = if t.n == 0 {
        0.0
    } else {
        pearson(&t.counts, &expected)
    };
    let dof = (t.rows.len().saturating_sub(1) * t.cols.len().saturating_sub(1)) as u64;
    let p_value = if t.applicable() {
        chi_square_sf(statistic, dof)
    } else {
        None
    };
    let adjusted_residuals = t
        .counts
        .iter()
        .zip(&expected)
        .zip(&t.row_sums)
        .map(|((obs, exp), &r)| {
            obs.iter()
                .zip(exp)
                .zip(&t.col_sums)
                .map(|((&o, &e), &c)| {
                    let variance = e * (1.0 - r as f64 / n) * (1.0 - c as f64 / n);
                    // Zero variance only with a single row or column, where O = E.
                    if variance > 0.0 {
                        (o as f64 - e) / variance.sqrt()
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let cells: Vec<f64> = expected.iter().flatten().copied().collect();
    let min_expected = cells.iter().copied().reduce(f64::min).unwrap_or(0.0);
    let cells_below_5 = cells.iter().filter(|&&e| e < 5.0).count();
    let low_power = cells.is_empty() || min_expected < 1.0 || cells_below_5 * 5 > cells.len();
    Ok(ChiSquare {
        rows: t.rows,
        cols: t.cols,
        n: t.n,
        statistic,
        dof,
        p_value,
        expected,
        adjusted_residuals,
        min_expected,
        cells_below_5,
        low_power,
    })
}

/// ln C(n, k) through log-gamma, valid for any counts (no factorial table to allocate).
fn ln_choose(n: f64, k: f64) -> f64 {
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
}

/// Fisher's exact test on the 2×2 table [[a, b], [c, d]], two-sided: the probability, given
/// the margins, of all tables no more likely than the observed one (with relative tolerance
/// 1e-7 for ties, as R's `fisher.test` and `scipy.stats.fisher_exact`). 1 for an empty table
/// or a zero margin.
pub fn fisher_exact_2x2(a: u64, b: u64, c: u64, d: u64) -> f64 {
    // Work in f64: exact for any count below 2^53, and sums cannot overflow.
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    let (row1, row2, col1) = (a + b, c + d, a + c);
    let n = row1 + row2;
    // With a zero margin only the observed table is possible.
    if row1 == 0.0 || row2 == 0.0 || col1 == 0.0 || col1 == n {
        return 1.0;
    }
    // Hypergeometric log-probability of x in the top-left cell.
    let ln_total = ln_choose(n, col1);
    let ln_p = |x: f64| ln_choose(row1, x) + ln_choose(row2, col1 - x) - ln_total;
    let ln_observed = ln_p(a);
    let threshold = ln_observed + (1e-7f64).ln_1p();
    let lo = (col1 - row2).max(0.0) as u64;
    let hi = row1.min(col1) as u64;
    let p: f64 = (lo..=hi)
        .map(|x| ln_p(x as f64))
        .filter(|&lp| lp <= threshold)
        .map(f64::exp)
        .sum();
    p.clamp(0.0, 1.0)
}

/// Monte Carlo test of independence for an r×c table, as R's
/// `chisq.test(simulate.p.value = TRUE, B = iterations)`: draws `iterations` random tables
/// with the observed margins and returns (1 + #{X² ≥ observed X²}) / (iterations + 1).
/// Deterministic for a given `seed`. Zero rows and columns are dropped as in
/// [`chi_square_independence`]; `Ok(None)` when fewer than two rows or columns remain.
pub fn chi_square_monte_carlo(
    table: &[Vec<u64>],
    iterations: u64,
    seed: u64,
) -> Result<Option<f64>> {
    if iterations == 0 {
        return Err(Error::usage(tr!(
            "モンテカルロ検定には1回以上の反復が要ります",
            "Monte Carlo test needs at least one iteration"
        )));
    }
    let t = Reduced::new(table)?;
    if !t.applicable() {
        return Ok(None);
    }
    let n = usize::try_from(t.n).map_err(|_| {
        Error::usage(tr!(
            "表が大きすぎてシミュレーションできません(合計がメモリを超えます)",
            "table too large to simulate (total exceeds memory)"
        ))
    })?;
    let expected = t.expected();
    let observed = pearson(&t.counts, &expected);
    // R's tolerance: simulated statistics within rounding of the observed one count as ≥.
    let threshold = observed * (1.0 - 64.0 * f64::EPSILON);
    // One entry per item holding its column; a uniform shuffle dealt out in row-sized runs
    // is a uniform draw of a table with these margins (the multiple hypergeometric law that
    // Patefield's algorithm in R samples from).
    let mut items: Vec<usize> = Vec::with_capacity(n);
    for (j, &c) in t.col_sums.iter().enumerate() {
        items.extend(std::iter::repeat_n(j, c as usize));
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let cells = t.rows.len() * t.cols.len();
    if cells > 4 * n {
        // Many more cells than items (thousands of one-talk groups): the same draws, with the
        // statistic as Σ O²/E − n over the cells an item landed in, so each iteration costs
        // what its items do, not what the table's cells do.
        let observed = pearson_sparse(&t.counts, &expected, n);
        // Sums over thousands of cells in another order than the observed one's: ties are
        // ties within 1e-9 (one-talk groups make every table's statistic the same).
        let threshold = observed - 1e-9 * observed.abs().max(1.0);
        let mut sim = vec![vec![0u64; t.cols.len()]; t.rows.len()];
        let mut at_least = 0u64;
        for _ in 0..iterations {
            items.shuffle(&mut rng);
            let mut start = 0usize;
            let mut sum = 0.0;
            for ((row, e), &r) in sim.iter_mut().zip(&expected).zip(&t.row_sums) {
                let end = start + r as usize;
                for &j in &items[start..end] {
                    row[j] += 1;
                }
                for &j in &items[start..end] {
                    let o = std::mem::take(&mut row[j]);
                    if o > 0 {
                        sum += (o * o) as f64 / e[j];
                    }
                }
                start = end;
            }
            if sum - n as f64 >= threshold {
                at_least += 1;
            }
        }
        return Ok(Some((1 + at_least) as f64 / (iterations as f64 + 1.0)));
    }
    let mut sim = vec![vec![0u64; t.cols.len()]; t.rows.len()];
    let mut at_least = 0u64;
    for _ in 0..iterations {
        items.shuffle(&mut rng);
        let mut start = 0usize;
        for (row, &r) in sim.iter_mut().zip(&t.row_sums) {
            row.iter_mut().for_each(|x| *x = 0);
            let end = start + r as usize;
            for &j in &items[start..end] {
                row[j] += 1;
            }
            start = end;
        }
        if pearson(&sim, &expected) >= threshold {
            at_least += 1;
        }
    }
    Ok(Some((1 + at_least) as f64 / (iterations as f64 + 1.0)))
}

/// One category's weighted log-odds ratio between groups a and b.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LogOdds {
    /// Log-odds ratio δ (positive: more typical of group a).
    pub delta: f64,
    /// Approximate variance of δ.
    pub variance: f64,
    /// δ / sqrt(variance).
    pub z: f64,
}

/// Default total prior weight α₀ for [`corpus_prior`]: ten pseudo-observations. Our groups
/// are events of a few dozen talks over about ten themes, so this is roughly one pseudo-talk
/// per theme: it tames themes seen once or twice without swamping real differences.
pub const DEFAULT_PRIOR_TOTAL: f64 = 10.0;

/// Weighted log-odds ratios with an informative Dirichlet prior (Monroe, Colaresi & Quinn
/// 2008, "Fightin' Words", eq. 16, 20–22):
/// δ_w = ln((yᵃ_w+α_w)/(nᵃ+α₀−yᵃ_w−α_w)) − ln((yᵇ_w+α_w)/(nᵇ+α₀−yᵇ_w−α_w)),
/// σ²_w ≈ 1/(yᵃ_w+α_w) + 1/(yᵇ_w+α_w), z_w = δ_w/σ_w.
///
/// Counts must be finite and ≥ 0, the prior finite and > 0 (a zero prior on an unseen
/// category would make δ infinite), all three of the same length ≥ 2.
pub fn log_odds_dirichlet(
    counts_a: &[f64],
    counts_b: &[f64],
    prior: &[f64],
) -> Result<Vec<LogOdds>> {
    let k = prior.len();
    if counts_a.len() != k || counts_b.len() != k {
        let (a, b) = (counts_a.len(), counts_b.len());
        return Err(Error::usage(tr!(
            "対数オッズには同じ長さの度数と事前分布が要ります({a}、{b}、{k})",
            "log-odds needs counts and prior of one length (got {a}, {b} and {k})"
        )));
    }
    if k < 2 {
        return Err(Error::usage(tr!(
            "対数オッズには2つ以上のカテゴリが要ります",
            "log-odds needs at least two categories"
        )));
    }
    if counts_a
        .iter()
        .chain(counts_b)
        .any(|&y| !(y.is_finite() && y >= 0.0))
    {
        return Err(Error::usage(tr!(
            "対数オッズの度数は有限で0以上のはずです",
            "log-odds counts must be finite and non-negative"
        )));
    }
    if prior.iter().any(|&a| !(a.is_finite() && a > 0.0)) {
        return Err(Error::usage(tr!(
            "対数オッズの事前分布は有限で正のはずです",
            "log-odds prior must be finite and positive"
        )));
    }
    let (n_a, n_b): (f64, f64) = (counts_a.iter().sum(), counts_b.iter().sum());
    let alpha0: f64 = prior.iter().sum();
    Ok((0..k)
        .map(|w| {
            let (ya, yb) = (counts_a[w] + prior[w], counts_b[w] + prior[w]);
            // The "rest" terms are sums over the other categories, so > 0 given k ≥ 2.
            let delta = (ya / (n_a + alpha0 - ya)).ln() - (yb / (n_b + alpha0 - yb)).ln();
            let variance = 1.0 / ya + 1.0 / yb;
            LogOdds {
                delta,
                variance,
                z: delta / variance.sqrt(),
            }
        })
        .collect())
}

/// Informative Dirichlet prior from overall corpus counts (e.g. all events together),
/// scaled to total `alpha0` (see [`DEFAULT_PRIOR_TOTAL`]). Each count gets +0.5 first so a
/// category absent from the whole corpus still has a positive prior.
pub fn corpus_prior(corpus: &[f64], alpha0: f64) -> Result<Vec<f64>> {
    if !(alpha0.is_finite() && alpha0 > 0.0) {
        return Err(Error::usage(tr!(
            "事前分布の合計 α₀ は有限で正のはずです",
            "prior total α₀ must be finite and positive"
        )));
    }
    if corpus.iter().any(|&y| !(y.is_finite() && y >= 0.0)) {
        return Err(Error::usage(tr!(
            "コーパスの度数は有限で0以上のはずです",
            "corpus counts must be finite and non-negative"
        )));
    }
    let total: f64 = corpus.iter().map(|&y| y + 0.5).sum();
    Ok(corpus.iter().map(|&y| alpha0 * (y + 0.5) / total).collect())
}

/// [`log_odds_dirichlet`] with the prior built by [`corpus_prior`] from `corpus`.
pub fn log_odds_corpus_prior(
    counts_a: &[f64],
    counts_b: &[f64],
    corpus: &[f64],
    alpha0: f64,
) -> Result<Vec<LogOdds>> {
    log_odds_dirichlet(counts_a, counts_b, &corpus_prior(corpus, alpha0)?)
}

/// How the p-value used for decisions was computed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum PMethod {
    /// Asymptotic chi-square distribution (enough counts).
    Asymptotic,
    /// Fisher's exact test (2×2 table).
    Fisher,
    /// Monte Carlo test with the observed margins (low power).
    MonteCarlo { iterations: u64, seed: u64 },
}

impl PMethod {
    /// How the p-value was computed, in words, for the test sentences of compare and code.
    pub fn label(&self, lang: crate::lang::Lang) -> String {
        match (*self, lang) {
            (PMethod::Asymptotic, _) => lang
                .pick("χ²分布による近似", "chi-square approximation")
                .to_string(),
            (PMethod::Fisher, _) => lang
                .pick("Fisher の正確検定", "Fisher's exact test")
                .to_string(),
            (PMethod::MonteCarlo { iterations, .. }, crate::lang::Lang::Ja) => {
                format!("モンテカルロ法 {iterations}回")
            }
            (PMethod::MonteCarlo { iterations, .. }, crate::lang::Lang::En) => {
                format!("Monte Carlo, {iterations} tables")
            }
        }
    }
}

/// The p-values of a test of independence, as `compare` and `code` decide with them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndependenceP {
    /// Fisher's (2×2) or the Monte Carlo p, when one was computed.
    pub exact: Option<f64>,
    /// The p to decide with: the exact one if any, else the asymptotic one — but never the
    /// asymptotic one when the chi-square has low power (then no decision without an exact p).
    pub p_value: Option<f64>,
    pub method: PMethod,
}

/// Choose and compute the p-value for `table` given its chi-square `chi`: Fisher's exact
/// test for a 2×2 table (after dropping empty rows and columns), a Monte Carlo test with the
/// observed margins (`iterations` tables, `seed`) when Cochran's rule fails, else asymptotic.
pub fn independence_p(
    table: &[Vec<u64>],
    chi: &ChiSquare,
    iterations: u64,
    seed: u64,
) -> IndependenceP {
    let asymptotic = chi.p_value.filter(|p| p.is_finite());
    let (exact, method) = if chi.not_applicable().is_some() {
        (None, PMethod::Asymptotic)
    } else if chi.rows.len() == 2 && chi.cols.len() == 2 {
        let c = |i: usize, j: usize| table[chi.rows[i]][chi.cols[j]];
        (
            Some(fisher_exact_2x2(c(0, 0), c(0, 1), c(1, 0), c(1, 1))),
            PMethod::Fisher,
        )
    } else if chi.low_power {
        let iterations = iterations.max(1);
        match chi_square_monte_carlo(table, iterations, seed) {
            Ok(Some(p)) => (Some(p), PMethod::MonteCarlo { iterations, seed }),
            _ => (None, PMethod::Asymptotic),
        }
    } else {
        (None, PMethod::Asymptotic)
    };
    let exact = exact.filter(|p| p.is_finite());
    IndependenceP {
        exact,
        p_value: if chi.low_power {
            exact
        } else {
            exact.or(asymptotic)
        },
        method,
    }
}

/// Default prior weight α₀ of [`log_odds_talks`]: two pseudo-talks per group, one using the
/// term and one not in Agresti & Caffo (2000)'s interval for two proportions, here split by
/// the corpus rate instead of half and half (the informative prior of Monroe et al.).
pub const TALK_PRIOR_TOTAL: f64 = 2.0;

/// Weighted log-odds ratio of one term between groups a and b, counting talks that use it
/// (`m_a` of `n_a`, `m_b` of `n_b`) rather than its occurrences: Monroe, Colaresi & Quinn
/// (2008)'s informative Dirichlet prior with two categories (uses / does not use), centred
/// on the corpus rate `rate` with total weight `alpha0`. With two categories the variance
/// keeps all four cells (Woolf's), which the many-category approximation drops.
pub fn log_odds_talks(
    (m_a, n_a): (f64, f64),
    (m_b, n_b): (f64, f64),
    rate: f64,
    alpha0: f64,
) -> Result<LogOdds> {
    let counts_ok = |m: f64, n: f64| m.is_finite() && n.is_finite() && 0.0 <= m && m <= n;
    if !(counts_ok(m_a, n_a) && counts_ok(m_b, n_b)) {
        return Err(Error::usage(tr!(
            "トーク数は有限で、0 ≤ 語を使うトーク数 ≤ トーク数 のはずです",
            "talk counts must be finite with 0 ≤ talks using a term ≤ talks"
        )));
    }
    if !(rate > 0.0 && rate < 1.0 && alpha0.is_finite() && alpha0 > 0.0) {
        return Err(Error::usage(tr!(
            "対数オッズの事前分布には (0, 1) の率と有限で正の α₀ が要ります",
            "log-odds prior needs a rate in (0, 1) and a finite positive α₀"
        )));
    }
    let (uses, not) = (alpha0 * rate, alpha0 * (1.0 - rate));
    let cells = [m_a + uses, n_a - m_a + not, m_b + uses, n_b - m_b + not];
    let delta = (cells[0] / cells[1]).ln() - (cells[2] / cells[3]).ln();
    let variance: f64 = cells.iter().map(|c| 1.0 / c).sum();
    Ok(LogOdds {
        delta,
        variance,
        z: delta / variance.sqrt(),
    })
}

/// Benjamini–Hochberg adjusted p-values (false discovery rate), in input order, as R's
/// `p.adjust(method = "BH")`: NaN entries stay NaN and do not count towards m.
pub fn bh_adjust(p_values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p_values.len())
        .filter(|&i| !p_values[i].is_nan())
        .collect();
    order.sort_by(|&i, &j| p_values[i].total_cmp(&p_values[j]));
    let m = order.len() as f64;
    let mut adjusted = vec![f64::NAN; p_values.len()];
    // Walk from the largest p down, keeping the running minimum of m/rank · p.
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min(p_values[i] * m / (rank + 1) as f64);
        adjusted[i] = running.clamp(0.0, 1.0);
    }
    adjusted
}

/// One length stratum of a stratified 2×2 comparison of talks: `talks` in the stratum, `of_a`
/// of them on side a, `using` of them using the term, `a_using` of side a's using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stratum {
    pub talks: u64,
    pub of_a: u64,
    pub using: u64,
    pub a_using: u64,
}

impl Stratum {
    /// The values side a's count can take given the margins (hypergeometric support).
    fn support(&self) -> (u64, u64) {
        let lo = (self.using + self.of_a).saturating_sub(self.talks);
        (lo, self.of_a.min(self.using))
    }

    /// ln P(X = x) for side a's count X given the margins; `ln_fact` (ln k! for k up to the
    /// talks, [`crate::special::ln_factorials`]) makes each term three lookups.
    fn ln_pmf(&self, x: u64, ln_fact: &[f64]) -> f64 {
        let (n, k, m) = (self.talks, self.of_a, self.using);
        let f = |v: u64| {
            ln_fact
                .get(v as usize)
                .copied()
                .unwrap_or_else(|| ln_gamma(v as f64 + 1.0))
        };
        let choose = |a: u64, b: u64| f(a) - f(b) - f(a - b);
        choose(k, x) + choose(n - k, m - x) - choose(n, m)
    }
}

/// One-sided p-values of the exact conditional test of a term over length strata: given each
/// stratum's margins (talks of each side, talks using the term), the number of side-a talks
/// using it is a sum of independent hypergeometric counts (the exact form of the
/// Cochran–Mantel–Haenszel test; Mehta & Patel's stratified 2×2 test). Talks of like length
/// are compared with each other only, so a side whose texts are all shorter does not lose
/// every word (per-talk presence grows with length).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StratifiedP {
    /// P(X ≥ observed): the term is typical of side a.
    pub greater: f64,
    /// P(X ≤ observed): the term is typical of side b.
    pub less: f64,
}

/// Largest sum of the strata's support sizes computed exactly; beyond it (a term hundreds of
/// talks use) the convolution costs seconds over a vocabulary and the normal approximation
/// with continuity correction is as good as exact (measured in benches/compare_groups.sh).
const EXACT_SUPPORT: u64 = 400;

/// The exact law of side a's count summed over the strata: `dist[i]` = P(Σ X = `lo` + i), and
/// the observed sum; `None` when the strata's supports together exceed [`EXACT_SUPPORT`] (the
/// normal approximation is used then).
struct StratifiedLaw {
    dist: Vec<f64>,
    lo: u64,
    observed: u64,
}

fn valid_stratum(s: &Stratum) -> bool {
    s.talks > 0
        && s.a_using <= s.of_a
        && s.a_using <= s.using
        && s.of_a <= s.talks
        && s.using <= s.talks
}

fn stratified_law(strata: &[Stratum], ln_fact: &[f64]) -> Option<StratifiedLaw> {
    let support: u64 = strata
        .iter()
        .filter(|s| valid_stratum(s))
        .map(|s| {
            let (lo, hi) = s.support();
            hi - lo + 1
        })
        .sum();
    if support > EXACT_SUPPORT {
        return None;
    }
    let mut dist = vec![1.0f64];
    let (mut lo_total, mut observed) = (0u64, 0u64);
    for s in strata.iter().filter(|s| valid_stratum(s)) {
        observed += s.a_using;
        let (lo, hi) = s.support();
        lo_total += lo;
        if lo == hi {
            continue;
        }
        let pmf: Vec<f64> = (lo..=hi).map(|x| s.ln_pmf(x, ln_fact).exp()).collect();
        let mut next = vec![0.0f64; dist.len() + pmf.len() - 1];
        for (i, &d) in dist.iter().enumerate() {
            if d == 0.0 {
                continue;
            }
            for (j, &q) in pmf.iter().enumerate() {
                next[i + j] += d * q;
            }
        }
        dist = next;
    }
    Some(StratifiedLaw {
        dist,
        lo: lo_total,
        observed,
    })
}

/// The normal approximation of the strata's sum (Cochran–Mantel–Haenszel with continuity
/// correction); `None` when its variance is 0.
fn stratified_normal(strata: &[Stratum]) -> Option<StratifiedP> {
    let (mut diff, mut var) = (0.0f64, 0.0f64);
    for s in strata.iter().filter(|s| valid_stratum(s)) {
        let (n, k, m) = (s.talks as f64, s.of_a as f64, s.using as f64);
        diff += s.a_using as f64 - k * m / n;
        if n > 1.0 {
            var += k * m * (n - k) * (n - m) / (n * n * (n - 1.0));
        }
    }
    if var <= 0.0 {
        return None;
    }
    let sd = var.sqrt();
    let upper = |z: f64| {
        let two = normal_two_sided_p(z);
        if z >= 0.0 { two / 2.0 } else { 1.0 - two / 2.0 }
    };
    Some(StratifiedP {
        greater: upper((diff - 0.5) / sd).clamp(0.0, 1.0),
        less: upper((-diff - 0.5) / sd).clamp(0.0, 1.0),
    })
}

/// Which p-value of the stratified test a hypothesis uses: one-sided (typical of side a) or
/// two-sided (2 × the smaller tail, at most 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sides {
    Greater,
    Two,
}

impl Sides {
    pub fn p(self, r: StratifiedP) -> f64 {
        match self {
            Sides::Greater => r.greater,
            Sides::Two => (2.0 * r.greater.min(r.less)).min(1.0),
        }
    }
}

/// The law of a p-value under the null: the cumulative probability of each value it can take
/// (`Discrete`, sorted by value), or uniform (`Continuous`, the normal approximation).
#[derive(Debug, Clone, PartialEq)]
pub enum NullLaw {
    Continuous,
    Discrete(Vec<(f64, f64)>),
}

impl NullLaw {
    /// P(p ≤ t) under the null.
    pub fn cdf(&self, t: f64) -> f64 {
        match self {
            NullLaw::Continuous => t.clamp(0.0, 1.0),
            NullLaw::Discrete(points) => {
                // A relative tolerance so that a p-value equal to an attainable value (up to
                // rounding of the same sums) counts as reaching it.
                let at = points.partition_point(|&(v, _)| v <= t * (1.0 + 1e-9));
                if at == 0 {
                    0.0
                } else {
                    points[at - 1].1.min(1.0)
                }
            }
        }
    }
}

/// The stratified test's p-values and the law of the chosen p-value under the null (what the
/// discrete false-discovery control needs: how likely each attainable p-value is).
pub fn stratified_test(
    strata: &[Stratum],
    ln_fact: &[f64],
    sides: Sides,
) -> (StratifiedP, NullLaw) {
    let Some(law) = stratified_law(strata, ln_fact) else {
        if let Some(r) = stratified_normal(strata) {
            return (r, NullLaw::Continuous);
        }
        let one = StratifiedP {
            greater: 1.0,
            less: 1.0,
        };
        return (one, NullLaw::Discrete(vec![(1.0, 1.0)]));
    };
    let at = law.observed.saturating_sub(law.lo) as usize;
    // Tails at every support point (suffix and prefix sums); the observed point's are the p.
    let n = law.dist.len();
    let mut greater = vec![0.0f64; n + 1];
    for i in (0..n).rev() {
        greater[i] = greater[i + 1] + law.dist[i];
    }
    let mut points: Vec<(f64, f64)> = Vec::with_capacity(n);
    let mut observed = StratifiedP {
        greater: 1.0,
        less: 1.0,
    };
    let mut less = 0.0f64;
    for (x, (&mass, &tail)) in law.dist.iter().zip(&greater).enumerate() {
        less += mass;
        let tails = StratifiedP {
            greater: tail.clamp(0.0, 1.0),
            less: less.clamp(0.0, 1.0),
        };
        if x == at {
            observed = tails;
        }
        points.push((sides.p(tails), mass));
    }
    points.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut cumulative: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    let mut mass = 0.0f64;
    for (value, pmf) in points {
        mass += pmf;
        match cumulative.last_mut() {
            Some(last) if (value - last.0).abs() <= 1e-12 * value.max(1e-300) => last.1 = mass,
            _ => cumulative.push((value, mass)),
        }
    }
    (observed, NullLaw::Discrete(cumulative))
}

/// The smallest one-sided p-values the stratified test could give with these margins:
/// (typical of a, typical of b). A term whose smallest p cannot reach the level is no test at
/// all (Tarone 1990): its null law need not be computed, it adds nothing to [`discrete_bh`].
pub fn stratified_min_p(strata: &[Stratum], ln_fact: &[f64]) -> (f64, f64) {
    let (mut greater, mut less) = (0.0f64, 0.0f64);
    for s in strata {
        if s.talks == 0 || s.of_a > s.talks || s.using > s.talks {
            continue;
        }
        let (lo, hi) = s.support();
        if lo == hi {
            continue;
        }
        greater += s.ln_pmf(hi, ln_fact);
        less += s.ln_pmf(lo, ln_fact);
    }
    (greater.exp().min(1.0), less.exp().min(1.0))
}

/// False-discovery control for discrete tests: the discrete Benjamini–Hochberg step-down
/// procedure [HSD] of Döhler, Durand & Roquain (2018), which replaces BH's m·t by
/// ξ(t) = Σᵢ Fᵢ(t) / (1 − Fᵢ(t)), Fᵢ the null law of hypothesis i's p-value. A term used by
/// five talks cannot have p below a few percent, and counting it as if it could (plain BH)
/// wastes the power the terms that can reach the level need; unlike Tarone's cut it counts
/// each term by how likely its p-values are, not all-or-nothing. `laws[i]` is `None` for a
/// hypothesis that cannot reach `alpha` at all (it adds nothing to ξ below `alpha`). Returns
/// the adjusted p-value (max over j ≤ rank of ξ(p₍ⱼ₎)/j, at most 1) of every hypothesis with
/// a law and p ≤ `alpha`; `None` elsewhere, where ξ is not known (laws above the level are not
/// computed), which never changes a decision at `alpha`.
pub fn discrete_bh(laws: &[Option<NullLaw>], p: &[f64], alpha: f64) -> Vec<Option<f64>> {
    let family: Vec<usize> = (0..laws.len())
        .filter(|&i| laws[i].is_some() && p.get(i).is_some_and(|x| !x.is_nan()))
        .collect();
    let mut order: Vec<usize> = family.iter().copied().filter(|&i| p[i] <= alpha).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let xi = |t: f64| -> f64 {
        family
            .iter()
            .map(|&i| {
                let f = laws[i].as_ref().map_or(0.0, |law| law.cdf(t));
                if f >= 1.0 {
                    f64::INFINITY
                } else {
                    f / (1.0 - f)
                }
            })
            .sum()
    };
    let mut out = vec![None; laws.len()];
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max((xi(p[i]) / (rank + 1) as f64).min(1.0));
        out[i] = Some(running);
    }
    out
}

/// Cochran–Armitage test for a trend in the share of talks with a property over ordered
/// editions (scores 0, 1, 2, …): two-sided normal p-value, `None` when all shares are 0 or 1.
pub fn cochran_armitage(with: &[u64], totals: &[u64]) -> Option<f64> {
    let n: f64 = totals.iter().map(|&t| t as f64).sum();
    let r: f64 = with.iter().map(|&x| x as f64).sum();
    if n <= 0.0 || r <= 0.0 || r >= n {
        return None;
    }
    let pbar = r / n;
    let (mut t, mut s1, mut s2) = (0.0f64, 0.0f64, 0.0f64);
    for (i, (&x, &m)) in with.iter().zip(totals).enumerate() {
        let score = i as f64;
        t += score * (x as f64 - m as f64 * pbar);
        s1 += m as f64 * score * score;
        s2 += m as f64 * score;
    }
    let variance = pbar * (1.0 - pbar) * (s1 - s2 * s2 / n);
    (variance > 0.0).then(|| normal_two_sided_p(t / variance.sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(got: f64, want: f64, rel: f64, what: &str) {
        assert!(
            (got - want).abs() <= rel * want.abs().max(1e-300),
            "{what}: got {got}, want {want}"
        );
    }

    /// Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), Table 2.5:
    /// party identification by gender (rows females, males; columns Democrat, Independent,
    /// Republican).
    fn party_by_gender() -> Vec<Vec<u64>> {
        vec![vec![762, 327, 468], vec![484, 239, 477]]
    }

    #[test]
    fn chi_square_matches_scipy_and_agresti() {
        let r = chi_square_independence(&party_by_gender()).unwrap();
        // scipy.stats.chi2_contingency(t, correction=False) (scipy 1.17.1):
        // statistic 30.070149095754672, dof 2, p 2.9535891832117595e-07 (Agresti: X² = 30.1).
        assert_close(r.statistic, 30.070_149_095_754_672, 1e-12, "X²");
        assert_eq!(r.dof, 2);
        assert_close(r.p_value.unwrap(), 2.953_589_183_211_759_5e-7, 1e-9, "p");
        assert_close(r.expected[0][0], 703.671_381_936_887_9, 1e-12, "E11");
        assert_close(r.expected[1][2], 411.316_648_531_012, 1e-12, "E23");
        // Agresti Table 2.6 prints 4.50, 0.70, −5.32 / −4.50, −0.70, 5.32; full precision
        // from statsmodels Table(t).standardized_resids.
        let want = [
            [
                4.502_053_521_086_705,
                0.699_451_732_984_435_2,
                -5.315_945_542_704_929,
            ],
            [
                -4.502_053_521_086_705,
                -0.699_451_732_984_429_8,
                5.315_945_542_704_928,
            ],
        ];
        for (i, row) in want.iter().enumerate() {
            for (j, &w) in row.iter().enumerate() {
                assert_close(
                    r.adjusted_residuals[i][j],
                    w,
                    1e-10,
                    &format!("residual {i},{j}"),
                );
            }
        }
        assert!(!r.low_power);
        assert_eq!(r.not_applicable(), None);
        // Residual p-values: |z| = 4.5 is far in the tail, 0.70 is not.
        let p = r.residual_p_values();
        assert!(p[0][0] < 1e-4 && p[0][1] > 0.4);
    }

    #[test]
    fn chi_square_small_counts_and_dropped_margins() {
        // scipy.stats.chi2_contingency([[12,5,0,3],[4,9,2,7],[6,6,8,1]], correction=False):
        // 21.496797520661154, dof 6, p 0.0014931115047009077, min E 3.1746..., 50% below 5.
        // Here with an all-zero row and column inserted, which must be dropped.
        let table = vec![
            vec![12, 0, 5, 0, 3],
            vec![0, 0, 0, 0, 0],
            vec![4, 0, 9, 2, 7],
            vec![6, 0, 6, 8, 1],
        ];
        let r = chi_square_independence(&table).unwrap();
        assert_eq!(r.rows, vec![0, 2, 3]);
        assert_eq!(r.cols, vec![0, 2, 3, 4]);
        assert_close(r.statistic, 21.496_797_520_661_154, 1e-12, "X²");
        assert_eq!(r.dof, 6);
        assert_close(r.p_value.unwrap(), 0.001_493_111_504_700_907_7, 1e-9, "p");
        assert_close(r.min_expected, 3.174_603_174_603_174_4, 1e-12, "min E");
        assert_eq!(r.cells_below_5, 6);
        assert!(r.low_power);
        // statsmodels Table(t, shift_zeros=False).standardized_resids (its default adds 0.5
        // to every cell of a table with a zero), also checked with numpy by the formula.
        assert_close(
            r.adjusted_residuals[0][0],
            2.847_769_687_502_722_3,
            1e-10,
            "r11",
        );
        assert_close(
            r.adjusted_residuals[0][2],
            -2.351_327_428_440_150_4,
            1e-10,
            "r13",
        );
        assert_close(
            r.adjusted_residuals[2][2],
            3.413_071_432_562_404_5,
            1e-10,
            "r33",
        );
    }

    #[test]
    fn chi_square_degenerate_tables_have_no_p_value() {
        let cases: [(Vec<Vec<u64>>, NotApplicable); 5] = [
            (vec![], NotApplicable::Empty),
            (vec![vec![0, 0], vec![0, 0]], NotApplicable::Empty),
            (vec![vec![3, 4, 5]], NotApplicable::OneRow),
            (
                vec![vec![3, 0], vec![0, 0], vec![7, 0]],
                NotApplicable::OneColumn,
            ),
            (vec![vec![0, 0, 0], vec![1, 2, 0]], NotApplicable::OneRow),
        ];
        for (table, why) in cases {
            let r = chi_square_independence(&table).unwrap();
            assert_eq!(r.not_applicable(), Some(why), "{table:?}");
            assert_eq!(r.p_value, None);
            assert!(r.statistic == 0.0 && r.dof == 0);
            assert!(r.adjusted_residuals.iter().flatten().all(|x| x.is_finite()));
            assert!(r.expected.iter().flatten().all(|x| x.is_finite()));
            assert_eq!(chi_square_monte_carlo(&table, 100, 1).unwrap(), None);
        }
        assert!(chi_square_independence(&[vec![1, 2], vec![3]]).is_err());
        assert!(chi_square_monte_carlo(&[vec![1, 2], vec![3]], 10, 1).is_err());
        assert!(chi_square_monte_carlo(&party_by_gender(), 0, 1).is_err());
        assert!(chi_square_independence(&[vec![u64::MAX, 1], vec![1, 1]]).is_err());
    }

    #[test]
    fn fisher_matches_scipy() {
        // scipy.stats.fisher_exact(table).pvalue, scipy 1.17.1 (tea tasting: 0.4857).
        let cases = [
            ([3, 1, 1, 3], 0.485_714_285_714_285_65),
            ([8, 2, 1, 5], 0.034_965_034_965_034_975),
            ([0, 5, 5, 0], 0.007_936_507_936_507_938),
            ([10, 20, 30, 5], 2.595_085_702_801_467_8e-5),
            ([1, 9, 11, 3], 0.002_759_456_185_220_083_6),
            ([2, 7, 8, 2], 0.023_014_137_565_221_16),
            ([100, 120, 90, 140], 0.182_506_904_105_224_8),
        ];
        for ([a, b, c, d], want) in cases {
            assert_close(
                fisher_exact_2x2(a, b, c, d),
                want,
                1e-9,
                &format!("{a} {b} {c} {d}"),
            );
        }
        // Zero margins: only the observed table is possible (scipy gives 1.0).
        assert_eq!(fisher_exact_2x2(0, 0, 3, 4), 1.0);
        assert_eq!(fisher_exact_2x2(0, 0, 0, 0), 1.0);
        assert_eq!(fisher_exact_2x2(5, 0, 7, 0), 1.0);
        // Symmetric in transposition and row swap.
        assert_close(
            fisher_exact_2x2(8, 1, 2, 5),
            fisher_exact_2x2(8, 2, 1, 5),
            1e-12,
            "t",
        );
        assert_close(
            fisher_exact_2x2(1, 5, 8, 2),
            fisher_exact_2x2(8, 2, 1, 5),
            1e-12,
            "s",
        );
    }

    #[test]
    fn monte_carlo_is_deterministic_and_close_to_asymptotic() {
        // scipy.stats.chi2_contingency(big, correction=False): X² 15.9518568992878, dof 6,
        // p 0.014014716994028889; every expected count is above 15, so the asymptotic p
        // should be accurate and the simulation must agree within its sampling error
        // (sd ≈ sqrt(p(1−p)/B) ≈ 0.0012 for B = 10 000; we allow 4 sd).
        let big = vec![
            vec![30, 22, 15, 40],
            vec![25, 35, 20, 30],
            vec![18, 20, 30, 25],
        ];
        let asymptotic = chi_square_independence(&big).unwrap().p_value.unwrap();
        assert_close(asymptotic, 0.014_014_716_994_028_889, 1e-9, "asymptotic p");
        let p1 = chi_square_monte_carlo(&big, 10_000, 42).unwrap().unwrap();
        let p2 = chi_square_monte_carlo(&big, 10_000, 42).unwrap().unwrap();
        assert_eq!(p1, p2);
        assert!(
            (p1 - asymptotic).abs() < 0.005,
            "MC p {p1} vs asymptotic {asymptotic}"
        );
        let other = chi_square_monte_carlo(&big, 10_000, 43).unwrap().unwrap();
        assert!((other - asymptotic).abs() < 0.005);
        // A table exactly at independence: every simulated X² ≥ 0 = observed, so p = 1.
        let flat = vec![vec![2, 4], vec![3, 6]];
        assert_eq!(chi_square_monte_carlo(&flat, 99, 7).unwrap(), Some(1.0));
        // The smallest possible p is 1/(B+1).
        let extreme = vec![vec![40, 0], vec![0, 40]];
        assert_eq!(chi_square_monte_carlo(&extreme, 99, 7).unwrap(), Some(0.01));
    }

    #[test]
    fn monte_carlo_samples_the_hypergeometric_law() {
        // Tea tasting [[3,1],[1,3]]: X² ≥ observed exactly when the top-left cell is not 2,
        // which has probability 1 − C(4,2)²/C(8,4) = 34/70 = 0.4857 (Fisher's p as well).
        let p = chi_square_monte_carlo(&[vec![3, 1], vec![1, 3]], 20_000, 11)
            .unwrap()
            .unwrap();
        assert!((p - 34.0 / 70.0).abs() < 0.015, "{p}");
    }

    #[test]
    fn log_odds_hand_computed() {
        // a = [10, 5, 5], b = [4, 8, 8], prior α = [1, 1, 1]: nᵃ = nᵇ = 20, α₀ = 3.
        // w0: δ = ln(11/(23−11)) − ln(5/(23−5)) = ln(11/12 · 18/5) = ln 3.3 = 1.19392246847,
        //     σ² = 1/11 + 1/5 = 0.290909..., z = 1.19392/0.539360 = 2.21359150110.
        // w1, w2: δ = ln(6/17) − ln(9/14) = ln(84/153) = −0.59962112255,
        //     σ² = 1/6 + 1/9 = 5/18, z = −1.13770108824.
        let r = log_odds_dirichlet(&[10.0, 5.0, 5.0], &[4.0, 8.0, 8.0], &[1.0, 1.0, 1.0]).unwrap();
        assert_close(r[0].delta, 3.3f64.ln(), 1e-14, "δ0");
        assert_close(r[0].variance, 1.0 / 11.0 + 0.2, 1e-14, "σ²0");
        assert_close(r[0].z, 2.213_591_501_098_696_4, 1e-12, "z0");
        assert_close(r[1].delta, (84.0f64 / 153.0).ln(), 1e-14, "δ1");
        assert_close(r[1].variance, 5.0 / 18.0, 1e-14, "σ²1");
        assert_close(r[2].z, -1.137_701_088_241_304_3, 1e-12, "z2");
        // Swapping the groups flips the sign.
        let s = log_odds_dirichlet(&[4.0, 8.0, 8.0], &[10.0, 5.0, 5.0], &[1.0, 1.0, 1.0]).unwrap();
        assert_close(s[0].z, -r[0].z, 1e-14, "antisymmetry");
    }

    #[test]
    fn log_odds_rejects_bad_input_and_handles_zeros() {
        assert!(log_odds_dirichlet(&[1.0], &[1.0], &[1.0]).is_err());
        assert!(log_odds_dirichlet(&[1.0, 2.0], &[1.0], &[1.0, 1.0]).is_err());
        assert!(log_odds_dirichlet(&[1.0, -2.0], &[1.0, 0.0], &[1.0, 1.0]).is_err());
        assert!(log_odds_dirichlet(&[1.0, f64::NAN], &[1.0, 0.0], &[1.0, 1.0]).is_err());
        assert!(log_odds_dirichlet(&[1.0, 2.0], &[1.0, 0.0], &[1.0, 0.0]).is_err());
        // All-zero groups are fine: the prior alone gives δ = 0.
        let r = log_odds_dirichlet(&[0.0, 0.0], &[0.0, 0.0], &[0.5, 0.5]).unwrap();
        assert!(r.iter().all(|x| x.delta == 0.0 && x.z == 0.0));
    }

    #[test]
    fn corpus_prior_scales_and_smooths() {
        // (3.5, 1.5, 0.5) / 5.5 · 11 = (7, 3, 1).
        let prior = corpus_prior(&[3.0, 1.0, 0.0], 11.0).unwrap();
        for (got, want) in prior.iter().zip([7.0, 3.0, 1.0]) {
            assert_close(*got, want, 1e-14, "prior");
        }
        assert!(corpus_prior(&[1.0, 2.0], 0.0).is_err());
        assert!(corpus_prior(&[1.0, -2.0], 1.0).is_err());
        let a = [6.0, 1.0, 0.0];
        let b = [2.0, 5.0, 0.0];
        let corpus = [8.0, 6.0, 0.0];
        let r = log_odds_corpus_prior(&a, &b, &corpus, DEFAULT_PRIOR_TOTAL).unwrap();
        assert!(r[0].z > 0.0 && r[1].z < 0.0);
        assert!(r.iter().all(|x| x.z.is_finite()));
    }

    #[test]
    fn log_odds_talks_matches_woolf_and_hand_values() {
        // Agresti (2007), Table 2.3, Physicians' Health Study: myocardial infarction in 189 of
        // 11034 on placebo and 104 of 11037 on aspirin. Sample odds ratio 1.832, log 0.6054,
        // SE 0.1228 (Agresti §2.4.3). A vanishing prior gives the plain log odds ratio.
        let r = log_odds_talks((189.0, 11034.0), (104.0, 11037.0), 0.5, 1e-12).unwrap();
        assert_close(
            r.delta,
            (189.0f64 * 10933.0 / (10845.0 * 104.0)).ln(),
            1e-9,
            "δ",
        );
        assert_close(r.delta, 0.6054, 1e-3, "δ (Agresti)");
        assert_close(r.variance.sqrt(), 0.1228, 1e-3, "SE (Agresti)");
        // By hand: 10 of 21 talks against 0 of 16, corpus rate 0.25, α₀ = 2, so the prior
        // adds 0.5 using and 1.5 not using to each side: cells 10.5, 12.5, 0.5, 17.5.
        // δ = ln(10.5/12.5) − ln(0.5/17.5) = ln(0.84) + ln(35) = 3.380995…,
        // variance = 1/10.5 + 1/12.5 + 1/0.5 + 1/17.5 = 2.232381…
        let r = log_odds_talks((10.0, 21.0), (0.0, 16.0), 0.25, 2.0).unwrap();
        assert_close(r.delta, 3.380_994_674_344_377, 1e-12, "δ");
        assert_close(r.variance, 2.232_380_952_380_952, 1e-12, "variance");
        assert_close(
            r.z,
            3.380_994_674_344_377 / 2.232_380_952_380_952f64.sqrt(),
            1e-12,
            "z",
        );
        // Symmetric: swapping the groups flips the sign.
        let s = log_odds_talks((0.0, 16.0), (10.0, 21.0), 0.25, 2.0).unwrap();
        assert_close(s.z, -r.z, 1e-12, "swap");
        assert!(log_odds_talks((5.0, 4.0), (0.0, 1.0), 0.5, 2.0).is_err());
        assert!(log_odds_talks((1.0, 4.0), (0.0, 1.0), 1.0, 2.0).is_err());
        assert!(log_odds_talks((1.0, 4.0), (0.0, 1.0), 0.5, 0.0).is_err());
    }

    proptest::proptest! {
        #[test]
        fn tests_never_give_nan(
            table in proptest::collection::vec(proptest::collection::vec(0u64..8, 3), 0..5),
            (a, b, c, d) in (0u64..30, 0u64..30, 0u64..30, 0u64..30),
        ) {
            let r = chi_square_independence(&table).unwrap();
            proptest::prop_assert!(r.statistic.is_finite() && r.min_expected.is_finite());
            if let Some(p) = r.p_value {
                proptest::prop_assert!((0.0..=1.0).contains(&p));
            }
            proptest::prop_assert_eq!(r.p_value.is_none(), r.not_applicable().is_some());
            proptest::prop_assert!(r.adjusted_residuals.iter().flatten().all(|x| x.is_finite()));
            let p = fisher_exact_2x2(a, b, c, d);
            proptest::prop_assert!((0.0..=1.0).contains(&p));
            let flat: Vec<f64> = table.iter().flatten().map(|&x| x as f64 / 8.0).collect();
            proptest::prop_assert!(bh_adjust(&flat).iter().all(|x| (0.0..=1.0).contains(x)));
        }
    }

    #[test]
    fn bh_matches_statsmodels() {
        // statsmodels multipletests(p, method="fdr_bh")[1] (= R p.adjust(p, "BH")).
        let p = [0.01, 0.04, 0.03, 0.2, 0.005, 0.5, 0.04];
        let want = [
            0.035,
            0.056,
            0.056,
            0.233_333_333_333_333_36,
            0.035,
            0.5,
            0.056,
        ];
        for (got, w) in bh_adjust(&p).iter().zip(want) {
            assert_close(*got, w, 1e-12, "bh");
        }
        assert!(bh_adjust(&[]).is_empty());
        // NaN stays in place and is not counted: same as adjusting [0.01, 0.04] alone.
        let with_nan = bh_adjust(&[0.01, f64::NAN, 0.04]);
        assert_close(with_nan[0], 0.02, 1e-12, "nan-0");
        assert!(with_nan[1].is_nan());
        assert_close(with_nan[2], 0.04, 1e-12, "nan-2");
    }
    #[test]
    fn the_stratified_test_with_one_stratum_is_fishers_one_sided_test() {
        // 2×2 [[8, 2], [1, 9]]: P(X ≥ 8) with 10 of 20 on side a and 9 using.
        let s = [Stratum {
            talks: 20,
            of_a: 10,
            using: 9,
            a_using: 8,
        }];
        let lf = crate::special::ln_factorials(20);
        let p = stratified_test(&s, &lf, Sides::Greater).0;
        // By hand: C(10,8)C(10,1)+C(10,9)C(10,0) over C(20,9) = (450+10)/167960.
        assert_close(p.greater, 460.0 / 167_960.0, 1e-9, "greater");
        assert!(p.less > 0.99);
        let (g, l) = stratified_min_p(&s, &lf);
        assert_close(g, 10.0 / 167_960.0, 1e-9, "min greater");
        assert_close(l, 10.0 / 167_960.0, 1e-9, "min less");
        // Two strata where side a is all of one and none of the other carry no information.
        let s = [
            Stratum {
                talks: 5,
                of_a: 5,
                using: 4,
                a_using: 4,
            },
            Stratum {
                talks: 5,
                of_a: 0,
                using: 1,
                a_using: 0,
            },
        ];
        assert_eq!(stratified_test(&s, &lf, Sides::Greater).0.greater, 1.0);
        assert_eq!(stratified_min_p(&s, &[]), (1.0, 1.0));
        // Large counts: the normal approximation agrees with the exact sum to a few percent.
        let big = [Stratum {
            talks: 1000,
            of_a: 500,
            using: 300,
            a_using: 175,
        }];
        let lf = crate::special::ln_factorials(1000);
        let approx = stratified_test(&big, &lf, Sides::Greater).0.greater;
        let exact: f64 = (175..=300).map(|x| big[0].ln_pmf(x, &lf).exp()).sum();
        assert!((approx / exact - 1.0).abs() < 0.1, "{approx} {exact}");
    }

    #[test]
    fn discrete_bh_counts_terms_by_how_likely_their_p_values_are() {
        // Three terms whose p-values take the values 0.001 / 0.02 (with probability 0.001 /
        // 0.02), and 97 that can only reach 0.04 (their null law: P(p ≤ 0.04) = 0.04).
        let law = |points: Vec<(f64, f64)>| Some(NullLaw::Discrete(points));
        let mut laws = vec![
            law(vec![(0.001, 0.001), (0.02, 0.02), (1.0, 1.0)]),
            law(vec![(0.001, 0.001), (0.02, 0.02), (1.0, 1.0)]),
            law(vec![(0.001, 0.001), (0.02, 0.02), (1.0, 1.0)]),
        ];
        let mut p = vec![0.001, 0.02, 1.0];
        laws.extend(std::iter::repeat_n(law(vec![(0.04, 0.04), (1.0, 1.0)]), 97));
        p.extend(std::iter::repeat_n(1.0, 97));
        let q = discrete_bh(&laws, &p, 0.05);
        // ξ(0.001) = 3 · 0.001/0.999; ξ(0.02) = 3 · 0.02/0.98 (the 97 add nothing below 0.04).
        assert_close(q[0].unwrap(), 3.0 * 0.001 / 0.999, 1e-9, "q0");
        assert_close(q[1].unwrap(), 3.0 * 0.02 / 0.98 / 2.0, 1e-9, "q1");
        assert!(q[2].is_none() && q[3..].iter().all(Option::is_none));
        // Plain BH over all 100 would have lost the second.
        assert!(bh_adjust(&p)[1] > 0.05);
        // With uniform laws every hypothesis counts fully: ξ(t) = m·t/(1−t).
        let uniform = vec![Some(NullLaw::Continuous); 10];
        let p: Vec<f64> = (0..10).map(|i| 0.004 * (i + 1) as f64).collect();
        let q = discrete_bh(&uniform, &p, 0.05);
        assert_close(q[0].unwrap(), 10.0 * 0.004 / 0.996, 1e-9, "uniform q0");
        assert_close(
            q[4].unwrap(),
            (10.0 * 0.02 / 0.98 / 5.0_f64).max(10.0 * 0.016 / 0.984 / 4.0),
            1e-9,
            "uniform q4",
        );
    }

    #[test]
    fn the_null_law_of_the_stratified_test_is_its_attainable_tails() {
        // One stratum: 10 talks, 5 on side a, 3 using the term; side a's count is
        // hypergeometric on 0..=3 with P = 1/12, 5/12, 5/12, 1/12.
        let s = [Stratum {
            talks: 10,
            of_a: 5,
            using: 3,
            a_using: 3,
        }];
        let lf = crate::special::ln_factorials(20);
        let (r, law) = stratified_test(&s, &lf, Sides::Greater);
        assert_close(r.greater, 1.0 / 12.0, 1e-9, "p");
        // Attainable one-sided p: 1/12, 6/12, 11/12, 1; P(p ≤ v) = v for each.
        for v in [1.0 / 12.0, 0.5, 11.0 / 12.0, 1.0] {
            assert_close(law.cdf(v), v, 1e-9, "cdf at attainable");
        }
        assert_eq!(law.cdf(0.05), 0.0);
        assert_close(law.cdf(0.3), 1.0 / 12.0, 1e-9, "cdf between");
        // Two-sided: 2·min tail is 1/6 at 0 and 3, 1 elsewhere.
        let (_, two) = stratified_test(&s, &lf, Sides::Two);
        assert_close(two.cdf(1.0 / 6.0), 2.0 / 12.0, 1e-9, "two-sided");
        assert_eq!(two.cdf(0.1), 0.0);
    }

    #[test]
    fn cochran_armitage_sees_a_steady_rise_and_not_a_flat_line() {
        let rising = cochran_armitage(&[2, 10, 18], &[20, 20, 20]).unwrap();
        assert!(rising < 1e-4, "{rising}");
        let flat = cochran_armitage(&[5, 5, 5], &[20, 20, 20]).unwrap();
        assert!(flat > 0.99, "{flat}");
        assert_eq!(cochran_armitage(&[0, 0], &[3, 4]), None);
    }
}
