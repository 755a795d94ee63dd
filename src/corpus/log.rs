//! What ingest did, file by file: reader and encoding assumed, talks read, parts skipped
//! (with reasons), recap links and warnings. Rendered as the `confthemes ingest` summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::model::{Corpus, SectionKind, Talk};
use crate::Lang;

/// Why a part of a file is not talk text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "heading")]
pub enum SkipReason {
    /// Text before the first talk (post intro, page header).
    BeforeFirstTalk,
    /// A part of a recap post that is not about a talk (総括, 懇親会, おわりに...).
    NotATalk(String),
    /// A heading that groups the talks after it ("SREチーム角井さんのおすすめ").
    GroupHeading,
    /// Text after a talk's bullet list, not followed by more of its bullets.
    AfterTalkList,
    /// A form instruction (募集要項…お選びください).
    Boilerplate,
    /// A bare number at the end of a proposal block (reaction count).
    ReactionCount,
    /// Proposal text outside any known section.
    OutsideSection,
    /// A structured row without a title.
    RowWithoutTitle,
    /// A break in the timetable (intermission, lunch), not a talk.
    BreakRow,
    /// A proposal the CfP did not accept (`--accepted-only`).
    NotAccepted,
    /// Garbled text (mojibake): left out of clustering.
    Garbled(String),
}

impl SkipReason {
    pub fn label(&self, lang: Lang) -> String {
        match self {
            SkipReason::BeforeFirstTalk => lang
                .pick(
                    "最初のトークより前(導入部)",
                    "before the first talk (intro)",
                )
                .into(),
            SkipReason::NotATalk(h) => {
                format!("{}: {h}", lang.pick("トーク以外の節", "not a talk"))
            }
            SkipReason::GroupHeading => lang
                .pick("トークをまとめる見出し", "heading grouping talks")
                .into(),
            SkipReason::AfterTalkList => lang
                .pick("トークの箇条書きの後の文", "text after a talk's list")
                .into(),
            SkipReason::Boilerplate => lang.pick("応募フォームの定型文", "form boilerplate").into(),
            SkipReason::ReactionCount => lang
                .pick(
                    "ページのメタデータ(リアクション数)",
                    "page metadata (reaction count)",
                )
                .into(),
            SkipReason::OutsideSection => lang
                .pick("どの節にも属さない文", "text outside any section")
                .into(),
            SkipReason::RowWithoutTitle => {
                lang.pick("タイトルのない行", "row without a title").into()
            }
            SkipReason::Garbled(why) => {
                format!("{}: {why}", lang.pick("文字化け", "garbled text"))
            }
            SkipReason::NotAccepted => lang
                .pick("不採択のプロポーザル", "proposal not accepted")
                .into(),
            SkipReason::BreakRow => lang
                .pick("休憩・幕間の行(トークではない)", "break row (not a talk)")
                .into(),
        }
    }
}

/// One skipped part of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// 1-based inclusive line range.
    pub lines: [usize; 2],
    /// The part's first line, shortened.
    pub excerpt: String,
    #[serde(flatten)]
    pub reason: SkipReason,
}

/// What a reader made of one file: its talks, each with the 1-based line its record starts
/// at, the parts it skipped (with why) and notes for the ingest summary.
#[derive(Debug, Default)]
pub struct FileTalks {
    pub talks: Vec<(Talk, usize)>,
    pub skipped: Vec<Skipped>,
    pub notes: Vec<super::warning::Note>,
}

impl Skipped {
    pub fn new(lines: [usize; 2], first_line: &str, reason: SkipReason) -> Self {
        let t = first_line.trim();
        let excerpt = if t.chars().count() > 40 {
            format!("{}…", t.chars().take(40).collect::<String>())
        } else {
            t.to_string()
        };
        Skipped {
            lines,
            excerpt,
            reason,
        }
    }
}

