//! Writes every chart with realistic Japanese sample data to /tmp/charts-demo/ (SVG + PNG),
//! for eyeballing the layout: `cargo run --example charts_demo [en]`.

use std::path::Path;

use confthemes::Lang;
use confthemes::report::charts::*;

fn main() -> confthemes::Result<()> {
    let lang = if std::env::args().any(|a| a == "en") {
        Lang::En
    } else {
        Lang::Ja
    };
    let dir = Path::new("/tmp/charts-demo");
    std::fs::create_dir_all(dir).map_err(|e| {
        confthemes::Error::output(
            dir,
            confthemes::error::cannot("作れません", "cannot create", &e),
        )
    })?;
    let themes: Vec<String> = [
        "オブザーバビリティ",
        "インシデント対応",
        "プラットフォームエンジニアリング",
        "SLO・エラーバジェット",
        "コスト・FinOps",
        "組織・文化",
        "Kubernetes運用",
        "データベース信頼性",
    ]
    .map(String::from)
    .to_vec();
    let counts = [24, 19, 17, 13, 9, 8, 6, 3];
    let bars: Vec<ThemeBar> = themes
        .iter()
        .zip(counts)
        .enumerate()
        .map(|(i, (n, c))| ThemeBar {
            theme: i,
            name: n.clone(),
            count: c,
        })
        .collect();

    let shares = EventShares {
        events: vec![
            "SRE Kaigi 2025".into(),
            "SRE NEXT 2024".into(),
            "CloudNative Days Winter 2024".into(),
        ],
        themes: themes.clone(),
        counts: vec![
            vec![9, 7, 5, 6, 3, 4, 1, 1],
            vec![8, 8, 4, 5, 2, 3, 2, 2],
            vec![7, 4, 8, 2, 4, 1, 3, 0],
        ],
    };

    let titles = [
        "勘に頼らず原因を見付けるためのオブザーバビリティ",
        "OpenTelemetryで始める分散トレーシング入門",
        "深夜のオンコールを減らすためにやったこと",
        "ポストモーテム文化を根付かせる",
        "内製プラットフォームの作り方と育て方",
        "SLOを経営の言葉に翻訳する",
        "クラウドコストを半分にした話",
        "SREチームの立ち上げと組織づくり",
        "Kubernetesアップグレードを止めない",
        "Auroraのフェイルオーバーを本番で試す",
    ];
    let events = [
        "SRE Kaigi 2025",
        "SRE NEXT 2024",
        "CloudNative Days Winter 2024",
    ];
    let mut points = Vec::new();
    for i in 0..90usize {
        let t = i % 8;
        let (cx, cy) = ((t as f64 * 1.7).cos() * 4.0, (t as f64 * 1.7).sin() * 3.0);
        let jx = ((i * 37 % 17) as f64 - 8.0) / 8.0;
        let jy = ((i * 53 % 13) as f64 - 6.0) / 6.0;
        points.push(MapPoint {
            x: cx + jx,
            y: cy + jy,
            theme: t,
            title: titles[i % titles.len()].to_string(),
            event: events[i % 3].to_string(),
        });
    }

    let keywords: Vec<String> = [
        "トレース",
        "メトリクス",
        "ログ",
        "オンコール",
        "ポストモーテム",
        "障害",
        "プラットフォーム",
        "開発者体験",
        "SLO",
        "エラーバジェット",
        "コスト",
        "FinOps",
        "組織",
        "採用",
        "Kubernetes",
        "データベース",
    ]
    .map(String::from)
    .to_vec();
    let weights: Vec<Vec<f64>> = (0..themes.len())
        .map(|t| {
            (0..keywords.len())
                .map(|k| {
                    let own = k / 2 == t;
                    if own {
                        0.6 + ((t + k) % 3) as f64 * 0.12
                    } else {
                        ((t * 7 + k * 3) % 10) as f64 * 0.02
                    }
                })
                .collect()
        })
        .collect();
    let heat = Heatmap {
        title: None,
        themes: themes.clone(),
        colors: Vec::new(),
        keywords,
        weights,
    };

    let rooms = ["Track A", "Track B", "Track C", "Hall (ワークショップ)"];
    let slots = [
        "10:00", "10:40", "11:20", "13:00", "13:40", "14:20", "15:00", "15:40", "16:20",
    ];
    let mut cells = Vec::new();
    for (si, start) in slots.iter().enumerate() {
        for (ri, room) in rooms.iter().enumerate() {
            if si == 0 && ri > 0 {
                continue; // keynote in Track A only
            }
            let k = si * 4 + ri;
            cells.push(TimetableCell {
                start: start.to_string(),
                room: room.to_string(),
                theme: Some(k % 8),
                title: if si == 0 {
                    "基調講演：信頼性とは何か、もう一度考える".into()
                } else {
                    titles[k % titles.len()].into()
                },
            });
        }
    }
    for lt in ["LT: アラート疲れ", "LT: Terraformの罠", "LT: 新卒SRE一年目"] {
        cells.push(TimetableCell {
            start: "16:20".into(),
            room: "Track C".into(),
            theme: Some(5),
            title: lt.into(),
        });
    }
    cells.retain(|c| !(c.start == "16:20" && c.room == "Track C" && !c.title.starts_with("LT")));

    let curve = SilhouetteCurve {
        tolerance: 0.03,
        ks: (2..=14).collect(),
        scores: vec![
            0.081, 0.094, 0.112, 0.127, 0.141, 0.152, 0.149, 0.146, 0.138, 0.131, 0.125, 0.118,
            0.113,
        ],
        chosen: 8,
        searched: None,
    };
    let div = Diverging {
        left_label: "SRE NEXT 2024".into(),
        right_label: "SRE Kaigi 2025".into(),
        terms: vec![
            ("生成AI".into(), 4.1),
            ("プラットフォームエンジニアリング".into(), 3.4),
            ("FinOps".into(), 2.9),
            ("OpenTelemetry".into(), 2.2),
            ("開発者体験".into(), 1.8),
            ("オンコール".into(), -1.5),
            ("ポストモーテム".into(), -2.0),
            ("SLI".into(), -2.6),
            ("トイル削減".into(), -3.1),
            ("エラーバジェット".into(), -3.8),
        ],
    };

    let charts = [
        talks_per_theme(&bars, lang),
        theme_share_by_event(&shares, lang),
        talk_map(&points, &themes, lang),
        keyword_heatmap(&heat, lang),
        timetable("SRE Kaigi 2025", &cells, &themes, lang),
        silhouette(&curve, lang),
        diverging_terms(&div, lang),
    ];
    for c in &charts {
        c.save(dir)?;
        println!("{}/{}.png", dir.display(), c.name);
    }
    if std::env::args().any(|a| a == "stress") {
        stress(lang)?;
    }
    Ok(())
}

