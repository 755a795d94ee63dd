//! report.html: the same content as report.md, self-contained (inline CSS and SVG, no
//! network, no JavaScript), readable on a phone and printable.

use std::fmt::Write as _;

use super::model::{ReportModel, TalkRef};
use super::svg::escape;
use crate::compare::{NO_TERMS, TERMS_LEGEND, term_with_z};
use crate::lang::Lang;

const CSS: &str = "\
body{font-family:'IPAexGothic','IPAexゴシック','Hiragino Sans','Noto Sans CJK JP','Yu Gothic',sans-serif;\
line-height:1.7;color:#222;max-width:60rem;margin:0 auto;padding:1rem;}\
h1{font-size:1.8rem;border-bottom:3px solid #0072B2;padding-bottom:.3rem}\
h2{font-size:1.4rem;margin-top:2.5rem;border-left:6px solid #0072B2;padding-left:.5rem}\
h3{font-size:1.15rem;margin-top:2rem}\
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.4em;vertical-align:-.1em}\
figure{margin:1.5rem 0}figure svg{width:100%;height:auto;border:1px solid #eee}\
figcaption{color:#666;font-size:.9rem}\
table{border-collapse:collapse;width:100%;font-size:.92rem}\
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .4rem;text-align:left;vertical-align:top}\
td.num,th.num{text-align:right;white-space:nowrap}\
.kw{color:#444}.muted{color:#666;font-size:.9rem}\
details summary{cursor:pointer;color:#0072B2}\
@media print{details{display:block}details>*{display:block}figure{break-inside:avoid}h2,h3{break-after:avoid}}\
@media (max-width:40rem){body{padding:.5rem}table{font-size:.85rem}}";

fn talk_line(t: &TalkRef, lang: Lang) -> String {
    let speakers = if t.speakers.is_empty() {
        String::new()
    } else {
        format!(" — {}", escape(&t.speakers.join(", ")))
    };
    let recap = if t.has_recap {
        format!(
            " <span class=\"muted\">[{}]</span>",
            lang.pick("振り返りあり", "recap")
        )
    } else {
        String::new()
    };
    format!(
        "<strong>{}</strong>{} <span class=\"muted\">({})</span>{}",
        escape(&t.title),
        speakers,
        escape(&t.event),
        recap
    )
}

/// The coding section: codes × events, then each code's rule, test and talks (folded).
fn coding(o: &mut String, c: &super::model::CodingSection, lang: Lang) {
    let _ = write!(
        o,
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th>",
        lang.pick("コーディング", "Coding"),
        lang.pick("コード", "Code")
    );
    for e in &c.events {
        let _ = write!(o, "<th class=\"num\">{}</th>", escape(e));
    }
    let _ = writeln!(
        o,
        "<th class=\"num\">{}</th></tr>",
        lang.pick("計", "Total")
    );
    for code in &c.codes {
        let _ = write!(o, "<tr><td>{}</td>", escape(&code.label));
        for (&n, &t) in code.counts.iter().zip(&c.totals) {
            let _ = write!(
                o,
                "<td class=\"num\">{n} ({:.0}%)</td>",
                100.0 * n as f64 / t.max(1) as f64
            );
        }
        let _ = writeln!(o, "<td class=\"num\">{}</td></tr>", code.total);
    }
    let _ = writeln!(o, "</table>");
    for code in &c.codes {
        let _ = writeln!(
            o,
            "<details><summary>{} ({})</summary>\n<p>{}: <code>{}</code>. {}</p>\n<ul>",
            escape(&code.label),
            code.total,
            lang.pick("ルール", "Rule"),
            escape(&code.rule),
            escape(&code.test)
        );
        for (title, event) in &code.talks {
            let _ = writeln!(o, "<li>{} ({})</li>", escape(title), escape(event));
        }
        let _ = writeln!(o, "</ul></details>");
    }
}

