//! Any bytes, decoded as the loader does, then read as a JSON array and as JSON Lines: rows
//! or an error, never a panic. `cargo +nightly fuzz run json`.
#![no_main]

use std::collections::BTreeMap;

use confthemes::corpus::{decode, structured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let map = BTreeMap::new();
        let _ = structured::read_json(&d.text, "fuzz.json", &map);
        let _ = structured::read_jsonl(&d.text, "fuzz.jsonl", &map);
    }
});
