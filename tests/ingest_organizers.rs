//! Readers of what organizers publish (fixtures written from the documented fields, in
//! tests/data/): each reads to the right titles, texts and metadata, and round-trips
//! through `ingest --json`.

use std::path::{Path, PathBuf};

use confthemes::corpus::structured::{read_csv, read_json, to_csv};
use confthemes::corpus::{LoadOptions, Loaded, Origin, ReaderKind, SectionKind, SkipReason, load};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn load_paths(paths: &[PathBuf]) -> confthemes::Result<Loaded> {
    load(paths, &LoadOptions::default())
}

/// `ingest --json` of the corpus reads back as the same talks.
fn assert_round_trip(l: &Loaded) {
    let json = serde_json::to_string_pretty(&l.corpus).unwrap();
    let rows = read_json(&json, "corpus.json", &Default::default()).unwrap();
    let back: Vec<_> = rows.talks.into_iter().map(|(t, _)| t).collect();
    assert_eq!(back.len(), l.corpus.talks.len());
    for (a, b) in back.iter().zip(&l.corpus.talks) {
        assert_eq!(
            (&a.event, &a.title, &a.speakers, &a.start, &a.room),
            (&b.event, &b.title, &b.speakers, &b.start, &b.room)
        );
        assert_eq!((&a.categories, &a.links), (&b.categories, &b.links));
        assert_eq!(a.sections, b.sections);
    }
    // talks.csv keeps categories with a slash whole.
    let csv = to_csv(&l.corpus);
    let rows = read_csv(&csv, "talks.csv", &Default::default()).unwrap();
    for ((a, _), b) in rows.talks.iter().zip(&l.corpus.talks) {
        assert_eq!((&a.title, &a.categories), (&b.title, &b.categories));
    }
}

#[test]
fn dreamkast_talks_with_events_folder() {
    let l = load_paths(&[data("dreamkast/talks")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(
        (f.reader, f.reader_from),
        (ReaderKind::Dreamkast, Origin::Detected)
    );
    let titles: Vec<&str> = l.corpus.talks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Kubernetesクラスタのアップグレードを無停止で回す",
            "GitOpsで始めるマルチテナント配信基盤",
            "クラウドネイティブの次の十年"
        ]
    );
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "Demo Cloud Days 2030 by Fixture")
    );
    let t = &l.corpus.talks[0];
    assert_eq!(t.speakers, ["山田 花子", "Taro Suzuki"]);
    assert_eq!(t.categories, ["Operation / Monitoring / Logging"]);
    assert_eq!(t.start.as_deref(), Some("2030-05-01 10:30"));
    // Tracks 40, 41 of the event: A, B in id order.
    assert_eq!(t.room.as_deref(), Some("Track B"));
    assert_eq!(t.links, ["https://speakerdeck.com/example/k8s-upgrade"]);
    assert_eq!(t.sections.len(), 1);
    assert_eq!(t.sections[0].kind, SectionKind::Abstract);
    assert_eq!(
        t.sections[0].text,
        "本番クラスタのアップグレードを四半期ごとに無停止で進める手順を紹介します。\n\nBlue/Greenでのノード入れ替えとPodDisruptionBudgetの設計が中心です。"
    );
    assert_eq!(t.sections[0].source.lines, [2, 20]);
    let g = &l.corpus.talks[1];
    assert_eq!(
        (g.room.as_deref(), g.start.as_deref()),
        (Some("Track A"), Some("2030-05-02 13:00"))
    );
    assert!(g.links.is_empty());
    // No conferenceDayDate: the day comes from the events file's conferenceDays.
    let k = &l.corpus.talks[2];
    assert_eq!(k.start.as_deref(), Some("2030-05-02 09:00"));
    assert_eq!(k.session_kind.as_deref(), Some("KeynoteSession"));
    // Three break rows: intermission abstract, showOnTimetable false without abstract,
    // type Intermission.
    let breaks: Vec<[usize; 2]> = f
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::BreakRow)
        .map(|s| s.lines)
        .collect();
    assert_eq!(breaks.len(), 3, "{:?}", f.skipped);
    assert_eq!(f.skipped.len(), 3);
    assert_eq!(f.event.as_deref(), Some("Demo Cloud Days 2030 by Fixture"));
    assert!(
        l.log
            .notes()
            .iter()
            .any(|n| n.contains("events/demo2030.json")),
        "{:?}",
        l.log.notes
    );
    let summary = l.log.summary(&l.corpus, confthemes::Lang::En);
    assert!(summary.contains("dreamkast (detected)"), "{summary}");
    assert!(summary.contains("break row (not a talk)"), "{summary}");
    assert_round_trip(&l);
}

