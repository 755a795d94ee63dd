//! Bad input, end to end: every case runs the binary, expects exit code 2, one error line on
//! stderr naming the file or option at fault, and no output left behind (neither the --out
//! directory nor temporary siblings of it).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const GOOD_CSV: &str = "event,title,abstract\n\
SRE NEXT 2024,監視とアラートの設計,監視 アラート メトリクス ダッシュボード オンコール\n\
SRE NEXT 2024,アラート疲れをなくす監視設計,アラート 監視 メトリクス ダッシュボード ノイズ\n\
SRE NEXT 2024,コスト最適化とFinOpsの実践,コスト FinOps クラウド 削減 予算\n\
SRE NEXT 2024,クラウドコストを下げたFinOps,FinOps コスト クラウド 予算 削減\n";

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Self {
        Case {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&p, bytes).unwrap();
        p.display().to_string()
    }
    fn good(&self) -> String {
        self.file("good.csv", GOOD_CSV)
    }
    fn out(&self) -> String {
        self.path("out").display().to_string()
    }
    /// Everything in the temp dir, to compare before and after a run.
    fn listing(&self) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                out.push(p.strip_prefix(base).unwrap().display().to_string());
                if p.is_dir() {
                    walk(&p, base, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.dir.path(), self.dir.path(), &mut out);
        out.sort();
        out
    }

    /// Run the binary; assert exit code 2, a single `confthemes: error:` line containing
    /// `needle` (in English), the same in Japanese (the default) with no English left in
    /// it, and that nothing new appeared in the temp dir.
    fn fails(&self, args: &[&str], needle: &str) {
        let before = self.listing();
        let japanese = Command::new(env!("CARGO_BIN_EXE_confthemes"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&japanese.stderr);
        assert_eq!(japanese.status.code(), Some(2), "{args:?}: {stderr}");
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("confthemes: 警告:"))
            .collect();
        assert_eq!(lines.len(), 1, "{args:?}: not one error line: {stderr}");
        assert!(
            lines[0].starts_with("confthemes: エラー: "),
            "{args:?}: {stderr}"
        );
        if let Some(words) = common::english_run(lines[0]) {
            panic!("{args:?}: English under --lang ja ({words}): {stderr}");
        }
        assert_eq!(self.listing(), before, "{args:?}: output left behind");
        let output = Command::new(env!("CARGO_BIN_EXE_confthemes"))
            .env("CONFTHEMES_LANG", "en")
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                !l.starts_with("confthemes: warning:") && !l.starts_with("confthemes: 警告:")
            })
            .collect();
        assert_eq!(errors.len(), 1, "{args:?}: not one error line: {stderr}");
        assert!(
            errors[0].starts_with("confthemes: error: "),
            "{args:?}: {stderr}"
        );
        assert!(
            errors[0].contains(needle),
            "{args:?}: error does not name `{needle}`: {stderr}"
        );
        assert_eq!(self.listing(), before, "{args:?}: output left behind");
    }

    fn report_fails(&self, input: &str, extra: &[&str], needle: &str) {
        let out = self.out();
        let mut args = vec!["report", input, "--out", &out, "--no-png", "--quiet"];
        args.extend_from_slice(extra);
        self.fails(&args, needle);
    }
}

#[test]
fn empty_file() {
    let c = Case::new();
    let f = c.file("empty.txt", "");
    c.report_fails(&f, &[], "empty.txt: empty file");
}

#[test]
fn whitespace_only_file() {
    let c = Case::new();
    let f = c.file("blank.md", " \n\n\t \r\n");
    c.report_fails(&f, &[], "blank.md: empty file");
}

