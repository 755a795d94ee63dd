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

/// The talks of one event, indexed by title bigram: `best` gives what `best` over all of
/// them would, counting shared bigrams through the index (titles sharing none score 0) so
/// linking N recaps to N talks needs no N² normalizations or comparisons.
#[derive(Debug, Default)]
pub struct Index {
    keys: Vec<usize>,
    items: Vec<Prepared>,
    /// Bigram → (item position, its count in that title).
    postings: std::collections::HashMap<(char, char), Vec<(u32, u32)>>,
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
        for (b, n) in counted(&p.bigrams) {
            self.postings.entry(b).or_default().push((pos, n));
        }
        self.keys.push(key);
        self.items.push(p);
    }

    /// `score` when the multiset of shared bigrams is already counted.
    fn score_with(q: &Prepared, it: &Prepared, common: u32) -> f64 {
        let (lq, li) = (q.bigrams.len(), it.bigrams.len());
        let c = common as usize;
        if c == lq && c == li && q.norm == it.norm {
            return 1.0;
        }
        let (short, long) = if q.chars <= it.chars {
            (q, it)
        } else {
            (it, q)
        };
        if short.chars >= 12 && c == short.bigrams.len() && long.norm.contains(short.norm.as_str())
        {
            return 0.95;
        }
        if lq == 0 || li == 0 {
            return 0.0;
        }
        2.0 * common as f64 / (lq + li) as f64
    }

    /// The best allowed title for `title`: (key, score), ties to the first pushed; the same
    /// answer as `link::best` over the allowed titles in push order.
    pub fn best(&self, title: &str, allowed: impl Fn(usize) -> bool) -> Option<(usize, f64)> {
        let q = prepare(title);
        let first = (0..self.items.len()).find(|&p| allowed(self.keys[p]))?;
        let mut best = (first, score(&q, &self.items[first]));
        if q.chars < 2 {
            // No bigrams: only equality can score; scan.
            for p in first + 1..self.items.len() {
                if allowed(self.keys[p]) {
                    let s = score(&q, &self.items[p]);
                    if s > best.1 {
                        best = (p, s);
                    }
                }
            }
            return Some((self.keys[best.0], best.1));
        }
        let mut common: Vec<u32> = vec![0; self.items.len()];
        let mut touched: Vec<u32> = Vec::new();
        for (b, nq) in counted(&q.bigrams) {
            for &(pos, ni) in self.postings.get(&b).map_or(&[][..], Vec::as_slice) {
                let c = &mut common[pos as usize];
                if *c == 0 {
                    touched.push(pos);
                }
                *c += nq.min(ni);
            }
        }
        touched.sort_unstable();
        for pos in touched {
            let p = pos as usize;
            if p == first || !allowed(self.keys[p]) {
                continue;
            }
            let s = Self::score_with(&q, &self.items[p], common[p]);
            if s > best.1 {
                best = (p, s);
            }
        }
        Some((self.keys[best.0], best.1))
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
                assert_eq!(ix.best(q, allowed), full, "{q} without {skip:?}");
            }
        }
        assert_eq!(Index::default().best("a", |_| true), None);
    }
}
