//! `confthemes assign`: place new talks into the themes of a saved model.

use std::fmt::Write as _;

use serde::Serialize;

use crate::cli::AssignArgs;
use crate::error::{Error, Result};
use crate::model::{Calibration, ModelThemeName, Placement, ThemeModel};
use crate::pipeline;

#[derive(Serialize)]
struct AssignJson<'a> {
    tool_version: &'a str,
    threshold: f64,
    /// "calibrated", "in-sample" (a model saved without a calibration) or "given" (--threshold).
    threshold_source: &'static str,
    /// How the model's threshold was calibrated, when it was.
    calibration: Option<&'a Calibration>,
    /// The note on the threshold, as the terminal shows it.
    note: String,
    themes: Vec<ThemeJson<'a>>,
    placements: Vec<PlacementJson<'a>>,
}

#[derive(Serialize)]
struct ThemeJson<'a> {
    id: usize,
    name: &'a ModelThemeName,
    keywords: &'a [String],
}

#[derive(Serialize)]
struct PlacementJson<'a> {
    talk: &'a str,
    title: &'a str,
    event: &'a str,
    #[serde(flatten)]
    placement: &'a Placement,
}

pub fn run(args: AssignArgs) -> Result<()> {
    let model = ThemeModel::load(&args.model)?;
    if let Some(t) = args.threshold
        && !(t.is_finite() && (-1.0..=1.0).contains(&t))
    {
        return Err(Error::usage(tr!(
            "--threshold は [-1, 1] のコサイン類似度にしてください({t} でした)",
            "--threshold must be a cosine similarity in [-1, 1], got {t}"
        )));
    }
    let threshold = args.threshold.unwrap_or(model.threshold);
    let lang = args.lang;
    let (threshold_source, note) = threshold_note(&model, args.threshold, lang);
    if args.threshold.is_none() && model.calibration.is_none() {
        super::warn(lang, &threshold_note(&model, None, lang).1);
    }
    let loaded = super::analysis::load(&args.input, args.lang)?;
    let tokenizer = super::tokenizer(&args.tokenizer)?;
    let terms = pipeline::talk_terms(&loaded.corpus, &tokenizer);
    let placements = model.assign_with(&terms, threshold);
    let out = if args.json {
        let json = AssignJson {
            tool_version: &model.tool_version,
            threshold,
            threshold_source,
            calibration: model.calibration.as_ref(),
            note: note.clone(),
            themes: model
                .themes
                .iter()
                .map(|t| ThemeJson {
                    id: t.id,
                    name: &t.name,
                    keywords: &t.keywords,
                })
                .collect(),
            placements: loaded
                .corpus
                .talks
                .iter()
                .zip(&placements)
                .map(|(talk, placement)| PlacementJson {
                    talk: &talk.id,
                    title: &talk.title,
                    event: &talk.event,
                    placement,
                })
                .collect(),
        };
        let mut s = serde_json::to_string_pretty(&json).expect("placements serialize");
        s.push('\n');
        s
    } else {
        let name = |t: usize| {
            model.themes.get(t).map_or("?", |th| {
                lang.pick(th.name.ja.as_str(), th.name.en.as_str())
            })
        };
        let mut s = String::new();
        let candidates = placements.iter().filter(|p| p.new_theme_candidate).count();
        let _ = writeln!(
            s,
            "{}",
            match lang {
                crate::Lang::Ja => format!(
                    "{}件の発表を{}個のテーマに配置 (しきい値 {threshold:.3}); 新しいテーマの候補: {candidates}件",
                    placements.len(),
                    model.themes.len()
                ),
                crate::Lang::En => format!(
                    "{} talks placed into {} themes (threshold {threshold:.3}); new-theme candidates: {candidates}",
                    placements.len(),
                    model.themes.len()
                ),
            }
        );
        let _ = writeln!(s, "({note})");
        for (talk, p) in loaded.corpus.talks.iter().zip(&placements) {
            let target = match p.theme {
                Some(t) => format!(
                    "{} ({}={:.3})",
                    name(t),
                    lang.pick("類似度", "similarity"),
                    p.similarity
                ),
                None => lang.pick("(既知の語なし)", "(no known term)").to_string(),
            };
            let flag = if p.new_theme_candidate {
                lang.pick(" ★新テーマ候補", " ★new-theme candidate")
            } else {
                ""
            };
            let _ = writeln!(s, "- {} ({}) → {target}{flag}", talk.title, talk.event);
        }
        s
    };
    super::print(&out)
}

/// Where the threshold comes from, and the note that says so.
fn threshold_note(
    model: &ThemeModel,
    given: Option<f64>,
    lang: crate::Lang,
) -> (&'static str, String) {
    match (given, &model.calibration) {
        (Some(t), _) => (
            "given",
            match lang {
                crate::Lang::Ja => format!("しきい値 {t:.3} は --threshold で指定"),
                crate::Lang::En => format!("threshold {t:.3} given with --threshold"),
            },
        ),
        (None, Some(c)) => ("calibrated", c.describe(lang)),
        (None, None) => (
            "in-sample",
            match lang {
                crate::Lang::Ja => format!(
                    "しきい値 {:.3} は較正されていません: このモデルは学習トーク自身の類似度の 5% 点を使っており、新しいトークの多くが候補になります。`confthemes themes ... --save-model FILE` で保存し直すと、除いたイベントのトークで較正されます",
                    model.threshold
                ),
                crate::Lang::En => format!(
                    "threshold {:.3} is not calibrated: this model uses the 5th percentile of its training talks' own similarity, which most new talks fall below; save it again with `confthemes themes ... --save-model FILE` to calibrate it on held-out events",
                    model.threshold
                ),
            },
        ),
    }
}
