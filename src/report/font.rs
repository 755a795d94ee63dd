//! The bundled Japanese font (IPAex Gothic, `assets/fonts/ipaexg.ttf`, IPA Font License).
//!
//! It is compiled into the binary so charts render Japanese glyphs on a machine with no fonts
//! installed: PNGs are rasterized by resvg with a font database holding only this font (system
//! fonts are never loaded, so output is the same everywhere), and SVG text is sized with this
//! font's advance widths (plotters-style byte-count estimates misplace Japanese text).

use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb;

/// The font file, embedded.
pub(crate) static FONT_DATA: &[u8] = include_bytes!("../../assets/fonts/ipaexg.ttf");

/// Family name of the bundled font as its name table spells it (what fontdb matches on).
pub(crate) const FONT_FAMILY: &str = "IPAexGothic";

/// `font-family` for SVG: the bundled font first, then Japanese fonts a browser is likely to
/// have, so the inline SVG of the HTML report shows Japanese even without IPAex installed.
pub(crate) const FONT_STACK: &str =
    "IPAexGothic, 'IPAexゴシック', 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif";

fn face() -> &'static ttf_parser::Face<'static> {
    static FACE: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    FACE.get_or_init(|| {
        ttf_parser::Face::parse(FONT_DATA, 0).expect("the bundled font is a valid TrueType file")
    })
}

/// A font database with only the bundled font, shared by all PNG renderings.
pub(crate) fn fontdb() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(Arc::new(FONT_DATA)));
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        db.set_cursive_family(FONT_FAMILY);
        db.set_fantasy_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Advance width of one character at `size` px (the .notdef advance for unknown characters,
/// which is what the renderer draws for them).
pub(crate) fn char_width(c: char, size: f64) -> f64 {
    let f = face();
    let gid = f.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
    let adv = f.glyph_hor_advance(gid).unwrap_or(0);
    f64::from(adv) / f64::from(f.units_per_em()) * size
}

/// Width of `s` set in the bundled font at `size` px.
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(|c| char_width(c, size)).sum()
}

/// Collapse runs of whitespace (including newlines) to one space and trim: labels are one line.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const ELLIPSIS: char = '…';

/// `s` if it fits in `max_w` px, else its longest prefix that fits followed by "…".
pub(crate) fn truncate(s: &str, max_w: f64, size: f64) -> String {
    if text_width(s, size) <= max_w {
        return s.to_string();
    }
    let budget = max_w - char_width(ELLIPSIS, size);
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = char_width(c, size);
        if w + cw > budget {
            break;
        }
        out.push(c);
        w += cw;
    }
    let mut out = out.trim_end().to_string();
    out.push(ELLIPSIS);
    out
}

/// Break `s` into at most `max_lines` lines of at most `max_w` px. Japanese breaks between
/// any two characters; Latin text breaks at the last space when there is one. The last line
/// ends in "…" when text is left over.
pub(crate) fn wrap(s: &str, max_w: f64, size: f64, max_lines: usize) -> Vec<String> {
    let s = one_line(s);
    let mut lines: Vec<String> = Vec::new();
    if max_lines == 0 || s.is_empty() {
        return lines;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut cur = String::new();
    let mut cur_w = 0.0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let cw = char_width(c, size);
        if cur_w + cw > max_w && !cur.is_empty() {
            if lines.len() + 1 == max_lines {
                let rest: String = cur.chars().chain(chars[i..].iter().copied()).collect();
                lines.push(truncate(&rest, max_w, size));
                return lines;
            }
            let (line, carry) = match cur.rfind(' ') {
                Some(p) if p > 0 && c != ' ' => (cur[..p].to_string(), cur[p + 1..].to_string()),
                _ if c != ' ' => match japanese_break(&cur, c) {
                    Some(p) => (cur[..p].to_string(), cur[p..].to_string()),
                    None => (cur.clone(), String::new()),
                },
                _ => (cur.clone(), String::new()),
            };
            lines.push(line.trim_end().to_string());
            cur = carry;
            cur_w = text_width(&cur, size);
            if c == ' ' && cur.is_empty() {
                i += 1; // a break eats the space
            }
            continue;
        }
        cur.push(c);
        cur_w += cw;
        i += 1;
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim_end().to_string());
    }
    lines
}

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

