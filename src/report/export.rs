//! Machine-readable outputs: the themes JSON (shared by `themes --json` and themes.json) and
//! talks.csv (UTF-8 with BOM so that Excel in Japanese opens it correctly).

use serde::Serialize;

use crate::corpus::Corpus;
use crate::fitted::Analysis;
use crate::lang::Lang;

#[derive(Serialize)]
pub struct ThemesJson<'a> {
    pub k: usize,
    pub themes: Vec<ThemeJson<'a>>,
    pub assignments: Vec<AssignmentJson<'a>>,
    /// What `--edit` renamed, merged, pinned and excluded (docs/curation.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curation: Option<&'a crate::curate::Curation>,
}

#[derive(Serialize)]
pub struct ThemeJson<'a> {
    pub id: usize,
    pub name: &'a str,
    pub taxonomy: Option<&'a str>,
    /// The theme's color in every chart, "#rrggbb" (so organizers can match their slides).
    pub color: String,
    pub size: usize,
    pub keywords: Vec<&'a str>,
    pub representatives: Vec<&'a str>,
    pub talks: Vec<&'a str>,
    /// The theme's 2–4 sub-themes when it has 8 talks or more and they separate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subthemes: Vec<SubThemeJson<'a>>,
}

#[derive(Serialize)]
pub struct SubThemeJson<'a> {
    pub name: &'a str,
    pub keywords: Vec<&'a str>,
    pub talks: Vec<&'a str>,
}

#[derive(Serialize)]
pub struct AssignmentJson<'a> {
    pub talk: &'a str,
    pub title: &'a str,
    pub event: &'a str,
    pub theme: Option<usize>,
    pub similarity: f64,
    pub secondary: &'a [usize],
    /// The terms that contributed most to the theme assignment (`crate::explain`); empty
    /// when the talk has no theme.
    pub explain: Vec<ExplainJson>,
}

#[derive(Serialize)]
pub struct ExplainJson {
    pub term: String,
    pub weight: f64,
}

/// Round for output so float noise in the last bits never changes bytes.
pub fn round4(x: f64) -> f64 {
    if x.is_finite() {
        (x * 10_000.0).round() / 10_000.0
    } else {
        0.0
    }
}

pub fn themes_json<'a>(corpus: &'a Corpus, analysis: &'a Analysis, lang: Lang) -> ThemesJson<'a> {
    let subthemes = analysis.subthemes();
    let themes = analysis
        .themes
        .themes
        .iter()
        .map(|t| ThemeJson {
            subthemes: subthemes
                .get(t.id)
                .into_iter()
                .flatten()
                .map(|s| SubThemeJson {
                    name: s.name.get(lang),
                    keywords: s.keywords.iter().map(|k| k.display.as_str()).collect(),
                    talks: s
                        .talks
                        .iter()
                        .map(|&i| corpus.talks[i].id.as_str())
                        .collect(),
                })
                .collect(),
            id: t.id,
            name: t.name.get(lang),
            taxonomy: t.taxonomy.as_deref(),
            color: super::charts::theme_color(t.id).hex().to_ascii_lowercase(),
            size: t.talks.len(),
            keywords: t.keywords.iter().map(|k| k.display.as_str()).collect(),
            representatives: t
                .representatives
                .iter()
                .map(|&i| corpus.talks[i].id.as_str())
                .collect(),
            talks: t
                .talks
                .iter()
                .map(|&i| corpus.talks[i].id.as_str())
                .collect(),
        })
        .collect();
    let explainer = crate::analysis::explain::Explainer::new(analysis);
    let assignments = analysis
        .themes
        .assignments
        .iter()
        .map(|a| {
            let talk = &corpus.talks[a.talk];
            let explain = explainer
                .explain(analysis, a.talk, crate::analysis::explain::DEFAULT_TOP)
                .into_iter()
                .map(|c| ExplainJson {
                    term: c.display,
                    weight: round4(c.weight),
                })
                .collect();
            AssignmentJson {
                talk: &talk.id,
                title: &talk.title,
                event: &talk.event,
                theme: a.theme,
                similarity: round4(a.similarity),
                secondary: &a.secondary,
                explain,
            }
        })
        .collect();
    ThemesJson {
        k: analysis.clustering.k,
        themes,
        assignments,
        curation: analysis.curation.as_ref(),
    }
}

/// talks.csv: one row per talk with its themes, its categories and its slide / video links,
/// BOM first.
pub fn talks_csv(corpus: &Corpus, analysis: &Analysis, lang: Lang) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Headers in the report's language: organizers open this in a Japanese spreadsheet.
    let header = [
        lang.pick("ID", "id"),
        lang.pick("イベント", "event"),
        lang.pick("タイトル", "title"),
        lang.pick("登壇者", "speakers"),
        lang.pick("開始", "start"),
        lang.pick("部屋", "room"),
        lang.pick("テーマ番号", "theme_id"),
        lang.pick("テーマ", "theme"),
        lang.pick("類似度", "similarity"),
        lang.pick("副テーマ", "secondary_themes"),
        lang.pick("カテゴリ", "categories"),
        lang.pick("リンク", "links"),
    ];
    let _ = writer.write_record(header);
    for a in &analysis.themes.assignments {
        let talk = &corpus.talks[a.talk];
        let theme_name = a
            .theme
            .map(|c| analysis.themes.themes[c].name.get(lang).to_string())
            .unwrap_or_default();
        let secondary: Vec<&str> = a
            .secondary
            .iter()
            .map(|&s| analysis.themes.themes[s].name.get(lang))
            .collect();
        // Every cell from the inputs is neutralised for spreadsheets (see `sanitize::csv_cell`).
        let cells = [
            talk.id.as_str(),
            &talk.event,
            &talk.title,
            &super::model::dedupe_names(&talk.speakers).join(" / "),
            talk.start.as_deref().unwrap_or(""),
            talk.room.as_deref().unwrap_or(""),
            &a.theme.map(|c| (c + 1).to_string()).unwrap_or_default(),
            &theme_name,
            &format!("{:.4}", round4(a.similarity)),
            &secondary.join(" / "),
            // "; ": category names hold slashes ("CI / CD").
            &talk.categories.join("; "),
            &talk.links.join(" "),
        ];
        let _ = writer.write_record(
            cells
                .iter()
                .map(|c| crate::sanitize::csv_cell(c).into_owned()),
        );
    }
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(writer.into_inner().unwrap_or_default());
    bytes
}
