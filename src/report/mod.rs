//! Stage 6, report: `Analysis` → files. `model` computes the content once, `sections` lays
//! it out as one list of sections; `markdown` and `html` format that list; `charts` draws the figures (SVG strings and PNG bytes); `export` writes
//! themes.json and talks.csv; `output` writes the directory atomically.
pub mod charts;
pub mod export;
pub(crate) mod font;
pub mod font_subset;
pub mod html;
pub mod markdown;
pub mod model;
pub mod network_chart;
pub mod output;
pub mod sections;
pub(crate) mod svg;

use linfa::prelude::*;
use linfa_reduction::Pca;
use ndarray::Axis;
use serde::Serialize;

use crate::compare::{self, CompareParams, GroupBy};
use crate::corpus::Corpus;
use crate::error::Result;
use crate::lang::Lang;
use crate::pipeline::{Analysis, AnalysisParams};
use crate::timing::timed;
use charts::Chart;
use model::ReportModel;
use output::ReportFiles;
use sections::{ChartEntry, ChartKind};

/// What the report is about and how it should read.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub title: Option<String>,
    pub lang: Lang,
    /// How the taxonomy was given (for the method note): "default", "none" or a file name.
    pub taxonomy_label: String,
    /// The command line that reproduces the report (for the method note).
    pub command: String,
    /// Also write PNG versions of the charts (slides); SVG is always written.
    pub png: bool,
    /// Coding rules applied to the talks (`report --rules`), shown as a section and a chart.
    pub coding: Option<crate::coding::CodingResult>,
}

pub fn default_title(lang: Lang) -> String {
    lang.pick("カンファレンス テーマレポート", "Conference themes report")
        .to_string()
}

/// Lines of the method note, shared by both renderings.
pub fn method_lines(m: &ReportModel) -> Vec<String> {
    let lang = m.lang;
    let me = &m.method;
    let k_line = match (me.k_auto, me.k_range, lang) {
        _ if let Some(short) = &me.k_shortfall => format!("k = {} ({})", me.k, short.message(lang)),
        (true, Some((lo, hi)), Lang::Ja) => format!(
            "k = {} (k = {lo}〜{hi} からコサイン距離のシルエット係数が最大のものを選択)",
            me.k
        ),
        (true, Some((lo, hi)), Lang::En) => format!(
            "k = {} (chosen from k = {lo}..{hi} by the best cosine silhouette)",
            me.k
        ),
        (_, _, Lang::Ja) => format!("k = {} (指定)", me.k),
        (_, _, Lang::En) => format!("k = {} (given)", me.k),
    };
    let mut lines = vec![
        k_line,
        format!(
            "{}: {:.4}",
            lang.pick(
                "シルエット係数 (コサイン距離、1件だけのテーマは0)",
                "Silhouette (cosine distance, one-talk themes score 0)"
            ),
            me.silhouette
        ),
        format!(
            "{}: TF-IDF (sublinear tf, smoothed idf, min_df={}, max_df={}, {}={}), {} {}",
            lang.pick("ベクトル化", "Vectors"),
            me.min_df,
            me.max_df,
            lang.pick("タイトルの重み", "title weight"),
            me.title_weight,
            lang.pick("語彙数", "vocabulary"),
            me.vocabulary
        ),
        format!(
            "{}: linfa KMeans (k-means++, {} {}), seed={}, {}={}",
            lang.pick("クラスタリング", "Clustering"),
            me.n_runs,
            lang.pick("回の再スタート", "restarts"),
            me.seed,
            lang.pick("タクソノミー誘導", "guided by taxonomy"),
            me.guided
        ),
        format!("{}: {}", lang.pick("タクソノミー", "Taxonomy"), me.taxonomy),
    ];
    if let Some(thin) = &me.thin {
        lines.insert(0, thin.message(lang));
    }
    if let Some(sample) = me.sample {
        lines.push(match lang {
            Lang::Ja => format!(
                "大規模コーパス: k の選択とシルエット係数は {}件の無作為標本 (seed={}) で計算し、疎ベクトルの k-means (コサイン) を全トークに適用",
                sample, me.seed
            ),
            Lang::En => format!(
                "Large corpus: k chosen and silhouette computed on a seeded random sample of {} talks (seed={}), then sparse cosine k-means over all talks",
                sample, me.seed
            ),
        });
    }
    if let Some(c) = &me.curation {
        lines.extend(crate::curate::note_lines(c, lang));
    }
    lines.push(format!(
        "{}: confthemes {}",
        lang.pick("ツール", "Tool"),
        me.version
    ));
    lines
}

