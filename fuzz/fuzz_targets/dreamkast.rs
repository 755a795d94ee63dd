//! Any bytes, decoded as the loader does, then read as CloudNative Days dreamkast talks (with and without events) and as an events file: talks or an error, never a panic.
//! `cargo +nightly fuzz run dreamkast`.
#![no_main]

use confthemes::corpus::{decode, dreamkast};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let near = dreamkast::parse_events(&d.text, "events.json");
        let _ = dreamkast::read(&d.text, "fuzz.json", "cndt2020", &near);
        let _ = dreamkast::read(&d.text, "fuzz.json", "fuzz", &[]);
    }
});
