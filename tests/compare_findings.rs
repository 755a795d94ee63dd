//! Comparison findings end to end (issue 21): `compare --json` says which distinctive terms
//! are findings and carries the correspondence analysis; a group that is one writer's recap
//! gets the note and no starred term; the report draws the correspondence map and, for a
//! series of three editions, the theme trends; stderr speaks the UI language.

use std::path::Path;

mod common;
use common::{confthemes, json};

const SERIES: &str = "tests/data/series/sre-next-editions.csv";

#[test]
fn compare_json_marks_findings_with_talks_and_sources_and_has_the_map() {
    let c = json(&confthemes(&["compare", "seeds", "--json"]));
    let groups = c["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 3);
    let mut terms = 0;
    for d in c["distinctive"].as_array().unwrap() {
        assert!(
            d["single_source"].is_boolean() && d["sources"].is_u64(),
            "{d}"
        );
        for t in d["terms"].as_array().unwrap() {
            terms += 1;
            assert!(t["significant"].is_boolean(), "{t}");
            assert!(t["talks"].is_u64() && t["sources"].is_u64(), "{t}");
            assert!(
                t.get("p_value").is_some() && t.get("q_value").is_some(),
                "{t}"
            );
        }
        // SRE NEXT 2023 and CloudNative Days Winter 2024 are one recap post each.
        let name = groups[d["group"].as_u64().unwrap() as usize]["name"]
            .as_str()
            .unwrap();
        if name != "SRE Kaigi 2025" {
            assert_eq!(d["single_source"], true, "{name}");
            assert!(
                d["terms"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|t| t["significant"] == false),
                "{name}: {d}"
            );
        }
    }
    assert!(terms > 0);
    for p in c["pairs"].as_array().unwrap() {
        assert!(
            p["single_source"].is_array() && p["themes"].is_array(),
            "{p}"
        );
    }
    assert_eq!(c["pair_cap"]["max_groups"], 4);
    let map = &c["correspondence"]["themes"];
    assert_eq!(map["groups"].as_array().unwrap().len(), 3, "{map}");
    let share = map["inertia_share"].as_array().unwrap();
    let (s1, s2) = (share[0].as_f64().unwrap(), share[1].as_f64().unwrap());
    assert!(s1 >= s2 && s1 + s2 <= 1.0 + 1e-9 && s2 > 0.0, "{share:?}");
    assert!(map["columns"].as_array().unwrap().len() >= 3);
}

#[test]
fn the_seeds_report_draws_the_map_and_stars_no_single_source_term() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    confthemes(&[
        "report",
        "seeds",
        "--no-png",
        "--out",
        out.to_str().unwrap(),
    ]);
    let svg = std::fs::read_to_string(out.join("charts/correspondence.svg")).unwrap();
    assert!(
        svg.contains("第1軸") && svg.contains("SRE Kaigi 2025"),
        "map"
    );
    assert!(out.join("charts/pair_1.svg").exists());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("charts/correspondence.svg"), "figure linked");
    for event in ["SRE NEXT 2023", "CloudNative Days Winter 2024"] {
        let line = md
            .lines()
            .find(|l| l.starts_with(&format!("- **{event}**:")))
            .unwrap_or_else(|| panic!("{event} in the term list"));
        let terms = &line[line.find(':').unwrap()..];
        assert!(!terms.contains('*'), "{line}");
        assert!(
            md.contains(&format!("「{event}」の本文は1人の書き手")),
            "note for {event}"
        );
    }
}

#[test]
fn a_series_of_three_editions_draws_theme_trends_with_the_supported_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    confthemes(&["report", SERIES, "--no-png", "--out", out.to_str().unwrap()]);
    let svg = std::fs::read_to_string(out.join("charts/theme_trends.svg")).unwrap();
    // The title states the supported change, with its counts.
    assert!(
        svg.contains("SRE NEXT 2023→2025：「オブザーバビリティ・監視」が増えた（2→6→10件）"),
        "title"
    );
    for year in ["2023", "2024", "2025"] {
        assert!(svg.contains(&format!(">{year}<")), "{year}");
    }
    let c = json(&confthemes(&["compare", SERIES, "--json"]));
    let s = &c["series"][0];
    assert_eq!(s["years"], serde_json::json!([2023, 2024, 2025]));
    let rose = s["rose"].as_array().unwrap();
    assert!(
        rose.iter()
            .any(|t| t["supported"] == true && t["counts"] == serde_json::json!([2, 6, 10])),
        "{s}"
    );
}

/// A line a user reads under `--lang ja` must be Japanese: some kana or kanji after the
/// program name, unless it only names a file written.
fn english_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| {
            !l.chars()
                .any(|c| matches!(c as u32, 0x3040..=0x30FF | 0x4E00..=0x9FFF | 0xFF01..=0xFF60))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn no_english_line_on_stderr_under_the_japanese_ui() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    let report = dir.path().join("report");
    let runs: Vec<Vec<&str>> = vec![
        vec!["compare", "seeds"],
        vec!["compare", SERIES, "--by", "room"],
        vec!["themes", "seeds", "--k", "36"],
        vec!["themes", "seeds", "--save-model", model.to_str().unwrap()],
        vec![
            "assign",
            "--model",
            model.to_str().unwrap(),
            "tests/data/meetups/meetup-12.csv",
        ],
        vec![
            "report",
            "seeds",
            "--no-png",
            "--out",
            report.to_str().unwrap(),
        ],
        vec!["kwic", "SLO", "seeds"],
        vec!["eval", "seeds", "--gold", "tests/data/seeds-gold.toml"],
    ];
    for args in runs {
        let o = common::run(Path::new(env!("CARGO_MANIFEST_DIR")), &args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        let english = english_lines(&stderr);
        assert!(english.is_empty(), "{args:?}: {english:?}");
    }
}
