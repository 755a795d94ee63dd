use super::*;

const EVIL: &str = "<script>alert(1)</script>";

fn s(x: &str) -> String {
    x.to_string()
}

/// One of each chart, with `u` in every user-provided string.
fn all_charts(u: &str, lang: Lang) -> Vec<Chart> {
    let themes = vec![
        format!("{u}オブザーバビリティ"),
        s("インシデント対応"),
        format!("SLO{u}"),
    ];
    vec![
        talks_per_theme(
            &[
                ThemeBar {
                    theme: 0,
                    name: themes[0].clone(),
                    count: 12,
                },
                ThemeBar {
                    theme: 1,
                    name: themes[1].clone(),
                    count: 7,
                },
                ThemeBar {
                    theme: 2,
                    name: themes[2].clone(),
                    count: 0,
                },
            ],
            lang,
        ),
        theme_share_by_event(
            &EventShares {
                events: vec![format!("SRE Kaigi {u}"), s("SRE NEXT 2025"), s("空")],
                themes: themes.clone(),
                counts: vec![vec![5, 3, 2], vec![1, 0, 4], vec![]],
            },
            lang,
        ),
        talk_map(
            &[
                MapPoint {
                    x: 0.0,
                    y: 1.0,
                    theme: 0,
                    title: format!("{u}勘に頼らず"),
                    event: format!("ev{u}"),
                },
                MapPoint {
                    x: 2.0,
                    y: -1.0,
                    theme: 1,
                    title: s("障害対応"),
                    event: s("SRE NEXT"),
                },
                MapPoint {
                    x: 1.0,
                    y: 0.5,
                    theme: 7,
                    title: s("未知のテーマ"),
                    event: s(""),
                },
            ],
            &themes,
            lang,
        ),
        keyword_heatmap(
            &Heatmap {
                title: None,
                themes: themes.clone(),
                colors: Vec::new(),
                keywords: vec![format!("{u}監視"), s("SLO"), s("ポストモーテム")],
                weights: vec![
                    vec![0.5, 0.1, 0.0],
                    vec![0.0, 0.2, 0.9],
                    vec![0.3, f64::NAN],
                ],
            },
            lang,
        ),
        timetable(
            &format!("SRE Kaigi {u}"),
            &[
                TimetableCell {
                    start: s("10:00"),
                    room: format!("Track {u}"),
                    theme: Some(0),
                    title: format!("{u}長いタイトル"),
                },
                TimetableCell {
                    start: s("9:30"),
                    room: s("Track B"),
                    theme: Some(1),
                    title: s("Keynote"),
                },
                TimetableCell {
                    start: s("10:00"),
                    room: s("Track B"),
                    theme: Some(2),
                    title: s("LT1"),
                },
                TimetableCell {
                    start: s("10:00"),
                    room: s("Track B"),
                    theme: Some(2),
                    title: s("LT2"),
                },
            ],
            &themes,
            lang,
        ),
        silhouette(
            &SilhouetteCurve {
                tolerance: 0.03,
                ks: vec![2, 3, 4, 5],
                scores: vec![0.1, 0.2, 0.15, 0.12],
                chosen: 3,
                searched: None,
            },
            lang,
        ),
        diverging_terms(
            &Diverging {
                left_label: format!("2024{u}"),
                right_label: format!("2025{u}"),
                terms: vec![
                    (format!("{u}eBPF"), 3.2),
                    (s("Kubernetes"), -2.5),
                    (s("SLO"), 0.4),
                ],
            },
            lang,
        ),
    ]
}

fn decode(png: &[u8]) -> tiny_skia::Pixmap {
    tiny_skia::Pixmap::decode_png(png).expect("valid PNG")
}

