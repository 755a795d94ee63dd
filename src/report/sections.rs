//! The report as one list of sections (anchor, title, paragraphs, tables, charts with
//! captions, notes), built once from the model and the charts drawn. `markdown` and `html`
//! only format this list: every content decision and every sentence is made here, so the
//! two renderings can never disagree, and a section with nothing to say is left out of both
//! (and of their tables of contents).

use super::model::{CodingSection, ComparisonSection, ReportModel, TalkRef, ThemeSection};
use crate::analysis::compare::{NO_TERMS, TERMS_LEGEND, term_with_z};
use crate::lang::Lang;

/// A run of text with one style; renderers escape it for their medium.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Plain(String),
    Strong(String),
    /// Secondary text (event names, reasons).
    Muted(String),
    /// An http(s) link; build with [`Span::link`], which refuses any other scheme.
    Link {
        text: String,
        url: String,
    },
    Break,
}

impl Span {
    pub fn plain(s: impl Into<String>) -> Span {
        Span::Plain(s.into())
    }

    /// A link when `url` is an http(s) URL (normalized and percent-encoded by the `url`
    /// crate), otherwise the address as plain text: a `javascript:` or `file:` address from
    /// an input must never become clickable.
    pub fn link(url: &str) -> Span {
        match url::Url::parse(url.trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
                Span::Link {
                    text: u.host_str().unwrap_or_default().to_string(),
                    url: u.to_string(),
                }
            }
            _ => Span::Plain(url.to_string()),
        }
    }
}

/// Paragraph text: spans in order.
pub type Text = Vec<Span>;

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Right-aligned, never wrapped.
    pub numeric: bool,
}

impl Column {
    fn text(header: &str) -> Column {
        Column {
            header: header.to_string(),
            numeric: false,
        }
    }

