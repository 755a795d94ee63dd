//! Agreement between two clusterings of the same items (ours vs. the human gold themes),
//! and the gold file format.
//!
//! Label vectors are `&[usize]` of equal length; the values are arbitrary ids (only equality
//! matters). All metrics use natural logarithms and follow scikit-learn 1.x, including its
//! conventions for degenerate inputs, so our numbers can be checked against it:
//!
//! | case                                   | MI  | NMI | AMI | ARI | purity |
//! |----------------------------------------|-----|-----|-----|-----|--------|
//! | n = 0                                  | 0   | 1   | 1   | 1   | 1      |
//! | one cluster on both sides (incl. n = 1)| 0   | 1   | 1   | 1   | 1      |
//! | one cluster on one side only           | 0   | 0   | 0   | 0   | —      |
//! | identical partitions (any)             | H   | 1   | 1   | 1   | 1      |
//!
//! | all singletons on both sides          | ln n| 1   | 1   | 1   | 1      |
//!
//! n = 0 is an error in scikit-learn's `mutual_info_score`; we return 0 (nothing shared).
//! For AMI, when the expected MI equals the normalizer (all singletons on both sides) the
//! ratio is 0/0 in exact arithmetic; the labelings must then be identical (MI ≤ min entropy),
//! so we return 1 explicitly, as scikit-learn does, instead of dividing rounding noise.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::special::ln_factorials;
use crate::{Error, Result};

/// Cross-tabulation of two labelings: `counts[i][j]` = items with the i-th distinct label
/// of `a` and the j-th distinct label of `b` (distinct labels in ascending order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contingency {
    pub counts: Vec<Vec<u64>>,
    pub row_sums: Vec<u64>,
    pub col_sums: Vec<u64>,
    pub n: u64,
}

/// Build the contingency table of two labelings of the same items.
pub fn contingency(a: &[usize], b: &[usize]) -> Result<Contingency> {
    if a.len() != b.len() {
        let (a, b) = (a.len(), b.len());
        return Err(Error::usage(tr!(
            "長さの違うラベル付けは比べられません({a}件と{b}件)",
            "cannot compare labelings of different lengths ({a} and {b})"
        )));
    }
    let rows = dense_ids(a);
    let cols = dense_ids(b);
    let n_rows = rows.values().len();
    let n_cols = cols.values().len();
    let mut counts = vec![vec![0u64; n_cols]; n_rows];
    for (x, y) in a.iter().zip(b) {
        counts[rows[x]][cols[y]] += 1;
    }
    let row_sums = counts.iter().map(|r| r.iter().sum()).collect();
    let col_sums = (0..n_cols)
        .map(|j| counts.iter().map(|r| r[j]).sum())
        .collect();
    Ok(Contingency {
        counts,
        row_sums,
        col_sums,
        n: a.len() as u64,
    })
}

/// Map each distinct label to 0..k in ascending label order.
fn dense_ids(labels: &[usize]) -> BTreeMap<usize, usize> {
    let mut ids: BTreeMap<usize, usize> = labels.iter().map(|&l| (l, 0)).collect();
    for (i, v) in ids.values_mut().enumerate() {
        *v = i;
    }
    ids
}

/// Shannon entropy (nats) of a distribution given by counts; 0 for empty or one class.
fn entropy(counts: &[u64]) -> f64 {
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let n = total as f64;
    let h: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.ln()
        })
        .sum();
    h.max(0.0)
}

impl Contingency {
    /// Entropy of the row labeling (nats).
    pub fn row_entropy(&self) -> f64 {
        entropy(&self.row_sums)
    }

    /// Entropy of the column labeling (nats).
    pub fn col_entropy(&self) -> f64 {
        entropy(&self.col_sums)
    }

