//! report.md: for posting as-is on Zenn, Qiita or Hatena Blog.

use std::fmt::Write as _;

use super::model::{ReportModel, TalkRef};
use crate::compare::{NO_TERMS, TERMS_LEGEND, term_with_z};
use crate::lang::Lang;

/// Escape text for Markdown: characters with Markdown meaning get a backslash, and `<`/`>`
/// become entities so a title like `<script>` is shown, never interpreted, by blog engines.
/// Newlines and tabs become spaces; other control characters are dropped.
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
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            _ => out.push(c),
        }
    }
    out
}

/// The coding section: codes × events, then each code's rule, test and talks.
fn coding(o: &mut String, c: &super::model::CodingSection, lang: Lang) {
    let _ = writeln!(o, "## {}\n", lang.pick("コーディング", "Coding"));
    let events: Vec<String> = c.events.iter().map(|e| escape(e)).collect();
    let _ = writeln!(
        o,
        "| {} | {} | {} |",
        lang.pick("コード", "Code"),
        events.join(" | "),
        lang.pick("計", "Total")
    );
    let _ = writeln!(o, "| --- |{}", " ---: |".repeat(events.len() + 1));
    for code in &c.codes {
        let cells: Vec<String> = code
            .counts
            .iter()
            .zip(&c.totals)
            .map(|(&n, &t)| format!("{n} ({:.0}%)", 100.0 * n as f64 / t.max(1) as f64))
            .collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            escape(&code.label),
            cells.join(" | "),
            code.total
        );
    }
    let _ = writeln!(o);
    for code in &c.codes {
        let _ = writeln!(
            o,
            "- **{}** ({}: {}): {}",
            escape(&code.label),
            lang.pick("ルール", "rule"),
            escape(&code.rule),
            escape(&code.test)
        );
        for (title, event) in &code.talks {
            let _ = writeln!(o, "  - {} ({})", escape(title), escape(event));
        }
    }
    let _ = writeln!(o);
}

/// The terms of a 「根拠: a, b」 line without its label, for a table cell.
fn why_terms(why: &str) -> &str {
    why.split_once(':').map_or(why, |(_, terms)| terms.trim())
}

fn talk_line(t: &TalkRef, lang: Lang) -> String {
    let speakers = if t.speakers.is_empty() {
        String::new()
    } else {
        format!(" — {}", escape(&t.speakers.join(", ")))
    };
    let recap = if t.has_recap {
        lang.pick(" [振り返りあり]", " [recap]")
    } else {
        ""
    };
    format!(
        "{}{} ({}){}",
        escape(&t.title),
        speakers,
        escape(&t.event),
        recap
    )
}

