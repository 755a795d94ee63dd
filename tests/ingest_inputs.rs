//! The inputs organizers and attendees really hold, read without reshaping (issue 24): the
//! column names of their spreadsheets and form exports, timetables pasted from event pages,
//! pages saved as the sites serve them (navigation, scripts, sidebars, og: metadata,
//! JSON-LD), clipper notes of a talk's deck; and the limits that keep hostile inputs bounded
//! (issue 23): a YAML alias bomb and deeply nested HTML are one-line errors naming the file.
//! Fixtures are in tests/data/{sheets,pasted,pages,clip}; their talk text is made up.

mod common;

use std::path::{Path, PathBuf};

use confthemes::corpus::{LoadOptions, Loaded, ReaderKind, SectionKind, SkipReason, load};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn read(rel: &str) -> Loaded {
    load(&[data(rel)], &LoadOptions::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn titles(l: &Loaded) -> Vec<&str> {
    l.corpus.talks.iter().map(|t| t.title.as_str()).collect()
}

fn starts(l: &Loaded) -> Vec<Option<&str>> {
    l.corpus.talks.iter().map(|t| t.start.as_deref()).collect()
}

fn text(l: &Loaded, i: usize, kind: SectionKind) -> String {
    l.corpus.talks[i]
        .sections
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn event_opts(e: &str) -> LoadOptions {
    LoadOptions {
        event: Some(e.into()),
        ..LoadOptions::default()
    }
}

// ---- spreadsheet and form-export columns ----

#[test]
fn a_day_column_named_日付_dates_the_talks() {
    let l = load(
        &[data("sheets/timetable-days.csv")],
        &event_opts("Ops Day 2030"),
    )
    .unwrap();
    assert_eq!(
        starts(&l),
        [
            Some("2030-04-01"),
            Some("2030-04-01"),
            Some("2030-04-02"),
            Some("2030-04-02")
        ]
    );
    assert_eq!(l.corpus.talks[0].room.as_deref(), Some("Track A"));
    assert!(
        l.log.unread_columns.is_empty(),
        "{:?}",
        l.log.unread_columns
    );
}

#[test]
fn a_form_export_reads_開催日_with_開始時刻_and_アブストラクト() {
    let l = load(
        &[data("sheets/form-export.csv")],
        &event_opts("Ops Day 2030"),
    )
    .unwrap();
    assert_eq!(
        titles(&l),
        [
            "SLOを一から始めた一年",
            "障害対応の振り返りを続ける工夫",
            "監視ダッシュボードの棚卸し"
        ]
    );
    // 開催日 "2030年4月1日(月)" + 開始時刻 "13:00〜13:30": one start.
    assert_eq!(
        starts(&l),
        [
            Some("2030-04-01 13:00"),
            Some("2030-04-01 13:40"),
            Some("2030-04-02 10:00")
        ]
    );
    let t = &l.corpus.talks[0];
    assert_eq!(t.speakers, ["山田 花子"]);
    assert_eq!(t.affiliations, ["株式会社サンプル"]);
    assert_eq!(t.room.as_deref(), Some("ホールA"));
    // アブストラクト is the abstract (a quoted field over two lines).
    assert_eq!(
        text(&l, 0, SectionKind::Abstract),
        "エラーバジェットを決めるまでの議論と、\n最初の四半期で起きたことを話します。"
    );
    // The form's own columns are not talk fields: named, with the --map that would read them.
    assert_eq!(
        l.log.unread_columns,
        [(
            data("sheets/form-export.csv")
                .to_string_lossy()
                .into_owned(),
            vec!["タイムスタンプ".to_string(), "メールアドレス".to_string()]
        )]
    );
}

#[test]
fn report_names_an_unread_column_on_stderr_in_the_ui_language() {
    let out = tempfile::tempdir().unwrap();
    let csv = data("sheets/form-export.csv");
    let run = |lang: &str| {
        let dir = out.path().join(lang);
        common::run(
            out.path(),
            &[
                "report",
                csv.to_str().unwrap(),
                "--event",
                "Ops Day 2030",
                "--out",
                dir.to_str().unwrap(),
                "--lang",
                lang,
            ],
        )
    };
    let o = run("ja");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("タイムスタンプ"))
        .unwrap_or_else(|| panic!("no line names the column: {err}"));
    assert!(
        line.contains("form-export.csv: 列「タイムスタンプ」「メールアドレス」は読んでいません"),
        "{line}"
    );
    assert!(line.contains("--map \"other=タイムスタンプ\""), "{line}");
    let o = run("en");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        err.lines().any(
            |l| l.contains("column(s) 'タイムスタンプ', 'メールアドレス' not read")
                && l.contains("--map")
        ),
        "{err}"
    );
    // A CSV whose columns are all read says nothing of the kind.
    let o = common::run(
        out.path(),
        &[
            "themes",
            data("sheets/timetable-days.csv").to_str().unwrap(),
            "--event",
            "Ops Day 2030",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("読んでいません"), "{err}");
}

// ---- pasted text ----

#[test]
fn a_timetable_copied_from_an_event_page_is_read() {
    // Time line / title / 名前（所属） blocks, breaks between them.
    let l = read("pasted/event-timetable.txt");
    assert_eq!(l.log.files[0].reader, ReaderKind::Pasted);
    assert_eq!(
        titles(&l),
        [
            "信頼性を組織で育てる三年間",
            "監視ダッシュボードの棚卸しで見えたこと",
            "オンコール当番表の作り直し"
        ]
    );
    assert_eq!(
        starts(&l),
        [
            Some("2030-04-01 10:10"),
            Some("2030-04-01 11:00"),
            Some("2030-04-01 11:30")
        ]
    );
    let t = &l.corpus.talks[1];
    assert_eq!(t.speakers, ["佐藤 花子", "鈴木 一郎"]);
    assert_eq!(t.affiliations, ["サンプル工業株式会社", "合同会社テスト"]);
    assert_eq!(l.corpus.talks[0].affiliations, ["株式会社サンプル"]);
    assert_eq!(
        l.corpus.talks[0].links,
        ["https://speakerdeck.com/example/reliability-culture"]
    );
    // The link's label is not abstract text.
    assert!(!text(&l, 0, SectionKind::Abstract).contains("資料"));
    assert!(text(&l, 2, SectionKind::Abstract).starts_with("夜間呼び出しを減らす"));
    assert_eq!(l.corpus.talks[0].event, "クラウド運用勉強会 2030");
    let breaks = l.log.files[0]
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::BreakRow)
        .count();
    assert_eq!(breaks, 3, "{:?}", l.log.files[0].skipped);
}

#[test]
fn a_connpass_timetable_copied_as_a_table_or_written_in_markdown_is_read() {
    for f in [
        "pasted/connpass-table.txt",
        "pasted/connpass-description.md",
    ] {
        let l = read(f);
        assert_eq!(l.log.files[0].reader, ReaderKind::Pasted, "{f}");
        assert_eq!(
            titles(&l),
            [
                "SLOを一から始めた一年",
                "障害対応の振り返りを続ける工夫",
                "LT: Terraformのモジュール分割"
            ],
            "{f}"
        );
        assert_eq!(
            starts(&l),
            [
                Some("2030-05-20 19:20"),
                Some("2030-05-20 19:50"),
                Some("2030-05-20 20:20")
            ],
            "{f}"
        );
        assert_eq!(l.corpus.talks[0].speakers, ["山田 花子"], "{f}");
        assert_eq!(l.corpus.talks[0].affiliations, ["株式会社サンプル"], "{f}");
        assert_eq!(l.corpus.talks[2].speakers, ["鈴木 守"], "{f}");
        assert!(
            l.corpus
                .talks
                .iter()
                .all(|t| t.event == "SRE Meetup Tokyo #43"),
            "{f}"
        );
    }
    // The Markdown cell's <br> line is the talk's description.
    let l = read("pasted/connpass-description.md");
    assert_eq!(
        text(&l, 0, SectionKind::Abstract),
        "エラーバジェットの決め方と最初の四半期の話"
    );
}

#[test]
fn a_numbered_list_of_titles_only_is_read() {
    let l = read("pasted/titles-numbered.txt");
    assert_eq!(
        titles(&l),
        [
            "SLOを一から始めた一年",
            "障害対応の振り返りを続ける工夫",
            "監視ダッシュボードの棚卸し",
            "オンコール当番表の作り直し"
        ]
    );
    assert_eq!(l.corpus.talks[3].speakers, ["高橋 直子"]);
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "SRE Meetup Tokyo #44")
    );
}