    /// Mutual information in nats; 0 when either side has at most one cluster.
    pub fn mutual_info(&self) -> f64 {
        if self.row_sums.len() <= 1 || self.col_sums.len() <= 1 {
            return 0.0;
        }
        let n = self.n as f64;
        let mut mi = 0.0;
        for (i, row) in self.counts.iter().enumerate() {
            for (j, &c) in row.iter().enumerate() {
                if c == 0 {
                    continue;
                }
                let c = c as f64;
                let outer = self.row_sums[i] as f64 * self.col_sums[j] as f64;
                mi += (c / n) * ((c * n).ln() - outer.ln());
            }
        }
        // Rounding can leave a tiny negative value for independent labelings.
        mi.max(0.0)
    }

    /// Both sides have the same number (0 or 1) of clusters: scikit-learn calls this a
    /// perfect match for NMI and AMI.
    fn trivially_identical(&self) -> bool {
        let (r, c) = (self.row_sums.len(), self.col_sums.len());
        r == c && r <= 1
    }

    /// Normalized mutual information, arithmetic-mean normalization (scikit-learn default).
    pub fn nmi(&self) -> f64 {
        if self.trivially_identical() {
            return 1.0;
        }
        let mi = self.mutual_info();
        if mi == 0.0 {
            return 0.0;
        }
        let normalizer = 0.5 * (self.row_entropy() + self.col_entropy());
        (mi / normalizer).clamp(0.0, 1.0)
    }

    /// Expected mutual information of two random labelings with these cluster sizes
    /// (hypergeometric model, Vinh, Epps & Bailey 2010), computed as scikit-learn's
    /// `expected_mutual_information`: each term's factorials are combined in log space.
    pub fn expected_mutual_info(&self) -> f64 {
        let (a, b) = (&self.row_sums, &self.col_sums);
        if a.len() <= 1 || b.len() <= 1 {
            return 0.0;
        }
        let n = self.n;
        let nf = n as f64;
        let lf = ln_factorials(n as usize);
        let mut emi = 0.0;
        for &ai in a {
            for &bj in b {
                let start = (ai + bj).saturating_sub(n).max(1);
                let end = ai.min(bj);
                // Terms shared by every n_ij for this (i, j).
                let fixed = lf[ai as usize]
                    + lf[bj as usize]
                    + lf[(n - ai) as usize]
                    + lf[(n - bj) as usize]
                    - lf[n as usize];
                let log_ab = (ai as f64).ln() + (bj as f64).ln();
                for nij in start..=end {
                    let nijf = nij as f64;
                    let term2 = nf.ln() + nijf.ln() - log_ab;
                    let gln = fixed
                        - lf[nij as usize]
                        - lf[(ai - nij) as usize]
                        - lf[(bj - nij) as usize]
                        - lf[(n + nij - ai - bj) as usize];
                    emi += nijf / nf * term2 * gln.exp();
                }
            }
        }
        emi
    }

    /// Adjusted mutual information, arithmetic normalization (scikit-learn default).
    pub fn ami(&self) -> f64 {
        if self.trivially_identical() {
            return 1.0;
        }
        let mi = self.mutual_info();
        let emi = self.expected_mutual_info();
        let normalizer = 0.5 * (self.row_entropy() + self.col_entropy());
        let denominator = normalizer - emi;
        // Expected MI at its maximum means both labelings are the same partition (see the
        // module docs); scikit-learn would divide rounding noise by epsilon here.
        let scale = normalizer.abs().max(1.0);
        if denominator.abs() <= 1e-10 * scale {
            return if (mi - normalizer).abs() <= 1e-10 * scale {
                1.0
            } else {
                0.0
            };
        }
        let ami = (mi - emi) / denominator;
        if ami.is_finite() { ami.min(1.0) } else { 0.0 }
    }

