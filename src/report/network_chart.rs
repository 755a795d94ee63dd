//! The term co-occurrence network chart (`crate::network`): nodes as circles sized by the
//! number of talks using the term and colored by community, edges as lines whose width and
//! opacity grow with the Jaccard coefficient. Plotters draws the marks in pixel coordinates;
//! labels go through the font-measured text writer, so Japanese is placed and sized
//! correctly, in full, with a white halo to stay legible over edges. Labels that would
//! overlap push their nodes apart (a deterministic pass after the layout), and fonts shrink
//! until none overlap. A legend names each community by its most used terms. Every node has a
//! `<title>` tooltip ("監視: 6件"), every edge one with its coefficient.
//!
//! Communities are not themes: they get their own pale palette ([`COMMUNITY_PALETTE`]), so a
//! blue community is never read as the blue theme.

use std::fmt::Write as _;

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters::element::{Circle, PathElement};
use plotters::style::{Color, RGBColor};

use super::charts::{Chart, HEIGHT, Rgb, WIDTH};
use super::font::{one_line, text_width, truncate};
use super::svg::{Anchor, Svg, Txt, escape, num};
use crate::Lang;
use crate::analysis::network::{self, Network, NetworkParams};
use crate::fitted::Analysis;

/// Terms whose specificity to the themes (`themes::term_specificity`) is below this are left
/// out of the report's network: on the seeds the genre words of CfP prose (提供, 運用, 改善,
/// 解決, エンジニア) score 0.01–0.17 and were its hubs; theme words score 0.25 and more.
pub use crate::themes::MIN_SPECIFICITY;

/// The report's network parameters: the defaults, with a lower Jaccard floor and fewer, the
/// strongest, edges. Specific terms co-occur less than genre words: on the dev corpus (346
/// talks) only 9 pairs of them reach 0.2.
pub fn report_params() -> NetworkParams {
    NetworkParams {
        threshold: 0.1,
        max_edges: 90,
        ..NetworkParams::default()
    }
}

/// Keywords per theme the report's network starts from.
pub const KEYWORDS_PER_THEME: usize = 8;

/// The report's term network ([`report_params`]) over the themes' own keywords that are
/// specific to some themes, one spelling per word ([`same_word`]: the less used spelling is
/// left out). Returns the network and, per node, the theme it is drawn in: the theme with the
/// largest share of talks using it.
pub fn term_network(analysis: &Analysis) -> crate::Result<(Network, Vec<usize>)> {
    let tfidf = &analysis.tfidf;
    let k = analysis.themes.themes.len();
    let contrast = crate::themes::ShareContrast::new(
        &tfidf.counts,
        &tfidf.pieces,
        &analysis.clustering.labels,
        k,
        tfidf.vocab.len(),
    );
    let specificity = contrast.specificity();
    let talks = talks_using(analysis);
    let mut kept: Vec<usize> = Vec::new();
    for theme in &analysis.themes.themes {
        for kw in theme.keywords.iter().take(KEYWORDS_PER_THEME) {
            let Some(i) = tfidf.vocab.get(&kw.term).map(|i| i as usize) else {
                continue;
            };
            if specificity[i] < MIN_SPECIFICITY || kept.contains(&i) {
                continue;
            }
            match kept.iter().position(|&j| {
                same_word(
                    &tfidf.vocab.display[i],
                    &tfidf.vocab.display[j],
                    &talks[i],
                    &talks[j],
                )
            }) {
                // One spelling per word: the more used one.
                Some(p) if talks[i].len() > talks[kept[p]].len() => kept[p] = i,
                Some(_) => {}
                None => kept.push(i),
            }
        }
    }
    let keys: std::collections::HashSet<&str> =
        kept.iter().map(|&i| tfidf.vocab.keys[i].as_str()).collect();
    let net = network::build_filtered(&analysis.terms, &report_params(), |key| keys.contains(key))?;
    let node_theme = net
        .nodes
        .iter()
        .map(|n| {
            let i = tfidf.vocab.get(&n.key).map_or(0, |i| i as usize);
            (0..k)
                .max_by(|&a, &b| {
                    contrast
                        .share(a, i)
                        .total_cmp(&contrast.share(b, i))
                        .then(b.cmp(&a))
                })
                .unwrap_or(0)
        })
        .collect();
    Ok((net, node_theme))
}

