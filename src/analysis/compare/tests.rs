//! Unit tests of the comparison.

use super::PMethod;
use super::terms::MIN_SOURCES;
use super::*;
use crate::analysis::stats::NotApplicable;
use crate::cluster::{ClusterParams, KChoice};
use crate::corpus::SectionKind;
use crate::corpus::Talk;
use crate::fitted::AnalysisParams;
use crate::pipeline::analyze_terms;
use crate::themes::Taxonomy;
use crate::vectorize::{TalkTerms, TfIdfParams};

pub(crate) fn talk(event: &str, title: &str) -> Talk {
    Talk {
        id: format!("{event}/{title}"),
        event: event.to_string(),
        ..Talk::new(title.to_string())
    }
}

pub(crate) fn terms(words: &str) -> TalkTerms {
    TalkTerms::from_words(&[], &words.split_whitespace().collect::<Vec<_>>())
}

/// Three well-separated topics.
pub(crate) const TOPICS: [&str; 3] = [
    "SLO エラーバジェット SLI 信頼性目標",
    "Kubernetes コンテナ クラスタ Helm",
    "インシデント ポストモーテム オンコール 障害対応",
];

pub(crate) fn analysis_of(terms: Vec<TalkTerms>, k: usize) -> Analysis {
    let params = AnalysisParams {
        tfidf: TfIdfParams {
            min_df: 1,
            max_df: 1.0,
            ..Default::default()
        },
        cluster: ClusterParams {
            k: KChoice::Fixed(k),
            n_runs: 3,
            ..Default::default()
        },
        ..Default::default()
    };
    analyze_terms(terms, &Taxonomy::none(), &params).unwrap()
}

/// `spec`: (event, topic index or None for a talk without terms, how many).
fn corpus_of(spec: &[(&str, Option<usize>, usize)]) -> (Corpus, Vec<TalkTerms>) {
    let mut corpus = Corpus::default();
    let mut all = Vec::new();
    for &(event, topic, n) in spec {
        for i in 0..n {
            corpus
                .talks
                .push(talk(event, &format!("{event} {topic:?} {i}")));
            all.push(match topic {
                Some(t) => terms(TOPICS[t]),
                None => terms(""),
            });
        }
    }
    (corpus, all)
}

fn fast() -> CompareParams {
    CompareParams {
        monte_carlo_iterations: 2_000,
        ..Default::default()
    }
}

#[test]
fn counts_add_up_to_each_groups_talks_with_an_unassigned_row() {
    let (corpus, terms) = corpus_of(&[
        ("SRE Kaigi 2025", Some(0), 3),
        ("SRE Kaigi 2025", Some(1), 2),
        ("SRE Kaigi 2025", None, 1),
        ("SRE NEXT 2023", Some(2), 3),
        ("SRE NEXT 2023", Some(0), 1),
        ("CloudNative Days Winter 2024", Some(1), 2),
    ]);
    let analysis = analysis_of(terms, 3);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    let names: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "SRE Kaigi 2025",
            "SRE NEXT 2023",
            "CloudNative Days Winter 2024"
        ]
    );
    assert_eq!(
        c.groups.iter().map(|g| g.talks).collect::<Vec<_>>(),
        [6, 4, 2]
    );
    for (g, group) in c.groups.iter().enumerate() {
        let sum: u64 = c.table.iter().map(|r| r.counts[g]).sum();
        assert_eq!(sum as usize, group.talks);
        let share: f64 = c.table.iter().map(|r| r.shares[g]).sum();
        assert!((share - 1.0).abs() < 1e-9);
    }
    let last = c.table.last().unwrap();
    assert_eq!(last.theme, None);
    assert_eq!(last.counts, [1, 0, 0]);
    assert_eq!(c.table.len(), 4);
    // Small counts: low power, nothing flagged, and the text says so.
    assert!(c.test.low_power);
    assert!(c.flags.is_empty());
    let text = c.render(Lang::Ja, &[]);
    assert!(text.contains("未分類"), "{text}");
    assert!(text.contains("検定力は低い"), "{text}");
    let en = c.render(Lang::En, &[]);
    assert!(
        en.contains("unassigned") && en.contains("little power"),
        "{en}"
    );
}

