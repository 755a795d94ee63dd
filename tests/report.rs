//! The report command end to end on a small corpus: files, escaping, determinism, refusal to
//! overwrite what is not a report.

use std::path::Path;
use std::process::Command;

const TALKS: &[(&str, &str, &str)] = &[
    (
        "SRE NEXT 2024",
        "<script>alert(1)</script> 監視とアラートの設計",
        "監視 アラート メトリクス ダッシュボード オンコール 監視 アラート",
    ),
    (
        "SRE NEXT 2024",
        "アラート疲れをなくす監視設計",
        "アラート 監視 メトリクス ダッシュボード ノイズ 監視",
    ),
    (
        "SRE NEXT 2024",
        "ダッシュボードとメトリクスで見る信頼性",
        "メトリクス ダッシュボード 監視 アラート 可視化",
    ),
    (
        "SRE NEXT 2024",
        "コスト最適化とFinOpsの実践",
        "コスト FinOps クラウド 削減 予算 コスト",
    ),
    (
        "SRE Kaigi 2025",
        "クラウドコストを下げたFinOpsの一年",
        "FinOps コスト クラウド 予算 削減",
    ),
    (
        "SRE Kaigi 2025",
        "予算とコスト配分タグの運用",
        "コスト 予算 タグ FinOps クラウド",
    ),
    (
        "SRE Kaigi 2025",
        "新卒研修とオンボーディングの設計",
        "研修 新卒 オンボーディング 育成 チーム",
    ),
    (
        "SRE Kaigi 2025",
        "チームの育成と研修文化",
        "育成 研修 チーム 文化 新卒 オンボーディング",
    ),
];

fn write_corpus(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("talks.jsonl");
    let lines: Vec<String> = TALKS
        .iter()
        .map(|(event, title, text)| {
            serde_json::json!({"event": event, "title": title, "abstract": text}).to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

fn report(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .arg("report")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--k", "3", "--quiet"])
        .args(extra)
        .output()
        .unwrap()
}

fn read_dir_sorted(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(read_dir_sorted(&path));
        } else {
            files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    files.sort();
    files
}

#[test]
fn report_has_every_file_escapes_user_text_and_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_corpus(tmp.path());
    let out = tmp.path().join("report");
    let run = report(&input, &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    for file in [
        "report.md",
        "report.html",
        "themes.json",
        "talks.csv",
        "charts/talks_per_theme.svg",
        "charts/talks_per_theme.png",
        "charts/talk_map.svg",
        "charts/keyword_heatmap.png",
        "charts/theme_share_by_event.svg",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>"), "raw script tag in HTML");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("<svg"), "charts are inline SVG");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!md.contains("<script>") && md.contains("&lt;script&gt;"));
    for svg in ["talk_map", "talks_per_theme", "timetable"]
        .iter()
        .filter_map(|c| std::fs::read_to_string(out.join(format!("charts/{c}.svg"))).ok())
    {
        assert!(!svg.contains("<script>"));
    }
    let csv = std::fs::read(out.join("talks.csv")).unwrap();
    assert_eq!(
        &csv[..3],
        b"\xEF\xBB\xBF",
        "talks.csv starts with a UTF-8 BOM"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("themes.json")).unwrap()).unwrap();
    assert_eq!(json["k"], 3);
    assert_eq!(json["assignments"].as_array().unwrap().len(), TALKS.len());
    // Two events: the comparison section is there.
    assert!(md.contains("イベントの比較"));

    // Same input and seed: byte-identical files (the previous report is replaced in place).
    let first = read_dir_sorted(&out);
    let again = report(&input, &out, &[]);
    assert!(again.status.success());
    assert_eq!(first, read_dir_sorted(&out));
}

#[test]
fn english_report_uses_english_labels() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_corpus(tmp.path());
    let out = tmp.path().join("en");
    let run = report(
        &input,
        &out,
        &["--lang", "en", "--no-png", "--title", "SRE events 2024–25"],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.starts_with("# SRE events 2024–25"));
    assert!(md.contains("## Themes") && md.contains("## Method"));
    // Lists the tool joins are joined the English way, whatever language the words are in.
    let keywords: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("**Keywords**"))
        .collect();
    assert!(!keywords.is_empty());
    assert!(keywords.iter().all(|l| !l.contains('、')), "{keywords:?}");
    assert!(
        !out.join("charts/talk_map.png").exists(),
        "--no-png writes SVG only"
    );
}

#[test]
fn refuses_a_foreign_directory_and_a_file_as_output() {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_corpus(tmp.path());
    let foreign = tmp.path().join("notes");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("todo.txt"), "keep me").unwrap();
    let run = report(&input, &foreign, &[]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("notes") && err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_dir(&foreign).unwrap().count(),
        1,
        "nothing written into it"
    );

    let file = tmp.path().join("out.txt");
    std::fs::write(&file, "x").unwrap();
    let run = report(&input, &file, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("ディレクトリではありません"));
}

/// A corpus past the large-corpus threshold: the report lists the most central talks of each
/// theme (the full list is talks.csv) and says that k was chosen on a sample.
#[test]
fn large_report_caps_member_lists_and_names_the_sampled_method() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talks.jsonl");
    let lines: Vec<String> = (0..1000)
        .map(|i| {
            let base = TALKS[i % TALKS.len()];
            serde_json::json!({
                "event": base.0,
                "title": format!("{} 第{i}回", base.1),
                "abstract": base.2,
            })
            .to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    let out = dir.path().join("report");
    // Two themes over 1000 talks: one has at least 500 members.
    let o = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .arg("report")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .args(["--k", "2", "--quiet", "--no-png"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("中心に近いトーク 300件 (全"), "no capped list");
    assert!(
        md.contains("大規模コーパス"),
        "method note does not name the sample"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("中心に近いトーク 300件"));
    // At most 300 rows per theme in the member tables, every talk in talks.csv.
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" 第"))
        .count();
    assert!(rows <= 2 * 300, "{rows} member rows");
    let csv = std::fs::read_to_string(out.join("talks.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1001);
}
