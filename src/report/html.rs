//! report.html: the same content as report.md, self-contained (inline CSS and SVG, no
//! network, no JavaScript, no link to the charts folder: mailed or posted alone it is whole),
//! readable on a phone and printable. Formats the section list (`sections`); says nothing of
//! its own.
//!
//! Full size without JavaScript: each figure is its own anchor, and `figure:target` lays it
//! over the page at the chart's own 1600 px width (scrolling on a phone), where no chart text
//! is under 10 px; the SVG is in the page once.

use std::fmt::Write as _;

use super::sections::{Block, Document, Figure, Span, Table, Text};
use super::svg::escape;

const CSS: &str = "\
body{font-family:'IPAexGothic','IPAexゴシック','Hiragino Sans','Noto Sans CJK JP','Yu Gothic',sans-serif;\
line-height:1.7;color:#222;max-width:64rem;margin:0 auto;padding:1rem;overflow-wrap:break-word}\
h1{font-size:1.8rem;border-bottom:3px solid #0072B2;padding-bottom:.3rem}\
h2{font-size:1.4rem;margin-top:2.5rem;border-left:6px solid #0072B2;padding-left:.5rem}\
h3{font-size:1.15rem;margin-top:2rem}\
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.4em;vertical-align:-.1em}\
nav.toc{background:#f6f8fa;border-radius:6px;padding:.6rem 1rem;font-size:.95rem}\
nav.toc ol{margin:.2rem 0;padding-left:1.4rem}nav.toc ul{list-style:none;margin:0;padding-left:.6rem;font-size:.9rem}\
nav.toc ul li{display:inline-block;margin-right:1em}\
figure{margin:1.5rem 0}figure svg{display:block;width:100%;height:auto;border:1px solid #eee}\
figure>a.chart{display:block}a.close{display:none}\
figure:target{position:fixed;inset:0;z-index:10;margin:0;padding:3rem 1rem 1rem;background:#fff;overflow:auto}\
figure:target svg{width:1600px;max-width:none}figure:target a.close{display:block;position:fixed;top:.5rem;right:1rem;\
background:#0072B2;color:#fff;padding:.4rem .9rem;border-radius:4px;text-decoration:none}\
figcaption{color:#555;font-size:.9rem;margin-top:.3rem}figcaption a{white-space:nowrap}\
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5rem 0;border:1px solid #eee}\
table{border-collapse:collapse;min-width:100%;font-size:.92rem}\
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .4rem;text-align:left;vertical-align:top}\
th{background:#fafafa}td,th{min-width:5.5em}td:first-child,th:first-child{min-width:12em}\
td.num,th.num{text-align:right;white-space:nowrap}\
.kw{color:#444}.muted{color:#666;font-size:.9rem}\
details summary{cursor:pointer;color:#0072B2}\
@media print{details{display:block}details>*{display:block}figure{break-inside:avoid}h2,h3{break-after:avoid}.scroll{overflow:visible}}\
@media (max-width:40rem){body{padding:.6rem}h1{font-size:1.45rem}h2{font-size:1.2rem}table{font-size:.85rem}}";

fn text(spans: &Text) -> String {
    let mut o = String::new();
    for span in spans {
        match span {
            Span::Plain(s) => o.push_str(&escape(s)),
            Span::Strong(s) => {
                let _ = write!(o, "<strong>{}</strong>", escape(s));
            }
            Span::Muted(s) => {
                let _ = write!(o, "<span class=\"muted\">{}</span>", escape(s));
            }
            Span::Link { text, url } => {
                let _ = write!(
                    o,
                    "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                    escape(url),
                    escape(text)
                );
            }
            Span::Break => o.push_str("<br>"),
        }
    }
    o
}