#[test]
fn an_unreadable_paste_names_the_shapes_that_are_read() {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("memo.txt");
    std::fs::write(
        &p,
        "来週の勉強会の会場は三階です。\n当日は受付で名前を伝えてください。\n",
    )
    .unwrap();
    let e = load(&[p], &LoadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("memo.txt"), "{e}");
    assert!(!e.contains('\n'), "{e}");
    for shape in ["13:00〜13:30", "名前（所属）", "Markdown", "1. title"] {
        assert!(e.contains(shape), "{shape}: {e}");
    }
}

// ---- saved pages ----

#[test]
fn a_fortee_proposal_page_as_fortee_serves_it_is_one_talk() {
    let l = read("pages/fortee-proposal.html");
    assert_eq!(l.log.files[0].reader, ReaderKind::Html);
    assert_eq!(titles(&l), ["アラート疲れを数字で減らす"]);
    let t = &l.corpus.talks[0];
    assert_eq!(t.event, "SRE Kaigi 2030");
    assert_eq!(t.speakers, ["小林 真一"]);
    assert_eq!(t.start.as_deref(), Some("2030-03-08 13:40"));
    assert_eq!(t.room.as_deref(), Some("Track A"));
    assert_eq!(t.session_kind.as_deref(), Some("セッション(30分)"));
    assert_eq!(t.categories, ["Tech: SREを支える具体的な技術や手法"]);
    assert!(text(&l, 0, SectionKind::Abstract).starts_with("夜間に鳴るアラートの八割"));
    assert!(text(&l, 0, SectionKind::Details).contains("週次で棚卸し"));
    assert!(text(&l, 0, SectionKind::Audience).contains("オンコールの負荷"));
    // Navigation, the event header, the like count, the sidebar and scripts are not text.
    let all: String = t.sections.iter().map(|s| s.text.as_str()).collect();
    for noise in [
        "ログイン",
        "プロポーザル",
        "42",
        "この発表の前後",
        "ポストモーテムを書く文化",
        "gtag",
        "利用規約",
    ] {
        assert!(!all.contains(noise), "{noise}: {all}");
    }
}