#[test]
fn user_strings_are_escaped_in_every_chart() {
    for lang in [Lang::Ja, Lang::En] {
        // The silhouette chart shows no user text.
        for c in all_charts(EVIL, lang)
            .into_iter()
            .filter(|c| c.name != "silhouette")
        {
            assert!(!c.svg.contains("<script"), "{} leaks markup", c.name);
            assert!(
                c.svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{} lost the text",
                c.name
            );
            // Still a well-formed document the rasterizer accepts.
            c.png().unwrap_or_else(|e| panic!("{}: {e}", c.name));
        }
    }
}

#[test]
fn quotes_ampersands_and_control_characters_are_safe() {
    for c in all_charts("\"'&\u{0}\u{1b}", Lang::Ja)
        .into_iter()
        .filter(|c| c.name != "silhouette")
    {
        assert!(c.svg.contains("&quot;&#39;&amp;"), "{}", c.name);
        assert!(
            !c.svg.contains('\u{0}') && !c.svg.contains('\u{1b}'),
            "{}",
            c.name
        );
        c.png().unwrap_or_else(|e| panic!("{}: {e}", c.name));
    }
}

#[test]
fn marks_carry_title_tooltips() {
    let charts = all_charts("", Lang::Ja);
    for c in &charts {
        assert!(
            c.svg.contains("role=\"img\">\n<title>"),
            "{} has no document title",
            c.name
        );
    }
    // Bars, stacked segments, cells: each a <g> whose first child is its <title>.
    let groups = |svg: &str| svg.matches("<g><title>").count();
    assert_eq!(groups(&charts[0].svg), 3);
    assert!(
        charts[0]
            .svg
            .contains("<g><title>インシデント対応: 7件</title>")
    );
    assert_eq!(groups(&charts[1].svg), 5); // nonzero counts
    assert!(
        charts[1]
            .svg
            .contains("<title>SRE NEXT 2025 / SLO: 4件（80%）</title>")
    );
    assert_eq!(groups(&charts[3].svg), 9);
    assert!(
        charts[3]
            .svg
            .contains("<title>インシデント対応 × ポストモーテム: 90%</title>")
    );
    assert_eq!(groups(&charts[4].svg), 4);
    assert!(
        charts[4]
            .svg
            .contains("<title>長いタイトル\n10:00 Track / オブザーバビリティ</title>")
    );
    assert_eq!(groups(&charts[6].svg), 3);
    // Dots: every dot has a <title> child with title, event and theme; each theme's disc
    // (fill and outline) is a group titled with the theme and its talks.
    let map = &charts[2].svg;
    assert_eq!(map.matches("<circle").count(), 3 + 2 * 3);
    assert!(map.contains("<g><title>インシデント対応: 1件</title>"));
    assert_eq!(map.matches("</title></circle>").count(), 3);
    assert!(map.contains("<title>勘に頼らず\nev / オブザーバビリティ</title></circle>"));
    assert!(map.contains("<title>障害対応\nSRE NEXT / インシデント対応</title></circle>"));
    assert!(map.contains("<title>未知のテーマ\nテーマ8</title></circle>"));
    let sil = &charts[5].svg;
    assert_eq!(sil.matches("</title></circle>").count(), 4);
    assert!(sil.contains("<title>k = 3: 0.200</title>"));
}

#[test]
fn svg_and_png_are_deterministic() {
    let a = all_charts("再現性", Lang::Ja);
    let b = all_charts("再現性", Lang::Ja);
    assert_eq!(a, b);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.png().unwrap(), y.png().unwrap(), "{}", x.name);
    }
}

#[test]
fn png_has_slide_size_and_ink() {
    let c = &all_charts("", Lang::Ja)[0];
    let png = c.png().unwrap();
    let p = decode(&png);
    assert_eq!((p.width(), p.height()), (WIDTH, HEIGHT));
    // The title (Japanese) was drawn: dark pixels in the title band.
    let dark = (0..80u32)
        .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
        .filter(|&(x, y)| p.pixel(x, y).is_some_and(|c| c.red() < 100))
        .count();
    assert!(dark > 500, "{dark} dark pixels in the title band");
}