#[derive(Serialize)]
struct ReportJson<'a> {
    generator: &'static str,
    version: &'static str,
    title: &'a str,
    lang: Lang,
    seed: u64,
    silhouette: f64,
    command: &'a str,
    #[serde(flatten)]
    themes: export::ThemesJson<'a>,
}

/// Build every file of the report in memory (written by `output::write_atomically`).
pub fn render(
    corpus: &Corpus,
    analysis: &Analysis,
    params: &AnalysisParams,
    options: &ReportOptions,
) -> Result<ReportFiles> {
    let lang = options.lang;
    let title = options.title.clone().unwrap_or_else(|| default_title(lang));
    let mut model = timed("  model", || {
        model::build(
            corpus,
            analysis,
            params,
            &options.taxonomy_label,
            &title,
            lang,
        )
    });
    // Themes were fitted on all events together, so their shares are comparable.
    let comparison = (model.events.len() > 1).then(|| {
        let compare_params = CompareParams {
            seed: params.cluster.seed,
            ..CompareParams::default()
        };
        timed("  compare", || {
            compare::compare(corpus, analysis, GroupBy::Event, &compare_params)
        })
    });
    model.comparison = comparison
        .as_ref()
        .map(|c| model::comparison_section(c, &model.themes, lang));
    model.coding = options
        .coding
        .as_ref()
        .map(|c| model::coding_section(c, lang));
    let mut charts = timed("  charts", || build_charts(corpus, analysis, &model, lang));
    if let Some(c) = &comparison {
        let groups = c.group_labels(lang);
        for (n, pair) in c.pairs.iter().enumerate() {
            // Groups in display order, left to right: positive z (typical of `a`) is drawn
            // to the left, so the chart's title, sides and caption name them in one order.
            let terms: Vec<(String, f64)> = pair
                .chart_terms()
                .into_iter()
                .map(|(t, z)| (t, -z))
                .collect();
            if terms.is_empty() {
                continue;
            }
            let top = |sign: f64| {
                terms
                    .iter()
                    .filter(|(_, z)| z * sign > 0.0)
                    .max_by(|x, y| (x.1 * sign).total_cmp(&(y.1 * sign)))
                    .map(|(t, _)| t.clone())
            };
            let kind = ChartKind::DistinctiveTerms {
                left: groups[pair.a].clone(),
                right: groups[pair.b].clone(),
                left_top: top(-1.0),
                right_top: top(1.0),
            };
            let d = charts::Diverging {
                left_label: groups[pair.a].clone(),
                right_label: groups[pair.b].clone(),
                terms,
            };
            charts.push((
                ChartEntry {
                    stem: format!("distinctive_terms_{}", n + 1),
                    kind,
                },
                charts::diverging_terms(&d, lang),
            ));
        }
    }

    if let Some(c) = &model.coding {
        let d = charts::CodesByEvent {
            codes: c.codes.iter().map(|r| r.label.clone()).collect(),
            events: c.events.clone(),
            counts: c.codes.iter().map(|r| r.counts.clone()).collect(),
            totals: c.totals.clone(),
        };
        charts.push((
            ChartEntry {
                stem: "codes_by_event".to_string(),
                kind: ChartKind::CodesByEvent,
            },
            charts::codes_by_event(&d, lang),
        ));
    }

    let mut files = ReportFiles::default();
    let entries: Vec<ChartEntry> = charts.iter().map(|(e, _)| e.clone()).collect();
    let doc = timed("  sections", || {
        sections::build(&model, &entries, method_lines(&model))
    });
    files.add(
        "report.md",
        timed("  markdown", || markdown::render(&doc, options.png)),
    );
    let svgs: Vec<(String, String)> = charts
        .iter()
        .map(|(e, chart)| (e.stem.clone(), chart.svg.clone()))
        .collect();
    files.add("report.html", timed("  html", || html::render(&doc, &svgs)));
    let json = ReportJson {
        generator: "confthemes",
        version: env!("CARGO_PKG_VERSION"),
        title: &title,
        lang,
        seed: params.cluster.seed,
        silhouette: export::round4(analysis.clustering.silhouette),
        command: &options.command,
        themes: export::themes_json(corpus, analysis, lang),
    };
    let mut json_text = timed("  json", || {
        serde_json::to_string_pretty(&json).expect("report json serializes")
    });
    json_text.push('\n');
    files.add("themes.json", json_text);
    files.add("talks.csv", export::talks_csv(corpus, analysis, lang));
    // Rasterizing is the slow part of small reports: charts in parallel, files in order.
    let pngs: Vec<Option<Vec<u8>>> = timed("  png", || {
        use rayon::prelude::*;
        charts
            .par_iter()
            .map(|(_, chart)| options.png.then(|| chart.png()).transpose())
            .collect::<Result<_>>()
    })?;
    for ((entry, chart), png) in charts.iter().zip(pngs) {
        files.add(format!("charts/{}.svg", entry.stem), chart.svg.clone());
        if let Some(png) = png {
            files.add(format!("charts/{}.png", entry.stem), png);
        }
    }
    Ok(files)
}

