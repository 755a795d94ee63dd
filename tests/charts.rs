//! The report's charts on whole corpora: they stay bounded for many events and show what
//! their captions claim.

use std::path::Path;
use std::process::Command;

fn report(input: &Path, out: &Path, extra: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .arg("report")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--quiet", "--no-png"])
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn chart_files(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// 500 events of 4 talks, each with its own timetable: one chart per pair of events made
/// 124,631 chart files and a 602 MiB report.html. The output must grow linearly with the
/// number of events.
#[test]
fn five_hundred_events_give_a_bounded_report() {
    const TOPICS: [&[&str]; 5] = [
        &[
            "監視",
            "アラート",
            "メトリクス",
            "ダッシュボード",
            "オンコール",
        ],
        &["コスト", "FinOps", "予算", "削減", "クラウド"],
        &["研修", "新卒", "育成", "オンボーディング", "チーム"],
        &["Kubernetes", "コンテナ", "クラスタ", "Helm", "Pod"],
        &["障害", "ポストモーテム", "インシデント", "復旧", "振り返り"],
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talks.jsonl");
    let mut lines = Vec::new();
    for e in 0..500 {
        for t in 0..4 {
            let topic = TOPICS[(e + t) % TOPICS.len()];
            let words: Vec<&str> = (0..8).map(|j| topic[(e * 7 + t * 3 + j) % 5]).collect();
            lines.push(
                serde_json::json!({
                    "event": format!("Meetup {e:03}"),
                    "title": format!("{}と{}の話 {e}-{t}", words[0], words[1]),
                    "abstract": words.join(" "),
                    "start": format!("2025-06-{:02} {}:00", 1 + e % 28, 10 + t),
                    "room": format!("Room {}", t % 2),
                })
                .to_string(),
            );
        }
    }
    std::fs::write(&path, lines.join("\n")).unwrap();
    let out = dir.path().join("report");
    report(&path, &out, &["--k", "5"]);
    let svgs: Vec<String> = chart_files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".svg"))
        .collect();
    // With PNGs (the default) every chart is two files: at most 60 chart files.
    assert!(svgs.len() <= 30, "{} charts: {svgs:?}", svgs.len());
    let pairs = svgs.iter().filter(|f| f.starts_with("pair_")).count();
    assert!(pairs <= 6, "{pairs} pair charts");
    let timetables = svgs.iter().filter(|f| f.starts_with("timetable")).count();
    assert!(timetables >= 1, "the timetables are capped, not dropped");
    let html = std::fs::metadata(out.join("report.html")).unwrap().len();
    assert!(html <= 10 << 20, "report.html is {html} bytes");
}

/// The report on the bundled seeds, generated once for the tests below.
fn seeds_report() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        report(&seeds, &dir.path().join("report"), &[]);
        dir
    })
    .path()
}

fn chart(name: &str) -> String {
    std::fs::read_to_string(seeds_report().join("report/charts").join(name)).unwrap()
}

/// The value of attribute `name` in an element's start tag.
fn attr(tag: &str, name: &str) -> Option<f64> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    tag[start..].split('"').next()?.parse().ok()
}

/// Dots of the talk map: (x, y, theme name from the tooltip "title\nevent / theme").
fn map_dots(svg: &str) -> Vec<(f64, f64, String)> {
    svg.split("<circle")
        .skip(1)
        .filter_map(|c| {
            let tag = c.split('>').next()?;
            let tip = c.split("<title>").nth(1)?.split("</title>").next()?;
            // A talk's tooltip is "title\nevent / theme"; a theme's disc has no line break.
            if !tip.contains('\n') {
                return None;
            }
            let theme = tip.rsplit(" / ").next()?.to_string();
            Some((attr(tag, "cx")?, attr(tag, "cy")?, theme))
        })
        .collect()
}

