//! Stage 6, report: `Analysis` → files. `model` computes the content once, `sections` lays
//! it out as one list of sections; `markdown` and `html` format that list; `charts` draws the figures (SVG strings and PNG bytes); `export` writes
//! themes.json and talks.csv; `crate::safe_io::write` writes the directory atomically.
pub mod charts;
pub mod export;
pub(crate) mod font;
pub mod font_subset;
pub mod html;
pub mod map_layout;
pub mod markdown;
pub mod model;
pub mod network_chart;
pub mod sections;
pub(crate) mod svg;

use serde::Serialize;

use crate::analysis::compare::{self, CompareParams, GroupBy};
use crate::corpus::Corpus;
use crate::error::Result;
use crate::fitted::{Analysis, AnalysisParams};
use crate::lang::Lang;
use crate::safe_io::write::ReportFiles;
use crate::timing::timed;
use charts::Chart;
use model::ReportModel;
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
    pub coding: Option<crate::analysis::coding::CodingResult>,
}

pub fn default_title(lang: Lang) -> String {
    lang.pick("カンファレンス テーマレポート", "Conference themes report")
        .to_string()
}

/// What a theme's keyword line says when no word sets its talks apart (a small event's
/// residual theme, a theme of talks that share only everyday words): said, not left blank.
pub fn no_keywords(lang: Lang) -> &'static str {
    lang.pick(
        "(このテーマのトークだけに共通する語はありません)",
        "(no word these talks share sets them apart)",
    )
}