/// fortee's current layout (a Metronic admin theme: sidebar menu, toolbar with the title and
/// the speaker, a proposal card, a login modal) as the browser saves it: no og:url and no
/// canonical link, only the share image naming the proposal. Structure and classes as fortee
/// serves them, text our own.
#[test]
fn a_fortee_proposal_page_in_the_current_layout_is_one_talk() {
    let l = read("pages/fortee-proposal-metronic.html");
    assert_eq!(l.log.files[0].reader, ReaderKind::Html);
    assert_eq!(titles(&l), ["ポストモーテムを翌週の改善につなげる"]);
    let t = &l.corpus.talks[0];
    assert_eq!(t.event, "SRE Kaigi 2031");
    assert_eq!(t.speakers, ["川村 優"]);
    assert_eq!(t.start.as_deref(), Some("2031-01-31 14:10"));
    assert_eq!(t.room.as_deref(), Some("Track B"));
    let abs = text(&l, 0, SectionKind::Abstract);
    assert!(abs.starts_with("書いて終わりのポストモーテム"), "{abs}");
    assert!(abs.contains("アクションアイテム"), "{abs}");
    // The card's event line, the like count, the login box, menus and scripts are not text.
    let all: String = t.sections.iter().map(|s| s.text.as_str()).collect();
    for noise in [
        "SRE Kaigi 2031",
        "17",
        "ログイン",
        "お気に入り",
        "タイムテーブル",
        "yu_kawamura",
        "gtag",
        "利用規約",
    ] {
        assert!(!all.contains(noise), "{noise}: {all}");
    }
}

