//! Stage 1, ingest: files (proposal pages, recap posts, CSV/JSON exports) → `Corpus`.
//!
//! `load` walks the given files and directories (sorted, hidden files and `corpus.toml`
//! skipped), picks a reader per file (from `corpus.toml`, else auto-detected), decodes,
//! reads, resolves each file's event, then merges: talks from proposal pages and exports
//! first (same id twice → merged, with a warning), then recap sections, each attached to the
//! talk of the same event with the most similar title (link.rs) or kept as a talk of its own.
//! Everything it decided is in the `IngestLog`. See docs/ingest.md.

pub mod boilerplate;
pub mod cfp;
pub mod clip;
pub mod decode;
pub mod dreamkast;
pub mod events;
pub mod fortee;
pub mod fortee_grid;
pub mod garble;
pub mod html;
pub mod link;
pub mod log;
pub mod manifest;
pub mod model;
pub mod normalize;
pub mod pasted;
pub mod proposals;
pub mod recap;
pub mod sessionize;
pub mod shape;
pub mod speakerdeck;
pub mod structured;
pub mod timetable;
pub mod warning;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use log::{
    FileLog, IngestLog, Origin, ReaderKind, RecapLink, SkipReason, Skipped, UnlinkedRecap,
};
pub use model::{Corpus, Section, SectionKind, Source, Talk};
use normalize::talk_id_in;
pub use normalize::{normalize_title, talk_id};

use crate::{Error, Result};
use manifest::Manifest;
use warning::{EntryProblem, EventSource, Note, Warning};

/// Options of `load`.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Event of every file, overriding corpus.toml and detection (`--event`).
    pub event: Option<String>,
    /// Column map for structured exports: field → column name (`--map`).
    pub column_map: BTreeMap<String, String>,
    /// Drop proposals the CfP did not accept (fortee `accepted: false`).
    pub accepted_only: bool,
    /// Largest file read, in bytes (`--max-file-size`); a larger one is an error.
    pub max_file_size: u64,
}

/// Default of `--max-file-size`: 512 MiB. A decade of every Japanese SRE and cloud-native
/// CfP is some 10⁴ talks; 10⁵ talks of generated CfP text are 127 MiB in JSONL, and real
/// proposals run two to three times longer: 512 MiB reads them with room, and a report on
/// the 127 MiB file takes ~0.8 GiB of memory (benches/inputs_limits.sh). Devices, FIFOs and
/// sockets are refused whatever the size, and a file that grows past the limit while read
/// is cut off there and refused.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 512 << 20;

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            event: None,
            column_map: BTreeMap::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            accepted_only: false,
        }
    }
}

/// The corpus and how it was made.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub corpus: Corpus,
    pub log: IngestLog,
}

/// File name extensions read when walking a directory (files given by name are always read).
/// What a directory walk reads; other files there (images, PDFs, archives) are skipped with a note.
const TEXT_EXTENSIONS: [&str; 11] = [
    "txt", "md", "markdown", "csv", "tsv", "json", "jsonl", "ndjson", "html", "htm", "xhtml",
];

/// One file to read.
#[derive(Debug, Clone)]
struct Job {
    path: PathBuf,
    display: String,
    reader: Option<ReaderKind>,
    event: Option<String>,
    map: BTreeMap<String, String>,
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

fn job_for(path: PathBuf, manifest: Option<(&Manifest, &Path)>) -> Job {
    let mut job = Job {
        display: display(&path),
        path,
        reader: None,
        event: None,
        map: BTreeMap::new(),
    };
    if let Some((m, base)) = manifest {
        job.event = m.event.clone();
        job.map = m.map.clone();
        if let Some(e) = job
            .path
            .strip_prefix(base)
            .ok()
            .and_then(|rel| m.entry(&display(rel)))
        {
            job.reader = e.reader;
            job.event = e.event.clone().or(job.event);
            job.map.extend(e.map.clone());
        }
    }
    job
}

/// Read a file of at most `limit` bytes: a larger one is an error before it is read (and a
/// file that grows while read is cut off at the limit and refused, so /dev/zero-like inputs
/// cannot exhaust memory).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    // The hint names a limit that admits the file: its size (4× the limit when unknown, a
    // file still growing) rounded up to a whole MiB.
    let too_big = |size: String, len: Option<u64>| {
        let at_least = len.unwrap_or(limit.saturating_mul(4));
        let hint = at_least.div_ceil(1 << 20).max(1) << 20;
        let (limit, hint) = (
            human_size(limit),
            human_size(hint).replace(' ', "").replace("iB", ""),
        );
        Error::input(
            path,
            tr!(
                "{size}で --max-file-size {limit} を超えています。読むファイルなら上限を上げてください(例: --max-file-size {hint})",
                "{size} is larger than --max-file-size {limit}; raise the limit (e.g. --max-file-size {hint}) if this file is meant to be read"
            ),
        )
    };
    let not_regular = |ft: &std::fs::FileType| {
        let (ja, en) = crate::safe_io::write::describe_both(ft);
        Error::input(
            path,
            tr!(
                "{ja}で、通常のファイルではありません",
                "is {en}, not a regular file"
            ),
        )
    };
    let cannot_read = |e: std::io::Error| Error::input(path, crate::error::cannot_read(&e));
    // Checked before opening (opening a FIFO blocks until a writer comes), and opened
    // non-blocking in case one is swapped in between.
    if let Ok(m) = std::fs::metadata(path)
        && !m.is_file()
    {
        return Err(not_regular(&m.file_type()));
    }
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
    }
    .map_err(cannot_read)?;
    let meta = file.metadata().map_err(cannot_read)?;
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    if meta.len() > limit {
        return Err(too_big(human_size(meta.len()), Some(meta.len())));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        return Err(too_big(human_size(limit) + "+", None));
    }
    Ok(bytes)
}

