//! The `confthemes` binary: parse arguments (src/cli.rs), hand them to the command
//! (src/commands/), print an error as one line with exit code 2.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use confthemes::cli::{Cli, Command};
use confthemes::commands;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help, --version, and bare `confthemes` (the usage, on stderr, exit code 2).
        Err(e)
            if !e.use_stderr()
                || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            e.exit()
        }
        Err(e) => {
            eprintln!(
                "confthemes: error: {} (see --help)",
                one_line(&e.to_string())
            );
            return ExitCode::from(2);
        }
    };
    confthemes::safe_io::write::install_signal_cleanup();
    let result = match cli.command {
        Command::Ingest(args) => commands::ingest::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Themes(args) => commands::themes::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Tokenize(args) => commands::tokenize::run(args),
        Command::Compare(args) => commands::compare::run(args),
        Command::Assign(args) => commands::assign::run(args),
        Command::Kwic(args) => commands::kwic::run(args),
        Command::Network(args) => commands::network::run(args),
        Command::Code(args) => commands::code::run(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man => commands::completions::man(),
    };
    match result {
        Ok(()) | Err(confthemes::Error::StdoutClosed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("confthemes: error: {}", commands::clean(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

/// clap's message without its usage and tips, on one line: the text up to the first blank
/// line, lines joined.
fn one_line(message: &str) -> String {
    let head = message.split("\n\n").next().unwrap_or(message);
    let joined = head
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let joined = joined.strip_prefix("error: ").unwrap_or(&joined);
    commands::clean(joined)
}
