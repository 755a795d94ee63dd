//! The explain features on the bundled seeds.

use std::collections::BTreeSet;
use std::path::PathBuf;

use confthemes::corpus::{self, LoadOptions};
use confthemes::analysis::kwic::{self, Query};
use confthemes::tokenize::{CompoundPolicy, Tokenizer, TokenizerParams};

#[test]
fn kwic_finds_kanshi_in_at_least_two_events_with_original_text() {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let loaded = corpus::load(&[seeds], &LoadOptions::default()).unwrap();
    // Parts and compounds both, so 監視 is also found inside 監視SaaS.
    let tokenizer = Tokenizer::with_params(&TokenizerParams {
        compounds: CompoundPolicy::Both,
        ..Default::default()
    })
    .unwrap();
    let query = Query::new("監視").unwrap();
    let hits = kwic::search(
        &loaded.corpus,
        &query,
        &tokenizer,
        CompoundPolicy::Both,
        kwic::DEFAULT_CONTEXT,
    );
    let events: BTreeSet<&str> = hits.iter().map(|h| h.event.as_str()).collect();
    assert!(events.len() >= 2, "{events:?}");
    for h in &hits {
        assert_eq!(h.term, "監視");
        assert!(h.left.chars().count() <= kwic::DEFAULT_CONTEXT);
        assert!(h.right.chars().count() <= kwic::DEFAULT_CONTEXT);
        assert!(!h.left.contains('\n') && !h.right.contains('\n'));
    }
    // The compound 監視SaaS in a title is found through its part.
    assert!(hits.iter().any(|h| h.section == kwic::Part::Title));
}
