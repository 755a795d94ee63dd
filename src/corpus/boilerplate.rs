//! Boilerplate: lines and sentences repeated verbatim across talks of one source file — a
//! CfP template's fixed sentences, slide footers and copyright lines in slide transcripts,
//! a blog's "スライドはこちら" under every talk, site chrome in saved pages. They say
//! nothing about any talk's topic, yet TF-IDF would count them in every talk they touch
//! (Amazon / Web / Services / Inc / reserved came from one such footer). Found from the
//! corpus itself, not from a list; the talk's text in the corpus stays as written, only the
//! tokenizer skips these units.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::model::Corpus;

/// A unit repeated in at least this many distinct talks of one file is boilerplate.
pub const MIN_TALKS: usize = 3;
/// Units shorter than this (in characters) are left alone: short labels such as 「概要」 are
/// the readers' business, and short common phrases can be content.
const MIN_CHARS: usize = 8;

/// The boilerplate units of each source file.
#[derive(Debug, Default, Clone)]
pub struct Boilerplate {
    units: HashMap<String, HashSet<String>>,
}

/// Lines, each split after 。！？ so a footer glued to a sentence is still found.
fn units(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .flat_map(|line| line.split_inclusive(['。', '！', '？']))
        .map(str::trim)
        .filter(|u| u.chars().count() >= MIN_CHARS)
}

impl Boilerplate {
    pub fn find(corpus: &Corpus) -> Boilerplate {
        // (file, unit) → talks using it.
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for talk in &corpus.talks {
            let mut mine: HashSet<(&str, &str)> = HashSet::new();
            for section in &talk.sections {
                for unit in units(&section.text) {
                    mine.insert((section.source.file.as_str(), unit));
                }
            }
            for key in mine {
                *seen.entry(key).or_default() += 1;
            }
        }
        let mut units: HashMap<String, HashSet<String>> = HashMap::new();
        for ((file, unit), n) in seen {
            if n >= MIN_TALKS {
                units
                    .entry(file.to_string())
                    .or_default()
                    .insert(unit.to_string());
            }
        }
        Boilerplate { units }
    }

    /// Number of distinct boilerplate units found.
    pub fn len(&self) -> usize {
        self.units.values().map(HashSet::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `text` (from `file`) without its boilerplate units.
    pub fn strip<'a>(&self, file: &str, text: &'a str) -> Cow<'a, str> {
        let Some(set) = self.units.get(file) else {
            return Cow::Borrowed(text);
        };
        if !units(text).any(|u| set.contains(u)) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        for line in text.lines() {
            for piece in line.split_inclusive(['。', '！', '？']) {
                if !set.contains(piece.trim()) {
                    out.push_str(piece);
                }
            }
            out.push('\n');
        }
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Section, SectionKind, Source, Talk};

    fn talk(title: &str, file: &str, text: &str) -> Talk {
        let mut t = Talk::new(title.to_string());
        t.sections.push(Section {
            kind: SectionKind::Other,
            source: Source {
                file: file.to_string(),
                lines: [1, 1],
            },
            text: text.to_string(),
        });
        t
    }

    const FOOTER: &str =
        "© 2024, Amazon Web Services, Inc. or its affiliates. All rights reserved.";

    #[test]
    fn a_footer_repeated_in_three_talks_of_one_file_is_removed_content_stays() {
        let corpus = Corpus {
            talks: vec![
                talk(
                    "A",
                    "slides.txt",
                    &format!("EKSでコストを下げた話です。\n{FOOTER}"),
                ),
                talk(
                    "B",
                    "slides.txt",
                    &format!("{FOOTER}\nオンコールの負担を減らした。"),
                ),
                talk("C", "slides.txt", &format!("SLOを決めた。{FOOTER}")),
                talk("D", "other.txt", FOOTER),
            ],
        };
        let bp = Boilerplate::find(&corpus);
        assert_eq!(bp.len(), 1);
        let a = bp.strip("slides.txt", &corpus.talks[0].sections[0].text);
        assert!(a.contains("EKSでコストを下げた話です。"), "{a}");
        assert!(!a.contains("reserved"), "{a}");
        assert!(
            !bp.strip("slides.txt", "SLOを決めた。 ")
                .contains("reserved")
        );
        // Another file with the footer only once: not boilerplate there.
        assert_eq!(bp.strip("other.txt", FOOTER), FOOTER);
    }

    #[test]
    fn a_sentence_in_two_talks_is_content() {
        let s = "Kubernetesのアップグレードを自動化しました。";
        let corpus = Corpus {
            talks: vec![
                talk("A", "f", s),
                talk("B", "f", s),
                talk("C", "f", "別の話題です。"),
            ],
        };
        assert!(Boilerplate::find(&corpus).is_empty());
    }
}