/// Lines of the method note, shared by both renderings.
pub fn method_lines(m: &ReportModel) -> Vec<String> {
    let lang = m.lang;
    let me = &m.method;
    let k_line = match (me.k_auto, me.k_range, lang) {
        _ if let Some(short) = &me.k_shortfall => format!("k = {} ({})", me.k, short.message(lang)),
        _ if me.thin.as_ref().is_some_and(|t| t.zero_shot) => match lang {
            Lang::Ja => format!("k = {} (各トークの語とタクソノミーの対応から)", me.k),
            Lang::En => format!(
                "k = {} (from each talk's terms matched to the taxonomy)",
                me.k
            ),
        },
        (true, Some((lo, hi)), Lang::Ja) => match me.k_tolerance {
            Some(tol) => format!(
                "k = {} (k = {lo}〜{hi} のうち、コサイン距離のシルエット係数が最大値から {tol:.3} 以内でいちばん小さい k)",
                me.k
            ),
            None => format!("k = {} (k = {lo}〜{hi} から)", me.k),
        },
        (true, Some((lo, hi)), Lang::En) => match me.k_tolerance {
            Some(tol) => format!(
                "k = {} (of k = {lo}..{hi}, the smallest within {tol:.3} of the best cosine silhouette)",
                me.k
            ),
            None => format!("k = {} (from k = {lo}..{hi})", me.k),
        },
        (_, _, Lang::Ja) => format!("k = {} (指定)", me.k),
        (_, _, Lang::En) => format!("k = {} (given)", me.k),
    };
    let mut lines = vec![k_line];
    if me.split_off > 0 {
        lines.push(match lang {
            Lang::Ja => format!(
                "ほかに {} 個: 名前のないテーマの中で、自分の語が同じタクソノミー項目を指すトーク ({} 件以上) を、その項目のテーマとして分けたもの",
                me.split_off,
                me.split_min
            ),
            Lang::En => format!(
                "plus {}: talks of a theme without a taxonomy name whose own terms point to the same taxonomy entry ({} or more), split off as that entry's theme",
                me.split_off,
                me.split_min
            ),
        });
    }
    lines.extend([
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
    ]);
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

/// Build every file of the report in memory (written by `safe_io::write::write_atomically`).
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
    let (mut charts, left_out) = timed("  charts", || build_charts(corpus, analysis, &model, lang));
    if let Some(c) = &comparison {
        let theme_names: Vec<String> = model.themes.iter().map(|t| t.name.clone()).collect();
        charts.extend(comparison_charts(c, &theme_names, lang));
        charts.extend(distinctive_term_charts(c, &theme_names, lang));
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
    let mut method = method_lines(&model);
    method.extend(left_out);
    let doc = timed("  sections", || sections::build(&model, &entries, method));
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

/// Most timetable pages in a report, so the chart count stays bounded.
pub const TIMETABLE_PAGES: usize = 16;

/// Events whose pairs get a slide: the largest few (the comparison pairs only those), so the
/// report grows linearly with the number of events (500 events made 124,750 pair charts).
/// Every event's terms against all other talks stay in the comparison section's text.
pub const PAIRED_EVENTS: usize = compare::PAIR_GROUPS;

/// One slide per pair of the comparison (the largest events): theme shares side by side with
/// what the counts support, the terms that are findings among it. (The diverging chart of
/// every listed term drew one lonely non-significant bar for the seeds' SRE Kaigi ⇔ SRE NEXT.)
fn distinctive_term_charts(
    c: &compare::Comparison,
    theme_names: &[String],
    lang: Lang,
) -> Vec<(ChartEntry, Chart)> {
    let groups = c.group_labels(lang);
    let capped = (c.pair_cap.omitted > 0).then_some(c.pair_cap.groups.len());
    let mut out = Vec::new();
    for (i, pair) in c.pairs.iter().enumerate() {
        out.push((
            ChartEntry {
                stem: format!("pair_{}", i + 1),
                kind: ChartKind::PairSlide {
                    left: groups[pair.a].clone(),
                    right: groups[pair.b].clone(),
                    among_largest: capped,
                },
            },
            charts::compare::pair_slide(c, pair, theme_names, lang),
        ));
    }
    out
}

/// The correspondence map (or the chart saying why there is none), and theme trends for each
/// series of three or more editions.
fn comparison_charts(
    c: &compare::Comparison,
    theme_names: &[String],
    lang: Lang,
) -> Vec<(ChartEntry, Chart)> {
    let map = c.correspondence.as_ref().and_then(|m| m.themes.as_ref());
    let mut out = vec![(
        ChartEntry {
            stem: "correspondence".to_string(),
            kind: ChartKind::Correspondence {
                drawn: map.is_some(),
            },
        },
        charts::compare::correspondence_map(c, map, theme_names, lang),
    )];
    let long: Vec<&compare::Series> = c.series.iter().filter(|s| s.editions.len() >= 3).collect();
    for (i, s) in long.iter().enumerate() {
        let stem = if long.len() == 1 {
            "theme_trends".to_string()
        } else {
            format!("theme_trends_{}", i + 1)
        };
        out.push((
            ChartEntry {
                stem,
                kind: ChartKind::ThemeTrends {
                    series: s.name.clone(),
                },
            },
            charts::compare::theme_trends(c, s, theme_names, lang),
        ));
    }
    out
}

/// Every chart with its file stem and what it shows, in display order, and a line for the
/// method note on each chart left out because it would have nothing to show.
fn build_charts(
    corpus: &Corpus,
    analysis: &Analysis,
    model: &ReportModel,
    lang: Lang,
) -> (Vec<(ChartEntry, Chart)>, Vec<String>) {
    let mut left_out: Vec<String> = Vec::new();
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
    let sub = match lang {
        Lang::Ja => format!("{}テーマ・全{}件のトーク", model.themes.len(), model.talks),
        Lang::En => format!("{} themes, {} talks", model.themes.len(), model.talks),
    };
    out.push((
        entry("talks_per_theme", ChartKind::TalksPerTheme),
        charts::talks_per_theme_titled(
            &bars,
            &sections::talks_per_theme_title(model),
            Some(&sub),
            lang,
        ),
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
            charts::theme_share_by_event_titled(&shares, &sections::theme_share_title(model), lang),
        ));
    }

    let (points, discs) = map_layout::talk_map_points(corpus, analysis);
    let mapped = {
        let mut t: Vec<usize> = points.iter().map(|p| p.theme).collect();
        t.sort_unstable();
        t.dedup();
        t.len()
    };
    if mapped >= 2 {
        out.push((
            entry("talk_map", ChartKind::TalkMap),
            charts::talk_map_with_discs(&points, &discs, &theme_names, lang),
        ));
    } else {
        left_out.push(
            lang.pick(
                "省略した図: テーマの地図 (テーマが1つだけで、位置関係がないため)",
                "Chart left out: the theme map (a single theme has nothing to be placed against)",
            )
            .to_string(),
        );
    }

    let (map, rows_left_out) = heatmap(analysis, &theme_names, lang);
    if map.themes.len() >= 2 && !map.keywords.is_empty() {
        out.push((
            entry("keyword_heatmap", ChartKind::KeywordHeatmap),
            charts::keyword_heatmap(&map, lang),
        ));
        if !rows_left_out.is_empty() {
            let names: Vec<String> = rows_left_out.iter().map(|n| format!("「{n}」")).collect();
            left_out.push(match lang {
                Lang::Ja => format!(
                    "テーマ × キーワードの図から省いた行: {} (どの列の語も使うトークがないため)",
                    names.join("")
                ),
                Lang::En => format!(
                    "Rows left out of the themes × keywords chart: {} (no talk of theirs uses any column's term)",
                    names.join(", ")
                ),
            });
        }
    } else {
        left_out.push(
            lang.pick(
                "省略した図: テーマ × キーワード (ほかのテーマより多く使われる語のあるテーマが2つ未満のため)",
                "Chart left out: themes × keywords (fewer than two themes use a term more than the others do)",
            )
            .to_string(),
        );
    }

    // Per day, at most 16 slots × 8 rooms a page, and at most `TIMETABLE_PAGES` pages in all
    // (events in corpus order): 3,000 talks on one page were a pile of titles.
    let pages: Vec<(String, charts::TimetablePage)> = timetable_cells(corpus, analysis)
        .into_iter()
        .flat_map(|(event, cells)| {
            charts::timetable_pages(&cells)
                .into_iter()
                .map(move |p| (event.clone(), p))
        })
        .collect();
    let many = pages.len() > 1;
    let omitted = pages.len().saturating_sub(TIMETABLE_PAGES);
    for (n, (event, page)) in pages.iter().take(TIMETABLE_PAGES).enumerate() {
        let stem = if many {
            format!("timetable_{}", n + 1)
        } else {
            "timetable".to_string()
        };
        let shown = format!("{event} {}", page.label).trim().to_string();
        let kind = ChartKind::Timetable {
            event: shown.clone(),
            talks: page.cells.len(),
            omitted: (n + 1 == TIMETABLE_PAGES)
                .then_some(omitted)
                .filter(|&o| o > 0),
        };
        out.push((
            entry(&stem, kind),
            charts::timetable(&shown, &page.cells, &theme_names, lang),
        ));
    }

    // Term co-occurrence network (KH Coder style): which of the themes' words travel together.
    if let Ok((net, node_theme)) = network_chart::term_network(analysis) {
        let linked = network_chart::linked_nodes(&net);
        if linked >= network_chart::MIN_LINKED {
            let threshold = network_chart::report_params().threshold;
            let sub = match lang {
                Lang::Ja => format!(
                    "各テーマのキーワード{}語のうち、同じトークに出る語を線で結ぶ (Jaccard {threshold} 以上、全{}件)。円の大きさは使うトーク数",
                    network_chart::KEYWORDS_PER_THEME,
                    net.n_talks
                ),
                Lang::En => format!(
                    "Each theme's top {} keywords, linked when used in the same talks (Jaccard >= {threshold}, {} talks). Size: talks using the term",
                    network_chart::KEYWORDS_PER_THEME,
                    net.n_talks
                ),
            };
            // The finding: the pair of words the most talks use together.
            let strongest = net.edges.iter().filter(|e| e.talks >= 2).max_by(|x, y| {
                x.talks
                    .cmp(&y.talks)
                    .then(x.jaccard.total_cmp(&y.jaccard))
                    .then(y.a.cmp(&x.a))
                    .then(y.b.cmp(&x.b))
            });
            let title = match (strongest, lang) {
                (Some(e), Lang::Ja) => format!(
                    "最もよく一緒に使われる語：「{}」と「{}」（{}件のトーク）",
                    net.nodes[e.a].display, net.nodes[e.b].display, e.talks
                ),
                (Some(e), Lang::En) => format!(
                    "Used together most: “{}” and “{}” ({} talks)",
                    net.nodes[e.a].display, net.nodes[e.b].display, e.talks
                ),
                (None, _) => lang
                    .pick(
                        "テーマのキーワードの共起ネットワーク",
                        "Which theme keywords are used together",
                    )
                    .to_string(),
            };
            out.push((
                entry("term_network", ChartKind::TermNetwork),
                network_chart::network_chart(
                    &net,
                    &title,
                    &sub,
                    &network_chart::NodeColors::Themes {
                        node_theme: &node_theme,
                        names: &theme_names,
                    },
                    lang,
                ),
            ));
        } else {
            left_out.push(match lang {
                Lang::Ja => format!(
                    "省略した図: 語の共起ネットワーク (ほかの語と結ばれる語が{linked}語で、{}語に満たないため)",
                    network_chart::MIN_LINKED
                ),
                Lang::En => format!(
                    "Chart left out: the term network ({linked} linked terms, fewer than {})",
                    network_chart::MIN_LINKED
                ),
            });
        }
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
            // The k the search chose, as the method note says: after `--edit` merges themes,
            // `clustering.k` is the count after the edit (9 found → 8 marked was this bug).
            chosen: model.method.k,
            tolerance: analysis.clustering.silhouette_tolerance(),
            searched: model.method.k_range,
        };
        let ks = &curve.ks;
        // The range the method note names, as on the chart's axis.
        let kind = ChartKind::Silhouette {
            range: model.method.k_range.unwrap_or((
                ks.iter().copied().min().unwrap_or(0),
                ks.iter().copied().max().unwrap_or(0),
            )),
            chosen: curve.chosen,
            tolerance: curve.tolerance,
            after_edit: model.method.curation.as_ref().map(|c| c.themes),
        };
        out.push((entry("silhouette", kind), charts::silhouette(&curve, lang)));
    }
    (out, left_out)
}

