//! `confthemes report`: the main job — the whole themes report into a directory.

use crate::cli::ReportArgs;
use crate::error::Result;
use crate::report::{self, ReportOptions};
use crate::safe_io::write as output;

pub fn run(args: ReportArgs) -> Result<()> {
    // Refuse a bad --out (an input, a device, a foreign directory) before any work.
    let mut read = args.shared.read_paths();
    read.extend(args.rules.clone());
    output::check_target(&args.out, args.force, &read)?;
    let codes = args
        .rules
        .as_deref()
        .map(crate::analysis::coding::load_rules)
        .transpose()?;
    let lang = args.shared.lang;
    let progress = super::Progress::new(args.quiet);
    progress.stage(lang.pick("読み込み中…", "reading…"));
    let loaded = crate::timing::timed("load", || super::analysis::load_shared(&args.shared))?;
    progress.stage(lang.pick("テーマを抽出中…", "finding themes…"));
    let (analysis, _taxonomy, params) = super::analysis::analyze(&loaded, &args.shared)?;
    let coding = match &codes {
        Some(codes) => {
            let tokenizer = super::tokenizer(&args.shared.analysis.tokenizer)?;
            let found = crate::analysis::coding::match_talks(
                &loaded.corpus,
                codes,
                &tokenizer,
                args.shared.analysis.tokenizer.compounds,
            );
            let params = crate::analysis::coding::CodingParams {
                seed: args.shared.analysis.seed,
                ..Default::default()
            };
            Some(crate::analysis::coding::code_by_event(
                &loaded.corpus,
                codes,
                &found,
                &params,
                lang,
            ))
        }
        None => None,
    };
    progress.stage(lang.pick("レポートを作成中…", "drawing the report…"));
    let options = ReportOptions {
        title: args.title.clone(),
        lang,
        taxonomy_label: args
            .shared
            .analysis
            .taxonomy
            .clone()
            .unwrap_or_else(|| "default (data/taxonomy-sre.toml)".into()),
        command: reproduce_command(&args),
        png: !args.no_png,
        coding,
    };
    let files = crate::timing::timed("render", || {
        report::render(&loaded.corpus, &analysis, &params, &options)
    })?;
    let written = crate::timing::timed("write", || {
        output::write_atomically(&args.out, &files, args.force)
    })?;
    progress.finish();
    if !args.quiet {
        for path in &written {
            super::wrote(&args.out.join(path), lang);
        }
        eprintln!(
            "{} {} ({} {}, {} {}; {} {}, {} {})",
            lang.pick("レポートを書き出しました:", "report written to"),
            super::clean(&args.out.display().to_string()),
            analysis.clustering.k,
            lang.pick("テーマ", "themes"),
            loaded.corpus.talks.len(),
            lang.pick("トーク", "talks"),
            written.len(),
            lang.pick("ファイル", "files"),
            lang.pick("一覧は", "listed in"),
            output::MARKER,
        );
    }
    Ok(())
}

/// The command line that reproduces this report: k and seed pinned, every option that
/// changes the output, every argument quoted for a POSIX shell (add `--out DIR`).
pub fn reproduce_command(args: &ReportArgs) -> String {
    use clap::ValueEnum;
    let mut parts: Vec<String> = vec!["confthemes".into(), "report".into()];
    parts.extend(
        args.shared
            .input
            .paths
            .iter()
            .map(|p| p.to_string_lossy().into_owned()),
    );
    let mut opt = |name: &str, value: &str| {
        parts.push(name.to_string());
        parts.push(value.to_string());
    };
    let a = &args.shared.analysis;
    opt("--seed", &a.seed.to_string());
    opt(
        "--k",
        &match a.k {
            crate::cluster::KChoice::Fixed(k) => k.to_string(),
            crate::cluster::KChoice::Auto { .. } => "auto".to_string(),
        },
    );
    if let Some(t) = &a.taxonomy {
        opt("--taxonomy", t);
    }
    if let Some(e) = &args.shared.input.event {
        opt("--event", e);
    }
    if let Some(m) = &args.shared.input.map {
        opt("--map", m);
    }
    if let Some(d) = &a.tokenizer.dict {
        opt("--dict", &d.to_string_lossy());
    }
    if let Some(u) = &a.tokenizer.user_dict {
        opt("--user-dict", &u.to_string_lossy());
    }
    if let Some(s) = &a.tokenizer.stopwords {
        opt("--stopwords", &s.to_string_lossy());
    }
    if let Some(n) = a.min_df {
        opt("--min-df", &n.to_string());
    }
    if let Some(e) = &a.edit {
        opt("--edit", &e.to_string_lossy());
    }
    if a.tokenizer.compounds != crate::tokenize::CompoundPolicy::Compounds
        && let Some(v) = a.tokenizer.compounds.to_possible_value()
    {
        opt("--compounds", v.get_name());
    }
    if let Some(t) = &args.title {
        opt("--title", t);
    }
    if args.shared.lang == crate::Lang::En {
        opt("--lang", "en");
    }
    if a.unguided {
        parts.push("--unguided".into());
    }
    if args.no_png {
        parts.push("--no-png".into());
    }
    if let Some(r) = &args.rules {
        parts.push("--rules".into());
        parts.push(r.to_string_lossy().into_owned());
    }
    shell_words::join(parts)
}
