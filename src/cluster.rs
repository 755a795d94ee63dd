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
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::timing::timed;
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
    type Err = crate::error::Text;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        if s == "auto" {
            return Ok(KChoice::Auto { min: 2, max: 14 });
        }
        match s.parse::<usize>() {
            Ok(k) if k >= 1 => Ok(KChoice::Fixed(k)),
            _ => Err(tr!(
                "1以上の数か `auto` のはずですが `{s}` でした",
                "expected a number ≥ 1 or `auto`, got `{s}`"
            )),
        }
    }
}

/// How close to the best silhouette a smaller k must be to be preferred (see `cluster`), for
/// `n` talks scored: `SILHOUETTE_TOLERANCE_SCALE / √n`. The silhouette is a mean over the
/// talks, and its noise shrinks with √n: on 37 talks a k twelve is not clearly better than
/// eight for 0.03 (three one-talk themes of chance words), on 346 talks 0.03 merged four
/// topics into one grab-bag theme.
pub fn silhouette_tolerance(n: usize) -> f64 {
    SILHOUETTE_TOLERANCE_SCALE / (n.max(1) as f64).sqrt()
}

/// Chosen on the development corpus (benches/quality.sh, mean AMI of the twelve dev sets b,
/// c, d, d', e): a fixed 0.01 → 0.320, a fixed 0.03 → 0.327; 0.10/√n → 0.318, 0.15/√n →
/// 0.323, 0.18/√n → 0.324, 0.25/√n → 0.334. Checked on the seeds: 0.639 (k 8), as at 0.03.
pub const SILHOUETTE_TOLERANCE_SCALE: f64 = 0.25;

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
            k: KChoice::Auto { min: 2, max: 14 },
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
            KChoice::Fixed(0) => {
                return Err(Error::usage(tr!(
                    "--k は1以上にしてください",
                    "--k must be at least 1"
                )));
            }
            KChoice::Auto { min, max } if min < 2 || max < min => {
                return Err(Error::usage(tr!(
                    "k の自動選択には 2 ≤ 最小 ≤ 最大 が要ります({min}..{max} でした)",
                    "automatic k needs 2 ≤ min ≤ max, got {min}..{max}"
                )));
            }
            _ => {}
        }
        if self.n_runs == 0 || self.max_iterations == 0 || self.max_dims == 0 {
            return Err(Error::usage(tr!(
                "n_runs、max_iterations、max_dims は1以上にしてください",
                "n_runs, max_iterations and max_dims must be at least 1"
            )));
        }
        Ok(())
    }
}

/// The result of clustering `n` talks.
#[derive(Debug, Clone)]
pub struct Clustering {
    pub k: usize,
    /// Theme of each talk; `None` for a talk with a zero vector (no term shared with another
    /// talk and no taxonomy evidence).
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
    /// Large corpora (more than `SCALE_THRESHOLD` talks with content): k was chosen and the
    /// silhouette computed on a seeded sample of this many talks (see `cluster_sparse`).
    pub sample: Option<usize>,
    /// How the themes were formed.
    pub method: Method,
    /// Themes added after the search for k (`split_off`): the search chose `k - split_off`.
    pub split_off: usize,
}

impl Clustering {
    /// The number of themes the search for k (or `--k`) gave, before any `split_off`.
    pub fn k_chosen(&self) -> usize {
        self.k - self.split_off
    }

    /// Unit mean of the embedding rows of the talks labelled `c` (zero when it has none).
    pub fn centroid_of(&self, labels: &[Option<usize>], c: usize) -> Array1<f64> {
        let mut sum = Array1::<f64>::zeros(self.embedding.ncols());
        for (i, l) in labels.iter().enumerate() {
            if *l == Some(c) && i < self.embedding.nrows() {
                sum += &self.embedding.row(i);
            }
        }
        let norm = sum.dot(&sum).sqrt();
        if norm > 0.0 {
            sum /= norm;
        }
        sum
    }

    /// Move `talks` out of their themes into a new theme `k` (k grows by one). The themes
    /// they leave and the new one get their members' mean as centroid, and every talk's
    /// similarity to them is recomputed; the other themes are unchanged.
    pub fn split_off(&mut self, talks: &[usize]) {
        let new = self.k;
        let mut touched: Vec<usize> = talks.iter().filter_map(|&t| self.labels[t]).collect();
        touched.sort_unstable();
        touched.dedup();
        for &t in talks {
            self.labels[t] = Some(new);
        }
        self.k += 1;
        self.split_off += 1;
        let zeros = Array1::<f64>::zeros(self.centroids.ncols());
        self.centroids
            .push_row(zeros.view())
            .expect("a row as wide as the centroids");
        for sim in &mut self.similarity {
            sim.push(0.0);
        }
        for c in touched.into_iter().chain([new]) {
            let centroid = self.centroid_of(&self.labels, c);
            for (i, sim) in self.similarity.iter_mut().enumerate() {
                sim[c] = if i < self.embedding.nrows() {
                    self.embedding.row(i).dot(&centroid)
                } else {
                    0.0
                };
            }
            self.centroids.row_mut(c).assign(&centroid);
        }
        // Themes stay numbered by size, as `renumber` numbers them (none is empty: the theme
        // a group leaves keeps talks).
        let order = size_order(self.labels.iter().flatten().copied(), self.k);
        debug_assert_eq!(order.len(), self.k);
        let mut new_id = vec![0; self.k];
        for (new, &old) in order.iter().enumerate() {
            new_id[old] = new;
        }
        for l in self.labels.iter_mut().flatten() {
            *l = new_id[*l];
        }
        self.centroids = self.centroids.select(Axis(0), &order);
        for sim in &mut self.similarity {
            *sim = order.iter().map(|&old| sim[old]).collect();
        }
    }