#[test]
fn a_fortee_timetable_page_gives_its_talks() {
    let l = read("pages/fortee-timetable.html");
    assert_eq!(
        titles(&l),
        [
            "SLOの合意形成をやり直す",
            "Kubernetesのアップグレードを四半期ごとに回す",
            "アラート疲れを数字で減らす",
            "ポストモーテムを書く文化"
        ]
    );
    assert!(l.corpus.talks.iter().all(|t| t.event == "SRE Kaigi 2030"));
    assert_eq!(l.corpus.talks[1].room.as_deref(), Some("Track B"));
    assert_eq!(l.corpus.talks[1].speakers, ["井上 大輔"]);
    assert_eq!(l.corpus.talks[2].start.as_deref(), Some("2030-03-08 11:10"));
}

/// fortee's timetable as fortee serves it (Metronic layout, checked against
/// guromityan/chrome-ex-fortee test/fixtures/timetable-day1.html): the cells hold no times —
/// each is placed by its CSS `top` under `#timetable[data-from]` and sized by its `height` —,
/// come in no time order, name their track by a `track-N` class, and breaks are cells
/// without a proposal link. Text our own.
#[test]
fn a_fortee_timetable_page_in_the_current_layout_gives_its_talks_in_time_order() {
    let l = read("pages/fortee-timetable-metronic.html");
    assert_eq!(l.log.files[0].reader, ReaderKind::Html);
    assert_eq!(
        titles(&l),
        [
            "SLOの合意形成をやり直す",
            "Kubernetesのアップグレードを四半期ごとに回す",
            "はじめてのOpenTelemetry計装ハンズオン",
            "アラート疲れを数字で減らす",
            "ポストモーテムを書く文化"
        ]
    );
    assert!(l.corpus.talks.iter().all(|t| t.event == "SRE Kaigi 2031"));
    assert_eq!(
        starts(&l),
        [
            Some("2031-01-31 10:20"),
            Some("2031-01-31 10:20"),
            Some("2031-01-31 11:00"),
            Some("2031-01-31 11:10"),
            Some("2031-01-31 11:10")
        ]
    );
    let rooms: Vec<_> = l.corpus.talks.iter().map(|t| t.room.as_deref()).collect();
    assert_eq!(
        rooms,
        [
            Some("Track A"),
            Some("Track B"),
            Some("ハンズオン"),
            Some("Track A"),
            Some("Track B")
        ]
    );
    let t = &l.corpus.talks[1];
    assert_eq!(t.speakers, ["井上 大輔"]);
    assert_eq!(t.session_kind.as_deref(), Some("40分"));
    assert_eq!(
        t.links,
        ["https://fortee.jp/sre-kaigi-2031/proposal/1d2e3f4a-5b6c-4d7e-8f80-91a2b3c4d5e6"]
    );
    // Breaks are skipped rows, not talks; the recording marks (写真NG), menus, the
    // breadcrumb and the track hashtags are nobody's title, speaker or text.
    let breaks: Vec<_> = l.log.files[0]
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::BreakRow)
        .map(|s| s.excerpt.as_str())
        .collect();
    assert_eq!(breaks.len(), 7, "{breaks:?}");
    assert!(breaks.contains(&"ランチ休憩"), "{breaks:?}");
    for t in &l.corpus.talks {
        assert!(t.sections.is_empty(), "{:?}", t.sections);
        let meta = format!("{} {:?} {:?}", t.title, t.speakers, t.categories);
        for noise in [
            "写真NG",
            "動画NG",
            "タイムテーブル",
            "ログイン",
            "#srekaigi",
            "休憩",
        ] {
            assert!(!meta.contains(noise), "{noise}: {meta}");
        }
    }
}