/// Nodes linked to at least one other node.
pub fn linked_nodes(net: &Network) -> usize {
    (0..net.nodes.len())
        .filter(|&i| net.edges.iter().any(|e| e.a == i || e.b == i))
        .count()
}

/// A network with fewer linked words than this says nothing worth a slide, and is not drawn.
pub const MIN_LINKED: usize = 4;

/// How the nodes are colored and what the legend names.
pub enum NodeColors<'a> {
    /// By community, in their own pale palette (the `network` command, which has no themes).
    Communities,
    /// In the color of the theme each node belongs to (`node_theme[i]`), themes named in the
    /// legend (the report).
    Themes {
        node_theme: &'a [usize],
        names: &'a [String],
    },
}

/// Whether two terms are one word said twice, so a chart shows one of them: either one's
/// written form contains the other's (インシデント / インシデント対応) or one is the other in
/// katakana (Cost / コスト, Platform / プラットフォーム: [`sounds_alike`]), and the rarer one's
/// talks (`a_talks`, `b_talks`: sorted talk indices) nearly all (≥ 80 %) use the other.
pub fn same_word(a: &str, b: &str, a_talks: &[usize], b_talks: &[usize]) -> bool {
    let (la, lb) = (a.to_lowercase(), b.to_lowercase());
    let alike = sounds_alike(&la, &lb).max(sounds_alike(&lb, &la));
    // Four consonants or more alike (Storage / ストレージ) are one word wherever they occur.
    if alike >= 4 {
        return true;
    }
    let both = a_talks
        .iter()
        .filter(|t| b_talks.binary_search(t).is_ok())
        .count();
    let rarer = a_talks.len().min(b_talks.len());
    if rarer == 0 || (both as f64) < 0.8 * rarer as f64 {
        return false;
    }
    la.contains(&lb) || lb.contains(&la) || alike > 0
}

/// Consonant classes, so a Latin word and its katakana loanword compare: k (k c g q), s (s z
/// j), t (t d), n (n m), h (h f p b v), r (r l), w; vowels, y and the kana's vowels drop out.
fn latin_skeleton(word: &str) -> Vec<char> {
    let c: Vec<char> = word.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        let soft = matches!(next, Some('e' | 'i' | 'y'));
        let class = match c[i] {
            'c' if next == Some('h') => {
                i += 1;
                Some('t')
            }
            's' | 't' | 'p' if next == Some('h') => {
                let class = if c[i] == 'p' { 'h' } else { 's' };
                i += 1;
                Some(class)
            }
            'c' if soft => Some('s'),
            'g' if soft => Some('s'),
            'c' | 'k' | 'g' | 'q' => Some('k'),
            'x' => {
                out.push('k');
                Some('s')
            }
            's' | 'z' | 'j' => Some('s'),
            't' | 'd' => Some('t'),
            'n' | 'm' => Some('n'),
            'h' | 'f' | 'p' | 'b' | 'v' => Some('h'),
            'r' | 'l' => Some('r'),
            'w' => Some('w'),
            _ => None,
        };
        // Doubled letters are one sound.
        let doubled = i > 0 && c[i - 1] == c[i];
        if let Some(k) = class
            && !doubled
        {
            out.push(k);
        }
        i += 1;
    }
    out
}

fn kana_skeleton(word: &str) -> Option<Vec<char>> {
    const ROWS: [(&str, char); 10] = [
        ("カキクケコガギグゲゴ", 'k'),
        ("サシスセソザジズゼゾ", 's'),
        ("タチツテトダヂヅデド", 't'),
        ("ナニヌネノマミムメモン", 'n'),
        ("ハヒフヘホバビブベボパピプペポヴ", 'h'),
        ("ラリルレロ", 'r'),
        ("ワヲ", 'w'),
        ("アイウエオァィゥェォ", ' '),
        ("ヤユヨャュョ", ' '),
        ("ッー・", ' '),
    ];
    let mut out = Vec::new();
    for ch in word.chars() {
        let class = ROWS.iter().find(|(row, _)| row.contains(ch))?.1;
        if class != ' ' {
            out.push(class);
        }
    }
    Some(out)
}