#[test]
fn low_power_without_significance_never_claims_a_difference() {
    // Same mix in both events, few talks.
    let (corpus, terms) = corpus_of(&[
        ("A", Some(0), 2),
        ("A", Some(1), 1),
        ("A", Some(2), 1),
        ("B", Some(0), 1),
        ("B", Some(1), 2),
        ("B", Some(2), 1),
    ]);
    let analysis = analysis_of(terms, 3);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    assert!(c.test.low_power);
    assert!(matches!(c.test.method, PMethod::MonteCarlo { .. }));
    assert_eq!(c.test.verdict, Verdict::NoEvidence);
    assert!(c.flags.is_empty());
    let ja = c.render(Lang::Ja, &[]);
    assert!(ja.contains("差があるとは言えない"), "{ja}");
    assert!(!ja.contains("異なる。") && !ja.contains("多い:"), "{ja}");
    let en = c.render(Lang::En, &[]);
    assert!(en.contains("no difference can be claimed"), "{en}");
    assert!(!en.contains("differs"), "{en}");
}

#[test]
fn a_clear_difference_with_enough_talks_flags_cells() {
    let (corpus, terms) = corpus_of(&[
        ("A", Some(0), 18),
        ("A", Some(1), 2),
        ("A", Some(2), 2),
        ("B", Some(0), 2),
        ("B", Some(1), 18),
        ("B", Some(2), 2),
        ("C", Some(0), 3),
        ("C", Some(1), 3),
        ("C", Some(2), 18),
    ]);
    let analysis = analysis_of(terms, 3);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    assert!(!c.test.low_power);
    assert_eq!(c.test.method, PMethod::Asymptotic);
    assert_eq!(c.test.verdict, Verdict::Differs);
    assert!(c.test.p_value.unwrap() < 1e-6);
    // Every group is over-represented in its own topic's theme.
    for g in 0..3 {
        assert!(
            c.flags
                .iter()
                .any(|f| f.group == g && f.over && c.table[f.row].counts[g] == 18),
            "{:?}",
            c.flags
        );
    }
    assert!(c.flags.iter().all(|f| f.adjusted_residual.abs() >= 1.96));
    let ja = c.render(Lang::Ja, &[]);
    assert!(
        ja.contains("イベントによって異なる") && ja.contains("多い:"),
        "{ja}"
    );
    // Distinctive terms: each group's topic words.
    let a = &c.distinctive[0].terms;
    assert!(a.iter().any(|t| t.display == "SLO"), "{a:?}");
    assert!(a.iter().all(|t| t.z >= 1.96 && t.talks >= 2));
    let b = &c.distinctive[1].terms;
    assert!(b.iter().any(|t| t.display == "Kubernetes"), "{b:?}");
    assert!(!b.iter().any(|t| t.display == "SLO"));
}

#[test]
fn pairwise_terms_point_to_their_group() {
    let (corpus, terms) = corpus_of(&[
        ("A", Some(0), 20),
        ("A", Some(1), 2),
        ("B", Some(1), 20),
        ("B", Some(0), 2),
    ]);
    let analysis = analysis_of(terms, 2);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    assert_eq!(c.pairs.len(), 1);
    let p = &c.pairs[0];
    assert_eq!((p.a, p.b), (0, 1));
    let z = |d: &str| p.terms.iter().find(|t| t.display == d).map(|t| t.z);
    assert!(z("SLO").unwrap() > 1.96);
    assert!(z("Kubernetes").unwrap() < -1.96);
    // a's terms first, then b's; counts as (a side, b side).
    assert!(p.terms.windows(2).all(|w| !(w[0].z < 0.0 && w[1].z > 0.0)));
    let k8s = p.terms.iter().find(|t| t.display == "Kubernetes").unwrap();
    assert_eq!((k8s.count, k8s.other_count), (2, 20));
    assert_eq!(p.chart_terms().first().map(|t| t.1 > 0.0), Some(true));
    // 2×2 table: Fisher's exact test.
    assert_eq!(c.test.method, PMethod::Fisher);
}

