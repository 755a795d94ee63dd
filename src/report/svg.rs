//! A tiny SVG writer: every number is printed with fixed precision and every string that
//! reaches the document goes through [`escape`], so output is deterministic and injection-free.

use std::fmt::Write as _;

use super::font::FONT_STACK;

/// Escape text for XML/HTML element content and attribute values. Characters XML forbids
/// (control characters other than tab/newline/CR) are dropped, so the SVG always parses.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with two decimals, trailing zeros trimmed; never `NaN`, `inf` or `-0`.
pub(crate) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let mut s = format!("{v:.2}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" { "0".to_string() } else { s }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// How to set one piece of text. `y` is the vertical *center* of the text line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Txt<'a> {
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub anchor: Anchor,
    pub fill: &'a str,
    pub bold: bool,
    /// Rotation in degrees around (x, y).
    pub rotate: f64,
    /// Tooltip (e.g. the full text when the label was truncated).
    pub tip: Option<&'a str>,
    /// A white outline under the glyphs, so the text reads over marks.
    pub halo: bool,
}

impl<'a> Txt<'a> {
    pub fn new(x: f64, y: f64, size: f64) -> Self {
        Txt {
            x,
            y,
            size,
            anchor: Anchor::Start,
            fill: "#222222",
            bold: false,
            rotate: 0.0,
            tip: None,
            halo: false,
        }
    }
    pub fn halo(mut self) -> Self {
        self.halo = true;
        self
    }
    pub fn anchor(mut self, a: Anchor) -> Self {
        self.anchor = a;
        self
    }
    pub fn fill(mut self, f: &'a str) -> Self {
        self.fill = f;
        self
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn rotate(mut self, deg: f64) -> Self {
        self.rotate = deg;
        self
    }
    pub fn tip(mut self, t: Option<&'a str>) -> Self {
        self.tip = t;
        self
    }
}

pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Start a `w`×`h` document with an accessible `<title>` and a white background.
    pub fn new(w: u32, h: u32, title: &str) -> Self {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" font-family=\"{}\" role=\"img\">\n<title>{}</title>\n\
             <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#FFFFFF\"/>\n",
            escape(FONT_STACK),
            escape(title)
        );
        Svg { out }
    }

    fn title_child(&mut self, tip: Option<&str>) {
        if let Some(t) = tip {
            let _ = write!(self.out, "<title>{}</title>", escape(t));
        }
    }

    /// Open a group; `tip` becomes its `<title>`, shown when hovering any of its children.
    pub fn group(&mut self, tip: Option<&str>) {
        self.out.push_str("<g>");
        self.title_child(tip);
        self.out.push('\n');
    }

    pub fn end_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// A filled rectangle (zero or negative sizes are clamped to 0). `extra` is trusted,
    /// constant attribute text.
    #[allow(clippy::too_many_arguments)] // a drawing primitive: geometry + style
    pub fn rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: &str,
        extra: &str,
        tip: Option<&str>,
    ) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}{extra}",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
            escape(fill),
            if extra.is_empty() { "" } else { " " },
        );
        self.close(tip, "rect");
    }

    /// Text whose line is vertically centered on `t.y` (baseline computed from the font's
    /// metrics, since `dominant-baseline` support varies between renderers).
    pub fn text(&mut self, t: Txt<'_>, content: &str) {
        let baseline = t.y + t.size * 0.36;
        let anchor = match t.anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
            Anchor::End => " text-anchor=\"end\"",
        };
        let weight = if t.bold { " font-weight=\"bold\"" } else { "" };
        let rot = if t.rotate != 0.0 {
            format!(
                " transform=\"rotate({} {} {})\"",
                num(t.rotate),
                num(t.x),
                num(t.y)
            )
        } else {
            String::new()
        };
        let halo = if t.halo {
            format!(
                " stroke=\"#FFFFFF\" stroke-width=\"{}\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                num((t.size * 0.22).max(3.0))
            )
        } else {
            String::new()
        };
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\"{anchor}{weight}{rot}{halo}>",
            num(t.x),
            num(baseline),
            num(t.size),
            escape(t.fill),
        );
        self.title_child(t.tip);
        let _ = writeln!(self.out, "{}</text>", escape(content));
    }

    fn close(&mut self, tip: Option<&str>, tag: &str) {
        match tip {
            Some(_) => {
                self.out.push('>');
                self.title_child(tip);
                let _ = writeln!(self.out, "</{tag}>");
            }
            None => self.out.push_str("/>\n"),
        }
    }

    /// Append SVG elements drawn by plotters (trusted: they hold only numbers and colors;
    /// tooltips were escaped by the caller).
    pub fn raw(&mut self, elements: &str) {
        self.out.push_str(elements);
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_chars() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape("a&b \"c\" 'd'\u{1}"),
            "a&amp;b &quot;c&quot; &#39;d&#39;"
        );
    }

    #[test]
    fn numbers_are_fixed_precision() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(120.5), "120.5");
    }
}
