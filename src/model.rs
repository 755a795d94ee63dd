//! A saved theme model: the fitted vocabulary, idf and theme centroids (in TF-IDF term
//! space, sparse), so new talks — next year's CfP submissions — can be placed into the
//! themes found today, with a similarity score, and talks that fit none flagged as
//! candidates for a new theme.
//!
//! Centroids are the L2-normalized means of the member talks' TF-IDF rows, so placing a talk
//! needs nothing of the clustering's random projection: vectorize with the stored vocabulary
//! and idf, take the cosine with each centroid.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::cluster::ClusterParams;
use crate::error::{Error, Result};
use crate::fitted::Analysis;
use crate::vectorize::{
    SparseRow, TalkTerms, TfIdf, TfIdfParams, Vocabulary, normalize_l2, sparse_dot,
};

/// The value of `format` in every model file.
pub const MODEL_FORMAT: &str = "confthemes-theme-model";
/// Bumped whenever the meaning or layout of the fields changes.
pub const MODEL_FORMAT_VERSION: u32 = 1;
/// The version of this tool, written into every model.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A theme's name in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelThemeName {
    pub ja: String,
    pub en: String,
}

/// One theme of the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelTheme {
    pub id: usize,
    pub name: ModelThemeName,
    /// The taxonomy entry it was named after, if any.
    pub taxonomy: Option<String>,
    /// Keywords (display forms), most typical first.
    pub keywords: Vec<String>,
    /// Training talks in the theme.
    pub size: usize,
    /// Unit-length mean of the members' TF-IDF rows: (term index, weight), sorted by index.
    pub centroid: SparseRow,
}

/// Everything needed to place new talks into fitted themes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeModel {
    /// Always [`MODEL_FORMAT`].
    pub format: String,
    pub format_version: u32,
    /// The confthemes version that wrote the model.
    pub tool_version: String,
    /// Vocabulary: matching keys, display forms and document frequencies, in index order.
    pub keys: Vec<String>,
    pub display: Vec<String>,
    pub df: Vec<usize>,
    /// Inverse document frequency of each term.
    pub idf: Vec<f32>,
    pub tfidf_params: TfIdfParams,
    /// How the themes were clustered (for the record; placing talks does not need it).
    pub cluster_params: ClusterParams,
    /// Training talks.
    pub n_talks: usize,
    pub themes: Vec<ModelTheme>,
    /// Talks whose best similarity is below this are new-theme candidates: the calibrated
    /// threshold when `calibration` is set, else (models saved without one) the 5th
    /// percentile of the training talks' similarity to their own theme, which new talks
    /// rarely reach (they took no part in the centroids).
    pub threshold: f64,
    /// How `threshold` was calibrated on held-out talks; `None` in models saved before
    /// calibration existed (they load, and `assign` says the threshold is uncalibrated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
    /// Share of training talks the model places in the theme the clustering gave them
    /// (k-means works in a projected space with un-normalized centroids, so this can be
    /// slightly below 1).
    pub training_agreement: f64,
}

/// How held-out talks were chosen for the calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CalibrationMethod {
    /// Each fold holds out whole events (one event a fold, or several when there are more
    /// events than [`MAX_CALIBRATION_FOLDS`]): new talks come from an event the model never saw.
    LeaveOneEventOut,
    /// A single event: folds of talks (every `folds`-th talk).
    TalkFolds,
}

/// The new-theme threshold measured on talks the model was not fitted on: models are fitted
/// on all folds but one, and each held-out talk's similarity to its nearest theme is taken;
/// the threshold is their `quantile`. A new talk below it fits the themes worse than all but
/// that share of held-out talks of known events did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub method: CalibrationMethod,
    pub folds: usize,
    pub quantile: f64,
    /// Held-out talks with at least one known term (their similarities are the sample).
    pub held_out_talks: usize,
    pub threshold: f64,
    /// (quantile, similarity) of the held-out talks at [`REPORTED_QUANTILES`]: how far talks
    /// of known events sit from the themes, for choosing a `--threshold` knowingly.
    pub quantiles: Vec<(f64, f64)>,
}

