//! `confthemes code PATH... --rules FILE`: coding rules applied to talks, counted by event.

use crate::analysis::coding::{self, CodingParams};
use crate::cli::CodeArgs;
use crate::error::{Error, Result};

pub fn run(args: CodeArgs) -> Result<()> {
    let codes = match &args.rules {
        Some(path) => coding::load_rules(path)?,
        None => coding::default_rules(),
    };
    let loaded = super::analysis::load(&args.input, args.lang)?;
    if loaded.corpus.talks.is_empty() {
        return Err(Error::usage(tr!(
            "指定したパスに発表が見つかりませんでした",
            "no talks were found in the given paths"
        )));
    }
    let tokenizer = super::tokenizer(&args.tokenizer)?;
    let found = coding::match_talks(&loaded.corpus, &codes, &tokenizer, args.tokenizer.compounds);
    let params = CodingParams {
        seed: args.seed,
        ..Default::default()
    };
    let result = coding::code_by_event(&loaded.corpus, &codes, &found, &params, args.lang);
    let out = if args.json {
        let mut s = serde_json::to_string_pretty(&result).expect("coding serializes");
        s.push('\n');
        s
    } else {
        coding::render(&result, args.lang)
    };
    super::print(&out)
}
