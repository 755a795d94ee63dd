//! A Speaker Deck deck page as Speaker Deck serves it (`speakerdeck.com/<owner>/<deck>`):
//! the title in `.deck-meta h1`, the owner's link (`href="/<owner>"`) beside the avatar, the
//! date in `.deck-date` ("March 08, 2030"), the description in `.deck-description`'s
//! paragraphs, the slides' text in the transcript list; around them the site menu, category
//! bar, star and view counts, share buttons, "More Decks by …" / "Other Decks in …" preview
//! cards (`.deck-preview`, each with its own date and counts) and the footer. Readability
//! keeps the transcript and the footer and drops the description and the date, so the deck's
//! parts are taken by their markup (scraper selectors) instead.

use scraper::{Html, Selector};

/// What a deck page says about its deck.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deck {
    /// The owner's name as the page links it (else the `Deck by` card value, else the
    /// URL's owner).
    pub owner: Option<String>,
    /// The date line as written ("March 08, 2030").
    pub date: Option<String>,
    /// The description's paragraphs, one per line.
    pub description: Option<String>,
    /// The slides' text, one slide per line, without the slide numbers.
    pub transcript: Option<String>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The owner in a deck URL: "https://speakerdeck.com/example_sre/deck" → "example_sre".
fn owner_in_url(url: &str) -> Option<&str> {
    let rest = url.split("speakerdeck.com/").nth(1)?;
    let mut parts = rest.split(['/', '?', '#']).filter(|p| !p.is_empty());
    let (owner, deck) = (parts.next()?, parts.next()?);
    (!deck.is_empty() && !matches!(owner, "c" | "p" | "player" | "signin")).then_some(owner)
}

/// The deck of a Speaker Deck page, `None` when `url` is not a deck's.
pub fn read(doc: &Html, url: &str) -> Option<Deck> {
    let owner_id = owner_in_url(url)?;
    let lines = |selector: &str| -> Option<String> {
        let s = sel(selector);
        let out: Vec<String> = doc
            .select(&s)
            .map(|e| squash(&e.text().collect::<String>()))
            .filter(|l| !l.is_empty())
            .collect();
        (!out.is_empty()).then(|| out.join("\n"))
    };
    let owner_links = sel(&format!(
        ".deck-meta a[href=\"/{owner_id}\"], .deck-meta a[href=\"https://speakerdeck.com/{owner_id}\"]"
    ));
    let linked = doc
        .select(&owner_links)
        .map(|a| squash(&a.text().collect::<String>()))
        .find(|n| !n.is_empty());
    let card = {
        let label = sel("meta[name=\"twitter:label1\"]");
        let data = sel("meta[name=\"twitter:data1\"]");
        doc.select(&label)
            .next()
            .and_then(|m| m.attr("content"))
            .filter(|l| l.trim().eq_ignore_ascii_case("deck by"))
            .and_then(|_| doc.select(&data).next()?.attr("content"))
            .map(squash)
            .filter(|n| !n.is_empty())
    };
    // A transcript item is "N." (a link to the slide) and the slide's text.
    let transcript = {
        let items = sel(".transcript li, .deck-transcript li");
        let number = sel("a[href^=\"#slide\"]");
        let out: Vec<String> = doc
            .select(&items)
            .map(|li| {
                let n = li
                    .select(&number)
                    .next()
                    .map(|a| squash(&a.text().collect::<String>()))
                    .unwrap_or_default();
                let text = squash(&li.text().collect::<String>());
                text.strip_prefix(n.as_str())
                    .unwrap_or(&text)
                    .trim()
                    .to_string()
            })
            .filter(|l| !l.is_empty())
            .collect();
        (!out.is_empty()).then(|| out.join("\n"))
    };
    Some(Deck {
        owner: linked.or(card).or(Some(owner_id.to_string())),
        date: lines(".deck-meta .deck-date").and_then(|d| d.lines().next().map(str::to_string)),
        description: lines(".deck-description p").or_else(|| lines(".deck-description")),
        transcript,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_is_in_a_deck_url_only() {
        assert_eq!(
            owner_in_url("https://speakerdeck.com/example_sre/error-budget"),
            Some("example_sre")
        );
        assert_eq!(owner_in_url("https://speakerdeck.com/example_sre"), None);
        assert_eq!(owner_in_url("https://speakerdeck.com/c/technology"), None);
    }
}
