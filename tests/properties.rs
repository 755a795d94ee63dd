//! Property tests: no reader and no tokenizer input can make confthemes panic. Any bytes in a
//! file of any supported extension give talks or an error; any string tokenizes.
//! Case counts stay moderate so CI is fast; `fuzz/` runs the same targets for longer.

use std::path::PathBuf;
use std::sync::OnceLock;

use confthemes::corpus::{self, LoadOptions};
use confthemes::tokenize::Tokenizer;
use proptest::prelude::*;

const EXTENSIONS: [&str; 5] = ["txt", "md", "csv", "json", "jsonl"];

fn tokenizer() -> &'static Tokenizer {
    static T: OnceLock<Tokenizer> = OnceLock::new();
    T.get_or_init(|| Tokenizer::new().unwrap())
}

fn load_bytes(bytes: &[u8], ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join(format!("input.{ext}"));
    std::fs::write(&path, bytes).unwrap();
    // Either is fine; a panic fails the test.
    let _ = corpus::load(&[path], &LoadOptions::default());
}

/// Bytes that look like the formats, so the readers get past their first checks.
fn structured_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("event,title,abstract\n".to_string()),
        Just("{\"title\":\"監視\",\"event\":\"SRE NEXT 2024\",\"abstract\":\"".to_string()),
        Just("\"}\n".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("採択\n2025/01/26 10:35〜\nホール\nセッション(30分)\n".to_string()),
        Just("■ 発表概要\n".to_string()),
        Just("- プレゼン資料:Speakerdeck\n".to_string()),
        Just("・".to_string()),
        Just("\"".to_string()),
        Just(",".to_string()),
        Just("\n".to_string()),
        "\\PC{0,40}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat().into_bytes())
}

/// 64 cases in CI; `PROPERTY_CASES=200000 cargo test --release --test properties` turns the
/// same properties into a long-running fuzz harness (see docs/performance.md).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPERTY_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn readers_never_panic_on_arbitrary_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        ext in 0usize..EXTENSIONS.len(),
    ) {
        load_bytes(&bytes, EXTENSIONS[ext]);
    }

    #[test]
    fn readers_never_panic_on_format_like_text(
        bytes in structured_bytes(),
        ext in 0usize..EXTENSIONS.len(),
    ) {
        load_bytes(&bytes, EXTENSIONS[ext]);
    }

    #[test]
    fn tokenizing_never_panics(text in "\\PC{0,2048}") {
        let terms = tokenizer().tokenize(&text);
        for t in terms {
            prop_assert!(!t.key.is_empty());
        }
    }

    #[test]
    fn tokenizing_arbitrary_unicode_never_panics(text in any::<String>()) {
        let _ = tokenizer().tokenize(&text);
    }
}

/// Text mixing the characters the NFKC fast path skips with those it must normalize:
/// full-width and half-width forms, combining marks, Hangul jamo, look-alike radicals.
fn mixed_japanese_text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        prop::char::range('a', 'z'),
        prop::char::range('\u{3041}', '\u{309F}'),
        prop::char::range('\u{30A0}', '\u{30FF}'),
        prop::char::range('\u{4E00}', '\u{4E20}'),
        prop::char::range('\u{FF01}', '\u{FF9F}'),
        prop::char::range('\u{0300}', '\u{0310}'),
        prop::char::range('\u{1100}', '\u{1175}'),
        prop::char::range('\u{2F00}', '\u{2FD5}'),
        Just('\u{3099}'),
        Just('\u{309A}'),
        Just('\n'),
    ];
    prop::collection::vec(ch, 0..64).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..config() })]

    /// The piecewise NFKC used before segmentation equals NFKC of the whole text.
    #[test]
    fn piecewise_nfkc_equals_full_nfkc(text in mixed_japanese_text()) {
        use unicode_normalization::UnicodeNormalization;
        let full: String = text.nfkc().collect();
        prop_assert_eq!(confthemes::tokenize::normalize::nfkc(&text), full);
    }
}
