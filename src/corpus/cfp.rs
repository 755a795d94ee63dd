//! A CfP answer pasted into one text field (fortee's `abstract`, a Sessionize description):
//! the form's `■ ` label lines (■ 発表カテゴリ, ■ 発表概要(400字程度), ■ 対象聴衆 …, from
//! data/proposal-format.toml) split it into sections and metadata; another `■ ` label
//! opens an `other` section; the labels themselves, the form's instructions and lines that
//! are only a URL (→ links) never reach the text.

use super::model::{Section, Source};
use super::normalize::{split_urls, strip_bullet};
use super::proposals::{heading_kind, is_boilerplate, section_kind};

/// What a form text gave.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Form {
    pub sections: Vec<Section>,
    pub categories: Vec<String>,
    pub links: Vec<String>,
}

/// Split `text` (any line breaks) at known `■` labels. Text before the first label (or the
/// whole text, when there is none) is the abstract. URLs go to `links`. Every section's
/// source is `file` and `lines` (the record the text came from).
pub fn split(text: &str, file: &str, lines: [usize; 2]) -> Form {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = Form::default();
    let mut kind: &str = "abstract";
    let mut buf: Vec<String> = Vec::new();
    let flush = |kind: &str, buf: &mut Vec<String>, out: &mut Form| {
        let t = buf.join("\n").trim().to_string();
        buf.clear();
        if t.is_empty() || kind == "categories" {
            return;
        }
        let k = section_kind(kind);
        // Two parts of one kind (text before the labels and under 概要) stay one section.
        if let Some(s) = out.sections.iter_mut().find(|s| s.kind == k) {
            s.text.push('\n');
            s.text.push_str(&t);
        } else {
            out.sections.push(Section {
                kind: k,
                source: Source {
                    file: file.to_string(),
                    lines,
                },
                text: t,
            });
        }
    };
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(h) = line.strip_prefix('■')
            && let Some(k) = heading_kind(h)
        {
            flush(kind, &mut buf, &mut out);
            kind = k;
            continue;
        }
        if !line.is_empty() && is_boilerplate(line) {
            continue;
        }
        if kind == "categories" {
            let item = strip_bullet(raw).unwrap_or(line);
            let (t, urls) = split_urls(item);
            out.links.extend(urls);
            if !t.is_empty() {
                out.categories.push(t);
            }
            continue;
        }
        // An unknown "■ " label (the form's own, with a space) opens an other section;
        // "■xxx" without one is an author's sub-heading and stays text.
        if line.starts_with("■ ") || line.starts_with("■\u{3000}") {
            flush(kind, &mut buf, &mut out);
            kind = "other";
            continue;
        }
        let (rest, urls) = split_urls(line);
        out.links.extend(urls);
        // A line that is only a URL is a link, not text.
        if !line.is_empty() && rest.is_empty() {
            continue;
        }
        buf.push(raw.trim_end().to_string());
    }
    flush(kind, &mut buf, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::SectionKind;

    #[test]
    fn labels_become_sections_and_categories() {
        let f = split(
            "■ 発表カテゴリ\r\n・Tech: SREを支える技術\r\n■ 発表概要(400字程度)\r\nSLOの話です。\r\n詳しくは https://example.com/slo\r\n■ 対象聴衆として想定している人\r\nSRE初心者\r\n",
            "p.json",
            [3, 9],
        );
        assert_eq!(f.categories, ["Tech: SREを支える技術"]);
        assert_eq!(f.links, ["https://example.com/slo"]);
        let kinds: Vec<_> = f
            .sections
            .iter()
            .map(|s| (s.kind, s.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (
                    SectionKind::Abstract,
                    "SLOの話です。\n詳しくは https://example.com/slo"
                ),
                (SectionKind::Audience, "SRE初心者")
            ]
        );
        assert!(f.sections.iter().all(|s| s.source.lines == [3, 9]));
    }

    #[test]
    fn plain_text_is_the_abstract() {
        let f = split("ただの概要。\n\n二段落目。", "p.json", [1, 1]);
        assert_eq!(f.sections.len(), 1);
        assert_eq!(f.sections[0].text, "ただの概要。\n\n二段落目。");
        assert!(split("  \n", "p.json", [1, 1]).sections.is_empty());
    }
}
