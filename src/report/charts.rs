//! The report's charts, drawn from plain data as SVG (for the HTML report, with `<title>`
//! tooltips on every bar, dot and cell) and PNG (for slides, 1600×900 px).
//!
//! Every chart function takes its data and a [`Lang`] and returns a [`Chart`]. Labels are
//! Japanese by default; user text (talk titles, theme names, keywords, events, rooms) is shown
//! as given, escaped, and truncated with "…" where space is short (the full text stays in the
//! tooltip). Theme `i` has the color [`theme_color`]`(i)` in every chart.
//!
//! Two layers make each chart (see `charts/plot.rs`):
//! - **plotters** does the plotting: each chart's plot area is a `Cartesian2d` coordinate
//!   system built with `ChartBuilder` on an `SVGBackend::with_string` canvas of the chart's size;
//!   plotters maps the data to pixels and draws the grid lines, axis lines and tick marks (its
//!   mesh) and every mark: bars, stacked segments, heatmap and timetable cells as `Rectangle`s,
//!   map dots and silhouette points as `Circle`s, the silhouette curve as a `LineSeries`, the
//!   chosen-k and zero lines as path elements. Each mark is drawn into its own buffer, so its
//!   tooltip can be attached to exactly its elements (`<g><title>…</title>…</g>`, or a
//!   `<title>` child of a single `<circle>`/`<rect>`), escaped by our writer.
//! - **the text layer** (`svg.rs`, `font.rs`) writes all text — titles, tick labels, axis
//!   titles, category labels, legends, values in bars and cells — at positions taken from
//!   plotters' mapping. Plotters' own text is switched off (transparent tick labels, no
//!   captions): without a font backend it sizes text by byte count, which misplaces Japanese,
//!   and it cannot attach `<title>`s. Text here is measured with the bundled IPAex Gothic,
//!   which is also the only font the PNG rasterizer (resvg) sees, so output is byte-identical
//!   on every machine. Legends' color swatches and the timetable's room headers are drawn by
//!   the text layer with their labels.
//!
//! Plotters places everything on whole pixels, which keeps the SVG deterministic.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::Path;

use plotters::element::{Circle, DashedPathElement, PathElement, Rectangle};
use plotters::series::LineSeries;
use plotters::style::{Color, RGBColor, WHITE};
use resvg::{tiny_skia, usvg};

use self::plot::{Axis, Frame, Mesh, titled};

use super::font::{self, one_line, text_width, truncate, wrap};
use super::svg::{Anchor, Svg, Txt};
use crate::{Error, Lang, Result};

/// Width of every chart in px (SVG user units and PNG pixels).
pub const WIDTH: u32 = 1600;
/// Height of every chart in px: 16:9 with [`WIDTH`], to fill a slide.
pub const HEIGHT: u32 = 900;

const W: f64 = WIDTH as f64;
const H: f64 = HEIGHT as f64;
const INK: &str = "#222222";
const MUTED: &str = "#666666";
const TITLE_SIZE: f64 = 36.0;
const TITLE_Y: f64 = 52.0;
const LABEL: f64 = 22.0;
const TICK: f64 = 18.0;

/// A rendered chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// File stem, e.g. `"talks_per_theme"`.
    pub name: &'static str,
    /// Standalone SVG document (also valid inline in HTML).
    pub svg: String,
}

impl Chart {
    /// Rasterize to a [`WIDTH`]×[`HEIGHT`] PNG with the bundled font (no system fonts).
    pub fn png(&self) -> Result<Vec<u8>> {
        let fail = |why: String| {
            Error::output(
                format!("{}.png", self.name),
                tr!(
                    "グラフを画像にできません({why})",
                    "cannot render the chart: {why}"
                ),
            )
        };
        let opts = usvg::Options {
            fontdb: font::fontdb(),
            font_family: font::FONT_FAMILY.to_string(),
            languages: vec!["ja".to_string()],
            ..Default::default()
        };
        let tree = usvg::Tree::from_str(&self.svg, &opts).map_err(|e| fail(e.to_string()))?;
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)
            .ok_or_else(|| fail(format!("{WIDTH}×{HEIGHT}")))?;
        pixmap.fill(tiny_skia::Color::WHITE);
        let size = tree.size();
        let transform = tiny_skia::Transform::from_scale(
            WIDTH as f32 / size.width(),
            HEIGHT as f32 / size.height(),
        );
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        pixmap.encode_png().map_err(|e| fail(e.to_string()))
    }

    /// Write `<dir>/<name>.svg` and `<dir>/<name>.png`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let svg_path = dir.join(format!("{}.svg", self.name));
        let cannot_write =
            |e: std::io::Error| crate::error::cannot("書き出せません", "cannot write", &e);
        std::fs::write(&svg_path, &self.svg)
            .map_err(|e| Error::output(&svg_path, cannot_write(e)))?;
        let png = self.png()?;
        let png_path = dir.join(format!("{}.png", self.name));
        std::fs::write(&png_path, png).map_err(|e| Error::output(&png_path, cannot_write(e)))
    }
}

/// An sRGB color.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#RRGGBB`.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// Black or white, whichever reads better on this color.
    pub fn text_on(self) -> &'static str {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let l = 0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2);
        if l > 0.179 { "#111111" } else { "#FFFFFF" }
    }
}

/// The theme colors, largest theme first. Okabe–Ito (without black) first, then colors from
/// Paul Tol's, Tableau's, Kelly's and IBM's color-blind-aware palettes, each chosen (greedily)
/// to be as far as possible (CIEDE2000) from those before it in normal vision and under
/// simulated deuteranopia and protanopia (Machado et al. 2009), and from the grey of
/// [`NO_THEME`]: the first 8 are at least 11.6 apart, all 24 at least 5.7 (20: 7.0). No grey
/// and nothing near white: grey means "no theme".
pub const PALETTE: [Rgb; 24] = [
    Rgb(0x00, 0x72, 0xB2), // blue
    Rgb(0xE6, 0x9F, 0x00), // orange
    Rgb(0x00, 0x9E, 0x73), // bluish green
    Rgb(0xCC, 0x79, 0xA7), // reddish purple
    Rgb(0x56, 0xB4, 0xE9), // sky blue
    Rgb(0xD5, 0x5E, 0x00), // vermillion
    Rgb(0xF0, 0xE4, 0x42), // yellow
    Rgb(0x66, 0x33, 0x33), // dark brown
    Rgb(0x33, 0x22, 0x88), // indigo
    Rgb(0x8C, 0xD1, 0x7D), // light green
    Rgb(0x8C, 0x56, 0x4B), // brown
    Rgb(0x1A, 0x85, 0xFF), // bright blue
    Rgb(0x88, 0x22, 0x55), // wine
    Rgb(0x88, 0x2D, 0x17), // reddish brown
    Rgb(0xEE, 0x66, 0x77), // rose
    Rgb(0x99, 0x4F, 0x00), // ochre
    Rgb(0xAA, 0x33, 0x77), // purple red
    Rgb(0x5D, 0x3A, 0x9B), // violet
    Rgb(0xAA, 0x44, 0x99), // purple
    Rgb(0xD4, 0x11, 0x59), // crimson
    Rgb(0x59, 0xA1, 0x4F), // green
    Rgb(0xE3, 0x77, 0xC2), // pink
    Rgb(0xB3, 0x44, 0x6C), // raspberry
    Rgb(0xD6, 0x27, 0x28), // red
];

/// The grey of talks without a theme, and of nothing else.
pub const NO_THEME: Rgb = Rgb(0xC8, 0xC8, 0xC8);

/// The color of theme `i` (0-based, largest first) in every chart, in themes.json and in the
/// report's headings: [`PALETTE`]`.len()` distinct colors, then they repeat.
pub fn theme_color(i: usize) -> Rgb {
    PALETTE[i % PALETTE.len()]
}

fn theme_name(themes: &[String], i: usize, lang: Lang) -> String {
    match themes.get(i) {
        Some(n) => one_line(n),
        None => format!("{}{}", lang.pick("テーマ", "Theme "), i + 1),
    }
}

fn talks(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{n}件"),
        Lang::En if n == 1 => "1 talk".to_string(),
        Lang::En => format!("{n} talks"),
    }
}

fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// Start a chart: background, accessible title, visible title.
fn begin(title: &str) -> Svg {
    let title = one_line(title);
    let mut s = Svg::new(WIDTH, HEIGHT, &title);
    // A finding names themes and events: a long one is set smaller (down to 24 px, still
    // read from the back of a room) before anything is cut.
    let natural = text_width(&title, TITLE_SIZE);
    let size = if natural > W - 80.0 {
        (TITLE_SIZE * (W - 90.0) / natural).max(24.0)
    } else {
        TITLE_SIZE
    };
    let shown = truncate(&title, W - 80.0, size);
    let tip = (shown != title).then_some(title.as_str());
    s.text(
        Txt::new(W / 2.0, TITLE_Y, size)
            .anchor(Anchor::Middle)
            .bold()
            .tip(tip),
        &shown,
    );
    s
}

fn subtitle(s: &mut Svg, text: &str) {
    let shown = truncate(text, W - 80.0, 20.0);
    s.text(
        Txt::new(W / 2.0, TITLE_Y + 40.0, 20.0)
            .anchor(Anchor::Middle)
            .fill(MUTED),
        &shown,
    );
}

/// A chart with only its title and a "no data" note (for empty inputs).
fn empty(name: &'static str, title: &str, lang: Lang) -> Chart {
    let mut s = begin(title);
    let msg = lang.pick("表示できるデータがありません", "No data to show");
    s.text(
        Txt::new(W / 2.0, H / 2.0, 28.0)
            .anchor(Anchor::Middle)
            .fill(MUTED),
        msg,
    );
    Chart {
        name,
        svg: s.finish(),
    }
}

/// A label truncated to `max_w`, with the full text as its tooltip when cut.
fn label(s: &mut Svg, t: Txt<'_>, text: &str, max_w: f64) {
    let text = one_line(text);
    let shown = truncate(&text, max_w, t.size);
    let tip = (shown != text).then_some(text.as_str());
    s.text(t.tip(tip), &shown);
}