/// Quantiles of the held-out similarities kept in a calibration.
pub const REPORTED_QUANTILES: [f64; 6] = [0.01, 0.05, 0.10, 0.25, 0.50, 0.75];

/// Default quantile of held-out similarities taken as the threshold (chosen on the dev set,
/// see docs/compare.md).
pub const CALIBRATION_QUANTILE: f64 = 0.05;
/// At most this many model fits for a calibration (events are pooled into folds beyond it).
pub const MAX_CALIBRATION_FOLDS: usize = 8;
/// Folds of talks when the corpus has a single event.
const TALK_FOLDS: usize = 5;
/// Fewer held-out similarities than this make no calibration (a quantile of a handful of
/// numbers is noise); the model keeps the in-sample threshold and says so.
const MIN_HELD_OUT: usize = 10;

/// Calibrate the new-theme threshold: fold talks by event (`events[talk]`; empty names are
/// always training), fit a model on all folds but one with `fit`, place the held-out talks,
/// and take the `quantile` of their similarity to the nearest theme. `None` when there is
/// too little to hold out (see `MIN_HELD_OUT`); folds whose fit fails are skipped.
pub fn calibrate(
    terms: &[TalkTerms],
    events: &[String],
    quantile: f64,
    fit: impl Fn(Vec<TalkTerms>) -> Result<ThemeModel> + Sync,
) -> Option<Calibration> {
    use rayon::prelude::*;
    let mut names: Vec<&str> = Vec::new();
    for e in events.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        if !names.contains(&e) {
            names.push(e);
        }
    }
    let (method, folds, fold_of): (CalibrationMethod, usize, Vec<Option<usize>>) =
        if names.len() >= 2 {
            let folds = names.len().min(MAX_CALIBRATION_FOLDS);
            let fold_of = events
                .iter()
                .map(|e| names.iter().position(|n| *n == e.trim()).map(|i| i % folds))
                .collect();
            (CalibrationMethod::LeaveOneEventOut, folds, fold_of)
        } else {
            let fold_of = (0..terms.len()).map(|t| Some(t % TALK_FOLDS)).collect();
            (CalibrationMethod::TalkFolds, TALK_FOLDS, fold_of)
        };
    let per_fold: Vec<Vec<f64>> = (0..folds)
        .into_par_iter()
        .map(|fold| {
            let (held, train): (Vec<usize>, Vec<usize>) =
                (0..terms.len()).partition(|&t| fold_of.get(t).copied().flatten() == Some(fold));
            if held.is_empty() || train.len() < 2 {
                return Vec::new();
            }
            let train_terms: Vec<TalkTerms> = train.iter().map(|&t| terms[t].clone()).collect();
            let Ok(model) = fit(train_terms) else {
                return Vec::new();
            };
            let held_terms: Vec<TalkTerms> = held.iter().map(|&t| terms[t].clone()).collect();
            model
                .assign_with(&held_terms, f64::NEG_INFINITY)
                .into_iter()
                .filter(|p| p.theme.is_some())
                .map(|p| p.similarity)
                .collect()
        })
        .collect();
    let mut sims: Vec<f64> = per_fold.into_iter().flatten().collect();
    if sims.len() < MIN_HELD_OUT {
        return None;
    }
    sims.sort_by(f64::total_cmp);
    Some(Calibration {
        method,
        folds,
        quantile,
        held_out_talks: sims.len(),
        threshold: percentile(&sims, quantile),
        quantiles: REPORTED_QUANTILES
            .iter()
            .map(|&q| (q, percentile(&sims, q)))
            .collect(),
    })
}

impl Calibration {
    /// The held-out talks' median similarity.
    pub fn median(&self) -> Option<f64> {
        self.quantiles
            .iter()
            .find(|(q, _)| *q == 0.5)
            .map(|&(_, s)| s)
    }

