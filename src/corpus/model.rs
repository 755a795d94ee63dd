//! The talk corpus: plain data produced by the readers and consumed by every later stage.

use serde::{Deserialize, Serialize};

/// What part of a talk's material a section is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// The short summary (発表概要).
    Abstract,
    /// The long description (発表の詳細).
    Details,
    /// Target audience and what they get (対象聴衆…).
    Audience,
    /// Why the speaker proposed it (モチベーション).
    Motivation,
    /// A blog author's account of the talk.
    Recap,
    /// Any other free text that belongs to the talk.
    Other,
}

/// Where a section's text came from: file (as given, relative when possible) and 1-based
/// inclusive line range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub lines: [usize; 2],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub source: Source,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Talk {
    /// Stable id derived from event + normalized title.
    pub id: String,
    pub event: String,
    pub title: String,
    pub speakers: Vec<String>,
    /// Speakers' companies when the source names them ("(株式会社ZOZO 横田さん)").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliations: Vec<String>,
    /// Start as written by the source, normalized to "YYYY-MM-DD HH:MM" when parseable.
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub room: Option<String>,
    /// Session kind, e.g. "セッション(30分)".
    #[serde(default)]
    pub session_kind: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    /// Slide / video links found next to the talk (metadata, never section text).
    #[serde(default)]
    pub links: Vec<String>,
    /// Whether the CfP accepted the proposal, when the source says (fortee); `false` talks
    /// are kept unless `--accepted-only`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted: Option<bool>,
    pub sections: Vec<Section>,
}

impl Talk {
    /// A talk with only a title; the id is set once the event is known.
    pub fn new(title: String) -> Self {
        Talk {
            id: String::new(),
            event: String::new(),
            title,
            speakers: Vec::new(),
            affiliations: Vec::new(),
            start: None,
            room: None,
            session_kind: None,
            categories: Vec::new(),
            links: Vec::new(),
            accepted: None,
            sections: Vec::new(),
        }
    }

    /// Title plus all section texts: the material later stages analyse.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|s| s.text.as_str())
    }
}

/// All talks from all inputs, in a deterministic order (event, then first appearance).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Corpus {
    pub talks: Vec<Talk>,
}
