//! Sub-themes on the seeds: a theme of 8 talks or more is split into 2–4 named groups of its
//! own talks, in `themes --json` (the body of themes.json) and in the terminal.

mod common;

use common::{confthemes, json, ok};

#[test]
fn large_themes_list_subthemes_of_their_own_talks_and_small_ones_none() {
    let seeds = common::seeds();
    let seeds = seeds.to_str().unwrap();
    let v = json(&confthemes(&["themes", seeds, "--json"]));
    let themes = v["themes"].as_array().unwrap();
    let mut split = 0;
    for t in themes {
        let talks: Vec<&str> = t["talks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let subs = t.get("subthemes").and_then(|s| s.as_array());
        if talks.len() < 8 {
            assert!(
                subs.is_none(),
                "a theme of {} talks is not split",
                talks.len()
            );
            continue;
        }
        let Some(subs) = subs else { continue };
        split += 1;
        assert!((2..=4).contains(&subs.len()), "{} sub-themes", subs.len());
        let mut seen = std::collections::HashSet::new();
        for s in subs {
            assert!(!s["name"].as_str().unwrap().is_empty());
            let members = s["talks"].as_array().unwrap();
            assert!(members.len() >= 2, "a sub-theme has two talks or more");
            for m in members {
                let id = m.as_str().unwrap();
                assert!(
                    talks.contains(&id),
                    "sub-theme talk {id} is the theme's own"
                );
                assert!(seen.insert(id), "talk {id} in two sub-themes");
            }
        }
    }
    assert!(split >= 1, "the seeds' 12-talk theme is split");
    // The same in the terminal, in the UI language.
    let text = ok(&confthemes(&["themes", seeds]));
    assert!(
        text.contains("サブテーマ:") && text.contains(" ▸ "),
        "{text}"
    );
    let text = ok(&confthemes(&["themes", seeds, "--lang", "en"]));
    assert!(text.contains("Sub-themes:"), "{text}");
}