#[test]
fn editions_of_one_series_give_trends_in_order() {
    assert_eq!(
        split_edition("SRE NEXT 2023"),
        Some(("SRE NEXT".to_string(), 2023))
    );
    assert_eq!(
        split_edition("CloudNative Days Winter 2024"),
        Some(("CloudNative Days Winter".to_string(), 2024))
    );
    assert_eq!(split_edition("SRE NEXT"), None);
    assert_eq!(split_edition("2024"), None);
    let (corpus, terms) = corpus_of(&[
        ("SRE NEXT 2025", Some(0), 1),
        ("SRE NEXT 2025", Some(1), 3),
        ("SRE NEXT 2023", Some(0), 3),
        ("SRE NEXT 2023", Some(1), 1),
        ("SRE Kaigi 2025", Some(2), 2),
        ("SRE NEXT 2024", Some(0), 2),
        ("SRE NEXT 2024", Some(1), 2),
    ]);
    let analysis = analysis_of(terms, 3);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    assert_eq!(c.series.len(), 1);
    let s = &c.series[0];
    assert_eq!(s.name, "SRE NEXT");
    assert_eq!(s.years, [2023, 2024, 2025]);
    let names: Vec<&str> = s
        .editions
        .iter()
        .map(|&g| c.groups[g].name.as_str())
        .collect();
    assert_eq!(names, ["SRE NEXT 2023", "SRE NEXT 2024", "SRE NEXT 2025"]);
    assert_eq!(s.rose.len(), 1);
    assert_eq!(s.fell.len(), 1);
    assert_eq!(s.rose[0].shares, [0.25, 0.5, 0.75]);
    assert_eq!(s.fell[0].shares, [0.75, 0.5, 0.25]);
    assert!((s.rose[0].change - 0.5).abs() < 1e-12);
    // The SRE Kaigi theme is absent from the series.
    assert!(s.steady.is_empty());
    assert!(s.test.low_power);
    let ja = c.render(Lang::Ja, &[]);
    assert!(ja.contains("SRE NEXT の推移 (2023 → 2024 → 2025)"), "{ja}");
    assert!(ja.contains("25% → 50% → 75% (+50pt)"), "{ja}");
}

/// Talks on two days (topic 0 / 1: 6+4 and 4+6) and `undated` talks of topic 0.
fn days(undated: usize) -> Comparison {
    let mut spec = vec![
        ("A", Some(0), 6),
        ("A", Some(1), 4),
        ("A", Some(0), 4),
        ("A", Some(1), 6),
    ];
    if undated > 0 {
        spec.push(("B", Some(0), undated));
    }
    let (mut corpus, terms) = corpus_of(&spec);
    for (i, talk) in corpus.talks.iter_mut().enumerate() {
        talk.start = match i {
            0..10 => Some("2025-01-25 10:00".into()),
            10..20 => Some("2025-01-26 10:00".into()),
            _ => None,
        };
    }
    let analysis = analysis_of(terms, 2);
    compare(&corpus, &analysis, GroupBy::Day, &fast())
}

#[test]
fn an_undated_group_is_shown_but_does_not_change_the_test_of_the_days() {
    let dated = days(0);
    let with_undated = days(10);
    let labels = with_undated.group_labels(Lang::Ja);
    assert_eq!(labels, ["2025-01-25", "2025-01-26", "不明"]);
    assert_eq!(with_undated.untested, Some(2));
    assert_eq!(with_undated.groups[2].talks, 10);
    // The table still shows the undated talks.
    assert_eq!(
        with_undated.table.iter().map(|r| r.counts[2]).sum::<u64>(),
        10
    );
    // The test is the one of the two days alone: same table, same p.
    assert_eq!(with_undated.test.chi_square.cols, [0, 1]);
    assert_eq!(with_undated.test.p_value, dated.test.p_value);
    assert_eq!(
        with_undated.test.chi_square.statistic,
        dated.test.chi_square.statistic
    );
    // No distinctive terms or pairs for 「不明」.
    assert!(with_undated.distinctive.iter().all(|d| d.group < 2));
    assert!(with_undated.pairs.iter().all(|p| p.a < 2 && p.b < 2));
    let ja = with_undated.render(Lang::Ja, &[]);
    assert!(
        ja.contains("日付のない発表10件 (「不明」) は表に示しますが、検定"),
        "{ja}"
    );
    let en = with_undated.render(Lang::En, &[]);
    assert!(en.contains("left out of the test"), "{en}");
    assert!(dated.notes(Lang::Ja).is_empty());
}

