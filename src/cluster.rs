//! Stage 4, cluster: TF-IDF rows → `Clustering` (a theme per talk).
//!
//! linfa-clustering's KMeans on L2-normalized vectors (so Euclidean k-means follows cosine
//! geometry), k-means++ init with several restarts, all randomness from `seed`. k is given or
//! chosen by the silhouette on cosine distance, scoring one-talk clusters 0 (as scikit-learn
//! does; linfa's own silhouette is Euclidean and scores them 1, which favours extreme k).

use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array1, Array2, Axis};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::vectorize::SparseRow;

/// How many themes to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KChoice {
    Fixed(usize),
    /// Pick the k in `min..=max` with the best cosine silhouette.
    Auto {
        min: usize,
        max: usize,
    },
}

impl std::str::FromStr for KChoice {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s == "auto" {
            return Ok(KChoice::Auto { min: 4, max: 14 });
        }
        match s.parse::<usize>() {
            Ok(k) if k >= 1 => Ok(KChoice::Fixed(k)),
            _ => Err(format!("expected a number ≥ 1 or `auto`, got `{s}`")),
        }
    }
}

/// How close to the best silhouette a smaller k must be to be preferred (see `cluster`).
pub const SILHOUETTE_TOLERANCE: f64 = 0.01;

/// KMeans hyperparameters, checked before fitting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterParams {
    pub k: KChoice,
    pub seed: u64,
    /// Restarts of k-means++ (the best inertia wins).
    pub n_runs: usize,
    pub max_iterations: u64,
    /// Vectors wider than this are randomly projected down to it before clustering.
    pub max_dims: usize,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            k: KChoice::Auto { min: 4, max: 14 },
            seed: 0,
            n_runs: 10,
            max_iterations: 300,
            max_dims: 2048,
        }
    }
}

impl ClusterParams {
    pub fn check(&self) -> Result<()> {
        match self.k {
            KChoice::Fixed(0) => return Err(Error::usage("--k must be at least 1")),
            KChoice::Auto { min, max } if min < 2 || max < min => {
                return Err(Error::usage(format!(
                    "automatic k needs 2 ≤ min ≤ max, got {min}..{max}"
                )));
            }
            _ => {}
        }
        if self.n_runs == 0 || self.max_iterations == 0 || self.max_dims == 0 {
            return Err(Error::usage(
                "n_runs, max_iterations and max_dims must be at least 1",
            ));
        }
        Ok(())
    }
}

/// The result of clustering `n` talks.
#[derive(Debug, Clone)]
pub struct Clustering {
    pub k: usize,
    /// Theme of each talk; `None` for a talk with no content terms (zero vector).
    pub labels: Vec<Option<usize>>,
    /// Cosine similarity of each talk to each theme centroid (0 for zero vectors).
    pub similarity: Vec<Vec<f64>>,
    /// Mean cosine silhouette of the final clustering (singletons score 0).
    pub silhouette: f64,
    /// (k, silhouette) for every k tried; one entry when k was fixed.
    pub k_table: Vec<(usize, f64)>,
    /// The dense, normalized vectors that were clustered (for maps and diagnostics).
    pub embedding: Array2<f64>,
    /// Unit-length centroids in embedding space.
    pub centroids: Array2<f64>,
    pub params: ClusterParams,
}

