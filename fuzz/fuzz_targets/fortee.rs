//! Any bytes, decoded as the loader does, then read as fortee proposals / timetable JSON, all and accepted only: talks or an error, never a panic.
//! `cargo +nightly fuzz run fortee`.
#![no_main]

use confthemes::corpus::{decode, fortee};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let _ = fortee::read(&d.text, "fuzz.json", "fuzz", false);
        let _ = fortee::read(&d.text, "fuzz.json", "fuzz", true);
    }
});