#[test]
fn a_change_that_rounds_to_zero_points_is_no_trend() {
    // Topic 0: 1/10 = 10% → 3/29 = 10.3%; topic 1: 90% → 89.7%: both show as
    // "10% → 10%" / "90% → 90%".
    let (corpus, terms) = corpus_of(&[
        ("SRE NEXT 2023", Some(0), 1),
        ("SRE NEXT 2023", Some(1), 9),
        ("SRE NEXT 2024", Some(0), 3),
        ("SRE NEXT 2024", Some(1), 26),
    ]);
    let analysis = analysis_of(terms, 2);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    let s = &c.series[0];
    assert!(s.rose.is_empty() && s.fell.is_empty(), "{s:?}");
    assert_eq!(s.steady.len(), 2);
    assert!(s.steady.iter().all(|t| t.change_points == 0));
    let ja = c.render(Lang::Ja, &[]);
    assert!(!ja.contains("0pt") && !ja.contains("増えた"), "{ja}");
}

#[test]
fn groups_with_different_kinds_of_text_are_warned_and_compared_on_titles() {
    // A: CfP abstracts full of CfP words; B: recaps full of recap words. The topic is in
    // the titles.
    let mut corpus = Corpus::default();
    let mut all = Vec::new();
    for (event, kind, title, body) in [
        ("A", SectionKind::Abstract, "SLO", "課題 解決 提供"),
        ("B", SectionKind::Recap, "Kubernetes", "登壇 資料 感想"),
    ] {
        for i in 0..8 {
            let mut t = talk(event, &format!("{title} {i}"));
            t.sections.push(crate::corpus::Section {
                kind,
                source: crate::corpus::Source {
                    file: format!("{event}.txt"),
                    lines: [1, 1],
                },
                text: body.to_string(),
            });
            corpus.talks.push(t);
            let mut terms = TalkTerms::from_words(
                &[
                    title,
                    ["エラーバジェット", "クラスタ"][(event == "B") as usize],
                ],
                &body.split(' ').collect::<Vec<_>>(),
            );
            terms.section_ends = vec![(kind, terms.body.len())];
            all.push(terms);
        }
    }
    let analysis = analysis_of(all, 2);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    assert!(c.terms_basis.mixed_kinds);
    assert_eq!(c.terms_basis.sections, Some(vec![]));
    assert_eq!(c.texts[0].main, [TextKind::Proposal]);
    assert_eq!(c.texts[1].main, [TextKind::Recap]);
    let of = |g: usize| -> Vec<&str> {
        c.distinctive[g]
            .terms
            .iter()
            .map(|t| t.display.as_str())
            .collect()
    };
    assert!(
        of(0).contains(&"SLO") && !of(0).contains(&"課題"),
        "{:?}",
        of(0)
    );
    assert!(
        of(1).contains(&"Kubernetes") && !of(1).contains(&"登壇"),
        "{:?}",
        of(1)
    );
    let ja = c.render(Lang::Ja, &[]);
    assert!(
        ja.contains("本文の種類が異なります (A: CfPの概要、B: 振り返り記事)")
            && ja.contains("(タイトル) だけで数えました"),
        "{ja}"
    );
    // The same kinds of text: no warning, all text counted.
    let same = compare(
        &corpus_of(&[("A", Some(0), 3), ("B", Some(1), 3)]).0,
        &analysis_of(corpus_of(&[("A", Some(0), 3), ("B", Some(1), 3)]).1, 2),
        GroupBy::Event,
        &fast(),
    );
    assert!(!same.terms_basis.mixed_kinds && same.terms_basis.sections.is_none());
    assert!(same.kinds_warning(Lang::En).is_none());
}

