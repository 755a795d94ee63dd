//! Term co-occurrence network (KH Coder's 共起ネットワーク): the most frequent terms as
//! nodes, an edge between two terms when the sets of talks using them overlap (Jaccard
//! coefficient at least a threshold), communities by greedy modularity, and a deterministic
//! force-directed layout.
//!
//! Everything here is deterministic: nodes in a fixed order (document frequency, then key),
//! community moves with fixed tie-breaks, and the layout from a fixed seed and iteration count.

use std::collections::{BTreeMap, HashMap};

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::tokenize::DisplayForms;
use crate::vectorize::TalkTerms;

/// Knobs of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkParams {
    /// Nodes: this many terms with the highest document frequency.
    pub top: usize,
    /// Terms used by at least this many talks.
    pub min_df: usize,
    /// Terms used by more than this share of talks are left out (SRE, 信頼性 at an SRE event).
    pub max_df: f64,
    /// An edge needs a Jaccard coefficient at least this.
    pub threshold: f64,
    /// Keep at most this many edges (strongest first).
    pub max_edges: usize,
    /// Seed of the layout.
    pub seed: u64,
}

impl Default for NetworkParams {
    fn default() -> Self {
        NetworkParams {
            top: 60,
            min_df: 2,
            max_df: 0.5,
            threshold: 0.2,
            max_edges: 120,
            seed: 0,
        }
    }
}

