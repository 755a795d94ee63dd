//! The tokenizer on real sentences from the seeds.

use confthemes::tokenize::{CompoundPolicy, Tokenizer, TokenizerParams};

fn keys(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
    tokenizer
        .tokenize(text)
        .into_iter()
        .map(|t| t.key)
        .collect()
}

#[test]
fn seed_title_yields_content_nouns_and_compounds() {
    let compounds = Tokenizer::with_params(&TokenizerParams {
        compounds: CompoundPolicy::Compounds,
        ..Default::default()
    })
    .unwrap();
    let k = keys(
        &compounds,
        "Re:Define 可用性を支えるモニタリング、パフォーマンス最適化、そしてセキュリティ",
    );
    for want in [
        "可用性",
        "モニタリング",
        "パフォーマンス最適化",
        "セキュリティ",
    ] {
        assert!(k.contains(&want.to_string()), "{want} missing from {k:?}");
    }
    assert!(!k.contains(&"最適化".to_string()), "{k:?}");
    // Default policy: the compound and its parts (measured best on real events, see
    // CompoundPolicy and docs/quality.md).
    let default = Tokenizer::new().unwrap();
    assert_eq!(
        keys(&default, "パフォーマンス最適化"),
        ["パフォーマンス最適化", "パフォーマンス", "最適化"]
    );
    // Symbols and particles never become terms, even when IPADIC calls them nouns.
    assert!(
        k.iter().all(|k| k != ":" && k != "re:define" && k != "を"),
        "{k:?}"
    );
}

#[test]
fn url_line_yields_nothing() {
    let t = Tokenizer::new().unwrap();
    assert!(keys(&t, "https://speakerdeck.com/_awache/srekaigi").is_empty());
    assert!(keys(&t, "  • https://www.amazon.co.jp/dp/B0B37Z76BY").is_empty());
}

#[test]
fn full_width_and_ascii_give_the_same_term() {
    let t = Tokenizer::new().unwrap();
    assert_eq!(keys(&t, "ＳＬＯ"), vec!["slo"]);
    assert_eq!(keys(&t, "SLO"), vec!["slo"]);
    let display: Vec<String> = t
        .tokenize("ＳＬＯ")
        .into_iter()
        .map(|t| t.display)
        .collect();
    assert_eq!(display, vec!["SLO"]);
}

#[test]
fn kangxi_lookalike_tokenizes_like_the_real_kanji() {
    let t = Tokenizer::new().unwrap();
    // Seed 002 writes 見 as U+2F92 in 「⾒付ける」.
    assert_eq!(
        keys(&t, "勘に頼らず原因を\u{2F92}付けるためのオブザーバビリティ"),
        keys(&t, "勘に頼らず原因を見付けるためのオブザーバビリティ")
    );
}

#[test]
fn latin_tech_terms_stay_whole_and_case_folded() {
    let t = Tokenizer::new().unwrap();
    let k = keys(
        &t,
        "KubernetesとOpenTelemetry、Argo CD、FinOps、DevSecOps、EKS、EC2、k8s",
    );
    for want in [
        "kubernetes",
        "opentelemetry",
        "argocd",
        "finops",
        "devsecops",
        "eks",
        "ec2",
    ] {
        assert!(k.contains(&want.to_string()), "{want} missing from {k:?}");
    }
    assert!(
        !k.contains(&"k8s".to_string()),
        "k8s is an alias of kubernetes: {k:?}"
    );
}

#[test]
fn sre_terms_are_single_terms() {
    let t = Tokenizer::with_params(&TokenizerParams {
        compounds: CompoundPolicy::Parts,
        ..Default::default()
    })
    .unwrap();
    let k = keys(
        &t,
        "オブザーバビリティとポストモーテム、エラーバジェット、プラットフォームエンジニアリング、オンコール、インシデントコマンダー",
    );
    assert_eq!(
        k,
        [
            "オブザーバビリティ",
            "ポストモーテム",
            "エラーバジェット",
            "プラットフォームエンジニアリング",
            "オンコール",
            "インシデントコマンダー"
        ]
    );
}

#[test]
fn stopwords_numbers_and_pronouns_are_dropped() {
    let t = Tokenizer::new().unwrap();
    let k = keys(
        &t,
        "今回のセッションでは、私たちが3年間で学んだことを紹介します。",
    );
    assert!(k.is_empty(), "{k:?}");
}

#[test]
fn english_function_words_and_contraction_pieces_are_dropped() {
    // An English abstract at a Japanese event: only its content words are terms.
    let t = Tokenizer::new().unwrap();
    let k = keys(
        &t,
        "In this talk, you'll learn why our team will not go back: it doesn't scale, \
         and we have moved our alerts into OpenTelemetry.",
    );
    assert_eq!(
        k,
        [
            "learn",
            "team",
            "go",
            "back",
            "scale",
            "moved",
            "alerts",
            "opentelemetry"
        ]
    );
}