/// Heatmap columns per theme: three each, fewer with many themes so the columns stay
/// readable.
fn heatmap_terms_per_theme(k: usize) -> usize {
    (36 / k.max(1)).clamp(1, 3)
}

/// Theme × term: for every theme, the terms its talks use more than the other talks do (the
/// largest difference in the share of talks using them — the ranking that names the themes no
/// taxonomy entry names — used by at least two of its talks, by its one talk in a one-talk
/// theme, specific to some themes), its keywords among them first, one spelling per word
/// (`network_chart::same_word`); each cell the share of the theme's talks using the term. The naming keywords (c-TF-IDF) first
/// made the largest theme's row pale (seeds: 25 % at most for a 12-talk theme). Themes whose
/// row would have no cell are left out, and returned by name.
fn heatmap(
    analysis: &Analysis,
    theme_names: &[String],
    lang: Lang,
) -> (charts::Heatmap, Vec<String>) {
    let tfidf = &analysis.tfidf;
    let labels = &analysis.clustering.labels;
    let k = analysis.themes.themes.len();
    let contrast = crate::themes::ShareContrast::new(
        &tfidf.counts,
        &tfidf.pieces,
        labels,
        k,
        tfidf.vocab.len(),
    );
    // Words every theme uses (向上, 開発) can lead a two-talk theme: the network's filter.
    let specificity = contrast.specificity();
    let talks = network_chart::talks_using(analysis);
    let ranked: Vec<Vec<(f64, usize)>> = (0..k).map(|t| contrast.ranked(t, &specificity)).collect();
    let mut columns: Vec<usize> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (t, ranked) in ranked.iter().enumerate() {
        let mut mine: Vec<usize> = Vec::new();
        // The theme's keywords first (in the same order): the columns then say what its
        // keyword list says, not the everyday words its talks happen to share (体験, 知識).
        let keyword: std::collections::HashSet<&str> = analysis.themes.themes[t]
            .keywords
            .iter()
            .map(|k| k.term.as_str())
            .collect();
        let mut order: Vec<usize> = ranked.iter().map(|&(_, i)| i).collect();
        // Stable: keywords, then the other terms, each in ranking order.
        order.sort_by_key(|&i| !keyword.contains(tfidf.vocab.keys[i].as_str()));
        for i in order {
            if mine.len() == heatmap_terms_per_theme(k) {
                break;
            }
            // Pieces of a longer term are never shown (`Vocabulary::shown`).
            if !tfidf.vocab.shown(i) {
                continue;
            }
            let said = |j: &usize| {
                *j == i
                    || network_chart::same_word(
                        &tfidf.vocab.display[i],
                        &tfidf.vocab.display[*j],
                        &talks[i],
                        &talks[*j],
                    )
            };
            if !columns.iter().chain(&mine).any(said) {
                mine.push(i);
            }
        }
        owner.extend(std::iter::repeat_n(t, mine.len()));
        columns.extend(mine);
    }
    let weights: Vec<Vec<f64>> = (0..k)
        .map(|t| columns.iter().map(|&i| contrast.share(t, i)).collect())
        .collect();
    let shown: Vec<usize> = (0..k)
        .filter(|&t| weights[t].iter().any(|&w| w > 0.0))
        .collect();
    let left_out = (0..k)
        .filter(|t| !shown.contains(t))
        .map(|t| theme_names[t].clone())
        .collect();
    // The title's finding: the cell where a theme's talks use its own term most, against the
    // other themes, weighed by how many talks that is (a 2-talk theme's 100 % is weak).
    let finding = (0..columns.len())
        .filter(|&c| shown.contains(&owner[c]))
        .map(|c| {
            let t = owner[c];
            let others = (0..k)
                .filter(|&o| o != t)
                .map(|o| weights[o][c])
                .fold(0.0, f64::max);
            let n = analysis.themes.themes[t].talks.len();
            let using = (weights[t][c] * n as f64).round() as usize;
            ((weights[t][c] - others) * using as f64, t, c, using, n)
        })
        .filter(|&(score, ..)| score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.2.cmp(&a.2)));
    let title = finding.map(|(_, t, c, using, n)| {
        let term = &tfidf.vocab.display[columns[c]];
        match lang {
            Lang::Ja => format!("「{}」の{n}件中{using}件が「{term}」を使う", theme_names[t]),
            Lang::En => format!("{using} of the {n} “{}” talks use “{term}”", theme_names[t]),
        }
    });
    let heatmap = charts::Heatmap {
        title,
        themes: shown
            .iter()
            .map(|&t| {
                let n = analysis.themes.themes[t].talks.len();
                match lang {
                    Lang::Ja => format!("{}（{n}件）", theme_names[t]),
                    Lang::En if n == 1 => format!("{} (1 talk)", theme_names[t]),
                    Lang::En => format!("{} ({n} talks)", theme_names[t]),
                }
            })
            .collect(),
        colors: shown.clone(),
        keywords: columns
            .iter()
            .map(|&i| tfidf.vocab.display[i].clone())
            .collect(),
        weights: shown.iter().map(|&t| weights[t].clone()).collect(),
    };
    (heatmap, left_out)
}

/// Per event, the talks that have both a start time and a room (with or without a theme).
fn timetable_cells(
    corpus: &Corpus,
    analysis: &Analysis,
) -> Vec<(String, Vec<charts::TimetableCell>)> {
    let mut out: Vec<(String, Vec<charts::TimetableCell>)> = Vec::new();
    for (i, talk) in corpus.talks.iter().enumerate() {
        let (Some(start), Some(room)) = (&talk.start, &talk.room) else {
            continue;
        };
        let cell = charts::TimetableCell {
            start: start.clone(),
            room: room.clone(),
            theme: analysis.clustering.labels[i],
            title: talk.title.clone(),
        };
        match out.iter_mut().find(|(e, _)| *e == talk.event) {
            Some((_, cells)) => cells.push(cell),
            None => out.push((talk.event.clone(), vec![cell])),
        }
    }
    out
}
