//! Correspondence analysis (Benzécri; Greenacre 2007, ch. 4) of groups × themes and of
//! groups × their most distinctive terms: groups and columns on one map, the first two axes
//! with their share of the inertia. The map of KH Coder users. Only the largest
//! `map_groups` groups are placed, so the work stays linear in the number of groups.

use linfa_linalg::svd::SVD;
use ndarray::Array2;
use serde::Serialize;

use super::terms::{Counter, TalkText};
use super::{CompareParams, Group, GroupTerms, ThemeRow};

/// A point on the map: principal coordinates on the first two axes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaPoint {
    /// Index of the group, of the theme row in `Comparison::table`, or of the term in
    /// `CaMap::labels`' order (see `CaMap`).
    pub index: usize,
    pub label: String,
    pub x: f64,
    pub y: f64,
    /// Share of the table's total in this row or column.
    pub mass: f64,
}

/// One correspondence analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaMap {
    /// Share of the total inertia on axis 1 and axis 2.
    pub inertia_share: [f64; 2],
    /// Total inertia (χ² / n).
    pub inertia: f64,
    /// Rows: groups (`index` into `Comparison::groups`).
    pub groups: Vec<CaPoint>,
    /// Columns: themes (`index` into `Comparison::table`) or terms (`label` is the term).
    pub columns: Vec<CaPoint>,
}

/// The maps of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correspondence {
    /// At most this many groups (the largest) are placed.
    pub max_groups: usize,
    /// Tested groups left off the map.
    pub omitted: usize,
    /// Groups × themes; `None` when fewer than 3 groups or themes have talks.
    pub themes: Option<CaMap>,
    /// Groups × the terms most distinctive of each group (up to 5 each), counted in talks.
    pub terms: Option<CaMap>,
}

/// Terms per group taken into the term map.
const TERMS_PER_GROUP: usize = 5;

/// CA of a non-negative table (rows × columns); rows and columns that are all zero are left
/// out. `None` with fewer than 3 rows or columns left, or no inertia.
pub fn analyse(
    table: &[Vec<f64>],
    rows: &[(usize, String)],
    cols: &[(usize, String)],
) -> Option<CaMap> {
    let row_sum: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let keep_rows: Vec<usize> = (0..table.len()).filter(|&i| row_sum[i] > 0.0).collect();
    let n_cols = cols.len();
    let col_sum: Vec<f64> = (0..n_cols)
        .map(|j| keep_rows.iter().map(|&i| table[i][j]).sum())
        .collect();
    let keep_cols: Vec<usize> = (0..n_cols).filter(|&j| col_sum[j] > 0.0).collect();
    if keep_rows.len() < 3 || keep_cols.len() < 3 {
        return None;
    }
    let total: f64 = keep_rows.iter().map(|&i| row_sum[i]).sum();
    let r: Vec<f64> = keep_rows.iter().map(|&i| row_sum[i] / total).collect();
    let c: Vec<f64> = keep_cols.iter().map(|&j| col_sum[j] / total).collect();
    // Standardized residuals S = D_r^-1/2 (P − r cᵀ) D_c^-1/2.
    let mut s = Array2::<f64>::zeros((keep_rows.len(), keep_cols.len()));
    for (a, &i) in keep_rows.iter().enumerate() {
        for (b, &j) in keep_cols.iter().enumerate() {
            let p = table[i][j] / total;
            s[[a, b]] = (p - r[a] * c[b]) / (r[a] * c[b]).sqrt();
        }
    }
    let inertia: f64 = s.iter().map(|x| x * x).sum();
    if inertia <= 1e-12 || !inertia.is_finite() {
        return None;
    }
    // linfa-linalg's SVD wants at least as many rows as columns: transpose when not.
    let transposed = s.nrows() < s.ncols();
    let m = if transposed { s.t().to_owned() } else { s };
    let (u, sigma, vt) = m.svd(true, true).ok()?;
    let (u, vt) = (u?, vt?);
    let mut order: Vec<usize> = (0..sigma.len()).collect();
    order.sort_by(|&x, &y| sigma[y].total_cmp(&sigma[x]).then(x.cmp(&y)));
    if order.len() < 2 {
        return None;
    }
    let (k1, k2) = (order[0], order[1]);
    // Left singular vectors belong to the rows of the decomposed matrix.
    let row_vec = |a: usize, k: usize| if transposed { vt[[k, a]] } else { u[[a, k]] };
    let col_vec = |b: usize, k: usize| if transposed { u[[b, k]] } else { vt[[k, b]] };
    // Signs: make each axis's largest-mass group coordinate positive, so a rerun or a
    // reordered input draws the same map.
    let heaviest = (0..r.len())
        .max_by(|&x, &y| r[x].total_cmp(&r[y]).then(y.cmp(&x)))
        .unwrap_or(0);
    let sign = |k: usize| {
        if row_vec(heaviest, k) < 0.0 {
            -1.0
        } else {
            1.0
        }
    };
    let (s1, s2) = (sign(k1), sign(k2));
    let point = |index: usize, label: &str, mass: f64, x: f64, y: f64| CaPoint {
        index,
        label: label.to_string(),
        x: finite(x),
        y: finite(y),
        mass,
    };
    let groups = keep_rows
        .iter()
        .enumerate()
        .map(|(a, &i)| {
            let w = 1.0 / r[a].sqrt();
            point(
                rows[i].0,
                &rows[i].1,
                r[a],
                s1 * w * row_vec(a, k1) * sigma[k1],
                s2 * w * row_vec(a, k2) * sigma[k2],
            )
        })
        .collect();
    let columns = keep_cols
        .iter()
        .enumerate()
        .map(|(b, &j)| {
            let w = 1.0 / c[b].sqrt();
            point(
                cols[j].0,
                &cols[j].1,
                c[b],
                s1 * w * col_vec(b, k1) * sigma[k1],
                s2 * w * col_vec(b, k2) * sigma[k2],
            )
        })
        .collect();
    Some(CaMap {
        inertia_share: [
            finite(sigma[k1] * sigma[k1] / inertia),
            finite(sigma[k2] * sigma[k2] / inertia),
        ],
        inertia: finite(inertia),
        groups,
        columns,
    })
}

fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

/// The maps for the largest groups; `None` with fewer than 3 tested groups.
#[allow(clippy::too_many_arguments)] // the comparison's parts the two maps are made of
pub(super) fn correspondence(
    groups: &[Group],
    n_known: usize,
    theme_rows: &[ThemeRow],
    distinctive: &[GroupTerms],
    members: &[Vec<usize>],
    per_talk: &[TalkText],
    counter: &Counter<'_>,
    params: &CompareParams,
) -> Option<Correspondence> {
    if n_known < 3 {
        return None;
    }
    let cap = super::pairs::cap(groups, n_known, params.map_groups.max(3));
    let shown = &cap.groups;
    let rows: Vec<(usize, String)> = shown.iter().map(|&g| (g, groups[g].name.clone())).collect();
    let theme_table: Vec<Vec<f64>> = shown
        .iter()
        .map(|&g| theme_rows.iter().map(|r| r.counts[g] as f64).collect())
        .collect();
    let theme_cols: Vec<(usize, String)> = theme_rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i, r.name.ja.clone()))
        .collect();
    let themes = analyse(&theme_table, &rows, &theme_cols);

    // Terms: each shown group's most distinctive, counted in talks of every shown group.
    let mut chosen: Vec<(usize, String)> = Vec::new();
    for d in distinctive.iter().filter(|d| shown.contains(&d.group)) {
        for t in d.terms.iter().filter(|t| t.z > 0.0).take(TERMS_PER_GROUP) {
            if let Some(i) = counter.index(&t.term)
                && !chosen.iter().any(|(k, _)| *k == i)
            {
                chosen.push((i, t.display.clone()));
            }
        }
    }
    let terms = if chosen.len() >= 3 {
        let indices: Vec<usize> = chosen.iter().map(|c| c.0).collect();
        let table = term_table(per_talk, members, shown, &indices);
        let cols: Vec<(usize, String)> = chosen
            .iter()
            .enumerate()
            .map(|(j, (_, d))| (j, d.clone()))
            .collect();
        analyse(&table, &rows, &cols)
    } else {
        None
    };
    Some(Correspondence {
        max_groups: cap.max_groups.max(3),
        omitted: cap.omitted,
        themes,
        terms,
    })
}

/// Talks of each shown group using each chosen term (vocabulary indices).
fn term_table(
    per_talk: &[TalkText],
    members: &[Vec<usize>],
    shown: &[usize],
    chosen: &[usize],
) -> Vec<Vec<f64>> {
    shown
        .iter()
        .map(|&g| {
            let mut row = vec![0.0; chosen.len()];
            for &t in &members[g] {
                let terms = &per_talk[t].terms;
                for (j, &i) in chosen.iter().enumerate() {
                    if terms.binary_search_by_key(&i, |e| e.0).is_ok() {
                        row[j] += 1.0;
                    }
                }
            }
            row
        })
        .collect()
}