/// 「点が近いトークほど似ています」: on the seeds map, every theme's talks are closer to each
/// other than to the talks of the nearest other theme (2-D silhouette > 0, which the PCA map
/// met for 6 of 9 themes), and closer than to the other themes' talks overall.
#[test]
fn talk_map_keeps_each_theme_together() {
    let dots = map_dots(&chart("talk_map.svg"));
    assert!(dots.len() >= 30, "{} dots", dots.len());
    let mut themes: Vec<&str> = dots.iter().map(|d| d.2.as_str()).collect();
    themes.sort();
    themes.dedup();
    assert!(themes.len() >= 3, "{themes:?}");
    let dist = |a: &(f64, f64, String), b: &(f64, f64, String)| (a.0 - b.0).hypot(a.1 - b.1);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let of = |t: &str| dots.iter().filter(|d| d.2 == t).collect::<Vec<_>>();
    for &t in &themes {
        let own = of(t);
        if own.len() < 2 {
            continue;
        }
        let mut silhouettes = Vec::new();
        let (mut within, mut between) = (Vec::new(), Vec::new());
        for (i, p) in own.iter().enumerate() {
            let a: Vec<f64> = own
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, q)| dist(p, q))
                .collect();
            let b = themes
                .iter()
                .filter(|&&u| u != t)
                .map(|&u| mean(&of(u).iter().map(|q| dist(p, q)).collect::<Vec<_>>()))
                .fold(f64::INFINITY, f64::min);
            let a_mean = mean(&a);
            silhouettes.push((b - a_mean) / a_mean.max(b));
            within.extend(a);
            between.extend(dots.iter().filter(|d| d.2 != t).map(|q| dist(p, q)));
        }
        let s = mean(&silhouettes);
        assert!(s > 0.0, "{t}: 2-D silhouette {s:.2}");
        assert!(
            mean(&within) < mean(&between),
            "{t}: within {:.0} px, between {:.0} px",
            mean(&within),
            mean(&between)
        );
    }
}

/// Every row of the heatmap has its own strong cell: a term used by at least half of the
/// theme's talks (c-TF-IDF shaded against the largest weight left most rows pale).
#[test]
fn heatmap_rows_each_have_a_strong_cell() {
    let svg = chart("keyword_heatmap.svg");
    let mut best: std::collections::BTreeMap<String, f64> = Default::default();
    for tip in svg.split("<title>").skip(1) {
        let tip = tip.split("</title>").next().unwrap();
        // Cells' tooltips are "theme × keyword: 40%" (the chart's own title has no ": ").
        let Some((theme, rest)) = tip.split_once(" × ") else {
            continue;
        };
        let Some((_, value)) = rest.rsplit_once(": ") else {
            continue;
        };
        let share: f64 = Some(value)
            .and_then(|v| v.strip_suffix('%'))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("not a share: {tip}"));
        let e = best.entry(theme.to_string()).or_insert(0.0);
        *e = e.max(share);
    }
    assert!(best.len() >= 3, "{best:?}");
    for (theme, share) in &best {
        assert!(*share >= 50.0, "{theme}: strongest cell {share}%");
    }
}

/// The heatmap's columns are the report's keywords where they qualify: the chart says what
/// the theme's keyword list says, not the everyday words its talks happen to share (the seeds'
/// columns had 体験 and 知識, which no keyword list holds).
#[test]
fn heatmap_columns_are_the_themes_keywords() {
    let svg = chart("keyword_heatmap.svg");
    let md = std::fs::read_to_string(seeds_report().join("report/report.md")).unwrap();
    let keywords: std::collections::BTreeSet<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("**キーワード**: "))
        .flat_map(|l| l.split('、'))
        .collect();
    assert!(keywords.len() >= 10, "{keywords:?}");
    let columns: std::collections::BTreeSet<String> = svg
        .split("<title>")
        .skip(1)
        .filter_map(|tip| {
            let tip = tip.split("</title>").next()?;
            let (_, rest) = tip.split_once(" × ")?;
            Some(rest.rsplit_once(": ")?.0.to_string())
        })
        .collect();
    assert!(columns.len() >= 7, "{columns:?}");
    for column in &columns {
        assert!(
            keywords.contains(column.as_str()),
            "column {column} is in no keyword list"
        );
    }
}

/// The silhouette chart says what the score means (negative = closer to another theme,
/// low for short texts) and labels both ends of the searched k range of the method note.
#[test]
fn silhouette_chart_explains_itself_and_covers_the_searched_range() {
    let svg = chart("silhouette.svg");
    assert!(svg.contains("負の値"), "no explanation");
    assert!(svg.contains("短い文章"), "no word on short texts");
    let md = std::fs::read_to_string(seeds_report().join("report/report.md")).unwrap();
    let (lo, hi) = md
        .split("k = ")
        .find_map(|s| {
            let (lo, rest) = s.split_once('〜')?;
            let hi = rest.split(|c: char| !c.is_ascii_digit()).next()?;
            Some((lo.parse::<usize>().ok()?, hi.parse::<usize>().ok()?))
        })
        .expect("the method note names the searched range");
    for k in [lo, hi] {
        assert!(
            svg.contains(&format!(">{k}</text>")),
            "k = {k} is not on the axis"
        );
    }
}

