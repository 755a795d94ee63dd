//! Text from the inputs (titles, speakers, events, file names) on its way out: control
//! characters (ESC sequences that repaint a terminal, CR that hides a line, …) are removed
//! from terminal output, Markdown and CSV, escaped in one-line messages, and spreadsheet
//! cells that would start a formula are neutralised.

use std::borrow::Cow;

/// C0 and C1 control characters and DEL; not tab and newline.
fn unwanted(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `s` without control characters other than tab and newline (for multi-line output).
pub fn text(s: &str) -> Cow<'_, str> {
    if s.chars().any(unwanted) {
        Cow::Owned(s.chars().filter(|&c| !unwanted(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` on one line: every control character, newlines included, shown escaped (`\n`,
/// `\u{1b}`), so a file name cannot forge a second message line.
pub fn line(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_control) {
        let mut out = String::with_capacity(s.len() + 8);
        for c in s.chars() {
            if c.is_control() {
                out.extend(c.escape_debug());
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` in one field (a cell, a table row): control characters removed, a newline, tab or CR
/// inside becomes a space.
pub fn field(s: &str) -> Cow<'_, str> {
    if s.chars().any(char::is_control) {
        Cow::Owned(
            s.chars()
                .filter_map(|c| match c {
                    '\n' | '\t' | '\r' => Some(' '),
                    c if c.is_control() => None,
                    c => Some(c),
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// A spreadsheet cell: a value starting with `=`, `+`, `-`, `@`, tab or CR (a formula to
/// Excel, LibreOffice and Google Sheets) gets a leading `'` (the OWASP rule), after control
/// characters are removed.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let starts_formula = |v: &str| v.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if starts_formula(s) {
        return Cow::Owned(format!("'{}", field(s)));
    }
    match field(s) {
        Cow::Owned(f) if starts_formula(&f) => Cow::Owned(format!("'{f}")),
        f => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_removed_or_escaped() {
        assert_eq!(text("a\u{1b}[2Jb\nc\td\r"), "a[2Jb\nc\td");
        assert_eq!(line("a\nb\u{1b}"), "a\\nb\\u{1b}");
        assert_eq!(field("a\nb\u{7f}c"), "a bc");
        assert_eq!(text("監視"), "監視");
    }

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(csv_cell(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(csv_cell("監視"), "監視");
        assert_eq!(csv_cell("a-b"), "a-b");
        // A control character in front does not hide a formula.
        assert_eq!(csv_cell("\u{1}=1"), "'=1");
    }
}
