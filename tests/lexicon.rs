//! The domain lexicon from the CNCF landscape: its names stay whole, count for their
//! taxonomy entry, and the committed file is what the generator makes of landscape.yml.

#[allow(dead_code)]
#[path = "../examples/gen_lexicon.rs"]
mod gen_lexicon;

use confthemes::themes::{LEXICON, LexiconRule, Taxonomy, lexicon_rows};
use confthemes::tokenize::Tokenizer;

#[test]
fn regenerating_from_landscape_yml_gives_the_committed_file() {
    let path = std::path::Path::new("../shared/data/cncf-landscape/landscape.yml");
    let Ok(yaml) = std::fs::read_to_string(path) else {
        eprintln!("{} absent: regeneration not checked", path.display());
        return;
    };
    let generated = gen_lexicon::generate(&yaml).expect("landscape.yml parses");
    assert!(
        generated == LEXICON,
        "data/cncf-landscape/lexicon.tsv is stale: regenerate it"
    );
}

#[test]
fn every_lexicon_name_tokenizes_whole_in_japanese_and_english_text() {
    let tokenizer = Tokenizer::new().unwrap();
    let mut broken = Vec::new();
    for (name, key, _, _) in lexicon_rows(LEXICON) {
        for text in [
            format!("{name}を本番環境で使った話"),
            format!("We run {name} in production"),
        ] {
            let terms = tokenizer.tokenize(&text);
            // Whole: one term shown as the name (a hand-written alias may give it another key:
            // New Relic → newrelic).
            if !terms
                .iter()
                .any(|t| !t.part && (t.key == key || t.display.eq_ignore_ascii_case(name)))
            {
                broken.push(format!(
                    "{text} → {:?}",
                    terms.iter().map(|t| &t.key).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} names split:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn lexicon_names_are_evidence_for_their_entry_and_common_words_need_their_spelling() {
    use confthemes::vectorize::{TalkTerms, TfIdf, TfIdfParams};
    let taxonomy = Taxonomy::default_sre();
    let tokenizer = Tokenizer::new().unwrap();
    let talk = |title: &str| TalkTerms {
        title: tokenizer.tokenize(title),
        body: Vec::new(),
        section_ends: Vec::new(),
    };
    let talks = vec![
        talk("Crossplaneでクラウドの資源を宣言する"),
        talk("Harborを社内に立てた"),
        talk("港 harbor の話"),
        talk("Open Policy Agentでポリシーを書く"),
    ];
    let tfidf = TfIdf::fit(&talks, &TfIdfParams::default()).unwrap();
    let evidence = taxonomy.evidence(&talks, &tfidf);
    let best =
        |i: usize| evidence.best[i].map(|c| taxonomy.entries[evidence.entries[c]].id.as_str());
    assert_eq!(best(0), Some("iac"));
    assert_eq!(
        best(1),
        Some("kubernetes"),
        "Harbor is a container registry"
    );
    assert_eq!(best(2), None, "the word harbor is not the project");
    assert_eq!(best(3), Some("security"));
    assert!(
        lexicon_rows(LEXICON).any(|(_, _, _, r)| r == LexiconRule::Context),
        "common-word names are marked"
    );
}
