//! confthemes: what was this conference about?
//!
//! The pipeline, one module per stage, each taking plain data in and giving plain data out:
//! `corpus` (files → Corpus) → `tokenize` (text → terms) → `vectorize` (→ TfIdf) →
//! `cluster` (→ Clustering) → `themes` (→ Themes) → `report` (→ files).
pub mod corpus;
pub mod error;
pub mod lang;
pub mod report;
pub mod tokenize;

pub use error::{Error, Result};
pub use lang::Lang;