#[test]
fn dreamkast_whole_folder_skips_the_events_files_with_a_note() {
    let l = load_paths(&[data("dreamkast")]).unwrap();
    assert_eq!(l.log.files.len(), 1);
    assert_eq!(l.corpus.talks.len(), 3);
    assert!(
        l.log
            .notes()
            .iter()
            .any(|n| n.contains("demo2030.json: a dreamkast events file")),
        "{:?}",
        l.log.notes
    );
    assert!(l.log.warnings.is_empty(), "{:?}", l.log.warnings);
}

#[test]
fn dreamkast_event_from_events_json_beside_bundled_table_or_stem() {
    let talks = std::fs::read_to_string(data("dreamkast/talks/demo2030.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // An events file beside the talks file, matched on conferenceId (the stem says nothing).
    let a = dir.path().join("a");
    std::fs::create_dir(&a).unwrap();
    std::fs::write(a.join("talks.json"), &talks).unwrap();
    std::fs::write(
        a.join("events.json"),
        r#"[{"id": 901, "name": "Beside 2030", "abbr": "other"}]"#,
    )
    .unwrap();
    let l = load_paths(&[a.join("talks.json")]).unwrap();
    assert!(l.corpus.talks.iter().all(|t| t.event == "Beside 2030"));
    // No events file: a known abbreviation is named from the bundled table.
    let b = dir.path().join("b");
    std::fs::create_dir(&b).unwrap();
    std::fs::write(b.join("cndt2020.json"), &talks).unwrap();
    let l = load_paths(&[b.join("cndt2020.json")]).unwrap();
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "CloudNative Days Tokyo 2020")
    );
    // Unknown abbreviation, no events file: the file stem, and no error.
    std::fs::write(b.join("zzz2099.json"), &talks).unwrap();
    let l = load_paths(&[b.join("zzz2099.json")]).unwrap();
    assert!(l.corpus.talks.iter().all(|t| t.event == "zzz2099"));
    assert!(
        l.log
            .notes()
            .iter()
            .any(|n| n.contains("named after the file")),
        "{:?}",
        l.log.notes
    );
    // --event still overrides.
    let opts = LoadOptions {
        event: Some("Given".into()),
        ..LoadOptions::default()
    };
    let l = load(&[b.join("zzz2099.json")], &opts).unwrap();
    assert!(l.corpus.talks.iter().all(|t| t.event == "Given"));
}

#[test]
fn dreamkast_bad_input_is_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cndt2020.json");
    // Detected as dreamkast by its keys, but one element is not an object.
    std::fs::write(
        &p,
        r#"[{"title": "T", "conferenceId": 1, "trackId": 2, "talkCategory": ""}, 3]"#,
    )
    .unwrap();
    let e = load_paths(std::slice::from_ref(&p))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("cndt2020.json") && e.contains("talk 2 is not an object"),
        "{e}"
    );
    assert!(!e.contains('\n'));
}

/// The organizer's real exports, when this checkout sits next to ../shared (read in place,
/// never copied): seven events named as the events files name them, and every talk of the
/// gold file found under its event and title.
#[test]
fn dreamkast_real_exports_match_the_gold_file() {
    let cnd = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev/cnd");
    if !cnd.join("talks").is_dir() {
        return;
    }
    let l = load_paths(&[cnd.join("talks")]).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(cnd.join("events"))
        .unwrap()
        .map(|e| {
            let v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap();
            v["name"].as_str().unwrap().to_string()
        })
        .collect();
    names.sort();
    let mut events: Vec<String> = l.corpus.talks.iter().map(|t| t.event.clone()).collect();
    events.sort();
    events.dedup();
    assert_eq!(events, names);
    assert!(
        l.log
            .files
            .iter()
            .all(|f| f.reader == ReaderKind::Dreamkast)
    );
    let gold = confthemes::analysis::eval::Gold::load(&cnd.join("gold-categories.toml")).unwrap();
    assert_eq!(gold.talks.len(), 246);
    for g in &gold.talks {
        assert!(
            l.corpus
                .talks
                .iter()
                .any(|t| t.event == g.event && t.title == g.title),
            "gold talk not read: {} / {}",
            g.event,
            g.title
        );
    }
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.start.is_some() && t.room.is_some())
    );
}

