//! Every line on stderr in the UI language: each command run as a user runs it, and with the
//! mistakes users make, under the default Japanese UI; no line may hold a run of English words
//! outside what it quotes (`common::english_run`). Failed before the messages were given in
//! both languages: `confthemes: error: …: cannot read: No such file or directory`.

mod common;

use std::path::Path;

fn japanese_stderr(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .args(args)
        .current_dir(dir)
        .env_remove("CONFTHEMES_LANG")
        .output()
        .expect("confthemes runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in stderr.lines() {
        if let Some(words) = common::english_run(line) {
            panic!("{args:?}: English under the Japanese UI ({words}): {line}");
        }
    }
    if !out.status.success() {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("confthemes: エラー: ")),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn every_command_speaks_japanese_on_stderr() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let seeds = common::seeds();
    let seeds = seeds.to_str().unwrap();
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seeds-gold.toml");
    let gold = gold.to_str().unwrap();
    std::fs::write(
        dir.join("talks.csv"),
        "タイトル,アブストラクト,メモ\n監視の話,監視 アラート,x\n",
    )
    .unwrap();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("bad.toml"), "[[theme]]\nid = 1\n").unwrap();
    std::fs::write(dir.join("rules.toml"), "[codes]\n監視 = \"監視 AND (\"\n").unwrap();
    let runs: &[&[&str]] = &[
        // As users run them.
        &["ingest", seeds],
        &["themes", seeds, "--save-model", "model.json"],
        &["report", seeds, "--out", "out", "--no-png", "--quiet"],
        &["report", seeds, "--out", "out", "--no-png", "--quiet"],
        &["compare", seeds],
        &["eval", seeds, "--gold", gold, "--runs", "1"],
        &["tokenize", "監視とアラート"],
        &["assign", "--model", "model.json", seeds],
        &["kwic", seeds, "監視"],
        &["network", seeds, "--out", "net.svg"],
        &["code", seeds],
        &["themes", "talks.csv"],
        // With the mistakes users make.
        &["themes", "missing-dir"],
        &["themes", "empty.txt"],
        &["themes", seeds, "--k", "0"],
        &["themes", seeds, "--k", "500"],
        &["themes", seeds, "--kk", "3"],
        &["themes", seeds, "--lang", "fr"],
        &["report", seeds, "--out", "talks.csv"],
        &["report", seeds, "--out", "out2", "--max-file-size", "1K"],
        &["themes", seeds, "--taxonomy", "bad.toml"],
        &["themes", seeds, "--taxonomy", "nothing.toml"],
        &["assign", "--model", "talks.csv", seeds],
        &["eval", seeds, "--gold", "bad.toml"],
        &["code", seeds, "--rules", "rules.toml"],
        &["network", seeds, "--out", "net.txt"],
        &["kwic", seeds, " "],
        &["tokenize", "--dict", "missing-dir", "監視"],
        &["compare", seeds, "--by", "nothing"],
        &["nosuchcommand"],
    ];
    for args in runs {
        japanese_stderr(dir, args);
    }
}