    fn number(header: &str) -> Column {
        Column {
            header: header.to_string(),
            numeric: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Text>>,
    /// A last row of totals, drawn like the header.
    pub totals: Option<Vec<Text>>,
    /// Folded away under this summary (long member lists), or always shown when `None`.
    pub folded: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem under `charts/`.
    pub stem: String,
    /// Short name of the chart, for alt text.
    pub alt: String,
    /// What the chart's own title and subtitle do not say.
    pub caption: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Text),
    /// Smaller print: legends, how to read a table.
    Note(Text),
    List {
        ordered: bool,
        items: Vec<Text>,
    },
    Table(Table),
    Figure(Figure),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Anchor, unique in the document.
    pub id: String,
    pub title: String,
    /// The title in the table of contents (a theme without its counts).
    pub toc_title: String,
    /// 2 for a top-level section, 3 for one inside the last top-level section.
    pub level: u8,
    /// Colour swatch before the title (the theme's colour in every chart).
    pub swatch: Option<String>,
    pub blocks: Vec<Block>,
}

impl Section {
    fn new(id: impl Into<String>, title: impl Into<String>, level: u8, blocks: Vec<Block>) -> Self {
        let title = title.into();
        Section {
            id: id.into(),
            toc_title: title.clone(),
            title,
            level,
            swatch: None,
            blocks,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub lang: Lang,
    /// Heading of the table of contents.
    pub contents_title: String,
    /// Label of the link that opens a chart at full size.
    pub open_chart: String,
    /// Label of the link that closes the full-size view.
    pub close_chart: String,
    pub sections: Vec<Section>,
}

/// What a drawn chart shows, so its caption and place in the report can be chosen here.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartKind {
    TalksPerTheme,
    ThemeShareByEvent,
    TalkMap,
    KeywordHeatmap,
    /// One page of an event's timetable (the event with the day and part), with the number of
    /// talks drawn on it; on the last page allowed, how many pages were left out.
    Timetable {
        event: String,
        talks: usize,
        omitted: Option<usize>,
    },
    TermNetwork,
    /// Silhouette by k: the range searched and the k chosen.
    Silhouette {
        range: (usize, usize),
        chosen: usize,
        /// The parsimony tolerance that chose it.
        tolerance: f64,
        /// Themes after `--edit`, when one was applied.
        after_edit: Option<usize>,
    },
    /// Coding rules × events (`report --rules`).
    CodesByEvent,
    /// Two events' theme shares with what the counts support; `among_largest`: only pairs of
    /// this many largest events are drawn.
    PairSlide {
        left: String,
        right: String,
        among_largest: Option<usize>,
    },
    /// Correspondence map of events and themes (or why it is not drawn: `drawn` false).
    Correspondence {
        drawn: bool,
    },
    /// Theme shares across the editions of a series.
    ThemeTrends {
        series: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChartEntry {
    pub stem: String,
    pub kind: ChartKind,
}

/// Talks with a theme share one table layout: the theme lists and nothing else.
fn talk_table(talks: &[TalkRef], summary: String, lang: Lang) -> Table {
    let with_links = talks.iter().any(|t| !t.links.is_empty());
    let mut columns = vec![
        Column::text(lang.pick("タイトル", "Title")),
        Column::text(lang.pick("登壇者", "Speakers")),
        Column::text(lang.pick("イベント", "Event")),
        Column::number(lang.pick("類似度", "Similarity")),
        Column::text(lang.pick("副テーマ", "Also")),
        Column::text(lang.pick("根拠となった語", "Why")),
    ];
    if with_links {
        columns.push(Column::text(lang.pick("スライド", "Slides")));
    }
    let rows = talks
        .iter()
        .map(|r| {
            let mut row = vec![
                vec![Span::plain(&r.title)],
                vec![Span::plain(r.speakers.join(", "))],
                vec![Span::plain(&r.event)],
                vec![Span::plain(format!("{:.3}", r.similarity))],
                vec![Span::plain(r.secondary.join(lang.pick("、", ", ")))],
                vec![Span::Muted(why_terms(&r.why).to_string())],
            ];
            if with_links {
                row.push(links(&r.links));
            }
            row
        })
        .collect();
    Table {
        columns,
        rows,
        totals: None,
        folded: Some(summary),
    }
}

/// Links separated by spaces.
fn links(urls: &[String]) -> Text {
    let mut out = Vec::new();
    for (n, u) in urls.iter().enumerate() {
        if n > 0 {
            out.push(Span::plain(" "));
        }
        out.push(Span::link(u));
    }
    out
}

/// The terms of a 「根拠: a, b」 line without its label, for a table cell.
fn why_terms(why: &str) -> &str {
    why.split_once(':').map_or(why, |(_, terms)| terms.trim())
}

/// 「title — speakers (event) [振り返りあり]」 for lists.
fn talk_line(t: &TalkRef, lang: Lang) -> Text {
    let mut line = vec![Span::Strong(t.title.clone())];
    if !t.speakers.is_empty() {
        line.push(Span::plain(format!(" — {}", t.speakers.join(", "))));
    }
    line.push(Span::Muted(format!(" ({})", t.event)));
    if t.has_recap {
        line.push(Span::Muted(format!(
            " [{}]",
            lang.pick("振り返りあり", "recap")
        )));
    }
    line
}

fn labelled(label: &str, value: String) -> Block {
    Block::Paragraph(vec![
        Span::Strong(label.into()),
        Span::plain(format!(": {value}")),
    ])
}

fn figure(entry: &ChartEntry, model: &ReportModel) -> Figure {
    let lang = model.lang;
    let (alt, caption): (String, String) = match &entry.kind {
        ChartKind::TalksPerTheme => {
            let top = leaders(&model.themes, |t| t.size);
            let caption = match (top.as_slice(), lang) {
                ([], _) => String::new(),
                ([t], Lang::Ja) => format!(
                    "最も多いのは「{}」({}件、全体の{:.1}%)。色は各テーマの見出しの色と同じです。",
                    t.name, t.size, t.share
                ),
                ([t], Lang::En) => format!(
                    "The largest theme is “{}” ({} talks, {:.1}% of all). Each colour is its theme's colour in every chart.",
                    t.name, t.size, t.share
                ),
                (tied, Lang::Ja) => format!(
                    "最も多いのは{}の{}テーマで、各{}件 (それぞれ全体の{:.1}%)。色は各テーマの見出しの色と同じです。",
                    quoted(tied, lang),
                    tied.len(),
                    tied[0].size,
                    tied[0].share
                ),
                (tied, Lang::En) => format!(
                    "{} themes tie as the largest, {} talks each ({:.1}% of all): {}. Each colour is its theme's colour in every chart.",
                    tied.len(),
                    tied[0].size,
                    tied[0].share,
                    quoted(tied, lang)
                ),
            };
            (lang.pick("テーマ別トーク数", "Talks per theme").into(), caption)
        }
        ChartKind::ThemeShareByEvent => {
            let tops: Vec<String> = model
                .events
                .iter()
                .enumerate()
                .filter_map(|(e, (event, _))| {
                    let top = leaders(&model.themes, |t| t.per_event[e].1);
                    let n = top.first()?.per_event[e].1;
                    Some(match (top.len(), lang) {
                        (1, Lang::Ja) => format!("{event}は{}", quoted(&top, lang)),
                        (1, Lang::En) => format!("{event}: {}", quoted(&top, lang)),
                        (_, Lang::Ja) => format!("{event}は{}が各{n}件で同数", quoted(&top, lang)),
                        (_, Lang::En) => format!("{event}: {} tie at {n} talks each", quoted(&top, lang)),
                    })
                })
                .collect();
            let caption = match lang {
                Lang::Ja => format!("各イベントで最も多いテーマ: {}。", tops.join("、")),
                Lang::En => format!("The largest theme of each event: {}.", tops.join("; ")),
            };
            (
                lang.pick("イベント別のテーマ構成比", "Theme share per event").into(),
                caption,
            )
        }
        ChartKind::TalkMap => (
            lang.pick("トークマップ", "Talk map").into(),
            lang.pick(
                "1つの点が1件のトークで、色はそのテーマの色です。テーマごとの円の中では、中心に近いほどそのテーマらしいトークです。HTML版では点にカーソルを合わせるとタイトルとテーマが出ます。",
                "One dot per talk, in its theme's colour. Within a theme's disc, the closer to the centre, the more typical the talk. In the HTML version, hover a dot for its title and theme.",
            )
            .to_string(),
        ),
        ChartKind::KeywordHeatmap => (
            lang.pick("テーマ × キーワード", "Themes × keywords").into(),
            lang.pick(
                "行がテーマ、列が各テーマでほかのテーマより多く使われる語です。数字と色の濃さは、そのテーマのトークのうちその語を使うトークの割合です。",
                "Rows are themes, columns the terms each theme uses more than the others; numbers and shades are the share of the theme's talks using the term.",
            )
            .to_string(),
        ),
        ChartKind::Timetable {
            event,
            talks,
            omitted,
        } => (
            match lang {
                Lang::Ja => format!("タイムテーブル（{event}）"),
                Lang::En => format!("Timetable ({event})"),
            },
            {
                let mut caption = match lang {
                    Lang::Ja => format!(
                        "{event}の、開始時刻と部屋のわかる{talks}件のトークを、テーマの色で塗っています (灰色はテーマなし)。"
                    ),
                    Lang::En => format!(
                        "The {talks} talks of {event} with a start time and a room, each in its theme's colour (grey: no theme)."
                    ),
                };
                if let Some(n) = omitted {
                    caption.push_str(&match lang {
                        Lang::Ja => format!(" ほかの{n}ページは省略しました。すべてのトークは talks.csv にあります。"),
                        Lang::En => format!(" {n} more pages are left out; every talk is in talks.csv."),
                    });
                }
                caption
            },
        ),
        ChartKind::TermNetwork => (
            lang.pick("語の共起ネットワーク", "Term co-occurrence network").into(),
            lang.pick(
                "太い線ほど2つの語が同じトークで使われています。テーマをまたいで使われる語の組み合わせを見るための図です。",
                "The thicker the line, the more often the two terms are used in the same talks: which words travel together across themes.",
            )
            .to_string(),
        ),
        ChartKind::Silhouette {
            range: (lo, hi),
            chosen,
            tolerance,
            after_edit,
        } => (
            lang.pick("クラスタ数ごとのシルエット係数", "Silhouette score by number of clusters").into(),
            {
                let mut caption = match lang {
                    Lang::Ja => format!(
                        "k = {lo}〜{hi} を試し、シルエット係数が最大値から {tolerance:.3} 以内でいちばん小さい k = {chosen} を選びました。高いほどテーマ同士がよく分かれています。"
                    ),
                    Lang::En => format!(
                        "k = {lo}..{hi} were tried and k = {chosen}, the smallest within {tolerance:.3} of the highest silhouette, was chosen; higher means better separated themes."
                    ),
                };
                if model.method.split_off > 0 {
                    let n = model.method.split_off;
                    let total = chosen + n;
                    caption.push_str(&match lang {
                        Lang::Ja => format!("そのあと名前のないテーマから {n} 個を分けたので、テーマは{total}個です。"),
                        Lang::En => format!(" Then {n} more split off a theme without a taxonomy name: {total} themes in all."),
                    });
                }
                if let Some(n) = after_edit {
                    caption.push_str(&match lang {
                        Lang::Ja => format!("編集 (--edit) のあとのテーマは{n}個です。"),
                        Lang::En => format!(" After the edit (--edit) there are {n} themes."),
                    });
                }
                caption
            },
        ),
        ChartKind::CodesByEvent => (
            lang.pick("コード × イベント", "Codes by event").into(),
            codes_caption(model.coding.as_ref(), lang),
        ),
        ChartKind::PairSlide {
            left,
            right,
            among_largest,
        } => {
            let mut caption = match lang {
                Lang::Ja => format!("{left} と {right} のテーマの割合。★ は件数から差があると言えるテーマ、右側に言えることと言えないこと。"),
                Lang::En => format!("Theme shares of {left} and {right}. ★ marks a difference the counts support; on the right, what they do and do not support."),
            };
            if let Some(n) = among_largest {
                caption.push_str(&match lang {
                    Lang::Ja => format!(" 図はトーク数の多い{n}イベントの組だけです。"),
                    Lang::En => format!(" Only pairs of the {n} largest events are drawn."),
                });
            }
            let alt = match lang {
                Lang::Ja => format!("{left} と {right}: 何が違ったか"),
                Lang::En => format!("{left} vs {right}: what differed"),
            };
            (alt, caption)
        }
        ChartKind::Correspondence { drawn } => (
            lang.pick("対応分析: イベントとテーマの近さ", "Correspondence analysis: events and themes").into(),
            if *drawn {
                lang.pick(
                    "対応分析 (イベント × テーマの表)。近くにあるイベントとテーマは結びつきが強い。軸の括弧内はその軸が説明する慣性の割合。",
                    "Correspondence analysis of the event × theme table: events near a theme have more of it. Each axis shows its share of the inertia.",
                )
            } else {
                lang.pick(
                    "対応分析の図は3つ以上のイベントで描きます (理由は図の中)。",
                    "The correspondence map needs three or more events (the chart says why).",
                )
            }
            .into(),
        ),
        ChartKind::ThemeTrends { series } => (
            match lang {
                Lang::Ja => format!("{series} のテーマの推移"),
                Lang::En => format!("{series}: themes across editions"),
            },
            lang.pick(
                "回ごとのテーマの割合。実線はトレンド検定 (Cochran–Armitage、偽発見率 5%) で支持される変化、破線は描くが主張しない変化。",
                "Theme shares per edition. Solid lines: changes a trend test supports (Cochran–Armitage, FDR 5%); dashed: drawn, not claimed.",
            )
            .into(),
        ),
    };
    Figure {
        stem: entry.stem.clone(),
        alt,
        caption,
    }
}

/// The themes with the most talks by `count` (every one of them when tied), in theme order;
/// none when the most is 0.
pub fn leaders(
    themes: &[ThemeSection],
    count: impl Fn(&ThemeSection) -> usize,
) -> Vec<&ThemeSection> {
    let most = themes.iter().map(&count).max().unwrap_or(0);
    if most == 0 {
        return Vec::new();
    }
    themes.iter().filter(|t| count(t) == most).collect()
}

/// Theme names quoted and joined: 「A」「B」 / “A”, “B”.
fn quoted(themes: &[&ThemeSection], lang: Lang) -> String {
    match lang {
        Lang::Ja => themes.iter().map(|t| format!("「{}」", t.name)).collect(),
        Lang::En => themes
            .iter()
            .map(|t| format!("“{}”", t.name))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The title of the talks-per-theme chart: its finding, ties said as ties, with the number of
/// talks.
/// The theme-share chart's title: what the test of the event × theme table found (the
/// strongest supported cell, a difference without a cell to name, or none beyond chance).
pub fn theme_share_title(model: &ReportModel) -> String {
    let lang = model.lang;
    let Some(c) = &model.comparison else {
        return lang
            .pick("イベント別のテーマ構成比", "Theme share per event")
            .to_string();
    };
    match (c.differs, &c.strongest, lang) {
        (Some(true), Some((theme, group)), Lang::Ja) => {
            format!("テーマの構成はイベントで違う：{group} は「{theme}」が多い")
        }
        (Some(true), Some((theme, group)), Lang::En) => {
            format!("The theme mix differs by event: {group} has more “{theme}”")
        }
        (Some(true), None, Lang::Ja) => match c.p_value {
            Some(p) => format!("テーマの構成はイベントによって違う（p={p:.3}）"),
            None => "テーマの構成はイベントによって違う".to_string(),
        },
        (Some(true), None, Lang::En) => match c.p_value {
            Some(p) => format!("The theme mix differs between events (p = {p:.3})"),
            None => "The theme mix differs between events".to_string(),
        },
        (Some(false), _, Lang::Ja) => {
            "イベント間のテーマ構成の違いは、この件数では偶然の範囲".to_string()
        }
        (Some(false), _, Lang::En) => {
            "No difference in theme mix beyond chance at these counts".to_string()
        }
        (None, ..) => lang
            .pick("イベント別のテーマ構成比", "Theme share per event")
            .to_string(),
    }
}

pub fn talks_per_theme_title(model: &ReportModel) -> String {
    let lang = model.lang;
    let top = leaders(&model.themes, |t| t.size);
    let n = model.talks;
    match (top.as_slice(), lang) {
        ([], Lang::Ja) => format!("テーマ別トーク数（全{n}件）"),
        ([], Lang::En) => format!("Talks per theme ({n} talks)"),
        ([t], Lang::Ja) => format!("最も多いテーマは「{}」（{}件／全{n}件）", t.name, t.size),
        ([t], Lang::En) => format!("The largest theme: “{}” ({} of {n} talks)", t.name, t.size),
        (tied, Lang::Ja) if tied.len() <= 3 => format!(
            "{}が各{}件で並んで最多（全{n}件）",
            quoted(tied, lang),
            tied[0].size
        ),
        (tied, Lang::Ja) => format!(
            "{}テーマが各{}件で並んで最多（全{n}件）",
            tied.len(),
            tied[0].size
        ),
        (tied, Lang::En) => format!(
            "{} themes tie as the largest, {} talks each ({n} talks)",
            tied.len(),
            tied[0].size
        ),
    }
}

/// The largest share of one event's talks that one code matched: what the chart's title
/// does not say.
fn codes_caption(c: Option<&CodingSection>, lang: Lang) -> String {
    let all: Vec<(f64, &str, &String)> = c
        .map(|c| {
            c.codes
                .iter()
                .flat_map(|code| {
                    code.counts
                        .iter()
                        .zip(&c.totals)
                        .zip(&c.events)
                        .filter(|((_, t), _)| **t > 0)
                        .map(move |((&n, &t), e)| (n as f64 / t as f64, code.label.as_str(), e))
                })
                .collect()
        })
        .unwrap_or_default();
    let most = all.iter().map(|a| a.0).fold(0.0, f64::max);
    // Every code and event at the largest share: a tie is said as one.
    let best: Vec<String> = all
        .iter()
        .filter(|a| most > 0.0 && (a.0 - most).abs() < 1e-12)
        .map(|(_, code, event)| match lang {
            Lang::Ja => format!("{event}の「{code}」"),
            Lang::En => format!("“{code}” at {event}"),
        })
        .collect();
    match (best.len(), lang) {
        (0, Lang::Ja) => "どのコードにも当てはまるトークはありません。".into(),
        (0, Lang::En) => "No talk matches any code.".into(),
        (1, Lang::Ja) => format!(
            "色が濃いほど、そのイベントのトークに多く当てはまります。最も多いのは{}({:.0}%)。",
            best[0],
            100.0 * most
        ),
        (1, Lang::En) => format!(
            "The darker, the larger the share of the event's talks. Largest: {} ({:.0}%).",
            best[0],
            100.0 * most
        ),
        (n, Lang::Ja) => format!(
            "色が濃いほど、そのイベントのトークに多く当てはまります。最も多いのは{}の{n}つで、各{:.0}%。",
            best.join("と"),
            100.0 * most
        ),
        (n, Lang::En) => format!(
            "The darker, the larger the share of the event's talks. {n} tie as the largest at {:.0}% each: {}.",
            100.0 * most,
            best.join(", ")
        ),
    }
}

/// `report --rules`: codes × events, the chart, then each code's rule, reading and talks.
fn coding_section(c: &CodingSection, model: &ReportModel, charts: &[ChartEntry]) -> Section {
    let lang = model.lang;
    let mut columns = vec![Column::text(lang.pick("コード", "Code"))];
    columns.extend(c.events.iter().map(|e| Column::number(e)));
    columns.push(Column::number(lang.pick("計", "Total")));
    let rows = c
        .codes
        .iter()
        .map(|code| {
            let mut row = vec![vec![Span::plain(&code.label)]];
            row.extend(code.counts.iter().zip(&c.totals).map(|(&n, &t)| {
                vec![Span::plain(format!(
                    "{n} ({:.0}%)",
                    100.0 * n as f64 / t.max(1) as f64
                ))]
            }));
            row.push(vec![Span::plain(code.total.to_string())]);
            row
        })
        .collect();
    let mut blocks = vec![Block::Table(Table {
        columns,
        rows,
        totals: None,
        folded: None,
    })];
    blocks.extend(figures(charts, model, |k| {
        matches!(k, ChartKind::CodesByEvent)
    }));
    for code in &c.codes {
        blocks.push(Block::Paragraph(vec![
            Span::Strong(code.label.clone()),
            Span::plain(format!(
                " ({}: {}): {}",
                lang.pick("ルール", "rule"),
                code.rule,
                code.test
            )),
        ]));
        if !code.talks.is_empty() {
            blocks.push(Block::Table(Table {
                columns: vec![
                    Column::text(lang.pick("タイトル", "Title")),
                    Column::text(lang.pick("イベント", "Event")),
                ],
                rows: code
                    .talks
                    .iter()
                    .map(|(title, event)| vec![vec![Span::plain(title)], vec![Span::plain(event)]])
                    .collect(),
                totals: None,
                folded: Some(match lang {
                    Lang::Ja => format!(
                        "「{}」に当てはまったトーク ({}件)",
                        code.label,
                        code.talks.len()
                    ),
                    Lang::En => format!("Talks matching “{}” ({})", code.label, code.talks.len()),
                }),
            }));
        }
    }
    Section::new("coding", lang.pick("コーディング", "Coding"), 2, blocks)
}

fn figures(
    charts: &[ChartEntry],
    model: &ReportModel,
    keep: impl Fn(&ChartKind) -> bool,
) -> Vec<Block> {
    charts
        .iter()
        .filter(|c| keep(&c.kind))
        .map(|c| Block::Figure(figure(c, model)))
        .collect()
}

fn overview(model: &ReportModel, charts: &[ChartEntry]) -> Section {
    let lang = model.lang;
    let events: Vec<String> = model
        .events
        .iter()
        .map(|(e, n)| format!("{e} ({n} {})", lang.pick("件", "talks")))
        .collect();
    let kinds: Vec<String> = model
        .sections
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let facts = vec![
        vec![Span::plain(format!(
            "{}: {}",
            lang.pick("イベント", "Events"),
            events.join(", ")
        ))],
        vec![Span::plain(format!(
            "{}: {}",
            lang.pick("トーク", "Talks"),
            model.talks
        ))],
        vec![Span::plain(format!(
            "{}: {} ({})",
            lang.pick("セクション", "Sections"),
            model.sections.values().sum::<usize>(),
            kinds.join(", ")
        ))],
        vec![Span::plain(format!(
            "{}: {}",
            lang.pick("テーマ", "Themes"),
            model.themes.len()
        ))],
    ];
    let mut blocks = vec![Block::List {
        ordered: false,
        items: facts,
    }];
    blocks.extend(figures(charts, model, |k| {
        matches!(k, ChartKind::TalksPerTheme | ChartKind::ThemeShareByEvent)
    }));
    Section::new("overview", lang.pick("概要", "Overview"), 2, blocks)
}

fn theme_section(t: &ThemeSection, lang: Lang) -> Section {
    let per_event: Vec<String> = t
        .per_event
        .iter()
        .map(|(e, n)| format!("{e} {n}"))
        .collect();
    let mut blocks = vec![
        labelled(
            lang.pick("キーワード", "Keywords"),
            if t.keywords.is_empty() {
                super::no_keywords(lang).to_string()
            } else {
                t.keywords.join(lang.pick("、", ", "))
            },
        ),
        labelled(lang.pick("イベント別", "By event"), per_event.join(" / ")),
    ];
    if !t.subthemes.is_empty() {
        let parts: Vec<String> = t
            .subthemes
            .iter()
            .map(|(name, n)| match lang {
                Lang::Ja => format!("{name} ({n}件)"),
                Lang::En => format!("{name} ({n})"),
            })
            .collect();
        blocks.push(labelled(
            lang.pick("サブテーマ", "Sub-themes"),
            format!("{} ▸ {}", t.name, parts.join(" / ")),
        ));
    }
    if !t.representatives.is_empty() {
        blocks.push(Block::Paragraph(vec![Span::Strong(
            lang.pick("代表的なトーク", "Representative talks").into(),
        )]));
        blocks.push(Block::List {
            ordered: true,
            items: t
                .representatives
                .iter()
                .map(|r| {
                    let mut line = talk_line(r, lang);
                    if !r.why.is_empty() {
                        line.push(Span::Break);
                        line.push(Span::Muted(r.why.clone()));
                    }
                    line
                })
                .collect(),
        });
    }
    if !t.talks.is_empty() {
        blocks.push(Block::Table(talk_table(
            &t.talks,
            t.talks_summary(lang),
            lang,
        )));
    }
    Section {
        id: format!("theme-{}", t.id + 1),
        title: format!(
            "{}. {} — {} {} ({:.1}%)",
            t.id + 1,
            t.name,
            t.size,
            lang.pick("件", "talks"),
            t.share
        ),
        toc_title: format!("{}. {}", t.id + 1, t.name),
        level: 3,
        swatch: Some(super::charts::theme_color(t.id).hex()),
        blocks,
    }
}

fn comparison_sections(
    c: &ComparisonSection,
    model: &ReportModel,
    charts: &[ChartEntry],
) -> Vec<Section> {
    let lang = model.lang;
    let mut columns = vec![Column::text(lang.pick("テーマ", "Theme"))];
    columns.extend(c.groups.iter().map(|g| Column::number(g)));
    let rows = c
        .rows
        .iter()
        .map(|(name, counts)| {
            let mut row = vec![vec![Span::plain(name)]];
            row.extend(counts.iter().zip(&c.totals).map(|(&n, &t)| {
                vec![Span::plain(format!(
                    "{n} ({:.0}%)",
                    100.0 * n as f64 / t.max(1) as f64
                ))]
            }));
            row
        })
        .collect();
    let mut totals = vec![vec![Span::plain(lang.pick("計", "Total"))]];
    totals.extend(c.totals.iter().map(|t| vec![Span::plain(t.to_string())]));
    let mut blocks = vec![
        Block::Table(Table {
            columns,
            rows,
            totals: Some(totals),
            folded: None,
        }),
        Block::Paragraph(vec![Span::plain(&c.test)]),
    ];
    if !c.flags.is_empty() {
        blocks.push(Block::List {
            ordered: false,
            items: c
                .flags
                .iter()
                .map(|(theme, group, over)| {
                    let dir = if *over {
                        lang.pick("多い", "over-represented")
                    } else {
                        lang.pick("少ない", "under-represented")
                    };
                    vec![Span::plain(format!("{theme} @ {group}: {dir}"))]
                })
                .collect(),
        });
    }
    let mut distinctive = Vec::new();
    if !c.distinctive.is_empty() {
        distinctive.push(Block::Note(vec![Span::plain(
            lang.pick(TERMS_LEGEND.0, TERMS_LEGEND.1),
        )]));
        distinctive.push(Block::List {
            ordered: false,
            items: c
                .distinctive
                .iter()
                .map(|(group, terms)| {
                    let list: Vec<String> = terms
                        .iter()
                        .map(|(t, z, significant)| term_with_z(t, *z, *significant))
                        .collect();
                    let shown = if list.is_empty() {
                        lang.pick(NO_TERMS.0, NO_TERMS.1).to_string()
                    } else {
                        list.join(lang.pick("、", ", "))
                    };
                    vec![
                        Span::Strong(group.clone()),
                        Span::plain(format!(": {shown}")),
                    ]
                })
                .chain((c.distinctive_omitted > 0).then(|| {
                    vec![Span::plain(match lang {
                        Lang::Ja => format!(
                            "ほか{}グループ (発表の多い順に{}グループまで。全グループは compare --json に)",
                            c.distinctive_omitted,
                            crate::analysis::compare::SHOWN_GROUPS
                        ),
                        Lang::En => format!(
                            "{} more groups (the {} largest are listed; compare --json has every group)",
                            c.distinctive_omitted,
                            crate::analysis::compare::SHOWN_GROUPS
                        ),
                    })]
                }))
                .collect(),
        });
    }
    blocks.extend(figures(charts, model, |k| {
        matches!(
            k,
            ChartKind::Correspondence { .. } | ChartKind::ThemeTrends { .. }
        )
    }));
    distinctive.extend(figures(charts, model, |k| {
        matches!(k, ChartKind::PairSlide { .. })
    }));
    vec![
        Section::new(
            "comparison",
            lang.pick("イベントの比較", "Comparing events"),
            2,
            blocks,
        ),
        Section::new(
            "distinctive-terms",
            lang.pick(
                "特徴的な語 (他のグループと比べて)",
                "Distinctive terms (against the other groups)",
            )
            .to_string(),
            3,
            distinctive,
        ),
    ]
}

fn recap_coverage(model: &ReportModel) -> Section {
    let lang = model.lang;
    let any = model
        .recap_coverage
        .iter()
        .any(|(_, _, recaps)| *recaps > 0);
    let blocks = if any {
        vec![Block::Table(Table {
            columns: vec![
                Column::text(lang.pick("テーマ", "Theme")),
                Column::number(lang.pick("トーク", "Talks")),
                Column::number(lang.pick("振り返りあり", "With recap")),
            ],
            rows: model
                .recap_coverage
                .iter()
                .map(|(name, talks, recaps)| {
                    vec![
                        vec![Span::plain(name)],
                        vec![Span::plain(talks.to_string())],
                        vec![Span::plain(recaps.to_string())],
                    ]
                })
                .collect(),
            totals: None,
            folded: None,
        })]
    } else {
        // No recap posts among the inputs: an all-zero table says nothing.
        Vec::new()
    };
    Section::new(
        "recap-coverage",
        lang.pick("振り返り記事のカバー状況", "Recap coverage")
            .to_string(),
        2,
        blocks,
    )
}

/// Top-level sections with neither blocks nor subsections, and empty subsections, are left
/// out: a heading with nothing under it is noise in a deck.
fn prune(sections: Vec<Section>) -> Vec<Section> {
    let mut keep = vec![false; sections.len()];
    for (i, s) in sections.iter().enumerate() {
        keep[i] = !s.blocks.is_empty()
            || (s.level == 2
                && sections[i + 1..]
                    .iter()
                    .take_while(|c| c.level > 2)
                    .any(|c| !c.blocks.is_empty()));
    }
    sections
        .into_iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect()
}

/// The whole report, in display order. `charts` lists the charts drawn (stem and kind).
pub fn build(model: &ReportModel, charts: &[ChartEntry], method_lines: Vec<String>) -> Document {
    let lang = model.lang;
    let mut sections = vec![overview(model, charts)];
    sections.push(Section::new(
        "themes",
        lang.pick("テーマ", "Themes"),
        2,
        Vec::new(),
    ));
    sections.extend(model.themes.iter().map(|t| theme_section(t, lang)));
    if !model.unassigned.is_empty() {
        let items = model
            .unassigned
            .iter()
            .map(|r| talk_line(r, lang))
            .collect();
        sections.push(Section::new(
            "unassigned",
            lang.pick(
                "未分類(ほかのトークと共通の語もタクソノミーの語もないトーク)",
                "Unassigned (no term shared with another talk, none from the taxonomy)",
            ),
            3,
            vec![Block::List {
                ordered: false,
                items,
            }],
        ));
    }
    sections.push(Section::new(
        "theme-maps",
        lang.pick("テーマの見取り図", "How the themes relate")
            .to_string(),
        2,
        figures(charts, model, |k| {
            matches!(
                k,
                ChartKind::TalkMap | ChartKind::KeywordHeatmap | ChartKind::TermNetwork
            )
        }),
    ));
    sections.push(Section::new(
        "timetables",
        lang.pick("タイムテーブル", "Timetables"),
        2,
        figures(charts, model, |k| matches!(k, ChartKind::Timetable { .. })),
    ));
    if let Some(c) = &model.comparison {
        sections.extend(comparison_sections(c, model, charts));
    }
    if let Some(c) = &model.coding {
        sections.push(coding_section(c, model, charts));
    }
    sections.push(recap_coverage(model));
    let mut method = vec![Block::List {
        ordered: false,
        items: method_lines
            .into_iter()
            .map(|l| vec![Span::Plain(l)])
            .collect(),
    }];
    method.extend(figures(charts, model, |k| {
        matches!(k, ChartKind::Silhouette { .. })
    }));
    sections.push(Section::new(
        "method",
        lang.pick("手法", "Method"),
        2,
        method,
    ));
    Document {
        title: model.title.clone(),
        lang,
        contents_title: lang.pick("目次", "Contents").into(),
        open_chart: lang.pick("拡大して見る", "Open full size").into(),
        close_chart: lang.pick("閉じる", "Close").into(),
        sections: prune(sections),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_links_become_links() {
        assert!(matches!(
            Span::link("https://speakerdeck.com/a/b"),
            Span::Link { ref text, .. } if text == "speakerdeck.com"
        ));
        assert_eq!(
            Span::link("javascript:alert(1)"),
            Span::Plain("javascript:alert(1)".into())
        );
        assert_eq!(
            Span::link("file:///etc/passwd"),
            Span::Plain("file:///etc/passwd".into())
        );
    }

    fn section(id: &str, level: u8, blocks: usize) -> Section {
        Section {
            id: id.into(),
            title: id.into(),
            toc_title: id.into(),
            level,
            swatch: None,
            blocks: (0..blocks)
                .map(|_| Block::Paragraph(vec![Span::plain("x")]))
                .collect(),
        }
    }

    #[test]
    fn empty_sections_are_left_out_but_parents_of_content_stay() {
        let kept = prune(vec![
            section("a", 2, 0),
            section("a1", 3, 1),
            section("b", 2, 0),
            section("b1", 3, 0),
            section("c", 2, 1),
        ]);
        let ids: Vec<&str> = kept.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "a1", "c"]);
    }
}
