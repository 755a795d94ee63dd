//! The plotters layer of the charts: coordinate systems, grid, axes and marks.
//!
//! Every chart's plot area is a plotters `Cartesian2d` built by `ChartBuilder` on an
//! `SVGBackend::with_string` canvas of the chart's full size, so the pixel coordinates plotters
//! emits are the document's. Plotters' own text is switched off (tick labels are drawn
//! transparent, so the SVG backend writes no `<text>`; no captions or axis descriptions): the
//! text layer in `charts.rs` writes all text, measured with the bundled font, at positions from
//! [`Frame::px`], plotters' mapping of data to pixels.
//!
//! Each mark is drawn into its own SVG buffer ([`Frame::draw`]), so its elements are exactly
//! what plotters drew for it; the caller wraps them in a `<g>` with a `<title>`, or [`titled`]
//! gives a single-element mark its `<title>` child, checking that it is one element.

use std::ops::Range;

use plotters::backend::SVGBackend;
use plotters::chart::{ChartBuilder, ChartContext};
use plotters::coord::CoordTranslate;
use plotters::coord::Shift;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind, IntoDrawingArea};
use plotters::style::{Color, IntoFont, RGBColor, TRANSPARENT, TextStyle};

use super::{HEIGHT, Rgb, WIDTH};
use crate::report::svg::escape;

/// What a plotters drawing step returns (the SVG backend's error is `std::io::Error`).
pub(super) type Drawn = std::result::Result<(), DrawingAreaErrorKind<std::io::Error>>;

/// The plotters coordinate system of every chart: linear in x and y.
pub(super) type Spec = Cartesian2d<Axis, Axis>;

/// Pixels left of and below the plot area where plotters draws the axis lines and tick marks.
const AXIS_ROOM: i32 = 10;
/// Length of plotters' tick marks.
const TICK_LEN: i32 = 6;

pub(super) const GRID: RGBColor = RGBColor(0xE2, 0xE2, 0xE2);
pub(super) const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88);

impl From<Rgb> for RGBColor {
    fn from(c: Rgb) -> Self {
        RGBColor(c.0, c.1, c.2)
    }
}

/// A linear axis over `f64` whose grid lines and tick marks sit exactly at `ticks` (plotters'
/// own key-point choice is replaced so that the text layer's tick labels match).
#[derive(Clone)]
pub(super) struct Axis {
    lin: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Axis {
    /// `lo..hi` with no grid lines or ticks.
    pub fn plain(lo: f64, hi: f64) -> Self {
        Axis {
            lin: (lo..hi).into(),
            ticks: Vec::new(),
        }
    }

    /// `lo..hi` with ticks at `lo`, `lo + step`, … up to `hi`.
    pub fn stepped(lo: f64, hi: f64, step: f64) -> Self {
        let n = ((hi - lo) / step + 1e-6).floor().max(0.0) as usize;
        Axis {
            lin: (lo..hi).into(),
            ticks: (0..=n).map(|i| lo + step * i as f64).collect(),
        }
    }

    /// `lo..hi` with ticks at the given values.
    pub fn with_ticks(lo: f64, hi: f64, ticks: Vec<f64>) -> Self {
        Axis {
            lin: (lo..hi).into(),
            ticks,
        }
    }

    pub fn ticks(&self) -> &[f64] {
        &self.ticks
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.lin.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new() // no light grid lines between the ticks
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lin.range()
    }
}

/// Which parts of the mesh plotters draws.
#[derive(Clone, Copy, Default)]
pub(super) struct Mesh {
    /// Vertical grid lines at the x ticks.
    pub x_grid: bool,
    /// Horizontal grid lines at the y ticks.
    pub y_grid: bool,
    /// x axis line below the plot, with tick marks.
    pub x_axis: bool,
    /// y axis line left of the plot, with tick marks.
    pub y_axis: bool,
}

/// The plot area of one chart: a pixel rectangle and the data ranges mapped onto it.
pub(super) struct Frame {
    /// Left, top, right, bottom of the plot area in px (whole pixels).
    rect: (i32, i32, i32, i32),
    x: Axis,
    y: Axis,
    spec: Spec,
}

impl Frame {
    /// Plot area `left..right` × `top..bottom` (px; y grows downwards on screen, upwards in
    /// data) showing `x` × `y`.
    pub fn new((left, top, right, bottom): (f64, f64, f64, f64), x: Axis, y: Axis) -> Self {
        let px = |v: f64| v.round() as i32;
        let mut f = Frame {
            rect: (px(left), px(top), px(right), px(bottom)),
            x,
            y,
            spec: Cartesian2d::new(Axis::plain(0.0, 1.0), Axis::plain(0.0, 1.0), (0..1, 0..1)),
        };
        let mut spec = None;
        layer(|root| {
            spec = Some(f.build(root)?.plotting_area().as_coord_spec().clone());
            Ok(())
        });
        f.spec = spec.expect("layer ran the closure");
        f
    }

