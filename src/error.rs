//! One error type for the whole tool. Every variant is something the user can fix, so the
//! binary prints it as one line and exits with code 2 (see `main.rs`), in the UI language.

use std::path::{Path, PathBuf};

use crate::lang::Lang;

/// A message in both UI languages. The binary prints the one `--lang` picks; `Display` shows
/// the English one (logs, tests, JSON fields that promise a stable string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub ja: String,
    pub en: String,
}

impl Text {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }

    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }

    /// What happened, then why: 「読めません(権限がありません)」, "cannot read: permission
    /// denied".
    pub fn because(self, cause: &Text) -> Self {
        Text {
            ja: format!("{}({})", self.ja, cause.ja),
            en: format!("{}: {}", self.en, cause.en),
        }
    }

    /// Context before a message: "line 3: …" / 「3行目: …」.
    pub fn after(self, ja: &str, en: &str) -> Self {
        Text {
            ja: format!("{ja}{}", self.ja),
            en: format!("{en}{}", self.en),
        }
    }

    /// The same words in both languages: a detail another library wrote (a parser's message),
    /// shown inside a sentence of ours.
    pub fn verbatim(s: impl Into<String>) -> Self {
        let s = s.into();
        Text {
            ja: s.clone(),
            en: s,
        }
    }
}

/// A `Text` can be a clap value parser's error; `commands::usage_error` picks its language.
impl std::error::Error for Text {}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

/// A [`Text`] from a Japanese and an English format string with the same arguments:
/// `tr!("{n}件のトーク", "{n} talks")`.
macro_rules! tr {
    ($ja:literal, $en:literal $(,)?) => {
        $crate::error::Text { ja: format!($ja), en: format!($en) }
    };
    ($ja:literal, $en:literal, $($arg:tt)+) => {
        $crate::error::Text { ja: format!($ja, $($arg)+), en: format!($en, $($arg)+) }
    };
}

/// An I/O error's cause in both languages: the common kinds in words, others as the system
/// says them.
pub fn io_cause(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    let ja = match e.kind() {
        K::NotFound => "ファイルまたはディレクトリがありません",
        K::PermissionDenied => "権限がありません",
        K::AlreadyExists => "すでにあります",
        K::IsADirectory => "ディレクトリです",
        K::NotADirectory => "途中のパスがディレクトリではありません",
        K::StorageFull => "ディスクの空きがありません",
        K::ReadOnlyFilesystem => "読み取り専用のファイルシステムです",
        K::InvalidData => "データが壊れています",
        K::Interrupted => "中断されました",
        K::BrokenPipe => "出力先が閉じられました",
        K::DirectoryNotEmpty => "ディレクトリが空ではありません",
        K::CrossesDevices => "別のファイルシステムをまたぎます",
        K::FileTooLarge => "ファイルが大きすぎます",
        K::ResourceBusy => "使用中です",
        K::TimedOut => "時間切れです",
        _ => "",
    };
    let en = e.to_string();
    if ja.is_empty() {
        Text::new(format!("システムのエラー（{en}）"), en)
    } else {
        Text::new(ja, en)
    }
}

/// "cannot <do>: <cause>" / 「<できない>(<原因>)」 for an I/O error.
pub fn cannot(ja: &str, en: &str, e: &std::io::Error) -> Text {
    Text::new(ja, en).because(&io_cause(e))
}

/// "cannot read: <cause>" in both languages.
pub fn cannot_read(e: &std::io::Error) -> Text {
    cannot("読めません", "cannot read", e)
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file the user gave us is unreadable or malformed. `what` says what is wrong,
    /// including a line/column where we know it.
    #[error("{}: {what}", path.display())]
    Input { path: PathBuf, what: Text },
    /// Options that cannot work together or are out of range.
    #[error("{0}")]
    Usage(Text),
    /// Writing output failed (unwritable directory, path is a file, ...).
    #[error("{}: {what}", path.display())]
    Output { path: PathBuf, what: Text },
    /// Standard output was closed by its reader (`confthemes themes … | head -1`): not an
    /// error to report; the binary exits quietly with code 0.
    #[error("standard output closed")]
    StdoutClosed,
}

impl Error {
    pub fn input(path: impl AsRef<Path>, what: Text) -> Self {
        Error::Input {
            path: path.as_ref().to_path_buf(),
            what,
        }
    }
    pub fn output(path: impl AsRef<Path>, what: Text) -> Self {
        Error::Output {
            path: path.as_ref().to_path_buf(),
            what,
        }
    }
    pub fn usage(what: Text) -> Self {
        Error::Usage(what)
    }

    /// The message in the UI language, as the binary prints it after its prefix.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Error::Input { path, what } | Error::Output { path, what } => {
                format!("{}: {}", path.display(), what.pick(lang))
            }
            Error::Usage(what) => what.pick(lang).to_string(),
            Error::StdoutClosed => lang
                .pick("標準出力が閉じられました", "standard output closed")
                .to_string(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
