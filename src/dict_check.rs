//! `--dict DIR` checked before use. lindera validates the headers of its files but trusts
//! the records inside: a flipped byte in `dict.vals` or `unk.bin` gives context ids past the
//! connection-cost matrix, and tokenizing then panics on an index out of bounds; a truncated
//! `dict.words` is silently read as other words. Here every record's ids and offsets are
//! checked against the sizes they index, so a damaged dictionary is one clear error.
//! Structure cannot catch everything: any 16-bit value is a valid connection cost, and a
//! damaged trie node just stops matching, so a flipped byte in `matrix.mtx` or `dict.trie`
//! changes the tokens silently. Those are caught by a `SHA256SUMS` manifest in the directory
//! (lindera's format carries no checksum; `sha256sum *` writes one, and every system has it),
//! which a `--dict` must carry: without it a damaged dictionary would change the themes
//! without a word, so a directory without one is refused (after the structural checks, which
//! name a damage they find) with the command that writes it.

use std::path::Path;

use lindera::dictionary::{Dictionary, load_fs_dictionary};

use crate::error::{Error, Result};

/// The files of a lindera dictionary directory.
const FILES: [&str; 9] = [
    "metadata.json",
    "char_def.bin",
    "matrix.mtx",
    "dict.trie",
    "dict.vals",
    "dict.valsidx",
    "dict.words",
    "dict.wordsidx",
    "unk.bin",
];

/// Bytes of one serialized word entry in `dict.vals`: word id (u32), cost (i16), left and
/// right context ids (u16 each), little endian.
const ENTRY_LEN: usize = 10;

fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// The checksum manifest a `--dict` directory must carry, in the format `sha256sum` writes.
pub const MANIFEST: &str = "SHA256SUMS";

fn not_regular() -> crate::error::Text {
    tr!("通常のファイルではありません", "is not a regular file")
}

/// `dir`'s files against its `SHA256SUMS`, when there is one (`Ok(false)` when not).
fn verify_manifest(dir: &Path) -> Result<bool> {
    use sha2::{Digest, Sha256};
    let path = dir.join(MANIFEST);
    match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::input(&path, crate::error::cannot_read(&e))),
        Ok(m) if !m.is_file() => return Err(Error::input(&path, not_regular())),
        Ok(m) if m.len() > 64 << 10 => {
            return Err(Error::input(
                &path,
                tr!(
                    "64 KiB を超えていて、チェックサムの一覧ではありません",
                    "over 64 KiB: not a checksum list"
                ),
            ));
        }
        Ok(_) => {}
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::input(
            &path,
            crate::error::cannot(
                "UTF-8 のテキストとして読めません",
                "cannot read as UTF-8 text",
                &e,
            ),
        )
    })?;
    let mut sums = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // `<64 hex digits><space><space or *><file name>`, as sha256sum writes it.
        let parsed = line.split_at_checked(64).and_then(|(hex, rest)| {
            let name = rest
                .strip_prefix("  ")
                .or_else(|| rest.strip_prefix(" *"))?;
            hex.bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| (name.strip_prefix("./").unwrap_or(name), hex))
        });
        let Some((name, hex)) = parsed else {
            let line = i + 1;
            return Err(Error::input(
                &path,
                tr!(
                    "{line}行目: sha256sum が書く `<sha256>  <ファイル名>` の形ではありません",
                    "line {line}: expected `<sha256>  <file>` as sha256sum writes it"
                ),
            ));
        };
        sums.insert(name.to_string(), hex.to_ascii_lowercase());
    }
    for f in FILES {
        let Some(want) = sums.get(f) else {
            return Err(Error::input(
                &path,
                tr!("{f} が挙がっていません", "does not list {f}"),
            ));
        };
        let file = dir.join(f);
        let mut hasher = Sha256::new();
        let cannot_read = |e: std::io::Error| Error::input(&file, crate::error::cannot_read(&e));
        let mut reader = std::fs::File::open(&file).map_err(cannot_read)?;
        std::io::copy(&mut reader, &mut hasher).map_err(cannot_read)?;
        let got: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if &got != want {
            return Err(Error::input(
                &file,
                tr!(
                    "辞書ファイルが壊れています: SHA-256 が {MANIFEST} の値と違います",
                    "damaged dictionary file: its SHA-256 is not the one {MANIFEST} lists"
                ),
            ));
        }
    }
    Ok(true)
}

