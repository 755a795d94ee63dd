//! confthemes: what was this conference about?
//!
//! The pipeline, one module per stage, each taking plain data in and giving plain data out:
//! `corpus` (files → Corpus) → `tokenize` (text → terms) → `vectorize` (→ TfIdf) →
//! `cluster` (→ Clustering) → `themes` (→ Themes) → `report` (→ files). `pipeline` wires
//! them; `eval` and `stats` are the measuring and testing math; `timing` times any stage.
pub mod cli;
pub mod cluster;
pub mod coding;
pub mod commands;
pub mod compare;
pub mod corpus;
pub mod curate;
pub mod dict_check;
pub mod error;
pub mod eval;
pub mod explain;
pub mod kwic;
pub mod lang;
pub mod model;
pub mod network;
pub mod pipeline;
pub mod report;
pub mod sanitize;
pub mod special;
pub mod stats;
pub mod strict;
pub mod themes;
pub mod timing;
pub mod tokenize;
pub mod vectorize;

pub use error::{Error, Result};
pub use lang::Lang;
