//! The report as organizers paste it into a deck or a blog: a table of contents that lists
//! exactly the sections there are, no empty sections, SVG links under `--no-png`, slide
//! links in the talk tables, each speaker named once, talks.csv in the report's language.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (event, title, speakers, links, abstract). Two events, no recap posts.
const TALKS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "SRE NEXT 2024",
        "監視とアラートの設計",
        "kazeburo kazeburo",
        "https://speakerdeck.com/example/alerts",
        "監視 アラート メトリクス ダッシュボード オンコール 監視 アラート",
    ),
    (
        "SRE NEXT 2024",
        "アラート疲れをなくす監視設計",
        "",
        "javascript:alert(1)",
        "アラート 監視 メトリクス ダッシュボード ノイズ 監視",
    ),
    (
        "SRE NEXT 2024",
        "ダッシュボードとメトリクスで見る信頼性",
        "",
        "",
        "メトリクス ダッシュボード 監視 アラート 可視化",
    ),
    (
        "SRE NEXT 2024",
        "コスト最適化とFinOpsの実践",
        "",
        "",
        "コスト FinOps クラウド 削減 予算 コスト",
    ),
    (
        "SRE Kaigi 2025",
        "クラウドコストを下げたFinOpsの一年",
        "",
        "",
        "FinOps コスト クラウド 予算 削減",
    ),
    (
        "SRE Kaigi 2025",
        "予算とコスト配分タグの運用",
        "",
        "",
        "コスト 予算 タグ FinOps クラウド",
    ),
    (
        "SRE Kaigi 2025",
        "新卒研修とオンボーディングの設計",
        "",
        "",
        "研修 新卒 オンボーディング 育成 チーム",
    ),
    (
        "SRE Kaigi 2025",
        "チームの育成と研修文化",
        "",
        "",
        "育成 研修 チーム 文化 新卒 オンボーディング",
    ),
];

fn write_corpus(dir: &Path) -> PathBuf {
    let path = dir.join("talks.jsonl");
    let lines: Vec<String> = TALKS
        .iter()
        .enumerate()
        .map(|(n, (event, title, speakers, links, text))| {
            let mut talk = serde_json::json!({
                "event": event, "title": title, "abstract": text, "links": links,
            });
            if !speakers.is_empty() {
                talk["speakers"] = (*speakers).into();
            }
            // The same person listed twice, as merged sources do.
            if n == 6 {
                talk["speakers"] = serde_json::json!(["山田 花子", "山田 花子"]);
            }
            talk.to_string()
        })
        .collect();
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

/// Run the report into `dir/out` and return the output directory.
fn report(dir: &Path, extra: &[&str]) -> PathBuf {
    let input = write_corpus(dir);
    let out = dir.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .arg("report")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--k", "3", "--quiet", "--force"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap()
}

/// Every value of `key="…"` (or `key=…` up to `end`) in `text`, in order.
fn between<'a>(text: &'a str, start: &str, end: char) -> Vec<&'a str> {
    text.match_indices(start)
        .map(|(i, _)| {
            let rest = &text[i + start.len()..];
            &rest[..rest.find(end).unwrap()]
        })
        .collect()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn no_png_report_links_the_svgs_and_writes_no_png() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &["--no-png"]);
    let md = read(&out, "report.md");
    let html = read(&out, "report.html");
    assert!(!md.contains(".png"), "report.md links a PNG:\n{md}");
    assert!(!html.contains(".png"), "report.html links a PNG");
    assert!(md.contains("](charts/talks_per_theme.svg)"), "{md}");
    // report.html stands alone: charts open full size in the page, not from charts/.
    assert!(html.contains("href=\"#chart-talks_per_theme\""));
    assert!(
        !html.contains("charts/"),
        "report.html refers to the charts folder"
    );
    let pngs: Vec<PathBuf> = files_under(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    assert!(pngs.is_empty(), "{pngs:?}");
    // Every chart the Markdown shows exists beside it.
    for stem in between(&md, "](charts/", ')') {
        assert!(out.join("charts").join(stem).is_file(), "{stem} missing");
    }
}

