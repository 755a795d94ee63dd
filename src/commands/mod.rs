//! One file per subcommand: each turns parsed arguments into library calls and output.
//! Shared plumbing (building the tokenizer, reading stdin) lives here.

pub mod analysis;
pub mod assign;
pub mod code;
pub mod compare;
pub mod eval;
pub mod ingest;
pub mod kwic;
pub mod network;
pub mod report;
pub mod themes;
pub mod tokenize;

use crate::cli::TokenizerArgs;
use crate::error::Result;
use crate::tokenize::{Tokenizer, TokenizerParams};

pub fn tokenizer(args: &TokenizerArgs) -> Result<Tokenizer> {
    Tokenizer::with_params(&TokenizerParams {
        dict_dir: args.dict.clone(),
        user_dict: args.user_dict.clone(),
        compounds: args.compounds,
    })
}

/// Write to stdout, turning a closed pipe or full disk into a clear error.
pub fn print(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| crate::Error::output("<stdout>", e.to_string()))
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