    /// One line for the terminal, the --json note and stderr: how the threshold was found.
    pub fn describe(&self, lang: crate::Lang) -> String {
        let q = self.quantile * 100.0;
        let median = self.median().map_or(String::new(), |m| {
            format!(" ({} {m:.3})", lang.pick("中央値", "median"))
        });
        let (n, folds, t) = (self.held_out_talks, self.folds, self.threshold);
        match (lang, self.method) {
            (crate::Lang::Ja, CalibrationMethod::LeaveOneEventOut) => format!(
                "しきい値 {t:.3} は較正済み: イベントを除いて当てはめた {folds} 個のモデルで、除いたイベントのトーク {n} 件が最も近いテーマと持つ類似度の {q:.0}% 分位点{median}"
            ),
            (crate::Lang::Ja, CalibrationMethod::TalkFolds) => format!(
                "しきい値 {t:.3} は較正済み: トークを {folds} 分割し、1つずつ除いて当てはめたモデルで、除いたトーク {n} 件が最も近いテーマと持つ類似度の {q:.0}% 分位点{median}"
            ),
            (crate::Lang::En, CalibrationMethod::LeaveOneEventOut) => format!(
                "threshold {t:.3} is calibrated: the {q:.0}% quantile of the similarity to their nearest theme of {n} held-out talks, each placed by one of {folds} models fitted without its event{median}"
            ),
            (crate::Lang::En, CalibrationMethod::TalkFolds) => format!(
                "threshold {t:.3} is calibrated: the {q:.0}% quantile of the similarity to their nearest theme of {n} held-out talks, in {folds} folds of talks each fitted without it{median}"
            ),
        }
    }
}

impl ThemeModel {
    /// Use a calibration's threshold from now on.
    pub fn with_calibration(mut self, calibration: Option<Calibration>) -> ThemeModel {
        if let Some(c) = &calibration {
            self.threshold = c.threshold;
        }
        self.calibration = calibration;
        self
    }
}

/// Where a talk lands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    /// The closest theme; `None` when the talk has no term of the model's vocabulary.
    pub theme: Option<usize>,
    /// Cosine similarity to that theme's centroid (0 without terms).
    pub similarity: f64,
    /// The second-closest theme and its similarity.
    pub runner_up: Option<(usize, f64)>,
    /// Fits no theme: similarity below the threshold (or no known term).
    pub new_theme_candidate: bool,
    /// How many of the talk's term occurrences the vocabulary knows.
    pub known_terms: usize,
}

impl ThemeModel {
    /// Build the model from a finished analysis.
    pub fn from_analysis(analysis: &Analysis) -> ThemeModel {
        let tfidf = &analysis.tfidf;
        let themes = &analysis.themes;
        let k = themes.themes.len();
        let dims = tfidf.vocab.len();
        let mut sums: Vec<Vec<f64>> = vec![vec![0.0; dims]; k];
        let mut sizes = vec![0usize; k];
        for a in &themes.assignments {
            if let (Some(t), Some(row)) = (a.theme, tfidf.rows.get(a.talk))
                && t < k
            {
                sizes[t] += 1;
                for &(i, w) in row {
                    if let Some(s) = sums[t].get_mut(i as usize) {
                        *s += w as f64;
                    }
                }
            }
        }
        let model_themes = themes
            .themes
            .iter()
            .enumerate()
            .map(|(t, theme)| {
                let mut centroid: SparseRow = sums[t]
                    .iter()
                    .enumerate()
                    .filter(|&(_, &s)| s > 0.0 && s.is_finite())
                    .map(|(i, &s)| (i as u32, (s / sizes[t].max(1) as f64) as f32))
                    .collect();
                normalize_l2(&mut centroid);
                ModelTheme {
                    id: t,
                    name: ModelThemeName {
                        ja: theme.name.ja.clone(),
                        en: theme.name.en.clone(),
                    },
                    taxonomy: theme.taxonomy.clone(),
                    keywords: theme.keywords.iter().map(|k| k.display.clone()).collect(),
                    size: sizes[t],
                    centroid,
                }
            })
            .collect();
        let mut model = ThemeModel {
            format: MODEL_FORMAT.to_string(),
            format_version: MODEL_FORMAT_VERSION,
            tool_version: TOOL_VERSION.to_string(),
            keys: tfidf.vocab.keys.clone(),
            display: tfidf.vocab.display.clone(),
            df: tfidf.vocab.df.clone(),
            idf: tfidf.idf.clone(),
            tfidf_params: tfidf.params.clone(),
            cluster_params: analysis.clustering.params.clone(),
            n_talks: tfidf.n_talks(),
            themes: model_themes,
            threshold: 0.0,
            calibration: None,
            training_agreement: 1.0,
        };
        // Threshold and agreement from the training talks themselves.
        let placed: Vec<(Option<usize>, f64)> = tfidf
            .rows
            .iter()
            .map(|row| model.place_row(row))
            .map(|(t, s, _)| (t, s))
            .collect();
        let mut own: Vec<f64> = Vec::new();
        let (mut agree, mut total) = (0usize, 0usize);
        for a in &themes.assignments {
            if let (Some(t), Some(&(p, s))) = (a.theme, placed.get(a.talk)) {
                total += 1;
                if p == Some(t) {
                    agree += 1;
                }
                if let Some(c) = model.themes.get(t) {
                    let sim = tfidf
                        .rows
                        .get(a.talk)
                        .map_or(s, |r| sparse_dot(r, &c.centroid));
                    own.push(sim);
                }
            }
        }
        own.sort_by(f64::total_cmp);
        model.threshold = percentile(&own, 0.05);
        model.training_agreement = if total > 0 {
            agree as f64 / total as f64
        } else {
            1.0
        };
        model
    }