/// Every chart with its file stem and what it shows, in display order.
fn build_charts(
    corpus: &Corpus,
    analysis: &Analysis,
    model: &ReportModel,
    lang: Lang,
) -> Vec<(ChartEntry, Chart)> {
    let entry = |stem: &str, kind: ChartKind| ChartEntry {
        stem: stem.to_string(),
        kind,
    };
    let theme_names: Vec<String> = model.themes.iter().map(|t| t.name.clone()).collect();
    let mut out = Vec::new();
    let bars: Vec<charts::ThemeBar> = model
        .themes
        .iter()
        .map(|t| charts::ThemeBar {
            theme: t.id,
            name: t.name.clone(),
            count: t.size,
        })
        .collect();
    out.push((
        entry("talks_per_theme", ChartKind::TalksPerTheme),
        charts::talks_per_theme(&bars, lang),
    ));

    if model.events.len() > 1 {
        let shares = charts::EventShares {
            events: model.events.iter().map(|(e, _)| e.clone()).collect(),
            themes: theme_names.clone(),
            counts: model
                .events
                .iter()
                .enumerate()
                .map(|(e, _)| model.themes.iter().map(|t| t.per_event[e].1).collect())
                .collect(),
        };
        out.push((
            entry("theme_share_by_event", ChartKind::ThemeShareByEvent),
            charts::theme_share_by_event(&shares, lang),
        ));
    }

    let points = talk_map_points(corpus, analysis, &theme_names);
    out.push((
        entry("talk_map", ChartKind::TalkMap),
        charts::talk_map(&points, &theme_names, lang),
    ));

    out.push((
        entry("keyword_heatmap", ChartKind::KeywordHeatmap),
        charts::keyword_heatmap(&heatmap(analysis, &theme_names), lang),
    ));

    let timetables = timetable_cells(corpus, analysis);
    let many = timetables.len() > 1;
    for (n, (event, cells)) in timetables.iter().enumerate() {
        let stem = if many {
            format!("timetable_{}", n + 1)
        } else {
            "timetable".to_string()
        };
        let kind = ChartKind::Timetable {
            event: event.clone(),
            talks: cells.len(),
        };
        out.push((
            entry(&stem, kind),
            charts::timetable(event, cells, &theme_names, lang),
        ));
    }

    // Term co-occurrence network (KH Coder style): which words travel together.
    if let Ok(net) =
        crate::network::build(&analysis.terms, &crate::network::NetworkParams::default())
        && !net.nodes.is_empty()
    {
        let threshold = crate::network::NetworkParams::default().threshold;
        out.push((
            entry("term_network", ChartKind::TermNetwork),
            network_chart::network_chart(&net, threshold, lang),
        ));
    }

    if analysis.clustering.k_table.len() > 1 {
        let curve = charts::SilhouetteCurve {
            ks: analysis
                .clustering
                .k_table
                .iter()
                .map(|&(k, _)| k)
                .collect(),
            scores: analysis
                .clustering
                .k_table
                .iter()
                .map(|&(_, s)| s)
                .collect(),
            chosen: analysis.clustering.k,
        };
        let ks = &curve.ks;
        let kind = ChartKind::Silhouette {
            range: (
                ks.iter().copied().min().unwrap_or(0),
                ks.iter().copied().max().unwrap_or(0),
            ),
            chosen: curve.chosen,
        };
        out.push((entry("silhouette", kind), charts::silhouette(&curve, lang)));
    }
    out
}

