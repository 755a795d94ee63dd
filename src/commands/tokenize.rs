//! `confthemes tokenize`: show the terms the tokenizer finds.

use std::fmt::Write as _;
use std::io::Read;

use crate::cli::TokenizeArgs;
use crate::error::{Error, Result};

pub fn run(args: TokenizeArgs) -> Result<()> {
    let text = match args.text {
        Some(t) => t,
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Error::input("<stdin>", crate::error::cannot_read(&e)))?;
            String::from_utf8(buf).map_err(|_| {
                Error::input(
                    "<stdin>",
                    tr!("UTF-8 のテキストではありません", "not UTF-8 text"),
                )
            })?
        }
    };
    let mut terms = super::tokenizer(&args.tokenizer)?.tokenize(&text);
    // As in a corpus: a piece of a longer term shows only where the text also uses it alone.
    let keep: std::collections::HashSet<String> =
        crate::tokenize::standalone_keys([terms.as_slice()])
            .into_iter()
            .map(str::to_string)
            .collect();
    terms.retain(|t| !t.part || keep.contains(&t.key));
    let mut out = String::new();
    if args.json {
        out = serde_json::to_string_pretty(&terms).expect("terms serialize");
        out.push('\n');
    } else {
        for t in &terms {
            let label = args.lang.pick(t.pos.label(), t.pos.label_en());
            let _ = writeln!(out, "{}\t{label}", t.display);
        }
    }
    super::print(&out)
}
