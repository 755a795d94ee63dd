//! Where each talk goes on the talk map: a layout of the theme space, so that the caption
//! 「点が近いトークほど似ています」 holds.
//!
//! A 2-D PCA of the talk vectors kept too little of a dozen themes: on the dev corpus 7 of 12
//! themes were, on the map, closer to another theme than to themselves. Here instead:
//! - each theme gets a disc whose area is proportional to its talks; the discs' centres come
//!   from a 2-D PCA of the theme centroids (classical MDS, so similar themes are neighbours),
//!   pushed apart until no two discs overlap;
//! - inside its disc a talk's distance from the centre is its rank by similarity to the
//!   theme's centroid (the most typical talk in the middle), and its direction comes from a
//!   PCA of the theme's own talks (talks that differ from the theme in the same way are side by
//!   side).
//!
//! Deterministic: PCA, fixed passes and fixed tie-breaks; no randomness at all.

use linfa::prelude::*;
use linfa_reduction::Pca;
use ndarray::{Array2, Axis};

use super::charts::{MapDisc, MapPoint};
use crate::corpus::Corpus;
use crate::fitted::Analysis;

/// Most talks drawn on the talk map (larger corpora are subsampled).
pub const MAP_POINTS: usize = 3000;

/// Empty space between two theme discs, in the layout's unit (about one dot spacing).
const GAP: f64 = 1.5;

/// The talk map's points for the clustered talks (talks without terms are left out), and
/// the discs of the themes that have talks on it.
pub fn talk_map_points(corpus: &Corpus, analysis: &Analysis) -> (Vec<MapPoint>, Vec<MapDisc>) {
    let labels = &analysis.clustering.labels;
    let mut active: Vec<usize> = (0..labels.len()).filter(|&i| labels[i].is_some()).collect();
    if active.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // A map of 100k dots is unreadable and its SVG huge: draw an evenly spaced (so
    // deterministic, and proportional across files and events) subset.
    if active.len() > MAP_POINTS {
        let m = active.len();
        active = (0..MAP_POINTS)
            .map(|j| active[j * m / MAP_POINTS])
            .collect();
    }
    let c = &analysis.clustering;
    let themes: Vec<usize> = active.iter().map(|&i| labels[i].unwrap_or(0)).collect();
    let typicality: Vec<f64> = active
        .iter()
        .zip(&themes)
        .map(|(&i, &t)| {
            c.similarity
                .get(i)
                .and_then(|s| s.get(t))
                .copied()
                .unwrap_or(0.0)
        })
        .collect();
    let rows = c.embedding.select(Axis(0), &active);
    let (xy, discs) = layout_with_discs(&rows, &themes, &typicality, &c.centroids);
    let discs = discs
        .into_iter()
        .enumerate()
        .filter(|(t, _)| themes.contains(t))
        .map(|(theme, ((x, y), r))| MapDisc { theme, x, y, r })
        .collect();
    let points = active
        .iter()
        .zip(themes)
        .zip(xy)
        .map(|((&i, theme), (x, y))| MapPoint {
            x,
            y,
            theme,
            title: corpus.talks[i].title.clone(),
            event: corpus.talks[i].event.clone(),
        })
        .collect();
    (points, discs)
}

/// Positions for talks with vectors `rows`, themes `themes` (indices into the rows of
/// `centroids`) and similarity `typicality` to their own theme's centroid.
pub fn layout(
    rows: &Array2<f64>,
    themes: &[usize],
    typicality: &[f64],
    centroids: &Array2<f64>,
) -> Vec<(f64, f64)> {
    layout_with_discs(rows, themes, typicality, centroids).0
}

/// A theme's disc on the map: (centre, radius).
pub type Disc = ((f64, f64), f64);

/// [`layout`], and each theme's disc, indexed by theme.
pub fn layout_with_discs(
    rows: &Array2<f64>,
    themes: &[usize],
    typicality: &[f64],
    centroids: &Array2<f64>,
) -> (Vec<(f64, f64)>, Vec<Disc>) {
    let k = centroids
        .nrows()
        .max(themes.iter().map(|&t| t + 1).max().unwrap_or(0));
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &t) in themes.iter().enumerate() {
        members[t].push(i);
    }
    // Disc radius: area proportional to the talks (one unit² per talk, a little spare).
    let radius: Vec<f64> = members
        .iter()
        .map(|m| (m.len() as f64).sqrt() * 0.9)
        .collect();
    let centres = disc_centres(centroids, &radius, themes.len());
    let mut out = vec![(0.0, 0.0); themes.len()];
    for (t, m) in members.iter().enumerate() {
        if m.is_empty() {
            continue;
        }
        let angles = directions(rows, m);
        // Most typical first; ties by talk order.
        let mut order: Vec<usize> = (0..m.len()).collect();
        order.sort_by(|&a, &b| {
            typicality[m[b]]
                .total_cmp(&typicality[m[a]])
                .then(a.cmp(&b))
        });
        let n = m.len() as f64;
        for (rank, &j) in order.iter().enumerate() {
            let r = if m.len() == 1 {
                0.0
            } else {
                radius[t] * ((rank as f64 + 0.5) / n).sqrt()
            };
            let (x, y) = centres[t];
            out[m[j]] = (x + r * angles[j].cos(), y + r * angles[j].sin());
        }
    }
    let discs = centres.into_iter().zip(radius).collect();
    (out, discs)
}

