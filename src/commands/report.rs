//! `confthemes report`: the main job — the whole themes report into a directory.

use crate::cli::ReportArgs;
use crate::error::Result;
use crate::report::{self, ReportOptions, output};

pub fn run(args: ReportArgs) -> Result<()> {
    // Refuse a bad --out before spending time on the analysis.
    output::check_target(&args.out, args.force)?;
    let lang = args.lang;
    let progress = super::Progress::new(args.quiet);
    progress.stage(lang.pick("読み込み中…", "reading…"));
    let loaded = crate::pipeline::timed("load", || super::analysis::load(&args.input))?;
    progress.stage(lang.pick("テーマを抽出中…", "finding themes…"));
    let (analysis, _taxonomy, params) = super::analysis::analyze(&loaded, &args.analysis)?;
    progress.stage(lang.pick("レポートを作成中…", "drawing the report…"));
    let options = ReportOptions {
        title: args.title.clone(),
        lang,
        taxonomy_label: args
            .analysis
            .taxonomy
            .clone()
            .unwrap_or_else(|| "default (data/taxonomy-sre.toml)".into()),
        command: reproduce_command(&args),
        png: !args.no_png,
    };
    let files = crate::pipeline::timed("render", || {
        report::render(&loaded.corpus, &analysis, &params, &options)
    })?;
    crate::pipeline::timed("write", || {
        output::write_atomically(&args.out, &files, args.force)
    })?;
    progress.finish();
    if !args.quiet {
        eprintln!(
            "{} {} ({} {}, {} {})",
            lang.pick("レポートを書き出しました:", "report written to"),
            args.out.display(),
            analysis.clustering.k,
            lang.pick("テーマ", "themes"),
            loaded.corpus.talks.len(),
            lang.pick("トーク", "talks")
        );
    }
    Ok(())
}

/// The command line that reproduces this report, with k and seed pinned.
fn reproduce_command(args: &ReportArgs) -> String {
    let mut parts = vec!["confthemes report".to_string()];
    parts.extend(args.input.paths.iter().map(|p| p.display().to_string()));
    parts.push(format!("--seed {}", args.analysis.seed));
    parts.push(format!(
        "--k {}",
        match args.analysis.k {
            crate::cluster::KChoice::Fixed(k) => k.to_string(),
            crate::cluster::KChoice::Auto { .. } => "auto".to_string(),
        }
    ));
    if let Some(t) = &args.analysis.taxonomy {
        parts.push(format!("--taxonomy {t}"));
    }
    if args.analysis.unguided {
        parts.push("--unguided".into());
    }
    if args.lang == crate::Lang::En {
        parts.push("--lang en".into());
    }
    parts.join(" ")
}