/// A "nice" tick step (1, 2 or 5 × 10ⁿ) giving about `target` ticks over `range`.
fn nice_step(range: f64, target: f64) -> f64 {
    if !(range.is_finite() && range > 0.0) {
        return 1.0;
    }
    let raw = range / target;
    let mag = 10f64.powf(raw.log10().floor());
    let r = raw / mag;
    let m = if r <= 1.0 {
        1.0
    } else if r <= 2.0 {
        2.0
    } else if r <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Tick label with as many decimals as the step needs.
fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        ((-step.log10().floor()) as usize).min(6)
    };
    let s = format!("{v:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s.replace('-', "−")
    }
}

/// Axis maximum and integer step for counts.
fn count_axis(max: usize) -> (f64, f64) {
    let step = nice_step(max.max(1) as f64, 5.0).max(1.0).round();
    let top = ((max as f64) / step).ceil().max(1.0) * step;
    (top, step)
}

/// Row height and font size of a vertical legend with `n` rows in `avail` px.
fn legend_metrics(n: usize, avail: f64) -> (f64, f64) {
    let row = (avail / n.max(1) as f64).min(36.0);
    (row, (row * 0.62).clamp(10.0, 20.0))
}

/// A vertical legend of theme swatches starting at (`x`, `top`).
fn legend(s: &mut Svg, x: f64, top: f64, row: f64, fs: f64, items: &[(usize, String)], max_w: f64) {
    for (k, (theme, text)) in items.iter().enumerate() {
        let cy = top + row * (k as f64 + 0.5);
        let sw = fs * 0.9;
        s.rect(
            x,
            cy - sw / 2.0,
            sw,
            sw,
            &theme_color(*theme).hex(),
            "rx=\"3\"",
            Some(text),
        );
        label(s, Txt::new(x + sw + 8.0, cy, fs), text, max_w - sw - 8.0);
    }
}

fn legend_width(items: &[(usize, String)], fs: f64, cap: f64) -> f64 {
    let w = items
        .iter()
        .map(|(_, t)| text_width(t, fs))
        .fold(0.0, f64::max);
    w.min(cap) + fs * 0.9 + 8.0
}

// ---------------------------------------------------------------------------------------------
// 1. Talks per theme

/// One bar of [`talks_per_theme`].
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeBar {
    /// Theme index (selects the color).
    pub theme: usize,
    /// Theme name as shown.
    pub name: String,
    /// Number of talks.
    pub count: usize,
}

/// Horizontal bars, one per theme, top to bottom in the given order.
pub fn talks_per_theme(bars: &[ThemeBar], lang: Lang) -> Chart {
    talks_per_theme_titled(
        bars,
        lang.pick("テーマ別トーク数", "Talks per theme"),
        None,
        lang,
    )
}