impl NetworkParams {
    pub fn check(&self) -> Result<()> {
        if self.top == 0 || self.min_df == 0 {
            return Err(Error::usage(tr!(
                "--top と --min-df は1以上にしてください",
                "--top and --min-df must be at least 1"
            )));
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            let got = self.max_df;
            return Err(Error::usage(tr!(
                "--max-df は (0, 1] の範囲にしてください({got} でした)",
                "--max-df must be in (0, 1], got {got}"
            )));
        }
        if !(self.threshold >= 0.0 && self.threshold <= 1.0) {
            let got = self.threshold;
            return Err(Error::usage(tr!(
                "--threshold は [0, 1] の範囲にしてください({got} でした)",
                "--threshold must be in [0, 1], got {got}"
            )));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub key: String,
    pub display: String,
    /// Talks using the term.
    pub talks: usize,
    /// Community index: 0 is the largest community; singletons come last.
    pub community: usize,
    /// Layout position in [0, 1] × [0, 1].
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub jaccard: f64,
    /// Talks using both terms.
    pub talks: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    /// Talks the network was built from.
    pub n_talks: usize,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Number of communities with at least two nodes.
    pub communities: usize,
}

/// Jaccard coefficient of two sorted, deduplicated sets: |A ∩ B| / |A ∪ B| (0 for two empty
/// sets).
pub fn jaccard(a: &[usize], b: &[usize]) -> f64 {
    let inter = intersection(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

fn intersection(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Build the network from the talks' terms.
pub fn build(talks: &[TalkTerms], params: &NetworkParams) -> Result<Network> {
    build_filtered(talks, params, |_| true)
}

/// [`build`] over the terms whose key passes `keep` only (e.g. leaving out the genre words
/// every theme uses, which otherwise become the hubs).
pub fn build_filtered(
    talks: &[TalkTerms],
    params: &NetworkParams,
    keep: impl Fn(&str) -> bool,
) -> Result<Network> {
    params.check()?;
    let n = talks.len();
    let mut sets: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut forms = DisplayForms::default();
    // A piece of a longer name the talks never use alone (アンド of アンドパッド) is no node.
    let standalone = crate::tokenize::standalone_keys(
        talks
            .iter()
            .flat_map(|t| [t.title.as_slice(), t.body.as_slice()]),
    );
    for (t, talk) in talks.iter().enumerate() {
        for term in talk.title.iter().chain(&talk.body) {
            if !standalone.contains(term.key.as_str())
                || !crate::tokenize::readable_alone(&term.display)
            {
                continue;
            }
            forms.add(term);
            let set = sets.entry(term.key.as_str()).or_default();
            if set.last() != Some(&t) {
                set.push(t);
            }
        }
    }
    let max_count = (params.max_df * n as f64).floor().max(1.0) as usize;
    let mut terms: Vec<(&str, Vec<usize>)> = sets
        .into_iter()
        .filter(|(key, s)| s.len() >= params.min_df && s.len() <= max_count && keep(key))
        .collect();
    terms.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    terms.truncate(params.top);

    let mut edges: Vec<Edge> = Vec::new();
    for a in 0..terms.len() {
        for b in a + 1..terms.len() {
            let j = jaccard(&terms[a].1, &terms[b].1);
            if j >= params.threshold && j > 0.0 {
                edges.push(Edge {
                    a,
                    b,
                    jaccard: j,
                    talks: intersection(&terms[a].1, &terms[b].1),
                });
            }
        }
    }
    edges.sort_by(|x, y| {
        y.jaccard
            .total_cmp(&x.jaccard)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    edges.truncate(params.max_edges);

    let weighted: Vec<(usize, usize, f64)> = edges.iter().map(|e| (e.a, e.b, e.jaccard)).collect();
    let community = communities(terms.len(), &weighted);
    let positions = layout(terms.len(), &weighted, params.seed);
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for &c in &community {
        *sizes.entry(c).or_default() += 1;
    }
    let nodes = terms
        .iter()
        .enumerate()
        .map(|(i, (key, set))| Node {
            key: key.to_string(),
            display: forms.best(key),
            talks: set.len(),
            community: community[i],
            x: positions[i].0,
            y: positions[i].1,
        })
        .collect();
    Ok(Network {
        n_talks: n,
        nodes,
        edges,
        communities: sizes.values().filter(|&&s| s >= 2).count(),
    })
}

/// Communities by greedy modularity (the local-moving phase of Louvain): each node in turn
/// joins the neighbouring community with the largest modularity gain, until no node moves.
/// Ties go to the smaller community label, so the result is deterministic. Communities are
/// then numbered by size (largest first, ties by smallest node), singletons last.
pub fn communities(n: usize, edges: &[(usize, usize, f64)]) -> Vec<usize> {
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut degree = vec![0.0f64; n];
    for &(a, b, w) in edges {
        if a >= n || b >= n || a == b || !(w.is_finite() && w > 0.0) {
            continue;
        }
        adj[a].push((b, w));
        adj[b].push((a, w));
        degree[a] += w;
        degree[b] += w;
    }
    let two_m: f64 = degree.iter().sum();
    let mut label: Vec<usize> = (0..n).collect();
    if two_m > 0.0 {
        let mut total: Vec<f64> = degree.clone();
        for _pass in 0..100 {
            let mut moved = false;
            for i in 0..n {
                if adj[i].is_empty() {
                    continue;
                }
                let own = label[i];
                total[own] -= degree[i];
                let mut links: BTreeMap<usize, f64> = BTreeMap::new();
                for &(j, w) in &adj[i] {
                    *links.entry(label[j]).or_default() += w;
                }
                let gain = |c: usize, k_in: f64| k_in - degree[i] * total[c] / two_m;
                let mut best = (own, gain(own, links.get(&own).copied().unwrap_or(0.0)));
                for (&c, &k_in) in &links {
                    let g = gain(c, k_in);
                    if g > best.1 + 1e-12 || ((g - best.1).abs() <= 1e-12 && c < best.0) {
                        best = (c, g);
                    }
                }
                total[best.0] += degree[i];
                if best.0 != own {
                    label[i] = best.0;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
    }
    // Renumber: by size descending, then smallest member; singletons after all groups.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &c) in label.iter().enumerate() {
        members.entry(c).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = members.into_values().collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut out = vec![0; n];
    for (c, group) in groups.iter().enumerate() {
        for &i in group {
            out[i] = c;
        }
    }
    out
}

/// Fruchterman–Reingold layout in the unit square with gravity toward the center (so
/// unconnected nodes stay in view), from a fixed seed and a fixed number of iterations.
/// Edge weights scale the attraction.
pub fn layout(n: usize, edges: &[(usize, usize, f64)], seed: u64) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![(0.5, 0.5)];
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|_| (rng.r#gen::<f64>(), rng.r#gen::<f64>()))
        .collect();
    let k = (1.0 / n as f64).sqrt();
    const ITERATIONS: usize = 400;
    let mut temperature = 0.1;
    let cooling = temperature / ITERATIONS as f64;
    for _ in 0..ITERATIONS {
        let mut disp = vec![(0.0f64, 0.0f64); n];
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(1e-4);
                let f = k * k / d;
                disp[i].0 += dx / d * f;
                disp[i].1 += dy / d * f;
                disp[j].0 -= dx / d * f;
                disp[j].1 -= dy / d * f;
            }
        }
        for &(a, b, w) in edges {
            if a >= n || b >= n || a == b || !w.is_finite() {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-4);
            let f = d * d / k * (0.5 + w);
            disp[a].0 -= dx / d * f;
            disp[a].1 -= dy / d * f;
            disp[b].0 += dx / d * f;
            disp[b].1 += dy / d * f;
        }
        for (p, d) in pos.iter_mut().zip(&mut disp) {
            // Gravity toward the center.
            d.0 -= (p.0 - 0.5) * 0.6;
            d.1 -= (p.1 - 0.5) * 0.6;
            let len = (d.0 * d.0 + d.1 * d.1).sqrt();
            if len > 0.0 {
                let step = len.min(temperature);
                p.0 += d.0 / len * step;
                p.1 += d.1 / len * step;
            }
        }
        temperature = (temperature - cooling).max(0.002);
    }
    // Scale to fill the unit square.
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in &pos {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let (w, h) = ((x1 - x0).max(1e-9), (y1 - y0).max(1e-9));
    pos.iter()
        .map(|&(x, y)| {
            let (sx, sy) = ((x - x0) / w, (y - y0) / h);
            (
                if sx.is_finite() { sx } else { 0.5 },
                if sy.is_finite() { sy } else { 0.5 },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk(words: &[&str]) -> TalkTerms {
        TalkTerms::from_words(&[], words)
    }

    #[test]
    fn jaccard_on_a_hand_made_example() {
        // 監視 in talks {0,1,2}, アラート in {1,2,3}: 2 shared of 4 → 0.5.
        assert_eq!(jaccard(&[0, 1, 2], &[1, 2, 3]), 0.5);
        assert_eq!(jaccard(&[0, 1], &[0, 1]), 1.0);
        assert_eq!(jaccard(&[0], &[1]), 0.0);
        assert_eq!(jaccard(&[], &[]), 0.0);
        // 1 shared of 5 → 0.2.
        assert!((jaccard(&[0, 1, 2], &[2, 3, 4]) - 0.2).abs() < 1e-12);

        let talks = vec![
            talk(&["監視", "slo"]),
            talk(&["監視", "アラート", "監視"]),
            talk(&["監視", "アラート"]),
            talk(&["アラート", "slo"]),
            talk(&["コスト"]),
            talk(&["コスト"]),
            talk(&["予算"]),
            talk(&["予算"]),
        ];
        let p = NetworkParams {
            threshold: 0.2,
            ..Default::default()
        };
        let net = build(&talks, &p).unwrap();
        let id = |k: &str| net.nodes.iter().position(|n| n.key == k).unwrap();
        assert_eq!(net.nodes[id("監視")].talks, 3);
        let edge = |a: &str, b: &str| {
            let (a, b) = (id(a).min(id(b)), id(a).max(id(b)));
            net.edges
                .iter()
                .find(|e| e.a == a && e.b == b)
                .map(|e| e.jaccard)
        };
        assert_eq!(edge("監視", "アラート"), Some(0.5));
        // slo {0,3} vs 監視 {0,1,2}: 1/4 = 0.25; コスト and 予算 share nothing.
        assert_eq!(edge("slo", "監視"), Some(0.25));
        assert_eq!(edge("コスト", "予算"), None);
        // A higher threshold drops the weaker edge.
        let strict = build(
            &talks,
            &NetworkParams {
                threshold: 0.3,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(strict.edges.len(), 1); // only 監視–アラート (0.5)
        assert!(
            build(
                &talks,
                &NetworkParams {
                    top: 0,
                    ..Default::default()
                }
            )
            .is_err()
        );
        assert!(
            build(&[], &NetworkParams::default())
                .unwrap()
                .nodes
                .is_empty()
        );
    }

    #[test]
    fn communities_on_a_toy_graph_are_the_two_triangles_every_time() {
        // Two triangles joined by one weak edge, plus an isolated node.
        let edges = vec![
            (0, 1, 1.0),
            (1, 2, 1.0),
            (0, 2, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
            (3, 5, 1.0),
            (2, 3, 0.1),
        ];
        let c = communities(7, &edges);
        assert_eq!(c, communities(7, &edges));
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_eq!(c[3], c[4]);
        assert_eq!(c[4], c[5]);
        assert_ne!(c[0], c[3]);
        assert_eq!(c[0], 0, "largest, first-listed community is 0");
        assert_eq!(c[6], 2, "singletons come last");
        // Layout is deterministic and inside the unit square.
        let a = layout(7, &edges, 0);
        assert_eq!(a, layout(7, &edges, 0));
        assert!(
            a.iter()
                .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y))
        );
        assert!(communities(0, &[]).is_empty());
        assert_eq!(communities(2, &[(0, 1, f64::NAN), (0, 9, 1.0)]), vec![0, 1]);
    }
}
