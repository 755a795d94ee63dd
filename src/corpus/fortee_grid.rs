//! fortee's timetable page as fortee serves it (the Metronic layout): a grid whose cells
//! carry no time. `#timetable` names the day's first minute (`data-from`); each cell
//! (`.proposal`) is placed by its CSS `top` and sized by its `height` in pixels, in a track
//! column named by its `track-N` class (the N-th `.track-header`); cells come in no time
//! order. A talk's cell links its proposal (`.title a[href*="/proposal/"]`) and names its
//! speakers (`.speaker-name`); a break (受付, 休憩, ランチ) is a `.time-slot` cell without a
//! link whose title ends with its length (`休憩 （10分）`), which gives the pixels per minute.
//! Read with scraper's selectors; the times are computed, as no text on the page holds them.

use scraper::{ElementRef, Html, Selector};

/// One cell of the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub title: String,
    /// The proposal's URL (absolute); `None` for a break.
    pub url: Option<String>,
    pub speakers: Vec<String>,
    /// The track header's name (`Track A`, `ハンズオン`).
    pub track: Option<String>,
    /// `YYYY-MM-DD HH:MM`, from `data-from` + `top`.
    pub start: Option<String>,
    /// Minutes, from `height`.
    pub minutes: Option<u32>,
    /// 1-based line of the cell's link in the saved file (of its title for a break).
    pub line: usize,
}

/// The grid of a saved fortee timetable page: talks and breaks, talks ordered by start, then
/// track, then page order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    pub talks: Vec<Cell>,
    pub breaks: Vec<Cell>,
}

/// fortee draws 6 px per minute (a 30-minute break is 180 px high); the breaks' own
/// lengths are preferred when the page has them.
const DEFAULT_PX_PER_MINUTE: f64 = 6.0;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `name:NNNpx;` declaration of an inline style, in pixels.
fn style_px(style: &str, name: &str) -> Option<f64> {
    style.split(';').find_map(|decl| {
        let (k, v) = decl.split_once(':')?;
        (k.trim() == name)
            .then(|| v.trim().strip_suffix("px")?.trim().parse::<f64>().ok())
            .flatten()
    })
}

/// "休憩 （10分）" → ("休憩", Some(10)).
fn split_length(title: &str) -> (String, Option<u32>) {
    let t = title.trim();
    for (open, close) in [("（", "分）"), ("(", "分)")] {
        if let Some(body) = t.strip_suffix(close)
            && let Some((head, n)) = body.rsplit_once(open)
            && let Ok(n) = n.trim().parse::<u32>()
        {
            return (head.trim().to_string(), Some(n));
        }
    }
    (t.to_string(), None)
}

/// `data-from` ("2031-01-31T10:00:00+09:00") plus minutes, as local time; `None` past the day.
fn add_minutes(from: &str, minutes: u32) -> Option<String> {
    let start = super::fortee::iso_start(from)?;
    let (date, hm) = start.split_once(' ')?;
    let (h, m) = hm.split_once(':')?;
    let total = h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()? + minutes;
    (total < 24 * 60).then(|| format!("{date} {:02}:{:02}", total / 60, total % 60))
}

/// The 1-based line of the first occurrence of `needle` at or after byte `from`.
fn line_of(html: &str, needle: &str, from: &mut usize) -> usize {
    match html.get(*from..).and_then(|rest| rest.find(needle)) {
        Some(i) => {
            *from += i + needle.len();
            html[..*from].matches('\n').count() + 1
        }
        None => 1,
    }
}