#[test]
fn fortee_proposals_with_cfp_labels_and_unaccepted() {
    let l = load_paths(&[data("fortee/proposals.json")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(
        (f.reader, f.reader_from),
        (ReaderKind::Fortee, Origin::Detected)
    );
    assert_eq!(l.corpus.talks.len(), 2);
    let t = &l.corpus.talks[0];
    assert_eq!(t.title, "SLOを組織に根付かせる三年間");
    assert_eq!(t.event, "SRE Kaigi 2030");
    assert_eq!(t.speakers, ["田中 未来"]);
    assert_eq!(t.categories, ["Culture: SREの文化と組織"]);
    assert_eq!(
        (
            t.room.as_deref(),
            t.start.as_deref(),
            t.session_kind.as_deref()
        ),
        (Some("Track A"), Some("2030-03-08 10:40"), Some("30分"))
    );
    assert_eq!(t.accepted, Some(true));
    assert_eq!(t.links, ["https://example.com/slo-notes"]);
    let secs: Vec<(SectionKind, &str)> = t
        .sections
        .iter()
        .map(|s| (s.kind, s.text.as_str()))
        .collect();
    assert_eq!(
        secs,
        [
            (
                SectionKind::Abstract,
                "SLOを導入してから定着するまでの三年間の試行錯誤を話します。\nエラーバジェットの会議体の作り方が中心です。"
            ),
            (SectionKind::Audience, "SLOをこれから始めるチーム")
        ]
    );
    // No label line reaches the text.
    assert!(
        l.corpus
            .talks
            .iter()
            .flat_map(|t| t.texts())
            .all(|x| !x.contains('■'))
    );
    let u = &l.corpus.talks[1];
    assert_eq!((u.accepted, u.start.as_ref()), (Some(false), None));
    assert!(l.log.notes().iter().any(|n| n.contains("not accepted")));
    assert_round_trip(&l);
    let json = serde_json::to_string(&l.corpus).unwrap();
    let back = read_json(&json, "c.json", &Default::default()).unwrap();
    assert_eq!(back.talks[1].0.accepted, Some(false));
    // --accepted-only drops the unaccepted one, reported.
    let opts = LoadOptions {
        accepted_only: true,
        ..LoadOptions::default()
    };
    let l = load(&[data("fortee/proposals.json")], &opts).unwrap();
    assert_eq!(l.corpus.talks.len(), 1);
    assert_eq!(l.log.files[0].skipped[0].reason, SkipReason::NotAccepted);
}

#[test]
fn fortee_timetable_skips_timeslots() {
    let l = load_paths(&[data("fortee/timetable.json")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(f.reader, ReaderKind::Fortee);
    let got: Vec<(&str, Option<&str>, Option<&str>)> = l
        .corpus
        .talks
        .iter()
        .map(|t| (t.title.as_str(), t.room.as_deref(), t.start.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "SLOを組織に根付かせる三年間",
                Some("Track A"),
                Some("2030-03-08 10:40")
            ),
            (
                "障害訓練をゲームにする",
                Some("Track B"),
                Some("2030-03-08 11:20")
            )
        ]
    );
    assert_eq!(l.corpus.talks[1].speakers, ["鈴木 守"]);
    let breaks = f
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::BreakRow)
        .count();
    assert_eq!(breaks, 2);
    assert_eq!(f.skipped[0].lines, [3, 9]);
    assert_round_trip(&l);
}

#[test]
fn sessionize_all_json() {
    let l = load_paths(&[data("sessionize/all.json")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(
        (f.reader, f.reader_from),
        (ReaderKind::Sessionize, Origin::Detected)
    );
    assert_eq!(l.corpus.talks.len(), 2);
    let a = &l.corpus.talks[0];
    assert_eq!(a.title, "Platform teams that say yes");
    assert_eq!(a.event, "all");
    assert_eq!(a.speakers, ["Alex Sample"]);
    assert_eq!(a.categories, ["Platform Engineering", "Intermediate"]);
    assert_eq!(
        (a.room.as_deref(), a.start.as_deref()),
        (Some("Hall A"), Some("2030-06-12 09:30"))
    );
    assert_eq!(
        a.sections[0].text,
        "How our internal developer platform grew from a wiki page to self-service environments.\n\nWe cover golden paths and the metrics we watch."
    );
    let b = &l.corpus.talks[1];
    assert_eq!(b.speakers, ["花子 高橋", "Alex Sample"]);
    assert_eq!(b.categories, ["Observability"]);
    assert_eq!(b.room.as_deref(), Some("Room 2"));
    assert_eq!(b.links, ["https://video.example.com/tracing"]);
    assert_eq!(f.skipped.len(), 1);
    assert_eq!(f.skipped[0].reason, SkipReason::BreakRow);
    assert_round_trip(&l);
    let opts = LoadOptions {
        event: Some("Example Conf 2030".into()),
        ..LoadOptions::default()
    };
    let l = load(&[data("sessionize/all.json")], &opts).unwrap();
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "Example Conf 2030")
    );
}

#[test]
fn unknown_json_shape_error_lists_the_supported_ones() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.json");
    std::fs::write(&p, r#"{"items": [{"name": "a"}]}"#).unwrap();
    let e = load_paths(std::slice::from_ref(&p))
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.json"), "{e}");
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn tab_and_semicolon_csv_are_sniffed_and_unknown_columns_listed() {
    let opts = LoadOptions {
        event: Some("Tab Meetup 2030".into()),
        ..LoadOptions::default()
    };
    let l = load(&[data("delimited/talks-tab.csv")], &opts).unwrap();
    assert_eq!(l.log.files[0].reader, ReaderKind::Csv);
    let t = &l.corpus.talks[1];
    assert_eq!(t.title, "障害対応の振り返り");
    assert_eq!(t.speakers, ["佐藤 一郎", "鈴木 守"]);
    assert_eq!(t.room.as_deref(), Some("Hall B"));
    assert_eq!(t.sections[0].text, "ポストモーテムを続ける工夫。");
    // 日付 is the day column of organizers' sheets: read into the start.
    assert_eq!(t.start.as_deref(), Some("2030-04-01"));
    assert!(
        l.log.notes().iter().any(|n| n.contains("tab-separated")),
        "{:?}",
        l.log.notes
    );
    assert!(
        !l.log.notes().iter().any(|n| n.contains("columns not read")),
        "{:?}",
        l.log.notes
    );

    let l = load_paths(&[data("delimited/talks-semicolon.csv")]).unwrap();
    let titles: Vec<&str> = l.corpus.talks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["Kubernetes; 運用の勘所", "コスト削減の一年"]);
    assert_eq!(l.corpus.talks[0].categories, ["CI / CD"]);
    assert_eq!(l.corpus.talks[1].categories, ["FinOps", "Cost"]);
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "Example Meetup 2030")
    );
    assert!(
        l.log
            .notes()
            .iter()
            .any(|n| n.contains("semicolon-separated"))
    );
}

