//! The comparison's slides: a pair of events (theme shares side by side, with what the counts
//! support written on it), the correspondence map (groups and themes on one plane) and theme
//! shares across the editions of a series.

use plotters::element::{Circle, DashedPathElement, PathElement, Rectangle};
use plotters::style::{Color, RGBColor};

use super::plot::{Axis, Frame, Mesh};
use super::{
    Chart, H, INK, LABEL, MUTED, Rgb, TICK, W, begin, empty, finite, label, nice_step, subtitle,
    theme_color, tick_label,
};
use crate::Lang;
use crate::analysis::compare::{CaMap, Comparison, PairTerms, Series};
use crate::report::font::{one_line, text_width, truncate};
use crate::report::svg::{Anchor, Txt};

const LEFT_COLOR: Rgb = Rgb(0xD5, 0x5E, 0x00);
const RIGHT_COLOR: Rgb = Rgb(0x00, 0x72, 0xB2);
const SUPPORTED: &str = "#0B6E4F";

fn pct(share: f64) -> String {
    format!("{:.0}%", finite(share) * 100.0)
}

fn theme_label(names: &[String], c: &Comparison, row: usize, lang: Lang) -> String {
    match c.table.get(row).and_then(|r| r.theme) {
        Some(t) => names
            .get(t)
            .cloned()
            .unwrap_or_else(|| c.table[row].name.get(lang).to_string()),
        None => lang.pick("未分類", "unassigned").to_string(),
    }
}

