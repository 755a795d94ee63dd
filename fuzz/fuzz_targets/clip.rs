//! Any bytes, decoded as the loader does, then read as a web-clipper note (YAML frontmatter): talks or an error, never a panic.
//! `cargo +nightly fuzz run clip`.
#![no_main]

use confthemes::corpus::{clip, decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let _ = clip::front(&d.text);
        let _ = clip::body(&d.text);
        let _ = clip::read(&d.text, "fuzz.md");
    }
});
