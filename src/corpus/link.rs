//! Linking recap sections to talks of the same event by fuzzy title match: character
//! bigram Dice similarity of normalized titles (NFKC, width, case, punctuation, spaces).

use super::normalize::{dice, dice_of_bigrams, normalize_title, sorted_bigrams};

/// Below this a recap title is not taken for the talk. The seeds' real variants
/// (「…裾野を広げる…」/「…を広げる…」, 「…4年史」/「…5年史」) score above 0.85; unrelated titles
/// of one event stay below 0.35.
pub const THRESHOLD: f64 = 0.6;

/// Similarity of two titles in [0, 1] (1.0: equal after normalization).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize_title(a), normalize_title(b));
    if a == b {
        return 1.0;
    }
    // A recap may shorten a long title: containment of a long enough normalized title
    // is nearly as good as equality.
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if short.chars().count() >= 12 && long.contains(short.as_str()) {
        return 0.95;
    }
    dice(&a, &b)
}

/// The best candidate for `title`: (index, score), whatever the score.
pub fn best<'a>(
    title: &str,
    candidates: impl IntoIterator<Item = (usize, &'a str)>,
) -> Option<(usize, f64)> {
    candidates
        .into_iter()
        .map(|(i, c)| (i, similarity(title, c)))
        .fold(None, |acc: Option<(usize, f64)>, (i, s)| match acc {
            Some((_, b)) if b >= s => acc,
            _ => Some((i, s)),
        })
}

/// A title normalized once, with its sorted character bigrams.
#[derive(Debug, Clone)]
struct Prepared {
    norm: String,
    chars: usize,
    bigrams: Vec<(char, char)>,
}

fn prepare(title: &str) -> Prepared {
    let norm = normalize_title(title);
    Prepared {
        chars: norm.chars().count(),
        bigrams: sorted_bigrams(&norm),
        norm,
    }
}

/// `similarity` of two prepared titles (the same value, without normalizing again).
fn score(a: &Prepared, b: &Prepared) -> f64 {
    if a.norm == b.norm {
        return 1.0;
    }
    let (short, long) = if a.chars <= b.chars { (a, b) } else { (b, a) };
    if short.chars >= 12 && long.norm.contains(short.norm.as_str()) {
        return 0.95;
    }
    dice_of_bigrams(&a.bigrams, &b.bigrams)
}

/// Distinct bigrams of a sorted bigram list with their counts.
fn counted(bigrams: &[(char, char)]) -> Vec<((char, char), u32)> {
    let mut out: Vec<((char, char), u32)> = Vec::new();
    for b in bigrams {
        match out.last_mut() {
            Some((x, n)) if x == b => *n += 1,
            _ => out.push((*b, 1)),
        }
    }
    out
}

/// Most index entries one `Index::best` query visits. Titles are visited through their rarest
/// bigrams first (an equal title is found through a hash of the normalized titles, whatever
/// the visit); a title of the event that scores at least [`THRESHOLD`] shares over 40 % of the
/// query's bigrams, so it is met long before this many entries unless every one of those
/// bigrams is shared by hundreds of titles (generated titles, not a real event's: those have
/// a few hundred talks). Bounding the visit keeps linking N recap talks linear in N whatever
/// the titles share: 40k recap talks of one post sharing most bigrams went from 36 s to
/// seconds (benches/inputs_limits.sh).
pub const MAX_VISITED: usize = 512;

/// The talks of one event, indexed by title bigram: `best` scores only titles sharing a
/// bigram with the query (or equal to it), visiting at most [`MAX_VISITED`] index entries,
/// so linking N recaps to N talks needs no N² normalizations or comparisons.
#[derive(Debug, Default)]
pub struct Index {
    keys: Vec<usize>,
    items: Vec<Prepared>,
    /// Bigram → item positions (ascending: push order).
    postings: rustc_hash::FxHashMap<(char, char), Vec<u32>>,
    /// Normalized title → item positions: equal titles are found without a visit.
    by_norm: rustc_hash::FxHashMap<String, Vec<u32>>,
}

