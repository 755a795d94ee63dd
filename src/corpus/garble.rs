//! Garbled text (mojibake): replacement characters, UTF-8 read as Latin-1 / Windows-1252
//! ("ã‚¤ãƒ³"), or UTF-8 read as Shift_JIS ("繧､繝ｳ繧ｷ繝・Φ繝"). Such text would be clustered
//! as if it were words; readers' talks pass through `filter`, which drops garbled sections
//! (and talks whose title is garbled) and reports each as skipped with the reason.

use super::log::{SkipReason, Skipped};
use super::model::Talk;

/// Shift_JIS readings of the UTF-8 lead bytes of kana (E3 81/82/83) and of common kanji
/// rows: they almost never occur in real Japanese text, and are most of a UTF-8-as-SJIS text.
const SJIS_OF_UTF8: [char; 8] = ['縺', '繧', '繝', '竊', '髢', '蛻', '荳', '譛'];

fn cp1252_continuation(c: char) -> bool {
    matches!(c as u32, 0x80..=0xBF) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

/// Why `text` is garbled, if it is: at least three marks and 5% of its non-space characters
/// (a stray "é" or a quoted "�" is not enough).
pub fn garbled(text: &str) -> Option<&'static str> {
    // The three marks counted in one pass over the non-space characters, without collecting
    // them (every title and section of a file is judged: 200k of a 100k-heading recap).
    let (mut len, mut sjis, mut latin1, mut replacement) = (0usize, 0usize, 0usize, 0usize);
    let mut prev = None;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        len += 1;
        sjis += usize::from(SJIS_OF_UTF8.contains(&c));
        // A Latin-1 lead byte's character and a continuation byte's, side by side.
        latin1 += usize::from(
            prev.is_some_and(|p: char| matches!(p as u32, 0xC2..=0xEF)) && cp1252_continuation(c),
        );
        // Undecodable bytes replaced upstream, whatever the encoding was.
        replacement += usize::from(c == '\u{FFFD}');
        prev = Some(c);
    }
    if len == 0 {
        return None;
    }
    let enough = |n: usize| n >= 3 && n * 20 >= len;
    if enough(sjis) && sjis * 10 >= len {
        return Some("UTF-8 read as Shift_JIS (縺, 繧, 繝…)");
    }
    if enough(latin1) {
        return Some("UTF-8 read as Latin-1 (ã‚, Ã©…)");
    }
    if enough(replacement) {
        return Some("replacement characters (U+FFFD)");
    }
    None
}

/// Drop garbled sections and talks with a garbled title; the skipped parts say why. A file
/// is decoded as a whole, so when at least half of its talks have a garbled title the others
/// are taken as garbled too (a short title holds too few marks to tell on its own).
pub fn filter(talks: Vec<(Talk, usize)>) -> (Vec<(Talk, usize)>, Vec<Skipped>) {
    // Each title judged once (a recap post can hold 100k talks).
    let title_garbled: Vec<Option<&'static str>> =
        talks.iter().map(|(t, _)| garbled(&t.title)).collect();
    let bad_titles = title_garbled.iter().flatten().count();
    if bad_titles >= 2 && bad_titles * 2 >= talks.len() {
        let skipped = talks
            .iter()
            .zip(&title_garbled)
            .map(|((t, line), title_why)| {
                let lines = t
                    .sections
                    .first()
                    .map_or([(*line).max(1), (*line).max(1)], |s| s.source.lines);
                let why = title_why.unwrap_or("most of the file's titles are garbled");
                Skipped::new(lines, &t.title, SkipReason::Garbled(why.into()))
            })
            .collect();
        return (Vec::new(), skipped);
    }
    let mut kept = Vec::with_capacity(talks.len());
    let mut skipped = Vec::new();
    for ((mut t, line), title_why) in talks.into_iter().zip(title_garbled) {
        if let Some(why) = title_why {
            let lines = t
                .sections
                .first()
                .map_or([line.max(1), line.max(1)], |s| s.source.lines);
            skipped.push(Skipped::new(
                lines,
                &t.title,
                SkipReason::Garbled(why.into()),
            ));
            continue;
        }
        t.sections.retain(|s| match garbled(&s.text) {
            Some(why) => {
                skipped.push(Skipped::new(
                    s.source.lines,
                    &s.text,
                    SkipReason::Garbled(why.into()),
                ));
                false
            }
            None => true,
        });
        kept.push((t, line));
    }
    (kept, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_three_kinds_and_leaves_real_text() {
        // "インシデント対応" as UTF-8 bytes read as Windows-1252.
        let latin1: String = "インシデント対応の話"
            .bytes()
            .map(|b| match b {
                0x80..=0x9F => char::from_u32(b as u32).unwrap_or('?'),
                _ => b as char,
            })
            .collect();
        assert!(garbled(&latin1).is_some(), "{latin1}");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.decode("インシデント対応の話をします".as_bytes());
        assert_eq!(
            garbled(&sjis),
            Some("UTF-8 read as Shift_JIS (縺, 繧, 繝…)"),
            "{sjis}"
        );
        assert!(garbled("���� ���").is_some());
        for ok in [
            "インシデント対応の話をします。",
            "Café résumé naïve, a few accents.",
            "置換文字が一つ \u{FFFD} だけ入った長めの日本語の文章です。",
            "",
        ] {
            assert_eq!(garbled(ok), None, "{ok}");
        }
    }
}