/// [`talks_per_theme`] under a title of the caller's (the finding), and a subtitle.
pub fn talks_per_theme_titled(
    bars: &[ThemeBar],
    title: &str,
    sub: Option<&str>,
    lang: Lang,
) -> Chart {
    const NAME: &str = "talks_per_theme";
    if bars.is_empty() {
        return empty(NAME, title, lang);
    }
    let mut s = begin(title);
    if let Some(sub) = sub {
        subtitle(&mut s, sub);
    }
    let top = if sub.is_some() { 130.0 } else { 100.0 };
    let bottom = H - 100.0;
    let band = (bottom - top) / bars.len() as f64;
    let fs = (band * 0.5).clamp(10.0, LABEL);
    let names: Vec<String> = bars.iter().map(|b| one_line(&b.name)).collect();
    let label_w = names
        .iter()
        .map(|n| text_width(n, fs))
        .fold(0.0, f64::max)
        .min(W * 0.36);
    let y_title_x = 44.0;
    let plot_left = y_title_x + 30.0 + label_w + 12.0;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let plot_right = W - 50.0 - text_width(&talks(max, lang), fs) - 12.0;
    let (xmax, step) = count_axis(max);
    // Bar i (from the top) is centered on y = n − i − 0.5.
    let n = bars.len() as f64;
    let fr = Frame::new(
        (plot_left, top, plot_right, bottom),
        Axis::stepped(0.0, xmax, step),
        Axis::plain(0.0, n),
    );
    s.raw(&fr.mesh(Mesh {
        x_grid: true,
        x_axis: true,
        y_axis: true,
        ..Mesh::default()
    }));
    for &v in fr.x_ticks() {
        s.text(
            Txt::new(fr.px(v, 0.0).0, bottom + 24.0, TICK)
                .anchor(Anchor::Middle)
                .fill(MUTED),
            &tick_label(v, step),
        );
    }
    s.text(
        Txt::new((plot_left + plot_right) / 2.0, H - 40.0, LABEL).anchor(Anchor::Middle),
        lang.pick("トーク数", "Talks"),
    );
    s.text(
        Txt::new(y_title_x, (top + bottom) / 2.0, LABEL)
            .anchor(Anchor::Middle)
            .rotate(-90.0),
        lang.pick("テーマ", "Theme"),
    );

    let half = (0.36f64).min(32.0 / band); // half the bar height, in bands
    for (i, (b, name)) in bars.iter().zip(&names).enumerate() {
        let yc = n - i as f64 - 0.5;
        let color = RGBColor::from(theme_color(b.theme));
        let bar = fr.draw(|a| {
            a.draw(&Rectangle::new(
                [(0.0, yc - half), (b.count as f64, yc + half)],
                color.filled(),
            ))
        });
        let (x_end, cy) = fr.px(b.count as f64, yc);
        let tip = format!("{name}: {}", talks(b.count, lang));
        s.group(Some(&tip));
        s.raw(&bar);
        label(
            &mut s,
            Txt::new(plot_left - 12.0, cy, fs).anchor(Anchor::End),
            name,
            label_w,
        );
        s.text(
            Txt::new(x_end + 8.0, cy, fs).fill(INK),
            &talks(b.count, lang),
        );
        s.end_group();
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Theme share per event

/// Talk counts per event and theme for [`theme_share_by_event`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventShares {
    /// Event names, one bar each, top to bottom.
    pub events: Vec<String>,
    /// Theme names; position = theme index (color).
    pub themes: Vec<String>,
    /// `counts[event][theme]`; missing entries count as 0.
    pub counts: Vec<Vec<usize>>,
}

/// 100 % stacked horizontal bars: the share of each theme within each event.
/// With more events, the largest `EVENT_BARS − 1` keep their bars (in the given order) and
/// the rest share one last bar: 500 bars of 1 px say nothing.
pub const EVENT_BARS: usize = 24;

/// `d` with at most [`EVENT_BARS`] events: the largest ones, then one 「ほかN件のイベント」.
fn fold_small_events(d: &EventShares, lang: Lang) -> EventShares {
    let nt = d.themes.len();
    let row = |e: usize| -> Vec<usize> {
        (0..nt)
            .map(|t| d.counts.get(e).and_then(|r| r.get(t)).copied().unwrap_or(0))
            .collect()
    };
    let total = |e: usize| row(e).iter().sum::<usize>();
    let mut by_size: Vec<usize> = (0..d.events.len()).collect();
    by_size.sort_by(|&a, &b| total(b).cmp(&total(a)).then(a.cmp(&b)));
    let mut kept = by_size[..EVENT_BARS - 1].to_vec();
    kept.sort_unstable();
    let mut rest = vec![0usize; nt];
    for &e in &by_size[EVENT_BARS - 1..] {
        for (t, c) in row(e).into_iter().enumerate() {
            rest[t] += c;
        }
    }
    let others = d.events.len() - kept.len();
    let mut events: Vec<String> = kept.iter().map(|&e| d.events[e].clone()).collect();
    events.push(match lang {
        Lang::Ja => format!("ほか{others}件のイベント"),
        Lang::En => format!("{others} other events"),
    });
    let mut counts: Vec<Vec<usize>> = kept.iter().map(|&e| row(e)).collect();
    counts.push(rest);
    EventShares {
        events,
        themes: d.themes.clone(),
        counts,
    }
}

pub fn theme_share_by_event(d: &EventShares, lang: Lang) -> Chart {
    theme_share_by_event_titled(
        d,
        lang.pick("イベント別のテーマ構成比", "Theme share per event"),
        lang,
    )
}

/// [`theme_share_by_event`] under a title that states the finding.
pub fn theme_share_by_event_titled(d: &EventShares, title: &str, lang: Lang) -> Chart {
    const NAME: &str = "theme_share_by_event";
    if d.events.is_empty() || d.themes.is_empty() {
        return empty(NAME, title, lang);
    }
    let folded;
    let d = if d.events.len() > EVENT_BARS {
        folded = fold_small_events(d, lang);
        &folded
    } else {
        d
    };
    let count = |e: usize, t: usize| d.counts.get(e).and_then(|r| r.get(t)).copied().unwrap_or(0);
    let nt = d.themes.len();
    let totals: Vec<usize> = (0..d.events.len())
        .map(|e| (0..nt).map(|t| count(e, t)).sum())
        .collect();
    let mut s = begin(title);
    let all: usize = totals.iter().sum();
    let sub = match lang {
        Lang::Ja => format!(
            "{}イベント・全{}件。各バーがそのイベントのトークの100%",
            d.events.len(),
            all
        ),
        Lang::En => format!(
            "{} events, {} talks. Each bar is 100% of its event's talks",
            d.events.len(),
            all
        ),
    };
    subtitle(&mut s, &sub);
    let (top, bottom) = (130.0, H - 100.0);

    let mut items: Vec<(usize, String)> = (0..nt)
        .filter(|&t| (0..d.events.len()).any(|e| count(e, t) > 0))
        .map(|t| (t, theme_name(&d.themes, t, lang)))
        .collect();
    if items.is_empty() {
        items = (0..nt)
            .map(|t| (t, theme_name(&d.themes, t, lang)))
            .collect();
    }
    let (row, lfs) = legend_metrics(items.len(), bottom - top);
    let lw = legend_width(&items, lfs, 420.0);
    let legend_x = W - 30.0 - lw;
    legend(&mut s, legend_x, top, row, lfs, &items, lw);

    let band = (bottom - top) / d.events.len() as f64;
    let fs = (band * 0.3).clamp(11.0, LABEL);
    let events: Vec<String> = d.events.iter().map(|e| one_line(e)).collect();
    let label_w = events
        .iter()
        .map(|e| text_width(e, fs))
        .fold(0.0, f64::max)
        .min(260.0);
    let label_lines = if band >= fs * 3.2 { 2 } else { 1 };
    let plot_left = 40.0 + label_w + 12.0;
    let max_total = totals.iter().copied().max().unwrap_or(0);
    let plot_right = legend_x - 40.0 - text_width(&talks(max_total, lang), fs) - 10.0;

    // Event e (from the top) is centered on y = ne − e − 0.5; x is the share in percent.
    let ne = d.events.len() as f64;
    let fr = Frame::new(
        (plot_left, top, plot_right, bottom),
        Axis::stepped(0.0, 100.0, 20.0),
        Axis::plain(0.0, ne),
    );
    s.raw(&fr.mesh(Mesh {
        x_grid: true,
        x_axis: true,
        ..Mesh::default()
    }));
    for &p in fr.x_ticks() {
        s.text(
            Txt::new(fr.px(p, 0.0).0, bottom + 24.0, TICK)
                .anchor(Anchor::Middle)
                .fill(MUTED),
            &format!("{p:.0}%"),
        );
    }
    s.text(
        Txt::new((plot_left + plot_right) / 2.0, H - 40.0, LABEL).anchor(Anchor::Middle),
        lang.pick("テーマの割合（%）", "Share of talks (%)"),
    );

    let half = (0.33f64).min(48.0 / band); // half the bar height, in bands
    for (e, event) in events.iter().enumerate() {
        let yc = ne - e as f64 - 0.5;
        let (_, cy) = fr.px(0.0, yc);
        let (_, y_top) = fr.px(0.0, yc + half);
        let (_, y_bottom) = fr.px(0.0, yc - half);
        let bh = y_bottom - y_top;
        let lines = wrap(event, label_w, fs, label_lines);
        let tip =
            (lines.concat().replace(' ', "") != event.replace(' ', "")).then_some(event.as_str());
        for (k, l) in lines.iter().enumerate() {
            let ly = cy + fs * 1.25 * (k as f64 - (lines.len() as f64 - 1.0) / 2.0);
            s.text(
                Txt::new(plot_left - 10.0, ly, fs)
                    .anchor(Anchor::End)
                    .tip(tip),
                l,
            );
        }
        let total = totals[e];
        s.text(
            Txt::new(plot_right + 8.0, cy, fs).fill(MUTED),
            &talks(total, lang),
        );
        if total == 0 {
            let tip = format!("{event}: {}", talks(0, lang));
            let empty_bar = fr.draw(|a| {
                a.draw(&Rectangle::new(
                    [(0.0, yc - half), (100.0, yc + half)],
                    RGBColor(0xF2, 0xF2, 0xF2).filled(),
                ))
            });
            s.raw(&titled(&empty_bar, &tip));
            continue;
        }
        let mut done = 0usize;
        for t in 0..nt {
            let c = count(e, t);
            if c == 0 {
                continue;
            }
            let (x0, x1) = (
                done as f64 / total as f64 * 100.0,
                (done + c) as f64 / total as f64 * 100.0,
            );
            done += c;
            let color = theme_color(t);
            let pct = format!("{:.0}%", x1 - x0);
            let tip = format!(
                "{event} / {}: {}（{pct}）",
                theme_name(&d.themes, t, lang),
                talks(c, lang)
            );
            let corners = [(x0, yc - half), (x1, yc + half)];
            let segment = fr.draw(|a| {
                a.draw(&Rectangle::new(corners, RGBColor::from(color).filled()))?;
                a.draw(&Rectangle::new(corners, WHITE)) // separates neighbours
            });
            s.group(Some(&tip));
            s.raw(&segment);
            let (px0, _) = fr.px(x0, yc);
            let (px1, _) = fr.px(x1, yc);
            let pfs = (bh * 0.32).clamp(10.0, 18.0);
            if text_width(&pct, pfs) + 8.0 <= px1 - px0 {
                s.text(
                    Txt::new((px0 + px1) / 2.0, cy, pfs)
                        .anchor(Anchor::Middle)
                        .fill(color.text_on()),
                    &pct,
                );
            }
            s.end_group();
        }
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Talk map

/// One talk on the [`talk_map`].
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// Position from the 2-D projection (any scale; non-finite points are skipped).
    pub x: f64,
    pub y: f64,
    /// Theme index (color).
    pub theme: usize,
    /// Talk title (tooltip).
    pub title: String,
    /// Event name (tooltip).
    pub event: String,
}

/// A theme's disc on the [`talk_map`], in the points' coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct MapDisc {
    pub theme: usize,
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// A label block on the talk map: lines centered on (`x`, `y`), pushed apart from the others.
#[derive(Debug, Clone, Copy)]
struct MapLabel {
    x: f64,
    y: f64,
    hw: f64,
    hh: f64,
}

impl MapLabel {
    fn overlaps(&self, o: &MapLabel) -> bool {
        (self.x - o.x).abs() < self.hw + o.hw + 4.0 && (self.y - o.y).abs() < self.hh + o.hh + 2.0
    }

    /// Does the label's box reach into the circle (cx, cy, r)?
    fn touches(&self, (cx, cy, r): (f64, f64, f64)) -> bool {
        let nx = cx.clamp(self.x - self.hw, self.x + self.hw);
        let ny = cy.clamp(self.y - self.hh, self.y + self.hh);
        (nx - cx).hypot(ny - cy) < r
    }

    /// Is the whole box inside the circle?
    fn inside(&self, (cx, cy, r): (f64, f64, f64)) -> bool {
        [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)]
            .iter()
            .all(|(sx, sy)| (self.x + sx * self.hw - cx).hypot(self.y + sy * self.hh - cy) <= r)
    }
}

/// Each disc's label (half-sizes `size`) where it covers no other disc, label or dot:
/// inside its own disc when it fits there, else just outside it (below, above, right, left,
/// then the diagonals, then farther out); the least covering place when none is free.
/// Largest discs first, so the big themes keep their labels inside. Hand-written: the
/// plotting crates place no labels, and the rule (discs, not points) is this map's own.
fn place_disc_labels(
    discs: &[(f64, f64, f64)],
    size: &[(f64, f64)],
    dots: &[(f64, f64)],
    area: (f64, f64, f64, f64),
) -> Vec<MapLabel> {
    let (left, top, right, bottom) = area;
    let mut order: Vec<usize> = (0..discs.len()).collect();
    order.sort_by(|&a, &b| discs[b].2.total_cmp(&discs[a].2).then(a.cmp(&b)));
    let mut placed: Vec<Option<MapLabel>> = vec![None; discs.len()];
    for &i in &order {
        let (cx, cy, r) = discs[i];
        let (hw, hh) = size[i];
        let mut candidates = vec![(cx, cy)];
        for gap in [6.0, 24.0, 60.0] {
            let (dx, dy) = (r + gap + hw, r + gap + hh);
            let d = std::f64::consts::FRAC_1_SQRT_2;
            // A label wider than its disc may also hang off either side of it, above or
            // below, so that it still touches its disc rather than moving far away.
            let side = (hw - r * 0.6).max(0.0);
            candidates.extend([
                (cx, cy + dy),
                (cx, cy - dy),
                (cx + dx, cy),
                (cx - dx, cy),
                (cx + side, cy + dy),
                (cx - side, cy + dy),
                (cx + side, cy - dy),
                (cx - side, cy - dy),
                (cx + (r + gap) * d + hw, cy + (r + gap) * d + hh),
                (cx - (r + gap) * d - hw, cy + (r + gap) * d + hh),
                (cx + (r + gap) * d + hw, cy - (r + gap) * d - hh),
                (cx - (r + gap) * d - hw, cy - (r + gap) * d - hh),
            ]);
        }
        let mut best: Option<(f64, MapLabel)> = None;
        for (rank, &(x, y)) in candidates.iter().enumerate() {
            let l = MapLabel {
                x: x.clamp(left + hw, (right - hw).max(left + hw)),
                y: y.clamp(top + hh, (bottom - hh).max(top + hh)),
                hw,
                hh,
            };
            // Inside its own disc, or clear of it: a label across its own rim reads as neither.
            let own = if l.inside(discs[i]) {
                0.0
            } else if l.touches(discs[i]) {
                8.0
            } else {
                0.0
            };
            let other_discs = discs
                .iter()
                .enumerate()
                .filter(|&(j, &d)| j != i && l.touches(d))
                .count() as f64;
            let labels = placed.iter().flatten().filter(|p| p.overlaps(&l)).count() as f64;
            let covered = dots
                .iter()
                .filter(|&&(x, y)| (x - l.x).abs() < l.hw && (y - l.y).abs() < l.hh)
                .count() as f64;
            let cost =
                own + 10.0 * other_discs + 20.0 * labels + 0.5 * covered + 0.01 * rank as f64;
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, l));
            }
        }
        placed[i] = best.map(|(_, l)| l);
    }
    placed
        .into_iter()
        .zip(discs)
        .map(|(l, &(x, y, _))| {
            l.unwrap_or(MapLabel {
                x,
                y,
                hw: 0.0,
                hh: 0.0,
            })
        })
        .collect()
}

/// The theme map (an intertopic distance map with the talks in it): each theme a labelled
/// disc in its color, sized by its talks and placed by similarity (`map_layout`), each talk
/// a dot inside its theme's disc (the most typical in the middle). Hovering a dot (in the
/// SVG) shows the talk's title, event and theme.
pub fn talk_map(points: &[MapPoint], themes: &[String], lang: Lang) -> Chart {
    talk_map_with_discs(points, &[], themes, lang)
}

/// The dots' extent: (min x, max x, min y, max y).
fn extent<'a>(dots: impl Iterator<Item = &'a MapPoint>) -> (f64, f64, f64, f64) {
    dots.fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), p| (a.min(p.x), b.max(p.x), c.min(p.y), d.max(p.y)),
    )
}

