//! Wires the stages together: `Corpus` → terms → `TfIdf` → `Clustering` → `Themes`.
//! Every stage stays usable on its own; this is the one place that knows their order.

use rayon::prelude::*;

use crate::cluster;
use crate::corpus::boilerplate::Boilerplate;
use crate::corpus::{Corpus, Talk};
use crate::curate::Curation;
use crate::error::Result;
use crate::fitted::{Analysis, AnalysisParams, KShortfall, ThinEvidence};
use crate::themes::{self, EVIDENCE_WEIGHT, Taxonomy};
use crate::timing::timed;
use crate::tokenize::Tokenizer;
use crate::vectorize::{TalkTerms, TfIdf};

/// Tokenize every talk (title separately from its sections), in parallel, skipping the
/// corpus's boilerplate (lines repeated across talks of one file, see `Boilerplate`).
pub fn talk_terms(corpus: &Corpus, tokenizer: &Tokenizer) -> Vec<TalkTerms> {
    let boilerplate = timed("boilerplate", || Boilerplate::find(corpus));
    corpus
        .talks
        .par_iter()
        // One talk per task: talks differ a lot in length, and runs of them idle a thread.
        .with_max_len(1)
        .map(|talk| terms_with(talk, tokenizer, &boilerplate))
        .collect()
}

/// One talk's terms, with no corpus to find boilerplate in.
pub fn terms_of(talk: &Talk, tokenizer: &Tokenizer) -> TalkTerms {
    terms_with(talk, tokenizer, &Boilerplate::default())
}

fn terms_with(talk: &Talk, tokenizer: &Tokenizer, boilerplate: &Boilerplate) -> TalkTerms {
    let tokenize = |text: &str| -> Vec<crate::tokenize::Term> {
        if text.lines().all(|l| l.len() <= MAX_LINE_BYTES) {
            return tokenizer.tokenize(text);
        }
        bounded_lines(text)
            .flat_map(|l| tokenizer.tokenize(l))
            .collect()
    };
    let title = tokenize(&talk.title);
    let mut body = Vec::new();
    let mut section_ends = Vec::with_capacity(talk.sections.len());
    for s in &talk.sections {
        body.extend(tokenize(&boilerplate.strip(&s.source.file, &s.text)));
        section_ends.push((s.kind, body.len()));
    }
    TalkTerms {
        title,
        body,
        section_ends,
    }
}

/// Longest line given to the tokenizer at once. The tokenizer segments line by line and its
/// lattice grows with the line, so one huge CSV field on a single line (hundreds of MB) took
/// about 20× its size in memory; lines are never this long in real proposals or recaps.
const MAX_LINE_BYTES: usize = 16 * 1024;

/// `text` as pieces of whole lines, a line longer than [`MAX_LINE_BYTES`] cut after the last
/// sentence end, comma or space before the limit (no term spans those), or at a character
/// boundary when there is none.
fn bounded_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n').flat_map(|line| {
        let mut rest = line;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let cut = if rest.len() <= MAX_LINE_BYTES {
                rest.len()
            } else {
                let mut limit = MAX_LINE_BYTES;
                while !rest.is_char_boundary(limit) {
                    limit -= 1;
                }
                rest[..limit]
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| {
                        matches!(
                            c,
                            '。' | '．' | '！' | '？' | '、' | '，' | ' ' | '　' | '.' | '!' | '?'
                        )
                    })
                    .map(|(i, c)| i + c.len_utf8())
                    .filter(|&i| i > 0)
                    .unwrap_or(limit)
            };
            let (piece, tail) = rest.split_at(cut);
            rest = tail;
            Some(piece)
        })
    })
}

pub fn analyze(
    corpus: &Corpus,
    tokenizer: &Tokenizer,
    taxonomy: &Taxonomy,
    params: &AnalysisParams,
) -> Result<Analysis> {
    let terms = timed("tokenize", || talk_terms(corpus, tokenizer));
    let mut analysis = analyze_terms(terms, taxonomy, params)?;
    curate(&mut analysis, corpus, taxonomy, params)?;
    Ok(analysis)
}

