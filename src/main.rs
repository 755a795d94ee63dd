//! The `confthemes` binary: parse arguments (src/cli.rs), run the stages, print errors as one
//! line with exit code 2.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::Parser;
use confthemes::cli::{Cli, Command, TokenizeArgs, TokenizerArgs};
use confthemes::tokenize::{Tokenizer, TokenizerParams};
use confthemes::{Error, Result};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Tokenize(args) => tokenize(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("confthemes: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn tokenizer(args: &TokenizerArgs) -> Result<Tokenizer> {
    Tokenizer::with_params(&TokenizerParams {
        dict_dir: args.dict.clone(),
        user_dict: args.user_dict.clone(),
        compounds: args.compounds,
    })
}

fn tokenize(args: TokenizeArgs) -> Result<()> {
    let text = match args.text {
        Some(t) => t,
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Error::input("<stdin>", format!("cannot read: {e}")))?;
            String::from_utf8(buf).map_err(|_| Error::input("<stdin>", "not UTF-8 text"))?
        }
    };
    let terms = tokenizer(&args.tokenizer)?.tokenize(&text);
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &terms)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        terms
            .iter()
            .try_for_each(|t| writeln!(out, "{}\t{}", t.display, t.pos.label()))
    };
    written.map_err(|e| Error::output("<stdout>", e.to_string()))
}
