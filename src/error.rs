//! One error type for the whole tool. Every variant is something the user can fix, so the
//! binary prints it as one line and exits with code 2 (see `main.rs`).

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file the user gave us is unreadable or malformed. `what` says what is wrong,
    /// including a line/column where we know it.
    #[error("{}: {what}", path.display())]
    Input { path: PathBuf, what: String },
    /// Options that cannot work together or are out of range.
    #[error("{0}")]
    Usage(String),
    /// Writing output failed (unwritable directory, path is a file, ...).
    #[error("{}: {what}", path.display())]
    Output { path: PathBuf, what: String },
    /// Standard output was closed by its reader (`confthemes themes … | head -1`): not an
    /// error to report; the binary exits quietly with code 0.
    #[error("standard output closed")]
    StdoutClosed,
}

impl Error {
    pub fn input(path: impl AsRef<Path>, what: impl Into<String>) -> Self {
        Error::Input {
            path: path.as_ref().to_path_buf(),
            what: what.into(),
        }
    }
    pub fn output(path: impl AsRef<Path>, what: impl Into<String>) -> Self {
        Error::Output {
            path: path.as_ref().to_path_buf(),
            what: what.into(),
        }
    }
    pub fn usage(what: impl Into<String>) -> Self {
        Error::Usage(what.into())
    }
}

pub type Result<T> = std::result::Result<T, Error>;