    fn build<'a, 'b>(
        &self,
        root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    ) -> std::result::Result<
        ChartContext<'a, SVGBackend<'b>, Spec>,
        DrawingAreaErrorKind<std::io::Error>,
    > {
        let (l, t, r, b) = self.rect;
        let (w, h) = (WIDTH as i32, HEIGHT as i32);
        ChartBuilder::on(root)
            .margin_left((l - AXIS_ROOM).max(0))
            .margin_top(t.max(0))
            .margin_right((w - r).max(0))
            .margin_bottom((h - b - AXIS_ROOM).max(0))
            .x_label_area_size(AXIS_ROOM)
            .y_label_area_size(AXIS_ROOM)
            .build_cartesian_2d(self.x.clone(), self.y.clone())
    }

    /// Pixel position of data point (`x`, `y`), as plotters maps it.
    pub fn px(&self, x: f64, y: f64) -> (f64, f64) {
        let (a, b) = self.spec.translate(&(x, y));
        (f64::from(a), f64::from(b))
    }

    pub fn x_ticks(&self) -> &[f64] {
        self.x.ticks()
    }

    pub fn y_ticks(&self) -> &[f64] {
        self.y.ticks()
    }

    /// Grid lines and axes (with tick marks) as configured, drawn by plotters' mesh. Returns
    /// SVG elements.
    pub fn mesh(&self, m: Mesh) -> String {
        self.chart(|chart| {
            let hidden = TextStyle::from(("sans-serif", 1).into_font()).color(&TRANSPARENT);
            let mut style = chart.configure_mesh();
            style
                .bold_line_style(GRID.stroke_width(1))
                .axis_style(AXIS.stroke_width(2))
                .x_label_style(hidden.clone())
                .y_label_style(hidden)
                .set_all_tick_mark_size(TICK_LEN);
            if !m.x_grid {
                style.disable_x_mesh();
            }
            if !m.y_grid {
                style.disable_y_mesh();
            }
            if !m.x_axis {
                style.disable_x_axis();
            }
            if !m.y_axis {
                style.disable_y_axis();
            }
            style.draw()
        })
    }

    /// Draw with the chart context (series, mesh) into a fresh buffer; returns SVG elements.
    pub fn chart(
        &self,
        f: impl FnOnce(&mut ChartContext<'_, SVGBackend<'_>, Spec>) -> Drawn,
    ) -> String {
        layer(|root| f(&mut self.build(root)?))
    }