/// 64 MiB, 1.5 KiB, 12 bytes.
pub fn human_size(n: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (size, unit) in UNITS {
        if n >= size {
            let v = n as f64 / size as f64;
            return if n.is_multiple_of(size) {
                format!("{} {unit}", n / size)
            } else {
                format!("{v:.1} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

/// Directory walk state: every file and directory (device and inode) is visited once, so
/// symlink loops end and a file reached twice (named twice, through a symbolic or a hard
/// link) is read once. Links inside a directory are followed only within it.
struct Walker<'a> {
    jobs: Vec<Job>,
    seen: std::collections::HashSet<(u64, u64)>,
    /// The canonical input directory being walked.
    root: PathBuf,
    log: &'a mut IngestLog,
    max_file_size: u64,
}

impl Walker<'_> {
    /// True when the file or directory `meta` describes was not visited before.
    fn first_visit(&mut self, meta: &std::fs::Metadata) -> bool {
        use std::os::unix::fs::MetadataExt;
        self.seen.insert((meta.dev(), meta.ino()))
    }

    fn walk(&mut self, dir: &Path, inherited: Option<(&Manifest, &Path)>) -> Result<()> {
        let mpath = dir.join(manifest::FILE_NAME);
        let own = if mpath.is_file() {
            let m = manifest::parse_bytes(&read_limited(&mpath, self.max_file_size)?, &mpath)?;
            Some(self.usable_entries(m, dir, &mpath)?)
        } else {
            None
        };
        let manifest = own.as_ref().map(|m| (m, dir)).or(inherited);
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| {
                let why = tr!("ディレクトリを読めません", "cannot read directory");
                Error::input(dir, why.because(&crate::error::io_cause(&e)))
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.starts_with('.') || name == manifest::FILE_NAME {
                continue;
            }
            // Follows symlinks; a dangling one is skipped with a note.
            let meta = match std::fs::metadata(&p) {
                Ok(m) => m,
                Err(e) => {
                    self.log.warnings.push(Warning::CannotRead {
                        file: display(&p),
                        error: e.to_string(),
                    });
                    continue;
                }
            };
            let Ok(canonical) = std::fs::canonicalize(&p) else {
                continue;
            };
            // As corpus.toml refuses paths outside its directory: a link out of the input
            // directory (to /etc/passwd, to /) is not followed.
            if !canonical.starts_with(&self.root) {
                self.log.warnings.push(Warning::LinkOutside {
                    file: display(&p),
                    target: display(&canonical),
                });
                continue;
            }
            if meta.is_dir() {
                if self.first_visit(&meta) {
                    self.walk(&p, manifest)?;
                } else {
                    self.log
                        .warnings
                        .push(Warning::DirectoryAgain { file: display(&p) });
                }
                continue;
            }
            if !meta.is_file() {
                self.log.warnings.push(Warning::NotRegular {
                    file: display(&p),
                    kind: crate::safe_io::write::describe(&meta.file_type()),
                });
                continue;
            }
            let job = job_for(p, manifest);
            let ext = job
                .path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if job.reader.is_none() && !TEXT_EXTENSIONS.contains(&ext.as_str()) {
                self.log.warnings.push(Warning::UnknownExtension {
                    file: job.display.clone(),
                });
                continue;
            }
            if !self.first_visit(&meta) {
                continue; // the same file through another name: read once
            }
            self.jobs.push(job);
        }
        Ok(())
    }

    /// The manifest without the entries that cannot be used, each warned about with why.
    fn usable_entries(&mut self, mut m: Manifest, dir: &Path, mpath: &Path) -> Result<Manifest> {
        let mut kept: Vec<manifest::FileEntry> = Vec::new();
        for f in std::mem::take(&mut m.files) {
            let rel = Path::new(&f.path);
            let why = if !rel.components().all(|c| {
                matches!(
                    c,
                    std::path::Component::Normal(_) | std::path::Component::CurDir
                )
            }) {
                Some(EntryProblem::Outside)
            } else if rel.file_name() == Some(manifest::FILE_NAME.as_ref()) {
                Some(EntryProblem::Itself)
            } else if let Some(first) = kept
                .iter()
                .find(|k| k.path.trim_start_matches("./") == f.path.trim_start_matches("./"))
            {
                Some(if first.event != f.event || first.reader != f.reader {
                    EntryProblem::TwiceDifferent
                } else {
                    EntryProblem::Twice
                })
            } else {
                None
            };
            if let Some(problem) = why {
                self.log.warnings.push(Warning::ManifestEntry {
                    manifest: display(mpath),
                    entry: f.path.clone(),
                    problem,
                });
                continue;
            }
            if !dir.join(&f.path).is_file() {
                let (file, dir) = (&f.path, display(dir));
                return Err(Error::input(
                    mpath,
                    tr!(
                        "'{file}' を挙げていますが、{dir} にそのファイルはありません",
                        "lists '{file}', which is not a file in {dir}"
                    ),
                ));
            }
            kept.push(f);
        }
        m.files = kept;
        Ok(m)
    }
}

fn collect(paths: &[PathBuf], opts: &LoadOptions, log: &mut IngestLog) -> Result<Vec<Job>> {
    if paths.is_empty() {
        return Err(Error::usage(tr!(
            "入力のファイルかディレクトリを指定してください",
            "no input files or directories given"
        )));
    }
    let mut w = Walker {
        jobs: Vec::new(),
        seen: Default::default(),
        root: PathBuf::new(),
        log,
        max_file_size: opts.max_file_size,
    };
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::input(
                    p,
                    tr!(
                        "ファイルまたはディレクトリがありません",
                        "no such file or directory"
                    ),
                )
            } else {
                Error::input(p, crate::error::cannot_read(&e))
            }
        })?;
        let canonical =
            std::fs::canonicalize(p).map_err(|e| Error::input(p, crate::error::cannot_read(&e)))?;
        if meta.is_dir() {
            let before = w.jobs.len();
            if !w.first_visit(&meta) {
                continue; // named twice
            }
            w.root = canonical;
            w.walk(p, None)?;
            if w.jobs.len() == before {
                return Err(Error::input(
                    p,
                    tr!(
                        "このディレクトリには読めるファイルがありません(.txt/.md/.csv/.json/.jsonl がない)",
                        "nothing readable in this directory (no .txt/.md/.csv/.json/.jsonl files)"
                    ),
                ));
            }
        } else if !meta.is_file() {
            let (ja, en) = crate::safe_io::write::describe_both(&meta.file_type());
            return Err(Error::input(
                p,
                tr!(
                    "{ja}で、通常のファイルではありません。読むのは通常のファイルだけです",
                    "is {en}, not a regular file; only regular files are read"
                ),
            ));
        } else {
            if !w.first_visit(&meta) {
                continue; // the same file named twice: read once
            }
            // A file named directly still follows the corpus.toml next to it, if any.
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mpath = dir.join(manifest::FILE_NAME);
            let m = if mpath.is_file() && p.file_name() != Some(manifest::FILE_NAME.as_ref()) {
                let m = manifest::parse_bytes(&read_limited(&mpath, opts.max_file_size)?, &mpath)?;
                Some(w.usable_entries(m, dir, &mpath)?)
            } else {
                None
            };
            let mut job = job_for(p.clone(), m.as_ref().map(|m| (m, dir)));
            if dir == Path::new(".")
                && let (Some(m), Some(name)) = (&m, p.file_name())
            {
                job = job_for(Path::new(".").join(name), Some((m, Path::new("."))));
                job.path = p.clone();
                job.display = display(p);
            }
            w.jobs.push(job);
        }
    }
    let mut jobs = w.jobs;
    jobs.sort_by(|a, b| a.display.cmp(&b.display));
    jobs.dedup_by(|a, b| a.path == b.path);
    Ok(jobs)
}

