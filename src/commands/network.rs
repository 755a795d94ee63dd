//! `confthemes network PATH... [--out FILE.svg|.png]`: the term co-occurrence network.

use std::fmt::Write as _;
use std::path::Path;

use crate::analysis::network::{self, Network, NetworkParams};
use crate::cli::NetworkArgs;
use crate::error::{Error, Result};
use crate::lang::Lang;
use crate::pipeline;
use crate::report::network_chart::{NodeColors, network_chart};
use crate::safe_io::write::write_file_atomically;

pub fn run(args: NetworkArgs) -> Result<()> {
    let params = NetworkParams {
        top: args.top,
        min_df: args.min_df,
        max_df: args.max_df,
        threshold: args.min_jaccard,
        max_edges: args.max_edges,
        seed: args.seed,
    };
    params.check()?;
    let kind = match &args.out {
        Some(path) => {
            let kind = output_kind(path)?;
            let mut read = args.input.paths.clone();
            read.extend(args.tokenizer.read_paths());
            crate::safe_io::write::check_not_input(path, &read)?;
            crate::safe_io::write::check_output_file(path)?;
            crate::safe_io::write::check_writable(path, args.force)?;
            Some(kind)
        }
        None => None,
    };
    let loaded = super::analysis::load(&args.input, args.lang)?;
    if loaded.corpus.talks.is_empty() {
        return Err(Error::usage(tr!(
            "指定したパスに発表が見つかりませんでした",
            "no talks were found in the given paths"
        )));
    }
    let tokenizer = super::tokenizer(&args.tokenizer)?;
    let terms = pipeline::talk_terms(&loaded.corpus, &tokenizer);
    let net = network::build(&terms, &params)?;
    if let (Some(path), Some(kind)) = (&args.out, kind) {
        let chart = network_chart(
            &net,
            args.lang
                .pick("語の共起ネットワーク", "Term co-occurrence network"),
            &subtitle(&net, &params, args.lang),
            &NodeColors::Communities,
            args.lang,
        );
        let bytes = match kind {
            Kind::Svg => chart.svg.into_bytes(),
            Kind::Png => chart.png()?,
        };
        write_file_atomically(path, &bytes)?;
        super::wrote(path, args.lang);
    }
    let out = if args.json {
        let mut s = serde_json::to_string_pretty(&net).expect("network serializes");
        s.push('\n');
        s
    } else {
        summary(&net, args.lang)
    };
    super::print(&out)
}

/// What this command's network links, as its chart says under the title: its own filters
/// (the report's network starts from the themes' keywords instead).
fn subtitle(net: &Network, p: &NetworkParams, lang: Lang) -> String {
    let share = (p.max_df * 100.0).round();
    match lang {
        Lang::Ja => format!(
            "{}件のトークで{}件以上に出る上位{}語 (全体の{share}%を超えるトークに出る語は除く)。同じトークに出る語を線で結ぶ (Jaccard {} 以上)。円の大きさは使うトーク数",
            net.n_talks, p.min_df, p.top, p.threshold
        ),
        Lang::En => format!(
            "The {} terms used by the most of {} talks (at least {}, at most {share}% of them); terms used in the same talks are linked (Jaccard >= {}). Size: talks using the term",
            p.top, net.n_talks, p.min_df, p.threshold
        ),
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Svg,
    Png,
}

fn output_kind(path: &Path) -> Result<Kind> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => Ok(Kind::Svg),
        Some("png") => Ok(Kind::Png),
        _ => {
            let path = path.display();
            Err(Error::usage(tr!(
                "--out {path}: ファイル名は .svg か .png で終えてください",
                "--out {path}: the file name must end in .svg or .png"
            )))
        }
    }
}

/// Communities with their terms (most used first), then the strongest edges.
pub fn summary(net: &Network, lang: Lang) -> String {
    let mut out = String::new();
    let _ = match lang {
        Lang::Ja => writeln!(
            out,
            "{}件のトーク: 語 {} 個、共起 {} 本、コミュニティ {} 個",
            net.n_talks,
            net.nodes.len(),
            net.edges.len(),
            net.communities
        ),
        Lang::En => writeln!(
            out,
            "{} talks: {} terms, {} links, {} communities",
            net.n_talks,
            net.nodes.len(),
            net.edges.len(),
            net.communities
        ),
    };
    let n_groups = net.nodes.iter().map(|n| n.community + 1).max().unwrap_or(0);
    let mut singletons = Vec::new();
    for c in 0..n_groups {
        let members: Vec<String> = net
            .nodes
            .iter()
            .filter(|n| n.community == c)
            .map(|n| format!("{} ({})", n.display, n.talks))
            .collect();
        if members.len() >= 2 {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                lang.pick("コミュニティ", "Community"),
                c + 1,
                members.join(", ")
            );
        } else {
            singletons.extend(members);
        }
    }
    if !singletons.is_empty() {
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("つながりなし", "Unlinked"),
            singletons.join(", ")
        );
    }
    out
}