/// Cluster the rows. `guides` are optional initial centroids in TF-IDF space (e.g. from a
/// taxonomy); they seed the first centroids, the rest come from k-means++.
pub fn cluster(
    rows: &[SparseRow],
    dims: usize,
    params: &ClusterParams,
    guides: &[SparseRow],
) -> Result<Clustering> {
    params.check()?;
    let projection = Projection::new(dims, params.max_dims, params.seed);
    let embedding = projection.embed(rows);
    let active: Vec<usize> = (0..rows.len())
        .filter(|&i| embedding.row(i).iter().any(|&v| v != 0.0))
        .collect();
    let n = active.len();
    if n == 0 {
        return Err(Error::usage(
            "no talk has any content term left after filtering; nothing to cluster",
        ));
    }
    let data = embedding.select(Axis(0), &active);
    let guide_rows: Vec<Array1<f64>> = guides
        .iter()
        .map(|g| projection.embed(std::slice::from_ref(g)).row(0).to_owned())
        .filter(|g| g.iter().any(|&v| v != 0.0))
        .collect();

    let (k, labels_active, centroids, k_table) = match params.k {
        KChoice::Fixed(k) => {
            if k > n {
                return Err(Error::usage(format!(
                    "--k {k} is more than the {n} talks that have content terms; use --k {n} or less, or --k auto"
                )));
            }
            let (labels, centroids) = fit_kmeans(&data, k, params, &guide_rows)?;
            let s = cosine_silhouette(&data, &labels);
            (k, labels, centroids, vec![(k, s)])
        }
        KChoice::Auto { min, max } => {
            let hi = max.min(n.saturating_sub(1));
            if hi < 2 {
                // Too few talks to compare splits: one theme.
                let labels = vec![0; n];
                let centroids = mean_centroids(&data, &labels, 1);
                (1, labels, centroids, vec![(1, 0.0)])
            } else {
                // Guided: every supported taxonomy entry gets a chance at its own theme, so a
                // small k cannot force two of them together.
                let lo = min.max(guide_rows.len()).min(hi);
                let mut fits = Vec::new();
                let mut table = Vec::new();
                for k in lo..=hi {
                    let (labels, centroids) = fit_kmeans(&data, k, params, &guide_rows)?;
                    let s = cosine_silhouette(&data, &labels);
                    table.push((k, s));
                    fits.push((k, labels, centroids, s));
                }
                // Parsimony: the smallest k whose silhouette is within `SILHOUETTE_TOLERANCE`
                // of the best. Silhouettes of sparse text vectors differ by noise-level
                // amounts between neighbouring k; more themes must clearly earn their place.
                let best = fits.iter().map(|f| f.3).fold(f64::NEG_INFINITY, f64::max);
                let chosen = fits
                    .into_iter()
                    .find(|f| f.3 >= best - SILHOUETTE_TOLERANCE)
                    .expect("at least one k tried");
                let (k, labels, centroids, _) = chosen;
                (k, labels, centroids, table)
            }
        }
    };

    // Renumber themes by size (largest first), ties by first talk, so ids are stable.
    let (labels_active, centroids, k) = renumber(&labels_active, &centroids, k);
    let mut labels = vec![None; rows.len()];
    for (pos, &talk) in active.iter().enumerate() {
        labels[talk] = Some(labels_active[pos]);
    }
    let centroids = normalize_rows(centroids);
    let similarity = (0..rows.len())
        .map(|i| {
            (0..k)
                .map(|c| embedding.row(i).dot(&centroids.row(c)))
                .collect()
        })
        .collect();
    let silhouette = cosine_silhouette(&data, &labels_active);
    Ok(Clustering {
        k,
        labels,
        similarity,
        silhouette,
        k_table,
        embedding,
        centroids,
        params: params.clone(),
    })
}

fn fit_kmeans(
    data: &Array2<f64>,
    k: usize,
    params: &ClusterParams,
    guides: &[Array1<f64>],
) -> Result<(Vec<usize>, Array2<f64>)> {
    if k == 1 {
        let labels = vec![0; data.nrows()];
        return Ok((labels.clone(), mean_centroids(data, &labels, 1)));
    }
    let rng = Xoshiro256Plus::seed_from_u64(params.seed.wrapping_add(k as u64));
    let dataset = DatasetBase::from(data.clone());
    let builder = KMeans::params_with_rng(k, rng.clone())
        .max_n_iterations(params.max_iterations)
        .tolerance(1e-6)
        .n_runs(params.n_runs);
    let fail = |e: linfa_clustering::KMeansError| Error::usage(format!("k-means failed: {e}"));
    let model = if guides.is_empty() {
        builder.fit(&dataset).map_err(fail)?
    } else {
        builder
            .init_method(KMeansInit::Precomputed(guided_init(data, k, guides)))
            .n_runs(1)
            .fit(&dataset)
            .map_err(fail)?
    };
    let labels: Array1<usize> = model.predict(data);
    Ok((labels.to_vec(), model.centroids().clone()))
}

