//! `confthemes completions SHELL` and `confthemes man`: shell completions (clap_complete)
//! and the man page (clap_mangen), generated from the same argument definitions.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Error, Result};

pub fn run(args: CompletionsArgs) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "confthemes", &mut out);
    super::print(&String::from_utf8_lossy(&out))
}

pub fn man() -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| {
            Error::output(
                "<stdout>",
                crate::error::cannot("書き出せません", "cannot write", &e),
            )
        })?;
    super::print(&String::from_utf8_lossy(&out))
}
