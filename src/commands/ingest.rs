//! `confthemes ingest`: what was read from which file.

use crate::cli::IngestArgs;
use crate::error::Result;

pub fn run(args: IngestArgs) -> Result<()> {
    let loaded = super::analysis::load(&args.input, args.lang)?;
    if args.json {
        let mut json = serde_json::to_string_pretty(&loaded.corpus).expect("corpus serializes");
        json.push('\n');
        super::print(&json)
    } else {
        super::print(&loaded.log.summary(&loaded.corpus, args.lang))
    }
}
