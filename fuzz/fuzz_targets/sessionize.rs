//! Any bytes, decoded as the loader does, then read as Sessionize "All" JSON: talks or an error, never a panic.
//! `cargo +nightly fuzz run sessionize`.
#![no_main]

use confthemes::corpus::{decode, sessionize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let _ = sessionize::read(&d.text, "fuzz.json", "fuzz");
    }
});
