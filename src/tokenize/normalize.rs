//! Text normalization before segmentation: NFKC (full-width ASCII, half-width kana,
//! look-alike code points such as U+2F92 ⾒ → 見) and removal of URLs and e-mail addresses,
//! which would otherwise turn into noise terms (speakerdeck, com, https, …).

use unicode_normalization::UnicodeNormalization;

/// NFKC-normalize `text` and blank out URLs and e-mail addresses.
pub fn normalize(text: &str) -> String {
    let nfkc: String = if text.is_ascii() {
        text.to_string()
    } else {
        text.nfkc().collect()
    };
    strip_links(&nfkc)
}

/// Replace every URL (scheme://…, www.…) and e-mail address with a space. A link runs until
/// whitespace or a character that cannot appear in one (Japanese text, brackets, quotes).
fn strip_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        match find_link(rest) {
            Some((start, end)) => {
                out.push_str(&rest[..start]);
                out.push(' ');
                rest = &rest[end..];
            }
            None => {
                out.push_str(rest);
                break;
            }
        }
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
