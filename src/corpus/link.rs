//! Linking recap sections to talks of the same event by fuzzy title match: character
//! bigram Dice similarity of normalized titles (NFKC, width, case, punctuation, spaces).

use super::normalize::{dice, normalize_title};

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
}
