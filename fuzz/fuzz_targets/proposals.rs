//! Any bytes, decoded as the loader does, then read as a CfP proposals page: talks or an
//! empty result, never a panic. `cargo +nightly fuzz run proposals`.
#![no_main]

use confthemes::corpus::{decode, proposals};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let _ = proposals::looks_like(&d.text);
        let _ = proposals::read(&d.text, "fuzz.txt");
    }
});
