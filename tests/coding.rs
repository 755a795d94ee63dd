//! Coding rules match exactly what kwic finds (one matcher), list the talks they matched,
//! and `title:` rules find a term inside a title's compound.

use std::collections::BTreeSet;
use std::process::{Command, Output};

fn confthemes(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap()
}

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
