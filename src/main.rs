//! The `confthemes` binary: parse arguments (src/cli.rs), hand them to the command
//! (src/commands/), print an error as one line with exit code 2.

use std::process::ExitCode;

use clap::Parser;
use confthemes::cli::{Cli, Command};
use confthemes::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("confthemes: error: {e}");
            ExitCode::from(2)
        }
    }
}