#[test]
fn categories_count_in_each_and_missing_rooms_and_days_are_unknown() {
    let (mut corpus, terms) = corpus_of(&[("A", Some(0), 3), ("A", Some(1), 3)]);
    corpus.talks[0].categories = vec!["Tech".into(), "Culture".into()];
    corpus.talks[1].categories = vec!["Tech".into()];
    corpus.talks[0].room = Some("Hall".into());
    corpus.talks[0].start = Some("2025-01-26 10:35".into());
    corpus.talks[1].start = Some("2025/1/25 11:00〜".into());
    corpus.talks[2].start = Some("TBD".into());
    let analysis = analysis_of(terms, 2);

    let c = compare(&corpus, &analysis, GroupBy::Category, &fast());
    assert!(c.multi_membership);
    let talks: Vec<(String, usize, bool)> = c
        .groups
        .iter()
        .map(|g| (g.name.clone(), g.talks, g.unknown))
        .collect();
    assert_eq!(talks.iter().map(|t| t.1).sum::<usize>(), 7);
    assert_eq!(talks.last().unwrap(), &("unknown".to_string(), 4, true));
    assert!(c.render(Lang::Ja, &[]).contains("延べ数"));
    assert!(c.render(Lang::Ja, &[]).contains("不明"));

    let c = compare(&corpus, &analysis, GroupBy::Room, &fast());
    assert_eq!(c.groups.len(), 2);
    assert_eq!(c.groups[1].label(Lang::En), "unknown");
    assert_eq!(c.groups[1].talks, 5);

    let c = compare(&corpus, &analysis, GroupBy::Day, &fast());
    let days: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(days, ["2025-01-25", "2025-01-26", "unknown"]);
}

#[test]
fn a_single_group_is_not_tested_and_has_no_distinctive_terms() {
    let (corpus, terms) = corpus_of(&[("A", Some(0), 3), ("A", Some(1), 3)]);
    let analysis = analysis_of(terms, 2);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    assert_eq!(c.test.verdict, Verdict::NotApplicable);
    assert_eq!(c.test.not_applicable, Some(NotApplicable::OneColumn));
    assert!(c.distinctive.is_empty() && c.pairs.is_empty() && c.flags.is_empty());
    assert!(c.render(Lang::Ja, &[]).contains("検定できない"));
    let json = serde_json::to_string(&c).unwrap();
    assert!(!json.contains("NaN"));
    // Everything numeric is finite.
    for r in &c.table {
        assert!(r.shares.iter().all(|s| s.is_finite()));
    }
    assert!(c.test.chi_square.statistic.is_finite());
}

#[test]
fn day_parsing() {
    assert_eq!(day_of("2025-01-26 10:35").as_deref(), Some("2025-01-26"));
    assert_eq!(day_of("2025/1/26 10:35〜").as_deref(), Some("2025-01-26"));
    assert_eq!(day_of("10:35"), None);
    assert_eq!(day_of(""), None);
    assert_eq!(day_of("2025-13-01"), None);
}

/// A talk with one section of `kind` from `file`, its terms `words` (title: `title`).
fn talk_with_section(
    event: &str,
    title: &str,
    kind: SectionKind,
    file: &str,
    words: &[&str],
) -> (Talk, TalkTerms) {
    let mut t = talk(event, title);
    t.sections.push(crate::corpus::Section {
        kind,
        source: crate::corpus::Source {
            file: file.to_string(),
            lines: [1, 1],
        },
        text: words.join(" "),
    });
    let mut terms = TalkTerms::from_words(&[], words);
    terms.section_ends = vec![(kind, terms.body.len())];
    (t, terms)
}