/// Which reader read a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReaderKind {
    Proposals,
    Recap,
    Csv,
    Json,
    Jsonl,
    /// CloudNative Days talks as the organizer's dreamkast platform exports them.
    Dreamkast,
    /// fortee proposals or timetable API JSON.
    Fortee,
    /// Sessionize "All" JSON.
    Sessionize,
    /// A pasted talk list (numbered/bulleted items with labels, or Markdown headings).
    Pasted,
    /// A web-clipper note (YAML frontmatter) that is one talk's page.
    Clip,
    /// A saved HTML page that is one talk's page (a fortee proposal page).
    Html,
}

impl ReaderKind {
    pub fn name(self) -> &'static str {
        match self {
            ReaderKind::Proposals => "proposals",
            ReaderKind::Recap => "recap",
            ReaderKind::Csv => "csv",
            ReaderKind::Json => "json",
            ReaderKind::Jsonl => "jsonl",
            ReaderKind::Dreamkast => "dreamkast",
            ReaderKind::Fortee => "fortee",
            ReaderKind::Sessionize => "sessionize",
            ReaderKind::Pasted => "pasted",
            ReaderKind::Clip => "clip",
            ReaderKind::Html => "html",
        }
    }
}

/// Where a choice (reader, event) came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Named in corpus.toml.
    Manifest,
    /// Given on the command line (--event).
    Option,
    /// Detected from the file's contents or name.
    Detected,
    /// Taken over from recaps whose talks match (proposal pages naming no event).
    Linked,
    /// From the rows themselves (structured exports).
    Rows,
}