#[test]
fn a_delimiter_problem_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pipes.csv");
    std::fs::write(&p, "title|abstract\nA|B\n").unwrap();
    let e = load_paths(std::slice::from_ref(&p))
        .unwrap_err()
        .to_string();
    assert!(e.contains("pipes.csv") && e.contains("delimiter"), "{e}");
    assert!(e.contains("'|'"), "{e}");
    // A one-column header that is just an unknown name keeps the --map hint.
    std::fs::write(&p, "Talk Title\nA\n").unwrap();
    let e = load_paths(std::slice::from_ref(&p))
        .unwrap_err()
        .to_string();
    assert!(e.contains("--map title="), "{e}");
}

#[test]
fn pasted_numbered_list_with_labels() {
    let l = load_paths(&[data("pasted/meetup-list.txt")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(
        (f.reader, f.reader_from),
        (ReaderKind::Pasted, Origin::Detected)
    );
    let titles: Vec<&str> = l.corpus.talks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "SLOはじめの一歩",
            "ログ基盤の移行記",
            "オンコールを楽にする小さな工夫"
        ]
    );
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "SRE Meetup Tokyo #42")
    );
    let a = &l.corpus.talks[0];
    assert_eq!(a.speakers, ["松本 亮"]);
    assert_eq!(a.affiliations, ["株式会社サンプル"]);
    assert_eq!(a.start.as_deref(), Some("2030-04-01 19:10"));
    assert_eq!(
        a.sections[0].text,
        "SLOを導入するまでに揉めたことと、合意の作り方。\n最初の指標はレイテンシにしました。"
    );
    let b = &l.corpus.talks[1];
    assert_eq!(b.links, ["https://speakerdeck.com/example/log-migration"]);
    assert_eq!(
        b.sections[0].text,
        "自前のElasticsearchからマネージドサービスへ移した半年間。"
    );
    let c = &l.corpus.talks[2];
    assert_eq!(c.speakers, ["田中 一", "鈴木 二"]);
    assert_eq!(c.start.as_deref(), Some("2030-04-01 19:50"));
    assert_eq!(c.sections[0].text, "アラートの棚卸しとRunbookの整備。");
    assert_eq!(f.skipped[0].reason, SkipReason::BeforeFirstTalk);
    assert_round_trip(&l);
}

