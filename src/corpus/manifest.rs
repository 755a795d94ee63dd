//! `corpus.toml`: names the files of a directory with their event and reader.
//!
//! ```toml
//! event = "SRE Kaigi 2025"        # optional: default event of every file
//! [map]                           # optional: column map of every structured file
//! title = "Talk Title"
//!
//! [[file]]
//! path = "000_proposals.txt"      # relative to the directory of corpus.toml
//! event = "SRE Kaigi 2025"        # optional: else the default, else detected
//! reader = "proposals"            # optional: proposals | recap | csv | json | jsonl | dreamkast | fortee | sessionize | pasted | clip | html
//! map = { abstract = "概要" }     # optional: column map of this file
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::log::ReaderKind;
use crate::{Error, Result};

pub const FILE_NAME: &str = "corpus.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    pub event: Option<String>,
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    #[serde(default, rename = "file")]
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    #[serde(default)]
    pub event: Option<String>,
    #[serde(default)]
    pub reader: Option<ReaderKind>,
    #[serde(default)]
    pub map: BTreeMap<String, String>,
}

impl Manifest {
    /// The entry for a file name (path relative to the manifest's directory).
    pub fn entry(&self, rel: &str) -> Option<&FileEntry> {
        let rel = rel.replace('\\', "/");
        self.files
            .iter()
            .find(|f| f.path.trim_start_matches("./") == rel)
    }
}

/// 1-based (line, column) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

pub fn parse(text: &str, path: &Path) -> Result<Manifest> {
    let m: Manifest = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim().replace('\n', " ");
        match e.span() {
            Some(span) => {
                let (l, c) = line_col(text, span.start);
                Error::input(
                    path,
                    tr!(
                        "{l}行{c}列: corpus.toml として読めません({msg})",
                        "line {l}, column {c}: {msg}"
                    ),
                )
            }
            None => Error::input(path, tr!("corpus.toml として読めません({msg})", "{msg}")),
        }
    })?;
    for f in &m.files {
        if let Err(e) = super::structured::check_map(&f.map) {
            return Err(Error::input(
                path,
                e.after(&format!("file {}: ", f.path), &format!("file {}: ", f.path)),
            ));
        }
    }
    super::structured::check_map(&m.map).map_err(|e| Error::input(path, e))?;
    Ok(m)
}

pub fn read(path: &Path) -> Result<Manifest> {
    let bytes =
        std::fs::read(path).map_err(|e| Error::input(path, crate::error::cannot_read(&e)))?;
    parse_bytes(&bytes, path)
}

/// Decode and parse the bytes of a corpus.toml.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Manifest> {
    let d = super::decode::decode(bytes).map_err(|e| Error::input(path, e))?;
    parse(&d.text, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_unknown_keys_with_position() {
        let m = parse(
            "event = \"X 2024\"\n[[file]]\npath = \"a.txt\"\nreader = \"recap\"\nmap = { title = \"T\" }\n",
            Path::new("corpus.toml"),
        )
        .unwrap();
        assert_eq!(m.event.as_deref(), Some("X 2024"));
        assert_eq!(m.entry("a.txt").unwrap().reader, Some(ReaderKind::Recap));
        let e = parse(
            "[[file]]\npath = \"a.txt\"\nreadr = \"recap\"\n",
            Path::new("corpus.toml"),
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(
            s.starts_with("corpus.toml: line 3, column 1: unknown field `readr`"),
            "{s}"
        );
        let e = parse(
            "[[file]]\npath = \"a.txt\"\nreader = \"pdf\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
        let e = parse(
            "[[file]]\npath = \"a.csv\"\nmap = { titel = \"T\" }\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown field 'titel'"), "{e}");
    }
}
