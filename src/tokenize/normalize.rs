//! Text normalization before segmentation: NFKC (full-width ASCII, half-width kana,
//! look-alike code points such as U+2F92 ⾒ → 見) and removal of URLs and e-mail addresses,
//! which would otherwise turn into noise terms (speakerdeck, com, https, …).

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// NFKC-normalize `text` and blank out URLs and e-mail addresses. Borrows `text` when it is
/// already normalized and has no link, as most talk text is.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let nfkc = nfkc(text);
    if find_link(&nfkc).is_none() {
        return nfkc;
    }
    Cow::Owned(strip_links(&nfkc))
}

/// Characters NFKC leaves alone and that never combine with the character before them:
/// ASCII, kana, the common kanji block, Japanese brackets and stops. A normalization
/// boundary lies before each, so text between them can be normalized piece by piece.
fn is_nfkc_stable(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | ' '..='~'
        | '\u{3001}'..='\u{3002}' | '\u{300C}'..='\u{300F}'
        | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FC}'
        | '\u{4E00}'..='\u{9FFF}')
}

/// NFKC of `text`, normalizing only the runs of other characters (full-width ASCII,
/// half-width kana, look-alikes), each with the stable character before it, which a
/// combining mark may compose with. Most talk text is left as it is, without a copy.
pub fn nfkc(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_nfkc_stable) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut prev_start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_nfkc_stable(c) {
            prev_start = Some(i);
            continue;
        }
        let mut run_end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if is_nfkc_stable(d) {
                break;
            }
            run_end = j + d.len_utf8();
            chars.next();
        }
        let chunk_start = prev_start.filter(|&p| p >= copied).unwrap_or(i);
        out.push_str(&text[copied..chunk_start]);
        out.extend(text[chunk_start..run_end].nfkc());
        copied = run_end;
        prev_start = None;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Replace every URL (scheme://…, www.…) and e-mail address with a space. A link runs until
/// whitespace or a character that cannot appear in one (Japanese text, brackets, quotes).
fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Line by line: no link spans a line break, and each search then rescans one line only.
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        while let Some((start, end)) = find_link(rest) {
            out.push_str(&rest[..start]);
            out.push(' ');
            rest = &rest[end..];
        }
        out.push_str(rest);
    }
    out
}

fn is_link_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'*+,;=%".contains(c)
}

/// Byte range of the first link in `text`, if any.
fn find_link(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut best: Option<(usize, usize)> = None;
    // URLs: a run of link characters containing "://" or starting with "www.".
    for marker in ["://", "www."] {
        if let Some(pos) = text.find(marker) {
            let start = text[..pos]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '+' || c == '.' || c == '-')
                .last()
                .map_or(pos, |(i, _)| i);
            let end = run_end(text, pos);
            if best.is_none_or(|(s, _)| start < s) {
                best = Some((start, end));
            }
        }
    }
    // E-mail: local@domain.tld, with at least one dot in the domain.
    let mut search = 0;
    while let Some(off) = text[search..].find('@') {
        let at = search + off;
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_ascii_alphanumeric() || "._%+-".contains(c))
            .last()
            .map_or(at, |(i, _)| i);
        let end = text[at + 1..]
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .map_or(text.len(), |(i, _)| at + 1 + i);
        let domain = &text[at + 1..end];
        if start < at && domain.contains('.') && !domain.starts_with('.') {
            if best.is_none_or(|(s, _)| start < s) {
                best = Some((start, end));
            }
            break;
        }
        search = at + 1;
        if search >= bytes.len() {
            break;
        }
    }
    best
}

fn run_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| !is_link_char(c))
        .map_or(text.len(), |(i, _)| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_folds_width_and_lookalikes() {
        assert_eq!(normalize("ＳＬＯ"), "SLO");
        assert_eq!(normalize("ｱﾗｰﾄ"), "アラート");
        assert_eq!(normalize("⾒付ける"), "見付ける");
        // A combining voiced mark composes with the stable kana before it.
        assert_eq!(
            nfkc("か\u{3099}と\u{309A}"),
            "がと\u{309A}".nfkc().collect::<String>()
        );
    }

    #[test]
    fn urls_and_emails_are_removed() {
        assert_eq!(normalize("https://speakerdeck.com/x/y-z").trim(), "");
        assert_eq!(
            normalize("資料はhttps://example.com/a?b=1です"),
            "資料は です"
        );
        assert_eq!(
            normalize("連絡先 foo.bar@example.co.jp まで"),
            "連絡先   まで"
        );
        assert_eq!(
            normalize("会の詳細 sre-next.dev/2023 と www.example.com"),
            "会の詳細 sre-next.dev/2023 と  "
        );
        assert_eq!(normalize("@tkzw さん"), "@tkzw さん");
    }
}
