//! Readers on small real excerpts, CSV/JSON round trips, and bad input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use confthemes::corpus::structured::{parse_map, to_csv};
use confthemes::corpus::{
    Corpus, LoadOptions, Loaded, Origin, ReaderKind, SectionKind, SkipReason, load,
};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn load1(p: &Path) -> confthemes::Result<Loaded> {
    load(&[p.to_path_buf()], &LoadOptions::default())
}

fn err(p: &Path, opts: &LoadOptions) -> String {
    load(&[p.to_path_buf()], opts).unwrap_err().to_string()
}

// Seed 002's shape: heading lines directly followed by "- " bullets, no blank lines.
const HATENA: &str = "会の詳細はこちら
https://sre-next.dev/2023/
総括
一言でいうと今までにないカンファレンス体験でした。
備えあれば患いなし:効率的なインシデント対応を目指すSREの取り組み
- ともかく容易に判定できるようにシンプルにするのが大事
- 遅延ならSEV-4,エラーならSEV-3
【コミュニティコラボ企画】パネルディスカッション 信頼性に関わる、ご近所さんが集まりました
「CloudNative Days Tokyo」「DevOpsDays Tokyo」を運営している3名のパネルディスカッション。オフライン限定コンテンツ
- 運営サイドとしては幅広いネタを採用したい
Runbookに何を書き、どのようにアラートを振り分けるか?
※Runbook=手順書
- Runbookレベルでのアクションを決めたうえでアラートを作成する
そのほか当日の登壇資料一覧を他の方がまとめているのでリンクします
集中力的な話
与太話です。結論から言うと全登壇、集中して聞けました。
スポンサーブース
前回のオンライン開催の記事で全く行かなかった話を書きましたが、今回はぼちぼち回りました。
- スタンプラリー形式
おわりに
日々の仕事に忙殺されつつも、今回の学びを少しずつ実践していきます!
";

// Seed 003's shape: heading with (company speakerさん), link lines, paragraphs.
const ADVENT: &str =
    "アンドパッドは、CloudNative Days Winter 2024(CNDW2024)にブーススポンサーとして協賛しました。
- アンドパッドブースの様子
- We are hiring!
SREチーム千明さんのおすすめ
システムリプレイスプロジェクト発足から7年、改めてコスト最適化に向き合う(株式会社ZOZO 横田さん)
- アーカイブ動画:CNDW2024公式サイト
- プレゼン資料:未公開
マイクロサービス化を進めた結果、サービス単位でのコストが見えにくくなったという話でした。
CREチーム島根さんのおすすめ
間違いだらけのポストモーテム - ホントに役立つレビューはこうだ!(PagerDuty株式会社 草間さん)
- アーカイブ動画:CNDW2024公式サイト
- プレゼン資料:Speakerdeck
ポストインシデントレビューの正しい進め方についての講演でした。
人間的な要素に注目する、と言うことをポイントとしていました。
CNDW2024全体を通しての感想
FinOpsに関するセッションも多くありました。
We are hiring!
一緒に働く仲間を募集しています。
";

// Seed 001's shape: title, blank, slide URL, blank, "  • " bullets with 感想.
const ZENN: &str = "SRE Kaigi 2025に行ってきた

2025/02/17に公開

もっとSREを広げるための初学者向け技術研修設計

https://speakerdeck.com/kesompochy/motutosrewoguang-kerutame

  • SREに求められるスキルが幅広い
  • https://www.amazon.co.jp/dp/B0B37Z76BY 初学者にいい
  • 感想
    • 新卒研修の文化がある会社は強い。

Discussion
";