    /// The parsimony tolerance that chose k on these talks (`silhouette_tolerance` of the
    /// talks scored: the sample on a large corpus).
    pub fn silhouette_tolerance(&self) -> f64 {
        silhouette_tolerance(
            self.sample
                .unwrap_or_else(|| self.labels.iter().flatten().count()),
        )
    }
}

/// How `Clustering::labels` came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// k-means (`cluster`).
    KMeans,
    /// Too few talks to cluster: each talk went to the taxonomy entry its own terms point to
    /// (`by_evidence`). `residual` is the theme of talks that match no entry and share no
    /// term with another such talk, if there is one.
    ZeroShot { residual: Option<usize> },
}

/// Below this many talks with content terms, themes come from the taxonomy evidence of each
/// talk (`by_evidence`) instead of k-means: a silhouette over a handful of short texts picks
/// one theme per talk (benches/quality.sh, set e).
pub const ZERO_SHOT_BELOW: usize = 20;

/// Themes without clustering, for corpora too small to cluster: talks whose own terms point
/// to a taxonomy entry (`best`, an entry column per talk) form that entry's theme; talks that
/// match no entry form an emergent theme when at least two of them share a term (connected
/// by shared terms), and the remaining ones form one residual theme: never an entry's theme,
/// whose name their own terms do not support. Deterministic; themes ordered by size.
pub fn by_evidence(
    rows: &[SparseRow],
    dims: usize,
    best: &[Option<usize>],
    params: &ClusterParams,
) -> Result<Clustering> {
    let n = rows.len();
    let active: Vec<usize> = (0..n).filter(|&i| !rows[i].is_empty()).collect();
    if active.is_empty() {
        return Err(Error::usage(tr!(
            "絞り込みの後に内容語の残るトークがなく、まとめられません",
            "no talk has any content term left after filtering; nothing to cluster"
        )));
    }
    // Provisional groups keyed by entry column, then by emergent component.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_entry: std::collections::BTreeMap<usize, usize> = Default::default();
    let mut leftover = Vec::new();
    for &i in &active {
        match best.get(i).copied().flatten() {
            Some(col) => {
                let g = *by_entry.entry(col).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[g].push(i);
            }
            None => leftover.push(i),
        }
    }
    // Components of leftover talks linked by a shared term (union-find over terms).
    let mut parent: Vec<usize> = (0..leftover.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut y = x;
        while p[y] != r {
            let next = p[y];
            p[y] = r;
            y = next;
        }
        r
    }
    let mut owner: std::collections::HashMap<u32, usize> = Default::default();
    for (li, &i) in leftover.iter().enumerate() {
        for &(t, _) in &rows[i] {
            if let Some(&other) = owner.get(&t) {
                let (a, b) = (find(&mut parent, li), find(&mut parent, other));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            } else {
                owner.insert(t, li);
            }
        }
    }
    let mut components: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (li, &talk) in leftover.iter().enumerate() {
        let root = find(&mut parent, li);
        components.entry(root).or_default().push(talk);
    }
    let mut singles = Vec::new();
    for (_, members) in components {
        if members.len() >= 2 {
            groups.push(members);
        } else {
            singles.extend(members);
        }
    }
    // A talk left alone shares no term with another unmatched talk and has no evidence of
    // its own: it goes to the residual theme, not under an entry's name its terms don't
    // support (a small event's talk on live streaming under オブザーバビリティ).
    let residual_group = (!singles.is_empty()).then(|| {
        groups.push(singles);
        groups.len() - 1
    });
    let mut labels_active = vec![0usize; active.len()];
    let position: std::collections::HashMap<usize, usize> =
        active.iter().enumerate().map(|(p, &i)| (i, p)).collect();
    for (g, members) in groups.iter().enumerate() {
        for &i in members {
            labels_active[position[&i]] = g;
        }
    }
    let k0 = groups.len();
    let dense = |rows_idx: &[usize]| -> Array2<f64> {
        let mut m = Array2::zeros((rows_idx.len(), dims.max(1)));
        for (r, &i) in rows_idx.iter().enumerate() {
            for &(t, w) in &rows[i] {
                if (t as usize) < dims {
                    m[[r, t as usize]] += w as f64;
                }
            }
        }
        normalize_rows(m)
    };
    let data = dense(&active);
    let sums = mean_centroids(&data, &labels_active, k0);
    let (labels_active, centroids, k) = renumber(&labels_active, &sums, k0);
    let residual = residual_group.map(|g| {
        // renumber orders by size then first member; find the new id of the old group
        let first = groups[g][0];
        labels_active[position[&first]]
    });
    let centroids = normalize_rows(centroids);
    let embedding = dense(&(0..n).collect::<Vec<_>>());
    let mut labels = vec![None; n];
    for (p, &i) in active.iter().enumerate() {
        labels[i] = Some(labels_active[p]);
    }
    let similarity = centroid_similarity(&embedding, &centroids);
    let silhouette = cosine_silhouette(&data, &labels_active);
    Ok(Clustering {
        k,
        labels,
        similarity,
        silhouette,
        k_table: vec![(k, silhouette)],
        embedding,
        centroids,
        params: params.clone(),
        sample: None,
        method: Method::ZeroShot { residual },
        split_off: 0,
    })
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
    let n_active = rows
        .iter()
        .filter(|r| r.iter().any(|&(_, w)| w != 0.0))
        .count();
    if n_active > SCALE_THRESHOLD {
        return cluster_sparse(rows, dims, params, guides);
    }
    let projection = Projection::new(dims, params.max_dims, params.seed);
    let embedding = projection.embed(rows);
    let active: Vec<usize> = (0..rows.len())
        .filter(|&i| embedding.row(i).iter().any(|&v| v != 0.0))
        .collect();
    let n = active.len();
    if n == 0 {
        return Err(Error::usage(tr!(
            "絞り込みの後に内容語の残るトークがなく、まとめられません",
            "no talk has any content term left after filtering; nothing to cluster"
        )));
    }
    let data = embedding.select(Axis(0), &active);
    let guide_rows: Vec<Array1<f64>> = guides
        .iter()
        .map(|g| projection.embed(std::slice::from_ref(g)).row(0).to_owned())
        .filter(|g| g.iter().any(|&v| v != 0.0))
        .collect();

    // One Gram matrix for every silhouette below (each k tried and the result).
    let silhouettes = CosineSilhouette::new(&data);
    let (k, labels_active, centroids, k_table) = match params.k {
        KChoice::Fixed(k) => {
            if k > n {
                return Err(Error::usage(tr!(
                    "--k {k} は内容語のあるトーク{n}件より多いです。--k {n} 以下か --k auto にしてください",
                    "--k {k} is more than the {n} talks that have content terms; use --k {n} or less, or --k auto"
                )));
            }
            let (labels, centroids) = fit_kmeans(&data, k, params, &guide_rows)?;
            let s = silhouettes.of(&labels);
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
                // The guides seed the first centroids of every k but do not set its lower
                // bound: on 54 talks of three topics, twelve entries with a little support
                // forced k ≥ 12 (benches/quality.sh, set c).
                let lo = min.min(hi);
                let mut fits = Vec::new();
                let mut table = Vec::new();
                for k in lo..=hi {
                    let (labels, centroids) = fit_kmeans(&data, k, params, &guide_rows)?;
                    let s = silhouettes.of(&labels);
                    table.push((k, s));
                    fits.push((k, labels, centroids, s));
                }
                // Parsimony: the smallest k whose silhouette is within `silhouette_tolerance`
                // of the best. Silhouettes of sparse text vectors differ by noise-level
                // amounts between neighbouring k; more themes must clearly earn their place.
                let best = fits.iter().map(|f| f.3).fold(f64::NEG_INFINITY, f64::max);
                let chosen = fits
                    .into_iter()
                    .find(|f| f.3 >= best - silhouette_tolerance(n))
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
    let similarity = centroid_similarity(&embedding, &centroids);
    let silhouette = silhouettes.of(&labels_active);
    Ok(Clustering {
        k,
        labels,
        similarity,
        silhouette,
        k_table,
        embedding,
        centroids,
        params: params.clone(),
        sample: None,
        method: Method::KMeans,
        split_off: 0,
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
    let fail = |e: linfa_clustering::KMeansError| {
        Error::usage(tr!("k-means が失敗しました({e})", "k-means failed: {e}"))
    };
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

/// Cosine of every talk (unit rows of `embedding`) with every unit centroid.
fn centroid_similarity(embedding: &Array2<f64>, centroids: &Array2<f64>) -> Vec<Vec<f64>> {
    embedding
        .rows()
        .into_iter()
        .map(|row| centroids.rows().into_iter().map(|c| row.dot(&c)).collect())
        .collect()
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

/// The non-empty clusters of `labels` (in talk order), largest first, then by first member.
fn size_order(labels: impl Iterator<Item = usize>, k: usize) -> Vec<usize> {
    let mut size = vec![0usize; k];
    let mut first = vec![usize::MAX; k];
    for (i, l) in labels.enumerate() {
        size[l] += 1;
        first[l] = first[l].min(i);
    }
    let mut order: Vec<usize> = (0..k).filter(|&c| size[c] > 0).collect();
    order.sort_by(|&a, &b| size[b].cmp(&size[a]).then(first[a].cmp(&first[b])));
    order
}

/// Drop empty clusters and order the rest by size (desc), then by first member.
fn renumber(
    labels: &[usize],
    centroids: &Array2<f64>,
    k: usize,
) -> (Vec<usize>, Array2<f64>, usize) {
    let order = size_order(labels.iter().copied(), k);
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
    CosineSilhouette::new(data).of(labels)
}

/// Silhouettes of several labelings of the same unit rows: their Gram matrix is computed on
/// first need and shared (choosing k scores up to 13 labelings of one set of talks).
struct CosineSilhouette<'a> {
    data: &'a Array2<f64>,
    gram: std::sync::OnceLock<Array2<f64>>,
}

impl<'a> CosineSilhouette<'a> {
    fn new(data: &'a Array2<f64>) -> Self {
        CosineSilhouette {
            data,
            gram: std::sync::OnceLock::new(),
        }
    }

    fn of(&self, labels: &[usize]) -> f64 {
        let k = labels.iter().copied().max().map_or(0, |m| m + 1);
        if self.data.nrows() < 2 || k < 2 {
            return 0.0;
        }
        let gram = self.gram.get_or_init(|| self.data.dot(&self.data.t()));
        silhouette_from_gram(gram, labels)
    }
}

/// Mean cosine silhouette from the talks' Gram matrix (cosines of unit vectors).
fn silhouette_from_gram(gram: &Array2<f64>, labels: &[usize]) -> f64 {
    let n = gram.nrows();
    let k = labels.iter().copied().max().map_or(0, |m| m + 1);
    if n < 2 || k < 2 {
        return 0.0;
    }
    let mut size = vec![0usize; k];
    for &l in labels {
        size[l] += 1;
    }
    // Each talk's score in parallel, summed in talk order: the same total on any thread count.
    let scores: Vec<Option<f64>> = (0..n)
        .into_par_iter()
        .map_init(
            || vec![0.0; k],
            |sums, i| {
                if size[labels[i]] <= 1 {
                    return None;
                }
                sums.iter_mut().for_each(|v| *v = 0.0);
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
                let s = (b - a) / a.max(b);
                (b.is_finite() && s.is_finite()).then_some(s)
            },
        )
        .collect();
    let mut total = 0.0;
    for s in scores.into_iter().flatten() {
        total += s;
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

/// Above this many talks with content terms, `cluster` works on the sparse TF-IDF rows
/// directly (`cluster_sparse`): no dense talks × terms matrix, no n × n Gram matrix.
pub const SCALE_THRESHOLD: usize = 500;
/// Talks (seeded sample) on which a large corpus's k is chosen and its silhouette computed.
pub const SAMPLE_TALKS: usize = 2000;
/// Width of the random projection kept as `Clustering::embedding` for large corpora (maps).
pub const MAP_DIMS: usize = 256;
/// Lloyd iterations over the whole corpus after the sample fit (stops earlier when stable).
pub const FULL_ITERATIONS: usize = 30;

/// Dense centroids stored term-major (`dims × k`), so a sparse row reads k contiguous values
/// per term.
struct Centroids {
    k: usize,
    /// `data[t * k + c]`.
    data: Vec<f64>,
    /// Squared norms.
    norm2: Vec<f64>,
}

impl Centroids {
    fn from_rows(rows: &[Vec<f64>], dims: usize) -> Self {
        let k = rows.len();
        let mut data = vec![0.0; dims * k];
        for (c, row) in rows.iter().enumerate() {
            for (t, &v) in row.iter().enumerate() {
                data[t * k + c] = v;
            }
        }
        let norm2 = rows.iter().map(|r| r.iter().map(|v| v * v).sum()).collect();
        Centroids { k, data, norm2 }
    }

    /// Dot products of a sparse row with every centroid.
    fn dots(&self, row: &SparseRow, out: &mut [f64]) {
        out.iter_mut().for_each(|v| *v = 0.0);
        for &(t, w) in row {
            let base = t as usize * self.k;
            let w = w as f64;
            for (o, &c) in out.iter_mut().zip(&self.data[base..base + self.k]) {
                *o += w * c;
            }
        }
    }

    /// Nearest centroid (squared Euclidean; rows are unit length) and its distance; ties go
    /// to the lower index.
    fn nearest(&self, row: &SparseRow, scratch: &mut [f64]) -> (usize, f64) {
        self.dots(row, scratch);
        let mut best = (0, f64::INFINITY);
        for (c, (&dot, &norm2)) in scratch.iter().zip(&self.norm2).enumerate() {
            let d = 1.0 - 2.0 * dot + norm2;
            if d < best.1 {
                best = (c, d);
            }
        }
        (best.0, best.1.max(0.0))
    }
}

fn sparse_to_dense(row: &SparseRow, dims: usize) -> Vec<f64> {
    let mut out = vec![0.0; dims];
    for &(t, w) in row {
        if (t as usize) < dims {
            out[t as usize] += w as f64;
        }
    }
    out
}

/// Assign every row to its nearest centroid, in parallel; the result does not depend on the
/// number of threads (each row is independent, the inertia is summed in row order).
fn assign_all(rows: &[&SparseRow], centroids: &Centroids) -> (Vec<usize>, f64) {
    let nearest: Vec<(usize, f64)> = rows
        .par_iter()
        .map_init(
            || vec![0.0; centroids.k],
            |scratch, row| centroids.nearest(row, scratch),
        )
        .collect();
    let inertia = nearest.iter().map(|&(_, d)| d).sum();
    (nearest.into_iter().map(|(c, _)| c).collect(), inertia)
}

/// Means of the rows per label; a cluster that lost all its talks keeps its old centroid.
fn sparse_means(
    rows: &[&SparseRow],
    labels: &[usize],
    previous: &[Vec<f64>],
    dims: usize,
) -> Vec<Vec<f64>> {
    let k = previous.len();
    let mut sums = vec![vec![0.0; dims]; k];
    let mut size = vec![0usize; k];
    for (row, &l) in rows.iter().zip(labels) {
        size[l] += 1;
        for &(t, w) in row.iter() {
            sums[l][t as usize] += w as f64;
        }
    }
    for c in 0..k {
        if size[c] == 0 {
            sums[c] = previous[c].clone();
        } else {
            let n = size[c] as f64;
            sums[c].iter_mut().for_each(|v| *v /= n);
        }
    }
    sums
}

/// Lloyd iterations from `init` until the labels are stable or the centroids move less than
/// `tolerance` (sum of squared shifts), at most `max_iterations`.
fn lloyd(
    rows: &[&SparseRow],
    dims: usize,
    init: Vec<Vec<f64>>,
    max_iterations: usize,
    tolerance: f64,
) -> (Vec<usize>, Vec<Vec<f64>>, f64) {
    let mut centroids = init;
    let (mut labels, mut inertia) = assign_all(rows, &Centroids::from_rows(&centroids, dims));
    for _ in 0..max_iterations {
        let next = sparse_means(rows, &labels, &centroids, dims);
        let shift: f64 = next
            .iter()
            .zip(&centroids)
            .map(|(a, b)| a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>())
            .sum();
        centroids = next;
        let (new_labels, new_inertia) = assign_all(rows, &Centroids::from_rows(&centroids, dims));
        let stable = new_labels == labels;
        labels = new_labels;
        inertia = new_inertia;
        if stable || shift < tolerance {
            break;
        }
    }
    (labels, centroids, inertia)
}

/// Lower each row's distance to its nearest chosen centroid with the newly chosen ones
/// (farthest-first and k-means++ seeding both keep this running minimum).
fn lower_nearest(dist: &mut [f64], rows: &[&SparseRow], new: &[Vec<f64>], dims: usize) {
    let mut scratch = [0.0];
    for c in new {
        let one = Centroids::from_rows(std::slice::from_ref(c), dims);
        for (d, row) in dist.iter_mut().zip(rows) {
            *d = d.min(one.nearest(row, &mut scratch).1);
        }
    }
}

/// k-means++ seeding on sparse unit rows.
fn kmeans_pp(
    rows: &[&SparseRow],
    dims: usize,
    k: usize,
    rng: &mut Xoshiro256Plus,
) -> Vec<Vec<f64>> {
    use rand::Rng;
    let n = rows.len();
    let mut chosen = vec![sparse_to_dense(rows[rng.gen_range(0..n)], dims)];
    let mut dist = vec![f64::INFINITY; n];
    while chosen.len() < k {
        lower_nearest(
            &mut dist,
            rows,
            std::slice::from_ref(chosen.last().expect("one")),
            dims,
        );
        let total: f64 = dist.iter().sum();
        let pick = if total > 0.0 {
            let mut target = rng.gen_range(0.0..total);
            let mut pick = n - 1;
            for (i, &d) in dist.iter().enumerate() {
                if target < d {
                    pick = i;
                    break;
                }
                target -= d;
            }
            pick
        } else {
            rng.gen_range(0..n)
        };
        chosen.push(sparse_to_dense(rows[pick], dims));
    }
    chosen
}

/// `guided_init` on sparse rows, density counted from the sample's Gram matrix.
fn guided_init_sparse(
    rows: &[&SparseRow],
    gram: &Array2<f64>,
    dims: usize,
    k: usize,
    guides: &[Vec<f64>],
) -> Vec<Vec<f64>> {
    let density: Vec<f64> = gram
        .rows()
        .into_iter()
        .map(|r| r.iter().filter(|&&c| c >= 0.2).count() as f64)
        .collect();
    let mut centroids: Vec<Vec<f64>> = guides.iter().take(k).cloned().collect();
    let mut nearest = vec![f64::INFINITY; rows.len()];
    let mut counted = 0;
    while centroids.len() < k {
        lower_nearest(&mut nearest, rows, &centroids[counted..], dims);
        counted = centroids.len();
        let mut pick = 0;
        let mut best = f64::NEG_INFINITY;
        for (i, (&d, &dens)) in nearest.iter().zip(&density).enumerate() {
            let score = d * dens.sqrt();
            if score > best {
                best = score;
                pick = i;
            }
        }
        centroids.push(sparse_to_dense(rows[pick], dims));
    }
    centroids
}

/// k-means on the sample: `n_runs` k-means++ restarts (best inertia wins), or one guided run.
fn fit_sparse(
    rows: &[&SparseRow],
    gram: &Array2<f64>,
    dims: usize,
    k: usize,
    params: &ClusterParams,
    guides: &[Vec<f64>],
) -> (Vec<usize>, Vec<Vec<f64>>) {
    let iterations = params.max_iterations as usize;
    if k == 1 {
        let labels = vec![0; rows.len()];
        let centroids = sparse_means(rows, &labels, &[vec![0.0; dims]], dims);
        return (labels, centroids);
    }
    if !guides.is_empty() {
        let init = guided_init_sparse(rows, gram, dims, k, guides);
        let (labels, centroids, _) = lloyd(rows, dims, init, iterations, 1e-6);
        return (labels, centroids);
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(params.seed.wrapping_add(k as u64));
    let mut best: Option<(Vec<usize>, Vec<Vec<f64>>, f64)> = None;
    for _ in 0..params.n_runs {
        let init = kmeans_pp(rows, dims, k, &mut rng);
        let run = lloyd(rows, dims, init, iterations, 1e-6);
        if best.as_ref().is_none_or(|b| run.2 < b.2) {
            best = Some(run);
        }
    }
    let (labels, centroids, _) = best.expect("n_runs ≥ 1");
    (labels, centroids)
}

/// Cosines between the sample's unit rows, from an inverted index: row i meets each later
/// row only on the terms they share, in term order. Rows are sorted by term, so each entry is
/// the same sum, product for product, as dotting the two rows (the terms only one of them has
/// add zeros), in time Σ df² instead of m² × row length; the same whatever the thread count.
fn sample_gram(rows: &[&SparseRow], dims: usize) -> Array2<f64> {
    let m = rows.len();
    // For each term, the rows using it (ascending) with their weights.
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); dims];
    for (j, row) in rows.iter().enumerate() {
        for &(t, w) in row.iter() {
            postings[t as usize].push((j as u32, w));
        }
    }
    let upper: Vec<Vec<f64>> = (0..m)
        .into_par_iter()
        .map(|i| {
            let mut out = vec![0.0f64; m - i];
            for &(t, w) in rows[i].iter() {
                let users = &postings[t as usize];
                let from = users.partition_point(|&(j, _)| (j as usize) < i);
                for &(j, v) in &users[from..] {
                    out[j as usize - i] += w as f64 * v as f64;
                }
            }
            out
        })
        .collect();
    let mut gram = Array2::zeros((m, m));
    for (i, row) in upper.iter().enumerate() {
        for (d, &v) in row.iter().enumerate() {
            gram[[i, i + d]] = v;
            gram[[i + d, i]] = v;
        }
    }
    gram
}

/// A seeded sample of `m` of `0..n` (all of them when n ≤ m), in increasing order.
fn sample_indices(n: usize, m: usize, seed: u64) -> Vec<usize> {
    use rand::Rng;
    if n <= m {
        return (0..n).collect();
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed ^ 0x5a3b_1e5a_3b1e_0001);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..m {
        let j = rng.gen_range(i..n);
        idx.swap(i, j);
    }
    idx.truncate(m);
    idx.sort_unstable();
    idx
}

/// Clustering of a large corpus in O(talks × terms per talk × k) time and memory:
/// k-means with cosine geometry straight on the sparse unit TF-IDF rows (centroids dense over
/// the vocabulary). k is chosen, restarts run and the silhouette is computed on a seeded
/// sample of `SAMPLE_TALKS` talks (one sparse Gram matrix of the sample, shared by every k);
/// the chosen fit then seeds Lloyd iterations over every talk (`FULL_ITERATIONS` at most).
/// Deterministic for a seed, whatever the number of threads. `cluster` takes this path
/// above `SCALE_THRESHOLD` talks; sub-themes take it from fewer (`subthemes::SPARSE_ABOVE`).
pub fn cluster_sparse(
    rows: &[SparseRow],
    dims: usize,
    params: &ClusterParams,
    guides: &[SparseRow],
) -> Result<Clustering> {
    params.check()?;
    let dims = dims.max(1);
    let active: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].iter().any(|&(_, w)| w != 0.0))
        .collect();
    let data: Vec<&SparseRow> = active.iter().map(|&i| &rows[i]).collect();
    let n = data.len();
    let sample = sample_indices(n, SAMPLE_TALKS, params.seed);
    let sample_rows: Vec<&SparseRow> = sample.iter().map(|&i| data[i]).collect();
    let m = sample_rows.len();
    let gram = timed("  gram", || sample_gram(&sample_rows, dims));
    let guide_rows: Vec<Vec<f64>> = guides
        .iter()
        .filter(|g| g.iter().any(|&(_, w)| w != 0.0))
        .map(|g| {
            let mut g = g.clone();
            crate::vectorize::normalize_l2(&mut g);
            sparse_to_dense(&g, dims)
        })
        .collect();

    let (k, sample_centroids, k_table) = timed("  choose k", || match params.k {
        KChoice::Fixed(k) => {
            if k > n {
                return Err(Error::usage(tr!(
                    "--k {k} は内容語のあるトーク{n}件より多いです。--k {n} 以下か --k auto にしてください",
                    "--k {k} is more than the {n} talks that have content terms; use --k {n} or less, or --k auto"
                )));
            }
            let (labels, centroids) = fit_sparse(&sample_rows, &gram, dims, k, params, &guide_rows);
            Ok((
                k,
                centroids,
                vec![(k, silhouette_from_gram(&gram, &labels))],
            ))
        }
        KChoice::Auto { min, max } => {
            let hi = max.min(m.saturating_sub(1)).max(2);
            let lo = min.min(hi);
            let mut fits = Vec::new();
            for k in lo..=hi {
                let (labels, centroids) =
                    fit_sparse(&sample_rows, &gram, dims, k, params, &guide_rows);
                fits.push((k, centroids, silhouette_from_gram(&gram, &labels)));
            }
            let table: Vec<(usize, f64)> = fits.iter().map(|f| (f.0, f.2)).collect();
            let best = fits.iter().map(|f| f.2).fold(f64::NEG_INFINITY, f64::max);
            let (k, centroids, _) = fits
                .into_iter()
                .find(|f| f.2 >= best - silhouette_tolerance(gram.nrows()))
                .expect("at least one k tried");
            Ok((k, centroids, table))
        }
    })?;

    // Refine on every talk from the sample's centroids.
    let (labels_active, centroids, _) = timed("  refine", || {
        lloyd(&data, dims, sample_centroids, FULL_ITERATIONS, 1e-8)
    });
    let dense = Array2::from_shape_vec((k, dims), centroids.into_iter().flatten().collect())
        .expect("k × dims");
    let (labels_active, centroids, k) = renumber(&labels_active, &dense, k);
    let centroids = normalize_rows(centroids);
    let unit: Vec<Vec<f64>> = centroids.rows().into_iter().map(|r| r.to_vec()).collect();
    let table = Centroids::from_rows(&unit, dims);
    let similarity: Vec<Vec<f64>> = rows
        .par_iter()
        .map(|row| {
            let mut out = vec![0.0; k];
            table.dots(row, &mut out);
            out
        })
        .collect();
    let mut labels = vec![None; rows.len()];
    for (pos, &talk) in active.iter().enumerate() {
        labels[talk] = Some(labels_active[pos]);
    }
    let sample_labels: Vec<usize> = sample.iter().map(|&i| labels_active[i]).collect();
    let silhouette = silhouette_from_gram(&gram, &sample_labels);

    // A narrow random projection for maps and diagnostics (the clustering did not use it).
    let projection = Projection::new(dims, MAP_DIMS, params.seed);
    let embedding = timed("  embed", || projection.embed(rows));
    let centroid_rows: Vec<SparseRow> = unit
        .iter()
        .map(|c| {
            c.iter()
                .enumerate()
                .filter(|&(_, &v)| v != 0.0)
                .map(|(t, &v)| (t as u32, v as f32))
                .collect()
        })
        .collect();
    let centroids = projection.embed(&centroid_rows);
    Ok(Clustering {
        k,
        labels,
        similarity,
        silhouette,
        k_table,
        embedding,
        centroids,
        params: params.clone(),
        sample: Some(m),
        method: Method::KMeans,
        split_off: 0,
    })
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
    fn a_split_off_theme_is_numbered_by_size_with_its_own_centroid() {
        let p = ClusterParams {
            k: KChoice::Fixed(2),
            ..Default::default()
        };
        let mut c = cluster(&rows(), 4, &p, &[]).unwrap();
        let before = c.labels.clone();
        // Two talks of the {2,3} group leave it: it keeps one talk and becomes the smallest.
        c.split_off(&[3, 4]);
        assert_eq!((c.k, c.split_off, c.k_chosen()), (3, 1, 2));
        assert_eq!(c.labels[3], c.labels[4]);
        assert_ne!(c.labels[3], c.labels[5]);
        assert_eq!(
            c.labels[0], before[0],
            "the untouched theme keeps its number"
        );
        assert_eq!(c.labels[3], Some(1), "two talks come before one");
        assert_eq!(c.labels[5], Some(2));
        assert_eq!(c.labels[6], None);
        assert_eq!(c.centroids.nrows(), 3);
        for row in c.centroids.rows() {
            assert!((row.dot(&row) - 1.0).abs() < 1e-9);
        }
        // Each talk is closest to its own theme.
        for (i, l) in c.labels.iter().enumerate() {
            if let Some(l) = *l {
                let sim = &c.similarity[i];
                assert_eq!(sim.len(), 3);
                assert!(
                    sim.iter().all(|&s| s <= sim[l] + 1e-12),
                    "talk {i}: {sim:?}"
                );
            }
        }
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

    #[test]
    fn zero_shot_groups_by_entry_and_makes_emergent_themes_only_from_shared_terms() {
        // Talks 0-2 point at entry column 0, talk 3 at column 1; talks 4 and 5 match no
        // entry but share term 7; talk 6 matches none and shares nothing; talk 7 is empty.
        let rows: Vec<SparseRow> = vec![
            vec![(0, 1.0)],
            vec![(0, 0.6), (1, 0.8)],
            vec![(1, 1.0)],
            vec![(2, 1.0)],
            vec![(7, 0.6), (8, 0.8)],
            vec![(7, 0.8), (9, 0.6)],
            vec![(11, 1.0)],
            vec![],
        ];
        let best = [Some(0), Some(0), Some(0), Some(1), None, None, None, None];
        let c = by_evidence(&rows, 12, &best, &ClusterParams::default()).unwrap();
        let l = &c.labels;
        assert_eq!(l[0], l[1]);
        assert_eq!(l[1], l[2]);
        assert_ne!(l[0], l[3]);
        assert_eq!(
            l[4], l[5],
            "two talks sharing a term form an emergent theme"
        );
        assert_ne!(l[4], l[0]);
        assert_eq!(l[7], None);
        // The lone unmatched talk shares nothing with any theme: the residual theme.
        let Method::ZeroShot { residual } = c.method else {
            panic!("zero-shot expected")
        };
        assert_eq!(l[6], residual);
        assert_eq!(c.k, 4);
        // Ordered by size: the three-talk theme first.
        assert_eq!(l[0], Some(0));
    }

    #[test]
    fn zero_shot_never_lists_a_talk_without_evidence_under_an_entrys_theme() {
        // Talk 2 shares a term with the entry's talks but has no evidence of its own.
        let rows: Vec<SparseRow> = vec![vec![(0, 1.0)], vec![(0, 0.8), (1, 0.6)], vec![(1, 1.0)]];
        let best = [Some(0), Some(0), None];
        let c = by_evidence(&rows, 2, &best, &ClusterParams::default()).unwrap();
        assert_eq!(c.k, 2);
        assert_eq!(c.labels[0], c.labels[1]);
        assert_ne!(c.labels[2], c.labels[0]);
        assert_eq!(
            c.method,
            Method::ZeroShot {
                residual: c.labels[2]
            }
        );
    }

    #[test]
    fn the_parsimony_tolerance_shrinks_with_the_talks_scored() {
        // A mean over more talks is less noisy: 37 talks tolerate 0.041, 292 only 0.015.
        assert!((silhouette_tolerance(37) - 0.0411).abs() < 1e-3);
        assert!((silhouette_tolerance(292) - 0.0146).abs() < 1e-3);
        assert!(silhouette_tolerance(2000) < silhouette_tolerance(292));
        assert!(silhouette_tolerance(0).is_finite());
        // Two tight groups of three: k 2 is chosen, and the clustering reports the tolerance
        // of its six talks.
        let rows: Vec<SparseRow> = (0..6)
            .map(|i| {
                if i < 3 {
                    vec![(0, 1.0), (1, 0.1)]
                } else {
                    vec![(2, 1.0), (3, 0.1)]
                }
            })
            .collect();
        let params = ClusterParams {
            k: KChoice::Auto { min: 2, max: 4 },
            ..ClusterParams::default()
        };
        let c = cluster(&rows, 4, &params, &[]).unwrap();
        assert_eq!(c.k, 2);
        assert!((c.silhouette_tolerance() - silhouette_tolerance(6)).abs() < 1e-12);
    }
}