#[test]
fn a_group_that_is_one_recap_post_gets_the_note_and_no_finding() {
    let mut corpus = Corpus::default();
    let mut all = Vec::new();
    for i in 0..10 {
        // One company's recap of ten talks: its name in every section.
        let (t, terms) = talk_with_section(
            "Recap Event",
            &format!("r{i}"),
            SectionKind::Recap,
            "recap-post.md",
            &[
                "アンドパッド",
                TOPICS[i % 2].split(' ').next().unwrap(),
                "登壇",
            ],
        );
        corpus.talks.push(t);
        all.push(terms);
        let (t, terms) = talk_with_section(
            "CfP Event",
            &format!("c{i}"),
            SectionKind::Recap,
            &format!("post-{i}.md"),
            &[
                "インシデント",
                TOPICS[i % 2].split(' ').next().unwrap(),
                "登壇",
            ],
        );
        corpus.talks.push(t);
        all.push(terms);
    }
    let analysis = analysis_of(all, 2);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    let recap = c.distinctive.iter().find(|d| d.group == 0).unwrap();
    assert!(recap.single_source && recap.sources == 1, "{recap:?}");
    assert!(recap.terms.iter().any(|t| t.display == "アンドパッド"));
    assert!(recap.terms.iter().all(|t| !t.significant), "{recap:?}");
    // The other group's writers are ten: its word is a finding.
    let cfp = c.distinctive.iter().find(|d| d.group == 1).unwrap();
    assert!(!cfp.single_source && cfp.sources == 10);
    let inc = cfp
        .terms
        .iter()
        .find(|t| t.display == "インシデント")
        .unwrap();
    assert!(inc.significant && inc.sources == 10, "{inc:?}");
    let ja = c.render(Lang::Ja, &[]);
    assert!(ja.contains("「Recap Event」の本文は1人の書き手"), "{ja}");
    assert!(ja.contains("アンドパッド (") && !ja.contains("アンドパッド (4.3*)"));
    assert!(
        !ja.lines()
            .any(|l| l.contains("Recap Event:") && l.contains('*')),
        "{ja}"
    );
    assert!(c.pairs[0].single_source == [true, false]);
    assert!(
        c.pairs[0]
            .terms
            .iter()
            .filter(|t| t.z > 0.0)
            .all(|t| !t.significant)
    );
    assert_eq!(MIN_SOURCES, 2);
}

#[test]
fn a_random_split_of_one_event_has_no_finding() {
    // Forty talks of one event, every topic in both halves: nothing to find.
    let mut spec = Vec::new();
    for i in 0..48 {
        spec.push((["A", "B"][i % 2], Some((i / 2) % 3), 1));
    }
    let (corpus, terms) = corpus_of(&spec);
    let analysis = analysis_of(terms, 3);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    let found: Vec<&DistinctiveTerm> = c
        .distinctive
        .iter()
        .flat_map(|d| &d.terms)
        .chain(c.pairs.iter().flat_map(|p| &p.terms))
        .filter(|t| t.significant)
        .collect();
    assert!(found.is_empty(), "{found:?}");
    assert!(c.pairs[0].themes.iter().all(|t| !t.supported));
    let ja = c.render(Lang::Ja, &[]);
    assert!(ja.contains("差があると言えるテーマはない"), "{ja}");
}

#[test]
fn short_texts_on_one_side_do_not_make_the_other_sides_common_words_findings() {
    // Same topics on both sides; A's texts carry five words of no topic besides, B's are cut
    // short. Per-talk presence alone made such words "typical of A". (Words of general
    // Japanese, 課題 or 解決, are not listed at all: `Taxonomy::everyday_words`.)
    let mut corpus = Corpus::default();
    let mut all = Vec::new();
    for i in 0..60 {
        let topic: Vec<&str> = TOPICS[i % 3].split(' ').collect();
        let (event, words): (&str, Vec<&str>) = if i % 2 == 0 {
            (
                "A",
                [
                    &topic[..],
                    &["ノウハウ", "勘所", "取り組み", "振り返り", "道のり"],
                ]
                .concat(),
            )
        } else {
            ("B", topic[..1].to_vec())
        };
        let (t, terms) = talk_with_section(
            event,
            &format!("t{i}"),
            SectionKind::Abstract,
            &format!("{i}.txt"),
            &words,
        );
        corpus.talks.push(t);
        all.push(terms);
    }
    let analysis = analysis_of(all, 3);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    let a = &c.distinctive[0].terms;
    assert!(a.iter().any(|t| t.display == "ノウハウ"), "{a:?}");
    assert!(a.iter().all(|t| !t.significant), "{a:?}");
}