#[test]
fn recap_hatena_shape() {
    let dir = tempfile::tempdir().unwrap();
    let l = load1(&write(dir.path(), "hatena.txt", HATENA.as_bytes())).unwrap();
    let titles: Vec<&str> = l.corpus.talks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "備えあれば患いなし:効率的なインシデント対応を目指すSREの取り組み",
            "【コミュニティコラボ企画】パネルディスカッション 信頼性に関わる、ご近所さんが集まりました",
            "Runbookに何を書き、どのようにアラートを振り分けるか?"
        ]
    );
    assert!(l.corpus.talks.iter().all(|t| t.event == "SRE NEXT 2023"));
    let f = &l.log.files[0];
    assert_eq!(
        (f.reader, f.reader_from, f.event_from),
        (ReaderKind::Recap, Origin::Detected, Some(Origin::Detected))
    );
    // Intro line of the panel belongs to it; the ※ note too; text after the last talk's list does not.
    assert!(
        l.corpus.talks[1].sections[0]
            .text
            .starts_with("「CloudNative Days Tokyo」")
    );
    let runbook = &l.corpus.talks[2].sections[0];
    assert_eq!(
        runbook.text,
        "※Runbook=手順書\nRunbookレベルでのアクションを決めたうえでアラートを作成する"
    );
    assert_eq!(runbook.source.lines, [12, 13]);
    let reasons: Vec<&SkipReason> = f.skipped.iter().map(|s| &s.reason).collect();
    assert!(reasons.contains(&&SkipReason::AfterTalkList));
    assert!(reasons.contains(&&SkipReason::NotATalk("スポンサーブース".into())));
    assert!(reasons.contains(&&SkipReason::NotATalk("おわりに".into())));
    assert!(reasons.contains(&&SkipReason::NotATalk("総括".into())));
}

#[test]
fn recap_advent_shape_with_speaker_suffix_and_link_lines() {
    let dir = tempfile::tempdir().unwrap();
    let l = load1(&write(dir.path(), "advent.txt", ADVENT.as_bytes())).unwrap();
    assert_eq!(l.corpus.talks.len(), 2);
    let t = &l.corpus.talks[1];
    assert_eq!(
        t.title,
        "間違いだらけのポストモーテム - ホントに役立つレビューはこうだ!"
    );
    assert_eq!(t.event, "CloudNative Days Winter 2024");
    assert_eq!(
        (t.speakers.clone(), t.affiliations.clone()),
        (
            vec!["草間".to_string()],
            vec!["PagerDuty株式会社".to_string()]
        )
    );
    assert_eq!(
        t.links,
        [
            "アーカイブ動画:CNDW2024公式サイト",
            "プレゼン資料:Speakerdeck"
        ]
    );
    assert_eq!(
        t.sections[0].text,
        "ポストインシデントレビューの正しい進め方についての講演でした。\n人間的な要素に注目する、と言うことをポイントとしていました。"
    );
    // The group heading before the 2nd talk is not the 1st talk's text.
    assert!(!l.corpus.talks[0].sections[0].text.contains("おすすめ"));
    assert!(
        l.log.files[0]
            .skipped
            .iter()
            .any(|s| s.reason == SkipReason::GroupHeading)
    );
}

#[test]
fn recap_zenn_shape_and_linking_with_proposals() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b_recap.txt", ZENN.as_bytes());
    let prop = "採択\n2025/01/26 12:05〜\nルーム A\nセッション(30分)\n\nもっとSREの裾野を広げるための初学者向け技術研修設計\n\nkesompochy Kento Someya\n\n■ 発表概要(400字程度)\nSREの裾野を広げる研修の設計です。\n\n2\n";
    write(dir.path(), "a_prop.txt", prop.as_bytes());
    let l = load1(dir.path()).unwrap();
    assert_eq!(l.corpus.talks.len(), 1);
    let t = &l.corpus.talks[0];
    assert_eq!(
        t.title,
        "もっとSREの裾野を広げるための初学者向け技術研修設計"
    );
    assert_eq!(t.event, "SRE Kaigi 2025");
    let kinds: Vec<SectionKind> = t.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [SectionKind::Abstract, SectionKind::Recap]);
    assert_eq!(
        t.sections[1].text,
        "SREに求められるスキルが幅広い\n初学者にいい\n新卒研修の文化がある会社は強い。"
    );
    assert!(t.links.iter().any(|u| u.contains("amazon.co.jp")));
    assert_eq!(l.log.links.len(), 1);
    assert!(l.log.links[0].score > 0.8 && l.log.links[0].score < 1.0);
    // The proposal page names no event: it takes the one of the recap that matches it.
    assert_eq!(l.log.files[0].event_from, Some(Origin::Linked));
    assert!(
        l.log
            .warnings()
            .iter()
            .any(|w| w.contains("took SRE Kaigi 2025"))
    );
}