#[test]
fn svg_numbers_are_finite_and_fixed() {
    for lang in [Lang::Ja, Lang::En] {
        for c in all_charts("x", lang).iter().chain(&edge_charts()) {
            assert!(
                !c.svg.contains("NaN") && !c.svg.contains("inf"),
                "{}",
                c.name
            );
            // Fixed precision: no coordinate with more than two decimals.
            let long_decimal = c
                .svg
                .split(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
                .any(|t| {
                    t.split_once('.')
                        .is_some_and(|(_, d)| d.len() > 3 && d.chars().all(|c| c.is_ascii_digit()))
                });
            assert!(!long_decimal, "{}", c.name);
        }
    }
}

fn edge_charts() -> Vec<Chart> {
    let long = "とても長いタイトル".repeat(20);
    vec![
        // Empty inputs.
        talks_per_theme(&[], Lang::Ja),
        theme_share_by_event(&EventShares::default(), Lang::Ja),
        talk_map(&[], &[], Lang::Ja),
        keyword_heatmap(&Heatmap::default(), Lang::Ja),
        timetable("", &[], &[], Lang::Ja),
        silhouette(&SilhouetteCurve::default(), Lang::Ja),
        diverging_terms(&Diverging::default(), Lang::Ja),
        // One item / all-equal / zero / non-finite values.
        talks_per_theme(
            &[ThemeBar {
                theme: 40,
                name: long.clone(),
                count: 0,
            }],
            Lang::Ja,
        ),
        theme_share_by_event(
            &EventShares {
                events: vec![s("A")],
                themes: vec![s("t")],
                counts: vec![vec![0]],
            },
            Lang::Ja,
        ),
        talk_map(
            &[
                MapPoint {
                    x: 1.0,
                    y: 1.0,
                    theme: 0,
                    title: long.clone(),
                    event: s("e"),
                },
                MapPoint {
                    x: f64::NAN,
                    y: 1.0,
                    theme: 0,
                    title: s("nan"),
                    event: s("e"),
                },
            ],
            &[s("t")],
            Lang::Ja,
        ),
        talk_map(
            &(0..5)
                .map(|i| MapPoint {
                    x: 3.0,
                    y: 3.0,
                    theme: i,
                    title: s("同じ"),
                    event: s("e"),
                })
                .collect::<Vec<_>>(),
            &[],
            Lang::En,
        ),
        keyword_heatmap(
            &Heatmap {
                title: None,
                themes: vec![long.clone()],
                colors: Vec::new(),
                keywords: vec![long.clone()],
                weights: vec![vec![0.0]],
            },
            Lang::Ja,
        ),
        timetable(
            &long,
            &[TimetableCell {
                start: s("x"),
                room: long.clone(),
                theme: Some(3),
                title: long.clone(),
            }],
            &[],
            Lang::Ja,
        ),
        silhouette(
            &SilhouetteCurve {
                tolerance: 0.03,
                ks: vec![4],
                scores: vec![0.3],
                chosen: 4,
                searched: None,
            },
            Lang::Ja,
        ),
        silhouette(
            &SilhouetteCurve {
                tolerance: 0.03,
                ks: vec![2, 3, 4],
                scores: vec![0.2, 0.2, f64::NAN],
                chosen: 9,
                searched: None,
            },
            Lang::En,
        ),
        silhouette(
            &SilhouetteCurve {
                tolerance: 0.03,
                ks: vec![2, 3],
                scores: vec![f64::NAN, f64::INFINITY],
                chosen: 2,
                searched: None,
            },
            Lang::Ja,
        ),
        diverging_terms(
            &Diverging {
                left_label: long.clone(),
                right_label: s(""),
                terms: vec![(long.clone(), 0.0)],
            },
            Lang::Ja,
        ),
        diverging_terms(
            &Diverging {
                left_label: s("a"),
                right_label: s("b"),
                terms: vec![(s("x"), f64::NAN), (s("y"), -1.0)],
            },
            Lang::En,
        ),
    ]
}

#[test]
fn edge_inputs_render_without_panic() {
    for c in edge_charts() {
        let p = decode(&c.png().unwrap_or_else(|e| panic!("{}: {e}", c.name)));
        assert_eq!((p.width(), p.height()), (WIDTH, HEIGHT));
    }
    assert!(
        talks_per_theme(&[], Lang::Ja)
            .svg
            .contains("表示できるデータがありません")
    );
    assert!(
        talks_per_theme(&[], Lang::En)
            .svg
            .contains("No data to show")
    );
}

#[test]
fn long_titles_are_truncated_with_full_text_in_tooltip() {
    let long = "勘に頼らず原因を見付けるためのオブザーバビリティ".repeat(12);
    let c = talks_per_theme(
        &[ThemeBar {
            theme: 0,
            name: long.clone(),
            count: 3,
        }],
        Lang::Ja,
    );
    assert!(c.svg.contains('…'));
    assert!(c.svg.contains(&format!("<title>{long}: 3件</title>")));
    let t = timetable(
        "",
        &[TimetableCell {
            start: s("10:00"),
            room: s("A"),
            theme: Some(0),
            title: long.clone(),
        }],
        &[],
        Lang::Ja,
    );
    assert!(t.svg.contains('…') && t.svg.contains(&format!("<title>{long}\n")));
}

#[test]
fn labels_follow_the_language() {
    let ja = all_charts("", Lang::Ja);
    let en = all_charts("", Lang::En);
    assert!(ja[0].svg.contains(">トーク数</text>") && ja[0].svg.contains(">テーマ</text>"));
    assert!(en[0].svg.contains(">Talks</text>") && en[0].svg.contains(">Theme</text>"));
    assert!(ja[5].svg.contains(">シルエット係数</text>") && ja[5].svg.contains("採用 k = 3"));
    assert!(en[5].svg.contains(">Silhouette score</text>"));
}

#[test]
fn twenty_themes_get_twenty_distinct_colors_none_grey() {
    let colors: Vec<Rgb> = (0..20).map(theme_color).collect();
    let mut uniq: Vec<String> = colors.iter().map(|c| c.hex()).collect();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), 20);
    for c in &colors {
        // Grey is "no theme": every theme color has hue (its channels differ by 40 or more).
        let (hi, lo) = (c.0.max(c.1).max(c.2), c.0.min(c.1).min(c.2));
        assert!(hi - lo >= 40, "{} is nearly grey", c.hex());
        assert_ne!(*c, NO_THEME);
    }
    assert_eq!(theme_color(PALETTE.len()), theme_color(0));
    // The same theme index has the same color in the bar chart and the map.
    let c = all_charts("", Lang::Ja);
    let blue = theme_color(0).hex();
    assert!(
        c[0].svg.contains(&format!("fill=\"{blue}\""))
            && c[2].svg.contains(&format!("fill=\"{blue}\""))
    );
}