    /// Draw elements in data coordinates into a fresh buffer; returns exactly the SVG elements
    /// plotters emitted for them (one mark's worth, ready to be wrapped with a tooltip).
    pub fn draw(&self, f: impl FnOnce(&DrawingArea<SVGBackend<'_>, Spec>) -> Drawn) -> String {
        self.chart(|chart| f(chart.plotting_area()))
    }
}

/// Run plotters on a fresh full-size SVG canvas and return the elements it drew (without the
/// `<svg>` wrapper). Plotters writes into a `String` and draws no text here, so it cannot fail.
fn layer(draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Drawn) -> String {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root)
            .and_then(|()| root.present())
            .expect("plotters drawing into a String cannot fail");
    }
    let body = buf
        .strip_prefix("<svg ")
        .and_then(|b| b.split_once(">\n"))
        .and_then(|(_, b)| b.strip_suffix("</svg>\n"));
    match body {
        Some(b) => b.to_string(),
        None => panic!("unexpected plotters SVG framing: {buf}"),
    }
}

/// Give a mark that plotters drew as exactly one element its tooltip as a `<title>` child:
/// `<circle …/>` becomes `<circle …><title>…</title></circle>`. Panics (loudly, in the tests)
/// if `elem` is not exactly one self-closed element.
pub(super) fn titled(elem: &str, tip: &str) -> String {
    let tag: String = elem
        .strip_prefix('<')
        .unwrap_or("")
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let head = elem.strip_suffix("/>\n");
    match head {
        Some(head) if !tag.is_empty() && elem.matches('<').count() == 1 => {
            format!("{head}><title>{}</title></{tag}>\n", escape(tip))
        }
        _ => panic!("a titled mark must be one plotters element, got {elem:?}"),
    }
}

#[cfg(test)]
mod tests {
    use plotters::element::{Circle, Rectangle};

    use super::*;

    #[test]
    fn frame_maps_data_to_the_plot_rectangle() {
        let f = Frame::new(
            (100.0, 50.0, 500.0, 450.0),
            Axis::stepped(0.0, 10.0, 5.0),
            Axis::plain(0.0, 4.0),
        );
        assert_eq!(f.x_ticks(), &[0.0, 5.0, 10.0]);
        let (x0, y0) = f.px(0.0, 0.0);
        let (x1, y1) = f.px(10.0, 4.0);
        assert!(
            (x0 - 100.0).abs() <= 1.0 && (x1 - 500.0).abs() <= 1.0,
            "{x0} {x1}"
        );
        assert!(
            (y0 - 450.0).abs() <= 1.0 && (y1 - 50.0).abs() <= 1.0,
            "{y0} {y1}"
        );
    }

    #[test]
    fn mesh_draws_grid_and_ticks_but_no_text() {
        let f = Frame::new(
            (100.0, 50.0, 500.0, 450.0),
            Axis::stepped(0.0, 10.0, 5.0),
            Axis::stepped(0.0, 4.0, 1.0),
        );
        let m = f.mesh(Mesh {
            x_grid: true,
            y_grid: true,
            x_axis: true,
            y_axis: true,
        });
        assert!(!m.contains("<text"), "{m}");
        // 3 + 5 grid lines, 2 axis lines, 3 + 5 tick marks.
        let lines = m.matches("<line").count() + m.matches("<polyline").count();
        assert_eq!(lines, 18, "{m}");
    }

    #[test]
    fn one_mark_one_buffer_and_titles_are_escaped() {
        let f = Frame::new(
            (0.0, 0.0, 100.0, 100.0),
            Axis::plain(0.0, 1.0),
            Axis::plain(0.0, 1.0),
        );
        let dot = f.draw(|a| a.draw(&Circle::new((0.5, 0.5), 4, RGBColor(1, 2, 3).filled())));
        assert_eq!(dot.matches("<circle").count(), 1, "{dot}");
        let t = titled(&dot, "<b>&");
        assert!(
            t.ends_with("><title>&lt;b&gt;&amp;</title></circle>\n"),
            "{t}"
        );
        let two = f.draw(|a| {
            a.draw(&Rectangle::new([(0.0, 0.0), (1.0, 1.0)], GRID.filled()))?;
            a.draw(&Rectangle::new([(0.0, 0.0), (1.0, 1.0)], AXIS))
        });
        assert_eq!(two.matches("<rect").count(), 2);
        assert!(std::panic::catch_unwind(|| titled(&two, "x")).is_err());
    }
}
