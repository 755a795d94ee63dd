//! Any bytes, decoded as the loader does, then read as a recap blog post: talks or an empty
//! result, never a panic. `cargo +nightly fuzz run recap`.
#![no_main]

use confthemes::corpus::{decode, recap};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let _ = recap::looks_like(&d.text);
        let _ = recap::read(&d.text, "fuzz.md");
    }
});