#[test]
fn event_option_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "hatena.txt", HATENA.as_bytes());
    let l = load(
        &[p],
        &LoadOptions {
            event: Some("SRE NEXT 2024".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(l.corpus.talks.iter().all(|t| t.event == "SRE NEXT 2024"));
    assert!(
        l.log
            .warnings()
            .iter()
            .any(|w| w.contains("names SRE NEXT 2023"))
    );
}

fn sample_corpus() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    load1(&write(dir.path(), "advent.txt", ADVENT.as_bytes()))
        .unwrap()
        .corpus
}

#[test]
fn json_round_trip() {
    let c = sample_corpus();
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "corpus.json",
        serde_json::to_string_pretty(&c).unwrap().as_bytes(),
    );
    let back = load1(&p).unwrap().corpus;
    assert_eq!(back.talks, c.talks);
    // JSONL with the same talks.
    let lines: Vec<String> = c
        .talks
        .iter()
        .map(|t| serde_json::to_string(t).unwrap())
        .collect();
    let p = write(dir.path(), "talks.jsonl", lines.join("\n").as_bytes());
    assert_eq!(load1(&p).unwrap().corpus.talks, c.talks);
}

#[test]
fn csv_round_trip_with_bom() {
    let c = sample_corpus();
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(to_csv(&c).as_bytes());
    let p = write(dir.path(), "talks.csv", &bytes);
    let l = load1(&p).unwrap();
    assert_eq!(l.log.files[0].encoding, "UTF-8 (BOM)");
    let back = l.corpus;
    assert_eq!(back.talks.len(), c.talks.len());
    for (a, b) in back.talks.iter().zip(&c.talks) {
        assert_eq!(
            (&a.id, &a.event, &a.title, &a.speakers, &a.links),
            (&b.id, &b.event, &b.title, &b.speakers, &b.links)
        );
        let texts = |t: &confthemes::corpus::Talk| {
            t.sections
                .iter()
                .map(|s| (s.kind, s.text.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(a), texts(b));
    }
    // Sources point at the CSV rows (multi-line fields span lines).
    assert_eq!(back.talks[0].sections[0].source.lines[0], 2);
}

#[test]
fn csv_with_column_map() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "t.csv",
        "Talk Title,概要,Who\nSLOの話,SLOとエラーバジェットの実践,alice; bob\n".as_bytes(),
    );
    let e = err(
        &p,
        &LoadOptions {
            event: Some("X 2025".into()),
            ..Default::default()
        },
    );
    assert!(e.contains("no title column"), "{e}");
    let map = parse_map("title=Talk Title, speakers=Who").unwrap();
    let l = load(
        &[p],
        &LoadOptions {
            event: Some("X 2025".into()),
            column_map: map,
            ..Default::default()
        },
    )
    .unwrap();
    let t = &l.corpus.talks[0];
    assert_eq!(
        (t.title.as_str(), t.speakers.clone()),
        ("SLOの話", vec!["alice".to_string(), "bob".to_string()])
    );
    assert_eq!(t.sections[0].kind, SectionKind::Abstract); // 概要 is a documented alias
    assert!(
        parse_map("titel=x")
            .unwrap_err()
            .en
            .contains("unknown field 'titel'")
    );
}

#[test]
fn duplicate_rows_are_merged_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "t.csv",
        "event,title,abstract,recap\nE 2025,SLOの話,概要です,\nE 2025,SLO の話,,よかった\n"
            .as_bytes(),
    );
    let l = load1(&p).unwrap();
    assert_eq!(l.corpus.talks.len(), 1);
    assert_eq!(l.corpus.talks[0].sections.len(), 2);
    assert!(
        l.log
            .warnings()
            .iter()
            .any(|w| w.contains("t.csv:3: duplicate talk")),
        "{:?}",
        l.log.warnings()
    );
}

#[test]
fn shift_jis_and_euc_jp_files_are_decoded_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    for enc in [encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP] {
        let (bytes, _, bad) = enc.encode(HATENA);
        assert!(!bad);
        let p = write(dir.path(), &format!("{}.txt", enc.name()), &bytes);
        let l = load1(&p).unwrap();
        assert_eq!(l.corpus.talks.len(), 3);
        assert_eq!(l.log.files[0].encoding, enc.name());
        assert!(
            l.log
                .warnings()
                .iter()
                .any(|w| w.contains(&format!("read as {}", enc.name())))
        );
    }
}