#[test]
fn compound_policy_controls_parts() {
    let text = "インシデント対応の改善";
    let only = |p| {
        keys(
            &Tokenizer::with_params(&TokenizerParams {
                compounds: p,
                ..Default::default()
            })
            .unwrap(),
            text,
        )
    };
    assert_eq!(
        only(CompoundPolicy::Compounds),
        ["インシデント対応", "改善"]
    );
    assert_eq!(
        only(CompoundPolicy::Parts),
        ["インシデント", "対応", "改善"]
    );
    assert_eq!(
        only(CompoundPolicy::Both),
        ["インシデント対応", "インシデント", "対応", "改善"]
    );
}

#[test]
fn user_dictionary_file_adds_terms_and_bad_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("terms.csv");
    std::fs::write(
        &good,
        "信頼性向上会議,カスタム名詞,シンライセイコウジョウカイギ\n",
    )
    .unwrap();
    let t = Tokenizer::with_params(&TokenizerParams {
        user_dict: Some(good),
        compounds: CompoundPolicy::Parts,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(keys(&t, "信頼性向上会議を開く"), ["信頼性向上会議"]);

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "only-one-field\n").unwrap();
    let err = Tokenizer::with_params(&TokenizerParams {
        user_dict: Some(bad),
        ..Default::default()
    })
    .err()
    .expect("malformed user dictionary must fail");
    let msg = err.to_string();
    assert!(msg.contains("bad.csv") && msg.contains("line 1"), "{msg}");
}

#[test]
fn garbage_input_never_panics() {
    let t = Tokenizer::new().unwrap();
    for text in [
        "",
        "\u{0}\u{1}\u{2}",
        "・・・•••---",
        "ｰｰｰ",
        "\u{FEFF}",
        "🙂🙂🙂",
        "a\u{301}\u{301}\u{301}",
    ] {
        let _ = t.tokenize(text);
    }
}

/// `tokenize_all` cuts long texts into line pieces for the threads; the terms must be those
/// of tokenizing each whole text, in order.
#[test]
fn tokenize_all_equals_tokenizing_each_text_whole() {
    let tokenizer = Tokenizer::new().unwrap();
    let mut texts: Vec<String> = std::fs::read_dir("seeds")
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    texts.push(String::new());
    texts.push("ＳＬＯ\n\nhttps://example.com/x\nインシデント対応".to_string());
    assert!(
        texts.iter().any(|t| t.len() > 20_000),
        "no long text to cut"
    );
    let whole: Vec<_> = texts.iter().map(|t| tokenizer.tokenize(t)).collect();
    assert_eq!(tokenizer.tokenize_all(&texts), whole);
}

/// Nouns IPADIC files as plain nouns but UniDic reads as function nouns (used as adverbs or
/// for the audience: data/function-nouns/) are never terms, nor do they join a compound.
#[test]
fn function_nouns_are_never_terms() {
    let t = Tokenizer::new().unwrap();
    let k = keys(
        &t,
        "本発表の前半ではコストを、後半では原則を。皆様の結果、全員でオブザーバビリティ。",
    );
    for gone in ["前半", "後半", "皆様", "結果", "原則", "全員"] {
        assert!(!k.iter().any(|x| x.contains(gone)), "{gone} in {k:?}");
    }
    for kept in ["コスト", "オブザーバビリティ"] {
        assert!(k.contains(&kept.to_string()), "{kept} missing from {k:?}");
    }
}

#[test]
fn a_verbal_or_adjectival_noun_used_as_the_predicate_is_a_piece() {
    let t = Tokenizer::new().unwrap();
    let part_of = |text: &str, key: &str| -> Vec<bool> {
        t.tokenize(text)
            .into_iter()
            .filter(|term| term.key == key)
            .map(|term| term.part)
            .collect()
    };
    // Followed by する or できる in any form, the verbal noun is the sentence's verb.
    assert_eq!(part_of("この課題を解消します。", "解消"), [true]);
    assert_eq!(part_of("導入を検討されている。", "検討"), [true]);
    assert_eq!(part_of("障害を検知できる。", "検知"), [true]);
    assert_eq!(part_of("データを削除すれば", "削除"), [true]);
    // The humble いたす of a proposal's abstract is する too.
    assert_eq!(part_of("基盤を構築いたしました。", "構築"), [true]);
    assert_eq!(part_of("性能を検証致します", "検証"), [true]);
    // An adjectival noun followed by な, に or だ is the sentence's adjective.
    assert_eq!(part_of("複雑な構成を柔軟に", "複雑"), [true]);
    assert_eq!(part_of("複雑な構成を柔軟に", "柔軟"), [true]);
    assert_eq!(part_of("効果的に守る", "効果的"), [true]);
    assert_eq!(part_of("複雑さと柔軟性", "柔軟性"), [false]);
    // As a noun it is a term of its own, and so are the topic words around the verbs.
    assert_eq!(part_of("課題の解消", "解消"), [false]);
    assert_eq!(part_of("監視を強化。", "強化"), [false]);
    assert_eq!(part_of("監視基盤を構築し", "監視基盤"), [false]);
}
