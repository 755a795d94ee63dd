//! The report's charts on whole corpora: they stay bounded for many events and show what
//! their captions claim.

use std::path::Path;
use std::process::Command;

fn report(input: &Path, out: &Path, extra: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .arg("report")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--no-png"])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn chart_files(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// 500 events of 4 talks: one chart per pair of events made 124,631 chart files and a
/// 602 MiB report.html. The output must grow linearly with the number of events.
#[test]
fn five_hundred_events_give_a_bounded_report() {
    const TOPICS: [&[&str]; 5] = [
        &[
            "監視",
            "アラート",
            "メトリクス",
            "ダッシュボード",
            "オンコール",
        ],
        &["コスト", "FinOps", "予算", "削減", "クラウド"],
        &["研修", "新卒", "育成", "オンボーディング", "チーム"],
        &["Kubernetes", "コンテナ", "クラスタ", "Helm", "Pod"],
        &["障害", "ポストモーテム", "インシデント", "復旧", "振り返り"],
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talks.jsonl");
    let mut lines = Vec::new();
    for e in 0..500 {
        for t in 0..4 {
            let topic = TOPICS[(e + t) % TOPICS.len()];
            let words: Vec<&str> = (0..8).map(|j| topic[(e * 7 + t * 3 + j) % 5]).collect();
            lines.push(
                serde_json::json!({
                    "event": format!("Meetup {e:03}"),
                    "title": format!("{}と{}の話 {e}-{t}", words[0], words[1]),
                    "abstract": words.join(" "),
                })
                .to_string(),
            );
        }
    }
    std::fs::write(&path, lines.join("\n")).unwrap();
    let out = dir.path().join("report");
    report(&path, &out, &["--k", "5"]);
    let svgs: Vec<String> = chart_files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".svg"))
        .collect();
    // With PNGs (the default) every chart is two files: at most 60 chart files.
    assert!(svgs.len() <= 30, "{} charts: {svgs:?}", svgs.len());
    let pairs = svgs
        .iter()
        .filter(|f| f.starts_with("distinctive_terms"))
        .count();
    assert!(pairs <= 6, "{pairs} pair charts");
    let html = std::fs::metadata(out.join("report.html")).unwrap().len();
    assert!(html <= 10 << 20, "report.html is {html} bytes");
}