#[test]
fn a_speaker_deck_page_is_one_talk_with_its_description_and_transcript() {
    let l = read("pages/speakerdeck.html");
    assert_eq!(titles(&l), ["エラーバジェットで開発と運用の会話を変える"]);
    let t = &l.corpus.talks[0];
    assert_eq!(t.event, "SRE Kaigi 2030");
    assert_eq!(t.speakers, ["example_sre"]);
    assert_eq!(t.start.as_deref(), Some("2030-03-08"));
    // The description is the abstract, the transcript the details.
    assert!(text(&l, 0, SectionKind::Abstract).contains("四半期ごとに見直し"));
    let all = format!(
        "{}\n{}",
        text(&l, 0, SectionKind::Abstract),
        text(&l, 0, SectionKind::Details)
    );
    assert!(all.contains("機能開発を止めるルール"), "{all}");
    for noise in ["More Decks", "別の誰かの発表", "Sign in", "Terms of Use"] {
        assert!(!all.contains(noise), "{noise}: {all}");
    }
}

/// A deck page as Speaker Deck serves it: site menu and category bar, the deck's meta block
/// (title, owner link with avatar, date line, category, star and view counts, download and
/// share buttons), description paragraphs, the transcript, "More Decks by …" / "Other Decks
/// in …" preview cards with their own dates and counts, the footer. Structure checked
/// against a page Speaker Deck served (tommy-muehle/speakerdeck_exporter
/// client/testdata/response.html: menu, categories, preview cards, footer) and the deck
/// page's markup as scrapers of it read it (luxas/speakerdeck-api talk.go,
/// keeee21/obsidian-speakerdeck-clipper scripts/content.js); text our own.
#[test]
fn a_speaker_deck_page_as_speaker_deck_serves_it_is_one_talk() {
    let l = read("pages/speakerdeck-deck.html");
    assert_eq!(l.log.files[0].reader, ReaderKind::Html);
    assert_eq!(titles(&l), ["エラーバジェットで開発と運用の会話を変える"]);
    let t = &l.corpus.talks[0];
    assert_eq!(t.event, "SRE Kaigi 2030");
    // The owner beside the avatar; the date line, not a related deck's.
    assert_eq!(t.speakers, ["example_sre"]);
    assert_eq!(t.start.as_deref(), Some("2030-03-08"));
    assert_eq!(
        t.links,
        ["https://speakerdeck.com/example_sre/error-budget-conversations"]
    );
    let abs = text(&l, 0, SectionKind::Abstract);
    assert!(
        abs.starts_with("SRE Kaigi 2030 での発表資料です。"),
        "{abs}"
    );
    assert!(
        abs.contains("機能開発を止めるルールを開発チームと合意"),
        "{abs}"
    );
    let details = text(&l, 0, SectionKind::Details);
    assert!(
        details.contains("四半期ごとにエラーバジェットの残りをレビュー"),
        "{details}"
    );
    assert!(!details.contains("1."), "slide numbers: {details}");
    let all = format!("{abs}\n{details}");
    for noise in [
        "Transcript",
        "More Decks",
        "可観測性の入門",
        "別の誰かの発表",
        "Nov 12, 2029",
        "1.2k",
        "views",
        "Tweet",
        "Technology",
        "Sign in",
        "Copyright",
        "Terms",
    ] {
        assert!(!all.contains(noise), "{noise}: {all}");
    }
}

#[test]
fn a_connpass_event_page_gives_the_talks_of_its_timetable() {
    let l = read("pages/connpass-event.html");
    assert_eq!(
        titles(&l),
        [
            "SLOを一から始めた一年",
            "障害対応の振り返りを続ける工夫",
            "LT: Terraformのモジュール分割"
        ]
    );
    // The event is the JSON-LD Event's name; the date the page's.
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "SRE Meetup Tokyo #43")
    );
    assert_eq!(l.corpus.talks[0].start.as_deref(), Some("2030-05-20 19:20"));
    assert_eq!(l.corpus.talks[1].affiliations, ["合同会社テスト"]);
}

