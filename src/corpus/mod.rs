//! Stage 1, ingest: files (proposal pages, recap posts, CSV/JSON exports) → `Corpus`.
pub mod model;
pub use model::{Corpus, Section, SectionKind, Source, Talk};