#[test]
fn binary_file() {
    let c = Case::new();
    let f = c.file("image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    c.report_fails(&f, &[], "image.txt: binary file");
}

#[test]
fn unsupported_encoding() {
    let c = Case::new();
    let f = c.file("latin.txt", b"\x80\x81\xff\xfe\xa0\x85\x99\xfd\xfc");
    c.report_fails(&f, &[], "latin.txt: not text");
}

#[test]
fn bom_with_invalid_utf8() {
    let c = Case::new();
    let f = c.file("bom.csv", b"\xef\xbb\xbfevent,title\nE,\xff\xfe\xff\n");
    c.report_fails(&f, &[], "bom.csv");
}

#[test]
fn huge_text_without_talks() {
    // 8 MB on one line with no talk structure: refused quickly, not a crash or a hang.
    let c = Case::new();
    let f = c.file("huge.txt", "あ".repeat(8_000_000 / 3));
    c.report_fails(&f, &[], "huge.txt");
}

#[test]
fn csv_unterminated_quote() {
    let c = Case::new();
    let f = c.file("q.csv", "event,title\nE,\"unterminated\n");
    c.report_fails(&f, &[], "q.csv: line 2");
}

#[test]
fn csv_ragged_row() {
    let c = Case::new();
    let f = c.file("ragged.csv", "event,title\nE,監視\nE\n");
    c.report_fails(&f, &[], "ragged.csv: line 3");
}

#[test]
fn csv_without_title_column() {
    let c = Case::new();
    let f = c.file("notitle.csv", "foo,bar\n1,2\n");
    c.report_fails(&f, &[], "notitle.csv: line 1: no title column");
}

#[test]
fn json_syntax_error() {
    let c = Case::new();
    let f = c.file("bad.json", "[{\"title\": \"x\", }]");
    c.report_fails(&f, &[], "bad.json: line 1");
}

#[test]
fn json_of_the_wrong_shape() {
    let c = Case::new();
    let f = c.file("num.json", "42");
    c.report_fails(&f, &[], "num.json");
}

#[test]
fn jsonl_bad_line() {
    let c = Case::new();
    let f = c.file("bad.jsonl", "{\"title\":\"a\",\"event\":\"E\"}\n{oops\n");
    c.report_fails(&f, &[], "bad.jsonl: line 2");
}

#[test]
fn missing_input() {
    let c = Case::new();
    let f = c.path("nothere.csv").display().to_string();
    c.report_fails(&f, &[], "nothere.csv");
}

#[test]
fn directory_with_nothing_readable() {
    let c = Case::new();
    c.file("docs/readme.rst", "hello");
    let d = c.path("docs").display().to_string();
    c.report_fails(&d, &[], "docs: nothing readable");
}

#[test]
fn talks_without_content_terms() {
    let c = Case::new();
    let f = c.file(
        "noterms.csv",
        "event,title,abstract\nE,。。。,、、、\nE,「」,・・・\n",
    );
    c.report_fails(&f, &[], "noterms.csv");
}

#[test]
fn k_zero() {
    let c = Case::new();
    let f = c.good();
    c.report_fails(&f, &["--k", "0"], "--k");
}

#[test]
fn k_not_a_number() {
    let c = Case::new();
    let f = c.good();
    c.report_fails(&f, &["--k", "many"], "--k");
}

#[test]
fn k_more_than_talks() {
    let c = Case::new();
    let f = c.good();
    c.report_fails(&f, &["--k", "50"], "--k 50");
}

#[test]
fn unknown_option() {
    let c = Case::new();
    let f = c.good();
    c.report_fails(&f, &["--bogus"], "--bogus");
}

#[test]
fn bad_column_map() {
    let c = Case::new();
    let f = c.good();
    c.report_fails(&f, &["--map", "title"], "--map");
}

#[test]
fn missing_taxonomy_file() {
    let c = Case::new();
    let f = c.good();
    c.report_fails(&f, &["--taxonomy", "nope.toml"], "nope.toml");
}

#[test]
fn invalid_taxonomy_toml() {
    let c = Case::new();
    let f = c.good();
    let t = c.file("tax.toml", "[[theme]\nid = ");
    c.report_fails(&f, &["--taxonomy", &t], "tax.toml");
}

#[test]
fn malformed_user_dictionary() {
    let c = Case::new();
    let f = c.good();
    let d = c.file("user.csv", "監視基盤,カスタム名詞\n");
    c.report_fails(&f, &["--user-dict", &d], "user.csv: line 1");
}

#[test]
fn corpus_toml_with_unknown_field() {
    let c = Case::new();
    c.file("talks/good.csv", GOOD_CSV);
    c.file(
        "talks/corpus.toml",
        "[[file]]\npath = \"good.csv\"\ncolour = \"red\"\n",
    );
    let d = c.path("talks").display().to_string();
    c.report_fails(&d, &[], "corpus.toml");
}

#[test]
fn output_directory_is_a_file() {
    let c = Case::new();
    let f = c.good();
    c.file("out", "I am a file");
    c.report_fails(&f, &[], "out: exists and is not a directory");
}

#[test]
fn output_parent_does_not_exist() {
    let c = Case::new();
    let f = c.good();
    let out = c.path("no/such/dir/out").display().to_string();
    c.fails(
        &["report", &f, "--out", &out, "--no-png", "--quiet"],
        "does not exist",
    );
}

#[test]
fn output_directory_is_foreign_and_not_empty() {
    let c = Case::new();
    let f = c.good();
    c.file("out/notes.txt", "mine");
    c.report_fails(&f, &[], "--force");
    assert_eq!(fs::read_to_string(c.path("out/notes.txt")).unwrap(), "mine");
}

#[test]
fn output_directory_unwritable() {
    // Root ignores permission bits, so use a place nobody can create directories in.
    let c = Case::new();
    let f = c.good();
    let out = "/proc/confthemes-report-test";
    c.fails(
        &["report", &f, "--out", out, "--no-png", "--quiet"],
        "/proc: cannot create",
    );
    assert!(!Path::new(out).exists());
}

/// Found while capping large reports: talks that repeat two texts vary along one direction
/// only, PCA keeps one component, and the talk map indexed a second one (a panic).
#[test]
fn talks_repeating_two_texts_give_a_report() {
    let case = Case::new();
    let mut csv = String::from("event,title,abstract\n");
    for i in 0..6 {
        let (title, text) = if i % 2 == 0 {
            ("監視とアラートの設計", "監視 アラート メトリクス")
        } else {
            ("コスト最適化", "コスト FinOps クラウド")
        };
        csv.push_str(&format!("SRE NEXT 2024,{title} 第{i}回,{text}\n"));
    }
    let input = case.file("twins.csv", csv);
    let out = case.out();
    let output = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .args([
            "report", &input, "--out", &out, "--k", "2", "--no-png", "--quiet",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(case.path("out/charts/talk_map.svg").is_file());
}
