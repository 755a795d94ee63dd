//! What the loader warns about, as data: the analysing commands print each in the UI
//! language (`--lang`), `ingest --json` keeps the English form as a stable string.

use serde::{Serialize, Serializer};

use crate::lang::Lang;

/// Why a corpus.toml entry is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryProblem {
    Outside,
    Itself,
    TwiceDifferent,
    Twice,
}

/// Where a fixed event name came from, when it overrides the one a file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    Option,
    Manifest,
}

/// One warning of the loader. `file` is the file's display name (with `:line` where known).
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    CannotRead {
        file: String,
        error: String,
    },
    LinkOutside {
        file: String,
        target: String,
    },
    DirectoryAgain {
        file: String,
    },
    NotRegular {
        file: String,
        /// `safe_io::write::describe`'s English name ("a FIFO").
        kind: &'static str,
    },
    UnknownExtension {
        file: String,
    },
    ManifestEntry {
        manifest: String,
        entry: String,
        problem: EntryProblem,
    },
    NotUtf8 {
        file: String,
        encoding: String,
    },
    NoKnownShape {
        file: String,
    },
    NoTalks {
        file: String,
        reader: &'static str,
        /// Sessionize's grouped export, which is not read (its "All" export is).
        sessionize_grouped: bool,
    },
    Capped {
        file: String,
        title: String,
        title_cut: bool,
        text_cut: bool,
    },
    EventConflict {
        file: String,
        line: usize,
        named: String,
        source: EventSource,
        used: String,
    },
    EventReplaced {
        file: String,
        line: usize,
        old: String,
        new: String,
        more: usize,
    },
    EventFromRecaps {
        file: String,
        event: String,
        talks: usize,
    },
    DuplicateTalk {
        file: String,
        title: String,
        event: String,
    },
    RecapTalkTwice {
        file: String,
        title: String,
    },
}

/// The hint for Sessionize's grouped export (also the reason of the "nothing readable" error).
pub fn sessionize_grouped_hint(lang: Lang) -> &'static str {
    lang.pick(
        "Sessionize のグループ別エクスポート(groupId/groupName → sessions)のようです。読めるのは「All」の JSON(sessions, speakers, categories, rooms)なので、そちらを書き出してください",
        "this looks like Sessionize's grouped export (groupId/groupName → sessions): export the \"All\" JSON (sessions, speakers, categories, rooms) instead, which is read",
    )
}

use crate::safe_io::write::kind_ja;

