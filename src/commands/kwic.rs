//! `confthemes kwic TERM PATH...`: every occurrence of a term with its context.

use serde::Serialize;

use crate::analysis::kwic::{self, Hit, Query, SortBy};
use crate::cli::KwicArgs;
use crate::error::Result;

#[derive(Serialize)]
struct KwicJson<'a> {
    /// The term as given.
    query: &'a str,
    /// The tokenizer key it was matched as.
    key: &'a str,
    count: usize,
    talks: usize,
    events: usize,
    hits: &'a [Hit],
}

pub fn run(args: KwicArgs) -> Result<()> {
    let query = Query::new(&args.term)?;
    let loaded = super::analysis::load(&args.shared.input, args.shared.lang)?;
    let tokenizer = super::tokenizer(&args.shared.analysis.tokenizer)?;
    let mut hits = kwic::search(
        &loaded.corpus,
        &query,
        &tokenizer,
        args.shared.analysis.tokenizer.compounds,
        args.width,
    );
    let mut theme_names = Vec::new();
    if args.sort == SortBy::Theme && !hits.is_empty() {
        let (analysis, _, _) = super::analysis::analyze(&loaded, &args.shared)?;
        theme_names = analysis
            .themes
            .themes
            .iter()
            .map(|t| t.name.get(args.shared.lang).to_string())
            .collect();
        kwic::sort(&mut hits, args.sort, Some(&analysis.clustering.labels));
    } else {
        kwic::sort(&mut hits, args.sort, None);
    }
    let out = if args.json {
        let talks: std::collections::BTreeSet<&str> =
            hits.iter().map(|h| h.talk_id.as_str()).collect();
        let events: std::collections::BTreeSet<&str> =
            hits.iter().map(|h| h.event.as_str()).collect();
        let json = KwicJson {
            query: &args.term,
            key: &query.key,
            count: hits.len(),
            talks: talks.len(),
            events: events.len(),
            hits: &hits,
        };
        let mut s = serde_json::to_string_pretty(&json).expect("kwic serializes");
        s.push('\n');
        s
    } else {
        kwic::render(
            &hits,
            args.term.trim(),
            args.width,
            args.shared.lang,
            &theme_names,
        )
    };
    super::print(&out)
}
