//! Any UTF-8 text as a corpus.toml manifest: a manifest or an error, never a panic.
//! `cargo +nightly fuzz run manifest`.
#![no_main]

use std::path::Path;

use confthemes::corpus::manifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = manifest::parse(text, Path::new("corpus.toml"));
    }
});