/// [`talk_map`] with the themes' discs as the layout made them (`map_layout`); a theme
/// without one gets the disc around its dots.
pub fn talk_map_with_discs(
    points: &[MapPoint],
    given: &[MapDisc],
    themes: &[String],
    lang: Lang,
) -> Chart {
    const NAME: &str = "talk_map";
    let pts: Vec<&MapPoint> = points
        .iter()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .collect();
    let mut per_theme: BTreeMap<usize, Vec<&MapPoint>> = BTreeMap::new();
    for p in &pts {
        per_theme.entry(p.theme).or_default().push(p);
    }
    let plain_title = match lang {
        Lang::Ja => "テーマの地図：似たテーマほど近く、円の大きさはトーク数".to_string(),
        Lang::En => "Theme map: similar themes close together, circle size = talks".to_string(),
    };
    if pts.is_empty() {
        return empty(NAME, &plain_title, lang);
    }

    // Each theme's disc: the middle of its dots' extent, reaching past its outermost dot.
    let spacing = {
        let (x0, x1, y0, y1) = extent(pts.iter().copied());
        (((x1 - x0) * (y1 - y0)).abs() / pts.len() as f64)
            .sqrt()
            .max(1e-9)
    };
    let discs: Vec<(usize, f64, f64, f64, usize)> = per_theme
        .iter()
        .map(|(&t, members)| {
            let (x0, x1, y0, y1) = extent(members.iter().copied());
            if let Some(d) = given
                .iter()
                .find(|d| d.theme == t && d.x.is_finite() && d.y.is_finite() && d.r.is_finite())
            {
                return (t, d.x, d.y, d.r, members.len());
            }
            let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            let far = members
                .iter()
                .map(|p| (p.x - cx).hypot(p.y - cy))
                .fold(0.0, f64::max);
            (t, cx, cy, far + spacing * 0.45, members.len())
        })
        .collect();

    // The finding: the two themes the map puts closest (centre to centre), i.e. whose talks
    // use the most similar words; ties go to the earlier pair.
    let mut nearest: Option<(f64, usize, usize)> = None;
    for (i, a) in discs.iter().enumerate() {
        for b in &discs[i + 1..] {
            let d = (a.1 - b.1).hypot(a.2 - b.2);
            if nearest.is_none_or(|(n, ..)| d < n) {
                nearest = Some((d, a.0, b.0));
            }
        }
    }
    let title = match (nearest, lang) {
        (Some((_, a, b)), Lang::Ja) => format!(
            "いちばん近いテーマ：「{}」と「{}」",
            theme_name(themes, a, lang),
            theme_name(themes, b, lang)
        ),
        (Some((_, a, b)), Lang::En) => format!(
            "The closest themes: “{}” and “{}”",
            theme_name(themes, a, lang),
            theme_name(themes, b, lang)
        ),
        (None, _) => plain_title,
    };
    let mut s = begin(&title);
    let sub = match lang {
        Lang::Ja => format!(
            "{}テーマ・全{}件。似た語を使うテーマほど近く、円の大きさはトーク数。点は1件のトークで、円の中心に近いほどそのテーマらしい",
            per_theme.len(),
            pts.len()
        ),
        Lang::En => format!(
            "{} themes, {} talks. Similar words, close themes; circle size = talks; a dot = a talk",
            per_theme.len(),
            pts.len()
        ),
    };
    subtitle(&mut s, &sub);

    let (left, right, top, bottom) = (40.0, W - 40.0, 125.0, H - 30.0);
    // One scale for both axes (distances are the message), fitted to the discs.
    let (x0, x1, y0, y1) = discs.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), &(_, x, y, r, _)| (a.min(x - r), b.max(x + r), c.min(y - r), d.max(y + r)),
    );
    let per_px = ((x1 - x0) / (right - left))
        .max((y1 - y0) / (bottom - top))
        .max(1e-12)
        / 0.96;
    let axis = |lo: f64, hi: f64, px: f64| {
        let (mid, half) = ((lo + hi) / 2.0, px * per_px / 2.0);
        Axis::plain(mid - half, mid + half)
    };
    let fr = Frame::new(
        (left, top, right, bottom),
        axis(x0, x1, right - left),
        axis(y0, y1, bottom - top),
    );
    for &(t, cx, cy, r, n) in &discs {
        let color = RGBColor::from(theme_color(t));
        let r_px = (r / per_px).round().max(4.0) as i32;
        let disc = fr.draw(|a| {
            a.draw(&Circle::new((cx, cy), r_px, color.mix(0.16).filled()))?;
            a.draw(&Circle::new((cx, cy), r_px, color.stroke_width(2)))
        });
        let tip = format!("{}: {}", theme_name(themes, t, lang), talks(n, lang));
        s.group(Some(&tip));
        s.raw(&disc);
        s.end_group();
    }
    // Dots shrink as the map fills, so neighbours stay apart.
    let r = ((spacing / per_px) * 0.3).clamp(3.0, 8.0).round() as i32;
    for p in &pts {
        let theme = theme_name(themes, p.theme, lang);
        let t = one_line(&p.title);
        let ev = one_line(&p.event);
        let tip = if ev.is_empty() {
            format!("{t}\n{theme}")
        } else {
            format!("{t}\n{ev} / {theme}")
        };
        let color = RGBColor::from(theme_color(p.theme));
        let dot = fr.draw(|a| a.draw(&Circle::new((p.x, p.y), r, color.mix(0.85).filled())));
        s.raw(&titled(&dot, &tip));
    }
    // Theme labels over their discs: the name (wrapped, never cut) and the talks.
    let fs_of = |r_px: f64| (r_px * 0.3).clamp(22.0, 28.0);
    let blocks: Vec<(Vec<String>, f64)> = discs
        .iter()
        .map(|&(t, _, _, r, n)| {
            let fs = fs_of(r / per_px);
            let name = theme_name(themes, t, lang);
            let mut lines = wrap_whole(&name, (2.0 * r / per_px).max(18.0 * fs), fs);
            lines.push(talks(n, lang));
            (lines, fs)
        })
        .collect();
    let circles: Vec<(f64, f64, f64)> = discs
        .iter()
        .map(|&(_, cx, cy, r, _)| {
            let (x, y) = fr.px(cx, cy);
            (x, y, (r / per_px).round().max(4.0))
        })
        .collect();
    let sizes: Vec<(f64, f64)> = blocks
        .iter()
        .map(|(lines, fs)| {
            (
                lines.iter().map(|l| text_width(l, *fs)).fold(0.0, f64::max) / 2.0 + 4.0,
                lines.len() as f64 * fs * 1.2 / 2.0,
            )
        })
        .collect();
    let dot_px: Vec<(f64, f64)> = pts.iter().map(|p| fr.px(p.x, p.y)).collect();
    let labels = place_disc_labels(&circles, &sizes, &dot_px, (left, top, right, bottom));
    for ((&(t, ..), (lines, fs)), l) in discs.iter().zip(&blocks).zip(&labels) {
        let ink = theme_color(t);
        let dark = if ink.text_on() == "#FFFFFF" {
            ink.hex()
        } else {
            INK.to_string()
        };
        for (k, line) in lines.iter().enumerate() {
            let y = l.y - l.hh + fs * 1.2 * (k as f64 + 0.5);
            let last = k + 1 == lines.len();
            let size = if last { fs * 0.8 } else { *fs };
            let mut txt = Txt::new(l.x, y, size)
                .anchor(Anchor::Middle)
                .fill(if last { MUTED } else { &dark })
                .halo();
            if !last {
                txt = txt.bold();
            }
            s.text(txt, line);
        }
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

/// `text` in lines of at most `max_w` px, never cut: a word longer than the width gets a
/// line of its own (as long as it is), so a label is always whole.
fn wrap_whole(text: &str, max_w: f64, size: f64) -> Vec<String> {
    let text = one_line(text);
    let lines = wrap(&text, max_w, size, usize::MAX);
    if lines.concat().replace(' ', "") == text.replace(' ', "") {
        lines
    } else {
        vec![text]
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Theme × keyword heatmap

/// Keyword use per theme for [`keyword_heatmap`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Heatmap {
    /// The finding the chart's title states; `None`: a plain title.
    pub title: Option<String>,
    /// Row labels, top to bottom.
    pub themes: Vec<String>,
    /// Theme index (color swatch) of each row; empty: the row's position.
    pub colors: Vec<usize>,
    /// Column labels: the terms that set each theme apart.
    pub keywords: Vec<String>,
    /// `weights[theme][keyword]`: the share of the theme's talks using the keyword, in
    /// [0, 1]; missing or non-finite entries are 0, larger ones 1.
    pub weights: Vec<Vec<f64>>,
}

/// Sequential, color-blind-safe ramp (light to dark blue) for t in [0, 1].
fn ramp(t: f64) -> Rgb {
    const STOPS: [Rgb; 5] = [
        Rgb(0xF7, 0xFB, 0xFF),
        Rgb(0xC6, 0xDB, 0xEF),
        Rgb(0x6B, 0xAE, 0xD6),
        Rgb(0x21, 0x71, 0xB5),
        Rgb(0x08, 0x30, 0x6B),
    ];
    let t = finite(t).clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Rows = themes, columns = keywords, cell shade and label = the share of the theme's talks
/// using the keyword (one absolute 0–100 % scale for every cell).
pub fn keyword_heatmap(h: &Heatmap, lang: Lang) -> Chart {
    const NAME: &str = "keyword_heatmap";
    let title = h.title.as_deref().unwrap_or(lang.pick(
        "各テーマに特徴的な語と、それを使うトークの割合",
        "Each theme's telling terms, and the share of its talks using them",
    ));
    if h.themes.is_empty() || h.keywords.is_empty() {
        return empty(NAME, title, lang);
    }
    let weight = |t: usize, k: usize| {
        finite(
            h.weights
                .get(t)
                .and_then(|r| r.get(k))
                .copied()
                .unwrap_or(0.0),
        )
        .clamp(0.0, 1.0)
    };
    let (nt, nk) = (h.themes.len(), h.keywords.len());
    let mut s = begin(title);
    subtitle(
        &mut s,
        lang.pick(
            "各テーマに特徴的な語 (列) を、行のテーマのトークの何%が使うか",
            "Columns: terms more of each theme's talks use than other talks do. Cells: the share of the row theme's talks using the term",
        ),
    );

    let top = 120.0;
    let names: Vec<String> = (0..nt).map(|t| theme_name(&h.themes, t, lang)).collect();
    let kws: Vec<String> = h.keywords.iter().map(|k| one_line(k)).collect();
    let colorbar_w = 110.0;
    let row_fs_guess = LABEL;
    // Row names up to two lines of this width (the longest name's half, at least).
    let widest = names
        .iter()
        .map(|n| text_width(n, row_fs_guess))
        .fold(0.0, f64::max);
    let label_w = if widest <= W * 0.24 {
        widest
    } else {
        (widest / 2.0 + row_fs_guess * 2.0).clamp(W * 0.18, W * 0.24)
    };
    let swatch = 16.0;
    let left = 40.0 + swatch + 8.0 + label_w + 10.0;
    let right = W - 40.0 - colorbar_w;
    let cell_w = (right - left) / nk as f64;
    // Column labels go below the grid, rotated 45°, whole: the font shrinks (to 12 px) until
    // the longest fits in 40 % of the height and to the left edge.
    let sin45 = std::f64::consts::FRAC_1_SQRT_2;
    let longest = |fs: f64| kws.iter().map(|k| text_width(k, fs)).fold(0.0, f64::max);
    let room = (H * 0.4 / sin45).min((left + cell_w / 2.0 - 10.0) / sin45);
    let mut kfs = (cell_w * 0.5).clamp(12.0, 20.0);
    while kfs > 12.0 && longest(kfs) > room {
        kfs -= 1.0;
    }
    let kw_max = longest(kfs).min(room);
    let label_h = kw_max * sin45 + kfs;
    let bottom = (H - 30.0 - label_h).max(top + 40.0 * nt.min(3) as f64);
    let cell_h = (bottom - top) / nt as f64;
    let fs = (cell_h * 0.45).clamp(10.0, LABEL);

    // Keyword k is the column x ∈ [k, k+1]; theme t (from the top) the row y ∈ [nt−t−1, nt−t].
    let fr = Frame::new(
        (left, top, right, bottom),
        Axis::plain(0.0, nk as f64),
        Axis::plain(0.0, nt as f64),
    );
    for (t, name) in names.iter().enumerate() {
        let y0 = (nt - t - 1) as f64;
        let (_, cy) = fr.px(0.0, y0 + 0.5);
        s.rect(
            left - 10.0 - swatch,
            cy - swatch / 2.0,
            swatch,
            swatch,
            &theme_color(h.colors.get(t).copied().unwrap_or(t)).hex(),
            "rx=\"3\"",
            None,
        );
        // Row names wrap (up to three lines, smaller if need be) rather than being cut.
        let lines = wrap(name, label_w, fs, 3);
        let fs = fs.min(cell_h / (1.15 * lines.len() as f64)).max(10.0);
        let tip =
            (lines.concat().replace(' ', "") != name.replace(' ', "")).then_some(name.as_str());
        for (n, line) in lines.iter().enumerate() {
            let ly = cy + fs * 1.1 * (n as f64 - (lines.len() as f64 - 1.0) / 2.0);
            s.text(
                Txt::new(left - 18.0 - swatch, ly, fs)
                    .anchor(Anchor::End)
                    .tip(tip),
                line,
            );
        }
        for (k, kw) in kws.iter().enumerate() {
            let w = weight(t, k);
            let color = ramp(w);
            let x0 = k as f64;
            let corners = [(x0, y0), (x0 + 1.0, y0 + 1.0)];
            let cell = fr.draw(|a| {
                a.draw(&Rectangle::new(corners, RGBColor::from(color).filled()))?;
                a.draw(&Rectangle::new(corners, WHITE)) // separates neighbours
            });
            let v = format!("{:.0}%", w * 100.0);
            let tip = format!("{name} × {kw}: {v}");
            s.group(Some(&tip));
            s.raw(&cell);
            let (cx, cy) = fr.px(x0 + 0.5, y0 + 0.5);
            let vfs = (cell_h * 0.32).min(cell_w * 0.28).clamp(10.0, 16.0);
            // Empty cells stay blank: the strong cells are the message.
            if w > 0.0
                && nt * nk <= 500
                && text_width(&v, vfs) + 6.0 <= cell_w
                && vfs + 4.0 <= cell_h
            {
                s.text(
                    Txt::new(cx, cy, vfs)
                        .anchor(Anchor::Middle)
                        .fill(color.text_on()),
                    &v,
                );
            }
            s.end_group();
        }
    }
    for (k, kw) in kws.iter().enumerate() {
        let (cx, _) = fr.px(k as f64 + 0.5, 0.0);
        let y = bottom + 8.0;
        // Keep the rotated label's lower-left end inside the image.
        let max_w = (kw_max)
            .min((cx - 10.0) / sin45)
            .min((H - y - 10.0) / sin45);
        label(
            &mut s,
            Txt::new(cx, y + kfs * 0.3, kfs)
                .anchor(Anchor::End)
                .rotate(-45.0),
            kw,
            max_w,
        );
    }
    // Color bar: five steps from 0 to 100 %.
    let bx = right + 40.0;
    s.text(
        Txt::new(bx, top - 14.0, TICK).fill(MUTED),
        lang.pick("割合", "Share"),
    );
    let steps = 5;
    let bh = ((bottom - top) / steps as f64).min(40.0);
    for i in 0..steps {
        let rel = 1.0 - i as f64 / (steps - 1) as f64;
        let y = top + bh * i as f64;
        s.rect(bx, y, 24.0, bh, &ramp(rel).hex(), "", None);
        s.text(
            Txt::new(bx + 30.0, y + bh / 2.0, 15.0).fill(MUTED),
            &format!("{:.0}%", rel * 100.0),
        );
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Timetable

/// One talk in the [`timetable`].
#[derive(Debug, Clone, PartialEq)]
pub struct TimetableCell {
    /// Start time as shown, e.g. `"10:30"` or `"Day1 10:30"` (rows sort naturally).
    pub start: String,
    /// Room / track name (columns in order of first appearance).
    pub room: String,
    /// Theme index (color); `None` for a talk without a theme (a grey cell, not a hole).
    pub theme: Option<usize>,
    /// Talk title (shortened in the cell, in full in the tooltip).
    pub title: String,
}

fn cell_color(theme: Option<usize>) -> Rgb {
    theme.map_or(NO_THEME, theme_color)
}

fn cell_theme_name(themes: &[String], theme: Option<usize>, lang: Lang) -> String {
    match theme {
        Some(t) => theme_name(themes, t, lang),
        None => lang.pick("テーマなし", "No theme").to_string(),
    }
}

/// Most time slots (rows) on one timetable page.
pub const PAGE_SLOTS: usize = 16;
/// Most rooms (columns) on one timetable page.
pub const PAGE_ROOMS: usize = 8;
/// Talks written out in one slot and room; more are summed up in a last "+N" cell.
const CELL_TALKS: usize = 4;

/// One page of an event's timetable: `label` says which day and part ("2021-03-11",
/// "2021-03-11 (2/3)"; empty for a single page).
#[derive(Debug, Clone, PartialEq)]
pub struct TimetablePage {
    pub label: String,
    pub cells: Vec<TimetableCell>,
}

/// The day part of a start time ("2021-03-11 12:30" → "2021-03-11", "Day1 10:30" → "Day1")
/// and the time shown in the rows; no day for a bare time.
fn split_day(start: &str) -> (String, String) {
    let start = one_line(start);
    match start.rsplit_once(' ') {
        Some((day, time)) if time.contains(':') => (day.to_string(), time.to_string()),
        _ => (String::new(), start),
    }
}

/// Split an event's timetable into readable pages: one per day, and each day into pages of
/// at most [`PAGE_SLOTS`] time slots × [`PAGE_ROOMS`] rooms. Cells keep only the time of
/// day when the page is a single day.
pub fn timetable_pages(cells: &[TimetableCell]) -> Vec<TimetablePage> {
    let mut days: Vec<(String, Vec<TimetableCell>)> = Vec::new();
    for c in cells {
        let (day, time) = split_day(&c.start);
        let cell = TimetableCell {
            start: time,
            ..c.clone()
        };
        match days.iter_mut().find(|(d, _)| *d == day) {
            Some((_, v)) => v.push(cell),
            None => days.push((day, vec![cell])),
        }
    }
    days.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    let mut pages = Vec::new();
    for (day, cells) in days {
        let mut slots: Vec<String> = cells.iter().map(|c| one_line(&c.start)).collect();
        slots.sort_by(|a, b| natural_cmp(a, b));
        slots.dedup();
        let mut rooms: Vec<String> = Vec::new();
        for c in &cells {
            let r = one_line(&c.room);
            if !rooms.contains(&r) {
                rooms.push(r);
            }
        }
        let slot_chunks: Vec<&[String]> = slots.chunks(PAGE_SLOTS).collect();
        let room_chunks: Vec<&[String]> = rooms.chunks(PAGE_ROOMS).collect();
        let parts = slot_chunks.len() * room_chunks.len();
        let mut part = 0;
        for slot_chunk in &slot_chunks {
            for room_chunk in &room_chunks {
                part += 1;
                let here: Vec<TimetableCell> = cells
                    .iter()
                    .filter(|c| {
                        slot_chunk.contains(&one_line(&c.start))
                            && room_chunk.contains(&one_line(&c.room))
                    })
                    .cloned()
                    .collect();
                if here.is_empty() {
                    continue;
                }
                let label = if parts > 1 {
                    format!("{day} ({part}/{parts})").trim().to_string()
                } else {
                    day.clone()
                };
                pages.push(TimetablePage { label, cells: here });
            }
        }
    }
    pages
}

/// Compare strings with digit runs as numbers ("9:30" < "10:00").
fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut prev: Option<bool> = None;
        for (i, c) in s.char_indices() {
            let d = c.is_ascii_digit();
            if prev.is_some_and(|p| p != d) {
                out.push((prev.unwrap_or(false), &s[start..i]));
                start = i;
            }
            prev = Some(d);
        }
        if let Some(p) = prev {
            out.push((p, &s[start..]));
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(&cb) {
        let o = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

/// Time slot × room grid; each talk is a cell in its theme's color showing its (shortened)
/// title. Several talks in one slot and room (e.g. lightning talks) share the cell.
/// `event` is appended to the chart title when not empty.
pub fn timetable(event: &str, cells: &[TimetableCell], themes: &[String], lang: Lang) -> Chart {
    const NAME: &str = "timetable";
    let event = one_line(event);
    let base = lang.pick("タイムテーブル", "Timetable");
    let n = cells.len();
    let plain = match (event.is_empty(), lang) {
        (true, _) => base.to_string(),
        (false, Lang::Ja) => format!("{event}の{base}"),
        (false, Lang::En) => format!("{base}: {event}"),
    };
    // The finding: the theme most of this page's talks have (ties said as ties).
    let mut per_theme: BTreeMap<usize, usize> = BTreeMap::new();
    for c in cells {
        if let Some(t) = c.theme {
            *per_theme.entry(t).or_default() += 1;
        }
    }
    let most = per_theme.values().copied().max().unwrap_or(0);
    let leaders: Vec<String> = per_theme
        .iter()
        .filter(|&(_, &m)| m == most)
        .map(|(&t, _)| theme_name(themes, t, lang))
        .collect();
    let sep = match (event.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Ja) => format!("{event}："),
        (false, Lang::En) => format!("{event}: "),
    };
    let title = match (leaders.as_slice(), lang) {
        (_, _) if most < 2 => plain,
        ([t], Lang::Ja) => format!("{sep}最も多いのは「{t}」（{n}件中{most}件）"),
        ([t], Lang::En) => format!("{sep}most talks are “{t}” ({most} of {n})"),
        (tied, Lang::Ja) if tied.len() <= 3 => format!(
            "{sep}{}が各{most}件で最多（全{n}件）",
            tied.iter().map(|t| format!("「{t}」")).collect::<String>()
        ),
        (tied, Lang::Ja) => format!("{sep}{}テーマが各{most}件で最多（全{n}件）", tied.len()),
        (tied, Lang::En) => format!(
            "{sep}{} themes tie with {most} talks each ({n} talks)",
            tied.len()
        ),
    };
    let unthemed = cells.iter().any(|c| c.theme.is_none());
    let sub = match (lang, unthemed) {
        (Lang::Ja, false) => format!("{n}件のトークを、そのテーマの色で"),
        (Lang::Ja, true) => format!("{n}件のトークを、そのテーマの色で（灰色はテーマなし）"),
        (Lang::En, false) => format!("{n} talks, each in its theme's color"),
        (Lang::En, true) => format!("{n} talks, each in its theme's color (grey: no theme)"),
    };
    if cells.is_empty() {
        return empty(NAME, &title, lang);
    }
    let mut rooms: Vec<String> = Vec::new();
    let mut slots: Vec<String> = Vec::new();
    for c in cells {
        let (r, t) = (one_line(&c.room), one_line(&c.start));
        if !rooms.contains(&r) {
            rooms.push(r);
        }
        if !slots.contains(&t) {
            slots.push(t);
        }
    }
    slots.sort_by(|a, b| natural_cmp(a, b));
    let mut groups: BTreeMap<(usize, usize), Vec<&TimetableCell>> = BTreeMap::new();
    for c in cells {
        let si = slots
            .iter()
            .position(|s| *s == one_line(&c.start))
            .unwrap_or(0);
        let ri = rooms
            .iter()
            .position(|r| *r == one_line(&c.room))
            .unwrap_or(0);
        groups.entry((si, ri)).or_default().push(c);
    }

    let mut s = begin(&title);
    subtitle(&mut s, &sub);
    // Legend: themes present (and "no theme"), flowing left to right along the bottom.
    let mut used: Vec<Option<usize>> = cells.iter().map(|c| c.theme).collect();
    used.sort_by_key(|t| t.map_or(usize::MAX, |t| t));
    used.dedup();
    // Shrink names and font until the legend fits in four lines.
    let flow_layout = |lfs: f64, cap: f64| {
        let sw = lfs * 0.9;
        let mut flow: Vec<(f64, usize, Option<usize>, String)> = Vec::new(); // (x, line, theme, text)
        let (lx0, lx1) = (40.0, W - 40.0);
        let (mut lx, mut line) = (lx0, 0usize);
        for &t in &used {
            let name = truncate(&cell_theme_name(themes, t, lang), cap, lfs);
            let w = sw + 6.0 + text_width(&name, lfs);
            if lx + w > lx1 && lx > lx0 {
                lx = lx0;
                line += 1;
            }
            flow.push((lx, line, t, name));
            lx += w + 22.0;
        }
        (flow, line)
    };
    let (mut lfs, mut flow, mut line) = (18.0, Vec::new(), 0);
    for (f, cap) in [(18.0, 400.0), (16.0, 260.0), (14.0, 180.0), (12.0, 120.0)] {
        (flow, line) = flow_layout(f, cap);
        lfs = f;
        if line < 4 {
            break;
        }
    }
    let sw = lfs * 0.9;
    let lines = (line + 1).min(4);
    let legend_h = lines as f64 * 28.0;
    let legend_top = H - 20.0 - legend_h;
    for (x, l, t, name) in &flow {
        if *l >= lines {
            continue; // more themes than fit in four legend lines: the cells' tooltips name them
        }
        let cy = legend_top + 28.0 * (*l as f64 + 0.5);
        s.rect(
            *x,
            cy - sw / 2.0,
            sw,
            sw,
            &cell_color(*t).hex(),
            "rx=\"3\"",
            None,
        );
        s.text(Txt::new(x + sw + 6.0, cy, lfs), name);
    }

    let tfs = 18.0;
    let time_w = slots
        .iter()
        .map(|t| text_width(t, tfs))
        .fold(0.0, f64::max)
        .min(180.0);
    let header_h = 40.0;
    let grid_left = 40.0 + time_w + 12.0;
    let grid_right = W - 40.0;
    let grid_top = 120.0 + header_h;
    let grid_bottom = legend_top - 14.0;
    let col_w = (grid_right - grid_left) / rooms.len() as f64;
    let row_h = (grid_bottom - grid_top) / slots.len() as f64;
    // Room r is the column x ∈ [r, r+1]; slot i (from the top) the row y ∈ [ns−i−1, ns−i];
    // plotters draws a line at every slot boundary.
    let ns = slots.len() as f64;
    let fr = Frame::new(
        (grid_left, grid_top, grid_right, grid_bottom),
        Axis::plain(0.0, rooms.len() as f64),
        Axis::stepped(0.0, ns, 1.0),
    );
    s.raw(&fr.mesh(Mesh {
        y_grid: true,
        ..Mesh::default()
    }));

    let rfs = (col_w * 0.16).clamp(10.0, 20.0);
    for (ri, room) in rooms.iter().enumerate() {
        let (x0, _) = fr.px(ri as f64, ns);
        let (x1, _) = fr.px(ri as f64 + 1.0, ns);
        s.rect(
            x0 + 2.0,
            grid_top - header_h,
            x1 - x0 - 4.0,
            header_h - 4.0,
            "#EEEEEE",
            "rx=\"4\"",
            None,
        );
        label(
            &mut s,
            Txt::new((x0 + x1) / 2.0, grid_top - header_h / 2.0 - 2.0, rfs).anchor(Anchor::Middle),
            room,
            x1 - x0 - 12.0,
        );
    }
    for (si, slot) in slots.iter().enumerate() {
        let (_, y) = fr.px(0.0, ns - si as f64);
        let fs = tfs.min(row_h * 0.8).max(10.0);
        label(
            &mut s,
            Txt::new(grid_left - 10.0, y + fs * 0.5 + 4.0, fs)
                .anchor(Anchor::End)
                .fill(MUTED),
            slot,
            time_w,
        );
    }

    for (&(si, ri), talks_here) in &groups {
        // Many talks in one slot and room (a lightning-talk block): the first few, then one
        // "+N" cell whose tooltip lists the rest.
        let (written, rest) = if talks_here.len() > CELL_TALKS {
            talks_here.split_at(CELL_TALKS - 1)
        } else {
            (&talks_here[..], &[][..])
        };
        let m = (written.len() + usize::from(!rest.is_empty())) as f64;
        if !rest.is_empty() {
            let j = written.len() as f64;
            let (x0, y1) = (ri as f64, ns - si as f64 - j / m);
            let corners = [(x0, y1 - 1.0 / m), (x0 + 1.0, y1)];
            let mut cell = Rectangle::new(corners, RGBColor(0xEE, 0xEE, 0xEE).filled());
            cell.set_margin(2, 2, 2, 2);
            let cell = fr.draw(|a| a.draw(&cell));
            let (px0, py0) = fr.px(corners[0].0, corners[1].1);
            let (_, py1) = fr.px(corners[1].0, corners[0].1);
            let tip: Vec<String> = rest.iter().map(|c| one_line(&c.title)).collect();
            s.group(Some(&tip.join("\n")));
            s.raw(&cell);
            let fs = ((py1 - py0 - 4.0) / 1.25).clamp(10.0, 15.0);
            let more = match lang {
                Lang::Ja => format!("ほか{}件", rest.len()),
                Lang::En => format!("+{} more", rest.len()),
            };
            s.text(Txt::new(px0 + 8.0, (py0 + py1) / 2.0, fs).fill(INK), &more);
            s.end_group();
        }
        for (j, c) in written.iter().enumerate() {
            let (x0, y1) = (ri as f64, ns - si as f64 - j as f64 / m);
            let corners = [(x0, y1 - 1.0 / m), (x0 + 1.0, y1)];
            let color = cell_color(c.theme);
            let mut cell = Rectangle::new(corners, RGBColor::from(color).filled());
            cell.set_margin(2, 2, 2, 2);
            let cell = fr.draw(|a| a.draw(&cell));
            // The cell as plotters placed it, for the text inside.
            let (px0, py0) = fr.px(corners[0].0, corners[1].1);
            let (px1, py1) = fr.px(corners[1].0, corners[0].1);
            let (x, y) = (px0 + 2.0, py0 + 2.0);
            let (w, h) = (px1 - px0 - 4.0, (py1 - py0 - 4.0).max(1.0));
            let title = one_line(&c.title);
            let tip = format!(
                "{title}\n{} {} / {}",
                one_line(&c.start),
                one_line(&c.room),
                cell_theme_name(themes, c.theme, lang)
            );
            s.group(Some(&tip));
            s.raw(&cell);
            let (fs, lines) = cell_text(&title, w - 12.0, h, (col_w / 9.0).clamp(10.0, 17.0));
            let block = lines.len() as f64 * fs * 1.25;
            for (k, l) in lines.iter().enumerate() {
                let cy = y + (h - block) / 2.0 + fs * 1.25 * (k as f64 + 0.5);
                s.text(Txt::new(x + 6.0, cy, fs).fill(color.text_on()), l);
            }
            s.end_group();
        }
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

/// Font size and lines for a timetable cell `w`×`h` px: the largest size up to `max_fs` whose
/// first line fits, then slightly smaller sizes if that avoids a line holding only a character
/// or two (「入門」 split as 「入」「門」) or saves a line.
fn cell_text(title: &str, w: f64, h: f64, max_fs: f64) -> (f64, Vec<String>) {
    let fs = max_fs.min((h - 4.0) / 1.25).max(10.0);
    let layout = |fs: f64| {
        let max_lines = (((h - 6.0) / (fs * 1.25)).floor() as usize).clamp(1, 3);
        wrap(title, w, fs, max_lines)
    };
    let best = layout(fs);
    let orphan = |ls: &[String]| ls.len() > 1 && ls.last().is_some_and(|l| l.chars().count() <= 2);
    if best.len() > 1 {
        for k in 1..=2 {
            let f = fs * (1.0 - 0.06 * f64::from(k));
            let alt = layout(f);
            if f >= 10.0 && (alt.len() < best.len() || (orphan(&best) && !orphan(&alt))) {
                return (f, alt);
            }
        }
    }
    (fs, best)
}

// ---------------------------------------------------------------------------------------------
// 6. Silhouette by k

/// Mean silhouette per number of clusters for [`silhouette`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SilhouetteCurve {
    /// Candidate numbers of clusters.
    pub ks: Vec<usize>,
    /// Silhouette score per k (same order; non-finite scores are skipped).
    pub scores: Vec<f64>,
    /// The k that was chosen (marked).
    pub chosen: usize,
    /// How close to the best a smaller k had to be to be chosen (shown in the note).
    pub tolerance: f64,
    /// The range of k the method note says was searched; the axis covers all of it, and
    /// the part without a score is marked as not computed.
    pub searched: Option<(usize, usize)>,
}

/// Line chart of silhouette score by k, with the chosen k marked, under a note on what the
/// values mean.
pub fn silhouette(c: &SilhouetteCurve, lang: Lang) -> Chart {
    const NAME: &str = "silhouette";
    let title = lang.pick(
        "クラスタ数ごとのシルエット係数",
        "Silhouette score by number of clusters",
    );
    let mut pts: Vec<(usize, f64)> =
        c.ks.iter()
            .copied()
            .zip(c.scores.iter().copied())
            .filter(|(_, v)| v.is_finite())
            .collect();
    pts.sort_by_key(|(k, _)| *k);
    if pts.is_empty() {
        return empty(NAME, title, lang);
    }
    let mut s = begin(title);
    // What the values mean, under the title: a silhouette around 0.1 looks like failure to
    // someone who has not met one.
    let note = match lang {
        Lang::Ja => format!(
            "シルエット係数：トークが、いちばん近い別のテーマより自分のテーマのトークにどれだけ近いかの平均（−1〜1、コサイン距離）。負の値は、平均すると別のテーマのほうに近いということ。短い文章は共通の語が少ないため、どの k でも値は低めに出ます。採用 k は最大値から {:.3} 以内でいちばん小さい k。",
            c.tolerance
        ),
        Lang::En => format!(
            "Silhouette: how much closer each talk is to the talks of its own theme than to the nearest other theme, averaged (−1 to 1, cosine distance). Negative means talks are, on average, closer to another theme. Short texts share few words, so values are low for every k. The chosen k is the smallest within {:.3} of the best.",
            c.tolerance
        ),
    };
    let note_lines = wrap(&note, W - 160.0, 18.0, 3);
    for (i, line) in note_lines.iter().enumerate() {
        s.text(
            Txt::new(W / 2.0, TITLE_Y + 38.0 + 26.0 * i as f64, 18.0)
                .anchor(Anchor::Middle)
                .fill(MUTED),
            line,
        );
    }
    let top = TITLE_Y + 38.0 + 26.0 * note_lines.len() as f64 + 20.0;
    let (left, right, bottom) = (130.0, W - 60.0, H - 110.0);
    let (lo_searched, hi_searched) = c.searched.unwrap_or((pts[0].0, pts[pts.len() - 1].0));
    let kmin = pts[0].0.min(c.chosen).min(lo_searched) as f64;
    let kmax = pts[pts.len() - 1].0.max(c.chosen).max(hi_searched) as f64;
    let (kmin, kmax) = if kmax - kmin < 1.0 {
        (kmin - 1.0, kmax + 1.0)
    } else {
        (kmin, kmax)
    };
    let lo = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = pts.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if hi - lo < 1e-9 {
        (lo - 0.05, hi + 0.05)
    } else {
        (lo, hi)
    };
    // Negative scores are shown against 0, the line between "own theme" and "another".
    let hi = if lo < 0.0 { hi.max(0.0) } else { hi };
    let step = nice_step(hi - lo, 5.0);
    let (ylo, yhi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let kstep = nice_step(kmax - kmin, 12.0).max(1.0).round();
    let k0 = (kmin / kstep).ceil() * kstep;
    // The ends of the searched range are always labelled; round ticks too close to them
    // make way.
    let mut kticks: Vec<f64> = (0..)
        .map(|i| k0 + kstep * f64::from(i))
        .take_while(|k| *k <= kmax + 1e-9)
        .filter(|k| (k - kmin).abs() >= kstep / 2.0 && (kmax - k).abs() >= kstep / 2.0)
        .collect();
    kticks.insert(0, kmin);
    if kmax > kmin {
        kticks.push(kmax);
    }
    let fr = Frame::new(
        (left, top, right, bottom),
        Axis::with_ticks(kmin, kmax, kticks),
        Axis::stepped(ylo, yhi, step),
    );
    s.raw(&fr.mesh(Mesh {
        y_grid: true,
        x_axis: true,
        y_axis: true,
        ..Mesh::default()
    }));
    for &v in fr.y_ticks() {
        s.text(
            Txt::new(left - 16.0, fr.px(kmin, v).1, TICK)
                .anchor(Anchor::End)
                .fill(MUTED),
            &tick_label(v, step),
        );
    }
    for &k in fr.x_ticks() {
        s.text(
            Txt::new(fr.px(k, ylo).0, bottom + 26.0, TICK)
                .anchor(Anchor::Middle)
                .fill(MUTED),
            &format!("{k:.0}"),
        );
    }
    s.text(
        Txt::new((left + right) / 2.0, H - 40.0, LABEL).anchor(Anchor::Middle),
        lang.pick("クラスタ数 k", "Number of clusters k"),
    );
    s.text(
        Txt::new(44.0, (top + bottom) / 2.0, LABEL)
            .anchor(Anchor::Middle)
            .rotate(-90.0),
        lang.pick("シルエット係数", "Silhouette score"),
    );

    if ylo < 0.0 && yhi > 0.0 {
        s.raw(&fr.draw(|a| {
            a.draw(&PathElement::new(
                [(kmin, 0.0), (kmax, 0.0)],
                RGBColor(0x44, 0x44, 0x44).stroke_width(2),
            ))
        }));
    }
    // Searched k without a score (too few talks for that many themes): a grey band.
    let scored: Vec<usize> = pts.iter().map(|p| p.0).collect();
    let missing: Vec<usize> = (lo_searched..=hi_searched)
        .filter(|k| !scored.contains(k))
        .collect();
    if let (Some(&first), Some(&last)) = (missing.first(), missing.last()) {
        let (x0, x1) = (
            (first as f64 - 0.4).max(kmin),
            (last as f64 + 0.4).min(kmax),
        );
        let band = fr.draw(|a| {
            a.draw(&Rectangle::new(
                [(x0, ylo), (x1, yhi)],
                RGBColor(0xEE, 0xEE, 0xEE).filled(),
            ))
        });
        let tip = match lang {
            Lang::Ja => format!("k = {first}〜{last}: トーク数が足りず計算していません"),
            Lang::En => format!("k = {first}..{last}: not computed (too few talks)"),
        };
        s.raw(&titled(&band, &tip));
        let (bx0, _) = fr.px(x0, yhi);
        let (bx1, _) = fr.px(x1, yhi);
        label(
            &mut s,
            Txt::new((bx0 + bx1) / 2.0, (top + bottom) / 2.0, TICK)
                .anchor(Anchor::Middle)
                .fill(MUTED),
            lang.pick("未計算", "not computed"),
            (bx1 - bx0 - 8.0).max(20.0),
        );
    }

    let accent = theme_color(5);
    let chosen = c.chosen as f64;
    s.raw(&fr.draw(|a| {
        a.draw(&DashedPathElement::new(
            [(chosen, ylo), (chosen, yhi)],
            8,
            6,
            RGBColor::from(accent).stroke_width(2),
        ))
    }));
    let (xc, _) = fr.px(chosen, yhi);
    let chosen_label = match lang {
        Lang::Ja => format!("採用 k = {}", c.chosen),
        Lang::En => format!("chosen k = {}", c.chosen),
    };
    let cw = text_width(&chosen_label, LABEL);
    let (lx, anchor) = if xc + 10.0 + cw < right {
        (xc + 10.0, Anchor::Start)
    } else {
        (xc - 10.0, Anchor::End)
    };
    let blue = RGBColor::from(theme_color(0));
    let line: Vec<(f64, f64)> = pts.iter().map(|&(k, v)| (k as f64, v)).collect();
    s.raw(&fr.chart(|chart| {
        chart.draw_series(LineSeries::new(line, blue.stroke_width(3)))?;
        Ok(())
    }));
    for &(k, v) in &pts {
        let tip = format!("k = {k}: {v:.3}");
        let (r, color) = if k == c.chosen {
            (10, RGBColor::from(accent))
        } else {
            (6, blue)
        };
        let dot = fr.draw(|a| a.draw(&Circle::new((k as f64, v), r, color.filled())));
        s.raw(&titled(&dot, &tip));
    }
    // Over the curve, on a white outline: the curve passes under it when the best k is near.
    s.text(
        Txt::new(lx, top + 14.0, LABEL)
            .anchor(anchor)
            .fill(&accent.hex())
            .halo(),
        &chosen_label,
    );
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Distinctive terms between two groups

/// Terms that set two groups apart, for [`diverging_terms`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diverging {
    /// Name of the group drawn on the left (negative z).
    pub left_label: String,
    /// Name of the group drawn on the right (positive z).
    pub right_label: String,
    /// (term, z-score): positive = typical of the right group, negative = of the left group.
    pub terms: Vec<(String, f64)>,
}

/// Diverging horizontal bars, sorted from most right-typical (top) to most left-typical.
/// Each term is written beside the zero line, on the side opposite its bar.
pub fn diverging_terms(d: &Diverging, lang: Lang) -> Chart {
    const NAME: &str = "distinctive_terms";
    let (l, r) = (one_line(&d.left_label), one_line(&d.right_label));
    let title = match lang {
        Lang::Ja => format!("特徴的な語：{l} と {r}"),
        Lang::En => format!("Distinctive terms: {l} vs {r}"),
    };
    if d.terms.is_empty() {
        return empty(NAME, &title, lang);
    }
    let mut terms: Vec<(String, f64)> = d
        .terms
        .iter()
        .map(|(t, z)| (one_line(t), finite(*z)))
        .collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut s = begin(&title);
    let (left, right, top, bottom) = (60.0, W - 60.0, 140.0, H - 100.0);
    let half = (right - left) / 2.0;
    let zmax = terms.iter().map(|t| t.1.abs()).fold(0.0, f64::max);
    let zmax = if zmax < 1e-6 { 1.0 } else { zmax };
    let step = nice_step(zmax, 4.0);
    let zlim = (zmax / step).ceil().max(1.0) * step;
    let value_room = 70.0;
    // z runs along x; term i (from the top) is centered on y = n − i − 0.5.
    let n = terms.len() as f64;
    let fr = Frame::new(
        (left + value_room, top, right - value_room, bottom),
        Axis::stepped(-zlim, zlim, step),
        Axis::plain(0.0, n),
    );
    let cx = fr.px(0.0, 0.0).0;

    // Group headers.
    let (lc, rc) = (Rgb(0xD5, 0x5E, 0x00), Rgb(0x00, 0x72, 0xB2));
    let hfs = 24.0;
    let lh = match lang {
        Lang::Ja => format!("← {l} で多い"),
        Lang::En => format!("← more in {l}"),
    };
    let rh = match lang {
        Lang::Ja => format!("{r} で多い →"),
        Lang::En => format!("more in {r} →"),
    };
    label(
        &mut s,
        Txt::new(cx - 20.0, 108.0, hfs)
            .anchor(Anchor::End)
            .fill(&lc.hex()),
        &lh,
        half - 40.0,
    );
    label(
        &mut s,
        Txt::new(cx + 20.0, 108.0, hfs).fill(&rc.hex()),
        &rh,
        half - 40.0,
    );

    s.raw(&fr.mesh(Mesh {
        x_grid: true,
        ..Mesh::default()
    }));
    for &z in fr.x_ticks() {
        let t = if z > 1e-9 {
            format!("+{}", tick_label(z, step))
        } else {
            tick_label(z, step)
        };
        s.text(
            Txt::new(fr.px(z, 0.0).0, bottom + 22.0, TICK)
                .anchor(Anchor::Middle)
                .fill(MUTED),
            &t,
        );
    }
    s.text(
        Txt::new(cx, H - 40.0, LABEL).anchor(Anchor::Middle),
        lang.pick("zスコア（偏り）", "z-score"),
    );

    let band = (bottom - top) / n;
    let fs = (band * 0.55).clamp(10.0, LABEL);
    let half_bar = (0.35f64).min(20.0 / band); // half the bar height, in bands
    for (i, (term, z)) in terms.iter().enumerate() {
        let yc = n - i as f64 - 0.5;
        let (color, group) = if *z >= 0.0 { (rc, &r) } else { (lc, &l) };
        let bar = fr.draw(|a| {
            a.draw(&Rectangle::new(
                [(0.0, yc - half_bar), (*z, yc + half_bar)],
                RGBColor::from(color).filled(),
            ))
        });
        let (x_end, cy) = fr.px(*z, yc);
        let tip = format!("{term}: z = {z:+.2}（{group}）");
        s.group(Some(&tip));
        s.raw(&bar);
        let zt = format!("{z:+.1}").replace('-', "−");
        if *z >= 0.0 {
            label(
                &mut s,
                Txt::new(cx - 8.0, cy, fs).anchor(Anchor::End),
                term,
                half - 16.0,
            );
            s.text(
                Txt::new(x_end + 6.0, cy, (fs * 0.85).max(10.0)).fill(MUTED),
                &zt,
            );
        } else {
            label(&mut s, Txt::new(cx + 8.0, cy, fs), term, half - 16.0);
            s.text(
                Txt::new(x_end - 6.0, cy, (fs * 0.85).max(10.0))
                    .anchor(Anchor::End)
                    .fill(MUTED),
                &zt,
            );
        }
        s.end_group();
    }
    // The zero line, over the bars' ends.
    s.raw(&fr.draw(|a| {
        a.draw(&PathElement::new(
            vec![(0.0, 0.0), (0.0, n)],
            RGBColor(0x22, 0x22, 0x22).stroke_width(2),
        ))
    }));
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Codes by event

/// The data of [`codes_by_event`].
#[derive(Debug, Clone, PartialEq)]
pub struct CodesByEvent {
    /// Code labels, top to bottom.
    pub codes: Vec<String>,
    /// Event names, left to right.
    pub events: Vec<String>,
    /// `counts[code][event]`: talks of the event with the code.
    pub counts: Vec<Vec<u64>>,
    /// Talks per event.
    pub totals: Vec<u64>,
}

/// Rows = coding rules, columns = events, cell shade = share of the event's talks the code
/// matched, written as "n (x%)": events of different sizes compare by share.
pub fn codes_by_event(d: &CodesByEvent, lang: Lang) -> Chart {
    const NAME: &str = "codes_by_event";
    let title = lang.pick("イベント別のコード", "Codes by event");
    if d.codes.is_empty() || d.events.is_empty() {
        return empty(NAME, title, lang);
    }
    let (nc, ne) = (d.codes.len(), d.events.len());
    let count = |c: usize, e: usize| d.counts.get(c).and_then(|r| r.get(e)).copied().unwrap_or(0);
    let share = |c: usize, e: usize| {
        let t = d.totals.get(e).copied().unwrap_or(0);
        if t > 0 {
            count(c, e) as f64 / t as f64
        } else {
            0.0
        }
    };
    let max = (0..nc)
        .flat_map(|c| (0..ne).map(move |e| (c, e)))
        .map(|(c, e)| share(c, e))
        .fold(0.0, f64::max);
    let mut s = begin(title);
    subtitle(
        &mut s,
        lang.pick(
            "色が濃いほど、そのイベントのトークのうちコードに当てはまる割合が高い",
            "Darker = a larger share of the event's talks has the code",
        ),
    );
    let codes: Vec<String> = d.codes.iter().map(|c| one_line(c)).collect();
    let events: Vec<String> = d.events.iter().map(|e| one_line(e)).collect();
    let colorbar_w = 130.0;
    let label_w = codes
        .iter()
        .map(|c| text_width(c, LABEL))
        .fold(0.0, f64::max)
        .min(W * 0.25);
    let left = 40.0 + label_w + 12.0;
    let right = W - 40.0 - colorbar_w;
    let top = 180.0;
    let bottom = H - 40.0;
    let cell_w = (right - left) / ne as f64;
    let cell_h = ((bottom - top) / nc as f64).min(90.0);
    let bottom = top + cell_h * nc as f64;
    let fs = (cell_h * 0.45).clamp(10.0, LABEL);
    let efs = (cell_w * 0.16).clamp(10.0, LABEL);

    // Event e is the column x ∈ [e, e+1]; code c (from the top) the row y ∈ [nc−c−1, nc−c].
    let fr = Frame::new(
        (left, top, right, bottom),
        Axis::plain(0.0, ne as f64),
        Axis::plain(0.0, nc as f64),
    );
    for (e, event) in events.iter().enumerate() {
        let (cx, _) = fr.px(e as f64 + 0.5, 0.0);
        let lines = wrap(event, cell_w - 8.0, efs, 2);
        let tip =
            (lines.concat().replace(' ', "") != event.replace(' ', "")).then_some(event.as_str());
        for (k, l) in lines.iter().enumerate() {
            let y = top - 14.0 - efs * 1.25 * (lines.len() - 1 - k) as f64;
            s.text(Txt::new(cx, y, efs).anchor(Anchor::Middle).tip(tip), l);
        }
    }
    for (c, code) in codes.iter().enumerate() {
        let y0 = (nc - c - 1) as f64;
        let (_, cy) = fr.px(0.0, y0 + 0.5);
        label(
            &mut s,
            Txt::new(left - 12.0, cy, fs).anchor(Anchor::End),
            code,
            label_w,
        );
        for (e, event) in events.iter().enumerate() {
            let sh = share(c, e);
            let color = ramp(if max > 0.0 { sh / max } else { 0.0 });
            let x0 = e as f64;
            let corners = [(x0, y0), (x0 + 1.0, y0 + 1.0)];
            let cell = fr.draw(|a| {
                a.draw(&Rectangle::new(corners, RGBColor::from(color).filled()))?;
                a.draw(&Rectangle::new(corners, WHITE))
            });
            let n = count(c, e);
            let total = d.totals.get(e).copied().unwrap_or(0);
            let tip = format!("{code} × {event}: {n}/{total} ({:.0}%)", sh * 100.0);
            s.group(Some(&tip));
            s.raw(&cell);
            let v = format!("{n} ({:.0}%)", sh * 100.0);
            let vfs = (cell_h * 0.34).min(cell_w * 0.16).clamp(10.0, 18.0);
            if text_width(&v, vfs) + 6.0 <= cell_w && vfs + 4.0 <= cell_h {
                let (cx, cy) = fr.px(x0 + 0.5, y0 + 0.5);
                s.text(
                    Txt::new(cx, cy, vfs)
                        .anchor(Anchor::Middle)
                        .fill(color.text_on()),
                    &v,
                );
            }
            s.end_group();
        }
    }
    // Color bar: five steps from 0 % to the largest share.
    let bx = right + 40.0;
    s.text(
        Txt::new(bx, top - 14.0, TICK).fill(MUTED),
        lang.pick("割合", "Share"),
    );
    let steps = 5;
    let bh = ((bottom - top) / steps as f64).min(40.0);
    for i in 0..steps {
        let rel = 1.0 - i as f64 / (steps - 1) as f64;
        let y = top + bh * i as f64;
        s.rect(bx, y, 24.0, bh, &ramp(rel).hex(), "", None);
        s.text(
            Txt::new(bx + 30.0, y + bh / 2.0, 15.0).fill(MUTED),
            &format!("{:.0}%", rel * max * 100.0),
        );
    }
    Chart {
        name: NAME,
        svg: s.finish(),
    }
}

pub mod compare;
mod plot;
#[cfg(test)]
mod tests;