/// The report's term network on the seeds has no genre-word hubs: every term linked to three
/// or more others is specific to some themes (the PCA-era network's hubs were 改善, 役割,
/// 運用, 提供 with specificity 0.03–0.14), and it still links terms.
#[test]
fn term_network_has_no_low_specificity_hub() {
    use confthemes::corpus::{self, LoadOptions};
    use confthemes::fitted::AnalysisParams;
    use confthemes::pipeline;
    use confthemes::report::network_chart::{MIN_SPECIFICITY, term_network};
    use confthemes::themes::{self, Taxonomy};
    use confthemes::tokenize::Tokenizer;

    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let loaded = corpus::load(&[seeds], &LoadOptions::default()).unwrap();
    let taxonomy = Taxonomy::default_sre();
    let params = AnalysisParams {
        guided: true,
        ..Default::default()
    };
    let tokenizer = Tokenizer::with_params(&Default::default()).unwrap();
    let a = pipeline::analyze(&loaded.corpus, &tokenizer, &taxonomy, &params).unwrap();
    // As the chart reads it: a piece of a longer name counts only where used on its own.
    let specificity = themes::ShareContrast::new(
        &a.tfidf.counts,
        &a.tfidf.pieces,
        &a.clustering.labels,
        a.clustering.k,
        a.tfidf.vocab.len(),
    )
    .specificity();
    let (net, _) = term_network(&a).unwrap();
    assert!(net.edges.len() >= 10, "{} edges", net.edges.len());
    let mut degree = vec![0usize; net.nodes.len()];
    for e in &net.edges {
        degree[e.a] += 1;
        degree[e.b] += 1;
    }
    for (n, &d) in net.nodes.iter().zip(&degree) {
        if d < 3 {
            continue;
        }
        let s = a
            .tfidf
            .vocab
            .get(&n.key)
            .map(|i| specificity[i as usize])
            .unwrap_or(0.0);
        assert!(
            s >= MIN_SPECIFICITY,
            "hub {} (degree {d}) has specificity {s:.2}",
            n.display
        );
    }
}

/// The k in the method note (「k = 8 (…」).
fn method_k(md: &str) -> usize {
    let line = md
        .lines()
        .find(|l| l.starts_with("- k = "))
        .expect("the method note's k line");
    line["- k = ".len()..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The k the silhouette chart marks (「採用 k = 8」).
fn marked_k(svg: &str) -> usize {
    let at = svg.find("採用 k = ").expect("a chosen k") + "採用 k = ".len();
    svg[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The silhouette chart marks the k the method note names, with and without `--edit`: after
/// a merge it marked the number of themes after the edit (8) while the note said 9. It is a
/// method diagnostic: shown in the method section, not among the deck's charts.
#[test]
fn silhouette_k_is_the_method_notes_with_and_without_edit() {
    let md = std::fs::read_to_string(seeds_report().join("report/report.md")).unwrap();
    let k = method_k(&md);
    assert_eq!(marked_k(&chart("silhouette.svg")), k);
    let method = md.find("<a id=\"method\">").expect("a method section");
    assert!(
        md.find("silhouette.").unwrap() > method,
        "silhouette outside the method section"
    );

    let dir = tempfile::tempdir().unwrap();
    let edit = dir.path().join("edit.toml");
    std::fs::write(
        &edit,
        "[[merge]]\nthemes = [\"slo\", \"observability\"]\nname = \"SLOと監視\"\n",
    )
    .unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let out = dir.path().join("edited");
    report(&seeds, &out, &["--edit", edit.to_str().unwrap()]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let svg = std::fs::read_to_string(out.join("charts/silhouette.svg")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("themes.json")).unwrap()).unwrap();
    let themes = json["themes"].as_array().unwrap().len();
    assert_eq!(method_k(&md), k, "the edit does not change the k found");
    assert_eq!(marked_k(&svg), k);
    assert_eq!(themes, k - 1, "the merge made one theme of two");
}