/// Initial centroids: the guides (up to k), then, for themes outside the taxonomy, the talk
/// farthest from every centroid so far (farthest-first), weighted by how many talks lie
/// around it so that one odd talk does not claim a theme. Deterministic: the guided result
/// does not depend on the seed.
fn guided_init(data: &Array2<f64>, k: usize, guides: &[Array1<f64>]) -> Array2<f64> {
    let dims = data.ncols();
    let gram = data.dot(&data.t());
    // Neighbourhood size: talks with cosine ≥ 0.2 to this one (itself included).
    let density: Vec<f64> = gram
        .rows()
        .into_iter()
        .map(|r| r.iter().filter(|&&c| c >= 0.2).count() as f64)
        .collect();
    let mut centroids: Vec<Array1<f64>> = guides.iter().take(k).cloned().collect();
    while centroids.len() < k {
        let score: Vec<f64> = data
            .rows()
            .into_iter()
            .zip(&density)
            .map(|(r, &d)| {
                let nearest = centroids
                    .iter()
                    .map(|c| (&r - c).mapv(|v| v * v).sum())
                    .fold(f64::INFINITY, f64::min);
                nearest * d.sqrt()
            })
            .collect();
        let pick = (0..score.len())
            .max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        centroids.push(data.row(pick).to_owned());
    }
    let mut out = Array2::zeros((k, dims));
    for (i, c) in centroids.iter().enumerate() {
        out.row_mut(i).assign(c);
    }
    out
}

fn mean_centroids(data: &Array2<f64>, labels: &[usize], k: usize) -> Array2<f64> {
    let mut sums = Array2::zeros((k, data.ncols()));
    for (row, &l) in data.rows().into_iter().zip(labels) {
        let mut s = sums.row_mut(l);
        s += &row;
    }
    sums
}

fn normalize_rows(mut m: Array2<f64>) -> Array2<f64> {
    for mut row in m.rows_mut() {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row /= norm;
        }
    }
    m
}

/// Drop empty clusters and order the rest by size (desc), then by first member.
fn renumber(
    labels: &[usize],
    centroids: &Array2<f64>,
    k: usize,
) -> (Vec<usize>, Array2<f64>, usize) {
    let mut size = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    for (i, &l) in labels.iter().enumerate() {
        size[l] += 1;
        first[l] = first[l].min(i);
    }
    let mut order: Vec<usize> = (0..k).filter(|&c| size[c] > 0).collect();
    order.sort_by(|&a, &b| size[b].cmp(&size[a]).then(first[a].cmp(&first[b])));
    let mut new_id = vec![0; k];
    for (new, &old) in order.iter().enumerate() {
        new_id[old] = new;
    }
    let relabeled = labels.iter().map(|&l| new_id[l]).collect();
    let centroids = centroids.select(Axis(0), &order);
    (relabeled, centroids, order.len())
}

