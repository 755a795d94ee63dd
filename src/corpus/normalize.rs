//! Title normalization and stable talk ids.
//!
//! `normalize_title` folds the spelling differences that copies of the same title pick up
//! on their way through CfP pages, blogs and spreadsheets: full/half width (NFKC), case,
//! punctuation, symbols and whitespace.

use unicode_normalization::UnicodeNormalization;

/// NFKC, lowercase, and only letters and digits kept (kana and kanji are letters).
pub fn normalize_title(s: &str) -> String {
    use unicode_normalization::{IsNormalized, is_nfkc_quick};
    if let Some(out) = ascii_and_caseless(s) {
        return out;
    }
    // Most titles and lines are NFKC already (kana, kanji, ASCII): the quick check spares
    // the decomposition and recomposition, the most of a recap post's reading time.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        // ASCII and kana/kanji without the general lowercase and alphanumeric tables (same
        // result).
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if !push_plain(c, &mut out) {
                out.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
            }
        }
        return out;
    }
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// `normalize_title` of a text of ASCII, kana and kanji only (a generated recap's headings,
/// most Japanese titles): NFKC already and every character a starter (a test checks), so the
/// quick check's two table lookups per character are spared; `None` for any other text.
fn ascii_and_caseless(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !push_plain(c, &mut out) {
            return None;
        }
    }
    Some(out)
}

/// Fold an ASCII, kana or kanji character as `normalize_title` does (lower-cased, kept only
/// when alphanumeric); `false`, with nothing pushed, for any other character.
fn push_plain(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
        true
    } else if is_caseless_letter(c) {
        out.push(c);
        true
    } else {
        false
    }
}

/// Kana and CJK ideographs: letters without case, so kept as they are without the general
/// lowercase and alphabetic tables (their binary searches were most of normalizing a
/// Japanese line).
fn is_caseless_letter(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}' | '\u{4E00}'..='\u{9FFF}')
}

/// FNV-1a 64-bit: a small hash whose output is fixed by its definition, so ids stay
/// the same across runs, platforms and Rust versions.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_on(0xcbf2_9ce4_8422_2325, bytes)
}

/// FNV-1a 64 of `bytes` continued from the hash `h` of what came before them.
fn fnv1a64_on(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Stable id of a talk: 16 hex digits of FNV-1a 64 over the normalized event and title.
pub fn talk_id(event: &str, title: &str) -> String {
    talk_id_in(&normalize_title(event), title)
}

/// `talk_id` with the event already normalized: a file's talks share one event, normalized
/// once instead of once per talk.
pub fn talk_id_in(normalized_event: &str, title: &str) -> String {
    // FNV-1a goes byte by byte: the event, U+001F and the title hashed in turn hash the key
    // "event\u{1f}title" without building it.
    let h = fnv1a64_on(fnv1a64(normalized_event.as_bytes()), b"\x1f");
    let h = fnv1a64_on(h, normalize_title(title).as_bytes());
    format!("{h:016x}")
}

/// A speaker as one name: CfP pages print a speaker as "handle display-name", which reads
/// "kazeburo kazeburo" when the two are the same; such a doubled name is written once.
pub fn speaker_name(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    let half = words.len() / 2;
    if half > 0 && words.len().is_multiple_of(2) && words[..half] == words[half..] {
        words[..half].join(" ")
    } else {
        s.trim().to_string()
    }
}

/// Character-bigram Dice similarity of two normalized titles, in [0, 1].
pub fn dice(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    dice_of_bigrams(&sorted_bigrams(a), &sorted_bigrams(b))
}

/// The character bigrams of `s`, sorted (a multiset).
pub fn sorted_bigrams(s: &str) -> Vec<(char, char)> {
    let cs: Vec<char> = s.chars().collect();
    let mut v: Vec<(char, char)> = cs.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v
}

/// Dice coefficient of two sorted bigram multisets (0 when either is empty).
pub fn dice_of_bigrams(x: &[(char, char)], y: &[(char, char)]) -> f64 {
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    // Multiset intersection of two sorted lists.
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

/// Trimmed line content without list markers (•, ・, -, *, "1.", "1)").
pub fn strip_bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for m in ["• ", "•", "・", "- ", "* ", "● ", "○ ", "◦ ", "▪ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some(rest.trim());
        }
    }
    if t == "-" || t == "•" {
        return Some("");
    }
    // Numbered: "1. " / "1) "
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 3 {
        let rest = &t[digits..];
        for m in [". ", ") ", "."] {
            if let Some(r) = rest.strip_prefix(m) {
                if m == "." && !r.is_empty() && !r.starts_with(' ') {
                    break;
                }
                return Some(r.trim());
            }
        }
    }
    None
}