#[test]
fn table_of_contents_lists_exactly_the_sections_present() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &["--no-png"]);

    let html = read(&out, "report.html");
    let nav = &html[html.find("<nav").expect("a table of contents")..html.find("</nav>").unwrap()];
    let listed = between(nav, "href=\"#", '"');
    let mut headings = between(&html, "<h2 id=\"", '"');
    headings.extend(between(&html, "<h3 id=\"", '"'));
    let mut sorted = headings.clone();
    sorted.sort_by_key(|id| html.find(&format!(" id=\"{id}\"")).unwrap());
    assert!(listed.len() >= 5, "{listed:?}");
    assert_eq!(listed, sorted, "HTML contents vs headings");

    let md = read(&out, "report.md");
    let body = md.find("<a id=").unwrap();
    let listed = between(&md[..body], "](#", ')');
    let anchors = between(&md[body..], "<a id=\"", '"');
    assert_eq!(listed, anchors, "Markdown contents vs anchors");
    // Each anchor sits right before its heading.
    for id in &anchors {
        let at = md.find(&format!("<a id=\"{id}\"></a>\n\n#")).is_some();
        assert!(at, "anchor {id} is not followed by a heading");
    }
    assert_eq!(
        md.matches("\n## ").count() + md.matches("\n### ").count(),
        anchors.len()
    );
}

#[test]
fn no_recap_coverage_section_without_recaps() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &["--no-png"]);
    for file in ["report.md", "report.html"] {
        let text = read(&out, file);
        assert!(!text.contains("振り返り記事のカバー状況"), "{file}");
        assert!(!text.contains("recap-coverage"), "{file}");
        // The sections that have something to say are there.
        assert!(
            text.contains("イベントの比較") && text.contains("手法"),
            "{file}"
        );
    }
}

#[test]
fn slide_links_reach_the_talk_tables_and_only_http_links_are_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &["--no-png"]);
    let md = read(&out, "report.md");
    let row = md
        .lines()
        .find(|l| l.starts_with("| 監視とアラートの設計 |"))
        .expect("the talk's table row");
    assert!(
        row.contains("[speakerdeck.com](https://speakerdeck.com/example/alerts)"),
        "{row}"
    );
    let html = read(&out, "report.html");
    assert!(html.contains("<a href=\"https://speakerdeck.com/example/alerts\""));
    assert!(
        !html.contains("href=\"javascript:"),
        "javascript: became a link"
    );
    assert!(!md.contains("](javascript:"), "javascript: became a link");
}

#[test]
fn speakers_are_named_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &["--no-png"]);
    for file in ["report.md", "report.html", "talks.csv"] {
        let text = read(&out, file);
        assert!(text.contains("kazeburo"), "{file}");
        assert!(!text.contains("kazeburo kazeburo"), "{file}");
        assert!(text.contains("山田 花子"), "{file}");
        assert!(!text.contains("山田 花子, 山田 花子"), "{file}");
        assert!(!text.contains("山田 花子 / 山田 花子"), "{file}");
    }
}

#[test]
fn talks_csv_headers_follow_the_report_language() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &["--no-png"]);
    let csv = read(&out, "talks.csv");
    let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert_eq!(
        header,
        "ID,イベント,タイトル,登壇者,開始,部屋,テーマ番号,テーマ,類似度,副テーマ,カテゴリ,リンク"
    );
    let out = report(tmp.path(), &["--no-png", "--lang", "en"]);
    let csv = read(&out, "talks.csv");
    let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert_eq!(
        header,
        "id,event,title,speakers,start,room,theme_id,theme,similarity,secondary_themes,categories,links"
    );
}

/// (svg title, caption) of every figure in report.html.
fn figures(html: &str) -> Vec<(String, String)> {
    html.split("<figure id=")
        .skip(1)
        .map(|f| {
            let title = between(f, "<title>", '<')[0].to_string();
            let caption = between(f, "<figcaption>", '<')[0].trim().to_string();
            (title, caption)
        })
        .collect()
}