    /// Adjusted Rand index (Hubert & Arabie 1985) from pair counts, as scikit-learn:
    /// 1 when no pair of items is split differently by the two labelings (covers n ≤ 1).
    pub fn ari(&self) -> f64 {
        let pairs = |x: u64| -> f64 {
            let x = x as f64;
            x * (x - 1.0) / 2.0
        };
        let n = self.n as f64;
        // Pairs together in both (tp), in rows only, in columns only, and in neither.
        let together_both: f64 = self.counts.iter().flatten().map(|&c| pairs(c)).sum();
        let together_rows: f64 = self.row_sums.iter().map(|&c| pairs(c)).sum();
        let together_cols: f64 = self.col_sums.iter().map(|&c| pairs(c)).sum();
        let tp = together_both;
        let fn_ = together_rows - tp;
        let fp = together_cols - tp;
        let tn = n * (n - 1.0) / 2.0 - tp - fn_ - fp;
        if fn_ == 0.0 && fp == 0.0 {
            return 1.0;
        }
        let denominator = (tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn);
        if denominator == 0.0 {
            return 0.0;
        }
        2.0 * (tp * tn - fn_ * fp) / denominator
    }

    /// Purity of the columns (predicted clusters) against the rows (true classes): the share
    /// of items that belong to their cluster's majority class. 1 for n = 0 (nothing misplaced).
    pub fn purity(&self) -> f64 {
        if self.n == 0 {
            return 1.0;
        }
        let majority: u64 = (0..self.col_sums.len())
            .map(|j| self.counts.iter().map(|r| r[j]).max().unwrap_or(0))
            .sum();
        majority as f64 / self.n as f64
    }
}

/// Mutual information (nats) between two labelings.
pub fn mutual_info(a: &[usize], b: &[usize]) -> Result<f64> {
    Ok(contingency(a, b)?.mutual_info())
}

/// Normalized mutual information (arithmetic mean of the entropies).
pub fn nmi(a: &[usize], b: &[usize]) -> Result<f64> {
    Ok(contingency(a, b)?.nmi())
}

/// Adjusted mutual information (arithmetic normalization, exact hypergeometric EMI).
pub fn ami(a: &[usize], b: &[usize]) -> Result<f64> {
    Ok(contingency(a, b)?.ami())
}

/// Adjusted Rand index.
pub fn ari(a: &[usize], b: &[usize]) -> Result<f64> {
    Ok(contingency(a, b)?.ari())
}

/// Purity of `predicted` clusters with respect to `truth` classes.
pub fn purity(truth: &[usize], predicted: &[usize]) -> Result<f64> {
    Ok(contingency(truth, predicted)?.purity())
}

/// All agreement scores of one predicted labeling against the truth.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Agreement {
    pub nmi: f64,
    pub ami: f64,
    pub ari: f64,
    pub purity: f64,
}

/// Compute every score from one contingency table.
pub fn agreement(truth: &[usize], predicted: &[usize]) -> Result<Agreement> {
    let c = contingency(truth, predicted)?;
    Ok(Agreement {
        nmi: c.nmi(),
        ami: c.ami(),
        ari: c.ari(),
        purity: c.purity(),
    })
}

/// Median, minimum and maximum of a sample (e.g. a score over several seeds).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Summary {
    /// `None` for an empty slice. NaNs are skipped (they have no place in an order); a slice
    /// of only NaNs is `None` too. Even length: the median is the mean of the middle two.
    pub fn of(values: &[f64]) -> Option<Summary> {
        let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let mid = v.len() / 2;
        let median = if v.len() % 2 == 1 {
            v[mid]
        } else {
            0.5 * (v[mid - 1] + v[mid])
        };
        Some(Summary {
            median,
            min: v[0],
            max: v[v.len() - 1],
        })
    }
}

/// The hand-made reference themes (`seeds-gold.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Gold {
    pub talks: Vec<GoldTalk>,
}

/// One talk's reference themes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldTalk {
    pub event: String,
    /// Title as the talk's own page gives it.
    pub title: String,
    /// Title as a recap spells it, when it differs.
    #[serde(default)]
    pub recap_title: Option<String>,
    /// Primary theme.
    pub theme: String,
    /// Secondary themes.
    #[serde(default)]
    pub also: Vec<String>,
    /// Seed files (ids such as "000") the talk appears in; optional (gold files of exports
    /// with no recap files have none).
    #[serde(default)]
    pub sources: Vec<String>,
}

/// The file's top level: a list of `[[talk]]` tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldFile {
    #[serde(default)]
    talk: Vec<GoldTalk>,
}