fn is_katakana(c: char) -> bool {
    ('\u{30A1}'..='\u{30FA}').contains(&c) || c == 'ー'
}

fn is_kanji(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '々'
}

/// Whether a Japanese line may break between `a` and `b`: not before closing punctuation,
/// small kana or ー, not inside a katakana word or a Latin word, and not between a kanji and
/// the hiragana that ends its word (「近/い」, 「使/う」). UAX #14 (the `unicode-linebreak`
/// crate) allows all of these between ideographs and kana, so the rule is written here.
fn may_break(a: char, b: char) -> bool {
    const NO_START: &str =
        "、。，．,.)）」』】〕〉》・:：;；!！?？ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々";
    const NO_END: &str = "(（「『【〔〈《";
    if NO_START.contains(b) || NO_END.contains(a) {
        return false;
    }
    let word = |c: char| c.is_ascii_alphanumeric();
    // 「15件」「3つ」: a number and its counter stay together.
    !(word(a) && word(b)
        || a.is_ascii_digit() && !b.is_ascii()
        || is_katakana(a) && is_katakana(b)
        || is_kanji(a) && is_hiragana(b)
        || is_kanji(a) && is_kanji(b))
}

/// Byte offset in `cur` at which to break a Japanese line that `next` would overflow: the
/// latest good break point in the last 60 % of the line, or `None` to break right before
/// `next`.
fn japanese_break(cur: &str, next: char) -> Option<usize> {
    let chars: Vec<(usize, char)> = cur.char_indices().collect();
    let last = chars.last()?.1;
    if may_break(last, next) {
        return None;
    }
    let floor = chars.len() * 2 / 5;
    (floor.max(1)..chars.len())
        .rev()
        .find(|&i| may_break(chars[i - 1].1, chars[i].1))
        .map(|i| chars[i].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_japanese_as_full_width() {
        let w = text_width("トーク", 20.0);
        assert!((w - 60.0).abs() < 0.5, "{w}");
        assert!(text_width("abc", 20.0) < 40.0);
    }

    #[test]
    fn fontdb_knows_the_family_name() {
        let db = fontdb();
        let names: Vec<String> = db
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.clone()))
            .collect();
        assert!(names.iter().any(|n| n == FONT_FAMILY), "{names:?}");
    }

    #[test]
    fn truncates_and_wraps() {
        let t = truncate("オブザーバビリティ入門", 100.0, 20.0);
        assert!(t.ends_with('…') && text_width(&t, 20.0) <= 100.0, "{t}");
        assert_eq!(truncate("SLO", 100.0, 20.0), "SLO");
        let lines = wrap(
            "勘に頼らず原因を見付けるためのオブザーバビリティ",
            100.0,
            20.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(lines.iter().all(|l| text_width(l, 20.0) <= 100.0));
        let lines = wrap("Observability for everyone at scale", 150.0, 20.0, 5);
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with(' ') && text_width(l, 20.0) <= 150.0)
        );
        assert_eq!(lines.join(" "), "Observability for everyone at scale");
        assert!(wrap("", 100.0, 20.0, 2).is_empty());
        // A Japanese line does not break inside 「近い」 or a katakana word, and may after ・.
        let name = "アーキテクチャ・マイクロサービス（52件）";
        assert_eq!(
            wrap(
                name,
                text_width("アーキテクチャ・マイクロサ", 20.0),
                20.0,
                2
            ),
            ["アーキテクチャ・", "マイクロサービス（52件）"]
        );
        assert_eq!(
            wrap(
                "ストレージ・データ（15件）",
                text_width("ストレージ・データ（15", 20.0),
                20.0,
                2
            ),
            ["ストレージ・データ", "（15件）"]
        );
        let note = "トークが自分のテーマのトークにどれだけ近いかの平均";
        for w in [230.0, 250.0, 270.0, 290.0, 310.0] {
            let lines = wrap(note, w, 20.0, 3);
            assert_eq!(lines.concat(), note, "{lines:?}");
            for pair in lines.windows(2) {
                let (a, b) = (
                    pair[0].chars().last().unwrap(),
                    pair[1].chars().next().unwrap(),
                );
                assert!(may_break(a, b), "{lines:?}");
            }
        }
        assert_eq!(wrap("あ", 1.0, 20.0, 2), vec!["あ".to_string()]);
    }
}
