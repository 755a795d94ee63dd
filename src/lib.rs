//! confthemes: what was this conference about?
//!
//! The pipeline, one module per stage, each taking plain data in and giving plain data out:
//! `corpus` (files → Corpus) → `tokenize` (text → terms) → `vectorize` (→ TfIdf) →
//! `cluster` (→ Clustering) → `themes` (→ Themes) → `report` (→ files). `pipeline` wires
//! them into a `fitted::Analysis`; `analysis` answers questions about a fitted run (compare, stats, explain, kwic,
//! network, coding, eval); `safe_io` is the file I/O every stage shares (atomic writes,
//! regular-file checks, strict config reading); `timing` times any stage.
// First, so its `tr!` macro is in scope in every module below.
#[macro_use]
pub mod error;
pub mod analysis;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod corpus;
pub mod curate;
pub mod dict_check;
pub mod fitted;
pub mod lang;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod safe_io;
pub mod sanitize;
pub mod special;
pub mod subthemes;
pub mod themes;
pub mod timing;
pub mod tokenize;
pub mod vectorize;

pub use error::{Error, Result};
pub use lang::Lang;