impl Gold {
    /// Read and parse a gold file.
    pub fn load(path: &Path) -> Result<Gold> {
        let text = crate::safe_io::read::read_text(path, tr!("正解ファイル", "gold file"))?;
        Gold::parse(&text, path)
    }

    /// Parse gold TOML; `path` only names the source in errors. Unknown keys are errors
    /// (a misspelt `recap-title` would otherwise be dropped silently), as are talks with an
    /// empty title or theme and the same (event, title) twice, which would make matching
    /// talks to gold ambiguous.
    pub fn parse(text: &str, path: &Path) -> Result<Gold> {
        let file: GoldFile = toml::from_str(text).map_err(|e| {
            let (at_ja, at_en) = e
                .span()
                .map(|span| {
                    let (line, col) = line_col(text, span.start);
                    (
                        format!("{line}行{col}列: "),
                        format!("line {line}, column {col}: "),
                    )
                })
                .unwrap_or_default();
            let message = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
            Error::input(
                path,
                tr!(
                    "正解ファイルの形が不正です: {at_ja}{message}",
                    "malformed gold file: {at_en}{message}"
                ),
            )
        })?;
        let mut seen = std::collections::HashSet::new();
        for (i, talk) in file.talk.iter().enumerate() {
            let (n, title, event) = (i + 1, &talk.title, &talk.event);
            if talk.title.trim().is_empty() {
                return Err(Error::input(
                    path,
                    tr!(
                        "{n}件目のトークのタイトルが空です",
                        "talk #{n} has an empty title"
                    ),
                ));
            }
            if talk.theme.trim().is_empty() {
                return Err(Error::input(
                    path,
                    tr!(
                        "{n}件目のトーク({title:?})のテーマが空です",
                        "talk #{n} ({title:?}) has an empty theme"
                    ),
                ));
            }
            if !seen.insert((talk.event.as_str(), talk.title.as_str())) {
                return Err(Error::input(
                    path,
                    tr!(
                        "{n}件目のトーク({title:?})がイベント {event:?} に2回出てきます",
                        "talk #{n} ({title:?}) appears twice for event {event:?}"
                    ),
                ));
            }
        }
        Ok(Gold { talks: file.talk })
    }

    /// Distinct primary themes in ascending order, and each talk's index into that list:
    /// the gold labeling to compare clusterings against.
    pub fn primary_labels(&self) -> (Vec<String>, Vec<usize>) {
        let mut themes: Vec<String> = self.talks.iter().map(|t| t.theme.clone()).collect();
        themes.sort();
        themes.dedup();
        let labels = self
            .talks
            .iter()
            .map(|t| themes.binary_search(&t.theme).unwrap_or(0))
            .collect();
        (themes, labels)
    }
}

/// Which taxonomy ids name each gold theme correctly (`eval --gold-map`): for gold files
/// whose themes are not taxonomy ids, such as the speakers' own CfP categories. A theme
/// mapped to no id is one no taxonomy entry names.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldMap {
    #[serde(default)]
    pub map: BTreeMap<String, Vec<String>>,
}

impl GoldMap {
    pub fn load(path: &Path) -> Result<GoldMap> {
        let text = crate::safe_io::read::read_text(path, tr!("正解の対応表", "gold map"))?;
        toml::from_str(&text).map_err(|e| {
            let why = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
            Error::input(
                path,
                tr!(
                    "正解の対応表の形が不正です({why})",
                    "malformed gold map: {why}"
                ),
            )
        })
    }

    /// The taxonomy ids that name `theme` correctly: its map entry, or the theme itself when
    /// it is a taxonomy id; `None` when the theme cannot be scored by name.
    pub fn ids_for(&self, theme: &str, taxonomy_ids: &[&str]) -> Option<Vec<String>> {
        match self.map.get(theme) {
            Some(ids) => Some(ids.clone()),
            None => taxonomy_ids
                .contains(&theme)
                .then(|| vec![theme.to_string()]),
        }
    }
}

