//! Any bytes, in a file of any supported extension (chosen by the first byte), give talks or
//! an error from `corpus::load`, never a panic. `cargo +nightly fuzz run readers`.
#![no_main]

use confthemes::corpus::{self, LoadOptions};
use libfuzzer_sys::fuzz_target;

const EXTENSIONS: [&str; 8] = ["txt", "md", "csv", "tsv", "json", "jsonl", "ndjson", "html"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let ext = EXTENSIONS[selector as usize % EXTENSIONS.len()];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("input.{ext}"));
    std::fs::write(&path, bytes).unwrap();
    let _ = corpus::load(&[path], &LoadOptions::default());
});