/// connpass's event page as connpass serves it: header with search and login, the group
/// name, title and subtitle over the description (the organizer's timetable table), then
/// the organizers' and participants' tables; the date, venue, entry period, owners and
/// share buttons in the side column (`#side_area`) after them. Structure as scrapers of
/// the page read it (the connpass event-page selectors: `h2.event_title`, `.event_subtitle`,
/// `.group_title > a`, `#side_area .event_schedule_area .dtstart > .ymd / .hi`,
/// `.event_place_area .place_name / .adr`, `.event_entry_area > .period`,
/// `.label_hashtag > a`, `.applicant_area > .participation_table_area > .common_table`,
/// `.concerned_area`, `.owner_list`) and connpass's served head (og:, its script blocks);
/// text our own.
#[test]
fn a_connpass_event_page_as_connpass_serves_it_dates_its_timetable() {
    let l = read("pages/connpass-event-page.html");
    assert_eq!(
        titles(&l),
        [
            "SLOを一から始めた一年",
            "障害対応の振り返りを続ける工夫",
            "LT: Terraformのモジュール分割"
        ]
    );
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "SRE Meetup Tokyo #44")
    );
    // The day is in the side column, after the table: it still dates the talks.
    assert_eq!(
        starts(&l),
        [
            Some("2030-05-20 19:20"),
            Some("2030-05-20 19:50"),
            Some("2030-05-20 20:20")
        ]
    );
    assert_eq!(l.corpus.talks[0].speakers, ["山田 花子"]);
    assert_eq!(l.corpus.talks[1].affiliations, ["合同会社テスト"]);
    // Participants, organizers, the venue box, the share buttons and the notes are not
    // talks or talk text.
    for t in &l.corpus.talks {
        let all = format!(
            "{} {:?} {}",
            t.title,
            t.speakers,
            t.texts().collect::<Vec<_>>().join("\n")
        );
        for noise in [
            "user_a",
            "organizer_a",
            "参加者",
            "セミナールーム",
            "募集期間",
            "メンバーになる",
            "#srem44",
            "ポスト",
            "ログイン",
            "入館",
            "利用規約",
        ] {
            assert!(!all.contains(noise), "{noise}: {all}");
        }
    }
}

#[test]
fn a_blog_post_as_a_blog_serves_it_is_a_recap() {
    let l = read("pages/blog-recap.html");
    assert_eq!(l.log.files[0].reader, ReaderKind::Recap);
    assert_eq!(
        titles(&l),
        ["アラート疲れを数字で減らす", "SLOの合意形成をやり直す"]
    );
    assert!(l.corpus.talks.iter().all(|t| t.event == "SRE Kaigi 2030"));
    let all = text(&l, 0, SectionKind::Recap);
    assert!(all.contains("対応率を計測"), "{all}");
    for noise in [
        "最新記事",
        "プロフィール",
        "はてなブックマーク",
        "オンコール当番表",
    ] {
        assert!(!all.contains(noise), "{noise}: {all}");
    }
}

/// A Hatena Blog post as Hatena Blog serves it: the `<html>` data attributes, GTM scripts,
/// global header iframe, blog title, the entry (header with date and category, the body,
/// a footer with author, star container, bookmark and share buttons, related entries and a
/// reader's comment), the pager, the `#box2` modules (profile with the follow button, recent
/// entries with bookmark counters, ranking, archive), the footer and the quote-star and
/// quote-stock boxes after it. Page chrome checked against a page Hatena Blog served
/// (silverfoxy/JSCryptoMinerStudy pagesource/hatenanews.com), the entry's parts against a
/// description of Hatena Blog's entry markup; the talks' text our own. One talk's slides
/// are Hatena's Speaker Deck embed: an iframe and a citation link named `speakerdeck.com`.
#[test]
fn a_hatena_blog_post_as_hatena_serves_it_is_a_recap_of_its_talks() {
    let l = read("pages/hatenablog-recap.html");
    assert_eq!(l.log.files[0].reader, ReaderKind::Recap);
    // The embed's citation is the deck's link, not a talk named "speakerdeck.com".
    assert_eq!(
        titles(&l),
        [
            "アラート疲れを数字で減らす",
            "SLOの合意形成をやり直す",
            "ポストモーテムを書く文化"
        ]
    );
    assert!(l.corpus.talks.iter().all(|t| t.event == "SRE Kaigi 2031"));
    assert_eq!(
        l.corpus.talks[0].links,
        ["https://speakerdeck.com/example_speaker/alert-fatigue"]
    );
    let first = text(&l, 0, SectionKind::Recap);
    assert!(first.contains("対応率を計測"), "{first}");
    assert!(first.contains("週次の棚卸し"), "{first}");
    let all: String = l
        .corpus
        .talks
        .iter()
        .flat_map(|t| t.texts().chain([t.title.as_str()]))
        .collect::<Vec<_>>()
        .join("\n");
    for noise in [
        "speakerdeck.com\n",
        "公式サイト",
        "来年も参加したい",
        "関連記事",
        "SRE Kaigi 2030 参加レポート",
        "棚卸しの頻度はどう決めましたか",
        "コメントを書く",
        "読者になる",
        "はてなブックマーク",
        "オンコール当番表",
        "引用をストック",
        "スターをつけました",
        "ログイン",
        "Powered by",
    ] {
        assert!(!all.contains(noise), "{noise}: {all}");
    }
}