/// `charts`: (caption, inline SVG) in display order.
pub fn render(m: &ReportModel, charts: &[(String, String)]) -> String {
    let lang = m.lang;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>/*FONT*/{CSS}</style>\n</head>\n<body>\n",
        lang.pick("ja", "en"),
        escape(&m.title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", escape(&m.title));
    let _ = writeln!(o, "<h2>{}</h2>\n<ul>", lang.pick("概要", "Overview"));
    let events: Vec<String> = m
        .events
        .iter()
        .map(|(e, n)| format!("{} ({n} {})", escape(e), lang.pick("件", "talks")))
        .collect();
    let _ = writeln!(
        o,
        "<li>{}: {}</li>",
        lang.pick("イベント", "Events"),
        events.join(", ")
    );
    let _ = writeln!(o, "<li>{}: {}</li>", lang.pick("トーク", "Talks"), m.talks);
    let sections: Vec<String> = m
        .sections
        .iter()
        .map(|(k, n)| format!("{} {n}", escape(k)))
        .collect();
    let _ = writeln!(
        o,
        "<li>{}: {} ({})</li>",
        lang.pick("セクション", "Sections"),
        m.sections.values().sum::<usize>(),
        sections.join(", ")
    );
    let _ = writeln!(
        o,
        "<li>{}: {}</li>\n</ul>",
        lang.pick("テーマ", "Themes"),
        m.themes.len()
    );
    for (caption, svg) in charts {
        let _ = writeln!(
            o,
            "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
            escape(caption)
        );
    }

    let _ = writeln!(o, "<h2>{}</h2>", lang.pick("テーマ", "Themes"));
    for t in &m.themes {
        let color = super::charts::theme_color(t.id).hex();
        let _ = writeln!(
            o,
            "<section>\n<h3><span class=\"swatch\" style=\"background:{color}\"></span>{}. {} — {} {} ({:.1}%)</h3>",
            t.id + 1,
            escape(&t.name),
            t.size,
            lang.pick("件", "talks"),
            t.share
        );
        let kw: Vec<String> = t.keywords.iter().map(|k| escape(k)).collect();
        let _ = writeln!(
            o,
            "<p class=\"kw\"><strong>{}</strong>: {}</p>",
            lang.pick("キーワード", "Keywords"),
            kw.join("、")
        );
        let per_event: Vec<String> = t
            .per_event
            .iter()
            .map(|(e, n)| format!("{} {n}", escape(e)))
            .collect();
        let _ = writeln!(
            o,
            "<p><strong>{}</strong>: {}</p>",
            lang.pick("イベント別", "By event"),
            per_event.join(" / ")
        );
        let _ = writeln!(
            o,
            "<p><strong>{}</strong>:</p>\n<ol>",
            lang.pick("代表的なトーク", "Representative talks")
        );
        for r in &t.representatives {
            let why = if r.why.is_empty() {
                String::new()
            } else {
                format!("<br><span class=\"muted\">{}</span>", escape(&r.why))
            };
            let _ = writeln!(o, "<li>{}{why}</li>", talk_line(r, lang));
        }
        let _ = writeln!(o, "</ol>");
        let _ = writeln!(
            o,
            "<details><summary>{}</summary>\n<table>\n<tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th></tr>",
            escape(&t.talks_summary(lang)),
            lang.pick("タイトル", "Title"),
            lang.pick("イベント", "Event"),
            lang.pick("類似度", "Similarity"),
            lang.pick("副テーマ", "Also"),
            lang.pick("根拠となった語", "Why")
        );
        for r in &t.talks {
            let also: Vec<String> = r.secondary.iter().map(|s| escape(s)).collect();
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.3}</td><td>{}</td><td class=\"muted\">{}</td></tr>",
                escape(&r.title),
                escape(&r.event),
                r.similarity,
                also.join("、"),
                escape(
                    r.why
                        .split_once(':')
                        .map_or(r.why.as_str(), |(_, t)| t.trim())
                )
            );
        }
        let _ = writeln!(o, "</table>\n</details>\n</section>");
    }
    if !m.unassigned.is_empty() {
        let _ = writeln!(
            o,
            "<h3>{}</h3>\n<ul>",
            lang.pick(
                "未分類(内容語のないトーク)",
                "Unassigned (no content terms)"
            )
        );
        for r in &m.unassigned {
            let _ = writeln!(o, "<li>{}</li>", talk_line(r, lang));
        }
        let _ = writeln!(o, "</ul>");
    }

    if let Some(c) = &m.comparison {
        let _ = writeln!(
            o,
            "<h2>{}</h2>\n<table>\n<tr><th>{}</th>",
            lang.pick("イベントの比較", "Comparing events"),
            lang.pick("テーマ", "Theme")
        );
        for g in &c.groups {
            let _ = write!(o, "<th class=\"num\">{}</th>", escape(g));
        }
        let _ = writeln!(o, "</tr>");
        for (name, counts) in &c.rows {
            let _ = write!(o, "<tr><td>{}</td>", escape(name));
            for (&n, &t) in counts.iter().zip(&c.totals) {
                let _ = write!(
                    o,
                    "<td class=\"num\">{n} ({:.0}%)</td>",
                    100.0 * n as f64 / t.max(1) as f64
                );
            }
            let _ = writeln!(o, "</tr>");
        }
        let _ = write!(o, "<tr><th>{}</th>", lang.pick("計", "Total"));
        for t in &c.totals {
            let _ = write!(o, "<th class=\"num\">{t}</th>");
        }
        let _ = writeln!(o, "</tr>\n</table>\n<p>{}</p>", escape(&c.test));
        if !c.flags.is_empty() {
            let _ = writeln!(o, "<ul>");
            for (theme, group, over) in &c.flags {
                let dir = if *over {
                    lang.pick("多い", "over-represented")
                } else {
                    lang.pick("少ない", "under-represented")
                };
                let _ = writeln!(o, "<li>{} @ {}: {dir}</li>", escape(theme), escape(group));
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(
            o,
            "<p><strong>{}</strong>:</p>",
            lang.pick(
                "特徴的な語 (他のグループと比べて)",
                "Distinctive terms (against the other groups)"
            )
        );
        let _ = writeln!(
            o,
            "<p>{}</p>\n<ul>",
            escape(lang.pick(TERMS_LEGEND.0, TERMS_LEGEND.1))
        );
        for (group, terms) in &c.distinctive {
            let list: Vec<String> = terms
                .iter()
                .map(|(t, z)| escape(&term_with_z(t, *z)))
                .collect();
            let shown = if list.is_empty() {
                lang.pick(NO_TERMS.0, NO_TERMS.1).to_string()
            } else {
                list.join("、")
            };
            let _ = writeln!(o, "<li>{}: {shown}</li>", escape(group));
        }
        let _ = writeln!(o, "</ul>");
    }

    if let Some(c) = &m.coding {
        coding(&mut o, c, lang);
    }

    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr>",
        lang.pick("振り返り記事のカバー状況", "Recap coverage"),
        lang.pick("テーマ", "Theme"),
        lang.pick("トーク", "Talks"),
        lang.pick("振り返りあり", "With recap")
    );
    for (name, talks, recaps) in &m.recap_coverage {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{talks}</td><td class=\"num\">{recaps}</td></tr>",
            escape(name)
        );
    }
    let _ = writeln!(o, "</table>");

    let _ = writeln!(o, "<h2>{}</h2>\n<ul>", lang.pick("手法", "Method"));
    for line in super::method_lines(m) {
        let _ = writeln!(o, "<li>{}</li>", escape(&line));
    }
    let _ = writeln!(o, "</ul>\n</body>\n</html>");
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
