//! `confthemes themes`: the themes as a listing or JSON.

use std::fmt::Write as _;

use crate::cli::ThemesArgs;
use crate::corpus::Corpus;
use crate::error::Result;
use crate::fitted::{Analysis, AnalysisParams};
use crate::lang::Lang;
use crate::report::export::themes_json;

pub fn run(args: ThemesArgs) -> Result<()> {
    // A --save-model that cannot be written (a device, a directory, an input) is refused
    // before any work.
    if let Some(path) = &args.save_model {
        crate::safe_io::write::check_not_input(path, &args.shared.read_paths())?;
        crate::safe_io::write::check_output_file(path)?;
        crate::safe_io::write::check_writable(path, args.force)?;
    }
    let loaded = super::analysis::load_shared(&args.shared)?;
    let (analysis, taxonomy, params) = super::analysis::analyze(&loaded, &args.shared)?;
    if let Some(path) = &args.save_model {
        let model = crate::model::ThemeModel::from_analysis(&analysis).with_calibration(calibrate(
            &loaded.corpus,
            &analysis,
            &taxonomy,
            &params,
        ));
        model.save(path)?;
        super::wrote(path, args.shared.lang);
        match &model.calibration {
            Some(c) => eprintln!("confthemes: {}", c.describe(args.shared.lang)),
            None => super::warn(
                args.shared.lang,
                &match args.shared.lang {
                    Lang::Ja => format!(
                        "新しいテーマのしきい値を較正するのに除けるトークが少なすぎます。モデルは学習トーク自身のしきい値 ({:.3}) を使います",
                        model.threshold
                    ),
                    Lang::En => format!(
                        "too few talks to hold out for calibrating the new-theme threshold; the model keeps the in-sample one ({:.3})",
                        model.threshold
                    ),
                },
            ),
        }
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

/// Calibrate the new-theme threshold of the model to be saved: refit on all events but one
/// with the same settings and the themes' number fixed to the one found (so held-out talks
/// meet themes of the same grain), and measure the held-out talks (see `model::calibrate`).
fn calibrate(
    corpus: &Corpus,
    analysis: &Analysis,
    taxonomy: &crate::themes::Taxonomy,
    params: &AnalysisParams,
) -> Option<crate::model::Calibration> {
    let events: Vec<String> = corpus.talks.iter().map(|t| t.event.clone()).collect();
    let k = analysis.themes.themes.len().max(1);
    crate::model::calibrate(
        &analysis.terms,
        &events,
        crate::model::CALIBRATION_QUANTILE,
        |train| {
            let mut fold = params.clone();
            let active = train
                .iter()
                .filter(|t| !t.title.is_empty() || !t.body.is_empty())
                .count();
            fold.cluster.k = crate::cluster::KChoice::Fixed(k.min(active.max(1)));
            let a = crate::pipeline::analyze_terms(train, taxonomy, &fold)?;
            Ok(crate::model::ThemeModel::from_analysis(&a))
        },
    )
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
    let explainer = explain.then(|| crate::analysis::explain::Explainer::new(analysis));
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
            if keywords.is_empty() {
                crate::report::no_keywords(lang).to_string()
            } else {
                keywords.join(lang.pick("、", ", "))
            }
        );
        if let Some(subs) = analysis.subthemes().get(theme.id).filter(|s| !s.is_empty()) {
            let parts: Vec<String> = subs
                .iter()
                .map(|s| format!("{} ({})", s.name.get(lang), s.talks.len()))
                .collect();
            let _ = writeln!(
                out,
                "  {}: {} ▸ {}",
                lang.pick("サブテーマ", "Sub-themes"),
                theme.name.get(lang),
                parts.join(" / ")
            );
        }
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
                let why = crate::analysis::explain::why_line(
                    &explainer.explain(analysis, i, crate::analysis::explain::DEFAULT_TOP),
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
                "未分類 — ほかのトークと共通の語もタクソノミーの語もないトーク",
                "Unassigned — no term shared with another talk, none from the taxonomy"
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
        let mark = if k == analysis.clustering.k_chosen() {
            " ←"
        } else {
            ""
        };
        let _ = writeln!(out, "{k:<2} {s:.4}{mark}");
    }
    let split = analysis.clustering.split_off;
    if split > 0 {
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::Ja => format!(
                    "+{split}: 名前のないテーマから、同じタクソノミー項目を指すトークを分けたテーマ"
                ),
                Lang::En => format!(
                    "+{split}: split off a theme without a taxonomy name, talks pointing to one taxonomy entry"
                ),
            }
        );
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