impl Warning {
    /// The warning in `lang`, one line (file names and titles as written).
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Ja => self.japanese(),
        }
    }

    fn english(&self) -> String {
        use Warning::*;
        match self {
            CannotRead { file, error } => format!("{file}: skipped (cannot read: {error})"),
            LinkOutside { file, target } => format!(
                "{file}: skipped (a symbolic link to {target}, outside the input directory)"
            ),
            DirectoryAgain { file } => {
                format!("{file}: skipped (a link to a directory already read)")
            }
            NotRegular { file, kind } => format!("{file}: skipped ({kind}, not a regular file)"),
            UnknownExtension { file } => {
                format!("{file}: skipped (not a .txt/.md/.csv/.tsv/.json/.jsonl/.html file)")
            }
            ManifestEntry {
                manifest,
                entry,
                problem,
            } => {
                let why = match problem {
                    EntryProblem::Outside => "is not inside the directory of corpus.toml",
                    EntryProblem::Itself => "names corpus.toml itself",
                    EntryProblem::TwiceDifferent => {
                        "is listed twice with different settings; the first entry is used"
                    }
                    EntryProblem::Twice => "is listed twice",
                };
                format!("{manifest}: entry '{entry}' {why}; ignored")
            }
            NotUtf8 { file, encoding } => {
                format!("{file}: not UTF-8; read as {encoding} (detected)")
            }
            NoKnownShape { file } => format!(
                "{file}: skipped: no talks found; the readers know {}",
                super::shape::SUPPORTED
            ),
            NoTalks {
                file,
                reader,
                sessionize_grouped,
            } => {
                let hint = if *sessionize_grouped {
                    format!("; {}", sessionize_grouped_hint(Lang::En))
                } else {
                    String::new()
                };
                format!("{file}: no talks found (read as {reader}){hint}")
            }
            Capped {
                file,
                title,
                title_cut,
                text_cut,
            } => {
                let mut said = Vec::new();
                if *title_cut {
                    said.push(format!(
                        "title cut to its first {} characters",
                        super::MAX_TITLE_CHARS
                    ));
                }
                if *text_cut {
                    said.push(format!(
                        "over {0} MiB of text; only its first {0} MiB is read",
                        super::MAX_TALK_TEXT_BYTES >> 20
                    ));
                }
                format!("{file}: talk '{title}': {}", said.join("; "))
            }
            EventConflict {
                file,
                line,
                named,
                source,
                used,
            } => format!(
                "{file}: line {line} names {named}, but {} says {used}; using {used}",
                match source {
                    EventSource::Option => "--event",
                    EventSource::Manifest => "corpus.toml",
                }
            ),
            EventReplaced {
                file,
                line,
                old,
                new,
                more,
            } => {
                let more = if *more > 0 {
                    format!(" (and {more} more rows)")
                } else {
                    String::new()
                };
                format!("{file}: line {line}: event '{old}' replaced by '{new}'{more}")
            }
            EventFromRecaps { file, event, talks } => format!(
                "{file}: names no event; took {event} from {talks} recap talk(s) of that event matching its titles"
            ),
            DuplicateTalk { file, title, event } => {
                format!("{file}: duplicate talk '{title}' ({event}); merged")
            }
            RecapTalkTwice { file, title } => {
                format!("{file}: talk '{title}' appears twice; merged")
            }
        }
    }

    fn japanese(&self) -> String {
        use Warning::*;
        match self {
            CannotRead { file, error } => {
                format!("{file}: 読めないため飛ばしました({error})")
            }
            LinkOutside { file, target } => format!(
                "{file}: 入力ディレクトリの外({target})を指すシンボリックリンクなので飛ばしました"
            ),
            DirectoryAgain { file } => {
                format!("{file}: 読み込み済みのディレクトリへのリンクなので飛ばしました")
            }
            NotRegular { file, kind } => format!(
                "{file}: 通常のファイルではない({})ので飛ばしました",
                kind_ja(kind)
            ),
            UnknownExtension { file } => format!(
                "{file}: .txt/.md/.csv/.tsv/.json/.jsonl/.html 以外のファイルなので飛ばしました"
            ),
            ManifestEntry {
                manifest,
                entry,
                problem,
            } => {
                let why = match problem {
                    EntryProblem::Outside => "corpus.toml のディレクトリの外を指しています",
                    EntryProblem::Itself => "corpus.toml 自身を指しています",
                    EntryProblem::TwiceDifferent => {
                        "異なる設定で2回書かれています(最初の項目を使います)"
                    }
                    EntryProblem::Twice => "2回書かれています",
                };
                format!("{manifest}: 項目「{entry}」は{why}。この項目は無視しました")
            }
            NotUtf8 { file, encoding } => {
                format!("{file}: UTF-8 ではないため {encoding} として読みました(自動判定)")
            }
            NoKnownShape { file } => format!(
                "{file}: 発表が見つからないため飛ばしました(読める形式: 採択ページ、参加レポート、タイトル列のある CSV、JSON/JSONL、dreamkast・fortee・Sessionize のエクスポート、貼り付けた発表一覧やタイムテーブル、Web クリッパーのノート、保存した HTML ページ)"
            ),
            NoTalks {
                file,
                reader,
                sessionize_grouped,
            } => {
                let hint = if *sessionize_grouped {
                    format!("。{}", sessionize_grouped_hint(Lang::Ja))
                } else {
                    String::new()
                };
                format!("{file}: 発表が見つかりませんでした({reader} として読みました){hint}")
            }
            Capped {
                file,
                title,
                title_cut,
                text_cut,
            } => {
                let mut said = Vec::new();
                if *title_cut {
                    said.push(format!(
                        "タイトルを先頭 {} 文字に切りました",
                        super::MAX_TITLE_CHARS
                    ));
                }
                if *text_cut {
                    said.push(format!(
                        "本文が {0} MiB を超えるため先頭 {0} MiB だけを読みました",
                        super::MAX_TALK_TEXT_BYTES >> 20
                    ));
                }
                format!("{file}: 発表「{title}」: {}", said.join("。"))
            }
            EventConflict {
                file,
                line,
                named,
                source,
                used,
            } => format!(
                "{file}: {line} 行目は {named} と書いていますが、{} の指定 {used} を使います",
                match source {
                    EventSource::Option => "--event",
                    EventSource::Manifest => "corpus.toml",
                }
            ),
            EventReplaced {
                file,
                line,
                old,
                new,
                more,
            } => {
                let more = if *more > 0 {
                    format!("(ほか {more} 行も同様)")
                } else {
                    String::new()
                };
                format!("{file}: {line} 行目: イベント「{old}」を「{new}」に置き換えました{more}")
            }
            EventFromRecaps { file, event, talks } => format!(
                "{file}: イベント名が書かれていないため、タイトルが一致した参加レポートの発表 {talks} 件から {event} としました"
            ),
            DuplicateTalk { file, title, event } => {
                format!("{file}: 発表「{title}」({event})が重複しているため1件にまとめました")
            }
            RecapTalkTwice { file, title } => {
                format!("{file}: 発表「{title}」が2回出てくるため1件にまとめました")
            }
        }
    }
}