#[test]
fn captions_add_to_the_chart_titles_and_name_events_in_one_order() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &["--no-png"]);
    let html = read(&out, "report.html");
    let figures = figures(&html);
    assert!(figures.len() >= 5, "{figures:?}");
    for (title, caption) in &figures {
        assert!(!caption.is_empty(), "{title}: no caption");
        assert!(!caption.contains(title.as_str()), "caption repeats {title}");
    }
    // Events in corpus order everywhere: the overview, the comparison table, the pair
    // slide's title, its caption and its legend.
    let order = ["SRE NEXT 2024", "SRE Kaigi 2025"];
    let first_before_second =
        |text: &str| text.find(order[0]).unwrap() < text.find(order[1]).unwrap();
    let (title, caption) = figures
        .iter()
        .find(|(t, _)| t.contains(" と ") && t.contains(order[0]) && t.contains(order[1]))
        .expect("a pair slide");
    assert!(first_before_second(title), "{title}");
    assert!(first_before_second(caption), "{caption}");
    let table = &html[html.find("id=\"comparison\"").unwrap()..];
    assert!(first_before_second(table));
    let svg = read(&out, "charts/pair_1.svg");
    assert!(first_before_second(&svg), "legend order");
}

/// report.html mailed alone: no reference to the charts folder, every chart inline and opened
/// full size by a link to its own figure (a CSS-only view at the chart's 1600 px, where no
/// chart text is under 10 px).
#[test]
fn report_html_stands_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &[]);
    let html = read(&out, "report.html");
    assert!(!html.contains("charts/"), "report.html refers to charts/");
    let figures = between(&html, "<figure id=\"chart-", '"');
    assert!(figures.len() >= 4, "{figures:?}");
    for stem in &figures {
        assert!(html.contains(&format!("href=\"#chart-{stem}\"")), "{stem}");
        assert!(out.join("charts").join(format!("{stem}.svg")).is_file());
    }
    assert!(html.contains("figure:target svg{width:1600px"));
    // Chart text is 10 px or more at the chart's own size.
    for size in between(&html, "font-size=\"", '"') {
        let px: f64 = size.parse().unwrap();
        assert!(px >= 10.0, "text of {px} px");
    }
}

#[test]
fn themes_json_gives_each_theme_its_chart_color() {
    let tmp = tempfile::tempdir().unwrap();
    let out = report(tmp.path(), &["--no-png"]);
    let json: serde_json::Value = serde_json::from_str(&read(&out, "themes.json")).unwrap();
    let themes = json["themes"].as_array().unwrap();
    let colors: Vec<&str> = themes
        .iter()
        .map(|t| t["color"].as_str().expect("a color per theme"))
        .collect();
    let svg = read(&out, "charts/talks_per_theme.svg");
    for c in &colors {
        assert!(
            c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|x| x.is_ascii_hexdigit()),
            "{c}"
        );
        assert_ne!(*c, "#c8c8c8", "grey is for talks without a theme");
        assert!(
            svg.contains(&format!("fill=\"{}\"", c.to_uppercase())),
            "{c} not in the chart"
        );
    }
    let mut distinct = colors.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), colors.len());
}

/// Eight talks, titles only, that the taxonomy places as 2 + 2 + 2 + 1 + 1.
const TITLES: &[&str] = &[
    "インシデント対応とポストモーテムの実践",
    "障害対応とインシデントの振り返り",
    "クラウドコスト削減とFinOps",
    "FinOpsで進めるクラウドコストの最適化",
    "OpenTelemetryで始めるオブザーバビリティ",
    "監視とオブザーバビリティの設計",
    "SLOとエラーバジェットの運用",
    "Kubernetesクラスタのアップグレード",
];

