//! Truthful statistics end to end on the seeds: a k lower than asked is said and explained,
//! and events whose texts are of different kinds are compared on what they share.

use std::path::Path;

mod common;
use common::confthemes;

#[test]
fn a_k_lower_than_asked_is_said_on_stderr_and_in_the_method_note() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = confthemes(&[
        "report",
        "seeds",
        "--k",
        "36",
        "--no-png",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("themes.json")).unwrap()).unwrap();
    let got = json["themes"].as_array().unwrap().len();
    assert!(got < 36, "the seeds' 37 talks gave {got} themes for --k 36");
    assert!(
        stderr.contains(&format!("警告: --k 36 に対してテーマは {got} 個: ")),
        "{stderr}"
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains(&format!("k = {got} (--k 36 に対してテーマは {got} 個: ")),
        "method note: {}",
        md.lines().find(|l| l.contains("k = ")).unwrap_or("")
    );
    assert!(!md.contains(&format!("k = {got} (指定)")));
}

#[test]
fn events_with_different_kinds_of_text_are_warned_and_compared_on_titles() {
    let seeds = Path::new("seeds").to_str().unwrap();
    let o = confthemes(&["compare", seeds]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("警告: グループによって本文の種類が異なります (SRE Kaigi 2025: CfPの概要、SRE NEXT 2023: 振り返り記事、"),
        "{stderr}"
    );
    assert!(stdout.contains("(タイトル) だけで数えました"), "{stdout}");
    // The CfP boilerplate that made SRE Kaigi "distinctive" is gone from its list.
    let kaigi = stdout
        .lines()
        .find(|l| l.starts_with("  SRE Kaigi 2025: "))
        .unwrap();
    for cfp_word in ["提供", "改善", "運用"] {
        assert!(!kaigi.contains(cfp_word), "{kaigi}");
    }
    // Two recap events are compared on all their text.
    assert!(
        stdout.contains("SRE NEXT 2023 ⇔ CloudNative Days Winter 2024 (全文)"),
        "{stdout}"
    );
}

#[test]
fn assign_flags_new_talks_by_a_threshold_calibrated_on_held_out_events() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    let o = confthemes(&["themes", "seeds", "--save-model", model.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("は較正済み: イベントを除いて当てはめた 3 個のモデル")
            && stderr.contains("除いたイベントのトーク 37 件"),
        "{stderr}"
    );
    // Twelve talks of a meetup the model never saw, all on themes the seeds have: the
    // in-sample threshold made 11 of them candidates.
    let meetup = "tests/data/meetups/meetup-12.csv";
    let out: serde_json::Value = serde_json::from_slice(
        &confthemes(&[
            "assign",
            "--model",
            model.to_str().unwrap(),
            meetup,
            "--json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(out["threshold_source"], "calibrated");
    let cal = &out["calibration"];
    assert_eq!(cal["method"], "leave-one-event-out");
    assert_eq!(
        (cal["folds"].as_u64(), cal["held_out_talks"].as_u64()),
        (Some(3), Some(37))
    );
    assert_eq!(cal["threshold"], out["threshold"]);
    let flagged = out["placements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["new_theme_candidate"] == true)
        .count();
    assert!(flagged <= 3, "{flagged} of 12 flagged");
    let text = String::from_utf8_lossy(
        &confthemes(&["assign", "--model", model.to_str().unwrap(), meetup]).stdout,
    )
    .to_string();
    assert!(
        text.contains("は較正済み: イベントを除いて当てはめた 3 個のモデル"),
        "{text}"
    );

    // A model saved before calibration existed loads, keeps its threshold and says so.
    let mut old: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    old.as_object_mut().unwrap().remove("calibration");
    let old_path = dir.path().join("old.json");
    std::fs::write(&old_path, old.to_string()).unwrap();
    let o = confthemes(&[
        "assign",
        "--model",
        old_path.to_str().unwrap(),
        meetup,
        "--json",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("は較正されていません"), "{stderr}");
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["threshold_source"], "in-sample");
    assert!(out["calibration"].is_null());
}