/// `ingest --json` keeps the English line (a stable form for scripts).
impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english())
    }
}

/// Where a pasted list's event name came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PastedEventFrom {
    Line(usize),
    Heading,
    FileName,
}

/// A decision of the loader worth knowing that is not a problem (the `ingest` summary's
/// notes), in the UI language like the warnings; serialized as its English line.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    HtmlPage {
        file: String,
        /// "readability" (the main content) or the element read ("body", "main", …).
        from: String,
        lines: usize,
    },
    /// A saved fortee timetable page read as its grid (times from the cells' places).
    ForteeGrid {
        file: String,
        talks: usize,
        breaks: usize,
    },
    DreamkastEventsFile {
        file: String,
    },
    Garbled {
        file: String,
        parts: usize,
    },
    Delimiter {
        file: String,
        /// "tab" or "semicolon".
        name: &'static str,
    },
    ColumnsNotRead {
        file: String,
        columns: Vec<String>,
    },
    SessionizeNoEvent {
        file: String,
        stem: String,
    },
    ForteeEventFromUrl {
        file: String,
        event: String,
        url: String,
    },
    ForteeNoUrl {
        file: String,
        event: String,
    },
    ForteeNotAccepted {
        file: String,
        proposals: usize,
    },
    DreamkastConference {
        file: String,
        id: String,
        event: String,
        from: String,
    },
    DreamkastNoEvent {
        file: String,
        id: String,
        stem: String,
    },
    PastedEvent {
        file: String,
        event: String,
        from: PastedEventFrom,
    },
}