fn titles_only_report(dir: &Path) -> PathBuf {
    let input = dir.join("titles.csv");
    let mut csv = String::from("event,title\n");
    for t in TITLES {
        csv.push_str(&format!("SRE NEXT 2024,{t}\n"));
    }
    std::fs::write(&input, csv).unwrap();
    let out = dir.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .arg("report")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--no-png"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

/// Charts with nothing to show are not written, and the method note says so: eight titles
/// made a 2-node network on a whole slide and a heatmap whose largest theme's row was empty.
#[test]
fn an_eight_talk_titles_only_report_writes_no_network_and_no_empty_heatmap_row() {
    let tmp = tempfile::tempdir().unwrap();
    let out = titles_only_report(tmp.path());
    assert!(
        !out.join("charts/term_network.svg").exists(),
        "a network of 8 titles"
    );
    let md = read(&out, "report.md");
    assert!(md.contains("省略した図: 語の共起ネットワーク"), "{md}");
    if let Ok(svg) = std::fs::read_to_string(out.join("charts/keyword_heatmap.svg")) {
        let mut rows: std::collections::BTreeMap<String, f64> = Default::default();
        for tip in between(&svg, "<title>", '<') {
            let Some((theme, rest)) = tip.split_once(" × ") else {
                continue;
            };
            let share: f64 = rest
                .rsplit_once(": ")
                .unwrap()
                .1
                .trim_end_matches('%')
                .parse()
                .unwrap();
            let e = rows.entry(theme.to_string()).or_insert(0.0);
            *e = e.max(share);
        }
        assert!(!rows.is_empty());
        for (theme, best) in rows {
            assert!(best > 0.0, "heatmap row {theme} has no cell");
        }
    }
}

/// Three themes with two talks each are said as a tie, in the caption and the chart title.
#[test]
fn a_three_way_tie_is_reported_as_a_tie() {
    let tmp = tempfile::tempdir().unwrap();
    let out = titles_only_report(tmp.path());
    let json: serde_json::Value = serde_json::from_str(&read(&out, "themes.json")).unwrap();
    let mut sizes: Vec<u64> = json["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["size"].as_u64().unwrap())
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(
        &sizes[..4],
        &[2, 2, 2, 1],
        "the corpus no longer ties: {sizes:?}"
    );
    let md = read(&out, "report.md");
    assert!(md.contains("の3テーマで、各2件"), "{md}");
    assert!(!md.contains("」(2件、全体の"), "one winner named: {md}");
    let svg = read(&out, "charts/talks_per_theme.svg");
    assert!(svg.contains("が各2件で並んで最多"), "chart title");
}

/// The deck charts' titles state what the counts support, and no theme hides under another
/// on the correspondence map (the seeds: two themes there have the same event profile).
#[test]
fn deck_titles_state_the_supported_finding_on_the_seeds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tmp.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .args(["report", "seeds", "--no-png", "--quiet", "--out"])
        .arg(&out)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let compare = Command::new(env!("CARGO_BIN_EXE_confthemes"))
        .args(["compare", "seeds", "--json"])
        .current_dir(root)
        .output()
        .unwrap();
    let c: serde_json::Value = serde_json::from_slice(&compare.stdout).unwrap();
    let title = |stem: &str| {
        between(&read(&out, &format!("charts/{stem}.svg")), "<title>", '<')[0].to_string()
    };

    let share = title("theme_share_by_event");
    match c["test"]["verdict"].as_str().unwrap() {
        "differs" => assert!(share.contains("違う"), "{share}"),
        "no-evidence" => assert!(share.contains("偶然"), "{share}"),
        v => panic!("{v}"),
    }
    for (i, pair) in c["pairs"].as_array().unwrap().iter().enumerate() {
        let t = title(&format!("pair_{}", i + 1));
        let supported = pair["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["supported"] == true);
        assert_eq!(!supported, t.contains("偶然"), "{t}");
    }
    // Every theme dot of the correspondence map at its own place.
    let svg = read(&out, "charts/correspondence.svg");
    let dots: Vec<(String, String)> = svg
        .split("<circle ")
        .skip(1)
        .map(|c| {
            (
                between(c, "cx=\"", '"')[0].to_string(),
                between(c, "cy=\"", '"')[0].to_string(),
            )
        })
        .collect();
    assert!(dots.len() >= 3, "{dots:?}");
    let mut unique = dots.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), dots.len(), "{dots:?}");
    // The theme map's title names two of the report's themes.
    let map = title("talk_map");
    let json: serde_json::Value = serde_json::from_str(&read(&out, "themes.json")).unwrap();
    let named = json["themes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| map.contains(&format!("「{}」", t["name"].as_str().unwrap())))
        .count();
    assert_eq!(named, 2, "{map}");
}
