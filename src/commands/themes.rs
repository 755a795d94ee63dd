//! `confthemes themes`: the themes as a listing or JSON.

use std::fmt::Write as _;

use crate::cli::ThemesArgs;
use crate::corpus::Corpus;
use crate::error::Result;
use crate::lang::Lang;
use crate::pipeline::{Analysis, AnalysisParams};
use crate::report::export::themes_json;

pub fn run(args: ThemesArgs) -> Result<()> {
    // A --save-model that cannot be written (a device, a directory, an input) is refused
    // before any work.
    if let Some(path) = &args.save_model {
        crate::report::output::check_not_input(path, &args.shared.input.paths)?;
        crate::report::output::check_output_file(path)?;
    }
    let loaded = super::analysis::load(&args.shared.input)?;
    let (analysis, _taxonomy, params) = super::analysis::analyze(&loaded, &args.shared)?;
    if let Some(path) = &args.save_model {
        crate::model::ThemeModel::from_analysis(&analysis).save(path)?;
        super::wrote(path, args.shared.lang);
    }
    if args.verbose {
        eprint!(
            "{}",
            crate::sanitize::text(&method_text(&analysis, &params, args.shared.lang))
        );
    }
    let out = if args.json {
        json(&loaded.corpus, &analysis, args.shared.lang)
    } else {
        listing_with(&loaded.corpus, &analysis, args.shared.lang, args.explain)
    };
    super::print(&out)
}

pub fn json(corpus: &Corpus, analysis: &Analysis, lang: Lang) -> String {
    let mut out = serde_json::to_string_pretty(&themes_json(corpus, analysis, lang))
        .expect("themes serialize");
    out.push('\n');
    out
}

pub fn listing(corpus: &Corpus, analysis: &Analysis, lang: Lang) -> String {
    listing_with(corpus, analysis, lang, false)
}

/// The listing; with `explain`, a 「根拠: …」 line under each talk (see `crate::explain`).
pub fn listing_with(corpus: &Corpus, analysis: &Analysis, lang: Lang, explain: bool) -> String {
    let explainer = explain.then(|| crate::explain::Explainer::new(analysis));
    let n = corpus.talks.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        match lang {
            Lang::Ja => format!("{} 件のトークから {} 個のテーマ", n, analysis.clustering.k),
            Lang::En => format!("{} themes in {} talks", analysis.clustering.k, n),
        }
    );
    for theme in &analysis.themes.themes {
        let size = theme.talks.len();
        let share = 100.0 * size as f64 / n.max(1) as f64;
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {}: {} ({} {}, {:.0}%)",
            lang.pick("テーマ", "Theme"),
            theme.id + 1,
            theme.name.get(lang),
            size,
            lang.pick("件", "talks"),
            share
        );
        let keywords: Vec<&str> = theme.keywords.iter().map(|k| k.display.as_str()).collect();
        let _ = writeln!(
            out,
            "  {}: {}",
            lang.pick("キーワード", "Keywords"),
            keywords.join(", ")
        );
        let _ = writeln!(
            out,
            "  {}:",
            lang.pick("代表的なトーク", "Representative talks")
        );
        for &i in &theme.representatives {
            let _ = writeln!(
                out,
                "    ★ {} ({})",
                corpus.talks[i].title, corpus.talks[i].event
            );
        }
        let _ = writeln!(out, "  {}:", lang.pick("すべてのトーク", "All talks"));
        for &i in &theme.talks {
            let a = &analysis.themes.assignments[i];
            let secondary: Vec<String> = a
                .secondary
                .iter()
                .map(|&s| analysis.themes.themes[s].name.get(lang).to_string())
                .collect();
            let also = if secondary.is_empty() {
                String::new()
            } else {
                format!(
                    " [{}: {}]",
                    lang.pick("副テーマ", "also"),
                    secondary.join(", ")
                )
            };
            let _ = writeln!(
                out,
                "    - {} ({}){}",
                corpus.talks[i].title, corpus.talks[i].event, also
            );
            if let Some(explainer) = &explainer {
                let why = crate::explain::why_line(
                    &explainer.explain(analysis, i, crate::explain::DEFAULT_TOP),
                    lang,
                );
                if !why.is_empty() {
                    let _ = writeln!(out, "      {why}");
                }
            }
        }
    }
    let unassigned: Vec<usize> = analysis
        .themes
        .assignments
        .iter()
        .filter(|a| a.theme.is_none())
        .map(|a| a.talk)
        .collect();
    if !unassigned.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} ({}):",
            lang.pick(
                "未分類 — 内容語のないトーク",
                "Unassigned — talks with no content terms"
            ),
            unassigned.len()
        );
        for i in unassigned {
            let _ = writeln!(
                out,
                "    - {} ({})",
                corpus.talks[i].title, corpus.talks[i].event
            );
        }
    }
    out
}

/// k/silhouette table and parameters, for --verbose and the report's method note.
pub fn method_text(analysis: &Analysis, params: &AnalysisParams, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "k  {}",
        lang.pick("シルエット係数 (コサイン)", "silhouette (cosine)")
    );
    for &(k, s) in &analysis.clustering.k_table {
        let mark = if k == analysis.clustering.k {
            " ←"
        } else {
            ""
        };
        let _ = writeln!(out, "{k:<2} {s:.4}{mark}");
    }
    let _ = writeln!(
        out,
        "seed={} runs={} guided={} vocabulary={} min_df={} max_df={} title_weight={}",
        params.cluster.seed,
        params.cluster.n_runs,
        params.guided,
        analysis.tfidf.vocab.len(),
        // The min_df used, not the one asked for (1 under 30 talks unless --min-df).
        analysis.tfidf.params.min_df,
        params.tfidf.max_df,
        params.tfidf.title_weight
    );
    out
}