/// The grid of a fortee timetable page, `None` when the page has none (no `#timetable`
/// with `data-from` holding `.proposal` cells). `base` makes relative proposal links
/// absolute (`https://fortee.jp` when the page does not say where it came from).
pub fn read(doc: &Html, html: &str, base: &str) -> Option<Grid> {
    let table = doc.select(&sel("#timetable[data-from]")).next()?;
    let from = table.attr("data-from")?;
    let tracks: Vec<String> = table
        .select(&sel(".track-header"))
        .map(|h| {
            // The header's first block is the name; the hashtag line follows it.
            h.child_elements()
                .next()
                .map(|d| squash(&d.text().collect::<String>()))
                .unwrap_or_default()
        })
        .collect();
    let cells: Vec<ElementRef> = table.select(&sel(".proposal")).collect();
    if cells.is_empty() {
        return None;
    }
    let link_sel = sel(".title a[href*=\"/proposal/\"]");
    let title_sel = sel(".title");
    let speaker_sel = sel(".speaker-name");
    // Pixels per minute: from the breaks whose titles give their length.
    let mut ratios: Vec<f64> = cells
        .iter()
        .filter(|c| c.select(&link_sel).next().is_none())
        .filter_map(|c| {
            let height = style_px(c.attr("style")?, "height")?;
            let title = c.select(&title_sel).next()?.text().collect::<String>();
            let minutes = split_length(&squash(&title)).1?;
            (minutes > 0 && height > 0.0).then(|| height / f64::from(minutes))
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let px_per_minute = ratios
        .get(ratios.len() / 2)
        .copied()
        .unwrap_or(DEFAULT_PX_PER_MINUTE);
    let base = base.trim_end_matches('/');
    let mut grid = Grid::default();
    let mut cursor = 0usize;
    let mut order: Vec<(Option<String>, usize, usize)> = Vec::new();
    for c in cells {
        let style = c.attr("style").unwrap_or("");
        let at = |name| style_px(style, name).map(|px| (px / px_per_minute).round() as u32);
        let track_no = c.value().classes().find_map(|k| {
            k.strip_prefix("track-")
                .and_then(|n| n.parse::<usize>().ok())
        });
        let track = track_no
            .and_then(|n| tracks.get(n.wrapping_sub(1)))
            .filter(|t| !t.is_empty())
            .cloned();
        let start = at("top").and_then(|m| add_minutes(from, m));
        let link = c.select(&link_sel).next();
        let cell = match link {
            Some(a) => {
                let href = a.attr("href").unwrap_or("");
                let url = if href.starts_with("http") {
                    href.to_string()
                } else {
                    format!("{base}/{}", href.trim_start_matches('/'))
                };
                let mut speakers: Vec<String> = Vec::new();
                for s in c.select(&speaker_sel) {
                    let n = squash(&s.text().collect::<String>());
                    if !n.is_empty() && !speakers.contains(&n) {
                        speakers.push(n);
                    }
                }
                Cell {
                    title: squash(&a.text().collect::<String>()),
                    line: line_of(html, href, &mut cursor),
                    url: Some(url),
                    speakers,
                    track,
                    start,
                    minutes: at("height"),
                }
            }
            None => {
                let title_el = c.select(&title_sel).next();
                let raw = title_el
                    .map(|t| squash(&t.text().collect::<String>()))
                    .unwrap_or_default();
                let (title, minutes) = split_length(&raw);
                // The cell's title attribute as written (escaped) finds its line.
                let attr = title_el.and_then(|t| t.attr("title")).unwrap_or(&title);
                let needle = format!(
                    "title=\"{}\"",
                    attr.replace('&', "&amp;").replace('"', "&quot;")
                );
                Cell {
                    line: line_of(html, &needle, &mut cursor),
                    title,
                    url: None,
                    speakers: vec![],
                    track,
                    start,
                    minutes: minutes.or(at("height")),
                }
            }
        };
        if cell.title.is_empty() {
            continue;
        }
        if cell.url.is_some() {
            order.push((
                cell.start.clone(),
                track_no.unwrap_or(usize::MAX),
                grid.talks.len(),
            ));
            grid.talks.push(cell);
        } else {
            grid.breaks.push(cell);
        }
    }
    // The page's order is not the day's: by start, then track, then page order.
    order.sort();
    let mut talks: Vec<Option<Cell>> = grid.talks.drain(..).map(Some).collect();
    grid.talks = order
        .into_iter()
        .filter_map(|(_, _, i)| talks[i].take())
        .collect();
    Some(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_styles_and_times() {
        assert_eq!(split_length("休憩 （10分）"), ("休憩".into(), Some(10)));
        assert_eq!(split_length("懇親会（1F）"), ("懇親会（1F）".into(), None));
        assert_eq!(
            style_px("\n height:180px;\n top:270px;\n", "top"),
            Some(270.0)
        );
        assert_eq!(
            add_minutes("2031-01-31T10:00:00+09:00", 70).as_deref(),
            Some("2031-01-31 11:10")
        );
        assert_eq!(add_minutes("2031-01-31T23:00:00+09:00", 90), None);
    }
}
