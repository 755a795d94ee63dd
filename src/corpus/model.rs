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
    /// Start as written by the source, normalized to "YYYY-MM-DD HH:MM" when parseable.
    pub start: Option<String>,
    pub room: Option<String>,
    /// Session kind, e.g. "セッション(30分)".
    pub session_kind: Option<String>,
    pub categories: Vec<String>,
    /// Slide / video links found next to the talk (metadata, never section text).
    pub links: Vec<String>,
    pub sections: Vec<Section>,
}

impl Talk {
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