/// What one file gave, before events are resolved and talks merged.
struct FileRead {
    job: Job,
    text: String,
    log: FileLog,
    /// Talks with their row line (structured) or 0.
    talks: Vec<(Talk, usize)>,
    /// Years of proposal sessions (for event detection).
    years: Vec<u16>,
}

fn detect_reader(path: &Path, text: &str) -> Option<shape::Shape> {
    if let Some(s) = shape::detect_json(text) {
        return Some(s);
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    // A web-clipper note's frontmatter is metadata: the text readers see the body only.
    let body = clip::body(text);
    // A note clipped from a talk's own page (a deck, a proposal, a video) is that talk, even
    // when its transcript has headings and bullets like a recap post.
    let talk_note = || {
        clip::front(text)
            .and_then(std::result::Result::ok)
            .and_then(|f| f.source)
            .is_some_and(|s| clip::is_talk_page(&s))
    };
    let kind = match ext.as_str() {
        "csv" | "tsv" => Some(ReaderKind::Csv),
        "json" => Some(ReaderKind::Json),
        "jsonl" | "ndjson" => Some(ReaderKind::Jsonl),
        _ if talk_note() => Some(ReaderKind::Clip),
        _ if proposals::looks_like(&body) => Some(ReaderKind::Proposals),
        _ if pasted::looks_like(&body) => Some(ReaderKind::Pasted),
        _ if recap::looks_like(&body) => Some(ReaderKind::Recap),
        _ if clip::front(text).is_some() => Some(ReaderKind::Clip),
        _ => None,
    };
    kind.map(shape::Shape::Talks)
}

/// Most text read of one talk (its sections together). Real proposals and recap entries are a
/// few KiB; a field of megabytes is a broken export, and tokenizing all of it would take some
/// ten times its size in memory for terms that say nothing more about the talk.
pub const MAX_TALK_TEXT_BYTES: usize = 1 << 20;

/// The start of a field that holds more than a talk's text can use: what is past
/// [`MAX_TALK_TEXT_BYTES`] + 1 is never copied (the one byte more lets [`cap_talk_text`] see
/// that it was cut and say so).
pub(crate) fn text_prefix(field: &str) -> &str {
    let mut end = field.len().min(MAX_TALK_TEXT_BYTES + 1);
    while !field.is_char_boundary(end) {
        end += 1;
    }
    &field[..end]
}

/// Longest title kept, in characters (a title is one line of a table in the report).
pub const MAX_TITLE_CHARS: usize = 300;

/// Cut a talk's text to [`MAX_TALK_TEXT_BYTES`] (at a line or sentence end where one is
/// near) and its title to [`MAX_TITLE_CHARS`]; what was cut (title, text), for the ingest
/// warnings.
fn cap_talk_text(t: &mut Talk) -> Option<(bool, bool)> {
    let mut title_cut = false;
    let mut text_cut = false;
    if let Some((cut, _)) = t.title.char_indices().nth(MAX_TITLE_CHARS) {
        t.title.truncate(cut);
        t.title.push('…');
        title_cut = true;
    }
    let total: usize = t.sections.iter().map(|s| s.text.len()).sum();
    if total > MAX_TALK_TEXT_BYTES {
        let mut left = MAX_TALK_TEXT_BYTES;
        for s in &mut t.sections {
            if s.text.len() > left {
                let mut cut = left;
                while !s.text.is_char_boundary(cut) {
                    cut -= 1;
                }
                // Prefer the last line break or sentence end within the last 4 KiB.
                let mut floor = cut.saturating_sub(4096);
                while !s.text.is_char_boundary(floor) {
                    floor += 1;
                }
                if let Some(p) = s.text[floor..cut].rfind(['\n', '。', '.', '!', '?', '！', '？'])
                {
                    let p = floor + p;
                    cut = p + s.text[p..].chars().next().map_or(0, char::len_utf8);
                }
                s.text.truncate(cut);
                s.text.shrink_to_fit();
            }
            left -= s.text.len();
        }
        t.sections.retain(|s| !s.text.trim().is_empty());
        text_cut = true;
    }
    (title_cut || text_cut).then_some((title_cut, text_cut))
}

fn read_file(job: Job, opts: &LoadOptions, log: &mut IngestLog) -> Result<Option<FileRead>> {
    let bytes = read_limited(&job.path, opts.max_file_size)?;
    let mut d = decode::decode(&bytes).map_err(|e| Error::input(&job.path, e))?;
    drop(bytes); // one copy of a large file less while it is parsed
    if d.guessed {
        log.warnings.push(Warning::NotUtf8 {
            file: job.display.clone(),
            encoding: d.encoding.clone(),
        });
    }
    // A saved HTML page: its main content's text is what the readers see.
    let page = if html::looks_like(&d.text) {
        Some(html::extract(&d.text).map_err(|e| Error::input(&job.path, e))?)
    } else {
        None
    };
    // The reader detected in the page's main content when that is the text read: the choice of
    // the reader below would detect it again (a twentieth of reading a 100k-heading page).
    let mut detected_main = None;
    if let Some(grid) = page.as_ref().and_then(|p| p.grid.as_ref()) {
        log.notes.push(Note::ForteeGrid {
            file: job.display.clone(),
            talks: grid.talks.len(),
            breaks: grid.breaks.len(),
        });
    } else if let Some(p) = &page {
        // Readability's main content; when no reader finds talks there but one does in the
        // whole body, or the body is a timetable the main content is not (a timetable grid's
        // cells scored as navigation), the body.
        let main = html::reader_text(p, &p.text);
        let proposal = html::is_proposal_page(p);
        let in_main = (!proposal).then(|| detect_reader(&job.path, &main));
        let (text, from) = if !proposal
            && ((in_main.is_some_and(|s| s.is_none())
                && detect_reader(&job.path, &p.body).is_some())
                || (!timetable::is_timetable(&main) && timetable::is_timetable(&p.body)))
        {
            (html::reader_text(p, &p.body), "body")
        } else {
            detected_main = in_main;
            (main, p.from.as_str())
        };
        log.notes.push(Note::HtmlPage {
            file: job.display.clone(),
            from: from.to_string(),
            lines: text.lines().count(),
        });
        d.text = text;
    }
    let (reader, reader_from) = match job.reader {
        Some(r) => (r, Origin::Manifest),
        None if page
            .as_ref()
            .is_some_and(|p| p.grid.is_some() || html::is_proposal_page(p)) =>
        {
            (ReaderKind::Html, Origin::Detected)
        }
        None => match detected_main.unwrap_or_else(|| detect_reader(&job.path, &d.text)) {
            None if page.is_some() => (ReaderKind::Html, Origin::Detected),
            Some(shape::Shape::Talks(r)) => (r, Origin::Detected),
            Some(shape::Shape::DreamkastEvents) => {
                log.notes.push(Note::DreamkastEventsFile {
                    file: job.display.clone(),
                });
                return Ok(None);
            }
            None => {
                log.warnings.push(Warning::NoKnownShape {
                    file: job.display.clone(),
                });
                return Ok(None);
            }
        },
    };
    let mut map = job.map.clone();
    map.extend(opts.column_map.clone());
    let file = job.display.clone();
    let stem = job
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (talks, skipped, years): (Vec<(Talk, usize)>, Vec<Skipped>, Vec<u16>) = match reader {
        ReaderKind::Proposals => {
            let p = proposals::read(&clip::body(&d.text), &file);
            (
                p.talks.into_iter().map(|t| (t, 0)).collect(),
                p.skipped,
                p.years,
            )
        }
        ReaderKind::Recap => {
            let r = recap::read(&clip::body(&d.text), &file);
            (
                r.talks.into_iter().map(|t| (t, 0)).collect(),
                r.skipped,
                vec![],
            )
        }
        ReaderKind::Csv | ReaderKind::Json | ReaderKind::Jsonl => {
            let rows = match reader {
                ReaderKind::Csv => structured::read_csv(&d.text, &file, &map),
                ReaderKind::Json => structured::read_json(&d.text, &file, &map),
                _ => structured::read_jsonl(&d.text, &file, &map),
            }
            .map_err(|e| Error::input(&job.path, e))?;
            log.notes.extend(structured::notes(&rows, &file));
            if !rows.unknown_columns.is_empty() {
                log.unread_columns
                    .push((file.clone(), rows.unknown_columns.clone()));
            }
            (rows.talks, rows.skipped, vec![])
        }
        ReaderKind::Dreamkast => {
            let near = dreamkast::events_near(&job.path);
            let r = dreamkast::read(&d.text, &file, &stem, &near)
                .map_err(|e| Error::input(&job.path, e))?;
            log.notes.extend(r.notes);
            (r.talks, r.skipped, vec![])
        }
        ReaderKind::Fortee => {
            let r = fortee::read(&d.text, &file, &stem, opts.accepted_only)
                .map_err(|e| Error::input(&job.path, e))?;
            log.notes.extend(r.notes);
            (r.talks, r.skipped, vec![])
        }
        ReaderKind::Sessionize => {
            let r =
                sessionize::read(&d.text, &file, &stem).map_err(|e| Error::input(&job.path, e))?;
            log.notes.extend(r.notes);
            (r.talks, r.skipped, vec![])
        }
        ReaderKind::Html => {
            let p = match page.clone() {
                Some(p) => p,
                None => html::extract(&d.text).map_err(|e| Error::input(&job.path, e))?,
            };
            match &p.grid {
                Some(grid) => {
                    let (talks, skipped) = html::read_grid(&p, grid);
                    (talks, skipped, vec![])
                }
                None => (html::read_page(&p, &file), vec![], vec![]),
            }
        }
        ReaderKind::Clip => {
            let talks = clip::read(&d.text, &file).map_err(|e| Error::input(&job.path, e))?;
            (talks, vec![], vec![])
        }
        ReaderKind::Pasted => {
            let r = pasted::read(&clip::body(&d.text), &file, &stem);
            log.notes.extend(r.notes);
            (r.talks, r.skipped, vec![])
        }
    };
    if talks.is_empty() {
        // Sessionize's grouped export (groups of sessions, speakers inlined) is not read; its
        // "All" export is.
        let grouped = matches!(reader, ReaderKind::Json)
            && d.text.contains("\"groupName\"")
            && d.text.contains("\"sessions\"");
        log.warnings.push(Warning::NoTalks {
            file: job.display.clone(),
            reader: reader.name(),
            sessionize_grouped: grouped,
        });
    }
    let (talks, garbled) = garble::filter(talks);
    if !garbled.is_empty() {
        log.notes.push(Note::Garbled {
            file: job.display.clone(),
            parts: garbled.len(),
        });
    }
    let mut talks = talks;
    for (t, line) in &mut talks {
        if let Some((title_cut, text_cut)) = cap_talk_text(t) {
            let at = if *line > 0 {
                format!(":{line}")
            } else {
                String::new()
            };
            log.warnings.push(Warning::Capped {
                file: format!("{}{at}", job.display),
                title: t.title.clone(),
                title_cut,
                text_cut,
            });
        }
    }
    let mut skipped = skipped;
    skipped.extend(garbled);
    skipped.sort_by_key(|s| s.lines);
    let flog = FileLog {
        file: file.clone(),
        reader,
        reader_from,
        encoding: d.encoding,
        encoding_guessed: d.guessed,
        event: None,
        event_from: None,
        talks: talks.len(),
        sections: talks.iter().map(|(t, _)| t.sections.len()).sum(),
        skipped,
    };
    Ok(Some(FileRead {
        job,
        // Only event detection of proposal pages and recaps reads the whole text again.
        text: if matches!(reader, ReaderKind::Proposals | ReaderKind::Recap) {
            d.text
        } else {
            String::new()
        },
        log: flog,
        talks,
        years,
    }))
}

/// Decide each file's event: --event, corpus.toml, the rows, detection, then (proposal
/// pages naming no event) the event of recaps whose titles match.
fn resolve_events(files: &mut [FileRead], opts: &LoadOptions, log: &mut IngestLog) -> Result<()> {
    let mut pending = Vec::new();
    for (i, f) in files.iter_mut().enumerate() {
        let fixed = opts.event.clone().map(|e| (e, Origin::Option)).or(f
            .job
            .event
            .clone()
            .map(|e| (e, Origin::Manifest)));
        let detected = match f.log.reader {
            ReaderKind::Proposals => events::detect_proposal_event(&f.text, &f.years),
            ReaderKind::Recap => events::detect_recap_event(&f.text),
            _ => None,
        };
        if let (Some((e, o)), Some((d, line))) = (&fixed, &detected)
            && normalize_title(e) != normalize_title(d)
        {
            log.warnings.push(Warning::EventConflict {
                file: f.job.display.clone(),
                line: *line,
                named: d.clone(),
                source: if *o == Origin::Option {
                    EventSource::Option
                } else {
                    EventSource::Manifest
                },
                used: e.clone(),
            });
        }
        let chosen = fixed.or(detected.map(|(e, _)| (e, Origin::Detected)));
        match f.log.reader {
            ReaderKind::Csv
            | ReaderKind::Json
            | ReaderKind::Jsonl
            | ReaderKind::Dreamkast
            | ReaderKind::Fortee
            | ReaderKind::Sessionize
            | ReaderKind::Pasted
            | ReaderKind::Clip
            | ReaderKind::Html => {
                let mut from = None;
                // One warning per file (an 8,000-row CSV gave 8,000): the first row and a count.
                let mut replaced: Option<(usize, String)> = None;
                let mut n_replaced = 0usize;
                for (t, line) in &mut f.talks {
                    match &chosen {
                        Some((e, o)) => {
                            if !t.event.is_empty()
                                && normalize_title(&t.event) != normalize_title(e)
                            {
                                n_replaced += 1;
                                replaced.get_or_insert((*line, t.event.clone()));
                            }
                            t.event = e.clone();
                            from = Some(*o);
                        }
                        None if t.event.is_empty() => {
                            let title = &t.title;
                            return Err(Error::input(
                                &f.job.path,
                                tr!(
                                    "{line}行目: 「{title}」のイベントがわかりません。イベントの列を足すか、corpus.toml でイベントを指定するか、--event を付けてください",
                                    "line {line}: no event for '{title}'; add an event column, name the event in corpus.toml or pass --event"
                                ),
                            ));
                        }
                        None => from = Some(Origin::Rows),
                    }
                }
                if let (Some((line, old)), Some((e, _))) = (&replaced, &chosen) {
                    log.warnings.push(Warning::EventReplaced {
                        file: f.job.display.clone(),
                        line: *line,
                        old: old.clone(),
                        new: e.clone(),
                        more: n_replaced - 1,
                    });
                }
                let evs: Vec<&str> = {
                    let mut v: Vec<&str> = f.talks.iter().map(|(t, _)| t.event.as_str()).collect();
                    v.sort_unstable();
                    v.dedup();
                    v
                };
                // The summary's cell: a few names and how many more (8,000 names made one
                // line), in a form that reads the same in either UI language.
                const SHOWN: usize = 3;
                let cell = if evs.len() > SHOWN {
                    format!("{}, … (+{})", evs[..SHOWN].join(", "), evs.len() - SHOWN)
                } else {
                    evs.join(", ")
                };
                f.log.event = Some(cell).filter(|s| !s.is_empty());
                f.log.event_from = from;
            }
            _ => match chosen {
                Some((e, o)) => {
                    f.log.event = Some(e);
                    f.log.event_from = Some(o);
                }
                None if f.log.reader == ReaderKind::Proposals => pending.push(i),
                None => {
                    return Err(Error::input(
                        &f.job.path,
                        tr!(
                            "どのイベントのレポートかわかりません(冒頭近くに年付きの既知のイベント名がない)。corpus.toml でイベントを指定するか、--event を付けてください",
                            "cannot tell which event this recap is about (no known event name with a year near the top); name it in corpus.toml or pass --event"
                        ),
                    ));
                }
            },
        }
    }
    for i in pending {
        let mut votes: BTreeMap<String, usize> = BTreeMap::new();
        // The bigram index keeps this linear-ish in talks, as recap linking is (not all pairs).
        let index = link::Index::of(
            files[i]
                .talks
                .iter()
                .enumerate()
                .map(|(k, (t, _))| (k, t.title.as_str())),
        );
        for (j, r) in files.iter().enumerate() {
            let Some(ev) = r
                .log
                .event
                .clone()
                .filter(|_| j != i && r.log.reader == ReaderKind::Recap)
            else {
                continue;
            };
            let n = r
                .talks
                .iter()
                .filter(|(t, _)| {
                    index
                        .best(&t.title, |_| true)
                        .is_some_and(|(_, s)| s >= link::THRESHOLD)
                })
                .count();
            if n > 0 {
                *votes.entry(ev).or_default() += n;
            }
        }
        let f = &mut files[i];
        match votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        {
            Some((ev, n)) => {
                log.warnings.push(Warning::EventFromRecaps {
                    file: f.job.display.clone(),
                    event: ev.clone(),
                    talks: n,
                });
                f.log.event = Some(ev);
                f.log.event_from = Some(Origin::Linked);
            }
            None => {
                return Err(Error::input(
                    &f.job.path,
                    tr!(
                        "どのイベントの採択ページかわかりません(既知のイベント名も、対応する参加レポートもない)。corpus.toml でイベントを指定するか、--event を付けてください",
                        "cannot tell which event these proposal pages are for (no known event name, no matching recap); name it in corpus.toml or pass --event"
                    ),
                ));
            }
        }
    }
    Ok(())
}

struct Entry {
    talk: Talk,
    key: (usize, usize),
    /// Recap files already linked to this talk (one recap section per file and talk).
    recap_files: Vec<usize>,
}

fn merge_into(dst: &mut Talk, src: Talk) {
    if dst.speakers.is_empty() {
        dst.speakers = src.speakers;
    }
    for a in src.affiliations {
        if !dst.affiliations.contains(&a) {
            dst.affiliations.push(a);
        }
    }
    dst.start = dst.start.take().or(src.start);
    dst.room = dst.room.take().or(src.room);
    dst.session_kind = dst.session_kind.take().or(src.session_kind);
    for c in src.categories {
        if !dst.categories.contains(&c) {
            dst.categories.push(c);
        }
    }
    for l in src.links {
        if !dst.links.contains(&l) {
            dst.links.push(l);
        }
    }
    dst.sections.extend(src.sections);
}

/// Read `paths` (files or directories) into one corpus.
pub fn load(paths: &[PathBuf], opts: &LoadOptions) -> Result<Loaded> {
    structured::check_map(&opts.column_map).map_err(Error::usage)?;
    let mut log = IngestLog::default();
    let jobs = collect(paths, opts, &mut log)?;
    let mut files = Vec::new();
    for job in jobs {
        if let Some(f) = read_file(job, opts, &mut log)? {
            files.push(f);
        }
    }
    resolve_events(&mut files, opts, &mut log)?;

    let mut entries: Vec<Entry> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    // Talks of proposal pages and exports first.
    for (fi, f) in files.iter_mut().enumerate() {
        if f.log.reader == ReaderKind::Recap {
            continue;
        }
        let event = f.log.event.clone().unwrap_or_default();
        for (pos, (mut t, line)) in std::mem::take(&mut f.talks).into_iter().enumerate() {
            if f.log.reader == ReaderKind::Proposals {
                t.event = event.clone();
            }
            t.id = talk_id(&t.event, &t.title);
            match by_id.get(&t.id) {
                Some(&k) => {
                    let at = if line > 0 {
                        format!(":{line}")
                    } else {
                        String::new()
                    };
                    log.warnings.push(Warning::DuplicateTalk {
                        file: format!("{}{at}", f.job.display),
                        title: t.title.clone(),
                        event: t.event.clone(),
                    });
                    merge_into(&mut entries[k].talk, t);
                }
                None => {
                    by_id.insert(t.id.clone(), entries.len());
                    entries.push(Entry {
                        talk: t,
                        key: (fi, pos),
                        recap_files: vec![],
                    });
                }
            }
        }
    }
    let mut indexes: HashMap<String, link::Index> = HashMap::new();
    // Whether a later recap post is of the same event: only such a post queries what this
    // one adds to the index.
    let mut read_later = vec![false; files.len()];
    let mut events_after: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (fi, f) in files.iter().enumerate().rev() {
        if f.log.reader == ReaderKind::Recap {
            let e = f.log.event.as_deref().unwrap_or_default();
            read_later[fi] = !events_after.insert(e);
        }
    }
    // Then recap sections: attach to the most similar talk of the event, or keep as talks.
    for (fi, f) in files.iter_mut().enumerate() {
        if f.log.reader != ReaderKind::Recap {
            continue;
        }
        let event = f.log.event.clone().unwrap_or_default();
        // This post's unlinked talks join the index after the post: its other talks may not
        // link to them (`allowed` below), and 40k headings of one post would otherwise each
        // visit hundreds of the post's own entries.
        let mut new_titles: Vec<(usize, String)> = Vec::new();
        let event_key = normalize_title(&event);
        for (pos, (mut t, _)) in std::mem::take(&mut f.talks).into_iter().enumerate() {
            t.event = event.clone();
            t.id = talk_id_in(&event_key, &t.title);
            // The event's talks indexed by title bigram (built once, grown as recaps add talks).
            let ix = indexes.entry(event.clone()).or_insert_with(|| {
                link::Index::of(
                    entries
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| e.talk.event == event)
                        .map(|(k, e)| (k, e.talk.title.as_str())),
                )
            });
            let best = ix.best(&t.title, |k| !entries[k].recap_files.contains(&fi));
            match best {
                Some((k, score)) if score >= link::THRESHOLD => {
                    let e = &mut entries[k];
                    log.links.push(RecapLink {
                        event: event.clone(),
                        recap_file: f.job.display.clone(),
                        recap_title: t.title.clone(),
                        talk_id: e.talk.id.clone(),
                        talk_title: e.talk.title.clone(),
                        score,
                    });
                    e.recap_files.push(fi);
                    merge_into(&mut e.talk, t);
                }
                _ => {
                    log.unlinked.push(UnlinkedRecap {
                        event: event.clone(),
                        recap_file: f.job.display.clone(),
                        recap_title: t.title.clone(),
                        closest: best.map(|(k, s)| (entries[k].talk.title.clone(), s)),
                    });
                    if let Some(&k) = by_id.get(&t.id) {
                        // Same title twice in one post.
                        log.warnings.push(Warning::RecapTalkTwice {
                            file: f.job.display.clone(),
                            title: t.title.clone(),
                        });
                        merge_into(&mut entries[k].talk, t);
                        continue;
                    }
                    by_id.insert(t.id.clone(), entries.len());
                    new_titles.push((entries.len(), t.title.clone()));
                    entries.push(Entry {
                        talk: t,
                        key: (fi, pos),
                        recap_files: vec![fi],
                    });
                }
            }
        }
        if let Some(ix) = indexes.get_mut(&event).filter(|_| read_later[fi]) {
            for (k, title) in &new_titles {
                ix.push(*k, title);
            }
        }
    }
    entries.sort_by_key(|e| e.key);
    let corpus = Corpus {
        talks: entries.into_iter().map(|e| e.talk).collect(),
    };
    log.files = files.into_iter().map(|f| f.log).collect();
    if corpus.talks.is_empty() {
        let what = paths
            .iter()
            .map(|p| display(p))
            .collect::<Vec<_>>()
            .join(", ");
        // The one line says why when a file's warning knows (Sessionize's grouped export).
        let grouped = log.warnings.iter().any(|w| {
            matches!(
                w,
                Warning::NoTalks {
                    sessionize_grouped: true,
                    ..
                }
            )
        });
        let why = |lang| {
            if grouped {
                format!(" ({})", warning::sessionize_grouped_hint(lang))
            } else {
                String::new()
            }
        };
        let (why_ja, why_en) = (why(crate::Lang::Ja), why(crate::Lang::En));
        let (known_ja, known_en) = (shape::SUPPORTED_JA, shape::SUPPORTED);
        return Err(Error::input(
            what,
            tr!(
                "読めるものがありません: 発表が見つかりません{why_ja}。読める形式: {known_ja}",
                "nothing readable: no talks found{why_en}; the readers know {known_en}"
            ),
        ));
    }
    Ok(Loaded { corpus, log })
}
