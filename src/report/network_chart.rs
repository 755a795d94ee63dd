//! The term co-occurrence network chart (`crate::network`): nodes as circles sized by the
//! number of talks using the term and colored by community ([`theme_color`]), edges as lines
//! whose width and opacity grow with the Jaccard coefficient. Plotters draws the marks in
//! pixel coordinates; labels go through the font-measured text writer, so Japanese is placed
//! and sized correctly, with a white halo to stay legible over edges. Labels that would
//! overlap push their nodes apart (a deterministic pass after the layout). Every node has a
//! `<title>` tooltip ("監視: 6件"), every edge one with its coefficient.

use std::fmt::Write as _;

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters::element::{Circle, PathElement};
use plotters::style::{Color, RGBColor};

use super::charts::{Chart, HEIGHT, WIDTH, theme_color};
use super::font::{one_line, text_width, truncate};
use super::svg::{Anchor, Svg, Txt, escape, num};
use crate::Lang;
use crate::network::Network;

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
    for _ in 0..300 {
        let mut moved = false;
        for i in 0..nodes.len() {
            for j in i + 1..nodes.len() {
                let dx = nodes[j].x - nodes[i].x;
                let dy = nodes[j].y - nodes[i].y;
                let ox = nodes[i].hw + nodes[j].hw + 4.0 - dx.abs();
                let oy = nodes[i].hh + nodes[j].hh + 2.0 - dy.abs();
                if ox > 0.0 && oy > 0.0 {
                    moved = true;
                    // Move along the axis of least overlap (vertical is cheaper for labels).
                    if oy <= ox * 1.5 {
                        let s = if dy >= 0.0 { 1.0 } else { -1.0 };
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

fn color_of(net: &Network, community: usize) -> RGBColor {
    let size = net
        .nodes
        .iter()
        .filter(|n| n.community == community)
        .count();
    if size < 2 {
        SINGLETON
    } else {
        let c = theme_color(community);
        RGBColor(c.0, c.1, c.2)
    }
}

/// The co-occurrence network as a chart (`term_network.svg` / `.png`).
pub fn network_chart(net: &Network, threshold: f64, lang: Lang) -> Chart {
    let title = lang.pick("語の共起ネットワーク", "Term co-occurrence network");
    let mut s = Svg::new(WIDTH, HEIGHT, title);
    s.text(
        Txt::new(W / 2.0, 52.0, 36.0).anchor(Anchor::Middle).bold(),
        title,
    );
    let sub = match lang {
        Lang::Ja => format!(
            "{}件のトークで同じトークに出る語を線で結ぶ (Jaccard {threshold} 以上)。円の大きさは使うトーク数、色はまとまり (コミュニティ)",
            net.n_talks
        ),
        Lang::En => format!(
            "Terms used in the same talks are linked (Jaccard >= {threshold}, {} talks). Size: talks using the term; color: community",
            net.n_talks
        ),
    };
    s.text(
        Txt::new(W / 2.0, 92.0, 20.0)
            .anchor(Anchor::Middle)
            .fill("#666666"),
        &truncate(&sub, W - 80.0, 20.0),
    );
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

    let area = (30.0, 125.0, W - 30.0, H - 25.0);
    let max_df = net.nodes.iter().map(|n| n.talks).max().unwrap_or(1).max(1) as f64;
    let min_df = net.nodes.iter().map(|n| n.talks).min().unwrap_or(1) as f64;
    let span = (max_df - min_df).max(1.0);
    let mut placed: Vec<Placed> = net
        .nodes
        .iter()
        .map(|n| {
            let t = (n.talks as f64 - min_df) / span;
            let r = 7.0 + 17.0 * t.sqrt();
            let font = 16.0 + 8.0 * t;
            let label = truncate(&one_line(&n.display), 220.0, font);
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

    // Edges under the nodes.
    for e in &net.edges {
        let (Some(a), Some(b)) = (placed.get(e.a), placed.get(e.b)) else {
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
    for (n, p) in net.nodes.iter().zip(&placed) {
        let color = color_of(net, n.community);
        let center = (p.x.round() as i32, p.y.round() as i32);
        let dot = layer(|root| {
            root.draw(&Circle::new(
                center,
                p.r.round() as i32,
                color.mix(0.9).filled(),
            ))?;
            root.draw(&Circle::new(
                center,
                p.r.round() as i32,
                RGBColor(0xFF, 0xFF, 0xFF).stroke_width(2),
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
    for p in &placed {
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
    use crate::network::{Edge, Node};

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
        let chart = network_chart(&net, 0.2, Lang::Ja);
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
        assert!(network_chart(&empty, 0.2, Lang::En).svg.contains("No data"));
    }
}