/// True for http(s) URLs.
pub fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// Split a line's URLs out: (text without URLs, URLs).
pub fn split_urls(line: &str) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut urls = Vec::new();
    let mut rest = line;
    while let Some(pos) = find_url(rest) {
        text.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let end = tail
            .char_indices()
            .find(|&(_, c)| {
                c.is_whitespace() || matches!(c, ')' | '\u{FF09}' | '」' | '>' | '"' | '、' | '。')
            })
            .map_or(tail.len(), |(i, _)| i);
        urls.push(tail[..end].to_string());
        rest = &tail[end..];
    }
    text.push_str(rest);
    (text.split_whitespace().collect::<Vec<_>>().join(" "), urls)
}

fn find_url(s: &str) -> Option<usize> {
    match (s.find("https://"), s.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caseless_letters_are_what_the_general_tables_say() {
        for c in (0x3000u32..=0xA000).filter_map(char::from_u32) {
            if is_caseless_letter(c) {
                assert!(c.is_alphanumeric(), "{c:?}");
                assert!(c.to_lowercase().eq([c]), "{c:?}");
                // What lets `ascii_and_caseless` skip the NFKC quick check.
                assert_eq!(
                    unicode_normalization::is_nfkc_quick([c].into_iter()),
                    unicode_normalization::IsNormalized::Yes,
                    "{c:?}"
                );
                assert_eq!(
                    unicode_normalization::char::canonical_combining_class(c),
                    0,
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn a_doubled_speaker_name_is_written_once() {
        assert_eq!(speaker_name("kazeburo kazeburo"), "kazeburo");
        assert_eq!(speaker_name("Jane Doe Jane Doe"), "Jane Doe");
        assert_eq!(speaker_name("pyama86 P山"), "pyama86 P山");
        assert_eq!(speaker_name(" 那珂　将人 "), "那珂　将人");
        assert_eq!(speaker_name("a b a"), "a b a");
    }

    #[test]
    fn normalizes_width_case_punctuation_space() {
        assert_eq!(
            normalize_title("\u{FF33}\u{FF32}\u{FF25}、開発 QA\u{FF01}"),
            normalize_title("sre開発qa!")
        );
        assert_eq!(normalize_title("Re:Define  可用性"), "redefine可用性");
        // Kangxi radical ⾒ folds to 見 under NFKC.
        assert_eq!(
            normalize_title("原因を⾒付ける"),
            normalize_title("原因を見付ける")
        );
        assert_eq!(normalize_title("〜攻略ガイド〜"), "攻略ガイド");
    }

    #[test]
    fn ids_are_stable_and_spelling_insensitive() {
        let a = talk_id("SRE Kaigi 2025", "SREとしてスタッフエンジニアを目指す");
        assert_eq!(a.len(), 16);
        assert_eq!(
            a,
            talk_id("SRE Kaigi 2025", "SREとしてスタッフエンジニアを目指す ")
        );
        assert_ne!(
            a,
            talk_id("SRE NEXT 2023", "SREとしてスタッフエンジニアを目指す")
        );
        // Fixed by definition of FNV-1a: must never change.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn dice_scores_variants_high_and_others_low() {
        let n = normalize_title;
        let s = dice(
            &n("もっとSREの裾野を広げるための初学者向け技術研修設計"),
            &n("もっとSREを広げるための初学者向け技術研修設計"),
        );
        assert!(s > 0.8, "{s}");
        let t = dice(
            &n("信頼性目標とシステムアーキテクチャー"),
            &n("SREとしてスタッフエンジニアを目指す"),
        );
        assert!(t < 0.3, "{t}");
    }

    #[test]
    fn bullets_and_urls() {
        assert_eq!(strip_bullet("  • 感想"), Some("感想"));
        assert_eq!(strip_bullet("- アーカイブ動画:x"), Some("アーカイブ動画:x"));
        assert_eq!(strip_bullet("  1. Kubernetes"), Some("Kubernetes"));
        assert_eq!(strip_bullet("2025/01/26"), None);
        assert_eq!(strip_bullet("SRE"), None);
        let (t, u) = split_urls("https://www.amazon.co.jp/dp/B0B37Z76BY 初学者にいい");
        assert_eq!(t, "初学者にいい");
        assert_eq!(u, vec!["https://www.amazon.co.jp/dp/B0B37Z76BY"]);
    }
}