#[test]
fn three_groups_get_a_correspondence_map_with_each_group_near_its_theme() {
    let (corpus, terms) = corpus_of(&[
        ("A", Some(0), 8),
        ("A", Some(1), 1),
        ("B", Some(1), 8),
        ("B", Some(2), 1),
        ("C", Some(2), 8),
        ("C", Some(0), 1),
    ]);
    let analysis = analysis_of(terms, 3);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    let ca = c.correspondence.as_ref().expect("three groups");
    let map = ca.themes.as_ref().expect("themes map");
    assert_eq!(map.groups.len(), 3);
    assert_eq!(map.columns.len(), 3);
    let [s1, s2] = map.inertia_share;
    assert!(s1 >= s2 && s2 > 0.0 && s1 + s2 <= 1.0 + 1e-9, "{s1} {s2}");
    // Two axes hold all the inertia of a 3×3 table.
    assert!((s1 + s2 - 1.0).abs() < 1e-6);
    for g in &map.groups {
        // The theme most of the group's talks have (its row in the table).
        let own = (0..c.table.len())
            .max_by_key(|&r| c.table[r].counts[g.index])
            .unwrap();
        let nearest = map
            .columns
            .iter()
            .min_by(|x, y| {
                let d = |p: &CaPoint| (p.x - g.x).powi(2) + (p.y - g.y).powi(2);
                d(x).total_cmp(&d(y))
            })
            .unwrap();
        assert_eq!(nearest.index, own, "{map:?}");
    }
    assert!(ca.terms.is_some());
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains("\"correspondence\":{") && json.contains("\"inertia_share\""));
    // Two groups: no map.
    let (corpus, terms) = corpus_of(&[("A", Some(0), 4), ("B", Some(1), 4)]);
    let c = compare(&corpus, &analysis_of(terms, 2), GroupBy::Event, &fast());
    assert!(c.correspondence.is_none());
}

#[test]
fn only_the_largest_groups_are_paired_and_the_cap_is_stated() {
    let spec: Vec<(&str, Option<usize>, usize)> = ["A", "B", "C", "D", "E", "F"]
        .iter()
        .enumerate()
        .map(|(i, g)| (*g, Some(i % 3), 8 - i))
        .collect();
    let (corpus, terms) = corpus_of(&spec);
    let c = compare(&corpus, &analysis_of(terms, 3), GroupBy::Event, &fast());
    assert_eq!(c.pair_cap.groups, [0, 1, 2, 3]);
    assert_eq!(
        (c.pair_cap.max_groups, c.pair_cap.omitted),
        (PAIR_GROUPS, 2)
    );
    assert_eq!(c.pairs.len(), 6);
    assert_eq!(c.distinctive.len(), 6);
    assert!(
        c.notes(Lang::Ja)
            .iter()
            .any(|n| n.contains("発表の多い4グループだけ"))
    );
}

#[test]
fn a_steady_rise_over_three_editions_is_supported_and_a_wobble_is_not() {
    let (corpus, terms) = corpus_of(&[
        ("SRE NEXT 2023", Some(0), 2),
        ("SRE NEXT 2023", Some(1), 18),
        ("SRE NEXT 2024", Some(0), 10),
        ("SRE NEXT 2024", Some(1), 10),
        ("SRE NEXT 2025", Some(0), 18),
        ("SRE NEXT 2025", Some(1), 2),
        ("SRE NEXT 2023", Some(2), 2),
        ("SRE NEXT 2024", Some(2), 3),
        ("SRE NEXT 2025", Some(2), 2),
    ]);
    let c = compare(&corpus, &analysis_of(terms, 3), GroupBy::Event, &fast());
    let s = &c.series[0];
    assert_eq!(s.years, [2023, 2024, 2025]);
    let all: Vec<&ThemeTrend> = s.rose.iter().chain(&s.fell).chain(&s.steady).collect();
    let of = |share0: f64| {
        all.iter()
            .find(|t| (t.shares[0] - share0).abs() < 1e-9)
            .copied()
            .unwrap()
    };
    assert!(of(2.0 / 22.0).supported && of(18.0 / 22.0).supported);
    let wobble = of(2.0 / 22.0 + 0.0).counts.clone();
    assert_eq!(wobble, [2, 10, 18]);
    let flat = all.iter().find(|t| t.counts == [2, 3, 2]).unwrap();
    assert!(!flat.supported && flat.p_value.is_some());
    let ja = c.render(Lang::Ja, &[]);
    assert!(ja.contains("pt*)"), "{ja}");
}