#[test]
fn pasted_markdown_headings_and_paragraphs() {
    let l = load_paths(&[data("pasted/talks.md")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(f.reader, ReaderKind::Pasted);
    let titles: Vec<&str> = l.corpus.talks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "社内プラットフォームの作り方",
            "コスト可視化ダッシュボード",
            "カオスエンジニアリング入門"
        ]
    );
    assert!(
        l.corpus
            .talks
            .iter()
            .all(|t| t.event == "Platform Night 2030")
    );
    assert_eq!(
        l.corpus.talks[0].sections[0].text,
        "開発者ポータルを半年で立ち上げた話です。\nゴールデンパスの整備が中心でした。"
    );
    assert_eq!(l.corpus.talks[2].speakers, ["Chaos Taro"]);
    assert_eq!(
        l.corpus.talks[2].sections[0].text,
        "本番で障害注入を始めるまでの準備について。"
    );
    assert!(
        f.skipped
            .iter()
            .any(|s| s.reason == SkipReason::NotATalk("おわりに".into()))
    );
    assert_round_trip(&l);
}

#[test]
fn text_of_no_known_shape_is_skipped_naming_the_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.txt");
    std::fs::write(&p, "今日はいい天気でした。\n明日も晴れるといい。\n").unwrap();
    let e = load_paths(std::slice::from_ref(&p))
        .unwrap_err()
        .to_string();
    assert!(e.contains("nothing readable"), "{e}");
    let l = load_paths(&[p.clone(), data("pasted/talks.md")]).unwrap();
    assert!(
        l.log
            .warnings()
            .iter()
            .any(|w| w.contains("notes.txt") && w.contains("pasted talk lists")),
        "{:?}",
        l.log.warnings
    );
}

