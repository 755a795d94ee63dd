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

/// A corpus folder that makes the loader warn about everything it can: a link out of the
/// folder, an unknown extension, a talk listed twice, a Shift_JIS file, a file with no talks,
/// a Sessionize export that names no event. Titles and event names are ASCII so an English
/// warning cannot pass for Japanese on their account.
fn warning_corpus(root: &Path) -> std::path::PathBuf {
    let corpus = root.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let outside = root.join("outside.txt");
    std::fs::write(&outside, "outside the input folder\n").unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("link.txt")).unwrap();
    std::fs::write(corpus.join("slides.pdf"), b"%PDF-1.4\n").unwrap();
    std::fs::write(
        corpus.join("talks.csv"),
        "event,title,abstract\n\
         Dup Meetup,Scaling SLOs in practice,SLOとエラーバジェットを運用に取り入れた一年の記録です。\n\
         Dup Meetup,Incident review basics,障害対応の振り返りを続けるための仕組みを紹介します。\n\
         Dup Meetup,Scaling SLOs in practice,SLOとエラーバジェットを運用に取り入れた一年の記録です。\n",
    )
    .unwrap();
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(
        "event,title,abstract\n\
         Sjis Meetup,Tracing at scale,分散トレーシングを全社に広げたときの課題と、サンプリングの設計について話します。\n\
         Sjis Meetup,Cost of logs,ログの保管コストを見直し、必要な情報だけを残すまでの取り組みを紹介します。\n",
    );
    assert!(!bad);
    std::fs::write(corpus.join("sjis.csv"), &sjis).unwrap();
    std::fs::write(
        corpus.join("diary.txt"),
        "今日はいい天気でした。\n明日も晴れるといい。\n",
    )
    .unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sessionize/all.json"),
        corpus.join("all.json"),
    )
    .unwrap();
    corpus
}

#[test]
fn the_loaders_warnings_speak_the_ui_language() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = warning_corpus(dir.path());
    let corpus = corpus.to_str().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let runs: Vec<Vec<&str>> = vec![
        vec!["ingest", corpus],
        vec!["ingest", corpus, "--event", "Other Meetup"],
        vec!["compare", "seeds", corpus],
        vec!["kwic", "SLO", "seeds", corpus],
    ];
    for args in runs {
        let o = common::run(root, &args);
        assert!(o.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.lines().count() >= 4, "{args:?}: {stderr}");
        let english = english_lines(&stderr);
        assert!(english.is_empty(), "{args:?}: {english:?}");
        if args.len() == 2 && args[0] == "ingest" {
            // The summary's notes and warnings too (a Sessionize export names no event).
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert!(
                stdout.contains("Sessionize のエクスポートにはイベント名がない"),
                "{stdout}"
            );
            assert!(!stdout.contains("names no event"), "{stdout}");
            assert!(!stdout.contains("duplicate talk"), "{stdout}");
        }
        // The same run under --lang en says it in English.
        let mut en = args.clone();
        en.extend(["--lang", "en"]);
        let o = common::run(root, &en);
        let stderr = String::from_utf8_lossy(&o.stderr);
        for said in ["outside the input directory", "not a .txt", "not UTF-8"] {
            assert!(stderr.contains(said), "{en:?}: {said}: {stderr}");
        }
    }
}