#[test]
fn timetable_rows_sort_naturally() {
    assert_eq!(natural_cmp("9:30", "10:00"), Ordering::Less);
    assert_eq!(natural_cmp("Day2 9:00", "Day10 9:00"), Ordering::Less);
    assert_eq!(natural_cmp("10:00", "10:00"), Ordering::Equal);
    let t = &all_charts("", Lang::Ja)[4].svg;
    assert!(t.find(">9:30<").unwrap() < t.find(">10:00<").unwrap());
}

#[test]
fn silhouette_axis_covers_the_searched_range_and_marks_what_was_not_computed() {
    let c = silhouette(
        &SilhouetteCurve {
            tolerance: 0.03,
            ks: (10..=14).collect(),
            scores: vec![-0.02, -0.01, -0.03, -0.04, -0.05],
            chosen: 11,
            searched: Some((4, 14)),
        },
        Lang::Ja,
    );
    for k in ["4", "14"] {
        assert!(c.svg.contains(&format!(">{k}</text>")), "k = {k} missing");
    }
    assert!(c.svg.contains("未計算"), "untried k not marked");
    assert!(c.svg.contains("k = 4〜9: トーク数が足りず"));
    // All scores negative: 0 is on the axis, so the reader sees they are below it.
    assert!(c.svg.contains(">0.00</text>"));
    assert!(c.svg.contains("負の値"));
}