/// Load `dir` and check it; the error names the file and what is wrong.
pub fn check_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::input(
            dir,
            tr!(
                "--dict には lindera の辞書ディレクトリを指定してください",
                "--dict must be a lindera dictionary directory"
            ),
        ));
    }
    for f in FILES {
        let p = dir.join(f);
        match std::fs::metadata(&p) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Err(Error::input(&p, not_regular())),
            Err(_) => {
                return Err(Error::input(
                    dir,
                    tr!(
                        "lindera の辞書ではありません: {f} がありません",
                        "not a lindera dictionary: {f} is missing"
                    ),
                ));
            }
        }
    }
    let sealed = verify_manifest(dir)?;
    let dict = load_fs_dictionary(dir).map_err(|e| {
        let why = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Error::input(
            dir,
            tr!(
                "使える lindera の辞書ではありません({why})",
                "not a usable lindera dictionary: {why}"
            ),
        )
    })?;
    let valsidx = std::fs::read(dir.join("dict.valsidx"))
        .map_err(|e| Error::input(dir.join("dict.valsidx"), crate::error::cannot_read(&e)))?;
    check(&dict, &valsidx).map_err(|(file, what)| {
        Error::input(
            dir.join(file),
            tr!(
                "辞書ファイルが壊れています({what})",
                "damaged dictionary file: {what}"
            ),
        )
    })?;
    if !sealed {
        let (d, m) = (dir.display(), MANIFEST);
        return Err(Error::input(
            dir,
            tr!(
                "{m} がないため使いません(辞書の破損を見分けられません)。無傷のうちに (cd {d} && sha256sum * > {m}) で作ってください",
                "no {m}, so it is not used (a damaged dictionary could not be told from an intact one); write one while it is intact with (cd {d} && sha256sum * > {m})"
            ),
        ));
    }
    Ok(())
}

/// `dict.words` record by record: lindera stores each word's details as a `u32` length and
/// that many bytes of UTF-8 fields joined by NUL, back to back in word-id order, and falls
/// back to "UNK" for a record it cannot read — so a flipped byte silently changed the
/// tokens. A flipped byte breaks the UTF-8, the chain of lengths and offsets, or the
/// record's field count (every word of a dictionary has the same).
fn check_words(words_idx: &[u8], words: &[u8]) -> std::result::Result<(), (&'static str, String)> {
    let mut fields: Option<usize> = None;
    let mut expected = 0usize;
    for (id, off) in u32s(words_idx).enumerate() {
        let off = off as usize;
        if off != expected {
            return Err((
                "dict.words",
                format!("word {id} starts at byte {off}, the previous record ends at {expected}"),
            ));
        }
        let bad = |what: &str| ("dict.words", format!("word {id} (byte {off}): {what}"));
        let header: [u8; 4] = words
            .get(off..off + 4)
            .and_then(|h| h.try_into().ok())
            .ok_or_else(|| bad("record header past the end"))?;
        let len = u32::from_le_bytes(header) as usize;
        let bytes = words
            .get(off + 4..off + 4 + len)
            .ok_or_else(|| bad("record runs past the end"))?;
        let text = std::str::from_utf8(bytes).map_err(|_| bad("details are not UTF-8"))?;
        let n = text.split('\0').count();
        match fields {
            None => fields = Some(n),
            Some(f) if f != n => {
                return Err(bad(&format!("{n} detail fields, the first word has {f}")));
            }
            Some(_) => {}
        }
        expected = off + 4 + len;
    }
    if !words_idx.is_empty() && expected != words.len() {
        return Err((
            "dict.words",
            format!(
                "{} bytes after the last word's record",
                words.len().saturating_sub(expected)
            ),
        ));
    }
    Ok(())
}