/// Whether `latin` and the all-katakana `kana` are one word (Cost / コスト, Platform /
/// プラットフォーム, Security / セキュリティ): their consonant skeletons differ by at most one
/// edit in four. Returns the skeleton's length when they are (the longer, the surer), else
/// 0. Hand-written: no crate transliterates loanwords back to English.
fn sounds_alike(latin: &str, kana: &str) -> usize {
    if !latin.chars().all(|c| c.is_ascii_alphabetic()) {
        return 0;
    }
    let (Some(k), l) = (kana_skeleton(kana), latin_skeleton(latin)) else {
        return 0;
    };
    if k.len() < 2 || l.len() < 2 {
        return 0;
    }
    let close = strsim::generic_levenshtein(&k, &l) <= (k.len().max(l.len()) / 4).max(1);
    if close { k.len().min(l.len()) } else { 0 }
}

/// Sorted talk indices using each vocabulary term (the TF-IDF's raw counts, one row per
/// talk).
pub fn talks_using(analysis: &Analysis) -> Vec<Vec<usize>> {
    let tfidf = &analysis.tfidf;
    let mut sets = vec![Vec::new(); tfidf.vocab.len()];
    for (t, row) in tfidf.counts.iter().enumerate() {
        for &(i, w) in row {
            if w > 0.0
                && tfidf.uses_itself(t, i)
                && let Some(set) = sets.get_mut(i as usize)
            {
                set.push(t);
            }
        }
    }
    sets
}

/// Pale fills for communities (Paul Tol's "light" scheme), unlike the saturated theme colors.
pub const COMMUNITY_PALETTE: [Rgb; 8] = [
    Rgb(0x77, 0xAA, 0xDD),
    Rgb(0xEE, 0x88, 0x66),
    Rgb(0x44, 0xBB, 0x99),
    Rgb(0xEE, 0xDD, 0x88),
    Rgb(0xFF, 0xAA, 0xBB),
    Rgb(0x99, 0xDD, 0xFF),
    Rgb(0xBB, 0xCC, 0x33),
    Rgb(0xAA, 0xAA, 0x00),
];

/// Communities named in the legend; smaller ones are grey like singletons.
const LEGEND_COMMUNITIES: usize = 8;
/// Longest label drawn (px at its font size); longer ones end in "…" with the full term in the
/// node's tooltip.
const MAX_LABEL_W: f64 = 480.0;

const NAME: &str = "term_network";
const W: f64 = WIDTH as f64;
const H: f64 = HEIGHT as f64;
const SINGLETON: RGBColor = RGBColor(0xB0, 0xB0, 0xB0);

type Drawn = std::result::Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// Elements plotters draws for one mark, without the `<svg>` wrapper (empty if plotters ever
/// changes its framing, rather than a panic).
fn layer(draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Drawn) -> String {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        if draw(&root).and_then(|()| root.present()).is_err() {
            return String::new();
        }
    }
    buf.strip_prefix("<svg ")
        .and_then(|b| b.split_once(">\n"))
        .and_then(|(_, b)| b.strip_suffix("</svg>\n"))
        .unwrap_or("")
        .to_string()
}

struct Placed {
    x: f64,
    y: f64,
    r: f64,
    font: f64,
    label: String,
    /// Half width and half height of the node's box (circle and label).
    hw: f64,
    hh: f64,
}

/// Push apart nodes whose boxes overlap, keeping them inside `area`; fixed passes, fixed
/// order: deterministic.
fn separate(nodes: &mut [Placed], area: (f64, f64, f64, f64)) {
    let (left, top, right, bottom) = area;
    for _ in 0..1000 {
        let mut moved = false;
        for i in 0..nodes.len() {
            for j in i + 1..nodes.len() {
                let dx = nodes[j].x - nodes[i].x;
                let dy = nodes[j].y - nodes[i].y;
                let ox = nodes[i].hw + nodes[j].hw + 4.0 - dx.abs();
                let oy = nodes[i].hh + nodes[j].hh + 2.0 - dy.abs();
                if ox > 0.0 && oy > 0.0 {
                    moved = true;
                    // Move along the axis of least overlap (vertical is cheaper for labels),
                    // sideways when the vertical move would go past the top or bottom.
                    let s = if dy >= 0.0 { 1.0 } else { -1.0 };
                    let blocked = (s > 0.0
                        && (nodes[i].y - nodes[i].hh <= top + 0.5
                            || nodes[j].y + nodes[j].hh >= bottom - 0.5))
                        || (s < 0.0
                            && (nodes[j].y - nodes[j].hh <= top + 0.5
                                || nodes[i].y + nodes[i].hh >= bottom - 0.5));
                    if oy <= ox * 1.5 && !blocked {
                        nodes[i].y -= s * oy / 2.0;
                        nodes[j].y += s * oy / 2.0;
                    } else {
                        let s = if dx >= 0.0 { 1.0 } else { -1.0 };
                        nodes[i].x -= s * ox / 2.0;
                        nodes[j].x += s * ox / 2.0;
                    }
                }
            }
        }
        for n in nodes.iter_mut() {
            n.x = n.x.clamp(left + n.hw, (right - n.hw).max(left + n.hw));
            n.y = n.y.clamp(top + n.hh, (bottom - n.hh).max(top + n.hh));
        }
        if !moved {
            break;
        }
    }
}

