//! Acceptance: `seeds/` yields exactly the 37 talks of the hand-made gold list, with and
//! without `seeds/corpus.toml`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use confthemes::corpus::{LoadOptions, Loaded, SectionKind, load, normalize_title};
use serde::Deserialize;

#[derive(Deserialize)]
struct Gold {
    talk: Vec<GoldTalk>,
}

#[derive(Deserialize)]
struct GoldTalk {
    event: String,
    title: String,
    recap_title: Option<String>,
    sources: Vec<String>,
}

fn gold() -> Vec<GoldTalk> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seeds-gold.toml");
    toml::from_str::<Gold>(&std::fs::read_to_string(p).unwrap())
        .unwrap()
        .talk
}

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// File prefix "000".."003" of a source path.
fn seed_no(file: &str) -> String {
    Path::new(file).file_name().unwrap().to_string_lossy()[..3].to_string()
}

fn check(loaded: &Loaded) {
    let gold = gold();
    let talks = &loaded.corpus.talks;
    // Exactly the gold talks, titles equal after normalization, right events.
    let got: BTreeSet<(String, String)> = talks
        .iter()
        .map(|t| (t.event.clone(), normalize_title(&t.title)))
        .collect();
    let want: BTreeSet<(String, String)> = gold
        .iter()
        .map(|g| (g.event.clone(), normalize_title(&g.title)))
        .collect();
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
    assert_eq!(talks.len(), 37);

    // Events.
    let mut per_event: BTreeMap<&str, usize> = BTreeMap::new();
    for t in talks {
        *per_event.entry(t.event.as_str()).or_default() += 1;
    }
    assert_eq!(
        per_event,
        BTreeMap::from([
            ("CloudNative Days Winter 2024", 6),
            ("SRE Kaigi 2025", 21),
            ("SRE NEXT 2023", 10)
        ])
    );

    // Text from 43 (talk, file) pairs, and each talk's files are the gold sources.
    let mut pairs = 0;
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    for t in talks {
        let files: BTreeSet<String> = t.sections.iter().map(|s| seed_no(&s.source.file)).collect();
        let g = gold
            .iter()
            .find(|g| normalize_title(&g.title) == normalize_title(&t.title))
            .unwrap();
        let want: BTreeSet<String> = g.sources.iter().cloned().collect();
        assert_eq!(files, want, "sources of {}", t.title);
        pairs += files.len();
        for f in files {
            *per_file.entry(f).or_default() += 1;
        }
        assert_eq!(t.id.len(), 16);
        for s in &t.sections {
            assert!(!s.text.trim().is_empty(), "empty section in {}", t.title);
        }
    }
    assert_eq!(pairs, 43);
    assert_eq!(
        per_file,
        BTreeMap::from([
            ("000".into(), 18),
            ("001".into(), 9),
            ("002".into(), 10),
            ("003".into(), 6)
        ])
    );

    // Recap spellings noted in the gold file link to their talks.
    for g in gold.iter().filter(|g| g.recap_title.is_some()) {
        let rt = g.recap_title.as_deref().unwrap();
        let l = loaded
            .log
            .links
            .iter()
            .find(|l| l.recap_title == rt)
            .unwrap_or_else(|| panic!("{rt} not linked"));
        assert_eq!(normalize_title(&l.talk_title), normalize_title(&g.title));
        assert!(l.score < 1.0);
    }
    // Every 001 recap of a 000 talk is linked, nothing else.
    let linked: usize = gold.iter().filter(|g| g.sources.len() > 1).count();
    assert_eq!(loaded.log.links.len(), linked);
    assert_eq!(loaded.log.unlinked.len(), 3 + 10 + 6);

    // Structure is not text: no form headings, link words, URLs or speaker suffixes.
    for t in talks {
        assert!(!t.title.ends_with("さん)"), "{}", t.title);
        for s in &t.sections {
            for bad in [
                "■",
                "発表概要",
                "対象聴衆とその人たちが得られるもの",
                "アーカイブ動画",
                "プレゼン資料",
                "http",
                "お選びください",
            ] {
                assert!(
                    !s.text.contains(bad),
                    "{bad:?} in {} ({:?})",
                    t.title,
                    s.kind
                );
            }
            assert!(
                !s.text
                    .lines()
                    .any(|l| l.trim().chars().all(|c| c.is_ascii_digit())),
                "bare number in {}",
                t.title
            );
        }
    }
    // 000 talks carry their metadata.
    let k8s = talks
        .iter()
        .find(|t| t.title == "Site Reliability Engineering on Kubernetes")
        .unwrap();
    assert_eq!(k8s.start.as_deref(), Some("2025-01-26 10:35"));
    assert_eq!(k8s.room.as_deref(), Some("ルーム A"));
    assert_eq!(k8s.categories, vec!["Tech: SREを支える具体的な技術や手法"]);
    let kinds: Vec<SectionKind> = k8s.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Abstract,
            SectionKind::Details,
            SectionKind::Audience,
            SectionKind::Motivation
        ]
    );
    let pm = talks
        .iter()
        .find(|t| t.title.starts_with("間違いだらけのポストモーテム"))
        .unwrap();
    assert_eq!(pm.speakers, vec!["草間"]);
    assert_eq!(pm.affiliations, vec!["PagerDuty株式会社"]);
}

#[test]
fn seeds_with_manifest() {
    let loaded = load(&[seeds()], &LoadOptions::default()).unwrap();
    check(&loaded);
    assert!(
        loaded
            .log
            .files
            .iter()
            .all(|f| f.reader_from == confthemes::corpus::Origin::Manifest)
    );
    // Same ids on every run.
    let again = load(&[seeds()], &LoadOptions::default()).unwrap();
    let ids = |l: &Loaded| {
        l.corpus
            .talks
            .iter()
            .map(|t| t.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&loaded), ids(&again));
}

#[test]
fn seeds_without_manifest_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(seeds()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let loaded = load(&[dir.path().to_path_buf()], &LoadOptions::default()).unwrap();
    println!(
        "{}",
        loaded.log.summary(&loaded.corpus, confthemes::Lang::Ja)
    );
    check(&loaded);
    use confthemes::corpus::{Origin, ReaderKind};
    let readers: Vec<(ReaderKind, Origin)> = loaded
        .log
        .files
        .iter()
        .map(|f| (f.reader, f.reader_from))
        .collect();
    assert_eq!(
        readers,
        [
            (ReaderKind::Proposals, Origin::Detected),
            (ReaderKind::Recap, Origin::Detected),
            (ReaderKind::Recap, Origin::Detected),
            (ReaderKind::Recap, Origin::Detected)
        ]
    );
    assert!(
        loaded
            .log
            .files
            .iter()
            .all(|f| f.event_from == Some(Origin::Detected))
    );
}
