//! Report output. `charts` draws the figures (SVG strings and PNG bytes) from plain data.
pub mod charts;
pub(crate) mod font;
pub mod output;
pub(crate) mod svg;