#[test]
fn bad_input_gives_one_line_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let none = LoadOptions::default();
    let ev = LoadOptions {
        event: Some("E 2025".into()),
        ..Default::default()
    };
    let cases: Vec<(PathBuf, &LoadOptions, &str)> = vec![
        (write(d, "empty.txt", b""), &none, "empty.txt: empty file"),
        (
            write(d, "x.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            &none,
            "x.bin: binary file (NUL bytes), not text",
        ),
        (
            write(d, "junk.txt", &[0x80, 0xFF, 0xFE, 0x81, 0xFD, 0xFF]),
            &none,
            "junk.txt: not text",
        ),
        (
            write(d, "data.csv", b"title,abstract\na,b\n\"c,d\n"),
            &ev,
            "data.csv: line 3, column 1: unterminated quoted field",
        ),
        (
            write(d, "short.csv", b"title,abstract\na,b\nc\n"),
            &ev,
            "short.csv: line 3: 1 fields, but the header has 2",
        ),
        (
            write(d, "talks.json", b"[{\"title\": \"a\", \"event\": }]"),
            &none,
            "talks.json: line 1, column 26: expected value",
        ),
        (
            write(
                d,
                "talks.jsonl",
                b"{\"title\": \"a\", \"event\": \"E 1\"}\n{\"title\": \n",
            ),
            &none,
            "talks.jsonl: line 2, column",
        ),
        (
            write(d, "noevent.csv", b"title\na\n"),
            &none,
            "noevent.csv: line 2: no event for 'a'",
        ),
        (
            write(d, "diary.md", "SRE Kaigiの話\n- 楽しかった\n".as_bytes()),
            &none,
            "diary.md: cannot tell which event",
        ),
        (
            d.join("missing.txt"),
            &none,
            "missing.txt: no such file or directory",
        ),
    ];
    for (p, opts, want) in cases {
        let e = err(&p, opts);
        assert!(
            e.contains(want),
            "{}: got {e:?}, want {want:?}",
            p.display()
        );
        assert!(!e.contains('\n'), "{e:?}");
        assert!(e.contains(p.file_name().unwrap().to_str().unwrap()));
    }
    // A proposal page with no event anywhere and no matching recap.
    let p = write(
        d,
        "prop.txt",
        "採択\n2025/01/26 10:35〜\nホール\n\nタイトル\n\n誰か\n\n■ 発表概要\n本文\n".as_bytes(),
    );
    assert!(
        err(&p, &none).contains("prop.txt: cannot tell which event these proposal pages are for")
    );
}

#[test]
fn directories_nothing_readable_and_manifest_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, ".hidden.txt", b"x");
    write(d, "image.png", b"\x89PNG");
    let e = err(d, &LoadOptions::default());
    assert!(e.contains("nothing readable"), "{e}");
    // A text file with no talks in it: a warning, then nothing readable overall.
    write(d, "notes.txt", "ただのメモです。\n".as_bytes());
    let e = err(d, &LoadOptions::default());
    assert!(e.contains("nothing readable: no talks found"), "{e}");
    // A manifest naming a missing file, or with a typo.
    write(d, "corpus.toml", b"[[file]]\npath = \"gone.txt\"\n");
    assert!(err(d, &LoadOptions::default()).contains("corpus.toml: lists 'gone.txt'"));
    write(
        d,
        "corpus.toml",
        b"[[file]]\npath = \"notes.txt\"\nreadr = \"recap\"\n",
    );
    assert!(
        err(d, &LoadOptions::default()).contains("corpus.toml: line 3, column 1: unknown field")
    );
}

#[test]
fn manifest_names_event_and_reader() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "post.txt", HATENA.as_bytes());
    write(
        d,
        "corpus.toml",
        "[[file]]\npath = \"post.txt\"\nevent = \"SRE NEXT 2023\"\nreader = \"recap\"\n".as_bytes(),
    );
    let l = load1(d).unwrap();
    let f = &l.log.files[0];
    assert_eq!(
        (f.reader_from, f.event_from),
        (Origin::Manifest, Some(Origin::Manifest))
    );
    assert_eq!(l.corpus.talks.len(), 3);
    let summary = l.log.summary(&l.corpus, confthemes::Lang::Ja);
    assert!(
        summary.contains("3 件のトーク") && summary.contains("スポンサーブース"),
        "{summary}"
    );
    let en = l.log.summary(&l.corpus, confthemes::Lang::En);
    assert!(
        en.contains("Ingested 3 talks") && en.contains("not a talk: おわりに"),
        "{en}"
    );
    let _ = BTreeMap::<String, String>::new();
}
