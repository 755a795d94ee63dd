//! Command-line arguments, all in one place (as ripgrep keeps them). `main.rs` wires the
//! parsed arguments to the library's stages.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::lang::Lang;
use crate::tokenize::CompoundPolicy;

#[derive(Debug, Parser)]
#[command(
    name = "confthemes",
    version,
    about = "What was this conference about? Themes, keywords and charts from CfP pages, timetables and recap blogs.",
    long_about = "confthemes reads what a conference said about itself — accepted talk proposals, \
timetables, recap blog posts — and finds the themes its talks formed, how big each was, which \
talks stand for each, and how events differ.\n\n\
Typical use:\n  confthemes report seeds --out reports/seeds   # the full report on the bundled seeds\n  \
confthemes ingest seeds                         # what was read from which file\n  \
confthemes themes seeds --k auto --verbose      # themes in the terminal\n  \
echo 'インシデント対応とポストモーテム' | confthemes tokenize"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the terms the tokenizer finds in TEXT (or stdin): one per line with its part of speech.
    Tokenize(TokenizeArgs),
}

/// Options shared by every command that tokenizes text.
#[derive(Debug, Clone, Args)]
pub struct TokenizerArgs {
    /// A lindera dictionary directory to use instead of the embedded IPADIC.
    #[arg(long, value_name = "DIR")]
    pub dict: Option<PathBuf>,
    /// Extra user dictionary, lindera simple CSV (surface,part_of_speech,reading), added to the
    /// bundled SRE terms.
    #[arg(long, value_name = "FILE.csv")]
    pub user_dict: Option<PathBuf>,
    /// What a run of nouns (インシデント+対応) becomes: the compound, its parts, or both.
    #[arg(long, value_enum, default_value_t = CompoundPolicy::Both)]
    pub compounds: CompoundPolicy,
}

#[derive(Debug, Args)]
pub struct TokenizeArgs {
    /// Text to tokenize; read from standard input when omitted.
    pub text: Option<String>,
    /// Print JSON (an array of {key, display, pos}) instead of lines.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub tokenizer: TokenizerArgs,
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    pub lang: Lang,
}