    fn tfidf(&self) -> TfIdf {
        TfIdf {
            vocab: Vocabulary::new(self.keys.clone(), self.display.clone(), self.df.clone()),
            idf: self.idf.clone(),
            rows: Vec::new(),
            counts: Vec::new(),
            pieces: Vec::new(),
            params: self.tfidf_params.clone(),
        }
    }

    /// (best theme, its similarity, runner-up) for a normalized row.
    fn place_row(&self, row: &SparseRow) -> (Option<usize>, f64, Option<(usize, f64)>) {
        if row.is_empty() || self.themes.is_empty() {
            return (None, 0.0, None);
        }
        let mut sims: Vec<(usize, f64)> = self
            .themes
            .iter()
            .enumerate()
            .map(|(t, th)| {
                let s = sparse_dot(row, &th.centroid);
                (t, if s.is_finite() { s } else { 0.0 })
            })
            .collect();
        sims.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        (Some(sims[0].0), sims[0].1, sims.get(1).copied())
    }

    /// Place talks with the model's threshold.
    pub fn assign(&self, terms: &[TalkTerms]) -> Vec<Placement> {
        self.assign_with(terms, self.threshold)
    }

    /// Place talks; a talk below `threshold` is a new-theme candidate.
    pub fn assign_with(&self, terms: &[TalkTerms], threshold: f64) -> Vec<Placement> {
        let tfidf = self.tfidf();
        terms
            .iter()
            .map(|talk| {
                let (row, _) = tfidf.transform_one(talk);
                let known_terms = talk
                    .title
                    .iter()
                    .chain(&talk.body)
                    .filter(|t| tfidf.vocab.get(&t.key).is_some())
                    .count();
                let (theme, similarity, runner_up) = self.place_row(&row);
                Placement {
                    theme,
                    similarity,
                    runner_up,
                    new_theme_candidate: theme.is_none() || similarity < threshold,
                    known_terms,
                }
            })
            .collect()
    }

