//! Any bytes, decoded as the loader does, then read as a CSV export: rows or an error, never
//! a panic. `cargo +nightly fuzz run csv`.
#![no_main]

use std::collections::BTreeMap;

use confthemes::corpus::{decode, structured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let _ = structured::read_csv(&d.text, "fuzz.csv", &BTreeMap::new());
    }
});