/// Many themes, long names, many events, rooms and slots: `cargo run --example charts_demo stress`.
fn stress(lang: Lang) -> confthemes::Result<()> {
    let dir = Path::new("/tmp/charts-demo/stress");
    std::fs::create_dir_all(dir).map_err(|e| {
        confthemes::Error::output(
            dir,
            confthemes::error::cannot("作れません", "cannot create", &e),
        )
    })?;
    let themes: Vec<String> = (0..20)
        .map(|i| {
            format!(
                "テーマ{i}：{}",
                "プラットフォームエンジニアリングと開発者体験"
                    .chars()
                    .take(6 + i * 2)
                    .collect::<String>()
            )
        })
        .collect();
    let bars: Vec<ThemeBar> = themes
        .iter()
        .enumerate()
        .map(|(i, n)| ThemeBar {
            theme: i,
            name: n.clone(),
            count: 40 - i * 2,
        })
        .collect();
    let events: Vec<String> = (0..6)
        .map(|i| {
            format!(
                "CloudNative Days {} 20{}",
                ["Winter", "Summer", "Fukuoka"][i % 3],
                20 + i
            )
        })
        .collect();
    let shares = EventShares {
        events,
        themes: themes.clone(),
        counts: (0..6)
            .map(|e| (0..20).map(|t| (e * 3 + t * 7) % 9).collect())
            .collect(),
    };
    let points: Vec<MapPoint> = (0..600)
        .map(|i| MapPoint {
            x: ((i * 7919) % 1000) as f64,
            y: ((i * 104_729) % 997) as f64,
            theme: i % 20,
            title: format!("トーク{i}"),
            event: "SRE NEXT".into(),
        })
        .collect();
    let keywords: Vec<String> = (0..40).map(|i| format!("キーワード{i}")).collect();
    let heat = Heatmap {
        title: None,
        themes: themes.clone(),
        colors: Vec::new(),
        keywords,
        weights: (0..20)
            .map(|t| {
                (0..40)
                    .map(|k| ((t * 13 + k * 7) % 17) as f64 / 17.0)
                    .collect()
            })
            .collect(),
    };
    let mut cells = Vec::new();
    for s in 0..14 {
        for r in 0..8 {
            cells.push(TimetableCell {
                start: format!("{}:{:02}", 9 + s / 2, (s % 2) * 30),
                room: format!("Room {}（{}）", r + 1, "大ホール"),
                theme: Some((s * 8 + r) % 20),
                title: "勘に頼らず原因を見付けるためのオブザーバビリティ".into(),
            });
        }
    }
    let div = Diverging {
        left_label: "CloudNative Days Winter 2024".into(),
        right_label: "SRE Kaigi 2025".into(),
        terms: (0..30)
            .map(|i| (format!("語{i}オブザーバビリティ"), (i as f64 - 15.0) / 3.0))
            .collect(),
    };
    let curve = SilhouetteCurve {
        tolerance: 0.03,
        ks: (2..=40).collect(),
        scores: (2..=40).map(|k| -0.05 + (k as f64).ln() / 30.0).collect(),
        chosen: 40,
        searched: None,
    };
    for c in [
        talks_per_theme(&bars, lang),
        theme_share_by_event(&shares, lang),
        talk_map(&points, &themes, lang),
        keyword_heatmap(&heat, lang),
        timetable("CloudNative Days Winter 2024", &cells, &themes, lang),
        silhouette(&curve, lang),
        diverging_terms(&div, lang),
    ] {
        c.save(dir)?;
        println!("{}/{}.png", dir.display(), c.name);
    }
    Ok(())
}
