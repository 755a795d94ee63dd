//! The `confthemes` binary: parse arguments (src/cli.rs), hand them to the command
//! (src/commands/), print an error as one line in the UI language with exit code 2.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use confthemes::Lang;
use confthemes::cli::{Cli, Command};
use confthemes::commands;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        // --help, --version, and bare `confthemes` (the usage, on stderr, exit code 2).
        Err(e)
            if !e.use_stderr()
                || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            e.exit()
        }
        Err(e) => {
            let lang = confthemes::cli::lang_in_args(&args);
            eprintln!(
                "confthemes: {} {}",
                prefix(lang),
                commands::usage_error::message(&e, lang)
            );
            return ExitCode::from(2);
        }
    };
    confthemes::safe_io::write::install_signal_cleanup();
    let lang = cli.command.lang();
    confthemes::safe_io::write::set_note_lang(lang);
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
            eprintln!(
                "confthemes: {} {}",
                prefix(lang),
                commands::clean(&e.render(lang))
            );
            ExitCode::from(2)
        }
    }
}

fn prefix(lang: Lang) -> &'static str {
    lang.pick("エラー:", "error:")
}
