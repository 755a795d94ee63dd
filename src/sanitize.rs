//! Text from the inputs (titles, speakers, events, file names) on its way out: control
//! characters (ESC sequences that repaint a terminal, CR that hides a line, …) are removed
//! from terminal output, Markdown and CSV, escaped in one-line messages, and spreadsheet
//! cells that would start a formula are neutralised. Bidirectional overrides and isolates
//! (U+202A–U+202E, U+2066–U+2069: they reorder what a reader sees, "Trojan source") go the
//! same way, and the line and paragraph separators U+2028/U+2029 count as newlines.

use std::borrow::Cow;

/// A bidirectional formatting character that reorders the text around it (an override,
/// an embedding or an isolate, and the Arabic letter mark).
pub fn bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: line breaks to terminals and
/// editors, though not to `str::lines`.
pub fn separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// What never reaches output as is: control characters (C0, C1, DEL), bidi controls and
/// the separators.
pub fn unsafe_char(c: char) -> bool {
    c.is_control() || bidi_control(c) || separator(c)
}

/// Removed from multi-line output: everything [`unsafe_char`] except tab and newline
/// (the separators become newlines).
fn unwanted(c: char) -> bool {
    unsafe_char(c) && c != '\n' && c != '\t'
}

/// `s` without control characters other than tab and newline (for multi-line output); a
/// line or paragraph separator becomes a newline, bidi controls are removed.
pub fn text(s: &str) -> Cow<'_, str> {
    if s.chars().any(unwanted) {
        Cow::Owned(
            s.chars()
                .filter_map(|c| match c {
                    c if separator(c) => Some('\n'),
                    c if unwanted(c) => None,
                    c => Some(c),
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` on one line: every control character, newlines included, shown escaped (`\n`,
/// `\u{1b}`), so a file name cannot forge a second message line.
pub fn line(s: &str) -> Cow<'_, str> {
    if s.chars().any(unsafe_char) {
        let mut out = String::with_capacity(s.len() + 8);
        for c in s.chars() {
            if unsafe_char(c) {
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
    if s.chars().any(unsafe_char) {
        Cow::Owned(
            s.chars()
                .filter_map(|c| match c {
                    '\n' | '\t' | '\r' => Some(' '),
                    c if separator(c) => Some(' '),
                    c if unsafe_char(c) => None,
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
        assert_eq!(text("a\u{202E}b\u{2028}c"), "ab\nc");
        assert_eq!(field("a\u{2066}b\u{2029}c"), "ab c");
        assert_eq!(line("a\u{202E}"), "a\\u{202e}");
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