    /// Write the model as JSON, atomically: a temporary file in the same directory, renamed
    /// over `path` only once fully written.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut json = serde_json::to_string(self).map_err(|e| {
            Error::output(
                path,
                tr!("モデルを書き出せません({e})", "cannot serialize model: {e}"),
            )
        })?;
        json.push('\n');
        crate::safe_io::write::write_file_atomically(path, json.as_bytes())
    }

    /// Read a model, with a clear error for a file that is not a model, a corrupt one, or
    /// one written by another version of the tool.
    pub fn load(path: &Path) -> Result<ThemeModel> {
        let text = crate::safe_io::read::read_text(path, tr!("モデル", "model"))?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<ThemeModel> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::input(
                path,
                tr!(
                    "confthemes のモデルではありません: JSON として不正です({e})",
                    "not a confthemes model: invalid JSON ({e})"
                ),
            )
        })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(MODEL_FORMAT) {
            return Err(Error::input(
                path,
                tr!(
                    "confthemes のモデルではありません(\"format\": \"{MODEL_FORMAT}\" がない)。`confthemes themes ... --save-model FILE` で書き出してください",
                    "not a confthemes model (no \"format\": \"{MODEL_FORMAT}\"); write one with `confthemes themes ... --save-model FILE`"
                ),
            ));
        }
        let tool = value
            .get("tool_version")
            .and_then(|v| v.as_str())
            .unwrap_or("?");
        if tool != TOOL_VERSION {
            return Err(Error::input(
                path,
                tr!(
                    "このモデルは confthemes {tool} が書いたもので、これは {TOOL_VERSION} です。`confthemes themes ... --save-model FILE` で作り直してください",
                    "model was written by confthemes {tool}, this is {TOOL_VERSION}; fit it again with `confthemes themes ... --save-model FILE`"
                ),
            ));
        }
        let format_version = value.get("format_version").and_then(|v| v.as_u64());
        if format_version != Some(MODEL_FORMAT_VERSION as u64) {
            return Err(Error::input(path, {
                let got = format_version.map_or("?".to_string(), |v| v.to_string());
                tr!(
                    "モデルの形式はバージョン{got}で、この confthemes が読むのはバージョン{MODEL_FORMAT_VERSION}です",
                    "model format version {got}, this confthemes reads version {MODEL_FORMAT_VERSION}"
                )
            }));
        }
        let model: ThemeModel = serde_json::from_value(value)
            .map_err(|e| Error::input(path, tr!("壊れたモデルです({e})", "corrupt model: {e}")))?;
        model.check().map_err(|what| {
            Error::input(
                path,
                tr!("壊れたモデルです({what})", "corrupt model: {what}"),
            )
        })?;
        Ok(model)
    }

    /// Internal consistency of a loaded model.
    fn check(&self) -> std::result::Result<(), String> {
        let n = self.keys.len();
        if self.display.len() != n || self.df.len() != n || self.idf.len() != n {
            return Err(format!(
                "vocabulary lengths differ (keys {n}, display {}, df {}, idf {})",
                self.display.len(),
                self.df.len(),
                self.idf.len()
            ));
        }
        if self.idf.iter().any(|x| !x.is_finite()) {
            return Err("idf has a non-finite value".into());
        }
        if self.themes.is_empty() {
            return Err("it has no themes".into());
        }
        if self.idf.iter().any(|x| *x < 0.0 || *x > 1e3) {
            return Err("idf has a value outside [0, 1000]".into());
        }
        if self.df.iter().any(|&d| d > self.n_talks) {
            return Err(format!(
                "a document frequency exceeds the {} training talks",
                self.n_talks
            ));
        }
        // Similarities are cosines: a threshold outside [-1, 1] flags every talk or none.
        if !(self.threshold.is_finite() && (-1.0..=1.0).contains(&self.threshold)) {
            return Err(format!(
                "threshold {} is not a cosine in [-1, 1]",
                self.threshold
            ));
        }
        if !(0.0..=1.0).contains(&self.training_agreement) {
            return Err("training_agreement is not a share in [0, 1]".into());
        }
        if let Some(c) = &self.calibration
            && !((-1.0..=1.0).contains(&c.threshold)
                && (0.0..=1.0).contains(&c.quantile)
                && c.quantiles
                    .iter()
                    .all(|&(q, s)| (-1.0..=1.0).contains(&s) && (0.0..=1.0).contains(&q)))
        {
            return Err(
                "calibration has a similarity outside [-1, 1] or a quantile outside [0, 1]".into(),
            );
        }
        self.tfidf_params.check().map_err(|e| e.to_string())?;
        for (t, theme) in self.themes.iter().enumerate() {
            if theme.id != t {
                return Err(format!("theme {t} has id {}", theme.id));
            }
            if let Some(&(i, _)) = theme.centroid.iter().find(|(i, _)| *i as usize >= n) {
                return Err(format!(
                    "theme {t} uses term {i}, beyond the {n} terms of the vocabulary"
                ));
            }
            if theme.centroid.iter().any(|(_, w)| !w.is_finite()) {
                return Err(format!("theme {t} has a non-finite centroid weight"));
            }
            // Centroids are unit length (or empty: a theme of talks without known terms).
            let norm = theme
                .centroid
                .iter()
                .map(|(_, w)| f64::from(*w).powi(2))
                .sum::<f64>()
                .sqrt();
            if norm != 0.0 && (norm - 1.0).abs() > 1e-3 {
                return Err(format!(
                    "theme {t}'s centroid has length {norm:.4}, not 1 (values were changed)"
                ));
            }
            if theme.size > self.n_talks {
                return Err(format!(
                    "theme {t} has {} talks, more than the {} training talks",
                    theme.size, self.n_talks
                ));
            }
            if theme.centroid.windows(2).any(|w| w[0].0 >= w[1].0) {
                return Err(format!("theme {t}'s centroid is not sorted by term index"));
            }
        }
        Ok(())
    }
}