/// Mean silhouette with cosine distance (1 − cos); a talk alone in its cluster scores 0.
pub fn cosine_silhouette(data: &Array2<f64>, labels: &[usize]) -> f64 {
    let n = data.nrows();
    let k = labels.iter().copied().max().map_or(0, |m| m + 1);
    if n < 2 || k < 2 {
        return 0.0;
    }
    let gram = data.dot(&data.t());
    let mut size = vec![0usize; k];
    for &l in labels {
        size[l] += 1;
    }
    let mut total = 0.0;
    for i in 0..n {
        if size[labels[i]] <= 1 {
            continue;
        }
        let mut sums = vec![0.0; k];
        for j in 0..n {
            if i != j {
                sums[labels[j]] += 1.0 - gram[[i, j]];
            }
        }
        let a = sums[labels[i]] / (size[labels[i]] - 1) as f64;
        let b = (0..k)
            .filter(|&c| c != labels[i] && size[c] > 0)
            .map(|c| sums[c] / size[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() {
            let s = (b - a) / a.max(b);
            if s.is_finite() {
                total += s;
            }
        }
    }
    total / n as f64
}

/// Dense embedding of sparse rows: the identity when narrow enough, else a sparse random
/// projection (Achlioptas: ±1 with a fixed seed, 3 non-zeros per input term), renormalized.
struct Projection {
    dims: usize,
    /// For each input term, its (output dim, sign) pairs; empty when not projecting.
    map: Vec<[(u32, f32); 3]>,
    out_dims: usize,
}

impl Projection {
    fn new(dims: usize, max_dims: usize, seed: u64) -> Self {
        if dims <= max_dims {
            return Projection {
                dims,
                map: Vec::new(),
                out_dims: dims.max(1),
            };
        }
        let mut rng = Xoshiro256Plus::seed_from_u64(seed ^ 0x005e_ed0f_c0ff_ee00);
        let map = (0..dims)
            .map(|_| {
                std::array::from_fn(|_| {
                    let d = rand::Rng::gen_range(&mut rng, 0..max_dims as u32);
                    let s = if rand::Rng::gen_bool(&mut rng, 0.5) {
                        1.0
                    } else {
                        -1.0
                    };
                    (d, s)
                })
            })
            .collect();
        Projection {
            dims,
            map,
            out_dims: max_dims,
        }
    }

    fn embed(&self, rows: &[SparseRow]) -> Array2<f64> {
        let mut out = Array2::zeros((rows.len(), self.out_dims));
        for (i, row) in rows.iter().enumerate() {
            for &(t, w) in row {
                if (t as usize) >= self.dims {
                    continue;
                }
                if self.map.is_empty() {
                    out[[i, t as usize]] += w as f64;
                } else {
                    for &(d, s) in &self.map[t as usize] {
                        out[[i, d as usize]] += (s * w) as f64;
                    }
                }
            }
        }
        normalize_rows(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<SparseRow> {
        // Two obvious groups on terms {0,1} and {2,3}, plus a zero-vector talk.
        vec![
            vec![(0, 0.8), (1, 0.6)],
            vec![(0, 0.6), (1, 0.8)],
            vec![(0, 0.7), (1, 0.7)],
            vec![(2, 0.8), (3, 0.6)],
            vec![(2, 0.6), (3, 0.8)],
            vec![(2, 0.7), (3, 0.7)],
            vec![],
        ]
    }

    #[test]
    fn separates_obvious_groups_and_leaves_empty_talks_unassigned() {
        let p = ClusterParams {
            k: KChoice::Fixed(2),
            ..Default::default()
        };
        let c = cluster(&rows(), 4, &p, &[]).unwrap();
        assert_eq!(c.k, 2);
        assert_eq!(c.labels[0], c.labels[1]);
        assert_eq!(c.labels[1], c.labels[2]);
        assert_eq!(c.labels[3], c.labels[4]);
        assert_ne!(c.labels[0], c.labels[3]);
        assert_eq!(c.labels[6], None);
        assert!(c.silhouette > 0.5);
        assert!(c.similarity.iter().flatten().all(|s| s.is_finite()));
    }

    #[test]
    fn auto_k_finds_two_groups() {
        let p = ClusterParams {
            k: KChoice::Auto { min: 2, max: 4 },
            ..Default::default()
        };
        let c = cluster(&rows(), 4, &p, &[]).unwrap();
        assert_eq!(c.k, 2, "{:?}", c.k_table);
    }

    #[test]
    fn k_larger_than_talks_is_a_clear_error() {
        let p = ClusterParams {
            k: KChoice::Fixed(9),
            ..Default::default()
        };
        let err = cluster(&rows(), 4, &p, &[]).unwrap_err().to_string();
        assert!(err.contains("--k 9") && err.contains("6 talks"), "{err}");
    }

    #[test]
    fn no_content_is_a_clear_error_and_one_talk_is_one_theme() {
        let p = ClusterParams::default();
        assert!(cluster(&[vec![], vec![]], 4, &p, &[]).is_err());
        let c = cluster(&[vec![(0, 1.0)]], 4, &p, &[]).unwrap();
        assert_eq!((c.k, c.labels.clone()), (1, vec![Some(0)]));
    }

    #[test]
    fn singletons_score_zero_in_the_silhouette() {
        let data = Array2::from_shape_vec((3, 2), vec![1.0, 0.0, 1.0, 0.0, 0.0, 1.0]).unwrap();
        // Talks 0 and 1 identical (s = 1 each), talk 2 alone (s = 0): mean 2/3.
        let s = cosine_silhouette(&data, &[0, 0, 1]);
        assert!((s - 2.0 / 3.0).abs() < 1e-9, "{s}");
    }

    #[test]
    fn same_seed_same_result_and_projection_is_deterministic() {
        let p = ClusterParams {
            k: KChoice::Fixed(2),
            max_dims: 2,
            seed: 7,
            ..Default::default()
        };
        let a = cluster(&rows(), 4, &p, &[]).unwrap();
        let b = cluster(&rows(), 4, &p, &[]).unwrap();
        assert_eq!(a.labels, b.labels);
        assert_eq!(a.embedding, b.embedding);
    }
}
