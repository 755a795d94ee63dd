//! Analyses that answer questions about a fitted run, each file about one thing: how groups
//! differ (`compare`, with its tests in `stats`), why a talk sits where it does (`explain`),
//! where a term occurs (`kwic`), which terms go together (`network`), user-written coding
//! rules (`coding`) and agreement with a hand judgement (`eval`).
pub mod coding;
pub mod compare;
pub mod eval;
pub mod explain;
pub mod kwic;
pub mod network;
pub mod stats;
