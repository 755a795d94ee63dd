//! Coding rules match exactly what kwic finds (one matcher), list the talks they matched,
//! and `title:` rules find a term inside a title's compound.

use std::collections::BTreeSet;

mod common;
use common::{confthemes, json};

/// Talk ids kwic finds `term` in, and those the one-term code `term` matched.
fn kwic_and_code(term: &str, extra: &[&str]) -> (BTreeSet<String>, BTreeSet<String>, u64) {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, format!("[codes]\n\"{term}\" = \"{term}\"\n")).unwrap();
    let mut args = vec!["kwic", term, "seeds", "--json"];
    args.extend(extra);
    let kwic = json(&confthemes(&args));
    let found: BTreeSet<String> = kwic["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["talk_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kwic["talks"].as_u64().unwrap() as usize, found.len());
    let mut args = vec![
        "code",
        "seeds",
        "--rules",
        rules.to_str().unwrap(),
        "--json",
    ];
    args.extend(extra);
    let code = json(&confthemes(&args));
    let row = &code["codes"][0];
    let listed: BTreeSet<String> = row["talks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    (found, listed, row["total"].as_u64().unwrap())
}

#[test]
fn a_single_term_code_counts_exactly_the_talks_kwic_finds() {
    for (term, extra) in [
        ("監視", &[][..]),
        ("監視", &["--compounds", "compounds"][..]),
        ("ポストモーテム", &["--compounds", "compounds"][..]),
        ("オブザーバビリティ", &[][..]),
    ] {
        let (kwic, code, total) = kwic_and_code(term, extra);
        assert!(!kwic.is_empty(), "{term}: kwic finds nothing on the seeds");
        assert_eq!(code, kwic, "{term} {extra:?}: code and kwic disagree");
        assert_eq!(total as usize, kwic.len(), "{term} {extra:?}");
    }
    // The seeds' count the issue quotes: 6 talks for 監視.
    assert_eq!(
        kwic_and_code("監視", &["--compounds", "compounds"]).1.len(),
        6
    );
}

#[test]
fn a_title_rule_matches_a_part_of_a_compound_in_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let talks = dir.path().join("talks.csv");
    std::fs::write(
        &talks,
        "event,title,abstract\n\
         Meetup 2025,ポストモーテム文化を根付かせる,振り返りを続けるための工夫\n\
         Meetup 2025,障害対応の一年,毎回ポストモーテムを書いて共有しました\n\
         Meetup 2025,Kubernetesの運用,クラスタのアップグレード\n",
    )
    .unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[codes]\n題名 = \"title:ポストモーテム\"\n全体 = \"ポストモーテム\"\n",
    )
    .unwrap();
    for extra in [&[][..], &["--compounds", "compounds"][..]] {
        let mut args = vec![
            "code",
            talks.to_str().unwrap(),
            "--rules",
            rules.to_str().unwrap(),
            "--json",
        ];
        args.extend(extra);
        let out = json(&confthemes(&args));
        let titles = |c: usize| -> Vec<String> {
            out["codes"][c]["talks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["title"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(titles(0), ["ポストモーテム文化を根付かせる"], "{extra:?}");
        assert_eq!(
            titles(1),
            ["ポストモーテム文化を根付かせる", "障害対応の一年"],
            "{extra:?}"
        );
        assert_eq!(out["codes"][0]["rule"], "title:ポストモーテム");
    }
}

#[test]
fn the_report_lists_each_codes_talks_and_charts_codes_by_event() {
    let (kwic, _, _) = kwic_and_code("監視", &[]);
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.toml");
    std::fs::write(
        &rules,
        "[codes]\n監視 = \"監視\"\n\"<b>障害</b>\" = \"インシデント | 障害\"\n",
    )
    .unwrap();
    let out = dir.path().join("report");
    confthemes(&[
        "report",
        "seeds",
        "--rules",
        rules.to_str().unwrap(),
        "--no-png",
        "--out",
        out.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let section = md.split("## コーディング").nth(1).expect("coding section");
    let section = section.split("\n## ").next().unwrap();
    assert!(
        section.contains("| 監視 | 5 (24%) | 1 (10%) | 0 (0%) | 6 |"),
        "{section}"
    );
    // Every talk kwic finds is listed under the code, by title.
    let themes: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("themes.json")).unwrap()).unwrap();
    let titles: Vec<String> = themes["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| kwic.contains(a["talk"].as_str().unwrap()))
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles.len(), 6);
    let monitoring = section.split("**監視**").nth(1).unwrap();
    let monitoring = monitoring.split("\n**").next().unwrap();
    assert!(monitoring.contains("「監視」に当てはまったトーク (6件)"));
    for t in &titles {
        let listed = t
            .replace('*', "\\*")
            .replace('_', "\\_")
            .replace('|', "\\|");
        assert!(monitoring.contains(&format!("| {listed} | ")), "{t}");
    }
    // User text is escaped in both renderings.
    assert!(section.contains("&lt;b&gt;障害&lt;/b&gt;") && !section.contains("<b>"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("<summary>「監視」に当てはまったトーク (6件)</summary>"),
        "no code list in html"
    );
    assert!(!html.contains("<b>障害</b>"));
    let svg = std::fs::read_to_string(out.join("charts/codes_by_event.svg")).unwrap();
    assert!(
        svg.contains("監視 × SRE Kaigi 2025: 5/21 (24%)"),
        "chart tooltips"
    );
    assert!(svg.contains("&lt;b&gt;障害&lt;/b&gt;"));
}