/// How well the theme names fit the talks under them, against a gold judgement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedScore {
    /// Share of scored talks listed under a theme whose taxonomy name fits them (a talk under
    /// a theme with no taxonomy name counts as wrong, unless no taxonomy id names its gold
    /// theme).
    pub accuracy: f64,
    /// Per theme with a taxonomy name: its id, scored talks and the share whose gold theme
    /// that id names.
    pub precision: Vec<ThemePrecision>,
    /// Themes with a taxonomy name that fits fewer than half of their scored talks.
    pub misnamed: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemePrecision {
    pub theme: usize,
    pub taxonomy: String,
    pub talks: usize,
    pub precision: f64,
}

/// `NamedScore` of one run: `theme_of[i]` and `name_of[t]` give each scored talk's theme and
/// each theme's taxonomy id; `gold_ids[i]` the ids that would name talk i correctly.
pub fn named_score(
    theme_of: &[Option<usize>],
    name_of: &[Option<&str>],
    gold_ids: &[Vec<String>],
) -> Option<NamedScore> {
    if theme_of.is_empty() {
        return None;
    }
    let fits = |i: usize| match theme_of[i].and_then(|t| name_of[t]) {
        Some(id) => gold_ids[i].iter().any(|g| g == id),
        None => gold_ids[i].is_empty(),
    };
    let hits = (0..theme_of.len()).filter(|&i| fits(i)).count();
    let mut precision = Vec::new();
    for (t, id) in name_of.iter().enumerate() {
        let Some(id) = id else { continue };
        let members: Vec<usize> = (0..theme_of.len())
            .filter(|&i| theme_of[i] == Some(t))
            .collect();
        if members.is_empty() {
            continue;
        }
        let good = members.iter().filter(|&&i| fits(i)).count();
        precision.push(ThemePrecision {
            theme: t,
            taxonomy: id.to_string(),
            talks: members.len(),
            precision: good as f64 / members.len() as f64,
        });
    }
    let misnamed = precision.iter().filter(|p| p.precision < 0.5).count();
    Some(NamedScore {
        accuracy: hits as f64 / theme_of.len() as f64,
        precision,
        misnamed,
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
        assert!((got - want).abs() <= tol, "{what}: got {got}, want {want}");
    }

    #[test]
    fn contingency_counts_and_lengths() {
        let c = contingency(&[5, 5, 9, 9, 9], &[1, 2, 2, 2, 7]).unwrap();
        assert_eq!(c.counts, vec![vec![1, 1, 0], vec![0, 2, 1]]);
        assert_eq!(c.row_sums, vec![2, 3]);
        assert_eq!(c.col_sums, vec![1, 3, 1]);
        assert_eq!(c.n, 5);
        assert!(contingency(&[0, 1], &[0]).is_err());
        assert!(nmi(&[0], &[]).is_err());
    }

    /// Reference values: scikit-learn 1.9.1 `mutual_info_score`, `normalized_mutual_info_score`,
    /// `adjusted_mutual_info_score`, `adjusted_rand_score`; purity from its
    /// `contingency_matrix(t, p).max(axis=0).sum() / n`.
    struct Reference {
        a: &'static [usize],
        b: &'static [usize],
        mi: f64,
        nmi: f64,
        ami: f64,
        ari: f64,
        purity: f64,
    }

    const REFERENCES: &[Reference] = &[
        // The example from scikit-learn's user guide.
        Reference {
            a: &[0, 0, 0, 1, 1, 1],
            b: &[0, 0, 1, 1, 2, 2],
            mi: 0.462_098_120_373_296_9,
            nmi: 0.515_803_742_979_388_9,
            ami: 0.298_792_458_170_890_1,
            ari: 0.242_424_242_424_242_43,
            purity: 0.833_333_333_333_333_4,
        },
        // 5 classes vs 3 clusters.
        Reference {
            a: &[0, 0, 1, 1, 2, 2, 3, 3, 3, 4],
            b: &[1, 1, 1, 0, 0, 2, 2, 2, 2, 2],
            mi: 0.752_394_141_840_595_7,
            nmi: 0.581_725_683_133_618,
            ami: 0.286_612_741_257_604_1,
            ari: 0.262_295_081_967_213_13,
            purity: 0.6,
        },
        // Independent halves: negative AMI and ARI.
        Reference {
            a: &[0, 0, 1, 1],
            b: &[0, 1, 0, 1],
            mi: 0.0,
            nmi: 0.0,
            ami: -0.499_999_999_999_999_44,
            ari: -0.5,
            purity: 0.5,
        },
        // Same partition under other ids.
        Reference {
            a: &[0, 0, 1, 1, 2],
            b: &[7, 7, 3, 3, 9],
            mi: 1.054_920_167_986_144_2,
            nmi: 1.0,
            ami: 1.0,
            ari: 1.0,
            purity: 1.0,
        },
        // 37 items, 10 clusters on both sides (numpy default_rng(37), 55% copied labels).
        Reference {
            a: &[
                4, 6, 3, 9, 0, 8, 8, 1, 5, 2, 7, 4, 6, 0, 7, 9, 8, 1, 2, 7, 2, 2, 0, 7, 4, 6, 9, 0,
                8, 3, 9, 1, 2, 8, 5, 1, 6,
            ],
            b: &[
                4, 5, 3, 3, 0, 8, 8, 4, 3, 0, 1, 6, 6, 0, 7, 4, 8, 1, 2, 0, 3, 2, 0, 0, 4, 6, 1, 4,
                8, 3, 9, 1, 2, 8, 5, 1, 6,
            ],
            mi: 1.511_839_654_236_398_5,
            nmi: 0.681_537_348_114_518_5,
            ami: 0.410_991_798_852_282_65,
            ari: 0.359_351_381_063_625_13,
            purity: 0.648_648_648_648_648_7,
        },
        // Degenerate: all singletons on both sides.
        Reference {
            a: &[0, 1, 2, 3, 4],
            b: &[0, 1, 2, 3, 4],
            mi: 1.609_437_912_434_100_5,
            nmi: 1.0,
            ami: 1.0,
            ari: 1.0,
            purity: 1.0,
        },
        // Degenerate: singletons vs one cluster.
        Reference {
            a: &[0, 1, 2, 3, 4],
            b: &[0, 0, 0, 0, 0],
            mi: 0.0,
            nmi: 0.0,
            ami: 0.0,
            ari: 0.0,
            purity: 0.2,
        },
        // Degenerate: one class vs two clusters.
        Reference {
            a: &[0, 0, 0, 0],
            b: &[0, 0, 1, 1],
            mi: 0.0,
            nmi: 0.0,
            ami: 0.0,
            ari: 0.0,
            purity: 1.0,
        },
        // Degenerate: one cluster on both sides.
        Reference {
            a: &[3, 3, 3],
            b: &[5, 5, 5],
            mi: 0.0,
            nmi: 1.0,
            ami: 1.0,
            ari: 1.0,
            purity: 1.0,
        },
        // Degenerate: n = 1.
        Reference {
            a: &[0],
            b: &[0],
            mi: 0.0,
            nmi: 1.0,
            ami: 1.0,
            ari: 1.0,
            purity: 1.0,
        },
    ];

    #[test]
    fn metrics_match_scikit_learn() {
        for (k, r) in REFERENCES.iter().enumerate() {
            let c = contingency(r.a, r.b).unwrap();
            assert_close(c.mutual_info(), r.mi, 1e-12, &format!("case {k} mi"));
            assert_close(c.nmi(), r.nmi, 1e-12, &format!("case {k} nmi"));
            assert_close(c.ami(), r.ami, 1e-10, &format!("case {k} ami"));
            assert_close(c.ari(), r.ari, 1e-12, &format!("case {k} ari"));
            assert_close(c.purity(), r.purity, 1e-12, &format!("case {k} purity"));
        }
    }

    #[test]
    fn expected_mutual_info_matches_scikit_learn() {
        // sklearn.metrics.cluster.expected_mutual_information(contingency_matrix(a, b), 37)
        let r = &REFERENCES[4];
        let emi = contingency(r.a, r.b).unwrap().expected_mutual_info();
        assert_close(emi, 1.018_908_356_780_564_4, 1e-11, "emi");
    }

    #[test]
    fn larger_sample_is_stable() {
        // 600 items, 9 vs 11 clusters, generated by the same formulas in Python;
        // scikit-learn 1.9.1: AMI 0.4343159822590702, NMI 0.4522850800991717,
        // ARI 0.21060249194109268.
        let a: Vec<usize> = (0..600usize).map(|i| (i * i * i + 3 * i) % 13).collect();
        let b: Vec<usize> = (0..600usize)
            .map(|i| (a[i] * 5 + (i * i) % 7) % 11)
            .collect();
        let s = agreement(&a, &b).unwrap();
        assert_close(s.ami, 0.434_315_982_259_070_2, 1e-10, "ami");
        assert_close(s.nmi, 0.452_285_080_099_171_7, 1e-12, "nmi");
        assert_close(s.ari, 0.210_602_491_941_092_68, 1e-12, "ari");
    }

    #[test]
    fn empty_and_large_singleton_cases() {
        // scikit-learn returns 1.0 for ARI/NMI/AMI on empty input; its MI raises, we give 0.
        let c = contingency(&[], &[]).unwrap();
        assert_eq!(
            (c.mutual_info(), c.nmi(), c.ami(), c.ari(), c.purity()),
            (0.0, 1.0, 1.0, 1.0, 1.0)
        );
        // All singletons, larger n: scikit-learn 1.9.1 gives AMI = NMI = 1.0 for n = 37, 200.
        let s: Vec<usize> = (0..200).collect();
        let a = agreement(&s, &s).unwrap();
        assert_eq!((a.nmi, a.ami, a.ari, a.purity), (1.0, 1.0, 1.0, 1.0));
    }

    #[test]
    fn summary_of_samples() {
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[f64::NAN]), None);
        assert_eq!(
            Summary::of(&[3.0, 1.0, 2.0]),
            Some(Summary {
                median: 2.0,
                min: 1.0,
                max: 3.0
            })
        );
        assert_eq!(
            Summary::of(&[4.0, f64::NAN, 1.0, 2.0, 3.0]),
            Some(Summary {
                median: 2.5,
                min: 1.0,
                max: 4.0
            })
        );
        assert_eq!(
            Summary::of(&[7.0]),
            Some(Summary {
                median: 7.0,
                min: 7.0,
                max: 7.0
            })
        );
    }

    #[test]
    fn gold_file_parses() {
        let text = r#"
[[talk]]
event = "SRE Kaigi 2025"
title = "A"
theme = "slo"
also = ["cost"]
sources = ["000", "001"]

[[talk]]
event = "SRE Kaigi 2025"
title = "B"
recap_title = "B'"
theme = "cost"
sources = ["001"]
"#;
        let gold = Gold::parse(text, Path::new("g.toml")).unwrap();
        assert_eq!(gold.talks.len(), 2);
        assert_eq!(gold.talks[0].also, vec!["cost".to_string()]);
        assert_eq!(gold.talks[1].recap_title.as_deref(), Some("B'"));
        assert!(gold.talks[1].also.is_empty());
        let (themes, labels) = gold.primary_labels();
        assert_eq!(themes, vec!["cost".to_string(), "slo".to_string()]);
        assert_eq!(labels, vec![1, 0]);
    }

    #[test]
    fn gold_file_without_sources_parses() {
        // Gold files of organizer exports (no recap files) have no `sources`.
        let text = "[[talk]]\nevent = \"E\"\ntitle = \"T\"\ntheme = \"CI / CD\"\n";
        let gold = Gold::parse(text, Path::new("g.toml")).unwrap();
        assert_eq!(gold.talks.len(), 1);
        assert!(gold.talks[0].sources.is_empty());
    }

    #[test]
    fn gold_errors_are_one_line_with_file_name() {
        let bad = [
            ("[[talk]]\nevent = \"E\"\ntitle = \"T\"\ntheme = ", "line 4"),
            (
                "[[talk]]\nevent = \"E\"\ntitle = \"T\"\nsources = []\n",
                "theme",
            ),
            (
                "[[talk]]\nevent=\"E\"\ntitle=\"T\"\ntheme=\"x\"\nsources=[]\nrecap-title=\"U\"\n",
                "recap-title",
            ),
            (
                "[[talk]]\nevent=\"E\"\ntitle=\" \"\ntheme=\"x\"\nsources=[]\n",
                "empty title",
            ),
            (
                "[[talk]]\nevent=\"E\"\ntitle=\"T\"\ntheme=\"x\"\nsources=[]\n\
                 [[talk]]\nevent=\"E\"\ntitle=\"T\"\ntheme=\"y\"\nsources=[]\n",
                "twice",
            ),
        ];
        for (text, needle) in bad {
            let err = Gold::parse(text, Path::new("gold.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("gold.toml: "), "{err}");
            assert!(!err.contains('\n'), "multi-line error: {err}");
            assert!(err.contains(needle), "{err:?} lacks {needle:?}");
        }
        let missing = Gold::load(Path::new("/nonexistent/gold.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            missing.starts_with("/nonexistent/gold.toml: cannot read"),
            "{missing}"
        );
    }

    #[test]
    fn shared_gold_file_loads() {
        // The real file, when this checkout sits next to it; skipped elsewhere.
        let path = Path::new("/work/shared/eval/seeds-gold.toml");
        if !path.exists() {
            return;
        }
        let gold = Gold::load(path).unwrap();
        assert!(gold.talks.len() >= 30);
        assert!(gold.talks.iter().any(|t| t.recap_title.is_some()));
    }

    /// Up to 40 items with labels from a small alphabet, so clusters collide often.
    fn labelings() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
        (0usize..40).prop_flat_map(|n| {
            (
                prop::collection::vec(0usize..6, n),
                prop::collection::vec(0usize..9, n),
            )
        })
    }

    proptest! {
        #[test]
        fn metrics_in_range_and_never_nan((a, b) in labelings()) {
            let c = contingency(&a, &b).unwrap();
            let (mi, nmi, ami, ari, pur) = (c.mutual_info(), c.nmi(), c.ami(), c.ari(), c.purity());
            for v in [mi, nmi, ami, ari, pur] {
                prop_assert!(v.is_finite());
            }
            prop_assert!(mi >= 0.0);
            prop_assert!(mi <= c.row_entropy().min(c.col_entropy()) + 1e-12);
            prop_assert!((0.0..=1.0).contains(&nmi));
            prop_assert!(ami <= 1.0);
            prop_assert!((-1.0..=1.0).contains(&ari));
            prop_assert!((0.0..=1.0).contains(&pur));
            // Every labeling agrees perfectly with itself.
            let s = agreement(&a, &a).unwrap();
            for v in [s.nmi, s.ami, s.ari, s.purity] {
                prop_assert!((v - 1.0).abs() < 1e-12, "self-agreement {}", v);
            }
        }

        #[test]
        fn metrics_invariant_to_relabeling((a, b) in labelings(), shift in 1usize..100) {
            // An injective relabeling of each side: reversed order and shifted ids.
            let ra: Vec<usize> = a.iter().map(|&x| 1000 - x * 7).collect();
            let rb: Vec<usize> = b.iter().map(|&x| x + shift).collect();
            let before = agreement(&a, &b).unwrap();
            let after = agreement(&ra, &rb).unwrap();
            prop_assert!((before.nmi - after.nmi).abs() < 1e-12);
            prop_assert!((before.ami - after.ami).abs() < 1e-10);
            prop_assert!((before.ari - after.ari).abs() < 1e-12);
            prop_assert!((before.purity - after.purity).abs() < 1e-12);
            // NMI, AMI and ARI are symmetric as well.
            let swapped = agreement(&b, &a).unwrap();
            prop_assert!((before.nmi - swapped.nmi).abs() < 1e-12);
            prop_assert!((before.ami - swapped.ami).abs() < 1e-10);
            prop_assert!((before.ari - swapped.ari).abs() < 1e-12);
        }
    }
}