/// The consistency checks, on a loaded dictionary: `Err((file, what))`.
fn check(dict: &Dictionary, valsidx: &[u8]) -> std::result::Result<(), (&'static str, String)> {
    let matrix = &dict.connection_cost_matrix;
    let (fwd, bwd) = (matrix.forward_size as usize, matrix.backward_size as usize);
    if fwd.checked_mul(bwd) != Some(matrix.costs().len()) {
        return Err((
            "matrix.mtx",
            format!(
                "{fwd} × {bwd} costs declared, {} present",
                matrix.costs().len()
            ),
        ));
    }
    let context_ok = |left: u32, right: u32| (right as usize) < fwd && (left as usize) < bwd;
    let prefix = &dict.prefix_dictionary;
    let vals: &[u8] = &prefix.vals_data;
    if !vals.len().is_multiple_of(ENTRY_LEN) {
        return Err((
            "dict.vals",
            format!(
                "{} bytes is not a whole number of {ENTRY_LEN}-byte entries",
                vals.len()
            ),
        ));
    }
    let n_entries = (vals.len() / ENTRY_LEN) as u64;
    let words_idx: &[u8] = &prefix.words_idx_data;
    let n_words = (words_idx.len() / 4) as u32;
    let words_len = prefix.words_data.len() as u64;
    if let Some(off) = u32s(words_idx).find(|&o| u64::from(o) > words_len) {
        return Err((
            "dict.wordsidx",
            format!("offset {off} is past the end of dict.words ({words_len} bytes; truncated?)"),
        ));
    }
    check_words(words_idx, &prefix.words_data)?;
    if let Some(v) = u32s(valsidx).find(|&v| u64::from(v) > n_entries) {
        return Err((
            "dict.valsidx",
            format!("entry index {v} is past the {n_entries} entries of dict.vals (truncated?)"),
        ));
    }
    for (i, e) in vals.chunks_exact(ENTRY_LEN).enumerate() {
        let word_id = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
        let left = u32::from(u16::from_le_bytes([e[6], e[7]]));
        let right = u32::from(u16::from_le_bytes([e[8], e[9]]));
        if word_id >= n_words {
            return Err((
                "dict.vals",
                format!("entry {i}: word id {word_id}, but dict.wordsidx has {n_words} words"),
            ));
        }
        if !context_ok(left, right) {
            return Err((
                "dict.vals",
                format!("entry {i}: context ids {left}/{right} outside the {bwd} × {fwd} matrix"),
            ));
        }
    }
    let unk = &dict.unknown_dictionary;
    let n_costs = unk.costs.len();
    for (i, e) in unk.costs.iter().enumerate() {
        if !context_ok(e.left_id(), e.right_id()) {
            return Err((
                "unk.bin",
                format!(
                    "entry {i}: context ids {}/{} outside the {bwd} × {fwd} matrix",
                    e.left_id(),
                    e.right_id()
                ),
            ));
        }
    }
    let n_categories = dict.character_definition.category_definitions.len();
    if unk.category_references.len() < n_categories {
        return Err((
            "unk.bin",
            format!(
                "{} character categories, char_def.bin defines {n_categories}",
                unk.category_references.len()
            ),
        ));
    }
    for refs in &unk.category_references {
        if let Some(id) = refs.iter().find(|&&id| id as usize >= n_costs) {
            return Err((
                "unk.bin",
                format!("unknown-word entry {id} referenced, {n_costs} present"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_directory_or_file_is_named() {
        let tmp = tempfile::tempdir().unwrap();
        let e = check_dir(&tmp.path().join("nope")).unwrap_err().to_string();
        assert!(e.contains("--dict must be"), "{e}");
        std::fs::write(tmp.path().join("metadata.json"), "{}").unwrap();
        let e = check_dir(tmp.path()).unwrap_err().to_string();
        assert!(e.contains("char_def.bin is missing"), "{e}");
    }
}