/// Terms → themes. An edit's excluded terms are removed here, before vectorizing; its
/// renames, merges and pins need the corpus and are applied by `curate`.
pub fn analyze_terms(
    mut terms: Vec<TalkTerms>,
    taxonomy: &Taxonomy,
    params: &AnalysisParams,
) -> Result<Analysis> {
    let curation = match &params.edit {
        Some(edit) => Some(Curation {
            excluded: edit.exclude_terms(&mut terms)?,
            ..Curation::default()
        }),
        None => None,
    };
    let mut tfidf = timed("tfidf", || TfIdf::fit(&terms, &params.tfidf))?;
    let everyday = taxonomy.everyday_words(&terms);
    tfidf.vocab.hide(&everyday);
    let mut evidence = timed("evidence", || taxonomy.evidence(&terms, &tfidf));
    let dims = tfidf.vocab.len();
    let weight = if params.guided { EVIDENCE_WEIGHT } else { 0.0 };
    let (rows, guides) = if params.guided && !evidence.entries.is_empty() {
        (
            evidence.augment(&tfidf.rows, dims, weight),
            evidence.guides(dims, weight, 2),
        )
    } else {
        (tfidf.rows.clone(), Vec::new())
    };
    let width = dims + evidence.entries.len();
    let active = tfidf.rows.iter().filter(|r| !r.is_empty()).count();
    let zero_shot = active < cluster::ZERO_SHOT_BELOW
        && matches!(params.cluster.k, cluster::KChoice::Auto { .. });
    // Too few talks to cluster: each talk is named by its own evidence, so weak evidence
    // names nothing.
    if zero_shot {
        evidence.drop_weak(themes::MIN_TALK_EVIDENCE);
    }
    let mut clustering = timed("cluster", || {
        if zero_shot {
            cluster::by_evidence(&tfidf.rows, dims, &evidence.best, &params.cluster)
        } else {
            cluster::cluster(&rows, width, &params.cluster, &guides)
        }
    })?;
    let thin = ThinEvidence::judge(&tfidf, zero_shot);
    let k_shortfall = match params.cluster.k {
        cluster::KChoice::Fixed(asked) => KShortfall::judge(&tfidf, asked, clustering.k),
        cluster::KChoice::Auto { .. } => None,
    };
    let mut themes = timed("name themes", || {
        themes::name_themes(&tfidf, &clustering, taxonomy, &evidence, &params.naming)
    });
    // A theme without a taxonomy name may hold talks whose own terms agree on an entry no
    // theme is named after; they become its theme (k chosen automatically only: a --k is
    // the user's number).
    if !zero_shot && matches!(params.cluster.k, cluster::KChoice::Auto { .. }) {
        let groups = themes::entry_groups_in_mixed(&themes, &evidence);
        if !groups.is_empty() {
            for talks in &groups {
                clustering.split_off(talks);
            }
            themes = timed("name themes", || {
                themes::name_themes(&tfidf, &clustering, taxonomy, &evidence, &params.naming)
            });
        }
    }
    Ok(Analysis {
        terms,
        everyday,
        tfidf,
        evidence,
        clustering,
        themes,
        thin,
        curation,
        k_shortfall,
        subthemes: Default::default(),
    })
}

