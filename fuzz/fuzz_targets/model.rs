//! Any UTF-8 text as a saved theme model (`assign --model`): a model or an error, never a
//! panic. `cargo +nightly fuzz run model`.
#![no_main]

use std::path::Path;

use confthemes::model::ThemeModel;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = ThemeModel::parse(text, Path::new("model.json"));
    }
});