/// Most talks drawn on the talk map (larger corpora are subsampled).
pub const MAP_POINTS: usize = 3000;

/// 2-D PCA (linfa-reduction) of the clustered vectors; talks without terms are left out.
fn talk_map_points(
    corpus: &Corpus,
    analysis: &Analysis,
    theme_names: &[String],
) -> Vec<charts::MapPoint> {
    let labels = &analysis.clustering.labels;
    let mut active: Vec<usize> = (0..labels.len()).filter(|&i| labels[i].is_some()).collect();
    if active.is_empty() {
        return Vec::new();
    }
    // A map of 100k dots is unreadable and its SVG huge: draw an evenly spaced (so
    // deterministic, and proportional across files and events) subset, and fit the PCA on it.
    if active.len() > MAP_POINTS {
        let m = active.len();
        active = (0..MAP_POINTS)
            .map(|j| active[j * m / MAP_POINTS])
            .collect();
    }
    let data = analysis.clustering.embedding.select(Axis(0), &active);
    let coords = if active.len() >= 3 && data.ncols() >= 2 {
        Pca::params(2)
            .fit(&DatasetBase::from(data.clone()))
            .ok()
            .map(|pca| pca.predict(&data))
            // PCA keeps fewer components when the talks vary along one direction only.
            .filter(|c| c.ncols() >= 2 && c.nrows() == active.len())
    } else {
        None
    };
    active
        .iter()
        .enumerate()
        .map(|(row, &i)| {
            let theme = labels[i].unwrap_or(0);
            let (x, y) = match &coords {
                Some(c) => (c[[row, 0]], c[[row, 1]]),
                None => (row as f64, 0.0),
            };
            charts::MapPoint {
                x,
                y,
                theme,
                title: format!(
                    "{}\n{}",
                    corpus.talks[i].title,
                    theme_names.get(theme).cloned().unwrap_or_default()
                ),
                event: corpus.talks[i].event.clone(),
            }
        })
        .collect()
}

/// Theme × keyword weights: the top 3 keywords of every theme as columns.
fn heatmap(analysis: &Analysis, theme_names: &[String]) -> charts::Heatmap {
    let tfidf = &analysis.tfidf;
    let k = analysis.clustering.k;
    let weights = crate::themes::class_tfidf(
        &tfidf.counts,
        &analysis.clustering.labels,
        k,
        tfidf.vocab.len(),
    );
    let mut columns: Vec<u32> = Vec::new();
    for theme in &analysis.themes.themes {
        for kw in theme.keywords.iter().take(3) {
            if let Some(i) = tfidf.vocab.get(&kw.term)
                && !columns.contains(&i)
            {
                columns.push(i);
            }
        }
    }
    charts::Heatmap {
        themes: theme_names.to_vec(),
        keywords: columns
            .iter()
            .map(|&i| tfidf.vocab.display[i as usize].clone())
            .collect(),
        weights: (0..k)
            .map(|c| columns.iter().map(|&i| weights[c][i as usize]).collect())
            .collect(),
    }
}

/// Per event, the talks that have both a start time and a room.
fn timetable_cells(
    corpus: &Corpus,
    analysis: &Analysis,
) -> Vec<(String, Vec<charts::TimetableCell>)> {
    let mut out: Vec<(String, Vec<charts::TimetableCell>)> = Vec::new();
    for (i, talk) in corpus.talks.iter().enumerate() {
        let (Some(start), Some(room), Some(theme)) =
            (&talk.start, &talk.room, analysis.clustering.labels[i])
        else {
            continue;
        };
        let cell = charts::TimetableCell {
            start: start.clone(),
            room: room.clone(),
            theme,
            title: talk.title.clone(),
        };
        match out.iter_mut().find(|(e, _)| *e == talk.event) {
            Some((_, cells)) => cells.push(cell),
            None => out.push((talk.event.clone(), vec![cell])),
        }
    }
    out
}
