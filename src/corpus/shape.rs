//! Which reader a file's content calls for, from its shape (the extension is only a hint):
//! JSON exports of organizer platforms are told apart by the keys their objects carry.

use serde_json::Value;

use super::log::ReaderKind;
use super::{dreamkast, fortee, sessionize};

/// What a file's content is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Talks, for this reader.
    Talks(ReaderKind),
    /// A dreamkast events file (event names for talks files): not talks.
    DreamkastEvents,
}

/// The shape of `text` when it is JSON of a known organizer export, else `None` (the caller
/// falls back on the extension and the text readers).
pub fn detect_json(text: &str) -> Option<Shape> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if !(t.starts_with('[') || t.starts_with('{')) {
        return None;
    }
    let v: Value = serde_json::from_str(t).ok()?;
    if dreamkast::looks_like(&v) {
        return Some(Shape::Talks(ReaderKind::Dreamkast));
    }
    if dreamkast::looks_like_events(&v) {
        return Some(Shape::DreamkastEvents);
    }
    if fortee::detect(&v).is_some() {
        return Some(Shape::Talks(ReaderKind::Fortee));
    }
    if sessionize::looks_like(&v) {
        return Some(Shape::Talks(ReaderKind::Sessionize));
    }
    None
}

/// `SUPPORTED` in Japanese.
pub const SUPPORTED_JA: &str = "採択ページ(採択 + 日付の行)、参加レポート(発表の見出し + 箇条書き)、タイトル列のある CSV、JSON/JSONL の発表一覧、CloudNative Days の dreamkast JSON、fortee のプロポーザル・タイムテーブル JSON、Sessionize の「All」JSON、貼り付けた発表一覧(「1. タイトル」+ 登壇者:/概要:/時間: の行、「## タイトル」+ 段落の Markdown、「13:00〜13:30」/ タイトル / 「名前（所属）」のタイムテーブル、タイトル列のある Markdown やタブ区切りの表、1行に1タイトルや「1. タイトル」の一覧)、Web クリッパーのノート(title のある YAML フロントマター)、保存した HTML ページ";

/// The readers auto-detection knows, for the error about a file it cannot read.
pub const SUPPORTED: &str = "proposal pages (採択 + date lines), recap posts (talk headings + bullets), \
CSV with a title column, JSON/JSONL talk arrays, CloudNative Days dreamkast talks JSON, \
fortee proposals/timetable JSON, Sessionize \"All\" JSON, \
pasted talk lists (\"1. title\" + 登壇者:/概要:/時間: lines; \"## title\" + paragraph Markdown; \
timetables of \"13:00〜13:30\" / title / \"名前（所属）\" blocks; Markdown or tab-separated \
tables with a title column; titles only, one a line or a \"1. title\" list), \
web-clipper notes (YAML frontmatter with a title), saved HTML pages";