impl Index {
    pub fn of<'a>(titles: impl IntoIterator<Item = (usize, &'a str)>) -> Index {
        let mut ix = Index::default();
        for (k, t) in titles {
            ix.push(k, t);
        }
        ix
    }

    /// Add a title under the caller's key.
    pub fn push(&mut self, key: usize, title: &str) {
        let p = prepare(title);
        let pos = self.items.len() as u32;
        for (b, _) in counted(&p.bigrams) {
            self.postings.entry(b).or_default().push(pos);
        }
        self.by_norm.entry(p.norm.clone()).or_default().push(pos);
        self.keys.push(key);
        self.items.push(p);
    }

    /// The best allowed title for `title` among those sharing a bigram with it (or equal to
    /// it): (key, score), ties to the first pushed; `None` when none does. At or above
    /// [`THRESHOLD`] it is what `link::best` over every allowed title gives (see
    /// [`MAX_VISITED`] for the one exception).
    pub fn best(&self, title: &str, allowed: impl Fn(usize) -> bool) -> Option<(usize, f64)> {
        if self.items.is_empty() {
            return None;
        }
        let q = prepare(title);
        // An equal title scores 1.0, the most any can: the first allowed one is the answer.
        if let Some(&p) = self
            .by_norm
            .get(&q.norm)
            .into_iter()
            .flatten()
            .find(|&&p| allowed(self.keys[p as usize]))
        {
            return Some((self.keys[p as usize], 1.0));
        }
        let mut candidates: Vec<u32> = Vec::new();
        if q.bigrams.is_empty() {
            // No bigrams: only an equal title can score.
            candidates.extend(self.by_norm.get(&q.norm).into_iter().flatten());
        } else {
            let mut lists: Vec<&Vec<u32>> = counted(&q.bigrams)
                .iter()
                .filter_map(|(b, _)| self.postings.get(b))
                .collect();
            lists.sort_by_key(|l| l.len());
            let mut seen = rustc_hash::FxHashSet::default();
            let mut budget = MAX_VISITED;
            for l in lists {
                for &pos in l.iter().take(budget) {
                    if seen.insert(pos) {
                        candidates.push(pos);
                    }
                }
                budget = budget.saturating_sub(l.len());
                if budget == 0 {
                    break;
                }
            }
            candidates.sort_unstable();
        }
        let mut best: Option<(usize, f64)> = None;
        for pos in candidates {
            let p = pos as usize;
            if !allowed(self.keys[p]) {
                continue;
            }
            let s = score(&q, &self.items[p]);
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((p, s));
            }
        }
        best.map(|(p, s)| (self.keys[p], s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_variants_link_and_strangers_do_not() {
        let talks = [
            "もっとSREの裾野を広げるための初学者向け技術研修設計",
            "SREじゃなくてもできる!インシデント対応で鍛えたCREチームの4年史",
            "SREとしてスタッフエンジニアを目指す",
        ];
        let c = || talks.iter().enumerate().map(|(i, t)| (i, *t));
        let (i, s) = best("もっとSREを広げるための初学者向け技術研修設計", c()).unwrap();
        assert_eq!(i, 0);
        assert!((THRESHOLD..1.0).contains(&s), "{s}");
        let (i, s) = best(
            "SREじゃなくてもできる!インシデント対応で鍛えたCREチームの5年史",
            c(),
        )
        .unwrap();
        assert_eq!(i, 1);
        assert!(s >= 0.9, "{s}");
        let (_, s) = best(
            "横断SREの立ち上げと、AWSセキュリティへの取り組みの軌跡",
            c(),
        )
        .unwrap();
        assert!(s < THRESHOLD, "{s}");
        assert_eq!(similarity("Re:Define 可用性", "re define 可用性"), 1.0);
    }

    #[test]
    fn index_gives_what_the_full_scan_gives() {
        let talks = [
            "もっとSREの裾野を広げるための初学者向け技術研修設計",
            "SREじゃなくてもできる!インシデント対応で鍛えたCREチームの4年史",
            "SREとしてスタッフエンジニアを目指す",
            "全く関係のない題",
            "SREとしてスタッフエンジニアを目指す",
            "x",
        ];
        let ix = Index::of(talks.iter().enumerate().map(|(i, t)| (i * 10, *t)));
        for q in [
            "もっとSREを広げるための初学者向け技術研修設計",
            "SREとしてスタッフエンジニアを目指す",
            "共通点のないタイトル",
            "x",
            "",
            "SREじゃなくてもできる!インシデント対応",
        ] {
            for skip in [None, Some(20), Some(0)] {
                let allowed = |k: usize| Some(k) != skip;
                let full = best(
                    q,
                    talks
                        .iter()
                        .enumerate()
                        .map(|(i, t)| (i * 10, *t))
                        .filter(|(k, _)| allowed(*k)),
                );
                // Titles sharing nothing with the query are not candidates: no answer
                // where the full scan's best scores 0.
                let full = full.filter(|(_, s)| *s > 0.0);
                assert_eq!(ix.best(q, allowed), full, "{q} without {skip:?}");
            }
        }
        assert_eq!(Index::default().best("a", |_| true), None);
    }

    #[test]
    fn titles_sharing_every_bigram_cost_a_bounded_visit() {
        // 20,000 titles that all share most bigrams: each query visits at most MAX_VISITED
        // entries, and a title still finds its own copy through its rare bigrams.
        let titles: Vec<String> = (0..20_000).map(|i| format!("SRE Talk {i:05}")).collect();
        let ix = Index::of(titles.iter().enumerate().map(|(i, t)| (i, t.as_str())));
        for i in [0, 7_777, 19_999] {
            assert_eq!(ix.best(&titles[i], |_| true), Some((i, 1.0)));
        }
    }
}
