//! Any bytes, decoded as the loader does, then read as a pasted talk list, and checked for garbled text: talks or an error, never a panic.
//! `cargo +nightly fuzz run pasted`.
#![no_main]

use confthemes::corpus::{decode, garble, pasted};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let _ = pasted::looks_like(&d.text);
        let p = pasted::read(&d.text, "fuzz.txt", "fuzz");
        let _ = garble::filter(p.talks);
    }
});