fn table(o: &mut String, t: &Table) {
    if let Some(summary) = &t.folded {
        let _ = writeln!(o, "<details><summary>{}</summary>", escape(summary));
    }
    // Wide tables scroll inside their own box instead of widening the page on a phone.
    let _ = write!(o, "<div class=\"scroll\"><table>\n<tr>");
    let class = |numeric: bool| if numeric { " class=\"num\"" } else { "" };
    for c in &t.columns {
        let _ = write!(o, "<th{}>{}</th>", class(c.numeric), escape(&c.header));
    }
    let _ = writeln!(o, "</tr>");
    for row in &t.rows {
        let _ = write!(o, "<tr>");
        for (cell, c) in row.iter().zip(&t.columns) {
            let _ = write!(o, "<td{}>{}</td>", class(c.numeric), text(cell));
        }
        let _ = writeln!(o, "</tr>");
    }
    if let Some(totals) = &t.totals {
        let _ = write!(o, "<tr>");
        for (cell, c) in totals.iter().zip(&t.columns) {
            let _ = write!(o, "<th{}>{}</th>", class(c.numeric), text(cell));
        }
        let _ = writeln!(o, "</tr>");
    }
    let _ = writeln!(o, "</table></div>");
    if t.folded.is_some() {
        let _ = writeln!(o, "</details>");
    }
}

fn figure(o: &mut String, f: &Figure, svg: &str, doc: &Document) {
    // The chart itself and the caption's link open the full-size view (this figure as the
    // page's target); 「閉じる」 goes back to where the reader was.
    let _ = writeln!(
        o,
        "<figure id=\"chart-{stem}\">\n<a class=\"close\" href=\"#fig-{stem}\">{}</a>\n<a class=\"chart\" id=\"fig-{stem}\" href=\"#chart-{stem}\">{svg}</a>\n<figcaption>{} <a href=\"#chart-{stem}\">{}</a></figcaption>\n</figure>",
        escape(&doc.close_chart),
        escape(&f.caption),
        escape(&doc.open_chart),
        stem = escape(&f.stem),
    );
}

/// `svgs`: (file stem, inline SVG) of every chart the document shows.
pub fn render(doc: &Document, svgs: &[(String, String)]) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>/*FONT*/{CSS}</style>\n</head>\n<body>\n",
        doc.lang.pick("ja", "en"),
        escape(&doc.title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", escape(&doc.title));
    let _ = write!(
        o,
        "<nav class=\"toc\"><strong>{}</strong>\n<ol>",
        escape(&doc.contents_title)
    );
    for (n, s) in doc.sections.iter().enumerate() {
        let next_is_child = doc.sections.get(n + 1).is_some_and(|x| x.level > 2);
        let _ = write!(
            o,
            "\n<li><a href=\"#{}\">{}</a>",
            s.id,
            escape(&s.toc_title)
        );
        match (s.level > 2, next_is_child) {
            (false, true) => o.push_str("\n<ul>"),
            (true, false) => o.push_str("</li>\n</ul></li>"),
            _ => o.push_str("</li>"),
        }
    }
    let _ = writeln!(o, "\n</ol></nav>");
    for s in &doc.sections {
        let swatch = s
            .swatch
            .as_deref()
            .map(|c| {
                format!(
                    "<span class=\"swatch\" style=\"background:{}\"></span>",
                    escape(c)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "<h{lvl} id=\"{}\">{swatch}{}</h{lvl}>",
            s.id,
            escape(&s.title),
            lvl = s.level
        );
        for block in &s.blocks {
            match block {
                Block::Paragraph(t) => {
                    let _ = writeln!(o, "<p>{}</p>", text(t));
                }
                Block::Note(t) => {
                    let _ = writeln!(o, "<p class=\"muted\">{}</p>", text(t));
                }
                Block::List { ordered, items } => {
                    let tag = if *ordered { "ol" } else { "ul" };
                    let _ = writeln!(o, "<{tag}>");
                    for item in items {
                        let _ = writeln!(o, "<li>{}</li>", text(item));
                    }
                    let _ = writeln!(o, "</{tag}>");
                }
                Block::Table(t) => table(&mut o, t),
                Block::Figure(f) => {
                    if let Some((_, svg)) = svgs.iter().find(|(stem, _)| *stem == f.stem) {
                        figure(&mut o, f, svg, doc);
                    }
                }
            }
        }
    }
    let _ = writeln!(o, "</body>\n</html>");
    // Embed the glyphs this page uses, so it reads in Japanese on any machine, with no
    // network and no Japanese font installed (the charts' SVG uses the same family name).
    let font_face = super::font_subset::subset_for(&o)
        .map(|font| {
            format!(
                "@font-face{{font-family:'IPAexGothic';src:url(data:font/ttf;base64,{}) format('truetype');}}",
                super::font_subset::base64(&font)
            )
        })
        .unwrap_or_default();
    o.replacen("/*FONT*/", &font_face, 1)
}
