//! report.md: for posting as-is on Zenn, Qiita or Hatena Blog. Formats the section list
//! (`sections`); says nothing of its own.

use std::fmt::Write as _;

use super::sections::{Block, Document, Figure, Span, Table, Text};

/// Escape text for Markdown: characters with Markdown meaning get a backslash, and `<`/`>`
/// become entities so a title like `<script>` is shown, never interpreted, by blog engines.
/// Newlines, separators and tabs become spaces; other control and bidi characters are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if crate::sanitize::unsafe_char(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// A link destination that no Markdown engine misreads: characters that end a destination
/// or a table cell are percent-encoded (the `url` crate has encoded spaces and quotes).
fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            '|' => out.push_str("%7C"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            ' ' => out.push_str("%20"),
            '\\' => out.push_str("%5C"),
            '`' => out.push_str("%60"),
            c if crate::sanitize::unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn text(spans: &Text) -> String {
    let mut o = String::new();
    for span in spans {
        match span {
            Span::Plain(s) | Span::Muted(s) => o.push_str(&escape(s)),
            Span::Strong(s) if s.trim().is_empty() => o.push_str(&escape(s)),
            Span::Strong(s) => {
                let _ = write!(o, "**{}**", escape(s));
            }
            Span::Link { text, url } => {
                let _ = write!(o, "[{}]({})", escape(text), destination(url));
            }
            Span::Break => o.push_str("<br>"),
        }
    }
    o
}

fn table(o: &mut String, t: &Table) {
    if let Some(summary) = &t.folded {
        let _ = writeln!(o, "<details><summary>{}</summary>\n", escape(summary));
    }
    let headers: Vec<String> = t.columns.iter().map(|c| escape(&c.header)).collect();
    let rule: Vec<&str> = t
        .columns
        .iter()
        .map(|c| if c.numeric { "---:" } else { "---" })
        .collect();
    let _ = writeln!(o, "| {} |\n| {} |", headers.join(" | "), rule.join(" | "));
    for row in t.rows.iter().chain(&t.totals) {
        let cells: Vec<String> = row.iter().map(text).collect();
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    let _ = writeln!(o);
    if t.folded.is_some() {
        let _ = writeln!(o, "</details>\n");
    }
}

fn figure(o: &mut String, f: &Figure, png: bool) {
    let ext = if png { "png" } else { "svg" };
    let _ = writeln!(o, "![{}](charts/{}.{ext})\n", escape(&f.alt), f.stem);
    if !f.caption.is_empty() {
        let _ = writeln!(o, "{}\n", escape(&f.caption));
    }
}

/// `png`: the charts were also written as PNG (slides, blog engines that refuse SVG); the
/// images link those, otherwise the SVGs.
pub fn render(doc: &Document, png: bool) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", escape(&doc.title));
    let _ = writeln!(o, "**{}**\n", escape(&doc.contents_title));
    for s in &doc.sections {
        let indent = "  ".repeat(usize::from(s.level.saturating_sub(2)));
        let _ = writeln!(o, "{indent}- [{}](#{})", escape(&s.toc_title), s.id);
    }
    let _ = writeln!(o);
    for s in &doc.sections {
        // An explicit anchor: every blog engine slugs Japanese headings differently.
        let _ = writeln!(
            o,
            "<a id=\"{}\"></a>\n\n{} {}\n",
            s.id,
            "#".repeat(usize::from(s.level)),
            escape(&s.title)
        );
        for block in &s.blocks {
            match block {
                Block::Paragraph(t) | Block::Note(t) => {
                    let _ = writeln!(o, "{}\n", text(t));
                }
                Block::List { ordered, items } => {
                    let marker = if *ordered { "1." } else { "-" };
                    for item in items {
                        let _ = writeln!(o, "{marker} {}", text(item));
                    }
                    let _ = writeln!(o);
                }
                Block::Table(t) => table(&mut o, t),
                Block::Figure(f) => figure(&mut o, f, png),
            }
        }
    }
    o
}
