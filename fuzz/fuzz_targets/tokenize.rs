//! Tokenizing any UTF-8 text never panics. `cargo +nightly fuzz run tokenize`.
#![no_main]

use std::sync::OnceLock;

use confthemes::tokenize::Tokenizer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
    let tokenizer = TOKENIZER.get_or_init(|| Tokenizer::new().unwrap());
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tokenizer.tokenize(text);
    }
});
