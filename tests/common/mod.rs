//! Helpers the end-to-end test files share: running the binary and reading its JSON.
// Each test file uses some of these; the rest would warn as unused in that file's crate.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The bundled seeds directory.
pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// Run confthemes in `dir`, whatever its exit status.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("confthemes runs")
}

/// Run confthemes in the project directory; it must succeed.
pub fn confthemes(args: &[&str]) -> Output {
    let out = run(Path::new(env!("CARGO_MANIFEST_DIR")), args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Standard output of a successful run.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// Standard output of a successful run, as JSON.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("JSON output")
}

/// A run of three or more English words in a message line, outside what a message quotes:
/// values in quotes or 「」, paths and option names (not plain words), and a detail another
/// library wrote, which a Japanese message gives in parentheses. `None`: nothing left in
/// English, as a line under `--lang ja` must be.
pub fn english_run(line: &str) -> Option<String> {
    let mut ours = String::new();
    let mut closing: Vec<char> = Vec::new();
    for c in line.chars() {
        match closing.last() {
            Some(&end) if c == end => {
                closing.pop();
                continue;
            }
            Some(_) if !matches!(c, '(' | '（') => continue,
            _ => {}
        }
        match c {
            '\'' | '`' | '"' => closing.push(c),
            '「' => closing.push('」'),
            '(' => closing.push(')'),
            '（' => closing.push('）'),
            _ if closing.is_empty() => ours.push(c),
            _ => {}
        }
    }
    let word = |w: &str| {
        let w = w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '.'));
        w.len() >= 2 && w.chars().all(|c| c.is_ascii_lowercase())
    };
    let tokens: Vec<&str> = ours.split(' ').collect();
    tokens
        .windows(3)
        .find(|w| w.iter().all(|t| word(t)))
        .map(|w| w.join(" "))
}
