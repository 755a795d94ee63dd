//! Configuration files read strictly: a size limit, UTF-8, and for the taxonomy a shape check
//! (`deny_unknown_fields`) before the taxonomy reader sees it, so a typo such as `[[themes]]`,
//! an unknown key or a corpus.toml given as `--taxonomy` is an error naming the file and the
//! key, never an empty taxonomy.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result, Text};

/// Largest configuration file read (taxonomy, rules, gold, model, user dictionary).
pub const MAX_CONFIG_SIZE: u64 = 64 << 20;

/// A configuration file's text: at most [`MAX_CONFIG_SIZE`], a regular file (checked before
/// opening: a FIFO never blocks), UTF-8 with or without a BOM.
pub fn read_text(path: &Path, what: Text) -> Result<String> {
    let bytes = crate::corpus::read_limited(path, MAX_CONFIG_SIZE).map_err(|e| match e {
        Error::Input { what: why, .. } => Error::input(
            path,
            Text::new(
                format!("{}を読めません({})", what.ja, why.ja),
                format!("cannot read {}: {}", what.en, why.en),
            ),
        ),
        e => e,
    })?;
    // A UTF-8 BOM (Notepad, Excel) is accepted as every input reader accepts it.
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Error::input(
            path,
            Text::new(
                format!("{}が UTF-8 のテキストではありません({at}バイト目)", what.ja),
                format!("{} is not UTF-8 text (byte {at})", what.en),
            ),
        )
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // only the shape matters
struct TaxonomyShape {
    theme: Vec<EntryShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct EntryShape {
    id: String,
    ja: String,
    en: String,
    terms: Vec<String>,
}

/// Check a taxonomy's shape: only `[[theme]]` tables with `id`, `ja`, `en`, `terms`.
pub fn check_taxonomy(text: &str, path: &Path) -> Result<()> {
    toml::from_str::<TaxonomyShape>(text)
        .map(|_| ())
        .map_err(|e| {
            let why = toml_message(&e, text);
            Error::input(
                path,
                tr!("タクソノミーではありません({why})", "not a taxonomy: {why}"),
            )
        })
}

/// A TOML error on one line, with its line and column.
pub fn toml_message(e: &toml::de::Error, text: &str) -> String {
    let msg = e.message().split_whitespace().collect::<Vec<_>>().join(" ");
    match e.span() {
        Some(span) => {
            let (l, c) = crate::corpus::manifest::line_col(text, span.start);
            format!("line {l}, column {c}: {msg}")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxonomy_typos_are_named() {
        let p = Path::new("t.toml");
        let ok = "[[theme]]\nid = \"a\"\nja = \"あ\"\nen = \"A\"\nterms = [\"x\"]\n";
        check_taxonomy(ok, p).unwrap();
        let e = check_taxonomy(&ok.replace("[[theme]]", "[[themes]]"), p).unwrap_err();
        assert!(e.to_string().contains("themes"), "{e}");
        let e = check_taxonomy(&format!("{ok}colour = \"red\"\n"), p).unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
        let e = check_taxonomy("[[file]]\npath = \"a.txt\"\n", p).unwrap_err();
        assert!(e.to_string().contains("t.toml: not a taxonomy"), "{e}");
    }
}