impl Origin {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Origin::Manifest => "corpus.toml",
            Origin::Option => "--event",
            Origin::Detected => lang.pick("自動判定", "detected"),
            Origin::Linked => lang.pick("対応付けから", "from links"),
            Origin::Rows => lang.pick("各行", "rows"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FileLog {
    pub file: String,
    pub reader: ReaderKind,
    pub reader_from: Origin,
    pub encoding: String,
    pub encoding_guessed: bool,
    pub event: Option<String>,
    pub event_from: Option<Origin>,
    /// Talks (or talk parts, for recaps) read from the file.
    pub talks: usize,
    pub sections: usize,
    pub skipped: Vec<Skipped>,
}

/// A recap section attached to a talk from another file.
#[derive(Debug, Clone, Serialize)]
pub struct RecapLink {
    pub event: String,
    pub recap_file: String,
    pub recap_title: String,
    pub talk_id: String,
    pub talk_title: String,
    /// Character-bigram Dice similarity of the normalized titles (1.0: equal).
    pub score: f64,
}

/// A recap section that matched no talk and became a talk of its own.
#[derive(Debug, Clone, Serialize)]
pub struct UnlinkedRecap {
    pub event: String,
    pub recap_file: String,
    pub recap_title: String,
    /// The closest talk title and its score, below the threshold.
    pub closest: Option<(String, f64)>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestLog {
    pub files: Vec<FileLog>,
    pub links: Vec<RecapLink>,
    pub unlinked: Vec<UnlinkedRecap>,
    /// Printed in the UI language; `ingest --json` has each as its English line.
    pub warnings: Vec<super::warning::Warning>,
    /// Decisions worth knowing that are not problems (where event names came from, files
    /// recognised as something other than talks).
    pub notes: Vec<super::warning::Note>,
    /// Per CSV file, the header columns no field reads (the analysing commands name them on
    /// stderr in the UI language, with the --map that would read each).
    pub unread_columns: Vec<(String, Vec<String>)>,
}

impl IngestLog {
    /// The warnings in English (the stable form of `ingest --json`).
    pub fn warnings(&self) -> Vec<String> {
        self.warning_lines(Lang::En)
    }

    /// The notes in English (the stable form).
    pub fn notes(&self) -> Vec<String> {
        self.notes.iter().map(|n| n.text(Lang::En)).collect()
    }

    /// The warnings in `lang`, one line each.
    pub fn warning_lines(&self, lang: Lang) -> Vec<String> {
        self.warnings.iter().map(|w| w.text(lang)).collect()
    }

    /// One line per CSV file with columns no field reads: the columns, and a `--map` that
    /// would read them (the field each name suggests, else `other`, read as text; one
    /// column per field).
    pub fn unread_columns_lines(&self, lang: Lang) -> Vec<String> {
        self.unread_columns
            .iter()
            .filter(|(_, cols)| !cols.is_empty())
            .map(|(file, cols)| {
                let quoted = cols
                    .iter()
                    .map(|c| format!("「{c}」"))
                    .collect::<Vec<_>>()
                    .join("");
                // One column per field: a map names each field once.
                let mut fields: Vec<&str> = Vec::new();
                let map = cols
                    .iter()
                    .filter_map(|c| {
                        let f = super::structured::suggested_field(c);
                        (!fields.contains(&f)).then(|| {
                            fields.push(f);
                            format!("{f}={c}")
                        })
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                match lang {
                    Lang::Ja => format!(
                        "{file}: 列{quoted}は読んでいません。読むには --map \"{map}\" のように項目を指定してください(項目: {})",
                        super::structured::FIELDS.join(", ")
                    ),
                    Lang::En => format!(
                        "{file}: column(s) {} not read; to read them pass e.g. --map \"{map}\" (fields: {})",
                        cols.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", "),
                        super::structured::FIELDS.join(", ")
                    ),
                }
            })
            .collect()
    }

    /// The ingest summary: files, events × talks, sections by kind, recap links, skipped
    /// parts and warnings.
    pub fn summary(&self, corpus: &Corpus, lang: Lang) -> String {
        let mut s = String::new();
        let events: BTreeMap<&str, usize> =
            corpus.talks.iter().fold(BTreeMap::new(), |mut m, t| {
                *m.entry(t.event.as_str()).or_default() += 1;
                m
            });
        let _ = writeln!(
            s,
            "{}",
            match lang {
                Lang::Ja => format!(
                    "{} ファイルから {} 件のトーク({} イベント)を取り込みました",
                    self.files.len(),
                    corpus.talks.len(),
                    events.len()
                ),
                Lang::En => format!(
                    "Ingested {} talks ({} events) from {} files",
                    corpus.talks.len(),
                    events.len(),
                    self.files.len()
                ),
            }
        );
        s.push('\n');
        let head = [
            lang.pick("ファイル", "file"),
            lang.pick("形式", "reader"),
            lang.pick("文字コード", "encoding"),
            lang.pick("イベント", "event"),
            lang.pick("トーク", "talks"),
            lang.pick("節", "sections"),
            lang.pick("スキップ", "skipped"),
        ];
        let rows: Vec<[String; 7]> = self
            .files
            .iter()
            .map(|f| {
                [
                    f.file.clone(),
                    format!("{} ({})", f.reader.name(), f.reader_from.label(lang)),
                    if f.encoding_guessed {
                        format!("{} ({})", f.encoding, lang.pick("推定", "assumed"))
                    } else {
                        f.encoding.clone()
                    },
                    match (&f.event, f.event_from) {
                        (Some(e), Some(o)) => format!("{e} ({})", o.label(lang)),
                        (Some(e), None) => e.clone(),
                        _ => "-".into(),
                    },
                    f.talks.to_string(),
                    f.sections.to_string(),
                    f.skipped.len().to_string(),
                ]
            })
            .collect();
        table(&mut s, &head, &rows);
        s.push('\n');
        let _ = writeln!(s, "{}", lang.pick("イベント別トーク数", "Talks per event"));
        let rows: Vec<[String; 2]> = events
            .iter()
            .map(|(e, n)| [e.to_string(), n.to_string()])
            .collect();
        table(
            &mut s,
            &[lang.pick("イベント", "event"), lang.pick("トーク", "talks")],
            &rows,
        );
        s.push('\n');
        let mut kinds: BTreeMap<SectionKind, usize> = BTreeMap::new();
        for t in &corpus.talks {
            for sec in &t.sections {
                *kinds.entry(sec.kind).or_default() += 1;
            }
        }
        let _ = writeln!(s, "{}", lang.pick("種類別の節の数", "Sections by kind"));
        let rows: Vec<[String; 2]> = kinds
            .iter()
            .map(|(k, n)| {
                [
                    serde_json::to_value(k)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default(),
                    n.to_string(),
                ]
            })
            .collect();
        table(
            &mut s,
            &[lang.pick("種類", "kind"), lang.pick("数", "count")],
            &rows,
        );
        s.push('\n');
        let _ = writeln!(
            s,
            "{} ({})",
            lang.pick("レポート記事とトークの対応付け", "Recaps linked to talks"),
            self.links.len()
        );
        for l in &self.links {
            let sure = if l.score >= 0.999 {
                lang.pick("一致", "exact")
            } else if l.score >= 0.8 {
                lang.pick("ほぼ確実", "very likely")
            } else {
                lang.pick("要確認", "check")
            };
            let _ = writeln!(
                s,
                "  {:.2} [{sure}] {} → {}  ({})",
                l.score, l.recap_title, l.talk_title, l.recap_file
            );
        }
        if !self.unlinked.is_empty() {
            let _ = writeln!(
                s,
                "{} ({})",
                lang.pick(
                    "対応するトークがなく、単独のトークにしたもの",
                    "Recaps with no matching talk, kept as talks"
                ),
                self.unlinked.len()
            );
            for u in &self.unlinked {
                let closest = match &u.closest {
                    Some((t, sc)) => {
                        format!("  [{} {sc:.2}: {t}]", lang.pick("最も近い", "closest"))
                    }
                    None => String::new(),
                };
                let _ = writeln!(s, "  {}  ({}){closest}", u.recap_title, u.recap_file);
            }
        }
        s.push('\n');
        let skipped: usize = self.files.iter().map(|f| f.skipped.len()).sum();
        let _ = writeln!(
            s,
            "{} ({skipped})",
            lang.pick("取り込まなかった部分", "Skipped parts")
        );
        for f in &self.files {
            for p in &f.skipped {
                let lines = if p.lines[0] == p.lines[1] {
                    format!("{}", p.lines[0])
                } else {
                    format!("{}-{}", p.lines[0], p.lines[1])
                };
                let _ = writeln!(
                    s,
                    "  {}:{lines}  {}  「{}」",
                    f.file,
                    p.reason.label(lang),
                    p.excerpt
                );
            }
        }
        if !self.notes.is_empty() {
            s.push('\n');
            let _ = writeln!(s, "{} ({})", lang.pick("メモ", "Notes"), self.notes.len());
            for n in &self.notes {
                let _ = writeln!(s, "  {}", n.text(lang));
            }
        }
        if !self.warnings.is_empty() {
            s.push('\n');
            let _ = writeln!(
                s,
                "{} ({})",
                lang.pick("警告", "Warnings"),
                self.warnings.len()
            );
            for w in &self.warnings {
                let _ = writeln!(s, "  {}", w.text(lang));
            }
        }
        s
    }
}

/// Display width: East Asian wide characters count 2.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x1F300..=0x1FAFF
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

fn table<const N: usize>(s: &mut String, head: &[&str; N], rows: &[[String; N]]) {
    let mut w = [0usize; N];
    for (i, h) in head.iter().enumerate() {
        w[i] = width(h);
    }
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(width(c));
        }
    }
    let line = |s: &mut String, cells: Vec<&str>| {
        s.push_str("  ");
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 < N {
                s.push_str(&" ".repeat(w[i] - width(c) + 2));
            }
        }
        s.push('\n');
    };
    line(s, head.to_vec());
    line(
        s,
        w.iter()
            .map(|&n| "-".repeat(n))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for r in rows {
        line(s, r.iter().map(String::as_str).collect());
    }
}