#[test]
fn timetables_split_by_day_and_size_and_keep_talks_without_a_theme() {
    // Two days; day 1 has 20 slots in 10 rooms, day 2 one talk without a theme.
    let mut cells = Vec::new();
    for slot in 0..20 {
        for room in 0..10 {
            cells.push(TimetableCell {
                start: format!("2021-03-11 {:02}:{:02}", 9 + slot / 4, (slot % 4) * 15),
                room: format!("Track {room}"),
                theme: Some((slot + room) % 3),
                title: format!("Talk {slot}-{room}"),
            });
        }
    }
    cells.push(TimetableCell {
        start: s("2021-03-12 10:00"),
        room: s("Track 0"),
        theme: None,
        title: s("テーマのないトーク"),
    });
    let pages = timetable_pages(&cells);
    // Day 1: 2 slot pages × 2 room pages; day 2: one page.
    assert_eq!(
        pages.len(),
        5,
        "{:?}",
        pages.iter().map(|p| &p.label).collect::<Vec<_>>()
    );
    assert_eq!(pages[0].label, "2021-03-11 (1/4)");
    assert_eq!(pages[4].label, "2021-03-12");
    let total: usize = pages.iter().map(|p| p.cells.len()).sum();
    assert_eq!(total, cells.len(), "every talk on exactly one page");
    for p in &pages {
        let mut slots: Vec<&str> = p.cells.iter().map(|c| c.start.as_str()).collect();
        slots.sort();
        slots.dedup();
        let mut rooms: Vec<&str> = p.cells.iter().map(|c| c.room.as_str()).collect();
        rooms.sort();
        rooms.dedup();
        assert!(slots.len() <= PAGE_SLOTS && rooms.len() <= PAGE_ROOMS);
        assert!(
            slots.iter().all(|t| !t.contains("2021")),
            "rows show the time only"
        );
    }
    let themes = vec![s("A"), s("B"), s("C")];
    let last = timetable("Ev 2021-03-12", &pages[4].cells, &themes, Lang::Ja);
    assert!(
        last.svg.contains("テーマのないトーク"),
        "the talk without a theme is drawn"
    );
    assert!(last.svg.contains("テーマなし"), "and named in the legend");
    // A block of lightning talks: three written out, the rest summed up.
    let lts: Vec<TimetableCell> = (0..7)
        .map(|i| TimetableCell {
            start: s("17:00"),
            room: s("Hall"),
            theme: Some(0),
            title: format!("LT{i}"),
        })
        .collect();
    let lt = timetable("", &lts, &themes, Lang::Ja);
    assert!(lt.svg.contains("ほか4件"), "no summary of the other LTs");
    assert!(
        lt.svg.contains("LT6"),
        "the summed-up talks are in the tooltip"
    );
}

#[test]
fn many_events_share_one_bar_for_the_small_ones() {
    let n = 60;
    let d = EventShares {
        events: (0..n).map(|e| format!("Meetup {e}")).collect(),
        themes: vec![s("A"), s("B")],
        counts: (0..n).map(|e| vec![e % 5 + 1, 1]).collect(),
    };
    let svg = theme_share_by_event(&d, Lang::Ja).svg;
    let bars = svg.matches("件（").count();
    assert!(bars <= 2 * EVENT_BARS, "{bars} segments");
    assert!(svg.contains(&format!("ほか{}件のイベント", n - (EVENT_BARS - 1))));
    // The largest events keep their own bars.
    assert!(svg.contains(">Meetup 4<"));
}