/// Apply `params.edit`'s renames, merges and pins to the themes found (see `crate::curate`);
/// nothing without an edit file.
pub fn curate(
    analysis: &mut Analysis,
    corpus: &Corpus,
    taxonomy: &Taxonomy,
    params: &AnalysisParams,
) -> Result<()> {
    let Some(edit) = &params.edit else {
        return Ok(());
    };
    let (clustering, themes, record) = timed("curate", || {
        edit.apply(
            corpus,
            crate::curate::Fitted {
                tfidf: &analysis.tfidf,
                evidence: &analysis.evidence,
                clustering: &analysis.clustering,
                themes: &analysis.themes,
            },
            taxonomy,
            &params.naming,
        )
    })?;
    let excluded = analysis
        .curation
        .take()
        .map(|c| c.excluded)
        .unwrap_or_default();
    analysis.clustering = clustering;
    analysis.themes = themes;
    analysis.curation = Some(Curation { excluded, ..record });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every term a feature (min_df 1, max_df 1) and k fixed: small hand-made corpora.
    fn every_term_with_k(k: usize) -> AnalysisParams {
        let mut params = AnalysisParams::default();
        params.tfidf.min_df = 1;
        params.tfidf.max_df = 1.0;
        params.cluster.k = crate::cluster::KChoice::Fixed(k);
        params
    }

    #[test]
    fn fewer_themes_than_asked_are_reported_with_why() {
        use crate::cluster::KChoice;
        use crate::themes::Taxonomy;
        use crate::vectorize::TalkTerms;
        // Six talks, two distinct term vectors: --k 4 cannot give 4 themes.
        let terms: Vec<TalkTerms> = (0..6)
            .map(|i| {
                let words: &[&str] = if i % 2 == 0 {
                    &["slo", "エラーバジェット"]
                } else {
                    &["kubernetes", "クラスタ"]
                };
                TalkTerms::from_words(&[], words)
            })
            .collect();
        let mut params = every_term_with_k(4);
        let analysis = analyze_terms(terms.clone(), &Taxonomy::none(), &params).unwrap();
        let short = analysis
            .k_shortfall
            .clone()
            .expect("fewer themes than asked");
        assert_eq!(
            (short.asked, short.talks, short.distinct_vectors),
            (4, 6, 2)
        );
        assert_eq!(short.got, analysis.themes.themes.len());
        assert!(short.got < 4);
        let en = short.message(crate::Lang::En);
        assert!(
            en.starts_with(&format!("--k 4 gave {} themes", short.got))
                && en.contains("only 2 have distinct term vectors"),
            "{en}"
        );
        assert!(
            short
                .message(crate::Lang::Ja)
                .contains("語の構成が異なるのは 2 件だけ")
        );
        // As many as asked: nothing to say.
        params.cluster.k = KChoice::Fixed(2);
        let analysis = analyze_terms(terms, &Taxonomy::none(), &params).unwrap();
        assert_eq!(analysis.themes.themes.len(), 2);
        assert!(analysis.k_shortfall.is_none());
    }

    #[test]
    fn keywords_are_telling_words_or_the_domains_own() {
        use crate::themes::Taxonomy;
        use crate::vectorize::TalkTerms;
        // Three themes of three talks. 世界 is in two database talks and one CI talk: an
        // everyday word, specific to no theme (specificity 0.21). セキュリティ is in the three
        // security talks and one CI talk, as unevenly spread (0.24), but the domain's word.
        let talk = |words: &[&str]| TalkTerms::from_words(&[], words);
        let terms = vec![
            talk(&["tidb", "トランザクション", "世界"]),
            talk(&["tidb", "トランザクション", "世界", "分散"]),
            talk(&["tidb", "トランザクション", "レプリカ"]),
            talk(&["セキュリティ", "脆弱性", "攻撃"]),
            talk(&["セキュリティ", "脆弱性", "脅威"]),
            talk(&["セキュリティ", "脆弱性", "攻撃", "脅威"]),
            talk(&["パイプライン", "デプロイ", "世界"]),
            talk(&["パイプライン", "デプロイ", "セキュリティ"]),
            talk(&["パイプライン", "デプロイ", "テスト"]),
        ];
        let params = every_term_with_k(3);
        let analysis = analyze_terms(terms, &Taxonomy::default_sre(), &params).unwrap();
        let keywords_of = |talk: usize| -> Vec<String> {
            let theme = analysis.clustering.labels[talk].expect("clustered");
            analysis.themes.themes[theme]
                .keywords
                .iter()
                .map(|k| k.term.clone())
                .collect()
        };
        let database = keywords_of(0);
        assert!(database.iter().any(|k| k == "tidb"), "{database:?}");
        assert!(!database.iter().any(|k| k == "世界"), "{database:?}");
        let security = keywords_of(3);
        assert!(security.iter().any(|k| k == "セキュリティ"), "{security:?}");
    }

    #[test]
    fn an_everyday_word_is_no_keyword_even_when_one_theme_alone_uses_it() {
        use crate::themes::Taxonomy;
        use crate::vectorize::TalkTerms;
        // Two themes of three talks. Every migration talk says 挑戦 and 苦労 and no other
        // talk does: as specific to its theme as a word can be, and one of the commonest words
        // of Japanese, naming no topic. 監視 is as common in Japanese, but the domain's word.
        let talk = |words: &[&str]| TalkTerms::from_words(&[], words);
        let terms = vec![
            talk(&["tidb", "マイグレーション", "挑戦", "苦労"]),
            talk(&["tidb", "マイグレーション", "挑戦", "苦労", "レプリカ"]),
            talk(&["tidb", "マイグレーション", "挑戦", "苦労"]),
            talk(&["監視", "アラート", "ダッシュボード"]),
            talk(&["監視", "アラート", "メトリクス"]),
            talk(&["監視", "アラート", "ダッシュボード", "メトリクス"]),
        ];
        let params = every_term_with_k(2);
        let analysis = analyze_terms(terms, &Taxonomy::default_sre(), &params).unwrap();
        let theme_of = |talk: usize| {
            let t = analysis.clustering.labels[talk].expect("clustered");
            &analysis.themes.themes[t]
        };
        let migration: Vec<&str> = theme_of(0).keywords.iter().map(|k| &*k.term).collect();
        assert!(migration.contains(&"tidb"), "{migration:?}");
        for everyday in ["挑戦", "苦労"] {
            assert!(
                !migration.contains(&everyday),
                "{everyday} in {migration:?}"
            );
            let i = analysis.tfidf.vocab.get(everyday).unwrap() as usize;
            assert!(!analysis.tfidf.vocab.shown(i), "{everyday} is shown");
        }
        let monitoring: Vec<&str> = theme_of(3).keywords.iter().map(|k| &*k.term).collect();
        assert!(monitoring.contains(&"監視"), "{monitoring:?}");
        // Still features: the talks that share them are still alike.
        let i = analysis.tfidf.vocab.get("挑戦").unwrap();
        assert!(analysis.tfidf.rows[0].iter().any(|&(j, _)| j == i));
    }

    #[test]
    fn a_theme_whose_talks_point_at_different_entries_is_named_mixed() {
        use crate::themes::Taxonomy;
        use crate::vectorize::TalkTerms;
        // A cost talk, a release talk and an incident talk that all mention their game
        // server, beside three monitoring talks: the word the three share is all that joins
        // them, and their name must not present it as their topic.
        let talk = |words: &[&str]| TalkTerms::from_words(&[], words);
        let terms = vec![
            talk(&["監視", "アラート", "ダッシュボード"]),
            talk(&["監視", "アラート", "メトリクス"]),
            talk(&["監視", "ダッシュボード", "メトリクス"]),
            talk(&["コスト", "finops", "ゲームサーバ"]),
            talk(&["リリース", "カナリアリリース", "ゲームサーバ"]),
            talk(&["インシデント", "ポストモーテム", "ゲームサーバ"]),
        ];
        let params = every_term_with_k(2);
        let analysis = analyze_terms(terms, &Taxonomy::default_sre(), &params).unwrap();
        let theme = |talk: usize| {
            let t = analysis.clustering.labels[talk].expect("clustered");
            &analysis.themes.themes[t]
        };
        assert_eq!(theme(3).talks.len(), 3, "{:?}", theme(3));
        assert_eq!(theme(3).taxonomy, None, "{:?}", theme(3).name);
        assert_eq!(theme(3).name.ja, "その他: ゲームサーバ");
        assert_eq!(theme(3).name.en, "Mixed: ゲームサーバ");
        assert_eq!(theme(0).taxonomy.as_deref(), Some("observability"));
    }

    #[test]
    fn a_word_the_talks_only_use_as_a_verb_is_no_keyword() {
        use crate::vectorize::TalkTerms;
        // Two themes of three talks. Every security talk says 「…を解消します」: 解消 is the
        // verb of their sentences, not their topic, and the theme's words are the topic's.
        let tokenizer = Tokenizer::new().unwrap();
        let talk = |text: &str| {
            let body = tokenizer.tokenize(text);
            TalkTerms {
                section_ends: vec![(crate::corpus::SectionKind::Other, body.len())],
                body,
                ..Default::default()
            }
        };
        let terms = vec![
            talk("脆弱性と攻撃の脅威を解消します。"),
            talk("脆弱性の脅威を解消します。"),
            talk("攻撃の脅威を解消しました。"),
            talk("パイプラインでデプロイとテスト。"),
            talk("パイプラインのデプロイ。"),
            talk("デプロイとテストのパイプライン。"),
        ];
        let params = every_term_with_k(2);
        let analysis = analyze_terms(terms, &Taxonomy::default_sre(), &params).unwrap();
        let theme = analysis.clustering.labels[0].expect("clustered");
        let keywords: Vec<&str> = analysis.themes.themes[theme]
            .keywords
            .iter()
            .map(|k| k.term.as_str())
            .collect();
        assert!(keywords.contains(&"脅威"), "{keywords:?}");
        assert!(!keywords.contains(&"解消"), "{keywords:?}");
        // Still a feature that links the three talks.
        assert!(analysis.tfidf.vocab.get("解消").is_some());
    }

    #[test]
    fn long_lines_are_cut_at_sentence_ends_and_nothing_is_lost() {
        let long = "監視とアラート。".repeat(5_000);
        let text = format!("短い行\n{long}\n終わり");
        let pieces: Vec<&str> = bounded_lines(&text).collect();
        assert_eq!(pieces.concat(), text);
        assert!(pieces.iter().all(|p| p.len() <= MAX_LINE_BYTES));
        assert!(
            pieces[1..pieces.len() - 1]
                .iter()
                .all(|p| p.ends_with('。') || p.ends_with('\n'))
        );
        // No boundary at all: cut at a character boundary.
        let solid = "あ".repeat(20_000);
        let pieces: Vec<&str> = bounded_lines(&solid).collect();
        assert_eq!(pieces.concat(), solid);
        assert!(pieces.len() > 1 && pieces.iter().all(|p| p.len() <= MAX_LINE_BYTES));
    }
}
