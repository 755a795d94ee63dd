//! One file per subcommand: each turns parsed arguments into library calls and output.
//! Shared plumbing (building the tokenizer, reading stdin) lives here.

pub mod analysis;
pub mod assign;
pub mod code;
pub mod compare;
pub mod completions;
pub mod eval;
pub mod ingest;
pub mod kwic;
pub mod network;
pub mod report;
pub mod themes;
pub mod tokenize;
pub mod usage_error;

use crate::cli::TokenizerArgs;
use crate::error::Result;
use crate::tokenize::{Tokenizer, TokenizerParams};

pub fn tokenizer(args: &TokenizerArgs) -> Result<Tokenizer> {
    let params = TokenizerParams {
        dict_dir: args.dict.clone(),
        user_dict: args.user_dict.clone(),
        compounds: args.compounds,
        stopwords: match &args.stopwords {
            Some(path) => read_stopwords(path)?,
            None => Vec::new(),
        },
    };
    if let Some(path) = &args.user_dict {
        check_user_dict(path)?;
    }
    let Some(dir) = &args.dict else {
        return Tokenizer::with_params(&params).map_err(|e| name_user_dict(e, args));
    };
    crate::dict_check::check_dir(dir)?;
    // Last resort: `dict_check` covers every damage we know of (ids and offsets out of range),
    // but lindera indexes its tables without bounds checks that return errors, so a damage
    // we did not think of would still be a panic in the user's face. A probe tokenization
    // under catch_unwind (panic message silenced) turns that into the same one-line error.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let probe = std::panic::catch_unwind(|| {
        let t = Tokenizer::with_params(&params)?;
        t.tokenize("SREのインシデント対応とオブザーバビリティ、ｋ８ｓ、監視基盤、Zzyzx テスト。");
        Ok::<_, crate::Error>(t)
    });
    std::panic::set_hook(hook);
    match probe {
        Ok(t) => t.map_err(|e| name_user_dict(e, args)),
        Err(_) => Err(crate::Error::input(
            dir,
            tr!(
                "壊れた辞書です: 試しのテキストの分かち書きが lindera の中で失敗しました",
                "damaged dictionary: tokenizing a probe text failed inside lindera"
            ),
        )),
    }
}

/// Every row of a --user-dict file parsed as CSV before lindera sees it (lindera's own
/// error counts the bundled rows and does not name the file): one record of three non-empty
/// fields per line, blank lines and `#` comments skipped.
fn check_user_dict(path: &std::path::Path) -> Result<()> {
    let text = crate::safe_io::read::read_text(path, tr!("ユーザー辞書", "user dictionary"))?;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut rd = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(line.as_bytes());
        let fields: Option<Vec<String>> = match rd.records().next() {
            Some(Ok(r)) => Some(r.iter().map(str::to_string).collect()),
            _ => None,
        };
        let ok = fields
            .as_ref()
            .is_some_and(|f| f.len() == 3 && f.iter().all(|x| !x.trim().is_empty()))
            && !line.contains('"');
        if !ok {
            let line = i + 1;
            return Err(crate::Error::input(
                path,
                tr!(
                    "{line}行目: `表層形,品詞,読み`(3項目、引用符なし)の形ではありません",
                    "line {line}: expected `surface,part_of_speech,reading` (three fields, no quotes)"
                ),
            ));
        }
    }
    Ok(())
}

/// A --stopwords file: one word per line, blank lines and `#` comments skipped; a line with
/// a tab or comma (a CSV given by mistake) is an error naming it.
fn read_stopwords(path: &std::path::Path) -> Result<Vec<String>> {
    let text =
        crate::safe_io::read::read_text(path, tr!("ストップワードのファイル", "stopwords file"))?;
    let mut words = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let word = line.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        if word.contains(['\t', ',']) {
            let line = i + 1;
            return Err(crate::Error::input(
                path,
                tr!(
                    "{line}行目: 1行に1語のはずですが `{word}` でした",
                    "line {line}: expected one word per line, got `{word}`"
                ),
            ));
        }
        words.push(word.to_string());
    }
    Ok(words)
}

/// lindera's user-dictionary error as one line naming the --user-dict file.
fn name_user_dict(e: crate::Error, args: &TokenizerArgs) -> crate::Error {
    match (e, &args.user_dict) {
        (crate::Error::Usage(what), Some(path)) if what.en.starts_with("user dictionary:") => {
            let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            crate::Error::input(
                path,
                crate::error::Text::new(one_line(&what.ja), one_line(&what.en)),
            )
        }
        (e, _) => e,
    }
}

/// Write to stdout without control characters other than tab and newline (a title with an
/// ESC sequence cannot repaint the terminal). A closed pipe (`| head`) ends the program
/// quietly (see `Error::StdoutClosed`); a full disk is a clear error.
pub fn print(text: &str) -> Result<()> {
    use std::io::Write;
    let text = crate::sanitize::text(text);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                crate::Error::StdoutClosed
            } else {
                crate::Error::output(
                    "<stdout>",
                    crate::error::cannot("書き出せません", "cannot write", &e),
                )
            }
        })
}

/// Text from the inputs for a one-line message on stderr (control characters escaped).
pub fn clean(s: &str) -> String {
    crate::sanitize::line(s).into_owned()
}

/// A warning on stderr, prefixed in the UI language.
pub fn warn(lang: crate::Lang, message: &str) {
    eprintln!(
        "confthemes: {} {}",
        lang.pick("警告:", "warning:"),
        clean(message)
    );
}

/// Tell the user which file was written (every command that writes a file says so).
pub fn wrote(path: &std::path::Path, lang: crate::Lang) {
    eprintln!(
        "confthemes: {} {}",
        lang.pick("書き出しました:", "wrote"),
        clean(&path.display().to_string())
    );
}

/// A spinner on stderr naming the current stage; hidden with --quiet or when stderr is not a
/// terminal (CI logs, pipes).
pub struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        use std::io::IsTerminal;
        let bar = if quiet || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        };
        Progress { bar }
    }
    pub fn stage(&self, message: &str) {
        self.bar.set_message(message.to_string());
    }
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