fn community_size(net: &Network, community: usize) -> usize {
    net.nodes
        .iter()
        .filter(|n| n.community == community)
        .count()
}

fn color_of(net: &Network, community: usize) -> RGBColor {
    // Communities are numbered by size, so the first ones are the named ones.
    if community >= LEGEND_COMMUNITIES || community_size(net, community) < 2 {
        SINGLETON
    } else {
        let c = COMMUNITY_PALETTE[community % COMMUNITY_PALETTE.len()];
        RGBColor(c.0, c.1, c.2)
    }
}

/// Whether two placed boxes overlap (with the spacing `separate` keeps).
fn overlap(a: &Placed, b: &Placed) -> bool {
    (b.x - a.x).abs() < a.hw + b.hw + 2.0 && (b.y - a.y).abs() < a.hh + b.hh
}

/// The co-occurrence network as a chart (`term_network.svg` / `.png`), under `title` and a
/// `subtitle` that says which terms it links (the report and the `network` command choose
/// them differently).
pub fn network_chart(
    net: &Network,
    title: &str,
    subtitle: &str,
    colors: &NodeColors<'_>,
    lang: Lang,
) -> Chart {
    let mut s = Svg::new(WIDTH, HEIGHT, title);
    s.text(
        Txt::new(W / 2.0, 52.0, 36.0).anchor(Anchor::Middle).bold(),
        &truncate(title, W - 80.0, 36.0),
    );
    // Terms that share no talk with another are left out when others are linked: a cloud of
    // unconnected words says nothing about co-occurrence.
    let linked: Vec<bool> = (0..net.nodes.len())
        .map(|i| net.edges.is_empty() || net.edges.iter().any(|e| e.a == i || e.b == i))
        .collect();
    let left_out = linked.iter().filter(|&&l| !l).count();
    for (n, line) in super::font::wrap(subtitle, W - 120.0, 20.0, 2)
        .iter()
        .enumerate()
    {
        s.text(
            Txt::new(W / 2.0, 92.0 + 26.0 * n as f64, 20.0)
                .anchor(Anchor::Middle)
                .fill("#666666"),
            line,
        );
    }
    if net.nodes.is_empty() {
        s.text(
            Txt::new(W / 2.0, H / 2.0, 28.0)
                .anchor(Anchor::Middle)
                .fill("#666666"),
            lang.pick("表示できるデータがありません", "No data to show"),
        );
        return Chart {
            name: NAME,
            svg: s.finish(),
        };
    }

    // Legend on the right: each theme, or each named community by its three most used terms;
    // entries wrap onto two lines rather than being cut.
    let legend_w = 360.0;
    let legend_x = W - 20.0 - legend_w;
    let mut legend_y = 160.0;
    let node_color = |i: usize| -> RGBColor {
        match colors {
            NodeColors::Communities => color_of(net, net.nodes[i].community),
            NodeColors::Themes { node_theme, .. } => RGBColor::from(super::charts::theme_color(
                node_theme.get(i).copied().unwrap_or(0),
            )),
        }
    };
    let mut entries: Vec<(RGBColor, String)> = Vec::new();
    match colors {
        NodeColors::Communities => {
            s.text(
                Txt::new(legend_x, legend_y, 18.0).bold(),
                lang.pick("語のまとまり", "Term communities"),
            );
            legend_y += 24.0;
            s.text(
                Txt::new(legend_x, legend_y, 14.0).fill("#666666"),
                lang.pick(
                    "色はテーマの色とは別です",
                    "Colors are not the theme colors",
                ),
            );
            legend_y += 30.0;
            for c in 0..LEGEND_COMMUNITIES {
                let mut members: Vec<&network::Node> = net
                    .nodes
                    .iter()
                    .enumerate()
                    .filter(|&(i, n)| n.community == c && linked[i])
                    .map(|(_, n)| n)
                    .collect();
                if members.len() < 2 {
                    continue;
                }
                members.sort_by(|a, b| b.talks.cmp(&a.talks).then(a.key.cmp(&b.key)));
                let names: Vec<String> = members
                    .iter()
                    .take(3)
                    .map(|n| one_line(&n.display))
                    .collect();
                entries.push((
                    color_of(net, c),
                    format!("{}（{}）", names.join("・"), members.len()),
                ));
            }
        }
        NodeColors::Themes { node_theme, names } => {
            s.text(
                Txt::new(legend_x, legend_y, 18.0).bold(),
                lang.pick("色：キーワードのテーマ", "Color: the keyword's theme"),
            );
            legend_y += 34.0;
            let mut themes: Vec<usize> = (0..net.nodes.len())
                .filter(|&i| linked[i])
                .filter_map(|i| node_theme.get(i).copied())
                .collect();
            themes.sort_unstable();
            themes.dedup();
            for t in themes {
                let name = names.get(t).map_or_else(String::new, |n| one_line(n));
                entries.push((RGBColor::from(super::charts::theme_color(t)), name));
            }
        }
    }
    let efs = if entries.len() > 12 { 15.0 } else { 18.0 };
    for (fill, text) in &entries {
        s.rect(
            legend_x,
            legend_y - 8.0,
            16.0,
            16.0,
            &Rgb(fill.0, fill.1, fill.2).hex(),
            "rx=\"8\" stroke=\"#555555\" stroke-width=\"1\"",
            None,
        );
        let lines = super::font::wrap(text, legend_w - 26.0, efs, 2);
        let tip =
            (lines.concat().replace(' ', "") != text.replace(' ', "")).then_some(text.as_str());
        for (n, line) in lines.iter().enumerate() {
            s.text(
                Txt::new(legend_x + 24.0, legend_y + efs * 1.2 * n as f64, efs).tip(tip),
                line,
            );
        }
        legend_y += efs * 1.2 * (lines.len() as f64 - 1.0) + efs * 2.0;
    }

    let area = (30.0, 150.0, legend_x - 20.0, H - 25.0);
    let shown: Vec<usize> = (0..net.nodes.len()).filter(|&i| linked[i]).collect();
    let max_df = shown
        .iter()
        .map(|&i| net.nodes[i].talks)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let min_df = shown.iter().map(|&i| net.nodes[i].talks).min().unwrap_or(1) as f64;
    let span = (max_df - min_df).max(1.0);
    let place = |scale: f64| -> Vec<Placed> {
        let mut placed: Vec<Placed> = shown
            .iter()
            .map(|&i| {
                let n = &net.nodes[i];
                let t = (n.talks as f64 - min_df) / span;
                let r = (7.0 + 17.0 * t.sqrt()) * scale.max(0.7);
                let font = (18.0 + 8.0 * t) * scale;
                let label = truncate(&one_line(&n.display), MAX_LABEL_W * scale, font);
                let lw = text_width(&label, font);
                let x = area.0 + 80.0 + finite(n.x) * (area.2 - area.0 - 160.0);
                let y = area.1 + 30.0 + finite(n.y) * (area.3 - area.1 - 60.0);
                Placed {
                    x,
                    y,
                    r,
                    font,
                    hw: (lw / 2.0 + 3.0).max(r),
                    hh: r + font * 0.55,
                    label,
                }
            })
            .collect();
        separate(&mut placed, area);
        placed
    };
    // Shrink labels until none overlap (dense networks on a slide).
    let mut placed = place(1.0);
    for scale in [0.85, 0.72, 0.6] {
        let clash = (0..placed.len())
            .any(|i| (i + 1..placed.len()).any(|j| overlap(&placed[i], &placed[j])));
        if !clash {
            break;
        }
        placed = place(scale);
    }
    // Still crowded at the smallest size: the smaller term's label goes (its node and tooltip
    // stay), so no label is drawn over another.
    for i in 0..placed.len() {
        for j in i + 1..placed.len() {
            if !placed[i].label.is_empty()
                && !placed[j].label.is_empty()
                && overlap(&placed[i], &placed[j])
            {
                let smaller = if net.nodes[shown[j]].talks > net.nodes[shown[i]].talks {
                    i
                } else {
                    j
                };
                placed[smaller].label.clear();
            }
        }
    }
    let at: Vec<Option<usize>> = {
        let mut at = vec![None; net.nodes.len()];
        for (slot, &i) in shown.iter().enumerate() {
            at[i] = Some(slot);
        }
        at
    };

    // Edges under the nodes.
    for e in &net.edges {
        let (Some(a), Some(b)) = (
            at.get(e.a).copied().flatten().map(|k| &placed[k]),
            at.get(e.b).copied().flatten().map(|k| &placed[k]),
        ) else {
            continue;
        };
        let w = e.jaccard.clamp(0.0, 1.0);
        let style = RGBColor(0x55, 0x55, 0x55)
            .mix(0.18 + 0.5 * w)
            .stroke_width((1.0 + 5.0 * w).round() as u32);
        let (pa, pb) = (
            (a.x.round() as i32, a.y.round() as i32),
            (b.x.round() as i32, b.y.round() as i32),
        );
        let line = layer(|root| root.draw(&PathElement::new(vec![pa, pb], style)));
        let tip = format!(
            "{} – {}: Jaccard {:.2} ({})",
            net.nodes[e.a].display,
            net.nodes[e.b].display,
            e.jaccard,
            match lang {
                Lang::Ja => format!("{}件", e.talks),
                Lang::En => format!("{} talks", e.talks),
            }
        );
        s.group(Some(&tip));
        s.raw(&line);
        s.end_group();
    }
    // Nodes, then labels on top of everything.
    for (&i, p) in shown.iter().zip(&placed) {
        let n = &net.nodes[i];
        let color = node_color(i);
        let center = (p.x.round() as i32, p.y.round() as i32);
        let dot = layer(|root| {
            root.draw(&Circle::new(center, p.r.round() as i32, color.filled()))?;
            root.draw(&Circle::new(
                center,
                p.r.round() as i32,
                RGBColor(0x55, 0x55, 0x55).stroke_width(1),
            ))
        });
        let tip = match lang {
            Lang::Ja => format!("{}: {}件", one_line(&n.display), n.talks),
            Lang::En => format!("{}: {} talks", one_line(&n.display), n.talks),
        };
        s.group(Some(&tip));
        s.raw(&dot);
        s.end_group();
    }
    let mut labels = String::new();
    for p in placed.iter().filter(|p| !p.label.is_empty()) {
        // Label centered on the node, a white halo under the glyphs (paint-order: stroke).
        let baseline = p.y + p.font * 0.36;
        let _ = writeln!(
            labels,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#111111\" text-anchor=\"middle\" \
             stroke=\"#FFFFFF\" stroke-width=\"{}\" stroke-linejoin=\"round\" \
             paint-order=\"stroke\">{}</text>",
            num(p.x),
            num(baseline),
            num(p.font),
            num((p.font * 0.22).max(3.0)),
            escape(&p.label)
        );
    }
    s.raw(&labels);
    if left_out > 0 {
        let note = match lang {
            Lang::Ja => format!("他の語と結ばれない {left_out} 語は省略"),
            Lang::En => format!("{left_out} terms without links left out"),
        };
        s.text(
            Txt::new(legend_x, H - 30.0, 14.0).fill("#666666"),
            &truncate(&note, legend_w, 14.0),
        );
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::network::{Edge, Node};

    fn node(key: &str, talks: usize, community: usize, x: f64) -> Node {
        Node {
            key: key.to_string(),
            display: key.to_string(),
            talks,
            community,
            x,
            y: 0.5,
        }
    }

    #[test]
    fn one_word_in_two_spellings_is_one_word() {
        assert!(same_word("Cost", "コスト", &[1, 2], &[1, 2, 3, 4]));
        assert!(same_word(
            "インシデント",
            "インシデント対応",
            &[1, 2, 3],
            &[2, 3]
        ));
        // Two words, though always together in a few talks.
        assert!(!same_word(
            "Kubernetes",
            "コンテナ",
            &(0..10).collect::<Vec<_>>(),
            &[1, 2, 3]
        ));
        assert!(!same_word("SLO", "目標", &[1, 2], &[1, 2]));
        for (latin, kana) in [
            ("Platform", "プラットフォーム"),
            ("Security", "セキュリティ"),
            ("Observability", "オブザーバビリティ"),
            ("Helm", "ヘルム"),
            ("Engineering", "エンジニアリング"),
        ] {
            assert!(
                same_word(latin, kana, &[1, 2], &[1, 2, 3]),
                "{latin} / {kana}"
            );
        }
        // A short skeleton needs the talks too; a longer one is one word anywhere.
        assert!(!same_word("Cost", "コスト", &[1, 2], &[3, 4]));
        assert!(same_word("Storage", "ストレージ", &[1, 2], &[3, 4]));
    }

    #[test]
    fn draws_nodes_with_tooltips_and_escapes_labels() {
        let net = Network {
            n_talks: 4,
            nodes: vec![
                node("監視", 3, 0, 0.5),
                node("<alert>", 2, 0, 0.5),
                node("コスト", 2, 1, f64::NAN),
            ],
            edges: vec![Edge {
                a: 0,
                b: 1,
                jaccard: 0.5,
                talks: 2,
            }],
            communities: 1,
        };
        let chart = network_chart(&net, "t", "s", &NodeColors::Communities, Lang::Ja);
        assert!(chart.svg.contains("<title>監視: 3件</title>"));
        assert!(chart.svg.contains("&lt;alert&gt;"));
        assert!(!chart.svg.contains("<alert>"));
        assert!(chart.svg.contains("Jaccard 0.50"));
        assert!(!chart.svg.contains("NaN"));
        let empty = Network {
            n_talks: 0,
            nodes: Vec::new(),
            edges: Vec::new(),
            communities: 0,
        };
        let chart = network_chart(&empty, "t", "s", &NodeColors::Communities, Lang::En);
        assert!(chart.svg.contains("No data"));
    }

    /// Label boxes as the chart drew them: (left, top, right, bottom, text).
    fn label_boxes(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
        svg.lines()
            .filter(|l| l.starts_with("<text") && l.contains("paint-order"))
            .map(|l| {
                let attr = |name: &str| -> f64 {
                    let key = format!(" {name}=\"");
                    let start = l.find(&key).unwrap() + key.len();
                    l[start..].split('"').next().unwrap().parse().unwrap()
                };
                let text = l.split('>').nth(1).unwrap().split('<').next().unwrap();
                let (x, y, fs) = (attr("x"), attr("y"), attr("font-size"));
                let w = text_width(text, fs);
                (
                    x - w / 2.0,
                    y - fs * 0.86,
                    x + w / 2.0,
                    y + fs * 0.2,
                    text.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn labels_are_whole_inside_the_canvas_and_do_not_overlap() {
        // 40 linked terms, long compounds among them, crowded into the middle of the layout.
        let words = [
            "プラットフォームエンジニアリング",
            "オブザーバビリティ",
            "ポストモーテム",
            "Kubernetes",
            "インシデント対応",
        ];
        let nodes: Vec<Node> = (0..40)
            .map(|i| {
                let mut n = node(
                    &format!("{}{i}", words[i % words.len()]),
                    2 + i % 7,
                    i % 4,
                    0.4 + (i % 5) as f64 * 0.05,
                );
                n.y = 0.4 + (i / 5) as f64 * 0.03;
                n
            })
            .collect();
        let edges: Vec<Edge> = (1..40)
            .map(|i| Edge {
                a: i - 1,
                b: i,
                jaccard: 0.3,
                talks: 2,
            })
            .collect();
        let net = Network {
            n_talks: 50,
            nodes,
            edges,
            communities: 4,
        };
        let svg = network_chart(&net, "t", "s", &NodeColors::Communities, Lang::Ja).svg;
        let boxes = label_boxes(&svg);
        assert_eq!(boxes.len(), 40);
        for b in &boxes {
            assert!(!b.4.contains('…'), "cut label {}", b.4);
            assert!(
                b.0 >= 0.0 && b.2 <= W && b.1 >= 0.0 && b.3 <= H,
                "outside: {b:?}"
            );
        }
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "{} overlaps {}", a.4, b.4);
            }
        }
        // A legend names the communities, in colors that are not the theme colors.
        assert!(svg.contains("語のまとまり"));
        for t in 0..4 {
            let theme = crate::report::charts::theme_color(t).hex();
            assert!(
                !svg.contains(&format!("fill=\"{theme}\"")),
                "theme color {theme}"
            );
        }
    }
}