#[test]
fn a_pair_difference_the_whole_table_does_not_support_is_no_finding() {
    // Two of ten events differ (10 : 2 against 2 : 10); the other eight are even. A vs B
    // alone gives Fisher p ≈ 0.003, but the table of all ten shows no difference.
    let mut spec: Vec<(&str, Option<usize>, usize)> = vec![
        ("A", Some(0), 10),
        ("A", Some(1), 2),
        ("B", Some(0), 2),
        ("B", Some(1), 10),
    ];
    for e in ["C", "D", "E", "F", "G", "H", "I", "J"] {
        spec.push((e, Some(0), 6));
        spec.push((e, Some(1), 6));
    }
    let (corpus, terms) = corpus_of(&spec);
    let c = compare(&corpus, &analysis_of(terms, 2), GroupBy::Event, &fast());
    assert_eq!(c.test.verdict, Verdict::NoEvidence, "{:?}", c.test);
    let ab = c.pairs.iter().find(|p| (p.a, p.b) == (0, 1)).unwrap();
    assert!(
        ab.themes.iter().any(|t| t.p_value < 0.01),
        "{:?}",
        ab.themes
    );
    assert!(
        c.pairs
            .iter()
            .all(|p| p.themes.iter().all(|t| !t.supported))
    );

    // The clear difference of three events: pairs keep their findings.
    let (corpus, terms) = corpus_of(&[
        ("A", Some(0), 18),
        ("A", Some(1), 2),
        ("B", Some(0), 2),
        ("B", Some(1), 18),
        ("C", Some(0), 10),
        ("C", Some(1), 10),
    ]);
    let c = compare(&corpus, &analysis_of(terms, 2), GroupBy::Event, &fast());
    assert_eq!(c.test.verdict, Verdict::Differs);
    assert!(c.pairs.iter().any(|p| p.themes.iter().any(|t| t.supported)));
}

#[test]
fn distinctive_terms_are_whole_words_that_say_something() {
    // Event A's talks are on multi-cloud, multi-tenancy and multi-region: マルチ is in every
    // one of them, but only as a piece of a longer word (one B talk writes 「マルチ・ノード」
    // on its own). They also all say 挑戦, one of the commonest words of Japanese.
    let a = [
        "マルチクラウドの運用への挑戦",
        "マルチテナントの設計への挑戦",
        "マルチリージョンの構成への挑戦",
        "マルチクラウドの時代の挑戦",
        "マルチテナントのSaaSの挑戦",
        "マルチリージョンへの移行の挑戦",
        "マルチクラウドとマルチテナントの挑戦",
        "マルチクラウドのDBの挑戦",
    ];
    let b = [
        "SLOとエラーバジェットの実践",
        "SLOの決め方",
        "エラーバジェットポリシーを運用する",
        "マルチ・ノードでSLOを測る",
        "SLOとアラート設計",
        "エラーバジェットを使い切ったら",
        "SLOダッシュボードの作り方",
        "SLI選定のコツ",
    ];
    let tokenizer = crate::tokenize::Tokenizer::new().unwrap();
    let mut corpus = Corpus::default();
    for (event, titles) in [("A", &a), ("B", &b)] {
        for title in titles.iter() {
            corpus.talks.push(talk(event, title));
        }
    }
    let analysis = analysis_of(crate::pipeline::talk_terms(&corpus, &tokenizer), 2);
    let c = compare(&corpus, &analysis, GroupBy::Event, &fast());
    let shown: Vec<&str> = c.distinctive[0]
        .terms
        .iter()
        .map(|t| t.display.as_str())
        .collect();
    assert!(
        shown.contains(&"マルチクラウド") || shown.contains(&"マルチテナント"),
        "{shown:?}"
    );
    assert!(!shown.contains(&"マルチ"), "{shown:?}");
    assert!(!shown.contains(&"挑戦"), "{shown:?}");
    let b_shown: Vec<&str> = c.distinctive[1]
        .terms
        .iter()
        .map(|t| t.display.as_str())
        .collect();
    assert!(b_shown.contains(&"SLO"), "{b_shown:?}");
}
