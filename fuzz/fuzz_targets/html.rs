//! Any bytes, decoded as the loader does, then parsed as a saved HTML page and read as one talk: talks or an error, never a panic.
//! `cargo +nightly fuzz run html`.
#![no_main]

use confthemes::corpus::{decode, html};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = decode::decode(data) {
        let _ = html::looks_like(&d.text);
        if let Ok(page) = html::extract(&d.text) {
            let _ = html::is_proposal_page(&page);
            let _ = html::read_page(&page, "fuzz.html");
        }
    }
});
