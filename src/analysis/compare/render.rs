//! Terminal text of a comparison, and the words the report shares with it.

use std::fmt::Write as _;

use super::terms::single_source_note;
use super::{
    Comparison, DistinctiveTerm, GroupBy, IndependenceTest, ThemeRow, ThemeTrend, Verdict,
};
use crate::analysis::stats::NotApplicable;
use crate::corpus::SectionKind;
use crate::lang::Lang;
use crate::themes::ThemeName;

/// Columns a string takes in a terminal (East Asian wide characters take two).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = matches!(u,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn pad_right(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

fn pad_left(s: &str, w: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

fn fmt_p(p: f64) -> String {
    if p < 0.001 {
        "p<0.001".to_string()
    } else {
        format!("p={p:.3}")
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The test line: statistic, p, method, and what it allows us to say.
fn render_test(test: &IndependenceTest, lang: Lang, groups_word: (&str, &str)) -> String {
    let ja = lang == Lang::Ja;
    let chi = &test.chi_square;
    if let Some(reason) = test.not_applicable {
        let why = match reason {
            NotApplicable::Empty => lang.pick("発表がない", "no talks"),
            NotApplicable::OneRow => {
                lang.pick("発表のあるテーマが1つしかない", "only one theme has talks")
            }
            NotApplicable::OneColumn => lang.pick(
                "比べる相手がいない (発表のあるグループが1つだけ)",
                "nothing to compare (only one group has talks)",
            ),
        };
        return if ja {
            format!("検定できない: {why}。")
        } else {
            format!("No test: {why}.")
        };
    }
    let mut out = String::new();
    let method = test.method.label(lang);
    let p = test.p_value.map_or_else(|| "p=?".to_string(), fmt_p);
    if ja {
        let _ = write!(
            out,
            "χ²={:.2}, 自由度={}, {p} ({method})。",
            chi.statistic, chi.dof
        );
    } else {
        let _ = write!(
            out,
            "χ²={:.2}, df={}, {p} ({method}). ",
            chi.statistic, chi.dof
        );
    }
    let cells = chi.expected.iter().map(Vec::len).sum::<usize>();
    let alpha = test.alpha;
    let (gj, ge) = groups_word;
    match (test.verdict, test.low_power) {
        (Verdict::Differs, false) => {
            if ja {
                let _ = write!(out, "テーマの構成は{gj}によって異なる (p<{alpha})。");
            } else {
                let _ = write!(out, "The theme mix differs between {ge} (p<{alpha}).");
            }
        }
        (Verdict::Differs, true) => {
            if ja {
                let _ = write!(
                    out,
                    "期待度数5未満のセルが{}個 (全{cells}個) あり検定力は低いが、正確な検定でも p<{alpha}: テーマの構成は{gj}によって異なる。件数が少ないため、どのテーマが偏っているかは示さない。",
                    chi.cells_below_5
                );
            } else {
                let _ = write!(
                    out,
                    "{} of {cells} cells have expected counts below 5, so the test has little power, yet the exact test gives p<{alpha}: the theme mix differs between {ge}. The counts are too small to say which themes.",
                    chi.cells_below_5
                );
            }
        }
        (Verdict::NoEvidence, true) | (Verdict::NotApplicable, true) => {
            if ja {
                let _ = write!(
                    out,
                    "期待度数5未満のセルが{}個 (全{cells}個) あり、検定力は低い: 差があるとは言えない (差がないとも言えない)。",
                    chi.cells_below_5
                );
            } else {
                let _ = write!(
                    out,
                    "{} of {cells} cells have expected counts below 5, so the test has little power: no difference can be claimed (nor ruled out).",
                    chi.cells_below_5
                );
            }
        }
        (Verdict::NoEvidence, false) | (Verdict::NotApplicable, false) => {
            if ja {
                let _ = write!(out, "テーマの構成に差があるとは言えない (p≥{alpha})。");
            } else {
                let _ = write!(
                    out,
                    "No evidence that the theme mix differs between {ge} (p≥{alpha})."
                );
            }
        }
    }
    out
}

fn terms_line(terms: &[DistinctiveTerm], lang: Lang) -> String {
    if terms.is_empty() {
        return lang.pick(NO_TERMS.0, NO_TERMS.1).to_string();
    }
    terms
        .iter()
        .map(|t| term_with_z(&t.display, t.z, t.significant))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "タイトルと概要": what distinctive terms were counted on.
fn basis_words(kinds: &[SectionKind], lang: Lang) -> String {
    let mut parts = vec![lang.pick("タイトル", "titles").to_string()];
    parts.extend(kinds.iter().map(|&k| section_label(k, lang).to_string()));
    parts.join(lang.pick("と", " and "))
}

/// A section kind in the words of the notes.
fn section_label(kind: SectionKind, lang: Lang) -> &'static str {
    match kind {
        SectionKind::Abstract => lang.pick("概要", "abstracts"),
        SectionKind::Details => lang.pick("詳細", "details"),
        SectionKind::Audience => lang.pick("対象聴衆", "audience"),
        SectionKind::Motivation => lang.pick("動機", "motivation"),
        SectionKind::Recap => lang.pick("振り返り記事", "recaps"),
        SectionKind::Other => lang.pick("その他の本文", "other text"),
    }
}

/// What the term lists say when a group uses no term more than the others do.
pub const NO_TERMS: (&str, &str) = (
    "(他より多く使われた語なし)",
    "(no term used more than elsewhere)",
);

/// Legend of the term lists, for every renderer.
pub const TERMS_LEGEND: (&str, &str) = (
    "他のグループより多くのトークが使った語 (z≥1)。括弧内は z 値 (トーク単位の重み付き対数オッズ比)。* は差と言える語: 長さの近いトーク同士の正確検定で、検定した語全体の偽発見率 5% 以下 (離散版 Benjamini–Hochberg)、かつグループ内の2つ以上の独立した書き手が使った語。* のない語は偶然でも現れる程度の差",
    "Terms more talks of the group use than other talks do (z≥1), with z (talk-level weighted log-odds). * marks a finding: an exact test among talks of like length, false discovery rate 5% over all terms tested (discrete Benjamini–Hochberg), used by at least two independent writers of the group. Terms without * differ no more than chance allows",
);

/// `display (z)`, with `*` when the term is a finding.
pub fn term_with_z(display: &str, z: f64, significant: bool) -> String {
    let mark = if significant { "*" } else { "" };
    format!("{display} ({:.1}{mark})", z.abs())
}

/// Group columns of the terminal table (and groups with a terms line and a note): the
/// largest this many; the others are summed in one column. Ten thousand one-talk events
/// made a table 10,000 columns wide and 20,000 lines of notes and terms.
pub const SHOWN_GROUPS: usize = 24;

impl Comparison {
    /// The groups the terminal shows one by one, in group order: all when there are at most
    /// [`SHOWN_GROUPS`], else the largest (ties: group order); `shown[g]`.
    pub fn shown_groups(&self) -> Vec<bool> {
        let n = self.groups.len();
        if n <= SHOWN_GROUPS {
            return vec![true; n];
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&g| (std::cmp::Reverse(self.groups[g].talks), g));
        let mut shown = vec![false; n];
        for &g in &order[..SHOWN_GROUPS] {
            shown[g] = true;
        }
        shown
    }

    /// What the reader must know to read the test and the terms right: the 「不明」 group left
    /// out of them, and groups whose texts are of different kinds. Empty when neither holds.
    pub fn notes(&self, lang: Lang) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(g) = self.untested.and_then(|g| self.groups.get(g)) {
            let what = match self.by {
                GroupBy::Event => lang.pick("イベント名", "event name"),
                GroupBy::Category => lang.pick("カテゴリ", "category"),
                GroupBy::Room => lang.pick("部屋", "room"),
                GroupBy::Day => lang.pick("日付", "date"),
            };
            notes.push(match lang {
                Lang::Ja => format!(
                    "※ {what}のない発表{}件 (「{}」) は表に示しますが、検定・偏りのあるセル・特徴的な語には含めていません。",
                    g.talks,
                    g.label(lang)
                ),
                Lang::En => format!(
                    "Note: the {} talks without a {what} (\"{}\") are shown in the table but left out of the test, the flagged cells and the distinctive terms.",
                    g.talks,
                    g.label(lang)
                ),
            });
        }
        let shown = self.shown_groups();
        let mut single_not_shown = 0usize;
        for d in &self.distinctive {
            if d.single_source {
                if !shown.get(d.group).copied().unwrap_or(false) {
                    single_not_shown += 1;
                    continue;
                }
                let label = self.groups.get(d.group).map_or("", |g| g.label(lang));
                let note = single_source_note(label, lang);
                notes.push(match lang {
                    Lang::Ja => format!("※ {note}"),
                    Lang::En => format!("Note: {note}"),
                });
            }
        }
        if single_not_shown > 0 {
            notes.push(match lang {
                Lang::Ja => format!(
                    "※ ほかの{single_not_shown}グループも本文が1人の書き手のもので、その語は印を付けていません (--json に全グループ)。"
                ),
                Lang::En => format!(
                    "Note: {single_not_shown} more groups are each one writer's text; their terms are not starred (--json has every group)."
                ),
            });
        }
        if self.pair_cap.omitted > 0 && !self.pairs.is_empty() {
            notes.push(match lang {
                Lang::Ja => format!(
                    "※ 2グループずつの比較は発表の多い{}グループだけです (ほかの{}グループは全体との比較のみ)。",
                    self.pair_cap.groups.len(),
                    self.pair_cap.omitted
                ),
                Lang::En => format!(
                    "Note: only the {} largest groups are compared pair by pair (the other {} only against all talks).",
                    self.pair_cap.groups.len(),
                    self.pair_cap.omitted
                ),
            });
        }
        if let Some(warning) = self.kinds_warning(lang) {
            notes.push(match lang {
                Lang::Ja => format!("⚠ {warning}"),
                Lang::En => format!("Warning: {warning}"),
            });
        }
        notes
    }

    /// When the tested groups' texts are of different kinds: which, and what the distinctive
    /// terms were counted on.
    pub fn kinds_warning(&self, lang: Lang) -> Option<String> {
        if !self.terms_basis.mixed_kinds {
            return None;
        }
        let kinds = self
            .texts
            .iter()
            .map(|t| {
                let label = self.groups.get(t.group).map_or("", |g| g.label(lang));
                let main = if t.main.is_empty() {
                    lang.pick("タイトルのみ", "titles only").to_string()
                } else {
                    t.main
                        .iter()
                        .map(|k| k.label(lang))
                        .collect::<Vec<_>>()
                        .join(lang.pick("・", " and "))
                };
                format!("{label}: {main}")
            })
            .collect::<Vec<_>>()
            .join(lang.pick("、", "; "));
        let basis = basis_words(
            self.terms_basis.sections.as_deref().unwrap_or_default(),
            lang,
        );
        Some(match lang {
            Lang::Ja => format!(
                "グループによって本文の種類が異なります ({kinds})。本文の語は書き手と媒体の違いを映すので、特徴的な語はどのグループにもある部分 ({basis}) だけで数えました。テーマの構成も本文の種類に影響されます。"
            ),
            Lang::En => format!(
                "the groups' texts are of different kinds ({kinds}). Their wording follows the writer and the medium, so distinctive terms were counted on what every group has ({basis}) only. The theme mix is affected by the kinds of text too."
            ),
        })
    }

    /// The test's statistic, p-value, method and what it allows us to say, as one sentence.
    pub fn test_sentence(&self, lang: Lang) -> String {
        let groups_word = match self.by {
            GroupBy::Event => ("イベント", "events"),
            GroupBy::Category => ("カテゴリ", "categories"),
            GroupBy::Room => ("部屋", "rooms"),
            GroupBy::Day => ("日", "days"),
        };
        render_test(&self.test, lang, groups_word)
    }

    /// Terminal text: the table, the test with its honest reading, flagged cells,
    /// distinctive terms and trends. `theme_names` overrides the names in `table` by theme id
    /// (pass `&[]` to use those).
    pub fn render(&self, lang: Lang, theme_names: &[ThemeName]) -> String {
        let ja = lang == Lang::Ja;
        let name_of = |row: &ThemeRow| -> String {
            match row.theme.and_then(|t| theme_names.get(t)) {
                Some(n) => n.get(lang).to_string(),
                None => row.name.get(lang).to_string(),
            }
        };
        let by = match self.by {
            GroupBy::Event => lang.pick("イベント", "event"),
            GroupBy::Category => lang.pick("カテゴリ", "category"),
            GroupBy::Room => lang.pick("部屋", "room"),
            GroupBy::Day => lang.pick("日", "day"),
        };
        let groups_word = match self.by {
            GroupBy::Event => ("イベント", "events"),
            GroupBy::Category => ("カテゴリ", "categories"),
            GroupBy::Room => ("部屋", "rooms"),
            GroupBy::Day => ("日", "days"),
        };
        let mut out = String::new();
        if ja {
            let _ = writeln!(
                out,
                "{by}別のテーマ構成 (発表{}件, {}グループ)",
                self.talks,
                self.groups.len()
            );
        } else {
            let _ = writeln!(
                out,
                "Themes by {by} ({} talks, {} groups)",
                self.talks,
                self.groups.len()
            );
        }
        if self.multi_membership {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "※ 複数のカテゴリを持つ発表は、それぞれのカテゴリで数えています (延べ数)。検定は1発表1回の前提なので、p値は目安です。",
                    "Note: a talk with several categories counts in each of them; the test assumes each talk counts once, so its p-value is approximate."
                )
            );
        }
        let _ = writeln!(out);

        // Table: the shown groups, the others summed in one column.
        let labels = self.group_labels(lang);
        let shown = self.shown_groups();
        let rest: Vec<usize> = (0..self.groups.len()).filter(|&g| !shown[g]).collect();
        let rest_talks: usize = rest.iter().map(|&g| self.groups[g].talks).sum();
        let rest_label = match lang {
            Lang::Ja => format!("ほか{}グループ", rest.len()),
            Lang::En => format!("{} other groups", rest.len()),
        };
        let mut col_labels: Vec<&str> = (0..self.groups.len())
            .filter(|&g| shown[g])
            .map(|g| labels[g].as_str())
            .collect();
        if !rest.is_empty() {
            col_labels.push(&rest_label);
        }
        let total_label = lang.pick("計", "total");
        let theme_col = lang.pick("テーマ", "theme");
        let names: Vec<String> = self.table.iter().map(name_of).collect();
        let first_w = names
            .iter()
            .map(|n| width(n))
            .chain([width(theme_col), width(total_label)])
            .max()
            .unwrap_or(0);
        let cells: Vec<Vec<String>> = self
            .table
            .iter()
            .map(|r| {
                let mut row: Vec<String> = r
                    .counts
                    .iter()
                    .zip(&r.shares)
                    .enumerate()
                    .filter(|(g, _)| shown[*g])
                    .map(|(_, (c, s))| format!("{c} ({})", percent(*s)))
                    .collect();
                if !rest.is_empty() {
                    let c: u64 = rest.iter().map(|&g| r.counts[g]).sum();
                    let share = if rest_talks > 0 {
                        c as f64 / rest_talks as f64
                    } else {
                        0.0
                    };
                    row.push(format!("{c} ({})", percent(share)));
                }
                row
            })
            .collect();
        let mut totals: Vec<String> = self
            .groups
            .iter()
            .enumerate()
            .filter(|(g, _)| shown[*g])
            .map(|(_, g)| g.talks.to_string())
            .collect();
        if !rest.is_empty() {
            totals.push(rest_talks.to_string());
        }
        let col_w: Vec<usize> = (0..col_labels.len())
            .map(|g| {
                cells
                    .iter()
                    .map(|row| width(&row[g]))
                    .chain([width(col_labels[g]), width(&totals[g])])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut line = pad_right(theme_col, first_w);
        for (g, l) in col_labels.iter().enumerate() {
            line.push_str("  ");
            line.push_str(&pad_left(l, col_w[g]));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        for (r, row_cells) in cells.iter().enumerate() {
            let mut line = pad_right(&names[r], first_w);
            for (g, c) in row_cells.iter().enumerate() {
                line.push_str("  ");
                line.push_str(&pad_left(c, col_w[g]));
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let mut line = pad_right(total_label, first_w);
        for (g, t) in totals.iter().enumerate() {
            line.push_str("  ");
            line.push_str(&pad_left(t, col_w[g]));
        }
        let _ = writeln!(out, "{}", line.trim_end());
        let _ = writeln!(out);

        // Test.
        let _ = writeln!(
            out,
            "{}{}",
            lang.pick("検定: ", "Test: "),
            render_test(&self.test, lang, groups_word)
        );
        if self.table.iter().any(|r| r.theme.is_none()) {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "(未分類の発表は検定に含めていません。)",
                    "(Unassigned talks are left out of the test.)"
                )
            );
        }
        for note in self.notes(lang) {
            let _ = writeln!(out, "{note}");
        }
        if !self.flags.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "偏りのあるセル (調整済み標準化残差 |r|≥1.96):",
                    "Cells out of line (adjusted standardized residual |r|≥1.96):"
                )
            );
            for f in &self.flags {
                let dir = if f.over {
                    lang.pick("多い", "more")
                } else {
                    lang.pick("少ない", "fewer")
                };
                let theme = names.get(f.row).map_or("", String::as_str);
                let group = labels.get(f.group).map_or("", String::as_str);
                if ja {
                    let _ = writeln!(
                        out,
                        "  {dir}: {theme} × {group} ({}件, 独立なら{:.1}件, r={:+.2})",
                        f.observed, f.expected, f.adjusted_residual
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "  {dir}: {theme} × {group} ({} talks, {:.1} expected, r={:+.2})",
                        f.observed, f.expected, f.adjusted_residual
                    );
                }
            }
        } else if self.test.verdict == Verdict::Differs && !self.test.low_power {
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "調整済み標準化残差が ±1.96 を超えるセルはない。",
                    "No cell has an adjusted standardized residual beyond ±1.96."
                )
            );
        }

        // Distinctive terms.
        if !self.distinctive.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{}",
                lang.pick(
                    "特徴的な語 (他のグループと比べて)",
                    "Distinctive terms (against the other groups)"
                )
            );
            let _ = writeln!(out, "  {}:", lang.pick(TERMS_LEGEND.0, TERMS_LEGEND.1));
            for gt in &self.distinctive {
                if !shown.get(gt.group).copied().unwrap_or(false) {
                    continue;
                }
                let label = labels.get(gt.group).map_or("", String::as_str);
                let _ = writeln!(out, "  {label}: {}", terms_line(&gt.terms, lang));
            }
            let hidden = self
                .distinctive
                .iter()
                .filter(|gt| !shown.get(gt.group).copied().unwrap_or(false))
                .count();
            if hidden > 0 {
                let _ = writeln!(
                    out,
                    "  {}",
                    match lang {
                        Lang::Ja => format!("ほか{hidden}グループ (--json に全グループ)"),
                        Lang::En => format!("{hidden} more groups (--json has every group)"),
                    }
                );
            }
        }
        if !self.pairs.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{}",
                lang.pick("2グループずつの比較:", "Pairs of groups:")
            );
            for p in &self.pairs {
                let (a, b) = (
                    labels.get(p.a).map_or("", String::as_str),
                    labels.get(p.b).map_or("", String::as_str),
                );
                let of_a: Vec<DistinctiveTerm> =
                    p.terms.iter().filter(|t| t.z > 0.0).cloned().collect();
                let mut of_b: Vec<DistinctiveTerm> =
                    p.terms.iter().filter(|t| t.z < 0.0).cloned().collect();
                of_b.reverse();
                if self.terms_basis.mixed_kinds {
                    // Pairs differ in what they were counted on: say it for each.
                    let on = match &p.basis.sections {
                        Some(kinds) => basis_words(kinds, lang),
                        None => lang.pick("全文", "all text").to_string(),
                    };
                    let _ = writeln!(out, "  {a} ⇔ {b} ({on})");
                } else {
                    let _ = writeln!(out, "  {a} ⇔ {b}");
                }
                let _ = writeln!(out, "    {}", self.pair_themes_line(p, &names, lang));
                let _ = writeln!(out, "    {a}: {}", terms_line(&of_a, lang));
                let _ = writeln!(out, "    {b}: {}", terms_line(&of_b, lang));
            }
        }

        // Series.
        for s in &self.series {
            let _ = writeln!(out);
            let years = s
                .years
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" → ");
            if ja {
                let _ = writeln!(out, "{} の推移 ({years}):", s.name);
            } else {
                let _ = writeln!(out, "{} across editions ({years}):", s.name);
            }
            let trend = |t: &ThemeTrend| -> String {
                let shares = t
                    .shares
                    .iter()
                    .map(|&x| percent(x))
                    .collect::<Vec<_>>()
                    .join(" → ");
                let name = names.get(t.row).map_or("", String::as_str);
                let mark = if t.supported { "*" } else { "" };
                format!("{name} {shares} ({:+}pt{mark})", t.change_points)
            };
            for (label, list) in [
                (lang.pick("増えた", "rose"), &s.rose),
                (lang.pick("減った", "fell"), &s.fell),
            ] {
                if list.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  {label}:");
                for t in list {
                    let _ = writeln!(out, "    {}", trend(t));
                }
            }
            let _ = writeln!(
                out,
                "  {}",
                lang.pick(
                    "* はトレンド検定 (Cochran–Armitage、テーマ間で偽発見率 5%) で支持される変化。* のない変化は偶然でも起こる程度",
                    "* marks a change a trend test supports (Cochran–Armitage, false discovery rate 5% over the themes); changes without * are within chance"
                )
            );
            let _ = writeln!(
                out,
                "  {}{}",
                lang.pick("変化の検定: ", "Test of the change: "),
                render_test(&s.test, lang, ("回", "editions"))
            );
        }
        out
    }
}

impl Comparison {
    /// The pair's theme shares in words: which differences the counts support, or that none
    /// does.
    pub fn pair_themes_line(&self, p: &super::PairTerms, names: &[String], lang: Lang) -> String {
        let supported: Vec<String> = p
            .themes
            .iter()
            .filter(|t| t.supported)
            .map(|t| {
                format!(
                    "{} {} → {}",
                    names.get(t.row).map_or("", String::as_str),
                    percent(t.shares[0]),
                    percent(t.shares[1])
                )
            })
            .collect();
        if supported.is_empty() {
            lang.pick(
                "テーマの割合: 件数から差があると言えるテーマはない",
                "Theme shares: no difference beyond chance",
            )
            .to_string()
        } else {
            format!(
                "{}{}",
                lang.pick(
                    "テーマの割合で差があると言えるもの: ",
                    "Theme shares with a difference beyond chance: "
                ),
                supported.join(lang.pick("、", "; "))
            )
        }
    }
}