/// The p-quantile of sorted values (nearest rank below); 0 for no values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).floor() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::analysis::compare::tests::{TOPICS, analysis_of, terms};

    fn training() -> (Vec<TalkTerms>, Analysis) {
        let mut all = Vec::new();
        for (t, topic) in TOPICS.iter().enumerate() {
            for i in 0..4 {
                // Vary the talks a little: drop one word of the topic per talk.
                let words: Vec<&str> = topic
                    .split_whitespace()
                    .enumerate()
                    .filter(|&(j, _)| j != (i + t) % 4)
                    .map(|(_, w)| w)
                    .collect();
                all.push(terms(&words.join(" ")));
            }
        }
        let analysis = analysis_of(all.clone(), 3);
        (all, analysis)
    }

    #[test]
    fn save_load_assign_round_trip_gives_the_training_themes() {
        let (talks, analysis) = training();
        let model = ThemeModel::from_analysis(&analysis);
        assert_eq!(model.themes.len(), 3);
        assert_eq!(model.training_agreement, 1.0);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.json");
        model.save(&path).unwrap();
        // No temporary file left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let loaded = ThemeModel::load(&path).unwrap();
        assert_eq!(loaded, model);
        let placed = loaded.assign(&talks);
        for (a, p) in analysis.themes.assignments.iter().zip(&placed) {
            assert_eq!(p.theme, a.theme);
            assert!(p.similarity > 0.5 && p.similarity.is_finite());
            assert!(!p.new_theme_candidate);
        }
        // A talk about something else fits none; a talk with no known term too.
        let new = loaded.assign(&[terms("量子 コンピュータ SLO"), terms("")]);
        assert!(new[0].new_theme_candidate, "{:?}", new[0]);
        assert_eq!(new[0].known_terms, 1);
        assert_eq!(new[1].theme, None);
        assert!(new[1].new_theme_candidate);
        assert_eq!(new[1].similarity, 0.0);
        // Runner-up is a different theme with a lower similarity.
        let (r, s) = placed[0].runner_up.unwrap();
        assert_ne!(Some(r), placed[0].theme);
        assert!(s <= placed[0].similarity);
    }

    /// Three events, each with talks of all three topics, as `training()` varies them.
    fn events_of(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("Event {}", i % 3)).collect()
    }

    fn fit(train: Vec<TalkTerms>) -> Result<ThemeModel> {
        Ok(ThemeModel::from_analysis(&analysis_of(train, 3)))
    }

    #[test]
    fn the_threshold_is_calibrated_on_talks_of_held_out_events() {
        let (talks, analysis) = training();
        let in_sample = ThemeModel::from_analysis(&analysis);
        let c = calibrate(&talks, &events_of(talks.len()), 0.05, fit).expect("calibrated");
        assert_eq!(c.method, CalibrationMethod::LeaveOneEventOut);
        assert_eq!((c.folds, c.held_out_talks, c.quantile), (3, 12, 0.05));
        // Held-out talks took no part in their centroids: they sit farther than training
        // talks do, so the calibrated threshold is below the in-sample one.
        assert!(
            c.threshold < in_sample.threshold,
            "{c:?} {}",
            in_sample.threshold
        );
        assert!(c.threshold > 0.0);
        assert_eq!(c.quantiles.len(), REPORTED_QUANTILES.len());
        assert!(c.quantiles.windows(2).all(|w| w[0].1 <= w[1].1));
        let model = in_sample.clone().with_calibration(Some(c.clone()));
        assert_eq!(model.threshold, c.threshold);
        // Talks like the events' are not candidates; a talk on another topic still is.
        assert!(model.assign(&talks).iter().all(|p| !p.new_theme_candidate));
        let other = model.assign(&[terms("量子 コンピュータ SLO")]);
        assert!(other[0].new_theme_candidate, "{:?}", other[0]);
        // The note says how.
        let en = c.describe(Lang::En);
        assert!(
            en.contains("5% quantile")
                && en.contains("12 held-out talks")
                && en.contains("3 models"),
            "{en}"
        );
        // Round trip through the file keeps the calibration.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.json");
        model.save(&path).unwrap();
        assert_eq!(ThemeModel::load(&path).unwrap().calibration, Some(c));
    }

    #[test]
    fn one_event_is_calibrated_on_folds_of_talks_and_too_few_talks_not_at_all() {
        let (talks, _) = training();
        let one = vec!["Meetup".to_string(); talks.len()];
        let c = calibrate(&talks, &one, 0.05, fit).expect("calibrated");
        assert_eq!((c.method, c.folds), (CalibrationMethod::TalkFolds, 5));
        assert_eq!(c.held_out_talks, 12);
        assert!(calibrate(&talks[..6], &one[..6], 0.05, fit).is_none());
    }

    #[test]
    fn a_model_saved_without_a_calibration_still_loads() {
        let (_, analysis) = training();
        let model = ThemeModel::from_analysis(&analysis);
        let mut v = serde_json::to_value(&model).unwrap();
        assert!(v.get("calibration").is_none());
        v.as_object_mut().unwrap().remove("calibration");
        let loaded = ThemeModel::parse(&v.to_string(), Path::new("old.json")).unwrap();
        assert_eq!(loaded.calibration, None);
        assert_eq!(loaded.threshold, model.threshold);
        // A broken calibration is refused.
        let c = calibrate(&training().0, &events_of(12), 0.05, fit).unwrap();
        let mut v = serde_json::to_value(model.with_calibration(Some(c))).unwrap();
        v["calibration"]["quantile"] = 7.into();
        let e = ThemeModel::parse(&v.to_string(), Path::new("m.json")).unwrap_err();
        assert!(e.to_string().contains("quantile outside"), "{e}");
    }

    #[test]
    fn corrupt_and_foreign_files_give_clear_errors() {
        let (_, analysis) = training();
        let model = ThemeModel::from_analysis(&analysis);
        let p = Path::new("m.json");
        let err = |text: &str| ThemeModel::parse(text, p).unwrap_err().to_string();

        assert!(err("{not json").contains("not a confthemes model: invalid JSON"));
        assert!(err("{\"themes\": []}").contains("not a confthemes model"));

        let mut v = serde_json::to_value(&model).unwrap();
        v["tool_version"] = "0.0.1".into();
        let e = err(&v.to_string());
        assert!(
            e.contains(&format!(
                "model was written by confthemes 0.0.1, this is {TOOL_VERSION}"
            )),
            "{e}"
        );

        let mut v = serde_json::to_value(&model).unwrap();
        v["format_version"] = 99.into();
        assert!(err(&v.to_string()).contains("format version 99"));

        let mut v = serde_json::to_value(&model).unwrap();
        v["idf"] = serde_json::json!([1.0]);
        assert!(err(&v.to_string()).contains("corrupt model: vocabulary lengths differ"));

        let mut v = serde_json::to_value(&model).unwrap();
        v["themes"][0]["centroid"] = serde_json::json!([[100000, 1.0]]);
        assert!(err(&v.to_string()).contains("beyond the"));

        let mut v = serde_json::to_value(&model).unwrap();
        v["themes"] = "oops".into();
        assert!(err(&v.to_string()).contains("corrupt model"));

        let e = ThemeModel::load(Path::new("/nonexistent/model.json")).unwrap_err();
        assert!(e.to_string().contains("cannot read model"));
    }

    #[test]
    fn saving_into_a_missing_directory_is_an_output_error() {
        let (_, analysis) = training();
        let model = ThemeModel::from_analysis(&analysis);
        let e = model
            .save(Path::new("/nonexistent-dir/x/model.json"))
            .unwrap_err();
        assert!(matches!(e, Error::Output { .. }));
    }
}
