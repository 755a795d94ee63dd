//! File I/O shared by corpus, model and report: `read` takes configuration and option files
//! strictly (one-line errors naming the file), `write` writes files and report directories
//! atomically, never over an input or a file the tool did not write.
pub mod read;
pub mod write;