impl Note {
    /// The note in `lang`, one line.
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Ja => self.japanese(),
        }
    }

    fn english(&self) -> String {
        use Note::*;
        match self {
            HtmlPage { file, from, lines } => format!(
                "{file}: HTML page; read the text of its {} ({lines} lines; navigation, scripts and styles left out; line numbers are of that text)",
                if from == "readability" {
                    "main content (readability)".to_string()
                } else {
                    format!("<{from}>")
                }
            ),
            ForteeGrid {
                file,
                talks,
                breaks,
            } => format!(
                "{file}: fortee timetable page; read its grid: {talks} talk(s), {breaks} break(s) left out (start times from the cells' places, rooms from the track headers)"
            ),
            DreamkastEventsFile { file } => format!(
                "{file}: a dreamkast events file (names the events of the talks files); not talks, skipped"
            ),
            Garbled { file, parts } => {
                format!("{file}: {parts} garbled part(s) (mojibake) left out of the corpus")
            }
            Delimiter { file, name } => {
                format!("{file}: {name}-separated (delimiter detected from the header)")
            }
            ColumnsNotRead { file, columns } => format!(
                "{file}: columns not read: {} (name one with --map field=column; fields: {})",
                columns.join(", "),
                super::structured::FIELDS.join(", ")
            ),
            SessionizeNoEvent { file, stem } => format!(
                "{file}: a Sessionize export names no event; named after the file: {stem} (--event or corpus.toml to name it)"
            ),
            ForteeEventFromUrl { file, event, url } => {
                format!("{file}: event {event} (from the fortee URL {url})")
            }
            ForteeNoUrl { file, event } => {
                format!("{file}: no fortee URL names the event; named after the file: {event}")
            }
            ForteeNotAccepted { file, proposals } => format!(
                "{file}: {proposals} proposal(s) not accepted, kept and marked accepted: false (--accepted-only drops them)"
            ),
            DreamkastConference {
                file,
                id,
                event,
                from,
            } => format!("{file}: conferenceId {id} is {event} (from {from})"),
            DreamkastNoEvent { file, id, stem } => format!(
                "{file}: conferenceId {id}: no events file or known event; named after the file: {stem}"
            ),
            PastedEvent { file, event, from } => {
                let why = match from {
                    PastedEventFrom::Line(line) => format!("named on line {line}"),
                    PastedEventFrom::Heading => "the list's heading".to_string(),
                    PastedEventFrom::FileName => "named after the file".to_string(),
                };
                format!("{file}: event {event} ({why}; --event or corpus.toml to name it)")
            }
        }
    }

    fn japanese(&self) -> String {
        use Note::*;
        match self {
            HtmlPage { file, from, lines } => format!(
                "{file}: HTML ページです。{}のテキスト({lines} 行)を読みました(ナビゲーション・スクリプト・スタイルは除外。行番号はこのテキストのもの)",
                if from == "readability" {
                    "本文(readability)".to_string()
                } else {
                    format!("<{from}> 要素")
                }
            ),
            ForteeGrid {
                file,
                talks,
                breaks,
            } => format!(
                "{file}: fortee のタイムテーブルページです。表から発表 {talks} 件を読み、休憩など {breaks} 件は除きました(開始時刻は枠の位置から、ルームはトラックの見出しから)"
            ),
            DreamkastEventsFile { file } => format!(
                "{file}: dreamkast のイベント一覧(発表ファイルのイベント名に使います)です。発表ではないので飛ばしました"
            ),
            Garbled { file, parts } => {
                format!("{file}: 文字化け(mojibake)の {parts} 件をコーパスから除きました")
            }
            Delimiter { file, name } => format!(
                "{file}: {}区切りです(見出し行から判定)",
                if *name == "tab" {
                    "タブ"
                } else {
                    "セミコロン"
                }
            ),
            ColumnsNotRead { file, columns } => format!(
                "{file}: 読んでいない列: {}(--map 項目=列 で指定できます。項目: {})",
                columns
                    .iter()
                    .map(|c| format!("「{c}」"))
                    .collect::<String>(),
                super::structured::FIELDS.join(", ")
            ),
            SessionizeNoEvent { file, stem } => format!(
                "{file}: Sessionize のエクスポートにはイベント名がないため、ファイル名から {stem} としました(--event か corpus.toml で指定できます)"
            ),
            ForteeEventFromUrl { file, event, url } => {
                format!("{file}: イベント {event}(fortee の URL {url} から)")
            }
            ForteeNoUrl { file, event } => format!(
                "{file}: イベント名を示す fortee の URL がないため、ファイル名から {event} としました"
            ),
            ForteeNotAccepted { file, proposals } => format!(
                "{file}: 不採択のプロポーザル {proposals} 件は accepted: false として残しました(--accepted-only で除外できます)"
            ),
            DreamkastConference {
                file,
                id,
                event,
                from,
            } => format!("{file}: conferenceId {id} は {event} です({from} より)"),
            DreamkastNoEvent { file, id, stem } => format!(
                "{file}: conferenceId {id}: イベント一覧にも既知のイベントにもないため、ファイル名から {stem} としました"
            ),
            PastedEvent { file, event, from } => {
                let why = match from {
                    PastedEventFrom::Line(line) => format!("{line} 行目の記載から"),
                    PastedEventFrom::Heading => "一覧の見出しから".to_string(),
                    PastedEventFrom::FileName => "ファイル名から".to_string(),
                };
                format!("{file}: イベント {event}({why}。--event か corpus.toml で指定できます)")
            }
        }
    }
}

/// Serialized as its English line, as the warnings are.
impl Serialize for Note {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english())
    }
}