/// Wrapped lines of `text` within `max_w` px at `size` (characters, not words: Japanese has
/// no spaces).
fn wrap_chars(text: &str, max_w: f64, size: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for ch in one_line(text).chars() {
        line.push(ch);
        if text_width(&line, size) > max_w {
            line.pop();
            lines.push(std::mem::take(&mut line));
            line.push(ch);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One slide per pair: each theme's share in both events as two bars, the supported
/// differences marked, and on the right what the counts do and do not support (themes and
/// the terms that are findings). A pair with no finding says so instead of drawing one bar.
pub fn pair_slide(c: &Comparison, p: &PairTerms, theme_names: &[String], lang: Lang) -> Chart {
    const NAME: &str = "pair";
    let labels = c.group_labels(lang);
    let (a, b) = (
        one_line(labels.get(p.a).map_or("", String::as_str)),
        one_line(labels.get(p.b).map_or("", String::as_str)),
    );
    // The finding: the supported theme difference with the smallest q, else the terms that
    // are findings, else that nothing beyond chance was found.
    let headline = p
        .themes
        .iter()
        .filter(|t| t.supported)
        .min_by(|x, y| x.q_value.total_cmp(&y.q_value).then(x.row.cmp(&y.row)));
    let any_term = p.terms.iter().any(|t| t.significant);
    let title = match (headline, lang) {
        (Some(t), Lang::Ja) => format!(
            "{a} と {b}：「{}」は {} のほうが多い",
            theme_label(theme_names, c, t.row, lang),
            if t.shares[0] >= t.shares[1] { &a } else { &b }
        ),
        (Some(t), Lang::En) => format!(
            "{a} vs {b}: more “{}” at {}",
            theme_label(theme_names, c, t.row, lang),
            if t.shares[0] >= t.shares[1] { &a } else { &b }
        ),
        (None, Lang::Ja) if any_term => format!("{a} と {b}：テーマの割合の差は偶然の範囲"),
        (None, Lang::En) if any_term => format!("{a} vs {b}: theme shares differ only by chance"),
        (None, Lang::Ja) => format!("{a} と {b}：偶然を超える差はない"),
        (None, Lang::En) => format!("{a} vs {b}: no difference beyond chance"),
    };
    if p.themes.is_empty() {
        return empty(NAME, &title, lang);
    }
    let mut s = begin(&title);
    let (na, nb) = (
        c.groups.get(p.a).map_or(0, |g| g.talks),
        c.groups.get(p.b).map_or(0, |g| g.talks),
    );
    let sub = match lang {
        Lang::Ja => format!(
            "テーマの割合 ({a} {na}件 / {b} {nb}件)。★ は件数から差があると言えるテーマ (Fisher の正確検定、偽発見率 5%)"
        ),
        Lang::En => format!(
            "Theme shares ({a}: {na} talks, {b}: {nb}). ★ marks a difference the counts support (Fisher's exact test, FDR 5%)"
        ),
    };
    subtitle(&mut s, &sub);

    // Left: bars. Rows top to bottom in table order, at most 14 (the largest by total).
    let mut rows: Vec<&crate::analysis::compare::PairTheme> = p.themes.iter().collect();
    if rows.len() > 14 {
        rows.sort_by(|x, y| {
            (y.counts[0] + y.counts[1])
                .cmp(&(x.counts[0] + x.counts[1]))
                .then(x.row.cmp(&y.row))
        });
        rows.truncate(14);
        rows.sort_by_key(|t| t.row);
    }
    let max_share = rows
        .iter()
        .flat_map(|t| t.shares)
        .fold(0.0f64, f64::max)
        .max(0.05);
    let step = nice_step(max_share * 100.0, 4.0);
    let top_pct = ((max_share * 100.0) / step).ceil().max(1.0) * step;
    // Room for the longest taxonomy name (プラットフォームエンジニアリング) with its ★, uncut.
    let (left, top, right, bottom) = (420.0, 150.0, 960.0, H - 90.0);
    let n = rows.len() as f64;
    let fr = Frame::new(
        (left, top, right, bottom),
        Axis::stepped(0.0, top_pct, step),
        Axis::plain(0.0, n),
    );
    s.raw(&fr.mesh(Mesh {
        x_grid: true,
        x_axis: true,
        ..Mesh::default()
    }));
    for &v in fr.x_ticks() {
        s.text(
            Txt::new(fr.px(v, 0.0).0, bottom + 22.0, TICK)
                .anchor(Anchor::Middle)
                .fill(MUTED),
            &format!("{}%", tick_label(v, step)),
        );
    }
    let band = (bottom - top) / n.max(1.0);
    let fs = (band * 0.3).clamp(12.0, LABEL);
    for (i, t) in rows.iter().enumerate() {
        let yc = n - i as f64 - 0.5;
        let name = theme_label(theme_names, c, t.row, lang);
        let (_, cy) = fr.px(0.0, yc);
        let mark = if t.supported { "★ " } else { "" };
        let fill = if t.supported { SUPPORTED } else { INK };
        // A long theme name wraps onto a second line beside its bars rather than being cut.
        let lines = crate::report::font::wrap(&format!("{mark}{name}"), left - 30.0, fs, 2);
        let shift = (lines.len() as f64 - 1.0) / 2.0;
        for (j, l) in lines.iter().enumerate() {
            let y = cy + (j as f64 - shift) * fs * 1.15;
            let mut txt = Txt::new(left - 12.0, y, fs).anchor(Anchor::End).fill(fill);
            if t.supported {
                txt = txt.bold();
            }
            s.text(txt, l);
        }
        for (side, (share, color)) in [(t.shares[0], LEFT_COLOR), (t.shares[1], RIGHT_COLOR)]
            .into_iter()
            .enumerate()
        {
            let (y0, y1) = if side == 0 {
                (yc + 0.04, yc + 0.36)
            } else {
                (yc - 0.36, yc - 0.04)
            };
            let group = if side == 0 { &a } else { &b };
            let tip = format!(
                "{name}: {group} {} ({}/{})",
                pct(share),
                t.counts[side],
                if side == 0 { na } else { nb }
            );
            s.group(Some(&tip));
            s.raw(&fr.draw(|area| {
                area.draw(&Rectangle::new(
                    [(0.0, y0), (finite(share) * 100.0, y1)],
                    RGBColor::from(color).filled(),
                ))
            }));
            let (x_end, ym) = fr.px(finite(share) * 100.0, (y0 + y1) / 2.0);
            s.text(
                Txt::new(x_end + 6.0, ym, fs * 0.8).fill(MUTED),
                &format!("{} ({})", pct(share), t.counts[side]),
            );
            s.end_group();
        }
    }
    // Legend of the two colors above the bars.
    for (k, (name, color)) in [(&a, LEFT_COLOR), (&b, RIGHT_COLOR)]
        .into_iter()
        .enumerate()
    {
        let x = left + k as f64 * 320.0;
        s.rect(x, 118.0, 18.0, 18.0, &color.hex(), "rx=\"3\"", None);
        label(&mut s, Txt::new(x + 26.0, 127.0, 18.0), name, 280.0);
    }

    // Right: what the counts support, and what they do not.
    let (px, pw) = (1010.0, W - 1010.0 - 40.0);
    let mut y = 150.0;
    let line = |s: &mut super::Svg, text: &str, size: f64, fill: &str, bold: bool, y: &mut f64| {
        for l in wrap_chars(text, pw, size) {
            let mut t = Txt::new(px, *y, size).fill(fill);
            if bold {
                t = t.bold();
            }
            s.text(t, &l);
            *y += size * 1.35;
        }
    };
    let supported: Vec<String> = p
        .themes
        .iter()
        .filter(|t| t.supported)
        .map(|t| {
            format!(
                "{}: {} → {}",
                theme_label(theme_names, c, t.row, lang),
                pct(t.shares[0]),
                pct(t.shares[1])
            )
        })
        .collect();
    let a_terms: Vec<String> = p
        .terms
        .iter()
        .filter(|t| t.significant && t.z > 0.0)
        .take(6)
        .map(|t| t.display.clone())
        .collect();
    let b_terms: Vec<String> = p
        .terms
        .iter()
        .rev()
        .filter(|t| t.significant && t.z < 0.0)
        .take(6)
        .map(|t| t.display.clone())
        .collect();
    line(
        &mut s,
        lang.pick("言えること", "What the counts support"),
        26.0,
        SUPPORTED,
        true,
        &mut y,
    );
    y += 4.0;
    if supported.is_empty() && a_terms.is_empty() && b_terms.is_empty() {
        line(
            &mut s,
            lang.pick(
                "この2つのイベントの間に、偶然を超える差は見つかりませんでした。",
                "No difference beyond chance was found between these two events.",
            ),
            20.0,
            INK,
            false,
            &mut y,
        );
    } else {
        for t in &supported {
            line(&mut s, &format!("★ {t}"), 20.0, INK, false, &mut y);
        }
        let sep = lang.pick("、", ", ");
        for (name, terms) in [(&a, &a_terms), (&b, &b_terms)] {
            if !terms.is_empty() {
                let text = match lang {
                    Lang::Ja => format!("{name} で多い語: {}", terms.join(sep)),
                    Lang::En => format!("Words typical of {name}: {}", terms.join(sep)),
                };
                line(&mut s, &text, 20.0, INK, false, &mut y);
            }
        }
    }
    y += 18.0;
    line(
        &mut s,
        lang.pick("言えないこと", "What they do not support"),
        26.0,
        MUTED,
        true,
        &mut y,
    );
    y += 4.0;
    // The pair's overall test, when no theme stands out on its own.
    let pair_p = match p.test.p_value {
        Some(v) if supported.is_empty() && v < 0.001 => " (p<0.001)".to_string(),
        Some(v) if supported.is_empty() => format!(" (p={v:.2})"),
        _ => String::new(),
    };
    // A pair's own p under 0.05 is not a finding when several pairs were compared: the
    // whole table's test and the correction over every pair decide (said, not left to read).
    let alone = supported.is_empty() && p.test.p_value.is_some_and(|v| v < 0.05);
    let bare = pair_p.trim().trim_matches(['(', ')']);
    let not = match (lang, alone) {
        (Lang::Ja, false) => {
            format!("★ のないテーマの割合の違いは、この件数では偶然でも起こる程度です{pair_p}。")
        }
        (Lang::Ja, true) => format!(
            "このペアだけの検定は {bare} ですが、複数のイベントを比べたときの補正(全体の表の検定と偽発見率)を通らないため、差とは言えません。"
        ),
        (Lang::En, false) => format!(
            "The differences in shares without ★ are within what chance gives at these counts{pair_p}."
        ),
        (Lang::En, true) => format!(
            "This pair alone tests at {bare}, but it does not pass the correction for comparing several events (the whole table's test and the false discovery rate), so it is no finding."
        ),
    };
    line(&mut s, &not, 20.0, MUTED, false, &mut y);
    for (side, name) in [(0, &a), (1, &b)] {
        if p.single_source[side] {
            let text = match lang {
                Lang::Ja => format!(
                    "{name} の本文は1人の書き手のもので、その語はイベントの特徴とは言えません。"
                ),
                Lang::En => {
                    format!("The text of {name} is one writer's: its words are not the event's.")
                }
            };
            line(&mut s, &text, 20.0, MUTED, false, &mut y);
        }
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

/// A label's box (x0, y0, x1, y1).
type LabelBox = (f64, f64, f64, f64);

fn overlaps(a: LabelBox, b: LabelBox) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Place a label beside (x, y) where it overlaps no placed label or point: right, left,
/// above, below, then farther out; the least overlapping place when none is free.
fn place(
    placed: &[LabelBox],
    points: &[(f64, f64)],
    (x, y): (f64, f64),
    w: f64,
    h: f64,
    bounds: LabelBox,
) -> (LabelBox, Anchor) {
    let mut best: Option<(usize, LabelBox, Anchor)> = None;
    for dist in [1.0, 2.0, 3.2] {
        let d = 10.0 * dist;
        let candidates = [
            ((x + d, y - h / 2.0), Anchor::Start),
            ((x - d - w, y - h / 2.0), Anchor::Start),
            ((x - w / 2.0, y - d - h), Anchor::Start),
            ((x - w / 2.0, y + d), Anchor::Start),
            ((x + d * 0.7, y - d * 0.7 - h), Anchor::Start),
            ((x - d * 0.7 - w, y - d * 0.7 - h), Anchor::Start),
            ((x + d * 0.7, y + d * 0.7), Anchor::Start),
            ((x - d * 0.7 - w, y + d * 0.7), Anchor::Start),
        ];
        for ((x0, y0), anchor) in candidates {
            let b = (x0, y0, x0 + w, y0 + h);
            if b.0 < bounds.0 || b.2 > bounds.2 || b.1 < bounds.1 || b.3 > bounds.3 {
                continue;
            }
            let hits = placed.iter().filter(|p| overlaps(**p, b)).count()
                + points
                    .iter()
                    .filter(|&&(px, py)| overlaps((px - 6.0, py - 6.0, px + 6.0, py + 6.0), b))
                    .count();
            if hits == 0 {
                return (b, anchor);
            }
            if best.as_ref().is_none_or(|(h0, _, _)| hits < *h0) {
                best = Some((hits, b, anchor));
            }
        }
    }
    best.map(|(_, b, a)| (b, a)).unwrap_or((
        (x + 10.0, y - h / 2.0, x + 10.0 + w, y + h / 2.0),
        Anchor::Start,
    ))
}

/// The correspondence map: groups (dark squares) and themes (their colors) on the first two
/// axes, each axis with its share of the inertia; labels placed so they do not overlap.
/// `map` is `None` with two groups: the chart says why there is no map.
pub fn correspondence_map(
    c: &Comparison,
    map: Option<&CaMap>,
    theme_names: &[String],
    lang: Lang,
) -> Chart {
    const NAME: &str = "correspondence";
    let title = lang.pick(
        "対応分析: イベントとテーマの近さ",
        "Correspondence analysis: events and themes",
    );
    let Some(map) = map else {
        let mut s = begin(title);
        let known = c.groups.iter().filter(|g| !g.unknown).count();
        let why = if known < 3 {
            lang.pick(
                "イベントが2つのときは図を描きません: 2点は1本の直線上に並ぶだけで、2つの比較の図がすべてを示します。",
                "Not drawn for two events: two points lie on one line, and the pair's slide shows all there is.",
            )
        } else {
            lang.pick(
                "テーマかイベントが3つ未満のため、対応分析の図は描けません。",
                "Fewer than three themes or events have talks: no map can be drawn.",
            )
        };
        let mut y = H / 2.0 - 30.0;
        for l in wrap_chars(why, W - 300.0, 28.0) {
            s.text(
                Txt::new(W / 2.0, y, 28.0)
                    .anchor(Anchor::Middle)
                    .fill(MUTED),
                &l,
            );
            y += 40.0;
        }
        return Chart {
            name: NAME,
            svg: s.finish(),
        };
    };
    // The finding: how much of the difference between the events the first axis carries,
    // and which events it sets against each other (the two ends).
    let labels = c.group_labels(lang);
    let ends = {
        let by_x = |f: fn(f64, f64) -> bool| {
            map.groups
                .iter()
                .fold(None::<&crate::analysis::compare::CaPoint>, |m, g| match m {
                    Some(m) if !f(g.x, m.x) => Some(m),
                    _ => Some(g),
                })
        };
        by_x(|a, b| a < b).zip(by_x(|a, b| a > b))
    };
    let name_of = |g: &crate::analysis::compare::CaPoint| {
        one_line(labels.get(g.index).map_or("", String::as_str))
    };
    let title = match (ends, lang) {
        (Some((lo, hi)), Lang::Ja) if lo.index != hi.index => format!(
            "イベントの違いの{:.0}%は1本の軸：{} ⇔ {}",
            map.inertia_share[0] * 100.0,
            name_of(lo),
            name_of(hi)
        ),
        (Some((lo, hi)), Lang::En) if lo.index != hi.index => format!(
            "One axis carries {:.0}% of how the events differ: {} ⇔ {}",
            map.inertia_share[0] * 100.0,
            name_of(lo),
            name_of(hi)
        ),
        _ => title.to_string(),
    };
    let mut s = begin(&title);
    let sub = match lang {
        Lang::Ja => format!(
            "近くにあるイベントとテーマは結びつきが強い。第1軸 {:.0}%・第2軸 {:.0}% (慣性の割合)",
            map.inertia_share[0] * 100.0,
            map.inertia_share[1] * 100.0
        ),
        Lang::En => format!(
            "Events near a theme have more of it. Axis 1 {:.0}%, axis 2 {:.0}% of the inertia",
            map.inertia_share[0] * 100.0,
            map.inertia_share[1] * 100.0
        ),
    };
    let all: Vec<(f64, f64)> = map
        .groups
        .iter()
        .chain(&map.columns)
        .map(|p| (p.x, p.y))
        .collect();
    let span = |f: fn(&(f64, f64)) -> f64| {
        let lo = all.iter().map(f).fold(0.0f64, f64::min);
        let hi = all.iter().map(f).fold(0.0f64, f64::max);
        let pad = ((hi - lo) * 0.12).max(0.05);
        (lo - pad, hi + pad)
    };
    let (x0, x1) = span(|p| p.0);
    let (y0, y1) = span(|p| p.1);
    let (left, top, right, bottom) = (110.0, 130.0, W - 60.0, H - 80.0);
    let xs = nice_step(x1 - x0, 6.0);
    let ys = nice_step(y1 - y0, 5.0);
    let fr = Frame::new(
        (left, top, right, bottom),
        Axis::stepped(x0, x1, xs),
        Axis::stepped(y0, y1, ys),
    );
    s.raw(&fr.mesh(Mesh {
        x_grid: true,
        y_grid: true,
        ..Mesh::default()
    }));
    // The origin lines: the average profile.
    s.raw(&fr.draw(|a| {
        a.draw(&PathElement::new(
            vec![(0.0, y0), (0.0, y1)],
            RGBColor(0x99, 0x99, 0x99).stroke_width(2),
        ))?;
        a.draw(&PathElement::new(
            vec![(x0, 0.0), (x1, 0.0)],
            RGBColor(0x99, 0x99, 0x99).stroke_width(2),
        ))
    }));
    s.text(
        Txt::new((left + right) / 2.0, H - 40.0, LABEL).anchor(Anchor::Middle),
        &match lang {
            Lang::Ja => format!("第1軸 ({:.0}%)", map.inertia_share[0] * 100.0),
            Lang::En => format!("Axis 1 ({:.0}%)", map.inertia_share[0] * 100.0),
        },
    );
    s.text(
        Txt::new(40.0, (top + bottom) / 2.0, LABEL)
            .anchor(Anchor::Middle)
            .rotate(-90.0),
        &match lang {
            Lang::Ja => format!("第2軸 ({:.0}%)", map.inertia_share[1] * 100.0),
            Lang::En => format!("Axis 2 ({:.0}%)", map.inertia_share[1] * 100.0),
        },
    );
    // Themes with the same profile sit on the same point: side by side there, so that no dot
    // hides another (the label of each still points at its own dot).
    let per_px = (x1 - x0) / (right - left);
    let mut shift = vec![0.0f64; map.columns.len()];
    {
        let px: Vec<(f64, f64)> = map.columns.iter().map(|t| fr.px(t.x, t.y)).collect();
        let mut done = vec![false; px.len()];
        for i in 0..px.len() {
            if done[i] {
                continue;
            }
            let same: Vec<usize> = (i..px.len())
                .filter(|&j| !done[j] && (px[j].0 - px[i].0).hypot(px[j].1 - px[i].1) < 6.0)
                .collect();
            for (k, &j) in same.iter().enumerate() {
                done[j] = true;
                shift[j] = (k as f64 - (same.len() - 1) as f64 / 2.0) * 36.0 * per_px;
            }
        }
    }
    // Drawn after the layout: it says when themes were set side by side.
    let sub = match (shift.iter().any(|&d| d != 0.0), lang) {
        (true, Lang::Ja) => format!("{sub}。同じ位置のテーマは横に並べた"),
        (true, Lang::En) => format!("{sub}; themes on one point drawn side by side"),
        (false, _) => sub,
    };
    subtitle(&mut s, &sub);
    let shifted: Vec<(f64, f64)> = map
        .groups
        .iter()
        .map(|p| (p.x, p.y))
        .chain(map.columns.iter().zip(&shift).map(|(p, d)| (p.x + d, p.y)))
        .collect();
    let pts: Vec<(f64, f64)> = shifted.iter().map(|&(x, y)| fr.px(x, y)).collect();
    let mut placed: Vec<LabelBox> = Vec::new();
    let bounds = (left, top, right, bottom);
    // Groups first (their labels matter most), then themes by mass.
    let mut themes: Vec<(&crate::analysis::compare::CaPoint, f64)> =
        map.columns.iter().zip(shift.iter().copied()).collect();
    themes.sort_by(|(a, _), (b, _)| b.mass.total_cmp(&a.mass).then(a.index.cmp(&b.index)));
    for g in &map.groups {
        let (x, y) = fr.px(g.x, g.y);
        let name = labels.get(g.index).cloned().unwrap_or_default();
        let size = 24.0;
        let shown = truncate(&one_line(&name), 560.0, size);
        s.group(Some(&name));
        s.rect(x - 8.0, y - 8.0, 16.0, 16.0, INK, "", None);
        s.end_group();
        let (b, _) = place(
            &placed,
            &pts,
            (x, y),
            text_width(&shown, size),
            size * 1.1,
            bounds,
        );
        placed.push(b);
        s.text(Txt::new(b.0, (b.1 + b.3) / 2.0, size).bold(), &shown);
    }
    for (t, dx) in themes {
        let tx = t.x + dx;
        let theme = c.table.get(t.index).and_then(|r| r.theme).unwrap_or(0);
        let (x, y) = fr.px(tx, t.y);
        let name = theme_label(theme_names, c, t.index, lang);
        let color = theme_color(theme);
        let r = (6.0 + 40.0 * t.mass.sqrt()).min(22.0);
        s.group(Some(&format!("{name} ({:.2}, {:.2})", t.x, t.y)));
        s.raw(&fr.draw(|a| {
            a.draw(&Circle::new(
                (tx, t.y),
                r as i32,
                RGBColor::from(color).mix(0.8).filled(),
            ))
        }));
        s.end_group();
        let size = 20.0;
        let shown = truncate(&one_line(&name), 520.0, size);
        let (b, _) = place(
            &placed,
            &pts,
            (x, y),
            text_width(&shown, size) + r,
            size * 1.1,
            bounds,
        );
        placed.push(b);
        // Dark text beside the colored dot: a yellow label on white does not read on a slide.
        s.text(
            Txt::new(
                b.0 + if b.0 > x { r - 6.0 } else { 0.0 },
                (b.1 + b.3) / 2.0,
                size,
            )
            .fill(INK),
            &shown,
        );
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

/// Theme shares across the editions of a series: one line per theme with the talk counts at
/// each point; the changes a trend test supports are solid and named with their change, the
/// others dashed and grey-labelled ("drawn, not claimed").
pub fn theme_trends(c: &Comparison, series: &Series, theme_names: &[String], lang: Lang) -> Chart {
    const NAME: &str = "theme_trends";
    // The finding: the supported change with the largest swing, else that none is supported.
    let name = one_line(&series.name);
    let span = match (series.years.first(), series.years.last()) {
        (Some(a), Some(b)) => format!("{a}→{b}"),
        _ => String::new(),
    };
    let lead = series
        .rose
        .iter()
        .chain(&series.fell)
        .filter(|t| t.supported && t.theme.is_some())
        .max_by(|a, b| {
            a.change
                .abs()
                .total_cmp(&b.change.abs())
                .then(b.row.cmp(&a.row))
        });
    let counts = |t: &crate::analysis::compare::ThemeTrend| {
        t.counts
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join("→")
    };
    let title = match (lead, lang) {
        (Some(t), Lang::Ja) => format!(
            "{name} {span}：「{}」が{}（{}件）",
            theme_label(theme_names, c, t.row, lang),
            if t.change > 0.0 {
                "増えた"
            } else {
                "減った"
            },
            counts(t)
        ),
        (Some(t), Lang::En) => format!(
            "{name} {span}: “{}” {} ({} talks)",
            theme_label(theme_names, c, t.row, lang),
            if t.change > 0.0 { "rose" } else { "fell" },
            counts(t)
        ),
        (None, Lang::Ja) => format!("{name} {span}：どのテーマの変化も偶然の範囲"),
        (None, Lang::En) => format!("{name} {span}: no theme's change beyond chance"),
    };
    let trends: Vec<&crate::analysis::compare::ThemeTrend> = series
        .rose
        .iter()
        .chain(&series.fell)
        .chain(&series.steady)
        .filter(|t| t.theme.is_some())
        .collect();
    if trends.is_empty() || series.editions.len() < 2 {
        return empty(NAME, &title, lang);
    }
    let mut s = begin(&title);
    let totals: Vec<String> = series
        .editions
        .iter()
        .zip(&series.years)
        .map(|(&g, y)| format!("{y}: {}", c.groups.get(g).map_or(0, |g| g.talks)))
        .collect();
    let sub = match lang {
        Lang::Ja => format!(
            "各回のトークに占める割合 (数字は件数; 総数 {})。実線はトレンド検定で支持される変化、破線は偶然の範囲",
            totals.join("・")
        ),
        Lang::En => format!(
            "Share of each edition's talks (numbers are talks; totals {}). Solid: a change a trend test supports; dashed: within chance",
            totals.join(", ")
        ),
    };
    subtitle(&mut s, &sub);
    let n_ed = series.editions.len();
    let max_share = trends
        .iter()
        .flat_map(|t| t.shares.iter().copied())
        .fold(0.0f64, f64::max)
        .max(0.05);
    let step = nice_step(max_share * 100.0, 5.0);
    let top_pct = ((max_share * 100.0) / step).ceil().max(1.0) * step;
    let (left, top, right, bottom) = (110.0, 140.0, 960.0, H - 90.0);
    let fr = Frame::new(
        (left, top, right, bottom),
        Axis::plain(-0.3, n_ed as f64 - 0.7),
        Axis::stepped(0.0, top_pct, step),
    );
    s.raw(&fr.mesh(Mesh {
        y_grid: true,
        x_axis: true,
        y_axis: true,
        ..Mesh::default()
    }));
    for &v in fr.y_ticks() {
        s.text(
            Txt::new(left - 14.0, fr.px(0.0, v).1, TICK)
                .anchor(Anchor::End)
                .fill(MUTED),
            &format!("{}%", tick_label(v, step)),
        );
    }
    for (i, y) in series.years.iter().enumerate() {
        s.text(
            Txt::new(fr.px(i as f64, 0.0).0, bottom + 26.0, LABEL).anchor(Anchor::Middle),
            &y.to_string(),
        );
    }
    // Legend on the right: supported first, then the others; end labels there too.
    let mut order: Vec<&&crate::analysis::compare::ThemeTrend> = trends.iter().collect();
    order.sort_by(|a, b| {
        b.supported
            .cmp(&a.supported)
            .then(b.change_points.abs().cmp(&a.change_points.abs()))
            .then(a.row.cmp(&b.row))
    });
    let row_h = ((bottom - top) / order.len().max(1) as f64).min(44.0);
    let fs = (row_h * 0.5).clamp(12.0, 20.0);
    for (k, t) in order.iter().enumerate() {
        let theme = t.theme.unwrap_or(0);
        let color = theme_color(theme);
        let name = theme_label(theme_names, c, t.row, lang);
        let pts: Vec<(f64, f64)> = t
            .shares
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64, finite(v) * 100.0))
            .collect();
        let change = format!("{:+}pt", t.change_points);
        let tip = format!(
            "{name}: {} ({change}{})",
            t.shares
                .iter()
                .map(|&v| pct(v))
                .collect::<Vec<_>>()
                .join(" → "),
            t.q_value.map_or(String::new(), |q| format!(", q={q:.3}"))
        );
        s.group(Some(&tip));
        if t.supported {
            s.raw(&fr.draw(|a| {
                a.draw(&PathElement::new(
                    pts.clone(),
                    RGBColor::from(color).stroke_width(5),
                ))
            }));
        } else {
            s.raw(&fr.draw(|a| {
                a.draw(&DashedPathElement::new(
                    pts.clone(),
                    8,
                    6,
                    RGBColor::from(color).mix(0.55).stroke_width(2),
                ))
            }));
        }
        for (i, &(x, v)) in pts.iter().enumerate() {
            s.raw(&fr.draw(|a| {
                a.draw(&Circle::new(
                    (x, v),
                    if t.supported { 7 } else { 4 },
                    RGBColor::from(color).filled(),
                ))
            }));
            if t.supported {
                let (px, py) = fr.px(x, v);
                s.text(
                    Txt::new(px, py - 16.0, 15.0)
                        .anchor(Anchor::Middle)
                        .fill(INK),
                    &t.counts[i].to_string(),
                );
            }
        }
        s.end_group();
        let ly = top + row_h * (k as f64 + 0.5);
        let lx = right + 30.0;
        s.rect(lx, ly - 4.0, 28.0, 8.0, &color.hex(), "", None);
        let counts = t
            .counts
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join("→");
        let (text, fill) = if t.supported {
            (format!("{name} {change} ({counts})"), INK)
        } else {
            (format!("{name} ({counts})"), MUTED)
        };
        let mut txt = Txt::new(lx + 36.0, ly, fs).fill(fill);
        if t.supported {
            txt = txt.bold();
        }
        label(&mut s, txt, &text, W - lx - 50.0);
    }
    if !order.iter().any(|t| t.supported) {
        s.text(
            Txt::new((left + right) / 2.0, top + 20.0, 20.0)
                .anchor(Anchor::Middle)
                .fill(MUTED),
            lang.pick(
                "どのテーマの変化も、この件数では偶然の範囲です",
                "No theme's change is beyond chance at these counts",
            ),
        );
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}