#[test]
fn web_clipper_note_is_one_talk_with_frontmatter_metadata() {
    let l = load_paths(&[data("clip/proposal-page.md")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(
        (f.reader, f.reader_from),
        (ReaderKind::Clip, Origin::Detected)
    );
    let t = &l.corpus.talks[0];
    // The page title minus its site suffix: the body's heading.
    assert_eq!(t.title, "ポストモーテム文化を育てる");
    assert_eq!(t.event, "SRE Kaigi 2030");
    assert_eq!(t.speakers, ["伊藤 由紀"]);
    assert_eq!(t.start.as_deref(), Some("2030-01-15"));
    assert_eq!(t.categories, ["incident"]);
    assert_eq!(
        t.links,
        [
            "https://fortee.jp/sre-kaigi-2030/proposal/12345678-1234-4234-8234-123456789abc",
            "https://speakerdeck.com/example/postmortem"
        ]
    );
    assert_eq!(
        t.sections[0].text,
        "非難しないポストモーテムを組織に広げた二年間の記録。"
    );
    assert_eq!(
        t.sections[1].text,
        "非難しないポストモーテムを組織に広げた二年間の記録です。\n\n振り返り会の進め方とテンプレートの改善を紹介します。"
    );
    // Nothing of the frontmatter is text.
    assert!(
        t.texts()
            .all(|x| !x.contains("source:") && !x.contains("clippings"))
    );
    assert_round_trip(&l);
}

#[test]
fn web_clipper_recap_goes_through_the_recap_reader() {
    let l = load_paths(&[data("clip/recap-note.md")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(f.reader, ReaderKind::Recap);
    let titles: Vec<&str> = l.corpus.talks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "SLOの運用を三年続けてわかったこと",
            "オンコールの負荷を下げる"
        ]
    );
    assert!(l.corpus.talks.iter().all(|t| t.event == "SRE NEXT 2030"));
    assert!(
        l.corpus
            .talks
            .iter()
            .flat_map(|t| t.texts())
            .all(|x| !x.contains("title:") && !x.contains("clippings"))
    );
    assert!(l.corpus.talks[0].sections[0].source.lines[0] > 9);
}

#[test]
fn malformed_frontmatter_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.md");
    std::fs::write(&p, "---\ntitle: [unclosed\nsource: x\n---\nbody\n").unwrap();
    let e = load_paths(std::slice::from_ref(&p))
        .unwrap_err()
        .to_string();
    assert!(e.contains("bad.md") && e.contains("frontmatter"), "{e}");
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn saved_fortee_proposal_page_is_one_talk() {
    let l = load_paths(&[data("html/fortee-proposal.html")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(
        (f.reader, f.reader_from),
        (ReaderKind::Html, Origin::Detected)
    );
    assert_eq!(l.corpus.talks.len(), 1);
    let t = &l.corpus.talks[0];
    assert_eq!(t.title, "キャパシティプランニングを毎月回す");
    assert_eq!(t.event, "SRE Kaigi 2030");
    assert_eq!(
        (
            t.start.as_deref(),
            t.room.as_deref(),
            t.session_kind.as_deref()
        ),
        (
            Some("2030-03-09 14:20"),
            Some("Track B"),
            Some("セッション(30分)")
        )
    );
    assert_eq!(t.categories, ["Tech: SREを支える技術"]);
    assert_eq!(t.speakers, ["渡辺 精一"]);
    let secs: Vec<(SectionKind, &str)> = t
        .sections
        .iter()
        .map(|s| (s.kind, s.text.as_str()))
        .collect();
    assert_eq!(
        secs,
        [
            (
                SectionKind::Abstract,
                "需要予測とクラスタ拡張を月次の定例にした話です。\n予測の外れ方から学んだことを共有します。"
            ),
            (SectionKind::Audience, "容量計画に悩むSRE")
        ]
    );
    let all: String = t.texts().collect();
    for junk in ["dataLayer", "font-family", "ログイン", "利用規約", "©", "■"] {
        assert!(!all.contains(junk), "{junk} in {all}");
    }
    assert_round_trip(&l);
}

#[test]
fn saved_blog_page_goes_through_the_recap_reader() {
    let l = load_paths(&[data("html/blog-recap.html")]).unwrap();
    let f = &l.log.files[0];
    assert_eq!(f.reader, ReaderKind::Recap);
    let titles: Vec<&str> = l.corpus.talks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "トイル削減のための自動化戦略",
            "分散トレーシングで遅延を追う"
        ]
    );
    assert!(l.corpus.talks.iter().all(|t| t.event == "SRE NEXT 2030"));
    assert_eq!(
        l.corpus.talks[0].sections[0].text,
        "手作業の棚卸しから始めた\n自動化の優先度は頻度×時間で決める"
    );
    let all: String = l.corpus.talks.iter().flat_map(|t| t.texts()).collect();
    for junk in [
        "tracking",
        "border-bottom",
        "人気の記事",
        "アーカイブ",
        "©",
        "ad",
    ] {
        assert!(!all.contains(junk), "{junk} in {all}");
    }
    assert!(
        l.log
            .notes()
            .iter()
            .any(|n| n.contains("HTML page") && n.contains("main content (readability)"))
    );
}

#[test]
fn garbled_text_is_reported_and_left_out() {
    let l = load_paths(&[data("garbled/talks.csv")]).unwrap();
    let titles: Vec<&str> = l.corpus.talks.iter().map(|t| t.title.as_str()).collect();
    // The talk with a garbled title is left out; so are the garbled sections.
    assert_eq!(titles, ["SLOの始め方", "振り返りのコツ"]);
    let a = &l.corpus.talks[0];
    assert_eq!(a.sections.len(), 1);
    assert_eq!(a.sections[0].text, "SLOを一から始めた話です。");
    assert!(l.corpus.talks[1].sections.is_empty());
    let f = &l.log.files[0];
    let why: Vec<String> = f
        .skipped
        .iter()
        .filter_map(|s| match &s.reason {
            SkipReason::Garbled(w) => Some(w.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(why.len(), 3, "{:?}", f.skipped);
    assert!(why.iter().any(|w| w.contains("Latin-1")));
    assert!(why.iter().any(|w| w.contains("Shift_JIS")));
    assert!(
        l.log
            .notes()
            .iter()
            .any(|n| n.contains("3 garbled part(s)"))
    );
    let summary = l.log.summary(&l.corpus, confthemes::Lang::En);
    assert!(
        summary.contains("garbled text: UTF-8 read as Shift_JIS"),
        "{summary}"
    );
}

/// The organizer metadata reaches the report: talks.csv has each talk's categories and
/// slide links, and `compare --by room` groups by the dreamkast tracks.
#[test]
fn categories_tracks_and_slides_reach_talks_csv_and_compare() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("r");
    let bin = env!("CARGO_BIN_EXE_confthemes");
    let inputs = [
        data("dreamkast/talks"),
        data("pasted"),
        data("sessionize/all.json"),
    ];
    let st = std::process::Command::new(bin)
        .arg("report")
        .args(&inputs)
        .args(["--k", "2", "--no-png", "--quiet", "--out"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(st.success());
    let csv = std::fs::read_to_string(dir.join("talks.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with("副テーマ,カテゴリ,リンク"), "{header}");
    assert!(csv.contains("2030-05-01 10:30,Track B,"));
    assert!(
        csv.contains(
            ",Operation / Monitoring / Logging,https://speakerdeck.com/example/k8s-upgrade"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(",Platform Engineering; Intermediate,"),
        "{csv}"
    );
    let cmp = std::process::Command::new(bin)
        .arg("compare")
        .args(&inputs)
        .args(["--k", "2", "--by", "room", "--json"])
        .output()
        .unwrap();
    assert!(cmp.status.success());
    let v: serde_json::Value = serde_json::from_slice(&cmp.stdout).unwrap();
    let groups: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    for room in ["Track A", "Track B", "Hall A", "Room 2"] {
        assert!(groups.contains(&room), "{groups:?}");
    }
}

#[test]
fn directory_walk_reads_saved_pages_and_tsv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        data("html/fortee-proposal.html"),
        dir.path().join("proposal.html"),
    )
    .unwrap();
    std::fs::copy(
        data("delimited/talks-tab.csv"),
        dir.path().join("talks.tsv"),
    )
    .unwrap();
    std::fs::write(dir.path().join("slide.pdf"), b"%PDF-1.4").unwrap();
    let opts = LoadOptions {
        event: Some("Meetup".into()),
        ..Default::default()
    };
    let l = load(&[dir.path().to_path_buf()], &opts).unwrap();
    let readers: Vec<ReaderKind> = l.log.files.iter().map(|f| f.reader).collect();
    assert_eq!(readers, [ReaderKind::Html, ReaderKind::Csv]);
    assert!(
        l.corpus
            .talks
            .iter()
            .any(|t| t.title == "キャパシティプランニングを毎月回す")
    );
    assert!(
        l.log
            .warnings()
            .iter()
            .any(|w| w.contains("slide.pdf") && w.contains("skipped")),
        "{:?}",
        l.log.warnings
    );
}
