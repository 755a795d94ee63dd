//! Compiles the vendored IPADIC source (Debian's mecab-ipadic, EUC-JP) into lindera's binary
//! dictionary format in OUT_DIR, so `lindera_dictionary::embedded_dictionary!` can embed it.
//! lindera-ipadic's own `embed-ipadic` feature downloads a tarball at build time; this does not.

use std::fs;
use std::io::{BufReader, Cursor};
use std::path::{Path, PathBuf};

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;

const ARCHIVE: &str = "vendor/mecab-ipadic/mecab-ipadic-2.7.0-20070801.tar.xz";
const METADATA: &str = "vendor/mecab-ipadic/metadata.json";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={ARCHIVE}");
    println!("cargo:rerun-if-changed={METADATA}");

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let source_dir = out_dir.join("mecab-ipadic-src");
    let dict_dir = out_dir.join("ipadic");

    unpack(Path::new(ARCHIVE), &source_dir);

    let metadata_json = fs::read_to_string(METADATA).expect("read vendored IPADIC metadata.json");
    let metadata: Metadata =
        serde_json::from_str(&metadata_json).expect("parse vendored IPADIC metadata.json");
    if dict_dir.exists() {
        fs::remove_dir_all(&dict_dir).expect("clear previous dictionary build");
    }
    DictionaryBuilder::new(metadata)
        .build_dictionary(&source_dir, &dict_dir)
        .expect("compile IPADIC with lindera's DictionaryBuilder");

    // Read by `embedded_dictionary!("/ipadic", ...)` in src/tokenize/dictionary.rs.
    println!("cargo::rustc-env=LINDERA_WORKDIR={}", out_dir.display());
}

/// Pure-Rust .tar.xz extraction: no liblzma or system `xz` needed on a fresh machine.
fn unpack(archive: &Path, dest: &Path) {
    if dest.exists() {
        fs::remove_dir_all(dest).expect("clear previous IPADIC source");
    }
    fs::create_dir_all(dest).expect("create IPADIC source directory");
    let compressed =
        fs::File::open(archive).unwrap_or_else(|e| panic!("open {}: {e}", archive.display()));
    let mut tar_bytes = Vec::with_capacity(64 << 20);
    lzma_rs::xz_decompress(&mut BufReader::new(compressed), &mut tar_bytes)
        .unwrap_or_else(|e| panic!("decompress {}: {e:?}", archive.display()));
    tar::Archive::new(Cursor::new(tar_bytes))
        .unpack(dest)
        .unwrap_or_else(|e| panic!("untar {}: {e}", archive.display()));
}