/// The direction of each member from its theme's centre: the angle of its first two
/// principal components among the members (golden-angle steps when there are too few).
fn directions(rows: &Array2<f64>, members: &[usize]) -> Vec<f64> {
    const GOLDEN: f64 = 2.399_963_229_728_653;
    let fallback: Vec<f64> = (0..members.len()).map(|j| j as f64 * GOLDEN).collect();
    if members.len() < 3 || rows.ncols() < 2 {
        return fallback;
    }
    let data = rows.select(Axis(0), members);
    let pcs = Pca::params(2)
        .fit(&DatasetBase::from(data.clone()))
        .ok()
        .map(|pca| pca.predict(&data))
        .filter(|p| p.ncols() >= 2 && p.nrows() == members.len());
    match pcs {
        Some(p) => (0..members.len())
            .map(|j| {
                let (a, b) = (p[[j, 0]], p[[j, 1]]);
                if a.is_finite() && b.is_finite() && (a != 0.0 || b != 0.0) {
                    b.atan2(a)
                } else {
                    fallback[j]
                }
            })
            .collect(),
        None => fallback,
    }
}

/// Centres of the theme discs: the centroids' 2-D PCA scaled to the map's size, then pushed
/// apart until discs keep [`GAP`] between them.
fn disc_centres(centroids: &Array2<f64>, radius: &[f64], talks: usize) -> Vec<(f64, f64)> {
    let k = radius.len();
    let on_circle = |i: usize| {
        let a = std::f64::consts::TAU * i as f64 / k.max(1) as f64;
        (a.cos(), a.sin())
    };
    let mut pos: Vec<(f64, f64)> = (0..k).map(on_circle).collect();
    if k >= 3 && centroids.nrows() == k && centroids.ncols() >= 2 {
        let fitted = Pca::params(2)
            .fit(&DatasetBase::from(centroids.clone()))
            .ok()
            .map(|pca| pca.predict(centroids))
            .filter(|p| p.ncols() >= 2 && p.nrows() == k && p.iter().all(|v| v.is_finite()));
        if let Some(p) = fitted {
            pos = (0..k).map(|i| (p[[i, 0]], p[[i, 1]])).collect();
        }
    }
    if k == 1 {
        return vec![(0.0, 0.0)];
    }
    // Scale to a root-mean-square distance from the middle of √talks.
    let (mx, my) = (
        pos.iter().map(|p| p.0).sum::<f64>() / k as f64,
        pos.iter().map(|p| p.1).sum::<f64>() / k as f64,
    );
    let rms = (pos
        .iter()
        .map(|p| (p.0 - mx).powi(2) + (p.1 - my).powi(2))
        .sum::<f64>()
        / k as f64)
        .sqrt();
    let scale = if rms > 1e-12 {
        (talks as f64).sqrt() / rms
    } else {
        1.0
    };
    for (i, p) in pos.iter_mut().enumerate() {
        *p = ((p.0 - mx) * scale, (p.1 - my) * scale);
        if rms <= 1e-12 {
            *p = on_circle(i);
        }
    }
    for _ in 0..500 {
        let mut moved = false;
        for a in 0..k {
            for b in a + 1..k {
                let need = radius[a] + radius[b] + GAP;
                let (dx, dy) = (pos[b].0 - pos[a].0, pos[b].1 - pos[a].1);
                let d = (dx * dx + dy * dy).sqrt();
                if d + 1e-9 >= need {
                    continue;
                }
                moved = true;
                // Coinciding centres part along a fixed direction of their own.
                let (ux, uy) = if d > 1e-9 {
                    (dx / d, dy / d)
                } else {
                    on_circle(b)
                };
                let push = (need - d) / 2.0 + 1e-6;
                pos[a] = (pos[a].0 - ux * push, pos[a].1 - uy * push);
                pos[b] = (pos[b].0 + ux * push, pos[b].1 + uy * push);
            }
        }
        if !moved {
            break;
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn talks_are_nearer_their_own_theme_and_the_layout_is_deterministic() {
        // Three themes on three axes, one talk off-centre in theme 0.
        let rows = array![
            [1.0, 0.0, 0.0],
            [0.9, 0.1, 0.0],
            [0.8, 0.0, 0.2],
            [0.0, 1.0, 0.0],
            [0.0, 0.9, 0.1],
            [0.0, 0.0, 1.0],
        ];
        let centroids = array![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        let themes = [0, 0, 0, 1, 1, 2];
        let typ = [0.99, 0.95, 0.9, 0.99, 0.98, 1.0];
        let xy = layout(&rows, &themes, &typ, &centroids);
        assert_eq!(xy, layout(&rows, &themes, &typ, &centroids));
        let d =
            |a: usize, b: usize| ((xy[a].0 - xy[b].0).powi(2) + (xy[a].1 - xy[b].1).powi(2)).sqrt();
        // Every talk is closer, on average, to the talks of its own theme than to those of
        // any other theme.
        let mean_to = |i: usize, t: usize| {
            let others: Vec<f64> = (0..6)
                .filter(|&j| j != i && themes[j] == t)
                .map(|j| d(i, j))
                .collect();
            others.iter().sum::<f64>() / others.len().max(1) as f64
        };
        for i in 0..6 {
            if themes.iter().filter(|&&t| t == themes[i]).count() < 2 {
                continue;
            }
            let own = mean_to(i, themes[i]);
            for t in (0..3).filter(|&t| t != themes[i]) {
                assert!(own < mean_to(i, t), "talk {i}: {own} vs theme {t}: {xy:?}");
            }
        }
        assert!(xy.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
    }
}