// ---- clipper notes of talk pages ----

#[test]
fn a_clipped_deck_is_one_talk_titled_from_the_frontmatter() {
    let l = read("clip/speakerdeck-deck.md");
    assert_eq!(l.log.files[0].reader, ReaderKind::Clip);
    // Not a recap of its section headings (自己紹介, 背景, やったこと …).
    assert_eq!(titles(&l), ["エラーバジェットで開発と運用の会話を変える"]);
    let t = &l.corpus.talks[0];
    // The event from the description.
    assert_eq!(t.event, "SRE Kaigi 2030");
    assert_eq!(t.speakers, ["example_sre"]);
    assert!(text(&l, 0, SectionKind::Abstract).starts_with("SRE Kaigi 2030 での発表資料です"));
    let details = text(&l, 0, SectionKind::Details);
    assert!(
        details.contains("四半期ごとにエラーバジェットの残りをレビュー"),
        "{details}"
    );
    assert!(!details.contains("##"), "{details}");
    // The event from the tags.
    let l = read("clip/docswell-deck.md");
    assert_eq!(titles(&l), ["オンコールの負荷を測る"]);
    assert_eq!(l.corpus.talks[0].event, "SRE NEXT 2030");
}

// ---- bounded parsing (issue 23) ----

fn one_line_error(name: &str, body: &str, needle: &str) {
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join(name);
    std::fs::write(&p, body).unwrap();
    let e = load(&[p], &event_opts("X 2030")).unwrap_err().to_string();
    assert!(e.contains(name) && e.contains(needle), "{e}");
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn a_yaml_alias_bomb_is_refused_before_it_grows() {
    let mut bomb =
        String::from("---\ntitle: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("---\n# x\n");
    one_line_error("bomb.md", &bomb, "line 4, column");
    one_line_error("bomb.md", &bomb, "alias");
}

#[test]
fn deeply_nested_html_is_refused_before_a_tree_is_built() {
    let deep = |n: usize| {
        format!(
            "<!doctype html><html><body>{}x{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        )
    };
    one_line_error(
        "deep.html",
        &deep(200_000),
        "nests more than 512 elements deep",
    );
    // A text file that is a page is read as one, with the same limit.
    one_line_error(
        "deep.txt",
        &deep(200_000),
        "nests more than 512 elements deep",
    );
    // Stray end tags and unclosed paragraphs do not count as nesting.
    let t = tempfile::tempdir().unwrap();
    let p = t.path().join("ok.html");
    let page = format!(
        "<!doctype html><html><head><title>SRE Kaigi 2030 参加記</title></head><body><article><h1>SRE Kaigi 2030 参加記</h1>{}<h2>アラート疲れを数字で減らす</h2><ul><li>対応率を測る</li></ul></article></body></html>",
        "<p>段落</span></b>".repeat(2_000)
    );
    std::fs::write(&p, page).unwrap();
    load(&[p], &event_opts("X 2030")).unwrap();
}