/// `charts` lists the chart files that exist (stem, caption).
pub fn render(m: &ReportModel, charts: &[(&str, String)]) -> String {
    let lang = m.lang;
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", escape(&m.title));
    let _ = writeln!(o, "## {}\n", lang.pick("概要", "Overview"));
    let events: Vec<String> = m
        .events
        .iter()
        .map(|(e, n)| format!("{} ({n} {})", escape(e), lang.pick("件", "talks")))
        .collect();
    let _ = writeln!(
        o,
        "- {}: {}",
        lang.pick("イベント", "Events"),
        events.join(", ")
    );
    let _ = writeln!(o, "- {}: {}", lang.pick("トーク", "Talks"), m.talks);
    let sections: Vec<String> = m.sections.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(
        o,
        "- {}: {} ({})",
        lang.pick("セクション", "Sections"),
        m.sections.values().sum::<usize>(),
        sections.join(", ")
    );
    let _ = writeln!(
        o,
        "- {}: {}\n",
        lang.pick("テーマ", "Themes"),
        m.themes.len()
    );
    for (stem, caption) in charts {
        let _ = writeln!(o, "![{}](charts/{stem}.png)\n", escape(caption));
    }

    let _ = writeln!(o, "## {}\n", lang.pick("テーマ", "Themes"));
    for t in &m.themes {
        let _ = writeln!(
            o,
            "### {}. {} — {} {} ({:.1}%)\n",
            t.id + 1,
            escape(&t.name),
            t.size,
            lang.pick("件", "talks"),
            t.share
        );
        let kw: Vec<String> = t.keywords.iter().map(|k| escape(k)).collect();
        let _ = writeln!(
            o,
            "**{}**: {}\n",
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
            "**{}**: {}\n",
            lang.pick("イベント別", "By event"),
            per_event.join(" / ")
        );
        let _ = writeln!(
            o,
            "**{}**:\n",
            lang.pick("代表的なトーク", "Representative talks")
        );
        for r in &t.representatives {
            let _ = writeln!(o, "1. {}", talk_line(r, lang));
            if !r.why.is_empty() {
                let _ = writeln!(o, "   <br>{}", escape(&r.why));
            }
        }
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "<details><summary>{}</summary>\n",
            escape(&t.talks_summary(lang))
        );
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |\n| --- | --- | --- | --- | --- |",
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
                "| {} | {} | {:.3} | {} | {} |",
                escape(&r.title),
                escape(&r.event),
                r.similarity,
                also.join("、"),
                escape(why_terms(&r.why))
            );
        }
        let _ = writeln!(o, "\n</details>\n");
    }
    if !m.unassigned.is_empty() {
        let _ = writeln!(
            o,
            "### {}\n",
            lang.pick(
                "未分類(内容語のないトーク)",
                "Unassigned (no content terms)"
            )
        );
        for r in &m.unassigned {
            let _ = writeln!(o, "- {}", talk_line(r, lang));
        }
        let _ = writeln!(o);
    }

    if let Some(c) = &m.comparison {
        let _ = writeln!(
            o,
            "## {}\n",
            lang.pick("イベントの比較", "Comparing events")
        );
        let groups: Vec<String> = c.groups.iter().map(|g| escape(g)).collect();
        let _ = writeln!(
            o,
            "| {} | {} |",
            lang.pick("テーマ", "Theme"),
            groups.join(" | ")
        );
        let _ = writeln!(o, "| --- |{}", " ---: |".repeat(groups.len()));
        for (name, counts) in &c.rows {
            let cells: Vec<String> = counts
                .iter()
                .zip(&c.totals)
                .map(|(&n, &t)| format!("{n} ({:.0}%)", 100.0 * n as f64 / t.max(1) as f64))
                .collect();
            let _ = writeln!(o, "| {} | {} |", escape(name), cells.join(" | "));
        }
        let totals: Vec<String> = c.totals.iter().map(|t| t.to_string()).collect();
        let _ = writeln!(
            o,
            "| {} | {} |\n",
            lang.pick("計", "Total"),
            totals.join(" | ")
        );
        let _ = writeln!(o, "{}\n", escape(&c.test));
        for (theme, group, over) in &c.flags {
            let dir = if *over {
                lang.pick("多い", "over-represented")
            } else {
                lang.pick("少ない", "under-represented")
            };
            let _ = writeln!(o, "- {} @ {}: {dir}", escape(theme), escape(group));
        }
        let _ = writeln!(
            o,
            "**{}**:\n",
            lang.pick(
                "特徴的な語 (他のグループと比べて)",
                "Distinctive terms (against the other groups)"
            )
        );
        let _ = writeln!(o, "{}\n", escape(lang.pick(TERMS_LEGEND.0, TERMS_LEGEND.1)));
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
            let _ = writeln!(o, "- {}: {shown}", escape(group));
        }
        let _ = writeln!(o);
    }

    if let Some(c) = &m.coding {
        coding(&mut o, c, lang);
    }

    let _ = writeln!(
        o,
        "## {}\n",
        lang.pick("振り返り記事のカバー状況", "Recap coverage")
    );
    let _ = writeln!(
        o,
        "| {} | {} | {} |\n| --- | ---: | ---: |",
        lang.pick("テーマ", "Theme"),
        lang.pick("トーク", "Talks"),
        lang.pick("振り返りあり", "With recap")
    );
    for (name, talks, recaps) in &m.recap_coverage {
        let _ = writeln!(o, "| {} | {talks} | {recaps} |", escape(name));
    }
    let _ = writeln!(o);

    let _ = writeln!(o, "## {}\n", lang.pick("手法", "Method"));
    for line in super::method_lines(m) {
        let _ = writeln!(o, "- {}", escape(&line));
    }
    o
}
