//! Same input and seed give byte-identical reports whatever the number of rayon threads.

use std::path::Path;
use std::process::Command;

fn report(out: &Path, threads: &str, input: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .args(["report", input, "--out"])
        .arg(out)
        .args(["--no-png", "--quiet", "--seed", "3"])
        .env("RAYON_NUM_THREADS", threads)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success());
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn same_with_one_and_two_threads(input: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("one"), tmp.path().join("two"));
    report(&a, "1", input);
    report(&b, "2", input);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(
        fa.iter().map(|f| &f.0).collect::<Vec<_>>(),
        fb.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(x == y, "{name} differs between 1 and 2 threads");
    }
}

#[test]
fn seeds_report_is_identical_with_one_and_two_threads() {
    same_with_one_and_two_threads("seeds");
}

#[test]
fn large_corpus_path_is_identical_with_one_and_two_threads() {
    // More than cluster::SCALE_THRESHOLD talks: the sparse, sampled clustering path.
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("many.jsonl");
    let topics = [
        (
            "監視とアラート",
            "監視 アラート メトリクス ダッシュボード オンコール 可視化",
        ),
        ("コスト最適化", "コスト FinOps クラウド 削減 予算 タグ"),
        (
            "インシデント対応",
            "インシデント ポストモーテム 障害 振り返り 復旧 エスカレーション",
        ),
        (
            "Kubernetes運用",
            "Kubernetes クラスタ アップグレード コンテナ ノード マニフェスト",
        ),
    ];
    let mut lines = String::new();
    for i in 0..700 {
        let (title, body) = topics[i % topics.len()];
        let (_, other) = topics[(i * 7 + 1) % topics.len()];
        let extra: Vec<&str> = other.split(' ').take(1 + i % 3).collect();
        lines.push_str(&format!(
            "{{\"event\":\"SRE NEXT {}\",\"title\":\"{title} その{i}\",\"abstract\":\"{body} {}\"}}\n",
            2023 + i % 2,
            extra.join(" ")
        ));
    }
    std::fs::write(&input, lines).unwrap();
    same_with_one_and_two_threads(input.to_str().unwrap());
}
